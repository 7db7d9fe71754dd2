/* corte.c — the steps of a corte and the recovery of a killed one (see
 * corte.h). One corte at a time per store (the store's corte lock: every
 * node sharing a PostgreSQL, or every process on one SQLite data
 * directory). What is visible to the public changes only by renames: the
 * finished directory, the package, `latest`, the feed; the store changes in
 * one transaction once those files are in place. */
#include "publish/corte.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "ops/ops.h"
#include "publish/corte_int.h"
#include "publish/fsutil.h"
#include "publish/keys.h"
#include "util/hash.h"

#if defined(__has_include)
#if __has_include("publish/site.h")
#include "publish/site.h"
#define PREP_HAVE_SITE 1
#endif
#endif

const char *prep_corte_fail_after = NULL;
void (*prep_corte_step_hook)(const char *step) = NULL;
int prep_corte_kill_simulate = 0;
__thread prep_corte_times prep_corte_last_times;

static int fail_point(const char *step, prep_err *err)
{
    if (prep_corte_step_hook)
        prep_corte_step_hook(step);
    if (prep_corte_fail_after && strcmp(prep_corte_fail_after, step) == 0)
        return prep_fail(err, PREP_E_IO, "corte stopped after step '%s' (test hook)", step);
    return 0;
}

/* ---- Recorded cortes -------------------------------------------------------- */

typedef struct {
    prep_corte_info *c;
    int n, cap;
} corte_list;

static int collect_corte(void *ctx, const prep_corte_info *c)
{
    corte_list *l = ctx;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 32;
        prep_corte_info *p = realloc(l->c, sizeof *p * (size_t)cap);
        if (!p)
            return -2;
        l->c = p;
        l->cap = cap;
    }
    l->c[l->n++] = *c;
    return 0;
}

static int list_cortes(prep_store *st, corte_list *l, prep_err *err)
{
    memset(l, 0, sizeof *l);
    int rc = st->vt->corte_iter(st, collect_corte, l, err);
    if (rc == -2)
        return prep_fail(err, PREP_E_NOMEM, "out of memory listing cortes");
    return rc < 0 ? -1 : 0;
}

/* ---- Recording ---------------------------------------------------------------- */

/* The store learns of a corte in one transaction: its actas marked
 * published (marks; NULL for a corte written before they were kept), the
 * corte row, the number allocated, the bitácora entries. */
static int record(prep_store *st, const prep_catalog *cat, const prep_corte_info *info,
                  const prep_corte_marks *marks, const char *action, prep_err *err)
{
    prep_ops o = {.st = st, .cat = cat};
    char object[32], after[512], num[16];
    snprintf(object, sizeof object, "corte/%d", info->numero);
    snprintf(after, sizeof after,
             "{\"dir\":\"%s\",\"manifest_sha256\":\"%s\",\"final\":%s,\"actas\":%lld}", info->dir,
             info->manifest_sha, info->final ? "true" : "false", (long long)info->actas);
    if (prep_store_begin(st, 1, err) < 0)
        return -1;
    int rc = 0;
    if (marks)
        rc = prep_ops_publica_set(&o, &prep_actor_system, info->numero, marks->at, marks->it,
                                  marks->n, marks->fc_max, NULL, err);
    snprintf(num, sizeof num, "%d", info->numero);
    if (rc == 0)
        rc = st->vt->meta_set(st, PREP_META_CORTE_ULTIMO, num, err);
    if (rc == 0)
        rc = st->vt->corte_add(st, info, err);
    if (rc == 0)
        rc = prep_ops_log(&o, &prep_actor_system, prep_now(), action, object, "", after, err);
    if (rc == 0 && info->final)
        rc = st->vt->meta_set(st, PREP_META_CORTE_FINAL, num, err);
    if (rc == 0)
        rc = prep_store_commit(st, err);
    if (rc < 0)
        prep_store_rollback(st);
    return rc;
}

