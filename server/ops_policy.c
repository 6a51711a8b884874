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
