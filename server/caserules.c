/* SPDX-License-Identifier: MIT */
/*
 * caserules.c - effects and guards of events beyond the state machine:
 * clocks, final award, limitation, collective consent, assignment.
 * Owns: the "clocks", "limitation" and "assigned" members of a case
 * document ("award": award.c). Must not: store or log (the caller does).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "award.h"
#include "calendar.h"
#include "caserules.h"
#include "clock.h"
#include "service.h"
#include "transfer.h"
#include "validate.h"

static json_t *
ledger_of(json_t *doc)
{
	json_t *c = json_object_get(doc, "clocks");

	if (!json_is_object(c)) {
		json_object_set_new(doc, "clocks", json_object());
		c = json_object_get(doc, "clocks");
	}
	return (c);
}

/*
 * The limitation year's last day, when it is a statutory rest day, moves to
 * the day after the rest period (民法典 Art 203): a complaint received on
 * that day is in time, and the warning filing_check gave goes.
 */
static int
limitation_rest_days(
    const struct caserules_env *env, json_t *doc, struct civil_date received)
{
	json_t           *lim = json_object_get(doc, "limitation");
	struct civil_date limit, next;
	char              buf[16];
	int               prov = 0, p1, guard = 0;

	if (lim == NULL ||
	    validate_date(json_string_value(json_object_get(lim, "limit")),
	        &limit, "limit", NULL) != WAGE_OK) {
		return (WAGE_OK);
	}
	while (!calendar_is_workday(env->calendar, limit, &p1)) {
		prov |= p1;
		if (calendar_date_plus(limit, 1, &next) != 0 || ++guard > 60) {
			return (WAGE_E_INTERNAL);
		}
		limit = next;
	}
	prov |= p1;
	if (civil_date_cmp(&received, &limit) <= 0) {
		json_object_del(doc, "limitation");
		return (WAGE_OK);
	}
	civil_date_format(&limit, buf, sizeof(buf));
	json_object_set_new(lim, "limit", json_string(buf));
	if (prov) {
		json_object_set_new(lim, "provisional", json_true());
	}
	return (WAGE_OK);
}

int
caserules_filed(
    const struct caserules_env *env, json_t *doc, struct wage_error *err)
{
	const struct policy *p = env->policy;
	struct civil_date    received, today;
	const char *s = json_string_value(json_object_get(doc, "received"));
	int         rc;

	if (s == NULL) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "received",
		    "'received' is required: the day the complaint arrived"));
	}
	if (validate_date(s, &received, "received", err) != WAGE_OK) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	/* The clocks of intake run from the day the complaint arrived. */
	rc = clock_apply(ledger_of(doc), p, &p->states[p->initial].on_entry,
	    received, 0, NULL, err);
	if (rc != WAGE_OK) {
		return (rc);
	}
	civil_date_today(&today);
	clock_refresh(ledger_of(doc), p, env->calendar, today, NULL);
	return (limitation_rest_days(env, doc, received));
}

static int
is_collective(const json_t *doc)
{
	return (json_is_true(
	    json_object_get(json_object_get(doc, "priority"), "collective")));
}

/* claimed_fen: the total of the claim's items. */
static json_int_t
claimed_fen(const json_t *doc)
{
	const json_t *it;
	json_int_t    sum = 0;
	size_t        i;

	json_array_foreach (
	    json_object_get(json_object_get(doc, "claim"), "items"), i, it) {
		sum += json_integer_value(json_object_get(it, "amount_fen"));
	}
	return (sum);
}

/*
 * owed_fen: what the employer owes now: the award's amount, else the
 * agreement's, else the claim. *what names it for messages.
 */
static json_int_t
owed_fen(const json_t *doc, const char **what)
{
	const json_t *a;

	if ((a = json_object_get(doc, "award")) != NULL &&
	    json_is_integer(json_object_get(a, "amount_fen"))) {
		*what = "the award";
		return (json_integer_value(json_object_get(a, "amount_fen")));
	}
	if ((a = json_object_get(doc, "settlement")) != NULL &&
	    json_is_integer(json_object_get(a, "amount_fen"))) {
		*what = "the agreement or order to pay";
		return (json_integer_value(json_object_get(a, "amount_fen")));
	}
	*what = "the claim";
	return (claimed_fen(doc));
}

/*
 * field_bounds checks what the policy bounds in the event's fields: a
 * date against today (a hearing at least 5 days ahead, Art 35; no award
 * date in the future), an amount against the claim or what is owed.
 */
