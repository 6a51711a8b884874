/* SPDX-License-Identifier: MIT */
/*
 * test_policy_shipped.c - the shipped policy (policies/wage-dispute.yaml,
 * version 2026.2) loads clean and says what the procedure says (DOMAIN.md
 * "The procedure" and "Counting time"): its states, events, legal clocks
 * and what each state and event does to them, the parties' windows and
 * service (送达), the bounds of its fields, its flags and who may call
 * what. The expectations are written from the procedure, not read from
 * the file, so that a wrong edit of the policy fails here. The loader's
 * refusals are in test_policy.c.
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

#include "calendar.h"
#include "policy.h"
#include "wage/protocol.h"

#include "support_file.h"

static struct policy *
shipped(void)
{
	struct policy *p    = NULL;
	char          *diag = NULL;
	size_t         dlen;
	FILE          *d;
	int            nerr = -1, rv;

	d = open_memstream(&diag, &dlen);
	assert_non_null(d);
	rv = policy_load_file(
	    tsupport_srcpath("policies/wage-dispute.yaml"), &p, d, &nerr);
	fclose(d);
	if (rv != 0 || nerr != 0) {
		print_error("%s", diag);
	}
	assert_int_equal(rv, 0);
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
	char   buf[512], *tok, *save = NULL;
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

/* ops_only: exactly the clocks want under action a, nothing else. */
static bool
ops_only(const struct policy *p, const struct policy_clock_ops *ops,
    enum policy_clock_action a, const char *want)
{
	int b;

