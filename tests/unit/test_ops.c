/* SPDX-License-Identifier: MIT */
/*
 * test_ops.c - unit tests of server/ops.c driven through ops_handle, on
 * the fixture of support_ops.h: a real store in a mkdtemp directory with its
 * writer running, the shipped policy, auth with a CA made by pki_*. The
 * reply callback captures ops_reply_text and signals a condition variable,
 * so writes (replied from the writer thread) are awaited like reads; no
 * case cache, nobody logged in by setup. Covers the guard chain order,
 * a clerk's file/get/list/act, paging, stale revisions and that refused
 * writes leave the case, its indexes and the audit head as they were.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "caserec.h"
#include "validate.h"

#include "support_json.h"
#include "support_ops.h"

/* The group: four certificates, no calendars or minimum wages. */
static const struct tsupport_cert certs[] = {
	{ "clerk", "clerk", "370100" },
	{ "admin", "admin", "370100" },
	{ "auditor", "auditor", "370100" },
	{ "qingdao", "clerk", "370200" },
};
static const struct tsupport_groupdef group = { "test_ops", 0,
	sizeof(certs) / sizeof(certs[0]), certs };

/* call_raw runs one request body; returns the decoded reply (borrowed). */
static json_t *
call_raw(struct tsupport_opsfx *fx, const char *body, size_t len)
{
	tsupport_call_send(&fx->c, body, len);
	return (tsupport_call_wait(&fx->c));
}

static json_t *
call_str(struct tsupport_opsfx *fx, const char *body)
{
	return (call_raw(fx, body, strlen(body)));
}

/* file_case files a case as token and writes its id into id. */
static void
file_case(struct tsupport_opsfx *fx, const char *token, char *id)
{
	json_t *res = tsupport_ok(
	    tsupport_call(fx, "case.file", token, tsupport_filing("370102")));

	snprintf(id, WAGE_CASE_ID_MAX, "%s", tsupport_jstr(res, "id"));
}

/* snapshot: what a refused write must not change. */
struct snapshot {
	uint64_t seq;
	char     head[65];
	size_t   cases, by_state;
	char    *doc;
};

static void
snap(struct tsupport_opsfx *fx, const char *id, struct snapshot *s)
{
	struct store_txn *txn;
	json_t           *doc = NULL;

	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	assert_int_equal(audit_head(txn, &s->seq, s->head), WAGE_OK);
	s->cases    = store_db_count(txn, DB_CASES);
	s->by_state = store_db_count(txn, DB_BY_STATE);
	s->doc      = NULL;
	if (id != NULL && caserec_get(txn, id, 1, &doc) == WAGE_OK) {
		s->doc = json_dumps(doc, JSON_SORT_KEYS);
		json_decref(doc);
	}
	store_read_end(txn);
}

static void
assert_unchanged(
    struct tsupport_opsfx *fx, const char *id, const struct snapshot *a)
{
	struct snapshot b;

	snap(fx, id, &b);
	assert_int_equal(b.seq, a->seq);
	assert_string_equal(b.head, a->head);
	assert_int_equal(b.cases, a->cases);
	assert_int_equal(b.by_state, a->by_state);
	if (a->doc != NULL) {
		assert_non_null(b.doc);
		assert_string_equal(b.doc, a->doc);
	}
	free(b.doc);
}

/* ---- tests ---------------------------------------------------------- */

