/* site_html.c — the HTML pages of the public site (Spanish, semantic,
 * accessible, no external fonts or scripts): the home page and one page per
 * election and level, from nacional down to sección, where every casilla's
 * acta is shown with its values, image and SHA-256. Every table works
 * without JavaScript; the optional prep.js only announces a late corte.
 * Numbers come from the tallies already computed; this file only lays out. */
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "publish/site_internal.h"

#define LEYENDA                                                                              \
    "Por presentación, los decimales de los porcentajes muestran sólo cuatro dígitos. No "  \
    "obstante, al considerar todos los decimales, suman 100%."

/* ---- pieces shared by every page -------------------------------------- */

static void esc(prep_buf *b, const char *s)
{
    prep_buf_html(b, s);
}

static void href(prep_buf *b, int depth, const char *path)
{
    prep_buf_puts(b, "href=\"");
    site_put_url(b, depth, path);
    prep_buf_puts(b, "\"");
}

/* A sección page is "fixed": nothing on it depends on the corte (its
 * number and time, the next corte, the databases' ZIP names), so while the
 * sección's actas do not change it is the same bytes in every corte and the
 * corte links it from the previous one instead of writing it (site_reuse.c).
 * Its header says where the corte's time is; prep.js fills it in from
 * json/index.json, and watches for a late corte there too. */
static void head(const site_ctx *x, prep_buf *b, int depth, const char *title, int fija)
{
    prep_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>");
    esc(b, title);
    prep_buf_printf(b, " · PREP %d", x->cat->anio);
    if (!fija)
        prep_buf_printf(b, " · Corte %d", x->snap->numero);
    prep_buf_puts(b, "</title>\n<link rel=\"stylesheet\" ");
    href(b, depth, "estilo.css");
    prep_buf_puts(b, ">\n<script defer src=\"");
    site_put_url(b, depth, "prep.js");
    prep_buf_puts(b, "\"></script>\n</head>\n<body>\n"
                     "<a class=\"salta\" href=\"#contenido\">Saltar al contenido</a>\n"
                     "<header class=\"cab\">\n<p class=\"marca\"><a ");
    href(b, depth, "index.html");
    prep_buf_printf(b, ">PREP %d</a> <span>", x->cat->anio);
    esc(b, x->cat->proceso);
    prep_buf_puts(b, "</span></p>\n<p class=\"corte\" id=\"corte\"");
    if (fija) {
        prep_buf_puts(b, " data-corte=\"");
        site_put_url(b, depth, "json/index.json");
        prep_buf_puts(b, "\">Cifras de esta sección en el corte que consulta: su número y hora, "
                         "y el próximo corte, en la <a ");
        href(b, depth, "index.html");
        prep_buf_puts(b, ">página de inicio</a>.</p>\n");
    } else {
        if (x->proximo_ms)
            prep_buf_printf(b, " data-proximo=\"%lld\"", (long long)x->proximo_ms);
        prep_buf_printf(b, ">Corte %d%s: <time datetime=\"%s\">", x->snap->numero,
                        x->snap->final ? " (final)" : "", x->corte_iso);
        esc(b, x->corte_hora);
        prep_buf_puts(b, "</time>.");
        if (x->proximo_hora[0]) {
            prep_buf_printf(b, " Próximo corte previsto: <time datetime=\"%s\">", x->proximo_iso);
            esc(b, x->proximo_hora);
            prep_buf_puts(b, "</time>.");
        }
        prep_buf_puts(b, "</p>\n");
    }
    if (fija || x->proximo_hora[0])
        prep_buf_puts(b, "<p class=\"retraso\" id=\"retraso\" role=\"status\" hidden>"
                         "<strong>La actualización se ha retrasado:</strong> el corte previsto "
                         "aún no se publica. Vuelva a cargar la página en unos minutos.</p>\n");
    prep_buf_puts(b, "</header>\n");
}

static void footer(const site_ctx *x, prep_buf *b, int depth, int fija)
{
    prep_buf_puts(b, "<footer class=\"pie\">\n<p>");
    if (!fija) {
        prep_buf_printf(b, "Corte %d, <time datetime=\"%s\">", x->snap->numero, x->corte_iso);
        esc(b, x->corte_hora);
        prep_buf_puts(b, "</time>. ");
    }
    prep_buf_puts(b, "Resultados preliminares: informativos, no definitivos.</p>\n"
                     "<p>Generado por el programa con SHA-256 <code class=\"sha\">");
    esc(b, x->binario);
    prep_buf_puts(b, "</code> y el catálogo con SHA-256 <code class=\"sha\">");
    esc(b, x->catalogo);
    prep_buf_puts(b, "</code>.</p>\n<p>Verificación: cada archivo del corte está en el <a ");
    href(b, depth, x->manifest);
    prep_buf_puts(b, ">MANIFEST</a> con su SHA-256, firmado (<a ");
    href(b, depth, x->firma);
    prep_buf_puts(b, ">firma Ed25519</a>, <a ");
    href(b, depth, x->clave_publica);
    prep_buf_puts(b, ">clave pública</a>). Con una copia del corte: "
                     "<code>prep verify DIRECTORIO</code>. <a ");
    href(b, depth, "index.html#datos");
    prep_buf_puts(b, ">Bases de datos</a>.</p>\n</footer>\n</body>\n</html>\n");
}

