/* SPDX-License-Identifier: MIT */
/*
 * clocktool.c - the helper of tests/clocks/run.sh: dates and due dates
 * worked out independently of the server (its own day arithmetic, and the
 * holiday schedules and the table of statutory holidays read as plain
 * text, not with calendar.c), valid ID numbers and credit codes for the
 * filings, and a few readers of the JSON that `wagectl --json` prints.
 *
 *   clocktool today [DAYS_AHEAD]          today in Asia/Shanghai (+ days)
 *   clocktool plus DATE N                 DATE + N days
 *   clocktool diff A B                    B - A in days
 *   clocktool due CALDIR START N UNIT [FROM TO]...
 *                                         last day of a period of N days
 *                                         (UNIT calendar_days or
 *                                         working_days) from START, days d
 *                                         with FROM < d <= TO suspended;
 *                                         prints "DATE PROVISIONAL(0|1)"
 *   clocktool idnum REGION YYYYMMDD SEQ   a GB 11643 resident ID number
 *   clocktool credit BODY17               a GB 32100 credit code
 *   clocktool entries FILE                `due` entries, one a line:
 *                                         ID CLOCK DUE DAYS_LEFT PRIORITY
 *   clocktool get FILE PATH               a value by a dotted path
 *                                         (a.0.b); arrays of clocks also
 *                                         by name: clocks.award.due (and
 *                                         of named objects: events.award)
 *   clocktool jedit FILE EDIT...          FILE's JSON with each EDIT made,
 *                                         on stdout: PATH=JSON sets a
 *                                         member of an object (by a
 *                                         dotted path), -PATH removes it
 *   clocktool minwage FILE REGION DATE    the final-award limit (Art 47:
 *                                         12 x the monthly minimum wage)
 *                                         of REGION on DATE from a
 *                                         minimum-wage table read as text:
 *                                         "LIMIT_FEN MONTHLY_FEN TIER"
 *
 * Exit 0, or 1 with a message on stderr. No server code is linked.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#define MAX_YEARS 64
#define MAX_MARKS 4096
#define MAX_FIXED 32

static int die(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static int
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "clocktool: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- day numbers (days since 1970-01-01, proleptic Gregorian) ------- */

static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static void
civil_from_days(long z, long *y, long *m, long *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp  = (5 * doy + 2) / 153;
	*d  = doy - (153 * mp + 2) / 5 + 1;
	*m  = mp + (mp < 10 ? 3 : -9);
	*y  = yoe + era * 400 + (*m <= 2);
}

static int
parse_date(const char *s, long *day)
{
	long y, m, d, back_y, back_m, back_d;
	char tail;

	if (strlen(s) != 10 ||
	    sscanf(s, "%4ld-%2ld-%2ld%c", &y, &m, &d, &tail) != 3) {
		return (-1);
	}
	*day = days_from_civil(y, m, d);
	civil_from_days(*day, &back_y, &back_m, &back_d);
	return (back_y == y && back_m == m && back_d == d ? 0 : -1);
}

static long
need_date(const char *s)
{
	long day;

	if (parse_date(s, &day) != 0) {
		die("not a date YYYY-MM-DD: %s", s);
	}
	return (day);
}

static void
print_date(long day)
{
	long y, m, d;

	civil_from_days(day, &y, &m, &d);
	printf("%04ld-%02ld-%02ld", y, m, d);
}

static long
year_of(long day)
{
	long y, m, d;

	civil_from_days(day, &y, &m, &d);
	return (y);
}

/* 1970-01-01 was a Thursday: ISO weekday 1 Monday .. 7 Sunday. */
static int
weekday(long day)
{
	long w = (day + 3) % 7;

	return ((int) (w < 0 ? w + 7 : w) + 1);
}

/* ---- the schedules, read as text ------------------------------------ */

static struct {
	long years[MAX_YEARS];
	int  nyears;
	long day[MAX_MARKS];
	char kind[MAX_MARKS]; /* 'H' holiday, 'W' working weekend */
	int  n;
} cal;

/*
 * load_file: the value of "year:", and every YYYY-MM-DD on the lines of
 * "holidays:" and "workdays:" (up to the next top-level key), comments cut.
 */