/* What a finished corte directory says about itself. */
static int read_corte_dir(const char *cortes, const char *dir, prep_corte_info *out,
                          prep_err *err)
{
    char path[PREP_PATH_CAP];
    memset(out, 0, sizeof *out);
    snprintf(path, sizeof path, "%s/%s/" PREP_MANIFEST, cortes, dir);
    char *text;
    size_t len;
    if (prep_fs_read(path, &text, &len, 0, err) < 0)
        return -1;
    prep_sha256_hex(text, len, out->manifest_sha);
    free(text);
    snprintf(path, sizeof path, "%s/%s/" PREP_CORTE_JSON, cortes, dir);
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        return prep_fail(err, PREP_E_CORRUPT, "%s: %s", path, je.text);
    out->numero = (int)json_integer_value(json_object_get(j, "numero"));
    out->at = json_integer_value(json_object_get(j, "ms"));
    out->final = json_is_true(json_object_get(j, "final"));
    out->actas = json_integer_value(json_object_get(j, "actas_registradas"));
    snprintf(out->dir, sizeof out->dir, "%s", dir);
    json_decref(j);
    if (out->numero != prep_name_corte_numero(dir))
        return prep_fail(err, PREP_E_CORRUPT, "%s: corte.json says corte %d", dir, out->numero);
    return 0;
}

static int by_numero(const void *a, const void *b)
{
    return ((const prep_corte_info *)a)->numero - ((const prep_corte_info *)b)->numero;
}

static int point_latest(const char *cortes, const char *dir, prep_err *err)
{
    char lnk[PREP_PATH_CAP], cur[PREP_PATH_CAP];
    snprintf(lnk, sizeof lnk, "%s/" PREP_LATEST, cortes);
    ssize_t n = readlink(lnk, cur, sizeof cur - 1);
    if (n >= 0) {
        cur[n] = '\0';
        if (strcmp(cur, dir) == 0)
            return 0;
    }
    return prep_fs_symlink_atomic(dir, lnk, err);
}

static int recover_locked(const char *datadir, const char *cortes, prep_store *st,
                          const prep_catalog *cat, const uint8_t *sk, prep_err *err)
{
    (void)datadir;
    DIR *d = opendir(cortes);
    if (!d)
        return prep_fail(err, PREP_E_IO, "cannot open %s: %s", cortes, strerror(errno));
    corte_list rec;
    if (list_cortes(st, &rec, err) < 0) {
        closedir(d);
        return -1;
    }
    int last = rec.n ? rec.c[rec.n - 1].numero : 0;
    prep_corte_info found[64];
    int nfound = 0, rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && rc == 0) {
        char path[PREP_PATH_CAP];
        const char *marked;
        if (strncmp(de->d_name, ".tmp-", 5) == 0) {
            rc = prep_fs_join(path, sizeof path, cortes, de->d_name, err);
            if (rc == 0)
                rc = prep_fs_rmtree(path, err);
            continue;
        }
        /* The list of a corte that never appeared, or was recorded already. */
        if (prep_marks_is_file(de->d_name, &marked)) {
            if (prep_name_corte_numero(marked) <= last ||
                prep_fs_join(path, sizeof path, cortes, marked, NULL) < 0 ||
                !prep_fs_exists(path))
                prep_marks_remove(cortes, marked);
            continue;
        }
        int num = prep_name_corte_numero(de->d_name);
        if (num <= last || nfound == (int)(sizeof found / sizeof found[0]))
            continue;
        /* A corte directory only ever appears complete (rename), signed. */
        if ((size_t)snprintf(path, sizeof path, "%s/%s/" PREP_MANIFEST_SIG, cortes, de->d_name) >=
                sizeof path ||
            !prep_fs_exists(path))
            continue;
        rc = read_corte_dir(cortes, de->d_name, &found[nfound], err);
        if (rc == 0)
            nfound++;
    }
    closedir(d);
    qsort(found, (size_t)nfound, sizeof found[0], by_numero);
    for (int i = 0; i < nfound && rc == 0; i++) {
        char zip[PREP_PATH_CAP];
        snprintf(zip, sizeof zip, "%s/" PREP_PAQUETES_DIR "/%s.json", cortes, found[i].dir);
        /* The previous recorded corte's package, if any, lends its entries. */
        if (!prep_fs_exists(zip))
            rc = prep_difusion_package(cortes, found[i].dir,
                                       rec.n ? rec.c[rec.n - 1].dir : NULL, NULL, NULL, NULL,
                                       err);
        prep_corte_marks marks;
        int have = rc == 0 ? prep_marks_read(cortes, found[i].dir, &marks, err) : -1;
        if (have < 0)
            rc = -1;
        if (rc == 0 && have == 0 && marks.numero != found[i].numero)
            rc = prep_fail(err, PREP_E_CORRUPT, "%s: publication list of corte %d", found[i].dir,
                           marks.numero);
        if (rc == 0)
            rc = record(st, cat, &found[i], have == 0 ? &marks : NULL, "corte.recupera", err);
        if (have == 0)
            prep_marks_free(&marks);
        if (rc == 0)
            prep_marks_remove(cortes, found[i].dir);
        if (rc == 0)
            rc = collect_corte(&rec, &found[i]) == 0
                     ? 0
                     : prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    if (rc == 0 && rec.n)
        rc = point_latest(cortes, rec.c[rec.n - 1].dir, err);
    if (rc == 0 && nfound && sk)
        rc = prep_difusion_feed(cortes, rec.c, rec.n, sk, err);
    free(rec.c);
    return rc;
}

