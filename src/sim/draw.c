/* draw.c — an acta of the drill drawn onto a cairo context, whatever the
 * surface: a simplified acta de escrutinio y cómputo (title, election,
 * casilla, a table of the columns that apply in its unit with the figures
 * written in, the totals) and its CLAVE_CASILLA as a QR code (libqrencode).
 * Ilegible fields are scribbled over, Sin dato ones left blank. render.c
 * makes the drill's PNGs with it, print.c the PDFs of a paper drill. It
 * does not decide what the figures are (truth.c) nor write anything. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include <cairo-ft.h>
#include <fontconfig/fontconfig.h>
#include <qrencode.h>

#include "sim/draw.h"

/* ---- Fonts, one set per thread ---------------------------------------------
 * cairo 1.16 (Debian 12) can abort when threads share a scaled font
 * ("cairo_scaled_font_destroy: Assertion `! scaled_font->cache_frozen'
 * failed": it killed a cdmx drill, whose operators render on many threads).
 * The toy API (cairo_select_font_face) shares one scaled font per family
 * and size between all threads; a font face made for a fontconfig pattern
 * is the calling thread's own, and so are the scaled fonts made from it. */
enum { F_SANS, F_SANS_BOLD, F_MONO, F_N };
static const char *const font_names[F_N] = {"DejaVu Sans", "DejaVu Sans:bold",
                                            "DejaVu Sans Mono:bold:oblique"};
static pthread_key_t faces_key;
static pthread_once_t faces_once = PTHREAD_ONCE_INIT;

static void faces_free(void *p)
{
    cairo_font_face_t **f = p;
    for (int i = 0; f && i < F_N; i++)
        if (f[i])
            cairo_font_face_destroy(f[i]);
    free(f);
}

static void faces_key_make(void)
{
    pthread_key_create(&faces_key, faces_free);
}

void sim_draw_thread_done(void)
{
    pthread_once(&faces_once, faces_key_make);
    faces_free(pthread_getspecific(faces_key));
    pthread_setspecific(faces_key, NULL);
}

/* This thread's face `which`; NULL when it cannot be made (the caller then
 * falls back to the toy API). */
static cairo_font_face_t *face(int which)
{
    pthread_once(&faces_once, faces_key_make);
    cairo_font_face_t **f = pthread_getspecific(faces_key);
    if (!f) {
        if (!(f = calloc(F_N, sizeof *f)) || pthread_setspecific(faces_key, f) != 0) {
            free(f);
            return NULL;
        }
    }
    if (!f[which]) {
        FcPattern *pat = FcNameParse((const FcChar8 *)font_names[which]);
        if (!pat)
            return NULL;
        f[which] = cairo_ft_font_face_create_for_pattern(pat);
        FcPatternDestroy(pat);
        if (cairo_font_face_status(f[which]) != CAIRO_STATUS_SUCCESS) {
            cairo_font_face_destroy(f[which]);
            f[which] = NULL;
        }
    }
    return f[which];
}

static void use_font(cairo_t *cr, int which)
{
    cairo_font_face_t *ff = face(which);
    if (ff)
        cairo_set_font_face(cr, ff);
    else
        cairo_select_font_face(cr, which == F_MONO ? "DejaVu Sans Mono" : "DejaVu Sans",
                               which == F_MONO ? CAIRO_FONT_SLANT_OBLIQUE : CAIRO_FONT_SLANT_NORMAL,
                               which == F_SANS ? CAIRO_FONT_WEIGHT_NORMAL : CAIRO_FONT_WEIGHT_BOLD);
}

/* Font sizes go in steps of half a drawing unit (a fifth of a pixel in a
 * small image): every size is a font of its own to cairo, with its own
 * rasterized glyphs, and the table's row height (hence its text size)
 * follows the number of columns of each unit. */
static void set_size(cairo_t *cr, double size)
{
    cairo_set_font_size(cr, round(size * 2) / 2);
}

static void text(cairo_t *cr, double x, double y, double size, int bold, const char *s)
{
    use_font(cr, bold ? F_SANS_BOLD : F_SANS);
    set_size(cr, size);
    cairo_move_to(cr, x, y);
    cairo_show_text(cr, s);
}

/* A handwritten-looking figure, right-aligned at x. */
static void figure(cairo_t *cr, double x, double y, double size, const char *s)
{
    use_font(cr, F_MONO);
    set_size(cr, size);
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

int sim_draw_acta(cairo_t *cr, const sim_truth *t, int e, int c, const sim_draw_style *st,
                  sim_rng *r, prep_err *err)
{
    const prep_catalog *cat = t->cat;
    const prep_eleccion *el = &cat->elecciones[e];
    const prep_casilla *ca = &cat->casillas[c];
    const prep_val *v = t->el[e].actas[c].vals;
    char line[256];
    int b = st->bold;
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
    /* Modules of 7 units: 3 pixels in a small image, which a tilted 1-bit
     * photo still shows as a QR. */
    if (draw_qr(cr, ca->clave, 605, 20, 7, err) < 0)
        return -1;
    /* The table: fixed fields, the columns that apply, the totals. */
    int n = el->ncols, nf = PREP_NFIELDS(n), rows = 0, list[PREP_MAX_FIELDS];
    for (int f = 0; f < nf; f++)
        if (v[f] != PREP_V_NA)
            list[rows++] = f;
    if (rows == 0)
        return prep_fail(err, PREP_E_INVALID, "acta %s has no field to draw", ca->clave);
    double top = 202, bottom = 995, rh = (bottom - top) / rows;
    if (rh > 36)
        rh = 36;
    double fs = rh * 0.62;
    cairo_set_line_width(cr, st->line_width);
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
            scribble(cr, r, 590, y + rh * 0.15, 160, rh * 0.7);
        } /* Sin dato: nothing written */
    }
    if (st->footer)
        text(cr, 30, 1024, 13, b, st->footer);
    return 0;
}
