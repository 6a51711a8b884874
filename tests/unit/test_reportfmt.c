/* SPDX-License-Identifier: MIT */
/*
 * test_reportfmt.c - unit tests of client/reportfmt.c: display width and
 * the text grid (Chinese and ASCII aligned by columns, long cells cut),
 * yuan from fen, the campaign and employers tables, CSV (RFC 4180 quoting
 * of a name with a comma and quotes, formula guard, BOM, the golden files
 * in tests/data/report/), and the SVG chart (well-formed enough, escaped,
 * every group and the totals drawn with the table's numbers).
 *
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* open_memstream */
#endif

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reportfmt.h"

#include "support_file.h"

static json_t *
fixture(const char *name)
{
	char         rel[128];
	json_error_t jerr;
	json_t      *r;

	snprintf(rel, sizeof(rel), "tests/data/report/%s", name);
	r = json_load_file(tsupport_srcpath(rel), 0, &jerr);
	if (r == NULL) {
		fail_msg("%s: %s", rel, jerr.text);
	}
	return (r);
}

/* expected returns tests/data/report/NAME as a new string. */
static char *
expected(const char *name)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "tests/data/report/%s", name);
	return (tsupport_slurp(tsupport_srcpath(rel), NULL));
}

/* Capture what a formatter writes. */
struct cap {
	FILE  *f;
	char  *buf;
	size_t len;
};

static void
cap_open(struct cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f   = open_memstream(&c->buf, &c->len);
	assert_non_null(c->f);
}

static char *
cap_close(struct cap *c)
{
	assert_int_equal(fclose(c->f), 0);
	return (c->buf);
}

/* lines splits text at '\n' (in place); returns the count. */
static size_t
lines(char *text, char **out, size_t max)
{
	size_t n = 0;
	char  *p = text, *nl;

	while (*p != '\0' && n < max) {
		out[n++] = p;
		if ((nl = strchr(p, '\n')) == NULL) {
			break;
		}
		*nl = '\0';
		p   = nl + 1;
	}
	return (n);
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return (n);
}

/* ---- width, yuan, grid --------------------------------------------- */

static void
test_reportfmt_width(void **state)
{
	(void) state;
	assert_int_equal(reportfmt_width(""), 0);
	assert_int_equal(reportfmt_width("abc"), 3);
	assert_int_equal(reportfmt_width("济南"), 4);
	assert_int_equal(reportfmt_width("a济b"), 4);
	assert_int_equal(reportfmt_width("（天）"), 6);    /* fullwidth */
	assert_int_equal(reportfmt_width("e\xcc\x81"), 1); /* e + U+0301 */
	assert_int_equal(reportfmt_width("\xf0\xa0\x80\x80"), 2); /* U+20000 */
	assert_int_equal(reportfmt_width("\xff"), 1); /* not UTF-8: one '?' */
	assert_int_equal(reportfmt_cp_width(0x4e2d), 2);
	assert_int_equal(reportfmt_cp_width('A'), 1);
}

static void
test_reportfmt_fen(void **state)
{
	char buf[32];

	(void) state;
	reportfmt_fen(0, buf, sizeof(buf));
	assert_string_equal(buf, "0.00");
	reportfmt_fen(5, buf, sizeof(buf));
	assert_string_equal(buf, "0.05");
	reportfmt_fen(123456, buf, sizeof(buf));
	assert_string_equal(buf, "1234.56");
	reportfmt_fen(-5, buf, sizeof(buf));
	assert_string_equal(buf, "-0.05");
	reportfmt_fen(100000000000LL, buf, sizeof(buf));
	assert_string_equal(buf, "1000000000.00");
	reportfmt_fen(LLONG_MIN, buf, sizeof(buf));
	assert_string_equal(buf, "-92233720368547758.08");
}

