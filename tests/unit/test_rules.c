/* test_rules.c — the Anexo 13 counting rules, one edge at a time: limits of
 * lista nominal + representantes, casillas especiales, Ilegible / Sin dato,
 * "-" columns, sin acta, OBSERVACIONES text and the 4-decimal truncation.
 * Expected numbers are written by hand. */
#include "test_util.h"

#include "core/rules.h"

/* Three vote columns keep the arrays short: fields are
 * 0..3 cuadre, 4..6 columns, 7 NO_REGISTRADAS, 8 NULOS, 9 TOTAL_VOTOS_ASENTADO. */
#define NC 3
#define NF PREP_NFIELDS(NC)
static const prep_rule_limits ordinaria = {.especial = 0, .lista_nominal = 100,
                                           .representantes = 5, .boletas = 0};

static void eval(const prep_val *v, const prep_rule_limits *lim, prep_rule_result *r)
{
    memset(r, 0x5a, sizeof *r); /* garbage in: eval must set every member */
    prep_rules_eval(v, NC, lim, r);
}

static const char *obs(const prep_rule_result *r)
{
    static char buf[160];
    return prep_rules_observaciones(r, buf, sizeof buf);
}

static void test_exactly_at_limit(void **state)
{
    (void)state;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, 50, 30, 20, 3, 2); /* 105 = 100 + 5 */
    eval(v, &ordinaria, &r);
    assert_int_equal(r.total_calculado, 105);
    assert_int_equal(r.limite, 105);
    assert_int_equal(r.contabilizada, 1);
    assert_int_equal(r.obs, 0);
    assert_int_equal(r.inconsistente, 0);
    assert_string_equal(obs(&r), "");
}

static void test_one_over_limit(void **state)
{
    (void)state;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, 50, 30, 20, 3, 3); /* 106 */
    eval(v, &ordinaria, &r);
    assert_int_equal(r.total_calculado, 106);
    assert_int_equal(r.contabilizada, 0);
    assert_int_equal(r.obs, PREP_OBS_EXCEDE_LN);
    assert_int_equal(r.inconsistente, 1);
    assert_string_equal(obs(&r), "EXCEDE LISTA NOMINAL");
}

static void test_all_numbers_zero_is_contabilizada(void **state)
{
    (void)state;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, 0, 0, 0, 0, 0);
    eval(v, &ordinaria, &r);
    assert_int_equal(r.total_calculado, 0);
    assert_int_equal(r.contabilizada, 1);
    assert_int_equal(r.obs, 0);
}

static void test_especial_uses_boletas(void **state)
{
    (void)state;
    /* A huge lista nominal must be ignored for an especial. */
    prep_rule_limits lim = {.especial = 1, .lista_nominal = 100000, .representantes = 10,
                            .boletas = 750};
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, 400, 300, 50, 5, 5); /* 760 = 750 + 10 */
    eval(v, &lim, &r);
    assert_int_equal(r.limite, 760);
    assert_int_equal(r.contabilizada, 1);
    assert_int_equal(r.obs, 0);
    v[PREP_F_NULOS(NC)] = 6; /* 761 */
    eval(v, &lim, &r);
    assert_int_equal(r.total_calculado, 761);
    assert_int_equal(r.contabilizada, 0);
    assert_int_equal(r.obs, PREP_OBS_EXCEDE_LN);
    assert_string_equal(obs(&r), "EXCEDE LISTA NOMINAL");

    /* The other way round: boletas govern even when LN is 0 (as stored). */
    lim.lista_nominal = 0;
    lim.boletas = 20;
    lim.representantes = 0;
    t_vals(v, NC, 10, 10, 0, 0, 0);
    eval(v, &lim, &r);
    assert_int_equal(r.contabilizada, 1);
    v[PREP_F_COL0] = 11;
    eval(v, &lim, &r);
    assert_int_equal(r.contabilizada, 0);
}

static void test_ordinaria_ignores_boletas(void **state)
{
    (void)state;
    prep_rule_limits lim = ordinaria;
    lim.boletas = 100000;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, 106, 0, 0, 0, 0);
    eval(v, &lim, &r);
    assert_int_equal(r.limite, 105);
    assert_int_equal(r.contabilizada, 0);
}

