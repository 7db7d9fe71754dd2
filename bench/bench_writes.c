/* bench_writes.c — durable write requests per second over HTTP (acopio of
 * distinct actas against an in-process `prep serve` on loopback, 64
 * concurrent keep-alive clients driven by libcurl multi, and 1 client),
 * against two references measured in the same run on the same disk: the
 * raw fsync rate (4 KiB pwrite + fdatasync in place) and SQLite's own
 * one-row durable commit rate (autocommit INSERT, WAL, synchronous=FULL,
 * the store's PRAGMAs, warmed up past its first checkpoint). Every request is a real state change with its
 * bitácora entry (the reply must say noop false), on a national catálogo so
 * no acta is written twice. Repetitions alternate the
 * order of the sides; medians are reported, with p50/p99 latency.
 * Timings only here, never in tests. Usage: bench_writes [REPS] [SECONDS]
 * (default 3 and 2; BENCH_REPS / BENCH_SECS override; BENCH_DIR = where the
 * temporary data directory goes, default $BUILD or build). */
#include <curl/curl.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog/catalog_io.h"
#include "http/http.h"
#include "ops/users.h"
#include "store/store.h"

#define BENCH_NAME "bench_writes"
#include "bench_util.h"

#define PASSWORD "contraseña-de-bench-1"
#define NCLIENTS 64

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* ---- references ---- */

