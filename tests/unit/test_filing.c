/* SPDX-License-Identifier: MIT */
/*
 * test_filing.c - unit tests of server/filing.c: a valid filing becomes
 * the normalised case document (total, priority, flags); every invalid
 * field is refused with INVALID_ARGUMENT and its exact path; a region
 * outside the actor's is OUT_OF_SCOPE; messages never echo an ID number;
 * filing_mask masks ID numbers and phones; filing_seal/unseal round trip.
 * ID numbers and credit codes are made with their check characters by
 * support_ids.c, apart from validate.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "filing.h"
#include "policy.h"

#include "support_ids.h"

#define OFFICE    "济南市劳动人事争议仲裁院"
#define UNION_ORG "历下区总工会农民工维权站"

/* worker_id: the ID of worker n (born 1990 in 370102), n < 12000. */
static void
worker_id(int n, char out[19])
{
	char body[18];

	snprintf(body, sizeof(body), "3701021990%02u01%03u",
	    1u + ((unsigned) n / 1000u) % 12u, (unsigned) n % 1000u);
	tsupport_id_number(body, out);
}

static char id1[19], id2[19], cc1[19], cc2[19];

static struct actor
actor(int role, const char *org, const char *region)
{
	struct actor a;

	memset(&a, 0, sizeof(a));
	snprintf(a.name, sizeof(a.name), "张伟");
	snprintf(a.org, sizeof(a.org), "%s", org);
	snprintf(a.region, sizeof(a.region), "%s", region);
	a.role = role;
	return (a);
}

static json_t *
claimant(const char *name, const char *id)
{
	return (json_pack("{s:s, s:s}", "name", name, "id_number", id));
}

static json_t *
base_args(void)
{
	json_t *a = json_pack(
	    "{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:b}, {s:s, s:s}],"
	    " s:{s:s, s:s}, s:{s:s, s:{s:s, s:s}},"
	    " s:{s:[{s:s, s:I}, {s:s, s:I, s:s}], s:{s:s, s:s}}, s:s}",
	    "channel", "walk_in", "received", "2024-03-01", "region", "370102",
	    "claimants", "name", "张三", "id_number", id1, "phone",
	    "13800138000", "migrant_worker", 1, "name", "李四", "id_number",
	    id2, "respondent", "name", "济南某建筑劳务有限公司", "credit_code",
	    cc1, "project", "name", "某小区二期", "general_contractor", "name",
	    "某建工集团", "credit_code", cc2, "claim", "items", "kind",
	    "wages", "amount_fen", (json_int_t) 1234500, "kind", "overtime",
	    "amount_fen", (json_int_t) 100, "description", "加班费", "period",
	    "from", "2023-01", "to", "2023-12", "facts",
	    "2023年全年工资未发放。\n项目已完工。");

	assert_non_null(a);
	return (a);
}

static json_t *
rep(const char *org)
{
	return (json_pack("{s:s, s:s, s:s, s:{s:[s, s], s:s}}", "kind",
	    "union", "organisation", org, "name", "王芳", "authority", "scope",
	    "file", "mediate", "document", "授权委托书 2024-01"));
}

static int
group_setup(void **state)
{
	(void) state;
	worker_id(1, id1);
	worker_id(2, id2);
	tsupport_credit_code("91370100MA3C5XXQ0", cc1);
	tsupport_credit_code("91370000163041234", cc2);
	return (0);
}

/*
 * set_path sets (val != NULL, stolen) or deletes the member at path, of
 * the form "a.b[2].c", in o.
 */
static void
set_path(json_t *o, const char *path, json_t *val)
{
	char    buf[128], *seg, *save = NULL, *br;
	json_t *cur = o, *parent = NULL;
	size_t  idx     = 0;
	int     is_idx  = 0;
	char    key[64] = "";

	snprintf(buf, sizeof(buf), "%s", path);
	for (seg = strtok_r(buf, ".", &save); seg != NULL;
	     seg = strtok_r(NULL, ".", &save)) {
		br = strchr(seg, '[');
		if (br != NULL) {
			*br = '\0';
		}
		parent = cur;
		snprintf(key, sizeof(key), "%s", seg);
		is_idx = 0;
		cur    = json_object_get(parent, key);
		while (br != NULL) {
			parent = cur;
			idx    = strtoul(br + 1, NULL, 10);
			is_idx = 1;
			cur    = json_array_get(parent, idx);
			br     = strchr(br + 1, '[');
		}
	}
	assert_non_null(parent);
	if (is_idx) {
		assert_int_equal(json_array_set_new(parent, idx, val), 0);
	} else if (val == NULL) {
		assert_int_equal(json_object_del(parent, key), 0);
	} else {
		assert_int_equal(json_object_set_new(parent, key, val), 0);
	}
}

