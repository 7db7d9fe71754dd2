/* catalog_gen.c — synthetic, realistic catálogos for tests, drills and
 * benchmarks: presets small, cdmx and national (docs/catalog-format.md).
 * Deterministic for a seed: own PRNG (gen_rng.h), integer and basic double
 * arithmetic only (no libm), one draw per statement. It builds the same
 * in-memory model the file reader builds; it does no I/O. */
#include "catalog/catalog_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/gen_names.h"
#include "catalog/gen_rng.h"

const char *const prep_catalog_presets[] = {"small", "cdmx", "national", NULL};

/* One entidad to generate. */
typedef struct {
    int id;
    const char *nombre;
    int ndist, ndem;
    int alcaldias;   /* 1: demarcaciones are the 16 real alcaldías */
    int nsec;        /* secciones */
    int ncas_ord;    /* casillas básicas + contiguas */
    long ln;         /* lista nominal target (ordinary + extraordinarias) */
    int nE;          /* casillas extraordinarias (before their contiguas) */
    int nS;          /* casillas especiales */
} ent_spec;

/* Per (election, unit) departures from "both coalitions run, no CI". */
typedef struct {
    const char *eleccion;
    int unidad;      /* unit index */
    int sin_coal;    /* bit k: coalition k does not run there */
    int nci;         /* candidaturas independientes (0..2) */
} unit_rule;

typedef struct {
    const char *codigo, *nombre;
    int unidad;
    const char *tipo_acta, *tipo_acta_especial;
    int ci;          /* has CAND_IND_n columns */
    int suplente;    /* candidaturas have a suplente */
} ele_spec;

typedef struct {
    prep_catalog *cat;
    gen_rng rng;
    int capsec, capcas;
    /* per-sección scratch, reused for each entidad */
    int *k, *dem, *dis, *rural, *ne, *econt, *ns;
} gen;

static const char *const partidos[] = {"PAN", "PRI", "PRD", "PVEM", "PT", "MC", "MORENA"};
static const char *const combinaciones[] = {"PAN_PRI_PRD",    "PAN_PRI", "PAN_PRD",
                                            "PRI_PRD",        "PVEM_PT_MORENA", "PVEM_PT",
                                            "PVEM_MORENA",    "PT_MORENA"};
#define NPART 7
#define NCOMB 8
#define NCI 2

/* Bounded copy that always terminates (names are validated lengths). */
static void setstr(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src);
}

/* ---- secciones and casillas of one entidad --------------------------- */

static int add_unit(prep_unidad **arr, int *n, int entidad, int id, const char *nombre)
{
    prep_unidad *a = realloc(*arr, (size_t)(*n + 1) * sizeof **arr);
    if (!a)
        return -1;
    *arr = a;
    prep_unidad *u = &a[(*n)++];
    memset(u, 0, sizeof *u);
    u->entidad = entidad;
    u->id = id;
    setstr(u->nombre, sizeof u->nombre, nombre);
    return 0;
}

static int casillas_for(gen_rng *r)
{
    int x = gen_range(r, 0, 99);
    return x < 30 ? 1 : x < 62 ? 2 : x < 82 ? 3 : x < 92 ? 4 : x < 97 ? 5 : gen_range(r, 6, 9);
}

static char mecanismo(gen_rng *r)
{
    int x = gen_range(r, 0, 99);
    return x < 9 ? 'D' : x < 13 ? 'F' : x < 15 ? 'I' : 0;
}

static prep_casilla *new_casilla(gen *g, const ent_spec *es, int s, int sec_num, char tipo,
                                 int numero, int ext)
{
    prep_catalog *cat = g->cat;
    prep_casilla *c = &cat->casillas[cat->ncasillas++];
    memset(c, 0, sizeof *c);
    c->entidad = es->id;
    c->seccion = sec_num;
    c->tipo = tipo;
    c->numero = numero;
    c->ext = ext;
    c->ubicacion = g->rural[s] ? PREP_UBIC_NO_URBANA : PREP_UBIC_URBANA;
    c->representantes = gen_range(&g->rng, 0, 20);
    c->catd = g->dis[s] + 1;
    c->mecanismo = mecanismo(&g->rng);
    return c;
}

