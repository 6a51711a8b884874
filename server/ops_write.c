/* SPDX-License-Identifier: MIT */
/*
 * ops_write.c - the case writes, case.file and case.act, from the request
 * to the disk and back. One write goes:
 *
 *   1. op_case_file / op_case_act (the receiving nng thread): check the
 *      arguments; for an act, read the case head in a read txn (through
 *      the case cache), check the actor's scope, the revision, the policy
 *      transition and its rules (caserules) on a copy; encode the new head,
 *      its summary and the new step (caserec.h) and build the audit event.
 *      Everything is kept in a struct casewrite; nothing is stored yet.
 *   2. apply_case_file / apply_case_act (the writer thread, inside the
 *      batch txn, perhaps twice: store.h): for an act, compare the stored
 *      revision with the one read in 1 (another event in between makes it
 *      STALE_REVISION); take the case number (file) or the audit seq (act)
 *      from the chain; store the audit event, the head with its index
 *      entries and the step record. Ids and seqs live in keys, so nothing
 *      encoded in 1 has to change.
 *   3. ops_write_committed (the replier thread, after the commit): the new
 *      head goes into the case cache; then ops.c sends the reply.
 *
 * Owns: the shape of a written case, step and audit event. Must not: call
 * LMDB directly (caserec.c, audit.c), or log case content.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "casecache.h"
#include "caserec.h"
#include "caserules.h"
#include "filing.h"
#include "log.h"
#include "ops_int.h"
#include "represent.h"
#include "scope.h"
#include "validate.h"
#include "workflow.h"

/* A write prepared on the receiving thread for the writer. */
struct casewrite {
	char     id[WAGE_CASE_ID_MAX + 1]; /* file: set by the writer */
	uint64_t rev;   /* act: the revision read; the new one is rev + 1 */
	json_t  *old;   /* act: the head as read (shared, read-only) */
	json_t  *doc;   /* the new head; read-only once encoded */
	json_t  *audit; /* the audit event; the writer chains it */
	struct caserec_enc    enc;
	struct caserec_parts *was;   /* act: old's encoded members */
	struct caserec_parts *parts; /* doc's encoded members */
	char  *step; /* act: the new step, encoded without its seq */
	size_t steplen;
	json_t *normalised; /* file: the fields whose spelling was mended */
	int     already;    /* file: the idempotency key had filed a case */
};

void
ops_write_free(struct casewrite *w)
{
	if (w == NULL) {
		return;
	}
	json_decref(w->old);
	json_decref(w->doc);
	json_decref(w->audit);
	json_decref(w->normalised);
	caserec_enc_fini(&w->enc);
	caserec_parts_release(w->was);
	caserec_parts_release(w->parts);
	free(w->step);
	free(w);
}

void
ops_write_committed(struct ops_request *r)
{
	struct casewrite *w = r->write;

	if (w != NULL && w->doc != NULL && w->id[0] != '\0' && !w->already) {
		casecache_put(
		    r->srv->cases, w->id, w->rev + 1, w->doc, w->parts);
	}
}

/* ---- duplicates ---------------------------------------------------- */

struct dups {
	struct ops_request *r;
	struct store_txn   *txn;
	const json_t       *doc;   /* the filing, not yet sealed */
	size_t              seen;  /* cases looked at */
	json_t             *names; /* [{case, name}]: the code, other names */
	json_t             *found; /* [{case, state, claimants: [i]}] */
};

