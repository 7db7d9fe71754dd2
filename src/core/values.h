/* values.h — the captured figures of an acta.
 * An acta of an election with N vote columns has N + 7 fields, in this order:
 *   0 TOTAL_BOLETAS_SOBRANTES  1 TOTAL_PERSONAS_VOTARON
 *   2 TOTAL_REP_PARTIDO_CI_VOTARON  3 TOTAL_VOTOS_SACADOS
 *   4 .. 4+N-1 the vote columns (parties, combinations, CI) in boleta order
 *   4+N NO_REGISTRADAS  5+N NULOS  6+N TOTAL_VOTOS_ASENTADO
 * Each field is a number >= 0, Ilegible, Sin dato, or "-" (column not
 * applicable in the acta's unit). Ilegible and Sin dato count as 0. */
#ifndef PREP_VALUES_H
#define PREP_VALUES_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t prep_val;

#define PREP_V_ILEGIBLE (-1)
#define PREP_V_SIN_DATO (-2)
#define PREP_V_NA (-3)          /* "-": column not applicable in this unit */
#define PREP_V_MAX 9999999      /* largest figure accepted in one field */

#define PREP_F_SOBRANTES 0
#define PREP_F_PERSONAS 1
#define PREP_F_REPRESENTANTES 2
#define PREP_F_SACADOS 3
#define PREP_F_COL0 4
#define PREP_NFIELDS(ncols) ((ncols) + 7)
#define PREP_F_NOREG(ncols) ((ncols) + 4)
#define PREP_F_NULOS(ncols) ((ncols) + 5)
#define PREP_F_ASENTADO(ncols) ((ncols) + 6)
#define PREP_MAX_COLS 48
#define PREP_MAX_FIELDS PREP_NFIELDS(PREP_MAX_COLS)

/* Value that enters sums: numbers as they are, everything else 0. */
static inline int64_t prep_val_count(prep_val v)
{
    return v > 0 ? v : 0;
}

/* 1 when v is a legal stored value. */
int prep_val_valid(prep_val v);

/* Parse "123", "Ilegible"/"ILEGIBLE", "Sin dato"/"SIN DATO", "-".
 * Returns 0 and fills *out, or -1 for anything else (including numbers over
 * PREP_V_MAX, signs, spaces, empty). */
int prep_val_parse(const char *s, prep_val *out);

/* Canonical text: "123", "Ilegible", "Sin dato", "-". buf >= 12. */
const char *prep_val_fmt(prep_val v, char *buf);

/* Names of the fixed fields (index 0..3 and the last three); NULL otherwise. */
const char *prep_field_fixed_name(int field, int ncols);

/* 1 when two captures agree field by field (Ilegible and Sin dato compared
 * as themselves, not as 0). */
int prep_vals_equal(const prep_val *a, const prep_val *b, int nfields);

/* Serialise / parse a capture as compact text "12,Ilegible,-,..." for
 * storage and logs. prep_vals_decode returns -1 on malformed text or a field
 * count other than nfields. */
size_t prep_vals_encode(const prep_val *v, int nfields, char *buf, size_t cap);
int prep_vals_decode(const char *s, prep_val *v, int nfields);

#endif
