/* test_images.c — decoding of uploaded acta images (src/images/qr.c) on the
 * seed images of the image fuzzer (tests/fuzz/corpus/image, written by
 * tests/fuzz/seed_images.c): the QR of a PNG, a baseline JPEG and a
 * progressive JPEG is read; a JPEG with 253 progressive scans (a few KB that
 * would cost minutes at full size) is refused; truncated and foreign bytes
 * are refused with PREP_E_INVALID. Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "images/qr.h"

#define SEEDS "tests/fuzz/corpus/image/"

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *b = malloc(1 << 20);
    assert_non_null(b);
    *len = fread(b, 1, 1 << 20, f);
    fclose(f);
    assert_true(*len > 0);
    return b;
}

static void reads_qr(const char *name)
{
    size_t len;
    unsigned char *b = slurp(name, &len);
    char text[128], clave[12];
    prep_err err = {0};
    assert_int_equal(prep_qr_decode(b, len, text, sizeof text, &err), 1);
    assert_string_equal(text, "PREP|JG|090123B0100");
    assert_int_equal(prep_qr_clave(text, clave), 0);
    assert_string_equal(clave, "090123B0100");
    free(b);
}

static void test_png(void **state)
{
    (void)state;
    reads_qr(SEEDS "seed-qr.png");
}

static void test_jpeg(void **state)
{
    (void)state;
    reads_qr(SEEDS "seed-qr.jpg");
    reads_qr(SEEDS "seed-qr-progressive.jpg");
}

static void test_jpeg_scan_limit(void **state)
{
    (void)state;
    size_t len;
    unsigned char *b = slurp(SEEDS "seed-qr-253-scans.jpg", &len);
    char text[128];
    prep_err err = {0};
    assert_int_equal(prep_qr_decode(b, len, text, sizeof text, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    assert_non_null(strstr(err.msg, "progressive scans"));
    free(b);
}

static void test_broken(void **state)
{
    (void)state;
    const char *files[] = {SEEDS "seed-qr.png", SEEDS "seed-qr.jpg"};
    for (int i = 0; i < 2; i++) {
        size_t len;
        unsigned char *b = slurp(files[i], &len);
        char text[128];
        prep_err err = {0};
        /* Cut short: the header parses, the pixels do not. */
        int rc = prep_qr_decode(b, len / 3, text, sizeof text, &err);
        assert_true(rc == -1 || rc == 0);
        if (rc == -1)
            assert_int_equal(err.code, PREP_E_INVALID);
        assert_int_equal(prep_qr_decode("GIF89a....", 10, text, sizeof text, &err), -1);
        assert_int_equal(err.code, PREP_E_INVALID);
        assert_int_equal(prep_qr_decode(b, 3, text, sizeof text, &err), -1);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_jpeg_scan_limit),
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
