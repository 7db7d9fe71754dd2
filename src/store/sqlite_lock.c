/* sqlite_lock.c — the corte lock of the SQLite backend: an exclusive,
 * non-blocking flock on DATADIR/cortes/.lock, held by this store handle
 * until corte_unlock or close. It serializes cortes between the processes of
 * one machine (prep serve, prep corte, a ceremony); it is not meant for
 * several machines — that is the PostgreSQL backend's advisory lock. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite_internal.h"

int sq_corte_lock(prep_store *st, prep_err *err)
{
    prep_sqlite *s = SQ(st);
    if (s->corte_held)
        return prep_fail(err, PREP_E_CONFLICT, "another corte is being published right now"),
               1;
    char dir[600], path[640];
    if ((size_t)snprintf(dir, sizeof dir, "%s/cortes", st->datadir) >= sizeof dir)
        return prep_fail(err, PREP_E_INVALID, "data directory path too long");
    snprintf(path, sizeof path, "%s/.lock", dir);
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return prep_fail(err, PREP_E_IO, "cannot create %s: %s", dir, strerror(errno));
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return prep_fail(err, PREP_E_IO, "cannot open %s: %s", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        int e = errno;
        close(fd);
        if (e == EWOULDBLOCK)
            return prep_fail(err, PREP_E_CONFLICT, "another corte is being published right now"),
                   1;
        return prep_fail(err, PREP_E_IO, "cannot lock %s: %s", path, strerror(e));
    }
    s->corte_fd = fd;
    s->corte_held = 1;
    return 0;
}

void sq_corte_unlock(prep_store *st)
{
    prep_sqlite *s = SQ(st);
    if (!s->corte_held)
        return;
    close(s->corte_fd); /* closing the only descriptor releases the flock */
    s->corte_held = 0;
}
