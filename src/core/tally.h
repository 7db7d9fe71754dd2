/* tally.h — the numbers of a corte, accumulated acta by acta: the 13 summary
 * fields of Anexo 18.5 (prep_summary), the vote sums per column over the
 * contabilizadas actas (prep_votes), mergeable casilla → sección → unit →
 * entidad, and the candidate totals of a unit with their ties.
 * Pure: no I/O, no allocation. The corte, the public site, `prep verify` and
 * `prep audit` all count with these functions and nothing else. */
#ifndef PREP_TALLY_H
#define PREP_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "core/catalog.h"
#include "core/rules.h"
#include "core/values.h"
#include "util/err.h"

/* ---- The 13 summary fields (docs/design.md, "Counting") ------------ */

#define PREP_SUMMARY_NFIELDS 13

typedef struct {
    int64_t esperadas;          /* ACTAS_ESPERADAS: actas of the catalog */
    int64_t registradas;        /* = capturadas + fuera_catalogo */
    int64_t fuera_catalogo;     /* ACTAS_FUERA_CATALOGO */
    int64_t capturadas;         /* registered actas of the catalog, incl. sin acta */
    int64_t contabilizadas;
    int64_t no_contabilizadas;  /* = capturadas - contabilizadas */
    int64_t inconsistentes;     /* actas with prep_rule_result.inconsistente */
    int64_t lista_nominal;      /* LISTA_NOMINAL_ACTAS_CONTABILIZADAS */
    int64_t votos_c_cs;         /* Σ total calculado of contabilizadas */
    int64_t votos_s_cs;         /* same without casillas especiales */
    /* Filled by prep_summary_compute, in 1/10000ths of a percent, truncated. */
    int64_t pct_capturadas, pct_contabilizadas, pct_inconsistencias, pct_participacion;
    int final;                  /* participación computed as on the final corte */
} prep_summary;

/* Zero everything and set ACTAS_ESPERADAS. */
void prep_summary_init(prep_summary *s, int64_t esperadas);
/* Count one registered acta of the catalog (captured, sin acta, contabilizada
 * or not): r from prep_rules_eval / prep_rules_sin_acta, the casilla's lista
 * nominal (0 for especiales, as the catalog holds it) and whether it is a
 * casilla especial (its votes stay out of TOTAL_VOTOS_S_CS). */
void prep_summary_add(prep_summary *s, const prep_rule_result *r, int64_t lista_nominal,
                      int especial);
/* Count one acta fuera de catálogo: only REGISTRADAS and FUERA_CATALOGO. */
void prep_summary_add_fuera(prep_summary *s);
/* dst += src, counts only (esperadas included); compute again afterwards. */
void prep_summary_merge(prep_summary *dst, const prep_summary *src);
/* The four percentages over ESPERADAS (capturadas, contabilizadas,
 * inconsistencias) and participación = S_CS × 100 / LN during operation,
 * C_CS × 100 / LN when final; all truncated to 4 decimals, 0 when the
 * denominator is 0. Call after the last add/merge, before formatting. */
void prep_summary_compute(prep_summary *s, int final);

/* Field names in CSV order: "ACTAS_ESPERADAS", ... */
extern const char *const prep_summary_names[PREP_SUMMARY_NFIELDS];
/* Text of field i (0..12) as the CSV writes it: integers plainly ("1234"),
 * percentages with 4 decimals ("95.0842"). NULL for a bad index. */
const char *prep_summary_field(const prep_summary *s, int i, char *buf, size_t cap);
/* Line 3 / line 4 of the results CSV (without line terminator): the names or
 * the values joined by ','. Returns the length the full line needs (like
 * snprintf); the line is complete when that is < cap. */
size_t prep_summary_header_line(char *buf, size_t cap);
size_t prep_summary_values_line(const prep_summary *s, char *buf, size_t cap);

/* ---- Vote sums per column ---------------------------------------------- */

typedef struct {
    int ncols;
    int64_t col[PREP_MAX_COLS];  /* per vote column, boleta order */
    int64_t no_registradas, nulos;
    int64_t total;               /* Σ col + no_registradas + nulos */
    int64_t actas;               /* contabilizadas actas summed */
} prep_votes;

void prep_votes_init(prep_votes *v, int ncols);
/* Add an acta's vote fields (vals has PREP_NFIELDS(v->ncols) fields;
 * Ilegible, Sin dato and "-" count 0) when r says it is contabilizada.
 * Returns 1 when added, 0 when the acta does not count. */
int prep_votes_add(prep_votes *v, const prep_val *vals, const prep_rule_result *r);
/* dst += src; -1 (PREP_E_INVALID, dst untouched) when column counts differ. */
int prep_votes_merge(prep_votes *dst, const prep_votes *src, prep_err *err);

/* ---- Summary + votes together: one per casilla, sección, unit, entidad -- */

typedef struct {
    prep_summary s;
    prep_votes v;
} prep_tally;

void prep_tally_init(prep_tally *t, int ncols, int64_t esperadas);
/* The rule limits of a catalog casilla (especial, LN, representantes, boletas). */
void prep_tally_limits(const prep_casilla *c, prep_rule_limits *out);
/* Count one registered acta of the catalog casilla c in both parts; vals may
 * be NULL for a sin acta registration. */
void prep_tally_add(prep_tally *t, const prep_val *vals, const prep_rule_result *r,
                    const prep_casilla *c);
void prep_tally_add_fuera(prep_tally *t);
int prep_tally_merge(prep_tally *dst, const prep_tally *src, prep_err *err);

/* ---- Candidate totals of one unit -------------------------------------- */

typedef enum {
    PREP_CAND_PARTIDO = 0,   /* a party running alone in the unit */
    PREP_CAND_COALICION = 1, /* a coalition: its parties + all its combinations */
    PREP_CAND_CI = 2         /* a candidatura independiente */
} prep_cand_tipo;

typedef struct {
    int tipo;                /* prep_cand_tipo */
    int col;                 /* first column of the candidatura (boleta order);
                              * prep_eleccion_candidatura(el, u, col) names it */
    int coalicion;           /* index into el->coaliciones, -1 if none */
    char siglas[32];         /* "PAN", coalition codigo "PAN_PRI_PRD", "CAND_IND_1" */
    uint64_t cols;           /* bit i set: column i is summed into votos */
    int64_t votos;
    int64_t pct_e4;          /* votos × 100 / total, truncated to 1/10000 */
} prep_cand_total;

typedef struct {
    int n;
    prep_cand_total c[PREP_MAX_COLS]; /* votos descending, ties in boleta order */
    /* Denominator of every percentage: all votes of the unit, including
     * NO_REGISTRADAS and NULOS (= prep_votes.total), as the PREP publishes. */
    int64_t total;
    int64_t no_registradas, nulos;
    int64_t pct_no_registradas, pct_nulos;
    /* Empate: the first two candidaturas have the same votes and that number
     * is > 0 (no Empate before any vote is counted). nempate = how many share
     * first place (2 or more; c[0..nempate-1], in boleta order), 0 otherwise. */
    int empate;
    int nempate;
} prep_candidatos;

/* Candidate totals of unit u of election e from that unit's column sums.
 * A party is its own candidatura unless a coalition it belongs to runs in u
 * (some combination column of the coalition applies in u); columns that do
 * not apply in u are left out; each CI is its own candidatura.
 * -1 with PREP_E_INVALID on a bad election, unit or column count. */
int prep_candidatos_unidad(const prep_catalog *cat, int e, int u, const prep_votes *v,
                           prep_candidatos *out, prep_err *err);

#endif
