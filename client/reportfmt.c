/* SPDX-License-Identifier: MIT */
/*
 * reportfmt.c - text tables, CSV and SVG of the report results, and the
 * display-width grid they print with. Owns: layout, column names, yuan
 * formatting, CSV quoting, SVG geometry and escaping. Must not: compute a
 * figure that is not in the report (the table, the CSV and the chart must
 * agree), talk to the server, or write anywhere but the FILE given.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reportfmt.h"

/* ---- display width ------------------------------------------------- */

int
reportfmt_cp_width(unsigned long cp)
{
	if (cp == 0) {
		return (0);
	}
	/* Combining marks, zero-width spaces and joiners, variation
	 * selectors take no column. */
	if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f)) {
		return (0);
	}
	/* East Asian Wide and Fullwidth (UAX #11), the ranges Chinese
	 * text and its punctuation use. */
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
	    (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) ||
	    (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x20000 && cp <= 0x3fffd)) {
		return (2);
	}
	return (1);
}

size_t
reportfmt_utf8_next(const char *s, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *) s;

	if (u[0] < 0x80) {
		*cp = u[0];
		return (1);
	}
	if ((u[0] & 0xe0) == 0xc0 && (u[1] & 0xc0) == 0x80) {
		*cp = ((unsigned long) (u[0] & 0x1f) << 6) | (u[1] & 0x3f);
		return (2);
	}
	if ((u[0] & 0xf0) == 0xe0 && (u[1] & 0xc0) == 0x80 &&
	    (u[2] & 0xc0) == 0x80) {
		*cp = ((unsigned long) (u[0] & 0x0f) << 12) |
		    ((unsigned long) (u[1] & 0x3f) << 6) | (u[2] & 0x3f);
		return (3);
	}
	if ((u[0] & 0xf8) == 0xf0 && (u[1] & 0xc0) == 0x80 &&
	    (u[2] & 0xc0) == 0x80 && (u[3] & 0xc0) == 0x80) {
		*cp = ((unsigned long) (u[0] & 0x07) << 18) |
		    ((unsigned long) (u[1] & 0x3f) << 12) |
		    ((unsigned long) (u[2] & 0x3f) << 6) | (u[3] & 0x3f);
		return (4);
	}
	*cp = '?';
	return (1);
}

int
reportfmt_width(const char *s)
{
	unsigned long cp;
	int           w = 0;

	while (*s != '\0') {
		s += reportfmt_utf8_next(s, &cp);
		w += cp < 0x20 ? 1 : reportfmt_cp_width(cp);
	}
	return (w);
}

void
reportfmt_fen(long long fen, char *buf, size_t len)
{
	/* Unsigned, so that the most negative amount has a magnitude. */
	unsigned long long m = fen < 0 ? 0ULL - (unsigned long long) fen
	                               : (unsigned long long) fen;

	snprintf(buf, len, "%s%llu.%02u", fen < 0 ? "-" : "", m / 100,
	    (unsigned) (m % 100));
}

int
reportfmt_parse_yuan(const char *s, long long *fen)
{
	long long v      = 0;
	int       digits = 0, decimals = -1;

	if (s == NULL) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	for (; *s != '\0'; s++) {
		if (*s == '.' && decimals < 0 && digits > 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals == 2) {
			return (WAGE_E_INVALID_ARGUMENT);
		}
		v = v * 10 + (*s - '0');
		digits++;
		decimals += decimals >= 0;
		if (v > WAGE_MAX_AMOUNT_FEN) {
			return (WAGE_E_INVALID_ARGUMENT);
		}
	}
	if (digits == 0 || decimals == 0) {
		return (WAGE_E_INVALID_ARGUMENT); /* "" or "12." */
	}
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 2;
	     decimals++) {
		v *= 10; /* "12" and "12.5" in fen */
	}
	if (v > WAGE_MAX_AMOUNT_FEN) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	*fen = v;
	return (WAGE_OK);
}

/* ---- text grid ----------------------------------------------------- */

void
reportfmt_grid_init(struct reportfmt_grid *g, int ncols, unsigned right)
{
	memset(g, 0, sizeof(*g));
	if (ncols < 1) {
		ncols = 1;
	}
	if (ncols > REPORTFMT_GRID_MAX_COLS) {
		ncols = REPORTFMT_GRID_MAX_COLS;
	}
	g->ncols    = ncols;
	g->right    = right;
	g->max_cell = REPORTFMT_CELL_MAX;
}