static void
test_reportfmt_parse_yuan(void **state)
{
	static const struct {
		const char *in;
		long long   fen;
	} ok[] = {
		{ "0", 0 },
		{ "5000", 500000 },
		{ "5000.5", 500050 },
		{ "5000.05", 500005 },
		{ "0.01", 1 },
		{ "1000000000", 100000000000LL },
	};
	static const char *const bad[] = { "", ".", "12.", ".5", "-1", "+1",
		"1.234", "1,000", "1e3", "12a", "1.2.3", " 1", "1000000000.01",
		"99999999999999999999999" };
	long long                fen;
	size_t                   i;

	(void) state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		fen = -1;
		assert_int_equal(
		    reportfmt_parse_yuan(ok[i].in, &fen), WAGE_OK);
		assert_int_equal(fen, ok[i].fen);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fen = -1;
		if (reportfmt_parse_yuan(bad[i], &fen) !=
		    WAGE_E_INVALID_ARGUMENT) {
			fail_msg("'%s' taken as %lld fen", bad[i], fen);
		}
		assert_int_equal(fen, -1);
	}
	assert_int_equal(
	    reportfmt_parse_yuan(NULL, &fen), WAGE_E_INVALID_ARGUMENT);
}

/* col_at: display column where the first occurrence of mark starts. */
static int
col_at(const char *line, const char *mark)
{
	const char *p = strstr(line, mark);
	char        prefix[512];

	assert_non_null(p);
	assert_true((size_t) (p - line) < sizeof(prefix));
	memcpy(prefix, line, (size_t) (p - line));
	prefix[p - line] = '\0';
	return (reportfmt_width(prefix));
}

static void
test_reportfmt_grid_alignment(void **state)
{
	struct reportfmt_grid g;
	struct cap            c;
	char                 *text, *ln[16] = { 0 };
	size_t                n, i;

	(void) state;
	/* Left-aligned names of mixed width, a right-aligned number, then a
	 * marked column whose start must line up in display columns. */
	reportfmt_grid_init(&g, 3, 1u << 1);
	reportfmt_grid_row(&g, "NAME", "N", "|MARK");
	reportfmt_grid_row(&g, "济南", "12", "|a");
	reportfmt_grid_row(&g, "Qingdao", "3", "|b");
	reportfmt_grid_row(&g, "临沂市某某劳务派遣有限公司", "12345", "|c");
	reportfmt_grid_rule(&g);
	reportfmt_grid_row(&g, "合计", NULL, "|d");
	cap_open(&c);
	assert_int_equal(reportfmt_grid_print(&g, c.f), WAGE_OK);
	text = cap_close(&c);
	reportfmt_grid_fini(&g);
	n = lines(text, ln, 16);
	assert_int_equal(n, 6);
	for (i = 1; i < n; i++) {
		if (ln[i][0] == '-') {
			/* the rule spans every column */
			assert_int_equal(reportfmt_width(ln[i]),
			    col_at(ln[0], "|") + (int) strlen("|MARK"));
			continue;
		}
		assert_int_equal(col_at(ln[i], "|"), col_at(ln[0], "|"));
	}
	/* right alignment: the numbers end where the header ends */
	assert_int_equal(col_at(ln[1], "12") + 2, col_at(ln[3], "12345") + 5);
	assert_int_equal(col_at(ln[2], "3") + 1, col_at(ln[0], "N  |") + 1);
	/* an absent cell prints as nothing */
	assert_null(strstr(ln[5], "(null)"));
	free(text);
}

static void
test_reportfmt_grid_cut(void **state)
{
	struct reportfmt_grid g;
	struct cap            c;
	char                 *text, *ln[4] = { 0 };
	const char           *long_name =
	    "山东省济南市历下区某某建筑劳务有限公司第三项目部工地食堂承包方";

	(void) state;
	assert_true(reportfmt_width(long_name) > REPORTFMT_CELL_MAX);
	reportfmt_grid_init(&g, 2, 0);
	reportfmt_grid_row(&g, "NAME", "X");
	reportfmt_grid_row(&g, long_name, "|");
	reportfmt_grid_row(&g, "a\tb\nc", "|");
	cap_open(&c);
	assert_int_equal(reportfmt_grid_print(&g, c.f), WAGE_OK);
	text = cap_close(&c);
	reportfmt_grid_fini(&g);
	assert_int_equal(lines(text, ln, 4), 3);
	/* cut to at most the cell maximum, ending in an ellipsis, and the
	 * next column still lines up */
	assert_non_null(strstr(ln[1], "…"));
	assert_true(col_at(ln[1], "…") < REPORTFMT_CELL_MAX);
	assert_true(col_at(ln[1], "…") >= REPORTFMT_CELL_MAX - 2);
	assert_int_equal(col_at(ln[1], "|"), col_at(ln[0], "X"));
	/* control characters never reach the terminal */
	assert_non_null(strstr(ln[2], "a b c"));
	assert_int_equal(col_at(ln[2], "|"), col_at(ln[0], "X"));
	free(text);
}

