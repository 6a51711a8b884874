/* SPDX-License-Identifier: MIT */
/*
 * test_seal.c - unit tests of server/seal.c's key files (the data key and
 * the token key share them): made 0600 on request, reported missing
 * otherwise, read back the same, refused when others may read them or
 * when malformed, and replaced atomically by a new key.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "seal.h"

#include "support_tmp.h"

struct fx {
	char base[64];
	char path[96];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL) {
		return (-1);
	}
	if (tsupport_tmpdir(fx->base, sizeof(fx->base), "test_seal") != 0) {
		free(fx);
		return (-1);
	}
	snprintf(fx->path, sizeof(fx->path), "%s/k.key", fx->base);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	tsupport_rmtree(fx->base);
	free(fx);
	return (0);
}

static FILE *
null_diag(void)
{
	FILE *f = fopen("/dev/null", "w");

	assert_non_null(f);
	return (f);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void
test_seal_key_missing_without_create(void **state)
{
	struct fx    *fx = *state;
	unsigned char k[SEAL_KEY_LEN];
	struct stat   st;
	FILE         *d = null_diag();

	assert_int_equal(seal_key_load(fx->path, k, 0, d), SEAL_KEY_MISSING);
	assert_int_not_equal(stat(fx->path, &st), 0);
	fclose(d);
}

static void
test_seal_key_created_private_and_read_back(void **state)
{
	struct fx    *fx = *state;
	unsigned char k1[SEAL_KEY_LEN], k2[SEAL_KEY_LEN];
	struct stat   st;
	FILE         *d = null_diag();

	assert_int_equal(seal_key_load(fx->path, k1, 1, d), 0);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 2 * SEAL_KEY_LEN + 1);
	assert_int_equal(seal_key_load(fx->path, k2, 0, d), 0);
	assert_memory_equal(k1, k2, SEAL_KEY_LEN);
	/* create on an existing file reads it, never makes another. */
	assert_int_equal(seal_key_load(fx->path, k2, 1, d), 0);
	assert_memory_equal(k1, k2, SEAL_KEY_LEN);
	fclose(d);
}

static void
test_seal_key_refused_when_others_read(void **state)
{
	struct fx    *fx = *state;
	unsigned char k[SEAL_KEY_LEN];
	FILE         *d = null_diag();

	write_file(fx->path,
	    "00112233445566778899aabbccddeeff"
	    "00112233445566778899aabbccddeeff\n",
	    0640);
	assert_int_equal(seal_key_load(fx->path, k, 0, d), -1);
	assert_int_equal(seal_key_load(fx->path, k, 1, d), -1);
	assert_int_equal(chmod(fx->path, 0600), 0);
	assert_int_equal(seal_key_load(fx->path, k, 0, d), 0);
	assert_int_equal(k[1], 0x11);
	assert_int_equal(k[31], 0xff);
	fclose(d);
}

static void
test_seal_key_malformed(void **state)
{
	struct fx        *fx = *state;
	unsigned char     k[SEAL_KEY_LEN];
	FILE             *d     = null_diag();
	const char *const bad[] = {
		"",
		"0011",
		/* 63 characters */
		"00112233445566778899aabbccddeeff"
		"00112233445566778899aabbccddeef\n",
		/* a non-hex character */
		"00112233445566778899aabbccddeeff"
		"00112233445566778899aabbccddeeg0\n",
		/* 65 characters */
		"00112233445566778899aabbccddeeff"
		"00112233445566778899aabbccddeeff0",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(fx->path, bad[i], 0600);
		assert_int_equal(seal_key_load(fx->path, k, 0, d), -1);
	}
	fclose(d);
}

static void
test_seal_key_replace(void **state)
{
	struct fx    *fx = *state;
	unsigned char k1[SEAL_KEY_LEN], k2[SEAL_KEY_LEN], k3[SEAL_KEY_LEN];
	struct stat   st;
	FILE         *d = null_diag();

	/* Replacing a missing file makes it. */
	assert_int_equal(seal_key_replace(fx->path, k1, d), 0);
	assert_int_equal(seal_key_load(fx->path, k3, 0, d), 0);
	assert_memory_equal(k1, k3, SEAL_KEY_LEN);
	assert_int_equal(seal_key_replace(fx->path, k2, d), 0);
	assert_memory_not_equal(k1, k2, SEAL_KEY_LEN);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(seal_key_load(fx->path, k3, 0, d), 0);
	assert_memory_equal(k2, k3, SEAL_KEY_LEN);
	fclose(d);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_seal_key_missing_without_create),
		T(test_seal_key_created_private_and_read_back),
		T(test_seal_key_refused_when_others_read),
		T(test_seal_key_malformed),
		T(test_seal_key_replace),
	};

	return (cmocka_run_group_tests_name("seal", tests, NULL, NULL));
}
