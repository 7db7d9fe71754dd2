/* snapshot.h — what a corte publishes, read in one read transaction: every
 * registered acta of every election (published or sin acta) with its
 * standing values and its rule result, and the actas fuera de catálogo.
 * Everything the corte writes (CSV, JSON, site, NIST export) is derived
 * from this structure alone, never from the live store, so a corte is
 * consistent by construction. */
#ifndef PREP_SNAPSHOT_H
#define PREP_SNAPSHOT_H

#include <stdint.h>

#include "core/acta.h"
#include "core/catalog.h"
#include "core/rules.h"
#include "store/store.h"
#include "util/err.h"
#include "util/timefmt.h"

typedef struct {
    prep_acta acta;          /* acta.casilla indexes cat->casillas */
    prep_rule_result res;    /* counting rules applied */
    const prep_val *vals;    /* PREP_NFIELDS(ncols) values (all "-" for sin acta) */
} prep_snap_acta;

typedef struct {
    int n;                   /* registered actas, casilla order */
    prep_snap_acta *actas;
    prep_val *valbuf;        /* backing store of every vals pointer */
    int nfc;
    prep_fuera_catalogo *fc; /* fuera de catálogo, id order */
} prep_snap_eleccion;

typedef struct {
    const prep_catalog *cat;
    int numero;              /* corte number */
    prep_time at;            /* corte time */
    int final;               /* the last corte: participación with especiales */
    prep_snap_eleccion el[PREP_MAX_ELECCIONES];
} prep_snapshot;

/* Read the snapshot; the caller holds a read (or write) transaction so all
 * elections are read from one consistent state. */
int prep_snapshot_take(prep_store *st, const prep_catalog *cat, int numero, prep_time at,
                       int final, prep_snapshot *out, prep_err *err);
void prep_snapshot_free(prep_snapshot *s);

#endif