static int
field_bounds(const struct caserules_env *env, const json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    struct civil_date today, struct wage_error *err)
{
	const struct policy       *p = env->policy;
	const struct policy_field *f;
	struct civil_date          d, lim;
	const json_t              *v;
	const char                *what;
	char                       name[80], lbuf[16];
	size_t                     i, n = ev->nrequires + ev->noptional;
	json_int_t                 cap;
	int                        days;

	for (i = 0; i < n; i++) {
		f = &p->fields[i < ev->nrequires
		        ? ev->requires[i]
		        : ev->optional[i - ev->nrequires]];
		if ((v = json_object_get(fields, f->name)) == NULL) {
			continue;
		}
		snprintf(name, sizeof(name), "fields.%s", f->name);
		if (f->type == PF_DATE &&
		    (f->has_min_days || f->has_max_days) &&
		    validate_date(json_string_value(v), &d, name, NULL) ==
		        WAGE_OK) {
			days = calendar_days_between(today, d);
			if (f->has_min_days && days < f->min_days) {
				calendar_date_plus(today, f->min_days, &lim);
				civil_date_format(&lim, lbuf, sizeof(lbuf));
				return (wage_err_set(err,
				    WAGE_E_INVALID_ARGUMENT, name,
				    "'%s' (%s) must be %s or later%s: %s",
				    name, json_string_value(v), lbuf,
				    f->min_days == 0 ? " (not in the past)"
				        : f->min_days > 0
				        ? " (counted from today)"
				        : "",
				    f->bound_basis));
			}
			if (f->has_max_days && days > f->max_days) {
				calendar_date_plus(today, f->max_days, &lim);
				civil_date_format(&lim, lbuf, sizeof(lbuf));
				return (wage_err_set(err,
				    WAGE_E_INVALID_ARGUMENT, name,
				    "'%s' (%s) must be %s or earlier%s: %s",
				    name, json_string_value(v), lbuf,
				    f->max_days == 0 ? " (not in the future)"
				                     : "",
				    f->bound_basis));
			}
		}
		if (f->type == PF_FEN && f->at_most != 0) {
			if (f->at_most == FIELD_AT_MOST_CLAIMED) {
				what = "the claim";
				cap  = claimed_fen(doc);
			} else {
				cap = owed_fen(doc, &what);
			}
			if (json_integer_value(v) > cap) {
				return (wage_err_set(err,
				    WAGE_E_INVALID_ARGUMENT, name,
				    "'%s' (%" JSON_INTEGER_FORMAT
				    " fen) is more than %s "
				    "(%" JSON_INTEGER_FORMAT " fen): %s",
				    name, json_integer_value(v), what, cap,
				    f->bound_basis));
			}
		}
	}
	return (WAGE_OK);
}

/*
 * within_window: a suit or set-aside application comes while the
 * party's window runs (Arts 48-50); after it the award stands. The party
 * acts on the day it files with the court (the event's filed_on, never
 * after today): a suit filed on a window's last day and recorded later
 * is in time.
 */
static int
within_window(const struct caserules_env *env, const json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    struct civil_date today, struct wage_error *err)
{
	const struct policy       *p = env->policy;
	const struct policy_clock *pc;
	const json_t              *clocks = json_object_get(doc, "clocks"), *e;
	const char                *pname =
	    json_string_value(json_object_get(fields, "party"));
	const char *filed =
	    json_string_value(json_object_get(fields, "filed_on"));
	const char       *state;
	struct civil_date due, on = today;
	char              ended[160];
	size_t            i, used = 0;
	int party = pname != NULL ? policy_party_from_name(pname) : PARTY_NONE,
	    prov, any = 0;

	if (filed != NULL &&
	    validate_date(filed, &on, "fields.filed_on", NULL) != WAGE_OK) {
		on = today;
	}
	ended[0] = '\0';
	for (i = 0; i < ev->nwithin_window; i++) {
		pc = &p->clocks[ev->within_window[i]];
		if (party != PARTY_NONE && pc->party != PARTY_NONE &&
		    pc->party != party) {
			continue;
		}
		any   = 1;
		e     = json_object_get(clocks, pc->name);
		state = json_string_value(json_object_get(e, "state"));
		if (e == NULL || state == NULL ||
		    strcmp(state, "stopped") == 0 ||
		    clock_due(pc, e, env->calendar, today, &due, &prov) !=
		        WAGE_OK) {
			continue;
		}
		if (civil_date_cmp(&on, &due) <= 0) {
			return (WAGE_OK);
		}
		if (used < sizeof(ended)) {
			char dbuf[16];

			civil_date_format(&due, dbuf, sizeof(dbuf));
			used += (size_t) snprintf(ended + used,
			    sizeof(ended) - used, "%s%s ended %s (%s)",
			    used ? "; " : "", pc->name, dbuf, pc->basis);
		}
	}
	if (!any) {
		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
		    "fields.party",
		    "'%s' is not open to the %s: no window of that party "
		    "allows it",
		    ev->name, pname != NULL ? pname : "party"));
	}
	return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION, "event",
	    "'%s'%s%s is allowed only while the %s's window runs: %s",
	    ev->name, filed != NULL ? " filed on " : "",
	    filed != NULL ? filed : "", pname != NULL ? pname : "party",
	    used > 0 ? ended
	             : "no window is open (the award has not been served "
	               "on that party, or it is not of a kind that opens "
	               "one)"));
}

