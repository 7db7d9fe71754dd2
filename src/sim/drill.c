/* drill.c — the conductor of `prep simulate`: prepares the data directory,
 * the truth, the accounts and our server (setup.c), lays out the night's
 * schedule (casilla photos, paquetes reaching the CATD, fuera de catálogo),
 * starts the virtual operators (workers.c), takes intermediate cortes and
 * watches for stalls, then takes the final corte, compares it with the truth
 * (compare.c) and writes the report (report.c). It prints nothing: the CLI
 * draws what the say/progress callbacks tell it. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/acta.h"
#include "sim/drill_internal.h"
#include "util/hash.h"

/* ---- helpers shared with workers.c ------------------------------------------ */

int64_t sim_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int32_t sim_ms(sim_drill *d)
{
    return (int32_t)((sim_now_us() - d->t0_us) / 1000);
}

void sim_sleep_ms(long ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
    }
}

/* The report's time axis: virtual night seconds when paced, else drill seconds. */
static int hist_second(sim_drill *d, int64_t at_us)
{
    double s = (double)(at_us - d->t0_us) / 1e6;
    if (d->pace > 0)
        s *= d->pace;
    if (s < 0)
        s = 0;
    return s >= HIST_SECONDS ? HIST_SECONDS - 1 : (int)s;
}

void sim_hist_add(sim_drill *d, int phase)
{
    d->hist[(size_t)phase * HIST_SECONDS + (size_t)hist_second(d, sim_now_us())]++;
}

void sim_note_progress(sim_drill *d)
{
    d->last_progress_us = sim_now_us();
}

void sim_unexpected(sim_drill *d, const char *fmt, ...)
{
    d->unexpected++;
    pthread_mutex_lock(&d->msgmu);
    if (d->nerrors < (int)(sizeof d->first_errors / sizeof d->first_errors[0])) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->first_errors[d->nerrors++], sizeof d->first_errors[0], fmt, ap);
        va_end(ap);
    }
    pthread_mutex_unlock(&d->msgmu);
}

void sim_wait_virtual(sim_drill *d, int32_t t)
{
    if (d->pace <= 0)
        return;
    int64_t target = d->t0_us + (int64_t)((double)t * 1e6 / d->pace);
    for (;;) {
        int64_t now = sim_now_us();
        if (now >= target || d->stop)
            break;
        int64_t left = (target - now) / 1000;
        sim_sleep_ms(left > 200 ? 200 : left + 1);
        sim_note_progress(d); /* waiting for the schedule is not a stall */
    }
}

void sim_scan_push(sim_drill *d, int e, int c)
{
    pthread_mutex_lock(&d->qmu);
    if (d->qtail < d->qcap)
        d->scanq[d->qtail++] = e * d->cat->ncasillas + c;
    pthread_cond_signal(&d->qcv);
    pthread_mutex_unlock(&d->qmu);
}

int sim_scan_pop(sim_drill *d)
{
    int j = -1;
    pthread_mutex_lock(&d->qmu);
    while (d->qhead == d->qtail && d->acopio_left > 0 && !d->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 200 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&d->qcv, &d->qmu, &ts);
    }
    if (d->qhead < d->qtail)
        j = d->scanq[d->qhead++];
    pthread_mutex_unlock(&d->qmu);
    return j;
}

/* ---- the schedule of the night ------------------------------------------------ */

static int by_time(const void *a, const void *b)
{
    const sim_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->c < y->c ? -1 : x->c > y->c;
}

static int build_schedule(sim_drill *d, prep_err *err)
{
    const prep_catalog *cat = d->cat;
    const sim_truth *t = &d->truth;
    int n = cat->ncasillas;
    d->fotos = calloc((size_t)n + 1, sizeof *d->fotos);
    d->llegadas = calloc((size_t)n + (size_t)t->nfuera + 1, sizeof *d->llegadas);
    if (!d->fotos || !d->llegadas)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    for (int c = 0; c < n; c++) {
        if (t->cas[c].t_photo >= 0)
            d->fotos[d->nfotos++] = (sim_event){c, t->cas[c].t_photo};
        if (t->cas[c].t_arrival >= 0)
            d->llegadas[d->nllegadas++] = (sim_event){c, t->cas[c].t_arrival};
    }
    for (int i = 0; i < t->nfuera; i++)
        d->llegadas[d->nllegadas++] = (sim_event){-1 - i, t->fuera[i].t};
    qsort(d->fotos, (size_t)d->nfotos, sizeof *d->fotos, by_time);
    qsort(d->llegadas, (size_t)d->nllegadas, sizeof *d->llegadas, by_time);
    int64_t objetivo = 0;
    for (int e = 0; e < cat->nelecciones; e++)
        for (int c = 0; c < n; c++) {
            sim_expect x;
            sim_expect_acta(t, e, c, &x);
            objetivo += x.kind == SIM_EXP_PUBLICADA;
        }
    d->objetivo = objetivo;
    return 0;
}

