/* fuzz_values.c — captured figures as text: prep_val_parse (one field, as
 * the API and the catálogo give it) and prep_vals_decode (a whole capture as
 * stored, "12,Ilegible,-,..."). The first byte picks the field count.
 * Properties: whatever parses is a legal value and survives fmt/encode and
 * parse/decode unchanged. */
#include "fuzz_util.h"

#include "core/values.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int nf = 1 + data[0] % PREP_MAX_FIELDS;
    char *s = fuzz_cstr(data + 1, size - 1);
    prep_val v, w;
    if (prep_val_parse(s, &v) == 0) {
        char buf[16];
        FUZZ_CHECK(prep_val_valid(v));
        FUZZ_CHECK(prep_val_parse(prep_val_fmt(v, buf), &w) == 0 && w == v);
    }
    prep_val vals[PREP_MAX_FIELDS], again[PREP_MAX_FIELDS];
    if (prep_vals_decode(s, vals, nf) == 0) {
        char enc[PREP_MAX_FIELDS * 12 + 16];
        for (int f = 0; f < nf; f++)
            FUZZ_CHECK(prep_val_valid(vals[f]));
        size_t n = prep_vals_encode(vals, nf, enc, sizeof enc);
        FUZZ_CHECK(n > 0 && n < sizeof enc);
        FUZZ_CHECK(prep_vals_decode(enc, again, nf) == 0);
        FUZZ_CHECK(memcmp(vals, again, (size_t)nf * sizeof vals[0]) == 0);
    }
    free(s);
    return 0;
}
