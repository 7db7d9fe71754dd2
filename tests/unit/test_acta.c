/* test_acta.c — the acta state machine: every (state, event) pair against a
 * table written by hand from docs/design.md ("The life of an acta") and acta.h, then the capture rules
 * (same user twice, agree / disagree, third capture, resolution), rejections,
 * idempotent repeats and bad event data. A refused event must leave the
 * output acta and effect byte for byte untouched. */
#include "test_util.h"

#include "core/acta.h"
#include "core/rules.h"

#define NC 3
#define NF PREP_NFIELDS(NC)

static const char H1[] = "1111111111111111111111111111111111111111111111111111111111111111";
static const char H2[] = "2222222222222222222222222222222222222222222222222222222222222222";

/* Captures used throughout: A and B differ in one column; I and S differ
 * only in Ilegible vs Sin dato. */
static prep_val VA[NF], VB[NF], VI[NF], VS[NF];

static int setup(void **state)
{
    (void)state;
    t_vals(VA, NC, 10, 20, 30, 1, 2);
    t_vals(VB, NC, 10, 21, 30, 1, 2);
    t_vals(VI, NC, 10, PREP_V_ILEGIBLE, 30, 1, 2);
    t_vals(VS, NC, 10, PREP_V_SIN_DATO, 30, 1, 2);
    return 0;
}

static prep_time clock_ms = INT64_C(1717380309000);

static prep_evento ev_of(prep_evento_tipo t)
{
    prep_evento ev = {.tipo = t, .at = ++clock_ms, .user = 1, .nfields = NF, .elegida = -1};
    return ev;
}

/* Field-by-field equality (struct padding is not part of an acta). */
static void same(const prep_acta *x, const prep_acta *y)
{
    assert_int_equal(x->eleccion, y->eleccion);
    assert_int_equal(x->casilla, y->casilla);
    assert_int_equal(x->estado, y->estado);
    assert_int_equal(x->ronda, y->ronda);
    assert_int_equal(x->ncapturas, y->ncapturas);
    assert_memory_equal(x->capturista, y->capturista, sizeof x->capturista);
    assert_int_equal(x->elegida, y->elegida);
    assert_int_equal(x->sin_acta_motivo, y->sin_acta_motivo);
    assert_int_equal(x->cotejo, y->cotejo);
    assert_string_equal(x->imagen, y->imagen);
    assert_int_equal(x->origen, y->origen);
    assert_int_equal(x->digitalizacion, y->digitalizacion);
    assert_int_equal(x->t_acopio, y->t_acopio);
    assert_int_equal(x->t_imagen, y->t_imagen);
    assert_int_equal(x->t_captura, y->t_captura);
    assert_int_equal(x->t_verificacion, y->t_verificacion);
    assert_int_equal(x->t_publicacion, y->t_publicacion);
    assert_int_equal(x->corte, y->corte);
}

/* Apply and require success; returns the effect. */
static prep_efecto must(prep_acta *a, const prep_evento *ev)
{
    prep_acta n;
    prep_efecto fx;
    prep_err err = {0};
    if (prep_acta_apply(a, ev, &n, &fx, &err) != 0)
        fail_msg("%s refused in %s: %s", prep_evento_name(ev->tipo), prep_estado_name(a->estado),
                 err.msg);
    *a = n;
    return fx;
}

/* Apply and require refusal with `code`, output untouched. */
static void refused(const prep_acta *a, const prep_evento *ev, prep_errcode code)
{
    prep_acta n, n0;
    prep_efecto fx, fx0;
    prep_err err = {0};
    memset(&n, 0xa5, sizeof n);
    memset(&fx, 0xa5, sizeof fx);
    n0 = n;
    fx0 = fx;
    if (prep_acta_apply(a, ev, &n, &fx, &err) != -1)
        fail_msg("%s accepted in %s", prep_evento_name(ev->tipo), prep_estado_name(a->estado));
    if (err.code != code)
        fail_msg("%s in %s: code %s, expected %s (%s)", prep_evento_name(ev->tipo),
                 prep_estado_name(a->estado), prep_errcode_name(err.code),
                 prep_errcode_name(code), err.msg);
    assert_true(strlen(err.msg) > 0);
    assert_memory_equal(&n, &n0, sizeof n);
    assert_memory_equal(&fx, &fx0, sizeof fx);
}

