/* SPDX-License-Identifier: MIT */
/*
 * test_workflow.c - the workflow guard against the shipped policy. The
 * expectation table below is written from the procedure (DOMAIN.md and
 * the brief of policy 2026.2), not read from the policy, so that a wrong edit
 * of policies/wage-dispute.yaml fails here. Every (state, event, role) is
 * tried; then the field checks one by one.
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
#include <jansson.h>

#include "policy.h"
#include "wage/protocol.h"
#include "workflow.h"

#include "support_policy.h"

static const char *const all_states[] = { "intake", "pre_mediation", "agreed",
	"mediation", "mediated", "arbitration", "awarded", "effective",
	"in_court", "transferring", "inspection", "ordered", "closed_paid",
	"closed_awarded",
	"closed_refused", "closed_transferred", "closed_withdrawn",
	"closed_inspection", "closed_police", "closed_court",
	"closed_litigation" };
#define NSTATES (sizeof(all_states) / sizeof(all_states[0]))

static const char *const all_roles[] = { "clerk", "mediator", "arbitrator",
	"chair", "union", "legal_aid", "auditor", "admin", "inspector" };
#define NROLES (sizeof(all_roles) / sizeof(all_roles[0]))

/*
 * What the procedure says (policy 2026.2, the brief of its commit): from,
 * to, who, and fields that are valid. One row per event name, or per set
 * of states where the roles differ (claim, serve); "=" as to: the case
 * stays in the state it is in (an event such as assign, listed in the
 * policy once per state). Where an event has several rows, the row whose
 * states hold the case's state decides who may fire it; in a state of
 * none of them, a role of any row is told the state is wrong, any other
 * role that it may not (workflow.h, policy_check.c check_repeat).
 */
struct expect {
	const char *event;
	const char *from;   /* space-separated states */
	const char *to;     /* a state, or "=" */
	const char *roles;  /* space-separated roles */
	const char *fields; /* a valid "fields" object, JSON */
};

#define SERVE_FIELDS                                                   \
	"{\"document\": \"hearing_notice\", \"party\": \"employer\", " \
	"\"method\": \"post\", \"served_on\": \"2024-03-01\"}"

