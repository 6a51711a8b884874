/* SPDX-License-Identifier: MIT */
/*
 * test_policy.c - the policy loader: the fixtures load and say what they
 * hold; every kind of broken policy is refused with "file:line: what is
 * wrong"; all errors of a file are reported. What the shipped policy
 * says is checked in test_policy_shipped.c.
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/sha256.h>

#include "calendar.h"
#include "policy.h"
#include "wage/protocol.h"

#include "support_file.h"

/* load_file loads path, capturing the diagnostics in *diag (caller frees). */
static int
load_file(const char *path, struct policy **p, char **diag, int *nerr)
{
	FILE  *d;
	size_t dlen;
	int    rv;

	d = open_memstream(diag, &dlen);
	assert_non_null(d);
	rv = policy_load_file(path, p, d, nerr);
	fclose(d);
	return (rv);
}

static int
load_buf(const char *name, const char *buf, size_t len, struct policy **p,
    char **diag, int *nerr)
{
	FILE  *d;
	size_t dlen;
	int    rv;

	d = open_memstream(diag, &dlen);
	assert_non_null(d);
	rv = policy_load_buffer(name, buf, len, p, d, nerr);
	fclose(d);
	return (rv);
}

/* has_line: does diag hold a line "...NAME:LINE: ...what..."? */
static bool
has_line(const char *diag, const char *name, int line, const char *what)
{
	char        prefix[256];
	const char *s = diag, *eol, *hit;

	snprintf(prefix, sizeof(prefix), "%s:%d: ", name, line);
	while (*s != '\0') {
		eol = strchr(s, '\n');
		if (eol == NULL) {
			eol = s + strlen(s);
		}
		hit = strstr(s, prefix);
		if (hit != NULL && hit < eol) {
			hit = strstr(hit + strlen(prefix), what);
			if (hit != NULL && hit < eol) {
				return (true);
			}
		}
		s = *eol == '\n' ? eol + 1 : eol;
	}
	return (false);
}

static void
test_policy_role_names(void **state)
{
	static const char *const names[ROLE__COUNT] = { "clerk", "mediator",
		"arbitrator", "chair", "union", "legal_aid", "auditor",
		"admin", "inspector" };
	int                      r;

	(void) state;
	for (r = 0; r < ROLE__COUNT; r++) {
		assert_string_equal(policy_role_name(r), names[r]);
		assert_int_equal(policy_role_from_name(names[r]), r);
	}
	assert_int_equal(policy_role_from_name("judge"), -1);
	assert_int_equal(policy_role_from_name("Clerk"), -1);
	assert_int_equal(policy_role_from_name(""), -1);
	assert_int_equal(policy_role_from_name(NULL), -1);
	assert_string_equal(policy_role_name(-1), "?");
	assert_string_equal(policy_role_name(ROLE__COUNT), "?");
}

static void
test_policy_hash(void **state)
{
	struct policy *a = NULL, *b = NULL, *c = NULL;
	unsigned char  digest[32];
	char           hex[65], *buf, *diag = NULL;
	size_t         len, i;
	int            nerr;

	(void) state;
	buf = tsupport_slurp(
	    tsupport_srcpath("policies/wage-dispute.yaml"), &len);
	assert_true(len > 0);
	assert_int_equal(load_buf("a", buf, len, &a, &diag, &nerr), 0);
	free(diag);
	assert_int_equal(load_buf("b", buf, len, &b, &diag, &nerr), 0);
	free(diag);
	assert_string_equal(a->hash_hex, b->hash_hex);
	assert_int_equal(strlen(a->hash_hex), 64);
	assert_int_equal(strspn(a->hash_hex, "0123456789abcdef"), 64);

	/* It is the SHA-256 of the bytes, not of what they mean. */
	assert_int_equal(
	    mbedtls_sha256_ret((unsigned char *) buf, len, digest, 0), 0);
	for (i = 0; i < 32; i++) {
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	}
	assert_string_equal(a->hash_hex, hex);

	/* One byte changed (inside the first comment): same meaning,
	 * different policy version. */
	assert_true(buf[0] == '#');
	buf[2] = buf[2] == 'x' ? 'y' : 'x';
	assert_int_equal(load_buf("c", buf, len, &c, &diag, &nerr), 0);
	free(diag);
	assert_string_not_equal(a->hash_hex, c->hash_hex);
	assert_int_equal(c->nevents, a->nevents);
	policy_free(a);
	policy_free(b);
	policy_free(c);
	free(buf);
}

