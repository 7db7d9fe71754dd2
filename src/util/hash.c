/* hash.c — SHA-256 via libsodium, hex encoding. */
#include "util/hash.h"

#include <sodium.h>
#include <string.h>

void prep_sha256(const void *data, size_t len, uint8_t out[PREP_SHA256_LEN])
{
    crypto_hash_sha256(out, data, len);
}

void prep_hex(const uint8_t *bin, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[bin[i] >> 4];
        out[2 * i + 1] = digits[bin[i] & 15];
    }
    out[2 * len] = '\0';
}

void prep_sha256_hex(const void *data, size_t len, char out[PREP_SHA256_HEX])
{
    uint8_t d[PREP_SHA256_LEN];
    prep_sha256(data, len, d);
    prep_hex(d, sizeof d, out);
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int prep_unhex(const char *hex, uint8_t *bin, size_t len)
{
    if (strlen(hex) != 2 * len)
        return -1;
    for (size_t i = 0; i < len; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        bin[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

int prep_is_sha256_hex(const char *s)
{
    size_t i;
    for (i = 0; s[i]; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return i == 64;
}
