/* test_tally.c — the tallies on a small election computed by hand (see the
 * table in each test): every summary field, participación during operation
 * vs the final corte, fuera de catálogo, merging levels, candidate totals
 * with a coalition and its combinations, a unit without the coalition, a CI,
 * Empate for first place in boleta order and a tie for second (no Empate). */
#include "test_util.h"

#include "core/rules.h"
#include "core/tally.h"

#define NA PREP_V_NA
#define IL PREP_V_ILEGIBLE

/* The election night, acta by acta (columns PAN PRI PRD MC MORENA PAN_PRI_PRD
 * PAN_PRI PAN_PRD PRI_PRD CAND_IND_1 | NO_REG NULOS):
 *
 * c0 090100B0100 LN 500 rep 10 (limit 510)
 *    100 50 20 30 120 5 4 3 2 40 | 1 10          total 385  contabilizada
 * c1 090100C0100 LN 400 rep 10 (limit 410)
 *    Ilegible 30 10 20 90 1 1 1 1 15 | 0 5       total 174  contabilizada, ALGUN ILEGIBLE
 * c2 090100S0100 especial, boletas 750 rep 10 (limit 760), LN 0
 *    60 20 5 25 85 2 0 0 0 3 | 0 0               total 200  contabilizada (especial)
 * c3 090200B0100 LN 600 rep 8 (limit 608)
 *    300 200 100 10 5 - - - - - | 0 0            total 615  EXCEDE LISTA NOMINAL
 * c4 090200C0100 sin acta, paquete no entregado
 * plus one acta fuera de catálogo.
 *
 * Summary: esperadas 5, capturadas 5, fuera 1, registradas 6, contabilizadas
 * 3, no contabilizadas 2, inconsistentes 2 (c1, c3), LN 500+400+0 = 900,
 * C_CS 385+174+200 = 759, S_CS 385+174 = 559.
 * Percentages: capturadas 5/5 = 100.0000, contabilizadas 3/5 = 60.0000,
 * inconsistencias 2/5 = 40.0000, participación during operation
 * 559×100/900 = 62.1111, final 759×100/900 = 84.3333 (truncated). */
static prep_val acta[5][T_NFIELDS];
static prep_rule_result res[5];
static prep_catalog cat;

static int setup(void **state)
{
    (void)state;
    t_catalog(&cat);
    t_vals(acta[0], T_NCOLS, 100, 50, 20, 30, 120, 5, 4, 3, 2, 40, 1, 10);
    t_vals(acta[1], T_NCOLS, IL, 30, 10, 20, 90, 1, 1, 1, 1, 15, 0, 5);
    t_vals(acta[2], T_NCOLS, 60, 20, 5, 25, 85, 2, 0, 0, 0, 3, 0, 0);
    t_vals(acta[3], T_NCOLS, 300, 200, 100, 10, 5, NA, NA, NA, NA, NA, 0, 0);
    for (int i = 0; i < 4; i++) {
        prep_rule_limits lim;
        prep_tally_limits(&cat.casillas[i], &lim);
        prep_rules_eval(acta[i], T_NCOLS, &lim, &res[i]);
    }
    prep_rules_sin_acta(PREP_SIN_ACTA_NO_ENTREGADO, &res[4]);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    prep_catalog_free(&cat);
    return 0;
}

static void test_fixture_is_what_the_table_says(void **state)
{
    (void)state;
    assert_string_equal(cat.casillas[0].clave, "090100B0100");
    assert_string_equal(cat.casillas[2].clave, "090100S0100");
    assert_string_equal(cat.casillas[4].clave, "090200C0100");
    static const int64_t total[4] = {385, 174, 200, 615};
    static const int contab[5] = {1, 1, 1, 0, 0};
    static const int incons[5] = {0, 1, 0, 1, 0};
    for (int i = 0; i < 5; i++) {
        if (i < 4)
            assert_int_equal(res[i].total_calculado, total[i]);
        assert_int_equal(res[i].contabilizada, contab[i]);
        assert_int_equal(res[i].inconsistente, incons[i]);
    }
    assert_int_equal(res[3].obs, PREP_OBS_EXCEDE_LN);
}

