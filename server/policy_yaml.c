/* SPDX-License-Identifier: MIT */
/*
 * policy_yaml.c - the policy loader's view of YAML: libyaml's events built
 * into a small tree that keeps line numbers (no anchors, aliases, tags or
 * second documents; mapping keys plain and once each), the typed getters
 * the sections read it with, and the diagnostics, held back and printed
 * as "file:line: what" in line order.
 * Must not: know the policy's schema beyond the role names (policy.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "policy.h"
#include "policy_int.h"

/*
 * py_err records one diagnostic; py_err_flush prints them sorted by line. The
 * text may quote names from the file, so control characters are replaced
 * before it reaches a terminal or log.
 */
void
py_err(struct pctx *c, size_t line, const char *fmt, ...)
{
	char         msg[512];
	char        *s;
	struct pmsg *m;
	size_t       ncap;
	va_list      ap;

	c->nerrors++;
	if (c->diag == NULL) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (s = msg; *s != '\0'; s++) {
		if ((unsigned char) *s < 0x20 || *s == 0x7f) {
			*s = '?';
		}
	}
	if (c->nmsgs == c->msgcap) {
		ncap = c->msgcap == 0 ? 16 : c->msgcap * 2;
		if ((m = realloc(c->msgs, ncap * sizeof(*m))) != NULL) {
			c->msgs   = m;
			c->msgcap = ncap;
		}
	}
	if (c->nmsgs < c->msgcap &&
	    (c->msgs[c->nmsgs].text = strdup(msg)) != NULL) {
		c->msgs[c->nmsgs].line = line;
		c->msgs[c->nmsgs].seq  = c->nmsgs;
		c->nmsgs++;
	} else {
		/* No memory to hold it back: say it now. */
		fprintf(c->diag, "%s:%zu: %s\n", c->name, line, msg);
	}
}

static int
pmsg_cmp(const void *a, const void *b)
{
	const struct pmsg *x = a, *y = b;

	if (x->line != y->line) {
		return (x->line < y->line ? -1 : 1);
	}
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

void
py_err_flush(struct pctx *c)
{
	size_t i;

	if (c->nmsgs > 1) {
		qsort(c->msgs, c->nmsgs, sizeof(*c->msgs), pmsg_cmp);
	}
	for (i = 0; i < c->nmsgs; i++) {
		fprintf(c->diag, "%s:%zu: %s\n", c->name, c->msgs[i].line,
		    c->msgs[i].text);
		free(c->msgs[i].text);
	}
	free(c->msgs);
	c->msgs  = NULL;
	c->nmsgs = c->msgcap = 0;
}

void
py_oom(struct pctx *c, size_t line)
{
	if (!c->oom) {
		c->oom = true;
		py_err(c, line, "out of memory");
	}
}

char *
py_strdup(struct pctx *c, const char *s, size_t line)
{
	char *d;

	if (s == NULL) {
		return (NULL);
	}
	if ((d = strdup(s)) == NULL) {
		py_oom(c, line);
	}
	return (d);
}

void
py_tree_free(struct ynode *n)
{
	size_t i;

	if (n == NULL) {
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		py_tree_free(n->kids[i]);
	}
	free(n->kids);
	free(n->str);
	free(n);
}

/* py_join writes the names in list (NULL entries skipped) as "a, b, c". */
void
py_join(char *buf, size_t len, const char *const *list, size_t n)
{
	size_t i, used = 0;
	int    w;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (list[i] == NULL) {
			continue;
		}
		w = snprintf(buf + used, len - used, "%s%s",
		    used > 0 ? ", " : "", list[i]);
		if (w < 0 || (size_t) w >= len - used) {
			return;
		}
		used += (size_t) w;
	}
}

/*
 * Building the tree from libyaml events.
 */

/*
 * attach adds n to parent. Returns 0, -1 when out of memory or -2 when the
 * parent is over POLICY_MAX_ITEMS (reported). Keys of a mapping must be
 * plain strings, each once: a bad key is reported and marked, so that the
 * checks later skip its pair.
 */