static const struct expect table[] = {
	/* Intake: 5 working days from complete materials (Art 29). */
	{ "request_materials", "intake", "intake", "clerk",
	    "{\"materials\": \"工资条\\n考勤记录\"}" },
	{ "supplement", "intake", "intake", "clerk union legal_aid",
	    "{\"materials\": \"工资条\\n考勤记录\"}" },
	{ "pre_mediation", "intake", "pre_mediation", "clerk union legal_aid",
	    "{\"mediation_consent\": \"同意调解书2024-007\"}" },
	{ "accept", "intake", "mediation", "clerk", "{}" },
	{ "accept_arbitration", "intake", "arbitration", "clerk",
	    "{\"reason\": \"劳动者不同意调解\"}" },
	{ "refuse", "intake", "closed_refused", "clerk",
	    "{\"reason\": \"不属本会管辖\", "
	    "\"competent_body\": \"青岛市劳动人事争议仲裁委员会\"}" },
	/* 条例 Art 10 (首问负责) before acceptance; transfer after it. */
	{ "forward", "intake", "closed_transferred", "clerk",
	    "{\"receiving_body\": \"济南市历下区人社局\", "
	    "\"reason\": \"不属本会管辖\"}" },
	{ "acknowledge_limitation", "intake", "intake", "clerk",
	    "{\"reason\": \"仍在职，工资持续拖欠\"}" },
	/* Issue 10: a worker's other open case, answered where it stays. */
	{ "resolve_duplicate", "intake mediation arbitration", "=",
	    "clerk union legal_aid",
	    "{\"duplicate_resolution\": \"separate\", "
	    "\"reason\": \"另一项目\"}" },
	/* 仲裁委员会 assigns the case (Art 31); a mediator or arbitrator
	 * takes one; before acceptance only a mediator. */
	{ "assign", "intake mediation arbitration", "=", "clerk chair",
	    "{\"assignee\": \"王仲裁\", "
	    "\"assignee_org\": \"济南市劳动人事争议仲裁院\"}" },
	{ "claim", "pre_mediation", "=", "mediator", "{}" },
	{ "claim", "mediation arbitration", "=", "mediator arbitrator", "{}" },
	/* 案前调解 (Art 14), outside the 45 days. */
	{ "pre_mediation_agreement", "pre_mediation", "agreed", "mediator",
	    "{\"amount_fen\": 1234500, \"pay_by\": \"2024-03-15\", "
	    "\"consent\": \"同意书2024-001\"}" },
	{ "pre_mediation_ended", "pre_mediation", "intake",
	    "mediator clerk union legal_aid", "{\"reason\": \"劳动者退出\"}" },
	{ "payment_default", "agreed", "intake", "clerk union legal_aid",
	    "{\"reason\": \"逾期未付\"}" },
	{ "payment_order", "agreed", "closed_court", "clerk union legal_aid",
	    "{\"court\": \"济南市历下区人民法院\"}" },
	{ "confirm_paid", "agreed mediated awarded effective ordered",
	    "closed_paid", "clerk mediator arbitrator inspector",
	    "{\"amount_paid_fen\": 1234500, \"paid_on\": \"2024-03-14\"}" },
	/* Tribunal mediation inside the 45 days (Art 42). */
	{ "mediation_agreement", "mediation", "mediated",
	    "mediator arbitrator",
	    "{\"amount_fen\": 1234500, \"pay_by\": \"2024-03-15\", "
	    "\"consent\": \"同意书2024-001\"}" },
	{ "mediation_failed", "mediation", "arbitration",
	    "mediator arbitrator clerk", "{\"reason\": \"用人单位不到场\"}" },
	{ "apply_arbitration", "mediation", "arbitration",
	    "union legal_aid clerk", "{\"reason\": \"劳动者要求裁决\"}" },
	{ "start_mediation", "arbitration", "mediation", "arbitrator mediator",
	    "{}" },
	{ "settlement_refused", "mediated", "arbitration",
	    "arbitrator clerk union legal_aid",
	    "{\"reason\": \"签收前反悔\"}" },
	{ "enforcement_settlement", "mediated", "closed_court",
	    "clerk union legal_aid", "{\"court\": \"济南市历下区人民法院\"}" },
	/* Service (送达): the staff of the stage. */
	{ "serve", "mediation mediated", "=", "clerk arbitrator mediator",
	    SERVE_FIELDS },
	{ "serve", "arbitration awarded effective", "=", "clerk arbitrator",
	    SERVE_FIELDS },
	{ "tribunal_notified", "mediation arbitration", "=",
	    "clerk arbitrator", "{}" },
	{ "hearing_scheduled", "arbitration", "arbitration", "arbitrator",
	    "{\"hearing_date\": \"2024-04-01\"}" },
	/* The award clock: suspended, restarted (办案规则 Art 46). */
	{ "suspend", "arbitration", "arbitration", "arbitrator chair",
	    "{\"reason\": \"等待工伤认定结论\"}" },
	{ "resume", "arbitration", "arbitration", "arbitrator chair", "{}" },
	{ "change_claim", "arbitration", "arbitration",
	    "clerk arbitrator union legal_aid",
	    "{\"reason\": \"增加加班费请求\", \"kind\": \"overtime\", "
	    "\"claim_fen\": 300000, \"consent\": \"同意书\"}" },
	{ "add_party", "arbitration", "arbitration", "clerk arbitrator",
	    "{\"reason\": \"追加发包方\", \"new_party\": "
	    "\"某建设集团有限公司\"}" },
	{ "counterclaim", "arbitration", "arbitration", "clerk arbitrator",
	    "{\"reason\": \"用人单位提出反申请\"}" },
	/* 办案规则 Art 63: the representatives concede part of a claim. */
	{ "concede", "arbitration", "arbitration", "union legal_aid clerk",
	    "{\"reason\": \"放弃部分加班费\", \"amount_fen\": 80000}" },
	{ "extend", "arbitration", "arbitration", "chair",
	    "{\"days\": 15, \"reason\": \"案情复杂\"}" },
	{ "arbitration_settled", "arbitration", "mediated", "arbitrator",
	    "{\"amount_fen\": 500000, \"pay_by\": \"2024-06-01\"}" },
	{ "award", "arbitration", "awarded", "arbitrator",
	    "{\"amount_fen\": 500000, \"award_date\": \"2024-05-01\", "
	    "\"final\": true}" },
	/* After the award (Arts 47-51). */
	{ "final_award_effective", "awarded", "effective", "clerk arbitrator",
	    "{}" },
	{ "award_effective", "awarded", "effective", "clerk", "{}" },
	{ "suit", "awarded effective", "in_court", "clerk union legal_aid",
	    "{\"party\": \"worker\", \"court\": \"济南市历下区人民法院\", "
	    "\"filed_on\": \"2024-05-10\"}" },
	{ "set_aside_application", "awarded effective", "in_court", "clerk",
	    "{\"court\": \"济南市中级人民法院\", \"filed_on\": "
	    "\"2024-05-10\"}" },
	{ "court_judgment", "in_court", "closed_litigation", "clerk",
	    "{\"court\": \"济南市历下区人民法院\", \"ruling_date\": "
	    "\"2024-08-01\", \"reason\": \"判决支付工资\"}" },
	{ "award_set_aside", "in_court", "closed_litigation", "clerk",
	    "{\"court\": \"济南市中级人民法院\", \"ruling_date\": "
	    "\"2024-08-01\"}" },
	{ "set_aside_rejected", "in_court", "effective", "clerk",
	    "{\"court\": \"济南市中级人民法院\", \"ruling_date\": "
	    "\"2024-08-01\"}" },
	{ "suit_withdrawn", "in_court", "awarded", "clerk union legal_aid",
	    "{\"court\": \"济南市历下区人民法院\", \"reason\": \"撤诉\"}" },
	{ "enforcement", "effective", "closed_court", "clerk union legal_aid",
	    "{\"court\": \"济南市历下区人民法院\"}" },
	{ "close_awarded", "effective", "closed_awarded", "clerk arbitrator",
	    "{}" },
	/* Labour inspection: the inspector's track (监察条例 Art 17). */
	{ "refer_inspection", "intake mediation arbitration", "inspection",
	    "clerk", "{\"reason\": \"涉及多名劳动者\"}" },
	{ "inspection_accept", "inspection", "inspection", "inspector", "{}" },
	{ "inspection_extend", "inspection", "inspection", "inspector",
	    "{\"days\": 30, \"reason\": \"案情复杂\"}" },
	{ "order_payment", "inspection", "ordered", "inspector",
	    "{\"amount_fen\": 1234500, \"pay_by\": \"2024-03-15\"}" },
	{ "inspection_close", "inspection ordered", "closed_inspection",
	    "inspector", "{\"reason\": \"已支付\"}" },
	{ "refer_police", "ordered", "closed_police", "inspector",
	    "{\"reason\": \"转移财产逃匿\"}" },
	/* Side exits. */
	/* 移送 (办案规则 Art 9): the receiving body accepts or returns. */
	{ "transfer", "mediation arbitration", "transferring", "clerk",
	    "{\"receiving_body\": \"青岛市劳动人事争议仲裁委员会\", "
	    "\"receiving_region\": \"370200\", "
	    "\"reason\": \"不属本会管辖\"}" },
	{ "accept_transfer", "transferring", "arbitration", "clerk", "{}" },
	{ "return_transfer", "transferring", "arbitration", "clerk",
	    "{\"reason\": \"本会亦无管辖权\"}" },
	{ "withdraw", "intake pre_mediation mediation arbitration",
	    "closed_withdrawn", "clerk union legal_aid",
	    "{\"reason\": \"已和解\", \"consent\": \"同意书2024-002\"}" },
	/* 2026.3: settling (Art 41) and representation (Art 24). */
	{ "settle", "intake pre_mediation mediation arbitration",
	    "closed_withdrawn", "clerk union legal_aid",
	    "{\"reason\": \"自行和解\", \"amount_fen\": 100000, "
	    "\"party_document\": \"和解协议2024-001\"}" },
	{ "appoint_representative",
	    "intake pre_mediation mediation arbitration awarded effective",
	    "=", "clerk",
	    "{\"rep_kind\": \"legal_aid\", \"rep_organisation\": "
	    "\"济南市法律援助中心\", \"rep_name\": \"赵磊\", "
	    "\"rep_scope\": \"file,mediate\", \"rep_document\": "
	    "\"委托书2024-001\"}" },
	{ "remove_representative",
	    "intake pre_mediation mediation arbitration awarded effective",
	    "=", "clerk",
	    "{\"reason\": \"解除委托\", \"party_document\": "
	    "\"解除委托书2024-001\"}" },
	{ "elect_representatives", "intake mediation arbitration", "=",
	    "clerk",
	    "{\"representatives\": \"0,1,2\", \"consent\": "
	    "\"同意书2024-003\"}" },
};
#define NEVENTS (sizeof(table) / sizeof(table[0]))
/* 60 rows of 58 events; counting their states, 189 (state, event, role)
 * triples are allowed. */