static int alloc_state(sim_drill *d, prep_err *err)
{
    const prep_catalog *cat = d->cat;
    size_t n = (size_t)cat->ncasillas;
    for (int e = 0; e < cat->nelecciones; e++) {
        d->st[e] = calloc(n + 1, sizeof *d->st[e]);
        if (!d->st[e])
            return prep_fail(err, PREP_E_NOMEM, "out of memory");
        for (size_t c = 0; c < n; c++)
            d->st[e][c].ms_foto = d->st[e][c].ms_acopio = d->st[e][c].ms_verif = -1;
    }
    d->qcap = cat->nelecciones * cat->ncasillas;
    d->scanq = calloc((size_t)d->qcap + 1, sizeof *d->scanq);
    d->hist = calloc((size_t)PH__COUNT * HIST_SECONDS, sizeof *d->hist);
    if (!d->scanq || !d->hist)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    return 0;
}

static void drill_free(sim_drill *d)
{
    for (int e = 0; e < PREP_MAX_ELECCIONES; e++)
        free(d->st[e]);
    free(d->scanq);
    free(d->hist);
    free(d->fotos);
    free(d->llegadas);
    free(d->cap_count);
    free(d->ver_count);
    free(d->cortes);
    sim_accounts_free(&d->acc);
    sim_truth_free(&d->truth);
    if (d->cat == &d->catbuf)
        prep_catalog_free(&d->catbuf);
    pthread_mutex_destroy(&d->qmu);
    pthread_cond_destroy(&d->qcv);
    pthread_mutex_destroy(&d->msgmu);
    pthread_mutex_destroy(&d->cmu);
    free(d);
}

/* ---- talking to the CLI --------------------------------------------------------- */

