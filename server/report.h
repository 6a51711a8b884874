/* SPDX-License-Identifier: MIT */
/*
 * report.h - the figures offices send up (the 2024 Shandong notice
 * 鲁人社函〔2024〕14号, DOMAIN.md "What offices report"): the campaign
 * summary by city or county, and the list of respondents with repeated or
 * large arrears for the serious-arrears (失信) process.
 *
 * Pure over one LMDB read txn: no writes, no I/O beyond the store, no
 * clock. Who may see which case is the caller's business: it passes a
 * visible() callback, and only cases for which it returns 1 are counted.
 * Thread-safe as long as the txn is used by one thread.
 *
 * Event and state names counted here (accept, accept_arbitration,
 * mediation_agreement, arbitration_settled, award, confirm_paid,
 * closed_refused, closed_transferred) and the fields read (award's final,
 * confirm_paid's amount_paid_fen) are those of policies/wage-dispute.yaml;
 * phases and terminal states come from the policy passed in.
 */
#ifndef WAGE_REPORT_H
#define WAGE_REPORT_H

#include <jansson.h>
#include <lmdb.h>

#include "store.h"

#include "policy.h"
#include "wage/protocol.h"

#define REPORT_MAX_YEARS     3   /* longest campaign period */
#define REPORT_MAX_GROUPS    200 /* groups in one campaign report */
#define REPORT_MAX_EMPLOYERS 100 /* respondents listed in one reply */
#define REPORT_MAX_CASE_IDS  50  /* case ids listed per respondent */
#define REPORT_NBUCKETS      6   /* days-to-close histogram buckets */

/*
 * report_visible_fn: return 1 when the case doc (borrowed, as stored:
 * personal data sealed) may be counted for the caller, 0 when not.
 */
typedef int (*report_visible_fn)(const json_t *doc, void *arg);

/*
 * report_campaign computes the campaign summary of the cases received in
 * [args.from, args.to] (both "YYYY-MM-DD", required, from <= to, at most
 * REPORT_MAX_YEARS years), within args.region when given (6 digits):
 * absent or a province (xx0000) groups by city (xxxx00), a city groups by
 * county, a county gives that county alone. Only groups with a counted
 * case appear. p gives each state's phase and which states are terminal.
 * visible may be NULL (every case counts); varg is passed to it.
 *
 * On WAGE_OK *result (new reference) is
 *   {"report": "campaign", "from", "to", "region": code or null,
 *    "region_label": name or code or null, "group_by": "city"|"county",
 *    "closed_kinds": [{"state", "label"}...]   terminal states, policy order
 *    "days_to_close_buckets": ["0-15","16-30","31-45","46-60","61-90",">90"],
 *    "groups": [ROW...] by code, "total": ROW,
 *    "notes": ["overdue counts need the legal clocks (issue 3)"]}
 * ROW = {"code" (null in total), "label" ("合计" in total), "received",
 *    "accepted", "refused", "transferred", "in_intake", "in_mediation",
 *    "mediated", "in_arbitration", "in_other" (state not in p), "awarded",
 *    "awarded_final", "awarded_not_final", "awarded_mixed" (Art 47: the
 *    award's items final and not; awarded is the sum of the three),
 *    "closed", "closed_by_kind": {state: n} (non-zero only), "workers",
 *    "claimed_fen", "recovered_fen", "days_to_close_median",
 *    "days_to_close_p90" (nearest rank; null when nothing closed),
 *    "days_to_close": [6 counts], "overdue_now": null,
 *    "ever_overdue": null}.
 * in_intake + in_mediation + in_arbitration + in_other + closed ==
 * received. Money is integer fen.
 *
 * Errors: WAGE_E_INVALID_ARGUMENT with err's field set (unknown member,
 * missing or bad date, to before from, period too long, bad region, more
 * than REPORT_MAX_GROUPS groups); WAGE_E_INTERNAL (store or memory).
 * *result is NULL on failure.
 */
int report_campaign(struct store_txn *txn, const struct policy *p,
    const json_t *args, report_visible_fn visible, void *varg, json_t **result,
    struct wage_error *err);

/*
 * report_employers lists the respondents (by unified social credit code)
 * of the visible cases received in [args.from, args.to] (each optional)
 * with at least args.min_cases cases (integer >= 1, default 2), or, when
 * args.min_amount_fen (integer >= 0, default 0) is above 0, with at
 * least that much claimed. p tells which states are terminal (open cases).
 *
 * On WAGE_OK *result (new reference) is
 *   {"report": "employers", "from", "to" (null when not given),
 *    "min_cases", "min_amount_fen", "total": qualifying respondents,
 *    "truncated": bool (more than REPORT_MAX_EMPLOYERS),
 *    "employers": [{"credit_code", "name" (of the latest case received),
 *       "cases", "open_cases", "workers", "claimed_fen", "recovered_fen",
 *       "first_received", "last_received",
 *       "case_ids": [...] (ascending, at most REPORT_MAX_CASE_IDS),
 *       "case_ids_truncated": bool}...]}
 * sorted by claimed_fen descending, then cases descending, then code.
 * Errors as report_campaign.
 */
int report_employers(struct store_txn *txn, const struct policy *p,
    const json_t *args, report_visible_fn visible, void *varg, json_t **result,
    struct wage_error *err);

/*
 * report_region_label returns the Chinese name of a Shandong city code
 * (370100 -> "济南") or of the province (370000 -> "山东省"), or NULL.
 * Static storage.
 */
const char *report_region_label(const char *code);

#endif /* WAGE_REPORT_H */
