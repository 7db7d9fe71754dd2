/* csv_check.c — recompute a published results CSV from its rows (see
 * csv_check.h). Parsing is libcsv's (no space trimming, so the text is
 * checked exactly as published); the rules are core/rules.h's and the
 * summary core/tally.h's, never re-implemented here. */
#include "publish/csv_check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "core/rules.h"
#include "publish/csv_out.h"
#include "util/buf.h"
#include "util/csv_fields.h"
#include "util/hash.h"

#define MAXF (PREP_CSV_NCOLUMNS(PREP_MAX_COLS) + 8)
_Static_assert(MAXF <= PREP_CSV_MAX_FIELDS, "a results CSV row must fit prep_csv_fields");

typedef struct {
    const prep_catalog *cat;
    const prep_eleccion *el;
    int e, final;
    prep_time at;
    const char *name;
    prep_err *err;
    int failed;
    /* Current row. */
    prep_csv_fields fl;
    long row;            /* non-empty rows seen */
    /* Header. */
    char header_vals[PREP_SUMMARY_NFIELDS][32];
    const char *cols[MAXF];
    int ncols;
    /* Data. */
    prep_summary s;
    uint8_t *seen;
    int last_u, last_c, in_fc;
    int64_t filas, fuera;
    const char *ent_nombre[100];
} ctx_t;

#define F(i) prep_csv_fields_get(&x->fl, i)

static int fail_row(ctx_t *x, const char *clave, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_row(ctx_t *x, const char *clave, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    long line = x->row >= 5 ? x->row + 3 : x->row >= 2 ? x->row + 2 : x->row + 1;
    if (clave)
        prep_fail(x->err, PREP_E_CORRUPT, "%s line %ld (%s): %s", x->name, line, clave, msg);
    else
        prep_fail(x->err, PREP_E_CORRUPT, "%s line %ld: %s", x->name, line, msg);
    x->failed = 1;
    return -1;
}

static void on_field(void *data, size_t len, void *p)
{
    ctx_t *x = p;
    if (x->failed)
        return;
    prep_csv_fields_add(&x->fl, data, len);
}

static int expect(ctx_t *x, const char *clave, int col, const char *want)
{
    if (strcmp(F(col), want) != 0)
        return fail_row(x, clave, "%s is '%s', expected '%s'", x->cols[col], F(col), want);
    return 0;
}

static int expect_int(ctx_t *x, const char *clave, int col, long long want)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", want);
    return expect(x, clave, col, b);
}

static int parse_nonneg(const char *s, long long *out)
{
    if (!*s || strlen(s) > 12)
        return -1;
    long long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    if (s[0] == '0' && s[1])
        return -1; /* no leading zeros: one text per number */
    *out = v;
    return 0;
}

static int header_row(ctx_t *x)
{
    char want[40];
    switch (x->row) {
    case 0:
        if (x->fl.nf != 1 || strcmp(F(0), x->el->nombre) != 0)
            return fail_row(x, NULL, "the election name should be '%s'", x->el->nombre);
        return 0;
    case 1:
        if (x->fl.nf != 1)
            return fail_row(x, NULL, "the corte date line has %d fields", x->fl.nf);
        if (x->at) {
            prep_time_fmt_min(x->at, want);
            strcat(want, " (UTC-6)");
            if (strcmp(F(0), want) != 0)
                return fail_row(x, NULL, "the corte date is '%s', corte.json says '%s'", F(0),
                                want);
        }
        return 0;
    case 2:
        if (x->fl.nf != PREP_SUMMARY_NFIELDS)
            return fail_row(x, NULL, "%d summary field names, expected %d", x->fl.nf,
                            PREP_SUMMARY_NFIELDS);
        for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++)
            if (strcmp(F(i), prep_summary_names[i]) != 0)
                return fail_row(x, NULL, "summary field %d is '%s', expected %s", i + 1, F(i),
                                prep_summary_names[i]);
        return 0;
    case 3:
        if (x->fl.nf != PREP_SUMMARY_NFIELDS)
            return fail_row(x, NULL, "%d summary values, expected %d", x->fl.nf,
                            PREP_SUMMARY_NFIELDS);
        for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++)
            snprintf(x->header_vals[i], sizeof x->header_vals[i], "%s", F(i));
        return 0;
    default:
        if (x->fl.nf != x->ncols)
            return fail_row(x, NULL, "%d column names, expected %d", x->fl.nf, x->ncols);
        for (int i = 0; i < x->ncols; i++)
            if (strcmp(F(i), x->cols[i]) != 0)
                return fail_row(x, NULL, "column %d is '%s', expected %s", i + 1, F(i),
                                x->cols[i]);
        return 0;
    }
}

