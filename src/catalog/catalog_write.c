/* catalog_write.c — write a finished prep_catalog as a catálogo directory
 * (docs/catalog-format.md): UTF-8, no BOM, LF line ends, fields quoted only
 * when they need it. What it writes, catalog_read.c reads back to the same
 * fingerprint. It does not create the directory or fsync: callers decide. */
#include "catalog/catalog_io.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"

static void field(prep_buf *b, const char *s)
{
    int quote = s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ') || strpbrk(s, ",\"\r\n\t");
    if (!quote) {
        prep_buf_puts(b, s);
        return;
    }
    prep_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            prep_buf_putc(b, '"');
        prep_buf_putc(b, *s);
    }
    prep_buf_putc(b, '"');
}

static int save(const char *dir, const char *file, prep_buf *b, prep_err *err)
{
    char path[4096];
    if (!prep_buf_ok(b))
        return prep_fail(err, PREP_E_NOMEM, "%s: out of memory", file);
    if (snprintf(path, sizeof path, "%s/%s", dir, file) >= (int)sizeof path)
        return prep_fail(err, PREP_E_INVALID, "%s: path too long", file);
    FILE *f = fopen(path, "wb");
    if (!f)
        return prep_fail(err, PREP_E_IO, "%s: cannot create: %s", path, strerror(errno));
    size_t n = b->len ? fwrite(b->data, 1, b->len, f) : 0;
    int bad = n != b->len || ferror(f);
    if (fclose(f) != 0 || bad)
        return prep_fail(err, PREP_E_IO, "%s: write failed: %s", path, strerror(errno));
    prep_buf_reset(b);
    return 0;
}

static const char *unidad_code(int u)
{
    return u == PREP_UNIDAD_DISTRITO      ? "DISTRITO"
           : u == PREP_UNIDAD_DEMARCACION ? "DEMARCACION"
                                          : "ENTIDAD";
}

static const char *col_tipo(int t)
{
    return t == PREP_COL_COMBINACION ? "COMBINACION" : t == PREP_COL_CI ? "CI" : "PARTIDO";
}

static void units(prep_buf *b, const prep_unidad *u, int n, const char *hdr)
{
    prep_buf_puts(b, hdr);
    for (int i = 0; i < n; i++) {
        prep_buf_printf(b, "%d,%d,", u[i].entidad, u[i].id);
        field(b, u[i].nombre);
        prep_buf_putc(b, '\n');
    }
}