static void say(sim_drill *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(sim_drill *d, const char *fmt, ...)
{
    if (!d->o->say)
        return;
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    d->o->say(d->o->ctx, msg);
}

static void progress(sim_drill *d, int64_t start_us, const char *fase)
{
    if (!d->o->progress)
        return;
    int64_t esperadas = d->cat ? (int64_t)d->cat->ncasillas * d->cat->nelecciones : 0;
    sim_progress p = {.elapsed_s = (double)(sim_now_us() - start_us) / 1e6,
                      .esperadas = esperadas,
                      .registradas = d->registradas,
                      .capturas = d->capturas,
                      .verificadas = d->verificadas,
                      .objetivo = d->objetivo,
                      .cortes = d->ncortes,
                      .fase = fase};
    d->o->progress(d->o->ctx, &p);
}

/* ---- cortes ------------------------------------------------------------------- */

/* Which actas this corte published, as far as the client can tell: those
 * verified before it started and not published by an earlier one. */
static void mark_published(sim_drill *d, const sim_corte_rec *rec)
{
    const prep_catalog *cat = d->cat;
    int64_t newly = 0;
    for (int e = 0; e < cat->nelecciones; e++)
        for (int c = 0; c < cat->ncasillas; c++) {
            sim_acta_st *s = &d->st[e][c];
            int32_t v = s->ms_verif;
            if (!s->pub && v >= 0 && v < rec->at_ms) {
                s->pub = rec->numero > 0 ? rec->numero : d->ncortes + 1;
                newly++;
            }
        }
    size_t sec = (size_t)hist_second(d, d->t0_us + rec->at_ms * 1000);
    d->hist[(size_t)PH_PUBLICACION * HIST_SECONDS + sec] += (int32_t)newly;
}

static int take_corte(sim_drill *d, int final, prep_err *err)
{
    sim_corte_rec rec;
    if (sim_corte_take(d, final, &rec, err) < 0)
        return -1;
    mark_published(d, &rec);
    pthread_mutex_lock(&d->cmu);
    if (d->ncortes == d->capcortes) {
        int nc = d->capcortes ? d->capcortes * 2 : 32;
        sim_corte_rec *x = realloc(d->cortes, (size_t)nc * sizeof *x);
        if (!x) {
            pthread_mutex_unlock(&d->cmu);
            return prep_fail(err, PREP_E_NOMEM, "out of memory");
        }
        d->cortes = x;
        d->capcortes = nc;
    }
    d->cortes[d->ncortes++] = rec;
    pthread_mutex_unlock(&d->cmu);
    say(d, "%s %d publicado en %.1f s: %s", final ? "corte final" : "corte", rec.numero,
        rec.seconds, rec.dir);
    return 0;
}

/* ---- threads ------------------------------------------------------------------ */

typedef struct {
    pthread_t *tid;
    sim_worker *w;
    int n, cap;
} crew;

static int crew_start(crew *k, sim_drill *d, void *(*fn)(void *), int index, int account,
                      prep_err *err)
{
    if (k->n == k->cap)
        return prep_fail(err, PREP_E_NOMEM, "too many threads");
    sim_worker *w = &k->w[k->n];
    *w = (sim_worker){.d = d, .index = index, .account = account};
    int rc = pthread_create(&k->tid[k->n], NULL, fn, w);
    if (rc != 0)
        return prep_fail(err, PREP_E_NOMEM, "cannot start a thread: %s", strerror(rc));
    k->n++;
    return 0;
}

static void crew_join(crew *k)
{
    for (int i = 0; i < k->n; i++)
        pthread_join(k->tid[i], NULL);
    k->n = 0;
}

/* Thread counts: producers scale gently with the catalog, operators are the
 * accounts this drill planned (setup.c). */
static void plan_threads(sim_drill *d)
{
    /* Every write waits for its group commit (an fsync), so throughput is
     * requests in flight over commit latency: keep a few of each in flight. */
    int big = d->cat->ncasillas > 20000, mid = d->cat->ncasillas > 2000;
    d->ncae_t = big ? 6 : mid ? 5 : 4;
    d->nacopio_t = big ? 6 : mid ? 5 : 4;
    d->nescaneo_t = big ? 6 : mid ? 5 : 4;
    int ops = d->o->operators;
    int ncap = ops - ops / 3, nver = ops / 3;
    if (nver < 1)
        nver = 1;
    if (ncap < 2)
        ncap = 2;
    d->ncap_t = ncap < d->acc.ncap ? ncap : d->acc.ncap;
    d->nver_t = nver < d->acc.nver ? nver : d->acc.nver;
}

static int start_threads(sim_drill *d, crew *k, prep_err *err)
{
    int total = d->ncae_t + d->nacopio_t + d->nescaneo_t + d->ncap_t + d->nver_t;
    k->tid = calloc((size_t)total, sizeof *k->tid);
    k->w = calloc((size_t)total, sizeof *k->w);
    d->cap_count = calloc((size_t)d->ncap_t + 1, sizeof *d->cap_count);
    d->ver_count = calloc((size_t)d->nver_t + 1, sizeof *d->ver_count);
    if (!k->tid || !k->w || !d->cap_count || !d->ver_count)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    k->cap = total;
    d->producers_left = d->ncae_t + d->nacopio_t + d->nescaneo_t;
    d->acopio_left = d->nacopio_t;
    int rc = 0;
    for (int i = 0; rc == 0 && i < d->ncae_t; i++)
        rc = crew_start(k, d, sim_cae_thread, i, -1, err);
    for (int i = 0; rc == 0 && i < d->nacopio_t; i++)
        rc = crew_start(k, d, sim_acopio_thread, i, -1, err);
    for (int i = 0; rc == 0 && i < d->nescaneo_t; i++)
        rc = crew_start(k, d, sim_escaneo_thread, i, -1, err);
    for (int i = 0; rc == 0 && i < d->ncap_t; i++)
        rc = crew_start(k, d, sim_captura_thread, i, d->acc.cap[i], err);
    for (int i = 0; rc == 0 && i < d->nver_t; i++)
        rc = crew_start(k, d, sim_verificacion_thread, i, d->acc.ver[i], err);
    if (rc < 0) {
        /* Threads that never started still count as producers: settle the
         * counters so those that did start can finish, then wait for them. */
        d->stop = 1;
        crew_join(k);
    }
    return rc;
}

/* ---- the night ------------------------------------------------------------------ */

static int night_over(sim_drill *d)
{
    return d->producers_left == 0 && d->verificadas >= d->objetivo;
}

/* Seconds between intermediate cortes unless --corte-every says: 60, and
 * 300 for a national-size catálogo. A national corte costs about 40 s of a
 * core alone and 75 s under the drill's load (docs/benchmarks.md): every
 * minute, the drill would spend over half a core publishing, eight times
 * the share of the real night (a corte every 10 minutes), and measure its
 * cortes more than its operators. Every 5 minutes a 30-minute drill still
 * takes about six. */
int sim_corte_every_default(const prep_catalog *cat)
{
    return cat->ncasillas > SIM_NATIONAL_CASILLAS ? 300 : 60;
}

static int corte_interval_ms(sim_drill *d)
{
    return (d->o->corte_every_s > 0 ? d->o->corte_every_s : sim_corte_every_default(d->cat)) *
           1000;
}

static int run_night(sim_drill *d, int64_t start_us, prep_err *err)
{
    int every = corte_interval_ms(d);
    int stall_s = d->o->stall_s > 0 ? d->o->stall_s : 120;
    int64_t next_corte = d->t0_us + (int64_t)every * 1000;
    int half_done = 0;
    while (!night_over(d)) {
        sim_sleep_ms(100);
        progress(d, start_us, "noche");
        int64_t now = sim_now_us();
        /* An intermediate corte on the clock, and one at half way so even a
         * short drill publishes before its final corte. */
        int half = !half_done && d->ncortes == 0 && d->verificadas * 2 >= d->objetivo;
        if (now >= next_corte || half) {
            half_done = 1;
            if (take_corte(d, 0, err) < 0)
                return -1;
            next_corte = sim_now_us() + (int64_t)every * 1000;
            sim_note_progress(d); /* the corte's own time is not the drill's stall */
            continue;
        }
        if (now - d->last_progress_us > (int64_t)stall_s * 1000000) {
            d->stalled = 1;
            sim_unexpected(d, "no progress for %d s: %lld of %lld actas verified, %d producer "
                              "threads still running",
                           stall_s, (long long)d->verificadas, (long long)d->objetivo,
                           (int)d->producers_left);
            break;
        }
    }
    return 0;
}

/* ---- comparison hook ---------------------------------------------------------- */

static const char *active_sha(void *ctx, int e, int c, int *origen, int *dig)
{
    sim_drill *d = ctx;
    sim_acta_st *s = &d->st[e][c];
    uint8_t f = s->flags;
    if (f & A_ACTIVA_FOTO) {
        prep_hex(s->foto_sha, 32, d->active_hex);
        *origen = PREP_ORIGEN_CASILLA;
        *dig = PREP_DIG_MOVIL;
        return d->active_hex;
    }
    if (f & A_ACTIVA_ESCANEO) {
        prep_hex(s->escaneo_sha, 32, d->active_hex);
        *origen = PREP_ORIGEN_CATD;
        *dig = PREP_DIG_ESCANER;
        return d->active_hex;
    }
    return NULL;
}

/* ---- the drill ------------------------------------------------------------------ */

static void report_dir_name(sim_drill *d)
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(d->report_dir, sizeof d->report_dir, "%.400s/simulacros/%s-semilla%llu", d->data,
             stamp, (unsigned long long)d->o->seed);
}

