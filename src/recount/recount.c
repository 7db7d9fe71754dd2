/* recount.c — recompute a published results CSV from its rows (see
 * recount.h): find the header block and the acta columns, then for each acta
 * evaluate the Anexo 13 rules with prep_rules_eval / prep_rules_sin_acta and
 * count it with prep_summary_add, comparing what was published with what the
 * rules give. It decides nothing itself: every verdict is core/rules.c's,
 * every sum core/tally.c's. Cannot-read errors stop with the line; everything
 * else is a difference in the report. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/rules.h"
#include "core/tally.h"
#include "recount/recount.h"
#include "recount/recount_int.h"
#include "util/timefmt.h"

typedef struct {
    char clave[48];
    long line;
} dup_entry;

typedef struct {
    prep_recount_report *r;
    const char *name;
    int stage;                  /* 0 preamble, 1 summary values, 2 columns, 3 actas */
    int nrec;                   /* records before the summary names */
    int sum_at[PREP_SUMMARY_NFIELDS]; /* field index of each summary name, -1 absent */
    long columns_line;
    int ncolumns;
    int at[RC_COL__COUNT];      /* field index of each role, -1 absent */
    int vote_at[PREP_MAX_COLS];
    dup_entry *dup;
    size_t ndup, capdup;
} ctx_t;

const char *prep_recount_kind_name(prep_recount_kind k)
{
    static const char *const names[PREP_RC__COUNT] = {
        "summary", "total", "contabilizada", "observaciones",
        "duplicate", "time_order", "timestamp", "hash"};
    return k >= 0 && k < PREP_RC__COUNT ? names[k] : "?";
}

/* Cut an incomplete UTF-8 sequence left at the end of s by a truncating
 * snprintf, so every text in the report stays valid UTF-8 (JSON needs it). */
static void utf8_trim(char *s)
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

static void add(ctx_t *x, prep_recount_kind kind, long line, const char *clave,
                const char *field, const char *pub, const char *rec, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

static void add(ctx_t *x, prep_recount_kind kind, long line, const char *clave,
                const char *field, const char *pub, const char *rec, const char *fmt, ...)
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
    utf8_trim(f->clave);
    utf8_trim(f->field);
    utf8_trim(f->published);
    utf8_trim(f->recomputed);
    utf8_trim(f->reason);
}

/* ---- small value readers ---------------------------------------------- */

/* A non-negative integer written with digits only (up to 15). */
static int parse_count(const char *s, int64_t *out)
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

/* The clave as typed, without the spreadsheet wrappers ="..." and '...'. */
static void unwrap(const char *s, char *out, size_t cap)
{
    size_t n = strlen(s);
    if (n >= 3 && s[0] == '=' && s[1] == '"' && s[n - 1] == '"') {
        s += 2;
        n -= 3;
    } else if (n >= 2 && s[0] == '\'' && s[n - 1] == '\'') {
        s += 1;
        n -= 2;
    } else if (n >= 1 && s[0] == '\'') {
        s += 1;
        n -= 1;
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s, n);
    out[n] = '\0';
}

/* "" "-" "N/A" and "NULL" mean nothing is published in that cell. */
static int absent(const char *s)
{
    return !*s || strcmp(s, "-") == 0 || strcasecmp(s, "N/A") == 0 || strcasecmp(s, "NULL") == 0;
}

/* A vote field: a number, Ilegible / Sin dato (any case), "-", or empty
 * ("-": nothing published there). */
static int parse_vote(const char *s, prep_val *out)
{
    if (absent(s)) {
        *out = PREP_V_NA;
        return 0;
    }
    return prep_val_parse(s, out);
}

static int is_hex64(const char *s)
{
    if (strlen(s) != 64)
        return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
            return 0;
    return 1;
}

/* The rule flags an OBSERVACIONES text states, whatever the institute's
 * wording: item by item (comma separated), TODOS... = every field, EXCEDE...,
 * SIN ACTA..., and any other mention of ILEGIBLE / SIN DATO = some field. */
