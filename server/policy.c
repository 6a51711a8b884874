/* SPDX-License-Identifier: MIT */
/*
 * policy.c - loads and checks the workflow policy
 * (policies/wage-dispute.yaml).
 * Owns: the public functions of policy.h, the top-level build, and the
 * sections that stand alone: roles, operations, scope, states, fields.
 * yamltree.c reads the YAML into a tree with line numbers;
 * policy_clock.c and policy_check.c read the sections that refer to
 * others (clocks, events, priority, award clocks) and check across
 * sections. Every problem is reported as "file:line: what" and checking goes
 * on after an error, so that one run shows them all. Must not: log
 * (diagnostics go to the caller's FILE), know about cases, storage or the wire
 * beyond the operation names in wage/protocol.h.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "fileio.h"
#include "policy.h"
#include "calendar.h"
#include "policy_int.h"
#include "wage/protocol.h"

const char *const policy_role_names[ROLE__COUNT] = {
	[ROLE_CLERK]      = "clerk",
	[ROLE_MEDIATOR]   = "mediator",
	[ROLE_ARBITRATOR] = "arbitrator",
	[ROLE_CHAIR]      = "chair",
	[ROLE_UNION]      = "union",
	[ROLE_LEGAL_AID]  = "legal_aid",
	[ROLE_AUDITOR]    = "auditor",
	[ROLE_ADMIN]      = "admin",
	[ROLE_INSPECTOR]  = "inspector",
};

/* The operations a policy may grant: exactly the WAGE_OP_* names. */
static const char *const op_names[] = {
	WAGE_OP_AUTH_CHALLENGE,
	WAGE_OP_AUTH_LOGIN,
	WAGE_OP_WHOAMI,
	WAGE_OP_CASE_FILE,
	WAGE_OP_CASE_GET,
	WAGE_OP_CASE_LIST,
	WAGE_OP_CASE_ACT,
	WAGE_OP_CASE_HISTORY,
	WAGE_OP_CASE_DUE,
	WAGE_OP_AUDIT_VERIFY,
	WAGE_OP_AUDIT_EXPORT,
	WAGE_OP_POLICY_GET,
	WAGE_OP_REPORT_CAMPAIGN,
	WAGE_OP_REPORT_EMPLOYERS,
	WAGE_OP_CASE_RELATED,
};
#define NOPS (sizeof(op_names) / sizeof(op_names[0]))

static const char *const phase_names[] = {
	"intake",
	"mediation",
	"arbitration",
	"inspection",
	"closed",
};

static const char *const ftype_names[] = {
	[PF_TEXT]        = "text",
	[PF_STRING]      = "string",
	[PF_DATE]        = "date",
	[PF_FEN]         = "fen",
	[PF_INT]         = "int",
	[PF_BOOL]        = "bool",
	[PF_ENUM]        = "enum",
	[PF_AWARD_ITEMS] = "award_items",
	[PF_WORKER_AMOUNTS] = "worker_amounts",
};
_Static_assert(
    NELEM(ftype_names) == PF__COUNT, "every field type has its name");

/*
 * The sections, in the order they depend on each other.
 */

bool
policy_read_roles(struct pctx *c, const struct yamltree_node *n,
    const char *what, uint32_t *mask, bool nonempty)
{
	char        known[128];
	const char *s;
	size_t      i;
	int         r, before = c->d.nerrors;

	*mask = 0;
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_SEQ, what)) {
		return (false);
	}
	if (nonempty && n->nkids == 0) {
		yamltree_err(
		    &c->d, n->line, "'%s' must name at least one role", what);
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = yamltree_str(&c->d, n->kids[i], what)) == NULL) {
			continue;
		}
		if ((r = policy_role_from_name(s)) < 0) {
			yamltree_join(known, sizeof(known), policy_role_names,
			    ROLE__COUNT);
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': unknown role '%s'; known roles: %s", what,
			    s, known);
		} else if ((c->declared & ROLE_BIT(r)) == 0) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': role '%s' is not declared in 'roles'", what,
			    s);
		} else if ((*mask & ROLE_BIT(r)) != 0) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': role '%s' is listed twice", what, s);
		} else {
			*mask |= ROLE_BIT(r);
		}
	}
	return (c->d.nerrors == before);
}

