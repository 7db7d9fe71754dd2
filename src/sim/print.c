/* print.c — `prep simulate --print DIR`: the drill's ground truth as
 * filled-in actas on paper, for a drill run by real operators who scan and
 * photograph real sheets. One PDF per acta (US Letter, vector text, the
 * CLAVE_CASILLA as a crisp vector QR), drawn by draw.c exactly as the
 * drill's images, in DIR/<ELECCION>/<CLAVE_CASILLA>.pdf; and DIR/indice.csv
 * listing every acta of the truth with its file and SHA-256 so the
 * institute can check the printed set. Paquetes sin acta and actas fuera de
 * catálogo get an index row but no PDF (there is no acta with figures to
 * print; see docs/simulacro.md). Deterministic: the same truth gives the
 * same bytes (fixed PDF dates). Two threads. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo-pdf.h>

#include "publish/fsutil.h"
#include "sim/draw.h"
#include "util/hash.h"

/* US Letter (carta), the paper every Mexican office printer has; the acta's
 * 800 x 1040 drawing units scaled to fit inside half-inch margins. */
#define PAGE_W 612.0
#define PAGE_H 792.0
#define PAGE_SCALE 0.675
/* A fixed date keeps the bytes reproducible (cairo writes the time of the
 * run otherwise). */
#define PDF_DATE "2000-01-01T00:00:00Z"

static cairo_status_t pdf_out(void *closure, const unsigned char *data, unsigned int len)
{
    prep_buf *b = closure;
    prep_buf_append(b, data, len);
    return prep_buf_ok(b) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_NO_MEMORY;
}

int sim_print_acta(const sim_truth *t, int e, int c, prep_buf *out, prep_err *err)
{
    const prep_casilla *ca = &t->cat->casillas[c];
    const prep_eleccion *el = &t->cat->elecciones[e];
    prep_buf_reset(out);
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(pdf_out, out, PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return prep_fail(err, PREP_E_NOMEM, "cannot create the PDF of acta %s %s", el->codigo,
                         ca->clave);
    }
    char title[96];
    snprintf(title, sizeof title, "Acta %s %s (simulacro)", el->codigo, ca->clave);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "prep simulate --print");
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, PDF_DATE);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, PDF_DATE);
    cairo_t *cr = cairo_create(s);
    cairo_translate(cr, (PAGE_W - 800 * PAGE_SCALE) / 2, (PAGE_H - 1040 * PAGE_SCALE) / 2);
    cairo_scale(cr, PAGE_SCALE, PAGE_SCALE);
    cairo_set_source_rgb(cr, 0, 0, 0); /* black ink on white paper */
    /* The scribbles over Ilegible fields are those of the drill's scan. */
    sim_rng r;
    sim_rng_key(&r, t->seed, ((uint64_t)e << 32) | (uint64_t)c, (uint64_t)SIM_IMG_ESCANER, 0x51);
    char footer[128];
    snprintf(footer, sizeof footer, "SIMULACRO · SEMILLA %llu · CATD %02d · NO ES UN ACTA OFICIAL",
             (unsigned long long)t->seed, ca->catd);
    sim_draw_style st = {.bold = 0, .line_width = 1.5, .footer = footer};
    int rc = sim_draw_acta(cr, t, e, c, &st, &r, err);
    cairo_show_page(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_status_t cs = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (rc < 0)
        return -1;
    if (cs != CAIRO_STATUS_SUCCESS || !prep_buf_ok(out))
        return prep_fail(err, cs == CAIRO_STATUS_NO_MEMORY ? PREP_E_NOMEM : PREP_E_IO,
                         "PDF of acta %s %s failed: %s", el->codigo, ca->clave,
                         cairo_status_to_string(cs));
    return 0;
}

/* ---- the whole set ------------------------------------------------------ */

/* 1 when acta (e, c) exists on paper: every acta but those of a paquete
 * sin acta (no acta came out of the casilla or the paquete). */
