/* bench_corte.c — cortes of a fully captured election (default the
 * `national` preset: every acta of every casilla verified): corte 1
 * publishes 99 % of the actas and writes every page, corte 2 has nothing
 * new, corte 3 publishes the other 1 % (spread over the country: the steady
 * state of the night, where unchanged sección pages are linked from the
 * corte before). Per stage, corte 1 and corte 3 against the simplest way of
 * doing the same work measured in the same run:
 *   snapshot   prep_corte_run's read transaction   vs SELECT * FROM acta, every column read
 *   tallies    prep_pub_tally_build, all levels     vs one pass summing every vote field
 *   CSV        results + candidaturas + LEEME       vs write() of the same bytes
 *   site       HTML + JSON + SVG of every level     vs write() of the same files
 *   ZIP        the per-election database ZIPs       vs `zip -6` of the same files
 *   MANIFEST   hashing what was not hashed yet      vs `sha256sum` of every file
 *   package    the difusor ZIP of the corte         vs `zip -1 -r` of the same tree
 * then requests per second of one results page served by `prep serve`
 * and by nginx (deploy/nginx.conf) from the same corte, with wrk, in turns.
 * Acta images are left out (they are hard links, one per new acta).
 * Usage: bench_corte [PRESET] (BENCH_PRESET, BENCH_REPS for the wrk turns). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>
#include <zlib.h>

#include "catalog/catalog_io.h"
#include "publish/corte.h"
#include "publish/fsutil.h"
#include "publish/keys.h"
#include "publish/names.h"
#include "publish/tallies.h"
#include "store/store.h"
#include "../tests/unit/test_site_snap.h"

#define BENCH_NAME "bench_corte"
#include "bench_util.h"

static double run_sh(const char *cmd)
{
    double t0 = now_ms();
    int rc = system(cmd);
    if (rc != 0)
        die("command failed", cmd);
    return now_ms() - t0;
}

/* ---- Files of a tree, in memory (for the raw-write references) ------------ */

typedef struct {
    char **rel;
    char **data;
    size_t *len;
    size_t n, cap, bytes;
} files;

static void files_add(files *f, const char *rel, char *data, size_t len)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 1024;
        f->rel = realloc(f->rel, f->cap * sizeof *f->rel);
        f->data = realloc(f->data, f->cap * sizeof *f->data);
        f->len = realloc(f->len, f->cap * sizeof *f->len);
        if (!f->rel || !f->data || !f->len)
            die("files", "out of memory");
    }
    f->rel[f->n] = strdup(rel);
    f->data[f->n] = data;
    f->len[f->n] = len;
    f->n++;
    f->bytes += len;
}

static void files_load(files *f, const char *root, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    DIR *d = opendir(path);
    if (!d)
        die(path, strerror(errno));
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char sub[2048];
        if ((size_t)snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) >=
                sizeof sub ||
            (size_t)snprintf(path, sizeof path, "%s/%s", root, sub) >= sizeof path)
            die(rel, "path too long");
        struct stat sb;
        if (lstat(path, &sb) < 0)
            die(path, strerror(errno));
        if (S_ISDIR(sb.st_mode)) {
            files_load(f, root, sub);
        } else {
            char *data;
            size_t len;
            prep_err err = {0};
            if (prep_fs_read(path, &data, &len, 0, &err) < 0)
                die(path, err.msg);
            files_add(f, sub, data, len);
        }
    }
    closedir(d);
}

/* mkdir -p of the parent, open, write, close: what any program writing
 * these files must do at least. */
static double files_write(const files *f, const char *root)
{
    double t0 = now_ms();
    for (size_t i = 0; i < f->n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root, f->rel[i]);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 && errno == ENOENT) {
            char *slash = strrchr(path, '/');
            *slash = '\0';
            prep_err err = {0};
            if (prep_fs_mkdirs(path, &err) < 0)
                die(path, err.msg);
            *slash = '/';
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        }
        if (fd < 0 || write(fd, f->data[i], f->len[i]) != (ssize_t)f->len[i])
            die(path, strerror(errno));
        close(fd);
    }
    return now_ms() - t0;
}

static void files_free(files *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->rel[i]);
        free(f->data[i]);
    }
    free(f->rel);
    free(f->data);
    free(f->len);
    memset(f, 0, sizeof *f);
}

