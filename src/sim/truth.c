/* truth.c — the ground truth of a drill: for every casilla and election the
 * figures really written on the acta (realistic party shares varying by
 * unit and casilla, participation 55-75 % of the lista nominal, especiales
 * against their boletas), the faults planned for it, and when its paquete
 * and its casilla photo arrive. Deterministic for (catalog, seed, rates).
 * It decides nothing about counting: expect.c asks rules.h. No I/O. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "sim/sim_rng.h"

enum { P_CASILLA = 1, P_VOTES, P_FAULTS, P_PAQUETE, P_UNIT, P_FUERA, P_FORCE };

static const char *const fault_codes[SIM_FAULT__COUNT] = {
    "ilegible", "sin_dato", "todos_ilegibles", "excede_ln", "discrepancia",
    "discrepancia_triple", "reintento_captura", "imagen_corrupta", "reintento_foto",
    "foto_y_escaneo", "sin_acta", "paquete_tardio", "paquete_perdido", "fuera_catalogo"};

static const char *const fault_descs[SIM_FAULT__COUNT] = {
    "Actas con uno o dos datos ilegibles",
    "Actas con uno o dos datos sin dato (vacíos)",
    "Actas con todos los votos ilegibles o sin dato",
    "Actas que exceden la lista nominal",
    "Capturas que no coinciden (una capturista se equivoca; la tercera captura resuelve)",
    "Tres capturas distintas (la verificación resuelve)",
    "Capturas reenviadas con la misma Idempotency-Key",
    "Imágenes corrompidas en la transmisión (el servidor debe rechazarlas)",
    "Fotos de PREP Casilla reenviadas tras perder la señal",
    "Actas fotografiadas en casilla y escaneadas después en el CATD",
    "Paquetes sin acta (con cada motivo)",
    "Paquetes que llegan tarde al CATD",
    "Paquetes que nunca llegan",
    "Actas fuera de catálogo registradas"};

const char *sim_fault_code(sim_fault k)
{
    return k < SIM_FAULT__COUNT ? fault_codes[k] : "?";
}

const char *sim_fault_desc(sim_fault k)
{
    return k < SIM_FAULT__COUNT ? fault_descs[k] : "?";
}

int sim_faults_preset(const char *name, sim_faults *out)
{
    /* Rates per acta (acta-level kinds), per photographed acta (retry,
     * photo+scan), per casilla (paquete kinds) and per esperada (fuera). */
    static const double def[SIM_FAULT__COUNT] = {0.02,  0.015, 0.001, 0.003, 0.04,
                                                 0.004, 0.01,  0.005, 0.03,  0.10,
                                                 0.008, 0.03,  0.003, 0.001};
    static const double heavy[SIM_FAULT__COUNT] = {0.08, 0.06, 0.01, 0.02, 0.15, 0.03, 0.05,
                                                   0.03, 0.15, 0.30, 0.03, 0.10, 0.02, 0.005};
    memset(out, 0, sizeof *out);
    out->photo = 0.9;
    if (strcmp(name, "none") == 0)
        return 0;
    const double *r;
    if (strcmp(name, "default") == 0)
        r = def;
    else if (strcmp(name, "heavy") == 0)
        r = heavy;
    else
        return -1;
    memcpy(out->rate, r, sizeof out->rate);
    out->at_least_one = 1;
    return 0;
}

/* ---- votes -------------------------------------------------------------- */

/* Relative weight of a party, by its column name (2024-like shape). */
static double party_weight(const char *name)
{
    static const struct {
        const char *n;
        double w;
    } t[] = {{"MORENA", 38}, {"PAN", 19}, {"PRI", 9}, {"MC", 10}, {"PVEM", 6},
             {"PT", 5},      {"PRD", 3}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(name, t[i].n) == 0)
            return t[i].w;
    return 4;
}

/* Split `total` among n weighted slots: floor of the proportional share,
 * the remainder one by one to slots drawn by weight. */
static void split(sim_rng *r, int64_t total, const double *w, int n, int64_t *out)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    int64_t given = 0;
    for (int i = 0; i < n; i++) {
        out[i] = sum > 0 ? (int64_t)floor((double)total * w[i] / sum) : 0;
        given += out[i];
    }
    while (given < total && sum > 0) {
        double x = sim_unit(r) * sum;
        int i = 0;
        while (i < n - 1 && x >= w[i]) {
            x -= w[i];
            i++;
        }
        out[i]++;
        given++;
    }
}

