/* nist.c — NIST SP 1500-100 v2 ERR export of a corte (see nist.h), built
 * with jansson using the schema's element names. Candidates and the grouping
 * of columns into candidaturas come from prep_candidatos_unidad(), the same
 * function the site uses, so a coalition is one Candidate whose selections
 * are its parties' and combinations' columns. */
#include "publish/nist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/tally.h"
#include "util/version.h"

#define T(name) json_string("ElectionResults." name)

static json_t *itext(const char *s)
{
    return json_pack("{s:o, s:[{s:o, s:s, s:s}]}", "@type", T("InternationalizedText"), "Text",
                     "@type", T("LanguageString"), "Content", s, "Language", "es");
}

static void id_ent(char *b, size_t n, int ent)
{
    snprintf(b, n, "gp-ent-%02d", ent);
}

static void id_unit(char *b, size_t n, const prep_catalog *cat, int e, int u)
{
    const prep_eleccion *el = &cat->elecciones[e];
    if (el->unidad == PREP_UNIDAD_DISTRITO)
        snprintf(b, n, "gp-dis-%02d-%02d", cat->distritos[u].entidad, cat->distritos[u].id);
    else if (el->unidad == PREP_UNIDAD_DEMARCACION)
        snprintf(b, n, "gp-dem-%02d-%03d", cat->demarcaciones[u].entidad,
                 cat->demarcaciones[u].id);
    else
        id_ent(b, n, cat->entidades[u].id);
}

static json_t *reporting_unit(const char *id, const char *type, const char *name,
                              const char *number, int64_t registered, json_t *composing)
{
    json_t *o = json_pack("{s:o, s:s, s:s, s:s, s:s, s:I}", "@type", T("ReportingUnit"), "@id",
                          id, "Type", type, "Name", name, "Number", number, "VotersRegistered",
                          (json_int_t)registered);
    if (composing)
        json_object_set_new(o, "ComposingGpUnitIds", composing);
    return o;
}

static json_t *gp_units(const prep_catalog *cat)
{
    json_t *arr = json_array();
    int federal = strstr(cat->proceso, "FEDERAL") != NULL;
    int64_t *ln_ent = calloc((size_t)cat->nentidades, sizeof *ln_ent);
    int64_t *ln_dis = calloc((size_t)cat->ndistritos + 1, sizeof *ln_dis);
    int64_t *ln_dem = calloc((size_t)cat->ndemarcaciones + 1, sizeof *ln_dem);
    if (!arr || !ln_ent || !ln_dis || !ln_dem) {
        free(ln_ent);
        free(ln_dis);
        free(ln_dem);
        json_decref(arr);
        return NULL;
    }
    int64_t ln_all = 0;
    for (int c = 0; c < cat->ncasillas; c++) {
        const prep_casilla *k = &cat->casillas[c];
        const prep_seccion *s = &cat->secciones[k->seccion_idx];
        int ei = prep_catalog_find_entidad(cat, k->entidad);
        if (ei >= 0)
            ln_ent[ei] += k->lista_nominal;
        ln_dis[s->distrito] += k->lista_nominal;
        ln_dem[s->demarcacion] += k->lista_nominal;
        ln_all += k->lista_nominal;
    }
    char id[48], num[16];
    if (cat->nentidades > 1) {
        json_t *comp = json_array();
        for (int i = 0; i < cat->nentidades; i++) {
            id_ent(id, sizeof id, cat->entidades[i].id);
            json_array_append_new(comp, json_string(id));
        }
        json_array_append_new(arr, reporting_unit("gp-mx", "country", "MÉXICO", "0", ln_all, comp));
    }
    for (int i = 0; i < cat->nentidades; i++) {
        const prep_entidad *en = &cat->entidades[i];
        json_t *comp = json_array();
        for (int d = 0; d < cat->ndistritos; d++)
            if (cat->distritos[d].entidad == en->id) {
                snprintf(id, sizeof id, "gp-dis-%02d-%02d", en->id, cat->distritos[d].id);
                json_array_append_new(comp, json_string(id));
            }
        for (int d = 0; d < cat->ndemarcaciones; d++)
            if (cat->demarcaciones[d].entidad == en->id) {
                snprintf(id, sizeof id, "gp-dem-%02d-%03d", en->id, cat->demarcaciones[d].id);
                json_array_append_new(comp, json_string(id));
            }
        id_ent(id, sizeof id, en->id);
        snprintf(num, sizeof num, "%02d", en->id);
        json_array_append_new(arr, reporting_unit(id, "state", en->nombre, num, ln_ent[i], comp));
    }
    for (int d = 0; d < cat->ndistritos; d++) {
        const prep_unidad *u = &cat->distritos[d];
        snprintf(id, sizeof id, "gp-dis-%02d-%02d", u->entidad, u->id);
        snprintf(num, sizeof num, "%d", u->id);
        json_array_append_new(arr, reporting_unit(id, federal ? "congressional" : "state-house",
                                                  u->nombre, num, ln_dis[d], NULL));
    }
    for (int d = 0; d < cat->ndemarcaciones; d++) {
        const prep_unidad *u = &cat->demarcaciones[d];
        snprintf(id, sizeof id, "gp-dem-%02d-%03d", u->entidad, u->id);
        snprintf(num, sizeof num, "%d", u->id);
        json_array_append_new(arr, reporting_unit(id, "municipality", u->nombre, num, ln_dem[d],
                                                  NULL));
    }
    free(ln_ent);
    free(ln_dis);
    free(ln_dem);
    return arr;
}

