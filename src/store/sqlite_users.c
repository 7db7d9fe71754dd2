/* sqlite_users.c — operator accounts and sessions. Passwords arrive already
 * hashed (argon2id, by src/ops); session tokens are stored only as their
 * SHA-256, so a copy of the database does not let anyone log in. */
#include <string.h>

#include "store/sqlite_internal.h"

#define USER_COLS "id, nombre, rol, catd, cae, activo, pwhash, creado"

static void row_to_user(sqlite3_stmt *q, prep_user *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(q, 0);
    sq_copy(u->nombre, sizeof u->nombre, q, 1);
    sq_copy(u->rol, sizeof u->rol, q, 2);
    u->catd = sqlite3_column_int(q, 3);
    u->cae = sqlite3_column_int(q, 4);
    u->activo = sqlite3_column_int(q, 5);
    sq_copy(u->pwhash, sizeof u->pwhash, q, 6);
    u->creado = sqlite3_column_int64(q, 7);
}

int sq_user_add(prep_store *st, prep_user *u, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "INSERT INTO usuario(nombre, rol, catd, cae, activo, pwhash, creado)"
                              " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, u->nombre, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, u->rol, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, u->catd);
    sqlite3_bind_int(q, 4, u->cae);
    sqlite3_bind_int(q, 5, u->activo);
    sqlite3_bind_text(q, 6, u->pwhash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 7, u->creado);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE) {
        if ((sqlite3_extended_errcode(s->db) & 0xff) == SQLITE_CONSTRAINT)
            return prep_fail(err, PREP_E_CONFLICT, "user '%s' already exists", u->nombre);
        return sq_fail(s, err, "add user");
    }
    u->id = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int get_one(prep_sqlite *s, sqlite3_stmt *q, prep_user *u, prep_err *err)
{
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        row_to_user(q, u);
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? 1 : sq_fail(s, err, "read user");
}

int sq_user_get(prep_store *st, int64_t id, prep_user *u, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " USER_COLS " FROM usuario WHERE id = ?1", err);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, id);
    return get_one(s, q, u, err);
}

int sq_user_find(prep_store *st, const char *nombre, prep_user *u, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " USER_COLS " FROM usuario WHERE nombre = ?1", err);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, nombre, -1, SQLITE_STATIC);
    return get_one(s, q, u, err);
}

int sq_user_update(prep_store *st, const prep_user *u, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "UPDATE usuario SET rol = ?2, catd = ?3, cae = ?4, activo = ?5,"
                              " pwhash = ?6 WHERE id = ?1",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, u->id);
    sqlite3_bind_text(q, 2, u->rol, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 3, u->catd);
    sqlite3_bind_int(q, 4, u->cae);
    sqlite3_bind_int(q, 5, u->activo);
    sqlite3_bind_text(q, 6, u->pwhash, -1, SQLITE_STATIC);
    if (sq_done(s, q, err, "update user") < 0)
        return -1;
    return sqlite3_changes(s->db) == 1 ? 0 : prep_fail(err, PREP_E_NOT_FOUND, "no such user");
}

int sq_user_iter(prep_store *st, prep_user_cb cb, void *ctx, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "SELECT " USER_COLS " FROM usuario ORDER BY id", err);
    if (!q)
        return -1;
    int rc, stop = 0;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        prep_user u;
        row_to_user(q, &u);
        if ((stop = cb(ctx, &u)) != 0)
            break;
    }
    sqlite3_reset(q);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : sq_fail(s, err, "list users");
}

int sq_session_put(prep_store *st, const char *token_sha, int64_t user, prep_time expires,
                   const char *estacion, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s,
                              "INSERT OR REPLACE INTO sesion(token_sha, usuario, expira, estacion)"
                              " VALUES(?1, ?2, ?3, ?4)",
                              err);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, token_sha, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, user);
    sqlite3_bind_int64(q, 3, expires);
    sqlite3_bind_text(q, 4, estacion ? estacion : "", -1, SQLITE_STATIC);
    return sq_done(s, q, err, "write session");
}

int sq_session_get(prep_store *st, const char *token_sha, int64_t *user, prep_time *expires,
                   char estacion[64], prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q =
        sq_stmt(s, "SELECT usuario, expira, estacion FROM sesion WHERE token_sha = ?1", err);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, token_sha, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *user = sqlite3_column_int64(q, 0);
        *expires = sqlite3_column_int64(q, 1);
        if (estacion)
            sq_copy(estacion, 64, q, 2);
    }
    sqlite3_reset(q);
    if (rc == SQLITE_ROW)
        return 0;
    return rc == SQLITE_DONE ? 1 : sq_fail(s, err, "read session");
}

int sq_session_delete(prep_store *st, const char *token_sha, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "DELETE FROM sesion WHERE token_sha = ?1", err);
    if (!q)
        return -1;
    sqlite3_bind_text(q, 1, token_sha, -1, SQLITE_STATIC);
    return sq_done(s, q, err, "delete session");
}

int sq_session_delete_user(prep_store *st, int64_t user, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    sqlite3_stmt *q = sq_stmt(s, "DELETE FROM sesion WHERE usuario = ?1", err);
    if (!q)
        return -1;
    sqlite3_bind_int64(q, 1, user);
    return sq_done(s, q, err, "delete sessions");
}
