/* SPDX-License-Identifier: MIT */
/*
 * transfer.c - 移送 between bodies: see transfer.h.
 */
#include <string.h>

#include "transfer.h"
#include "validate.h"

#define RULE_TRANSFER "劳动人事争议仲裁办案规则 第9条"

static const json_t *
pending(const json_t *doc)
{
	const json_t *t = json_object_get(doc, "transfer");
	const char   *s = json_string_value(json_object_get(t, "status"));

	return (s != NULL && strcmp(s, "pending") == 0 ? t : NULL);
}

static const char *
str(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

int
transfer_kind_from_name(const char *name)
{
	if (strcmp(name, "send") == 0) {
		return (TRANSFER_SEND);
	}
	if (strcmp(name, "accept") == 0) {
		return (TRANSFER_ACCEPT);
	}
	if (strcmp(name, "return") == 0) {
		return (TRANSFER_RETURN);
	}
	return (-1);
}

const char *
transfer_to_region(const json_t *doc)
{
	return (str(pending(doc), "to_region"));
}

int
transfer_guard(const json_t *doc, int kind, const json_t *fields,
    const struct actor *who, struct wage_error *err)
{
	const json_t *t      = pending(doc);
	const char   *region = str(doc, "region");
	const char   *to;

	if (kind == TRANSFER_SEND) {
		if (t != NULL) {
			return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
			    "event",
			    "a transfer to %s (%s) is pending: it must be "
			    "accepted or returned first",
			    str(t, "to_body"), str(t, "to_region")));
		}
		to = str(fields, "receiving_region");
		if (to == NULL || validate_region(to, "fields.receiving_region",
		                      err) != WAGE_OK) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "fields.receiving_region",
			    "'fields.receiving_region' must be the 6-digit "
			    "region code (GB/T 2260) of the competent body, "
			    "e.g. 370200 for 青岛 (" RULE_TRANSFER ")"));
		}
		if (region != NULL && strcmp(to, region) == 0) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "fields.receiving_region",
			    "'fields.receiving_region' is the case's own region "
			    "%s: a case is transferred to another body's (" RULE_TRANSFER
			    ")",
			    region));
		}
		return (WAGE_OK);
	}
	if (t == NULL) {
		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION, "event",
		    "no transfer is pending on this case"));
	}
	to = str(t, "to_region");
	if (to == NULL || !validate_region_within(to, who->region) ||
	    strcmp(who->org, str(t, "from_body") != NULL ? str(t, "from_body")
	                                                 : "") == 0) {
		return (wage_err_set(err, WAGE_E_OUT_OF_SCOPE, "event",
		    "only the receiving body, of region %s (%s), accepts or "
		    "returns this transfer; you are %s of region %s",
		    to != NULL ? to : "?", str(t, "to_body"), who->org,
		    who->region));
	}
	return (WAGE_OK);
}

int
transfer_apply(json_t *doc, int kind, const json_t *fields,
    const struct actor *who, const char *now)
{
	const json_t *t = pending(doc);
	json_t       *n, *list;

	if (kind == TRANSFER_SEND) {
		n = json_pack("{s:s, s:O, s:s, s:O, s:O, s:O, s:s, s:{s:s, "
		              "s:s}}",
		    "status", "pending", "from_region",
		    json_object_get(doc, "region"), "from_body", who->org,
		    "to_region", json_object_get(fields, "receiving_region"),
		    "to_body", json_object_get(fields, "receiving_body"),
		    "reason", json_object_get(fields, "reason"), "sent_on", now,
		    "sent_by", "name", who->name, "org", who->org);
		return (n != NULL && json_object_set_new(doc, "transfer", n) == 0
		        ? WAGE_OK
		        : WAGE_E_INTERNAL);
	}
	if ((n = json_deep_copy(t)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if (kind == TRANSFER_ACCEPT) {
		json_object_set_new(n, "status", json_string("accepted"));
		json_object_set_new(n, "accepted_on", json_string(now));
		json_object_set_new(n, "accepted_by",
		    json_pack("{s:s, s:s}", "name", who->name, "org", who->org));
		json_object_set(doc, "region", json_object_get(t, "to_region"));
	} else {
		json_object_set_new(n, "status", json_string("returned"));
		json_object_set_new(n, "returned_on", json_string(now));
		json_object_set_new(n, "returned_by",
		    json_pack("{s:s, s:s}", "name", who->name, "org", who->org));
		json_object_set(
		    n, "return_reason", json_object_get(fields, "reason"));
	}
	list = json_deep_copy(json_object_get(doc, "transfers"));
	if (list == NULL) {
		list = json_array();
	}
	if (list == NULL || json_array_append_new(list, n) != 0) {
		json_decref(list);
		return (WAGE_E_INTERNAL);
	}
	json_object_set_new(doc, "transfers", list);
	json_object_del(doc, "transfer");
	return (WAGE_OK);
}
