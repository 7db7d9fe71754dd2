/* record.c — the wording of the opening and closing records (Spanish), once:
 * record() walks the facts and calls a renderer for the title, sections,
 * label/value items, paragraphs and signature lines; one renderer writes
 * plain text, the other a self-contained HTML page (no script, print-ready).
 * Pure formatting: no I/O, no clock. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ceremony/ceremony.h"

/* Where a renderer writes, and whether an HTML <dl> is open. */
typedef struct {
    prep_buf *b;
    int dl;
} out_t;

typedef struct {
    void (*title)(out_t *o, const char *t, const char *sub);
    void (*section)(out_t *o, const char *h);
    void (*item)(out_t *o, const char *label, const char *value, int code);
    void (*para)(out_t *o, const char *t);
    void (*firma)(out_t *o, const char *cargo, const char *nombre);
    void (*end)(out_t *o);
} renderer;

static void itemf(const renderer *r, out_t *o, const char *label, int code, const char *fmt,
                  ...) __attribute__((format(printf, 5, 6)));
static void itemf(const renderer *r, out_t *o, const char *label, int code, const char *fmt,
                  ...)
{
    char v[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v, sizeof v, fmt, ap);
    va_end(ap);
    r->item(o, label, v, code);
}

static void corte_line(const renderer *r, out_t *o, const char *label, const prep_corte_info *c)
{
    char t[24];
    prep_time_fmt(c->at, t);
    itemf(r, o, label, 0, "corte %d, %s (UTC-6), %s, %" PRId64 " actas, MANIFEST SHA-256 %s",
          c->numero, t, c->dir, c->actas, c->manifest_sha);
}

static void record(const prep_ceremony_facts *f, const renderer *r, out_t *o)
{
    char t[24], sub[PREP_NAME_MAX + 64];
    prep_time_fmt(f->at, t);
    snprintf(sub, sizeof sub, "%s — %s", f->proceso, f->entidad);
    r->title(o,
             f->cierre ? "Acta de cierre de la publicación del PREP"
                       : "Acta de apertura de la publicación del PREP",
             sub);
    itemf(r, o, "Fecha y hora", 0, "%s (UTC-6, hora del centro de México)", t);
    r->para(o, f->cierre
                   ? "Se hace constar el cierre de la publicación de los resultados electorales "
                     "preliminares: se publicó el corte final y se registran a continuación lo "
                     "publicado, los totales de cada elección y el estado de la bitácora."
                   : "Se hace constar que, antes de iniciar la publicación de los resultados "
                     "electorales preliminares, el sistema verificó lo siguiente: la identidad "
                     "del programa que se ejecuta, el catálogo de casillas, la clave de firma de "
                     "los cortes, que ninguna acta ha sido capturada ni publicada y la integridad "
                     "de la bitácora.");
    r->section(o, "Sistema");
    itemf(r, o, "Programa", 0, "prep %s", f->version);
    itemf(r, o, "Commit del código fuente", 1, "%s", f->commit);
    itemf(r, o, "SHA-256 del binario en ejecución", 1, "%s", f->binario);
    r->para(o, "El binario es reproducible: compilar el mismo commit produce el mismo SHA-256 "
               "(scripts/repro-check.sh), de modo que puede compararse con el auditado.");
    r->section(o, "Catálogo y clave de firma");
    itemf(r, o, "SHA-256 del catálogo", 1, "%s", f->catalogo);
    itemf(r, o, "Casillas aprobadas", 0, "%d", f->ncasillas);
    itemf(r, o, "Clave pública Ed25519 de los cortes", 1, "%s", f->clave_publica);
    r->section(o, f->cierre ? "Actas por elección al cierre" : "Estado de la base de datos");
    for (int e = 0; e < f->nelecciones; e++) {
        const prep_ceremony_eleccion *el = &f->el[e];
        char v[512];
        int n = snprintf(v, sizeof v, "esperadas %" PRId64, el->esperadas);
        for (int s = 0; s < PREP_EST__COUNT && n < (int)sizeof v; s++)
            n += snprintf(v + n, sizeof v - (size_t)n, "; %s %" PRId64, prep_estado_name(s),
                          el->estados[s]);
        if (n < (int)sizeof v)
            snprintf(v + n, sizeof v - (size_t)n, "; fuera de catálogo %" PRId64,
                     el->fuera_catalogo);
        char label[PREP_NAME_MAX + 16];
        snprintf(label, sizeof label, "%s (%s)", el->nombre, el->codigo);
        r->item(o, label, v, 0);
    }
    if (!f->cierre) {
        r->para(o, "Ninguna acta se encuentra capturada, por verificar, verificada ni "
                   "publicada, y no se ha publicado ningún corte.");
    } else {
        r->section(o, "Publicación");
        itemf(r, o, "Apertura", 0, "%s", f->apertura);
        itemf(r, o, "Cortes publicados", 0, "%d", f->ncortes);
        corte_line(r, o, "Primer corte", &f->primero);
        corte_line(r, o, "Corte final", &f->ultimo);
        for (int e = 0; e < f->nelecciones; e++) {
            const prep_ceremony_eleccion *el = &f->el[e];
            char h[PREP_NAME_MAX + 48];
            snprintf(h, sizeof h, "Totales del corte final: %s", el->nombre);
            r->section(o, h);
            for (int i = 0; i < el->nresumen; i++)
                r->item(o, el->resumen[i][0], el->resumen[i][1], 0);
        }
    }
    r->section(o, "Bitácora");
    itemf(r, o, "Entradas verificadas", 0, "%" PRId64 " (cadena de hashes íntegra)", f->log_seq);
    itemf(r, o, "Hash de la última entrada", 1, "%s", f->log_head);
    r->para(o, f->cierre ? "La entrada del cierre se agrega a la bitácora después de esta."
                         : "La entrada de la apertura se agrega a la bitácora después de esta.");
    r->section(o, "Firmas");
    r->para(o, "Este documento está firmado electrónicamente con la clave de los cortes "
               "(archivo .sig junto a él; se comprueba con «prep ceremony verify»). Firman "
               "además, de puño y letra:");
    r->firma(o, "Ente auditor", f->people.auditor);
    r->firma(o, "Tercero con fe pública (notaría)", f->people.notario);
    r->firma(o, "Responsable del PREP", f->people.responsable);
    r->end(o);
}

