/* imgstore.c — content-addressed image files (see imgstore.h). A crash at any
 * point leaves either no file or a complete one under its hash: the bytes
 * only appear under their name by an atomic rename after fsync. Stray
 * temporary files (".tmp-*") from a crash are harmless and never served. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "images/imgstore.h"
#include "util/hash.h"

prep_img_type prep_img_sniff(const void *data, size_t len)
{
    const unsigned char *p = data;
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (len >= 8 && memcmp(p, png, 8) == 0)
        return PREP_IMG_PNG;
    if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
        return PREP_IMG_JPEG;
    return PREP_IMG_UNKNOWN;
}

const char *prep_img_mime(prep_img_type t)
{
    return t == PREP_IMG_PNG ? "image/png" : t == PREP_IMG_JPEG ? "image/jpeg"
                                                                : "application/octet-stream";
}

int prep_img_path(const char *datadir, const char *sha, char *out, size_t cap, prep_err *err)
{
    if (!prep_is_sha256_hex(sha))
        return prep_fail(err, PREP_E_INVALID, "an image hash is 64 lowercase hex characters");
    if ((size_t)snprintf(out, cap, "%s/images/%.2s/%.2s/%s", datadir, sha, sha + 2, sha) >= cap)
        return prep_fail(err, PREP_E_INVALID, "data directory path too long");
    return 0;
}

static int fsync_dir(const char *dir, prep_err *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot open %s: %s", dir, strerror(errno));
    int rc = fsync(fd);
    close(fd);
    if (rc < 0)
        return prep_fail(err, PREP_E_IO, "cannot fsync %s: %s", dir, strerror(errno));
    return 0;
}

/* mkdir that makes the new entry durable in its parent. */
static int ensure_dir(const char *dir, const char *parent, prep_err *err)
{
    if (mkdir(dir, 0755) == 0)
        return fsync_dir(parent, err);
    if (errno == EEXIST)
        return 0;
    return prep_fail(err, prep_errno_code(errno), "cannot create %s: %s", dir, strerror(errno));
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int prep_img_put(const char *datadir, const char *sha, const void *data, size_t len,
                 prep_err *err)
{
    char path[700], root[600], d1[640], d2[660], tmp[760];
    if (prep_img_path(datadir, sha, path, sizeof path, err) < 0)
        return -1;
    if (len > PREP_IMG_MAX_BYTES)
        return prep_fail(err, PREP_E_TOO_LARGE, "image over %u bytes", PREP_IMG_MAX_BYTES);
    snprintf(root, sizeof root, "%s/images", datadir);
    snprintf(d1, sizeof d1, "%s/%.2s", root, sha);
    snprintf(d2, sizeof d2, "%s/%.2s", d1, sha + 2);
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size == len)
        return 0; /* already stored: same name, same bytes */
    if (ensure_dir(root, datadir, err) < 0 || ensure_dir(d1, root, err) < 0 ||
        ensure_dir(d2, d1, err) < 0)
        return -1;
    snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%08x", d2, sha, randombytes_random());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0)
        return prep_fail(err, prep_errno_code(errno), "cannot create %s: %s", tmp, strerror(errno));
    if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return prep_fail(err, prep_errno_code(e), "cannot write image %s: %s", sha, strerror(e));
    }
    close(fd);
    if (rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return prep_fail(err, PREP_E_IO, "cannot store image %s: %s", sha, strerror(e));
    }
    return fsync_dir(d2, err);
}

int prep_img_open(const char *datadir, const char *sha, int *fd, size_t *size, prep_err *err)
{
    char path[700];
    if (prep_img_path(datadir, sha, path, sizeof path, err) < 0)
        return -1;
    int f = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (f < 0) {
        if (errno == ENOENT)
            return prep_fail(err, PREP_E_NOT_FOUND, "no image %s", sha);
        return prep_fail(err, PREP_E_IO, "cannot open image %s: %s", sha, strerror(errno));
    }
    struct stat sb;
    if (fstat(f, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        close(f);
        return prep_fail(err, PREP_E_IO, "image %s is not a regular file", sha);
    }
    *fd = f;
    *size = (size_t)sb.st_size;
    return 0;
}
