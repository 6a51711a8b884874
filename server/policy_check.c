/* SPDX-License-Identifier: MIT */
/*
 * policy_check.c - the events of a policy and the checks across sections
 * (see policy_int.h for the split of the loader):
 *  - events: from, to, roles, requires / optional fields, basis, clock
 *    actions, after_expiry, before_expiry, after_expiry_all and the flags
 *    collective_consent, assign, award, ack_limitation, automatic,
 *    service, agreement, payment, award_kind, within_window and
 *    settlement, each checked against the fields it needs (an
 *    award's items, type award_items, only on an award event; an
 *    automatic event needs none: the server fires it);
 *    a name listed again only for another state an event stays in;
 *  - priority: the work-list order of case flags;
 *  - the scope of the roles that see case content, and the state graph.
 * Must not: read YAML other than through the yamltree_ getters, or act
 * on a case (workflow.c, ops.c): it only checks that the policy's words
 * fit together.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "policy_int.h"
#include "transfer.h"
#include "wage/protocol.h"

/* Operations that touch case content: whoever may call them needs a scope. */
static const char *const case_ops[] = {
	WAGE_OP_CASE_FILE,
	WAGE_OP_CASE_GET,
	WAGE_OP_CASE_LIST,
	WAGE_OP_CASE_ACT,
	WAGE_OP_CASE_HISTORY,
	WAGE_OP_CASE_DUE,
	WAGE_OP_REPORT_CAMPAIGN,
	WAGE_OP_REPORT_EMPLOYERS,
	WAGE_OP_CASE_RELATED,
};

/* The case flags the work list may sort by (filing.c sets them). */
static const char *const priority_flags[] = {
	"collective",
	"poverty_alleviated",
	"migrant",
};

/* Every role that may touch case content must be limited by a scope. */
void
pc_check_scoped(struct pctx *c, const size_t *op_line)
{
	struct policy *p      = c->p;
	uint32_t       scoped = p->scope_region | p->scope_org;
	size_t         i;
	int            r;

	for (i = 0; i < p->nops; i++) {
		if (yamltree_find(case_ops, NELEM(case_ops), p->ops[i].name) <
		    0) {
			continue;
		}
		for (r = 0; r < ROLE__COUNT; r++) {
			if ((p->ops[i].roles & ~scoped & ROLE_BIT(r)) != 0) {
				yamltree_err(&c->d, op_line[i],
				    "role '%s' may call '%s' but is in "
				    "neither scope.region nor "
				    "scope.organisation",
				    policy_role_names[r], p->ops[i].name);
			}
		}
	}
}

/*
 * Events.
 */

/* map_get returns the value of key in mapping m (may be NULL), or NULL. */
static const struct yamltree_node *
map_get(const struct yamltree_node *m, const char *key)
{
	size_t i;

	if (m == NULL || m->kind != YAMLTREE_MAP) {
		return (NULL);
	}
	for (i = 0; i + 1 < m->nkids; i += 2) {
		if (!m->kids[i]->bad && strcmp(m->kids[i]->str, key) == 0) {
			return (m->kids[i + 1]);
		}
	}
	return (NULL);
}

/* item_line: the line of the scalar s in list l, else dflt. */
static size_t
item_line(const struct yamltree_node *l, const char *s, size_t dflt)
{
	size_t i;

	if (l == NULL || l->kind != YAMLTREE_SEQ) {
		return (dflt);
	}
	for (i = 0; i < l->nkids; i++) {
		if (l->kids[i]->kind == YAMLTREE_SCALAR &&
		    strcmp(l->kids[i]->str, s) == 0) {
			return (l->kids[i]->line);
		}
	}
	return (dflt);
}

static bool
has_index(const size_t *idx, size_t n, size_t k)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (idx[i] == k) {
			return (true);
		}
	}
	return (false);
}

/*
 * need_field: because of a flag or clock action (why, on line), event ev
 * must carry the field fname, required or optional as told, of a type in
 * tmask (bits by enum policy_ftype). Returns the field's index or -1.
 */
static long
need_field(struct pctx *c, const struct policy_event *ev, size_t line,
    const char *ename, const char *why, const char *fname, unsigned tmask,
    bool required)
{
	const struct policy_field *f;
	char                       want[64];
	const char                *names[PF__COUNT];
	size_t                     t;
	long                       k;
	bool                       req, opt;

	if ((k = policy_field_find(c->p, fname)) < 0) {
		yamltree_err(&c->d, line,
		    "%s %s, so it needs the field '%s', which is not under "
		    "'fields'",
		    ename, why, fname);
		return (-1);
	}
	f   = &c->p->fields[k];
	req = has_index(ev->requires, ev->nrequires, (size_t) k);
	opt = has_index(ev->optional, ev->noptional, (size_t) k);
	if (required && !req) {
		yamltree_err(&c->d, line,
		    "%s %s, so it must require the field '%s'%s", ename, why,
		    fname, opt ? " (it is only optional)" : "");
	} else if (!required && !opt) {
		yamltree_err(&c->d, line,
		    "%s %s, so '%s' must be among its optional fields%s",
		    ename, why, fname,
		    req ? " (not required: the server asks for it only "
		          "where it is needed)"
		        : "");
	}
	if ((tmask & (1u << f->type)) == 0) {
		for (t = 0; t < PF__COUNT; t++) {
			names[t] = (tmask & (1u << t)) != 0
			    ? policy_ftype_name((int) t)
			    : NULL;
		}
		yamltree_join(want, sizeof(want), names, PF__COUNT);
		yamltree_err(&c->d, line,
		    "%s %s, so its field '%s' must be of type %s", ename, why,
		    fname, want);
	}
	return (k);
}

static int
largest_extension(const struct policy *p)
{
	size_t i;
	int    m = 0;

	for (i = 0; i < p->nclocks; i++) {
		if (p->clocks[i].extend_max_days > m) {
			m = p->clocks[i].extend_max_days;
		}
	}
	return (m);
}

