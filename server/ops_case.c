/* SPDX-License-Identifier: MIT */
/*
 * ops_case.c - the case operations: file, get, list, act, history.
 * Owns: the shape of case documents and results. Must not: call LMDB
 * directly (store.c), parse policy (policy.c), or log case content.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>

#include "audit.h"
#include "casecache.h"
#include "caserules.h"
#include "clock.h"
#include "contracting.h"
#include "filing.h"
#include "log.h"
#include "ops_int.h"
#include "caseview.h"
#include "sweep.h"
#include "validate.h"
#include "workflow.h"

/* ---- cases: reads -------------------------------------------------- */

/* The case named by args.id, if the actor may see it: *doc is the decoded
 * head, shared (casecache.h): read it only; *rev its revision. On success
 * the read txn *txn is left open for the caller to end. */
static int
read_case(struct ops_request *r, struct store_txn **txn, json_t **doc,
    const char **id, uint64_t *rev)
{
	MDB_val v;
	int     rc;

	*doc = NULL;
	*txn = NULL;
	if ((rc = ops_arg_case_id(r, id)) != WAGE_OK) {
		return (rc);
	}
	if ((rc = store_read_begin(r->srv->store, txn)) != WAGE_OK) {
		return (rc);
	}
	rc = caserec_head(*txn, *id, &v);
	if (rc == WAGE_OK &&
	    (rc = caserec_head_revision(v.mv_data, v.mv_size, rev)) ==
	        WAGE_OK &&
	    (*doc = casecache_get(
	         r->srv->cases, *id, *rev, v.mv_data, v.mv_size)) == NULL) {
		rc = WAGE_E_INTERNAL;
	}
	if (rc == WAGE_E_NOT_FOUND) {
		rc = wage_err_set(
		    &r->err, WAGE_E_NOT_FOUND, "id", "no case with this id");
	} else if (rc == WAGE_OK) {
		rc = scope_case_visible(
		    r->srv->policy, &r->actor, *doc, &r->err);
	}
	if (rc != WAGE_OK) {
		json_decref(*doc);
		*doc = NULL;
		store_read_end(*txn);
		*txn = NULL;
	}
	return (rc);
}

int
op_case_get(struct ops_request *r)
{
	static const char *const keys[] = { "id", "for", NULL };
	struct store_txn        *txn;
	json_t                  *doc;
	const json_t            *f;
	const char              *id;
	uint64_t                 rev;
	size_t                   n;
	int                      rc, resp = 0;

	if ((rc = filing_check_object(r->args, keys, "args", &r->err)) !=
	    WAGE_OK) {
		return (rc);
	}
	if ((f = json_object_get(r->args, "for")) != NULL) {
		if (!json_is_string(f) ||
		    strcmp(json_string_value(f), "respondent") != 0) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "for",
			    "'for' may only be \"respondent\": the case as the "
			    "employer's side may be shown it"));
		}
		resp = 1;
	}
	if ((rc = read_case(r, &txn, &doc, &id, &rev)) != WAGE_OK) {
		return (rc);
	}
	if (resp) {
		r->result = caseview_respondent(r->srv, doc);
		rc        = r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL;
	} else {
		rc = caseview_render(
		    r->srv, txn, &r->actor, doc, rev, &r->result_text, &n);
	}
	store_read_end(txn);
	json_decref(doc);
	return (rc);
}

