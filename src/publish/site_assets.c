/* site_assets.c — the site's stylesheet and its optional script, embedded in
 * the prep binary from web/site/ at build time (the assembler's .incbin), so
 * the published site is part of the audited binary's fingerprint and a corte
 * never depends on the source tree. Paths are relative to the repository
 * root, where make runs the compiler; the Makefile makes this object depend
 * on web/site/. Nothing here is generated or changed at run time. */
#include "publish/site_internal.h"

#define PREP_INCBIN(sym, file)                                                               \
    __asm__(".section .rodata\n.balign 16\n.global " #sym "\n" #sym ":\n.incbin \"" file      \
            "\"\n.global " #sym "_end\n" #sym "_end:\n.byte 0\n.previous\n")

PREP_INCBIN(prep_site_css, "web/site/estilo.css");
PREP_INCBIN(prep_site_js, "web/site/prep.js");

extern const unsigned char prep_site_css[], prep_site_css_end[];
extern const unsigned char prep_site_js[], prep_site_js_end[];

int site_assets(const site_asset **out)
{
    static site_asset a[2];
    a[0] = (site_asset){"estilo.css", prep_site_css, (size_t)(prep_site_css_end - prep_site_css)};
    a[1] = (site_asset){"prep.js", prep_site_js, (size_t)(prep_site_js_end - prep_site_js)};
    *out = a;
    return 2;
}
