/* SPDX-License-Identifier: MIT */
/*
 * test_log.c - unit tests of server/log.c: every control character a
 * logged string holds (from a certificate name, a request) is written as
 * \xNN, so a log line cannot be ended early or forged (issue 13, part 11).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

static void
test_log_escape_controls(void **state)
{
	char out[256];

	(void) state;
	assert_int_equal(
	    log_escape("张伟 ok", out, sizeof(out)), strlen("张伟 ok"));
	assert_string_equal(out, "张伟 ok");
	log_escape("x\nREADY", out, sizeof(out));
	assert_string_equal(out, "x\\x0aREADY");
	log_escape("\x1b[2J\r\t\x7f\x1f", out, sizeof(out));
	assert_string_equal(out, "\\x1b[2J\\x0d\\x09\\x7f\\x1f");
	assert_null(strpbrk(out, "\n\r\x1b"));
}

static void
test_log_escape_truncates_whole(void **state)
{
	char out[8];

	(void) state;
	/* "ab" fits, then "\x0a" (4 bytes) would need 7 of the 8: fits. */
	assert_int_equal(log_escape("ab\ncd", out, sizeof(out)), 7);
	assert_string_equal(out, "ab\\x0ac");
	/* An escape that does not fit whole is left out, never cut. */
	assert_int_equal(log_escape("abcd\n", out, sizeof(out)), 4);
	assert_string_equal(out, "abcd");
	assert_int_equal(log_escape("abc", out, 1), 0);
	assert_string_equal(out, "");
	assert_int_equal(log_escape("abc", out, 0), 0);
}

/* The whole path: a message with an LF reaches stderr as one line. */
static void
test_log_line_cannot_be_forged(void **state)
{
	char  path[] = "/tmp/test_logXXXXXX";
	char  buf[512];
	int   fd, saved;
	FILE *f;

	(void) state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	log_init(1, 0);
	log_info("%s: login by %s", "auth_login", "x\nREADY tls+tcp://x:1");
	fflush(stderr);
	assert_int_equal(dup2(saved, 2), 2);
	close(saved);
	close(fd);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	assert_string_equal(
	    buf, "auth_login: login by x\\x0aREADY tls+tcp://x:1\n");
	assert_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_escape_controls),
		cmocka_unit_test(test_log_escape_truncates_whole),
		cmocka_unit_test(test_log_line_cannot_be_forged),
	};

	return (cmocka_run_group_tests_name("log", tests, NULL, NULL));
}
