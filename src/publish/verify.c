/* verify.c — `prep verify` without the printing (see verify.h). A corte is
 * read through a small source that is either the corte directory or the
 * "<dir>/" subtree of a difusor package (libzip), so every check is written
 * once. Order: signature, file list and hashes, corte.json, catalog, then
 * per election the CSV recomputation, the candidaturas and the ZIP. */
#include "publish/verify.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <zip.h>

#include "catalog/catalog_io.h"
#include "core/tally.h"
#include "publish/csv_check.h"
#include "publish/csv_out.h"
#include "publish/fsutil.h"
#include "publish/manifest.h"
#include "publish/names.h"
#include "util/buf.h"
#include "util/hash.h"

#define VPATH 4096

typedef struct {
    char root[VPATH];            /* directory mode: the corte directory */
    zip_t *z;                    /* package mode */
    char prefix[PREP_NAME_CAP + 2]; /* "<dir>/" inside the package */
    char dir[PREP_NAME_CAP];     /* the corte directory name */
} vsrc;

/* ---- Reading the source ---------------------------------------------------- */

static int zip_entry(vsrc *s, const char *name, zip_int64_t *idx, prep_err *err)
{
    *idx = zip_name_locate(s->z, name, ZIP_FL_ENC_RAW);
    if (*idx < 0)
        return prep_fail(err, PREP_E_NOT_FOUND, "%s is missing from the package", name);
    return 0;
}

/* Read a zip entry whole (NUL appended). */
static int zip_read_index(zip_t *z, zip_int64_t idx, const char *label, char **data, size_t *len,
                          prep_err *err)
{
    zip_stat_t zs;
    if (zip_stat_index(z, (zip_uint64_t)idx, 0, &zs) < 0 || !(zs.valid & ZIP_STAT_SIZE))
        return prep_fail(err, PREP_E_CORRUPT, "%s: %s", label, zip_strerror(z));
    char *buf = malloc((size_t)zs.size + 1);
    zip_file_t *f = buf ? zip_fopen_index(z, (zip_uint64_t)idx, 0) : NULL;
    if (!f) {
        free(buf);
        return buf ? prep_fail(err, PREP_E_CORRUPT, "%s: %s", label, zip_strerror(z))
                   : prep_fail(err, PREP_E_NOMEM, "out of memory reading %s", label);
    }
    zip_int64_t n = zip_fread(f, buf, zs.size);
    int bad = n < 0 || (zip_uint64_t)n != zs.size;
    if (bad)
        prep_fail(err, PREP_E_CORRUPT, "%s: %s", label, zip_file_strerror(f));
    zip_fclose(f);
    if (bad) {
        free(buf);
        return -1;
    }
    buf[zs.size] = '\0';
    *data = buf;
    *len = (size_t)zs.size;
    return 0;
}

/* A file of the corte by its path relative to the corte root. */
static int src_read(vsrc *s, const char *rel, char **data, size_t *len, prep_err *err)
{
    char path[VPATH];
    if (!s->z) {
        if (prep_fs_join(path, sizeof path, s->root, rel, err) < 0)
            return -1;
        return prep_fs_read(path, data, len, 0, err);
    }
    zip_int64_t idx;
    snprintf(path, sizeof path, "%s%s", s->prefix, rel);
    if (zip_entry(s, path, &idx, err) < 0)
        return -1;
    return zip_read_index(s->z, idx, path, data, len, err);
}

/* SHA-256 of a zip entry, streamed. */
static int zip_hash_index(zip_t *z, zip_int64_t idx, const char *label, char sha[65],
                          int64_t *size, prep_err *err)
{
    zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
    if (!f)
        return prep_fail(err, PREP_E_CORRUPT, "%s: %s", label, zip_strerror(z));
    prep_sha256_ctx st;
    prep_sha256_init(&st);
    static __thread unsigned char buf[1 << 16];
    int64_t total = 0;
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0) {
        prep_sha256_update(&st, buf, (size_t)n);
        total += n;
    }
    if (n < 0) {
        prep_fail(err, PREP_E_CORRUPT, "%s: %s", label, zip_file_strerror(f));
        zip_fclose(f);
        prep_sha256_discard(&st);
        return -1;
    }
    zip_fclose(f);
    unsigned char out[32];
    prep_sha256_final(&st, out);
    prep_hex(out, sizeof out, sha);
    *size = total;
    return 0;
}

