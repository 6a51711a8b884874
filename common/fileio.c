/* SPDX-License-Identifier: MIT */
/*
 * fileio.c - reading a whole file with a size cap (fileio.h), the one copy
 * the server and the client share.
 * Owns: open, fstat, the checks on the open file (regular, size, and for
 * secrets owner and mode), the read loop, wiping what was read on failure.
 * Must not: log, print, parse what it reads, follow a FIFO or device into
 * a blocking read, or accept a file that grew past what fstat said.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/platform_util.h>

#include "fileio.h"

/* size_text writes max as "1 MiB", "64 KiB" or "1000 bytes". */
static void
size_text(size_t max, char *buf, size_t len)
{
	if (max >= 1024 * 1024 && max % (1024 * 1024) == 0) {
		snprintf(buf, len, "%zu MiB", max / (1024 * 1024));
	} else if (max >= 1024 && max % 1024 == 0) {
		snprintf(buf, len, "%zu KiB", max / 1024);
	} else {
		snprintf(buf, len, "%zu bytes", max);
	}
}

int
fileio_read(const char *path, size_t max, int flags, char **bufp, size_t *lenp,
    struct wage_error *err)
{
	struct stat st;
	char       *buf = NULL, extra, cap[32];
	size_t      off = 0, size;
	ssize_t     n;
	int         fd, e = 0, rv = WAGE_OK;

	*bufp = NULL;
	*lenp = 0;
	/* O_NONBLOCK: a FIFO must not hang the open; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		e = errno;
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, NULL,
		    "cannot open: %s", strerror(e)));
	}
	if (fstat(fd, &st) != 0) {
		e  = errno;
		rv = wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "cannot stat: %s", strerror(e));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		e  = EINVAL;
		rv = wage_err_set(
		    err, WAGE_E_INVALID_ARGUMENT, NULL, "not a regular file");
		goto out;
	}
	if ((flags & FILEIO_SECRET) != 0 &&
	    (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		e  = EACCES;
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, NULL,
		    "a private key must not be accessible to group or others "
		    "(chmod 600)");
		goto out;
	}
	if ((flags & FILEIO_SECRET) != 0 && st.st_uid != geteuid()) {
		e  = EACCES;
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, NULL,
		    "a private key must belong to the user using it");
		goto out;
	}
	if (st.st_size < 0 || (unsigned long long) st.st_size > max) {
		e = EFBIG;
		size_text(max, cap, sizeof(cap));
		rv = wage_err_set(err, WAGE_E_TOO_LARGE, NULL,
		    "the file is larger than %s", cap);
		goto out;
	}
	size = (size_t) st.st_size;
	if ((buf = malloc(size + 1)) == NULL) {
		e  = ENOMEM;
		rv = wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory");
		goto out;
	}
	/* A file that shrank since fstat is read as it now is. */
	while (off < size) {
		if ((n = read(fd, buf + off, size - off)) < 0 &&
		    errno == EINTR) {
			continue;
		}
		if (n < 0) {
			e  = errno;
			rv = wage_err_set(err, WAGE_E_INTERNAL, NULL,
			    "cannot read: %s", strerror(e));
			goto out;
		}
		if (n == 0) {
			break;
		}
		off += (size_t) n;
	}
	/* One byte more: a file that grew would be read cut short. */
	while ((n = read(fd, &extra, 1)) < 0 && errno == EINTR) {
		continue;
	}
	if (n != 0) {
		e  = n < 0 ? errno : EAGAIN;
		rv = n < 0 ? wage_err_set(err, WAGE_E_INTERNAL, NULL,
		                 "cannot read: %s", strerror(e))
		           : wage_err_set(err, WAGE_E_INVALID_ARGUMENT, NULL,
		                 "the file changed while it was read: try "
		                 "again");
		goto out;
	}
	buf[off] = '\0';
	*bufp    = buf;
	*lenp    = off;
	buf      = NULL;
out:
	fileio_free(buf, off);
	close(fd);
	if (rv != WAGE_OK) {
		errno = e;
	}
	return (rv);
}

char *
fileio_load(const char *path, size_t *lenp)
{
	char  *buf;
	size_t len;

	if (fileio_read(path, FILEIO_MAX_BYTES, 0, &buf, &len, NULL) !=
	    WAGE_OK) {
		return (NULL);
	}
	if (lenp != NULL) {
		*lenp = len;
	}
	return (buf);
}

void
fileio_free(char *buf, size_t len)
{
	if (buf != NULL) {
		mbedtls_platform_zeroize(buf, len + 1);
		free(buf);
	}
}