static void id_party(char *b, size_t n, const char *siglas)
{
    snprintf(b, n, "party-%s", siglas);
}

static void id_coal(char *b, size_t n, const prep_eleccion *el, int k)
{
    snprintf(b, n, "coalition-%s-%s", el->codigo, el->coaliciones[k].codigo);
}

/* Parties (deduplicated by name across elections) and coalitions. */
static json_t *parties(const prep_catalog *cat, json_t *coal_contests)
{
    json_t *arr = json_array(), *seen = json_object();
    char id[96];
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        for (int c = 0; c < el->ncols; c++) {
            if (el->cols[c].tipo != PREP_COL_PARTIDO || json_object_get(seen, el->cols[c].nombre))
                continue;
            json_object_set_new(seen, el->cols[c].nombre, json_true());
            id_party(id, sizeof id, el->cols[c].nombre);
            json_array_append_new(arr, json_pack("{s:o, s:s, s:s, s:o}", "@type", T("Party"),
                                                 "@id", id, "Abbreviation", el->cols[c].nombre,
                                                 "Name", itext(el->cols[c].nombre)));
        }
    }
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        for (int k = 0; k < el->ncoaliciones; k++) {
            json_t *pids = json_array();
            for (int p = 0; p < el->coaliciones[k].npartidos; p++) {
                id_party(id, sizeof id, el->cols[el->coaliciones[k].partidos[p]].nombre);
                json_array_append_new(pids, json_string(id));
            }
            id_coal(id, sizeof id, el, k);
            json_t *contests = json_object_get(coal_contests, id);
            contests = contests ? json_incref(contests) : json_array();
            json_array_append_new(
                arr, json_pack("{s:o, s:s, s:s, s:o, s:o, s:o}", "@type", T("Coalition"), "@id",
                               id, "Abbreviation", el->coaliciones[k].codigo, "Name",
                               itext(el->coaliciones[k].nombre), "PartyIds", pids, "ContestIds",
                               contests));
        }
    }
    json_decref(seen);
    return arr;
}

/* Endorsing parties of column c: the party itself, or the parties whose
 * names make up a combination's name ("PAN_PRI" -> PAN, PRI). */
static json_t *endorsements(const prep_eleccion *el, int c)
{
    json_t *arr = json_array();
    char id[96];
    if (el->cols[c].tipo == PREP_COL_PARTIDO) {
        id_party(id, sizeof id, el->cols[c].nombre);
        json_array_append_new(arr, json_string(id));
    } else if (el->cols[c].tipo == PREP_COL_COMBINACION && el->cols[c].coalicion >= 0) {
        const prep_coalicion *co = &el->coaliciones[el->cols[c].coalicion];
        char name[40];
        snprintf(name, sizeof name, "%s", el->cols[c].nombre);
        for (char *tok = strtok(name, "_"); tok; tok = strtok(NULL, "_"))
            for (int p = 0; p < co->npartidos; p++)
                if (strcmp(el->cols[co->partidos[p]].nombre, tok) == 0) {
                    id_party(id, sizeof id, tok);
                    json_array_append_new(arr, json_string(id));
                }
    }
    return arr;
}

