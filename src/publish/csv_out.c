/* csv_out.c — the results and candidaturas CSV of one election (see
 * csv_out.h). Every number counted here comes from the snapshot's rule
 * results and the shared tallies; this file only formats. */
#include "publish/csv_out.h"

#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "publish/csv_form.h"

const char *prep_csv_unit_label(const prep_catalog *cat, int e)
{
    if (cat->elecciones[e].unidad == PREP_UNIDAD_DEMARCACION)
        return "DEMARCACION";
    return strstr(cat->proceso, "FEDERAL") ? "DISTRITO_FEDERAL" : "DISTRITO_LOCAL";
}

/* Column names that the IECM form spells its own way (its 2024 file). */
static const char *iecm_name(const char *ine)
{
    static const char *const map[][2] = {
        {"TOTAL_PERSONAS_VOTARON", "PERSONAS_VOTARON"},
        {"TOTAL_VOTOS_CALCULADO", "TOTAL_VOTOS_CALCULADOS"},
        {"MECANISMOS_TRASLADO", "MECANISMO_TRASLADO"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(ine, map[i][0]) == 0)
            return map[i][1];
    return ine;
}

int prep_csv_col(const prep_catalog *cat, int e, int logical)
{
    if (cat->formato != PREP_FORMATO_IECM)
        return logical;
    if (logical == PREP_CSV_UNIDAD ||
        logical == PREP_CSV_TAIL0(cat->elecciones[e].ncols) + PREP_CSV_COTEJADA)
        return -1;
    return logical > PREP_CSV_UNIDAD ? logical - 1 : logical;
}

int prep_csv_columns(const prep_catalog *cat, int e, const char **names, int max)
{
    static const char *const head[PREP_CSV_FIELDS0] = {
        "CLAVE_CASILLA", "CLAVE_ACTA", "ID_ENTIDAD",  "ENTIDAD",
        NULL,            NULL,         "SECCION",     "ID_CASILLA",
        "TIPO_CASILLA",  "EXT_CONTIGUA", "UBICACION_CASILLA", "TIPO_ACTA"};
    static const char *const tail[PREP_CSV_NTAIL] = {
        "TOTAL_VOTOS_CALCULADO", "LISTA_NOMINAL",       "REPRESENTANTES_PP_CI",
        "OBSERVACIONES",         "CONTABILIZADA",       "MECANISMOS_TRASLADO",
        "CODIGO_INTEGRIDAD",     "FECHA_HORA_ACOPIO",   "FECHA_HORA_CAPTURA",
        "FECHA_HORA_VERIFICACION", "ORIGEN",            "DIGITALIZACION",
        "TIPO_DOCUMENTO",        "COTEJADA"};
    static const char *const unit_cols[3][2] = {{"ID_DISTRITO_LOCAL", "DISTRITO_LOCAL"},
                                                {"ID_DISTRITO_FEDERAL", "DISTRITO_FEDERAL"},
                                                {"ID_DEMARCACION", "DEMARCACION"}};
    const prep_eleccion *el = &cat->elecciones[e];
    int iecm = cat->formato == PREP_FORMATO_IECM;
    int nlog = PREP_CSV_NCOLUMNS(el->ncols);
    const char *label = prep_csv_unit_label(cat, e);
    int k = strcmp(label, "DEMARCACION") == 0 ? 2 : strcmp(label, "DISTRITO_FEDERAL") == 0;
    int n = 0;
    for (int i = 0; i < nlog; i++) {
        int col = prep_csv_col(cat, e, i);
        if (col < 0)
            continue;
        if (n >= max)
            return -1;
        const char *name;
        if (i < PREP_CSV_FIELDS0)
            name = head[i];
        else if (i < PREP_CSV_TAIL0(el->ncols))
            name = prep_field_fixed_name(i - PREP_CSV_FIELDS0, el->ncols);
        else
            name = tail[i - PREP_CSV_TAIL0(el->ncols)];
        if (i == PREP_CSV_ID_UNIDAD)
            /* IECM: one unit column, the distrito (DISTRITO_LOCAL, as in its
             * 2024 file) or the alcaldía (ID_ALCALDIA, as its LEEME says). */
            name = !iecm ? unit_cols[k][0] : k == 2 ? "ID_ALCALDIA" : "DISTRITO_LOCAL";
        else if (i == PREP_CSV_UNIDAD)
            name = unit_cols[k][1];
        else if (!name)
            name = el->cols[i - PREP_CSV_FIELDS0 - PREP_F_COL0].nombre;
        names[n++] = iecm ? iecm_name(name) : name;
    }
    return n;
}

/* Fast integer output: the results CSV of a national corte has tens of
 * millions of numbers. */
static void put_int(prep_buf *b, int64_t v)
{
    char tmp[24];
    int i = sizeof tmp;
    int neg = v < 0;
    uint64_t u = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (neg)
        tmp[--i] = '-';
    prep_buf_append(b, tmp + i, sizeof tmp - (size_t)i);
}

/* One data row being written: cells go out in the INE layout's order and
 * the ones the catálogo's form does not have are skipped. */
typedef struct {
    prep_buf *b;
    const prep_catalog *cat;
    int e, n;
} row_w;

static int has(const row_w *w, int logical)
{
    return prep_csv_col(w->cat, w->e, logical) >= 0;
}

static void sep(row_w *w)
{
    if (w->n++)
        prep_buf_putc(w->b, ',');
}

/* Text that may need quoting. */
static void cell(row_w *w, int logical, const char *s)
{
    if (!has(w, logical))
        return;
    sep(w);
    prep_csv_cell(w->b, w->cat, s);
}

/* A number, plain or zero-padded to width (IECM). */
static void cell_num(row_w *w, int logical, int64_t v, int width)
{
    if (!has(w, logical))
        return;
    sep(w);
    if (w->cat->formato == PREP_FORMATO_IECM && width > 1) {
        char t[24];
        prep_buf_puts(w->b, prep_csv_num(w->cat, v, width, t));
    } else {
        put_int(w->b, v);
    }
}

/* Names looked up once per election instead of once per row. */
typedef struct {
    const char *ent_nombre[100]; /* by entidad id */
} name_cache;

static void acta_row(prep_buf *b, const prep_catalog *cat, int e, const prep_snap_acta *a,
                     const name_cache *nc)
{
    const prep_eleccion *el = &cat->elecciones[e];
    const prep_casilla *c = &cat->casillas[a->acta.casilla];
    const prep_seccion *sec = &cat->secciones[c->seccion_idx];
    const prep_unidad *un = el->unidad == PREP_UNIDAD_DEMARCACION
                                ? &cat->demarcaciones[sec->demarcacion]
                                : &cat->distritos[sec->distrito];
    const char *tipo_acta = prep_eleccion_tipo_acta(el, c);
    int sin_acta = a->acta.estado == PREP_EST_SIN_ACTA;
    int hidden = prep_csv_total_hidden(cat, &a->res);
    int nf = PREP_NFIELDS(el->ncols), t0 = PREP_CSV_TAIL0(el->ncols);
    const char *none = prep_csv_none(cat);
    char t[48], tipo[2] = {c->tipo, 0}, mec[2] = {c->mecanismo, 0};
    row_w w = {.b = b, .cat = cat, .e = e};

    cell(&w, PREP_CSV_CLAVE_CASILLA, prep_csv_clave(cat, c->clave, NULL, t));
    cell(&w, PREP_CSV_CLAVE_ACTA, prep_csv_clave(cat, c->clave, tipo_acta, t));
    cell_num(&w, PREP_CSV_ID_ENTIDAD, c->entidad, PREP_W_ENTIDAD);
    cell(&w, PREP_CSV_ENTIDAD,
         c->entidad >= 0 && c->entidad < 100 && nc->ent_nombre[c->entidad]
             ? nc->ent_nombre[c->entidad] : "");
    cell_num(&w, PREP_CSV_ID_UNIDAD, un->id, PREP_W_UNIDAD);
    cell(&w, PREP_CSV_UNIDAD, un->nombre);
    cell_num(&w, PREP_CSV_SECCION, c->seccion, PREP_W_SECCION);
    cell_num(&w, PREP_CSV_ID_CASILLA, c->numero, PREP_W_CASILLA);
    cell(&w, PREP_CSV_TIPO_CASILLA, tipo);
    cell_num(&w, PREP_CSV_EXT_CONTIGUA, c->ext, PREP_W_EXT);
    cell_num(&w, PREP_CSV_UBICACION_CASILLA, c->ubicacion, PREP_W_UBICACION);
    cell(&w, PREP_CSV_TIPO_ACTA, tipo_acta);
    for (int f = 0; f < nf; f++) {
        int fl = PREP_CSV_FIELDS0 + f;
        if (sin_acta)
            cell(&w, fl, f == PREP_F_ASENTADO(el->ncols) && hidden
                              ? prep_csv_no_total(cat) : prep_csv_sin_acta_val(cat));
        else if (a->vals[f] >= 0)
            cell_num(&w, fl, a->vals[f], 0);
        else
            cell(&w, fl, prep_csv_val(cat, a->vals[f], t));
    }
    if (hidden)
        cell(&w, t0 + PREP_CSV_TOTAL_CALCULADO, prep_csv_no_total(cat));
    else
        cell_num(&w, t0 + PREP_CSV_TOTAL_CALCULADO, a->res.total_calculado, 0);
    cell_num(&w, t0 + PREP_CSV_LISTA_NOMINAL, c->lista_nominal, 0);
    /* IECM leaves REPRESENTANTES_PP_CI empty on the rows without a total. */
    if (hidden && cat->formato == PREP_FORMATO_IECM)
        cell(&w, t0 + PREP_CSV_REPRESENTANTES, "");
    else
        cell_num(&w, t0 + PREP_CSV_REPRESENTANTES, c->representantes, 0);
    char obs[256];
    cell(&w, t0 + PREP_CSV_OBSERVACIONES, prep_csv_obs(cat, &a->res, obs, sizeof obs));
    cell(&w, t0 + PREP_CSV_CONTABILIZADA, a->res.contabilizada ? "1" : "0");
    cell(&w, t0 + PREP_CSV_MECANISMOS, mec);
    cell(&w, t0 + PREP_CSV_CODIGO_INTEGRIDAD, a->acta.imagen[0] ? a->acta.imagen : none);
    /* An acta photographed at the casilla (or scanned) before its paquete's
     * acopio was registered: the image's arrival is its acopio time. */
    cell(&w, t0 + PREP_CSV_FECHA_ACOPIO,
         prep_csv_time(cat, a->acta.t_acopio ? a->acta.t_acopio : a->acta.t_imagen, t));
    cell(&w, t0 + PREP_CSV_FECHA_CAPTURA, prep_csv_time(cat, sin_acta ? 0 : a->acta.t_captura, t));
    cell(&w, t0 + PREP_CSV_FECHA_VERIFICACION,
         prep_csv_time(cat, sin_acta ? 0 : a->acta.t_verificacion, t));
    const char *o = prep_origen_name(a->acta.origen), *d = prep_digitalizacion_name(a->acta.digitalizacion);
    cell(&w, t0 + PREP_CSV_ORIGEN, *o ? o : none);
    cell(&w, t0 + PREP_CSV_DIGITALIZACION, *d ? d : none);
    cell(&w, t0 + PREP_CSV_TIPO_DOCUMENTO, a->acta.imagen[0] ? prep_csv_tipo_doc(cat) : none);
    cell_num(&w, t0 + PREP_CSV_COTEJADA, sin_acta ? 0 : a->acta.cotejo, 0);
}

static void fuera_row(prep_buf *b, const prep_catalog *cat, int e, const prep_fuera_catalogo *f)
{
    /* Identification could not be matched to the catalog: every column that
     * depends on the casilla is "-". */
    int t0 = PREP_CSV_TAIL0(cat->elecciones[e].ncols);
    char t[48];
    row_w w = {.b = b, .cat = cat, .e = e};
    for (int i = 0; i < t0 + PREP_CSV_OBSERVACIONES; i++)
        cell(&w, i, "-");
    cell(&w, t0 + PREP_CSV_OBSERVACIONES, PREP_CSV_OBS_FUERA);
    cell(&w, t0 + PREP_CSV_CONTABILIZADA, PREP_CSV_CONTAB_FUERA);
    cell(&w, t0 + PREP_CSV_MECANISMOS, "-");
    cell(&w, t0 + PREP_CSV_CODIGO_INTEGRIDAD, "-");
    cell(&w, t0 + PREP_CSV_FECHA_ACOPIO, prep_csv_time(cat, f->at, t));
    cell(&w, t0 + PREP_CSV_FECHA_CAPTURA, "");
    cell(&w, t0 + PREP_CSV_FECHA_VERIFICACION, "");
    for (int i = PREP_CSV_ORIGEN; i <= PREP_CSV_COTEJADA; i++)
        cell(&w, t0 + i, "-");
}

static void title(prep_buf *b, const prep_catalog *cat, const char *s, int always_quoted)
{
    if (always_quoted)
        prep_csv_quoted(b, s);
    else
        prep_csv_cell(b, cat, s);
}

int prep_csv_resultados(const prep_snapshot *s, const prep_pub_tally *t, prep_buf *b,
                        prep_csv_rowref *rows, prep_err *err)
{
    const prep_catalog *cat = s->cat;
    int e = t->e;
    const prep_eleccion *el = &cat->elecciones[e];
    const prep_snap_eleccion *se = &s->el[e];
    const char *eol = prep_csv_eol(cat), *blank = prep_csv_blank_line(cat);
    int iecm = cat->formato == PREP_FORMATO_IECM;
    name_cache nc;
    memset(&nc, 0, sizeof nc);
    for (int i = 0; i < cat->nentidades; i++)
        if (cat->entidades[i].id >= 0 && cat->entidades[i].id < 100)
            nc.ent_nombre[cat->entidades[i].id] = cat->entidades[i].nombre;

    char line[4096], when[40];
    if (prep_csv_has_bom(cat))
        prep_buf_puts(b, PREP_CSV_BOM);
    /* IECM quotes both title lines, whatever they hold. */
    title(b, cat, el->nombre, iecm);
    prep_buf_puts(b, eol);
    title(b, cat, prep_csv_corte_time(cat, s->at, when), iecm);
    prep_buf_printf(b, "%s%s%s", eol, blank, eol);
    if (prep_summary_header_line(line, sizeof line) >= sizeof line)
        return prep_fail(err, PREP_E_INVALID, "summary header does not fit");
    prep_buf_puts(b, line);
    prep_buf_puts(b, eol);
    if (prep_summary_values_line(&t->total.s, line, sizeof line) >= sizeof line)
        return prep_fail(err, PREP_E_INVALID, "summary values do not fit");
    prep_buf_printf(b, "%s%s%s%s", line, eol, blank, eol);

    const char *names[PREP_CSV_NCOLUMNS(PREP_MAX_COLS)];
    int n = prep_csv_columns(cat, e, names, PREP_CSV_NCOLUMNS(PREP_MAX_COLS));
    for (int i = 0; i < n; i++) {
        if (i)
            prep_buf_putc(b, ',');
        prep_csv_cell(b, cat, names[i]);
    }
    prep_buf_puts(b, eol);

    for (int k = 0; k < se->n; k++) {
        const prep_snap_acta *a = &se->actas[t->order[k]];
        size_t off = b->len;
        acta_row(b, cat, e, a, &nc);
        if (rows)
            rows[k] = (prep_csv_rowref){.casilla = a->acta.casilla, .off = off,
                                        .len = b->len - off};
        prep_buf_puts(b, eol);
    }
    for (int k = 0; k < se->nfc; k++) {
        size_t off = b->len;
        fuera_row(b, cat, e, &se->fc[k]);
        if (rows)
            rows[se->n + k] = (prep_csv_rowref){.casilla = -1, .fc_id = se->fc[k].id,
                                                .off = off, .len = b->len - off};
        prep_buf_puts(b, eol);
    }
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing the %s database", el->codigo);
    return 0;
}

static int candidaturas_ine(const prep_catalog *cat, int e, prep_buf *b, prep_err *err)
{
    const prep_eleccion *el = &cat->elecciones[e];
    int entidad_unit = el->unidad == PREP_UNIDAD_ENTIDAD;
    prep_buf_puts(b, PREP_CSV_BOM "ID_ENTIDAD,");
    if (!entidad_unit)
        prep_buf_printf(b, "ID_%s,", prep_csv_unit_label(cat, e));
    prep_buf_puts(b, "PARTIDO_CI,CANDIDATURA_PROPIETARIA,CANDIDATURA_SUPLENTE" PREP_CSV_EOL);
    int nu = prep_catalog_nunidades(cat, e);
    for (int u = 0; u < nu; u++) {
        for (int c = 0; c < el->ncols; c++) {
            if (!prep_eleccion_aplica(el, u, c))
                continue;
            const prep_candidatura *k = prep_eleccion_candidatura(el, u, c);
            put_int(b, prep_catalog_unidad_entidad(cat, e, u));
            prep_buf_putc(b, ',');
            if (!entidad_unit) {
                put_int(b, prep_catalog_unidad_id(cat, e, u));
                prep_buf_putc(b, ',');
            }
            prep_csv_cell(b, cat, el->cols[c].nombre);
            prep_buf_putc(b, ',');
            prep_csv_cell(b, cat, k ? k->propietaria : "");
            prep_buf_putc(b, ',');
            prep_csv_cell(b, cat, k ? k->suplente : "");
            prep_buf_puts(b, PREP_CSV_EOL);
        }
    }
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing candidaturas of %s",
                         el->codigo);
    return 0;
}

