/* cmd_simulate.c — `prep simulate`: parse the options, run the drill
 * (src/sim/drill.h), draw its progress bar on a terminal (plain lines
 * otherwise), print the verdict and where the report is, and with
 * --keep-serving leave the drill's server answering until Ctrl-C. The exit
 * status is 0 only when the final corte matched the truth exactly. With
 * --print DIR it prepares the data directory and prints the truth's actas
 * as PDFs for a paper drill instead of running one. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sim/drill.h"

static void help(void)
{
    printf(
        "usage: prep simulate --preset small|cdmx|national [--data DIR | --url URL --data DIR]\n"
        "                     [--operators N] [--seed N] [--faults none|default|heavy]\n"
        "                     [--pace X] [--corte-every S] [--small-images | --full-images]\n"
        "                     [--listen ADDR:PORT] [--keep-serving] [--login-http]\n"
        "                     [--accounts FILE] [--stall S] [--setup-only]\n"
        "                     [--ties UNIT,...] [--print DIR | --check CORTE]\n\n"
        "A simulacro: generates the ground truth of every acta (with a mix of faults),\n"
        "renders each acta as an image, and drives virtual CAE, acopio, digitalización,\n"
        "capturistas and verificadores concurrently through the real HTTP API, taking\n"
        "cortes as it goes; then takes the final corte and compares it with the truth,\n"
        "acta by acta and field by field. Exit 0 only when everything that should be\n"
        "counted was counted exactly once. Report (Markdown, JSON, SVG) in\n"
        "DATA/simulacros/<time>-semilla<N>/. See docs/simulacro.md.\n\n"
        "  --preset P        catálogo generated into an empty or missing --data\n"
        "  --data DIR        data directory (default $PREP_DATA or ./prep-data)\n"
        "  --url URL         use a running prep serve on DIR instead of starting one\n"
        "  --operators N     capturistas + verificadores (2/3 and 1/3); default by preset\n"
        "  --seed N          seed of the truth and the catálogo (default 1)\n"
        "  --faults MIX      none, default or heavy (default: default)\n"
        "  --ties UNIT,...   these units end tied: GUB, DIP_LOC:5, ALC:3 (election and unit ID);\n"
        "                    DIP_LOC:7:2 ties second and third place (docs/empates.md)\n"
        "  --pace X          virtual night seconds per real second (0 = as fast as possible)\n"
        "  --corte-every S   seconds between intermediate cortes (default 60; 300 for\n"
        "                    a national-size catálogo)\n"
        "  --small-images    1-bit low-resolution images (default for national)\n"
        "  --listen A:P      where our server listens (default 127.0.0.1, a free port)\n"
        "  --keep-serving    after the report, keep our server running until Ctrl-C\n"
        "  --login-http      every account logs in over HTTP (default: CAE and CATD\n"
        "                    sessions are opened at setup, like enrolled devices)\n"
        "  --accounts FILE   the drill's accounts (default DATA/simulacros/cuentas.json)\n"
        "  --stall S         fail after S seconds without progress (default 120)\n"
        "  --setup-only      prepare the data directory and accounts, then stop\n"
        "  --print DIR       prepare as --setup-only, then write every acta of the truth\n"
        "                    (same --seed, --faults, --ties as the drill) as a PDF with its\n"
        "                    QR into DIR/<ELECCION>/<CLAVE>.pdf, and DIR/indice.csv; runs no\n"
        "                    drill: for a simulacro en papel against prep serve\n"
        "  --check CORTE     after a simulacro en papel: compare that corte directory\n"
        "                    (e.g. DATA/cortes/latest) with the truth of the same --seed,\n"
        "                    --faults and --ties, acta by acta; exit 0 only when equal\n");
}

/* The first differences between a corte and the truth, on stderr. */
static void print_diffs(const sim_compare_result *c, const char *what)
{
    fprintf(stderr, "prep simulate: FAILED: %d differences between %s and the truth%s\n",
            c->ndiffs, what, c->ndiffs ? "" : " (the drill itself went wrong; see the report)");
    for (int i = 0; i < c->n && i < 10; i++)
        fprintf(stderr, "  %s %s %s: expected %s, published %s\n", c->diffs[i].eleccion,
                c->diffs[i].clave, c->diffs[i].field, c->diffs[i].expected,
                c->diffs[i].published);
}

static volatile pid_t server_pid;