static int is_root_sig_file(const char *rel)
{
    return strcmp(rel, PREP_MANIFEST) == 0 || strcmp(rel, PREP_MANIFEST_SIG) == 0;
}

/* Package mode: what is really in the package, hashed; acta images
 * (imagenes/<sha>.<ext>) are checked against their own names. */
static int zip_actual(vsrc *s, prep_manifest *m, long *images, prep_err *err)
{
    zip_int64_t n = zip_get_num_entries(s->z, 0);
    size_t plen = strlen(s->prefix);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(s->z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        if (!name)
            return prep_fail(err, PREP_E_CORRUPT, "package entry %lld: %s", (long long)i,
                             zip_strerror(s->z));
        char sha[65];
        int64_t size;
        if (strncmp(name, PREP_IMAGENES_DIR "/", sizeof PREP_IMAGENES_DIR) == 0) {
            const char *stem = name + sizeof PREP_IMAGENES_DIR;
            char want[65];
            snprintf(want, sizeof want, "%.64s", stem);
            if (!prep_is_sha256_hex(want) || stem[64] != '.' || strchr(stem + 65, '/'))
                return prep_fail(err, PREP_E_CORRUPT,
                                 "%s: an image of the package must be imagenes/<sha256>.<ext>",
                                 name);
            if (zip_hash_index(s->z, i, name, sha, &size, err) < 0)
                return -1;
            if (strcmp(sha, want) != 0)
                return prep_fail(err, PREP_E_HASH, "%s: the image's SHA-256 is %s", name, sha);
            (*images)++;
            continue;
        }
        if (strncmp(name, s->prefix, plen) != 0)
            return prep_fail(err, PREP_E_CORRUPT,
                             "%s: the package holds a file outside %s and imagenes/", name,
                             s->prefix);
        const char *rel = name + plen;
        if (is_root_sig_file(rel))
            continue;
        if (zip_hash_index(s->z, i, name, sha, &size, err) < 0 ||
            prep_manifest_add_hash(m, rel, sha, size, err) < 0)
            return -1;
    }
    return 0;
}

/* ---- Checks --------------------------------------------------------------- */

/* Exactly hex(len) + "\n". */
static int read_hex_file(vsrc *s, const char *rel, uint8_t *bin, size_t len, prep_err *err)
{
    char *text;
    size_t n;
    if (src_read(s, rel, &text, &n, err) < 0)
        return -1;
    int ok = n == 2 * len + 1 && text[2 * len] == '\n';
    if (ok) {
        text[2 * len] = '\0';
        ok = prep_unhex(text, bin, len) == 0;
    }
    free(text);
    if (!ok)
        return prep_fail(err, PREP_E_CORRUPT, "%s is not %zu hexadecimal characters and a newline",
                         rel, 2 * len);
    return 0;
}

static int check_signature(vsrc *s, const uint8_t *pk_given, prep_manifest *claimed,
                           prep_verify_result *out, prep_err *err)
{
    uint8_t pk[PREP_PK_LEN], sig[PREP_SIG_LEN];
    if (read_hex_file(s, PREP_CORTE_PUB, pk, sizeof pk, err) < 0 ||
        read_hex_file(s, PREP_MANIFEST_SIG, sig, sizeof sig, err) < 0)
        return -1;
    char hex[2 * PREP_PK_LEN + 1];
    if (pk_given) {
        out->key_given = 1;
        if (memcmp(pk, pk_given, sizeof pk) != 0) {
            prep_hex(pk, sizeof pk, hex);
            return prep_fail(err, PREP_E_CORRUPT,
                             "corte.pub is %s, not the key given: this corte was not published "
                             "with that key",
                             hex);
        }
    }
    prep_hex(pk, sizeof pk, out->pk_hex);
    char *text;
    size_t len;
    if (src_read(s, PREP_MANIFEST, &text, &len, err) < 0)
        return -1;
    prep_sha256_hex(text, len, out->manifest_sha);
    int rc = 0;
    if (prep_sign_verify(pk, text, len, sig) < 0)
        rc = prep_fail(err, PREP_E_CORRUPT,
                       "MANIFEST.sig is not a valid Ed25519 signature of MANIFEST by %s %s",
                       pk_given ? "the key given" : "the key in corte.pub", out->pk_hex);
    if (rc == 0 && prep_manifest_parse(text, len, claimed, err) < 0) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        rc = prep_fail(err, PREP_E_CORRUPT, "MANIFEST: %s", msg);
    }
    free(text);
    return rc;
}

