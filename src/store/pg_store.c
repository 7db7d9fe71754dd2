/* pg_store.c — the PostgreSQL backend (libpq): connecting, statement and
 * parameter helpers, COPY, transactions and savepoints, meta and the vtable.
 * Concurrency: several `prep serve` nodes may share one database, so a write
 * transaction takes a transaction-level advisory lock at BEGIN (the
 * PostgreSQL form of SQLite's BEGIN IMMEDIATE): the bitácora is one hash
 * chain and cortes are numbered in sequence, so writers must take turns.
 * Reads run in REPEATABLE READ snapshots and never wait. The per-area
 * queries live in pg_catalog.c, pg_acta.c, pg_log.c, pg_users.c, pg_work.c
 * and pg_corte.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backends.h"
#include "store/pg_internal.h"

void pgp_int(pg_params *p, int64_t x)
{
    snprintf(p->buf[p->n], sizeof p->buf[p->n], "%lld", (long long)x);
    p->v[p->n] = p->buf[p->n];
    p->n++;
}

void pgp_text(pg_params *p, const char *s)
{
    p->v[p->n++] = s;
}

/* SQLSTATE classes to our error codes. */
static prep_errcode code_of(const char *state)
{
    if (!state)
        return PREP_E_IO;
    if (strncmp(state, "23", 2) == 0 || strcmp(state, "40001") == 0 ||
        strcmp(state, "40P01") == 0)
        return PREP_E_CONFLICT;
    if (strncmp(state, "XX", 2) == 0)
        return PREP_E_CORRUPT;
    return PREP_E_IO;
}

int pg_fail(prep_pg *p, const PGresult *r, prep_err *err, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg || !*msg)
        msg = PQerrorMessage(p->conn);
    char clean[256];
    snprintf(clean, sizeof clean, "%s", msg ? msg : "unknown error");
    clean[strcspn(clean, "\n")] = '\0';
    return prep_fail(err, code_of(state), "%s: %s", what, clean);
}

int pg_exec(prep_pg *p, const char *sql, prep_err *err)
{
    PGresult *r = PQexec(p->conn, sql);
    ExecStatusType s = PQresultStatus(r);
    int ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
    if (!ok)
        pg_fail(p, r, err, "database");
    PQclear(r);
    return ok ? 0 : -1;
}

/* Durable commits (the server's default, stated so no role setting can
 * weaken it), UTF-8 text, and the same 30 s patience as SQLite's busy
 * timeout when another node holds the writer lock. */
static int session_setup(prep_pg *p, prep_err *err)
{
    return pg_exec(p,
                   "SET synchronous_commit = on; SET client_encoding = 'UTF8';"
                   "SET lock_timeout = '30s'; SET client_min_messages = warning",
                   err);
}

/* Between transactions, a connection the server dropped (restart, failover
 * to the promoted replica behind the same name) is opened again; inside one,
 * the failure is the transaction's and is reported. Prepared statements
 * belong to the old session, so the cache starts empty. */
static int ensure_connected(prep_pg *p, prep_err *err)
{
    if (PQstatus(p->conn) == CONNECTION_OK || p->depth > 0)
        return 0;
    /* The corte lock lived in the lost session: the corte under way must fail
     * rather than go on unprotected. */
    if (p->corte_held) {
        p->corte_held = 0;
        return prep_fail(err, PREP_E_IO,
                         "lost the PostgreSQL connection (and the corte lock) during a corte");
    }
    PQreset(p->conn);
    p->ncache = 0;
    if (PQstatus(p->conn) != CONNECTION_OK)
        return pg_fail(p, NULL, err, "reconnect to PostgreSQL");
    return session_setup(p, err);
}

/* Index of sql in the cache, preparing it on first use; -1 on failure. */
static int prepared(prep_pg *p, const char *sql, int nparams, prep_err *err)
{
    for (int i = 0; i < p->ncache; i++)
        if (p->cache[i].sql == sql)
            return i;
    /* LCOV_EXCL_START the cache is sized above the number of statements in the code */
    if (p->ncache == PG_MAX_STMTS) {
        prep_fail(err, PREP_E_IO, "statement cache full");
        return -1;
    }
    /* LCOV_EXCL_STOP */
    char name[16];
    snprintf(name, sizeof name, "s%d", p->ncache);
    PGresult *r = PQprepare(p->conn, name, sql, nparams, NULL);
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        pg_fail(p, r, err, "prepare");
    PQclear(r);
    if (!ok)
        return -1;
    p->cache[p->ncache].sql = sql;
    return p->ncache++;
}

PGresult *pg_run(prep_pg *p, const char *sql, const pg_params *pp, prep_err *err,
                 const char *what)
{
    int n = pp ? pp->n : 0;
    if (ensure_connected(p, err) < 0)
        return NULL;
    int i = prepared(p, sql, n, err);
    if (i < 0)
        return NULL;
    char name[16];
    snprintf(name, sizeof name, "s%d", i);
    PGresult *r = PQexecPrepared(p->conn, name, n, pp ? pp->v : NULL, NULL, NULL, 0);
    ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        pg_fail(p, r, err, what);
        PQclear(r);
        return NULL;
    }
    return r;
}

