/* SPDX-License-Identifier: MIT */
/*
 * table.h - readable terminal output for wagectl: tables aligned by display
 * width (a Chinese character takes two columns), key/value lines, money in
 * yuan from fen. Writes to stdout.
 */
#ifndef WAGE_TABLE_H
#define WAGE_TABLE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define TABLE_MAX_COLS 10
#define CELL_MAX       40

struct table {
	int    ncols;
	char **cells; /* rows * ncols, row 0 the header */
	size_t nrows;
};

/* table_cp_width: columns a code point takes (0, 1 or 2). */
int table_cp_width(unsigned long cp);
/* table_utf8_next decodes one code point at s; returns its byte length. */
size_t table_utf8_next(const char *s, unsigned long *cp);
/* table_width: display columns of a UTF-8 string. */
int table_width(const char *s);
/* table_cell prints s cut to max columns, padded to width unless last. */
void table_cell(const char *s, int width, int max, int last);
/* table_row adds a row of t->ncols strings (copied); row 0 is the header. */
void table_row(struct table *t, ...);
/* table_print prints the rows aligned and empties t. */
void table_print(struct table *t);
/* table_js: string member k of o, or "". */
const char *table_js(const json_t *o, const char *k);
/* table_fen: fen as yuan with two decimals ("18600.00"). */
void table_fen(json_int_t fen, char *buf, size_t len);
/* table_int: an integer member as text. */
void table_int(const json_t *v, char *buf, size_t len);
/* table_kv prints "key    value" with the keys in one column. */
void table_kv(const char *k, const char *v);
/* table_json prints v indented with sorted keys; -1 on a write error. */
int table_json(const json_t *v);

#endif /* WAGE_TABLE_H */
