/* fuzz_json_body.c — the JSON bodies of the API: prep_json_body_parse (every
 * POST body goes through it) and vals_from_json (the "valores" of captures,
 * verifications and cotejos, as an array or an object by field name) for an
 * acta of the `small` catálogo picked by the first two bytes. Properties:
 * accepted values are legal, and written back as JSON they parse to the
 * same values. */
#define PREP_FUZZ_SMALL_CATALOG
#include "fuzz_util.h"

#include "http/internal.h"

static void check_vals(const prep_catalog *cat, int e, int c, json_t *v)
{
    prep_val out[PREP_MAX_FIELDS], again[PREP_MAX_FIELDS];
    prep_err err = {0};
    int nf = PREP_NFIELDS(cat->elecciones[e].ncols);
    if (vals_from_json(cat, e, c, v, out, &err) < 0) {
        FUZZ_CHECK(err.code == PREP_E_INVALID && err.msg[0]);
        return;
    }
    for (int f = 0; f < nf; f++)
        FUZZ_CHECK(prep_val_valid(out[f]));
    json_t *back = vals_to_json(out, nf);
    FUZZ_CHECK(vals_from_json(cat, e, c, back, again, &err) == 0);
    FUZZ_CHECK(memcmp(out, again, (size_t)nf * sizeof out[0]) == 0);
    json_decref(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const prep_catalog *cat = fuzz_small_catalog();
    int e = data[0] % cat->nelecciones;
    int c = data[1] % cat->ncasillas;
    prep_err err = {0};
    json_t *j = prep_json_body_parse((const char *)data + 2, size - 2, data[0] & 0x80, &err);
    if (!j) {
        FUZZ_CHECK(err.code == PREP_E_INVALID && err.msg[0]);
        return 0;
    }
    FUZZ_CHECK(json_is_object(j));
    json_t *v = json_object_get(j, "valores");
    if (v)
        check_vals(cat, e, c, v);
    check_vals(cat, e, c, j); /* an object by field name, without the wrapper */
    json_decref(j);
    return 0;
}
