/* writer.c — the group-commit writer thread (see writer.h).
 * Durability costs one fsync per batch instead of one per request: under
 * load the queue fills while the previous COMMIT is on its way to the disk,
 * and the next batch takes all of it. No job is reported done before the
 * COMMIT that holds it has returned. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/writer.h"
#include "store/store.h"
#include "util/hash.h"

#define MAX_BATCH 1024

struct prep_writer {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    prep_job *head, *tail;
    int queued;
    int stopping;
    prep_store *st;
    prep_ops ops;
    prep_batch_hook hook;
    void *hook_ctx;
};

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Stored idempotent replies are "<request sha>\n<status>\n<body>". */
int prep_idem_lookup(prep_store *st, prep_job *j, prep_err *err)
{
    int status;
    char *stored = NULL;
    int rc = st->vt->idem_get(st, j->key, &status, &stored, err);
    if (rc != 0)
        return rc;
    int same = strlen(stored) > 65 && strncmp(stored, j->req_sha, 64) == 0 && stored[64] == '\n';
    if (!same) {
        free(stored);
        return prep_fail(err, PREP_E_CONFLICT,
                         "this Idempotency-Key was already used for a different request");
    }
    j->status = status;
    j->reply = strdup(stored + 65);
    j->replayed = 1;
    free(stored);
    return j->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

int prep_idem_record(prep_store *st, const prep_job *j, prep_err *err)
{
    size_t n = strlen(j->reply ? j->reply : "");
    char *rec = malloc(n + 66);
    if (!rec)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    memcpy(rec, j->req_sha, 64);
    rec[64] = '\n';
    memcpy(rec + 65, j->reply ? j->reply : "", n + 1);
    int rc = st->vt->idem_put(st, j->key, j->status, rec, err);
    free(rec);
    return rc;
}

static int run_idem(prep_ops *o, prep_job *j, prep_err *err)
{
    int rc = prep_idem_lookup(o->st, j, err);
    if (rc <= 0)
        return rc;
    if (j->fn(o, j, err) < 0)
        return -1;
    return prep_idem_record(o->st, j, err);
}

static void run_batch(prep_writer *w, prep_job *batch, int n)
{
    prep_store *st = w->st;
    prep_err err = {0};
    int64_t t0 = mono_us();
    int open = prep_store_begin(st, 1, &err) == 0;
    for (prep_job *j = batch; j; j = j->next) {
        if (!open) {
            j->failed = 1;
            j->err = err;
            continue;
        }
        prep_err_clear(&j->err);
        if (st->vt->savepoint(st, &j->err) < 0) {
            j->failed = 1;
            continue;
        }
        int rc = j->key[0] ? run_idem(&w->ops, j, &j->err) : j->fn(&w->ops, j, &j->err);
        if (rc == 0 && st->vt->release(st, &j->err) == 0) {
            j->failed = 0;
        } else {
            st->vt->rollback_to(st);
            j->failed = 1;
            free(j->reply);
            j->reply = NULL;
        }
    }
    if (open && prep_store_commit(st, &err) < 0) {
        /* Nothing of this batch is durable: every job fails, none is acknowledged. */
        for (prep_job *j = batch; j; j = j->next) {
            j->failed = 1;
            j->err = err;
            free(j->reply);
            j->reply = NULL;
        }
    }
    int64_t t1 = mono_us();
    if (w->hook)
        w->hook(w->hook_ctx, n, t1 - t0);
    for (prep_job *j = batch, *next; j; j = next) {
        next = j->next;
        j->next = NULL;
        if (j->done)
            j->done(j);
    }
}

static void *writer_main(void *arg)
{
    prep_writer *w = arg;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->head && !w->stopping)
            pthread_cond_wait(&w->cv, &w->mu);
        if (!w->head && w->stopping) {
            pthread_mutex_unlock(&w->mu);
            break;
        }
        prep_job *batch = w->head, *last = w->head;
        int n = 1;
        while (last->next && n < MAX_BATCH) {
            last = last->next;
            n++;
        }
        w->head = last->next;
        if (!w->head)
            w->tail = NULL;
        last->next = NULL;
        w->queued -= n;
        pthread_mutex_unlock(&w->mu);
        run_batch(w, batch, n);
    }
    return NULL;
}

int prep_writer_start(const char *datadir, const prep_catalog *cat, prep_batch_hook hook,
                      void *hook_ctx, prep_writer **out, prep_err *err)
{
    prep_writer *w = calloc(1, sizeof *w);
    if (!w)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    if (prep_store_open(datadir, &w->st, err) < 0) {
        free(w);
        return -1;
    }
    w->ops.st = w->st;
    w->ops.cat = cat;
    w->hook = hook;
    w->hook_ctx = hook_ctx;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        prep_store_close(w->st);
        free(w);
        return prep_fail(err, PREP_E_IO, "cannot start the writer thread");
    }
    *out = w;
    return 0;
}

int prep_writer_submit(prep_writer *w, prep_job *job, prep_err *err)
{
    job->next = NULL;
    job->reply = NULL;
    job->failed = 0;
    job->replayed = 0;
    pthread_mutex_lock(&w->mu);
    if (w->stopping) {
        pthread_mutex_unlock(&w->mu);
        return prep_fail(err, PREP_E_IO, "the server is shutting down");
    }
    if (w->tail)
        w->tail->next = job;
    else
        w->head = job;
    w->tail = job;
    w->queued++;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int done;
} sync_wait;

static void sync_done(prep_job *j)
{
    sync_wait *s = j->done_ctx;
    pthread_mutex_lock(&s->mu);
    s->done = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

int prep_writer_run(prep_writer *w, prep_job *job, prep_err *err)
{
    sync_wait s = {.done = 0};
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    job->done = sync_done;
    job->done_ctx = &s;
    int rc = prep_writer_submit(w, job, err);
    if (rc == 0) {
        pthread_mutex_lock(&s.mu);
        while (!s.done)
            pthread_cond_wait(&s.cv, &s.mu);
        pthread_mutex_unlock(&s.mu);
        if (job->failed) {
            if (err)
                *err = job->err;
            rc = -1;
        }
    }
    pthread_mutex_destroy(&s.mu);
    pthread_cond_destroy(&s.cv);
    return rc;
}

int prep_writer_backlog(prep_writer *w)
{
    pthread_mutex_lock(&w->mu);
    int n = w->queued;
    pthread_mutex_unlock(&w->mu);
    return n;
}

void prep_writer_stop(prep_writer *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    w->stopping = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    prep_store_close(w->st);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
}
