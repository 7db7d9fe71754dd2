/* recount.h — `prep audit`: recompute any published Anexo 18.5 results CSV,
 * ours or another institute's, from its rows alone, with the shared counting
 * rules (core/rules.h) and tallies (core/tally.h), and list every difference.
 * The reader is tolerant of how institutes really publish (comma or |, a
 * `sep=|` line, UTF-8 with or without BOM or Latin-1, ="..." / '...' claves,
 * INE 2018–2024 and OPL column names); it never needs our catalog.
 * No printing here: the report is a structure, rendered by report.c. */
#ifndef PREP_RECOUNT_H
#define PREP_RECOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "core/tally.h"
#include "core/values.h"
#include "util/buf.h"
#include "util/err.h"

typedef struct {
    int final;                  /* the file is the last corte: participación with especiales */
    long max_boletas_especial;  /* boletas approved for each casilla especial; -1 unknown */
    int extracto;               /* the file is an excerpt on purpose: an incomplete file's
                                 * header is not compared, and that is not a difference */
} prep_recount_opts;

/* Kinds of difference, in report order. */
typedef enum {
    PREP_RC_RESUMEN = 0,    /* a summary (header) field published != recomputed */
    PREP_RC_TOTAL,          /* an acta's TOTAL_VOTOS_CALCULADO */
    PREP_RC_CONTABILIZADA,  /* an acta's CONTABILIZADA disagrees with the rules */
    PREP_RC_OBSERVACIONES,  /* its OBSERVACIONES give another reason than the rules */
    PREP_RC_DUPLICADA,      /* the same clave on two rows */
    PREP_RC_ORDEN,          /* captura before acopio, or verificación before captura */
    PREP_RC_FECHA,          /* a timestamp that is not dd/mm/AAAA or AAAA-MM-DD HH:MM[:SS] */
    PREP_RC_HASH,           /* a SHA / CODIGO_INTEGRIDAD that is not SHA-256 or SHA-512 hex */
    PREP_RC_VALOR,          /* a cell that holds no readable value (a vote field, LN, ...) */
    PREP_RC__COUNT
} prep_recount_kind;

/* Stable machine name of a kind ("summary", "total", ...). */
const char *prep_recount_kind_name(prep_recount_kind k);

/* Institutes' own conventions: what a file does that is not what our reading
 * of the rules publishes, but is not an error of the count either. Reported
 * apart, with the rows they apply to; they never make a file inconsistent.
 * Where the rules cannot tell (a field published as 0 may have been 0 or
 * illegible), the published verdict is taken and the summary follows it. */
typedef enum {
    PREP_RCV_VOTOS_EN_CERO = 0,  /* not counted (EXCEDE / TODOS ILEGIBLES) with every vote 0 */
    PREP_RCV_ILEGIBLE_COMO_CERO, /* ALGÚN CAMPO ILEGIBLE with every field a number */
    PREP_RCV_TOTAL_VACIO,        /* no TOTAL_VOTOS_CALCULADO on an acta without numbers */
    PREP_RCV_CLAVE_DOS_UNIDADES, /* one clave in two units (a sección split between them) */
    PREP_RCV_CAPTURA_CASILLA,    /* PREP Casilla photo captured before the paper's acopio */
    PREP_RCV_LISTA_NOMINAL_CERO, /* LN 0 (voto anticipado, VMRE): no limit to check */
    PREP_RCV_REGISTRADAS,        /* ACTAS_REGISTRADAS counted another way */
    PREP_RCV_PARTICIPACION,      /* participación with another formula */
    PREP_RCV_REDONDEO,           /* a percentage rounded, not truncated, to 4 decimals */
    PREP_RCV_RAZON_PRINCIPAL,    /* OBSERVACIONES names the deciding reason only */
    PREP_RCV_INCONSISTENCIAS,    /* PORCENTAJE_ACTAS_INCONSISTENCIAS of uncounted actas only */
    PREP_RCV__COUNT
} prep_recount_conv;

/* Stable machine name ("votos_en_cero", ...), a sentence saying what the
 * convention is, and the institutes whose files are known to follow it. */
const char *prep_recount_conv_name(prep_recount_conv c);
const char *prep_recount_conv_text(prep_recount_conv c);
const char *prep_recount_conv_institutes(prep_recount_conv c);

typedef struct {
    int64_t count;
    long *lines;            /* every row it applies to (the summary line for
                             * REGISTRADAS and PARTICIPACION) */
    size_t nlines, cap;
    char detail[160];       /* for summary conventions: the formula that matched */
} prep_recount_conv_rows;

typedef struct {
    prep_recount_kind kind;
    long line;              /* line of the file (1-based) */
    char clave[48];         /* CLAVE_ACTA (or CLAVE_CASILLA); "" for summary fields */
    char field[48];         /* column or summary field */
    char published[96];
    char recomputed[96];
    char reason[240];       /* one sentence (Spanish): why it differs */
} prep_recount_finding;