/* grid_add appends a row; cells NULL makes a rule row. */
static int
grid_add(struct reportfmt_grid *g, const char *const *cells)
{
	char **nc;
	int    i;

	nc = realloc(
	    g->cells, (g->nrows + 1) * (size_t) g->ncols * sizeof(char *));
	if (nc == NULL) {
		g->failed = 1;
		return (WAGE_E_INTERNAL);
	}
	g->cells = nc;
	nc += g->nrows * (size_t) g->ncols;
	for (i = 0; i < g->ncols; i++) {
		nc[i] = NULL;
		if (cells == NULL) {
			continue;
		}
		if ((nc[i] = strdup(cells[i] != NULL ? cells[i] : "")) ==
		    NULL) {
			while (i-- > 0) {
				free(nc[i]);
			}
			g->failed = 1;
			return (WAGE_E_INTERNAL);
		}
	}
	g->nrows++;
	return (WAGE_OK);
}

int
reportfmt_grid_rowv(struct reportfmt_grid *g, const char *const *cells)
{
	static const char *const blank[REPORTFMT_GRID_MAX_COLS];

	return (grid_add(g, cells != NULL ? cells : blank));
}

int
reportfmt_grid_row(struct reportfmt_grid *g, ...)
{
	const char *cells[REPORTFMT_GRID_MAX_COLS];
	va_list     ap;
	int         i;

	va_start(ap, g);
	for (i = 0; i < g->ncols; i++) {
		cells[i] = va_arg(ap, const char *);
	}
	va_end(ap);
	return (grid_add(g, cells));
}

int
reportfmt_grid_rule(struct reportfmt_grid *g)
{
	return (grid_add(g, NULL));
}

/*
 * put_cell writes s cut to max columns ("…" taking the last) to out, or
 * only measures it when out is NULL; returns the columns it takes.
 * Control characters become spaces.
 */
static int
put_cell(FILE *out, const char *s, int max)
{
	unsigned long cp;
	size_t        n;
	int           w = 0, cw, full = reportfmt_width(s);

	while (*s != '\0') {
		n  = reportfmt_utf8_next(s, &cp);
		cw = cp < 0x20 ? 1 : reportfmt_cp_width(cp);
		if (full > max && w + cw > max - 1) {
			if (out != NULL) {
				fputs("…", out);
			}
			w++;
			break;
		}
		if (out == NULL) {
			/* measuring */
		} else if (cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0)) {
			fputc(' ', out);
		} else {
			fwrite(s, 1, n, out);
		}
		s += n;
		w += cw;
	}
	return (w);
}

/* cell_width: the columns s takes when cut at max. */
static int
cell_width(const char *s, int max)
{
	return (put_cell(NULL, s, max));
}

static void
pad(FILE *out, int n)
{
	for (; n > 0; n--) {
		fputc(' ', out);
	}
}

int
reportfmt_grid_print(const struct reportfmt_grid *g, FILE *out)
{
	int         widths[REPORTFMT_GRID_MAX_COLS] = { 0 };
	const char *s;
	size_t      r;
	int         c, w, total = 0, last;

	if (g->failed) {
		return (WAGE_E_INTERNAL);
	}
	for (r = 0; r < g->nrows; r++) {
		for (c = 0; c < g->ncols; c++) {
			s = g->cells[r * (size_t) g->ncols + (size_t) c];
			if (s != NULL &&
			    (w = cell_width(s, g->max_cell)) > widths[c]) {
				widths[c] = w;
			}
		}
	}
	for (c = 0; c < g->ncols; c++) {
		total += widths[c] + (c > 0 ? 2 : 0);
	}
	for (r = 0; r < g->nrows; r++) {
		if (g->cells[r * (size_t) g->ncols] == NULL) {
			for (w = 0; w < total; w++) {
				fputc('-', out);
			}
			fputc('\n', out);
			continue;
		}
		for (c = 0; c < g->ncols; c++) {
			s    = g->cells[r * (size_t) g->ncols + (size_t) c];
			last = c == g->ncols - 1;
			if (c > 0) {
				fputs("  ", out);
			}
			w = cell_width(s, g->max_cell);
			if (g->right & (1u << c)) {
				pad(out, widths[c] - w);
				put_cell(out, s, g->max_cell);
			} else {
				put_cell(out, s, g->max_cell);
				if (!last) {
					pad(out, widths[c] - w);
				}
			}
		}
		fputc('\n', out);
	}
	return (ferror(out) ? WAGE_E_INTERNAL : WAGE_OK);
}

void
reportfmt_grid_fini(struct reportfmt_grid *g)
{
	size_t i;

	for (i = 0; i < g->nrows * (size_t) g->ncols; i++) {
		free(g->cells[i]);
	}
	free(g->cells);
	g->cells = NULL;
	g->nrows = 0;
}

/* ---- reading the report -------------------------------------------- */

static const char *
js(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL ? s : "");
}

static long long
ji(const json_t *o, const char *k)
{
	return (json_integer_value(json_object_get(o, k)));
}

/* num: an integer as text; null or absent as dash. */
static const char *
num(const json_t *v, const char *dash, char *buf, size_t len)
{
	if (!json_is_integer(v)) {
		return (dash);
	}
	snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	return (buf);
}

