/* recount.c — recompute a published results CSV from its rows (see
 * recount.h): find the header block and the acta columns, hand each acta
 * row to acta_check.c, then look for duplicated claves and compare the 13
 * summary fields with prep_summary_compute over the rows. It decides nothing
 * itself: every verdict is core/rules.c's, every sum core/tally.c's.
 * Cannot-read errors stop with the line; all else is a report difference. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rules.h"
#include "core/tally.h"
#include "recount/recount.h"
#include "recount/recount_int.h"


const char *prep_recount_kind_name(prep_recount_kind k)
{
    static const char *const names[PREP_RC__COUNT] = {
        "summary", "total", "contabilizada", "observaciones",
        "duplicate", "time_order", "timestamp", "hash", "value"};
    return k >= 0 && k < PREP_RC__COUNT ? names[k] : "?";
}

/* Cut an incomplete UTF-8 sequence left at the end of s by a truncating
 * snprintf, so every text in the report stays valid UTF-8 (JSON needs it). */
void rc_utf8_trim(char *s)
{
    size_t n = strlen(s), k = n;
    while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
        k--;
    if (k == 0)
        return;
    unsigned char lead = (unsigned char)s[k - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (k - 1) < want)
        s[k - 1] = '\0';
}

void rc_add(rc_ctx *x, prep_recount_kind kind, long line, const char *clave, const char *field,
            const char *pub, const char *rec, const char *fmt, ...)
{
    prep_recount_report *r = x->r;
    r->count[kind]++;
    r->ndiff++;
    if (r->nf == r->capf) {
        size_t cap = r->capf ? r->capf * 2 : 64;
        void *p = realloc(r->f, sizeof *r->f * cap);
        if (!p) {
            r->nomem = 1; /* counts stay exact; the list is shorter, and says so */
            return;
        }
        r->f = p;
        r->capf = cap;
    }
    prep_recount_finding *f = &r->f[r->nf++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->line = line;
    snprintf(f->clave, sizeof f->clave, "%s", clave ? clave : "");
    snprintf(f->field, sizeof f->field, "%s", field ? field : "");
    snprintf(f->published, sizeof f->published, "%s", pub ? pub : "");
    snprintf(f->recomputed, sizeof f->recomputed, "%s", rec ? rec : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->reason, sizeof f->reason, fmt, ap);
    va_end(ap);
    rc_utf8_trim(f->clave);
    rc_utf8_trim(f->field);
    rc_utf8_trim(f->published);
    rc_utf8_trim(f->recomputed);
    rc_utf8_trim(f->reason);
}

/* ---- the header block ------------------------------------------------- */

static int has_role(int nf, char **f, rc_col_role a, rc_col_role b)
{
    for (int i = 0; i < nf; i++) {
        rc_col_role k = rc_column_role(f[i]);
        if (k == a || k == b)
            return 1;
    }
    return 0;
}

static int summary_names(rc_ctx *x, long line, int nf, char **f)
{
    int any = 0;
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++)
        x->sum_at[i] = -1;
    for (int i = 0; i < nf; i++) {
        char u[32];
        rc_upper(f[i], u, sizeof u);
        if (strcmp(u, "ACTAS_COMPUTADAS") == 0)
            x->computos = 1;
        int k = rc_summary_index(f[i]);
        if (k >= 0 && x->sum_at[k] < 0) {
            x->sum_at[k] = i;
            any = 1;
        }
    }
    (void)line;
    return any;
}

static int summary_values(rc_ctx *x, long line, int nf, char **f, prep_err *err)
{
    prep_recount_report *r = x->r;
    r->summary_line = line;
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
        if (x->sum_at[i] < 0)
            continue;
        if (x->sum_at[i] >= nf)
            return prep_fail(err, PREP_E_INVALID,
                             "%s línea %ld: %d valores en el resumen, pero %s es el campo %d de "
                             "los nombres",
                             x->name, line, nf, prep_summary_names[i], x->sum_at[i] + 1);
        r->present[i] = 1;
        snprintf(r->published[i], sizeof r->published[i], "%s", f[x->sum_at[i]]);
        rc_utf8_trim(r->published[i]);
    }
    int64_t esperadas;
    if (!r->present[0] || rc_parse_count(r->published[0], &esperadas) < 0)
        return prep_fail(err, PREP_E_INVALID,
                         "%s línea %ld: el resumen no trae ACTAS_ESPERADAS como número: sin ese "
                         "dato no se puede recalcular ningún porcentaje",
                         x->name, line);
    prep_summary_init(&r->s, esperadas);
    prep_summary_init(&r->sp, esperadas);
    return 0;
}