/* Voters of a casilla (the same people vote in every election). */
static void casilla_voters(const sim_truth *t, int c, int64_t *personas, int64_t *rep_votaron)
{
    const prep_casilla *ca = &t->cat->casillas[c];
    sim_rng u, r;
    /* Participation leans by distrito, varies by casilla: 55-75 %. */
    sim_rng_key(&u, t->seed, 0xD15, (uint64_t)t->cat->secciones[ca->seccion_idx].distrito, P_UNIT);
    sim_rng_key(&r, t->seed, 0xCA5, (uint64_t)c, P_CASILLA);
    double part = 0.55 + 0.20 * (0.5 * sim_unit(&u) + 0.5 * sim_unit(&r));
    int64_t base = ca->tipo == 'S' ? ca->boletas : ca->lista_nominal;
    if (ca->tipo == 'S')
        part = 0.35 + 0.55 * sim_unit(&r);
    *personas = (int64_t)llround((double)base * part);
    int reps = ca->representantes < 8 ? ca->representantes : 8;
    *rep_votaron = reps > 0 ? sim_range(&r, 0, reps) : 0;
}

static void acta_votes(const sim_truth *t, int e, int c, prep_val *v)
{
    const prep_catalog *cat = t->cat;
    const prep_eleccion *el = &cat->elecciones[e];
    const prep_casilla *ca = &cat->casillas[c];
    int n = el->ncols, u = prep_catalog_unidad_of(cat, e, c);
    int64_t personas, repv;
    casilla_voters(t, c, &personas, &repv);
    int64_t V = personas + repv;
    sim_rng r;
    sim_rng_key(&r, t->seed, ((uint64_t)e << 32) | (uint64_t)c, 1, P_VOTES);
    int64_t nulos = (int64_t)llround((double)V * (0.01 + 0.01 * sim_unit(&r)));
    int64_t noreg = sim_chance(&r, 0.3) ? sim_range(&r, 1, 3) : 0;
    if (nulos + noreg > V)
        nulos = noreg = 0;
    double w[PREP_MAX_COLS];
    int idx[PREP_MAX_COLS], m = 0;
    for (int k = 0; k < n; k++) {
        if (!prep_eleccion_aplica(el, u, k)) {
            v[PREP_F_COL0 + k] = PREP_V_NA;
            continue;
        }
        sim_rng ur;
        sim_rng_key(&ur, t->seed, ((uint64_t)e << 32) | (uint64_t)u, (uint64_t)k, P_UNIT);
        double unit_f = 0.6 + 1.0 * sim_unit(&ur);
        double cas_f = 0.8 + 0.45 * sim_unit(&r);
        double base = el->cols[k].tipo == PREP_COL_PARTIDO   ? party_weight(el->cols[k].nombre)
                      : el->cols[k].tipo == PREP_COL_COMBINACION ? 0.8
                                                                 : 3.0;
        w[m] = base * unit_f * cas_f;
        idx[m++] = k;
    }
    int64_t got[PREP_MAX_COLS];
    split(&r, V - nulos - noreg, w, m, got);
    for (int i = 0; i < m; i++)
        v[PREP_F_COL0 + idx[i]] = (prep_val)got[i];
    if (m == 0)
        nulos = V - noreg;
    int64_t recibidas = ca->tipo == 'S' ? ca->boletas : ca->lista_nominal + ca->representantes;
    v[PREP_F_SOBRANTES] = (prep_val)(recibidas > V ? recibidas - V : 0);
    v[PREP_F_PERSONAS] = (prep_val)personas;
    v[PREP_F_REPRESENTANTES] = (prep_val)repv;
    v[PREP_F_SACADOS] = (prep_val)V;
    v[PREP_F_NOREG(n)] = (prep_val)noreg;
    v[PREP_F_NULOS(n)] = (prep_val)nulos;
    v[PREP_F_ASENTADO(n)] = (prep_val)V;
}

/* ---- faults ------------------------------------------------------------- */

