/* SPDX-License-Identifier: MIT */
/*
 * test_policy.c - the policy loader: the shipped policy loads clean and
 * says what the procedure says (states, events, legal clocks and what
 * each state and event does to them, flags); every kind of broken policy
 * is refused with "file:line: what is wrong"; all errors of a file are
 * reported.
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

static struct policy *
shipped(void)
{
	struct policy *p    = NULL;
	char          *diag = NULL;
	int            nerr = -1;

	assert_int_equal(
	    load_file(tsupport_srcpath("policies/wage-dispute.yaml"), &p,
	        &diag, &nerr),
	    0);
	if (nerr != 0) {
		print_error("%s", diag);
	}
	assert_int_equal(nerr, 0);
	assert_string_equal(diag, "");
	free(diag);
	assert_non_null(p);
	return (p);
}

static uint32_t
mask(const char *names)
{
	char     buf[256], *tok, *save = NULL;
	uint32_t m = 0;
	int      r;

	snprintf(buf, sizeof(buf), "%s", names);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		r = policy_role_from_name(tok);
		assert_true(r >= 0);
		m |= ROLE_BIT(r);
	}
	return (m);
}

static void
test_policy_shipped_loads(void **state)
{
	static const char *const terminal[] = { "closed_paid",
		"closed_mediated", "closed_awarded", "closed_refused",
		"closed_transferred", "closed_withdrawn", "closed_inspection",
		"closed_police", "closed_court", "closed_litigation" };
	static const char *const open[] = { "intake", "mediation", "mediated",
		"arbitration", "awarded" };
	struct policy           *p      = shipped();
	size_t                   i;
	long                     k;

	(void) state;
	assert_string_equal(p->name, "wage-dispute");
	assert_true(p->version != NULL && p->version[0] != '\0');
	assert_int_equal(p->nstates, 15);
	/* 30 event names; assign is listed for 3 states, claim for 2. */
	assert_int_equal(p->nevents, 33);
	assert_int_equal(p->nfields, 17);
	assert_int_equal(p->nclocks, 9);
	assert_string_equal(p->states[p->initial].name, "intake");
	assert_string_equal(p->states[p->initial].label, "受理审查");
	for (i = 0; i < sizeof(terminal) / sizeof(terminal[0]); i++) {
		k = policy_state_find(p, terminal[i]);
		assert_true(k >= 0);
		assert_true(p->states[k].terminal);
		assert_string_equal(p->states[k].phase, "closed");
	}
	for (i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
		k = policy_state_find(p, open[i]);
		assert_true(k >= 0);
		assert_false(p->states[k].terminal);
	}
	assert_int_equal(policy_state_find(p, "nowhere"), -1);
	for (i = 0; i < p->nevents; i++) {
		assert_non_null(p->events[i].basis);
		assert_true(strlen(p->events[i].basis) > 0);
	}
	policy_free(p);
}