static int
dup_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct dups         *ds = arg;
	const struct policy *p;
	const json_t        *c, *nc;
	json_t              *other, *copy, *who;
	const char          *st, *oname, *name;
	char                 id[WAGE_CASE_ID_MAX + 1];
	size_t               i, j;
	long                 si;

	(void) v;
	if (++ds->seen > 1000 || json_array_size(ds->found) >= 20) {
		return (STORE_SCAN_STOP);
	}
	if (caserec_key_id(k, id, sizeof(id)) != WAGE_OK ||
	    caserec_get(ds->txn, id, 0, &other) != WAGE_OK) {
		return (WAGE_E_INTERNAL);
	}
	/* The same credit code under another name. */
	oname = json_string_value(json_object_get(
	    json_object_get(other, "respondent"), "name"));
	name = json_string_value(
	    json_object_get(json_object_get(ds->doc, "respondent"), "name"));
	if (oname != NULL && name != NULL && strcmp(oname, name) != 0 &&
	    json_array_size(ds->names) < 5) {
		json_array_append_new(ds->names,
		    json_pack("{s:s, s:s}", "case", id, "name", oname));
	}
	/* An open case of one of the filing's workers. */
	st = json_string_value(json_object_get(other, "state"));
	p  = ops_policy_for(ds->r->srv, ds->txn,
	     json_string_value(json_object_get(other, "policy")));
	si = p != NULL && st != NULL ? policy_state_find(p, st) : -1;
	if (si < 0 || p->states[si].terminal) {
		json_decref(other);
		return (0);
	}
	copy = json_pack("{s:o}", "claimants",
	    json_deep_copy(json_object_get(other, "claimants")));
	json_decref(other);
	if (copy == NULL ||
	    filing_unseal(copy, ds->r->srv->data_key, 1) != WAGE_OK ||
	    (who = json_array()) == NULL) {
		json_decref(copy);
		return (WAGE_E_INTERNAL);
	}
	json_array_foreach (json_object_get(ds->doc, "claimants"), i, nc) {
		const char *a = json_string_value(
		    json_object_get(nc, "id_number"));

		json_array_foreach (json_object_get(copy, "claimants"), j, c) {
			const char *b = json_string_value(
			    json_object_get(c, "id_number"));

			if (a != NULL && b != NULL && strcmp(a, b) == 0) {
				json_array_append_new(who, json_integer(i));
				break;
			}
		}
	}
	json_decref(copy);
	if (json_array_size(who) > 0) {
		json_array_append_new(ds->found,
		    json_pack("{s:s, s:s, s:o}", "case", id, "state",
		        p->states[si].label != NULL ? p->states[si].label
		                                    : p->states[si].name,
		        "claimants", who));
	} else {
		json_decref(who);
	}
	return (0);
}

/*
 * check_duplicates flags, on the filing doc (not yet sealed), the open
 * cases against the same employer (credit code) in which a worker of the
 * filing is a claimant: doc.duplicates = {cases: [{case, state,
 * claimants}], resolved}, resolved when the filing's "duplicate" names
 * them all (linked, or a separate claim with its reason), else open until
 * the event resolve_duplicate. Another case under the same credit code
 * with another name is flagged as respondent.other_names. The same
 * filing again (its idempotency key filed a case) is not looked at: the
 * writer answers with that case.
 */
static int
check_duplicates(struct ops_request *r, json_t *doc)
{
	const char *code = json_string_value(json_object_get(
	    json_object_get(doc, "respondent"), "credit_code"));
	const json_t *of = json_object_get(json_object_get(doc, "duplicate"),
	    "of");
	struct dups   ds;
	json_t       *mine, *f, *v;
	char          prefix[64], had[WAGE_CASE_ID_MAX + 1];
	size_t        i, j;
	int           n, rc, all = 1;

	memset(&ds, 0, sizeof(ds));
	ds.r   = r;
	ds.doc = doc;
	n = code != NULL ? snprintf(prefix, sizeof(prefix), "%s" CASEREC_SEP,
	                       code)
	                 : -1;
	if (n < 0 || (size_t) n >= sizeof(prefix)) {
		return (WAGE_OK);
	}
	if ((ds.found = json_array()) == NULL ||
	    (ds.names = json_array()) == NULL) {
		json_decref(ds.found);
		return (WAGE_E_INTERNAL);
	}
	if ((rc = store_read_begin(r->srv->store, &ds.txn)) == WAGE_OK) {
		mine = json_pack("{s:{s:s}, s:O?}", "filed_by", "org",
		    r->actor.org, "filing_key",
		    json_object_get(doc, "filing_key"));
		if (mine == NULL ||
		    caserec_find_key(ds.txn, mine, had, sizeof(had)) !=
		        WAGE_OK) {
			rc = store_scan(ds.txn, DB_BY_CREDIT, prefix,
			    (size_t) n, NULL, dup_one, &ds);
		}
		json_decref(mine);
		store_read_end(ds.txn);
	}
	if (rc == WAGE_OK && json_array_size(ds.found) > 0) {
		json_array_foreach (ds.found, i, f) {
			int named = 0;

			json_array_foreach (of, j, v) {
				named |= json_equal(v, json_object_get(f, "case"));
			}
			all &= named;
		}
		json_object_set_new(doc, "duplicates",
		    json_pack("{s:O, s:b}", "cases", ds.found, "resolved",
		        all && of != NULL));
	}
	if (rc == WAGE_OK && json_array_size(ds.names) > 0) {
		json_t *resp =
		    json_deep_copy(json_object_get(doc, "respondent"));

		json_object_set(resp, "other_names", ds.names);
		json_object_set_new(doc, "respondent", resp);
	}
	json_decref(ds.found);
	json_decref(ds.names);
	return (rc);
}