static void stop_server(int sig)
{
    (void)sig;
    if (server_pid > 0)
        kill(server_pid, SIGTERM);
}

/* Interrupted mid-drill: stop our server too, then die of the signal. */
static void on_interrupt(int sig)
{
    sim_drill_kill_server();
    signal(sig, SIG_DFL);
    raise(sig);
}

typedef struct {
    int tty;
    int drawn;
} ui;

static void on_say(void *ctx, const char *msg)
{
    ui *u = ctx;
    if (u->tty && u->drawn)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "prep simulate: %s\n", msg);
    u->drawn = 0;
}

static void on_progress(void *ctx, const sim_progress *p)
{
    ui *u = ctx;
    if (!u->tty)
        return;
    double frac = p->objetivo > 0 ? (double)p->verificadas / (double)p->objetivo : 0;
    if (frac > 1)
        frac = 1;
    char bar[31];
    int fill = (int)(frac * 30);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r\033[K[%s] %3.0f%%  %lld/%lld verificadas  %lld capturas  %d cortes  %.0f s  %s",
            bar, frac * 100, (long long)p->verificadas, (long long)p->objetivo,
            (long long)p->capturas, p->cortes, p->elapsed_s, p->fase);
    u->drawn = 1;
}

static int self_exe(char *out, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", out, cap - 1);
    if (n <= 0)
        return -1;
    out[n] = '\0';
    return 0;
}

static int parse_double(const char *v, double *out)
{
    char *end;
    if (!v || !*v)
        return -1;
    double x = strtod(v, &end);
    if (*end || x < 0 || x > 1e6)
        return -1;
    *out = x;
    return 0;
}

static int default_operators(const char *preset, double pace)
{
    if (pace > 0)
        return 30;
    if (preset && strcmp(preset, "national") == 0)
        return 36;
    if (preset && strcmp(preset, "cdmx") == 0)
        return 30;
    return 12;
}

