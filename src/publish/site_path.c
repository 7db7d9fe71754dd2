/* site_path.c — where each page and JSON document of the site lives, and
 * relative links between them. Every link in the site is relative, so the
 * same files work under any prefix (prep serve, nginx, a difusor's mirror).
 * Names only: nothing here creates directories or writes files. */
#include <stdio.h>
#include <string.h>

#include "publish/site_internal.h"

static int ent_id_of(const site_ctx *x, const site_elec *se, int nivel, int idx)
{
    switch (nivel) {
    case SITE_ENTIDAD: return x->cat->entidades[idx].id;
    case SITE_GEO: return se->geo[idx].entidad;
    case SITE_SECCION: return x->cat->secciones[idx].entidad;
    default: return 0;
    }
}

static void path(const site_ctx *x, const site_elec *se, int nivel, int idx, int json,
                 char *buf, size_t cap)
{
    const char *pre = json ? "json/" : "";
    const char *ext = json ? "json" : "html";
    const char *code = se->el->codigo;
    int ent = ent_id_of(x, se, nivel, idx);
    switch (nivel) {
    case SITE_NACIONAL:
        snprintf(buf, cap, "%s%s/%s.%s", pre, code, json ? "nacional" : "index", ext);
        break;
    case SITE_ENTIDAD:
        snprintf(buf, cap, "%s%s/%02d/%s.%s", pre, code, ent, json ? "entidad" : "index", ext);
        break;
    case SITE_GEO:
        snprintf(buf, cap, "%s%s/%02d/%s/%d.%s", pre, code, ent, site_tipo_slug(se->geo_tipo),
                 se->geo[idx].id, ext);
        break;
    default:
        snprintf(buf, cap, "%s%s/%02d/seccion/%d.%s", pre, code, ent,
                 x->cat->secciones[idx].seccion, ext);
        break;
    }
}

void site_path_html(const site_ctx *x, const site_elec *se, int nivel, int idx, char *buf,
                    size_t cap)
{
    path(x, se, nivel, idx, 0, buf, cap);
}

void site_path_json(const site_ctx *x, const site_elec *se, int nivel, int idx, char *buf,
                    size_t cap)
{
    path(x, se, nivel, idx, 1, buf, cap);
}

int site_depth_html(int nivel)
{
    return nivel == SITE_NACIONAL ? 1 : nivel == SITE_ENTIDAD ? 2 : 3;
}

int site_depth_json(int nivel)
{
    return site_depth_html(nivel) + 1;
}

void site_path_eleccion(const site_ctx *x, const site_elec *se, char *buf, size_t cap)
{
    if (x->cat->nentidades == 1)
        site_path_html(x, se, SITE_ENTIDAD, 0, buf, cap);
    else
        site_path_html(x, se, SITE_NACIONAL, -1, buf, cap);
}

void site_put_url(prep_buf *b, int depth, const char *url)
{
    if (url[0] != '/' && !strstr(url, "://"))
        for (int i = 0; i < depth; i++)
            prep_buf_append(b, "../", 3);
    prep_buf_html(b, url);
}

void site_imagen_url(const site_ctx *x, const char *sha, char *buf, size_t cap)
{
    const char *ext = x->imagen_ext ? x->imagen_ext(x->imagen_ext_ctx, sha) : NULL;
    snprintf(buf, cap, "%s%s.%s", x->imagenes, sha, ext ? ext : "png");
}
