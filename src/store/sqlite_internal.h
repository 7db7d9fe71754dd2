/* sqlite_internal.h — private to the SQLite backend: the connection, the
 * prepared-statement cache and the per-area functions that fill the vtable.
 * Nothing outside src/store/sqlite_*.c includes this. */
#ifndef PREP_SQLITE_INTERNAL_H
#define PREP_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "store/store.h"

#define SQ_MAX_STMTS 96

typedef struct {
    prep_store base;
    sqlite3 *db;
    int depth;          /* 0 none, 1 transaction, >1 savepoints */
    int write;          /* current transaction is a write transaction */
    int corte_held;     /* the corte lock is held: corte_fd is cortes/.lock, flocked */
    int corte_fd;
    struct {
        const char *sql;
        sqlite3_stmt *st;
    } cache[SQ_MAX_STMTS];
    int ncache;
} prep_sqlite;

#define SQ(st) ((prep_sqlite *)(st))

/* Prepared statement for sql (a string literal), reset and cleared. NULL + err on failure. */
sqlite3_stmt *sq_stmt(prep_sqlite *s, const char *sql, prep_err *err);
/* Fail with the database's message. */
int sq_fail(prep_sqlite *s, prep_err *err, const char *what);
/* Run one statement without results. */
int sq_exec(prep_sqlite *s, const char *sql, prep_err *err);
/* Step a statement expected to finish (INSERT/UPDATE/DELETE). */
int sq_done(prep_sqlite *s, sqlite3_stmt *st, prep_err *err, const char *what);
const char *sq_text(sqlite3_stmt *st, int col); /* never NULL */
void sq_copy(char *dst, size_t cap, sqlite3_stmt *st, int col);

/* Implicit transaction helpers for calls made outside begin/commit. */
int sq_auto_begin(prep_sqlite *s, int write, int *started, prep_err *err);
int sq_auto_end(prep_sqlite *s, int started, int ok, prep_err *err);

int sq_schema_migrate(prep_sqlite *s, prep_err *err);

/* Per-area vtable members. */
int sq_catalog_save(prep_store *, const prep_catalog *, prep_err *);
int sq_catalog_load(prep_store *, prep_catalog *, prep_err *);
int sq_acta_get(prep_store *, int, int, prep_acta *, prep_val *, int, prep_err *);
int sq_acta_put(prep_store *, const prep_acta *, const prep_val *, int, prep_err *);
int sq_acta_counts(prep_store *, int, int64_t[PREP_EST__COUNT], prep_err *);
int sq_acta_iter(prep_store *, int, int, int, prep_acta_cb, void *, int, prep_err *);
int sq_captura_put(prep_store *, int, int, int, int, int64_t, prep_time, const prep_val *, int,
                   prep_err *);
int sq_captura_get(prep_store *, int, int, int, int, int64_t *, prep_time *, prep_val *, int,
                   prep_err *);
int sq_imagen_put(prep_store *, const prep_imagen *, prep_err *);
int sq_imagen_list(prep_store *, int, int, prep_imagen *, int, int *, prep_err *);
int sq_imagen_reject(prep_store *, int, int, const char *, prep_err *);
int sq_log_head(prep_store *, int64_t *, char[65], prep_err *);
int sq_log_append(prep_store *, const prep_chain_entry *, prep_err *);
int sq_log_iter(prep_store *, int64_t, prep_log_cb, void *, prep_err *);
int sq_user_add(prep_store *, prep_user *, prep_err *);
int sq_user_get(prep_store *, int64_t, prep_user *, prep_err *);
int sq_user_find(prep_store *, const char *, prep_user *, prep_err *);
int sq_user_update(prep_store *, const prep_user *, prep_err *);
int sq_user_iter(prep_store *, prep_user_cb, void *, prep_err *);
int sq_session_put(prep_store *, const char *, int64_t, prep_time, const char *, prep_err *);
int sq_session_get(prep_store *, const char *, int64_t *, prep_time *, char[64], prep_err *);
int sq_session_delete(prep_store *, const char *, prep_err *);
int sq_session_delete_user(prep_store *, int64_t, prep_err *);
int sq_lease_next(prep_store *, prep_fase, int64_t, int, int, prep_time, prep_time, int *, int *,
                  prep_err *);
int sq_lease_release(prep_store *, int, int, int64_t, prep_err *);
int sq_lease_get(prep_store *, int, int, int64_t *, prep_time *, prep_err *);
int sq_idem_get(prep_store *, const char *, int *, char **, prep_err *);
int sq_idem_put(prep_store *, const char *, int, const char *, prep_err *);
int sq_corte_add(prep_store *, const prep_corte_info *, prep_err *);
int sq_corte_iter(prep_store *, prep_corte_cb, void *, prep_err *);
int sq_fc_add(prep_store *, prep_fuera_catalogo *, prep_err *);
int sq_fc_publish(prep_store *, int, int64_t, prep_err *);
int sq_fc_iter(prep_store *, int, prep_fc_cb, void *, prep_err *);
int sq_corte_lock(prep_store *, prep_err *);
void sq_corte_unlock(prep_store *);

#endif
