/* web_assets.c — web/operacion/ embedded with the assembler's .incbin, so the
 * audited binary (its SHA-256 is in prep version, /healthz and every corte)
 * carries the very pages operators use, and `prep serve` finds them from any
 * working directory. Paths are relative to the repository root, where make
 * runs the compiler; the Makefile makes this object depend on web/operacion/.
 * A new page needs one line here: an integration test fails on a file of
 * web/operacion/ that is not served. Nothing here changes at run time. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "http/web_assets.h"
#include "util/hash.h"

#define PREP_WEB(sym, file)                                                                  \
    __asm__(".section .rodata\n.balign 16\n.global " #sym "\n" #sym ":\n.incbin \"web/operacion/" \
            file "\"\n.global " #sym "_end\n" #sym "_end:\n.byte 0\n.previous\n");          \
    extern const unsigned char sym[], sym##_end[]

#define ASSETS(X)                                                                            \
    X(w_index, "index.html")                                                                 \
    X(w_entrada, "entrada.js")                                                               \
    X(w_css, "estilo.css")                                                                   \
    X(w_comun, "comun.js")                                                                   \
    X(w_valores, "valores.js")                                                               \
    X(w_trabajo, "trabajo.js")                                                               \
    X(w_visor, "visor.js")                                                                   \
    X(w_acopio_h, "acopio.html")                                                             \
    X(w_acopio_j, "acopio.js")                                                               \
    X(w_dig_h, "digitalizacion.html")                                                        \
    X(w_dig_j, "digitalizacion.js")                                                          \
    X(w_cap_h, "captura.html")                                                               \
    X(w_cap_j, "captura.js")                                                                 \
    X(w_ver_h, "verificacion.html")                                                          \
    X(w_ver_j, "verificacion.js")                                                            \
    X(w_cot_h, "cotejo.html")                                                                \
    X(w_cot_j, "cotejo.js")                                                                  \
    X(w_mon_h, "monitoreo.html")                                                             \
    X(w_mon_j, "monitoreo.js")                                                               \
    X(w_adm_h, "admin.html")                                                                 \
    X(w_adm_j, "admin.js")                                                                   \
    X(w_cas_h, "casilla/index.html")                                                         \
    X(w_cas_j, "casilla/app.js")                                                             \
    X(w_cas_q, "casilla/cola.js")                                                            \
    X(w_cas_sw, "casilla/sw.js")                                                             \
    X(w_cas_m, "casilla/manifest.webmanifest")                                               \
    X(w_cas_i, "casilla/icono.svg")                                                          \
    X(w_cas_i192, "casilla/icono-192.png")                                                   \
    X(w_cas_i512, "casilla/icono-512.png")                                                   \
    X(w_jsqr, "vendor/jsQR.js")                                                              \
    X(w_jsqr_l, "vendor/jsQR.LICENSE.txt")

#define DECLARE(sym, file) PREP_WEB(sym, file);
ASSETS(DECLARE)

#define ENTRY(sym, file) {file, sym, 0, ""},
static prep_web_asset assets[] = {ASSETS(ENTRY)};
#define NASSETS ((int)(sizeof assets / sizeof assets[0]))

static pthread_once_t once = PTHREAD_ONCE_INIT;

#define LENGTH(sym, file) lens[i++] = (size_t)(sym##_end - sym);
static void init(void)
{
    size_t lens[NASSETS];
    int i = 0;
    ASSETS(LENGTH)
    for (i = 0; i < NASSETS; i++) {
        char hex[65];
        assets[i].len = lens[i];
        prep_sha256_hex(assets[i].data, assets[i].len, hex);
        snprintf(assets[i].etag, sizeof assets[i].etag, "\"%.16s\"", hex);
    }
}

const prep_web_asset *prep_web_asset_find(const char *path)
{
    pthread_once(&once, init);
    for (int i = 0; i < NASSETS; i++)
        if (strcmp(assets[i].path, path) == 0)
            return &assets[i];
    return NULL;
}

int prep_web_assets(const prep_web_asset **out)
{
    pthread_once(&once, init);
    *out = assets;
    return NASSETS;
}