static int fuera_row(ctx_t *x)
{
    int t0 = PREP_CSV_TAIL0(x->el->ncols);
    for (int i = 0; i < t0 + PREP_CSV_OBSERVACIONES; i++)
        if (expect(x, "fuera de catálogo", i, "-") < 0)
            return -1;
    if (expect(x, "fuera de catálogo", t0 + PREP_CSV_OBSERVACIONES, PREP_CSV_OBS_FUERA) < 0 ||
        expect(x, "fuera de catálogo", t0 + PREP_CSV_CONTABILIZADA, PREP_CSV_CONTAB_FUERA) < 0)
        return -1;
    prep_summary_add_fuera(&x->s);
    x->in_fc = 1;
    x->fuera++;
    return 0;
}

static int check_tail(ctx_t *x, const char *clave)
{
    int t0 = PREP_CSV_TAIL0(x->el->ncols);
    const char *sha = F(t0 + PREP_CSV_CODIGO_INTEGRIDAD);
    if (*sha && !prep_is_sha256_hex(sha))
        return fail_row(x, clave, "CODIGO_INTEGRIDAD '%s' is not a lowercase SHA-256", sha);
    for (int k = PREP_CSV_FECHA_ACOPIO; k <= PREP_CSV_FECHA_VERIFICACION; k++) {
        prep_time t;
        const char *v = F(t0 + k);
        if (*v && (strlen(v) != 19 || prep_time_parse(v, &t) < 0))
            return fail_row(x, clave, "%s '%s' is not dd/mm/AAAA HH:MM:SS", x->cols[t0 + k], v);
    }
    const char *o = F(t0 + PREP_CSV_ORIGEN), *d = F(t0 + PREP_CSV_DIGITALIZACION),
               *td = F(t0 + PREP_CSV_TIPO_DOCUMENTO), *co = F(t0 + PREP_CSV_COTEJADA);
    if (*o && strcmp(o, "CASILLA") != 0 && strcmp(o, "CATD") != 0)
        return fail_row(x, clave, "ORIGEN '%s' is not CASILLA or CATD", o);
    if (*d && strcmp(d, "MOVIL") != 0 && strcmp(d, "ESCANER") != 0)
        return fail_row(x, clave, "DIGITALIZACION '%s' is not MOVIL or ESCANER", d);
    if (*td && strcmp(td, PREP_CSV_TIPO_DOC_ACTA) != 0)
        return fail_row(x, clave, "TIPO_DOCUMENTO '%s' is not %s", td, PREP_CSV_TIPO_DOC_ACTA);
    if (strlen(co) != 1 || co[0] < '0' || co[0] > '3')
        return fail_row(x, clave, "COTEJADA '%s' is not 0, 1, 2 or 3", co);
    return 0;
}

