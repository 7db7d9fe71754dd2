/* corte_timer.c — automatic cortes every --corte-every minutes inside
 * `prep serve`. One thread with its own store connection sleeps until the
 * next corte is due and runs prep_corte_run() (src/publish), exactly what
 * `prep corte` does; the first corte is due one interval after start. The
 * cadence is written to the store (corte.cada_min) so every corte's site
 * announces when the next one is due. After the final corte (taken by hand
 * or by `prep ceremony close`) the thread stops trying. A failed corte is
 * reported on stderr and in /metrics, and retried at the next tick; it never
 * stops the API. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "http/internal.h"
#include "publish/corte.h"

static void *corte_main(void *arg)
{
    prep_server *s = arg;
    prep_err err = {0};
    prep_store *st = NULL;
    if (prep_store_open(s->datadir, &st, &err) < 0) {
        fprintf(stderr, "prep serve: automatic cortes disabled: %s\n", err.msg);
        return NULL;
    }
    int64_t every_s = (int64_t)s->cfg.corte_every * 60;
    struct timespec due;
    clock_gettime(CLOCK_MONOTONIC, &due);
    due.tv_sec += every_s;
    pthread_mutex_lock(&s->corte_mu);
    while (s->corte_running) {
        int rc = pthread_cond_timedwait(&s->corte_cv, &s->corte_mu, &due);
        if (!s->corte_running)
            break;
        if (rc != ETIMEDOUT)
            continue;
        pthread_mutex_unlock(&s->corte_mu);
        char fin[32];
        if (st->vt->meta_get(st, PREP_META_CORTE_FINAL, fin, sizeof fin, NULL) == 0) {
            fprintf(stderr, "prep serve: corte %s was the final corte; no more automatic cortes\n",
                    fin);
            pthread_mutex_lock(&s->corte_mu);
            break;
        }
        prep_corte_info info;
        int64_t t0 = prep_mono_us();
        memset(&err, 0, sizeof err);
        if (prep_corte_run(s->datadir, st, &s->cat, 0, &info, &err) < 0) {
            __atomic_fetch_add(&s->metrics.cortes_failed, 1, __ATOMIC_RELAXED);
            fprintf(stderr, "prep serve: automatic corte failed (retried in %d min): %s\n",
                    s->cfg.corte_every, err.msg);
        } else {
            __atomic_fetch_add(&s->metrics.cortes, 1, __ATOMIC_RELAXED);
            __atomic_store_n(&s->metrics.corte_last_ms, (prep_mono_us() - t0) / 1000,
                             __ATOMIC_RELAXED);
            fprintf(stderr, "prep serve: corte %d published: cortes/%s (%lld actas)\n",
                    info.numero, info.dir, (long long)info.actas);
        }
        /* Next one on the grid from start, skipping ticks a slow corte missed. */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        while (due.tv_sec <= now.tv_sec)
            due.tv_sec += every_s;
        pthread_mutex_lock(&s->corte_mu);
    }
    pthread_mutex_unlock(&s->corte_mu);
    prep_store_close(st);
    return NULL;
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
