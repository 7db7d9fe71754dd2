/* bench_catalog.c — loading the `national` catálogo into the store, as a
 * ratio against a plain SQLite bulk insert of the same rows, in the same run.
 *
 * PREP side: prep_store_catalog_save() into a freshly created data directory
 * (and, separately, prep_catalog_read_dir() of the catálogo CSV files).
 * Reference: a fresh SQLite file with the same catalog tables (their CREATE
 * statements copied from the store's own database), the same PRAGMAs as the
 * store, one transaction, one prepared INSERT per table, binding exactly the
 * rows the store wrote (read back from it). Repetitions alternate the order of
 * the two sides; medians are reported. Timings only here, never in tests.
 * Usage: bench_catalog [REPS] (default 7; BENCH_REPS overrides). */
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog_io.h"
#include "store/store.h"

#define BENCH_NAME "bench_catalog"
#include "bench_util.h"

/* Same settings as src/store/sqlite_store.c opens its database with. */
#define REF_PRAGMAS                                                                               \
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"                  \
    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"

typedef struct {
    int type; /* SQLITE_INTEGER, SQLITE_TEXT, SQLITE_NULL, SQLITE_FLOAT */
    sqlite3_int64 i;
    double d;
    char *t;
} cell;

typedef struct {
    char name[64];
    char **create; /* CREATE TABLE / INDEX statements */
    int ncreate;
    int ncols, nrows;
    cell *cells;   /* nrows * ncols */
} table;

typedef struct {
    table *t;
    int n;
    long rows;
} rowset;

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *f)
{
    (void)sb, (void)flag, (void)f;
    return remove(path);
}

static void rm_tree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static sqlite3 *open_db(const char *path)
{
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK)
        die(path, sqlite3_errmsg(db));
    return db;
}

static void exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        die(sql, msg ? msg : "?");
}

static sqlite3_int64 count(sqlite3 *db, const char *tname)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", tname);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK || sqlite3_step(q) != SQLITE_ROW)
        die(sql, sqlite3_errmsg(db));
    sqlite3_int64 n = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return n;
}

