/* SPDX-License-Identifier: MIT */
/*
 * reportfmt.h - rendering the results of report.campaign and
 * report.employers (server/report.h) as an aligned text table, CSV for a
 * spreadsheet, or a self-contained SVG chart; and the display-width and
 * text-grid helpers they rest on, for any table with Chinese text.
 *
 * Pure formatting: the report JSON is borrowed and never changed, nothing
 * is computed that is not in it (so the chart, the table and the CSV show
 * the same numbers), output goes only to the FILE given. Thread-safe.
 * Return codes: WAGE_OK; WAGE_E_INVALID_ARGUMENT when the JSON is not
 * such a report; WAGE_E_INTERNAL when writing failed (ferror) or memory
 * ran out.
 */
#ifndef WAGE_REPORTFMT_H
#define WAGE_REPORTFMT_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "wage/protocol.h"

/* ---- display width ------------------------------------------------- */

/*
 * reportfmt_utf8_next decodes one code point at s (NUL-terminated) into
 * *cp and returns its length in bytes (1 for a byte that is not valid
 * UTF-8, decoded as '?').
 */
size_t reportfmt_utf8_next(const char *s, unsigned long *cp);

/* reportfmt_cp_width: terminal columns of cp: 0, 1, or 2 (CJK, wide). */
int reportfmt_cp_width(unsigned long cp);

/* reportfmt_width: terminal columns of the UTF-8 string s. */
int reportfmt_width(const char *s);

/*
 * reportfmt_fen writes an amount in fen as yuan with two decimals
 * ("1234.56", "-0.05") into buf (at least 32 bytes).
 */
void reportfmt_fen(long long fen, char *buf, size_t len);

/*
 * reportfmt_parse_yuan reads an amount typed in yuan ("5000", "5000.5",
 * "5000.50"; no sign, at most two decimals, at most WAGE_MAX_AMOUNT_FEN)
 * into *fen without floating point. Returns WAGE_OK or
 * WAGE_E_INVALID_ARGUMENT (*fen untouched).
 */
int reportfmt_parse_yuan(const char *s, long long *fen);

/* ---- text grid ----------------------------------------------------- */

#define REPORTFMT_GRID_MAX_COLS 16
#define REPORTFMT_CELL_MAX      40 /* columns a cell shows before "…" */

/*
 * A grid of text cells printed with columns aligned by display width.
 * Row 0 is the header. Control characters print as spaces; a cell wider
 * than max_cell columns is cut with "…". Columns whose bit is set in
 * right are right-aligned (numbers). Embed it, reportfmt_grid_init it,
 * add rows, print, reportfmt_grid_fini it.
 */
struct reportfmt_grid {
	int      ncols;
	unsigned right;    /* bit c: right-align column c */
	int      max_cell; /* REPORTFMT_CELL_MAX unless changed */
	char   **cells;    /* nrows * ncols, owned; a rule row is all NULL */
	size_t   nrows;
	int      failed; /* a row could not be added (out of memory) */
};

/* reportfmt_grid_init: ncols 1..REPORTFMT_GRID_MAX_COLS. */
void reportfmt_grid_init(struct reportfmt_grid *g, int ncols, unsigned right);

/* reportfmt_grid_row adds a row of ncols const char * (NULL = ""). */
int reportfmt_grid_row(struct reportfmt_grid *g, ...);

/* reportfmt_grid_rowv adds a row from an array of ncols strings. */
int reportfmt_grid_rowv(struct reportfmt_grid *g, const char *const *cells);

/* reportfmt_grid_rule adds a line of '-' across every column. */
int reportfmt_grid_rule(struct reportfmt_grid *g);

/* reportfmt_grid_print writes the grid to out; the grid is kept. */
int reportfmt_grid_print(const struct reportfmt_grid *g, FILE *out);

/* reportfmt_grid_fini frees the cells; the grid may be initialised again. */
void reportfmt_grid_fini(struct reportfmt_grid *g);

/* ---- reports ------------------------------------------------------- */

/* CSV flags. */
#define REPORTFMT_CSV_BOM 0x1 /* start with U+FEFF so Excel reads UTF-8 */

/*
 * reportfmt_table writes a campaign report as readable tables: cases and
 * outcomes, where the cases are now, workers and money (yuan), days to
 * close, closed cases by kind, then the notes. An employers report is
 * handed to reportfmt_employers_table.
 */
int reportfmt_table(const json_t *report, FILE *out);

/*
 * reportfmt_csv writes a campaign report as RFC 4180 CSV (CRLF line ends,
 * fields with a comma, quote or line break quoted, quotes doubled): one
 * header row of stable column names, one row per group, then the total
 * (region_code "total"). Money as yuan with two decimals; null as an
 * empty field. Text that a spreadsheet would take for a formula (starting
 * with = + - @) is prefixed with '. An employers report is handed to
 * reportfmt_employers_csv.
 */
int reportfmt_csv(const json_t *report, FILE *out, unsigned flags);

/*
 * reportfmt_svg writes a campaign report as one self-contained SVG image
 * (no external references): a stacked bar per group of the cases now in
 * intake, mediation, arbitration and closed, with the counts, and a
 * histogram of the days to close of the total; CJK fonts named.
 */
int reportfmt_svg(const json_t *report, FILE *out);

/* reportfmt_employers_table: the respondents list as a table. */
int reportfmt_employers_table(const json_t *report, FILE *out);

/* reportfmt_employers_csv: the respondents list as CSV (flags above). */
int reportfmt_employers_csv(const json_t *report, FILE *out, unsigned flags);

#endif /* WAGE_REPORTFMT_H */
