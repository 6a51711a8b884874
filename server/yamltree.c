/* SPDX-License-Identifier: MIT */
/*
 * yamltree.c - YAML configuration files as a small tree with line numbers.
 * Owns: libyaml's events built into that tree with the checks every
 * loader needs (size, anchors and aliases, tags, mapping keys, depth, one
 * document), reading a file whole, the typed getters, and the
 * diagnostics, held back and printed as "file:line: what" in line order.
 * Must not: know any file's schema (policy, calendar, minimum wage), log,
 * or keep global state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wage/protocol.h"

#include <yaml.h>

#include "fileio.h"
#include "yamltree.h"

/*
 * Diagnostics. The text may quote names from the file, so control
 * characters are replaced before it reaches a terminal or log.
 */

void
yamltree_diag_init(struct yamltree_diag *d, const char *name, FILE *out)
{
	memset(d, 0, sizeof(*d));
	d->name = name;
	d->out  = out;
}

void
yamltree_err(struct yamltree_diag *d, size_t line, const char *fmt, ...)
{
	char                 msg[512];
	char                *s;
	struct yamltree_msg *m;
	size_t               ncap;
	va_list              ap;

	d->nerrors++;
	if (d->out == NULL) {
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
	if (d->nmsgs == d->msgcap) {
		ncap = d->msgcap == 0 ? 16 : d->msgcap * 2;
		if ((m = realloc(d->msgs, ncap * sizeof(*m))) != NULL) {
			d->msgs   = m;
			d->msgcap = ncap;
		}
	}
	if (d->nmsgs < d->msgcap &&
	    (d->msgs[d->nmsgs].text = strdup(msg)) != NULL) {
		d->msgs[d->nmsgs].line = line;
		d->msgs[d->nmsgs].seq  = d->nmsgs;
		d->nmsgs++;
	} else {
		/* No memory to hold it back: say it now. */
		fprintf(d->out, "%s:%zu: %s\n", d->name, line, msg);
	}
}

static int
msg_cmp(const void *a, const void *b)
{
	const struct yamltree_msg *x = a, *y = b;

	if (x->line != y->line) {
		return (x->line < y->line ? -1 : 1);
	}
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

void
yamltree_flush(struct yamltree_diag *d)
{
	size_t i;

	if (d->nmsgs > 1) {
		qsort(d->msgs, d->nmsgs, sizeof(*d->msgs), msg_cmp);
	}
	for (i = 0; i < d->nmsgs; i++) {
		fprintf(d->out, "%s:%zu: %s\n", d->name, d->msgs[i].line,
		    d->msgs[i].text);
		free(d->msgs[i].text);
	}
	free(d->msgs);
	d->msgs  = NULL;
	d->nmsgs = d->msgcap = 0;
}

void
yamltree_oom(struct yamltree_diag *d, size_t line)
{
	if (!d->oom) {
		d->oom = true;
		yamltree_err(d, line, "out of memory");
	}
}

char *
yamltree_strdup(struct yamltree_diag *d, const char *s, size_t line)
{
	char *c;

	if (s == NULL) {
		return (NULL);
	}
	if ((c = strdup(s)) == NULL) {
		yamltree_oom(d, line);
	}
	return (c);
}

void
yamltree_join(char *buf, size_t len, const char *const *list, size_t n)
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

long
yamltree_find(const char *const *list, size_t n, const char *s)
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
 * Building the tree from libyaml's events.
 */

struct anchor {
	char                 *name;
	struct yamltree_node *node;
};

struct build {
	struct yamltree_diag        *d;
	const struct yamltree_rules *r;
	struct yamltree_node        *root;  /* of the document being read */
	struct yamltree_node        *first; /* while a second one is read */
	struct yamltree_node        *open;  /* innermost open list/mapping */
	int                          depth; /* open lists and mappings */
	int                          ndocs;
	size_t                       doc2_line;
	struct anchor               *anchors; /* REFUSE_ALL: this document's */
	size_t                       nanchors, anchorcap;
};

/*
 * yamltree_free walks down and back up by the parent links rather than
 * recursing: YAMLTREE_REFUSE_ALL keeps nodes nested beyond max_depth
 * (to report them), and a file may nest thousands of levels.
 */
void
yamltree_free(struct yamltree_node *n)
{
	struct yamltree_node *top = n, *up;

	while (n != NULL) {
		if (n->nkids > 0) {
			n = n->kids[--n->nkids];
			continue;
		}
		up = n == top ? NULL : n->up;
		free(n->kids);
		free(n->str);
		free(n);
		n = up;
	}
}

/*
 * nomem reports running out of memory. Under YAMLTREE_REFUSE_ALL it is
 * reported against line 1, as when libyaml's loader ran out.
 */
static void
nomem(struct build *b, size_t line)
{
	yamltree_oom(b->d, b->r->mode == YAMLTREE_REFUSE_ALL ? 1 : line);
}

static void
syntax_error(struct yamltree_diag *d, size_t line, const char *problem,
    const char *context, size_t context_line)
{
	if (context != NULL) {
		yamltree_err(d, line,
		    "YAML syntax error: %s (%s started at "
		    "line %zu)",
		    problem, context, context_line);
	} else {
		yamltree_err(d, line, "YAML syntax error: %s", problem);
	}
}

/*
 * parse_failed reports why libyaml stopped. A reader error (bad UTF-8)
 * has no mark of its own: YAMLTREE_REFUSE_ALL counts its line from the
 * byte offset, YAMLTREE_MARK_BAD names where the scanner was.
 */
static void
parse_failed(
    struct build *b, const yaml_parser_t *yp, const char *buf, size_t len)
{
	const char *problem = yp->problem != NULL ? yp->problem : "?";
	size_t      i, line = 1;

	if (yp->error == YAML_MEMORY_ERROR) {
		yamltree_oom(b->d, 1);
	} else if (yp->error != YAML_READER_ERROR) {
		syntax_error(b->d, yp->problem_mark.line + 1, problem,
		    yp->context, yp->context_mark.line + 1);
	} else if (b->r->mode == YAMLTREE_MARK_BAD) {
		yamltree_err(b->d, yp->mark.line + 1,
		    "YAML syntax error: %s (at byte %zu)", problem,
		    yp->problem_offset);
	} else {
		for (i = 0; i < yp->problem_offset && i < len; i++) {
			line += buf[i] == '\n';
		}
		yamltree_err(b->d, line, "YAML error: %s (at byte %zu)",
		    problem, yp->problem_offset);
	}
}

static void
anchors_clear(struct build *b)
{
	size_t i;

	for (i = 0; i < b->nanchors; i++) {
		free(b->anchors[i].name);
	}
	b->nanchors = 0;
}

static struct yamltree_node *
anchor_find(const struct build *b, const yaml_char_t *name)
{
	size_t i;

	for (i = 0; i < b->nanchors; i++) {
		if (strcmp(b->anchors[i].name, (const char *) name) == 0) {
			return (b->anchors[i].node);
		}
	}
	return (NULL);
}

/*
 * anchor_add records that name stands for n in this document. A name
 * used twice is the error libyaml's loader gives. Returns false after
 * reporting.
 */
static bool
anchor_add(struct build *b, const yaml_char_t *name, struct yamltree_node *n)
{
	struct yamltree_node *old;
	struct anchor        *a;
	size_t                ncap;

	if ((old = anchor_find(b, name)) != NULL) {
		syntax_error(b->d, n->line, "second occurrence",
		    "found duplicate anchor; first occurrence", old->line);
		return (false);
	}
	if (b->nanchors == b->anchorcap) {
		ncap = b->anchorcap == 0 ? 8 : b->anchorcap * 2;
		if ((a = realloc(b->anchors, ncap * sizeof(*a))) == NULL) {
			nomem(b, n->line);
			return (false);
		}
		b->anchors   = a;
		b->anchorcap = ncap;
	}
	if ((b->anchors[b->nanchors].name = strdup((const char *) name)) ==
	    NULL) {
		nomem(b, n->line);
		return (false);
	}
	b->anchors[b->nanchors++].node = n;
	return (true);
}

/*
 * attach adds n to parent. Returns 0, -1 when out of memory or -2 when
 * the parent is over max_items (reported). Under YAMLTREE_MARK_BAD keys
 * of a mapping must be plain strings, each once: a bad key is reported
 * and marked, so that the checks later skip its pair.
 */
static int
attach(struct build *b, struct yamltree_node *parent, struct yamltree_node *n)
{
	struct yamltree_node      **k;
	const struct yamltree_node *k0;
	size_t                      i, ncap;

	if (b->r->mode == YAMLTREE_MARK_BAD && b->r->max_items > 0 &&
	    parent->nkids >= 2 * (size_t) b->r->max_items) {
		yamltree_err(b->d, n->line, "more than %d entries in one %s",
		    b->r->max_items,
		    parent->kind == YAMLTREE_MAP ? "mapping" : "list");
		return (-2);
	}
	if (b->r->mode == YAMLTREE_MARK_BAD && parent->kind == YAMLTREE_MAP &&
	    parent->nkids % 2 == 0 && !n->bad) {
		if (n->kind != YAMLTREE_SCALAR) {
			yamltree_err(b->d, n->line,
			    "a mapping key must be a "
			    "plain string, not a list "
			    "or mapping");
			n->bad = true;
		}
		for (i = 0; !n->bad && i < parent->nkids; i += 2) {
			k0 = parent->kids[i];
			if (!k0->bad && strcmp(k0->str, n->str) == 0) {
				yamltree_err(b->d, n->line,
				    "duplicate key '%s' (first at line %zu)",
				    n->str, k0->line);
				n->bad = true;
			}
		}
	}
	if (parent->nkids == parent->cap) {
		ncap = parent->cap == 0 ? 8 : parent->cap * 2;
		if ((k = realloc(parent->kids, ncap * sizeof(*k))) == NULL) {
			return (-1);
		}
		parent->kids = k;
		parent->cap  = ncap;
	}
	parent->kids[parent->nkids++] = n;
	n->up                         = parent;
	return (0);
}

/* tag_default: libyaml's loader takes no tag, "!" and the default alike. */
static bool
tag_default(const yaml_char_t *tag, enum yamltree_kind kind)
{
	static const char *const deftag[] = { YAML_DEFAULT_SCALAR_TAG,
		YAML_DEFAULT_SEQUENCE_TAG, YAML_DEFAULT_MAPPING_TAG };

	return (tag == NULL || strcmp((const char *) tag, "!") == 0 ||
	    strcmp((const char *) tag, deftag[kind]) == 0);
}

/*
 * node_new makes the node an event stands for (NULL when out of memory,
 * reported by the caller).
 */
static struct yamltree_node *
node_new(const yaml_event_t *ev)
{
	struct yamltree_node *n;

	if ((n = calloc(1, sizeof(*n))) == NULL) {
		return (NULL);
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n->kind  = YAMLTREE_SCALAR;
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		n->len   = ev->data.scalar.length;
		if ((n->str = malloc(n->len + 1)) != NULL) {
			memcpy(n->str, ev->data.scalar.value, n->len);
			n->str[n->len] = '\0';
		}
		break;
	case YAML_SEQUENCE_START_EVENT:
		n->kind = YAMLTREE_SEQ;
		n->str  = strdup("");
		break;
	case YAML_MAPPING_START_EVENT:
		n->kind = YAMLTREE_MAP;
		n->str  = strdup("");
		break;
	default: /* YAML_ALIAS_EVENT */
		n->kind = YAMLTREE_SCALAR;
		n->str  = strdup("");
		break;
	}
	if (n->str == NULL) {
		free(n);
		return (NULL);
	}
	return (n);
}

/*
 * add_node builds the node of an alias, scalar, list or mapping event and
 * adds it to the tree. Returns false when the load must stop (reported).
 */
static bool
add_node(struct build *b, const yaml_event_t *ev, size_t line)
{
	struct yamltree_node *n, *target = NULL;
	const yaml_char_t    *anchor = NULL, *tag = NULL;
	bool                  mark = b->r->mode == YAMLTREE_MARK_BAD;
	int                   rc;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		if (mark) {
			yamltree_err(b->d, line,
			    "anchors and aliases are not "
			    "allowed");
		} else if ((target = anchor_find(b, ev->data.alias.anchor)) ==
		    NULL) {
			syntax_error(
			    b->d, line, "found undefined alias", NULL, 0);
			return (false);
		}
		break;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag    = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag    = ev->data.sequence_start.tag;
		break;
	default: /* YAML_MAPPING_START_EVENT */
		anchor = ev->data.mapping_start.anchor;
		tag    = ev->data.mapping_start.tag;
		break;
	}
	if ((n = node_new(ev)) == NULL) {
		nomem(b, line);
		return (false);
	}
	n->line  = line;
	n->alias = target;
	if (mark) {
		n->bad = ev->type == YAML_ALIAS_EVENT;
		if (anchor != NULL) {
			yamltree_err(b->d, line,
			    "anchors and aliases are not "
			    "allowed");
			n->bad = true;
		}
		if (tag != NULL) {
			yamltree_err(b->d, line, "YAML tags are not allowed");
			n->bad = true;
		}
	} else {
		n->tag_bad =
		    ev->type != YAML_ALIAS_EVENT && !tag_default(tag, n->kind);
		if (anchor != NULL && !anchor_add(b, anchor, n)) {
			yamltree_free(n);
			return (false);
		}
	}
	if (b->open == NULL) {
		/* A document has one top node. */
		yamltree_free(b->root);
		b->root = n;
	} else if ((rc = attach(b, b->open, n)) != 0) {
		yamltree_free(n);
		if (rc == -1) {
			nomem(b, line);
		}
		return (false);
	}
	if (n->kind != YAMLTREE_SCALAR) {
		if (mark && b->depth == b->r->max_depth) {
			yamltree_err(b->d, line,
			    "nested more than %d levels "
			    "deep",
			    b->r->max_depth);
			return (false);
		}
		b->open = n;
		b->depth++;
	}
	return (true);
}

/* on_event takes one event. Returns false when the load must stop. */
static bool
on_event(struct build *b, const yaml_event_t *ev, bool *done)
{
	size_t line = ev->start_mark.line + 1;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		*done = true;
		return (true);
	case YAML_DOCUMENT_START_EVENT:
		anchors_clear(b);
		if (++b->ndocs == 1) {
			return (true);
		}
		if (b->r->mode == YAMLTREE_MARK_BAD) {
			yamltree_err(b->d, line, "%s", b->r->second_doc);
			return (false);
		}
		/* libyaml's loader reads it whole: its errors come first. */
		b->doc2_line = line;
		b->first     = b->root;
		b->root      = NULL;
		return (true);
	case YAML_DOCUMENT_END_EVENT:
		if (b->ndocs > 1) {
			yamltree_err(
			    b->d, b->doc2_line, "%s", b->r->second_doc);
			return (false);
		}
		return (true);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->open != NULL) {
			b->open = b->open->up;
			b->depth--;
		}
		return (true);
	case YAML_ALIAS_EVENT:
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return (add_node(b, ev, line));
	default:
		return (true);
	}
}