/* ---- campaign table ------------------------------------------------- */

static void
test_reportfmt_table_campaign(void **state)
{
	json_t    *r = fixture("campaign.json");
	struct cap c;
	char      *text, *copy, *ln[128] = { 0 };
	size_t     n, i, start;
	int        w;

	(void) state;
	cap_open(&c);
	assert_int_equal(reportfmt_table(r, c.f), WAGE_OK);
	text = cap_close(&c);
	copy = strdup(text);
	assert_non_null(strstr(text, "2024-01-01 to 2024-03-31"));
	assert_non_null(strstr(text, "370000 山东省, by city"));
	assert_non_null(strstr(text, "370100 济南"));
	assert_non_null(strstr(text, "370200 青岛"));
	assert_non_null(strstr(text, "371300 临沂"));
	assert_non_null(strstr(text, "410100 ")); /* no name: the code */
	assert_null(strstr(text, "410100 410100"));
	assert_non_null(strstr(text, "2245222.21")); /* claimed, yuan */
	assert_non_null(strstr(text, "771289.01"));
	assert_non_null(strstr(text, "申请支付令/法院强制执行"));
	assert_non_null(strstr(
	    text, "Note: overdue counts need the legal clocks (issue 3)"));
	/* Art 47: final, not final and mixed awards apart. */
	assert_non_null(strstr(text, "NOT FINAL  MIXED"));
	assert_null(strstr(text, "closed_litigation")); /* none: not listed */
	assert_null(strstr(text, "OTHER"));             /* none: no column */

	/* Each table: every line (numbers right-aligned, the rule too) has
	 * the same display width, Chinese names included. */
	n = lines(copy, ln, 128);
	for (i = 0; i < n; i++) {
		if (strncmp(ln[i], "REGION", 6) != 0) {
			continue;
		}
		w = reportfmt_width(ln[i]);
		for (start = i; i < n && ln[i][0] != '\0'; i++) {
			if (reportfmt_width(ln[i]) != w) {
				fail_msg("line %zu of table at %zu: width %d, "
				         "header %d: '%s'",
				    i - start, start, reportfmt_width(ln[i]),
				    w, ln[i]);
			}
		}
	}
	free(copy);
	free(text);
	json_decref(r);
}

/* ---- CSV ------------------------------------------------------------ */

/*
 * csv_parse reads one RFC 4180 record at *p into fields (malloc'd);
 * returns the field count and advances *p past the CRLF.
 */
static size_t
csv_parse(const char **p, char **fields, size_t max)
{
	const char *s = *p;
	size_t      n = 0, o;
	char        buf[4096];

	for (;;) {
		o = 0;
		if (*s == '"') {
			for (s++;; s++) {
				assert_true(*s != '\0'); /* unterminated */
				if (*s == '"' && s[1] == '"') {
					buf[o++] = '"';
					s++;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					buf[o++] = *s;
				}
			}
		} else {
			while (*s != ',' && *s != '\r' && *s != '\0') {
				assert_true(*s != '"' && *s != '\n');
				buf[o++] = *s++;
			}
		}
		buf[o] = '\0';
		assert_true(n < max);
		fields[n++] = strdup(buf);
		if (*s == ',') {
			s++;
			continue;
		}
		assert_true(s[0] == '\r' && s[1] == '\n'); /* CRLF ends */
		*p = s + 2;
		return (n);
	}
}

static void
free_fields(char **f, size_t n)
{
	while (n-- > 0) {
		free(f[n]);
	}
}

