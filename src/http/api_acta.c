/* api_acta.c — /api/v1/elecciones/{E}/actas/{CLAVE}[/sub-resource] and
 * /api/v1/elecciones/{E}/fuera-catalogo. Each handler checks everything it
 * can in its HTTP thread (session, role and scope, JSON, image hash and QR)
 * and hands one job to the group-commit writer, whose reply is sent after
 * the COMMIT. The acta operations themselves are src/ops. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/rules.h"
#include "http/internal.h"
#include "images/imgstore.h"
#include "images/qr.h"
#include "ops/users.h"
#include "util/hash.h"

typedef enum { K_ACOPIO, K_SIN_ACTA, K_IMAGEN, K_CAPTURA, K_VERIFICA, K_RESUELVE,
               K_RECHAZA_CAPTURA, K_RECHAZA_IMAGEN, K_COTEJO, K_FUERA_CATALOGO } kind;

typedef struct {
    prep_server *s;
    const prep_actor *actor;
    kind k;
    int e, c;
    int motivo, resultado, elegida, has_vals;
    prep_val vals[PREP_MAX_FIELDS];
    prep_imagen im;
    char ident[64];
} acta_arg;

/* Refuse work on an acta another operator holds a live lease on. */
static int check_lease(prep_ops *o, const acta_arg *a, prep_time now, prep_err *err)
{
    int64_t user;
    prep_time until;
    if (o->st->vt->lease_get(o->st, a->e, a->c, &user, &until, err) < 0)
        return -1;
    if (user != 0 && user != a->actor->user && until > now) {
        char t[24];
        prep_time_fmt(until, t);
        return prep_fail(err, PREP_E_CONFLICT,
                         "another operator holds this acta until %s (UTC-6); ask for other work",
                         t);
    }
    return 0;
}

