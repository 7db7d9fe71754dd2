/* tally.c — summary fields, vote sums and candidate totals (see tally.h).
 * Counts only: which acta is contabilizada is decided by rules.c, never here;
 * nothing here reads files, formats HTML or knows about cortes. */
#include "core/tally.h"

#include <stdio.h>
#include <string.h>

/* ---- Summary ----------------------------------------------------------- */

const char *const prep_summary_names[PREP_SUMMARY_NFIELDS] = {
    "ACTAS_ESPERADAS",
    "ACTAS_REGISTRADAS",
    "ACTAS_FUERA_CATALOGO",
    "ACTAS_CAPTURADAS",
    "PORCENTAJE_ACTAS_CAPTURADAS",
    "ACTAS_CONTABILIZADAS",
    "PORCENTAJE_ACTAS_CONTABILIZADAS",
    "PORCENTAJE_ACTAS_INCONSISTENCIAS",
    "ACTAS_NO_CONTABILIZADAS",
    "LISTA_NOMINAL_ACTAS_CONTABILIZADAS",
    "TOTAL_VOTOS_C_CS",
    "TOTAL_VOTOS_S_CS",
    "PORCENTAJE_PARTICIPACION_CIUDADANA",
};

void prep_summary_init(prep_summary *s, int64_t esperadas)
{
    memset(s, 0, sizeof *s);
    s->esperadas = esperadas;
}

void prep_summary_add(prep_summary *s, const prep_rule_result *r, int64_t lista_nominal,
                      int especial)
{
    s->capturadas++;
    s->registradas++;
    if (r->inconsistente)
        s->inconsistentes++;
    if (!r->contabilizada) {
        s->no_contabilizadas++;
        return;
    }
    s->contabilizadas++;
    s->lista_nominal += lista_nominal;
    s->votos_c_cs += r->total_calculado;
    if (!especial)
        s->votos_s_cs += r->total_calculado;
}

void prep_summary_add_fuera(prep_summary *s)
{
    s->fuera_catalogo++;
    s->registradas++;
}

void prep_summary_merge(prep_summary *dst, const prep_summary *src)
{
    dst->esperadas += src->esperadas;
    dst->registradas += src->registradas;
    dst->fuera_catalogo += src->fuera_catalogo;
    dst->capturadas += src->capturadas;
    dst->contabilizadas += src->contabilizadas;
    dst->no_contabilizadas += src->no_contabilizadas;
    dst->inconsistentes += src->inconsistentes;
    dst->lista_nominal += src->lista_nominal;
    dst->votos_c_cs += src->votos_c_cs;
    dst->votos_s_cs += src->votos_s_cs;
}

void prep_summary_compute(prep_summary *s, int final)
{
    s->final = final ? 1 : 0;
    s->pct_capturadas = prep_pct_e4(s->capturadas, s->esperadas);
    s->pct_contabilizadas = prep_pct_e4(s->contabilizadas, s->esperadas);
    s->pct_inconsistencias = prep_pct_e4(s->inconsistentes, s->esperadas);
    s->pct_participacion =
        prep_pct_e4(final ? s->votos_c_cs : s->votos_s_cs, s->lista_nominal);
}

const char *prep_summary_field(const prep_summary *s, int i, char *buf, size_t cap)
{
    const int64_t ints[PREP_SUMMARY_NFIELDS] = {
        s->esperadas,      s->registradas,        s->fuera_catalogo,     s->capturadas,
        -1,                s->contabilizadas,     -1,                    -1,
        s->no_contabilizadas, s->lista_nominal,   s->votos_c_cs,         s->votos_s_cs,
        -1,
    };
    switch (i) {
    case 4: return prep_pct_fmt(s->pct_capturadas, buf, cap);
    case 6: return prep_pct_fmt(s->pct_contabilizadas, buf, cap);
    case 7: return prep_pct_fmt(s->pct_inconsistencias, buf, cap);
    case 12: return prep_pct_fmt(s->pct_participacion, buf, cap);
    default:
        if (i < 0 || i >= PREP_SUMMARY_NFIELDS)
            return NULL;
        snprintf(buf, cap, "%lld", (long long)ints[i]);
        return buf;
    }
}