	for (b = 0; b < CLK__COUNT; b++) {
		if (b != (int) a && ops->n[b] != 0) {
			return (false);
		}
	}
	return (ops_are(p, ops, a, want));
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

/* field: the field called name, which must exist. */
static const struct policy_field *
field(const struct policy *p, const char *name)
{
	long k = policy_field_find(p, name);

	if (k < 0) {
		print_error("no field '%s'\n", name);
	}
	assert_true(k >= 0);
	return (&p->fields[k]);
}

/* clocks_are: the clocks listed by idx/n, by name, are exactly want. */
static bool
clocks_are(
    const struct policy *p, const size_t *idx, size_t n, const char *want)
{
	struct policy_clock_ops ops;

	memset(&ops, 0, sizeof(ops));
	ops.idx[CLK_START] = (size_t *) idx;
	ops.n[CLK_START]   = n;
	return (ops_are(p, &ops, CLK_START, want));
}

static void
test_policy_shipped_loads(void **state)
{
	static const char *const terminal[] = { "closed_paid",
		"closed_awarded", "closed_refused", "closed_transferred",
		"closed_withdrawn", "closed_inspection", "closed_police",
		"closed_court", "closed_litigation" };
	static const struct {
		const char *name, *phase;
	} open[] = {
		{ "intake", "intake" },
		{ "pre_mediation", "mediation" },
		{ "agreed", "mediation" },
		{ "mediation", "mediation" },
		{ "mediated", "mediation" },
		{ "arbitration", "arbitration" },
		{ "awarded", "arbitration" },
		{ "effective", "arbitration" },
		{ "in_court", "arbitration" },
		{ "transferring", "arbitration" },
		{ "inspection", "inspection" },
		{ "ordered", "inspection" },
	};
	struct policy *p = shipped();
	size_t         i;
	long           k;

	(void) state;
	assert_string_equal(p->name, "wage-dispute");
	assert_string_equal(p->version, "2026.3");
	assert_int_equal(p->nstates, 21);
	/* 58 event names; serve is listed for 5 states, assign, claim and
	 * resolve_duplicate for 3 each, tribunal_notified for 2,
	 * appoint_representative and remove_representative for 6 each,
	 * elect_representatives for 3 (2026.3). */
	assert_int_equal(p->nevents, 81);
	/* 24 of the procedure, the award's items (Art 47), a changed
	 * claim's kind, amount and worker (办案规则 Art 46), 10 of
	 * representation (Art 24), the receiving region of a 移送, the
	 * answer to a duplicates flag and a payment's share per worker. */
	assert_int_equal(p->nfields, 41);
	assert_int_equal(p->nclocks, 17);
	assert_string_equal(p->states[p->initial].name, "intake");
	assert_string_equal(p->states[p->initial].label, "受理审查");
	for (i = 0; i < sizeof(terminal) / sizeof(terminal[0]); i++) {
		k = policy_state_find(p, terminal[i]);
		assert_true(k >= 0);
		assert_true(p->states[k].terminal);
		assert_string_equal(p->states[k].phase, "closed");
	}
	for (i = 0; i < sizeof(open) / sizeof(open[0]); i++) {
		k = policy_state_find(p, open[i].name);
		assert_true(k >= 0);
		assert_false(p->states[k].terminal);
		assert_string_equal(p->states[k].phase, open[i].phase);
	}
	assert_int_equal(sizeof(terminal) / sizeof(terminal[0]) +
	        sizeof(open) / sizeof(open[0]),
	    p->nstates);
	/* A 调解书 is served and paid in 'mediated' now; no closure of its
	 * own (2026.1 had closed_mediated). */
	assert_int_equal(policy_state_find(p, "closed_mediated"), -1);
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

	/* 刑法 Art 276-1, 条例 Art 41: the police referral follows the
	 * inspection body's order to pay, and belongs to it. */
	ev = policy_event_find(p, "refer_police");
	assert_non_null(ev);
	assert_int_equal(ev->nfrom, 1);
	assert_string_equal(p->states[ev->from[0]].name, "ordered");
	assert_string_equal(p->states[ev->to].name, "closed_police");
	assert_int_equal(ev->roles, mask("inspector"));
	assert_int_equal(ev->nafter_expiry, 1);
	assert_string_equal(
	    p->clocks[ev->after_expiry[0]].name, "order_payment");
	assert_non_null(strstr(ev->basis, "刑法"));

	/* 办案规则 Art 31, 条例 Art 10: refusal names the competent body;
	 * forward (首问负责) from intake, transfer only once accepted. */
	ev = event_in(p, "forward", "intake");
	assert_string_equal(p->states[ev->to].name, "closed_transferred");
	assert_true(has_field(p, ev, "receiving_body", true));
	assert_non_null(strstr(ev->basis, "第10条"));
	ev = policy_event_find(p, "transfer");
	assert_int_equal(ev->nfrom, 2);
	assert_string_equal(p->states[ev->from[0]].name, "mediation");
	assert_string_equal(p->states[ev->from[1]].name, "arbitration");
	assert_true(has_field(
	    p, event_in(p, "refuse", "intake"), "competent_body", false));

	ev = policy_event_find(p, "supplement");
	assert_non_null(ev);
	assert_int_equal(ev->to, ev->from[0]); /* a self-loop */
	assert_int_equal(ev->roles, mask("clerk union legal_aid"));

	/* add_party names the party added; 'party' is worker|employer. */
	ev = event_in(p, "add_party", "arbitration");
	assert_true(has_field(p, ev, "new_party", true));
	assert_false(has_field(p, ev, "party", true));
	assert_int_equal(field(p, "new_party")->type, PF_STRING);
	assert_int_equal(field(p, "party")->type, PF_ENUM);
	assert_int_equal(field(p, "party")->nvalues, 2);
	assert_string_equal(field(p, "party")->values[0], "worker");
	assert_string_equal(field(p, "party")->values[1], "employer");
	assert_int_equal(field(p, "document")->nvalues, 5);
	assert_int_equal(field(p, "method")->nvalues, 5);
	assert_string_equal(field(p, "method")->values[4], "public_notice");

	assert_null(policy_event_find(p, "reopen"));
	assert_null(policy_event_find(p, "litigation"));

	/* One `days` field for Art 43's 15 days and an inspection's 30
	 * working days; the clock refuses more than its own. */
	assert_int_equal(field(p, "days")->type, PF_INT);
	assert_int_equal(field(p, "days")->min, 1);
	assert_int_equal(field(p, "days")->max, 30);
	assert_int_equal(field(p, "amount_fen")->type, PF_FEN);
	assert_int_equal(field(p, "final")->type, PF_BOOL);
	assert_int_equal(field(p, "court")->type, PF_STRING);
	assert_int_equal(policy_field_find(p, "note"), -1);
	policy_free(p);
}

static void
test_policy_shipped_field_bounds(void **state)
{
	static const struct {
		const char *name;
		bool        has_min, has_max;
		int         min, max;
		const char *basis;
	} dates[] = {
		/* Art 35: notice at least 5 days before the hearing. */
		{ "hearing_date", true, false, 5, 0, "第35条" },
		{ "pay_by", true, false, 0, 0, "不得早于" },
		{ "paid_on", false, true, 0, 0, "不得晚于" },
		{ "award_date", false, true, 0, 0, "不得晚于" },
		{ "served_on", false, true, 0, 0, "送达" },
		{ "filed_on", false, true, 0, 0, "已提出" },
		{ "ruling_date", false, true, 0, 0, "已作出" },
	};
	struct policy             *p = shipped();
	const struct policy_field *f;
	size_t                     i;

	(void) state;
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		f = field(p, dates[i].name);
		assert_int_equal(f->type, PF_DATE);
		assert_int_equal(f->has_min_days, dates[i].has_min);
		assert_int_equal(f->has_max_days, dates[i].has_max);
		if (dates[i].has_min) {
			assert_int_equal(f->min_days, dates[i].min);
		}
		if (dates[i].has_max) {
			assert_int_equal(f->max_days, dates[i].max);
		}
		assert_non_null(f->bound_basis);
		assert_non_null(strstr(f->bound_basis, dates[i].basis));
		assert_int_equal(f->at_most, 0);
	}
	/* Art 28: no more than claimed; a payment no more than owed. */
	f = field(p, "amount_fen");
	assert_int_equal(f->at_most, FIELD_AT_MOST_CLAIMED);
	assert_non_null(strstr(f->bound_basis, "第28条"));
	f = field(p, "amount_paid_fen");
	assert_int_equal(f->type, PF_FEN);
	assert_int_equal(f->at_most, FIELD_AT_MOST_OWED);
	/* Unbounded: a date the worker gave, text. */
	assert_false(field(p, "reason")->has_min_days);
	assert_int_equal(field(p, "reason")->at_most, 0);
	policy_free(p);
}

