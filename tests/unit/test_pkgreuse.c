/* test_pkgreuse.c — a difusor package that copies the previous package's
 * compressed entries (src/publish/difusion.c): two real cortes, then every
 * file of the second that is the same as the first's (same MANIFEST hash)
 * replaced by a hard link to it, as the site writer does. Packaged again
 * with the first corte as previous, the package reuses exactly those
 * entries and is byte for byte the package deflated from scratch; it
 * verifies (`prep verify`) and unzips to the very files. A previous package
 * that is missing, corrupt or not the one its feed entry hashes is never
 * copied from: the package is deflated in full, still the same bytes. */
#include "test_corte_fx.h"

#include <errno.h>

#include <jansson.h>
#include <sodium.h>
#include <zip.h>

#include "publish/corte_int.h"
#include "publish/manifest.h"
#include "publish/verify.h"

static void load_manifest(cfx *f, const char *dir, prep_manifest *m)
{
    char rel[300], path[512];
    prep_err err = {0};
    snprintf(rel, sizeof rel, "%s/" PREP_MANIFEST, dir);
    cx_path(f, rel, path, sizeof path);
    size_t len;
    char *text = cx_read(path, &len);
    prep_manifest_init(m);
    if (prep_manifest_parse(text, len, m, &err) != 0)
        fail_msg("%s", err.msg);
    free(text);
}

/* Hard-link every file of `to` whose MANIFEST hash equals `from`'s file of
 * the same path to that file; returns how many. */
static int link_same(cfx *f, const char *from, const char *to)
{
    prep_manifest a, b;
    load_manifest(f, from, &a);
    load_manifest(f, to, &b);
    int n = 0;
    for (size_t i = 0; i < b.n; i++) {
        const prep_manifest_entry *e = prep_manifest_find(&a, b.e[i].path);
        if (!e || strcmp(e->sha, b.e[i].sha) != 0)
            continue;
        char rel[600], src[800], dst[800];
        snprintf(rel, sizeof rel, "%s/%s", from, e->path);
        cx_path(f, rel, src, sizeof src);
        snprintf(rel, sizeof rel, "%s/%s", to, e->path);
        cx_path(f, rel, dst, sizeof dst);
        if (unlink(dst) != 0 || link(src, dst) != 0)
            fail_msg("cannot link %s to %s: %s", dst, src, strerror(errno));
        n++;
    }
    prep_manifest_free(&a);
    prep_manifest_free(&b);
    return n;
}

/* Package `dir` again with `prev` as previous corte; returns the entries
 * reused and checks the package is byte for byte `want`. */
static int64_t repackage(cfx *f, const char *dir, const char *prev, const char *want,
                         size_t want_len)
{
    char cortes[256], rel[300], path[512];
    prep_err err = {0};
    cx_path(f, "", cortes, sizeof cortes);
    cortes[strlen(cortes) - 1] = '\0'; /* no trailing '/' */
    int64_t bytes = 0, reused = -1;
    if (prep_difusion_package(cortes, dir, prev, NULL, &bytes, &reused, &err) != 0)
        fail_msg("package: %s", err.msg);
    snprintf(rel, sizeof rel, PREP_PAQUETES_DIR "/%s.zip", dir);
    cx_path(f, rel, path, sizeof path);
    size_t len;
    char *got = cx_read(path, &len);
    assert_int_equal(len, want_len);
    assert_int_equal(bytes, (int64_t)want_len);
    assert_memory_equal(got, want, len);
    free(got);
    return reused;
}

