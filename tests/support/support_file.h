/* SPDX-License-Identifier: MIT */
/*
 * support_file.h - files for the unit tests: the path of a file of the
 * source tree (WAGE_SRCDIR), a whole file read into memory or written
 * out, and looking at diagnostics text. Part of libwage-testsupport.a.
 * The functions that read or write fail the running cmocka test (they
 * assert) instead of returning errors: call them from a test only.
 */
#ifndef WAGE_SUPPORT_FILE_H
#define WAGE_SUPPORT_FILE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * tsupport_srcpath returns rel under the source tree: $WAGE_SRCDIR/rel,
 * or ./rel when WAGE_SRCDIR is unset or empty. The string is static, one
 * of four used in turn: it stays valid until the fourth call after this
 * one. Not thread-safe.
 */
const char *tsupport_srcpath(const char *rel);

/*
 * tsupport_slurp returns the whole file at path as a new NUL-terminated
 * string (the caller frees it) and its length in *lenp (lenp may be
 * NULL). Fails the test if the file cannot be opened or read.
 */
char *tsupport_slurp(const char *path, size_t *lenp);

/*
 * tsupport_spit writes text (without its NUL) to path, created or
 * truncated. Fails the test if it cannot.
 */
void tsupport_spit(const char *path, const char *text);

/* tsupport_count_lines returns how many newlines s holds. */
int tsupport_count_lines(const char *s);

/*
 * tsupport_has_line tells whether diag (lines of text) holds a line that
 * starts "NAME:LINE: " and has what after that prefix: a loader's
 * "file:line: what is wrong" diagnostic.
 */
bool tsupport_has_line(
    const char *diag, const char *name, int line, const char *what);

#endif /* WAGE_SUPPORT_FILE_H */
