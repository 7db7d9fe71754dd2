/* test_zipw.c — the deterministic ZIP writer (src/publish/zipw.c) and its
 * deflate worker threads (zipw_deflate.c): the same entries give the same
 * bytes on 0, 1, 2 and 4 threads and the same bytes libzip writes when it
 * compresses them itself; every entry reads back (libzip checks each
 * CRC-32) with the method it asked for; an unreadable file fails the close
 * with its name, and no archive appears. Entries copied from another ZIP
 * (prep_zipw_add_copy) give the very bytes deflating them anew gives. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "publish/fsutil.h"
#include "publish/zipw.h"
#include "publish/zipw_deflate.h"

#define NMEM 300
#define MTIME 1717300000000LL /* 2024-06-02 03:46 UTC */

typedef struct {
    char dir[64];
    char name[NMEM][64];
    char *data[NMEM];
    size_t len[NMEM];
    char files[3][128]; /* on disk: small text, 3 MB text, 2 MB random */
} fixture;

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Text that deflates like a results page: words from a small vocabulary. */
static char *text(size_t n)
{
    static const char *const w[] = {"<td>", "casilla ", "acta ", "1234 ", "</tr>\n", "PAN ",
                                    "MORENA ", "sección ", "0 ", "votos "};
    char *s = malloc(n + 1);
    assert_non_null(s);
    size_t k = 0;
    while (k < n) {
        const char *x = w[next_rand() % 10];
        while (*x && k < n)
            s[k++] = *x++;
    }
    s[n] = '\0';
    return s;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/prep-test-zipw-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    char dir[sizeof f->dir]; /* a copy: GCC -O1 sees snprintf into f from f */
    memcpy(dir, f->dir, sizeof dir);
    for (int i = 0; i < NMEM; i++) {
        /* Sizes 0 .. ~40 KB, one in 50 "already compressed" (.png). */
        size_t n = i == 0 ? 0 : (size_t)(next_rand() % 40000);
        snprintf(f->name[i], sizeof f->name[i], "sitio/%03d/p%d.%s", i % 17, i,
                 i % 50 == 7 ? "png" : "html");
        f->data[i] = text(n);
        f->len[i] = n;
    }
    const size_t sizes[3] = {1234, (size_t)3 << 20, (size_t)2 << 20};
    for (int k = 0; k < 3; k++) {
        snprintf(f->files[k], sizeof f->files[k], "%s/file%d.%s", dir, k, k == 2 ? "bin" : "csv");
        char *d = text(sizes[k]);
        if (k == 2)
            for (size_t i = 0; i < sizes[k]; i++)
                d[i] = (char)next_rand(); /* incompressible: deflate grows it */
        write_file(f->files[k], d, sizes[k]);
        free(d);
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    prep_err err;
    prep_fs_rmtree(f->dir, &err);
    for (int i = 0; i < NMEM; i++)
        free(f->data[i]);
    free(f);
    return 0;
}

/* The fixture's archive, added in a scrambled order, on `threads` threads. */
static void build(fixture *f, const char *path, int threads)
{
    prep_err err = {0};
    prep_zipw *z;
    assert_int_equal(prep_zipw_open(&z, path, MTIME, &err), 0);
    prep_zipw_set_threads(z, threads);
    for (int k = 0; k < NMEM; k++) {
        int i = (k * 7) % NMEM;
        assert_int_equal(prep_zipw_add_mem(z, f->name[i], f->data[i], f->len[i],
                                           prep_zipw_level_for(f->name[i], 1), &err),
                         0);
    }
    for (int k = 0; k < 3; k++) {
        char name[64];
        snprintf(name, sizeof name, "datos/%s", strrchr(f->files[k], '/') + 1);
        assert_int_equal(prep_zipw_add_file(z, name, f->files[k], k == 1 ? 6 : 1, &err), 0);
    }
    if (prep_zipw_close(z, &err) != 0)
        fail_msg("%s", err.msg);
}

static char *slurp(const char *path, size_t *len)
{
    char *d;
    prep_err err;
    if (prep_fs_read(path, &d, len, 0, &err) < 0)
        fail_msg("%s", err.msg);
    return d;
}

static void test_same_bytes_any_threads(void **state)
{
    fixture *f = *state;
    char path[128];
    size_t len0, len;
    snprintf(path, sizeof path, "%s/t0.zip", f->dir);
    build(f, path, 0);
    char *ref = slurp(path, &len0);
    const int threads[] = {1, 2, 4};
    int deflated = 3; /* the files; every entry but the .png ones */
    for (int i = 0; i < NMEM; i++)
        deflated += prep_zipw_level_for(f->name[i], 1) != 0;
    for (int t = 0; t < 3; t++) {
        snprintf(path, sizeof path, "%s/t%d.zip", f->dir, threads[t]);
        unsigned long runs = prep_zipw_deflate_runs;
        build(f, path, threads[t]);
        /* Each entry deflated once: not again when libzip stats it after reading. */
        assert_int_equal(prep_zipw_deflate_runs - runs, deflated);
        char *d = slurp(path, &len);
        assert_int_equal(len, len0);
        assert_memory_equal(d, ref, len);
        free(d);
    }
    /* Twice on the default threads too. */
    snprintf(path, sizeof path, "%s/td.zip", f->dir);
    build(f, path, -1);
    char *d = slurp(path, &len);
    assert_int_equal(len, len0);
    assert_memory_equal(d, ref, len);
    free(d);
    free(ref);
}

/* The archive libzip makes when it compresses every entry itself (what
 * zipw did before the worker threads): same entries, same stamps. */
static void test_same_bytes_as_libzip(void **state)
{
    fixture *f = *state;
    char mine[128], theirs[128];
    snprintf(mine, sizeof mine, "%s/mine.zip", f->dir);
    snprintf(theirs, sizeof theirs, "%s/libzip.zip", f->dir);
    build(f, mine, 2);

    /* Same names sorted as zipw sorts them, with libzip's own sources. */
    int order[NMEM + 3];
    const char *names[NMEM + 3];
    char fname[3][64];
    for (int i = 0; i < NMEM; i++)
        names[i] = f->name[i];
    for (int k = 0; k < 3; k++) {
        snprintf(fname[k], sizeof fname[k], "datos/%s", strrchr(f->files[k], '/') + 1);
        names[NMEM + k] = fname[k];
    }
    for (int i = 0; i < NMEM + 3; i++)
        order[i] = i;
    for (int i = 1; i < NMEM + 3; i++) /* insertion sort by name */
        for (int j = i; j > 0 && strcmp(names[order[j - 1]], names[order[j]]) > 0; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    int ze;
    zip_t *za = zip_open(theirs, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (int k = 0; k < NMEM + 3; k++) {
        int i = order[k];
        zip_source_t *s = i < NMEM ? zip_source_buffer(za, f->data[i], f->len[i], 0)
                                   : zip_source_file(za, f->files[i - NMEM], 0, -1);
        zip_int64_t idx = zip_file_add(za, names[i], s, ZIP_FL_ENC_UTF_8);
        assert_true(idx >= 0);
        int level = i < NMEM ? prep_zipw_level_for(names[i], 1) : i - NMEM == 1 ? 6 : 1;
        assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx,
                                                  level ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                                  (zip_uint32_t)level),
                         0);
        /* 2024-06-01 21:46:40 in UTC-6, as zipw stamps MTIME. */
        assert_int_equal(zip_file_set_dostime(za, (zip_uint64_t)idx,
                                              (zip_uint16_t)((21 << 11) | (46 << 5) | (40 / 2)),
                                              (zip_uint16_t)(((2024 - 1980) << 9) | (6 << 5) | 1),
                                              0),
                         0);
        assert_int_equal(zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0,
                                                          ZIP_OPSYS_UNIX,
                                                          (zip_uint32_t)0100644 << 16),
                         0);
    }
    assert_int_equal(zip_close(za), 0);
    size_t la, lb;
    char *a = slurp(mine, &la), *b = slurp(theirs, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
}

static void test_reads_back(void **state)
{
    fixture *f = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/r.zip", f->dir);
    build(f, path, 2);
    int ze;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(za);
    assert_int_equal(zip_get_num_entries(za, 0), NMEM + 3);
    for (int i = 0; i < NMEM + 3; i++) {
        char name[64];
        const char *want;
        size_t want_len;
        char *disk = NULL;
        if (i < NMEM) {
            snprintf(name, sizeof name, "%s", f->name[i]);
            want = f->data[i];
            want_len = f->len[i];
        } else {
            snprintf(name, sizeof name, "datos/%s", strrchr(f->files[i - NMEM], '/') + 1);
            disk = slurp(f->files[i - NMEM], &want_len);
            want = disk;
        }
        zip_stat_t st;
        assert_int_equal(zip_stat(za, name, 0, &st), 0);
        assert_int_equal(st.size, want_len);
        assert_int_equal(st.comp_method, strstr(name, ".png") ? ZIP_CM_STORE : ZIP_CM_DEFLATE);
        zip_file_t *zf = zip_fopen(za, name, 0);
        assert_non_null(zf);
        char *got = malloc(want_len + 1);
        assert_int_equal(zip_fread(zf, got, want_len + 1), (zip_int64_t)want_len);
        assert_int_equal(zip_fclose(zf), 0); /* 0: the CRC-32 matched */
        assert_memory_equal(got, want, want_len);
        free(got);
        free(disk);
    }
    zip_close(za);
}

static void test_unreadable_file_named(void **state)
{
    fixture *f = *state;
    char path[128], gone[128];
    snprintf(path, sizeof path, "%s/bad.zip", f->dir);
    snprintf(gone, sizeof gone, "%s/no-such-file.csv", f->dir);
    const int threads[] = {0, 2};
    for (int t = 0; t < 2; t++) {
        prep_err err = {0};
        prep_zipw *z;
        assert_int_equal(prep_zipw_open(&z, path, MTIME, &err), 0);
        prep_zipw_set_threads(z, threads[t]);
        for (int i = 0; i < 40; i++)
            assert_int_equal(prep_zipw_add_mem(z, f->name[i], f->data[i], f->len[i], 1, &err), 0);
        assert_int_equal(prep_zipw_add_file(z, "datos/m.csv", gone, 1, &err), 0);
        assert_int_equal(prep_zipw_close(z, &err), -1);
        assert_int_equal(err.code, PREP_E_IO);
        assert_non_null(strstr(err.msg, "no-such-file.csv"));
        assert_non_null(strstr(err.msg, "No such file"));
        assert_int_equal(access(path, F_OK), -1);
    }
}

/* Every entry of the fixture's archive copied under a new name gives the
 * same archive as deflating (or storing) the same contents anew under
 * those names: a difusor cannot tell a reused entry from a fresh one. */
static void test_copy_same_bytes_as_fresh(void **state)
{
    fixture *f = *state;
    char src[128], copied[128], fresh[128];
    snprintf(src, sizeof src, "%s/src.zip", f->dir);
    snprintf(copied, sizeof copied, "%s/copied.zip", f->dir);
    snprintf(fresh, sizeof fresh, "%s/fresh.zip", f->dir);
    build(f, src, 2);

    prep_err err = {0};
    prep_zipr *r;
    prep_zipw *z;
    if (prep_zipr_open(&r, src, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(prep_zipw_open(&z, copied, MTIME, &err), 0);
    char name[96], fname[64];
    int stored = 0;
    for (int i = 0; i < NMEM + 3; i++) {
        if (i < NMEM)
            snprintf(fname, sizeof fname, "%s", f->name[i]);
        else
            snprintf(fname, sizeof fname, "datos/%s", strrchr(f->files[i - NMEM], '/') + 1);
        int64_t size;
        int st;
        int64_t idx = prep_zipr_find(r, fname, &size, &st);
        assert_true(idx >= 0);
        if (i < NMEM)
            assert_int_equal(size, f->len[i]);
        stored += st;
        snprintf(name, sizeof name, "otro/%s", fname);
        int level = i < NMEM ? prep_zipw_level_for(fname, 1) : i - NMEM == 1 ? 6 : 1;
        assert_int_equal(prep_zipw_add_copy(z, name, r, idx, level, &err), 0);
    }
    assert_int_equal(stored, NMEM / 50); /* the .png ones */
    unsigned long runs = prep_zipw_deflate_runs;
    if (prep_zipw_close(z, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(prep_zipw_deflate_runs, runs); /* nothing deflated */
    prep_zipr_close(r);

    assert_int_equal(prep_zipw_open(&z, fresh, MTIME, &err), 0);
    for (int i = 0; i < NMEM; i++) {
        snprintf(name, sizeof name, "otro/%s", f->name[i]);
        assert_int_equal(prep_zipw_add_mem(z, name, f->data[i], f->len[i],
                                           prep_zipw_level_for(f->name[i], 1), &err),
                         0);
    }
    for (int k = 0; k < 3; k++) {
        snprintf(name, sizeof name, "otro/datos/%s", strrchr(f->files[k], '/') + 1);
        assert_int_equal(prep_zipw_add_file(z, name, f->files[k], k == 1 ? 6 : 1, &err), 0);
    }
    if (prep_zipw_close(z, &err) != 0)
        fail_msg("%s", err.msg);
    size_t la, lb;
    char *a = slurp(copied, &la), *b = slurp(fresh, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);

    /* And it reads back: the stored ones stored, every CRC-32 right. */
    int ze;
    zip_t *za = zip_open(copied, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(za);
    for (int i = 0; i < NMEM; i++) {
        snprintf(name, sizeof name, "otro/%s", f->name[i]);
        zip_stat_t st;
        assert_int_equal(zip_stat(za, name, 0, &st), 0);
        assert_int_equal(st.comp_method,
                         strstr(name, ".png") ? ZIP_CM_STORE : ZIP_CM_DEFLATE);
        zip_file_t *zf = zip_fopen(za, name, 0);
        assert_non_null(zf);
        char *got = malloc(f->len[i] + 1);
        assert_int_equal(zip_fread(zf, got, f->len[i] + 1), (zip_int64_t)f->len[i]);
        assert_int_equal(zip_fclose(zf), 0);
        assert_memory_equal(got, f->data[i], f->len[i]);
        free(got);
    }
    zip_close(za);
}

static void test_copy_bad_source(void **state)
{
    fixture *f = *state;
    char src[128], dst[128];
    snprintf(src, sizeof src, "%s/src.zip", f->dir);
    snprintf(dst, sizeof dst, "%s/dst.zip", f->dir);
    prep_err err = {0};
    prep_zipr *r = NULL;
    /* Not there, not a ZIP. */
    assert_int_equal(prep_zipr_open(&r, src, &err), -1);
    assert_non_null(strstr(err.msg, "src.zip"));
    write_file(src, "not a zip at all, just text", 27);
    assert_int_equal(prep_zipr_open(&r, src, &err), -1);
    assert_int_equal(err.code, PREP_E_CORRUPT);
    assert_non_null(strstr(err.msg, "src.zip"));

    prep_zipw *z;
    assert_int_equal(prep_zipw_open(&z, src, MTIME, &err), 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(prep_zipw_add_mem(z, f->name[i], f->data[i], f->len[i], 1, &err), 0);
    assert_int_equal(prep_zipw_close(z, &err), 0);
    assert_int_equal(prep_zipr_open(&r, src, &err), 0);
    assert_int_equal(prep_zipr_find(r, "no/such/entry.html", NULL, NULL), -1);
    assert_int_equal(prep_zipw_open(&z, dst, MTIME, &err), 0);
    const int64_t bad[] = {3, -1, 1000000};
    for (int k = 0; k < 3; k++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(prep_zipw_add_copy(z, "x/p.html", r, bad[k], 1, &err), -1);
        assert_int_equal(err.code, PREP_E_INVALID);
        assert_non_null(strstr(err.msg, "x/p.html"));
        assert_non_null(strstr(err.msg, "src.zip has no entry"));
        assert_non_null(strstr(err.msg, "(3 entries)"));
    }
    /* A good copy still goes in after the refused ones. */
    assert_int_equal(prep_zipw_add_copy(z, "x/p.html", r, 2, 1, &err), 0);
    assert_int_equal(prep_zipw_close(z, &err), 0);
    prep_zipr_close(r);
    int ze;
    zip_t *za = zip_open(dst, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    assert_non_null(za);
    assert_int_equal(zip_get_num_entries(za, 0), 1);
    zip_close(za);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_bytes_any_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_same_bytes_as_libzip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reads_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable_file_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_same_bytes_as_fresh, setup, teardown),
        cmocka_unit_test_setup_teardown(test_copy_bad_source, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
