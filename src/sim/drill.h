/* drill.h — `prep simulate`: a full-volume drill through the real HTTP API.
 * Prepares a data directory (prep init, the preset's catálogo, the drill's
 * accounts) or uses an existing server, starts its own `prep serve` on a
 * loopback port, drives virtual CAE, acopio, digitalización, capturistas and
 * verificadores on threads, takes cortes as it goes and a final one, then
 * compares the final corte with the truth and writes the report. It prints
 * nothing: messages and progress go through the callbacks (src/cli draws). */
#ifndef PREP_SIM_DRILL_H
#define PREP_SIM_DRILL_H

#include <stdint.h>

#include "sim/sim.h"
#include "util/err.h"

typedef struct {
    double elapsed_s;
    int64_t esperadas;        /* actas of the catalog (all elections) */
    int64_t registradas;      /* acopio, photo or sin acta done (client side) */
    int64_t capturas;         /* captures accepted */
    int64_t verificadas;      /* verified */
    int64_t objetivo;         /* actas that must end verified */
    int cortes;
    const char *fase;         /* "preparando", "noche", "corte final", "comparando" */
} sim_progress;

typedef struct {
    const char *preset;       /* catálogo for an empty data directory: small|cdmx|national */
    const char *data;         /* data directory */
    const char *url;          /* existing server instead of our own */
    const char *cuentas;      /* accounts file (JSON) for --url; default DATA/simulacros/cuentas.json */
    const char *exe;          /* this binary, for prep init / catalog / serve / corte */
    const char *listen;       /* address:port of our server; NULL = 127.0.0.1 and a free port */
    uint64_t seed;
    sim_faults faults;
    const char *faults_name;
    const char *ties;         /* --ties: units that must end tied (sim_truth_ties) */
    int operators;            /* capturistas + verificadores; 0 = by preset */
    double pace;              /* virtual night seconds per real second; 0 = as fast as possible */
    int corte_every_s;        /* seconds between intermediate cortes; 0 = by preset */
    int small_images;         /* 1 small, 0 normal, -1 by preset (national: small) */
    int login_http;           /* 1: every account logs in over HTTP (argon2id each);
                               * 0: our server's CAE and CATD sessions are opened at setup */
    int setup_only;           /* prepare the data directory and accounts, then stop */
    const char *print_dir;    /* --print: prepare as setup_only, then print every acta of
                               * the truth as a PDF into this directory (sim_print_all) */
    const char *check_dir;    /* --check: compare this corte directory (a paper drill's
                               * final corte) with the truth; runs no drill */
    int keep_serving;         /* leave our server running after the report (demo) */
    int stall_s;              /* give up waiting after this long without progress; 0 = default */
    /* Test-only fault injection (PREP_SIM_TEST): "drop-scan" skips the scan of
     * one acta that must be counted; "tamper-csv" changes one published value
     * as it is read. Either must make the comparison fail. */
    const char *test_fault;
    void (*say)(void *ctx, const char *msg);
    void (*progress)(void *ctx, const sim_progress *p);
    void *ctx;
} sim_drill_opts;

typedef struct {
    int ok;                   /* 1: everything counted exactly once, nothing lost */
    sim_compare_result cmp;
    char report_dir[600];
    char url[300];            /* where the server is (keep_serving) */
    int server_pid;           /* our server, when kept running */
    double wall_s, night_s;
    int64_t actas;            /* registered actas processed */
    sim_print_result print;   /* --print: what was printed */
} sim_drill_result;

int sim_drill_run(const sim_drill_opts *o, sim_drill_result *res, prep_err *err);

/* A catálogo of more casillas than this is national-size: small images and
 * cortes every 5 minutes by default. */
#define SIM_NATIONAL_CASILLAS 50000
/* Seconds between intermediate cortes when --corte-every is not given. */
int sim_corte_every_default(const prep_catalog *cat);
/* Async-signal-safe: send SIGTERM to the server the running drill started,
 * if any (the CLI calls it from its SIGINT/SIGTERM handler, so the server
 * never outlives an interrupted drill). */
void sim_drill_kill_server(void);
void sim_drill_result_free(sim_drill_result *r);

#endif
