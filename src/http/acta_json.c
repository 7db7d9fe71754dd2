/* acta_json.c — actas and captured values as JSON, both ways. Values are
 * numbers, or the strings "Ilegible", "Sin dato" and "-"; a capture arrives
 * as an array in field order or as an object keyed by field name (columns
 * that do not run in the acta's unit may be left out: they are "-"). */
#include <stdio.h>
#include <string.h>

#include "core/rules.h"
#include "http/internal.h"

json_t *vals_to_json(const prep_val *v, int nfields)
{
    json_t *a = json_array();
    char buf[16];
    for (int f = 0; f < nfields; f++)
        json_array_append_new(a, v[f] >= 0 ? json_integer(v[f])
                                           : json_string(prep_val_fmt(v[f], buf)));
    return a;
}

static int one_val(const prep_eleccion *el, int f, json_t *x, prep_val *out, prep_err *err)
{
    if (json_is_integer(x)) {
        json_int_t n = json_integer_value(x);
        if (n < 0 || n > PREP_V_MAX)
            return prep_fail(err, PREP_E_INVALID, "%s: %lld is not a figure from 0 to %d",
                             field_name(el, f), (long long)n, PREP_V_MAX);
        *out = (prep_val)n;
        return 0;
    }
    if (json_is_string(x) && prep_val_parse(json_string_value(x), out) == 0)
        return 0;
    return prep_fail(err, PREP_E_INVALID,
                     "%s: give a whole number, \"Ilegible\", \"Sin dato\" or \"-\"",
                     field_name(el, f));
}

int vals_from_json(const prep_catalog *cat, int e, int c, json_t *j, prep_val *out,
                   prep_err *err)
{
    const prep_eleccion *el = &cat->elecciones[e];
    int nf = PREP_NFIELDS(el->ncols);
    if (json_is_array(j)) {
        if ((int)json_array_size(j) != nf)
            return prep_fail(err, PREP_E_INVALID, "%s actas have %d fields, got %zu", el->codigo,
                             nf, json_array_size(j));
        for (int f = 0; f < nf; f++)
            if (one_val(el, f, json_array_get(j, (size_t)f), &out[f], err) < 0)
                return -1;
        return 0;
    }
    if (!json_is_object(j))
        return prep_fail(err, PREP_E_INVALID,
                         "valores is an array in field order or an object by field name");
    int u = prep_catalog_unidad_of(cat, e, c);
    for (int f = 0; f < nf; f++) {
        json_t *x = json_object_get(j, field_name(el, f));
        int col = f - PREP_F_COL0;
        if (!x) {
            if (col >= 0 && col < el->ncols && !prep_eleccion_aplica(el, u, col)) {
                out[f] = PREP_V_NA;
                continue;
            }
            return prep_fail(err, PREP_E_INVALID, "valores lacks %s", field_name(el, f));
        }
        if (one_val(el, f, x, &out[f], err) < 0)
            return -1;
    }
    const char *key;
    json_t *x;
    json_object_foreach(j, key, x)
    {
        int known = 0;
        for (int f = 0; f < nf && !known; f++)
            known = strcmp(key, field_name(el, f)) == 0;
        if (!known)
            return prep_fail(err, PREP_E_INVALID, "%s actas have no field '%.60s'", el->codigo,
                             key);
    }
    return 0;
}

static json_t *time_json(prep_time t)
{
    if (!t)
        return json_null();
    char iso[32];
    prep_time_fmt_iso(t, iso);
    return json_string(iso);
}