static void
test_policy_minimal_fixture_loads(void **state)
{
	struct policy *p    = NULL;
	char          *diag = NULL;
	int            nerr = -1;

	(void) state;
	/* The base the bad-*.yaml fixtures are each one change away from. */
	assert_int_equal(load_file(tsupport_srcpath("tests/data/policies/"
	                                            "ok-minimal.yaml"),
	                     &p, &diag, &nerr),
	    0);
	assert_int_equal(nerr, 0);
	assert_string_equal(diag, "");
	assert_int_equal(p->nstates, 3);
	assert_int_equal(p->nevents, 3);
	assert_int_equal(p->nfields, 2);
	free(diag);
	policy_free(p);
}

static void
test_policy_clocks_fixture_loads(void **state)
{
	struct policy             *p = NULL;
	const struct policy_event *ev;
	char                      *diag = NULL;
	int                        nerr = -1;

	(void) state;
	/* The base the clock fixtures are each one change away from. */
	assert_int_equal(load_file(tsupport_srcpath("tests/data/policies/"
	                                            "ok-clocks.yaml"),
	                     &p, &diag, &nerr),
	    0);
	assert_int_equal(nerr, 0);
	assert_string_equal(diag, "");
	assert_int_equal(p->nclocks, 3);
	assert_int_equal(p->clocks[0].unit, CAL_CALENDAR_DAYS);
	assert_int_equal(p->clocks[1].unit, CAL_WORKING_DAYS);
	assert_string_equal(p->clocks[1].label, "审理");
	assert_null(p->clocks[0].label);
	assert_int_equal(p->clocks[1].extend_max_days, 15);
	assert_false(p->clocks[1].target);
	assert_true(p->clocks[2].target);
	assert_int_equal(p->clock_challenge_worker, 2);
	assert_int_equal(p->clock_challenge_employer, SIZE_MAX);
	assert_int_equal(p->clock_challenge_nonfinal, 2);
	assert_int_equal(p->npriority, 2);
	/* A name listed again for another state it stays in. */
	assert_int_equal(p->nevents, 8);
	assert_string_equal(p->events[2].name, "assign");
	assert_string_equal(p->events[3].name, "assign");
	ev = policy_event_find(p, "assign");
	assert_ptr_equal(ev, &p->events[2]);
	ev = policy_event_find(p, "claim");
	assert_int_equal(ev->assign, 1);
	assert_true(ev->ack_limitation);
	free(diag);
	policy_free(p);

	/* No clocks at all: nothing configured, nothing refused. */
	diag = NULL;
	assert_int_equal(load_file(tsupport_srcpath("tests/data/policies/"
	                                            "ok-minimal.yaml"),
	                     &p, &diag, &nerr),
	    0);
	assert_int_equal(p->nclocks, 0);
	assert_int_equal(p->npriority, 0);
	assert_int_equal(p->clock_challenge_worker, SIZE_MAX);
	assert_int_equal(p->clock_challenge_employer, SIZE_MAX);
	assert_int_equal(p->clock_challenge_nonfinal, SIZE_MAX);
	free(diag);
	policy_free(p);
}

