/* SPDX-License-Identifier: MIT */
/*
 * policy_clock.c - the legal clocks of a policy (see policy_int.h for the
 * split of the loader):
 *  - clocks: the periods of DOMAIN.md "Counting time", each with its
 *    length, unit (calendar_days / working_days), legal basis, whether it
 *    is a policy target rather than a statutory limit, and the limits of
 *    its extension;
 *  - the clock actions of a state (on entry) or an event: start, stop,
 *    suspend, resume, restart, extend, each a list of clock names, a
 *    clock at most once per state or event;
 *  - award_clocks: the challenge windows an award starts (Art 48-50);
 *  - that a closed case keeps no clock running.
 * Must not: decide how a clock counts (calendar.c) or act on a case
 * (ops.c): it only checks that the policy's clocks fit together.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "policy.h"
#include "policy_int.h"

#define CLOCK_MAX_EXTENSIONS 10 /* times one clock may be extended */

/* The keys of a "clocks" block, by enum policy_clock_action. */
static const char *const action_names[CLK__COUNT] = {
	[CLK_START]   = "start",
	[CLK_STOP]    = "stop",
	[CLK_SUSPEND] = "suspend",
	[CLK_RESUME]  = "resume",
	[CLK_RESTART] = "restart",
	[CLK_EXTEND]  = "extend",
};

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
 * Clocks.
 */

/* basis_text reads a legal basis: required and never blank. */
static char *
basis_text(struct pctx *c, const struct yamltree_node *n, const char *what,
    const char *why)
{
	if (n != NULL && !n->bad && n->kind == YAMLTREE_SCALAR &&
	    strspn(n->str, " \t") == n->len) {
		yamltree_err(
		    &c->d, n->line, "'%s' must not be empty: %s", what, why);
		return (NULL);
	}
	if (n == NULL) {
		return (NULL);
	}
	return (yamltree_strdup(
	    &c->d, yamltree_text(&c->d, n, what, POLICY_MAX_LABEL), n->line));
}

/* int_in reads a whole number within [lo, hi] into *out. */
static bool
int_in(struct pctx *c, const struct yamltree_node *n, const char *what,
    long long lo, long long hi, int *out)
{
	long long v;

	if (!yamltree_int(&c->d, n, what, &v)) {
		return (false);
	}
	if (v < lo || v > hi) {
		yamltree_err(&c->d, n->line, "'%s' must be from %lld to %lld",
		    what, lo, hi);
		return (false);
	}
	*out = (int) v;
	return (true);
}

static void
parse_extension(struct pctx *c, const struct yamltree_node *n, const char *pre,
    struct policy_clock *k)
{
	static const char *const    keys[] = { "max_days", "max_times" };
	const struct yamltree_node *v[NELEM(keys)];
	char                        what[128];
	int                         days = 0, times = 0;
	bool                        ok;

	snprintf(what, sizeof(what), "%s.extension", pre);
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_MAP, what)) {
		return;
	}
	yamltree_map_keys(
	    &c->d, n, "a clock's extension", keys, NELEM(keys), v);
	snprintf(what, sizeof(what), "'%s.extension'", pre);
	yamltree_need(&c->d, n, v[0], "max_days", what);
	yamltree_need(&c->d, n, v[1], "max_times", what);
	snprintf(what, sizeof(what), "%s.extension.max_days", pre);
	ok =
	    v[0] != NULL && int_in(c, v[0], what, 1, CALENDAR_MAX_DAYS, &days);
	snprintf(what, sizeof(what), "%s.extension.max_times", pre);
	ok = v[1] != NULL &&
	    int_in(c, v[1], what, 1, CLOCK_MAX_EXTENSIONS, &times) && ok;
	if (ok) {
		k->extend_max_days  = days;
		k->extend_max_times = times;
	}
}

/*
 * parse_clock returns whether the clock has an "extension" key; *until_line
 * is set to the line of its "until" (checked once the fields are read).
 */