/* resolve: the node an alias names, else n itself. */
static const struct yamltree_node *
resolve(const struct yamltree_node *n)
{
	return (n->alias != NULL ? n->alias : n);
}

/*
 * walk checks the document under YAMLTREE_REFUSE_ALL as a graph, the way
 * libyaml's loader leaves it: every node reached once (an alias reaches
 * the node it names again), no tag but the default, scalar keys each
 * once, no NUL inside a scalar, at most max_depth levels. Returns false
 * when it reported anything.
 */
static bool
walk(struct build *b, struct yamltree_node *node, int depth)
{
	struct yamltree_node *n = node->alias != NULL ? node->alias : node;
	const struct yamltree_node *k, *k2;
	size_t                      i, j;
	bool                        ok = true;

	if (n->seen) {
		yamltree_err(b->d, n->line,
		    "anchors and aliases are not "
		    "allowed");
		return (false);
	}
	n->seen = true;
	if (depth > b->r->max_depth) {
		yamltree_err(b->d, n->line, "nested more than %d levels deep",
		    b->r->max_depth);
		return (false);
	}
	if (n->tag_bad) {
		yamltree_err(b->d, n->line, "YAML tags are not allowed");
		ok = false;
	}
	if (n->kind == YAMLTREE_SCALAR && strlen(n->str) != n->len) {
		yamltree_err(b->d, n->line, "a NUL character in a value");
		ok = false;
	}
	for (i = 0; i < n->nkids; i++) {
		if (n->kind == YAMLTREE_MAP && i % 2 == 0) {
			k = resolve(n->kids[i]);
			if (k->kind != YAMLTREE_SCALAR) {
				yamltree_err(b->d, k->line,
				    "a mapping key must be a plain string, "
				    "not a list or mapping");
				ok = false;
			}
			for (j = 0; k->kind == YAMLTREE_SCALAR && j < i;
			     j += 2) {
				k2 = resolve(n->kids[j]);
				if (k2->kind == YAMLTREE_SCALAR &&
				    strcmp(k->str, k2->str) == 0) {
					yamltree_err(b->d, k->line,
					    "duplicate key '%s' (first at "
					    "line %zu)",
					    k->str, k2->line);
					ok = false;
					break;
				}
			}
		}
		ok = walk(b, n->kids[i], depth + 1) && ok;
	}
	return (ok);
}