/*
 * check_extend: an event that extends a clock carries the days added in
 * the required int field `days`, which may not exceed what the clock's
 * extension allows (Art 43: once, by at most 15 days).
 */
static void
check_extend(struct pctx *c, const struct policy_event *ev,
    const struct yamltree_node *clocks, const char *pre, const char *ename)
{
	const struct policy        *p  = c->p;
	const struct yamltree_node *xl = map_get(clocks, "extend");
	const struct policy_field  *f  = NULL;
	const struct policy_clock  *k;
	size_t                      line, j;
	long                        fk;

	line = xl != NULL ? xl->line : clocks->line;
	fk   = need_field(
	      c, ev, line, ename, "extends a clock", "days", 1u << PF_INT, true);
	if (fk >= 0 && p->fields[fk].type == PF_INT) {
		f = &p->fields[fk];
		if (f->min < 1) {
			yamltree_err(&c->d, line,
			    "%s extends a clock, so its field 'days' must "
			    "not allow less than 1 day (fields.days.min is "
			    "%lld)",
			    ename, f->min);
		}
	}
	for (j = 0; j < ev->clocks.n[CLK_EXTEND]; j++) {
		k = &p->clocks[ev->clocks.idx[CLK_EXTEND][j]];
		if (k->extend_max_times == 0 &&
		    c->clock_has_ext[ev->clocks.idx[CLK_EXTEND][j]]) {
			continue; /* its extension is wrong: reported */
		}
		if (k->extend_max_times == 0) {
			yamltree_err(&c->d, item_line(xl, k->name, line),
			    "'%s.clocks.extend': clock '%s' has no "
			    "'extension' (max_days, max_times) under 'clocks'",
			    pre, k->name);
		} else if (f != NULL && f->max > k->extend_max_days &&
		    f->max > largest_extension(p)) {
			/* One `days` field serves every extension (Art 43's
			 * 15 days, an inspection's 30): the server refuses
			 * days beyond the clock's own limit when fired. */
			yamltree_err(&c->d, item_line(xl, k->name, line),
			    "'%s.clocks.extend': field 'days' allows up to "
			    "%lld days, but clock '%s' may be extended by at "
			    "most %d (clocks.%s.extension.max_days)",
			    pre, f->max, k->name, k->extend_max_days, k->name);
		}
	}
}

static bool
self_loop(const struct policy_event *ev)
{
	return (ev->nfrom == 1 && ev->to == ev->from[0]);
}

/*
 * check_repeat: an event name may be listed again only for an event that
 * stays in its state (from: [s], to: s), for another state: so that e.g.
 * "assign" keeps a case in intake, mediation or arbitration alike.
 * workflow_check picks the entry whose from holds the case's state.
 */
static void
check_repeat(struct pctx *c, size_t i, size_t line)
{
	const struct policy_event *ev = &c->p->events[i], *e;
	size_t                     j;

	for (j = 0; j < i; j++) {
		e = &c->p->events[j];
		if (e->name == NULL || strcmp(e->name, ev->name) != 0) {
			continue;
		}
		if (!self_loop(ev) || !self_loop(e) ||
		    ev->from[0] == e->from[0]) {
			yamltree_err(&c->d, line,
			    "duplicate event '%s' (first at line %zu): an "
			    "event may be listed again only if it stays in "
			    "its state (from: [s], to: s), for another state",
			    ev->name, c->event_line[j]);
			return;
		}
	}
}

/* event_flags reads collective_consent, assign, award, ack_limitation. */
static void
event_flags(struct pctx *c, struct policy_event *ev,
    const struct yamltree_node *const *fv, const char *pre, const char *ename)
{
	enum { F_CONSENT, F_ASSIGN, F_AWARD, F_ACK };
	char        what[128];
	const char *s;

	if (fv[F_CONSENT] != NULL) {
		snprintf(what, sizeof(what), "%s.collective_consent", pre);
		if (yamltree_bool(
		        &c->d, fv[F_CONSENT], what, &ev->collective_consent) &&
		    ev->collective_consent) {
			/* 办案规则 Art 63: the represented workers consent;
			 * ops.c requires the field on collective cases. */
			need_field(c, ev, fv[F_CONSENT]->line, ename,
			    "has 'collective_consent: true'", "consent",
			    (1u << PF_STRING) | (1u << PF_TEXT), false);
		}
	}
	if (fv[F_ASSIGN] != NULL) {
		snprintf(what, sizeof(what), "%s.assign", pre);
		if ((s = yamltree_str(&c->d, fv[F_ASSIGN], what)) == NULL) {
			/* reported */
		} else if (strcmp(s, "self") == 0) {
			ev->assign = 1;
		} else if (strcmp(s, "field") == 0) {
			ev->assign = 2;
			need_field(c, ev, fv[F_ASSIGN]->line, ename,
			    "has 'assign: field'", "assignee", 1u << PF_STRING,
			    true);
			need_field(c, ev, fv[F_ASSIGN]->line, ename,
			    "has 'assign: field'", "assignee_org",
			    1u << PF_STRING, true);
		} else {
			yamltree_err(&c->d, fv[F_ASSIGN]->line,
			    "'%s' must be self (the actor takes the case) or "
			    "field (to the person in 'assignee' of "
			    "'assignee_org')",
			    what);
		}
	}
	if (fv[F_AWARD] != NULL) {
		snprintf(what, sizeof(what), "%s.award", pre);
		if (yamltree_bool(&c->d, fv[F_AWARD], what, &ev->award) &&
		    ev->award) {
			/* Art 47: items against the limit on the award
			 * date; Art 48-50: windows from that date. */
			need_field(c, ev, fv[F_AWARD]->line, ename,
			    "has 'award: true'", "amount_fen", 1u << PF_FEN,
			    true);
			need_field(c, ev, fv[F_AWARD]->line, ename,
			    "has 'award: true'", "award_date", 1u << PF_DATE,
			    true);
		}
	}
	if (fv[F_ACK] != NULL) {
		snprintf(what, sizeof(what), "%s.ack_limitation", pre);
		yamltree_bool(&c->d, fv[F_ACK], what, &ev->ack_limitation);
	}
}