static int acta_row(ctx_t *x)
{
    const prep_catalog *cat = x->cat;
    const prep_eleccion *el = x->el;
    int ncols = el->ncols, nf = PREP_NFIELDS(ncols), t0 = PREP_CSV_TAIL0(ncols);
    const char *q = F(PREP_CSV_CLAVE_CASILLA);
    char clave[16];
    if (strlen(q) != 13 || q[0] != '\'' || q[12] != '\'')
        return fail_row(x, NULL, "CLAVE_CASILLA '%s' is not a quoted clave like '090123B0100'",
                        q);
    memcpy(clave, q + 1, 11);
    clave[11] = '\0';
    if (x->in_fc)
        return fail_row(x, clave, "acta row after the fuera de catálogo rows");
    int c = prep_catalog_find_casilla(cat, clave);
    if (c < 0)
        return fail_row(x, clave, "CLAVE_CASILLA is not a casilla of the catalog");
    if (x->seen[c])
        return fail_row(x, clave, "the acta appears twice");
    x->seen[c] = 1;
    int u = prep_catalog_unidad_of(cat, x->e, c);
    if (u < x->last_u || (u == x->last_u && c < x->last_c))
        return fail_row(x, clave, "rows are not sorted by unit, sección, tipo, casilla, ext");
    x->last_u = u;
    x->last_c = c;

    const prep_casilla *k = &cat->casillas[c];
    const prep_seccion *sec = &cat->secciones[k->seccion_idx];
    const prep_unidad *un = el->unidad == PREP_UNIDAD_DEMARCACION
                                ? &cat->demarcaciones[sec->demarcacion]
                                : &cat->distritos[sec->distrito];
    const char *tipo_acta = prep_eleccion_tipo_acta(el, k);
    char want[64], tipo[2] = {k->tipo, 0}, mec[2] = {k->mecanismo, 0};
    snprintf(want, sizeof want, "'%s%s'", clave, tipo_acta);
    if (expect(x, clave, PREP_CSV_CLAVE_ACTA, want) < 0 ||
        expect_int(x, clave, PREP_CSV_ID_ENTIDAD, k->entidad) < 0 ||
        expect(x, clave, PREP_CSV_ENTIDAD,
               k->entidad >= 0 && k->entidad < 100 && x->ent_nombre[k->entidad]
                   ? x->ent_nombre[k->entidad]
                   : "") < 0 ||
        expect_int(x, clave, PREP_CSV_ID_UNIDAD, un->id) < 0 ||
        expect(x, clave, PREP_CSV_UNIDAD, un->nombre) < 0 ||
        expect_int(x, clave, PREP_CSV_SECCION, k->seccion) < 0 ||
        expect_int(x, clave, PREP_CSV_ID_CASILLA, k->numero) < 0 ||
        expect(x, clave, PREP_CSV_TIPO_CASILLA, tipo) < 0 ||
        expect_int(x, clave, PREP_CSV_EXT_CONTIGUA, k->ext) < 0 ||
        expect_int(x, clave, PREP_CSV_UBICACION_CASILLA, k->ubicacion) < 0 ||
        expect(x, clave, PREP_CSV_TIPO_ACTA, tipo_acta) < 0 ||
        expect_int(x, clave, t0 + PREP_CSV_LISTA_NOMINAL, k->lista_nominal) < 0 ||
        expect_int(x, clave, t0 + PREP_CSV_REPRESENTANTES, k->representantes) < 0 ||
        expect(x, clave, t0 + PREP_CSV_MECANISMOS, mec) < 0 || check_tail(x, clave) < 0)
        return -1;

    /* The rule inputs as published. */
    long long ln, rep;
    if (parse_nonneg(F(t0 + PREP_CSV_LISTA_NOMINAL), &ln) < 0 ||
        parse_nonneg(F(t0 + PREP_CSV_REPRESENTANTES), &rep) < 0)
        return fail_row(x, clave, "LISTA_NOMINAL / REPRESENTANTES_PP_CI are not numbers");
    int especial = strcmp(F(PREP_CSV_TIPO_CASILLA), "S") == 0;
    const char *obs = F(t0 + PREP_CSV_OBSERVACIONES);
    prep_rule_result r;
    if (strncmp(obs, "SIN ACTA", 8) == 0) {
        int motivo = -1;
        for (int m = 1; m < PREP_SIN_ACTA__COUNT; m++)
            if (strcmp(obs, prep_sin_acta_texto(m)) == 0)
                motivo = m;
        if (motivo < 0)
            return fail_row(x, clave, "OBSERVACIONES '%s' is not a known sin acta motivo", obs);
        for (int f = 0; f < nf; f++)
            if (expect(x, clave, PREP_CSV_FIELDS0 + f, "-") < 0)
                return -1;
        if (expect(x, clave, t0 + PREP_CSV_TOTAL_CALCULADO, "-") < 0)
            return -1;
        prep_rules_sin_acta(motivo, &r);
    } else {
        prep_val vals[PREP_MAX_FIELDS];
        for (int f = 0; f < nf; f++) {
            const char *v = F(PREP_CSV_FIELDS0 + f);
            if (prep_val_parse(v, &vals[f]) < 0)
                return fail_row(x, clave, "%s '%s' is not a number, Ilegible, Sin dato or -",
                                x->cols[PREP_CSV_FIELDS0 + f], v);
            if (f >= PREP_F_COL0 && f < PREP_F_COL0 + ncols) {
                int applies = prep_eleccion_aplica(el, u, f - PREP_F_COL0);
                if (applies == (vals[f] == PREP_V_NA))
                    return fail_row(x, clave, "%s is '%s' but the column %s in this unit",
                                    x->cols[PREP_CSV_FIELDS0 + f], v,
                                    applies ? "applies" : "does not apply");
            }
        }
        prep_rule_limits lim = {.especial = especial, .lista_nominal = (int)ln,
                                .representantes = (int)rep, .boletas = k->boletas};
        prep_rules_eval(vals, ncols, &lim, &r);
        if (expect_int(x, clave, t0 + PREP_CSV_TOTAL_CALCULADO, r.total_calculado) < 0)
            return -1;
    }
    char obs_want[256];
    prep_rules_observaciones(&r, obs_want, sizeof obs_want);
    if (expect(x, clave, t0 + PREP_CSV_OBSERVACIONES, obs_want) < 0 ||
        expect(x, clave, t0 + PREP_CSV_CONTABILIZADA, r.contabilizada ? "1" : "0") < 0)
        return -1;
    prep_summary_add(&x->s, &r, ln, especial);
    return 0;
}

