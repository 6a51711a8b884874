/* SPDX-License-Identifier: MIT */
/*
 * fileio.h - reading a whole file into memory, with a size cap: what the
 * server reads at start (TLS files, the signing certificate, the policy,
 * calendars, minimum-wage tables) and what the client reads (the CA,
 * certificate and key, the session token, the files of a CA directory).
 *
 * Blocking file I/O: call it at start or from a command, never from an nng
 * callback. Thread-safe; no logging.
 */
#ifndef WAGE_FILEIO_H
#define WAGE_FILEIO_H

#include <stddef.h>

#include "wage/protocol.h"

#define FILEIO_MAX_BYTES (16 * 1024 * 1024) /* fileio_load's cap */

/* fileio_read flags */
#define FILEIO_SECRET 0x1 /* a private key: owner only, mode 0600 or less */

/*
 * fileio_read reads path, a regular file of at most max bytes, into a new
 * buffer *bufp holding its *lenp bytes and a NUL after them (free it with
 * fileio_free, or free() when it holds nothing secret). With FILEIO_SECRET
 * the file must also belong to the effective user and be closed to group
 * and others; that is checked on the open file, not on the path.
 * Returns WAGE_OK, or with *bufp NULL, *lenp 0, errno set and err (may be
 * NULL) holding a message that does not name the file (callers add the
 * path or the setting it came from, as they report):
 *   WAGE_E_INVALID_ARGUMENT  cannot open (open(2)'s errno), not a regular
 *                            file (EINVAL), readable by others or owned by
 *                            another user (EACCES), grew while being read
 *                            (EAGAIN);
 *   WAGE_E_TOO_LARGE         more than max bytes (EFBIG);
 *   WAGE_E_INTERNAL          fstat or read failed (their errno), out of
 *                            memory (ENOMEM).
 * A buffer read in part is wiped before it is freed.
 */
int fileio_read(const char *path, size_t max, int flags, char **bufp,
    size_t *lenp, struct wage_error *err);

/*
 * fileio_load is fileio_read with a cap of FILEIO_MAX_BYTES and no flags,
 * for callers that report only errno: it returns the new buffer (*lenp
 * bytes and a NUL; lenp may be NULL), or NULL with errno set.
 */
char *fileio_load(const char *path, size_t *lenp);

/*
 * fileio_free wipes buf's len bytes and the NUL after them
 * (mbedtls_platform_zeroize, which the compiler may not drop), then frees
 * it. NULL is allowed.
 */
void fileio_free(char *buf, size_t len);

#endif /* WAGE_FILEIO_H */