/* Join n texts with ',' into buf; returns the full length (snprintf-like). */
static size_t join(const char *const *parts, int n, char *buf, size_t cap)
{
    size_t len = 0;
    if (cap)
        buf[0] = '\0';
    for (int i = 0; i < n; i++) {
        size_t k = strlen(parts[i]) + (i ? 1 : 0);
        if (len + k < cap)
            snprintf(buf + len, cap - len, "%s%s", i ? "," : "", parts[i]);
        else if (len < cap)
            buf[len] = '\0'; /* keep what fitted: whole fields only */
        len += k;
    }
    return len;
}

size_t prep_summary_header_line(char *buf, size_t cap)
{
    return join(prep_summary_names, PREP_SUMMARY_NFIELDS, buf, cap);
}

size_t prep_summary_values_line(const prep_summary *s, char *buf, size_t cap)
{
    char text[PREP_SUMMARY_NFIELDS][24];
    const char *parts[PREP_SUMMARY_NFIELDS];
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++)
        parts[i] = prep_summary_field(s, i, text[i], sizeof text[i]);
    return join(parts, PREP_SUMMARY_NFIELDS, buf, cap);
}

/* ---- Vote sums --------------------------------------------------------- */

void prep_votes_init(prep_votes *v, int ncols)
{
    memset(v, 0, sizeof *v);
    v->ncols = ncols < 0 ? 0 : ncols > PREP_MAX_COLS ? PREP_MAX_COLS : ncols;
}

int prep_votes_add(prep_votes *v, const prep_val *vals, const prep_rule_result *r)
{
    if (!r->contabilizada || !vals)
        return 0;
    int64_t t = 0;
    for (int c = 0; c < v->ncols; c++) {
        int64_t n = prep_val_count(vals[PREP_F_COL0 + c]);
        v->col[c] += n;
        t += n;
    }
    int64_t nr = prep_val_count(vals[PREP_F_NOREG(v->ncols)]);
    int64_t nu = prep_val_count(vals[PREP_F_NULOS(v->ncols)]);
    v->no_registradas += nr;
    v->nulos += nu;
    v->total += t + nr + nu;
    v->actas++;
    return 1;
}

int prep_votes_merge(prep_votes *dst, const prep_votes *src, prep_err *err)
{
    if (dst->ncols != src->ncols)
        return prep_fail(err, PREP_E_INVALID, "cannot merge vote sums of %d and %d columns",
                         dst->ncols, src->ncols);
    for (int c = 0; c < dst->ncols; c++)
        dst->col[c] += src->col[c];
    dst->no_registradas += src->no_registradas;
    dst->nulos += src->nulos;
    dst->total += src->total;
    dst->actas += src->actas;
    return 0;
}

/* ---- Summary + votes --------------------------------------------------- */

void prep_tally_init(prep_tally *t, int ncols, int64_t esperadas)
{
    prep_summary_init(&t->s, esperadas);
    prep_votes_init(&t->v, ncols);
}

void prep_tally_limits(const prep_casilla *c, prep_rule_limits *out)
{
    out->especial = c->tipo == 'S';
    out->lista_nominal = c->lista_nominal;
    out->representantes = c->representantes;
    out->boletas = c->boletas;
}

void prep_tally_add(prep_tally *t, const prep_val *vals, const prep_rule_result *r,
                    const prep_casilla *c)
{
    prep_summary_add(&t->s, r, c->lista_nominal, c->tipo == 'S');
    prep_votes_add(&t->v, vals, r);
}

void prep_tally_add_fuera(prep_tally *t)
{
    prep_summary_add_fuera(&t->s);
}

int prep_tally_merge(prep_tally *dst, const prep_tally *src, prep_err *err)
{
    if (prep_votes_merge(&dst->v, &src->v, err) < 0)
        return -1;
    prep_summary_merge(&dst->s, &src->s);
    return 0;
}

/* ---- Candidate totals -------------------------------------------------- */

/* 1 when coalition k has a combination column that applies in unit u. */
static int coalicion_runs(const prep_eleccion *el, int k, int u)
{
    for (int c = 0; c < el->ncols; c++)
        if (el->cols[c].tipo == PREP_COL_COMBINACION && el->cols[c].coalicion == k &&
            prep_eleccion_aplica(el, u, c))
            return 1;
    return 0;
}

/* Index of the running coalition party column c belongs to, or -1. */
static int running_coalicion_of(const prep_eleccion *el, const int *runs, int c)
{
    for (int k = 0; k < el->ncoaliciones; k++) {
        if (!runs[k])
            continue;
        const prep_coalicion *co = &el->coaliciones[k];
        for (int p = 0; p < co->npartidos; p++)
            if (co->partidos[p] == c)
                return k;
    }
    return -1;
}