static void
parse_declared_roles(struct pctx *c, const struct yamltree_node *n)
{
	char        known[128];
	const char *s;
	size_t      i;
	int         r;

	if (n == NULL || !yamltree_is_kind(&c->d, n, YAMLTREE_SEQ, "roles")) {
		/* Reported already: do not cascade into every role list. */
		c->declared = (1u << ROLE__COUNT) - 1;
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = yamltree_str(&c->d, n->kids[i], "roles")) == NULL) {
			continue;
		}
		if ((r = policy_role_from_name(s)) < 0) {
			yamltree_join(known, sizeof(known), policy_role_names,
			    ROLE__COUNT);
			yamltree_err(&c->d, n->kids[i]->line,
			    "'roles': unknown role '%s'; known roles: %s", s,
			    known);
		} else if ((c->declared & ROLE_BIT(r)) != 0) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'roles': role '%s' is listed twice", s);
		} else {
			c->declared |= ROLE_BIT(r);
		}
	}
	if (n->nkids == 0) {
		yamltree_err(
		    &c->d, n->line, "'roles' must name at least one role");
	}
}

static void
parse_ops(struct pctx *c, const struct yamltree_node *n, size_t **op_line)
{
	struct policy *p = c->p;
	char           what[96], known[256];
	const char    *s;
	size_t         i;
	int            before = c->d.nerrors;

	if (n == NULL ||
	    !yamltree_is_kind(&c->d, n, YAMLTREE_MAP, "operations")) {
		return;
	}
	p->ops   = calloc(n->nkids / 2 + 1, sizeof(*p->ops));
	*op_line = calloc(n->nkids / 2 + 1, sizeof(**op_line));
	if (p->ops == NULL || *op_line == NULL) {
		yamltree_oom(&c->d, n->line);
		return;
	}
	for (i = 0; i + 1 < n->nkids; i += 2) {
		if (n->kids[i]->bad) {
			continue;
		}
		s = n->kids[i]->str;
		snprintf(what, sizeof(what), "operations.%s", s);
		if (yamltree_find(op_names, NOPS, s) < 0) {
			yamltree_join(known, sizeof(known), op_names, NOPS);
			yamltree_err(&c->d, n->kids[i]->line,
			    "unknown operation '%s'; known operations: %s", s,
			    known);
			continue;
		}
		(*op_line)[p->nops] = n->kids[i]->line;
		p->ops[p->nops].name =
		    yamltree_strdup(&c->d, s, n->kids[i]->line);
		policy_read_roles(
		    c, n->kids[i + 1], what, &p->ops[p->nops].roles, false);
		p->nops++;
	}
	if (c->d.nerrors == before) {
		c->act_known = true;
		for (i = 0; i < p->nops; i++) {
			if (strcmp(p->ops[i].name, WAGE_OP_CASE_ACT) == 0) {
				c->act_roles = p->ops[i].roles;
			}
		}
	}
}

static bool
parse_scope(struct pctx *c, const struct yamltree_node *n)
{
	static const char *const    keys[] = { "region", "organisation" };
	const struct yamltree_node *v[2];
	struct policy              *p      = c->p;
	int                         before = c->d.nerrors, r;

	if (n == NULL || !yamltree_is_kind(&c->d, n, YAMLTREE_MAP, "scope")) {
		return (false);
	}
	yamltree_map_keys(&c->d, n, "'scope'", keys, 2, v);
	if (v[0] != NULL) {
		policy_read_roles(
		    c, v[0], "scope.region", &p->scope_region, false);
	}
	if (v[1] != NULL) {
		policy_read_roles(
		    c, v[1], "scope.organisation", &p->scope_org, false);
	}
	for (r = 0; r < ROLE__COUNT; r++) {
		if ((p->scope_region & p->scope_org & ROLE_BIT(r)) != 0) {
			yamltree_err(&c->d, v[1]->line,
			    "role '%s' is in both scope.region and "
			    "scope.organisation: a role sees cases one way",
			    policy_role_names[r]);
		}
	}
	return (c->d.nerrors == before);
}

