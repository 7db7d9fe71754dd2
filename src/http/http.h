/* http.h — `prep serve`: the election-night HTTP API (JSON under /api/v1),
 * /healthz, /metrics and the read-only static files (public site, cortes,
 * operator pages). One server per process: start it, wait for a signal,
 * stop it (the batch being committed finishes, every reply already promised
 * is sent). Parsing the command line is cmd_serve's job, not this room's. */
#ifndef PREP_HTTP_H
#define PREP_HTTP_H

#include "util/err.h"

typedef struct {
    const char *datadir;
    const char *web;          /* NULL: the operator pages embedded in the binary;
                                 else a directory served as /operacion/ instead */
    const char *addr;         /* IPv4 or IPv6 literal, e.g. "127.0.0.1" */
    int port;                 /* 0 = any free port (see prep_http_port) */
    int threads;              /* HTTP worker threads */
    int corte_every;          /* minutes between automatic cortes, 0 = none */
    int rate;                 /* requests per second per client address, 0 = unlimited */
    int max_connections;
    int max_per_ip;           /* open connections per client address, 0 = no limit */
    const char *real_ip_from; /* peer (a reverse proxy) whose X-Real-IP names the client */
    int session_seconds;      /* session lifetime */
    int lease_seconds;        /* work-queue lease */
} prep_http_config;

typedef struct prep_server prep_server;

void prep_http_defaults(prep_http_config *cfg);
/* Open the stores, load the catalog, start the writer and the HTTP threads. */
int prep_http_start(const prep_http_config *cfg, prep_server **out, prep_err *err);
int prep_http_port(const prep_server *s);
/* Stop accepting, finish the writes in flight, answer them, stop. */
void prep_http_stop(prep_server *s);

#endif