#define NOK 189

static struct policy *pol;

static int
setup(void **state)
{
	(void) state;
	return (tsupport_policy_load(&pol));
}

static int
teardown(void **state)
{
	(void) state;
	policy_free(pol);
	pol = NULL;
	return (0);
}

/* in_list: is word one of the space-separated words of list? */
static bool
in_list(const char *list, const char *word)
{
	size_t      n = strlen(word);
	const char *s = list;

	while ((s = strstr(s, word)) != NULL) {
		if ((s == list || s[-1] == ' ') &&
		    (s[n] == '\0' || s[n] == ' ')) {
			return (true);
		}
		s += n;
	}
	return (false);
}

static json_t *
parse(const char *text)
{
	json_error_t je;
	json_t      *j;

	j = json_loads(text, JSON_ALLOW_NUL | JSON_DECODE_ANY, &je);

	if (j == NULL) {
		print_error("bad test JSON: %s: %s\n", text, je.text);
	}
	assert_non_null(j);
	return (j);
}

/* check runs workflow_check with fields given as JSON text. */
static int
check(const char *state, const char *event, int role, const char *fields,
    struct wage_error *err)
{
	json_t *f = fields != NULL ? parse(fields) : NULL;
	int     rv;

	rv = workflow_check(pol, state, event, role, f, NULL, err);
	json_decref(f);
	return (rv);
}

/* to_ok: did the event fired in state from lead where the table says? */
static bool
to_ok(const struct policy_event *ev, const struct expect *x, const char *from)
{
	return (strcmp(pol->states[ev->to].name,
	            strcmp(x->to, "=") == 0 ? from : x->to) == 0);
}

static void
test_workflow_table_matches_policy_size(void **state)
{
	const struct policy_event *ev;
	struct wage_error          err;
	json_t                    *f;
	size_t                     i, s, r, entries = 0;
	bool                       listed;

	(void) state;
	/* Every event and state of the policy is in the table above: one
	 * entry per event, or per state for an event that stays ("="). */
	for (i = 0; i < NEVENTS; i++) {
		for (s = 0; s < NSTATES; s++) {
			if (in_list(table[i].from, all_states[s]) &&
			    strcmp(table[i].to, "=") == 0) {
				entries++;
			}
		}
		if (strcmp(table[i].to, "=") != 0) {
			entries++;
		}
	}
	assert_int_equal(pol->nevents, entries);
	for (i = 0; i < pol->nevents; i++) {
		listed = false;
		for (r = 0; r < NEVENTS; r++) {
			listed |=
			    strcmp(pol->events[i].name, table[r].event) == 0;
		}
		if (!listed) {
			print_error(
			    "%s is not in the table\n", pol->events[i].name);
		}
		assert_true(listed);
	}
	assert_int_equal(pol->nstates, NSTATES);
	for (i = 0; i < NEVENTS; i++) {
		assert_non_null(policy_event_find(pol, table[i].event));
		f = parse(table[i].fields);
		for (s = 0; s < NSTATES; s++) {
			if (!in_list(table[i].from, all_states[s])) {
				continue;
			}
			for (r = 0; r < NROLES; r++) {
				if (in_list(table[i].roles, all_roles[r])) {
					break;
				}
			}
			assert_true(r < NROLES);
			ev = NULL;
			assert_int_equal(
			    workflow_check(pol, all_states[s], table[i].event,
			        policy_role_from_name(all_roles[r]), f, &ev,
			        &err),
			    WAGE_OK);
			assert_true(to_ok(ev, &table[i], all_states[s]));
		}
		json_decref(f);
	}
	for (i = 0; i < NSTATES; i++) {
		assert_true(policy_state_find(pol, all_states[i]) >= 0);
	}
}

/*
 * expected: what firing event in state st as role should give, from the
 * table: the row of event whose states hold st decides; in a state of none
 * of its rows, a role of any of them is told the state is wrong (*row is
 * then NULL).
 */
static int
expected(const char *event, const char *st, const char *role,
    const struct expect **row)
{
	bool   anyrole = false;
	size_t e;

	*row = NULL;
	for (e = 0; e < NEVENTS; e++) {
		if (strcmp(table[e].event, event) != 0) {
			continue;
		}
		anyrole |= in_list(table[e].roles, role);
		if (in_list(table[e].from, st)) {
			*row = &table[e];
			return (in_list(table[e].roles, role)
			        ? WAGE_OK
			        : WAGE_E_FORBIDDEN);
		}
	}
	return (anyrole ? WAGE_E_ILLEGAL_TRANSITION : WAGE_E_FORBIDDEN);
}

