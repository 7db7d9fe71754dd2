/* site_json.c — the JSON of the public site: one document per election and
 * level (nacional, entidad, distrito/demarcación, sección with its casillas
 * and actas) and json/index.json. Schema: docs/site.md. Written straight
 * into a buffer (every string through site_json_str) because a national
 * corte has half a million actas; the unit tests parse the output back with
 * jansson. No numbers are computed here: they come from the tallies. */
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "publish/site_internal.h"

static const char *nivel_slug(const site_elec *se, int nivel)
{
    switch (nivel) {
    case SITE_NACIONAL: return "nacional";
    case SITE_ENTIDAD: return "entidad";
    case SITE_GEO: return site_tipo_slug(se->geo_tipo);
    default: return "seccion";
    }
}

static void kv_str(prep_buf *b, const char *k, const char *v)
{
    prep_buf_printf(b, "\"%s\":", k);
    site_json_str(b, v);
}

static void kv_pct(prep_buf *b, const char *k, int64_t e4)
{
    char t[32];
    prep_buf_printf(b, "\"%s\":%s", k, site_fmt_pct(e4, t));
}

static void kv_time(prep_buf *b, const char *k, prep_time t)
{
    char s[32];
    if (!t) {
        prep_buf_printf(b, "\"%s\":null", k);
        return;
    }
    prep_time_fmt(t, s);
    prep_buf_printf(b, "\"%s\":\"%s\"", k, s);
}

static void corte(const site_ctx *x, prep_buf *b)
{
    prep_buf_printf(b, "\"corte\":{\"numero\":%d,", x->snap->numero);
    kv_str(b, "fecha_hora", x->corte_hora);
    prep_buf_printf(b, ",\"iso\":\"%s\",\"final\":%s,\"proximo\":", x->corte_iso,
                    x->snap->final ? "true" : "false");
    if (x->proximo_iso[0]) {
        prep_buf_printf(b, "\"%s\",", x->proximo_iso);
        kv_str(b, "proximo_fecha_hora", x->proximo_hora);
    } else {
        prep_buf_puts(b, "null,\"proximo_fecha_hora\":null");
    }
    prep_buf_puts(b, "}");
}

static void resumen(prep_buf *b, const prep_summary *s)
{
    char t[32];
    prep_buf_puts(b, "{");
    for (int i = 0; i < PREP_SUMMARY_NFIELDS; i++)
        prep_buf_printf(b, "%s\"%s\":%s", i ? "," : "", prep_summary_names[i],
                        prep_summary_field(s, i, t, sizeof t));
    prep_buf_puts(b, "}");
}

/* Columns shown for a level: those counted into one of its candidaturas
 * (applicable ones, and the parties of a running coalition), or all
 * columns when the level has no single boleta. */
static uint64_t shown_cols(const site_page *p)
{
    int ncols = p->se->el->ncols;
    uint64_t all = ncols >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << ncols) - 1;
    if (!p->has_cand)
        return all;
    uint64_t m = 0;
    for (int i = 0; i < p->cand.n; i++)
        m |= p->cand.c[i].cols;
    return m;
}

static const char *col_tipo(int t)
{
    return t == PREP_COL_PARTIDO ? "partido" : t == PREP_COL_COMBINACION ? "combinacion"
                                                                          : "independiente";
}

static void votos(prep_buf *b, const site_page *p)
{
    const prep_eleccion *el = p->se->el;
    const prep_votes *v = &p->t->v;
    uint64_t m = shown_cols(p);
    prep_buf_puts(b, "\"votos\":{\"columnas\":[");
    int first = 1;
    for (int c = 0; c < el->ncols; c++) {
        if (!(m >> c & 1))
            continue;
        prep_buf_puts(b, first ? "{" : ",{");
        first = 0;
        kv_str(b, "columna", el->cols[c].nombre);
        prep_buf_printf(b, ",\"tipo\":\"%s\",\"votos\":%lld,", col_tipo(el->cols[c].tipo),
                        (long long)v->col[c]);
        kv_pct(b, "porcentaje", prep_pct_e4(v->col[c], v->total));
        prep_buf_puts(b, "}");
    }
    prep_buf_printf(b, "],\"no_registradas\":{\"votos\":%lld,", (long long)v->no_registradas);
    kv_pct(b, "porcentaje", prep_pct_e4(v->no_registradas, v->total));
    prep_buf_printf(b, "},\"nulos\":{\"votos\":%lld,", (long long)v->nulos);
    kv_pct(b, "porcentaje", prep_pct_e4(v->nulos, v->total));
    prep_buf_printf(b, "},\"total\":%lld,\"actas_contabilizadas\":%lld}", (long long)v->total,
                    (long long)v->actas);
}

