/* input.c — the bytes `prep audit` recounts: a results CSV read whole, or the
 * results CSVs inside a ZIP (libzip), including ZIPs nested one level deep
 * as INE publishes them (AAAAMMDD_HHMM_PREP.zip holding one ZIP per
 * election). Candidaturas files and anything that is not a .csv are skipped.
 * It reads files; it does not interpret them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zip.h>

#include "recount/recount.h"

#define MAX_FILE ((size_t)1 << 31) /* 2 GiB: far above a national database */

static int read_file(const char *path, char **out, size_t *len, prep_err *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return prep_fail(err, PREP_E_NOT_FOUND, "no se puede abrir %s: revise la ruta y los permisos", path);
    prep_buf b;
    prep_buf_init(&b);
    char chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0 && b.len <= MAX_FILE)
        prep_buf_append(&b, chunk, n);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || b.len > MAX_FILE || !prep_buf_ok(&b)) {
        prep_buf_free(&b);
        return prep_fail(err, bad ? PREP_E_IO : PREP_E_TOO_LARGE, "no se puede leer %s%s", path,
                         bad ? "" : ": demasiado grande o sin memoria");
    }
    if (!b.data)
        prep_buf_putc(&b, '\0'); /* an empty file still gets a buffer */
    *out = b.data;
    *len = b.len;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

typedef struct {
    prep_recount_input *in;
    int n, cap;
} list;

static int push(list *l, const char *name, char *data, size_t len, prep_err *err)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 4;
        void *p = realloc(l->in, sizeof *l->in * (size_t)cap);
        if (!p) {
            free(data);
            return prep_fail(err, PREP_E_NOMEM, "memoria insuficiente");
        }
        l->in = p;
        l->cap = cap;
    }
    prep_recount_input *i = &l->in[l->n++];
    snprintf(i->name, sizeof i->name, "%s", name);
    i->data = data;
    i->len = len;
    return 0;
}

static int is_zip(const char *data, size_t len)
{
    return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

static int from_zip(const char *zname, const char *data, size_t len, int depth, list *l,
                    prep_err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    if (!za) {
        int rc = prep_fail(err, PREP_E_INVALID, "%s no es un ZIP legible: %s", zname,
                           zip_error_strerror(&ze));
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    int rc = 0;
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n && rc == 0; i++) {
        zip_stat_t st;
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) < 0 || !(st.valid & ZIP_STAT_NAME) ||
            !(st.valid & ZIP_STAT_SIZE))
            continue;
        int inner = ends_with(st.name, ".zip") && depth == 0;
        int csv = ends_with(st.name, ".csv") && !strcasestr(st.name, "CANDIDATURA");
        if (!inner && !csv)
            continue;
        if (st.size > MAX_FILE) {
            rc = prep_fail(err, PREP_E_TOO_LARGE, "%s: %s es demasiado grande", zname, st.name);
            break;
        }
        char *buf = malloc((size_t)st.size + 1);
        zip_file_t *zf = buf ? zip_fopen_index(za, (zip_uint64_t)i, 0) : NULL;
        zip_int64_t got = zf ? zip_fread(zf, buf, st.size) : -1;
        if (zf)
            zip_fclose(zf);
        if (got < 0 || (zip_uint64_t)got != st.size) {
            free(buf);
            rc = prep_fail(err, PREP_E_INVALID, "%s: no se puede leer %s del ZIP", zname,
                           st.name);
            break;
        }
        buf[st.size] = '\0';
        char name[512];
        snprintf(name, sizeof name, "%s:%s", zname, st.name);
        if (inner) {
            rc = from_zip(name, buf, (size_t)st.size, depth + 1, l, err);
            free(buf);
        } else {
            rc = push(l, name, buf, (size_t)st.size, err);
        }
    }
    zip_discard(za);
    return rc;
}

int prep_recount_inputs(const char *path, prep_recount_input **out, int *n, prep_err *err)
{
    *out = NULL;
    *n = 0;
    char *data;
    size_t len;
    if (read_file(path, &data, &len, err) < 0)
        return -1;
    list l = {0};
    int rc;
    if (is_zip(data, len)) {
        rc = from_zip(path, data, len, 0, &l, err);
        free(data);
        if (rc == 0 && l.n == 0)
            rc = prep_fail(err, PREP_E_INVALID,
                           "%s no contiene ningún CSV de resultados (solo candidaturas u otros archivos)", path);
    } else {
        rc = push(&l, path, data, len, err);
    }
    if (rc < 0) {
        prep_recount_inputs_free(l.in, l.n);
        return -1;
    }
    *out = l.in;
    *n = l.n;
    return 0;
}

void prep_recount_inputs_free(prep_recount_input *in, int n)
{
    for (int i = 0; i < n; i++)
        free(in[i].data);
    free(in);
}