/*
 * too_big reports a buffer over max_bytes. A limit of whole MiB is named
 * in MiB, with the buffer's size.
 */
static void
too_big(struct yamltree_diag *d, size_t len, const struct yamltree_rules *r)
{
	const size_t mib = 1024 * 1024;

	if (r->max_bytes % mib == 0) {
		yamltree_err(d, 1,
		    "the file is larger than %zu MiB (%zu "
		    "bytes): not %s",
		    r->max_bytes / mib, len, r->what);
	} else {
		yamltree_err(d, 1, "the file is larger than %zu bytes: not %s",
		    r->max_bytes, r->what);
	}
}

struct yamltree_node *
yamltree_load(struct yamltree_diag *d, const char *buf, size_t len,
    const struct yamltree_rules *rules)
{
	yaml_parser_t yp;
	yaml_event_t  ev;
	struct build  b;
	bool          done = false, ok = true;

	if (len > rules->max_bytes) {
		too_big(d, len, rules);
		return (NULL);
	}
	memset(&b, 0, sizeof(b));
	b.d = d;
	b.r = rules;
	if (!yaml_parser_initialize(&yp)) {
		yamltree_oom(d, 1);
		return (NULL);
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *) buf, len);
	while (!done && ok) {
		if (!yaml_parser_parse(&yp, &ev)) {
			parse_failed(&b, &yp, buf, len);
			ok = false;
			break;
		}
		ok = on_event(&b, &ev, &done);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	anchors_clear(&b);
	free(b.anchors);
	yamltree_free(b.first);
	if (!ok) {
		yamltree_free(b.root);
		return (NULL);
	}
	if (b.root == NULL) {
		yamltree_err(d, 1, "%s", rules->empty);
		return (NULL);
	}
	if (rules->mode == YAMLTREE_REFUSE_ALL && !walk(&b, b.root, 0)) {
		yamltree_free(b.root);
		return (NULL);
	}
	return (b.root);
}