static int printable(const sim_truth *t, int c)
{
    return !(t->cas[c].faults & SIM_FAULT_BIT(SIM_FAULT_SIN_ACTA));
}

typedef struct {
    const sim_truth *t;
    const char *dir;
    int *jobs;                /* e * ncasillas + c of the printable actas */
    int64_t njobs;
    _Atomic int64_t next;
    _Atomic int failed;
    char (*sha)[PREP_SHA256_HEX]; /* [nelecciones * ncasillas] */
    pthread_mutex_t mu;
    prep_err err;             /* first failure */
} print_ctx;

/* Election codes are short capitals, but a file name takes no chances. */
static void safe_name(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    for (; in[i] && i + 1 < cap; i++) {
        char ch = in[i];
        int ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '_';
        out[i] = ok ? ch : '_';
    }
    out[i] = '\0';
}

static void acta_file(const sim_truth *t, int e, int c, char *out, size_t cap)
{
    char ecode[16], clave[32];
    safe_name(t->cat->elecciones[e].codigo, ecode, sizeof ecode);
    safe_name(t->cat->casillas[c].clave, clave, sizeof clave);
    snprintf(out, cap, "%s/%s.pdf", ecode, clave);
}

static void *print_worker(void *arg)
{
    print_ctx *p = arg;
    const sim_truth *t = p->t;
    int n = t->cat->ncasillas;
    prep_buf b;
    prep_buf_init(&b);
    prep_err err = {0};
    for (;;) {
        int64_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->njobs || atomic_load(&p->failed))
            break;
        int e = p->jobs[i] / n, c = p->jobs[i] % n;
        char rel[96], path[1200];
        acta_file(t, e, c, rel, sizeof rel);
        snprintf(path, sizeof path, "%s/%s", p->dir, rel);
        if (sim_print_acta(t, e, c, &b, &err) < 0 || prep_fs_write(path, b.data, b.len, 0, &err) < 0) {
            pthread_mutex_lock(&p->mu);
            if (!atomic_exchange(&p->failed, 1))
                p->err = err;
            pthread_mutex_unlock(&p->mu);
            break;
        }
        prep_sha256_hex(b.data, b.len, p->sha[p->jobs[i]]);
    }
    prep_buf_free(&b);
    return NULL;
}

static const char *const motivo_code[PREP_SIN_ACTA__COUNT] = {"", "paquete_no_entregado",
                                                              "casilla_no_instalada",
                                                              "paquete_sin_sobre"};

/* What the coordinator of a paper drill must stage for this acta, beyond
 * handing it over: codes of the paper-relevant planned faults. */
static void situacion(const sim_truth *t, int e, int c, char *out, size_t cap)
{
    static const sim_fault kinds[] = {SIM_FAULT_ILEGIBLE,     SIM_FAULT_SIN_DATO,
                                      SIM_FAULT_TODOS,        SIM_FAULT_EXCEDE,
                                      SIM_FAULT_PHOTO_SCAN,   SIM_FAULT_SIN_ACTA,
                                      SIM_FAULT_LATE,         SIM_FAULT_LOST};
    size_t len = 0;
    out[0] = '\0';
    if (t->cas[c].t_photo >= 0)
        len += (size_t)snprintf(out + len, cap - len, "foto_cae");
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && len < cap; k++) {
        if (!sim_has(t, e, c, kinds[k]))
            continue;
        const char *code = sim_fault_code(kinds[k]);
        if (kinds[k] == SIM_FAULT_SIN_ACTA && t->cas[c].motivo < PREP_SIN_ACTA__COUNT)
            len += (size_t)snprintf(out + len, cap - len, "%s%s:%s", len ? "|" : "", code,
                                    motivo_code[t->cas[c].motivo]);
        else
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "|" : "", code);
    }
}