static void
test_ops_guard_chain_order(void **state)
{
	struct tsupport_opsfx *fx = *state;
	char                   admin[WAGE_TOKEN_MAX], *big;
	struct snapshot        s0;

	snap(fx, NULL, &s0);
	/* Size first: an oversize body is not even looked at. */
	big = malloc(WAGE_MAX_MSG + 1);
	memset(big, '[', WAGE_MAX_MSG + 1);
	tsupport_want_err(
	    call_raw(fx, big, WAGE_MAX_MSG + 1), "TOO_LARGE", NULL);
	free(big);
	/* Depth before decoding: nine levels, valid JSON or not. */
	tsupport_want_err(call_str(fx, "{{{{{{{{{"), "TOO_LARGE", NULL);
	tsupport_want_err(call_str(fx,
	                      "{\"op\":\"whoami\",\"args\":{\"a\":"
	                      "[[[[[[[1]]]]]]]}}"),
	    "TOO_LARGE", NULL);
	/* Eight levels pass; brackets inside strings do not count. */
	tsupport_want_err(call_str(fx,
	                      "{\"op\":\"whoami\",\"args\":{\"a\":"
	                      "[[[[[[1]]]]]]}}"),
	    "UNAUTHENTICATED", "token");
	tsupport_want_err(call_str(fx,
	                      "{\"op\":\"whoami\",\"token\":"
	                      "\"\\\"[[[[[[[[[[{{{{{{{{\"}"),
	    "UNAUTHENTICATED", "token");
	tsupport_want_err(call_str(fx, "{\"op\":"), "BAD_REQUEST", NULL);
	tsupport_want_err(
	    call_str(fx, "{\"op\":\"whoami\",\"op\":\"whoami\"}"),
	    "BAD_REQUEST", NULL);
	tsupport_want_err(call_str(fx, "[1,2]"), "BAD_REQUEST", NULL);
	tsupport_want_err(call_str(fx, "\"whoami\""), "BAD_REQUEST", NULL);
	tsupport_want_err(call_str(fx, "{\"op\":\"whoami\",\"tokn\":\"x\"}"),
	    "BAD_REQUEST", "tokn");
	tsupport_want_err(call_str(fx, "{\"op\":1}"), "BAD_REQUEST", "op");
	/* Op lookup before the token. */
	tsupport_want_err(call_str(fx, "{\"op\":\"case.delete\",\"args\":{}}"),
	    "UNKNOWN_OP", "op");
	tsupport_want_err(call_str(fx, "{\"op\":\"whoami\",\"args\":[]}"),
	    "BAD_REQUEST", "args");
	tsupport_want_err(call_str(fx, "{\"op\":\"whoami\",\"token\":7}"),
	    "BAD_REQUEST", "token");
	tsupport_want_err(tsupport_call(fx, "case.get", NULL,
	                      json_pack("{s:s}", "id", "WA2026-000001")),
	    "UNAUTHENTICATED", "token");
	tsupport_want_err(tsupport_call(fx, "case.get", "v1.e30.AAAA",
	                      json_pack("{s:s}", "id", "WA2026-000001")),
	    "UNAUTHENTICATED", "token");
	/* The role before the arguments. */
	tsupport_login(fx, "admin", admin);
	tsupport_want_err(tsupport_call(fx, "case.get", admin,
	                      json_pack("{s:s}", "id", "WA2026-000001")),
	    "FORBIDDEN", "op");
	tsupport_want_err(tsupport_call(fx, "case.get", admin,
	                      json_pack("{s:i}", "bogus", 1)),
	    "FORBIDDEN", "op");
	tsupport_want_err(
	    tsupport_call(fx, "case.file", admin, tsupport_filing("370102")),
	    "FORBIDDEN", "op");
	/* Nothing changed, and the server still answers. */
	assert_unchanged(fx, NULL, &s0);
	assert_string_equal(
	    tsupport_jstr(
	        tsupport_ok(tsupport_call(fx, "whoami", admin, NULL)), "role"),
	    "admin");
}

