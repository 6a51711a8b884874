/* SPDX-License-Identifier: MIT */
/*
 * table.c - terminal tables aligned by display width, and small formatting
 * helpers for wagectl. Owns: how things look on a terminal. Must not:
 * talk to the server.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reportfmt.h"
#include "table.h"

/* ---- display width ------------------------------------------------- */

int
table_cp_width(unsigned long cp)
{
	return (reportfmt_cp_width(cp));
}

size_t
table_utf8_next(const char *s, unsigned long *cp)
{
	return (reportfmt_utf8_next(s, cp));
}

int
table_width(const char *s)
{
	return (reportfmt_width(s));
}

void
table_cell(const char *s, int width, int max, int last)
{
	unsigned long cp;
	size_t        n;
	int           w = 0, cw;

	while (*s != '\0') {
		n  = table_utf8_next(s, &cp);
		cw = table_cp_width(cp);
		if (cp == '\n' || cp == '\t' || cp < 0x20) {
			cp = ' ';
			cw = 1;
			putchar(' ');
			s += n;
			w += cw;
			continue;
		}
		if (w + cw > max) {
			fputs("…", stdout);
			w++;
			break;
		}
		fwrite(s, 1, n, stdout);
		s += n;
		w += cw;
	}
	if (!last) {
		for (; w < width; w++) {
			putchar(' ');
		}
		fputs("  ", stdout);
	}
}

void
table_row(struct table *t, ...)
{
	va_list     ap;
	const char *s;
	int         i;
	char      **nc;

	nc = realloc(
	    t->cells, (t->nrows + 1) * (size_t) t->ncols * sizeof(char *));
	if (nc == NULL) {
		return;
	}
	t->cells = nc;
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		s = va_arg(ap, const char *);
		t->cells[t->nrows * (size_t) t->ncols + (size_t) i] =
		    strdup(s != NULL ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

void
table_print(struct table *t)
{
	int    widths[TABLE_MAX_COLS] = { 0 };
	size_t r;
	int    c, w;

	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			w = table_width(
			    t->cells[r * (size_t) t->ncols + (size_t) c]);
			if (w > CELL_MAX) {
				w = CELL_MAX + 1;
			}
			if (w > widths[c]) {
				widths[c] = w;
			}
		}
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			table_cell(
			    t->cells[r * (size_t) t->ncols + (size_t) c],
			    widths[c], CELL_MAX, c == t->ncols - 1);
		}
		putchar('\n');
	}
	for (r = 0; r < t->nrows * (size_t) t->ncols; r++) {
		free(t->cells[r]);
	}
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
}

/* ---- formatting helpers -------------------------------------------- */

const char *
table_js(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL ? s : "");
}

void
table_fen(json_int_t fen, char *buf, size_t len)
{
	reportfmt_fen((long long) fen, buf, len);
}

void
table_int(const json_t *v, char *buf, size_t len)
{
	snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
}

void
table_kv(const char *k, const char *v)
{
	int w = table_width(k);

	fputs(k, stdout);
	for (; w < 16; w++) {
		putchar(' ');
	}
	printf("%s\n", v);
}

int
table_json(const json_t *v)
{
	if (json_dumpf(v, stdout, JSON_INDENT(2) | JSON_SORT_KEYS) != 0) {
		return (-1);
	}
	putchar('\n');
	return (0);
}