static unsigned obs_flags(const char *obs)
{
    char u[512];
    rc_upper(obs, u, sizeof u);
    unsigned fl = 0;
    char *save = NULL;
    for (char *item = strtok_r(u, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        if (strstr(item, "SIN ACTA"))
            fl |= PREP_OBS_SIN_ACTA;
        else if (strstr(item, "TODOS"))
            fl |= PREP_OBS_TODOS_ILEGIBLES;
        else if (strstr(item, "EXCEDE"))
            fl |= PREP_OBS_EXCEDE_LN;
        else if (strstr(item, "ILEGIBLE") || strstr(item, "SIN DATO"))
            fl |= PREP_OBS_ALGUN_ILEGIBLE;
    }
    return fl;
}

#define RC_MAX_LIMIT 100000000

#define RULE_FLAGS \
    (PREP_OBS_EXCEDE_LN | PREP_OBS_ALGUN_ILEGIBLE | PREP_OBS_TODOS_ILEGIBLES | PREP_OBS_SIN_ACTA)

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

static int summary_names(ctx_t *x, long line, int nf, char **f)
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

static int summary_values(ctx_t *x, long line, int nf, char **f, prep_err *err)
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
        utf8_trim(r->published[i]);
    }
    int64_t esperadas;
    if (!r->present[0] || parse_count(r->published[0], &esperadas) < 0)
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

static int columns(ctx_t *x, long line, int nf, char **f, prep_err *err)
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
        utf8_trim(r->col[r->ncols]);
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
    utf8_trim(r->ignored);
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

/* ---- one acta row ----------------------------------------------------- */

#define COL(role) (x->at[role] >= 0 ? f[x->at[role]] : "")

static void check_hash_and_times(ctx_t *x, long line, const char *clave, char **f)
{
    if (x->at[RC_COL_HASH] >= 0) {
        const char *h = f[x->at[RC_COL_HASH]];
        if (!absent(h) && !is_hex64(h))
            add(x, PREP_RC_HASH, line, clave, "CODIGO_INTEGRIDAD", h, "",
                "not a SHA-256 (64 hexadecimal digits)");
    }
    static const rc_col_role tr[3] = {RC_COL_T_ACOPIO, RC_COL_T_CAPTURA, RC_COL_T_VERIFICACION};
    static const char *const tn[3] = {"FECHA_HORA_ACOPIO", "FECHA_HORA_CAPTURA",
                                      "FECHA_HORA_VERIFICACION"};
    prep_time t[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (x->at[tr[i]] < 0 || absent(f[x->at[tr[i]]]))
            continue;
        if (prep_time_parse(f[x->at[tr[i]]], &t[i]) < 0) {
            add(x, PREP_RC_FECHA, line, clave, tn[i], f[x->at[tr[i]]], "",
                "not a date-time dd/mm/AAAA HH:MM[:SS] or AAAA-MM-DD HH:MM[:SS]");
            t[i] = 0;
        }
    }
    if (t[0] && t[1] && t[1] < t[0])
        add(x, PREP_RC_ORDEN, line, clave, "FECHA_HORA_CAPTURA", f[x->at[tr[1]]],
            f[x->at[tr[0]]], "captured before its acopio (FECHA_HORA_ACOPIO %s)",
            f[x->at[tr[0]]]);
    if (t[1] && t[2] && t[2] < t[1])
        add(x, PREP_RC_ORDEN, line, clave, "FECHA_HORA_VERIFICACION", f[x->at[tr[2]]],
            f[x->at[tr[1]]], "verified before its captura (FECHA_HORA_CAPTURA %s)",
            f[x->at[tr[1]]]);
}

static int remember_clave(ctx_t *x, const char *clave, long line, prep_err *err)
{
    if (x->ndup == x->capdup) {
        size_t cap = x->capdup ? x->capdup * 2 : 1024;
        void *p = realloc(x->dup, sizeof *x->dup * cap);
        if (!p)
            return prep_fail(err, PREP_E_NOMEM, "%s: out of memory", x->name);
        x->dup = p;
        x->capdup = cap;
    }
    dup_entry *d = &x->dup[x->ndup++];
    snprintf(d->clave, sizeof d->clave, "%s", clave);
    d->line = line;
    return 0;
}

/* Why the rules decide what they decide, for the report. */
static void explain(const prep_rule_result *res, int unknown_limit, char *buf, size_t cap)
{
    char obs[200];
    prep_rules_observaciones(res, obs, sizeof obs);
    if (res->obs & PREP_OBS_SIN_ACTA)
        snprintf(buf, cap, "%s: never contabilizada", obs);
    else if (res->obs & PREP_OBS_TODOS_ILEGIBLES)
        snprintf(buf, cap, "no vote field holds a number (TODOS ILEGIBLES O SIN DATO)");
    else if ((res->obs & PREP_OBS_EXCEDE_LN) && unknown_limit)
        snprintf(buf, cap, "published as EXCEDE LISTA NOMINAL (limit unknown here)");
    else if (res->obs & PREP_OBS_EXCEDE_LN)
        snprintf(buf, cap, "total calculado %lld exceeds the limit %lld (EXCEDE LISTA NOMINAL)",
                 (long long)res->total_calculado, (long long)res->limite);
    else if (unknown_limit)
        snprintf(buf, cap, "total calculado %lld, limit unknown here",
                 (long long)res->total_calculado);
    else
        snprintf(buf, cap, "total calculado %lld within the limit %lld%s",
                 (long long)res->total_calculado, (long long)res->limite,
                 res->obs & PREP_OBS_ALGUN_ILEGIBLE ? ", some field Ilegible or Sin dato" : "");
}