static void
test_policy_shipped_events(void **state)
{
	struct policy             *p = shipped();
	const struct policy_event *ev;
	long                       k;

	(void) state;
	ev = policy_event_find(p, "award");
	assert_non_null(ev);
	assert_int_equal(ev->nfrom, 1);
	assert_string_equal(p->states[ev->from[0]].name, "arbitration");
	assert_string_equal(p->states[ev->to].name, "awarded");
	assert_int_equal(ev->roles, mask("arbitrator"));
	assert_int_equal(ev->nrequires, 2);
	assert_string_equal(p->fields[ev->requires[0]].name, "amount_fen");
	assert_string_equal(p->fields[ev->requires[1]].name, "award_date");
	assert_int_equal(ev->noptional, 2);
	assert_string_equal(p->fields[ev->optional[0]].name, "final");
	/* The award's items, worker by worker (Art 47). */
	assert_string_equal(p->fields[ev->optional[1]].name, "items");
	assert_int_equal(p->fields[ev->optional[1]].type, PF_AWARD_ITEMS);
	assert_string_equal(
	    policy_ftype_name(p->fields[ev->optional[1]].type), "award_items");
	assert_string_equal(policy_ftype_name(PF__COUNT), "?");
	assert_non_null(strstr(ev->basis, "第43条"));

	ev = policy_event_find(p, "refer_police");
	assert_non_null(ev);
	assert_int_equal(ev->nfrom, 3);
	assert_string_equal(p->states[ev->to].name, "closed_police");
	assert_int_equal(ev->roles, mask("clerk arbitrator"));
	assert_non_null(strstr(ev->basis, "刑法"));

	ev = policy_event_find(p, "supplement");
	assert_non_null(ev);
	assert_int_equal(ev->to, ev->from[0]); /* a self-loop */
	assert_int_equal(ev->roles, mask("clerk union legal_aid"));

	assert_null(policy_event_find(p, "reopen"));

	k = policy_field_find(p, "days");
	assert_true(k >= 0);
	assert_int_equal(p->fields[k].type, PF_INT);
	assert_int_equal(p->fields[k].min, 1);
	assert_int_equal(p->fields[k].max, 15);
	k = policy_field_find(p, "amount_fen");
	assert_true(k >= 0);
	assert_int_equal(p->fields[k].type, PF_FEN);
	k = policy_field_find(p, "pay_by");
	assert_true(k >= 0);
	assert_int_equal(p->fields[k].type, PF_DATE);
	k = policy_field_find(p, "final");
	assert_true(k >= 0);
	assert_int_equal(p->fields[k].type, PF_BOOL);
	k = policy_field_find(p, "court");
	assert_true(k >= 0);
	assert_int_equal(p->fields[k].type, PF_STRING);
	assert_int_equal(policy_field_find(p, "note"), -1);
	policy_free(p);
}

/* clock_named: the index of clock name, which must exist. */
static size_t
clock_named(const struct policy *p, const char *name)
{
	long k = policy_clock_find(p, name);

	if (k < 0) {
		print_error("no clock '%s'\n", name);
	}
	assert_true(k >= 0);
	return ((size_t) k);
}

/*
 * ops_are: are the clocks of action a in ops exactly the space-separated
 * names of want, in that order?
 */
static bool
ops_are(const struct policy *p, const struct policy_clock_ops *ops,
    enum policy_clock_action a, const char *want)
{
	char   buf[256], *tok, *save = NULL;
	size_t i = 0;

	snprintf(buf, sizeof(buf), "%s", want);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		if (i >= ops->n[a] ||
		    strcmp(p->clocks[ops->idx[a][i]].name, tok) != 0) {
			return (false);
		}
		i++;
	}
	return (i == ops->n[a]);
}

/* ops_none: no clock action at all? */
static bool
ops_none(const struct policy_clock_ops *ops)
{
	int a;

	for (a = 0; a < CLK__COUNT; a++) {
		if (ops->n[a] != 0) {
			return (false);
		}
	}
	return (true);
}

/* event_in: the entry of event name that may fire in state st. */
static const struct policy_event *
event_in(const struct policy *p, const char *name, const char *st)
{
	long   k = policy_state_find(p, st);
	size_t i, j;

	assert_true(k >= 0);
	for (i = 0; i < p->nevents; i++) {
		if (strcmp(p->events[i].name, name) != 0) {
			continue;
		}
		for (j = 0; j < p->events[i].nfrom; j++) {
			if (p->events[i].from[j] == (size_t) k) {
				return (&p->events[i]);
			}
		}
	}
	print_error("no event '%s' from '%s'\n", name, st);
	fail();
	return (NULL);
}

/* has_field: is field name among the event's requires (or optional)? */
static bool
has_field(const struct policy *p, const struct policy_event *ev,
    const char *name, bool required)
{
	const size_t *idx = required ? ev->requires : ev->optional;
	size_t        n   = required ? ev->nrequires : ev->noptional, i;

	for (i = 0; i < n; i++) {
		if (strcmp(p->fields[idx[i]].name, name) == 0) {
			return (true);
		}
	}
	return (false);
}

