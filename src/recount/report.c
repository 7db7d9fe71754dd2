/* report.c — a recount report as readable text (for a person: how the file
 * was read, the 13 summary fields side by side, every difference grouped by
 * kind with its line, clave and reason) or as JSON (jansson, for scripts).
 * Formatting only: it computes nothing and prints nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "recount/recount.h"

static const char *kind_title(prep_recount_kind k)
{
    static const char *const t[PREP_RC__COUNT] = {
        "campos del resumen",
        "TOTAL_VOTOS_CALCULADO de actas",
        "CONTABILIZADA según las reglas de cómputo",
        "OBSERVACIONES según las reglas de cómputo",
        "claves repetidas",
        "fechas y horas fuera de orden",
        "fechas y horas ilegibles",
        "códigos de integridad ilegibles",
        "valores ilegibles"};
    return t[k];
}

static void cols_of(const prep_recount_report *r, prep_recount_coltype t, prep_buf *b)
{
    int n = 0;
    for (int i = 0; i < r->ncols; i++)
        if (r->coltype[i] == t)
            prep_buf_printf(b, "%s%s", n++ ? " " : "", r->col[i]);
    if (!n)
        prep_buf_puts(b, "-");
}

/* In the text report, the first lines of each kind; --json lists them all. */
#define TEXT_PER_KIND 25

static void text_lines(prep_buf *b, const long *lines, size_t n)
{
    size_t show = n < 12 ? n : 12;
    for (size_t i = 0; i < show; i++)
        prep_buf_printf(b, "%s%ld", i ? ", " : "", lines[i]);
    if (n > show)
        prep_buf_printf(b, " y %zu más", n - show);
}

static void text_conventions(const prep_recount_report *r, prep_buf *b)
{
    int any = 0;
    for (int c = 0; c < PREP_RCV__COUNT; c++)
        any += r->conv[c].count > 0;
    if (!any)
        return;
    prep_buf_puts(b, "\n  convenciones del instituto (no son diferencias):\n");
    for (int c = 0; c < PREP_RCV__COUNT; c++) {
        const prep_recount_conv_rows *cr = &r->conv[c];
        if (!cr->count)
            continue;
        prep_buf_printf(b, "    %s: %lld — %s", prep_recount_conv_name(c), (long long)cr->count,
                        prep_recount_conv_text(c));
        if (cr->detail[0])
            prep_buf_printf(b, " (%s)", cr->detail);
        prep_buf_printf(b, "; se sabe de: %s\n      líneas ", prep_recount_conv_institutes(c));
        text_lines(b, cr->lines, cr->nlines);
        prep_buf_putc(b, '\n');
    }
}