/*
 * event_flags2 reads service, agreement, payment and award_kind, each
 * checked against the fields it needs.
 */
static void
event_flags2(struct pctx *c, struct policy_event *ev,
    const struct yamltree_node *const *fv, const char *pre, const char *ename)
{
	static const char *const kinds[] = { "final", "nonfinal", "mixed" };
	enum { F_SERVICE, F_AGREEMENT, F_PAYMENT, F_KIND };
	char        what[128];
	const char *s;
	size_t      i;
	long        k;

	snprintf(what, sizeof(what), "%s.service", pre);
	if (fv[F_SERVICE] != NULL &&
	    yamltree_bool(&c->d, fv[F_SERVICE], what, &ev->service) &&
	    ev->service) {
		static const char *const need[] = { "party", "document",
			"method" };

		for (i = 0; i < NELEM(need); i++) {
			need_field(c, ev, fv[F_SERVICE]->line, ename,
			    "has 'service: true'", need[i], 1u << PF_ENUM,
			    true);
		}
		need_field(c, ev, fv[F_SERVICE]->line, ename,
		    "has 'service: true'", "served_on", 1u << PF_DATE, true);
		if (c->p->service.ndocuments == 0) {
			yamltree_err(&c->d, fv[F_SERVICE]->line,
			    "%s has 'service: true' but the policy has no "
			    "'service' section naming the documents",
			    ename);
		}
	}
	snprintf(what, sizeof(what), "%s.agreement", pre);
	if (fv[F_AGREEMENT] != NULL &&
	    yamltree_bool(&c->d, fv[F_AGREEMENT], what, &ev->agreement) &&
	    ev->agreement) {
		need_field(c, ev, fv[F_AGREEMENT]->line, ename,
		    "has 'agreement: true'", "amount_fen", 1u << PF_FEN, true);
	}
	snprintf(what, sizeof(what), "%s.payment", pre);
	if (fv[F_PAYMENT] != NULL &&
	    yamltree_bool(&c->d, fv[F_PAYMENT], what, &ev->payment) &&
	    ev->payment) {
		need_field(c, ev, fv[F_PAYMENT]->line, ename,
		    "has 'payment: true'", "amount_paid_fen", 1u << PF_FEN,
		    true);
		need_field(c, ev, fv[F_PAYMENT]->line, ename,
		    "has 'payment: true'", "paid_on", 1u << PF_DATE, true);
		need_field(c, ev, fv[F_PAYMENT]->line, ename,
		    "has 'payment: true' (a payment in part needs one)",
		    "reason", (1u << PF_TEXT) | (1u << PF_STRING), false);
	}
	snprintf(what, sizeof(what), "%s.award_kind", pre);
	if (fv[F_KIND] != NULL &&
	    yamltree_is_kind(&c->d, fv[F_KIND], YAMLTREE_SEQ, what)) {
		for (i = 0; i < fv[F_KIND]->nkids; i++) {
			if ((s = yamltree_str(
			         &c->d, fv[F_KIND]->kids[i], what)) == NULL) {
				continue;
			}
			k = yamltree_find(kinds, NELEM(kinds), s);
			if (k < 0) {
				yamltree_err(&c->d, fv[F_KIND]->kids[i]->line,
				    "'%s': unknown kind '%s'; allowed: final, "
				    "nonfinal, mixed",
				    what, s);
				continue;
			}
			ev->award_kinds |= 1u << k;
		}
	}
}

/*
 * check_award_items: the items of an award (type award_items) are read by
 * award.c under the name `items`, and only on an event with
 * `award: true`, where an `items` field must be of that type.
 */
static void
check_award_items(struct pctx *c, const struct policy_event *ev, size_t line,
    const char *ename)
{
	const struct policy_field *f;
	size_t                     i, fi;

	for (i = 0; i < ev->nrequires + ev->noptional; i++) {
		fi = i < ev->nrequires ? ev->requires[i]
		                       : ev->optional[i - ev->nrequires];
		f  = &c->p->fields[fi];
		if (f->name == NULL) {
			continue;
		}
		if (f->type == PF_AWARD_ITEMS && !ev->award) {
			yamltree_err(&c->d, line,
			    "%s carries the field '%s' of type award_items, "
			    "so it must have 'award: true'",
			    ename, f->name);
		} else if (f->type == PF_AWARD_ITEMS &&
		    strcmp(f->name, "items") != 0) {
			yamltree_err(&c->d, line,
			    "%s: the items of an award are read from the "
			    "field 'items'; rename the field '%s'",
			    ename, f->name);
		} else if (ev->award && strcmp(f->name, "items") == 0 &&
		    f->type != PF_AWARD_ITEMS) {
			yamltree_err(&c->d, line,
			    "%s has 'award: true', so its field 'items' must "
			    "be of type award_items",
			    ename);
		}
	}
}

/*
 * state_list reads a list of state names into *idx (indexes); unknown
 * and repeated names are reported and left out.
 */
static void
state_list(struct pctx *c, const struct yamltree_node *n, const char *what,
    size_t **idx, size_t *count)
{
	const char *s;
	size_t      i, j;
	long        k;

	*count = 0;
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_SEQ, what)) {
		return;
	}
	if (n->nkids == 0) {
		yamltree_err(
		    &c->d, n->line, "'%s' must name at least one state", what);
		return;
	}
	if ((*idx = calloc(n->nkids, sizeof(**idx))) == NULL) {
		yamltree_oom(&c->d, n->line);
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = yamltree_str(&c->d, n->kids[i], what)) == NULL) {
			continue;
		}
		if ((k = policy_state_find(c->p, s)) < 0) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': unknown state '%s'", what, s);
			continue;
		}
		for (j = 0; j < *count; j++) {
			if ((*idx)[j] == (size_t) k) {
				break;
			}
		}
		if (j < *count) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': state '%s' is listed twice", what, s);
			continue;
		}
		(*idx)[(*count)++] = (size_t) k;
	}
}

