/* SPDX-License-Identifier: MIT */
/*
 * support_store.h - a store (server/store.c, real LMDB) in a scratch
 * directory of its own, and one-off writes done by a test's apply
 * function. Part of libwage-testsupport.a.
 * Threads: as store.h; tsupport_write runs on the calling thread and must
 * not be used while the store's writer thread runs.
 */
#ifndef WAGE_SUPPORT_STORE_H
#define WAGE_SUPPORT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/*
 * tsupport_store_open makes a directory /tmp/NAME.XXXXXX (its path into
 * dir, of dirlen bytes) and opens a store in dir/db with a map of mapsize
 * bytes and 16 readers, into *sp. Returns 0; or -1 with the directory
 * removed and *sp NULL (the cause on stderr). Close with
 * tsupport_store_close.
 */
int tsupport_store_open(const char *name, size_t mapsize, char *dir,
    size_t dirlen, struct store **sp);

/*
 * tsupport_store_close closes s (NULL is allowed: a test that closed it
 * itself) and removes dir with everything in it.
 */
void tsupport_store_close(struct store *s, const char *dir);

/*
 * A write done in one txn by a test's apply function, with what it is to
 * do: apply functions cast the job they are given back to this.
 */
struct tsupport_job {
	struct store_job job;
	void            *arg; /* the test's, e.g. its fixture */
	uint64_t         a, b;
	const char      *str;
};

/*
 * tsupport_write runs fn in one durable write txn (store_write_now) on a
 * tsupport_job holding a, b and str, and fails the test unless fn and the
 * commit succeed.
 */
void tsupport_write(struct store *s, store_apply_fn fn, uint64_t a, uint64_t b,
    const char *str);

#endif /* WAGE_SUPPORT_STORE_H */
