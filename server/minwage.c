/* SPDX-License-Identifier: MIT */
/*
 * minwage.c - the monthly minimum-wage tables and the final-award limit.
 * Owns: reading and checking policies/minimum-wage/NAME.yaml with libyaml
 * (every problem as "file:line: what is wrong"), the tier of a county,
 * and the amount in force on a date, in integer fen (never floating
 * point: yuan with up to 2 decimals are read digit by digit).
 * Must not: log (diagnostics go to the caller's FILE), keep global state,
 * or know about cases, policies, storage or the wire.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <mbedtls/sha256.h>
#include <yaml.h>

#include "minwage.h"
#include "wage/protocol.h"

#define MW_MAX_BYTES (256 * 1024) /* a province's table is a few KiB */
#define MW_MAX_FILES 100          /* tables in one directory */
#define MW_MAX_ITEMS 5000         /* sets, or codes, in one table */
#define MW_MAX_DEPTH 8            /* the schema needs 4 levels */
#define MW_MAX_YUAN 100000LL      /* a monthly minimum wage above is a typo */
#define MW_MAX_PATH 4096

struct mw_set {
	struct civil_date effective;
	long long         fen[MINWAGE_MAX_TIERS]; /* [0] is tier 1 */
	size_t            line;
};

/* A county (6 digits) or a whole city (4 digits) and its tier. */
struct mw_code {
	char   code[7];
	size_t len;
	int    tier;
	size_t line;
};

struct mw_table {
	char            region[7];
	char            prefix[7]; /* region without its trailing "00"s */
	size_t          plen;
	size_t          region_line;
	size_t          file; /* minwage_load_dir: index of its file */
	int             ntiers;
	struct mw_set  *sets; /* effective dates strictly ascending */
	size_t          nsets;
	struct mw_code *codes;
	size_t          ncodes;
};

struct minwage {
	struct mw_table *tables; /* regions do not overlap */
	size_t           ntables;
	char             hash_hex[65];
};

/*
 * Diagnostics, held back and printed sorted by line (the same scheme as
 * policy.c and calendar.c).
 */
struct mmsg {
	size_t line;
	size_t seq;
	char  *text;
};

struct mctx {
	const char  *name;
	FILE        *diag;
	struct mmsg *msgs;
	size_t       nmsgs, msgcap;
	int          nerrors;
	bool         oom;
};