/* row_name: "370100 济南", "370102" (no name known), "合计" (total). */
static const char *
row_name(const json_t *row, char *buf, size_t len)
{
	const char *code = js(row, "code"), *label = js(row, "label");

	if (code[0] == '\0') {
		return (label);
	}
	if (label[0] == '\0' || strcmp(label, code) == 0) {
		return (code);
	}
	snprintf(buf, len, "%s %s", code, label);
	return (buf);
}

static bool
is_campaign(const json_t *r)
{
	return (json_is_object(r) &&
	    strcmp(js(r, "report"), "campaign") == 0 &&
	    json_is_array(json_object_get(r, "groups")) &&
	    json_is_object(json_object_get(r, "total")));
}

static bool
is_employers(const json_t *r)
{
	return (json_is_object(r) &&
	    strcmp(js(r, "report"), "employers") == 0 &&
	    json_is_array(json_object_get(r, "employers")));
}

static size_t
ngroups(const json_t *report)
{
	return (json_array_size(json_object_get(report, "groups")));
}

/* row_at: group i, the total after the last group, then NULL. */
static const json_t *
row_at(const json_t *report, size_t i)
{
	size_t n = ngroups(report);

	if (i < n) {
		return (json_array_get(json_object_get(report, "groups"), i));
	}
	return (i == n ? json_object_get(report, "total") : NULL);
}

static int
out_status(FILE *out)
{
	return (ferror(out) ? WAGE_E_INTERNAL : WAGE_OK);
}

/* ---- campaign: table ----------------------------------------------- */

static void
heading(const json_t *report, FILE *out)
{
	const json_t *region = json_object_get(report, "region");

	fprintf(out, "Campaign report: cases received %s to %s\n",
	    js(report, "from"), js(report, "to"));
	if (json_is_string(region)) {
		const char *label = js(report, "region_label");

		fprintf(out, "Region: %s%s%s, by %s\n",
		    json_string_value(region),
		    strcmp(label, json_string_value(region)) != 0 ? " " : "",
		    strcmp(label, json_string_value(region)) != 0 ? label : "",
		    js(report, "group_by"));
	} else {
		fprintf(out, "Region: all visible cases, by %s\n",
		    js(report, "group_by"));
	}
	if (json_is_string(json_object_get(report, "generated_at"))) {
		fprintf(out, "Generated: %s\n", js(report, "generated_at"));
	}
}

/* A column of a table: header and the row member it shows. */
struct col {
	const char *head;
	const char *key;
	int         yuan; /* the member is fen, shown as yuan */
};

static int
print_cols(const json_t *report, const char *title, const struct col *cols,
    int ncols, FILE *out)
{
	struct reportfmt_grid g;
	const char           *cells[REPORTFMT_GRID_MAX_COLS];
	char                  bufs[REPORTFMT_GRID_MAX_COLS][48], name[96];
	const json_t         *row;
	size_t                i;
	int                   c, rc;

	reportfmt_grid_init(&g, ncols + 1, ~1u);
	cells[0] = "REGION";
	for (c = 0; c < ncols; c++) {
		cells[c + 1] = cols[c].head;
	}
	reportfmt_grid_rowv(&g, cells);
	for (i = 0; (row = row_at(report, i)) != NULL; i++) {
		if (i == ngroups(report)) {
			reportfmt_grid_rule(&g);
		}
		cells[0] = row_name(row, name, sizeof(name));
		for (c = 0; c < ncols; c++) {
			const json_t *v = json_object_get(row, cols[c].key);

			if (cols[c].yuan && json_is_integer(v)) {
				reportfmt_fen(json_integer_value(v), bufs[c],
				    sizeof(bufs[c]));
				cells[c + 1] = bufs[c];
			} else {
				cells[c + 1] =
				    num(v, "-", bufs[c], sizeof(bufs[c]));
			}
		}
		reportfmt_grid_rowv(&g, cells);
	}
	fprintf(out, "\n%s\n", title);
	rc = reportfmt_grid_print(&g, out);
	reportfmt_grid_fini(&g);
	return (rc);
}

