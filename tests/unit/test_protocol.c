/* SPDX-License-Identifier: MIT */
/*
 * test_protocol.c - unit tests of common/protocol.c: every row of the
 * error table (wire name, message, wagectl exit code), the name round
 * trip, out-of-range codes, and wage_err_set's stripping and truncation.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "wage/protocol.h"

static int
expected_exit(int code)
{
	switch (code) {
	case WAGE_OK:
		return (WAGE_EXIT_OK);
	case WAGE_E_CONNECTION:
	case WAGE_E_TLS:
	case WAGE_E_TIMEOUT:
		return (WAGE_EXIT_CONNECTION);
	case WAGE_E_USAGE:
		return (WAGE_EXIT_USAGE);
	case WAGE_E_INTERNAL:
		return (WAGE_EXIT_INTERNAL);
	default:
		return (WAGE_EXIT_REFUSED);
	}
}

static void
test_protocol_every_code_has_distinct_name(void **state)
{
	int         i, j;
	const char *n;

	(void) state;
	for (i = 0; i < WAGE_E__COUNT; i++) {
		n = wage_err_name(i);
		assert_non_null(n);
		assert_true(strlen(n) > 0);
		/* Wire names are upper-case identifiers. */
		assert_int_equal(
		    strspn(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"), strlen(n));
		for (j = 0; j < i; j++) {
			assert_string_not_equal(n, wage_err_name(j));
		}
	}
	/* Spot checks that the rows line up with the enum. */
	assert_string_equal(wage_err_name(WAGE_OK), "OK");
	assert_string_equal(wage_err_name(WAGE_E_BAD_REQUEST), "BAD_REQUEST");
	assert_string_equal(
	    wage_err_name(WAGE_E_ILLEGAL_TRANSITION), "ILLEGAL_TRANSITION");
	assert_string_equal(
	    wage_err_name(WAGE_E_STORAGE_FULL), "STORAGE_FULL");
	assert_string_equal(wage_err_name(WAGE_E_USAGE), "USAGE");
}

static void
test_protocol_every_code_has_message(void **state)
{
	int i;

	(void) state;
	for (i = 0; i < WAGE_E__COUNT; i++) {
		assert_non_null(wage_err_message(i));
		assert_true(strlen(wage_err_message(i)) > 0);
		/* A message must go into JSON as is: valid UTF-8. */
		json_t *s = json_string(wage_err_message(i));
		assert_non_null(s);
		json_decref(s);
	}
}

static void
test_protocol_exit_codes(void **state)
{
	int i;

	(void) state;
	for (i = 0; i < WAGE_E__COUNT; i++) {
		if (wage_err_exit(i) != expected_exit(i)) {
			fail_msg("%s: exit %d, want %d", wage_err_name(i),
			    wage_err_exit(i), expected_exit(i));
		}
	}
	assert_int_equal(wage_err_exit(WAGE_E_FORBIDDEN), 1);
	assert_int_equal(wage_err_exit(WAGE_E_TIMEOUT), 3);
	assert_int_equal(wage_err_exit(WAGE_E_USAGE), 2);
	assert_int_equal(wage_err_exit(WAGE_E_INTERNAL), 4);
}

static void
test_protocol_from_name_round_trips(void **state)
{
	int i;

	(void) state;
	for (i = 0; i < WAGE_E__COUNT; i++) {
		assert_int_equal(wage_err_from_name(wage_err_name(i)), i);
	}
	assert_int_equal(wage_err_from_name(NULL), WAGE_E_INTERNAL);
	assert_int_equal(wage_err_from_name(""), WAGE_E_INTERNAL);
	assert_int_equal(wage_err_from_name("NO_SUCH_CODE"), WAGE_E_INTERNAL);
	assert_int_equal(wage_err_from_name("forbidden"), WAGE_E_INTERNAL);
	assert_int_equal(wage_err_from_name("FORBIDDEN "), WAGE_E_INTERNAL);
}

static void
test_protocol_out_of_range_is_internal(void **state)
{
	const int bad[] = { -1, WAGE_E__COUNT, WAGE_E__COUNT + 1, 1000,
		INT_MAX, INT_MIN };
	size_t    i;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_string_equal(wage_err_name(bad[i]), "INTERNAL");
		assert_string_equal(wage_err_message(bad[i]),
		    wage_err_message(WAGE_E_INTERNAL));
		assert_int_equal(wage_err_exit(bad[i]), WAGE_EXIT_INTERNAL);
	}
}

