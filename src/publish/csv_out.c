/* csv_out.c — the results and candidaturas CSV of one election (see
 * csv_out.h). Every number counted here comes from the snapshot's rule
 * results and the shared tallies; this file only formats. */
#include "publish/csv_out.h"

#include <stdio.h>
#include <string.h>

#include "core/rules.h"

const char *prep_csv_unit_label(const prep_catalog *cat, int e)
{
    if (cat->elecciones[e].unidad == PREP_UNIDAD_DEMARCACION)
        return "DEMARCACION";
    return strstr(cat->proceso, "FEDERAL") ? "DISTRITO_FEDERAL" : "DISTRITO_LOCAL";
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
    int n = PREP_CSV_NCOLUMNS(el->ncols);
    if (n > max)
        return -1;
    const char *label = prep_csv_unit_label(cat, e);
    int k = strcmp(label, "DEMARCACION") == 0 ? 2 : strcmp(label, "DISTRITO_FEDERAL") == 0;
    for (int i = 0; i < PREP_CSV_FIELDS0; i++)
        names[i] = head[i];
    names[PREP_CSV_ID_UNIDAD] = unit_cols[k][0];
    names[PREP_CSV_UNIDAD] = unit_cols[k][1];
    for (int f = 0; f < PREP_NFIELDS(el->ncols); f++) {
        const char *fixed = prep_field_fixed_name(f, el->ncols);
        names[PREP_CSV_FIELDS0 + f] = fixed ? fixed : el->cols[f - PREP_F_COL0].nombre;
    }
    for (int i = 0; i < PREP_CSV_NTAIL; i++)
        names[PREP_CSV_TAIL0(el->ncols) + i] = tail[i];
    return n;
}

void prep_csv_field(prep_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        prep_buf_puts(b, s);
        return;
    }
    prep_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            prep_buf_putc(b, '"');
        prep_buf_putc(b, *p);
    }
    prep_buf_putc(b, '"');
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

static void put_val(prep_buf *b, prep_val v)
{
    if (v >= 0)
        put_int(b, v);
    else
        prep_buf_puts(b, v == PREP_V_ILEGIBLE ? "Ilegible" : v == PREP_V_SIN_DATO ? "Sin dato" : "-");
}

static void put_time(prep_buf *b, prep_time t)
{
    char tb[24];
    prep_time_fmt(t, tb);
    prep_buf_puts(b, tb);
}

#define SEP() prep_buf_putc(b, ',')

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
    int nf = PREP_NFIELDS(el->ncols);

    prep_buf_putc(b, '\'');
    prep_buf_puts(b, c->clave);
    prep_buf_puts(b, "',");
    prep_buf_putc(b, '\'');
    prep_buf_puts(b, c->clave);
    prep_buf_puts(b, tipo_acta);
    prep_buf_puts(b, "',");
    put_int(b, c->entidad);
    SEP();
    prep_csv_field(b, c->entidad >= 0 && c->entidad < 100 && nc->ent_nombre[c->entidad]
                          ? nc->ent_nombre[c->entidad] : "");
    SEP();
    put_int(b, un->id);
    SEP();
    prep_csv_field(b, un->nombre);
    SEP();
    put_int(b, c->seccion);
    SEP();
    put_int(b, c->numero);
    SEP();
    prep_buf_putc(b, c->tipo);
    SEP();
    put_int(b, c->ext);
    SEP();
    put_int(b, c->ubicacion);
    SEP();
    prep_csv_field(b, tipo_acta);
    for (int f = 0; f < nf; f++) {
        SEP();
        put_val(b, a->vals[f]);
    }
    SEP();
    if (sin_acta)
        prep_buf_putc(b, '-');
    else
        put_int(b, a->res.total_calculado);
    SEP();
    put_int(b, c->lista_nominal);
    SEP();
    put_int(b, c->representantes);
    SEP();
    char obs[256];
    prep_csv_field(b, prep_rules_observaciones(&a->res, obs, sizeof obs));
    SEP();
    prep_buf_putc(b, a->res.contabilizada ? '1' : '0');
    SEP();
    if (c->mecanismo)
        prep_buf_putc(b, c->mecanismo);
    SEP();
    prep_buf_puts(b, a->acta.imagen);
    SEP();
    /* An acta photographed at the casilla (or scanned) before its paquete's
     * acopio was registered: the image's arrival is its acopio time. */
    put_time(b, a->acta.t_acopio ? a->acta.t_acopio : a->acta.t_imagen);
    SEP();
    if (!sin_acta)
        put_time(b, a->acta.t_captura);
    SEP();
    if (!sin_acta)
        put_time(b, a->acta.t_verificacion);
    SEP();
    prep_buf_puts(b, prep_origen_name(a->acta.origen));
    SEP();
    prep_buf_puts(b, prep_digitalizacion_name(a->acta.digitalizacion));
    SEP();
    if (a->acta.imagen[0])
        prep_buf_puts(b, PREP_CSV_TIPO_DOC_ACTA);
    SEP();
    put_int(b, sin_acta ? 0 : a->acta.cotejo);
}

