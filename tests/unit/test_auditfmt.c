/* SPDX-License-Identifier: MIT */
/*
 * test_auditfmt.c - unit tests of common/auditfmt.c: the canonical form
 * and hashes of the audit export format, pinned to values worked out apart
 * from jansson (Python's json with sorted keys, compact separators and
 * UTF-8 unescaped, then SHA-256). A change to the canonical form breaks
 * every chain and export already written: these fail first.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "auditfmt.h"
#include "wage/protocol.h"

#define TIME "2026-11-29T08:40:00.123+08:00"

static json_t *
sample_event(void)
{
	return (json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I}", "seq",
	    (json_int_t) 1, "time", TIME, "actor", "张三", "case",
	    "WA2026-000001", "prev", AUDITFMT_GENESIS, "to", "intake",
	    "revision", (json_int_t) 1));
}

static void
test_auditfmt_event_hash_known_answer(void **state)
{
	json_t *ev = sample_event();
	char    hex[65];

	(void) state;
	assert_int_equal(auditfmt_event_hash(ev, hex), WAGE_OK);
	assert_string_equal(hex,
	    "74501a77e46391dae56027abf516418387cd78691d300555c0fb2f187e7fec7"
	    "8");
	json_decref(ev);
}

static void
test_auditfmt_event_hash_ignores_hash_and_type(void **state)
{
	json_t *ev = sample_event();
	char    a[65], b[65];

	(void) state;
	assert_int_equal(auditfmt_event_hash(ev, a), WAGE_OK);
	json_object_set_new(ev, "hash", json_string("anything"));
	json_object_set_new(ev, "type", json_string("event"));
	assert_int_equal(auditfmt_event_hash(ev, b), WAGE_OK);
	assert_string_equal(a, b);
	/* ev itself is not changed. */
	assert_non_null(json_object_get(ev, "hash"));
	assert_non_null(json_object_get(ev, "type"));
	/* Any other member is content. */
	json_object_set_new(ev, "to", json_string("mediation"));
	assert_int_equal(auditfmt_event_hash(ev, b), WAGE_OK);
	assert_string_not_equal(a, b);
	json_decref(ev);
}

static void
test_auditfmt_canonical_hash_any_value(void **state)
{
	json_t *v;
	char    hex[65];

	(void) state;
	v = json_string("abc");
	assert_int_equal(auditfmt_canonical_hash(v, hex), WAGE_OK);
	assert_string_equal(hex,
	    "6cc43f858fbb763301637b5af970e2a46b46f461f27e5a0f41e009c59b827b2"
	    "5");
	json_decref(v);
	v = json_pack("[i,s,n]", 1, "a");
	assert_int_equal(auditfmt_canonical_hash(v, hex), WAGE_OK);
	assert_string_equal(hex,
	    "6f9c54658fdbc2f155e7105e0ad633c8c03e83b677a6b8a5dfb7541264b8362"
	    "2");
	json_decref(v);
}

static void
test_auditfmt_checkpoint_digest_known_answer(void **state)
{
	static const unsigned char want[32] = { 0xa8, 0x2e, 0x66, 0x29, 0x12,
		0xa8, 0x20, 0x73, 0x97, 0x65, 0xca, 0xd0, 0xf5, 0x5c, 0x4b,
		0x33, 0x39, 0x41, 0x2d, 0x1b, 0xb0, 0x32, 0x82, 0xfc, 0xc4,
		0x14, 0x62, 0x3e, 0xd7, 0x7c, 0x36, 0xf3 };
	unsigned char              out[32];
	char                       head[65];

	(void) state;
	memset(head, 0, sizeof(head));
	memset(head, 'a', 64);
	for (size_t i = 1; i < 64; i += 2) {
		head[i] = 'b';
	}
	assert_int_equal(
	    auditfmt_checkpoint_digest(5, head, TIME, out), WAGE_OK);
	assert_memory_equal(out, want, sizeof(want));
	/* Each signed member counts. */
	assert_int_equal(
	    auditfmt_checkpoint_digest(6, head, TIME, out), WAGE_OK);
	assert_memory_not_equal(out, want, sizeof(want));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auditfmt_event_hash_known_answer),
		cmocka_unit_test(
		    test_auditfmt_event_hash_ignores_hash_and_type),
		cmocka_unit_test(test_auditfmt_canonical_hash_any_value),
		cmocka_unit_test(test_auditfmt_checkpoint_digest_known_answer),
	};

	return (cmocka_run_group_tests_name("auditfmt", tests, NULL, NULL));
}