static void merr(struct mctx *c, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The text may quote the file: control characters become '?'. */
static void
merr(struct mctx *c, size_t line, const char *fmt, ...)
{
	char         msg[512];
	char        *s;
	struct mmsg *m;
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
		ncap = c->msgcap == 0 ? 8 : c->msgcap * 2;
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

static void
oom(struct mctx *c, size_t line)
{
	if (!c->oom) {
		c->oom = true;
		merr(c, line, "out of memory");
	}
}

static int
mmsg_cmp(const void *a, const void *b)
{
	const struct mmsg *x = a, *y = b;

	if (x->line != y->line) {
		return (x->line < y->line ? -1 : 1);
	}
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static void
merr_flush(struct mctx *c)
{
	size_t i;

	if (c->nmsgs > 1) {
		qsort(c->msgs, c->nmsgs, sizeof(*c->msgs), mmsg_cmp);
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

/*
 * YAML: libyaml's document loader builds the node tree with marks; the
 * checks below add what it does not refuse by itself (aliases, tags,
 * duplicate keys, more than one document).
 */

static size_t
line_of(const yaml_node_t *n)
{
	return (n->start_mark.line + 1);
}

/*
 * yaml_fail reports why libyaml stopped. A reader error (bad UTF-8) has
 * no mark: its line is counted from the byte offset.
 */
static void
yaml_fail(struct mctx *c, const yaml_parser_t *yp, const char *buf,
    size_t len)
{
	size_t i, line = 1;

	if (yp->error == YAML_MEMORY_ERROR) {
		oom(c, 1);
	} else if (yp->error == YAML_READER_ERROR) {
		for (i = 0; i < yp->problem_offset && i < len; i++) {
			line += buf[i] == '\n';
		}
		merr(c, line, "YAML error: %s (at byte %zu)",
		    yp->problem != NULL ? yp->problem : "?",
		    yp->problem_offset);
	} else if (yp->context != NULL) {
		merr(c, yp->problem_mark.line + 1,
		    "YAML syntax error: %s (%s started at line %zu)",
		    yp->problem != NULL ? yp->problem : "?", yp->context,
		    yp->context_mark.line + 1);
	} else {
		merr(c, yp->problem_mark.line + 1, "YAML syntax error: %s",
		    yp->problem != NULL ? yp->problem : "?");
	}
}

/* doc_load parses buf as exactly one YAML document. */
static bool
doc_load(struct mctx *c, const char *buf, size_t len, yaml_document_t *doc)
{
	yaml_parser_t   yp;
	yaml_document_t extra;
	bool            ok = false;

	memset(doc, 0, sizeof(*doc));
	if (!yaml_parser_initialize(&yp)) {
		oom(c, 1);
		return (false);
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *) buf, len);
	if (!yaml_parser_load(&yp, doc)) {
		yaml_fail(c, &yp, buf, len);
		goto out;
	}
	if (yaml_document_get_root_node(doc) == NULL) {
		merr(c, 1, "the file is empty: expected a mapping with "
		           "region, sets and tier lists");
		goto out;
	}
	if (!yaml_parser_load(&yp, &extra)) {
		yaml_fail(c, &yp, buf, len);
		goto out;
	}
	if (yaml_document_get_root_node(&extra) != NULL) {
		merr(c, extra.start_mark.line + 1,
		    "only one YAML document is allowed");
		yaml_document_delete(&extra);
		goto out;
	}
	yaml_document_delete(&extra);
	ok = true;
out:
	if (!ok) {
		yaml_document_delete(doc);
		memset(doc, 0, sizeof(*doc));
	}
	yaml_parser_delete(&yp);
	return (ok);
}

static bool
tag_ok(const yaml_node_t *n, const char *deftag)
{
	return (n->tag == NULL || strcmp((const char *) n->tag, deftag) == 0);
}

static bool
is_scalar(const yaml_node_t *n)
{
	return (n != NULL && n->type == YAML_SCALAR_NODE);
}

static const char *
sval(const yaml_node_t *n)
{
	return ((const char *) n->data.scalar.value);
}

/*
 * tree_check walks the tree from node idx: every node reached once (an
 * alias would reach one twice), no explicit tags, scalar keys each once,
 * no NUL inside a scalar, at most MW_MAX_DEPTH levels.
 */
static bool
tree_check(struct mctx *c, yaml_document_t *doc, int idx, int depth,
    unsigned char *seen)
{
	yaml_node_t      *n = yaml_document_get_node(doc, idx);
	yaml_node_item_t *it;
	yaml_node_pair_t *p, *q;
	yaml_node_t      *k, *k2;
	bool              ok = true;

	if (n == NULL) {
		return (false);
	}
	if (seen[idx - 1]) {
		merr(c, line_of(n), "anchors and aliases are not allowed");
		return (false);
	}
	seen[idx - 1] = 1;
	if (depth > MW_MAX_DEPTH) {
		merr(c, line_of(n), "nested more than %d levels deep",
		    MW_MAX_DEPTH);
		return (false);
	}
	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (!tag_ok(n, YAML_DEFAULT_SCALAR_TAG)) {
			merr(c, line_of(n), "YAML tags are not allowed");
			ok = false;
		}
		if (strlen(sval(n)) != n->data.scalar.length) {
			merr(c, line_of(n), "a NUL character in a value");
			ok = false;
		}
		break;
	case YAML_SEQUENCE_NODE:
		if (!tag_ok(n, YAML_DEFAULT_SEQUENCE_TAG)) {
			merr(c, line_of(n), "YAML tags are not allowed");
			ok = false;
		}
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++) {
			ok = tree_check(c, doc, *it, depth + 1, seen) && ok;
		}
		break;
	case YAML_MAPPING_NODE:
		if (!tag_ok(n, YAML_DEFAULT_MAPPING_TAG)) {
			merr(c, line_of(n), "YAML tags are not allowed");
			ok = false;
		}
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++) {
			k = yaml_document_get_node(doc, p->key);
			if (!is_scalar(k)) {
				merr(c, k != NULL ? line_of(k) : 1,
				    "a mapping key must be a plain string, "
				    "not a list or mapping");
				ok = false;
			} else {
				for (q = n->data.mapping.pairs.start; q < p;
				    q++) {
					k2 = yaml_document_get_node(
					    doc, q->key);
					if (is_scalar(k2) &&
					    strcmp(sval(k), sval(k2)) == 0) {
						merr(c, line_of(k),
						    "duplicate key '%s' "
						    "(first at line %zu)",
						    sval(k), line_of(k2));
						ok = false;
						break;
					}
				}
			}
			ok = tree_check(c, doc, p->key, depth + 1, seen) &&
			    ok;
			ok = tree_check(c, doc, p->value, depth + 1, seen) &&
			    ok;
		}
		break;
	default:
		merr(c, line_of(n), "unexpected YAML node");
		ok = false;
		break;
	}
	return (ok);
}

/* doc_check: the structural checks over the whole document. */
static bool
doc_check(struct mctx *c, yaml_document_t *doc)
{
	unsigned char *seen;
	size_t         nnodes;
	bool           ok;

	nnodes = (size_t) (doc->nodes.top - doc->nodes.start);
	if ((seen = calloc(nnodes + 1, 1)) == NULL) {
		oom(c, 1);
		return (false);
	}
	ok = tree_check(c, doc, 1, 0, seen);
	free(seen);
	return (ok);
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return (false);
		}
	}
	return (true);
}

