/* workers.c — the virtual people of a drill, one thread each, all through
 * the HTTP API: CAE (photo from the casilla, MOVIL), acopio (arrival of the
 * paquete, sin acta, fuera de catálogo), digitalización (scan, ESCANER),
 * capturistas and verificadores (taking work from the queues). Each plays
 * the faults the truth planned for it and records how they ended. What a
 * capturista types comes from the truth (sim_capture_values); what the
 * verifier checks is the truth against what the server holds. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/drill_internal.h"
#include "util/hash.h"

#define API "/api/v1"

static const char *ecode(sim_drill *d, int e)
{
    return d->cat->elecciones[e].codigo;
}

static void acta_path(sim_drill *d, int e, int c, const char *sub, char *out, size_t cap)
{
    snprintf(out, cap, API "/elecciones/%s/actas/%s%s%s", ecode(d, e), d->cat->casillas[c].clave,
             sub ? "/" : "", sub ? sub : "");
}

static const char *token_of(sim_drill *d, int account)
{
    return account >= 0 ? d->acc.a[account].token : NULL;
}

/* First thing that happens to an acta: counts it as registered. */
static void registered(sim_drill *d, int e, int c)
{
    uint8_t old = atomic_fetch_or(&d->st[e][c].flags, A_REG);
    if (!(old & A_REG))
        d->registradas++;
}

static int login_if_needed(sim_drill *d, sim_http *h, int account)
{
    sim_account *x = &d->acc.a[account];
    if (x->token[0])
        return 0;
    prep_err err = {0};
    char est[96];
    snprintf(est, sizeof est, "simulacro %s", x->nombre);
    if (sim_http_login(h, x->nombre, d->acc.password, est, x->token, &err) < 0) {
        sim_unexpected(d, "%s", err.msg);
        return -1;
    }
    return 0;
}

/* ---- images --------------------------------------------------------------- */

/* Render and upload one image of acta (e, c); corrupt: send damaged bytes
 * first (the server must refuse them), retry: send it twice (the second must
 * be a no-op). Returns 0 when the server stored it. */
