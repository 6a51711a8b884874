/* SPDX-License-Identifier: MIT */
/*
 * contracting.c - who pays first on a construction project: see
 * contracting.h.
 */
#include <string.h>

#include "contracting.h"

#define ART29 "保障农民工工资支付条例 第29条"
#define ART30 "保障农民工工资支付条例 第30条"
#define ART36 "保障农民工工资支付条例 第36条"
#define ART3  "保障农民工工资支付条例 第3条；劳动法 第50条"

static const char *
str(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

/* party: {role, name, credit_code[, basis, why]} of body o (borrowed). */
static json_t *
party(const char *role, const json_t *o, const char *basis, const char *why)
{
	json_t *p = json_pack("{s:s, s:O?, s:O?}", "role", role, "name",
	    json_object_get(o, "name"), "credit_code",
	    json_object_get(o, "credit_code"));

	if (p != NULL && basis != NULL) {
		json_object_set_new(p, "basis", json_string(basis));
		json_object_set_new(p, "why", json_string(why));
	}
	return (p);
}

static int
same_body(const json_t *a, const json_t *b)
{
	const char *x = str(a, "credit_code"), *y = str(b, "credit_code");

	return (x != NULL && y != NULL && strcmp(x, y) == 0);
}

json_t *
contracting_view(const json_t *doc)
{
	const json_t *pr   = json_object_get(doc, "project");
	const json_t *gc   = json_object_get(pr, "general_contractor");
	const json_t *dev  = json_object_get(pr, "developer");
	const json_t *sub  = json_object_get(pr, "subcontractor");
	const json_t *resp = json_object_get(doc, "respondent");
	json_t       *out, *chain, *also, *first;

	if (pr == NULL || (gc == NULL && dev == NULL)) {
		return (NULL);
	}
	chain = json_array();
	also  = json_array();
	if (chain == NULL || also == NULL) {
		json_decref(chain);
		json_decref(also);
		return (NULL);
	}
	if (dev != NULL) {
		json_array_append_new(chain, party("developer", dev, NULL, NULL));
	}
	if (gc != NULL) {
		json_array_append_new(
		    chain, party("general_contractor", gc, NULL, NULL));
	}
	if (sub != NULL) {
		json_array_append_new(
		    chain, party("subcontractor", sub, NULL, NULL));
	}
	if (!same_body(resp, gc) && !same_body(resp, sub) &&
	    !same_body(resp, dev)) {
		json_array_append_new(chain, party("employer", resp, NULL, NULL));
	}

	if (json_is_true(json_object_get(pr, "unqualified_contractor")) &&
	    (gc != NULL || dev != NULL)) {
		first = party(gc != NULL ? "general_contractor" : "developer",
		    gc != NULL ? gc : dev, ART36,
		    "the work was subcontracted or passed on to a person or a "
		    "body not qualified to employ: the one who let it pays "
		    "the wages (由其清偿)");
	} else if (gc != NULL && !same_body(resp, gc)) {
		first = party("general_contractor", gc, ART30,
		    "the employer is a subcontractor of the general "
		    "contractor, which pays first and then recovers from it "
		    "(施工总承包单位先行清偿，再依法追偿)");
	} else {
		first = party(gc != NULL && same_body(resp, gc)
		        ? "general_contractor"
		        : "employer",
		    resp, ART3,
		    "the employer owes the wages itself (用人单位支付)");
	}
	/* The employer stays liable when another pays first. */
	if (!same_body(first, resp)) {
		json_array_append_new(also,
		    party("employer", resp, ART30,
		        "liable for its own workers' wages; the one who paid "
		        "first recovers from it (追偿)"));
	}
	if (dev != NULL &&
	    json_is_true(json_object_get(pr, "developer_arrears"))) {
		json_array_append_new(also,
		    party("developer", dev, ART29,
		        "did not pay the project money as agreed: advances "
		        "the wages owed, up to the money it still owes "
		        "(以未结清的工程款为限先行垫付)"));
	}
	out = json_pack("{s:o, s:o, s:o}", "chain", chain, "pays_first",
	    first, "also", also);
	return (out);
}
