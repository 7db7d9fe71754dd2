/* internal.h — what the files of src/http share: the server, one request,
 * reply helpers, the route table's handlers and the metrics counters.
 * Nothing outside src/http includes this. */
#ifndef PREP_HTTP_INTERNAL_H
#define PREP_HTTP_INTERNAL_H

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include "core/catalog.h"
#include "http/http.h"
#include "http/limits.h"
#include "http/metrics.h"
#include "http/writer.h"
#include "ops/authz.h"
#include "ops/ops.h"
#include "store/store.h"
#include "util/buf.h"

#define JSON_BODY_MAX (256u * 1024u) /* largest JSON request body */

typedef struct prep_monitor prep_monitor; /* api_monitoreo.c */
void prep_monitor_free(prep_monitor *m);

struct prep_server {
    prep_http_config cfg;
    char datadir[512];
    char web[512];
    char real_ip_from[64];
    struct MHD_Daemon *mhd;
    int port;
    prep_catalog cat;          /* loaded once, read-only */
    prep_writer *writer;
    prep_metrics metrics;
    prep_limits limits;
    volatile int stopping;
    char dummy_hash[128];      /* checked for unknown users, so timing reveals nothing */
    /* Read connections, one per HTTP thread (closed at stop). */
    pthread_mutex_t stores_mu;
    prep_store *stores[256];
    int nstores;
    pthread_key_t store_key;
    /* Avance is computed at most once a second. */
    pthread_mutex_t avance_mu;
    char *avance_json;
    int64_t avance_at;
    /* Monitoring (api_monitoreo.c), computed at most every few seconds. */
    pthread_mutex_t monitor_mu;
    prep_monitor *monitor;
    /* Automatic cortes. */
    pthread_t corte_thread;
    int corte_running;
    pthread_mutex_t corte_mu;
    pthread_cond_t corte_cv;
    struct prep_req *corte_head, *corte_tail; /* POST /api/v1/cortes, in order */
};

/* The authenticated caller of a request. */
typedef struct {
    prep_user u;
    char estacion[64];
    char token_sha[65];
    prep_actor actor;
    prep_scope scope;
} prep_caller;

typedef struct prep_req {
    prep_server *srv;
    struct MHD_Connection *conn;
    const char *method;
    char path[512];
    char client[64];
    int route;                 /* prep_route, for metrics */
    int64_t t0_us;
    /* Body. */
    prep_buf body;
    char body_sha[65];         /* its SHA-256 when a handler has computed it, else "" */
    size_t limit;
    int too_big;
    int retry_after;           /* seconds, sent as Retry-After with a 429 */
    /* Pending write. */
    prep_job job;
    int waiting;               /* job submitted, connection suspended */
    int job_done;
    void *arg;                 /* handler data that lives as long as the request */
    void (*free_arg)(void *);
    prep_caller caller;
    /* A corte asked for over the API, queued for the corte thread. */
    struct prep_req *corte_next;
    int corte_final;
    /* Reply. */
    int status;
    int queued;
} prep_req;

/* Read store of the calling HTTP thread (opened on first use). NULL + err on failure. */
prep_store *prep_http_store(prep_server *s, prep_err *err);

/* Replies (each queues the response on r->conn). */
void reply_json(prep_req *r, int status, json_t *j);            /* steals j */
void reply_text(prep_req *r, int status, const char *ctype, const char *body, size_t len);
void reply_err(prep_req *r, const prep_err *e);
void reply_errf(prep_req *r, prep_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void reply_empty(prep_req *r, int status);
/* 405 method_not_allowed, naming the allowed methods ("GET, POST"). */
void method_not_allowed(prep_req *r, const char *allowed);
/* Security and caching headers for an API response. */
void add_api_headers(struct MHD_Response *resp);
/* The security headers every response carries: nosniff, no referrer, csp
 * plus frame-ancestors and X-Frame-Options (frames: 1 = this site may frame
 * it, 0 = nobody). The caller adds Content-Type and Cache-Control. */
void add_security_headers(struct MHD_Response *resp, const char *csp, int frames);

/* Authentication: fill r->caller from the Authorization header; 0 ok, else
 * -1 and the 401 reply is queued. */
int require_session(prep_req *r);
/* Authorization for an acta (e, c) or for nothing in particular (c = -1);
 * -1 and the 403 reply is queued when refused. */
int require(prep_req *r, prep_accion a, int c);

/* Submit r->job to the writer and suspend the connection until it is done. */
void submit_job(prep_req *r);
/* Idempotency-Key header → r->job.key and req_sha (user-scoped). -1 + reply on a bad key. */
int take_idempotency_key(prep_req *r);

/* Parse the request body as a JSON object (empty body → empty object when
 * allow_empty). NULL and the 400 reply queued on error. */
json_t *body_json(prep_req *r, int allow_empty);
/* The pure part of body_json (json_body.c): NULL + err (PREP_E_INVALID) on a
 * body that is not one JSON object. */
json_t *prep_json_body_parse(const char *data, size_t len, int allow_empty, prep_err *err);
const char *header(prep_req *r, const char *name);

/* Handlers (r->path already split by the router). */
void api_session_post(prep_req *r);
void api_session_delete(prep_req *r);
void api_session_get(prep_req *r);
void api_elecciones(prep_req *r);
void api_acta(prep_req *r, const char *elec, const char *clave, const char *sub,
              const char *sub2);
void api_fuera_catalogo(prep_req *r, const char *elec);
void api_trabajo(prep_req *r, const char *fase, const char *accion);
void api_avance(prep_req *r);
void api_casillas(prep_req *r);
void api_monitoreo(prep_req *r);
void api_healthz(prep_req *r);
/* Administration (api_admin.c): accounts and cortes. */
void api_usuarios(prep_req *r, const char *nombre, const char *sub);
void api_cortes_get(prep_req *r);
void api_cortes_post(prep_req *r);
void api_metrics(prep_req *r);
void serve_static(prep_req *r);

/* Actas as JSON. detail bits: 1 images, 2 captures and standing values. */
json_t *acta_to_json(prep_server *s, prep_store *st, const prep_acta *a, int detail,
                     prep_err *err);
json_t *vals_to_json(const prep_val *v, int nfields);
/* An account (never its password hash) and a corte of the history, as JSON. */
json_t *user_to_json(const prep_user *u);
json_t *corte_to_json(const prep_corte_info *c);
/* Parse "valores" (array in field order, or object by field name). */
int vals_from_json(const prep_catalog *cat, int e, int c, json_t *j, prep_val *out,
                   prep_err *err);
const char *field_name(const prep_eleccion *el, int f);
char *json_dump(json_t *j); /* compact, steals j, NULL on failure */

/* Cortes (corte_timer.c): the thread runs the automatic cortes (when
 * --corte-every > 0) and the ones asked for over the API. */
int corte_timer_start(prep_server *s, prep_err *err);
void corte_timer_stop(prep_server *s);
/* Queue r (session, authorization and r->job.key already done) for the
 * corte thread and suspend its connection; the reply is r->job's. */
void corte_request(prep_req *r, int final);

int64_t prep_mono_us(void);

#endif