static int
campaign_table(const json_t *report, FILE *out)
{
	static const struct col outcomes[] = {
		{ "RECEIVED", "received", 0 },
		{ "ACCEPTED", "accepted", 0 },
		{ "REFUSED", "refused", 0 },
		{ "TRANSFERRED", "transferred", 0 },
		{ "MEDIATED", "mediated", 0 },
		{ "AWARDED", "awarded", 0 },
		{ "FINAL", "awarded_final", 0 },
		{ "NOT FINAL", "awarded_not_final", 0 },
		{ "MIXED", "awarded_mixed", 0 },
		{ "CLOSED", "closed", 0 },
	};
	static const struct col now[] = {
		{ "RECEIVED", "received", 0 },
		{ "INTAKE", "in_intake", 0 },
		{ "MEDIATION", "in_mediation", 0 },
		{ "ARBITRATION", "in_arbitration", 0 },
		{ "CLOSED", "closed", 0 },
		{ "OTHER", "in_other", 0 },
	};
	static const struct col money[] = {
		{ "CASES", "received", 0 },
		{ "WORKERS", "workers", 0 },
		{ "CLAIMED YUAN", "claimed_fen", 1 },
		{ "RECOVERED YUAN", "recovered_fen", 1 },
	};
	struct reportfmt_grid g;
	const json_t *total = json_object_get(report, "total"), *row, *v;
	const json_t *buckets, *kinds, *k;
	const char   *cells[REPORTFMT_GRID_MAX_COLS];
	char          bufs[REPORTFMT_GRID_MAX_COLS][48], name[96];
	size_t        i, j, nb;
	int           rc;

	heading(report, out);
	/* OTHER (a state the policy no longer has) only when there is one. */
	if ((rc = print_cols(report, "Cases and outcomes", outcomes,
	         (int) (sizeof(outcomes) / sizeof(outcomes[0])), out)) !=
	        WAGE_OK ||
	    (rc = print_cols(report, "Where the cases are now", now,
	         ji(total, "in_other") > 0 ? 6 : 5, out)) != WAGE_OK ||
	    (rc = print_cols(report, "Workers and money", money, 4, out)) !=
	        WAGE_OK) {
		return (rc);
	}

	/* Days to close: median, p90 and the histogram's buckets. */
	buckets = json_object_get(report, "days_to_close_buckets");
	nb      = json_array_size(buckets);
	if (nb > REPORTFMT_GRID_MAX_COLS - 4) {
		nb = REPORTFMT_GRID_MAX_COLS - 4;
	}
	reportfmt_grid_init(&g, (int) nb + 4, ~1u);
	cells[0] = "REGION";
	cells[1] = "CLOSED";
	cells[2] = "MEDIAN";
	cells[3] = "P90";
	for (j = 0; j < nb; j++) {
		cells[4 + j] = json_string_value(json_array_get(buckets, j));
	}
	reportfmt_grid_rowv(&g, cells);
	for (i = 0; (row = row_at(report, i)) != NULL; i++) {
		if (i == ngroups(report)) {
			reportfmt_grid_rule(&g);
		}
		cells[0] = row_name(row, name, sizeof(name));
		cells[1] = num(json_object_get(row, "closed"), "-", bufs[1],
		    sizeof(bufs[1]));
		cells[2] = num(json_object_get(row, "days_to_close_median"),
		    "-", bufs[2], sizeof(bufs[2]));
		cells[3] = num(json_object_get(row, "days_to_close_p90"), "-",
		    bufs[3], sizeof(bufs[3]));
		for (j = 0; j < nb; j++) {
			cells[4 + j] =
			    num(json_array_get(
			            json_object_get(row, "days_to_close"), j),
			        "-", bufs[4 + j], sizeof(bufs[4 + j]));
		}
		reportfmt_grid_rowv(&g, cells);
	}
	fputs("\nDays from receipt to closure (cases closed)\n", out);
	rc = reportfmt_grid_print(&g, out);
	reportfmt_grid_fini(&g);
	if (rc != WAGE_OK) {
		return (rc);
	}

	/* Closed by kind, all groups together; by group in the CSV. */
	kinds = json_object_get(report, "closed_kinds");
	reportfmt_grid_init(&g, 3, 1u << 2);
	reportfmt_grid_row(&g, "KIND", "", "CASES");
	json_array_foreach (kinds, i, k) {
		v = json_object_get(
		    json_object_get(total, "closed_by_kind"), js(k, "state"));
		if (!json_is_integer(v) || json_integer_value(v) == 0) {
			continue;
		}
		reportfmt_grid_row(&g, js(k, "state"), js(k, "label"),
		    num(v, "0", bufs[0], sizeof(bufs[0])));
	}
	reportfmt_grid_rule(&g);
	reportfmt_grid_row(&g, js(total, "label"), "",
	    num(json_object_get(total, "closed"), "0", bufs[1],
	        sizeof(bufs[1])));
	fputs("\nClosed cases by kind (by region: --csv)\n", out);
	rc = reportfmt_grid_print(&g, out);
	reportfmt_grid_fini(&g);
	if (rc != WAGE_OK) {
		return (rc);
	}

	if (json_is_null(json_object_get(total, "overdue_now"))) {
		fputs("\nOverdue now / ever overdue: not available\n", out);
	} else {
		fprintf(out, "\nOverdue now: %s, ever overdue: %s\n",
		    num(json_object_get(total, "overdue_now"), "-", bufs[0],
		        sizeof(bufs[0])),
		    num(json_object_get(total, "ever_overdue"), "-", bufs[1],
		        sizeof(bufs[1])));
	}
	json_array_foreach (json_object_get(report, "notes"), i, v) {
		fprintf(out, "Note: %s\n", json_string_value(v));
	}
	return (out_status(out));
}

