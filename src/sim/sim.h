/* sim.h — simulacros: the ground truth of a drill (what every acta really
 * says, which faults happen to it and when its paquete arrives), the acta
 * images rendered from it, the comparison of a published corte with it, and
 * the drill report. The truth is a pure function of (catalog, seed, fault
 * rates); expected results follow from it through src/core/rules.h and
 * tally.h only — there is no second implementation of any counting rule.
 * The drill itself (HTTP, threads, the server process) is in drill.h. */
#ifndef PREP_SIM_H
#define PREP_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "core/catalog.h"
#include "core/rules.h"
#include "core/tally.h"
#include "core/values.h"
#include "util/buf.h"
#include "util/err.h"

/* ---- Faults --------------------------------------------------------- */

/* Fault kinds, in report order. Acta-level kinds are drawn per (election,
 * casilla); paquete-level kinds per casilla (a paquete carries the actas of
 * every election of its casilla). */
typedef enum {
    SIM_FAULT_ILEGIBLE = 0,  /* 1-2 fields Ilegible on the acta */
    SIM_FAULT_SIN_DATO,      /* 1-2 fields left empty */
    SIM_FAULT_TODOS,         /* every vote field Ilegible or Sin dato */
    SIM_FAULT_EXCEDE,        /* votes exceed lista nominal (or boletas) + representantes */
    SIM_FAULT_MISTYPE,       /* capture 1 mistyped: discrepancia, capture 3 settles it */
    SIM_FAULT_MISTYPE2,      /* captures 1 and 2 mistyped: the verifier settles it */
    SIM_FAULT_RETRY_CAPTURE, /* a capture resent with the same Idempotency-Key */
    SIM_FAULT_CORRUPT,       /* image bytes corrupted in transit: refused, resent */
    SIM_FAULT_RETRY_UPLOAD,  /* phone lost signal: same image resent */
    SIM_FAULT_PHOTO_SCAN,    /* casilla photo and later a CATD scan of the same acta */
    SIM_FAULT_SIN_ACTA,      /* paquete: sin acta (motivo 1..3) */
    SIM_FAULT_LATE,          /* paquete arrives hours late */
    SIM_FAULT_LOST,          /* paquete never arrives */
    SIM_FAULT_FUERA,         /* an acta fuera de catálogo is registered */
    SIM_FAULT__COUNT
} sim_fault;

#define SIM_FAULT_BIT(k) (1u << (k))

typedef struct {
    double rate[SIM_FAULT__COUNT]; /* probability per acta / paquete / esperada (fuera) */
    double photo;                  /* share of casillas with a CAE that photograph */
    int at_least_one;              /* force one of each fault with a rate > 0 */
} sim_faults;

/* "none", "default", "heavy"; -1 for an unknown name. */
int sim_faults_preset(const char *name, sim_faults *out);
const char *sim_fault_code(sim_fault k);  /* "ilegible", "corrupt", ... */
const char *sim_fault_desc(sim_fault k);  /* Spanish, for the report */

/* ---- Truth ---------------------------------------------------------- */

/* Virtual night: seconds after the polls close (18:00). */
#define SIM_NIGHT_S (14 * 3600)

typedef struct {
    uint32_t faults;         /* SIM_FAULT_BIT of acta-level kinds */
    int8_t mistype[2];       /* field mistyped in capture 1 / 2; -1 none */
    prep_val *vals;          /* PREP_NFIELDS(ncols): what is written on the acta */
} sim_acta;

typedef struct {
    uint32_t faults;         /* SIM_FAULT_BIT of paquete-level kinds */
    uint8_t motivo;          /* prep_sin_acta_motivo when SIN_ACTA */
    int32_t t_photo;         /* CAE photo, virtual s; -1 none */
    int32_t t_arrival;       /* paquete at the CATD, virtual s; -1 never */
} sim_casilla;

typedef struct {
    int eleccion;
    char ident[32];          /* what the acta's identification reads */
    int32_t t;               /* virtual s */
    int catd;
} sim_fuera;

typedef struct {
    int nfields;
    sim_acta *actas;         /* [ncasillas] */
    prep_val *valbuf;
} sim_truth_el;

typedef struct sim_truth {
    const prep_catalog *cat;
    uint64_t seed;
    sim_faults faults;
    sim_casilla *cas;        /* [cat->ncasillas] */
    sim_truth_el el[PREP_MAX_ELECCIONES];
    int nfuera;
    sim_fuera *fuera;
} sim_truth;

/* Build the truth of every acta of cat (which must outlive it). */
int sim_truth_build(const prep_catalog *cat, uint64_t seed, const sim_faults *f, sim_truth *out,
                    prep_err *err);
void sim_truth_free(sim_truth *t);

static inline int sim_has(const sim_truth *t, int e, int c, sim_fault k)
{
    return ((t->el[e].actas[c].faults | t->cas[c].faults) >> k) & 1u;
}

/* The values a capturista types for capture number k (0-based) of the
 * first round: the acta's values, with the planned mistype if any. */
void sim_capture_values(const sim_truth *t, int e, int c, int k, prep_val *out);

/* How many actas / paquetes / registrations carry each fault. */
void sim_truth_fault_counts(const sim_truth *t, int64_t counts[SIM_FAULT__COUNT]);

/* ---- Ties (--ties) ------------------------------------------------------ */

/* A unit that must end tied: "JG", "DIP:5", "ALC:3" (election code and the
 * unit's published ID; the ID may be left out when the election has one
 * unit), with ":2" for a tie for second place. */
typedef struct {
    int eleccion, unidad;    /* indexes */
    int place;               /* 1: first and second tie; 2: second and third */
} sim_tie;