static void
test_policy_shipped_clocks(void **state)
{
	static const struct {
		const char *name;
		int         length, unit;
		bool        target;
		int         ext_days, ext_times;
		const char *basis;
	} want[] = {
		{ "acceptance", 5, CAL_CALENDAR_DAYS, false, 0, 0, "第29条" },
		{ "mediation", 15, CAL_CALENDAR_DAYS, false, 0, 0, "第14条" },
		{ "award", 45, CAL_CALENDAR_DAYS, false, 15, 1, "第43条" },
		{ "fast_track", 30, CAL_CALENDAR_DAYS, true, 0, 0, "速裁" },
		{ "inspection_accept", 5, CAL_WORKING_DAYS, false, 0, 0,
		    "劳动保障监察条例 第17条" },
		{ "inspection_investigate", 60, CAL_WORKING_DAYS, false, 30, 1,
		    "劳动保障监察条例 第17条" },
		{ "challenge_worker", 15, CAL_CALENDAR_DAYS, false, 0, 0,
		    "第48条" },
		{ "challenge_employer", 30, CAL_CALENDAR_DAYS, false, 0, 0,
		    "第49条" },
		{ "challenge_nonfinal", 15, CAL_CALENDAR_DAYS, false, 0, 0,
		    "第50条" },
	};
	struct policy             *p = shipped();
	const struct policy_clock *k;
	size_t                     i;

	(void) state;
	assert_int_equal(p->nclocks, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < p->nclocks; i++) {
		k = &p->clocks[clock_named(p, want[i].name)];
		assert_int_equal(k->length, want[i].length);
		assert_int_equal(k->unit, want[i].unit);
		assert_int_equal(k->target, want[i].target);
		assert_int_equal(k->extend_max_days, want[i].ext_days);
		assert_int_equal(k->extend_max_times, want[i].ext_times);
		assert_non_null(k->label);
		assert_non_null(strstr(k->basis, want[i].basis));
	}
	assert_int_equal(policy_clock_find(p, "limitation"), -1);
	assert_int_equal(policy_clock_find(p, NULL), -1);
	assert_int_equal(policy_clock_find(NULL, "award"), -1);

	/* Award (Art 48-50): the windows it starts. */
	assert_int_equal(
	    p->clock_challenge_worker, clock_named(p, "challenge_worker"));
	assert_int_equal(
	    p->clock_challenge_employer, clock_named(p, "challenge_employer"));
	assert_int_equal(
	    p->clock_challenge_nonfinal, clock_named(p, "challenge_nonfinal"));

	/* Work-list order, most urgent first. */
	assert_int_equal(p->npriority, 3);
	assert_string_equal(p->priority[0], "collective");
	assert_string_equal(p->priority[1], "poverty_alleviated");
	assert_string_equal(p->priority[2], "migrant");
	policy_free(p);
}