int
reportfmt_table(const json_t *report, FILE *out)
{
	if (is_employers(report)) {
		return (reportfmt_employers_table(report, out));
	}
	if (!is_campaign(report)) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	return (campaign_table(report, out));
}

/* ---- CSV ----------------------------------------------------------- */

/*
 * csv_field writes one field (RFC 4180). Text a spreadsheet would run as a
 * formula gets a leading ' (an employer's name comes from a filing).
 */
static void
csv_field(FILE *out, const char *s, bool text, bool first)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	bool guard = text &&
	    (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
	        s[0] == '\t' || s[0] == '\r');

	if (!first) {
		fputc(',', out);
	}
	if (quote) {
		fputc('"', out);
	}
	if (guard) {
		fputc('\'', out);
	}
	for (; *s != '\0'; s++) {
		if (*s == '"') {
			fputc('"', out);
		}
		fputc(*s, out);
	}
	if (quote) {
		fputc('"', out);
	}
}

static void
csv_int(FILE *out, const json_t *v)
{
	if (json_is_integer(v)) {
		fprintf(out, ",%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else {
		fputc(',', out);
	}
}

static void
csv_yuan(FILE *out, const json_t *v)
{
	char buf[32];

	fputc(',', out);
	if (json_is_integer(v)) {
		reportfmt_fen(json_integer_value(v), buf, sizeof(buf));
		fputs(buf, out);
	}
}

static const char *const csv_counts[] = { "received", "accepted", "refused",
	"transferred", "in_intake", "in_mediation", "mediated",
	"in_arbitration", "in_other", "awarded", "awarded_final",
	"awarded_not_final", "awarded_mixed", "closed", NULL };

/* bucket_column: "16-30" -> "days_16_30", ">90" -> "days_over_90". */
static void
bucket_column(const char *label, char *buf, size_t len)
{
	size_t o = (size_t) snprintf(buf, len, "days_");

	if (*label == '>') {
		o += (size_t) snprintf(buf + o, len - o, "over_");
		label++;
	}
	for (; *label != '\0' && o + 1 < len; label++) {
		buf[o++] = *label == '-' ? '_' : *label;
	}
	buf[o] = '\0';
}

int
reportfmt_csv(const json_t *report, FILE *out, unsigned flags)
{
	const json_t *kinds, *buckets, *row, *k, *b;
	char          col[64];
	size_t        i, j;

	if (is_employers(report)) {
		return (reportfmt_employers_csv(report, out, flags));
	}
	if (!is_campaign(report)) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	kinds   = json_object_get(report, "closed_kinds");
	buckets = json_object_get(report, "days_to_close_buckets");
	if (flags & REPORTFMT_CSV_BOM) {
		fputs("\xef\xbb\xbf", out);
	}
	fputs("region_code,region", out);
	for (i = 0; csv_counts[i] != NULL; i++) {
		csv_field(out, csv_counts[i], true, false);
	}
	json_array_foreach (kinds, i, k) {
		csv_field(out, js(k, "state"), true, false);
	}
	fputs(",workers,claimed_yuan,recovered_yuan,days_to_close_median,"
	      "days_to_close_p90",
	    out);
	json_array_foreach (buckets, i, b) {
		bucket_column(
		    json_string_value(b) != NULL ? json_string_value(b) : "",
		    col, sizeof(col));
		csv_field(out, col, true, false);
	}
	fputs(",overdue_now,ever_overdue,period_from,period_to\r\n", out);
	for (i = 0; (row = row_at(report, i)) != NULL; i++) {
		csv_field(out,
		    i == ngroups(report) ? "total" : js(row, "code"), true,
		    true);
		csv_field(out, js(row, "label"), true, false);
		for (j = 0; csv_counts[j] != NULL; j++) {
			csv_int(out, json_object_get(row, csv_counts[j]));
		}
		json_array_foreach (kinds, j, k) {
			const json_t *v = json_object_get(
			    json_object_get(row, "closed_by_kind"),
			    js(k, "state"));

			fprintf(out, ",%" JSON_INTEGER_FORMAT,
			    json_is_integer(v) ? json_integer_value(v) : 0);
		}
		csv_int(out, json_object_get(row, "workers"));
		csv_yuan(out, json_object_get(row, "claimed_fen"));
		csv_yuan(out, json_object_get(row, "recovered_fen"));
		csv_int(out, json_object_get(row, "days_to_close_median"));
		csv_int(out, json_object_get(row, "days_to_close_p90"));
		json_array_foreach (buckets, j, b) {
			csv_int(out,
			    json_array_get(
			        json_object_get(row, "days_to_close"), j));
		}
		csv_int(out, json_object_get(row, "overdue_now"));
		csv_int(out, json_object_get(row, "ever_overdue"));
		csv_field(out, js(report, "from"), true, false);
		csv_field(out, js(report, "to"), true, false);
		fputs("\r\n", out);
	}
	return (out_status(out));
}

/* ---- SVG ----------------------------------------------------------- */

#define SVG_FONT "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
#define SVG_W    960

/* The stages of the stacked bar: policy phases, then closed. */
static const struct {
	const char *key, *label, *color;
} stages[] = {
	{ "in_intake", "受理审查", "#e8a33d" },
	{ "in_mediation", "调解", "#4a86c5" },
	{ "in_arbitration", "仲裁", "#8a5cb8" },
	{ "closed", "结案", "#3f9e5a" },
	{ "in_other", "其他", "#9e9e9e" },
};
#define NSTAGES (sizeof(stages) / sizeof(stages[0]))

/* xml_text writes s with &, <, >, " and ' escaped; control chars dropped
 * (XML 1.0 does not allow them). */
static void
xml_text(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\'':
			fputs("&apos;", out);
			break;
		default:
			if ((unsigned char) *s >= 0x20 || *s == '\t') {
				fputc(*s, out);
			}
		}
	}
}

