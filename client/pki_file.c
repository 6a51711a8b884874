/* SPDX-License-Identifier: MIT */
/*
 * pki_file.c - the CA directory on disk (its layout is in pki.h).
 * Owns: reading files (private keys only when no one else can read them),
 * atomic writes (temporary file, fsync, rename or link, directory fsync),
 * the directory lock, loading and writing keys and certificates, the
 * serial file, revoked.txt and rewriting crl.pem.
 * Must not: leave a file half written, overwrite a key or certificate, or
 * decide when to lock: the operations in pki.c hold pki_file_lock around
 * every change to a CA directory.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* flock, timegm */
#endif

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/error.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/x509_crt.h>

#include "fileio.h"
#include "pki_int.h"

#define FILE_MAX    (16 << 20) /* largest CA file we read */
#define KEY_PEM_MAX 2048       /* an EC private key in PEM */

/* File helpers. */

void
pki_file_free(unsigned char *buf, size_t len)
{
	fileio_free((char *) buf, len);
}

/*
 * pki_file_read: the reading is common/fileio.c's; here every mistake in
 * the file (missing, not a regular file, too large, a key others may read)
 * becomes the caller's WAGE_E_INVALID_ARGUMENT against field, with the
 * path in the message.
 */
int
pki_file_read(const char *path, int secret, const char *field,
    unsigned char **bufp, size_t *lenp, struct wage_error *err)
{
	struct wage_error fe;
	char             *buf;
	int               rv;

	*bufp = NULL;
	rv    = fileio_read(
	       path, FILE_MAX, secret ? FILEIO_SECRET : 0, &buf, lenp, &fe);
	if (rv != WAGE_OK) {
		return (wage_err_set(err,
		    rv == WAGE_E_TOO_LARGE ? WAGE_E_INVALID_ARGUMENT : rv,
		    field, "%s: %s", path, fe.message));
	}
	*bufp = (unsigned char *) buf;
	return (WAGE_OK);
}

/* dir_sync makes a rename in path's directory durable. */
static int
dir_sync(const char *path, const char *field, struct wage_error *err)
{
	char        dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int         fd;
	int         rv = WAGE_OK;

	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
	} else if (slash == path) {
		snprintf(dir, sizeof(dir), "/");
	} else {
		snprintf(dir, sizeof(dir), "%.*s", (int) (slash - path), path);
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		return (pki_sys_fail(err, field, "open %s", dir));
	}
	if (fsync(fd) != 0) {
		rv = pki_sys_fail(err, field, "fsync %s", dir);
	}
	close(fd);
	return (rv);
}

/*
 * pki_file_write replaces path with data atomically: a temporary file in the
 * same directory (mkstemp: 0600 from the start, so a key is never readable
 * by others), fsync, then rename; or, with noclobber, link(2), which fails
 * with EEXIST instead of replacing an existing file.
 */
int
pki_file_write(const char *path, const void *data, size_t len, mode_t mode,
    int noclobber, const char *field, struct wage_error *err)
{
	char                 tmp[PATH_MAX];
	const unsigned char *p   = data;
	size_t               off = 0;
	int                  fd  = -1;
	int                  rv;

	if ((rv = pki_path_fmt(tmp, err, field, "%s.tmp.XXXXXX", path)) !=
	    WAGE_OK) {
		return (rv);
	}
	if ((fd = mkstemp(tmp)) < 0) {
		return (pki_sys_fail(err, field, "create %s", tmp));
	}
	if (fchmod(fd, mode) != 0) {
		rv = pki_sys_fail(err, field, "chmod %s", tmp);
		goto fail;
	}
	while (off < len) {
		ssize_t n = write(fd, p + off, len - off);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			rv = pki_sys_fail(err, field, "write %s", tmp);
			goto fail;
		}
		off += (size_t) n;
	}
	if (fsync(fd) != 0) {
		rv = pki_sys_fail(err, field, "fsync %s", tmp);
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		rv = pki_sys_fail(err, field, "close %s", tmp);
		goto fail;
	}
	fd = -1;
	if (noclobber) {
		if (link(tmp, path) != 0) {
			if (errno == EEXIST) {
				rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
				    field,
				    "%s already exists: it is never "
				    "overwritten",
				    path);
			} else {
				rv = pki_sys_fail(err, field, "link %s", path);
			}
			goto fail;
		}
		unlink(tmp);
	} else if (rename(tmp, path) != 0) {
		rv = pki_sys_fail(err, field, "rename %s", path);
		goto fail;
	}
	return (dir_sync(path, field, err));