/* ---- numbers ------------------------------------------------------------ */

static void td_int(prep_buf *b, int64_t v)
{
    char t[32];
    prep_buf_printf(b, "<td>%s</td>", site_fmt_int(v, t));
}

static void td_pct(prep_buf *b, int64_t e4)
{
    char t[32];
    prep_buf_printf(b, "<td>%s%%</td>", site_fmt_pct(e4, t));
}

static void resumen(prep_buf *b, const prep_summary *s, const char *ambito)
{
    char t[32];
    prep_buf_puts(b, "<table class=\"resumen\">\n<caption>Avance de actas");
    if (ambito) {
        prep_buf_puts(b, ", ");
        esc(b, ambito);
    }
    prep_buf_puts(b, "</caption>\n<thead><tr><th scope=\"col\">Concepto</th>"
                     "<th scope=\"col\">Número</th><th scope=\"col\">Porcentaje</th></tr></thead>\n"
                     "<tbody>\n<tr><th scope=\"row\">Actas esperadas</th>");
    td_int(b, s->esperadas);
    prep_buf_puts(b, "<td>100.0000%</td></tr>\n<tr><th scope=\"row\">Actas capturadas</th>");
    td_int(b, s->capturadas);
    td_pct(b, s->pct_capturadas);
    prep_buf_puts(b, "</tr>\n<tr><th scope=\"row\">Actas contabilizadas</th>");
    td_int(b, s->contabilizadas);
    td_pct(b, s->pct_contabilizadas);
    prep_buf_puts(b, "</tr>\n<tr><th scope=\"row\">Participación ciudadana</th>");
    prep_buf_printf(b, "<td>Lista nominal: %s</td>", site_fmt_int(s->lista_nominal, t));
    td_pct(b, s->pct_participacion);
    prep_buf_puts(b, "</tr>\n");
    if (s->fuera_catalogo) {
        prep_buf_puts(b, "<tr><th scope=\"row\">Actas fuera de catálogo</th>");
        td_int(b, s->fuera_catalogo);
        prep_buf_puts(b, "<td>—</td></tr>\n");
    }
    prep_buf_puts(b, "</tbody>\n</table>\n");
}

/* Columns counted into the level's candidaturas, or all (see site_json.c). */
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

static void nr_nulos_rows(prep_buf *b, const prep_votes *v, int ncells)
{
    const char *pad = ncells > 3 ? "<td></td>" : "";
    prep_buf_printf(b, "<tr><th scope=\"row\">Candidaturas no registradas</th>%s", pad);
    td_int(b, v->no_registradas);
    td_pct(b, prep_pct_e4(v->no_registradas, v->total));
    prep_buf_printf(b, "</tr>\n<tr><th scope=\"row\">Votos nulos</th>%s", pad);
    td_int(b, v->nulos);
    td_pct(b, prep_pct_e4(v->nulos, v->total));
    prep_buf_printf(b, "</tr>\n</tbody>\n<tfoot><tr><th scope=\"row\">Total de votos</th>%s", pad);
    td_int(b, v->total);
    td_pct(b, v->total ? 1000000 : 0);
    prep_buf_puts(b, "</tr></tfoot>\n</table>\n");
}