static void on_row(int term, void *p)
{
    ctx_t *x = p;
    (void)term;
    if (x->failed)
        return;
    if (x->fl.overflow)
        fail_row(x, NULL, "more than %d fields", MAXF);
    else if (x->row <= 4)
        header_row(x);
    else if (x->fl.nf != x->ncols)
        fail_row(x, NULL, "%d fields, expected %d", x->fl.nf, x->ncols);
    else if (strcmp(F(PREP_CSV_CLAVE_CASILLA), "-") == 0)
        fuera_row(x);
    else
        acta_row(x);
    if (x->row >= 5)
        x->filas++;
    x->row++;
    prep_csv_fields_next(&x->fl);
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* Raw layout: BOM, CRLF line ends, lines 3 and 6 empty. */
static int check_layout(const char *text, size_t len, const char *name, prep_err *err)
{
    if (len < 3 || memcmp(text, PREP_CSV_BOM, 3) != 0)
        return prep_fail(err, PREP_E_CORRUPT, "%s does not start with the UTF-8 BOM", name);
    size_t start = 3;
    for (int line = 1; line <= 6; line++) {
        const char *nl = memchr(text + start, '\n', len - start);
        if (!nl || nl == text + start || nl[-1] != '\r')
            return prep_fail(err, PREP_E_CORRUPT, "%s line %d does not end with CR LF", name,
                             line);
        size_t n = (size_t)(nl - (text + start)) - 1;
        if ((line == 3 || line == 6) && n != 0)
            return prep_fail(err, PREP_E_CORRUPT, "%s line %d should be empty", name, line);
        start = (size_t)(nl - text) + 1;
    }
    for (const char *p = text; (p = memchr(p, '\n', len - (size_t)(p - text))) != NULL; p++)
        if (p == text || p[-1] != '\r')
            return prep_fail(err, PREP_E_CORRUPT, "%s has a line ending without CR", name);
    return 0;
}

int prep_csv_check(const char *text, size_t len, const char *name, const prep_catalog *cat,
                   int e, int final, prep_time at, prep_csv_check_result *out, prep_err *err)
{
    memset(out, 0, sizeof *out);
    if (e < 0 || e >= cat->nelecciones)
        return prep_fail(err, PREP_E_INVALID, "%s: no such election", name);
    if (check_layout(text, len, name, err) < 0)
        return -1;
    ctx_t *x = calloc(1, sizeof *x);
    if (!x || !(x->seen = calloc((size_t)cat->ncasillas + 1, 1))) {
        free(x);
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    x->cat = cat;
    x->e = e;
    x->el = &cat->elecciones[e];
    x->final = final;
    x->at = at;
    x->name = name;
    x->err = err;
    x->last_u = -1;
    x->last_c = -1;
    prep_csv_fields_init(&x->fl, MAXF);
    x->ncols = prep_csv_columns(cat, e, x->cols, MAXF);
    for (int i = 0; i < cat->nentidades; i++)
        if (cat->entidades[i].id >= 0 && cat->entidades[i].id < 100)
            x->ent_nombre[cat->entidades[i].id] = cat->entidades[i].nombre;
    prep_summary_init(&x->s, cat->ncasillas);

    struct csv_parser p;
    int rc = 0;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        rc = prep_fail(err, PREP_E_NOMEM, "out of memory");
    } else {
        csv_set_space_func(&p, no_space);
        if (csv_parse(&p, text + 3, len - 3, on_field, on_row, x) != len - 3 ||
            csv_fini(&p, on_field, on_row, x) != 0) {
            if (!x->failed)
                rc = prep_fail(err, PREP_E_CORRUPT, "%s is not valid CSV: %s", name,
                               csv_strerror(csv_error(&p)));
        }
        csv_free(&p);
    }
    if (rc == 0 && x->failed)
        rc = -1;
    if (rc == 0 && x->row < 5)
        rc = prep_fail(err, PREP_E_CORRUPT, "%s ends before its column names", name);
    if (!prep_buf_ok(&x->fl.text) && rc == 0)
        rc = prep_fail(err, PREP_E_NOMEM, "out of memory");
    if (rc == 0) {
        prep_summary_compute(&x->s, final);
        for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
            char v[32];
            prep_summary_field(&x->s, i, v, sizeof v);
            if (strcmp(v, x->header_vals[i]) != 0) {
                rc = prep_fail(err, PREP_E_CORRUPT,
                               "%s line 5: %s is %s in the header, the rows give %s", name,
                               prep_summary_names[i], x->header_vals[i], v);
                break;
            }
        }
    }
    if (rc == 0) {
        out->s = x->s;
        out->filas = x->filas;
        out->fuera = x->fuera;
    }
    prep_csv_fields_free(&x->fl);
    free(x->seen);
    free(x);
    return rc;
}
