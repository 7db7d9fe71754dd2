/* pg_users.c — operator accounts and sessions on PostgreSQL. Passwords
 * arrive already hashed (argon2id, by src/ops); session tokens are stored
 * only as their SHA-256. A duplicate name is refused without a failed
 * statement (ON CONFLICT DO NOTHING), so the caller's transaction stays
 * usable, as it does on SQLite. */
#include <string.h>

#include "store/pg_internal.h"

#define USER_COLS "id, nombre, rol, catd, cae, activo, pwhash, creado"

static void row_to_user(const PGresult *r, int i, prep_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = pg_int(r, i, 0);
    pg_copy(u->nombre, sizeof u->nombre, r, i, 1);
    pg_copy(u->rol, sizeof u->rol, r, i, 2);
    u->catd = (int)pg_int(r, i, 3);
    u->cae = (int)pg_int(r, i, 4);
    u->activo = (int)pg_int(r, i, 5);
    pg_copy(u->pwhash, sizeof u->pwhash, r, i, 6);
    u->creado = pg_int(r, i, 7);
}

int pg_user_add(prep_store *st, prep_user *u, prep_err *err)
{
    prep_pg *p = PG(st);
    int started;
    if (pg_auto_begin(p, 1, &started, err) < 0)
        return -1;
    pg_params pp = {0};
    pgp_text(&pp, u->nombre);
    pgp_text(&pp, u->rol);
    pgp_int(&pp, u->catd);
    pgp_int(&pp, u->cae);
    pgp_int(&pp, u->activo);
    pgp_text(&pp, u->pwhash);
    pgp_int(&pp, u->creado);
    /* Ids as SQLite's rowids: max + 1 (writers take turns, so this is safe). */
    PGresult *r = pg_run(p,
                         "INSERT INTO usuario(id, nombre, rol, catd, cae, activo, pwhash, creado)"
                         " SELECT coalesce(max(id), 0) + 1, $1, $2, $3, $4, $5, $6, $7"
                         " FROM usuario ON CONFLICT(nombre) DO NOTHING RETURNING id",
                         &pp, err, "add user");
    int rc = -1;
    if (r && PQntuples(r) == 1) {
        u->id = pg_int(r, 0, 0);
        rc = 0;
    } else if (r) {
        prep_fail(err, PREP_E_CONFLICT, "user '%s' already exists", u->nombre);
    }
    PQclear(r);
    if (pg_auto_end(p, started, rc == 0, err) < 0 && rc == 0)
        return -1;
    return rc;
}

static int get_one(PGresult *r, prep_user *u)
{
    if (!r)
        return -1;
    int found = PQntuples(r) > 0;
    if (found)
        row_to_user(r, 0, u);
    PQclear(r);
    return found ? 0 : 1;
}

int pg_user_get(prep_store *st, int64_t id, prep_user *u, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, id);
    return get_one(pg_run(PG(st), "SELECT " USER_COLS " FROM usuario WHERE id = $1", &pp, err,
                          "read user"),
                   u);
}

int pg_user_find(prep_store *st, const char *nombre, prep_user *u, prep_err *err)
{
    pg_params pp = {0};
    pgp_text(&pp, nombre);
    return get_one(pg_run(PG(st), "SELECT " USER_COLS " FROM usuario WHERE nombre = $1", &pp,
                          err, "read user"),
                   u);
}

int pg_user_update(prep_store *st, const prep_user *u, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, u->id);
    pgp_text(&pp, u->rol);
    pgp_int(&pp, u->catd);
    pgp_int(&pp, u->cae);
    pgp_int(&pp, u->activo);
    pgp_text(&pp, u->pwhash);
    int64_t changed = 0;
    if (pg_cmd(PG(st),
               "UPDATE usuario SET rol = $2, catd = $3, cae = $4, activo = $5, pwhash = $6"
               " WHERE id = $1",
               &pp, err, "update user", &changed) < 0)
        return -1;
    return changed == 1 ? 0 : prep_fail(err, PREP_E_NOT_FOUND, "no such user");
}

int pg_user_iter(prep_store *st, prep_user_cb cb, void *ctx, prep_err *err)
{
    PGresult *r = pg_run(PG(st), "SELECT " USER_COLS " FROM usuario ORDER BY id", NULL, err,
                         "list users");
    if (!r)
        return -1;
    int stop = 0;
    for (int i = 0; i < PQntuples(r) && !stop; i++) {
        prep_user u;
        row_to_user(r, i, &u);
        stop = cb(ctx, &u);
    }
    PQclear(r);
    return stop;
}

int pg_session_put(prep_store *st, const char *token_sha, int64_t user, prep_time expires,
                   const char *estacion, prep_err *err)
{
    pg_params pp = {0};
    pgp_text(&pp, token_sha);
    pgp_int(&pp, user);
    pgp_int(&pp, expires);
    pgp_text(&pp, estacion ? estacion : "");
    return pg_cmd(PG(st),
                  "INSERT INTO sesion(token_sha, usuario, expira, estacion) VALUES($1, $2, $3, $4)"
                  " ON CONFLICT(token_sha) DO UPDATE SET usuario = EXCLUDED.usuario,"
                  " expira = EXCLUDED.expira, estacion = EXCLUDED.estacion",
                  &pp, err, "write session", NULL);
}

int pg_session_get(prep_store *st, const char *token_sha, int64_t *user, prep_time *expires,
                   char estacion[64], prep_err *err)
{
    pg_params pp = {0};
    pgp_text(&pp, token_sha);
    PGresult *r = pg_run(PG(st), "SELECT usuario, expira, estacion FROM sesion WHERE token_sha = $1",
                         &pp, err, "read session");
    if (!r)
        return -1;
    int found = PQntuples(r) > 0;
    if (found) {
        *user = pg_int(r, 0, 0);
        *expires = pg_int(r, 0, 1);
        if (estacion)
            pg_copy(estacion, 64, r, 0, 2);
    }
    PQclear(r);
    return found ? 0 : 1;
}

int pg_session_delete(prep_store *st, const char *token_sha, prep_err *err)
{
    pg_params pp = {0};
    pgp_text(&pp, token_sha);
    return pg_cmd(PG(st), "DELETE FROM sesion WHERE token_sha = $1", &pp, err, "delete session",
                  NULL);
}

int pg_session_delete_user(prep_store *st, int64_t user, prep_err *err)
{
    pg_params pp = {0};
    pgp_int(&pp, user);
    return pg_cmd(PG(st), "DELETE FROM sesion WHERE usuario = $1", &pp, err, "delete sessions",
                  NULL);
}