fail:
	if (fd >= 0) {
		close(fd);
	}
	unlink(tmp);
	return (rv);
}

/* pki_file_absent refuses an existing file (a friendlier early check). */
int
pki_file_absent(const char *path, const char *field, struct wage_error *err)
{
	struct stat st;

	if (lstat(path, &st) == 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "%s already exists: it is never overwritten", path));
	}
	if (errno != ENOENT) {
		return (pki_sys_fail(err, field, "stat %s", path));
	}
	return (WAGE_OK);
}

/* pki_file_out_dir refuses an output name whose directory does not exist. */
int
pki_file_out_dir(const char *path, struct wage_error *err)
{
	char        dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (slash == NULL) {
		snprintf(dir, sizeof(dir), ".");
	} else if (slash == path) {
		snprintf(dir, sizeof(dir), "/");
	} else {
		snprintf(dir, sizeof(dir), "%.*s", (int) (slash - path), path);
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "out_base",
		    "%s: no such directory", dir));
	}
	return (WAGE_OK);
}

/*
 * pki_file_lock takes an exclusive flock on the CA directory itself, so two
 * runs cannot hand out the same serial or lose a revocation. Closing the
 * descriptor releases it.
 */
int
pki_file_lock(const char *dir, int *fdp, struct wage_error *err)
{
	int fd;

	*fdp = -1;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "dir", "%s: no such directory", dir));
		}
		return (pki_sys_fail(err, "dir", "open %s", dir));
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(fd);
			return (pki_sys_fail(err, "dir", "flock %s", dir));
		}
	}
	*fdp = fd;
	return (WAGE_OK);
}

/* Keys and certificates on disk. */

/* DER has no terminating NUL; mbedTLS recognises PEM only with one. */
static size_t
parse_len(const unsigned char *buf, size_t len)
{
	if (strstr((const char *) buf, "-----BEGIN") != NULL) {
		return (len + 1);
	}
	return (len);
}

int
pki_file_key_load(const char *path, mbedtls_pk_context *pk, const char *field,
    struct wage_error *err)
{
	unsigned char *buf = NULL;
	size_t         len = 0;
	int            ret;
	int            rv;

	if ((rv = pki_file_read(path, 1, field, &buf, &len, err)) != WAGE_OK) {
		return (rv);
	}
	ret = mbedtls_pk_parse_key(pk, buf, parse_len(buf, len), NULL, 0);
	if (ret != 0) {
		char text[128];

		mbedtls_strerror(ret, text, sizeof(text));
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "%s: not an unencrypted private key: %s", path, text);
		goto out;
	}
	if (!mbedtls_pk_can_do(pk, MBEDTLS_PK_ECDSA)) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "%s: must be an EC key", path);
		goto out;
	}

out:
	pki_file_free(buf, len);
	return (rv);
}

int
pki_file_key_write(const char *path, mbedtls_pk_context *pk, const char *field,
    struct wage_error *err)
{
	unsigned char pem[KEY_PEM_MAX];
	int           ret;
	int           rv;

	if ((ret = mbedtls_pk_write_key_pem(pk, pem, sizeof(pem))) != 0) {
		rv =
		    pki_mbed_fail(err, field, ret, "mbedtls_pk_write_key_pem");
		goto out;
	}
	rv = pki_file_write(
	    path, pem, strlen((char *) pem), 0600, 1, field, err);

out:
	mbedtls_platform_zeroize(pem, sizeof(pem));
	return (rv);
}

int
pki_file_crt_load(const char *path, mbedtls_x509_crt *crt, const char *field,
    struct wage_error *err)
{
	unsigned char *buf = NULL;
	size_t         len = 0;
	int            ret;
	int            rv;