static int upload(sim_drill *d, sim_http *h, prep_buf *img, const char *token, int e, int c,
                  sim_img_kind kind, int corrupt, int retry)
{
    prep_err err = {0};
    int64_t t0 = sim_now_us();
    if (sim_render_acta(&d->truth, e, c, kind, &d->ropts, img, &err) < 0) {
        sim_unexpected(d, "render %s %s: %s", ecode(d, e), d->cat->casillas[c].clave, err.msg);
        return -1;
    }
    d->render_us += sim_now_us() - t0;
    d->img_bytes += (int64_t)img->len;
    d->img_count++;
    uint8_t bin[32];
    char sha[65], path[256], code[32];
    prep_sha256(img->data, img->len, bin);
    prep_hex(bin, 32, sha);
    acta_path(d, e, c, "imagenes", path, sizeof path);
    int foto = kind == SIM_IMG_FOTO;
    sim_req_opts ro = {.token = token, .content_type = "image/png", .sha256 = sha,
                       .origen = foto ? "CASILLA" : "CATD",
                       .dispositivo = foto ? "telefono-simulacro" : "escaner-simulacro"};
    if (corrupt) {
        unsigned char *bad = malloc(img->len);
        if (bad) {
            memcpy(bad, img->data, img->len);
            bad[img->len / 2] ^= 0x20; /* one bit flipped on the way */
            int rc = sim_http_req(h, "POST", path, bad, img->len, &ro, &err);
            free(bad);
            if (rc == 0 && h->status >= 400 && h->status < 500 &&
                strcmp(sim_http_error_code(h, code, sizeof code), prep_errcode_name(PREP_E_HASH)) ==
                    0) {
                d->fault[SIM_FAULT_CORRUPT].ok++;
            } else {
                d->fault[SIM_FAULT_CORRUPT].bad++;
                sim_unexpected(d, "damaged image of %s %s was not refused as a hash mismatch "
                                  "(HTTP %ld %.120s)",
                               ecode(d, e), d->cat->casillas[c].clave, h->status,
                               prep_buf_str(&h->resp));
            }
        }
    }
    for (int attempt = 0; attempt < 5; attempt++) {
        if (sim_http_req(h, "POST", path, img->data, img->len, &ro, &err) < 0) {
            sim_unexpected(d, "%s", err.msg);
            return -1;
        }
        if (h->status == 200 || h->status == 201)
            break;
        if (h->status == 503 || h->status == 429) {
            sim_sleep_ms(200);
            continue;
        }
        sim_unexpected(d, "image of %s %s refused: HTTP %ld %.200s", ecode(d, e),
                       d->cat->casillas[c].clave, h->status, prep_buf_str(&h->resp));
        return -1;
    }
    if (h->status != 200 && h->status != 201)
        return -1;
    json_t *j = json_loadb(h->resp.data, h->resp.len, 0, NULL);
    int activa = json_is_true(json_object_get(json_object_get(j, "imagen"), "activa"));
    json_decref(j);
    sim_acta_st *s = &d->st[e][c];
    memcpy(foto ? s->foto_sha : s->escaneo_sha, bin, 32);
    atomic_fetch_or(&s->flags, (uint8_t)((foto ? A_FOTO : A_ESCANEO) |
                                         (activa ? (foto ? A_ACTIVA_FOTO : A_ACTIVA_ESCANEO) : 0)));
    if (retry) { /* the phone lost signal before the reply: it sends again */
        long first = h->status;
        if (sim_http_req(h, "POST", path, img->data, img->len, &ro, &err) == 0 &&
            h->status == 200 && first == 201) {
            json_t *r2 = json_loadb(h->resp.data, h->resp.len, 0, NULL);
            int noop = json_is_true(json_object_get(r2, "noop"));
            json_decref(r2);
            if (noop)
                d->fault[SIM_FAULT_RETRY_UPLOAD].ok++;
            else
                d->fault[SIM_FAULT_RETRY_UPLOAD].bad++;
        } else {
            d->fault[SIM_FAULT_RETRY_UPLOAD].bad++;
            sim_unexpected(d, "resent photo of %s %s: HTTP %ld (first %ld) %.120s", ecode(d, e),
                           d->cat->casillas[c].clave, h->status, first, prep_buf_str(&h->resp));
        }
    }
    if (foto) {
        int32_t none = -1;
        atomic_compare_exchange_strong(&s->ms_foto, &none, sim_ms(d));
    }
    registered(d, e, c);
    sim_hist_add(d, foto ? PH_FOTO : PH_ESCANEO);
    sim_note_progress(d);
    return 0;
}

/* ---- CAE ------------------------------------------------------------------ */

void *sim_cae_thread(void *arg)
{
    sim_worker *w = arg;
    sim_drill *d = w->d;
    sim_http h;
    prep_buf img;
    prep_buf_init(&img);
    prep_err err = {0};
    if (sim_http_init(&h, d->base, &err) == 0) {
        int i;
        while (!d->stop && (i = atomic_fetch_add(&d->next_foto, 1)) < d->nfotos) {
            const sim_event *ev = &d->fotos[i];
            sim_wait_virtual(d, ev->t);
            int c = ev->c, acc = d->acc.cae[d->cat->casillas[c].cae];
            if (login_if_needed(d, &h, acc) < 0)
                continue;
            for (int e = 0; e < d->cat->nelecciones && !d->stop; e++)
                upload(d, &h, &img, token_of(d, acc), e, c, SIM_IMG_FOTO,
                       sim_has(&d->truth, e, c, SIM_FAULT_CORRUPT),
                       sim_has(&d->truth, e, c, SIM_FAULT_RETRY_UPLOAD));
        }
        d->http_requests += h.requests;
        d->http_retries += h.transport_retries;
        sim_http_free(&h);
    } else {
        sim_unexpected(d, "%s", err.msg);
    }
    prep_buf_free(&img);
    d->producers_left--;
    return NULL;
}

/* ---- acopio ----------------------------------------------------------------- */