static int acta_row(ctx_t *x, long line, int nf, char **f, prep_err *err)
{
    prep_recount_report *r = x->r;
    if (nf == x->ncolumns + 1 && f[nf - 1][0] == '\0')
        nf--; /* a trailing delimiter */
    if (nf != x->ncolumns)
        return prep_fail(err, PREP_E_INVALID, "%s line %ld: %d fields, the column names (line "
                         "%ld) are %d", x->name, line, nf, x->columns_line, x->ncolumns);
    r->filas++;
    char casilla[48], clave[48];
    unwrap(COL(RC_COL_CLAVE_CASILLA), casilla, sizeof casilla);
    unwrap(x->at[RC_COL_CLAVE_ACTA] >= 0 ? f[x->at[RC_COL_CLAVE_ACTA]] : casilla, clave,
           sizeof clave);
    const char *contab = COL(RC_COL_CONTABILIZADA);
    const char *obs = COL(RC_COL_OBSERVACIONES);
    char obs_u[256];
    rc_upper(obs, obs_u, sizeof obs_u);
    int fuera = strcmp(contab, "2") == 0 || strstr(obs_u, "FUERA DE CAT") != NULL ||
                (x->at[RC_COL_CLAVE_CASILLA] >= 0 ? absent(casilla) : absent(clave));
    check_hash_and_times(x, line, fuera ? "fuera de catálogo" : clave, f);
    if (fuera) {
        r->fuera++;
        prep_summary_add_fuera(&r->s);
        return 0;
    }
    if (remember_clave(x, clave, line, err) < 0)
        return -1;

    char tipo[8];
    rc_upper(r->has_tipo_col ? f[x->at[RC_COL_TIPO_CASILLA]] : "", tipo, sizeof tipo);
    int especial = r->has_tipo_col ? strcmp(tipo, "S") == 0
                                   : strlen(casilla) >= 7 && casilla[6] == 'S';
    r->especiales += especial;
    int64_t ln = 0, rep = 0;
    /* Limits beyond any casilla (over 10^8) are treated as unreadable numbers. */
    int ln_known = parse_count(COL(RC_COL_LISTA_NOMINAL), &ln) == 0 && ln <= RC_MAX_LIMIT;
    if (!ln_known)
        ln = 0;
    if (r->has_rep_col &&
        (parse_count(f[x->at[RC_COL_REPRESENTANTES]], &rep) < 0 || rep > RC_MAX_LIMIT))
        rep = 0;
    unsigned published_obs = obs_flags(obs);
    int unknown_limit = 0;
    prep_rule_result res;
    if (published_obs & PREP_OBS_SIN_ACTA) {
        int motivo = 0;
        for (int m = 1; m < PREP_SIN_ACTA__COUNT; m++)
            if (strcmp(obs_u, prep_sin_acta_texto(m)) == 0)
                motivo = m;
        r->sin_acta++;
        prep_rules_sin_acta(motivo, &res);
    } else {
        prep_val vals[PREP_MAX_FIELDS];
        int ncols = r->ncols;
        for (int k = 0; k < PREP_NFIELDS(ncols); k++)
            vals[k] = 0; /* cuadre fields and TOTAL_VOTOS_ASENTADO: not rule inputs */
        for (int k = 0; k < ncols + 2; k++) {
            int at = k < ncols ? x->vote_at[k] : k == ncols ? x->at[RC_COL_NOREG]
                                                            : x->at[RC_COL_NULOS];
            const char *name = k < ncols ? r->col[k] : k == ncols ? "NO_REGISTRADOS" : "NULOS";
            if (parse_vote(f[at], &vals[PREP_F_COL0 + k]) < 0)
                return prep_fail(err, PREP_E_INVALID,
                                 "%s line %ld (%s): %s is '%s': not a number, Ilegible, Sin "
                                 "dato or -",
                                 x->name, line, clave, name, f[at]);
        }
        unknown_limit = especial ? r->opts.max_boletas_especial < 0 : !ln_known;
        prep_rule_limits lim = {.especial = especial || unknown_limit,
                                .lista_nominal = (int)ln,
                                .representantes = (int)rep,
                                .boletas = especial && !unknown_limit
                                               ? (int)r->opts.max_boletas_especial
                                               : 1 << 30};
        prep_rules_eval(vals, ncols, &lim, &res);
        if (unknown_limit && (published_obs & PREP_OBS_EXCEDE_LN)) {
            /* The limit cannot be known from the file: take the published
             * verdict, with a limit below any total (-1). */
            lim.boletas = -(int)rep - 1;
            prep_rules_eval(vals, ncols, &lim, &res);
        }
        r->sin_limite += unknown_limit;
        if (r->has_total_col) {
            const char *pub = f[x->at[RC_COL_CALCULADO]];
            int64_t t;
            char want[24];
            snprintf(want, sizeof want, "%lld", (long long)res.total_calculado);
            if (parse_count(pub, &t) < 0)
                add(x, PREP_RC_TOTAL, line, clave, "TOTAL_VOTOS_CALCULADO", pub, want,
                    "not a number; the vote fields add up to %s", want);
            else if (t != res.total_calculado)
                add(x, PREP_RC_TOTAL, line, clave, "TOTAL_VOTOS_CALCULADO", pub, want,
                    "the vote fields (%d columns, NO_REGISTRADOS, NULOS) add up to %s",
                    ncols, want);
        }
    }
    char why[240];
    const char *want = res.contabilizada ? "1" : "0";
    explain(&res, unknown_limit, why, sizeof why);
    if (strcmp(contab, "0") != 0 && strcmp(contab, "1") != 0)
        add(x, PREP_RC_CONTABILIZADA, line, clave, "CONTABILIZADA", contab, want,
            "not 0, 1 or 2; the rules say %s: %s", want, why);
    else if (strcmp(contab, want) != 0)
        add(x, PREP_RC_CONTABILIZADA, line, clave, "CONTABILIZADA", contab, want,
            "the rules say %s: %s", res.contabilizada ? "contabilizada" : "no contabilizada",
            why);
    if (r->has_obs_col && (published_obs & RULE_FLAGS) != (res.obs & RULE_FLAGS)) {
        char ours[200];
        prep_rules_observaciones(&res, ours, sizeof ours);
        add(x, PREP_RC_OBSERVACIONES, line, clave, "OBSERVACIONES", obs, ours,
            "the rules give '%s': %s", ours[0] ? ours : "(nothing to observe)", why);
    }
    prep_summary_add(&r->s, &res, ln_known ? ln : 0, especial);
    return 0;
}

