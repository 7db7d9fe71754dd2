/* bench_render.c — the drill's rendering of acta images (src/sim/render.c),
 * as a ratio against the way render.c drew them before, kept here and
 * measured in the same run on the same actas: straight onto an A1 (small)
 * or A8 (full) surface with the phone's tilt in cairo's transform, so that
 * every photo had its own font transform and cairo rasterized its glyphs
 * again; cairo's A1 surfaces have no fast paths (the old PNG encoding is
 * not repeated: the reference is the drawing alone). render.c now draws
 * small pages straight on A8 and turns and thresholds them after, turns
 * gray photos in nine steps (so their glyphs are cached per angle), keeps
 * each thread's surfaces, and writes PNG rows unfiltered. The actas: the
 * `national` catálogo's first election (the most varied tables), seed 1,
 * photos and scans alternating, small and full size. Medians of CPU time
 * (one thread) are reported; timings only here, never in tests.
 * Usage: bench_render [REPS] (default 5; BENCH_REPS overrides). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "catalog/catalog_io.h"
#include "sim/draw.h"
#include "sim/sim.h"
#include "util/buf.h"

#define BENCH_NAME "bench_render"
#include "bench_util.h"

enum { NIMG = 200 };

/* The old drawing path (no encoding). */
static void old_draw(const sim_truth *t, int e, int c, sim_img_kind kind, int small)
{
    int w = small ? 340 : 600, h = small ? 442 : 780;
    double scale = small ? 340.0 / 800 : 600.0 / 800;
    cairo_surface_t *s =
        cairo_image_surface_create(small ? CAIRO_FORMAT_A1 : CAIRO_FORMAT_A8, w, h);
    cairo_t *cr = cairo_create(s);
    sim_rng r;
    sim_rng_key(&r, t->seed, ((uint64_t)e << 32) | (uint64_t)c, (uint64_t)kind, 0x51);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_set_source_rgba(cr, 0, 0, 0, kind == SIM_IMG_FOTO && !small ? 0.88 : 1.0);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    if (kind == SIM_IMG_FOTO) {
        double a = (sim_unit(&r) - 0.5) * 0.02;
        cairo_translate(cr, 400, 520);
        cairo_rotate(cr, a);
        cairo_translate(cr, -400, -520);
    }
    cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
    cairo_set_source_rgba(cr, 0, 0, 0, 1);
    sim_draw_style st = {.bold = small, .line_width = small ? 2.6 : 1.5, .footer = "PREP"};
    prep_err err = {0};
    if (sim_draw_acta(cr, t, e, c, &st, &r, &err) < 0)
        die("old path", err.msg);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cairo_surface_destroy(s);
}

static size_t last_bytes; /* PNG bytes of the last render.c run */

static double run(const sim_truth *t, const int *cs, int small, int old, prep_buf *img)
{
    size_t bytes = 0;
    sim_render_opts o = {.small = small};
    double t0 = cpu_ms();
    for (int i = 0; i < NIMG; i++) {
        sim_img_kind kind = i % 2 ? SIM_IMG_ESCANER : SIM_IMG_FOTO;
        prep_err err = {0};
        if (old)
            old_draw(t, 0, cs[i], kind, small);
        else if (sim_render_acta(t, 0, cs[i], kind, &o, img, &err) < 0)
            die("render", err.msg);
        bytes += img->len;
    }
    if (!old)
        last_bytes = bytes;
    return cpu_ms() - t0;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 5;
    if (reps < 1)
        reps = 1;
    if (reps > 64)
        reps = 64;
    prep_catalog cat;
    prep_err err = {0};
    if (prep_catalog_generate("national", 1, &cat, &err) < 0)
        die("catalog", err.msg);
    sim_faults f;
    sim_truth t;
    if (sim_faults_preset("default", &f) < 0 || sim_truth_build(&cat, 1, &f, &t, &err) < 0)
        die("truth", err.msg);
    int cs[NIMG];
    for (int i = 0; i < NIMG; i++)
        cs[i] = (int)((long)i * cat.ncasillas / NIMG);
    prep_buf img;
    prep_buf_init(&img);
    for (int small = 0; small <= 1; small++) {
        double tn[64], to[64];
        run(&t, cs, small, 0, &img); /* warm the fonts of both paths */
        run(&t, cs, small, 1, &img);
        for (int k = 0; k < reps; k++) {
            if (k % 2) {
                to[k] = run(&t, cs, small, 1, &img);
                tn[k] = run(&t, cs, small, 0, &img);
            } else {
                tn[k] = run(&t, cs, small, 0, &img);
                to[k] = run(&t, cs, small, 1, &img);
            }
        }
        double mn = median(tn, reps) / NIMG, mo = median(to, reps) / NIMG;
        const char *sz = small ? "small" : "full";
        printf("%s images (%d, photos and scans), ms per image: render.c (drawn and PNG-encoded) "
               "%.3f (%.1f KB each), old drawing alone %.3f\n",
               sz, NIMG, mn, last_bytes / 1024.0 / NIMG, mo);
        printf("RATIO %s images: render.c / old drawing = %.3f\n", sz, mn / mo);
    }
    prep_buf_free(&img);
    sim_truth_free(&t);
    prep_catalog_free(&cat);
    sim_render_cleanup();
    return 0;
}