static void
test_ops_clerk_files_gets_lists_acts(void **state)
{
	struct tsupport_opsfx *fx = *state;
	char                   clerk[WAGE_TOKEN_MAX], aud[WAGE_TOKEN_MAX];
	char              qd[WAGE_TOKEN_MAX], id[WAGE_CASE_ID_MAX], want[32];
	struct civil_date today;
	struct snapshot   s;
	json_t           *res, *cases, *c0;

	tsupport_login(fx, "clerk", clerk);
	res = tsupport_ok(tsupport_call(fx, "whoami", clerk, NULL));
	assert_string_equal(tsupport_jstr(res, "role"), "clerk");
	assert_string_equal(tsupport_jstr(res, "region"), "370100");

	res = tsupport_ok(
	    tsupport_call(fx, "case.file", clerk, tsupport_filing("370102")));
	civil_date_today(&today);
	snprintf(want, sizeof(want), "WA%04d-000001", today.y);
	assert_string_equal(tsupport_jstr(res, "id"), want);
	assert_string_equal(tsupport_jstr(res, "state"), "intake");
	assert_int_equal(tsupport_jnum(res, "revision"), 1);
	assert_int_equal(tsupport_jnum(res, "audit_seq"), 1);
	snprintf(id, sizeof(id), "%s", tsupport_jstr(res, "id"));
	/* At rest the ID number is sealed: not in the stored document. */
	snap(fx, id, &s);
	assert_non_null(s.doc);
	assert_null(strstr(s.doc, tsupport_ops_g.id1));
	free(s.doc);

	res = tsupport_ok(tsupport_call(
	    fx, "case.get", clerk, json_pack("{s:s}", "id", id)));
	assert_string_equal(tsupport_jstr(res, "state"), "intake");
	assert_int_equal(tsupport_jnum(res, "revision"), 1);
	assert_string_equal(tsupport_jstr(res, "phase"), "intake");
	c0 = json_array_get(json_object_get(res, "claimants"), 0);
	assert_string_equal(tsupport_jstr(c0, "id_number"),
	    tsupport_ops_g.id1); /* clerk: whole */
	assert_string_equal(
	    tsupport_jstr(json_object_get(res, "filed_by"), "org"),
	    TSUPPORT_OFFICE);
	assert_int_equal(
	    tsupport_jnum(json_object_get(res, "claim"), "total_fen"),
	    1860000);

	cases = json_object_get(
	    tsupport_ok(tsupport_call(fx, "case.list", clerk, NULL)), "cases");
	assert_int_equal(json_array_size(cases), 1);
	assert_string_equal(tsupport_jstr(json_array_get(cases, 0), "id"), id);

	res = tsupport_ok(tsupport_act(fx, clerk, id, "accept", 1, NULL));
	assert_string_equal(tsupport_jstr(res, "from"), "intake");
	assert_string_equal(tsupport_jstr(res, "state"), "mediation");
	assert_int_equal(tsupport_jnum(res, "revision"), 2);
	assert_int_equal(tsupport_jnum(res, "audit_seq"), 2);

	res = tsupport_ok(tsupport_call(
	    fx, "case.get", clerk, json_pack("{s:s}", "id", id)));
	assert_string_equal(tsupport_jstr(res, "state"), "mediation");
	assert_int_equal(tsupport_jnum(res, "revision"), 2);
	assert_int_equal(json_array_size(json_object_get(res, "steps")), 1);
	/* The state index moved with the case. */
	cases =
	    json_object_get(tsupport_ok(tsupport_call(fx, "case.list", clerk,
	                        json_pack("{s:s}", "state", "intake"))),
	        "cases");
	assert_int_equal(json_array_size(cases), 0);
	cases =
	    json_object_get(tsupport_ok(tsupport_call(fx, "case.list", clerk,
	                        json_pack("{s:s}", "state", "mediation"))),
	        "cases");
	assert_int_equal(json_array_size(cases), 1);

	res = tsupport_ok(tsupport_call(
	    fx, "case.history", clerk, json_pack("{s:s}", "id", id)));
	assert_int_equal(json_array_size(json_object_get(res, "events")), 2);
	assert_string_equal(
	    tsupport_jstr(
	        json_array_get(json_object_get(res, "events"), 1), "to"),
	    "mediation");

	/* An auditor sees the case masked and the chain valid. */
	tsupport_login(fx, "auditor", aud);
	res = tsupport_ok(
	    tsupport_call(fx, "case.get", aud, json_pack("{s:s}", "id", id)));
	c0 = json_array_get(json_object_get(res, "claimants"), 0);
	assert_string_not_equal(
	    tsupport_jstr(c0, "id_number"), tsupport_ops_g.id1);
	assert_non_null(strstr(tsupport_jstr(c0, "id_number"), "****"));
	res = tsupport_ok(tsupport_call(fx, "audit.verify", aud, NULL));
	assert_true(json_is_true(json_object_get(res, "valid")));
	assert_int_equal(tsupport_jnum(res, "events"), 2);

	/* A clerk of another city neither sees nor lists it. */
	tsupport_login(fx, "qingdao", qd);
	tsupport_want_err(
	    tsupport_call(fx, "case.get", qd, json_pack("{s:s}", "id", id)),
	    "OUT_OF_SCOPE", "id");
	cases = json_object_get(
	    tsupport_ok(tsupport_call(fx, "case.list", qd, NULL)), "cases");
	assert_int_equal(json_array_size(cases), 0);
	tsupport_want_err(
	    tsupport_call(fx, "case.file", qd, tsupport_filing("370102")),
	    "OUT_OF_SCOPE", "region");
}