static int write_index(const print_ctx *p, sim_print_result *res, prep_err *err)
{
    const sim_truth *t = p->t;
    const prep_catalog *cat = t->cat;
    char path[1200];
    snprintf(path, sizeof path, "%s/indice.csv", p->dir);
    prep_buf b;
    prep_buf_init(&b);
    prep_buf_puts(&b, "ELECCION,CLAVE_CASILLA,CATD,ARCHIVO,SHA256,SITUACION\n");
    for (int e = 0; e < cat->nelecciones; e++) {
        for (int c = 0; c < cat->ncasillas; c++) {
            char rel[96] = "", sit[160];
            const char *sha = "";
            situacion(t, e, c, sit, sizeof sit);
            if (printable(t, c)) {
                acta_file(t, e, c, rel, sizeof rel);
                sha = p->sha[(size_t)e * (size_t)cat->ncasillas + (size_t)c];
                res->pdfs++;
            } else {
                res->sin_acta++;
            }
            prep_buf_printf(&b, "%s,%s,%d,%s,%s,%s\n", cat->elecciones[e].codigo,
                            cat->casillas[c].clave, cat->casillas[c].catd, rel, sha, sit);
        }
        for (int i = 0; i < t->nfuera; i++)
            if (t->fuera[i].eleccion == e) {
                prep_buf_printf(&b, "%s,%s,%d,,,%s\n", cat->elecciones[e].codigo,
                                t->fuera[i].ident, t->fuera[i].catd,
                                sim_fault_code(SIM_FAULT_FUERA));
                res->fuera++;
            }
    }
    int rc = prep_buf_ok(&b) ? prep_fs_write(path, b.data, b.len, 0, err)
                             : prep_fail(err, PREP_E_NOMEM, "out of memory (indice.csv)");
    prep_buf_free(&b);
    return rc;
}

int sim_print_all(const sim_truth *t, const char *dir, int threads, sim_print_result *res,
                  prep_err *err)
{
    memset(res, 0, sizeof *res);
    const prep_catalog *cat = t->cat;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (prep_fs_mkdirs(dir, err) < 0)
        return -1;
    /* An earlier set's files would mix with this one's (a stale PDF that
     * the new index does not list): print into a new directory. */
    if (!prep_fs_dir_is_empty(dir))
        return prep_fail(err, PREP_E_INVALID,
                         "%s is not empty: print into a new directory, so no acta of another "
                         "print is mixed with this set",
                         dir);
    for (int e = 0; e < cat->nelecciones; e++) {
        char ecode[16], sub[1100];
        safe_name(cat->elecciones[e].codigo, ecode, sizeof ecode);
        snprintf(sub, sizeof sub, "%s/%s", dir, ecode);
        if (prep_fs_mkdirs(sub, err) < 0)
            return -1;
    }
    size_t total = (size_t)cat->nelecciones * (size_t)cat->ncasillas;
    print_ctx p = {.t = t, .dir = dir};
    p.jobs = malloc((total ? total : 1) * sizeof *p.jobs);
    p.sha = calloc(total ? total : 1, sizeof *p.sha);
    if (!p.jobs || !p.sha) {
        free(p.jobs);
        free(p.sha);
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    for (int e = 0; e < cat->nelecciones; e++)
        for (int c = 0; c < cat->ncasillas; c++)
            if (printable(t, c))
                p.jobs[p.njobs++] = e * cat->ncasillas + c;
    pthread_mutex_init(&p.mu, NULL);
    if (threads < 1)
        threads = 1;
    if (threads > 16)
        threads = 16;
    pthread_t tid[16];
    int started = 0;
    for (; started < threads; started++)
        if (pthread_create(&tid[started], NULL, print_worker, &p) != 0)
            break;
    if (started == 0)
        print_worker(&p); /* no thread could start: print on this one */
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    int rc = 0;
    if (atomic_load(&p.failed)) {
        *err = p.err;
        rc = -1;
    }
    if (rc == 0)
        rc = write_index(&p, res, err);
    pthread_mutex_destroy(&p.mu);
    free(p.jobs);
    free(p.sha);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    res->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    return rc;
}
