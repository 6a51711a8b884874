/* SPDX-License-Identifier: MIT */
/*
 * ops.c - the guard chain in front of every operation, the op table and
 * the envelope, and the helpers the op files share. The ops themselves:
 * ops_session.c (auth, whoami), ops_case.c (reads of cases), ops_write.c
 * (case.file, case.act), ops_audit.c (audit, reports), ops_policy.c.
 * Owns: the op table and the envelope. Must not: call
 * LMDB directly (store.c), parse policy (policy.c), or log request content (it
 * holds personal data).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/base64.h>

#include "audit.h"
#include "caserules.h"
#include "filing.h"
#include "log.h"
#include "ops_int.h"
#include "validate.h"
#include "workflow.h"

static const struct op_def op_table[] = {
	{ WAGE_OP_AUTH_CHALLENGE, op_auth_challenge, NULL, OP_NOAUTH },
	{ WAGE_OP_AUTH_LOGIN, op_auth_login, NULL, OP_NOAUTH },
	{ WAGE_OP_WHOAMI, op_whoami, NULL, 0 },
	{ WAGE_OP_CASE_FILE, op_case_file, apply_case_file, OP_WRITE },
	{ WAGE_OP_CASE_GET, op_case_get, NULL, 0 },
	{ WAGE_OP_CASE_LIST, op_case_list, NULL, 0 },
	{ WAGE_OP_CASE_ACT, op_case_act, apply_case_act, OP_WRITE },
	{ WAGE_OP_CASE_HISTORY, op_case_history, NULL, 0 },
	{ WAGE_OP_CASE_DUE, op_case_due, NULL, 0 },
	{ WAGE_OP_CASE_RELATED, op_case_related, NULL, 0 },
	{ WAGE_OP_AUDIT_VERIFY, op_audit_verify, NULL, 0 },
	{ WAGE_OP_AUDIT_EXPORT, op_audit_export, NULL, 0 },
	{ WAGE_OP_REPORT_CAMPAIGN, op_report_campaign, NULL, 0 },
	{ WAGE_OP_REPORT_EMPLOYERS, op_report_employers, NULL, 0 },
	{ WAGE_OP_POLICY_GET, op_policy_get, NULL, 0 },
};

#define NOPS (sizeof(op_table) / sizeof(op_table[0]))

struct ops_request *
ops_job_request(struct store_job *job)
{
	/* job is the first member of struct ops_request. */
	return ((struct ops_request *) (void *) job);
}

int
ops_json_depth_ok(const char *s, size_t len, int max)
{
	size_t i;
	int    depth = 0, in_str = 0, esc = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (in_str) {
			if (esc) {
				esc = 0;
			} else if (c == '\\') {
				esc = 1;
			} else if (c == '"') {
				in_str = 0;
			}
			continue;
		}
		if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max) {
				return (0);
			}
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return (1);
}

void
ops_request_reset(struct ops_request *r)
{
	ops_reply_fn reply = r->reply;
	void        *arg   = r->arg;

	json_decref(r->req);
	ops_write_free(r->write);
	free(r->result_text);
	json_decref(r->result);
	memset(r, 0, sizeof(*r));
	r->reply = reply;
	r->arg   = arg;
}

