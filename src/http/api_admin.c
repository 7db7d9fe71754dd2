/* api_admin.c — what the admin page needs until the operations API has its
 * own administrative endpoints (issue 4): GET/POST /api/v1/admin/usuarios
 * (list, create), POST /api/v1/admin/usuarios/{nombre} (activo, rol, catd,
 * cae, password), GET/POST /api/v1/admin/cortes (history; run one now).
 * Admin role only. Every change goes through the writer with its bitácora
 * entry ("user.add", "user.update", "corte.solicitado"); passwords are
 * hashed in the HTTP thread, never stored or logged in clear. */
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "ops/users.h"
#include "publish/corte.h"

static int require_admin(prep_req *r)
{
    if (require_session(r) < 0)
        return -1;
    if (r->caller.scope.rol != PREP_ROL_ADMIN) {
        reply_errf(r, PREP_E_FORBIDDEN, "only an admin account may manage users and cortes");
        return -1;
    }
    return 0;
}

static json_t *user_to_json(const prep_user *u)
{
    char iso[32];
    prep_time_fmt_iso(u->creado, iso);
    return json_pack("{s:I,s:s,s:s,s:i,s:i,s:b,s:s}", "id", (json_int_t)u->id, "nombre", u->nombre,
                     "rol", u->rol, "catd", u->catd, "cae", u->cae, "activo", u->activo,
                     "creado", iso);
}

static int add_user(void *ctx, const prep_user *u)
{
    json_array_append_new(ctx, user_to_json(u));
    return 0;
}

typedef struct {
    prep_server *s;
    const prep_actor *actor;
    char nombre[64], rol[16], password[PREP_PASSWORD_MAX + 1];
    int catd, cae, activo;      /* -1 = unchanged */
    int has_password, create;
    char pwhash[128];
    prep_user out;
} user_arg;

static void user_line(const prep_user *u, char *buf, size_t cap)
{
    snprintf(buf, cap, "{\"rol\":\"%s\",\"catd\":%d,\"cae\":%d,\"activo\":%s}", u->rol, u->catd,
             u->cae, u->activo ? "true" : "false");
}

static int job_user(prep_ops *o, prep_job *job, prep_err *err)
{
    user_arg *a = job->arg;
    if (a->create) {
        if (prep_user_create(o, a->actor, a->nombre, a->rol, a->catd, a->cae, a->password, &a->out,
                             err) < 0)
            return -1;
        job->status = 201;
    } else {
        prep_user u;
        int rc = o->st->vt->user_find(o->st, a->nombre, &u, err);
        if (rc < 0)
            return -1;
        if (rc == 1)
            return prep_fail(err, PREP_E_NOT_FOUND, "no user named '%s'", a->nombre);
        char before[200], after[200], object[80];
        user_line(&u, before, sizeof before);
        if (a->rol[0])
            snprintf(u.rol, sizeof u.rol, "%s", a->rol);
        if (a->catd >= 0)
            u.catd = a->catd;
        if (a->cae >= 0)
            u.cae = a->cae;
        if (a->activo >= 0)
            u.activo = a->activo;
        if (a->has_password)
            memcpy(u.pwhash, a->pwhash, sizeof u.pwhash);
        int r = prep_rol_from_name(u.rol);
        if ((r == PREP_ROL_CAE) != (u.cae > 0))
            return prep_fail(err, PREP_E_INVALID, "a cae account needs a CAE number, and only it");
        if (u.catd < 0 || u.catd > a->s->cat.ncatd)
            return prep_fail(err, PREP_E_INVALID, "CATD %d does not exist in the catalog", u.catd);
        if (o->st->vt->user_update(o->st, &u, err) < 0)
            return -1;
        user_line(&u, after, sizeof after);
        if (a->has_password) /* the hash is not logged; that it changed is */
            snprintf(after + strlen(after) - 1, sizeof after - strlen(after) + 1,
                     ",\"password\":\"cambiada\"}");
        snprintf(object, sizeof object, "user/%s", u.nombre);
        if (prep_ops_log(o, a->actor, prep_now(), "user.update", object, before, after, err) < 0)
            return -1;
        a->out = u;
        job->status = 200;
    }
    job->reply = json_dump(json_pack("{s:o}", "usuario", user_to_json(&a->out)));
    return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

static int int_field(json_t *j, const char *k, int *out, int lo, int hi)
{
    json_t *x = json_object_get(j, k);
    if (!x)
        return 0;
    if (!json_is_integer(x) || json_integer_value(x) < lo || json_integer_value(x) > hi)
        return -1;
    *out = (int)json_integer_value(x);
    return 0;
}

static void post_user(prep_req *r, const char *nombre)
{
    json_t *j = body_json(r, 0);
    if (!j)
        return;
    user_arg *a = calloc(1, sizeof *a);
    if (!a) {
        json_decref(j);
        return reply_errf(r, PREP_E_NOMEM, "out of memory");
    }
    r->arg = a;
    r->free_arg = free;
    a->s = r->srv;
    a->actor = &r->caller.actor;
    a->create = nombre == NULL;
    a->catd = a->cae = a->activo = a->create ? 0 : -1;
    const char *n = a->create ? json_string_value(json_object_get(j, "nombre")) : nombre;
    const char *rol = json_string_value(json_object_get(j, "rol"));
    const char *pw = json_string_value(json_object_get(j, "password"));
    json_t *act = json_object_get(j, "activo");
    const char *bad = NULL;
    if (!n || strlen(n) >= sizeof a->nombre)
        bad = "nombre is the account's name";
    else if (rol && prep_rol_from_name(rol) < 0)
        bad = "rol is admin, acopio, digitalizacion, captura, verificacion, cotejo, cae, monitor "
              "or auditor";
    else if (a->create && (!rol || !pw))
        bad = "a new account needs nombre, rol and password";
    else if (pw && (strlen(pw) < PREP_PASSWORD_MIN || strlen(pw) > PREP_PASSWORD_MAX))
        bad = "password has 10 to 256 characters";
    else if (int_field(j, "catd", &a->catd, 0, 100000) < 0 ||
             int_field(j, "cae", &a->cae, 0, 1000000) < 0)
        bad = "catd and cae are whole numbers (0 = none)";
    else if (act && (!json_is_boolean(act) || a->create))
        bad = "activo (true or false) changes an existing account";
    if (bad) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID, "%s", bad);
    }
    snprintf(a->nombre, sizeof a->nombre, "%s", n);
    snprintf(a->rol, sizeof a->rol, "%s", rol ? rol : "");
    if (act)
        a->activo = json_is_true(act);
    prep_err err = {0};
    if (pw && a->create)
        snprintf(a->password, sizeof a->password, "%s", pw);
    else if (pw) {
        a->has_password = 1;
        if (prep_password_hash(pw, a->pwhash, &err) < 0) {
            json_decref(j);
            return reply_err(r, &err);
        }
    }
    json_decref(j);
    r->job = (prep_job){.fn = job_user, .arg = a};
    submit_job(r);
}

