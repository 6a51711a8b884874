/* SPDX-License-Identifier: MIT */
/*
 * service.h - service (送达) of a case's documents on its parties and
 * what receipt does: each party's day of receipt (public notice: deemed
 * served N days after publication), the clocks the policy ties to it, a
 * 调解书 taking effect when every party has it (Art 42), and each party's
 * challenge windows running from its own receipt of the award (Arts
 * 48-50). Pure over JSON: the caller stores the result.
 *
 * The case document keeps "service": [{document, party, method, served_on
 * (the day of receipt), published (public notice only), by, recorded}].
 */
#ifndef WAGE_SERVICE_H
#define WAGE_SERVICE_H

#include <jansson.h>

#include "auth.h"
#include "caserules.h"
#include "validate.h"

/*
 * service_record checks and records the service event ev (fields party,
 * document, method, served_on) on doc (modified), on the day today:
 * refuses a party the document does not go to, a date in the future or
 * before the document exists, a document served twice on one party;
 * then applies the receipt's clock actions and opens windows. Returns
 * WAGE_OK or an error with err filled (doc must then be discarded).
 */
int service_record(const struct caserules_env *env, json_t *doc,
    const json_t *fields, const struct actor *who, struct civil_date today,
    struct wage_error *err);

/*
 * service_award_kinds: the kinds of the award in doc, as bits
 * AWARD_KIND_FINAL / NONFINAL / MIXED (exactly one set), or 0 when doc
 * holds no award.
 */
unsigned service_award_kinds(const json_t *doc);

/*
 * service_open_windows starts party's challenge windows (Arts 48-50) on
 * the day on, as the award in doc calls for: final items open the
 * worker's suit (Art 48) or the employer's set-aside (Art 49), non-final
 * items the party's suit (Art 50).
 */
int service_open_windows(const struct policy *p, json_t *clocks,
    const json_t *doc, int party, struct civil_date on);

/*
 * service_void_settlement: a party went back on the 调解书 before it took
 * effect (Art 42). The settlement moves to "settlements_void" (marked with
 * the day, now) and its receipts are marked void, so that a later
 * agreement is served, and takes effect, afresh.
 */
int service_void_settlement(
    const struct policy *p, json_t *doc, const char *now);

#endif /* WAGE_SERVICE_H */