static void candidaturas(const site_ctx *x, const site_page *p, prep_buf *b)
{
    (void)x;
    const prep_eleccion *el = p->se->el;
    const prep_candidatos *k = &p->cand;
    char lab[PREP_NAME_MAX + 16], t[32];
    prep_buf_puts(b, "<section aria-labelledby=\"h-cand\">\n<h2 id=\"h-cand\">Votos por "
                     "candidatura</h2>\n");
    if (k->empate) {
        prep_buf_puts(b, "<p class=\"empate\"><strong>Empate</strong>: ");
        for (int i = 0; i < k->nempate; i++) {
            if (i)
                prep_buf_puts(b, i + 1 == k->nempate ? " y " : ", ");
            esc(b, site_cand_label(el, &k->c[i], lab, sizeof lab));
        }
        prep_buf_printf(b, " tienen %s votos cada una.</p>\n", site_fmt_int(k->c[0].votos, t));
    }
    site_bar bars[PREP_MAX_COLS];
    char labels[PREP_MAX_COLS][PREP_NAME_MAX + 16];
    for (int i = 0; i < k->n; i++) {
        bars[i].label = site_cand_label(el, &k->c[i], labels[i], sizeof labels[i]);
        bars[i].color = site_col_color(el, k->c[i].col);
        bars[i].votos = k->c[i].votos;
        bars[i].pct_e4 = k->c[i].pct_e4;
        bars[i].destacado = i < k->nempate;
    }
    site_svg_bars(b, "g-cand", "Porcentaje de votos por candidatura", bars, k->n);
    prep_buf_puts(b, "<div class=\"desliza\"><table class=\"votos\">\n<caption>Votos por "
                     "candidatura (porcentaje sobre el total de votos)</caption>\n<thead><tr>"
                     "<th scope=\"col\">Candidatura</th><th scope=\"col\">Partidos y "
                     "combinaciones</th><th scope=\"col\">Votos</th>"
                     "<th scope=\"col\">Porcentaje</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < k->n; i++) {
        const prep_cand_total *c = &k->c[i];
        prep_buf_printf(b, "<tr%s><th scope=\"row\">", i < k->nempate ? " class=\"en-empate\"" : "");
        esc(b, site_cand_label(el, c, lab, sizeof lab));
        const prep_candidatura *kd = p->multi ? NULL : prep_eleccion_candidatura(el, p->unit, c->col);
        if (kd && kd->propietaria[0]) {
            prep_buf_puts(b, "<span class=\"nombre\">");
            esc(b, kd->propietaria);
            prep_buf_puts(b, "</span>");
        }
        if (i < k->nempate)
            prep_buf_puts(b, " <span class=\"marca-empate\">Empate</span>");
        prep_buf_puts(b, "</th><td>");
        int f = 1;
        for (int col = 0; col < el->ncols; col++)
            if (c->cols >> col & 1) {
                if (!f)
                    prep_buf_puts(b, ", ");
                f = 0;
                esc(b, site_col_label(el, col, lab, sizeof lab));
            }
        prep_buf_puts(b, "</td>");
        td_int(b, c->votos);
        td_pct(b, c->pct_e4);
        prep_buf_puts(b, "</tr>\n");
    }
    nr_nulos_rows(b, &p->t->v, 4);
    prep_buf_puts(b, "</div>\n</section>\n");
}

static void columnas(const site_ctx *x, const site_page *p, prep_buf *b, int chart)
{
    (void)x;
    const prep_eleccion *el = p->se->el;
    const prep_votes *v = &p->t->v;
    uint64_t m = shown_cols(p);
    char lab[64];
    prep_buf_puts(b, "<section aria-labelledby=\"h-col\">\n<h2 id=\"h-col\">Votos por partido "
                     "político y combinación</h2>\n");
    if (chart) {
        site_bar bars[PREP_MAX_COLS];
        char labels[PREP_MAX_COLS][64];
        int n = 0;
        for (int c = 0; c < el->ncols; c++)
            if (m >> c & 1) {
                bars[n].label = site_col_label(el, c, labels[n], sizeof labels[n]);
                bars[n].color = site_col_color(el, c);
                bars[n].votos = v->col[c];
                bars[n].pct_e4 = prep_pct_e4(v->col[c], v->total);
                bars[n].destacado = 0;
                n++;
            }
        site_svg_bars(b, "g-col", "Porcentaje de votos por partido político y combinación",
                      bars, n);
    }
    prep_buf_puts(b, "<div class=\"desliza\"><table class=\"votos\">\n<caption>Votos por "
                     "partido político, combinación de coalición y candidatura independiente"
                     "</caption>\n<thead><tr><th scope=\"col\">Partido o combinación</th>"
                     "<th scope=\"col\">Votos</th><th scope=\"col\">Porcentaje</th></tr></thead>\n"
                     "<tbody>\n");
    for (int c = 0; c < el->ncols; c++) {
        if (!(m >> c & 1))
            continue;
        prep_buf_puts(b, "<tr><th scope=\"row\">");
        esc(b, site_col_label(el, c, lab, sizeof lab));
        prep_buf_puts(b, "</th>");
        td_int(b, v->col[c]);
        td_pct(b, prep_pct_e4(v->col[c], v->total));
        prep_buf_puts(b, "</tr>\n");
    }
    nr_nulos_rows(b, v, 3);
    prep_buf_printf(b, "</div>\n<p class=\"leyenda\">%s</p>\n</section>\n", LEYENDA);
}

/* ---- drill-down --------------------------------------------------------- */