int
op_case_history(struct ops_request *r)
{
	static const char *const keys[] = { "id", "after", "limit", NULL };
	struct store_txn        *txn;
	json_t                  *doc, *events, *page, *e;
	const json_t            *v;
	const char              *id;
	uint64_t                 rev;
	json_int_t               after = 0, limit = 200, last = 0;
	size_t                   i;
	int                      rc, more = 0;

	if ((rc = filing_check_object(r->args, keys, "args", &r->err)) !=
	    WAGE_OK) {
		return (rc);
	}
	/* Issue 13, part 8: a page of at most limit events after seq
	 * after, so that no history outgrows a reply. */
	if ((v = json_object_get(r->args, "after")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "after",
			    "'after' must be the seq of the last event you "
			    "have (the previous page's 'next'), 0 or more"));
		}
		after = json_integer_value(v);
	}
	if ((v = json_object_get(r->args, "limit")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 500) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "limit", "'limit' must be an integer from 1 to 500"));
		}
		limit = json_integer_value(v);
	}
	if ((rc = read_case(r, &txn, &doc, &id, &rev)) != WAGE_OK) {
		return (rc);
	}
	rc = audit_case_events(txn, id, &events);
	store_read_end(txn);
	json_decref(doc);
	if (rc != WAGE_OK) {
		return (rc);
	}
	if ((page = json_array()) == NULL) {
		json_decref(events);
		return (WAGE_E_INTERNAL);
	}
	json_array_foreach (events, i, e) {
		json_int_t seq = json_integer_value(json_object_get(e, "seq"));

		if (seq <= after) {
			continue;
		}
		if ((json_int_t) json_array_size(page) >= limit) {
			more = 1;
			break;
		}
		json_array_append(page, e);
		last = seq;
	}
	json_decref(events);
	r->result = json_pack("{s:s, s:o, s:o}", "id", id, "events", page,
	    "next", more ? json_integer(last) : json_null());
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

struct list_state {
	struct ops_request *r;
	struct store_txn   *txn;
	json_t             *out;
	const char         *state;  /* filter, or NULL */
	const char         *region; /* filter prefix, or NULL */
	size_t              limit;
	char                last[768]; /* last key taken */
	int                 more;
	enum store_db       db;
};

static int
list_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct list_state *ls = arg;
	json_t            *sum;
	const char        *st, *rg;
	char               id[WAGE_CASE_ID_MAX + 1];

	if (json_array_size(ls->out) >= ls->limit) {
		ls->more = 1;
		return (STORE_SCAN_STOP);
	}
	if (caserec_key_id(k, id, sizeof(id)) != WAGE_OK) {
		return (WAGE_E_INTERNAL);
	}
	if (k->mv_size < sizeof(ls->last)) {
		memcpy(ls->last, k->mv_data, k->mv_size);
		ls->last[k->mv_size] = '\0';
	}
	/* The index entry holds the summary: no need to decode the case.
	 * The index chosen (scope_listing) limits the walk to the actor's
	 * region or organisation; scope_listed_visible adds the region
	 * bound on an organisation's entries. */
	sum = json_loadb(v->mv_data, v->mv_size, 0, NULL);
	st  = json_string_value(json_object_get(sum, "state"));
	rg  = json_string_value(json_object_get(sum, "region"));
	if (sum == NULL || st == NULL || rg == NULL) {
		json_decref(sum);
		return (WAGE_E_INTERNAL);
	}
	if (scope_listed_visible(ls->r->srv->policy, &ls->r->actor, rg) &&
	    scope_listed_once(&ls->r->actor, ls->db, k, rg) &&
	    (ls->state == NULL || strcmp(ls->state, st) == 0) &&
	    (ls->region == NULL || validate_region_within(rg, ls->region))) {
		json_object_set_new(sum, "id", json_string(id));
		json_array_append_new(ls->out, sum);
	} else {
		json_decref(sum);
	}
	return (0);
}

