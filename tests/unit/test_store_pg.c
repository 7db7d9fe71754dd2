/* test_store_pg.c — what only PostgreSQL has to prove, because several
 * `prep serve` nodes may share one database: two connections asking for work
 * at once never get the same acta (row locks, and the writer lock on top);
 * a second writer waits for the first (the bitácora is one chain); chains
 * appended from several connections at once still verify; a failed statement
 * fails the COMMIT (or only its savepoint); a dropped
 * connection is opened again; the URL recorded
 * in the data directory is the one every later open uses. Skipped without
 * PREP_TEST_STORE (scripts/pg-test.sh provides a throwaway server). */
#include "test_util.h"
#include "test_store_fx.h"

#include <pthread.h>
#include <sys/stat.h>

#include "audit/chain.h"
#include "ops/ops.h"

typedef t_fx fx;

/* Every casilla of the test catalog DIGITALIZADA: waiting for its first capture. */
static void all_digitalizadas(fx *f)
{
    prep_err err = {0};
    for (int c = 0; c < f->cat.ncasillas; c++) {
        prep_acta a;
        prep_acta_init(&a, 0, c);
        a.estado = PREP_EST_DIGITALIZADA;
        a.t_imagen = 1000 + c;
        assert_int_equal(f->st->vt->acta_put(f->st, &a, NULL, 0, &err), 0);
    }
}

/* A transaction that has leased an acta but not committed holds its row:
 * a second connection is given another acta at once, not the same one, and
 * not after waiting (the first transaction is a read one, so no writer lock
 * is involved: the row lock alone does it). */
static void test_lease_skips_row_leased_by_open_transaction(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    all_digitalizadas(f);
    prep_store *b = t_fx_open_other(f);
    int e1, c1, e2, c2;
    assert_int_equal(prep_store_begin(f->st, 0, &err), 0);
    assert_int_equal(f->st->vt->lease_next(f->st, PREP_FASE_CAPTURA, 101, -1, 0, 5000, 65000,
                                           &e1, &c1, &err),
                     0);
    assert_int_equal(c1, 0); /* oldest image first */
    assert_int_equal(b->vt->lease_next(b, PREP_FASE_CAPTURA, 102, -1, 0, 5000, 65000, &e2, &c2,
                                       &err),
                     0);
    assert_int_equal(c2, 1);
    assert_int_equal(prep_store_commit(f->st, &err), 0);
    int64_t user;
    prep_time until;
    assert_int_equal(b->vt->lease_get(b, 0, 0, &user, &until, &err), 0);
    assert_int_equal(user, 101);
    assert_int_equal(b->vt->lease_get(b, 0, 1, &user, &until, &err), 0);
    assert_int_equal(user, 102);
    prep_store_close(b);
}

typedef struct {
    fx *f;
    int64_t user;
    int rc, e, c;
    pthread_barrier_t *go;
} racer;

static void *race_lease(void *arg)
{
    racer *r = arg;
    prep_err err = {0};
    prep_store *st;
    if (prep_store_open(r->f->dir, &st, &err) < 0) {
        r->rc = -2;
        return NULL;
    }
    pthread_barrier_wait(r->go);
    r->rc = st->vt->lease_next(st, PREP_FASE_CAPTURA, r->user, -1, 0, 5000, 65000, &r->e, &r->c,
                               &err);
    prep_store_close(st);
    return NULL;
}

/* Six operators on six connections ask at the same instant for five actas:
 * five different actas are handed out and the sixth operator gets none. */
static void test_racing_connections_get_different_actas(void **state)
{
    fx *f = *state;
    all_digitalizadas(f);
    enum { N = 6 };
    pthread_t th[N];
    racer r[N];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, N);
    for (int i = 0; i < N; i++) {
        r[i] = (racer){.f = f, .user = 200 + i, .go = &go};
        assert_int_equal(pthread_create(&th[i], NULL, race_lease, &r[i]), 0);
    }
    int seen[5] = {0}, none = 0;
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        assert_true(r[i].rc == 0 || r[i].rc == 1);
        if (r[i].rc == 1) {
            none++;
            continue;
        }
        assert_true(r[i].c >= 0 && r[i].c < 5);
        seen[r[i].c]++;
    }
    pthread_barrier_destroy(&go);
    assert_int_equal(none, 1);
    for (int c = 0; c < 5; c++)
        assert_int_equal(seen[c], 1);
}