/*
 * field_list reads requires / optional; a field may appear once in the
 * two lists together (have[] carries what the other list had).
 */
static void
field_list(struct pctx *c, const struct yamltree_node *n, const char *what,
    size_t **idx, size_t *count, bool *have)
{
	const char *s;
	size_t      i;
	long        k;

	*count = 0;
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_SEQ, what)) {
		return;
	}
	if (n->nkids > WAGE_MAX_FIELDS) {
		yamltree_err(&c->d, n->line, "'%s' lists more than %d fields",
		    what, WAGE_MAX_FIELDS);
		return;
	}
	if ((*idx = calloc(n->nkids + 1, sizeof(**idx))) == NULL) {
		yamltree_oom(&c->d, n->line);
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = yamltree_str(&c->d, n->kids[i], what)) == NULL) {
			continue;
		}
		if ((k = policy_field_find(c->p, s)) < 0) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': unknown field '%s' (not under 'fields')",
			    what, s);
			continue;
		}
		if (have[k]) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': field '%s' is listed twice in this event",
			    what, s);
			continue;
		}
		have[k]            = true;
		(*idx)[(*count)++] = (size_t) k;
	}
}

/*
 * clock_guard reads a guard's list of clocks (after_expiry, before_expiry,
 * after_expiry_all) at n, named what; unknown and repeated clocks are
 * reported. nonempty: an empty list is reported too (every clock of none
 * would be a guard that always passes).
 */
static void
clock_guard(struct pctx *c, const struct yamltree_node *n, const char *what,
    bool nonempty, size_t **idx, size_t *count)
{
	const char **where;
	size_t      *seen;

	seen  = calloc(c->p->nclocks + 1, sizeof(*seen));
	where = calloc(c->p->nclocks + 1, sizeof(*where));
	if (seen == NULL || where == NULL) {
		yamltree_oom(&c->d, n->line);
	} else if (pclk_list(c, n, what, idx, count, seen, where) &&
	    nonempty && n->nkids == 0) {
		yamltree_err(
		    &c->d, n->line, "'%s' must name at least one clock", what);
	}
	free(seen);
	free(where);
}

/*
 * check_automatic: the server fires an automatic event (automatic: true
 * on line aline) with no fields and as nobody in particular, so it may
 * not require a field, nor need the workers' consent, assign the case or
 * acknowledge the limitation warning: each is a person's act.
 */
static void
check_automatic(struct pctx *c, const struct policy_event *ev, size_t aline,
    const struct yamltree_node *req, const struct yamltree_node *consent,
    const struct yamltree_node *assign, const struct yamltree_node *ack,
    const char *ename)
{
	const char *names[WAGE_MAX_FIELDS];
	char        list[160];
	size_t      i;

	if (ev->nrequires > 0 && req != NULL) {
		for (i = 0; i < ev->nrequires && i < WAGE_MAX_FIELDS; i++) {
			names[i] = c->p->fields[ev->requires[i]].name;
		}
		yamltree_join(list, sizeof(list), names, i);
		yamltree_err(&c->d, aline,
		    "%s has 'automatic: true', so it must not require fields: "
		    "the server fires it with none ('requires' on line %zu "
		    "lists %s; make them optional)",
		    ename, req->line, list);
	}
	if (ev->collective_consent && consent != NULL) {
		yamltree_err(&c->d, aline,
		    "%s has 'automatic: true', so it cannot need the workers' "
		    "consent ('collective_consent' on line %zu): the server "
		    "has none to give",
		    ename, consent->line);
	}
	if (ev->assign != 0 && assign != NULL) {
		yamltree_err(&c->d, aline,
		    "%s has 'automatic: true', so it cannot assign the case "
		    "('assign' on line %zu): that is a person's act",
		    ename, assign->line);
	}
	if (ev->ack_limitation && ack != NULL) {
		yamltree_err(&c->d, aline,
		    "%s has 'automatic: true', so it cannot acknowledge the "
		    "limitation warning ('ack_limitation' on line %zu): a "
		    "clerk does that, with a reason",
		    ename, ack->line);
	}
}

/* transfer: send (needs receiving_region, receiving_body, reason),
 * accept, or return (needs reason). */
static void
parse_transfer(struct pctx *c, struct policy_event *ev, size_t line,
    const char *what, const char *ename, const char *s)
{
	ev->transfer = transfer_kind_from_name(s);
	if (ev->transfer < 0) {
		ev->transfer = 0;
		yamltree_err(&c->d, line,
		    "'%s' must be send (to another body), accept or return "
		    "(as the receiving body)",
		    what);
		return;
	}
	if (ev->transfer == TRANSFER_SEND) {
		need_field(c, ev, line, ename, "has 'transfer: send'",
		    "receiving_region", 1u << PF_STRING, true);
		need_field(c, ev, line, ename, "has 'transfer: send'",
		    "receiving_body", 1u << PF_STRING, true);
	}
	if (ev->transfer != TRANSFER_ACCEPT) {
		need_field(c, ev, line, ename, "sends or returns a transfer",
		    "reason", (1u << PF_TEXT) | (1u << PF_STRING), true);
	}
}

/*
 * event_representation reads power, party_document, party and
 * representation (fv: their nodes, in that order). A power must be one a
 * power of attorney can grant; an event with a power that staff may fire
 * must name the field that carries the party's signed document (staff
 * never act for a party: they record the party's own act), a string or
 * text among the event's fields.
 */