int
op_case_list(struct ops_request *r)
{
	static const char *const keys[] = { "state", "region", "limit",
		"after", NULL };
	struct list_state        ls;
	const struct policy     *p = r->srv->policy;
	json_t                  *v;
	const char              *after = NULL;
	char                     prefix[800], cursor[1100];
	unsigned char            afterbuf[800];
	size_t                   plen = 0, alen, olen;
	int                      rc;

	memset(&ls, 0, sizeof(ls));
	ls.r     = r;
	ls.limit = WAGE_DEFAULT_PAGE;
	if ((rc = filing_check_object(r->args, keys, "args", &r->err)) !=
	    WAGE_OK) {
		return (rc);
	}
	if ((v = json_object_get(r->args, "state")) != NULL) {
		if (!json_is_string(v) ||
		    policy_state_find(p, json_string_value(v)) < 0) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "state",
			    "'state' must name a state of the policy (see "
			    "policy.get)"));
		}
		ls.state = json_string_value(v);
	}
	if ((v = json_object_get(r->args, "region")) != NULL) {
		if (!json_is_string(v) ||
		    validate_region(json_string_value(v), "region", &r->err) !=
		        WAGE_OK) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "region",
			    "'region' must be a 6-digit region code"));
		}
		ls.region = json_string_value(v);
		if ((p->scope_region & ROLE_BIT(r->actor.role)) &&
		    !validate_region_within(ls.region, r->actor.region) &&
		    !validate_region_within(r->actor.region, ls.region)) {
			return (wage_err_set(&r->err, WAGE_E_OUT_OF_SCOPE,
			    "region", "'region' is outside your region %s",
			    r->actor.region));
		}
	}
	if ((v = json_object_get(r->args, "limit")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > WAGE_MAX_PAGE) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "limit", "'limit' must be an integer from 1 to %d",
			    WAGE_MAX_PAGE));
		}
		ls.limit = (size_t) json_integer_value(v);
	}
	rc = scope_listing(p, &r->actor, ls.state, ls.region, &ls.db, prefix,
	    sizeof(prefix), &plen, &r->err);
	if (rc != WAGE_OK) {
		return (rc);
	}
	if ((v = json_object_get(r->args, "after")) != NULL) {
		if (!json_is_string(v) ||
		    mbedtls_base64_decode(afterbuf, sizeof(afterbuf) - 1,
		        &alen, (const unsigned char *) json_string_value(v),
		        json_string_length(v)) != 0 ||
		    alen < plen || memcmp(afterbuf, prefix, plen) != 0) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "after",
			    "'after' must be the 'next' cursor of the "
			    "previous "
			    "page of this same listing"));
		}
		afterbuf[alen] = '\0';
		after          = (const char *) afterbuf;
	}
	if ((ls.out = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if ((rc = store_read_begin(r->srv->store, &ls.txn)) != WAGE_OK) {
		json_decref(ls.out);
		return (rc);
	}
	rc = store_scan(ls.txn, ls.db, prefix, plen, after, list_one, &ls);
	store_read_end(ls.txn);
	if (rc != WAGE_OK) {
		json_decref(ls.out);
		return (rc);
	}
	r->result = json_pack("{s:o}", "cases", ls.out);
	if (ls.more &&
	    mbedtls_base64_encode((unsigned char *) cursor, sizeof(cursor),
	        &olen, (const unsigned char *) ls.last,
	        strlen(ls.last)) == 0) {
		json_object_set_new(r->result, "next", json_string(cursor));
	} else {
		json_object_set_new(r->result, "next", json_null());
	}
	return (WAGE_OK);
}

/* ---- work lists ---------------------------------------------------- */

struct due_state {
	struct ops_request *r;
	struct store_txn   *txn;
	json_t             *out;
	int                 within, only_overdue, mine;
	size_t              scanned;
	int                 truncated;
	enum store_db       db; /* the index walked */
};

/* priority_rank: the position of the case's first priority flag in the
 * policy's list (most urgent first); cases with none come last. */
static int
priority_rank(const struct policy *p, const json_t *doc)
{
	const json_t *pr = json_object_get(doc, "priority");
	size_t        i;

	for (i = 0; i < p->npriority; i++) {
		if (json_is_true(json_object_get(pr, p->priority[i]))) {
			return ((int) i);
		}
	}
	return ((int) p->npriority);
}

static int
due_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct due_state          *ds  = arg;
	struct server             *srv = ds->r->srv;
	const struct policy       *p;
	const struct policy_event *pend;
	struct caserules_env       env;
	struct civil_date          today;
	json_t                    *doc, *cv, *c, *as;
	char                       id[WAGE_CASE_ID_MAX + 1];
	long                       si;
	size_t                     i;
	json_int_t                 left;
	int                        rc;

	(void) v;
	if (++ds->scanned > 200000) {
		ds->truncated = 1;
		return (STORE_SCAN_STOP);
	}
	if (caserec_key_id(k, id, sizeof(id)) != WAGE_OK) {
		return (WAGE_E_INTERNAL);
	}
	if ((rc = caserec_get(ds->txn, id, 0, &doc)) != WAGE_OK) {
		return (rc == WAGE_E_NOT_FOUND ? WAGE_E_INTERNAL : rc);
	}
	if (!scope_listed_once(&ds->r->actor, ds->db, k,
	        json_string_value(json_object_get(doc, "region")))) {
		json_decref(doc);
		return (0);
	}
	p = ops_policy_for(
	    srv, ds->txn, json_string_value(json_object_get(doc, "policy")));
	si = p != NULL ? policy_state_find(p,
	                     json_string_value(json_object_get(doc, "state")))
	               : -1;
	as = json_object_get(doc, "assigned");
	/* A closed case is listed only for a party's window still running
	 * (a suit, a set-aside application: Arts 48-50). */
	if (p == NULL || si < 0 ||
	    scope_case_visible(srv->policy, &ds->r->actor, doc, NULL) !=
	        WAGE_OK ||
	    (ds->mine &&
	        (json_string_value(json_object_get(as, "name")) == NULL ||
	            strcmp(json_string_value(json_object_get(as, "name")),
	                ds->r->actor.name) != 0 ||
	            json_string_value(json_object_get(as, "org")) == NULL ||
	            strcmp(json_string_value(json_object_get(as, "org")),
	                ds->r->actor.org) != 0))) {
		json_decref(doc);
		return (0);
	}
	civil_date_today(&today);
	cv = clock_view(
	    json_object_get(doc, "clocks"), p, srv->calendar, today);
	/* An automatic event whose guards pass now (e.g. the award takes
	 * effect: its window ran out): the server fires it at its next
	 * sweep, nobody need act; its entries say so until then. */
	env.policy   = p;
	env.calendar = srv->calendar;
	env.minwage  = srv->minwage;
	pend         = sweep_pending(&env, doc);
	json_array_foreach (cv, i, c) {
		if (!json_is_integer(json_object_get(c, "days_left"))) {
			continue; /* stopped, or a window that has ended */
		}
		if (p->states[si].terminal &&
		    !json_is_true(json_object_get(c, "window"))) {
			continue;
		}
		left = json_integer_value(json_object_get(c, "days_left"));
		if (ds->only_overdue ? left >= 0 : left > ds->within) {
			continue;
		}
		json_object_set_new(c, "id", json_string(id));
		json_object_set(
		    c, "case_state", json_object_get(doc, "state"));
		json_object_set(c, "region", json_object_get(doc, "region"));
		json_object_set(
		    c, "received", json_object_get(doc, "received"));
		json_object_set(
		    c, "priority", json_object_get(doc, "priority"));
		json_object_set_new(
		    c, "rank", json_integer(priority_rank(p, doc)));
		json_object_set_new(c, "clock_order",
		    json_integer(policy_clock_find(
		        p, json_string_value(json_object_get(c, "clock")))));
		json_object_set(c, "respondent",
		    json_object_get(
		        json_object_get(doc, "respondent"), "name"));
		if (as != NULL) {
			json_object_set(c, "assigned", as);
		}
		if (pend != NULL) {
			json_object_set_new(c, "automatic",
			    json_pack("{s:s, s:s}", "event", pend->name, "to",
			        p->states[pend->to].name));
		}
		json_array_append(ds->out, c);
	}
	json_decref(cv);
	json_decref(doc);
	return (0);
}