static void
test_policy_automatic_fixture_loads(void **state)
{
	struct policy             *p = NULL;
	const struct policy_event *ev;
	char                      *diag = NULL;
	int                        nerr = -1;
	size_t                     i;

	(void) state;
	/* The base of the bad-automatic-*.yaml and bad-after-expiry-all-*
	 * fixtures: an automatic event no role fires by hand, guarded by
	 * two clocks. */
	assert_int_equal(load_file(tsupport_srcpath("tests/data/policies/"
	                                            "ok-automatic.yaml"),
	                     &p, &diag, &nerr),
	    0);
	assert_int_equal(nerr, 0);
	assert_string_equal(diag, "");
	ev = policy_event_find(p, "lapse");
	assert_non_null(ev);
	assert_true(ev->automatic);
	assert_int_equal(ev->roles, 0);
	assert_int_equal(ev->nrequires, 0);
	assert_int_equal(ev->nafter_expiry_all, 2);
	assert_string_equal(p->clocks[ev->after_expiry_all[0]].name, "hear");
	assert_string_equal(p->clocks[ev->after_expiry_all[1]].name, "appeal");
	assert_int_equal(ev->nafter_expiry, 0);
	/* No other event is automatic or has the guard. */
	for (i = 0; i < p->nevents; i++) {
		if (&p->events[i] != ev) {
			assert_false(p->events[i].automatic);
			assert_int_equal(p->events[i].nafter_expiry_all, 0);
		}
	}
	/* The system role is no role a certificate or a policy names. */
	assert_string_equal(policy_role_name(ROLE_SYSTEM), "system");
	assert_int_equal(policy_role_from_name("system"), -1);
	free(diag);
	policy_free(p);
}

static void
test_policy_procedure_fixture_loads(void **state)
{
	struct policy                *p = NULL;
	const struct policy_event    *ev;
	const struct policy_document *d;
	const struct policy_field    *f;
	char                         *diag = NULL;
	int                           nerr = -1;

	(void) state;
	/* The base the fixtures of the 2026.2 keys are each one change
	 * away from: what each key reads into. */
	assert_int_equal(load_file(tsupport_srcpath("tests/data/policies/"
	                                            "ok-procedure.yaml"),
	                     &p, &diag, &nerr),
	    0);
	assert_int_equal(nerr, 0);
	assert_string_equal(diag, "");
	assert_int_equal(p->nclocks, 6);
	assert_string_equal(p->clocks[2].until, "pay_by");
	assert_int_equal(p->clocks[2].length, 0);
	assert_null(p->clocks[0].until);
	assert_true(p->clocks[3].window);
	assert_int_equal(p->clocks[3].party, PARTY_WORKER);
	assert_int_equal(p->clocks[4].party, PARTY_EMPLOYER);
	assert_false(p->clocks[0].window);
	assert_int_equal(p->clocks[0].party, PARTY_NONE);
	assert_true(p->windows_from_service);
	assert_int_equal(p->clock_challenge_worker, 3);
	assert_int_equal(p->clock_challenge_employer, 4);
	assert_int_equal(p->clock_challenge_nonfinal, SIZE_MAX);
	assert_int_equal(p->clock_challenge_nonfinal_party[PARTY_WORKER], 3);
	assert_int_equal(p->clock_challenge_nonfinal_party[PARTY_EMPLOYER], 5);
	/* service */
	assert_int_equal(p->service.ndocuments, 2);
	assert_int_equal(p->service.public_notice_days, 30);
	assert_string_equal(p->service.public_notice_method, "public_notice");
	d = policy_document_find(p, "award");
	assert_non_null(d);
	assert_true(d->opens_windows);
	assert_false(d->takes_effect);
	assert_int_equal(d->to, (1u << PARTY_WORKER) | (1u << PARTY_EMPLOYER));
	d = policy_document_find(p, "settlement");
	assert_true(d->takes_effect);
	assert_int_equal(d->on_all_received.n[CLK_STOP], 1);
	assert_int_equal(d->on_all_received.idx[CLK_STOP][0], 1);
	/* bounds */
	f = &p->fields[policy_field_find(p, "hearing_date")];
	assert_true(f->has_min_days);
	assert_false(f->has_max_days);
	assert_int_equal(f->min_days, 5);
	assert_string_equal(f->bound_basis, "法 第11条");
	f = &p->fields[policy_field_find(p, "award_date")];
	assert_true(f->has_max_days);
	assert_int_equal(f->max_days, 0);
	f = &p->fields[policy_field_find(p, "amount_fen")];
	assert_int_equal(f->at_most, FIELD_AT_MOST_CLAIMED);
	assert_int_equal(
	    p->fields[policy_field_find(p, "reason")].has_min_days, false);
	/* event flags */
	ev = policy_event_find(p, "serve");
	assert_true(ev->service);
	ev = policy_event_find(p, "settle");
	assert_true(ev->agreement);
	ev = policy_event_find(p, "effective");
	assert_int_equal(ev->award_kinds, AWARD_KIND_FINAL);
	ev = policy_event_find(p, "sue");
	assert_int_equal(ev->nwithin_window, 2);
	assert_int_equal(ev->within_window[0], 3);
	assert_int_equal(ev->within_window[1], 5);
	free(diag);
	policy_free(p);
}