/* first_row: is table[e] the first row of its event? */
static bool
first_row(size_t e)
{
	size_t i;

	for (i = 0; i < e; i++) {
		if (strcmp(table[i].event, table[e].event) == 0) {
			return (false);
		}
	}
	return (true);
}

static void
test_workflow_every_combination(void **state)
{
	const struct policy_event *ev;
	const struct expect       *row;
	struct wage_error          err;
	size_t                     s, e, r, nok = 0, nforb = 0, nill = 0;
	size_t                     names = 0;
	int                        role, want, got, fails = 0;
	bool                       bad;
	json_t                    *f;

	(void) state;
	for (e = 0; e < NEVENTS; e++) {
		if (!first_row(e)) {
			continue;
		}
		names++;
		for (s = 0; s < NSTATES; s++) {
			/* The fields of the row that applies, else any. */
			(void) expected(
			    table[e].event, all_states[s], "clerk", &row);
			f = parse(row != NULL ? row->fields : table[e].fields);
			for (r = 0; r < NROLES; r++) {
				role = policy_role_from_name(all_roles[r]);
				want = expected(table[e].event, all_states[s],
				    all_roles[r], &row);
				nok += want == WAGE_OK;
				nforb += want == WAGE_E_FORBIDDEN;
				nill += want == WAGE_E_ILLEGAL_TRANSITION;
				ev  = (const struct policy_event *) 1;
				got = workflow_check(pol, all_states[s],
				    table[e].event, role, f, &ev, &err);
				if (want == WAGE_OK) {
					bad = ev == NULL ||
					    strcmp(ev->name, table[e].event) ||
					    !to_ok(ev, row, all_states[s]);
				} else {
					bad = ev != NULL ||
					    strcmp(err.field, "event") != 0;
				}
				if (got != want || bad) {
					print_error("%s in %s by %s: want %s, "
					            "got %s (%s)\n",
					    table[e].event, all_states[s],
					    all_roles[r], wage_err_name(want),
					    wage_err_name(got), err.message);
					fails++;
				}
			}
			json_decref(f);
		}
	}
	assert_int_equal(fails, 0);
	assert_int_equal(names, 58);
	assert_int_equal(nok + nforb + nill, names * NSTATES * NROLES);
	assert_int_equal(nok, NOK);
}

/*
 * The server itself (ROLE_SYSTEM, sweep.c) fires the automatic events of
 * the shipped policy, final_award_effective and award_effective, from
 * 'awarded' only, and no other event in any state: refused as forbidden,
 * an automatic event in another state as the wrong state.
 */
static void
test_workflow_system_role(void **state)
{
	const struct policy_event *ev;
	struct wage_error          err;
	size_t                     s, e, nok = 0;
	int                        want, got;
	bool                       autom;
	json_t                    *f;

	(void) state;
	for (e = 0; e < NEVENTS; e++) {
		if (!first_row(e)) {
			continue;
		}
		autom = strcmp(table[e].event, "final_award_effective") == 0 ||
		    strcmp(table[e].event, "award_effective") == 0;
		f = parse(table[e].fields);
		for (s = 0; s < NSTATES; s++) {
			want = !autom ? WAGE_E_FORBIDDEN
			    : strcmp(all_states[s], "awarded") == 0
			    ? WAGE_OK
			    : WAGE_E_ILLEGAL_TRANSITION;
			got  = workflow_check(pol, all_states[s],
			     table[e].event, ROLE_SYSTEM, f, &ev, &err);
			if (got != want) {
				print_error("%s in %s by the server: want %s, "
				            "got %s (%s)\n",
				    table[e].event, all_states[s],
				    wage_err_name(want), wage_err_name(got),
				    err.message);
			}
			assert_int_equal(got, want);
			if (got == WAGE_OK) {
				assert_true(ev->automatic);
				assert_string_equal(
				    pol->states[ev->to].name, "effective");
				nok++;
			} else if (!autom) {
				assert_null(strstr(err.message,
				    "the server fires it by itself"));
			}
		}
		json_decref(f);
	}
	assert_int_equal(nok, 2);
	/* A person is told the server fires it by itself. */
	assert_int_equal(workflow_check(pol, "awarded", "award_effective",
	                     ROLE_ARBITRATOR, NULL, &ev, &err),
	    WAGE_E_FORBIDDEN);
	assert_non_null(strstr(err.message, "allowed roles: clerk"));
	assert_non_null(strstr(err.message, "the server fires it by itself"));
}

