/* qr.c — QR decoding of acta images (see qr.h). The image is decoded,
 * turned into 8-bit grayscale and handed to zbar (only the QR symbology
 * enabled), region by region: the corner where actas carry it first, the
 * whole image last (scan_passes).
 * libjpeg's default error handler exits the process, so it is replaced by
 * one that jumps back here; image sizes are checked before decoding. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <jpeglib.h>
#include <zbar.h>

#include "images/imgstore.h"
#include "images/qr.h"

typedef struct {
    const unsigned char *p;
    size_t len, off;
} mem_reader;

static cairo_status_t png_read(void *closure, unsigned char *data, unsigned int length)
{
    mem_reader *r = closure;
    if (r->len - r->off < length)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p + r->off, length);
    r->off += length;
    return CAIRO_STATUS_SUCCESS;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Gray (over a white background) of the region (x0, y0, cw, ch) of a
 * cairo image surface of a supported format (checked by png_open). */
static void surface_gray(cairo_surface_t *s, int x0, int y0, int cw, int ch, unsigned char *out)
{
    cairo_format_t f = cairo_image_surface_get_format(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    for (int y = 0; y < ch; y++) {
        const unsigned char *row = px + (size_t)(y0 + y) * (size_t)stride;
        unsigned char *o = out + (size_t)y * (size_t)cw;
        if (f == CAIRO_FORMAT_A8) {
            for (int x = 0; x < cw; x++)
                o[x] = (unsigned char)(255u - row[x0 + x]);
            continue;
        }
        const uint32_t *p32 = (const uint32_t *)row + x0;
        unsigned opaque = f == CAIRO_FORMAT_ARGB32 ? 0u : 255u;
        for (int x = 0; x < cw; x++) {
            uint32_t p = p32[x];
            unsigned a = (p >> 24) | opaque;
            unsigned rr = (p >> 16) & 0xff, gg = (p >> 8) & 0xff, bb = p & 0xff;
            /* luma (weights 77/150/29 of 256: r = g = b stays itself),
             * premultiplied over a white background */
            unsigned v = ((77u * rr + 150u * gg + 29u * bb + 128u) >> 8) + (255u - (a & 0xff));
            o[x] = (unsigned char)(v > 255 ? 255 : v);
        }
    }
}

/* Decode a PNG into a cairo image surface in a format surface_gray reads. */
static int png_open(const unsigned char *data, size_t len, cairo_surface_t **out, int *w, int *h,
                    prep_err *err)
{
    /* IHDR is the first chunk: signature(8) length(4) "IHDR"(4) width(4) height(4). */
    if (len < 24 || memcmp(data + 12, "IHDR", 4) != 0)
        return prep_fail(err, PREP_E_INVALID, "not a valid PNG image");
    uint32_t pw = be32(data + 16), ph = be32(data + 20);
    if (pw == 0 || ph == 0 || (uint64_t)pw * ph > PREP_QR_MAX_PIXELS)
        return prep_fail(err, PREP_E_TOO_LARGE, "PNG of %ux%u pixels is too large", pw, ph);
    mem_reader r = {data, len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &r);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return prep_fail(err, PREP_E_INVALID, "not a decodable PNG image");
    }
    cairo_surface_flush(s);
    cairo_format_t f = cairo_image_surface_get_format(s);
    if (!cairo_image_surface_get_data(s) ||
        (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24 && f != CAIRO_FORMAT_A8)) {
        cairo_surface_destroy(s);
        return prep_fail(err, PREP_E_INVALID, "cannot read this PNG's pixels");
    }
    *out = s;
    *w = cairo_image_surface_get_width(s);
    *h = cairo_image_surface_get_height(s);
    return 0;
}

typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jb;
} jpeg_err;

static void jpeg_error_exit(j_common_ptr cinfo)
{
    jpeg_err *e = (jpeg_err *)cinfo->err;
    longjmp(e->jb, 1);
}

static void jpeg_quiet(j_common_ptr cinfo, int level)
{
    (void)cinfo;
    (void)level;
}

/* A progressive JPEG can hold hundreds of scans, each a pass over the whole
 * image: a few kilobytes that cost minutes (libjpeg-turbo's advice is to cap
 * them, as djpeg -maxscan and TJFLAG_LIMITSCANS do). Cameras and scanners
 * write at most about a dozen. */
#define JPEG_MAX_SCANS 100

static void jpeg_scan_limit(j_common_ptr cinfo)
{
    j_decompress_ptr d = (j_decompress_ptr)cinfo;
    if (d->is_decompressor && d->input_scan_number > JPEG_MAX_SCANS)
        longjmp(((jpeg_err *)cinfo->err)->jb, 2);
}

