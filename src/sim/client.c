/* client.c — the drill's HTTP client over libcurl (see client.h). One easy
 * handle per thread, so each virtual operator keeps its own keep-alive
 * connection. Only transport failures are retried here; what an HTTP error
 * means is the caller's business. */
#include "sim/client.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#define MAX_TRIES 8

int sim_http_global_init(prep_err *err)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return prep_fail(err, PREP_E_IO, "libcurl failed to initialise");
    return 0;
}

void sim_http_global_cleanup(void)
{
    curl_global_cleanup();
}

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    prep_buf *b = ctx;
    prep_buf_append(b, data, size * n);
    return prep_buf_ok(b) ? size * n : 0;
}

int sim_http_init(sim_http *c, const char *base, prep_err *err)
{
    memset(c, 0, sizeof *c);
    snprintf(c->base, sizeof c->base, "%s", base);
    size_t n = strlen(c->base);
    while (n > 0 && c->base[n - 1] == '/')
        c->base[--n] = '\0';
    prep_buf_init(&c->resp);
    CURL *h = curl_easy_init();
    if (!h)
        return prep_fail(err, PREP_E_NOMEM, "libcurl: cannot create a handle");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 120000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c->resp);
    c->curl = h;
    return 0;
}

void sim_http_free(sim_http *c)
{
    if (c->curl)
        curl_easy_cleanup(c->curl);
    prep_buf_free(&c->resp);
    memset(c, 0, sizeof *c);
}

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int sim_http_req(sim_http *c, const char *method, const char *path, const void *body,
                 size_t len, const sim_req_opts *o, prep_err *err)
{
    CURL *h = c->curl;
    char url[1024], hb[6][160];
    snprintf(url, sizeof url, "%s%s", c->base, path);
    struct curl_slist *hd = NULL;
    int nh = 0;
    sim_req_opts none = {0};
    if (!o)
        o = &none;
    if (o->token) {
        snprintf(hb[nh], sizeof hb[nh], "Authorization: Bearer %s", o->token);
        hd = curl_slist_append(hd, hb[nh++]);
    }
    if (o->idem) {
        snprintf(hb[nh], sizeof hb[nh], "Idempotency-Key: %s", o->idem);
        hd = curl_slist_append(hd, hb[nh++]);
    }
    if (body) {
        snprintf(hb[nh], sizeof hb[nh], "Content-Type: %s",
                 o->content_type ? o->content_type : "application/json");
        hd = curl_slist_append(hd, hb[nh++]);
    }
    if (o->sha256) {
        snprintf(hb[nh], sizeof hb[nh], "X-Content-SHA256: %s", o->sha256);
        hd = curl_slist_append(hd, hb[nh++]);
    }
    if (o->origen) {
        snprintf(hb[nh], sizeof hb[nh], "X-Origen: %s", o->origen);
        hd = curl_slist_append(hd, hb[nh++]);
    }
    if (o->dispositivo) {
        snprintf(hb[nh], sizeof hb[nh], "X-Dispositivo: %s", o->dispositivo);
        hd = curl_slist_append(hd, hb[nh++]);
    }
    hd = curl_slist_append(hd, "Expect:"); /* no 100-continue round trip for images */
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    if (strcmp(method, "GET") == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? (const char *)body : "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? len : 0));
        if (strcmp(method, "POST") != 0)
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    }
    CURLcode rc = CURLE_OK;
    for (int attempt = 0; attempt < MAX_TRIES; attempt++) {
        prep_buf_reset(&c->resp);
        c->requests++;
        rc = curl_easy_perform(h);
        if (rc == CURLE_OK)
            break;
        c->transport_retries++;
        nap_ms(50L << (attempt < 6 ? attempt : 6));
    }
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_slist_free_all(hd);
    if (rc != CURLE_OK)
        return prep_fail(err, PREP_E_IO, "%s %s: %s", method, url, curl_easy_strerror(rc));
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &c->status);
    prep_buf_putc(&c->resp, '\0');
    c->resp.len--;
    if (!prep_buf_ok(&c->resp))
        return prep_fail(err, PREP_E_NOMEM, "out of memory reading a reply");
    return 0;
}

long sim_http_json(sim_http *c, const char *path, json_t *body, const sim_req_opts *o,
                   json_t **reply, prep_err *err)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    if (body && !text)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    int rc = sim_http_req(c, "POST", path, text ? text : "{}", text ? strlen(text) : 2, o, err);
    free(text);
    if (rc < 0)
        return -1;
    if (reply)
        *reply = c->resp.len ? json_loadb(c->resp.data, c->resp.len, 0, NULL) : NULL;
    return c->status;
}

int sim_http_login(sim_http *c, const char *user, const char *password, const char *estacion,
                   char *token, prep_err *err)
{
    json_t *b = json_pack("{s:s,s:s,s:s}", "usuario", user, "password", password, "estacion",
                          estacion);
    json_t *rep = NULL;
    long st = b ? sim_http_json(c, "/api/v1/session", b, NULL, &rep, err) : -1;
    json_decref(b);
    if (st < 0)
        return -1;
    const char *tok = json_string_value(json_object_get(rep, "token"));
    if (st != 201 || !tok || strlen(tok) != 64) {
        prep_fail(err, PREP_E_UNAUTHORIZED, "login of %s refused (HTTP %ld): %.200s", user, st,
                  c->resp.data ? c->resp.data : "");
        json_decref(rep);
        return -1;
    }
    memcpy(token, tok, 65);
    json_decref(rep);
    return 0;
}

const char *sim_http_error_code(const sim_http *c, char *buf, size_t cap)
{
    buf[0] = '\0';
    json_t *j = c->resp.len ? json_loadb(c->resp.data, c->resp.len, 0, NULL) : NULL;
    const char *code = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
    snprintf(buf, cap, "%s", code ? code : "");
    json_decref(j);
    return buf;
}
