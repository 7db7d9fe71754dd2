/* pg_work.c — work queues (leases) and idempotency keys on PostgreSQL.
 * lease_next must never give one acta to two operators, even when two
 * `prep serve` nodes ask at the same instant: the candidate row is taken
 * with FOR UPDATE SKIP LOCKED (a row another transaction is leasing is
 * skipped, and a row changed since our snapshot is re-checked), then
 * updated in the same transaction. This holds on its own, without relying
 * on the writer lock that write transactions also take. */
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"

#define LEASE_TAIL " LIMIT 1 FOR UPDATE SKIP LOCKED"

static const char *const lease_sql[3] = {
    [PREP_FASE_CAPTURA] =
        "SELECT eleccion, casilla FROM acta WHERE"
        " (estado IN (2, 3) OR (estado = 4 AND ncapturas = 2))"
        " AND cap1 <> $1 AND cap2 <> $1 AND (lease_until <= $2 OR lease_user = $1)"
        " AND ($3 < 0 OR eleccion = $3) AND ($4 = 0 OR catd = $4)"
        " ORDER BY lease_user = $1 DESC, t_imagen" LEASE_TAIL,
    [PREP_FASE_VERIFICACION] =
        "SELECT eleccion, casilla FROM acta WHERE"
        " (estado = 5 OR (estado = 4 AND ncapturas = 3))"
        " AND cap1 <> $1 AND cap2 <> $1 AND cap3 <> $1"
        " AND (lease_until <= $2 OR lease_user = $1)"
        " AND ($3 < 0 OR eleccion = $3) AND ($4 = 0 OR catd = $4)"
        " ORDER BY lease_user = $1 DESC, t_captura" LEASE_TAIL,
    [PREP_FASE_COTEJO] =
        "SELECT eleccion, casilla FROM acta WHERE estado = 7 AND cotejo IN (0, 3)"
        " AND (lease_until <= $2 OR lease_user = $1)"
        " AND ($3 < 0 OR eleccion = $3) AND ($4 = 0 OR catd = $4)"
        " ORDER BY lease_user = $1 DESC, t_publicacion" LEASE_TAIL,
};

int pg_lease_next(prep_store *st, prep_fase fase, int64_t user, int eleccion, int catd,
                  prep_time now, prep_time until, int *e, int *c, prep_err *err)
{
    prep_pg *p = PG(st);
    if ((int)fase < 0 || fase > PREP_FASE_COTEJO)
        return prep_fail(err, PREP_E_INVALID, "unknown work phase");
    int started;
    if (pg_auto_begin(p, 1, &started, err) < 0)
        return -1;
    pg_params pp = {0};
    pgp_int(&pp, user);
    pgp_int(&pp, now);
    pgp_int(&pp, eleccion);
    pgp_int(&pp, catd);
    PGresult *r = pg_run(p, lease_sql[fase], &pp, err, "lease");
    int rc = -1;
    if (r) {
        rc = PQntuples(r) > 0 ? 0 : 1;
        if (rc == 0) {
            *e = (int)pg_int(r, 0, 0);
            *c = (int)pg_int(r, 0, 1);
        }
        PQclear(r);
    }
    if (rc == 0) {
        pg_params up = {0};
        pgp_int(&up, *e);
        pgp_int(&up, *c);
        pgp_int(&up, user);
        pgp_int(&up, until);
        if (pg_cmd(p,
                   "UPDATE acta SET lease_user = $3, lease_until = $4"
                   " WHERE eleccion = $1 AND casilla = $2",
                   &up, err, "lease", NULL) < 0)
            rc = -1;
    }
    if (pg_auto_end(p, started, rc >= 0, err) < 0)
        return -1;
    return rc;
}

int pg_lease_release(prep_store *st, int e, int c, int64_t user, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    pgp_int(&pp, c);
    pgp_int(&pp, user);
    return pg_cmd(PG(st),
                  "UPDATE acta SET lease_user = 0, lease_until = 0"
                  " WHERE eleccion = $1 AND casilla = $2 AND lease_user = $3",
                  &pp, err, "release lease", NULL);
}

int pg_lease_get(prep_store *st, int e, int c, int64_t *user, prep_time *until, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    pgp_int(&pp, c);
    *user = 0;
    *until = 0;
    PGresult *r = pg_run(PG(st),
                         "SELECT lease_user, lease_until FROM acta WHERE eleccion = $1"
                         " AND casilla = $2",
                         &pp, err, "read lease");
    if (!r)
        return -1;
    if (PQntuples(r) > 0) {
        *user = pg_int(r, 0, 0);
        *until = pg_int(r, 0, 1);
    }
    PQclear(r);
    return 0;
}

int pg_idem_get(prep_store *st, const char *key, int *status, char **body, prep_err *err)
{
    pg_params pp = {0};
    pgp_text(&pp, key);
    PGresult *r = pg_run(PG(st), "SELECT status, body FROM idem WHERE clave = $1", &pp, err,
                         "read idempotency key");
    if (!r)
        return -1;
    if (PQntuples(r) == 0) {
        PQclear(r);
        return 1;
    }
    *status = (int)pg_int(r, 0, 0);
    *body = strdup(PQgetvalue(r, 0, 1));
    PQclear(r);
    return *body ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

int pg_idem_put(prep_store *st, const char *key, int status, const char *body, prep_err *err)
{
    pg_params pp = {0};
    pgp_text(&pp, key);
    pgp_int(&pp, status);
    pgp_text(&pp, body);
    return pg_cmd(PG(st),
                  "INSERT INTO idem VALUES($1, $2, $3) ON CONFLICT(clave) DO UPDATE"
                  " SET status = EXCLUDED.status, body = EXCLUDED.body",
                  &pp, err, "write idempotency key", NULL);
}
