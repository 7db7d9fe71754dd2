/* zipw.c — deterministic ZIP writing on libzip (see zipw.h). Entries are
 * queued and handed to libzip sorted at close; deflated entries are
 * compressed ahead on worker threads (zipw_deflate.c) while libzip writes
 * to a temporary file next to the target and renames it into place when
 * complete. A copied entry is a source of ours that reports the source
 * entry's method, sizes and CRC-32 and reads its raw compressed bytes
 * (zip_fopen_index with ZIP_FL_COMPRESSED) only while libzip writes it; the
 * entry is set to that same method, so libzip neither inflates nor
 * deflates it. (libzip's own zip_source_zip keeps every copy registered on
 * the source archive, and unregisters each with a linear search: with the
 * 400,000 copies of a national package that alone took most of the time.) */
#include "publish/zipw.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "publish/zipw_deflate.h"

typedef struct {
    char *name;
    const void *data; /* NULL: path or from */
    size_t len;
    char *path;
    int level;
    prep_zipr *from; /* a copy of entry `index` of from (stat `st`), deflated at `level` */
    zip_uint64_t index;
    zip_stat_t st;
} entry;

struct prep_zipr {
    zip_t *za;
    char *path;
};

struct prep_zipw {
    char *path;
    prep_time mtime;
    int threads;
    entry *e;
    size_t n, cap;
};

int prep_zipw_level_for(const char *name, int level)
{
    static const char *const packed[] = {".zip", ".jpg", ".jpeg", ".png", ".webp", ".gz",
                                         ".pdf", ".woff2"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof packed / sizeof packed[0]; i++) {
        size_t k = strlen(packed[i]);
        if (n >= k && strcmp(name + n - k, packed[i]) == 0)
            return PREP_ZIP_STORE;
    }
    return level;
}

