/* SPDX-License-Identifier: MIT */
/*
 * ops_audit.c - the audit and report operations: verify the chain, export
 * it, and the reports offices send. Must not: change anything.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "filing.h"
#include "ops_int.h"
#include "report.h"
#include "validate.h"

/* ---- audit --------------------------------------------------------- */

int
op_audit_verify(struct ops_request *r)
{
	struct store_txn *txn;
	int               rc;

	if ((rc = ops_no_args(r)) != WAGE_OK) {
		return (rc);
	}
	if ((rc = store_read_begin(r->srv->store, &txn)) != WAGE_OK) {
		return (rc);
	}
	rc = audit_verify(txn, r->srv->signer, &r->result);
	store_read_end(txn);
	return (rc);
}

int
op_audit_export(struct ops_request *r)
{
	static const char *const keys[] = { "after", "limit", NULL };
	struct store_txn        *txn;
	json_t                  *v;
	const char              *after = NULL;
	size_t                   limit = 500;
	int                      rc;

	if ((rc = filing_check_object(r->args, keys, "args", &r->err)) !=
	    WAGE_OK) {
		return (rc);
	}
	if ((v = json_object_get(r->args, "after")) != NULL) {
		if (!json_is_string(v)) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "after",
			    "'after' must be the 'next' cursor of the "
			    "previous page"));
		}
		after = json_string_value(v);
	}
	if ((v = json_object_get(r->args, "limit")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 4 ||
		    json_integer_value(v) > WAGE_MAX_EXPORT_PAGE) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "limit", "'limit' must be an integer from 4 to %d",
			    WAGE_MAX_EXPORT_PAGE));
		}
		limit = (size_t) json_integer_value(v);
	}
	if ((rc = store_read_begin(r->srv->store, &txn)) != WAGE_OK) {
		return (rc);
	}
	rc = audit_export_page(
	    txn, r->srv->signer, after, limit, &r->result, &r->err);
	store_read_end(txn);
	return (rc);
}

/* ---- reports ------------------------------------------------------- */

static int
report_visible(const json_t *doc, void *arg)
{
	struct ops_request *r = arg;

	return (scope_case_visible(r->srv->policy, &r->actor, doc, NULL) ==
	    WAGE_OK);
}

static int
run_report(struct ops_request *r, int campaign)
{
	const struct policy *p = r->srv->policy;
	struct store_txn    *txn;
	json_t              *args, *reg;
	char                 now[40];
	int                  rc;

	if ((args = json_deep_copy(r->args)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	reg = json_object_get(args, "region");
	if (campaign && (p->scope_region & ROLE_BIT(r->actor.role))) {
		/* A region officer reports on their own region by default,
		 * and on nothing outside it. */
		if (reg == NULL) {
			json_object_set_new(
			    args, "region", json_string(r->actor.region));
		} else if (!json_is_string(reg) ||
		    !validate_region_within(
		        json_string_value(reg), r->actor.region)) {
			json_decref(args);
			return (wage_err_set(&r->err, WAGE_E_OUT_OF_SCOPE,
			    "region",
			    "'region' must lie within your own region %s",
			    r->actor.region));
		}
	}
	if ((rc = store_read_begin(r->srv->store, &txn)) != WAGE_OK) {
		json_decref(args);
		return (rc);
	}
	rc = campaign ? report_campaign(txn, p, args, report_visible, r,
	                    &r->result, &r->err)
	              : report_employers(txn, p, args, report_visible, r,
	                    &r->result, &r->err);
	store_read_end(txn);
	json_decref(args);
	if (rc == WAGE_OK && r->result != NULL) {
		audit_now_string(now, sizeof(now));
		json_object_set_new(
		    r->result, "generated_at", json_string(now));
	}
	return (rc);
}

int
op_report_campaign(struct ops_request *r)
{
	return (run_report(r, 1));
}

int
op_report_employers(struct ops_request *r)
{
	return (run_report(r, 0));
}
