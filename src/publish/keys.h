/* keys.h — the institute's Ed25519 signing key for cortes and ceremony
 * records (libsodium). The secret key lives in DATADIR/keys/corte.key
 * (mode 0600, hex); the public key in DATADIR/keys/corte.pub (hex), which is
 * published with the site so anyone can verify a corte offline. */
#ifndef PREP_KEYS_H
#define PREP_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define PREP_PK_LEN 32
#define PREP_SK_LEN 64
#define PREP_SIG_LEN 64

/* Create the key pair if it does not exist; *created = 1 if it did not. */
int prep_keys_ensure(const char *datadir, int *created, prep_err *err);
int prep_keys_load(const char *datadir, uint8_t pk[PREP_PK_LEN], uint8_t sk[PREP_SK_LEN],
                   prep_err *err);
int prep_keys_public(const char *datadir, uint8_t pk[PREP_PK_LEN], prep_err *err);

/* Detached signatures over a byte string. verify: 0 ok, -1 bad. */
void prep_sign(const uint8_t sk[PREP_SK_LEN], const void *msg, size_t len,
               uint8_t sig[PREP_SIG_LEN]);
int prep_sign_verify(const uint8_t pk[PREP_PK_LEN], const void *msg, size_t len,
                     const uint8_t sig[PREP_SIG_LEN]);

#endif
