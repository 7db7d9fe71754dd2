/* report.c — the drill report, in Spanish for the institute, in the drill's
 * report directory: informe.md (to read), informe.json (the same figures,
 * for tools), and SVG charts (fases.svg: actas per phase per time bucket;
 * cortes.svg: % of actas captured and contabilizadas at each corte;
 * operadores.svg: captures per operator). Every figure comes from what the
 * drill counted or from the cortes' own CSVs; it draws no conclusion the
 * comparison did not. It does not decide whether the drill passed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "publish/names.h"
#include "sim/drill_internal.h"

static const char *const phase_names[PH__COUNT] = {"foto casilla", "acopio", "escaneo",
                                                   "captura", "verificación", "publicación"};
static const char *const phase_keys[PH__COUNT] = {"foto", "acopio", "escaneo",
                                                  "captura", "verificacion", "publicacion"};
static const char *const colors[] = {"#1b6ca8", "#c0392b", "#27ae60", "#8e44ad",
                                     "#d35400", "#2c3e50"};

/* ---- figures -------------------------------------------------------------------- */

typedef struct {
    int64_t n;
    double p50, p95, max;     /* seconds */
} lat;

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int64_t corte_at_ms(const sim_drill *d, int numero)
{
    for (int i = 0; i < d->ncortes; i++)
        if (d->cortes[i].numero == numero)
            return d->cortes[i].at_ms;
    return -1;
}

/* Time from the photo (from_acopio = 0) or the acopio to publication. */
static lat latency(const sim_drill *d, int from_acopio)
{
    lat L = {0};
    const prep_catalog *cat = d->cat;
    size_t cap = (size_t)cat->nelecciones * (size_t)cat->ncasillas + 1, n = 0;
    int32_t *v = malloc(cap * sizeof *v);
    if (!v)
        return L;
    for (int e = 0; e < cat->nelecciones; e++)
        for (int c = 0; c < cat->ncasillas; c++) {
            const sim_acta_st *s = &d->st[e][c];
            int32_t from = from_acopio ? s->ms_acopio : s->ms_foto;
            int64_t at = s->pub ? corte_at_ms(d, s->pub) : -1;
            if (from >= 0 && at >= from)
                v[n++] = (int32_t)(at - from);
        }
    if (n) {
        qsort(v, n, sizeof *v, cmp_i32);
        L.n = (int64_t)n;
        L.p50 = v[(n - 1) / 2] / 1000.0;
        L.p95 = v[(size_t)((double)(n - 1) * 0.95)] / 1000.0;
        L.max = v[n - 1] / 1000.0;
    }
    free(v);
    return L;
}

typedef struct {
    int64_t injected, ok, bad;
} outcome;

/* How each fault ended: acta faults by the comparison of the final corte,
 * process faults by what the workers saw the server do. */