static void acopio(prep_acta *a) { prep_evento ev = ev_of(PREP_EV_ACOPIO); must(a, &ev); }

static void imagen(prep_acta *a, const char *h, int origen, int dig)
{
    prep_evento ev = ev_of(PREP_EV_IMAGEN);
    ev.imagen = h;
    ev.origen = origen;
    ev.digitalizacion = dig;
    must(a, &ev);
}

/* Capture by `user`; prev are this round's earlier captures. */
static prep_efecto captura(prep_acta *a, int64_t user, const prep_val *vals,
                           const prep_val *const *prev)
{
    prep_evento ev = ev_of(PREP_EV_CAPTURA);
    ev.user = user;
    ev.vals = vals;
    ev.prev = prev;
    return must(a, &ev);
}

static void simple(prep_acta *a, prep_evento_tipo t)
{
    prep_evento ev = ev_of(t);
    ev.corte = 1;
    ev.motivo = PREP_SIN_ACTA_NO_ENTREGADO;
    ev.cotejo = PREP_COTEJO_ACEPTADA;
    must(a, &ev);
}

/* An acta brought to state s by legal events. In DISCREPANCIA it holds two
 * captures (VA by user 1, VB by user 2); CAPTURADA one (VA by user 1). */
static void reach(prep_acta *a, prep_estado s)
{
    static const prep_val *prev1[1] = {VA};
    prep_acta_init(a, 0, 3);
    switch (s) {
    case PREP_EST_ESPERADA: return;
    case PREP_EST_SIN_ACTA:
        acopio(a);
        simple(a, PREP_EV_SIN_ACTA);
        return;
    default: break;
    }
    acopio(a);
    if (s == PREP_EST_ACOPIADA)
        return;
    imagen(a, H1, PREP_ORIGEN_CATD, PREP_DIG_ESCANER);
    if (s == PREP_EST_DIGITALIZADA)
        return;
    captura(a, 1, VA, NULL);
    if (s == PREP_EST_CAPTURADA)
        return;
    captura(a, 2, s == PREP_EST_DISCREPANCIA ? VB : VA, prev1);
    if (s == PREP_EST_DISCREPANCIA || s == PREP_EST_POR_VERIFICAR)
        return;
    simple(a, PREP_EV_VERIFICA);
    if (s == PREP_EST_VERIFICADA)
        return;
    simple(a, PREP_EV_PUBLICA);
}

/* The canonical event of each type, with valid data, for acta a. */
static prep_evento canonical(const prep_acta *a, prep_evento_tipo t, const prep_val **prev)
{
    prep_evento ev = ev_of(t);
    ev.motivo = PREP_SIN_ACTA_NO_ENTREGADO; /* same motivo reach() used */
    ev.imagen = H2;
    ev.origen = PREP_ORIGEN_CASILLA;
    ev.digitalizacion = PREP_DIG_MOVIL;
    ev.user = 3; /* a capturista who has not captured this acta */
    ev.vals = VA;
    prev[0] = VA;
    prev[1] = a->estado == PREP_EST_DISCREPANCIA ? VB : VA;
    ev.prev = prev;
    ev.elegida = 0;
    ev.corte = 1;
    ev.cotejo = PREP_COTEJO_ACEPTADA;
    return ev;
}

#define X -1      /* refused with PREP_E_STATE */
#define NOOP -2   /* accepted, nothing changes */