int cmd_simulate(int argc, char **argv)
{
    sim_drill_opts o = {0};
    o.data = cli_default_data();
    o.seed = 1;
    o.faults_name = "default";
    o.small_images = -1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n;
        if (cli_is_help(a)) {
            help();
            return 0;
        } else if (strcmp(a, "--preset") == 0 && v) {
            if (strcmp(v, "small") && strcmp(v, "cdmx") && strcmp(v, "national"))
                return cli_failf("simulate", "--preset is small, cdmx or national, not '%s'", v);
            o.preset = v;
            i++;
        } else if (strcmp(a, "--data") == 0 && v) {
            o.data = v;
            i++;
        } else if (strcmp(a, "--url") == 0 && v) {
            o.url = v;
            i++;
        } else if (strcmp(a, "--accounts") == 0 && v) {
            o.cuentas = v;
            i++;
        } else if (strcmp(a, "--listen") == 0 && v) {
            o.listen = v;
            i++;
        } else if (strcmp(a, "--faults") == 0 && v) {
            o.faults_name = v;
            i++;
        } else if (strcmp(a, "--ties") == 0 && v) {
            o.ties = v;
            i++;
        } else if (strcmp(a, "--operators") == 0) {
            if (cli_int("simulate", a, v, 3, 1000, &n) < 0)
                return 1;
            o.operators = (int)n;
            i++;
        } else if (strcmp(a, "--seed") == 0) {
            if (cli_int("simulate", a, v, 0, 2147483647L, &n) < 0)
                return 1;
            o.seed = (uint64_t)n;
            i++;
        } else if (strcmp(a, "--corte-every") == 0) {
            if (cli_int("simulate", a, v, 1, 86400, &n) < 0)
                return 1;
            o.corte_every_s = (int)n;
            i++;
        } else if (strcmp(a, "--stall") == 0) {
            if (cli_int("simulate", a, v, 1, 86400, &n) < 0)
                return 1;
            o.stall_s = (int)n;
            i++;
        } else if (strcmp(a, "--pace") == 0) {
            if (parse_double(v, &o.pace) < 0)
                return cli_failf("simulate", "--pace needs a number >= 0 (virtual seconds per "
                                             "second)");
            i++;
        } else if (strcmp(a, "--small-images") == 0) {
            o.small_images = 1;
        } else if (strcmp(a, "--full-images") == 0) {
            o.small_images = 0;
        } else if (strcmp(a, "--keep-serving") == 0) {
            o.keep_serving = 1;
        } else if (strcmp(a, "--login-http") == 0) {
            o.login_http = 1;
        } else if (strcmp(a, "--setup-only") == 0) {
            o.setup_only = 1;
        } else if (strcmp(a, "--print") == 0 && v) {
            o.print_dir = v;
            i++;
        } else if (strcmp(a, "--check") == 0 && v) {
            o.check_dir = v;
            i++;
        } else {
            return cli_failf("simulate", "unknown option '%s' (see prep simulate --help)", a);
        }
    }
    if (sim_faults_preset(o.faults_name, &o.faults) < 0)
        return cli_failf("simulate", "--faults is none, default or heavy, not '%s'",
                         o.faults_name);
    if (o.print_dir && (o.url || o.keep_serving))
        return cli_failf("simulate", "--print only prepares and prints (no drill runs): it "
                                     "takes neither --url nor --keep-serving");
    if (o.url && o.keep_serving)
        return cli_failf("simulate", "--keep-serving is for the drill's own server, not --url");
    if (o.check_dir && (o.url || o.keep_serving || o.print_dir || o.setup_only))
        return cli_failf("simulate", "--check only compares a corte with the truth (no drill "
                                     "runs): it takes none of --url, --keep-serving, --print, "
                                     "--setup-only");
    if (!o.operators)
        o.operators = default_operators(o.preset, o.pace);
    char exe[1024];
    if (self_exe(exe, sizeof exe) < 0)
        return cli_failf("simulate", "cannot find this program (/proc/self/exe)");
    o.exe = exe;
    const char *t = getenv("PREP_SIM_TEST");
    if (t && *t) {
        if (strcmp(t, "drop-scan") && strcmp(t, "tamper-csv"))
            return cli_failf("simulate", "PREP_SIM_TEST is drop-scan or tamper-csv, not '%s'", t);
        o.test_fault = t;
    }
    ui u = {.tty = isatty(2)};
    o.say = on_say;
    o.progress = on_progress;
    o.ctx = &u;

    sim_drill_result res;
    prep_err err = {0};
    signal(SIGINT, on_interrupt);
    signal(SIGTERM, on_interrupt);
    int rc = sim_drill_run(&o, &res, &err);
    if (u.tty && u.drawn)
        fputs("\r\033[K", stderr);
    if (rc < 0) {
        sim_drill_result_free(&res);
        return cli_fail("simulate", &err);
    }
    if (o.print_dir) {
        const sim_print_result *pr = &res.print;
        printf("printed %lld actas to %s in %.1f s (index %s/indice.csv; %lld sin acta and %lld "
               "fuera de catálogo listed, not printed); data directory %s ready for prep serve\n",
               (long long)pr->pdfs, o.print_dir, pr->seconds, o.print_dir,
               (long long)pr->sin_acta, (long long)pr->fuera, o.data);
        sim_drill_result_free(&res);
        return 0;
    }
    if (o.check_dir) {
        const sim_compare_result *c = &res.cmp;
        if (res.ok)
            printf("corte %s equal to the truth of seed %llu (%lld rows, %lld fields)\n",
                   o.check_dir, (unsigned long long)o.seed, (long long)c->rows,
                   (long long)c->fields_checked);
        else
            print_diffs(c, "the corte");
        int ok = res.ok;
        sim_drill_result_free(&res);
        return ok ? 0 : 1;
    }
    if (o.setup_only) {
        printf("prepared %s (accounts in %s/simulacros/cuentas.json)\n", o.data, o.data);
        sim_drill_result_free(&res);
        return 0;
    }
    const sim_compare_result *c = &res.cmp;
    if (res.ok) {
        printf("simulacro OK: %lld actas registered, final corte equal to the truth (%lld rows, "
               "%lld fields) in %.1f s\n",
               (long long)res.actas, (long long)c->rows, (long long)c->fields_checked, res.wall_s);
    } else {
        print_diffs(c, "the final corte");
    }
    printf("report: %s/informe.md\n", res.report_dir);
    int ok = res.ok;
    if (res.server_pid > 0) {
        printf("serving on %s (public site at /, operator pages at /operacion/); Ctrl-C to stop\n",
               res.url);
        fflush(stdout);
        /* Ctrl-C or a SIGTERM to us stops the server; we wait for it. */
        server_pid = res.server_pid;
        signal(SIGINT, stop_server);
        signal(SIGTERM, stop_server);
        int status;
        while (waitpid(res.server_pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    sim_drill_result_free(&res);
    return ok ? 0 : 1;
}