struct bad_case {
	const char *file; /* under tests/data/policies/ */
	int         line; /* where the error must be reported */
	const char *what; /* a part of the message */
	int         nerr; /* errors expected in all */
};

static const struct bad_case bad_cases[] = {
	{ "bad-syntax.yaml", 12, "YAML syntax error", 1 },
	{ "bad-empty.yaml", 1, "empty", 1 },
	{ "bad-two-docs.yaml", 46, "only one YAML document", 1 },
	{ "bad-anchor.yaml", 33, "anchors and aliases are not allowed", 1 },
	{ "bad-alias.yaml", 40, "anchors and aliases are not allowed", 2 },
	{ "bad-tag.yaml", 5, "tags are not allowed", 1 },
	{ "bad-duplicate-key.yaml", 37,
	    "duplicate key 'to' (first at line 36)", 1 },
	{ "bad-unknown-top-key.yaml", 6, "unknown key 'colour'", 1 },
	{ "bad-unknown-state-key.yaml", 18, "unknown key 'colour' in a state",
	    1 },
	{ "bad-unknown-field-key.yaml", 24, "unknown key 'default' in a field",
	    1 },
	{ "bad-unknown-event-key.yaml", 34, "unknown key 'guard' in an event",
	    1 },
	{ "bad-unknown-scope-key.yaml", 12, "unknown key 'planet'", 1 },
	{ "bad-wrong-node-type.yaml", 5, "'version' must be a string", 1 },
	{ "bad-missing-top-key.yaml", 4, "missing top-level key 'version'",
	    1 },
	{ "bad-missing-state-phase.yaml", 16, "state 'mid' has no 'phase'",
	    1 },
	{ "bad-missing-event-basis.yaml", 29, "event 'start' has no 'basis'",
	    1 },
	{ "bad-missing-event-to.yaml", 29, "event 'start' has no 'to'", 1 },
	{ "bad-empty-basis.yaml", 33, "'events.start.basis' must not be empty",
	    1 },
	{ "bad-unknown-role.yaml", 32, "unknown role 'judge'", 1 },
	{ "bad-undeclared-role.yaml", 9, "role 'chair' is not declared", 1 },
	{ "bad-duplicate-role.yaml", 32, "role 'clerk' is listed twice", 1 },
	{ "bad-unknown-op.yaml", 10, "unknown operation 'case.delete'", 1 },
	{ "bad-duplicate-op.yaml", 10, "duplicate key 'case.get'", 1 },
	{ "bad-duplicate-state.yaml", 21, "duplicate state 'mid'", 1 },
	{ "bad-duplicate-event.yaml", 46,
	    "duplicate event 'start' (first at line 29)", 1 },
	{ "bad-unknown-from-state.yaml", 42, "unknown state 'limbo'", 1 },
	{ "bad-unknown-to-state.yaml", 48,
	    "'events.lost.to': unknown state 'limbo'", 1 },
	{ "bad-unknown-field-ref.yaml", 38, "unknown field 'amount'", 1 },
	{ "bad-field-twice.yaml", 39, "field 'reason' is listed twice", 1 },
	{ "bad-field-type.yaml", 23, "unknown type 'float'", 1 },
	{ "bad-enum-no-values.yaml", 23, "enum but has no 'values'", 1 },
	{ "bad-values-not-enum.yaml", 24, "only allowed for type enum", 1 },
	{ "bad-int-min-max.yaml", 26, "'fields.days.min' (20) is greater", 1 },
	{ "bad-int-not-number.yaml", 27, "must be a whole number", 1 },
	{ "bad-bad-phase.yaml", 17, "unknown phase 'limbo'", 1 },
	{ "bad-bad-bool.yaml", 15, "must be true or false", 1 },
	{ "bad-bad-name.yaml", 16, "must be a name of lower-case letters", 4 },
	{ "bad-no-initial.yaml", 13, "no state is marked 'initial: true'", 1 },
	{ "bad-two-initial.yaml", 16,
	    "state 'mid' is marked initial, but so is 'open'", 1 },
	{ "bad-initial-terminal.yaml", 13,
	    "the initial state 'open' must not be terminal", 3 },
	{ "bad-terminal-from.yaml", 42,
	    "event 'drop' leaves state 'done', which is terminal", 1 },
	{ "bad-dead-end.yaml", 21,
	    "state 'stuck' is not terminal, but no event leads out", 1 },
	{ "bad-unreachable.yaml", 21,
	    "state 'island' cannot be reached from the initial state 'open'",
	    1 },
	{ "bad-no-scope.yaml", 9,
	    "role 'auditor' may call 'case.get' but is in neither", 1 },
	{ "bad-act-role.yaml", 32, "role 'auditor' may not call 'case.act'",
	    1 },
	/* Clocks (each one change from ok-clocks.yaml). */
	{ "bad-clock-unknown.yaml", 71,
	    "'events.start.clocks.start': unknown clock 'heard'", 1 },
	{ "bad-clock-no-section.yaml", 34,
	    "unknown clock 'award' (there is no 'clocks' section)", 1 },
	{ "bad-clock-duplicate.yaml", 30,
	    "duplicate key 'decide' (first at line 13)", 1 },
	{ "bad-clock-two-actions.yaml", 71,
	    "clock 'decide' is already under 'events.start.clocks.stop' "
	    "(line 70): one action per clock",
	    1 },
	{ "bad-clock-listed-twice.yaml", 39,
	    "'states.open.clocks.start': clock 'decide' is listed twice", 1 },
	{ "bad-clock-length.yaml", 14,
	    "'clocks.decide.length' must be from 1 to 3650", 1 },
	{ "bad-clock-unit.yaml", 20,
	    "unknown unit 'weeks'; allowed: calendar_days, working_days", 1 },
	{ "bad-clock-no-basis.yaml", 14, "clock 'decide' has no 'basis'", 1 },
	{ "bad-clock-extension-keys.yaml", 23,
	    "'clocks.hear.extension' has no 'max_times'", 1 },
	{ "bad-clock-action-key.yaml", 71,
	    "unknown key 'begin' in an event's clocks", 1 },
	{ "bad-clock-state-extend.yaml", 40,
	    "'states.open.clocks.extend': a state cannot extend a clock", 1 },
	{ "bad-clock-closed-running.yaml", 42,
	    "state 'done' is terminal but does not stop every clock on "
	    "entry",
	    1 },
	{ "bad-after-expiry.yaml", 106,
	    "'events.late.after_expiry': unknown clock 'heer'", 1 },
	{ "bad-priority-flag.yaml", 30,
	    "'priority': unknown flag 'urgent'; allowed: collective, "
	    "poverty_alleviated, migrant",
	    1 },
	{ "bad-priority-twice.yaml", 30,
	    "'priority': flag 'collective' is listed twice", 1 },
	{ "bad-award-clocks.yaml", 32,
	    "'award_clocks.worker': unknown clock 'apeal'", 1 },
	{ "bad-award-clocks-key.yaml", 33,
	    "unknown key 'court' in 'award_clocks'", 1 },
	{ "bad-extend-no-days.yaml", 80,
	    "event 'extend' extends a clock, so it must require the field "
	    "'days'",
	    1 },
	{ "bad-extend-too-long.yaml", 79,
	    "field 'days' allows up to 20 days, but clock 'hear' may be "
	    "extended by at most 15",
	    1 },
	{ "bad-extend-no-extension.yaml", 79,
	    "clock 'decide' has no 'extension'", 1 },
	{ "bad-assign-field.yaml", 86,
	    "event 'assign' has 'assign: field', so it must require the "
	    "field 'assignee_org'",
	    1 },
	{ "bad-assign-type.yaml", 93,
	    "its field 'assignee' must be of type string", 2 },
	{ "bad-assign-value.yaml", 99, "'events.claim.assign' must be self",
	    1 },
	{ "bad-award-fields.yaml", 114,
	    "event 'award' has 'award: true', so it must require the field "
	    "'award_date'",
	    1 },
	{ "bad-award-items-event.yaml", 119,
	    "event 'close' carries the field 'items' of type award_items, so "
	    "it must have 'award: true'",
	    1 },
	{ "bad-award-items-type.yaml", 110,
	    "event 'award' has 'award: true', so its field 'items' must be "
	    "of type award_items",
	    1 },
	{ "bad-consent-missing.yaml", 122,
	    "so 'consent' must be among its optional fields", 1 },
	{ "bad-consent-required.yaml", 122,
	    "so 'consent' must be among its optional fields (not required",
	    1 },
	{ "bad-consent-no-field.yaml", 121,
	    "needs the field 'consent', which is not under 'fields'", 2 },
	{ "bad-repeat-not-loop.yaml", 88,
	    "duplicate event 'assign' (first at line 81): an event may be "
	    "listed again only if it stays in its state",
	    1 },
	{ "bad-repeat-same-state.yaml", 88,
	    "duplicate event 'assign' (first at line 81)", 1 },
	{ "bad-bool-flag.yaml", 100,
	    "'events.claim.ack_limitation' must be true or false", 1 },
	/* Automatic events and after_expiry_all (each one change from
	 * ok-automatic.yaml). */
	{ "bad-automatic-requires.yaml", 130,
	    "event 'lapse' has 'automatic: true', so it must not require "
	    "fields: the server fires it with none ('requires' on line 132 "
	    "lists reason",
	    1 },
	{ "bad-automatic-assign.yaml", 130,
	    "event 'lapse' has 'automatic: true', so it cannot assign the "
	    "case ('assign' on line 132)",
	    1 },
	{ "bad-automatic-loop.yaml", 125,
	    "event 'lapse' is automatic and leads from 'mid' to 'mid', the "
	    "state it leaves: the server would fire it round for ever",
	    1 },
	{ "bad-automatic-no-roles.yaml", 129,
	    "'events.lapse.roles' must name at least one role", 1 },
	{ "bad-after-expiry-all-unknown.yaml", 131,
	    "'events.lapse.after_expiry_all': unknown clock 'apeal'", 1 },
	{ "bad-after-expiry-all-empty.yaml", 131,
	    "'events.lapse.after_expiry_all' must name at least one clock",
	    1 },
	/* The keys of policy 2026.2 (each one change from
	 * ok-procedure.yaml). */
	{ "bad-clock-length-until.yaml", 22,
	    "clock 'pay' has both 'length' and 'until'", 1 },
	{ "bad-clock-until-type.yaml", 22,
	    "clocks.pay.until: 'reason' must be a field of type date", 1 },
	{ "bad-clock-party.yaml", 29,
	    "'clocks.sue.party': unknown party 'court'; allowed: worker, "
	    "employer",
	    1 },
	{ "bad-clock-closed-window.yaml", 76,
	    "state 'done' is terminal and stops 'sue', a window an award "
	    "opens",
	    1 },
	{ "bad-within-window.yaml", 166,
	    "'events.sue.within_window': clock 'decide' is not a party's "
	    "window",
	    1 },
	{ "bad-service-fields.yaml", 153,
	    "event 'serve' has 'service: true', so it must require the "
	    "field 'method'",
	    1 },
	{ "bad-service-to.yaml", 58,
	    "'service.documents.award.to': unknown party 'court'", 1 },
	{ "bad-award-clocks-nonfinal.yaml", 47,
	    "'award_clocks': give either 'nonfinal'", 1 },
	{ "bad-bound-type.yaml", 84,
	    "'fields.reason': min_days_from_today and max_days_from_today "
	    "are only allowed for type date",
	    1 },
	{ "bad-at-most.yaml", 86,
	    "'fields.amount_fen.at_most' must be claimed", 1 },
	{ "bad-award-kind.yaml", 159,
	    "'events.effective.award_kind': unknown kind 'partial'; allowed: "
	    "final, nonfinal, mixed",
	    1 },
};