/* Vote fields that hold a number (candidates for a fault). */
static int vote_fields(const prep_val *v, int ncols, int *out)
{
    int m = 0;
    for (int f = PREP_F_COL0; f <= PREP_F_NULOS(ncols); f++)
        if (v[f] >= 0)
            out[m++] = f;
    return m;
}

static void blank_fields(sim_rng *r, prep_val *v, int ncols, prep_val what)
{
    int f[PREP_MAX_FIELDS];
    int m = vote_fields(v, ncols, f);
    if (m == 0)
        return;
    v[f[sim_range(r, 0, m - 1)]] = what;
    if (sim_chance(r, 0.5)) { /* sometimes a second one, possibly a total */
        int fixed[] = {PREP_F_SOBRANTES, PREP_F_PERSONAS, PREP_F_SACADOS, PREP_F_ASENTADO(ncols)};
        int g = sim_chance(r, 0.5) ? fixed[sim_range(r, 0, 3)] : f[sim_range(r, 0, m - 1)];
        v[g] = what;
    }
}

static void apply_acta_faults(sim_truth *t, int e, int c, sim_rng *r)
{
    sim_acta *a = &t->el[e].actas[c];
    const prep_eleccion *el = &t->cat->elecciones[e];
    int n = el->ncols, nf = PREP_NFIELDS(n);
    prep_val *v = a->vals;
    acta_votes(t, e, c, v);
    if (a->faults & SIM_FAULT_BIT(SIM_FAULT_TODOS)) {
        a->faults &= ~(SIM_FAULT_BIT(SIM_FAULT_EXCEDE) | SIM_FAULT_BIT(SIM_FAULT_ILEGIBLE) |
                       SIM_FAULT_BIT(SIM_FAULT_SIN_DATO));
        for (int f = PREP_F_COL0; f <= PREP_F_NULOS(n); f++)
            if (v[f] != PREP_V_NA)
                v[f] = sim_chance(r, 0.5) ? PREP_V_ILEGIBLE : PREP_V_SIN_DATO;
        v[PREP_F_ASENTADO(n)] = PREP_V_ILEGIBLE;
    }
    if (a->faults & SIM_FAULT_BIT(SIM_FAULT_ILEGIBLE))
        blank_fields(r, v, n, PREP_V_ILEGIBLE);
    if (a->faults & SIM_FAULT_BIT(SIM_FAULT_SIN_DATO))
        blank_fields(r, v, n, PREP_V_SIN_DATO);
    if (a->faults & SIM_FAULT_BIT(SIM_FAULT_EXCEDE)) {
        const prep_casilla *ca = &t->cat->casillas[c];
        prep_rule_limits lim;
        prep_tally_limits(ca, &lim);
        int64_t limite = (int64_t)(lim.especial ? lim.boletas : lim.lista_nominal) +
                         lim.representantes;
        int64_t tc = prep_rules_total_calculado(v, n);
        int f[PREP_MAX_FIELDS], m = vote_fields(v, n, f), best = -1;
        for (int i = 0; i < m; i++)
            if (f[i] < PREP_F_NOREG(n) && (best < 0 || v[f[i]] > v[best]))
                best = f[i];
        if (best < 0 && m > 0)
            best = f[0];
        if (best >= 0) {
            int64_t add = limite - tc + 1 + sim_range(r, 0, 40);
            if (add > 0) {
                v[best] += (prep_val)add;
                if (v[PREP_F_SACADOS] >= 0)
                    v[PREP_F_SACADOS] += (prep_val)add;
                if (v[PREP_F_ASENTADO(n)] >= 0)
                    v[PREP_F_ASENTADO(n)] += (prep_val)add;
                if (v[PREP_F_PERSONAS] >= 0)
                    v[PREP_F_PERSONAS] += (prep_val)add;
                if (v[PREP_F_SOBRANTES] >= 0)
                    v[PREP_F_SOBRANTES] = 0;
            }
        } else {
            a->faults &= ~SIM_FAULT_BIT(SIM_FAULT_EXCEDE);
        }
    }
    /* Mistypes: capture 1 (and 2 for the triple) get one field wrong. */
    a->mistype[0] = a->mistype[1] = -1;
    if (a->faults & (SIM_FAULT_BIT(SIM_FAULT_MISTYPE) | SIM_FAULT_BIT(SIM_FAULT_MISTYPE2))) {
        int cand[PREP_MAX_FIELDS], m = 0;
        for (int f = 0; f < nf; f++)
            if (v[f] != PREP_V_NA)
                cand[m++] = f;
        a->mistype[0] = (int8_t)cand[sim_range(r, 0, m - 1)];
        if (a->faults & SIM_FAULT_BIT(SIM_FAULT_MISTYPE2)) {
            int k = sim_range(r, 0, m - 2);
            if (cand[k] >= a->mistype[0])
                k++;
            a->mistype[1] = (int8_t)cand[k < m ? k : 0];
            a->faults &= ~SIM_FAULT_BIT(SIM_FAULT_MISTYPE);
        }
    }
}

