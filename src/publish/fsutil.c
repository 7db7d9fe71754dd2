/* fsutil.c — whole-file writes and reads, directory trees, fsync, atomic
 * replacement of files and symlinks (see fsutil.h). POSIX + Linux syncfs. */
#include "publish/fsutil.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int prep_fs_join(char *out, size_t cap, const char *a, const char *b, prep_err *err)
{
    if ((size_t)snprintf(out, cap, "%s/%s", a, b) >= cap)
        return prep_fail(err, PREP_E_INVALID, "path too long: %s/%s", a, b);
    return 0;
}

static int write_fd(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len > (1u << 30) ? (1u << 30) : len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int prep_fs_write(const char *path, const void *data, size_t len, int sync, prep_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot create %s: %s", path, strerror(errno));
    int bad = write_fd(fd, data, len) < 0 || (sync && fsync(fd) < 0);
    int e = errno;
    if (close(fd) < 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad)
        return prep_fail(err, PREP_E_IO, "cannot write %s: %s", path, strerror(e));
    return 0;
}

static int parent_of(const char *path, char *out, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return snprintf(out, cap, ".") >= (int)cap ? -1 : 0;
    size_t n = (size_t)(slash - path);
    if (n == 0)
        n = 1;
    if (n >= cap)
        return -1;
    memcpy(out, path, n);
    out[n] = '\0';
    return 0;
}

int prep_fs_fsync_path(const char *path, prep_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot open %s: %s", path, strerror(errno));
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    if (rc < 0)
        return prep_fail(err, PREP_E_IO, "fsync %s: %s", path, strerror(e));
    return 0;
}

int prep_fs_syncfs(const char *path, prep_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot open %s: %s", path, strerror(errno));
    int rc = syncfs(fd);
    int e = errno;
    close(fd);
    if (rc < 0)
        return prep_fail(err, PREP_E_IO, "syncfs %s: %s", path, strerror(e));
    return 0;
}

int prep_fs_write_atomic(const char *path, const void *data, size_t len, prep_err *err)
{
    char tmp[4096], dir[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid()) >= sizeof tmp ||
        parent_of(path, dir, sizeof dir) < 0)
        return prep_fail(err, PREP_E_INVALID, "path too long: %s", path);
    if (prep_fs_write(tmp, data, len, 1, err) < 0) {
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return prep_fail(err, PREP_E_IO, "cannot rename %s: %s", tmp, strerror(e));
    }
    return prep_fs_fsync_path(dir, err);
}

int prep_fs_read(const char *path, char **data, size_t *len, size_t max, prep_err *err)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return prep_fail(err, errno == ENOENT ? PREP_E_NOT_FOUND : PREP_E_IO, "cannot read %s: %s",
                         path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return prep_fail(err, PREP_E_IO, "%s is not a regular file", path);
    }
    if (max && (size_t)sb.st_size > max) {
        close(fd);
        return prep_fail(err, PREP_E_TOO_LARGE, "%s is larger than %zu bytes", path, max);
    }
    size_t cap = (size_t)sb.st_size + 1, n = 0;
    char *p = malloc(cap);
    if (!p) {
        close(fd);
        return prep_fail(err, PREP_E_NOMEM, "out of memory reading %s", path);
    }
    for (;;) {
        if (n + 1 >= cap) { /* the file grew while we read it */
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                close(fd);
                return prep_fail(err, PREP_E_NOMEM, "out of memory reading %s", path);
            }
            p = q;
            cap *= 2;
        }
        ssize_t r = read(fd, p + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(p);
            close(fd);
            return prep_fail(err, PREP_E_IO, "cannot read %s: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    p[n] = '\0';
    *data = p;
    *len = n;
    return 0;
}

int prep_fs_mkdirs(const char *path, prep_err *err)
{
    char buf[4096];
    if ((size_t)snprintf(buf, sizeof buf, "%s", path) >= sizeof buf)
        return prep_fail(err, PREP_E_INVALID, "path too long: %s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return prep_fail(err, PREP_E_IO, "cannot create %s: %s", buf, strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0755) < 0 && errno != EEXIST)
        return prep_fail(err, PREP_E_IO, "cannot create %s: %s", buf, strerror(errno));
    struct stat sb;
    if (stat(buf, &sb) < 0 || !S_ISDIR(sb.st_mode))
        return prep_fail(err, PREP_E_IO, "%s exists and is not a directory", buf);
    return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    int rc = flag == FTW_DP ? rmdir(path) : unlink(path);
    return rc < 0 && errno != ENOENT ? -1 : 0;
}

int prep_fs_rmtree(const char *path, prep_err *err)
{
    struct stat sb;
    if (lstat(path, &sb) < 0)
        return errno == ENOENT ? 0 : prep_fail(err, PREP_E_IO, "%s: %s", path, strerror(errno));
    if (!S_ISDIR(sb.st_mode)) {
        if (unlink(path) < 0)
            return prep_fail(err, PREP_E_IO, "cannot remove %s: %s", path, strerror(errno));
        return 0;
    }
    if (nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) != 0)
        return prep_fail(err, PREP_E_IO, "cannot remove %s: %s", path, strerror(errno));
    return 0;
}

int prep_fs_link_or_copy(const char *src, const char *dst, int *created, prep_err *err)
{
    *created = 0;
    if (link(src, dst) == 0) {
        *created = 1;
        return 0;
    }
    if (errno == EEXIST)
        return 0;
    if (errno == ENOENT)
        return prep_fail(err, PREP_E_NOT_FOUND, "%s: %s", src, strerror(errno));
    /* Different file system or no hard links: copy under a temp name. */
    char *data;
    size_t len;
    if (prep_fs_read(src, &data, &len, 0, err) < 0)
        return -1;
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dst, (long)getpid()) >= sizeof tmp) {
        free(data);
        return prep_fail(err, PREP_E_INVALID, "path too long: %s", dst);
    }
    int rc = prep_fs_write(tmp, data, len, 1, err);
    free(data);
    if (rc == 0 && rename(tmp, dst) < 0)
        rc = prep_fail(err, PREP_E_IO, "cannot rename %s: %s", tmp, strerror(errno));
    if (rc < 0)
        unlink(tmp);
    else
        *created = 1;
    return rc;
}

int prep_fs_symlink_atomic(const char *target, const char *lnk, prep_err *err)
{
    char tmp[4096], dir[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", lnk, (long)getpid()) >= sizeof tmp ||
        parent_of(lnk, dir, sizeof dir) < 0)
        return prep_fail(err, PREP_E_INVALID, "path too long: %s", lnk);
    unlink(tmp);
    if (symlink(target, tmp) < 0)
        return prep_fail(err, PREP_E_IO, "cannot create symlink %s: %s", tmp, strerror(errno));
    if (rename(tmp, lnk) < 0) {
        int e = errno;
        unlink(tmp);
        return prep_fail(err, PREP_E_IO, "cannot switch %s: %s", lnk, strerror(e));
    }
    return prep_fs_fsync_path(dir, err);
}

int prep_fs_exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

int prep_fs_dir_is_empty(const char *path)
{
    DIR *dp = opendir(path);
    if (!dp)
        return errno == ENOENT;
    struct dirent *de;
    int empty = 1;
    while (empty && (de = readdir(dp)))
        empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
    closedir(dp);
    return empty;
}