char *
ops_reply_text(const struct ops_request *r)
{
	json_t *o;
	char   *s;

	if (r->err.code == WAGE_OK && r->result_text != NULL) {
		static const char head[] = "{\"ok\":true,\"result\":";
		size_t            n      = strlen(r->result_text);

		if ((s = malloc(sizeof(head) + n + 1)) != NULL) {
			memcpy(s, head, sizeof(head) - 1);
			memcpy(s + sizeof(head) - 1, r->result_text, n);
			memcpy(s + sizeof(head) - 1 + n, "}", 2);
		}
		return (s);
	}
	if (r->err.code == WAGE_OK && r->result != NULL) {
		o = json_pack("{s:b, s:O}", "ok", 1, "result", r->result);
	} else {
		int code =
		    r->err.code != WAGE_OK ? r->err.code : WAGE_E_INTERNAL;
		const char *msg = r->err.message[0] != '\0'
		    ? r->err.message
		    : wage_err_message(code);

		o = json_pack("{s:b, s:{s:s, s:s}}", "ok", 0, "error", "code",
		    wage_err_name(code), "message", msg);
		if (o != NULL && r->err.field[0] != '\0') {
			json_object_set_new(json_object_get(o, "error"),
			    "field", json_string(r->err.field));
		}
	}
	if (o == NULL) {
		return (NULL);
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return (s);
}

static void
finish(struct ops_request *r, int rc)
{
	if (rc != WAGE_OK && r->err.code == WAGE_OK) {
		wage_err_set(&r->err, rc, NULL, NULL);
	}
	if (rc == WAGE_E_INTERNAL) {
		/* Details went to the log; the client gets no internals. */
		wage_err_set(&r->err, WAGE_E_INTERNAL, NULL,
		    "internal error: the operator can find it in the log");
	}
	if (rc != WAGE_OK) {
		json_decref(r->result);
		r->result = NULL;
		free(r->result_text);
		r->result_text = NULL;
	}
	r->reply(r);
}

static void
write_done(struct store_job *job, int rc)
{
	struct ops_request *r = ops_job_request(job);

	if (rc != WAGE_OK && job->err.code != WAGE_OK) {
		r->err = job->err;
	}
	if (rc == WAGE_OK) {
		ops_write_committed(r);
	}
	finish(r, rc);
}

void
ops_handle(
    struct server *srv, const char *body, size_t len, struct ops_request *r)
{
	json_error_t jerr;
	const char  *opname, *token = NULL, *key;
	json_t      *v;
	size_t       i;
	int          rc;

	r->srv = srv;
	wage_err_clear(&r->err);
	if (len > WAGE_MAX_MSG) {
		finish(r,
		    wage_err_set(&r->err, WAGE_E_TOO_LARGE, NULL,
		        "the request is over %d bytes", WAGE_MAX_MSG));
		return;
	}
	if (!ops_json_depth_ok(body, len, WAGE_MAX_DEPTH)) {
		finish(r,
		    wage_err_set(&r->err, WAGE_E_TOO_LARGE, NULL,
		        "the request nests deeper than %d levels",
		        WAGE_MAX_DEPTH));
		return;
	}
	r->req = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (r->req == NULL) {
		/* jansson's text may quote the input: give the place only. */
		finish(r,
		    wage_err_set(&r->err, WAGE_E_BAD_REQUEST, NULL,
		        "not valid JSON (or a duplicate key, or a NUL "
		        "byte) at line %d, column %d",
		        jerr.line, jerr.column));
		return;
	}
	if (!json_is_object(r->req)) {
		finish(r,
		    wage_err_set(&r->err, WAGE_E_BAD_REQUEST, NULL,
		        "the request must be a JSON object {\"op\", "
		        "\"token\", \"args\"}"));
		return;
	}
	json_object_foreach (r->req, key, v) {
		if (strcmp(key, "op") != 0 && strcmp(key, "token") != 0 &&
		    strcmp(key, "args") != 0) {
			finish(r,
			    wage_err_set(&r->err, WAGE_E_BAD_REQUEST, key,
			        "unknown member in the request; allowed: "
			        "op, token, args"));
			return;
		}
	}
	opname = json_string_value(json_object_get(r->req, "op"));
	if (opname == NULL) {
		finish(r,
		    wage_err_set(&r->err, WAGE_E_BAD_REQUEST, "op",
		        "'op' must be a string naming the operation"));
		return;
	}
	for (i = 0; i < NOPS; i++) {
		if (strcmp(op_table[i].name, opname) == 0) {
			r->op = &op_table[i];
			break;
		}
	}
	if (r->op == NULL) {
		finish(r,
		    wage_err_set(&r->err, WAGE_E_UNKNOWN_OP, "op",
		        "no such operation; known: auth.challenge, "
		        "auth.login, whoami, case.file, case.get, "
		        "case.list, case.act, case.history, case.due, "
		        "audit.verify, "
		        "audit.export, policy.get, report.campaign, "
		        "report.employers"));
		return;
	}
	v = json_object_get(r->req, "args");
	if (v == NULL) {
		json_object_set_new(r->req, "args", json_object());
		v = json_object_get(r->req, "args");
	}
	if (!json_is_object(v)) {
		finish(r,
		    wage_err_set(&r->err, WAGE_E_BAD_REQUEST, "args",
		        "'args' must be a JSON object"));
		return;
	}
	r->args = v; /* borrowed from r->req */
	v       = json_object_get(r->req, "token");
	if (v != NULL && !json_is_string(v)) {
		finish(r,
		    wage_err_set(&r->err, WAGE_E_BAD_REQUEST, "token",
		        "'token' must be a string"));
		return;
	}
	token = json_string_value(v);
	if (!(r->op->flags & OP_NOAUTH)) {
		rc = auth_check(srv->auth, r->conn, token, &r->actor, &r->err);
		if (rc != WAGE_OK) {
			finish(r, rc);
			return;
		}
		if (!policy_op_allowed(
		        srv->policy, r->op->name, r->actor.role)) {
			finish(r,
			    wage_err_set(&r->err, WAGE_E_FORBIDDEN, "op",
			        "role '%s' may not call %s",
			        policy_role_name(r->actor.role), r->op->name));
			return;
		}
	}
	/* A write's audit event names a keyed digest of its request. */
	if ((r->op->flags & OP_WRITE) &&
	    audit_request_digest(srv->digest_key, body, len, r->digest) !=
	        WAGE_OK) {
		finish(r, WAGE_E_INTERNAL);
		return;
	}
	rc = r->op->run(r);
	if (rc != WAGE_OK) {
		finish(r, rc);
		return;
	}
	if (r->op->flags & OP_WRITE) {
		r->job.apply = r->op->apply;
		r->job.done  = write_done;
		store_submit(srv->store, &r->job);
		return;
	}
	finish(r, WAGE_OK);
}

/* ---- helpers ------------------------------------------------------- */

int
ops_no_args(struct ops_request *r)
{
	static const char *const none[] = { NULL };

	return (filing_check_object(r->args, none, "args", &r->err));
}

int
ops_arg_case_id(struct ops_request *r, const char **id)
{
	json_t     *v = json_object_get(r->args, "id");
	const char *s;
	size_t      i;

	*id = NULL;
	if (!json_is_string(v)) {
		return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT, "id",
		    "'id' is required: a case id such as WA2026-000001"));
	}
	s = json_string_value(v);
	/* WA + 4 digits + '-' + 6 or more digits */
	if (strlen(s) < 13 || strlen(s) > WAGE_CASE_ID_MAX ||
	    strncmp(s, "WA", 2) != 0 || s[6] != '-') {
		goto bad;
	}
	for (i = 2; s[i] != '\0'; i++) {
		if (i != 6 && (s[i] < '0' || s[i] > '9')) {
			goto bad;
		}
	}
	*id = s;
	return (WAGE_OK);
