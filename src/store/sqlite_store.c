/* sqlite_store.c — the embedded SQLite backend: opening, pragmas for
 * durability (WAL + synchronous=FULL: a commit is on disk before it returns),
 * transactions and savepoints, the statement cache and the vtable. The
 * per-area queries live in sqlite_catalog.c, sqlite_acta.c, sqlite_log.c,
 * sqlite_users.c, sqlite_work.c and sqlite_corte.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/backends.h"
#include "store/sqlite_internal.h"

int sq_fail(prep_sqlite *s, prep_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(s->db);
    prep_errcode c = PREP_E_IO;
    if ((code & 0xff) == SQLITE_CONSTRAINT)
        c = PREP_E_CONFLICT;
    else if ((code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB)
        c = PREP_E_CORRUPT;
    else if ((code & 0xff) == SQLITE_FULL)
        return prep_fail(err, PREP_E_NOSPACE, "%s: no space left on the data disk (%s)", what,
                         sqlite3_errmsg(s->db));
    return prep_fail(err, c, "%s: %s", what, sqlite3_errmsg(s->db));
}

int sq_exec(prep_sqlite *s, const char *sql, prep_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if ((sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_FULL)
            prep_fail(err, PREP_E_NOSPACE, "database: no space left on the data disk (%s)",
                      msg ? msg : sqlite3_errmsg(s->db));
        else
            prep_fail(err, PREP_E_IO, "database: %s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

sqlite3_stmt *sq_stmt(prep_sqlite *s, const char *sql, prep_err *err)
{
    for (int i = 0; i < s->ncache; i++) {
        if (s->cache[i].sql == sql) {
            sqlite3_reset(s->cache[i].st);
            sqlite3_clear_bindings(s->cache[i].st);
            return s->cache[i].st;
        }
    }
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        sq_fail(s, err, "prepare");
        return NULL;
    }
    if (s->ncache < SQ_MAX_STMTS) {
        s->cache[s->ncache].sql = sql;
        s->cache[s->ncache].st = st;
        s->ncache++;
    }
    /* LCOV_EXCL_START cache is sized above the number of statements in the code */
    else {
        sqlite3_finalize(s->cache[0].st);
        s->cache[0].sql = sql;
        s->cache[0].st = st;
    }
    /* LCOV_EXCL_STOP */
    return st;
}

int sq_done(prep_sqlite *s, sqlite3_stmt *st, prep_err *err, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        sq_fail(s, err, what);
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
}

const char *sq_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

void sq_copy(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
    snprintf(dst, cap, "%s", sq_text(st, col));
}

static int sq_begin(prep_store *st, int write, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    if (s->depth > 0)
        return prep_fail(err, PREP_E_STATE, "a transaction is already open");
    if (sq_exec(s, write ? "BEGIN IMMEDIATE" : "BEGIN", err) < 0)
        return -1;
    s->depth = 1;
    s->write = write;
    return 0;
}

static int sq_commit(prep_store *st, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    if (s->depth != 1)
        return prep_fail(err, PREP_E_STATE, "commit without an open transaction");
    if (sq_exec(s, "COMMIT", err) < 0) {
        sq_exec(s, "ROLLBACK", NULL);
        s->depth = 0;
        return -1;
    }
    s->depth = 0;
    return 0;
}

static void sq_rollback(prep_store *st)
{
    prep_sqlite *s = SQ(st);
    if (s->depth > 0)
        sq_exec(s, "ROLLBACK", NULL);
    s->depth = 0;
}

static int sq_savepoint(prep_store *st, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    if (s->depth < 1)
        return prep_fail(err, PREP_E_STATE, "savepoint outside a transaction");
    if (sq_exec(s, "SAVEPOINT sp", err) < 0)
        return -1;
    s->depth++;
    return 0;
}

static int sq_release(prep_store *st, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    if (s->depth < 2)
        return prep_fail(err, PREP_E_STATE, "release without a savepoint");
    if (sq_exec(s, "RELEASE sp", err) < 0)
        return -1;
    s->depth--;
    return 0;
}

static void sq_rollback_to(prep_store *st)
{
    prep_sqlite *s = SQ(st);
    if (s->depth < 2)
        return;
    sq_exec(s, "ROLLBACK TO sp", NULL);
    sq_exec(s, "RELEASE sp", NULL);
    s->depth--;
}