static json_t *corte_to_json(const prep_corte_info *c)
{
    char iso[32];
    prep_time_fmt_iso(c->at, iso);
    return json_pack("{s:i,s:s,s:b,s:s,s:s,s:I}", "numero", c->numero, "at", iso, "final",
                     c->final, "dir", c->dir, "manifest_sha256", c->manifest_sha, "actas",
                     (json_int_t)c->actas);
}

static int add_corte(void *ctx, const prep_corte_info *c)
{
    json_array_append_new(ctx, corte_to_json(c));
    return 0;
}

typedef struct {
    const prep_actor *actor;
    prep_corte_info info;
} corte_arg;

static int job_corte_log(prep_ops *o, prep_job *job, prep_err *err)
{
    corte_arg *a = job->arg;
    char object[32], after[400];
    snprintf(object, sizeof object, "corte/%d", a->info.numero);
    snprintf(after, sizeof after, "{\"dir\":\"%s\",\"actas\":%lld}", a->info.dir,
             (long long)a->info.actas);
    if (prep_ops_log(o, a->actor, prep_now(), "corte.solicitado", object, "", after, err) < 0)
        return -1;
    job->status = 201;
    job->reply = json_dump(json_pack("{s:o}", "corte", corte_to_json(&a->info)));
    return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

static void run_corte(prep_req *r)
{
    prep_server *s = r->srv;
    prep_err err = {0};
    corte_arg *a = calloc(1, sizeof *a);
    if (!a)
        return reply_errf(r, PREP_E_NOMEM, "out of memory");
    r->arg = a;
    r->free_arg = free;
    a->actor = &r->caller.actor;
    /* A corte reads one snapshot and writes its own transaction: it runs on a
     * connection of its own, as the automatic cortes and `prep corte` do. */
    prep_store *st = NULL;
    if (prep_store_open(s->datadir, &st, &err) < 0)
        return reply_err(r, &err);
    int rc = prep_corte_run(s->datadir, st, &s->cat, 0, &a->info, &err);
    prep_store_close(st);
    if (rc < 0)
        return reply_err(r, &err);
    __atomic_fetch_add(&s->metrics.cortes, 1, __ATOMIC_RELAXED);
    r->job = (prep_job){.fn = job_corte_log, .arg = a};
    submit_job(r);
}

void api_admin(prep_req *r, const char *what, const char *name)
{
    int get = strcmp(r->method, "GET") == 0, post = strcmp(r->method, "POST") == 0;
    if (require_admin(r) < 0)
        return;
    prep_err err = {0};
    if (strcmp(what, "usuarios") == 0) {
        if (post)
            return post_user(r, name);
        if (!get || name)
            return reply_errf(r, PREP_E_INVALID, "GET or POST /api/v1/admin/usuarios, POST "
                                                 "/api/v1/admin/usuarios/{nombre}");
        prep_store *st = prep_http_store(r->srv, &err);
        json_t *arr = json_array();
        if (!st || st->vt->user_iter(st, add_user, arr, &err) < 0) {
            json_decref(arr);
            return reply_err(r, &err);
        }
        return reply_json(r, 200, json_pack("{s:o}", "usuarios", arr));
    }
    if (strcmp(what, "cortes") == 0 && !name) {
        if (post)
            return run_corte(r);
        if (!get)
            return reply_errf(r, PREP_E_INVALID, "GET or POST /api/v1/admin/cortes");
        prep_store *st = prep_http_store(r->srv, &err);
        json_t *arr = json_array();
        char fin[32] = "", cada[16] = "0";
        if (!st || st->vt->corte_iter(st, add_corte, arr, &err) < 0) {
            json_decref(arr);
            return reply_err(r, &err);
        }
        prep_err no = {0};
        if (st->vt->meta_get(st, PREP_META_CORTE_FINAL, fin, sizeof fin, &no) != 0)
            fin[0] = '\0';
        if (st->vt->meta_get(st, PREP_META_CORTE_CADA, cada, sizeof cada, &no) != 0)
            strcpy(cada, "0");
        return reply_json(r, 200, json_pack("{s:o,s:i,s:o}", "cortes", arr, "cada_min", atoi(cada),
                                            "final", fin[0] ? json_integer(atoi(fin)) : json_null()));
    }
    reply_errf(r, PREP_E_NOT_FOUND, "no such resource: %s", r->path);
}