/*
 * payment_check: a payment is no more than is owed, not before the
 * agreement or award it pays, and a payment in part says why.
 */
/*
 * worker_owed: what worker w is owed: the award's items for w when the
 * award has items, else w's own claim (claimants[w].total_fen); -1 when
 * neither says (a common claim of several workers).
 */
static json_int_t
worker_owed(const json_t *doc, json_int_t w, const char **what)
{
	const json_t *items = json_object_get(
	    json_object_get(doc, "award"), "items");
	const json_t *it, *c;
	json_int_t    sum = 0;
	size_t        i;
	int           any = 0;

	json_array_foreach (items, i, it) {
		if (json_object_get(it, "worker") != NULL) {
			any = 1;
			if (json_integer_value(json_object_get(it, "worker")) ==
			    w) {
				sum += json_integer_value(
				    json_object_get(it, "amount_fen"));
			}
		}
	}
	if (any) {
		*what = "awarded to that worker";
		return (sum);
	}
	c = json_array_get(json_object_get(doc, "claimants"), (size_t) w);
	if (json_is_integer(json_object_get(c, "total_fen"))) {
		*what = "that worker claimed";
		return (json_integer_value(json_object_get(c, "total_fen")));
	}
	return (-1);
}

/*
 * paid_workers_check: a payment's share per worker (field paid_workers):
 * each worker a claimant, paid no more than that worker is owed, the
 * shares adding up to amount_paid_fen.
 */
static int
paid_workers_check(
    const json_t *doc, const json_t *fields, struct wage_error *err)
{
	const json_t *pw = json_object_get(fields, "paid_workers"), *it;
	size_t        n  = json_array_size(json_object_get(doc, "claimants"));
	json_int_t    sum = 0, w, a, owed;
	const char   *what;
	char          f[64];
	size_t        i;

	json_array_foreach (pw, i, it) {
		w = json_integer_value(json_object_get(it, "worker"));
		a = json_integer_value(json_object_get(it, "amount_fen"));
		if (w < 0 || (size_t) w >= n) {
			snprintf(f, sizeof(f), "fields.paid_workers[%zu].worker",
			    i);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' is %" JSON_INTEGER_FORMAT ", but the case has "
			    "%zu claimant%s: positions 0 to %zu",
			    f, w, n, n == 1 ? "" : "s", n - 1));
		}
		owed = worker_owed(doc, w, &what);
		if (owed >= 0 && a > owed) {
			snprintf(f, sizeof(f),
			    "fields.paid_workers[%zu].amount_fen", i);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' (%" JSON_INTEGER_FORMAT " fen) is more than "
			    "the %" JSON_INTEGER_FORMAT " fen %s "
			    "(claimants[%" JSON_INTEGER_FORMAT "])",
			    f, a, owed, what, w));
		}
		sum += a;
	}
	if (pw != NULL &&
	    sum != json_integer_value(
	               json_object_get(fields, "amount_paid_fen"))) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.paid_workers",
		    "'fields.paid_workers' adds up to %" JSON_INTEGER_FORMAT
		    " fen; it must be 'fields.amount_paid_fen', %"
		    JSON_INTEGER_FORMAT " fen",
		    sum,
		    json_integer_value(
		        json_object_get(fields, "amount_paid_fen"))));
	}
	return (WAGE_OK);
}

