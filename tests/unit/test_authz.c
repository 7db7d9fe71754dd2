/* test_authz.c — the authorization table cell by cell against a hand-written
 * matrix, the CATD and CAE scope rules, role names, and the pure parts of
 * accounts: name and workstation checks, session tokens, argon2id passwords. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "ops/authz.h"
#include "ops/users.h"

/* Hand matrix: one row per role, one letter per action, in prep_accion order:
 * L leer, C capturas, I imagen leer, A acopio, F fuera cat., S scan CATD,
 * P photo casilla, K captura, V verificación, T cotejo, M avance, U list
 * users, W manage users, H cortes history, X ask for a corte. '.' = no. */
static const struct {
    const char *rol;
    const char *row;
} matrix[] = {
    {"admin",          "LCI.......MUWHX"},
    {"acopio",         "L..AF.........."},
    {"digitalizacion", "L.I..S........."},
    {"captura",        "L.I....K......."},
    {"verificacion",   "LCI.....V......"},
    {"cotejo",         "LCI......T....."},
    {"cae",            "L.....P........"},
    {"monitor",        "L.........M..H."},
    {"auditor",        "LCI.......MU.H."},
};

static void test_matrix_cell_by_cell(void **state)
{
    (void)state;
    assert_int_equal(sizeof matrix / sizeof matrix[0], PREP_ROL__COUNT);
    for (size_t i = 0; i < PREP_ROL__COUNT; i++) {
        int r = prep_rol_from_name(matrix[i].rol);
        assert_true(r >= 0);
        assert_int_equal(strlen(matrix[i].row), PREP_ACC__COUNT);
        for (int a = 0; a < PREP_ACC__COUNT; a++) {
            int want = matrix[i].row[a] != '.';
            assert_int_equal(prep_authz_role_can(r, (prep_accion)a), want);
            /* Central staff (catd 0) on an acta of CATD 3 whose CAE is 7;
             * a CAE account is CAE 7 so only the role decides here. */
            prep_scope s = {.rol = r, .catd = 0, .cae = r == PREP_ROL_CAE ? 7 : 0};
            prep_err err = {0};
            int rc = prep_authz(&s, (prep_accion)a, 3, 7, &err);
            if (want) {
                assert_int_equal(rc, 0);
            } else {
                assert_int_equal(rc, -1);
                assert_int_equal(err.code, PREP_E_FORBIDDEN);
                assert_non_null(strstr(err.msg, matrix[i].rol));
            }
        }
    }
}

static void test_catd_scope(void **state)
{
    (void)state;
    prep_err err = {0};
    prep_scope cap5 = {.rol = PREP_ROL_CAPTURA, .catd = 5};
    assert_int_equal(prep_authz(&cap5, PREP_ACC_CAPTURA, 5, 0, &err), 0);
    assert_int_equal(prep_authz(&cap5, PREP_ACC_CAPTURA, 6, 0, &err), -1);
    assert_int_equal(err.code, PREP_E_FORBIDDEN);
    assert_non_null(strstr(err.msg, "CATD 6"));
    /* Not about one acta (work queue): allowed, the queue filters by CATD. */
    assert_int_equal(prep_authz(&cap5, PREP_ACC_CAPTURA, 0, -1, &err), 0);
    /* Central staff reach every CATD. */
    prep_scope central = {.rol = PREP_ROL_VERIFICACION, .catd = 0};
    for (int c = 1; c < 40; c++)
        assert_int_equal(prep_authz(&central, PREP_ACC_VERIFICACION, c, 0, &err), 0);
    /* Scope never widens a role: an acopio operator of CATD 5 cannot capture there. */
    prep_scope acopio5 = {.rol = PREP_ROL_ACOPIO, .catd = 5};
    assert_int_equal(prep_authz(&acopio5, PREP_ACC_CAPTURA, 5, 0, &err), -1);
    prep_scope mon5 = {.rol = PREP_ROL_MONITOR, .catd = 5};
    assert_int_equal(prep_authz(&mon5, PREP_ACC_ACTA_LEER, 4, 0, &err), -1);
}