/* Vote columns a file may have: more than an election of ours (PREP_MAX_COLS),
 * since institutes publish every party and coalition combination of the whole
 * state in one file (IEE Puebla 2018 diputaciones: 72). The rules take any
 * number of columns; only the tallies of our own cortes are bounded. */
#define PREP_RECOUNT_MAX_COLS 240

/* Vote columns recognised from the header. */
typedef enum { PREP_RC_PARTIDO, PREP_RC_COMBINACION, PREP_RC_INDEPENDIENTE } prep_recount_coltype;

typedef struct {
    /* How the file was read. */
    char eleccion[160];         /* first line */
    char corte[64];             /* second line, as published */
    const char *encoding;       /* "UTF-8", "UTF-8 with BOM", "Latin-1" */
    char delim;                 /* ',' or '|' */
    int sep_line;               /* had a `sep=X` first line */
    int ncols;                  /* vote columns (parties, combinations, CI) */
    char col[PREP_RECOUNT_MAX_COLS][48];
    prep_recount_coltype coltype[PREP_RECOUNT_MAX_COLS];
    int has_total_col, has_obs_col, has_rep_col, has_tipo_col, has_hash_col, ntime_cols;
    int nignored;               /* unknown column names outside the vote columns */
    char ignored[256];          /* their names, ", "-joined (as many as fit) */
    /* What the rows hold. */
    int64_t filas;              /* data rows */
    int64_t pendientes;         /* expected actas listed but not yet received
                                 * (no CONTABILIZADA, no vote field): not
                                 * registered, never a difference */
    int64_t fuera;              /* fuera de catálogo rows */
    int64_t sin_acta;
    int64_t especiales;
    int64_t inconsistentes_no_contab; /* inconsistent actas left out of the count
                                 * (EXCEDE / TODOS ILEGIBLES), for the older
                                 * definition of PORCENTAJE_ACTAS_INCONSISTENCIAS */
    int64_t sin_limite;         /* actas whose limit is unknown (especial without
                                 * --max-boletas-especial, or no LISTA_NOMINAL):
                                 * their EXCEDE verdict is taken as published */
    /* The 13 summary fields: published text (present[i] = 0 when the file
     * has no such field) and the recomputation (ESPERADAS is the published one:
     * without a catalog it cannot be recounted). */
    char published[PREP_SUMMARY_NFIELDS][32];
    int present[PREP_SUMMARY_NFIELDS];
    long summary_line;          /* line of the published values */
    int incompleto;             /* far fewer rows than the header registers: the
                                 * summary was not compared */
    prep_summary s;
    /* The same rows counted with the verdicts they publish (CONTABILIZADA,
     * OBSERVACIONES, TOTAL_VOTOS_CALCULADO), to tell a header computed
     * wrongly from a header that follows wrong rows. */
    prep_summary sp;
    int64_t inc_nc_publicado;
    prep_recount_opts opts;
    /* Differences. */
    int64_t count[PREP_RC__COUNT];
    int64_t ndiff;
    prep_recount_finding *f;    /* every difference, file order per kind */
    size_t nf, capf;
    int nomem;                  /* a finding could not be kept (counts stay exact) */
    prep_recount_conv_rows conv[PREP_RCV__COUNT];
} prep_recount_report;

/* Recompute one results CSV held in memory (the whole file, any encoding).
 * 0: the file was read; out holds the recount and its differences (ndiff 0
 * = consistent). -1: it cannot be read (err says the line and the reason);
 * out is left empty. name is used in messages only. This is the entry point
 * for fuzzing: it reads nothing but data[0..len). */
int prep_recount_buffer(const char *data, size_t len, const char *name,
                        const prep_recount_opts *opts, prep_recount_report *out, prep_err *err);
void prep_recount_report_free(prep_recount_report *r);

/* A results CSV to audit, read from a path: the file itself, or each results
 * CSV inside a ZIP (also inside ZIPs nested one level, as INE publishes),
 * skipping *CANDIDATURAS* files. */
typedef struct {
    char name[512];
    char *data;
    size_t len;
} prep_recount_input;

/* Fill *out with n >= 1 inputs (free with prep_recount_inputs_free).
 * -1 when the file cannot be opened, is a broken ZIP or holds no results CSV. */
int prep_recount_inputs(const char *path, prep_recount_input **out, int *n, prep_err *err);
void prep_recount_inputs_free(prep_recount_input *in, int n);

/* The report as readable text (English) or as JSON. */
int prep_recount_text(const prep_recount_report *r, const char *name, prep_buf *out,
                      prep_err *err);
int prep_recount_json(const prep_recount_report *r, const char *name, prep_buf *out,
                      prep_err *err);

#endif
