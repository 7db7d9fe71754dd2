/* draw.h — the drawing of a drill's acta onto any cairo context (image
 * surface for the drill's PNGs, PDF surface for printed actas): title,
 * election, casilla, the table of the fields that apply with the figures
 * written in, and the CLAVE_CASILLA as a QR code. The caller owns the
 * surface, the page transform and the ink (operator and source). Internal
 * to src/sim/. */
#ifndef PREP_SIM_DRAW_H
#define PREP_SIM_DRAW_H

#include <cairo.h>

#include "sim/sim.h"
#include "sim/sim_rng.h"

typedef struct {
    int bold;                /* bold text everywhere (1-bit images) */
    double line_width;       /* table lines, drawing units */
    const char *footer;      /* bottom line: who photographed/scanned, or SIMULACRO */
} sim_draw_style;

/* Draw acta (e, c) in drawing units of 800 x 1040 (the caller scales).
 * r draws the scribbles of Ilegible fields. */
int sim_draw_acta(cairo_t *cr, const sim_truth *t, int e, int c, const sim_draw_style *st,
                  sim_rng *r, prep_err *err);
/* Release the calling thread's fonts now (other threads' go when they end):
 * before cairo's and fontconfig's static data are reset. */
void sim_draw_thread_done(void);

#endif