int sim_tie_parse(const prep_catalog *cat, const char *spec, sim_tie *out, prep_err *err);
/* Candidate totals of unit u over the actas the final corte will count. */
int sim_unit_candidatos(const sim_truth *t, int e, int u, prep_candidatos *out, prep_err *err);
/* Move votes of the candidatura ahead to NULOS on contabilizada actas until
 * the two places are exactly equal (no rule result changes). */
int sim_truth_tie(sim_truth *t, const sim_tie *tie, prep_err *err);
/* Comma-separated list of units (NULL or "" = none). */
int sim_truth_ties(sim_truth *t, const char *list, prep_err *err);

/* ---- Expected results ------------------------------------------------- */

typedef enum {
    SIM_EXP_NONE = 0,        /* never registered: stays ESPERADA (lost paquete, no photo) */
    SIM_EXP_PUBLICADA = 1,   /* captured, verified, published with vals */
    SIM_EXP_SIN_ACTA = 2     /* registered sin acta with motivo */
} sim_exp_kind;

typedef struct {
    int kind;                /* sim_exp_kind */
    const prep_val *vals;    /* PUBLICADA: the acta's values */
    prep_rule_result res;    /* rules applied */
    int acopio;              /* 1 when FECHA_HORA_ACOPIO must be set */
} sim_expect;

void sim_expect_acta(const sim_truth *t, int e, int c, sim_expect *out);
/* The 13 summary fields the final corte must publish for election e. */
void sim_expect_summary(const sim_truth *t, int e, prep_summary *out);

/* ---- Rendering -------------------------------------------------------- */

typedef enum { SIM_IMG_FOTO = 0, SIM_IMG_ESCANER = 1 } sim_img_kind;

typedef struct {
    int small;               /* low resolution, 1 bit per pixel */
} sim_render_opts;

/* Render acta (e, c) as a PNG into out (reset first): the acta layout with
 * its figures written in and its CLAVE_CASILLA as a QR code. Deterministic:
 * the same truth and kind give the same bytes. Thread-safe. */
int sim_render_acta(const sim_truth *t, int e, int c, sim_img_kind kind,
                    const sim_render_opts *o, prep_buf *out, prep_err *err);

/* Once no thread renders any more: drop cairo's and fontconfig's caches
 * (so leak checkers see only our own allocations). */
void sim_render_cleanup(void);

/* ---- Printing (prep simulate --print) ------------------------------------- */

/* Acta (e, c) as a one-page PDF (US Letter) into out (reset first): what
 * sim_render_acta draws, in vector, black on white, footer SIMULACRO.
 * Deterministic: the same truth gives the same bytes. Thread-safe. */
int sim_print_acta(const sim_truth *t, int e, int c, prep_buf *out, prep_err *err);

typedef struct {
    int64_t pdfs;            /* actas printed (one PDF each) */
    int64_t sin_acta;        /* actas of paquetes sin acta: index row, no PDF */
    int64_t fuera;           /* actas fuera de catálogo: index row, no PDF */
    double seconds;
} sim_print_result;

/* Every acta of the truth into dir (created if missing): dir/<ELECCION>/
 * <CLAVE_CASILLA>.pdf on `threads` threads, and dir/indice.csv (ELECCION,
 * CLAVE_CASILLA, CATD, ARCHIVO, SHA256, SITUACION) listing every acta,
 * printed or not. Existing files of the same names are replaced. */
int sim_print_all(const sim_truth *t, const char *dir, int threads, sim_print_result *res,
                  prep_err *err);

/* ---- Comparison with a published corte ---------------------------------- */

typedef struct {
    char eleccion[8];
    char clave[24];          /* CLAVE_CASILLA, "-" for summary/file-level */
    char field[48];
    char expected[96];
    char published[96];
} sim_diff;

/* What the drill learnt from the server that the truth cannot know: the
 * SHA-256 of the image that became active for each acta (ORIGEN,
 * DIGITALIZACION and CODIGO_INTEGRIDAD must describe it). NULL entries
 * skip that check. */
typedef struct {
    const char *(*active_sha)(void *ctx, int e, int c, int *origen, int *digitalizacion);
    void *ctx;
    int tamper;              /* test only (PREP_SIM_TEST=tamper-csv): one published vote of
                              * a contabilizada acta is changed as it is read */
} sim_compare_hooks;

typedef struct {
    int64_t rows, actas_ok, fields_checked;
    int ndiffs;              /* all differences found */
    int cap, n;              /* diffs kept (first cap) */
    sim_diff *diffs;
    uint8_t *bad;            /* [nelecciones * ncasillas]: 1 when that acta's row differs or
                              * is missing (for the report's fault outcomes) */
    int ncasillas;
} sim_compare_result;

/* Compare the results CSVs of the corte in corte_dir (datos/<ELECCION>/
 * <ENT>_<ELECCION>_<AAAA>.csv, publish/names.h) with the truth: every acta
 * row field by field, no row missing, extra or repeated, the fuera de
 * catálogo rows, and the 13 summary fields. Returns 0 when the comparison
 * ran (look at ndiffs), -1 when a file could not be read at all. */
int sim_compare_corte(const sim_truth *t, const char *corte_dir, const sim_compare_hooks *h,
                      sim_compare_result *out, prep_err *err);
void sim_compare_free(sim_compare_result *r);

/* ---- Published CSV reading (also used for per-corte progress) --------- */

/* The summary line of a results CSV: field values as text. */
typedef struct {
    char nombre[PREP_NAME_MAX];
    char corte[32];
    char v[PREP_SUMMARY_NFIELDS][32];
} sim_csv_summary;

int sim_csv_read_summary(const char *path, sim_csv_summary *out, prep_err *err);

#endif
