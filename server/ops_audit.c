/* SPDX-License-Identifier: MIT */
/*
 * ops_audit.c - the audit operations: verify the chain, export it.
 * Must not: change anything.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "filing.h"
#include "ops_int.h"

/* ---- audit --------------------------------------------------------- */

int
op_audit_verify(struct ops_request *r)
{
	MDB_txn *txn;
	int      rc;

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
	MDB_txn    *txn;
	json_t     *v;
	const char *after = NULL;
	size_t      limit = 500;
	int         rc;

	if ((rc = filing_check_object(r->args, keys, "args", &r->err)) !=
	    WAGE_OK) {
		return (rc);
	}
	if ((v = json_object_get(r->args, "after")) != NULL) {
		if (!json_is_string(v)) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "after", "'after' must be the 'next' cursor of the "
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
	rc = audit_export_page(txn, r->srv->signer, after, limit, &r->result,
	    &r->err);
	store_read_end(txn);
	return (rc);
}
