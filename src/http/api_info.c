/* api_info.c — read-only views of the whole operation: GET /api/v1/avance
 * (actas per election and state, and per CATD; computed at most once a
 * second however many monitors poll it), /healthz (for load balancers and
 * the audit of which binary runs) and /metrics (Prometheus text format). */
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "util/version.h"

typedef struct {
    const prep_catalog *cat;
    int64_t (*per_catd)[PREP_EST__COUNT];
} catd_count;

static int count_catd(void *ctx, const prep_acta *a, const prep_val *v, int nf)
{
    (void)v;
    (void)nf;
    catd_count *cc = ctx;
    int catd = cc->cat->casillas[a->casilla].catd;
    if (catd >= 0 && catd <= cc->cat->ncatd && a->estado < PREP_EST__COUNT)
        cc->per_catd[catd][a->estado]++;
    return 0;
}

static int count_fc(void *ctx, const prep_fuera_catalogo *f)
{
    (void)f;
    (*(int64_t *)ctx)++;
    return 0;
}

static json_t *states_json(const int64_t *counts)
{
    json_t *o = json_object();
    for (int k = 0; k < PREP_EST__COUNT; k++)
        json_object_set_new(o, prep_estado_name(k), json_integer(counts[k]));
    return o;
}

static char *build_avance(prep_server *s, prep_store *st, prep_err *err)
{
    const prep_catalog *cat = &s->cat;
    int ncatd = cat->ncatd;
    int64_t *casillas_catd = calloc((size_t)ncatd + 1, sizeof *casillas_catd);
    int64_t(*per)[PREP_EST__COUNT] = calloc((size_t)ncatd + 1, sizeof *per);
    json_t *arr = json_array();
    char *out = NULL;
    if (!casillas_catd || !per || !arr) {
        prep_fail(err, PREP_E_NOMEM, "out of memory");
        goto done;
    }
    for (int c = 0; c < cat->ncasillas; c++)
        if (cat->casillas[c].catd >= 0 && cat->casillas[c].catd <= ncatd)
            casillas_catd[cat->casillas[c].catd]++;
    if (prep_store_begin(st, 0, err) < 0)
        goto done;
    for (int e = 0; e < cat->nelecciones; e++) {
        int64_t counts[PREP_EST__COUNT], fc = 0, stored = 0;
        memset(per, 0, sizeof *per * ((size_t)ncatd + 1));
        catd_count cc = {cat, per};
        int nf = PREP_NFIELDS(cat->elecciones[e].ncols);
        if (st->vt->acta_counts(st, e, counts, err) < 0 ||
            st->vt->fc_iter(st, e, count_fc, &fc, err) < 0 ||
            st->vt->acta_iter(st, e, 0, PREP_EST__COUNT - 1, count_catd, &cc, nf, err) < 0) {
            prep_store_rollback(st);
            goto done;
        }
        for (int k = 1; k < PREP_EST__COUNT; k++)
            stored += counts[k];
        counts[PREP_EST_ESPERADA] = cat->ncasillas - stored;
        json_t *catds = json_array();
        for (int d = 1; d <= ncatd; d++) {
            int64_t st_d = 0;
            for (int k = 1; k < PREP_EST__COUNT; k++)
                st_d += per[d][k];
            per[d][PREP_EST_ESPERADA] = casillas_catd[d] - st_d;
            json_array_append_new(catds, json_pack("{s:i,s:I,s:o}", "catd", d, "esperadas",
                                                   (json_int_t)casillas_catd[d], "estados",
                                                   states_json(per[d])));
        }
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:I,s:I,s:o,s:o}", "eleccion", cat->elecciones[e].codigo,
                           "nombre", cat->elecciones[e].nombre, "esperadas",
                           (json_int_t)cat->ncasillas, "fuera_catalogo", (json_int_t)fc,
                           "estados", states_json(counts), "por_catd", catds));
    }
    prep_store_rollback(st);
    char iso[32];
    prep_time_fmt_iso(prep_now(), iso);
    out = json_dump(json_pack("{s:s,s:O}", "at", iso, "elecciones", arr));
    if (!out)
        prep_fail(err, PREP_E_NOMEM, "out of memory");
done:
    json_decref(arr);
    free(casillas_catd);
    free(per);
    return out;
}

