/* acta.c — the acta state machine (see acta.h for the contract). Each event
 * has one function; the table of what is legal from which state is the code
 * itself, and tests/unit/test_acta.c walks every (state, event) pair. */
#include "core/acta.h"

#include <string.h>

#include "core/rules.h"

static const char *const estado_names[PREP_EST__COUNT] = {
    "ESPERADA", "ACOPIADA", "DIGITALIZADA", "CAPTURADA", "DISCREPANCIA",
    "POR_VERIFICAR", "VERIFICADA", "PUBLICADA", "SIN_ACTA"};
static const char *const evento_names[PREP_EV__COUNT] = {
    "acopio", "sin_acta", "imagen", "rechaza_imagen", "captura",
    "resuelve", "verifica", "rechaza_captura", "publica", "cotejo"};

const char *prep_estado_name(prep_estado s)
{
    return s < PREP_EST__COUNT ? estado_names[s] : "?";
}

int prep_estado_from_name(const char *name)
{
    for (int i = 0; i < PREP_EST__COUNT; i++)
        if (name && strcmp(name, estado_names[i]) == 0)
            return i;
    return -1;
}

const char *prep_evento_name(prep_evento_tipo t)
{
    return t < PREP_EV__COUNT ? evento_names[t] : "?";
}

const char *prep_origen_name(int origen)
{
    return origen == PREP_ORIGEN_CASILLA ? "CASILLA" : origen == PREP_ORIGEN_CATD ? "CATD" : "";
}

const char *prep_digitalizacion_name(int d)
{
    return d == PREP_DIG_MOVIL ? "MOVIL" : d == PREP_DIG_ESCANER ? "ESCANER" : "";
}

void prep_acta_init(prep_acta *a, int eleccion, int casilla)
{
    memset(a, 0, sizeof *a);
    a->eleccion = eleccion;
    a->casilla = casilla;
    a->estado = PREP_EST_ESPERADA;
    a->elegida = -1;
}

int prep_acta_registrada(const prep_acta *a)
{
    return a->estado == PREP_EST_PUBLICADA || a->estado == PREP_EST_SIN_ACTA;
}

static int refuse(const prep_acta *a, const prep_evento *ev, prep_err *err)
{
    return prep_fail(err, PREP_E_STATE, "%s is not allowed for an acta in state %s",
                     prep_evento_name(ev->tipo), prep_estado_name(a->estado));
}

static int has_image(const prep_acta *a)
{
    return a->estado >= PREP_EST_DIGITALIZADA && a->estado <= PREP_EST_PUBLICADA;
}

/* Back to waiting for an image: keeps the acopio, drops the round. */
static void lose_image(prep_acta *n, prep_efecto *fx)
{
    n->estado = n->t_acopio ? PREP_EST_ACOPIADA : PREP_EST_ESPERADA;
    n->imagen[0] = '\0';
    n->origen = PREP_ORIGEN_NINGUNO;
    n->digitalizacion = PREP_DIG_NINGUNA;
    n->t_imagen = 0;
    n->t_captura = 0;
    n->ronda++;
    n->ncapturas = 0;
    n->elegida = -1;
    memset(n->capturista, 0, sizeof n->capturista);
    fx->discard_round = 1;
}

static int vals_ok(const prep_evento *ev, prep_err *err)
{
    if (!ev->vals || ev->nfields <= PREP_F_COL0 || ev->nfields > PREP_MAX_FIELDS)
        return prep_fail(err, PREP_E_INVALID, "capture has no values or a wrong field count");
    for (int i = 0; i < ev->nfields; i++)
        if (!prep_val_valid(ev->vals[i]))
            return prep_fail(err, PREP_E_INVALID, "field %d holds an invalid value", i);
    return 0;
}

static int on_acopio(const prep_acta *a, const prep_evento *ev, prep_acta *n, prep_efecto *fx,
                     prep_err *err)
{
    if (a->estado == PREP_EST_SIN_ACTA)
        return prep_fail(err, PREP_E_STATE, "acta was registered as sin acta");
    if (a->t_acopio) {
        fx->noop = 1;
        return 0;
    }
    n->t_acopio = ev->at;
    if (a->estado == PREP_EST_ESPERADA)
        n->estado = PREP_EST_ACOPIADA;
    return 0;
}

