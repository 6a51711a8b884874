/* SPDX-License-Identifier: MIT */
/*
 * ops_write.c - the case writes, case.file and case.act. Each is prepared
 * on the thread that received it: read (a read txn), checked, applied to a
 * copy, encoded (splice.h), so that the writer thread only confirms the
 * case's stored bytes are still the ones read, chains the audit event,
 * puts in the case number or the audit seq and stores.
 * Owns: the shape of a written case and of its audit event. Must not: call
 * LMDB directly (store.c), or log case content.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casecache.h"
#include "caserules.h"
#include "filing.h"
#include "log.h"
#include "ops_int.h"
#include "splice.h"
#include "validate.h"
#include "workflow.h"

/* Encode r->prep and its summary ahead, marked where r->prep_mark is. */
static void
encode_ahead(struct ops_request *r, int mark_in_summary, const char *steps)
{
	r->prep_text    = splice_encode_member(r->prep, "steps", steps);
	r->prep_sum     = store_case_summary_text(r->prep);
	r->prep_text_at = splice_find(r->prep_text, r->prep_mark);
	r->prep_sum_at =
	    mark_in_summary ? splice_find(r->prep_sum, r->prep_mark) : -1;
	if (r->prep_text_at < 0 || r->prep_sum == NULL ||
	    (mark_in_summary && r->prep_sum_at < 0)) {
		free(r->prep_text);
		free(r->prep_sum);
		r->prep_text = r->prep_sum = NULL;
	}
}

/* The steps of r->prep_old encoded, with step (encoded now) added. */
static char *
append_step(struct ops_request *r, const char *id, const json_t *step)
{
	char  *old, *one, *out = NULL;
	size_t on, sn;

	if (json_is_array(json_object_get(r->prep_old, "steps"))) {
		old = casecache_steps(r->srv->cases, id, r->prep_raw,
		    r->prep_rawlen, r->prep_old, &on);
	} else {
		old = strdup("[]");
		on  = 2;
	}
	one = json_dumps(step, JSON_COMPACT);
	if (old != NULL && one != NULL && on >= 2 && old[on - 1] == ']' &&
	    (out = malloc(on + (sn = strlen(one)) + 2)) != NULL) {
		memcpy(out, old, on - 1);
		if (on > 2) {
			out[on - 1] = ',';
			on++;
		}
		memcpy(out + on - 1, one, sn);
		memcpy(out + on - 1 + sn, "]", 2);
	}
	free(old);
	free(one);
	return (out);
}

/*
 * Store the prepared case, from the text encoded ahead when there is one
 * (with value in place of the mark); its decoding is the document itself.
 * The cache entry is kept even if the batch then fails: it never matches.
 */
static int
put_and_cache(struct ops_request *r, MDB_txn *txn, const char *id,
    const json_t *old, const char *value)
{
	char  *text = NULL, *sum = NULL, *steps;
	size_t len = 0, sumlen = 0, slen;
	int    rc;

	if (r->prep_text != NULL) {
		text = splice_at(
		    r->prep_text, r->prep_text_at, r->prep_mark, value, &len);
		if (r->prep_sum_at >= 0) {
			sum = splice_at(r->prep_sum, r->prep_sum_at,
			    r->prep_mark, value, &sumlen);
		} else {
			sum    = strdup(r->prep_sum);
			sumlen = sum != NULL ? strlen(sum) : 0;
		}
		if (text == NULL || sum == NULL) {
			free(text);
			free(sum);
			return (WAGE_E_INTERNAL);
		}
		rc = store_case_put_texts(
		    txn, r->prep, old, text, len, sum, sumlen);
		free(sum);
	} else {
		rc  = store_case_put_text(txn, r->prep, old, &text);
		len = text != NULL ? strlen(text) : 0;
	}
	if (rc != WAGE_OK) {
		free(text);
		return (rc);
	}
	/* What the entry held is freed with the request, not here. */
	json_decref(r->prep_evicted);
	casecache_put(r->srv->cases, id, text, len, r->prep, &r->prep_evicted);
	if (r->prep_steps != NULL && r->prep_steps_at >= 0 &&
	    (steps = splice_at(r->prep_steps, r->prep_steps_at, r->prep_mark,
	         value, &slen)) != NULL) {
		casecache_keep_steps(
		    r->srv->cases, id, text, len, steps, slen);
		free(steps);
	}
	free(text);
	return (WAGE_OK);
}

