/* fuzz_image.c — an uploaded acta image: type sniffing, PNG (cairo) and
 * JPEG (libjpeg-turbo) decoding and the QR scan (zbar), exactly as
 * POST .../imagenes runs them before storing anything. Properties: the call
 * returns (no crash, leak or exit from libjpeg's error path), and a found
 * QR's text is NUL-terminated within its buffer. */
#include "fuzz_util.h"

#include "images/imgstore.h"
#include "images/qr.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > PREP_IMG_MAX_BYTES)
        return 0;
    char text[512];
    char clave[12];
    prep_err err = {0};
    int rc = prep_qr_decode(data, size, text, sizeof text, &err);
    FUZZ_CHECK(rc >= -1 && rc <= 1);
    if (rc < 0)
        FUZZ_CHECK(err.code == PREP_E_INVALID || err.code == PREP_E_TOO_LARGE ||
                   err.code == PREP_E_NOMEM);
    if (rc == 1) {
        FUZZ_CHECK(memchr(text, '\0', sizeof text) != NULL);
        (void)prep_qr_clave(text, clave);
    }
    return 0;
}