/*
 * parse_yuan reads a plain amount of yuan, "2200" or "2200.5" or
 * "2200.50", into fen without floating point. Returns false when the
 * text is not such an amount, or is 0 or above MW_MAX_YUAN.
 */
static bool
parse_yuan(const yaml_node_t *n, long long *fen)
{
	const char *s = sval(n), *dot;
	size_t      ilen, flen;
	long long   v = 0;
	size_t      i;

	if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		return (false);
	}
	dot  = strchr(s, '.');
	ilen = dot != NULL ? (size_t) (dot - s) : strlen(s);
	flen = dot != NULL ? strlen(dot + 1) : 0;
	if (ilen == 0 || ilen > 6 || !all_digits(s, ilen) ||
	    (ilen > 1 && s[0] == '0') ||
	    (dot != NULL && (flen < 1 || flen > 2 ||
	                        !all_digits(dot + 1, flen)))) {
		return (false);
	}
	for (i = 0; i < ilen; i++) {
		v = v * 10 + (s[i] - '0');
	}
	v *= 100;
	if (flen >= 1) {
		v += 10 * (dot[1] - '0');
	}
	if (flen == 2) {
		v += dot[2] - '0';
	}
	if (v <= 0 || v > MW_MAX_YUAN * 100) {
		return (false);
	}
	*fen = v;
	return (true);
}

/* region_prefix: the code without its trailing "00" pairs (2, 4 or 6). */
static size_t
region_prefix(const char *region6)
{
	if (memcmp(region6 + 2, "0000", 4) == 0) {
		return (2);
	}
	if (memcmp(region6 + 4, "00", 2) == 0) {
		return (4);
	}
	return (6);
}

struct mparse {
	struct mctx     *c;
	yaml_document_t *doc;
	struct mw_table *t;
	bool             region_ok;
	bool             sets_ok; /* t->ntiers is known */
	size_t           ntiers_line;
};

static const char *const set_keys[] = { "effective", "tiers" };

/* parse_tiers reads {1: yuan, 2: yuan, ...} into s->fen; returns N. */
static int
parse_tiers(struct mparse *mp, const yaml_node_t *n, struct mw_set *s)
{
	struct mctx      *c = mp->c;
	yaml_node_pair_t *p;
	yaml_node_t      *k, *v;
	size_t            lines[MINWAGE_MAX_TIERS + 1];
	int               t, max = 0, i;
	bool              ok = true;

	memset(lines, 0, sizeof(lines));
	if (n->type != YAML_MAPPING_NODE) {
		merr(c, line_of(n), "'tiers' must be a mapping of tier "
		                    "number to yuan, like {1: 2200, 2: 2010}");
		return (0);
	}
	for (p = n->data.mapping.pairs.start;
	    p < n->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(mp->doc, p->key);
		v = yaml_document_get_node(mp->doc, p->value);
		if (k->data.scalar.length != 1 || sval(k)[0] < '1' ||
		    sval(k)[0] > '0' + MINWAGE_MAX_TIERS) {
			merr(c, line_of(k), "tier '%s' must be a number from "
			                    "1 to %d", sval(k),
			    MINWAGE_MAX_TIERS);
			ok = false;
			continue;
		}
		t = sval(k)[0] - '0';
		if (!is_scalar(v) || !parse_yuan(v, &s->fen[t - 1])) {
			merr(c, line_of(v),
			    "tier %d must be a positive amount of yuan (like "
			    "2200 or 2200.50, at most %lld)",
			    t, MW_MAX_YUAN);
			ok = false;
		}
		lines[t] = line_of(k);
		if (t > max) {
			max = t;
		}
	}
	for (i = 1; i <= max; i++) {
		if (lines[i] == 0) {
			merr(c, line_of(n), "'tiers' has no tier %d (tiers "
			                    "are numbered 1, 2, ... without "
			                    "gaps)", i);
			ok = false;
		}
	}
	if (max == 0) {
		merr(c, line_of(n), "'tiers' is empty");
		return (0);
	}
	if (!ok) {
		return (0);
	}
	/* Tier 1 is the highest (一档); a rise down the list is a typo. */
	for (i = 1; i < max; i++) {
		if (s->fen[i] > s->fen[i - 1]) {
			merr(c, lines[i + 1], "tier %d (%lld.%02lld yuan) is "
			                      "above tier %d: tier 1 is the "
			                      "highest",
			    i + 1, s->fen[i] / 100, s->fen[i] % 100, i);
			ok = false;
		}
	}
	return (ok ? max : 0);
}