/* Size after gzip -5 (what nginx with deploy/nginx.conf sends). */
static size_t gz_size(const char *data, size_t len)
{
    uLongf out = compressBound((uLong)len);
    unsigned char *buf = malloc(out);
    if (!buf || compress2(buf, &out, (const Bytef *)data, (uLong)len, 5) != Z_OK)
        die("zlib", "compress2 failed");
    free(buf);
    return (size_t)out + 18 - 6; /* gzip header and trailer instead of zlib's */
}

/* ---- References ----------------------------------------------------------- */

static double ref_snapshot(const char *data)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/prep.db", data);
    sqlite3 *db;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(path, sqlite3_errmsg(db));
    sqlite3_exec(db, "PRAGMA cache_size=-65536", 0, 0, 0);
    double t0 = now_ms();
    sqlite3_stmt *q;
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    if (sqlite3_prepare_v2(db, "SELECT * FROM acta ORDER BY eleccion, casilla", -1, &q, NULL) !=
        SQLITE_OK)
        die("select", sqlite3_errmsg(db));
    long long sink = 0;
    while (sqlite3_step(q) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count(q); c++)
            sink += sqlite3_column_bytes(q, c);
    sqlite3_finalize(q);
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    double ms = now_ms() - t0;
    sqlite3_close(db);
    if (sink < 0)
        puts("");
    return ms;
}

static double ref_tallies(const prep_snapshot *s)
{
    double t0 = now_ms();
    int64_t sum[PREP_MAX_FIELDS] = {0};
    for (int e = 0; e < s->cat->nelecciones; e++) {
        int nf = PREP_NFIELDS(s->cat->elecciones[e].ncols);
        for (int i = 0; i < s->el[e].n; i++)
            for (int f = 0; f < nf; f++)
                if (s->el[e].actas[i].vals[f] > 0)
                    sum[f] += s->el[e].actas[i].vals[f];
    }
    double ms = now_ms() - t0;
    if (sum[0] < 0)
        puts("");
    return ms;
}

/* ---- Requests per second -------------------------------------------------- */

static pid_t spawn(char *const argv[])
{
    pid_t p = fork();
    if (p == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        execv(argv[0], argv);
        _exit(127);
    }
    return p;
}

static int free_port(void)
{
    return 20000 + (int)(getpid() % 20000);
}

static double wrk(const char *url, int secs)
{
    char cmd[2048], line[512];
    snprintf(cmd, sizeof cmd, "wrk -t2 -c32 -d%ds '%s' 2>&1", secs, url);
    FILE *p = popen(cmd, "r");
    if (!p)
        die("wrk", strerror(errno));
    double rps = -1;
    long errors = 0;
    while (fgets(line, sizeof line, p)) {
        sscanf(line, "Requests/sec: %lf", &rps);
        if (strstr(line, "Non-2xx"))
            errors = 1;
    }
    pclose(p);
    if (rps < 0 || errors)
        die("wrk", url);
    return rps;
}

static void wait_http(const char *url)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "curl -sf -o /dev/null '%s'", url);
    for (int i = 0; i < 100; i++) {
        if (system(cmd) == 0)
            return;
        usleep(100000);
    }
    die("not answering", url);
}

static void rps(const char *data, const char *dir, const char *page, int reps, int secs)
{
    const char *prep = getenv("PREP_BIN") ? getenv("PREP_BIN") : "build/prep";
    int port = free_port();
    char listen_at[64], up[64], ngdir[4096], cmd[8192], pid_s[32];
    snprintf(listen_at, sizeof listen_at, "127.0.0.1:%d", port);
    snprintf(up, sizeof up, "127.0.0.1:%d", port);
    char *argv[] = {(char *)prep, "serve", "--data", (char *)data, "--listen", listen_at,
                    "--corte-every", "0", "--rate", "0", NULL};
    pid_t ps = spawn(argv);
    snprintf(ngdir, sizeof ngdir, "%s/nginx", data);
    snprintf(cmd, sizeof cmd, "deploy/nginx-try.sh '%s' %d %s '%s'", data, port + 1, up, ngdir);
    FILE *p = popen(cmd, "r");
    if (!p || !fgets(pid_s, sizeof pid_s, p))
        die("nginx", "deploy/nginx-try.sh failed");
    pclose(p);
    pid_t ng = (pid_t)atoi(pid_s);
    char u_prep[4096], u_ng[4096];
    snprintf(u_prep, sizeof u_prep, "http://127.0.0.1:%d/cortes/%s/sitio/%s", port, dir, page);
    snprintf(u_ng, sizeof u_ng, "http://127.0.0.1:%d/cortes/%s/sitio/%s", port + 1, dir, page);
    wait_http(u_prep);
    wait_http(u_ng);
    double a[16], b[16];
    for (int r = 0; r < reps; r++) {
        if (r % 2 == 0) {
            a[r] = wrk(u_prep, secs);
            b[r] = wrk(u_ng, secs);
        } else {
            b[r] = wrk(u_ng, secs);
            a[r] = wrk(u_prep, secs);
        }
        printf("  rep %d %-28s prep serve %8.0f req/s  nginx %8.0f req/s  ratio %.2f\n", r + 1,
               page, a[r], b[r], a[r] / b[r]);
    }
    kill(ps, SIGTERM);
    waitpid(ps, NULL, 0);
    kill(ng, SIGTERM);
}

