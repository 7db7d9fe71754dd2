/* acta_check.c — one acta row of a published results CSV against the
 * counting rules: its vote fields and limits go to prep_rules_eval (or
 * prep_rules_sin_acta), the verdict is compared with the published
 * TOTAL_VOTOS_CALCULADO, CONTABILIZADA and OBSERVACIONES, the acta is counted
 * with prep_summary_add, and its hash and timestamps are checked.
 * Rows of actas not yet received are counted apart (pendientes); what an
 * institute does by its own convention is recorded with rc_convention and
 * never reported as a difference. It knows nothing of the header block
 * (recount.c), of how a value is written (values.c) or of the file's bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/rules.h"
#include "core/tally.h"
#include "recount/recount.h"
#include "recount/recount_int.h"

/* A vote field: a number, Ilegible / Sin dato (any case), or nothing
 * published there ("-", empty, or "Sin acta" written in every field of a
 * sin acta row). -1 when it is none of these. */
static int parse_vote(const char *s, prep_val *out)
{
    char u[32];
    rc_upper(s, u, sizeof u);
    if (rc_absent(u) || strcmp(u, "SIN ACTA") == 0) {
        *out = PREP_V_NA;
        return 0;
    }
    if (strcmp(u, "ILEGIBLE") == 0) {
        *out = PREP_V_ILEGIBLE;
        return 0;
    }
    if (strcmp(u, "SIN DATO") == 0 || strcmp(u, "SIN DATOS") == 0) {
        *out = PREP_V_SIN_DATO;
        return 0;
    }
    int64_t v;
    if (rc_parse_count(u, &v) < 0 || v > PREP_V_MAX)
        return -1;
    *out = (prep_val)v;
    return 0;
}

/* The rule flags an OBSERVACIONES text states, whatever the institute's
 * wording: item by item (reasons joined by ',' or '. '), SIN ACTA (also
 * "Sin Acta(3)"), TODO/TODOS (every field), EXCEDE, and any other mention of
 * ILEGIBLE / SIN DATO = some field. "Identificación forzada" and other notes
 * state no rule. *fuera is set by FUERA DE CATÁLOGO. */
static unsigned obs_flags(const char *obs, int *fuera)
{
    char u[512];
    rc_upper(obs, u, sizeof u);
    unsigned fl = 0;
    *fuera = strstr(u, "FUERA DE") != NULL && strstr(u, "CATALOGO") != NULL;
    char *save = NULL;
    for (char *item = strtok_r(u, ",.", &save); item; item = strtok_r(NULL, ",.", &save)) {
        if (strstr(item, "SIN ACTA"))
            fl |= PREP_OBS_SIN_ACTA;
        else if (strstr(item, "TODO"))
            fl |= PREP_OBS_TODOS_ILEGIBLES;
        else if (strstr(item, "EXCEDE"))
            fl |= PREP_OBS_EXCEDE_LN;
        else if (strstr(item, "ILEGIBLE") || strstr(item, "SIN DATO"))
            fl |= PREP_OBS_ALGUN_ILEGIBLE;
    }
    if (fl & PREP_OBS_TODOS_ILEGIBLES)
        fl &= ~(unsigned)PREP_OBS_ALGUN_ILEGIBLE; /* "Ilegible,Todos los campos ilegibles" */
    return fl;
}

#define RC_MAX_LIMIT 100000000

#define RULE_FLAGS \
    (PREP_OBS_EXCEDE_LN | PREP_OBS_ALGUN_ILEGIBLE | PREP_OBS_TODOS_ILEGIBLES | PREP_OBS_SIN_ACTA)

#define COL(role) (x->at[role] >= 0 ? f[x->at[role]] : "")

/* ---- hash and timestamps ---------------------------------------------- */