static int gen_entidad(gen *g, const ent_spec *es, prep_err *err)
{
    prep_catalog *cat = g->cat;
    gen_rng *r = &g->rng;
    prep_entidad *ent = &cat->entidades[cat->nentidades++];
    memset(ent, 0, sizeof *ent);
    ent->id = es->id;
    setstr(ent->nombre, sizeof ent->nombre, es->nombre);

    /* Demarcaciones: their relative sizes and how rural they are. */
    int dem0 = cat->ndemarcaciones;
    double w[600], rur[600], wsum = 0;
    if (es->ndem > 600 || es->ndem > es->nsec || es->ncas_ord < es->nsec)
        return prep_fail(err, PREP_E_INVALID, "generator: bad preset for entidad %d", es->id);
    for (int d = 0; d < es->ndem; d++) {
        char name[PREP_NAME_MAX];
        if (es->alcaldias) {
            w[d] = gen_alcaldias[d].ln_miles;
            rur[d] = gen_alcaldias[d].no_urbana;
            setstr(name, sizeof name, gen_alcaldias[d].nombre);
        } else {
            double u = gen_unit(r);
            w[d] = 0.3 + 20.0 * u * u * u;
            rur[d] = 0.1 + 0.8 * gen_unit(r);
            for (int tries = 0;; tries++) {
                gen_place(r, name, sizeof name);
                int dup = 0;
                for (int j = dem0; j < cat->ndemarcaciones && !dup; j++)
                    dup = strcmp(cat->demarcaciones[j].nombre, name) == 0;
                if (!dup)
                    break;
                if (tries > 1000)
                    return prep_fail(err, PREP_E_INVALID, "generator: out of place names");
            }
        }
        wsum += w[d];
        if (add_unit(&cat->demarcaciones, &cat->ndemarcaciones, es->id, d + 1, name) < 0)
            return prep_fail(err, PREP_E_NOMEM, "out of memory");
    }

    /* Secciones per demarcación (at least one each), numbered upwards with
     * a few gaps, as real sección numbers have. */
    int s = 0;
    int spare = es->nsec - es->ndem;
    for (int d = 0; d < es->ndem; d++) {
        int n = 1 + (int)(spare * w[d] / wsum);
        for (int i = 0; i < n && s < es->nsec; i++)
            g->dem[s++] = d;
    }
    for (int d = 0; s < es->nsec; d = (d + 1) % es->ndem) /* rounding leftovers */
        g->dem[s++] = d;
    /* leftovers were appended out of order: keep secciones grouped by demarcación */
    for (int i = 1; i < es->nsec; i++) {
        int v = g->dem[i], j = i - 1;
        while (j >= 0 && g->dem[j] > v) {
            g->dem[j + 1] = g->dem[j];
            j--;
        }
        g->dem[j + 1] = v;
    }
    int gaps = 9999 - es->nsec;
    double pgap = gaps > es->nsec / 20 ? 0.05 : (double)gaps / es->nsec;
    int sec_num[10000];
    for (int i = 0, num = 0; i < es->nsec; i++) {
        num++;
        if (gaps > 0 && gen_chance(r, pgap)) {
            num++;
            gaps--;
        }
        sec_num[i] = num;
        g->rural[i] = gen_chance(r, rur[g->dem[i]]);
        g->ne[i] = g->econt[i] = g->ns[i] = 0;
    }

    /* Casillas per sección, then nudged to the exact target. */
    int total = 0;
    for (int i = 0; i < es->nsec; i++)
        total += g->k[i] = casillas_for(r);
    while (total < es->ncas_ord) {
        int i = gen_range(r, 0, es->nsec - 1);
        if (g->k[i] < 12) {
            g->k[i]++;
            total++;
        }
    }
    while (total > es->ncas_ord) {
        int i = gen_range(r, 0, es->nsec - 1);
        if (g->k[i] > 1) {
            g->k[i]--;
            total--;
        }
    }

    /* Distritos: consecutive runs of secciones with about the same number of
     * casillas; named after the demarcación of their middle sección. */
    int dis0 = cat->ndistritos;
    long cum = 0;
    for (int i = 0; i < es->nsec; i++) {
        int d = (int)(cum * es->ndist / total);
        g->dis[i] = dis0 + (d < es->ndist ? d : es->ndist - 1);
        cum += g->k[i];
    }
    for (int d = 0, first = 0; d < es->ndist; d++) {
        int last = first;
        while (last < es->nsec && g->dis[last] == dis0 + d)
            last++;
        if (last == first)
            return prep_fail(err, PREP_E_INVALID, "generator: distrito %d has no secciones",
                             d + 1);
        const char *cab = cat->demarcaciones[dem0 + g->dem[(first + last) / 2]].nombre;
        if (add_unit(&cat->distritos, &cat->ndistritos, es->id, d + 1, cab) < 0)
            return prep_fail(err, PREP_E_NOMEM, "out of memory");
        first = last;
    }
    for (int i = 0; i < es->nsec; i++) {
        prep_seccion *sec = &cat->secciones[cat->nsecciones++];
        sec->entidad = es->id;
        sec->seccion = sec_num[i];
        sec->distrito = g->dis[i];
        sec->demarcacion = dem0 + g->dem[i];
    }

    /* Extraordinarias (mostly in rural secciones, some with a contigua) and
     * especiales (mostly urban). */
    int nEcas = 0;
    for (int e = 0; e < es->nE; e++) {
        int i = gen_range(r, 0, es->nsec - 1);
        for (int t = 0; t < 30 && (!g->rural[i] || g->ne[i] >= 4); t++)
            i = gen_range(r, 0, es->nsec - 1);
        if (g->ne[i] >= 4)
            continue;
        int contigua = gen_chance(r, 0.3);
        if (contigua)
            g->econt[i] |= 1 << g->ne[i];
        g->ne[i]++;
        nEcas += 1 + contigua;
    }
    for (int e = 0; e < es->nS; e++) {
        int i = gen_range(r, 0, es->nsec - 1);
        for (int t = 0; t < 30 && (g->rural[i] || g->ns[i] >= 2); t++)
            i = gen_range(r, 0, es->nsec - 1);
        if (g->ns[i] < 3)
            g->ns[i]++;
    }

    /* Lista nominal: ordinary casillas take up to 750 voters each; a
     * sección's lista is split evenly among its básica and contiguas. */
    /* (+0.4 %: what the few small single-casilla secciones take away) */
    double mean = (double)(es->ln - nEcas * 375L) / es->ncas_ord * 1.004;
    int lo = (int)(2 * mean - 750);
    lo = lo < 100 ? 100 : lo > 740 ? 740 : lo;
    for (int i = 0; i < es->nsec; i++) {
        int k = g->k[i];
        long L = 0;
        if (k == 1 && gen_chance(r, 0.04))
            L = gen_range(r, 60, 399);
        else
            for (int j = 0; j < k; j++)
                L += gen_range(r, lo, 750);
        for (int j = 0; j < k; j++) {
            prep_casilla *c = new_casilla(g, es, i, sec_num[i], j == 0 ? 'B' : 'C',
                                          j == 0 ? 1 : j, 0);
            c->lista_nominal = (int)(L / k + (j < L % k ? 1 : 0));
        }
        for (int j = 0; j < g->ne[i]; j++) {
            for (int x = 0; x <= ((g->econt[i] >> j) & 1); x++) {
                prep_casilla *c = new_casilla(g, es, i, sec_num[i], 'E', j + 1, x);
                c->lista_nominal = gen_range(r, 150, 600);
            }
        }
        for (int j = 0; j < g->ns[i]; j++) {
            prep_casilla *c = new_casilla(g, es, i, sec_num[i], 'S', j + 1, 0);
            c->boletas = gen_range(r, 750, 1500);
        }
    }
    return 0;
}