static const char *cand_tipo(int t)
{
    return t == PREP_CAND_PARTIDO ? "partido" : t == PREP_CAND_COALICION ? "coalicion"
                                                                          : "independiente";
}

static void candidaturas(prep_buf *b, const site_page *p)
{
    if (!p->has_cand) {
        prep_buf_puts(b, "\"candidaturas\":null");
        return;
    }
    const prep_eleccion *el = p->se->el;
    const prep_candidatos *k = &p->cand;
    char lab[PREP_NAME_MAX + 16];
    prep_buf_printf(b, "\"candidaturas\":{\"empate\":%s,\"lista\":[", k->empate ? "true" : "false");
    for (int i = 0; i < k->n; i++) {
        const prep_cand_total *t = &k->c[i];
        prep_buf_puts(b, i ? ",{" : "{");
        kv_str(b, "siglas", t->siglas);
        prep_buf_puts(b, ",");
        kv_str(b, "nombre", site_cand_label(el, t, lab, sizeof lab));
        prep_buf_printf(b, ",\"tipo\":\"%s\",\"columnas\":[", cand_tipo(t->tipo));
        int f = 1;
        for (int c = 0; c < el->ncols; c++)
            if (t->cols >> c & 1) {
                if (!f)
                    prep_buf_puts(b, ",");
                f = 0;
                site_json_str(b, el->cols[c].nombre);
            }
        prep_buf_puts(b, "]");
        /* Names of people only where the level is one unit. */
        const prep_candidatura *kd =
            p->multi ? NULL : prep_eleccion_candidatura(el, p->unit, t->col);
        if (kd) {
            prep_buf_puts(b, ",");
            kv_str(b, "propietaria", kd->propietaria);
            prep_buf_puts(b, ",");
            kv_str(b, "suplente", kd->suplente);
        }
        prep_buf_printf(b, ",\"votos\":%lld,", (long long)t->votos);
        kv_pct(b, "porcentaje", t->pct_e4);
        prep_buf_printf(b, ",\"empate\":%s}", i < k->nempate ? "true" : "false");
    }
    prep_buf_puts(b, "]}");
}

static void ambito(const site_ctx *x, const site_page *p, prep_buf *b)
{
    const prep_catalog *cat = x->cat;
    const site_elec *se = p->se;
    prep_buf_puts(b, "\"ambito\":{");
    int ent = -1, geo = -1;
    if (p->nivel == SITE_ENTIDAD)
        ent = p->idx;
    else if (p->nivel == SITE_GEO) {
        geo = p->idx;
        ent = prep_catalog_find_entidad(cat, se->geo[geo].entidad);
    } else if (p->nivel == SITE_SECCION) {
        const prep_seccion *s = &cat->secciones[p->idx];
        geo = se->geo_tipo == PREP_UNIDAD_DISTRITO ? s->distrito : s->demarcacion;
        ent = x->sec_ent[p->idx];
    }
    if (ent >= 0) {
        prep_buf_printf(b, "\"id_entidad\":%d,", cat->entidades[ent].id);
        kv_str(b, "entidad", cat->entidades[ent].nombre);
    }
    if (geo >= 0) {
        const char *slug = site_tipo_slug(se->geo_tipo);
        prep_buf_printf(b, ",\"id_%s\":%d,", slug, se->geo[geo].id);
        kv_str(b, slug, se->geo[geo].nombre);
    }
    if (p->nivel == SITE_SECCION)
        prep_buf_printf(b, ",\"seccion\":%d", cat->secciones[p->idx].seccion);
    prep_buf_puts(b, "}");
}

static void child_item(const site_ctx *x, const site_page *p, int nivel, int idx, prep_buf *b)
{
    const site_elec *se = p->se;
    const prep_catalog *cat = x->cat;
    site_page ch;
    if (site_page_init(x, se, nivel, idx, &ch, NULL) < 0)
        ch.has_cand = 0;
    char path[256], t[32];
    site_path_json(x, se, nivel, idx, path, sizeof path);
    prep_buf_printf(b, "{\"nivel\":\"%s\",\"id\":%d,", nivel_slug(se, nivel),
                    nivel == SITE_ENTIDAD ? cat->entidades[idx].id
                    : nivel == SITE_GEO   ? se->geo[idx].id
                                          : cat->secciones[idx].seccion);
    if (nivel != SITE_SECCION) {
        kv_str(b, "nombre", nivel == SITE_ENTIDAD ? cat->entidades[idx].nombre
                                                  : se->geo[idx].nombre);
        prep_buf_puts(b, ",");
    }
    /* json: from the site root, like every path in these documents */
    kv_str(b, "json", path);
    const prep_summary *s = &ch.t->s;
    prep_buf_printf(b, ",\"actas_esperadas\":%lld,\"actas_capturadas\":%lld,"
                       "\"actas_contabilizadas\":%lld,",
                    (long long)s->esperadas, (long long)s->capturadas,
                    (long long)s->contabilizadas);
    kv_pct(b, "porcentaje_actas_contabilizadas", s->pct_contabilizadas);
    prep_buf_puts(b, ",");
    kv_pct(b, "participacion", s->pct_participacion);
    prep_buf_printf(b, ",\"total_votos\":%lld,\"primero\":", (long long)ch.t->v.total);
    if (ch.has_cand && ch.cand.n > 0 && ch.cand.c[0].votos > 0) {
        prep_buf_puts(b, "{");
        kv_str(b, "siglas", ch.cand.c[0].siglas);
        prep_buf_printf(b, ",\"votos\":%lld,\"porcentaje\":%s}", (long long)ch.cand.c[0].votos,
                        site_fmt_pct(ch.cand.c[0].pct_e4, t));
    } else {
        prep_buf_puts(b, "null");
    }
    prep_buf_printf(b, ",\"empate\":%s}", ch.has_cand && ch.cand.empate ? "true" : "false");
}

