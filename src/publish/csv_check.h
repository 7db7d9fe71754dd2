/* csv_check.h — read back a published results CSV (the format csv_out.h
 * writes) and recompute it: every row's rule result from its published
 * values, LISTA_NOMINAL, REPRESENTANTES_PP_CI and TIPO_CASILLA (plus the
 * approved boletas of casillas especiales, from the catalog), and the 13
 * summary fields from the rows, with the shared rules and tallies. Any
 * difference fails with the file, line, clave and field. Used by
 * `prep verify`; knows nothing of signatures or directories. */
#ifndef PREP_CSV_CHECK_H
#define PREP_CSV_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "core/catalog.h"
#include "core/tally.h"
#include "util/err.h"
#include "util/timefmt.h"

typedef struct {
    prep_summary s;        /* recomputed from the rows */
    int64_t filas;         /* data rows read */
    int64_t fuera;         /* of them fuera de catálogo */
} prep_csv_check_result;

/* text: the whole file. name: shown in messages. e: the election in cat.
 * final: the corte was the final one (participación with especiales).
 * at: the corte time the second line must show (0 = do not check). */
int prep_csv_check(const char *text, size_t len, const char *name, const prep_catalog *cat,
                   int e, int final, prep_time at, prep_csv_check_result *out, prep_err *err);

#endif