static void
event_representation(struct pctx *c, struct policy_event *ev,
    const struct yamltree_node *const *fv, const char *pre, const char *ename)
{
	enum { F_POWER, F_PARTY_DOC, F_PARTY, F_REPR };
	const uint32_t reps = ROLE_BIT(ROLE_UNION) | ROLE_BIT(ROLE_LEGAL_AID);
	char           what[128], list[200];
	const char    *s;
	long           k;
	int            pw, party;

	ev->party = PARTY_WORKER;
	snprintf(what, sizeof(what), "%s.power", pre);
	if ((s = yamltree_str(&c->d, fv[F_POWER], what)) != NULL) {
		if ((pw = policy_power_find(s)) < 0) {
			yamltree_join(list, sizeof(list), policy_power_names,
			    POLICY_NPOWERS);
			yamltree_err(&c->d, fv[F_POWER]->line,
			    "'%s': unknown power '%s'; a power of attorney "
			    "grants: %s",
			    what, s, list);
		} else {
			ev->power = pw + 1;
		}
	}
	snprintf(what, sizeof(what), "%s.party_document", pre);
	if ((s = yamltree_str(&c->d, fv[F_PARTY_DOC], what)) != NULL) {
		k = policy_field_find(c->p, s);
		if (k < 0 ||
		    (!has_index(ev->requires, ev->nrequires, (size_t) k) &&
		        !has_index(ev->optional, ev->noptional, (size_t) k))) {
			yamltree_err(&c->d, fv[F_PARTY_DOC]->line,
			    "'%s': '%s' must be one of the event's fields "
			    "(requires or optional)",
			    what, s);
		} else if (c->p->fields[k].type != PF_STRING &&
		    c->p->fields[k].type != PF_TEXT) {
			yamltree_err(&c->d, fv[F_PARTY_DOC]->line,
			    "'%s': field '%s' must be of type string or text "
			    "(the reference of the party's signed document)",
			    what, s);
		} else {
			ev->has_party_doc = true;
			ev->party_doc     = (size_t) k;
		}
	}
	snprintf(what, sizeof(what), "%s.party", pre);
	if ((s = yamltree_str(&c->d, fv[F_PARTY], what)) != NULL) {
		if ((party = policy_party_from_name(s)) < 0) {
			yamltree_err(&c->d, fv[F_PARTY]->line,
			    "'%s' must be worker or employer (whose act the "
			    "event is)",
			    what);
		} else {
			ev->party = party;
		}
	}
	if (ev->power != 0 && (ev->roles & ~reps) != 0 &&
	    fv[F_PARTY_DOC] == NULL) {
		yamltree_err(&c->d, fv[F_POWER]->line,
		    "%s needs the power '%s' and staff may fire it, so it "
		    "must name 'party_document': staff never act for a "
		    "party, they record the party's own signed act",
		    ename, policy_power_names[ev->power - 1]);
	}
	snprintf(what, sizeof(what), "%s.representation", pre);
	if ((s = yamltree_str(&c->d, fv[F_REPR], what)) == NULL) {
		return;
	}
	if (strcmp(s, "appoint") == 0) {
		ev->representation = REPRESENTATION_APPOINT;
		need_field(c, ev, fv[F_REPR]->line, ename,
		    "has 'representation: appoint'", "rep_kind", 1u << PF_ENUM,
		    true);
		need_field(c, ev, fv[F_REPR]->line, ename,
		    "has 'representation: appoint'", "rep_organisation",
		    1u << PF_STRING, true);
		need_field(c, ev, fv[F_REPR]->line, ename,
		    "has 'representation: appoint'", "rep_name",
		    1u << PF_STRING, true);
		need_field(c, ev, fv[F_REPR]->line, ename,
		    "has 'representation: appoint'", "rep_scope",
		    1u << PF_STRING, true);
		need_field(c, ev, fv[F_REPR]->line, ename,
		    "has 'representation: appoint'", "rep_document",
		    1u << PF_STRING, true);
	} else if (strcmp(s, "remove") == 0) {
		ev->representation = REPRESENTATION_REMOVE;
	} else if (strcmp(s, "elect") == 0) {
		ev->representation = REPRESENTATION_ELECT;
		need_field(c, ev, fv[F_REPR]->line, ename,
		    "has 'representation: elect'", "representatives",
		    1u << PF_STRING, true);
		need_field(c, ev, fv[F_REPR]->line, ename,
		    "has 'representation: elect'", "consent",
		    (1u << PF_STRING) | (1u << PF_TEXT), true);
	} else {
		yamltree_err(&c->d, fv[F_REPR]->line,
		    "'%s' must be appoint (a representative appointed or "
		    "replaced), remove, or elect (the elected representatives "
		    "of a collective case changed)",
		    what);
	}
}

static void
parse_event(
    struct pctx *c, size_t i, const struct yamltree_node *n, bool *have)
{
	static const char *const keys[] = { "name", "label", "from", "to",
		"roles", "requires", "optional", "basis", "clocks",
		"after_expiry", "collective_consent", "assign", "award",
		"ack_limitation", "before_expiry", "service", "agreement",
		"payment", "award_kind", "within_window", "settlement",
		"automatic", "after_expiry_all", "claim_change",
		"settlement_void", "transfer", "power", "party_document",
		"party", "representation", "duplicate_resolve" };
	enum {
		K_NAME,
		K_LABEL,
		K_FROM,
		K_TO,
		K_ROLES,
		K_REQ,
		K_OPT,
		K_BASIS,
		K_CLOCKS,
		K_AFTER,
		K_CONSENT,
		K_ASSIGN,
		K_AWARD,
		K_ACK,
		K_BEFORE,
		K_SERVICE,
		K_AGREEMENT,
		K_PAYMENT,
		K_AWARD_KIND,
		K_WITHIN,
		K_SETTLEMENT,
		K_AUTO,
		K_AFTER_ALL,
		K_CLAIM_CHANGE,
		K_SETTLEMENT_VOID,
		K_TRANSFER,
		K_POWER,
		K_PARTY_DOC,
		K_PARTY,
		K_REPRESENTATION,
		K_DUP_RESOLVE
	};
	const struct yamltree_node *v[NELEM(keys)];
	struct policy              *p  = c->p;
	struct policy_event        *ev = &p->events[i];
	char                        pre[80], what[128], ename[80];
	const char                 *s;
	long                        k;
	int                         r;

