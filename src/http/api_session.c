/* api_session.c — POST/GET/DELETE /api/v1/session: log in with name,
 * password and workstation (throttled per user and per address), see who
 * you are, log out. Also GET /api/v1/elecciones (fields of each election's
 * acta, for capture forms). Every login, failed login and logout is written
 * to the bitácora through the writer before the reply. */
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "ops/users.h"

typedef struct {
    prep_user u;
    char estacion[64];
    char token[PREP_TOKEN_HEX], sha[PREP_TOKEN_HEX];
    char nombre[64];
    char client[64];
    prep_time expires;
    prep_actor actor;
} login_arg;

static int job_login(prep_ops *o, prep_job *job, prep_err *err)
{
    login_arg *a = job->arg;
    prep_time now = prep_now();
    if (prep_session_open(o, &a->u, a->sha, a->estacion, now, a->expires, err) < 0)
        return -1;
    char iso[32];
    prep_time_fmt_iso(a->expires, iso);
    json_t *j = json_pack("{s:s,s:s,s:{s:s,s:s,s:i,s:i}}", "token", a->token, "expira", iso,
                          "usuario", "nombre", a->u.nombre, "rol", a->u.rol, "catd", a->u.catd,
                          "cae", a->u.cae);
    job->status = 201;
    job->reply = json_dump(j);
    return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

static int job_login_failed(prep_ops *o, prep_job *job, prep_err *err)
{
    login_arg *a = job->arg;
    char object[80], after[128];
    snprintf(object, sizeof object, "user/%s", a->nombre);
    snprintf(after, sizeof after, "{\"cliente\":\"%s\"}", a->client);
    if (prep_ops_log(o, &a->actor, prep_now(), "session.fallida", object, "", after, err) < 0)
        return -1;
    /* The attempt is recorded; the client is told it failed. */
    job->status = 401;
    job->reply = strdup("{\"error\":{\"code\":\"unauthorized\",\"message\":\"wrong user name or "
                        "password\"}}");
    return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

/* Name for the bitácora of a failed login: what was typed if it is a
 * plausible name, else a marker (never arbitrary bytes). */
static void safe_name(const char *in, char *out, size_t cap)
{
    snprintf(out, cap, "%s", in && prep_user_name_valid(in) ? in : "(invalid)");
}

void api_session_post(prep_req *r)
{
    prep_server *s = r->srv;
    json_t *j = body_json(r, 0);
    if (!j)
        return;
    const char *nombre = json_string_value(json_object_get(j, "usuario"));
    const char *pw = json_string_value(json_object_get(j, "password"));
    json_t *est = json_object_get(j, "estacion");
    const char *estacion = est ? json_string_value(est) : "";
    if (!nombre || !pw || !estacion) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID,
                          "send {\"usuario\": ..., \"password\": ..., \"estacion\": ...} as strings");
    }
    if (!prep_station_valid(estacion)) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID,
                          "estacion has at most 63 printable characters, without quotes");
    }
    int64_t now_us = prep_mono_us();
    int wait = prep_limits_login_check(&s->limits, nombre, r->client, now_us);
    if (wait > 0) {
        json_decref(j);
        __atomic_fetch_add(&s->metrics.throttled, 1, __ATOMIC_RELAXED);
        return reply_errf(r, PREP_E_RATE, "too many failed logins: retry in %d s", wait);
    }
    login_arg *a = calloc(1, sizeof *a);
    if (!a) {
        json_decref(j);
        return reply_errf(r, PREP_E_NOMEM, "out of memory");
    }
    r->arg = a;
    r->free_arg = free;
    snprintf(a->estacion, sizeof a->estacion, "%s", estacion);
    snprintf(a->client, sizeof a->client, "%s", r->client);
    safe_name(nombre, a->nombre, sizeof a->nombre);
    prep_err err = {0};
    prep_store *st = prep_http_store(s, &err);
    if (!st) {
        json_decref(j);
        return reply_err(r, &err);
    }
    int rc = prep_user_name_valid(nombre) ? st->vt->user_find(st, nombre, &a->u, &err) : 1;
    if (rc < 0) {
        json_decref(j);
        return reply_err(r, &err);
    }
    /* Unknown users cost the same argon2id check as known ones. */
    int ok = prep_password_check(rc == 0 ? a->u.pwhash : s->dummy_hash, pw) && rc == 0 &&
             a->u.activo;
    json_decref(j);
    prep_limits_login_result(&s->limits, a->nombre, r->client, ok, prep_mono_us());
    if (!ok) {
        __atomic_fetch_add(&s->metrics.login_fail, 1, __ATOMIC_RELAXED);
        a->actor = (prep_actor){.user = rc == 0 ? a->u.id : 0, .nombre = a->nombre,
                                .rol = rc == 0 ? a->u.rol : "", .station = a->estacion};
        r->job = (prep_job){.fn = job_login_failed, .arg = a};
        return submit_job(r);
    }
    prep_token_new(a->token, a->sha);
    a->expires = prep_now() + (prep_time)s->cfg.session_seconds * 1000;
    r->job = (prep_job){.fn = job_login, .arg = a};
    submit_job(r);
}

static int job_logout(prep_ops *o, prep_job *job, prep_err *err)
{
    prep_caller *c = job->arg;
    if (prep_session_close(o, &c->actor, c->token_sha, prep_now(), err) < 0)
        return -1;
    job->status = 200;
    job->reply = strdup("{\"cerrada\":true}");
    return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

void api_session_delete(prep_req *r)
{
    if (require_session(r) < 0)
        return;
    r->job = (prep_job){.fn = job_logout, .arg = &r->caller};
    submit_job(r);
}

void api_session_get(prep_req *r)
{
    if (require_session(r) < 0)
        return;
    prep_user *u = &r->caller.u;
    static const char *const codes[PREP_ACC__COUNT] = {
        "acta_leer", "acta_capturas", "imagen_leer",  "acopio",       "fuera_catalogo",
        "imagen_catd", "imagen_casilla", "captura", "verificacion", "cotejo", "avance",
        "usuarios_leer", "usuarios", "cortes_leer", "corte"};
    json_t *acc = json_array();
    for (int a = 0; a < PREP_ACC__COUNT; a++)
        if (prep_authz_role_can(r->caller.scope.rol, (prep_accion)a))
            json_array_append_new(acc, json_string(codes[a]));
    reply_json(r, 200,
               json_pack("{s:s,s:s,s:i,s:i,s:s,s:o}", "nombre", u->nombre, "rol", u->rol, "catd",
                         u->catd, "cae", u->cae, "estacion", r->caller.estacion, "permisos",
                         acc));
}

const char *field_name(const prep_eleccion *el, int f)
{
    int col = f - PREP_F_COL0;
    if (col >= 0 && col < el->ncols)
        return el->cols[col].nombre;
    return prep_field_fixed_name(f, el->ncols);
}

void api_elecciones(prep_req *r)
{
    if (require_session(r) < 0)
        return;
    const prep_catalog *cat = &r->srv->cat;
    json_t *arr = json_array();
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        json_t *campos = json_array();
        for (int f = 0; f < PREP_NFIELDS(el->ncols); f++)
            json_array_append_new(campos, json_string(field_name(el, f)));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:o}", "codigo", el->codigo, "nombre",
                                             el->nombre, "campos", campos));
    }
    reply_json(r, 200, json_pack("{s:o,s:i}", "elecciones", arr, "catd", cat->ncatd));
}