/* refused files args as who, expects code and field, checks the
 * message names no ID number; takes ownership of args. */
static void
refused(json_t *args, const struct actor *who, int code, const char *field,
    const char *what)
{
	struct wage_error err;
	json_t           *doc = (json_t *) 1, *c;
	const char       *id;
	size_t            i;
	int               rc;

	wage_err_clear(&err);
	rc = filing_check(args, who, &doc, &err);
	if (rc != code || err.code != code || strcmp(err.field, field) != 0) {
		fail_msg("%s: got %s field '%s' (%s), want %s field '%s'",
		    what, wage_err_name(rc), err.field, err.message,
		    wage_err_name(code), field);
	}
	assert_null(doc);
	assert_true(strlen(err.message) > 0);
	json_array_foreach (json_object_get(args, "claimants"), i, c) {
		id = json_string_value(json_object_get(c, "id_number"));
		if (id != NULL && strlen(id) >= 6) {
			assert_null(strstr(err.message, id));
			assert_null(
			    strstr(err.message, id + 6)); /* the rest */
		}
	}
	assert_null(strstr(err.message, id1));
	assert_null(strstr(err.message, id2));
	json_decref(args);
}

static void
test_filing_valid_document(void **state)
{
	struct actor      a = actor(ROLE_CLERK, OFFICE, "370100");
	struct wage_error err;
	json_t           *args = base_args(), *doc, *c0, *c1, *pr;

	(void) state;
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(doc, "channel")), "walk_in");
	assert_string_equal(
	    json_string_value(json_object_get(doc, "received")), "2024-03-01");
	assert_string_equal(
	    json_string_value(json_object_get(doc, "region")), "370102");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(doc, "claim"), "total_fen")),
	    1234600);
	c0 = json_array_get(json_object_get(doc, "claimants"), 0);
	c1 = json_array_get(json_object_get(doc, "claimants"), 1);
	assert_string_equal(
	    json_string_value(json_object_get(c0, "id_number")), id1);
	assert_string_equal(
	    json_string_value(json_object_get(c0, "phone")), "13800138000");
	assert_true(json_is_true(json_object_get(c0, "migrant_worker")));
	assert_true(json_is_false(json_object_get(c1, "migrant_worker")));
	assert_null(json_object_get(c1, "phone"));
	pr = json_object_get(doc, "priority");
	assert_true(json_is_false(json_object_get(pr, "collective")));
	assert_true(json_is_true(json_object_get(pr, "migrant")));
	assert_true(json_is_false(json_object_get(pr, "poverty_alleviated")));
	assert_int_equal(
	    json_integer_value(json_object_get(pr, "workers")), 2);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(
	            json_object_get(doc, "project"), "general_contractor"),
	        "credit_code")),
	    cc2);
	assert_null(json_object_get(doc, "representative"));
	json_decref(doc);
	json_decref(args);
}