	snprintf(pre, sizeof(pre), "events[%zu]", i);
	snprintf(ename, sizeof(ename), "'events[%zu]'", i);
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_MAP, pre)) {
		return;
	}
	yamltree_map_keys(&c->d, n, "an event", keys, NELEM(keys), v);
	yamltree_need(&c->d, n, v[K_NAME], "name", ename);
	snprintf(what, sizeof(what), "events[%zu].name", i);
	if ((s = yamltree_name(&c->d, v[K_NAME], what, POLICY_MAX_NAME)) !=
	    NULL) {
		/* A repeated name is checked once from and to are known
		 * (check_repeat); policy_event_find finds the first. */
		ev->name = yamltree_strdup(&c->d, s, v[K_NAME]->line);
		snprintf(pre, sizeof(pre), "events.%s", s);
		snprintf(ename, sizeof(ename), "event '%s'", s);
	}
	if (v[K_LABEL] != NULL) {
		snprintf(what, sizeof(what), "%s.label", pre);
		ev->label = yamltree_strdup(&c->d,
		    yamltree_text(&c->d, v[K_LABEL], what, POLICY_MAX_LABEL),
		    v[K_LABEL]->line);
	}

	yamltree_need(&c->d, n, v[K_FROM], "from", ename);
	if (v[K_FROM] != NULL) {
		c->from_line[i] = v[K_FROM]->line;
		snprintf(what, sizeof(what), "%s.from", pre);
		state_list(c, v[K_FROM], what, &ev->from, &ev->nfrom);
	}

	ev->to = SIZE_MAX;
	yamltree_need(&c->d, n, v[K_TO], "to", ename);
	snprintf(what, sizeof(what), "%s.to", pre);
	if ((s = yamltree_str(&c->d, v[K_TO], what)) != NULL) {
		if ((k = policy_state_find(p, s)) < 0) {
			yamltree_err(&c->d, v[K_TO]->line,
			    "'%s': unknown state '%s'", what, s);
		} else {
			ev->to = (size_t) k;
		}
	}

	/* Before roles: an automatic event may list none (the server fires
	 * it; nobody need fire it by hand). */
	if (v[K_AUTO] != NULL) {
		snprintf(what, sizeof(what), "%s.automatic", pre);
		yamltree_bool(&c->d, v[K_AUTO], what, &ev->automatic);
	}
	yamltree_need(&c->d, n, v[K_ROLES], "roles", ename);
	snprintf(what, sizeof(what), "%s.roles", pre);
	if (v[K_ROLES] != NULL &&
	    policy_read_roles(
	        c, v[K_ROLES], what, &ev->roles, !ev->automatic) &&
	    c->act_known) {
		for (r = 0; r < ROLE__COUNT; r++) {
			if ((ev->roles & ~c->act_roles & ROLE_BIT(r)) != 0) {
				yamltree_err(&c->d, v[K_ROLES]->line,
				    "'%s': role '%s' may not call 'case.act' "
				    "(see 'operations'), so it could never "
				    "fire this event",
				    what, policy_role_names[r]);
			}
		}
	}

	memset(have, 0, (p->nfields + 1) * sizeof(*have));
	if (v[K_REQ] != NULL) {
		snprintf(what, sizeof(what), "%s.requires", pre);
		field_list(
		    c, v[K_REQ], what, &ev->requires, &ev->nrequires, have);
	}
	if (v[K_OPT] != NULL) {
		snprintf(what, sizeof(what), "%s.optional", pre);
		field_list(
		    c, v[K_OPT], what, &ev->optional, &ev->noptional, have);
	}
	if (ev->nrequires + ev->noptional > WAGE_MAX_FIELDS) {
		yamltree_err(&c->d, n->line, "%s carries more than %d fields",
		    ename, WAGE_MAX_FIELDS);
	}

	yamltree_need(&c->d, n, v[K_BASIS], "basis", ename);
	snprintf(what, sizeof(what), "%s.basis", pre);
	if (v[K_BASIS] != NULL && !v[K_BASIS]->bad &&
	    v[K_BASIS]->kind == YAMLTREE_SCALAR &&
	    strspn(v[K_BASIS]->str, " \t") == v[K_BASIS]->len) {
		yamltree_err(&c->d, v[K_BASIS]->line,
		    "'%s' must not be empty: name the law and the article "
		    "that allow this event",
		    what);
	} else if (v[K_BASIS] != NULL) {
		ev->basis = yamltree_strdup(&c->d,
		    yamltree_text(&c->d, v[K_BASIS], what, POLICY_MAX_LABEL),
		    v[K_BASIS]->line);
	}

	if (v[K_CLOCKS] != NULL) {
		snprintf(what, sizeof(what), "%s.clocks", pre);
		pclk_ops(c, v[K_CLOCKS], what, false, &ev->clocks);
		if (ev->clocks.n[CLK_EXTEND] > 0) {
			check_extend(c, ev, v[K_CLOCKS], pre, ename);
		}
	}
	if (v[K_AFTER] != NULL) {
		snprintf(what, sizeof(what), "%s.after_expiry", pre);
		clock_guard(c, v[K_AFTER], what, false, &ev->after_expiry,
		    &ev->nafter_expiry);
	}
	if (v[K_BEFORE] != NULL) {
		snprintf(what, sizeof(what), "%s.before_expiry", pre);
		clock_guard(c, v[K_BEFORE], what, false, &ev->before_expiry,
		    &ev->nbefore_expiry);
	}
	if (v[K_AFTER_ALL] != NULL) {
		snprintf(what, sizeof(what), "%s.after_expiry_all", pre);
		clock_guard(c, v[K_AFTER_ALL], what, true,
		    &ev->after_expiry_all, &ev->nafter_expiry_all);
	}
	event_flags(c, ev, &v[K_CONSENT], pre, ename);
	event_flags2(c, ev, &v[K_SERVICE], pre, ename);
	if (v[K_WITHIN] != NULL) {
		snprintf(what, sizeof(what), "%s.within_window", pre);
		clock_guard(c, v[K_WITHIN], what, true, &ev->within_window,
		    &ev->nwithin_window);
		for (k = 0; k < (long) ev->nwithin_window; k++) {
			if (!p->clocks[ev->within_window[k]].window) {
				yamltree_err(&c->d, v[K_WITHIN]->line,
				    "'%s': clock '%s' is not a party's window "
				    "(window: true)",
				    what,
				    p->clocks[ev->within_window[k]].name);
			}
		}
	}
	snprintf(what, sizeof(what), "%s.claim_change", pre);
	if (v[K_CLAIM_CHANGE] != NULL &&
	    yamltree_bool(&c->d, v[K_CLAIM_CHANGE], what, &ev->claim_change) &&
	    ev->claim_change) {
		need_field(c, ev, v[K_CLAIM_CHANGE]->line, ename,
		    "has 'claim_change: true'", "kind", 1u << PF_ENUM, true);
		need_field(c, ev, v[K_CLAIM_CHANGE]->line, ename,
		    "has 'claim_change: true'", "claim_fen", 1u << PF_FEN,
		    true);
	}
	snprintf(what, sizeof(what), "%s.settlement_void", pre);
	if (v[K_SETTLEMENT_VOID] != NULL) {
		yamltree_bool(
		    &c->d, v[K_SETTLEMENT_VOID], what, &ev->settlement_void);
	}
	snprintf(what, sizeof(what), "%s.duplicate_resolve", pre);
	if (v[K_DUP_RESOLVE] != NULL &&
	    yamltree_bool(&c->d, v[K_DUP_RESOLVE], what,
	        &ev->duplicate_resolve) &&
	    ev->duplicate_resolve) {
		need_field(c, ev, v[K_DUP_RESOLVE]->line, ename,
		    "has 'duplicate_resolve: true'", "duplicate_resolution",
		    1u << PF_ENUM, true);
		need_field(c, ev, v[K_DUP_RESOLVE]->line, ename,
		    "has 'duplicate_resolve: true'", "reason",
		    (1u << PF_TEXT) | (1u << PF_STRING), false);
	}
	snprintf(what, sizeof(what), "%s.transfer", pre);
	if ((s = yamltree_str(&c->d, v[K_TRANSFER], what)) != NULL) {
		parse_transfer(c, ev, v[K_TRANSFER]->line, what, ename, s);
	}
	snprintf(what, sizeof(what), "%s.settlement", pre);
	if ((s = yamltree_str(&c->d, v[K_SETTLEMENT], what)) != NULL) {
		if (strcmp(s, "pending") == 0) {
			ev->settlement = 1;
		} else if (strcmp(s, "effective") == 0) {
			ev->settlement = 2;
		} else {
			yamltree_err(&c->d, v[K_SETTLEMENT]->line,
			    "'%s' must be pending (before the 调解书 is in "
			    "force) or effective (once it is)",
			    what);
		}
	}
	check_award_items(c, ev, n->line, ename);
	event_representation(c, ev, &v[K_POWER], pre, ename);
	if (ev->automatic && v[K_POWER] != NULL && ev->power != 0) {
		yamltree_err(&c->d, v[K_AUTO]->line,
		    "%s has 'automatic: true', so it cannot need a power of "
		    "attorney ('power' on line %zu): the server acts for "
		    "nobody",
		    ename, v[K_POWER]->line);
	}
	if (ev->automatic) {
		check_automatic(c, ev, v[K_AUTO]->line, v[K_REQ], v[K_CONSENT],
		    v[K_ASSIGN], v[K_ACK], ename);
	}
	if (ev->name != NULL && v[K_NAME] != NULL) {
		check_repeat(c, i, v[K_NAME]->line);
	}
}