static int
payment_check(const json_t *doc, const json_t *fields, struct wage_error *err)
{
	const char *what;
	json_int_t  owed = owed_fen(doc, &what);
	json_int_t  paid =
	    json_integer_value(json_object_get(fields, "amount_paid_fen"));
	const char *since = NULL;

	if (paid > owed) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.amount_paid_fen",
		    "'fields.amount_paid_fen' (%" JSON_INTEGER_FORMAT
		    " fen) is more than %s (%" JSON_INTEGER_FORMAT " fen)",
		    paid, what, owed));
	}
	if (paid < owed && json_object_get(fields, "reason") == NULL) {
		return (
		    wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "fields.reason",
		        "'fields.reason' is required: %" JSON_INTEGER_FORMAT
		        " fen paid of the %" JSON_INTEGER_FORMAT
		        " fen %s names is a payment in part; say why the case "
		        "closes with %" JSON_INTEGER_FORMAT " fen unpaid",
		        paid, owed, what, owed - paid));
	}
	if (json_object_get(doc, "award") != NULL) {
		since = json_string_value(
		    json_object_get(json_object_get(doc, "award"), "date"));
	} else if (json_object_get(doc, "settlement") != NULL) {
		since = json_string_value(
		    json_object_get(json_object_get(doc, "settlement"), "on"));
	}
	if (since != NULL &&
	    strcmp(json_string_value(json_object_get(fields, "paid_on")),
	        since) < 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.paid_on",
		    "'fields.paid_on' (%s) is before %s it pays (%s)",
		    json_string_value(json_object_get(fields, "paid_on")),
		    what, since));
	}
	return (WAGE_OK);
}

/*
 * set_item: in items (an array, modified), the first item of kind gets
 * amount (stamped changed: now), or a new one is appended when none has
 * that kind and the list holds fewer than max. *total becomes the items'
 * sum. Refused (path names the field) when the list is full.
 */
static int
set_item(json_t *items, const char *kind, json_int_t amt, const char *now,
    size_t max, json_int_t *total, struct wage_error *err)
{
	json_t *it;
	size_t  i;
	int     found = 0;

	*total = 0;
	json_array_foreach (items, i, it) {
		const char *k = json_string_value(json_object_get(it, "kind"));

		if (!found && k != NULL && strcmp(k, kind) == 0) {
			json_object_set_new(
			    it, "amount_fen", json_integer(amt));
			json_object_set_new(it, "changed", json_string(now));
			found = 1;
		}
		*total += json_integer_value(json_object_get(it, "amount_fen"));
	}
	if (found) {
		return (WAGE_OK);
	}
	if (json_array_size(items) >= max) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.kind",
		    "'fields.kind': the claim already has %zu items, the "
		    "most it holds",
		    max));
	}
	json_array_append_new(items,
	    json_pack("{s:s, s:I, s:s}", "kind", kind, "amount_fen", amt,
	        "changed", now));
	*total += amt;
	return (WAGE_OK);
}

/*
 * claim_change: the claim item of fields.kind becomes fields.claim_fen
 * (办案规则 Art 46), so that what may be awarded or agreed follows the
 * claim as changed. When the workers carry their own claims (filing.h),
 * it is the claim of worker fields.worker (required when there are
 * several), and the case's items are their totals again. The claim and
 * the claimants are replaced whole: they may be shared with a cached
 * head.
 */