/* ---- The run ----------------------------------------------------------------- */

#ifdef PREP_HAVE_SITE
/* The site's files go into the MANIFEST as they are written (hashed in the
 * site's writer threads), so the MANIFEST step need not read them back. A
 * file that cannot be recorded here is simply hashed by the scan later. */
typedef struct {
    prep_manifest *m;
    pthread_mutex_t mu;
} site_hashes;

static void on_site_file(void *ctx, const char *rel, const char sha[65], size_t len, int linked)
{
    site_hashes *h = ctx;
    char path[PREP_PATH_CAP];
    if ((size_t)snprintf(path, sizeof path, PREP_SITIO_DIR "/%s", rel) >= sizeof path)
        return;
    pthread_mutex_lock(&h->mu);
    if (prep_manifest_add_hash(h->m, path, sha, (int64_t)len, NULL) == 0)
        h->m->e[h->m->n - 1].linked = linked; /* the package copies those (difusion.c) */
    pthread_mutex_unlock(&h->mu);
}

/* The site's page index of each corte (site_reuse.c) is a private cache
 * next to the cortes, cortes/.indice-<dir>: never published (a dot name),
 * written after the corte is complete, and only the newest is kept. A
 * missing or stale one only means the next corte writes every page. */
#define INDICE_PREFIX ".indice-"

static int indice_path(const char *cortes, const char *dir, char *out, size_t cap)
{
    return (size_t)snprintf(out, cap, "%s/" INDICE_PREFIX "%s", cortes, dir) < cap ? 0 : -1;
}

/* Keep this corte's index, drop the older ones (best effort). */
static void indice_save(const char *cortes, const char *dir, const prep_buf *b)
{
    char path[PREP_PATH_CAP];
    prep_err ignored;
    if (indice_path(cortes, dir, path, sizeof path) < 0 || !b->len ||
        prep_fs_write_atomic(path, b->data, b->len, &ignored) < 0)
        return;
    DIR *d = opendir(cortes);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        if (strncmp(de->d_name, INDICE_PREFIX, sizeof INDICE_PREFIX - 1) == 0 &&
            strcmp(de->d_name + sizeof INDICE_PREFIX - 1, dir) != 0 &&
            (size_t)snprintf(path, sizeof path, "%s/%s", cortes, de->d_name) < sizeof path)
            unlink(path);
    if (d)
        closedir(d);
}

/* The extension the image was published under (prep_difusion_images named
 * it from its bytes): the first of names.h's that exists in cortes/imagenes. */