int prep_zipw_open(prep_zipw **out, const char *path, prep_time mtime, prep_err *err)
{
    prep_zipw *z = calloc(1, sizeof *z);
    if (!z || !(z->path = strdup(path))) {
        free(z);
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    z->mtime = mtime;
    z->threads = -1;
    *out = z;
    return 0;
}

static int push(prep_zipw *z, const char *name, const void *data, size_t len, const char *path,
                int level, prep_err *err)
{
    if (z->n == z->cap) {
        size_t cap = z->cap ? z->cap * 2 : 64;
        entry *e = realloc(z->e, cap * sizeof *e);
        if (!e)
            return prep_fail(err, PREP_E_NOMEM, "out of memory");
        z->e = e;
        z->cap = cap;
    }
    entry *e = &z->e[z->n];
    memset(e, 0, sizeof *e);
    e->name = strdup(name);
    e->path = path ? strdup(path) : NULL;
    if (!e->name || (path && !e->path)) {
        free(e->name);
        free(e->path);
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    e->data = data;
    e->len = len;
    e->level = level < 0 ? 0 : level > 9 ? 9 : level;
    z->n++;
    return 0;
}

int prep_zipw_add_mem(prep_zipw *z, const char *name, const void *data, size_t len, int level,
                      prep_err *err)
{
    return push(z, name, data ? data : "", len, NULL, level, err);
}

int prep_zipw_add_file(prep_zipw *z, const char *name, const char *path, int level,
                       prep_err *err)
{
    return push(z, name, NULL, 0, path, level, err);
}

int prep_zipw_add_copy(prep_zipw *z, const char *name, prep_zipr *from, int64_t index,
                       int level, prep_err *err)
{
    zip_stat_t st;
    zip_int64_t n = zip_get_num_entries(from->za, 0);
    if (index < 0 || index >= n || zip_stat_index(from->za, (zip_uint64_t)index, 0, &st) < 0)
        return prep_fail(err, PREP_E_INVALID, "%s: cannot copy %s: %s has no entry %lld (%lld entries)",
                         z->path, name, from->path, (long long)index, (long long)n);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return prep_fail(err, PREP_E_INVALID, "%s: cannot copy %s: entry %s of %s is encrypted",
                         z->path, name, st.name, from->path);
    const zip_uint64_t need = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
    if ((st.valid & need) != need)
        return prep_fail(err, PREP_E_INVALID, "%s: cannot copy %s: entry %s of %s has no sizes",
                         z->path, name, st.name, from->path);
    if (push(z, name, NULL, 0, NULL, 0, err) < 0)
        return -1;
    entry *e = &z->e[z->n - 1];
    e->from = from;
    e->index = (zip_uint64_t)index;
    e->st = st;
    e->st.name = NULL; /* owned by `from`; not needed */
    e->level = level; /* the flags only: a copy is never deflated (see close) */
    return 0;
}

/* ---- A copied entry's source ------------------------------------------------ */

typedef struct {
    const entry *e;
    zip_file_t *f;
    zip_error_t ze;
} copy_ctx;

static zip_int64_t copy_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    copy_ctx *c = ud;
    switch (cmd) {
    case ZIP_SOURCE_SUPPORTS:
        return prep_zipw_compressed_supports();
    case ZIP_SOURCE_OPEN:
        c->f = zip_fopen_index(c->e->from->za, c->e->index, ZIP_FL_COMPRESSED);
        if (!c->f) {
            zip_error_set(&c->ze, ZIP_ER_READ, 0);
            return -1;
        }
        return 0;
    case ZIP_SOURCE_READ: {
        zip_int64_t n = zip_fread(c->f, data, len);
        if (n < 0)
            zip_error_set(&c->ze, ZIP_ER_READ, 0);
        return n;
    }
    case ZIP_SOURCE_CLOSE:
        if (c->f)
            zip_fclose(c->f);
        c->f = NULL;
        return 0;
    case ZIP_SOURCE_STAT:
        return prep_zipw_compressed_stat(data, len, c->e->st.size, c->e->st.comp_size,
                                         c->e->st.comp_method, c->e->st.crc, &c->ze);
    case ZIP_SOURCE_GET_FILE_ATTRIBUTES:
        /* A deflated entry carries what zipw_deflate.c's entries say. */
        if (c->e->st.comp_method != ZIP_CM_DEFLATE)
            return 0;
        return prep_zipw_deflate_attributes(c->e->level, data, len, &c->ze);
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&c->ze, data, len);
    case ZIP_SOURCE_FREE:
        if (c->f)
            zip_fclose(c->f);
        zip_error_fini(&c->ze);
        free(c);
        return 0;
    default:
        zip_error_set(&c->ze, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

static zip_source_t *copy_source(zip_t *za, const entry *e)
{
    copy_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->e = e;
    zip_error_init(&c->ze);
    zip_source_t *s = zip_source_function(za, copy_cb, c);
    if (!s) {
        zip_error_fini(&c->ze);
        free(c);
    }
    return s;
}

int prep_zipr_open(prep_zipr **out, const char *path, prep_err *err)
{
    int ze = 0;
    prep_zipr *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    if (!(r->za = zip_open(path, ZIP_RDONLY, &ze))) {
        zip_error_t ze2;
        zip_error_init_with_code(&ze2, ze);
        prep_fail(err, ze == ZIP_ER_NOENT || ze == ZIP_ER_OPEN ? PREP_E_IO : PREP_E_CORRUPT,
                  "cannot open %s: %s", path, zip_error_strerror(&ze2));
        zip_error_fini(&ze2);
        free(r->path);
        free(r);
        return -1;
    }
    *out = r;
    return 0;
}

int64_t prep_zipr_find(const prep_zipr *r, const char *name, int64_t *size, int *stored)
{
    zip_int64_t i = zip_name_locate(r->za, name, 0) /* 0: the hash table */;
    zip_stat_t st;
    if (i < 0 || zip_stat_index(r->za, (zip_uint64_t)i, 0, &st) < 0 ||
        (st.valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD)) != (ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD))
        return -1;
    if (size)
        *size = (int64_t)st.size;
    if (stored)
        *stored = st.comp_method == ZIP_CM_STORE;
    return i;
}

void prep_zipr_close(prep_zipr *r)
{
    if (!r)
        return;
    zip_discard(r->za);
    free(r->path);
    free(r);
}

void prep_zipw_set_threads(prep_zipw *z, int threads)
{
    z->threads = threads;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* MS-DOS date and time of t in UTC-6, as ZIP headers hold them. */
static void dos_time(prep_time t, uint16_t *dtime, uint16_t *ddate)
{
    int64_t s = t / 1000 + PREP_TZ_OFFSET_S;
    int64_t days = s / 86400, rem = s % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    /* Civil date from days since 1970-01-01 (Howard Hinnant's algorithm). */
    int64_t zd = days + 719468;
    int64_t era = (zd >= 0 ? zd : zd - 146096) / 146097;
    int64_t doe = zd - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 1980)
        y = 1980, m = 1, d = 1, rem = 0;
    *ddate = (uint16_t)(((y - 1980) << 9) | (m << 5) | d);
    *dtime = (uint16_t)(((rem / 3600) << 11) | (((rem / 60) % 60) << 5) | ((rem % 60) / 2));
}

static void free_entries(prep_zipw *z)
{
    for (size_t i = 0; i < z->n; i++) {
        free(z->e[i].name);
        free(z->e[i].path);
    }
    free(z->e);
    free(z->path);
    free(z);
}

void prep_zipw_discard(prep_zipw *z)
{
    if (z)
        free_entries(z);
}

int prep_zipw_close(prep_zipw *z, prep_err *err)
{
    int ze = 0;
    qsort(z->e, z->n, sizeof *z->e, by_name);
    for (size_t i = 1; i < z->n; i++)
        if (strcmp(z->e[i - 1].name, z->e[i].name) == 0) {
            prep_fail(err, PREP_E_INVALID, "%s: entry %s added twice", z->path, z->e[i].name);
            free_entries(z);
            return -1;
        }
    prep_zipw_pool *pool = NULL;
    if (prep_zipw_pool_new(&pool, z->n, err) < 0) {
        free_entries(z);
        return -1;
    }
    for (size_t i = 0; i < z->n; i++)
        if (z->e[i].level && !z->e[i].from)
            prep_zipw_pool_set(pool, i, z->e[i].path, z->e[i].data, z->e[i].len, z->e[i].level);
    zip_t *za = zip_open(z->path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (!za) {
        zip_error_t ze2;
        zip_error_init_with_code(&ze2, ze);
        prep_fail(err, PREP_E_IO, "cannot create %s: %s", z->path, zip_error_strerror(&ze2));
        zip_error_fini(&ze2);
        prep_zipw_pool_free(pool);
        free_entries(z);
        return -1;
    }
    uint16_t dtime, ddate;
    dos_time(z->mtime, &dtime, &ddate);
    for (size_t i = 0; i < z->n; i++) {
        entry *e = &z->e[i];
        zip_source_t *src = e->from    ? copy_source(za, e)
                            : e->level ? prep_zipw_pool_source(pool, za, i)
                            : e->path  ? zip_source_file(za, e->path, 0, -1)
                                       : zip_source_buffer(za, e->data, e->len, 0);
        zip_int64_t idx = src ? zip_file_add(za, e->name, src, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            prep_fail(err, PREP_E_IO, "%s: cannot add %s: %s", z->path, e->name,
                      zip_strerror(za));
            if (src)
                zip_source_free(src);
            zip_discard(za);
            prep_zipw_pool_free(pool);
            free_entries(z);
            return -1;
        }
        /* A copy keeps its source's method: asking for any other one would
         * make libzip inflate and deflate it again. */
        zip_int32_t method = e->from    ? (zip_int32_t)e->st.comp_method
                             : e->level ? ZIP_CM_DEFLATE
                                        : ZIP_CM_STORE;
        if (zip_set_file_compression(za, (zip_uint64_t)idx, method, (zip_uint32_t)e->level) < 0 ||
            zip_file_set_dostime(za, (zip_uint64_t)idx, dtime, ddate, 0) < 0 ||
            zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                             (zip_uint32_t)0100644 << 16) < 0) {
            prep_fail(err, PREP_E_IO, "%s: %s: %s", z->path, e->name, zip_strerror(za));
            zip_discard(za);
            prep_zipw_pool_free(pool);
            free_entries(z);
            return -1;
        }
    }
    if (prep_zipw_pool_start(pool, z->threads >= 0 ? z->threads : prep_zipw_pool_threads(),
                             err) < 0) {
        zip_discard(za);
        prep_zipw_pool_free(pool);
        free_entries(z);
        return -1;
    }
    if (zip_close(za) < 0) {
        /* An entry that could not be read says which and why. */
        prep_err perr;
        if (prep_zipw_pool_error(pool, &perr) < 0)
            prep_fail(err, perr.code, "cannot write %s: %s", z->path, perr.msg);
        else
            prep_fail(err, PREP_E_IO, "cannot write %s: %s", z->path, zip_strerror(za));
        zip_discard(za);
        prep_zipw_pool_free(pool);
        free_entries(z);
        return -1;
    }
    prep_zipw_pool_free(pool);
    free_entries(z);
    return 0;
}