int sq_auto_begin(prep_sqlite *s, int write, int *started, prep_err *err)
{
    *started = 0;
    if (s->depth > 0)
        return 0;
    if (sq_begin(&s->base, write, err) < 0)
        return -1;
    *started = 1;
    return 0;
}

int sq_auto_end(prep_sqlite *s, int started, int ok, prep_err *err)
{
    if (!started)
        return ok ? 0 : -1;
    if (!ok) {
        sq_rollback(&s->base);
        return -1;
    }
    return sq_commit(&s->base, err);
}

static int sq_meta_get(prep_store *st, const char *key, char *buf, size_t cap, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT value FROM meta WHERE key = ?1", err);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        sq_copy(buf, cap, q, 0);
        sqlite3_reset(q);
        return 0;
    }
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return sq_fail(s, err, "meta");
    if (cap)
        buf[0] = '\0';
    return 1;
}

static int sq_meta_set(prep_store *st, const char *key, const char *value, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q =
        sq_stmt(s, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)", err);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
    return sq_done(s, q, err, "meta");
}

static void sq_close(prep_store *st)
{
    prep_sqlite *s = SQ(st);
    if (!s)
        return;
    if (s->depth > 0)
        sq_rollback(st);
    sq_corte_unlock(st);
    for (int i = 0; i < s->ncache; i++)
        sqlite3_finalize(s->cache[i].st);
    sqlite3_close(s->db);
    free(s);
}

static const prep_store_vt sqlite_vt = {
    .name = "sqlite",
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .savepoint = sq_savepoint,
    .release = sq_release,
    .rollback_to = sq_rollback_to,
    .meta_get = sq_meta_get,
    .meta_set = sq_meta_set,
    .catalog_save = sq_catalog_save,
    .catalog_load = sq_catalog_load,
    .acta_get = sq_acta_get,
    .acta_put = sq_acta_put,
    .acta_counts = sq_acta_counts,
    .acta_iter = sq_acta_iter,
    .captura_put = sq_captura_put,
    .captura_get = sq_captura_get,
    .imagen_put = sq_imagen_put,
    .imagen_list = sq_imagen_list,
    .imagen_reject = sq_imagen_reject,
    .log_head = sq_log_head,
    .log_append = sq_log_append,
    .log_iter = sq_log_iter,
    .user_add = sq_user_add,
    .user_get = sq_user_get,
    .user_find = sq_user_find,
    .user_update = sq_user_update,
    .user_iter = sq_user_iter,
    .session_put = sq_session_put,
    .session_get = sq_session_get,
    .session_delete = sq_session_delete,
    .session_delete_user = sq_session_delete_user,
    .lease_next = sq_lease_next,
    .lease_release = sq_lease_release,
    .lease_get = sq_lease_get,
    .idem_get = sq_idem_get,
    .idem_put = sq_idem_put,
    .corte_add = sq_corte_add,
    .corte_iter = sq_corte_iter,
    .fc_add = sq_fc_add,
    .fc_publish = sq_fc_publish,
    .fc_iter = sq_fc_iter,
    .corte_lock = sq_corte_lock,
    .corte_unlock = sq_corte_unlock,
};

static int db_path(const char *datadir, char *out, size_t cap, prep_err *err)
{
    if ((size_t)snprintf(out, cap, "%s/prep.db", datadir) >= cap)
        return prep_fail(err, PREP_E_INVALID, "data directory path too long");
    return 0;
}

int prep_sqlite_open(const char *datadir, int create, prep_store **out, prep_err *err)
{
    char path[600];
    if (db_path(datadir, path, sizeof path, err) < 0)
        return -1;
    prep_sqlite *s = calloc(1, sizeof *s);
    if (!s)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    s->base.vt = &sqlite_vt;
    snprintf(s->base.datadir, sizeof s->base.datadir, "%s", datadir);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        prep_fail(err, PREP_E_IO, "cannot open %s: %s%s", path,
                  s->db ? sqlite3_errmsg(s->db) : "out of memory",
                  create ? "" : " (run 'prep init' first)");
        sqlite3_close(s->db);
        free(s);
        return -1;
    }
    sqlite3_busy_timeout(s->db, 30000);
    if (sq_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;"
                   "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
                err) < 0 ||
        sq_schema_migrate(s, err) < 0) {
        sq_close(&s->base);
        return -1;
    }
    *out = &s->base;
    return 0;
}