static prep_recount_coltype coltype(const char *name)
{
    char u[64];
    rc_upper(name, u, sizeof u);
    if (strncmp(u, "CAND_IND", 8) == 0 || strncmp(u, "CI_", 3) == 0 || strncmp(u, "C_I_", 4) == 0)
        return PREP_RC_INDEPENDIENTE;
    if (strncmp(u, "C_", 2) == 0 || strchr(u, '_'))
        return PREP_RC_COMBINACION;
    return PREP_RC_PARTIDO;
}

static int columns(rc_ctx *x, long line, int nf, char **f, prep_err *err)
{
    prep_recount_report *r = x->r;
    for (int k = 0; k < RC_COL__COUNT; k++)
        x->at[k] = -1;
    for (int i = 0; i < nf; i++) {
        rc_col_role k = rc_column_role(f[i]);
        if (k != RC_COL_VOTE && x->at[k] < 0)
            x->at[k] = i;
    }
    static const struct {
        rc_col_role role;
        const char *what;
    } need[] = {
        {RC_COL_NOREG, "NO_REGISTRADOS / NO_REGISTRADAS"},
        {RC_COL_NULOS, "NULOS"},
        {RC_COL_CONTABILIZADA, "CONTABILIZADA"},
        {RC_COL_LISTA_NOMINAL, "LISTA_NOMINAL"},
    };
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (x->at[need[i].role] < 0)
            return prep_fail(err, PREP_E_INVALID, "%s línea %ld: no hay columna %s", x->name, line,
                             need[i].what);
    /* The vote columns: the run of unknown names that ends right before
     * NO_REGISTRADOS / NULOS (whichever comes first). Unknown names elsewhere
     * are listed as not used. */
    int first = x->at[RC_COL_NOREG] < x->at[RC_COL_NULOS] ? x->at[RC_COL_NOREG]
                                                          : x->at[RC_COL_NULOS];
    int start = first;
    while (start > 0 && rc_column_role(f[start - 1]) == RC_COL_VOTE)
        start--;
    if (first - start > PREP_RECOUNT_MAX_COLS)
        return prep_fail(err, PREP_E_INVALID, "%s línea %ld: más de %d columnas de votos",
                         x->name, line, PREP_RECOUNT_MAX_COLS);
    for (int i = start; i < first; i++) {
        x->vote_at[r->ncols] = i;
        snprintf(r->col[r->ncols], sizeof r->col[0], "%s", f[i]);
        rc_utf8_trim(r->col[r->ncols]);
        r->coltype[r->ncols] = coltype(f[i]);
        r->ncols++;
    }
    for (int i = 0; i < nf; i++) {
        if ((i >= start && i < first) || rc_column_role(f[i]) != RC_COL_VOTE)
            continue;
        size_t len = strlen(r->ignored);
        if (len + strlen(f[i]) + 3 < sizeof r->ignored)
            snprintf(r->ignored + len, sizeof r->ignored - len, "%s%s", len ? ", " : "", f[i]);
        r->nignored++;
    }
    rc_utf8_trim(r->ignored);
    if (r->ncols == 0)
        return prep_fail(err, PREP_E_INVALID,
                         "%s línea %ld: no hay columnas de votos antes de NO_REGISTRADOS / NULOS",
                         x->name, line);
    r->has_total_col = x->at[RC_COL_CALCULADO] >= 0;
    r->has_obs_col = x->at[RC_COL_OBSERVACIONES] >= 0;
    r->has_rep_col = x->at[RC_COL_REPRESENTANTES] >= 0;
    r->has_tipo_col = x->at[RC_COL_TIPO_CASILLA] >= 0;
    r->has_hash_col = x->at[RC_COL_HASH] >= 0;
    r->ntime_cols = (x->at[RC_COL_T_ACOPIO] >= 0) + (x->at[RC_COL_T_CAPTURA] >= 0) +
                    (x->at[RC_COL_T_VERIFICACION] >= 0);
    while (nf > 0 && !f[nf - 1][0])
        nf--; /* spreadsheet padding after the last name */
    x->ncolumns = nf;
    x->columns_line = line;
    return 0;
}