static void outcomes(const sim_drill *d, const sim_compare_result *cmp, outcome out[SIM_FAULT__COUNT])
{
    const prep_catalog *cat = d->cat;
    const sim_truth *t = &d->truth;
    int64_t counts[SIM_FAULT__COUNT];
    sim_truth_fault_counts(t, counts);
    memset(out, 0, sizeof(outcome) * SIM_FAULT__COUNT);
    for (int k = 0; k < SIM_FAULT__COUNT; k++)
        out[k].injected = counts[k];
    int n = cat->ncasillas;
    for (int c = 0; c < n; c++) {
        int any_bad = 0;
        for (int e = 0; e < cat->nelecciones; e++)
            any_bad |= cmp->bad ? cmp->bad[(size_t)e * (size_t)n + (size_t)c] : 1;
        for (int k = SIM_FAULT_SIN_ACTA; k <= SIM_FAULT_LOST; k++)
            if (t->cas[c].faults >> k & 1u)
                any_bad ? out[k].bad++ : out[k].ok++;
        for (int e = 0; e < cat->nelecciones; e++) {
            uint32_t f = t->el[e].actas[c].faults;
            int bad = cmp->bad ? cmp->bad[(size_t)e * (size_t)n + (size_t)c] : 1;
            static const sim_fault data[] = {SIM_FAULT_ILEGIBLE, SIM_FAULT_SIN_DATO,
                                             SIM_FAULT_TODOS, SIM_FAULT_EXCEDE};
            for (size_t i = 0; i < sizeof data / sizeof data[0]; i++)
                if (f >> data[i] & 1u)
                    bad ? out[data[i]].bad++ : out[data[i]].ok++;
            if (f >> SIM_FAULT_PHOTO_SCAN & 1u) {
                uint8_t fl = d->st[e][c].flags;
                (!bad && (fl & A_FOTO) && (fl & A_ESCANEO)) ? out[SIM_FAULT_PHOTO_SCAN].ok++
                                                            : out[SIM_FAULT_PHOTO_SCAN].bad++;
            }
        }
    }
    static const sim_fault proc[] = {SIM_FAULT_MISTYPE,      SIM_FAULT_MISTYPE2,
                                     SIM_FAULT_RETRY_CAPTURE, SIM_FAULT_CORRUPT,
                                     SIM_FAULT_RETRY_UPLOAD, SIM_FAULT_FUERA};
    for (size_t i = 0; i < sizeof proc / sizeof proc[0]; i++) {
        sim_fault k = proc[i];
        out[k].ok = d->fault[k].ok;
        out[k].bad = out[k].injected - out[k].ok;
        if (out[k].bad < 0)
            out[k].bad = 0;
    }
}

static const char *how_it_ends(sim_fault k)
{
    switch (k) {
    case SIM_FAULT_ILEGIBLE:
    case SIM_FAULT_SIN_DATO:
        return "publicada contabilizada con ALGUN DATO ILEGIBLE O SIN DATO";
    case SIM_FAULT_TODOS:
        return "publicada no contabilizada (TODOS ILEGIBLES O SIN DATO)";
    case SIM_FAULT_EXCEDE:
        return "publicada no contabilizada (EXCEDE LISTA NOMINAL)";
    case SIM_FAULT_MISTYPE:
        return "discrepancia resuelta por la tercera captura";
    case SIM_FAULT_MISTYPE2:
        return "discrepancia resuelta por la verificación";
    case SIM_FAULT_RETRY_CAPTURE:
        return "el reenvío devuelve la misma respuesta y no duplica";
    case SIM_FAULT_CORRUPT:
        return "el servidor rechaza el hash y la imagen buena se reenvía";
    case SIM_FAULT_RETRY_UPLOAD:
        return "el reenvío es una no-operación";
    case SIM_FAULT_PHOTO_SCAN:
        return "dos imágenes, una activa, una sola fila publicada";
    case SIM_FAULT_SIN_ACTA:
        return "publicada como sin acta con su motivo";
    case SIM_FAULT_LATE:
        return "capturada y publicada en un corte posterior";
    case SIM_FAULT_LOST:
        return "sigue esperada; con foto de casilla, publicada desde la foto";
    case SIM_FAULT_FUERA:
        return "cuenta solo en registradas y fuera de catálogo";
    default:
        return "";
    }
}

/* ---- time buckets ------------------------------------------------------------------ */

typedef struct {
    int width;                /* seconds of the report's time axis per bucket */
    int n;                    /* buckets */
    int64_t *v;               /* [PH__COUNT * n] */
} buckets;

static int make_buckets(const sim_drill *d, buckets *b)
{
    int last = 0;
    for (int p = 0; p < PH__COUNT; p++)
        for (int s = 0; s < HIST_SECONDS; s++)
            if (d->hist[(size_t)p * HIST_SECONDS + (size_t)s] && s > last)
                last = s;
    static const int widths[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600};
    b->width = 600;
    if (d->pace <= 0)
        for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
            if ((b->width = widths[i]) * 40 > last)
                break;
    b->n = last / b->width + 1;
    b->v = calloc((size_t)PH__COUNT * (size_t)b->n, sizeof *b->v);
    if (!b->v)
        return -1;
    for (int p = 0; p < PH__COUNT; p++)
        for (int s = 0; s <= last; s++)
            b->v[p * b->n + s / b->width] += d->hist[(size_t)p * HIST_SECONDS + (size_t)s];
    return 0;
}

