/* site_internal.h — what the site_*.c files share: the resolved options, the
 * per-level tallies of every election (built once from the snapshot by
 * site_model.c with tally.h), the drill-down lists, paths and formatting.
 * Internal to src/publish/; the public interface is site.h. */
#ifndef PREP_SITE_INTERNAL_H
#define PREP_SITE_INTERNAL_H

#include <stdint.h>

#include "core/tally.h"
#include "publish/site.h"
#include "util/buf.h"

typedef enum { SITE_NACIONAL = 0, SITE_ENTIDAD, SITE_GEO, SITE_SECCION } site_nivel;

/* A list of indexes per parent (compressed rows): items of parent p are
 * idx[off[p] .. off[p+1]-1]. */
typedef struct {
    int *off, *idx;
} site_rows;

/* One election's numbers at every level. */
typedef struct {
    int e;
    const prep_eleccion *el;
    int geo_tipo;          /* level below entidad: PREP_UNIDAD_DISTRITO or _DEMARCACION */
    int ngeo;
    const prep_unidad *geo;
    int *acta_of;          /* [ncasillas] index into snap->el[e].actas, -1 not registered */
    prep_tally *sec;       /* [nsecciones] */
    prep_tally *geot;      /* [ngeo] */
    prep_tally *ent;       /* [nentidades] */
    prep_tally total;      /* whole catalog, fuera de catálogo included */
    /* Unit whose boleta (candidaturas) applies to each aggregate, -1 when
     * the aggregate spans units with different boletas; *_multi = 1 when it
     * stands for several units that share the same boleta (party and
     * coalition totals are meaningful, candidate names are not). */
    int *sec_unit, *geo_unit, *ent_unit;
    int *ent_multi;
    int total_unit, total_multi;
} site_elec;

/* One page file in the page index (site_reuse.c). */
typedef struct {
    uint8_t xxh[16];       /* XXH3-128 of the bytes, canonical (big-endian) */
    uint8_t sha[32];       /* SHA-256 of the bytes */
    uint64_t len;
} site_page_rec;

/* Reuse of the previous corte's pages (site_reuse.c). */
typedef struct {
    const site_page_rec *prev; /* previous index's records, NULL = none usable */
    int prev_fd;               /* previous site directory, -1 */
    site_page_rec *cur;        /* [nslots] this site's index, NULL = not kept */
    int nslots;
    int same_globales;         /* the previous site had the same program, catalog, links */
} site_reuse;

typedef struct {
    const prep_snapshot *snap;
    const prep_catalog *cat;
    int hilos;
    int out_fd;            /* outdir, for linkat() */
    site_reuse reuse;
    void (*on_file)(void *ctx, const char *rel, const char sha[65], size_t len, int linked);
    void *on_file_ctx;
    const char *(*imagen_ext)(void *ctx, const char *sha);
    void *imagen_ext_ctx;
    /* Resolved options (never NULL). */
    const char *imagenes, *datos, *manifest, *firma, *clave_publica;
    char zip[PREP_MAX_ELECCIONES][128];
    char binario[72], catalogo[72];
    char corte_hora[64];   /* "02/06/2024 20:30 (UTC-6)" */
    char corte_iso[32];
    char proximo_hora[64]; /* "" when none */
    char proximo_iso[32];
    int64_t proximo_ms;
    char outdir[4096];
    /* Geography shared by all elections. */
    int *sec_first, *sec_n;   /* casillas of sección s: sec_first[s] .. + sec_n[s] */
    int *sec_ent;             /* entidad index of each sección */
    site_rows dist_secs, dem_secs;   /* secciones of each distrito / demarcación */
    site_rows ent_dists, ent_dems;   /* distritos / demarcaciones of each entidad */
    site_elec el[PREP_MAX_ELECCIONES];
} site_ctx;

/* One page (or JSON document) of one election at one level. */
typedef struct {
    const site_elec *se;
    int nivel;             /* site_nivel */
    int idx;               /* entidad, geo or sección index; -1 nacional */
    const prep_tally *t;
    int unit, multi;       /* see site_elec */
    int has_cand;
    prep_candidatos cand;
} site_page;

/* ---- site_model.c ---------------------------------------------------- */
int site_model_build(site_ctx *x, prep_err *err);
void site_model_free(site_ctx *x);
/* Fill p for (election se, nivel, idx), including candidate totals. */
int site_page_init(const site_ctx *x, const site_elec *se, int nivel, int idx, site_page *p,
                   prep_err *err);
const site_rows *site_geo_secs(const site_ctx *x, const site_elec *se);
const site_rows *site_ent_geos(const site_ctx *x, const site_elec *se);
/* Candidaturas unit of casilla c for election se (its own unit). */
int site_casilla_unit(const site_ctx *x, const site_elec *se, int c);