static void
load_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char  line[8192], *p, *hash;
	char  section = 0;
	long  day, y;

	if (f == NULL) {
		die("cannot read %s", path);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((hash = strchr(line, '#')) != NULL) {
			*hash = '\0';
		}
		if (isalpha((unsigned char) line[0])) {
			section = 0;
			if (strncmp(line, "year:", 5) == 0) {
				y = strtol(line + 5, NULL, 10);
				if (cal.nyears < MAX_YEARS) {
					cal.years[cal.nyears++] = y;
				}
			} else if (strncmp(line, "holidays:", 9) == 0) {
				section = 'H';
			} else if (strncmp(line, "workdays:", 9) == 0) {
				section = 'W';
			}
		}
		for (p = line; section != 0 && *p != '\0'; p++) {
			char buf[11];

			if (!isdigit((unsigned char) p[0]) || strlen(p) < 10) {
				continue;
			}
			memcpy(buf, p, 10);
			buf[10] = '\0';
			if (parse_date(buf, &day) == 0 && cal.n < MAX_MARKS) {
				cal.day[cal.n]  = day;
				cal.kind[cal.n] = section;
				cal.n++;
				p += 9;
			}
		}
	}
	fclose(f);
}

/* ---- the statutory holidays, read as text --------------------------- */

static struct {
	long years[MAX_YEARS * 4]; /* the years the table lists */
	int  nyears;
	int  fixed[MAX_FIXED]; /* month * 100 + day, every listed year */
	int  nfixed;
	long day[MAX_MARKS]; /* every date under "years:" */
	int  n;
} law;

/*
 * load_statutory: the MM-DD of the "fixed:" line, each "  YYYY:" line
 * under "years:", and every YYYY-MM-DD after "years:", comments cut.
 */
static void
load_statutory(const char *dir)
{
	char  path[4096], line[8192], *p, *hash;
	FILE *f;
	long  day, y;
	int   m, d, in_years = 0;

	snprintf(path, sizeof(path), "%s/statutory-holidays.yaml", dir);
	if ((f = fopen(path, "r")) == NULL) {
		die("cannot read %s", path);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((hash = strchr(line, '#')) != NULL) {
			*hash = '\0';
		}
		if (strncmp(line, "fixed:", 6) == 0) {
			for (p = line; (p = strchr(p, '-')) != NULL; p++) {
				if (p - line >= 2 && law.nfixed < MAX_FIXED &&
				    sscanf(p - 2, "%2d-%2d", &m, &d) == 2) {
					law.fixed[law.nfixed++] = m * 100 + d;
				}
			}
			continue;
		}
		if (strncmp(line, "years:", 6) == 0) {
			in_years = 1;
			continue;
		}
		if (!in_years) {
			continue;
		}
		if (line[0] == ' ' && line[1] == ' ' &&
		    isdigit((unsigned char) line[2]) &&
		    law.nyears < MAX_YEARS * 4) {
			y = strtol(line + 2, &p, 10);
			if (*p == ':') {
				law.years[law.nyears++] = y;
				continue;
			}
		}
		for (p = line; *p != '\0'; p++) {
			char buf[11];

			if (!isdigit((unsigned char) p[0]) || strlen(p) < 10) {
				continue;
			}
			memcpy(buf, p, 10);
			buf[10] = '\0';
			if (parse_date(buf, &day) == 0 && law.n < MAX_MARKS) {
				law.day[law.n++] = day;
				p += 9;
			}
		}
	}
	fclose(f);
	if (law.nfixed == 0 || law.nyears == 0) {
		die("%s: no fixed days or no years", path);
	}
}

/* law_holiday: a statutory holiday by the table? */
static int
law_holiday(long day)
{
	long y, m, d;
	int  i, listed = 0;

	civil_from_days(day, &y, &m, &d);
	for (i = 0; i < law.nyears; i++) {
		listed |= law.years[i] == y;
	}
	if (!listed) {
		return (0);
	}
	for (i = 0; i < law.nfixed; i++) {
		if (law.fixed[i] == m * 100 + d) {
			return (1);
		}
	}
	for (i = 0; i < law.n; i++) {
		if (law.day[i] == day) {
			return (1);
		}
	}
	return (0);
}

static void
load_dir(const char *dir)
{
	DIR           *d = opendir(dir);
	struct dirent *de;
	char           path[4096];
	int            y;
	char           tail;

	if (d == NULL) {
		die("cannot open %s", dir);
	}
	while ((de = readdir(d)) != NULL) {
		if (sscanf(de->d_name, "cn-%4d.yam%c", &y, &tail) == 2 &&
		    tail == 'l' && strlen(de->d_name) == 12) {
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			load_file(path);
		}
	}
	closedir(d);
	load_statutory(dir);
}

static int
year_loaded(long y)
{
	int i;

	for (i = 0; i < cal.nyears; i++) {
		if (cal.years[i] == y) {
			return (1);
		}
	}
	return (0);
}