static void test_every_state_event_pair(void **state)
{
    (void)state;
    enum { E = PREP_EST_ESPERADA, AC = PREP_EST_ACOPIADA, DG = PREP_EST_DIGITALIZADA,
           CA = PREP_EST_CAPTURADA, DS = PREP_EST_DISCREPANCIA, PV = PREP_EST_POR_VERIFICAR,
           VE = PREP_EST_VERIFICADA, PU = PREP_EST_PUBLICADA, SA = PREP_EST_SIN_ACTA };
    /* Rows: current state. Columns, in prep_evento_tipo order: acopio, sin_acta,
     * imagen, rechaza_imagen, captura (VA), resuelve (0), verifica,
     * rechaza_captura, publica, cotejo (aceptada). */
    static const int want[PREP_EST__COUNT][PREP_EV__COUNT] = {
        [E] = {AC, SA, DG, X, X, X, X, X, X, X},
        [AC] = {NOOP, SA, DG, X, X, X, X, X, X, X},
        [DG] = {NOOP, X, NOOP, AC, CA, X, X, X, X, X},
        [CA] = {NOOP, X, NOOP, AC, PV, X, X, X, X, X},
        [DS] = {NOOP, X, NOOP, AC, PV, PV, X, DG, X, X},
        [PV] = {NOOP, X, NOOP, AC, X, X, VE, DG, X, X},
        [VE] = {NOOP, X, NOOP, X, X, X, NOOP, X, PU, X},
        [PU] = {NOOP, X, NOOP, X, X, X, NOOP, X, X, PU},
        [SA] = {X, NOOP, DG, X, X, X, X, X, SA, X},
    };
    int checked = 0;
    for (int s = 0; s < PREP_EST__COUNT; s++) {
        for (int t = 0; t < PREP_EV__COUNT; t++) {
            prep_acta a, n;
            prep_efecto fx;
            prep_err err = {0};
            const prep_val *prev[2];
            reach(&a, (prep_estado)s);
            assert_int_equal(a.estado, s);
            prep_evento ev = canonical(&a, (prep_evento_tipo)t, prev);
            if (want[s][t] == X) {
                refused(&a, &ev, PREP_E_STATE);
            } else {
                memset(&n, 0xa5, sizeof n);
                if (prep_acta_apply(&a, &ev, &n, &fx, &err) != 0)
                    fail_msg("%s refused in %s: %s", prep_evento_name(ev.tipo),
                             prep_estado_name(a.estado), err.msg);
                if (want[s][t] == NOOP) {
                    assert_int_equal(fx.noop, 1);
                    same(&n, &a);
                } else {
                    assert_int_equal(fx.noop, 0);
                    if ((int)n.estado != want[s][t])
                        fail_msg("%s in %s gave %s", prep_evento_name(ev.tipo),
                                 prep_estado_name(a.estado), prep_estado_name(n.estado));
                }
            }
            checked++;
        }
    }
    assert_int_equal(checked, 90);
}

static void test_published_sin_acta(void **state)
{
    (void)state;
    prep_acta a;
    reach(&a, PREP_EST_SIN_ACTA);
    prep_evento ev = ev_of(PREP_EV_PUBLICA);
    ev.corte = 4;
    must(&a, &ev);
    assert_int_equal(a.estado, PREP_EST_SIN_ACTA);
    assert_int_equal(a.corte, 4);
    assert_int_equal(a.t_publicacion, ev.at);
    assert_true(prep_acta_registrada(&a));
    /* Published again by a later corte: nothing changes. */
    prep_acta before = a;
    ev = ev_of(PREP_EV_PUBLICA);
    ev.corte = 5;
    prep_efecto fx = must(&a, &ev);
    assert_int_equal(fx.noop, 1);
    same(&a, &before);
    /* Once published as sin acta, a late image is refused. */
    ev = ev_of(PREP_EV_IMAGEN);
    ev.imagen = H1;
    ev.origen = PREP_ORIGEN_CASILLA;
    ev.digitalizacion = PREP_DIG_MOVIL;
    refused(&a, &ev, PREP_E_STATE);
}

static void test_sin_acta_then_image(void **state)
{
    (void)state;
    /* Not yet published: a late casilla photo turns it back into a normal acta. */
    prep_acta a;
    reach(&a, PREP_EST_SIN_ACTA);
    assert_int_equal(a.sin_acta_motivo, PREP_SIN_ACTA_NO_ENTREGADO);
    imagen(&a, H1, PREP_ORIGEN_CASILLA, PREP_DIG_MOVIL);
    assert_int_equal(a.estado, PREP_EST_DIGITALIZADA);
    assert_int_equal(a.sin_acta_motivo, 0);
    assert_true(a.t_acopio != 0);
}