static const char *site_imagen_ext(void *ctx, const char *sha)
{
    static const char *const exts[] = {"png", "jpg", "webp", "pdf", "tif", "bin"};
    int dirfd = *(const int *)ctx;
    for (size_t i = 0; dirfd >= 0 && i < sizeof exts / sizeof exts[0]; i++) {
        char name[PREP_NAME_CAP];
        snprintf(name, sizeof name, "%.64s.%s", sha, exts[i]);
        if (faccessat(dirfd, name, F_OK, 0) == 0)
            return exts[i];
    }
    return "png";
}
#endif

/* One corte at a time across every process and node sharing the store (the
 * store's corte lock: an advisory lock on PostgreSQL, a flock on
 * cortes/.lock on SQLite). Busy = PREP_E_CONFLICT, at once. */
static int lock_cortes(prep_store *st, prep_err *err)
{
    int rc = prep_store_corte_lock(st, err);
    return rc == 0 ? 0 : -1;
}

int prep_corte_recover(const char *datadir, prep_store *st, const prep_catalog *cat,
                       prep_err *err)
{
    char cortes[PREP_PATH_CAP];
    if (prep_fs_join(cortes, sizeof cortes, datadir, PREP_CORTES_DIR, err) < 0 ||
        prep_fs_mkdirs(cortes, err) < 0 || lock_cortes(st, err) < 0)
        return -1;
    uint8_t pk[PREP_PK_LEN], sk[PREP_SK_LEN];
    int have_key = prep_keys_load(datadir, pk, sk, NULL) == 0;
    int rc = recover_locked(datadir, cortes, st, cat, have_key ? sk : NULL, err);
    sodium_memzero(sk, sizeof sk);
    prep_store_corte_unlock(st);
    return rc;
}

/* Number N, mark the verified actas published in N and read the snapshot,
 * in one write transaction that is then rolled back: the snapshot is what
 * corte N publishes, and the store is unchanged until record(). */
static int preview(prep_store *st, const prep_catalog *cat, int min_numero, prep_time at,
                   int final, prep_snapshot *snap, int64_t *publicadas, prep_err *err)
{
    char buf[32];
    if (prep_store_begin(st, 1, err) < 0)
        return -1;
    int rc = st->vt->meta_get(st, PREP_META_CORTE_FINAL, buf, sizeof buf, err);
    if (rc == 0 && buf[0])
        rc = prep_fail(err, PREP_E_STATE,
                       "publication is closed: corte %s was the final corte", buf);
    else if (rc == 1)
        rc = 0;
    long last = 0;
    if (rc == 0) {
        rc = st->vt->meta_get(st, PREP_META_CORTE_ULTIMO, buf, sizeof buf, err);
        if (rc == 1)
            rc = 0;
        else if (rc == 0)
            last = strtol(buf, NULL, 10);
    }
    int n = (int)(last > min_numero ? last : min_numero) + 1;
    prep_ops o = {.st = st, .cat = cat};
    if (rc == 0)
        rc = prep_ops_publica(&o, &prep_actor_system, n, at, publicadas, err);
    if (rc == 0)
        rc = prep_snapshot_take(st, cat, n, at, final, snap, err);
    prep_store_rollback(st);
    return rc != 0 ? -1 : 0;
}

static void cw_free(prep_cw *w)
{
    prep_manifest_free(&w->man);
    for (int e = 0; e < PREP_MAX_ELECCIONES; e++)
        prep_pub_tally_free(&w->tally[e]);
    prep_buf_free(&w->cambios);
    for (size_t i = 0; i < w->nimagenes_nuevas; i++)
        free(w->imagenes_nuevas[i]);
    free(w->imagenes_nuevas);
    for (size_t i = 0; i < w->nfaltantes; i++)
        free(w->imagenes_faltantes[i]);
    free(w->imagenes_faltantes);
    sodium_memzero(w->sk, sizeof w->sk);
}

/* The previous corte's catalog fingerprint, from its corte.json. */
static int prev_fingerprint(const char *cortes, const char *dir, char out[65])
{
    char path[PREP_PATH_CAP];
    if ((size_t)snprintf(path, sizeof path, "%s/%s/" PREP_CORTE_JSON, cortes, dir) >= sizeof path)
        return -1;
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    const char *s = j ? json_string_value(json_object_get(j, "catalogo_sha256")) : NULL;
    int ok = s && strlen(s) == 64;
    if (ok)
        memcpy(out, s, 65);
    json_decref(j);
    return ok ? 0 : -1;
}

