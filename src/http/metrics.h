/* metrics.h — request and group-commit counters for /metrics (Prometheus
 * text format). Lock-free counters (atomic adds); the gauges that come from
 * the database (actas per state, backlog per phase) are read at scrape time
 * by the handler, not kept here. */
#ifndef PREP_HTTP_METRICS_H
#define PREP_HTTP_METRICS_H

#include <stdint.h>

#include "util/buf.h"

typedef enum {
    R_SESSION = 0, R_ELECCIONES, R_ACTA, R_ACOPIO, R_SIN_ACTA, R_IMAGEN_POST, R_IMAGEN_GET,
    R_CAPTURA, R_VERIFICACION, R_COTEJO, R_FUERA_CATALOGO, R_TRABAJO, R_AVANCE, R_HEALTHZ,
    R_METRICS, R_STATIC, R_OTHER, R_USUARIOS, R_CORTES,
    R_CASILLAS, R_MONITOREO, /* the operator pages' reads */
    R__COUNT
} prep_route;

#define M_NCODES 18
#define M_NLAT 13
#define M_NBATCH 12

typedef struct {
    uint64_t req[R__COUNT][M_NCODES];
    uint64_t lat[R__COUNT][M_NLAT + 1];   /* cumulative at render time; last = +Inf */
    uint64_t lat_sum_us[R__COUNT];
    uint64_t batch[M_NBATCH + 1];
    uint64_t batch_jobs, batch_count, commit_us;
    uint64_t login_fail, throttled;
    uint64_t cortes, cortes_failed, corte_last_ms; /* automatic cortes (corte_timer.c) */
    uint64_t cortes_skipped;                      /* ticks that found the corte lock held elsewhere */
    uint64_t monitor_capture_reads;               /* captures read by /api/v1/monitoreo refreshes */
} prep_metrics;

void prep_metrics_request(prep_metrics *m, int route, int status, int64_t us);
void prep_metrics_batch(void *m, int jobs, int64_t commit_us);
void prep_metrics_render(prep_metrics *m, prep_buf *out);
const char *prep_route_name(int route);

#endif
