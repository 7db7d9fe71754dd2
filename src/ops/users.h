/* users.h — operator accounts, passwords and sessions.
 * Passwords are hashed with argon2id (libsodium crypto_pwhash_str, interactive
 * limits); a session is a random 32-byte token handed to the client once,
 * of which only the SHA-256 is stored. Functions taking prep_ops run inside an
 * open write transaction and write their bitácora entry; login throttling and
 * HTTP details live in src/http, not here. */
#ifndef PREP_USERS_H
#define PREP_USERS_H

#include <stddef.h>

#include "ops/ops.h"
#include "store/store.h"

#define PREP_TOKEN_HEX 65      /* 64 hex characters + NUL */
#define PREP_PASSWORD_MIN 10   /* shortest password accepted */
#define PREP_PASSWORD_MAX 256

/* Names: 1..63 of [a-z0-9._-], starting with a letter or digit. */
int prep_user_name_valid(const char *nombre);
/* Workstation names: 0..63 printable ASCII characters without quotes or backslashes. */
int prep_station_valid(const char *estacion);

int prep_password_hash(const char *password, char out[128], prep_err *err);
/* 1 when password matches the stored argon2id string, 0 otherwise. */
int prep_password_check(const char *hash, const char *password);
/* A random password of n-1 characters from an unambiguous alphabet (n <= 64). */
void prep_password_random(char *out, size_t n);

/* Check an account's fields (cat may be NULL before a catalog is loaded):
 * a valid name, a known role, an existing CATD (>= 0), cae > 0 for role cae
 * and 0 for every other role. */
int prep_user_check(const prep_catalog *cat, const char *nombre, const char *rol, int catd,
                    int cae, prep_err *err);
/* Create an account (role by name, checked as above). Refuses an existing
 * name with PREP_E_CONFLICT. Logs "user.add". */
int prep_user_create(prep_ops *o, const prep_actor *who, const char *nombre, const char *rol,
                     int catd, int cae, const char *password, prep_user *out, prep_err *err);
/* The same with the argon2id string already computed (the HTTP server hashes
 * in its request thread, never in the writer's transaction). */
int prep_user_create_hashed(prep_ops *o, const prep_actor *who, const char *nombre,
                            const char *rol, int catd, int cae, const char *pwhash,
                            prep_user *out, prep_err *err);

/* A change to an account: NULL / -1 leaves a field as it is. */
typedef struct {
    const char *rol;
    int catd;          /* -1 keep */
    int cae;           /* -1 keep (leaving role cae sets it to 0) */
    int activo;        /* -1 keep, 0 disable, 1 enable */
    const char *pwhash; /* new argon2id string (password reset) */
} prep_user_edit;

/* Apply ed to the account `nombre`, checked as prep_user_check; refuses an
 * administrator disabling themselves or changing their own role. Logs one
 * entry: "user.password" (reset), "user.disable" / "user.enable" (only the
 * state changed) or "user.update", with before and after; a change that
 * changes nothing is a no-op (*noop = 1, nothing logged). A reset password
 * or a disabled account closes the account's sessions. */
int prep_user_change(prep_ops *o, const prep_actor *who, const char *nombre,
                     const prep_user_edit *ed, prep_user *out, int *noop, prep_err *err);
/* Disable an account (its sessions stop working at once). Logs "user.disable";
 * an already disabled account is a no-op. */
int prep_user_disable(prep_ops *o, const prep_actor *who, const char *nombre, prep_err *err);

/* New session token: token (64 hex chars, given to the client) and its SHA-256. */
void prep_token_new(char token[PREP_TOKEN_HEX], char sha[PREP_TOKEN_HEX]);
/* SHA-256 of a presented token; -1 when it is not 64 hex characters. */
int prep_token_sha(const char *token, char sha[PREP_TOKEN_HEX]);

/* Store a session for u from workstation estacion, valid until expires; logs
 * "session.open". */
int prep_session_open(prep_ops *o, const prep_user *u, const char *token_sha,
                      const char *estacion, prep_time now, prep_time expires, prep_err *err);
/* Delete it; logs "session.close". */
int prep_session_close(prep_ops *o, const prep_actor *who, const char *token_sha, prep_time now,
                       prep_err *err);

/* The account behind a presented token sha: 0 and *u filled when the session
 * exists, has not expired and the account is active; else -1 with
 * PREP_E_UNAUTHORIZED (or PREP_E_IO). estacion (64 bytes) may be NULL. */
int prep_session_check(prep_store *st, const char *token_sha, prep_time now, prep_user *u,
                       char *estacion, prep_err *err);

#endif