static double fsync_rate(const char *dir, double secs)
{
    char path[600];
    snprintf(path, sizeof path, "%s/fsync.bin", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        die("open", path);
    static char block[4096];
    memset(block, 'x', sizeof block);
    for (int i = 0; i < 64; i++)
        if (pwrite(fd, block, sizeof block, (off_t)i * 4096) != (ssize_t)sizeof block)
            die("pwrite", path);
    fsync(fd);
    long n = 0;
    double t0 = now_s(), t;
    do {
        block[0] = (char)n;
        if (pwrite(fd, block, sizeof block, (off_t)(n % 64) * 4096) != (ssize_t)sizeof block ||
            fdatasync(fd) < 0)
            die("fdatasync", path);
        n++;
    } while ((t = now_s() - t0) < secs);
    close(fd);
    unlink(path);
    return n / t;
}

/* The reference database, opened once and warmed up past its first WAL
 * checkpoint, so that (like the server's) its WAL is rewritten in place
 * instead of growing the file at every commit. */
typedef struct {
    sqlite3 *db;
    sqlite3_stmt *q;
    long n;
    char path[700];
} ref_db;

static void ref_commit(ref_db *r)
{
    static const char row[] = "{\"estado\":\"ACOPIADA\",\"ronda\":0,\"ncapturas\":0} one row "
                              "of about the size of an acta update and its bitacora entry";
    sqlite3_bind_int64(r->q, 1, r->n++);
    sqlite3_bind_text(r->q, 2, row, -1, SQLITE_STATIC);
    if (sqlite3_step(r->q) != SQLITE_DONE)
        die("sqlite insert", sqlite3_errmsg(r->db));
    sqlite3_reset(r->q);
}

static void ref_open(ref_db *r, const char *dir)
{
    snprintf(r->path, sizeof r->path, "%s/ref.db", dir);
    if (sqlite3_open(r->path, &r->db) != SQLITE_OK)
        die("sqlite3_open", r->path);
    char *msg = NULL;
    if (sqlite3_exec(r->db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
                     "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
                     "CREATE TABLE t(id INTEGER PRIMARY KEY, at INTEGER, v TEXT);",
                     NULL, NULL, &msg) != SQLITE_OK)
        die("sqlite setup", msg);
    if (sqlite3_prepare_v2(r->db, "INSERT INTO t(at, v) VALUES(?1, ?2)", -1, &r->q, NULL) !=
        SQLITE_OK)
        die("sqlite prepare", sqlite3_errmsg(r->db));
    for (int i = 0; i < 1200; i++)
        ref_commit(r);
}

static double sqlite_rate(ref_db *r, double secs)
{
    long n = 0;
    double t0 = now_s(), t;
    do {
        ref_commit(r);
        n++;
    } while ((t = now_s() - t0) < secs);
    return n / t;
}

/* ---- the HTTP side ---- */

typedef struct {
    char **paths; /* acopio URLs of every acta, in order */
    long n, next;
} acta_pool;

typedef struct {
    CURL *h;
    char body[4096];
    size_t len;
    double t0;
} client;

static size_t on_body(char *p, size_t sz, size_t n, void *ctx)
{
    client *c = ctx;
    size_t k = sz * n;
    if (c->len + k < sizeof c->body) {
        memcpy(c->body + c->len, p, k);
        c->len += k;
        c->body[c->len] = '\0';
    }
    return k;
}

typedef struct {
    double rate, p50_ms, p99_ms;
    long requests;
} http_result;

static void issue(CURLM *m, client *c, acta_pool *pool)
{
    curl_multi_remove_handle(m, c->h);
    curl_easy_setopt(c->h, CURLOPT_URL, pool->paths[pool->next++]);
    c->len = 0;
    c->body[0] = '\0';
    c->t0 = now_s();
    curl_multi_add_handle(m, c->h);
}

static http_result http_run(int nclients, double secs, acta_pool *pool, struct curl_slist *hdr)
{
    CURLM *m = curl_multi_init();
    client *cl = calloc((size_t)nclients, sizeof *cl);
    long cap = 1 << 20, nlat = 0;
    double *lat = malloc(sizeof *lat * (size_t)cap);
    if (!m || !cl || !lat)
        die("setup", "out of memory");
    curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)nclients);
    int active = 0;
    double t0 = now_s(), deadline = t0 + secs, last = t0;
    for (int i = 0; i < nclients && pool->next < pool->n; i++) {
        cl[i].h = curl_easy_init();
        curl_easy_setopt(cl[i].h, CURLOPT_POST, 1L);
        curl_easy_setopt(cl[i].h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(cl[i].h, CURLOPT_POSTFIELDSIZE, 0L);
        curl_easy_setopt(cl[i].h, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(cl[i].h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(cl[i].h, CURLOPT_WRITEDATA, &cl[i]);
        curl_easy_setopt(cl[i].h, CURLOPT_PRIVATE, &cl[i]);
        curl_easy_setopt(cl[i].h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(cl[i].h, CURLOPT_TCP_NODELAY, 1L);
        issue(m, &cl[i], pool);
        active++;
    }
    while (active > 0) {
        int running;
        curl_multi_perform(m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            client *c;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&c);
            long code = 0;
            curl_easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &code);
            if (msg->data.result != CURLE_OK)
                die("request", curl_easy_strerror(msg->data.result));
            if (code != 200 || !strstr(c->body, "\"noop\":false"))
                die("acopio was not a durable change", c->body);
            double t = now_s();
            last = t;
            if (nlat < cap)
                lat[nlat++] = t - c->t0;
            if (t < deadline && pool->next < pool->n) {
                issue(m, c, pool);
            } else {
                curl_multi_remove_handle(m, c->h);
                active--;
            }
        }
        if (active > 0)
            curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    for (int i = 0; i < nclients; i++)
        if (cl[i].h)
            curl_easy_cleanup(cl[i].h);
    curl_multi_cleanup(m);
    qsort(lat, (size_t)nlat, sizeof *lat, bench_cmp_double);
    http_result r = {.requests = nlat, .rate = nlat / (last - t0),
                     .p50_ms = nlat ? lat[nlat / 2] * 1e3 : 0,
                     .p99_ms = nlat ? lat[(long)(nlat * 0.99)] * 1e3 : 0};
    free(lat);
    free(cl);
    return r;
}

static int add_user(prep_ops *o, void *ctx, prep_err *err)
{
    (void)ctx;
    return prep_user_create(o, &prep_actor_system, "bench", "acopio", 0, 0, PASSWORD, NULL, err);
}

static size_t to_buf(char *p, size_t sz, size_t n, void *ctx)
{
    strncat(ctx, p, sz * n < 1000 ? sz * n : 1000);
    return sz * n;
}

static void login(const char *base, char token[80])
{
    char url[300], reply[2048] = "";
    snprintf(url, sizeof url, "%s/api/v1/session", base);
    CURL *h = curl_easy_init();
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS,
                     "{\"usuario\":\"bench\",\"password\":\"" PASSWORD "\",\"estacion\":\"bench\"}");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, to_buf);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, (void *)reply);
    if (curl_easy_perform(h) != CURLE_OK)
        die("login", "no reply");
    curl_easy_cleanup(h);
    curl_slist_free_all(hdr);
    json_t *j = json_loads(reply, 0, NULL);
    const char *t = json_string_value(json_object_get(j, "token"));
    if (!t)
        die("login", reply);
    snprintf(token, 80, "%s", t);
    json_decref(j);
}

