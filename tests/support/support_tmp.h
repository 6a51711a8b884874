/* SPDX-License-Identifier: MIT */
/*
 * support_tmp.h - scratch directories for the unit tests: one made with
 * mkdtemp under /tmp, and its removal with everything in it. Part of
 * libwage-testsupport.a (tests/support/), which every unit test links.
 * Must not: touch anything outside the directory it was given.
 */
#ifndef WAGE_SUPPORT_TMP_H
#define WAGE_SUPPORT_TMP_H

#include <stddef.h>

/*
 * tsupport_tmpdir makes a fresh directory /tmp/NAME.XXXXXX (mode 0700,
 * by mkdtemp) and writes its path into buf of len bytes. Returns 0, or -1
 * with errno set (ENAMETOOLONG when the path does not fit) and nothing
 * made. The caller removes it, with tsupport_rmtree.
 */
int tsupport_tmpdir(char *buf, size_t len, const char *name);

/*
 * tsupport_rmtree removes dir and everything below it (rm -rf, without
 * following links). Returns 0, or -1 at the first entry that could not
 * be removed (the walk stops there). A missing dir is an error.
 */
int tsupport_rmtree(const char *dir);

#endif /* WAGE_SUPPORT_TMP_H */
