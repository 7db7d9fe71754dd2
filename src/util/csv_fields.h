/* csv_fields.h — the fields of the CSV record being parsed, for libcsv's
 * field callback: each field is copied (NUL-terminated) into one growable
 * buffer, so the record callback sees them all as C strings. Records with
 * more than `max` fields are flagged, not truncated silently; allocation
 * failure is sticky (prep_buf). Knows nothing of any file's columns. */
#ifndef PREP_CSV_FIELDS_H
#define PREP_CSV_FIELDS_H

#include <stddef.h>

#include "util/buf.h"

#define PREP_CSV_MAX_FIELDS 512

typedef struct {
    prep_buf text;                   /* this record's fields, NUL-separated */
    size_t off[PREP_CSV_MAX_FIELDS]; /* where each field starts in text */
    int nf, max, overflow;
} prep_csv_fields;

/* max: how many fields a record may have (at most PREP_CSV_MAX_FIELDS). */
void prep_csv_fields_init(prep_csv_fields *f, int max);
void prep_csv_fields_free(prep_csv_fields *f);
/* Append one field as libcsv hands it (data may be NULL for an empty field). */
void prep_csv_fields_add(prep_csv_fields *f, const void *data, size_t len);
/* Field i of the current record (0 <= i < nf). */
static inline char *prep_csv_fields_get(const prep_csv_fields *f, int i)
{
    return f->text.data + f->off[i];
}
/* Fill out[0..nf-1] with the fields; returns nf. */
int prep_csv_fields_view(const prep_csv_fields *f, char **out);
/* Forget the current record (keeps memory) before the next one. */
void prep_csv_fields_next(prep_csv_fields *f);

#endif