/* Both sorted: every listed file present with its hash, nothing else. */
static int compare_files(const prep_manifest *claimed, const prep_manifest *actual,
                         prep_err *err)
{
    size_t i = 0, j = 0;
    while (i < claimed->n || j < actual->n) {
        int c = i == claimed->n   ? 1
                : j == actual->n  ? -1
                                  : strcmp(claimed->e[i].path, actual->e[j].path);
        if (c < 0)
            return prep_fail(err, PREP_E_NOT_FOUND, "%s is listed in the MANIFEST but missing",
                             claimed->e[i].path);
        if (c > 0)
            return prep_fail(err, PREP_E_CORRUPT, "%s is not listed in the MANIFEST",
                             actual->e[j].path);
        if (strcmp(claimed->e[i].sha, actual->e[j].sha) != 0)
            return prep_fail(err, PREP_E_HASH, "%s: SHA-256 is %s, the MANIFEST says %s",
                             actual->e[j].path, actual->e[j].sha, claimed->e[i].sha);
        i++;
        j++;
    }
    return 0;
}

/* The catalog the corte counted with (catalogo/), checked against the
 * fingerprint corte.json records. Package mode extracts it to a temp dir. */
static int load_catalog(vsrc *s, const prep_manifest *claimed, const char *want_sha,
                        prep_catalog *cat, prep_err *err)
{
    char dir[VPATH], tmp[] = "/tmp/prep-verify-XXXXXX";
    int rc = 0;
    if (!s->z) {
        rc = prep_fs_join(dir, sizeof dir, s->root, PREP_CATALOGO_DIR, err);
    } else {
        if (!mkdtemp(tmp))
            return prep_fail(err, PREP_E_IO, "cannot make a temporary directory: %s",
                             strerror(errno));
        snprintf(dir, sizeof dir, "%s", tmp);
        const char *pre = PREP_CATALOGO_DIR "/";
        for (size_t i = 0; rc == 0 && i < claimed->n; i++) {
            const char *rel = claimed->e[i].path;
            if (strncmp(rel, pre, strlen(pre)) != 0 || strchr(rel + strlen(pre), '/'))
                continue;
            char *data = NULL, path[VPATH];
            size_t len = 0;
            rc = src_read(s, rel, &data, &len, err);
            if (rc == 0)
                rc = prep_fs_join(path, sizeof path, tmp, rel + strlen(pre), err);
            if (rc == 0)
                rc = prep_fs_write(path, data, len, 0, err);
            free(data);
        }
    }
    if (rc == 0 && prep_catalog_read_dir(dir, cat, err) < 0) {
        char msg[sizeof err->msg];
        snprintf(msg, sizeof msg, "%s", err->msg);
        rc = prep_fail(err, PREP_E_CORRUPT, "catalogo/: %s", msg);
    } else if (rc == 0) {
        char fp[65];
        prep_catalog_fingerprint(cat, fp);
        if (!want_sha || strcmp(fp, want_sha) != 0) {
            rc = prep_fail(err, PREP_E_CORRUPT,
                           "catalogo/ has fingerprint %s, corte.json says catalogo_sha256 %s", fp,
                           want_sha ? want_sha : "(none)");
            prep_catalog_free(cat);
        }
    }
    if (s->z) {
        prep_err ignored;
        prep_fs_rmtree(tmp, &ignored);
    }
    return rc;
}

static const char *jstr(json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    return v ? v : "";
}