static int post_simple(sim_drill *d, sim_http *h, const char *token, int e, int c,
                       const char *sub, json_t *body)
{
    char path[256], idem[96];
    acta_path(d, e, c, sub, path, sizeof path);
    snprintf(idem, sizeof idem, "%s-%s-%s", sub, ecode(d, e), d->cat->casillas[c].clave);
    sim_req_opts ro = {.token = token, .idem = idem};
    prep_err err = {0};
    for (int attempt = 0; attempt < 5; attempt++) {
        long st = sim_http_json(h, path, body, &ro, NULL, &err);
        if (st == 200 || st == 201)
            return 0;
        if (st == 503 || st == 429) {
            sim_sleep_ms(200);
            continue;
        }
        if (st < 0)
            sim_unexpected(d, "%s", err.msg);
        else
            sim_unexpected(d, "%s of %s %s: HTTP %ld %.200s", sub, ecode(d, e),
                           d->cat->casillas[c].clave, st, prep_buf_str(&h->resp));
        return -1;
    }
    return -1;
}

/* Test fault "drop-scan": the first acta that only a scan would bring in and
 * that must be counted is never scanned. */
static int test_drop(sim_drill *d, int e, int c)
{
    if (!d->o->test_fault || strcmp(d->o->test_fault, "drop-scan") != 0 ||
        d->truth.cas[c].t_photo >= 0)
        return 0;
    sim_expect x;
    sim_expect_acta(&d->truth, e, c, &x);
    if (x.kind != SIM_EXP_PUBLICADA || !x.res.contabilizada)
        return 0;
    int expected = 0;
    if (!atomic_compare_exchange_strong(&d->test_drop_done, &expected, 1))
        return 0;
    atomic_fetch_or(&d->st[e][c].flags, A_DROPPED);
    d->objetivo--;
    return 1;
}

void *sim_acopio_thread(void *arg)
{
    sim_worker *w = arg;
    sim_drill *d = w->d;
    const prep_catalog *cat = d->cat;
    sim_http h;
    prep_err err = {0};
    if (sim_http_init(&h, d->base, &err) == 0) {
        int i;
        while (!d->stop && (i = atomic_fetch_add(&d->next_llegada, 1)) < d->nllegadas) {
            const sim_event *ev = &d->llegadas[i];
            sim_wait_virtual(d, ev->t);
            if (ev->c < 0) { /* an acta fuera de catálogo */
                const sim_fuera *f = &d->truth.fuera[-1 - ev->c];
                int acc = d->acc.acopio[f->catd];
                if (login_if_needed(d, &h, acc) < 0)
                    continue;
                char path[128], idem[96];
                snprintf(path, sizeof path, API "/elecciones/%s/fuera-catalogo", ecode(d, f->eleccion));
                snprintf(idem, sizeof idem, "fuera-%d", -1 - ev->c);
                sim_req_opts ro = {.token = token_of(d, acc), .idem = idem};
                json_t *b = json_pack("{s:s}", "identificacion", f->ident);
                long st = sim_http_json(&h, path, b, &ro, NULL, &err);
                json_decref(b);
                if (st == 201 || st == 200) {
                    d->fault[SIM_FAULT_FUERA].ok++;
                } else {
                    d->fault[SIM_FAULT_FUERA].bad++;
                    sim_unexpected(d, "fuera de catálogo %s: HTTP %ld %.200s", f->ident, st,
                                   prep_buf_str(&h.resp));
                }
                sim_note_progress(d);
                continue;
            }
            int c = ev->c;
            const sim_casilla *s = &d->truth.cas[c];
            int acc = d->acc.acopio[cat->casillas[c].catd];
            if (login_if_needed(d, &h, acc) < 0)
                continue;
            for (int e = 0; e < cat->nelecciones && !d->stop; e++) {
                if (s->faults & SIM_FAULT_BIT(SIM_FAULT_SIN_ACTA)) {
                    json_t *b = json_pack("{s:s}", "motivo", prep_sin_acta_codigo(s->motivo));
                    int rc = post_simple(d, &h, token_of(d, acc), e, c, "sin-acta", b);
                    json_decref(b);
                    if (rc == 0) {
                        registered(d, e, c);
                        sim_hist_add(d, PH_ACOPIO);
                    }
                    continue;
                }
                if (post_simple(d, &h, token_of(d, acc), e, c, "acopio", NULL) < 0)
                    continue;
                d->st[e][c].ms_acopio = sim_ms(d);
                registered(d, e, c);
                sim_hist_add(d, PH_ACOPIO);
                /* Scan unless the casilla photo already brought the acta in. */
                int scan = s->t_photo < 0 || s->t_photo > s->t_arrival ||
                           sim_has(&d->truth, e, c, SIM_FAULT_PHOTO_SCAN);
                if (scan && !test_drop(d, e, c))
                    sim_scan_push(d, e, c);
            }
            sim_note_progress(d);
        }
        d->http_requests += h.requests;
        d->http_retries += h.transport_retries;
        sim_http_free(&h);
    } else {
        sim_unexpected(d, "%s", err.msg);
    }
    d->acopio_left--;
    pthread_mutex_lock(&d->qmu);
    pthread_cond_broadcast(&d->qcv);
    pthread_mutex_unlock(&d->qmu);
    d->producers_left--;
    return NULL;
}