int pg_cmd(prep_pg *p, const char *sql, const pg_params *pp, prep_err *err, const char *what,
           int64_t *changed)
{
    PGresult *r = pg_run(p, sql, pp, err, what);
    if (!r)
        return -1;
    if (changed)
        *changed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return 0;
}

int64_t pg_int(const PGresult *r, int row, int col)
{
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

void pg_copy(char *dst, size_t cap, const PGresult *r, int row, int col)
{
    snprintf(dst, cap, "%s", PQgetvalue(r, row, col));
}

int pg_copy_begin(prep_pg *p, const char *copy_sql, prep_err *err)
{
    PGresult *r = PQexec(p->conn, copy_sql);
    int ok = PQresultStatus(r) == PGRES_COPY_IN;
    if (!ok)
        pg_fail(p, r, err, "copy");
    PQclear(r);
    return ok ? 0 : -1;
}

/* One row in COPY's text format: tab-separated, with \, tab, newline and
 * carriage return escaped. */
int pg_copy_row(prep_pg *p, const char *const *fields, int n, prep_err *err)
{
    char line[4096];
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        for (const char *c = fields[i]; *c; c++) {
            if (len + 3 >= sizeof line)
                return prep_fail(err, PREP_E_TOO_LARGE, "copy: row too long");
            char e = *c == '\\' ? '\\' : *c == '\t' ? 't' : *c == '\n' ? 'n' : *c == '\r' ? 'r' : 0;
            if (e) {
                line[len++] = '\\';
                line[len++] = e;
            } else {
                line[len++] = *c;
            }
        }
        line[len++] = i + 1 < n ? '\t' : '\n';
    }
    if (PQputCopyData(p->conn, line, (int)len) != 1)
        return pg_fail(p, NULL, err, "copy");
    return 0;
}