static void
test_policy_shipped_clocks(void **state)
{
	static const struct {
		const char *name;
		int         length, unit;
		bool        target, window;
		int         party;
		const char *until;
		int         ext_days, ext_times;
		const char *basis;
	} want[] = {
		/* 办案规则 Art 80 (to confirm): 5 days are working days. */
		{ "acceptance", 5, CAL_WORKING_DAYS, false, false, PARTY_NONE,
		    NULL, 0, 0, "第29条" },
		/* 移送: the receiving body decides as on acceptance. */
		{ "transfer_acceptance", 5, CAL_WORKING_DAYS, false, false,
		    PARTY_NONE, NULL, 0, 0, "第9条" },
		{ "mediation", 15, CAL_CALENDAR_DAYS, false, false, PARTY_NONE,
		    NULL, 0, 0, "第14条" },
		{ "payment", 0, CAL_CALENDAR_DAYS, false, false, PARTY_NONE,
		    "pay_by", 0, 0, "第16条" },
		{ "award", 45, CAL_CALENDAR_DAYS, false, false, PARTY_NONE,
		    NULL, 15, 1, "第43条（自受理之日起）" },
		{ "service_respondent", 5, CAL_WORKING_DAYS, false, false,
		    PARTY_NONE, NULL, 0, 0, "第30条" },
		{ "defence", 10, CAL_WORKING_DAYS, false, true, PARTY_EMPLOYER,
		    NULL, 0, 0, "第30条" },
		{ "tribunal", 5, CAL_WORKING_DAYS, false, false, PARTY_NONE,
		    NULL, 0, 0, "第32条" },
		{ "fast_track", 30, CAL_CALENDAR_DAYS, true, false, PARTY_NONE,
		    NULL, 0, 0, "速裁" },
		{ "inspection_accept", 5, CAL_WORKING_DAYS, false, false,
		    PARTY_NONE, NULL, 0, 0, "第18条" },
		{ "inspection_investigate", 60, CAL_WORKING_DAYS, false, false,
		    PARTY_NONE, NULL, 30, 1, "劳动保障监察条例 第17条" },
		{ "order_payment", 0, CAL_CALENDAR_DAYS, false, false,
		    PARTY_NONE, "pay_by", 0, 0, "第26条" },
		{ "challenge_worker", 15, CAL_CALENDAR_DAYS, false, true,
		    PARTY_WORKER, NULL, 0, 0, "第48条" },
		{ "challenge_employer", 30, CAL_CALENDAR_DAYS, false, true,
		    PARTY_EMPLOYER, NULL, 0, 0, "第49条" },
		{ "challenge_nonfinal_worker", 15, CAL_CALENDAR_DAYS, false,
		    true, PARTY_WORKER, NULL, 0, 0, "第50条" },
		{ "challenge_nonfinal_employer", 15, CAL_CALENDAR_DAYS, false,
		    true, PARTY_EMPLOYER, NULL, 0, 0, "第50条" },
		/* Art 49 para 2: either party, from the court's ruling. */
		{ "suit_after_set_aside", 15, CAL_CALENDAR_DAYS, false, true,
		    PARTY_NONE, NULL, 0, 0, "第49条第2款" },
	};
	struct policy             *p = shipped();
	const struct policy_clock *k;
	size_t                     i;

	(void) state;
	assert_int_equal(p->nclocks, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < p->nclocks; i++) {
		k = &p->clocks[clock_named(p, want[i].name)];
		if (want[i].until == NULL) {
			assert_int_equal(k->length, want[i].length);
			assert_null(k->until);
		} else {
			assert_string_equal(k->until, want[i].until);
		}
		assert_int_equal(k->unit, want[i].unit);
		assert_int_equal(k->target, want[i].target);
		assert_int_equal(k->window, want[i].window);
		assert_int_equal(k->party, want[i].party);
		assert_int_equal(k->extend_max_days, want[i].ext_days);
		assert_int_equal(k->extend_max_times, want[i].ext_times);
		assert_non_null(k->label);
		assert_non_null(strstr(k->basis, want[i].basis));
	}
	assert_int_equal(policy_clock_find(p, "challenge_nonfinal"), -1);
	assert_int_equal(policy_clock_find(p, "limitation"), -1);
	assert_int_equal(policy_clock_find(p, NULL), -1);
	assert_int_equal(policy_clock_find(NULL, "award"), -1);

	/* Arts 48-50: each party's windows, from its own receipt. */
	assert_true(p->windows_from_service);
	assert_int_equal(
	    p->clock_challenge_worker, clock_named(p, "challenge_worker"));
	assert_int_equal(
	    p->clock_challenge_employer, clock_named(p, "challenge_employer"));
	assert_int_equal(p->clock_challenge_nonfinal, SIZE_MAX);
	assert_int_equal(p->clock_challenge_nonfinal_party[PARTY_WORKER],
	    clock_named(p, "challenge_nonfinal_worker"));
	assert_int_equal(p->clock_challenge_nonfinal_party[PARTY_EMPLOYER],
	    clock_named(p, "challenge_nonfinal_employer"));

	/* Work-list order, most urgent first. */
	assert_int_equal(p->npriority, 3);
	assert_string_equal(p->priority[0], "collective");
	assert_string_equal(p->priority[1], "poverty_alleviated");
	assert_string_equal(p->priority[2], "migrant");
	policy_free(p);
}

