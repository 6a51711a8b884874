/* SPDX-License-Identifier: MIT */
/*
 * ops_session.c - the session ops: auth.challenge and auth.login (login by
 * signing a challenge with the certificate's key, auth.c), and whoami.
 * Owns: the shape of their results. Must not: log a token or a key.
 */
#include <stdio.h>
#include <string.h>

#include "filing.h"
#include "log.h"
#include "ops_int.h"

int
op_auth_challenge(struct ops_request *r)
{
	char buf[96];
	int  rc;

	if ((rc = ops_no_args(r)) != WAGE_OK) {
		return (rc);
	}
	if ((rc = auth_challenge(r->srv->auth, r->conn, buf, sizeof(buf))) !=
	    WAGE_OK) {
		return (rc != WAGE_E_CONNECTION
		        ? WAGE_E_INTERNAL
		        : wage_err_set(&r->err, WAGE_E_UNAUTHENTICATED, NULL,
		              "this connection is closing: connect again"));
	}
	r->result = json_pack("{s:s, s:i, s:s}", "challenge", buf,
	    "expires_in", WAGE_CHALLENGE_TTL, "sign", WAGE_LOGIN_CONTEXT);
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

int
op_auth_login(struct ops_request *r)
{
	static const char *const keys[] = { "certificate", "challenge",
		"signature", NULL };
	char                     token[WAGE_TOKEN_MAX];
	const char              *cert, *ch, *sig;
	int                      rc;

	if ((rc = filing_check_object(r->args, keys, "args", &r->err)) !=
	    WAGE_OK) {
		return (rc);
	}
	cert = json_string_value(json_object_get(r->args, "certificate"));
	ch   = json_string_value(json_object_get(r->args, "challenge"));
	sig  = json_string_value(json_object_get(r->args, "signature"));
	if (cert == NULL || ch == NULL || sig == NULL) {
		return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
		    cert == NULL ? "certificate"
		                 : (ch == NULL ? "challenge" : "signature"),
		    "auth.login needs certificate (PEM), challenge (from "
		    "auth.challenge) and signature (base64)"));
	}
	rc = auth_login(r->srv->auth, r->conn, cert, ch, sig, token,
	    sizeof(token), &r->actor, &r->err);
	if (rc != WAGE_OK) {
		log_info("login refused: %s", wage_err_name(rc));
		return (rc);
	}
	log_info("login: %s (%s, %s, %s)", r->actor.name,
	    policy_role_name(r->actor.role), r->actor.org, r->actor.region);
	r->result = json_pack("{s:s, s:I, s:o}", "token", token, "expires",
	    (json_int_t) r->actor.expires, "actor", ops_actor_json(&r->actor));
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

int
op_whoami(struct ops_request *r)
{
	const struct policy *p = r->srv->policy;
	json_t              *ops, *a;
	size_t               i;
	int                  rc;

	if ((rc = ops_no_args(r)) != WAGE_OK) {
		return (rc);
	}
	ops = json_array();
	for (i = 0; i < p->nops; i++) {
		if (p->ops[i].roles & ROLE_BIT(r->actor.role)) {
			json_array_append_new(
			    ops, json_string(p->ops[i].name));
		}
	}
	a = ops_actor_json(&r->actor);
	json_object_set_new(
	    a, "session_expires", json_integer((json_int_t) r->actor.expires));
	json_object_set_new(a, "may_call", ops);
	json_object_set_new(a, "scope",
	    json_string((p->scope_org & ROLE_BIT(r->actor.role))
	            ? "organisation"
	            : ((p->scope_region & ROLE_BIT(r->actor.role)) ? "region"
	                                                           : "none")));
	json_object_set_new(a, "policy", json_string(p->hash_hex));
	r->result = a;
	return (WAGE_OK);
}