static bool
parse_clock(struct pctx *c, const struct yamltree_node *kn,
    const struct yamltree_node *n, struct policy_clock *k, size_t *until_line)
{
	static const char *const keys[] = { "label", "length", "unit", "basis",
		"target", "extension", "window", "party", "until" };
	enum {
		K_LABEL,
		K_LENGTH,
		K_UNIT,
		K_BASIS,
		K_TARGET,
		K_EXT,
		K_WINDOW,
		K_PARTY,
		K_UNTIL
	};
	const struct yamltree_node *v[NELEM(keys)];
	char                        pre[80], what[128];
	const char                 *s;
	int                         u;

	snprintf(pre, sizeof(pre), "clocks.%s", kn->str);
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_MAP, pre)) {
		return (false);
	}
	yamltree_map_keys(&c->d, n, "a clock", keys, NELEM(keys), v);
	snprintf(what, sizeof(what), "clock '%s'", kn->str);
	if (v[K_UNTIL] == NULL) {
		yamltree_need(&c->d, n, v[K_LENGTH], "length", what);
	} else if (v[K_LENGTH] != NULL) {
		yamltree_err(&c->d, v[K_LENGTH]->line,
		    "clock '%s' has both 'length' and 'until': it runs "
		    "either a number of days or to the date in a field",
		    kn->str);
	}
	yamltree_need(&c->d, n, v[K_UNIT], "unit", what);
	yamltree_need(&c->d, n, v[K_BASIS], "basis", what);
	if (v[K_LABEL] != NULL) {
		snprintf(what, sizeof(what), "%s.label", pre);
		k->label = yamltree_strdup(&c->d,
		    yamltree_text(&c->d, v[K_LABEL], what, POLICY_MAX_LABEL),
		    v[K_LABEL]->line);
	}
	snprintf(what, sizeof(what), "%s.length", pre);
	if (v[K_LENGTH] != NULL) {
		int_in(c, v[K_LENGTH], what, 1, CALENDAR_MAX_DAYS, &k->length);
	}
	snprintf(what, sizeof(what), "%s.unit", pre);
	if ((s = yamltree_str(&c->d, v[K_UNIT], what)) != NULL) {
		if ((u = calendar_unit_from_name(s)) < 0) {
			yamltree_err(&c->d, v[K_UNIT]->line,
			    "'%s': unknown unit '%s'; allowed: %s, %s", what,
			    s, calendar_unit_name(CAL_CALENDAR_DAYS),
			    calendar_unit_name(CAL_WORKING_DAYS));
		} else {
			k->unit = u;
		}
	}
	snprintf(what, sizeof(what), "%s.basis", pre);
	k->basis = basis_text(c, v[K_BASIS], what,
	    "name the law and the article that set this period");
	if (v[K_TARGET] != NULL) {
		snprintf(what, sizeof(what), "%s.target", pre);
		yamltree_bool(&c->d, v[K_TARGET], what, &k->target);
	}
	if (v[K_EXT] != NULL) {
		parse_extension(c, v[K_EXT], pre, k);
	}
	if (v[K_WINDOW] != NULL) {
		snprintf(what, sizeof(what), "%s.window", pre);
		yamltree_bool(&c->d, v[K_WINDOW], what, &k->window);
	}
	snprintf(what, sizeof(what), "%s.party", pre);
	if ((s = yamltree_str(&c->d, v[K_PARTY], what)) != NULL) {
		if ((u = policy_party_from_name(s)) < 0) {
			yamltree_err(&c->d, v[K_PARTY]->line,
			    "'%s': unknown party '%s'; allowed: worker, "
			    "employer",
			    what, s);
		} else {
			k->party = u;
		}
	}
	snprintf(what, sizeof(what), "%s.until", pre);
	if ((s = yamltree_name(&c->d, v[K_UNTIL], what, POLICY_MAX_NAME)) !=
	    NULL) {
		/* The field is checked once fields are read. */
		k->until    = yamltree_strdup(&c->d, s, v[K_UNTIL]->line);
		*until_line = v[K_UNTIL]->line;
		if (v[K_EXT] != NULL) {
			yamltree_err(&c->d, v[K_EXT]->line,
			    "clock '%s' runs to the date in '%s': it has no "
			    "extension",
			    kn->str, s);
		}
	}
	return (v[K_EXT] != NULL);
}