/* Is some connection waiting for an advisory lock? (asked from a third one) */
static int someone_waits(fx *f)
{
    char name[64], url[512];
    t_store_dbname(f->dir, name);
    t_pg_url(name, url, sizeof url);
    PGconn *c = PQconnectdb(url);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r =
        PQexec(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    int n = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return n > 0;
}

typedef struct {
    fx *f;
    volatile int first_committed, seen;
    int rc;
} second_writer;

static void *write_second(void *arg)
{
    second_writer *w = arg;
    prep_err err = {0};
    prep_store *st;
    if (prep_store_open(w->f->dir, &st, &err) < 0) {
        w->rc = -2;
        return NULL;
    }
    w->rc = prep_store_begin(st, 1, &err);
    w->seen = w->first_committed;
    if (w->rc == 0) {
        prep_ops o = {.st = st, .cat = &w->f->cat};
        w->rc = prep_ops_log(&o, &prep_actor_system, 2000, "prueba.segundo", "x", "", "", &err);
        if (w->rc == 0)
            w->rc = prep_store_commit(st, &err);
    }
    prep_store_close(st);
    return NULL;
}

/* A second write transaction (another node) waits at BEGIN until the first
 * commits, then sees its bitácora entry and chains after it. */
static void test_second_writer_waits_for_the_first(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_ops o = {.st = f->st, .cat = &f->cat};
    assert_int_equal(prep_store_begin(f->st, 1, &err), 0);
    assert_int_equal(prep_ops_log(&o, &prep_actor_system, 1000, "prueba.primero", "x", "", "", &err),
                     0);
    second_writer w = {.f = f};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, write_second, &w), 0);
    while (!someone_waits(f))
        usleep(10000);
    w.first_committed = 1;
    assert_int_equal(prep_store_commit(f->st, &err), 0);
    pthread_join(th, NULL);
    assert_int_equal(w.rc, 0);
    assert_int_equal(w.seen, 1);
    int64_t seq;
    char head[65];
    assert_int_equal(f->st->vt->log_head(f->st, &seq, head, &err), 0);
    assert_int_equal(seq, 2);
    char msg[256];
    int64_t n;
    assert_int_equal(prep_log_verify(f->st, &n, head, msg, sizeof msg, &err), 0);
    assert_int_equal(n, 2);
}

typedef struct {
    fx *f;
    int id, rc;
} appender;

static void *append_many(void *arg)
{
    appender *a = arg;
    prep_err err = {0};
    prep_store *st;
    if (prep_store_open(a->f->dir, &st, &err) < 0) {
        a->rc = -2;
        return NULL;
    }
    prep_ops o = {.st = st, .cat = &a->f->cat};
    a->rc = 0;
    for (int i = 0; i < 20 && a->rc == 0; i++) {
        char obj[32];
        snprintf(obj, sizeof obj, "nodo-%d/%d", a->id, i);
        a->rc = prep_store_begin(st, 1, &err);
        if (a->rc == 0)
            a->rc = prep_ops_log(&o, &prep_actor_system, 1000 + i, "prueba.nodo", obj, "", "",
                                 &err);
        if (a->rc == 0)
            a->rc = prep_store_commit(st, &err);
        else
            prep_store_rollback(st);
    }
    prep_store_close(st);
    return NULL;
}

/* Three connections append 20 entries each, interleaved: one unbroken chain of 60. */
static void test_chain_from_three_connections_verifies(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    pthread_t th[3];
    appender a[3];
    for (int i = 0; i < 3; i++) {
        a[i] = (appender){.f = f, .id = i};
        assert_int_equal(pthread_create(&th[i], NULL, append_many, &a[i]), 0);
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(a[i].rc, 0);
    }
    char msg[256], head[65];
    int64_t n = 0;
    assert_int_equal(prep_log_verify(f->st, &n, head, msg, sizeof msg, &err), 0);
    assert_int_equal(n, 60);
}

/* On PostgreSQL a failed statement spoils its whole transaction (SQLite
 * would go on): COMMIT then fails loudly and nothing of it is kept, instead
 * of PostgreSQL's silent ROLLBACK answer to COMMIT. A savepoint, as the
 * group-commit writer uses per request, keeps the rest. */
