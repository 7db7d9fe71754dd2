/* tallies.c — per-unit and whole-election tallies of a snapshot, and the
 * order of its rows (see tallies.h). */
#include "publish/tallies.h"

#include <stdlib.h>
#include <string.h>

int prep_pub_tally_build(const prep_snapshot *s, int e, prep_pub_tally *out, prep_err *err)
{
    const prep_catalog *cat = s->cat;
    const prep_eleccion *el = &cat->elecciones[e];
    const prep_snap_eleccion *se = &s->el[e];
    memset(out, 0, sizeof *out);
    out->e = e;
    out->nunidades = prep_catalog_nunidades(cat, e);
    int nu = out->nunidades;
    int64_t *esperadas = calloc((size_t)nu + 1, sizeof *esperadas);
    int *start = calloc((size_t)nu + 1, sizeof *start);
    out->unidad = calloc((size_t)nu + 1, sizeof *out->unidad);
    out->order = malloc(sizeof *out->order * ((size_t)se->n + 1));
    if (!esperadas || !start || !out->unidad || !out->order) {
        free(esperadas);
        free(start);
        prep_pub_tally_free(out);
        return prep_fail(err, PREP_E_NOMEM, "out of memory counting %s", el->codigo);
    }
    for (int c = 0; c < cat->ncasillas; c++)
        esperadas[prep_catalog_unidad_of(cat, e, c)]++;
    for (int u = 0; u < nu; u++)
        prep_tally_init(&out->unidad[u], el->ncols, esperadas[u]);
    prep_tally_init(&out->total, el->ncols, 0); /* units' esperadas are merged in */

    /* Counting sort by unit; within a unit the snapshot's casilla order
     * (clave order: sección, tipo, número, ext) is kept. */
    for (int i = 0; i < se->n; i++)
        start[prep_catalog_unidad_of(cat, e, se->actas[i].acta.casilla) + 1]++;
    for (int u = 0; u < nu; u++)
        start[u + 1] += start[u];
    for (int i = 0; i < se->n; i++) {
        const prep_snap_acta *a = &se->actas[i];
        const prep_casilla *c = &cat->casillas[a->acta.casilla];
        int u = prep_catalog_unidad_of(cat, e, a->acta.casilla);
        out->order[start[u]++] = i;
        prep_tally_add(&out->unidad[u], a->acta.estado == PREP_EST_SIN_ACTA ? NULL : a->vals,
                       &a->res, c);
    }
    int rc = 0;
    for (int u = 0; u < nu && rc == 0; u++) {
        rc = prep_tally_merge(&out->total, &out->unidad[u], err);
        prep_summary_compute(&out->unidad[u].s, s->final);
    }
    for (int f = 0; f < se->nfc; f++)
        prep_tally_add_fuera(&out->total);
    prep_summary_compute(&out->total.s, s->final);
    free(esperadas);
    free(start);
    if (rc < 0)
        prep_pub_tally_free(out);
    return rc;
}

void prep_pub_tally_free(prep_pub_tally *t)
{
    free(t->unidad);
    free(t->order);
    memset(t, 0, sizeof *t);
}
