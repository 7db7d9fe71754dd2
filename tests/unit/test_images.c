/* test_images.c — decoding of uploaded acta images (src/images/qr.c) on the
 * seed images of the image fuzzer (tests/fuzz/corpus/image, written by
 * tests/fuzz/seed_images.c): the QR of a PNG, a baseline JPEG and a
 * progressive JPEG is read; a JPEG with 253 progressive scans (a few KB that
 * would cost minutes at full size) is refused; truncated and foreign bytes
 * are refused with PREP_E_INVALID. The seed QR drawn with cairo onto a page
 * away from the top-right corner, rotated, tilted, scaled down, and onto a
 * phone-sized photo is still read, by the pass expected (qr.c scans the
 * corner first, a reduced copy of large images next, the whole image last).
 * Run from the repository root. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cairo.h>
#include <math.h>

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

typedef struct {
    unsigned char *p;
    size_t len, cap;
} membuf;

static cairo_status_t mem_write(void *closure, const unsigned char *data, unsigned int length)
{
    membuf *m = closure;
    if (m->len + length > m->cap) {
        m->cap = (m->len + length) * 2;
        m->p = realloc(m->p, m->cap);
        assert_non_null(m->p);
    }
    memcpy(m->p + m->len, data, length);
    m->len += length;
    return CAIRO_STATUS_SUCCESS;
}

/* The seed QR (a PNG) drawn on a white w x h page: centre at (cx, cy) as
 * fractions of the page, scaled by k, rotated by deg; checks the text read
 * and the pass that read it. */
static void page_fmt_reads(cairo_format_t fmt, int w, int h, double cx, double cy, double k,
                           double deg, int want_pass)
{
    cairo_surface_t *qr = cairo_image_surface_create_from_png(SEEDS "seed-qr.png");
    assert_int_equal(cairo_surface_status(qr), CAIRO_STATUS_SUCCESS);
    double qw = cairo_image_surface_get_width(qr), qh = cairo_image_surface_get_height(qr);
    cairo_surface_t *s = cairo_image_surface_create(fmt, w, h);
    cairo_t *cr = cairo_create(s);
    if (fmt == CAIRO_FORMAT_RGB24) { /* paper; ARGB32 stays transparent (read as white) */
        cairo_set_source_rgb(cr, 0.95, 0.95, 0.92);
        cairo_paint(cr);
    }
    cairo_translate(cr, cx * w, cy * h);
    cairo_rotate(cr, deg * M_PI / 180);
    cairo_scale(cr, k, k);
    cairo_set_source_surface(cr, qr, -qw / 2, -qh / 2);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_destroy(cr);
    membuf m = {0};
    assert_int_equal(cairo_surface_write_to_png_stream(s, mem_write, &m), CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    cairo_surface_destroy(qr);
    char text[128], full[128];
    int pass = -1;
    prep_err err = {0};
    assert_int_equal(prep_qr_decode_how(m.p, m.len, text, sizeof text, 0, &pass, &err), 1);
    assert_string_equal(text, "PREP|JG|090123B0100");
    assert_int_equal(pass, want_pass);
    assert_int_equal(prep_qr_decode_how(m.p, m.len, full, sizeof full, 1, &pass, &err), 1);
    assert_int_equal(pass, 3);
    assert_string_equal(full, text);
    free(m.p);
}

static void page_reads(int w, int h, double cx, double cy, double k, double deg, int want_pass)
{
    page_fmt_reads(CAIRO_FORMAT_RGB24, w, h, cx, cy, k, deg, want_pass);
}

static void test_where_and_how(void **state)
{
    (void)state;
    page_reads(600, 780, 0.82, 0.10, 1.0, 0, 1);   /* where acta formats print it */
    page_reads(600, 780, 0.82, 0.10, 0.7, 8, 1);   /* tilted, smaller */
    page_reads(600, 780, 0.20, 0.85, 1.0, 0, 3);   /* bottom left: whole image */
    page_reads(600, 780, 0.50, 0.50, 1.2, 90, 3);  /* page turned */
    page_reads(600, 780, 0.20, 0.20, 0.9, 180, 3); /* upside down */
    page_reads(780, 600, 0.50, 0.50, 1.0, 33, 3);  /* landscape, rotated */
    page_reads(1600, 2080, 0.3, 0.6, 4.0, 12, 2);  /* phone photo: the reduced copy */
    page_reads(1600, 2080, 0.8, 0.1, 4.0, 0, 1);   /* phone photo, QR in the corner */
    /* a transparent page (RGBA PNG) is read over white */
    page_fmt_reads(CAIRO_FORMAT_ARGB32, 600, 780, 0.82, 0.10, 1.0, 0, 1);
    page_fmt_reads(CAIRO_FORMAT_ARGB32, 600, 780, 0.3, 0.7, 1.0, 20, 3);
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
        cmocka_unit_test(test_where_and_how),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