static void test_all_ilegible(void **state)
{
    (void)state;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, PREP_V_ILEGIBLE, PREP_V_ILEGIBLE, PREP_V_ILEGIBLE, PREP_V_ILEGIBLE,
           PREP_V_ILEGIBLE);
    v[PREP_F_PERSONAS] = 90; /* cuadre fields do not rescue the acta */
    v[PREP_F_ASENTADO(NC)] = 90;
    eval(v, &ordinaria, &r);
    assert_int_equal(r.total_calculado, 0);
    assert_int_equal(r.contabilizada, 0);
    assert_int_equal(r.obs, PREP_OBS_TODOS_ILEGIBLES);
    assert_int_equal(r.inconsistente, 1);
    assert_string_equal(obs(&r), "TODOS ILEGIBLES O SIN DATO");
}

static void test_all_sin_dato(void **state)
{
    (void)state;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, PREP_V_SIN_DATO, PREP_V_SIN_DATO, PREP_V_SIN_DATO, PREP_V_SIN_DATO,
           PREP_V_SIN_DATO);
    eval(v, &ordinaria, &r);
    assert_int_equal(r.contabilizada, 0);
    assert_int_equal(r.obs, PREP_OBS_TODOS_ILEGIBLES);
    assert_int_equal(r.inconsistente, 1);
}

static void test_mix_without_number(void **state)
{
    (void)state;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, PREP_V_ILEGIBLE, PREP_V_SIN_DATO, PREP_V_NA, PREP_V_SIN_DATO,
           PREP_V_ILEGIBLE);
    eval(v, &ordinaria, &r);
    assert_int_equal(r.contabilizada, 0);
    assert_int_equal(r.obs, PREP_OBS_TODOS_ILEGIBLES);
    assert_string_equal(obs(&r), "TODOS ILEGIBLES O SIN DATO");
}

static void test_some_ilegible_counts_zero(void **state)
{
    (void)state;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, 40, PREP_V_ILEGIBLE, 30, PREP_V_SIN_DATO, 2);
    eval(v, &ordinaria, &r);
    assert_int_equal(r.total_calculado, 72);
    assert_int_equal(r.contabilizada, 1);
    assert_int_equal(r.obs, PREP_OBS_ALGUN_ILEGIBLE);
    assert_int_equal(r.inconsistente, 1);
    assert_string_equal(obs(&r), "ALGUN DATO ILEGIBLE O SIN DATO");

    /* Only NULOS legible: still one number, still contabilizada. */
    t_vals(v, NC, PREP_V_ILEGIBLE, PREP_V_ILEGIBLE, PREP_V_SIN_DATO, PREP_V_ILEGIBLE, 0);
    eval(v, &ordinaria, &r);
    assert_int_equal(r.contabilizada, 1);
    assert_int_equal(r.obs, PREP_OBS_ALGUN_ILEGIBLE);
}

static void test_dash_columns_ignored(void **state)
{
    (void)state;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, 40, PREP_V_NA, 30, 0, 2);
    eval(v, &ordinaria, &r);
    assert_int_equal(r.total_calculado, 72);
    assert_int_equal(r.contabilizada, 1);
    assert_int_equal(r.obs, 0); /* "-" is neither a number nor a blank */
    assert_int_equal(r.inconsistente, 0);
}

static void test_cuadre_fields_not_votes(void **state)
{
    (void)state;
    /* Ilegible / huge numbers in the four cuadre fields and in TOTAL_VOTOS_ASENTADO
     * neither mark the acta nor enter the total. */
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, 10, 20, 30, 0, 0);
    v[PREP_F_SOBRANTES] = PREP_V_ILEGIBLE;
    v[PREP_F_PERSONAS] = PREP_V_SIN_DATO;
    v[PREP_F_REPRESENTANTES] = 9999999;
    v[PREP_F_SACADOS] = 9999999;
    v[PREP_F_ASENTADO(NC)] = PREP_V_ILEGIBLE;
    eval(v, &ordinaria, &r);
    assert_int_equal(r.total_calculado, 60);
    assert_int_equal(r.contabilizada, 1);
    assert_int_equal(r.obs, 0);
    assert_int_equal(prep_rules_total_calculado(v, NC), 60);
}