static void
parse_states(struct pctx *c, const struct yamltree_node *n)
{
	static const char *const keys[] = { "name", "label", "phase",
		"initial", "terminal", "clocks" };
	enum { K_NAME, K_LABEL, K_PHASE, K_INITIAL, K_TERMINAL, K_CLOCKS };
	const struct yamltree_node *v[NELEM(keys)];
	struct policy              *p = c->p;
	struct policy_state        *st;
	char                        what[96], pre[80], allowed[64];
	const char                 *s;
	size_t                      i, j, ninitial = 0;
	bool                        initial_bad = false;

	if (n == NULL || !yamltree_is_kind(&c->d, n, YAMLTREE_SEQ, "states")) {
		return;
	}
	c->states_line = n->line;
	p->states      = calloc(n->nkids + 1, sizeof(*p->states));
	c->state_line  = calloc(n->nkids + 1, sizeof(*c->state_line));
	if (p->states == NULL || c->state_line == NULL) {
		yamltree_oom(&c->d, n->line);
		return;
	}
	p->nstates = n->nkids;
	for (i = 0; i < n->nkids; i++) {
		st               = &p->states[i];
		c->state_line[i] = n->kids[i]->line;
		snprintf(pre, sizeof(pre), "states[%zu]", i);
		if (!yamltree_is_kind(&c->d, n->kids[i], YAMLTREE_MAP, pre)) {
			continue;
		}
		yamltree_map_keys(
		    &c->d, n->kids[i], "a state", keys, NELEM(keys), v);
		snprintf(what, sizeof(what), "'%s'", pre);
		yamltree_need(&c->d, n->kids[i], v[K_NAME], "name", what);
		snprintf(what, sizeof(what), "states[%zu].name", i);
		if ((s = yamltree_name(
		         &c->d, v[K_NAME], what, POLICY_MAX_NAME)) != NULL) {
			for (j = 0; j < i; j++) {
				if (p->states[j].name != NULL &&
				    strcmp(p->states[j].name, s) == 0) {
					yamltree_err(&c->d, v[K_NAME]->line,
					    "duplicate state '%s' (first at "
					    "line %zu)",
					    s, c->state_line[j]);
					break;
				}
			}
			if (j == i) {
				st->name =
				    yamltree_strdup(&c->d, s, v[K_NAME]->line);
				snprintf(pre, sizeof(pre), "states.%s", s);
			}
		}
		if (v[K_LABEL] != NULL) {
			snprintf(what, sizeof(what), "%s.label", pre);
			st->label = yamltree_strdup(&c->d,
			    yamltree_text(
			        &c->d, v[K_LABEL], what, POLICY_MAX_LABEL),
			    v[K_LABEL]->line);
		}
		snprintf(what, sizeof(what), "state '%s'",
		    st->name != NULL ? st->name : "?");
		yamltree_need(&c->d, n->kids[i], v[K_PHASE], "phase", what);
		snprintf(what, sizeof(what), "%s.phase", pre);
		if ((s = yamltree_str(&c->d, v[K_PHASE], what)) != NULL) {
			if (yamltree_find(phase_names, NELEM(phase_names), s) <
			    0) {
				yamltree_join(allowed, sizeof(allowed),
				    phase_names, NELEM(phase_names));
				yamltree_err(&c->d, v[K_PHASE]->line,
				    "'%s': unknown phase '%s'; allowed: %s",
				    what, s, allowed);
			} else {
				st->phase = yamltree_strdup(
				    &c->d, s, v[K_PHASE]->line);
			}
		}
		if (v[K_INITIAL] != NULL) {
			snprintf(what, sizeof(what), "%s.initial", pre);
			if (!yamltree_bool(
			        &c->d, v[K_INITIAL], what, &st->initial)) {
				initial_bad = true;
			}
		}
		if (v[K_TERMINAL] != NULL) {
			snprintf(what, sizeof(what), "%s.terminal", pre);
			yamltree_bool(
			    &c->d, v[K_TERMINAL], what, &st->terminal);
		}
		if (v[K_CLOCKS] != NULL) {
			snprintf(what, sizeof(what), "%s.clocks", pre);
			pclk_ops(c, v[K_CLOCKS], what, true, &st->on_entry);
		}
		if (st->initial) {
			if (ninitial++ == 0) {
				p->initial = i;
			} else {
				yamltree_err(&c->d, c->state_line[i],
				    "state '%s' is marked initial, but so is "
				    "'%s' (line %zu): exactly one state is "
				    "initial",
				    st->name != NULL ? st->name : "?",
				    p->states[p->initial].name != NULL
				        ? p->states[p->initial].name
				        : "?",
				    c->state_line[p->initial]);
			}
			if (st->terminal) {
				yamltree_err(&c->d, c->state_line[i],
				    "the initial state '%s' must not be "
				    "terminal",
				    st->name != NULL ? st->name : "?");
			}
		}
	}
	if (n->nkids == 0) {
		yamltree_err(
		    &c->d, n->line, "'states' must list at least one state");
	} else if (ninitial == 0 && !initial_bad) {
		yamltree_err(&c->d, n->line,
		    "no state is marked 'initial: true': "
		    "exactly one state is initial");
	}
}

/*
 * parse_field_bounds: a date's bounds relative to the day of the event
 * (min_days_from_today, max_days_from_today, with the basis that sets
 * them) and a money field's ceiling (at_most: claimed or owed).
 */
static void
parse_field_bounds(struct pctx *c, const struct yamltree_node *mind,
    const struct yamltree_node *maxd, const struct yamltree_node *basis,
    const struct yamltree_node *atmost, const char *pre, long t,
    struct policy_field *f)
{
	char        what[112];
	long long   x;
	const char *s;