	if ((rv = pki_file_read(path, 0, field, &buf, &len, err)) != WAGE_OK) {
		return (rv);
	}
	if ((ret = mbedtls_x509_crt_parse(crt, buf, parse_len(buf, len))) !=
	    0) {
		char text[128];

		mbedtls_strerror(ret, text, sizeof(text));
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "%s: not a certificate: %s", path, text);
	}
	pki_file_free(buf, len);
	return (rv);
}

int
pki_file_ca_load(const char *dir, struct ca *ca, struct wage_error *err)
{
	char path[PATH_MAX];
	int  rv;

	if ((rv = pki_path_fmt(path, err, "dir", "%s/ca.crt", dir)) !=
	        WAGE_OK ||
	    (rv = pki_file_crt_load(path, &ca->crt, "dir", err)) != WAGE_OK) {
		return (rv);
	}
	if (!ca->crt.ca_istrue) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dir",
		    "%s is not a CA certificate", path));
	}
	if ((rv = pki_path_fmt(path, err, "dir", "%s/ca.key", dir)) !=
	        WAGE_OK ||
	    (rv = pki_file_key_load(path, &ca->key, "dir", err)) != WAGE_OK) {
		return (rv);
	}
	if (mbedtls_pk_check_pair(&ca->crt.pk, &ca->key) != 0) {
		return (wage_err_set(err, WAGE_E_INTERNAL, "dir",
		    "%s/ca.key does not belong to %s/ca.crt", dir, dir));
	}
	return (WAGE_OK);
}

/* The serial file: the next serial as hex text. Caller holds the lock. */
int
pki_file_serial_take(const char *dir, uint64_t *serial, struct wage_error *err)
{
	char           path[PATH_MAX];
	char           text[32];
	unsigned char *buf = NULL;
	size_t         len = 0;
	size_t         i;
	uint64_t       v = 0;
	int            rv;

	if ((rv = pki_path_fmt(path, err, "dir", "%s/serial", dir)) !=
	        WAGE_OK ||
	    (rv = pki_file_read(path, 0, "dir", &buf, &len, err)) != WAGE_OK) {
		return (rv);
	}
	for (i = 0; i < len && buf[i] != '\n'; i++) {
		int d;

		if (buf[i] >= '0' && buf[i] <= '9') {
			d = buf[i] - '0';
		} else if (buf[i] >= 'a' && buf[i] <= 'f') {
			d = buf[i] - 'a' + 10;
		} else if (buf[i] >= 'A' && buf[i] <= 'F') {
			d = buf[i] - 'A' + 10;
		} else {
			break;
		}
		if (v >> 59 != 0) {
			break; /* would pass 2^63 */
		}
		v = (v << 4) | (uint64_t) d;
	}
	if (i == 0 || (i < len && buf[i] != '\n') || v <= PKI_CA_SERIAL) {
		rv = wage_err_set(err, WAGE_E_INTERNAL, "dir",
		    "%s: expected a hexadecimal serial number above 1", path);
		goto out;
	}
	/* Advance first: a serial is never handed out twice. */
	snprintf(text + 1, sizeof(text) - 1, "%" PRIX64 "\n", v + 1);
	text[0] = '0'; /* an even number of digits, as openssl writes it */
	if (strlen(text) % 2 == 0) {
		memmove(text, text + 1, strlen(text));
	}
	if ((rv = pki_file_write(
	         path, text, strlen(text), 0644, 0, "dir", err)) != WAGE_OK) {
		goto out;
	}
	*serial = v;

out:
	pki_file_free(buf, len);
	return (rv);
}

static int
hex_digit(int c)
{
	if (c >= '0' && c <= '9') {
		return (c - '0');
	}
	if (c >= 'a' && c <= 'f') {
		return (c - 'a' + 10);
	}
	if (c >= 'A' && c <= 'F') {
		return (c - 'A' + 10);
	}
	return (-1);
}

