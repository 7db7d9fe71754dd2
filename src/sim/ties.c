/* ties.c — `prep simulate --ties`: make chosen units end tied in the final
 * corte. A unit is "GUB", "DIP_LOC:5" or "ALC:3" (election code, unit ID as
 * published); a ":2" suffix ties second and third place instead of first
 * and second. The truth is adjusted by moving half the difference from the
 * candidatura ahead to the one behind (and one vote to NULOS when the
 * difference is odd) on contabilizada actas: the acta's total does not
 * change, so no rule result changes, and the unit's votos nulos stay what
 * they were; totals come from tally.h. No I/O. */
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

int sim_tie_parse(const prep_catalog *cat, const char *spec, sim_tie *out, prep_err *err)
{
    char buf[64], *save = NULL;
    if (strlen(spec) >= sizeof buf)
        return prep_fail(err, PREP_E_INVALID, "tie '%s': too long", spec);
    strcpy(buf, spec);
    char *code = strtok_r(buf, ":", &save), *id = strtok_r(NULL, ":", &save);
    char *place = strtok_r(NULL, ":", &save);
    int e = code ? prep_catalog_find_eleccion(cat, code) : -1;
    if (e < 0)
        return prep_fail(err, PREP_E_INVALID, "tie '%s': no election '%s' in the catálogo", spec,
                         code ? code : "");
    memset(out, 0, sizeof *out);
    out->eleccion = e;
    out->place = 1;
    int n = prep_catalog_nunidades(cat, e);
    out->unidad = -1;
    if (!id && n == 1)
        out->unidad = 0;
    for (int u = 0; id && u < n; u++)
        if (prep_catalog_unidad_id(cat, e, u) == atoi(id))
            out->unidad = u;
    if (out->unidad < 0)
        return prep_fail(err, PREP_E_INVALID,
                         "tie '%s': %s has %d units; name one as %s:ID with a published ID", spec,
                         code, n, code);
    if (place && strcmp(place, "1") && strcmp(place, "2"))
        return prep_fail(err, PREP_E_INVALID, "tie '%s': the place is 1 or 2, not '%s'", spec,
                         place);
    out->place = place ? atoi(place) : 1;
    return 0;
}

int sim_unit_candidatos(const sim_truth *t, int e, int u, prep_candidatos *out, prep_err *err)
{
    prep_votes v;
    prep_votes_init(&v, t->cat->elecciones[e].ncols);
    for (int c = 0; c < t->cat->ncasillas; c++) {
        if (prep_catalog_unidad_of(t->cat, e, c) != u)
            continue;
        sim_expect x;
        sim_expect_acta(t, e, c, &x);
        if (x.kind == SIM_EXP_PUBLICADA)
            prep_votes_add(&v, x.vals, &x.res);
    }
    return prep_candidatos_unidad(t->cat, e, u, &v, out, err);
}

/* Move up to want votes of the columns in from to the first column of to
 * that has a legible value on this acta (to = 0: to NULOS), on one
 * contabilizada acta, keeping its rule result; returns how many were
 * moved, -1 if the rule result changed. */
static int64_t move_votes(sim_truth *t, int e, int c, uint64_t from, uint64_t to, int64_t want)
{
    sim_expect x;
    sim_expect_acta(t, e, c, &x);
    if (x.kind != SIM_EXP_PUBLICADA || !x.res.contabilizada)
        return 0;
    const prep_eleccion *el = &t->cat->elecciones[e];
    sim_acta *a = &t->el[e].actas[c];
    if (a->mistype[0] >= 0 || a->mistype[1] >= 0)
        return 0;
    prep_val *dst = to ? NULL : &a->vals[PREP_F_NULOS(el->ncols)];
    for (int k = 0; to && k < el->ncols && !dst; k++)
        if ((to >> k) & 1u && a->vals[PREP_F_COL0 + k] >= 0)
            dst = &a->vals[PREP_F_COL0 + k];
    if (!dst || *dst < 0)
        return 0;
    int64_t moved = 0;
    for (int k = 0; k < el->ncols && moved < want; k++) {
        prep_val *f = &a->vals[PREP_F_COL0 + k];
        if (!((from >> k) & 1u) || *f <= 0)
            continue;
        int64_t m = *f < want - moved ? *f : want - moved;
        *f -= (prep_val)m;
        *dst += (prep_val)m;
        moved += m;
    }
    sim_expect y;
    sim_expect_acta(t, e, c, &y);
    if (!y.res.contabilizada || y.res.inconsistente != x.res.inconsistente)
        return -1; /* caller treats as fatal: should not happen */
    return moved;
}

int sim_truth_tie(sim_truth *t, const sim_tie *tie, prep_err *err)
{
    int e = tie->eleccion, u = tie->unidad, a = tie->place - 1;
    prep_candidatos pc;
    if (sim_unit_candidatos(t, e, u, &pc, err) < 0)
        return -1;
    const char *code = t->cat->elecciones[e].codigo;
    if (pc.n < a + 2 || pc.c[a + 1].votos <= 0)
        return prep_fail(err, PREP_E_INVALID,
                         "cannot tie %s unit %d for place %d: too few candidaturas with votes",
                         code, prep_catalog_unidad_id(t->cat, e, u), tie->place);
    int64_t diff = pc.c[a].votos - pc.c[a + 1].votos;
    /* Half the difference to the one behind, the odd vote to NULOS. */
    uint64_t to[2] = {pc.c[a + 1].cols, 0};
    int64_t todo[2] = {diff / 2, diff % 2}, want = 0;
    for (int pass = 0; pass < 2; pass++) {
        want = todo[pass];
        for (int c = 0; c < t->cat->ncasillas && want > 0; c++) {
            if (prep_catalog_unidad_of(t->cat, e, c) != u)
                continue;
            int64_t m = move_votes(t, e, c, pc.c[a].cols, to[pass], want);
            if (m < 0)
                return prep_fail(err, PREP_E_STATE, "tie of %s changed an acta's rule result",
                                 code);
            want -= m;
        }
        if (want > 0)
            break;
    }
    if (want > 0)
        return prep_fail(err, PREP_E_INVALID, "cannot tie %s unit %d: not enough counted votes",
                         code, prep_catalog_unidad_id(t->cat, e, u));
    return 0;
}

int sim_truth_ties(sim_truth *t, const char *list, prep_err *err)
{
    char buf[1024], *save = NULL;
    if (!list || !*list)
        return 0;
    if (strlen(list) >= sizeof buf)
        return prep_fail(err, PREP_E_INVALID, "--ties: list too long");
    strcpy(buf, list);
    for (char *s = strtok_r(buf, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
        sim_tie tie;
        if (sim_tie_parse(t->cat, s, &tie, err) < 0 || sim_truth_tie(t, &tie, err) < 0)
            return -1;
    }
    return 0;
}
