/* SPDX-License-Identifier: MIT */
/*
 * calendar.c - the official holiday schedules and the counting of periods.
 * Owns: checking policies/calendar/cn-YYYY.yaml and the table of statutory
 * holidays (statutory-holidays.yaml), read with yamltree.c (every problem
 * as "file:line: what is wrong"), the per-year table of holidays and
 * make-up working days, civil-date arithmetic on day numbers, and the two
 * ways the law counts a period (calendar days rolled off rest days,
 * 民事诉讼法 Art 85; working days).
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

#include "calendar.h"
#include "wage/protocol.h"
#include "yamltree.h"

/* A year's schedule is under 1 KiB, the statutory table ~160 bytes a year. */
#define CAL_MAX_BYTES (64 * 1024)
#define CAL_MAX_FILES 1000 /* years in one directory */
#define CAL_MAX_DEPTH 8    /* the statutory table nests 4 deep */
#define CAL_MAX_PATH  4096

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
	/* The table of statutory holidays: ascending, one year after
	 * another, only DAY_HOLIDAY marks; consulted for a year not in
	 * years. */
	struct calendar_year *statutory;
	size_t                nstatutory;
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

/* find_in: the entry for year in ys[n] (ascending by year), or NULL. */
static const struct calendar_year *
find_in(const struct calendar_year *ys, size_t n, int year)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ys[mid].year == year) {
			return (&ys[mid]);
		}
		if (ys[mid].year < year) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return (NULL);
}

static const struct calendar_year *
find_year(const struct calendar *c, int year)
{
	return (c == NULL ? NULL : find_in(c->years, c->nyears, year));
}

/*
 * workday_z: is day number z a working day? Sets *prov when its year has
 * no schedule; such a day rests on a weekend or a statutory holiday of
 * the table (no make-up working days: only a schedule sets those).
 */
static bool
workday_z(const struct calendar *c, long z, int *prov)
{
	const struct calendar_year *cy;
	int                         y = civil_from_days(z).y;

	if ((cy = find_year(c, y)) == NULL) {
		*prov = 1;
		cy =
		    c != NULL ? find_in(c->statutory, c->nstatutory, y) : NULL;
	}
	if (cy != NULL && cy->kind[z - cy->base] == DAY_HOLIDAY) {
		return (false);
	}
	if (cy != NULL && cy->kind[z - cy->base] == DAY_WORKDAY) {
		return (true);
	}
	return (weekday_of(z) <= 5);
}