static int on_row(void *ctx, long line, int nf, char **f, prep_err *err)
{
    rc_ctx *x = ctx;
    prep_recount_report *r = x->r;
    switch (x->stage) {
    case 0:
        if (summary_names(x, line, nf, f)) {
            x->stage = 1;
            return 0;
        }
        if (has_role(nf, f, RC_COL_CLAVE_CASILLA, RC_COL_CLAVE_ACTA))
            return prep_fail(err, PREP_E_INVALID,
                             "%s línea %ld: columnas de actas antes del encabezado del resumen "
                             "(ACTAS_ESPERADAS, ...): no es una base de datos del PREP "
                             "(Anexo 18.5)",
                             x->name, line);
        for (int i = 0; i < nf && x->nrec == 0; i++) {
            char u[32];
            rc_upper(f[i], u, sizeof u);
            if (strcmp(u, "CANDIDATURA") == 0 || strcmp(u, "PARTIDO_CI") == 0)
                return prep_fail(err, PREP_E_INVALID,
                                 "%s línea %ld: es un catálogo de candidaturas (PARTIDO_CI, "
                                 "CANDIDATURA), no una base de datos de resultados: audite el "
                                 "archivo de resultados que lo acompaña",
                                 x->name, line);
        }
        if (x->nrec == 0) {
            snprintf(r->eleccion, sizeof r->eleccion, "%s", nf ? f[0] : "");
            rc_utf8_trim(r->eleccion);
        } else if (x->nrec == 1) {
            snprintf(r->corte, sizeof r->corte, "%s", nf ? f[0] : "");
            rc_utf8_trim(r->corte);
        }
        if (++x->nrec > 10)
            return prep_fail(err, PREP_E_INVALID,
                             "%s línea %ld: no hay encabezado de resumen (ACTAS_ESPERADAS, ...) "
                             "en las primeras líneas: no es una base de datos de resultados "
                             "del PREP (Anexo 18.5)",
                             x->name, line);
        return 0;
    case 1:
        x->stage = 2;
        return summary_values(x, line, nf, f, err);
    case 2:
        if (!has_role(nf, f, RC_COL_CLAVE_CASILLA, RC_COL_CLAVE_ACTA))
            return 0; /* a note between the header block and the table */
        x->stage = 3;
        return columns(x, line, nf, f, err);
    default:
        return rc_acta_row(x, line, nf, f, err);
    }
}

/* ---- after the rows --------------------------------------------------- */

static int cmp_dup(const void *a, const void *b)
{
    const rc_dup *p = a, *q = b;
    int c = strcmp(p->clave, q->clave);
    return c ? c : (p->line > q->line) - (p->line < q->line);
}

/* The same clave on two rows is a difference, unless the rows are of two
 * units (IEEC 2021: a sección split between Champotón and Seybaplaya keeps
 * its casillas' claves in both municipios), which is a convention. */
static void duplicates(rc_ctx *x)
{
    if (x->ndup > 1)
        qsort(x->dup, x->ndup, sizeof *x->dup, cmp_dup);
    for (size_t i = 1; i < x->ndup; i++) {
        size_t first = i - 1;
        while (i < x->ndup && strcmp(x->dup[i].clave, x->dup[first].clave) == 0) {
            int other_unit = 1;
            for (size_t k = first; k < i; k++)
                other_unit = other_unit && x->dup[k].unidad[0] &&
                             strcmp(x->dup[k].unidad, x->dup[i].unidad) != 0;
            if (other_unit) {
                if (i == first + 1)
                    rc_convention(x, PREP_RCV_CLAVE_DOS_UNIDADES, x->dup[first].line);
                rc_convention(x, PREP_RCV_CLAVE_DOS_UNIDADES, x->dup[i].line);
            } else {
                rc_add(x, PREP_RC_DUPLICADA, x->dup[i].line, x->dup[i].clave, "CLAVE_ACTA",
                    x->dup[i].clave, "", "la misma clave está también en la línea %ld",
                    x->dup[first].line);
            }
            i++;
        }
    }
}

