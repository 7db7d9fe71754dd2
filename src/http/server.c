/* server.c — the HTTP server: libmicrohttpd with its own thread pool, the
 * request life cycle (limits, body, routing, suspended writes), replies with
 * their security headers, and start/stop. Handlers live in api_*.c and
 * static.c; the write path is writer.c. A write request's connection is
 * suspended while the group-commit writer works and resumed after its
 * COMMIT, so HTTP threads never block on the disk. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>


#include "http/internal.h"
#include "publish/corte.h"
#include "images/imgstore.h"
#include "ops/users.h"
#include "util/hash.h"
#include "util/version.h"

int64_t prep_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void prep_http_defaults(prep_http_config *c)
{
    memset(c, 0, sizeof *c);
    c->datadir = "./prep-data";
    c->web = NULL; /* embedded pages (web_assets.c) */
    c->addr = "127.0.0.1";
    c->port = 8080;
    c->threads = 4;
    c->corte_every = 10;
    c->rate = 200;
    c->max_connections = 1000;
    c->max_per_ip = 256;
    c->session_seconds = 12 * 3600;
    c->lease_seconds = 300;
}

/* ---- per-thread read stores ---- */

prep_store *prep_http_store(prep_server *s, prep_err *err)
{
    prep_store *st = pthread_getspecific(s->store_key);
    if (st)
        return st;
    pthread_mutex_lock(&s->stores_mu);
    int full = s->nstores >= (int)(sizeof s->stores / sizeof s->stores[0]);
    pthread_mutex_unlock(&s->stores_mu);
    if (full) {
        prep_fail(err, PREP_E_IO, "too many database connections");
        return NULL;
    }
    if (prep_store_open(s->datadir, &st, err) < 0)
        return NULL;
    pthread_mutex_lock(&s->stores_mu);
    s->stores[s->nstores++] = st;
    pthread_mutex_unlock(&s->stores_mu);
    pthread_setspecific(s->store_key, st);
    return st;
}

/* ---- replies ---- */

void add_security_headers(struct MHD_Response *resp, const char *csp, int frames)
{
    char full[512];
    snprintf(full, sizeof full, "%s; frame-ancestors %s", csp, frames ? "'self'" : "'none'");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "Content-Security-Policy", full);
    MHD_add_response_header(resp, "X-Frame-Options", frames ? "SAMEORIGIN" : "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
}

void add_api_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    add_security_headers(resp, "default-src 'none'", 0);
}

static void queue(prep_req *r, int status, struct MHD_Response *resp)
{
    if (!resp) {
        r->status = 500;
        return;
    }
    if (!r->queued) {
        MHD_queue_response(r->conn, (unsigned)status, resp);
        r->queued = 1;
        r->status = status;
    }
    MHD_destroy_response(resp);
}

void reply_text(prep_req *r, int status, const char *ctype, const char *body, size_t len)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (resp) {
        MHD_add_response_header(resp, "Content-Type", ctype);
        add_api_headers(resp);
        if (status == 429 && r->retry_after > 0) {
            char ra[16];
            snprintf(ra, sizeof ra, "%d", r->retry_after);
            MHD_add_response_header(resp, "Retry-After", ra);
        }
    }
    queue(r, status, resp);
}

void reply_json(prep_req *r, int status, json_t *j)
{
    char *text = json_dump(j);
    if (!text) {
        static const char oom[] = "{\"error\":{\"code\":\"nomem\",\"message\":\"out of memory\"}}";
        reply_text(r, 503, "application/json", oom, sizeof oom - 1);
        return;
    }
    size_t n = strlen(text);
    text[n] = '\n';
    reply_text(r, status, "application/json; charset=utf-8", text, n + 1);
    free(text);
}

void reply_err(prep_req *r, const prep_err *e)
{
    prep_errcode code = e->code == PREP_OK ? PREP_E_IO : e->code;
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", prep_errcode_name(code), "message",
                          e->msg[0] ? e->msg : prep_errcode_name(code));
    if (!j) /* the message quoted bytes that are not UTF-8: keep the code */
        j = json_pack("{s:{s:s,s:s}}", "error", "code", prep_errcode_name(code), "message",
                      "the request holds text that is not valid UTF-8");
    reply_json(r, prep_errcode_http(code), j);
}