static void check_hash_and_times(rc_ctx *x, long line, const char *clave, char **f)
{
    if (x->at[RC_COL_HASH] >= 0) {
        const char *h = f[x->at[RC_COL_HASH]];
        if (!rc_absent(h) && !rc_hash_digits(h))
            rc_add(x, PREP_RC_HASH, line, clave, "CODIGO_INTEGRIDAD", h, "",
                "no es un SHA-256 (64 dígitos hexadecimales) ni un SHA-512 (128)");
    }
    static const rc_col_role tr[3] = {RC_COL_T_ACOPIO, RC_COL_T_CAPTURA, RC_COL_T_VERIFICACION};
    static const char *const tn[3] = {"FECHA_HORA_ACOPIO", "FECHA_HORA_CAPTURA",
                                      "FECHA_HORA_VERIFICACION"};
    int64_t t[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (x->at[tr[i]] < 0 || rc_absent(f[x->at[tr[i]]]))
            continue;
        if (rc_parse_time(f[x->at[tr[i]]], &t[i]) < 0) {
            rc_add(x, PREP_RC_FECHA, line, clave, tn[i], f[x->at[tr[i]]], "",
                "no es una fecha y hora dd/mm/AAAA HH:MM[:SS] ni AAAA-MM-DD HH:MM[:SS]");
            t[i] = 0;
        }
    }
    if (t[0] && t[1] && t[1] < t[0]) {
        char origen[16];
        rc_upper(COL(RC_COL_ORIGEN), origen, sizeof origen);
        if (strcmp(origen, "CASILLA") == 0)
            rc_convention(x, PREP_RCV_CAPTURA_CASILLA, line);
        else
            rc_add(x, PREP_RC_ORDEN, line, clave, "FECHA_HORA_CAPTURA", f[x->at[tr[1]]],
                f[x->at[tr[0]]], "capturada antes de su acopio (FECHA_HORA_ACOPIO %s)%s",
                f[x->at[tr[0]]],
                x->at[RC_COL_ORIGEN] >= 0 ? ", y su imagen no viene de PREP Casilla" : "");
    }
    if (t[1] && t[2] && t[2] < t[1])
        rc_add(x, PREP_RC_ORDEN, line, clave, "FECHA_HORA_VERIFICACION", f[x->at[tr[2]]],
            f[x->at[tr[1]]], "verificada antes de su captura (FECHA_HORA_CAPTURA %s)",
            f[x->at[tr[1]]]);
}

static int remember_clave(rc_ctx *x, const char *clave, const char *unidad, long line,
                          prep_err *err)
{
    if (x->ndup == x->capdup) {
        size_t cap = x->capdup ? x->capdup * 2 : 1024;
        void *p = realloc(x->dup, sizeof *x->dup * cap);
        if (!p)
            return prep_fail(err, PREP_E_NOMEM, "%s: memoria insuficiente", x->name);
        x->dup = p;
        x->capdup = cap;
    }
    rc_dup *d = &x->dup[x->ndup++];
    snprintf(d->clave, sizeof d->clave, "%s", clave);
    rc_unwrap(unidad, d->unidad, sizeof d->unidad);
    d->line = line;
    return 0;
}

/* Why the rules decide what they decide, for the report. */
static void explain(const prep_rule_result *res, int unknown_limit, char *buf, size_t cap)
{
    char obs[200];
    prep_rules_observaciones(res, obs, sizeof obs);
    if (res->obs & PREP_OBS_SIN_ACTA)
        snprintf(buf, cap, "%s: nunca se contabiliza", obs);
    else if (res->obs & PREP_OBS_TODOS_ILEGIBLES)
        snprintf(buf, cap, "ningún campo de votos tiene un número (TODOS ILEGIBLES O SIN DATO)");
    else if ((res->obs & PREP_OBS_EXCEDE_LN) && unknown_limit)
        snprintf(buf, cap, "publicada como EXCEDE LISTA NOMINAL (el límite no se conoce aquí)");
    else if (res->obs & PREP_OBS_EXCEDE_LN)
        snprintf(buf, cap, "el total calculado %lld excede el límite %lld (EXCEDE LISTA NOMINAL)",
                 (long long)res->total_calculado, (long long)res->limite);
    else if (unknown_limit)
        snprintf(buf, cap, "total calculado %lld; el límite no se conoce aquí",
                 (long long)res->total_calculado);
    else
        snprintf(buf, cap, "total calculado %lld dentro del límite %lld%s",
                 (long long)res->total_calculado, (long long)res->limite,
                 res->obs & PREP_OBS_ALGUN_ILEGIBLE ? ", algún campo Ilegible o Sin dato" : "");
}

