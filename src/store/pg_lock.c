/* pg_lock.c — the corte lock of the PostgreSQL backend: a session-level
 * advisory lock (pg_try_advisory_lock), so one node at a time runs a whole
 * corte — snapshot, files, rename, record — while the others skip. It is
 * released by corte_unlock, or by PostgreSQL itself when the session ends (a
 * node killed mid-corte frees it at once). It does not wait; the per-write
 * transaction lock stays what it was (pg_store.c). */
#include <string.h>

#include "store/pg_internal.h"

int pg_corte_lock(prep_store *st, prep_err *err)
{
    prep_pg *p = PG(st);
    if (p->corte_held)
        return prep_fail(err, PREP_E_CONFLICT, "another corte is being published right now"),
               1;
    PGresult *r = pg_run(p, "SELECT pg_try_advisory_lock(" PG_LOCK_CORTE ")", NULL, err,
                         "corte lock");
    if (!r)
        return -1;
    int got = PQntuples(r) == 1 && strcmp(PQgetvalue(r, 0, 0), "t") == 0;
    PQclear(r);
    if (!got)
        return prep_fail(err, PREP_E_CONFLICT,
                         "another node is publishing a corte right now"),
               1;
    p->corte_held = 1;
    return 0;
}

void pg_corte_unlock(prep_store *st)
{
    prep_pg *p = PG(st);
    if (!p->corte_held)
        return;
    PGresult *r = pg_run(p, "SELECT pg_advisory_unlock(" PG_LOCK_CORTE ")", NULL, NULL,
                         "corte unlock");
    PQclear(r);
    p->corte_held = 0;
}