static void
test_policy_rejects_each_kind(void **state)
{
	struct policy *p;
	char           rel[256], *diag;
	size_t         i;
	int            nerr, fails = 0;

	(void) state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *bc = &bad_cases[i];

		p    = (struct policy *) 1;
		diag = NULL;
		nerr = -1;
		snprintf(rel, sizeof(rel), "tests/data/policies/%s", bc->file);
		if (load_file(tsupport_srcpath(rel), &p, &diag, &nerr) != -1 ||
		    p != NULL || nerr != bc->nerr ||
		    tsupport_count_lines(diag) != bc->nerr ||
		    !has_line(diag, bc->file, bc->line, bc->what)) {
			print_error("%s: expected %d error(s), line %d "
			            "'%s'; got %d:\n%s",
			    bc->file, bc->nerr, bc->line, bc->what, nerr,
			    diag);
			fails++;
		}
		free(diag);
	}
	assert_int_equal(fails, 0);
}

static void
test_policy_reports_all_errors(void **state)
{
	static const char M[]  = "bad-multi.yaml";
	struct policy    *p    = NULL;
	char             *diag = NULL;
	const char       *a, *b;
	int               nerr = 0;

	(void) state;
	assert_int_equal(load_file(tsupport_srcpath("tests/data/policies/"
	                                            "bad-multi.yaml"),
	                     &p, &diag, &nerr),
	    -1);
	assert_null(p);
	assert_int_equal(nerr, 5);
	assert_true(has_line(diag, M, 6, "unknown key 'colour'"));
	assert_true(has_line(diag, M, 18, "unknown phase"));
	assert_true(has_line(diag, M, 27, "is greater than"));
	assert_true(has_line(diag, M, 33, "unknown role 'judge'"));
	assert_true(has_line(diag, M, 43, "unknown state 'limbo'"));
	/* In file order, whatever order the checks found them in. */
	a = strstr(diag, ":6: ");
	b = strstr(diag, ":43: ");
	assert_true(a != NULL && b != NULL && a < b);
	free(diag);
}

