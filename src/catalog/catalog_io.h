/* catalog_io.h — the catálogo on disk (a directory of CSV files, described
 * in docs/catalog-format.md) and the synthetic catálogo generator.
 * Reading validates everything and either returns a finished catalog or
 * nothing; writing produces files that read back to the same fingerprint.
 * Persisting a catalog in the database is the store's job, not this room's. */
#ifndef PREP_CATALOG_IO_H
#define PREP_CATALOG_IO_H

#include <stdint.h>

#include "core/catalog.h"
#include "util/err.h"

/* File names inside a catálogo directory, in the order they are read. */
extern const char *const prep_catalog_files[];

/* Read the catálogo files in dir into *out (initialised here) and run
 * prep_catalog_finish(). On any error *out is left empty (freed) and the
 * message names the file, the line and the reason, e.g.
 * "casillas.csv:1234: LISTA_NOMINAL 'abc' is not a number". */
int prep_catalog_read_dir(const char *dir, prep_catalog *out, prep_err *err);

/* Write a finished catalog as catálogo files into dir, which must exist.
 * Existing files of the same names are replaced. */
int prep_catalog_write_dir(const prep_catalog *cat, const char *dir, prep_err *err);

/* Generate a synthetic, realistic catalog: preset "small", "cdmx" or
 * "national" (see docs/catalog-format.md). The same (preset, seed) always
 * gives the same catalog. *out is initialised here and finished. */
int prep_catalog_generate(const char *preset, uint64_t seed, prep_catalog *out, prep_err *err);

/* NULL-terminated list of preset names. */
extern const char *const prep_catalog_presets[];

#endif