void api_avance(prep_req *r)
{
    if (require_session(r) < 0 || require(r, PREP_ACC_AVANCE, -1) < 0)
        return;
    prep_server *s = r->srv;
    prep_err err = {0};
    pthread_mutex_lock(&s->avance_mu);
    int64_t now = prep_mono_us();
    if (!s->avance_json || now - s->avance_at > 1000000) {
        prep_store *st = prep_http_store(s, &err);
        char *fresh = st ? build_avance(s, st, &err) : NULL;
        if (fresh) {
            free(s->avance_json);
            s->avance_json = fresh;
            s->avance_at = now;
        }
    }
    if (s->avance_json)
        reply_text(r, 200, "application/json; charset=utf-8", s->avance_json,
                   strlen(s->avance_json));
    else
        reply_err(r, &err);
    pthread_mutex_unlock(&s->avance_mu);
}

void api_healthz(prep_req *r)
{
    prep_err err = {0};
    char v[32];
    prep_store *st = prep_http_store(r->srv, &err);
    int ok = st && st->vt->meta_get(st, "schema_version", v, sizeof v, &err) == 0;
    json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s}", "status", ok ? "ok" : "error", "version",
                          PREP_VERSION, "commit", prep_source_commit(), "binario",
                          prep_binary_sha256(), "db", ok ? "ok" : err.msg);
    reply_json(r, ok ? 200 : 503, j);
}

void api_metrics(prep_req *r)
{
    prep_server *s = r->srv;
    prep_buf b;
    prep_buf_init(&b);
    prep_buf_printf(&b,
                    "# HELP prep_build_info The running build.\n# TYPE prep_build_info gauge\n"
                    "prep_build_info{version=\"%s\",commit=\"%s\",binario=\"%s\"} 1\n",
                    PREP_VERSION, prep_source_commit(), prep_binary_sha256());
    prep_metrics_render(&s->metrics, &b);
    prep_buf_printf(&b, "# HELP prep_writer_queue Write requests waiting for the writer.\n"
                        "# TYPE prep_writer_queue gauge\nprep_writer_queue %d\n",
                    prep_writer_backlog(s->writer));
    prep_err err = {0};
    prep_store *st = prep_http_store(s, &err);
    if (st) {
        prep_buf_puts(&b, "# HELP prep_actas Actas per election and state.\n"
                          "# TYPE prep_actas gauge\n");
        prep_buf backlog;
        prep_buf_init(&backlog);
        prep_buf_puts(&backlog, "# HELP prep_backlog Actas waiting for each phase "
                                "(digitalizacion: acopiadas without image; captura: "
                                "digitalizadas and capturadas once; verificacion: por verificar "
                                "and discrepancias; publicacion: verificadas).\n"
                                "# TYPE prep_backlog gauge\n");
        for (int e = 0; e < s->cat.nelecciones; e++) {
            int64_t n[PREP_EST__COUNT], stored = 0;
            if (st->vt->acta_counts(st, e, n, &err) < 0)
                break;
            for (int k = 1; k < PREP_EST__COUNT; k++)
                stored += n[k];
            n[PREP_EST_ESPERADA] = s->cat.ncasillas - stored;
            const char *code = s->cat.elecciones[e].codigo;
            for (int k = 0; k < PREP_EST__COUNT; k++)
                prep_buf_printf(&b, "prep_actas{eleccion=\"%s\",estado=\"%s\"} %lld\n", code,
                                prep_estado_name(k), (long long)n[k]);
            prep_buf_printf(&backlog,
                            "prep_backlog{eleccion=\"%s\",fase=\"digitalizacion\"} %lld\n"
                            "prep_backlog{eleccion=\"%s\",fase=\"captura\"} %lld\n"
                            "prep_backlog{eleccion=\"%s\",fase=\"verificacion\"} %lld\n"
                            "prep_backlog{eleccion=\"%s\",fase=\"publicacion\"} %lld\n",
                            code, (long long)n[PREP_EST_ACOPIADA], code,
                            (long long)(n[PREP_EST_DIGITALIZADA] + n[PREP_EST_CAPTURADA]), code,
                            (long long)(n[PREP_EST_POR_VERIFICAR] + n[PREP_EST_DISCREPANCIA]),
                            code, (long long)n[PREP_EST_VERIFICADA]);
        }
        prep_buf_append(&b, backlog.data, backlog.len);
        prep_buf_free(&backlog);
    }
    if (prep_buf_ok(&b))
        reply_text(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
    else
        reply_errf(r, PREP_E_NOMEM, "out of memory");
    prep_buf_free(&b);
}