int
op_case_file(struct ops_request *r)
{
	const struct policy *p = r->srv->policy;
	struct caserules_env env;
	json_t              *doc;
	char                 now[40];
	int                  rc;

	if ((rc = filing_check(r->args, &r->actor, &r->prep, &r->err)) !=
	        WAGE_OK ||
	    (rc = filing_seal(r->prep, r->srv->data_key)) != WAGE_OK) {
		return (rc);
	}
	/* Everything but the case number, which the writer assigns. */
	doc = r->prep;
	audit_now_string(now, sizeof(now));
	json_object_set_new(
	    doc, "state", json_string(p->states[p->initial].name));
	json_object_set_new(doc, "revision", json_integer(1));
	json_object_set_new(doc, "policy", json_string(p->hash_hex));
	json_object_set_new(doc, "filed_at", json_string(now));
	json_object_set_new(doc, "updated_at", json_string(now));
	json_object_set_new(doc, "filed_by", ops_actor_json(&r->actor));
	json_object_set_new(doc, "steps", json_array());
	env.policy   = p;
	env.calendar = r->srv->calendar;
	env.minwage  = r->srv->minwage;
	if ((rc = caserules_filed(&env, doc, &r->err)) != WAGE_OK) {
		return (rc);
	}
	/* The case number is the writer's: a placeholder until then. */
	snprintf(r->prep_mark, sizeof(r->prep_mark), "\"WA0000-%llu\"",
	    splice_placeholder());
	json_object_set_new(doc, "id",
	    json_stringn(r->prep_mark + 1, strlen(r->prep_mark) - 2));
	encode_ahead(r, 1, NULL);
	r->prep_audit = json_pack(
	    "{s:s, s:s, s:n, s:s, s:i, s:s, s:s, s:o, s:o}", "op",
	    WAGE_OP_CASE_FILE, "event", "file", "from", "to",
	    p->states[p->initial].name, "revision", 1, "policy", p->hash_hex,
	    "request", r->digest, "actor", ops_actor_json(&r->actor),
	    "on_behalf_of", ops_on_behalf_of(&r->actor, doc));
	return (r->prep_audit != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

int
apply_case_file(MDB_txn *txn, struct store_job *job)
{
	struct ops_request  *r = ops_job_request(job);
	const struct policy *p = r->srv->policy;
	char     id[WAGE_CASE_ID_MAX], quoted[WAGE_CASE_ID_MAX + 3];
	uint64_t seq;
	int      year, rc;

	ops_today_year(&year);
	if ((rc = store_case_new_id(txn, year, id, sizeof(id))) != WAGE_OK) {
		return (rc);
	}
	snprintf(quoted, sizeof(quoted), "\"%s\"", id);
	json_object_set_new(r->prep, "id", json_string(id));
	json_object_set_new(r->prep_audit, "case", json_string(id));
	if ((rc = audit_append(txn, r->prep_audit, &seq)) != WAGE_OK ||
	    (rc = put_and_cache(r, txn, id, NULL, quoted)) != WAGE_OK) {
		return (rc);
	}
	json_decref(r->result);
	r->result = json_pack("{s:s, s:s, s:i, s:I, s:s}", "id", id, "state",
	    p->states[p->initial].name, "revision", 1, "audit_seq",
	    (json_int_t) seq, "received",
	    json_string_value(json_object_get(r->prep, "received")));
	if (r->result != NULL &&
	    json_object_get(r->prep, "limitation") != NULL) {
		json_object_set(r->result, "warning",
		    json_object_get(
		        json_object_get(r->prep, "limitation"), "warning"));
	}
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

static int prepare_act(struct ops_request *r, const char *id);

int
op_case_act(struct ops_request *r)
{
	static const char *const keys[] = { "id", "event", "revision",
		"fields", "note", NULL };
	const char              *id;
	json_t                  *v;
	int                      rc;

	if ((rc = filing_check_object(r->args, keys, "args", &r->err)) !=
	        WAGE_OK ||
	    (rc = ops_arg_case_id(r, &id)) != WAGE_OK) {
		return (rc);
	}
	v = json_object_get(r->args, "event");
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > 64) {
		return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT, "event",
		    "'event' is required: the name of a policy event"));
	}
	v = json_object_get(r->args, "revision");
	if (!json_is_integer(v) || json_integer_value(v) < 1) {
		return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
		    "revision",
		    "'revision' is required: the case revision you last saw, "
		    "an integer from 1"));
	}
	v = json_object_get(r->args, "fields");
	if (v != NULL &&
	    (!json_is_object(v) || json_object_size(v) > WAGE_MAX_FIELDS)) {
		return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
		    "fields",
		    "'fields' must be an object of at most %d event fields",
		    WAGE_MAX_FIELDS));
	}
	v = json_object_get(r->args, "note");
	if (v != NULL &&
	    (!json_is_string(v) ||
	        validate_text(json_string_value(v), json_string_length(v),
	            WAGE_MAX_TEXT_CHARS, 1, 0, "note", &r->err) != WAGE_OK)) {
		if (!json_is_string(v)) {
			wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT, "note",
			    "'note' must be a string");
		}
		return (WAGE_E_INVALID_ARGUMENT);
	}
	return (prepare_act(r, id));
}

