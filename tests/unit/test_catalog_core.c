/* test_catalog_core.c — the in-memory catalog of src/core/catalog.c: claves,
 * finishing (sorting, indexes, applicability) and every check it makes on a
 * bad catalog, lookups for each unit type, and the fingerprint. File loading
 * and the generator are tested with src/catalog/, not here. */
#include "test_util.h"

#include "util/err.h"
#include "util/hash.h"

/* The test catalog plus JG (unit: entidad) and ALC (unit: demarcación),
 * each with a candidatura for every column in its only unit. */
static void fill3(prep_catalog *cat)
{
    t_catalog_fill(cat);
    static const struct {
        const char *codigo, *nombre;
        int unidad;
    } more[2] = {{"JG", "JEFATURA DE GOBIERNO", PREP_UNIDAD_ENTIDAD},
                 {"ALC", "ALCALDIAS", PREP_UNIDAD_DEMARCACION}};
    for (int e = 1; e <= 2; e++) {
        prep_eleccion *el = &cat->elecciones[e];
        *el = cat->elecciones[0];
        snprintf(el->codigo, sizeof el->codigo, "%s", more[e - 1].codigo);
        snprintf(el->nombre, sizeof el->nombre, "%s", more[e - 1].nombre);
        el->unidad = more[e - 1].unidad;
        el->tipo_acta_especial[0] = '\0'; /* no special acta type: ordinary one is used */
        el->ncandidaturas = T_NCOLS;
        el->candidaturas = calloc(T_NCOLS, sizeof *el->candidaturas);
        assert_non_null(el->candidaturas);
        for (int c = 0; c < T_NCOLS; c++) {
            el->candidaturas[c].unidad = 0;
            el->candidaturas[c].col = c;
            snprintf(el->candidaturas[c].propietaria, PREP_NAME_MAX, "%s C%d", el->codigo, c);
        }
    }
    cat->nelecciones = 3;
}

static void finish_ok(prep_catalog *cat)
{
    prep_err err = {0};
    if (prep_catalog_finish(cat, &err) != 0)
        fail_msg("finish failed: %s", err.msg);
}