/* Take back the public side of a corte the store did not record: `latest`
 * to the previous corte, the directory, its package and publication list.
 * Best effort: whatever stays behind complete is recorded by recovery. */
static void undo(const prep_cw *w, const char *final_dir, int moved, int renamed)
{
    prep_err ignored;
    char path[PREP_PATH_CAP];
    if (moved) {
        if (w->prev.numero)
            point_latest(w->cortes, w->prev.dir, &ignored);
        else if (prep_fs_join(path, sizeof path, w->cortes, PREP_LATEST, NULL) == 0)
            unlink(path);
    }
    if (renamed && prep_fs_rmtree(final_dir, &ignored) == 0) {
        static const char *const ext[] = {"zip", "json"};
        for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
            if ((size_t)snprintf(path, sizeof path, "%s/" PREP_PAQUETES_DIR "/%s.%s", w->cortes,
                                 w->dir, ext[i]) < sizeof path)
                unlink(path);
        prep_fs_fsync_path(w->cortes, &ignored);
    }
    if (!renamed || !prep_fs_exists(final_dir))
        prep_marks_remove(w->cortes, w->dir);
    if (w->tmp[0])
        prep_fs_rmtree(w->tmp, &ignored);
}

/* The reason a corte failed, for the people who read the bitácora. */
static const char *motivo_es(prep_errcode code)
{
    switch (code) {
    case PREP_E_NOSPACE:
        return "el disco de datos no tiene espacio: libere espacio y publique el corte de nuevo";
    case PREP_E_IO:
        return "error de disco o de la base de datos al escribir el corte; se intentará de nuevo";
    case PREP_E_NOMEM:
        return "el servidor se quedó sin memoria al escribir el corte";
    default:
        return "el corte no pudo completarse";
    }
}

/* corte.fallido in the bitácora (best effort: on a full disk even this may
 * not fit). Nothing else in the store changed. */
static void log_failure(prep_store *st, const prep_catalog *cat, int numero, const prep_err *why)
{
    prep_ops o = {.st = st, .cat = cat};
    prep_err ignored;
    char object[32];
    snprintf(object, sizeof object, "corte/%d", numero);
    json_t *j = json_pack("{s:s,s:s,s:s}", "motivo", motivo_es(why->code), "codigo",
                          prep_errcode_name(why->code), "detalle", why->msg);
    char *after = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (after && prep_store_begin(st, 1, &ignored) == 0 &&
        (prep_ops_log(&o, &prep_actor_system, prep_now(), "corte.fallido", object, "", after,
                      &ignored) < 0 ||
         prep_store_commit(st, &ignored) < 0))
        prep_store_rollback(st);
    free(after);
}

