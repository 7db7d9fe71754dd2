/* zipw_deflate.c — worker threads that deflate a ZIP's entries ahead of
 * libzip, and the libzip sources that hand over the result (see
 * zipw_deflate.h). Entries are taken in archive order; a worker stays at
 * most WINDOW_JOBS entries / WINDOW_BYTES of unread output ahead of the
 * entry libzip is writing. An entry libzip asks for before any worker has
 * taken it is deflated on the asking thread, so nothing ever waits on a
 * worker that cannot run. */
#include "publish/zipw_deflate.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#define WINDOW_JOBS 4096
#define WINDOW_BYTES ((size_t)96 << 20)
#define CHUNK ((size_t)1 << 18)
#define MAX_THREADS 8

_Atomic unsigned long prep_zipw_deflate_runs = 0;

enum { J_IDLE, J_PENDING, J_RUNNING, J_DONE, J_USED };

typedef struct {
    const char *path;
    const void *data;
    size_t len;
    int level;
    int state;
    unsigned char *out;
    size_t out_len;
    uint64_t size;
    uint32_t crc;
    int failed;
    prep_err err;
} job;

/* What one deflating thread keeps from entry to entry: a zlib stream
 * (deflateReset is deflateEnd + deflateInit2 without the allocations) and
 * its read buffer. */
typedef struct {
    z_stream zs;
    int inited;
    unsigned char *buf;
} zstate;

struct prep_zipw_pool {
    job *j;
    size_t n;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next;     /* no worker needs to look below this job */
    size_t cursor;   /* the job libzip is on */
    size_t inflight; /* output bytes deflated and not yet read by libzip */
    int stop;
    zstate mine; /* the thread libzip calls back on */
    pthread_t th[MAX_THREADS];
    int nth;
};

int prep_zipw_pool_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