static int job_acta(prep_ops *o, prep_job *job, prep_err *err)
{
    acta_arg *a = job->arg;
    prep_time now = prep_now();
    prep_acta out;
    int noop = 0, rc = -1, nf = PREP_NFIELDS(a->s->cat.elecciones[a->e].ncols);
    int leased = a->k == K_CAPTURA || a->k == K_VERIFICA || a->k == K_RESUELVE ||
                 a->k == K_RECHAZA_CAPTURA || a->k == K_RECHAZA_IMAGEN || a->k == K_COTEJO;
    if (leased && check_lease(o, a, now, err) < 0)
        return -1;
    switch (a->k) {
    case K_ACOPIO:
        rc = prep_ops_acopio(o, a->actor, a->e, a->c, now, &out, &noop, err);
        break;
    case K_SIN_ACTA:
        rc = prep_ops_sin_acta(o, a->actor, a->e, a->c, a->motivo, now, &out, &noop, err);
        break;
    case K_IMAGEN:
        a->im.recibida = now;
        rc = prep_ops_imagen(o, a->actor, &a->im, &out, &noop, err);
        break;
    case K_CAPTURA:
        rc = prep_ops_captura(o, a->actor, a->e, a->c, a->vals, nf, now, &out, err);
        break;
    case K_VERIFICA:
        rc = prep_ops_verifica(o, a->actor, a->e, a->c, now, &out, &noop, err);
        break;
    case K_RESUELVE:
        rc = prep_ops_resuelve(o, a->actor, a->e, a->c, a->elegida,
                               a->has_vals ? a->vals : NULL, nf, now, &out, err);
        break;
    case K_RECHAZA_CAPTURA:
        rc = prep_ops_rechaza_captura(o, a->actor, a->e, a->c, now, &out, err);
        break;
    case K_RECHAZA_IMAGEN:
        rc = prep_ops_rechaza_imagen(o, a->actor, a->e, a->c, now, &out, err);
        break;
    case K_COTEJO:
        rc = prep_ops_cotejo(o, a->actor, a->e, a->c, a->resultado, a->has_vals ? a->vals : NULL,
                             nf, now, &out, &noop, err);
        break;
    case K_FUERA_CATALOGO: {
        prep_fuera_catalogo fc;
        if (prep_ops_fuera_catalogo(o, a->actor, a->e, a->ident, now, &fc, &noop, err) < 0)
            return -1;
        char iso[32];
        prep_time_fmt_iso(fc.at, iso);
        job->status = noop ? 200 : 201;
        job->reply = json_dump(json_pack("{s:{s:I,s:s,s:s,s:i,s:s},s:b}", "fuera_catalogo", "id",
                                         (json_int_t)fc.id, "eleccion",
                                         a->s->cat.elecciones[a->e].codigo, "identificacion",
                                         fc.identificacion, "catd", fc.catd, "at", iso, "noop",
                                         noop));
        return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    }
    if (rc < 0)
        return -1;
    /* The operator is done with this acta: free it for the next one. */
    if (leased && o->st->vt->lease_release(o->st, a->e, a->c, a->actor->user, err) < 0)
        return -1;
    json_t *aj = acta_to_json(a->s, NULL, &out, 0, err);
    if (!aj)
        return -1;
    json_t *rep = json_pack("{s:o,s:b}", "acta", aj, "noop", noop);
    if (a->k == K_IMAGEN && rep)
        json_object_set_new(rep, "imagen",
                            json_pack("{s:s,s:b,s:o}", "sha256", a->im.sha, "activa",
                                      strcmp(out.imagen, a->im.sha) == 0, "qr",
                                      a->im.qr[0] ? json_string(a->im.qr) : json_null()));
    job->status = a->k == K_IMAGEN && !noop ? 201 : 200;
    job->reply = json_dump(rep);
    return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

static acta_arg *new_arg(prep_req *r, kind k, int e, int c)
{
    acta_arg *a = calloc(1, sizeof *a);
    if (!a) {
        reply_errf(r, PREP_E_NOMEM, "out of memory");
        return NULL;
    }
    a->s = r->srv;
    a->actor = &r->caller.actor;
    a->k = k;
    a->e = e;
    a->c = c;
    a->elegida = -1;
    r->arg = a;
    r->free_arg = free;
    return a;
}

static void submit(prep_req *r, acta_arg *a)
{
    if (take_idempotency_key(r) < 0)
        return;
    r->job.fn = job_acta;
    r->job.arg = a;
    submit_job(r);
}

static int find_eleccion(prep_req *r, const char *code)
{
    int e = prep_catalog_find_eleccion(&r->srv->cat, code);
    if (e < 0)
        reply_errf(r, PREP_E_NOT_FOUND, "unknown election '%.16s'", code);
    return e;
}

/* ---- GET acta ---- */

static void get_acta(prep_req *r, int e, int c)
{
    if (require(r, PREP_ACC_ACTA_LEER, c) < 0)
        return;
    prep_err err = {0};
    prep_store *st = prep_http_store(r->srv, &err);
    prep_acta a;
    if (!st || st->vt->acta_get(st, e, c, &a, NULL, 0, &err) < 0)
        return reply_err(r, &err);
    int detail = 1;
    if (prep_authz_role_can(r->caller.scope.rol, PREP_ACC_ACTA_CAPTURAS))
        detail |= 2;
    json_t *j = acta_to_json(r->srv, st, &a, detail, &err);
    if (!j)
        return reply_err(r, &err);
    const prep_eleccion *el = &r->srv->cat.elecciones[e];
    int u = prep_catalog_unidad_of(&r->srv->cat, e, c);
    json_t *campos = json_array();
    for (int f = 0; f < PREP_NFIELDS(el->ncols); f++) {
        int col = f - PREP_F_COL0;
        int aplica = !(col >= 0 && col < el->ncols) || prep_eleccion_aplica(el, u, col);
        json_array_append_new(campos, json_pack("{s:s,s:b}", "nombre", field_name(el, f),
                                                "aplica", aplica));
    }
    json_object_set_new(j, "campos", campos);
    reply_json(r, 200, j);
}

/* ---- images ---- */

static void lower(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'F')
            *s = (char)(*s - 'A' + 'a');
}

static void post_imagen(prep_req *r, int e, int c)
{
    const char *origen = header(r, "X-Origen");
    int casilla = origen && strcmp(origen, "CASILLA") == 0;
    if (!origen || (!casilla && strcmp(origen, "CATD") != 0))
        return reply_errf(r, PREP_E_INVALID, "X-Origen must be CASILLA (phone) or CATD (scanner)");
    if (require(r, casilla ? PREP_ACC_IMAGEN_CASILLA : PREP_ACC_IMAGEN_CATD, c) < 0)
        return;
    const char *declared = header(r, "X-Content-SHA256");
    char want[65];
    if (!declared || strlen(declared) != 64)
        return reply_errf(r, PREP_E_INVALID, "X-Content-SHA256 must carry the image's SHA-256 "
                                             "as 64 hex characters");
    memcpy(want, declared, 65);
    lower(want);
    if (!prep_is_sha256_hex(want))
        return reply_errf(r, PREP_E_INVALID, "X-Content-SHA256 is not 64 hex characters");
    const char *ct = header(r, "Content-Type");
    prep_img_type t = PREP_IMG_UNKNOWN;
    if (ct && strncmp(ct, "image/png", 9) == 0)
        t = PREP_IMG_PNG;
    else if (ct && (strncmp(ct, "image/jpeg", 10) == 0))
        t = PREP_IMG_JPEG;
    if (t == PREP_IMG_UNKNOWN)
        return reply_errf(r, PREP_E_INVALID, "Content-Type must be image/png or image/jpeg");
    const char *dev = header(r, "X-Dispositivo");
    if (dev && !prep_station_valid(dev))
        return reply_errf(r, PREP_E_INVALID,
                          "X-Dispositivo has at most 63 printable characters, without quotes");
    if (r->body.len == 0)
        return reply_errf(r, PREP_E_INVALID, "the body must be the image bytes");
    char got[65];
    prep_sha256_hex(r->body.data, r->body.len, got);
    if (strcmp(got, want) != 0)
        return reply_errf(r, PREP_E_HASH,
                          "the image received has SHA-256 %s, not the %s declared: it was "
                          "damaged on the way; send it again",
                          got, want);
    memcpy(r->body_sha, got, sizeof r->body_sha);
    if (prep_img_sniff(r->body.data, r->body.len) != t)
        return reply_errf(r, PREP_E_INVALID, "the bytes are not a %s image", prep_img_mime(t));
    prep_err err = {0};
    char qrtext[256], clave[12] = "";
    int q = prep_qr_decode(r->body.data, r->body.len, qrtext, sizeof qrtext, &err);
    if (q < 0 && err.code != PREP_E_TOO_LARGE)
        return reply_err(r, &err);
    const char *want_clave = r->srv->cat.casillas[c].clave;
    if (q == 1 && prep_qr_clave(qrtext, clave) == 0 && strcmp(clave, want_clave) != 0)
        return reply_errf(r, PREP_E_CONFLICT,
                          "the QR code of this image names casilla %s, not %s: it was not "
                          "stored; check which acta this is",
                          clave, want_clave);
    acta_arg *a = new_arg(r, K_IMAGEN, e, c);
    if (!a)
        return;
    if (prep_img_put(r->srv->datadir, got, r->body.data, r->body.len, &err) < 0)
        return reply_err(r, &err);
    prep_imagen *im = &a->im;
    memcpy(im->sha, got, 65);
    im->eleccion = e;
    im->casilla = c;
    im->origen = casilla ? PREP_ORIGEN_CASILLA : PREP_ORIGEN_CATD;
    im->digitalizacion = casilla ? PREP_DIG_MOVIL : PREP_DIG_ESCANER;
    im->bytes = (int64_t)r->body.len;
    im->user = r->caller.u.id;
    snprintf(im->dispositivo, sizeof im->dispositivo, "%s", dev ? dev : "");
    snprintf(im->qr, sizeof im->qr, "%s", clave);
    submit(r, a);
}

static void get_imagen(prep_req *r, int e, int c, const char *sha)
{
    if (require(r, PREP_ACC_IMAGEN_LEER, c) < 0)
        return;
    if (!prep_is_sha256_hex(sha))
        return reply_errf(r, PREP_E_INVALID, "an image is named by its SHA-256 (64 lowercase hex)");
    prep_err err = {0};
    prep_store *st = prep_http_store(r->srv, &err);
    prep_imagen list[16];
    int n = 0, known = 0;
    if (!st || st->vt->imagen_list(st, e, c, list, 16, &n, &err) < 0)
        return reply_err(r, &err);
    for (int i = 0; i < n; i++)
        known |= strcmp(list[i].sha, sha) == 0;
    if (!known)
        return reply_errf(r, PREP_E_NOT_FOUND, "this acta has no image %s", sha);
    int fd;
    size_t size;
    if (prep_img_open(r->srv->datadir, sha, &fd, &size, &err) < 0)
        return reply_err(r, &err);
    unsigned char head[8] = {0};
    ssize_t got = pread(fd, head, sizeof head, 0);
    const char *mime = prep_img_mime(prep_img_sniff(head, got > 0 ? (size_t)got : 0));
    struct MHD_Response *resp = MHD_create_response_from_fd(size, fd);
    if (!resp) {
        close(fd);
        return reply_errf(r, PREP_E_NOMEM, "out of memory");
    }
    MHD_add_response_header(resp, "Content-Type", mime);
    MHD_add_response_header(resp, "X-Content-SHA256", sha);
    MHD_add_response_header(resp, "Cache-Control", "private, max-age=31536000, immutable");
    add_security_headers(resp, "default-src 'none'", 0);
    MHD_queue_response(r->conn, 200, resp);
    MHD_destroy_response(resp);
    r->queued = 1;
    r->status = 200;
}

/* ---- the acta's sub-resources ---- */

static void post_capturas(prep_req *r, int e, int c)
{
    if (require(r, PREP_ACC_CAPTURA, c) < 0)
        return;
    json_t *j = body_json(r, 0);
    if (!j)
        return;
    acta_arg *a = new_arg(r, K_CAPTURA, e, c);
    prep_err err = {0};
    int rc = a ? vals_from_json(&r->srv->cat, e, c, json_object_get(j, "valores"), a->vals, &err)
               : -1;
    json_decref(j);
    if (!a)
        return;
    if (rc < 0)
        return reply_err(r, &err);
    a->has_vals = 1;
    submit(r, a);
}

static void post_verificacion(prep_req *r, int e, int c)
{
    if (require(r, PREP_ACC_VERIFICACION, c) < 0)
        return;
    json_t *j = body_json(r, 0);
    if (!j)
        return;
    const char *res = json_string_value(json_object_get(j, "resultado"));
    json_t *eleg = json_object_get(j, "elegida"), *vals = json_object_get(j, "valores");
    kind k;
    if (res && strcmp(res, "acepta") == 0)
        k = K_VERIFICA;
    else if (res && strcmp(res, "rechaza_captura") == 0)
        k = K_RECHAZA_CAPTURA;
    else if (res && strcmp(res, "rechaza_imagen") == 0)
        k = K_RECHAZA_IMAGEN;
    else if (res && strcmp(res, "resuelve") == 0)
        k = K_RESUELVE;
    else {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID,
                          "resultado is acepta, rechaza_captura, rechaza_imagen or resuelve");
    }
    acta_arg *a = new_arg(r, k, e, c);
    if (!a) {
        json_decref(j);
        return;
    }
    prep_err err = {0};
    int rc = 0;
    if (k == K_RESUELVE) {
        if (eleg && vals)
            rc = prep_fail(&err, PREP_E_INVALID, "give either elegida or valores, not both");
        else if (eleg) {
            json_int_t n = json_is_integer(eleg) ? json_integer_value(eleg) : 0;
            if (n < 1 || n > PREP_MAX_CAPTURAS)
                rc = prep_fail(&err, PREP_E_INVALID, "elegida is the capture number, 1 to 3");
            a->elegida = (int)n - 1;
        } else if (vals) {
            rc = vals_from_json(&r->srv->cat, e, c, vals, a->vals, &err);
            a->has_vals = 1;
        } else {
            rc = prep_fail(&err, PREP_E_INVALID, "resuelve needs elegida (1-3) or valores");
        }
    } else if (eleg || vals) {
        rc = prep_fail(&err, PREP_E_INVALID, "elegida and valores go only with resuelve");
    }
    json_decref(j);
    if (rc < 0)
        return reply_err(r, &err);
    submit(r, a);
}

