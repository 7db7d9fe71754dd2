/* names.c — file and directory names of a corte (see names.h). */
#include "publish/names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void prep_name_corte_dir(int numero, prep_time at, char out[PREP_NAME_CAP])
{
    char stamp[16];
    prep_time_fmt_stamp(at, stamp);
    snprintf(out, PREP_NAME_CAP, "%s_c%04d", stamp, numero);
}

int prep_name_corte_numero(const char *dir)
{
    /* AAAAMMDD_HHMM_cN... : 13 chars of stamp, then "_c", then digits only. */
    size_t n = strlen(dir);
    if (n < 17 || n > 24 || dir[8] != '_' || dir[13] != '_' || dir[14] != 'c')
        return -1;
    for (size_t i = 0; i < 13; i++)
        if (i != 8 && (dir[i] < '0' || dir[i] > '9'))
            return -1;
    long v = 0;
    for (size_t i = 15; i < n; i++) {
        if (dir[i] < '0' || dir[i] > '9' || v > 100000000)
            return -1;
        v = v * 10 + (dir[i] - '0');
    }
    return v > 0 ? (int)v : -1;
}

void prep_name_csv(const prep_catalog *cat, int e, char out[PREP_NAME_CAP])
{
    snprintf(out, PREP_NAME_CAP, "%s_%s_%d.csv", cat->ent_codigo, cat->elecciones[e].codigo,
             cat->anio);
}

void prep_name_csv_candidaturas(const prep_catalog *cat, int e, char out[PREP_NAME_CAP])
{
    snprintf(out, PREP_NAME_CAP, "%s_%s_CANDIDATURAS_%d.csv", cat->ent_codigo,
             cat->elecciones[e].codigo, cat->anio);
}

void prep_name_zip(const prep_catalog *cat, int e, prep_time at, char out[PREP_NAME_CAP])
{
    char stamp[16];
    prep_time_fmt_stamp(at, stamp);
    snprintf(out, PREP_NAME_CAP, "%s_PREP_%s_%s.zip", stamp, cat->elecciones[e].codigo,
             cat->ent_codigo);
}

void prep_path_csv(const prep_catalog *cat, int e, char out[PREP_NAME_CAP])
{
    const char *el = cat->elecciones[e].codigo;
    snprintf(out, PREP_NAME_CAP, PREP_DATOS_DIR "/%s/%s_%s_%d.csv", el, cat->ent_codigo, el,
             cat->anio);
}

void prep_path_csv_candidaturas(const prep_catalog *cat, int e, char out[PREP_NAME_CAP])
{
    const char *el = cat->elecciones[e].codigo;
    snprintf(out, PREP_NAME_CAP, PREP_DATOS_DIR "/%s/%s_%s_CANDIDATURAS_%d.csv", el,
             cat->ent_codigo, el, cat->anio);
}

const char *prep_name_leeme(const prep_catalog *cat)
{
    return cat->formato == PREP_FORMATO_IECM ? PREP_LEEME_IECM : PREP_LEEME;
}

void prep_path_leeme(const prep_catalog *cat, int e, char out[PREP_NAME_CAP])
{
    snprintf(out, PREP_NAME_CAP, PREP_DATOS_DIR "/%s/%s", cat->elecciones[e].codigo,
             prep_name_leeme(cat));
}

void prep_path_zip(const prep_catalog *cat, int e, prep_time at, char out[PREP_NAME_CAP])
{
    char stamp[16];
    prep_time_fmt_stamp(at, stamp);
    snprintf(out, PREP_NAME_CAP, PREP_DATOS_DIR "/%s_PREP_%s_%s.zip", stamp,
             cat->elecciones[e].codigo, cat->ent_codigo);
}

void prep_path_nist(const prep_catalog *cat, char out[PREP_NAME_CAP])
{
    snprintf(out, PREP_NAME_CAP, PREP_NIST_DIR "/%s_%d_NIST_ERR.json", cat->ent_codigo,
             cat->anio);
}

void prep_path_imagen(const char *sha, const char *ext, char out[PREP_NAME_CAP])
{
    snprintf(out, PREP_NAME_CAP, PREP_IMAGENES_DIR "/%s.%s", sha, ext);
}

const char *prep_image_ext(const unsigned char *h, size_t n)
{
    if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
        return "jpg";
    if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "png";
    if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
        return "webp";
    if (n >= 5 && memcmp(h, "%PDF-", 5) == 0)
        return "pdf";
    if (n >= 4 && (memcmp(h, "II*\0", 4) == 0 || memcmp(h, "MM\0*", 4) == 0))
        return "tif";
    return "bin";
}
