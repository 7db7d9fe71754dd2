/* sqlite_log.c — the bitácora table: append-only (triggers refuse UPDATE
 * and DELETE), read back in sequence order for `prep log verify`. The chain
 * itself is computed in src/audit/chain.c, not here. */
#include <string.h>

#include "store/sqlite_internal.h"

int sq_log_head(prep_store *st, int64_t *seq, char hash[65], prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT seq, hash FROM bitacora ORDER BY seq DESC LIMIT 1", err);
    if (!q)
        return -1;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *seq = sqlite3_column_int64(q, 0);
        sq_copy(hash, 65, q, 1);
    } else {
        *seq = 0;
        memcpy(hash, PREP_CHAIN_GENESIS, 65);
    }
    sqlite3_reset(q);
    return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : sq_fail(s, err, "bitacora head");
}

int sq_log_append(prep_store *st, const prep_chain_entry *e, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q =
        sq_stmt(s, "INSERT INTO bitacora VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", err);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, e->seq);
    sqlite3_bind_int64(q, 2, e->at);
    sqlite3_bind_int64(q, 3, e->user);
    sqlite3_bind_text(q, 4, e->station ? e->station : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, e->action ? e->action : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, e->object ? e->object : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 7, e->before ? e->before : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 8, e->after ? e->after : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, e->prev, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 10, e->hash, -1, SQLITE_STATIC);
    return sq_done(s, q, err, "append bitacora");
}

int sq_log_iter(prep_store *st, int64_t from_seq, prep_log_cb cb, void *ctx, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    /* Not cached: iteration may nest other statements in the callback. */
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT seq, at, usuario, estacion, accion, objeto, antes, despues,"
                           " prev, hash FROM bitacora WHERE seq >= ?1 ORDER BY seq",
                           -1, &q, NULL) != SQLITE_OK)
        return sq_fail(s, err, "read bitacora");
    sqlite3_bind_int64(q, 1, from_seq);
    int rc, stop = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        prep_chain_entry e = {
            .seq = sqlite3_column_int64(q, 0),
            .at = sqlite3_column_int64(q, 1),
            .user = sqlite3_column_int64(q, 2),
            .station = sq_text(q, 3),
            .action = sq_text(q, 4),
            .object = sq_text(q, 5),
            .before = sq_text(q, 6),
            .after = sq_text(q, 7),
        };
        sq_copy(e.prev, sizeof e.prev, q, 8);
        sq_copy(e.hash, sizeof e.hash, q, 9);
        if ((stop = cb(ctx, &e)) != 0)
            break;
    }
    if (!stop && rc != SQLITE_DONE)
        sq_fail(s, err, "read bitacora");
    sqlite3_finalize(q);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : -1;
}