static void
test_policy_shipped_service(void **state)
{
	static const struct {
		const char *name;
		unsigned    to;
		bool        effect, windows;
		const char *basis;
	} want[] = {
		{ "application_copy", 1u << PARTY_EMPLOYER, false, false,
		    "第30条" },
		{ "acceptance_notice", 1u << PARTY_WORKER, false, false,
		    "第29条" },
		{ "hearing_notice",
		    (1u << PARTY_WORKER) | (1u << PARTY_EMPLOYER), false,
		    false, "第35条" },
		{ "settlement", (1u << PARTY_WORKER) | (1u << PARTY_EMPLOYER),
		    true, false, "第42条" },
		{ "award", (1u << PARTY_WORKER) | (1u << PARTY_EMPLOYER),
		    false, true, "第47条至第50条" },
	};
	struct policy                *p = shipped();
	const struct policy_document *d;
	size_t                        i;
	int                           party;

	(void) state;
	/* 民事诉讼法 Art 95: deemed served 30 days after publication. */
	assert_string_equal(p->service.public_notice_method, "public_notice");
	assert_int_equal(p->service.public_notice_days, 30);
	/* Issue 13, part 9: back-dated filings. */
	assert_int_equal(p->filing_max_days_back, 30);
	assert_int_equal(p->filing_backdate_roles, ROLE_BIT(ROLE_CLERK));
	assert_non_null(strstr(p->filing_basis, "第29条"));
	assert_non_null(strstr(p->service.public_notice_basis, "第95条"));
	assert_int_equal(
	    p->service.ndocuments, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		d = policy_document_find(p, want[i].name);
		assert_non_null(d);
		assert_int_equal(d->to, want[i].to);
		assert_int_equal(d->takes_effect, want[i].effect);
		assert_int_equal(d->opens_windows, want[i].windows);
		assert_non_null(d->label);
		assert_non_null(strstr(d->basis, want[i].basis));
	}
	assert_null(policy_document_find(p, "summons"));
	assert_null(policy_document_find(p, NULL));
	/* Art 30: the respondent's receipt of the application ends the
	 * commission's 5 days and starts its 10 days to answer. */
	d = policy_document_find(p, "application_copy");
	assert_true(ops_none(&d->on_receipt[PARTY_WORKER]));
	assert_true(ops_are(p, &d->on_receipt[PARTY_EMPLOYER], CLK_STOP,
	    "service_respondent"));
	assert_true(
	    ops_are(p, &d->on_receipt[PARTY_EMPLOYER], CLK_START, "defence"));
	assert_true(ops_none(&d->on_all_received));
	/* Art 42: a 调解书 in force ends the award period, and with it
	 * the commission's service and composition clocks. */
	d = policy_document_find(p, "settlement");
	assert_true(ops_only(p, &d->on_all_received, CLK_STOP,
	    "award service_respondent tribunal"));
	for (party = 0; party < PARTY__COUNT; party++) {
		assert_true(ops_none(&d->on_receipt[party]));
	}
	/* The award opens windows (award_clocks), no clock actions. */
	d = policy_document_find(p, "award");
	assert_true(ops_none(&d->on_all_received));
	assert_string_equal(policy_party_name(PARTY_WORKER), "worker");
	assert_string_equal(policy_party_name(PARTY_EMPLOYER), "employer");
	assert_string_equal(policy_party_name(PARTY_NONE), "");
	assert_int_equal(policy_party_from_name("employer"), PARTY_EMPLOYER);
	assert_int_equal(policy_party_from_name("court"), -1);
	assert_int_equal(policy_party_from_name(NULL), -1);
	policy_free(p);
}

