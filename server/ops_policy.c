/* SPDX-License-Identifier: MIT */
/*
 * ops_policy.c - policies as the ops see them: the policy a case began
 * under (the current one, or an older one loaded on demand from the
 * policies database and kept), and the policy.get op.
 * Owns: the cache of older policies. Must not: parse YAML (policy.c).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "filing.h"
#include "log.h"
#include "ops_int.h"

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
ops_policy_for(struct server *srv, struct store_txn *txn, const char *hash)
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

static json_t *
clock_names(const struct policy *p, const size_t *idx, size_t n)
{
	json_t *a = json_array();
	size_t  i;

	for (i = 0; i < n; i++) {
		json_array_append_new(a, json_string(p->clocks[idx[i]].name));
	}
	return (a);
}

/* event_guards adds to e what else the event needs or does: the guards a
 * clerk meets as refusals, shown before they are met. */
static void
event_guards(const struct policy *p, const struct policy_event *ev, json_t *e)
{
	static const char *const kinds[] = { "final", "nonfinal", "mixed" };
	json_t                  *k;
	int                      i;

	if (ev->nafter_expiry > 0) {
		json_object_set_new(e, "after_expiry",
		    clock_names(p, ev->after_expiry, ev->nafter_expiry));
	}
	if (ev->nbefore_expiry > 0) {
		json_object_set_new(e, "before_expiry",
		    clock_names(p, ev->before_expiry, ev->nbefore_expiry));
	}
	if (ev->nwithin_window > 0) {
		json_object_set_new(e, "within_window",
		    clock_names(p, ev->within_window, ev->nwithin_window));
	}
	if (ev->award_kinds != 0) {
		k = json_array();
		for (i = 0; i < 3; i++) {
			if (ev->award_kinds & (1u << i)) {
				json_array_append_new(
				    k, json_string(kinds[i]));
			}
		}
		json_object_set_new(e, "award_kind", k);
	}
	if (ev->collective_consent) {
		json_object_set_new(e, "collective_consent", json_true());
	}
	if (ev->service) {
		json_object_set_new(e, "service", json_true());
	}
	if (ev->agreement) {
		json_object_set_new(e, "agreement", json_true());
	}
	if (ev->payment) {
		json_object_set_new(e, "payment", json_true());
	}
	if (ev->settlement_void) {
		json_object_set_new(e, "settlement_void", json_true());
	}
	if (ev->claim_change) {
		json_object_set_new(e, "claim_change", json_true());
	}
	if (ev->power != 0) {
		json_object_set_new(e, "power",
		    json_string(policy_power_names[ev->power - 1]));
	}
	if (ev->has_party_doc) {
		json_object_set_new(e, "party_document",
		    json_string(p->fields[ev->party_doc].name));
	}
	if (ev->representation != 0) {
		json_object_set_new(e, "representation",
		    json_string(ev->representation == REPRESENTATION_APPOINT
		            ? "appoint"
		            : ev->representation == REPRESENTATION_REMOVE
		            ? "remove"
		            : "elect"));
	}
	if (ev->settlement != 0) {
		json_object_set_new(e, "settlement",
		    json_string(
		        ev->settlement == 1 ? "pending" : "effective"));
	}
}

/* policy_clocks_json: the clocks, each with its rule and basis. */
static json_t *
policy_clocks_json(const struct policy *p)
{
	json_t *a = json_array(), *c;
	size_t  i;

	for (i = 0; i < p->nclocks; i++) {
		const struct policy_clock *k = &p->clocks[i];

		c = json_pack("{s:s, s:s?, s:s, s:s, s:b, s:b}", "name",
		    k->name, "label", k->label, "unit",
		    k->unit == CAL_WORKING_DAYS ? "working_days"
		                                : "calendar_days",
		    "basis", k->basis, "target", k->target, "window",
		    k->window);
		if (k->until != NULL) {
			json_object_set_new(c, "until", json_string(k->until));
		} else {
			json_object_set_new(
			    c, "length", json_integer(k->length));
		}
		if (k->party != PARTY_NONE) {
			json_object_set_new(c, "party",
			    json_string(policy_party_name(k->party)));
		}
		if (k->extend_max_times > 0) {
			json_object_set_new(c, "extension",
			    json_pack("{s:i, s:i}", "max_days",
			        k->extend_max_days, "max_times",
			        k->extend_max_times));
		}
		json_array_append_new(a, c);
	}
	return (a);
}