static const char *nivel_nombre(const site_ctx *x, const site_elec *se, int nivel, int idx,
                                char *buf, size_t cap)
{
    switch (nivel) {
    case SITE_NACIONAL: snprintf(buf, cap, "Nacional"); break;
    case SITE_ENTIDAD: snprintf(buf, cap, "%s", x->cat->entidades[idx].nombre); break;
    case SITE_GEO:
        snprintf(buf, cap, "%s %d — %s", site_tipo_label(se->geo_tipo), se->geo[idx].id,
                 se->geo[idx].nombre);
        break;
    default: snprintf(buf, cap, "Sección %d", x->cat->secciones[idx].seccion); break;
    }
    return buf;
}

static void ruta(const site_ctx *x, const site_page *p, prep_buf *b, int depth)
{
    const site_elec *se = p->se;
    char path[256], name[PREP_NAME_MAX + 48];
    int lv[4], ix[4], n = 0;
    if (x->cat->nentidades > 1) {
        lv[n] = SITE_NACIONAL;
        ix[n++] = -1;
    }
    int ent = p->nivel == SITE_ENTIDAD ? p->idx
              : p->nivel == SITE_GEO   ? prep_catalog_find_entidad(x->cat, se->geo[p->idx].entidad)
              : p->nivel == SITE_SECCION ? x->sec_ent[p->idx]
                                         : -1;
    if (ent >= 0) {
        lv[n] = SITE_ENTIDAD;
        ix[n++] = ent;
    }
    if (p->nivel == SITE_GEO) {
        lv[n] = SITE_GEO;
        ix[n++] = p->idx;
    } else if (p->nivel == SITE_SECCION) {
        const prep_seccion *s = &x->cat->secciones[p->idx];
        lv[n] = SITE_GEO;
        ix[n++] = se->geo_tipo == PREP_UNIDAD_DISTRITO ? s->distrito : s->demarcacion;
        lv[n] = SITE_SECCION;
        ix[n++] = p->idx;
    }
    prep_buf_puts(b, "<nav class=\"ruta\" aria-label=\"Ruta de navegación\"><ol>\n<li><a ");
    href(b, depth, "index.html");
    prep_buf_puts(b, ">Inicio</a></li>\n");
    for (int i = 0; i < n; i++) {
        nivel_nombre(x, se, lv[i], ix[i], name, sizeof name);
        if (i == n - 1) {
            prep_buf_puts(b, "<li><span aria-current=\"page\">");
            if (i == 0) {
                esc(b, se->el->nombre);
                prep_buf_puts(b, ": ");
            }
            esc(b, name);
            prep_buf_puts(b, "</span></li>\n");
            break;
        }
        site_path_html(x, se, lv[i], ix[i], path, sizeof path);
        prep_buf_puts(b, "<li><a ");
        href(b, depth, path);
        prep_buf_puts(b, ">");
        if (i == 0) {
            esc(b, se->el->nombre);
            prep_buf_puts(b, ": ");
        }
        esc(b, name);
        prep_buf_puts(b, "</a></li>\n");
    }
    prep_buf_puts(b, "</ol></nav>\n");
}

static void hijo(const site_ctx *x, const site_page *p, int nivel, int idx, prep_buf *b,
                 int depth)
{
    const site_elec *se = p->se;
    site_page ch;
    if (site_page_init(x, se, nivel, idx, &ch, NULL) < 0)
        ch.has_cand = 0;
    char path[256], name[PREP_NAME_MAX + 48], t1[32], t2[32];
    site_path_html(x, se, nivel, idx, path, sizeof path);
    prep_buf_puts(b, "<tr><th scope=\"row\"><a ");
    href(b, depth, path);
    prep_buf_puts(b, ">");
    if (nivel == SITE_SECCION)
        prep_buf_printf(b, "%d", x->cat->secciones[idx].seccion);
    else
        esc(b, nivel_nombre(x, se, nivel, idx, name, sizeof name));
    const prep_summary *s = &ch.t->s;
    prep_buf_printf(b, "</a></th><td>%s de %s</td>", site_fmt_int(s->contabilizadas, t1),
                    site_fmt_int(s->esperadas, t2));
    td_pct(b, s->pct_contabilizadas);
    td_pct(b, s->pct_participacion);
    prep_buf_puts(b, "<td>");
    if (ch.has_cand && ch.cand.empate) {
        prep_buf_puts(b, "Empate");
    } else if (ch.has_cand && ch.cand.n && ch.cand.c[0].votos > 0) {
        esc(b, site_cand_label(se->el, &ch.cand.c[0], name, sizeof name));
    } else {
        prep_buf_puts(b, "—");
    }
    prep_buf_puts(b, "</td></tr>\n");
}

