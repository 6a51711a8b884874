/* SPDX-License-Identifier: MIT */
/*
 * support_store.c - a store in a scratch directory, and one-off writes
 * (support_store.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "support_store.h"
#include "support_tmp.h"

int
tsupport_store_open(const char *name, size_t mapsize, char *dir, size_t dirlen,
    struct store **sp)
{
	struct wage_error err;
	char              db[4200];

	*sp = NULL;
	if (tsupport_tmpdir(dir, dirlen, name) != 0) {
		perror(name);
		return (-1);
	}
	snprintf(db, sizeof(db), "%s/db", dir);
	if (store_open(sp, db, mapsize, 16, &err) != WAGE_OK) {
		fprintf(stderr, "%s: %s\n", db, err.message);
		tsupport_rmtree(dir);
		*sp = NULL;
		return (-1);
	}
	return (0);
}

void
tsupport_store_close(struct store *s, const char *dir)
{
	store_close(s);
	tsupport_rmtree(dir);
}

void
tsupport_write(struct store *s, store_apply_fn fn, uint64_t a, uint64_t b,
    const char *str)
{
	struct tsupport_job t;

	memset(&t, 0, sizeof(t));
	t.a   = a;
	t.b   = b;
	t.str = str;
	assert_int_equal(store_write_now(s, fn, &t.job), WAGE_OK);
}