static void test_excede_and_ilegible(void **state)
{
    (void)state;
    prep_val v[NF];
    prep_rule_result r;
    t_vals(v, NC, 100, PREP_V_ILEGIBLE, 6, 0, 0); /* 106 > 105 */
    eval(v, &ordinaria, &r);
    assert_int_equal(r.contabilizada, 0);
    assert_int_equal(r.obs, PREP_OBS_EXCEDE_LN | PREP_OBS_ALGUN_ILEGIBLE);
    assert_int_equal(r.inconsistente, 1);
    assert_string_equal(obs(&r), "EXCEDE LISTA NOMINAL, ALGUN DATO ILEGIBLE O SIN DATO");
}

static void test_total_calculado(void **state)
{
    (void)state;
    prep_val v[NF];
    t_vals(v, NC, 1, 20, 300, 4000, 50000);
    v[PREP_F_SOBRANTES] = 7;
    v[PREP_F_PERSONAS] = 7;
    v[PREP_F_REPRESENTANTES] = 7;
    v[PREP_F_SACADOS] = 7;
    v[PREP_F_ASENTADO(NC)] = 7;
    assert_int_equal(prep_rules_total_calculado(v, NC), 54321);
    /* The largest figures in every field cannot overflow. */
    t_vals(v, NC, PREP_V_MAX, PREP_V_MAX, PREP_V_MAX, PREP_V_MAX, PREP_V_MAX);
    assert_int_equal(prep_rules_total_calculado(v, NC), 5 * (int64_t)PREP_V_MAX);
    /* Ilegible, Sin dato and "-" are 0. */
    t_vals(v, NC, PREP_V_ILEGIBLE, PREP_V_SIN_DATO, PREP_V_NA, 5, PREP_V_ILEGIBLE);
    assert_int_equal(prep_rules_total_calculado(v, NC), 5);
}

static void test_sin_acta_each_motivo(void **state)
{
    (void)state;
    static const char *const text[] = {
        NULL, "SIN ACTA POR PAQUETE NO ENTREGADO", "SIN ACTA POR CASILLA NO INSTALADA",
        "SIN ACTA POR PAQUETE ENTREGADO SIN SOBRE"};
    for (int m = PREP_SIN_ACTA_NO_ENTREGADO; m <= PREP_SIN_ACTA_SIN_SOBRE; m++) {
        prep_rule_result r;
        memset(&r, 0x5a, sizeof r);
        prep_rules_sin_acta(m, &r);
        assert_int_equal(r.contabilizada, 0);
        assert_int_equal(r.inconsistente, 0);
        assert_int_equal(r.obs, PREP_OBS_SIN_ACTA);
        assert_int_equal(r.sin_acta_motivo, m);
        assert_int_equal(r.total_calculado, 0);
        assert_string_equal(obs(&r), text[m]);
        assert_string_equal(prep_sin_acta_texto(m), text[m]);
    }
    /* A motivo nobody knows still says SIN ACTA. */
    prep_rule_result r;
    prep_rules_sin_acta(77, &r);
    assert_string_equal(obs(&r), "SIN ACTA");
}

static void test_sin_acta_codes_round_trip(void **state)
{
    (void)state;
    assert_string_equal(prep_sin_acta_codigo(PREP_SIN_ACTA_NO_ENTREGADO), "paquete_no_entregado");
    assert_string_equal(prep_sin_acta_codigo(PREP_SIN_ACTA_NO_INSTALADA), "casilla_no_instalada");
    assert_string_equal(prep_sin_acta_codigo(PREP_SIN_ACTA_SIN_SOBRE), "sin_sobre");
    for (int m = 1; m < PREP_SIN_ACTA__COUNT; m++)
        assert_int_equal(prep_sin_acta_from_codigo(prep_sin_acta_codigo(m)), m);
    assert_null(prep_sin_acta_codigo(PREP_SIN_ACTA_NINGUNO));
    assert_null(prep_sin_acta_codigo(PREP_SIN_ACTA__COUNT));
    assert_null(prep_sin_acta_codigo(-1));
    assert_null(prep_sin_acta_texto(0));
    assert_null(prep_sin_acta_texto(PREP_SIN_ACTA__COUNT));
    assert_null(prep_sin_acta_texto(-3));
    assert_int_equal(prep_sin_acta_from_codigo("sin_acta"), -1);
    assert_int_equal(prep_sin_acta_from_codigo("SIN_SOBRE"), -1);
    assert_int_equal(prep_sin_acta_from_codigo(""), -1);
    assert_int_equal(prep_sin_acta_from_codigo(NULL), -1);
}