static void test_sin_acta_motivo_conflict(void **state)
{
    (void)state;
    prep_acta a;
    reach(&a, PREP_EST_SIN_ACTA);
    prep_evento ev = ev_of(PREP_EV_SIN_ACTA);
    ev.motivo = PREP_SIN_ACTA_NO_INSTALADA;
    refused(&a, &ev, PREP_E_CONFLICT);
    ev.motivo = PREP_SIN_ACTA_NO_ENTREGADO;
    prep_acta before = a;
    prep_efecto fx = must(&a, &ev);
    assert_int_equal(fx.noop, 1);
    same(&a, &before);
}

static void test_photo_before_acopio(void **state)
{
    (void)state;
    prep_acta a;
    prep_acta_init(&a, 1, 7);
    assert_int_equal(a.eleccion, 1);
    assert_int_equal(a.casilla, 7);
    assert_int_equal(a.elegida, -1);
    imagen(&a, H1, PREP_ORIGEN_CASILLA, PREP_DIG_MOVIL);
    assert_int_equal(a.estado, PREP_EST_DIGITALIZADA);
    assert_string_equal(a.imagen, H1);
    assert_int_equal(a.origen, PREP_ORIGEN_CASILLA);
    assert_int_equal(a.digitalizacion, PREP_DIG_MOVIL);
    assert_int_equal(a.t_imagen, clock_ms);
    assert_int_equal(a.t_acopio, 0);
    /* The paquete arrives later: acopio time recorded, state kept. */
    prep_evento ev = ev_of(PREP_EV_ACOPIO);
    prep_efecto fx = must(&a, &ev);
    assert_int_equal(fx.noop, 0);
    assert_int_equal(a.estado, PREP_EST_DIGITALIZADA);
    assert_int_equal(a.t_acopio, ev.at);
    /* The CATD scan afterwards is kept by the store but is not active. */
    prep_acta before = a;
    ev = ev_of(PREP_EV_IMAGEN);
    ev.imagen = H2;
    ev.origen = PREP_ORIGEN_CATD;
    ev.digitalizacion = PREP_DIG_ESCANER;
    fx = must(&a, &ev);
    assert_int_equal(fx.noop, 1);
    same(&a, &before);
    /* Rejecting the image now goes back to ACOPIADA: the acta has an acopio. */
    simple(&a, PREP_EV_RECHAZA_IMAGEN);
    assert_int_equal(a.estado, PREP_EST_ACOPIADA);
}

static void test_reject_image_without_acopio(void **state)
{
    (void)state;
    prep_acta a;
    prep_acta_init(&a, 0, 0);
    imagen(&a, H1, PREP_ORIGEN_CASILLA, PREP_DIG_MOVIL);
    captura(&a, 1, VA, NULL);
    prep_evento ev = ev_of(PREP_EV_RECHAZA_IMAGEN);
    prep_efecto fx = must(&a, &ev);
    assert_int_equal(a.estado, PREP_EST_ESPERADA);
    assert_string_equal(a.imagen, "");
    assert_int_equal(a.origen, PREP_ORIGEN_NINGUNO);
    assert_int_equal(a.digitalizacion, PREP_DIG_NINGUNA);
    assert_int_equal(a.t_imagen, 0);
    assert_int_equal(a.ronda, 1);
    assert_int_equal(a.ncapturas, 0);
    assert_int_equal(a.capturista[0], 0);
    assert_int_equal(fx.discard_round, 1);
    /* A new image starts the new round; the first capturista may capture again. */
    imagen(&a, H2, PREP_ORIGEN_CATD, PREP_DIG_ESCANER);
    assert_string_equal(a.imagen, H2);
    captura(&a, 1, VA, NULL);
    assert_int_equal(a.estado, PREP_EST_CAPTURADA);
}

static void test_acopio_twice(void **state)
{
    (void)state;
    prep_acta a;
    prep_acta_init(&a, 0, 0);
    prep_evento ev = ev_of(PREP_EV_ACOPIO);
    must(&a, &ev);
    assert_int_equal(a.estado, PREP_EST_ACOPIADA);
    assert_int_equal(a.t_acopio, ev.at);
    prep_time first = ev.at;
    ev = ev_of(PREP_EV_ACOPIO);
    prep_efecto fx = must(&a, &ev);
    assert_int_equal(fx.noop, 1);
    assert_int_equal(a.t_acopio, first); /* the first arrival time stands */
}

