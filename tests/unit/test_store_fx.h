/* test_store_fx.h — the fixture the store-backed unit tests share: a fresh
 * temporary data directory with a store (SQLite, or a database of its own on
 * PREP_TEST_STORE's server), the test catalogue saved into it and an ops
 * handle on both; optionally the corte signing key. Teardown closes the
 * store, drops the database and removes the directory. */
#ifndef PREP_TEST_STORE_FX_H
#define PREP_TEST_STORE_FX_H

#include <sodium.h>
#include <unistd.h>

#include "ops/ops.h"
#include "publish/keys.h"
#include "store/store.h"
#include "test_store.h"

typedef struct {
    char dir[64];
    prep_store *st;
    prep_catalog cat;
    prep_ops o;
} t_fx;

/* with_keys: also make the data directory's Ed25519 signing key. */
static inline int t_fx_setup(void **state, int with_keys)
{
    t_fx *f = calloc(1, sizeof *f);
    prep_err err = {0};
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/prep-test-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    t_store_create(f->dir);
    if (with_keys) {
        int created;
        assert_int_equal(sodium_init() < 0, 0);
        assert_int_equal(prep_keys_ensure(f->dir, &created, &err), 0);
    }
    assert_int_equal(prep_store_open(f->dir, &f->st, &err), 0);
    t_catalog(&f->cat);
    assert_int_equal(prep_store_catalog_save(f->st, &f->cat, &err), 0);
    f->o.st = f->st;
    f->o.cat = &f->cat;
    *state = f;
    return 0;
}

static inline int t_fx_teardown(void **state)
{
    t_fx *f = *state;
    char cmd[128];
    prep_store_close(f->st);
    prep_catalog_free(&f->cat);
    t_store_drop(f->dir);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

/* A second handle on the fixture's store, as another process or node would
 * have (caller closes it). */
static inline prep_store *t_fx_open_other(const t_fx *f)
{
    prep_store *st;
    prep_err err = {0};
    assert_int_equal(prep_store_open(f->dir, &st, &err), 0);
    return st;
}

static inline int t_fx_setup_plain(void **state)
{
    return t_fx_setup(state, 0);
}

static inline int t_fx_setup_keys(void **state)
{
    return t_fx_setup(state, 1);
}

#endif
