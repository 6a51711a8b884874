/* SPDX-License-Identifier: MIT */
/*
 * support_file.c - files for the unit tests (support_file.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support_file.h"

const char *
tsupport_srcpath(const char *rel)
{
	/* Four buffers: a test may hold a few paths at once (a copy from one
	 * place to another). */
	static char buf[4][4096];
	static int  next;
	const char *dir = getenv("WAGE_SRCDIR");
	char       *b   = buf[next++ % 4];

	if (dir == NULL || dir[0] == '\0') {
		dir = ".";
	}
	snprintf(b, sizeof(buf[0]), "%s/%s", dir, rel);
	return (b);
}

char *
tsupport_slurp(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long  n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t) n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t) n, f), (size_t) n);
	buf[n] = '\0';
	fclose(f);
	if (lenp != NULL) {
		*lenp = (size_t) n;
	}
	return (buf);
}

void
tsupport_spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

int
tsupport_count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++) {
		n += *s == '\n';
	}
	return (n);
}

bool
tsupport_has_line(
    const char *diag, const char *name, int line, const char *what)
{
	char        prefix[4200];
	const char *s = diag, *eol, *hit;

	snprintf(prefix, sizeof(prefix), "%s:%d: ", name, line);
	while (*s != '\0') {
		eol = strchr(s, '\n');
		if (eol == NULL) {
			eol = s + strlen(s);
		}
		if (strncmp(s, prefix, strlen(prefix)) == 0) {
			hit = strstr(s + strlen(prefix), what);
			if (hit != NULL && hit < eol) {
				return (true);
			}
		}
		s = *eol == '\n' ? eol + 1 : eol;
	}
	return (false);
}
