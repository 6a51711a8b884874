/* SPDX-License-Identifier: MIT */
/*
 * policy_service.c - the "service" section of a policy (送达, DOMAIN.md
 * procedure 4): the documents served on the parties, whom each goes to,
 * what a party's receipt does to the clocks (on_receipt), what happens
 * when every party has it (on_all_received, takes_effect), whether it
 * opens the parties' windows (the award, Arts 48-50), and the public
 * notice rule (公告, deemed served N days after publication).
 *
 *   service:
 *     public_notice: {method: public_notice, days: 30, basis: ...}
 *     documents:
 *       award:
 *         label: 裁决书
 *         basis: 劳动争议调解仲裁法 第48条至第50条
 *         to: [worker, employer]
 *         on_receipt: {employer: {start: [defence]}}
 *         on_all_received: {stop: [award]}
 *         takes_effect: false
 *         opens_windows: true
 * Must not: act on a case (service.c does).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "policy.h"
#include "policy_int.h"

static void
parse_public_notice(struct pctx *c, const struct yamltree_node *n)
{
	static const char *const    keys[] = { "method", "days", "basis" };
	const struct yamltree_node *v[NELEM(keys)];
	struct policy_service      *s = &c->p->service;
	const char                 *t;
	long long                   d;

	if (!yamltree_is_kind(
	        &c->d, n, YAMLTREE_MAP, "service.public_notice")) {
		return;
	}
	yamltree_map_keys(
	    &c->d, n, "'service.public_notice'", keys, NELEM(keys), v);
	yamltree_need(&c->d, n, v[0], "method", "'service.public_notice'");
	yamltree_need(&c->d, n, v[1], "days", "'service.public_notice'");
	yamltree_need(&c->d, n, v[2], "basis", "'service.public_notice'");
	if ((t = yamltree_name(&c->d, v[0], "service.public_notice.method",
	         POLICY_MAX_NAME)) != NULL) {
		s->public_notice_method =
		    yamltree_strdup(&c->d, t, v[0]->line);
	}
	if (v[1] != NULL &&
	    yamltree_int(&c->d, v[1], "service.public_notice.days", &d)) {
		if (d < 0 || d > 365) {
			yamltree_err(&c->d, v[1]->line,
			    "'service.public_notice.days' must be from 0 to "
			    "365");
		} else {
			s->public_notice_days = (int) d;
		}
	}
	if ((t = yamltree_text(&c->d, v[2], "service.public_notice.basis",
	         POLICY_MAX_LABEL)) != NULL) {
		s->public_notice_basis = yamltree_strdup(&c->d, t, v[2]->line);
	}
}

/* parse_to reads the parties a document is served on. */
static void
parse_to(struct pctx *c, const struct yamltree_node *n, const char *what,
    unsigned *to)
{
	const char *s;
	size_t      i;
	int         party;

	if (!yamltree_is_kind(&c->d, n, YAMLTREE_SEQ, what)) {
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = yamltree_str(&c->d, n->kids[i], what)) == NULL) {
			continue;
		}
		if ((party = policy_party_from_name(s)) < 0) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': unknown party '%s'; allowed: worker, "
			    "employer",
			    what, s);
		} else if ((*to & (1u << party)) != 0) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': party '%s' is listed twice", what, s);
		} else {
			*to |= 1u << party;
		}
	}
	if (*to == 0) {
		yamltree_err(&c->d, n->line,
		    "'%s' must name the parties it is served on", what);
	}
}

static void
parse_receipt(struct pctx *c, const struct yamltree_node *n, const char *pre,
    struct policy_document *d)
{
	char   what[128];
	size_t i;
	int    party;

	snprintf(what, sizeof(what), "%s.on_receipt", pre);
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_MAP, what)) {
		return;
	}
	for (i = 0; i + 1 < n->nkids; i += 2) {
		if (n->kids[i]->bad) {
			continue;
		}
		party = policy_party_from_name(n->kids[i]->str);
		if (party < 0 || (d->to & (1u << party)) == 0) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': '%s' is not a party this document is "
			    "served on (see its 'to')",
			    what, n->kids[i]->str);
			continue;
		}
		snprintf(what, sizeof(what), "%s.on_receipt.%s", pre,
		    n->kids[i]->str);
		pclk_ops(c, n->kids[i + 1], what, true, &d->on_receipt[party]);
	}
}

