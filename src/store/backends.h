/* backends.h — the entry points of each storage backend, for store.c, which
 * picks one per data directory. Callers use prep_store_open()/create(). */
#ifndef PREP_STORE_BACKENDS_H
#define PREP_STORE_BACKENDS_H

#include "store/store.h"

/* SQLite in DATADIR/prep.db; create makes the file, open requires it. */
int prep_sqlite_open(const char *datadir, int create, prep_store **out, prep_err *err);
/* PostgreSQL at a libpq connection URL; open runs the migrations. */
int prep_pg_open(const char *datadir, const char *url, prep_store **out, prep_err *err);

/* Shared by the backends' catalog_load: given what reading the rows returned
 * (0 read, 1 no catalog, -1 error), finish the catalog (indexes, checks) or
 * free it; an inconsistent stored catalog is PREP_E_CORRUPT. */
int prep_store_catalog_loaded(prep_catalog *cat, int rc, prep_err *err);

#endif
