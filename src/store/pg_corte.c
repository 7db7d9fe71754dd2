/* pg_corte.c — the record of published cortes and the actas registered
 * fuera de catálogo, on PostgreSQL. Corte numbers are allocated inside the
 * corte's write transaction, which holds the writer advisory lock
 * (pg_store.c), so two nodes can never take the same number. */
#include <string.h>

#include "store/pg_internal.h"

int pg_corte_add(prep_store *st, const prep_corte_info *c, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, c->numero);
    pgp_int(&pp, c->at);
    pgp_int(&pp, c->final);
    pgp_text(&pp, c->dir);
    pgp_text(&pp, c->manifest_sha);
    pgp_int(&pp, c->actas);
    return pg_cmd(PG(st), "INSERT INTO corte VALUES($1, $2, $3, $4, $5, $6)", &pp, err,
                  "record corte", NULL);
}

int pg_corte_iter(prep_store *st, prep_corte_cb cb, void *ctx, prep_err *err)
{
    PGresult *r = pg_run(PG(st),
                         "SELECT numero, at, final, dir, manifest_sha, actas FROM corte"
                         " ORDER BY numero",
                         NULL, err, "list cortes");
    if (!r)
        return -1;
    int stop = 0;
    for (int i = 0; i < PQntuples(r) && !stop; i++) {
        prep_corte_info c;
        memset(&c, 0, sizeof c);
        c.numero = (int)pg_int(r, i, 0);
        c.at = pg_int(r, i, 1);
        c.final = (int)pg_int(r, i, 2);
        pg_copy(c.dir, sizeof c.dir, r, i, 3);
        pg_copy(c.manifest_sha, sizeof c.manifest_sha, r, i, 4);
        c.actas = pg_int(r, i, 5);
        stop = cb(ctx, &c);
    }
    PQclear(r);
    return stop;
}

int pg_fc_add(prep_store *st, prep_fuera_catalogo *f, prep_err *err)
{
    prep_pg *p = PG(st);
    int started;
    if (pg_auto_begin(p, 1, &started, err) < 0)
        return -1;
    pg_params pp = {0};
    pgp_int(&pp, f->eleccion);
    pgp_text(&pp, f->identificacion);
    pgp_int(&pp, f->at);
    pgp_int(&pp, f->user);
    pgp_int(&pp, f->catd);
    /* Ids as SQLite's rowids: max + 1 under the writer lock. */
    PGresult *r = pg_run(p,
                         "INSERT INTO fuera_catalogo(id, eleccion, identificacion, at, usuario,"
                         " catd, corte) SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5, 0"
                         " FROM fuera_catalogo RETURNING id",
                         &pp, err, "record fuera de catalogo");
    if (r) {
        f->id = pg_int(r, 0, 0);
        f->corte = 0;
        PQclear(r);
    }
    if (pg_auto_end(p, started, r != NULL, err) < 0)
        return -1;
    return 0;
}

int pg_fc_publish(prep_store *st, int corte, int64_t max_id, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, corte);
    pgp_int(&pp, max_id);
    return pg_cmd(PG(st), "UPDATE fuera_catalogo SET corte = $1 WHERE corte = 0 AND id <= $2",
                  &pp, err,
                  "publish fuera de catalogo", NULL);
}

int pg_fc_iter(prep_store *st, int e, prep_fc_cb cb, void *ctx, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, e);
    PGresult *r = pg_run(PG(st),
                         "SELECT id, eleccion, identificacion, at, usuario, catd, corte"
                         " FROM fuera_catalogo WHERE $1 < 0 OR eleccion = $1 ORDER BY id",
                         &pp, err, "list fuera de catalogo");
    if (!r)
        return -1;
    int stop = 0;
    for (int i = 0; i < PQntuples(r) && !stop; i++) {
        prep_fuera_catalogo f;
        memset(&f, 0, sizeof f);
        f.id = pg_int(r, i, 0);
        f.eleccion = (int)pg_int(r, i, 1);
        pg_copy(f.identificacion, sizeof f.identificacion, r, i, 2);
        f.at = pg_int(r, i, 3);
        f.user = pg_int(r, i, 4);
        f.catd = (int)pg_int(r, i, 5);
        f.corte = (int)pg_int(r, i, 6);
        stop = cb(ctx, &f);
    }
    PQclear(r);
    return stop;
}
