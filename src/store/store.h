/* store.h — the one storage interface of PREP.
 * Everything persistent (catalog, actas, captures, images' metadata, the
 * bitácora, users, sessions, work leases, idempotency keys, cortes) goes
 * through these functions; a backend (SQLite embedded default, PostgreSQL for
 * scale-out) fills a prep_store_vt. Business rules live in src/core and
 * src/ops, never here: the store reads and writes rows inside transactions.
 * Calls made outside prep_store_begin()/commit() run in their own
 * transaction. Return: 0 ok, 1 "not found" where documented, -1 error. */
#ifndef PREP_STORE_H
#define PREP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "audit/chain.h"
#include "core/acta.h"
#include "core/catalog.h"
#include "util/err.h"
#include "util/timefmt.h"

typedef struct prep_store prep_store;

/* Image metadata (the bytes live in the content-addressed image store). */
typedef struct {
    char sha[65];
    int eleccion, casilla;
    int origen, digitalizacion;   /* prep_origen, prep_digitalizacion */
    int64_t bytes;
    prep_time recibida;
    int64_t user;
    char dispositivo[64];         /* phone / scanner id, "" */
    int rechazada;                /* 1 once a verifier rejected it */
    char qr[32];                  /* clave read from its QR code, "" if none */
} prep_imagen;

typedef struct {
    int64_t id;
    char nombre[64];
    char rol[16];                 /* admin, acopio, digitalizacion, captura, verificacion,
                                     cotejo, cae, monitor, auditor */
    int catd;                     /* 0 = any */
    int cae;                      /* CAE id for role cae, 0 otherwise */
    int activo;
    char pwhash[128];             /* argon2id string (libsodium crypto_pwhash_str) */
    prep_time creado;
} prep_user;

typedef enum { PREP_FASE_CAPTURA = 0, PREP_FASE_VERIFICACION = 1, PREP_FASE_COTEJO = 2 } prep_fase;

typedef struct {
    int numero;
    prep_time at;
    int final;
    char dir[256];                /* directory name under cortes/ */
    char manifest_sha[65];
    int64_t actas;                /* actas registered in it (all elections) */
} prep_corte_info;

/* An acta registered as fuera de catálogo: its identification cannot be
 * matched to an approved casilla. */
typedef struct {
    int64_t id;
    int eleccion;
    char identificacion[64];      /* what was read on the acta */
    prep_time at;
    int64_t user;
    int catd;
    int corte;                    /* corte that first published it, 0 none */
} prep_fuera_catalogo;

typedef int (*prep_acta_cb)(void *ctx, const prep_acta *a, const prep_val *valores, int nfields);
typedef int (*prep_log_cb)(void *ctx, const prep_chain_entry *e);
typedef int (*prep_user_cb)(void *ctx, const prep_user *u);
typedef int (*prep_corte_cb)(void *ctx, const prep_corte_info *c);
typedef int (*prep_fc_cb)(void *ctx, const prep_fuera_catalogo *f);

