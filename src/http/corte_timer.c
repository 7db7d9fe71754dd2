/* corte_timer.c — the corte thread of `prep serve`: automatic cortes every
 * --corte-every minutes, and the cortes an administrator asks for with
 * POST /api/v1/cortes. One thread with its own store connection runs
 * prep_corte_run() (src/publish), exactly what `prep corte` does, so API and
 * timer cortes never overlap; the first automatic corte is due one interval
 * after start (0 = no automatic cortes, the thread only serves requests). The
 * cadence is written to the store (corte.cada_min) so every corte's site
 * announces when the next one is due. After the final corte the timer stops;
 * requests are still answered (with the corte's refusal). A failed corte is
 * reported on stderr and in /metrics, and retried at the next tick; it never
 * stops the API. With several nodes on one store, a tick that finds the corte
 * lock held by another node is skipped (prep_cortes_skipped_total): one node
 * publishes, the others wait for the next tick. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/internal.h"
#include "publish/corte.h"

static int timed_corte(prep_server *s, prep_store *st, int final, prep_corte_info *info,
                       prep_err *err)
{
    int64_t t0 = prep_mono_us();
    if (prep_corte_run(s->datadir, st, &s->cat, final, info, err) < 0) {
        /* Busy = another node (or `prep corte`) holds the corte lock. */
        if (err->code == PREP_E_CONFLICT)
            __atomic_fetch_add(&s->metrics.cortes_skipped, 1, __ATOMIC_RELAXED);
        else
            __atomic_fetch_add(&s->metrics.cortes_failed, 1, __ATOMIC_RELAXED);
        return -1;
    }
    __atomic_fetch_add(&s->metrics.cortes, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&s->metrics.corte_last_ms, (prep_mono_us() - t0) / 1000, __ATOMIC_RELAXED);
    return 0;
}

static void automatic_corte(prep_server *s, prep_store *st, int *closed)
{
    prep_err err = {0};
    char fin[32];
    if (st->vt->meta_get(st, PREP_META_CORTE_FINAL, fin, sizeof fin, NULL) == 0) {
        fprintf(stderr, "prep serve: corte %s was the final corte; no more automatic cortes\n",
                fin);
        *closed = 1;
        return;
    }
    prep_corte_info info;
    if (timed_corte(s, st, 0, &info, &err) == 0)
        fprintf(stderr, "prep serve: corte %d published: cortes/%s (%lld actas)\n", info.numero,
                info.dir, (long long)info.actas);
    else if (err.code == PREP_E_CONFLICT)
        fprintf(stderr, "prep serve: automatic corte skipped: %s\n", err.msg);
    else
        fprintf(stderr, "prep serve: automatic corte failed (retried in %d min): %s\n",
                s->cfg.corte_every, err.msg);
}

typedef struct {
    const prep_actor *actor;
    const prep_corte_info *info;
    prep_job *job;
} asked_ctx;

/* Who asked for the corte goes into the bitácora (the corte's own entry is
 * the system's), with the stored reply of its Idempotency-Key. */
static int log_asked(prep_ops *o, void *ctx, prep_err *err)
{
    asked_ctx *a = ctx;
    char object[32], after[512];
    snprintf(object, sizeof object, "corte/%d", a->info->numero);
    snprintf(after, sizeof after,
             "{\"numero\":%d,\"final\":%s,\"dir\":\"%s\",\"manifest_sha256\":\"%s\"}",
             a->info->numero, a->info->final ? "true" : "false", a->info->dir,
             a->info->manifest_sha);
    if (prep_ops_log(o, a->actor, prep_now(), "corte.solicitado", object, "", after, err) < 0)
        return -1;
    return a->job->key[0] ? prep_idem_record(o->st, a->job, err) : 0;
}

static int asked_corte(prep_server *s, prep_store *st, prep_req *r, prep_err *err)
{
    prep_job *j = &r->job;
    if (j->key[0]) {
        int rc = prep_idem_lookup(st, j, err);
        if (rc <= 0)
            return rc;
    }
    prep_corte_info info;
    if (timed_corte(s, st, r->corte_final, &info, err) < 0)
        return -1;
    j->status = 201;
    j->reply = json_dump(json_pack("{s:o}", "corte", corte_to_json(&info)));
    if (!j->reply)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    fprintf(stderr, "prep serve: corte %d published on request of %s: cortes/%s\n", info.numero,
            r->caller.u.nombre, info.dir);
    prep_ops o = {.st = st, .cat = &s->cat};
    asked_ctx a = {&r->caller.actor, &info, j};
    return prep_ops_tx(&o, log_asked, &a, err);
}