static void
test_filing_collective_from_ten_claimants(void **state)
{
	struct actor      a = actor(ROLE_CLERK, OFFICE, "370000");
	struct wage_error err;
	json_t           *args = base_args(), *list = json_array(), *doc;
	char              id[19];
	int               i;

	(void) state;
	for (i = 1; i <= 9; i++) {
		worker_id(100 + i, id);
		json_array_append_new(list, claimant("工人", id));
	}
	set_path(args, "claimants", list);
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	assert_true(json_is_false(
	    json_object_get(json_object_get(doc, "priority"), "collective")));
	assert_true(json_is_false(
	    json_object_get(json_object_get(doc, "priority"), "migrant")));
	json_decref(doc);
	worker_id(110, id);
	json_array_append_new(list, claimant("工人", id));
	/* Ten workers: a collective case. Its workers may elect
	 * representatives (Art 7): without them it is filed, with none. */
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	assert_null(json_object_get(doc, "representatives"));
	assert_true(json_is_true(
	    json_object_get(json_object_get(doc, "priority"), "collective")));
	json_decref(doc);
	/* When they did, 3 to 5 (办案规则 Art 8). */
	set_path(args, "representatives", json_pack("[i,i]", 0, 1));
	assert_int_equal(
	    filing_check(args, &a, &doc, &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "representatives");
	set_path(args, "representatives",
	    json_pack("[i,i,i,i,i,i]", 0, 1, 2, 3, 4, 5));
	assert_int_equal(
	    filing_check(args, &a, &doc, &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "representatives");
	set_path(args, "representatives", json_pack("[i,i,i]", 0, 1, 1));
	assert_int_equal(
	    filing_check(args, &a, &doc, &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "representatives[2]");
	set_path(args, "representatives", json_pack("[i,i,i]", 0, 1, 10));
	assert_int_equal(
	    filing_check(args, &a, &doc, &err), WAGE_E_INVALID_ARGUMENT);
	set_path(args, "representatives", json_pack("[i,i,i]", 0, 4, 9));
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	assert_int_equal(
	    json_array_size(json_object_get(doc, "representatives")), 3);
	assert_true(json_is_true(
	    json_object_get(json_object_get(doc, "priority"), "collective")));
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(doc, "priority"), "workers")),
	    10);
	json_decref(doc);
	json_decref(args);
}

static void
test_filing_lowercase_x_normalised(void **state)
{
	struct actor      a = actor(ROLE_CLERK, OFFICE, "370100");
	struct wage_error err;
	json_t           *args = base_args(), *doc;
	char              id[19], lower[19];
	int               n;

	(void) state;
	for (n = 3; n < 100; n++) {
		worker_id(n, id);
		if (id[17] == 'X') {
			break;
		}
	}
	assert_int_equal(id[17], 'X');
	memcpy(lower, id, 19);
	lower[17] = 'x';
	set_path(args, "claimants[1].id_number", json_string(lower));
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(doc, "claimants"), 1),
	        "id_number")),
	    id);
	json_decref(doc);
	/* The same worker twice, once with x and once with X. */
	set_path(args, "claimants[0].id_number", json_string(id));
	refused(args, &a, WAGE_E_INVALID_ARGUMENT, "claimants[1].id_number",
	    "x/X duplicate");
}

