/* users.c — accounts, argon2id passwords and session tokens (see users.h).
 * Every change to an account or a session is written with its bitácora
 * entry in the caller's transaction; nothing here keeps state in memory. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "ops/authz.h"
#include "ops/users.h"
#include "util/hash.h"

int prep_user_name_valid(const char *n)
{
    size_t len = n ? strlen(n) : 0;
    if (len == 0 || len > 63)
        return 0;
    if (!((n[0] >= 'a' && n[0] <= 'z') || (n[0] >= '0' && n[0] <= '9')))
        return 0;
    for (size_t i = 0; i < len; i++) {
        char c = n[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-'))
            return 0;
    }
    return 1;
}

int prep_station_valid(const char *s)
{
    if (!s || strlen(s) > 63)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e || *s == '"' || *s == '\\')
            return 0;
    return 1;
}

int prep_password_hash(const char *password, char out[128], prep_err *err)
{
    size_t len = password ? strlen(password) : 0;
    if (len < PREP_PASSWORD_MIN || len > PREP_PASSWORD_MAX)
        return prep_fail(err, PREP_E_INVALID, "a password has %d to %d characters",
                         PREP_PASSWORD_MIN, PREP_PASSWORD_MAX);
    char h[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(h, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return prep_fail(err, PREP_E_NOMEM, "not enough memory to hash the password");
    snprintf(out, 128, "%s", h);
    return 0;
}

int prep_password_check(const char *hash, const char *password)
{
    if (!hash || !password || !hash[0])
        return 0;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void prep_password_random(char *out, size_t n)
{
    static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    if (n == 0)
        return;
    if (n > 64)
        n = 64;
    for (size_t i = 0; i + 1 < n; i++)
        out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
    out[n - 1] = '\0';
}

static void user_json(const prep_user *u, char *buf, size_t cap)
{
    snprintf(buf, cap, "{\"rol\":\"%s\",\"catd\":%d,\"cae\":%d,\"activo\":%s}", u->rol, u->catd,
             u->cae, u->activo ? "true" : "false");
}

int prep_user_check(const prep_catalog *cat, const char *nombre, const char *rol, int catd,
                    int cae, prep_err *err)
{
    if (!prep_user_name_valid(nombre))
        return prep_fail(err, PREP_E_INVALID,
                         "user names have 1 to 63 characters a-z 0-9 . _ - and start with a "
                         "letter or digit");
    int r = prep_rol_from_name(rol);
    if (r < 0)
        return prep_fail(err, PREP_E_INVALID,
                         "unknown role '%.32s' (admin, acopio, digitalizacion, captura, "
                         "verificacion, cotejo, cae, monitor, auditor)",
                         rol ? rol : "");
    if (catd < 0 || (cat && catd > cat->ncatd))
        return prep_fail(err, PREP_E_INVALID, "CATD %d does not exist in the catalog", catd);
    if (r == PREP_ROL_CAE && cae <= 0)
        return prep_fail(err, PREP_E_INVALID, "a user with role cae needs --cae N");
    if (r != PREP_ROL_CAE && cae != 0)
        return prep_fail(err, PREP_E_INVALID, "--cae is only for role cae");
    return 0;
}

int prep_user_create(prep_ops *o, const prep_actor *who, const char *nombre, const char *rol,
                     int catd, int cae, const char *password, prep_user *out, prep_err *err)
{
    char pwhash[128];
    if (prep_user_check(o->cat, nombre, rol, catd, cae, err) < 0 ||
        prep_password_hash(password, pwhash, err) < 0)
        return -1;
    return prep_user_create_hashed(o, who, nombre, rol, catd, cae, pwhash, out, err);
}

int prep_user_create_hashed(prep_ops *o, const prep_actor *who, const char *nombre,
                            const char *rol, int catd, int cae, const char *pwhash,
                            prep_user *out, prep_err *err)
{
    if (prep_user_check(o->cat, nombre, rol, catd, cae, err) < 0)
        return -1;
    prep_user u = {0};
    snprintf(u.nombre, sizeof u.nombre, "%s", nombre);
    snprintf(u.rol, sizeof u.rol, "%s", rol);
    u.catd = catd;
    u.cae = cae;
    u.activo = 1;
    u.creado = prep_now();
    snprintf(u.pwhash, sizeof u.pwhash, "%s", pwhash);
    if (o->st->vt->user_add(o->st, &u, err) < 0)
        return -1;
    char object[80], after[160];
    snprintf(object, sizeof object, "user/%s", u.nombre);
    user_json(&u, after, sizeof after);
    if (prep_ops_log(o, who, u.creado, "user.add", object, "", after, err) < 0)
        return -1;
    if (out)
        *out = u;
    return 0;
}

int prep_user_change(prep_ops *o, const prep_actor *who, const char *nombre,
                     const prep_user_edit *ed, prep_user *out, int *noop, prep_err *err)
{
    prep_user u;
    int rc = nombre ? o->st->vt->user_find(o->st, nombre, &u, err) : 1;
    if (rc < 0)
        return -1;
    if (rc == 1)
        return prep_fail(err, PREP_E_NOT_FOUND, "no user named '%.63s'", nombre ? nombre : "");
    prep_user n = u;
    if (ed->rol) {
        snprintf(n.rol, sizeof n.rol, "%s", ed->rol);
        /* Leaving role cae drops the CAE number unless one is given. */
        if (strcmp(ed->rol, "cae") != 0 && ed->cae < 0)
            n.cae = 0;
    }
    if (ed->catd >= 0)
        n.catd = ed->catd;
    if (ed->cae >= 0)
        n.cae = ed->cae;
    if (ed->activo >= 0)
        n.activo = ed->activo;
    if (ed->pwhash)
        snprintf(n.pwhash, sizeof n.pwhash, "%s", ed->pwhash);
    if (prep_user_check(o->cat, n.nombre, n.rol, n.catd, n.cae, err) < 0)
        return -1;
    if (who && who->user == u.id && (!n.activo || strcmp(n.rol, u.rol) != 0))
        return prep_fail(err, PREP_E_CONFLICT,
                         "an administrator may not disable their own account or change their "
                         "own role (ask another administrator)");
    int same = strcmp(n.rol, u.rol) == 0 && n.catd == u.catd && n.cae == u.cae &&
               n.activo == u.activo && !ed->pwhash;
    if (noop)
        *noop = same;
    if (out)
        *out = n;
    if (same)
        return 0;
    char before[160], after[160], object[80];
    user_json(&u, before, sizeof before);
    user_json(&n, after, sizeof after);
    if (o->st->vt->user_update(o->st, &n, err) < 0)
        return -1;
    int only_activo = strcmp(n.rol, u.rol) == 0 && n.catd == u.catd && n.cae == u.cae &&
                      !ed->pwhash;
    const char *action = ed->pwhash ? "user.password"
                         : only_activo ? (n.activo ? "user.enable" : "user.disable")
                                       : "user.update";
    /* A new password or a disabled account ends the account's open sessions. */
    if ((ed->pwhash || !n.activo) && o->st->vt->session_delete_user(o->st, n.id, err) < 0)
        return -1;
    snprintf(object, sizeof object, "user/%s", u.nombre);
    return prep_ops_log(o, who, prep_now(), action, object, before, after, err);
}