bool
yamltree_read_file(struct yamltree_diag *d, const char *path, size_t max,
    char **buf, size_t *len)
{
	struct wage_error e;

	if (fileio_read(path, max, 0, buf, len, &e) == WAGE_OK) {
		return (true);
	}
	if (errno == ENOMEM) {
		yamltree_oom(d, 1);
	} else {
		yamltree_err(d, 1, "%s", e.message);
	}
	return (false);
}

/*
 * Typed access to tree nodes. Each reports its own error against the
 * node's line; a node already reported (bad) fails quietly.
 */

const char *
yamltree_str(
    struct yamltree_diag *d, const struct yamltree_node *n, const char *what)
{
	if (n == NULL || n->bad) {
		return (NULL);
	}
	if (n->kind != YAMLTREE_SCALAR) {
		yamltree_err(d, n->line, "'%s' must be a string, not a %s",
		    what, n->kind == YAMLTREE_SEQ ? "list" : "mapping");
		return (NULL);
	}
	return (n->str);
}

const char *
yamltree_text(struct yamltree_diag *d, const struct yamltree_node *n,
    const char *what, int max)
{
	const char *s;
	size_t      i, chars = 0;
	bool        blank = true;

	if ((s = yamltree_str(d, n, what)) == NULL) {
		return (NULL);
	}
	for (i = 0; i < n->len; i++) {
		unsigned char u = (unsigned char) s[i];

		if (u < 0x20 || u == 0x7f) {
			yamltree_err(d, n->line,
			    "'%s' must be one line "
			    "without control characters",
			    what);
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
		yamltree_err(d, n->line, "'%s' must not be empty", what);
		return (NULL);
	}
	if (chars > (size_t) max) {
		yamltree_err(d, n->line, "'%s' is longer than %d characters",
		    what, max);
		return (NULL);
	}
	return (s);
}

static bool
valid_name(const char *s, int max)
{
	size_t i;

	if (s[0] < 'a' || s[0] > 'z') {
		return (false);
	}
	for (i = 1; s[i] != '\0'; i++) {
		if (i >= (size_t) max) {
			return (false);
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) {
			return (false);
		}
	}
	return (true);
}

const char *
yamltree_name(struct yamltree_diag *d, const struct yamltree_node *n,
    const char *what, int max)
{
	const char *s;

	if ((s = yamltree_str(d, n, what)) == NULL) {
		return (NULL);
	}
	if (!valid_name(s, max)) {
		yamltree_err(d, n->line,
		    "'%s' must be a name of lower-case letters, digits and "
		    "'_', starting with a letter, at most %d long",
		    what, max);
		return (NULL);
	}
	return (s);
}

bool
yamltree_bool(struct yamltree_diag *d, const struct yamltree_node *n,
    const char *what, bool *out)
{
	if (n == NULL || n->bad) {
		return (false);
	}
	if (n->kind == YAMLTREE_SCALAR && n->plain) {
		if (strcmp(n->str, "true") == 0) {
			*out = true;
			return (true);
		}
		if (strcmp(n->str, "false") == 0) {
			*out = false;
			return (true);
		}
	}
	yamltree_err(d, n->line, "'%s' must be true or false", what);
	return (false);
}

bool
yamltree_int(struct yamltree_diag *d, const struct yamltree_node *n,
    const char *what, long long *out)
{
	char     *end;
	long long v;
	size_t    i;

	if (n == NULL || n->bad) {
		return (false);
	}
	if (n->kind == YAMLTREE_SCALAR && n->plain && n->len > 0) {
		/* Decimal only: no 0x, 0o, 1e3, 1_000 or leading '+'. */
		i = n->str[0] == '-' ? 1 : 0;
		if (n->str[i] != '\0' &&
		    strspn(n->str + i, "0123456789") == n->len - i) {
			errno = 0;
			v     = strtoll(n->str, &end, 10);
			if (errno == 0 && *end == '\0') {
				*out = v;
				return (true);
			}
		}
	}
	yamltree_err(d, n->line, "'%s' must be a whole number", what);
	return (false);
}

bool
yamltree_is_kind(struct yamltree_diag *d, const struct yamltree_node *n,
    enum yamltree_kind k, const char *what)
{
	if (n == NULL || n->bad) {
		return (false);
	}
	if (n->kind != k) {
		yamltree_err(d, n->line, "'%s' must be a %s", what,
		    k == YAMLTREE_SEQ ? "list" : "mapping");
		return (false);
	}
	return (true);
}

void
yamltree_map_keys(struct yamltree_diag *d, const struct yamltree_node *m,
    const char *what, const char *const *keys, size_t nkeys,
    const struct yamltree_node **vals)
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
			yamltree_join(allowed, sizeof(allowed), keys, nkeys);
			yamltree_err(d, m->kids[i]->line,
			    "unknown key '%s'%s%s; allowed: %s",
			    m->kids[i]->str, what != NULL ? " in " : "",
			    what != NULL ? what : "", allowed);
		}
	}
}

void
yamltree_need(struct yamltree_diag *d, const struct yamltree_node *m,
    const struct yamltree_node *v, const char *key, const char *what)
{
	if (v != NULL) {
		return;
	}
	if (what != NULL) {
		yamltree_err(d, m->line, "%s has no '%s'", what, key);
	} else {
		yamltree_err(d, m->line, "no '%s'", key);
	}
}

/* ---- shared by the directory loaders (calendar.c, minwage.c) ---- */

void
yamltree_hex_digest(const unsigned char digest[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	size_t            i;

	for (i = 0; i < 32; i++) {
		out[2 * i]     = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0xf];
	}
	out[64] = '\0';
}

int
yamltree_finish(int nerrors, bool nomem, int *nerrp)
{
	if (nerrp != NULL) {
		*nerrp = nerrors;
	}
	if (nomem) {
		return (WAGE_E_INTERNAL);
	}
	return (nerrors > 0 ? WAGE_E_INVALID_ARGUMENT : WAGE_OK);
}

int
yamltree_str_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *) a, *(char *const *) b));
}