static void
test_policy_shipped_clock_actions(void **state)
{
	/* Every clock of the commission's, and the respondent's defence
	 * window; not the windows an award opens. */
	static const char *const   body = "acceptance transfer_acceptance "
	                                  "mediation payment award "
	                                  "service_respondent defence "
	                                  "tribunal fast_track "
	                                  "inspection_accept "
	                                  "inspection_investigate "
	                                  "order_payment";
	struct policy             *p    = shipped();
	const struct policy_state *st;
	const struct policy_event *ev;
	size_t                     i, j, k;

	(void) state;
	/* Filing starts the Art 29 decision and the fast-track target. */
	st = &p->states[policy_state_find(p, "intake")];
	assert_true(
	    ops_only(p, &st->on_entry, CLK_START, "acceptance fast_track"));
	/* Referral to inspection ends the commission's clocks and starts
	 * the inspection body's decision to accept. */
	st = &p->states[policy_state_find(p, "inspection")];
	assert_true(ops_are(p, &st->on_entry, CLK_STOP,
	    "acceptance mediation payment award service_respondent defence "
	    "tribunal"));
	assert_true(ops_are(p, &st->on_entry, CLK_START, "inspection_accept"));
	/* A closed case keeps none of the commission's clocks running;
	 * the respondent's defence window ends with it, the windows an
	 * award opens run on after closure. Open states do nothing. */
	for (i = 0; i < p->nstates; i++) {
		st = &p->states[i];
		if (st->terminal) {
			assert_true(
			    ops_only(p, &st->on_entry, CLK_STOP, body));
			for (j = 0; j < st->on_entry.n[CLK_STOP]; j++) {
				k = st->on_entry.idx[CLK_STOP][j];
				assert_true(!p->clocks[k].window ||
				    strcmp(p->clocks[k].name, "defence") == 0);
				assert_true(k != p->clock_challenge_worker &&
				    k != p->clock_challenge_employer);
			}
		} else if (strcmp(st->name, "intake") != 0 &&
		    strcmp(st->name, "inspection") != 0) {
			assert_true(ops_none(&st->on_entry));
		}
	}

	/* Intake: 补正 suspends the 5 days, completion restarts them. */
	ev = event_in(p, "request_materials", "intake");
	assert_true(ops_only(p, &ev->clocks, CLK_SUSPEND, "acceptance"));
	ev = event_in(p, "supplement", "intake");
	assert_true(ops_only(p, &ev->clocks, CLK_RESTART, "acceptance"));
	/* Art 14: mediation before acceptance, 15 days outside the 45. */
	ev = event_in(p, "pre_mediation", "intake");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "acceptance"));
	assert_true(ops_are(p, &ev->clocks, CLK_START, "mediation"));
	assert_true(has_field(p, ev, "mediation_consent", true));
	ev = event_in(p, "pre_mediation_ended", "pre_mediation");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "mediation"));
	assert_true(ops_are(p, &ev->clocks, CLK_RESTART, "acceptance"));
	assert_int_equal(ev->nafter_expiry, 0); /* Arts 5, 14: any day */
	ev = event_in(p, "pre_mediation_agreement", "pre_mediation");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "mediation"));
	assert_true(ops_are(p, &ev->clocks, CLK_START, "payment"));
	ev = event_in(p, "payment_default", "agreed");
	assert_string_equal(p->states[ev->to].name, "intake");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "payment"));
	assert_true(ops_are(p, &ev->clocks, CLK_RESTART, "acceptance"));
	assert_true(
	    clocks_are(p, ev->after_expiry, ev->nafter_expiry, "payment"));
	ev = event_in(p, "payment_order", "agreed");
	assert_true(
	    clocks_are(p, ev->after_expiry, ev->nafter_expiry, "payment"));

	/* Art 43: the 45 days count from acceptance, both ways in. */
	ev = event_in(p, "accept", "intake");
	assert_string_equal(p->states[ev->to].name, "mediation");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "acceptance"));
	assert_true(ops_are(
	    p, &ev->clocks, CLK_START, "award service_respondent tribunal"));
	ev = event_in(p, "accept_arbitration", "intake");
	assert_string_equal(p->states[ev->to].name, "arbitration");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "acceptance"));
	assert_true(ops_are(
	    p, &ev->clocks, CLK_START, "award service_respondent tribunal"));
	/* Tribunal mediation runs inside the 45 days: leaving it neither
	 * starts nor restarts the award clock (Arts 5, 42, 43). */
	ev = event_in(p, "mediation_failed", "mediation");
	assert_true(ops_none(&ev->clocks));
	assert_int_equal(ev->nafter_expiry, 0);
	ev = event_in(p, "apply_arbitration", "mediation");
	assert_true(ops_none(&ev->clocks));
	assert_int_equal(ev->nafter_expiry, 0);
	assert_true(
	    ops_none(&event_in(p, "start_mediation", "arbitration")->clocks));
	ev = event_in(p, "mediation_agreement", "mediation");
	assert_true(ops_only(p, &ev->clocks, CLK_START, "payment"));
	ev = event_in(p, "arbitration_settled", "arbitration");
	assert_true(ops_only(p, &ev->clocks, CLK_START, "payment"));
	/* Art 42: a party may go back on the 调解书 only before it is in
	 * force, which voids it; enforcement only once it is. */
	ev = event_in(p, "settlement_refused", "mediated");
	assert_true(ops_only(p, &ev->clocks, CLK_STOP, "payment"));
	assert_int_equal(ev->settlement, 1);
	assert_true(ev->settlement_void);
	ev = event_in(p, "enforcement_settlement", "mediated");
	assert_int_equal(ev->settlement, 2);
	assert_false(ev->settlement_void);
	assert_true(
	    clocks_are(p, ev->after_expiry, ev->nafter_expiry, "payment"));
	ev = event_in(p, "tribunal_notified", "arbitration");
	assert_true(ops_only(p, &ev->clocks, CLK_STOP, "tribunal"));

	/* 办案规则 Art 46: suspension, restart; Art 43: extension. */
	ev = event_in(p, "suspend", "arbitration");
	assert_true(ops_only(p, &ev->clocks, CLK_SUSPEND, "award"));
	assert_int_equal(ev->roles, mask("arbitrator chair"));
	ev = event_in(p, "resume", "arbitration");
	assert_true(ops_only(p, &ev->clocks, CLK_RESUME, "award"));
	assert_true(has_field(p, ev, "reason", false));
	ev = event_in(p, "change_claim", "arbitration");
	assert_true(ops_only(p, &ev->clocks, CLK_RESTART, "award"));
	/* The claim of 'kind' becomes claim_fen (Art 46), so that what may
	 * be agreed or awarded follows the claim as changed. */
	assert_true(ev->claim_change);
	assert_true(has_field(p, ev, "kind", true));
	assert_true(has_field(p, ev, "claim_fen", true));
	assert_int_equal(field(p, "kind")->type, PF_ENUM);
	assert_int_equal(field(p, "kind")->nvalues, 8);
	assert_int_equal(field(p, "claim_fen")->type, PF_FEN);
	ev = event_in(p, "add_party", "arbitration");
	assert_true(ops_only(p, &ev->clocks, CLK_RESTART, "award"));
	ev = event_in(p, "counterclaim", "arbitration");
	assert_true(ops_only(p, &ev->clocks, CLK_RESTART, "award"));
	ev = event_in(p, "extend", "arbitration");
	assert_true(ops_only(p, &ev->clocks, CLK_EXTEND, "award"));
	assert_int_equal(ev->roles, mask("chair"));
	assert_true(has_field(p, ev, "days", true));
	assert_true(
	    clocks_are(p, ev->before_expiry, ev->nbefore_expiry, "award"));
	/* The award ends the commission's clocks and the respondent's
	 * time to answer; the windows open on service (award_clocks.from:
	 * service), not here. */
	ev = event_in(p, "award", "arbitration");
	assert_true(ops_only(p, &ev->clocks, CLK_STOP,
	    "award service_respondent defence tribunal"));
	assert_true(ops_none(
	    &event_in(p, "hearing_scheduled", "arbitration")->clocks));
	/* Art 49 para 2: from the ruling that sets the award aside. */
	ev = event_in(p, "award_set_aside", "in_court");
	assert_true(
	    ops_only(p, &ev->clocks, CLK_START, "suit_after_set_aside"));

	/* Labour inspection (劳动保障监察条例 Art 17). */
	ev = event_in(p, "inspection_accept", "inspection");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP, "inspection_accept"));
	assert_true(
	    ops_are(p, &ev->clocks, CLK_START, "inspection_investigate"));
	ev = event_in(p, "inspection_extend", "inspection");
	assert_true(
	    ops_only(p, &ev->clocks, CLK_EXTEND, "inspection_investigate"));
	assert_true(clocks_are(p, ev->before_expiry, ev->nbefore_expiry,
	    "inspection_investigate"));
	ev = event_in(p, "order_payment", "inspection");
	assert_string_equal(p->states[ev->to].name, "ordered");
	assert_true(ops_are(p, &ev->clocks, CLK_STOP,
	    "inspection_accept inspection_investigate"));
	assert_true(ops_are(p, &ev->clocks, CLK_START, "order_payment"));
	assert_true(
	    ops_none(&event_in(p, "refer_inspection", "arbitration")->clocks));
	policy_free(p);
}