static void
test_filing_invalid_fields(void **state)
{
	struct actor a = actor(ROLE_CLERK, OFFICE, "370100");
	char         bad_id[19], bad_cc[19], big[4100];
	struct {
		const char *path;
		json_t     *val; /* NULL: delete */
		const char *field;
	} cases[32];
	size_t n = 0, i;

	(void) state;
	memcpy(bad_id, id2, 19);
	bad_id[17] = bad_id[17] == '0' ? '1' : '0';
	memcpy(bad_cc, cc1, 19);
	bad_cc[17] = bad_cc[17] == '0' ? '1' : '0';
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
#define BAD(p, v, f)                  \
	do {                          \
		cases[n].path  = (p); \
		cases[n].val   = (v); \
		cases[n].field = (f); \
		n++;                  \
	} while (0)
	BAD("claimants[1].id_number", json_string(bad_id),
	    "claimants[1].id_number");
	BAD("claimants[1].id_number", json_string("37010219900101123"),
	    "claimants[1].id_number");
	BAD("claimants[1].id_number", NULL, "claimants[1].id_number");
	BAD("claimants[0].phone", json_string("12345"), "claimants[0].phone");
	BAD("claimants[0].migrant_worker", json_string("yes"),
	    "claimants[0].migrant_worker");
	BAD("claimants[0].age", json_integer(30), "claimants[0]");
	BAD("claimants[1].id_number", json_string(id1),
	    "claimants[1].id_number");
	BAD("claimants", json_array(), "claimants");
	BAD("respondent.credit_code", json_string(bad_cc),
	    "respondent.credit_code");
	BAD("respondent.credit_code", json_string("91370100ma3c5xxq0x"),
	    "respondent.credit_code");
	BAD("respondent", NULL, "respondent");
	BAD("project.general_contractor.credit_code", json_string("X"),
	    "project.general_contractor.credit_code");
	BAD("claim.items[0].amount_fen", json_integer(0),
	    "claim.items[0].amount_fen");
	BAD("claim.items[0].amount_fen", json_integer(-100),
	    "claim.items[0].amount_fen");
	BAD("claim.items[0].amount_fen", json_string("100"),
	    "claim.items[0].amount_fen");
	BAD("claim.items[0].amount_fen", json_real(1.5),
	    "claim.items[0].amount_fen");
	BAD("claim.items[1].amount_fen", json_integer(WAGE_MAX_AMOUNT_FEN + 1),
	    "claim.items[1].amount_fen");
	BAD("claim.items[0].kind", json_string("bonus"),
	    "claim.items[0].kind");
	BAD("claim.period.to", json_string("2022-12"), "claim.period.to");
	BAD("claim.period.to", json_string("2999-01"), "claim.period.to");
	BAD("claim.period.to", json_string("2023-13"), "claim.period.to");
	BAD("claim.period.from", json_string("2023/01"), "claim.period.from");
	BAD("received", json_string("2999-01-01"), "received");
	BAD("received", json_string("2024-02-30"), "received");
	BAD("received", json_string("1999-12-31"), "received");
	BAD("region", json_string("37010"), "region");
	BAD("region", json_string("990000"), "region");
	BAD("facts", json_string(""), "facts");
	BAD("facts", json_string(" \n\t "), "facts");
	BAD("facts", json_string(big), "facts");
	BAD("channel", json_string("email"), "channel");
	BAD("complaint", json_string("x"), "args");
#undef BAD
	assert_true(n <= sizeof(cases) / sizeof(cases[0]));
	for (i = 0; i < n; i++) {
		json_t *args = base_args();
		char    what[160];

		snprintf(
		    what, sizeof(what), "case %zu (%s)", i, cases[i].path);
		set_path(args, cases[i].path, cases[i].val);
		refused(
		    args, &a, WAGE_E_INVALID_ARGUMENT, cases[i].field, what);
	}
}

/* Every claim kind, the Art 47(2) disputes (working hours, rest and
 * leave) among them, is taken as given. */
static void
test_filing_claim_kinds(void **state)
{
	struct actor      a = actor(ROLE_CLERK, OFFICE, "370100");
	struct wage_error err;
	json_t           *args, *doc, *items;
	size_t            i;

	(void) state;
	for (i = 0; filing_claim_kinds[i] != NULL; i++) {
		args = base_args();
		set_path(args, "claim.items[0].kind",
		    json_string(filing_claim_kinds[i]));
		if (filing_check(args, &a, &doc, &err) != WAGE_OK) {
			fail_msg("%s: %s", filing_claim_kinds[i], err.message);
		}
		items =
		    json_object_get(json_object_get(doc, "claim"), "items");
		assert_string_equal(json_string_value(json_object_get(
		                        json_array_get(items, 0), "kind")),
		    filing_claim_kinds[i]);
		json_decref(doc);
		json_decref(args);
	}
	assert_string_equal(filing_claim_kinds[5], "working_hours");
	assert_string_equal(filing_claim_kinds[6], "rest_leave");
}

static void
test_filing_too_many_claimants(void **state)
{
	struct actor a    = actor(ROLE_CLERK, OFFICE, "370100");
	json_t      *args = base_args(), *list = json_array();
	char         id[19];
	int          i;

	(void) state;
	for (i = 0; i < WAGE_MAX_CLAIMANTS + 1; i++) {
		worker_id(1000 + i, id);
		json_array_append_new(list, claimant("工人", id));
	}
	set_path(args, "claimants", list);
	refused(args, &a, WAGE_E_INVALID_ARGUMENT, "claimants", "501 workers");
}