/* The coalition whose candidate party column c stands for in unit u: the
 * party's coalition when one of its combinations runs there; -1 if none. */
static int running_coalition(const prep_eleccion *el, int u, int c)
{
    for (int k = 0; k < el->ncoaliciones; k++) {
        const prep_coalicion *co = &el->coaliciones[k];
        int member = 0;
        for (int i = 0; i < co->npartidos; i++)
            member |= co->partidos[i] == c;
        if (!member)
            continue;
        for (int cc = 0; cc < el->ncols; cc++)
            if (el->cols[cc].tipo == PREP_COL_COMBINACION && el->cols[cc].coalicion == k &&
                prep_eleccion_aplica(el, u, cc))
                return k;
    }
    return -1;
}

/* IECM's form: one row per candidatura (a coalition under its own code, in
 * the place of its first party), ids zero-padded. Header per unit as IECM
 * published it: its 2024 Jefatura file (ID_ENTIDAD,PARTIDO_CI,CANDIDATURA)
 * and its LEEME for distritos and alcaldías (PARTIDO_CSP). */
static int candidaturas_iecm(const prep_catalog *cat, int e, prep_buf *b, prep_err *err)
{
    const prep_eleccion *el = &cat->elecciones[e];
    int unidad = el->unidad;
    prep_buf_puts(b, PREP_CSV_BOM);
    prep_buf_puts(b, unidad == PREP_UNIDAD_ENTIDAD ? "ID_ENTIDAD,PARTIDO_CI,CANDIDATURA"
                     : unidad == PREP_UNIDAD_DISTRITO
                         ? "ID_ENTIDAD,ID_DISTRITO_LOCAL,PARTIDO_CSP,CANDIDATURA_PROPIETARIA,"
                           "CANDIDATURA_SUPLENTE"
                         : "ID_ENTIDAD,ID_ALCALDIA,ALCALDIA,PARTIDO_CSP,CANDIDATURA");
    prep_buf_puts(b, PREP_CSV_EOL);
    int nu = prep_catalog_nunidades(cat, e);
    char t[24];
    for (int u = 0; u < nu; u++) {
        unsigned done = 0; /* coalitions written in this unit */
        for (int c = 0; c < el->ncols; c++) {
            if (!prep_eleccion_aplica(el, u, c) || el->cols[c].tipo == PREP_COL_COMBINACION)
                continue;
            int k = el->cols[c].tipo == PREP_COL_PARTIDO ? running_coalition(el, u, c) : -1;
            if (k >= 0 && (done & (1u << k)))
                continue;
            if (k >= 0)
                done |= 1u << k;
            const prep_candidatura *cd = prep_eleccion_candidatura(el, u, c);
            prep_buf_puts(b, prep_csv_num(cat, prep_catalog_unidad_entidad(cat, e, u),
                                          PREP_W_ENTIDAD, t));
            if (unidad != PREP_UNIDAD_ENTIDAD) {
                prep_buf_putc(b, ',');
                prep_buf_puts(b, prep_csv_num(cat, prep_catalog_unidad_id(cat, e, u), 2, t));
            }
            if (unidad == PREP_UNIDAD_DEMARCACION) {
                prep_buf_putc(b, ',');
                prep_csv_cell_rfc(b, prep_catalog_unidad_nombre(cat, e, u));
            }
            prep_buf_putc(b, ',');
            prep_csv_cell_rfc(b, k >= 0 ? el->coaliciones[k].codigo : el->cols[c].nombre);
            prep_buf_putc(b, ',');
            prep_csv_cell_rfc(b, cd ? cd->propietaria : "");
            if (unidad == PREP_UNIDAD_DISTRITO) {
                prep_buf_putc(b, ',');
                prep_csv_cell_rfc(b, cd ? cd->suplente : "");
            }
            prep_buf_puts(b, PREP_CSV_EOL);
        }
    }
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing candidaturas of %s",
                         el->codigo);
    return 0;
}

int prep_csv_candidaturas(const prep_catalog *cat, int e, prep_buf *b, prep_err *err)
{
    return cat->formato == PREP_FORMATO_IECM ? candidaturas_iecm(cat, e, b, err)
                                             : candidaturas_ine(cat, e, b, err);
}
