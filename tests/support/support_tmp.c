/* SPDX-License-Identifier: MIT */
/*
 * support_tmp.c - scratch directories of the unit tests (support_tmp.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp, nftw */
#endif

#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

#include "support_tmp.h"

int
tsupport_tmpdir(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "/tmp/%s.XXXXXX", name);

	if (n < 0 || (size_t) n >= len) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (mkdtemp(buf) == NULL ? -1 : 0);
}

static int
rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void) sb;
	(void) type;
	(void) ftw;
	return (remove(path));
}

int
tsupport_rmtree(const char *dir)
{
	/* Depth first, so a directory is empty when its turn comes; FTW_PHYS
	 * removes a link, never what it points at. */
	return (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1);
}