/* corte.json's resumen equals the 13 fields recomputed from the rows. */
static int check_resumen(json_t *resumen, const prep_summary *sm, const char *codigo,
                         prep_err *err)
{
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++) {
        char v[32], got[32] = "";
        prep_summary_field(sm, i, v, sizeof v);
        json_t *j = json_object_get(resumen, prep_summary_names[i]);
        if (json_is_string(j))
            snprintf(got, sizeof got, "%s", json_string_value(j));
        else if (json_is_integer(j))
            snprintf(got, sizeof got, "%lld", (long long)json_integer_value(j));
        if (strcmp(got, v) != 0)
            return prep_fail(err, PREP_E_CORRUPT,
                             "corte.json: %s resumen %s is '%s', the CSV rows give %s", codigo,
                             prep_summary_names[i], got, v);
    }
    return 0;
}

static const char *base_name(const char *rel)
{
    const char *s = strrchr(rel, '/');
    return s ? s + 1 : rel;
}

/* The election's ZIP holds exactly its three files, byte for byte. */
static int check_db_zip(vsrc *s, const prep_manifest *claimed, const char *zrel,
                        const char *const rels[3], prep_err *err)
{
    char *data;
    size_t len;
    if (src_read(s, zrel, &data, &len, err) < 0)
        return -1;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *zs = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = zs ? zip_open_from_source(zs, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    int rc = 0;
    if (!z) {
        rc = prep_fail(err, PREP_E_CORRUPT, "%s is not a readable ZIP: %s", zrel,
                       zip_error_strerror(&ze));
        if (zs)
            zip_source_free(zs);
    }
    zip_error_fini(&ze);
    if (rc == 0 && zip_get_num_entries(z, 0) != 3)
        rc = prep_fail(err, PREP_E_CORRUPT, "%s holds %lld files, expected 3 (%s, %s, %s)", zrel,
                       (long long)zip_get_num_entries(z, 0), base_name(rels[0]),
                       base_name(rels[1]), base_name(rels[2]));
    for (int k = 0; rc == 0 && k < 3; k++) {
        char label[VPATH], sha[65];
        int64_t size;
        snprintf(label, sizeof label, "%s: %s", zrel, base_name(rels[k]));
        zip_int64_t idx = zip_name_locate(z, base_name(rels[k]), ZIP_FL_ENC_RAW);
        const prep_manifest_entry *me = prep_manifest_find(claimed, rels[k]);
        if (idx < 0)
            rc = prep_fail(err, PREP_E_NOT_FOUND, "%s is missing", label);
        else if (!me)
            rc = prep_fail(err, PREP_E_NOT_FOUND, "%s is not in the MANIFEST", rels[k]);
        else if ((rc = zip_hash_index(z, idx, label, sha, &size, err)) == 0 &&
                 strcmp(sha, me->sha) != 0)
            rc = prep_fail(err, PREP_E_HASH, "%s differs from %s (SHA-256 %s, not %s)", label,
                           rels[k], sha, me->sha);
    }
    if (z)
        zip_discard(z);
    free(data);
    return rc;
}

static int check_eleccion(vsrc *s, const prep_manifest *claimed, const prep_catalog *cat,
                          json_t *jel, int final, prep_time at, prep_verify_result *out,
                          prep_err *err)
{
    const char *codigo = jstr(jel, "codigo");
    int e = prep_catalog_find_eleccion(cat, codigo);
    if (e < 0)
        return prep_fail(err, PREP_E_CORRUPT, "corte.json: election '%s' is not in catalogo/",
                         codigo);
    /* The files must be where the names say, so the site's links hold. */
    char want[4][PREP_NAME_CAP];
    prep_path_csv(cat, e, want[0]);
    prep_path_csv_candidaturas(cat, e, want[1]);
    prep_path_leeme(cat, e, want[2]);
    prep_path_zip(cat, e, at, want[3]);
    const char *keys[4] = {"csv", "csv_candidaturas", "leeme", "zip"};
    for (int k = 0; k < 4; k++)
        if (strcmp(jstr(jel, keys[k]), want[k]) != 0)
            return prep_fail(err, PREP_E_CORRUPT, "corte.json: %s %s is '%s', expected '%s'",
                             codigo, keys[k], jstr(jel, keys[k]), want[k]);
    char *text;
    size_t len;
    if (src_read(s, want[0], &text, &len, err) < 0)
        return -1;
    prep_csv_check_result r;
    int rc = prep_csv_check(text, len, want[0], cat, e, final, at, &r, err);
    free(text);
    if (rc == 0)
        rc = check_resumen(json_object_get(jel, "resumen"), &r.s, codigo, err);
    if (rc < 0)
        return -1;
    out->filas += r.filas;
    /* The candidaturas CSV is a pure function of the catalog. */
    prep_buf cand;
    prep_buf_init(&cand);
    rc = prep_csv_candidaturas(cat, e, &cand, err);
    if (rc == 0 && src_read(s, want[1], &text, &len, err) == 0) {
        if (len != cand.len || memcmp(text, cand.data, len) != 0)
            rc = prep_fail(err, PREP_E_CORRUPT,
                           "%s does not list the candidaturas of catalogo/", want[1]);
        free(text);
    } else {
        rc = -1;
    }
    prep_buf_free(&cand);
    const char *rels[3] = {want[0], want[1], want[2]};
    return rc == 0 ? check_db_zip(s, claimed, want[3], rels, err) : -1;
}

/* Every ZIP under datos/ must be an election's (checked above). */
static int check_no_stray_zip(const prep_manifest *claimed, json_t *els, prep_err *err)
{
    for (size_t i = 0; i < claimed->n; i++) {
        const char *rel = claimed->e[i].path;
        size_t n = strlen(rel);
        if (strncmp(rel, PREP_DATOS_DIR "/", sizeof PREP_DATOS_DIR) != 0 || n < 4 ||
            strcmp(rel + n - 4, ".zip") != 0)
            continue;
        int found = 0;
        size_t k;
        json_t *jel;
        json_array_foreach(els, k, jel) found |= strcmp(jstr(jel, "zip"), rel) == 0;
        if (!found)
            return prep_fail(err, PREP_E_CORRUPT, "%s is not the ZIP of any election of corte.json",
                             rel);
    }
    return 0;
}

static int check_corte(vsrc *s, const uint8_t *pk, prep_verify_result *out, prep_err *err)
{
    prep_manifest claimed, actual;
    prep_manifest_init(&claimed);
    prep_manifest_init(&actual);
    json_t *cj = NULL;
    char *text = NULL;
    size_t len;
    int rc = check_signature(s, pk, &claimed, out, err);
    if (rc == 0)
        rc = s->z ? zip_actual(s, &actual, &out->images, err)
                  : prep_manifest_scan(&actual, s->root, err);
    if (rc == 0)
        rc = prep_manifest_sort(&actual, err);
    if (rc == 0)
        rc = compare_files(&claimed, &actual, err);
    out->files = (long)claimed.n;
    if (rc == 0)
        rc = src_read(s, PREP_CORTE_JSON, &text, &len, err);
    if (rc == 0) {
        json_error_t je;
        cj = json_loadb(text, len, 0, &je);
        if (!cj)
            rc = prep_fail(err, PREP_E_CORRUPT, "corte.json line %d: %s", je.line, je.text);
    }
    free(text);
    json_t *els = cj ? json_object_get(cj, "elecciones") : NULL;
    if (rc == 0) {
        out->numero = (int)json_integer_value(json_object_get(cj, "numero"));
        out->at = json_integer_value(json_object_get(cj, "ms"));
        out->final = json_is_true(json_object_get(cj, "final"));
        snprintf(out->dir, sizeof out->dir, "%s", jstr(cj, "dir"));
        char want[PREP_NAME_CAP];
        prep_name_corte_dir(out->numero, out->at, want);
        if (strcmp(out->dir, s->dir) != 0 || strcmp(want, s->dir) != 0)
            rc = prep_fail(err, PREP_E_CORRUPT,
                           "corte.json: corte %d of %s belongs in directory %s, it is in %s",
                           out->numero, jstr(cj, "fecha"), want, s->dir);
        else if (!json_is_array(els) || json_array_size(els) == 0)
            rc = prep_fail(err, PREP_E_CORRUPT, "corte.json lists no elecciones");
    }
    prep_catalog cat;
    int have_cat = 0;
    if (rc == 0) {
        rc = load_catalog(s, &claimed, json_string_value(json_object_get(cj, "catalogo_sha256")),
                          &cat, err);
        have_cat = rc == 0;
    }
    size_t k;
    json_t *jel;
    if (rc == 0 && (int)json_array_size(els) != cat.nelecciones)
        rc = prep_fail(err, PREP_E_CORRUPT, "corte.json lists %zu elecciones, catalogo/ has %d",
                       json_array_size(els), cat.nelecciones);
    if (rc == 0)
        json_array_foreach(els, k, jel)
        {
            if ((rc = check_eleccion(s, &claimed, &cat, jel, out->final, out->at, out, err)) < 0)
                break;
            out->elecciones++;
        }
    if (rc == 0)
        rc = check_no_stray_zip(&claimed, els, err);
    if (have_cat)
        prep_catalog_free(&cat);
    json_decref(cj);
    prep_manifest_free(&claimed);
    prep_manifest_free(&actual);
    return rc;
}

/* The corte directory inside a package: the one "<dir>/MANIFEST" entry
 * (the file may have been renamed by whoever passed it on). */
static int package_dir(vsrc *s, const char *path, prep_err *err)
{
    zip_int64_t n = zip_get_num_entries(s->z, 0);
    int found = 0;
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(s->z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        const char *slash = name ? strchr(name, '/') : NULL;
        if (!slash || strcmp(slash + 1, PREP_MANIFEST) != 0)
            continue;
        if (found++)
            return prep_fail(err, PREP_E_CORRUPT, "%s holds more than one corte", path);
        if ((size_t)(slash - name) >= sizeof s->dir)
            return prep_fail(err, PREP_E_CORRUPT, "%s: corte name too long", path);
        memcpy(s->dir, name, (size_t)(slash - name));
        s->dir[slash - name] = '\0';
    }
    if (!found)
        return prep_fail(err, PREP_E_CORRUPT,
                         "%s is not a difusor package: no <corte>/MANIFEST inside", path);
    snprintf(s->prefix, sizeof s->prefix, "%s/", s->dir);
    return 0;
}

static int not_a_corte(const char *path, prep_err *err)
{
    return prep_fail(err, PREP_E_INVALID,
                     "%s: not a corte (a directory AAAAMMDD_HHMM_cNNNN, `latest`, or a difusor "
                     "package .zip)",
                     path);
}

int prep_verify(const char *path, const uint8_t *pk, prep_verify_result *out, prep_err *err)
{
    memset(out, 0, sizeof *out);
    vsrc s;
    memset(&s, 0, sizeof s);
    size_t n = strlen(path);
    if (!(n > 4 && strcmp(path + n - 4, ".zip") == 0)) {
        /* A directory: resolved, so DATA/cortes/latest names its corte. */
        char *real = realpath(path, NULL);
        if (!real)
            return prep_fail(err, errno == ENOENT ? PREP_E_NOT_FOUND : PREP_E_IO, "%s: %s",
                             path, strerror(errno));
        int fits = strlen(real) < sizeof s.root;
        if (fits)
            snprintf(s.root, sizeof s.root, "%s", real);
        free(real);
        if (!fits)
            return prep_fail(err, PREP_E_INVALID, "%s: path too long", path);
        const char *base = strrchr(s.root, '/');
        base = base ? base + 1 : s.root;
        size_t blen = strlen(base);
        if (blen >= sizeof s.dir || prep_name_corte_numero(base) < 0)
            return not_a_corte(path, err);
        memcpy(s.dir, base, blen + 1);
        return check_corte(&s, pk, out, err);
    }
    int zerr = 0;
    s.z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!s.z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        prep_fail(err, zerr == ZIP_ER_NOENT || zerr == ZIP_ER_OPEN ? PREP_E_NOT_FOUND
                                                                   : PREP_E_CORRUPT,
                  "%s: %s", path, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    int rc = package_dir(&s, path, err);
    if (rc == 0 && prep_name_corte_numero(s.dir) < 0)
        rc = not_a_corte(path, err);
    if (rc == 0)
        rc = check_corte(&s, pk, out, err);
    zip_discard(s.z);
    return rc;
}