/* About 4 casillas per CAE, in runs of neighbouring casillas of one CATD;
 * especiales are left to the CATD. Casillas are already in clave order. */
static void assign_cae(gen *g, int ncae)
{
    prep_catalog *cat = g->cat;
    int ngroups = 0;
    for (int i = 0, run = 0; i < cat->ncasillas; i++) {
        const prep_casilla *c = &cat->casillas[i];
        if (c->tipo == 'S')
            continue;
        if (run > 0 && cat->casillas[i - 1].catd != c->catd)
            run = 0;
        if (++run == 4) {
            ngroups++;
            run = 0;
        }
    }
    int need = ncae < ngroups ? ncae : ngroups, left = ngroups, id = 0;
    int start = 0;
    for (int i = 0, run = 0; i < cat->ncasillas && need > 0; i++) {
        const prep_casilla *c = &cat->casillas[i];
        if (c->tipo == 'S')
            continue;
        if (run > 0 && cat->casillas[i - 1].catd != c->catd)
            run = 0;
        if (run == 0)
            start = i;
        if (++run < 4)
            continue;
        run = 0;
        /* selection sampling: take this group with probability need/left */
        if (gen_range(&g->rng, 1, left--) <= need) {
            id++;
            need--;
            for (int j = start; j <= i; j++)
                if (cat->casillas[j].tipo != 'S')
                    cat->casillas[j].cae = id;
        }
    }
}