static void
parse_sets(struct mparse *mp, const yaml_node_t *n)
{
	struct mctx      *c = mp->c;
	struct mw_table  *t = mp->t;
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	yaml_node_t      *e, *k, *v[2];
	struct mw_set    *s, *prev = NULL;
	struct wage_error err;
	size_t            nitems, i;
	int               nt;
	bool              ok = true, date_ok;

	if (n->type != YAML_SEQUENCE_NODE) {
		merr(c, line_of(n), "'sets' must be a list of "
		                    "{effective: DATE, tiers: {...}}");
		return;
	}
	nitems = (size_t) (n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (nitems == 0) {
		merr(c, line_of(n), "'sets' is empty");
		return;
	}
	if (nitems > MW_MAX_ITEMS) {
		merr(c, line_of(n), "more than %d sets", MW_MAX_ITEMS);
		return;
	}
	if ((t->sets = calloc(nitems, sizeof(*t->sets))) == NULL) {
		oom(c, line_of(n));
		return;
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		e = yaml_document_get_node(mp->doc, *it);
		s = &t->sets[t->nsets];
		s->line = line_of(e);
		if (e->type != YAML_MAPPING_NODE) {
			merr(c, line_of(e), "each set must be a mapping "
			                    "{effective: DATE, tiers: {...}}");
			ok = false;
			continue;
		}
		v[0] = v[1] = NULL;
		for (p = e->data.mapping.pairs.start;
		    p < e->data.mapping.pairs.top; p++) {
			k = yaml_document_get_node(mp->doc, p->key);
			for (i = 0; i < 2; i++) {
				if (strcmp(sval(k), set_keys[i]) == 0) {
					v[i] = yaml_document_get_node(
					    mp->doc, p->value);
					break;
				}
			}
			if (i == 2) {
				merr(c, line_of(k), "unknown key '%s' in a "
				                    "set; allowed: effective, "
				                    "tiers", sval(k));
				ok = false;
			}
		}
		date_ok = false;
		if (v[0] == NULL) {
			merr(c, line_of(e), "a set has no 'effective'");
			ok = false;
		} else if (!is_scalar(v[0]) ||
		    validate_date(sval(v[0]), &s->effective, "effective",
		        &err) != WAGE_OK) {
			merr(c, line_of(v[0]), "'effective' must be a date "
			                       "YYYY-MM-DD");
			ok = false;
		} else {
			date_ok = true;
		}
		if (date_ok && prev != NULL) {
			int cmp = civil_date_cmp(&s->effective,
			    &prev->effective);

			if (cmp == 0) {
				merr(c, line_of(v[0]),
				    "effective date %s is listed twice (first "
				    "at line %zu)",
				    sval(v[0]), prev->line);
				ok = false;
			} else if (cmp < 0) {
				merr(c, line_of(v[0]),
				    "effective dates must ascend: %s comes "
				    "after the set at line %zu",
				    sval(v[0]), prev->line);
				ok = false;
			}
		}
		if (date_ok) {
			prev = s;
		}
		if (v[1] == NULL) {
			merr(c, line_of(e), "a set has no 'tiers'");
			ok = false;
		} else if ((nt = parse_tiers(mp, v[1], s)) == 0) {
			ok = false;
		} else if (t->ntiers == 0) {
			t->ntiers       = nt;
			mp->ntiers_line = line_of(v[1]);
		} else if (nt != t->ntiers) {
			merr(c, line_of(v[1]), "this set has %d tiers, the "
			                       "first (line %zu) has %d",
			    nt, mp->ntiers_line, t->ntiers);
			ok = false;
		}
		t->nsets++;
	}
	mp->sets_ok = ok && t->ntiers > 0;
}

/*
 * parse_codes reads the list of tier tier. A code is a county (6 digits,
 * not ending in 00) or a whole city (4 digits, not ending in 00) in the
 * table's region.
 */
static void
parse_codes(struct mparse *mp, const yaml_node_t *kn, const yaml_node_t *n,
    int tier)
{
	struct mctx      *c = mp->c;
	struct mw_table  *t = mp->t;
	yaml_node_item_t *it;
	yaml_node_t      *e;
	struct mw_code   *nc, *code;
	size_t            nitems, len;
	const char       *s;

	if (mp->sets_ok && tier >= t->ntiers) {
		merr(c, line_of(kn), "'%s': counties not listed are in "
		                     "tier %d, the last; list only tiers 1 "
		                     "to %d",
		    sval(kn), t->ntiers, t->ntiers - 1);
		return;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		merr(c, line_of(n), "'%s' must be a list of county codes "
		                    "(6 digits) or city prefixes (4 digits)",
		    sval(kn));
		return;
	}
	nitems = (size_t) (n->data.sequence.items.top -
	    n->data.sequence.items.start);
	if (t->ncodes + nitems > MW_MAX_ITEMS) {
		merr(c, line_of(n), "more than %d codes", MW_MAX_ITEMS);
		return;
	}
	nc = realloc(t->codes, (t->ncodes + nitems + 1) * sizeof(*nc));
	if (nc == NULL) {
		oom(c, line_of(n));
		return;
	}
	t->codes = nc;
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		e = yaml_document_get_node(mp->doc, *it);
		if (!is_scalar(e)) {
			merr(c, line_of(e), "'%s' entries must be codes, not "
			                    "lists or mappings", sval(kn));
			continue;
		}
		s   = sval(e);
		len = strlen(s);
		if ((len != 4 && len != 6) || !all_digits(s, len)) {
			merr(c, line_of(e), "'%s' must be a county code (6 "
			                    "digits) or a city prefix (4 "
			                    "digits)", s);
			continue;
		}
		if (memcmp(s + len - 2, "00", 2) == 0) {
			merr(c, line_of(e),
			    "'%s' names no county or city: write a whole "
			    "city as its 4-digit prefix (3701), a county as "
			    "its 6 digits",
			    s);
			continue;
		}
		if (mp->region_ok &&
		    (len < t->plen || memcmp(s, t->prefix, t->plen) != 0)) {
			merr(c, line_of(e), "'%s' is outside region %s", s,
			    t->region);
			continue;
		}
		code = &t->codes[t->ncodes++];
		memcpy(code->code, s, len + 1);
		code->len  = len;
		code->tier = tier;
		code->line = line_of(e);
	}
}