/*
 * is_workday: by the schedule when its year is loaded, else Mon-Fri but
 * the statutory holidays of the table (no make-up working days).
 */
static int
is_workday(long day, int *prov)
{
	int i;

	if (!year_loaded(year_of(day))) {
		*prov = 1;
		return (weekday(day) <= 5 && !law_holiday(day));
	}
	for (i = 0; i < cal.n; i++) {
		if (cal.day[i] == day) {
			return (cal.kind[i] == 'W');
		}
	}
	return (weekday(day) <= 5);
}

static int
suspended(long day, long *from, long *to, int nsusp)
{
	int i;

	for (i = 0; i < nsusp; i++) {
		if (day > from[i] && day <= to[i]) {
			return (1);
		}
	}
	return (0);
}

static int
cmd_due(int argc, char **argv)
{
	long from[16], to[16], d;
	int  n, working, nsusp = 0, count = 0, prov = 0, i;

	if (argc < 6 || (argc - 6) % 2 != 0 || (argc - 6) / 2 > 16) {
		die("%s", "usage: due CALDIR START N UNIT [FROM TO]...");
	}
	load_dir(argv[2]);
	d = need_date(argv[3]);
	n = atoi(argv[4]);
	if (strcmp(argv[5], "calendar_days") == 0) {
		working = 0;
	} else if (strcmp(argv[5], "working_days") == 0) {
		working = 1;
	} else {
		die("unknown unit %s", argv[5]);
	}
	for (i = 6; i < argc; i += 2) {
		from[nsusp] = need_date(argv[i]);
		to[nsusp]   = need_date(argv[i + 1]);
		nsusp++;
	}
	/* Day 1 is the day after the start; suspended days do not count;
	 * working days count only working days; a calendar-day period
	 * ending on a rest day ends on the next working day (民事诉讼法
	 * Art 85). */
	while (count < n) {
		d++;
		if (suspended(d, from, to, nsusp)) {
			continue;
		}
		if (!working || is_workday(d, &prov)) {
			count++;
		}
	}
	while (!working && !is_workday(d, &prov)) {
		d++;
	}
	print_date(d);
	printf(" %d\n", prov);
	return (0);
}

/* ---- identity numbers ----------------------------------------------- */

static int
cmd_idnum(int argc, char **argv)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
		8, 4, 2 };
	char             body[18];
	int              i, sum = 0;

	if (argc != 5 || strlen(argv[2]) != 6 || strlen(argv[3]) != 8) {
		die("%s", "usage: idnum REGION YYYYMMDD SEQ");
	}
	snprintf(body, sizeof(body), "%s%s%03d", argv[2], argv[3],
	    atoi(argv[4]) % 1000);
	for (i = 0; i < 17; i++) {
		sum += (body[i] - '0') * w[i];
	}
	printf("%s%c\n", body, "10X98765432"[sum % 11]);
	return (0);
}

static int
cmd_credit(int argc, char **argv)
{
	static const char a[]  = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13,
		8, 24, 10, 30, 28 };
	const char      *p;
	int              i, sum = 0, c;

	if (argc != 3 || strlen(argv[2]) != 17) {
		die("%s", "usage: credit BODY17");
	}
	for (i = 0; i < 17; i++) {
		if ((p = strchr(a, argv[2][i])) == NULL) {
			die("bad character in %s", argv[2]);
		}
		sum += (int) (p - a) * w[i];
	}
	c = 31 - sum % 31;
	printf("%s%c\n", argv[2], a[c == 31 ? 0 : c]);
	return (0);
}

/* ---- JSON readers --------------------------------------------------- */

static json_t *
load_json(const char *path)
{
	json_error_t e;
	json_t      *j = json_load_file(path, 0, &e);

	if (j == NULL) {
		die("cannot read JSON from %s", path);
	}
	return (j);
}

static const char *
prio(const json_t *pr)
{
	if (json_is_true(json_object_get(pr, "collective"))) {
		return ("collective");
	}
	if (json_is_true(json_object_get(pr, "poverty_alleviated"))) {
		return ("poverty_alleviated");
	}
	if (json_is_true(json_object_get(pr, "migrant"))) {
		return ("migrant");
	}
	return ("none");
}

