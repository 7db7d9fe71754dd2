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
        "summary fields",
        "TOTAL_VOTOS_CALCULADO of actas",
        "CONTABILIZADA against the counting rules",
        "OBSERVACIONES against the counting rules",
        "duplicated claves",
        "timestamps out of order",
        "malformed timestamps",
        "malformed hashes"};
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

int prep_recount_text(const prep_recount_report *r, const char *name, prep_buf *b,
                      prep_err *err)
{
    prep_buf_printf(b, "prep audit: %s\n", name);
    prep_buf_printf(b, "  election: %s\n  corte:    %s\n", r->eleccion[0] ? r->eleccion : "-",
                    r->corte[0] ? r->corte : "-");
    prep_buf_printf(b, "  read as:  %s, delimiter '%c'%s\n", r->encoding, r->delim,
                    r->sep_line ? ", sep= line" : "");
    prep_buf_printf(b, "  rows:     %lld (fuera de catálogo %lld, sin acta %lld, casillas "
                       "especiales %lld)\n",
                    (long long)r->filas, (long long)r->fuera, (long long)r->sin_acta,
                    (long long)r->especiales);
    prep_buf_printf(b, "  vote columns (%d): parties ", r->ncols);
    cols_of(r, PREP_RC_PARTIDO, b);
    prep_buf_puts(b, "; combinations ");
    cols_of(r, PREP_RC_COMBINACION, b);
    prep_buf_puts(b, "; independientes ");
    cols_of(r, PREP_RC_INDEPENDIENTE, b);
    prep_buf_puts(b, "; plus NO_REGISTRADOS, NULOS\n");
    if (r->nignored)
        prep_buf_printf(b, "  columns not used (%d): %s\n", r->nignored, r->ignored);
    prep_buf_printf(b, "  participación as in %s\n",
                    r->opts.final ? "the final corte (TOTAL_VOTOS_C_CS, with casillas especiales)"
                                  : "a corte during operation (TOTAL_VOTOS_S_CS, without "
                                    "casillas especiales; --final for the last corte)");
    if (r->opts.max_boletas_especial >= 0)
        prep_buf_printf(b, "  casillas especiales: %ld boletas each (--max-boletas-especial)\n",
                        r->opts.max_boletas_especial);
    if (r->sin_limite)
        prep_buf_printf(b, "  actas without a known limit: %lld (casillas especiales need "
                           "--max-boletas-especial N, or no LISTA_NOMINAL): their EXCEDE LISTA "
                           "NOMINAL verdict is taken as published\n",
                        (long long)r->sin_limite);
    if (!r->has_total_col)
        prep_buf_puts(b, "  no TOTAL_VOTOS_CALCULADO column: totals are computed, not compared\n");
    if (!r->has_obs_col)
        prep_buf_puts(b, "  no OBSERVACIONES column: sin acta cannot be told apart; reasons not "
                         "compared\n");

    char head[40];
    snprintf(head, sizeof head, "summary (line %ld)", r->summary_line);
    prep_buf_printf(b, "\n  %-36s %16s %16s\n", head, "published", "recomputed");
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
        char v[32];
        prep_summary_field(&r->s, i, v, sizeof v);
        int differs = 0;
        for (int k = 0; k < r->nf; k++)
            if (r->f[k].kind == PREP_RC_RESUMEN && strcmp(r->f[k].field, prep_summary_names[i]) == 0)
                differs = 1;
        prep_buf_printf(b, "  %-36s %16s %16s%s\n", prep_summary_names[i],
                        r->present[i] ? r->published[i] : "(absent)",
                        i == 0 ? "(as published)" : v, differs ? "   <- differs" : "");
    }

    prep_buf_printf(b, "\n");
    for (int k = 0; k < PREP_RC__COUNT; k++) {
        if (!r->count[k])
            continue;
        prep_buf_printf(b, "  %s: %lld\n", kind_title(k), (long long)r->count[k]);
        for (int i = 0; i < r->nf; i++) {
            const prep_recount_finding *f = &r->f[i];
            if (f->kind != (prep_recount_kind)k)
                continue;
            prep_buf_printf(b, "    line %ld", f->line);
            if (f->clave[0])
                prep_buf_printf(b, " (%s)", f->clave);
            prep_buf_printf(b, ": %s '%s'", f->field, f->published);
            if (f->recomputed[0] && k != PREP_RC_ORDEN)
                prep_buf_printf(b, ", recomputed '%s'", f->recomputed);
            prep_buf_printf(b, ": %s\n", f->reason);
        }
    }
    if (r->ndiff > r->nf)
        prep_buf_printf(b, "  (%lld more not listed)\n", (long long)(r->ndiff - r->nf));
    if (r->ndiff)
        prep_buf_printf(b, "result: %lld difference%s found\n", (long long)r->ndiff,
                        r->ndiff == 1 ? "" : "s");
    else
        prep_buf_puts(b, "result: consistent: every published number is what the rules give\n");
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing the report");
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
    for (int i = 0; i < r->nf; i++) {
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
        "list", list, "not_listed", (json_int_t)(r->ndiff - r->nf));
    if (j)
        json_object_set_new(j, "columns_not_used", json_string(r->ignored));
    char *s = j ? json_dumps(j, JSON_INDENT(2)) : NULL;
    json_decref(j);
    if (!s)
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing the JSON report");
    prep_buf_puts(b, s);
    prep_buf_putc(b, '\n');
    free(s);
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing the JSON report");
    return 0;
}
