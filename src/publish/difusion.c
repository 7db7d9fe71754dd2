/* difusion.c — what difusores pull: acta images published under
 * DATADIR/cortes/imagenes/ (content-addressed, hard links into the image
 * store), one deterministic ZIP package per corte in paquetes/ with its feed
 * entry, and feed.json (signed as feed.sig) listing every corte. Reads only
 * finished corte directories; never modifies one. A package copies the
 * compressed entries of the previous corte's package for the files the
 * two cortes share (hard links: same inode) instead of deflating them. */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "images/imgstore.h"
#include "publish/corte_int.h"
#include "publish/fsutil.h"
#include "publish/keys.h"
#include "publish/zipw.h"
#include "util/hash.h"

/* Deflate level of difusor packages: fast; the databases inside are also
 * shipped already compressed in their own ZIPs. */
#define PACKAGE_LEVEL 1

/* snprintf into a path buffer, failing (PREP_E_INVALID) when it does not fit. */
static int pathf(char *out, size_t cap, prep_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int pathf(char *out, size_t cap, prep_err *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap)
        return prep_fail(err, PREP_E_INVALID, "path too long: %s", out);
    return 0;
}

/* Inside a function with `int rc` and `prep_err *err`: format, and turn a
 * path that does not fit into an error (rc = -1); later steps check rc. */
#define PATHF(buf, cap, e, ...)                                                                \
    do {                                                                                       \
        if (rc == 0)                                                                           \
            rc = pathf(buf, cap, e, __VA_ARGS__);                                              \
    } while (0)

/* ---- Images --------------------------------------------------------------- */

/* The image store's file for sha (images/imgstore.h), if it is there. */
static int find_image(const char *datadir, const char *sha, char *out, size_t cap)
{
    struct stat sb;
    if (prep_img_path(datadir, sha, out, cap, NULL) < 0)
        return -1;
    return stat(out, &sb) == 0 && S_ISREG(sb.st_mode) ? 0 : -1;
}

static int push_str(char ***arr, size_t *n, size_t *cap, const char *s)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        char **a = realloc(*arr, c * sizeof *a);
        if (!a)
            return -1;
        *arr = a;
        *cap = c;
    }
    if (!((*arr)[*n] = strdup(s)))
        return -1;
    (*n)++;
    return 0;
}

int prep_difusion_images(prep_cw *w, const prep_snapshot *s, int after, prep_err *err)
{
    char dst_dir[PREP_PATH_CAP];
    if (prep_fs_join(dst_dir, sizeof dst_dir, w->cortes, PREP_IMAGENES_DIR, err) < 0 ||
        prep_fs_mkdirs(dst_dir, err) < 0)
        return -1;
    int created_any = 0;
    for (int e = 0; e < s->cat->nelecciones; e++) {
        const prep_snap_eleccion *se = &s->el[e];
        for (int i = 0; i < se->n; i++) {
            const prep_acta *a = &se->actas[i].acta;
            if (!a->imagen[0] || a->corte <= after)
                continue;
            char src[PREP_PATH_CAP], rel[PREP_NAME_CAP], dst[PREP_PATH_CAP];
            if (find_image(w->datadir, a->imagen, src, sizeof src) < 0) {
                if (push_str(&w->imagenes_faltantes, &w->nfaltantes, &w->cap_faltantes,
                             a->imagen) < 0)
                    return prep_fail(err, PREP_E_NOMEM, "out of memory");
                continue;
            }
            unsigned char head[16];
            size_t nh = 0;
            int fd = open(src, O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                ssize_t r = read(fd, head, sizeof head);
                nh = r > 0 ? (size_t)r : 0;
                close(fd);
            }
            prep_path_imagen(a->imagen, prep_image_ext(head, nh), rel);
            if (prep_fs_join(dst, sizeof dst, w->cortes, rel, err) < 0)
                return -1;
            int created;
            if (prep_fs_link_or_copy(src, dst, &created, err) < 0)
                return -1;
            if (created) {
                created_any = 1;
                if (push_str(&w->imagenes_nuevas, &w->nimagenes_nuevas, &w->cap_imagenes, rel) <
                    0)
                    return prep_fail(err, PREP_E_NOMEM, "out of memory");
            }
        }
    }
    /* Published images must be durable before a corte that shows them. */
    return created_any ? prep_fs_fsync_path(dst_dir, err) : 0;
}

/* ---- Package -------------------------------------------------------------- */

