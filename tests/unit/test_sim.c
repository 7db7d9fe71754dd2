/* test_sim.c — the drill's ground truth and acta images, without a server:
 * the truth is a pure function of (catálogo, seed, fault mix); every fault
 * kind of the default mix is present and means what it says under the
 * counting rules; planned mistypes differ from the acta and the third capture
 * does not; expected summaries add up; rendered actas are deterministic PNGs
 * whose QR code reads back as their CLAVE_CASILLA (normal and small). The
 * full drill over HTTP is tests/integration/simulate.test.mjs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "catalog/catalog_io.h"
#include "core/tally.h"
#include "images/qr.h"
#include "sim/drill.h"
#include "sim/sim.h"

static prep_catalog cat;

static int setup(void **state)
{
    (void)state;
    prep_err err = {0};
    return prep_catalog_generate("small", 1, &cat, &err);
}

static int teardown(void **state)
{
    (void)state;
    prep_catalog_free(&cat);
    sim_render_cleanup();
    return 0;
}

static void build(uint64_t seed, const char *mix, sim_truth *t)
{
    sim_faults f;
    prep_err err = {0};
    assert_int_equal(sim_faults_preset(mix, &f), 0);
    assert_int_equal(sim_truth_build(&cat, seed, &f, t, &err), 0);
}

static void truth_is_deterministic(void **state)
{
    (void)state;
    sim_truth a, b, c;
    build(7, "default", &a);
    build(7, "default", &b);
    build(8, "default", &c);
    int differ = 0;
    for (int e = 0; e < cat.nelecciones; e++) {
        size_t n = (size_t)cat.ncasillas * (size_t)a.el[e].nfields * sizeof(prep_val);
        assert_memory_equal(a.el[e].valbuf, b.el[e].valbuf, n);
        differ |= memcmp(a.el[e].valbuf, c.el[e].valbuf, n) != 0;
        for (int k = 0; k < cat.ncasillas; k++)
            assert_int_equal(a.el[e].actas[k].faults, b.el[e].actas[k].faults);
    }
    assert_memory_equal(a.cas, b.cas, sizeof *a.cas * (size_t)cat.ncasillas);
    assert_true(differ);
    sim_truth_free(&a);
    sim_truth_free(&b);
    sim_truth_free(&c);
}

static void faults_mean_what_they_say(void **state)
{
    (void)state;
    sim_truth t;
    build(1, "default", &t);
    int64_t counts[SIM_FAULT__COUNT];
    sim_truth_fault_counts(&t, counts);
    for (int k = 0; k < SIM_FAULT__COUNT; k++)
        assert_true(counts[k] > 0); /* at_least_one forces every kind */
    int seen_motivo[PREP_SIN_ACTA__COUNT] = {0};
    for (int c = 0; c < cat.ncasillas; c++) {
        for (int e = 0; e < cat.nelecciones; e++) {
            sim_expect x;
            sim_expect_acta(&t, e, c, &x);
            if (sim_has(&t, e, c, SIM_FAULT_SIN_ACTA)) {
                assert_int_equal(x.kind, SIM_EXP_SIN_ACTA);
                assert_false(x.res.contabilizada);
                seen_motivo[t.cas[c].motivo] = 1;
                continue;
            }
            if (t.cas[c].t_photo < 0 && t.cas[c].t_arrival < 0) {
                assert_int_equal(x.kind, SIM_EXP_NONE);
                assert_true(sim_has(&t, e, c, SIM_FAULT_LOST));
                continue;
            }
            assert_int_equal(x.kind, SIM_EXP_PUBLICADA);
            int excede = sim_has(&t, e, c, SIM_FAULT_EXCEDE);
            int todos = sim_has(&t, e, c, SIM_FAULT_TODOS);
            if (todos) {
                assert_false(x.res.contabilizada);
                assert_true(x.res.obs & PREP_OBS_TODOS_ILEGIBLES);
            }
            if (excede) {
                assert_false(x.res.contabilizada);
                assert_true(x.res.obs & PREP_OBS_EXCEDE_LN);
            }
            if (!todos && (sim_has(&t, e, c, SIM_FAULT_ILEGIBLE) ||
                           sim_has(&t, e, c, SIM_FAULT_SIN_DATO)))
                assert_true(x.res.obs & PREP_OBS_ALGUN_ILEGIBLE);
            if (!excede && !todos)
                assert_true(x.res.contabilizada);
            /* Planned mistypes: capture 1 (and 2) differ from the acta; the
             * third capture is what the acta says. */
            int nf = t.el[e].nfields;
            prep_val v[PREP_MAX_FIELDS];
            sim_capture_values(&t, e, c, 0, v);
            int m1 = sim_has(&t, e, c, SIM_FAULT_MISTYPE) || sim_has(&t, e, c, SIM_FAULT_MISTYPE2);
            assert_int_equal(!prep_vals_equal(v, t.el[e].actas[c].vals, nf), m1);
            prep_val v2[PREP_MAX_FIELDS];
            sim_capture_values(&t, e, c, 1, v2);
            if (sim_has(&t, e, c, SIM_FAULT_MISTYPE2)) {
                assert_false(prep_vals_equal(v2, t.el[e].actas[c].vals, nf));
                assert_false(prep_vals_equal(v2, v, nf));
            } else {
                assert_true(prep_vals_equal(v2, t.el[e].actas[c].vals, nf));
            }
            sim_capture_values(&t, e, c, 2, v);
            assert_true(prep_vals_equal(v, t.el[e].actas[c].vals, nf));
        }
    }
    for (int m = 1; m < PREP_SIN_ACTA__COUNT; m++)
        assert_true(seen_motivo[m]);
    sim_truth_free(&t);
}