static int
claim_change(
    json_t *doc, const json_t *fields, const char *now, struct wage_error *err)
{
	const char *kind = json_string_value(json_object_get(fields, "kind"));
	json_int_t  amt =
	    json_integer_value(json_object_get(fields, "claim_fen"));
	const json_t *wv = json_object_get(fields, "worker");
	json_t       *claim = json_deep_copy(json_object_get(doc, "claim"));
	json_t       *items = json_object_get(claim, "items"), *cls = NULL;
	json_t       *c, *it, *sum = NULL;
	json_int_t    total = 0, wt, w = json_integer_value(wv);
	size_t        n, i, j;
	int           rc = WAGE_OK;

	if (claim == NULL || !json_is_array(items) || kind == NULL) {
		json_decref(claim);
		return (wage_err_set(err, WAGE_E_INTERNAL, "claim",
		    "the case has no claim to change"));
	}
	n = json_array_size(json_object_get(doc, "claimants"));
	if (json_object_get(json_array_get(json_object_get(doc, "claimants"),
	        0), "claims") == NULL) {
		/* A common claim: changed as a whole. */
		if (wv != NULL) {
			json_decref(claim);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "fields.worker",
			    "'fields.worker': this case has a common claim of "
			    "all its workers, not one of each: leave it out"));
		}
		if ((rc = set_item(items, kind, amt, now, WAGE_MAX_CLAIM_ITEMS,
		         &total, err)) != WAGE_OK) {
			json_decref(claim);
			return (rc);
		}
		json_object_set_new(claim, "total_fen", json_integer(total));
		json_object_set_new(doc, "claim", claim);
		return (WAGE_OK);
	}
	if (wv == NULL && n > 1) {
		json_decref(claim);
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.worker",
		    "'fields.worker' is required: each of the %zu workers "
		    "has their own claim; give the worker's position, 0 to "
		    "%zu",
		    n, n - 1));
	}
	if (w < 0 || (size_t) w >= n) {
		json_decref(claim);
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.worker",
		    "'fields.worker' is %" JSON_INTEGER_FORMAT ", but the "
		    "case has %zu claimant%s: positions 0 to %zu",
		    w, n, n == 1 ? "" : "s", n - 1));
	}
	cls = json_deep_copy(json_object_get(doc, "claimants"));
	c   = json_array_get(cls, (size_t) w);
	if (cls == NULL ||
	    (rc = set_item(json_object_get(c, "claims"), kind, amt, now, 8,
	         &wt, err)) != WAGE_OK) {
		json_decref(cls);
		json_decref(claim);
		return (cls == NULL ? WAGE_E_INTERNAL : rc);
	}
	json_object_set_new(c, "total_fen", json_integer(wt));
	/* The case's items: the workers' totals by kind, in the order the
	 * claim had them, a new kind last. */
	json_array_foreach (items, i, it) {
		json_object_set_new(it, "amount_fen", json_integer(0));
	}
	json_array_foreach (cls, i, c) {
		json_array_foreach (json_object_get(c, "claims"), j, it) {
			const char *k =
			    json_string_value(json_object_get(it, "kind"));
			size_t x;

			json_array_foreach (items, x, sum) {
				if (strcmp(json_string_value(json_object_get(
				               sum, "kind")),
				        k) == 0) {
					break;
				}
			}
			if (x == json_array_size(items)) {
				sum = json_pack("{s:s, s:i}", "kind", k,
				    "amount_fen", 0);
				json_array_append_new(items, sum);
			}
			json_object_set_new(sum, "amount_fen",
			    json_integer(json_integer_value(json_object_get(
			                     sum, "amount_fen")) +
			        json_integer_value(
			            json_object_get(it, "amount_fen"))));
			total += json_integer_value(
			    json_object_get(it, "amount_fen"));
		}
	}
	json_array_foreach (items, i, it) {
		if (strcmp(json_string_value(json_object_get(it, "kind")),
		        kind) == 0) {
			json_object_set_new(it, "changed", json_string(now));
		}
	}
	json_object_set_new(claim, "total_fen", json_integer(total));
	json_object_set_new(doc, "claim", claim);
	json_object_set_new(doc, "claimants", cls);
	return (WAGE_OK);
}

/* until_dates: a clock the event started that runs to a date of the
 * event's (a pay-by date) takes it. */
static int
until_dates(const struct policy *p, json_t *clocks,
    const struct policy_event *ev, const json_t *fields,
    struct wage_error *err)
{
	const struct policy_clock *pc;
	const json_t              *v;
	json_t                    *e;
	size_t                     i, a;
	static const int           acts[] = { CLK_START, CLK_RESTART };

	for (a = 0; a < 2; a++) {
		for (i = 0; i < ev->clocks.n[acts[a]]; i++) {
			pc = &p->clocks[ev->clocks.idx[acts[a]][i]];
			if (pc->until == NULL) {
				continue;
			}
			v = json_object_get(fields, pc->until);
			if (!json_is_string(v)) {
				return (wage_err_set(err,
				    WAGE_E_INVALID_ARGUMENT, "fields",
				    "'fields.%s' is required: the %s clock "
				    "runs to that date (%s)",
				    pc->until, pc->name, pc->basis));
			}
			if ((e = json_object_get(clocks, pc->name)) != NULL) {
				json_object_set(e, "until", (json_t *) v);
			}
		}
	}
	return (WAGE_OK);
}

/*
 * expired_all (after_expiry_all): every clock listed must have started
 * and run out (e.g. Art 50: a non-final award takes effect once its 15
 * days pass with no suit). The refusal names each clock that holds the
 * event back, with its due date and basis.
 */
static int
expired_all(const struct caserules_env *env, const json_t *clocks,
    const struct policy_event *ev, struct civil_date today,
    struct wage_error *err)
{
	const struct policy       *p = env->policy;
	const struct policy_clock *pc;
	const json_t              *e;
	const char                *st;
	struct civil_date          due;
	char                       list[140], one[128], d[16];
	size_t                     i, used = 0;
	int                        prov, n;