static int hash_path(const char *path, char sha[65], int64_t *size, prep_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot read %s: %s", path, strerror(errno));
    prep_sha256_ctx st;
    prep_sha256_init(&st);
    unsigned char *buf = malloc(1 << 20);
    int64_t total = 0;
    int rc = buf ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
    while (rc == 0) {
        ssize_t r = read(fd, buf, 1 << 20);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            rc = prep_fail(err, PREP_E_IO, "cannot read %s: %s", path, strerror(errno));
        if (r <= 0)
            break;
        prep_sha256_update(&st, buf, (size_t)r);
        total += r;
    }
    close(fd);
    free(buf);
    unsigned char out[32];
    prep_sha256_final(&st, out);
    if (rc < 0)
        return -1;
    prep_hex(out, 32, sha);
    *size = total;
    return 0;
}

static json_t *load_json(const char *path, prep_err *err)
{
    json_error_t je;
    json_t *j = json_load_file(path, 0, &je);
    if (!j)
        prep_fail(err, PREP_E_CORRUPT, "%s: %s (line %d)", path, je.text, je.line);
    return j;
}

/* The previous corte's package, to copy entries from, or NULL when it
 * cannot be trusted: missing, not opening, or not the bytes its feed entry
 * paquetes/<prev>.json hashes (a raw copy is not inflated, so corrupt data
 * would pass into the new package unnoticed). Never an error: without it
 * the package is simply deflated in full. */
static prep_zipr *open_prev(const char *pk_dir, const char *prev_dir)
{
    char path[PREP_PATH_CAP], sha[65];
    prep_err ignored;
    int64_t size;
    prep_zipr *r = NULL;
    if (pathf(path, sizeof path, &ignored, "%s/%s.json", pk_dir, prev_dir) < 0)
        return NULL;
    json_t *entry = json_load_file(path, 0, NULL);
    json_t *pq = json_object_get(entry, "paquete");
    const char *want = json_string_value(json_object_get(pq, "sha256"));
    json_int_t want_bytes = json_integer_value(json_object_get(pq, "bytes"));
    if (want && pathf(path, sizeof path, &ignored, "%s/%s.zip", pk_dir, prev_dir) == 0 &&
        hash_path(path, sha, &size, &ignored) == 0 && strcmp(sha, want) == 0 &&
        size == want_bytes && prep_zipr_open(&r, path, &ignored) < 0)
        r = NULL;
    json_decref(entry);
    return r;
}

/* 1 when the corte's file at path is the previous corte's very file rel
 * (same device and inode: hard-linked from it), with its size. */
static int same_file(const char *cortes, const char *prev_dir, const char *path, const char *rel,
                     int64_t *size)
{
    char ppath[PREP_PATH_CAP];
    prep_err ignored;
    struct stat a, b;
    if (pathf(ppath, sizeof ppath, &ignored, "%s/%s/%s", cortes, prev_dir, rel) < 0 ||
        stat(path, &a) < 0 || stat(ppath, &b) < 0 || !S_ISREG(a.st_mode) ||
        a.st_dev != b.st_dev || a.st_ino != b.st_ino)
        return 0;
    *size = (int64_t)a.st_size;
    return 1;
}

/* Add the file rel (of `size` bytes) as a copy of the previous package's
 * entry for it, when that entry is there under prev_dir with that size,
 * stored or not as this name asks: 1 if copied, 0 to deflate it. */
static int add_reused(prep_zipw *z, prep_zipr *prev, const char *prev_dir, const char *rel,
                      const char *name, int level, int64_t size)
{
    char pname[PREP_PATH_CAP];
    prep_err ignored;
    int64_t psize;
    int stored;
    if (pathf(pname, sizeof pname, &ignored, "%s/%s", prev_dir, rel) < 0)
        return 0;
    int64_t idx = prep_zipr_find(prev, pname, &psize, &stored);
    if (idx < 0 || psize != size || stored != (level == PREP_ZIP_STORE))
        return 0;
    return prep_zipw_add_copy(z, name, prev, idx, level, &ignored) == 0;
}

/* Whether the file rel was linked from the previous corte, and its size:
 * from `known` (walked in step with the sorted MANIFEST, *k its position)
 * when there is one, else by comparing inodes. */
static int linked_from_prev(const prep_manifest *known, size_t *k, const char *cortes,
                            const char *prev_dir, const char *path, const char *rel,
                            int64_t *size)
{
    if (!known)
        return same_file(cortes, prev_dir, path, rel, size);
    while (*k < known->n && strcmp(known->e[*k].path, rel) < 0)
        (*k)++;
    if (*k >= known->n || strcmp(known->e[*k].path, rel) != 0 || !known->e[*k].linked)
        return 0;
    *size = known->e[*k].size;
    return 1;
}