/*
 * check_overlaps refuses a place listed twice: the same code, or a city
 * and one of its counties, in one list or in two.
 */
static void
check_overlaps(struct mparse *mp)
{
	struct mw_table      *t = mp->t;
	const struct mw_code *a, *b;
	size_t                i, j, n;

	for (j = 1; j < t->ncodes; j++) {
		b = &t->codes[j];
		for (i = 0; i < j; i++) {
			a = &t->codes[i];
			n = a->len < b->len ? a->len : b->len;
			if (memcmp(a->code, b->code, n) != 0) {
				continue;
			}
			if (a->len == b->len && a->tier == b->tier) {
				merr(mp->c, b->line, "%s is listed twice in "
				                     "tier%d (first at line "
				                     "%zu)",
				    b->code, b->tier, a->line);
			} else if (a->len == b->len) {
				merr(mp->c, b->line, "%s is in both tier%d "
				                     "(line %zu) and tier%d",
				    b->code, a->tier, a->line, b->tier);
			} else {
				merr(mp->c, b->line, "%s (tier%d) overlaps %s "
				                     "(tier%d, line %zu): a "
				                     "city and its county are "
				                     "listed both",
				    b->code, b->tier, a->code, a->tier,
				    a->line);
			}
			break;
		}
	}
}

static void
table_fini(struct mw_table *t)
{
	free(t->sets);
	free(t->codes);
	memset(t, 0, sizeof(*t));
}