void
pclk_parse_clocks(struct pctx *c, const struct yamltree_node *n)
{
	struct policy *p = c->p;
	char           what[96];
	const char    *s;
	size_t         i;

	c->clocks_ok = true;
	if (n == NULL) {
		return;
	}
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_MAP, "clocks")) {
		/* Reported: do not cascade into every clock name. */
		c->clocks_ok = false;
		return;
	}
	p->clocks        = calloc(n->nkids / 2 + 1, sizeof(*p->clocks));
	c->clock_has_ext = calloc(n->nkids / 2 + 1, sizeof(*c->clock_has_ext));
	c->until_line    = calloc(n->nkids / 2 + 1, sizeof(*c->until_line));
	if (p->clocks == NULL || c->clock_has_ext == NULL ||
	    c->until_line == NULL) {
		yamltree_oom(&c->d, n->line);
		c->clocks_ok = false;
		return;
	}
	/* Two clocks of one name are a duplicate key: the tree said so. */
	for (i = 0; i + 1 < n->nkids; i += 2) {
		if (n->kids[i]->bad) {
			continue;
		}
		snprintf(what, sizeof(what), "clocks.%s", n->kids[i]->str);
		if ((s = yamltree_name(
		         &c->d, n->kids[i], what, POLICY_MAX_NAME)) == NULL) {
			continue;
		}
		p->clocks[p->nclocks].name =
		    yamltree_strdup(&c->d, s, n->kids[i]->line);
		c->clock_has_ext[p->nclocks] =
		    parse_clock(c, n->kids[i], n->kids[i + 1],
		        &p->clocks[p->nclocks], &c->until_line[p->nclocks]);
		p->nclocks++;
	}
}

/*
 * pclk_ref resolves a clock name at n; reports an unknown one (unless
 * the clocks section itself was broken). Returns the index or -1.
 */
long
pclk_ref(struct pctx *c, const struct yamltree_node *n, const char *what)
{
	const char *s;
	long        k;

	if ((s = yamltree_str(&c->d, n, what)) == NULL) {
		return (-1);
	}
	if ((k = policy_clock_find(c->p, s)) < 0 && c->clocks_ok) {
		yamltree_err(&c->d, n->line, "'%s': unknown clock '%s'%s",
		    what, s,
		    c->p->nclocks == 0 ? " (there is no 'clocks' section)"
		                       : " (not under 'clocks')");
	}
	return (k);
}

/*
 * pclk_list reads a list of clock names into *idx / *count. seen[k]
 * (one per clock) is 0 or the line where clock k was first listed in this
 * state or event, where[k] the name of that list (compared by address);
 * a clock listed again is reported. Returns false when n is not a list.
 */
bool
pclk_list(struct pctx *c, const struct yamltree_node *n, const char *what,
    size_t **idx, size_t *count, size_t *seen, const char **where)
{
	size_t i;
	long   k;

	*count = 0;
	if (!yamltree_is_kind(&c->d, n, YAMLTREE_SEQ, what)) {
		return (false);
	}
	if ((*idx = calloc(n->nkids + 1, sizeof(**idx))) == NULL) {
		yamltree_oom(&c->d, n->line);
		return (false);
	}
	for (i = 0; i < n->nkids; i++) {
		if ((k = pclk_ref(c, n->kids[i], what)) < 0) {
			continue;
		}
		if (seen[k] != 0 && where[k] == what) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': clock '%s' is listed twice", what,
			    c->p->clocks[k].name);
			continue;
		}
		if (seen[k] != 0) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': clock '%s' is already under '%s' (line "
			    "%zu): one action per clock",
			    what, c->p->clocks[k].name,
			    where[k] != NULL ? where[k] : "?", seen[k]);
			continue;
		}
		seen[k]            = n->kids[i]->line;
		where[k]           = what;
		(*idx)[(*count)++] = (size_t) k;
	}
	return (true);
}

