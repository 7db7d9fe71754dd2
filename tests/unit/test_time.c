/* test_time.c — PREP time in fixed UTC-6: every formatter on a known instant,
 * parsing of both date orders, round trips and bad dates.
 * Instants are written as epoch seconds computed by hand / `date -u +%s`. */
#include "test_util.h"

#include "util/timefmt.h"

/* 2024-06-03T02:05:09Z = 02/06/2024 20:05:09 in UTC-6. */
#define T_NIGHT (INT64_C(1717380309) * 1000)

static void test_format_utc_minus_6(void **state)
{
    (void)state;
    char buf[32];
    prep_time_fmt(T_NIGHT, buf);
    assert_string_equal(buf, "02/06/2024 20:05:09");
    prep_time_fmt(T_NIGHT + 999, buf); /* milliseconds are dropped, not rounded */
    assert_string_equal(buf, "02/06/2024 20:05:09");
    prep_time_fmt_min(T_NIGHT, buf);
    assert_string_equal(buf, "02/06/2024 20:05");
    prep_time_fmt_stamp(T_NIGHT, buf);
    assert_string_equal(buf, "20240602_2005");
    prep_time_fmt_iso(T_NIGHT, buf);
    assert_string_equal(buf, "2024-06-02T20:05:09-06:00");
}

static void test_format_day_and_year_change(void **state)
{
    (void)state;
    char buf[32];
    /* 2024-01-01T05:59:59Z is still 2023 in UTC-6. */
    prep_time_fmt(INT64_C(1704088799) * 1000, buf);
    assert_string_equal(buf, "31/12/2023 23:59:59");
    prep_time_fmt(INT64_C(1704088800) * 1000, buf);
    assert_string_equal(buf, "01/01/2024 00:00:00");
    /* No DST: a July instant is also UTC-6 (2024-07-01T12:00:00Z). */
    prep_time_fmt(INT64_C(1719835200) * 1000, buf);
    assert_string_equal(buf, "01/07/2024 06:00:00");
}

static void test_format_unset(void **state)
{
    (void)state;
    char buf[32] = "garbage";
    prep_time_fmt(0, buf);
    assert_string_equal(buf, "");
}

static void test_parse_both_orders(void **state)
{
    (void)state;
    prep_time t = 0;
    assert_int_equal(prep_time_parse("02/06/2024 20:05:09", &t), 0);
    assert_int_equal(t, T_NIGHT);
    t = 0;
    assert_int_equal(prep_time_parse("2024-06-02 20:05:09", &t), 0);
    assert_int_equal(t, T_NIGHT);
    assert_int_equal(prep_time_parse("02/06/2024 20:05", &t), 0);
    assert_int_equal(t, T_NIGHT - 9000);
    assert_int_equal(prep_time_parse("2024-06-02 20:05", &t), 0);
    assert_int_equal(t, T_NIGHT - 9000);
    assert_int_equal(prep_time_parse("29/02/2024 00:00", &t), 0); /* leap year */
    assert_int_equal(t, INT64_C(1709186400) * 1000);
    assert_int_equal(prep_time_parse("01/01/1970 00:00:00", &t), 0);
    assert_int_equal(t, INT64_C(21600) * 1000);
}

static void test_round_trip(void **state)
{
    (void)state;
    static const char *const s[] = {"02/06/2024 20:05:09", "31/12/2023 23:59:59",
                                    "01/01/2024 00:00:00", "29/02/2024 12:34:56"};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        prep_time t;
        char buf[32];
        assert_int_equal(prep_time_parse(s[i], &t), 0);
        prep_time_fmt(t, buf);
        assert_string_equal(buf, s[i]);
    }
}

static void test_parse_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "02/06/2024",             /* no time */
        "02/06/2024 20",
        "02/06/2024 20:05:09x",   /* trailing garbage */
        "02/06/2024 20:05:",
        "02/06/2024T20:05:09",
        "2024-06-02T20:05:09",
        " 02/06/2024 20:05",      /* leading space */
        "02/06/2024  20:05",
        "02/06/202420:05",        /* missing separator */
        "2/6/2024 20:05",         /* one-digit fields */
        "+2/06/2024 20:05",
        "02/06/2024 -1:05",
        "02/06/2024 20:-5",
        "31/02/2024 10:00",       /* no such day */
        "29/02/2023 10:00",       /* not a leap year */
        "31/04/2024 10:00",
        "00/01/2024 00:00",
        "32/01/2024 00:00",
        "01/00/2024 00:00",
        "01/13/2024 00:00",
        "2024-13-01 00:00",
        "2024-02-30 00:00",
        "02/06/2024 24:00",
        "02/06/2024 20:60",
        "02/06/2024 20:05:60",
        "02/06/2024 20:05:99",
        "31/12/1969 23:59",       /* before the epoch */
        "02-06-2024 20:05",
        "2024/06/02 20:05",
        "ab/cd/efgh ij:kl",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        prep_time t = 42;
        if (prep_time_parse(bad[i], &t) != -1)
            fail_msg("\"%s\" was accepted", bad[i]);
        assert_int_equal(t, 42); /* untouched */
    }
    prep_time t = 42;
    assert_int_equal(prep_time_parse(NULL, &t), -1);
}

static void test_now_is_ms_since_epoch(void **state)
{
    (void)state;
    /* Not a timing test: only that the clock is in milliseconds and after
     * this code was written (2024-06-01 = 1717200000 s). */
    prep_time a = prep_now();
    assert_true(a > INT64_C(1717200000) * 1000);
    assert_true(a < INT64_C(1717200000) * 1000 * 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_utc_minus_6),
        cmocka_unit_test(test_format_day_and_year_change),
        cmocka_unit_test(test_format_unset),
        cmocka_unit_test(test_parse_both_orders),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_now_is_ms_since_epoch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