static void test_same_capturista_twice(void **state)
{
    (void)state;
    const prep_val *prev[2] = {VA, VB};
    prep_acta a;
    reach(&a, PREP_EST_CAPTURADA);
    prep_evento ev = ev_of(PREP_EV_CAPTURA);
    ev.user = 1;
    ev.vals = VA;
    ev.prev = prev;
    refused(&a, &ev, PREP_E_CONFLICT);
    /* The same for a third capture by either of the first two. */
    reach(&a, PREP_EST_DISCREPANCIA);
    refused(&a, &ev, PREP_E_CONFLICT);
    ev.user = 2;
    refused(&a, &ev, PREP_E_CONFLICT);
}

static void test_two_equal_captures(void **state)
{
    (void)state;
    const prep_val *prev[1] = {VA};
    prep_acta a;
    reach(&a, PREP_EST_DIGITALIZADA);
    prep_efecto fx = captura(&a, 1, VA, NULL);
    assert_int_equal(a.estado, PREP_EST_CAPTURADA);
    assert_int_equal(a.ncapturas, 1);
    assert_int_equal(a.capturista[0], 1);
    assert_int_equal(fx.store_capture, 1);
    assert_int_equal(fx.set_valores, 0);
    assert_int_equal(a.t_captura, 0);
    fx = captura(&a, 2, VA, prev);
    assert_int_equal(a.estado, PREP_EST_POR_VERIFICAR);
    assert_int_equal(a.ncapturas, 2);
    assert_int_equal(a.capturista[1], 2);
    assert_int_equal(a.elegida, 1);
    assert_int_equal(a.t_captura, clock_ms);
    assert_int_equal(fx.store_capture, 1);
    assert_int_equal(fx.set_valores, 1);
    assert_int_equal(fx.valores_from, 1);
}

static void test_two_different_captures(void **state)
{
    (void)state;
    const prep_val *prev[1] = {VA};
    prep_acta a;
    reach(&a, PREP_EST_CAPTURADA);
    prep_efecto fx = captura(&a, 2, VB, prev);
    assert_int_equal(a.estado, PREP_EST_DISCREPANCIA);
    assert_int_equal(a.ncapturas, 2);
    assert_int_equal(a.elegida, -1);
    assert_int_equal(fx.store_capture, 1);
    assert_int_equal(fx.set_valores, 0);
    assert_int_equal(a.t_captura, 0);
}

static void test_ilegible_vs_sin_dato_differ(void **state)
{
    (void)state;
    const prep_val *prev[1] = {VI};
    prep_acta a;
    reach(&a, PREP_EST_DIGITALIZADA);
    captura(&a, 1, VI, NULL);
    captura(&a, 2, VS, prev);
    assert_int_equal(a.estado, PREP_EST_DISCREPANCIA);
    /* Both count 0 in the total, yet they are different readings. */
    assert_int_equal(prep_rules_total_calculado(VI, NC), prep_rules_total_calculado(VS, NC));
}

static void test_third_capture(void **state)
{
    (void)state;
    const prep_val *prev[2] = {VA, VB};
    prep_val VC[NF];
    t_vals(VC, NC, 99, 20, 30, 1, 2);

    /* Matches the first. */
    prep_acta a;
    reach(&a, PREP_EST_DISCREPANCIA);
    prep_efecto fx = captura(&a, 3, VA, prev);
    assert_int_equal(a.estado, PREP_EST_POR_VERIFICAR);
    assert_int_equal(a.ncapturas, 3);
    assert_int_equal(a.elegida, 2);
    assert_int_equal(fx.valores_from, 2);
    assert_int_equal(fx.set_valores, 1);

    /* Matches the second. */
    reach(&a, PREP_EST_DISCREPANCIA);
    captura(&a, 3, VB, prev);
    assert_int_equal(a.estado, PREP_EST_POR_VERIFICAR);

    /* Matches none: stays in DISCREPANCIA, and a 4th capture is refused. */
    reach(&a, PREP_EST_DISCREPANCIA);
    fx = captura(&a, 3, VC, prev);
    assert_int_equal(a.estado, PREP_EST_DISCREPANCIA);
    assert_int_equal(a.ncapturas, 3);
    assert_int_equal(fx.store_capture, 1);
    assert_int_equal(fx.set_valores, 0);
    const prep_val *prev3[3] = {VA, VB, VC};
    prep_evento ev = ev_of(PREP_EV_CAPTURA);
    ev.user = 4;
    ev.vals = VA;
    ev.prev = prev3;
    refused(&a, &ev, PREP_E_STATE);

    /* The verifier settles it with the third capture. */
    ev = ev_of(PREP_EV_RESUELVE);
    ev.elegida = 2;
    fx = must(&a, &ev);
    assert_int_equal(a.estado, PREP_EST_POR_VERIFICAR);
    assert_int_equal(a.elegida, 2);
    assert_int_equal(fx.set_valores, 1);
    assert_int_equal(fx.valores_from, 2);
    assert_int_equal(a.t_captura, ev.at);
}