	list[0] = '\0';
	for (i = 0; i < ev->nafter_expiry_all; i++) {
		if (clock_expired(clocks, p, ev->after_expiry_all[i],
		        env->calendar, today)) {
			continue;
		}
		pc = &p->clocks[ev->after_expiry_all[i]];
		e  = json_object_get(clocks, pc->name);
		st = json_string_value(json_object_get(e, "state"));
		if (e == NULL) {
			snprintf(one, sizeof(one), "%s not started (%s)",
			    pc->name, pc->basis);
		} else if (st != NULL && strcmp(st, "stopped") == 0) {
			snprintf(one, sizeof(one), "%s stopped (%s)", pc->name,
			    pc->basis);
		} else if (clock_due(pc, e, env->calendar, today, &due,
		               &prov) == WAGE_OK) {
			civil_date_format(&due, d, sizeof(d));
			snprintf(one, sizeof(one), "%s due %s (%s)", pc->name,
			    d, pc->basis);
		} else {
			snprintf(
			    one, sizeof(one), "%s (%s)", pc->name, pc->basis);
		}
		/* Whole items only: the message has room for a few. */
		n = snprintf(list + used, sizeof(list) - used, "%s%s",
		    used > 0 ? "; " : "", one);
		if (n < 0 || (size_t) n >= sizeof(list) - used) {
			list[used] = '\0';
			snprintf(list + used, sizeof(list) - used, "%s",
			    used > 0 ? "; ..." : "...");
			break;
		}
		used += (size_t) n;
	}
	if (list[0] == '\0') {
		return (WAGE_OK);
	}
	return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION, "event",
	    "'%s' is allowed once every one of its clocks has run out; not "
	    "yet: %s",
	    ev->name, list));
}

int
caserules_guards(const struct caserules_env *env, const json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    const struct actor *who, struct wage_error *err)
{
	const struct policy       *p      = env->policy;
	const struct policy_state *to     = &p->states[ev->to];
	const json_t              *clocks = json_object_get(doc, "clocks");
	const json_t              *lim;
	struct civil_date          today;
	size_t                     i;
	int                        rc, expired = 0;

	(void) who;
	civil_date_today(&today);
	/* The kind of award first (Art 47): an event for another kind is
	 * refused for that, not for a clock of that kind that will never
	 * run out (award_effective waits for a non-final window). */
	if (ev->award_kinds != 0 &&
	    (service_award_kinds(doc) & ev->award_kinds) == 0) {
		unsigned k = service_award_kinds(doc);

		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION, "event",
		    "'%s' is allowed only on a%s%s%s award (Art 47); this "
		    "award is %s",
		    ev->name,
		    (ev->award_kinds & AWARD_KIND_FINAL) ? " final" : "",
		    (ev->award_kinds & AWARD_KIND_NONFINAL) ? " non-final"
		                                            : "",
		    (ev->award_kinds & AWARD_KIND_MIXED) ? " mixed" : "",
		    k == AWARD_KIND_FINAL          ? "final"
		        : k == AWARD_KIND_NONFINAL ? "non-final"
		        : k == AWARD_KIND_MIXED    ? "mixed"
		                                   : "not made yet"));
	}
	/* A clock that must have run out first (e.g. Art 14: arbitration
	 * after 15 days of mediation without agreement). */
	for (i = 0; i < ev->nafter_expiry; i++) {
		expired |= clock_expired(
		    clocks, p, ev->after_expiry[i], env->calendar, today);
	}
	if (ev->nafter_expiry > 0 && !expired) {
		const struct policy_clock *pc =
		    &p->clocks[ev->after_expiry[0]];

		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION, "event",
		    "'%s' is allowed once the %s clock has run out (%s); it "
		    "has not yet",
		    ev->name, pc->name, pc->basis));
	}
	/* A clock that must not have run out yet (e.g. Art 43: the award
	 * period is extended before its 45 days end, not after). */
	for (i = 0; i < ev->nbefore_expiry; i++) {
		const struct policy_clock *pc =
		    &p->clocks[ev->before_expiry[i]];

		if (clock_expired(clocks, p, ev->before_expiry[i],
		        env->calendar, today)) {
			return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
			    "event",
			    "'%s' is allowed only before the %s clock runs "
			    "out "
			    "(%s); it has run out",
			    ev->name, pc->name, pc->basis));
		}
	}
	if (ev->nafter_expiry_all > 0 &&
	    (rc = expired_all(env, clocks, ev, today, err)) != WAGE_OK) {
		return (rc);
	}
	/* Art 27: a late complaint goes on only once acknowledged. */
	lim = json_object_get(doc, "limitation");
	if (lim != NULL &&
	    !json_is_true(json_object_get(lim, "acknowledged")) &&
	    !ev->ack_limitation && !to->terminal &&
	    (strcmp(to->phase, "mediation") == 0 ||
	        strcmp(to->phase, "arbitration") == 0)) {
		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION, "event",
		    "the case carries a limitation warning (Art 27: received "
		    "more than a year after the employment ended): a clerk "
		    "must first fire acknowledge_limitation with a reason"));
	}
	if (ev->collective_consent && is_collective(doc) &&
	    json_object_get(fields, "consent") == NULL) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.consent",
		    "'fields.consent' is required: in a collective case, '%s' "
		    "needs the recorded consent of the represented workers "
		    "(办案规则 Art 63); give the consent document's reference",
		    ev->name));
	}
	if ((rc = field_bounds(env, doc, ev, fields, today, err)) != WAGE_OK) {
		return (rc);
	}
	if (ev->nwithin_window > 0 &&
	    (rc = within_window(env, doc, ev, fields, today, err)) !=
	        WAGE_OK) {
		return (rc);
	}
	if (ev->settlement != 0) {
		const json_t *st = json_object_get(doc, "settlement");
		int           in_force =
		    json_is_string(json_object_get(st, "effective"));

		if (ev->settlement == 1 && in_force) {
			return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
			    "event",
			    "'%s' is allowed only before the 调解书 is in "
			    "force; it has been since %s, when the last party "
			    "received it (Art 42)",
			    ev->name,
			    json_string_value(
			        json_object_get(st, "effective"))));
		}
		if (ev->settlement == 2 && !in_force) {
			return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
			    "event",
			    "'%s' is allowed only once the 调解书 is in "
			    "force: "
			    "it must first be served on every party (serve "
			    "document=settlement; Art 42)",
			    ev->name));
		}
	}
	if (ev->payment &&
	    ((rc = paid_workers_check(doc, fields, err)) != WAGE_OK ||
	        (rc = payment_check(doc, fields, err)) != WAGE_OK)) {
		return (rc);
	}
	if (ev->transfer != TRANSFER_NONE &&
	    (rc = transfer_guard(doc, ev->transfer, fields, who, err)) !=
	        WAGE_OK) {
		return (rc);
	}
	if (ev->duplicate_resolve) {
		const json_t *d = json_object_get(doc, "duplicates");
		const char   *r = json_string_value(
		      json_object_get(fields, "duplicate_resolution"));

		if (d == NULL || json_is_true(json_object_get(d, "resolved"))) {
			return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
			    "event",
			    "the case has no open duplicates flag to answer"));
		}
		if (r != NULL && strcmp(r, "separate") == 0 &&
		    json_object_get(fields, "reason") == NULL) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "fields.reason",
			    "'fields.reason' is required: say why this is a "
			    "claim separate from the worker's other open "
			    "case"));
		}
	}
	return (WAGE_OK);
}