/* Every entry of the package is the file of the same path under cortes/. */
static void unzips_to_files(cfx *f, const char *zpath)
{
    int ze;
    zip_t *za = zip_open(zpath, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(za);
    zip_int64_t n = zip_get_num_entries(za, 0);
    assert_true(n > 10);
    for (zip_int64_t i = 0; i < n; i++) {
        zip_stat_t st;
        assert_int_equal(zip_stat_index(za, (zip_uint64_t)i, 0, &st), 0);
        char path[800];
        cx_path(f, st.name, path, sizeof path);
        size_t len;
        char *want = cx_read(path, &len);
        assert_int_equal(st.size, len);
        char *got = malloc(len + 1);
        zip_file_t *zf = zip_fopen_index(za, (zip_uint64_t)i, 0);
        assert_non_null(zf);
        assert_int_equal(zip_fread(zf, got, len + 1), (zip_int64_t)len);
        assert_int_equal(zip_fclose(zf), 0); /* the CRC-32 matched */
        assert_memory_equal(got, want, len);
        free(got);
        free(want);
    }
    zip_close(za);
}

static void test_package_reuses_linked_files(void **state)
{
    cfx *f = *state;
    prep_corte_info c[2];
    cx_election(f, 1 | 2 | 4 | 8, 1);
    cx_corte(f, 0, &c[0]);
    cx_election(f, 16, 0); /* the sin acta arrives: some files change */
    cx_corte(f, 0, &c[1]);

    /* As published: the site pages the corte linked from corte 1 (those of
     * the secciones without changes) were copied, not deflated. */
    int64_t published_reused = prep_corte_last_times.package_reused;
    assert_true(published_reused > 0);
    char rel[300], zpath[512];
    snprintf(rel, sizeof rel, PREP_PAQUETES_DIR "/%s.zip", c[1].dir);
    cx_path(f, rel, zpath, sizeof zpath);
    size_t ref_len;
    char *ref = cx_read(zpath, &ref_len);

    int linked = link_same(f, c[0].dir, c[1].dir);
    prep_manifest m1;
    load_manifest(f, c[1].dir, &m1);
    assert_true(linked >= published_reused); /* those, and other files the same */
    assert_true((size_t)linked < m1.n);       /* some changed */
    prep_manifest_free(&m1);

    /* Every linked file copied, the package the same bytes. */
    assert_int_equal(repackage(f, c[1].dir, c[0].dir, ref, ref_len), linked);
    uint8_t pk[32];
    prep_err err = {0};
    assert_int_equal(prep_keys_public(f->dir, pk, &err), 0);
    prep_verify_result r;
    if (prep_verify(zpath, pk, &r, &err) != 0)
        fail_msg("%s: %s", zpath, err.msg);
    assert_string_equal(r.dir, c[1].dir);
    unzips_to_files(f, zpath);

    /* No previous corte: nothing reused, same bytes. */
    assert_int_equal(repackage(f, c[1].dir, NULL, ref, ref_len), 0);

    /* The previous package corrupt (one byte of entry data): not trusted. */
    char ppath[512];
    snprintf(rel, sizeof rel, PREP_PAQUETES_DIR "/%s.zip", c[0].dir);
    cx_path(f, rel, ppath, sizeof ppath);
    size_t plen;
    char *prev = cx_read(ppath, &plen);
    prev[plen / 3] ^= 0x55;
    FILE *fp = fopen(ppath, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(prev, 1, plen, fp), plen);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(repackage(f, c[1].dir, c[0].dir, ref, ref_len), 0);

    /* Not a ZIP at all (its hash written to match): not opened. */
    fp = fopen(ppath, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite("garbage", 1, 7, fp), 7);
    assert_int_equal(fclose(fp), 0);
    char sha[65], jpath[512];
    prep_sha256_hex("garbage", 7, sha);
    snprintf(rel, sizeof rel, PREP_PAQUETES_DIR "/%s.json", c[0].dir);
    cx_path(f, rel, jpath, sizeof jpath);
    json_t *entry = json_load_file(jpath, 0, NULL);
    assert_non_null(entry);
    json_t *pq = json_object_get(entry, "paquete");
    json_object_set_new(pq, "sha256", json_string(sha));
    json_object_set_new(pq, "bytes", json_integer(7));
    assert_int_equal(json_dump_file(entry, jpath, JSON_COMPACT), 0);
    json_decref(entry);
    assert_int_equal(repackage(f, c[1].dir, c[0].dir, ref, ref_len), 0);

    /* Missing altogether. */
    assert_int_equal(unlink(ppath), 0);
    assert_int_equal(repackage(f, c[1].dir, c[0].dir, ref, ref_len), 0);

    /* Restored, but the entries gone from it (another corte's package
     * under its name, its feed entry hashing it): nothing to copy. */
    fp = fopen(ppath, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(ref, 1, ref_len, fp), ref_len);
    assert_int_equal(fclose(fp), 0);
    prep_sha256_hex(ref, ref_len, sha);
    entry = json_load_file(jpath, 0, NULL);
    pq = json_object_get(entry, "paquete");
    json_object_set_new(pq, "sha256", json_string(sha));
    json_object_set_new(pq, "bytes", json_integer((json_int_t)ref_len));
    assert_int_equal(json_dump_file(entry, jpath, JSON_COMPACT), 0);
    json_decref(entry);
    assert_int_equal(repackage(f, c[1].dir, c[0].dir, ref, ref_len), 0);

    /* The original back: reused again. */
    fp = fopen(ppath, "wb");
    assert_non_null(fp);
    prev[plen / 3] ^= 0x55;
    assert_int_equal(fwrite(prev, 1, plen, fp), plen);
    assert_int_equal(fclose(fp), 0);
    prep_sha256_hex(prev, plen, sha);
    entry = json_load_file(jpath, 0, NULL);
    pq = json_object_get(entry, "paquete");
    json_object_set_new(pq, "sha256", json_string(sha));
    json_object_set_new(pq, "bytes", json_integer((json_int_t)plen));
    assert_int_equal(json_dump_file(entry, jpath, JSON_COMPACT), 0);
    json_decref(entry);
    assert_int_equal(repackage(f, c[1].dir, c[0].dir, ref, ref_len), linked);
    free(prev);
    free(ref);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_package_reuses_linked_files, cx_setup, cx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