bad:
	return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT, "id",
	    "'id' must be a case id such as WA2026-000001"));
}

json_t *
ops_actor_json(const struct actor *a)
{
	return (json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", a->name, "org",
	    a->org, "role", policy_role_name(a->role), "region", a->region,
	    "cert_serial", a->serial));
}

void
ops_today_year(int *year)
{
	struct civil_date d;

	civil_date_today(&d);
	*year = d.y;
}

json_t *
ops_on_behalf_of(const struct actor *a, const json_t *doc)
{
	json_t *names, *c;
	size_t  i;

	if (a->role != ROLE_UNION && a->role != ROLE_LEGAL_AID) {
		return (json_pack("{s:s}", "office", a->org));
	}
	/* A representative acts for the workers of the case (Art 24). */
	names = json_array();
	json_array_foreach (json_object_get(doc, "claimants"), i, c) {
		if (i >= 20) {
			break;
		}
		/* The audit log is read by auditors: a confidential
		 * complainant is there by position only (监察条例 第9条). */
		json_array_append_new(names,
		    filing_is_confidential(c)
		        ? json_string(FILING_CONFIDENTIAL_NAME)
		        : json_incref(json_object_get(c, "name")));
	}
	return (json_pack("{s:s, s:o, s:I}", "representative", a->org,
	    "workers", names, "count",
	    (json_int_t) json_array_size(json_object_get(doc, "claimants"))));
}