static void test_clave(void **state)
{
    (void)state;
    char out[PREP_CLAVE_CASILLA_LEN + 1];
    prep_clave_casilla(9, 123, 'B', 1, 0, out);
    assert_string_equal(out, "090123B0100");
    prep_clave_casilla(32, 4567, 'C', 12, 3, out);
    assert_string_equal(out, "324567C1203");
    int e, s, n, x;
    char t;
    assert_int_equal(prep_clave_parse("324567C1203", &e, &s, &t, &n, &x), 0);
    assert_int_equal(e, 32);
    assert_int_equal(s, 4567);
    assert_int_equal(t, 'C');
    assert_int_equal(n, 12);
    assert_int_equal(x, 3);
    assert_int_equal(prep_clave_parse("090100S0100", &e, &s, &t, &n, &x), 0);
    assert_int_equal(t, 'S');
    assert_int_equal(prep_clave_parse("090100E0101", &e, &s, &t, &n, &x), 0);
    assert_int_equal(t, 'E');
    static const char *const bad[] = {
        "", "090123B010", "090123B01000", "090123X0100", "0901a3B0100", "x90123B0100",
        "090123B0x00", "090123B010x", "090123b0100", "'090123B0100'",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (prep_clave_parse(bad[i], &e, &s, &t, &n, &x) != -1)
            fail_msg("clave \"%s\" accepted", bad[i]);
    assert_int_equal(prep_clave_parse(NULL, &e, &s, &t, &n, &x), -1);
}

static void test_finish_sorts_and_indexes(void **state)
{
    (void)state;
    prep_catalog cat;
    fill3(&cat);
    finish_ok(&cat);
    static const char *const claves[5] = {"090100B0100", "090100C0100", "090100S0100",
                                          "090200B0100", "090200C0100"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(cat.casillas[i].clave, claves[i]);
        assert_int_equal(prep_catalog_find_casilla(&cat, claves[i]), i);
    }
    assert_int_equal(cat.secciones[0].seccion, 100);
    assert_int_equal(cat.secciones[1].seccion, 200);
    assert_int_equal(cat.casillas[0].seccion_idx, 0);
    assert_int_equal(cat.casillas[4].seccion_idx, 1);
    /* Lookups that miss. */
    assert_int_equal(prep_catalog_find_casilla(&cat, "090100B0200"), -1);
    assert_int_equal(prep_catalog_find_casilla(&cat, "000000B0000"), -1);
    assert_int_equal(prep_catalog_find_casilla(&cat, "990000B0000"), -1);
    assert_int_equal(prep_catalog_find_casilla(&cat, "0901"), -1);
    assert_int_equal(prep_catalog_find_casilla(&cat, NULL), -1);
    assert_int_equal(prep_catalog_find_seccion(&cat, 9, 200), 1);
    assert_int_equal(prep_catalog_find_seccion(&cat, 9, 300), -1);
    assert_int_equal(prep_catalog_find_seccion(&cat, 8, 100), -1);
    assert_int_equal(prep_catalog_find_eleccion(&cat, "ALC"), 2);
    assert_int_equal(prep_catalog_find_eleccion(&cat, "DIP"), 0);
    assert_int_equal(prep_catalog_find_eleccion(&cat, "PRES"), -1);
    assert_int_equal(prep_catalog_find_eleccion(&cat, NULL), -1);
    assert_int_equal(prep_catalog_find_entidad(&cat, 9), 0);
    assert_int_equal(prep_catalog_find_entidad(&cat, 1), -1);
    assert_int_equal(prep_catalog_find_distrito(&cat, 9, 2), 1);
    assert_int_equal(prep_catalog_find_distrito(&cat, 9, 3), -1);
    assert_int_equal(prep_catalog_find_distrito(&cat, 1, 2), -1);
    assert_int_equal(prep_catalog_find_demarcacion(&cat, 9, 1), 0);
    assert_int_equal(prep_catalog_find_demarcacion(&cat, 9, 2), -1);
    prep_catalog_free(&cat);
    assert_int_equal(cat.ncasillas, 0);
    assert_null(cat.casillas);
    prep_catalog_free(&cat); /* twice is harmless */
}

static void test_units_per_election(void **state)
{
    (void)state;
    prep_catalog cat;
    fill3(&cat);
    finish_ok(&cat);
    /* DIP: distritos. */
    assert_int_equal(prep_catalog_nunidades(&cat, 0), 2);
    assert_int_equal(prep_catalog_unidad_of(&cat, 0, 1), 0);
    assert_int_equal(prep_catalog_unidad_of(&cat, 0, 3), 1);
    assert_int_equal(prep_catalog_unidad_id(&cat, 0, 1), 2);
    assert_string_equal(prep_catalog_unidad_nombre(&cat, 0, 1), "DISTRITO 2");
    assert_int_equal(prep_catalog_unidad_entidad(&cat, 0, 1), 9);
    /* JG: the entidad. */
    assert_int_equal(prep_catalog_nunidades(&cat, 1), 1);
    assert_int_equal(prep_catalog_unidad_of(&cat, 1, 4), 0);
    assert_int_equal(prep_catalog_unidad_id(&cat, 1, 0), 9);
    assert_string_equal(prep_catalog_unidad_nombre(&cat, 1, 0), "CIUDAD DE MEXICO");
    assert_int_equal(prep_catalog_unidad_entidad(&cat, 1, 0), 9);
    /* ALC: demarcaciones. */
    assert_int_equal(prep_catalog_nunidades(&cat, 2), 1);
    assert_int_equal(prep_catalog_unidad_of(&cat, 2, 4), 0);
    assert_int_equal(prep_catalog_unidad_id(&cat, 2, 0), 1);
    assert_string_equal(prep_catalog_unidad_nombre(&cat, 2, 0), "DEMARCACION 1");
    assert_int_equal(prep_catalog_unidad_entidad(&cat, 2, 0), 9);
    prep_catalog_free(&cat);
}

static void test_aplica_and_candidaturas(void **state)
{
    (void)state;
    prep_catalog cat;
    t_catalog(&cat);
    const prep_eleccion *el = &cat.elecciones[0];
    for (int c = 0; c < T_NCOLS; c++) {
        assert_int_equal(prep_eleccion_aplica(el, 0, c), 1);
        assert_int_equal(prep_eleccion_aplica(el, 1, c), c <= T_MORENA);
    }
    const prep_candidatura *k = prep_eleccion_candidatura(el, 1, T_MC);
    assert_non_null(k);
    assert_string_equal(k->propietaria, "PROPIETARIA D2 C3");
    assert_null(prep_eleccion_candidatura(el, 1, T_CI1));
    assert_null(prep_eleccion_candidatura(el, 2, T_PAN));
    /* Candidaturas end sorted by (unidad, col). */
    for (int i = 1; i < el->ncandidaturas; i++) {
        const prep_candidatura *a = &el->candidaturas[i - 1], *b = &el->candidaturas[i];
        assert_true(a->unidad < b->unidad || (a->unidad == b->unidad && a->col < b->col));
    }
    assert_string_equal(prep_eleccion_tipo_acta(el, &cat.casillas[0]), "2");
    assert_string_equal(prep_eleccion_tipo_acta(el, &cat.casillas[2]), "2E");
    prep_catalog_free(&cat);

    fill3(&cat);
    finish_ok(&cat);
    /* No special type configured: the ordinary one. */
    assert_string_equal(prep_eleccion_tipo_acta(&cat.elecciones[1], &cat.casillas[2]), "2");
    prep_catalog_free(&cat);
}

/* One way to spoil the catalog, and a word the error message must contain. */
typedef struct {
    const char *name;
    void (*spoil)(prep_catalog *);
    const char *msg;
} bad_case;

static void no_entidad(prep_catalog *c) { c->nentidades = 0; }
static void no_casillas(prep_catalog *c) { c->ncasillas = 0; }
static void no_elecciones(prep_catalog *c) { c->nelecciones = 0; }
static void seccion_twice(prep_catalog *c) { c->secciones[0].seccion = 100; }
static void seccion_entidad(prep_catalog *c) { c->secciones[1].entidad = 15; }
static void seccion_distrito(prep_catalog *c) { c->secciones[0].distrito = 2; }
static void seccion_distrito_neg(prep_catalog *c) { c->secciones[0].distrito = -1; }
static void seccion_demarcacion(prep_catalog *c) { c->secciones[0].demarcacion = 1; }
static void seccion_demarcacion_neg(prep_catalog *c) { c->secciones[0].demarcacion = -1; }
static void casilla_seccion0(prep_catalog *c) { c->casillas[0].seccion = 0; }
static void casilla_seccion_big(prep_catalog *c) { c->casillas[0].seccion = 10000; }
static void casilla_numero0(prep_catalog *c) { c->casillas[0].numero = 0; }
static void casilla_numero_big(prep_catalog *c) { c->casillas[0].numero = 100; }
static void casilla_ext_neg(prep_catalog *c) { c->casillas[0].ext = -1; }
static void casilla_ext_big(prep_catalog *c) { c->casillas[0].ext = 100; }
static void casilla_entidad0(prep_catalog *c) { c->casillas[0].entidad = 0; }
static void casilla_entidad_big(prep_catalog *c) { c->casillas[0].entidad = 100; }
static void casilla_tipo(prep_catalog *c) { c->casillas[0].tipo = 'X'; }
static void casilla_tipo0(prep_catalog *c) { c->casillas[0].tipo = 0; }
static void casilla_seccion_unknown(prep_catalog *c) { c->casillas[0].seccion = 300; }
static void casilla_ln_neg(prep_catalog *c) { c->casillas[0].lista_nominal = -1; }
static void casilla_rep_neg(prep_catalog *c) { c->casillas[0].representantes = -1; }
static void casilla_bol_neg(prep_catalog *c) { c->casillas[0].boletas = -1; }
static void especial_sin_boletas(prep_catalog *c) { c->casillas[1].boletas = 0; }
static void catd0(prep_catalog *c) { c->casillas[0].catd = 0; }
static void catd_big(prep_catalog *c) { c->casillas[0].catd = 3; }
static void casilla_twice(prep_catalog *c) { c->casillas[3].seccion = 100; c->casillas[3].tipo = 'C'; }
static void eleccion_twice(prep_catalog *c)
{
    c->elecciones[1] = c->elecciones[0];
    c->elecciones[1].candidaturas = NULL;
    c->elecciones[1].ncandidaturas = 0;
    c->nelecciones = 2;
}
static void unidad_bad(prep_catalog *c) { c->elecciones[0].unidad = 3; }
static void unidad_neg(prep_catalog *c) { c->elecciones[0].unidad = -1; }
static void ncols0(prep_catalog *c) { c->elecciones[0].ncols = 0; }
static void ncols_big(prep_catalog *c) { c->elecciones[0].ncols = PREP_MAX_COLS + 1; }
static void col_coal_big(prep_catalog *c) { c->elecciones[0].cols[T_MC].coalicion = 1; }
static void col_coal_neg(prep_catalog *c) { c->elecciones[0].cols[T_MC].coalicion = -2; }
static void comb_no_coal(prep_catalog *c) { c->elecciones[0].cols[T_PAN_PRI].coalicion = -1; }
static void col_twice(prep_catalog *c) { snprintf(c->elecciones[0].cols[T_MC].nombre, 32, "PAN"); }
static void ncoal_big(prep_catalog *c) { c->elecciones[0].ncoaliciones = PREP_MAX_COALICIONES + 1; }
static void ncoal_neg(prep_catalog *c) { c->elecciones[0].ncoaliciones = -1; }
static void coal_one_party(prep_catalog *c) { c->elecciones[0].coaliciones[0].npartidos = 1; }
static void coal_many(prep_catalog *c) { c->elecciones[0].coaliciones[0].npartidos = PREP_MAX_PARTIDOS_COAL + 1; }
static void coal_party_neg(prep_catalog *c) { c->elecciones[0].coaliciones[0].partidos[1] = -1; }
static void coal_party_big(prep_catalog *c) { c->elecciones[0].coaliciones[0].partidos[1] = T_NCOLS; }
static void coal_party_comb(prep_catalog *c) { c->elecciones[0].coaliciones[0].partidos[2] = T_PAN_PRD; }
static void cand_unit(prep_catalog *c) { c->elecciones[0].candidaturas[0].unidad = 2; }
static void cand_unit_neg(prep_catalog *c) { c->elecciones[0].candidaturas[0].unidad = -1; }
static void cand_col(prep_catalog *c) { c->elecciones[0].candidaturas[0].col = T_NCOLS; }
static void cand_col_neg(prep_catalog *c) { c->elecciones[0].candidaturas[0].col = -1; }
static void cand_twice(prep_catalog *c) { c->elecciones[0].candidaturas[1].col = 0; }

static void test_finish_rejects(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {"no entidad", no_entidad, "no entidad"},
        {"no casillas", no_casillas, "no casillas"},
        {"no elections", no_elecciones, "no elections"},
        {"sección twice", seccion_twice, "twice"},
        {"sección entidad", seccion_entidad, "unknown entidad"},
        {"sección distrito", seccion_distrito, "distrito"},
        {"sección distrito -1", seccion_distrito_neg, "distrito"},
        {"sección demarcación", seccion_demarcacion, "demarcación"},
        {"sección demarcación -1", seccion_demarcacion_neg, "demarcación"},
        {"casilla sección 0", casilla_seccion0, "out of range"},
        {"casilla sección 10000", casilla_seccion_big, "out of range"},
        {"casilla número 0", casilla_numero0, "out of range"},
        {"casilla número 100", casilla_numero_big, "out of range"},
        {"casilla ext -1", casilla_ext_neg, "out of range"},
        {"casilla ext 100", casilla_ext_big, "out of range"},
        {"casilla entidad 0", casilla_entidad0, "out of range"},
        {"casilla entidad 100", casilla_entidad_big, "out of range"},
        {"casilla tipo X", casilla_tipo, "'X'"},
        {"casilla tipo NUL", casilla_tipo0, "'?'"},
        {"casilla sección unknown", casilla_seccion_unknown, "sección 300"},
        {"lista nominal < 0", casilla_ln_neg, "negative"},
        {"representantes < 0", casilla_rep_neg, "negative"},
        {"boletas < 0", casilla_bol_neg, "negative"},
        {"especial without boletas", especial_sin_boletas, "BOLETAS"},
        {"CATD 0", catd0, "CATD 0"},
        {"CATD 3 of 2", catd_big, "CATD 3"},
        {"casilla twice", casilla_twice, "090100C0100 appears twice"},
        {"election twice", eleccion_twice, "DIP appears twice"},
        {"unit type 3", unidad_bad, "unknown unit type 3"},
        {"unit type -1", unidad_neg, "unknown unit type -1"},
        {"0 columns", ncols0, "vote columns"},
        {"too many columns", ncols_big, "vote columns"},
        {"column of coalition 1", col_coal_big, "names no coalition"},
        {"column of coalition -2", col_coal_neg, "names no coalition"},
        {"combination without coalition", comb_no_coal, "belongs to no coalition"},
        {"column twice", col_twice, "PAN appears twice"},
        {"too many coalitions", ncoal_big, "coalitions"},
        {"negative coalitions", ncoal_neg, "coalitions"},
        {"coalition of one", coal_one_party, "has 1 parties"},
        {"coalition of too many", coal_many, "parties"},
        {"coalition party -1", coal_party_neg, "not a party"},
        {"coalition party out of range", coal_party_big, "not a party"},
        {"coalition party is a combination", coal_party_comb, "not a party"},
        {"candidatura unit 2", cand_unit, "out of range"},
        {"candidatura unit -1", cand_unit_neg, "out of range"},
        {"candidatura column", cand_col, "out of range"},
        {"candidatura column -1", cand_col_neg, "out of range"},
        {"candidatura twice", cand_twice, "two candidaturas for column PAN in unit 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        prep_catalog cat;
        prep_err err = {0};
        t_catalog_fill(&cat);
        int nel = cat.nelecciones;
        cases[i].spoil(&cat);
        int rc = prep_catalog_finish(&cat, &err);
        if (rc != -1 || err.code != PREP_E_INVALID)
            fail_msg("%s: finish returned %d (%s)", cases[i].name, rc, err.msg);
        if (!strstr(err.msg, cases[i].msg))
            fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].name, err.msg, cases[i].msg);
        if (cat.nelecciones < nel)
            cat.nelecciones = nel; /* so free releases what was allocated */
        prep_catalog_free(&cat);
    }
}

