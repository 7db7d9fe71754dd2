/* test_corte_lock.c — the store's corte lock, on SQLite or (under
 * PREP_TEST_STORE) PostgreSQL: two handles on one data directory stand for
 * two nodes. Only one holds the lock; the other is told at once (never
 * waits); it is not re-entrant; closing a handle (a node that dies) frees
 * it; a corte run while another handle holds it is refused with nothing
 * written and nothing marked published; on PostgreSQL a killed session
 * frees it too, and the corte that lost it fails instead of going on. */
#include "test_util.h"
#include "test_store_fx.h"

#include <dirent.h>

#include <sodium.h>

#include "ops/ops.h"
#include "publish/corte.h"
#include "publish/keys.h"

typedef t_fx fx;

/* Entries of DATADIR/cortes other than the lock file. */
static int corte_entries(fx *f)
{
    char path[128];
    snprintf(path, sizeof path, "%s/cortes", f->dir);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, ".lock"))
            n++;
    closedir(d);
    return n;
}

static void test_one_holder_the_other_is_told_at_once(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_store *b = t_fx_open_other(f);
    assert_int_equal(prep_store_corte_lock(f->st, &err), 0);
    assert_int_equal(prep_store_corte_lock(b, &err), 1);
    assert_int_equal(err.code, PREP_E_CONFLICT);
    assert_non_null(strstr(err.msg, "corte"));
    /* Not re-entrant: the holder asking again is busy too. */
    assert_int_equal(prep_store_corte_lock(f->st, &err), 1);
    prep_store_corte_unlock(f->st);
    assert_int_equal(prep_store_corte_lock(b, &err), 0);
    assert_int_equal(prep_store_corte_lock(f->st, &err), 1);
    prep_store_corte_unlock(b);
    prep_store_corte_unlock(b); /* harmless when not held */
    assert_int_equal(prep_store_corte_lock(f->st, &err), 0);
    prep_store_corte_unlock(f->st);
    prep_store_close(b);
}

static void test_closing_the_holder_frees_it(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_store *b = t_fx_open_other(f);
    assert_int_equal(prep_store_corte_lock(b, &err), 0);
    assert_int_equal(prep_store_corte_lock(f->st, &err), 1);
    prep_store_close(b);
    assert_int_equal(prep_store_corte_lock(f->st, &err), 0);
    prep_store_corte_unlock(f->st);
}

/* A verified acta waits for publication. */
static void one_verified_acta(fx *f)
{
    prep_err err = {0};
    prep_acta a;
    prep_acta_init(&a, 0, 0);
    a.estado = PREP_EST_VERIFICADA;
    a.t_verificacion = 1000;
    assert_int_equal(f->st->vt->acta_put(f->st, &a, NULL, 0, &err), 0);
}

static void test_corte_refused_while_another_node_holds_it(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    one_verified_acta(f);
    prep_store *b = t_fx_open_other(f);
    assert_int_equal(prep_store_corte_lock(b, &err), 0);
    prep_corte_info info;
    assert_int_equal(prep_corte_run(f->dir, f->st, &f->cat, 0, &info, &err), -1);
    assert_int_equal(err.code, PREP_E_CONFLICT);
    assert_int_equal(corte_entries(f), 0);
    prep_acta a;
    assert_int_equal(f->st->vt->acta_get(f->st, 0, 0, &a, NULL, 0, &err), 0);
    assert_int_equal(a.estado, PREP_EST_VERIFICADA); /* nothing marked published */
    /* Recovery keeps its hands off another node's corte as well. */
    assert_int_equal(prep_corte_recover(f->dir, f->st, &f->cat, &err), -1);
    assert_int_equal(err.code, PREP_E_CONFLICT);
    /* Once the other node is done, the corte runs and releases the lock. */
    prep_store_corte_unlock(b);
    if (prep_corte_run(f->dir, f->st, &f->cat, 0, &info, &err) < 0)
        fail_msg("corte: %s", err.msg);
    assert_int_equal(info.numero, 1);
    assert_int_equal(prep_store_corte_lock(b, &err), 0);
    prep_store_corte_unlock(b);
    prep_store_close(b);
}

/* PostgreSQL: a node whose session is killed (crash, network cut) loses the
 * lock at once, so another node can publish; the one that held it learns on
 * its next statement that its corte lost its protection. */
static void test_pg_killed_session_frees_it(void **state)
{
    fx *f = *state;
    if (!t_pg_server())
        skip();
    prep_err err = {0};
    prep_store *b = t_fx_open_other(f);
    assert_int_equal(prep_store_corte_lock(f->st, &err), 0);
    assert_int_equal(prep_store_corte_lock(b, &err), 1);
    char name[64], url[512];
    t_store_dbname(f->dir, name);
    t_pg_url(name, url, sizeof url);
    /* Kill the session that holds the corte lock (the first handle's). */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
             " AND objid = 1347568978 AND granted");
    assert_int_equal(t_pg_exec(url, sql), 0);
    usleep(100000); /* termination is asynchronous: let the backend go */
    assert_int_equal(prep_store_corte_lock(b, &err), 0);
    prep_val v[1];
    prep_acta a;
    /* libpq sees the cut on the first statement after it (which fails with
     * the server's message); the next one would reconnect, and is refused. */
    int told = 0;
    for (int i = 0; i < 2 && !told; i++) {
        assert_int_equal(f->st->vt->acta_get(f->st, 0, 0, &a, v, 0, &err), -1);
        told = strstr(err.msg, "corte lock") != NULL;
    }
    assert_true(told);
    /* After that, the handle works again (without the lock). */
    assert_int_equal(f->st->vt->acta_get(f->st, 0, 0, &a, v, 0, &err), 1);
    assert_int_equal(prep_store_corte_lock(f->st, &err), 1);
    prep_store_corte_unlock(b);
    prep_store_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_one_holder_the_other_is_told_at_once, t_fx_setup_keys,
                                        t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_closing_the_holder_frees_it, t_fx_setup_keys, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_corte_refused_while_another_node_holds_it, t_fx_setup_keys,
                                        t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_pg_killed_session_frees_it, t_fx_setup_keys, t_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