static int prepare(sim_drill *d, int64_t start_us, prep_err *err)
{
    const sim_drill_opts *o = d->o;
    progress(d, start_us, "preparando");
    if (sim_setup_datadir(d, err) < 0)
        return -1;
    say(d, "catálogo: %d casillas, %d elecciones, %d CATD", d->cat->ncasillas,
        d->cat->nelecciones, d->cat->ncatd);
    if (sim_truth_build(d->cat, o->seed, &o->faults, &d->truth, err) < 0)
        return -1;
    if (sim_truth_ties(&d->truth, o->ties, err) < 0)
        return -1;
    int small = o->small_images >= 0 ? o->small_images : d->cat->ncasillas > SIM_NATIONAL_CASILLAS;
    d->ropts.small = small;
    if (build_schedule(d, err) < 0 || alloc_state(d, err) < 0)
        return -1;
    if (!o->check_dir && sim_accounts_load_or_create(d, err) < 0)
        return -1;
    if (o->setup_only || o->print_dir || o->check_dir)
        return 0;
    if (!o->login_http && sim_sessions_provision(d, err) < 0)
        return -1;
    if (o->url) {
        snprintf(d->base, sizeof d->base, "%s", o->url);
    } else {
        if (sim_server_start(d, err) < 0)
            return -1;
        d->own_server = 1;
    }
    say(d, "servidor: %s (informe en %s)", d->base, d->report_dir);
    d->setup_s = (double)(sim_now_us() - start_us) / 1e6;
    return 0;
}