static void expected_summary_adds_up(void **state)
{
    (void)state;
    sim_truth t;
    build(3, "heavy", &t);
    for (int e = 0; e < cat.nelecciones; e++) {
        prep_summary s;
        sim_expect_summary(&t, e, &s);
        int64_t reg = 0, contab = 0, fuera = 0;
        for (int c = 0; c < cat.ncasillas; c++) {
            sim_expect x;
            sim_expect_acta(&t, e, c, &x);
            reg += x.kind != SIM_EXP_NONE;
            contab += x.kind == SIM_EXP_PUBLICADA && x.res.contabilizada;
        }
        for (int i = 0; i < t.nfuera; i++)
            fuera += t.fuera[i].eleccion == e;
        char b[32];
        prep_summary_field(&s, 0, b, sizeof b); /* ACTAS_ESPERADAS */
        assert_int_equal(atoll(b), cat.ncasillas);
        prep_summary_field(&s, 1, b, sizeof b); /* ACTAS_REGISTRADAS */
        assert_int_equal(atoll(b), reg + fuera);
        prep_summary_field(&s, 2, b, sizeof b); /* ACTAS_FUERA_CATALOGO */
        assert_int_equal(atoll(b), fuera);
        prep_summary_field(&s, 5, b, sizeof b); /* ACTAS_CONTABILIZADAS */
        assert_int_equal(atoll(b), contab);
        assert_true(fuera > 0);
    }
    sim_truth_free(&t);
}

static void render_reads_back(int small)
{
    sim_truth t;
    build(1, "default", &t);
    sim_render_opts o = {.small = small};
    prep_buf a, b;
    prep_buf_init(&a);
    prep_buf_init(&b);
    prep_err err = {0};
    int cs[] = {0, cat.ncasillas / 2, cat.ncasillas - 1};
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        for (int kind = SIM_IMG_FOTO; kind <= SIM_IMG_ESCANER; kind++) {
            assert_int_equal(sim_render_acta(&t, 1, cs[i], kind, &o, &a, &err), 0);
            assert_int_equal(sim_render_acta(&t, 1, cs[i], kind, &o, &b, &err), 0);
            assert_int_equal(a.len, b.len);
            assert_memory_equal(a.data, b.data, a.len);
            assert_memory_equal(a.data, "\x89PNG", 4);
            if (small)
                assert_true(a.len < 12000);
            char text[256], clave[12];
            assert_int_equal(prep_qr_decode(a.data, a.len, text, sizeof text, &err), 1);
            assert_int_equal(prep_qr_clave(text, clave), 0);
            assert_string_equal(clave, cat.casillas[cs[i]].clave);
            /* found by the first, cheap pass (top-right corner), and the
             * whole-image scan reads the same text */
            char full[256];
            int pass = -1;
            assert_int_equal(prep_qr_decode_how(a.data, a.len, text, sizeof text, 0, &pass, &err), 1);
            assert_int_equal(pass, 1);
            assert_int_equal(prep_qr_decode_how(a.data, a.len, full, sizeof full, 1, &pass, &err), 1);
            assert_int_equal(pass, 3);
            assert_string_equal(text, full);
        }
        /* A photo and a scan of the same acta are different files. */
        assert_int_equal(sim_render_acta(&t, 1, cs[i], SIM_IMG_FOTO, &o, &a, &err), 0);
        assert_int_equal(sim_render_acta(&t, 1, cs[i], SIM_IMG_ESCANER, &o, &b, &err), 0);
        assert_false(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    }
    prep_buf_free(&a);
    prep_buf_free(&b);
    sim_truth_free(&t);
}

/* render.c keeps each thread's surfaces from one image to the next: an
 * image drawn after one of the other size (its surfaces made again) or
 * after another acta (its surfaces reused) is the same file as before. */
