/* test_util.h — shared helpers for the core unit tests: a tiny hand-made
 * catalog (one entidad, two distritos, one demarcación, five casillas, one
 * election with a coalition, its combinations and a CI) whose every number is
 * written here by hand, and a builder for acta field arrays.
 * Header-only (static inline) so each test binary stays one file. */
#ifndef PREP_TEST_UTIL_H
#define PREP_TEST_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/catalog.h"
#include "core/values.h"

/* Columns of the test election "DIP", in boleta order. */
enum {
    T_PAN, T_PRI, T_PRD, T_MC, T_MORENA,              /* parties */
    T_PAN_PRI_PRD, T_PAN_PRI, T_PAN_PRD, T_PRI_PRD,   /* combinations of coalition 0 */
    T_CI1,                                            /* CAND_IND_1 (distrito 1 only) */
    T_NCOLS
};
#define T_NFIELDS PREP_NFIELDS(T_NCOLS)

/* Casillas after prep_catalog_finish (sorted by clave):
 *   0 090100B0100  distrito 1  LN 500  rep 10
 *   1 090100C0100  distrito 1  LN 400  rep 10
 *   2 090100S0100  distrito 1  especial: LN 0, boletas 750, rep 10
 *   3 090200B0100  distrito 2  LN 600  rep 8
 *   4 090200C0100  distrito 2  LN 300  rep 8
 * Distrito 1 (unit 0): coalition PAN_PRI_PRD runs, CAND_IND_1 runs.
 * Distrito 2 (unit 1): no coalition, no CI: PAN, PRI, PRD, MC, MORENA alone. */
static inline void *t_dup(const void *p, size_t n)
{
    void *q = malloc(n);
    assert_non_null(q);
    memcpy(q, p, n);
    return q;
}

static inline void t_col(prep_eleccion *el, int i, const char *name, int tipo, int coal)
{
    snprintf(el->cols[i].nombre, sizeof el->cols[i].nombre, "%s", name);
    el->cols[i].tipo = tipo;
    el->cols[i].coalicion = coal;
}

/* Fill cat with the test catalog but do not finish it (tests that break it
 * first call this, then spoil one thing). */