int pg_copy_end(prep_pg *p, prep_err *err, const char *what)
{
    if (PQputCopyEnd(p->conn, NULL) != 1)
        return pg_fail(p, NULL, err, what);
    int ok = 1;
    PGresult *r;
    while ((r = PQgetResult(p->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && ok) {
            pg_fail(p, r, err, what);
            ok = 0;
        }
        PQclear(r);
    }
    return ok ? 0 : -1;
}

/* BEGIN, and for a write transaction the writer lock. READ COMMITTED is
 * enough once writers take turns: each statement sees every earlier commit.
 * The lock goes with the transaction (released by COMMIT or ROLLBACK). */
static int begin_sql(prep_pg *p, int write, prep_err *err)
{
    const char *sql = write ? "BEGIN ISOLATION LEVEL READ COMMITTED;"
                              " SELECT pg_advisory_xact_lock(" PG_LOCK_WRITER ")"
                            : "BEGIN ISOLATION LEVEL REPEATABLE READ";
    if (pg_exec(p, sql, err) == 0)
        return 0;
    if (PQtransactionStatus(p->conn) != PQTRANS_IDLE)
        pg_exec(p, "ROLLBACK", NULL);
    return -1;
}

static int pg_begin(prep_store *st, int write, prep_err *err)
{
    prep_pg *p = PG(st);
    if (p->depth > 0)
        return prep_fail(err, PREP_E_STATE, "a transaction is already open");
    if (ensure_connected(p, err) < 0)
        return -1;
    if (begin_sql(p, write, err) < 0) {
        if (PQstatus(p->conn) != CONNECTION_BAD)
            return -1;
        /* Dropped by the server since the last transaction: nothing was
         * done yet, so once more on a new session. */
        if (ensure_connected(p, err) < 0 || begin_sql(p, write, err) < 0)
            return -1;
    }
    p->depth = 1;
    p->write = write;
    return 0;
}

static int pg_commit(prep_store *st, prep_err *err)
{
    prep_pg *p = PG(st);
    if (p->depth != 1)
        return prep_fail(err, PREP_E_STATE, "commit without an open transaction");
    p->depth = 0;
    PGresult *r = PQexec(p->conn, "COMMIT");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    /* A transaction in which a statement failed answers COMMIT with ROLLBACK. */
    if (ok && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        prep_fail(err, PREP_E_IO, "commit: the transaction was rolled back after an error");
        ok = 0;
    } else if (!ok) {
        pg_fail(p, r, err, "commit");
    }
    PQclear(r);
    if (!ok && PQtransactionStatus(p->conn) != PQTRANS_IDLE)
        pg_exec(p, "ROLLBACK", NULL);
    return ok ? 0 : -1;
}

static void pg_rollback(prep_store *st)
{
    prep_pg *p = PG(st);
    if (p->depth > 0)
        pg_exec(p, "ROLLBACK", NULL);
    p->depth = 0;
}

static int pg_savepoint(prep_store *st, prep_err *err)
{
    prep_pg *p = PG(st);
    if (p->depth < 1)
        return prep_fail(err, PREP_E_STATE, "savepoint outside a transaction");
    if (pg_exec(p, "SAVEPOINT sp", err) < 0)
        return -1;
    p->depth++;
    return 0;
}

static int pg_release(prep_store *st, prep_err *err)
{
    prep_pg *p = PG(st);
    if (p->depth < 2)
        return prep_fail(err, PREP_E_STATE, "release without a savepoint");
    if (pg_exec(p, "RELEASE sp", err) < 0)
        return -1;
    p->depth--;
    return 0;
}

static void pg_rollback_to(prep_store *st)
{
    prep_pg *p = PG(st);
    if (p->depth < 2)
        return;
    pg_exec(p, "ROLLBACK TO sp", NULL);
    pg_exec(p, "RELEASE sp", NULL);
    p->depth--;
}

int pg_auto_begin(prep_pg *p, int write, int *started, prep_err *err)
{
    *started = 0;
    if (p->depth > 0)
        return 0;
    if (pg_begin(&p->base, write, err) < 0)
        return -1;
    *started = 1;
    return 0;
}

int pg_auto_end(prep_pg *p, int started, int ok, prep_err *err)
{
    if (!started)
        return ok ? 0 : -1;
    if (!ok) {
        pg_rollback(&p->base);
        return -1;
    }
    return pg_commit(&p->base, err);
}

static int pg_meta_get(prep_store *st, const char *key, char *buf, size_t cap, prep_err *err)
{
    prep_pg *p = PG(st);
    pg_params pp = {0};
    pgp_text(&pp, key);
    PGresult *r = pg_run(p, "SELECT value FROM meta WHERE key = $1", &pp, err, "meta");
    if (!r)
        return -1;
    int found = PQntuples(r) > 0;
    if (found)
        pg_copy(buf, cap, r, 0, 0);
    else if (cap)
        buf[0] = '\0';
    PQclear(r);
    return found ? 0 : 1;
}

static int pg_meta_set(prep_store *st, const char *key, const char *value, prep_err *err)
{
    pg_params pp = {0};
    pgp_text(&pp, key);
    pgp_text(&pp, value);
    return pg_cmd(PG(st),
                  "INSERT INTO meta(key, value) VALUES($1, $2)"
                  " ON CONFLICT(key) DO UPDATE SET value = EXCLUDED.value",
                  &pp, err, "meta", NULL);
}

static void pg_close(prep_store *st)
{
    prep_pg *p = PG(st);
    if (!p)
        return;
    if (p->depth > 0)
        pg_rollback(st);
    pg_corte_unlock(st);
    PQfinish(p->conn);
    free(p);
}

static const prep_store_vt pg_vt = {
    .name = "postgresql",
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .savepoint = pg_savepoint,
    .release = pg_release,
    .rollback_to = pg_rollback_to,
    .meta_get = pg_meta_get,
    .meta_set = pg_meta_set,
    .catalog_save = pg_catalog_save,
    .catalog_load = pg_catalog_load,
    .acta_get = pg_acta_get,
    .acta_put = pg_acta_put,
    .acta_counts = pg_acta_counts,
    .acta_iter = pg_acta_iter,
    .captura_put = pg_captura_put,
    .captura_get = pg_captura_get,
    .imagen_put = pg_imagen_put,
    .imagen_list = pg_imagen_list,
    .imagen_reject = pg_imagen_reject,
    .log_head = pg_log_head,
    .log_append = pg_log_append,
    .log_iter = pg_log_iter,
    .user_add = pg_user_add,
    .user_get = pg_user_get,
    .user_find = pg_user_find,
    .user_update = pg_user_update,
    .user_iter = pg_user_iter,
    .session_put = pg_session_put,
    .session_get = pg_session_get,
    .session_delete = pg_session_delete,
    .session_delete_user = pg_session_delete_user,
    .lease_next = pg_lease_next,
    .lease_release = pg_lease_release,
    .lease_get = pg_lease_get,
    .idem_get = pg_idem_get,
    .idem_put = pg_idem_put,
    .corte_add = pg_corte_add,
    .corte_iter = pg_corte_iter,
    .fc_add = pg_fc_add,
    .fc_publish = pg_fc_publish,
    .fc_iter = pg_fc_iter,
    .corte_lock = pg_corte_lock,
    .corte_unlock = pg_corte_unlock,
};

int prep_pg_open(const char *datadir, const char *url, prep_store **out, prep_err *err)
{
    prep_pg *p = calloc(1, sizeof *p);
    if (!p)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    p->base.vt = &pg_vt;
    snprintf(p->base.datadir, sizeof p->base.datadir, "%s", datadir);
    p->conn = PQconnectdb(url);
    if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
        char why[256];
        snprintf(why, sizeof why, "%s", p->conn ? PQerrorMessage(p->conn) : "out of memory");
        why[strcspn(why, "\n")] = '\0';
        PQfinish(p->conn);
        free(p);
        return prep_fail(err, PREP_E_IO, "cannot connect to PostgreSQL: %s", why);
    }
    if (session_setup(p, err) < 0 || pg_schema_migrate(p, err) < 0) {
        pg_close(&p->base);
        return -1;
    }
    *out = &p->base;
    return 0;
}
