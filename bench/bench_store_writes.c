/* bench_store_writes.c — durable writes on PostgreSQL against SQLite, in the
 * same run: the same acopios (prep_ops_acopio: read acta, write acta, append
 * a bitácora entry) committed one per transaction (a lone request) and 50
 * per transaction (a group-commit batch of prep serve). SQLite is the
 * reference (WAL, synchronous=FULL); PostgreSQL is the throwaway cluster of
 * scripts/pg-test.sh on loopback (fsync on, synchronous_commit on).
 * Repetitions alternate which store goes first; medians are reported.
 * Needs PREP_TEST_STORE (run: scripts/pg-test.sh env ONLY=bench_store_writes
 * make bench); without it, says so and exits 0. Usage: bench_store_writes [REPS]. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog_io.h"
#include "ops/ops.h"
#include "store/store.h"

#define BENCH_NAME "bench_store_writes"
#include "bench_util.h"

#define SINGLE 100 /* transactions of one acopio per repetition */
#define BATCHES 10 /* transactions of BATCH acopios per repetition */
#define BATCH 50

typedef struct {
    char dir[64];
    prep_store *st;
    prep_ops o;
    int next; /* next unused casilla × election slot */
} side;

static const prep_actor aco = {.user = 1, .nombre = "aco", .rol = "acopio", .station = "bench"};

static void open_side(side *s, const char *url, prep_catalog *cat)
{
    prep_err err = {0};
    snprintf(s->dir, sizeof s->dir, "/tmp/prep-bench-XXXXXX");
    if (!mkdtemp(s->dir))
        die("mkdtemp", "failed");
    if (prep_store_create(s->dir, url, &err) < 0 || prep_store_open(s->dir, &s->st, &err) < 0 ||
        prep_store_catalog_save(s->st, cat, &err) < 0)
        die(url ? url : "sqlite", err.msg);
    s->o.st = s->st;
    s->o.cat = cat;
}

/* n transactions of k acopios each; returns elapsed ms. */
static double run(side *s, int n, int k)
{
    prep_err err = {0};
    int ncas = s->o.cat->ncasillas, nel = s->o.cat->nelecciones;
    double t0 = now_ms();
    for (int i = 0; i < n; i++) {
        if (prep_store_begin(s->st, 1, &err) < 0)
            die("begin", err.msg);
        for (int j = 0; j < k; j++, s->next++) {
            if (s->next >= ncas * nel)
                die("run", "catalog exhausted");
            if (prep_ops_acopio(&s->o, &aco, s->next / ncas, s->next % ncas, 1000 + s->next, NULL,
                                NULL, &err) < 0)
                die("acopio", err.msg);
        }
        if (prep_store_commit(s->st, &err) < 0)
            die("commit", err.msg);
    }
    return now_ms() - t0;
}

int main(int argc, char **argv)
{
    const char *server = getenv("PREP_TEST_STORE");
    if (!server || !*server) {
        printf("bench_store_writes: skipped (needs PostgreSQL: scripts/pg-test.sh env "
               "ONLY=bench_store_writes make bench)\n");
        return 0;
    }
    int reps = argc > 1 ? atoi(argv[1]) : getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 5;
    if (reps < 1)
        reps = 1;
    prep_catalog cat;
    prep_err err = {0};
    if (prep_catalog_generate("cdmx", 1, &cat, &err) < 0)
        die("generate", err.msg);
    /* A fresh database for the PostgreSQL side. */
    char url[512], sql[64];
    snprintf(sql, sizeof sql, "CREATE DATABASE prep_bench_%d", (int)getpid());
    PGconn *c = PQconnectdb(server);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        die("create database", PQerrorMessage(c));
    PQclear(r);
    snprintf(url, sizeof url, "%.*s/prep_bench_%d", (int)(strrchr(server, '/') - server), server,
             (int)getpid());
    side sq = {0}, pg = {0};
    open_side(&sq, NULL, &cat);
    open_side(&pg, url, &cat);
    run(&sq, 5, 1); /* warm-up: statement caches, first pages */
    run(&pg, 5, 1);
    double *v = calloc((size_t)reps * 4, sizeof *v);
    double *s1 = v, *p1 = v + reps, *sb = v + 2 * reps, *pb = v + 3 * reps;
    printf("cdmx catalog (%d casillas x %d elections); %d repetitions of %d single-acopio and "
           "%d x %d-acopio transactions per store\n",
           cat.ncasillas, cat.nelecciones, reps, SINGLE, BATCHES, BATCH);
    for (int i = 0; i < reps; i++) {
        side *first = i % 2 ? &pg : &sq, *second = i % 2 ? &sq : &pg;
        double f1 = run(first, SINGLE, 1), g1 = run(second, SINGLE, 1);
        double fb = run(first, BATCHES, BATCH), gb = run(second, BATCHES, BATCH);
        double *a1 = i % 2 ? p1 : s1, *b1 = i % 2 ? s1 : p1;
        double *ab = i % 2 ? pb : sb, *bb = i % 2 ? sb : pb;
        a1[i] = f1 / SINGLE;
        b1[i] = g1 / SINGLE;
        ab[i] = fb / (BATCHES * BATCH);
        bb[i] = gb / (BATCHES * BATCH);
        printf("  rep %d (%s first): single sqlite %.2f pg %.2f ms/commit; batch sqlite %.3f pg "
               "%.3f ms/acta\n",
               i + 1, i % 2 ? "pg" : "sqlite", s1[i], p1[i], sb[i], pb[i]);
    }
    double ms1 = median(s1, reps), mp1 = median(p1, reps);
    double msb = median(sb, reps), mpb = median(pb, reps);
    printf("median single-acopio commit: sqlite %.2f ms, postgresql %.2f ms, ratio pg/sqlite %.2f\n",
           ms1, mp1, mp1 / ms1);
    printf("median per acta in %d-acopio batches: sqlite %.3f ms, postgresql %.3f ms, ratio "
           "pg/sqlite %.2f\n",
           BATCH, msb, mpb, mpb / msb);
    prep_store_close(sq.st);
    prep_store_close(pg.st);
    snprintf(sql, sizeof sql, "DROP DATABASE prep_bench_%d", (int)getpid());
    PQclear(PQexec(c, sql));
    PQfinish(c);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", sq.dir, pg.dir);
    if (system(cmd) != 0)
        die("cleanup", cmd);
    prep_catalog_free(&cat);
    free(v);
    return 0;
}
