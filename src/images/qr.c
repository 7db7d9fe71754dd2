/* qr.c — QR decoding of acta images (see qr.h). The image is decoded to
 * 8-bit grayscale and handed to zbar (only the QR symbology enabled),
 * region by region: the corner where actas carry it first, the whole image
 * last (scan_passes).
 * libjpeg's default error handler exits the process, so it is replaced by
 * one that jumps back here; image sizes are checked before decoding. */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>
#include <zbar.h>

#include "images/imgstore.h"
#include "images/qr.h"

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* PNG to 8-bit gray through libpng's simplified API, which converts any
 * bit depth and colour type itself and composes transparency over white:
 * about half the work of cairo's reader (ARGB32 surface, then gray). */
static int png_gray(const unsigned char *data, size_t len, unsigned char **gray, int *w, int *h,
                    prep_err *err)
{
    /* IHDR is the first chunk: signature(8) length(4) "IHDR"(4) width(4) height(4). */
    if (len < 24 || memcmp(data + 12, "IHDR", 4) != 0)
        return prep_fail(err, PREP_E_INVALID, "not a valid PNG image");
    uint32_t pw = be32(data + 16), ph = be32(data + 20);
    if (pw == 0 || ph == 0 || (uint64_t)pw * ph > PREP_QR_MAX_PIXELS)
        return prep_fail(err, PREP_E_TOO_LARGE, "PNG of %ux%u pixels is too large", pw, ph);
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&im, data, len)) {
        png_image_free(&im);
        return prep_fail(err, PREP_E_INVALID, "not a decodable PNG image");
    }
    if (im.width != pw || im.height != ph) { /* cannot happen: the same IHDR */
        png_image_free(&im);
        return prep_fail(err, PREP_E_INVALID, "not a valid PNG image");
    }
    im.format = PNG_FORMAT_GRAY;
    unsigned char *g = malloc((size_t)pw * (size_t)ph);
    if (!g) {
        png_image_free(&im);
        return prep_fail(err, PREP_E_NOMEM, "out of memory decoding PNG");
    }
    static const png_color white = {255, 255, 255};
    if (!png_image_finish_read(&im, &white, g, (png_int_32)pw, NULL)) {
        png_image_free(&im);
        free(g);
        return prep_fail(err, PREP_E_INVALID, "not a decodable PNG image");
    }
    *gray = g;
    *w = (int)pw;
    *h = (int)ph;
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
    unsigned char *gray; /* w*h bytes */
    int w, h;
} qr_src;

/* Copy of the region (x0, y0, cw, ch); NULL when out of memory. */
static unsigned char *src_region(const qr_src *q, int x0, int y0, int cw, int ch)
{
    unsigned char *g = malloc((size_t)cw * (size_t)ch);
    if (!g)
        return NULL;
    for (int y = 0; y < ch; y++)
        memcpy(g + (size_t)y * (size_t)cw, q->gray + (size_t)(y0 + y) * (size_t)q->w + (size_t)x0,
               (size_t)cw);
    return g;
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
        unsigned char *g = reduce(q->gray, q->w, q->h, f, &rw, &rh);
        found = g ? zscan(sc, g, rw, rh, text, cap) : -1;
        free(g);
        if (found)
            *pass = PASS_REDUCED;
    }
    if (!found) {
        found = zscan(sc, q->gray, q->w, q->h, text, cap);
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
        rc = png_gray(data, len, &q.gray, &q.w, &q.h, err);
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
