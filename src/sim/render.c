/* render.c — a drill's acta as a PNG image: the acta drawn by draw.c (with
 * its CLAVE_CASILLA as a QR code for the server's QR check) onto a cairo
 * image surface, encoded with libpng. A casilla photo and a CATD scan of
 * the same acta differ (tone, tilt, footer), so their SHA-256 differ.
 * Grayscale only; --small-images is 1 bit per pixel. It does not decide
 * what the figures are (truth.c) nor store anything. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <png.h>

#include "sim/draw.h"

typedef struct {
    int w, h;
    double scale;          /* drawing units are 800 x 1040 */
} layout;

static void png_out(png_structp p, png_bytep data, size_t len)
{
    prep_buf_append(png_get_io_ptr(p), data, len);
}

static void png_flush_noop(png_structp p)
{
    (void)p;
}

/* One row of gray levels as 1-bit pixels, eight to a byte, first pixel in
 * the high bit: a level of 128 or more (its high bit) is white. Eight
 * pixels at a time, without branches (the byte-at-a-time loop with a test
 * per pixel was a tenth of a national drill's client). */
static void pack_row(const unsigned char *src, int w, unsigned char *row)
{
    int x = 0, i = 0;
    for (; x + 8 <= w; x += 8, i++) {
        const unsigned char *p = src + x;
        row[i] = (unsigned char)((p[0] & 0x80) | (p[1] & 0x80) >> 1 | (p[2] & 0x80) >> 2 |
                                 (p[3] & 0x80) >> 3 | (p[4] & 0x80) >> 4 | (p[5] & 0x80) >> 5 |
                                 (p[6] & 0x80) >> 6 | (p[7] & 0x80) >> 7);
    }
    if (x < w) {
        unsigned char b = 0;
        for (int k = 0; x + k < w; k++)
            b |= (unsigned char)((src[x + k] & 0x80) >> k);
        row[i] = b;
    }
}

/* Encode the A8 surface as grayscale PNG with libpng at zlib's fastest
 * level (cairo's own writer tries every filter at the default level, which
 * made PNG encoding 70 % of a drill's rendering time). Alpha is the gray
 * level: opaque = white. bits 1: each pixel thresholded at half gray and
 * packed eight to a byte, first pixel in the high bit, as PNG wants. */
static int write_png(cairo_surface_t *s, int bits, prep_buf *out, prep_err *err)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    unsigned char *row = bits == 1 ? malloc((size_t)(w + 7) / 8) : NULL;
    if (bits == 1 && !row)
        return prep_fail(err, PREP_E_NOMEM, "out of memory (PNG)");
    png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = p ? png_create_info_struct(p) : NULL;
    if (!info) {
        png_destroy_write_struct(&p, NULL);
        free(row);
        return prep_fail(err, PREP_E_NOMEM, "out of memory (PNG)");
    }
    if (setjmp(png_jmpbuf(p))) {
        png_destroy_write_struct(&p, &info);
        free(row);
        return prep_fail(err, PREP_E_IO, "PNG encoding failed");
    }
    png_set_write_fn(p, out, png_out, png_flush_noop);
    png_set_compression_level(p, 1);
    /* No row filter: on these flat pages it makes smaller files than SUB,
     * and faster (bench_render). */
    png_set_filter(p, 0, PNG_FILTER_NONE);
    png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, bits, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(p, info);
    for (int y = 0; y < h; y++) {
        const unsigned char *src = px + (size_t)y * (size_t)stride;
        if (bits == 1) {
            pack_row(src, w, row);
            src = row;
        }
        png_write_row(p, src);
    }
    png_write_end(p, info);
    png_destroy_write_struct(&p, &info);
    free(row);
    if (!prep_buf_ok(out))
        return prep_fail(err, PREP_E_NOMEM, "out of memory (PNG)");
    return 0;
}

/* Ink is drawn by clearing the opaque (white) A8 surface: alpha is the
 * gray level written to the PNG. */
static void ink(cairo_t *cr)
{
    cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
}

/* ---- Surfaces, kept per thread ---------------------------------------------
 * Each thread keeps the two surfaces it draws on (the page and, for a
 * photo turned after, its turned copy) from one acta to the next, as long
 * as the size stays: making and freeing two surfaces of 150 – 470 KB per
 * image cost the drill's client more in malloc and page zeroing than the
 * PNG row packing. Every use paints the whole surface first. */
enum { S_PAGE, S_TURNED, S_N };
typedef struct {
    cairo_surface_t *s[S_N];
} surfaces;
static pthread_key_t surfaces_key;
static pthread_once_t surfaces_once = PTHREAD_ONCE_INIT;

static void surfaces_free(void *p)
{
    surfaces *k = p;
    for (int i = 0; k && i < S_N; i++)
        if (k->s[i])
            cairo_surface_destroy(k->s[i]);
    free(k);
}

static void surfaces_key_make(void)
{
    pthread_key_create(&surfaces_key, surfaces_free);
}

/* This thread's surface `which` of L's size, made on first use. It stays
 * the thread's: the caller does not destroy it. */
