/* api_monitoreo.c — GET /api/v1/monitoreo: what the monitoring page shows
 * beyond /api/v1/avance: actas per hour and phase and operators active
 * (from the bitácora, read incrementally: each call reads only the entries
 * added since the last), each capturista's disagreement rate (how often a
 * capture of theirs lost a discrepancy), actas stuck in a phase, and a late
 * corte. Computed at most every 5 s and shared by every caller. Read-only.
 * Which captures of a settled acta lost is remembered per acta (keyed by
 * its ronda, number of captures and a hash of its values), so each refresh
 * reads the captures only of actas that settled or changed since the last:
 * at national scale a refresh is one scan of the actas, not a million
 * capture reads. */
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"
#include "publish/corte.h"

#define HOURS 24
#define ACTIVE_MS (15 * 60 * 1000)
enum { F_ACOPIO, F_IMAGEN, F_CAPTURA, F_VERIFICA, F_SIN_ACTA, F__N };
static const char *const fase_names[F__N] = {"acopio", "imagen", "captura", "verificacion",
                                             "sin_acta"};

typedef struct {
    int64_t id;
    prep_time last;
    int64_t capturas, perdidas;
} user_stat;

/* What the last refresh learnt about one acta's captures. ronda1 = 0: nothing yet. */
typedef struct {
    uint32_t vhash;
    uint16_t ronda1;
    uint8_t ncap, lost; /* lost: bit i = capture i differed from the settled values */
} acta_mark;

struct prep_monitor {
    int64_t seq;                    /* last bitácora entry read */
    int64_t hour0;                  /* hour number (UTC ms / 3600000) of slot 0 */
    int64_t per_hour[HOURS][F__N];  /* ring: slot = hour % HOURS */
    int64_t hour_of[HOURS];
    user_stat *users;
    int nusers, cap;
    char *json;
    int64_t at_us;
    acta_mark *marks;               /* [eleccion * ncasillas + casilla] */
    int mark_casillas;
};

void prep_monitor_free(prep_monitor *m)
{
    if (!m)
        return;
    free(m->users);
    free(m->json);
    free(m->marks);
    free(m);
}

static user_stat *user_of(prep_monitor *m, int64_t id)
{
    for (int i = 0; i < m->nusers; i++)
        if (m->users[i].id == id)
            return &m->users[i];
    if (m->nusers == m->cap) {
        int cap = m->cap ? m->cap * 2 : 64;
        user_stat *u = realloc(m->users, (size_t)cap * sizeof *u);
        if (!u)
            return NULL;
        m->users = u;
        m->cap = cap;
    }
    user_stat *u = &m->users[m->nusers++];
    *u = (user_stat){.id = id};
    return u;
}

static int read_entry(void *ctx, const prep_chain_entry *e)
{
    prep_monitor *m = ctx;
    m->seq = e->seq;
    if (e->user > 0 && strncmp(e->action, "session.fallida", 15) != 0) {
        user_stat *u = user_of(m, e->user);
        if (u && e->at > u->last)
            u->last = e->at;
    }
    int f = strcmp(e->action, "acta.acopio") == 0      ? F_ACOPIO
            : strcmp(e->action, "acta.imagen") == 0    ? F_IMAGEN
            : strcmp(e->action, "acta.captura") == 0   ? F_CAPTURA
            : strcmp(e->action, "acta.verifica") == 0  ? F_VERIFICA
            : strcmp(e->action, "acta.sin_acta") == 0  ? F_SIN_ACTA
                                                       : -1;
    if (f < 0)
        return 0;
    int64_t h = e->at / 3600000;
    int slot = (int)(h % HOURS);
    if (m->hour_of[slot] != h) {
        memset(m->per_hour[slot], 0, sizeof m->per_hour[slot]);
        m->hour_of[slot] = h;
    }
    m->per_hour[slot][f]++;
    return 0;
}

/* Disagreement and stuck actas come from the actas themselves. */
typedef struct {
    prep_monitor *m;
    prep_store *st;
    const prep_catalog *cat;
    prep_time now, stuck_before;
    json_t *stuck;
    int64_t nstuck;
    prep_err *err;
    uint64_t *capture_reads; /* metrics counter */
} acta_scan;