static void
test_reportfmt_csv_campaign(void **state)
{
	json_t     *r    = fixture("campaign.json");
	char       *want = expected("campaign.csv");
	struct cap  c;
	char       *text, *head[64], *row[64];
	const char *p;
	size_t      nh, nr, rows = 0, i;

	(void) state;
	cap_open(&c);
	assert_int_equal(reportfmt_csv(r, c.f, 0), WAGE_OK);
	text = cap_close(&c);
	assert_string_equal(text, want);
	/* Every record has as many fields as the header. */
	p  = text;
	nh = csv_parse(&p, head, 64);
	assert_string_equal(head[0], "region_code");
	while (*p != '\0') {
		nr = csv_parse(&p, row, 64);
		assert_int_equal(nr, nh);
		for (i = 0; i < nh; i++) {
			if (strcmp(head[i], "claimed_yuan") == 0 &&
			    strcmp(row[0], "total") == 0) {
				assert_string_equal(row[i], "2245222.21");
			}
			if (strcmp(head[i], "days_to_close_median") == 0 &&
			    strcmp(row[0], "410100") == 0) {
				assert_string_equal(row[i], ""); /* null */
			}
			if (strcmp(head[i], "closed_court") == 0 &&
			    strcmp(row[0], "370100") == 0) {
				assert_string_equal(row[i], "5");
			}
		}
		free_fields(row, nr);
		rows++;
	}
	assert_int_equal(rows, 5); /* four groups and the total */
	free_fields(head, nh);
	free(text);

	/* With the BOM for Excel: the same after three bytes. */
	cap_open(&c);
	assert_int_equal(reportfmt_csv(r, c.f, REPORTFMT_CSV_BOM), WAGE_OK);
	text = cap_close(&c);
	assert_memory_equal(text, "\xef\xbb\xbf", 3);
	assert_string_equal(text + 3, want);
	free(text);
	free(want);
	json_decref(r);
}

static void
test_reportfmt_csv_employers(void **state)
{
	json_t     *r    = fixture("employers.json");
	char       *want = expected("employers.csv");
	struct cap  c;
	char       *text, *f[32];
	const char *p;
	size_t      n;

	(void) state;
	cap_open(&c);
	/* reportfmt_csv hands an employers report on. */
	assert_int_equal(reportfmt_csv(r, c.f, 0), WAGE_OK);
	text = cap_close(&c);
	assert_string_equal(text, want);
	/* The comma and quotes are quoted and doubled... */
	assert_non_null(strstr(text, "\"鲁建, \"\"宏达\"\" 工程有限公司\""));
	p = text;
	n = csv_parse(&p, f, 32);
	free_fields(f, n);
	n = csv_parse(&p, f, 32);
	assert_int_equal(n, 11);
	/* ...and read back as they were. */
	assert_string_equal(f[1], "鲁建, \"宏达\" 工程有限公司");
	assert_string_equal(f[5], "54321.00");
	assert_string_equal(f[9], "WA2024-000001 WA2024-000007 WA2024-000019");
	assert_string_equal(f[10], "true");
	free_fields(f, n);
	/* A name a spreadsheet would run as a formula is defused. */
	n = csv_parse(&p, f, 32);
	assert_string_equal(f[1], "'=HYPERLINK(\"http://x\")");
	free_fields(f, n);
	n = csv_parse(&p, f, 32);
	assert_string_equal(f[5], "0.99");
	free_fields(f, n);
	assert_int_equal(*p, '\0');
	free(text);
	free(want);
	json_decref(r);
}

static void
test_reportfmt_employers_table(void **state)
{
	json_t    *r = fixture("employers.json");
	struct cap c;
	char      *text, *ln[16] = { 0 };
	size_t     n, i;

	(void) state;
	cap_open(&c);
	assert_int_equal(reportfmt_table(r, c.f), WAGE_OK);
	text = cap_close(&c);
	assert_non_null(strstr(text, "2 or more cases or 5000000.00 yuan"));
	assert_non_null(strstr(text, "鲁建, \"宏达\" 工程有限公司"));
	assert_non_null(strstr(text, "54321.00"));
	n = lines(text, ln, 16);
	/* header, then one line per respondent, CASES lined up */
	for (i = 0; i < n && strncmp(ln[i], "CREDIT CODE", 11) != 0; i++) {
	}
	assert_true(i + 3 < n);
	assert_int_equal(
	    col_at(ln[i + 1], "  12  ") + 2 + 2, col_at(ln[i], "CASES") + 5);
	assert_int_equal(col_at(ln[i + 3], "临沂"), col_at(ln[i], "NAME"));
	assert_int_equal(
	    col_at(ln[i + 3], "WA2024-000005"), col_at(ln[i], "CASE IDS"));
	assert_int_equal(
	    col_at(ln[i + 1], "WA2024-000001"), col_at(ln[i], "CASE IDS"));
	free(text);
	json_decref(r);
}

