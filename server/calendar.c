/* SPDX-License-Identifier: MIT */
/*
 * calendar.c - the official holiday schedules and the counting of periods.
 * Owns: reading and checking policies/calendar/cn-YYYY.yaml with libyaml
 * (every problem as "file:line: what is wrong"), the per-year table of
 * holidays and make-up working days, civil-date arithmetic on day numbers,
 * and the two ways the law counts a period (calendar days rolled off rest
 * days, 民事诉讼法 Art 85; working days).
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

#include "calendar.h"
#include "wage/protocol.h"

#define CAL_MAX_BYTES (64 * 1024) /* a year's schedule is under 1 KiB */
#define CAL_MAX_FILES 1000        /* years in one directory */
#define CAL_MAX_DEPTH 8           /* the schema needs 2 levels */
#define CAL_MAX_PATH 4096

/* What the schedule says of one day; DAY_PLAIN days go by weekday. */
enum { DAY_PLAIN = 0, DAY_HOLIDAY, DAY_WORKDAY };

struct calendar_year {
	int     year;
	long    base;      /* day number of 1 January */
	uint8_t kind[366]; /* DAY_* by day of the year, 0-based */
};

struct calendar {
	struct calendar_year *years; /* ascending by year, no duplicates */
	size_t                nyears;
	char                  hash_hex[65];
};

/*
 * Day numbers: days since 1970-01-01 (proleptic Gregorian), after Howard
 * Hinnant's days_from_civil / civil_from_days. Exact for every date; no
 * time_t, time zone or locale is involved.
 */