static int
cmd_entries(int argc, char **argv)
{
	json_t *j, *e;
	size_t  i;

	if (argc != 3) {
		die("%s", "usage: entries FILE");
	}
	j = load_json(argv[2]);
	json_array_foreach (json_object_get(j, "entries"), i, e) {
		printf("%s %s %s %" JSON_INTEGER_FORMAT " %s\n",
		    json_string_value(json_object_get(e, "id")),
		    json_string_value(json_object_get(e, "clock")),
		    json_string_value(json_object_get(e, "due")),
		    json_integer_value(json_object_get(e, "days_left")),
		    prio(json_object_get(e, "priority")));
	}
	json_decref(j);
	return (0);
}

/* step: one path component; an array of objects with "clock" (or "name")
 * members is also indexed by clock (or name): clocks.award,
 * events.award_effective. */
static json_t *
step(json_t *v, const char *k)
{
	json_t *x;
	size_t  i;
	char   *end;
	long    n;

	if (json_is_object(v)) {
		return (json_object_get(v, k));
	}
	if (!json_is_array(v)) {
		return (NULL);
	}
	n = strtol(k, &end, 10);
	if (*k != '\0' && *end == '\0') {
		return (n >= 0 ? json_array_get(v, (size_t) n) : NULL);
	}
	json_array_foreach (v, i, x) {
		const char *c = json_string_value(json_object_get(x, "clock"));

		if (c == NULL) {
			c = json_string_value(json_object_get(x, "name"));
		}
		if (c != NULL && strcmp(c, k) == 0) {
			return (x);
		}
	}
	return (NULL);
}

static int
cmd_get(int argc, char **argv)
{
	json_t *j, *v;
	char   *path, *k, *save = NULL;

	if (argc != 4) {
		die("%s", "usage: get FILE PATH");
	}
	j    = load_json(argv[2]);
	path = strdup(argv[3]);
	v    = j;
	for (k = strtok_r(path, ".", &save); k != NULL && v != NULL;
	     k = strtok_r(NULL, ".", &save)) {
		v = step(v, k);
	}
	if (v == NULL) {
		printf("absent\n");
	} else if (json_is_string(v)) {
		printf("%s\n", json_string_value(v));
	} else if (json_is_array(v)) {
		printf("%zu\n", json_array_size(v)); /* its length */
	} else {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);

		printf("%s\n", s != NULL ? s : "?");
		free(s);
	}
	free(path);
	json_decref(j);
	return (0);
}

/* jedit_one: PATH=JSON or -PATH on the object root. */
static void
jedit_one(json_t *root, const char *edit)
{
	char        *path = strdup(edit[0] == '-' ? edit + 1 : edit);
	char        *eq, *dot, *k = path;
	json_t      *o = root, *v = NULL;
	json_error_t e;

	if (path == NULL) {
		die("%s", "out of memory");
	}
	if (edit[0] != '-') {
		if ((eq = strchr(path, '=')) == NULL) {
			die("edit %s: want PATH=JSON or -PATH", edit);
		}
		*eq = '\0';
		v   = json_loads(eq + 1, JSON_DECODE_ANY, &e);
		if (v == NULL) {
			die("edit %s: not JSON: %s", edit, e.text);
		}
	}
	while ((dot = strchr(k, '.')) != NULL) {
		*dot = '\0';
		o    = json_object_get(o, k);
		k    = dot + 1;
	}
	if (!json_is_object(o)) {
		die("edit %s: no such object", edit);
	}
	if (v == NULL) {
		if (json_object_del(o, k) != 0) {
			die("edit %s: no such member", edit);
		}
	} else {
		json_object_set_new(o, k, v);
	}
	free(path);
}

static int
cmd_jedit(int argc, char **argv)
{
	json_t *j;
	int     i;

	if (argc < 3) {
		die("%s", "usage: jedit FILE [PATH=JSON | -PATH]...");
	}
	j = load_json(argv[2]);
	for (i = 3; i < argc; i++) {
		jedit_one(j, argv[i]);
	}
	if (json_dumpf(j, stdout, JSON_INDENT(1) | JSON_SORT_KEYS) != 0) {
		die("%s", "cannot write JSON");
	}
	putchar('\n');
	json_decref(j);
	return (0);
}

/* ---- the minimum wage, read as text --------------------------------- */

/*
 * in_list: is REGION (6 digits) listed in the codes of a "tierN: [...]"
 * list (a 6-digit county or a 4-digit city), the text from its '['?
 */
static int
in_list(const char *list, const char *region)
{
	const char *p = list;
	size_t      n;

	while (*p != '\0' && *p != ']') {
		if (!isdigit((unsigned char) *p)) {
			p++;
			continue;
		}
		for (n = 0; isdigit((unsigned char) p[n]); n++) {
		}
		if ((n == 6 || n == 4) && strncmp(p, region, n) == 0) {
			return (1);
		}
		p += n;
	}
	return (0);
}