static int jpeg_gray(const unsigned char *data, size_t len, unsigned char **gray, int *w, int *h,
                     prep_err *err)
{
    struct jpeg_decompress_struct ci;
    struct jpeg_progress_mgr progress = {.progress_monitor = jpeg_scan_limit};
    jpeg_err je;
    unsigned char *volatile g = NULL;
    ci.err = jpeg_std_error(&je.pub);
    je.pub.error_exit = jpeg_error_exit;
    je.pub.emit_message = jpeg_quiet;
    int jumped = setjmp(je.jb);
    if (jumped) {
        jpeg_destroy_decompress(&ci);
        free(g);
        if (jumped == 2)
            return prep_fail(err, PREP_E_INVALID, "JPEG with over %d progressive scans refused",
                             JPEG_MAX_SCANS);
        return prep_fail(err, PREP_E_INVALID, "not a decodable JPEG image");
    }
    jpeg_create_decompress(&ci);
    ci.progress = &progress;
    jpeg_mem_src(&ci, data, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    if ((uint64_t)ci.image_width * ci.image_height > PREP_QR_MAX_PIXELS) {
        unsigned iw = ci.image_width, ih = ci.image_height;
        jpeg_destroy_decompress(&ci);
        return prep_fail(err, PREP_E_TOO_LARGE, "JPEG of %ux%u pixels is too large", iw, ih);
    }
    ci.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&ci);
    size_t rw = ci.output_width, rh = ci.output_height;
    g = malloc(rw * rh);
    if (!g) {
        jpeg_destroy_decompress(&ci);
        return prep_fail(err, PREP_E_NOMEM, "out of memory decoding JPEG");
    }
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW row = g + (size_t)ci.output_scanline * rw;
        jpeg_read_scanlines(&ci, &row, 1);
    }
    jpeg_finish_decompress(&ci);
    jpeg_destroy_decompress(&ci);
    *gray = g;
    *w = (int)rw;
    *h = (int)rh;
    return 0;
}

/* Where the QR is looked for, in order; the first pass that finds one wins.
 * The official acta formats print the QR in the top-right corner, so that
 * region (a right half of the top quarter, 1/8 of the pixels) is scanned
 * first; a large photo is then scanned box-filtered down (its QR modules are
 * many pixels wide, so the copy loses nothing zbar needs); last comes the
 * whole image at full resolution, the scan every image used to get, so
 * anything the whole-image scan reads is still read (only later). */
enum { PASS_CORNER = 1, PASS_REDUCED = 2, PASS_FULL = 3 };

#define CORNER_MIN_SIDE 64   /* smaller images: no corner pass */
#define REDUCE_MIN_SIDE 1200 /* smaller sides: no reduced pass */
#define REDUCE_TARGET 600    /* the reduced copy keeps at least this side */

typedef struct {
    cairo_surface_t *s;  /* PNG: decoded pixels, converted to gray on demand */
    unsigned char *gray; /* JPEG, or PNG once fully converted: w*h bytes */
    int w, h;
} qr_src;

/* Gray copy of the region (x0, y0, cw, ch) of the source; NULL when out of memory. */
static unsigned char *src_region(const qr_src *q, int x0, int y0, int cw, int ch)
{
    unsigned char *g = malloc((size_t)cw * (size_t)ch);
    if (!g)
        return NULL;
    if (q->gray) {
        for (int y = 0; y < ch; y++)
            memcpy(g + (size_t)y * (size_t)cw, q->gray + (size_t)(y0 + y) * (size_t)q->w + (size_t)x0,
                   (size_t)cw);
        return g;
    }
    surface_gray(q->s, x0, y0, cw, ch, g);
    return g;
}

/* The whole image in gray (converted once, kept in q->gray). */
static const unsigned char *src_full(qr_src *q)
{
    if (!q->gray)
        q->gray = src_region(q, 0, 0, q->w, q->h);
    return q->gray;
}

/* Box-filtered copy f times smaller on each side (f a power of two). */
static unsigned char *reduce(const unsigned char *g, int w, int h, int f, int *rw, int *rh)
{
    int ow = w / f, oh = h / f;
    unsigned char *o = malloc((size_t)ow * (size_t)oh);
    unsigned *acc = calloc((size_t)ow, sizeof *acc);
    if (!o || !acc) {
        free(o);
        free(acc);
        return NULL;
    }
    unsigned n = (unsigned)f * (unsigned)f;
    for (int y = 0; y < oh; y++) {
        memset(acc, 0, (size_t)ow * sizeof *acc);
        for (int dy = 0; dy < f; dy++) {
            const unsigned char *row = g + (size_t)(y * f + dy) * (size_t)w;
            for (int x = 0; x < ow; x++)
                for (int dx = 0; dx < f; dx++)
                    acc[x] += row[x * f + dx];
        }
        for (int x = 0; x < ow; x++)
            o[(size_t)y * (size_t)ow + (size_t)x] = (unsigned char)((acc[x] + n / 2) / n);
    }
    free(acc);
    *rw = ow;
    *rh = oh;
    return o;
}

