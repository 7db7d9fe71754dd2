/* api_admin.c — the administration API of the operators' pages:
 * /api/v1/usuarios (list, create, change role / CATD / CAE / state, reset a
 * password) and /api/v1/cortes (history, and a corte now, taken by the corte
 * thread in corte_timer.c). Passwords are hashed here, in the request thread,
 * so argon2id never runs inside the writer's transaction; every change is
 * one writer job with its bitácora entry (src/ops/users.c). */
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "ops/users.h"
#include "publish/names.h"

json_t *user_to_json(const prep_user *u)
{
    char iso[32];
    prep_time_fmt_iso(u->creado, iso);
    return json_pack("{s:I,s:s,s:s,s:i,s:i,s:b,s:s}", "id", (json_int_t)u->id, "nombre",
                     u->nombre, "rol", u->rol, "catd", u->catd, "cae", u->cae, "activo",
                     u->activo, "creado", iso);
}

json_t *corte_to_json(const prep_corte_info *c)
{
    char iso[32];
    prep_time_fmt_iso(c->at, iso);
    return json_pack("{s:i,s:s,s:b,s:s+,s:s,s:I}", "numero", c->numero, "hora", iso, "final",
                     c->final, "directorio", PREP_CORTES_DIR "/", c->dir, "manifest_sha256",
                     c->manifest_sha, "actas", (json_int_t)c->actas);
}

typedef struct {
    prep_server *s;
    const prep_actor *actor;
    int create;
    char nombre[64], rol[16];
    int catd, cae, activo;
    int has_rol;
    char pwhash[128];
    int has_pw;
} user_arg;

static int job_user(prep_ops *o, prep_job *job, prep_err *err)
{
    user_arg *a = job->arg;
    prep_user u;
    int noop = 0;
    if (a->create) {
        if (prep_user_create_hashed(o, a->actor, a->nombre, a->rol, a->catd, a->cae, a->pwhash,
                                    &u, err) < 0)
            return -1;
        job->status = 201;
    } else {
        prep_user_edit ed = {.rol = a->has_rol ? a->rol : NULL, .catd = a->catd, .cae = a->cae,
                             .activo = a->activo, .pwhash = a->has_pw ? a->pwhash : NULL};
        if (prep_user_change(o, a->actor, a->nombre, &ed, &u, &noop, err) < 0)
            return -1;
        job->status = 200;
    }
    job->reply = json_dump(json_pack("{s:o,s:b}", "usuario", user_to_json(&u), "noop", noop));
    return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

/* An optional integer member: -1 when absent; -2 (and the reply queued) when
 * present but not a non-negative integer. */
static int opt_int(prep_req *r, json_t *j, const char *name)
{
    json_t *v = json_object_get(j, name);
    if (!v)
        return -1;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 10000000) {
        reply_errf(r, PREP_E_INVALID, "%s is a non-negative integer", name);
        return -2;
    }
    return (int)json_integer_value(v);
}

/* Refuse members the endpoint does not know (a typo must not pass silently). */
static int only_members(prep_req *r, json_t *j, const char *const *names)
{
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
        int known = 0;
        for (const char *const *n = names; *n; n++)
            known |= strcmp(k, *n) == 0;
        if (!known) {
            reply_errf(r, PREP_E_INVALID, "unknown member '%.40s' in the body", k);
            return -1;
        }
    }
    return 0;
}

static user_arg *new_user_arg(prep_req *r, const char *nombre)
{
    user_arg *a = calloc(1, sizeof *a);
    if (!a) {
        reply_errf(r, PREP_E_NOMEM, "out of memory");
        return NULL;
    }
    r->arg = a;
    r->free_arg = free;
    a->s = r->srv;
    a->actor = &r->caller.actor;
    a->catd = a->cae = a->activo = -1;
    snprintf(a->nombre, sizeof a->nombre, "%s", nombre);
    return a;
}

static void submit_user(prep_req *r, user_arg *a)
{
    if (take_idempotency_key(r) < 0)
        return;
    r->job.fn = job_user;
    r->job.arg = a;
    submit_job(r);
}

/* The stored account, or -1 with the reply queued (404 when absent). */
static int find_user(prep_req *r, const char *nombre, prep_user *u)
{
    prep_err err = {0};
    prep_store *st = prep_http_store(r->srv, &err);
    int rc = !st ? -1 : prep_user_name_valid(nombre) ? st->vt->user_find(st, nombre, u, &err) : 1;
    if (rc == 1)
        prep_fail(&err, PREP_E_NOT_FOUND, "no user named '%.63s'", nombre);
    if (rc != 0) {
        reply_err(r, &err);
        return -1;
    }
    return 0;
}