static void
parse_document(struct pctx *c, const struct yamltree_node *kn,
    const struct yamltree_node *n, struct policy_document *d)
{
	static const char *const keys[] = { "label", "basis", "to",
		"on_receipt", "on_all_received", "takes_effect",
		"opens_windows" };
	enum { K_LABEL, K_BASIS, K_TO, K_RECEIPT, K_ALL, K_EFFECT, K_WIN };
	const struct yamltree_node *v[NELEM(keys)];
	char                        pre[96], what[128];
	const char                 *s;

	snprintf(pre, sizeof(pre), "service.documents.%s", kn->str);
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_MAP, pre)) {
		return;
	}
	yamltree_map_keys(&c->d, n, "a served document", keys, NELEM(keys), v);
	yamltree_need(&c->d, n, v[K_LABEL], "label", pre);
	yamltree_need(&c->d, n, v[K_BASIS], "basis", pre);
	yamltree_need(&c->d, n, v[K_TO], "to", pre);
	snprintf(what, sizeof(what), "%s.label", pre);
	if ((s = yamltree_text(&c->d, v[K_LABEL], what, POLICY_MAX_LABEL)) !=
	    NULL) {
		d->label = yamltree_strdup(&c->d, s, v[K_LABEL]->line);
	}
	snprintf(what, sizeof(what), "%s.basis", pre);
	if ((s = yamltree_text(&c->d, v[K_BASIS], what, POLICY_MAX_LABEL)) !=
	    NULL) {
		d->basis = yamltree_strdup(&c->d, s, v[K_BASIS]->line);
	}
	snprintf(what, sizeof(what), "%s.to", pre);
	if (v[K_TO] != NULL) {
		parse_to(c, v[K_TO], what, &d->to);
	}
	if (v[K_RECEIPT] != NULL) {
		parse_receipt(c, v[K_RECEIPT], pre, d);
	}
	if (v[K_ALL] != NULL) {
		snprintf(what, sizeof(what), "%s.on_all_received", pre);
		pclk_ops(c, v[K_ALL], what, true, &d->on_all_received);
	}
	snprintf(what, sizeof(what), "%s.takes_effect", pre);
	if (v[K_EFFECT] != NULL) {
		yamltree_bool(&c->d, v[K_EFFECT], what, &d->takes_effect);
	}
	snprintf(what, sizeof(what), "%s.opens_windows", pre);
	if (v[K_WIN] != NULL) {
		yamltree_bool(&c->d, v[K_WIN], what, &d->opens_windows);
	}
}

void
psvc_parse(struct pctx *c, const struct yamltree_node *n)
{
	static const char *const    keys[] = { "public_notice", "documents" };
	const struct yamltree_node *v[NELEM(keys)], *docs;
	struct policy_service      *s = &c->p->service;
	const char                 *name;
	char                        what[96];
	size_t                      i;

	if (n == NULL ||
	    !yamltree_is_kind(&c->d, n, YAMLTREE_MAP, "service")) {
		return;
	}
	yamltree_map_keys(&c->d, n, "'service'", keys, NELEM(keys), v);
	yamltree_need(&c->d, n, v[0], "public_notice", "'service'");
	yamltree_need(&c->d, n, v[1], "documents", "'service'");
	if (v[0] != NULL) {
		parse_public_notice(c, v[0]);
	}
	docs = v[1];
	if (docs == NULL ||
	    !yamltree_is_kind(
	        &c->d, docs, YAMLTREE_MAP, "service.documents")) {
		return;
	}
	s->documents = calloc(docs->nkids / 2 + 1, sizeof(*s->documents));
	if (s->documents == NULL) {
		yamltree_oom(&c->d, docs->line);
		return;
	}
	for (i = 0; i + 1 < docs->nkids; i += 2) {
		if (docs->kids[i]->bad) {
			continue;
		}
		snprintf(what, sizeof(what), "service.documents.%s",
		    docs->kids[i]->str);
		if ((name = yamltree_name(&c->d, docs->kids[i], what,
		         POLICY_MAX_NAME)) == NULL) {
			continue;
		}
		s->documents[s->ndocuments].name =
		    yamltree_strdup(&c->d, name, docs->kids[i]->line);
		parse_document(c, docs->kids[i], docs->kids[i + 1],
		    &s->documents[s->ndocuments]);
		s->ndocuments++;
	}
	if (s->ndocuments == 0) {
		yamltree_err(&c->d, docs->line,
		    "'service.documents' must name at least one document");
	}
}

void
psvc_free(struct policy_service *s)
{
	size_t i;
	int    k;

	for (i = 0; i < s->ndocuments; i++) {
		free(s->documents[i].name);
		free(s->documents[i].label);
		free(s->documents[i].basis);
		for (k = 0; k < PARTY__COUNT; k++) {
			pclk_ops_free(&s->documents[i].on_receipt[k]);
		}
		pclk_ops_free(&s->documents[i].on_all_received);
	}
	free(s->documents);
	free(s->public_notice_method);
	free(s->public_notice_basis);
	memset(s, 0, sizeof(*s));
}