static void
test_policy_rejects_inline(void **state)
{
	static const struct {
		const char *text;
		int         line;
		const char *what;
	} cases[] = {
		{ "- just\n- a list\n", 1, "must be a mapping" },
		{ "name: x\n\tversion: 1\n", 2, "YAML syntax error" },
		{ "{a: 1, a: 2}\n", 1, "duplicate key 'a'" },
		{ "? [a, b]\n: 1\n", 1, "mapping key must be a plain string" },
		{ "name: x\r\nversion: \"\\u0001\"\n", 2,
		    "'version' must be one line" },
	};
	struct policy *p;
	char          *diag;
	size_t         i;
	int            nerr;

	(void) state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		diag = NULL;
		assert_int_equal(load_buf("inline.yaml", cases[i].text,
		                     strlen(cases[i].text), &p, &diag, &nerr),
		    -1);
		assert_null(p);
		if (!has_line(
		        diag, "inline.yaml", cases[i].line, cases[i].what)) {
			print_error("case %zu:\n%s", i, diag);
			fail();
		}
		/* Control characters never reach the terminal. */
		assert_null(strchr(diag, '\x01'));
		free(diag);
	}
	/* Missing keys are each named. */
	diag = NULL;
	assert_int_equal(
	    load_buf("inline.yaml", "name: x\n", 8, &p, &diag, &nerr), -1);
	assert_true(has_line(diag, "inline.yaml", 1, "'version'"));
	assert_true(has_line(diag, "inline.yaml", 1, "'events'"));
	assert_int_equal(nerr, 7);
	free(diag);
}