static void bucket_label(const sim_drill *d, const buckets *b, int i, char *out, size_t cap)
{
    int s = i * b->width;
    if (d->pace > 0) /* virtual night: the polls close at 18:00 */
        snprintf(out, cap, "%02d:%02d", (18 + s / 3600) % 24, s / 60 % 60);
    else if (b->width >= 60)
        snprintf(out, cap, "%d min", s / 60);
    else
        snprintf(out, cap, "%d s", s);
}

/* ---- per corte progress --------------------------------------------------------------- */

typedef struct {
    double capturadas[PREP_MAX_ELECCIONES], contabilizadas[PREP_MAX_ELECCIONES];
    int ok;
} corte_pct;

static void read_corte_pct(const sim_drill *d, const sim_corte_rec *r, corte_pct *out)
{
    memset(out, 0, sizeof *out);
    out->ok = 1;
    for (int e = 0; e < d->cat->nelecciones; e++) {
        char rel[PREP_NAME_CAP], path[1024];
        prep_path_csv(d->cat, e, rel);
        snprintf(path, sizeof path, "%s/%s", r->dir, rel);
        sim_csv_summary s;
        prep_err err = {0};
        if (sim_csv_read_summary(path, &s, &err) < 0) {
            out->ok = 0;
            continue;
        }
        /* PORCENTAJE_ACTAS_CAPTURADAS and _CONTABILIZADAS: fields 4 and 6. */
        out->capturadas[e] = atof(s.v[4]);
        out->contabilizadas[e] = atof(s.v[6]);
    }
}

/* ---- SVG ---------------------------------------------------------------------------- */

static void svg_open(FILE *f, int w, int h, const char *title)
{
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 "
               "%d %d\" font-family=\"sans-serif\" font-size=\"11\">\n"
               "<title>%s</title>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
               "<text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
            w, h, w, h, title, title);
}

/* A round top for an axis: 1, 2 or 5 times a power of ten, at least max. */
static double nice_top(double max)
{
    double p = 1;
    while (p * 10 < max)
        p *= 10;
    while (p > max && p > 1e-9)
        p /= 10;
    static const double m[] = {1, 2, 5, 10};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (m[i] * p >= max)
            return m[i] * p;
    return max > 0 ? max : 1;
}

/* Line chart: ns series of np points over labelled x positions. */
static int svg_lines(const char *path, const char *title, int ns, const char *const *names,
                     const double *v, int np, char (*xl)[16], const char *yunit)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    const int W = 760, H = 360, L = 60, R = 150, T = 34, B = 40;
    double max = 0;
    for (int i = 0; i < ns * np; i++)
        if (v[i] > max)
            max = v[i];
    max = nice_top(max);
    svg_open(f, W, H, title);
    double pw = W - L - R, ph = H - T - B;
    for (int g = 0; g <= 4; g++) {
        double y = T + ph - ph * g / 4;
        fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.4g%s</text>\n",
                L, y, L + pw, y, L - 4, y + 4, max * g / 4, yunit);
    }
    int step = np > 12 ? (np + 11) / 12 : 1;
    for (int i = 0; i < np; i += step) {
        double x = L + (np > 1 ? pw * i / (np - 1) : pw / 2);
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", x, H - B + 16,
                xl[i]);
    }
    for (int s = 0; s < ns; s++) {
        fprintf(f, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\" points=\"",
                colors[s % 6]);
        for (int i = 0; i < np; i++)
            fprintf(f, "%.1f,%.1f ", L + (np > 1 ? pw * i / (np - 1) : pw / 2),
                    T + ph - ph * v[s * np + i] / max);
        fprintf(f, "\"/>\n<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                   "<text x=\"%d\" y=\"%d\">%s</text>\n",
                W - R + 10, T + 18 * s, colors[s % 6], W - R + 28, T + 18 * s + 10, names[s]);
    }
    fprintf(f, "</svg>\n");
    return fclose(f) == 0 ? 0 : -1;
}

