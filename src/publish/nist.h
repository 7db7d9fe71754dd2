/* nist.h — a corte as a NIST SP 1500-100 v2 Election Results Reporting
 * document (the JSON schema NIST_V2_election_results_reporting.json):
 * one ElectionReport with the geography (GpUnit/ReportingUnit), parties and
 * coalitions, and per election one CandidateContest per unit (entidad,
 * distrito or demarcación) whose CandidateSelections are the vote columns
 * with their VoteCounts. The mapping is documented in docs/publication.md.
 * Numbers come from the shared tallies; nothing is counted here. */
#ifndef PREP_NIST_H
#define PREP_NIST_H

#include "publish/snapshot.h"
#include "publish/tallies.h"
#include "util/buf.h"
#include "util/err.h"

/* t: one prep_pub_tally per election of s->cat. fecha: the jornada
 * electoral, "AAAA-MM-DD". Appends the JSON text to out. */
int prep_nist_export(const prep_snapshot *s, const prep_pub_tally *t, const char *fecha,
                     prep_buf *out, prep_err *err);

#endif
