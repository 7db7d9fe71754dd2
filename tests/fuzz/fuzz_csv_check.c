/* fuzz_csv_check.c — a published results CSV read back (csv_check.c, what
 * `prep verify` and an auditor's re-count run on files that came from
 * anywhere), against the `small` catálogo. The first byte picks the election
 * and whether the corte is final. Property: the call returns 0, or -1 with
 * a message; accepted files have no more fuera de catálogo rows than rows. */
#define PREP_FUZZ_SMALL_CATALOG
#include "fuzz_util.h"

#include "publish/csv_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const prep_catalog *cat = fuzz_small_catalog();
    int e = (data[0] & 0x7f) % cat->nelecciones;
    int final = data[0] >> 7;
    char *text = fuzz_cstr(data + 1, size - 1);
    prep_csv_check_result res;
    prep_err err = {0};
    if (prep_csv_check(text, size - 1, "fuzz.csv", cat, e, final, 0, &res, &err) < 0)
        FUZZ_CHECK(err.code != PREP_OK && err.msg[0]);
    else
        FUZZ_CHECK(res.fuera >= 0 && res.fuera <= res.filas);
    free(text);
    return 0;
}