/* policy_service_json: the documents served and on whom. */
static json_t *
policy_service_json(const struct policy *p)
{
	json_t *docs = json_array(), *to;
	size_t  i;
	int     k;

	for (i = 0; i < p->service.ndocuments; i++) {
		const struct policy_document *d = &p->service.documents[i];

		to = json_array();
		for (k = 1; k < PARTY__COUNT; k++) {
			if (d->to & (1u << k)) {
				json_array_append_new(
				    to, json_string(policy_party_name(k)));
			}
		}
		json_array_append_new(docs,
		    json_pack("{s:s, s:s?, s:s?, s:o, s:b, s:b}", "name",
		        d->name, "label", d->label, "basis", d->basis, "to",
		        to, "takes_effect", d->takes_effect, "opens_windows",
		        d->opens_windows));
	}
	return (json_pack("{s:o, s:s?, s:i, s:s?}", "documents", docs,
	    "public_notice_method", p->service.public_notice_method,
	    "public_notice_days", p->service.public_notice_days,
	    "public_notice_basis", p->service.public_notice_basis));
}

int
op_policy_get(struct ops_request *r)
{
	const struct policy *p = r->srv->policy;
	json_t *states, *events, *e, *from, *roles, *req, *opt, *fields, *all;
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
		all   = json_array();
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
		for (j = 0; j < ev->nafter_expiry_all; j++) {
			json_array_append_new(all,
			    json_string(
			        p->clocks[ev->after_expiry_all[j]].name));
		}
		/* automatic: the server fires it by itself (sweep.c), once
		 * every clock of after_expiry_all has run out. */
		e = json_pack("{s:s, s:s?, s:o, s:s, s:o, s:o, s:o, s:s, s:b, "
		              "s:o}",
		    "name", ev->name, "label", ev->label, "from", from, "to",
		    p->states[ev->to].name, "roles", roles, "requires", req,
		    "optional", opt, "basis", ev->basis, "automatic",
		    ev->automatic, "after_expiry_all", all);
		event_guards(p, ev, e);
		json_array_append_new(events, e);
	}
	fields = json_object();
	for (i = 0; i < p->nfields; i++) {
		const struct policy_field *f = &p->fields[i];
		json_t                    *fo;

		fo = json_pack("{s:s, s:s?}", "type",
		    policy_ftype_name(f->type), "label", f->label);

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
		if (f->has_min_days) {
			json_object_set_new(fo, "min_days_from_today",
			    json_integer(f->min_days));
		}
		if (f->has_max_days) {
			json_object_set_new(fo, "max_days_from_today",
			    json_integer(f->max_days));
		}
		if (f->at_most != 0) {
			json_object_set_new(fo, "at_most",
			    json_string(f->at_most == FIELD_AT_MOST_CLAIMED
			            ? "claimed"
			            : "owed"));
		}
		if (f->bound_basis != NULL) {
			json_object_set_new(
			    fo, "basis", json_string(f->bound_basis));
		}
		if (f->type == PF_AWARD_ITEMS) {
			/* What each item takes (award.h). */
			json_t *kinds = json_array();

			for (j = 0; filing_claim_kinds[j] != NULL; j++) {
				json_array_append_new(
				    kinds, json_string(filing_claim_kinds[j]));
			}
			json_object_set_new(fo, "kinds", kinds);
			json_object_set_new(fo, "stated",
			    json_pack("[s, s]", "final", "nonfinal"));
		}
		json_object_set_new(fields, f->name, fo);
	}
	r->result = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}",
	    "name", p->name, "version", p->version, "hash", p->hash_hex,
	    "states", states, "fields", fields, "events", events, "clocks",
	    policy_clocks_json(p), "service", policy_service_json(p));
	return (r->result != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}