static void
test_filing_union_needs_representative(void **state)
{
	struct actor      u = actor(ROLE_UNION, UNION_ORG, "370102");
	struct actor      c = actor(ROLE_CLERK, OFFICE, "370100");
	struct wage_error err;
	json_t           *args, *doc;

	(void) state;
	args = base_args();
	set_path(args, "channel", json_string("union_station"));
	refused(args, &u, WAGE_E_INVALID_ARGUMENT, "representative",
	    "union without representative");
	/* A clerk entering a union station's filing needs one too. */
	args = base_args();
	set_path(args, "channel", json_string("union_station"));
	refused(args, &c, WAGE_E_INVALID_ARGUMENT, "representative",
	    "union_station channel without representative");

	args = base_args();
	set_path(args, "representative", rep("另一个工会"));
	refused(args, &u, WAGE_E_INVALID_ARGUMENT,
	    "representative.organisation", "representative of another org");

	args = base_args();
	set_path(args, "representative", rep(UNION_ORG));
	set_path(args, "representative.authority.scope[0]",
	    json_string("everything"));
	refused(args, &u, WAGE_E_INVALID_ARGUMENT,
	    "representative.authority.scope[0]", "bad scope");

	args = base_args();
	set_path(args, "representative", rep(UNION_ORG));
	assert_int_equal(filing_check(args, &u, &doc, &err), WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_object_get(doc, "representative"), "organisation")),
	    UNION_ORG);
	json_decref(doc);
	json_decref(args);
}

static void
test_filing_region_out_of_scope(void **state)
{
	struct actor a = actor(ROLE_CLERK, OFFICE, "370100");
	struct actor d = actor(ROLE_CLERK, OFFICE, "370102");
	json_t      *args;

	(void) state;
	args = base_args();
	set_path(args, "region", json_string("370202")); /* Qingdao */
	refused(args, &a, WAGE_E_OUT_OF_SCOPE, "region", "another city");
	args = base_args();
	set_path(args, "region", json_string("370103"));
	refused(args, &d, WAGE_E_OUT_OF_SCOPE, "region", "another district");
	args = base_args();
	set_path(args, "region", json_string("370100"));
	refused(args, &d, WAGE_E_OUT_OF_SCOPE, "region", "the whole city");
}

static void
test_filing_mask(void **state)
{
	struct actor      a = actor(ROLE_CLERK, OFFICE, "370100");
	struct wage_error err;
	json_t           *args = base_args(), *doc, *c0, *c1;
	char              want[19], *text;

	(void) state;
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	filing_mask(doc);
	c0 = json_array_get(json_object_get(doc, "claimants"), 0);
	c1 = json_array_get(json_object_get(doc, "claimants"), 1);
	snprintf(want, sizeof(want), "%.6s********%.4s", id1, id1 + 14);
	assert_string_equal(
	    json_string_value(json_object_get(c0, "id_number")), want);
	assert_string_equal(
	    json_string_value(json_object_get(c0, "phone")), "138****8000");
	assert_null(json_object_get(c1, "phone"));
	assert_string_equal(
	    json_string_value(json_object_get(c0, "name")), "张三");
	text = json_dumps(doc, 0);
	assert_null(strstr(text, id1));
	assert_null(strstr(text, id2));
	assert_null(strstr(text, "13800138000"));
	free(text);
	json_decref(doc);
	json_decref(args);
}

static void
test_filing_seal_round_trip(void **state)
{
	struct actor      a = actor(ROLE_CLERK, OFFICE, "370100");
	struct wage_error err;
	unsigned char     key[32], other[32];
	json_t           *args = base_args(), *plain, *doc, *c0;
	char             *text;

	(void) state;
	memset(key, 0x5a, sizeof(key));
	memset(other, 0xa5, sizeof(other));
	assert_int_equal(filing_check(args, &a, &plain, &err), WAGE_OK);
	doc = json_deep_copy(plain);
	assert_int_equal(filing_seal(doc, key), WAGE_OK);
	text = json_dumps(doc, 0);
	assert_null(strstr(text, id1));
	assert_null(strstr(text, id2));
	assert_null(strstr(text, "13800138000"));
	free(text);

	/* Revealed with the key: exactly the filing again. */
	c0 = json_deep_copy(doc);
	assert_int_equal(filing_unseal(c0, key, 1), WAGE_OK);
	assert_true(json_equal(c0, plain));
	json_decref(c0);
	/* Not revealed: what filing_mask shows. */
	c0 = json_deep_copy(doc);
	assert_int_equal(filing_unseal(c0, key, 0), WAGE_OK);
	filing_mask(plain);
	assert_true(json_equal(c0, plain));
	json_decref(c0);
	/* Another data key opens nothing. */
	assert_int_equal(filing_unseal(doc, other, 1), WAGE_E_INTERNAL);
	text = json_dumps(doc, 0);
	assert_null(strstr(text, id1));
	free(text);
	json_decref(doc);
	json_decref(plain);
	json_decref(args);
}

