/* hash.h — SHA-256 (libsodium) and lowercase hex helpers.
 * The only digest PREP uses: image integrity codes, bitácora chain, manifests. */
#ifndef PREP_HASH_H
#define PREP_HASH_H

#include <stddef.h>
#include <stdint.h>

#define PREP_SHA256_LEN 32
#define PREP_SHA256_HEX 65 /* 64 hex chars + NUL */

void prep_sha256(const void *data, size_t len, uint8_t out[PREP_SHA256_LEN]);
void prep_sha256_hex(const void *data, size_t len, char out[PREP_SHA256_HEX]);
void prep_hex(const uint8_t *bin, size_t len, char *out); /* out: 2*len+1 */
/* Parse 2*len lowercase/uppercase hex chars; -1 on any bad char or length. */
int prep_unhex(const char *hex, uint8_t *bin, size_t len);
/* 1 when s is exactly 64 lowercase hex characters. */
int prep_is_sha256_hex(const char *s);

#endif
