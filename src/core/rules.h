/* rules.h — the Anexo 13 counting rules, as pure functions.
 * Given an acta's captured fields and its casilla's limits, decide whether it
 * is contabilizada, why not, what OBSERVACIONES says, and TOTAL_VOTOS_CALCULADO.
 * Shared by the corte, `prep verify` and `prep audit`: there is no second
 * implementation of these rules anywhere in PREP. */
#ifndef PREP_RULES_H
#define PREP_RULES_H

#include <stdint.h>

#include "core/values.h"

/* Observation flags (several may hold at once). */
#define PREP_OBS_EXCEDE_LN 0x01       /* total calculado > LN + representantes (or boletas) */
#define PREP_OBS_ALGUN_ILEGIBLE 0x02  /* some vote field Ilegible or Sin dato, not all */
#define PREP_OBS_TODOS_ILEGIBLES 0x04 /* every vote field Ilegible or Sin dato */
#define PREP_OBS_SIN_ACTA 0x08        /* no acta arrived (motivo says why) */

typedef enum {
    PREP_SIN_ACTA_NINGUNO = 0,
    PREP_SIN_ACTA_NO_ENTREGADO = 1,   /* paquete no entregado */
    PREP_SIN_ACTA_NO_INSTALADA = 2,   /* casilla no instalada */
    PREP_SIN_ACTA_SIN_SOBRE = 3,      /* paquete entregado sin sobre / sin bolsa */
    PREP_SIN_ACTA__COUNT
} prep_sin_acta_motivo;

/* What the rules need to know about the casilla. */
typedef struct {
    int especial;        /* tipo 'S' */
    int lista_nominal;
    int representantes;
    int boletas;         /* approved boletas of a casilla especial */
} prep_rule_limits;

typedef struct {
    int contabilizada;          /* 1 or 0 */
    unsigned obs;               /* PREP_OBS_* */
    int sin_acta_motivo;        /* prep_sin_acta_motivo when PREP_OBS_SIN_ACTA */
    int64_t total_calculado;    /* Σ vote columns + NO_REGISTRADAS + NULOS (Ilegible/Sin dato/- = 0) */
    int64_t limite;             /* LN + representantes, or boletas + representantes */
    int inconsistente;          /* counts in PORCENTAJE_ACTAS_INCONSISTENCIAS */
} prep_rule_result;

/* Evaluate an acta with captured values (vals has PREP_NFIELDS(ncols) fields). */
void prep_rules_eval(const prep_val *vals, int ncols, const prep_rule_limits *lim,
                     prep_rule_result *out);

/* The result for a Sin acta registration with its motivo. */
void prep_rules_sin_acta(int motivo, prep_rule_result *out);

/* TOTAL_VOTOS_CALCULADO alone. */
int64_t prep_rules_total_calculado(const prep_val *vals, int ncols);

/* OBSERVACIONES text, e.g. "EXCEDE LISTA NOMINAL, ALGUN DATO ILEGIBLE O SIN DATO";
 * "" when there is nothing to say. */
const char *prep_rules_observaciones(const prep_rule_result *r, char *buf, size_t cap);

/* "SIN ACTA POR PAQUETE NO ENTREGADO", ...; NULL for an unknown motivo. */
const char *prep_sin_acta_texto(int motivo);
/* Short machine name "paquete_no_entregado", ...; and its inverse (-1 unknown). */
const char *prep_sin_acta_codigo(int motivo);
int prep_sin_acta_from_codigo(const char *codigo);

/* Percentage num*100/den truncated (never rounded) to 4 decimals, as an
 * integer count of 1/10000ths: 1/3 -> 333333 (33.3333). den == 0 -> 0. */
int64_t prep_pct_e4(int64_t num, int64_t den);
/* "33.3333" */
const char *prep_pct_fmt(int64_t e4, char *buf, size_t cap);

#endif