void reply_errf(prep_req *r, prep_errcode code, const char *fmt, ...)
{
    prep_err e = {.code = code};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e.msg, sizeof e.msg, fmt, ap);
    va_end(ap);
    reply_err(r, &e);
}

void reply_empty(prep_req *r, int status)
{
    reply_text(r, status, "application/json", "", 0);
}

char *json_dump(json_t *j)
{
    if (!j)
        return NULL;
    char *t = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!t)
        return NULL;
    /* Leave room for the newline reply_json adds. */
    size_t n = strlen(t);
    char *g = realloc(t, n + 2);
    if (!g) {
        free(t);
        return NULL;
    }
    return g;
}

const char *header(prep_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

json_t *body_json(prep_req *r, int allow_empty)
{
    prep_err err = {0};
    json_t *j = prep_json_body_parse(r->body.data, r->body.len, allow_empty, &err);
    if (!j)
        reply_err(r, &err);
    return j;
}

/* ---- writes ---- */

static void job_done(prep_job *job)
{
    prep_req *r = job->done_ctx;
    __atomic_store_n(&r->job_done, 1, __ATOMIC_RELEASE);
    MHD_resume_connection(r->conn);
}

void submit_job(prep_req *r)
{
    r->job.done = job_done;
    r->job.done_ctx = r;
    r->waiting = 1;
    MHD_suspend_connection(r->conn);
    prep_err err = {0};
    if (r->srv->stopping || prep_writer_submit(r->srv->writer, &r->job, &err) < 0) {
        r->job.failed = 1;
        r->job.err = err;
        if (r->srv->stopping)
            prep_fail(&r->job.err, PREP_E_IO, "the server is shutting down");
        __atomic_store_n(&r->job_done, 1, __ATOMIC_RELEASE);
        MHD_resume_connection(r->conn);
    }
}

int take_idempotency_key(prep_req *r)
{
    const char *k = header(r, "Idempotency-Key");
    if (!k)
        return 0;
    size_t n = strlen(k);
    int ok = n >= 1 && n <= 100;
    for (size_t i = 0; ok && i < n; i++)
        ok = (k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
             (k[i] >= '0' && k[i] <= '9') || k[i] == '-' || k[i] == '_' || k[i] == '.' ||
             k[i] == ':';
    if (!ok) {
        reply_errf(r, PREP_E_INVALID,
                   "Idempotency-Key has 1 to 100 characters A-Z a-z 0-9 - _ . :");
        return -1;
    }
    /* Keys are per user; the stored reply is tied to the exact request. */
    snprintf(r->job.key, sizeof r->job.key, "u%lld:%s", (long long)r->caller.u.id, k);
    prep_sha256_ctx h;
    uint8_t d[32];
    prep_sha256_init(&h);
    prep_sha256_update(&h, (const uint8_t *)r->method, strlen(r->method) + 1);
    prep_sha256_update(&h, (const uint8_t *)r->path, strlen(r->path) + 1);
    /* A body already hashed (an image upload, checked against the hash
     * declared for it) is not hashed again: its SHA-256 stands for it. */
    if (r->body_sha[0]) {
        prep_sha256_update(&h, (const uint8_t *)"sha256:", 7);
        prep_sha256_update(&h, (const uint8_t *)r->body_sha, 64);
    } else {
        prep_sha256_update(&h, (const uint8_t *)r->body.data, r->body.len);
    }
    prep_sha256_final(&h, d);
    prep_hex(d, 32, r->job.req_sha);
    return 0;
}

/* ---- authentication and authorization ---- */

int require_session(prep_req *r)
{
    const char *h = header(r, "Authorization");
    char sha[65];
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) {
        reply_errf(r, PREP_E_UNAUTHORIZED, "log in first: Authorization: Bearer <token>");
        return -1;
    }
    if (prep_token_sha(h + 7, sha) < 0) {
        reply_errf(r, PREP_E_UNAUTHORIZED, "malformed session token");
        return -1;
    }
    prep_err err = {0};
    prep_store *st = prep_http_store(r->srv, &err);
    prep_caller *c = &r->caller;
    if (!st || prep_session_check(st, sha, prep_now(), &c->u, c->estacion, &err) < 0) {
        reply_err(r, &err);
        return -1;
    }
    memcpy(c->token_sha, sha, sizeof sha);
    c->actor = (prep_actor){.user = c->u.id, .nombre = c->u.nombre, .rol = c->u.rol,
                            .catd = c->u.catd, .cae = c->u.cae, .station = c->estacion};
    c->scope = (prep_scope){.rol = prep_rol_from_name(c->u.rol), .catd = c->u.catd,
                            .cae = c->u.cae};
    return 0;
}

int require(prep_req *r, prep_accion a, int c)
{
    prep_err err = {0};
    int catd = 0, cae = -1;
    if (c >= 0) {
        catd = r->srv->cat.casillas[c].catd;
        cae = r->srv->cat.casillas[c].cae;
    }
    if (prep_authz(&r->caller.scope, a, catd, cae, &err) < 0) {
        reply_err(r, &err);
        return -1;
    }
    return 0;
}

/* ---- routing ---- */

static int seg_split(char *path, char **seg, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(path, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (n == max)
            return -1;
        seg[n++] = t;
    }
    return n;
}

static int is(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static int method_is(prep_req *r, const char *m)
{
    return strcmp(r->method, m) == 0;
}

void method_not_allowed(prep_req *r, const char *allowed)
{
    prep_err e = {.code = PREP_E_INVALID};
    snprintf(e.msg, sizeof e.msg, "method %s not allowed here (allowed: %s)", r->method, allowed);
    json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", "method_not_allowed", "message",
                          e.msg);
    reply_json(r, 405, j);
}

/* Route from the path alone, decided on the first call (metrics, body limit). */
static void classify(prep_req *r)
{
    char tmp[512], *seg[12];
    snprintf(tmp, sizeof tmp, "%s", r->path);
    int n = seg_split(tmp, seg, 12);
    r->route = R_OTHER;
    r->limit = JSON_BODY_MAX;
    if (n >= 1 && is(seg[0], "healthz"))
        r->route = R_HEALTHZ;
    else if (n >= 1 && is(seg[0], "metrics"))
        r->route = R_METRICS;
    else if (n < 1 || !is(seg[0], "api"))
        r->route = R_STATIC;
    else if (n >= 3 && is(seg[2], "session"))
        r->route = R_SESSION;
    else if (n >= 3 && is(seg[2], "trabajo"))
        r->route = R_TRABAJO;
    else if (n >= 3 && is(seg[2], "avance"))
        r->route = R_AVANCE;
    else if (n >= 3 && is(seg[2], "casillas"))
        r->route = R_CASILLAS;
    else if (n >= 3 && is(seg[2], "monitoreo"))
        r->route = R_MONITOREO;
    else if (n >= 3 && is(seg[2], "usuarios"))
        r->route = R_USUARIOS;
    else if (n >= 3 && is(seg[2], "cortes"))
        r->route = R_CORTES;
    else if (n == 3 && is(seg[2], "elecciones"))
        r->route = R_ELECCIONES;
    else if (n == 5 && is(seg[4], "fuera-catalogo"))
        r->route = R_FUERA_CATALOGO;
    else if (n == 6 && is(seg[4], "actas"))
        r->route = R_ACTA;
    else if (n >= 7 && is(seg[4], "actas")) {
        const char *s = seg[6];
        r->route = is(s, "acopio")         ? R_ACOPIO
                   : is(s, "sin-acta")     ? R_SIN_ACTA
                   : is(s, "capturas")     ? R_CAPTURA
                   : is(s, "verificacion") ? R_VERIFICACION
                   : is(s, "cotejo")       ? R_COTEJO
                   : is(s, "imagenes")     ? (n == 7 ? R_IMAGEN_POST : R_IMAGEN_GET)
                                           : R_OTHER;
        if (r->route == R_IMAGEN_POST)
            r->limit = PREP_IMG_MAX_BYTES;
    }
}

static void dispatch(prep_req *r)
{
    char tmp[512], *seg[12];
    snprintf(tmp, sizeof tmp, "%s", r->path);
    int n = seg_split(tmp, seg, 12);
    if (r->route == R_STATIC) {
        if (!method_is(r, "GET") && !method_is(r, "HEAD"))
            return method_not_allowed(r, "GET, HEAD");
        return serve_static(r);
    }
    if (r->route == R_HEALTHZ && n == 1)
        return method_is(r, "GET") ? api_healthz(r) : method_not_allowed(r, "GET");
    if (r->route == R_METRICS && n == 1)
        return method_is(r, "GET") ? api_metrics(r) : method_not_allowed(r, "GET");
    if (n < 3 || !is(seg[0], "api") || !is(seg[1], "v1"))
        return reply_errf(r, PREP_E_NOT_FOUND, "no such resource: %s", r->path);
    if (n == 3 && is(seg[2], "session")) {
        if (method_is(r, "POST"))
            return api_session_post(r);
        if (method_is(r, "DELETE"))
            return api_session_delete(r);
        if (method_is(r, "GET"))
            return api_session_get(r);
        return method_not_allowed(r, "GET, POST, DELETE");
    }
    if (n == 3 && is(seg[2], "avance"))
        return method_is(r, "GET") ? api_avance(r) : method_not_allowed(r, "GET");
    if (n == 3 && is(seg[2], "casillas"))
        return method_is(r, "GET") ? api_casillas(r) : method_not_allowed(r, "GET");
    if (n == 3 && is(seg[2], "monitoreo"))
        return method_is(r, "GET") ? api_monitoreo(r) : method_not_allowed(r, "GET");
    if (n == 3 && is(seg[2], "elecciones"))
        return method_is(r, "GET") ? api_elecciones(r) : method_not_allowed(r, "GET");
    if (n >= 3 && n <= 5 && is(seg[2], "usuarios"))
        return api_usuarios(r, n > 3 ? seg[3] : NULL, n > 4 ? seg[4] : NULL);
    if (n == 3 && is(seg[2], "cortes")) {
        if (method_is(r, "GET"))
            return api_cortes_get(r);
        if (method_is(r, "POST"))
            return api_cortes_post(r);
        return method_not_allowed(r, "GET, POST");
    }
    if (n == 5 && is(seg[2], "trabajo"))
        return method_is(r, "POST") ? api_trabajo(r, seg[3], seg[4])
                                    : method_not_allowed(r, "POST");
    if (n == 5 && is(seg[2], "elecciones") && is(seg[4], "fuera-catalogo"))
        return method_is(r, "POST") ? api_fuera_catalogo(r, seg[3])
                                    : method_not_allowed(r, "POST");
    if (n >= 6 && n <= 8 && is(seg[2], "elecciones") && is(seg[4], "actas"))
        return api_acta(r, seg[3], seg[5], n > 6 ? seg[6] : NULL, n > 7 ? seg[7] : NULL);
    reply_errf(r, PREP_E_NOT_FOUND, "no such resource: %s", r->path);
}

static int ip_literal(const char *s)
{
    unsigned char b[sizeof(struct in6_addr)];
    return s && (inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1);
}

/* The client's address: the peer's, or, when the peer is the trusted reverse
 * proxy (--real-ip-from), the X-Real-IP it sets. Limits and login throttling
 * key on it, so behind nginx each client keeps its own bucket. */
static void client_addr(prep_req *r, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, cap, "?");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)cap);
    const char *proxy = r->srv->cfg.real_ip_from;
    const char *real = header(r, "X-Real-IP");
    if (proxy && strcmp(out, proxy) == 0 && ip_literal(real) && strlen(real) < cap)
        snprintf(out, cap, "%s", real);
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url,
                                 const char *method, const char *version,
                                 const char *upload_data, size_t *upload_data_size,
                                 void **con_cls)
{
    (void)version;
    prep_server *s = cls;
    prep_req *r = *con_cls;
    if (!r) {
        r = calloc(1, sizeof *r);
        if (!r)
            return MHD_NO;
        *con_cls = r;
        r->srv = s;
        r->conn = conn;
        r->method = method;
        r->t0_us = prep_mono_us();
        prep_buf_init(&r->body);
        client_addr(r, r->client, sizeof r->client);
        if (strlen(url) >= sizeof r->path) {
            r->route = R_OTHER;
            reply_errf(r, PREP_E_TOO_LARGE, "URL too long");
            return MHD_YES;
        }
        snprintf(r->path, sizeof r->path, "%s", url);
        classify(r);
        int wait = prep_limits_request(&s->limits, r->client, r->t0_us);
        if (wait > 0) {
            __atomic_fetch_add(&s->metrics.throttled, 1, __ATOMIC_RELAXED);
            r->retry_after = wait;
            reply_errf(r, PREP_E_RATE, "too many requests from %s: retry in %d s", r->client,
                       wait);
            return MHD_YES;
        }
        const char *cl = header(r, "Content-Length");
        unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
        if (declared > 64ull << 20) {
            /* Far too large: answer now and let the connection close. */
            reply_errf(r, PREP_E_TOO_LARGE, "request body over %zu bytes", r->limit);
            return MHD_YES;
        }
        /* Otherwise read and discard it, so ordinary clients see the 413
         * instead of a connection reset in the middle of their upload. */
        r->too_big = declared > r->limit;
        return MHD_YES;
    }
    if (r->queued) {
        *upload_data_size = 0; /* already answered (e.g. 413): discard the rest */
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (r->too_big || r->body.len + *upload_data_size > r->limit)
            r->too_big = 1;
        else
            prep_buf_append(&r->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->waiting) {
        if (!__atomic_load_n(&r->job_done, __ATOMIC_ACQUIRE))
            return MHD_YES;
        r->waiting = 0;
        if (r->job.failed)
            reply_err(r, &r->job.err);
        else if (r->job.status == 204 || !r->job.reply)
            reply_empty(r, r->job.status ? r->job.status : 204);
        else
            reply_text(r, r->job.status, "application/json; charset=utf-8", r->job.reply,
                       strlen(r->job.reply));
        return MHD_YES;
    }
    if (r->too_big) {
        reply_errf(r, PREP_E_TOO_LARGE, "request body over %zu bytes", r->limit);
        return MHD_YES;
    }
    if (!prep_buf_ok(&r->body)) {
        reply_errf(r, PREP_E_NOMEM, "out of memory reading the request");
        return MHD_YES;
    }
    dispatch(r);
    if (!r->queued && !r->waiting)
        reply_errf(r, PREP_E_IO, "no reply was produced"); /* LCOV_EXCL_LINE */
    return MHD_YES;
}

static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    prep_server *s = cls;
    prep_req *r = *con_cls;
    if (!r)
        return;
    prep_metrics_request(&s->metrics, r->route, r->queued ? r->status : 0,
                         prep_mono_us() - r->t0_us);
    if (r->free_arg)
        r->free_arg(r->arg);
    free(r->job.reply);
    prep_buf_free(&r->body);
    free(r);
    *con_cls = NULL;
}

