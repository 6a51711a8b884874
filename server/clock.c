/* SPDX-License-Identifier: MIT */
/*
 * clock.c - the ledger of a case's legal clocks and the due dates derived
 * from it (DOMAIN.md "Counting time"; the rules are the policy's).
 * Owns: the ledger's shape. Must not: store anything or read the calendar
 * files (calendar.c does).
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"

static const char *const action_names[CLK__COUNT] = { "start", "stop",
	"suspend", "resume", "restart", "extend" };

static json_t *
date_json(struct civil_date d)
{
	char buf[16];

	civil_date_format(&d, buf, sizeof(buf));
	return (json_string(buf));
}

static int
get_date(const json_t *o, const char *k, struct civil_date *d)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL && validate_date(s, d, k, NULL) == WAGE_OK ? 0 : -1);
}

static json_t *
new_entry(struct civil_date on)
{
	return (json_pack("{s:o, s:s, s:[], s:[], s:i, s:n}", "start",
	    date_json(on), "state", "running", "suspensions", "extensions",
	    "restarts", 0, "stopped"));
}

int
clock_start_one(
    json_t *clocks, const struct policy *p, size_t ci, struct civil_date on)
{
	json_t *e, *n;

	if (ci >= p->nclocks) {
		return (WAGE_OK); /* not configured (SIZE_MAX): nothing */
	}
	e = json_object_get(clocks, p->clocks[ci].name);

	if (e != NULL &&
	    strcmp(json_string_value(json_object_get(e, "state")),
	        "stopped") != 0) {
		return (WAGE_OK); /* already running: starting is idempotent */
	}
	if ((n = new_entry(on)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if (e != NULL) {
		/* Started again after a stop: keep how often. */
		json_object_set(n, "restarts", json_object_get(e, "restarts"));
	}
	json_object_set_new(clocks, p->clocks[ci].name, n);
	return (WAGE_OK);
}

static int
refuse(struct wage_error *err, const struct policy_clock *pc, const char *what)
{
	return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION, "event",
	    "the %s clock (%s) %s", pc->name, pc->basis, what));
}

static int
act(json_t *clocks, const struct policy *p, int action, size_t ci,
    struct civil_date on, int days, const char *who, struct wage_error *err)
{
	const struct policy_clock *pc = &p->clocks[ci];
	json_t                    *e  = json_object_get(clocks, pc->name);
	const char                *state;
	json_t                    *susp, *last, *n;

	state = e != NULL ? json_string_value(json_object_get(e, "state"))
	                  : "absent";
	switch (action) {
	case CLK_START:
		return (clock_start_one(clocks, p, ci, on));
	case CLK_STOP:
		if (e == NULL || strcmp(state, "stopped") == 0) {
			return (WAGE_OK);
		}
		if (strcmp(state, "suspended") == 0) {
			susp = json_object_get(e, "suspensions");
			last = json_array_get(susp, json_array_size(susp) - 1);
			json_object_set_new(last, "to", date_json(on));
		}
		json_object_set_new(e, "state", json_string("stopped"));
		json_object_set_new(e, "stopped", date_json(on));
		return (WAGE_OK);
	case CLK_SUSPEND:
		if (strcmp(state, "running") != 0) {
			return (refuse(err, pc,
			    "is not running, so it cannot be "
			    "suspended"));
		}
		json_array_append_new(json_object_get(e, "suspensions"),
		    json_pack("{s:o, s:n}", "from", date_json(on), "to"));
		json_object_set_new(e, "state", json_string("suspended"));
		return (WAGE_OK);
	case CLK_RESUME:
		if (strcmp(state, "suspended") != 0) {
			return (refuse(err, pc,
			    "is not suspended, so it cannot "
			    "be resumed"));
		}
		susp = json_object_get(e, "suspensions");
		last = json_array_get(susp, json_array_size(susp) - 1);
		json_object_set_new(last, "to", date_json(on));
		json_object_set_new(e, "state", json_string("running"));
		return (WAGE_OK);
	case CLK_RESTART:
		/* 办案规则 Art 46: the period is counted again from the day
		 * of the change; earlier suspensions and extensions lapse. */
		if ((n = new_entry(on)) == NULL) {
			return (WAGE_E_INTERNAL);
		}
		json_object_set_new(n, "restarts",
		    json_integer(e != NULL
		            ? json_integer_value(
		                  json_object_get(e, "restarts")) +
		                1
		            : 0));
		json_object_set_new(clocks, pc->name, n);
		return (WAGE_OK);
	case CLK_EXTEND:
		if (strcmp(state, "running") != 0 &&
		    strcmp(state, "suspended") != 0) {
			return (refuse(err, pc,
			    "is not running, so it cannot be "
			    "extended"));
		}
		if (pc->extend_max_times <= 0) {
			return (refuse(err, pc, "cannot be extended"));
		}
		if ((int) json_array_size(json_object_get(e, "extensions")) >=
		    pc->extend_max_times) {
			return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
			    "event",
			    "the %s clock has already been extended %d "
			    "time(s), the most %s allows",
			    pc->name, pc->extend_max_times, pc->basis));
		}
		if (days < 1 || days > pc->extend_max_days) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "fields.days",
			    "'fields.days' must be from 1 to %d for the %s "
			    "clock (%s)",
			    pc->extend_max_days, pc->name, pc->basis));
		}
		json_array_append_new(json_object_get(e, "extensions"),
		    json_pack("{s:i, s:o, s:s}", "days", days, "on",
		        date_json(on), "by", who != NULL ? who : ""));
		return (WAGE_OK);
	default:
		return (WAGE_E_INTERNAL);
	}
}