static void test_resolve(void **state)
{
    (void)state;
    prep_acta a;
    reach(&a, PREP_EST_DISCREPANCIA);
    /* Capture 3 does not exist yet. */
    prep_evento ev = ev_of(PREP_EV_RESUELVE);
    ev.elegida = 2;
    refused(&a, &ev, PREP_E_INVALID);
    /* The verifier's own values. */
    ev.elegida = -1;
    ev.vals = NULL;
    refused(&a, &ev, PREP_E_INVALID);
    prep_val bad[NF];
    memcpy(bad, VA, sizeof bad);
    bad[PREP_F_COL0] = -9;
    ev.vals = bad;
    refused(&a, &ev, PREP_E_INVALID);
    ev.vals = VB;
    prep_efecto fx = must(&a, &ev);
    assert_int_equal(a.estado, PREP_EST_POR_VERIFICAR);
    assert_int_equal(a.elegida, -1);
    assert_int_equal(fx.set_valores, 1);
    assert_int_equal(fx.valores_from, -1);
    assert_int_equal(fx.store_capture, 0);
    /* Or capture 2. */
    reach(&a, PREP_EST_DISCREPANCIA);
    ev = ev_of(PREP_EV_RESUELVE);
    ev.elegida = 1;
    fx = must(&a, &ev);
    assert_int_equal(a.elegida, 1);
    assert_int_equal(fx.valores_from, 1);
}

static void test_reject_capture(void **state)
{
    (void)state;
    prep_acta a;
    for (int from = 0; from < 2; from++) {
        reach(&a, from ? PREP_EST_DISCREPANCIA : PREP_EST_POR_VERIFICAR);
        int ronda = a.ronda;
        prep_evento ev = ev_of(PREP_EV_RECHAZA_CAPTURA);
        prep_efecto fx = must(&a, &ev);
        assert_int_equal(a.estado, PREP_EST_DIGITALIZADA);
        assert_int_equal(a.ronda, ronda + 1);
        assert_int_equal(a.ncapturas, 0);
        assert_int_equal(a.elegida, -1);
        assert_int_equal(a.t_captura, 0);
        assert_int_equal(a.capturista[0], 0);
        assert_int_equal(a.capturista[1], 0);
        assert_int_equal(fx.discard_round, 1);
        assert_string_equal(a.imagen, H1); /* the image stays */
        /* New round: user 1 captures again without conflict. */
        captura(&a, 1, VA, NULL);
        assert_int_equal(a.estado, PREP_EST_CAPTURADA);
    }
}