int
caserules_act(const struct caserules_env *env, json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    const struct actor *who, struct wage_error *err)
{
	const struct policy       *p      = env->policy;
	const struct policy_state *to     = &p->states[ev->to];
	json_t                    *clocks = ledger_of(doc), *lim;
	const char *from = json_string_value(json_object_get(doc, "state"));
	struct civil_date today, award_date;
	char              now[16];
	int               rc, days, fin, nonfin;

	if ((rc = caserules_guards(env, doc, ev, fields, who, err)) !=
	    WAGE_OK) {
		return (rc);
	}
	civil_date_today(&today);
	civil_date_format(&today, now, sizeof(now));
	lim  = json_object_get(doc, "limitation");
	days = (int) json_integer_value(json_object_get(fields, "days"));
	rc = clock_apply(clocks, p, &ev->clocks, today, days, who->name, err);
	if (rc == WAGE_OK) {
		rc = until_dates(p, clocks, ev, fields, err);
	}
	if (rc == WAGE_OK && from != NULL &&
	    strcmp(from, p->states[ev->to].name) != 0) {
		rc = clock_apply(
		    clocks, p, &to->on_entry, today, 0, who->name, err);
	}
	if (rc != WAGE_OK) {
		return (rc);
	}
	if (ev->award) {
		rc = award_record(
		    env, doc, fields, &award_date, &fin, &nonfin, err);
		if (rc != WAGE_OK) {
			return (rc);
		}
		/* Art 48-50: the challenge windows run from the award, or
		 * from each party's receipt of it (service.c). */
		if (p->windows_from_service) {
			fin = nonfin = 0;
		}
		if (fin) {
			clock_start_one(
			    clocks, p, p->clock_challenge_worker, award_date);
			clock_start_one(clocks, p, p->clock_challenge_employer,
			    award_date);
		}
		if (nonfin) {
			clock_start_one(clocks, p, p->clock_challenge_nonfinal,
			    award_date);
		}
	}
	if (ev->settlement_void &&
	    (rc = service_void_settlement(p, doc, now)) != WAGE_OK) {
		return (rc);
	}
	if (ev->claim_change &&
	    (rc = claim_change(doc, fields, now, err)) != WAGE_OK) {
		return (rc);
	}
	if (ev->transfer != TRANSFER_NONE &&
	    (rc = transfer_apply(doc, ev->transfer, fields, who, now)) !=
	        WAGE_OK) {
		return (rc);
	}
	if (ev->duplicate_resolve) {
		json_t *d =
		    json_deep_copy(json_object_get(doc, "duplicates"));

		json_object_set_new(d, "resolved", json_true());
		json_object_set(d, "resolution",
		    json_object_get(fields, "duplicate_resolution"));
		if (json_object_get(fields, "reason") != NULL) {
			json_object_set(
			    d, "reason", json_object_get(fields, "reason"));
		}
		json_object_set_new(d, "by",
		    json_pack("{s:s, s:s}", "name", who->name, "org", who->org));
		json_object_set_new(d, "on", json_string(now));
		json_object_set_new(doc, "duplicates", d);
	}
	if (ev->agreement) {
		json_object_set_new(doc, "settlement",
		    json_pack("{s:O, s:O?, s:s, s:s}", "amount_fen",
		        json_object_get(fields, "amount_fen"), "pay_by",
		        json_object_get(fields, "pay_by"), "on", now, "event",
		        ev->name));
	}
	if (ev->payment) {
		const char *what;
		json_int_t  owed = owed_fen(doc, &what);
		json_int_t  paid = json_integer_value(
		     json_object_get(fields, "amount_paid_fen"));

		json_object_set_new(doc, "payment",
		    json_pack("{s:I, s:I, s:I, s:O, s:b}", "amount_paid_fen",
		        paid, "owed_fen", owed, "unpaid_fen", owed - paid,
		        "paid_on", json_object_get(fields, "paid_on"),
		        "partial", paid < owed));
		/* Each worker's share, with what the worker is owed. */
		if (json_object_get(fields, "paid_workers") != NULL) {
			json_t       *ws = json_array();
			const json_t *it;
			const char   *wh;
			size_t        k;

			json_array_foreach (
			    json_object_get(fields, "paid_workers"), k, it) {
				json_int_t w = json_integer_value(
				    json_object_get(it, "worker"));
				json_int_t o = worker_owed(doc, w, &wh);
				json_int_t a = json_integer_value(
				    json_object_get(it, "amount_fen"));

				json_array_append_new(ws,
				    o >= 0 ? json_pack("{s:I, s:I, s:I, s:I}",
				                 "worker", w, "amount_fen", a,
				                 "owed_fen", o, "unpaid_fen",
				                 o - a)
				           : json_pack("{s:I, s:I}", "worker", w,
				                 "amount_fen", a));
			}
			json_object_set_new(json_object_get(doc, "payment"),
			    "workers", ws);
		}
	}
	if (ev->service &&
	    (rc = service_record(env, doc, fields, who, today, err)) !=
	        WAGE_OK) {
		return (rc);
	}
	if (ev->assign == 1) {
		json_object_set_new(doc, "assigned",
		    json_pack("{s:s, s:s, s:s, s:s}", "name", who->name, "org",
		        who->org, "role", policy_role_name(who->role), "on",
		        now));
	} else if (ev->assign == 2) {
		json_object_set_new(doc, "assigned",
		    json_pack("{s:O, s:O, s:s, s:s}", "name",
		        json_object_get(fields, "assignee"), "org",
		        json_object_get(fields, "assignee_org"), "by",
		        who->name, "on", now));
	}
	if (ev->ack_limitation && lim != NULL) {
		json_object_set_new(lim, "acknowledged", json_true());
		json_object_set(
		    lim, "reason", json_object_get(fields, "reason"));
		json_object_set_new(lim, "by", json_string(who->name));
		json_object_set_new(lim, "on", json_string(now));
	}
	clock_refresh(clocks, p, env->calendar, today, NULL);
	return (WAGE_OK);
}

void
caserules_view(
    const struct caserules_env *env, json_t *view, const json_t *doc)
{
	struct civil_date today;
	json_t           *cv, *c;
	size_t            i;
	int               overdue = 0;

	civil_date_today(&today);
	cv = clock_view(
	    json_object_get(doc, "clocks"), env->policy, env->calendar, today);
	json_array_foreach (cv, i, c) {
		overdue |= json_is_true(json_object_get(c, "overdue"));
	}
	json_object_set_new(view, "clocks", cv != NULL ? cv : json_array());
	json_object_set_new(view, "overdue", json_boolean(overdue));
}

int
caserules_refresh(
    const struct caserules_env *env, json_t *doc, json_t *changes)
{
	struct civil_date today;

	civil_date_today(&today);
	return (clock_refresh(
	    ledger_of(doc), env->policy, env->calendar, today, changes));
}
