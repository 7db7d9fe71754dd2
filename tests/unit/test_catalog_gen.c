/* test_catalog_gen.c — the synthetic catálogo generator
 * (src/catalog/catalog_gen.c): deterministic for a seed and different for
 * another; the cdmx, small and national presets meet their targets (counts,
 * lista nominal, especiales, CAE, CATD, elections, coalitions that do not run
 * somewhere, independientes, combinations repeating their candidate). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog_io.h"
#include "core/catalog.h"

static void gen(const char *preset, uint64_t seed, prep_catalog *cat)
{
    prep_err err = {0};
    if (prep_catalog_generate(preset, seed, cat, &err) != 0)
        fail_msg("generate %s: %s", preset, err.msg);
}

static void fp(const char *preset, uint64_t seed, char out[65])
{
    prep_catalog cat;
    gen(preset, seed, &cat);
    prep_catalog_fingerprint(&cat, out);
    prep_catalog_free(&cat);
}

static void test_deterministic(void **state)
{
    (void)state;
    const char *presets[] = {"small", "cdmx"};
    for (int i = 0; i < 2; i++) {
        char a[65], b[65], c[65];
        fp(presets[i], 7, a);
        fp(presets[i], 7, b);
        fp(presets[i], 8, c);
        assert_string_equal(a, b);
        assert_string_not_equal(a, c);
    }
}

static void test_unknown_preset(void **state)
{
    (void)state;
    prep_catalog cat;
    prep_err err = {0};
    assert_int_equal(prep_catalog_generate("lunar", 1, &cat, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    assert_non_null(strstr(err.msg, "lunar"));
    assert_null(cat.casillas);
    assert_int_equal(prep_catalog_generate(NULL, 1, &cat, &err), -1);
}

/* Checks every preset must pass. */
static void check_common(const prep_catalog *cat)
{
    for (int i = 0; i < cat->ncasillas; i++) {
        const prep_casilla *c = &cat->casillas[i];
        int ent, sec, num, ext;
        char tipo;
        assert_int_equal(prep_clave_parse(c->clave, &ent, &sec, &tipo, &num, &ext), 0);
        assert_int_equal(ent, c->entidad);
        assert_int_equal(sec, c->seccion);
        assert_int_equal(num, c->numero);
        assert_int_equal(ext, c->ext);
        assert_true(c->lista_nominal >= 0 && c->lista_nominal <= 750);
        assert_true(c->representantes >= 0 && c->representantes <= 20);
        assert_true(c->ubicacion == PREP_UBIC_URBANA || c->ubicacion == PREP_UBIC_NO_URBANA);
        assert_true(c->mecanismo == 0 || strchr("DFI", c->mecanismo));
        if (c->tipo == 'S') {
            assert_int_equal(c->lista_nominal, 0);
            assert_true(c->boletas >= 750 && c->boletas <= 1500);
            assert_int_equal(c->cae, 0);
        } else {
            assert_int_equal(c->boletas, 0);
        }
        if (c->tipo == 'B')
            assert_int_equal(c->numero, 1);
        if (c->tipo != 'E')
            assert_int_equal(c->ext, 0);
        /* CATD = the casilla's distrito */
        const prep_seccion *s = &cat->secciones[c->seccion_idx];
        assert_int_equal(c->catd, s->distrito + 1);
        assert_int_equal(s->entidad, c->entidad);
    }
    assert_int_equal(cat->ncatd, cat->ndistritos);
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        int nu = prep_catalog_nunidades(cat, e);
        for (int u = 0; u < nu; u++) {
            int any = 0;
            for (int col = 0; col < el->ncols; col++) {
                const prep_candidatura *k = prep_eleccion_candidatura(el, u, col);
                assert_int_equal(!!k, prep_eleccion_aplica(el, u, col));
                if (!k)
                    continue;
                any = 1;
                assert_true(strlen(k->propietaria) > 5);
                /* a combination repeats its coalition's candidate, and its
                 * coalition's parties run with that candidate */
                if (el->cols[col].tipo == PREP_COL_COMBINACION) {
                    const prep_coalicion *co = &el->coaliciones[el->cols[col].coalicion];
                    for (int p = 0; p < co->npartidos; p++) {
                        const prep_candidatura *pk =
                            prep_eleccion_candidatura(el, u, co->partidos[p]);
                        assert_non_null(pk);
                        assert_string_equal(pk->propietaria, k->propietaria);
                        assert_string_equal(pk->suplente, k->suplente);
                    }
                }
            }
            assert_true(any);
        }
    }
}

