/* ops.h — the operations of election night, each one a unit of work that
 * reads the acta, asks the core state machine, writes the result and its
 * bitácora entry. Every function here must run inside an open write
 * transaction (prep_store_begin(st, 1)); the caller commits — alone (CLI) or
 * grouped with other requests (the HTTP server's group commit, where each
 * operation runs in its own savepoint). On error nothing was written by the
 * call, provided the caller rolls back its savepoint. */
#ifndef PREP_OPS_H
#define PREP_OPS_H

#include <stdint.h>

#include "core/acta.h"
#include "core/catalog.h"
#include "store/store.h"
#include "util/err.h"

typedef struct {
    prep_store *st;
    const prep_catalog *cat;
} prep_ops;

/* Who does something: written into every bitácora entry. */
typedef struct {
    int64_t user;          /* 0 = the system itself */
    const char *nombre;    /* "" for the system */
    const char *rol;
    int catd, cae;
    const char *station;   /* workstation, CATD or node name; "" if none */
} prep_actor;

extern const prep_actor prep_actor_system;

/* Append one bitácora entry (chained to the current head). */
int prep_ops_log(prep_ops *o, const prep_actor *who, prep_time at, const char *action,
                 const char *object, const char *before, const char *after, prep_err *err);

/* Acta events. `out` (may be NULL) receives the acta after the event;
 * `noop` (may be NULL) is set to 1 when the event repeated something
 * already recorded (an idempotent retry) and nothing changed. */
int prep_ops_acopio(prep_ops *o, const prep_actor *who, int e, int c, prep_time at,
                    prep_acta *out, int *noop, prep_err *err);
int prep_ops_sin_acta(prep_ops *o, const prep_actor *who, int e, int c, int motivo,
                      prep_time at, prep_acta *out, int *noop, prep_err *err);
/* Record an image whose bytes are already stored (content-addressed); it
 * becomes the active image if the acta has none. */
int prep_ops_imagen(prep_ops *o, const prep_actor *who, const prep_imagen *im, prep_acta *out,
                    int *noop, prep_err *err);
/* The active image is illegible: mark it rejected, discard the round, and
 * activate the oldest other image that is not rejected, if any. */
int prep_ops_rechaza_imagen(prep_ops *o, const prep_actor *who, int e, int c, prep_time at,
                            prep_acta *out, prep_err *err);
int prep_ops_captura(prep_ops *o, const prep_actor *who, int e, int c, const prep_val *vals,
                     int nfields, prep_time at, prep_acta *out, prep_err *err);
/* elegida 0..2 picks a capture; -1 uses vals. */
int prep_ops_resuelve(prep_ops *o, const prep_actor *who, int e, int c, int elegida,
                      const prep_val *vals, int nfields, prep_time at, prep_acta *out,
                      prep_err *err);
int prep_ops_verifica(prep_ops *o, const prep_actor *who, int e, int c, prep_time at,
                      prep_acta *out, int *noop, prep_err *err);
int prep_ops_rechaza_captura(prep_ops *o, const prep_actor *who, int e, int c, prep_time at,
                             prep_acta *out, prep_err *err);
/* resultado: PREP_COTEJO_*; vals required for CORREGIDA. */
int prep_ops_cotejo(prep_ops *o, const prep_actor *who, int e, int c, int resultado,
                    const prep_val *vals, int nfields, prep_time at, prep_acta *out, int *noop,
                    prep_err *err);
/* The same identification registered again in the same election is a no-op
 * (*noop = 1, out = the first registration). */
int prep_ops_fuera_catalogo(prep_ops *o, const prep_actor *who, int e, const char *ident,
                            prep_time at, prep_fuera_catalogo *out, int *noop, prep_err *err);

/* Mark every VERIFICADA acta (and unpublished sin acta / fuera de catálogo)
 * as published in corte `corte`; one bitácora entry for the whole corte.
 * *count receives how many actas changed. */
int prep_ops_publica(prep_ops *o, const prep_actor *who, int corte, prep_time at,
                     int64_t *count, prep_err *err);

/* The same for a given list (what a corte's files hold): each acta still
 * VERIFICADA or unpublished sin acta is marked, one that changed since the
 * list was made is left for the next corte; fuera de catálogo up to id
 * fc_max. One bitácora entry; *count = actas changed. */
typedef struct {
    int eleccion, casilla;
} prep_pub_item;
int prep_ops_publica_set(prep_ops *o, const prep_actor *who, int corte, prep_time at,
                         const prep_pub_item *items, size_t n, int64_t fc_max, int64_t *count,
                         prep_err *err);

/* Walk the whole bitácora: 0 when the chain holds (*seq entries, head =
 * last hash), 1 when broken (*seq = last good entry, why = the first broken
 * one and how), -1 on a read error. */
int prep_log_verify(prep_store *st, int64_t *seq, char head[65], char *why, size_t cap,
                    prep_err *err);

/* Run fn inside its own write transaction (for the CLI and tests). */
typedef int (*prep_ops_fn)(prep_ops *o, void *ctx, prep_err *err);
int prep_ops_tx(prep_ops *o, prep_ops_fn fn, void *ctx, prep_err *err);

/* "GUB/090123B0100" */
void prep_ops_object(const prep_catalog *cat, int e, int c, char *buf, size_t cap);

#endif
