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
        "duplicate", "time_order", "timestamp", "hash"};
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
    if (r->nf >= PREP_RECOUNT_MAX_KEPT)
        return;
    if (r->nf == r->capf) {
        int cap = r->capf ? r->capf * 2 : 64;
        void *p = realloc(r->f, sizeof *r->f * (size_t)cap);
        if (!p)
            return; /* counts stay exact; the list is shorter */
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

/* ---- small value readers ---------------------------------------------- */

/* A non-negative integer written with digits only (up to 15). */
int rc_parse_count(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 15)
        return -1;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return 0;
}

/* "95.0842" (any number of decimals, '.' or ',') as 1/10000ths, truncated. */
static int parse_pct(const char *s, int64_t *out)
{
    int64_t ip = 0, fp = 0;
    int nd = 0, ni = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, ni++)
        if (ni < 12)
            ip = ip * 10 + (*p - '0');
    if (ni == 0 || ni > 12)
        return -1;
    if (*p == '.' || *p == ',') {
        p++;
        for (; *p >= '0' && *p <= '9'; p++, nd++)
            if (nd < 4)
                fp = fp * 10 + (*p - '0');
    }
    while (*p == ' ')
        p++;
    if (*p == '%')
        p++;
    if (*p)
        return -1;
    for (int k = nd; k < 4; k++)
        fp *= 10;
    *out = ip * 10000 + fp;
    return 0;
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
                             "%s line %ld: %d summary values, but %s is field %d of the names",
                             x->name, line, nf, prep_summary_names[i], x->sum_at[i] + 1);
        r->present[i] = 1;
        snprintf(r->published[i], sizeof r->published[i], "%s", f[x->sum_at[i]]);
        rc_utf8_trim(r->published[i]);
    }
    int64_t esperadas;
    if (!r->present[0] || rc_parse_count(r->published[0], &esperadas) < 0)
        return prep_fail(err, PREP_E_INVALID,
                         "%s line %ld: no ACTAS_ESPERADAS number in the summary: without it "
                         "no percentage can be recomputed",
                         x->name, line);
    prep_summary_init(&r->s, esperadas);
    return 0;
}

static prep_recount_coltype coltype(const char *name)
{
    char u[64];
    rc_upper(name, u, sizeof u);
    if (strncmp(u, "CAND_IND", 8) == 0 || strncmp(u, "CI_", 3) == 0)
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
            return prep_fail(err, PREP_E_INVALID, "%s line %ld: no %s column", x->name, line,
                             need[i].what);
    /* The vote columns: the run of unknown names that ends right before
     * NO_REGISTRADOS / NULOS (whichever comes first). Unknown names elsewhere
     * are listed as not used. */
    int first = x->at[RC_COL_NOREG] < x->at[RC_COL_NULOS] ? x->at[RC_COL_NOREG]
                                                          : x->at[RC_COL_NULOS];
    int start = first;
    while (start > 0 && rc_column_role(f[start - 1]) == RC_COL_VOTE)
        start--;
    if (first - start > PREP_MAX_COLS)
        return prep_fail(err, PREP_E_INVALID, "%s line %ld: more than %d vote columns",
                         x->name, line, PREP_MAX_COLS);
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
                         "%s line %ld: no vote column before NO_REGISTRADOS / NULOS", x->name,
                         line);
    r->has_total_col = x->at[RC_COL_CALCULADO] >= 0;
    r->has_obs_col = x->at[RC_COL_OBSERVACIONES] >= 0;
    r->has_rep_col = x->at[RC_COL_REPRESENTANTES] >= 0;
    r->has_tipo_col = x->at[RC_COL_TIPO_CASILLA] >= 0;
    r->has_hash_col = x->at[RC_COL_HASH] >= 0;
    r->ntime_cols = (x->at[RC_COL_T_ACOPIO] >= 0) + (x->at[RC_COL_T_CAPTURA] >= 0) +
                    (x->at[RC_COL_T_VERIFICACION] >= 0);
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
                             "%s line %ld: acta columns before any summary header "
                             "(ACTAS_ESPERADAS, ...)",
                             x->name, line);
        if (x->nrec == 0) {
            snprintf(r->eleccion, sizeof r->eleccion, "%s", nf ? f[0] : "");
            rc_utf8_trim(r->eleccion);
        } else if (x->nrec == 1) {
            snprintf(r->corte, sizeof r->corte, "%s", nf ? f[0] : "");
            rc_utf8_trim(r->corte);
        }
        if (++x->nrec > 10)
            return prep_fail(err, PREP_E_INVALID,
                             "%s line %ld: no summary header (ACTAS_ESPERADAS, ...) in the "
                             "first lines: not a PREP results file",
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

static void duplicates(rc_ctx *x)
{
    if (x->ndup > 1)
        qsort(x->dup, x->ndup, sizeof *x->dup, cmp_dup);
    for (size_t i = 1; i < x->ndup; i++) {
        size_t first = i - 1;
        while (i < x->ndup && strcmp(x->dup[i].clave, x->dup[first].clave) == 0) {
            rc_add(x, PREP_RC_DUPLICADA, x->dup[i].line, x->dup[i].clave, "CLAVE_ACTA",
                x->dup[i].clave, "", "the same clave is also on line %ld", x->dup[first].line);
            i++;
        }
    }
}

static void compare_summary(rc_ctx *x)
{
    prep_recount_report *r = x->r;
    prep_summary_compute(&r->s, r->opts.final);
    for (int i = 1; i < PREP_SUMMARY_NFIELDS; i++) {
        if (!r->present[i])
            continue;
        int pct = i == 4 || i == 6 || i == 7 || i == 12;
        char want[32];
        prep_summary_field(&r->s, i, want, sizeof want);
        int64_t v;
        const char *pub = r->published[i];
        if ((pct ? parse_pct(pub, &v) : rc_parse_count(pub, &v)) < 0) {
            rc_add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[i], pub, want,
                "not a number; the rows give %s", want);
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
        if (i == 12) {
            /* Say so when the other corte's formula explains it. */
            prep_summary other = r->s;
            char alt[32];
            prep_summary_compute(&other, !r->opts.final);
            if (strcmp(canon, prep_summary_field(&other, i, alt, sizeof alt)) == 0) {
                rc_add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[i], pub, want,
                    "the rows give %s; %s is what the formula of %s gives (%s)", want, pub,
                    r->opts.final ? "a corte during operation" : "the final corte",
                    r->opts.final ? "drop --final" : "use --final if this is the last corte");
                continue;
            }
        }
        rc_add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[i], pub, want,
            "the rows give %s", want);
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
                       x.stage == 0   ? "no summary header (ACTAS_ESPERADAS, ...): not a PREP "
                                        "results file"
                       : x.stage == 1 ? "the file ends after the summary names"
                                      : "no acta column names (CLAVE_CASILLA, ...) after the "
                                        "summary");
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
}