static int
due_cmp(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *) a, *y = *(json_t *const *) b;
	json_int_t    rx = json_integer_value(json_object_get(x, "rank"));
	json_int_t    ry = json_integer_value(json_object_get(y, "rank"));
	int           c;

	if (rx != ry) {
		return (rx < ry ? -1 : 1);
	}
	c = strcmp(json_string_value(json_object_get(x, "due")),
	    json_string_value(json_object_get(y, "due")));
	if (c != 0) {
		return (c);
	}
	c = strcmp(json_string_value(json_object_get(x, "id")),
	    json_string_value(json_object_get(y, "id")));
	if (c != 0) {
		return (c);
	}
	/* One case, two clocks due the same day: the policy's order. */
	rx = json_integer_value(json_object_get(x, "clock_order"));
	ry = json_integer_value(json_object_get(y, "clock_order"));
	if (rx != ry) {
		return (rx < ry ? -1 : 1);
	}
	return (strcmp(json_string_value(json_object_get(x, "id")),
	    json_string_value(json_object_get(y, "id"))));
}

int
op_case_due(struct ops_request *r)
{
	static const char *const keys[] = { "within", "overdue", "mine",
		"limit", NULL };
	const struct policy     *p      = r->srv->policy;
	struct due_state         ds;
	struct civil_date        today;
	json_t                  *v, **arr, *sorted;
	char                     prefix[800], buf[16];
	size_t                   plen, i, n, limit = 100;
	enum store_db            db;
	int                      rc;

	memset(&ds, 0, sizeof(ds));
	ds.r      = r;
	ds.within = 7;
	if ((rc = filing_check_object(r->args, keys, "args", &r->err)) !=
	    WAGE_OK) {
		return (rc);
	}
	if ((v = json_object_get(r->args, "within")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 3650) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "within",
			    "'within' must be a number of days from 0 "
			    "to 3650"));
		}
		ds.within = (int) json_integer_value(v);
	}
	if ((v = json_object_get(r->args, "overdue")) != NULL) {
		if (!json_is_boolean(v)) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "overdue", "'overdue' must be true or false"));
		}
		ds.only_overdue = json_is_true(v);
	}
	if ((v = json_object_get(r->args, "mine")) != NULL) {
		if (!json_is_boolean(v)) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "mine", "'mine' must be true or false"));
		}
		ds.mine = json_is_true(v);
	}
	if ((v = json_object_get(r->args, "limit")) != NULL) {
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > 1000) {
			return (wage_err_set(&r->err, WAGE_E_INVALID_ARGUMENT,
			    "limit",
			    "'limit' must be an integer from 1 to 1000"));
		}
		limit = (size_t) json_integer_value(v);
	}
	rc = scope_listing(p, &r->actor, NULL, NULL, &db, prefix,
	    sizeof(prefix), &plen, &r->err);
	if (rc != WAGE_OK) {
		return (rc);
	}
	if ((ds.out = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if ((rc = store_read_begin(r->srv->store, &ds.txn)) != WAGE_OK) {
		json_decref(ds.out);
		return (rc);
	}
	ds.db = db;
	rc    = store_scan(ds.txn, db, prefix, plen, NULL, due_one, &ds);
	store_read_end(ds.txn);
	if (rc != WAGE_OK) {
		json_decref(ds.out);
		return (rc);
	}
	/* Priority first, then the nearest due date (DOMAIN.md 优先受理). */
	n   = json_array_size(ds.out);
	arr = calloc(n > 0 ? n : 1, sizeof(*arr));
	if (arr == NULL) {
		json_decref(ds.out);
		return (WAGE_E_INTERNAL);
	}
	for (i = 0; i < n; i++) {
		arr[i] = json_array_get(ds.out, i);
	}
	qsort(arr, n, sizeof(*arr), due_cmp);
	sorted = json_array();
	for (i = 0; i < n && i < limit; i++) {
		json_array_append(sorted, arr[i]);
	}
	free(arr);
	civil_date_today(&today);
	civil_date_format(&today, buf, sizeof(buf));
	r->result = json_pack("{s:s, s:o, s:b, s:I}", "as_of", buf, "entries",
	    sorted, "truncated", ds.truncated || n > limit, "total",
	    (json_int_t) n);
	json_decref(ds.out);
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

/* ---- recomputing due dates ----------------------------------------- */

static int
collect_id(void *arg, const MDB_val *k, const MDB_val *v)
{
	(void) v;
	json_array_append_new(
	    arg, json_stringn((const char *) k->mv_data, k->mv_size));
	return (0);
}

int
ops_recompute_clocks(
    struct server *srv, struct store_txn *txn, const char *reason, int *ncases)
{
	struct caserules_env env;
	const struct policy *p;
	json_t              *ids, *idv, *doc, *copy, *changes, *ev;
	const char          *state;
	json_int_t           rev;
	size_t               i;
	int                  rc = WAGE_OK;

	*ncases = 0;
	if ((ids = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if ((rc = store_scan(txn, DB_CASES, NULL, 0, NULL, collect_id, ids)) !=
	    WAGE_OK) {
		json_decref(ids);
		return (rc);
	}
	json_array_foreach (ids, i, idv) {
		if ((rc = caserec_get(txn, json_string_value(idv), 0, &doc)) !=
		    WAGE_OK) {
			break;
		}
		p = ops_policy_for(srv, txn,
		    json_string_value(json_object_get(doc, "policy")));
		if (p == NULL ||
		    json_object_size(json_object_get(doc, "clocks")) == 0) {
			json_decref(doc);
			continue;
		}
		env.policy   = p;
		env.calendar = srv->calendar;
		env.minwage  = srv->minwage;
		copy         = json_deep_copy(doc);
		changes      = json_array();
		if (caserules_refresh(&env, copy, changes) == 0) {
			json_decref(copy);
			json_decref(changes);
			json_decref(doc);
			continue;
		}
		/* A changed due date is an audited change of the case. */
		state = json_string_value(json_object_get(doc, "state"));
		rev = json_integer_value(json_object_get(doc, "revision")) + 1;
		json_object_set_new(copy, "revision", json_integer(rev));
		ev = json_pack("{s:s, s:O, s:s, s:s, s:s, s:I, s:s, s:{s:s, "
		               "s:s}, s:s, s:o}",
		    "op", "clock.recompute", "case", idv, "event", "recompute",
		    "from", state, "to", state, "revision", rev, "policy",
		    p->hash_hex, "actor", "name", "wage-server", "role",
		    "system", "reason", reason, "changes", changes);
		if (ev == NULL ||
		    (rc = audit_append(txn, ev, NULL)) != WAGE_OK ||
		    (rc = caserec_save(txn, copy, doc)) != WAGE_OK) {
			rc = rc != WAGE_OK ? rc : WAGE_E_INTERNAL;
			json_decref(ev);
			json_decref(copy);
			json_decref(doc);
			break;
		}
		json_decref(ev);
		json_decref(copy);
		json_decref(doc);
		(*ncases)++;
	}
	json_decref(ids);
	return (rc);
}

/* ---- case.related: the same project, general contractor or employer --- */

#define RELATED_MAX 200

struct related {
	json_t *ids; /* object: id -> true, to take each once */
};

static int
related_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct related *rl = arg;
	char            id[WAGE_CASE_ID_MAX + 1];

	(void) v;
	if (json_object_size(rl->ids) >= 4 * RELATED_MAX) {
		return (STORE_SCAN_STOP);
	}
	if (caserec_key_id(k, id, sizeof(id)) != WAGE_OK) {
		return (WAGE_E_INTERNAL);
	}
	return (json_object_set_new(rl->ids, id, json_true()) == 0
	        ? 0
	        : WAGE_E_INTERNAL);
}

static const char *
jcode(const json_t *o, const char *a, const char *b)
{
	o = json_object_get(o, a);
	return (json_string_value(json_object_get(o, b)));
}

/* scan_code: the cases naming code as their project's general contractor
 * and those against it as employer. */
static int
scan_code(struct store_txn *txn, const char *code, struct related *rl)
{
	char   prefix[64];
	int    n, rc = WAGE_OK;
	size_t i;
	static const enum store_db dbs[] = { DB_BY_GC, DB_BY_CREDIT };

	if (code == NULL) {
		return (WAGE_OK);
	}
	n = snprintf(prefix, sizeof(prefix), "%s" CASEREC_SEP, code);
	if (n < 0 || (size_t) n >= sizeof(prefix)) {
		return (WAGE_OK);
	}
	for (i = 0; i < 2 && rc == WAGE_OK; i++) {
		rc = store_scan(txn, dbs[i], prefix, (size_t) n, NULL,
		    related_one, rl);
	}
	return (rc);
}

int
op_case_related(struct ops_request *r)
{
	static const char *const keys[] = { "id", NULL };
	struct store_txn        *txn;
	struct related           rl = { NULL };
	json_t                  *doc, *other, *flag, *list = NULL, *cv;
	const char              *id, *oid, *gc, *emp, *pname;
	uint64_t                 rev;
	size_t                   hidden = 0;
	int                      rc;

	if ((rc = filing_check_object(r->args, keys, "args", &r->err)) !=
	        WAGE_OK ||
	    (rc = read_case(r, &txn, &doc, &id, &rev)) != WAGE_OK) {
		return (rc);
	}
	gc    = jcode(json_object_get(doc, "project"), "general_contractor",
	       "credit_code");
	emp   = jcode(doc, "respondent", "credit_code");
	pname = json_string_value(
	    json_object_get(json_object_get(doc, "project"), "name"));
	if ((rl.ids = json_object()) == NULL ||
	    (list = json_array()) == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	if ((rc = scan_code(txn, gc, &rl)) != WAGE_OK ||
	    (rc = scan_code(txn, emp, &rl)) != WAGE_OK) {
		goto out;
	}
	json_object_foreach (rl.ids, oid, flag) {
		const char *ogc, *oemp, *op, *rel;

		(void) flag;
		if (strcmp(oid, id) == 0 ||
		    json_array_size(list) >= RELATED_MAX) {
			continue;
		}
		if (caserec_get(txn, oid, 0, &other) != WAGE_OK) {
			continue;
		}
		if (scope_case_visible(
		        r->srv->policy, &r->actor, other, NULL) != WAGE_OK) {
			hidden++;
			json_decref(other);
			continue;
		}
		ogc = jcode(json_object_get(other, "project"),
		    "general_contractor", "credit_code");
		oemp = jcode(other, "respondent", "credit_code");
		op   = json_string_value(json_object_get(
		      json_object_get(other, "project"), "name"));
		rel  = gc != NULL && ogc != NULL && strcmp(gc, ogc) == 0 &&
		        pname != NULL && op != NULL && strcmp(pname, op) == 0
		     ? "same_project"
		     : (gc != NULL &&
		           ((ogc != NULL && strcmp(gc, ogc) == 0) ||
		               (oemp != NULL && strcmp(gc, oemp) == 0)))
		     ? "same_general_contractor"
		     : "same_employer";
		json_array_append_new(list,
		    json_pack("{s:s, s:s, s:O?, s:O?, s:O?, s:s?, s:O?, s:O?}",
		        "id", oid, "relation", rel, "state",
		        json_object_get(other, "state"), "region",
		        json_object_get(other, "region"), "respondent",
		        json_object_get(json_object_get(other, "respondent"),
		            "name"),
		        "project", op, "workers",
		        json_object_get(
		            json_object_get(other, "priority"), "workers"),
		        "total_fen",
		        json_object_get(
		            json_object_get(other, "claim"), "total_fen")));
		json_decref(other);
	}
	cv        = contracting_view(doc);
	r->result = json_pack("{s:s, s:o, s:I}", "id", id, "related", list,
	    "outside_your_scope", (json_int_t) hidden);
	list      = NULL;
	if (r->result != NULL && cv != NULL) {
		json_object_set_new(r->result, "contracting", cv);
	} else {
		json_decref(cv);
	}
	rc = r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL;
out:
	json_decref(list);
	json_decref(rl.ids);
	store_read_end(txn);
	json_decref(doc);
	return (rc);
}