static void
test_policy_shipped_flags(void **state)
{
	static const char *const   consent[]   = { "withdraw",
		    "arbitration_settled", "mediation_agreement", "concede",
		    "pre_mediation_agreement", "change_claim", "settle" };
	static const char *const   agreement[] = { "pre_mediation_agreement",
		  "mediation_agreement", "arbitration_settled",
		  "order_payment" };
	struct policy             *p           = shipped();
	const struct policy_event *ev;
	size_t i, j, nconsent = 0, nassign = 0, nclaim = 0, naward = 0;
	size_t nack = 0, nservice = 0, nagree = 0, npay = 0, nkind = 0;
	size_t nwithin = 0, nauto = 0;

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
		for (j = 0; j < sizeof(agreement) / sizeof(agreement[0]);
		     j++) {
			if (strcmp(ev->name, agreement[j]) == 0) {
				break;
			}
		}
		assert_int_equal(ev->agreement,
		    j < sizeof(agreement) / sizeof(agreement[0]));
		if (ev->agreement) {
			/* What is owed, to a pay-by date that is a clock. */
			assert_true(has_field(p, ev, "amount_fen", true));
			assert_true(has_field(p, ev, "pay_by", true));
			nagree++;
		}
		if (strcmp(ev->name, "assign") == 0) {
			assert_int_equal(ev->assign, 2);
			assert_int_equal(ev->roles, mask("clerk chair"));
			assert_true(has_field(p, ev, "assignee", true));
			assert_true(has_field(p, ev, "assignee_org", true));
			assert_int_equal(ev->to, ev->from[0]);
			nassign++;
		} else if (strcmp(ev->name, "claim") == 0) {
			/* Before acceptance only a mediator takes it. */
			assert_int_equal(ev->assign, 1);
			assert_int_equal(ev->roles,
			    strcmp(p->states[ev->from[0]].name,
			        "pre_mediation") == 0
			        ? mask("mediator")
			        : mask("mediator arbitrator"));
			assert_int_equal(ev->to, ev->from[0]);
			nclaim++;
		} else {
			assert_int_equal(ev->assign, 0);
		}
		assert_int_equal(ev->service, strcmp(ev->name, "serve") == 0);
		if (ev->service) {
			assert_int_equal(ev->to, ev->from[0]);
			assert_true(has_field(p, ev, "served_on", true));
			nservice++;
		}
		assert_int_equal(
		    ev->payment, strcmp(ev->name, "confirm_paid") == 0);
		npay += ev->payment;
		nkind += ev->award_kinds != 0;
		nwithin += ev->nwithin_window != 0;
		naward += ev->award;
		nack += ev->ack_limitation;
		/* The server fires an automatic event with no fields and
		 * assigns nobody; a clerk may still record it sooner. */
		if (ev->automatic) {
			assert_int_equal(ev->nrequires, 0);
			assert_int_equal(ev->assign, 0);
			assert_true(ev->roles & mask("clerk"));
			assert_string_equal(
			    p->states[ev->to].name, "effective");
			nauto++;
		}
		assert_int_equal(
		    ev->claim_change, strcmp(ev->name, "change_claim") == 0);
		assert_int_equal(ev->settlement_void,
		    strcmp(ev->name, "settlement_refused") == 0);
		/* after_expiry_all only where the automatic event is. */
		if (ev->nafter_expiry_all != 0) {
			assert_string_equal(ev->name, "award_effective");
		}
	}
	assert_int_equal(nconsent, 7);
	assert_int_equal(nagree, 4);
	assert_int_equal(nassign, 3);
	assert_int_equal(nclaim, 3);
	assert_int_equal(nservice, 5);
	assert_int_equal(npay, 1);
	assert_int_equal(naward, 1);
	assert_int_equal(nack, 1);
	assert_int_equal(nkind, 2);
	assert_int_equal(nwithin, 2);
	assert_int_equal(nauto, 2);

	/* A payment in part needs a reason: optional, asked when short. */
	ev = policy_event_find(p, "confirm_paid");
	assert_true(has_field(p, ev, "reason", false));
	assert_int_equal(ev->nfrom, 5);
	assert_true(ev->roles & mask("inspector"));
	/* Art 47: a final award is in force when made; Art 50: a non-final
	 * or mixed one only once both parties' windows have run with no
	 * suit. Both take effect by themselves (automatic: the server
	 * fires them at its next sweep). */
	ev = event_in(p, "final_award_effective", "awarded");
	assert_int_equal(ev->award_kinds, AWARD_KIND_FINAL);
	assert_true(ev->automatic);
	assert_int_equal(ev->roles, mask("clerk arbitrator"));
	assert_int_equal(ev->nafter_expiry, 0);
	assert_int_equal(ev->nafter_expiry_all, 0);
	ev = event_in(p, "award_effective", "awarded");
	assert_int_equal(
	    ev->award_kinds, AWARD_KIND_NONFINAL | AWARD_KIND_MIXED);
	assert_true(ev->automatic);
	assert_int_equal(ev->roles, mask("clerk"));
	assert_int_equal(ev->nafter_expiry, 0);
	assert_true(clocks_are(p, ev->after_expiry_all, ev->nafter_expiry_all,
	    "challenge_nonfinal_worker challenge_nonfinal_employer"));
	/* Arts 48-50: a suit within the party's window; Art 49: the
	 * employer's application to set aside within its 30 days. */
	ev = event_in(p, "suit", "awarded");
	assert_true(clocks_are(p, ev->within_window, ev->nwithin_window,
	    "challenge_worker challenge_nonfinal_worker "
	    "challenge_nonfinal_employer"));
	assert_true(has_field(p, ev, "party", true));
	assert_true(has_field(p, ev, "filed_on", true));
	ev = event_in(p, "set_aside_application", "effective");
	assert_true(clocks_are(
	    p, ev->within_window, ev->nwithin_window, "challenge_employer"));
	assert_false(has_field(p, ev, "party", true));
	/* Enforcement only of an award in force (Art 51). */
	ev = policy_event_find(p, "enforcement");
	assert_int_equal(ev->nfrom, 1);
	assert_string_equal(p->states[ev->from[0]].name, "effective");

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
	assert_int_equal(field(p, "consent")->type, PF_STRING);
	policy_free(p);
}