static void hijos(const site_ctx *x, const site_page *p, prep_buf *b, int depth)
{
    const site_elec *se = p->se;
    const char *plural, *col;
    int nivel, n;
    const int *list = NULL;
    if (p->nivel == SITE_NACIONAL) {
        plural = "Entidades";
        col = "Entidad";
        nivel = SITE_ENTIDAD;
        n = x->cat->nentidades;
    } else {
        const site_rows *r = p->nivel == SITE_ENTIDAD ? site_ent_geos(x, se) : site_geo_secs(x, se);
        nivel = p->nivel == SITE_ENTIDAD ? SITE_GEO : SITE_SECCION;
        list = r->idx + r->off[p->idx];
        n = r->off[p->idx + 1] - r->off[p->idx];
        if (nivel == SITE_SECCION) {
            plural = "Secciones";
            col = "Sección";
        } else {
            plural = se->geo_tipo == PREP_UNIDAD_DISTRITO ? "Distritos" : "Demarcaciones";
            col = site_tipo_label(se->geo_tipo);
        }
    }
    prep_buf_printf(b, "<section aria-labelledby=\"h-hijos\">\n<h2 id=\"h-hijos\">%s</h2>\n"
                       "<div class=\"desliza\"><table class=\"hijos\">\n<caption>Resultados por %s "
                       "(%d)</caption>\n<thead><tr><th scope=\"col\">%s</th>"
                       "<th scope=\"col\">Actas contabilizadas</th><th scope=\"col\">%% actas"
                       "</th><th scope=\"col\">Participación</th>"
                       "<th scope=\"col\">Primer lugar</th></tr></thead>\n<tbody>\n",
                    plural, col, n, col);
    for (int i = 0; i < n; i++)
        hijo(x, p, nivel, list ? list[i] : i, b, depth);
    prep_buf_puts(b, "</tbody>\n</table></div>\n</section>\n");
}

/* ---- actas of a sección ------------------------------------------------- */

static const char *fijo_label(int f, int ncols)
{
    if (f == PREP_F_SOBRANTES)
        return "Boletas sobrantes";
    if (f == PREP_F_PERSONAS)
        return "Personas que votaron";
    if (f == PREP_F_REPRESENTANTES)
        return "Representantes de partidos y candidaturas independientes que votaron";
    if (f == PREP_F_SACADOS)
        return "Votos sacados de la urna";
    if (f == PREP_F_NOREG(ncols))
        return "Candidaturas no registradas";
    if (f == PREP_F_NULOS(ncols))
        return "Votos nulos";
    if (f == PREP_F_ASENTADO(ncols))
        return "Total de votos asentado en el acta";
    return NULL;
}

static void hora(prep_buf *b, const char *label, prep_time t)
{
    char s[32], iso[32];
    prep_buf_printf(b, "<dt>%s</dt><dd>", label);
    if (t) {
        prep_time_fmt(t, s);
        prep_time_fmt_iso(t, iso);
        prep_buf_printf(b, "<time datetime=\"%s\">%s</time>", iso, s);
    } else {
        prep_buf_puts(b, "—");
    }
    prep_buf_puts(b, "</dd>");
}

static const char *estado_acta(const prep_snap_acta *a)
{
    if (!a)
        return "Pendiente";
    if (a->res.obs & PREP_OBS_SIN_ACTA)
        return "Sin acta";
    return a->res.contabilizada ? "Contabilizada" : "No contabilizada";
}