static void post_cotejo(prep_req *r, int e, int c)
{
    if (require(r, PREP_ACC_COTEJO, c) < 0)
        return;
    json_t *j = body_json(r, 0);
    if (!j)
        return;
    const char *res = json_string_value(json_object_get(j, "resultado"));
    json_t *vals = json_object_get(j, "valores");
    int resultado = !res                                    ? 0
                    : strcmp(res, "aceptada") == 0          ? PREP_COTEJO_ACEPTADA
                    : strcmp(res, "corregida") == 0         ? PREP_COTEJO_CORREGIDA
                    : strcmp(res, "en_correccion") == 0     ? PREP_COTEJO_EN_CORRECCION
                                                            : 0;
    prep_err err = {0};
    int rc = 0;
    acta_arg *a = NULL;
    if (!resultado)
        rc = prep_fail(&err, PREP_E_INVALID, "resultado is aceptada, corregida or en_correccion");
    else if ((resultado == PREP_COTEJO_CORREGIDA) != (vals != NULL))
        rc = prep_fail(&err, PREP_E_INVALID, "valores go with corregida, and only with it");
    else if (!(a = new_arg(r, K_COTEJO, e, c))) {
        json_decref(j);
        return;
    } else {
        a->resultado = resultado;
        if (vals) {
            rc = vals_from_json(&r->srv->cat, e, c, vals, a->vals, &err);
            a->has_vals = 1;
        }
    }
    json_decref(j);
    if (rc < 0)
        return reply_err(r, &err);
    submit(r, a);
}