/* Horizontal bars, one per label. */
static int svg_bars(const char *path, const char *title, int n, const char *const *labels,
                    const int64_t *v)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    const int W = 760, L = 170, T = 34, bh = 16;
    int H = T + n * (bh + 4) + 20;
    int64_t max = 1;
    for (int i = 0; i < n; i++)
        if (v[i] > max)
            max = v[i];
    svg_open(f, W, H, title);
    for (int i = 0; i < n; i++) {
        double w = (double)(W - L - 80) * (double)v[i] / (double)max;
        int y = T + i * (bh + 4);
        fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                   "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                   "<text x=\"%.1f\" y=\"%d\">%lld</text>\n",
                L - 6, y + 12, labels[i], L, y, w, bh, colors[0], L + w + 4, y + 12,
                (long long)v[i]);
    }
    fprintf(f, "</svg>\n");
    return fclose(f) == 0 ? 0 : -1;
}

/* ---- writing ---------------------------------------------------------------------------- */

static double pct(int64_t a, int64_t b)
{
    return b > 0 ? 100.0 * (double)a / (double)b : 0;
}

static json_t *lat_json(const lat *L)
{
    return json_pack("{s:I,s:f,s:f,s:f}", "actas", (json_int_t)L->n, "p50_s", L->p50, "p95_s",
                     L->p95, "max_s", L->max);
}

