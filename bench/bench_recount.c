/* bench_recount.c — `prep audit`'s recount of a national-size results CSV,
 * as ratios against references measured in the same run on the same bytes.
 *
 * The file: the `national` catálogo (seed 1), every casilla registered
 * (tests/unit/test_site_snap.h, the site tests' in-memory snapshot) and the
 * first election's results CSV written by our corte writer (csv_out.c).
 * Timed, alternating order each repetition:
 *   recount    prep_recount_buffer() (decode, libcsv, rules, summary, checks);
 *   tokenize   reference: libcsv alone over the same bytes, empty callbacks
 *              (the least any CSV reader must do);
 *   verify     prep_csv_check(): our strict re-reader, with the catálogo.
 * Medians are reported. Timings only here, never in tests.
 * Usage: bench_recount [REPS] (default 5; BENCH_REPS overrides). */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/unit/test_site_snap.h"
#include "catalog/catalog_io.h"
#include "publish/csv_check.h"
#include "publish/csv_out.h"
#include "publish/tallies.h"
#include "recount/recount.h"

#define BENCH_NAME "bench_recount"
#include "bench_util.h"

static long fields, records;
static void cb_field(void *s, size_t len, void *p)
{
    (void)s, (void)len, (void)p;
    fields++;
}
static void cb_record(int c, void *p)
{
    (void)c, (void)p;
    records++;
}

static double tokenize(const char *text, size_t len)
{
    struct csv_parser p;
    if (csv_init(&p, 0) != 0)
        die("csv_init", "out of memory");
    double t0 = now_ms();
    csv_parse(&p, text, len, cb_field, cb_record, NULL);
    csv_fini(&p, cb_field, cb_record, NULL);
    double t = now_ms() - t0;
    csv_free(&p);
    return t;
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 5;
    const char *env = getenv("BENCH_REPS");
    if (env)
        reps = atoi(env);
    if (reps < 1 || reps > 99)
        reps = 5;
    prep_err err = {0};
    prep_catalog cat;
    if (prep_catalog_generate("national", 1, &cat, &err) < 0)
        die("catalog", err.msg);
    prep_snapshot snap;
    prep_time at = (prep_time)1717380000000;
    if (ts_snapshot(&cat, 1, 1, at, &snap) < 0)
        die("snapshot", "out of memory");
    prep_pub_tally t;
    if (prep_pub_tally_build(&snap, 0, &t, &err) < 0)
        die("tally", err.msg);
    prep_buf b;
    prep_buf_init(&b);
    if (prep_csv_resultados(&snap, &t, &b, NULL, &err) < 0)
        die("csv", err.msg);
    printf("bench_recount: %s results CSV, %d actas, %.1f MB\n", cat.elecciones[0].codigo,
           snap.el[0].n, b.len / 1e6);

    prep_recount_opts o = {.final = 0, .max_boletas_especial = -1};
    double rc[99], tk[99], vf[99], ratio[99];
    for (int i = 0; i < reps; i++) {
        double t_rc = 0, t_tk = 0, t_vf = 0;
        for (int k = 0; k < 3; k++) {
            int which = (i + k) % 3;
            if (which == 0) {
                prep_recount_report r;
                double t0 = now_ms();
                if (prep_recount_buffer(b.data, b.len, "bench.csv", &o, &r, &err) < 0)
                    die("recount", err.msg);
                t_rc = now_ms() - t0;
                if (r.ndiff != 0)
                    die("recount", "our own corte is not consistent");
                prep_recount_report_free(&r);
            } else if (which == 1) {
                t_tk = tokenize(b.data, b.len);
            } else {
                prep_csv_check_result cr;
                double t0 = now_ms();
                if (prep_csv_check(b.data, b.len, "bench.csv", &cat, 0, 0, 0, &cr, &err) < 0)
                    die("verify", err.msg);
                t_vf = now_ms() - t0;
            }
        }
        rc[i] = t_rc;
        tk[i] = t_tk;
        vf[i] = t_vf;
        ratio[i] = t_rc / t_tk;
        printf("  rep %d: recount %.1f ms, tokenize %.1f ms (%.2f x), verify %.1f ms\n", i + 1,
               t_rc, t_tk, ratio[i], t_vf);
    }
    double mr = median(rc, reps), mt = median(tk, reps), mv = median(vf, reps);
    double mratio = median(ratio, reps);
    printf("bench_recount: median recount %.1f ms, tokenize (libcsv alone) %.1f ms: ratio %.2f "
           "(per-rep median %.2f, min %.2f, max %.2f); verify (strict, with catálogo) %.1f ms = "
           "%.2f x tokenize; recount / verify %.2f\n",
           mr, mt, mr / mt, mratio, ratio[0], ratio[reps - 1], mv, mv / mt, mr / mv);
    prep_buf_free(&b);
    prep_pub_tally_free(&t);
    prep_snapshot_free(&snap);
    prep_catalog_free(&cat);
    return 0;
}