static void
test_policy_shipped_clock_actions(void **state)
{
	static const char *const all = "acceptance mediation award fast_track "
	                               "inspection_accept "
	                               "inspection_investigate "
	                               "challenge_worker challenge_employer "
	                               "challenge_nonfinal";
	struct policy           *p   = shipped();
	const struct policy_state *st;
	const struct policy_event *ev;
	size_t                     i;

	(void) state;
	/* Filing starts the Art 29 decision and the fast-track target. */
	st = &p->states[policy_state_find(p, "intake")];
	assert_true(
	    ops_are(p, &st->on_entry, CLK_START, "acceptance fast_track"));
	assert_true(ops_are(p, &st->on_entry, CLK_STOP, ""));
	/* A closed case keeps no clock running; open states do nothing. */
	for (i = 0; i < p->nstates; i++) {
		st = &p->states[i];
		if (st->terminal) {
			assert_true(ops_are(p, &st->on_entry, CLK_STOP, all));
			assert_true(ops_are(p, &st->on_entry, CLK_START, ""));
		} else if (strcmp(st->name, "intake") != 0) {
			assert_true(ops_none(&st->on_entry));
		}
	}

	ev = event_in(p, "accept", "intake");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "acceptance"));
	assert_true(ops_are(p, &ev->clocks, CLK_START, "mediation"));
	ev = event_in(p, "accept_arbitration", "intake");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "acceptance"));
	assert_true(ops_are(p, &ev->clocks, CLK_START, "award"));
	ev = event_in(p, "mediation_failed", "mediation");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "mediation"));
	assert_true(ops_are(p, &ev->clocks, CLK_START, "award"));
	assert_int_equal(ev->nafter_expiry, 0);
	/* Arts 5, 14: the worker may end mediation on any day. */
	ev = event_in(p, "apply_arbitration", "mediation");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "mediation"));
	assert_true(ops_are(p, &ev->clocks, CLK_START, "award"));
	assert_int_equal(ev->nafter_expiry, 0);
	/* Art 43: the extension is approved before the 45 days end. */
	ev = event_in(p, "extend", "arbitration");
	assert_int_equal(ev->nbefore_expiry, 1);
	assert_string_equal(p->clocks[ev->before_expiry[0]].name, "award");
	ev = event_in(p, "payment_default", "mediated");
	assert_true(ops_are(p, &ev->clocks, CLK_START, "award"));
	ev = event_in(p, "mediation_agreement", "mediation");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "mediation"));

	/* 办案规则 Art 46: suspension, restart; Art 43: extension. */
	ev = event_in(p, "suspend", "arbitration");
	assert_true(ops_are(p, &ev->clocks, CLK_SUSPEND, "award"));
	assert_int_equal(ev->roles, mask("arbitrator chair"));
	ev = event_in(p, "resume", "arbitration");
	assert_true(ops_are(p, &ev->clocks, CLK_RESUME, "award"));
	assert_true(has_field(p, ev, "reason", false));
	ev = event_in(p, "change_claim", "arbitration");
	assert_true(ops_are(p, &ev->clocks, CLK_RESTART, "award"));
	ev = event_in(p, "add_party", "arbitration");
	assert_true(ops_are(p, &ev->clocks, CLK_RESTART, "award"));
	assert_true(has_field(p, ev, "party", true));
	ev = event_in(p, "counterclaim", "arbitration");
	assert_true(ops_are(p, &ev->clocks, CLK_RESTART, "award"));
	ev = event_in(p, "extend", "arbitration");
	assert_true(ops_are(p, &ev->clocks, CLK_EXTEND, "award"));
	assert_int_equal(ev->roles, mask("chair"));
	assert_true(has_field(p, ev, "days", true));
	ev = event_in(p, "award", "arbitration");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "award"));
	ev = event_in(p, "hearing_scheduled", "arbitration");
	assert_true(ops_none(&ev->clocks));
	policy_free(p);
}

static void
test_policy_shipped_flags(void **state)
{
	static const char *const   consent[] = { "withdraw",
		  "arbitration_settled", "mediation_agreement", "concede" };
	struct policy             *p         = shipped();
	const struct policy_event *ev;
	size_t                     i, j, nconsent = 0, nassign = 0;
	size_t                     nclaim = 0, naward = 0, nack = 0;

	(void) state;
	for (i = 0; i < p->nevents; i++) {
		ev = &p->events[i];
		for (j = 0; j < sizeof(consent) / sizeof(consent[0]); j++) {
			if (strcmp(ev->name, consent[j]) == 0) {
				break;
			}
		}
		/* Art 63: exactly these need the workers' consent, which
		 * is an optional field (required on collective cases). */
		assert_int_equal(ev->collective_consent,
		    j < sizeof(consent) / sizeof(consent[0]));
		if (ev->collective_consent) {
			assert_true(has_field(p, ev, "consent", false));
			nconsent++;
		} else {
			assert_false(has_field(p, ev, "consent", false));
		}
		if (strcmp(ev->name, "assign") == 0) {
			assert_int_equal(ev->assign, 2);
			assert_int_equal(ev->roles, mask("clerk chair"));
			assert_true(has_field(p, ev, "assignee", true));
			assert_true(has_field(p, ev, "assignee_org", true));
			assert_int_equal(ev->to, ev->from[0]);
			nassign++;
		} else if (strcmp(ev->name, "claim") == 0) {
			assert_int_equal(ev->assign, 1);
			assert_int_equal(
			    ev->roles, mask("mediator arbitrator"));
			assert_int_equal(ev->to, ev->from[0]);
			nclaim++;
		} else {
			assert_int_equal(ev->assign, 0);
		}
		naward += ev->award;
		nack += ev->ack_limitation;
	}
	assert_int_equal(nconsent, 4);
	assert_int_equal(nassign, 3);
	assert_int_equal(nclaim, 2);
	assert_int_equal(naward, 1);
	assert_int_equal(nack, 1);
	assert_true(event_in(p, "assign", "intake") !=
	    event_in(p, "assign", "arbitration"));
	assert_true(event_in(p, "award", "arbitration")->award);
	ev = event_in(p, "acknowledge_limitation", "intake");
	assert_true(ev->ack_limitation);
	assert_int_equal(ev->to, ev->from[0]);
	assert_true(has_field(p, ev, "reason", true));
	assert_non_null(strstr(ev->basis, "第27条"));
	ev = event_in(p, "concede", "arbitration");
	assert_int_equal(ev->roles, mask("union legal_aid clerk"));
	assert_true(has_field(p, ev, "amount_fen", true));
	assert_non_null(strstr(ev->basis, "第63条"));
	assert_int_equal(
	    p->fields[policy_field_find(p, "consent")].type, PF_STRING);
	policy_free(p);
}