/* Table names of a database and their row counts. */
static int list_tables(sqlite3 *db, char names[][64], sqlite3_int64 *rows, int max)
{
    sqlite3_stmt *q;
    sqlite3_prepare_v2(db,
                       "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE "
                       "'sqlite_%' ORDER BY name",
                       -1, &q, NULL);
    int n = 0;
    while (n < max && sqlite3_step(q) == SQLITE_ROW)
        snprintf(names[n++], 64, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    for (int i = 0; i < n; i++)
        rows[i] = count(db, names[i]);
    return n;
}

/* The rows the catalog save added, with the statements that create their
 * tables: read back from the store's database file. */
static void capture(const char *dbpath, char names[][64], sqlite3_int64 *before, int nt,
                    rowset *rs)
{
    sqlite3 *db = open_db(dbpath);
    rs->t = calloc((size_t)nt, sizeof *rs->t);
    rs->n = 0;
    rs->rows = 0;
    for (int k = 0; k < nt; k++) {
        sqlite3_int64 after = count(db, names[k]);
        if (before[k] != 0 || after == 0)
            continue; /* not a catalog table (or one the store filled earlier) */
        table *t = &rs->t[rs->n++];
        memcpy(t->name, names[k], sizeof t->name);
        sqlite3_stmt *q;
        sqlite3_prepare_v2(db, "SELECT sql FROM sqlite_master WHERE tbl_name=?1 AND sql NOT NULL"
                               " ORDER BY type='index'",
                           -1, &q, NULL);
        sqlite3_bind_text(q, 1, t->name, -1, SQLITE_STATIC);
        while (sqlite3_step(q) == SQLITE_ROW) {
            t->create = realloc(t->create, (size_t)(t->ncreate + 1) * sizeof *t->create);
            t->create[t->ncreate++] = strdup((const char *)sqlite3_column_text(q, 0));
        }
        sqlite3_finalize(q);
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", t->name);
        sqlite3_prepare_v2(db, sql, -1, &q, NULL);
        t->ncols = sqlite3_column_count(q);
        t->cells = calloc((size_t)after * (size_t)t->ncols, sizeof *t->cells);
        while (sqlite3_step(q) == SQLITE_ROW) {
            cell *row = &t->cells[(size_t)t->nrows++ * (size_t)t->ncols];
            for (int c = 0; c < t->ncols; c++) {
                row[c].type = sqlite3_column_type(q, c);
                if (row[c].type == SQLITE_INTEGER)
                    row[c].i = sqlite3_column_int64(q, c);
                else if (row[c].type == SQLITE_FLOAT)
                    row[c].d = sqlite3_column_double(q, c);
                else if (row[c].type != SQLITE_NULL)
                    row[c].t = strdup((const char *)sqlite3_column_text(q, c));
            }
        }
        sqlite3_finalize(q);
        rs->rows += t->nrows;
    }
    sqlite3_close(db);
}

/* Reference: fresh file, same tables and PRAGMAs, one transaction, one
 * prepared statement per table. Returns milliseconds of the insert. */
static double reference(const char *dir, const rowset *rs)
{
    char path[600];
    snprintf(path, sizeof path, "%s/ref.db", dir);
    sqlite3 *db = open_db(path);
    exec(db, REF_PRAGMAS);
    for (int k = 0; k < rs->n; k++)
        for (int j = 0; j < rs->t[k].ncreate; j++)
            exec(db, rs->t[k].create[j]);
    double t0 = now_ms();
    exec(db, "BEGIN IMMEDIATE");
    for (int k = 0; k < rs->n; k++) {
        const table *t = &rs->t[k];
        char sql[1024];
        int len = snprintf(sql, sizeof sql, "INSERT INTO \"%s\" VALUES(", t->name);
        for (int c = 0; c < t->ncols; c++)
            len += snprintf(sql + len, sizeof sql - (size_t)len, "%s?", c ? "," : "");
        snprintf(sql + len, sizeof sql - (size_t)len, ")");
        sqlite3_stmt *q;
        if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
            die(sql, sqlite3_errmsg(db));
        for (int r = 0; r < t->nrows; r++) {
            const cell *row = &t->cells[(size_t)r * (size_t)t->ncols];
            for (int c = 0; c < t->ncols; c++) {
                if (row[c].type == SQLITE_INTEGER)
                    sqlite3_bind_int64(q, c + 1, row[c].i);
                else if (row[c].type == SQLITE_FLOAT)
                    sqlite3_bind_double(q, c + 1, row[c].d);
                else if (row[c].type == SQLITE_NULL)
                    sqlite3_bind_null(q, c + 1);
                else
                    sqlite3_bind_text(q, c + 1, row[c].t, -1, SQLITE_STATIC);
            }
            if (sqlite3_step(q) != SQLITE_DONE)
                die(t->name, sqlite3_errmsg(db));
            sqlite3_reset(q);
        }
        sqlite3_finalize(q);
    }
    exec(db, "COMMIT");
    double ms = now_ms() - t0;
    sqlite3_close(db);
    return ms;
}

/* PREP: create a data directory, then time prep_store_catalog_save. */
static double prep_save(const char *dir, const prep_catalog *cat)
{
    prep_err err = {0};
    prep_store *st;
    if (prep_store_create(dir, NULL, &err) < 0 || prep_store_open(dir, &st, &err) < 0)
        die("store", err.msg);
    double t0 = now_ms();
    if (prep_store_catalog_save(st, cat, &err) < 0)
        die("catalog_save", err.msg);
    double ms = now_ms() - t0;
    prep_store_close(st);
    return ms;
}

int main(int argc, char **argv)
{
    int reps = 7;
    const char *env = getenv("BENCH_REPS");
    if (argc > 1)
        reps = atoi(argv[1]);
    else if (env)
        reps = atoi(env);
    if (reps < 1 || reps > 100)
        die("reps", "1..100");

    char base[] = "/tmp/prep-bench-catalog-XXXXXX";
    if (!mkdtemp(base))
        die("mkdtemp", "failed");
    prep_catalog cat;
    prep_err err = {0};
    double t0 = now_ms();
    if (prep_catalog_generate("national", 1, &cat, &err) < 0)
        die("generate", err.msg);
    double gen_ms = now_ms() - t0;
    char files[600];
    snprintf(files, sizeof files, "%s/catalogo", base);
    mkdir(files, 0755);
    if (prep_catalog_write_dir(&cat, files, &err) < 0)
        die("write", err.msg);

    /* Which tables the save fills, and the rows it writes (from a warm-up run). */
    char dir[700], dbpath[800];
    snprintf(dir, sizeof dir, "%s/warmup", base);
    prep_store *st;
    if (prep_store_create(dir, NULL, &err) < 0 || prep_store_open(dir, &st, &err) < 0)
        die("store", err.msg);
    prep_store_close(st);
    snprintf(dbpath, sizeof dbpath, "%s/prep.db", dir);
    if (access(dbpath, F_OK) != 0)
        die(dbpath, "the store's database file is not where this benchmark expects it");
    char names[128][64];
    sqlite3_int64 before[128];
    sqlite3 *db = open_db(dbpath);
    int nt = list_tables(db, names, before, 128);
    sqlite3_close(db);
    prep_save(dir, &cat);
    rowset rs;
    capture(dbpath, names, before, nt, &rs);
    rm_tree(dir);

    printf("bench_catalog: national catálogo, %d casillas, %d secciones, %ld rows in %d tables "
           "(generated in %.0f ms); %d repetitions\n",
           cat.ncasillas, cat.nsecciones, rs.rows, rs.n, gen_ms, reps);
    double *prep = calloc((size_t)reps, sizeof *prep), *ref = calloc((size_t)reps, sizeof *ref);
    double *rd = calloc((size_t)reps, sizeof *rd), *ratio = calloc((size_t)reps, sizeof *ratio);
    for (int i = 0; i < reps; i++) {
        char pd[700], rdir[700];
        snprintf(pd, sizeof pd, "%s/prep-%d", base, i);
        snprintf(rdir, sizeof rdir, "%s/ref-%d", base, i);
        mkdir(rdir, 0755);
        if (i % 2 == 0) {
            prep[i] = prep_save(pd, &cat);
            ref[i] = reference(rdir, &rs);
        } else {
            ref[i] = reference(rdir, &rs);
            prep[i] = prep_save(pd, &cat);
        }
        prep_catalog back;
        t0 = now_ms();
        if (prep_catalog_read_dir(files, &back, &err) < 0)
            die("read", err.msg);
        rd[i] = now_ms() - t0;
        prep_catalog_free(&back);
        ratio[i] = prep[i] / ref[i];
        printf("  rep %d: catalog_save %.1f ms, reference insert %.1f ms, ratio %.2f; "
               "read_dir %.1f ms\n",
               i + 1, prep[i], ref[i], ratio[i], rd[i]);
        rm_tree(pd);
        rm_tree(rdir);
    }
    double mp = median(prep, reps), mr = median(ref, reps), md = median(rd, reps);
    double mratio = median(ratio, reps); /* sorts ratio: [0] min, [reps-1] max */
    printf("bench_catalog: median catalog_save %.1f ms, reference %.1f ms: ratio %.2f "
           "(per-rep ratios: median %.2f, min %.2f, max %.2f); read_dir (CSV parse + validation) %.1f ms = %.2f x "
           "reference; whole load (read + save) %.2f x reference\n",
           mp, mr, mp / mr, mratio, ratio[0], ratio[reps - 1], md, md / mr, (md + mp) / mr);
    rm_tree(base);
    prep_catalog_free(&cat);
    return 0;
}
