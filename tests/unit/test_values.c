/* test_values.c — captured figures: parse / format round trips, rejections,
 * field names, capture comparison and the compact text encoding. */
#include "test_util.h"

static void test_parse_numbers(void **state)
{
    (void)state;
    prep_val v = 77;
    assert_int_equal(prep_val_parse("0", &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(prep_val_parse("123", &v), 0);
    assert_int_equal(v, 123);
    assert_int_equal(prep_val_parse("0042", &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(prep_val_parse("9999999", &v), 0);
    assert_int_equal(v, PREP_V_MAX);
}

static void test_parse_words(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        prep_val want;
    } ok[] = {
        {"Ilegible", PREP_V_ILEGIBLE}, {"ILEGIBLE", PREP_V_ILEGIBLE},
        {"ilegible", PREP_V_ILEGIBLE}, {"Sin dato", PREP_V_SIN_DATO},
        {"SIN DATO", PREP_V_SIN_DATO}, {"sin dato", PREP_V_SIN_DATO},
        {"-", PREP_V_NA},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        prep_val v = 77;
        assert_int_equal(prep_val_parse(ok[i].in, &v), 0);
        assert_int_equal(v, ok[i].want);
    }
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "-1", "+1", " 1", "1 ", "1 2", "10000000", "99999999999999999999999",
        "1.0", "1e3", "0x10", "--", "- ", "Ilegible ", " Ilegible", "Sin  dato",
        "Sindato", "SIN_DATO", "N/A", "uno", "١٢",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        prep_val v = 77;
        if (prep_val_parse(bad[i], &v) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_int_equal(v, 77); /* untouched */
    }
    prep_val v = 77;
    assert_int_equal(prep_val_parse(NULL, &v), -1);
    assert_int_equal(v, 77);
}

static void test_format_round_trip(void **state)
{
    (void)state;
    static const char *const canon[] = {"0", "1", "305", "9999999", "Ilegible", "Sin dato", "-"};
    for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
        prep_val v;
        char buf[12];
        assert_int_equal(prep_val_parse(canon[i], &v), 0);
        assert_string_equal(prep_val_fmt(v, buf), canon[i]);
    }
    /* Upper-case words come back in the canonical spelling. */
    prep_val v;
    char buf[12];
    assert_int_equal(prep_val_parse("SIN DATO", &v), 0);
    assert_string_equal(prep_val_fmt(v, buf), "Sin dato");
    assert_int_equal(prep_val_parse("0007", &v), 0);
    assert_string_equal(prep_val_fmt(v, buf), "7");
}

static void test_valid(void **state)
{
    (void)state;
    assert_true(prep_val_valid(0));
    assert_true(prep_val_valid(PREP_V_MAX));
    assert_true(prep_val_valid(PREP_V_ILEGIBLE));
    assert_true(prep_val_valid(PREP_V_SIN_DATO));
    assert_true(prep_val_valid(PREP_V_NA));
    assert_false(prep_val_valid(PREP_V_MAX + 1));
    assert_false(prep_val_valid(-4));
    assert_false(prep_val_valid(INT32_MIN));
    assert_false(prep_val_valid(INT32_MAX));
}

static void test_count(void **state)
{
    (void)state;
    assert_int_equal(prep_val_count(12), 12);
    assert_int_equal(prep_val_count(0), 0);
    assert_int_equal(prep_val_count(PREP_V_ILEGIBLE), 0);
    assert_int_equal(prep_val_count(PREP_V_SIN_DATO), 0);
    assert_int_equal(prep_val_count(PREP_V_NA), 0);
}

static void test_field_names(void **state)
{
    (void)state;
    const int nc = 5;
    assert_string_equal(prep_field_fixed_name(0, nc), "TOTAL_BOLETAS_SOBRANTES");
    assert_string_equal(prep_field_fixed_name(1, nc), "TOTAL_PERSONAS_VOTARON");
    assert_string_equal(prep_field_fixed_name(2, nc), "TOTAL_REP_PARTIDO_CI_VOTARON");
    assert_string_equal(prep_field_fixed_name(3, nc), "TOTAL_VOTOS_SACADOS");
    assert_string_equal(prep_field_fixed_name(9, nc), "NO_REGISTRADAS");
    assert_string_equal(prep_field_fixed_name(10, nc), "NULOS");
    assert_string_equal(prep_field_fixed_name(11, nc), "TOTAL_VOTOS_ASENTADO");
    for (int f = 4; f < 9; f++)
        assert_null(prep_field_fixed_name(f, nc)); /* vote columns: named by the election */
    assert_null(prep_field_fixed_name(-1, nc));
    assert_null(prep_field_fixed_name(12, nc));
    assert_int_equal(PREP_NFIELDS(nc), 12);
    assert_int_equal(PREP_F_NOREG(nc), 9);
    assert_int_equal(PREP_F_NULOS(nc), 10);
    assert_int_equal(PREP_F_ASENTADO(nc), 11);
}

static void test_equal(void **state)
{
    (void)state;
    prep_val a[6] = {1, 2, 3, PREP_V_ILEGIBLE, PREP_V_NA, 0};
    prep_val b[6] = {1, 2, 3, PREP_V_ILEGIBLE, PREP_V_NA, 0};
    assert_true(prep_vals_equal(a, b, 6));
    b[3] = PREP_V_SIN_DATO; /* both count 0, but they are different captures */
    assert_false(prep_vals_equal(a, b, 6));
    b[3] = 0;
    assert_false(prep_vals_equal(a, b, 6));
    b[3] = PREP_V_ILEGIBLE;
    b[5] = 1;
    assert_false(prep_vals_equal(a, b, 6));
    assert_true(prep_vals_equal(a, b, 5)); /* only nfields are compared */
}

static void test_encode_decode(void **state)
{
    (void)state;
    prep_val v[7] = {12, PREP_V_ILEGIBLE, PREP_V_NA, 0, PREP_V_SIN_DATO, 9999999, 3};
    char buf[128];
    const char *want = "12,Ilegible,-,0,Sin dato,9999999,3";
    assert_int_equal(prep_vals_encode(v, 7, buf, sizeof buf), strlen(want));
    assert_string_equal(buf, want);
    prep_val w[7];
    assert_int_equal(prep_vals_decode(buf, w, 7), 0);
    assert_memory_equal(v, w, sizeof v);
    /* Upper-case words decode too. */
    assert_int_equal(prep_vals_decode("12,ILEGIBLE,-,0,SIN DATO,9999999,3", w, 7), 0);
    assert_memory_equal(v, w, sizeof v);
    /* One field. */
    assert_int_equal(prep_vals_decode("5", w, 1), 0);
    assert_int_equal(w[0], 5);
}

static void test_encode_small_buffer(void **state)
{
    (void)state;
    prep_val v[3] = {123, 456, 789};
    char buf[6];
    assert_int_equal(prep_vals_encode(v, 3, buf, sizeof buf), 11); /* needed length */
    assert_string_equal(buf, "123,4");
    char z = 'z';
    assert_int_equal(prep_vals_encode(v, 3, &z, 0), 11);
    assert_int_equal(z, 'z');
    assert_int_equal(prep_vals_encode(v, 0, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

static void test_decode_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "1,2",       /* too few */
        "1,2,3,4",   /* too many */
        "1,2,3,",    /* trailing comma */
        ",1,2",      /* empty first */
        "1,,3",      /* empty middle */
        "",          /* nothing */
        "1,-2,3",    /* negative */
        "1,2,10000000",
        "1, 2,3",    /* space */
        "1,2,Ilegiblee",
        "1,2,1234567890123456789", /* token longer than any value */
        "1;2;3",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        prep_val w[3];
        if (prep_vals_decode(bad[i], w, 3) != -1)
            fail_msg("\"%s\" decoded as 3 fields", bad[i]);
    }
    prep_val w[1];
    assert_int_equal(prep_vals_decode("", w, 0), -1); /* zero fields is never a capture */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_numbers),
        cmocka_unit_test(test_parse_words),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_field_names),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_encode_decode),
        cmocka_unit_test(test_encode_small_buffer),
        cmocka_unit_test(test_decode_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
