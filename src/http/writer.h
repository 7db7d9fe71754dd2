/* writer.h — group commit: the one thread that writes to the store.
 * Request threads hand it jobs; it takes every job queued, opens one write
 * transaction, runs each job in its own savepoint (a failing job rolls back
 * only itself and gets its own error), commits once (one fsync for the whole
 * batch) and only then reports each job done. Does not know about HTTP. */
#ifndef PREP_WRITER_H
#define PREP_WRITER_H

#include <stdint.h>

#include "core/catalog.h"
#include "ops/ops.h"
#include "store/store.h"
#include "util/err.h"

typedef struct prep_job prep_job;
typedef struct prep_writer prep_writer;

/* Runs inside the job's savepoint. Returns 0 with job->status and
 * job->reply (malloc'd JSON text) set, or -1 with err (nothing it wrote stays). */
typedef int (*prep_job_fn)(prep_ops *o, prep_job *job, prep_err *err);

struct prep_job {
    prep_job_fn fn;
    void *arg;
    /* Idempotency: when key[0], a stored reply for key is returned instead of
     * running fn, provided it was stored for the same request (req_sha);
     * a successful reply is stored under key in the same transaction. */
    char key[160];
    char req_sha[65];
    /* Results. */
    int status;
    char *reply;
    int failed;
    prep_err err;
    int replayed;            /* reply came from the idempotency store */
    /* Completion: called by the writer thread after the commit (or failure). */
    void (*done)(prep_job *);
    void *done_ctx;
    prep_job *next;
};

/* The idempotency store, for work done outside the writer (cortes):
 * lookup returns 0 with job->status/reply replayed when job->key was stored
 * for the same request, 1 when the key is new, -1 (PREP_E_CONFLICT) when it
 * was used for a different request; record stores job's reply under its key. */
int prep_idem_lookup(prep_store *st, prep_job *job, prep_err *err);
int prep_idem_record(prep_store *st, const prep_job *job, prep_err *err);

/* Batch sizes are reported through this hook (may be NULL). */
typedef void (*prep_batch_hook)(void *ctx, int jobs, int64_t commit_us);

int prep_writer_start(const char *datadir, const prep_catalog *cat, prep_batch_hook hook,
                      void *hook_ctx, prep_writer **out, prep_err *err);
/* Queue a job; -1 (PREP_E_IO) once the writer is stopping. */
int prep_writer_submit(prep_writer *w, prep_job *job, prep_err *err);
/* Queue a job and wait for it (job->done must be NULL). */
int prep_writer_run(prep_writer *w, prep_job *job, prep_err *err);
/* Jobs queued and not yet taken. */
int prep_writer_backlog(prep_writer *w);
/* Finish every queued job, then stop the thread and close its store. */
void prep_writer_stop(prep_writer *w);

#endif