int sim_report_write(sim_drill *d, const sim_compare_result *cmp, int ok, prep_err *err)
{
    const prep_catalog *cat = d->cat;
    const sim_drill_opts *o = d->o;
    char path[800];
    buckets b = {0};
    if (make_buckets(d, &b) < 0)
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    outcome oc[SIM_FAULT__COUNT];
    outcomes(d, cmp, oc);
    lat lf = latency(d, 0), la = latency(d, 1);
    corte_pct *cp = calloc((size_t)d->ncortes + 1, sizeof *cp);
    if (!cp) {
        free(b.v);
        return prep_fail(err, PREP_E_NOMEM, "out of memory");
    }
    for (int i = 0; i < d->ncortes; i++)
        read_corte_pct(d, &d->cortes[i], &cp[i]);
    int64_t actas_cap = d->verificadas; /* actas that went through capture */
    double thr = d->night_s + d->final_s > 0 ? (double)d->registradas / (d->night_s + d->final_s) : 0;

    /* Charts. */
    char(*xl)[16] = calloc((size_t)(b.n > d->ncortes ? b.n : d->ncortes) + 1, sizeof *xl);
    double *v = calloc((size_t)PH__COUNT * (size_t)b.n + (size_t)(2 * PREP_MAX_ELECCIONES) *
                                                            (size_t)(d->ncortes + 1),
                       sizeof *v);
    int rc = 0;
    if (!xl || !v) {
        rc = prep_fail(err, PREP_E_NOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < b.n; i++)
        bucket_label(d, &b, i, xl[i], sizeof xl[i]);
    for (int i = 0; i < PH__COUNT * b.n; i++)
        v[i] = (double)b.v[i];
    snprintf(path, sizeof path, "%s/fases.svg", d->report_dir);
    char title[160];
    snprintf(title, sizeof title, "Actas por fase cada %d %s", b.width >= 60 ? b.width / 60 : b.width,
             b.width >= 60 ? "min" : "s");
    rc |= svg_lines(path, title, PH__COUNT, phase_names, v, b.n, xl, "");
    const char *names[2 * PREP_MAX_ELECCIONES];
    char nbuf[2 * PREP_MAX_ELECCIONES][40];
    int ns = 0;
    for (int e = 0; e < cat->nelecciones; e++)
        for (int k = 0; k < 2; k++) {
            snprintf(nbuf[ns], sizeof nbuf[ns], "%s %s", cat->elecciones[e].codigo,
                     k ? "contabilizadas" : "capturadas");
            names[ns] = nbuf[ns];
            for (int i = 0; i < d->ncortes; i++)
                v[ns * d->ncortes + i] = k ? cp[i].contabilizadas[e] : cp[i].capturadas[e];
            ns++;
        }
    for (int i = 0; i < d->ncortes; i++)
        snprintf(xl[i], sizeof xl[i], "%s%d", d->cortes[i].final ? "F" : "", d->cortes[i].numero);
    snprintf(path, sizeof path, "%s/cortes.svg", d->report_dir);
    rc |= svg_lines(path, "Porcentaje de actas en cada corte", ns, names, v, d->ncortes, xl, "%");
    {
        int n = d->ncap_t + d->nver_t;
        const char **lb = calloc((size_t)n + 1, sizeof *lb);
        int64_t *cv = calloc((size_t)n + 1, sizeof *cv);
        if (lb && cv) {
            for (int i = 0; i < d->ncap_t; i++) {
                lb[i] = d->acc.a[d->acc.cap[i]].nombre;
                cv[i] = d->cap_count[i];
            }
            for (int i = 0; i < d->nver_t; i++) {
                lb[d->ncap_t + i] = d->acc.a[d->acc.ver[i]].nombre;
                cv[d->ncap_t + i] = d->ver_count[i];
            }
            snprintf(path, sizeof path, "%s/operadores.svg", d->report_dir);
            rc |= svg_bars(path, "Capturas y verificaciones por operador", n, lb, cv);
        }
        free(lb);
        free(cv);
    }
    if (rc) {
        rc = prep_fail(err, PREP_E_IO, "cannot write the charts in %s: %s", d->report_dir,
                       strerror(errno));
        goto out;
    }

    /* JSON. */
    json_t *j = json_object();
    json_object_set_new(j, "resultado", json_string(ok ? "OK" : "FALLA"));
    json_object_set_new(j, "preset", json_string(o->preset ? o->preset : ""));
    json_object_set_new(j, "semilla", json_integer((json_int_t)o->seed));
    json_object_set_new(j, "fallas", json_string(o->faults_name ? o->faults_name : ""));
    json_object_set_new(j, "ritmo", json_real(d->pace));
    json_object_set_new(j, "imagenes_pequenas", json_boolean(d->ropts.small));
    json_object_set_new(j, "servidor", json_string(d->base));
    json_object_set_new(j, "servidor_rss_max_kb", json_integer((json_int_t)d->server_rss_kb));
    json_object_set_new(j, "tiempos_s",
                        json_pack("{s:f,s:f,s:f,s:f,s:f}", "preparacion", d->setup_s, "noche",
                                  d->night_s, "corte_final", d->final_s, "comparacion",
                                  d->compare_s, "total", d->wall_s));
    json_object_set_new(
        j, "volumen",
        json_pack("{s:I,s:I,s:I,s:I,s:I,s:f,s:I,s:I,s:I,s:I,s:f}", "casillas",
                  (json_int_t)cat->ncasillas, "actas_esperadas",
                  (json_int_t)cat->ncasillas * cat->nelecciones, "actas_registradas",
                  (json_int_t)d->registradas, "capturas", (json_int_t)d->capturas,
                  "actas_verificadas", (json_int_t)d->verificadas, "actas_por_segundo", thr,
                  "peticiones_http", (json_int_t)d->http_requests, "reintentos_transporte",
                  (json_int_t)d->http_retries, "imagenes", (json_int_t)d->img_count,
                  "bytes_imagenes", (json_int_t)d->img_bytes, "render_s",
                  (double)d->render_us / 1e6));
    json_t *fases = json_pack("{s:i,s:s}", "ancho_s", b.width, "eje",
                              d->pace > 0 ? "noche virtual" : "simulacro");
    for (int p = 0; p < PH__COUNT; p++) {
        json_t *a = json_array();
        for (int i = 0; i < b.n; i++)
            json_array_append_new(a, json_integer((json_int_t)b.v[p * b.n + i]));
        json_object_set_new(fases, phase_keys[p], a);
    }
    json_object_set_new(j, "fases", fases);
    json_object_set_new(j, "latencia", json_pack("{s:o,s:o}", "desde_foto", lat_json(&lf),
                                                 "desde_acopio", lat_json(&la)));
    json_object_set_new(
        j, "discrepancias",
        json_pack("{s:I,s:f,s:I,s:I}", "actas", (json_int_t)d->discrepancias, "tasa_pct",
                  pct(d->discrepancias, actas_cap), "resueltas_tercera_captura",
                  (json_int_t)d->resueltas_captura, "resueltas_verificador",
                  (json_int_t)d->resueltas_verificador));
    json_t *ops = json_array();
    for (int i = 0; i < d->ncap_t; i++)
        json_array_append_new(ops, json_pack("{s:s,s:s,s:I}", "usuario",
                                             d->acc.a[d->acc.cap[i]].nombre, "rol", "captura",
                                             "capturas", (json_int_t)d->cap_count[i]));
    for (int i = 0; i < d->nver_t; i++)
        json_array_append_new(ops, json_pack("{s:s,s:s,s:I}", "usuario",
                                             d->acc.a[d->acc.ver[i]].nombre, "rol",
                                             "verificacion", "verificaciones",
                                             (json_int_t)d->ver_count[i]));
    json_object_set_new(j, "operadores", ops);
    json_t *cj = json_array();
    for (int i = 0; i < d->ncortes; i++) {
        json_t *pe = json_object();
        for (int e = 0; e < cat->nelecciones; e++)
            json_object_set_new(pe, cat->elecciones[e].codigo,
                                json_pack("{s:f,s:f}", "capturadas_pct", cp[i].capturadas[e],
                                          "contabilizadas_pct", cp[i].contabilizadas[e]));
        json_array_append_new(cj, json_pack("{s:i,s:b,s:f,s:f,s:s,s:o}", "numero",
                                            d->cortes[i].numero, "final", d->cortes[i].final,
                                            "a_los_s", d->cortes[i].at_ms / 1000.0, "duracion_s",
                                            d->cortes[i].seconds, "directorio", d->cortes[i].dir,
                                            "elecciones", pe));
    }
    json_object_set_new(j, "cortes", cj);
    json_t *fj = json_array();
    for (int k = 0; k < SIM_FAULT__COUNT; k++)
        json_array_append_new(fj, json_pack("{s:s,s:s,s:I,s:I,s:I,s:s}", "falla",
                                            sim_fault_code(k), "descripcion", sim_fault_desc(k),
                                            "inyectadas", (json_int_t)oc[k].injected, "bien",
                                            (json_int_t)oc[k].ok, "mal", (json_int_t)oc[k].bad,
                                            "esperado", how_it_ends(k)));
    json_object_set_new(j, "fallas_inyectadas", fj);
    json_t *dj = json_array();
    for (int i = 0; i < cmp->n; i++)
        json_array_append_new(dj, json_pack("{s:s,s:s,s:s,s:s,s:s}", "eleccion",
                                            cmp->diffs[i].eleccion, "clave", cmp->diffs[i].clave,
                                            "campo", cmp->diffs[i].field, "esperado",
                                            cmp->diffs[i].expected, "publicado",
                                            cmp->diffs[i].published));
    json_object_set_new(j, "comparacion",
                        json_pack("{s:I,s:I,s:I,s:i,s:o}", "filas", (json_int_t)cmp->rows,
                                  "actas_bien", (json_int_t)cmp->actas_ok, "campos",
                                  (json_int_t)cmp->fields_checked, "diferencias", cmp->ndiffs,
                                  "primeras", dj));
    json_t *ej = json_array();
    for (int i = 0; i < d->nerrors; i++)
        json_array_append_new(ej, json_string(d->first_errors[i]));
    json_object_set_new(j, "inesperados", json_pack("{s:I,s:o}", "total",
                                                    (json_int_t)d->unexpected, "primeros", ej));
    snprintf(path, sizeof path, "%s/informe.json", d->report_dir);
    if (json_dump_file(j, path, JSON_INDENT(2)) < 0)
        rc = prep_fail(err, PREP_E_IO, "cannot write %s", path);
    json_decref(j);
    if (rc)
        goto out;

    /* Markdown. */
    snprintf(path, sizeof path, "%s/informe.md", d->report_dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        rc = prep_fail(err, PREP_E_IO, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    fprintf(f, "# Informe del simulacro — %s\n\n", ok ? "OK" : "FALLA");
    fprintf(f, "%s\n\n",
            ok ? "Todo lo que debía contarse se contó exactamente una vez; no se perdió nada."
               : "El corte final **no** coincide con la verdad del simulacro, o el simulacro "
                 "no terminó: ver diferencias y errores abajo.");
    fprintf(f, "| | |\n|---|---|\n| catálogo | %s: %d casillas, %d elecciones, %d CATD |\n",
            o->preset ? o->preset : "(existente)", cat->ncasillas, cat->nelecciones, cat->ncatd);
    fprintf(f, "| semilla | %llu |\n| fallas | %s |\n| ritmo | %s |\n| imágenes | %s |\n",
            (unsigned long long)o->seed, o->faults_name ? o->faults_name : "-",
            d->pace > 0 ? "noche virtual acelerada" : "lo más rápido posible",
            d->ropts.small ? "pequeñas (1 bit)" : "normales");
    if (d->pace > 0)
        fprintf(f, "| aceleración | %.1f s de noche por segundo |\n", d->pace);
    fprintf(f, "| servidor | %s |\n\n", d->base);
    fprintf(f, "## Tiempos y volumen\n\n| | |\n|---|---|\n");
    fprintf(f, "| preparación | %.1f s |\n| noche | %.1f s |\n| corte final | %.1f s |\n"
               "| comparación | %.1f s |\n| total | %.1f s |\n",
            d->setup_s, d->night_s, d->final_s, d->compare_s, d->wall_s);
    fprintf(f, "| actas esperadas | %lld |\n| actas registradas | %lld |\n"
               "| actas verificadas | %lld |\n| capturas | %lld |\n"
               "| actas por segundo (noche + corte final) | %.1f |\n"
               "| peticiones HTTP | %lld (reintentos de transporte: %lld) |\n"
               "| imágenes enviadas | %lld (%.1f MB, %.0f KB en promedio; render %.1f s) |\n"
               "| memoria máxima del servidor | %.1f MB%s |\n\n",
            (long long)cat->ncasillas * cat->nelecciones, (long long)d->registradas,
            (long long)d->verificadas, (long long)d->capturas, thr, (long long)d->http_requests,
            (long long)d->http_retries, (long long)d->img_count, (double)d->img_bytes / 1e6,
            d->img_count ? (double)d->img_bytes / (double)d->img_count / 1024 : 0,
            (double)d->render_us / 1e6, (double)d->server_rss_kb / 1024,
            d->own_server ? "" : " (servidor ajeno: no medida)");
    fprintf(f, "## Actas por fase\n\n![actas por fase](fases.svg)\n\n| %s |",
            d->pace > 0 ? "hora (noche virtual)" : "tiempo");
    for (int p = 0; p < PH__COUNT; p++)
        fprintf(f, " %s |", phase_names[p]);
    fprintf(f, "\n|---|");
    for (int p = 0; p < PH__COUNT; p++)
        fprintf(f, "---:|");
    fprintf(f, "\n");
    for (int i = 0; i < b.n; i++) {
        char lb[16];
        bucket_label(d, &b, i, lb, sizeof lb);
        fprintf(f, "| %s |", lb);
        for (int p = 0; p < PH__COUNT; p++)
            fprintf(f, " %lld |", (long long)b.v[p * b.n + i]);
        fprintf(f, "\n");
    }
    fprintf(f, "\n## Tiempo hasta la publicación\n\nSegundos de simulacro desde que llega la "
               "imagen de casilla o el acopio hasta el primer corte que publica el acta%s.\n\n"
               "| desde | actas | p50 | p95 | máximo |\n|---|---:|---:|---:|---:|\n",
            d->pace > 0 ? " (multiplicar por la aceleración para tiempo de noche)" : "");
    fprintf(f, "| foto de casilla | %lld | %.1f s | %.1f s | %.1f s |\n", (long long)lf.n, lf.p50,
            lf.p95, lf.max);
    fprintf(f, "| acopio | %lld | %.1f s | %.1f s | %.1f s |\n\n", (long long)la.n, la.p50, la.p95,
            la.max);
    fprintf(f, "## Captura y verificación\n\n![operadores](operadores.svg)\n\n"
               "Discrepancias: %lld de %lld actas verificadas (%.2f %%); resueltas por la tercera "
               "captura: %lld; por la verificación: %lld; capturas rechazadas por el "
               "verificador: %lld.\n\n| operador | rol | actas |\n|---|---|---:|\n",
            (long long)d->discrepancias, (long long)actas_cap, pct(d->discrepancias, actas_cap),
            (long long)d->resueltas_captura, (long long)d->resueltas_verificador,
            (long long)d->rechazos_verificador);
    for (int i = 0; i < d->ncap_t; i++)
        fprintf(f, "| %s | captura | %lld |\n", d->acc.a[d->acc.cap[i]].nombre,
                (long long)d->cap_count[i]);
    for (int i = 0; i < d->nver_t; i++)
        fprintf(f, "| %s | verificación | %lld |\n", d->acc.a[d->acc.ver[i]].nombre,
                (long long)d->ver_count[i]);
    fprintf(f, "\n## Cortes\n\n![cortes](cortes.svg)\n\n| corte | a los | duración |");
    for (int e = 0; e < cat->nelecciones; e++)
        fprintf(f, " %s capturadas | %s contabilizadas |", cat->elecciones[e].codigo,
                cat->elecciones[e].codigo);
    fprintf(f, "\n|---|---:|---:|");
    for (int e = 0; e < cat->nelecciones; e++)
        fprintf(f, "---:|---:|");
    fprintf(f, "\n");
    for (int i = 0; i < d->ncortes; i++) {
        fprintf(f, "| %d%s | %.1f s | %.1f s |", d->cortes[i].numero,
                d->cortes[i].final ? " (final)" : "", d->cortes[i].at_ms / 1000.0,
                d->cortes[i].seconds);
        for (int e = 0; e < cat->nelecciones; e++)
            fprintf(f, " %.4f %% | %.4f %% |", cp[i].capturadas[e], cp[i].contabilizadas[e]);
        fprintf(f, "\n");
    }
    fprintf(f, "\n## Fallas inyectadas\n\n| falla | inyectadas | terminaron bien | mal | lo "
               "esperado |\n|---|---:|---:|---:|---|\n");
    for (int k = 0; k < SIM_FAULT__COUNT; k++)
        fprintf(f, "| %s | %lld | %lld | %lld | %s |\n", sim_fault_desc(k),
                (long long)oc[k].injected, (long long)oc[k].ok, (long long)oc[k].bad,
                how_it_ends(k));
    fprintf(f, "\n## Comparación del corte final con la verdad\n\n"
               "%lld filas leídas, %lld actas idénticas, %lld campos comparados, **%d "
               "diferencias**.\n\n",
            (long long)cmp->rows, (long long)cmp->actas_ok, (long long)cmp->fields_checked,
            cmp->ndiffs);
    if (cmp->n) {
        fprintf(f, "| elección | clave | campo | esperado | publicado |\n|---|---|---|---|---|\n");
        for (int i = 0; i < cmp->n && i < 100; i++)
            fprintf(f, "| %s | %s | %s | %s | %s |\n", cmp->diffs[i].eleccion, cmp->diffs[i].clave,
                    cmp->diffs[i].field, cmp->diffs[i].expected, cmp->diffs[i].published);
        fprintf(f, "\n");
    }
    if (d->unexpected) {
        fprintf(f, "## Errores inesperados (%lld)\n\n", (long long)d->unexpected);
        for (int i = 0; i < d->nerrors; i++)
            fprintf(f, "* %s\n", d->first_errors[i]);
        fprintf(f, "\n");
    }
    if (fclose(f) != 0)
        rc = prep_fail(err, PREP_E_IO, "cannot write %s", path);
out:
    free(xl);
    free(v);
    free(cp);
    free(b.v);
    return rc;
}