static int write_all(const prep_catalog *cat, const char *dir, prep_buf *b, prep_err *err)
{
    prep_buf_puts(b, "PROCESO_ELECTORAL,CODIGO_ENTIDAD,ANIO,NUM_CATD,FORMATO_PUBLICACION\n");
    field(b, cat->proceso);
    prep_buf_printf(b, ",%s,%d,%d,%s\n", cat->ent_codigo, cat->anio, cat->ncatd,
                    prep_formato_name(cat->formato));
    if (save(dir, "proceso.csv", b, err) < 0)
        return -1;

    prep_buf_puts(b, "ID_ENTIDAD,ENTIDAD\n");
    for (int i = 0; i < cat->nentidades; i++) {
        prep_buf_printf(b, "%d,", cat->entidades[i].id);
        field(b, cat->entidades[i].nombre);
        prep_buf_putc(b, '\n');
    }
    if (save(dir, "entidades.csv", b, err) < 0)
        return -1;

    units(b, cat->distritos, cat->ndistritos, "ID_ENTIDAD,ID_DISTRITO,DISTRITO\n");
    if (save(dir, "distritos.csv", b, err) < 0)
        return -1;
    units(b, cat->demarcaciones, cat->ndemarcaciones, "ID_ENTIDAD,ID_DEMARCACION,DEMARCACION\n");
    if (save(dir, "demarcaciones.csv", b, err) < 0)
        return -1;

    prep_buf_puts(b, "ID_ENTIDAD,SECCION,ID_DISTRITO,ID_DEMARCACION\n");
    for (int i = 0; i < cat->nsecciones; i++) {
        const prep_seccion *s = &cat->secciones[i];
        prep_buf_printf(b, "%d,%d,%d,%d\n", s->entidad, s->seccion,
                        cat->distritos[s->distrito].id, cat->demarcaciones[s->demarcacion].id);
    }
    if (save(dir, "secciones.csv", b, err) < 0)
        return -1;

    prep_buf_puts(b, "ID_ENTIDAD,SECCION,TIPO_CASILLA,ID_CASILLA,EXT_CONTIGUA,UBICACION_CASILLA,"
                     "LISTA_NOMINAL,REPRESENTANTES_PP_CI,BOLETAS,ID_CATD,ID_CAE,"
                     "MECANISMOS_TRASLADO\n");
    for (int i = 0; i < cat->ncasillas; i++) {
        const prep_casilla *c = &cat->casillas[i];
        prep_buf_printf(b, "%d,%d,%c,%d,%d,%d,%d,%d,%d,%d,%d,", c->entidad, c->seccion, c->tipo,
                        c->numero, c->ext, c->ubicacion, c->lista_nominal, c->representantes,
                        c->boletas, c->catd, c->cae);
        if (c->mecanismo)
            prep_buf_putc(b, c->mecanismo);
        prep_buf_putc(b, '\n');
    }
    if (save(dir, "casillas.csv", b, err) < 0)
        return -1;

    prep_buf_puts(b, "ID_ELECCION,ELECCION,UNIDAD,TIPO_ACTA,TIPO_ACTA_ESPECIAL\n");
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        prep_buf_printf(b, "%s,", el->codigo);
        field(b, el->nombre);
        prep_buf_printf(b, ",%s,%s,%s\n", unidad_code(el->unidad), el->tipo_acta,
                        el->tipo_acta_especial);
    }
    if (save(dir, "elecciones.csv", b, err) < 0)
        return -1;

    prep_buf_puts(b, "ID_ELECCION,ORDEN,PARTIDO_CI,TIPO_ASOCIACION,COALICION\n");
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        for (int i = 0; i < el->ncols; i++) {
            const prep_columna *c = &el->cols[i];
            prep_buf_printf(b, "%s,%d,%s,%s,%s\n", el->codigo, i + 1, c->nombre,
                            col_tipo(c->tipo),
                            c->tipo == PREP_COL_COMBINACION && c->coalicion >= 0
                                ? el->coaliciones[c->coalicion].codigo
                                : "");
        }
    }
    if (save(dir, "asociaciones.csv", b, err) < 0)
        return -1;

    prep_buf_puts(b, "ID_ELECCION,COALICION,NOMBRE_COALICION,PARTIDOS\n");
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        for (int k = 0; k < el->ncoaliciones; k++) {
            const prep_coalicion *co = &el->coaliciones[k];
            prep_buf_printf(b, "%s,%s,", el->codigo, co->codigo);
            field(b, co->nombre);
            prep_buf_putc(b, ',');
            for (int p = 0; p < co->npartidos; p++)
                prep_buf_printf(b, "%s%s", p ? "|" : "", el->cols[co->partidos[p]].nombre);
            prep_buf_putc(b, '\n');
        }
    }
    if (save(dir, "coaliciones.csv", b, err) < 0)
        return -1;

    prep_buf_puts(b, "ID_ELECCION,ID_ENTIDAD,ID_UNIDAD,PARTIDO_CI,CANDIDATURA_PROPIETARIA,"
                     "CANDIDATURA_SUPLENTE\n");
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        for (int i = 0; i < el->ncandidaturas; i++) {
            const prep_candidatura *k = &el->candidaturas[i];
            prep_buf_printf(b, "%s,%d,%d,%s,", el->codigo,
                            prep_catalog_unidad_entidad(cat, e, k->unidad),
                            prep_catalog_unidad_id(cat, e, k->unidad), el->cols[k->col].nombre);
            field(b, k->propietaria);
            prep_buf_putc(b, ',');
            field(b, k->suplente);
            prep_buf_putc(b, '\n');
        }
    }
    return save(dir, "candidaturas.csv", b, err);
}

int prep_catalog_write_dir(const prep_catalog *cat, const char *dir, prep_err *err)
{
    prep_buf b;
    prep_buf_init(&b);
    int rc = write_all(cat, dir, &b, err);
    prep_buf_free(&b);
    return rc;
}