static int list_one(void *ctx, const prep_user *u)
{
    return json_array_append_new(ctx, user_to_json(u)) == 0 ? 0 : -1;
}

static int iter_users(prep_store *st, json_t *arr, prep_err *err)
{
    return st->vt->user_iter(st, list_one, arr, err);
}

/* A list read from the store into a new array; NULL with the reply queued. */
static json_t *read_list(prep_req *r, int (*iter)(prep_store *, json_t *, prep_err *))
{
    prep_err err = {0};
    prep_store *st = prep_http_store(r->srv, &err);
    json_t *arr = json_array();
    int rc = st && arr ? iter(st, arr, &err) : -1;
    if (rc == 0)
        return arr;
    json_decref(arr);
    if (rc > 0 || (st && !arr))
        prep_fail(&err, PREP_E_NOMEM, "out of memory");
    reply_err(r, &err);
    return NULL;
}

static void get_usuarios(prep_req *r)
{
    json_t *arr;
    if (require(r, PREP_ACC_USUARIOS_LEER, -1) < 0 || !(arr = read_list(r, iter_users)))
        return;
    reply_json(r, 200, json_pack("{s:o}", "usuarios", arr));
}

static void post_usuarios(prep_req *r)
{
    static const char *const known[] = {"nombre", "rol", "catd", "cae", "password", NULL};
    json_t *j = body_json(r, 0);
    if (!j)
        return;
    const char *nombre = json_string_value(json_object_get(j, "nombre"));
    const char *rol = json_string_value(json_object_get(j, "rol"));
    const char *pw = json_string_value(json_object_get(j, "password"));
    int catd, cae;
    prep_err err = {0};
    if (only_members(r, j, known) < 0 || (catd = opt_int(r, j, "catd")) == -2 ||
        (cae = opt_int(r, j, "cae")) == -2)
        return json_decref(j);
    if (!nombre || !rol || !pw) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID,
                          "send {\"nombre\", \"rol\", \"password\"} as strings, and catd / cae "
                          "as integers when they apply");
    }
    catd = catd < 0 ? 0 : catd;
    cae = cae < 0 ? 0 : cae;
    user_arg *a = new_user_arg(r, nombre);
    if (!a || prep_user_check(&r->srv->cat, nombre, rol, catd, cae, &err) < 0) {
        json_decref(j);
        return a ? reply_err(r, &err) : (void)0;
    }
    a->create = 1;
    snprintf(a->rol, sizeof a->rol, "%s", rol);
    a->catd = catd;
    a->cae = cae;
    /* Natural key: the same account asked for again (a retry without an
     * Idempotency-Key) is a no-op; a different one under an existing name is
     * a conflict. */
    prep_store *st = prep_http_store(r->srv, &err);
    prep_user old;
    int rc = st ? st->vt->user_find(st, nombre, &old, &err) : -1;
    if (rc < 0) {
        json_decref(j);
        return reply_err(r, &err);
    }
    if (rc == 0 && !header(r, "Idempotency-Key")) {
        int same = strcmp(old.rol, rol) == 0 && old.catd == catd && old.cae == cae &&
                   old.activo && prep_password_check(old.pwhash, pw);
        json_decref(j);
        if (!same)
            return reply_errf(r, PREP_E_CONFLICT, "user '%s' already exists", old.nombre);
        return reply_json(r, 200, json_pack("{s:o,s:b}", "usuario", user_to_json(&old), "noop", 1));
    }
    rc = prep_password_hash(pw, a->pwhash, &err);
    json_decref(j);
    if (rc < 0)
        return reply_err(r, &err);
    submit_user(r, a);
}

/* The account named in the path and the JSON body, whose members must be
 * among known; NULL with the reply queued. */