static void
test_workflow_unknown_event(void **state)
{
	struct wage_error err;
	size_t            s;
	int               r;

	(void) state;
	for (s = 0; s < NSTATES; s++) {
		for (r = 0; r < ROLE__COUNT; r++) {
			assert_int_equal(
			    check(all_states[s], "reopen", r, NULL, &err),
			    WAGE_E_ILLEGAL_TRANSITION);
			assert_string_equal(err.field, "event");
		}
	}
	assert_int_equal(
	    workflow_check(pol, "intake", NULL, ROLE_CLERK, NULL, NULL, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	/* The name sent is not echoed; what is allowed is. */
	check("intake", "Secret-Event-Name", ROLE_CLERK, NULL, &err);
	assert_null(strstr(err.message, "Secret-Event-Name"));
	assert_non_null(strstr(err.message, "accept"));
	/* A role outside the enum may fire nothing. */
	assert_int_equal(
	    check("intake", "accept", -1, "{}", &err), WAGE_E_FORBIDDEN);
	assert_int_equal(check("intake", "accept", ROLE__COUNT, "{}", &err),
	    WAGE_E_FORBIDDEN);
	/* A state the policy does not know allows nothing. */
	assert_int_equal(check("limbo", "accept", ROLE_CLERK, "{}", &err),
	    WAGE_E_ILLEGAL_TRANSITION);
}

static void
test_workflow_messages(void **state)
{
	struct wage_error err;

	(void) state;
	assert_int_equal(check("intake", "award", ROLE_ARBITRATOR,
	                     "{\"amount_fen\": 1, \"award_date\": "
	                     "\"2024-05-01\"}",
	                     &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.message,
	    "event 'award' is not allowed in state 'intake'; allowed from "
	    "here: request_materials, supplement, pre_mediation, accept, "
	    "accept_arbitration, refuse, forward, acknowledge_limitation, "
	    "resolve_duplicate, assign, refer_inspection, withdraw, settle, "
	    "appoint_representative, remove_representative, "
	    "elect_representatives");

	assert_int_equal(check("arbitration", "award", ROLE_UNION, NULL, &err),
	    WAGE_E_FORBIDDEN);
	assert_string_equal(err.field, "event");
	assert_string_equal(err.message,
	    "role 'union' may not fire 'award'; allowed roles: arbitrator");

	assert_int_equal(check("closed_paid", "withdraw", ROLE_CLERK,
	                     "{\"reason\": \"x\"}", &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "the case is closed"));

	/* 刑法 Art 276-1: the police referral is the inspector's, after an
	 * order to pay; staff of the commission are told who may. */
	assert_int_equal(check("arbitration", "refer_police", ROLE_ARBITRATOR,
	                     "{\"reason\": \"x\"}", &err),
	    WAGE_E_FORBIDDEN);
	assert_string_equal(err.message,
	    "role 'arbitrator' may not fire 'refer_police'; allowed roles: "
	    "inspector");
}

static void
test_workflow_repeated_name(void **state)
{
	static const char          assign[] = "{\"assignee\": \"李调解\", "
	                                      "\"assignee_org\": \"历下区调解中心\"}";
	const struct policy_event *a, *b;
	struct wage_error          err;
	json_t                    *f = parse(assign);

	(void) state;
	/* assign is listed once per state it stays in: each case state
	 * gets its own entry, which leads back to that state. */
	assert_int_equal(workflow_check(pol, "mediation", "assign", ROLE_CHAIR,
	                     f, &a, &err),
	    WAGE_OK);
	assert_string_equal(pol->states[a->to].name, "mediation");
	assert_int_equal(workflow_check(pol, "arbitration", "assign",
	                     ROLE_CLERK, f, &b, &err),
	    WAGE_OK);
	assert_string_equal(pol->states[b->to].name, "arbitration");
	assert_ptr_not_equal(a, b);
	assert_int_equal(a->assign, 2);
	json_decref(f);

	/* Not from any of its states: illegal, whichever entry is first. */
	assert_int_equal(check("awarded", "assign", ROLE_CHAIR, assign, &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_string_equal(err.field, "event");
	assert_int_equal(
	    check("closed_paid", "claim", ROLE_MEDIATOR, "{}", &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_non_null(strstr(err.message, "the case is closed"));
	/* A role of none of the entries: forbidden, with who may. */
	assert_int_equal(
	    check("awarded", "assign", ROLE_MEDIATOR, assign, &err),
	    WAGE_E_FORBIDDEN);
	assert_string_equal(err.message,
	    "role 'mediator' may not fire 'assign'; allowed roles: clerk, "
	    "chair");
	/* The roles of the entry that applies: before acceptance only a
	 * mediator takes a case, although an arbitrator may claim one in
	 * mediation or arbitration. */
	assert_int_equal(
	    check("pre_mediation", "claim", ROLE_ARBITRATOR, "{}", &err),
	    WAGE_E_FORBIDDEN);
	assert_string_equal(err.message,
	    "role 'arbitrator' may not fire 'claim'; allowed roles: mediator");
	assert_int_equal(
	    check("mediation", "claim", ROLE_ARBITRATOR, "{}", &err), WAGE_OK);
	assert_int_equal(
	    check("awarded", "serve", ROLE_MEDIATOR, SERVE_FIELDS, &err),
	    WAGE_E_FORBIDDEN);
	assert_int_equal(
	    check("mediated", "serve", ROLE_MEDIATOR, SERVE_FIELDS, &err),
	    WAGE_OK);
	/* The fields of the entry that applies. */
	assert_int_equal(check("intake", "assign", ROLE_CLERK,
	                     "{\"assignee\": \"王仲裁\"}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.assignee_org");
	assert_int_equal(check("arbitration", "claim", ROLE_ARBITRATOR,
	                     "{\"assignee\": \"王仲裁\"}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.assignee");
}

static void
test_workflow_order_state_before_fields(void **state)
{
	struct wage_error err;

	(void) state;
	/* Wrong role beats wrong state beats bad fields (workflow.h). */
	assert_int_equal(
	    check("intake", "award", ROLE_UNION, "{\"bogus\": 1}", &err),
	    WAGE_E_FORBIDDEN);
	assert_int_equal(
	    check("intake", "award", ROLE_ARBITRATOR, "{\"bogus\": 1}", &err),
	    WAGE_E_ILLEGAL_TRANSITION);
	assert_int_equal(check("arbitration", "award", ROLE_ARBITRATOR,
	                     "{\"bogus\": 1}", &err),
	    WAGE_E_INVALID_ARGUMENT);
}

static void
test_workflow_missing_required(void **state)
{
	struct wage_error err;

	(void) state;
	assert_int_equal(check("mediation", "mediation_agreement",
	                     ROLE_MEDIATOR, "{\"amount_fen\": 100}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.pay_by");
	assert_string_equal(err.message,
	    "field 'pay_by' is required for event 'mediation_agreement'");
	/* No fields at all. */
	assert_int_equal(check("intake", "refuse", ROLE_CLERK, NULL, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.reason");
	/* Optional fields may be left out; note-only events take {}. */
	assert_int_equal(
	    check("intake", "accept", ROLE_CLERK, NULL, &err), WAGE_OK);
	assert_int_equal(check("intake", "accept", ROLE_CLERK,
	                     "{\"reason\": \"材料齐全\"}", &err),
	    WAGE_OK);
	assert_int_equal(check("arbitration", "award", ROLE_ARBITRATOR,
	                     "{\"amount_fen\": 1, \"award_date\": "
	                     "\"2024-05-01\"}",
	                     &err),
	    WAGE_OK);
	/* The new events' required fields. */
	assert_int_equal(check("arbitration", "add_party", ROLE_CLERK,
	                     "{\"reason\": \"x\"}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.new_party");
	assert_int_equal(
	    check("awarded", "suit", ROLE_UNION,
	        "{\"party\": \"worker\", \"court\": \"x\"}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.filed_on");
	assert_int_equal(check("awarded", "serve", ROLE_CLERK,
	                     "{\"document\": \"award\", "
	                     "\"party\": \"worker\", "
	                     "\"method\": \"post\"}",
	                     &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.served_on");
	assert_int_equal(
	    check("arbitration", "suspend", ROLE_CHAIR, "{}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.reason");
	assert_int_equal(check("arbitration", "concede", ROLE_UNION,
	                     "{\"reason\": \"x\"}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.amount_fen");
	assert_int_equal(
	    check("intake", "acknowledge_limitation", ROLE_CLERK, NULL, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.reason");
	/* consent is optional: the server asks for it on collective cases
	 * only (ops.c), never here. */
	assert_int_equal(check("intake", "withdraw", ROLE_UNION,
	                     "{\"reason\": \"x\"}", &err),
	    WAGE_OK);
	/* null is not a value for a required field. */
	assert_int_equal(
	    check("intake", "refuse", ROLE_CLERK, "{\"reason\": null}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.reason");
}

static void
test_workflow_unknown_field(void **state)
{
	struct wage_error err;

	(void) state;
	assert_int_equal(
	    check("intake", "accept", ROLE_CLERK, "{\"foo\": 1}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.foo");
	assert_string_equal(err.message,
	    "'fields.foo' is not a field of event 'accept'; allowed: reason");
	/* A field of the policy, but not of this event. */
	assert_int_equal(
	    check("intake", "accept", ROLE_CLERK, "{\"amount_fen\": 1}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.amount_fen");
	/* A name not fit to echo is not echoed. */
	assert_int_equal(check("intake", "accept", ROLE_CLERK,
	                     "{\"370102199003071234\\n\": 1}", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields");
	assert_null(strstr(err.message, "370102"));
	/* Not an object. */
	assert_int_equal(check("intake", "accept", ROLE_CLERK, "[1, 2]", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields");
	assert_int_equal(check("intake", "accept", ROLE_CLERK, "\"x\"", &err),
	    WAGE_E_INVALID_ARGUMENT);
}

struct field_case {
	const char *state, *event;
	int         role;
	const char *fields;
	const char *field; /* expected err.field, NULL = WAGE_OK */
};

#define PAY_BY "\"pay_by\": \"2024-06-01\""

static const struct field_case field_cases[] = {
	/* wrong JSON type */
	{ "arbitration", "arbitration_settled", ROLE_ARBITRATOR,
	    "{\"amount_fen\": \"100\", " PAY_BY "}", "fields.amount_fen" },
	{ "intake", "refuse", ROLE_CLERK, "{\"reason\": 5}", "fields.reason" },
	{ "arbitration", "award", ROLE_ARBITRATOR,
	    "{\"amount_fen\": 1, \"award_date\": \"2024-05-01\", "
	    "\"final\": \"yes\"}",
	    "fields.final" },
	{ "arbitration", "award", ROLE_ARBITRATOR,
	    "{\"amount_fen\": 1, \"award_date\": \"2024-05-01\", "
	    "\"final\": 1}",
	    "fields.final" },
	{ "arbitration", "extend", ROLE_CHAIR,
	    "{\"days\": \"3\", \"reason\": \"x\"}", "fields.days" },
	{ "arbitration", "extend", ROLE_CHAIR,
	    "{\"days\": 3.0, \"reason\": \"x\"}", "fields.days" },
	{ "mediation", "mediation_agreement", ROLE_MEDIATOR,
	    "{\"amount_fen\": 1, \"pay_by\": 20240315}", "fields.pay_by" },
	{ "agreed", "payment_order", ROLE_UNION, "{\"court\": [\"x\"]}",
	    "fields.court" },
	/* dates */
	{ "mediation", "mediation_agreement", ROLE_MEDIATOR,
	    "{\"amount_fen\": 1, \"pay_by\": \"2024-02-30\"}",
	    "fields.pay_by" },
	{ "mediation", "mediation_agreement", ROLE_MEDIATOR,
	    "{\"amount_fen\": 1, \"pay_by\": \"2024-3-15\"}",
	    "fields.pay_by" },
	{ "mediation", "mediation_agreement", ROLE_MEDIATOR,
	    "{\"amount_fen\": 1, \"pay_by\": \"2024-03-15\\u0000x\"}",
	    "fields.pay_by" },
	{ "mediation", "mediation_agreement", ROLE_MEDIATOR,
	    "{\"amount_fen\": 1, \"pay_by\": \"2024-02-29\"}", NULL },
	{ "arbitration", "hearing_scheduled", ROLE_ARBITRATOR,
	    "{\"hearing_date\": \"\"}", "fields.hearing_date" },
	/* money */
	{ "arbitration", "arbitration_settled", ROLE_ARBITRATOR,
	    "{\"amount_fen\": 0, " PAY_BY "}", "fields.amount_fen" },
	{ "arbitration", "arbitration_settled", ROLE_ARBITRATOR,
	    "{\"amount_fen\": -500, " PAY_BY "}", "fields.amount_fen" },
	{ "arbitration", "arbitration_settled", ROLE_ARBITRATOR,
	    "{\"amount_fen\": 12.5, " PAY_BY "}", "fields.amount_fen" },
	{ "arbitration", "arbitration_settled", ROLE_ARBITRATOR,
	    "{\"amount_fen\": 100000000001, " PAY_BY "}",
	    "fields.amount_fen" },
	{ "arbitration", "arbitration_settled", ROLE_ARBITRATOR,
	    "{\"amount_fen\": 100000000000, " PAY_BY "}", NULL },
	{ "arbitration", "arbitration_settled", ROLE_ARBITRATOR,
	    "{\"amount_fen\": 1, \"pay_by\": \"tomorrow\"}", "fields.pay_by" },
	/* int range */
	{ "arbitration", "extend", ROLE_CHAIR,
	    "{\"days\": 0, \"reason\": \"x\"}", "fields.days" },
	/* One field for Art 43's 15 days and an inspection's 30: the
	 * award clock refuses 16 (clock.c, test_clock.c). */
	{ "arbitration", "extend", ROLE_CHAIR,
	    "{\"days\": 31, \"reason\": \"x\"}", "fields.days" },
	{ "arbitration", "extend", ROLE_CHAIR,
	    "{\"days\": 16, \"reason\": \"x\"}", NULL },
	{ "arbitration", "extend", ROLE_CHAIR,
	    "{\"days\": -1, \"reason\": \"x\"}", "fields.days" },
	{ "arbitration", "extend", ROLE_CHAIR,
	    "{\"days\": 1, \"reason\": \"x\"}", NULL },
	/* text */
	{ "intake", "refuse", ROLE_CLERK, "{\"reason\": \"   \"}",
	    "fields.reason" },
	{ "intake", "refuse", ROLE_CLERK, "{\"reason\": \"\"}",
	    "fields.reason" },
	{ "intake", "refuse", ROLE_CLERK, "{\"reason\": \"a\\u0007b\"}",
	    "fields.reason" },
	{ "intake", "refuse", ROLE_CLERK, "{\"reason\": \"一\\n二\\t三\"}",
	    NULL },
	{ "agreed", "payment_order", ROLE_UNION,
	    "{\"court\": \"济南\\n法院\"}", "fields.court" },
	{ "agreed", "payment_order", ROLE_UNION, "{\"court\": \" \"}",
	    "fields.court" },
	/* the new events' fields */
	{ "arbitration", "add_party", ROLE_CLERK,
	    "{\"reason\": \"x\", \"new_party\": \"甲\\n乙\"}",
	    "fields.new_party" },
	/* 'party' is now the enum worker | employer. */
	{ "arbitration", "add_party", ROLE_CLERK,
	    "{\"reason\": \"x\", \"new_party\": \"甲\", "
	    "\"party\": \"worker\"}",
	    "fields.party" },
	{ "awarded", "suit", ROLE_UNION,
	    "{\"party\": \"court\", \"court\": \"x\", "
	    "\"filed_on\": \"2024-05-10\"}",
	    "fields.party" },
	{ "awarded", "serve", ROLE_CLERK,
	    "{\"document\": \"summons\", \"party\": \"worker\", "
	    "\"method\": \"post\", \"served_on\": \"2024-05-10\"}",
	    "fields.document" },
	{ "awarded", "serve", ROLE_CLERK,
	    "{\"document\": \"award\", \"party\": \"worker\", "
	    "\"method\": \"fax\", \"served_on\": \"2024-05-10\"}",
	    "fields.method" },
	{ "arbitration", "resume", ROLE_CHAIR, "{\"reason\": \"已恢复\"}",
	    NULL },
	{ "arbitration", "concede", ROLE_LEGAL_AID,
	    "{\"reason\": \"x\", \"amount_fen\": 100, "
	    "\"consent\": \"同意书\"}",
	    NULL },
	{ "arbitration", "concede", ROLE_LEGAL_AID,
	    "{\"reason\": \"x\", \"amount_fen\": 100, \"consent\": true}",
	    "fields.consent" },
	{ "intake", "withdraw", ROLE_UNION,
	    "{\"reason\": \"x\", \"consent\": \"\"}", "fields.consent" },
	{ "arbitration", "arbitration_settled", ROLE_ARBITRATOR,
	    "{\"amount_fen\": 1, \"consent\": \"同意书\", " PAY_BY "}", NULL },
	{ "mediation", "claim", ROLE_MEDIATOR, "{\"reason\": \"x\"}",
	    "fields.reason" },
};

static void
test_workflow_field_types(void **state)
{
	struct wage_error err;
	size_t            i;
	int               got, fails = 0;

	(void) state;
	for (i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
		const struct field_case *fc = &field_cases[i];

		got = check(fc->state, fc->event, fc->role, fc->fields, &err);
		if (fc->field == NULL ? got != WAGE_OK
		                      : got != WAGE_E_INVALID_ARGUMENT ||
		            strcmp(err.field, fc->field) != 0 ||
		            strncmp(err.message, "'", 1) != 0) {
			print_error("case %zu %s %s: got %s field '%s' (%s)\n",
			    i, fc->event, fc->fields, wage_err_name(got),
			    err.field, err.message);
			fails++;
		}
	}
	assert_int_equal(fails, 0);
}

static void
test_workflow_field_messages(void **state)
{
	struct wage_error err;

	(void) state;
	check("arbitration", "extend", ROLE_CHAIR,
	    "{\"days\": 31, \"reason\": \"x\"}", &err);
	assert_string_equal(
	    err.message, "'fields.days' must be an integer from 1 to 30");
	check("arbitration", "award", ROLE_ARBITRATOR,
	    "{\"amount_fen\": 1, \"award_date\": \"2024-05-01\", "
	    "\"final\": 1}",
	    &err);
	assert_string_equal(
	    err.message, "'fields.final' must be true or false");
	check("mediation", "mediation_agreement", ROLE_MEDIATOR,
	    "{\"amount_fen\": 1, \"pay_by\": \"2024-3-15\"}", &err);
	assert_non_null(strstr(err.message, "'fields.pay_by' must be a"));
	assert_non_null(strstr(err.message, "YYYY-MM-DD"));

	/* Values are never echoed: they may be personal data. */
	check("mediation", "mediation_agreement", ROLE_MEDIATOR,
	    "{\"amount_fen\": 1, \"pay_by\": \"370102199003071234\"}", &err);
	assert_null(strstr(err.message, "370102"));
	check("arbitration", "arbitration_settled", ROLE_ARBITRATOR,
	    "{\"amount_fen\": -987654, " PAY_BY "}", &err);
	assert_string_equal(err.field, "fields.amount_fen");
	assert_null(strstr(err.message, "987654"));
	check("arbitration", "extend", ROLE_CHAIR,
	    "{\"days\": 4242, \"reason\": \"x\"}", &err);
	assert_null(strstr(err.message, "4242"));
}

static void
test_workflow_enum_field(void **state)
{
	char               *values[] = { "full", "partial" };
	struct policy_field f        = { .name = "extent",
		       .type                   = PF_ENUM,
		       .values                 = values,
		       .nvalues                = 2 };
	struct wage_error   err;
	json_t             *v;

	(void) state;
	v = json_string("partial");
	assert_int_equal(
	    workflow_field_check(&f, v, "fields.extent", &err), WAGE_OK);
	json_decref(v);
	v = json_string("most");
	assert_int_equal(workflow_field_check(&f, v, "fields.extent", &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "fields.extent");
	assert_string_equal(
	    err.message, "'fields.extent' must be one of: full, partial");
	json_decref(v);
	v = json_stringn("full\0x", 6);
	assert_int_equal(workflow_field_check(&f, v, "fields.extent", &err),
	    WAGE_E_INVALID_ARGUMENT);
	json_decref(v);
	v = json_integer(1);
	assert_int_equal(workflow_field_check(&f, v, "fields.extent", &err),
	    WAGE_E_INVALID_ARGUMENT);
	json_decref(v);
	assert_int_equal(workflow_field_check(&f, NULL, "fields.extent", &err),
	    WAGE_E_INVALID_ARGUMENT);
	/* err may be NULL. */
	v = json_string("most");
	assert_int_equal(workflow_field_check(&f, v, "fields.extent", NULL),
	    WAGE_E_INVALID_ARGUMENT);
	json_decref(v);
}

/* next_is: does workflow_next give exactly the words of want (any order)? */
static void
next_is(const char *st, int role, const char *want)
{
	json_t *a = workflow_next(pol, st, role);
	size_t  i, nwant = 0;
	char    buf[512], *tok, *save = NULL;

	assert_non_null(a);
	assert_true(json_is_array(a));
	snprintf(buf, sizeof(buf), "%s", want);
	for (tok = strtok_r(buf, " ", &save); tok != NULL;
	     tok = strtok_r(NULL, " ", &save)) {
		nwant++;
	}
	if (json_array_size(a) != nwant) {
		print_error("%s/%s: %zu events, want %s\n", st,
		    policy_role_name(role), json_array_size(a), want);
	}
	assert_int_equal(json_array_size(a), nwant);
	for (i = 0; i < json_array_size(a); i++) {
		assert_true(
		    in_list(want, json_string_value(json_array_get(a, i))));
	}
	json_decref(a);
}

static void
test_workflow_next(void **state)
{
	char   want[512];
	size_t s, e, r;

	(void) state;
	next_is("intake", ROLE_CLERK,
	    "request_materials supplement pre_mediation accept "
	    "accept_arbitration refuse forward acknowledge_limitation "
	    "resolve_duplicate assign refer_inspection withdraw settle "
	    "appoint_representative remove_representative "
	    "elect_representatives");
	next_is("intake", ROLE_UNION,
	    "supplement pre_mediation resolve_duplicate withdraw settle");
	next_is("intake", ROLE_CHAIR, "assign");
	next_is("pre_mediation", ROLE_MEDIATOR,
	    "pre_mediation_agreement pre_mediation_ended claim");
	next_is("mediation", ROLE_MEDIATOR,
	    "mediation_agreement mediation_failed serve claim");
	next_is("arbitration", ROLE_ARBITRATOR,
	    "start_mediation serve tribunal_notified hearing_scheduled "
	    "suspend resume change_claim add_party counterclaim claim "
	    "arbitration_settled award");
	next_is("arbitration", ROLE_CHAIR, "extend suspend resume assign");
	next_is("arbitration", ROLE_UNION,
	    "concede withdraw settle change_claim resolve_duplicate");
	next_is("awarded", ROLE_LEGAL_AID, "suit");
	next_is("effective", ROLE_LEGAL_AID, "suit enforcement");
	next_is("ordered", ROLE_INSPECTOR,
	    "confirm_paid inspection_close refer_police");
	next_is("inspection", ROLE_CLERK, "");
	next_is("closed_paid", ROLE_CLERK, "");
	next_is("limbo", ROLE_CLERK, "");
	next_is("intake", -1, "");

	/* And for every state and role, from the table. */
	for (s = 0; s < NSTATES; s++) {
		for (r = 0; r < NROLES; r++) {
			want[0] = '\0';
			for (e = 0; e < NEVENTS; e++) {
				if (in_list(table[e].from, all_states[s]) &&
				    in_list(table[e].roles, all_roles[r])) {
					strcat(want, table[e].event);
					strcat(want, " ");
				}
			}
			next_is(all_states[s],
			    policy_role_from_name(all_roles[r]), want);
		}
	}
	/* auditor and admin change nothing. */
	for (s = 0; s < NSTATES; s++) {
		next_is(all_states[s], ROLE_AUDITOR, "");
		next_is(all_states[s], ROLE_ADMIN, "");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workflow_table_matches_policy_size),
		cmocka_unit_test(test_workflow_every_combination),
		cmocka_unit_test(test_workflow_system_role),
		cmocka_unit_test(test_workflow_unknown_event),
		cmocka_unit_test(test_workflow_messages),
		cmocka_unit_test(test_workflow_repeated_name),
		cmocka_unit_test(test_workflow_order_state_before_fields),
		cmocka_unit_test(test_workflow_missing_required),
		cmocka_unit_test(test_workflow_unknown_field),
		cmocka_unit_test(test_workflow_field_types),
		cmocka_unit_test(test_workflow_field_messages),
		cmocka_unit_test(test_workflow_enum_field),
		cmocka_unit_test(test_workflow_next),
	};

	return (
	    cmocka_run_group_tests_name("workflow", tests, setup, teardown));
}