/* Summary fields another formula explains, tried when the rules' one does
 * not match: each is a convention some institute is known to follow. s is
 * the recount (the rules' verdicts, or the rows' published ones) and inc_nc
 * its inconsistent actas left out of the count. With record 0 it only says
 * whether one matches. */
static int summary_convention(rc_ctx *x, int i, const char *canon, const prep_summary *s,
                              int64_t inc_nc, int record)
{
    prep_recount_report *r = x->r;
    char alt[32];
    if (i == 1) {
        /* ACTAS_REGISTRADAS without the fuera de catálogo, or with the
         * expected actas not yet received. */
        struct {
            int64_t v;
            const char *what;
        } f[] = {{s->capturadas, "ACTAS_CAPTURADAS: sin las actas fuera de catálogo"},
                 {s->registradas + r->pendientes,
                  "todas las filas de actas del catálogo, también las aún no recibidas"}};
        for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
            snprintf(alt, sizeof alt, "%lld", (long long)f[k].v);
            if (strcmp(canon, alt) == 0) {
                if (!record)
                    return 1;
                rc_convention(x, PREP_RCV_REGISTRADAS, r->summary_line);
                snprintf(r->conv[PREP_RCV_REGISTRADAS].detail,
                         sizeof r->conv[PREP_RCV_REGISTRADAS].detail, "%s", f[k].what);
                return 1;
            }
        }
    }
    if (i == 7) {
        prep_pct_fmt(prep_pct_e4(inc_nc, s->esperadas), alt, sizeof alt);
        if (strcmp(canon, alt) == 0) {
            if (record)
                rc_convention(x, PREP_RCV_INCONSISTENCIAS, r->summary_line);
            return 1;
        }
    }
    if (i == 4 || i == 6 || i == 7 || i == 12) {
        /* Rounded to the 4th decimal instead of truncated. */
        int64_t num = i == 4 ? s->capturadas : i == 6 ? s->contabilizadas
                    : i == 7 ? s->inconsistentes
                    : (r->opts.final ? s->votos_c_cs : s->votos_s_cs);
        int64_t den = i == 12 ? s->lista_nominal : s->esperadas;
        if (den > 0 && num > 0) {
            prep_pct_fmt((num * 2000000 + den) / (2 * den), alt, sizeof alt);
            if (strcmp(canon, alt) == 0) {
                if (record)
                    rc_convention(x, PREP_RCV_REDONDEO, r->summary_line);
                return 1;
            }
        }
    }
    if (i == 12) {
        /* The other corte's formula (with / without casillas especiales). */
        prep_summary other = *s;
        prep_summary_compute(&other, !r->opts.final);
        if (strcmp(canon, prep_summary_field(&other, i, alt, sizeof alt)) == 0) {
            if (!record)
                return 1;
            rc_convention(x, PREP_RCV_PARTICIPACION, r->summary_line);
            snprintf(r->conv[PREP_RCV_PARTICIPACION].detail,
                     sizeof r->conv[PREP_RCV_PARTICIPACION].detail, "%s",
                     r->opts.final ? "TOTAL_VOTOS_S_CS (sin casillas especiales) aunque se indicó "
                                                   "--final; si no es el último corte, quite --final"
                                   : "TOTAL_VOTOS_C_CS (con casillas especiales) durante la "
                                     "operación; si es el último corte, use --final");
            return 1;
        }
    }
    return 0;
}

