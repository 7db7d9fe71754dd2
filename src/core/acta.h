/* acta.h — the life of an acta (docs/design.md, "The life of an acta") as a pure state machine.
 * prep_acta_apply() takes an acta and an event and either produces the new
 * acta or refuses with PREP_E_STATE / PREP_E_CONFLICT; it never half-applies.
 * The store persists the result together with its bitácora entry in one
 * transaction; this file does no I/O and knows nothing of SQL or HTTP. */
#ifndef PREP_ACTA_H
#define PREP_ACTA_H

#include <stdint.h>

#include "core/values.h"
#include "util/err.h"
#include "util/timefmt.h"

typedef enum {
    PREP_EST_ESPERADA = 0,  /* nothing has arrived */
    PREP_EST_ACOPIADA,      /* paquete/acta received at the CATD, no usable image yet */
    PREP_EST_DIGITALIZADA,  /* has an active image; no capture yet */
    PREP_EST_CAPTURADA,     /* one capture of the current round */
    PREP_EST_DISCREPANCIA,  /* captures disagree: a third capture or the verifier decides */
    PREP_EST_POR_VERIFICAR, /* captures agree (or were resolved): waits for verification */
    PREP_EST_VERIFICADA,    /* publishable at the next corte */
    PREP_EST_PUBLICADA,     /* in a corte */
    PREP_EST_SIN_ACTA,      /* registered without acta, with its motivo */
    PREP_EST__COUNT
} prep_estado;

typedef enum { PREP_ORIGEN_NINGUNO = 0, PREP_ORIGEN_CASILLA = 1, PREP_ORIGEN_CATD = 2 } prep_origen;
typedef enum { PREP_DIG_NINGUNA = 0, PREP_DIG_MOVIL = 1, PREP_DIG_ESCANER = 2 } prep_digitalizacion;

typedef enum {
    PREP_COTEJO_NINGUNO = 0,
    PREP_COTEJO_ACEPTADA = 1,     /* COTEJADA 1 */
    PREP_COTEJO_CORREGIDA = 2,    /* COTEJADA 2: data corrected and validated */
    PREP_COTEJO_EN_CORRECCION = 3 /* COTEJADA 3 */
} prep_cotejo;

#define PREP_MAX_CAPTURAS 3

/* Everything the state machine knows about one acta. The captured values
 * live beside it (the store), the chosen ones in `valores` of the store row. */
typedef struct {
    int eleccion, casilla;       /* catalog indexes */
    prep_estado estado;
    int ronda;                   /* capture round; bumped when captures are discarded */
    int ncapturas;               /* captures in the current round (0..3) */
    int64_t capturista[PREP_MAX_CAPTURAS]; /* user ids of this round's captures */
    int elegida;                 /* capture whose values stand (0..2), -1 none / verifier's own */
    int sin_acta_motivo;
    int cotejo;                  /* prep_cotejo */
    char imagen[65];             /* SHA-256 of the active image, "" none */
    int origen;                  /* of the active image */
    int digitalizacion;
    prep_time t_acopio, t_imagen, t_captura, t_verificacion, t_publicacion;
    int corte;                   /* corte that first published it, 0 none */
} prep_acta;

typedef enum {
    PREP_EV_ACOPIO,             /* paquete arrived at the CATD */
    PREP_EV_SIN_ACTA,           /* no acta: motivo */
    PREP_EV_IMAGEN,             /* an image was stored: imagen, origen, digitalizacion */
    PREP_EV_RECHAZA_IMAGEN,     /* verifier: active image illegible, re-digitalizar */
    PREP_EV_CAPTURA,            /* a capture by user: vals, prev (this round's captures) */
    PREP_EV_RESUELVE,           /* verifier settles a discrepancy: elegida (or -1 + vals) */
    PREP_EV_VERIFICA,           /* verifier: data match the image */
    PREP_EV_RECHAZA_CAPTURA,    /* verifier: data do not match, capture again */
    PREP_EV_PUBLICA,            /* taken by corte number `corte` */
    PREP_EV_COTEJO,             /* after publication: cotejo result (+ vals when corrected) */
    PREP_EV__COUNT
} prep_evento_tipo;

typedef struct {
    prep_evento_tipo tipo;
    prep_time at;
    int64_t user;
    int motivo;                  /* SIN_ACTA */
    const char *imagen;          /* IMAGEN: sha256 hex */
    int origen, digitalizacion;  /* IMAGEN */
    const prep_val *vals;        /* CAPTURA, RESUELVE (elegida -1), COTEJO corregida */
    const prep_val *const *prev; /* CAPTURA: values of this round's earlier captures */
    int nfields;
    int elegida;                 /* RESUELVE */
    int cotejo;                  /* COTEJO */
    int corte;                   /* PUBLICA */
} prep_evento;

/* What the caller must do besides storing the new acta. */
typedef struct {
    int noop;            /* repeat of something already recorded: nothing changes */
    int store_capture;   /* save ev->vals as capture number (new.ncapturas - 1) */
    int set_valores;     /* the acta's standing values are now `valores_from` */
    int valores_from;    /* 0..2: that capture; -1: ev->vals */
    int discard_round;   /* previous round's captures no longer count */
} prep_efecto;

void prep_acta_init(prep_acta *a, int eleccion, int casilla);

/* Apply ev to *cur. On success fills *next and *fx and returns 0; on refusal
 * returns -1 with err (PREP_E_STATE for a transition the state forbids,
 * PREP_E_CONFLICT for the same capturista twice, PREP_E_INVALID for bad event
 * data) and leaves *next untouched. */
int prep_acta_apply(const prep_acta *cur, const prep_evento *ev, prep_acta *next,
                    prep_efecto *fx, prep_err *err);

const char *prep_estado_name(prep_estado s);       /* "ESPERADA", ... */
int prep_estado_from_name(const char *name);       /* -1 unknown */
const char *prep_evento_name(prep_evento_tipo t);  /* "acopio", "captura", ... */
const char *prep_origen_name(int origen);          /* "CASILLA", "CATD", "" */
const char *prep_digitalizacion_name(int d);       /* "MOVIL", "ESCANER", "" */

/* 1 when the acta goes into a corte's database (published or sin acta). */
int prep_acta_registrada(const prep_acta *a);

#endif
