/* render.c — a drill's acta as a PNG image: the acta drawn by draw.c (with
 * its CLAVE_CASILLA as a QR code for the server's QR check) onto a cairo
 * image surface, encoded with libpng. A casilla photo and a CATD scan of
 * the same acta differ (tone, tilt, footer), so their SHA-256 differ.
 * Grayscale only; --small-images is 1 bit per pixel. It does not decide
 * what the figures are (truth.c) nor store anything. */
#include <stdio.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <png.h>

#include "sim/draw.h"

typedef struct {
    int w, h;
    double scale;          /* drawing units are 800 x 1040 */
    cairo_format_t fmt;
} layout;

static void png_out(png_structp p, png_bytep data, size_t len)
{
    prep_buf_append(png_get_io_ptr(p), data, len);
}

static void png_flush_noop(png_structp p)
{
    (void)p;
}

/* Encode the A8 / A1 surface as grayscale PNG with libpng at zlib's fastest
 * level (cairo's own writer tries every filter at the default level, which
 * made PNG encoding 70 % of a drill's rendering time). Alpha is the gray
 * level: opaque = white. */
static int write_png(cairo_surface_t *s, prep_buf *out, prep_err *err)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    int a1 = cairo_image_surface_get_format(s) == CAIRO_FORMAT_A1;
    unsigned char *px = cairo_image_surface_get_data(s);
    png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = p ? png_create_info_struct(p) : NULL;
    if (!info) {
        png_destroy_write_struct(&p, NULL);
        return prep_fail(err, PREP_E_NOMEM, "out of memory (PNG)");
    }
    if (setjmp(png_jmpbuf(p))) {
        png_destroy_write_struct(&p, &info);
        return prep_fail(err, PREP_E_IO, "PNG encoding failed");
    }
    png_set_write_fn(p, out, png_out, png_flush_noop);
    png_set_compression_level(p, 1);
    png_set_filter(p, 0, a1 ? PNG_FILTER_NONE : PNG_FILTER_SUB);
    png_set_IHDR(p, info, (png_uint_32)w, (png_uint_32)h, a1 ? 1 : 8, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(p, info);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (a1)
        png_set_packswap(p); /* pixman A1 words: first pixel in the low bit */
#endif
    for (int y = 0; y < h; y++)
        png_write_row(p, px + (size_t)y * (size_t)stride);
    png_write_end(p, info);
    png_destroy_write_struct(&p, &info);
    if (!prep_buf_ok(out))
        return prep_fail(err, PREP_E_NOMEM, "out of memory (PNG)");
    return 0;
}

/* Ink is drawn by clearing the opaque (white) A8/A1 surface: cairo writes
 * those formats as grayscale PNG with alpha as the gray level. */
static void ink(cairo_t *cr)
{
    cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
}

int sim_render_acta(const sim_truth *t, int e, int c, sim_img_kind kind,
                    const sim_render_opts *o, prep_buf *out, prep_err *err)
{
    const prep_casilla *ca = &t->cat->casillas[c];
    int small = o && o->small;
    layout L = {.w = small ? 340 : 600, .h = small ? 442 : 780,
                .scale = small ? 340.0 / 800 : 600.0 / 800,
                .fmt = small ? CAIRO_FORMAT_A1 : CAIRO_FORMAT_A8};
    prep_buf_reset(out);
    cairo_surface_t *s = cairo_image_surface_create(L.fmt, L.w, L.h);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return prep_fail(err, PREP_E_NOMEM, "cannot create a %dx%d image", L.w, L.h);
    }
    cairo_t *cr = cairo_create(s);
    sim_rng r;
    sim_rng_key(&r, t->seed, ((uint64_t)e << 32) | (uint64_t)c, (uint64_t)kind, 0x51);
    /* Paper: white for a scan, a slightly gray tone for a phone photo. */
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgba(cr, 0, 0, 0, kind == SIM_IMG_FOTO && !small ? 0.88 : 1.0);
    cairo_paint(cr);
    cairo_scale(cr, L.scale, L.scale);
    if (kind == SIM_IMG_FOTO) { /* a hand-held phone is never quite straight */
        double a = (sim_unit(&r) - 0.5) * 0.02;
        cairo_translate(cr, 400, 520);
        cairo_rotate(cr, a);
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
    if (sim_draw_acta(cr, t, e, c, &st, &r, err) < 0) {
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        return -1;
    }
    cairo_destroy(cr);
    cairo_surface_flush(s);
    int rc = write_png(s, out, err);
    cairo_surface_destroy(s);
    if (rc < 0)
        return -1;
    return 0;
}

void sim_render_cleanup(void)
{
    sim_draw_thread_done();
    cairo_debug_reset_static_data();
    FcFini();
}
