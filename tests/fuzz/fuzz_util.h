/* fuzz_util.h — what the libFuzzer harnesses of tests/fuzz share: a
 * NUL-terminated copy of the input (the parsers take C strings) and an
 * abort() that names the broken property, so a finding is a crash that
 * libFuzzer saves and replays; with PREP_FUZZ_SMALL_CATALOG, the `small`
 * catálogo. Harnesses only call the real parsers. */
#ifndef PREP_FUZZ_UTIL_H
#define PREP_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* malloc'd copy of data with a NUL after it (NUL bytes inside stay). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#ifdef PREP_FUZZ_SMALL_CATALOG
#include "catalog/catalog_io.h"

/* The `small` catálogo (seed 1), generated once: the acta shapes the API
 * and CSV harnesses parse against. */
static prep_catalog fuzz_cat;

static inline const prep_catalog *fuzz_small_catalog(void)
{
    if (!fuzz_cat.ncasillas) {
        prep_err err = {0};
        if (prep_catalog_generate("small", 1, &fuzz_cat, &err) < 0) {
            fprintf(stderr, "fuzz: small catalog: %s\n", err.msg);
            abort();
        }
    }
    return &fuzz_cat;
}
#endif

#define FUZZ_CHECK(cond)                                                                       \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "%s:%d: property broken: %s\n", __FILE__, __LINE__, #cond);        \
            abort();                                                                           \
        }                                                                                      \
    } while (0)

#endif
