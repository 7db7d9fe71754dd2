/* render.c — a drill's acta as a PNG image (cairo): a simplified acta de
 * escrutinio y cómputo (title, election, casilla, a table of the columns
 * that apply in its unit with the figures written in, the totals) and its
 * CLAVE_CASILLA as a QR code (libqrencode) for the server's QR check.
 * Ilegible fields are scribbled over, Sin dato ones left blank. A casilla
 * photo and a CATD scan of the same acta differ (tone, tilt, footer), so
 * their SHA-256 differ. Grayscale only; --small-images is 1 bit per pixel.
 * It does not decide what the figures are (truth.c) nor store anything. */
#include <stdio.h>
#include <string.h>

#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <png.h>
#include <qrencode.h>

#include "sim/sim.h"
#include "sim/sim_rng.h"

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

static void text(cairo_t *cr, double x, double y, double size, int bold, const char *s)
{
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
}

/* A handwritten-looking figure, right-aligned at x. */
static void figure(cairo_t *cr, double x, double y, double size, const char *s)
{
    cairo_select_font_face(cr, "DejaVu Sans Mono", CAIRO_FONT_SLANT_OBLIQUE,
                           CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, size);
    cairo_text_extents_t ext;
    cairo_text_extents(cr, s, &ext);
    cairo_move_to(cr, x - ext.x_advance, y);
    cairo_show_text(cr, s);
}

static void scribble(cairo_t *cr, sim_rng *r, double x0, double y0, double w, double h)
{
    cairo_save(cr);
    cairo_set_line_width(cr, h / 9);
    cairo_move_to(cr, x0, y0 + h * sim_unit(r));
    for (int i = 0; i < 5; i++)
        cairo_curve_to(cr, x0 + w * (i + 0.3) / 5, y0 + h * sim_unit(r),
                       x0 + w * (i + 0.6) / 5, y0 + h * sim_unit(r), x0 + w * (i + 1) / 5,
                       y0 + h * sim_unit(r));
    cairo_stroke(cr);
    cairo_restore(cr);
}

static int draw_qr(cairo_t *cr, const char *clave, double x, double y, double module,
                   prep_err *err)
{
    QRcode *q = QRcode_encodeString(clave, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return prep_fail(err, PREP_E_NOMEM, "QR encoding of %s failed", clave);
    for (int j = 0; j < q->width; j++)
        for (int i = 0; i < q->width; i++)
            if (q->data[j * q->width + i] & 1)
                cairo_rectangle(cr, x + i * module, y + j * module, module, module);
    cairo_fill(cr);
    QRcode_free(q);
    return 0;
}

static void field_label(const prep_eleccion *el, int f, char *out, size_t cap)
{
    static const char *const fixed[] = {"BOLETAS SOBRANTES", "PERSONAS QUE VOTARON",
                                        "REPRESENTANTES QUE VOTARON", "VOTOS SACADOS DE LA URNA"};
    int n = el->ncols;
    if (f < PREP_F_COL0)
        snprintf(out, cap, "%s", fixed[f]);
    else if (f < PREP_F_NOREG(n))
        snprintf(out, cap, "%s", el->cols[f - PREP_F_COL0].nombre);
    else if (f == PREP_F_NOREG(n))
        snprintf(out, cap, "CANDIDATURAS NO REGISTRADAS");
    else if (f == PREP_F_NULOS(n))
        snprintf(out, cap, "VOTOS NULOS");
    else
        snprintf(out, cap, "TOTAL DE VOTOS");
}

int sim_render_acta(const sim_truth *t, int e, int c, sim_img_kind kind,
                    const sim_render_opts *o, prep_buf *out, prep_err *err)
{
    const prep_catalog *cat = t->cat;
    const prep_eleccion *el = &cat->elecciones[e];
    const prep_casilla *ca = &cat->casillas[c];
    const prep_val *v = t->el[e].actas[c].vals;
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
    char line[256];
    int b = small; /* 1-bit images need bold strokes to stay legible */
    text(cr, 30, 38, 20, 1, "ACTA DE ESCRUTINIO Y CÓMPUTO DE CASILLA");
    text(cr, 30, 66, 18, 1, el->nombre);
    int u = prep_catalog_unidad_of(cat, e, c);
    int ei = prep_catalog_find_entidad(cat, ca->entidad);
    snprintf(line, sizeof line, "ENTIDAD: %02d %s", ca->entidad,
             ei >= 0 ? cat->entidades[ei].nombre : "");
    text(cr, 30, 94, 15, b, line);
    if (el->unidad != PREP_UNIDAD_ENTIDAD) {
        snprintf(line, sizeof line, "%s: %d %s",
                 el->unidad == PREP_UNIDAD_DISTRITO ? "DISTRITO" : "DEMARCACIÓN",
                 prep_catalog_unidad_id(cat, e, u), prep_catalog_unidad_nombre(cat, e, u));
        text(cr, 30, 116, 15, b, line);
    }
    snprintf(line, sizeof line, "SECCIÓN %04d   CASILLA %c%02d  EXT %02d", ca->seccion, ca->tipo,
             ca->numero, ca->ext);
    text(cr, 30, 144, 17, 1, line);
    snprintf(line, sizeof line, "CLAVE %s   TIPO DE ACTA %s", ca->clave,
             prep_eleccion_tipo_acta(el, ca));
    text(cr, 30, 166, 15, b, line);
    text(cr, 30, 188, 12, b, cat->proceso);
    if (draw_qr(cr, ca->clave, 610, 16, 5.5, err) < 0) {
        cairo_destroy(cr);
        cairo_surface_destroy(s);
        return -1;
    }
    /* The table: fixed fields, the columns that apply, the totals. */
    int n = el->ncols, nf = PREP_NFIELDS(n), rows = 0, list[PREP_MAX_FIELDS];
    for (int f = 0; f < nf; f++)
        if (v[f] != PREP_V_NA)
            list[rows++] = f;
    double top = 202, bottom = 995, rh = (bottom - top) / rows;
    if (rh > 36)
        rh = 36;
    double fs = rh * 0.62;
    cairo_set_line_width(cr, small ? 2.6 : 1.5);
    for (int i = 0; i < rows; i++) {
        int f = list[i];
        double y = top + i * rh;
        cairo_rectangle(cr, 30, y, 740, rh);
        cairo_move_to(cr, 560, y);
        cairo_line_to(cr, 560, y + rh);
        cairo_stroke(cr);
        field_label(el, f, line, sizeof line);
        text(cr, 40, y + rh * 0.72, fs * 0.85, b || f < PREP_F_COL0 || f > PREP_F_NULOS(n), line);
        if (v[f] >= 0) {
            char num[16];
            snprintf(num, sizeof num, "%d", v[f]);
            figure(cr, 750, y + rh * 0.78, fs * 1.15, num);
        } else if (v[f] == PREP_V_ILEGIBLE) {
            scribble(cr, &r, 590, y + rh * 0.15, 160, rh * 0.7);
        } /* Sin dato: nothing written */
    }
    if (kind == SIM_IMG_FOTO)
        snprintf(line, sizeof line, "PREP CASILLA · FOTO DEL CAE %d", ca->cae);
    else
        snprintf(line, sizeof line, "CATD %02d · DIGITALIZACIÓN POR ESCÁNER", ca->catd);
    text(cr, 30, 1024, 13, b, line);
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
    cairo_debug_reset_static_data();
    FcFini();
}