/* ---- Main ----------------------------------------------------------------- */

/* One stage of corte 1 (every page written) and corte 3 (the steady state)
 * against the same reference. */
static void stage(const char *name, double c1_ms, double c3_ms, double ref_ms, const char *ref)
{
    if (ref_ms > 0)
        printf("  %-10s %9.0f ms %9.0f ms   reference %9.0f ms (%s)   ratios %5.2f %5.2f\n", name,
               c1_ms, c3_ms, ref_ms, ref, c1_ms / ref_ms, c3_ms / ref_ms);
    else
        printf("  %-10s %9.0f ms %9.0f ms\n", name, c1_ms, c3_ms);
}

static void report(const char *title, const prep_corte_times *t)
{
    printf("%s: total %.0f ms; site files %lld, %lld of them linked from the corte before\n",
           title, t->total, (long long)t->site_files, (long long)t->site_linked);
    printf("  snapshot %.0f, tallies %.0f, csv %.0f, zip %.0f, nist %.0f, catalog %.0f, site %.0f,"
           " manifest %.0f, sign %.0f, sync %.0f, images %.0f, package %.0f, feed %.0f ms\n",
           t->snapshot, t->tallies, t->csv, t->zip, t->nist, t->catalog, t->site, t->manifest,
           t->sign, t->sync, t->images, t->package, t->feed);
    printf("  bytes: csv %lld, database zips %lld, package %lld (%lld entries reused)\n",
           (long long)t->bytes_csv, (long long)t->bytes_zip, (long long)t->bytes_package,
           (long long)t->package_reused);
}

/* 1 acta in HELD_BACK is stored only before corte 3. */
#define HELD_BACK 100

/* Store the generated actas as verified, straight through the store: the
 * early ones (late = 0) or the held-back ones (late = 1); store = 0 only
 * counts them. */
