/* qr.c — QR decoding of acta images (see qr.h). The image is decoded to
 * 8-bit grayscale and handed to zbar with only the QR symbology enabled.
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

static int png_gray(const unsigned char *data, size_t len, unsigned char **gray, int *w, int *h,
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
    int sw = cairo_image_surface_get_width(s), sh = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    unsigned char *g = px ? malloc((size_t)sw * (size_t)sh) : NULL;
    if (!g || (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24 && f != CAIRO_FORMAT_A8)) {
        free(g);
        cairo_surface_destroy(s);
        return prep_fail(err, g ? PREP_E_INVALID : PREP_E_NOMEM, "cannot read this PNG's pixels");
    }
    for (int y = 0; y < sh; y++) {
        const unsigned char *row = px + (size_t)y * (size_t)stride;
        for (int x = 0; x < sw; x++) {
            unsigned v;
            if (f == CAIRO_FORMAT_A8) {
                v = 255u - row[x];
            } else {
                uint32_t p = ((const uint32_t *)row)[x];
                unsigned a = f == CAIRO_FORMAT_ARGB32 ? p >> 24 : 255u;
                unsigned rr = (p >> 16) & 0xff, gg = (p >> 8) & 0xff, bb = p & 0xff;
                /* premultiplied over a white background */
                v = (299u * rr + 587u * gg + 114u * bb) / 1000u + (255u - a);
                if (v > 255)
                    v = 255;
            }
            g[(size_t)y * (size_t)sw + (size_t)x] = (unsigned char)v;
        }
    }
    cairo_surface_destroy(s);
    *gray = g;
    *w = sw;
    *h = sh;
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

int prep_qr_decode(const void *data, size_t len, char *text, size_t cap, prep_err *err)
{
    unsigned char *gray = NULL;
    int w = 0, h = 0, rc;
    if (cap)
        text[0] = '\0';
    switch (prep_img_sniff(data, len)) {
    case PREP_IMG_PNG:
        rc = png_gray(data, len, &gray, &w, &h, err);
        break;
    case PREP_IMG_JPEG:
        rc = jpeg_gray(data, len, &gray, &w, &h, err);
        break;
    default:
        return prep_fail(err, PREP_E_INVALID, "the image is neither PNG nor JPEG");
    }
    if (rc < 0)
        return -1;
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_t *img = zbar_image_create();
    if (!sc || !img) {
        if (sc)
            zbar_image_scanner_destroy(sc);
        if (img)
            zbar_image_destroy(img);
        free(gray);
        return prep_fail(err, PREP_E_NOMEM, "out of memory scanning for a QR code");
    }
    zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, (unsigned)w, (unsigned)h);
    zbar_image_set_data(img, gray, (unsigned long)w * (unsigned long)h, NULL);
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
    zbar_image_scanner_destroy(sc);
    free(gray);
    return found;
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
