/* site_svg.c — the bar charts of the public site, drawn at corte time as
 * inline SVG (no script, no web fonts): one bar per candidatura with its
 * name above and its truncated percentage beside it, an accessible title and
 * a text description. The same numbers are always in a table next to it;
 * the chart adds nothing the table does not say. */
#include <stdio.h>

#include "publish/site_internal.h"

#define W 400       /* viewBox width; text stays readable on a 360 px phone */
#define ROW 38      /* height of one candidatura */
#define BAR_X 0
#define BAR_MAX 300 /* longest bar; the rest is room for the percentage */

void site_svg_bars(prep_buf *b, const char *id, const char *title, const site_bar *bars, int n)
{
    int64_t max = 0;
    for (int i = 0; i < n; i++)
        if (bars[i].votos > max)
            max = bars[i].votos;
    int h = n * ROW + 4;
    prep_buf_printf(b,
                    "<svg class=\"graf\" viewBox=\"0 0 %d %d\" role=\"img\" "
                    "aria-labelledby=\"%s-t %s-d\" focusable=\"false\">"
                    "<title id=\"%s-t\">",
                    W, h, id, id, id);
    prep_buf_html(b, title);
    prep_buf_printf(b, "</title><desc id=\"%s-d\">", id);
    char pct[32];
    for (int i = 0; i < n; i++) {
        prep_buf_html(b, bars[i].label);
        prep_buf_printf(b, ": %s%%%s", site_fmt_pct(bars[i].pct_e4, pct), i + 1 < n ? "; " : ".");
    }
    prep_buf_puts(b, "</desc>");
    for (int i = 0; i < n; i++) {
        int y = i * ROW;
        /* Integer arithmetic only: the same snapshot draws the same bytes. */
        int64_t w = max > 0 ? bars[i].votos * BAR_MAX / max : 0;
        if (bars[i].votos > 0 && w < 1)
            w = 1;
        prep_buf_printf(b, "<text x=\"0\" y=\"%d\">", y + 13);
        prep_buf_html(b, bars[i].label);
        prep_buf_printf(b,
                        "</text><rect x=\"%d\" y=\"%d\" width=\"%lld\" height=\"16\" "
                        "fill=\"%s\" stroke=\"#1a1a1a\" stroke-width=\"%s\"/>"
                        "<text x=\"%lld\" y=\"%d\">%s%%</text>",
                        BAR_X, y + 18, (long long)w, bars[i].color,
                        bars[i].destacado ? "2.5" : "1", (long long)(BAR_X + w + 6), y + 31,
                        site_fmt_pct(bars[i].pct_e4, pct));
    }
    prep_buf_puts(b, "</svg>");
}
