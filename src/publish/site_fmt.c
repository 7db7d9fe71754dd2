/* site_fmt.c — how numbers, names and strings read on the public site:
 * thousands separators, truncated percentages (already truncated by
 * tally.c; this only prints them), column and casilla labels, party colours
 * and JSON string escaping. No counting and no HTML structure here. */
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "publish/site_internal.h"

const char *site_fmt_int(int64_t v, char *buf)
{
    char tmp[32];
    int neg = v < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int n = 0, k = 0;
    do {
        if (k && k % 3 == 0)
            tmp[n++] = ',';
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
        k++;
    } while (u);
    int o = 0;
    if (neg)
        buf[o++] = '-';
    while (n)
        buf[o++] = tmp[--n];
    buf[o] = '\0';
    return buf;
}

const char *site_fmt_pct(int64_t e4, char *buf)
{
    return prep_pct_fmt(e4, buf, 32);
}

const char *site_col_label(const prep_eleccion *el, int c, char *buf, size_t cap)
{
    const prep_columna *col = &el->cols[c];
    int n = 0;
    if (col->tipo == PREP_COL_CI && sscanf(col->nombre, "CAND_IND_%d", &n) == 1) {
        snprintf(buf, cap, "Independiente %d", n);
        return buf;
    }
    snprintf(buf, cap, "%s", col->nombre);
    if (col->tipo == PREP_COL_COMBINACION)
        for (char *p = buf; *p; p++)
            if (*p == '_')
                *p = '-';
    return buf;
}

const char *site_cand_label(const prep_eleccion *el, const prep_cand_total *t, char *buf,
                            size_t cap)
{
    if (t->tipo == PREP_CAND_COALICION && t->coalicion >= 0 && t->coalicion < el->ncoaliciones &&
        el->coaliciones[t->coalicion].nombre[0]) {
        snprintf(buf, cap, "%s", el->coaliciones[t->coalicion].nombre);
        return buf;
    }
    return site_col_label(el, t->col, buf, cap);
}

/* Colours of the national parties as the public knows them; anything else
 * takes a neutral tone. Bars carry a dark outline, so light colours keep a
 * 3:1 contrast against the page. */
static const struct {
    const char *siglas, *color;
} colores[] = {
    {"PAN", "#0a4ca0"},  {"PRI", "#c8102e"}, {"PRD", "#ffcc00"},    {"PVEM", "#4caf50"},
    {"PT", "#d52b1e"},   {"MC", "#ff7f00"},  {"MORENA", "#a3203f"}, {"PES", "#5b2c83"},
    {"RSP", "#333f48"},  {"FXM", "#e4007c"}, {"PANAL", "#00a3ad"},  {"NA", "#00a3ad"},
};

const char *site_col_color(const prep_eleccion *el, int c)
{
    const prep_columna *col = &el->cols[c];
    if (col->tipo == PREP_COL_CI)
        return "#6d5a9e";
    char first[32];
    snprintf(first, sizeof first, "%s", col->nombre);
    if (col->tipo == PREP_COL_COMBINACION) {
        char *u = strchr(first, '_');
        if (u)
            *u = '\0';
    }
    for (size_t i = 0; i < sizeof colores / sizeof colores[0]; i++)
        if (strcmp(colores[i].siglas, first) == 0)
            return colores[i].color;
    return "#7a7a7a";
}

const char *site_casilla_label(const prep_casilla *c, char *buf, size_t cap)
{
    const char *t = c->tipo == 'B'   ? "Básica"
                    : c->tipo == 'C' ? "Contigua"
                    : c->tipo == 'E' ? "Extraordinaria"
                                     : "Especial";
    int n;
    if (c->tipo == 'B' && c->numero == 1)
        n = snprintf(buf, cap, "%s", t);
    else
        n = snprintf(buf, cap, "%s %d", t, c->numero);
    if (c->ext > 0 && n > 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, " contigua %d", c->ext);
    return buf;
}

const char *site_tipo_label(int t)
{
    return t == PREP_UNIDAD_DISTRITO      ? "Distrito"
           : t == PREP_UNIDAD_DEMARCACION ? "Demarcación"
                                          : "Entidad";
}

const char *site_tipo_slug(int t)
{
    return t == PREP_UNIDAD_DISTRITO      ? "distrito"
           : t == PREP_UNIDAD_DEMARCACION ? "demarcacion"
                                          : "entidad";
}

void site_json_str(prep_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    prep_buf_putc(b, '"');
    const char *run = s;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        prep_buf_append(b, run, (size_t)(s - run));
        run = s + 1;
        switch (ch) {
        case '"': prep_buf_puts(b, "\\\""); break;
        case '\\': prep_buf_puts(b, "\\\\"); break;
        case '\n': prep_buf_puts(b, "\\n"); break;
        case '\r': prep_buf_puts(b, "\\r"); break;
        case '\t': prep_buf_puts(b, "\\t"); break;
        default: {
            char u[7] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15], 0};
            prep_buf_puts(b, u);
        }
        }
    }
    prep_buf_append(b, run, (size_t)(s - run));
    prep_buf_putc(b, '"');
}