static void test_cae_scope(void **state)
{
    (void)state;
    prep_err err = {0};
    prep_scope cae7 = {.rol = PREP_ROL_CAE, .cae = 7};
    assert_int_equal(prep_authz(&cae7, PREP_ACC_IMAGEN_CASILLA, 3, 7, &err), 0);
    assert_int_equal(prep_authz(&cae7, PREP_ACC_IMAGEN_CASILLA, 3, 8, &err), -1);
    assert_non_null(strstr(err.msg, "CAE 7"));
    /* A casilla with no CAE assigned, or a request not about a casilla. */
    assert_int_equal(prep_authz(&cae7, PREP_ACC_IMAGEN_CASILLA, 3, 0, &err), -1);
    assert_int_equal(prep_authz(&cae7, PREP_ACC_ACTA_LEER, 0, -1, &err), -1);
    /* A CAE account without a number reaches nothing; its CATD does not matter. */
    prep_scope cae0 = {.rol = PREP_ROL_CAE, .cae = 0};
    assert_int_equal(prep_authz(&cae0, PREP_ACC_IMAGEN_CASILLA, 3, 0, &err), -1);
    prep_scope cae7catd = {.rol = PREP_ROL_CAE, .cae = 7, .catd = 2};
    assert_int_equal(prep_authz(&cae7catd, PREP_ACC_IMAGEN_CASILLA, 3, 7, &err), 0);
    /* A CAE never uploads CATD scans, even of its own casillas. */
    assert_int_equal(prep_authz(&cae7, PREP_ACC_IMAGEN_CATD, 3, 7, &err), -1);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    prep_err err = {0};
    prep_scope bad = {.rol = 99};
    assert_int_equal(prep_authz(&bad, PREP_ACC_ACTA_LEER, 0, -1, &err), -1);
    assert_int_equal(prep_authz(NULL, PREP_ACC_ACTA_LEER, 0, -1, &err), -1);
    prep_scope adm = {.rol = PREP_ROL_ADMIN};
    assert_int_equal(prep_authz(&adm, PREP_ACC__COUNT, 0, -1, &err), -1);
    assert_int_equal(prep_authz(&adm, (prep_accion)-1, 0, -1, &err), -1);
    assert_int_equal(prep_rol_from_name("Admin"), -1);
    assert_int_equal(prep_rol_from_name(""), -1);
    assert_int_equal(prep_rol_from_name(NULL), -1);
    assert_null(prep_rol_name(-1));
    assert_null(prep_rol_name(PREP_ROL__COUNT));
    for (int r = 0; r < PREP_ROL__COUNT; r++)
        assert_int_equal(prep_rol_from_name(prep_rol_name(r)), r);
}

static void test_names(void **state)
{
    (void)state;
    assert_true(prep_user_name_valid("ana"));
    assert_true(prep_user_name_valid("cap-01.catd_3"));
    assert_true(prep_user_name_valid("7"));
    assert_false(prep_user_name_valid(""));
    assert_false(prep_user_name_valid(NULL));
    assert_false(prep_user_name_valid("Ana"));
    assert_false(prep_user_name_valid("-ana"));
    assert_false(prep_user_name_valid(".."));
    assert_false(prep_user_name_valid("a/b"));
    assert_false(prep_user_name_valid("a b"));
    char long_name[80];
    memset(long_name, 'a', 64);
    long_name[64] = '\0';
    assert_false(prep_user_name_valid(long_name));
    long_name[63] = '\0';
    assert_true(prep_user_name_valid(long_name));
    assert_true(prep_station_valid(""));
    assert_true(prep_station_valid("CATD-03 mesa 4"));
    assert_false(prep_station_valid("a\"b"));
    assert_false(prep_station_valid("a\\b"));
    assert_false(prep_station_valid("a\nb"));
    assert_false(prep_station_valid("caf\xc3\xa9"));
    assert_false(prep_station_valid(NULL));
}

static void test_tokens(void **state)
{
    (void)state;
    char t1[PREP_TOKEN_HEX], s1[PREP_TOKEN_HEX], t2[PREP_TOKEN_HEX], s2[PREP_TOKEN_HEX];
    char again[PREP_TOKEN_HEX];
    prep_token_new(t1, s1);
    prep_token_new(t2, s2);
    assert_int_equal(strlen(t1), 64);
    assert_string_not_equal(t1, t2);
    assert_string_not_equal(t1, s1);
    assert_int_equal(prep_token_sha(t1, again), 0);
    assert_string_equal(again, s1);
    assert_int_equal(prep_token_sha("abc", again), -1);
    char upper[65];
    memcpy(upper, t1, 65);
    upper[0] = 'G';
    assert_int_equal(prep_token_sha(upper, again), -1);
    assert_int_equal(prep_token_sha(NULL, again), -1);
}

static void test_passwords(void **state)
{
    (void)state;
    char h[128];
    prep_err err = {0};
    assert_int_equal(prep_password_hash("short", h, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    assert_int_equal(prep_password_hash("correct horse battery", h, &err), 0);
    assert_non_null(strstr(h, "$argon2id$"));
    assert_true(prep_password_check(h, "correct horse battery"));
    assert_false(prep_password_check(h, "correct horse batterY"));
    assert_false(prep_password_check(h, ""));
    assert_false(prep_password_check("", "x"));
    char p1[21], p2[21];
    prep_password_random(p1, sizeof p1);
    prep_password_random(p2, sizeof p2);
    assert_int_equal(strlen(p1), 20);
    assert_string_not_equal(p1, p2);
    for (int i = 0; i < 20; i++)
        assert_null(strchr("0O1lI", p1[i]));
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix_cell_by_cell), cmocka_unit_test(test_catd_scope),
        cmocka_unit_test(test_cae_scope),           cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_names),               cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_passwords),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