/*
 * automatic_reaches: can the automatic events lead a case from state
 * start to state goal (start == goal: at once)? seen: nstates flags,
 * queue: nstates slots, both the caller's.
 */
static bool
automatic_reaches(const struct policy *p, size_t start, size_t goal,
    bool *seen, size_t *queue)
{
	size_t head = 0, tail = 0, s, i, j;

	memset(seen, 0, p->nstates * sizeof(*seen));
	seen[start]   = true;
	queue[tail++] = start;
	while (head < tail) {
		if ((s = queue[head++]) == goal) {
			return (true);
		}
		for (i = 0; i < p->nevents; i++) {
			const struct policy_event *ev = &p->events[i];

			if (!ev->automatic || ev->to == SIZE_MAX ||
			    seen[ev->to]) {
				continue;
			}
			for (j = 0; j < ev->nfrom; j++) {
				if (ev->from[j] == s) {
					seen[ev->to]  = true;
					queue[tail++] = ev->to;
					break;
				}
			}
		}
	}
	return (false);
}

/*
 * check_automatic_cycles: while an automatic event may fire, the server
 * fires it (one a case, each sweep): automatic events must not lead a
 * case back to a state they leave, or it would go round for ever, an
 * audit event each time.
 */
static void
check_automatic_cycles(struct pctx *c)
{
	struct policy *p = c->p;
	bool          *seen;
	size_t        *queue, i, j;

	seen  = calloc(p->nstates + 1, sizeof(*seen));
	queue = calloc(p->nstates + 1, sizeof(*queue));
	if (seen == NULL || queue == NULL) {
		yamltree_oom(&c->d, 1);
		goto done;
	}
	for (i = 0; i < p->nevents; i++) {
		const struct policy_event *ev = &p->events[i];

		if (!ev->automatic || ev->to == SIZE_MAX) {
			continue;
		}
		for (j = 0; j < ev->nfrom; j++) {
			if (!automatic_reaches(
			        p, ev->to, ev->from[j], seen, queue)) {
				continue;
			}
			yamltree_err(&c->d, c->event_line[i],
			    "event '%s' is automatic and leads from '%s' to "
			    "'%s', %s: the server would fire it round for "
			    "ever; it must lead out for good",
			    ev->name != NULL ? ev->name : "?",
			    p->states[ev->from[j]].name,
			    p->states[ev->to].name,
			    ev->to == ev->from[j]
			        ? "the state it leaves"
			        : "from which automatic events lead back");
			break;
		}
	}
done:
	free(seen);
	free(queue);
}

