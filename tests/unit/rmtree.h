/* SPDX-License-Identifier: MIT */
/*
 * rmtree.h - rm_entry, the nftw callback with which the unit-test fixtures
 * (auditfix.h, opsfix.h) remove their mkdtemp directories:
 * nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS). Static: include it from
 * the fixture headers, whose users all remove a directory.
 */
#ifndef WAGE_RMTREE_H
#define WAGE_RMTREE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* nftw */
#endif

#include <sys/stat.h>

#include <ftw.h>
#include <stdio.h>

static int
rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void) sb;
	(void) type;
	(void) ftw;
	return (remove(path));
}

#endif /* WAGE_RMTREE_H */