static void answer(prep_req *r, int failed)
{
    r->job.failed = failed;
    if (failed) {
        free(r->job.reply);
        r->job.reply = NULL;
    }
    __atomic_store_n(&r->job_done, 1, __ATOMIC_RELEASE);
    MHD_resume_connection(r->conn);
}

static prep_req *pop(prep_server *s)
{
    prep_req *r = s->corte_head;
    if (r) {
        s->corte_head = r->corte_next;
        if (!s->corte_head)
            s->corte_tail = NULL;
        r->corte_next = NULL;
    }
    return r;
}

static void *corte_main(void *arg)
{
    prep_server *s = arg;
    prep_err open_err = {0};
    prep_store *st = NULL;
    if (prep_store_open(s->datadir, &st, &open_err) < 0)
        fprintf(stderr, "prep serve: cortes disabled: %s\n", open_err.msg);
    int64_t every_s = (int64_t)s->cfg.corte_every * 60;
    int closed = every_s <= 0;
    struct timespec due;
    clock_gettime(CLOCK_MONOTONIC, &due);
    due.tv_sec += every_s;
    pthread_mutex_lock(&s->corte_mu);
    while (s->corte_running) {
        prep_req *r = pop(s);
        if (r) {
            pthread_mutex_unlock(&s->corte_mu);
            prep_err *err = &r->job.err;
            int rc = st ? asked_corte(s, st, r, err) : (*err = open_err, -1);
            answer(r, rc < 0);
            pthread_mutex_lock(&s->corte_mu);
            continue;
        }
        int rc = closed || !st ? pthread_cond_wait(&s->corte_cv, &s->corte_mu)
                               : pthread_cond_timedwait(&s->corte_cv, &s->corte_mu, &due);
        if (!s->corte_running || rc != ETIMEDOUT)
            continue;
        pthread_mutex_unlock(&s->corte_mu);
        automatic_corte(s, st, &closed);
        /* Next one on the grid from start, skipping ticks a slow corte missed. */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        while (due.tv_sec <= now.tv_sec)
            due.tv_sec += every_s;
        pthread_mutex_lock(&s->corte_mu);
    }
    /* Stopping: whoever still waits is told so. */
    for (prep_req *r; (r = pop(s));) {
        prep_fail(&r->job.err, PREP_E_IO, "the server is shutting down; no corte was taken");
        answer(r, 1);
    }
    pthread_mutex_unlock(&s->corte_mu);
    if (st)
        prep_store_close(st);
    return NULL;
}

void corte_request(prep_req *r, int final)
{
    prep_server *s = r->srv;
    r->corte_final = final;
    r->corte_next = NULL;
    if (s->stopping)
        return reply_errf(r, PREP_E_IO, "the server is shutting down; no corte was taken");
    r->waiting = 1;
    MHD_suspend_connection(r->conn);
    pthread_mutex_lock(&s->corte_mu);
    if (!s->corte_running || s->stopping) {
        pthread_mutex_unlock(&s->corte_mu);
        prep_fail(&r->job.err, PREP_E_IO, "the server is shutting down; no corte was taken");
        answer(r, 1);
        return;
    }
    if (s->corte_tail)
        s->corte_tail->corte_next = r;
    else
        s->corte_head = r;
    s->corte_tail = r;
    pthread_cond_signal(&s->corte_cv);
    pthread_mutex_unlock(&s->corte_mu);
}

int corte_timer_start(prep_server *s, prep_err *err)
{
    s->corte_running = 1;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->corte_cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&s->corte_mu, NULL);
    int rc = pthread_create(&s->corte_thread, NULL, corte_main, s);
    if (rc != 0) {
        s->corte_running = 0;
        return prep_fail(err, PREP_E_IO, "cannot start the corte thread: %s", strerror(rc));
    }
    return 0;
}

void corte_timer_stop(prep_server *s)
{
    if (!s->corte_running)
        return;
    pthread_mutex_lock(&s->corte_mu);
    s->corte_running = 0;
    pthread_cond_signal(&s->corte_cv);
    pthread_mutex_unlock(&s->corte_mu);
    pthread_join(s->corte_thread, NULL);
    pthread_cond_destroy(&s->corte_cv);
    pthread_mutex_destroy(&s->corte_mu);
}