int prep_zipw_pool_new(prep_zipw_pool **out, size_t n, prep_err *err)
{
    prep_zipw_pool *p = calloc(1, sizeof *p);
    if (!p || !(p->j = calloc(n ? n : 1, sizeof *p->j))) {
        free(p);
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    p->n = n;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    *out = p;
    return 0;
}

void prep_zipw_pool_set(prep_zipw_pool *p, size_t i, const char *path, const void *data,
                        size_t len, int level)
{
    job *j = &p->j[i];
    j->path = path;
    j->data = data;
    j->len = len;
    j->level = level < 1 ? 1 : level > 9 ? 9 : level;
    j->state = J_PENDING;
}

/* ---- Deflating one entry ------------------------------------------------- */

static int grow(job *j, size_t *cap, z_stream *zs)
{
    size_t ncap = *cap ? *cap * 2 : 4096;
    unsigned char *o = realloc(j->out, ncap);
    if (!o)
        return -1;
    j->out = o;
    zs->next_out = o + *cap;
    zs->avail_out = (uInt)(ncap - *cap);
    *cap = ncap;
    return 0;
}

/* Fill buf with up to CHUNK bytes of the entry; 0 at the end, -1 on error. */
static ssize_t next_chunk(job *j, int fd, unsigned char *buf, size_t *off)
{
    if (fd < 0) {
        size_t n = j->len - *off < CHUNK ? j->len - *off : CHUNK;
        memcpy(buf, (const unsigned char *)j->data + *off, n);
        *off += n;
        return (ssize_t)n;
    }
    size_t got = 0;
    while (got < CHUNK) {
        ssize_t r = read(fd, buf + got, CHUNK - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

static void zstate_free(zstate *z)
{
    if (z->inited)
        deflateEnd(&z->zs);
    free(z->buf);
    memset(z, 0, sizeof *z);
}

/* Raw deflate (libzip's parameters) of the entry, with its CRC-32 and size.
 * Always the same sequence of zlib calls for the same bytes. */
static void deflate_job(job *j, zstate *zst)
{
    prep_zipw_deflate_runs++;
    int fd = -1;
    size_t hint = j->len, off = 0, cap = 0;
    if (j->path) {
        fd = open(j->path, O_RDONLY | O_CLOEXEC);
        struct stat sb;
        if (fd < 0 || fstat(fd, &sb) < 0) {
            prep_fail(&j->err, PREP_E_IO, "cannot read %s: %s", j->path, strerror(errno));
            j->failed = 1;
            if (fd >= 0)
                close(fd);
            return;
        }
        hint = (size_t)sb.st_size;
    }
    int zrc = Z_OK;
    if (!zst->buf && !(zst->buf = malloc(CHUNK)))
        zrc = Z_MEM_ERROR;
    else if (zst->inited)
        zrc = deflateReset(&zst->zs);
    else if ((zrc = deflateInit2(&zst->zs, j->level, Z_DEFLATED, -MAX_WBITS, MAX_MEM_LEVEL,
                                 Z_DEFAULT_STRATEGY)) == Z_OK)
        zst->inited = 1;
    /* Each entry's own level (entries of one archive rarely differ). */
    if (zrc == Z_OK && zst->inited)
        zrc = deflateParams(&zst->zs, j->level, Z_DEFAULT_STRATEGY);
    z_stream *zs = &zst->zs;
    unsigned char *buf = zst->buf;
    uLong crc = crc32(0L, Z_NULL, 0);
    uint64_t size = 0;
    if (zrc == Z_OK) {
        cap = deflateBound(zs, (uLong)hint);
        if (!(j->out = malloc(cap)))
            zrc = Z_MEM_ERROR;
        zs->next_out = j->out;
        zs->avail_out = (uInt)cap;
    }
    while (zrc == Z_OK) {
        ssize_t r = next_chunk(j, fd, buf, &off);
        if (r < 0) {
            prep_fail(&j->err, PREP_E_IO, "cannot read %s: %s", j->path, strerror(errno));
            j->failed = 1;
            break;
        }
        crc = crc32(crc, buf, (uInt)r);
        size += (uint64_t)r;
        int flush = r == 0 ? Z_FINISH : Z_NO_FLUSH;
        zs->next_in = buf;
        zs->avail_in = (uInt)r;
        for (;;) {
            if (zs->avail_out == 0 && grow(j, &cap, zs) < 0) {
                zrc = Z_MEM_ERROR;
                break;
            }
            zrc = deflate(zs, flush);
            if (zrc == Z_STREAM_END || zrc == Z_STREAM_ERROR)
                break;
            if (zrc == Z_BUF_ERROR && zs->avail_out != 0 && (flush == Z_FINISH || zs->avail_in))
                break; /* no progress possible: cannot happen with room left */
            zrc = Z_OK;
            if (flush == Z_NO_FLUSH && zs->avail_in == 0 && zs->avail_out != 0)
                break; /* this chunk is consumed */
        }
    }
    if (!j->failed && zrc != Z_STREAM_END) {
        prep_fail(&j->err, zrc == Z_MEM_ERROR ? PREP_E_NOMEM : PREP_E_IO,
                  "cannot deflate %s: zlib error %d", j->path ? j->path : "(bytes)", zrc);
        j->failed = 1;
    }
    j->out_len = j->failed ? 0 : (size_t)zs->total_out;
    if (zrc != Z_OK && zrc != Z_STREAM_END && zst->inited)
        zstate_free(zst); /* start afresh on the next entry */
    if (fd >= 0)
        close(fd);
    j->crc = (uint32_t)crc;
    j->size = size;
    if (j->failed) {
        free(j->out);
        j->out = NULL;
    }
}

/* ---- Workers ------------------------------------------------------------- */

static void *worker(void *arg)
{
    prep_zipw_pool *p = arg;
    zstate zst = {0};
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next < p->n && p->j[p->next].state != J_PENDING)
            p->next++;
        if (p->stop || p->next >= p->n)
            break;
        if (p->next > p->cursor &&
            (p->next - p->cursor >= WINDOW_JOBS || p->inflight >= WINDOW_BYTES)) {
            pthread_cond_wait(&p->cv, &p->mu);
            continue;
        }
        job *j = &p->j[p->next++];
        j->state = J_RUNNING;
        pthread_mutex_unlock(&p->mu);
        deflate_job(j, &zst);
        pthread_mutex_lock(&p->mu);
        j->state = J_DONE;
        p->inflight += j->out_len;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    zstate_free(&zst);
    return NULL;
}

int prep_zipw_pool_start(prep_zipw_pool *p, int threads, prep_err *err)
{
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&p->th[p->nth], NULL, worker, p) != 0) {
            if (p->nth == 0)
                return prep_fail(err, PREP_E_IO, "cannot start a deflate thread");
            break; /* fewer workers is still correct */
        }
        p->nth++;
    }
    return 0;
}

/* Entry i deflated (by a worker, or here if none has taken it); the job
 * libzip is on. for_read: its bytes are needed, not only its sizes and CRC
 * (libzip stats each source again after reading it). */