static int on_sin_acta(const prep_acta *a, const prep_evento *ev, prep_acta *n, prep_efecto *fx,
                       prep_err *err)
{
    if (!prep_sin_acta_texto(ev->motivo))
        return prep_fail(err, PREP_E_INVALID, "unknown sin acta motivo %d", ev->motivo);
    if (a->estado == PREP_EST_SIN_ACTA) {
        if (a->sin_acta_motivo == ev->motivo) {
            fx->noop = 1;
            return 0;
        }
        return prep_fail(err, PREP_E_CONFLICT, "acta is already sin acta with another motivo");
    }
    if (a->estado != PREP_EST_ESPERADA && a->estado != PREP_EST_ACOPIADA)
        return prep_fail(err, PREP_E_STATE, "acta already has an image (state %s)",
                         prep_estado_name(a->estado));
    n->estado = PREP_EST_SIN_ACTA;
    n->sin_acta_motivo = ev->motivo;
    return 0;
}

static int on_imagen(const prep_acta *a, const prep_evento *ev, prep_acta *n, prep_efecto *fx,
                     prep_err *err)
{
    if (!ev->imagen || strlen(ev->imagen) != 64)
        return prep_fail(err, PREP_E_INVALID, "image event without a SHA-256");
    if ((ev->origen != PREP_ORIGEN_CASILLA && ev->origen != PREP_ORIGEN_CATD) ||
        (ev->digitalizacion != PREP_DIG_MOVIL && ev->digitalizacion != PREP_DIG_ESCANER))
        return prep_fail(err, PREP_E_INVALID, "image event with unknown origin");
    if (has_image(a)) {
        /* First legible image wins; later ones are kept but not active. */
        fx->noop = 1;
        return 0;
    }
    if (a->estado == PREP_EST_SIN_ACTA && a->corte)
        return prep_fail(err, PREP_E_STATE, "acta was published as sin acta in corte %d",
                         a->corte);
    n->estado = PREP_EST_DIGITALIZADA;
    n->sin_acta_motivo = 0;
    memcpy(n->imagen, ev->imagen, 65);
    n->origen = ev->origen;
    n->digitalizacion = ev->digitalizacion;
    n->t_imagen = ev->at;
    return 0;
}

static int on_rechaza_imagen(const prep_acta *a, const prep_evento *ev, prep_acta *n,
                             prep_efecto *fx, prep_err *err)
{
    if (a->estado < PREP_EST_DIGITALIZADA || a->estado > PREP_EST_POR_VERIFICAR)
        return refuse(a, ev, err);
    lose_image(n, fx);
    return 0;
}

static int on_captura(const prep_acta *a, const prep_evento *ev, prep_acta *n, prep_efecto *fx,
                      prep_err *err)
{
    if (a->estado != PREP_EST_DIGITALIZADA && a->estado != PREP_EST_CAPTURADA &&
        !(a->estado == PREP_EST_DISCREPANCIA && a->ncapturas == 2))
        return a->estado == PREP_EST_DISCREPANCIA
                   ? prep_fail(err, PREP_E_STATE, "three captures disagree: the verifier decides")
                   : refuse(a, ev, err);
    if (vals_ok(ev, err) < 0)
        return -1;
    for (int i = 0; i < a->ncapturas; i++) {
        if (a->capturista[i] == ev->user)
            return prep_fail(err, PREP_E_CONFLICT,
                             "this user already captured this acta; another capturista must");
        if (!ev->prev || !ev->prev[i])
            return prep_fail(err, PREP_E_INVALID, "earlier capture %d not supplied", i + 1);
    }
    int k = a->ncapturas;
    n->capturista[k] = ev->user;
    n->ncapturas = k + 1;
    fx->store_capture = 1;
    if (k == 0) {
        n->estado = PREP_EST_CAPTURADA;
        return 0;
    }
    for (int i = 0; i < k; i++) {
        if (prep_vals_equal(ev->prev[i], ev->vals, ev->nfields)) {
            n->estado = PREP_EST_POR_VERIFICAR;
            n->elegida = k;
            n->t_captura = ev->at;
            fx->set_valores = 1;
            fx->valores_from = k;
            return 0;
        }
    }
    n->estado = PREP_EST_DISCREPANCIA;
    return 0;
}

static int on_resuelve(const prep_acta *a, const prep_evento *ev, prep_acta *n, prep_efecto *fx,
                       prep_err *err)
{
    if (a->estado != PREP_EST_DISCREPANCIA)
        return refuse(a, ev, err);
    if (ev->elegida >= 0) {
        if (ev->elegida >= a->ncapturas)
            return prep_fail(err, PREP_E_INVALID, "capture %d does not exist", ev->elegida + 1);
        fx->valores_from = ev->elegida;
    } else {
        if (vals_ok(ev, err) < 0)
            return -1;
        fx->valores_from = -1;
    }
    n->estado = PREP_EST_POR_VERIFICAR;
    n->elegida = ev->elegida;
    n->t_captura = ev->at;
    fx->set_valores = 1;
    return 0;
}