static void subniveles(const site_ctx *x, const site_page *p, prep_buf *b)
{
    const site_elec *se = p->se;
    prep_buf_puts(b, "\"subniveles\":[");
    int n = 0;
    if (p->nivel == SITE_NACIONAL) {
        for (int i = 0; i < x->cat->nentidades; i++) {
            if (n++)
                prep_buf_puts(b, ",");
            child_item(x, p, SITE_ENTIDAD, i, b);
        }
    } else if (p->nivel == SITE_ENTIDAD || p->nivel == SITE_GEO) {
        const site_rows *r = p->nivel == SITE_ENTIDAD ? site_ent_geos(x, se) : site_geo_secs(x, se);
        int nivel = p->nivel == SITE_ENTIDAD ? SITE_GEO : SITE_SECCION;
        for (int k = r->off[p->idx]; k < r->off[p->idx + 1]; k++) {
            if (n++)
                prep_buf_puts(b, ",");
            child_item(x, p, nivel, r->idx[k], b);
        }
    }
    prep_buf_puts(b, "]");
}

static void valor(prep_buf *b, const char *name, prep_val v)
{
    char t[16];
    if (v >= 0)
        prep_buf_printf(b, "\"%s\":%d", name, (int)v);
    else
        prep_buf_printf(b, "\"%s\":\"%s\"", name, prep_val_fmt(v, t));
}

static void acta(const site_ctx *x, const site_elec *se, const prep_snap_acta *a, prep_buf *b)
{
    const prep_eleccion *el = se->el;
    int ncols = el->ncols;
    char obs[256];
    prep_buf_printf(b, "{\"estado\":\"%s\",\"valores\":{", prep_estado_name(a->acta.estado));
    for (int f = 0; f < PREP_NFIELDS(ncols); f++) {
        const char *name = prep_field_fixed_name(f, ncols);
        if (f)
            prep_buf_puts(b, ",");
        valor(b, name ? name : el->cols[f - PREP_F_COL0].nombre, a->vals[f]);
    }
    prep_buf_printf(b, "},\"total_votos_calculado\":%lld,", (long long)a->res.total_calculado);
    kv_str(b, "observaciones", prep_rules_observaciones(&a->res, obs, sizeof obs));
    prep_buf_printf(b, ",\"contabilizada\":%s,\"codigo_integridad\":",
                    a->res.contabilizada ? "true" : "false");
    if (a->acta.imagen[0]) {
        /* From the site root, like every path in these documents. */
        prep_buf_printf(b, "\"%s\",\"imagen\":", a->acta.imagen);
        char url[512];
        site_imagen_url(x, a->acta.imagen, url, sizeof url);
        site_json_str(b, url);
    } else {
        prep_buf_puts(b, "null,\"imagen\":null");
    }
    prep_buf_printf(b, ",\"origen\":\"%s\",\"digitalizacion\":\"%s\",",
                    prep_origen_name(a->acta.origen),
                    prep_digitalizacion_name(a->acta.digitalizacion));
    kv_time(b, "fecha_hora_acopio", a->acta.t_acopio);
    prep_buf_puts(b, ",");
    kv_time(b, "fecha_hora_captura", a->acta.t_captura);
    prep_buf_puts(b, ",");
    kv_time(b, "fecha_hora_verificacion", a->acta.t_verificacion);
    prep_buf_printf(b, ",\"cotejada\":%d,\"corte\":%d}", a->acta.cotejo, a->acta.corte);
}