void
pclk_ops(struct pctx *c, const struct yamltree_node *n, const char *pre,
    bool is_state, struct policy_clock_ops *ops)
{
	const struct yamltree_node *v[CLK__COUNT];
	const char                **where;
	char                        what[CLK__COUNT][128];
	size_t                     *seen, i;
	long                        a;

	if (!yamltree_is_kind(&c->d, n, YAMLTREE_MAP, pre)) {
		return;
	}
	yamltree_map_keys(&c->d, n,
	    is_state ? "a state's clocks" : "an event's clocks", action_names,
	    CLK__COUNT, v);
	seen  = calloc(c->p->nclocks + 1, sizeof(*seen));
	where = calloc(c->p->nclocks + 1, sizeof(*where));
	if (seen == NULL || where == NULL) {
		free(seen);
		free(where);
		yamltree_oom(&c->d, n->line);
		return;
	}
	/* In file order, so that a clock under two actions is reported
	 * where it comes the second time. */
	for (i = 0; i + 1 < n->nkids; i += 2) {
		if (n->kids[i]->bad ||
		    (a = yamltree_find(
		         action_names, CLK__COUNT, n->kids[i]->str)) < 0) {
			continue; /* reported by yamltree_map_keys */
		}
		snprintf(
		    what[a], sizeof(what[a]), "%s.%s", pre, action_names[a]);
		if (is_state && a == CLK_EXTEND) {
			yamltree_err(&c->d, n->kids[i]->line,
			    "'%s': a state cannot extend a clock: an "
			    "extension is an event that carries its 'days'",
			    what[a]);
			continue;
		}
		pclk_list(c, n->kids[i + 1], what[a], &ops->idx[a], &ops->n[a],
		    seen, where);
	}
	free(seen);
	free(where);
}

void
pclk_ops_free(struct policy_clock_ops *ops)
{
	int a;

	for (a = 0; a < CLK__COUNT; a++) {
		free(ops->idx[a]);
		ops->idx[a] = NULL;
		ops->n[a]   = 0;
	}
}

void
pclk_parse_award(struct pctx *c, const struct yamltree_node *n)
{
	static const char *const keys[] = { "worker", "employer", "nonfinal",
		"nonfinal_worker", "nonfinal_employer", "from" };
	const struct yamltree_node *v[NELEM(keys)];
	size_t                     *slot[NELEM(keys)];
	char                        what[64];
	const char                 *s;
	size_t                      i;
	long                        k;

	if (n == NULL ||
	    !yamltree_is_kind(&c->d, n, YAMLTREE_MAP, "award_clocks")) {
		return;
	}
	slot[0] = &c->p->clock_challenge_worker;
	slot[1] = &c->p->clock_challenge_employer;
	slot[2] = &c->p->clock_challenge_nonfinal;
	slot[3] = &c->p->clock_challenge_nonfinal_party[PARTY_WORKER];
	slot[4] = &c->p->clock_challenge_nonfinal_party[PARTY_EMPLOYER];
	yamltree_map_keys(&c->d, n, "'award_clocks'", keys, NELEM(keys), v);
	if ((s = yamltree_str(&c->d, v[5], "award_clocks.from")) != NULL) {
		if (strcmp(s, "service") == 0) {
			c->p->windows_from_service = true;
		} else if (strcmp(s, "award") != 0) {
			yamltree_err(&c->d, v[5]->line,
			    "'award_clocks.from' must be award (windows run "
			    "from the award date) or service (from each "
			    "party's receipt of the award, Arts 48-50)");
		}
	}
	if (v[2] != NULL && (v[3] != NULL || v[4] != NULL)) {
		yamltree_err(&c->d, v[2]->line,
		    "'award_clocks': give either 'nonfinal' (one window for "
		    "both parties) or 'nonfinal_worker' and "
		    "'nonfinal_employer', not both");
	}
	for (i = 0; i < 5; i++) {
		if (v[i] == NULL) {
			continue;
		}
		snprintf(what, sizeof(what), "award_clocks.%s", keys[i]);
		if ((k = pclk_ref(c, v[i], what)) >= 0) {
			*slot[i] = (size_t) k;
		}
	}
}