	if (t >= 0 && t != PF_DATE && (mind != NULL || maxd != NULL)) {
		yamltree_err(&c->d, (mind != NULL ? mind : maxd)->line,
		    "'%s': min_days_from_today and max_days_from_today are "
		    "only allowed for type date",
		    pre);
		return;
	}
	snprintf(what, sizeof(what), "%s.min_days_from_today", pre);
	if (mind != NULL && yamltree_int(&c->d, mind, what, &x)) {
		if (x < -CALENDAR_MAX_DAYS || x > CALENDAR_MAX_DAYS) {
			yamltree_err(&c->d, mind->line,
			    "'%s' must be from %d to %d", what,
			    -CALENDAR_MAX_DAYS, CALENDAR_MAX_DAYS);
		}
		f->has_min_days = true;
		f->min_days     = (int) x;
	}
	snprintf(what, sizeof(what), "%s.max_days_from_today", pre);
	if (maxd != NULL && yamltree_int(&c->d, maxd, what, &x)) {
		if (x < -CALENDAR_MAX_DAYS || x > CALENDAR_MAX_DAYS) {
			yamltree_err(&c->d, maxd->line,
			    "'%s' must be from %d to %d", what,
			    -CALENDAR_MAX_DAYS, CALENDAR_MAX_DAYS);
		}
		f->has_max_days = true;
		f->max_days     = (int) x;
	}
	if (f->has_min_days && f->has_max_days && f->min_days > f->max_days) {
		yamltree_err(&c->d, mind->line,
		    "'%s': min_days_from_today is above max_days_from_today",
		    pre);
	}
	snprintf(what, sizeof(what), "%s.basis", pre);
	if (basis != NULL) {
		f->bound_basis = yamltree_strdup(&c->d,
		    yamltree_text(&c->d, basis, what, POLICY_MAX_LABEL),
		    basis->line);
	} else if (mind != NULL || maxd != NULL || atmost != NULL) {
		yamltree_err(&c->d,
		    (mind != NULL          ? mind
		            : maxd != NULL ? maxd
		                           : atmost)
		        ->line,
		    "'%s' has a bound but no 'basis': name the rule that "
		    "sets it",
		    pre);
	}
	snprintf(what, sizeof(what), "%s.at_most", pre);
	if ((s = yamltree_str(&c->d, atmost, what)) != NULL) {
		if (t >= 0 && t != PF_FEN) {
			yamltree_err(&c->d, atmost->line,
			    "'%s' is only allowed for type fen", what);
		} else if (strcmp(s, "claimed") == 0) {
			f->at_most = FIELD_AT_MOST_CLAIMED;
		} else if (strcmp(s, "owed") == 0) {
			f->at_most = FIELD_AT_MOST_OWED;
		} else {
			yamltree_err(&c->d, atmost->line,
			    "'%s' must be claimed (no more than the claim) or "
			    "owed (no more than the agreement or award)",
			    what);
		}
	}
}