static int on_row(void *ctx, long line, int nf, char **f, prep_err *err)
{
    ctx_t *x = ctx;
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
            utf8_trim(r->eleccion);
        } else if (x->nrec == 1) {
            snprintf(r->corte, sizeof r->corte, "%s", nf ? f[0] : "");
            utf8_trim(r->corte);
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
        return acta_row(x, line, nf, f, err);
    }
}

/* ---- after the rows --------------------------------------------------- */

static int cmp_dup(const void *a, const void *b)
{
    const dup_entry *p = a, *q = b;
    int c = strcmp(p->clave, q->clave);
    return c ? c : (p->line > q->line) - (p->line < q->line);
}

static void duplicates(ctx_t *x)
{
    if (x->ndup > 1)
        qsort(x->dup, x->ndup, sizeof *x->dup, cmp_dup);
    for (size_t i = 1; i < x->ndup; i++) {
        size_t first = i - 1;
        while (i < x->ndup && strcmp(x->dup[i].clave, x->dup[first].clave) == 0) {
            add(x, PREP_RC_DUPLICADA, x->dup[i].line, x->dup[i].clave, "CLAVE_ACTA",
                x->dup[i].clave, "", "the same clave is also on line %ld", x->dup[first].line);
            i++;
        }
    }
}

static void compare_summary(ctx_t *x)
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
        if ((pct ? parse_pct(pub, &v) : parse_count(pub, &v)) < 0) {
            add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[i], pub, want,
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
                add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[i], pub, want,
                    "the rows give %s; %s is what the formula of %s gives (%s)", want, pub,
                    r->opts.final ? "a corte during operation" : "the final corte",
                    r->opts.final ? "drop --final" : "use --final if this is the last corte");
                continue;
            }
        }
        add(x, PREP_RC_RESUMEN, r->summary_line, NULL, prep_summary_names[i], pub, want,
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
    ctx_t x = {.r = out, .name = name};
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
