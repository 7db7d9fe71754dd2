/* keys.c — creating, loading and using the Ed25519 signing key. */
#include "publish/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "util/hash.h"

static int path_of(const char *datadir, const char *name, char *out, size_t cap, prep_err *err)
{
    if ((size_t)snprintf(out, cap, "%s/keys/%s", datadir, name) >= cap)
        return prep_fail(err, PREP_E_INVALID, "data directory path too long");
    return 0;
}

static int write_file(const char *path, const char *text, int mode, prep_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot create %s: %s", path, strerror(errno));
    size_t len = strlen(text);
    int ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    return ok ? 0 : prep_fail(err, PREP_E_IO, "cannot write %s", path);
}

static int read_hex(const char *path, uint8_t *out, size_t len, prep_err *err)
{
    char buf[260];
    FILE *f = fopen(path, "r");
    if (!f)
        return prep_fail(err, PREP_E_NOT_FOUND, "cannot read %s: %s (run 'prep init')", path,
                         strerror(errno));
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    buf[strcspn(buf, "\r\n")] = '\0';
    if (prep_unhex(buf, out, len) < 0)
        return prep_fail(err, PREP_E_CORRUPT, "%s does not hold a valid key", path);
    return 0;
}

int prep_keys_ensure(const char *datadir, int *created, prep_err *err)
{
    char skp[600], pkp[600], dir[600];
    struct stat sb;
    *created = 0;
    if (path_of(datadir, "corte.key", skp, sizeof skp, err) < 0 ||
        path_of(datadir, "corte.pub", pkp, sizeof pkp, err) < 0)
        return -1;
    snprintf(dir, sizeof dir, "%s/keys", datadir);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST)
        return prep_fail(err, PREP_E_IO, "cannot create %s: %s", dir, strerror(errno));
    if (stat(skp, &sb) == 0) {
        uint8_t pk[PREP_PK_LEN], sk[PREP_SK_LEN];
        int rc = prep_keys_load(datadir, pk, sk, err);
        sodium_memzero(sk, sizeof sk);
        return rc;
    }
    uint8_t pk[PREP_PK_LEN], sk[PREP_SK_LEN];
    char skh[2 * PREP_SK_LEN + 2], pkh[2 * PREP_PK_LEN + 2];
    crypto_sign_keypair(pk, sk);
    prep_hex(sk, sizeof sk, skh);
    prep_hex(pk, sizeof pk, pkh);
    strcat(skh, "\n");
    strcat(pkh, "\n");
    sodium_memzero(sk, sizeof sk);
    unlink(pkp); /* a public key without its secret key is stale */
    int rc = write_file(skp, skh, 0600, err);
    sodium_memzero(skh, sizeof skh);
    if (rc == 0)
        rc = write_file(pkp, pkh, 0644, err);
    if (rc == 0)
        *created = 1;
    return rc;
}

int prep_keys_load(const char *datadir, uint8_t pk[PREP_PK_LEN], uint8_t sk[PREP_SK_LEN],
                   prep_err *err)
{
    char skp[600];
    if (path_of(datadir, "corte.key", skp, sizeof skp, err) < 0 ||
        read_hex(skp, sk, PREP_SK_LEN, err) < 0)
        return -1;
    crypto_sign_ed25519_sk_to_pk(pk, sk);
    uint8_t stored[PREP_PK_LEN];
    if (prep_keys_public(datadir, stored, err) < 0)
        return -1;
    if (memcmp(stored, pk, PREP_PK_LEN) != 0)
        return prep_fail(err, PREP_E_CORRUPT, "keys/corte.pub does not match keys/corte.key");
    return 0;
}

int prep_keys_public(const char *datadir, uint8_t pk[PREP_PK_LEN], prep_err *err)
{
    char pkp[600];
    if (path_of(datadir, "corte.pub", pkp, sizeof pkp, err) < 0)
        return -1;
    return read_hex(pkp, pk, PREP_PK_LEN, err);
}

void prep_sign(const uint8_t sk[PREP_SK_LEN], const void *msg, size_t len,
               uint8_t sig[PREP_SIG_LEN])
{
    crypto_sign_detached(sig, NULL, msg, len, sk);
}

int prep_sign_verify(const uint8_t pk[PREP_PK_LEN], const void *msg, size_t len,
                     const uint8_t sig[PREP_SIG_LEN])
{
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? 0 : -1;
}