/* ---- digitalización ------------------------------------------------------------ */

void *sim_escaneo_thread(void *arg)
{
    sim_worker *w = arg;
    sim_drill *d = w->d;
    int n = d->cat->ncasillas;
    sim_http h;
    prep_buf img;
    prep_buf_init(&img);
    prep_err err = {0};
    if (sim_http_init(&h, d->base, &err) == 0) {
        int j;
        while (!d->stop && (j = sim_scan_pop(d)) >= 0) {
            int e = j / n, c = j % n;
            int acc = d->acc.dig[d->cat->casillas[c].catd];
            if (login_if_needed(d, &h, acc) < 0)
                continue;
            /* The damaged transfer hits the acta's first image: the photo if
             * it has one, else this scan. */
            int corrupt = d->truth.cas[c].t_photo < 0 && sim_has(&d->truth, e, c, SIM_FAULT_CORRUPT);
            upload(d, &h, &img, token_of(d, acc), e, c, SIM_IMG_ESCANER, corrupt, 0);
        }
        d->http_requests += h.requests;
        d->http_retries += h.transport_retries;
        sim_http_free(&h);
    } else {
        sim_unexpected(d, "%s", err.msg);
    }
    prep_buf_free(&img);
    d->producers_left--;
    return NULL;
}

/* ---- capturistas and verificadores ------------------------------------------------ */

static int all_done(sim_drill *d)
{
    return d->stop || (d->producers_left == 0 && d->verificadas >= d->objetivo);
}

/* Ask a work queue for the next acta: 1 with (e, c, ronda, ncapturas, estado),
 * 0 when there is none now, -1 on failure. */
static int next_work(sim_drill *d, sim_http *h, const char *token, const char *fase, int *e,
                     int *c, int *ronda, int *ncap, char *estado)
{
    char path[96];
    snprintf(path, sizeof path, API "/trabajo/%s/siguiente", fase);
    sim_req_opts ro = {.token = token};
    prep_err err = {0};
    json_t *rep = NULL;
    long st = sim_http_json(h, path, NULL, &ro, &rep, &err);
    if (st == 204 || st == 503 || st == 429) {
        json_decref(rep);
        return 0;
    }
    if (st != 200) {
        if (st < 0)
            sim_unexpected(d, "%s", err.msg);
        else
            sim_unexpected(d, "%s/siguiente: HTTP %ld %.200s", fase, st, prep_buf_str(&h->resp));
        json_decref(rep);
        return -1;
    }
    const char *el = json_string_value(json_object_get(rep, "eleccion"));
    const char *cl = json_string_value(json_object_get(rep, "clave"));
    json_t *a = json_object_get(rep, "acta");
    *e = el ? prep_catalog_find_eleccion(d->cat, el) : -1;
    *c = cl ? prep_catalog_find_casilla(d->cat, cl) : -1;
    *ronda = (int)json_integer_value(json_object_get(a, "ronda"));
    *ncap = (int)json_integer_value(json_object_get(a, "ncapturas"));
    const char *es = json_string_value(json_object_get(a, "estado"));
    snprintf(estado, 24, "%s", es ? es : "");
    json_decref(rep);
    if (*e < 0 || *c < 0) {
        sim_unexpected(d, "%s/siguiente named an unknown acta", fase);
        return -1;
    }
    return 1;
}