int prep_recount_text(const prep_recount_report *r, const char *name, prep_buf *b,
                      prep_err *err)
{
    prep_buf_printf(b, "prep audit: %s\n", name);
    prep_buf_printf(b, "  elección:  %s\n  corte:     %s\n", r->eleccion[0] ? r->eleccion : "-",
                    r->corte[0] ? r->corte : "-");
    prep_buf_printf(b, "  leído como: %s, separador '%c'%s\n", r->encoding, r->delim,
                    r->sep_line ? ", con línea sep=" : "");
    prep_buf_printf(b, "  filas:     %lld (fuera de catálogo %lld, sin acta %lld, casillas "
                       "especiales %lld, aún no recibidas %lld)\n",
                    (long long)r->filas, (long long)r->fuera, (long long)r->sin_acta,
                    (long long)r->especiales, (long long)r->pendientes);
    prep_buf_printf(b, "  columnas de votos (%d): partidos ", r->ncols);
    cols_of(r, PREP_RC_PARTIDO, b);
    prep_buf_puts(b, "; combinaciones ");
    cols_of(r, PREP_RC_COMBINACION, b);
    prep_buf_puts(b, "; independientes ");
    cols_of(r, PREP_RC_INDEPENDIENTE, b);
    prep_buf_puts(b, "; más NO_REGISTRADOS, NULOS\n");
    if (r->nignored)
        prep_buf_printf(b, "  columnas que no se usan (%d): %s\n", r->nignored, r->ignored);
    prep_buf_printf(b, "  participación como en %s\n",
                    r->opts.final ? "el corte final (TOTAL_VOTOS_C_CS, con casillas especiales)"
                                  : "un corte durante la operación (TOTAL_VOTOS_S_CS, sin "
                                    "casillas especiales; --final para el último corte)");
    if (r->opts.max_boletas_especial >= 0)
        prep_buf_printf(b, "  casillas especiales: %ld boletas cada una (--max-boletas-especial)\n",
                        r->opts.max_boletas_especial);
    if (r->sin_limite)
        prep_buf_printf(b, "  actas sin límite conocido: %lld (las casillas especiales necesitan "
                           "--max-boletas-especial N; o LISTA_NOMINAL vacía o 0): su EXCEDE LISTA "
                           "NOMINAL se toma como se publicó\n",
                        (long long)r->sin_limite);
    if (r->pendientes)
        prep_buf_printf(b, "  actas aún no recibidas: %lld filas sin CONTABILIZADA ni votos; no "
                           "cuentan como registradas ni son diferencias\n",
                        (long long)r->pendientes);
    if (r->incompleto)
        prep_buf_printf(b, "  archivo incompleto: %s; el resumen no se compara\n",
                        r->opts.extracto ? "un extracto (--extracto)"
                                         : "muchas menos filas que las que registra su resumen");
    if (!r->has_total_col)
        prep_buf_puts(b, "  sin columna TOTAL_VOTOS_CALCULADO: los totales se calculan, no se "
                         "comparan\n");
    if (!r->has_obs_col)
        prep_buf_puts(b, "  sin columna OBSERVACIONES: no se distingue el sin acta ni se comparan "
                         "las razones\n");

    char head[40];
    snprintf(head, sizeof head, "resumen (línea %ld)", r->summary_line);
    prep_buf_printf(b, "\n  %-37s %16s %16s\n", head, "publicado", "recalculado");
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
        char v[32];
        prep_summary_field(&r->s, i, v, sizeof v);
        int differs = 0;
        for (size_t k = 0; k < r->nf; k++)
            if (r->f[k].kind == PREP_RC_RESUMEN &&
                strcmp(r->f[k].field, prep_summary_names[i]) == 0)
                differs = 1;
        prep_buf_printf(b, "  %-36s %16s %16s%s\n", prep_summary_names[i],
                        r->present[i] ? r->published[i] : "(no viene)",
                        i == 0 ? "(el publicado)" : v, differs ? "   <- difiere" : "");
    }

    prep_buf_printf(b, "\n");
    for (int k = 0; k < PREP_RC__COUNT; k++) {
        if (!r->count[k])
            continue;
        prep_buf_printf(b, "  %s: %lld\n", kind_title(k), (long long)r->count[k]);
        int shown = 0;
        for (size_t i = 0; i < r->nf; i++) {
            const prep_recount_finding *f = &r->f[i];
            if (f->kind != (prep_recount_kind)k || shown++ >= TEXT_PER_KIND)
                continue;
            prep_buf_printf(b, "    línea %ld", f->line);
            if (f->clave[0])
                prep_buf_printf(b, " (%s)", f->clave);
            prep_buf_printf(b, ": %s '%s'", f->field, f->published);
            if (f->recomputed[0] && k != PREP_RC_ORDEN)
                prep_buf_printf(b, ", recalculado '%s'", f->recomputed);
            prep_buf_printf(b, ": %s\n", f->reason);
        }
        if (shown > TEXT_PER_KIND)
            prep_buf_printf(b, "    (y %d más: --json las lista todas)\n", shown - TEXT_PER_KIND);
    }
    if (r->nomem)
        prep_buf_puts(b, "  (memoria insuficiente: la lista está incompleta; las cuentas son "
                         "exactas)\n");
    text_conventions(r, b);
    if (r->ndiff)
        prep_buf_printf(b, "resultado: %lld diferencia%s\n", (long long)r->ndiff,
                        r->ndiff == 1 ? "" : "s");
    else if (r->incompleto)
        prep_buf_puts(b, "resultado: consistente: cada fila es lo que dan las reglas (el resumen "
                         "no se comparó: archivo incompleto)\n");
    else
        prep_buf_puts(b, "resultado: consistente: cada número publicado es el que dan las "
                         "reglas\n");
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "memoria insuficiente para escribir el reporte");
    return 0;
}