static void acta(const site_ctx *x, const site_page *p, int c, prep_buf *b, int depth)
{
    const site_elec *se = p->se;
    const prep_eleccion *el = se->el;
    const prep_casilla *k = &x->cat->casillas[c];
    int i = se->acta_of[c];
    const prep_snap_acta *a = i >= 0 ? &x->snap->el[se->e].actas[i] : NULL;
    char lab[64], v[16], t[32], obs[256];
    prep_buf_printf(b, "<article class=\"acta\" id=\"c%s\" aria-labelledby=\"h%s\">\n"
                       "<h3 id=\"h%s\">Casilla %s <span>",
                    k->clave, k->clave, k->clave, site_casilla_label(k, lab, sizeof lab));
    prep_buf_printf(b, "(clave %s)</span></h3>\n", k->clave);
    if (!a) {
        prep_buf_puts(b, "<p>El acta de esta casilla aún no está registrada en este corte.</p>\n"
                         "</article>\n");
        return;
    }
    prep_buf_printf(b, "<dl class=\"datos\"><dt>Estado</dt><dd><strong>%s</strong></dd>"
                       "<dt>Observaciones</dt><dd>",
                    estado_acta(a));
    const char *o = prep_rules_observaciones(&a->res, obs, sizeof obs);
    esc(b, o[0] ? o : "Ninguna");
    prep_buf_printf(b, "</dd><dt>Contabilizada</dt><dd>%s</dd><dt>Tipo de acta</dt><dd>",
                    a->res.contabilizada ? "Sí" : "No");
    esc(b, prep_eleccion_tipo_acta(el, k));
    prep_buf_puts(b, "</dd>");
    hora(b, "Acopio", a->acta.t_acopio);
    hora(b, "Captura", a->acta.t_captura);
    hora(b, "Verificación", a->acta.t_verificacion);
    if (a->acta.imagen[0])
        prep_buf_printf(b, "<dt>Origen</dt><dd>%s, %s</dd>", prep_origen_name(a->acta.origen),
                        prep_digitalizacion_name(a->acta.digitalizacion));
    prep_buf_puts(b, "</dl>\n");
    if (!(a->res.obs & PREP_OBS_SIN_ACTA)) {
        int ncols = el->ncols;
        prep_buf_printf(b, "<table class=\"valores\">\n<caption>Datos capturados, casilla %s"
                           "</caption>\n<tbody>\n",
                        k->clave);
        for (int f = 0; f < PREP_NFIELDS(ncols); f++) {
            if (a->vals[f] == PREP_V_NA)
                continue; /* column not on this casilla's boleta */
            const char *name = fijo_label(f, ncols);
            prep_buf_puts(b, "<tr><th scope=\"row\">");
            esc(b, name ? name : site_col_label(el, f - PREP_F_COL0, lab, sizeof lab));
            if (a->vals[f] >= 0)
                prep_buf_printf(b, "</th><td>%s</td></tr>\n", site_fmt_int(a->vals[f], t));
            else
                prep_buf_printf(b, "</th><td class=\"ileg\">%s</td></tr>\n",
                                prep_val_fmt(a->vals[f], v));
        }
        prep_buf_printf(b, "<tr><th scope=\"row\">Total de votos calculado</th><td>%s</td></tr>\n"
                           "</tbody>\n</table>\n",
                        site_fmt_int(a->res.total_calculado, t));
    }
    if (a->acta.imagen[0]) {
        char url[512];
        site_imagen_url(x, a->acta.imagen, url, sizeof url);
        prep_buf_puts(b, "<figure class=\"imagen\"><a ");
        href(b, depth, url);
        prep_buf_puts(b, "><img src=\"");
        site_put_url(b, depth, url);
        prep_buf_puts(b, "\" alt=\"Imagen del acta de ");
        esc(b, el->nombre);
        prep_buf_printf(b, " de la casilla %s\" loading=\"lazy\"></a>\n<figcaption>Código de "
                           "integridad (SHA-256 de la imagen): <code class=\"sha\">%s</code>"
                           "</figcaption></figure>\n",
                        k->clave, a->acta.imagen);
    }
    prep_buf_puts(b, "</article>\n");
}

static void casillas(const site_ctx *x, const site_page *p, prep_buf *b, int depth)
{
    const site_elec *se = p->se;
    int s = p->idx;
    char lab[64], t[32];
    prep_buf_printf(b, "<section aria-labelledby=\"h-cas\">\n<h2 id=\"h-cas\">Casillas y actas"
                       "</h2>\n<div class=\"desliza\"><table class=\"hijos\">\n<caption>Actas de "
                       "la sección %d (%d)</caption>\n<thead><tr><th scope=\"col\">Casilla</th>"
                       "<th scope=\"col\">Acta</th><th scope=\"col\">Total de votos</th>"
                       "<th scope=\"col\">Lista nominal</th></tr></thead>\n<tbody>\n",
                    x->cat->secciones[s].seccion, x->sec_n[s]);
    for (int c = x->sec_first[s]; c < x->sec_first[s] + x->sec_n[s]; c++) {
        const prep_casilla *k = &x->cat->casillas[c];
        int i = se->acta_of[c];
        const prep_snap_acta *a = i >= 0 ? &x->snap->el[se->e].actas[i] : NULL;
        prep_buf_printf(b, "<tr><th scope=\"row\"><a href=\"#c%s\">%s</a></th><td>%s</td>",
                        k->clave, site_casilla_label(k, lab, sizeof lab), estado_acta(a));
        if (a && !(a->res.obs & PREP_OBS_SIN_ACTA))
            prep_buf_printf(b, "<td>%s</td>", site_fmt_int(a->res.total_calculado, t));
        else
            prep_buf_puts(b, "<td>—</td>");
        if (k->tipo == 'S')
            prep_buf_puts(b, "<td>Especial</td></tr>\n");
        else
            prep_buf_printf(b, "<td>%s</td></tr>\n", site_fmt_int(k->lista_nominal, t));
    }
    prep_buf_puts(b, "</tbody>\n</table></div>\n");
    for (int c = x->sec_first[s]; c < x->sec_first[s] + x->sec_n[s]; c++)
        acta(x, p, c, b, depth);
    prep_buf_puts(b, "</section>\n");
}