static void add_all(prep_summary *s)
{
    for (int i = 0; i < 5; i++)
        prep_summary_add(s, &res[i], cat.casillas[i].lista_nominal, cat.casillas[i].tipo == 'S');
    prep_summary_add_fuera(s);
}

static void test_summary_fields(void **state)
{
    (void)state;
    prep_summary s;
    memset(&s, 0x5a, sizeof s);
    prep_summary_init(&s, cat.ncasillas);
    add_all(&s);
    prep_summary_compute(&s, 0);
    assert_int_equal(s.esperadas, 5);
    assert_int_equal(s.registradas, 6);
    assert_int_equal(s.fuera_catalogo, 1);
    assert_int_equal(s.capturadas, 5);
    assert_int_equal(s.contabilizadas, 3);
    assert_int_equal(s.no_contabilizadas, 2);
    assert_int_equal(s.inconsistentes, 2);
    assert_int_equal(s.lista_nominal, 900);
    assert_int_equal(s.votos_c_cs, 759);
    assert_int_equal(s.votos_s_cs, 559);
    assert_int_equal(s.pct_capturadas, 1000000);
    assert_int_equal(s.pct_contabilizadas, 600000);
    assert_int_equal(s.pct_inconsistencias, 400000);
    assert_int_equal(s.pct_participacion, 621111);
    assert_int_equal(s.final, 0);
    /* Formulas hold. */
    assert_int_equal(s.registradas, s.capturadas + s.fuera_catalogo);
    assert_int_equal(s.no_contabilizadas, s.capturadas - s.contabilizadas);
}

static void test_participacion_final(void **state)
{
    (void)state;
    prep_summary s;
    prep_summary_init(&s, 5);
    add_all(&s);
    prep_summary_compute(&s, 1);
    assert_int_equal(s.final, 1);
    assert_int_equal(s.pct_participacion, 843333);
    /* The other percentages do not depend on the flag. */
    assert_int_equal(s.pct_contabilizadas, 600000);
    /* And back: computing again for operation gives the operation value. */
    prep_summary_compute(&s, 0);
    assert_int_equal(s.pct_participacion, 621111);
}

static void test_csv_lines(void **state)
{
    (void)state;
    prep_summary s;
    prep_summary_init(&s, 5);
    add_all(&s);
    prep_summary_compute(&s, 0);
    char buf[512];
    const char *names = "ACTAS_ESPERADAS,ACTAS_REGISTRADAS,ACTAS_FUERA_CATALOGO,"
                        "ACTAS_CAPTURADAS,PORCENTAJE_ACTAS_CAPTURADAS,ACTAS_CONTABILIZADAS,"
                        "PORCENTAJE_ACTAS_CONTABILIZADAS,PORCENTAJE_ACTAS_INCONSISTENCIAS,"
                        "ACTAS_NO_CONTABILIZADAS,LISTA_NOMINAL_ACTAS_CONTABILIZADAS,"
                        "TOTAL_VOTOS_C_CS,TOTAL_VOTOS_S_CS,PORCENTAJE_PARTICIPACION_CIUDADANA";
    assert_int_equal(prep_summary_header_line(buf, sizeof buf), strlen(names));
    assert_string_equal(buf, names);
    const char *values = "5,6,1,5,100.0000,3,60.0000,40.0000,2,900,759,559,62.1111";
    assert_int_equal(prep_summary_values_line(&s, buf, sizeof buf), strlen(values));
    assert_string_equal(buf, values);
    prep_summary_compute(&s, 1);
    prep_summary_values_line(&s, buf, sizeof buf);
    assert_string_equal(buf, "5,6,1,5,100.0000,3,60.0000,40.0000,2,900,759,559,84.3333");

    /* Field by field, and a bad index. */
    char f[24];
    assert_string_equal(prep_summary_field(&s, 0, f, sizeof f), "5");
    assert_string_equal(prep_summary_field(&s, 4, f, sizeof f), "100.0000");
    assert_string_equal(prep_summary_field(&s, 12, f, sizeof f), "84.3333");
    assert_null(prep_summary_field(&s, 13, f, sizeof f));
    assert_null(prep_summary_field(&s, -1, f, sizeof f));
    assert_string_equal(prep_summary_names[9], "LISTA_NOMINAL_ACTAS_CONTABILIZADAS");

    /* A short buffer keeps whole fields only and reports the length needed. */
    char small[10];
    assert_int_equal(prep_summary_values_line(&s, small, sizeof small), strlen(values));
    assert_string_equal(small, "5,6,1,5");
    char z = 'z';
    assert_int_equal(prep_summary_header_line(&z, 0), strlen(names));
    assert_int_equal(z, 'z');
}

