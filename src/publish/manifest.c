/* manifest.c — building, scanning, writing and parsing a corte's MANIFEST
 * (see manifest.h). SHA-256 through util/hash.h. */
#include "publish/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "publish/names.h"
#include "util/hash.h"

void prep_manifest_init(prep_manifest *m)
{
    memset(m, 0, sizeof *m);
}

void prep_manifest_free(prep_manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->e[i].path);
    free(m->e);
    memset(m, 0, sizeof *m);
}

int prep_manifest_path_ok(const char *rel)
{
    if (!rel || !*rel || *rel == '/')
        return 0;
    const char *p = rel;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
            return 0;
        if (p[0] == ' ' || p[n - 1] == ' ')
            return 0;
        p += n;
        if (*p == '/')
            p++;
        if (slash && !*p)
            return 0; /* trailing slash */
    }
    for (p = rel; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
            return 0;
    return 1;
}

int prep_manifest_add_hash(prep_manifest *m, const char *rel, const char sha[65], int64_t size,
                           prep_err *err)
{
    if (!prep_manifest_path_ok(rel))
        return prep_fail(err, PREP_E_INVALID, "file name '%s' cannot be listed in a MANIFEST", rel);
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        prep_manifest_entry *e = realloc(m->e, cap * sizeof *e);
        if (!e)
            return prep_fail(err, PREP_E_NOMEM, "out of memory");
        m->e = e;
        m->cap = cap;
    }
    prep_manifest_entry *e = &m->e[m->n];
    if (!(e->path = strdup(rel)))
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    memcpy(e->sha, sha, 65);
    e->size = size;
    e->linked = 0;
    m->n++;
    m->sorted = 0;
    return 0;
}

int prep_manifest_add(prep_manifest *m, const char *rel, const void *data, size_t len,
                      prep_err *err)
{
    char sha[65];
    prep_sha256_hex(data, len, sha);
    return prep_manifest_add_hash(m, rel, sha, (int64_t)len, err);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const prep_manifest_entry *)a)->path, ((const prep_manifest_entry *)b)->path);
}

int prep_manifest_sort(prep_manifest *m, prep_err *err)
{
    if (!m->sorted) {
        if (m->n) /* qsort(NULL, 0, ...) is undefined (UBSan) */
            qsort(m->e, m->n, sizeof *m->e, by_path);
        m->sorted = 1;
    }
    for (size_t i = 1; i < m->n; i++)
        if (strcmp(m->e[i - 1].path, m->e[i].path) == 0)
            return prep_fail(err, PREP_E_INVALID, "MANIFEST lists %s twice", m->e[i].path);
    return 0;
}

const prep_manifest_entry *prep_manifest_find(const prep_manifest *m, const char *rel)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->e[mid].path, rel);
        if (c == 0)
            return &m->e[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* SHA-256 of a file, streamed. */
static int hash_file(int dirfd, const char *name, const char *shown, char sha[65], int64_t *size,
                     prep_err *err)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot read %s: %s", shown, strerror(errno));
    prep_sha256_ctx st;
    prep_sha256_init(&st);
    static __thread unsigned char buf[1 << 16];
    int64_t total = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            prep_sha256_discard(&st);
            return prep_fail(err, PREP_E_IO, "cannot read %s: %s", shown, strerror(e));
        }
        if (r == 0)
            break;
        prep_sha256_update(&st, buf, (size_t)r);
        total += r;
    }
    close(fd);
    unsigned char out[32];
    prep_sha256_final(&st, out);
    prep_hex(out, 32, sha);
    *size = total;
    return 0;
}

