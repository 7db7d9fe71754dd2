/* bench_qr.c — the server's QR check of uploaded acta images (qr.c), as a
 * ratio against the whole-image scan it replaced, measured in the same run
 * on the same bytes. The images: drill renderings (src/sim/render.c) of the
 * `small` catálogo, seed 1, photos and scans, full and small size, whose QR
 * the whole-image scan reads. Timed, rotating the order each repetition:
 *   passes   prep_qr_decode(): libpng to gray, top-right corner first, whole
 *            image last;
 *   full     prep_qr_decode_how(full_only = 1): libpng to gray, one zbar scan
 *            of the whole image (what the corner pass saves);
 *   old      reference: the code qr.c had before (kept here): cairo's PNG
 *            reader to an ARGB32 surface, gray from it, one zbar scan of the
 *            whole image.
 * All must read every QR. Medians of CPU time (one thread) are reported;
 * timings only here, never in tests. Usage: bench_qr [REPS] (default 5; BENCH_REPS overrides). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <zbar.h>

#include "catalog/catalog_io.h"
#include "images/qr.h"
#include "sim/sim.h"
#include "util/buf.h"

#define BENCH_NAME "bench_qr"
#include "bench_util.h"

enum { NIMG = 60 };

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

/* The old path of qr.c (PNG only): 1 found, 0 not. */
static int old_decode(const prep_buf *b)
{
    mem_reader r = {(const unsigned char *)b->data, b->len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_read, &r);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        die("old path", "cairo cannot read the PNG");
    cairo_surface_flush(s);
    cairo_format_t f = cairo_image_surface_get_format(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    unsigned char *g = malloc((size_t)w * (size_t)h);
    if (!g)
        die("old path", "out of memory");
    for (int y = 0; y < h; y++) {
        const unsigned char *row = px + (size_t)y * (size_t)stride;
        for (int x = 0; x < w; x++) {
            unsigned v;
            if (f == CAIRO_FORMAT_A8) {
                v = 255u - row[x];
            } else {
                uint32_t p = ((const uint32_t *)row)[x];
                unsigned a = f == CAIRO_FORMAT_ARGB32 ? p >> 24 : 255u;
                unsigned rr = (p >> 16) & 0xff, gg = (p >> 8) & 0xff, bb = p & 0xff;
                v = (299u * rr + 587u * gg + 114u * bb) / 1000u + (255u - a);
                if (v > 255)
                    v = 255;
            }
            g[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)v;
        }
    }
    cairo_surface_destroy(s);
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_t *img = zbar_image_create();
    zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, (unsigned)w, (unsigned)h);
    zbar_image_set_data(img, g, (unsigned long)w * (unsigned long)h, NULL);
    int found = zbar_scan_image(sc, img) > 0;
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(sc);
    free(g);
    return found;
}

enum { M_PASSES, M_FULL, M_OLD, M__N };
static const char *const mname[M__N] = {"passes", "full", "old"};

static double run(prep_buf *img, int n, int m)
{
    double t0 = cpu_ms();
    for (int i = 0; i < n; i++) {
        char text[256];
        prep_err err = {0};
        int found = m == M_OLD ? old_decode(&img[i])
                               : prep_qr_decode_how(img[i].data, img[i].len, text, sizeof text,
                                                    m == M_FULL, NULL, &err);
        if (found != 1)
            die(mname[m], "no QR found");
    }
    return cpu_ms() - t0;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 5;
    if (reps < 1)
        reps = 1;
    prep_catalog cat;
    prep_err err = {0};
    if (prep_catalog_generate("small", 1, &cat, &err) < 0)
        die("catalog", err.msg);
    sim_faults f;
    sim_truth t;
    if (sim_faults_preset("default", &f) < 0 || sim_truth_build(&cat, 1, &f, &t, &err) < 0)
        die("truth", err.msg);
    for (int small = 0; small <= 1; small++) {
        prep_buf img[NIMG];
        sim_render_opts o = {.small = small};
        size_t bytes = 0;
        for (int i = 0; i < NIMG; i++) {
            prep_buf_init(&img[i]);
            /* a few tilted 1-bit photos have a QR no scan reads (also in the
             * drill, where the server then stores them unchecked): the next
             * casilla is taken instead */
            for (int c = (int)((long)i * cat.ncasillas / NIMG);; c = (c + 1) % cat.ncasillas) {
                char text[256];
                if (sim_render_acta(&t, i % cat.nelecciones, c,
                                    i % 2 ? SIM_IMG_ESCANER : SIM_IMG_FOTO, &o, &img[i], &err) < 0)
                    die("render", err.msg);
                if (prep_qr_decode_how(img[i].data, img[i].len, text, sizeof text, 1, NULL, &err) == 1)
                    break;
            }
            bytes += img[i].len;
        }
        double tm[M__N][64], md[M__N];
        int r = reps > 64 ? 64 : reps;
        for (int k = 0; k < r; k++)
            for (int j = 0; j < M__N; j++) {
                int m = (j + k) % M__N;
                tm[m][k] = run(img, NIMG, m);
            }
        for (int m = 0; m < M__N; m++)
            md[m] = median(tm[m], r) / NIMG;
        const char *sz = small ? "small" : "full";
        printf("%s images (%d, %.1f KB each), ms per image: passes %.2f, full %.2f, old %.2f\n", sz,
               NIMG, bytes / 1024.0 / NIMG, md[M_PASSES], md[M_FULL], md[M_OLD]);
        printf("RATIO %s images: passes / old = %.3f\n", sz, md[M_PASSES] / md[M_OLD]);
        printf("RATIO %s images: full (libpng, whole image) / old = %.3f\n", sz,
               md[M_FULL] / md[M_OLD]);
        for (int i = 0; i < NIMG; i++)
            prep_buf_free(&img[i]);
    }
    sim_truth_free(&t);
    prep_catalog_free(&cat);
    sim_render_cleanup();
    return 0;
}