/* svg_text writes a <text> element at x, y. */
static void
svg_text(FILE *out, double x, double y, const char *anchor, int size,
    const char *fill, const char *weight, const char *s)
{
	fprintf(out,
	    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" "
	    "fill=\"%s\"%s%s%s>",
	    x, y, anchor, size, fill, weight != NULL ? " font-weight=\"" : "",
	    weight != NULL ? weight : "", weight != NULL ? "\"" : "");
	xml_text(out, s);
	fputs("</text>\n", out);
}

/* text_px: a rough width of s in pixels at size (CJK about 1 em). */
static double
text_px(const char *s, int size)
{
	return (reportfmt_width(s) * size * 0.55);
}

static const char *
short_label(const json_t *row)
{
	const char *label = js(row, "label");

	return (label[0] != '\0' ? label : js(row, "code"));
}

int
reportfmt_svg(const json_t *report, FILE *out)
{
	const json_t *groups, *total, *row, *hist, *buckets;
	char          buf[256], n1[32], n2[32], n3[32], n4[32];
	double        label_w = 60, x0, bar_w, x, w, y, scale, hmax;
	long long     maxrecv = 1, v;
	size_t        i, s, ng, nb;
	int           height, chart_top, hist_top, row_h = 28;
	const int     hist_h = 170;

	if (!is_campaign(report)) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	groups  = json_object_get(report, "groups");
	total   = json_object_get(report, "total");
	hist    = json_object_get(total, "days_to_close");
	buckets = json_object_get(report, "days_to_close_buckets");
	ng      = json_array_size(groups);
	nb      = json_array_size(buckets);
	json_array_foreach (groups, i, row) {
		if (ji(row, "received") > maxrecv) {
			maxrecv = ji(row, "received");
		}
		if (text_px(short_label(row), 13) + 16 > label_w) {
			label_w = text_px(short_label(row), 13) + 16;
		}
	}
	if (label_w > 220) {
		label_w = 220;
	}
	x0        = 24 + label_w;
	bar_w     = SVG_W - x0 - 80;
	chart_top = 120;
	hist_top  = chart_top + (int) (ng > 0 ? ng : 1) * row_h + 70;
	height    = hist_top + hist_h + 48 +
	    16 * (int) json_array_size(json_object_get(report, "notes"));

	fprintf(out,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"%s\">\n",
	    SVG_W, height, SVG_W, height, SVG_FONT);
	fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
	    SVG_W, height);

	/* Title, period and the totals the table shows. */
	snprintf(buf, sizeof(buf), "农民工欠薪案件办理情况 %s 至 %s",
	    js(report, "from"), js(report, "to"));
	svg_text(out, 24, 34, "start", 20, "#222", "bold", buf);
	if (json_is_string(json_object_get(report, "region"))) {
		snprintf(buf, sizeof(buf), "%s %s · %s", js(report, "region"),
		    js(report, "region_label"),
		    strcmp(js(report, "group_by"), "county") == 0
		        ? "按县（市、区）"
		        : "按市");
	} else {
		snprintf(buf, sizeof(buf), "全部可见案件 · %s",
		    strcmp(js(report, "group_by"), "county") == 0
		        ? "按县（市、区）"
		        : "按市");
	}
	if (json_is_string(json_object_get(report, "generated_at"))) {
		size_t o = strlen(buf);

		snprintf(buf + o, sizeof(buf) - o, " · 统计时间 %s",
		    js(report, "generated_at"));
	}
	svg_text(out, 24, 58, "start", 13, "#555", NULL, buf);
	reportfmt_fen(ji(total, "claimed_fen"), n3, sizeof(n3));
	reportfmt_fen(ji(total, "recovered_fen"), n4, sizeof(n4));
	snprintf(buf, sizeof(buf),
	    "%s：收案 %lld 件 · 劳动者 %lld 人 · 请求金额 %s 元 · 追回 %s 元",
	    js(total, "label"), ji(total, "received"), ji(total, "workers"),
	    n3, n4);
	svg_text(out, 24, 80, "start", 13, "#222", NULL, buf);

	/* Legend with the total of each stage. */
	x = 24;
	for (s = 0; s < NSTAGES; s++) {
		v = ji(total, stages[s].key);
		if (strcmp(stages[s].key, "in_other") == 0 && v == 0) {
			continue;
		}
		fprintf(out,
		    "<rect x=\"%.1f\" y=\"92\" width=\"12\" height=\"12\" "
		    "fill=\"%s\"/>\n",
		    x, stages[s].color);
		snprintf(buf, sizeof(buf), "%s %lld", stages[s].label, v);
		svg_text(out, x + 16, 103, "start", 12, "#222", NULL, buf);
		x += 16 + text_px(buf, 12) + 22;
	}
	snprintf(buf, sizeof(buf), "（现处阶段，件）");
	svg_text(out, x, 103, "start", 12, "#777", NULL, buf);

	/* One stacked bar per group. */
	scale = bar_w / (double) maxrecv;
	if (ng == 0) {
		svg_text(out, x0, chart_top + 18, "start", 13, "#777", NULL,
		    "（无案件）");
	}
	json_array_foreach (groups, i, row) {
		y = chart_top + (double) i * row_h;
		svg_text(out, x0 - 8, y + 14, "end", 13, "#222", NULL,
		    short_label(row));
		x = x0;
		for (s = 0; s < NSTAGES; s++) {
			v = ji(row, stages[s].key);
			if (v <= 0) {
				continue;
			}
			w = (double) v * scale;
			fprintf(out,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			    "height=\"18\" fill=\"%s\"><title>",
			    x, y, w, stages[s].color);
			snprintf(buf, sizeof(buf), "%s %s %lld",
			    short_label(row), stages[s].label, v);
			xml_text(out, buf);
			fputs("</title></rect>\n", out);
			snprintf(n1, sizeof(n1), "%lld", v);
			if (w >= text_px(n1, 11) + 6) {
				svg_text(out, x + w / 2, y + 13, "middle", 11,
				    "#ffffff", NULL, n1);
			}
			x += w;
		}
		snprintf(n1, sizeof(n1), "%lld", ji(row, "received"));
		svg_text(out, x + 6, y + 14, "start", 12, "#222", "bold", n1);
	}

	/* Histogram of days to close over the total. */
	num(json_object_get(total, "days_to_close_median"), "-", n1,
	    sizeof(n1));
	num(json_object_get(total, "days_to_close_p90"), "-", n2, sizeof(n2));
	snprintf(buf, sizeof(buf),
	    "结案用时（自收案日起，天）· 结案 %lld 件 · 中位数 %s 天 · "
	    "第90百分位 %s 天",
	    ji(total, "closed"), n1, n2);
	svg_text(out, 24, hist_top - 24, "start", 14, "#222", "bold", buf);
	hmax = 1;
	for (i = 0; i < nb; i++) {
		v = json_integer_value(json_array_get(hist, i));
		if ((double) v > hmax) {
			hmax = (double) v;
		}
	}
	fprintf(out,
	    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
	    "stroke=\"#888\" stroke-width=\"1\"/>\n",
	    x0 - 10, hist_top + hist_h, x0 + (double) nb * 100,
	    hist_top + hist_h);
	for (i = 0; i < nb; i++) {
		v = json_integer_value(json_array_get(hist, i));
		w = (double) v / hmax * (hist_h - 20);
		x = x0 + (double) i * 100;
		fprintf(out,
		    "<rect x=\"%.1f\" y=\"%.1f\" width=\"80\" height=\"%.1f\" "
		    "fill=\"#3f9e5a\"><title>",
		    x, hist_top + hist_h - w, w);
		snprintf(buf, sizeof(buf), "%s 天：%lld 件",
		    json_string_value(json_array_get(buckets, i)), v);
		xml_text(out, buf);
		fputs("</title></rect>\n", out);
		snprintf(n1, sizeof(n1), "%lld", v);
		svg_text(out, x + 40, hist_top + hist_h - w - 5, "middle", 12,
		    "#222", "bold", n1);
		svg_text(out, x + 40, hist_top + hist_h + 17, "middle", 12,
		    "#444", NULL,
		    json_string_value(json_array_get(buckets, i)) != NULL
		        ? json_string_value(json_array_get(buckets, i))
		        : "");
	}
	svg_text(out, x0 + (double) nb * 100 + 4, hist_top + hist_h + 17,
	    "start", 12, "#444", NULL, "天");

	/* Notes, such as the figures that cannot be given yet. */
	y = hist_top + hist_h + 50;
	json_array_foreach (json_object_get(report, "notes"), i, row) {
		snprintf(buf, sizeof(buf), "注：%s", json_string_value(row));
		svg_text(out, 24, y, "start", 11, "#777", NULL, buf);
		y += 16;
	}
	fputs("</svg>\n", out);
	return (out_status(out));
}

