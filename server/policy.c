/* SPDX-License-Identifier: MIT */
/*
 * policy.c - loads and checks the workflow policy
 * (policies/wage-dispute.yaml).
 * Owns: reading the YAML with libyaml into a small tree that keeps line
 * numbers, checking every key and cross-reference in it, and building the
 * immutable struct policy. Every problem is reported as "file:line: what"
 * and checking goes on after an error, so that one run shows them all.
 * Must not: log (diagnostics go to the caller's FILE), know about cases,
 * storage or the wire beyond the operation names in wage/protocol.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mbedtls/sha256.h>
#include <yaml.h>

#include "policy.h"
#include "wage/protocol.h"

#define POLICY_MAX_BYTES (1024 * 1024) /* a policy is a few KiB */
#define POLICY_MAX_DEPTH 16            /* the schema needs 4 levels */
#define POLICY_MAX_ITEMS 10000         /* entries in one list or mapping */
#define POLICY_MAX_NAME 48             /* so "fields.NAME" fits wage_error */
#define POLICY_MAX_LABEL 200           /* name, version, labels, values */

static const char *const role_names[ROLE__COUNT] = {
	[ROLE_CLERK] = "clerk",
	[ROLE_MEDIATOR] = "mediator",
	[ROLE_ARBITRATOR] = "arbitrator",
	[ROLE_CHAIR] = "chair",
	[ROLE_UNION] = "union",
	[ROLE_LEGAL_AID] = "legal_aid",
	[ROLE_AUDITOR] = "auditor",
	[ROLE_ADMIN] = "admin",
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
	WAGE_OP_AUDIT_VERIFY,
	WAGE_OP_AUDIT_EXPORT,
	WAGE_OP_POLICY_GET,
};
#define NOPS (sizeof(op_names) / sizeof(op_names[0]))

/* Operations that touch case content: whoever may call them needs a scope. */
static const char *const case_ops[] = {
	WAGE_OP_CASE_FILE,
	WAGE_OP_CASE_GET,
	WAGE_OP_CASE_LIST,
	WAGE_OP_CASE_ACT,
	WAGE_OP_CASE_HISTORY,
};

static const char *const phase_names[] = {
	"intake",
	"mediation",
	"arbitration",
	"closed",
};

static const char *const ftype_names[] = {
	[PF_TEXT] = "text",
	[PF_STRING] = "string",
	[PF_DATE] = "date",
	[PF_FEN] = "fen",
	[PF_INT] = "int",
	[PF_BOOL] = "bool",
	[PF_ENUM] = "enum",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The YAML tree: only what the checks need, with line numbers. */
enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ykind     kind;
	size_t         line;  /* 1-based */
	bool           bad;   /* already reported: later checks stay quiet */
	bool           plain; /* an unquoted scalar (true, 15) */
	char          *str;   /* Y_SCALAR: the value, NUL-terminated */
	size_t         len;
	struct ynode **kids; /* Y_SEQ: items; Y_MAP: key, value, key, ... */
	size_t         nkids;
	size_t         cap;
};

/* A diagnostic held back so that all of them come out in line order. */
struct pmsg {
	size_t line;
	size_t seq;
	char  *text;
};

struct pctx {
	const char    *name;
	FILE          *diag;
	struct pmsg   *msgs;
	size_t         nmsgs, msgcap;
	int            nerrors;
	bool           oom;
	struct policy *p;
	uint32_t       declared;  /* roles listed under "roles" */
	uint32_t       act_roles; /* roles granted case.act */
	bool           act_known; /* operations parsed cleanly */
	size_t        *state_line;
	size_t        *field_line;
	size_t        *event_line;
	size_t        *from_line; /* of each event's "from" */
	size_t         states_line;
};