static json_t *vals_json(const prep_val *v, int nf)
{
    json_t *a = json_array();
    char b[16];
    for (int f = 0; f < nf; f++)
        json_array_append_new(a, v[f] >= 0 ? json_integer(v[f]) : json_string(prep_val_fmt(v[f], b)));
    return a;
}

static int vals_from(json_t *a, prep_val *out, int nf)
{
    if (!json_is_array(a) || (int)json_array_size(a) != nf)
        return -1;
    for (int f = 0; f < nf; f++) {
        json_t *x = json_array_get(a, (size_t)f);
        if (json_is_integer(x))
            out[f] = (prep_val)json_integer_value(x);
        else if (!json_is_string(x) || prep_val_parse(json_string_value(x), &out[f]) < 0)
            return -1;
    }
    return 0;
}

/* An empty work queue: wait before asking again, longer each time (up to
 * 1 s), so idle operators do not flood the server with polls while the
 * images they wait for are still arriving (a cdmx drill made 87,000 empty
 * polls of 510,000 requests with a 0.4 s cap). */
#define IDLE_FIRST_MS 20
static void idle(sim_drill *d, long *backoff_ms)
{
    if (d->pace > 0) {
        sim_sleep_ms(1000);
        return;
    }
    sim_sleep_ms(*backoff_ms);
    *backoff_ms = *backoff_ms * 2 > 1000 ? 1000 : *backoff_ms * 2;
}

/* Paced drills: an operator takes a while over each acta (at most 0.2 s of
 * real time, so a demo night's few dozen operators keep up with the actas). */
static void think(sim_drill *d, double virtual_s)
{
    if (d->pace > 0) {
        double ms = virtual_s / d->pace * 1000;
        sim_sleep_ms((long)(ms < 200 ? ms : 200));
    }
}

/* One capture of a leased acta: the drill's figures for capture ncap of
 * this ronda (the truth, or a mistype where a fault says so). */
static void capture_one(sim_worker *w, sim_http *h, const char *token, int e, int c, int ronda,
                        int ncap)
{
    sim_drill *d = w->d;
    prep_err err = {0};
    int nf = d->truth.el[e].nfields, k = ronda == 0 ? ncap : 9;
    prep_val v[PREP_MAX_FIELDS];
    sim_capture_values(&d->truth, e, c, k, v);
    think(d, 60);
    json_t *b = json_pack("{s:o}", "valores", vals_json(v, nf));
    char path[256], idem[128];
    acta_path(d, e, c, "capturas", path, sizeof path);
    snprintf(idem, sizeof idem, "captura-%s-%s-%d-%d", ecode(d, e), d->cat->casillas[c].clave,
             ronda, ncap);
    sim_req_opts ro = {.token = token, .idem = idem};
    json_t *rep = NULL;
    long st = sim_http_json(h, path, b, &ro, &rep, &err);
    if (st == 200 && k == 0 && sim_has(&d->truth, e, c, SIM_FAULT_RETRY_CAPTURE)) {
        /* The reply was lost: the same request again, same key. */
        char *first = strdup(prep_buf_str(&h->resp));
        long st2 = sim_http_json(h, path, b, &ro, NULL, &err);
        if (st2 == st && first && strcmp(first, prep_buf_str(&h->resp)) == 0)
            d->fault[SIM_FAULT_RETRY_CAPTURE].ok++;
        else {
            d->fault[SIM_FAULT_RETRY_CAPTURE].bad++;
            sim_unexpected(d, "capture of %s %s resent with the same Idempotency-Key: HTTP "
                              "%ld, not the first reply",
                           ecode(d, e), d->cat->casillas[c].clave, st2);
        }
        free(first);
    }
    json_decref(b);
    if (st != 200) {
        if (st < 0)
            sim_unexpected(d, "%s", err.msg);
        else if (st != 503 && st != 429)
            sim_unexpected(d, "capture of %s %s: HTTP %ld %.200s", ecode(d, e),
                           d->cat->casillas[c].clave, st, prep_buf_str(&h->resp));
        json_decref(rep);
        return;
    }
    const char *now = json_string_value(json_object_get(json_object_get(rep, "acta"), "estado"));
    int disc = now && strcmp(now, "DISCREPANCIA") == 0;
    if (disc && k == 1) {
        d->discrepancias++;
        atomic_fetch_or(&d->st[e][c].flags, A_DISCREPANCIA);
    }
    if (k == 2 && now && strcmp(now, "POR_VERIFICAR") == 0) {
        d->resueltas_captura++;
        if (sim_has(&d->truth, e, c, SIM_FAULT_MISTYPE))
            d->fault[SIM_FAULT_MISTYPE].ok++;
    }
    json_decref(rep);
    d->capturas++;
    d->cap_count[w->index]++;
    sim_hist_add(d, PH_CAPTURA);
    sim_note_progress(d);
}