static void
parse_field(struct pctx *c, const struct yamltree_node *kn,
    const struct yamltree_node *n, struct policy_field *f)
{
	static const char *const keys[] = { "type", "label", "values", "min",
		"max", "min_days_from_today", "max_days_from_today", "basis",
		"at_most" };
	enum {
		K_TYPE,
		K_LABEL,
		K_VALUES,
		K_MIN,
		K_MAX,
		K_MINDAYS,
		K_MAXDAYS,
		K_FBASIS,
		K_ATMOST
	};
	const struct yamltree_node *v[NELEM(keys)];
	char                        pre[80], what[96], allowed[96];
	const char                 *s;
	size_t                      i, j;
	long                        t = -1;

	snprintf(pre, sizeof(pre), "fields.%s", kn->str);
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_MAP, pre)) {
		return;
	}
	yamltree_map_keys(&c->d, n, "a field", keys, NELEM(keys), v);
	snprintf(what, sizeof(what), "field '%s'", kn->str);
	yamltree_need(&c->d, n, v[K_TYPE], "type", what);
	snprintf(what, sizeof(what), "%s.type", pre);
	if ((s = yamltree_str(&c->d, v[K_TYPE], what)) != NULL) {
		t = yamltree_find(ftype_names, NELEM(ftype_names), s);
		if (t < 0) {
			yamltree_join(allowed, sizeof(allowed), ftype_names,
			    NELEM(ftype_names));
			yamltree_err(&c->d, v[K_TYPE]->line,
			    "'%s': unknown type '%s'; allowed: %s", what, s,
			    allowed);
		} else {
			f->type = (enum policy_ftype) t;
		}
	}
	if (v[K_LABEL] != NULL) {
		snprintf(what, sizeof(what), "%s.label", pre);
		f->label = yamltree_strdup(&c->d,
		    yamltree_text(&c->d, v[K_LABEL], what, POLICY_MAX_LABEL),
		    v[K_LABEL]->line);
	}

	/* values: for enum only, and required there. */
	snprintf(what, sizeof(what), "%s.values", pre);
	if (t == PF_ENUM && v[K_VALUES] == NULL) {
		yamltree_err(&c->d, n->line,
		    "field '%s' is of type enum but has no "
		    "'values'",
		    kn->str);
	} else if (t >= 0 && t != PF_ENUM && v[K_VALUES] != NULL) {
		yamltree_err(&c->d, v[K_VALUES]->line,
		    "'%s' is only allowed for type enum", what);
	} else if (t == PF_ENUM &&
	    yamltree_is_kind(&c->d, v[K_VALUES], YAMLTREE_SEQ, what)) {
		if (v[K_VALUES]->nkids == 0) {
			yamltree_err(&c->d, v[K_VALUES]->line,
			    "'%s' must list at least one value", what);
		}
		f->values = calloc(v[K_VALUES]->nkids + 1, sizeof(char *));
		if (f->values == NULL) {
			yamltree_oom(&c->d, v[K_VALUES]->line);
			return;
		}
		for (i = 0; i < v[K_VALUES]->nkids; i++) {
			const struct yamltree_node *e = v[K_VALUES]->kids[i];

			if ((s = yamltree_text(
			         &c->d, e, what, POLICY_MAX_LABEL)) == NULL) {
				continue;
			}
			for (j = 0; j < f->nvalues; j++) {
				if (strcmp(f->values[j], s) == 0) {
					break;
				}
			}
			if (j < f->nvalues) {
				yamltree_err(&c->d, e->line,
				    "'%s': value '%s' is listed twice", what,
				    s);
			} else if ((f->values[f->nvalues] = yamltree_strdup(
			                &c->d, s, e->line)) != NULL) {
				f->nvalues++;
			}
		}
	}

	parse_field_bounds(c, v[K_MINDAYS], v[K_MAXDAYS], v[K_FBASIS],
	    v[K_ATMOST], pre, t, f);

	/* min and max: for int only, and both required there. */
	if (t >= 0 && t != PF_INT) {
		if (v[K_MIN] != NULL) {
			yamltree_err(&c->d, v[K_MIN]->line,
			    "'%s.min' is only allowed for type int", pre);
		}
		if (v[K_MAX] != NULL) {
			yamltree_err(&c->d, v[K_MAX]->line,
			    "'%s.max' is only allowed for type int", pre);
		}
	} else if (t == PF_INT) {
		bool okmin = false, okmax = false;

		yamltree_need(&c->d, n, v[K_MIN], "min", "this int field");
		yamltree_need(&c->d, n, v[K_MAX], "max", "this int field");
		snprintf(what, sizeof(what), "%s.min", pre);
		okmin = yamltree_int(&c->d, v[K_MIN], what, &f->min);
		snprintf(what, sizeof(what), "%s.max", pre);
		okmax = yamltree_int(&c->d, v[K_MAX], what, &f->max);
		if (okmin && okmax && f->min > f->max) {
			yamltree_err(&c->d, v[K_MIN]->line,
			    "'%s.min' (%lld) is greater than '%s.max' (%lld)",
			    pre, f->min, pre, f->max);
		}
	}
}

static void
parse_fields(struct pctx *c, const struct yamltree_node *n)
{
	struct policy *p = c->p;
	char           what[96];
	const char    *s;
	size_t         i;

	if (n == NULL || !yamltree_is_kind(&c->d, n, YAMLTREE_MAP, "fields")) {
		return;
	}
	p->fields     = calloc(n->nkids / 2 + 1, sizeof(*p->fields));
	c->field_line = calloc(n->nkids / 2 + 1, sizeof(*c->field_line));
	if (p->fields == NULL || c->field_line == NULL) {
		yamltree_oom(&c->d, n->line);
		return;
	}
	/* Duplicate names are duplicate keys: the tree reported them. */
	for (i = 0; i + 1 < n->nkids; i += 2) {
		if (n->kids[i]->bad) {
			continue;
		}
		snprintf(what, sizeof(what), "fields.%s", n->kids[i]->str);
		if ((s = yamltree_name(
		         &c->d, n->kids[i], what, POLICY_MAX_NAME)) == NULL) {
			continue;
		}
		c->field_line[p->nfields] = n->kids[i]->line;
		p->fields[p->nfields].name =
		    yamltree_strdup(&c->d, s, n->kids[i]->line);
		parse_field(
		    c, n->kids[i], n->kids[i + 1], &p->fields[p->nfields]);
		p->nfields++;
	}
}

/*
 * parse_filing reads the optional "filing" section:
 *   filing: {max_days_back: 30, backdate_roles: [clerk], basis: ...}
 */