void sim_capture_values(const sim_truth *t, int e, int c, int k, prep_val *out)
{
    const sim_acta *a = &t->el[e].actas[c];
    memcpy(out, a->vals, sizeof(prep_val) * (size_t)t->el[e].nfields);
    if (k < 0 || k > 1 || a->mistype[k] < 0)
        return;
    int f = a->mistype[k];
    prep_val v = out[f];
    /* A plausible slip: one digit off; a blank read as a number. Capture 2
     * of a triple slips differently from capture 1 (other field). */
    if (v >= 0)
        out[f] = v >= 10 && (v % 2) ? v - 9 : v + 1 + (f % 7);
    else
        out[f] = 7 + f;
}

/* ---- paquetes ------------------------------------------------------------ */

static int32_t arrival_time(sim_rng *r)
{
    /* Triangular between 1 h and 9 h after the close: most paquetes reach
     * the CATD around 23:00. */
    return 3600 + (int32_t)((sim_unit(r) + sim_unit(r)) * 4 * 3600);
}

static void plan_paquete(sim_truth *t, int c)
{
    const prep_casilla *ca = &t->cat->casillas[c];
    sim_casilla *s = &t->cas[c];
    const double *rt = t->faults.rate;
    sim_rng r;
    sim_rng_key(&r, t->seed, 0xBA6, (uint64_t)c, P_PAQUETE);
    int photo = ca->cae != 0 && sim_chance(&r, t->faults.photo);
    int32_t tp = 1800 + sim_range(&r, 0, 3 * 3600);
    double x = sim_unit(&r);
    s->faults = 0;
    s->t_photo = photo ? tp : -1;
    s->t_arrival = arrival_time(&r);
    if (x < rt[SIM_FAULT_SIN_ACTA]) {
        s->faults = SIM_FAULT_BIT(SIM_FAULT_SIN_ACTA);
        s->motivo = (uint8_t)sim_range(&r, 1, PREP_SIN_ACTA__COUNT - 1);
        s->t_photo = -1;
        if (s->motivo == PREP_SIN_ACTA_NO_ENTREGADO)
            s->t_arrival = 9 * 3600 + sim_range(&r, 0, 3600);
    } else if ((x -= rt[SIM_FAULT_SIN_ACTA]) < rt[SIM_FAULT_LOST]) {
        s->faults = SIM_FAULT_BIT(SIM_FAULT_LOST);
        s->t_arrival = -1;
    } else if ((x -= rt[SIM_FAULT_LOST]) < rt[SIM_FAULT_LATE]) {
        s->faults = SIM_FAULT_BIT(SIM_FAULT_LATE);
        s->t_arrival = 9 * 3600 + sim_range(&r, 0, 4 * 3600);
    }
}

/* 1 when acta (e, c) gets captured (it has some image). */
static int captured(const sim_truth *t, int c)
{
    const sim_casilla *s = &t->cas[c];
    return !(s->faults & SIM_FAULT_BIT(SIM_FAULT_SIN_ACTA)) &&
           (s->t_photo >= 0 || s->t_arrival >= 0);
}

static int eligible(const sim_truth *t, int e, int c, sim_fault k)
{
    (void)e;
    const sim_casilla *s = &t->cas[c];
    switch (k) {
    case SIM_FAULT_RETRY_UPLOAD:
        return captured(t, c) && s->t_photo >= 0;
    case SIM_FAULT_PHOTO_SCAN:
        return captured(t, c) && s->t_photo >= 0 && s->t_arrival >= 0;
    case SIM_FAULT_SIN_ACTA:
    case SIM_FAULT_LATE:
    case SIM_FAULT_LOST:
    case SIM_FAULT_FUERA:
        return s->faults == 0;
    default:
        return captured(t, c);
    }
}