/* ---- elections, columns, candidaturas -------------------------------- */

static void set_eleccion(prep_eleccion *el, const ele_spec *es, const char *const coal_names[2])
{
    memset(el, 0, sizeof *el);
    setstr(el->codigo, sizeof el->codigo, es->codigo);
    setstr(el->nombre, sizeof el->nombre, es->nombre);
    el->unidad = es->unidad;
    setstr(el->tipo_acta, sizeof el->tipo_acta, es->tipo_acta);
    setstr(el->tipo_acta_especial, sizeof el->tipo_acta_especial, es->tipo_acta_especial);
    static const int coal_of[NPART] = {0, 0, 0, 1, 1, -1, 1};
    for (int i = 0; i < NPART; i++) {
        prep_columna *c = &el->cols[el->ncols++];
        setstr(c->nombre, sizeof c->nombre, partidos[i]);
        c->tipo = PREP_COL_PARTIDO;
        c->coalicion = coal_of[i];
    }
    for (int i = 0; i < NCOMB; i++) {
        prep_columna *c = &el->cols[el->ncols++];
        setstr(c->nombre, sizeof c->nombre, combinaciones[i]);
        c->tipo = PREP_COL_COMBINACION;
        c->coalicion = i < 4 ? 0 : 1;
    }
    for (int i = 0; es->ci && i < NCI; i++) {
        prep_columna *c = &el->cols[el->ncols++];
        snprintf(c->nombre, sizeof c->nombre, "CAND_IND_%d", i + 1);
        c->tipo = PREP_COL_CI;
        c->coalicion = -1;
    }
    el->ncoaliciones = 2;
    for (int k = 0; k < 2; k++) {
        prep_coalicion *co = &el->coaliciones[k];
        setstr(co->codigo, sizeof co->codigo, combinaciones[k ? 4 : 0]);
        setstr(co->nombre, sizeof co->nombre, coal_names[k]);
        for (int i = 0; i < NPART; i++)
            if (coal_of[i] == k)
                co->partidos[co->npartidos++] = i;
    }
}

static void add_cand(prep_eleccion *el, int u, int col, const char *prop, const char *sup)
{
    prep_candidatura *k = &el->candidaturas[el->ncandidaturas++];
    memset(k, 0, sizeof *k);
    k->unidad = u;
    k->col = col;
    setstr(k->propietaria, sizeof k->propietaria, prop);
    setstr(k->suplente, sizeof k->suplente, sup);
}

static void formula(gen_rng *r, int suplente, char *prop, char *sup)
{
    int female = gen_chance(r, 0.5);
    gen_person(r, female, prop, PREP_NAME_MAX);
    if (suplente)
        gen_person(r, female, sup, PREP_NAME_MAX);
    else
        sup[0] = '\0';
}

static int gen_candidaturas(gen *g, int e, const ele_spec *es, const unit_rule *rules,
                            int nrules, prep_err *err)
{
    prep_catalog *cat = g->cat;
    prep_eleccion *el = &cat->elecciones[e];
    int nu = prep_catalog_nunidades(cat, e);
    el->candidaturas = malloc((size_t)nu * PREP_MAX_COLS * sizeof *el->candidaturas);
    if (!el->candidaturas)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    char prop[PREP_NAME_MAX], sup[PREP_NAME_MAX];
    for (int u = 0; u < nu; u++) {
        int sin_coal = 0, nci = 0;
        for (int i = 0; i < nrules; i++)
            if (strcmp(rules[i].eleccion, es->codigo) == 0 && rules[i].unidad == u) {
                sin_coal = rules[i].sin_coal;
                nci = rules[i].nci;
            }
        for (int k = 0; k < 2; k++) {
            if (sin_coal & (1 << k))
                continue;
            formula(&g->rng, es->suplente, prop, sup);
            for (int i = 0; i < el->ncols; i++)
                if (el->cols[i].tipo != PREP_COL_CI && el->cols[i].coalicion == k)
                    add_cand(el, u, i, prop, sup);
        }
        for (int i = 0; i < NPART; i++) {
            int k = el->cols[i].coalicion;
            if (k >= 0 && !(sin_coal & (1 << k)))
                continue;
            formula(&g->rng, es->suplente, prop, sup);
            add_cand(el, u, i, prop, sup);
        }
        for (int i = 0; es->ci && i < nci && i < NCI; i++) {
            formula(&g->rng, es->suplente, prop, sup);
            add_cand(el, u, NPART + NCOMB + i, prop, sup);
        }
    }
    return 0;
}