int prep_difusion_package(const char *cortes, const char *dir, const char *prev_dir,
                          const prep_manifest *known, int64_t *bytes, int64_t *reused,
                          prep_err *err)
{
    char root[PREP_PATH_CAP], path[PREP_PATH_CAP], pk_dir[PREP_PATH_CAP], zpath[PREP_PATH_CAP],
        name[PREP_PATH_CAP];
    int rc = 0;
    PATHF(root, sizeof root, err, "%s/%s", cortes, dir);
    PATHF(pk_dir, sizeof pk_dir, err, "%s/" PREP_PAQUETES_DIR, cortes);
    PATHF(zpath, sizeof zpath, err, "%s/%s.zip", pk_dir, dir);
    PATHF(path, sizeof path, err, "%s/" PREP_MANIFEST, root);
    if (rc < 0 || prep_fs_mkdirs(pk_dir, err) < 0)
        return -1;

    char *mtext = NULL;
    size_t mlen = 0;
    prep_manifest m;
    prep_manifest_init(&m);
    if (prep_fs_read(path, &mtext, &mlen, 0, err) < 0)
        return -1;
    rc = prep_manifest_parse(mtext, mlen, &m, err);
    char manifest_sha[65];
    prep_sha256_hex(mtext, mlen, manifest_sha);
    free(mtext);
    json_t *corte = NULL, *cambios = NULL;
    PATHF(path, sizeof path, err, "%s/" PREP_CORTE_JSON, root);
    if (rc == 0 && !(corte = load_json(path, err)))
        rc = -1;
    PATHF(path, sizeof path, err, "%s/" PREP_CAMBIOS_JSON, root);
    if (rc == 0 && !(cambios = load_json(path, err)))
        rc = -1;
    json_t *imgs = cambios ? json_object_get(cambios, "imagenes_nuevas") : NULL;
    prep_time at = corte ? json_integer_value(json_object_get(corte, "ms")) : 0;
    prep_zipw *z = NULL;
    /* The previous package is opened (and hashed) at the first file shared
     * with the previous corte, not at all when there is none. */
    prep_zipr *prev = NULL;
    int prev_state = prev_dir && strcmp(prev_dir, dir) != 0 ? 0 : -1; /* 1 open, -1 none */
    int64_t nreused = 0, fsize = 0;
    size_t kk = 0;
    if (known && !known->sorted)
        known = NULL; /* only a sorted MANIFEST can be walked in step */
    if (rc == 0)
        rc = prep_zipw_open(&z, zpath, at, err);
    for (size_t i = 0; rc == 0 && i < m.n; i++) {
        PATHF(path, sizeof path, err, "%s/%s", root, m.e[i].path);
        PATHF(name, sizeof name, err, "%s/%s", dir, m.e[i].path);
        int level = prep_zipw_level_for(name, PACKAGE_LEVEL);
        if (rc == 0 && prev_state >= 0 &&
            linked_from_prev(known, &kk, cortes, prev_dir, path, m.e[i].path, &fsize)) {
            if (prev_state == 0)
                prev_state = (prev = open_prev(pk_dir, prev_dir)) ? 1 : -1;
            if (prev && add_reused(z, prev, prev_dir, m.e[i].path, name, level, fsize)) {
                nreused++;
                continue;
            }
        }
        if (rc == 0)
            rc = prep_zipw_add_file(z, name, path, level, err);
    }
    const char *tail[] = {PREP_MANIFEST, PREP_MANIFEST_SIG};
    for (size_t i = 0; rc == 0 && i < 2; i++) {
        PATHF(path, sizeof path, err, "%s/%s", root, tail[i]);
        PATHF(name, sizeof name, err, "%s/%s", dir, tail[i]);
        rc = prep_zipw_add_file(z, name, path, PACKAGE_LEVEL, err);
    }
    size_t k;
    json_t *v;
    json_array_foreach(imgs, k, v)
    {
        const char *rel = json_string_value(v);
        if (rc < 0 || !rel)
            break;
        if (!prep_manifest_path_ok(rel) || strncmp(rel, PREP_IMAGENES_DIR "/", 9) != 0) {
            rc = prep_fail(err, PREP_E_CORRUPT, "%s: bad image path '%s'", dir, rel);
            break;
        }
        PATHF(path, sizeof path, err, "%s/%s", cortes, rel);
        rc = prep_zipw_add_file(z, rel, path, PREP_ZIP_STORE, err);
    }
    if (rc == 0) {
        rc = prep_zipw_close(z, err);
        z = NULL;
    }
    prep_zipw_discard(z);
    prep_zipr_close(prev); /* after the archive that copied from it */
    prep_manifest_free(&m);
    char sha[65];
    int64_t size = 0;
    if (rc == 0)
        rc = prep_fs_fsync_path(zpath, err);
    if (rc == 0)
        rc = hash_path(zpath, sha, &size, err);
    if (rc == 0) {
        char rel[PREP_PATH_CAP];
        PATHF(rel, sizeof rel, err, PREP_PAQUETES_DIR "/%s.zip", dir);
        json_t *entry = json_pack(
            "{s:O, s:O, s:O, s:s, s:O, s:s, s:{s:s, s:s, s:I}, s:I, s:O, s:s}", "numero",
            json_object_get(corte, "numero"), "fecha", json_object_get(corte, "fecha"), "final",
            json_object_get(corte, "final"), "dir", dir, "corte_anterior",
            json_object_get(cambios, "corte_anterior"), "manifest_sha256", manifest_sha,
            "paquete", "archivo", rel, "sha256", sha, "bytes", (json_int_t)size,
            "imagenes_nuevas_en_paquete", (json_int_t)json_array_size(imgs), "cambios",
            json_object_get(cambios, "elecciones"), "cambios_archivo", "");
        char crel[PREP_PATH_CAP];
        PATHF(crel, sizeof crel, err, "%s/" PREP_CAMBIOS_JSON, dir);
        if (entry)
            json_object_set_new(entry, "cambios_archivo", json_string(crel));
        char *text = entry ? json_dumps(entry, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(entry);
        PATHF(path, sizeof path, err, "%s/%s.json", pk_dir, dir);
        rc = text ? prep_fs_write_atomic(path, text, strlen(text), err)
                  : prep_fail(err, PREP_E_CORRUPT, "%s: corte.json or cambios.json incomplete",
                              dir);
        free(text);
    }
    if (rc == 0)
        rc = prep_fs_fsync_path(pk_dir, err);
    json_decref(corte);
    json_decref(cambios);
    if (bytes)
        *bytes = size;
    if (reused)
        *reused = rc == 0 ? nreused : 0;
    return rc;
}

/* ---- Feed ----------------------------------------------------------------- */

int prep_difusion_feed(const char *cortes, const prep_corte_info *list, int n,
                       const uint8_t sk[64], prep_err *err)
{
    json_t *root = json_object(), *arr = json_array();
    char path[PREP_PATH_CAP], iso[32], pkh[65];
    uint8_t pk[32];
    int rc = 0;
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    prep_hex(pk, 32, pkh);
    prep_time_fmt_iso(prep_now(), iso);
    json_object_set_new(root, "formato", json_integer(1));
    json_object_set_new(root, "generado", json_string(iso));
    json_object_set_new(root, "latest", n ? json_string(list[n - 1].dir) : json_null());
    json_object_set_new(root, "clave_publica_ed25519", json_string(pkh));
    for (int i = 0; i < n; i++) {
        PATHF(path, sizeof path, err, "%s/" PREP_PAQUETES_DIR "/%s.json", cortes, list[i].dir);
        json_error_t je;
        json_t *entry = json_load_file(path, 0, &je);
        if (!entry) {
            /* No package (yet): list the corte with what the store knows. */
            prep_time_fmt_iso(list[i].at, iso);
            entry = json_pack("{s:i, s:s, s:b, s:s, s:s, s:n}", "numero", list[i].numero, "fecha",
                              iso, "final", list[i].final, "dir", list[i].dir, "manifest_sha256",
                              list[i].manifest_sha, "paquete");
        }
        json_array_append_new(arr, entry);
    }
    json_object_set_new(root, "cortes", arr);
    char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (!text)
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing the feed");
    size_t len = strlen(text);
    uint8_t sig[PREP_SIG_LEN];
    char hex[2 * PREP_SIG_LEN + 2];
    prep_sign(sk, text, len, sig);
    prep_hex(sig, sizeof sig, hex);
    strcat(hex, "\n");
    PATHF(path, sizeof path, err, "%s/" PREP_FEED, cortes);
    if (rc == 0)
        rc = prep_fs_write_atomic(path, text, len, err);
    free(text);
    PATHF(path, sizeof path, err, "%s/feed.sig", cortes);
    if (rc == 0)
        rc = prep_fs_write_atomic(path, hex, strlen(hex), err);
    return rc;
}