static int
attach(struct pctx *c, struct ynode *parent, struct ynode *n)
{
	struct ynode **k;
	size_t         i, ncap;

	if (parent->nkids >= 2 * (size_t) POLICY_MAX_ITEMS) {
		py_err(c, n->line, "more than %d entries in one %s",
		    POLICY_MAX_ITEMS,
		    parent->kind == Y_MAP ? "mapping" : "list");
		return (-2);
	}
	if (parent->kind == Y_MAP && parent->nkids % 2 == 0 && !n->bad) {
		if (n->kind != Y_SCALAR) {
			py_err(c, n->line, "a mapping key must be a plain "
			                   "string, not a list or mapping");
			n->bad = true;
		} else {
			for (i = 0; i < parent->nkids; i += 2) {
				const struct ynode *k0 = parent->kids[i];

				if (!k0->bad && strcmp(k0->str, n->str) == 0) {
					py_err(c, n->line,
					    "duplicate key '%s' (first at "
					    "line %zu)",
					    n->str, k0->line);
					n->bad = true;
					break;
				}
			}
		}
	}
	if (parent->nkids == parent->cap) {
		ncap = parent->cap == 0 ? 8 : parent->cap * 2;
		k    = realloc(parent->kids, ncap * sizeof(*k));
		if (k == NULL) {
			return (-1);
		}
		parent->kids = k;
		parent->cap  = ncap;
	}
	parent->kids[parent->nkids++] = n;
	return (0);
}

/*
 * py_tree_load parses buf into a tree. Returns the root (the document's top
 * node) or NULL after reporting why there is none.
 */
