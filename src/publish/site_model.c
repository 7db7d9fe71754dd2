/* site_model.c — the numbers behind the site, built once per corte from the
 * snapshot: a prep_tally per sección, distrito or demarcación, entidad and
 * the whole election (casilla → sección → unit → entidad, merged with
 * tally.h), the drill-down lists, and which boleta applies to each level.
 * No formatting and no files here; no counting rule either (rules.c and
 * tally.c decide everything). */
#include <stdlib.h>
#include <string.h>

#include "publish/site_internal.h"

static void rows_free(site_rows *r)
{
    free(r->off);
    free(r->idx);
    r->off = r->idx = NULL;
}

/* Group n items by parent[i] (0..np-1; <0 skipped), keeping item order. */
static int rows_build(site_rows *r, int np, int n, const int *parent)
{
    r->off = calloc((size_t)np + 1, sizeof *r->off);
    r->idx = malloc(sizeof *r->idx * (size_t)(n > 0 ? n : 1));
    int *fill = calloc((size_t)np + 1, sizeof *fill);
    if (!r->off || !r->idx || !fill) {
        free(fill);
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (parent[i] >= 0)
            r->off[parent[i] + 1]++;
    for (int p = 0; p < np; p++)
        r->off[p + 1] += r->off[p];
    for (int i = 0; i < n; i++)
        if (parent[i] >= 0)
            r->idx[r->off[parent[i]] + fill[parent[i]]++] = i;
    free(fill);
    return 0;
}

/* Units of one entidad in id order (the catalog keeps them in file order). */
static const prep_unidad *g_sort_units;
static int cmp_unit_idx(const void *a, const void *b)
{
    const prep_unidad *x = &g_sort_units[*(const int *)a], *y = &g_sort_units[*(const int *)b];
    return x->id < y->id ? -1 : x->id > y->id;
}

static int units_by_entidad(const prep_catalog *cat, const prep_unidad *u, int n, site_rows *r)
{
    int *parent = malloc(sizeof *parent * (size_t)(n > 0 ? n : 1));
    if (!parent)
        return -1;
    for (int i = 0; i < n; i++)
        parent[i] = prep_catalog_find_entidad(cat, u[i].entidad);
    int rc = rows_build(r, cat->nentidades, n, parent);
    free(parent);
    if (rc < 0)
        return -1;
    g_sort_units = u; /* model building is single-threaded */
    for (int p = 0; p < cat->nentidades; p++)
        qsort(r->idx + r->off[p], (size_t)(r->off[p + 1] - r->off[p]), sizeof *r->idx,
              cmp_unit_idx);
    return 0;
}

static int geography(site_ctx *x)
{
    const prep_catalog *cat = x->cat;
    int ns = cat->nsecciones;
    x->sec_first = calloc((size_t)ns + 1, sizeof *x->sec_first);
    x->sec_n = calloc((size_t)ns + 1, sizeof *x->sec_n);
    x->sec_ent = calloc((size_t)ns + 1, sizeof *x->sec_ent);
    int *par = calloc((size_t)ns + 1, sizeof *par);
    if (!x->sec_first || !x->sec_n || !x->sec_ent || !par) {
        free(par);
        return -1;
    }
    for (int c = cat->ncasillas - 1; c >= 0; c--) {
        int s = cat->casillas[c].seccion_idx;
        x->sec_first[s] = c; /* casillas are sorted by clave: contiguous per sección */
        x->sec_n[s]++;
    }
    for (int s = 0; s < ns; s++)
        x->sec_ent[s] = prep_catalog_find_entidad(cat, cat->secciones[s].entidad);
    for (int s = 0; s < ns; s++)
        par[s] = cat->secciones[s].distrito;
    int rc = rows_build(&x->dist_secs, cat->ndistritos, ns, par);
    for (int s = 0; rc == 0 && s < ns; s++)
        par[s] = cat->secciones[s].demarcacion;
    if (rc == 0)
        rc = rows_build(&x->dem_secs, cat->ndemarcaciones, ns, par);
    free(par);
    if (rc == 0)
        rc = units_by_entidad(cat, cat->distritos, cat->ndistritos, &x->ent_dists);
    if (rc == 0)
        rc = units_by_entidad(cat, cat->demarcaciones, cat->ndemarcaciones, &x->ent_dems);
    return rc;
}

/* The boleta shared by every unit in units[0..n-1]: its first unit, or -1
 * when two of them differ in which columns apply. */
static int shared_boleta(const prep_eleccion *el, const int *units, int n)
{
    if (n <= 0)
        return -1;
    const uint8_t *a = el->aplica + (size_t)units[0] * (size_t)el->ncols;
    for (int i = 1; i < n; i++)
        if (memcmp(a, el->aplica + (size_t)units[i] * (size_t)el->ncols, (size_t)el->ncols))
            return -1;
    return units[0];
}

static int build_elec(site_ctx *x, int e, site_elec *se, prep_err *err)
{
    const prep_catalog *cat = x->cat;
    const prep_snap_eleccion *sn = &x->snap->el[e];
    se->e = e;
    se->el = &cat->elecciones[e];
    int ncols = se->el->ncols;
    se->geo_tipo = se->el->unidad == PREP_UNIDAD_DEMARCACION ? PREP_UNIDAD_DEMARCACION
                                                              : PREP_UNIDAD_DISTRITO;
    se->ngeo = se->geo_tipo == PREP_UNIDAD_DISTRITO ? cat->ndistritos : cat->ndemarcaciones;
    se->geo = se->geo_tipo == PREP_UNIDAD_DISTRITO ? cat->distritos : cat->demarcaciones;
    int ns = cat->nsecciones, ng = se->ngeo, ne = cat->nentidades;
    se->acta_of = malloc(sizeof *se->acta_of * (size_t)cat->ncasillas);
    se->sec = malloc(sizeof *se->sec * (size_t)(ns ? ns : 1));
    se->geot = malloc(sizeof *se->geot * (size_t)(ng ? ng : 1));
    se->ent = malloc(sizeof *se->ent * (size_t)ne);
    se->sec_unit = malloc(sizeof(int) * (size_t)(ns ? ns : 1));
    se->geo_unit = malloc(sizeof(int) * (size_t)(ng ? ng : 1));
    se->ent_unit = malloc(sizeof(int) * (size_t)ne);
    se->ent_multi = calloc((size_t)ne, sizeof(int));
    int nu = prep_catalog_nunidades(cat, e);
    int *units = malloc(sizeof *units * (size_t)(nu > 0 ? nu : 1));
    if (!se->acta_of || !se->sec || !se->geot || !se->ent || !se->sec_unit || !se->geo_unit ||
        !se->ent_unit || !se->ent_multi || !units) {
        free(units);
        return prep_fail(err, PREP_E_NOMEM, "out of memory building the site");
    }

    for (int c = 0; c < cat->ncasillas; c++)
        se->acta_of[c] = -1;
    for (int i = 0; i < sn->n; i++) {
        int c = sn->actas[i].acta.casilla;
        if (c < 0 || c >= cat->ncasillas)
            return prep_fail(err, PREP_E_INVALID, "snapshot acta %d: casilla %d out of range", i,
                             c);
        se->acta_of[c] = i;
    }

    /* casilla → sección */
    for (int s = 0; s < ns; s++) {
        prep_tally_init(&se->sec[s], ncols, x->sec_n[s]);
        se->sec_unit[s] = x->sec_n[s] ? prep_catalog_unidad_of(cat, e, x->sec_first[s]) : -1;
        for (int c = x->sec_first[s]; c < x->sec_first[s] + x->sec_n[s]; c++) {
            int i = se->acta_of[c];
            if (i >= 0)
                prep_tally_add(&se->sec[s], sn->actas[i].vals, &sn->actas[i].res,
                               &cat->casillas[c]);
        }
        prep_summary_compute(&se->sec[s].s, x->snap->final);
    }
    /* sección → distrito / demarcación */
    const site_rows *gs = site_geo_secs(x, se);
    for (int g = 0; g < ng; g++) {
        prep_tally_init(&se->geot[g], ncols, 0);
        for (int k = gs->off[g]; k < gs->off[g + 1]; k++)
            if (prep_tally_merge(&se->geot[g], &se->sec[gs->idx[k]], err) < 0)
                return -1;
        prep_summary_compute(&se->geot[g].s, x->snap->final);
        if (se->el->unidad == se->geo_tipo)
            se->geo_unit[g] = g;
        else /* an entidad election: the geo level lies inside one unit */
            se->geo_unit[g] = se->el->unidad == PREP_UNIDAD_ENTIDAD
                                  ? prep_catalog_find_entidad(cat, se->geo[g].entidad)
                                  : -1;
    }
    /* → entidad → total */
    const site_rows *eg = site_ent_geos(x, se);
    prep_tally_init(&se->total, ncols, 0);
    for (int n = 0; n < ne; n++) {
        prep_tally_init(&se->ent[n], ncols, 0);
        for (int k = eg->off[n]; k < eg->off[n + 1]; k++)
            if (prep_tally_merge(&se->ent[n], &se->geot[eg->idx[k]], err) < 0)
                return -1;
        prep_summary_compute(&se->ent[n].s, x->snap->final);
        if (prep_tally_merge(&se->total, &se->ent[n], err) < 0)
            return -1;
        if (se->el->unidad == PREP_UNIDAD_ENTIDAD) {
            se->ent_unit[n] = n;
        } else {
            int m = 0;
            for (int k = eg->off[n]; k < eg->off[n + 1]; k++)
                units[m++] = eg->idx[k];
            se->ent_unit[n] = shared_boleta(se->el, units, m);
            se->ent_multi[n] = m > 1;
        }
    }
    for (int f = 0; f < sn->nfc; f++)
        prep_tally_add_fuera(&se->total);
    prep_summary_compute(&se->total.s, x->snap->final);
    for (int u = 0; u < nu; u++)
        units[u] = u;
    se->total_unit = shared_boleta(se->el, units, nu);
    se->total_multi = nu > 1;
    free(units);
    /* With a single entidad, the entidad page is the top: it shows the fuera
     * de catálogo too, so its tally is the total. */
    if (ne == 1)
        se->ent[0] = se->total;
    return 0;
}

int site_model_build(site_ctx *x, prep_err *err)
{
    if (geography(x) < 0)
        return prep_fail(err, PREP_E_NOMEM, "out of memory building the site");
    for (int e = 0; e < x->cat->nelecciones; e++)
        if (build_elec(x, e, &x->el[e], err) < 0)
            return -1;
    return 0;
}

void site_model_free(site_ctx *x)
{
    for (int e = 0; e < PREP_MAX_ELECCIONES; e++) {
        site_elec *se = &x->el[e];
        free(se->acta_of);
        free(se->sec);
        free(se->geot);
        free(se->ent);
        free(se->sec_unit);
        free(se->geo_unit);
        free(se->ent_unit);
        free(se->ent_multi);
        memset(se, 0, sizeof *se);
    }
    free(x->sec_first);
    free(x->sec_n);
    free(x->sec_ent);
    x->sec_first = x->sec_n = x->sec_ent = NULL;
    rows_free(&x->dist_secs);
    rows_free(&x->dem_secs);
    rows_free(&x->ent_dists);
    rows_free(&x->ent_dems);
}

const site_rows *site_geo_secs(const site_ctx *x, const site_elec *se)
{
    return se->geo_tipo == PREP_UNIDAD_DISTRITO ? &x->dist_secs : &x->dem_secs;
}

const site_rows *site_ent_geos(const site_ctx *x, const site_elec *se)
{
    return se->geo_tipo == PREP_UNIDAD_DISTRITO ? &x->ent_dists : &x->ent_dems;
}

int site_casilla_unit(const site_ctx *x, const site_elec *se, int c)
{
    return prep_catalog_unidad_of(x->cat, se->e, c);
}

int site_page_init(const site_ctx *x, const site_elec *se, int nivel, int idx, site_page *p,
                   prep_err *err)
{
    memset(p, 0, sizeof *p);
    p->se = se;
    p->nivel = nivel;
    p->idx = idx;
    switch (nivel) {
    case SITE_NACIONAL:
        p->t = &se->total;
        p->unit = se->total_unit;
        p->multi = se->total_multi;
        break;
    case SITE_ENTIDAD:
        p->t = &se->ent[idx];
        p->unit = se->ent_unit[idx];
        p->multi = se->ent_multi[idx];
        break;
    case SITE_GEO:
        p->t = &se->geot[idx];
        p->unit = se->geo_unit[idx];
        break;
    default:
        p->t = &se->sec[idx];
        p->unit = se->sec_unit[idx];
        break;
    }
    if (p->unit < 0)
        return 0;
    if (prep_candidatos_unidad(x->cat, se->e, p->unit, &p->t->v, &p->cand, err) < 0)
        return -1;
    p->has_cand = 1;
    return 0;
}
