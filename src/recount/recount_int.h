/* recount_int.h — what the files of src/recount share and nobody else needs:
 * the decoded text of a file (text.c), its records with their line numbers
 * (rows.c), the meaning of column names (columns.c), and the state of one
 * recount shared by recount.c and acta_check.c. */
#ifndef PREP_RECOUNT_INT_H
#define PREP_RECOUNT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/tally.h"
#include "recount/recount.h"
#include "util/err.h"

/* ---- text.c: bytes -> UTF-8 text, delimiter -------------------------- */

typedef struct {
    char *text;             /* UTF-8, NUL-terminated, without BOM or sep= line */
    size_t len;
    const char *encoding;   /* "UTF-8", "UTF-8 with BOM", "Latin-1" */
    char delim;             /* ',' or '|' (or what a sep= line says) */
    int sep_line;           /* 1 when a `sep=X` line was dropped */
    long first_line;        /* line number of text[0] in the file (1 or 2) */
} rc_text;

/* Decode: BOM, UTF-8 validity (else Latin-1 through iconv), a `sep=X`
 * first line, and the delimiter (from the line of the summary names or the
 * acta columns, whichever comes first). -1 on NUL bytes or out of memory. */
int rc_text_decode(const char *data, size_t len, const char *name, rc_text *out,
                   prep_err *err);
void rc_text_free(rc_text *t);

/* ---- rows.c: records with line numbers (libcsv) ---------------------- */

/* Called once per non-blank record with the file line where it ends and
 * its fields, each trimmed of spaces and tabs, quoted or not (IECM writes
 * "ILEGIBLE " and quoted tab cells); a record whose fields are all empty
 * after trimming is a blank line and is not passed on. NUL-terminated.
 * Return -1 (err filled) to stop. */
typedef int (*rc_row_fn)(void *ctx, long line, int nf, char **f, prep_err *err);

#define RC_MAX_FIELDS 512

int rc_rows(const rc_text *t, const char *name, rc_row_fn fn, void *ctx, prep_err *err);

/* ---- columns.c: what a column or summary name means ------------------ */

typedef enum {
    RC_COL_VOTE = 0,        /* not a known name: a vote column if it comes
                             * before NO_REGISTRADOS / NULOS */
    RC_COL_OTHER,           /* known, not used by the recount */
    RC_COL_CLAVE_CASILLA,
    RC_COL_CLAVE_ACTA,
    RC_COL_TIPO_CASILLA,
    RC_COL_NOREG,
    RC_COL_NULOS,
    RC_COL_CALCULADO,
    RC_COL_LISTA_NOMINAL,
    RC_COL_REPRESENTANTES,
    RC_COL_OBSERVACIONES,
    RC_COL_CONTABILIZADA,
    RC_COL_HASH,
    RC_COL_T_ACOPIO,
    RC_COL_T_CAPTURA,
    RC_COL_T_VERIFICACION,
    RC_COL_ORIGEN,          /* CASILLA (PREP Casilla phone) or CATD */
    RC_COL_UNIDAD,          /* ID_MUNICIPIO, ID_DISTRITO_LOCAL, ...: the acta's unit */
    RC_COL__COUNT
} rc_col_role;

/* Trimmed, upper-cased copy of s with Spanish accents folded (Á -> A,
 * ñ -> N, ü -> U), so ACTAS_FUERA_CATÁLOGO and ALGÚN match their plain
 * spellings. */
void rc_upper(const char *s, char *out, size_t cap);
/* Role of an acta column name (any case). */
rc_col_role rc_column_role(const char *name);
/* Index 0..12 of a summary field name in prep_summary_names, accepting the
 * INE 2021 spellings; -1 when it is not one. */
int rc_summary_index(const char *name);

/* ---- recount.c / acta_check.c: one recount in progress -------------- */

typedef struct {
    char clave[48];
    char unidad[16];            /* the unit column's value, to tell two units apart */
    long line;
} rc_dup;

typedef struct {
    prep_recount_report *r;
    const char *name;
    int stage;                  /* 0 preamble, 1 summary values, 2 columns, 3 actas */
    int nrec;                   /* records before the summary names */
    int computos;               /* the summary names ACTAS_COMPUTADAS: a cómputos file */
    int sum_at[PREP_SUMMARY_NFIELDS]; /* field index of each summary name, -1 absent */
    long columns_line;
    int ncolumns;
    int at[RC_COL__COUNT];      /* field index of each role, -1 absent */
    int vote_at[PREP_RECOUNT_MAX_COLS];
    rc_dup *dup;
    size_t ndup, capdup;
} rc_ctx;

/* Record a difference (counted always, kept up to PREP_RECOUNT_MAX_KEPT). */
void rc_add(rc_ctx *x, prep_recount_kind kind, long line, const char *clave, const char *field,
            const char *pub, const char *rec, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* Record that a row follows an institute's convention (see recount.h). */
void rc_convention(rc_ctx *x, prep_recount_conv c, long line);
/* Cut an incomplete UTF-8 sequence left at the end of s by a truncation. */
void rc_utf8_trim(char *s);

/* ---- values.c: how one value is written -------------------------------- */

/* s without ="..." / '...' / a leading ' and surrounding spaces. */
void rc_unwrap(const char *s, char *out, size_t cap);
/* "", "-", "--", "N/A", "NA", "NULL": nothing is published in that cell. */
int rc_absent(const char *s);
/* A non-negative integer (up to 15 digits), thousands separators allowed
 * where they belong ("7,672"), wrappers removed; -1 otherwise. */
int rc_parse_count(const char *s, int64_t *out);
/* "95.0842", "95,08", "'100.0000%" as 1/10000ths (truncated); -1 otherwise. */
int rc_parse_pct(const char *s, int64_t *out);
/* dd/mm/AAAA or AAAA-MM-DD, then HH:MM[:SS[.ffffff]], then an optional zone
 * "(UTC-6)" (UTC-6 when none is written); or a spreadsheet day number
 * ("45445.75071"). Milliseconds since the epoch; -1 when none of these. */
int rc_parse_time(const char *s, int64_t *out);
/* 64 (SHA-256) or 128 (SHA-512) when s is that many hex digits, else 0. */
int rc_hash_digits(const char *s);
/* Check and count one acta row (acta_check.c); -1 when it cannot be read. */
int rc_acta_row(rc_ctx *x, long line, int nf, char **f, prep_err *err);

#endif
