/* fuzz_clave.c — CLAVE_CASILLA from outside: prep_clave_parse (URLs of the
 * API, typed claves) and prep_qr_clave (the text of a QR on an acta image).
 * Properties: a parsed clave formats back to exactly its text, and a clave
 * found in QR text parses. */
#include "fuzz_util.h"

#include "core/catalog.h"
#include "images/qr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    int ent, sec, num, ext;
    char tipo;
    if (prep_clave_parse(s, &ent, &sec, &tipo, &num, &ext) == 0) {
        char back[16];
        prep_clave_casilla(ent, sec, tipo, num, ext, back);
        FUZZ_CHECK(strcmp(back, s) == 0);
    }
    char found[12];
    if (prep_qr_clave(s, found) == 0) {
        FUZZ_CHECK(strlen(found) == 11);
        FUZZ_CHECK(prep_clave_parse(found, &ent, &sec, &tipo, &num, &ext) == 0);
        FUZZ_CHECK(strstr(s, found) != NULL);
    }
    free(s);
    return 0;
}