static int cmp_total(const prep_cand_total *a, const prep_cand_total *b)
{
    if (a->votos != b->votos)
        return a->votos > b->votos ? -1 : 1;
    return a->col < b->col ? -1 : a->col > b->col;
}

/* Insertion sort: at most PREP_MAX_COLS entries, and stable by construction. */
static void sort_totals(prep_cand_total *c, int n)
{
    for (int i = 1; i < n; i++) {
        prep_cand_total x = c[i];
        int j = i - 1;
        while (j >= 0 && cmp_total(&c[j], &x) > 0) {
            c[j + 1] = c[j];
            j--;
        }
        c[j + 1] = x;
    }
}

static void set_siglas(prep_cand_total *t, const char *s)
{
    snprintf(t->siglas, sizeof t->siglas, "%s", s);
}

int prep_candidatos_unidad(const prep_catalog *cat, int e, int u, const prep_votes *v,
                           prep_candidatos *out, prep_err *err)
{
    if (e < 0 || e >= cat->nelecciones)
        return prep_fail(err, PREP_E_INVALID, "election %d does not exist", e);
    const prep_eleccion *el = &cat->elecciones[e];
    if (u < 0 || u >= prep_catalog_nunidades(cat, e) || !el->aplica)
        return prep_fail(err, PREP_E_INVALID, "election %s has no unit %d", el->codigo, u);
    if (v->ncols != el->ncols)
        return prep_fail(err, PREP_E_INVALID, "election %s has %d columns, vote sums have %d",
                         el->codigo, el->ncols, v->ncols);

    memset(out, 0, sizeof *out);
    int runs[PREP_MAX_COALICIONES] = {0};
    int slot[PREP_MAX_COALICIONES]; /* out->c index of each running coalition */
    for (int k = 0; k < el->ncoaliciones; k++) {
        runs[k] = coalicion_runs(el, k, u);
        slot[k] = -1;
    }
    for (int c = 0; c < el->ncols; c++) {
        const prep_columna *col = &el->cols[c];
        int k = -1;
        if (col->tipo == PREP_COL_COMBINACION)
            k = runs[col->coalicion] ? col->coalicion : -1;
        else if (col->tipo == PREP_COL_PARTIDO)
            k = running_coalicion_of(el, runs, c);
        if (k >= 0) {
            /* Parties and combinations of a running coalition: one candidatura,
             * whether or not the party column itself has a candidatura. */
            if (slot[k] < 0) {
                slot[k] = out->n++;
                prep_cand_total *t = &out->c[slot[k]];
                t->tipo = PREP_CAND_COALICION;
                t->col = c; /* columns are visited in boleta order */
                t->coalicion = k;
                set_siglas(t, el->coaliciones[k].codigo);
            }
            prep_cand_total *t = &out->c[slot[k]];
            t->cols |= UINT64_C(1) << c;
            t->votos += v->col[c];
            continue;
        }
        if (col->tipo == PREP_COL_COMBINACION || !prep_eleccion_aplica(el, u, c))
            continue; /* not on this unit's boleta */
        prep_cand_total *t = &out->c[out->n++];
        t->tipo = col->tipo == PREP_COL_CI ? PREP_CAND_CI : PREP_CAND_PARTIDO;
        t->col = c;
        t->coalicion = -1;
        set_siglas(t, col->nombre);
        t->cols = UINT64_C(1) << c;
        t->votos = v->col[c];
    }
    sort_totals(out->c, out->n);

    out->total = v->total;
    out->no_registradas = v->no_registradas;
    out->nulos = v->nulos;
    out->pct_no_registradas = prep_pct_e4(v->no_registradas, v->total);
    out->pct_nulos = prep_pct_e4(v->nulos, v->total);
    for (int i = 0; i < out->n; i++)
        out->c[i].pct_e4 = prep_pct_e4(out->c[i].votos, v->total);
    if (out->n >= 2 && out->c[0].votos > 0 && out->c[0].votos == out->c[1].votos) {
        out->empate = 1;
        out->nempate = 2;
        while (out->nempate < out->n && out->c[out->nempate].votos == out->c[0].votos)
            out->nempate++;
    }
    return 0;
}