static long put_actas(prep_store *st, const prep_catalog *cat, const prep_snapshot *gen,
                      int late, int store)
{
    prep_err err = {0};
    long n = 0;
    if (store && prep_store_begin(st, 1, &err) < 0)
        die("begin", err.msg);
    for (int e = 0; e < cat->nelecciones; e++) {
        int nf = PREP_NFIELDS(cat->elecciones[e].ncols);
        for (int i = 0; i < gen->el[e].n; i++) {
            if ((i % HELD_BACK == HELD_BACK - 1) != late)
                continue;
            n++;
            if (!store)
                continue;
            prep_acta a = gen->el[e].actas[i].acta;
            if (a.estado == PREP_EST_PUBLICADA)
                a.estado = PREP_EST_VERIFICADA;
            a.corte = 0;
            a.imagen[0] = '\0';
            if (st->vt->acta_put(st, &a, gen->el[e].actas[i].vals, nf, &err) < 0)
                die("acta_put", err.msg);
        }
    }
    if (store && prep_store_commit(st, &err) < 0)
        die("commit", err.msg);
    return n;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        return 1;
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *preset = argc > 1 ? argv[1] : getenv("BENCH_PRESET") ? getenv("BENCH_PRESET")
                                                                      : "national";
    int reps = getenv("BENCH_REPS") ? atoi(getenv("BENCH_REPS")) : 2;
    if (reps < 1 || reps > 16)
        reps = 2;
    prep_err err = {0};
    prep_catalog cat;
    double t0 = now_ms();
    if (prep_catalog_generate(preset, 1, &cat, &err) < 0)
        die("catalog", err.msg);
    char data[] = "/tmp/prep-bench-corte-XXXXXX";
    if (!mkdtemp(data))
        die("mkdtemp", strerror(errno));
    prep_store *st;
    int created;
    if (prep_store_create(data, NULL, &err) < 0 || prep_store_open(data, &st, &err) < 0 ||
        prep_keys_ensure(data, &created, &err) < 0 || prep_store_catalog_save(st, &cat, &err) < 0)
        die(data, err.msg);
    /* Every acta verified (a few sin acta, Ilegible fields), written
     * straight through the store: the corte publishes them all. */
    prep_snapshot gen;
    if (ts_snapshot(&cat, 1, 1, prep_now(), &gen) < 0)
        die("snapshot", "out of memory");
    /* Every acta but one in HELD_BACK arrives before corte 1; the rest,
     * spread over the whole country, arrive between corte 2 and corte 3. */
    long nactas = put_actas(st, &cat, &gen, 0, 1);
    long held = put_actas(st, &cat, &gen, 1, 0);
    printf("bench_corte: preset %s, %d casillas, %ld actas verified (set up in %.0f ms)\n", preset,
           cat.ncasillas, nactas, now_ms() - t0);

    /* Corte 1 publishes everything (and writes every page); corte 2 has
     * nothing new; corte 3 publishes 1 in HELD_BACK actas more — the two
     * cortes of the night's steady state, where a sección page whose actas
     * did not change is linked from the corte before. */
    prep_corte_info info;
    prep_corte_times first, second, third;
    if (prep_corte_run(data, st, &cat, 0, &info, &err) < 0)
        die("corte 1", err.msg);
    first = prep_corte_last_times;
    sleep(1);
    if (prep_corte_run(data, st, &cat, 0, &info, &err) < 0)
        die("corte 2", err.msg);
    second = prep_corte_last_times;
    nactas += put_actas(st, &cat, &gen, 1, 1);
    if (prep_corte_run(data, st, &cat, 0, &info, &err) < 0)
        die("corte 3", err.msg);
    third = prep_corte_last_times;
    report("corte 1 (publishes every acta)", &first);
    report("corte 2 (nothing new)", &second);
    char title[128];
    snprintf(title, sizeof title, "corte 3 (%ld more actas, 1 in %d, all over the country)", held,
             HELD_BACK);
    report(title, &third);

    char corte[4096], scratch[4096], cmd[16384];
    snprintf(corte, sizeof corte, "%s/" PREP_CORTES_DIR "/%s", data, info.dir);
    snprintf(scratch, sizeof scratch, "%s/ref", data);
    prep_fs_mkdirs(scratch, &err);

    /* Site: how many files, how big. */
    files site = {0}, datos = {0};
    files_load(&site, corte, PREP_SITIO_DIR);
    files_load(&datos, corte, PREP_DATOS_DIR);
    printf("site: %zu files, %.1f MB; datos: %zu files, %.1f MB\n", site.n, site.bytes / 1e6,
           datos.n, datos.bytes / 1e6);
    /* Page weights: every HTML page plus the stylesheet and the script it
     * loads (what a reader's first visit transfers, uncompressed). */
    size_t assets = 0, assets_gz = 0, biggest = 0, sum_html = 0, nhtml = 0, ibig = 0, over = 0;
    const char *big = "";
    for (size_t i = 0; i < site.n; i++) {
        const char *r = site.rel[i];
        if (strcmp(r, "sitio/estilo.css") == 0 || strcmp(r, "sitio/prep.js") == 0) {
            assets += site.len[i];
            assets_gz += gz_size(site.data[i], site.len[i]);
        }
    }
    for (size_t i = 0; i < site.n; i++) {
        size_t n = strlen(site.rel[i]);
        if (n < 5 || strcmp(site.rel[i] + n - 5, ".html") != 0)
            continue;
        nhtml++;
        sum_html += site.len[i];
        if (site.len[i] > biggest) {
            biggest = site.len[i];
            big = site.rel[i];
            ibig = i;
        }
        if (site.len[i] + assets >= 100 * 1024)
            over++;
        if (strchr(site.rel[i] + 6, '/') && strstr(site.rel[i], "/index.html") &&
            !strstr(site.rel[i], "seccion"))
            printf("  page %-34s %8zu bytes + css/js %zu = %zu; gzip %zu\n", site.rel[i],
                   site.len[i], assets, site.len[i] + assets,
                   gz_size(site.data[i], site.len[i]) + assets_gz);
    }
    printf("  pages: %zu, mean %.0f bytes, %zu of them (with css/js) 100 KB or more;\n"
           "  largest %s %zu bytes + css/js %zu = %zu; gzip %zu\n",
           nhtml, nhtml ? (double)sum_html / (double)nhtml : 0.0, over, big, biggest, assets,
           biggest + assets, nhtml ? gz_size(site.data[ibig], site.len[ibig]) + assets_gz : 0);

    /* References, same run, after the corte (page cache warm for both). */
    double r_snap = ref_snapshot(data);
    double r_tal = ref_tallies(&gen);
    files csvs = {0};
    for (size_t i = 0; i < datos.n; i++)
        if (strstr(datos.rel[i], ".zip") == NULL) {
            char *copy = malloc(datos.len[i] + 1);
            memcpy(copy, datos.data[i], datos.len[i]);
            files_add(&csvs, datos.rel[i], copy, datos.len[i]);
        }
    char root[4200];
    snprintf(root, sizeof root, "%s/csv", scratch);
    double r_csv = files_write(&csvs, root);
    snprintf(root, sizeof root, "%s/sitio", scratch);
    double r_site = files_write(&site, root);
    double r_zip = 0;
    for (int e = 0; e < cat.nelecciones; e++) {
        snprintf(cmd, sizeof cmd, "cd '%s/" PREP_DATOS_DIR "/%s' && zip -q -X -6 '%s/e%d.zip' *", corte,
                 cat.elecciones[e].codigo, scratch, e);
        r_zip += run_sh(cmd);
    }
    snprintf(cmd, sizeof cmd, "cd '%s' && find . -type f -print0 | xargs -0 sha256sum > '%s/sums'",
             corte, scratch);
    double r_man = run_sh(cmd);
    snprintf(cmd, sizeof cmd,
             "cd '%s/" PREP_CORTES_DIR "' && zip -q -X -r -1 -n .zip:.png:.jpg '%s/paquete.zip' '%s'",
             data, scratch, info.dir);
    double r_pkg = run_sh(cmd);

    /* Corte 1 does all the work the references do (every page written);
     * corte 3 is the steady state (1 in HELD_BACK actas new). The snapshot
     * of corte 1 also marks every acta published: compare corte 3's. */
    const prep_corte_times *a = &first, *c = &third;
    printf("stages of corte 1 and corte 3 against their references:\n");
    stage("snapshot", a->snapshot, c->snapshot, r_snap, "SELECT * FROM acta");
    stage("tallies", a->tallies, c->tallies, r_tal, "one summing pass");
    stage("csv", a->csv, c->csv, r_csv, "write() of the CSV bytes");
    stage("site", a->site, c->site, r_site, "write() of the site files");
    stage("zip", a->zip, c->zip, r_zip, "zip -6");
    stage("manifest", a->manifest, c->manifest, r_man, "sha256sum of every file");
    stage("sign", a->sign, c->sign, 0, "");
    stage("sync", a->sync, c->sync, 0, "");
    stage("package", a->package, c->package, r_pkg, "zip -1 -r");
    stage("total", a->total, c->total, 0, "");

    /* Serving: one entidad page and one sección page, prep serve vs nginx. */
    char page[256];
    int ent = cat.entidades[0].id;
    snprintf(page, sizeof page, "%s/%02d/index.html", cat.elecciones[0].codigo, ent);
    rps(data, info.dir, page, reps, 5);
    snprintf(page, sizeof page, "%s/%02d/seccion/%d.html", cat.elecciones[0].codigo, ent,
             cat.secciones[0].seccion);
    rps(data, info.dir, page, reps, 5);

    files_free(&site);
    files_free(&datos);
    files_free(&csvs);
    prep_snapshot_free(&gen);
    prep_store_close(st);
    prep_catalog_free(&cat);
    if (!getenv("BENCH_KEEP")) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", data);
        run_sh(cmd);
    } else {
        printf("kept %s\n", data);
    }
    return 0;
}