/* ---- presets ---------------------------------------------------------- */

static const ele_spec ele_local[] = {
    /* IECM 2024's election codes and printed acta numbers (its LEEME lists
     * A02/A02E, A03/A03EMR, A04/A04E for casillas and casillas especiales). */
    {"GUB", "JEFATURA DE GOBIERNO", PREP_UNIDAD_ENTIDAD, "A02", "A02E", 0, 0},
    {"DIP_LOC", "DIPUTACIONES LOCALES DE MAYORÍA RELATIVA", PREP_UNIDAD_DISTRITO, "A03", "A03EMR",
     1, 1},
    {"ALC", "ALCALDÍAS", PREP_UNIDAD_DEMARCACION, "A04", "A04E", 1, 1},
};

static const ele_spec ele_federal[] = {
    {"PRES", "PRESIDENCIA DE LA REPÚBLICA", PREP_UNIDAD_ENTIDAD, "2", "2E", 0, 0},
    {"SEN", "SENADURÍAS", PREP_UNIDAD_ENTIDAD, "3", "3E", 1, 1},
    {"DIP", "DIPUTACIONES FEDERALES DE MAYORÍA RELATIVA", PREP_UNIDAD_DISTRITO, "4", "4E", 1,
     1},
};

static const char *const coal_cdmx[2] = {"VA X LA CDMX", "SIGAMOS HACIENDO HISTORIA"};
static const char *const coal_fed[2] = {"FUERZA Y CORAZÓN POR MÉXICO",
                                        "SIGAMOS HACIENDO HISTORIA"};

/* cdmx: distrito 7 without PAN_PRI_PRD, distrito 21 without PVEM_PT_MORENA,
 * independientes in distritos 3, 14 (two) and 27; Milpa Alta without
 * PAN_PRI_PRD, one independiente in Tlalpan. */
static const unit_rule rules_cdmx[] = {
    {"DIP_LOC", 6, 1, 0}, {"DIP_LOC", 20, 2, 0}, {"DIP_LOC", 2, 0, 1}, {"DIP_LOC", 13, 0, 2},
    {"DIP_LOC", 26, 0, 1}, {"ALC", 7, 1, 0}, {"ALC", 10, 0, 1},
};

/* small: distrito 2 without PAN_PRI_PRD, an independiente in distrito 3
 * and in demarcación 2. */
static const unit_rule rules_small[] = {
    {"DIP_LOC", 1, 1, 0}, {"DIP_LOC", 2, 0, 1}, {"ALC", 1, 0, 1},
};

static int build(gen *g, const ent_spec *ents, int nents, const ele_spec *eles,
                 const char *const coal_names[2], const unit_rule *rules, int nrules, int ncae,
                 prep_err *err)
{
    prep_catalog *cat = g->cat;
    int nsec = 0, ncas = 0;
    for (int i = 0; i < nents; i++) {
        nsec += ents[i].nsec;
        ncas += ents[i].ncas_ord + 2 * ents[i].nE + 3 * ents[i].nS;
    }
    cat->entidades = calloc((size_t)nents, sizeof *cat->entidades);
    cat->secciones = calloc((size_t)nsec, sizeof *cat->secciones);
    cat->casillas = calloc((size_t)ncas, sizeof *cat->casillas);
    size_t maxsec = 10000;
    int **scratch[] = {&g->k, &g->dem, &g->dis, &g->rural, &g->ne, &g->econt, &g->ns};
    int ok = cat->entidades && cat->secciones && cat->casillas;
    for (size_t i = 0; i < sizeof scratch / sizeof scratch[0]; i++)
        ok = (*scratch[i] = calloc(maxsec, sizeof(int))) && ok;
    if (!ok)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    for (int i = 0; i < nents; i++)
        if (gen_entidad(g, &ents[i], err) < 0)
            return -1;
    cat->ncatd = cat->ndistritos;
    assign_cae(g, ncae);
    cat->nelecciones = 3;
    for (int e = 0; e < 3; e++) {
        set_eleccion(&cat->elecciones[e], &eles[e], coal_names);
        if (gen_candidaturas(g, e, &eles[e], rules, nrules, err) < 0)
            return -1;
    }
    return prep_catalog_finish(cat, err);
}