/*
 * cmd_minwage: the set in force on DATE is the one with the latest
 * "effective:" not after it; its "tiers: {1: Y, ...}" line gives yuan a
 * month; a county is of the tier whose "tierN: [...]" lists it or its
 * city, else of the last tier. Comments are cut.
 */
static int
cmd_minwage(int argc, char **argv)
{
	static char text[1 << 16];
	FILE       *f;
	char        line[4096], *hash, *p;
	long        on, eff, best = -1, cur = -1;
	long        yuan[8], best_yuan[8];
	int         tier = 0, ntiers = 0, best_n = 0, t, k;
	size_t      used = 0, len;

	if (argc != 5 || strlen(argv[3]) != 6) {
		die("%s", "usage: minwage FILE REGION DATE");
	}
	on = need_date(argv[4]);
	if ((f = fopen(argv[2], "r")) == NULL) {
		die("cannot read %s", argv[2]);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char date[11];

		if ((hash = strchr(line, '#')) != NULL) {
			hash[0] = '\n';
			hash[1] = '\0';
		}
		len = strlen(line);
		if (used + len + 1 < sizeof(text)) {
			memcpy(text + used, line, len + 1);
			used += len;
		}
		if ((p = strstr(line, "effective:")) != NULL &&
		    sscanf(p + 10, " %10s", date) == 1) {
			cur = need_date(date);
			continue;
		}
		if ((p = strstr(line, "tiers:")) != NULL && cur >= 0) {
			ntiers = 0;
			while ((p = strpbrk(p, "0123456789")) != NULL &&
			    ntiers < 8) {
				t = (int) strtol(p, &p, 10);
				if (*p != ':' || t != ntiers + 1) {
					die("%s: bad tiers line", argv[2]);
				}
				yuan[ntiers++] = strtol(p + 1, &p, 10);
			}
			eff = cur;
			if (eff <= on && eff > best) {
				best   = eff;
				best_n = ntiers;
				memcpy(best_yuan, yuan, sizeof(yuan));
			}
			cur = -1;
		}
	}
	fclose(f);
	if (best < 0 || best_n == 0) {
		die("%s: no set in force on %s", argv[2], argv[4]);
	}
	for (k = 1; k < best_n && tier == 0; k++) {
		char key[32];

		snprintf(key, sizeof(key), "\ntier%d:", k);
		if ((p = strstr(text, key)) != NULL &&
		    (p = strchr(p, '[')) != NULL && in_list(p + 1, argv[3])) {
			tier = k;
		}
	}
	if (tier == 0) {
		tier = best_n;
	}
	printf("%ld %ld %d\n", 12 * best_yuan[tier - 1] * 100,
	    best_yuan[tier - 1] * 100, tier);
	return (0);
}

/* ---- main ----------------------------------------------------------- */

int
main(int argc, char **argv)
{
	struct timespec ts;
	long            ahead;

	if (argc < 2) {
		die("%s", "usage: clocktool COMMAND ...");
	}
	if (strcmp(argv[1], "today") == 0) {
		ahead = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
		clock_gettime(CLOCK_REALTIME, &ts);
		/* UTC+8 all year, no daylight saving since 1991. */
		print_date((ts.tv_sec + 8 * 3600) / 86400 + ahead);
		putchar('\n');
		return (0);
	}
	if (strcmp(argv[1], "plus") == 0 && argc == 4) {
		print_date(need_date(argv[2]) + strtol(argv[3], NULL, 10));
		putchar('\n');
		return (0);
	}
	if (strcmp(argv[1], "diff") == 0 && argc == 4) {
		printf("%ld\n", need_date(argv[3]) - need_date(argv[2]));
		return (0);
	}
	if (strcmp(argv[1], "due") == 0) {
		return (cmd_due(argc, argv));
	}
	if (strcmp(argv[1], "idnum") == 0) {
		return (cmd_idnum(argc, argv));
	}
	if (strcmp(argv[1], "credit") == 0) {
		return (cmd_credit(argc, argv));
	}
	if (strcmp(argv[1], "entries") == 0) {
		return (cmd_entries(argc, argv));
	}
	if (strcmp(argv[1], "get") == 0) {
		return (cmd_get(argc, argv));
	}
	if (strcmp(argv[1], "jedit") == 0) {
		return (cmd_jedit(argc, argv));
	}
	if (strcmp(argv[1], "minwage") == 0) {
		return (cmd_minwage(argc, argv));
	}
	return (die("unknown command %s", argv[1]));
}
