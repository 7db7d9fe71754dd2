/* csv_fields.c — the current CSV record's fields as C strings (see csv_fields.h). */
#include "util/csv_fields.h"

void prep_csv_fields_init(prep_csv_fields *f, int max)
{
    prep_buf_init(&f->text);
    f->nf = f->overflow = 0;
    f->max = max > 0 && max <= PREP_CSV_MAX_FIELDS ? max : PREP_CSV_MAX_FIELDS;
}

void prep_csv_fields_free(prep_csv_fields *f)
{
    prep_buf_free(&f->text);
}

void prep_csv_fields_add(prep_csv_fields *f, const void *data, size_t len)
{
    if (f->nf >= f->max) {
        f->overflow = 1;
        return;
    }
    f->off[f->nf++] = f->text.len;
    if (data)
        prep_buf_append(&f->text, data, len);
    prep_buf_putc(&f->text, '\0');
}

int prep_csv_fields_view(const prep_csv_fields *f, char **out)
{
    for (int i = 0; i < f->nf; i++)
        out[i] = prep_csv_fields_get(f, i);
    return f->nf;
}

void prep_csv_fields_next(prep_csv_fields *f)
{
    f->nf = f->overflow = 0;
    prep_buf_reset(&f->text);
}