/* Issue 13, part 9: no complaint arrives before the wages it claims. */
static void
test_filing_received_before_claim_period(void **state)
{
	struct actor      a    = actor(ROLE_CLERK, OFFICE, "370100");
	json_t           *args = base_args(), *doc = NULL;
	struct wage_error err;

	(void) state;
	json_object_set_new(args, "received", json_string("2022-12-31"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(
	    filing_check(args, &a, &doc, &err), WAGE_E_INVALID_ARGUMENT);
	assert_null(doc);
	assert_string_equal(err.field, "received");
	assert_non_null(strstr(err.message, "claim.period.from"));
	assert_non_null(strstr(err.message, "2023-01"));
	/* The period's first day is fine. */
	json_object_set_new(args, "received", json_string("2023-01-01"));
	assert_int_equal(filing_check(args, &a, &doc, &err), WAGE_OK);
	json_decref(doc);
	/* A reason without a date is refused. */
	json_object_del(args, "received");
	json_object_set_new(args, "received_reason", json_string("补录"));
	assert_int_equal(
	    filing_check(args, &a, &doc, &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "received_reason");
	json_decref(args);
}

/* Issue 13, part 9: filings received long ago (policy filing.*). */
static void
test_filing_received_backdated(void **state)
{
	struct actor      clerk = actor(ROLE_CLERK, OFFICE, "370100");
	struct actor      un    = actor(ROLE_UNION, UNION_ORG, "370102");
	struct policy     p;
	json_t           *doc;
	struct wage_error err;

	(void) state;
	memset(&p, 0, sizeof(p));
	p.filing_max_days_back  = 30;
	p.filing_backdate_roles = ROLE_BIT(ROLE_CLERK);
	p.filing_basis          = (char *) "办案规则";
	/* 'received' 2024-03-01 lies far more than 30 days back. */
	doc = json_pack("{s:s}", "received", "2024-03-01");
	memset(&err, 0, sizeof(err));
	assert_int_equal(filing_check_received(doc, &un, &p, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "received");
	assert_non_null(strstr(err.message, "30 days"));
	assert_non_null(strstr(err.message, "filing.max_days_back"));
	assert_non_null(strstr(err.message, "办案规则"));
	assert_int_equal(filing_check_received(doc, &clerk, &p, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "received_reason");
	json_object_set_new(
	    doc, "received_reason", json_string("补录纸质申请"));
	assert_int_equal(
	    filing_check_received(doc, &clerk, &p, &err), WAGE_OK);
	/* Even with a reason, a union station may not back-date; nor give a
	 * reason at all, within the bound or not. */
	assert_int_equal(filing_check_received(doc, &un, &p, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "received_reason");
	p.filing_max_days_back = 3650;
	assert_int_equal(filing_check_received(doc, &un, &p, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "received_reason");
	assert_int_equal(
	    filing_check_received(doc, &clerk, &p, &err), WAGE_OK);
	p.filing_max_days_back = 30;
	json_object_del(doc, "received_reason");
	/* Within the bound: anyone; no "filing" section: no bound. */
	p.filing_max_days_back = 3650;
	assert_int_equal(filing_check_received(doc, &un, &p, &err), WAGE_OK);
	p.filing_max_days_back = -1;
	assert_int_equal(filing_check_received(doc, &un, &p, &err), WAGE_OK);
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filing_valid_document),
		cmocka_unit_test(test_filing_collective_from_ten_claimants),
		cmocka_unit_test(test_filing_lowercase_x_normalised),
		cmocka_unit_test(test_filing_invalid_fields),
		cmocka_unit_test(test_filing_claim_kinds),
		cmocka_unit_test(test_filing_too_many_claimants),
		cmocka_unit_test(test_filing_union_needs_representative),
		cmocka_unit_test(test_filing_region_out_of_scope),
		cmocka_unit_test(test_filing_mask),
		cmocka_unit_test(test_filing_received_before_claim_period),
		cmocka_unit_test(test_filing_received_backdated),
		cmocka_unit_test(test_filing_seal_round_trip),
	};

	return (
	    cmocka_run_group_tests_name("filing", tests, group_setup, NULL));
}