static void
test_policy_rejects_too_large(void **state)
{
	struct policy *p = (struct policy *) 1;
	char          *buf, *diag = NULL, path[] = "/tmp/test_policy_XXXXXX";
	size_t         len = 1024 * 1024 + 1;
	FILE          *f;
	int            nerr = 0, fd;

	(void) state;
	buf = malloc(len);
	assert_non_null(buf);
	memset(buf, '#', len);
	assert_int_equal(load_buf("big.yaml", buf, len, &p, &diag, &nerr), -1);
	assert_null(p);
	assert_int_equal(nerr, 1);
	assert_true(has_line(diag, "big.yaml", 1, "larger than 1 MiB"));
	free(diag);

	/* The same through a file: refused before it is read. */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
	diag = NULL;
	assert_int_equal(load_file(path, &p, &diag, &nerr), -1);
	assert_true(has_line(diag, path, 1, "larger than 1 MiB"));
	free(diag);
	remove(path);

	/* A missing file is an error too, and says so. */
	diag = NULL;
	assert_int_equal(
	    load_file("/nonexistent/policy.yaml", &p, &diag, &nerr), -1);
	assert_null(p);
	assert_int_equal(nerr, 1);
	assert_non_null(strstr(diag, "/nonexistent/policy.yaml: cannot open"));
	free(diag);
	free(buf);
}