static int is_paquete_fault(sim_fault k)
{
    return k == SIM_FAULT_SIN_ACTA || k == SIM_FAULT_LATE || k == SIM_FAULT_LOST;
}

/* Give fault k to the first eligible acta/paquete from a seed-chosen start. */
static void force_fault(sim_truth *t, sim_fault k, int motivo)
{
    const prep_catalog *cat = t->cat;
    sim_rng r;
    sim_rng_key(&r, t->seed, (uint64_t)k, (uint64_t)motivo, P_FORCE);
    int n = cat->ncasillas, start = sim_range(&r, 0, n - 1);
    int e = sim_range(&r, 0, cat->nelecciones - 1);
    for (int i = 0; i < n; i++) {
        int c = (start + i) % n;
        if (!eligible(t, e, c, k))
            continue;
        if (!is_paquete_fault(k) && (t->el[e].actas[c].faults & 0xFu))
            continue; /* keep the data faults apart: each must show */
        if (is_paquete_fault(k)) {
            sim_casilla *s = &t->cas[c];
            s->faults = SIM_FAULT_BIT(k);
            if (k == SIM_FAULT_SIN_ACTA) {
                s->motivo = (uint8_t)motivo;
                s->t_photo = -1;
            } else if (k == SIM_FAULT_LOST) {
                s->t_arrival = -1;
                s->t_photo = -1; /* so the loss shows: the acta stays ESPERADA */
            } else {
                s->t_arrival = 9 * 3600 + sim_range(&r, 0, 4 * 3600);
            }
        } else {
            t->el[e].actas[c].faults |= SIM_FAULT_BIT(k);
        }
        return;
    }
}

static int build_fuera(sim_truth *t, prep_err *err)
{
    const prep_catalog *cat = t->cat;
    double rate = t->faults.rate[SIM_FAULT_FUERA];
    int per = (int)llround(rate * cat->ncasillas);
    if (per == 0 && rate > 0 && t->faults.at_least_one)
        per = 1;
    int total = per * cat->nelecciones;
    t->fuera = total ? calloc((size_t)total, sizeof *t->fuera) : NULL;
    if (total && !t->fuera)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    for (int e = 0; e < cat->nelecciones; e++) {
        for (int i = 0; i < per; i++) {
            sim_rng r;
            sim_rng_key(&r, t->seed, (uint64_t)e, (uint64_t)i, P_FUERA);
            sim_fuera *f = &t->fuera[t->nfuera++];
            f->eleccion = e;
            f->t = arrival_time(&r);
            f->catd = cat->ncatd > 0 ? sim_range(&r, 1, cat->ncatd) : 0;
            const prep_casilla *ca = &cat->casillas[sim_range(&r, 0, cat->ncasillas - 1)];
            /* A miswritten identification: a sección or casilla number that
             * no approved casilla has. */
            for (int tries = 0; tries < 1000; tries++) {
                char cl[PREP_CLAVE_CASILLA_LEN + 1];
                prep_clave_casilla(ca->entidad, sim_range(&r, 1, 9999), 'B',
                                   sim_range(&r, 1, 99), 0, cl);
                if (prep_catalog_find_casilla(cat, cl) < 0) {
                    memcpy(f->ident, cl, sizeof cl);
                    break;
                }
            }
        }
    }
    return 0;
}