/* ---- one acta row ----------------------------------------------------- */

typedef struct {
    prep_val vals[PREP_NFIELDS(PREP_RECOUNT_MAX_COLS)];
    int numbers, blanks, positive, present;
} row_votes;

/* The vote fields of a row; an unreadable one is a `value` difference and
 * counts as nothing published. */
static void read_votes(rc_ctx *x, long line, const char *clave, char **f, row_votes *v)
{
    prep_recount_report *r = x->r;
    int ncols = r->ncols;
    memset(v, 0, sizeof *v);
    for (int k = 0; k < ncols + 2; k++) {
        int at = k < ncols ? x->vote_at[k] : k == ncols ? x->at[RC_COL_NOREG]
                                                        : x->at[RC_COL_NULOS];
        const char *name = k < ncols ? r->col[k] : k == ncols ? "NO_REGISTRADOS" : "NULOS";
        prep_val *out = &v->vals[PREP_F_COL0 + k];
        if (parse_vote(f[at], out) < 0) {
            rc_add(x, PREP_RC_VALOR, line, clave, name, f[at], "",
                "no es un número, Ilegible, Sin dato ni -: se cuenta como no publicado");
            *out = PREP_V_NA;
        }
        v->numbers += *out >= 0;
        v->positive += *out > 0;
        v->blanks += *out == PREP_V_ILEGIBLE || *out == PREP_V_SIN_DATO;
        v->present += *out != PREP_V_NA;
    }
}

/* The conventions that take the published verdict where the rules cannot
 * tell (see recount.h). */
static void published_conventions(rc_ctx *x, long line, const char *contab, unsigned pub,
                                  const row_votes *v, prep_rule_result *res)
{
    if (strcmp(contab, "0") == 0 && (pub & (PREP_OBS_EXCEDE_LN | PREP_OBS_TODOS_ILEGIBLES)) &&
        !(res->obs & (PREP_OBS_EXCEDE_LN | PREP_OBS_TODOS_ILEGIBLES)) && v->positive == 0 &&
        v->blanks == 0) {
        rc_convention(x, PREP_RCV_VOTOS_EN_CERO, line);
        res->obs = pub & RULE_FLAGS;
        res->contabilizada = 0;
        res->inconsistente = 1;
        return;
    }
    if ((pub & PREP_OBS_ALGUN_ILEGIBLE) && !(res->obs & PREP_OBS_ALGUN_ILEGIBLE) &&
        !(res->obs & PREP_OBS_TODOS_ILEGIBLES) && v->blanks == 0) {
        rc_convention(x, PREP_RCV_ILEGIBLE_COMO_CERO, line);
        res->obs |= PREP_OBS_ALGUN_ILEGIBLE;
        res->inconsistente = 1;
    }
}

/* Compare the published TOTAL_VOTOS_CALCULADO; *published gets it when it is
 * a number (count_as_published uses it), -1 otherwise. */
static void check_total(rc_ctx *x, long line, const char *clave, char **f,
                        const prep_rule_result *res, int64_t *published)
{
    prep_recount_report *r = x->r;
    *published = -1;
    if (!r->has_total_col)
        return;
    const char *pub = f[x->at[RC_COL_CALCULADO]];
    char want[24];
    snprintf(want, sizeof want, "%lld", (long long)res->total_calculado);
    int64_t t;
    if (rc_parse_count(pub, &t) == 0) {
        *published = t;
        if (t != res->total_calculado)
            rc_add(x, PREP_RC_TOTAL, line, clave, "TOTAL_VOTOS_CALCULADO", pub, want,
                "los campos de votos (%d columnas, NO_REGISTRADOS, NULOS) suman %s", r->ncols,
                want);
        return;
    }
    prep_val pv;
    if ((res->obs & PREP_OBS_TODOS_ILEGIBLES) && parse_vote(pub, &pv) == 0 && pv < 0) {
        rc_convention(x, PREP_RCV_TOTAL_VACIO, line);
        return;
    }
    rc_add(x, PREP_RC_TOTAL, line, clave, "TOTAL_VOTOS_CALCULADO", pub, want,
        "no es un número; los campos de votos suman %s", want);
}