static void perr(struct pctx *c, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * perr records one diagnostic; perr_flush prints them sorted by line. The
 * text may quote names from the file, so control characters are replaced
 * before it reaches a terminal or log.
 */
static void
perr(struct pctx *c, size_t line, const char *fmt, ...)
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

static void
perr_flush(struct pctx *c)
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

static void
oom(struct pctx *c, size_t line)
{
	if (!c->oom) {
		c->oom = true;
		perr(c, line, "out of memory");
	}
}

static char *
xstrdup(struct pctx *c, const char *s, size_t line)
{
	char *d;

	if (s == NULL) {
		return (NULL);
	}
	if ((d = strdup(s)) == NULL) {
		oom(c, line);
	}
	return (d);
}

static void
ynode_free(struct ynode *n)
{
	size_t i;

	if (n == NULL) {
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		ynode_free(n->kids[i]);
	}
	free(n->kids);
	free(n->str);
	free(n);
}

/* join writes the names in list (NULL entries skipped) as "a, b, c". */
static void
join(char *buf, size_t len, const char *const *list, size_t n)
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
		perr(c, n->line, "more than %d entries in one %s",
		    POLICY_MAX_ITEMS,
		    parent->kind == Y_MAP ? "mapping" : "list");
		return (-2);
	}
	if (parent->kind == Y_MAP && parent->nkids % 2 == 0 && !n->bad) {
		if (n->kind != Y_SCALAR) {
			perr(c, n->line, "a mapping key must be a plain "
			                 "string, not a list or mapping");
			n->bad = true;
		} else {
			for (i = 0; i < parent->nkids; i += 2) {
				const struct ynode *k0 = parent->kids[i];

				if (!k0->bad && strcmp(k0->str, n->str) == 0) {
					perr(c, n->line,
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
 * tree_load parses buf into a tree. Returns the root (the document's top
 * node) or NULL after reporting why there is none.
 */
static struct ynode *
tree_load(struct pctx *c, const char *buf, size_t len)
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
		oom(c, 1);
		return (NULL);
	}
	yaml_parser_set_input_string(
	    &yp, (const unsigned char *) buf, len);
	while (!done && ok) {
		if (!yaml_parser_parse(&yp, &ev)) {
			if (yp.error == YAML_MEMORY_ERROR) {
				oom(c, 1);
			} else if (yp.error == YAML_READER_ERROR) {
				perr(c, yp.mark.line + 1,
				    "YAML syntax error: %s (at byte %zu)",
				    yp.problem != NULL ? yp.problem : "?",
				    yp.problem_offset);
			} else {
				if (yp.context != NULL) {
					perr(c, yp.problem_mark.line + 1,
					    "YAML syntax error: %s (%s "
					    "started at line %zu)",
					    yp.problem != NULL ? yp.problem
					                       : "?",
					    yp.context,
					    yp.context_mark.line + 1);
				} else {
					perr(c, yp.problem_mark.line + 1,
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
				perr(c, line, "only one YAML document is "
				              "allowed in a policy file");
				ok = false;
			}
			break;
		case YAML_ALIAS_EVENT:
			perr(c, line, "anchors and aliases are not allowed");
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
				ynode_free(n);
				oom(c, line);
				ok = false;
			} else {
				n->line = line;
				if (anchor != NULL) {
					perr(c, line, "anchors and aliases "
					              "are not allowed");
					n->bad = true;
				}
				if (tag != NULL) {
					perr(c, line, "YAML tags are not "
					              "allowed");
					n->bad = true;
				}
				if (depth == 0) {
					/* A document has one top node. */
					ynode_free(root);
					root = n;
				} else if ((rc = attach(c, stack[depth - 1],
				                n)) != 0) {
					ynode_free(n);
					if (rc == -1) {
						oom(c, line);
					}
					ok = false;
				}
			}
			if (ok && n != NULL && n->kind != Y_SCALAR) {
				if (depth == POLICY_MAX_DEPTH) {
					perr(c, line, "nested more than %d "
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
		ynode_free(root);
		return (NULL);
	}
	if (root == NULL) {
		perr(c, 1, "the file is empty: expected a policy mapping "
		           "(name, version, roles, ...)");
	}
	return (root);
}

/*
 * Typed access to tree nodes. Each reports its own error against the
 * node's line; a node already reported (bad) fails quietly.
 */

static const char *
get_str(struct pctx *c, const struct ynode *n, const char *what)
{
	if (n == NULL || n->bad) {
		return (NULL);
	}
	if (n->kind != Y_SCALAR) {
		perr(c, n->line, "'%s' must be a string, not a %s", what,
		    n->kind == Y_SEQ ? "list" : "mapping");
		return (NULL);
	}
	return (n->str);
}

/* get_text: a one-line, non-blank string of at most POLICY_MAX_LABEL. */
static const char *
get_text(struct pctx *c, const struct ynode *n, const char *what)
{
	const char *s;
	size_t      i, chars = 0;
	bool        blank = true;

	if ((s = get_str(c, n, what)) == NULL) {
		return (NULL);
	}
	for (i = 0; i < n->len; i++) {
		unsigned char u = (unsigned char) s[i];

		if (u < 0x20 || u == 0x7f) {
			perr(c, n->line, "'%s' must be one line without "
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
		perr(c, n->line, "'%s' must not be empty", what);
		return (NULL);
	}
	if (chars > POLICY_MAX_LABEL) {
		perr(c, n->line, "'%s' is longer than %d characters", what,
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
static const char *
get_name(struct pctx *c, const struct ynode *n, const char *what)
{
	const char *s;

	if ((s = get_str(c, n, what)) == NULL) {
		return (NULL);
	}
	if (!valid_name(s)) {
		perr(c, n->line,
		    "'%s' must be a name of lower-case letters, digits and "
		    "'_', starting with a letter, at most %d long",
		    what, POLICY_MAX_NAME);
		return (NULL);
	}
	return (s);
}

static bool
get_bool(struct pctx *c, const struct ynode *n, const char *what, bool *out)
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
	perr(c, n->line, "'%s' must be true or false", what);
	return (false);
}

static bool
get_int(struct pctx *c, const struct ynode *n, const char *what,
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
	perr(c, n->line, "'%s' must be a whole number", what);
	return (false);
}

static bool
is_kind(struct pctx *c, const struct ynode *n, enum ykind k, const char *what)
{
	if (n == NULL || n->bad) {
		return (false);
	}
	if (n->kind != k) {
		perr(c, n->line, "'%s' must be a %s", what,
		    k == Y_SEQ ? "list" : "mapping");
		return (false);
	}
	return (true);
}

/*
 * map_keys matches the keys of mapping m against keys[]: vals[i] is set
 * to the value of keys[i] (or NULL), unknown keys are reported.
 */
static void
map_keys(struct pctx *c, const struct ynode *m, const char *what,
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
			join(allowed, sizeof(allowed), keys, nkeys);
			perr(c, m->kids[i]->line,
			    "unknown key '%s' in %s; allowed: %s",
			    m->kids[i]->str, what, allowed);
		}
	}
}

static void
need(struct pctx *c, const struct ynode *m, const struct ynode *v,
    const char *key, const char *what)
{
	if (v == NULL) {
		perr(c, m->line, "%s has no '%s'", what, key);
	}
}

/*
 * get_roles reads a list of role names into *mask. Every role must be a
 * certificate role and, once "roles" has been read, declared there.
 */
static bool
get_roles(struct pctx *c, const struct ynode *n, const char *what,
    uint32_t *mask, bool nonempty)
{
	char        known[128];
	const char *s;
	size_t      i;
	int         r, before = c->nerrors;

	*mask = 0;
	if (!is_kind(c, n, Y_SEQ, what)) {
		return (false);
	}
	if (nonempty && n->nkids == 0) {
		perr(c, n->line, "'%s' must name at least one role", what);
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = get_str(c, n->kids[i], what)) == NULL) {
			continue;
		}
		if ((r = policy_role_from_name(s)) < 0) {
			join(known, sizeof(known), role_names, ROLE__COUNT);
			perr(c, n->kids[i]->line,
			    "'%s': unknown role '%s'; known roles: %s", what,
			    s, known);
		} else if ((c->declared & ROLE_BIT(r)) == 0) {
			perr(c, n->kids[i]->line,
			    "'%s': role '%s' is not declared in 'roles'", what,
			    s);
		} else if ((*mask & ROLE_BIT(r)) != 0) {
			perr(c, n->kids[i]->line,
			    "'%s': role '%s' is listed twice", what, s);
		} else {
			*mask |= ROLE_BIT(r);
		}
	}
	return (c->nerrors == before);
}

static long
find_in(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (list[i] != NULL && strcmp(list[i], s) == 0) {
			return ((long) i);
		}
	}
	return (-1);
}

/*
 * The sections, in the order they depend on each other.
 */

static void
parse_declared_roles(struct pctx *c, const struct ynode *n)
{
	char        known[128];
	const char *s;
	size_t      i;
	int         r;

	if (n == NULL || !is_kind(c, n, Y_SEQ, "roles")) {
		/* Reported already: do not cascade into every role list. */
		c->declared = (1u << ROLE__COUNT) - 1;
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = get_str(c, n->kids[i], "roles")) == NULL) {
			continue;
		}
		if ((r = policy_role_from_name(s)) < 0) {
			join(known, sizeof(known), role_names, ROLE__COUNT);
			perr(c, n->kids[i]->line,
			    "'roles': unknown role '%s'; known roles: %s", s,
			    known);
		} else if ((c->declared & ROLE_BIT(r)) != 0) {
			perr(c, n->kids[i]->line,
			    "'roles': role '%s' is listed twice", s);
		} else {
			c->declared |= ROLE_BIT(r);
		}
	}
	if (n->nkids == 0) {
		perr(c, n->line, "'roles' must name at least one role");
	}
}

static void
parse_ops(struct pctx *c, const struct ynode *n, size_t **op_line)
{
	struct policy *p = c->p;
	char           what[96], known[256];
	const char    *s;
	size_t         i;
	int            before = c->nerrors;

	if (n == NULL || !is_kind(c, n, Y_MAP, "operations")) {
		return;
	}
	p->ops   = calloc(n->nkids / 2 + 1, sizeof(*p->ops));
	*op_line = calloc(n->nkids / 2 + 1, sizeof(**op_line));
	if (p->ops == NULL || *op_line == NULL) {
		oom(c, n->line);
		return;
	}
	for (i = 0; i + 1 < n->nkids; i += 2) {
		if (n->kids[i]->bad) {
			continue;
		}
		s = n->kids[i]->str;
		snprintf(what, sizeof(what), "operations.%s", s);
		if (find_in(op_names, NOPS, s) < 0) {
			join(known, sizeof(known), op_names, NOPS);
			perr(c, n->kids[i]->line,
			    "unknown operation '%s'; known operations: %s", s,
			    known);
			continue;
		}
		(*op_line)[p->nops] = n->kids[i]->line;
		p->ops[p->nops].name = xstrdup(c, s, n->kids[i]->line);
		get_roles(c, n->kids[i + 1], what, &p->ops[p->nops].roles,
		    false);
		p->nops++;
	}
	if (c->nerrors == before) {
		c->act_known = true;
		for (i = 0; i < p->nops; i++) {
			if (strcmp(p->ops[i].name, WAGE_OP_CASE_ACT) == 0) {
				c->act_roles = p->ops[i].roles;
			}
		}
	}
}

static bool
parse_scope(struct pctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "region", "organisation" };
	const struct ynode      *v[2];
	struct policy           *p = c->p;
	int                      before = c->nerrors, r;

	if (n == NULL || !is_kind(c, n, Y_MAP, "scope")) {
		return (false);
	}
	map_keys(c, n, "'scope'", keys, 2, v);
	if (v[0] != NULL) {
		get_roles(c, v[0], "scope.region", &p->scope_region, false);
	}
	if (v[1] != NULL) {
		get_roles(c, v[1], "scope.organisation", &p->scope_org, false);
	}
	for (r = 0; r < ROLE__COUNT; r++) {
		if ((p->scope_region & p->scope_org & ROLE_BIT(r)) != 0) {
			perr(c, v[1]->line,
			    "role '%s' is in both scope.region and "
			    "scope.organisation: a role sees cases one way",
			    role_names[r]);
		}
	}
	return (c->nerrors == before);
}

/* Every role that may touch case content must be limited by a scope. */
static void
check_scoped(struct pctx *c, const size_t *op_line)
{
	struct policy *p = c->p;
	uint32_t       scoped = p->scope_region | p->scope_org;
	size_t         i;
	int            r;

	for (i = 0; i < p->nops; i++) {
		if (find_in(case_ops, NELEM(case_ops), p->ops[i].name) < 0) {
			continue;
		}
		for (r = 0; r < ROLE__COUNT; r++) {
			if ((p->ops[i].roles & ~scoped & ROLE_BIT(r)) != 0) {
				perr(c, op_line[i],
				    "role '%s' may call '%s' but is in "
				    "neither scope.region nor "
				    "scope.organisation",
				    role_names[r], p->ops[i].name);
			}
		}
	}
}

static void
parse_states(struct pctx *c, const struct ynode *n)
{
	static const char *const keys[] = { "name", "label", "phase",
		"initial", "terminal" };
	enum { K_NAME, K_LABEL, K_PHASE, K_INITIAL, K_TERMINAL };
	const struct ynode  *v[NELEM(keys)];
	struct policy       *p = c->p;
	struct policy_state *st;
	char                 what[96], pre[80], allowed[64];
	const char          *s;
	size_t               i, j, ninitial = 0;
	bool                 initial_bad = false;

	if (n == NULL || !is_kind(c, n, Y_SEQ, "states")) {
		return;
	}
	c->states_line = n->line;
	p->states      = calloc(n->nkids + 1, sizeof(*p->states));
	c->state_line  = calloc(n->nkids + 1, sizeof(*c->state_line));
	if (p->states == NULL || c->state_line == NULL) {
		oom(c, n->line);
		return;
	}
	p->nstates = n->nkids;
	for (i = 0; i < n->nkids; i++) {
		st               = &p->states[i];
		c->state_line[i] = n->kids[i]->line;
		snprintf(pre, sizeof(pre), "states[%zu]", i);
		if (!is_kind(c, n->kids[i], Y_MAP, pre)) {
			continue;
		}
		map_keys(c, n->kids[i], "a state", keys, NELEM(keys), v);
		snprintf(what, sizeof(what), "'%s'", pre);
		need(c, n->kids[i], v[K_NAME], "name", what);
		snprintf(what, sizeof(what), "states[%zu].name", i);
		if ((s = get_name(c, v[K_NAME], what)) != NULL) {
			for (j = 0; j < i; j++) {
				if (p->states[j].name != NULL &&
				    strcmp(p->states[j].name, s) == 0) {
					perr(c, v[K_NAME]->line,
					    "duplicate state '%s' (first at "
					    "line %zu)",
					    s, c->state_line[j]);
					break;
				}
			}
			if (j == i) {
				st->name = xstrdup(c, s, v[K_NAME]->line);
				snprintf(pre, sizeof(pre), "states.%s", s);
			}
		}
		if (v[K_LABEL] != NULL) {
			snprintf(what, sizeof(what), "%s.label", pre);
			st->label = xstrdup(c, get_text(c, v[K_LABEL], what),
			    v[K_LABEL]->line);
		}
		snprintf(what, sizeof(what), "state '%s'",
		    st->name != NULL ? st->name : "?");
		need(c, n->kids[i], v[K_PHASE], "phase", what);
		snprintf(what, sizeof(what), "%s.phase", pre);
		if ((s = get_str(c, v[K_PHASE], what)) != NULL) {
			if (find_in(phase_names, NELEM(phase_names), s) < 0) {
				join(allowed, sizeof(allowed), phase_names,
				    NELEM(phase_names));
				perr(c, v[K_PHASE]->line,
				    "'%s': unknown phase '%s'; allowed: %s",
				    what, s, allowed);
			} else {
				st->phase = xstrdup(c, s, v[K_PHASE]->line);
			}
		}
		if (v[K_INITIAL] != NULL) {
			snprintf(what, sizeof(what), "%s.initial", pre);
			if (!get_bool(c, v[K_INITIAL], what, &st->initial)) {
				initial_bad = true;
			}
		}
		if (v[K_TERMINAL] != NULL) {
			snprintf(what, sizeof(what), "%s.terminal", pre);
			get_bool(c, v[K_TERMINAL], what, &st->terminal);
		}
		if (st->initial) {
			if (ninitial++ == 0) {
				p->initial = i;
			} else {
				perr(c, c->state_line[i],
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
				perr(c, c->state_line[i],
				    "the initial state '%s' must not be "
				    "terminal",
				    st->name != NULL ? st->name : "?");
			}
		}
	}
	if (n->nkids == 0) {
		perr(c, n->line, "'states' must list at least one state");
	} else if (ninitial == 0 && !initial_bad) {
		perr(c, n->line, "no state is marked 'initial: true': "
		                 "exactly one state is initial");
	}
}

static void
parse_field(struct pctx *c, const struct ynode *kn, const struct ynode *n,
    struct policy_field *f)
{
	static const char *const keys[] = { "type", "label", "values", "min",
		"max" };
	enum { K_TYPE, K_LABEL, K_VALUES, K_MIN, K_MAX };
	const struct ynode *v[NELEM(keys)];
	char                pre[80], what[96], allowed[96];
	const char         *s;
	size_t              i, j;
	long                t = -1;

	snprintf(pre, sizeof(pre), "fields.%s", kn->str);
	if (!is_kind(c, n, Y_MAP, pre)) {
		return;
	}
	map_keys(c, n, "a field", keys, NELEM(keys), v);
	snprintf(what, sizeof(what), "field '%s'", kn->str);
	need(c, n, v[K_TYPE], "type", what);
	snprintf(what, sizeof(what), "%s.type", pre);
	if ((s = get_str(c, v[K_TYPE], what)) != NULL) {
		t = find_in(ftype_names, NELEM(ftype_names), s);
		if (t < 0) {
			join(allowed, sizeof(allowed), ftype_names,
			    NELEM(ftype_names));
			perr(c, v[K_TYPE]->line,
			    "'%s': unknown type '%s'; allowed: %s", what, s,
			    allowed);
		} else {
			f->type = (enum policy_ftype) t;
		}
	}
	if (v[K_LABEL] != NULL) {
		snprintf(what, sizeof(what), "%s.label", pre);
		f->label = xstrdup(
		    c, get_text(c, v[K_LABEL], what), v[K_LABEL]->line);
	}

	/* values: for enum only, and required there. */
	snprintf(what, sizeof(what), "%s.values", pre);
	if (t == PF_ENUM && v[K_VALUES] == NULL) {
		perr(c, n->line, "field '%s' is of type enum but has no "
		                 "'values'", kn->str);
	} else if (t >= 0 && t != PF_ENUM && v[K_VALUES] != NULL) {
		perr(c, v[K_VALUES]->line,
		    "'%s' is only allowed for type enum", what);
	} else if (t == PF_ENUM && is_kind(c, v[K_VALUES], Y_SEQ, what)) {
		if (v[K_VALUES]->nkids == 0) {
			perr(c, v[K_VALUES]->line,
			    "'%s' must list at least one value", what);
		}
		f->values = calloc(v[K_VALUES]->nkids + 1, sizeof(char *));
		if (f->values == NULL) {
			oom(c, v[K_VALUES]->line);
			return;
		}
		for (i = 0; i < v[K_VALUES]->nkids; i++) {
			const struct ynode *e = v[K_VALUES]->kids[i];

			if ((s = get_text(c, e, what)) == NULL) {
				continue;
			}
			for (j = 0; j < f->nvalues; j++) {
				if (strcmp(f->values[j], s) == 0) {
					break;
				}
			}
			if (j < f->nvalues) {
				perr(c, e->line,
				    "'%s': value '%s' is listed twice", what,
				    s);
			} else if ((f->values[f->nvalues] =
			                   xstrdup(c, s, e->line)) != NULL) {
				f->nvalues++;
			}
		}
	}

	/* min and max: for int only, and both required there. */
	if (t >= 0 && t != PF_INT) {
		if (v[K_MIN] != NULL) {
			perr(c, v[K_MIN]->line,
			    "'%s.min' is only allowed for type int", pre);
		}
		if (v[K_MAX] != NULL) {
			perr(c, v[K_MAX]->line,
			    "'%s.max' is only allowed for type int", pre);
		}
	} else if (t == PF_INT) {
		bool okmin = false, okmax = false;

		need(c, n, v[K_MIN], "min", "this int field");
		need(c, n, v[K_MAX], "max", "this int field");
		snprintf(what, sizeof(what), "%s.min", pre);
		okmin = get_int(c, v[K_MIN], what, &f->min);
		snprintf(what, sizeof(what), "%s.max", pre);
		okmax = get_int(c, v[K_MAX], what, &f->max);
		if (okmin && okmax && f->min > f->max) {
			perr(c, v[K_MIN]->line,
			    "'%s.min' (%lld) is greater than '%s.max' (%lld)",
			    pre, f->min, pre, f->max);
		}
	}
}

static void
parse_fields(struct pctx *c, const struct ynode *n)
{
	struct policy *p = c->p;
	char           what[96];
	const char    *s;
	size_t         i;

	if (n == NULL || !is_kind(c, n, Y_MAP, "fields")) {
		return;
	}
	p->fields     = calloc(n->nkids / 2 + 1, sizeof(*p->fields));
	c->field_line = calloc(n->nkids / 2 + 1, sizeof(*c->field_line));
	if (p->fields == NULL || c->field_line == NULL) {
		oom(c, n->line);
		return;
	}
	/* Duplicate names are duplicate keys: the tree reported them. */
	for (i = 0; i + 1 < n->nkids; i += 2) {
		if (n->kids[i]->bad) {
			continue;
		}
		snprintf(what, sizeof(what), "fields.%s", n->kids[i]->str);
		if ((s = get_name(c, n->kids[i], what)) == NULL) {
			continue;
		}
		c->field_line[p->nfields] = n->kids[i]->line;
		p->fields[p->nfields].name =
		    xstrdup(c, s, n->kids[i]->line);
		parse_field(c, n->kids[i], n->kids[i + 1],
		    &p->fields[p->nfields]);
		p->nfields++;
	}
}

/*
 * state_list reads a list of state names into *idx (indexes); unknown
 * and repeated names are reported and left out.
 */
static void
state_list(struct pctx *c, const struct ynode *n, const char *what,
    size_t **idx, size_t *count)
{
	const char *s;
	size_t      i, j;
	long        k;

	*count = 0;
	if (!is_kind(c, n, Y_SEQ, what)) {
		return;
	}
	if (n->nkids == 0) {
		perr(c, n->line, "'%s' must name at least one state", what);
		return;
	}
	if ((*idx = calloc(n->nkids, sizeof(**idx))) == NULL) {
		oom(c, n->line);
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = get_str(c, n->kids[i], what)) == NULL) {
			continue;
		}
		if ((k = policy_state_find(c->p, s)) < 0) {
			perr(c, n->kids[i]->line,
			    "'%s': unknown state '%s'", what, s);
			continue;
		}
		for (j = 0; j < *count; j++) {
			if ((*idx)[j] == (size_t) k) {
				break;
			}
		}
		if (j < *count) {
			perr(c, n->kids[i]->line,
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
field_list(struct pctx *c, const struct ynode *n, const char *what,
    size_t **idx, size_t *count, bool *have)
{
	const char *s;
	size_t      i;
	long        k;

	*count = 0;
	if (!is_kind(c, n, Y_SEQ, what)) {
		return;
	}
	if (n->nkids > WAGE_MAX_FIELDS) {
		perr(c, n->line, "'%s' lists more than %d fields", what,
		    WAGE_MAX_FIELDS);
		return;
	}
	if ((*idx = calloc(n->nkids + 1, sizeof(**idx))) == NULL) {
		oom(c, n->line);
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		if ((s = get_str(c, n->kids[i], what)) == NULL) {
			continue;
		}
		if ((k = policy_field_find(c->p, s)) < 0) {
			perr(c, n->kids[i]->line,
			    "'%s': unknown field '%s' (not under 'fields')",
			    what, s);
			continue;
		}
		if (have[k]) {
			perr(c, n->kids[i]->line,
			    "'%s': field '%s' is listed twice in this event",
			    what, s);
			continue;
		}
		have[k]            = true;
		(*idx)[(*count)++] = (size_t) k;
	}
}

static void
parse_event(struct pctx *c, size_t i, const struct ynode *n, bool *have)
{
	static const char *const keys[] = { "name", "label", "from", "to",
		"roles", "requires", "optional", "basis" };
	enum { K_NAME, K_LABEL, K_FROM, K_TO, K_ROLES, K_REQ, K_OPT, K_BASIS };
	const struct ynode  *v[NELEM(keys)];
	struct policy       *p  = c->p;
	struct policy_event *ev = &p->events[i];
	char                 pre[80], what[96], ename[80];
	const char          *s;
	size_t               j;
	long                 k;
	int                  r;

	snprintf(pre, sizeof(pre), "events[%zu]", i);
	snprintf(ename, sizeof(ename), "'events[%zu]'", i);
	if (!is_kind(c, n, Y_MAP, pre)) {
		return;
	}
	map_keys(c, n, "an event", keys, NELEM(keys), v);
	need(c, n, v[K_NAME], "name", ename);
	snprintf(what, sizeof(what), "events[%zu].name", i);
	if ((s = get_name(c, v[K_NAME], what)) != NULL) {
		for (j = 0; j < i; j++) {
			if (p->events[j].name != NULL &&
			    strcmp(p->events[j].name, s) == 0) {
				perr(c, v[K_NAME]->line,
				    "duplicate event '%s' (first at line %zu)",
				    s, c->event_line[j]);
				break;
			}
		}
		/* A duplicate keeps its name too, for the messages below;
		 * policy_event_find finds the first. */
		ev->name = xstrdup(c, s, v[K_NAME]->line);
		snprintf(pre, sizeof(pre), "events.%s", s);
		snprintf(ename, sizeof(ename), "event '%s'", s);
	}
	if (v[K_LABEL] != NULL) {
		snprintf(what, sizeof(what), "%s.label", pre);
		ev->label = xstrdup(
		    c, get_text(c, v[K_LABEL], what), v[K_LABEL]->line);
	}

	need(c, n, v[K_FROM], "from", ename);
	if (v[K_FROM] != NULL) {
		c->from_line[i] = v[K_FROM]->line;
		snprintf(what, sizeof(what), "%s.from", pre);
		state_list(c, v[K_FROM], what, &ev->from, &ev->nfrom);
	}

	ev->to = SIZE_MAX;
	need(c, n, v[K_TO], "to", ename);
	snprintf(what, sizeof(what), "%s.to", pre);
	if ((s = get_str(c, v[K_TO], what)) != NULL) {
		if ((k = policy_state_find(p, s)) < 0) {
			perr(c, v[K_TO]->line, "'%s': unknown state '%s'",
			    what, s);
		} else {
			ev->to = (size_t) k;
		}
	}

	need(c, n, v[K_ROLES], "roles", ename);
	snprintf(what, sizeof(what), "%s.roles", pre);
	if (v[K_ROLES] != NULL &&
	    get_roles(c, v[K_ROLES], what, &ev->roles, true) && c->act_known) {
		for (r = 0; r < ROLE__COUNT; r++) {
			if ((ev->roles & ~c->act_roles & ROLE_BIT(r)) != 0) {
				perr(c, v[K_ROLES]->line,
				    "'%s': role '%s' may not call 'case.act' "
				    "(see 'operations'), so it could never "
				    "fire this event",
				    what, role_names[r]);
			}
		}
	}

	memset(have, 0, (p->nfields + 1) * sizeof(*have));
	if (v[K_REQ] != NULL) {
		snprintf(what, sizeof(what), "%s.requires", pre);
		field_list(c, v[K_REQ], what, &ev->requires, &ev->nrequires,
		    have);
	}
	if (v[K_OPT] != NULL) {
		snprintf(what, sizeof(what), "%s.optional", pre);
		field_list(c, v[K_OPT], what, &ev->optional, &ev->noptional,
		    have);
	}
	if (ev->nrequires + ev->noptional > WAGE_MAX_FIELDS) {
		perr(c, n->line, "%s carries more than %d fields", ename,
		    WAGE_MAX_FIELDS);
	}

	need(c, n, v[K_BASIS], "basis", ename);
	snprintf(what, sizeof(what), "%s.basis", pre);
	if (v[K_BASIS] != NULL && !v[K_BASIS]->bad &&
	    v[K_BASIS]->kind == Y_SCALAR &&
	    strspn(v[K_BASIS]->str, " \t") == v[K_BASIS]->len) {
		perr(c, v[K_BASIS]->line,
		    "'%s' must not be empty: name the law and the article "
		    "that allow this event",
		    what);
	} else if (v[K_BASIS] != NULL) {
		ev->basis = xstrdup(c, get_text(c, v[K_BASIS], what),
		    v[K_BASIS]->line);
	}
}

static void
parse_events(struct pctx *c, const struct ynode *n)
{
	struct policy *p = c->p;
	bool          *have;
	size_t         i;

	if (n == NULL || !is_kind(c, n, Y_SEQ, "events")) {
		return;
	}
	p->events     = calloc(n->nkids + 1, sizeof(*p->events));
	c->event_line = calloc(n->nkids + 1, sizeof(*c->event_line));
	c->from_line  = calloc(n->nkids + 1, sizeof(*c->from_line));
	have          = calloc(p->nfields + 1, sizeof(*have));
	if (p->events == NULL || c->event_line == NULL ||
	    c->from_line == NULL || have == NULL) {
		free(have);
		oom(c, n->line);
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
		perr(c, n->line, "'events' must list at least one event");
	}
}

/*
 * check_graph: terminal states are ends, every other state has a way
 * out, and every state can be reached from the initial one.
 */
static void
check_graph(struct pctx *c, bool one_initial)
{
	struct policy *p = c->p;
	bool          *seen, *out;
	size_t        *queue, head = 0, tail = 0, i, j, s;

	seen  = calloc(p->nstates + 1, sizeof(*seen));
	out   = calloc(p->nstates + 1, sizeof(*out));
	queue = calloc(p->nstates + 1, sizeof(*queue));
	if (seen == NULL || out == NULL || queue == NULL) {
		oom(c, 1);
		goto done;
	}
	for (i = 0; i < p->nevents; i++) {
		const struct policy_event *ev = &p->events[i];

		for (j = 0; j < ev->nfrom; j++) {
			s = ev->from[j];
			if (p->states[s].terminal) {
				perr(c, c->from_line[i],
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
			perr(c, c->state_line[s],
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
			perr(c, c->state_line[s],
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

static void
build(struct pctx *c, const struct ynode *root)
{
	static const char *const keys[] = { "name", "version", "roles",
		"operations", "scope", "unmasked", "states", "fields",
		"events" };
	enum { T_NAME, T_VERSION, T_ROLES, T_OPS, T_SCOPE, T_UNMASKED,
		T_STATES, T_FIELDS, T_EVENTS };
	const struct ynode *v[NELEM(keys)];
	struct policy      *p = c->p;
	size_t             *op_line = NULL, i, ninitial = 0;
	bool                scope_ok, states_ok;
	int                 before;

	if (root->bad) {
		return;
	}
	if (root->kind != Y_MAP) {
		perr(c, root->line, "the policy must be a mapping of name, "
		                    "version, roles, operations, scope, "
		                    "states, fields, events");
		return;
	}
	map_keys(c, root, "the policy", keys, NELEM(keys), v);
	for (i = 0; i < NELEM(keys); i++) {
		if (i != T_UNMASKED && v[i] == NULL) {
			perr(c, root->line, "missing top-level key '%s'",
			    keys[i]);
		}
	}
	p->name    = xstrdup(c, get_text(c, v[T_NAME], "name"), 1);
	p->version = xstrdup(c, get_text(c, v[T_VERSION], "version"), 1);

	parse_declared_roles(c, v[T_ROLES]);
	parse_ops(c, v[T_OPS], &op_line);
	scope_ok = parse_scope(c, v[T_SCOPE]);
	if (v[T_UNMASKED] != NULL) {
		get_roles(c, v[T_UNMASKED], "unmasked", &p->unmasked, false);
	}
	if (scope_ok && c->act_known) {
		check_scoped(c, op_line);
	}
	free(op_line);

	before = c->nerrors;
	parse_states(c, v[T_STATES]);
	states_ok = before == c->nerrors;
	for (i = 0; i < p->nstates; i++) {
		if (p->states[i].initial) {
			ninitial++;
		}
	}
	parse_fields(c, v[T_FIELDS]);
	parse_events(c, v[T_EVENTS]);
	if (p->nstates > 0 && !c->oom) {
		check_graph(c, ninitial == 1 && states_ok);
	}
}

int
policy_load_buffer(const char *name, const char *buf, size_t len,
    struct policy **out, FILE *diag, int *nerrors)
{
	struct pctx          c;
	struct ynode        *root = NULL;
	unsigned char        digest[32];
	static const char    hex[] = "0123456789abcdef";
	size_t               i;

	memset(&c, 0, sizeof(c));
	c.name = name != NULL ? name : "policy";
	c.diag = diag;
	*out   = NULL;
	if (buf == NULL) {
		buf = "";
		len = 0;
	}
	if (len > POLICY_MAX_BYTES) {
		perr(&c, 1, "the file is larger than 1 MiB (%zu bytes): not "
		            "a policy",
		    len);
		goto done;
	}
	if ((c.p = calloc(1, sizeof(*c.p))) == NULL) {
		oom(&c, 1);
		goto done;
	}
	if ((root = tree_load(&c, buf, len)) != NULL) {
		build(&c, root);
	}
	if (c.nerrors == 0) {
		if (mbedtls_sha256_ret((const unsigned char *) buf, len,
		        digest, 0) != 0) {
			perr(&c, 1, "cannot compute the SHA-256 of the file");
		}
		for (i = 0; i < sizeof(digest); i++) {
			c.p->hash_hex[2 * i]     = hex[digest[i] >> 4];
			c.p->hash_hex[2 * i + 1] = hex[digest[i] & 0xf];
		}
		c.p->hash_hex[64] = '\0';
	}
done:
	perr_flush(&c);
	ynode_free(root);
	free(c.state_line);
	free(c.field_line);
	free(c.event_line);
	free(c.from_line);
	if (nerrors != NULL) {
		*nerrors = c.nerrors;
	}
	if (c.nerrors > 0) {
		policy_free(c.p);
		return (-1);
	}
	*out = c.p;
	return (0);
}

int
policy_load_file(const char *path, struct policy **out, FILE *diag,
    int *nerrors)
{
	FILE       *f;
	struct stat st;
	char       *buf = NULL;
	size_t      got = 0;
	int         rv  = -1, e;

	*out = NULL;
	if (nerrors != NULL) {
		*nerrors = 1;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		e = errno;
		if (diag != NULL) {
			fprintf(diag, "%s: cannot open: %s\n", path,
			    strerror(e));
		}
		return (-1);
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		if (diag != NULL) {
			fprintf(diag, "%s: not a regular file\n", path);
		}
		goto out;
	}
	if (st.st_size > POLICY_MAX_BYTES) {
		if (diag != NULL) {
			fprintf(diag,
			    "%s:1: the file is larger than 1 MiB (%lld "
			    "bytes): not a policy\n",
			    path, (long long) st.st_size);
		}
		goto out;
	}
	/* One byte more than allowed, to notice a file that grew. */
	if ((buf = malloc(POLICY_MAX_BYTES + 1)) == NULL) {
		if (diag != NULL) {
			fprintf(diag, "%s: out of memory\n", path);
		}
		goto out;
	}
	got = fread(buf, 1, POLICY_MAX_BYTES + 1, f);
	if (ferror(f)) {
		e = errno;
		if (diag != NULL) {
			fprintf(diag, "%s: cannot read: %s\n", path,
			    strerror(e));
		}
		goto out;
	}
	rv = policy_load_buffer(path, buf, got, out, diag, nerrors);
out:
	free(buf);
	fclose(f);
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
	for (i = 0; i < p->nstates; i++) {
		free(p->states[i].name);
		free(p->states[i].label);
		free(p->states[i].phase);
	}
	free(p->states);
	for (i = 0; i < p->nfields; i++) {
		free(p->fields[i].name);
		free(p->fields[i].label);
		for (j = 0; j < p->fields[i].nvalues; j++) {
			free(p->fields[i].values[j]);
		}
		free(p->fields[i].values);
	}
	free(p->fields);
	for (i = 0; i < p->nevents; i++) {
		free(p->events[i].name);
		free(p->events[i].label);
		free(p->events[i].from);
		free(p->events[i].requires);
		free(p->events[i].optional);
		free(p->events[i].basis);
	}
	free(p->events);
	for (i = 0; i < p->nops; i++) {
		free(p->ops[i].name);
	}
	free(p->ops);
	free(p);
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
		if (strcmp(role_names[r], name) == 0) {
			return (r);
		}
	}
	return (-1);
}

const char *
policy_role_name(int role)
{
	if (role < 0 || role >= ROLE__COUNT) {
		return ("?");
	}
	return (role_names[role]);
}