/* ---- site_reuse.c: pages kept from the previous corte ------------------ */
/* Set up x->reuse for nslots page files from o->indice_previo / previo_dir
 * (nothing reused when they do not match this site). */
int site_reuse_open(site_ctx *x, const prep_site_opts *o, int nslots, prep_err *err);
/* Record the XXH3 and size of slot's bytes (before the calls below). */
void site_reuse_note(const site_ctx *x, int slot, const void *data, size_t len);
/* 1 when slot's noted bytes are the previous site's and were linked from it
 * (its SHA-256 is then in x->reuse.cur[slot].sha), 0 = write them. */
int site_reuse_link(const site_ctx *x, int slot, const char *rel);
/* A sección's HTML (slot s_html) linked from the previous site because its
 * JSON (slot s_json, noted) is unchanged: 1, with x->reuse.cur[s_html]
 * filled; 0 = render and write it. */
int site_reuse_html_of(const site_ctx *x, int s_html, const char *rel_html, int s_json);
/* Record the SHA-256 of a slot that was written. */
void site_reuse_written(const site_ctx *x, int slot, const uint8_t sha[32]);
/* This site's page index into out (when one was asked for). */
int site_reuse_finish(site_ctx *x, prep_buf *out, prep_err *err);
void site_reuse_close(site_ctx *x);

/* ---- site_path.c: where each page lives ------------------------------- */
/* Path of a page from the site root ("GUB/09/distrito/5.html"). */
void site_path_html(const site_ctx *x, const site_elec *se, int nivel, int idx, char *buf,
                    size_t cap);
void site_path_json(const site_ctx *x, const site_elec *se, int nivel, int idx, char *buf,
                    size_t cap);
/* How many directories below the root a page is ("../" count). */
int site_depth_html(int nivel);
int site_depth_json(int nivel);
/* Entry page of an election (nacional, or its only entidad). */
void site_path_eleccion(const site_ctx *x, const site_elec *se, char *buf, size_t cap);
/* Append "../"×depth + url unless url is absolute ("/..." or "scheme://"). */
void site_put_url(prep_buf *b, int depth, const char *url);
/* URL of an acta image from the site root: <imagenes><sha>.<ext>. */
void site_imagen_url(const site_ctx *x, const char *sha, char *buf, size_t cap);

/* ---- site_fmt.c: text for people -------------------------------------- */
/* 1234567 -> "1,234,567" (buf >= 32). */
const char *site_fmt_int(int64_t v, char *buf);
/* Percentage in 1/10000ths -> "12.3456" (buf >= 32). */
const char *site_fmt_pct(int64_t e4, char *buf);
/* Column label: "PAN", "PAN-PRI" (combination), "CI 1" (independiente). */
const char *site_col_label(const prep_eleccion *el, int c, char *buf, size_t cap);
/* Candidatura label: party siglas, coalition name, "CI 1". */
const char *site_cand_label(const prep_eleccion *el, const prep_cand_total *t, char *buf,
                            size_t cap);
/* Fill color (#rrggbb) for a party / coalition / CI column. */
const char *site_col_color(const prep_eleccion *el, int c);
/* "Básica 1", "Contigua 2", "Extraordinaria 1 contigua 1", "Especial 1". */
const char *site_casilla_label(const prep_casilla *c, char *buf, size_t cap);
/* "Distrito", "Demarcación", "Entidad"... for a unit type (capitalised). */
const char *site_tipo_label(int unidad_tipo);
const char *site_tipo_slug(int unidad_tipo); /* "distrito", "demarcacion", "entidad" */
/* JSON string literal with escapes. */
void site_json_str(prep_buf *b, const char *s);
/* Name of a level for people: "Sección 123", "Distrito 5 — NOMBRE". */

/* ---- site_svg.c ------------------------------------------------------- */
typedef struct {
    const char *label;
    const char *color;
    int64_t votos;
    int64_t pct_e4;
    int destacado;  /* drawn with a heavier outline (Empate / first place) */
} site_bar;
/* Inline horizontal bar chart with an accessible title (id must be unique
 * in the page). */
void site_svg_bars(prep_buf *b, const char *id, const char *title, const site_bar *bars, int n);

/* ---- site_json.c ------------------------------------------------------ */
void site_json_page(const site_ctx *x, const site_page *p, prep_buf *b);
void site_json_index(const site_ctx *x, prep_buf *b);

/* ---- site_html.c ------------------------------------------------------ */
void site_html_page(const site_ctx *x, const site_page *p, prep_buf *b);
void site_html_home(const site_ctx *x, prep_buf *b);

/* ---- site_assets.c ---------------------------------------------------- */
typedef struct {
    const char *name; /* path from the site root */
    const unsigned char *data;
    size_t len;
} site_asset;
/* The files copied verbatim into every site (CSS, script). */
int site_assets(const site_asset **out);

#endif
