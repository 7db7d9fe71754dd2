/* hash.h — SHA-256 and lowercase hex helpers. The only digest PREP uses:
 * image integrity codes, bitácora chain, manifests, packages. Computed with
 * OpenSSL's libcrypto, which uses the CPU's SHA instructions when it has
 * them (about 7x libsodium's portable code here, docs/benchmarks.md);
 * libsodium's is the fallback if libcrypto cannot allocate a context, so
 * hashing never fails. */
#ifndef PREP_HASH_H
#define PREP_HASH_H

#include <stddef.h>
#include <stdint.h>

#define PREP_SHA256_LEN 32
#define PREP_SHA256_HEX 65 /* 64 hex chars + NUL */

void prep_sha256(const void *data, size_t len, uint8_t out[PREP_SHA256_LEN]);

/* Streaming: init, update any number of times, then final or discard
 * (either releases it: every init needs one). */
typedef struct {
    void *evp;                                        /* EVP_MD_CTX, NULL = fallback */
    _Alignas(64) unsigned char fallback[128];         /* crypto_hash_sha256_state */
} prep_sha256_ctx;
void prep_sha256_init(prep_sha256_ctx *c);
void prep_sha256_update(prep_sha256_ctx *c, const void *data, size_t len);
void prep_sha256_final(prep_sha256_ctx *c, uint8_t out[PREP_SHA256_LEN]);
/* Release a context without a digest (an error path before final). */
void prep_sha256_discard(prep_sha256_ctx *c);
void prep_sha256_hex(const void *data, size_t len, char out[PREP_SHA256_HEX]);
void prep_hex(const uint8_t *bin, size_t len, char *out); /* out: 2*len+1 */
/* Parse 2*len lowercase/uppercase hex chars; -1 on any bad char or length. */
int prep_unhex(const char *hex, uint8_t *bin, size_t len);
/* 1 when s is exactly 64 lowercase hex characters. */
int prep_is_sha256_hex(const char *s);

#endif
