/* tallies.h — the numbers of one election in a snapshot, counted once with
 * the shared tally functions (core/tally.h): per unit of the election
 * (distrito, demarcación or entidad) and for the whole election, plus the
 * publication order of the acta rows (unit, then sección, tipo, número, ext).
 * Used by the CSV header, corte.json and the NIST export; counts nothing
 * itself beyond adding actas into prep_tally. */
#ifndef PREP_TALLIES_H
#define PREP_TALLIES_H

#include "core/tally.h"
#include "publish/snapshot.h"
#include "util/err.h"

typedef struct {
    int e;
    int nunidades;
    prep_tally total;    /* the whole election; summary computed */
    prep_tally *unidad;  /* [nunidades]; summaries computed */
    int *order;          /* [snapshot n]: indexes into el[e].actas in publication order */
} prep_pub_tally;

int prep_pub_tally_build(const prep_snapshot *s, int e, prep_pub_tally *out, prep_err *err);
void prep_pub_tally_free(prep_pub_tally *t);

#endif
