/* version.c — build identity. PREP_COMMIT comes from the Makefile. */
#include "util/version.h"
#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#ifndef PREP_COMMIT
#define PREP_COMMIT "unknown"
#endif

const char *prep_source_commit(void)
{
    return PREP_COMMIT;
}

const char *prep_binary_sha256(void)
{
    static char hex[65];
    if (hex[0])
        return hex;
    FILE *f = fopen("/proc/self/exe", "rb");
    if (!f)
        return "unknown";
    prep_sha256_ctx st;
    prep_sha256_init(&st);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        prep_sha256_update(&st, buf, n);
    int bad = ferror(f);
    fclose(f);
    unsigned char d[32];
    prep_sha256_final(&st, d);
    if (bad)
        return "unknown";
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    return hex;
}
