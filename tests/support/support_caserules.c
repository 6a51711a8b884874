/* SPDX-License-Identifier: MIT */
/*
 * support_caserules.c - the fixture of the caserules and service tests
 * (support_caserules.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "clock.h"
#include "workflow.h"

#include "support_caserules.h"
#include "support_policy.h"

struct tsupport_rules_group tsupport_rules_g;

#define G tsupport_rules_g

void
tsupport_mkactor(struct actor *a, const char *name, const char *org, int role,
    const char *region)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", name);
	snprintf(a->org, sizeof(a->org), "%s", org);
	snprintf(a->region, sizeof(a->region), "%s", region);
	a->role = role;
}

int
tsupport_rules_group_setup(void **state)
{
	static const char arb[] = "济南市劳动人事争议仲裁院";

	(void) state;
	if (tsupport_policy_load(&G.p) != 0 ||
	    tsupport_calendar_load(&G.cal) != 0 ||
	    tsupport_minwage_load(&G.mw) != 0) {
		return (-1);
	}
	G.env.policy   = G.p;
	G.env.calendar = G.cal;
	G.env.minwage  = G.mw;
	tsupport_mkactor(&G.clerk, "王芳", arb, ROLE_CLERK, "370100");
	tsupport_mkactor(&G.mediator, "李明", arb, ROLE_MEDIATOR, "370100");
	tsupport_mkactor(
	    &G.arbitrator, "刘洋", arb, ROLE_ARBITRATOR, "370100");
	tsupport_mkactor(&G.chair, "张主任", arb, ROLE_CHAIR, "370100");
	tsupport_mkactor(&G.unionist, "陈静", "济南市历下区总工会工会驿站",
	    ROLE_UNION, "370102");
	tsupport_mkactor(&G.inspector, "吴军", "济南市劳动保障监察支队",
	    ROLE_INSPECTOR, "370100");
	return (0);
}

int
tsupport_rules_group_teardown(void **state)
{
	(void) state;
	policy_free(G.p);
	calendar_free(G.cal);
	minwage_free(G.mw);
	memset(&G, 0, sizeof(G));
	return (0);
}

int
tsupport_rules_setup(void **state)
{
	(void) state;
	civil_date_today(&G.today);
	civil_date_format(&G.today, G.today_s, sizeof(G.today_s));
	return (0);
}

struct civil_date
tsupport_days_ago(int n)
{
	struct civil_date d;

	assert_int_equal(calendar_date_plus(G.today, -n, &d), WAGE_OK);
	return (d);
}

const char *
tsupport_datestr(struct civil_date d)
{
	static char buf[4][16];
	static int  next;
	char       *b = buf[next++ % 4];

	civil_date_format(&d, b, sizeof(buf[0]));
	return (b);
}

json_t *
tsupport_jdate(struct civil_date d)
{
	return (json_string(tsupport_datestr(d)));
}

const char *
tsupport_js(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	if (s == NULL) {
		print_error("no string '%s'\n", k);
	}
	assert_non_null(s);
	return (s);
}

json_t *
tsupport_clock_of(const json_t *doc, const char *name)
{
	return (json_object_get(json_object_get(doc, "clocks"), name));
}

const char *
tsupport_clock_state(const json_t *doc, const char *name)
{
	json_t *c = tsupport_clock_of(doc, name);

	if (c == NULL) {
		print_error("no clock '%s' in the ledger\n", name);
	}
	assert_non_null(c);
	return (tsupport_js(c, "state"));
}

json_t *
tsupport_mkdoc(
    const char *state, const char *region, int collective, json_t *items)
{
	json_t *doc;

	if (items == NULL) {
		items = json_pack("[{s:s, s:I}]", "kind", "wages",
		    "amount_fen", (json_int_t) 1860000);
	}
	doc = json_pack("{s:s, s:o, s:s, s:s, s:{s:b, s:b, s:b, s:i}, "
	                "s:{s:o}, s:{}}",
	    "id", "2026-000001", "received",
	    tsupport_jdate(tsupport_days_ago(2)), "state", state, "region",
	    region, "priority", "collective", collective, "migrant", 1,
	    "poverty_alleviated", 0, "workers", collective ? 12 : 1, "claim",
	    "items", items, "clocks");
	assert_non_null(doc);
	return (doc);
}

void
tsupport_set_clock(json_t *doc, const char *name, struct civil_date start)
{
	json_t *e = json_pack("{s:o, s:s, s:[], s:[], s:i, s:n}", "start",
	    tsupport_jdate(start), "state", "running", "suspensions",
	    "extensions", "restarts", 0, "stopped");

	assert_non_null(e);
	json_object_set_new(json_object_get(doc, "clocks"), name, e);
}

int
tsupport_fire(json_t *doc, const char *event, const struct actor *who,
    const json_t *fields, struct wage_error *err)
{
	const struct policy_event *ev = NULL;
	int                        rc;

	wage_err_clear(err);
	rc = workflow_check(G.p, tsupport_js(doc, "state"), event, who->role,
	    fields, &ev, err);
	if (rc != WAGE_OK) {
		return (rc);
	}
	rc = caserules_act(&G.env, doc, ev, fields, who, err);
	if (rc == WAGE_OK) {
		json_object_set_new(
		    doc, "state", json_string(G.p->states[ev->to].name));
	}
	return (rc);
}

void
tsupport_fire_ok(
    json_t *doc, const char *event, const struct actor *who, json_t *fields)
{
	struct wage_error err;
	int               rc = tsupport_fire(doc, event, who, fields, &err);

	if (rc != WAGE_OK) {
		fail_msg("%s: %s (field %s)", event, err.message, err.field);
	}
	json_decref(fields);
}

struct civil_date
tsupport_due_of(const json_t *doc, const char *name)
{
	struct civil_date due;
	long              i = policy_clock_find(G.p, name);
	int               prov;

	assert_true(i >= 0);
	assert_non_null(tsupport_clock_of(doc, name));
	assert_int_equal(
	    clock_due(&G.p->clocks[i], tsupport_clock_of(doc, name), G.cal,
	        G.today, &due, &prov),
	    WAGE_OK);
	return (due);
}

void
tsupport_assert_due_from(
    const json_t *doc, const char *name, struct civil_date start)
{
	const json_t *e = tsupport_clock_of(doc, name);

	assert_non_null(e);
	assert_string_equal(tsupport_js(e, "start"), tsupport_datestr(start));
	assert_string_equal(tsupport_js(e, "due"),
	    tsupport_datestr(tsupport_due_of(doc, name)));
}
