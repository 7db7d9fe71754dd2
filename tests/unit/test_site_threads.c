/* test_site_threads.c — the public site is the same whatever the number of
 * writer threads (site.c hands each thread an election of its own first,
 * then the rest): every file written exactly once, with the same bytes,
 * for 1 thread and for fewer, as many and more threads than elections. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_site_snap.h"

#include "catalog/catalog_io.h"
#include "publish/fsutil.h"
#include "publish/site.h"

typedef struct {
    char rel[160];
    char sha[65];
    size_t len;
} seen_file;

typedef struct {
    pthread_mutex_t mu;
    seen_file *f;
    size_t n, cap;
    int too_long;
} seen;

static void on_file(void *ctx, const char *rel, const char sha[65], size_t len, int linked)
{
    (void)linked;
    seen *s = ctx;
    pthread_mutex_lock(&s->mu);
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 1024;
        s->f = realloc(s->f, s->cap * sizeof *s->f);
    }
    if (s->f) {
        seen_file *f = &s->f[s->n++];
        if (strlen(rel) >= sizeof f->rel)
            s->too_long = 1;
        snprintf(f->rel, sizeof f->rel, "%s", rel);
        memcpy(f->sha, sha, 65);
        f->len = len;
    }
    pthread_mutex_unlock(&s->mu);
}

static int by_rel(const void *a, const void *b)
{
    return strcmp(((const seen_file *)a)->rel, ((const seen_file *)b)->rel);
}

/* The site of snap written with `hilos` threads into a fresh directory:
 * its files sorted by path, each path once. */
static seen write_site(const prep_snapshot *snap, int hilos, prep_site_stats *st)
{
    char dir[] = "/tmp/prep-test-site-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[64];
    snprintf(out, sizeof out, "%s/sitio", dir);
    seen s = {0};
    pthread_mutex_init(&s.mu, NULL);
    memset(st, 0, sizeof *st);
    prep_site_opts o = {.hilos = hilos, .stats = st, .on_file = on_file, .on_file_ctx = &s};
    prep_err err = {0};
    assert_int_equal(prep_site_write(snap, out, &o, &err), 0);
    pthread_mutex_destroy(&s.mu);
    assert_non_null(s.f);
    assert_false(s.too_long);
    qsort(s.f, s.n, sizeof *s.f, by_rel);
    for (size_t i = 1; i < s.n; i++)
        assert_true(strcmp(s.f[i - 1].rel, s.f[i].rel) != 0);
    assert_int_equal(prep_fs_rmtree(dir, &err), 0);
    return s;
}

static void same_site_for_any_thread_count(void **state)
{
    (void)state;
    prep_catalog cat;
    prep_err err = {0};
    assert_int_equal(prep_catalog_generate("small", 1, &cat, &err), 0);
    assert_true(cat.nelecciones >= 2);
    prep_snapshot snap;
    assert_int_equal(ts_snapshot(&cat, 1, 1, (prep_time)1717380000000, &snap), 0);
    prep_site_stats st1, st;
    seen one = write_site(&snap, 1, &st1);
    assert_int_equal((long)one.n, st1.archivos);
    int counts[] = {2, cat.nelecciones, cat.nelecciones + 2};
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++) {
        seen many = write_site(&snap, counts[k], &st);
        assert_int_equal(many.n, one.n);
        assert_int_equal(st.archivos, st1.archivos);
        assert_int_equal(st.bytes, st1.bytes);
        for (size_t i = 0; i < one.n; i++) {
            assert_string_equal(many.f[i].rel, one.f[i].rel);
            assert_string_equal(many.f[i].sha, one.f[i].sha);
            assert_int_equal(many.f[i].len, one.f[i].len);
        }
        free(many.f);
    }
    free(one.f);
    prep_snapshot_free(&snap);
    prep_catalog_free(&cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_site_for_any_thread_count),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