static json_t *cols_json(const prep_recount_report *r)
{
    static const char *const type[] = {"partido", "combinacion", "independiente"};
    json_t *a = json_array();
    for (int i = 0; i < r->ncols; i++)
        json_array_append_new(a, json_pack("{s:s,s:s}", "name", r->col[i], "type",
                                           type[r->coltype[i]]));
    return a;
}

static json_t *conventions_json(const prep_recount_report *r)
{
    json_t *a = json_array();
    for (int c = 0; c < PREP_RCV__COUNT; c++) {
        const prep_recount_conv_rows *cr = &r->conv[c];
        if (!cr->count)
            continue;
        json_t *lines = json_array();
        for (size_t i = 0; i < cr->nlines; i++)
            json_array_append_new(lines, json_integer(cr->lines[i]));
        json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:o}", "name", prep_recount_conv_name(c),
                              "description", prep_recount_conv_text(c), "institutes",
                              prep_recount_conv_institutes(c), "count", (json_int_t)cr->count,
                              "lines", lines);
        if (o && cr->detail[0])
            json_object_set_new(o, "detail", json_string(cr->detail));
        json_array_append_new(a, o);
    }
    return a;
}

int prep_recount_json(const prep_recount_report *r, const char *name, prep_buf *b,
                      prep_err *err)
{
    json_t *sum = json_array();
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
        char v[32];
        prep_summary_field(&r->s, i, v, sizeof v);
        json_t *o = json_pack("{s:s,s:s}", "field", prep_summary_names[i], "recomputed", v);
        json_object_set_new(o, "published", r->present[i] ? json_string(r->published[i])
                                                          : json_null());
        json_array_append_new(sum, o);
    }
    json_t *counts = json_object();
    for (int k = 0; k < PREP_RC__COUNT; k++)
        json_object_set_new(counts, prep_recount_kind_name(k), json_integer(r->count[k]));
    json_t *list = json_array();
    for (size_t i = 0; i < r->nf; i++) {
        const prep_recount_finding *f = &r->f[i];
        json_array_append_new(
            list, json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s}", "kind",
                            prep_recount_kind_name(f->kind), "line", (json_int_t)f->line,
                            "clave", f->clave, "field", f->field, "published", f->published,
                            "recomputed", f->recomputed, "reason", f->reason));
    }
    json_t *j = json_pack(
        "{s:s,s:s,s:s,s:{s:s,s:s%,s:b},s:o,s:b,s:I,s:I,s:I,s:I,s:I,s:o,s:o,s:b,s:I,s:o,s:o,"
        "s:I}",
        "file", name, "election", r->eleccion, "corte", r->corte, "format", "encoding",
        r->encoding, "delimiter", &r->delim, (size_t)1, "sep_line", r->sep_line,
        "vote_columns", cols_json(r), "final", r->opts.final, "rows", (json_int_t)r->filas,
        "fuera_catalogo", (json_int_t)r->fuera, "sin_acta", (json_int_t)r->sin_acta,
        "especiales", (json_int_t)r->especiales, "unknown_limit", (json_int_t)r->sin_limite,
        "max_boletas_especial", r->opts.max_boletas_especial < 0 ? json_null()
                                : json_integer(r->opts.max_boletas_especial), "summary", sum,
        "consistent", r->ndiff == 0, "differences", (json_int_t)r->ndiff, "by_kind", counts,
        "list", list, "not_listed", (json_int_t)(r->ndiff - (int64_t)r->nf));
    if (j) {
        json_object_set_new(j, "columns_not_used", json_string(r->ignored));
        json_object_set_new(j, "pendientes", json_integer(r->pendientes));
        json_object_set_new(j, "incomplete", json_boolean(r->incompleto));
        json_object_set_new(j, "conventions", conventions_json(r));
    }
    char *s = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
    json_decref(j);
    if (!s)
        return prep_fail(err, PREP_E_NOMEM, "memoria insuficiente para escribir el reporte JSON");
    prep_buf_puts(b, s);
    prep_buf_putc(b, '\n');
    free(s);
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "memoria insuficiente para escribir el reporte JSON");
    return 0;
}