/* parse_table checks one file held in buf and fills *t. */
static bool
parse_table(struct mctx *c, const char *buf, size_t len, struct mw_table *t)
{
	yaml_document_t   doc;
	yaml_node_t      *root, *k, *v, *region = NULL, *sets = NULL;
	yaml_node_pair_t *p;
	struct wage_error err;
	struct mparse     mp;
	int               nerr0 = c->nerrors;
	const char       *s;

	memset(t, 0, sizeof(*t));
	memset(&mp, 0, sizeof(mp));
	mp.c   = c;
	mp.doc = &doc;
	mp.t   = t;
	if (len > MW_MAX_BYTES) {
		merr(c, 1, "the file is larger than %d bytes: not a "
		           "minimum-wage table", MW_MAX_BYTES);
		return (false);
	}
	if (!doc_load(c, buf, len, &doc)) {
		return (false);
	}
	if (!doc_check(c, &doc)) {
		goto out;
	}
	root = yaml_document_get_root_node(&doc);
	if (root->type != YAML_MAPPING_NODE) {
		merr(c, line_of(root), "expected a mapping with region, sets "
		                       "and tier lists");
		goto out;
	}
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(&doc, p->key);
		v = yaml_document_get_node(&doc, p->value);
		if (strcmp(sval(k), "region") == 0) {
			region = v;
		} else if (strcmp(sval(k), "sets") == 0) {
			sets = v;
		} else if (!(strncmp(sval(k), "tier", 4) == 0 &&
		               k->data.scalar.length == 5 &&
		               sval(k)[4] >= '1' && sval(k)[4] <= '9')) {
			merr(c, line_of(k), "unknown key '%s'; allowed: "
			                    "region, sets, tier1, tier2, ...",
			    sval(k));
		}
	}
	if (region == NULL) {
		merr(c, line_of(root), "no 'region'");
	} else if (!is_scalar(region) ||
	    validate_region(sval(region), "region", &err) != WAGE_OK) {
		merr(c, line_of(region), "'region' must be a 6-digit GB/T "
		                         "2260 code, like \"370000\"");
	} else {
		s = sval(region);
		memcpy(t->region, s, 7);
		t->plen = region_prefix(s);
		memcpy(t->prefix, s, t->plen);
		t->prefix[t->plen] = '\0';
		t->region_line     = line_of(region);
		mp.region_ok       = true;
	}
	if (sets == NULL) {
		merr(c, line_of(root), "no 'sets'");
	} else {
		parse_sets(&mp, sets);
	}
	/* Tier lists in file order, so that overlaps name the later one. */
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(&doc, p->key);
		if (strncmp(sval(k), "tier", 4) == 0 &&
		    k->data.scalar.length == 5 && sval(k)[4] >= '1' &&
		    sval(k)[4] <= '9') {
			parse_codes(&mp, k,
			    yaml_document_get_node(&doc, p->value),
			    sval(k)[4] - '0');
		}
	}
	check_overlaps(&mp);
out:
	yaml_document_delete(&doc);
	if (c->nerrors != nerr0) {
		table_fini(t);
		return (false);
	}
	return (true);
}

static void
hex_digest(const unsigned char digest[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	size_t            i;

	for (i = 0; i < 32; i++) {
		out[2 * i]     = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 0xf];
	}
	out[64] = '\0';
}

static int
finish(int nerrors, bool nomem, int *nerrp)
{
	if (nerrp != NULL) {
		*nerrp = nerrors;
	}
	if (nomem) {
		return (WAGE_E_INTERNAL);
	}
	return (nerrors > 0 ? WAGE_E_INVALID_ARGUMENT : WAGE_OK);
}

void
minwage_free(struct minwage *m)
{
	size_t i;

	if (m == NULL) {
		return;
	}
	for (i = 0; i < m->ntables; i++) {
		table_fini(&m->tables[i]);
	}
	free(m->tables);
	free(m);
}

const char *
minwage_hash(const struct minwage *m)
{
	/* SHA-256 of the empty string. */
	static const char empty[] = "e3b0c44298fc1c149afbf4c8996fb924"
	                            "27ae41e4649b934ca495991b7852b855";

	return (m == NULL ? empty : m->hash_hex);
}

int
minwage_load_buffer(const char *name, const char *buf, size_t len,
    struct minwage **out, FILE *diag, int *nerrors)
{
	struct mctx     c;
	struct minwage *m;
	unsigned char   digest[32];
	int             rv;