/* An operator's night: log in, then lease the next acta of its phase, act
 * on it, and again, until every acta is done (backing off while there is
 * no work). Captura and verificación differ only in act. */
typedef void (*act_fn)(sim_worker *w, sim_http *h, const char *token, int e, int c, int ronda,
                       int ncap);

static void *lease_loop(sim_worker *w, const char *fase, act_fn act)
{
    sim_drill *d = w->d;
    sim_http h;
    prep_err err = {0};
    if (sim_http_init(&h, d->base, &err) < 0) {
        sim_unexpected(d, "%s", err.msg);
        return NULL;
    }
    if (login_if_needed(d, &h, w->account) < 0) {
        sim_http_free(&h);
        return NULL;
    }
    const char *token = token_of(d, w->account);
    long backoff = IDLE_FIRST_MS;
    while (!all_done(d)) {
        int e, c, ronda, ncap;
        char estado[24];
        int rc = next_work(d, &h, token, fase, &e, &c, &ronda, &ncap, estado);
        if (rc <= 0) {
            idle(d, &backoff);
            continue;
        }
        backoff = IDLE_FIRST_MS;
        act(w, &h, token, e, c, ronda, ncap);
    }
    d->http_requests += h.requests;
    d->http_retries += h.transport_retries;
    sim_http_free(&h);
    return NULL;
}

void *sim_captura_thread(void *arg)
{
    return lease_loop(arg, "captura", capture_one);
}

/* Is sha the hash of the acta's photo or scan as the drill renders it? */
static int rendered_sha(sim_drill *d, int e, int c, const char *sha)
{
    prep_buf img;
    prep_buf_init(&img);
    int match = 0;
    for (int kind = SIM_IMG_FOTO; kind <= SIM_IMG_ESCANER && !match; kind++) {
        prep_err err = {0};
        uint8_t bin[32];
        char hex[65];
        if (sim_render_acta(&d->truth, e, c, (sim_img_kind)kind, &d->ropts, &img, &err) < 0)
            break;
        prep_sha256(img.data, img.len, bin);
        prep_hex(bin, 32, hex);
        match = strcmp(hex, sha) == 0;
    }
    prep_buf_free(&img);
    return match;
}

/* Does the server's active image of (e, c) belong to what we sent? The
 * uploading thread may not have recorded its reply yet (the server can hand
 * the acta to capture before that thread runs again), so a miss is checked
 * against the drill's own rendering of the acta. */
static int image_is_ours(sim_drill *d, int e, int c, const char *sha)
{
    sim_acta_st *s = &d->st[e][c];
    char hex[65];
    if (!sha)
        return 0;
    if (s->flags & A_FOTO) {
        prep_hex(s->foto_sha, 32, hex);
        if (strcmp(hex, sha) == 0)
            return 1;
    }
    if (s->flags & A_ESCANEO) {
        prep_hex(s->escaneo_sha, 32, hex);
        if (strcmp(hex, sha) == 0)
            return 1;
    }
    return rendered_sha(d, e, c, sha);
}