static void test_failed_statement_fails_the_commit(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_ops o = {.st = f->st, .cat = &f->cat};
    prep_val v[T_NFIELDS];
    t_vals(v, T_NCOLS, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0);
    assert_int_equal(prep_store_begin(f->st, 1, &err), 0);
    assert_int_equal(prep_ops_log(&o, &prep_actor_system, 1000, "prueba.a", "x", "", "", &err), 0);
    assert_int_equal(f->st->vt->captura_put(f->st, 0, 0, 0, 0, 11, 1000, v, T_NFIELDS, &err), 0);
    assert_int_equal(f->st->vt->captura_put(f->st, 0, 0, 0, 0, 12, 1001, v, T_NFIELDS, &err), -1);
    assert_int_equal(err.code, PREP_E_CONFLICT);
    assert_int_equal(prep_store_commit(f->st, &err), -1);
    assert_non_null(strstr(err.msg, "rolled back"));
    int64_t seq;
    char head[65];
    assert_int_equal(f->st->vt->log_head(f->st, &seq, head, &err), 0);
    assert_int_equal(seq, 0);
    /* The same inside a savepoint: rolled back to it, the rest commits. */
    assert_int_equal(prep_store_begin(f->st, 1, &err), 0);
    assert_int_equal(prep_ops_log(&o, &prep_actor_system, 1000, "prueba.a", "x", "", "", &err), 0);
    assert_int_equal(f->st->vt->captura_put(f->st, 0, 0, 0, 0, 11, 1000, v, T_NFIELDS, &err), 0);
    assert_int_equal(f->st->vt->savepoint(f->st, &err), 0);
    assert_int_equal(f->st->vt->captura_put(f->st, 0, 0, 0, 0, 12, 1001, v, T_NFIELDS, &err), -1);
    f->st->vt->rollback_to(f->st);
    assert_int_equal(prep_store_commit(f->st, &err), 0);
    assert_int_equal(f->st->vt->log_head(f->st, &seq, head, &err), 0);
    assert_int_equal(seq, 1);
    int64_t user = 0;
    prep_val got[T_NFIELDS];
    assert_int_equal(f->st->vt->captura_get(f->st, 0, 0, 0, 0, &user, NULL, got, T_NFIELDS, &err),
                     0);
    assert_int_equal(user, 11);
}

/* The server drops the connection (restart, failover, an administrator's
 * pg_terminate_backend): the next transaction opens a new session and works. */
static void test_reconnects_after_the_server_drops_it(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    prep_ops o = {.st = f->st, .cat = &f->cat};
    char name[64], url[512];
    t_store_dbname(f->dir, name);
    t_pg_url(name, url, sizeof url);
    assert_int_equal(t_pg_exec(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                    " WHERE datname = current_database()"
                                    " AND pid <> pg_backend_pid()"),
                     0);
    assert_int_equal(prep_store_begin(f->st, 1, &err), 0);
    assert_int_equal(prep_ops_log(&o, &prep_actor_system, 1000, "prueba.reconexion", "x", "", "",
                                  &err),
                     0);
    assert_int_equal(prep_store_commit(f->st, &err), 0);
    int64_t seq;
    char head[65];
    assert_int_equal(f->st->vt->log_head(f->st, &seq, head, &err), 0);
    assert_int_equal(seq, 1);
}

/* The data directory remembers its database: init again without --store
 * keeps it, a different store is refused, and the URL file is private. */
static void test_recorded_url_is_kept(void **state)
{
    fx *f = *state;
    prep_err err = {0};
    char path[128];
    struct stat sb;
    snprintf(path, sizeof path, "%s/store.url", f->dir);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(prep_store_create(f->dir, NULL, &err), 0);
    assert_int_equal(prep_store_create(f->dir, "sqlite", &err), -1);
    assert_int_equal(err.code, PREP_E_STATE);
    assert_int_equal(prep_store_create(f->dir, "postgresql://prep@127.0.0.1:1/otra", &err), -1);
    assert_int_equal(err.code, PREP_E_STATE);
    assert_string_equal(f->st->vt->name, "postgresql");
    snprintf(path, sizeof path, "%s/prep.db", f->dir);
    assert_int_not_equal(stat(path, &sb), 0);
}

/* A URL that does not connect records nothing, and says why. */
static void test_bad_url_records_nothing(void **state)
{
    (void)state;
    char dir[64] = "/tmp/prep-test-XXXXXX", path[128], cmd[128];
    prep_err err = {0};
    struct stat sb;
    assert_non_null(mkdtemp(dir));
    assert_int_equal(prep_store_create(dir, "postgresql://prep@127.0.0.1:1/nada", &err), -1);
    assert_int_equal(err.code, PREP_E_IO);
    assert_non_null(strstr(err.msg, "cannot connect to PostgreSQL"));
    snprintf(path, sizeof path, "%s/store.url", dir);
    assert_int_not_equal(stat(path, &sb), 0);
    assert_int_equal(prep_store_create(dir, "mysql://x", &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    if (!t_pg_server()) {
        printf("test_store_pg: skipped (PREP_TEST_STORE is not set; see scripts/pg-test.sh)\n");
        return 0;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lease_skips_row_leased_by_open_transaction, t_fx_setup_plain,
                                        t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_racing_connections_get_different_actas, t_fx_setup_plain,
                                        t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_second_writer_waits_for_the_first, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_chain_from_three_connections_verifies, t_fx_setup_plain,
                                        t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_failed_statement_fails_the_commit, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_reconnects_after_the_server_drops_it, t_fx_setup_plain,
                                        t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_recorded_url_is_kept, t_fx_setup_plain, t_fx_teardown),
        cmocka_unit_test_setup_teardown(test_bad_url_records_nothing, t_fx_setup_plain, t_fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