static void
parse_filing(struct pctx *c, const struct yamltree_node *n)
{
	static const char *const keys[] = { "max_days_back", "backdate_roles",
		"basis" };
	const struct yamltree_node *v[NELEM(keys)];
	struct policy              *p = c->p;
	const char                 *t;
	long long                   d;

	p->filing_max_days_back = -1;
	if (n == NULL || !yamltree_is_kind(&c->d, n, YAMLTREE_MAP, "filing")) {
		return;
	}
	yamltree_map_keys(&c->d, n, "'filing'", keys, NELEM(keys), v);
	yamltree_need(&c->d, n, v[0], "max_days_back", "'filing'");
	yamltree_need(&c->d, n, v[1], "backdate_roles", "'filing'");
	yamltree_need(&c->d, n, v[2], "basis", "'filing'");
	if (v[0] != NULL &&
	    yamltree_int(&c->d, v[0], "filing.max_days_back", &d)) {
		if (d < 0 || d > 3650) {
			yamltree_err(&c->d, v[0]->line,
			    "'filing.max_days_back' must be from 0 to 3650");
		} else {
			p->filing_max_days_back = (int) d;
		}
	}
	if (v[1] != NULL) {
		policy_read_roles(c, v[1], "filing.backdate_roles",
		    &p->filing_backdate_roles, false);
	}
	if ((t = yamltree_text(
	         &c->d, v[2], "filing.basis", POLICY_MAX_LABEL)) != NULL) {
		p->filing_basis = yamltree_strdup(&c->d, t, v[2]->line);
	}
}

static void
build(struct pctx *c, const struct yamltree_node *root)
{
	static const char *const keys[] = { "name", "version", "roles",
		"operations", "scope", "unmasked", "clocks", "states",
		"fields", "events", "priority", "award_clocks", "service",
		"filing" };
	enum {
		T_NAME,
		T_VERSION,
		T_ROLES,
		T_OPS,
		T_SCOPE,
		T_UNMASKED,
		T_CLOCKS,
		T_STATES,
		T_FIELDS,
		T_EVENTS,
		T_PRIORITY,
		T_AWARD_CLOCKS,
		T_SERVICE,
		T_FILING
	};
	const struct yamltree_node *v[NELEM(keys)];
	struct policy              *p       = c->p;
	size_t                     *op_line = NULL, i, ninitial = 0;
	bool                        scope_ok, states_ok;
	int                         before;

	p->filing_max_days_back     = -1;
	p->clock_challenge_worker   = SIZE_MAX;
	p->clock_challenge_employer = SIZE_MAX;
	p->clock_challenge_nonfinal = SIZE_MAX;
	for (i = 0; i < PARTY__COUNT; i++) {
		p->clock_challenge_nonfinal_party[i] = SIZE_MAX;
	}
	if (root->bad) {
		return;
	}
	if (root->kind != YAMLTREE_MAP) {
		yamltree_err(&c->d, root->line,
		    "the policy must be a mapping of name, "
		    "version, roles, operations, scope, "
		    "states, fields, events");
		return;
	}
	yamltree_map_keys(&c->d, root, "the policy", keys, NELEM(keys), v);
	for (i = 0; i < NELEM(keys); i++) {
		/* unmasked, clocks, priority and award_clocks may be left
		 * out: a policy without clocks has no deadlines. */
		if (i != T_UNMASKED && i != T_CLOCKS && i != T_PRIORITY &&
		    i != T_AWARD_CLOCKS && i != T_SERVICE && i != T_FILING &&
		    v[i] == NULL) {
			yamltree_err(&c->d, root->line,
			    "missing top-level key '%s'", keys[i]);
		}
	}
	p->name    = yamltree_strdup(&c->d,
	       yamltree_text(&c->d, v[T_NAME], "name", POLICY_MAX_LABEL), 1);
	p->version = yamltree_strdup(&c->d,
	    yamltree_text(&c->d, v[T_VERSION], "version", POLICY_MAX_LABEL),
	    1);

	parse_declared_roles(c, v[T_ROLES]);
	parse_ops(c, v[T_OPS], &op_line);
	scope_ok = parse_scope(c, v[T_SCOPE]);
	if (v[T_UNMASKED] != NULL) {
		policy_read_roles(
		    c, v[T_UNMASKED], "unmasked", &p->unmasked, false);
	}
	if (scope_ok && c->act_known) {
		pc_check_scoped(c, op_line);
	}
	free(op_line);

	/* Clocks first: states and events name them. */
	pclk_parse_clocks(c, v[T_CLOCKS]);
	before = c->d.nerrors;
	parse_states(c, v[T_STATES]);
	states_ok = before == c->d.nerrors;
	for (i = 0; i < p->nstates; i++) {
		if (p->states[i].initial) {
			ninitial++;
		}
	}
	parse_fields(c, v[T_FIELDS]);
	pclk_check_until(c);
	psvc_parse(c, v[T_SERVICE]);
	pc_parse_events(c, v[T_EVENTS]);
	pc_parse_priority(c, v[T_PRIORITY]);
	parse_filing(c, v[T_FILING]);
	pclk_parse_award(c, v[T_AWARD_CLOCKS]);
	if (p->nstates > 0 && !c->d.oom) {
		pc_check_graph(c, ninitial == 1 && states_ok);
		pclk_check_closed(c);
	}
}