int
op_case_file(struct ops_request *r)
{
	const struct policy *p = r->srv->policy;
	struct caserules_env env;
	struct casewrite    *w;
	json_t              *doc;
	char                 now[40];
	int                  rc;

	if ((w = r->write = calloc(1, sizeof(*w))) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if ((rc = filing_check(r->args, &r->actor, &w->doc, &r->err)) !=
	        WAGE_OK ||
	    (rc = filing_check_received(w->doc, &r->actor, p, &r->err)) !=
	        WAGE_OK ||
	    (rc = check_duplicates(r, w->doc)) != WAGE_OK ||
	    (rc = filing_seal(w->doc, r->srv->data_key)) != WAGE_OK) {
		return (rc);
	}
	w->normalised = json_incref(json_object_get(w->doc, FILING_NORMALISED));
	json_object_del(w->doc, FILING_NORMALISED);
	/* Everything but the case number, which the writer assigns: it is
	 * the head's key, not part of what is encoded here. */
	doc = w->doc;
	audit_now_string(now, sizeof(now));
	json_object_set_new(
	    doc, "state", json_string(p->states[p->initial].name));
	json_object_set_new(doc, "revision", json_integer(1));
	json_object_set_new(doc, "policy", json_string(p->hash_hex));
	json_object_set_new(doc, "filed_at", json_string(now));
	json_object_set_new(doc, "updated_at", json_string(now));
	json_object_set_new(doc, "filed_by", ops_actor_json(&r->actor));
	env.policy   = p;
	env.calendar = r->srv->calendar;
	env.minwage  = r->srv->minwage;
	if ((rc = caserules_filed(&env, doc, &r->err)) != WAGE_OK ||
	    (rc = caserec_encode(doc, NULL, &w->enc, &w->parts)) != WAGE_OK) {
		return (rc);
	}
	w->audit = json_pack("{s:s, s:s, s:n, s:s, s:i, s:s, s:s, s:o, s:o}",
	    "op", WAGE_OP_CASE_FILE, "event", "file", "from", "to",
	    p->states[p->initial].name, "revision", 1, "policy", p->hash_hex,
	    "request", r->digest, "actor", ops_actor_json(&r->actor),
	    "on_behalf_of", ops_on_behalf_of(&r->actor, doc));
	return (w->audit != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

/* The reply to a filing whose key had filed case w->id already. */
static int
already_filed(struct store_txn *txn, struct ops_request *r, struct casewrite *w)
{
	json_t *doc;
	int     rc;

	w->already = 1;
	if ((rc = caserec_get(txn, w->id, 0, &doc)) != WAGE_OK) {
		return (rc);
	}
	json_decref(r->result);
	r->result = json_pack("{s:s, s:O, s:O, s:O, s:O, s:b}", "id", w->id,
	    "state", json_object_get(doc, "state"), "revision",
	    json_object_get(doc, "revision"), "received",
	    json_object_get(doc, "received"), "filed_at",
	    json_object_get(doc, "filed_at"), "already_filed", 1);
	json_decref(doc);
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

int
apply_case_file(struct store_txn *txn, struct store_job *job)
{
	struct ops_request  *r = ops_job_request(job);
	struct casewrite    *w = r->write;
	const struct policy *p = r->srv->policy;
	MDB_val              v;
	uint64_t             seq;
	int                  year, rc;

	/* The same filing again (the same key from the same organisation):
	 * say which case it filed, and file nothing. */
	w->already = 0;
	if ((rc = caserec_find_key(txn, w->doc, w->id, sizeof(w->id))) ==
	    WAGE_OK) {
		return (already_filed(txn, r, w));
	}
	if (rc != WAGE_E_NOT_FOUND) {
		return (rc);
	}
	ops_today_year(&year);
	if ((rc = caserec_new_id(txn, year, w->id, sizeof(w->id))) !=
	    WAGE_OK) {
		return (rc);
	}
	/* A case number is never given twice, whatever the counter says. */
	if ((rc = caserec_head(txn, w->id, &v)) != WAGE_E_NOT_FOUND) {
		log_warnx("%s: case number %s is taken: the counter is behind",
		    __func__, w->id);
		return (rc == WAGE_OK ? WAGE_E_INTERNAL : rc);
	}
	if (json_object_set_new(w->audit, "case", json_string(w->id)) != 0 ||
	    (rc = audit_append(txn, w->audit, &seq)) != WAGE_OK ||
	    (rc = caserec_put(txn, w->id, &w->enc, w->doc, NULL)) != WAGE_OK) {
		return (rc != WAGE_OK ? rc : WAGE_E_INTERNAL);
	}
	/* For the cache once committed; the stored head has it as its key. */
	json_object_set_new(w->doc, "id", json_string(w->id));
	json_decref(r->result);
	r->result = json_pack("{s:s, s:s, s:i, s:I, s:s}", "id", w->id,
	    "state", p->states[p->initial].name, "revision", 1, "audit_seq",
	    (json_int_t) seq, "received",
	    json_string_value(json_object_get(w->doc, "received")));
	if (r->result != NULL && w->normalised != NULL) {
		json_object_set(r->result, "normalised", w->normalised);
	}
	if (r->result != NULL &&
	    json_object_get(w->doc, "duplicates") != NULL) {
		json_object_set(r->result, "duplicates",
		    json_object_get(w->doc, "duplicates"));
	}
	if (r->result != NULL &&
	    json_object_get(json_object_get(w->doc, "respondent"),
	        "other_names") != NULL) {
		json_object_set_new(r->result, "respondent_other_names",
		    json_deep_copy(json_object_get(
		        json_object_get(w->doc, "respondent"), "other_names")));
	}
	if (r->result != NULL &&
	    json_object_get(w->doc, "limitation") != NULL) {
		json_object_set(r->result, "warning",
		    json_object_get(
		        json_object_get(w->doc, "limitation"), "warning"));
	}
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

static int prepare_act(struct ops_request *r, const char *id);

/*
 * case_size_ok: issue 13, part 8: a case is always read whole, so its
 * head and steps, with the event's, stay within WAGE_MAX_CASE_BYTES.
 */
static int
case_size_ok(struct ops_request *r, struct store_txn *txn, const char *id,
    const struct casewrite *w)
{
	size_t steps, total;
	int    rc;

	if ((rc = caserec_steps_bytes(txn, id, &steps)) != WAGE_OK) {
		return (rc);
	}
	total = steps + w->steplen + w->enc.headlen;
	if (total <= WAGE_MAX_CASE_BYTES) {
		return (WAGE_OK);
	}
	return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT, "fields",
	    "with this event the case would hold %zu KB, over the %d KB one "
	    "case may hold (it is always read whole): keep long documents "
	    "outside the case and give their reference; the event's fields "
	    "and note take %zu KB",
	    total / 1024, WAGE_MAX_CASE_BYTES / 1024, w->steplen / 1024));
}

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
 * A copy of a case head to apply an event to: its own top level, and its
 * own deep copy of each member the event rules change in place
 * (CASERULES_MUTABLE); every other member is shared with the cached head,
 * read-only, so that its encoding can be reused (caserec_encode).
 */
static json_t *
copy_for_event(const json_t *old)
{
	static const char *const mutable[] = CASERULES_MUTABLE;
	json_t *doc, *v;
	size_t  i;

	if ((doc = json_copy((json_t *) old)) == NULL) {
		return (NULL);
	}
	for (i = 0; mutable[i] != NULL; i++) {
		if ((v = json_object_get(old, mutable[i])) != NULL &&
		    json_object_set_new(doc, mutable[i], json_deep_copy(v)) !=
		        0) {
			json_decref(doc);
			return (NULL);
		}
	}
	return (doc);
}

/* Each member copied for the event that it left as it was goes back to
 * the cached head's own value, whose encoding is kept (caserec_encode). */
static void
share_unchanged(json_t *doc, const json_t *old)
{
	static const char *const mutable[] = CASERULES_MUTABLE;
	json_t *was;
	size_t  i;

	for (i = 0; mutable[i] != NULL; i++) {
		was = json_object_get(old, mutable[i]);
		if (was != NULL &&
		    json_equal(was, json_object_get(doc, mutable[i]))) {
			json_object_set(doc, mutable[i], was);
		}
	}
}

/*
 * The event applied to the case as it is now, in a read txn on this
 * thread: every check, the new head and the new step, encoded. The writer
 * then only needs the stored revision to be the one read here.
 */
static int
prepare_act(struct ops_request *r, const char *id)
{
	const struct policy       *p;
	const struct policy_event *ev;
	struct caserules_env       env;
	struct casewrite          *w;
	struct store_txn          *txn;
	MDB_val                    v;
	json_t                    *doc, *step, *fields;
	const char                *event, *state, *note;
	json_int_t                 want;
	struct civil_date          today;
	char                       now[40];
	int                        rc;

	event  = json_string_value(json_object_get(r->args, "event"));
	want   = json_integer_value(json_object_get(r->args, "revision"));
	fields = json_object_get(r->args, "fields");
	note   = json_string_value(json_object_get(r->args, "note"));
	if ((w = r->write = calloc(1, sizeof(*w))) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	snprintf(w->id, sizeof(w->id), "%s", id);
	if ((rc = store_read_begin(r->srv->store, &txn)) != WAGE_OK) {
		return (rc);
	}
	rc = caserec_head(txn, id, &v);
	if (rc == WAGE_E_NOT_FOUND) {
		rc = wage_err_set(
		    &r->err, WAGE_E_NOT_FOUND, "id", "no case with this id");
		goto out;
	}
	if (rc != WAGE_OK ||
	    (rc = caserec_head_revision(v.mv_data, v.mv_size, &w->rev)) !=
	        WAGE_OK) {
		goto out;
	}
	/* Shared and read-only: the event is applied to a copy. */
	if ((w->old = casecache_get_parts(r->srv->cases, id, w->rev, v.mv_data,
	         v.mv_size, &w->was)) == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	if ((rc = scope_case_visible(
	         r->srv->policy, &r->actor, w->old, &r->err)) != WAGE_OK) {
		goto out;
	}
	if ((uint64_t) want != w->rev) {
		rc = wage_err_set(&r->err, WAGE_E_STALE_REVISION, "revision",
		    "the case is at revision %" PRIu64
		    ", you sent %" JSON_INTEGER_FORMAT
		    ": show the case again and retry",
		    w->rev, want);
		goto out;
	}
	if (w->rev >= WAGE_MAX_CASE_EVENTS) {
		rc = wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT, "id",
		    "the case has reached %d events, the most one case may "
		    "hold",
		    WAGE_MAX_CASE_EVENTS);
		goto out;
	}
	p = ops_policy_for(
	    r->srv, txn, json_string_value(json_object_get(w->old, "policy")));
	if (p == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	state = json_string_value(json_object_get(w->old, "state"));
	rc    = workflow_check(
	       p, state, event, r->actor.role, fields, &ev, &r->err);
	if (rc != WAGE_OK) {
		goto out;
	}

	/* The effects beyond the state (clocks, award, assignment, ...)
	 * and their guards, on a copy: a refusal changes nothing. */
	if ((doc = w->doc = copy_for_event(w->old)) == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	env.policy   = p;
	env.calendar = r->srv->calendar;
	env.minwage  = r->srv->minwage;
	rc = caserules_act(&env, doc, ev, fields, &r->actor, &r->err);
	/* Art 24: a representative within its power of attorney; staff
	 * only recording a party's own signed act (represent.c). After
	 * the event's own rules, so that a wrong amount or a missing
	 * consent is named first. */
	civil_date_today(&today);
	if (rc == WAGE_OK) {
		rc = represent_guard(
		    p, w->old, ev, fields, &r->actor, &today, &r->err);
	}
	if (rc == WAGE_OK) {
		rc = represent_apply(
		    p, doc, ev, fields, &r->actor, &today, &r->err);
	}
	if (rc != WAGE_OK) {
		goto out;
	}
	share_unchanged(doc, w->old);
	audit_now_string(now, sizeof(now));
	json_object_set_new(doc, "state", json_string(p->states[ev->to].name));
	json_object_set_new(
	    doc, "revision", json_integer((json_int_t) w->rev + 1));
	json_object_set_new(doc, "updated_at", json_string(now));
	/* The step's seq is the audit event's: the writer knows it, and it
	 * goes in the step's key. */
	step = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "event", event,
	    "from", state, "to", p->states[ev->to].name, "at", now, "by",
	    ops_actor_json(&r->actor), "fields",
	    fields != NULL ? json_incref(fields) : json_object());
	if (step != NULL && note != NULL) {
		json_object_set_new(step, "note", json_string(note));
	}
	w->step = step != NULL ? caserec_step_encode(step, &w->steplen) : NULL;
	json_decref(step);
	w->audit =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:o, s:o}",
	        "op", WAGE_OP_CASE_ACT, "case", id, "event", event, "from",
	        state, "to", p->states[ev->to].name, "revision",
	        (json_int_t) w->rev + 1, "policy", p->hash_hex, "request",
	        r->digest, "actor", ops_actor_json(&r->actor), "on_behalf_of",
	        represent_on_behalf_of(p, &r->actor, w->old, ev, fields));
	r->result =
	    json_pack("{s:s, s:s, s:s, s:I}", "id", id, "from", state, "state",
	        p->states[ev->to].name, "revision", (json_int_t) w->rev + 1);
	if (w->step == NULL || w->audit == NULL || r->result == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	/* Only the members the event changed are encoded again. */
	rc = caserec_encode(doc, w->was, &w->enc, &w->parts);
	if (rc == WAGE_OK) {
		rc = case_size_ok(r, txn, id, w);
	}
out:
	store_read_end(txn);
	return (rc);
}

int
apply_case_act(struct store_txn *txn, struct store_job *job)
{
	struct ops_request *r = ops_job_request(job);
	struct casewrite   *w = r->write;
	MDB_val             v;
	uint64_t            rev, seq;
	int                 rc;

	/* Another event may have been written since this one was prepared:
	 * then the revision the client sent is no longer the case's. */
	if ((rc = caserec_head(txn, w->id, &v)) != WAGE_OK ||
	    (rc = caserec_head_revision(v.mv_data, v.mv_size, &rev)) !=
	        WAGE_OK) {
		return (rc);
	}
	if (rev != w->rev) {
		return (wage_err_set(&job->err, WAGE_E_STALE_REVISION,
		    "revision",
		    "another event was recorded on the case while yours was "
		    "on its way: show the case again and retry"));
	}
	if ((rc = audit_append(txn, w->audit, &seq)) != WAGE_OK ||
	    (rc = caserec_put(txn, w->id, &w->enc, w->doc, w->old)) !=
	        WAGE_OK ||
	    (rc = caserec_step_put(txn, w->id, seq, w->step, w->steplen)) !=
	        WAGE_OK) {
		return (rc);
	}
	json_object_set_new(
	    r->result, "audit_seq", json_integer((json_int_t) seq));
	return (WAGE_OK);
}