/* One zbar pass over a gray buffer: 1 found (text copied), 0 none, -1 out of memory. */
static int zscan(zbar_image_scanner_t *sc, const unsigned char *g, int w, int h, char *text,
                 size_t cap)
{
    zbar_image_t *img = zbar_image_create();
    if (!img)
        return -1;
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, (unsigned)w, (unsigned)h);
    zbar_image_set_data(img, g, (unsigned long)w * (unsigned long)h, NULL);
    int found = 0;
    if (zbar_scan_image(sc, img) > 0) {
        for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s; s = zbar_symbol_next(s)) {
            if (zbar_symbol_get_type(s) != ZBAR_QRCODE)
                continue;
            const char *d = zbar_symbol_get_data(s);
            if (cap)
                snprintf(text, cap, "%s", d ? d : "");
            found = 1;
            break;
        }
    }
    zbar_image_destroy(img);
    return found;
}

/* The passes in order (only PASS_FULL when full_only); sets *pass to the one that found it. */
static int scan_passes(qr_src *q, int full_only, char *text, size_t cap, int *pass)
{
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    if (!sc)
        return -1;
    zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    int found = 0, side = q->w < q->h ? q->w : q->h;
    if (!full_only && side >= CORNER_MIN_SIDE) {
        int x0 = q->w / 2, cw = q->w - x0, ch = q->h / 4;
        unsigned char *g = src_region(q, x0, 0, cw, ch);
        found = g ? zscan(sc, g, cw, ch, text, cap) : -1;
        free(g);
        if (found)
            *pass = PASS_CORNER;
    }
    if (!found && !full_only && side >= REDUCE_MIN_SIDE) {
        int f = 2, rw = 0, rh = 0;
        while (side / (f * 2) >= REDUCE_TARGET)
            f *= 2;
        const unsigned char *full = src_full(q);
        unsigned char *g = full ? reduce(full, q->w, q->h, f, &rw, &rh) : NULL;
        found = g ? zscan(sc, g, rw, rh, text, cap) : -1;
        free(g);
        if (found)
            *pass = PASS_REDUCED;
    }
    if (!found) {
        const unsigned char *full = src_full(q);
        found = full ? zscan(sc, full, q->w, q->h, text, cap) : -1;
        if (found)
            *pass = PASS_FULL;
    }
    zbar_image_scanner_destroy(sc);
    return found;
}

int prep_qr_decode_how(const void *data, size_t len, char *text, size_t cap, int full_only,
                       int *pass, prep_err *err)
{
    qr_src q = {0};
    int rc, dummy = 0;
    if (!pass)
        pass = &dummy;
    *pass = 0;
    if (cap)
        text[0] = '\0';
    switch (prep_img_sniff(data, len)) {
    case PREP_IMG_PNG:
        rc = png_open(data, len, &q.s, &q.w, &q.h, err);
        break;
    case PREP_IMG_JPEG:
        rc = jpeg_gray(data, len, &q.gray, &q.w, &q.h, err);
        break;
    default:
        return prep_fail(err, PREP_E_INVALID, "the image is neither PNG nor JPEG");
    }
    if (rc < 0)
        return -1;
    int found = scan_passes(&q, full_only, text, cap, pass);
    if (q.s)
        cairo_surface_destroy(q.s);
    free(q.gray);
    if (found < 0) {
        if (cap)
            text[0] = '\0';
        return prep_fail(err, PREP_E_NOMEM, "out of memory scanning for a QR code");
    }
    return found;
}

int prep_qr_decode(const void *data, size_t len, char *text, size_t cap, prep_err *err)
{
    return prep_qr_decode_how(data, len, text, cap, 0, NULL, err);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int prep_qr_clave(const char *text, char out[12])
{
    size_t n = text ? strlen(text) : 0;
    for (size_t i = 0; i + 11 <= n; i++) {
        const char *p = text + i;
        if (i > 0 && is_alnum(p[-1]))
            continue;
        if (i + 11 < n && is_alnum(p[11]))
            continue;
        int ok = 1;
        for (int k = 0; k < 11 && ok; k++) {
            if (k == 6)
                ok = p[k] == 'B' || p[k] == 'C' || p[k] == 'E' || p[k] == 'S';
            else
                ok = is_digit(p[k]);
        }
        if (ok) {
            memcpy(out, p, 11);
            out[11] = '\0';
            return 0;
        }
    }
    return -1;
}