static void test_observaciones_small_buffer(void **state)
{
    (void)state;
    prep_rule_result r = {.obs = PREP_OBS_EXCEDE_LN | PREP_OBS_ALGUN_ILEGIBLE};
    char buf[12];
    memset(buf, 'x', sizeof buf);
    assert_string_equal(prep_rules_observaciones(&r, buf, sizeof buf), "EXCEDE LIST");
    char one[1] = {'x'};
    assert_string_equal(prep_rules_observaciones(&r, one, 1), "");
    prep_rule_result none = {0};
    char b2[4] = "abc";
    assert_string_equal(prep_rules_observaciones(&none, b2, sizeof b2), "");
    /* cap 0: nothing is written at all. */
    char z = 'z';
    prep_rules_observaciones(&r, &z, 0);
    assert_int_equal(z, 'z');
}

static const char *pct(int64_t num, int64_t den)
{
    static char buf[32];
    return prep_pct_fmt(prep_pct_e4(num, den), buf, sizeof buf);
}

static void test_pct_truncation(void **state)
{
    (void)state;
    assert_int_equal(prep_pct_e4(9999999, 10000000), 999999);
    assert_string_equal(pct(9999999, 10000000), "99.9999"); /* 99.99999: never 100.0000 */
    assert_string_equal(pct(1, 3), "33.3333");
    assert_string_equal(pct(2, 3), "66.6666"); /* not 66.6667 */
    assert_string_equal(pct(1, 1), "100.0000");
    assert_string_equal(pct(3, 3), "100.0000");
    assert_string_equal(pct(2031, 2136), "95.0842"); /* IEQROO 2019 final corte */
    assert_string_equal(pct(492, 2136), "23.0337");
    assert_string_equal(pct(263005, 1187254), "22.1523");
    assert_string_equal(pct(1, 10000000), "0.0000");
    assert_string_equal(pct(1, 1000000), "0.0001");
    assert_string_equal(pct(0, 5), "0.0000");
    assert_string_equal(pct(5, 0), "0.0000"); /* 0 esperadas */
    assert_string_equal(pct(0, 0), "0.0000");
    assert_string_equal(pct(-1, 5), "0.0000");
    assert_string_equal(pct(5, -1), "0.0000");
    /* Above 100 % is shown as it is (not clamped). */
    assert_string_equal(pct(3, 2), "150.0000");
    /* Large counts: a national lista nominal of ~98.3 million. */
    assert_string_equal(pct(59883000, 98329591), "60.9002");
    assert_int_equal(prep_pct_e4(INT64_C(9000000000000), INT64_C(9000000000000)), 1000000);
}

static void test_pct_fmt(void **state)
{
    (void)state;
    char buf[32];
    assert_string_equal(prep_pct_fmt(0, buf, sizeof buf), "0.0000");
    assert_string_equal(prep_pct_fmt(5, buf, sizeof buf), "0.0005");
    assert_string_equal(prep_pct_fmt(123456, buf, sizeof buf), "12.3456");
    assert_string_equal(prep_pct_fmt(1000000, buf, sizeof buf), "100.0000");
    char small[5];
    assert_string_equal(prep_pct_fmt(123456, small, sizeof small), "12.3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exactly_at_limit),
        cmocka_unit_test(test_one_over_limit),
        cmocka_unit_test(test_all_numbers_zero_is_contabilizada),
        cmocka_unit_test(test_especial_uses_boletas),
        cmocka_unit_test(test_ordinaria_ignores_boletas),
        cmocka_unit_test(test_all_ilegible),
        cmocka_unit_test(test_all_sin_dato),
        cmocka_unit_test(test_mix_without_number),
        cmocka_unit_test(test_some_ilegible_counts_zero),
        cmocka_unit_test(test_dash_columns_ignored),
        cmocka_unit_test(test_cuadre_fields_not_votes),
        cmocka_unit_test(test_excede_and_ilegible),
        cmocka_unit_test(test_total_calculado),
        cmocka_unit_test(test_sin_acta_each_motivo),
        cmocka_unit_test(test_sin_acta_codes_round_trip),
        cmocka_unit_test(test_observaciones_small_buffer),
        cmocka_unit_test(test_pct_truncation),
        cmocka_unit_test(test_pct_fmt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