/* ---- plain text ---------------------------------------------------------- */

static void t_title(out_t *o, const char *t, const char *sub)
{
    prep_buf_printf(o->b, "%s\n%s\n\n", t, sub);
}
static void t_section(out_t *o, const char *h)
{
    prep_buf_printf(o->b, "\n== %s ==\n", h);
}
static void t_item(out_t *o, const char *label, const char *value, int code)
{
    (void)code;
    prep_buf_printf(o->b, "%s: %s\n", label, value);
}
static void t_para(out_t *o, const char *t)
{
    prep_buf_printf(o->b, "%s\n", t);
}
static void t_firma(out_t *o, const char *cargo, const char *nombre)
{
    prep_buf_printf(o->b, "\n%s: %s\nFirma: ________________________________\n", cargo,
                    nombre && *nombre ? nombre : "________________________________");
}
static void t_end(out_t *o)
{
    (void)o;
}

void prep_ceremony_text(const prep_ceremony_facts *f, prep_buf *out)
{
    static const renderer r = {t_title, t_section, t_item, t_para, t_firma, t_end};
    out_t o = {out, 0};
    record(f, &r, &o);
}

/* ---- HTML ------------------------------------------------------------------- */

static void h_close_dl(out_t *o)
{
    if (o->dl)
        prep_buf_puts(o->b, "</dl>\n");
    o->dl = 0;
}
static void h_title(out_t *o, const char *t, const char *sub)
{
    o->dl = 0;
    prep_buf_puts(o->b, "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>");
    prep_buf_html(o->b, t);
    prep_buf_puts(o->b, "</title>\n<style>body{font-family:sans-serif;max-width:52rem;margin:1rem auto;"
                     "padding:0 1rem;color:#111;line-height:1.45}dt{font-weight:bold}dd{margin:0 0 "
                     ".4rem 0}code{word-break:break-all}.firma{margin-top:2.5rem;border-top:1px "
                     "solid #111;width:22rem;max-width:100%;padding-top:.2rem}</style>\n</head>\n"
                     "<body>\n<main>\n<h1>");
    prep_buf_html(o->b, t);
    prep_buf_puts(o->b, "</h1>\n<p>");
    prep_buf_html(o->b, sub);
    prep_buf_puts(o->b, "</p>\n");
}
static void h_section(out_t *o, const char *h)
{
    h_close_dl(o);
    prep_buf_puts(o->b, "<h2>");
    prep_buf_html(o->b, h);
    prep_buf_puts(o->b, "</h2>\n");
}
static void h_item(out_t *o, const char *label, const char *value, int code)
{
    if (!o->dl)
        prep_buf_puts(o->b, "<dl>\n");
    o->dl = 1;
    prep_buf_puts(o->b, "<dt>");
    prep_buf_html(o->b, label);
    prep_buf_puts(o->b, code ? "</dt><dd><code>" : "</dt><dd>");
    prep_buf_html(o->b, value);
    prep_buf_puts(o->b, code ? "</code></dd>\n" : "</dd>\n");
}
static void h_para(out_t *o, const char *t)
{
    h_close_dl(o);
    prep_buf_puts(o->b, "<p>");
    prep_buf_html(o->b, t);
    prep_buf_puts(o->b, "</p>\n");
}
static void h_firma(out_t *o, const char *cargo, const char *nombre)
{
    h_close_dl(o);
    prep_buf_puts(o->b, "<p class=\"firma\">");
    prep_buf_html(o->b, cargo);
    if (nombre && *nombre) {
        prep_buf_puts(o->b, ": ");
        prep_buf_html(o->b, nombre);
    }
    prep_buf_puts(o->b, "</p>\n");
}
static void h_end(out_t *o)
{
    h_close_dl(o);
    prep_buf_puts(o->b, "</main>\n</body>\n</html>\n");
}

void prep_ceremony_html(const prep_ceremony_facts *f, prep_buf *out)
{
    static const renderer r = {h_title, h_section, h_item, h_para, h_firma, h_end};
    out_t o = {out, 0};
    record(f, &r, &o);
}