int sim_drill_run(const sim_drill_opts *o, sim_drill_result *res, prep_err *err)
{
    memset(res, 0, sizeof *res);
    if (!o->data || !o->data[0])
        return prep_fail(err, PREP_E_INVALID,
                         "a drill needs the server's data directory (--data), also with --url: "
                         "it takes its cortes with prep corte there");
    sim_drill *d = calloc(1, sizeof *d);
    if (!d)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    d->o = o;
    d->pace = o->pace;
    pthread_mutex_init(&d->qmu, NULL);
    pthread_cond_init(&d->qcv, NULL);
    pthread_mutex_init(&d->msgmu, NULL);
    pthread_mutex_init(&d->cmu, NULL);
    snprintf(d->data, sizeof d->data, "%s", o->data);
    report_dir_name(d);
    int64_t start_us = sim_now_us();
    int rc = sim_http_global_init(err);
    int http_up = rc == 0;
    if (rc == 0)
        rc = prepare(d, start_us, err);
    crew k = {0};
    if (rc == 0 && o->check_dir) {
        /* A paper drill's corte: the same comparison as a drill's final
         * corte, without what only the drill knows (which image it sent). */
        say(d, "comparando %s con la verdad de la semilla %llu", o->check_dir,
            (unsigned long long)o->seed);
        sim_compare_hooks h = {0};
        rc = sim_compare_corte(&d->truth, o->check_dir, &h, &res->cmp, err);
        res->ok = rc == 0 && res->cmp.ndiffs == 0;
        sim_http_global_cleanup();
        drill_free(d);
        return rc;
    }
    if (rc == 0 && (o->setup_only || o->print_dir)) {
        if (o->print_dir) {
            say(d, "imprimiendo las actas en %s (PDF, carta)", o->print_dir);
            rc = sim_print_all(&d->truth, o->print_dir, 2, &res->print, err);
            sim_render_cleanup();
        }
        res->ok = rc == 0;
        snprintf(res->report_dir, sizeof res->report_dir, "%s", d->report_dir);
        sim_http_global_cleanup();
        drill_free(d);
        return rc;
    }
    if (rc == 0) {
        plan_threads(d);
        say(d, "noche: %lld actas por verificar; %d CAE, %d acopio, %d digitalización, %d "
               "capturistas, %d verificadores (hilos)%s",
            (long long)d->objetivo, d->ncae_t, d->nacopio_t, d->nescaneo_t, d->ncap_t, d->nver_t,
            d->pace > 0 ? ", a ritmo" : "");
        d->t0_us = sim_now_us();
        d->last_progress_us = d->t0_us;
        rc = start_threads(d, &k, err);
    }
    if (rc == 0) {
        rc = run_night(d, start_us, err);
        d->stop = 1;
        pthread_mutex_lock(&d->qmu);
        pthread_cond_broadcast(&d->qcv);
        pthread_mutex_unlock(&d->qmu);
        crew_join(&k);
        d->night_s = (double)(sim_now_us() - d->t0_us) / 1e6;
    }
    free(k.tid);
    free(k.w);
    if (rc == 0) {
        progress(d, start_us, "corte final");
        int64_t t = sim_now_us();
        rc = take_corte(d, 1, err);
        d->final_s = (double)(sim_now_us() - t) / 1e6;
    }
    if (rc == 0) {
        progress(d, start_us, "comparando");
        int64_t t = sim_now_us();
        sim_compare_hooks h = {.active_sha = active_sha, .ctx = d};
        h.tamper = o->test_fault && strcmp(o->test_fault, "tamper-csv") == 0;
        rc = sim_compare_corte(&d->truth, d->cortes[d->ncortes - 1].dir, &h, &res->cmp, err);
        d->compare_s = (double)(sim_now_us() - t) / 1e6;
    }
    d->wall_s = (double)(sim_now_us() - start_us) / 1e6;
    if (d->own_server) {
        sim_server_note_rss(d);
        if (rc == 0 && o->keep_serving)
            res->server_pid = d->server_pid;
        else if (sim_server_stop(d) < 0)
            sim_unexpected(d, "prep serve did not exit cleanly (crash or sanitizer report); see "
                              "%s/servidor.log",
                           d->report_dir);
    }
    for (int i = 0; i < d->nerrors; i++)
        say(d, "inesperado: %s", d->first_errors[i]);
    if (rc == 0) {
        res->ok = res->cmp.ndiffs == 0 && !d->stalled && d->unexpected == 0;
        rc = sim_report_write(d, &res->cmp, res->ok, err);
        snprintf(res->report_dir, sizeof res->report_dir, "%s", d->report_dir);
    }
    res->wall_s = d->wall_s;
    res->night_s = d->night_s;
    res->actas = d->registradas;
    snprintf(res->url, sizeof res->url, "%s", d->base);
    if (http_up)
        sim_http_global_cleanup();
    drill_free(d);
    sim_render_cleanup();
    return rc;
}

void sim_drill_result_free(sim_drill_result *r)
{
    sim_compare_free(&r->cmp);
}