static void post_simple(prep_req *r, int e, int c, kind k)
{
    if (require(r, PREP_ACC_ACOPIO, c) < 0)
        return;
    json_t *j = body_json(r, k == K_ACOPIO);
    if (!j)
        return;
    int motivo = 0;
    if (k == K_SIN_ACTA) {
        const char *m = json_string_value(json_object_get(j, "motivo"));
        motivo = m ? prep_sin_acta_from_codigo(m) : -1;
        if (motivo <= 0) {
            json_decref(j);
            return reply_errf(r, PREP_E_INVALID, "motivo is paquete_no_entregado, "
                                                 "casilla_no_instalada or sin_sobre");
        }
    }
    json_decref(j);
    acta_arg *a = new_arg(r, k, e, c);
    if (!a)
        return;
    a->motivo = motivo;
    submit(r, a);
}

void api_acta(prep_req *r, const char *elec, const char *clave, const char *sub,
              const char *sub2)
{
    int get = strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0;
    int post = strcmp(r->method, "POST") == 0;
    if (require_session(r) < 0)
        return;
    int e = find_eleccion(r, elec);
    if (e < 0)
        return;
    int c = prep_catalog_find_casilla(&r->srv->cat, clave);
    if (c < 0)
        return reply_errf(r, PREP_E_NOT_FOUND,
                          "no casilla %.16s in the catalog (register it fuera de catálogo if "
                          "the acta is real)",
                          clave);
    const char *allowed = NULL;
    if (!sub) {
        if (get)
            return get_acta(r, e, c);
        allowed = "GET";
    } else if (strcmp(sub, "imagenes") == 0 && sub2) {
        if (get)
            return get_imagen(r, e, c, sub2);
        allowed = "GET";
    } else if (sub2) {
        return reply_errf(r, PREP_E_NOT_FOUND, "no such resource: %s", r->path);
    } else if (strcmp(sub, "imagenes") == 0) {
        if (post)
            return post_imagen(r, e, c);
        allowed = "POST";
    } else if (strcmp(sub, "acopio") == 0 || strcmp(sub, "sin-acta") == 0) {
        if (post)
            return post_simple(r, e, c, sub[0] == 'a' ? K_ACOPIO : K_SIN_ACTA);
        allowed = "POST";
    } else if (strcmp(sub, "capturas") == 0) {
        if (post)
            return post_capturas(r, e, c);
        allowed = "POST";
    } else if (strcmp(sub, "verificacion") == 0) {
        if (post)
            return post_verificacion(r, e, c);
        allowed = "POST";
    } else if (strcmp(sub, "cotejo") == 0) {
        if (post)
            return post_cotejo(r, e, c);
        allowed = "POST";
    } else {
        return reply_errf(r, PREP_E_NOT_FOUND, "no such resource: %s", r->path);
    }
    json_t *j = json_pack("{s:{s:s,s:s+}}", "error", "code", "method_not_allowed", "message",
                          "method not allowed here; allowed: ", allowed);
    reply_json(r, 405, j);
}

void api_fuera_catalogo(prep_req *r, const char *elec)
{
    if (require_session(r) < 0 || require(r, PREP_ACC_FUERA_CATALOGO, -1) < 0)
        return;
    int e = find_eleccion(r, elec);
    if (e < 0)
        return;
    json_t *j = body_json(r, 0);
    if (!j)
        return;
    const char *id = json_string_value(json_object_get(j, "identificacion"));
    if (!id || !*id || strlen(id) > 63) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID,
                          "identificacion (what is read on the acta, 1-63 characters) is required");
    }
    acta_arg *a = new_arg(r, K_FUERA_CATALOGO, e, -1);
    if (a)
        snprintf(a->ident, sizeof a->ident, "%s", id);
    json_decref(j);
    if (a)
        submit(r, a);
}