/* ---- employers ----------------------------------------------------- */

/* case_ids joins the case ids with sep; more marks a cut list. */
static void
case_ids(
    const json_t *e, char *buf, size_t len, const char *sep, const char *more)
{
	const json_t *id;
	size_t        i, o = 0;

	buf[0] = '\0';
	json_array_foreach (json_object_get(e, "case_ids"), i, id) {
		int n = snprintf(buf + o, len - o, "%s%s", i ? sep : "",
		    json_string_value(id) != NULL ? json_string_value(id)
		                                  : "");

		if (n < 0 || (size_t) n >= len - o) {
			break;
		}
		o += (size_t) n;
	}
	if (more != NULL &&
	    json_is_true(json_object_get(e, "case_ids_truncated")) &&
	    o + strlen(sep) + strlen(more) < len) {
		snprintf(buf + o, len - o, "%s%s", sep, more);
	}
}

int
reportfmt_employers_table(const json_t *report, FILE *out)
{
	struct reportfmt_grid g;
	const json_t         *e;
	char                  c1[32], c2[32], c3[32], y1[32], y2[32];
	char                  ids[2048], amt[32];
	size_t                i, n;
	int                   rc;

	if (!is_employers(report)) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	n = json_array_size(json_object_get(report, "employers"));
	fprintf(out, "Respondents with %lld or more cases",
	    ji(report, "min_cases"));
	if (ji(report, "min_amount_fen") > 0) {
		reportfmt_fen(ji(report, "min_amount_fen"), amt, sizeof(amt));
		fprintf(out, " or %s yuan or more claimed", amt);
	}
	if (json_is_string(json_object_get(report, "from")) ||
	    json_is_string(json_object_get(report, "to"))) {
		fprintf(out, ", cases received %s to %s",
		    json_is_string(json_object_get(report, "from"))
		        ? js(report, "from")
		        : "the start",
		    json_is_string(json_object_get(report, "to"))
		        ? js(report, "to")
		        : "now");
	}
	fprintf(out, ": %lld", ji(report, "total"));
	if (json_is_true(json_object_get(report, "truncated"))) {
		fprintf(out, " (the %zu with most claimed shown)", n);
	}
	fputs("\n\n", out);
	reportfmt_grid_init(
	    &g, 8, (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6));
	reportfmt_grid_row(&g, "CREDIT CODE", "NAME", "CASES", "OPEN",
	    "WORKERS", "CLAIMED YUAN", "RECOVERED YUAN", "CASE IDS");
	json_array_foreach (json_object_get(report, "employers"), i, e) {
		num(json_object_get(e, "cases"), "-", c1, sizeof(c1));
		num(json_object_get(e, "open_cases"), "-", c2, sizeof(c2));
		num(json_object_get(e, "workers"), "-", c3, sizeof(c3));
		reportfmt_fen(ji(e, "claimed_fen"), y1, sizeof(y1));
		reportfmt_fen(ji(e, "recovered_fen"), y2, sizeof(y2));
		case_ids(e, ids, sizeof(ids), " ", "…");
		reportfmt_grid_row(&g, js(e, "credit_code"), js(e, "name"), c1,
		    c2, c3, y1, y2, ids);
	}
	rc = reportfmt_grid_print(&g, out);
	reportfmt_grid_fini(&g);
	if (rc == WAGE_OK && n == 0) {
		fputs("(none)\n", out);
	}
	return (rc != WAGE_OK ? rc : out_status(out));
}