int
calendar_is_workday(
    const struct calendar *c, struct civil_date d, int *provisional)
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
	if (due == NULL || !date_ok(start) || n < 1 || n > CALENDAR_MAX_DAYS ||
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

size_t
calendar_statutory_years(const struct calendar *c, int *first, int *last)
{
	if (c == NULL || c->nstatutory == 0) {
		return (0);
	}
	if (first != NULL) {
		*first = c->statutory[0].year;
	}
	if (last != NULL) {
		*last = c->statutory[c->nstatutory - 1].year;
	}
	return (c->nstatutory);
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
	free(c->statutory);
	free(c);
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
get_year(struct yamltree_diag *c, const struct yamltree_node *n)
{
	int y;

	if (n->kind == YAMLTREE_SCALAR && n->plain && n->len == 4 &&
	    strspn(n->str, "0123456789") == 4 && (y = atoi(n->str)) >= 1900) {
		return (y);
	}
	yamltree_err(c, n->line, "'year' must be a year from 1900 to 9999");
	return (0);
}

/*
 * get_dates reads a list of dates of year (0: unknown, checked for form
 * only) and marks them kind in cy, refusing a date outside the year, one
 * listed twice or in both lists, and a make-up working day that is not a
 * Saturday or Sunday. lines[] keeps where each day was first listed.
 */
static void
get_dates(struct yamltree_diag *c, const struct yamltree_node *n,
    const char *key, int year, uint8_t kind, struct calendar_year *cy,
    size_t *lines)
{
	const struct yamltree_node *e;
	struct civil_date           d;
	struct wage_error           err;
	long                        z, doy;
	size_t                      i;
	int                         wd;
	bool                        scalar;

	if (n->kind != YAMLTREE_SEQ) {
		yamltree_err(c, n->line,
		    "'%s' must be a list of dates "
		    "[YYYY-MM-DD, ...]",
		    key);
		return;
	}
	if (kind == DAY_HOLIDAY && n->nkids == 0) {
		yamltree_err(c, n->line,
		    "'holidays' is empty: every year has "
		    "statutory holidays");
	}
	for (i = 0; i < n->nkids; i++) {
		e      = n->kids[i];
		scalar = e->kind == YAMLTREE_SCALAR;
		if (!scalar ||
		    validate_date(e->str, &d, key, &err) != WAGE_OK) {
			yamltree_err(c, e->line,
			    "'%s' entries must be dates YYYY-MM-DD%s%s%s", key,
			    scalar ? ", not '" : "", scalar ? e->str : "",
			    scalar ? "'" : "");
			continue;
		}
		if (year == 0) {
			continue;
		}
		if (d.y != year) {
			yamltree_err(c, e->line,
			    "%s is not in %d, the year "
			    "of this file",
			    e->str, year);
			continue;
		}
		z   = day_number(d);
		doy = z - cy->base;
		wd  = weekday_of(z);
		if (kind == DAY_WORKDAY && wd < 6) {
			yamltree_err(c, e->line,
			    "workday %s is a %s: only a Saturday or Sunday "
			    "can be made a working day",
			    e->str, weekday_names[wd]);
		}
		if (cy->kind[doy] == kind) {
			yamltree_err(c, e->line,
			    "%s is listed twice in '%s' "
			    "(first at line %zu)",
			    e->str, key, lines[doy]);
		} else if (cy->kind[doy] != DAY_PLAIN) {
			yamltree_err(c, e->line,
			    "%s is in both 'holidays' "
			    "and 'workdays' (line %zu)",
			    e->str, lines[doy]);
		} else {
			cy->kind[doy] = kind;
			lines[doy]    = e->line;
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
parse_year(struct yamltree_diag *c, const char *buf, size_t len,
    struct calendar_year *cy)
{
	static const struct yamltree_rules rules = {
		.mode       = YAMLTREE_REFUSE_ALL,
		.max_bytes  = CAL_MAX_BYTES,
		.max_depth  = CAL_MAX_DEPTH,
		.what       = "a holiday schedule",
		.empty      = "the file is empty: expected a mapping with "
		              "year, holidays and workdays",
		.second_doc = "only one YAML document is allowed",
	};
	struct yamltree_node       *root;
	const struct yamltree_node *v[K__COUNT];
	size_t                      lines[366];
	int                         nerr0 = c->nerrors, year = 0, ny;
	size_t                      i;

	memset(cy, 0, sizeof(*cy));
	if ((root = yamltree_load(c, buf, len, &rules)) == NULL) {
		return (false);
	}
	if (root->kind != YAMLTREE_MAP) {
		yamltree_err(c, root->line,
		    "expected a mapping with year, "
		    "holidays and workdays");
		goto out;
	}
	yamltree_map_keys(c, root, NULL, year_keys, K__COUNT, v);
	for (i = 0; i < K__COUNT; i++) {
		yamltree_need(c, root, v[i], year_keys[i], NULL);
	}
	if (v[K_YEAR] != NULL && (year = get_year(c, v[K_YEAR])) != 0) {
		ny = name_year(c->name);
		if (ny >= 0 && ny != year) {
			yamltree_err(c, v[K_YEAR]->line,
			    "year %d does not match the file name, which "
			    "says %04d",
			    year, ny);
		}
		cy->year = year;
		cy->base = days_from_civil(year, 1, 1);
	}
	memset(lines, 0, sizeof(lines));
	if (v[K_HOLIDAYS] != NULL) {
		get_dates(c, v[K_HOLIDAYS], "holidays", year, DAY_HOLIDAY, cy,
		    lines);
	}
	if (v[K_WORKDAYS] != NULL) {
		get_dates(c, v[K_WORKDAYS], "workdays", year, DAY_WORKDAY, cy,
		    lines);
	}
out:
	yamltree_free(root);
	return (c->nerrors == nerr0);
}

/*
 * The schema of statutory-holidays.yaml (calendar.h): the solar days that
 * 全国年节及纪念日放假办法 (2024 revision) Art 2 fixes, and per year the
 * festivals it ties to the lunar calendar or a solar term.
 */
static const char *const stat_keys[] = { "fixed", "years" };
enum { S_FIXED, S_YEARS, S__COUNT };

/*
 * Where the lunar calendar can put each festival (month * 100 + day), for
 * the date at index `at` of its list, which catches a solar date written
 * for a lunar one: over 1900-2099 python3-lunardate gives 正月初一
 * 01-21..02-20, 端午 05-27..06-26, 中秋 09-07..10-08; 清明, the day the sun
 * reaches 15 degrees, is 04-04 or 04-05 in 2001-2099 (a day either side is
 * allowed for other centuries).
 */
static const struct festival {
	const char *key;
	const char *name;
	size_t      ndays; /* 1: a date; more: a list of days in a row */
	size_t      at;
	int         from, to;
} festivals[] = {
	{ "spring_festival", "正月初一 (Spring Festival)", 4, 1, 121, 220 },
	{ "qingming", "清明 (Qingming)", 1, 0, 403, 406 },
	{ "dragon_boat", "端午 (Dragon Boat, 五月初五)", 1, 0, 527, 626 },
	{ "mid_autumn", "中秋 (Mid-Autumn, 八月十五)", 1, 0, 907, 1008 },
};
#define NFESTIVALS (sizeof(festivals) / sizeof(festivals[0]))

/* The keys of festivals[], in its order, for yamltree_map_keys. */
static const char *const festival_keys[NFESTIVALS] = { "spring_festival",
	"qingming", "dragon_boat", "mid_autumn" };

struct fixed_days {
	int    md[366]; /* month * 100 + day */
	size_t line[366];
	size_t n;
};

/* get_fixed reads `fixed`: month-days MM-DD that every year has. */
static void
get_fixed(struct yamltree_diag *c, const struct yamltree_node *n,
    struct fixed_days *fx)
{
	const struct yamltree_node *e;
	size_t                      i, j;
	int                         m, d;
	bool                        form;

	if (n->kind != YAMLTREE_SEQ || n->nkids == 0) {
		yamltree_err(c, n->line,
		    "'fixed' must be a non-empty list of month-days [MM-DD, "
		    "...]");
		return;
	}
	for (i = 0; i < n->nkids && fx->n < 366; i++) {
		e    = n->kids[i];
		form = e->kind == YAMLTREE_SCALAR && e->len == 5 &&
		    strspn(e->str, "0123456789") == 2 && e->str[2] == '-' &&
		    strspn(e->str + 3, "0123456789") == 2;
		m = form ? atoi(e->str) : 0;
		d = form ? atoi(e->str + 3) : 0;
		/* 2001 is a common year: 02-29 is refused. */
		if (!form || !civil_date_valid(2001, m, d)) {
			yamltree_err(c, e->line,
			    "'fixed' entries must be month-days MM-DD that "
			    "every year has%s%s%s",
			    e->kind == YAMLTREE_SCALAR ? ", not '" : "",
			    e->kind == YAMLTREE_SCALAR ? e->str : "",
			    e->kind == YAMLTREE_SCALAR ? "'" : "");
			continue;
		}
		for (j = 0; j < fx->n && fx->md[j] != m * 100 + d; j++) {
		}
		if (j < fx->n) {
			yamltree_err(c, e->line,
			    "%s is listed twice in 'fixed' (first at line "
			    "%zu)",
			    e->str, fx->line[j]);
			continue;
		}
		fx->md[fx->n]   = m * 100 + d;
		fx->line[fx->n] = e->line;
		fx->n++;
	}
}

/*
 * get_festival reads the day(s) of festival f in year into cy: each a
 * date of that year, a list's days in a row, the one at f->at where the
 * lunar calendar can put it.
 */
static void
get_festival(struct yamltree_diag *c, const struct yamltree_node *n,
    const struct festival *f, int year, struct calendar_year *cy)
{
	const struct yamltree_node *e;
	struct civil_date           d;
	long                        z[8];
	size_t                      i;
	int                         md;
	bool                        all = true, have_prev = false;

	if (f->ndays > 1 &&
	    (n->kind != YAMLTREE_SEQ || n->nkids != f->ndays)) {
		yamltree_err(c, n->line,
		    "'%s' must be a list of %zu dates in a row: 除夕 (the "
		    "eve) and 正月初一 to 初三",
		    f->key, f->ndays);
		return;
	}
	for (i = 0; i < f->ndays; i++) {
		e = f->ndays > 1 ? n->kids[i] : n;
		if (e->kind != YAMLTREE_SCALAR ||
		    validate_date(e->str, &d, f->key, NULL) != WAGE_OK) {
			yamltree_err(c, e->line,
			    "'%s' must be %s YYYY-MM-DD%s%s%s", f->key,
			    f->ndays > 1 ? "dates" : "a date",
			    e->kind == YAMLTREE_SCALAR ? ", not '" : "",
			    e->kind == YAMLTREE_SCALAR ? e->str : "",
			    e->kind == YAMLTREE_SCALAR ? "'" : "");
			all = have_prev = false;
			continue;
		}
		if (d.y != year) {
			yamltree_err(c, e->line,
			    "%s is not in %d, the year it is listed under",
			    e->str, year);
			all = have_prev = false;
			continue;
		}
		z[i] = day_number(d);
		md   = d.m * 100 + d.d;
		if (have_prev && z[i] != z[i - 1] + 1) {
			yamltree_err(c, e->line,
			    "'%s' must be %zu days in a row: %s does not "
			    "follow the day before it",
			    f->key, f->ndays, e->str);
			all = false;
		} else if (i == f->at && (md < f->from || md > f->to)) {
			yamltree_err(c, e->line,
			    "%s cannot be %s, which falls between %02d-%02d "
			    "and %02d-%02d",
			    e->str, f->name, f->from / 100, f->from % 100,
			    f->to / 100, f->to % 100);
			all = false;
		}
		have_prev = true;
	}
	if (all) {
		for (i = 0; i < f->ndays; i++) {
			cy->kind[z[i] - cy->base] = DAY_HOLIDAY;
		}
	}
}

/* get_stat_year reads one year of `years` (key k, value v) into cy. */
static bool
get_stat_year(struct yamltree_diag *c, const struct yamltree_node *k,
    const struct yamltree_node *v, const struct fixed_days *fx, int prev,
    struct calendar_year *cy)
{
	const struct yamltree_node *f[NFESTIVALS];
	char                        what[32];
	size_t                      i;
	int                         year;

	if (!k->plain || k->len != 4 || strspn(k->str, "0123456789") != 4 ||
	    (year = atoi(k->str)) < 1900) {
		yamltree_err(c, k->line,
		    "a year of 'years' must be 4 digits, 1900 to 9999, not "
		    "'%s'",
		    k->str);
		return (false);
	}
	if (prev != 0 && year != prev + 1) {
		/* A gap would leave a year counted on weekends alone. */
		yamltree_err(c, k->line,
		    "year %d follows %d: 'years' must list one year after "
		    "another",
		    year, prev);
	}
	memset(cy, 0, sizeof(*cy));
	cy->year = year;
	cy->base = days_from_civil(year, 1, 1);
	if (v->kind != YAMLTREE_MAP) {
		yamltree_err(c, v->line,
		    "year %d must be a mapping with spring_festival, "
		    "qingming, dragon_boat and mid_autumn",
		    year);
		return (true);
	}
	snprintf(what, sizeof(what), "year %d", year);
	yamltree_map_keys(c, v, what, festival_keys, NFESTIVALS, f);
	for (i = 0; i < NFESTIVALS; i++) {
		yamltree_need(c, v, f[i], festival_keys[i], what);
		if (f[i] != NULL) {
			get_festival(c, f[i], &festivals[i], year, cy);
		}
	}
	for (i = 0; i < fx->n; i++) {
		cy->kind[days_from_civil(
		             year, fx->md[i] / 100, fx->md[i] % 100) -
		    cy->base] = DAY_HOLIDAY;
	}
	return (true);
}

/*
 * parse_statutory checks the table held in buf and sets cal->statutory.
 * Returns true when no problem was found.
 */
static bool
parse_statutory(
    struct yamltree_diag *c, const char *buf, size_t len, struct calendar *cal)
{
	static const struct yamltree_rules rules = {
		.mode       = YAMLTREE_REFUSE_ALL,
		.max_bytes  = CAL_MAX_BYTES,
		.max_depth  = CAL_MAX_DEPTH,
		.what       = "a table of statutory holidays",
		.empty      = "the file is empty: expected a mapping with "
		              "fixed and years",
		.second_doc = "only one YAML document is allowed",
	};
	struct yamltree_node       *root;
	const struct yamltree_node *v[S__COUNT], *ys;
	struct fixed_days           fx;
	struct calendar_year       *out = NULL;
	size_t                      i, n = 0;
	int                         nerr0 = c->nerrors, prev = 0;

	if ((root = yamltree_load(c, buf, len, &rules)) == NULL) {
		return (false);
	}
	if (root->kind != YAMLTREE_MAP) {
		yamltree_err(
		    c, root->line, "expected a mapping with fixed and years");
		goto out;
	}
	yamltree_map_keys(c, root, NULL, stat_keys, S__COUNT, v);
	for (i = 0; i < S__COUNT; i++) {
		yamltree_need(c, root, v[i], stat_keys[i], NULL);
	}
	memset(&fx, 0, sizeof(fx));
	if (v[S_FIXED] != NULL) {
		get_fixed(c, v[S_FIXED], &fx);
	}
	if ((ys = v[S_YEARS]) == NULL) {
		goto out;
	}
	if (ys->kind != YAMLTREE_MAP || ys->nkids == 0) {
		yamltree_err(c, ys->line,
		    "'years' must be a non-empty mapping of years to their "
		    "festivals");
		goto out;
	}
	if ((out = calloc(ys->nkids / 2, sizeof(*out))) == NULL) {
		yamltree_oom(c, ys->line);
		goto out;
	}
	for (i = 0; i + 1 < ys->nkids; i += 2) {
		if (get_stat_year(
		        c, ys->kids[i], ys->kids[i + 1], &fx, prev, &out[n])) {
			prev = out[n++].year;
		}
	}
out:
	yamltree_free(root);
	if (c->nerrors != nerr0) {
		free(out);
		return (false);
	}
	free(cal->statutory);
	cal->statutory  = out;
	cal->nstatutory = n;
	return (true);
}

static int
year_cmp(const void *a, const void *b)
{
	const struct calendar_year *x = a, *y = b;

	return (x->year < y->year ? -1 : x->year > y->year);
}

/* The SHA-256 of a file's text, as the calendar's hash. */
static void
hash_buffer(
    struct yamltree_diag *c, const char *buf, size_t len, struct calendar *cal)
{
	unsigned char digest[32];

	if (mbedtls_sha256_ret((const unsigned char *) buf, len, digest, 0) !=
	    0) {
		yamltree_err(c, 1, "cannot compute the SHA-256 of the file");
	}
	yamltree_hex_digest(digest, cal->hash_hex);
}

/* Reports what the load found; hands cal over, or frees it on errors. */
static int
finish_load(struct yamltree_diag *c, struct calendar *cal,
    struct calendar **out, int *nerrors)
{
	int rv;

	yamltree_flush(c);
	rv = yamltree_finish(c->nerrors, c->oom, nerrors);
	if (rv != WAGE_OK) {
		calendar_free(cal);
		return (rv);
	}
	*out = cal;
	return (WAGE_OK);
}

int
calendar_load_buffer(const char *name, const char *buf, size_t len,
    struct calendar **out, FILE *diag, int *nerrors)
{
	struct yamltree_diag c;
	struct calendar     *cal = NULL;

	yamltree_diag_init(&c, name != NULL ? name : "calendar", diag);
	*out = NULL;
	if (buf == NULL) {
		buf = "";
		len = 0;
	}
	if ((cal = calloc(1, sizeof(*cal))) == NULL ||
	    (cal->years = calloc(1, sizeof(*cal->years))) == NULL) {
		yamltree_oom(&c, 1);
	} else if (parse_year(&c, buf, len, &cal->years[0])) {
		cal->nyears = 1;
		hash_buffer(&c, buf, len, cal);
	}
	return (finish_load(&c, cal, out, nerrors));
}

int
calendar_load_statutory_buffer(const char *name, const char *buf, size_t len,
    struct calendar **out, FILE *diag, int *nerrors)
{
	struct yamltree_diag c;
	struct calendar     *cal = NULL;

	yamltree_diag_init(
	    &c, name != NULL ? name : CALENDAR_STATUTORY_FILE, diag);
	*out = NULL;
	if (buf == NULL) {
		buf = "";
		len = 0;
	}
	if ((cal = calloc(1, sizeof(*cal))) == NULL) {
		yamltree_oom(&c, 1);
	} else if (parse_statutory(&c, buf, len, cal)) {
		hash_buffer(&c, buf, len, cal);
	}
	return (finish_load(&c, cal, out, nerrors));
}

static bool
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return (n >= m && strcmp(s + n - m, suf) == 0);
}

int
calendar_load_dir(
    const char *dir, struct calendar **out, FILE *diag, int *nerrors)
{
	struct yamltree_diag   fc;
	struct calendar       *cal = NULL;
	DIR                   *dp;
	struct dirent         *de;
	char                 **names = NULL, **nn, path[CAL_MAX_PATH];
	char                  *buf;
	size_t                 nnames = 0, cap = 0, i, len;
	mbedtls_sha256_context sha;
	unsigned char          digest[32];
	int                    e, rv, total = 0;
	bool                   nomem = false, have_statutory = false;

	*out = NULL;
	mbedtls_sha256_init(&sha);
	if ((dp = opendir(dir)) == NULL) {
		e = errno;
		if (diag != NULL) {
			fprintf(diag,
			    "%s: cannot open the calendar "
			    "directory: %s\n",
			    dir, strerror(e));
		}
		total = 1;
		goto done;
	}
	while ((de = readdir(dp)) != NULL) {
		if (de->d_name[0] == '.') {
			continue;
		}
		if (strcmp(de->d_name, CALENDAR_STATUTORY_FILE) == 0) {
			have_statutory = true;
			continue;
		}
		if (name_year(de->d_name) < 0) {
			if (has_suffix(de->d_name, ".yaml") ||
			    has_suffix(de->d_name, ".yml")) {
				if (diag != NULL) {
					fprintf(diag,
					    "%s/%s:1: a holiday "
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
		qsort(names, nnames, sizeof(*names), yamltree_str_cmp);
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
		yamltree_diag_init(&fc, path, diag);
		if (yamltree_read_file(&fc, path, CAL_MAX_BYTES, &buf, &len)) {
			if (parse_year(
			        &fc, buf, len, &cal->years[cal->nyears])) {
				cal->nyears++;
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
	/* The table last: the hash covers the schedules, then the table. */
	snprintf(path, sizeof(path), "%s/%s", dir, CALENDAR_STATUTORY_FILE);
	yamltree_diag_init(&fc, path, diag);
	if (!have_statutory) {
		yamltree_err(&fc, 1,
		    "missing: the table of statutory holidays is needed to "
		    "count the years that have no schedule");
	} else if (yamltree_read_file(&fc, path, CAL_MAX_BYTES, &buf, &len)) {
		parse_statutory(&fc, buf, len, cal);
		if (mbedtls_sha256_update_ret(
		        &sha, (const unsigned char *) buf, len) != 0) {
			yamltree_err(&fc, 1, "cannot compute the SHA-256");
		}
		free(buf);
	}
	yamltree_flush(&fc);
	total += fc.nerrors;
	nomem = nomem || fc.oom;
	if (mbedtls_sha256_finish_ret(&sha, digest) != 0) {
		total++;
	}
	yamltree_hex_digest(digest, cal->hash_hex);
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
	rv = yamltree_finish(total + (nomem ? 1 : 0), nomem, nerrors);
	if (rv != WAGE_OK) {
		calendar_free(cal);
		return (rv);
	}
	*out = cal;
	return (WAGE_OK);
}