int
policy_load_buffer(const char *name, const char *buf, size_t len,
    struct policy **out, FILE *diag, int *nerrors)
{
	static const struct yamltree_rules rules = {
		.mode       = YAMLTREE_MARK_BAD,
		.max_bytes  = POLICY_MAX_BYTES,
		.max_depth  = POLICY_MAX_DEPTH,
		.max_items  = POLICY_MAX_ITEMS,
		.what       = "a policy",
		.empty      = "the file is empty: expected a policy mapping "
		              "(name, version, roles, ...)",
		.second_doc = "only one YAML document is allowed in a policy "
		              "file",
	};
	struct pctx           c;
	struct yamltree_node *root = NULL;
	unsigned char         digest[32];
	static const char     hex[] = "0123456789abcdef";
	size_t                i;

	memset(&c, 0, sizeof(c));
	yamltree_diag_init(&c.d, name != NULL ? name : "policy", diag);
	*out = NULL;
	if (buf == NULL) {
		buf = "";
		len = 0;
	}
	if ((c.p = calloc(1, sizeof(*c.p))) == NULL) {
		yamltree_oom(&c.d, 1);
		goto done;
	}
	if ((root = yamltree_load(&c.d, buf, len, &rules)) != NULL) {
		build(&c, root);
	}
	if (c.d.nerrors == 0) {
		if (mbedtls_sha256_ret(
		        (const unsigned char *) buf, len, digest, 0) != 0) {
			yamltree_err(
			    &c.d, 1, "cannot compute the SHA-256 of the file");
		}
		for (i = 0; i < sizeof(digest); i++) {
			c.p->hash_hex[2 * i]     = hex[digest[i] >> 4];
			c.p->hash_hex[2 * i + 1] = hex[digest[i] & 0xf];
		}
		c.p->hash_hex[64] = '\0';
	}
done:
	yamltree_flush(&c.d);
	yamltree_free(root);
	free(c.state_line);
	free(c.field_line);
	free(c.event_line);
	free(c.from_line);
	free(c.clock_has_ext);
	free(c.until_line);
	if (nerrors != NULL) {
		*nerrors = c.d.nerrors;
	}
	if (c.d.nerrors > 0) {
		policy_free(c.p);
		return (-1);
	}
	*out = c.p;
	return (0);
}

int
policy_load_file(
    const char *path, struct policy **out, FILE *diag, int *nerrors)
{
	struct wage_error e;
	char             *buf;
	size_t            len;
	int               rc, rv;

	*out = NULL;
	if (nerrors != NULL) {
		*nerrors = 1;
	}
	rc = fileio_read(path, POLICY_MAX_BYTES, 0, &buf, &len, &e);
	if (rc == WAGE_E_TOO_LARGE) {
		if (diag != NULL) {
			fprintf(
			    diag, "%s:1: %s: not a policy\n", path, e.message);
		}
		return (-1);
	}
	if (rc != WAGE_OK) {
		if (diag != NULL) {
			fprintf(diag, "%s: %s\n", path, e.message);
		}
		return (-1);
	}
	rv = policy_load_buffer(path, buf, len, out, diag, nerrors);
	free(buf);
	return (rv);
}

void
policy_free(struct policy *p)
{
	size_t i, j;

	if (p == NULL) {
		return;
	}
	free(p->name);
	free(p->version);
	free(p->filing_basis);
	for (i = 0; i < p->nstates; i++) {
		free(p->states[i].name);
		free(p->states[i].label);
		free(p->states[i].phase);
		pclk_ops_free(&p->states[i].on_entry);
	}
	free(p->states);
	for (i = 0; i < p->nfields; i++) {
		free(p->fields[i].name);
		free(p->fields[i].label);
		for (j = 0; j < p->fields[i].nvalues; j++) {
			free(p->fields[i].values[j]);
		}
		free(p->fields[i].values);
		free(p->fields[i].bound_basis);
	}
	free(p->fields);
	for (i = 0; i < p->nevents; i++) {
		free(p->events[i].name);
		free(p->events[i].label);
		free(p->events[i].from);
		free(p->events[i].requires);
		free(p->events[i].optional);
		free(p->events[i].basis);
		pclk_ops_free(&p->events[i].clocks);
		free(p->events[i].after_expiry);
		free(p->events[i].before_expiry);
		free(p->events[i].within_window);
		free(p->events[i].after_expiry_all);
	}
	free(p->events);
	for (i = 0; i < p->nops; i++) {
		free(p->ops[i].name);
	}
	free(p->ops);
	for (i = 0; i < p->nclocks; i++) {
		free(p->clocks[i].name);
		free(p->clocks[i].label);
		free(p->clocks[i].basis);
		free(p->clocks[i].until);
	}
	free(p->clocks);
	psvc_free(&p->service);
	for (i = 0; i < p->npriority; i++) {
		free(p->priority[i]);
	}
	free(p->priority);
	free(p);
}