static void fuera_row(prep_buf *b, int ncols, const prep_fuera_catalogo *f)
{
    /* Identification could not be matched to the catalog: every column that
     * depends on the casilla is "-". */
    for (int i = 0; i < PREP_CSV_TAIL0(ncols); i++)
        prep_buf_puts(b, i ? ",-" : "-");
    prep_buf_puts(b, ",-,-,-," PREP_CSV_OBS_FUERA "," PREP_CSV_CONTAB_FUERA ",-,-,");
    put_time(b, f->at);
    prep_buf_puts(b, ",,,-,-,-,-");
}

int prep_csv_resultados(const prep_snapshot *s, const prep_pub_tally *t, prep_buf *b,
                        prep_csv_rowref *rows, prep_err *err)
{
    const prep_catalog *cat = s->cat;
    int e = t->e;
    const prep_eleccion *el = &cat->elecciones[e];
    const prep_snap_eleccion *se = &s->el[e];
    name_cache nc;
    memset(&nc, 0, sizeof nc);
    for (int i = 0; i < cat->nentidades; i++)
        if (cat->entidades[i].id >= 0 && cat->entidades[i].id < 100)
            nc.ent_nombre[cat->entidades[i].id] = cat->entidades[i].nombre;

    char line[4096], when[24];
    prep_buf_puts(b, PREP_CSV_BOM);
    prep_csv_field(b, el->nombre);
    prep_buf_puts(b, PREP_CSV_EOL);
    prep_time_fmt_min(s->at, when);
    prep_buf_printf(b, "%s (UTC-6)" PREP_CSV_EOL PREP_CSV_EOL, when);
    if (prep_summary_header_line(line, sizeof line) >= sizeof line)
        return prep_fail(err, PREP_E_INVALID, "summary header does not fit");
    prep_buf_puts(b, line);
    prep_buf_puts(b, PREP_CSV_EOL);
    if (prep_summary_values_line(&t->total.s, line, sizeof line) >= sizeof line)
        return prep_fail(err, PREP_E_INVALID, "summary values do not fit");
    prep_buf_puts(b, line);
    prep_buf_puts(b, PREP_CSV_EOL PREP_CSV_EOL);

    const char *names[PREP_CSV_NCOLUMNS(PREP_MAX_COLS)];
    int n = prep_csv_columns(cat, e, names, PREP_CSV_NCOLUMNS(PREP_MAX_COLS));
    for (int i = 0; i < n; i++) {
        if (i)
            SEP();
        prep_csv_field(b, names[i]);
    }
    prep_buf_puts(b, PREP_CSV_EOL);

    for (int k = 0; k < se->n; k++) {
        const prep_snap_acta *a = &se->actas[t->order[k]];
        size_t off = b->len;
        acta_row(b, cat, e, a, &nc);
        if (rows)
            rows[k] = (prep_csv_rowref){.casilla = a->acta.casilla, .off = off,
                                        .len = b->len - off};
        prep_buf_puts(b, PREP_CSV_EOL);
    }
    for (int k = 0; k < se->nfc; k++) {
        size_t off = b->len;
        fuera_row(b, el->ncols, &se->fc[k]);
        if (rows)
            rows[se->n + k] = (prep_csv_rowref){.casilla = -1, .fc_id = se->fc[k].id,
                                                .off = off, .len = b->len - off};
        prep_buf_puts(b, PREP_CSV_EOL);
    }
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing the %s database", el->codigo);
    return 0;
}

int prep_csv_candidaturas(const prep_catalog *cat, int e, prep_buf *b, prep_err *err)
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
            SEP();
            if (!entidad_unit) {
                put_int(b, prep_catalog_unidad_id(cat, e, u));
                SEP();
            }
            prep_csv_field(b, el->cols[c].nombre);
            SEP();
            prep_csv_field(b, k ? k->propietaria : "");
            SEP();
            prep_csv_field(b, k ? k->suplente : "");
            prep_buf_puts(b, PREP_CSV_EOL);
        }
    }
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "out of memory writing candidaturas of %s",
                         el->codigo);
    return 0;
}