static void test_verify_publish_cotejo(void **state)
{
    (void)state;
    prep_acta a;
    reach(&a, PREP_EST_POR_VERIFICAR);
    assert_false(prep_acta_registrada(&a));
    prep_evento ev = ev_of(PREP_EV_VERIFICA);
    must(&a, &ev);
    assert_int_equal(a.estado, PREP_EST_VERIFICADA);
    assert_int_equal(a.t_verificacion, ev.at);
    /* Verify twice: noop, first time stands. */
    prep_time tv = ev.at;
    ev = ev_of(PREP_EV_VERIFICA);
    prep_efecto fx = must(&a, &ev);
    assert_int_equal(fx.noop, 1);
    assert_int_equal(a.t_verificacion, tv);
    assert_false(prep_acta_registrada(&a));

    ev = ev_of(PREP_EV_PUBLICA);
    ev.corte = 0;
    refused(&a, &ev, PREP_E_INVALID);
    ev.corte = -2;
    refused(&a, &ev, PREP_E_INVALID);
    ev.corte = 3;
    must(&a, &ev);
    assert_int_equal(a.estado, PREP_EST_PUBLICADA);
    assert_int_equal(a.corte, 3);
    assert_int_equal(a.t_publicacion, ev.at);
    assert_true(prep_acta_registrada(&a));

    /* Cotejo: aceptada, twice is noop; en corrección; corregida with values. */
    ev = ev_of(PREP_EV_COTEJO);
    ev.cotejo = PREP_COTEJO_ACEPTADA;
    must(&a, &ev);
    assert_int_equal(a.cotejo, PREP_COTEJO_ACEPTADA);
    fx = must(&a, &ev);
    assert_int_equal(fx.noop, 1);
    ev.cotejo = PREP_COTEJO_EN_CORRECCION;
    fx = must(&a, &ev);
    assert_int_equal(fx.noop, 0);
    assert_int_equal(a.cotejo, PREP_COTEJO_EN_CORRECCION);
    fx = must(&a, &ev);
    assert_int_equal(fx.noop, 1);
    ev.cotejo = PREP_COTEJO_CORREGIDA;
    ev.vals = NULL;
    refused(&a, &ev, PREP_E_INVALID);
    ev.vals = VB;
    fx = must(&a, &ev);
    assert_int_equal(a.cotejo, PREP_COTEJO_CORREGIDA);
    assert_int_equal(fx.set_valores, 1);
    assert_int_equal(fx.valores_from, -1);
    assert_int_equal(a.estado, PREP_EST_PUBLICADA);
    ev.cotejo = 0;
    refused(&a, &ev, PREP_E_INVALID);
    ev.cotejo = 4;
    refused(&a, &ev, PREP_E_INVALID);
}

static void test_bad_capture_values(void **state)
{
    (void)state;
    prep_acta a;
    reach(&a, PREP_EST_DIGITALIZADA);
    prep_evento ev = ev_of(PREP_EV_CAPTURA);
    prep_val bad[NF];
    ev.vals = bad;
    static const prep_val wrong[] = {-4, -100, PREP_V_MAX + 1, INT32_MAX, INT32_MIN};
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        for (int f = 0; f < NF; f += NF - 1) { /* first and last field */
            memcpy(bad, VA, sizeof bad);
            bad[f] = wrong[i];
            refused(&a, &ev, PREP_E_INVALID);
        }
    }
    ev.vals = NULL;
    refused(&a, &ev, PREP_E_INVALID);
    ev.vals = VA;
    ev.nfields = PREP_F_COL0; /* no vote column at all */
    refused(&a, &ev, PREP_E_INVALID);
    ev.nfields = PREP_MAX_FIELDS + 1;
    refused(&a, &ev, PREP_E_INVALID);
    ev.nfields = 0;
    refused(&a, &ev, PREP_E_INVALID);
    /* Second capture without the first one's values. */
    ev.nfields = NF;
    must(&a, &ev);
    ev.user = 2;
    ev.prev = NULL;
    refused(&a, &ev, PREP_E_INVALID);
    const prep_val *none[1] = {NULL};
    ev.prev = none;
    refused(&a, &ev, PREP_E_INVALID);
}