static void
test_policy_shipped_access(void **state)
{
	struct policy *p = shipped();
	int            r;

	(void) state;
	/* The labour inspector is a role of its own (2026.2). */
	assert_int_equal(policy_role_from_name("inspector"), ROLE_INSPECTOR);
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
	assert_int_equal(p->scope_region,
	    mask("clerk mediator arbitrator chair auditor inspector"));
	assert_int_equal(p->scope_org, mask("union legal_aid"));
	assert_int_equal(p->unmasked,
	    mask("clerk mediator arbitrator chair union legal_aid "
	         "inspector"));
	/* The inspection track is the inspector's. */
	assert_int_equal(event_in(p, "order_payment", "inspection")->roles,
	    mask("inspector"));
	assert_int_equal(
	    event_in(p, "refer_inspection", "intake")->roles, mask("clerk"));
	policy_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_shipped_loads),
		cmocka_unit_test(test_policy_shipped_events),
		cmocka_unit_test(test_policy_shipped_field_bounds),
		cmocka_unit_test(test_policy_shipped_clocks),
		cmocka_unit_test(test_policy_shipped_service),
		cmocka_unit_test(test_policy_shipped_clock_actions),
		cmocka_unit_test(test_policy_shipped_flags),
		cmocka_unit_test(test_policy_shipped_access),
	};

	return (
	    cmocka_run_group_tests_name("policy_shipped", tests, NULL, NULL));
}
