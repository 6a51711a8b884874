/* SPDX-License-Identifier: MIT */
/*
 * test_splice.c - placeholders in JSON text encoded ahead (splice.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "splice.h"

static void
test_splice_placeholders_are_18_digits_and_new(void **state)
{
	unsigned long long a, b;
	char               buf[32];
	int                i;

	(void) state;
	a = splice_placeholder();
	for (i = 0; i < 1000; i++) {
		b = splice_placeholder();
		assert_true(b != a);
		snprintf(buf, sizeof(buf), "%llu", b);
		assert_int_equal(strlen(buf), 18);
		a = b;
	}
}

static void
test_splice_find_needs_exactly_one(void **state)
{
	(void) state;
	assert_int_equal(splice_find("{\"seq\":42}", "\"seq\":42"), 1);
	assert_int_equal(splice_find("{\"a\":42,\"b\":42}", "42"), -1);
	assert_int_equal(splice_find("{\"a\":1}", "42"), -1);
	assert_int_equal(splice_find(NULL, "42"), -1);
}

static void
test_splice_at_replaces_the_mark(void **state)
{
	const char *text = "{\"id\":\"WA0000-7\",\"x\":1}";
	size_t      n;
	char       *out;

	(void) state;
	out = splice_at(text, splice_find(text, "\"WA0000-7\""),
	    "\"WA0000-7\"", "\"WA2026-000001\"", &n);
	assert_non_null(out);
	assert_string_equal(out, "{\"id\":\"WA2026-000001\",\"x\":1}");
	assert_int_equal(n, strlen(out));
	free(out);
	/* Shorter value, mark at the very end. */
	out = splice_at("[1,2,XYZ", 5, "XYZ", "3]", &n);
	assert_string_equal(out, "[1,2,3]");
	free(out);
	assert_null(splice_at(text, -1, "x", "y", &n));
	assert_null(splice_at("ab", 1, "bcd", "y", &n)); /* past the end */
}

/* Splicing a member's own encoding back gives json_dumps' bytes. */
static void
test_splice_encode_member_equals_dumps(void **state)
{
	json_t *o = json_pack("{s:s, s:[{s:i, s:s}, {s:i}], s:i}", "id",
	    "WA2026-000001", "steps", "seq", 1, "by", "王芳", "seq", 2, "rev",
	    3);
	char   *steps, *want, *got;

	(void) state;
	steps = json_dumps(json_object_get(o, "steps"), JSON_COMPACT);
	want  = json_dumps(o, JSON_COMPACT);
	got   = splice_encode_member(o, "steps", steps);
	assert_non_null(got);
	assert_string_equal(got, want);
	/* The object is left as it was. */
	assert_true(json_is_array(json_object_get(o, "steps")));
	assert_int_equal(json_array_size(json_object_get(o, "steps")), 2);
	free(got);
	/* Without the member, the object as it is. */
	got = splice_encode_member(o, "nothing", "[]");
	assert_string_equal(got, want);
	free(got);
	free(steps);
	free(want);
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_splice_placeholders_are_18_digits_and_new),
		cmocka_unit_test(test_splice_find_needs_exactly_one),
		cmocka_unit_test(test_splice_at_replaces_the_mark),
		cmocka_unit_test(test_splice_encode_member_equals_dumps),
	};

	return (cmocka_run_group_tests_name("splice", tests, NULL, NULL));
}