static void casillas(const site_ctx *x, const site_page *p, prep_buf *b)
{
    const prep_catalog *cat = x->cat;
    const site_elec *se = p->se;
    int s = p->idx;
    prep_buf_puts(b, "\"casillas\":[");
    for (int c = x->sec_first[s]; c < x->sec_first[s] + x->sec_n[s]; c++) {
        const prep_casilla *k = &cat->casillas[c];
        prep_buf_printf(b,
                        "%s{\"clave\":\"%s\",\"tipo\":\"%c\",\"id_casilla\":%d,"
                        "\"ext_contigua\":%d,\"ubicacion\":%d,\"lista_nominal\":%d,"
                        "\"representantes\":%d,\"tipo_acta\":",
                        c > x->sec_first[s] ? "," : "", k->clave, k->tipo, k->numero, k->ext,
                        k->ubicacion, k->lista_nominal, k->representantes);
        site_json_str(b, prep_eleccion_tipo_acta(se->el, k));
        prep_buf_puts(b, ",\"acta\":");
        int i = se->acta_of[c];
        if (i < 0)
            prep_buf_puts(b, "null");
        else
            acta(x, se, &x->snap->el[se->e].actas[i], b);
        prep_buf_puts(b, "}");
    }
    prep_buf_puts(b, "]");
}

static void fuera_catalogo(const site_ctx *x, const site_page *p, prep_buf *b)
{
    const prep_snap_eleccion *sn = &x->snap->el[p->se->e];
    prep_buf_puts(b, "\"fuera_catalogo\":[");
    for (int i = 0; i < sn->nfc; i++) {
        prep_buf_puts(b, i ? ",{" : "{");
        kv_str(b, "identificacion", sn->fc[i].identificacion);
        prep_buf_puts(b, ",");
        kv_time(b, "fecha_hora", sn->fc[i].at);
        prep_buf_printf(b, ",\"corte\":%d}", sn->fc[i].corte);
    }
    prep_buf_puts(b, "]");
}

void site_json_page(const site_ctx *x, const site_page *p, prep_buf *b)
{
    const prep_eleccion *el = p->se->el;
    char path[256];
    prep_buf_puts(b, "{\"esquema\":1,");
    kv_str(b, "proceso", x->cat->proceso);
    /* A sección document names no corte, so it stays the same bytes while
     * its actas do not change (site_html.c's head()); the corte is in
     * json/index.json. */
    if (p->nivel != SITE_SECCION) {
        prep_buf_puts(b, ",");
        corte(x, b);
    }
    prep_buf_puts(b, ",\"eleccion\":{");
    kv_str(b, "codigo", el->codigo);
    prep_buf_puts(b, ",");
    kv_str(b, "nombre", el->nombre);
    prep_buf_printf(b, ",\"unidad\":\"%s\"},\"nivel\":\"%s\",", site_tipo_slug(el->unidad),
                    nivel_slug(p->se, p->nivel));
    site_path_html(x, p->se, p->nivel, p->idx, path, sizeof path);
    kv_str(b, "pagina", path);
    prep_buf_puts(b, ",");
    ambito(x, p, b);
    prep_buf_puts(b, ",\"resumen\":");
    resumen(b, &p->t->s);
    prep_buf_puts(b, ",");
    votos(b, p);
    prep_buf_puts(b, ",");
    candidaturas(b, p);
    prep_buf_puts(b, ",");
    if (p->nivel == SITE_SECCION)
        casillas(x, p, b);
    else
        subniveles(x, p, b);
    int top = p->nivel == SITE_NACIONAL || (p->nivel == SITE_ENTIDAD && x->cat->nentidades == 1);
    if (top) {
        prep_buf_puts(b, ",");
        fuera_catalogo(x, p, b);
    }
    prep_buf_puts(b, "}\n");
}

void site_json_index(const site_ctx *x, prep_buf *b)
{
    prep_buf_puts(b, "{\"esquema\":1,");
    kv_str(b, "proceso", x->cat->proceso);
    prep_buf_puts(b, ",");
    corte(x, b);
    prep_buf_puts(b, ",\"elecciones\":[");
    for (int e = 0; e < x->cat->nelecciones; e++) {
        const site_elec *se = &x->el[e];
        char path[256];
        prep_buf_puts(b, e ? ",{" : "{");
        kv_str(b, "codigo", se->el->codigo);
        prep_buf_puts(b, ",");
        kv_str(b, "nombre", se->el->nombre);
        int nivel = x->cat->nentidades == 1 ? SITE_ENTIDAD : SITE_NACIONAL;
        site_path_json(x, se, nivel, nivel == SITE_ENTIDAD ? 0 : -1, path, sizeof path);
        prep_buf_puts(b, ",");
        kv_str(b, "json", path);
        prep_buf_puts(b, ",");
        site_path_eleccion(x, se, path, sizeof path);
        kv_str(b, "pagina", path);
        prep_buf_puts(b, ",");
        kv_str(b, "datos", x->zip[e]);
        prep_buf_puts(b, ",\"resumen\":");
        resumen(b, &se->total.s);
        prep_buf_puts(b, "}");
    }
    prep_buf_puts(b, "]}\n");
}
