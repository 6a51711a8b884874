/* SPDX-License-Identifier: MIT */
/*
 * minwage.c - the monthly minimum-wage tables and the final-award limit.
 * Owns: checking policies/minimum-wage/NAME.yaml, read with yamltree.c
 * (every problem as "file:line: what is wrong"), the tier of a county,
 * and the amount in force on a date, in integer fen (never floating
 * point: yuan with up to 2 decimals are read digit by digit).
 * Must not: log (diagnostics go to the caller's FILE), keep global state,
 * or know about cases, policies, storage or the wire.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "minwage.h"
#include "wage/protocol.h"
#include "yamltree.h"

#define MW_MAX_BYTES (256 * 1024) /* a province's table is a few KiB */
#define MW_MAX_FILES 100          /* tables in one directory */
#define MW_MAX_ITEMS 5000         /* sets, or codes, in one table */
#define MW_MAX_DEPTH 8            /* the schema needs 4 levels */
#define MW_MAX_YUAN  100000LL     /* a monthly minimum wage above is a typo */
#define MW_MAX_PATH  4096

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
parse_yuan(const struct yamltree_node *n, long long *fen)
{
	const char *s = n->str, *dot;
	size_t      ilen, flen;
	long long   v = 0;
	size_t      i;

	if (n->kind != YAMLTREE_SCALAR || !n->plain) {
		return (false);
	}
	dot  = strchr(s, '.');
	ilen = dot != NULL ? (size_t) (dot - s) : strlen(s);
	flen = dot != NULL ? strlen(dot + 1) : 0;
	if (ilen == 0 || ilen > 6 || !all_digits(s, ilen) ||
	    (ilen > 1 && s[0] == '0') ||
	    (dot != NULL &&
	        (flen < 1 || flen > 2 || !all_digits(dot + 1, flen)))) {
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
	struct yamltree_diag *c;
	struct mw_table      *t;
	bool                  region_ok;
	bool                  sets_ok; /* t->ntiers is known */
	size_t                ntiers_line;
};

static const char *const set_keys[] = { "effective", "tiers" };

/* parse_tiers reads {1: yuan, 2: yuan, ...} into s->fen; returns N. */
static int
parse_tiers(struct mparse *mp, const struct yamltree_node *n, struct mw_set *s)
{
	struct yamltree_diag       *c = mp->c;
	const struct yamltree_node *k, *v;
	size_t                      lines[MINWAGE_MAX_TIERS + 1], j;
	int                         t, max = 0, i;
	bool                        ok = true;

	memset(lines, 0, sizeof(lines));
	if (n->kind != YAMLTREE_MAP) {
		yamltree_err(c, n->line,
		    "'tiers' must be a mapping of tier "
		    "number to yuan, like {1: 2200, 2: "
		    "2010}");
		return (0);
	}
	for (j = 0; j + 1 < n->nkids; j += 2) {
		k = n->kids[j];
		v = n->kids[j + 1];
		if (k->len != 1 || k->str[0] < '1' ||
		    k->str[0] > '0' + MINWAGE_MAX_TIERS) {
			yamltree_err(c, k->line,
			    "tier '%s' must be a number "
			    "from 1 to %d",
			    k->str, MINWAGE_MAX_TIERS);
			ok = false;
			continue;
		}
		t = k->str[0] - '0';
		if (!parse_yuan(v, &s->fen[t - 1])) {
			yamltree_err(c, v->line,
			    "tier %d must be a positive amount of yuan (like "
			    "2200 or 2200.50, at most %lld)",
			    t, MW_MAX_YUAN);
			ok = false;
		}
		lines[t] = k->line;
		if (t > max) {
			max = t;
		}
	}
	for (i = 1; i <= max; i++) {
		if (lines[i] == 0) {
			yamltree_err(c, n->line,
			    "'tiers' has no tier %d (tiers are numbered 1, "
			    "2, ... without gaps)",
			    i);
			ok = false;
		}
	}
	if (max == 0) {
		yamltree_err(c, n->line, "'tiers' is empty");
		return (0);
	}
	if (!ok) {
		return (0);
	}
	/* Tier 1 is the highest (一档); a rise down the list is a typo. */
	for (i = 1; i < max; i++) {
		if (s->fen[i] > s->fen[i - 1]) {
			yamltree_err(c, lines[i + 1],
			    "tier %d (%lld.%02lld yuan) is above tier %d: "
			    "tier 1 is the highest",
			    i + 1, s->fen[i] / 100, s->fen[i] % 100, i);
			ok = false;
		}
	}
	return (ok ? max : 0);
}

static void
parse_sets(struct mparse *mp, const struct yamltree_node *n)
{
	struct yamltree_diag       *c = mp->c;
	struct mw_table            *t = mp->t;
	const struct yamltree_node *e, *v[2];
	struct mw_set              *s, *prev = NULL;
	struct wage_error           err;
	size_t                      i;
	int                         nt, before;
	bool                        ok = true, date_ok;

	if (n->kind != YAMLTREE_SEQ) {
		yamltree_err(c, n->line,
		    "'sets' must be a list of "
		    "{effective: DATE, tiers: {...}}");
		return;
	}
	if (n->nkids == 0) {
		yamltree_err(c, n->line, "'sets' is empty");
		return;
	}
	if (n->nkids > MW_MAX_ITEMS) {
		yamltree_err(c, n->line, "more than %d sets", MW_MAX_ITEMS);
		return;
	}
	if ((t->sets = calloc(n->nkids, sizeof(*t->sets))) == NULL) {
		yamltree_oom(c, n->line);
		return;
	}
	for (i = 0; i < n->nkids; i++) {
		e       = n->kids[i];
		s       = &t->sets[t->nsets];
		s->line = e->line;
		if (e->kind != YAMLTREE_MAP) {
			yamltree_err(c, e->line,
			    "each set must be a mapping "
			    "{effective: DATE, tiers: "
			    "{...}}");
			ok = false;
			continue;
		}
		before = c->nerrors;
		yamltree_map_keys(c, e, "a set", set_keys, 2, v);
		if (c->nerrors != before) {
			ok = false;
		}
		date_ok = false;
		if (v[0] == NULL) {
			yamltree_err(c, e->line, "a set has no 'effective'");
			ok = false;
		} else if (v[0]->kind != YAMLTREE_SCALAR ||
		    validate_date(v[0]->str, &s->effective, "effective",
		        &err) != WAGE_OK) {
			yamltree_err(c, v[0]->line,
			    "'effective' must be a "
			    "date YYYY-MM-DD");
			ok = false;
		} else {
			date_ok = true;
		}
		if (date_ok && prev != NULL) {
			int cmp =
			    civil_date_cmp(&s->effective, &prev->effective);

			if (cmp == 0) {
				yamltree_err(c, v[0]->line,
				    "effective date %s is listed twice (first "
				    "at line %zu)",
				    v[0]->str, prev->line);
				ok = false;
			} else if (cmp < 0) {
				yamltree_err(c, v[0]->line,
				    "effective dates must ascend: %s comes "
				    "after the set at line %zu",
				    v[0]->str, prev->line);
				ok = false;
			}
		}
		if (date_ok) {
			prev = s;
		}
		if (v[1] == NULL) {
			yamltree_err(c, e->line, "a set has no 'tiers'");
			ok = false;
		} else if ((nt = parse_tiers(mp, v[1], s)) == 0) {
			ok = false;
		} else if (t->ntiers == 0) {
			t->ntiers       = nt;
			mp->ntiers_line = v[1]->line;
		} else if (nt != t->ntiers) {
			yamltree_err(c, v[1]->line,
			    "this set has %d tiers, "
			    "the first (line %zu) has "
			    "%d",
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
parse_codes(struct mparse *mp, const struct yamltree_node *kn,
    const struct yamltree_node *n, int tier)
{
	struct yamltree_diag       *c = mp->c;
	struct mw_table            *t = mp->t;
	const struct yamltree_node *e;
	struct mw_code             *nc, *code;
	size_t                      i, len;
	const char                 *s;

	if (mp->sets_ok && tier >= t->ntiers) {
		yamltree_err(c, kn->line,
		    "'%s': counties not listed are in "
		    "tier %d, the last; list only "
		    "tiers 1 to %d",
		    kn->str, t->ntiers, t->ntiers - 1);
		return;
	}
	if (n->kind != YAMLTREE_SEQ) {
		yamltree_err(c, n->line,
		    "'%s' must be a list of county "
		    "codes (6 digits) or city prefixes "
		    "(4 digits)",
		    kn->str);
		return;
	}
	if (t->ncodes + n->nkids > MW_MAX_ITEMS) {
		yamltree_err(c, n->line, "more than %d codes", MW_MAX_ITEMS);
		return;
	}
	nc = realloc(t->codes, (t->ncodes + n->nkids + 1) * sizeof(*nc));
	if (nc == NULL) {
		yamltree_oom(c, n->line);
		return;
	}
	t->codes = nc;
	for (i = 0; i < n->nkids; i++) {
		e = n->kids[i];
		if (e->kind != YAMLTREE_SCALAR) {
			yamltree_err(c, e->line,
			    "'%s' entries must be codes, "
			    "not lists or mappings",
			    kn->str);
			continue;
		}
		s   = e->str;
		len = strlen(s);
		if ((len != 4 && len != 6) || !all_digits(s, len)) {
			yamltree_err(c, e->line,
			    "'%s' must be a county code "
			    "(6 digits) or a city prefix "
			    "(4 digits)",
			    s);
			continue;
		}
		if (memcmp(s + len - 2, "00", 2) == 0) {
			yamltree_err(c, e->line,
			    "'%s' names no county or city: write a whole "
			    "city as its 4-digit prefix (3701), a county as "
			    "its 6 digits",
			    s);
			continue;
		}
		if (mp->region_ok &&
		    (len < t->plen || memcmp(s, t->prefix, t->plen) != 0)) {
			yamltree_err(c, e->line, "'%s' is outside region %s",
			    s, t->region);
			continue;
		}
		code = &t->codes[t->ncodes++];
		memcpy(code->code, s, len + 1);
		code->len  = len;
		code->tier = tier;
		code->line = e->line;
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
				yamltree_err(mp->c, b->line,
				    "%s is listed twice in tier%d (first at "
				    "line %zu)",
				    b->code, b->tier, a->line);
			} else if (a->len == b->len) {
				yamltree_err(mp->c, b->line,
				    "%s is in both tier%d (line %zu) and "
				    "tier%d",
				    b->code, a->tier, a->line, b->tier);
			} else {
				yamltree_err(mp->c, b->line,
				    "%s (tier%d) overlaps %s (tier%d, line "
				    "%zu): a city and its county are listed "
				    "both",
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

/* tier_key: N when key k is "tierN" (N 1..9), else 0. */
static int
tier_key(const struct yamltree_node *k)
{
	if (k->len == 5 && strncmp(k->str, "tier", 4) == 0 &&
	    k->str[4] >= '1' && k->str[4] <= '9') {
		return (k->str[4] - '0');
	}
	return (0);
}

/* parse_table checks one file held in buf and fills *t. */
static bool
parse_table(
    struct yamltree_diag *c, const char *buf, size_t len, struct mw_table *t)
{
	static const struct yamltree_rules rules = {
		.mode       = YAMLTREE_REFUSE_ALL,
		.max_bytes  = MW_MAX_BYTES,
		.max_depth  = MW_MAX_DEPTH,
		.what       = "a minimum-wage table",
		.empty      = "the file is empty: expected a mapping with "
		              "region, sets and tier lists",
		.second_doc = "only one YAML document is allowed",
	};
	struct yamltree_node       *root;
	const struct yamltree_node *k, *v, *region = NULL, *sets = NULL;
	struct wage_error           err;
	struct mparse               mp;
	int                         nerr0 = c->nerrors;
	size_t                      i;
	const char                 *s;

	memset(t, 0, sizeof(*t));
	memset(&mp, 0, sizeof(mp));
	mp.c = c;
	mp.t = t;
	if ((root = yamltree_load(c, buf, len, &rules)) == NULL) {
		return (false);
	}
	if (root->kind != YAMLTREE_MAP) {
		yamltree_err(c, root->line,
		    "expected a mapping with region, "
		    "sets and tier lists");
		goto out;
	}
	for (i = 0; i + 1 < root->nkids; i += 2) {
		k = root->kids[i];
		v = root->kids[i + 1];
		if (strcmp(k->str, "region") == 0) {
			region = v;
		} else if (strcmp(k->str, "sets") == 0) {
			sets = v;
		} else if (tier_key(k) == 0) {
			yamltree_err(c, k->line,
			    "unknown key '%s'; allowed: "
			    "region, sets, tier1, tier2, "
			    "...",
			    k->str);
		}
	}
	if (region == NULL) {
		yamltree_err(c, root->line, "no 'region'");
	} else if (region->kind != YAMLTREE_SCALAR ||
	    validate_region(region->str, "region", &err) != WAGE_OK) {
		yamltree_err(c, region->line,
		    "'region' must be a 6-digit "
		    "GB/T 2260 code, like "
		    "\"370000\"");
	} else {
		s = region->str;
		memcpy(t->region, s, 7);
		t->plen = region_prefix(s);
		memcpy(t->prefix, s, t->plen);
		t->prefix[t->plen] = '\0';
		t->region_line     = region->line;
		mp.region_ok       = true;
	}
	if (sets == NULL) {
		yamltree_err(c, root->line, "no 'sets'");
	} else {
		parse_sets(&mp, sets);
	}
	/* Tier lists in file order, so that overlaps name the later one. */
	for (i = 0; i + 1 < root->nkids; i += 2) {
		if (tier_key(root->kids[i]) > 0) {
			parse_codes(&mp, root->kids[i], root->kids[i + 1],
			    tier_key(root->kids[i]));
		}
	}
	check_overlaps(&mp);
out:
	yamltree_free(root);
	if (c->nerrors != nerr0) {
		table_fini(t);
		return (false);
	}
	return (true);
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
	struct yamltree_diag c;
	struct minwage      *m;
	unsigned char        digest[32];
	int                  rv;

	yamltree_diag_init(&c, name != NULL ? name : "minimum-wage", diag);
	*out = NULL;
	if (buf == NULL) {
		buf = "";
		len = 0;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->tables = calloc(1, sizeof(*m->tables))) == NULL) {
		yamltree_oom(&c, 1);
	} else if (parse_table(&c, buf, len, &m->tables[0])) {
		m->ntables = 1;
		if (mbedtls_sha256_ret(
		        (const unsigned char *) buf, len, digest, 0) != 0) {
			yamltree_err(
			    &c, 1, "cannot compute the SHA-256 of the file");
		}
		yamltree_hex_digest(digest, m->hash_hex);
	}
	yamltree_flush(&c);
	rv = yamltree_finish(c.nerrors, c.oom, nerrors);
	if (rv != WAGE_OK) {
		minwage_free(m);
		return (rv);
	}
	*out = m;
	return (WAGE_OK);
}

int
minwage_load_file(
    const char *path, struct minwage **out, FILE *diag, int *nerrors)
{
	struct yamltree_diag c;
	char                *buf;
	size_t               len;
	int                  rv;

	yamltree_diag_init(&c, path, diag);
	*out = NULL;
	if (!yamltree_read_file(&c, path, MW_MAX_BYTES, &buf, &len)) {
		yamltree_flush(&c);
		return (yamltree_finish(c.nerrors, c.oom, nerrors));
	}
	rv = minwage_load_buffer(path, buf, len, out, diag, nerrors);
	free(buf);
	return (rv);
}

int
minwage_load_dir(
    const char *dir, struct minwage **out, FILE *diag, int *nerrors)
{
	struct yamltree_diag   fc;
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
			fprintf(diag,
			    "%s: cannot open the minimum-wage "
			    "directory: %s\n",
			    dir, strerror(e));
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
				fprintf(diag, "%s: more than %d tables\n", dir,
				    MW_MAX_FILES);
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
		qsort(names, nnames, sizeof(*names), yamltree_str_cmp);
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
		yamltree_diag_init(&fc, path, diag);
		if (yamltree_read_file(&fc, path, MW_MAX_BYTES, &buf, &len)) {
			if (parse_table(
			        &fc, buf, len, &m->tables[m->ntables])) {
				b = &m->tables[m->ntables];
				for (j = 0; j < m->ntables; j++) {
					a = &m->tables[j];
					n = a->plen < b->plen ? a->plen
					                      : b->plen;
					if (memcmp(a->prefix, b->prefix, n) ==
					    0) {
						yamltree_err(&fc,
						    b->region_line,
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
			if (mbedtls_sha256_update_ret(
			        &sha, (const unsigned char *) buf, len) != 0) {
				yamltree_err(
				    &fc, 1, "cannot compute the SHA-256");
			}
			free(buf);
		}
		yamltree_flush(&fc);
		total += fc.nerrors;
		nomem = nomem || fc.oom;
	}
	if (mbedtls_sha256_finish_ret(&sha, digest) != 0) {
		total++;
	}
	yamltree_hex_digest(digest, m->hash_hex);
done:
	if (nomem && diag != NULL) {
		fprintf(diag, "%s: out of memory\n", dir);
	}
	mbedtls_sha256_free(&sha);
	for (i = 0; i < nnames; i++) {
		free(names[i]);
	}
	free(names);
	rv = yamltree_finish(total + (nomem ? 1 : 0), nomem, nerrors);
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
		if (memcmp(region6, m->tables[i].prefix, m->tables[i].plen) ==
		    0) {
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

	if ((rv = minwage_monthly_fen(m, region6, on, fen, tier)) == WAGE_OK) {
		/* 劳动争议调解仲裁法 Art 47: 12 x the monthly amount. */
		*fen *= 12;
	}
	return (rv);
}