int sim_truth_build(const prep_catalog *cat, uint64_t seed, const sim_faults *f, sim_truth *out,
                    prep_err *err)
{
    memset(out, 0, sizeof *out);
    out->cat = cat;
    out->seed = seed;
    out->faults = *f;
    int n = cat->ncasillas;
    out->cas = calloc((size_t)(n ? n : 1), sizeof *out->cas);
    if (!out->cas)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    for (int c = 0; c < n; c++)
        plan_paquete(out, c);
    for (int e = 0; e < cat->nelecciones; e++) {
        sim_truth_el *te = &out->el[e];
        te->nfields = PREP_NFIELDS(cat->elecciones[e].ncols);
        te->actas = calloc((size_t)(n ? n : 1), sizeof *te->actas);
        te->valbuf = calloc((size_t)(n ? n : 1) * (size_t)te->nfields, sizeof(prep_val));
        if (!te->actas || !te->valbuf) {
            sim_truth_free(out);
            return prep_fail(err, PREP_E_NOMEM, "out of memory");
        }
        for (int c = 0; c < n; c++)
            te->actas[c].vals = te->valbuf + (size_t)c * (size_t)te->nfields;
    }
    /* Paquetes first (a sin acta or lost paquete has no acta to fault),
     * then the acta-level faults of the actas that get captured. */
    int64_t cnt[SIM_FAULT__COUNT];
    if (f->at_least_one) {
        sim_truth_fault_counts(out, cnt);
        for (int m = 1; m < PREP_SIN_ACTA__COUNT; m++) {
            int have = 0;
            for (int c = 0; c < n && !have; c++)
                have = (out->cas[c].faults & SIM_FAULT_BIT(SIM_FAULT_SIN_ACTA)) &&
                       out->cas[c].motivo == m;
            if (!have && f->rate[SIM_FAULT_SIN_ACTA] > 0)
                force_fault(out, SIM_FAULT_SIN_ACTA, m);
        }
        for (int k = SIM_FAULT_LATE; k <= SIM_FAULT_LOST; k++)
            if (cnt[k] == 0 && f->rate[k] > 0)
                force_fault(out, (sim_fault)k, 0);
    }
    for (int e = 0; e < cat->nelecciones; e++)
        for (int c = 0; c < n; c++) {
            sim_rng r;
            sim_rng_key(&r, seed, ((uint64_t)e << 32) | (uint64_t)c, 2, P_FAULTS);
            uint32_t bits = 0;
            for (int k = 0; k < SIM_FAULT__COUNT; k++) {
                if (is_paquete_fault(k) || k == SIM_FAULT_FUERA)
                    continue;
                if (sim_chance(&r, f->rate[k]) && eligible(out, e, c, k))
                    bits |= SIM_FAULT_BIT(k);
            }
            out->el[e].actas[c].faults = bits;
        }
    if (f->at_least_one) {
        sim_truth_fault_counts(out, cnt);
        for (int k = 0; k < SIM_FAULT__COUNT; k++)
            if (!is_paquete_fault(k) && k != SIM_FAULT_FUERA && cnt[k] == 0 && f->rate[k] > 0)
                force_fault(out, (sim_fault)k, 0);
    }
    /* Figures last: they depend on the faults (blanks, excess, mistypes). */
    for (int e = 0; e < cat->nelecciones; e++)
        for (int c = 0; c < n; c++) {
            sim_rng r;
            sim_rng_key(&r, seed, ((uint64_t)e << 32) | (uint64_t)c, 3, P_FAULTS);
            apply_acta_faults(out, e, c, &r);
        }
    if (build_fuera(out, err) < 0) {
        sim_truth_free(out);
        return -1;
    }
    return 0;
}

void sim_truth_free(sim_truth *t)
{
    if (!t)
        return;
    for (int e = 0; e < PREP_MAX_ELECCIONES; e++) {
        free(t->el[e].actas);
        free(t->el[e].valbuf);
    }
    free(t->cas);
    free(t->fuera);
    memset(t, 0, sizeof *t);
}

void sim_truth_fault_counts(const sim_truth *t, int64_t counts[SIM_FAULT__COUNT])
{
    memset(counts, 0, sizeof(int64_t) * SIM_FAULT__COUNT);
    const prep_catalog *cat = t->cat;
    for (int c = 0; c < cat->ncasillas; c++)
        for (int k = 0; k < SIM_FAULT__COUNT; k++)
            if (is_paquete_fault(k) && (t->cas[c].faults >> k & 1u))
                counts[k]++;
    for (int e = 0; e < cat->nelecciones; e++)
        for (int c = 0; c < cat->ncasillas; c++)
            for (int k = 0; k < SIM_FAULT__COUNT; k++)
                if (!is_paquete_fault(k) && (t->el[e].actas[c].faults >> k & 1u))
                    counts[k]++;
    counts[SIM_FAULT_FUERA] = t->nfuera;
}