static void
test_policy_null_diag(void **state)
{
	struct policy *p    = NULL;
	int            nerr = 0;

	(void) state;
	/* diag and nerrors may be NULL. */
	assert_int_equal(
	    policy_load_buffer("x", "a: 1\n", 5, &p, NULL, &nerr), -1);
	assert_true(nerr > 0);
	assert_int_equal(
	    policy_load_buffer("x", "a: 1\n", 5, &p, NULL, NULL), -1);
	assert_null(p);
	policy_free(NULL);
}

/* Issue 13, part 9: the optional "filing" section. */
static void
test_policy_filing_section(void **state)
{
	static const char *const bad[] = {
		"filing:\n  max_days_back: -1\n  backdate_roles: [clerk]\n"
		"  basis: x\n",
		"filing:\n  max_days_back: 30\n  backdate_roles: [janitor]\n"
		"  basis: x\n",
		"filing:\n  max_days_back: 30\n  basis: x\n",
		"filing:\n  max_days_back: 30\n  backdate_roles: [clerk]\n"
		"  basis: x\n  other: 1\n",
	};
	struct policy *p = NULL;
	char          *base, *buf, *diag = NULL;
	size_t         blen, i;
	int            nerr = -1;

	(void) state;
	base = tsupport_slurp(
	    tsupport_srcpath("tests/data/policies/ok-minimal.yaml"), &blen);
	assert_non_null(base);
	/* Left out: no bound (a policy written before the section). */
	assert_int_equal(load_buf("p", base, blen, &p, &diag, &nerr), 0);
	assert_int_equal(p->filing_max_days_back, -1);
	assert_int_equal(p->filing_backdate_roles, 0);
	policy_free(p);
	free(diag);
	assert_true(asprintf(&buf,
	                "%sfiling:\n  max_days_back: 30\n"
	                "  backdate_roles: [clerk]\n  basis: 办案规则\n",
	                base) > 0);
	diag = NULL;
	assert_int_equal(load_buf("p", buf, strlen(buf), &p, &diag, &nerr), 0);
	assert_string_equal(diag, "");
	assert_int_equal(p->filing_max_days_back, 30);
	assert_int_equal(p->filing_backdate_roles, ROLE_BIT(ROLE_CLERK));
	assert_string_equal(p->filing_basis, "办案规则");
	policy_free(p);
	free(diag);
	free(buf);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_true(asprintf(&buf, "%s%s", base, bad[i]) > 0);
		diag = NULL;
		p    = NULL;
		assert_int_not_equal(
		    load_buf("p", buf, strlen(buf), &p, &diag, &nerr), 0);
		assert_null(p);
		assert_true(nerr > 0);
		assert_non_null(strstr(diag, "filing"));
		free(diag);
		free(buf);
	}
	free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_role_names),
		cmocka_unit_test(test_policy_hash),
		cmocka_unit_test(test_policy_minimal_fixture_loads),
		cmocka_unit_test(test_policy_filing_section),
		cmocka_unit_test(test_policy_clocks_fixture_loads),
		cmocka_unit_test(test_policy_automatic_fixture_loads),
		cmocka_unit_test(test_policy_procedure_fixture_loads),
		cmocka_unit_test(test_policy_rejects_each_kind),
		cmocka_unit_test(test_policy_reports_all_errors),
		cmocka_unit_test(test_policy_rejects_inline),
		cmocka_unit_test(test_policy_rejects_too_large),
		cmocka_unit_test(test_policy_null_diag),
	};

	return (cmocka_run_group_tests_name("policy", tests, NULL, NULL));
}
