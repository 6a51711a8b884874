/* SPDX-License-Identifier: MIT */
/*
 * caseview.c - a case as one actor sees it: ID numbers and phones whole
 * or masked by role, the running clocks as of today, the events the actor
 * may fire next, and the recorded steps. The encoded view is kept with the
 * cached case head under a key built here (role and day), because that is
 * all a view depends on besides the case's revision.
 * Owns: the shape of case.get's result. Must not: write the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casecache.h"
#include "caserec.h"
#include "caserules.h"
#include "caseview.h"
#include "clock.h"
#include "contracting.h"
#include "filing.h"
#include "log.h"
#include "workflow.h"

/* What a view depends on besides the case's id and revision. */
static int
view_key(const struct actor *a)
{
	struct civil_date today;

	civil_date_today(&today);
	return (
	    1 + (int) a->role + 64 * (today.y * 372 + today.m * 31 + today.d));
}

json_t *
caseview_build(const struct server *srv, const struct policy *p,
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
	/* 保障农民工工资支付条例: who pays first on a construction project. */
	{
		json_t *cv = contracting_view(doc);

		if (cv != NULL) {
			json_object_set_new(v, "contracting", cv);
		}
	}
	/* 劳动保障监察条例 第9条: a confidential complainant's identity is
	 * for the roles that see personal data whole. */
	if ((srv->policy->unmasked & ROLE_BIT(a->role)) == 0) {
		filing_hide_confidential(json_object_get(v, "claimants"));
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

json_t *
caseview_respondent(const struct server *srv, const json_t *doc)
{
	static const char *const keep[] = { "id", "state", "received",
		"region", "respondent", "project", "claim", "facts", "award",
		"settlement", "payment", "transfer" };
	static const char *const drop[] = { "id_number", "phone", "id_sealed",
		"phone_sealed", "id_hint", "phone_hint", "poverty_alleviated",
		"confidential" };
	const json_t            *rep = json_object_get(doc, "representative");
	json_t                  *v, *cl, *c;
	size_t                   i, k;

	(void) srv;
	if ((v = json_pack("{s:s}", "view", "respondent")) == NULL) {
		return (NULL);
	}
	for (k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
		if (json_object_get(doc, keep[k]) != NULL) {
			json_object_set_new(v, keep[k],
			    json_deep_copy(json_object_get(doc, keep[k])));
		}
	}
	cl = json_deep_copy(json_object_get(doc, "claimants"));
	filing_hide_confidential(cl);
	json_array_foreach (cl, i, c) {
		for (k = 0; k < sizeof(drop) / sizeof(drop[0]); k++) {
			json_object_del(c, drop[k]);
		}
	}
	if (cl != NULL) {
		json_object_set_new(v, "claimants", cl);
	}
	if (rep != NULL) {
		json_object_set_new(v, "representative",
		    json_pack("{s:O?, s:O?, s:O?}", "kind",
		        json_object_get(rep, "kind"), "organisation",
		        json_object_get(rep, "organisation"), "name",
		        json_object_get(rep, "name")));
	}
	return (v);
}

int
caseview_render(struct server *srv, struct store_txn *txn,
    const struct actor *a, const json_t *doc, uint64_t rev, char **text,
    size_t *n)
{
	const char *id  = json_string_value(json_object_get(doc, "id"));
	int         key = view_key(a);
	json_t     *view;
	char       *head = NULL, *steps = NULL, *out = NULL;
	size_t      hn, sn;

	*text = NULL;
	if ((*text = casecache_view(srv->cases, id, rev, key, n)) != NULL) {
		return (WAGE_OK);
	}
	view = caseview_build(srv,
	    ops_policy_for(
	        srv, txn, json_string_value(json_object_get(doc, "policy"))),
	    a, doc);
	if (view != NULL) {
		json_object_del(view, "steps");
		head = json_dumps(view, JSON_COMPACT);
		json_decref(view);
	}
	/* The view's members, then "steps": the stored step texts joined. */
	if (head != NULL && (hn = strlen(head)) >= 2 && head[hn - 1] == '}' &&
	    caserec_steps_text(txn, id, &steps, &sn) == WAGE_OK &&
	    (out = malloc(hn + sn + 12)) != NULL) {
		memcpy(out, head, hn - 1);
		*n = hn - 1;
		*n += (size_t) sprintf(
		    out + *n, "%s\"steps\":", hn > 2 ? "," : "");
		memcpy(out + *n, steps, sn);
		*n += sn;
		out[(*n)++] = '}';
		out[*n]     = '\0';
		casecache_keep_view(srv->cases, id, rev, key, out, *n);
	}
	free(head);
	free(steps);
	*text = out;
	return (out != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}