static void test_empty_summary(void **state)
{
    (void)state;
    /* Before any acta arrives, and with 0 esperadas: all zeros, no division. */
    prep_summary s;
    prep_summary_init(&s, 0);
    prep_summary_compute(&s, 0);
    char buf[256];
    prep_summary_values_line(&s, buf, sizeof buf);
    assert_string_equal(buf, "0,0,0,0,0.0000,0,0.0000,0.0000,0,0,0,0,0.0000");
    prep_summary_init(&s, 40000);
    prep_summary_compute(&s, 1);
    prep_summary_values_line(&s, buf, sizeof buf);
    assert_string_equal(buf, "40000,0,0,0,0.0000,0,0.0000,0.0000,0,0,0,0,0.0000");
}

static void test_fuera_only_in_registradas(void **state)
{
    (void)state;
    prep_summary s;
    prep_summary_init(&s, 5);
    prep_summary_add_fuera(&s);
    prep_summary_add_fuera(&s);
    prep_summary_compute(&s, 1);
    assert_int_equal(s.registradas, 2);
    assert_int_equal(s.fuera_catalogo, 2);
    assert_int_equal(s.capturadas, 0);
    assert_int_equal(s.contabilizadas, 0);
    assert_int_equal(s.no_contabilizadas, 0);
    assert_int_equal(s.inconsistentes, 0);
    assert_int_equal(s.pct_capturadas, 0);
    assert_int_equal(s.pct_inconsistencias, 0);
    assert_int_equal(s.lista_nominal, 0);
    assert_int_equal(s.votos_c_cs, 0);
}

static void test_sin_acta_counts_as_capturada(void **state)
{
    (void)state;
    prep_summary s;
    prep_summary_init(&s, 1);
    prep_summary_add(&s, &res[4], 300, 0);
    prep_summary_compute(&s, 0);
    assert_int_equal(s.capturadas, 1);
    assert_int_equal(s.registradas, 1);
    assert_int_equal(s.contabilizadas, 0);
    assert_int_equal(s.no_contabilizadas, 1);
    assert_int_equal(s.inconsistentes, 0);
    assert_int_equal(s.lista_nominal, 0); /* LN only of contabilizadas */
}

static void test_vote_sums(void **state)
{
    (void)state;
    prep_votes v;
    prep_votes_init(&v, T_NCOLS);
    static const int added[5] = {1, 1, 1, 0, 0};
    for (int i = 0; i < 5; i++)
        assert_int_equal(prep_votes_add(&v, i < 4 ? acta[i] : NULL, &res[i]), added[i]);
    /* Distrito 1 (c0 + c1 + c2), by hand. */
    static const int64_t col[T_NCOLS] = {160, 100, 35, 75, 295, 8, 5, 4, 3, 58};
    for (int c = 0; c < T_NCOLS; c++)
        assert_int_equal(v.col[c], col[c]);
    assert_int_equal(v.no_registradas, 1);
    assert_int_equal(v.nulos, 15);
    assert_int_equal(v.total, 759);
    assert_int_equal(v.actas, 3);
}

static void test_votes_need_values(void **state)
{
    (void)state;
    /* A contabilizada result without values adds nothing (defensive). */
    prep_votes v;
    prep_votes_init(&v, T_NCOLS);
    assert_int_equal(prep_votes_add(&v, NULL, &res[0]), 0);
    assert_int_equal(v.total, 0);
    assert_int_equal(v.actas, 0);
}

