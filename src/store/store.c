/* store.c — picks the storage backend of a data directory. `prep init
 * --store postgresql://...` records the connection URL in DATADIR/store.url
 * (mode 0600: it may hold a password), so every later command finds the
 * same database; without that file the directory uses SQLite (prep.db).
 * Keys, images and cortes stay in the data directory whatever the backend.
 * A directory never silently changes backend. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/backends.h"

#define URL_FILE "store.url"
#define URL_MAX 1024

static int is_pg_url(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

static int path_of(const char *datadir, const char *name, char *out, size_t cap, prep_err *err)
{
    if ((size_t)snprintf(out, cap, "%s/%s", datadir, name) >= cap)
        return prep_fail(err, PREP_E_INVALID, "data directory path too long");
    return 0;
}

/* The recorded URL: 0 and url filled, 1 when the directory has none. */
static int read_url(const char *datadir, char url[URL_MAX], prep_err *err)
{
    char path[600];
    if (path_of(datadir, URL_FILE, path, sizeof path, err) < 0)
        return -1;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return 1;
        return prep_fail(err, PREP_E_IO, "cannot read %s: %s", path, strerror(errno));
    }
    size_t n = fread(url, 1, URL_MAX - 1, f);
    fclose(f);
    url[n] = '\0';
    url[strcspn(url, "\r\n")] = '\0';
    if (!is_pg_url(url))
        return prep_fail(err, PREP_E_CORRUPT, "%s does not hold a postgresql:// URL", path);
    return 0;
}

/* Write the URL durably: temporary file, fsync, rename, fsync of the directory. */
static int write_url(const char *datadir, const char *url, prep_err *err)
{
    char path[600], tmp[620];
    if (path_of(datadir, URL_FILE, path, sizeof path, err) < 0)
        return -1;
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot write %s: %s", tmp, strerror(errno));
    size_t n = strlen(url);
    int ok = write(fd, url, n) == (ssize_t)n && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) < 0) {
        int e = errno;
        unlink(tmp);
        return prep_fail(err, PREP_E_IO, "cannot write %s: %s", path, strerror(e));
    }
    int dfd = open(datadir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

static int has_sqlite(const char *datadir)
{
    char path[600];
    struct stat sb;
    return path_of(datadir, "prep.db", path, sizeof path, NULL) == 0 && stat(path, &sb) == 0;
}

int prep_store_create(const char *datadir, const char *url, prep_err *err)
{
    int want_pg = url && *url && strcmp(url, "sqlite") != 0;
    if (want_pg && !is_pg_url(url))
        return prep_fail(err, PREP_E_INVALID,
                         "store '%s' is not supported (use sqlite or a postgresql:// URL)", url);
    if (mkdir(datadir, 0750) < 0 && errno != EEXIST)
        return prep_fail(err, PREP_E_IO, "cannot create %s: %s", datadir, strerror(errno));
    char recorded[URL_MAX];
    int rc = read_url(datadir, recorded, err);
    if (rc < 0)
        return -1;
    prep_store *st;
    if (rc == 0) { /* already PostgreSQL: same URL or none given */
        if (url && *url && strcmp(url, recorded) != 0)
            return prep_fail(err, PREP_E_STATE,
                             "%s already uses the PostgreSQL store recorded in %s/" URL_FILE
                             "; it cannot switch to '%s'",
                             datadir, datadir, want_pg ? "another URL" : url);
        if (prep_pg_open(datadir, recorded, &st, err) < 0)
            return -1;
    } else if (want_pg) {
        if (has_sqlite(datadir))
            return prep_fail(err, PREP_E_STATE,
                             "%s already holds a SQLite database (prep.db); it cannot switch"
                             " to PostgreSQL",
                             datadir);
        /* Connect and migrate first: a wrong URL records nothing. */
        if (prep_pg_open(datadir, url, &st, err) < 0)
            return -1;
        if (write_url(datadir, url, err) < 0) {
            prep_store_close(st);
            return -1;
        }
    } else if (prep_sqlite_open(datadir, 1, &st, err) < 0) {
        return -1;
    }
    prep_store_close(st);
    return 0;
}

int prep_store_open(const char *datadir, prep_store **out, prep_err *err)
{
    char url[URL_MAX];
    int rc = read_url(datadir, url, err);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return prep_pg_open(datadir, url, out, err);
    if (!has_sqlite(datadir))
        return prep_fail(err, PREP_E_NOT_FOUND,
                         "no PREP database in %s (run 'prep init --data %s' first)", datadir,
                         datadir);
    return prep_sqlite_open(datadir, 0, out, err);
}

int prep_store_catalog_loaded(prep_catalog *cat, int rc, prep_err *err)
{
    if (rc == 0 && prep_catalog_finish(cat, err) < 0) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err ? err->msg : "");
        prep_fail(err, PREP_E_CORRUPT, "stored catalog is inconsistent: %s", why);
        rc = -1;
    }
    if (rc != 0)
        prep_catalog_free(cat);
    return rc;
}

void prep_store_close(prep_store *st)
{
    if (st)
        st->vt->close(st);
}