static long
days_from_civil(int y, int m, int d)
{
	long yy = y - (m <= 2 ? 1 : 0);
	long era, yoe, doy, doe;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static struct civil_date
civil_from_days(long z)
{
	struct civil_date r;
	long              era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp  = (5 * doy + 2) / 153;
	r.d = (int) (doy - (153 * mp + 2) / 5 + 1);
	r.m = (int) (mp < 10 ? mp + 3 : mp - 9);
	r.y = (int) (yoe + era * 400 + (r.m <= 2 ? 1 : 0));
	return (r);
}

static long
day_number(struct civil_date d)
{
	return (days_from_civil(d.y, d.m, d.d));
}

/* ISO weekday of day number z: 1 Monday .. 7 Sunday (day 0 a Thursday). */
static int
weekday_of(long z)
{
	long w = z % 7;

	if (w < 0) {
		w += 7;
	}
	return ((int) ((w + 3) % 7) + 1);
}

static bool
date_ok(struct civil_date d)
{
	return (civil_date_valid(d.y, d.m, d.d));
}

static const struct calendar_year *
find_year(const struct calendar *c, int year)
{
	size_t lo = 0, hi, mid;

	if (c == NULL) {
		return (NULL);
	}
	hi = c->nyears;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (c->years[mid].year == year) {
			return (&c->years[mid]);
		}
		if (c->years[mid].year < year) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return (NULL);
}

/* workday_z: is day number z a working day? Sets *prov when unscheduled. */
static bool
workday_z(const struct calendar *c, long z, int *prov)
{
	const struct calendar_year *cy;

	cy = find_year(c, civil_from_days(z).y);
	if (cy == NULL) {
		*prov = 1;
	} else if (cy->kind[z - cy->base] == DAY_HOLIDAY) {
		return (false);
	} else if (cy->kind[z - cy->base] == DAY_WORKDAY) {
		return (true);
	}
	return (weekday_of(z) <= 5);
}

int
calendar_is_workday(const struct calendar *c, struct civil_date d,
    int *provisional)
{
	int prov = 0, rv = 0;

	if (!date_ok(d)) {
		prov = 1;
	} else {
		rv = workday_z(c, day_number(d), &prov) ? 1 : 0;
	}
	if (provisional != NULL) {
		*provisional = prov;
	}
	return (rv);
}

int
calendar_add_days(const struct calendar *c, struct civil_date start, int n,
    enum calendar_unit unit, struct civil_date *due, int *provisional)
{
	long z, zmax;
	int  prov = 0, count = 0;

	if (provisional != NULL) {
		*provisional = 0;
	}
	if (due != NULL) {
		memset(due, 0, sizeof(*due));
	}
	if (due == NULL || !date_ok(start) || n < 1 ||
	    n > CALENDAR_MAX_DAYS ||
	    (unit != CAL_CALENDAR_DAYS && unit != CAL_WORKING_DAYS)) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	z    = day_number(start);
	zmax = days_from_civil(9999, 12, 31);
	if (unit == CAL_CALENDAR_DAYS) {
		/*
		 * Only the last day and the days it rolls over are
		 * consulted: what lies between does not change the count.
		 */
		z += n;
		while (z <= zmax && !workday_z(c, z, &prov)) {
			z++;
		}
	} else {
		while (count < n && z < zmax) {
			z++;
			if (workday_z(c, z, &prov)) {
				count++;
			}
		}
		if (count < n) {
			z = zmax + 1;
		}
	}
	if (z > zmax) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	*due = civil_from_days(z);
	if (provisional != NULL) {
		*provisional = prov;
	}
	return (WAGE_OK);
}

int
calendar_days_between(struct civil_date a, struct civil_date b)
{
	return ((int) (day_number(b) - day_number(a)));
}

int
calendar_date_plus(struct civil_date d, int n, struct civil_date *out)
{
	long z;

	memset(out, 0, sizeof(*out));
	if (!date_ok(d)) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	z = day_number(d) + n;
	if (z < days_from_civil(1900, 1, 1) ||
	    z > days_from_civil(9999, 12, 31)) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	*out = civil_from_days(z);
	return (WAGE_OK);
}

int
calendar_weekday(struct civil_date d)
{
	return (weekday_of(day_number(d)));
}

const char *
calendar_unit_name(enum calendar_unit unit)
{
	switch (unit) {
	case CAL_CALENDAR_DAYS:
		return ("calendar_days");
	case CAL_WORKING_DAYS:
		return ("working_days");
	}
	return ("?");
}

int
calendar_unit_from_name(const char *name)
{
	if (name == NULL) {
		return (-1);
	}
	if (strcmp(name, "calendar_days") == 0) {
		return (CAL_CALENDAR_DAYS);
	}
	if (strcmp(name, "working_days") == 0) {
		return (CAL_WORKING_DAYS);
	}
	return (-1);
}

bool
calendar_year_loaded(const struct calendar *c, int year)
{
	return (find_year(c, year) != NULL);
}

size_t
calendar_years(const struct calendar *c, int *years, size_t max)
{
	size_t i;

	if (c == NULL) {
		return (0);
	}
	for (i = 0; i < c->nyears && i < max; i++) {
		years[i] = c->years[i].year;
	}
	return (c->nyears);
}

const char *
calendar_hash(const struct calendar *c)
{
	/* SHA-256 of the empty string. */
	static const char empty[] = "e3b0c44298fc1c149afbf4c8996fb924"
	                            "27ae41e4649b934ca495991b7852b855";

	return (c == NULL ? empty : c->hash_hex);
}

void
calendar_free(struct calendar *c)
{
	if (c == NULL) {
		return;
	}
	free(c->years);
	free(c);
}

/*
 * Diagnostics. They are held back and printed sorted by line, so that a
 * file's problems come out in reading order whatever order the checks ran.
 */
struct cmsg {
	size_t line;
	size_t seq;
	char  *text;
};

struct cctx {
	const char  *name;
	FILE        *diag;
	struct cmsg *msgs;
	size_t       nmsgs, msgcap;
	int          nerrors;
	bool         oom;
};

static void cerr(struct cctx *c, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The text may quote the file: control characters become '?'. */
static void
cerr(struct cctx *c, size_t line, const char *fmt, ...)
{
	char         msg[512];
	char        *s;
	struct cmsg *m;
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
oom(struct cctx *c, size_t line)
{
	if (!c->oom) {
		c->oom = true;
		cerr(c, line, "out of memory");
	}
}

static int
cmsg_cmp(const void *a, const void *b)
{
	const struct cmsg *x = a, *y = b;

	if (x->line != y->line) {
		return (x->line < y->line ? -1 : 1);
	}
	return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static void
cerr_flush(struct cctx *c)
{
	size_t i;

	if (c->nmsgs > 1) {
		qsort(c->msgs, c->nmsgs, sizeof(*c->msgs), cmsg_cmp);
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
yaml_fail(struct cctx *c, const yaml_parser_t *yp, const char *buf,
    size_t len)
{
	size_t i, line = 1;

	if (yp->error == YAML_MEMORY_ERROR) {
		oom(c, 1);
	} else if (yp->error == YAML_READER_ERROR) {
		for (i = 0; i < yp->problem_offset && i < len; i++) {
			line += buf[i] == '\n';
		}
		cerr(c, line, "YAML error: %s (at byte %zu)",
		    yp->problem != NULL ? yp->problem : "?",
		    yp->problem_offset);
	} else if (yp->context != NULL) {
		cerr(c, yp->problem_mark.line + 1,
		    "YAML syntax error: %s (%s started at line %zu)",
		    yp->problem != NULL ? yp->problem : "?", yp->context,
		    yp->context_mark.line + 1);
	} else {
		cerr(c, yp->problem_mark.line + 1, "YAML syntax error: %s",
		    yp->problem != NULL ? yp->problem : "?");
	}
}

/* doc_load parses buf as exactly one YAML document. */
static bool
doc_load(struct cctx *c, const char *buf, size_t len, yaml_document_t *doc)
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
		cerr(c, 1, "the file is empty: expected a mapping with "
		           "year, holidays and workdays");
		goto out;
	}
	if (!yaml_parser_load(&yp, &extra)) {
		yaml_fail(c, &yp, buf, len);
		goto out;
	}
	if (yaml_document_get_root_node(&extra) != NULL) {
		cerr(c, extra.start_mark.line + 1,
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
 * no NUL inside a scalar, at most CAL_MAX_DEPTH levels.
 */
static bool
tree_check(struct cctx *c, yaml_document_t *doc, int idx, int depth,
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
		cerr(c, line_of(n), "anchors and aliases are not allowed");
		return (false);
	}
	seen[idx - 1] = 1;
	if (depth > CAL_MAX_DEPTH) {
		cerr(c, line_of(n), "nested more than %d levels deep",
		    CAL_MAX_DEPTH);
		return (false);
	}
	switch (n->type) {
	case YAML_SCALAR_NODE:
		if (!tag_ok(n, YAML_DEFAULT_SCALAR_TAG)) {
			cerr(c, line_of(n), "YAML tags are not allowed");
			ok = false;
		}
		if (strlen(sval(n)) != n->data.scalar.length) {
			cerr(c, line_of(n), "a NUL character in a value");
			ok = false;
		}
		break;
	case YAML_SEQUENCE_NODE:
		if (!tag_ok(n, YAML_DEFAULT_SEQUENCE_TAG)) {
			cerr(c, line_of(n), "YAML tags are not allowed");
			ok = false;
		}
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++) {
			ok = tree_check(c, doc, *it, depth + 1, seen) && ok;
		}
		break;
	case YAML_MAPPING_NODE:
		if (!tag_ok(n, YAML_DEFAULT_MAPPING_TAG)) {
			cerr(c, line_of(n), "YAML tags are not allowed");
			ok = false;
		}
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++) {
			k = yaml_document_get_node(doc, p->key);
			if (!is_scalar(k)) {
				cerr(c, k != NULL ? line_of(k) : 1,
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
						cerr(c, line_of(k),
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
		cerr(c, line_of(n), "unexpected YAML node");
		ok = false;
		break;
	}
	return (ok);
}

/* doc_check: the structural checks over the whole document. */
static bool
doc_check(struct cctx *c, yaml_document_t *doc)
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

/*
 * The schema of cn-YYYY.yaml:
 *   year: 2024
 *   holidays: [dates]   statutory days off (any weekday)
 *   workdays: [dates]   weekend days made working days (调休上班)
 */
static const char *const year_keys[] = { "year", "holidays", "workdays" };
enum { K_YEAR, K_HOLIDAYS, K_WORKDAYS, K__COUNT };

static const char *const weekday_names[] = { "", "Monday", "Tuesday",
	"Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };

/* get_year reads a plain whole number 1900..9999, or returns 0. */
static int
get_year(struct cctx *c, const yaml_node_t *n)
{
	const char *s;
	size_t      len;

	if (is_scalar(n) &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		s   = sval(n);
		len = n->data.scalar.length;
		if (len == 4 && strspn(s, "0123456789") == 4) {
			int y = atoi(s);

			if (y >= 1900) {
				return (y);
			}
		}
	}
	cerr(c, line_of(n), "'year' must be a year from 1900 to 9999");
	return (0);
}

/*
 * get_dates reads a list of dates of year (0: unknown, checked for form
 * only) and marks them kind in cy, refusing a date outside the year, one
 * listed twice or in both lists, and a make-up working day that is not a
 * Saturday or Sunday. lines[] keeps where each day was first listed.
 */
static void
get_dates(struct cctx *c, yaml_document_t *doc, const yaml_node_t *n,
    const char *key, int year, uint8_t kind, struct calendar_year *cy,
    size_t *lines)
{
	yaml_node_item_t *it;
	yaml_node_t      *e;
	struct civil_date d;
	struct wage_error err;
	long              z, doy;
	int               wd;

	if (n->type != YAML_SEQUENCE_NODE) {
		cerr(c, line_of(n), "'%s' must be a list of dates "
		                    "[YYYY-MM-DD, ...]", key);
		return;
	}
	if (kind == DAY_HOLIDAY &&
	    n->data.sequence.items.top == n->data.sequence.items.start) {
		cerr(c, line_of(n), "'holidays' is empty: every year has "
		                    "statutory holidays");
	}
	for (it = n->data.sequence.items.start;
	    it < n->data.sequence.items.top; it++) {
		e = yaml_document_get_node(doc, *it);
		if (!is_scalar(e) ||
		    validate_date(sval(e), &d, key, &err) != WAGE_OK) {
			cerr(c, e != NULL ? line_of(e) : line_of(n),
			    "'%s' entries must be dates YYYY-MM-DD%s%s%s", key,
			    is_scalar(e) ? ", not '" : "",
			    is_scalar(e) ? sval(e) : "",
			    is_scalar(e) ? "'" : "");
			continue;
		}
		if (year == 0) {
			continue;
		}
		if (d.y != year) {
			cerr(c, line_of(e), "%s is not in %d, the year of "
			                    "this file", sval(e), year);
			continue;
		}
		z   = day_number(d);
		doy = z - cy->base;
		wd  = weekday_of(z);
		if (kind == DAY_WORKDAY && wd < 6) {
			cerr(c, line_of(e),
			    "workday %s is a %s: only a Saturday or Sunday "
			    "can be made a working day",
			    sval(e), weekday_names[wd]);
		}
		if (cy->kind[doy] == kind) {
			cerr(c, line_of(e), "%s is listed twice in '%s' "
			                    "(first at line %zu)",
			    sval(e), key, lines[doy]);
		} else if (cy->kind[doy] != DAY_PLAIN) {
			cerr(c, line_of(e), "%s is in both 'holidays' and "
			                    "'workdays' (line %zu)",
			    sval(e), lines[doy]);
		} else {
			cy->kind[doy] = kind;
			lines[doy]    = line_of(e);
		}
	}
}

/* name_year: YYYY when the last component of name is cn-YYYY.yaml, else 0. */
static int
name_year(const char *name)
{
	const char *b = strrchr(name, '/');

	b = b != NULL ? b + 1 : name;
	if (strlen(b) == 12 && strncmp(b, "cn-", 3) == 0 &&
	    strspn(b + 3, "0123456789") == 4 && strcmp(b + 7, ".yaml") == 0) {
		return (atoi(b + 3));
	}
	return (-1);
}

/*
 * parse_year checks one file held in buf and fills *cy. Returns true when
 * no problem was found.
 */
static bool
parse_year(struct cctx *c, const char *buf, size_t len,
    struct calendar_year *cy)
{
	yaml_document_t   doc;
	yaml_node_t      *root, *k, *v[K__COUNT];
	yaml_node_pair_t *p;
	size_t            lines[366];
	int               nerr0 = c->nerrors, year = 0, ny;
	size_t            i;

	memset(cy, 0, sizeof(*cy));
	if (len > CAL_MAX_BYTES) {
		cerr(c, 1, "the file is larger than %d bytes: not a holiday "
		           "schedule", CAL_MAX_BYTES);
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
		cerr(c, line_of(root), "expected a mapping with year, "
		                       "holidays and workdays");
		goto out;
	}
	for (i = 0; i < K__COUNT; i++) {
		v[i] = NULL;
	}
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(&doc, p->key);
		for (i = 0; i < K__COUNT; i++) {
			if (strcmp(sval(k), year_keys[i]) == 0) {
				v[i] = yaml_document_get_node(&doc, p->value);
				break;
			}
		}
		if (i == K__COUNT) {
			cerr(c, line_of(k), "unknown key '%s'; allowed: year, "
			                    "holidays, workdays", sval(k));
		}
	}
	for (i = 0; i < K__COUNT; i++) {
		if (v[i] == NULL) {
			cerr(c, line_of(root), "no '%s'", year_keys[i]);
		}
	}
	if (v[K_YEAR] != NULL && (year = get_year(c, v[K_YEAR])) != 0) {
		ny = name_year(c->name);
		if (ny >= 0 && ny != year) {
			cerr(c, line_of(v[K_YEAR]),
			    "year %d does not match the file name, which "
			    "says %04d", year, ny);
		}
		cy->year = year;
		cy->base = days_from_civil(year, 1, 1);
	}
	memset(lines, 0, sizeof(lines));
	if (v[K_HOLIDAYS] != NULL) {
		get_dates(c, &doc, v[K_HOLIDAYS], "holidays", year,
		    DAY_HOLIDAY, cy, lines);
	}
	if (v[K_WORKDAYS] != NULL) {
		get_dates(c, &doc, v[K_WORKDAYS], "workdays", year,
		    DAY_WORKDAY, cy, lines);
	}
out:
	yaml_document_delete(&doc);
	return (c->nerrors == nerr0);
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
year_cmp(const void *a, const void *b)
{
	const struct calendar_year *x = a, *y = b;

	return (x->year < y->year ? -1 : x->year > y->year);
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

int
calendar_load_buffer(const char *name, const char *buf, size_t len,
    struct calendar **out, FILE *diag, int *nerrors)
{
	struct cctx      c;
	struct calendar *cal = NULL;
	unsigned char    digest[32];
	int              rv;

	memset(&c, 0, sizeof(c));
	c.name = name != NULL ? name : "calendar";
	c.diag = diag;
	*out   = NULL;
	if (buf == NULL) {
		buf = "";
		len = 0;
	}
	if ((cal = calloc(1, sizeof(*cal))) == NULL ||
	    (cal->years = calloc(1, sizeof(*cal->years))) == NULL) {
		oom(&c, 1);
	} else if (parse_year(&c, buf, len, &cal->years[0])) {
		cal->nyears = 1;
		if (mbedtls_sha256_ret((const unsigned char *) buf, len,
		        digest, 0) != 0) {
			cerr(&c, 1, "cannot compute the SHA-256 of the file");
		}
		hex_digest(digest, cal->hash_hex);
	}
	cerr_flush(&c);
	rv = finish(c.nerrors, c.oom, nerrors);
	if (rv != WAGE_OK) {
		calendar_free(cal);
		return (rv);
	}
	*out = cal;
	return (WAGE_OK);
}

/* read_whole reads path (a regular file of at most max bytes) into *buf. */
static bool
read_whole(struct cctx *c, const char *path, size_t max, char **buf,
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
		cerr(c, 1, "cannot open: %s", strerror(e));
		return (false);
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		cerr(c, 1, "not a regular file");
		goto out;
	}
	if (st.st_size < 0 || (unsigned long long) st.st_size > max) {
		cerr(c, 1, "the file is larger than %zu bytes", max);
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
		cerr(c, 1, "cannot read: %s", strerror(e));
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

static int
str_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *) a, *(char *const *) b));
}

static bool
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return (n >= m && strcmp(s + n - m, suf) == 0);
}

int
calendar_load_dir(const char *dir, struct calendar **out, FILE *diag,
    int *nerrors)
{
	struct cctx                fc;
	struct calendar           *cal = NULL;
	DIR                       *dp;
	struct dirent             *de;
	char                     **names = NULL, **nn, path[CAL_MAX_PATH];
	char                      *buf;
	size_t                     nnames = 0, cap = 0, i, len;
	mbedtls_sha256_context     sha;
	unsigned char              digest[32];
	int                        e, rv, total = 0;
	bool                       nomem = false;

	*out = NULL;
	mbedtls_sha256_init(&sha);
	if ((dp = opendir(dir)) == NULL) {
		e = errno;
		if (diag != NULL) {
			fprintf(diag, "%s: cannot open the calendar "
			              "directory: %s\n", dir, strerror(e));
		}
		total = 1;
		goto done;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.') {
			continue;
		}
		if (name_year(de->d_name) < 0) {
			if (has_suffix(de->d_name, ".yaml") ||
			    has_suffix(de->d_name, ".yml")) {
				if (diag != NULL) {
					fprintf(diag, "%s/%s:1: a holiday "
					              "schedule must be named "
					              "cn-YYYY.yaml\n",
					    dir, de->d_name);
				}
				total++;
			}
			continue;
		}
		if (nnames >= CAL_MAX_FILES) {
			if (diag != NULL) {
				fprintf(diag, "%s: more than %d schedules\n",
				    dir, CAL_MAX_FILES);
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
	/* cn-YYYY.yaml with exactly 4 digits: name order is year order. */
	if (nnames > 1) {
		qsort(names, nnames, sizeof(*names), str_cmp);
	}
	if ((cal = calloc(1, sizeof(*cal))) == NULL ||
	    (nnames > 0 &&
	        (cal->years = calloc(nnames, sizeof(*cal->years))) == NULL)) {
		nomem = true;
		goto done;
	}
	if (mbedtls_sha256_starts_ret(&sha, 0) != 0) {
		nomem = true;
		goto done;
	}
	for (i = 0; i < nnames; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		memset(&fc, 0, sizeof(fc));
		fc.name = path;
		fc.diag = diag;
		if (read_whole(&fc, path, CAL_MAX_BYTES, &buf, &len)) {
			if (parse_year(&fc, buf, len,
			        &cal->years[cal->nyears])) {
				cal->nyears++;
			}
			if (mbedtls_sha256_update_ret(&sha,
			        (const unsigned char *) buf, len) != 0) {
				cerr(&fc, 1, "cannot compute the SHA-256");
			}
			free(buf);
		}
		cerr_flush(&fc);
		total += fc.nerrors;
		nomem = nomem || fc.oom;
	}
	if (mbedtls_sha256_finish_ret(&sha, digest) != 0) {
		total++;
	}
	hex_digest(digest, cal->hash_hex);
	if (cal->nyears > 1) {
		qsort(cal->years, cal->nyears, sizeof(*cal->years), year_cmp);
	}
	for (i = 1; i < cal->nyears; i++) {
		/* Only possible after a name/year mismatch, reported. */
		if (cal->years[i].year == cal->years[i - 1].year) {
			total++;
		}
	}
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
		calendar_free(cal);
		return (rv);
	}
	*out = cal;
	return (WAGE_OK);
}