static inline void t_catalog_fill(prep_catalog *cat)
{
    prep_catalog_init(cat);
    snprintf(cat->proceso, sizeof cat->proceso, "PROCESO DE PRUEBA");
    snprintf(cat->ent_codigo, sizeof cat->ent_codigo, "CDMX");
    cat->anio = 2024;
    cat->ncatd = 2;

    prep_entidad ent = {.id = 9, .nombre = "CIUDAD DE MEXICO"};
    cat->nentidades = 1;
    cat->entidades = t_dup(&ent, sizeof ent);

    prep_unidad dis[2] = {{.entidad = 9, .id = 1, .nombre = "DISTRITO 1"},
                          {.entidad = 9, .id = 2, .nombre = "DISTRITO 2"}};
    cat->ndistritos = 2;
    cat->distritos = t_dup(dis, sizeof dis);
    prep_unidad dem = {.entidad = 9, .id = 1, .nombre = "DEMARCACION 1"};
    cat->ndemarcaciones = 1;
    cat->demarcaciones = t_dup(&dem, sizeof dem);

    /* Given out of order on purpose: finish sorts. */
    prep_seccion sec[2] = {{.entidad = 9, .seccion = 200, .distrito = 1, .demarcacion = 0},
                           {.entidad = 9, .seccion = 100, .distrito = 0, .demarcacion = 0}};
    cat->nsecciones = 2;
    cat->secciones = t_dup(sec, sizeof sec);

    prep_casilla cas[5] = {
        {.entidad = 9, .seccion = 200, .tipo = 'C', .numero = 1, .ext = 0, .ubicacion = 1,
         .lista_nominal = 300, .representantes = 8, .catd = 2},
        {.entidad = 9, .seccion = 100, .tipo = 'S', .numero = 1, .ext = 0, .ubicacion = 1,
         .lista_nominal = 0, .representantes = 10, .boletas = 750, .catd = 1},
        {.entidad = 9, .seccion = 100, .tipo = 'B', .numero = 1, .ext = 0, .ubicacion = 1,
         .lista_nominal = 500, .representantes = 10, .catd = 1, .mecanismo = 'D'},
        {.entidad = 9, .seccion = 200, .tipo = 'B', .numero = 1, .ext = 0, .ubicacion = 2,
         .lista_nominal = 600, .representantes = 8, .catd = 2},
        {.entidad = 9, .seccion = 100, .tipo = 'C', .numero = 1, .ext = 0, .ubicacion = 1,
         .lista_nominal = 400, .representantes = 10, .catd = 1, .cae = 3},
    };
    cat->ncasillas = 5;
    cat->casillas = t_dup(cas, sizeof cas);

    cat->nelecciones = 1;
    prep_eleccion *el = &cat->elecciones[0];
    snprintf(el->codigo, sizeof el->codigo, "DIP");
    snprintf(el->nombre, sizeof el->nombre, "DIPUTACIONES LOCALES");
    el->unidad = PREP_UNIDAD_DISTRITO;
    snprintf(el->tipo_acta, sizeof el->tipo_acta, "2");
    snprintf(el->tipo_acta_especial, sizeof el->tipo_acta_especial, "2E");
    el->ncols = T_NCOLS;
    t_col(el, T_PAN, "PAN", PREP_COL_PARTIDO, 0);
    t_col(el, T_PRI, "PRI", PREP_COL_PARTIDO, 0);
    t_col(el, T_PRD, "PRD", PREP_COL_PARTIDO, 0);
    t_col(el, T_MC, "MC", PREP_COL_PARTIDO, -1);
    t_col(el, T_MORENA, "MORENA", PREP_COL_PARTIDO, -1);
    t_col(el, T_PAN_PRI_PRD, "PAN_PRI_PRD", PREP_COL_COMBINACION, 0);
    t_col(el, T_PAN_PRI, "PAN_PRI", PREP_COL_COMBINACION, 0);
    t_col(el, T_PAN_PRD, "PAN_PRD", PREP_COL_COMBINACION, 0);
    t_col(el, T_PRI_PRD, "PRI_PRD", PREP_COL_COMBINACION, 0);
    t_col(el, T_CI1, "CAND_IND_1", PREP_COL_CI, -1);
    el->ncoaliciones = 1;
    prep_coalicion *co = &el->coaliciones[0];
    snprintf(co->codigo, sizeof co->codigo, "PAN_PRI_PRD");
    snprintf(co->nombre, sizeof co->nombre, "VA X LA CDMX");
    co->npartidos = 3;
    co->partidos[0] = T_PAN;
    co->partidos[1] = T_PRI;
    co->partidos[2] = T_PRD;

    /* Candidaturas: distrito 1 every column; distrito 2 the five parties. */
    prep_candidatura k[T_NCOLS + 5];
    int n = 0;
    for (int c = 0; c < T_NCOLS; c++) {
        memset(&k[n], 0, sizeof k[n]);
        k[n].unidad = 0;
        k[n].col = c;
        snprintf(k[n].propietaria, sizeof k[n].propietaria, "PROPIETARIA D1 C%d", c);
        snprintf(k[n].suplente, sizeof k[n].suplente, "SUPLENTE D1 C%d", c);
        n++;
    }
    for (int c = T_MORENA; c >= T_PAN; c--) { /* reversed: finish sorts */
        memset(&k[n], 0, sizeof k[n]);
        k[n].unidad = 1;
        k[n].col = c;
        snprintf(k[n].propietaria, sizeof k[n].propietaria, "PROPIETARIA D2 C%d", c);
        n++;
    }
    el->ncandidaturas = n;
    el->candidaturas = t_dup(k, sizeof k[0] * (size_t)n);
}

static inline void t_catalog(prep_catalog *cat)
{
    prep_err err = {0};
    t_catalog_fill(cat);
    int rc = prep_catalog_finish(cat, &err);
    if (rc != 0)
        fail_msg("test catalog does not finish: %s", err.msg);
}

/* An acta's fields: the four cuadre fields 0, every vote column, NO_REGISTRADAS
 * and NULOS from the arguments (ncols + 2 values), TOTAL_VOTOS_ASENTADO 0. */
static inline void t_vals(prep_val *v, int ncols, ...)
{
    va_list ap;
    va_start(ap, ncols);
    for (int f = 0; f < PREP_NFIELDS(ncols); f++)
        v[f] = 0;
    for (int c = 0; c < ncols + 2; c++)
        v[PREP_F_COL0 + c] = (prep_val)va_arg(ap, int);
    va_end(ap);
}

#endif
