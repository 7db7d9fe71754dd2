/* drill_internal.h — the state the drill's threads share: accounts and
 * sessions, the schedule of the night, what the client knows about each
 * acta, counters for the report, and the helpers of setup.c (data
 * directory, accounts, child processes). Internal to src/sim/. */
#ifndef PREP_SIM_DRILL_INTERNAL_H
#define PREP_SIM_DRILL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/catalog.h"
#include "sim/client.h"
#include "sim/drill.h"
#include "sim/sim.h"

typedef struct {
    char nombre[64];
    char rol[16];
    int catd, cae;
    char token[65];           /* session, "" until logged in */
} sim_account;

typedef struct {
    char password[64];        /* one password for every drill account */
    int n;
    sim_account *a;
    /* Lookups (indexes into a, -1 none). */
    int admin;
    int *acopio, *dig;        /* [ncatd + 1] by CATD */
    int *cae;                 /* [maxcae + 1] by CAE number */
    int maxcae;
    int ncap, nver;
    int *cap, *ver;           /* capturistas, verificadores */
} sim_accounts;

/* Phases counted in the report's time buckets. */
enum { PH_FOTO, PH_ACOPIO, PH_ESCANEO, PH_CAPTURA, PH_VERIFICACION, PH_PUBLICACION, PH__COUNT };
#define HIST_SECONDS (48 * 3600)

/* What the client knows about one acta. */
enum {
    A_FOTO = 1,               /* photo stored */
    A_ESCANEO = 2,            /* scan stored */
    A_ACTIVA_FOTO = 4,        /* the server made the photo the active image */
    A_ACTIVA_ESCANEO = 8,
    A_VERIFICADA = 16,
    A_DISCREPANCIA = 32,
    A_DROPPED = 64,           /* test fault: its scan was skipped on purpose */
    A_REG = 128               /* something arrived (photo, acopio or sin acta) */
};

typedef struct {
    uint8_t foto_sha[32], escaneo_sha[32];
    _Atomic uint8_t flags;
    /* Milliseconds since the night started (-1 none): first photo stored,
     * acopio, verification; pub = number of the corte that published it
     * (client side: the first corte started after the verification). */
    _Atomic int32_t ms_foto, ms_acopio, ms_verif;
    int32_t pub;
} sim_acta_st;

/* Outcome counters per fault kind. */
typedef struct {
    _Atomic int64_t ok;       /* ended as it must */
    _Atomic int64_t bad;      /* did not */
} sim_outcome;

typedef struct {
    int c;                    /* casilla, or -1 - index into truth->fuera */
    int32_t t;                /* virtual seconds */
} sim_event;

typedef struct {
    int64_t at_ms;            /* since the night started */
    int numero;
    char dir[300];
    int final;
    double seconds;           /* how long it took */
} sim_corte_rec;

typedef struct sim_drill {
    const sim_drill_opts *o;
    const prep_catalog *cat;
    prep_catalog catbuf;
    sim_truth truth;
    sim_render_opts ropts;
    char data[512];
    char base[300];           /* server URL */
    char report_dir[600];
    pid_t server_pid;
    int own_server;
    sim_accounts acc;
    sim_acta_st *st[PREP_MAX_ELECCIONES];
    /* Schedule. */
    sim_event *fotos, *llegadas;
    int nfotos, nllegadas;
    _Atomic int next_foto, next_llegada;
    /* Scan queue (filled by acopio, drained by digitalización). */
    pthread_mutex_t qmu;
    pthread_cond_t qcv;
    int *scanq;               /* e * ncasillas + c */
    int qhead, qtail, qcap;
    _Atomic int producers_left;   /* CAE, acopio and digitalización threads running */
    _Atomic int acopio_left;      /* acopio threads running */
    /* Time. */
    int64_t t0_us;            /* night start (monotonic) */
    double pace;
    /* Progress and end. */
    _Atomic int64_t registradas, capturas, verificadas, objetivo;
    _Atomic int64_t last_progress_us;
    _Atomic int stop;
    /* Report counters. */
    _Atomic int32_t *hist;    /* [PH__COUNT * HIST_SECONDS] */
    sim_outcome fault[SIM_FAULT__COUNT];
    _Atomic int64_t discrepancias, resueltas_captura, resueltas_verificador, rechazos_verificador;
    _Atomic int64_t http_requests, http_retries, unexpected;
    _Atomic int64_t img_bytes, img_count, render_us;
    int64_t *cap_count, *ver_count;  /* per operator thread */
    pthread_mutex_t msgmu;
    char first_errors[8][300];
    int nerrors;
    int stalled;
    int64_t server_rss_kb;    /* our server's peak resident memory (VmHWM) */
    char active_hex[65];      /* compare hook's answer */
    int ncae_t, nacopio_t, nescaneo_t, ncap_t, nver_t;
    /* Cortes. */
    pthread_mutex_t cmu;
    sim_corte_rec *cortes;
    int ncortes, capcortes;
    double setup_s, login_s, night_s, final_s, compare_s, wall_s;
    _Atomic int test_drop_done;
} sim_drill;

/* ---- setup.c ---- */
int sim_setup_datadir(sim_drill *d, prep_err *err);
int sim_accounts_load_or_create(sim_drill *d, prep_err *err);
void sim_accounts_free(sim_accounts *a);
int sim_sessions_provision(sim_drill *d, prep_err *err);
int sim_server_start(sim_drill *d, prep_err *err);
/* SIGTERM and wait; -1 when it did not exit cleanly with status 0 (a
 * sanitizer report, a crash), 0 otherwise. */
int sim_server_stop(sim_drill *d);
/* Record our server's peak resident memory so far (d->server_rss_kb). */
void sim_server_note_rss(sim_drill *d);
extern volatile pid_t sim_server_pid_for_signals;  /* sim_drill_kill_server() */
/* Run `prep corte [--final]` on the data directory; fills rec. */
int sim_corte_take(sim_drill *d, int final, sim_corte_rec *rec, prep_err *err);
/* Run exe with args, output appended to log (may be NULL); exit status or -1. */
int sim_run(const char *const *argv, const char *log, char *out, size_t outcap, prep_err *err);

/* ---- workers.c ---- */
void *sim_cae_thread(void *arg);
void *sim_acopio_thread(void *arg);
void *sim_escaneo_thread(void *arg);
void *sim_captura_thread(void *arg);
void *sim_verificacion_thread(void *arg);

typedef struct {
    sim_drill *d;
    int index;                /* operator number */
    int account;              /* index into d->acc.a, -1 none */
} sim_worker;

/* ---- drill.c helpers shared with workers ---- */
int64_t sim_now_us(void);
void sim_hist_add(sim_drill *d, int phase);
/* Milliseconds since the night started. */
int32_t sim_ms(sim_drill *d);
void sim_note_progress(sim_drill *d);
void sim_unexpected(sim_drill *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sleep until virtual time t (paced drills); returns at once when not paced. */
void sim_wait_virtual(sim_drill *d, int32_t t);
void sim_sleep_ms(long ms);
void sim_scan_push(sim_drill *d, int e, int c);
/* Next scan job or -1 once the queue is empty and acopio is done. */
int sim_scan_pop(sim_drill *d);

/* ---- report.c ---- */
int sim_report_write(sim_drill *d, const sim_compare_result *cmp, int ok, prep_err *err);

#endif