static void test_finish_twice(void **state)
{
    (void)state;
    /* Finishing an already finished catalog gives the same catalog. */
    prep_catalog cat;
    char a[65], b[65];
    t_catalog(&cat);
    prep_catalog_fingerprint(&cat, a);
    finish_ok(&cat);
    prep_catalog_fingerprint(&cat, b);
    assert_string_equal(a, b);
    assert_int_equal(prep_eleccion_aplica(&cat.elecciones[0], 1, T_CI1), 0);
    prep_catalog_free(&cat);
}

static void test_fingerprint(void **state)
{
    (void)state;
    prep_catalog x, y;
    char fx[65], fy[65];
    t_catalog(&x);
    t_catalog(&y);
    prep_catalog_fingerprint(&x, fx);
    prep_catalog_fingerprint(&y, fy);
    assert_true(prep_is_sha256_hex(fx));
    assert_string_equal(fx, fy);
    /* Any change shows: a lista nominal, a candidate's name, a mechanism. */
    y.casillas[3].lista_nominal++;
    prep_catalog_fingerprint(&y, fy);
    assert_string_not_equal(fx, fy);
    y.casillas[3].lista_nominal--;
    prep_catalog_fingerprint(&y, fy);
    assert_string_equal(fx, fy);
    y.elecciones[0].candidaturas[4].suplente[0] = 'X';
    prep_catalog_fingerprint(&y, fy);
    assert_string_not_equal(fx, fy);
    prep_catalog_free(&y);
    t_catalog(&y);
    y.casillas[0].mecanismo = 0;
    prep_catalog_fingerprint(&y, fy);
    assert_string_not_equal(fx, fy);
    prep_catalog_free(&x);
    prep_catalog_free(&y);
    /* An empty catalog has a fingerprint too. */
    prep_catalog_init(&x);
    prep_catalog_fingerprint(&x, fx);
    assert_true(prep_is_sha256_hex(fx));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_clave),
        cmocka_unit_test(test_finish_sorts_and_indexes),
        cmocka_unit_test(test_units_per_election),
        cmocka_unit_test(test_aplica_and_candidaturas),
        cmocka_unit_test(test_finish_rejects),
        cmocka_unit_test(test_finish_twice),
        cmocka_unit_test(test_fingerprint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