static void fuera_catalogo(const site_ctx *x, const site_page *p, prep_buf *b)
{
    const prep_snap_eleccion *sn = &x->snap->el[p->se->e];
    if (!sn->nfc)
        return;
    char t[32];
    prep_buf_puts(b, "<section aria-labelledby=\"h-fc\">\n<h2 id=\"h-fc\">Actas fuera de "
                     "catálogo</h2>\n<p>Actas cuya identificación no corresponde a una casilla "
                     "aprobada: sólo cuentan como registradas.</p>\n<div class=\"desliza\">"
                     "<table class=\"hijos\">\n<caption>Actas fuera de catálogo</caption>\n"
                     "<thead><tr><th scope=\"col\">Identificación leída</th>"
                     "<th scope=\"col\">Registro</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < sn->nfc; i++) {
        prep_buf_puts(b, "<tr><th scope=\"row\">");
        esc(b, sn->fc[i].identificacion);
        prep_time_fmt(sn->fc[i].at, t);
        prep_buf_printf(b, "</th><td>%s</td></tr>\n", t);
    }
    prep_buf_puts(b, "</tbody>\n</table></div>\n</section>\n");
}

static void descargas(const site_ctx *x, const site_page *p, prep_buf *b, int depth)
{
    char path[256], url[512];
    site_path_json(x, p->se, p->nivel, p->idx, path, sizeof path);
    prep_buf_puts(b, "<section aria-labelledby=\"h-desc\">\n<h2 id=\"h-desc\">Descargas</h2>\n"
                     "<ul class=\"descargas\"><li><a ");
    href(b, depth, path);
    prep_buf_puts(b, " type=\"application/json\">Datos de esta página (JSON)</a></li><li><a ");
    /* A sección page names no corte (see head()): the ZIPs, named by the
     * corte's time, are listed on the home page. */
    if (p->nivel == SITE_SECCION) {
        href(b, depth, "index.html#datos");
    } else {
        snprintf(url, sizeof url, "%s%s", x->datos, x->zip[p->se->e]);
        href(b, depth, url);
    }
    prep_buf_puts(b, ">Base de datos de ");
    esc(b, p->se->el->nombre);
    prep_buf_puts(b, " (CSV en ZIP)</a></li></ul>\n</section>\n");
}

/* ---- pages -------------------------------------------------------------- */

void site_html_page(const site_ctx *x, const site_page *p, prep_buf *b)
{
    const site_elec *se = p->se;
    int depth = site_depth_html(p->nivel);
    char name[PREP_NAME_MAX + 48], title[2 * PREP_NAME_MAX + 64];
    nivel_nombre(x, se, p->nivel, p->idx, name, sizeof name);
    snprintf(title, sizeof title, "%s — %s", se->el->nombre, name);
    int fija = p->nivel == SITE_SECCION;
    head(x, b, depth, title, fija);
    ruta(x, p, b, depth);
    prep_buf_puts(b, "<main id=\"contenido\">\n<h1>");
    esc(b, se->el->nombre);
    prep_buf_puts(b, " <span class=\"ambito\">");
    esc(b, name);
    if (p->nivel == SITE_SECCION) {
        const prep_seccion *s = &x->cat->secciones[p->idx];
        const prep_unidad *g =
            &se->geo[se->geo_tipo == PREP_UNIDAD_DISTRITO ? s->distrito : s->demarcacion];
        prep_buf_printf(b, ", %s %d", site_tipo_label(se->geo_tipo), g->id);
    }
    prep_buf_puts(b, "</span></h1>\n");
    resumen(b, &p->t->s, NULL);
    if (p->has_cand)
        candidaturas(x, p, b);
    columnas(x, p, b, !p->has_cand);
    if (p->nivel == SITE_SECCION)
        casillas(x, p, b, depth);
    else
        hijos(x, p, b, depth);
    if (p->nivel == SITE_NACIONAL || (p->nivel == SITE_ENTIDAD && x->cat->nentidades == 1))
        fuera_catalogo(x, p, b);
    descargas(x, p, b, depth);
    prep_buf_puts(b, "</main>\n");
    footer(x, b, depth, fija);
}