static job *need(prep_zipw_pool *p, size_t i, int for_read)
{
    job *j = &p->j[i];
    pthread_mutex_lock(&p->mu);
    if (p->cursor < i) {
        p->cursor = i;
        pthread_cond_broadcast(&p->cv);
    }
    while (j->state == J_RUNNING)
        pthread_cond_wait(&p->cv, &p->mu);
    if (j->state == J_PENDING || (for_read && j->state == J_USED && !j->failed)) {
        /* Not taken yet, or asked for again after its bytes were released. */
        j->state = J_RUNNING;
        pthread_mutex_unlock(&p->mu);
        free(j->out);
        j->out = NULL;
        deflate_job(j, &p->mine);
        pthread_mutex_lock(&p->mu);
        j->state = J_DONE;
        p->inflight += j->out_len;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    return j;
}

/* libzip has read entry i: its bytes go, its sizes and CRC stay. */
static void release(prep_zipw_pool *p, size_t i)
{
    job *j = &p->j[i];
    pthread_mutex_lock(&p->mu);
    if (j->state == J_DONE) {
        free(j->out);
        j->out = NULL;
        p->inflight -= j->out_len;
        j->state = J_USED;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
}

int prep_zipw_pool_error(prep_zipw_pool *p, prep_err *err)
{
    if (!p)
        return 0;
    int rc = 0;
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < p->n; i++)
        if (p->j[i].failed) {
            if (err)
                *err = p->j[i].err;
            rc = -1;
            break;
        }
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void prep_zipw_pool_free(prep_zipw_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nth; i++)
        pthread_join(p->th[i], NULL);
    for (size_t i = 0; i < p->n; i++)
        free(p->j[i].out);
    zstate_free(&p->mine);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->j);
    free(p);
}

/* ---- The libzip source of one entry -------------------------------------- */

zip_int64_t prep_zipw_compressed_supports(void)
{
    return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                          ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
                                          ZIP_SOURCE_GET_FILE_ATTRIBUTES, -1);
}

zip_int64_t prep_zipw_compressed_stat(void *data, zip_uint64_t len, zip_uint64_t size,
                                      zip_uint64_t comp_size, zip_uint16_t method,
                                      zip_uint32_t crc, zip_error_t *ze)
{
    if (len < sizeof(zip_stat_t)) {
        zip_error_set(ze, ZIP_ER_INVAL, 0);
        return -1;
    }
    zip_stat_t *st = data;
    zip_stat_init(st);
    st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC;
    st->size = size;
    st->comp_size = comp_size;
    st->comp_method = method;
    st->crc = crc;
    return sizeof(zip_stat_t);
}

int prep_zipw_deflate_attributes(int level, void *data, zip_uint64_t len, zip_error_t *ze)
{
    /* What libzip's own deflate layer says: version 2.0, and the
     * "fast"/"maximum" option bits of general purpose flag 1-2. */
    if (len < sizeof(zip_file_attributes_t)) {
        zip_error_set(ze, ZIP_ER_INVAL, 0);
        return -1;
    }
    zip_file_attributes_t *a = data;
    a->valid |= ZIP_FILE_ATTRIBUTES_VERSION_NEEDED | ZIP_FILE_ATTRIBUTES_GENERAL_PURPOSE_BIT_FLAGS;
    a->version_needed = 20;
    a->general_purpose_bit_mask = 0x0006;
    a->general_purpose_bit_flags = level < 3 ? 2 << 1 : level > 7 ? 1 << 1 : 0;
    return 0;
}

typedef struct {
    prep_zipw_pool *p;
    size_t i;
    size_t pos;
    zip_error_t ze;
} src_ctx;

static zip_int64_t source_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    src_ctx *c = ud;
    switch (cmd) {
    case ZIP_SOURCE_SUPPORTS:
        return prep_zipw_compressed_supports();
    case ZIP_SOURCE_OPEN: {
        job *j = need(c->p, c->i, 1);
        if (j->failed) {
            zip_error_set(&c->ze, ZIP_ER_READ, EIO);
            return -1;
        }
        c->pos = 0;
        return 0;
    }
    case ZIP_SOURCE_READ: {
        job *j = &c->p->j[c->i];
        if (!j->out && j->out_len) {
            zip_error_set(&c->ze, ZIP_ER_INTERNAL, 0);
            return -1;
        }
        size_t n = j->out_len - c->pos;
        if (n > len)
            n = (size_t)len;
        if (n)
            memcpy(data, j->out + c->pos, n);
        c->pos += n;
        return (zip_int64_t)n;
    }
    case ZIP_SOURCE_CLOSE:
        release(c->p, c->i);
        return 0;
    case ZIP_SOURCE_STAT: {
        job *j = need(c->p, c->i, 0);
        if (j->failed) {
            zip_error_set(&c->ze, ZIP_ER_READ, EIO);
            return -1;
        }
        return prep_zipw_compressed_stat(data, len, j->size, j->out_len, ZIP_CM_DEFLATE, j->crc,
                                         &c->ze);
    }
    case ZIP_SOURCE_GET_FILE_ATTRIBUTES:
        return prep_zipw_deflate_attributes(c->p->j[c->i].level, data, len, &c->ze);
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&c->ze, data, len);
    case ZIP_SOURCE_FREE:
        zip_error_fini(&c->ze);
        free(c);
        return 0;
    default:
        zip_error_set(&c->ze, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

zip_source_t *prep_zipw_pool_source(prep_zipw_pool *p, zip_t *za, size_t i)
{
    src_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->p = p;
    c->i = i;
    zip_error_init(&c->ze);
    zip_source_t *s = zip_source_function(za, source_cb, c);
    if (!s) {
        zip_error_fini(&c->ze);
        free(c);
    }
    return s;
}