static int preset_small(gen *g, prep_err *err)
{
    prep_catalog *cat = g->cat;
    strcpy(cat->proceso, "PROCESO ELECTORAL LOCAL ORDINARIO 2023-2024 (CATÁLOGO DE PRUEBA)");
    strcpy(cat->ent_codigo, "CDMX");
    cat->anio = 2024;
    cat->formato = PREP_FORMATO_IECM; /* IECM's own file names and value forms */
    ent_spec es = {.id = 9, .nombre = "CIUDAD DE MÉXICO", .ndist = 3, .ndem = 2,
                   .alcaldias = 1, .nsec = 120, .ncas_ord = 290, .ln = 290L * 578, .nE = 2,
                   .nS = 3};
    return build(g, &es, 1, ele_local, coal_cdmx, rules_small,
                 (int)(sizeof rules_small / sizeof rules_small[0]), 21, err);
}

static int preset_cdmx(gen *g, prep_err *err)
{
    prep_catalog *cat = g->cat;
    strcpy(cat->proceso, "PROCESO ELECTORAL LOCAL ORDINARIO 2023-2024");
    strcpy(cat->ent_codigo, "CDMX");
    cat->anio = 2024;
    cat->formato = PREP_FORMATO_IECM; /* IECM's own file names and value forms */
    ent_spec es = {.id = 9, .nombre = "CIUDAD DE MÉXICO", .ndist = 33, .ndem = 16,
                   .alcaldias = 1, .nsec = 5540, .ncas_ord = 13380, .ln = 7770000, .nE = 24,
                   .nS = 50};
    return build(g, &es, 1, ele_local, coal_cdmx, rules_cdmx,
                 (int)(sizeof rules_cdmx / sizeof rules_cdmx[0]), 990, err);
}

static int preset_national(gen *g, prep_err *err)
{
    prep_catalog *cat = g->cat;
    strcpy(cat->proceso, "PROCESO ELECTORAL FEDERAL 2023-2024");
    strcpy(cat->ent_codigo, "NACIONAL");
    cat->anio = 2024;
    ent_spec es[32];
    for (int i = 0; i < 32; i++) {
        const gen_entidad_info *in = &gen_entidades[i];
        int d = in->distritos;
        es[i] = (ent_spec){.id = in->id, .nombre = in->nombre, .ndist = d,
                           .ndem = in->municipios, .alcaldias = in->id == 9,
                           .nsec = (71000 * d + 150) / 300, .ncas_ord = (167000 * d + 150) / 300,
                           .ln = 98300000L * d / 300, .nE = 6 * d, .nS = 3 * d};
    }
    /* Departures: a few distritos without one coalition or with
     * independientes, drawn from the seed; one senate race with one. */
    unit_rule rules[64];
    int nrules = 0;
    rules[nrules++] = (unit_rule){"DIP", 5, 1, 0};
    rules[nrules++] = (unit_rule){"DIP", 11, 2, 0};
    rules[nrules++] = (unit_rule){"DIP", 17, 0, 2};
    rules[nrules++] = (unit_rule){"SEN", 18, 0, 1};
    while (nrules < 40) {
        int u = gen_range(&g->rng, 20, 299);
        int what = gen_range(&g->rng, 0, 3);
        rules[nrules++] = (unit_rule){"DIP", u, what == 0 ? 1 : what == 1 ? 2 : 0,
                                      what >= 2 ? what - 1 : 0};
    }
    return build(g, es, 32, ele_federal, coal_fed, rules, nrules, 12500, err);
}

int prep_catalog_generate(const char *preset, uint64_t seed, prep_catalog *out, prep_err *err)
{
    prep_catalog_init(out);
    gen g = {.cat = out};
    gen_rng_seed(&g.rng, seed);
    int rc;
    if (preset && strcmp(preset, "small") == 0)
        rc = preset_small(&g, err);
    else if (preset && strcmp(preset, "cdmx") == 0)
        rc = preset_cdmx(&g, err);
    else if (preset && strcmp(preset, "national") == 0)
        rc = preset_national(&g, err);
    else
        rc = prep_fail(err, PREP_E_INVALID, "unknown preset '%s' (small, cdmx or national)",
                       preset ? preset : "");
    free(g.k);
    free(g.dem);
    free(g.dis);
    free(g.rural);
    free(g.ne);
    free(g.econt);
    free(g.ns);
    if (rc < 0)
        prep_catalog_free(out);
    return rc;
}