static void
test_ops_list_pages(void **state)
{
	struct tsupport_opsfx *fx = *state;
	char                   clerk[WAGE_TOKEN_MAX], ids[3][WAGE_CASE_ID_MAX];
	char                   next[1200];
	json_t                *res;
	int                    i;

	tsupport_login(fx, "clerk", clerk);
	for (i = 0; i < 3; i++) {
		file_case(fx, clerk, ids[i]);
	}
	res = tsupport_ok(tsupport_call(
	    fx, "case.list", clerk, json_pack("{s:i}", "limit", 2)));
	assert_int_equal(json_array_size(json_object_get(res, "cases")), 2);
	assert_string_equal(
	    tsupport_jstr(
	        json_array_get(json_object_get(res, "cases"), 0), "id"),
	    ids[0]);
	assert_non_null(tsupport_jstr(res, "next"));
	snprintf(next, sizeof(next), "%s", tsupport_jstr(res, "next"));
	res = tsupport_ok(tsupport_call(fx, "case.list", clerk,
	    json_pack("{s:i, s:s}", "limit", 2, "after", next)));
	assert_int_equal(json_array_size(json_object_get(res, "cases")), 1);
	assert_string_equal(
	    tsupport_jstr(
	        json_array_get(json_object_get(res, "cases"), 0), "id"),
	    ids[2]);
	assert_true(json_is_null(json_object_get(res, "next")));
	tsupport_want_err(tsupport_call(fx, "case.list", clerk,
	                      json_pack("{s:i}", "limit", WAGE_MAX_PAGE + 1)),
	    "INVALID_ARGUMENT", "limit");
	tsupport_want_err(tsupport_call(fx, "case.list", clerk,
	                      json_pack("{s:s}", "after", "bm90IGEgY3Vyc29y")),
	    "INVALID_ARGUMENT", "after");
}

static void
test_ops_stale_revision_changes_nothing(void **state)
{
	struct tsupport_opsfx *fx = *state;
	char                   clerk[WAGE_TOKEN_MAX], id[WAGE_CASE_ID_MAX];
	struct snapshot        s;
	json_t                *res;

	tsupport_login(fx, "clerk", clerk);
	file_case(fx, clerk, id);
	tsupport_ok(tsupport_act(fx, clerk, id, "accept", 1, NULL));
	snap(fx, id, &s);
	assert_int_equal(s.seq, 2);

	tsupport_want_err(tsupport_act(fx, clerk, id, "refer_inspection", 1,
	                      json_pack("{s:s}", "reason", "欠薪逃匿")),
	    "STALE_REVISION", "revision");
	assert_unchanged(fx, id, &s);
	res = tsupport_ok(tsupport_call(
	    fx, "case.get", clerk, json_pack("{s:s}", "id", id)));
	assert_string_equal(tsupport_jstr(res, "state"), "mediation");
	assert_int_equal(tsupport_jnum(res, "revision"), 2);

	/* With the current revision the same event goes through: policy
	 * 2026.2 makes labour inspection a track of its own, not a
	 * closure (劳动保障监察条例 Art 17). */
	res = tsupport_ok(tsupport_act(fx, clerk, id, "refer_inspection", 2,
	    json_pack("{s:s}", "reason", "欠薪逃匿")));
	assert_string_equal(tsupport_jstr(res, "state"), "inspection");
	assert_int_equal(tsupport_jnum(res, "revision"), 3);
	assert_int_equal(tsupport_jnum(res, "audit_seq"), 3);
	free(s.doc);
}

