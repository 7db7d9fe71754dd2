/* metrics.c — counters and their Prometheus text rendering (see metrics.h). */
#include "http/metrics.h"

static const int codes[M_NCODES] = {200, 201, 204, 206, 304, 400, 401, 403, 404,
                                    405, 409, 413, 415, 422, 429, 500, 503, 0};
static const double lat_le[M_NLAT] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                      0.25,  0.5,    1,     2.5,  5,    10};
static const int batch_le[M_NBATCH] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048};
static const char *const route_names[R__COUNT] = {
    "session", "elecciones", "acta", "acopio", "sin_acta", "imagen_post", "imagen_get",
    "captura", "verificacion", "cotejo", "fuera_catalogo", "trabajo", "avance", "healthz",
    "metrics", "static", "other", "usuarios", "cortes",
    "casillas", "monitoreo"};

#define ADD(p, v) __atomic_fetch_add((p), (v), __ATOMIC_RELAXED)
#define GET(p) __atomic_load_n((p), __ATOMIC_RELAXED)

const char *prep_route_name(int route)
{
    return route >= 0 && route < R__COUNT ? route_names[route] : "other";
}

void prep_metrics_request(prep_metrics *m, int route, int status, int64_t us)
{
    if (route < 0 || route >= R__COUNT)
        route = R_OTHER;
    int k = M_NCODES - 1;
    for (int i = 0; i < M_NCODES - 1; i++)
        if (codes[i] == status)
            k = i;
    ADD(&m->req[route][k], 1);
    double s = (double)us / 1e6;
    int b = M_NLAT;
    for (int i = 0; i < M_NLAT; i++)
        if (s <= lat_le[i]) {
            b = i;
            break;
        }
    ADD(&m->lat[route][b], 1);
    ADD(&m->lat_sum_us[route], (uint64_t)(us > 0 ? us : 0));
}

void prep_metrics_batch(void *ctx, int jobs, int64_t commit_us)
{
    prep_metrics *m = ctx;
    int b = M_NBATCH;
    for (int i = 0; i < M_NBATCH; i++)
        if (jobs <= batch_le[i]) {
            b = i;
            break;
        }
    ADD(&m->batch[b], 1);
    ADD(&m->batch_jobs, (uint64_t)jobs);
    ADD(&m->batch_count, 1);
    ADD(&m->commit_us, (uint64_t)(commit_us > 0 ? commit_us : 0));
}

void prep_metrics_render(prep_metrics *m, prep_buf *o)
{
    prep_buf_puts(o, "# HELP prep_http_requests_total HTTP requests by route and status code.\n"
                     "# TYPE prep_http_requests_total counter\n");
    for (int r = 0; r < R__COUNT; r++)
        for (int k = 0; k < M_NCODES; k++) {
            uint64_t v = GET(&m->req[r][k]);
            if (!v)
                continue;
            if (codes[k])
                prep_buf_printf(o, "prep_http_requests_total{route=\"%s\",code=\"%d\"} %llu\n",
                                route_names[r], codes[k], (unsigned long long)v);
            else
                prep_buf_printf(o, "prep_http_requests_total{route=\"%s\",code=\"other\"} %llu\n",
                                route_names[r], (unsigned long long)v);
        }
    prep_buf_puts(o, "# HELP prep_http_request_duration_seconds Time from the first byte of a "
                     "request to its reply being queued.\n"
                     "# TYPE prep_http_request_duration_seconds histogram\n");
    for (int r = 0; r < R__COUNT; r++) {
        uint64_t cum = 0;
        for (int b = 0; b <= M_NLAT; b++)
            cum += GET(&m->lat[r][b]);
        if (!cum)
            continue;
        uint64_t total = cum;
        cum = 0;
        for (int b = 0; b < M_NLAT; b++) {
            cum += GET(&m->lat[r][b]);
            prep_buf_printf(o,
                            "prep_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} "
                            "%llu\n",
                            route_names[r], lat_le[b], (unsigned long long)cum);
        }
        prep_buf_printf(o,
                        "prep_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                        "prep_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                        "prep_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                        route_names[r], (unsigned long long)total, route_names[r],
                        (double)GET(&m->lat_sum_us[r]) / 1e6, route_names[r],
                        (unsigned long long)total);
    }
    prep_buf_puts(o, "# HELP prep_commit_batch_size Requests committed together by one "
                     "group commit (one fsync).\n# TYPE prep_commit_batch_size histogram\n");
    uint64_t cum = 0;
    for (int b = 0; b < M_NBATCH; b++) {
        cum += GET(&m->batch[b]);
        prep_buf_printf(o, "prep_commit_batch_size_bucket{le=\"%d\"} %llu\n", batch_le[b],
                        (unsigned long long)cum);
    }
    cum += GET(&m->batch[M_NBATCH]);
    prep_buf_printf(o,
                    "prep_commit_batch_size_bucket{le=\"+Inf\"} %llu\n"
                    "prep_commit_batch_size_sum %llu\nprep_commit_batch_size_count %llu\n"
                    "# HELP prep_commit_seconds_total Time spent running and committing batches.\n"
                    "# TYPE prep_commit_seconds_total counter\nprep_commit_seconds_total %.6f\n",
                    (unsigned long long)cum, (unsigned long long)GET(&m->batch_jobs),
                    (unsigned long long)GET(&m->batch_count), (double)GET(&m->commit_us) / 1e6);
    prep_buf_printf(o,
                    "# HELP prep_login_failures_total Failed logins.\n"
                    "# TYPE prep_login_failures_total counter\nprep_login_failures_total %llu\n"
                    "# HELP prep_throttled_total Requests refused by a rate limit.\n"
                    "# TYPE prep_throttled_total counter\nprep_throttled_total %llu\n",
                    (unsigned long long)GET(&m->login_fail),
                    (unsigned long long)GET(&m->throttled));
    prep_buf_printf(o,
                    "# HELP prep_cortes_total Automatic cortes published by this server.\n"
                    "# TYPE prep_cortes_total counter\nprep_cortes_total %llu\n"
                    "# HELP prep_cortes_failed_total Automatic cortes that failed (retried at the "
                    "next tick).\n# TYPE prep_cortes_failed_total counter\n"
                    "prep_cortes_failed_total %llu\n"
                    "# HELP prep_corte_last_seconds Duration of the last automatic corte.\n"
                    "# TYPE prep_corte_last_seconds gauge\nprep_corte_last_seconds %.3f\n"
                    "# HELP prep_cortes_skipped_total Cortes not taken because another node or "
                    "process held the corte lock.\n# TYPE prep_cortes_skipped_total counter\n"
                    "prep_cortes_skipped_total %llu\n",
                    (unsigned long long)GET(&m->cortes), (unsigned long long)GET(&m->cortes_failed),
                    (double)GET(&m->corte_last_ms) / 1e3,
                    (unsigned long long)GET(&m->cortes_skipped));
    prep_buf_printf(o,
                    "# HELP prep_monitoreo_capture_reads_total Captures read to compute "
                    "disagreement rates (only actas that settled or changed since the last "
                    "refresh).\n# TYPE prep_monitoreo_capture_reads_total counter\n"
                    "prep_monitoreo_capture_reads_total %llu\n",
                    (unsigned long long)GET(&m->monitor_capture_reads));
}
