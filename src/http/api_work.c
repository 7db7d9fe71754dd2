/* api_work.c — the work queues: POST /api/v1/trabajo/{fase}/siguiente
 * leases the next acta of the phase to the caller (204 when there is none),
 * POST /api/v1/trabajo/{fase}/liberar gives it back. Leases run through the
 * writer, so two operators asking at once are serialised and never get the
 * same acta. Leases are not acta events: they are not in the bitácora. */
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

typedef struct {
    prep_server *s;
    int64_t user;
    int catd;
    prep_fase fase;
    int e, c;
    int liberar;
} work_arg;

static int job_work(prep_ops *o, prep_job *job, prep_err *err)
{
    work_arg *a = job->arg;
    if (a->liberar) {
        if (o->st->vt->lease_release(o->st, a->e, a->c, a->user, err) < 0)
            return -1;
        job->status = 200;
        job->reply = strdup("{\"liberada\":true}");
        return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    prep_time now = prep_now(), until = now + (prep_time)a->s->cfg.lease_seconds * 1000;
    int e, c;
    int rc = o->st->vt->lease_next(o->st, a->fase, a->user, a->e, a->catd, now, until, &e, &c, err);
    if (rc < 0)
        return -1;
    if (rc == 1) {
        job->status = 204;
        return 0;
    }
    prep_acta acta;
    if (o->st->vt->acta_get(o->st, e, c, &acta, NULL, 0, err) < 0)
        return -1;
    json_t *aj = acta_to_json(a->s, NULL, &acta, 0, err);
    if (!aj)
        return -1;
    char iso[32];
    prep_time_fmt_iso(until, iso);
    job->status = 200;
    job->reply = json_dump(json_pack("{s:s,s:s,s:s,s:o}", "eleccion",
                                     a->s->cat.elecciones[e].codigo, "clave",
                                     a->s->cat.casillas[c].clave, "expira", iso, "acta", aj));
    return job->reply ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}

void api_trabajo(prep_req *r, const char *fase, const char *accion)
{
    prep_fase f;
    prep_accion need;
    if (strcmp(fase, "captura") == 0) {
        f = PREP_FASE_CAPTURA;
        need = PREP_ACC_CAPTURA;
    } else if (strcmp(fase, "verificacion") == 0) {
        f = PREP_FASE_VERIFICACION;
        need = PREP_ACC_VERIFICACION;
    } else if (strcmp(fase, "cotejo") == 0) {
        f = PREP_FASE_COTEJO;
        need = PREP_ACC_COTEJO;
    } else {
        return reply_errf(r, PREP_E_NOT_FOUND, "work queues: captura, verificacion, cotejo");
    }
    int liberar = strcmp(accion, "liberar") == 0;
    if (!liberar && strcmp(accion, "siguiente") != 0)
        return reply_errf(r, PREP_E_NOT_FOUND, "ask for .../siguiente or .../liberar");
    if (require_session(r) < 0 || require(r, need, -1) < 0)
        return;
    json_t *j = body_json(r, !liberar);
    if (!j)
        return;
    work_arg *a = calloc(1, sizeof *a);
    if (!a) {
        json_decref(j);
        return reply_errf(r, PREP_E_NOMEM, "out of memory");
    }
    r->arg = a;
    r->free_arg = free;
    a->s = r->srv;
    a->user = r->caller.u.id;
    a->catd = r->caller.u.catd;
    a->fase = f;
    a->liberar = liberar;
    a->e = -1;
    a->c = -1;
    const char *el = json_string_value(json_object_get(j, "eleccion"));
    const char *clave = json_string_value(json_object_get(j, "clave"));
    if (json_object_get(j, "eleccion") && !el) {
        json_decref(j);
        return reply_errf(r, PREP_E_INVALID, "eleccion is a string such as \"GUB\"");
    }
    if (el && (a->e = prep_catalog_find_eleccion(&r->srv->cat, el)) < 0) {
        reply_errf(r, PREP_E_NOT_FOUND, "unknown election '%.16s'", el); /* el lives in j */
        return json_decref(j);
    }
    if (liberar) {
        a->c = clave ? prep_catalog_find_casilla(&r->srv->cat, clave) : -1;
        if (a->e < 0 || a->c < 0) {
            json_decref(j);
            return reply_errf(r, PREP_E_INVALID,
                              "liberar needs the eleccion and clave of a catalog casilla");
        }
    }
    json_decref(j);
    r->job = (prep_job){.fn = job_work, .arg = a};
    submit_job(r);
}