/* ---- SVG ------------------------------------------------------------ */

static void
test_reportfmt_svg(void **state)
{
	static const char *const stage_names[] = { "受理审查", "调解", "仲裁",
		"结案" };
	static const char *const stage_keys[] = { "in_intake", "in_mediation",
		"in_arbitration", "closed" };
	json_t                  *r            = fixture("campaign.json");
	const json_t            *row, *total;
	struct cap               c;
	char                    *text, want[256];
	size_t                   i, s, len;

	(void) state;
	cap_open(&c);
	assert_int_equal(reportfmt_svg(r, c.f), WAGE_OK);
	text = cap_close(&c);
	len  = strlen(text);
	assert_true(strncmp(text, "<svg ", 5) == 0);
	assert_true(len > 8 && strcmp(text + len - 7, "</svg>\n") == 0);
	assert_non_null(strstr(text, "xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(text,
	    "font-family=\"Noto Sans CJK SC, "
	    "WenQuanYi Micro Hei, sans-serif\""));
	assert_null(strstr(text, "统计时间")); /* none given */
	/* Self-contained: nothing fetched. */
	assert_null(strstr(text, "href"));
	assert_null(strstr(text, "<image"));
	/* Balanced elements. */
	assert_int_equal(count(text, "<text"), count(text, "</text>"));
	assert_int_equal(count(text, "<title>"), count(text, "</title>"));
	assert_int_equal(count(text, "<rect"),
	    count(text, "</rect>") + count(text, "\"/>") -
	        count(text, "<line"));
	/* Every group's label, and its number in each stage. */
	json_array_foreach (json_object_get(r, "groups"), i, row) {
		const char *label =
		    json_string_value(json_object_get(row, "label"));

		snprintf(want, sizeof(want), ">%s</text>", label);
		assert_non_null(strstr(text, want));
		for (s = 0; s < 4; s++) {
			json_int_t v = json_integer_value(
			    json_object_get(row, stage_keys[s]));

			if (v == 0) {
				continue;
			}
			snprintf(want, sizeof(want),
			    "<title>%s %s %" JSON_INTEGER_FORMAT "</title>",
			    label, stage_names[s], v);
			if (strstr(text, want) == NULL) {
				fail_msg("no '%s'", want);
			}
		}
		snprintf(want, sizeof(want),
		    ">%" JSON_INTEGER_FORMAT "</text>",
		    json_integer_value(json_object_get(row, "received")));
		assert_non_null(strstr(text, want));
	}
	/* The totals, as the table gives them. */
	total = json_object_get(r, "total");
	assert_non_null(strstr(text, "收案 219 件"));
	assert_non_null(strstr(text, "劳动者 883 人"));
	assert_non_null(strstr(text, "请求金额 2245222.21 元"));
	assert_non_null(strstr(text, "追回 771289.01 元"));
	for (s = 0; s < 4; s++) {
		snprintf(want, sizeof(want),
		    ">%s %" JSON_INTEGER_FORMAT "</text>", stage_names[s],
		    json_integer_value(json_object_get(total, stage_keys[s])));
		assert_non_null(strstr(text, want));
	}
	assert_non_null(strstr(text, "中位数 30 天"));
	assert_non_null(strstr(text, "第90百分位 80 天"));
	json_array_foreach (json_object_get(total, "days_to_close"), i, row) {
		snprintf(want, sizeof(want),
		    "<title>%s 天：%" JSON_INTEGER_FORMAT " 件</title>",
		    json_string_value(json_array_get(
		        json_object_get(r, "days_to_close_buckets"), i)),
		    json_integer_value(row));
		/* ">90" is escaped as "&gt;90" */
		if (i == 5) {
			snprintf(want, sizeof(want),
			    "<title>&gt;90 天：%" JSON_INTEGER_FORMAT
			    " 件</title>",
			    json_integer_value(row));
		}
		assert_non_null(strstr(text, want));
	}
	assert_non_null(strstr(text, "overdue counts need the legal clocks"));
	free(text);
	json_decref(r);
}

