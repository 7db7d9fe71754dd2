/* pg_log.c — the bitácora table on PostgreSQL: append-only (triggers refuse
 * UPDATE, DELETE and TRUNCATE), read back in sequence order, a page at a
 * time so a long election night's log never sits in memory at once. The
 * chain itself is computed in src/audit/chain.c, not here. Appends are
 * serialized by the writer lock of every write transaction (pg_store.c). */
#include <string.h>

#include "store/pg_internal.h"

#define LOG_PAGE 5000
#define PG_LOG_PAGE "5000" /* LOG_PAGE as SQL text */

int pg_log_head(prep_store *st, int64_t *seq, char hash[65], prep_err *err)
{
    PGresult *r = pg_run(PG(st), "SELECT seq, hash FROM bitacora ORDER BY seq DESC LIMIT 1", NULL,
                         err, "bitacora head");
    if (!r)
        return -1;
    if (PQntuples(r) > 0) {
        *seq = pg_int(r, 0, 0);
        pg_copy(hash, 65, r, 0, 1);
    } else {
        *seq = 0;
        memcpy(hash, PREP_CHAIN_GENESIS, 65);
    }
    PQclear(r);
    return 0;
}

int pg_log_append(prep_store *st, const prep_chain_entry *e, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e->seq);
    pgp_int(&pp, e->at);
    pgp_int(&pp, e->user);
    pgp_text(&pp, e->station ? e->station : "");
    pgp_text(&pp, e->action ? e->action : "");
    pgp_text(&pp, e->object ? e->object : "");
    pgp_text(&pp, e->before ? e->before : "");
    pgp_text(&pp, e->after ? e->after : "");
    pgp_text(&pp, e->prev);
    pgp_text(&pp, e->hash);
    return pg_cmd(PG(st), "INSERT INTO bitacora VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                  &pp, err, "append bitacora", NULL);
}

int pg_log_iter(prep_store *st, int64_t from_seq, prep_log_cb cb, void *ctx, prep_err *err)
{
    prep_pg *p = PG(st);
    int started;
    if (pg_auto_begin(p, 0, &started, err) < 0)
        return -1;
    int rc = 0, n;
    do {
        pg_params pp = {0};
        pgp_int(&pp, from_seq);
        PGresult *r = pg_run(p,
                             "SELECT seq, at, usuario, estacion, accion, objeto, antes, despues,"
                             " prev, hash FROM bitacora WHERE seq >= $1 ORDER BY seq LIMIT " PG_LOG_PAGE,
                             &pp, err, "read bitacora");
        if (!r) {
            rc = -1;
            break;
        }
        n = PQntuples(r);
        for (int i = 0; i < n && rc == 0; i++) {
            prep_chain_entry e = {
                .seq = pg_int(r, i, 0),
                .at = pg_int(r, i, 1),
                .user = pg_int(r, i, 2),
                .station = PQgetvalue(r, i, 3),
                .action = PQgetvalue(r, i, 4),
                .object = PQgetvalue(r, i, 5),
                .before = PQgetvalue(r, i, 6),
                .after = PQgetvalue(r, i, 7),
            };
            pg_copy(e.prev, sizeof e.prev, r, i, 8);
            pg_copy(e.hash, sizeof e.hash, r, i, 9);
            from_seq = e.seq + 1;
            rc = cb(ctx, &e);
        }
        PQclear(r);
    } while (rc == 0 && n == LOG_PAGE);
    if (pg_auto_end(p, started, rc >= 0, err) < 0 && rc >= 0)
        return -1;
    return rc;
}