static void
test_protocol_err_set_fills_and_returns_code(void **state)
{
	struct wage_error err;

	(void) state;
	memset(&err, 'z', sizeof(err));
	assert_int_equal(wage_err_set(&err, WAGE_E_NOT_FOUND, "id",
	                     "no case %s", "WA2026-000001"),
	    WAGE_E_NOT_FOUND);
	assert_int_equal(err.code, WAGE_E_NOT_FOUND);
	assert_string_equal(err.field, "id");
	assert_string_equal(err.message, "no case WA2026-000001");

	/* NULL field and NULL format: empty field, the default message. */
	assert_int_equal(
	    wage_err_set(&err, WAGE_E_BUSY, NULL, NULL), WAGE_E_BUSY);
	assert_string_equal(err.field, "");
	assert_string_equal(err.message, wage_err_message(WAGE_E_BUSY));

	/* NULL err: only the code comes back. */
	assert_int_equal(
	    wage_err_set(NULL, WAGE_E_TOO_LARGE, "x", "y"), WAGE_E_TOO_LARGE);

	wage_err_clear(&err);
	assert_int_equal(err.code, WAGE_OK);
	assert_string_equal(err.field, "");
	assert_string_equal(err.message, "");
	wage_err_clear(NULL);
}

static void
test_protocol_err_set_strips_controls(void **state)
{
	struct wage_error err;
	size_t            i;

	(void) state;
	wage_err_set(&err, WAGE_E_INVALID_ARGUMENT, "a\nb\x1b[31m",
	    "line1\nline2\r\t%s\x7f end", "\x1b]0;title\x07");
	assert_string_equal(err.field, "a?b?[31m");
	assert_string_equal(err.message, "line1?line2??\?]0;title?? end");
	for (i = 0; err.message[i] != '\0'; i++) {
		assert_true((unsigned char) err.message[i] >= 0x20);
		assert_true(err.message[i] != 0x7f);
	}
	/* UTF-8 text is not a control character. */
	wage_err_set(&err, WAGE_E_INVALID_ARGUMENT, "facts", "%s", "张三欠薪");
	assert_string_equal(err.message, "张三欠薪");
}

static void
test_protocol_err_set_truncates_safely(void **state)
{
	struct wage_error err;
	char              longer[1000];

	(void) state;
	memset(longer, 'm', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	/* Canaries around the struct members prove nothing is overrun. */
	memset(&err, 0x55, sizeof(err));
	wage_err_set(&err, WAGE_E_INVALID_ARGUMENT, longer, "%s", longer);
	assert_int_equal(strlen(err.field), sizeof(err.field) - 1);
	assert_int_equal(strlen(err.message), sizeof(err.message) - 1);
	/* A message that is cut says so: it ends with "...". */
	assert_memory_equal(err.message, longer, sizeof(err.message) - 4);
	assert_string_equal(err.message + sizeof(err.message) - 4, "...");
	/* One that fits is kept whole, with no "...". */
	longer[sizeof(err.message) - 1] = '\0';
	wage_err_set(&err, WAGE_E_INVALID_ARGUMENT, "f", "%s", longer);
	assert_string_equal(err.message, longer);
}

static void
test_protocol_err_set_truncates_on_utf8_boundary(void **state)
{
	struct wage_error err;
	char              longer[1000];
	json_t           *s;
	size_t            i;

	(void) state;
	/*
	 * A multi-byte character across the limit must not be cut in half:
	 * a message that is not valid UTF-8 cannot be put in a JSON reply.
	 */
	for (i = 0; i + 3 < sizeof(longer); i += 3) {
		memcpy(longer + i, "张", 3);
	}
	longer[i] = '\0';
	wage_err_set(&err, WAGE_E_INVALID_ARGUMENT, longer, "x%s", longer);
	assert_true(strlen(err.message) < sizeof(err.message));
	/* Cut before the whole character, then "...". */
	assert_true(strlen(err.message) > sizeof(err.message) - 7);
	assert_string_equal(err.message + strlen(err.message) - 3, "...");
	assert_true(strlen(err.field) < sizeof(err.field));
	s = json_string(err.message);
	if (s == NULL) {
		fail_msg("truncated message is not valid UTF-8 (%zu bytes)",
		    strlen(err.message));
	}
	json_decref(s);
	s = json_string(err.field);
	if (s == NULL) {
		fail_msg("truncated field is not valid UTF-8 (%zu bytes)",
		    strlen(err.field));
	}
	json_decref(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocol_every_code_has_distinct_name),
		cmocka_unit_test(test_protocol_every_code_has_message),
		cmocka_unit_test(test_protocol_exit_codes),
		cmocka_unit_test(test_protocol_from_name_round_trips),
		cmocka_unit_test(test_protocol_out_of_range_is_internal),
		cmocka_unit_test(test_protocol_err_set_fills_and_returns_code),
		cmocka_unit_test(test_protocol_err_set_strips_controls),
		cmocka_unit_test(test_protocol_err_set_truncates_safely),
		cmocka_unit_test(
		    test_protocol_err_set_truncates_on_utf8_boundary),
	};

	return (cmocka_run_group_tests_name("protocol", tests, NULL, NULL));
}