int
clock_apply(json_t *clocks, const struct policy *p,
    const struct policy_clock_ops *ops, struct civil_date on, int days,
    const char *who, struct wage_error *err)
{
	size_t i;
	int    a, rc;

	(void) action_names;
	for (a = 0; a < CLK__COUNT; a++) {
		for (i = 0; i < ops->n[a]; i++) {
			rc = act(
			    clocks, p, a, ops->idx[a][i], on, days, who, err);
			if (rc != WAGE_OK) {
				return (rc);
			}
		}
	}
	return (WAGE_OK);
}

/* suspended_on: is day d inside one of the entry's suspensions? */
static int
suspended_on(const json_t *susp, struct civil_date d, struct civil_date today)
{
	struct civil_date from, to;
	const json_t     *s;
	size_t            i;

	json_array_foreach (susp, i, s) {
		if (get_date(s, "from", &from) != 0) {
			continue;
		}
		if (get_date(s, "to", &to) != 0) {
			to = today; /* open: as if it ended today */
		}
		if (civil_date_cmp(&d, &from) > 0 &&
		    civil_date_cmp(&d, &to) <= 0) {
			return (1);
		}
	}
	return (0);
}

int
clock_due(const struct policy_clock *pc, const json_t *entry,
    const struct calendar *cal, struct civil_date today,
    struct civil_date *due, int *provisional)
{
	struct civil_date d, next;
	const json_t     *susp = json_object_get(entry, "suspensions");
	const json_t     *x;
	size_t            i;
	int               n, count = 0, guard = 0, prov = 0, work;

	*provisional = 0;
	if (get_date(entry, "start", &d) != 0) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	if (pc->until != NULL) {
		/* To a date the parties fixed (a pay-by date): that day. */
		return (get_date(entry, "until", due) == 0
		        ? WAGE_OK
		        : WAGE_E_INVALID_ARGUMENT);
	}
	n = pc->length;
	json_array_foreach (json_object_get(entry, "extensions"), i, x) {
		n += (int) json_integer_value(json_object_get(x, "days"));
	}
	/* Day 1 is the day after the start; suspended days do not count. */
	while (count < n) {
		if (calendar_date_plus(d, 1, &next) != 0 || ++guard > 20000) {
			return (WAGE_E_INVALID_ARGUMENT);
		}
		d = next;
		if (suspended_on(susp, d, today)) {
			continue;
		}
		if (pc->unit == CAL_WORKING_DAYS) {
			work = calendar_is_workday(cal, d, &prov);
			*provisional |= prov;
			if (work) {
				count++;
			}
		} else {
			count++;
		}
	}
	if (pc->unit != CAL_WORKING_DAYS) {
		/* 民事诉讼法 Art 85: a last day on a rest day moves to the
		 * first working day after it. */
		for (;;) {
			work = calendar_is_workday(cal, d, &prov);
			*provisional |= prov;
			/* A suspended day is no day to fall due on. */
			if (work && !suspended_on(susp, d, today)) {
				break;
			}
			if (calendar_date_plus(d, 1, &next) != 0 ||
			    ++guard > 20000) {
				return (WAGE_E_INVALID_ARGUMENT);
			}
			d = next;
		}
	}
	*due = d;
	return (WAGE_OK);
}