void
pc_parse_events(struct pctx *c, const struct yamltree_node *n)
{
	struct policy *p = c->p;
	bool          *have;
	size_t         i;

	if (n == NULL || !yamltree_is_kind(&c->d, n, YAMLTREE_SEQ, "events")) {
		return;
	}
	p->events     = calloc(n->nkids + 1, sizeof(*p->events));
	c->event_line = calloc(n->nkids + 1, sizeof(*c->event_line));
	c->from_line  = calloc(n->nkids + 1, sizeof(*c->from_line));
	have          = calloc(p->nfields + 1, sizeof(*have));
	if (p->events == NULL || c->event_line == NULL ||
	    c->from_line == NULL || have == NULL) {
		free(have);
		yamltree_oom(&c->d, n->line);
		return;
	}
	p->nevents = n->nkids;
	for (i = 0; i < n->nkids; i++) {
		c->event_line[i] = n->kids[i]->line;
		p->events[i].to  = SIZE_MAX;
		parse_event(c, i, n->kids[i], have);
	}
	free(have);
	if (n->nkids == 0) {
		yamltree_err(
		    &c->d, n->line, "'events' must list at least one event");
	}
	if (p->nstates > 0) {
		check_automatic_cycles(c);
	}
}

/*
 * Priority.
 */

void
pc_parse_priority(struct pctx *c, const struct yamltree_node *n)
{
	struct policy *p = c->p;
	char           allowed[96];
	const char    *s;
	size_t         i, j;

	if (n == NULL ||
	    !yamltree_is_kind(&c->d, n, YAMLTREE_SEQ, "priority")) {
		return;
	}
	if ((p->priority = calloc(n->nkids + 1, sizeof(*p->priority))) ==
	    NULL) {
		yamltree_oom(&c->d, n->line);
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = yamltree_str(&c->d, n->kids[i], "priority")) ==
		    NULL) {
			continue;
		}
		if (yamltree_find(priority_flags, NELEM(priority_flags), s) <
		    0) {
			yamltree_join(allowed, sizeof(allowed), priority_flags,
			    NELEM(priority_flags));
			yamltree_err(&c->d, n->kids[i]->line,
			    "'priority': unknown flag '%s'; allowed: %s", s,
			    allowed);
			continue;
		}
		for (j = 0; j < p->npriority; j++) {
			if (strcmp(p->priority[j], s) == 0) {
				break;
			}
		}
		if (j < p->npriority) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'priority': flag '%s' is listed twice", s);
			continue;
		}
		if ((p->priority[p->npriority] = yamltree_strdup(
		         &c->d, s, n->kids[i]->line)) != NULL) {
			p->npriority++;
		}
	}
}

/*
 * pc_check_graph: terminal states are ends, every other state has a way
 * out, and every state can be reached from the initial one.
 */
void
pc_check_graph(struct pctx *c, bool one_initial)
{
	struct policy *p = c->p;
	bool          *seen, *out;
	size_t        *queue, head = 0, tail = 0, i, j, s;

	seen  = calloc(p->nstates + 1, sizeof(*seen));
	out   = calloc(p->nstates + 1, sizeof(*out));
	queue = calloc(p->nstates + 1, sizeof(*queue));
	if (seen == NULL || out == NULL || queue == NULL) {
		yamltree_oom(&c->d, 1);
		goto done;
	}
	for (i = 0; i < p->nevents; i++) {
		const struct policy_event *ev = &p->events[i];

		for (j = 0; j < ev->nfrom; j++) {
			s = ev->from[j];
			if (p->states[s].terminal) {
				yamltree_err(&c->d, c->from_line[i],
				    "event '%s' leaves state '%s', which is "
				    "terminal: no event may leave a closed "
				    "case",
				    ev->name != NULL ? ev->name : "?",
				    p->states[s].name);
			}
			if (ev->to != SIZE_MAX && ev->to != s) {
				out[s] = true;
			}
		}
	}
	for (s = 0; s < p->nstates; s++) {
		if (p->states[s].name != NULL && !p->states[s].terminal &&
		    !out[s]) {
			yamltree_err(&c->d, c->state_line[s],
			    "state '%s' is not terminal, but no event leads "
			    "out of it",
			    p->states[s].name);
		}
	}
	/* An event whose "to" did not resolve would make the states
	 * after it look unreachable: that error is reported already. */
	for (i = 0; i < p->nevents; i++) {
		if (p->events[i].to == SIZE_MAX) {
			one_initial = false;
		}
	}
	if (!one_initial) {
		goto done;
	}
	seen[p->initial] = true;
	queue[tail++]    = p->initial;
	while (head < tail) {
		s = queue[head++];
		for (i = 0; i < p->nevents; i++) {
			const struct policy_event *ev = &p->events[i];

			if (ev->to == SIZE_MAX || seen[ev->to]) {
				continue;
			}
			for (j = 0; j < ev->nfrom; j++) {
				if (ev->from[j] == s) {
					seen[ev->to]  = true;
					queue[tail++] = ev->to;
					break;
				}
			}
		}
	}
	for (s = 0; s < p->nstates; s++) {
		if (p->states[s].name != NULL && !seen[s]) {
			yamltree_err(&c->d, c->state_line[s],
			    "state '%s' cannot be reached from the initial "
			    "state '%s'",
			    p->states[s].name,
			    p->states[p->initial].name != NULL
			        ? p->states[p->initial].name
			        : "?");
		}
	}
done:
	free(seen);
	free(out);
	free(queue);
}