static int contest(const prep_snapshot *s, int e, int u, const prep_pub_tally *t,
                   json_t *contests, json_t *candidates, json_t *coal_contests, prep_err *err)
{
    const prep_catalog *cat = s->cat;
    const prep_eleccion *el = &cat->elecciones[e];
    const prep_tally *ut = &t->unidad[u];
    prep_candidatos cs;
    if (prep_candidatos_unidad(cat, e, u, &ut->v, &cs, err) < 0)
        return -1;
    char gp[48], cid[64], name[2 * PREP_NAME_MAX + 8], id[128];
    id_unit(gp, sizeof gp, cat, e, u);
    snprintf(cid, sizeof cid, "contest-%s-%s", el->codigo, gp + 3);
    snprintf(name, sizeof name, "%s — %s", el->nombre, prep_catalog_unidad_nombre(cat, e, u));
    json_t *sels = json_array();
    /* Selections in boleta order; candidates in the order of the totals. */
    for (int c = 0; c < el->ncols; c++) {
        int owner = -1;
        for (int i = 0; i < cs.n; i++)
            if (cs.c[i].cols & (UINT64_C(1) << c))
                owner = i;
        if (owner < 0)
            continue;
        snprintf(id, sizeof id, "cand-%s-%s-%d", el->codigo, gp + 3, cs.c[owner].col);
        json_t *sel = json_pack(
            "{s:o, s:s, s:[s], s:i, s:[{s:o, s:s, s:s, s:I}]}", "@type", T("CandidateSelection"),
            "@id", "", "CandidateIds", id, "SequenceOrder", c + 1, "VoteCounts", "@type",
            T("VoteCounts"), "GpUnitId", gp, "Type", "total", "Count", (json_int_t)ut->v.col[c]);
        snprintf(id, sizeof id, "sel-%s-%s-%s", el->codigo, gp + 3, el->cols[c].nombre);
        json_object_set_new(sel, "@id", json_string(id));
        json_t *endo = endorsements(el, c);
        if (json_array_size(endo))
            json_object_set_new(sel, "EndorsementPartyIds", endo);
        else
            json_decref(endo);
        json_array_append_new(sels, sel);
    }
    for (int i = 0; i < cs.n; i++) {
        const prep_cand_total *ct = &cs.c[i];
        const prep_candidatura *k = prep_eleccion_candidatura(el, u, ct->col);
        snprintf(id, sizeof id, "cand-%s-%s-%d", el->codigo, gp + 3, ct->col);
        json_t *cand = json_pack("{s:o, s:s, s:o}", "@type", T("Candidate"), "@id", id,
                                 "BallotName", itext(k ? k->propietaria : ct->siglas));
        char pid[96] = "";
        if (ct->tipo == PREP_CAND_COALICION) {
            id_coal(pid, sizeof pid, el, ct->coalicion);
            json_t *list = json_object_get(coal_contests, pid);
            if (!list) {
                list = json_array();
                json_object_set_new(coal_contests, pid, list);
            }
            json_array_append_new(list, json_string(cid));
        } else if (ct->tipo == PREP_CAND_PARTIDO) {
            id_party(pid, sizeof pid, ct->siglas);
        }
        if (pid[0])
            json_object_set_new(cand, "PartyId", json_string(pid));
        json_array_append_new(candidates, cand);
    }
    const prep_summary *sm = &ut->s;
    json_t *o = json_pack(
        "{s:o, s:s, s:s, s:s, s:i, s:i, s:s, s:I, s:I, s:[{s:o, s:s, s:s}],"
        " s:[{s:o, s:s, s:s, s:I, s:I, s:I}], s:o}",
        "@type", T("CandidateContest"), "@id", cid, "Name", name, "ElectoralDistrictId", gp,
        "VotesAllowed", 1, "NumberElected", 1, "VoteVariation", "plurality", "SubUnitsReported",
        (json_int_t)sm->contabilizadas, "TotalSubUnits", (json_int_t)sm->esperadas,
        "CountStatus", "@type", T("CountStatus"), "Status", s->final ? "completed" : "in-process",
        "Type", "total", "SummaryCounts", "@type", T("SummaryCounts"), "GpUnitId", gp, "Type",
        "total", "BallotsCast", (json_int_t)ut->v.total, "WriteIns",
        (json_int_t)ut->v.no_registradas, "BallotsRejected", (json_int_t)ut->v.nulos,
        "BallotSelection", sels);
    if (!o)
        return prep_fail(err, PREP_E_NOMEM, "out of memory building the NIST export");
    json_array_append_new(contests, o);
    return 0;
}