static void
test_ops_rejected_write_leaves_audit_head(void **state)
{
	struct tsupport_opsfx *fx = *state;
	char                   clerk[WAGE_TOKEN_MAX], id[WAGE_CASE_ID_MAX];
	char                   bad_cc[19];
	struct snapshot        s;
	json_t                *args, *report;
	struct store_txn      *txn;

	tsupport_login(fx, "clerk", clerk);
	file_case(fx, clerk, id);
	snap(fx, id, &s);
	assert_int_equal(s.seq, 1);

	/* Refused in the writer: wrong state, missing field, no case. */
	tsupport_want_err(tsupport_act(fx, clerk, id, "confirm_paid", 1,
	                      json_pack("{s:I, s:s}", "amount_paid_fen",
	                          (json_int_t) 100, "paid_on", "2026-11-01")),
	    "ILLEGAL_TRANSITION", "event");
	assert_unchanged(fx, id, &s);
	tsupport_want_err(tsupport_act(fx, clerk, id, "refuse", 1, NULL),
	    "INVALID_ARGUMENT", "fields.reason");
	assert_unchanged(fx, id, &s);
	tsupport_want_err(
	    tsupport_act(fx, clerk, id, "mediation_agreement", 1, NULL),
	    "FORBIDDEN", "event");
	assert_unchanged(fx, id, &s);
	tsupport_want_err(
	    tsupport_act(fx, clerk, "WA2026-999999", "accept", 1, NULL),
	    "NOT_FOUND", "id");
	assert_unchanged(fx, id, &s);
	/* Refused before the writer: arguments and scope. */
	tsupport_want_err(tsupport_act(fx, clerk, id, "accept", 0, NULL),
	    "INVALID_ARGUMENT", "revision");
	assert_unchanged(fx, id, &s);
	args = tsupport_filing("370102");
	memcpy(bad_cc, tsupport_ops_g.cc1, 19);
	bad_cc[17] = bad_cc[17] == '0' ? '1' : '0';
	json_object_set_new(json_object_get(args, "respondent"), "credit_code",
	    json_string(bad_cc));
	tsupport_want_err(tsupport_call(fx, "case.file", clerk, args),
	    "INVALID_ARGUMENT", "respondent.credit_code");
	assert_unchanged(fx, id, &s);
	tsupport_want_err(
	    tsupport_call(fx, "case.file", clerk, tsupport_filing("370202")),
	    "OUT_OF_SCOPE", "region");
	assert_unchanged(fx, id, &s);

	/* The next good write works and the chain still verifies. */
	tsupport_ok(tsupport_act(fx, clerk, id, "accept", 1, NULL));
	assert_int_equal(store_read_begin(fx->srv.store, &txn), WAGE_OK);
	assert_int_equal(audit_verify(txn, NULL, &report), WAGE_OK);
	store_read_end(txn);
	assert_true(json_is_true(json_object_get(report, "valid")));
	assert_int_equal(tsupport_jnum(report, "events"), 2);
	json_decref(report);
	free(s.doc);
}

#define T(f)                             \
	cmocka_unit_test_setup_teardown( \
	    f, tsupport_ops_setup, tsupport_ops_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ops_guard_chain_order),
		T(test_ops_clerk_files_gets_lists_acts),
		T(test_ops_list_pages),
		T(test_ops_stale_revision_changes_nothing),
		T(test_ops_rejected_write_leaves_audit_head),
	};

	return (tsupport_ops_run_group("ops", tests, &group));
}
