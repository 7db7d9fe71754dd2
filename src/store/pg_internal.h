/* pg_internal.h — private to the PostgreSQL backend: the connection, the
 * prepared-statement cache, text parameters and the per-area functions that
 * fill the vtable. Nothing outside src/store/pg_*.c includes this. All
 * parameters and results travel as text (libpq's default), so the SQL reads
 * the same as the SQLite backend's. */
#ifndef PREP_PG_INTERNAL_H
#define PREP_PG_INTERNAL_H

#include <libpq-fe.h>

#include "store/store.h"

#define PG_MAX_STMTS 128
#define PG_MAX_PARAMS 24

/* Advisory lock keys, as SQL text (one-key space; the two-key space is unused):
 * "PREP" and "PREQ" in ASCII. */
#define PG_LOCK_WRITER "1347568976"  /* the single writer, like BEGIN IMMEDIATE */
#define PG_LOCK_MIGRATE "1347568977" /* schema migrations */
#define PG_LOCK_CORTE "1347568978"   /* one corte at a time (session-level, pg_lock.c) */

typedef struct {
    prep_store base;
    PGconn *conn;
    int depth;          /* 0 none, 1 transaction, >1 savepoints */
    int write;          /* current transaction is a write transaction */
    int corte_held;     /* this session holds the corte lock */
    struct {
        const char *sql;
    } cache[PG_MAX_STMTS];
    int ncache;
} prep_pg;

#define PG(st) ((prep_pg *)(st))

/* Text parameters of one statement. */
typedef struct {
    const char *v[PG_MAX_PARAMS];
    char buf[PG_MAX_PARAMS][24];
    int n;
} pg_params;

void pgp_int(pg_params *p, int64_t x);
void pgp_text(pg_params *p, const char *s); /* NULL binds SQL NULL */

/* Run sql (a string literal: it is prepared once per connection, keyed by its
 * address) with parameters pp (NULL = none). Returns the result when the
 * statement succeeded, NULL after filling err (what names the operation). */
PGresult *pg_run(prep_pg *p, const char *sql, const pg_params *pp, prep_err *err,
                 const char *what);
/* Same, for statements without rows; *changed (if not NULL) gets the row count. */
int pg_cmd(prep_pg *p, const char *sql, const pg_params *pp, prep_err *err, const char *what,
           int64_t *changed);
/* Run one or more statements without parameters or results (not prepared). */
int pg_exec(prep_pg *p, const char *sql, prep_err *err);
/* Fail with the server's message for a result (or the connection's). */
int pg_fail(prep_pg *p, const PGresult *r, prep_err *err, const char *what);
int64_t pg_int(const PGresult *r, int row, int col);
void pg_copy(char *dst, size_t cap, const PGresult *r, int row, int col);

/* Implicit transaction helpers for calls made outside begin/commit. */
int pg_auto_begin(prep_pg *p, int write, int *started, prep_err *err);
int pg_auto_end(prep_pg *p, int started, int ok, prep_err *err);

/* COPY rows into a table: begin, then rows of n text fields, then end. */
int pg_copy_begin(prep_pg *p, const char *copy_sql, prep_err *err);
int pg_copy_row(prep_pg *p, const char *const *fields, int n, prep_err *err);
int pg_copy_end(prep_pg *p, prep_err *err, const char *what);

int pg_schema_migrate(prep_pg *p, prep_err *err);

/* Per-area vtable members. */
int pg_catalog_save(prep_store *, const prep_catalog *, prep_err *);
int pg_catalog_load(prep_store *, prep_catalog *, prep_err *);
int pg_acta_get(prep_store *, int, int, prep_acta *, prep_val *, int, prep_err *);
int pg_acta_put(prep_store *, const prep_acta *, const prep_val *, int, prep_err *);
int pg_acta_counts(prep_store *, int, int64_t[PREP_EST__COUNT], prep_err *);
int pg_acta_iter(prep_store *, int, int, int, prep_acta_cb, void *, int, prep_err *);
int pg_captura_put(prep_store *, int, int, int, int, int64_t, prep_time, const prep_val *, int,
                   prep_err *);
int pg_captura_get(prep_store *, int, int, int, int, int64_t *, prep_time *, prep_val *, int,
                   prep_err *);
int pg_imagen_put(prep_store *, const prep_imagen *, prep_err *);
int pg_imagen_list(prep_store *, int, int, prep_imagen *, int, int *, prep_err *);
int pg_imagen_reject(prep_store *, int, int, const char *, prep_err *);
int pg_log_head(prep_store *, int64_t *, char[65], prep_err *);
int pg_log_append(prep_store *, const prep_chain_entry *, prep_err *);
int pg_log_iter(prep_store *, int64_t, prep_log_cb, void *, prep_err *);
int pg_user_add(prep_store *, prep_user *, prep_err *);
int pg_user_get(prep_store *, int64_t, prep_user *, prep_err *);
int pg_user_find(prep_store *, const char *, prep_user *, prep_err *);
int pg_user_update(prep_store *, const prep_user *, prep_err *);
int pg_user_iter(prep_store *, prep_user_cb, void *, prep_err *);
int pg_session_put(prep_store *, const char *, int64_t, prep_time, const char *, prep_err *);
int pg_session_get(prep_store *, const char *, int64_t *, prep_time *, char[64], prep_err *);
int pg_session_delete(prep_store *, const char *, prep_err *);
int pg_session_delete_user(prep_store *, int64_t, prep_err *);
int pg_lease_next(prep_store *, prep_fase, int64_t, int, int, prep_time, prep_time, int *, int *,
                  prep_err *);
int pg_lease_release(prep_store *, int, int, int64_t, prep_err *);
int pg_lease_get(prep_store *, int, int, int64_t *, prep_time *, prep_err *);
int pg_idem_get(prep_store *, const char *, int *, char **, prep_err *);
int pg_idem_put(prep_store *, const char *, int, const char *, prep_err *);
int pg_corte_add(prep_store *, const prep_corte_info *, prep_err *);
int pg_corte_iter(prep_store *, prep_corte_cb, void *, prep_err *);
int pg_fc_add(prep_store *, prep_fuera_catalogo *, prep_err *);
int pg_fc_publish(prep_store *, int, int64_t, prep_err *);
int pg_fc_iter(prep_store *, int, prep_fc_cb, void *, prep_err *);
int pg_corte_lock(prep_store *, prep_err *);
void pg_corte_unlock(prep_store *);

#endif
