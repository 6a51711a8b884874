/* SPDX-License-Identifier: MIT */
/*
 * support_clock.h - the fixture of the clock ledger tests (test_clock.c,
 * test_clock_refresh.c): the shipped policy and calendars, fresh ledger
 * entries as clock_start_one makes them, due dates that must compute, and
 * clock actions fired through clock_apply as an event fires them.
 * Part of libwage-testsupport.a.
 * Owns: the group (tsupport_clock_g), set by tsupport_clock_group_setup
 * (cmocka group setup) and freed by tsupport_clock_group_teardown.
 * The helpers fail the running test (they assert).
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#ifndef WAGE_SUPPORT_CLOCK_H
#define WAGE_SUPPORT_CLOCK_H

#include <stddef.h>

#include <jansson.h>

#include "calendar.h"
#include "policy.h"
#include "validate.h"
#include "wage/protocol.h"

struct tsupport_clock_group {
	struct policy   *p;
	struct calendar *cal;
};

extern struct tsupport_clock_group tsupport_clock_g;

int tsupport_clock_group_setup(void **state);
int tsupport_clock_group_teardown(void **state);

/* tsupport_clock_entry: a fresh running ledger entry from start (new). */
json_t *tsupport_clock_entry(struct civil_date start);

/* tsupport_clock_ledger: a ledger with one fresh entry, of clock name. */
json_t *tsupport_clock_ledger(const char *name, struct civil_date start);

/* tsupport_clock_due: clock_due of rule pc on entry e, which must
 * succeed; *prov (may be NULL) its provisional mark. */
struct civil_date tsupport_clock_due(const struct policy_clock *pc,
    const json_t *e, const struct calendar *cal, struct civil_date today,
    int *prov);

/* tsupport_clock_rule and tsupport_clock_idx: the shipped policy's clock
 * name (which must be there), and its index. */
const struct policy_clock *tsupport_clock_rule(const char *name);
size_t                     tsupport_clock_idx(const char *name);

/* tsupport_clock_act fires action (CLK_*) of clock name through
 * clock_apply on date on, days its argument; err is cleared first. */
int tsupport_clock_act(json_t *clocks, const char *name, int action,
    struct civil_date on, int days, struct wage_error *err);

#endif /* WAGE_SUPPORT_CLOCK_H */