int prep_nist_export(const prep_snapshot *s, const prep_pub_tally *t, const char *fecha,
                     prep_buf *out, prep_err *err)
{
    const prep_catalog *cat = s->cat;
    json_t *coal_contests = json_object(), *elections = json_array();
    char scope[32], iso[32], vendor[160], notes[512];
    if (cat->nentidades > 1)
        snprintf(scope, sizeof scope, "gp-mx");
    else
        id_ent(scope, sizeof scope, cat->nentidades ? cat->entidades[0].id : 0);
    for (int e = 0; e < cat->nelecciones; e++) {
        const prep_eleccion *el = &cat->elecciones[e];
        json_t *contests = json_array(), *candidates = json_array();
        for (int u = 0; u < t[e].nunidades; u++)
            if (contest(s, e, u, &t[e], contests, candidates, coal_contests, err) < 0) {
                json_decref(contests);
                json_decref(candidates);
                json_decref(elections);
                json_decref(coal_contests);
                return -1;
            }
        json_array_append_new(
            elections,
            json_pack("{s:o, s:s, s:o, s:s, s:s, s:s, s:[{s:o, s:s, s:s}], s:o, s:o}", "@type",
                      T("Election"), "ElectionScopeId", scope, "Name", itext(el->nombre),
                      "StartDate", fecha, "EndDate", fecha, "Type", "general", "CountStatus",
                      "@type", T("CountStatus"), "Status", s->final ? "completed" : "in-process",
                      "Type", "total", "Candidate", candidates, "Contest", contests));
    }
    prep_time_fmt_iso(s->at, iso);
    snprintf(vendor, sizeof vendor, "prep %s (%s)", PREP_VERSION, prep_source_commit());
    snprintf(notes, sizeof notes,
             "Programa de Resultados Electorales Preliminares, corte %d%s. Resultados "
             "preliminares; los votos se toman de las actas contabilizadas. Cada "
             "CandidateSelection es una columna de votos del Acta PREP (partido, combinacion "
             "de coalicion o candidatura independiente).",
             s->numero, s->final ? " (ultimo corte)" : "");
    char issuer[PREP_NAME_MAX + 16], abbr[32];
    snprintf(issuer, sizeof issuer, "PREP %s", cat->proceso);
    snprintf(abbr, sizeof abbr, "PREP-%s", cat->ent_codigo);
    json_t *gp = gp_units(cat);
    json_t *party = parties(cat, coal_contests);
    json_t *root = json_pack(
        "{s:o, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:o, s:o, s:o}", "@type",
        T("ElectionReport"), "Format", "summary-contest", "GeneratedDate", iso, "Issuer", issuer,
        "IssuerAbbreviation", abbr, "SequenceStart", 1, "SequenceEnd", 1, "Status",
        s->final ? "unofficial-complete" : "unofficial-partial", "VendorApplicationId", vendor,
        "Notes", notes, "GpUnit", gp ? gp : json_array(), "Party", party, "Election", elections);
    json_decref(coal_contests);
    char *text = root && gp ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    if (!text)
        return prep_fail(err, PREP_E_NOMEM, "out of memory building the NIST export");
    prep_buf_puts(out, text);
    prep_buf_putc(out, '\n');
    free(text);
    return prep_buf_ok(out) ? 0 : prep_fail(err, PREP_E_NOMEM, "out of memory");
}
