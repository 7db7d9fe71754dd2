/* sqlite_corte.c — the record of published cortes and the actas registered
 * fuera de catálogo (which belong to no casilla, so have no acta row). */
#include <string.h>

#include "store/sqlite_internal.h"

int sq_corte_add(prep_store *st, const prep_corte_info *c, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "INSERT INTO corte VALUES(?1, ?2, ?3, ?4, ?5, ?6)", err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, c->numero);
    sqlite3_bind_int64(q, 2, c->at);
    sqlite3_bind_int(q, 3, c->final);
    sqlite3_bind_text(q, 4, c->dir, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, c->manifest_sha, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 6, c->actas);
    return sq_done(s, q, err, "record corte");
}

int sq_corte_iter(prep_store *st, prep_corte_cb cb, void *ctx, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(
        s, "SELECT numero, at, final, dir, manifest_sha, actas FROM corte ORDER BY numero", err);
    if (!q)
        return -1;
    int rc, stop = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        prep_corte_info c;
        memset(&c, 0, sizeof c);
        c.numero = sqlite3_column_int(q, 0);
        c.at = sqlite3_column_int64(q, 1);
        c.final = sqlite3_column_int(q, 2);
        sq_copy(c.dir, sizeof c.dir, q, 3);
        sq_copy(c.manifest_sha, sizeof c.manifest_sha, q, 4);
        c.actas = sqlite3_column_int64(q, 5);
        if ((stop = cb(ctx, &c)) != 0)
            break;
    }
    sqlite3_reset(q);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "list cortes");
}

int sq_fc_add(prep_store *st, prep_fuera_catalogo *f, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "INSERT INTO fuera_catalogo(eleccion, identificacion, at, usuario,"
                              " catd, corte) VALUES(?1, ?2, ?3, ?4, ?5, 0)",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, f->eleccion);
    sqlite3_bind_text(q, 2, f->identificacion, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, f->at);
    sqlite3_bind_int64(q, 4, f->user);
    sqlite3_bind_int(q, 5, f->catd);
    if (sq_done(s, q, err, "record fuera de catalogo") < 0)
        return -1;
    f->id = sqlite3_last_insert_rowid(s->db);
    f->corte = 0;
    return 0;
}

int sq_fc_publish(prep_store *st, int corte, int64_t max_id, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q =
        sq_stmt(s, "UPDATE fuera_catalogo SET corte = ?1 WHERE corte = 0 AND id <= ?2", err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, corte);
    sqlite3_bind_int64(q, 2, max_id);
    return sq_done(s, q, err, "publish fuera de catalogo");
}

int sq_fc_iter(prep_store *st, int e, prep_fc_cb cb, void *ctx, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "SELECT id, eleccion, identificacion, at, usuario, catd, corte"
                              " FROM fuera_catalogo WHERE ?1 < 0 OR eleccion = ?1 ORDER BY id",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_int(q, 1, e);
    int rc, stop = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        prep_fuera_catalogo f;
        memset(&f, 0, sizeof f);
        f.id = sqlite3_column_int64(q, 0);
        f.eleccion = sqlite3_column_int(q, 1);
        sq_copy(f.identificacion, sizeof f.identificacion, q, 2);
        f.at = sqlite3_column_int64(q, 3);
        f.user = sqlite3_column_int64(q, 4);
        f.catd = sqlite3_column_int(q, 5);
        f.corte = sqlite3_column_int(q, 6);
        if ((stop = cb(ctx, &f)) != 0)
            break;
    }
    sqlite3_reset(q);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "list fuera de catalogo");
}