static cairo_surface_t *surface(const layout *L, int which, prep_err *err)
{
    pthread_once(&surfaces_once, surfaces_key_make);
    surfaces *k = pthread_getspecific(surfaces_key);
    if (!k) {
        if (!(k = calloc(1, sizeof *k)) || pthread_setspecific(surfaces_key, k) != 0) {
            free(k);
            prep_fail(err, PREP_E_NOMEM, "out of memory (image surface)");
            return NULL;
        }
    }
    cairo_surface_t *s = k->s[which];
    if (s && cairo_image_surface_get_width(s) == L->w && cairo_image_surface_get_height(s) == L->h)
        return s;
    if (s)
        cairo_surface_destroy(s);
    k->s[which] = NULL;
    s = cairo_image_surface_create(CAIRO_FORMAT_A8, L->w, L->h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        prep_fail(err, PREP_E_NOMEM, "cannot create a %dx%d image", L->w, L->h);
        return NULL;
    }
    return k->s[which] = s;
}

/* The 1-bit page s turned by angle a (radians) about its centre, as a
 * hand-held phone takes it: a new surface, the corners filled with the
 * page's edge (paper), the nearest pixel (as sharp as drawn). Drawing the
 * small page straight and turning it after costs less than drawing it
 * turned (bench_render): a turned transform is a new font to cairo, whose
 * glyphs it rasterizes again for every photo. Gray pages are drawn turned:
 * resampled after, their PNGs grow by half and take longer (bilinear), or
 * 4 % of their QR codes become unreadable (nearest pixel). */
static cairo_surface_t *tilt(cairo_surface_t *s, const layout *L, double a, prep_err *err)
{
    cairo_surface_t *d = surface(L, S_TURNED, err);
    if (!d)
        return NULL;
    cairo_t *cr = cairo_create(d);
    cairo_translate(cr, L->w / 2.0, L->h / 2.0);
    cairo_rotate(cr, a);
    cairo_translate(cr, -L->w / 2.0, -L->h / 2.0);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(d);
    return d;
}

/* A phone photo's tilt: up to ±0.01 rad (±0.57°). A gray page, drawn
 * turned, takes it in steps of 0.0025 rad: nine angles in all, so that the
 * glyphs cairo rasterizes for one photo serve every later photo of the same
 * angle (a turned transform is a new font to cairo: with an angle of its
 * own per photo it rasterized and hinted every glyph of every photo again;
 * bench_render). A 1-bit page, turned after as a bitmap, keeps any angle:
 * at a few fixed angles the nearest-pixel turn breaks most of their QR
 * codes the same way (37 % read back instead of 95 %). */
static double tilt_angle(sim_rng *r, int small)
{
    const double step = 0.0025;
    double a = (sim_unit(r) - 0.5) * 0.02;
    if (small)
        return a;
    return round(a / step) * step;
}

int sim_render_acta(const sim_truth *t, int e, int c, sim_img_kind kind,
                    const sim_render_opts *o, prep_buf *out, prep_err *err)
{
    const prep_casilla *ca = &t->cat->casillas[c];
    int small = o && o->small;
    layout L = {.w = small ? 340 : 600, .h = small ? 442 : 780,
                .scale = small ? 340.0 / 800 : 600.0 / 800};
    prep_buf_reset(out);
    cairo_surface_t *s = surface(&L, S_PAGE, err);
    if (!s)
        return -1;
    cairo_t *cr = cairo_create(s);
    sim_rng r;
    sim_rng_key(&r, t->seed, ((uint64_t)e << 32) | (uint64_t)c, (uint64_t)kind, 0x51);
    /* Paper: white for a scan, a slightly gray tone for a phone photo. */
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgba(cr, 0, 0, 0, kind == SIM_IMG_FOTO && !small ? 0.88 : 1.0);
    cairo_paint(cr);
    cairo_scale(cr, L.scale, L.scale);
    /* A hand-held phone is never quite straight: a gray page is drawn
     * turned, a 1-bit one turned after (tilt). */
    double angle = kind == SIM_IMG_FOTO ? tilt_angle(&r, small) : 0;
    double tilt_after = small ? angle : 0;
    if (angle != 0 && !small) {
        cairo_translate(cr, 400, 520);
        cairo_rotate(cr, angle);
        cairo_translate(cr, -400, -520);
    }
    ink(cr);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    char footer[96];
    if (kind == SIM_IMG_FOTO)
        snprintf(footer, sizeof footer, "PREP CASILLA · FOTO DEL CAE %d", ca->cae);
    else
        snprintf(footer, sizeof footer, "CATD %02d · DIGITALIZACIÓN POR ESCÁNER", ca->catd);
    /* 1-bit images need bold strokes to stay legible. */
    sim_draw_style st = {.bold = small, .line_width = small ? 2.6 : 1.5, .footer = footer};
    int rc = sim_draw_acta(cr, t, e, c, &st, &r, err);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (rc == 0 && tilt_after != 0) {
        s = tilt(s, &L, tilt_after, err);
        rc = s ? 0 : -1;
    }
    if (rc == 0)
        rc = write_png(s, small ? 1 : 8, out, err);
    return rc;
}

void sim_render_cleanup(void)
{
    pthread_once(&surfaces_once, surfaces_key_make);
    surfaces_free(pthread_getspecific(surfaces_key));
    pthread_setspecific(surfaces_key, NULL);
    sim_draw_thread_done();
    cairo_debug_reset_static_data();
    FcFini();
}