static prep_time last_move(const prep_acta *a)
{
    prep_time t = a->t_acopio;
    if (a->t_imagen > t)
        t = a->t_imagen;
    if (a->t_captura > t)
        t = a->t_captura;
    return t;
}

/* FNV-1a over the settled values: a correction changes it. */
static uint32_t values_hash(const prep_val *v, int nf)
{
    const unsigned char *p = (const unsigned char *)v;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < (size_t)nf * sizeof *v; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

static int scan_acta(void *ctx, const prep_acta *a, const prep_val *v, int nf)
{
    acta_scan *s = ctx;
    for (int i = 0; i < a->ncapturas && i < PREP_MAX_CAPTURAS; i++) {
        user_stat *u = user_of(s->m, a->capturista[i]);
        if (u)
            u->capturas++;
    }
    int settled = a->estado == PREP_EST_POR_VERIFICAR || a->estado == PREP_EST_VERIFICADA ||
                  a->estado == PREP_EST_PUBLICADA;
    if (settled && a->ncapturas >= 2) {
        int n = a->ncapturas < PREP_MAX_CAPTURAS ? a->ncapturas : PREP_MAX_CAPTURAS;
        uint32_t vh = values_hash(v, nf);
        acta_mark *mk = NULL;
        if (s->m->marks && a->casilla >= 0 && a->casilla < s->m->mark_casillas)
            mk = &s->m->marks[(size_t)a->eleccion * (size_t)s->m->mark_casillas +
                              (size_t)a->casilla];
        int known = mk && a->ronda >= 0 && mk->ronda1 == a->ronda + 1 && mk->ncap == n &&
                    mk->vhash == vh;
        uint8_t lost = known ? mk->lost : 0;
        for (int i = 0; !known && i < n; i++) {
            prep_val cv[PREP_MAX_FIELDS];
            int64_t user;
            prep_time at;
            int rc = s->st->vt->captura_get(s->st, a->eleccion, a->casilla, a->ronda, i, &user,
                                            &at, cv, nf, s->err);
            __atomic_fetch_add(s->capture_reads, 1, __ATOMIC_RELAXED);
            if (rc < 0)
                return -1;
            if (rc == 0 && memcmp(cv, v, (size_t)nf * sizeof *v) != 0)
                lost |= (uint8_t)(1u << i);
        }
        if (!known && mk && a->ronda >= 0 && a->ronda < UINT16_MAX)
            *mk = (acta_mark){.vhash = vh, .ronda1 = (uint16_t)(a->ronda + 1),
                              .ncap = (uint8_t)n, .lost = lost};
        for (int i = 0; lost && i < n; i++) {
            user_stat *u = lost & (1u << i) ? user_of(s->m, a->capturista[i]) : NULL;
            if (u)
                u->perdidas++;
        }
    }
    int moving = a->estado >= PREP_EST_ACOPIADA && a->estado <= PREP_EST_POR_VERIFICAR;
    prep_time t = last_move(a);
    if (moving && t > 0 && t < s->stuck_before) {
        if (s->nstuck++ < 100) {
            char iso[32];
            prep_time_fmt_iso(t, iso);
            json_array_append_new(
                s->stuck, json_pack("{s:s,s:s,s:s,s:s,s:I}", "eleccion",
                                    s->cat->elecciones[a->eleccion].codigo, "clave",
                                    s->cat->casillas[a->casilla].clave, "estado",
                                    prep_estado_name(a->estado), "desde", iso, "minutos",
                                    (json_int_t)((s->now - t) / 60000)));
        }
    }
    return 0;
}

static int last_corte(void *ctx, const prep_corte_info *c)
{
    prep_corte_info *last = ctx;
    if (c->numero > last->numero)
        *last = *c;
    return 0;
}

typedef struct {
    const prep_monitor *m;
    json_t *arr;
    prep_time now;
    int64_t min_capturas;
    double umbral;
    int activos[PREP_ROL__COUNT];
} user_list;

static int list_user(void *ctx, const prep_user *u)
{
    user_list *l = ctx;
    const user_stat *s = NULL;
    for (int i = 0; i < l->m->nusers; i++)
        if (l->m->users[i].id == u->id)
            s = &l->m->users[i];
    if (!s)
        return 0;
    int activo = s->last > 0 && l->now - s->last < ACTIVE_MS;
    int rol = prep_rol_from_name(u->rol);
    if (activo && rol >= 0)
        l->activos[rol]++;
    if (s->capturas == 0 && !activo)
        return 0;
    double tasa = s->capturas ? (double)s->perdidas / (double)s->capturas : 0;
    char iso[32];
    prep_time_fmt_iso(s->last, iso);
    json_array_append_new(
        l->arr, json_pack("{s:s,s:s,s:i,s:b,s:s,s:I,s:I,s:f,s:b}", "nombre", u->nombre, "rol",
                          u->rol, "catd", u->catd, "activo", activo, "ultima_accion", iso,
                          "capturas", (json_int_t)s->capturas, "perdidas",
                          (json_int_t)s->perdidas, "tasa_desacuerdo", tasa, "alerta",
                          s->capturas >= l->min_capturas && tasa > l->umbral));
    return 0;
}

static long arg_long(prep_req *r, const char *name, long def, long lo, long hi)
{
    const char *q = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    if (!q)
        return def;
    char *end;
    long v = strtol(q, &end, 10);
    return *q && !*end && v >= lo && v <= hi ? v : -1;
}

static char *build(prep_server *s, prep_store *st, long stuck_min, long min_cap, long umbral_pm,
                   prep_err *err)
{
    prep_monitor *m = s->monitor;
    const prep_catalog *cat = &s->cat;
    prep_time now = prep_now();
    char *out = NULL;
    json_t *stuck = json_array(), *root = NULL;
    if (prep_store_begin(st, 0, err) < 0)
        goto done;
    if (st->vt->log_iter(st, m->seq + 1, read_entry, m, err) < 0)
        goto fail;
    for (int i = 0; i < m->nusers; i++)
        m->users[i].capturas = m->users[i].perdidas = 0;
    if (!m->marks && cat->ncasillas > 0) {
        m->marks = calloc((size_t)cat->nelecciones * (size_t)cat->ncasillas, sizeof *m->marks);
        m->mark_casillas = cat->ncasillas; /* without it every refresh reads every capture */
    }
    acta_scan sc = {m,     st, cat, now, now - (prep_time)stuck_min * 60000,
                    stuck, 0,  err, &s->metrics.monitor_capture_reads};
    for (int e = 0; e < cat->nelecciones; e++)
        if (st->vt->acta_iter(st, e, PREP_EST_ACOPIADA, PREP_EST_PUBLICADA, scan_acta, &sc,
                              PREP_NFIELDS(cat->elecciones[e].ncols), err) < 0)
            goto fail;
    prep_corte_info last = {0};
    char cada_s[16] = "0";
    if (st->vt->corte_iter(st, last_corte, &last, err) < 0)
        goto fail;
    prep_err no = {0};
    if (st->vt->meta_get(st, PREP_META_CORTE_CADA, cada_s, sizeof cada_s, &no) != 0)
        strcpy(cada_s, "0"); /* no cadence recorded: no late-corte alert */
    int cada = atoi(cada_s);
    user_list ul = {m, json_array(), now, min_cap, (double)umbral_pm / 1000.0, {0}};
    if (st->vt->user_iter(st, list_user, &ul, err) < 0) {
        json_decref(ul.arr);
        goto fail;
    }
    prep_store_rollback(st);
    json_t *horas = json_array();
    int64_t hnow = now / 3600000;
    for (int64_t h = hnow - HOURS + 1; h <= hnow; h++) {
        int slot = (int)(h % HOURS);
        json_t *o = json_object();
        char iso[32];
        prep_time_fmt_iso((prep_time)h * 3600000, iso);
        json_object_set_new(o, "hora", json_string(iso));
        for (int f = 0; f < F__N; f++)
            json_object_set_new(o, fase_names[f],
                                json_integer(m->hour_of[slot] == h ? m->per_hour[slot][f] : 0));
        json_array_append_new(horas, o);
    }
    json_t *activos = json_object();
    for (int k = 0; k < PREP_ROL__COUNT; k++)
        if (ul.activos[k])
            json_object_set_new(activos, prep_rol_name(k), json_integer(ul.activos[k]));
    json_t *corte = json_object();
    int retrasado = 0;
    if (last.numero > 0) {
        char iso[32];
        prep_time_fmt_iso(last.at, iso);
        /* Late: two minutes past the promised cadence. */
        retrasado = cada > 0 && now - last.at > (prep_time)(cada + 2) * 60000;
        json_object_set_new(corte, "ultimo", json_pack("{s:i,s:s,s:b}", "numero", last.numero,
                                                       "at", iso, "final", last.final));
        json_object_set_new(corte, "minutos_desde", json_integer((now - last.at) / 60000));
    } else {
        json_object_set_new(corte, "ultimo", json_null());
    }
    json_object_set_new(corte, "cada_min", json_integer(cada));
    json_object_set_new(corte, "retrasado", json_boolean(retrasado));
    char iso[32];
    prep_time_fmt_iso(now, iso);
    root = json_pack("{s:s,s:o,s:o,s:o,s:{s:I,s:i,s:o},s:o,s:{s:I,s:f}}", "at", iso, "por_hora",
                     horas, "operadores_activos", activos, "capturistas", ul.arr, "atascadas",
                     "total", (json_int_t)sc.nstuck, "minutos", (int)stuck_min, "actas", stuck,
                     "corte", corte, "umbrales", "min_capturas", (json_int_t)min_cap,
                     "tasa_desacuerdo", (double)umbral_pm / 1000.0);
    stuck = NULL;
    out = json_dump(root);
    if (!out)
        prep_fail(err, PREP_E_NOMEM, "out of memory");
    goto done;
fail:
    prep_store_rollback(st);
done:
    json_decref(stuck);
    return out;
}

void api_monitoreo(prep_req *r)
{
    if (require_session(r) < 0 || require(r, PREP_ACC_AVANCE, -1) < 0)
        return;
    long stuck_min = arg_long(r, "atascada_min", 30, 1, 24 * 60);
    long min_cap = arg_long(r, "min_capturas", 20, 1, 1000000);
    long umbral = arg_long(r, "umbral_milesimas", 50, 0, 1000);
    if (stuck_min < 0 || min_cap < 0 || umbral < 0)
        return reply_errf(r, PREP_E_INVALID, "atascada_min is 1-1440 minutes, min_capturas "
                                             "1-1000000, umbral_milesimas 0-1000");
    prep_server *s = r->srv;
    prep_err err = {0};
    pthread_mutex_lock(&s->monitor_mu);
    int64_t now = prep_mono_us();
    if (!s->monitor && !(s->monitor = calloc(1, sizeof *s->monitor))) {
        pthread_mutex_unlock(&s->monitor_mu);
        return reply_errf(r, PREP_E_NOMEM, "out of memory");
    }
    prep_monitor *m = s->monitor;
    /* Answers for other thresholds are computed for their caller and not
     * kept as the shared answer (at_us = 0 makes the next call recompute). */
    int custom = stuck_min != 30 || min_cap != 20 || umbral != 50;
    if (!m->json || custom || now - m->at_us > 5000000) {
        prep_store *st = prep_http_store(s, &err);
        char *j = st ? build(s, st, stuck_min, min_cap, umbral, &err) : NULL;
        if (j) {
            free(m->json);
            m->json = j;
            m->at_us = custom ? 0 : now;
        }
    }
    if (m->json)
        reply_text(r, 200, "application/json; charset=utf-8", m->json, strlen(m->json));
    else
        reply_err(r, &err);
    pthread_mutex_unlock(&s->monitor_mu);
}
