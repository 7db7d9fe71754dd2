/* corte_marks.c — the list of what a corte publishes (its newly published
 * actas and fuera de catálogo), kept beside the cortes until the store
 * records the corte. The store marks actas published only when the corte's
 * files are in place; a corte killed after its directory appeared is
 * recorded by recovery from this list. The file is private (a dot name,
 * never in a corte or package): cortes/.publica-<dir>, lines
 *   prep-publica 1 <numero> <at>
 *   fc <max id>
 *   a <eleccion> <casilla>          (one per acta)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publish/corte_int.h"
#include "publish/fsutil.h"
#include "util/buf.h"

#define MARKS_PREFIX ".publica-"

static int marks_path(const char *cortes, const char *dir, char *out, size_t cap, prep_err *err)
{
    if ((size_t)snprintf(out, cap, "%s/" MARKS_PREFIX "%s", cortes, dir) >= cap)
        return prep_fail(err, PREP_E_INVALID, "data directory path too long");
    return 0;
}

static int push(prep_corte_marks *m, int e, int c)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        prep_pub_item *p = realloc(m->it, sizeof *p * cap);
        if (!p)
            return -1;
        m->it = p;
        m->cap = cap;
    }
    m->it[m->n++] = (prep_pub_item){.eleccion = e, .casilla = c};
    return 0;
}

int prep_marks_from_snapshot(const prep_snapshot *s, prep_corte_marks *m, prep_err *err)
{
    memset(m, 0, sizeof *m);
    m->numero = s->numero;
    m->at = s->at;
    for (int e = 0; e < s->cat->nelecciones; e++) {
        const prep_snap_eleccion *el = &s->el[e];
        for (int i = 0; i < el->n; i++)
            if (el->actas[i].acta.corte == s->numero &&
                push(m, e, el->actas[i].acta.casilla) < 0) {
                prep_marks_free(m);
                return prep_fail(err, PREP_E_NOMEM, "out of memory");
            }
        for (int i = 0; i < el->nfc; i++)
            if (el->fc[i].corte == s->numero && el->fc[i].id > m->fc_max)
                m->fc_max = el->fc[i].id;
    }
    return 0;
}

int prep_marks_write(const char *cortes, const char *dir, const prep_corte_marks *m,
                     prep_err *err)
{
    char path[PREP_PATH_CAP];
    if (marks_path(cortes, dir, path, sizeof path, err) < 0)
        return -1;
    prep_buf b;
    prep_buf_init(&b);
    prep_buf_printf(&b, "prep-publica 1 %d %" PRId64 "\nfc %" PRId64 "\n", m->numero,
                    (int64_t)m->at, m->fc_max);
    for (size_t i = 0; i < m->n; i++)
        prep_buf_printf(&b, "a %d %d\n", m->it[i].eleccion, m->it[i].casilla);
    int rc = prep_buf_ok(&b) ? prep_fs_write_atomic(path, b.data, b.len, err)
                             : prep_fail(err, PREP_E_NOMEM, "out of memory");
    prep_buf_free(&b);
    return rc;
}

int prep_marks_read(const char *cortes, const char *dir, prep_corte_marks *m, prep_err *err)
{
    memset(m, 0, sizeof *m);
    char path[PREP_PATH_CAP];
    if (marks_path(cortes, dir, path, sizeof path, err) < 0)
        return -1;
    if (!prep_fs_exists(path))
        return 1;
    char *text;
    size_t len;
    if (prep_fs_read(path, &text, &len, 0, err) < 0)
        return -1;
    int rc = 0, used;
    int64_t at;
    char *p = text;
    if (sscanf(p, "prep-publica 1 %d %" SCNd64 " fc %" SCNd64 "%n", &m->numero, &at, &m->fc_max,
               &used) != 3)
        rc = prep_fail(err, PREP_E_CORRUPT, "%s: not a publication list", path);
    else
        m->at = (prep_time)at;
    for (p += rc == 0 ? used : 0; rc == 0;) {
        int e, c;
        while (*p == '\n')
            p++;
        if (!*p)
            break;
        if (sscanf(p, "a %d %d%n", &e, &c, &used) != 2)
            rc = prep_fail(err, PREP_E_CORRUPT, "%s: bad line", path);
        else if (push(m, e, c) < 0)
            rc = prep_fail(err, PREP_E_NOMEM, "out of memory");
        else
            p += used;
    }
    free(text);
    if (rc < 0)
        prep_marks_free(m);
    return rc;
}

void prep_marks_remove(const char *cortes, const char *dir)
{
    char path[PREP_PATH_CAP];
    if (marks_path(cortes, dir, path, sizeof path, NULL) == 0)
        unlink(path);
}

int prep_marks_is_file(const char *name, const char **dir)
{
    if (strncmp(name, MARKS_PREFIX, sizeof MARKS_PREFIX - 1) != 0)
        return 0;
    *dir = name + sizeof MARKS_PREFIX - 1;
    return 1;
}

void prep_marks_free(prep_corte_marks *m)
{
    free(m->it);
    m->it = NULL;
    m->n = m->cap = 0;
}