static void
test_policy_shipped_access(void **state)
{
	struct policy *p = shipped();
	int            r;

	(void) state;
	for (r = 0; r < ROLE__COUNT; r++) {
		assert_true(policy_op_allowed(p, WAGE_OP_WHOAMI, r));
		assert_true(policy_op_allowed(p, WAGE_OP_POLICY_GET, r));
		assert_int_equal(policy_op_allowed(p, WAGE_OP_CASE_FILE, r),
		    (mask("clerk union legal_aid") & ROLE_BIT(r)) != 0);
		assert_int_equal(policy_op_allowed(p, WAGE_OP_CASE_GET, r),
		    r != ROLE_ADMIN);
		assert_int_equal(policy_op_allowed(p, WAGE_OP_CASE_ACT, r),
		    r != ROLE_ADMIN && r != ROLE_AUDITOR);
		assert_int_equal(policy_op_allowed(p, WAGE_OP_AUDIT_VERIFY, r),
		    (mask("chair auditor admin") & ROLE_BIT(r)) != 0);
		/* Not granted in the policy: allowed to nobody. */
		assert_false(policy_op_allowed(p, WAGE_OP_AUTH_LOGIN, r));
	}
	assert_false(policy_op_allowed(p, "case.delete", ROLE_ADMIN));
	assert_false(policy_op_allowed(p, WAGE_OP_WHOAMI, -1));
	assert_false(policy_op_allowed(p, WAGE_OP_WHOAMI, ROLE__COUNT));
	assert_int_equal(
	    p->scope_region, mask("clerk mediator arbitrator chair auditor"));
	assert_int_equal(p->scope_org, mask("union legal_aid"));
	assert_int_equal(p->unmasked,
	    mask("clerk mediator arbitrator chair union legal_aid"));
	policy_free(p);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_shipped_loads),
		cmocka_unit_test(test_policy_shipped_events),
		cmocka_unit_test(test_policy_shipped_clocks),
		cmocka_unit_test(test_policy_shipped_clock_actions),
		cmocka_unit_test(test_policy_shipped_flags),
		cmocka_unit_test(test_policy_shipped_access),
		cmocka_unit_test(test_policy_role_names),
		cmocka_unit_test(test_policy_hash),
		cmocka_unit_test(test_policy_minimal_fixture_loads),
		cmocka_unit_test(test_policy_clocks_fixture_loads),
		cmocka_unit_test(test_policy_automatic_fixture_loads),
		cmocka_unit_test(test_policy_rejects_each_kind),
		cmocka_unit_test(test_policy_reports_all_errors),
		cmocka_unit_test(test_policy_rejects_inline),
		cmocka_unit_test(test_policy_rejects_too_large),
		cmocka_unit_test(test_policy_null_diag),
	};

	return (cmocka_run_group_tests_name("policy", tests, NULL, NULL));
}
