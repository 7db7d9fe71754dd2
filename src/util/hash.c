/* hash.c — SHA-256 via OpenSSL's libcrypto (libsodium as the fallback),
 * hex encoding. */
#include "util/hash.h"

#include <pthread.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((prep_sha256_ctx *)0)->fallback),
               "prep_sha256_ctx.fallback holds a libsodium state");

/* The SHA-256 implementation, fetched once (an implicit fetch per use costs
 * more than hashing a short string). */
static EVP_MD *md;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;
static void fetch_md(void)
{
    md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void prep_sha256_init(prep_sha256_ctx *c)
{
    pthread_once(&md_once, fetch_md);
    c->evp = md ? EVP_MD_CTX_new() : NULL;
    if (c->evp && EVP_DigestInit_ex(c->evp, md, NULL) != 1) {
        EVP_MD_CTX_free(c->evp);
        c->evp = NULL;
    }
    if (!c->evp)
        crypto_hash_sha256_init((crypto_hash_sha256_state *)c->fallback);
}

void prep_sha256_update(prep_sha256_ctx *c, const void *data, size_t len)
{
    if (c->evp)
        EVP_DigestUpdate(c->evp, data, len);
    else
        crypto_hash_sha256_update((crypto_hash_sha256_state *)c->fallback, data, len);
}

void prep_sha256_final(prep_sha256_ctx *c, uint8_t out[PREP_SHA256_LEN])
{
    if (c->evp) {
        unsigned int n = 0;
        EVP_DigestFinal_ex(c->evp, out, &n);
        EVP_MD_CTX_free(c->evp);
        c->evp = NULL;
    } else {
        crypto_hash_sha256_final((crypto_hash_sha256_state *)c->fallback, out);
    }
}

void prep_sha256_discard(prep_sha256_ctx *c)
{
    uint8_t scratch[PREP_SHA256_LEN];
    prep_sha256_final(c, scratch);
}

void prep_sha256(const void *data, size_t len, uint8_t out[PREP_SHA256_LEN])
{
    prep_sha256_ctx c;
    prep_sha256_init(&c);
    prep_sha256_update(&c, data, len);
    prep_sha256_final(&c, out);
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
