/* csv_table.h — read one catálogo CSV file, record by record (libcsv).
 * Internal to src/catalog/. Maps the header to the columns a caller asks
 * for, tracks the line each record starts on, checks UTF-8, and hands each
 * record to a callback. It knows nothing about what the columns mean. */
#ifndef PREP_CSV_TABLE_H
#define PREP_CSV_TABLE_H

#include <stddef.h>

#include "util/err.h"

typedef struct {
    const char *file;      /* file name as shown in messages, "casillas.csv" */
    long line;             /* line the record starts on (header = line 1) */
    int n;                 /* number of requested columns */
    const char *const *cols; /* the requested column names */
    const char **v;        /* values, in requested-column order, NUL-terminated */
} prep_csv_row;

/* Return 0 to go on, -1 (with err filled) to stop reading. */
typedef int (*prep_csv_row_fn)(void *ctx, const prep_csv_row *row, prep_err *err);

/* Read dir/file: header line with column names (any order; extra columns
 * are ignored; each name in cols must be present exactly once, except a
 * name written "?NAME", which may be absent and then reads as ""), then one
 * record per row. Rows whose fields are all empty are skipped. A leading
 * UTF-8 BOM is accepted. Every error message starts "file:line: ". */
int prep_csv_read(const char *dir, const char *file, const char *const *cols, int ncols,
                  prep_csv_row_fn fn, void *ctx, prep_err *err);

/* Fail with "file:line: <message>" for row. */
int prep_csv_fail(prep_err *err, const prep_csv_row *row, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 1 if s is valid UTF-8 (no overlongs, no surrogates, no NUL). */
int prep_utf8_valid(const char *s, size_t len);

#endif