	memset(&c, 0, sizeof(c));
	c.name = name != NULL ? name : "minimum-wage";
	c.diag = diag;
	*out   = NULL;
	if (buf == NULL) {
		buf = "";
		len = 0;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->tables = calloc(1, sizeof(*m->tables))) == NULL) {
		oom(&c, 1);
	} else if (parse_table(&c, buf, len, &m->tables[0])) {
		m->ntables = 1;
		if (mbedtls_sha256_ret((const unsigned char *) buf, len,
		        digest, 0) != 0) {
			merr(&c, 1, "cannot compute the SHA-256 of the file");
		}
		hex_digest(digest, m->hash_hex);
	}
	merr_flush(&c);
	rv = finish(c.nerrors, c.oom, nerrors);
	if (rv != WAGE_OK) {
		minwage_free(m);
		return (rv);
	}
	*out = m;
	return (WAGE_OK);
}

/* read_whole reads path (a regular file of at most max bytes) into *buf. */
static bool
read_whole(struct mctx *c, const char *path, size_t max, char **buf,
    size_t *len)
{
	FILE       *f;
	struct stat st;
	bool        ok = false;
	int         e;

	*buf = NULL;
	*len = 0;
	if ((f = fopen(path, "rb")) == NULL) {
		e = errno;
		merr(c, 1, "cannot open: %s", strerror(e));
		return (false);
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		merr(c, 1, "not a regular file");
		goto out;
	}
	if (st.st_size < 0 || (unsigned long long) st.st_size > max) {
		merr(c, 1, "the file is larger than %zu bytes", max);
		goto out;
	}
	/* One byte more than allowed, to notice a file that grew. */
	if ((*buf = malloc(max + 1)) == NULL) {
		oom(c, 1);
		goto out;
	}
	*len = fread(*buf, 1, max + 1, f);
	if (ferror(f)) {
		e = errno;
		merr(c, 1, "cannot read: %s", strerror(e));
		goto out;
	}
	ok = true;
out:
	if (!ok) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	fclose(f);
	return (ok);
}

int
minwage_load_file(const char *path, struct minwage **out, FILE *diag,
    int *nerrors)
{
	struct mctx c;
	char       *buf;
	size_t      len;
	int         rv;

	memset(&c, 0, sizeof(c));
	c.name = path;
	c.diag = diag;
	*out   = NULL;
	if (!read_whole(&c, path, MW_MAX_BYTES, &buf, &len)) {
		merr_flush(&c);
		return (finish(c.nerrors, c.oom, nerrors));
	}
	rv = minwage_load_buffer(path, buf, len, out, diag, nerrors);
	free(buf);
	return (rv);
}

static int
str_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *) a, *(char *const *) b));
}

int
minwage_load_dir(const char *dir, struct minwage **out, FILE *diag,
    int *nerrors)
{
	struct mctx            fc;
	struct minwage        *m = NULL;
	struct mw_table       *a, *b;
	DIR                   *dp;
	struct dirent         *de;
	char                 **names = NULL, **nn, path[MW_MAX_PATH];
	char                  *buf;
	size_t                 nnames = 0, cap = 0, i, j, len, n;
	mbedtls_sha256_context sha;
	unsigned char          digest[32];
	int                    e, rv, total = 0;
	bool                   nomem = false;

	*out = NULL;
	mbedtls_sha256_init(&sha);
	if ((dp = opendir(dir)) == NULL) {
		e = errno;
		if (diag != NULL) {
			fprintf(diag, "%s: cannot open the minimum-wage "
			              "directory: %s\n", dir, strerror(e));
		}
		total = 1;
		goto done;
	}
	while ((de = readdir(dp)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 ||
		    strcmp(de->d_name + len - 5, ".yaml") != 0) {
			continue;
		}
		if (nnames >= MW_MAX_FILES) {
			if (diag != NULL) {
				fprintf(diag, "%s: more than %d tables\n",
				    dir, MW_MAX_FILES);
			}
			total++;
			break;
		}
		if (nnames == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL) {
				nomem = true;
				break;
			}
			names = nn;
		}
		if ((names[nnames] = strdup(de->d_name)) == NULL) {
			nomem = true;
			break;
		}
		nnames++;
	}
	closedir(dp);
	if (nomem) {
		goto done;
	}
	if (nnames > 1) {
		qsort(names, nnames, sizeof(*names), str_cmp);
	}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (nnames > 0 &&
	        (m->tables = calloc(nnames, sizeof(*m->tables))) == NULL) ||
	    mbedtls_sha256_starts_ret(&sha, 0) != 0) {
		nomem = true;
		goto done;
	}
	for (i = 0; i < nnames; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		memset(&fc, 0, sizeof(fc));
		fc.name = path;
		fc.diag = diag;
		if (read_whole(&fc, path, MW_MAX_BYTES, &buf, &len)) {
			if (parse_table(&fc, buf, len,
			        &m->tables[m->ntables])) {
				b = &m->tables[m->ntables];
				for (j = 0; j < m->ntables; j++) {
					a = &m->tables[j];
					n = a->plen < b->plen ? a->plen
					                      : b->plen;
					if (memcmp(a->prefix, b->prefix, n) ==
					    0) {
						merr(&fc, b->region_line,
						    "region %s overlaps "
						    "region %s of %s/%s",
						    b->region, a->region, dir,
						    names[a->file]);
						break;
					}
				}
				b->file = i;
				if (j == m->ntables) {
					m->ntables++;
				} else {
					table_fini(b);
				}
			}
			if (mbedtls_sha256_update_ret(&sha,
			        (const unsigned char *) buf, len) != 0) {
				merr(&fc, 1, "cannot compute the SHA-256");
			}
			free(buf);
		}
		merr_flush(&fc);
		total += fc.nerrors;
		nomem = nomem || fc.oom;
	}
	if (mbedtls_sha256_finish_ret(&sha, digest) != 0) {
		total++;
	}
	hex_digest(digest, m->hash_hex);