/*
 * A copy of a case to apply an event to. Recorded steps never change, and
 * they are most of a case: the copy shares them (reference counts are
 * atomic) and copies everything else deeply.
 */
static json_t *
copy_for_event(const json_t *old)
{
	const char *key;
	json_t     *doc, *v, *copy;
	size_t      i;

	if ((doc = json_object()) == NULL) {
		return (NULL);
	}
	json_object_foreach ((json_t *) old, key, v) {
		if (strcmp(key, "steps") == 0 && json_is_array(v)) {
			copy = json_array();
			for (i = 0; copy != NULL && i < json_array_size(v);
			     i++) {
				json_array_append(copy, json_array_get(v, i));
			}
		} else {
			copy = json_deep_copy(v);
		}
		if (copy == NULL || json_object_set_new(doc, key, copy) != 0) {
			json_decref(doc);
			return (NULL);
		}
	}
	return (doc);
}

/*
 * The event applied to the case as it is now, in a read txn on this
 * thread: every check and the new document. The writer then only needs
 * the stored bytes to be the ones read here.
 */
static int
prepare_act(struct ops_request *r, const char *id)
{
	const struct policy       *p;
	const struct policy_event *ev;
	struct caserules_env       env;
	MDB_txn                   *txn;
	MDB_val                    v;
	json_t                    *old = NULL, *doc = NULL, *step, *fields;
	const char                *event, *state, *note;
	json_int_t                 rev, want;
	char                       now[40];
	unsigned long long         ph;
	int                        rc;

	event  = json_string_value(json_object_get(r->args, "event"));
	want   = json_integer_value(json_object_get(r->args, "revision"));
	fields = json_object_get(r->args, "fields");
	note   = json_string_value(json_object_get(r->args, "note"));
	if ((rc = store_read_begin(r->srv->store, &txn)) != WAGE_OK) {
		return (rc);
	}
	rc = store_get(txn, DB_CASES, id, strlen(id), &v);
	if (rc == WAGE_E_NOT_FOUND) {
		rc = wage_err_set(
		    &r->err, WAGE_E_NOT_FOUND, "id", "no case with this id");
		goto out;
	}
	if (rc != WAGE_OK) {
		goto out;
	}
	if ((r->prep_raw = malloc(v.mv_size)) == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	memcpy(r->prep_raw, v.mv_data, v.mv_size);
	r->prep_rawlen = v.mv_size;
	/* Shared and read-only: the event is applied to a deep copy. */
	if ((old = casecache_get(
	         r->srv->cases, id, r->prep_raw, r->prep_rawlen)) == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	if ((rc = ops_case_visible(r->srv, &r->actor, old, &r->err)) !=
	    WAGE_OK) {
		goto out;
	}
	rev = json_integer_value(json_object_get(old, "revision"));
	if (want != rev) {
		rc = wage_err_set(&r->err, WAGE_E_STALE_REVISION, "revision",
		    "the case is at revision %" JSON_INTEGER_FORMAT
		    ", you sent %" JSON_INTEGER_FORMAT
		    ": show the case again and retry",
		    rev, want);
		goto out;
	}
	if (rev >= WAGE_MAX_CASE_EVENTS) {
		rc = wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT, "id",
		    "the case has reached %d events, the most one case may "
		    "hold",
		    WAGE_MAX_CASE_EVENTS);
		goto out;
	}
	p = ops_policy_for(
	    r->srv, txn, json_string_value(json_object_get(old, "policy")));
	if (p == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	state = json_string_value(json_object_get(old, "state"));
	rc    = workflow_check(
	       p, state, event, r->actor.role, fields, &ev, &r->err);
	if (rc != WAGE_OK) {
		goto out;
	}
	/* The effects beyond the state (clocks, award, assignment, ...)
	 * and their guards, on a copy: a refusal changes nothing. */
	if ((doc = copy_for_event(old)) == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	env.policy   = p;
	env.calendar = r->srv->calendar;
	env.minwage  = r->srv->minwage;
	rc = caserules_act(&env, doc, ev, fields, &r->actor, &r->err);
	if (rc != WAGE_OK) {
		goto out;
	}
	audit_now_string(now, sizeof(now));
	r->prep_audit = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o}", "op",
	    WAGE_OP_CASE_ACT, "case", id, "event", event, "from", state, "to",
	    p->states[ev->to].name, "revision", rev + 1, "policy", p->hash_hex,
	    "request", r->digest, "actor", ops_actor_json(&r->actor),
	    "on_behalf_of", ops_on_behalf_of(&r->actor, old));
	/* "seq" is the audit event's, set by the writer: a placeholder
	 * until then. */
	ph = splice_placeholder();
	snprintf(r->prep_mark, sizeof(r->prep_mark), "\"seq\":%llu", ph);
	step = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "seq",
	    (json_int_t) ph, "event", event, "from", state, "to",
	    p->states[ev->to].name, "at", now, "by", ops_actor_json(&r->actor),
	    "fields", fields != NULL ? json_incref(fields) : json_object());
	if (r->prep_audit == NULL || step == NULL) {
		json_decref(step);
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	if (note != NULL) {
		json_object_set_new(step, "note", json_string(note));
	}
	/* A case from elsewhere (an older version, a repair) may lack its
	 * steps: they begin here then. */
	if (!json_is_array(json_object_get(doc, "steps"))) {
		json_object_set_new(doc, "steps", json_array());
	}
	if (json_array_append_new(json_object_get(doc, "steps"), step) != 0) {
		rc = WAGE_E_INTERNAL; /* step is freed */
		goto out;
	}
	json_object_set_new(doc, "state", json_string(p->states[ev->to].name));
	json_object_set_new(doc, "revision", json_integer(rev + 1));
	json_object_set_new(doc, "updated_at", json_string(now));
	r->result = json_pack("{s:s, s:s, s:s, s:I}", "id", id, "from", state,
	    "state", p->states[ev->to].name, "revision", rev + 1);
	if (r->result == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	r->prep_step = step;
	r->prep      = doc;
	r->prep_old  = old;
	doc = old = NULL;
	/* The steps recorded so far are encoded once per case version (and
	 * kept with it): the new text adds only the new step to them. */
	r->prep_steps    = append_step(r, id, step);
	r->prep_steps_at = splice_find(r->prep_steps, r->prep_mark);
	encode_ahead(r, 0, r->prep_steps);
out:
	store_read_end(txn);
	json_decref(old);
	json_decref(doc);
	return (rc);
}

int
apply_case_act(MDB_txn *txn, struct store_job *job)
{
	struct ops_request *r = ops_job_request(job);
	const char *id = json_string_value(json_object_get(r->prep, "id"));
	MDB_val     v;
	uint64_t    seq;
	char        value[48];
	int         rc;

	/* Another event may have been written since this one was prepared:
	 * then the revision the client sent is no longer the case's. */
	rc = store_get(txn, DB_CASES, id, strlen(id), &v);
	if (rc == WAGE_OK &&
	    (v.mv_size != r->prep_rawlen ||
	        memcmp(v.mv_data, r->prep_raw, v.mv_size) != 0)) {
		return (wage_err_set(&job->err, WAGE_E_STALE_REVISION,
		    "revision",
		    "another event was recorded on the case while yours was "
		    "on its way: show the case again and retry"));
	}
	if (rc != WAGE_OK) {
		return (rc);
	}
	if ((rc = audit_append(txn, r->prep_audit, &seq)) != WAGE_OK) {
		return (rc);
	}
	json_object_set_new(
	    r->prep_step, "seq", json_integer((json_int_t) seq));
	snprintf(value, sizeof(value), "\"seq\":%" PRIu64, seq);
	if ((rc = put_and_cache(r, txn, id, r->prep_old, value)) != WAGE_OK) {
		return (rc);
	}
	json_object_set_new(
	    r->result, "audit_seq", json_integer((json_int_t) seq));
	return (WAGE_OK);
}