static void compare_summary(rc_ctx *x)
{
    prep_recount_report *r = x->r;
    prep_summary_compute(&r->s, r->opts.final);
    prep_summary_compute(&r->sp, r->opts.final);
    /* A file with far fewer rows than its header registers is incomplete (an
     * excerpt, or cut): its header describes rows that are not there. */
    int64_t registradas;
    if (r->present[1] && rc_parse_count(r->published[1], &registradas) == 0 &&
        r->s.registradas * 2 < registradas) {
        r->incompleto = 1;
        if (!r->opts.extracto) {
            char rows[24];
            snprintf(rows, sizeof rows, "%lld", (long long)r->s.registradas);
            rc_add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[1],
                r->published[1], rows,
                "el archivo trae %lld filas de actas registradas y el resumen dice %lld: el "
                "archivo está incompleto (un extracto, o cortado); el resto del resumen no se "
                "compara (use --extracto si es un extracto a propósito)",
                (long long)r->s.registradas, (long long)registradas);
        }
        return;
    }
    for (int i = 1; i < PREP_SUMMARY_NFIELDS; i++) {
        if (!r->present[i])
            continue;
        int pct = i == 4 || i == 6 || i == 7 || i == 12;
        char want[32];
        prep_summary_field(&r->s, i, want, sizeof want);
        int64_t v;
        const char *pub = r->published[i];
        if (rc_absent(pub) && (strcmp(want, "0") == 0 || strcmp(want, "0.0000") == 0))
            continue; /* nothing published where there is nothing to count (IEEC 2021) */
        if ((pct ? rc_parse_pct(pub, &v) : rc_parse_count(pub, &v)) < 0) {
            rc_add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[i], pub, want,
                "no es un número; las filas dan %s", want);
            continue;
        }
        /* Compare canonical texts: "95.084" and "95.08420" are 95.0840. */
        char canon[32];
        if (pct)
            prep_pct_fmt(v, canon, sizeof canon);
        else
            snprintf(canon, sizeof canon, "%lld", (long long)v);
        if (strcmp(canon, want) == 0)
            continue;
        /* Does the header follow what its own rows publish? Then the
         * difference comes from the actas listed above, and the auditor
         * should know. Tried before the conventions, so that a convention
         * that happens to give the same number never hides a wrong row. */
        char asrows[32];
        prep_summary_field(&r->sp, i, asrows, sizeof asrows);
        int follows_rows = strcmp(canon, asrows) == 0;
        if (!follows_rows &&
            summary_convention(x, i, canon, &r->s, r->inconsistentes_no_contab, 1))
            continue;
        if (follows_rows || summary_convention(x, i, canon, &r->sp, r->inc_nc_publicado, 0))
            rc_add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[i], pub, want,
                "las filas dan %s según las reglas; el resumen publicado sí corresponde a la "
                "CONTABILIZADA y OBSERVACIONES que publican las filas: la diferencia viene de "
                "las actas señaladas",
                want);
        else
            rc_add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[i], pub, want,
                "las filas dan %s", want);
    }
}

int prep_recount_buffer(const char *data, size_t len, const char *name,
                        const prep_recount_opts *opts, prep_recount_report *out, prep_err *err)
{
    memset(out, 0, sizeof *out);
    out->opts = *opts;
    rc_text t;
    if (rc_text_decode(data, len, name, &t, err) < 0)
        return -1;
    out->encoding = t.encoding;
    out->delim = t.delim;
    out->sep_line = t.sep_line;
    rc_ctx x = {.r = out, .name = name};
    int rc = rc_rows(&t, name, on_row, &x, err);
    if (rc == 0 && x.stage < 3)
        rc = prep_fail(err, PREP_E_INVALID, "%s: %s", name,
                       x.computos
                           ? "es una base de datos de cómputos (ACTAS_COMPUTADAS en el resumen, "
                             "actas sin CLAVE_CASILLA ni CONTABILIZADA), no del PREP: prep audit "
                             "lee las bases de datos de resultados del PREP (Anexo 18.5)"
                       : x.stage == 0 ? "no hay encabezado de resumen (ACTAS_ESPERADAS, ...): no "
                                        "es una base de datos de resultados del PREP"
                       : x.stage == 1 ? "el archivo termina después de los nombres del resumen"
                                      : "no hay nombres de columnas de actas (CLAVE_CASILLA, ...) "
                                        "después del resumen: no es una base de datos de "
                                        "resultados del PREP");
    if (rc == 0) {
        duplicates(&x);
        compare_summary(&x);
    }
    free(x.dup);
    rc_text_free(&t);
    if (rc < 0) {
        prep_recount_report_free(out);
        memset(out, 0, sizeof *out);
    }
    return rc;
}

void prep_recount_report_free(prep_recount_report *r)
{
    free(r->f);
    r->f = NULL;
    r->nf = r->capf = 0;
    for (int c = 0; c < PREP_RCV__COUNT; c++) {
        free(r->conv[c].lines);
        r->conv[c].lines = NULL;
        r->conv[c].nlines = r->conv[c].cap = 0;
    }
}