static const char *const party_names[PARTY__COUNT] = {
	[PARTY_NONE]     = "",
	[PARTY_WORKER]   = "worker",
	[PARTY_EMPLOYER] = "employer",
};

const char *const policy_power_names[POLICY_NPOWERS + 1] = { "file", "mediate",
	"arbitrate", "settle", "withdraw", "concede", "change_claim",
	"receive_payment", "appeal", NULL };

static const char *const power_labels[] = { "申请", "调解", "仲裁", "和解",
	"撤回", "放弃请求", "变更请求", "代收款项", "起诉", NULL };

int
policy_power_find(const char *name)
{
	int i;

	for (i = 0; name != NULL && policy_power_names[i] != NULL; i++) {
		if (strcmp(name, policy_power_names[i]) == 0) {
			return (i);
		}
	}
	return (-1);
}

const char *
policy_power_label(int power)
{
	return (
	    power >= 0 && power < POLICY_NPOWERS ? power_labels[power] : "");
}

const char *
policy_party_name(int party)
{
	return (party > 0 && party < PARTY__COUNT ? party_names[party] : "");
}

int
policy_party_from_name(const char *name)
{
	int i;

	for (i = 1; name != NULL && i < PARTY__COUNT; i++) {
		if (strcmp(name, party_names[i]) == 0) {
			return (i);
		}
	}
	return (-1);
}

const struct policy_document *
policy_document_find(const struct policy *p, const char *name)
{
	size_t i;

	for (i = 0; p != NULL && name != NULL && i < p->service.ndocuments;
	     i++) {
		if (strcmp(p->service.documents[i].name, name) == 0) {
			return (&p->service.documents[i]);
		}
	}
	return (NULL);
}

long
policy_state_find(const struct policy *p, const char *name)
{
	size_t i;

	if (p == NULL || name == NULL) {
		return (-1);
	}
	for (i = 0; i < p->nstates; i++) {
		if (p->states[i].name != NULL &&
		    strcmp(p->states[i].name, name) == 0) {
			return ((long) i);
		}
	}
	return (-1);
}

const struct policy_event *
policy_event_find(const struct policy *p, const char *name)
{
	size_t i;

	if (p == NULL || name == NULL) {
		return (NULL);
	}
	for (i = 0; i < p->nevents; i++) {
		if (p->events[i].name != NULL &&
		    strcmp(p->events[i].name, name) == 0) {
			return (&p->events[i]);
		}
	}
	return (NULL);
}

long
policy_clock_find(const struct policy *p, const char *name)
{
	size_t i;

	if (p == NULL || name == NULL) {
		return (-1);
	}
	for (i = 0; i < p->nclocks; i++) {
		if (p->clocks[i].name != NULL &&
		    strcmp(p->clocks[i].name, name) == 0) {
			return ((long) i);
		}
	}
	return (-1);
}

long
policy_field_find(const struct policy *p, const char *name)
{
	size_t i;

	if (p == NULL || name == NULL) {
		return (-1);
	}
	for (i = 0; i < p->nfields; i++) {
		if (p->fields[i].name != NULL &&
		    strcmp(p->fields[i].name, name) == 0) {
			return ((long) i);
		}
	}
	return (-1);
}

bool
policy_op_allowed(const struct policy *p, const char *op, int role)
{
	size_t i;

	if (p == NULL || op == NULL || role < 0 || role >= ROLE__COUNT) {
		return (false);
	}
	for (i = 0; i < p->nops; i++) {
		if (strcmp(p->ops[i].name, op) == 0) {
			return ((p->ops[i].roles & ROLE_BIT(role)) != 0);
		}
	}
	return (false);
}

int
policy_role_from_name(const char *name)
{
	int r;

	if (name == NULL) {
		return (-1);
	}
	for (r = 0; r < ROLE__COUNT; r++) {
		if (strcmp(policy_role_names[r], name) == 0) {
			return (r);
		}
	}
	return (-1);
}

const char *
policy_role_name(int role)
{
	if (role == ROLE_SYSTEM) {
		return ("system");
	}
	if (role < 0 || role >= ROLE__COUNT) {
		return ("?");
	}
	return (policy_role_names[role]);
}

const char *
policy_ftype_name(int type)
{
	if (type < 0 || type >= PF__COUNT) {
		return ("?");
	}
	return (ftype_names[type]);
}