static void render_reuses_surfaces(void **state)
{
    (void)state;
    sim_truth t;
    build(1, "default", &t);
    sim_render_opts full = {.small = 0}, small = {.small = 1};
    prep_buf a, b;
    prep_buf_init(&a);
    prep_buf_init(&b);
    prep_err err = {0};
    int c = cat.ncasillas / 3;
    for (int kind = SIM_IMG_FOTO; kind <= SIM_IMG_ESCANER; kind++) {
        for (int sz = 0; sz <= 1; sz++) {
            const sim_render_opts *o = sz ? &small : &full, *other = sz ? &full : &small;
            assert_int_equal(sim_render_acta(&t, 0, c, kind, o, &a, &err), 0);
            assert_int_equal(sim_render_acta(&t, 0, c, kind, other, &b, &err), 0);
            assert_int_equal(sim_render_acta(&t, 2, 0, SIM_IMG_FOTO, o, &b, &err), 0);
            assert_int_equal(sim_render_acta(&t, 0, c, kind, o, &b, &err), 0);
            assert_int_equal(a.len, b.len);
            assert_memory_equal(a.data, b.data, a.len);
        }
    }
    prep_buf_free(&a);
    prep_buf_free(&b);
    sim_truth_free(&t);
}

/* The drill's default corte cadence: every minute, every 5 minutes at
 * national size (drill.c says why). */
static void corte_cadence_by_size(void **state)
{
    (void)state;
    prep_catalog big = cat;
    assert_int_equal(sim_corte_every_default(&cat), 60);
    big.ncasillas = SIM_NATIONAL_CASILLAS + 1;
    assert_int_equal(sim_corte_every_default(&big), 300);
    big.ncasillas = SIM_NATIONAL_CASILLAS;
    assert_int_equal(sim_corte_every_default(&big), 60);
}

static void render_normal(void **state)
{
    (void)state;
    render_reads_back(0);
}

static void render_small(void **state)
{
    (void)state;
    render_reads_back(1);
}

static void fault_presets(void **state)
{
    (void)state;
    sim_faults f;
    assert_int_equal(sim_faults_preset("none", &f), 0);
    for (int k = 0; k < SIM_FAULT__COUNT; k++)
        assert_true(f.rate[k] == 0);
    assert_int_equal(sim_faults_preset("heavy", &f), 0);
    assert_true(f.at_least_one);
    assert_int_equal(sim_faults_preset("lots", &f), -1);
    for (int k = 0; k < SIM_FAULT__COUNT; k++) {
        assert_string_not_equal(sim_fault_code(k), "?");
        assert_string_not_equal(sim_fault_desc(k), "?");
    }
    sim_truth t;
    build(1, "none", &t);
    int64_t counts[SIM_FAULT__COUNT];
    sim_truth_fault_counts(&t, counts);
    for (int k = 0; k < SIM_FAULT__COUNT; k++)
        assert_int_equal(counts[k], 0);
    sim_truth_free(&t);
}

/* --ties: the unit's published totals (tally.h over the counted actas) end
 * exactly equal, the 13 summary fields do not move, bad units are refused. */
static void ties_make_units_tied(void **state)
{
    (void)state;
    prep_err err = {0};
    for (int place = 1; place <= 2; place++)
        for (int e = 0; e < cat.nelecciones; e++) {
            sim_truth t;
            build(3, "default", &t);
            prep_summary before, after;
            sim_expect_summary(&t, e, &before);
            int u = prep_catalog_nunidades(&cat, e) - 1;
            char spec[64];
            snprintf(spec, sizeof spec, "%s:%d:%d", cat.elecciones[e].codigo,
                     prep_catalog_unidad_id(&cat, e, u), place);
            prep_candidatos pc;
            assert_int_equal(sim_unit_candidatos(&t, e, u, &pc, &err), 0);
            if (pc.n < place + 1) {
                sim_truth_free(&t);
                continue;
            }
            assert_int_equal(sim_truth_ties(&t, spec, &err), 0);
            assert_int_equal(sim_unit_candidatos(&t, e, u, &pc, &err), 0);
            assert_int_equal(pc.c[place - 1].votos, pc.c[place].votos);
            assert_true(pc.c[place].votos > 0);
            if (place == 1)
                assert_true(pc.empate && pc.nempate >= 2);
            else
                assert_true(pc.c[0].votos > pc.c[1].votos);
            sim_expect_summary(&t, e, &after);
            assert_memory_equal(&before, &after, sizeof before);
            sim_truth_free(&t);
        }
    sim_truth t;
    build(3, "default", &t);
    assert_int_equal(sim_truth_ties(&t, "NOPE:1", &err), -1);
    assert_int_equal(sim_truth_ties(&t, "DIP:99999", &err), -1);
    assert_int_equal(sim_truth_ties(&t, "DIP:1:3", &err), -1);
    sim_truth_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(truth_is_deterministic), cmocka_unit_test(faults_mean_what_they_say),
        cmocka_unit_test(expected_summary_adds_up), cmocka_unit_test(render_normal),
        cmocka_unit_test(render_small),           cmocka_unit_test(render_reuses_surfaces),
        cmocka_unit_test(fault_presets), cmocka_unit_test(ties_make_units_tied),
        cmocka_unit_test(corte_cadence_by_size),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