/* CAE: ids 1..n, four casillas each, all in one CATD. Returns n. */
static int check_cae(const prep_catalog *cat, int *with_cae)
{
    int max = 0;
    for (int i = 0; i < cat->ncasillas; i++)
        if (cat->casillas[i].cae > max)
            max = cat->casillas[i].cae;
    int *count = calloc((size_t)max + 1, sizeof *count);
    int *catd = calloc((size_t)max + 1, sizeof *catd);
    *with_cae = 0;
    for (int i = 0; i < cat->ncasillas; i++) {
        const prep_casilla *c = &cat->casillas[i];
        if (!c->cae)
            continue;
        (*with_cae)++;
        count[c->cae]++;
        if (catd[c->cae])
            assert_int_equal(catd[c->cae], c->catd);
        catd[c->cae] = c->catd;
    }
    for (int k = 1; k <= max; k++)
        assert_int_equal(count[k], 4);
    free(count);
    free(catd);
    return max;
}

static int find_col(const prep_eleccion *el, const char *name)
{
    for (int i = 0; i < el->ncols; i++)
        if (strcmp(el->cols[i].nombre, name) == 0)
            return i;
    fail_msg("no column %s in %s", name, el->codigo);
    return -1;
}

/* Units where a coalition does not run (its first combination is "-" while
 * its first party runs) and units with a CI. */
static void departures(const prep_catalog *cat, int e, int *sin_coal, int *with_ci)
{
    const prep_eleccion *el = &cat->elecciones[e];
    *sin_coal = *with_ci = 0;
    int ci = -1;
    for (int i = 0; i < el->ncols; i++)
        if (el->cols[i].tipo == PREP_COL_CI) {
            ci = i;
            break;
        }
    for (int u = 0; u < prep_catalog_nunidades(cat, e); u++) {
        for (int k = 0; k < el->ncoaliciones; k++) {
            int comb = -1;
            for (int i = 0; i < el->ncols && comb < 0; i++)
                if (el->cols[i].tipo == PREP_COL_COMBINACION && el->cols[i].coalicion == k)
                    comb = i;
            if (!prep_eleccion_aplica(el, u, comb) &&
                prep_eleccion_aplica(el, u, el->coaliciones[k].partidos[0]))
                (*sin_coal)++;
        }
        if (ci >= 0 && prep_eleccion_aplica(el, u, ci))
            (*with_ci)++;
    }
}

static void test_cdmx(void **state)
{
    (void)state;
    prep_catalog cat;
    gen("cdmx", 1, &cat);
    check_common(&cat);
    assert_string_equal(cat.ent_codigo, "CDMX");
    assert_int_equal(cat.anio, 2024);
    assert_int_equal(cat.nentidades, 1);
    assert_int_equal(cat.entidades[0].id, 9);
    assert_string_equal(cat.entidades[0].nombre, "CIUDAD DE MÉXICO");
    assert_int_equal(cat.ndistritos, 33);
    assert_int_equal(cat.ncatd, 33);
    assert_int_equal(cat.ndemarcaciones, 16);
    const char *alc[] = {"AZCAPOTZALCO", "COYOACÁN", "IZTAPALAPA", "ÁLVARO OBREGÓN",
                         "VENUSTIANO CARRANZA", "LA MAGDALENA CONTRERAS"};
    for (int i = 0; i < 6; i++) {
        int found = 0;
        for (int d = 0; d < 16; d++)
            found |= strcmp(cat.demarcaciones[d].nombre, alc[i]) == 0;
        assert_true(found);
    }
    assert_in_range(cat.nsecciones, 5300, 5700);
    assert_in_range(cat.ncasillas, 13200, 13800);
    int n[128] = {0}, typical = 0, bc = 0, rural = 0;
    long ln = 0;
    for (int i = 0; i < cat.ncasillas; i++) {
        const prep_casilla *c = &cat.casillas[i];
        n[(int)c->tipo]++;
        ln += c->lista_nominal;
        rural += c->ubicacion == PREP_UBIC_NO_URBANA;
        if (c->tipo == 'B' || c->tipo == 'C') {
            bc++;
            typical += c->lista_nominal >= 400;
        }
    }
    assert_in_range(n['S'], 40, 60);
    assert_in_range(n['E'], 10, 80);
    assert_true(n['B'] + n['C'] > 13000);
    assert_in_range(ln, 7770000 - 80000, 7770000 + 80000);
    assert_true(typical > bc * 9 / 10);
    assert_in_range(rural, 50, cat.ncasillas / 5);
    int with_cae, ncae = check_cae(&cat, &with_cae);
    assert_in_range(ncae, 970, 1000);
    assert_in_range(with_cae, 3880, 4000);

    assert_int_equal(cat.nelecciones, 3);
    /* IECM 2024's codes and printed acta numbers (its published ZIP and LEEME). */
    const char *codes[] = {"GUB", "DIP_LOC", "ALC"};
    const char *tipo[] = {"A02", "A03", "A04"}, *tipo_s[] = {"A02E", "A03EMR", "A04E"};
    const int units[] = {PREP_UNIDAD_ENTIDAD, PREP_UNIDAD_DISTRITO, PREP_UNIDAD_DEMARCACION};
    for (int e = 0; e < 3; e++) {
        const prep_eleccion *el = &cat.elecciones[e];
        assert_string_equal(el->codigo, codes[e]);
        assert_string_equal(el->tipo_acta, tipo[e]);
        assert_string_equal(el->tipo_acta_especial, tipo_s[e]);
        assert_int_equal(el->unidad, units[e]);
        const char *order[] = {"PAN", "PRI", "PRD", "PVEM", "PT", "MC", "MORENA", "PAN_PRI_PRD",
                               "PAN_PRI", "PAN_PRD", "PRI_PRD", "PVEM_PT_MORENA", "PVEM_PT",
                               "PVEM_MORENA", "PT_MORENA"};
        for (int i = 0; i < 15; i++)
            assert_string_equal(el->cols[i].nombre, order[i]);
        assert_int_equal(el->ncoaliciones, 2);
        assert_string_equal(el->coaliciones[0].codigo, "PAN_PRI_PRD");
        assert_string_equal(el->coaliciones[1].codigo, "PVEM_PT_MORENA");
        assert_int_equal(el->cols[find_col(el, "MC")].coalicion, -1);
        assert_int_equal(el->cols[find_col(el, "PT_MORENA")].coalicion, 1);
    }
    assert_string_equal(cat.elecciones[0].nombre, "JEFATURA DE GOBIERNO");
    assert_string_equal(cat.elecciones[1].nombre, "DIPUTACIONES LOCALES DE MAYORÍA RELATIVA");
    assert_string_equal(cat.elecciones[2].nombre, "ALCALDÍAS");
    assert_int_equal(cat.elecciones[1].ncols, 17);
    assert_string_equal(cat.elecciones[1].cols[16].nombre, "CAND_IND_2");
    int sin_coal, with_ci;
    departures(&cat, 1, &sin_coal, &with_ci);
    assert_true(sin_coal >= 1);
    assert_in_range(with_ci, 1, 6);
    departures(&cat, 0, &sin_coal, &with_ci);
    assert_int_equal(sin_coal, 0);
    prep_catalog_free(&cat);
}