int prep_corte_run(const char *datadir, prep_store *st, const prep_catalog *cat, int final,
                   prep_corte_info *out, prep_err *err)
{
    prep_corte_times *tm = &prep_corte_last_times;
    memset(tm, 0, sizeof *tm);
    double t_start = prep_cw_ms();
    prep_cw w;
    memset(&w, 0, sizeof w);
    w.datadir = datadir;
    w.cat = cat;
    prep_manifest_init(&w.man);
    prep_buf_init(&w.cambios);
    if (prep_fs_join(w.cortes, sizeof w.cortes, datadir, PREP_CORTES_DIR, err) < 0 ||
        prep_fs_mkdirs(w.cortes, err) < 0)
        return -1;
    /* The key first: without it nothing may be marked published. */
    if (prep_keys_load(datadir, w.pk, w.sk, err) < 0)
        return -1;
    if (lock_cortes(st, err) < 0) {
        cw_free(&w);
        return -1;
    }
    prep_snapshot snap;
    memset(&snap, 0, sizeof snap);
    corte_list rec = {0};
    char manifest_sha[65] = "", final_dir[PREP_PATH_CAP] = "";
    prep_buf indice; /* this corte's page index (site_reuse.c) */
    prep_buf_init(&indice);
    int rc = recover_locked(datadir, w.cortes, st, cat, w.sk, err);
    if (rc == 0)
        rc = list_cortes(st, &rec, err);
    if (rc == 0 && rec.n) {
        w.prev = rec.c[rec.n - 1];
        char fp[65];
        prep_catalog_fingerprint(cat, w.fingerprint);
        w.prev_same_catalog = prev_fingerprint(w.cortes, w.prev.dir, fp) == 0 &&
                              strcmp(fp, w.fingerprint) == 0;
    } else {
        prep_catalog_fingerprint(cat, w.fingerprint);
    }
    prep_time at = prep_now();
    if (rc == 0) {
        double t0 = prep_cw_ms();
        rc = preview(st, cat, w.prev.numero, at, final, &snap, &w.publicadas, err);
        tm->snapshot = prep_cw_ms() - t0;
    }
    if (rc == 0)
        rc = fail_point("snapshot", err);
    if (rc == 0) {
        char iso[32];
        prep_time_fmt_iso(rec.n ? rec.c[0].at : at, iso);
        snprintf(w.fecha, sizeof w.fecha, "%.10s", iso);
        char cada[32];
        if (st->vt->meta_get(st, PREP_META_CORTE_CADA, cada, sizeof cada, NULL) == 0 &&
            atoi(cada) > 0)
            w.next_due = at + (prep_time)atoi(cada) * 60000;
        prep_name_corte_dir(snap.numero, at, w.dir);
        if ((size_t)snprintf(w.tmp, sizeof w.tmp, "%s/.tmp-%s", w.cortes, w.dir) >= sizeof w.tmp ||
            (size_t)snprintf(final_dir, sizeof final_dir, "%s/%s", w.cortes, w.dir) >=
                sizeof final_dir)
            rc = prep_fail(err, PREP_E_INVALID, "data directory path too long");
        if (rc == 0)
            rc = prep_fs_rmtree(w.tmp, err);
        if (rc == 0)
            rc = prep_fs_mkdirs(w.tmp, err);
    }
    if (rc == 0) {
        double t0 = prep_cw_ms();
        rc = prep_difusion_images(&w, &snap, w.prev.numero, err);
        tm->images = prep_cw_ms() - t0;
    }
    if (rc == 0)
        rc = prep_cw_write_files(&w, &snap, err);
#ifdef PREP_HAVE_SITE
    if (rc == 0) {
        double t0 = prep_cw_ms();
        prep_site_stats st_site = {0};
        site_hashes hashes = {.m = &w.man};
        pthread_mutex_init(&hashes.mu, NULL);
        char img_dir[PREP_PATH_CAP];
        int img_fd = prep_fs_join(img_dir, sizeof img_dir, w.cortes, PREP_IMAGENES_DIR, NULL) == 0
                         ? open(img_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                         : -1;
        prep_site_opts so = {.proximo = final ? 0 : w.next_due, .catalogo_sha = w.fingerprint,
                             .stats = &st_site, .on_file = on_site_file,
                             .on_file_ctx = &hashes, .imagen_ext = site_imagen_ext,
                             .imagen_ext_ctx = &img_fd, .indice = &indice};
        /* Pages unchanged since the previous corte are linked from it. */
        char site_dir[PREP_PATH_CAP], prev_site[PREP_PATH_CAP], prev_idx[PREP_PATH_CAP];
        char *prev_text = NULL;
        size_t prev_len = 0;
        if (w.prev.numero && w.prev_same_catalog &&
            (size_t)snprintf(prev_site, sizeof prev_site, "%s/%s/" PREP_SITIO_DIR, w.cortes,
                             w.prev.dir) < sizeof prev_site) {
            prep_err ignored;
            if (indice_path(w.cortes, w.prev.dir, prev_idx, sizeof prev_idx) == 0 &&
                prep_fs_read(prev_idx, &prev_text, &prev_len, 0, &ignored) == 0) {
                so.previo_dir = prev_site;
                so.indice_previo = prev_text;
                so.indice_previo_len = prev_len;
            }
        }
        rc = prep_fs_join(site_dir, sizeof site_dir, w.tmp, PREP_SITIO_DIR, err);
        if (rc == 0)
            rc = prep_site_write(&snap, site_dir, &so, err);
        free(prev_text);
        tm->site_linked = st_site.enlazados;
        tm->site_files = st_site.archivos;
        pthread_mutex_destroy(&hashes.mu);
        if (img_fd >= 0)
            close(img_fd);
        tm->site = prep_cw_ms() - t0;
    }
#endif
    if (rc == 0)
        rc = fail_point("files", err);
    if (rc == 0)
        rc = prep_cw_manifest(&w, manifest_sha, err);
    if (rc == 0)
        rc = fail_point("manifest", err);
    /* What the store will mark, kept durably before the directory appears. */
    prep_corte_marks marks;
    memset(&marks, 0, sizeof marks);
    if (rc == 0)
        rc = prep_marks_from_snapshot(&snap, &marks, err);
    if (rc == 0)
        rc = prep_marks_write(w.cortes, w.dir, &marks, err);
    int renamed = 0, moved = 0, recorded = 0;
    if (rc == 0) {
        double t0 = prep_cw_ms();
        rc = prep_fs_syncfs(w.tmp, err);
        if (rc == 0 && rename(w.tmp, final_dir) < 0)
            rc = prep_fail(err, prep_errno_code(errno), "cannot rename %s to %s: %s", w.tmp,
                           final_dir, strerror(errno));
        renamed = rc == 0;
        if (rc == 0)
            rc = prep_fs_fsync_path(w.cortes, err);
        tm->sync = prep_cw_ms() - t0;
    }
    if (rc == 0)
        rc = fail_point("rename", err);
    prep_corte_info info;
    memset(&info, 0, sizeof info);
    if (rc == 0) {
        double t0 = prep_cw_ms();
        rc = prep_difusion_package(w.cortes, w.dir, w.prev.numero ? w.prev.dir : NULL, &w.man,
                                   &tm->bytes_package, &tm->package_reused, err);
        tm->package = prep_cw_ms() - t0;
    }
    if (rc == 0)
        rc = fail_point("package", err);
    if (rc == 0) {
        rc = point_latest(w.cortes, w.dir, err);
        moved = rc == 0;
    }
    if (rc == 0)
        rc = fail_point("latest", err);
    if (rc == 0) {
        info.numero = snap.numero;
        info.at = at;
        info.final = final ? 1 : 0;
        snprintf(info.dir, sizeof info.dir, "%s", w.dir);
        memcpy(info.manifest_sha, manifest_sha, 65);
        for (int e = 0; e < cat->nelecciones; e++)
            info.actas += snap.el[e].n + snap.el[e].nfc;
        rc = record(st, cat, &info, &marks, "corte", err);
        recorded = rc == 0;
    }
    prep_marks_free(&marks);
    if (recorded) {
        prep_marks_remove(w.cortes, w.dir);
        indice_save(w.cortes, w.dir, &indice);
        rc = fail_point("record", err);
    }
    if (rc == 0) {
        double t0 = prep_cw_ms();
        rc = collect_corte(&rec, &info) == 0 ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
        if (rc == 0)
            rc = prep_difusion_feed(w.cortes, rec.c, rec.n, w.sk, err);
        tm->feed = prep_cw_ms() - t0;
    }
    /* A corte the store did not record leaves nothing behind but the
     * bitácora's note of the failed attempt. */
    if (rc != 0 && !recorded && snap.numero && !prep_corte_kill_simulate) {
        undo(&w, final_dir, moved, renamed);
        log_failure(st, cat, snap.numero, err);
    }
    if (rc == 0 && out)
        *out = info;
    free(rec.c);
    prep_buf_free(&indice);
    prep_snapshot_free(&snap);
    cw_free(&w);
    prep_store_corte_unlock(st);
    tm->total = prep_cw_ms() - t_start;
    return rc;
}
