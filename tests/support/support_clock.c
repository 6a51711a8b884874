/* SPDX-License-Identifier: MIT */
/*
 * support_clock.c - what the clock ledger tests share: the group of the
 * shipped policy and calendars, fresh ledger entries, due dates that must
 * compute, and actions fired through clock_apply. Part of
 * libwage-testsupport.a.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "clock.h"

#include "support_caserules.h"
#include "support_clock.h"
#include "support_policy.h"

struct tsupport_clock_group tsupport_clock_g;

int
tsupport_clock_group_setup(void **state)
{
	(void) state;
	if (tsupport_policy_load(&tsupport_clock_g.p) != 0 ||
	    tsupport_calendar_load(&tsupport_clock_g.cal) != 0) {
		return (-1);
	}
	return (0);
}

int
tsupport_clock_group_teardown(void **state)
{
	(void) state;
	policy_free(tsupport_clock_g.p);
	calendar_free(tsupport_clock_g.cal);
	return (0);
}

/* A fresh ledger entry, as clock_start_one makes it. */
json_t *
tsupport_clock_entry(struct civil_date start)
{
	json_t *e = json_pack("{s:o, s:s, s:[], s:[], s:i, s:n}", "start",
	    tsupport_jdate(start), "state", "running", "suspensions",
	    "extensions", "restarts", 0, "stopped");

	assert_non_null(e);
	return (e);
}

json_t *
tsupport_clock_ledger(const char *name, struct civil_date start)
{
	json_t *l = json_object();

	assert_non_null(l);
	assert_int_equal(
	    json_object_set_new(l, name, tsupport_clock_entry(start)), 0);
	return (l);
}

struct civil_date
tsupport_clock_due(const struct policy_clock *pc, const json_t *e,
    const struct calendar *cal, struct civil_date today, int *prov)
{
	struct civil_date d = { 0, 0, 0 };
	int               p = -1;

	assert_int_equal(clock_due(pc, e, cal, today, &d, &p), WAGE_OK);
	assert_true(p == 0 || p == 1);
	if (prov != NULL) {
		*prov = p;
	}
	return (d);
}

const struct policy_clock *
tsupport_clock_rule(const char *name)
{
	long i = policy_clock_find(tsupport_clock_g.p, name);

	assert_true(i >= 0);
	return (&tsupport_clock_g.p->clocks[i]);
}

size_t
tsupport_clock_idx(const char *name)
{
	long i = policy_clock_find(tsupport_clock_g.p, name);

	assert_true(i >= 0);
	return ((size_t) i);
}

int
tsupport_clock_act(json_t *clocks, const char *name, int action,
    struct civil_date on, int days, struct wage_error *err)
{
	struct policy_clock_ops ops;
	size_t                  idx = tsupport_clock_idx(name);

	memset(&ops, 0, sizeof(ops));
	ops.idx[action] = &idx;
	ops.n[action]   = 1;
	wage_err_clear(err);
	return (clock_apply(
	    clocks, tsupport_clock_g.p, &ops, on, days, "刘主任", err));
}