/*
 * Checks across sections.
 */

/*
 * pclk_check_closed: a closed case keeps no clock of the commission's
 * running, or it would show as overdue for ever: every terminal state
 * stops every clock on entry, and does nothing else to them. A party's
 * window (window: true) is the exception: it may run on after closure;
 * a window an award opens (award_clocks, Arts 48-50) must: a terminal
 * state may not stop it.
 */
/* is_award_window: is clock k one of the windows an award opens? */
static bool
is_award_window(const struct policy *p, size_t k)
{
	int i;

	if (k == p->clock_challenge_worker ||
	    k == p->clock_challenge_employer ||
	    k == p->clock_challenge_nonfinal) {
		return (true);
	}
	for (i = 0; i < PARTY__COUNT; i++) {
		if (k == p->clock_challenge_nonfinal_party[i]) {
			return (true);
		}
	}
	return (false);
}

void
pclk_check_closed(struct pctx *c)
{
	const struct policy       *p = c->p;
	const struct policy_state *st;
	char                       missing[160];
	size_t                     s, k, used;
	int                        a, w;

	if (!c->clocks_ok || p->nclocks == 0) {
		return;
	}
	for (s = 0; s < p->nstates; s++) {
		st = &p->states[s];
		if (st->name == NULL || !st->terminal) {
			continue;
		}
		for (a = 0; a < CLK__COUNT; a++) {
			if (a != CLK_STOP && st->on_entry.n[a] > 0) {
				yamltree_err(&c->d, c->state_line[s],
				    "state '%s' is terminal, so its clocks "
				    "may only be stopped, not '%s'",
				    st->name, action_names[a]);
			}
		}
		for (k = 0; k < st->on_entry.n[CLK_STOP]; k++) {
			/* Only a clock marked a window: a policy written
			 * before windows (2026.1, still loaded for the cases
			 * pinned to it) stopped them all, and must load. */
			if (is_award_window(
			        p, st->on_entry.idx[CLK_STOP][k]) &&
			    p->clocks[st->on_entry.idx[CLK_STOP][k]].window) {
				yamltree_err(&c->d, c->state_line[s],
				    "state '%s' is terminal and stops '%s', a "
				    "window an award opens: it runs on after "
				    "the case closes (leave it out of "
				    "states.%s.clocks.stop)",
				    st->name,
				    p->clocks[st->on_entry.idx[CLK_STOP][k]]
				        .name,
				    st->name);
			}
		}
		missing[0] = '\0';
		used       = 0;
		for (k = 0; k < p->nclocks; k++) {
			/* A party's window runs on after closure. */
			if (p->clocks[k].name == NULL || p->clocks[k].window ||
			    has_index(st->on_entry.idx[CLK_STOP],
			        st->on_entry.n[CLK_STOP], k)) {
				continue;
			}
			w = snprintf(missing + used, sizeof(missing) - used,
			    "%s%s", used > 0 ? ", " : "", p->clocks[k].name);
			if (w < 0 || (size_t) w >= sizeof(missing) - used) {
				break;
			}
			used += (size_t) w;
		}
		if (used > 0) {
			yamltree_err(&c->d, c->state_line[s],
			    "state '%s' is terminal but does not stop every "
			    "clock on entry: a closed case keeps no clock "
			    "running; add to states.%s.clocks.stop: %s",
			    st->name, st->name, missing);
		}
	}
}

void
pclk_check_until(struct pctx *c)
{
	const struct policy *p = c->p;
	size_t               k;
	long                 f;

	for (k = 0; k < p->nclocks; k++) {
		if (p->clocks[k].until == NULL) {
			continue;
		}
		f = policy_field_find(p, p->clocks[k].until);
		if (f < 0 || p->fields[f].type != PF_DATE) {
			/* At the "until" line, not the file's first. */
			yamltree_err(&c->d, c->until_line[k],
			    "clocks.%s.until: '%s' must be a field of type "
			    "date (under 'fields')",
			    p->clocks[k].name, p->clocks[k].until);
		}
	}
}