static void test_small(void **state)
{
    (void)state;
    prep_catalog cat;
    gen("small", 1, &cat);
    check_common(&cat);
    assert_int_equal(cat.nentidades, 1);
    assert_in_range(cat.ndistritos, 2, 4);
    assert_in_range(cat.ndemarcaciones, 2, 3);
    assert_in_range(cat.ncasillas, 150, 600);
    int especiales = 0;
    for (int i = 0; i < cat.ncasillas; i++)
        especiales += cat.casillas[i].tipo == 'S';
    assert_true(especiales >= 2);
    int with_cae;
    assert_true(check_cae(&cat, &with_cae) > 0);
    assert_int_equal(cat.nelecciones, 3);
    assert_string_equal(cat.elecciones[2].codigo, "ALC");
    int sin_coal, with_ci;
    departures(&cat, 1, &sin_coal, &with_ci);
    assert_true(sin_coal >= 1);
    assert_true(with_ci >= 1);
    prep_catalog_free(&cat);
}

static void test_national(void **state)
{
    (void)state;
    prep_catalog cat;
    gen("national", 1, &cat);
    check_common(&cat);
    assert_string_equal(cat.ent_codigo, "NACIONAL");
    assert_int_equal(cat.nentidades, 32);
    assert_int_equal(cat.ndistritos, 300);
    assert_in_range(cat.ndemarcaciones, 2400, 2550);
    assert_in_range(cat.nsecciones, 69000, 73000);
    assert_in_range(cat.ncasillas, 165000, 175000);
    long actas = 0;
    for (int e = 0; e < cat.nelecciones; e++)
        actas += cat.ncasillas;
    assert_in_range(actas, 500000, 520000);
    const char *codes[] = {"PRES", "SEN", "DIP"};
    for (int e = 0; e < 3; e++)
        assert_string_equal(cat.elecciones[e].codigo, codes[e]);
    assert_int_equal(prep_catalog_nunidades(&cat, 0), 32);
    assert_int_equal(prep_catalog_nunidades(&cat, 2), 300);
    /* each entidad's distritos are numbered 1..n; secciones fit 4 digits */
    for (int i = 0; i < cat.ndistritos; i++)
        assert_true(cat.distritos[i].id >= 1 && cat.distritos[i].id <= 40);
    for (int i = 0; i < cat.nsecciones; i++)
        assert_in_range(cat.secciones[i].seccion, 1, 9999);
    int sin_coal, with_ci;
    departures(&cat, 2, &sin_coal, &with_ci);
    assert_true(sin_coal >= 2);
    assert_true(with_ci >= 1);
    prep_catalog_free(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic), cmocka_unit_test(test_unknown_preset),
        cmocka_unit_test(test_cdmx),          cmocka_unit_test(test_small),
        cmocka_unit_test(test_national),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