static void test_bad_event_data(void **state)
{
    (void)state;
    prep_acta a;
    prep_acta_init(&a, 0, 0);
    prep_evento ev = ev_of(PREP_EV_SIN_ACTA);
    ev.motivo = 0;
    refused(&a, &ev, PREP_E_INVALID);
    ev.motivo = PREP_SIN_ACTA__COUNT;
    refused(&a, &ev, PREP_E_INVALID);
    ev.motivo = -1;
    refused(&a, &ev, PREP_E_INVALID);

    ev = ev_of(PREP_EV_IMAGEN);
    ev.origen = PREP_ORIGEN_CATD;
    ev.digitalizacion = PREP_DIG_ESCANER;
    ev.imagen = NULL;
    refused(&a, &ev, PREP_E_INVALID);
    ev.imagen = "abc";
    refused(&a, &ev, PREP_E_INVALID);
    ev.imagen = H1;
    ev.origen = PREP_ORIGEN_NINGUNO;
    refused(&a, &ev, PREP_E_INVALID);
    ev.origen = 7;
    refused(&a, &ev, PREP_E_INVALID);
    ev.origen = PREP_ORIGEN_CATD;
    ev.digitalizacion = PREP_DIG_NINGUNA;
    refused(&a, &ev, PREP_E_INVALID);
    ev.digitalizacion = 3;
    refused(&a, &ev, PREP_E_INVALID);

    ev = ev_of(PREP_EV__COUNT);
    refused(&a, &ev, PREP_E_INVALID);
    ev.tipo = (prep_evento_tipo)99;
    refused(&a, &ev, PREP_E_INVALID);
}

static void test_names(void **state)
{
    (void)state;
    static const char *const estados[] = {"ESPERADA", "ACOPIADA", "DIGITALIZADA",
                                          "CAPTURADA", "DISCREPANCIA", "POR_VERIFICAR",
                                          "VERIFICADA", "PUBLICADA", "SIN_ACTA"};
    for (int s = 0; s < PREP_EST__COUNT; s++) {
        assert_string_equal(prep_estado_name((prep_estado)s), estados[s]);
        assert_int_equal(prep_estado_from_name(estados[s]), s);
    }
    assert_string_equal(prep_estado_name(PREP_EST__COUNT), "?");
    assert_int_equal(prep_estado_from_name("esperada"), -1);
    assert_int_equal(prep_estado_from_name(""), -1);
    assert_int_equal(prep_estado_from_name(NULL), -1);
    static const char *const eventos[] = {"acopio", "sin_acta", "imagen", "rechaza_imagen",
                                          "captura", "resuelve", "verifica",
                                          "rechaza_captura", "publica", "cotejo"};
    for (int t = 0; t < PREP_EV__COUNT; t++)
        assert_string_equal(prep_evento_name((prep_evento_tipo)t), eventos[t]);
    assert_string_equal(prep_evento_name(PREP_EV__COUNT), "?");
    assert_string_equal(prep_origen_name(PREP_ORIGEN_CASILLA), "CASILLA");
    assert_string_equal(prep_origen_name(PREP_ORIGEN_CATD), "CATD");
    assert_string_equal(prep_origen_name(PREP_ORIGEN_NINGUNO), "");
    assert_string_equal(prep_origen_name(9), "");
    assert_string_equal(prep_digitalizacion_name(PREP_DIG_MOVIL), "MOVIL");
    assert_string_equal(prep_digitalizacion_name(PREP_DIG_ESCANER), "ESCANER");
    assert_string_equal(prep_digitalizacion_name(PREP_DIG_NINGUNA), "");
    assert_string_equal(prep_digitalizacion_name(9), "");
}

static void test_registrada(void **state)
{
    (void)state;
    for (int s = 0; s < PREP_EST__COUNT; s++) {
        prep_acta a;
        reach(&a, (prep_estado)s);
        int want = s == PREP_EST_PUBLICADA || s == PREP_EST_SIN_ACTA;
        assert_int_equal(prep_acta_registrada(&a), want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_state_event_pair),
        cmocka_unit_test(test_published_sin_acta),
        cmocka_unit_test(test_sin_acta_then_image),
        cmocka_unit_test(test_sin_acta_motivo_conflict),
        cmocka_unit_test(test_photo_before_acopio),
        cmocka_unit_test(test_reject_image_without_acopio),
        cmocka_unit_test(test_acopio_twice),
        cmocka_unit_test(test_same_capturista_twice),
        cmocka_unit_test(test_two_equal_captures),
        cmocka_unit_test(test_two_different_captures),
        cmocka_unit_test(test_ilegible_vs_sin_dato_differ),
        cmocka_unit_test(test_third_capture),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_reject_capture),
        cmocka_unit_test(test_verify_publish_cotejo),
        cmocka_unit_test(test_bad_capture_values),
        cmocka_unit_test(test_bad_event_data),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_registrada),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
