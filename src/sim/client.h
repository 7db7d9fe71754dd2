/* client.h — the drill's HTTP client (libcurl): one sim_http per thread,
 * keeping its connection alive, sending JSON or image bytes with the headers
 * the API wants (Authorization, Idempotency-Key, X-Content-SHA256,
 * X-Origen) and returning the status and the body. Transport failures are
 * retried with a short backoff (a phone that lost signal); HTTP errors are
 * returned to the caller, who decides. It knows no endpoint but /session. */
#ifndef PREP_SIM_CLIENT_H
#define PREP_SIM_CLIENT_H

#include <stddef.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/err.h"

typedef struct sim_http {
    void *curl;              /* CURL * */
    char base[256];          /* "http://127.0.0.1:8080" */
    prep_buf resp;           /* last response body, NUL-terminated */
    long status;             /* last HTTP status */
    int64_t requests;        /* sent (including retries) */
    int64_t transport_retries;
} sim_http;

typedef struct {
    const char *token;       /* Bearer token or NULL */
    const char *idem;        /* Idempotency-Key or NULL */
    const char *content_type;/* default application/json when a body is given */
    const char *sha256;      /* X-Content-SHA256 */
    const char *origen;      /* X-Origen */
    const char *dispositivo; /* X-Dispositivo */
} sim_req_opts;

/* Once per process, before any thread starts. */
int sim_http_global_init(prep_err *err);
void sim_http_global_cleanup(void);

int sim_http_init(sim_http *c, const char *base, prep_err *err);
void sim_http_free(sim_http *c);

/* Send one request; 0 with c->status and c->resp set (any HTTP status),
 * -1 when the server could not be reached after the retries. */
int sim_http_req(sim_http *c, const char *method, const char *path, const void *body,
                 size_t len, const sim_req_opts *o, prep_err *err);

/* POST a JSON value (not stolen) and parse the JSON reply (NULL if none or
 * not JSON). Returns the status, or -1 on transport failure. */
long sim_http_json(sim_http *c, const char *path, json_t *body, const sim_req_opts *o,
                   json_t **reply, prep_err *err);

/* POST /api/v1/session; token (65 bytes) receives the session token. */
int sim_http_login(sim_http *c, const char *user, const char *password, const char *estacion,
                   char *token, prep_err *err);

/* "code" of a JSON error reply ({"error":{"code":...}}), "" if none. */
const char *sim_http_error_code(const sim_http *c, char *buf, size_t cap);

#endif