done:
	if (nomem && diag != NULL) {
		fprintf(diag, "%s: out of memory\n", dir);
	}
	mbedtls_sha256_free(&sha);
	for (i = 0; i < nnames; i++) {
		free(names[i]);
	}
	free(names);
	rv = finish(total + (nomem ? 1 : 0), nomem, nerrors);
	if (rv != WAGE_OK) {
		minwage_free(m);
		return (rv);
	}
	*out = m;
	return (WAGE_OK);
}

/*
 * Lookups.
 */

static const struct mw_table *
find_table(const struct minwage *m, const char *region6)
{
	size_t i;

	if (m == NULL) {
		return (NULL);
	}
	for (i = 0; i < m->ntables; i++) {
		if (memcmp(region6, m->tables[i].prefix,
		        m->tables[i].plen) == 0) {
			return (&m->tables[i]);
		}
	}
	return (NULL);
}

/*
 * tier_of: the tier of region6 in t, or 0 when region6 is a city or
 * province whose counties lie in different tiers. A listed code that
 * contains region6 decides it (codes do not overlap, so at most one
 * does); otherwise, if no listed code lies inside region6, every county
 * of it is in the last tier.
 */
static int
tier_of(const struct mw_table *t, const char *region6)
{
	size_t plen = region_prefix(region6), i;

	for (i = 0; i < t->ncodes; i++) {
		if (t->codes[i].len <= plen &&
		    memcmp(t->codes[i].code, region6, t->codes[i].len) == 0) {
			return (t->codes[i].tier);
		}
	}
	for (i = 0; i < t->ncodes; i++) {
		if (t->codes[i].len > plen &&
		    memcmp(t->codes[i].code, region6, plen) == 0) {
			return (0);
		}
	}
	return (t->ntiers);
}

int
minwage_monthly_fen(const struct minwage *m, const char *region6,
    struct civil_date on, long long *fen, int *tier)
{
	const struct mw_table *t;
	const struct mw_set   *s = NULL;
	size_t                 i;
	int                    tr;

	if (fen != NULL) {
		*fen = 0;
	}
	if (tier != NULL) {
		*tier = 0;
	}
	if (fen == NULL || region6 == NULL ||
	    validate_region(region6, NULL, NULL) != WAGE_OK ||
	    !civil_date_valid(on.y, on.m, on.d)) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	if ((t = find_table(m, region6)) == NULL) {
		return (WAGE_E_NOT_FOUND);
	}
	for (i = 0; i < t->nsets; i++) {
		if (civil_date_cmp(&t->sets[i].effective, &on) > 0) {
			break;
		}
		s = &t->sets[i];
	}
	if (s == NULL) {
		return (WAGE_E_NOT_FOUND);
	}
	if ((tr = tier_of(t, region6)) == 0) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	*fen = s->fen[tr - 1];
	if (tier != NULL) {
		*tier = tr;
	}
	return (WAGE_OK);
}

int
minwage_final_limit_fen(const struct minwage *m, const char *region6,
    struct civil_date on, long long *fen, int *tier)
{
	int rv;

	if ((rv = minwage_monthly_fen(m, region6, on, fen, tier)) ==
	    WAGE_OK) {
		/* 劳动争议调解仲裁法 Art 47: 12 x the monthly amount. */
		*fen *= 12;
	}
	return (rv);
}