struct ynode *
py_tree_load(struct pctx *c, const char *buf, size_t len)
{
	yaml_parser_t  yp;
	yaml_event_t   ev;
	struct ynode  *stack[POLICY_MAX_DEPTH + 1];
	struct ynode  *root = NULL, *n;
	size_t         depth = 0, line;
	int            ndocs = 0, rc;
	bool           done  = false, ok = true;
	yaml_char_t   *anchor, *tag;

	if (!yaml_parser_initialize(&yp)) {
		py_oom(c, 1);
		return (NULL);
	}
	yaml_parser_set_input_string(
	    &yp, (const unsigned char *) buf, len);
	while (!done && ok) {
		if (!yaml_parser_parse(&yp, &ev)) {
			if (yp.error == YAML_MEMORY_ERROR) {
				py_oom(c, 1);
			} else if (yp.error == YAML_READER_ERROR) {
				py_err(c, yp.mark.line + 1,
				    "YAML syntax error: %s (at byte %zu)",
				    yp.problem != NULL ? yp.problem : "?",
				    yp.problem_offset);
			} else {
				if (yp.context != NULL) {
					py_err(c, yp.problem_mark.line + 1,
					    "YAML syntax error: %s (%s "
					    "started at line %zu)",
					    yp.problem != NULL ? yp.problem
					                       : "?",
					    yp.context,
					    yp.context_mark.line + 1);
				} else {
					py_err(c, yp.problem_mark.line + 1,
					    "YAML syntax error: %s",
					    yp.problem != NULL ? yp.problem
					                       : "?");
				}
			}
			ok = false;
			break;
		}
		line   = ev.start_mark.line + 1;
		n      = NULL;
		anchor = NULL;
		tag    = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs > 1) {
				py_err(c, line, "only one YAML document is "
				                "allowed in a policy file");
				ok = false;
			}
			break;
		case YAML_ALIAS_EVENT:
			py_err(c, line, "anchors and aliases are not allowed");
			n = calloc(1, sizeof(*n));
			if (n != NULL) {
				n->kind = Y_SCALAR;
				n->bad  = true;
				n->str  = strdup("");
			}
			break;
		case YAML_SCALAR_EVENT:
			anchor = ev.data.scalar.anchor;
			tag    = ev.data.scalar.tag;
			n      = calloc(1, sizeof(*n));
			if (n != NULL) {
				n->kind  = Y_SCALAR;
				n->plain = ev.data.scalar.style ==
				    YAML_PLAIN_SCALAR_STYLE;
				n->len = ev.data.scalar.length;
				n->str = malloc(n->len + 1);
				if (n->str != NULL) {
					memcpy(n->str, ev.data.scalar.value,
					    n->len);
					n->str[n->len] = '\0';
				}
			}
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (ev.type == YAML_SEQUENCE_START_EVENT) {
				anchor = ev.data.sequence_start.anchor;
				tag    = ev.data.sequence_start.tag;
			} else {
				anchor = ev.data.mapping_start.anchor;
				tag    = ev.data.mapping_start.tag;
			}
			n = calloc(1, sizeof(*n));
			if (n != NULL) {
				n->kind = ev.type == YAML_SEQUENCE_START_EVENT
				    ? Y_SEQ
				    : Y_MAP;
				n->str = strdup("");
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (depth > 0) {
				depth--;
			}
			break;
		default:
			break;
		}
		if (ev.type == YAML_ALIAS_EVENT ||
		    ev.type == YAML_SCALAR_EVENT ||
		    ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_MAPPING_START_EVENT) {
			if (n == NULL || n->str == NULL) {
				py_tree_free(n);
				py_oom(c, line);
				ok = false;
			} else {
				n->line = line;
				if (anchor != NULL) {
					py_err(c, line, "anchors and aliases "
					                "are not allowed");
					n->bad = true;
				}
				if (tag != NULL) {
					py_err(c, line, "YAML tags are not "
					                "allowed");
					n->bad = true;
				}
				if (depth == 0) {
					/* A document has one top node. */
					py_tree_free(root);
					root = n;
				} else if ((rc = attach(c, stack[depth - 1],
				                n)) != 0) {
					py_tree_free(n);
					if (rc == -1) {
						py_oom(c, line);
					}
					ok = false;
				}
			}
			if (ok && n != NULL && n->kind != Y_SCALAR) {
				if (depth == POLICY_MAX_DEPTH) {
					py_err(c, line, "nested more than %d "
					                "levels deep",
					    POLICY_MAX_DEPTH);
					ok = false;
				} else {
					stack[depth++] = n;
				}
			}
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	if (!ok) {
		py_tree_free(root);
		return (NULL);
	}
	if (root == NULL) {
		py_err(c, 1, "the file is empty: expected a policy mapping "
		             "(name, version, roles, ...)");
	}
	return (root);
}

/*
 * Typed access to tree nodes. Each reports its own error against the
 * node's line; a node already reported (bad) fails quietly.
 */

const char *
py_str(struct pctx *c, const struct ynode *n, const char *what)
{
	if (n == NULL || n->bad) {
		return (NULL);
	}
	if (n->kind != Y_SCALAR) {
		py_err(c, n->line, "'%s' must be a string, not a %s", what,
		    n->kind == Y_SEQ ? "list" : "mapping");
		return (NULL);
	}
	return (n->str);
}

/* get_text: a one-line, non-blank string of at most POLICY_MAX_LABEL. */
const char *
py_text(struct pctx *c, const struct ynode *n, const char *what)
{
	const char *s;
	size_t      i, chars = 0;
	bool        blank = true;

	if ((s = py_str(c, n, what)) == NULL) {
		return (NULL);
	}
	for (i = 0; i < n->len; i++) {
		unsigned char u = (unsigned char) s[i];

		if (u < 0x20 || u == 0x7f) {
			py_err(c, n->line, "'%s' must be one line without "
			                   "control characters", what);
			return (NULL);
		}
		if (u != ' ') {
			blank = false;
		}
		if ((u & 0xc0) != 0x80) {
			chars++;
		}
	}
	if (blank) {
		py_err(c, n->line, "'%s' must not be empty", what);
		return (NULL);
	}
	if (chars > POLICY_MAX_LABEL) {
		py_err(c, n->line, "'%s' is longer than %d characters", what,
		    POLICY_MAX_LABEL);
		return (NULL);
	}
	return (s);
}

static bool
valid_name(const char *s)
{
	size_t i;

	if (s[0] < 'a' || s[0] > 'z') {
		return (false);
	}
	for (i = 1; s[i] != '\0'; i++) {
		if (i >= POLICY_MAX_NAME) {
			return (false);
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) {
			return (false);
		}
	}
	return (true);
}

/* get_name: an identifier used to refer to states, fields and events. */
const char *
py_name(struct pctx *c, const struct ynode *n, const char *what)
{
	const char *s;

	if ((s = py_str(c, n, what)) == NULL) {
		return (NULL);
	}
	if (!valid_name(s)) {
		py_err(c, n->line,
		    "'%s' must be a name of lower-case letters, digits and "
		    "'_', starting with a letter, at most %d long",
		    what, POLICY_MAX_NAME);
		return (NULL);
	}
	return (s);
}

bool
py_bool(struct pctx *c, const struct ynode *n, const char *what, bool *out)
{
	if (n == NULL || n->bad) {
		return (false);
	}
	if (n->kind == Y_SCALAR && n->plain) {
		if (strcmp(n->str, "true") == 0) {
			*out = true;
			return (true);
		}
		if (strcmp(n->str, "false") == 0) {
			*out = false;
			return (true);
		}
	}
	py_err(c, n->line, "'%s' must be true or false", what);
	return (false);
}

bool
py_int(struct pctx *c, const struct ynode *n, const char *what,
    long long *out)
{
	char     *end;
	long long v;
	size_t    i;

	if (n == NULL || n->bad) {
		return (false);
	}
	if (n->kind == Y_SCALAR && n->plain && n->len > 0) {
		/* Decimal only: no 0x, 0o, 1e3, 1_000 or leading '+'. */
		i = n->str[0] == '-' ? 1 : 0;
		if (n->str[i] != '\0' && strspn(n->str + i, "0123456789") ==
		                             n->len - i) {
			errno = 0;
			v     = strtoll(n->str, &end, 10);
			if (errno == 0 && *end == '\0') {
				*out = v;
				return (true);
			}
		}
	}
	py_err(c, n->line, "'%s' must be a whole number", what);
	return (false);
}

bool
py_is_kind(struct pctx *c, const struct ynode *n, enum ykind k,
    const char *what)
{
	if (n == NULL || n->bad) {
		return (false);
	}
	if (n->kind != k) {
		py_err(c, n->line, "'%s' must be a %s", what,
		    k == Y_SEQ ? "list" : "mapping");
		return (false);
	}
	return (true);
}

/*
 * py_map_keys matches the keys of mapping m against keys[]: vals[i] is set
 * to the value of keys[i] (or NULL), unknown keys are reported.
 */
void
py_map_keys(struct pctx *c, const struct ynode *m, const char *what,
    const char *const *keys, size_t nkeys, const struct ynode **vals)
{
	char   allowed[256];
	size_t i, k;

	for (k = 0; k < nkeys; k++) {
		vals[k] = NULL;
	}
	for (i = 0; i + 1 < m->nkids; i += 2) {
		if (m->kids[i]->bad) {
			continue;
		}
		for (k = 0; k < nkeys; k++) {
			if (strcmp(m->kids[i]->str, keys[k]) == 0) {
				vals[k] = m->kids[i + 1];
				break;
			}
		}
		if (k == nkeys) {
			py_join(allowed, sizeof(allowed), keys, nkeys);
			py_err(c, m->kids[i]->line,
			    "unknown key '%s' in %s; allowed: %s",
			    m->kids[i]->str, what, allowed);
		}
	}
}

void
py_need(struct pctx *c, const struct ynode *m, const struct ynode *v,
    const char *key, const char *what)
{
	if (v == NULL) {
		py_err(c, m->line, "%s has no '%s'", what, key);
	}
}

/*
 * py_roles reads a list of role names into *mask. Every role must be a
 * certificate role and, once "roles" has been read, declared there.
 */
bool
py_roles(struct pctx *c, const struct ynode *n, const char *what,
    uint32_t *mask, bool nonempty)
{
	char        known[128];
	const char *s;
	size_t      i;
	int         r, before = c->nerrors;

	*mask = 0;
	if (!py_is_kind(c, n, Y_SEQ, what)) {
		return (false);
	}
	if (nonempty && n->nkids == 0) {
		py_err(c, n->line, "'%s' must name at least one role", what);
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = py_str(c, n->kids[i], what)) == NULL) {
			continue;
		}
		if ((r = policy_role_from_name(s)) < 0) {
			py_join(known, sizeof(known), policy_role_names,
			    ROLE__COUNT);
			py_err(c, n->kids[i]->line,
			    "'%s': unknown role '%s'; known roles: %s", what,
			    s, known);
		} else if ((c->declared & ROLE_BIT(r)) == 0) {
			py_err(c, n->kids[i]->line,
			    "'%s': role '%s' is not declared in 'roles'", what,
			    s);
		} else if ((*mask & ROLE_BIT(r)) != 0) {
			py_err(c, n->kids[i]->line,
			    "'%s': role '%s' is listed twice", what, s);
		} else {
			*mask |= ROLE_BIT(r);
		}
	}
	return (c->nerrors == before);
}

long
py_find(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (list[i] != NULL && strcmp(list[i], s) == 0) {
			return ((long) i);
		}
	}
	return (-1);
}

