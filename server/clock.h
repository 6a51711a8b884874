/* SPDX-License-Identifier: MIT */
/*
 * clock.h - a case's legal clocks. The case keeps a ledger per clock
 * (start, state, suspensions, extensions, restarts); due dates are derived
 * from it with the policy's rule and the holiday calendar, never stored as
 * timers. The ledger also caches the last derived due date so that a
 * change (a corrected calendar or policy) can be noticed and audited.
 *
 * Ledger, in the case document under "clocks":
 *   {"award": {"start": "2026-11-20", "state": "running|suspended|stopped",
 *              "suspensions": [{"from": D, "to": D|null}],
 *              "extensions": [{"days": 15, "on": D, "by": NAME}],
 *              "restarts": 0, "stopped": D|null,
 *              "due": D, "provisional": bool}}
 * A day d is suspended when from < d <= to (an open suspension: to today).
 * Pure functions over JSON: thread-safe, no I/O.
 */
#ifndef WAGE_CLOCK_H
#define WAGE_CLOCK_H

#include <jansson.h>

#include "calendar.h"
#include "policy.h"
#include "validate.h"
#include "wage/protocol.h"

/*
 * clock_apply carries out the clock actions ops on the ledger object clocks
 * (modified), on the civil date on, by who (a name, for extensions); days
 * is the event's `days` field for extensions (0 when absent). A refused
 * action (suspending a clock that is not running, extending beyond the
 * policy's limit, ...) returns WAGE_E_ILLEGAL_TRANSITION or
 * WAGE_E_INVALID_ARGUMENT with err filled, and the caller must discard the
 * ledger.
 */
int clock_apply(json_t *clocks, const struct policy *p,
    const struct policy_clock_ops *ops, struct civil_date on, int days,
    const char *who, struct wage_error *err);

/* clock_start_one starts (or restarts) clock index ci on the date on; a ci
 * out of range (SIZE_MAX: a clock the policy does not configure) does
 * nothing. */
int clock_start_one(
    json_t *clocks, const struct policy *p, size_t ci, struct civil_date on);

/*
 * clock_due derives the due date of one ledger entry under rule pc and
 * calendar cal (NULL: weekends only, provisional), as of today (an open
 * suspension counts as ending today). Returns WAGE_OK with *due and
 * *provisional set, or WAGE_E_INVALID_ARGUMENT for a malformed ledger.
 */
int clock_due(const struct policy_clock *pc, const json_t *entry,
    const struct calendar *cal, struct civil_date today,
    struct civil_date *due, int *provisional);

/*
 * clock_refresh recomputes every clock of the ledger and stores the due
 * date and provisional flag in each entry. Returns the number of entries
 * whose due date or provisional flag changed, and (when changes is not
 * NULL) appends {clock, from, to, provisional} for each to changes.
 */
int clock_refresh(json_t *clocks, const struct policy *p,
    const struct calendar *cal, struct civil_date today, json_t *changes);

/*
 * clock_expired: has clock ci of the ledger run out (running or
 * suspended, and today after its due date)?
 */
int clock_expired(const json_t *clocks, const struct policy *p, size_t ci,
    const struct calendar *cal, struct civil_date today);

/*
 * clock_view returns (new reference) an array describing each clock of the
 * ledger for display: name, label, state, start, due, days_left (negative:
 * late), overdue, provisional, length, unit, basis, target, extensions.
 */
json_t *clock_view(const json_t *clocks, const struct policy *p,
    const struct calendar *cal, struct civil_date today);

#endif /* WAGE_CLOCK_H */