static int on_verifica(const prep_acta *a, const prep_evento *ev, prep_acta *n, prep_efecto *fx,
                       prep_err *err)
{
    if (a->estado == PREP_EST_VERIFICADA || a->estado == PREP_EST_PUBLICADA) {
        /* A retried verification, even one that arrives after the corte. */
        fx->noop = 1;
        return 0;
    }
    if (a->estado != PREP_EST_POR_VERIFICAR)
        return refuse(a, ev, err);
    n->estado = PREP_EST_VERIFICADA;
    n->t_verificacion = ev->at;
    return 0;
}

static int on_rechaza_captura(const prep_acta *a, const prep_evento *ev, prep_acta *n,
                              prep_efecto *fx, prep_err *err)
{
    if (a->estado != PREP_EST_POR_VERIFICAR && a->estado != PREP_EST_DISCREPANCIA)
        return refuse(a, ev, err);
    n->estado = PREP_EST_DIGITALIZADA;
    n->ronda++;
    n->ncapturas = 0;
    n->elegida = -1;
    n->t_captura = 0;
    memset(n->capturista, 0, sizeof n->capturista);
    fx->discard_round = 1;
    return 0;
}

static int on_publica(const prep_acta *a, const prep_evento *ev, prep_acta *n, prep_efecto *fx,
                      prep_err *err)
{
    if (ev->corte <= 0)
        return prep_fail(err, PREP_E_INVALID, "corte number must be positive");
    if (a->estado == PREP_EST_SIN_ACTA) {
        if (a->corte) {
            fx->noop = 1;
            return 0;
        }
    } else if (a->estado != PREP_EST_VERIFICADA) {
        return refuse(a, ev, err);
    } else {
        n->estado = PREP_EST_PUBLICADA;
    }
    n->corte = ev->corte;
    n->t_publicacion = ev->at;
    return 0;
}

static int on_cotejo(const prep_acta *a, const prep_evento *ev, prep_acta *n, prep_efecto *fx,
                     prep_err *err)
{
    if (a->estado != PREP_EST_PUBLICADA)
        return refuse(a, ev, err);
    switch (ev->cotejo) {
    case PREP_COTEJO_ACEPTADA:
    case PREP_COTEJO_EN_CORRECCION:
        if (a->cotejo == ev->cotejo) {
            fx->noop = 1;
            return 0;
        }
        break;
    case PREP_COTEJO_CORREGIDA:
        if (vals_ok(ev, err) < 0)
            return -1;
        fx->set_valores = 1;
        fx->valores_from = -1;
        break;
    default:
        return prep_fail(err, PREP_E_INVALID, "unknown cotejo result %d", ev->cotejo);
    }
    n->cotejo = ev->cotejo;
    return 0;
}

typedef int (*handler)(const prep_acta *, const prep_evento *, prep_acta *, prep_efecto *,
                       prep_err *);
static const handler handlers[PREP_EV__COUNT] = {
    [PREP_EV_ACOPIO] = on_acopio,
    [PREP_EV_SIN_ACTA] = on_sin_acta,
    [PREP_EV_IMAGEN] = on_imagen,
    [PREP_EV_RECHAZA_IMAGEN] = on_rechaza_imagen,
    [PREP_EV_CAPTURA] = on_captura,
    [PREP_EV_RESUELVE] = on_resuelve,
    [PREP_EV_VERIFICA] = on_verifica,
    [PREP_EV_RECHAZA_CAPTURA] = on_rechaza_captura,
    [PREP_EV_PUBLICA] = on_publica,
    [PREP_EV_COTEJO] = on_cotejo,
};

int prep_acta_apply(const prep_acta *cur, const prep_evento *ev, prep_acta *next,
                    prep_efecto *fx, prep_err *err)
{
    if (ev->tipo >= PREP_EV__COUNT)
        return prep_fail(err, PREP_E_INVALID, "unknown event %d", (int)ev->tipo);
    prep_acta n = *cur;
    prep_efecto f = {.valores_from = -1};
    if (handlers[ev->tipo](cur, ev, &n, &f, err) < 0)
        return -1;
    *next = f.noop ? *cur : n;
    *fx = f;
    return 0;
}