/* revoked_parse_line reads "SERIALHEX YYYYMMDDHHMMSSZ". */
static int
revoked_parse_line(const char *s, size_t len, struct revoked *r)
{
	struct tm tm;
	size_t    i;
	size_t    nhex;
	char      ts[16];

	for (nhex = 0; nhex < len && s[nhex] != ' '; nhex++) {
		;
	}
	if (nhex == 0 || nhex % 2 != 0 || nhex / 2 > PKI_SERIAL_MAX ||
	    len - nhex != 16) {
		return (-1);
	}
	for (i = 0; i < nhex; i += 2) {
		int hi = hex_digit((unsigned char) s[i]);
		int lo = hex_digit((unsigned char) s[i + 1]);

		if (hi < 0 || lo < 0) {
			return (-1);
		}
		r->serial[i / 2] = (unsigned char) (hi << 4 | lo);
	}
	r->len = nhex / 2;
	memcpy(ts, s + nhex + 1, 15);
	ts[15] = '\0';
	memset(&tm, 0, sizeof(tm));
	if (ts[14] != 'Z' ||
	    sscanf(ts, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
	        &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
		return (-1);
	}
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	r->when = timegm(&tm);
	return (0);
}

/* pki_file_revoked_load reads dir/revoked.txt into a new array (free it). */
int
pki_file_revoked_load(
    const char *dir, struct revoked **rlp, size_t *np, struct wage_error *err)
{
	char            path[PATH_MAX];
	unsigned char  *buf = NULL;
	struct revoked *rl  = NULL;
	size_t          len = 0;
	size_t          n   = 0;
	size_t          cap = 0;
	size_t          lineno;
	char           *s;
	int             rv;

	*rlp = NULL;
	*np  = 0;
	if ((rv = pki_path_fmt(path, err, "dir", "%s/revoked.txt", dir)) !=
	        WAGE_OK ||
	    (rv = pki_file_read(path, 0, "dir", &buf, &len, err)) != WAGE_OK) {
		return (rv);
	}
	for (s = (char *) buf, lineno = 1; *s != '\0'; lineno++) {
		char  *nl   = strchr(s, '\n');
		size_t llen = nl != NULL ? (size_t) (nl - s) : strlen(s);

		if (llen > 0 && s[llen - 1] == '\r') {
			llen--;
		}
		if (llen > 0 && s[0] != '#') {
			if (n == cap) {
				struct revoked *nrl;

				cap = cap == 0 ? 16 : cap * 2;
				nrl = realloc(rl, cap * sizeof(*rl));
				if (nrl == NULL) {
					rv = pki_sys_fail(
					    err, "dir", "realloc");
					goto out;
				}
				rl = nrl;
			}
			if (revoked_parse_line(s, llen, &rl[n]) != 0) {
				rv = wage_err_set(err, WAGE_E_INTERNAL, "dir",
				    "%s:%zu: expected SERIALHEX "
				    "YYYYMMDDHHMMSSZ",
				    path, lineno);
				goto out;
			}
			n++;
		}
		if (nl == NULL) {
			break;
		}
		s = nl + 1;
	}
	*rlp = rl;
	*np  = n;
	rl   = NULL;

out:
	free(rl);
	pki_file_free(buf, len);
	return (rv);
}

/* pki_file_crl_update rewrites dir/crl.pem from revoked.txt. Lock held. */
int
pki_file_crl_update(const char *dir, struct ca *ca, int days, struct rng *r,
    struct wage_error *err)
{
	char            path[PATH_MAX];
	struct revoked *rl  = NULL;
	unsigned char  *pem = NULL;
	size_t          n   = 0;
	size_t          len = 0;
	int             rv;

	if ((rv = pki_path_fmt(path, err, "dir", "%s/crl.pem", dir)) !=
	        WAGE_OK ||
	    (rv = pki_file_revoked_load(dir, &rl, &n, err)) != WAGE_OK ||
	    (rv = pki_der_crl(&ca->crt, &ca->key, rl, n, days, r, &pem, &len,
	         err)) != WAGE_OK) {
		goto out;
	}
	rv = pki_file_write(path, pem, len, 0644, 0, "dir", err);

out:
	free(pem);
	free(rl);
	return (rv);
}