/* Recursive walk with a path prefix; dirfd is owned by the caller. */
static int scan_dir(prep_manifest *m, const prep_manifest *known, int dirfd, const char *prefix,
                    const char *root, prep_err *err)
{
    int fd2 = dup(dirfd);
    if (fd2 < 0)
        return prep_fail(err, PREP_E_IO, "%s: %s", root, strerror(errno));
    DIR *d = fdopendir(fd2);
    if (!d) {
        close(fd2);
        return prep_fail(err, PREP_E_IO, "%s/%s: %s", root, prefix, strerror(errno));
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char rel[4096];
        if ((size_t)snprintf(rel, sizeof rel, "%s%s%s", prefix, *prefix ? "/" : "", de->d_name) >=
            sizeof rel) {
            rc = prep_fail(err, PREP_E_INVALID, "path too long under %s", root);
            break;
        }
        if (!*prefix && (strcmp(de->d_name, PREP_MANIFEST) == 0 ||
                         strcmp(de->d_name, PREP_MANIFEST_SIG) == 0))
            continue;
        struct stat sb;
        if (fstatat(dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0) {
            rc = prep_fail(err, PREP_E_IO, "%s/%s: %s", root, rel, strerror(errno));
            break;
        }
        if (S_ISDIR(sb.st_mode)) {
            int sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
            if (sub < 0) {
                rc = prep_fail(err, PREP_E_IO, "%s/%s: %s", root, rel, strerror(errno));
                break;
            }
            rc = scan_dir(m, known, sub, rel, root, err);
            close(sub);
        } else if (S_ISREG(sb.st_mode)) {
            if (prep_manifest_find(known, rel))
                continue;
            char sha[65];
            int64_t size = 0;
            rc = hash_file(dirfd, de->d_name, rel, sha, &size, err);
            if (rc == 0)
                rc = prep_manifest_add_hash(m, rel, sha, size, err);
        } else {
            rc = prep_fail(err, PREP_E_INVALID,
                           "%s/%s is not a regular file or directory (symlinks are not allowed "
                           "in a corte)",
                           root, rel);
        }
    }
    if (rc == 0 && errno != 0)
        rc = prep_fail(err, PREP_E_IO, "%s/%s: %s", root, prefix, strerror(errno));
    closedir(d);
    return rc;
}

int prep_manifest_scan(prep_manifest *m, const char *root, prep_err *err)
{
    if (prep_manifest_sort(m, err) < 0)
        return -1;
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot open %s: %s", root, strerror(errno));
    /* Files already recorded (sorted, so look-ups are binary searches) are
     * not read again; new ones are collected apart, then merged. */
    prep_manifest found;
    prep_manifest_init(&found);
    int rc = scan_dir(&found, m, fd, "", root, err);
    close(fd);
    for (size_t i = 0; rc == 0 && i < found.n; i++)
        rc = prep_manifest_add_hash(m, found.e[i].path, found.e[i].sha, found.e[i].size, err);
    prep_manifest_free(&found);
    if (rc < 0)
        return -1;
    return prep_manifest_sort(m, err);
}

int prep_manifest_text(prep_manifest *m, prep_buf *out, prep_err *err)
{
    if (prep_manifest_sort(m, err) < 0)
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        prep_buf_append(out, m->e[i].sha, 64);
        prep_buf_puts(out, "  ");
        prep_buf_puts(out, m->e[i].path);
        prep_buf_putc(out, '\n');
    }
    if (!prep_buf_ok(out))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing MANIFEST");
    return 0;
}

int prep_manifest_parse(const char *text, size_t len, prep_manifest *m, prep_err *err)
{
    prep_manifest_init(m);
    size_t line = 0;
    const char *p = text, *end = text + len;
    if (len && text[len - 1] != '\n')
        return prep_fail(err, PREP_E_CORRUPT, "MANIFEST does not end with a newline");
    while (p < end) {
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)(nl - p);
        char sha[65], rel[4096];
        if (n < 67 || n - 66 >= sizeof rel || p[64] != ' ' || p[65] != ' ') {
            prep_manifest_free(m);
            return prep_fail(err, PREP_E_CORRUPT, "MANIFEST line %zu is malformed", line);
        }
        memcpy(sha, p, 64);
        sha[64] = '\0';
        memcpy(rel, p + 66, n - 66);
        rel[n - 66] = '\0';
        if (!prep_is_sha256_hex(sha) || strlen(rel) != n - 66 || !prep_manifest_path_ok(rel)) {
            prep_manifest_free(m);
            return prep_fail(err, PREP_E_CORRUPT, "MANIFEST line %zu is malformed", line);
        }
        if (m->n && strcmp(m->e[m->n - 1].path, rel) >= 0) {
            prep_manifest_free(m);
            return prep_fail(err, PREP_E_CORRUPT,
                             "MANIFEST line %zu: %s is out of order or repeated", line, rel);
        }
        if (prep_manifest_add_hash(m, rel, sha, -1, err) < 0) {
            prep_manifest_free(m);
            return -1;
        }
        p = nl + 1;
    }
    m->sorted = 1;
    return 0;
}