static const struct policy_clock *
rule_of(const struct policy *p, const char *name)
{
	long i = policy_clock_find(p, name);

	return (i >= 0 ? &p->clocks[i] : NULL);
}

int
clock_refresh(json_t *clocks, const struct policy *p,
    const struct calendar *cal, struct civil_date today, json_t *changes)
{
	const struct policy_clock *pc;
	const char                *name, *old;
	json_t                    *e;
	struct civil_date          due;
	char                       buf[16];
	int                        prov, oldprov, changed = 0;

	json_object_foreach (clocks, name, e) {
		if ((pc = rule_of(p, name)) == NULL ||
		    clock_due(pc, e, cal, today, &due, &prov) != WAGE_OK) {
			continue;
		}
		civil_date_format(&due, buf, sizeof(buf));
		old     = json_string_value(json_object_get(e, "due"));
		oldprov = json_is_true(json_object_get(e, "provisional"));
		if (old != NULL && strcmp(old, buf) == 0 && oldprov == prov) {
			continue;
		}
		if (changes != NULL && old != NULL) {
			json_array_append_new(changes,
			    json_pack("{s:s, s:s, s:s, s:b}", "clock", name,
			        "from", old, "to", buf, "provisional", prov));
		}
		json_object_set_new(e, "due", json_string(buf));
		json_object_set_new(e, "provisional", json_boolean(prov));
		changed += old != NULL;
	}
	return (changed);
}

int
clock_expired(const json_t *clocks, const struct policy *p, size_t ci,
    const struct calendar *cal, struct civil_date today)
{
	const json_t     *e = json_object_get(clocks, p->clocks[ci].name);
	const char       *state;
	struct civil_date due;
	int               prov;

	if (e == NULL) {
		return (0);
	}
	state = json_string_value(json_object_get(e, "state"));
	if (state == NULL || strcmp(state, "stopped") == 0) {
		return (0);
	}
	if (clock_due(&p->clocks[ci], e, cal, today, &due, &prov) != WAGE_OK) {
		return (0);
	}
	return (civil_date_cmp(&today, &due) > 0);
}

json_t *
clock_view(const json_t *clocks, const struct policy *p,
    const struct calendar *cal, struct civil_date today)
{
	const struct policy_clock *pc;
	const char                *name, *state;
	json_t                    *out = json_array(), *e, *v;
	struct civil_date          due;
	int                        prov, left;

	json_object_foreach ((json_t *) clocks, name, e) {
		if ((pc = rule_of(p, name)) == NULL) {
			continue;
		}
		state = json_string_value(json_object_get(e, "state"));
		v     = json_pack("{s:s, s:s?, s:s, s:O, s:i, s:s, s:s, s:b, "
		                      "s:I}",
		        "clock", name, "label", pc->label, "state",
                    state != NULL ? state : "?", "start",
		        json_object_get(e, "start"), "length", pc->length, "unit",
                    pc->unit == CAL_WORKING_DAYS ? "working_days"
		                                     : "calendar_days",
		        "basis", pc->basis, "target", pc->target, "extended_days",
		        (json_int_t) 0);
		if (v == NULL) {
			continue;
		}
		{
			json_int_t ext = 0;
			size_t     i;
			json_t    *x;

			json_array_foreach (
			    json_object_get(e, "extensions"), i, x) {
				ext += json_integer_value(
				    json_object_get(x, "days"));
			}
			json_object_set_new(
			    v, "extended_days", json_integer(ext));
		}
		if (pc->party != PARTY_NONE) {
			json_object_set_new(v, "party",
			    json_string(policy_party_name(pc->party)));
		}
		if (pc->window) {
			json_object_set_new(v, "window", json_true());
		}
		if (pc->until != NULL) {
			json_object_set_new(
			    v, "until", json_string(pc->until));
		}
		if (clock_due(pc, e, cal, today, &due, &prov) == WAGE_OK) {
			left = calendar_days_between(today, due);
			json_object_set_new(v, "due", date_json(due));
			json_object_set_new(
			    v, "provisional", json_boolean(prov));
			if (pc->window && left < 0 && state != NULL &&
			    strcmp(state, "stopped") != 0) {
				/* A party's window that has ended is over,
				 * nobody is late. */
				json_object_set_new(
				    v, "state", json_string("ended"));
			} else if (state != NULL &&
			    strcmp(state, "stopped") != 0) {
				json_object_set_new(
				    v, "days_left", json_integer(left));
				json_object_set_new(
				    v, "overdue", json_boolean(left < 0));
			}
		}
		json_array_append_new(out, v);
	}
	return (out);
}