int prep_user_disable(prep_ops *o, const prep_actor *who, const char *nombre, prep_err *err)
{
    prep_user u;
    int rc = nombre ? o->st->vt->user_find(o->st, nombre, &u, err) : 1;
    if (rc < 0)
        return -1;
    if (rc == 1)
        return prep_fail(err, PREP_E_NOT_FOUND, "no user named '%s'", nombre ? nombre : "");
    if (!u.activo)
        return 0;
    char before[160], after[160], object[80];
    user_json(&u, before, sizeof before);
    u.activo = 0;
    user_json(&u, after, sizeof after);
    if (o->st->vt->user_update(o->st, &u, err) < 0)
        return -1;
    snprintf(object, sizeof object, "user/%s", u.nombre);
    return prep_ops_log(o, who, prep_now(), "user.disable", object, before, after, err);
}

void prep_token_new(char token[PREP_TOKEN_HEX], char sha[PREP_TOKEN_HEX])
{
    uint8_t raw[32];
    randombytes_buf(raw, sizeof raw);
    prep_hex(raw, sizeof raw, token);
    sodium_memzero(raw, sizeof raw);
    prep_sha256_hex(token, 64, sha);
}

int prep_token_sha(const char *token, char sha[PREP_TOKEN_HEX])
{
    if (!token || strlen(token) != 64)
        return -1;
    for (int i = 0; i < 64; i++) {
        char c = token[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return -1;
    }
    prep_sha256_hex(token, 64, sha);
    return 0;
}

int prep_session_open(prep_ops *o, const prep_user *u, const char *token_sha,
                      const char *estacion, prep_time now, prep_time expires, prep_err *err)
{
    if (!prep_station_valid(estacion))
        return prep_fail(err, PREP_E_INVALID,
                         "estacion has at most 63 printable characters, without quotes");
    if (o->st->vt->session_put(o->st, token_sha, u->id, expires, estacion, err) < 0)
        return -1;
    prep_actor who = {.user = u->id, .nombre = u->nombre, .rol = u->rol, .catd = u->catd,
                      .cae = u->cae, .station = estacion};
    char object[80], after[128], iso[32];
    prep_time_fmt_iso(expires, iso);
    snprintf(object, sizeof object, "user/%s", u->nombre);
    /* The first 8 hex digits of the token's hash identify the session in the
     * bitácora without revealing anything usable. */
    snprintf(after, sizeof after, "{\"sesion\":\"%.8s\",\"expira\":\"%s\"}", token_sha, iso);
    return prep_ops_log(o, &who, now, "session.open", object, "", after, err);
}

int prep_session_close(prep_ops *o, const prep_actor *who, const char *token_sha, prep_time now,
                       prep_err *err)
{
    if (o->st->vt->session_delete(o->st, token_sha, err) < 0)
        return -1;
    char object[80], before[64];
    snprintf(object, sizeof object, "user/%s", who && who->nombre ? who->nombre : "");
    snprintf(before, sizeof before, "{\"sesion\":\"%.8s\"}", token_sha);
    return prep_ops_log(o, who, now, "session.close", object, before, "", err);
}

int prep_session_check(prep_store *st, const char *token_sha, prep_time now, prep_user *u,
                       char *estacion, prep_err *err)
{
    int64_t uid;
    prep_time expires;
    char est[64] = "";
    int rc = st->vt->session_get(st, token_sha, &uid, &expires, est, err);
    if (rc < 0)
        return -1;
    if (rc == 1)
        return prep_fail(err, PREP_E_UNAUTHORIZED, "unknown or closed session: log in again");
    if (expires <= now)
        return prep_fail(err, PREP_E_UNAUTHORIZED, "the session expired: log in again");
    rc = st->vt->user_get(st, uid, u, err);
    if (rc < 0)
        return -1;
    if (rc == 1 || !u->activo)
        return prep_fail(err, PREP_E_UNAUTHORIZED, "this account is disabled");
    if (estacion)
        memcpy(estacion, est, 64);
    return 0;
}