static void test_votes_init_clamps(void **state)
{
    (void)state;
    prep_votes v;
    prep_votes_init(&v, -3);
    assert_int_equal(v.ncols, 0);
    prep_votes_init(&v, PREP_MAX_COLS + 10);
    assert_int_equal(v.ncols, PREP_MAX_COLS);
}

static void test_merge_levels(void **state)
{
    (void)state;
    /* Casilla tallies → sección (= distrito here) → entidad, against the
     * same actas added directly to one entidad tally. */
    prep_tally cas[5], dis[2], ent, direct;
    prep_err err = {0};
    for (int i = 0; i < 5; i++) {
        prep_tally_init(&cas[i], T_NCOLS, 1);
        prep_tally_add(&cas[i], i < 4 ? acta[i] : NULL, &res[i], &cat.casillas[i]);
    }
    prep_tally_init(&dis[0], T_NCOLS, 0);
    prep_tally_init(&dis[1], T_NCOLS, 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(prep_tally_merge(&dis[i < 3 ? 0 : 1], &cas[i], &err), 0);
    prep_tally_init(&ent, T_NCOLS, 0);
    assert_int_equal(prep_tally_merge(&ent, &dis[0], &err), 0);
    assert_int_equal(prep_tally_merge(&ent, &dis[1], &err), 0);
    prep_tally_add_fuera(&ent); /* fuera de catálogo has no unit: entidad only */

    prep_tally_init(&direct, T_NCOLS, 5);
    for (int i = 0; i < 5; i++)
        prep_tally_add(&direct, i < 4 ? acta[i] : NULL, &res[i], &cat.casillas[i]);
    prep_tally_add_fuera(&direct);

    for (int d = 0; d < 2; d++)
        prep_summary_compute(&dis[d].s, 0);
    prep_summary_compute(&ent.s, 0);
    prep_summary_compute(&direct.s, 0);

    /* Distrito 1 by hand: 3 esperadas, all contabilizadas, c1 inconsistente. */
    assert_int_equal(dis[0].s.esperadas, 3);
    assert_int_equal(dis[0].s.capturadas, 3);
    assert_int_equal(dis[0].s.contabilizadas, 3);
    assert_int_equal(dis[0].s.inconsistentes, 1);
    assert_int_equal(dis[0].s.pct_inconsistencias, 333333);
    assert_int_equal(dis[0].s.lista_nominal, 900);
    assert_int_equal(dis[0].s.votos_c_cs, 759);
    assert_int_equal(dis[0].s.votos_s_cs, 559);
    assert_int_equal(dis[0].v.total, 759);
    /* Distrito 2 by hand: 2 esperadas, none contabilizada. */
    assert_int_equal(dis[1].s.esperadas, 2);
    assert_int_equal(dis[1].s.capturadas, 2);
    assert_int_equal(dis[1].s.contabilizadas, 0);
    assert_int_equal(dis[1].s.no_contabilizadas, 2);
    assert_int_equal(dis[1].s.pct_inconsistencias, 500000);
    assert_int_equal(dis[1].s.pct_participacion, 0);
    assert_int_equal(dis[1].v.total, 0);
    assert_int_equal(dis[1].v.actas, 0);

    /* Entidad: the same as counting directly. */
    char a[256], b[256];
    prep_summary_values_line(&ent.s, a, sizeof a);
    prep_summary_values_line(&direct.s, b, sizeof b);
    assert_string_equal(a, "5,6,1,5,100.0000,3,60.0000,40.0000,2,900,759,559,62.1111");
    assert_string_equal(a, b);
    assert_memory_equal(ent.v.col, direct.v.col, sizeof ent.v.col);
    assert_int_equal(ent.v.total, direct.v.total);
    assert_int_equal(ent.v.nulos, 15);
}

static void test_merge_mismatch_refused(void **state)
{
    (void)state;
    prep_tally a, b;
    prep_err err = {0};
    prep_tally_init(&a, T_NCOLS, 5);
    prep_tally_add(&a, acta[0], &res[0], &cat.casillas[0]);
    prep_tally_init(&b, 3, 9);
    b.v.col[0] = 7;
    prep_tally before = a;
    assert_int_equal(prep_tally_merge(&a, &b, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    assert_int_equal(a.s.esperadas, before.s.esperadas);
    assert_int_equal(a.s.capturadas, before.s.capturadas);
    assert_memory_equal(a.v.col, before.v.col, sizeof a.v.col);
    assert_int_equal(a.v.total, before.v.total);
    assert_int_equal(prep_votes_merge(&a.v, &b.v, &err), -1);
}

static void test_limits(void **state)
{
    (void)state;
    prep_rule_limits l;
    prep_tally_limits(&cat.casillas[2], &l); /* 090100S0100 */
    assert_int_equal(l.especial, 1);
    assert_int_equal(l.boletas, 750);
    assert_int_equal(l.representantes, 10);
    assert_int_equal(l.lista_nominal, 0);
    prep_tally_limits(&cat.casillas[3], &l); /* 090200B0100 */
    assert_int_equal(l.especial, 0);
    assert_int_equal(l.lista_nominal, 600);
    assert_int_equal(l.representantes, 8);
}

/* Column sums of one unit, by hand. */
static void votes_of(prep_votes *v, const int64_t col[T_NCOLS], int64_t noreg, int64_t nulos)
{
    prep_votes_init(v, T_NCOLS);
    v->total = noreg + nulos;
    for (int c = 0; c < T_NCOLS; c++) {
        v->col[c] = col[c];
        v->total += col[c];
    }
    v->no_registradas = noreg;
    v->nulos = nulos;
}

static void test_candidates_with_coalition(void **state)
{
    (void)state;
    /* Distrito 1 from the actas: coalition PAN_PRI_PRD = 160+100+35+8+5+4+3
     * = 315, MORENA 295, MC 75, CAND_IND_1 58; total 759 (incl. 1 no
     * registradas and 15 nulos). 315/759 = 41.5019 %, 295/759 = 38.8669 %,
     * 75/759 = 9.8814 %, 58/759 = 7.6416 %, 1/759 = 0.1317 %, 15/759 = 1.9762 %. */
    prep_votes v;
    prep_votes_init(&v, T_NCOLS);
    for (int i = 0; i < 3; i++)
        prep_votes_add(&v, acta[i], &res[i]);
    prep_candidatos k;
    prep_err err = {0};
    assert_int_equal(prep_candidatos_unidad(&cat, 0, 0, &v, &k, &err), 0);
    assert_int_equal(k.n, 4);
    assert_int_equal(k.total, 759);
    assert_string_equal(k.c[0].siglas, "PAN_PRI_PRD");
    assert_int_equal(k.c[0].tipo, PREP_CAND_COALICION);
    assert_int_equal(k.c[0].coalicion, 0);
    assert_int_equal(k.c[0].col, T_PAN);
    assert_int_equal(k.c[0].votos, 315);
    assert_int_equal(k.c[0].pct_e4, 415019);
    uint64_t coal = (1u << T_PAN) | (1u << T_PRI) | (1u << T_PRD) | (1u << T_PAN_PRI_PRD) |
                    (1u << T_PAN_PRI) | (1u << T_PAN_PRD) | (1u << T_PRI_PRD);
    assert_int_equal(k.c[0].cols, coal);
    assert_string_equal(k.c[1].siglas, "MORENA");
    assert_int_equal(k.c[1].tipo, PREP_CAND_PARTIDO);
    assert_int_equal(k.c[1].coalicion, -1);
    assert_int_equal(k.c[1].votos, 295);
    assert_int_equal(k.c[1].pct_e4, 388669);
    assert_int_equal(k.c[1].cols, 1u << T_MORENA);
    assert_string_equal(k.c[2].siglas, "MC");
    assert_int_equal(k.c[2].votos, 75);
    assert_int_equal(k.c[2].pct_e4, 98814);
    assert_string_equal(k.c[3].siglas, "CAND_IND_1");
    assert_int_equal(k.c[3].tipo, PREP_CAND_CI);
    assert_int_equal(k.c[3].col, T_CI1);
    assert_int_equal(k.c[3].votos, 58);
    assert_int_equal(k.c[3].pct_e4, 76416);
    assert_int_equal(k.no_registradas, 1);
    assert_int_equal(k.nulos, 15);
    assert_int_equal(k.pct_no_registradas, 1317);
    assert_int_equal(k.pct_nulos, 19762);
    assert_int_equal(k.empate, 0);
    assert_int_equal(k.nempate, 0);
    /* The candidatura of the coalition is the one of its first column. */
    const prep_candidatura *name = prep_eleccion_candidatura(&cat.elecciones[0], 0, k.c[0].col);
    assert_non_null(name);
    assert_string_equal(name->propietaria, "PROPIETARIA D1 C0");
}

static void test_candidates_without_coalition(void **state)
{
    (void)state;
    /* Distrito 2: no coalition (its combinations do not apply) and no CI:
     * five parties alone, in vote order. Total 300+200+100+10+5 + 4 no
     * registradas + 6 nulos = 625. */
    static const int64_t col[T_NCOLS] = {300, 200, 100, 10, 5, 0, 0, 0, 0, 0};
    prep_votes v;
    votes_of(&v, col, 4, 6);
    prep_candidatos k;
    prep_err err = {0};
    assert_int_equal(prep_candidatos_unidad(&cat, 0, 1, &v, &k, &err), 0);
    assert_int_equal(k.n, 5);
    static const char *const order[5] = {"PAN", "PRI", "PRD", "MC", "MORENA"};
    static const int64_t votos[5] = {300, 200, 100, 10, 5};
    static const int64_t pct[5] = {480000, 320000, 160000, 16000, 8000}; /* over 625 */
    for (int i = 0; i < 5; i++) {
        assert_string_equal(k.c[i].siglas, order[i]);
        assert_int_equal(k.c[i].tipo, PREP_CAND_PARTIDO);
        assert_int_equal(k.c[i].coalicion, -1);
        assert_int_equal(k.c[i].votos, votos[i]);
        assert_int_equal(k.c[i].pct_e4, pct[i]);
    }
    assert_int_equal(k.total, 625);
    assert_int_equal(k.empate, 0);
}

static void test_empate_first_place(void **state)
{
    (void)state;
    prep_candidatos k;
    prep_err err = {0};
    prep_votes v;
    /* Distrito 1: MORENA 120 and MC 120 lead; coalition 50+10+5+5 = 70; CI 119.
     * Boleta order puts MC (column 3) before MORENA (column 4). */
    static const int64_t a[T_NCOLS] = {50, 10, 5, 120, 120, 5, 0, 0, 0, 119};
    votes_of(&v, a, 0, 0);
    assert_int_equal(prep_candidatos_unidad(&cat, 0, 0, &v, &k, &err), 0);
    assert_int_equal(k.empate, 1);
    assert_int_equal(k.nempate, 2);
    assert_string_equal(k.c[0].siglas, "MC");
    assert_string_equal(k.c[1].siglas, "MORENA");
    assert_string_equal(k.c[2].siglas, "CAND_IND_1");
    assert_string_equal(k.c[3].siglas, "PAN_PRI_PRD");

    /* The CI (last column) ties with the coalition (first column): the
     * coalition is listed first whatever the sort sees first. */
    static const int64_t b[T_NCOLS] = {30, 30, 10, 1, 2, 0, 0, 0, 0, 70};
    votes_of(&v, b, 0, 3);
    assert_int_equal(prep_candidatos_unidad(&cat, 0, 0, &v, &k, &err), 0);
    assert_int_equal(k.empate, 1);
    assert_int_equal(k.nempate, 2);
    assert_string_equal(k.c[0].siglas, "PAN_PRI_PRD");
    assert_string_equal(k.c[1].siglas, "CAND_IND_1");
    assert_int_equal(k.c[0].pct_e4, k.c[1].pct_e4);

    /* Three-way tie in distrito 2. */
    static const int64_t c[T_NCOLS] = {9, 40, 40, 3, 40, 0, 0, 0, 0, 0};
    votes_of(&v, c, 0, 0);
    assert_int_equal(prep_candidatos_unidad(&cat, 0, 1, &v, &k, &err), 0);
    assert_int_equal(k.empate, 1);
    assert_int_equal(k.nempate, 3);
    assert_string_equal(k.c[0].siglas, "PRI");
    assert_string_equal(k.c[1].siglas, "PRD");
    assert_string_equal(k.c[2].siglas, "MORENA");
    assert_string_equal(k.c[3].siglas, "PAN");
}

static void test_tie_for_second_is_not_empate(void **state)
{
    (void)state;
    prep_candidatos k;
    prep_err err = {0};
    prep_votes v;
    /* Coalition 100+0+0 = 100 leads; MORENA 50 and MC 50 tie for second. */
    static const int64_t a[T_NCOLS] = {100, 0, 0, 50, 50, 0, 0, 0, 0, 10};
    votes_of(&v, a, 0, 0);
    assert_int_equal(prep_candidatos_unidad(&cat, 0, 0, &v, &k, &err), 0);
    assert_int_equal(k.empate, 0);
    assert_int_equal(k.nempate, 0);
    assert_string_equal(k.c[0].siglas, "PAN_PRI_PRD");
    assert_string_equal(k.c[1].siglas, "MC");
    assert_string_equal(k.c[2].siglas, "MORENA");
    assert_string_equal(k.c[3].siglas, "CAND_IND_1");
}

static void test_no_votes_no_empate(void **state)
{
    (void)state;
    /* Before any acta counts, everyone has 0: no Empate, boleta order, 0 %. */
    prep_candidatos k;
    prep_err err = {0};
    prep_votes v;
    prep_votes_init(&v, T_NCOLS);
    assert_int_equal(prep_candidatos_unidad(&cat, 0, 0, &v, &k, &err), 0);
    assert_int_equal(k.n, 4);
    assert_int_equal(k.empate, 0);
    assert_string_equal(k.c[0].siglas, "PAN_PRI_PRD");
    assert_string_equal(k.c[1].siglas, "MC");
    assert_string_equal(k.c[2].siglas, "MORENA");
    assert_string_equal(k.c[3].siglas, "CAND_IND_1");
    assert_int_equal(k.c[0].pct_e4, 0);
}

static void test_candidates_bad_input(void **state)
{
    (void)state;
    prep_candidatos k;
    prep_err err = {0};
    prep_votes v;
    prep_votes_init(&v, T_NCOLS);
    assert_int_equal(prep_candidatos_unidad(&cat, 1, 0, &v, &k, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    assert_int_equal(prep_candidatos_unidad(&cat, -1, 0, &v, &k, &err), -1);
    assert_int_equal(prep_candidatos_unidad(&cat, 0, 2, &v, &k, &err), -1);
    assert_int_equal(prep_candidatos_unidad(&cat, 0, -1, &v, &k, &err), -1);
    /* A catalog that was never finished has no applicability matrix. */
    prep_catalog raw;
    t_catalog_fill(&raw);
    err.code = PREP_OK;
    assert_int_equal(prep_candidatos_unidad(&raw, 0, 0, &v, &k, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
    prep_catalog_free(&raw);
    prep_votes_init(&v, T_NCOLS - 1);
    err.code = PREP_OK;
    assert_int_equal(prep_candidatos_unidad(&cat, 0, 0, &v, &k, &err), -1);
    assert_int_equal(err.code, PREP_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_is_what_the_table_says),
        cmocka_unit_test(test_summary_fields),
        cmocka_unit_test(test_participacion_final),
        cmocka_unit_test(test_csv_lines),
        cmocka_unit_test(test_empty_summary),
        cmocka_unit_test(test_fuera_only_in_registradas),
        cmocka_unit_test(test_sin_acta_counts_as_capturada),
        cmocka_unit_test(test_vote_sums),
        cmocka_unit_test(test_votes_need_values),
        cmocka_unit_test(test_votes_init_clamps),
        cmocka_unit_test(test_merge_levels),
        cmocka_unit_test(test_merge_mismatch_refused),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_candidates_with_coalition),
        cmocka_unit_test(test_candidates_without_coalition),
        cmocka_unit_test(test_empate_first_place),
        cmocka_unit_test(test_tie_for_second_is_not_empate),
        cmocka_unit_test(test_no_votes_no_empate),
        cmocka_unit_test(test_candidates_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
