/* acta_check.c — one acta row of a published results CSV against the
 * counting rules: its vote fields and limits go to prep_rules_eval (or
 * prep_rules_sin_acta), the verdict is compared with the published
 * TOTAL_VOTOS_CALCULADO, CONTABILIZADA and OBSERVACIONES, the acta is counted
 * with prep_summary_add, and its hash and timestamps are checked. It knows
 * nothing of the header block (recount.c) or of the file's bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/rules.h"
#include "core/tally.h"
#include "recount/recount.h"
#include "recount/recount_int.h"
#include "util/timefmt.h"

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

/* ---- one acta row ----------------------------------------------------- */

#define COL(role) (x->at[role] >= 0 ? f[x->at[role]] : "")

static void check_hash_and_times(rc_ctx *x, long line, const char *clave, char **f)
{
    if (x->at[RC_COL_HASH] >= 0) {
        const char *h = f[x->at[RC_COL_HASH]];
        if (!absent(h) && !is_hex64(h))
            rc_add(x, PREP_RC_HASH, line, clave, "CODIGO_INTEGRIDAD", h, "",
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
            rc_add(x, PREP_RC_FECHA, line, clave, tn[i], f[x->at[tr[i]]], "",
                "not a date-time dd/mm/AAAA HH:MM[:SS] or AAAA-MM-DD HH:MM[:SS]");
            t[i] = 0;
        }
    }
    if (t[0] && t[1] && t[1] < t[0])
        rc_add(x, PREP_RC_ORDEN, line, clave, "FECHA_HORA_CAPTURA", f[x->at[tr[1]]],
            f[x->at[tr[0]]], "captured before its acopio (FECHA_HORA_ACOPIO %s)",
            f[x->at[tr[0]]]);
    if (t[1] && t[2] && t[2] < t[1])
        rc_add(x, PREP_RC_ORDEN, line, clave, "FECHA_HORA_VERIFICACION", f[x->at[tr[2]]],
            f[x->at[tr[1]]], "verified before its captura (FECHA_HORA_CAPTURA %s)",
            f[x->at[tr[1]]]);
}

static int remember_clave(rc_ctx *x, const char *clave, long line, prep_err *err)
{
    if (x->ndup == x->capdup) {
        size_t cap = x->capdup ? x->capdup * 2 : 1024;
        void *p = realloc(x->dup, sizeof *x->dup * cap);
        if (!p)
            return prep_fail(err, PREP_E_NOMEM, "%s: out of memory", x->name);
        x->dup = p;
        x->capdup = cap;
    }
    rc_dup *d = &x->dup[x->ndup++];
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

int rc_acta_row(rc_ctx *x, long line, int nf, char **f, prep_err *err)
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
    int ln_known = rc_parse_count(COL(RC_COL_LISTA_NOMINAL), &ln) == 0 && ln <= RC_MAX_LIMIT;
    if (!ln_known)
        ln = 0;
    if (r->has_rep_col &&
        (rc_parse_count(f[x->at[RC_COL_REPRESENTANTES]], &rep) < 0 || rep > RC_MAX_LIMIT))
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
            if (rc_parse_count(pub, &t) < 0)
                rc_add(x, PREP_RC_TOTAL, line, clave, "TOTAL_VOTOS_CALCULADO", pub, want,
                    "not a number; the vote fields add up to %s", want);
            else if (t != res.total_calculado)
                rc_add(x, PREP_RC_TOTAL, line, clave, "TOTAL_VOTOS_CALCULADO", pub, want,
                    "the vote fields (%d columns, NO_REGISTRADOS, NULOS) add up to %s",
                    ncols, want);
        }
    }
    char why[240];
    const char *want = res.contabilizada ? "1" : "0";
    explain(&res, unknown_limit, why, sizeof why);
    if (strcmp(contab, "0") != 0 && strcmp(contab, "1") != 0)
        rc_add(x, PREP_RC_CONTABILIZADA, line, clave, "CONTABILIZADA", contab, want,
            "not 0, 1 or 2; the rules say %s: %s", want, why);
    else if (strcmp(contab, want) != 0)
        rc_add(x, PREP_RC_CONTABILIZADA, line, clave, "CONTABILIZADA", contab, want,
            "the rules say %s: %s", res.contabilizada ? "contabilizada" : "no contabilizada",
            why);
    if (r->has_obs_col && (published_obs & RULE_FLAGS) != (res.obs & RULE_FLAGS)) {
        char ours[200];
        prep_rules_observaciones(&res, ours, sizeof ours);
        rc_add(x, PREP_RC_OBSERVACIONES, line, clave, "OBSERVACIONES", obs, ours,
            "the rules give '%s': %s", ours[0] ? ours : "(nothing to observe)", why);
    }
    prep_summary_add(&r->s, &res, ln_known ? ln : 0, especial);
    return 0;
}
