/* sqlite_work.c — work queues (leases) and idempotency keys.
 * A lease gives one operator one acta for a while, so a hundred capturistas
 * asking for "the next acta" at once never get the same one; an expired
 * lease frees the acta for the next operator. Idempotency keys store the
 * reply of a write so a retried request gets the same answer. */
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* "The next acta" of each phase: the caller's own lease first, then the
 * oldest. Written as one LIMIT 1 branch per way an acta is in the queue
 * (estado, and ncapturas for a discrepancia), each read in index order and
 * stopping at its first free row, so a lease costs a few index steps
 * however long the queue is; the outer ORDER BY is that of the single
 * query it replaced, which read and sorted the whole queue on every
 * request (a third of the drill's CPU with a verification backlog of 1,600
 * actas). Indexes: acta_queue (estado, t_imagen), acta_queue_captura
 * (estado, t_captura) and acta_lease (lease_user, estado) (migration 3). */
#define LEASE_FREE " AND (lease_until <= ?2 OR lease_user = ?1)" \
                   " AND (?3 < 0 OR eleccion = ?3) AND (?4 = 0 OR catd = ?4)"
#define CAP_FREE " AND cap1 <> ?1 AND cap2 <> ?1"
#define VER_FREE CAP_FREE " AND cap3 <> ?1"
#define BRANCH(where, order) \
    "SELECT * FROM (SELECT eleccion, casilla, lease_user, " order " AS t FROM acta WHERE " where \
    " ORDER BY " order " LIMIT 1)"
static const char *const lease_sql[3] = {
    [PREP_FASE_CAPTURA] =
        "SELECT eleccion, casilla FROM ("
        BRANCH("lease_user = ?1 AND estado IN (2, 3, 4) AND (estado <> 4 OR ncapturas = 2)"
               CAP_FREE LEASE_FREE, "t_imagen")
        " UNION ALL " BRANCH("estado = 2" CAP_FREE LEASE_FREE, "t_imagen")
        " UNION ALL " BRANCH("estado = 3" CAP_FREE LEASE_FREE, "t_imagen")
        " UNION ALL " BRANCH("estado = 4 AND ncapturas = 2" CAP_FREE LEASE_FREE, "t_imagen")
        ") ORDER BY lease_user = ?1 DESC, t LIMIT 1",
    [PREP_FASE_VERIFICACION] =
        "SELECT eleccion, casilla FROM ("
        BRANCH("lease_user = ?1 AND estado IN (4, 5) AND (estado <> 4 OR ncapturas = 3)"
               VER_FREE LEASE_FREE, "t_captura")
        " UNION ALL " BRANCH("estado = 5" VER_FREE LEASE_FREE, "t_captura")
        " UNION ALL " BRANCH("estado = 4 AND ncapturas = 3" VER_FREE LEASE_FREE, "t_captura")
        ") ORDER BY lease_user = ?1 DESC, t LIMIT 1",
    [PREP_FASE_COTEJO] =
        "SELECT eleccion, casilla FROM acta WHERE estado = 7 AND cotejo IN (0, 3)"
        LEASE_FREE " ORDER BY lease_user = ?1 DESC, t_publicacion LIMIT 1",
};

int sq_lease_next(prep_store *st, prep_fase fase, int64_t user, int eleccion, int catd,
                  prep_time now, prep_time until, int *e, int *c, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    if ((int)fase < 0 || fase > PREP_FASE_COTEJO)
        return prep_fail(err, PREP_E_INVALID, "unknown work phase");
    int started;
    if (sq_auto_begin(s, 1, &started, err) < 0)
        return -1;
    sqlite3_stmt *q = sq_stmt(s, lease_sql[fase], err);
    int rc = -1;
    if (q) {
        sqlite3_bind_int64(q, 1, user);
        sqlite3_bind_int64(q, 2, now);
        sqlite3_bind_int(q, 3, eleccion);
        sqlite3_bind_int(q, 4, catd);
        int step = sqlite3_step(q);
        if (step == SQLITE_ROW) {
            *e = sqlite3_column_int(q, 0);
            *c = sqlite3_column_int(q, 1);
            rc = 0;
        } else if (step == SQLITE_DONE) {
            rc = 1;
        } else {
            sq_fail(s, err, "lease");
        }
        sqlite3_reset(q);
    }
    if (rc == 0) {
        sqlite3_stmt *u = sq_stmt(s,
                                  "UPDATE acta SET lease_user = ?3, lease_until = ?4"
                                  " WHERE eleccion = ?1 AND casilla = ?2",
                                  err);
        if (!u)
            rc = -1;
        else {
            sqlite3_bind_int(u, 1, *e);
            sqlite3_bind_int(u, 2, *c);
            sqlite3_bind_int64(u, 3, user);
            sqlite3_bind_int64(u, 4, until);
            if (sq_done(s, u, err, "lease") < 0)
                rc = -1;
        }
    }
    if (sq_auto_end(s, started, rc >= 0, err) < 0)
        return -1;
    return rc;
}

int sq_lease_release(prep_store *st, int e, int c, int64_t user, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "UPDATE acta SET lease_user = 0, lease_until = 0"
                              " WHERE eleccion = ?1 AND casilla = ?2 AND lease_user = ?3",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, e);
    sqlite3_bind_int(q, 2, c);
    sqlite3_bind_int64(q, 3, user);
    return sq_done(s, q, err, "release lease");
}

int sq_lease_get(prep_store *st, int e, int c, int64_t *user, prep_time *until, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(
        s, "SELECT lease_user, lease_until FROM acta WHERE eleccion = ?1 AND casilla = ?2", err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, e);
    sqlite3_bind_int(q, 2, c);
    *user = 0;
    *until = 0;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *user = sqlite3_column_int64(q, 0);
        *until = sqlite3_column_int64(q, 1);
    }
    sqlite3_reset(q);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : sq_fail(s, err, "read lease");
}

int sq_idem_get(prep_store *st, const char *key, int *status, char **body, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT status, body FROM idem WHERE clave = ?1", err);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *status = sqlite3_column_int(q, 0);
        *body = strdup(sq_text(q, 1));
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return *body ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
    return rc == SQLITE_DONE ? 1 : sq_fail(s, err, "read idempotency key");
}

int sq_idem_put(prep_store *st, const char *key, int status, const char *body, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT OR REPLACE INTO idem VALUES(?1, ?2, ?3)", err);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 2, status);
    sqlite3_bind_text(q, 3, body, -1, SQLITE_STATIC);
    return sq_done(s, q, err, "write idempotency key");
}