typedef struct prep_store_vt {
    const char *name;
    void (*close)(prep_store *);
    /* Transactions. begin(write=1) takes the write lock at once. Savepoints
     * nest inside a write transaction (group commit runs each request in one). */
    int (*begin)(prep_store *, int write, prep_err *);
    int (*commit)(prep_store *, prep_err *);
    void (*rollback)(prep_store *);
    int (*savepoint)(prep_store *, prep_err *);
    int (*release)(prep_store *, prep_err *);
    void (*rollback_to)(prep_store *);
    /* Small key/value settings (schema version, fingerprints, ceremony state). */
    int (*meta_get)(prep_store *, const char *key, char *buf, size_t cap, prep_err *);
    int (*meta_set)(prep_store *, const char *key, const char *value, prep_err *);
    /* Catalog: save replaces the whole catalog (one transaction); load returns 1 if none. */
    int (*catalog_save)(prep_store *, const prep_catalog *, prep_err *);
    int (*catalog_load)(prep_store *, prep_catalog *, prep_err *);
    /* Actas. get returns 1 (and an ESPERADA acta) when nothing is stored yet.
     * put with valores NULL keeps the stored valores. */
    int (*acta_get)(prep_store *, int e, int c, prep_acta *, prep_val *valores, int nfields,
                    prep_err *);
    int (*acta_put)(prep_store *, const prep_acta *, const prep_val *valores, int nfields,
                    prep_err *);
    int (*acta_counts)(prep_store *, int e, int64_t counts[PREP_EST__COUNT], prep_err *);
    /* Every stored acta of election e in casilla order (snapshot for cortes);
     * estado_min..estado_max filters. cb returning non-zero stops with that value. */
    int (*acta_iter)(prep_store *, int e, int estado_min, int estado_max, prep_acta_cb,
                     void *ctx, int nfields, prep_err *);
    /* Captures of one round: idx 0..2. get returns 1 if absent. */
    int (*captura_put)(prep_store *, int e, int c, int ronda, int idx, int64_t user, prep_time at,
                       const prep_val *v, int nfields, prep_err *);
    int (*captura_get)(prep_store *, int e, int c, int ronda, int idx, int64_t *user,
                       prep_time *at, prep_val *v, int nfields, prep_err *);
    /* Images: put is idempotent on (sha, e, c). list fills up to max, sets *n. */
    int (*imagen_put)(prep_store *, const prep_imagen *, prep_err *);
    int (*imagen_list)(prep_store *, int e, int c, prep_imagen *out, int max, int *n, prep_err *);
    int (*imagen_reject)(prep_store *, int e, int c, const char *sha, prep_err *);
    /* Bitácora: head gives (0, genesis) when empty. */
    int (*log_head)(prep_store *, int64_t *seq, char hash[65], prep_err *);
    int (*log_append)(prep_store *, const prep_chain_entry *, prep_err *);
    int (*log_iter)(prep_store *, int64_t from_seq, prep_log_cb, void *ctx, prep_err *);
    /* Users and sessions (token stored only as its SHA-256). */
    int (*user_add)(prep_store *, prep_user *u, prep_err *);           /* sets u->id */
    int (*user_get)(prep_store *, int64_t id, prep_user *, prep_err *);   /* 1 if absent */
    int (*user_find)(prep_store *, const char *nombre, prep_user *, prep_err *);
    int (*user_update)(prep_store *, const prep_user *, prep_err *);
    int (*user_iter)(prep_store *, prep_user_cb, void *ctx, prep_err *);
    /* estacion: the workstation named at login (written into the bitácora). */
    int (*session_put)(prep_store *, const char *token_sha, int64_t user, prep_time expires,
                       const char *estacion, prep_err *);
    int (*session_get)(prep_store *, const char *token_sha, int64_t *user, prep_time *expires,
                       char estacion[64], prep_err *);
    int (*session_delete)(prep_store *, const char *token_sha, prep_err *);
    /* Every session of one account (password reset, account disabled). */
    int (*session_delete_user)(prep_store *, int64_t user, prep_err *);
    /* Work queues: lease the oldest acta of the phase that this user may take
     * (not leased by someone else, not already captured by this user); 1 if none. */
    int (*lease_next)(prep_store *, prep_fase, int64_t user, int eleccion, int catd,
                      prep_time now, prep_time until, int *e, int *c, prep_err *);
    int (*lease_release)(prep_store *, int e, int c, int64_t user, prep_err *);
    /* Who holds the acta's lease and until when (0, 0 if none or never stored). */
    int (*lease_get)(prep_store *, int e, int c, int64_t *user, prep_time *until, prep_err *);
    /* Idempotency: the stored reply of a request key; get returns 1 if absent. */
    int (*idem_get)(prep_store *, const char *key, int *status, char **body, prep_err *);
    int (*idem_put)(prep_store *, const char *key, int status, const char *body, prep_err *);
    /* Cortes and fuera de catálogo. */
    int (*corte_add)(prep_store *, const prep_corte_info *, prep_err *);
    int (*corte_iter)(prep_store *, prep_corte_cb, void *ctx, prep_err *);
    int (*fc_add)(prep_store *, prep_fuera_catalogo *, prep_err *);    /* sets id */
    int (*fc_publish)(prep_store *, int corte, int64_t max_id, prep_err *); /* corte = N where corte = 0 and id <= max_id */
    int (*fc_iter)(prep_store *, int e, prep_fc_cb, void *ctx, prep_err *);
    /* The corte lock: one corte at a time across every process and node that
     * shares this store (PostgreSQL: a session-level advisory lock; SQLite: a
     * flock on DATADIR/cortes/.lock). Never waits: 0 taken, 1 held by someone
     * else (err says so, code PREP_E_CONFLICT), -1 error. Not re-entrant: a
     * second lock on the same handle answers 1. unlock is harmless when not held. */
    int (*corte_lock)(prep_store *, prep_err *);
    void (*corte_unlock)(prep_store *);
} prep_store_vt;

struct prep_store {
    const prep_store_vt *vt;
    char datadir[512];
};

/* Open the store of a data directory created by prep_store_create(). */
int prep_store_open(const char *datadir, prep_store **out, prep_err *err);
/* Create the data directory and database if missing, run migrations (idempotent).
 * url NULL or "sqlite" = embedded SQLite in DATADIR/prep.db. */
int prep_store_create(const char *datadir, const char *url, prep_err *err);
void prep_store_close(prep_store *st);

/* Thin wrappers, so callers read as prep_store_acta_get(st, ...). */
#define PREP_STORE_CALL(st, fn, ...) ((st)->vt->fn((st), __VA_ARGS__))
static inline int prep_store_begin(prep_store *st, int write, prep_err *err) { return st->vt->begin(st, write, err); }
static inline int prep_store_commit(prep_store *st, prep_err *err) { return st->vt->commit(st, err); }
static inline void prep_store_rollback(prep_store *st) { st->vt->rollback(st); }
static inline int prep_store_catalog_save(prep_store *st, const prep_catalog *c, prep_err *err) { return st->vt->catalog_save(st, c, err); }
static inline int prep_store_corte_lock(prep_store *st, prep_err *err) { return st->vt->corte_lock(st, err); }
static inline void prep_store_corte_unlock(prep_store *st) { st->vt->corte_unlock(st); }
static inline int prep_store_catalog_load(prep_store *st, prep_catalog *c, prep_err *err) { return st->vt->catalog_load(st, c, err); }

#endif