static void
test_reportfmt_svg_escapes(void **state)
{
	json_t    *r = fixture("campaign.json");
	struct cap c;
	char      *text;

	(void) state;
	/* The time the server made it, when it says. */
	json_object_set_new(
	    r, "generated_at", json_string("2024-04-01T09:00:00+08:00"));
	cap_open(&c);
	assert_int_equal(reportfmt_svg(r, c.f), WAGE_OK);
	text = cap_close(&c);
	assert_non_null(strstr(text, "统计时间 2024-04-01T09:00:00+08:00"));
	free(text);
	cap_open(&c);
	assert_int_equal(reportfmt_table(r, c.f), WAGE_OK);
	text = cap_close(&c);
	assert_non_null(strstr(text, "Generated: 2024-04-01T09:00:00+08:00"));
	free(text);

	/* A label with markup in it stays text. */
	json_object_set_new(json_array_get(json_object_get(r, "groups"), 0),
	    "label", json_string("A&B<C>\"'\x01"));
	cap_open(&c);
	assert_int_equal(reportfmt_svg(r, c.f), WAGE_OK);
	text = cap_close(&c);
	assert_non_null(strstr(text, ">A&amp;B&lt;C&gt;&quot;&apos;</text>"));
	assert_null(strstr(text, "<C>"));
	assert_null(strchr(text, '\x01'));
	free(text);

	/* No groups at all still makes a picture. */
	json_array_clear(json_object_get(r, "groups"));
	cap_open(&c);
	assert_int_equal(reportfmt_svg(r, c.f), WAGE_OK);
	text = cap_close(&c);
	assert_non_null(strstr(text, "（无案件）"));
	assert_non_null(strstr(text, "</svg>"));
	free(text);
	json_decref(r);
}

/* ---- refusals ------------------------------------------------------- */

static void
test_reportfmt_not_a_report(void **state)
{
	json_t    *camp = fixture("campaign.json");
	json_t    *emp  = fixture("employers.json");
	json_t    *junk = json_pack("{s:s}", "report", "campaign");
	struct cap c;
	FILE      *full;

	(void) state;
	cap_open(&c);
	assert_int_equal(reportfmt_table(junk, c.f), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(reportfmt_csv(junk, c.f, 0), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(reportfmt_svg(junk, c.f), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(reportfmt_svg(emp, c.f), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(
	    reportfmt_employers_table(camp, c.f), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(
	    reportfmt_employers_csv(camp, c.f, 0), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(reportfmt_table(NULL, c.f), WAGE_E_INVALID_ARGUMENT);
	free(cap_close(&c));

	/* A write that fails is reported, not swallowed. */
	full = fopen("/dev/full", "w");
	if (full != NULL) {
		setvbuf(full, NULL, _IONBF, 0);
		assert_int_equal(reportfmt_table(camp, full), WAGE_E_INTERNAL);
		assert_int_equal(
		    reportfmt_csv(camp, full, 0), WAGE_E_INTERNAL);
		assert_int_equal(reportfmt_svg(camp, full), WAGE_E_INTERNAL);
		fclose(full);
	}
	json_decref(camp);
	json_decref(emp);
	json_decref(junk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reportfmt_width),
		cmocka_unit_test(test_reportfmt_fen),
		cmocka_unit_test(test_reportfmt_parse_yuan),
		cmocka_unit_test(test_reportfmt_grid_alignment),
		cmocka_unit_test(test_reportfmt_grid_cut),
		cmocka_unit_test(test_reportfmt_table_campaign),
		cmocka_unit_test(test_reportfmt_csv_campaign),
		cmocka_unit_test(test_reportfmt_csv_employers),
		cmocka_unit_test(test_reportfmt_employers_table),
		cmocka_unit_test(test_reportfmt_svg),
		cmocka_unit_test(test_reportfmt_svg_escapes),
		cmocka_unit_test(test_reportfmt_not_a_report),
	};

	return (cmocka_run_group_tests_name("reportfmt", tests, NULL, NULL));
}