static json_t *account_body(prep_req *r, const char *nombre, prep_user *u,
                            const char *const *known)
{
    if (find_user(r, nombre, u) < 0)
        return NULL;
    json_t *j = body_json(r, 0);
    if (j && only_members(r, j, known) < 0) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static void patch_usuario(prep_req *r, const char *nombre)
{
    static const char *const known[] = {"rol", "catd", "cae", "activo", NULL};
    prep_user u;
    json_t *j = account_body(r, nombre, &u, known);
    if (!j)
        return;
    user_arg *a = new_user_arg(r, u.nombre);
    if (!a || (a->catd = opt_int(r, j, "catd")) == -2 || (a->cae = opt_int(r, j, "cae")) == -2)
        return json_decref(j);
    json_t *rol = json_object_get(j, "rol"), *act = json_object_get(j, "activo");
    if ((rol && !json_is_string(rol)) || (act && !json_is_boolean(act))) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID, "rol is a string and activo true or false");
    }
    if (!rol && !act && a->catd < 0 && a->cae < 0) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID, "change at least one of rol, catd, cae, activo");
    }
    if (rol) {
        a->has_rol = 1;
        snprintf(a->rol, sizeof a->rol, "%.15s", json_string_value(rol));
        if (prep_rol_from_name(json_string_value(rol)) < 0) {
            json_decref(j);
            return reply_errf(r, PREP_E_INVALID,
                              "unknown role (admin, acopio, digitalizacion, captura, "
                              "verificacion, cotejo, cae, monitor, auditor)");
        }
    }
    a->activo = act ? json_is_true(act) : -1;
    json_decref(j);
    submit_user(r, a);
}

static void post_password(prep_req *r, const char *nombre)
{
    static const char *const known[] = {"password", NULL};
    prep_user u;
    json_t *j = account_body(r, nombre, &u, known);
    if (!j)
        return;
    const char *pw = json_string_value(json_object_get(j, "password"));
    if (!pw) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID, "send {\"password\": \"...\"}");
    }
    prep_err err = {0};
    user_arg *a = new_user_arg(r, u.nombre);
    /* The password it already has: nothing to do (a retry). */
    if (a && prep_password_check(u.pwhash, pw)) {
        json_decref(j);
        return reply_json(r, 200, json_pack("{s:o,s:b}", "usuario", user_to_json(&u), "noop", 1));
    }
    int rc = a ? prep_password_hash(pw, a->pwhash, &err) : -1;
    json_decref(j);
    if (!a)
        return;
    if (rc < 0)
        return reply_err(r, &err);
    a->has_pw = 1;
    submit_user(r, a);
}

void api_usuarios(prep_req *r, const char *nombre, const char *sub)
{
    if (require_session(r) < 0)
        return;
    const char *m = r->method;
    if (!nombre) {
        if (strcmp(m, "GET") == 0)
            return get_usuarios(r);
        if (strcmp(m, "POST") == 0)
            return require(r, PREP_ACC_USUARIOS, -1) < 0 ? (void)0 : post_usuarios(r);
        return method_not_allowed(r, "GET, POST");
    }
    if (!sub) {
        if (strcmp(m, "GET") == 0) {
            prep_user u;
            if (require(r, PREP_ACC_USUARIOS_LEER, -1) < 0 || find_user(r, nombre, &u) < 0)
                return;
            return reply_json(r, 200, json_pack("{s:o}", "usuario", user_to_json(&u)));
        }
        if (strcmp(m, "PATCH") == 0)
            return require(r, PREP_ACC_USUARIOS, -1) < 0 ? (void)0 : patch_usuario(r, nombre);
        return method_not_allowed(r, "GET, PATCH");
    }
    if (strcmp(sub, "password") != 0)
        return reply_errf(r, PREP_E_NOT_FOUND, "no such resource: %s", r->path);
    if (strcmp(m, "POST") != 0)
        return method_not_allowed(r, "POST");
    if (require(r, PREP_ACC_USUARIOS, -1) < 0)
        return;
    post_password(r, nombre);
}

/* ---- cortes ---- */

static int corte_one(void *ctx, const prep_corte_info *c)
{
    return json_array_append_new(ctx, corte_to_json(c)) == 0 ? 0 : -1;
}

static int iter_cortes(prep_store *st, json_t *arr, prep_err *err)
{
    return st->vt->corte_iter(st, corte_one, arr, err);
}

void api_cortes_get(prep_req *r)
{
    json_t *arr;
    if (require_session(r) < 0 || require(r, PREP_ACC_CORTES_LEER, -1) < 0 ||
        !(arr = read_list(r, iter_cortes)))
        return;
    reply_json(r, 200, json_pack("{s:o,s:i}", "cortes", arr, "cada_min", r->srv->cfg.corte_every));
}

void api_cortes_post(prep_req *r)
{
    static const char *const known[] = {"final", NULL};
    if (require_session(r) < 0 || require(r, PREP_ACC_CORTE, -1) < 0)
        return;
    json_t *j = body_json(r, 1);
    if (!j)
        return;
    json_t *f = json_object_get(j, "final");
    if (only_members(r, j, known) < 0)
        return json_decref(j);
    if (f && !json_is_boolean(f)) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID, "final is true or false");
    }
    int final = f && json_is_true(f);
    json_decref(j);
    if (take_idempotency_key(r) < 0)
        return;
    corte_request(r, final);
}