int
reportfmt_employers_csv(const json_t *report, FILE *out, unsigned flags)
{
	const json_t *e;
	char          ids[8192];
	size_t        i;

	if (!is_employers(report)) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	if (flags & REPORTFMT_CSV_BOM) {
		fputs("\xef\xbb\xbf", out);
	}
	fputs("credit_code,name,cases,open_cases,workers,claimed_yuan,"
	      "recovered_yuan,first_received,last_received,case_ids,"
	      "case_ids_truncated\r\n",
	    out);
	json_array_foreach (json_object_get(report, "employers"), i, e) {
		csv_field(out, js(e, "credit_code"), true, true);
		csv_field(out, js(e, "name"), true, false);
		csv_int(out, json_object_get(e, "cases"));
		csv_int(out, json_object_get(e, "open_cases"));
		csv_int(out, json_object_get(e, "workers"));
		csv_yuan(out, json_object_get(e, "claimed_fen"));
		csv_yuan(out, json_object_get(e, "recovered_fen"));
		csv_field(out, js(e, "first_received"), true, false);
		csv_field(out, js(e, "last_received"), true, false);
		case_ids(e, ids, sizeof(ids), " ", NULL);
		csv_field(out, ids, true, false);
		fputs(json_is_true(json_object_get(e, "case_ids_truncated"))
		        ? ",true\r\n"
		        : ",false\r\n",
		    out);
	}
	return (out_status(out));
}