/* Count the row again with what it publishes instead of the rules'
 * verdict (prep_recount_report.sp). */
static void count_as_published(rc_ctx *x, const char *contab, unsigned pub, int sin_acta,
                               int64_t total_pub, const prep_rule_result *res, int64_t ln,
                               int especial)
{
    prep_recount_report *r = x->r;
    prep_rule_result p = *res;
    if (strcmp(contab, "0") == 0 || strcmp(contab, "1") == 0)
        p.contabilizada = contab[0] == '1';
    if (r->has_obs_col && !sin_acta) {
        p.obs = pub & RULE_FLAGS;
        p.inconsistente = p.obs != 0;
    }
    if (total_pub >= 0)
        p.total_calculado = total_pub;
    r->inc_nc_publicado += p.inconsistente && !p.contabilizada;
    prep_summary_add(&r->sp, &p, ln, especial);
}

int rc_acta_row(rc_ctx *x, long line, int nf, char **f, prep_err *err)
{
    prep_recount_report *r = x->r;
    while (nf > x->ncolumns && f[nf - 1][0] == '\0')
        nf--; /* trailing delimiters (spreadsheet padding) */
    if (nf != x->ncolumns)
        return prep_fail(err, PREP_E_INVALID,
                         "%s línea %ld: %d campos, pero los nombres de columna (línea %ld) son "
                         "%d",
                         x->name, line, nf, x->columns_line, x->ncolumns);
    r->filas++;
    char casilla[48], clave[48];
    rc_unwrap(COL(RC_COL_CLAVE_CASILLA), casilla, sizeof casilla);
    rc_unwrap(x->at[RC_COL_CLAVE_ACTA] >= 0 ? f[x->at[RC_COL_CLAVE_ACTA]] : casilla, clave,
              sizeof clave);
    char contab[16];
    rc_unwrap(COL(RC_COL_CONTABILIZADA), contab, sizeof contab);
    const char *obs = COL(RC_COL_OBSERVACIONES);
    int obs_fuera;
    unsigned published_obs = obs_flags(obs, &obs_fuera);
    int fuera = strcmp(contab, "2") == 0 || obs_fuera ||
                (x->at[RC_COL_CLAVE_CASILLA] >= 0 ? rc_absent(casilla) : rc_absent(clave));
    if (fuera) {
        check_hash_and_times(x, line, "fuera de catálogo", f);
        r->fuera++;
        prep_summary_add_fuera(&r->s);
        prep_summary_add_fuera(&r->sp);
        return 0;
    }

    row_votes v = {0};
    int sin_acta = (published_obs & PREP_OBS_SIN_ACTA) != 0;
    if (!sin_acta)
        read_votes(x, line, clave, f, &v);
    /* An expected acta not yet received: listed with nothing in it. */
    if (!sin_acta && rc_absent(contab) && v.present == 0 && !published_obs) {
        r->pendientes++;
        return 0;
    }
    check_hash_and_times(x, line, clave, f);
    if (remember_clave(x, clave, COL(RC_COL_UNIDAD), line, err) < 0)
        return -1;

    char tipo[8];
    rc_upper(r->has_tipo_col ? f[x->at[RC_COL_TIPO_CASILLA]] : "", tipo, sizeof tipo);
    int especial = r->has_tipo_col ? strcmp(tipo, "S") == 0
                                   : strlen(casilla) >= 7 && casilla[6] == 'S';
    r->especiales += especial;
    int64_t ln = 0, rep = 0;
    const char *ln_text = COL(RC_COL_LISTA_NOMINAL);
    /* Limits beyond any casilla (over 10^8) are treated as unreadable numbers. */
    int ln_read = rc_parse_count(ln_text, &ln) == 0 && ln <= RC_MAX_LIMIT;
    if (!ln_read) {
        ln = 0;
        if (!rc_absent(ln_text))
            rc_add(x, PREP_RC_VALOR, line, clave, "LISTA_NOMINAL", ln_text, "",
                "no es un número: el límite de esta acta no se conoce");
    }
    /* A lista nominal of 0 outside casillas especiales (voto anticipado,
     * voto desde el extranjero) is no limit at all. */
    int ln_known = ln_read && (ln > 0 || especial);
    if (r->has_rep_col &&
        (rc_parse_count(f[x->at[RC_COL_REPRESENTANTES]], &rep) < 0 || rep > RC_MAX_LIMIT))
        rep = 0;
    int unknown_limit = 0;
    int64_t total_pub = -1; /* the published TOTAL_VOTOS_CALCULADO, -1 when not a number */
    prep_rule_result res;
    if (sin_acta) {
        char obs_u[256];
        rc_upper(obs, obs_u, sizeof obs_u);
        int motivo = 0;
        for (int m = 1; m < PREP_SIN_ACTA__COUNT; m++)
            if (strcmp(obs_u, prep_sin_acta_texto(m)) == 0)
                motivo = m;
        r->sin_acta++;
        prep_rules_sin_acta(motivo, &res);
    } else {
        int ncols = r->ncols;
        for (int k = 0; k < PREP_F_COL0; k++)
            v.vals[k] = 0; /* cuadre fields: not rule inputs */
        v.vals[PREP_F_ASENTADO(ncols)] = 0;
        unknown_limit = especial ? r->opts.max_boletas_especial < 0 : !ln_known;
        if (ln_read && ln == 0 && !especial)
            rc_convention(x, PREP_RCV_LISTA_NOMINAL_CERO, line);
        prep_rule_limits lim = {.especial = especial || unknown_limit,
                                .lista_nominal = (int)ln,
                                .representantes = (int)rep,
                                .boletas = especial && !unknown_limit
                                               ? (int)r->opts.max_boletas_especial
                                               : 1 << 30};
        prep_rules_eval(v.vals, ncols, &lim, &res);
        if (unknown_limit && (published_obs & PREP_OBS_EXCEDE_LN)) {
            /* The limit cannot be known from the file: take the published
             * verdict, with a limit below any total (-1). */
            lim.boletas = -(int)rep - 1;
            prep_rules_eval(v.vals, ncols, &lim, &res);
        }
        r->sin_limite += unknown_limit;
        published_conventions(x, line, contab, published_obs, &v, &res);
        check_total(x, line, clave, f, &res, &total_pub);
    }
    char why[240];
    const char *want = res.contabilizada ? "1" : "0";
    explain(&res, unknown_limit, why, sizeof why);
    if (strcmp(contab, "0") != 0 && strcmp(contab, "1") != 0)
        rc_add(x, PREP_RC_CONTABILIZADA, line, clave, "CONTABILIZADA", contab, want,
            "no es 0, 1 ni 2; las reglas dan %s: %s", want, why);
    else if (strcmp(contab, want) != 0)
        rc_add(x, PREP_RC_CONTABILIZADA, line, clave, "CONTABILIZADA", contab, want,
            "según las reglas %s: %s", res.contabilizada ? "se contabiliza" : "no se contabiliza",
            why);
    unsigned missing = (res.obs & RULE_FLAGS) ^ (published_obs & RULE_FLAGS);
    if (r->has_obs_col && missing == PREP_OBS_ALGUN_ILEGIBLE &&
        (published_obs & res.obs & PREP_OBS_EXCEDE_LN)) {
        rc_convention(x, PREP_RCV_RAZON_PRINCIPAL, line);
    } else if (r->has_obs_col && missing) {
        char ours[200];
        prep_rules_observaciones(&res, ours, sizeof ours);
        rc_add(x, PREP_RC_OBSERVACIONES, line, clave, "OBSERVACIONES", obs, ours,
            "las reglas dan '%s': %s", ours[0] ? ours : "(nada que observar)", why);
    }
    r->inconsistentes_no_contab += res.inconsistente && !res.contabilizada;
    prep_summary_add(&r->s, &res, ln_read ? ln : 0, especial);
    count_as_published(x, contab, published_obs, sin_acta, total_pub, &res, ln_read ? ln : 0,
                       especial);
    return 0;
}
