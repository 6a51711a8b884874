/* SPDX-License-Identifier: MIT */
/*
 * ops.c - the guard chain in front of every operation, the op table, the
 * envelope, who may see which case, and the session and policy ops (the
 * case ops are in ops_case.c, the audit ops in ops_audit.c).
 * Owns: the op table, the envelope, who may see which case. Must not: call
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

static int op_auth_challenge(struct ops_request *);
static int op_auth_login(struct ops_request *);
static int op_whoami(struct ops_request *);
static int op_policy_get(struct ops_request *);

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
ops_init(struct server *srv, const char *text, size_t len)
{
	pthread_mutex_init(&srv->mtx, NULL);
	srv->old  = NULL;
	srv->nold = 0;
	(void) text;
	(void) len;
	return (WAGE_OK);
}

void
ops_fini(struct server *srv)
{
	size_t i;

	for (i = 0; i < srv->nold; i++) {
		policy_free(srv->old[i]);
	}
	free(srv->old);
	srv->old  = NULL;
	srv->nold = 0;
	pthread_mutex_destroy(&srv->mtx);
}

/*
 * policy_for returns the policy a case began under (hash), loading it from
 * the policies database when it is not the current one. Runs inside txn.
 */
const struct policy *
ops_policy_for(struct server *srv, MDB_txn *txn, const char *hash)
{
	struct policy       *p     = NULL, **np;
	const struct policy *found = NULL;
	MDB_val              v;
	size_t               i;
	char                *copy;

	if (hash == NULL || strcmp(hash, srv->policy->hash_hex) == 0) {
		return (srv->policy);
	}
	pthread_mutex_lock(&srv->mtx);
	for (i = 0; i < srv->nold; i++) {
		if (strcmp(srv->old[i]->hash_hex, hash) == 0) {
			found = srv->old[i];
			break;
		}
	}
	pthread_mutex_unlock(&srv->mtx);
	if (found != NULL) {
		return (found);
	}
	if (store_get(txn, DB_POLICIES, hash, strlen(hash), &v) != WAGE_OK) {
		log_warnx(
		    "policy_for: policy %s of a case is not stored", hash);
		return (NULL);
	}
	if ((copy = malloc(v.mv_size + 1)) == NULL) {
		return (NULL);
	}
	memcpy(copy, v.mv_data, v.mv_size);
	copy[v.mv_size] = '\0';
	if (policy_load_buffer(hash, copy, v.mv_size, &p, NULL, NULL) != 0) {
		free(copy);
		log_warnx("policy_for: stored policy %s does not load", hash);
		return (NULL);
	}
	free(copy);
	pthread_mutex_lock(&srv->mtx);
	np = realloc(srv->old, (srv->nold + 1) * sizeof(*np));
	if (np == NULL) {
		pthread_mutex_unlock(&srv->mtx);
		policy_free(p);
		return (NULL);
	}
	srv->old              = np;
	srv->old[srv->nold++] = p;
	pthread_mutex_unlock(&srv->mtx);
	return (p);
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
	json_decref(r->prep);
	json_decref(r->prep_old);
	json_decref(r->prep_audit);
	json_decref(r->prep_evicted);
	free(r->prep_text);
	free(r->result_text);
	free(r->prep_steps);
	free(r->prep_sum);
	free(r->prep_raw);
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
		rc = auth_check(srv->auth, token, &r->actor, &r->err);
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
	/* A write's audit event names the digest of its arguments. */
	if ((r->op->flags & OP_WRITE) &&
	    audit_digest(r->args, r->digest) != WAGE_OK) {
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

/* case_visible: may this actor see this case at all? */
int
ops_case_visible(const struct server *srv, const struct actor *a,
    const json_t *doc, struct wage_error *err)
{
	const struct policy *p = srv->policy;
	const char *region = json_string_value(json_object_get(doc, "region"));
	const char *filer  = json_string_value(
	     json_object_get(json_object_get(doc, "filed_by"), "org"));
	const char *rep = json_string_value(json_object_get(
	    json_object_get(doc, "representative"), "organisation"));

	if ((p->scope_region & ROLE_BIT(a->role)) && region != NULL &&
	    validate_region_within(region, a->region)) {
		return (WAGE_OK);
	}
	if ((p->scope_org & ROLE_BIT(a->role)) &&
	    ((filer != NULL && strcmp(filer, a->org) == 0) ||
	        (rep != NULL && strcmp(rep, a->org) == 0))) {
		return (WAGE_OK);
	}
	return (wage_err_set(err, WAGE_E_OUT_OF_SCOPE, "id",
	    (p->scope_org & ROLE_BIT(a->role))
	        ? "the case was not filed or represented by your organisation"
	        : "the case is outside your region %s",
	    a->region));
}

json_t *
ops_case_view(const struct server *srv, const struct policy *p,
    const struct actor *a, const json_t *doc)
{
	/* doc may be shared (casecache.h): the view is a shallow copy whose
	 * claimants, the only part changed below, are its own. */
	json_t *v = json_copy((json_t *) doc);

	if (v == NULL ||
	    (json_object_get(doc, "claimants") != NULL &&
	        json_object_set_new(v, "claimants",
	            json_deep_copy(json_object_get(doc, "claimants"))) != 0)) {
		json_decref(v);
		return (NULL);
	}
	/* ID numbers and phones are stored sealed; only the roles the
	 * policy names see them whole (DOMAIN.md: shown masked otherwise). */
	if (filing_unseal(v, srv->data_key,
	        (srv->policy->unmasked & ROLE_BIT(a->role)) != 0) != WAGE_OK) {
		log_warnx("case_view: a sealed field of case %s does not open "
		          "with this data key",
		    json_string_value(json_object_get(doc, "id")));
		json_decref(v);
		return (NULL);
	}
	if (p != NULL) {
		struct caserules_env env = { p, srv->calendar, srv->minwage };

		caserules_view(&env, v, doc);
		json_object_set_new(v, "next",
		    workflow_next(p,
		        json_string_value(json_object_get(doc, "state")),
		        a->role));
		long si = policy_state_find(
		    p, json_string_value(json_object_get(doc, "state")));
		if (si >= 0) {
			json_object_set_new(
			    v, "phase", json_string(p->states[si].phase));
			if (p->states[si].label != NULL) {
				json_object_set_new(v, "state_label",
				    json_string(p->states[si].label));
			}
		}
	}
	return (v);
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
		json_array_append(names, json_object_get(c, "name"));
	}
	return (json_pack("{s:s, s:o, s:I}", "representative", a->org,
	    "workers", names, "count",
	    (json_int_t) json_array_size(json_object_get(doc, "claimants"))));
}

/* ---- auth ---------------------------------------------------------- */

static int
op_auth_challenge(struct ops_request *r)
{
	char buf[96];
	int  rc;

	if ((rc = ops_no_args(r)) != WAGE_OK) {
		return (rc);
	}
	if (auth_challenge(r->srv->auth, buf, sizeof(buf)) != WAGE_OK) {
		return (WAGE_E_INTERNAL);
	}
	r->result = json_pack("{s:s, s:i, s:s}", "challenge", buf,
	    "expires_in", WAGE_CHALLENGE_TTL, "sign", WAGE_LOGIN_CONTEXT);
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

static int
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
	rc = auth_login(r->srv->auth, cert, ch, sig, token, sizeof(token),
	    &r->actor, &r->err);
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

static int
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

static int
op_policy_get(struct ops_request *r)
{
	const struct policy *p = r->srv->policy;
	json_t *states, *events, *e, *from, *roles, *req, *opt, *fields;
	size_t  i, j;
	int     rc, k;

	if ((rc = ops_no_args(r)) != WAGE_OK) {
		return (rc);
	}
	states = json_array();
	for (i = 0; i < p->nstates; i++) {
		json_array_append_new(states,
		    json_pack("{s:s, s:s?, s:s, s:b, s:b}", "name",
		        p->states[i].name, "label", p->states[i].label,
		        "phase", p->states[i].phase, "initial",
		        p->states[i].initial, "terminal",
		        p->states[i].terminal));
	}
	events = json_array();
	for (i = 0; i < p->nevents; i++) {
		const struct policy_event *ev = &p->events[i];

		from  = json_array();
		roles = json_array();
		req   = json_array();
		opt   = json_array();
		for (j = 0; j < ev->nfrom; j++) {
			json_array_append_new(
			    from, json_string(p->states[ev->from[j]].name));
		}
		for (k = 0; k < ROLE__COUNT; k++) {
			if (ev->roles & ROLE_BIT(k)) {
				json_array_append_new(
				    roles, json_string(policy_role_name(k)));
			}
		}
		for (j = 0; j < ev->nrequires; j++) {
			json_array_append_new(
			    req, json_string(p->fields[ev->requires[j]].name));
		}
		for (j = 0; j < ev->noptional; j++) {
			json_array_append_new(
			    opt, json_string(p->fields[ev->optional[j]].name));
		}
		e = json_pack("{s:s, s:s?, s:o, s:s, s:o, s:o, s:o, s:s}",
		    "name", ev->name, "label", ev->label, "from", from, "to",
		    p->states[ev->to].name, "roles", roles, "requires", req,
		    "optional", opt, "basis", ev->basis);
		json_array_append_new(events, e);
	}
	fields = json_object();
	for (i = 0; i < p->nfields; i++) {
		static const char *const   tn[] = { "text", "string", "date",
			  "fen", "int", "bool", "enum" };
		const struct policy_field *f    = &p->fields[i];
		json_t                    *fo   = json_pack(
		                         "{s:s, s:s?}", "type", tn[f->type], "label", f->label);

		if (f->type == PF_INT) {
			json_object_set_new(fo, "min", json_integer(f->min));
			json_object_set_new(fo, "max", json_integer(f->max));
		}
		if (f->type == PF_ENUM) {
			json_t *vals = json_array();

			for (j = 0; j < f->nvalues; j++) {
				json_array_append_new(
				    vals, json_string(f->values[j]));
			}
			json_object_set_new(fo, "values", vals);
		}
		json_object_set_new(fields, f->name, fo);
	}
	r->result = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "name",
	    p->name, "version", p->version, "hash", p->hash_hex, "states",
	    states, "fields", fields, "events", events);
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}