typedef struct {
    char *b;
    size_t len, cap;
} text;

static size_t to_text(char *p, size_t sz, size_t n, void *ctx)
{
    text *t = ctx;
    size_t k = sz * n;
    if (t->len + k + 1 < t->cap) {
        memcpy(t->b + t->len, p, k);
        t->len += k;
        t->b[t->len] = '\0';
    }
    return k;
}

/* Group commits so far, from the server's own /metrics: jobs and commits. */
static void batches(const char *base, double *jobs, double *commits)
{
    char url[300];
    snprintf(url, sizeof url, "%s/metrics", base);
    text t = {.b = calloc(1, 1 << 20), .cap = 1 << 20};
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, to_text);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, (void *)&t);
    if (!t.b || curl_easy_perform(h) != CURLE_OK)
        die("metrics", "no reply");
    curl_easy_cleanup(h);
    const char *a = strstr(t.b, "\nprep_commit_batch_size_sum "),
               *b = strstr(t.b, "\nprep_commit_batch_size_count ");
    if (!a || !b)
        die("metrics", "no prep_commit_batch_size");
    *jobs = atof(a + strlen("\nprep_commit_batch_size_sum "));
    *commits = atof(b + strlen("\nprep_commit_batch_size_count "));
    free(t.b);
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 3;
    double secs = argc > 2 ? atof(argv[2]) : getenv("BENCH_SECS") ? atof(getenv("BENCH_SECS")) : 2;
    if (reps < 1 || reps > 50 || secs <= 0 || secs > 60)
        die("usage", "bench_writes [REPS 1-50] [SECONDS]");
    const char *where = getenv("BENCH_DIR") ? getenv("BENCH_DIR")
                        : getenv("BUILD")   ? getenv("BUILD")
                                            : "build";
    char base[600], data[700];
    snprintf(base, sizeof base, "%s/bench-writes-XXXXXX", where);
    if (!mkdtemp(base))
        die("mkdtemp", base);
    snprintf(data, sizeof data, "%s/data", base);
    prep_err err = {0};
    prep_catalog cat;
    prep_store *st;
    double tg = now_s();
    if (prep_catalog_generate("national", 1, &cat, &err) < 0 || prep_store_create(data, NULL, &err) < 0 ||
        prep_store_open(data, &st, &err) < 0 || prep_store_catalog_save(st, &cat, &err) < 0)
        die("setup", err.msg);
    prep_ops o = {.st = st, .cat = &cat};
    if (prep_ops_tx(&o, add_user, NULL, &err) < 0)
        die("user", err.msg);
    prep_store_close(st);
    acta_pool pool = {.n = (long)cat.nelecciones * cat.ncasillas};
    pool.paths = calloc((size_t)pool.n, sizeof *pool.paths);
    prep_http_config cfg;
    prep_http_defaults(&cfg);
    cfg.datadir = data;
    cfg.port = 0;
    cfg.corte_every = 0;
    cfg.rate = 0;
    prep_server *srv;
    if (prep_http_start(&cfg, &srv, &err) < 0)
        die("prep_http_start", err.msg);
    char url[64], token[80], auth[120];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", prep_http_port(srv));
    long k = 0;
    for (int e = 0; e < cat.nelecciones; e++)
        for (int c = 0; c < cat.ncasillas; c++) {
            char p[200];
            snprintf(p, sizeof p, "%s/api/v1/elecciones/%s/actas/%s/acopio", url,
                     cat.elecciones[e].codigo, cat.casillas[c].clave);
            pool.paths[k++] = strdup(p);
        }
    ref_db ref = {0};
    ref_open(&ref, base);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    login(url, token);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    struct curl_slist *hdr = curl_slist_append(NULL, auth);
    hdr = curl_slist_append(hdr, "Expect:");
    printf("national catálogo (%ld actas) in %.1f s; %d repetitions of %.1f s; data in %s\n", pool.n,
           now_s() - tg, reps, secs, base);
    printf("%-4s %8s %8s %9s %7s %7s %8s %8s %7s %7s %9s\n", "rep", "fsync/s", "sqlite/s",
           "http64/s", "p50 ms", "p99 ms", "req/fsync", "http1/s", "p50 ms", "p99 ms",
           "64/sqlite");
    double f[50], q[50], h64[50], p50[50], p99[50], h1[50], s50[50], s99[50], per[50];
    for (int i = 0; i < reps; i++) {
        http_result a, b;
        double j0, c0, j1, c1;
        if (i % 2 == 0) {
            f[i] = fsync_rate(base, secs);
            q[i] = sqlite_rate(&ref, secs);
            batches(url, &j0, &c0);
            a = http_run(NCLIENTS, secs, &pool, hdr);
            batches(url, &j1, &c1);
            b = http_run(1, secs, &pool, hdr);
        } else {
            b = http_run(1, secs, &pool, hdr);
            batches(url, &j0, &c0);
            a = http_run(NCLIENTS, secs, &pool, hdr);
            batches(url, &j1, &c1);
            q[i] = sqlite_rate(&ref, secs);
            f[i] = fsync_rate(base, secs);
        }
        /* The two /metrics requests themselves are not writes: only jobs count. */
        per[i] = c1 > c0 ? (j1 - j0) / (c1 - c0) : 0;
        h64[i] = a.rate, p50[i] = a.p50_ms, p99[i] = a.p99_ms;
        h1[i] = b.rate, s50[i] = b.p50_ms, s99[i] = b.p99_ms;
        printf("%-4d %8.0f %8.0f %9.0f %7.2f %7.2f %8.1f %8.0f %7.2f %7.2f %9.2f\n", i + 1,
               f[i], q[i], h64[i], p50[i], p99[i], per[i], h1[i], s50[i], s99[i], h64[i] / q[i]);
        if (pool.next >= pool.n)
            printf("(every acta of the catálogo was used: later runs are shorter)\n");
    }
    double mf = median(f, reps), mq = median(q, reps), mh = median(h64, reps), m1 = median(h1, reps);
    printf("median: fsync %.0f/s, sqlite one-row commit %.0f/s, HTTP 64 clients %.0f/s "
           "(p50 %.2f ms, p99 %.2f ms, %.1f requests per commit), HTTP 1 client %.0f/s "
           "(p50 %.2f ms, p99 %.2f ms)\n",
           mf, mq, mh, median(p50, reps), median(p99, reps), median(per, reps), m1,
           median(s50, reps), median(s99, reps));
    printf("ratios: HTTP64 / sqlite commit = %.2f, HTTP64 / fsync = %.2f, HTTP1 / sqlite commit = "
           "%.2f\n",
           mh / mq, mh / mf, m1 / mq);
    prep_http_stop(srv);
    sqlite3_finalize(ref.q);
    sqlite3_close(ref.db);
    curl_slist_free_all(hdr);
    curl_global_cleanup();
    for (long i = 0; i < pool.n; i++)
        free(pool.paths[i]);
    free(pool.paths);
    prep_catalog_free(&cat);
    nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}