static const char *cotejo_name(int c)
{
    return c == PREP_COTEJO_ACEPTADA     ? "aceptada"
           : c == PREP_COTEJO_CORREGIDA  ? "corregida"
           : c == PREP_COTEJO_EN_CORRECCION ? "en_correccion"
                                         : NULL;
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

static json_t *user_json(prep_store *st, int64_t id)
{
    prep_user u;
    prep_err err;
    json_t *o = json_pack("{s:I}", "id", (json_int_t)id);
    if (st && st->vt->user_get(st, id, &u, &err) == 0)
        json_object_set_new(o, "nombre", json_string(u.nombre));
    return o;
}

json_t *acta_to_json(prep_server *s, prep_store *st, const prep_acta *a, int detail,
                     prep_err *err)
{
    const prep_catalog *cat = &s->cat;
    const prep_eleccion *el = &cat->elecciones[a->eleccion];
    const prep_casilla *ca = &cat->casillas[a->casilla];
    json_t *o = json_pack(
        "{s:s,s:s,s:i,s:s,s:i,s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:{s:o,s:o,s:o,s:o,s:o}}", "eleccion",
        el->codigo, "clave", ca->clave, "catd", ca->catd, "estado", prep_estado_name(a->estado),
        "ronda", a->ronda, "ncapturas", a->ncapturas, "imagen", str_or_null(a->imagen), "origen",
        str_or_null(prep_origen_name(a->origen)), "digitalizacion",
        str_or_null(prep_digitalizacion_name(a->digitalizacion)), "sin_acta",
        a->sin_acta_motivo ? str_or_null(prep_sin_acta_codigo(a->sin_acta_motivo)) : json_null(),
        "cotejo", str_or_null(cotejo_name(a->cotejo)), "corte",
        a->corte ? json_integer(a->corte) : json_null(), "tiempos", "acopio",
        time_json(a->t_acopio), "imagen", time_json(a->t_imagen), "captura",
        time_json(a->t_captura), "verificacion", time_json(a->t_verificacion), "publicacion",
        time_json(a->t_publicacion));
    if (!o) {
        prep_fail(err, PREP_E_NOMEM, "out of memory");
        return NULL;
    }
    if (detail & 1) {
        prep_imagen list[16];
        int n = 0;
        if (st->vt->imagen_list(st, a->eleccion, a->casilla, list, 16, &n, err) < 0) {
            json_decref(o);
            return NULL;
        }
        json_t *arr = json_array();
        for (int i = 0; i < n; i++) {
            json_t *im = json_pack(
                "{s:s,s:o,s:o,s:I,s:o,s:b,s:o,s:o,s:b}", "sha256", list[i].sha, "origen",
                str_or_null(prep_origen_name(list[i].origen)), "digitalizacion",
                str_or_null(prep_digitalizacion_name(list[i].digitalizacion)), "bytes",
                (json_int_t)list[i].bytes, "recibida", time_json(list[i].recibida), "rechazada",
                list[i].rechazada, "qr", str_or_null(list[i].qr), "dispositivo",
                str_or_null(list[i].dispositivo), "activa", strcmp(list[i].sha, a->imagen) == 0);
            json_array_append_new(arr, im);
        }
        json_object_set_new(o, "imagenes", arr);
    }
    if (detail & 2) {
        int nf = PREP_NFIELDS(el->ncols);
        prep_val v[PREP_MAX_FIELDS];
        prep_acta tmp;
        if (st->vt->acta_get(st, a->eleccion, a->casilla, &tmp, v, nf, err) < 0) {
            json_decref(o);
            return NULL;
        }
        int any = 0;
        for (int f = 0; f < nf; f++)
            any |= v[f] != PREP_V_NA;
        json_object_set_new(o, "valores", any ? vals_to_json(v, nf) : json_null());
        json_t *caps = json_array();
        for (int i = 0; i < a->ncapturas && i < PREP_MAX_CAPTURAS; i++) {
            int64_t user;
            prep_time at;
            int rc = st->vt->captura_get(st, a->eleccion, a->casilla, a->ronda, i, &user, &at, v,
                                         nf, err);
            if (rc < 0) {
                json_decref(caps);
                json_decref(o);
                return NULL;
            }
            if (rc == 1)
                continue;
            json_array_append_new(caps, json_pack("{s:i,s:o,s:o,s:o}", "n", i + 1, "usuario",
                                                  user_json(st, user), "at", time_json(at),
                                                  "valores", vals_to_json(v, nf)));
        }
        json_object_set_new(o, "capturas", caps);
    }
    return o;
}
