/* web_assets.h — the operator pages and the PREP Casilla app (web/operacion/)
 * compiled into the prep binary, looked up by their path under /operacion/.
 * Serving them (headers, CSP) is static.c's job, not this file's. */
#ifndef PREP_HTTP_WEB_ASSETS_H
#define PREP_HTTP_WEB_ASSETS_H

#include <stddef.h>

typedef struct {
    const char *path;          /* relative to web/operacion/, e.g. "casilla/sw.js" */
    const unsigned char *data;
    size_t len;
    char etag[70];             /* "\"<first 64 bits of the SHA-256>\"" */
} prep_web_asset;

/* The asset at path, NULL if there is none. Thread-safe. */
const prep_web_asset *prep_web_asset_find(const char *path);
/* Every asset (for tests and documentation): count, and *out. */
int prep_web_assets(const prep_web_asset **out);

#endif