/* URIs are unescaped as usual (%HH), except that one holding an escaped NUL
 * is left as written (and so found nowhere): decoded, the NUL would cut the
 * path short where no handler could see it. */
static size_t unescape_uri(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    if (strstr(s, "%00"))
        return strlen(s);
    return MHD_http_unescape(s);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("prep serve: http: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- start / stop ---- */

typedef struct {
    prep_server *s;
    const char *action;
} life_arg;

static int log_life(prep_ops *o, prep_job *job, prep_err *err)
{
    life_arg *a = job->arg;
    char after[512];
    snprintf(after, sizeof after,
             "{\"version\":\"%s\",\"commit\":\"%s\",\"binario\":\"%s\",\"escucha\":\"%s:%d\","
             "\"pid\":%d}",
             PREP_VERSION, prep_source_commit(), prep_binary_sha256(), a->s->cfg.addr, a->s->port,
             (int)getpid());
    job->status = 200;
    return prep_ops_log(o, &prep_actor_system, prep_now(), a->action, "server", "", after, err);
}

static void close_stores(prep_server *s)
{
    for (int i = 0; i < s->nstores; i++)
        prep_store_close(s->stores[i]);
    s->nstores = 0;
}

static void server_free(prep_server *s)
{
    close_stores(s);
    prep_catalog_free(&s->cat);
    free(s->avance_json);
    prep_monitor_free(s->monitor);
    pthread_key_delete(s->store_key);
    free(s);
}

int prep_http_start(const prep_http_config *cfg, prep_server **out, prep_err *err)
{
    prep_server *s = calloc(1, sizeof *s);
    if (!s)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    s->cfg = *cfg;
    snprintf(s->datadir, sizeof s->datadir, "%s", cfg->datadir);
    snprintf(s->web, sizeof s->web, "%s", cfg->web ? cfg->web : "");
    snprintf(s->real_ip_from, sizeof s->real_ip_from, "%s",
             cfg->real_ip_from ? cfg->real_ip_from : "");
    s->cfg.datadir = s->datadir;
    s->cfg.web = s->web;
    s->cfg.real_ip_from = cfg->real_ip_from ? s->real_ip_from : NULL;
    pthread_mutex_init(&s->stores_mu, NULL);
    pthread_mutex_init(&s->avance_mu, NULL);
    pthread_mutex_init(&s->monitor_mu, NULL);
    pthread_key_create(&s->store_key, NULL);
    prep_limits_init(&s->limits, cfg->rate);
    char pw[33];
    prep_password_random(pw, sizeof pw);
    if (prep_password_hash(pw, s->dummy_hash, err) < 0) {
        free(s);
        return -1;
    }
    prep_catalog_init(&s->cat);
    prep_store *st = prep_http_store(s, err);
    if (!st) {
        server_free(s);
        return -1;
    }
    int rc = prep_store_catalog_load(st, &s->cat, err);
    if (rc != 0) {
        if (rc == 1)
            prep_fail(err, PREP_E_NOT_FOUND,
                      "no catalog loaded in %s (run 'prep catalog load DIR --data %s')",
                      s->datadir, s->datadir);
        server_free(s);
        return -1;
    }
    /* Finish what a killed corte left behind, and record the cadence so each
     * corte's site can announce when the next one is due. */
    char cada[16];
    snprintf(cada, sizeof cada, "%d", cfg->corte_every);
    /* A corte lock held elsewhere means another node is publishing right now:
     * it cleans up after itself, so this node must not touch its files. */
    int rec = prep_corte_recover(s->datadir, st, &s->cat, err);
    if (rec < 0 && err->code == PREP_E_CONFLICT) {
        prep_err_clear(err);
        rec = 0;
    }
    if (rec < 0 || st->vt->meta_set(st, PREP_META_CORTE_CADA, cada, err) < 0) {
        server_free(s);
        return -1;
    }
    /* The main thread's store was only needed for the catalog. */
    close_stores(s);
    pthread_setspecific(s->store_key, NULL);
    if (prep_writer_start(s->datadir, &s->cat, prep_metrics_batch, &s->metrics, &s->writer,
                          err) < 0) {
        server_free(s);
        return -1;
    }
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG;
    struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, cfg->addr, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)cfg->port);
    } else if (inet_pton(AF_INET6, cfg->addr, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)cfg->port);
        flags |= MHD_USE_IPv6;
    } else {
        prep_writer_stop(s->writer);
        server_free(s);
        return prep_fail(err, PREP_E_INVALID, "'%s' is not an IPv4 or IPv6 address", cfg->addr);
    }
    s->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, access_cb, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(cfg->threads > 0 ? cfg->threads : 1),
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->max_connections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)(cfg->max_per_ip > 0 ? cfg->max_per_ip : 0),
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, completed_cb, s,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape_uri, NULL, MHD_OPTION_END);
    if (!s->mhd) {
        prep_writer_stop(s->writer);
        server_free(s);
        return prep_fail(err, PREP_E_IO, "cannot listen on %s:%d (in use, or no permission)",
                         cfg->addr, cfg->port);
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : cfg->port;
    life_arg la = {s, "server.start"};
    prep_job job = {.fn = log_life, .arg = &la};
    if (prep_writer_run(s->writer, &job, err) < 0) {
        free(job.reply);
        MHD_stop_daemon(s->mhd);
        prep_writer_stop(s->writer);
        server_free(s);
        return -1;
    }
    if (corte_timer_start(s, err) < 0) {
        MHD_stop_daemon(s->mhd);
        prep_writer_stop(s->writer);
        server_free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int prep_http_port(const prep_server *s)
{
    return s->port;
}

void prep_http_stop(prep_server *s)
{
    if (!s)
        return;
    s->stopping = 1;
    /* Stop accepting; requests already inside finish. */
    MHD_socket lfd = MHD_quiesce_daemon(s->mhd);
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    corte_timer_stop(s);
    /* Give requests being read a moment to reach the writer, then let it
     * finish every queued job (their connections are resumed and answered). */
    for (int i = 0; i < 20 && prep_writer_backlog(s->writer) > 0; i++)
        usleep(50000);
    life_arg la = {s, "server.stop"};
    prep_job job = {.fn = log_life, .arg = &la};
    prep_writer_run(s->writer, &job, NULL);
    free(job.reply);
    prep_writer_stop(s->writer);
    usleep(200000); /* let resumed connections send their replies */
    MHD_stop_daemon(s->mhd);
    server_free(s);
}