void site_html_home(const site_ctx *x, prep_buf *b)
{
    char path[256], url[512];
    head(x, b, 0, "Resultados preliminares", 0);
    prep_buf_puts(b, "<main id=\"contenido\">\n<h1>Resultados preliminares <span class=\"ambito\">");
    esc(b, x->cat->proceso);
    prep_buf_puts(b, "</span></h1>\n");
    for (int e = 0; e < x->cat->nelecciones; e++) {
        const site_elec *se = &x->el[e];
        site_page p;
        int nivel = x->cat->nentidades == 1 ? SITE_ENTIDAD : SITE_NACIONAL;
        if (site_page_init(x, se, nivel, nivel == SITE_ENTIDAD ? 0 : -1, &p, NULL) < 0)
            p.has_cand = 0;
        site_path_eleccion(x, se, path, sizeof path);
        prep_buf_printf(b, "<section class=\"eleccion\" aria-labelledby=\"h-%s\">\n"
                           "<h2 id=\"h-%s\"><a ",
                        se->el->codigo, se->el->codigo);
        href(b, 0, path);
        prep_buf_puts(b, ">");
        esc(b, se->el->nombre);
        prep_buf_puts(b, "</a></h2>\n");
        resumen(b, &se->total.s, se->el->nombre);
        site_bar bars[PREP_MAX_COLS];
        char labels[PREP_MAX_COLS][PREP_NAME_MAX + 16];
        char id[32], title[PREP_NAME_MAX + 64];
        snprintf(id, sizeof id, "g-%s", se->el->codigo);
        int n = 0;
        if (p.has_cand) {
            for (int i = 0; i < p.cand.n; i++) {
                bars[n].label = site_cand_label(se->el, &p.cand.c[i], labels[n], sizeof labels[n]);
                bars[n].color = site_col_color(se->el, p.cand.c[i].col);
                bars[n].votos = p.cand.c[i].votos;
                bars[n].pct_e4 = p.cand.c[i].pct_e4;
                bars[n].destacado = i < p.cand.nempate;
                n++;
            }
            snprintf(title, sizeof title, "%s: porcentaje de votos por candidatura",
                     se->el->nombre);
            if (p.cand.empate)
                prep_buf_puts(b, "<p class=\"empate\"><strong>Empate</strong> en el primer "
                                 "lugar.</p>\n");
        } else {
            for (int c = 0; c < se->el->ncols; c++) {
                if (se->el->cols[c].tipo != PREP_COL_PARTIDO)
                    continue;
                bars[n].label = site_col_label(se->el, c, labels[n], sizeof labels[n]);
                bars[n].color = site_col_color(se->el, c);
                bars[n].votos = se->total.v.col[c];
                bars[n].pct_e4 = prep_pct_e4(se->total.v.col[c], se->total.v.total);
                bars[n].destacado = 0;
                n++;
            }
            snprintf(title, sizeof title,
                     "%s: porcentaje de votos por partido político (sin combinaciones)",
                     se->el->nombre);
        }
        site_svg_bars(b, id, title, bars, n);
        prep_buf_puts(b, "<p><a class=\"boton\" ");
        href(b, 0, path);
        prep_buf_puts(b, ">Ver resultados de ");
        esc(b, se->el->nombre);
        prep_buf_puts(b, "</a></p>\n</section>\n");
    }
    prep_buf_printf(b, "<p class=\"leyenda\">%s</p>\n", LEYENDA);
    prep_buf_puts(b, "<section id=\"datos\" aria-labelledby=\"h-datos\">\n<h2 id=\"h-datos\">"
                     "Bases de datos del corte</h2>\n<ul class=\"descargas\">\n");
    for (int e = 0; e < x->cat->nelecciones; e++) {
        snprintf(url, sizeof url, "%s%s", x->datos, x->zip[e]);
        prep_buf_puts(b, "<li><a ");
        href(b, 0, url);
        prep_buf_puts(b, ">");
        esc(b, x->el[e].el->nombre);
        prep_buf_puts(b, ": ");
        esc(b, x->zip[e]);
        prep_buf_puts(b, "</a></li>\n");
    }
    prep_buf_puts(b, "<li><a ");
    href(b, 0, "json/index.json");
    prep_buf_puts(b, " type=\"application/json\">Índice de datos en JSON</a></li>\n<li><a ");
    href(b, 0, x->manifest);
    prep_buf_puts(b, ">MANIFEST (SHA-256 de cada archivo del corte)</a></li>\n<li><a ");
    href(b, 0, x->firma);
    prep_buf_puts(b, ">Firma Ed25519 del MANIFEST</a></li>\n<li><a ");
    href(b, 0, x->clave_publica);
    prep_buf_puts(b, ">Clave pública del instituto</a></li>\n</ul>\n<p>Para verificar un corte sin "
                     "conexión: descargue sus archivos y ejecute <code>prep verify DIRECTORIO"
                     "</code>; comprueba la firma, el SHA-256 de cada archivo y vuelve a calcular "
                     "los totales a partir de las actas.</p>\n</section>\n</main>\n");
    footer(x, b, 0, 0);
}
