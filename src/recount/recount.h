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
    PREP_RC_HASH,           /* a SHA / CODIGO_INTEGRIDAD that is not 64 hex digits */
    PREP_RC__COUNT
} prep_recount_kind;

/* Stable machine name of a kind ("summary", "total", ...). */
const char *prep_recount_kind_name(prep_recount_kind k);

typedef struct {
    prep_recount_kind kind;
    long line;              /* line of the file (1-based) */
    char clave[48];         /* CLAVE_ACTA (or CLAVE_CASILLA); "" for summary fields */
    char field[48];         /* column or summary field */
    char published[96];
    char recomputed[96];
    char reason[240];       /* one sentence: why it differs */
} prep_recount_finding;

/* Findings kept in the report; counts stay exact past it. */
#define PREP_RECOUNT_MAX_KEPT 5000

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
    char col[PREP_MAX_COLS][48];
    prep_recount_coltype coltype[PREP_MAX_COLS];
    int has_total_col, has_obs_col, has_rep_col, has_tipo_col, has_hash_col, ntime_cols;
    int nignored;               /* unknown column names outside the vote columns */
    char ignored[256];          /* their names, ", "-joined (as many as fit) */
    /* What the rows hold. */
    int64_t filas;              /* data rows */
    int64_t fuera;              /* fuera de catálogo rows */
    int64_t sin_acta;
    int64_t especiales;
    int64_t sin_limite;         /* actas whose limit is unknown (especial without
                                 * --max-boletas-especial, or no LISTA_NOMINAL):
                                 * their EXCEDE verdict is taken as published */
    /* The 13 summary fields: published text (present[i] = 0 when the file
     * has no such field) and the recomputation (ESPERADAS is the published one:
     * without a catalog it cannot be recounted). */
    char published[PREP_SUMMARY_NFIELDS][32];
    int present[PREP_SUMMARY_NFIELDS];
    long summary_line;          /* line of the published values */
    prep_summary s;
    prep_recount_opts opts;
    /* Differences. */
    int64_t count[PREP_RC__COUNT];
    int64_t ndiff;
    prep_recount_finding *f;    /* the first PREP_RECOUNT_MAX_KEPT, file order per kind */
    int nf, capf;
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