static int verify_one(sim_drill *d, sim_http *h, const char *token, int e, int c, int vindex)
{
    prep_err err = {0};
    char path[256];
    acta_path(d, e, c, NULL, path, sizeof path);
    sim_req_opts ro = {.token = token};
    if (sim_http_req(h, "GET", path, NULL, 0, &ro, &err) < 0 || h->status != 200) {
        sim_unexpected(d, "GET %s: HTTP %ld %s", path, h->status, err.msg);
        return -1;
    }
    json_t *a = json_loadb(h->resp.data, h->resp.len, 0, NULL);
    const char *estado = json_string_value(json_object_get(a, "estado"));
    const char *imagen = json_string_value(json_object_get(a, "imagen"));
    int nf = d->truth.el[e].nfields;
    const prep_val *truth = d->truth.el[e].actas[c].vals;
    prep_val v[PREP_MAX_FIELDS];
    json_t *body = NULL;
    int accept = 0;
    if (!image_is_ours(d, e, c, imagen))
        sim_unexpected(d, "%s %s: the active image %.64s is not one the drill sent",
                       ecode(d, e), d->cat->casillas[c].clave, imagen ? imagen : "(none)");
    if (estado && strcmp(estado, "DISCREPANCIA") == 0) {
        json_t *caps = json_object_get(a, "capturas");
        int pick = 0;
        size_t i;
        json_t *cp;
        json_array_foreach(caps, i, cp)
        {
            if (!pick && vals_from(json_object_get(cp, "valores"), v, nf) == 0 &&
                prep_vals_equal(v, truth, nf))
                pick = (int)json_integer_value(json_object_get(cp, "n"));
        }
        body = pick ? json_pack("{s:s,s:i}", "resultado", "resuelve", "elegida", pick)
                    : json_pack("{s:s,s:o}", "resultado", "resuelve", "valores",
                                vals_json(truth, nf));
    } else if (estado && strcmp(estado, "POR_VERIFICAR") == 0) {
        if (vals_from(json_object_get(a, "valores"), v, nf) == 0 && prep_vals_equal(v, truth, nf)) {
            body = json_pack("{s:s}", "resultado", "acepta");
            accept = 1;
        } else {
            body = json_pack("{s:s}", "resultado", "rechaza_captura");
            d->rechazos_verificador++;
            sim_unexpected(d, "%s %s: the captured values differ from the acta; verifier "
                              "rejects the capture",
                           ecode(d, e), d->cat->casillas[c].clave);
        }
    } else {
        json_decref(a);
        return 0; /* changed under us; the queue will say */
    }
    json_decref(a);
    think(d, 30);
    acta_path(d, e, c, "verificacion", path, sizeof path);
    json_t *rep = NULL;
    long st = sim_http_json(h, path, body, &ro, &rep, &err);
    json_decref(body);
    if (st != 200) {
        if (st != 503 && st != 429)
            sim_unexpected(d, "verificacion of %s %s: HTTP %ld %.200s", ecode(d, e),
                           d->cat->casillas[c].clave, st, prep_buf_str(&h->resp));
        json_decref(rep);
        return -1;
    }
    int noop = json_is_true(json_object_get(rep, "noop"));
    json_decref(rep);
    d->ver_count[vindex]++;
    if (!accept) {
        d->resueltas_verificador++;
        if (sim_has(&d->truth, e, c, SIM_FAULT_MISTYPE2))
            d->fault[SIM_FAULT_MISTYPE2].ok++;
        return 0;
    }
    if (!noop) {
        d->st[e][c].ms_verif = sim_ms(d);
        uint8_t old = atomic_fetch_or(&d->st[e][c].flags, A_VERIFICADA);
        if (!(old & A_VERIFICADA))
            d->verificadas++;
        sim_hist_add(d, PH_VERIFICACION);
        sim_note_progress(d);
    }
    return 0;
}

static void verify_job(sim_worker *w, sim_http *h, const char *token, int e, int c, int ronda,
                       int ncap)
{
    (void)ronda;
    (void)ncap;
    verify_one(w->d, h, token, e, c, w->index);
}

void *sim_verificacion_thread(void *arg)
{
    return lease_loop(arg, "verificacion", verify_job);
}
