/* cmd_serve.c — `prep serve`: parse the options, start the HTTP server
 * (src/http), wait for SIGINT/SIGTERM, stop it cleanly. The server itself,
 * its limits and its write path are src/http's. */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "http/http.h"

static void help(void)
{
    printf("usage: prep serve [--data DIR] [--listen ADDR:PORT] [--corte-every MIN]\n"
           "                  [--threads N] [--web DIR] [--rate N] [--max-connections N]\n"
           "                  [--max-per-ip N] [--real-ip-from ADDR]\n"
           "                  [--session-minutes N | --session-seconds N] [--lease-seconds N]\n\n"
           "Serves the election-night API (JSON under /api/v1, see docs/api/openapi.yaml),\n"
           "/healthz, /metrics, the published cortes (/cortes/, and / for the latest\n"
           "site) and the operator pages (/operacion/: the copies embedded in this\n"
           "binary, or the files of --web DIR, e.g. web/operacion, while editing them).\n\n"
           "  --listen ADDR:PORT   default 127.0.0.1:8080; port 0 picks a free port\n"
           "                       (the line 'listening on http://...' tells which)\n"
           "  --corte-every MIN    publish a corte every MIN minutes (default 10; 0 = only\n"
           "                       by hand: prep corte, or an admin's POST /api/v1/cortes)\n"
           "  --threads N          HTTP worker threads (default 4)\n"
           "  --rate N             requests per second per client address, 0 = no limit\n"
           "                       (default 200, bursts of 4x)\n"
           "  --max-connections N  open connections at once (default 1000)\n"
           "  --max-per-ip N       open connections per client address (default 256,\n"
           "                       0 = no limit; behind nginx, nginx's limit_conn does it)\n"
           "  --real-ip-from ADDR  a reverse proxy at ADDR names the client in X-Real-IP\n"
           "                       (rate limits and login throttling then count per client)\n"
           "  --session-minutes N  session lifetime (default 720; or --session-seconds N)\n"
           "  --lease-seconds N    how long a work-queue acta stays with its operator (300)\n\n"
           "Every write is committed (fsync'd) before its reply; writes of concurrent\n"
           "requests share one commit. SIGINT/SIGTERM stop it after answering the\n"
           "requests in flight.\n");
}

static int parse_listen(const char *v, prep_http_config *cfg, char *addr, size_t cap)
{
    const char *colon = strrchr(v, ':');
    const char *port = colon ? colon + 1 : v;
    size_t alen = colon ? (size_t)(colon - v) : 0;
    if (alen >= 2 && v[0] == '[' && v[alen - 1] == ']') {
        v++;
        alen -= 2;
    }
    if (alen >= cap)
        return -1;
    if (alen == 0)
        snprintf(addr, cap, "127.0.0.1");
    else {
        memcpy(addr, v, alen);
        addr[alen] = '\0';
    }
    char *end;
    long p = strtol(port, &end, 10);
    if (*port == '\0' || *end != '\0' || p < 0 || p > 65535)
        return -1;
    cfg->addr = addr;
    cfg->port = (int)p;
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    prep_http_config cfg;
    prep_http_defaults(&cfg);
    cfg.datadir = cli_default_data();
    char addr[128];
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        long n;
        if (cli_is_help(o)) {
            help();
            return 0;
        } else if (strcmp(o, "--data") == 0 && v) {
            cfg.datadir = v;
            i++;
        } else if (strcmp(o, "--web") == 0 && v) {
            cfg.web = v;
            i++;
        } else if (strcmp(o, "--listen") == 0 && v) {
            if (parse_listen(v, &cfg, addr, sizeof addr) < 0)
                return cli_failf("serve", "--listen: '%s' is not ADDR:PORT", v);
            i++;
        } else if (strcmp(o, "--corte-every") == 0) {
            if (cli_int("serve", o, v, 0, 1440, &n) < 0)
                return 1;
            cfg.corte_every = (int)n;
            i++;
        } else if (strcmp(o, "--threads") == 0) {
            if (cli_int("serve", o, v, 1, 256, &n) < 0)
                return 1;
            cfg.threads = (int)n;
            i++;
        } else if (strcmp(o, "--rate") == 0) {
            if (cli_int("serve", o, v, 0, 1000000, &n) < 0)
                return 1;
            cfg.rate = (int)n;
            i++;
        } else if (strcmp(o, "--max-connections") == 0) {
            if (cli_int("serve", o, v, 1, 100000, &n) < 0)
                return 1;
            cfg.max_connections = (int)n;
            i++;
        } else if (strcmp(o, "--max-per-ip") == 0) {
            if (cli_int("serve", o, v, 0, 100000, &n) < 0)
                return 1;
            cfg.max_per_ip = (int)n;
            i++;
        } else if (strcmp(o, "--real-ip-from") == 0 && v) {
            unsigned char b[16];
            if (inet_pton(AF_INET, v, b) != 1 && inet_pton(AF_INET6, v, b) != 1)
                return cli_failf("serve", "--real-ip-from: '%s' is not an IP address", v);
            cfg.real_ip_from = v;
            i++;
        } else if (strcmp(o, "--session-minutes") == 0) {
            if (cli_int("serve", o, v, 1, 7 * 24 * 60, &n) < 0)
                return 1;
            cfg.session_seconds = (int)n * 60;
            i++;
        } else if (strcmp(o, "--session-seconds") == 0) {
            if (cli_int("serve", o, v, 1, 7 * 24 * 3600, &n) < 0)
                return 1;
            cfg.session_seconds = (int)n;
            i++;
        } else if (strcmp(o, "--lease-seconds") == 0) {
            if (cli_int("serve", o, v, 1, 24 * 3600, &n) < 0)
                return 1;
            cfg.lease_seconds = (int)n;
            i++;
        } else {
            return cli_failf("serve", "unknown option '%s' (see prep serve --help)", o);
        }
    }
    /* Signals are taken by sigwait() below: block them before any thread starts. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    prep_err err = {0};
    prep_server *srv;
    if (prep_http_start(&cfg, &srv, &err) < 0)
        return cli_fail("serve", &err);
    printf("prep serve: listening on http://%s%s%s:%d (data %s)\n",
           strchr(cfg.addr, ':') ? "[" : "", cfg.addr, strchr(cfg.addr, ':') ? "]" : "",
           prep_http_port(srv), cfg.datadir);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "prep serve: %s received, finishing the requests in flight\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM");
    prep_http_stop(srv);
    fprintf(stderr, "prep serve: stopped\n");
    return 0;
}
