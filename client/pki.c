/* SPDX-License-Identifier: MIT */
/*
 * pki.c - the project's own certificate authority on mbedTLS 2.28.
 * Owns: CA key and certificate creation, certificate issue, the DER that
 * mbedTLS 2.28 cannot write itself (subjectAltName, extendedKeyUsage and
 * the whole X.509 v2 CRL), the CA directory files, and the login signature.
 * Must not: run the openssl CLI, log, keep state between calls, or let an
 * mbedTLS error code escape (they become WAGE_E_* with the text in err).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* flock, timegm */
#endif

#include <sys/file.h>
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/asn1write.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "pki.h"

#define CA_ORG "wage-server development CA"
#define CA_SERIAL 1
#define SKEW_SECS 300       /* notBefore backdating for clock skew */
#define FILE_MAX (16 << 20) /* largest CA file we read */
#define CRT_PEM_MAX 16384   /* a certificate with PKI_MAX_NAMES names */
#define KEY_PEM_MAX 2048    /* an EC private key in PEM */
#define SERIAL_MAX_BYTES 32 /* DER serial octets we accept */
#define NAME_MAX_BYTES 255  /* MBEDTLS_X509_MAX_DN_NAME_SIZE - 1 */
#define NAME_BAD_CHARS ",=+\"\\<>;"
#define PEM_BEGIN_CRL "-----BEGIN X509 CRL-----\n"
#define PEM_END_CRL "-----END X509 CRL-----\n"
#define ASN1_CTX(n) (MBEDTLS_ASN1_CONTEXT_SPECIFIC | (n))
#define ASN1_SEQ (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)
#define GN_DNS 2 /* GeneralName dNSName [2] IA5String */
#define GN_IP 7  /* GeneralName iPAddress [7] OCTET STRING */

static const char *const client_roles[] = { "clerk", "mediator", "arbitrator",
	"chair", "union", "legal_aid", "auditor", "admin", NULL };

struct rng {
	mbedtls_entropy_context  entropy;
	mbedtls_ctr_drbg_context drbg;
};

struct ca {
	mbedtls_x509_crt   crt;
	mbedtls_pk_context key;
};

struct revoked {
	unsigned char serial[SERIAL_MAX_BYTES];
	size_t        len;
	time_t        when;
};

/* Error helpers: one place that turns errno or an mbedTLS code into text. */

static int mbed_fail(struct wage_error *, const char *, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));
static int sys_fail(struct wage_error *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static int path_fmt(char *, struct wage_error *, const char *, const char *,
    ...) __attribute__((format(printf, 4, 5)));

static int
mbed_fail(
    struct wage_error *err, const char *field, int ret, const char *fmt, ...)
{
	char    what[192];
	char    text[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	mbedtls_strerror(ret, text, sizeof(text));
	return (wage_err_set(err, WAGE_E_INTERNAL, field, "%s: %s (-0x%04x)",
	    what, text, (unsigned) -ret));
}

static int
sys_fail(struct wage_error *err, const char *field, const char *fmt, ...)
{
	char    what[192];
	int     e = errno;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return (wage_err_set(
	    err, WAGE_E_INTERNAL, field, "%s: %s", what, strerror(e)));
}

/* path_fmt formats a path into out[PATH_MAX], refusing truncation. */
static int
path_fmt(
    char *out, struct wage_error *err, const char *field, const char *fmt, ...)
{
	va_list ap;
	int     n;

	va_start(ap, fmt);
	n = vsnprintf(out, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "path is longer than %d bytes", PATH_MAX - 1));
	}
	return (WAGE_OK);
}

/* Input checks. Messages say what is allowed, never echo the value. */

static int
check_name(const char *field, const char *v, struct wage_error *err)
{
	const unsigned char *p     = (const unsigned char *) v;
	size_t               nchar = 0;
	size_t               len;

	if (v == NULL || *v == '\0') {
		return (wage_err_set(
		    err, WAGE_E_INVALID_ARGUMENT, field, "must not be empty"));
	}
	len = strlen(v);
	if (v[0] == ' ' || v[len - 1] == ' ') {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "must not begin or end with a space"));
	}
	while (*p != '\0') {
		uint32_t c;
		int      n;
		int      i;

		if (*p < 0x80) {
			c = *p;
			n = 1;
		} else if ((*p & 0xe0) == 0xc0) {
			c = *p & 0x1f;
			n = 2;
		} else if ((*p & 0xf0) == 0xe0) {
			c = *p & 0x0f;
			n = 3;
		} else if ((*p & 0xf8) == 0xf0) {
			c = *p & 0x07;
			n = 4;
		} else {
			goto bad_utf8;
		}
		/* A NUL fails the continuation test: no overrun. */
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80) {
				goto bad_utf8;
			}
			c = (c << 6) | (p[i] & 0x3f);
		}
		if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
		    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
		    (c >= 0xd800 && c <= 0xdfff)) {
			goto bad_utf8;
		}
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    field, "must not contain control characters"));
		}
		if (c < 0x80 && strchr(NAME_BAD_CHARS, (int) c) != NULL) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    field,
			    "must not contain '%c': none of , = + \" \\ < > ; "
			    "are allowed in a certificate name",
			    (int) c));
		}
		p += n;
		nchar++;
	}
	if (nchar > WAGE_MAX_NAME_CHARS || len > NAME_MAX_BYTES) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "must be at most %d characters", WAGE_MAX_NAME_CHARS));
	}
	return (WAGE_OK);

bad_utf8:
	return (wage_err_set(
	    err, WAGE_E_INVALID_ARGUMENT, field, "must be valid UTF-8 text"));
}

static int
check_role(const char *role, int is_server, struct wage_error *err)
{
	size_t i;

	if (is_server) {
		if (role == NULL || strcmp(role, PKI_SERVER_ROLE) == 0) {
			return (WAGE_OK);
		}
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "role",
		    "a server certificate has role \"server\""));
	}
	for (i = 0; role != NULL && client_roles[i] != NULL; i++) {
		if (strcmp(role, client_roles[i]) == 0) {
			return (WAGE_OK);
		}
	}
	return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "role",
	    "must be one of clerk, mediator, arbitrator, chair, union, "
	    "legal_aid, auditor, admin"));
}

static int
check_region(const char *region, struct wage_error *err)
{
	size_t i;

	for (i = 0; region != NULL && i < WAGE_REGION_LEN; i++) {
		if (region[i] < '0' || region[i] > '9') {
			break;
		}
	}
	if (region == NULL || i != WAGE_REGION_LEN ||
	    region[WAGE_REGION_LEN] != '\0') {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "region",
		    "must be %d digits, a GB/T 2260 division code such as "
		    "370102",
		    WAGE_REGION_LEN));
	}
	return (WAGE_OK);
}

static int
check_days(int days, struct wage_error *err)
{
	if (days < 1 || days > PKI_MAX_DAYS) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "days",
		    "must be from 1 to %d", PKI_MAX_DAYS));
	}
	return (WAGE_OK);
}

static int
check_dir(const char *dir, struct wage_error *err)
{
	if (dir == NULL || *dir == '\0') {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dir",
		    "the CA directory must be given"));
	}
	return (WAGE_OK);
}

/* A host name: dot-separated labels of letters, digits and inner '-'. */
static int
check_dns(const char *name, struct wage_error *err)
{
	size_t len   = name != NULL ? strlen(name) : 0;
	size_t label = 0;
	size_t i;

	if (len == 0 || len > 253) {
		goto bad;
	}
	for (i = 0; i <= len; i++) {
		char c = name[i];

		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || name[i - 1] == '-') {
				goto bad;
			}
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c == '-' && label > 0)) {
			label++;
		} else {
			goto bad;
		}
	}
	return (WAGE_OK);

bad:
	return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dns",
	    "must be host names: labels of letters, digits and inner '-', "
	    "at most 63 characters each, separated by dots"));
}

/* Time helpers. All times are UTC. */

/* time_fmt writes t as YYYYMMDDHHMMSS, with a trailing Z if zulu. */
static void
time_fmt(time_t t, int zulu, char *out, size_t sz)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, sz, "%04d%02d%02d%02d%02d%02d%s", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    zulu ? "Z" : "");
}

static time_t
time_from_x509(const mbedtls_x509_time *xt)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = xt->year - 1900;
	tm.tm_mon  = xt->mon - 1;
	tm.tm_mday = xt->day;
	tm.tm_hour = xt->hour;
	tm.tm_min  = xt->min;
	tm.tm_sec  = xt->sec;
	return (timegm(&tm));
}

/* File helpers. */

static void
buf_free(unsigned char *buf, size_t len)
{
	if (buf != NULL) {
		mbedtls_platform_zeroize(buf, len + 1);
		free(buf);
	}
}

/*
 * file_read reads path into a new NUL-terminated buffer (free with
 * buf_free). secret refuses files that others may read or that belong to
 * another user. A missing file is the caller's mistake, not ours.
 */
static int
file_read(const char *path, int secret, const char *field,
    unsigned char **bufp, size_t *lenp, struct wage_error *err)
{
	struct stat    st;
	unsigned char *buf = NULL;
	size_t         off = 0;
	int            fd;
	int            rv = WAGE_OK;

	*bufp = NULL;
	*lenp = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    field, "%s: no such file", path));
		}
		return (sys_fail(err, field, "open %s", path));
	}
	if (fstat(fd, &st) != 0) {
		rv = sys_fail(err, field, "fstat %s", path);
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > FILE_MAX) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "%s: not a regular file of at most %d bytes", path,
		    FILE_MAX);
		goto out;
	}
	if (secret && (st.st_mode & 077) != 0) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "%s: a private key must not be accessible to group or "
		    "others (chmod 600)",
		    path);
		goto out;
	}
	if (secret && st.st_uid != geteuid()) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "%s: a private key must belong to the user using it",
		    path);
		goto out;
	}
	if ((buf = malloc((size_t) st.st_size + 1)) == NULL) {
		rv = sys_fail(err, field, "malloc for %s", path);
		goto out;
	}
	while (off < (size_t) st.st_size) {
		ssize_t n = read(fd, buf + off, (size_t) st.st_size - off);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			rv = sys_fail(err, field, "read %s", path);
			goto out;
		}
		if (n == 0) {
			break;
		}
		off += (size_t) n;
	}
	buf[off] = '\0';
	*bufp    = buf;
	*lenp    = off;
	buf      = NULL;

out:
	buf_free(buf, off);
	close(fd);
	return (rv);
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
		return (sys_fail(err, field, "open %s", dir));
	}
	if (fsync(fd) != 0) {
		rv = sys_fail(err, field, "fsync %s", dir);
	}
	close(fd);
	return (rv);
}

/*
 * file_write replaces path with data atomically: a temporary file in the
 * same directory (mkstemp: 0600 from the start, so a key is never readable
 * by others), fsync, then rename; or, with noclobber, link(2), which fails
 * with EEXIST instead of replacing an existing file.
 */
static int
file_write(const char *path, const void *data, size_t len, mode_t mode,
    int noclobber, const char *field, struct wage_error *err)
{
	char                 tmp[PATH_MAX];
	const unsigned char *p   = data;
	size_t               off = 0;
	int                  fd  = -1;
	int                  rv;

	if ((rv = path_fmt(tmp, err, field, "%s.tmp.XXXXXX", path)) !=
	    WAGE_OK) {
		return (rv);
	}
	if ((fd = mkstemp(tmp)) < 0) {
		return (sys_fail(err, field, "create %s", tmp));
	}
	if (fchmod(fd, mode) != 0) {
		rv = sys_fail(err, field, "chmod %s", tmp);
		goto fail;
	}
	while (off < len) {
		ssize_t n = write(fd, p + off, len - off);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			rv = sys_fail(err, field, "write %s", tmp);
			goto fail;
		}
		off += (size_t) n;
	}
	if (fsync(fd) != 0) {
		rv = sys_fail(err, field, "fsync %s", tmp);
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		rv = sys_fail(err, field, "close %s", tmp);
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
				rv = sys_fail(err, field, "link %s", path);
			}
			goto fail;
		}
		unlink(tmp);
	} else if (rename(tmp, path) != 0) {
		rv = sys_fail(err, field, "rename %s", path);
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

/* path_absent refuses an existing file (a friendlier early check). */
static int
path_absent(const char *path, const char *field, struct wage_error *err)
{
	struct stat st;

	if (lstat(path, &st) == 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "%s already exists: it is never overwritten", path));
	}
	if (errno != ENOENT) {
		return (sys_fail(err, field, "stat %s", path));
	}
	return (WAGE_OK);
}

/* out_dir_check refuses an output name whose directory does not exist. */
static int
out_dir_check(const char *path, struct wage_error *err)
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
 * dir_lock takes an exclusive flock on the CA directory itself, so two
 * runs cannot hand out the same serial or lose a revocation. Closing the
 * descriptor releases it.
 */
static int
dir_lock(const char *dir, int *fdp, struct wage_error *err)
{
	int fd;

	*fdp = -1;
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "dir", "%s: no such directory", dir));
		}
		return (sys_fail(err, "dir", "open %s", dir));
	}
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(fd);
			return (sys_fail(err, "dir", "flock %s", dir));
		}
	}
	*fdp = fd;
	return (WAGE_OK);
}

/* Randomness: CTR-DRBG seeded from the platform entropy sources. */

static void
rng_init(struct rng *r)
{
	mbedtls_entropy_init(&r->entropy);
	mbedtls_ctr_drbg_init(&r->drbg);
}

static int
rng_seed(struct rng *r, struct wage_error *err)
{
	static const char pers[] = "wage-server pki";
	int               ret;

	ret = mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func,
	    &r->entropy, (const unsigned char *) pers, sizeof(pers) - 1);
	if (ret != 0) {
		return (mbed_fail(err, NULL, ret, "mbedtls_ctr_drbg_seed"));
	}
	return (WAGE_OK);
}

static void
rng_fini(struct rng *r)
{
	mbedtls_ctr_drbg_free(&r->drbg);
	mbedtls_entropy_free(&r->entropy);
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

static int
key_generate(mbedtls_pk_context *pk, struct rng *r, struct wage_error *err)
{
	int ret;

	ret =
	    mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
	if (ret != 0) {
		return (mbed_fail(err, NULL, ret, "mbedtls_pk_setup"));
	}
	ret = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*pk),
	    mbedtls_ctr_drbg_random, &r->drbg);
	if (ret != 0) {
		return (mbed_fail(err, NULL, ret, "mbedtls_ecp_gen_key"));
	}
	return (WAGE_OK);
}

static int
key_load(const char *path, mbedtls_pk_context *pk, const char *field,
    struct wage_error *err)
{
	unsigned char *buf = NULL;
	size_t         len = 0;
	int            ret;
	int            rv;

	if ((rv = file_read(path, 1, field, &buf, &len, err)) != WAGE_OK) {
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
	buf_free(buf, len);
	return (rv);
}

static int
key_write(const char *path, mbedtls_pk_context *pk, const char *field,
    struct wage_error *err)
{
	unsigned char pem[KEY_PEM_MAX];
	int           ret;
	int           rv;

	if ((ret = mbedtls_pk_write_key_pem(pk, pem, sizeof(pem))) != 0) {
		rv = mbed_fail(err, field, ret, "mbedtls_pk_write_key_pem");
		goto out;
	}
	rv = file_write(path, pem, strlen((char *) pem), 0600, 1, field, err);

out:
	mbedtls_platform_zeroize(pem, sizeof(pem));
	return (rv);
}

static int
crt_load(const char *path, mbedtls_x509_crt *crt, const char *field,
    struct wage_error *err)
{
	unsigned char *buf = NULL;
	size_t         len = 0;
	int            ret;
	int            rv;

	if ((rv = file_read(path, 0, field, &buf, &len, err)) != WAGE_OK) {
		return (rv);
	}
	if ((ret = mbedtls_x509_crt_parse(crt, buf, parse_len(buf, len))) !=
	    0) {
		char text[128];

		mbedtls_strerror(ret, text, sizeof(text));
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "%s: not a certificate: %s", path, text);
	}
	buf_free(buf, len);
	return (rv);
}

static void
ca_init(struct ca *ca)
{
	mbedtls_x509_crt_init(&ca->crt);
	mbedtls_pk_init(&ca->key);
}

static void
ca_fini(struct ca *ca)
{
	mbedtls_x509_crt_free(&ca->crt);
	mbedtls_pk_free(&ca->key);
}

static int
ca_load(const char *dir, struct ca *ca, struct wage_error *err)
{
	char path[PATH_MAX];
	int  rv;

	if ((rv = path_fmt(path, err, "dir", "%s/ca.crt", dir)) != WAGE_OK ||
	    (rv = crt_load(path, &ca->crt, "dir", err)) != WAGE_OK) {
		return (rv);
	}
	if (!ca->crt.ca_istrue) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dir",
		    "%s is not a CA certificate", path));
	}
	if ((rv = path_fmt(path, err, "dir", "%s/ca.key", dir)) != WAGE_OK ||
	    (rv = key_load(path, &ca->key, "dir", err)) != WAGE_OK) {
		return (rv);
	}
	if (mbedtls_pk_check_pair(&ca->crt.pk, &ca->key) != 0) {
		return (wage_err_set(err, WAGE_E_INTERNAL, "dir",
		    "%s/ca.key does not belong to %s/ca.crt", dir, dir));
	}
	return (WAGE_OK);
}

/* The serial file: the next serial as hex text. Caller holds the lock. */
static int
serial_take(const char *dir, uint64_t *serial, struct wage_error *err)
{
	char           path[PATH_MAX];
	char           text[32];
	unsigned char *buf = NULL;
	size_t         len = 0;
	size_t         i;
	uint64_t       v = 0;
	int            rv;

	if ((rv = path_fmt(path, err, "dir", "%s/serial", dir)) != WAGE_OK ||
	    (rv = file_read(path, 0, "dir", &buf, &len, err)) != WAGE_OK) {
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
	if (i == 0 || (i < len && buf[i] != '\n') || v <= CA_SERIAL) {
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
	if ((rv = file_write(path, text, strlen(text), 0644, 0, "dir", err)) !=
	    WAGE_OK) {
		goto out;
	}
	*serial = v;

out:
	buf_free(buf, len);
	return (rv);
}

static int
serial_set(mbedtls_x509write_cert *w, uint64_t v, struct wage_error *err)
{
	unsigned char be[8];
	mbedtls_mpi   mpi;
	int           ret;
	int           i;

	for (i = 0; i < 8; i++) {
		be[i] = (unsigned char) (v >> (56 - 8 * i));
	}
	mbedtls_mpi_init(&mpi);
	if ((ret = mbedtls_mpi_read_binary(&mpi, be, sizeof(be))) == 0) {
		ret = mbedtls_x509write_crt_set_serial(w, &mpi);
	}
	mbedtls_mpi_free(&mpi);
	if (ret != 0) {
		return (mbed_fail(err, NULL, ret, "set serial"));
	}
	return (WAGE_OK);
}

/* DER writers. They write backwards (asn1write) and return the length. */

static int
asn1_write_ecdsa_sha256(unsigned char **p, unsigned char *start)
{
	size_t len = 0;
	int    ret;

	/* RFC 5758 3.2: the parameters field is absent, not NULL. */
	MBEDTLS_ASN1_CHK_ADD(len,
	    mbedtls_asn1_write_oid(p, start, MBEDTLS_OID_ECDSA_SHA256,
	        MBEDTLS_OID_SIZE(MBEDTLS_OID_ECDSA_SHA256)));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(p, start, len));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
	return ((int) len);
}

/* RFC 5280 5.1.2.4: UTCTime through 2049, GeneralizedTime after. */
static int
asn1_write_time(unsigned char **p, unsigned char *start, time_t t)
{
	struct tm tm;
	char      s[32];

	gmtime_r(&t, &tm);
	time_fmt(t, 1, s, sizeof(s));
	if (tm.tm_year + 1900 >= 1950 && tm.tm_year + 1900 < 2050) {
		return (mbedtls_asn1_write_tagged_string(
		    p, start, MBEDTLS_ASN1_UTC_TIME, s + 2, strlen(s + 2)));
	}
	return (mbedtls_asn1_write_tagged_string(
	    p, start, MBEDTLS_ASN1_GENERALIZED_TIME, s, strlen(s)));
}

/* An INTEGER from raw content octets, so CRL serials match byte for byte. */
static int
asn1_write_raw_int(unsigned char **p, unsigned char *start,
    const unsigned char *v, size_t vlen)
{
	size_t len = 0;
	int    ret;

	MBEDTLS_ASN1_CHK_ADD(
	    len, mbedtls_asn1_write_raw_buffer(p, start, v, vlen));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(p, start, len));
	MBEDTLS_ASN1_CHK_ADD(
	    len, mbedtls_asn1_write_tag(p, start, MBEDTLS_ASN1_INTEGER));
	return ((int) len);
}

/*
 * asn1_wrap_ext wraps the vlen bytes just written as the extnValue of
 * Extension ::= SEQUENCE { extnID, extnValue OCTET STRING } (not critical).
 */
static int
asn1_wrap_ext(unsigned char **p, unsigned char *start, const char *oid,
    size_t oidlen, size_t vlen)
{
	size_t len = vlen;
	int    ret;

	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(p, start, vlen));
	MBEDTLS_ASN1_CHK_ADD(
	    len, mbedtls_asn1_write_tag(p, start, MBEDTLS_ASN1_OCTET_STRING));
	MBEDTLS_ASN1_CHK_ADD(
	    len, mbedtls_asn1_write_oid(p, start, oid, oidlen));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(p, start, len));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
	return ((int) len);
}

/*
 * GeneralNames ::= SEQUENCE OF GeneralName: every dns as dNSName, every IP
 * as dNSName text (mbedTLS 2.28 matches the server name against dNSName
 * only) and as iPAddress octets (for everyone else).
 */
static int
asn1_write_san(unsigned char **p, unsigned char *start, const char *const *dns,
    size_t ndns, const char *const *ips, const unsigned char (*ipbin)[16],
    const size_t *iplen, size_t nips)
{
	size_t len = 0;
	size_t i;
	int    ret;

	for (i = nips; i > 0; i--) {
		size_t sub = 0;

		MBEDTLS_ASN1_CHK_ADD(sub,
		    mbedtls_asn1_write_raw_buffer(
		        p, start, ipbin[i - 1], iplen[i - 1]));
		MBEDTLS_ASN1_CHK_ADD(
		    sub, mbedtls_asn1_write_len(p, start, sub));
		MBEDTLS_ASN1_CHK_ADD(
		    sub, mbedtls_asn1_write_tag(p, start, ASN1_CTX(GN_IP)));
		len += sub;
	}
	for (i = nips; i > 0; i--) {
		MBEDTLS_ASN1_CHK_ADD(len,
		    mbedtls_asn1_write_tagged_string(p, start,
		        ASN1_CTX(GN_DNS), ips[i - 1], strlen(ips[i - 1])));
	}
	for (i = ndns; i > 0; i--) {
		MBEDTLS_ASN1_CHK_ADD(len,
		    mbedtls_asn1_write_tagged_string(p, start,
		        ASN1_CTX(GN_DNS), dns[i - 1], strlen(dns[i - 1])));
	}
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(p, start, len));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
	return ((int) len);
}

/* ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId */
static int
asn1_write_eku(unsigned char **p, unsigned char *start, int is_server)
{
	size_t len = 0;
	int    ret;

	if (is_server) {
		MBEDTLS_ASN1_CHK_ADD(len,
		    mbedtls_asn1_write_oid(p, start, MBEDTLS_OID_SERVER_AUTH,
		        MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)));
	} else {
		MBEDTLS_ASN1_CHK_ADD(len,
		    mbedtls_asn1_write_oid(p, start, MBEDTLS_OID_CLIENT_AUTH,
		        MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)));
	}
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(p, start, len));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
	return ((int) len);
}

/* The key id as mbedtls_x509write_crt_set_subject_key_identifier makes it. */
static int
key_id(const mbedtls_pk_context *pk, unsigned char id[20])
{
	unsigned char  buf[MBEDTLS_MPI_MAX_SIZE * 2 + 20];
	unsigned char *c = buf + sizeof(buf);
	int            len;

	if ((len = mbedtls_pk_write_pubkey(&c, buf, pk)) < 0) {
		return (len);
	}
	return (mbedtls_sha1_ret(c, (size_t) len, id));
}

/*
 * TBSCertList ::= SEQUENCE {
 *   version INTEGER (1 = v2), signature AlgorithmIdentifier, issuer Name,
 *   thisUpdate Time, nextUpdate Time,
 *   revokedCertificates SEQUENCE OF SEQUENCE {
 *     userCertificate INTEGER, revocationDate Time } OPTIONAL,
 *   crlExtensions [0] EXPLICIT SEQUENCE OF Extension }
 * (RFC 5280 5.1). Extensions: authorityKeyIdentifier and cRLNumber, which
 * RFC 5280 5.2 requires; both not critical.
 */
static int
asn1_write_tbs_crl(unsigned char **p, unsigned char *start,
    const mbedtls_x509_crt *ca, const unsigned char akid[20], time_t now,
    int days, const struct revoked *rl, size_t n)
{
	unsigned char num[9];
	size_t        len  = 0;
	size_t        exts = 0;
	size_t        sub;
	size_t        i;
	uint64_t      crlnum = (uint64_t) now;
	int           ret;

	/* cRLNumber: the Unix time, which only grows. */
	for (i = 0; i < 8; i++) {
		num[1 + i] = (unsigned char) (crlnum >> (56 - 8 * i));
	}
	num[0] = 0;
	for (i = 0; i < 8 && num[i] == 0 && (num[i + 1] & 0x80) == 0; i++) {
		;
	}
	sub = 0;
	MBEDTLS_ASN1_CHK_ADD(
	    sub, asn1_write_raw_int(p, start, num + i, 9 - i));
	MBEDTLS_ASN1_CHK_ADD(exts,
	    asn1_wrap_ext(p, start, MBEDTLS_OID_CRL_NUMBER,
	        MBEDTLS_OID_SIZE(MBEDTLS_OID_CRL_NUMBER), sub));

	/* AuthorityKeyIdentifier ::= SEQUENCE { [0] KeyIdentifier } */
	sub = 0;
	MBEDTLS_ASN1_CHK_ADD(
	    sub, mbedtls_asn1_write_raw_buffer(p, start, akid, 20));
	MBEDTLS_ASN1_CHK_ADD(sub, mbedtls_asn1_write_len(p, start, sub));
	MBEDTLS_ASN1_CHK_ADD(
	    sub, mbedtls_asn1_write_tag(p, start, ASN1_CTX(0)));
	MBEDTLS_ASN1_CHK_ADD(sub, mbedtls_asn1_write_len(p, start, sub));
	MBEDTLS_ASN1_CHK_ADD(sub, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
	MBEDTLS_ASN1_CHK_ADD(exts,
	    asn1_wrap_ext(p, start, MBEDTLS_OID_AUTHORITY_KEY_IDENTIFIER,
	        MBEDTLS_OID_SIZE(MBEDTLS_OID_AUTHORITY_KEY_IDENTIFIER), sub));

	MBEDTLS_ASN1_CHK_ADD(exts, mbedtls_asn1_write_len(p, start, exts));
	MBEDTLS_ASN1_CHK_ADD(exts, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
	MBEDTLS_ASN1_CHK_ADD(exts, mbedtls_asn1_write_len(p, start, exts));
	MBEDTLS_ASN1_CHK_ADD(exts,
	    mbedtls_asn1_write_tag(p, start,
	        MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0));
	len += exts;

	if (n > 0) {
		size_t list = 0;

		for (i = n; i > 0; i--) {
			const struct revoked *r = &rl[i - 1];

			/*
			 * mbedTLS counts a certificate as revoked only once
			 * its revocationDate is strictly in the past, so a
			 * certificate checked in the second it was revoked
			 * would still pass. Backdate by one second.
			 */
			sub = 0;
			MBEDTLS_ASN1_CHK_ADD(
			    sub, asn1_write_time(p, start, r->when - 1));
			MBEDTLS_ASN1_CHK_ADD(sub,
			    asn1_write_raw_int(p, start, r->serial, r->len));
			MBEDTLS_ASN1_CHK_ADD(
			    sub, mbedtls_asn1_write_len(p, start, sub));
			MBEDTLS_ASN1_CHK_ADD(
			    sub, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
			list += sub;
		}
		MBEDTLS_ASN1_CHK_ADD(
		    list, mbedtls_asn1_write_len(p, start, list));
		MBEDTLS_ASN1_CHK_ADD(
		    list, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
		len += list;
	}

	MBEDTLS_ASN1_CHK_ADD(
	    len, asn1_write_time(p, start, now + (time_t) days * 86400));
	MBEDTLS_ASN1_CHK_ADD(len, asn1_write_time(p, start, now));
	/* The issuer is the CA's subject byte for byte: mbedTLS matches raw.
	 */
	MBEDTLS_ASN1_CHK_ADD(len,
	    mbedtls_asn1_write_raw_buffer(
	        p, start, ca->subject_raw.p, ca->subject_raw.len));
	MBEDTLS_ASN1_CHK_ADD(len, asn1_write_ecdsa_sha256(p, start));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_int(p, start, 1));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(p, start, len));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
	return ((int) len);
}

/* CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, sig } */
static int
asn1_write_crl(unsigned char **p, unsigned char *start,
    const unsigned char *tbs, size_t tbslen, const unsigned char *sig,
    size_t siglen)
{
	size_t len = 0;
	int    ret;

	MBEDTLS_ASN1_CHK_ADD(
	    len, mbedtls_asn1_write_bitstring(p, start, sig, siglen * 8));
	MBEDTLS_ASN1_CHK_ADD(len, asn1_write_ecdsa_sha256(p, start));
	MBEDTLS_ASN1_CHK_ADD(
	    len, mbedtls_asn1_write_raw_buffer(p, start, tbs, tbslen));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_len(p, start, len));
	MBEDTLS_ASN1_CHK_ADD(len, mbedtls_asn1_write_tag(p, start, ASN1_SEQ));
	return ((int) len);
}

/*
 * crl_build makes the PEM CRL for the CA (crt, key) listing rl[0..n).
 * *pemp is a new NUL-terminated buffer of *pemlenp bytes (without NUL).
 */
static int
crl_build(const mbedtls_x509_crt *crt, mbedtls_pk_context *key,
    const struct revoked *rl, size_t n, int days, struct rng *r,
    unsigned char **pemp, size_t *pemlenp, struct wage_error *err)
{
	unsigned char    akid[20];
	unsigned char    hash[32];
	unsigned char    sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	unsigned char   *tbsbuf = NULL;
	unsigned char   *derbuf = NULL;
	unsigned char   *pem    = NULL;
	unsigned char   *p;
	mbedtls_x509_crl chk;
	size_t           tbssz  = 1024 + crt->subject_raw.len + n * 64;
	size_t           dersz  = tbssz + 256;
	size_t           pemsz  = dersz * 2 + 128;
	size_t           siglen = 0;
	size_t           olen   = 0;
	int              tbslen;
	int              derlen;
	int              ret;
	int              rv = WAGE_OK;

	*pemp    = NULL;
	*pemlenp = 0;
	mbedtls_x509_crl_init(&chk);
	tbsbuf = malloc(tbssz);
	derbuf = malloc(dersz);
	pem    = malloc(pemsz);
	if (tbsbuf == NULL || derbuf == NULL || pem == NULL) {
		rv = sys_fail(err, NULL, "malloc for the CRL");
		goto out;
	}
	if ((ret = key_id(&crt->pk, akid)) != 0) {
		rv = mbed_fail(err, NULL, ret, "CA key id");
		goto out;
	}
	p = tbsbuf + tbssz;
	tbslen =
	    asn1_write_tbs_crl(&p, tbsbuf, crt, akid, time(NULL), days, rl, n);
	if (tbslen < 0) {
		rv = mbed_fail(err, NULL, tbslen, "writing the CRL");
		goto out;
	}
	if ((ret = mbedtls_sha256_ret(p, (size_t) tbslen, hash, 0)) != 0 ||
	    (ret = mbedtls_pk_sign(key, MBEDTLS_MD_SHA256, hash, sizeof(hash),
	         sig, &siglen, mbedtls_ctr_drbg_random, &r->drbg)) != 0) {
		rv = mbed_fail(err, NULL, ret, "signing the CRL");
		goto out;
	}
	{
		unsigned char *q = derbuf + dersz;

		derlen = asn1_write_crl(
		    &q, derbuf, p, (size_t) tbslen, sig, siglen);
		if (derlen < 0) {
			rv = mbed_fail(err, NULL, derlen, "writing the CRL");
			goto out;
		}
		ret = mbedtls_pem_write_buffer(PEM_BEGIN_CRL, PEM_END_CRL, q,
		    (size_t) derlen, pem, pemsz, &olen);
		if (ret != 0) {
			rv = mbed_fail(
			    err, NULL, ret, "mbedtls_pem_write_buffer");
			goto out;
		}
	}
	/* Never hand out a CRL that our own verifier would refuse. */
	if ((ret = mbedtls_x509_crl_parse(&chk, pem, olen)) != 0) {
		rv = mbed_fail(err, NULL, ret, "the new CRL does not parse");
		goto out;
	}
	*pemp    = pem;
	*pemlenp = olen - 1;
	pem      = NULL;

out:
	mbedtls_x509_crl_free(&chk);
	free(pem);
	free(derbuf);
	free(tbsbuf);
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
	if (nhex == 0 || nhex % 2 != 0 || nhex / 2 > SERIAL_MAX_BYTES ||
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

/* revoked_load reads dir/revoked.txt into a new array (free it). */
static int
revoked_load(
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
	if ((rv = path_fmt(path, err, "dir", "%s/revoked.txt", dir)) !=
	        WAGE_OK ||
	    (rv = file_read(path, 0, "dir", &buf, &len, err)) != WAGE_OK) {
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
					rv = sys_fail(err, "dir", "realloc");
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
	buf_free(buf, len);
	return (rv);
}

/* crl_update rewrites dir/crl.pem from revoked.txt. Lock held. */
static int
crl_update(const char *dir, struct ca *ca, int days, struct rng *r,
    struct wage_error *err)
{
	char            path[PATH_MAX];
	struct revoked *rl  = NULL;
	unsigned char  *pem = NULL;
	size_t          n   = 0;
	size_t          len = 0;
	int             rv;

	if ((rv = path_fmt(path, err, "dir", "%s/crl.pem", dir)) != WAGE_OK ||
	    (rv = revoked_load(dir, &rl, &n, err)) != WAGE_OK ||
	    (rv = crl_build(&ca->crt, &ca->key, rl, n, days, r, &pem, &len,
	         err)) != WAGE_OK) {
		goto out;
	}
	rv = file_write(path, pem, len, 0644, 0, "dir", err);

out:
	free(pem);
	free(rl);
	return (rv);
}

int
pki_init(const char *dir, const char *ca_name, struct wage_error *err)
{
	char                   keypath[PATH_MAX];
	char                   path[PATH_MAX];
	char                   subject[512];
	char                   from[32];
	char                   to[32];
	struct rng             r;
	struct stat            st;
	mbedtls_pk_context     key;
	mbedtls_x509write_cert w;
	mbedtls_x509_crt       crt;
	unsigned char         *pem    = NULL;
	unsigned char         *crlpem = NULL;
	size_t                 crllen = 0;
	time_t                 now    = time(NULL);
	int                    lockfd = -1;
	int                    ret;
	int                    rv;

	wage_err_clear(err);
	rng_init(&r);
	mbedtls_pk_init(&key);
	mbedtls_x509write_crt_init(&w);
	mbedtls_x509_crt_init(&crt);

	if ((rv = check_dir(dir, err)) != WAGE_OK ||
	    (rv = check_name("ca_name", ca_name, err)) != WAGE_OK ||
	    (rv = path_fmt(keypath, err, "dir", "%s/ca.key", dir)) !=
	        WAGE_OK) {
		goto out;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		rv = sys_fail(err, "dir", "mkdir %s", dir);
		goto out;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dir",
		    "%s: not a directory", dir);
		goto out;
	}
	if ((rv = dir_lock(dir, &lockfd, err)) != WAGE_OK) {
		goto out;
	}
	if (lstat(keypath, &st) == 0) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dir",
		    "%s already exists: this directory already holds a CA",
		    keypath);
		goto out;
	}
	if ((rv = rng_seed(&r, err)) != WAGE_OK ||
	    (rv = key_generate(&key, &r, err)) != WAGE_OK ||
	    (rv = serial_set(&w, CA_SERIAL, err)) != WAGE_OK) {
		goto out;
	}

	snprintf(subject, sizeof(subject), "CN=%s,O=%s", ca_name, CA_ORG);
	time_fmt(now - SKEW_SECS, 0, from, sizeof(from));
	time_fmt(now + (time_t) PKI_CA_DAYS * 86400, 0, to, sizeof(to));
	mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&w, &key);
	mbedtls_x509write_crt_set_issuer_key(&w, &key);
	/* basicConstraints is critical when CA:TRUE; pathlen 0: no sub-CAs. */
	if ((ret = mbedtls_x509write_crt_set_validity(&w, from, to)) != 0 ||
	    (ret = mbedtls_x509write_crt_set_subject_name(&w, subject)) != 0 ||
	    (ret = mbedtls_x509write_crt_set_issuer_name(&w, subject)) != 0 ||
	    (ret = mbedtls_x509write_crt_set_basic_constraints(&w, 1, 0)) !=
	        0 ||
	    (ret = mbedtls_x509write_crt_set_subject_key_identifier(&w)) !=
	        0 ||
	    (ret = mbedtls_x509write_crt_set_key_usage(&w,
	         MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN)) !=
	        0) {
		rv = mbed_fail(err, NULL, ret, "building the CA certificate");
		goto out;
	}
	if ((pem = malloc(CRT_PEM_MAX)) == NULL) {
		rv = sys_fail(err, NULL, "malloc");
		goto out;
	}
	if ((ret = mbedtls_x509write_crt_pem(&w, pem, CRT_PEM_MAX,
	         mbedtls_ctr_drbg_random, &r.drbg)) != 0) {
		rv = mbed_fail(err, NULL, ret, "mbedtls_x509write_crt_pem");
		goto out;
	}
	if ((ret = mbedtls_x509_crt_parse(
	         &crt, pem, strlen((char *) pem) + 1)) != 0) {
		rv = mbed_fail(err, NULL, ret, "the new CA certificate");
		goto out;
	}
	if ((rv = crl_build(&crt, &key, NULL, 0, PKI_CRL_DAYS, &r, &crlpem,
	         &crllen, err)) != WAGE_OK) {
		goto out;
	}

	/* ca.key last: its presence means "initialised", so a rerun works. */
	if ((rv = path_fmt(path, err, "dir", "%s/ca.crt", dir)) != WAGE_OK ||
	    (rv = file_write(path, pem, strlen((char *) pem), 0644, 0, "dir",
	         err)) != WAGE_OK ||
	    (rv = path_fmt(path, err, "dir", "%s/serial", dir)) != WAGE_OK ||
	    (rv = file_write(path, "02\n", 3, 0644, 0, "dir", err)) !=
	        WAGE_OK ||
	    (rv = path_fmt(path, err, "dir", "%s/revoked.txt", dir)) !=
	        WAGE_OK ||
	    (rv = file_write(path, "", 0, 0644, 0, "dir", err)) != WAGE_OK ||
	    (rv = path_fmt(path, err, "dir", "%s/crl.pem", dir)) != WAGE_OK ||
	    (rv = file_write(path, crlpem, crllen, 0644, 0, "dir", err)) !=
	        WAGE_OK ||
	    (rv = key_write(keypath, &key, "dir", err)) != WAGE_OK) {
		goto out;
	}

out:
	if (lockfd >= 0) {
		close(lockfd);
	}
	free(crlpem);
	free(pem);
	mbedtls_x509_crt_free(&crt);
	mbedtls_x509write_crt_free(&w);
	mbedtls_pk_free(&key);
	rng_fini(&r);
	return (rv);
}

/* issuer_copy makes the issuer Name the CA's subject, tags and all. */
static int
issuer_copy(mbedtls_x509write_cert *w, const mbedtls_x509_crt *ca,
    struct wage_error *err)
{
	const mbedtls_x509_name *n;
	mbedtls_asn1_named_data *d;

	/* store_named_data prepends; the writer emits the list backwards. */
	for (n = &ca->subject; n != NULL; n = n->next) {
		if (n->oid.p == NULL) {
			continue;
		}
		d = mbedtls_asn1_store_named_data(&w->issuer,
		    (const char *) n->oid.p, n->oid.len, n->val.p, n->val.len);
		if (d == NULL) {
			return (sys_fail(err, NULL, "issuer name"));
		}
		d->val.tag = n->val.tag;
	}
	return (WAGE_OK);
}

static int
issue_check_args(const struct pki_subject *s, int is_server,
    const char *const *dns, size_t ndns, const char *const *ips, size_t nips,
    int days, const char *out_base, unsigned char (*ipbin)[16], size_t *iplen,
    struct wage_error *err)
{
	size_t i;
	int    rv;

	if (s == NULL) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "cn",
		    "the certificate subject must be given"));
	}
	if ((rv = check_name("cn", s->cn, err)) != WAGE_OK ||
	    (rv = check_name("org", s->org, err)) != WAGE_OK ||
	    (rv = check_role(s->role, is_server, err)) != WAGE_OK ||
	    (rv = check_region(s->region, err)) != WAGE_OK ||
	    (rv = check_days(days, err)) != WAGE_OK) {
		return (rv);
	}
	if (out_base == NULL || *out_base == '\0') {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "out_base",
		    "the output file name must be given"));
	}
	if (!is_server && (ndns != 0 || nips != 0)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    ndns != 0 ? "dns" : "ips",
		    "only server certificates carry DNS names or IP "
		    "addresses"));
	}
	if (is_server && ndns == 0 && nips == 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dns",
		    "a server certificate needs at least one DNS name or IP "
		    "address"));
	}
	if (ndns > PKI_MAX_NAMES || (ndns > 0 && dns == NULL)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dns",
		    "at most %d DNS names", PKI_MAX_NAMES));
	}
	if (nips > PKI_MAX_NAMES || (nips > 0 && ips == NULL)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "ips",
		    "at most %d IP addresses", PKI_MAX_NAMES));
	}
	for (i = 0; i < ndns; i++) {
		if ((rv = check_dns(dns[i], err)) != WAGE_OK) {
			return (rv);
		}
	}
	for (i = 0; i < nips; i++) {
		if (ips[i] != NULL &&
		    inet_pton(AF_INET, ips[i], ipbin[i]) == 1) {
			iplen[i] = 4;
		} else if (ips[i] != NULL &&
		    inet_pton(AF_INET6, ips[i], ipbin[i]) == 1) {
			iplen[i] = 16;
		} else {
			return (
			    wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "ips",
			        "must be IPv4 addresses such as 127.0.0.1 or "
			        "IPv6 addresses such as ::1"));
		}
	}
	return (WAGE_OK);
}

int
pki_issue(const char *dir, const struct pki_subject *s, int is_server,
    const char *const *dns, size_t ndns, const char *const *ips, size_t nips,
    int days, const char *out_base, struct wage_error *err)
{
	char                   keypath[PATH_MAX];
	char                   crtpath[PATH_MAX];
	char                   subject[1024];
	char                   from[32];
	char                   to[32];
	unsigned char          ipbin[PKI_MAX_NAMES][16];
	size_t                 iplen[PKI_MAX_NAMES];
	unsigned char          ext[6144];
	unsigned char         *p;
	unsigned char         *pem = NULL;
	struct rng             r;
	struct ca              ca;
	mbedtls_pk_context     key;
	mbedtls_x509write_cert w;
	mbedtls_x509_crt       chk;
	uint32_t               flags  = 0;
	uint64_t               serial = 0;
	time_t                 now    = time(NULL);
	time_t                 until;
	int                    key_written = 0;
	int                    lockfd      = -1;
	int                    len;
	int                    ret;
	int                    rv;

	wage_err_clear(err);
	rng_init(&r);
	ca_init(&ca);
	mbedtls_pk_init(&key);
	mbedtls_x509write_crt_init(&w);
	mbedtls_x509_crt_init(&chk);

	if ((rv = check_dir(dir, err)) != WAGE_OK ||
	    (rv = issue_check_args(s, is_server, dns, ndns, ips, nips, days,
	         out_base, ipbin, iplen, err)) != WAGE_OK ||
	    (rv = path_fmt(keypath, err, "out_base", "%s.key", out_base)) !=
	        WAGE_OK ||
	    (rv = path_fmt(crtpath, err, "out_base", "%s.crt", out_base)) !=
	        WAGE_OK ||
	    (rv = path_absent(keypath, "out_base", err)) != WAGE_OK ||
	    (rv = path_absent(crtpath, "out_base", err)) != WAGE_OK ||
	    (rv = out_dir_check(keypath, err)) != WAGE_OK ||
	    (rv = dir_lock(dir, &lockfd, err)) != WAGE_OK ||
	    (rv = ca_load(dir, &ca, err)) != WAGE_OK) {
		goto out;
	}
	until = now + (time_t) days * 86400;
	if (until > time_from_x509(&ca.crt.valid_to)) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "days",
		    "the certificate would outlive the CA, which expires "
		    "%04d-%02d-%02d",
		    ca.crt.valid_to.year, ca.crt.valid_to.mon,
		    ca.crt.valid_to.day);
		goto out;
	}
	if ((rv = serial_take(dir, &serial, err)) != WAGE_OK ||
	    (rv = rng_seed(&r, err)) != WAGE_OK ||
	    (rv = key_generate(&key, &r, err)) != WAGE_OK ||
	    (rv = serial_set(&w, serial, err)) != WAGE_OK ||
	    (rv = issuer_copy(&w, &ca.crt, err)) != WAGE_OK) {
		goto out;
	}

	/* Values are checked: no DN special characters need escaping. */
	snprintf(subject, sizeof(subject), "CN=%s,OU=%s,O=%s,L=%s", s->cn,
	    is_server ? PKI_SERVER_ROLE : s->role, s->org, s->region);
	time_fmt(now - SKEW_SECS, 0, from, sizeof(from));
	time_fmt(until, 0, to, sizeof(to));
	mbedtls_x509write_crt_set_version(&w, MBEDTLS_X509_CRT_VERSION_3);
	mbedtls_x509write_crt_set_md_alg(&w, MBEDTLS_MD_SHA256);
	mbedtls_x509write_crt_set_subject_key(&w, &key);
	mbedtls_x509write_crt_set_issuer_key(&w, &ca.key);
	if ((ret = mbedtls_x509write_crt_set_validity(&w, from, to)) != 0 ||
	    (ret = mbedtls_x509write_crt_set_subject_name(&w, subject)) != 0 ||
	    (ret = mbedtls_x509write_crt_set_basic_constraints(&w, 0, -1)) !=
	        0 ||
	    (ret = mbedtls_x509write_crt_set_subject_key_identifier(&w)) !=
	        0 ||
	    (ret = mbedtls_x509write_crt_set_authority_key_identifier(&w)) !=
	        0 ||
	    (ret = mbedtls_x509write_crt_set_key_usage(
	         &w, MBEDTLS_X509_KU_DIGITAL_SIGNATURE)) != 0) {
		rv = mbed_fail(err, NULL, ret, "building the certificate");
		goto out;
	}
	/* mbedTLS 2.28 has no writer for extendedKeyUsage nor for SAN. */
	p = ext + sizeof(ext);
	if ((len = asn1_write_eku(&p, ext, is_server)) < 0 ||
	    (len = mbedtls_x509write_crt_set_extension(&w,
	         MBEDTLS_OID_EXTENDED_KEY_USAGE,
	         MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE), 0, p,
	         (size_t) len)) != 0) {
		rv = mbed_fail(err, NULL, len, "extendedKeyUsage");
		goto out;
	}
	p = ext + sizeof(ext);
	if (is_server &&
	    ((len = asn1_write_san(&p, ext, dns, ndns, ips,
	          (const unsigned char(*)[16]) ipbin, iplen, nips)) < 0 ||
	        (len = mbedtls_x509write_crt_set_extension(&w,
	             MBEDTLS_OID_SUBJECT_ALT_NAME,
	             MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0, p,
	             (size_t) len)) != 0)) {
		rv = mbed_fail(err, NULL, len, "subjectAltName");
		goto out;
	}
	if ((pem = malloc(CRT_PEM_MAX)) == NULL) {
		rv = sys_fail(err, NULL, "malloc");
		goto out;
	}
	if ((ret = mbedtls_x509write_crt_pem(&w, pem, CRT_PEM_MAX,
	         mbedtls_ctr_drbg_random, &r.drbg)) != 0) {
		rv = mbed_fail(err, NULL, ret, "mbedtls_x509write_crt_pem");
		goto out;
	}
	/* Never hand out a certificate that does not verify against the CA. */
	if ((ret = mbedtls_x509_crt_parse(
	         &chk, pem, strlen((char *) pem) + 1)) != 0 ||
	    (ret = mbedtls_x509_crt_verify(
	         &chk, &ca.crt, NULL, NULL, &flags, NULL, NULL)) != 0) {
		rv = mbed_fail(err, NULL, ret,
		    "the new certificate does not verify (flags 0x%x)", flags);
		goto out;
	}
	if ((rv = key_write(keypath, &key, "out_base", err)) != WAGE_OK) {
		goto out;
	}
	key_written = 1;
	if ((rv = file_write(crtpath, pem, strlen((char *) pem), 0644, 1,
	         "out_base", err)) != WAGE_OK) {
		goto out;
	}
	key_written = 0;

out:
	if (key_written) {
		unlink(keypath); /* no key without its certificate */
	}
	if (lockfd >= 0) {
		close(lockfd);
	}
	free(pem);
	mbedtls_x509_crt_free(&chk);
	mbedtls_x509write_crt_free(&w);
	mbedtls_pk_free(&key);
	ca_fini(&ca);
	rng_fini(&r);
	return (rv);
}

/* issued_by checks that crt carries the CA's signature. */
static int
issued_by(const mbedtls_x509_crt *crt, struct ca *ca)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(crt->sig_md);
	unsigned char            hash[MBEDTLS_MD_MAX_SIZE];

	if (md == NULL || crt->issuer_raw.len != ca->crt.subject_raw.len ||
	    memcmp(crt->issuer_raw.p, ca->crt.subject_raw.p,
	        crt->issuer_raw.len) != 0) {
		return (0);
	}
	if (mbedtls_md(md, crt->tbs.p, crt->tbs.len, hash) != 0) {
		return (0);
	}
	return (mbedtls_pk_verify_ext(crt->sig_pk, crt->sig_opts, &ca->crt.pk,
	            crt->sig_md, hash, mbedtls_md_get_size(md), crt->sig.p,
	            crt->sig.len) == 0);
}

int
pki_revoke(const char *dir, const char *cert_path, struct wage_error *err)
{
	char             path[PATH_MAX];
	char             line[2 * SERIAL_MAX_BYTES + 32];
	char             when[32];
	struct rng       r;
	struct ca        ca;
	struct revoked  *rl   = NULL;
	unsigned char   *old  = NULL;
	unsigned char   *nbuf = NULL;
	mbedtls_x509_crt crt;
	size_t           n      = 0;
	size_t           oldlen = 0;
	size_t           i;
	size_t           off;
	int              lockfd = -1;
	int              rv;

	wage_err_clear(err);
	rng_init(&r);
	ca_init(&ca);
	mbedtls_x509_crt_init(&crt);

	if ((rv = check_dir(dir, err)) != WAGE_OK) {
		goto out;
	}
	if (cert_path == NULL || *cert_path == '\0') {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "cert_path",
		    "the certificate file must be given");
		goto out;
	}
	if ((rv = dir_lock(dir, &lockfd, err)) != WAGE_OK ||
	    (rv = ca_load(dir, &ca, err)) != WAGE_OK ||
	    (rv = crt_load(cert_path, &crt, "cert_path", err)) != WAGE_OK) {
		goto out;
	}
	if (!issued_by(&crt, &ca)) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "cert_path",
		    "%s was not issued by the CA in %s", cert_path, dir);
		goto out;
	}
	if (crt.raw.len == ca.crt.raw.len &&
	    memcmp(crt.raw.p, ca.crt.raw.p, crt.raw.len) == 0) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "cert_path",
		    "%s is the CA certificate itself: make a new CA instead",
		    cert_path);
		goto out;
	}
	if (crt.serial.len == 0 || crt.serial.len > SERIAL_MAX_BYTES) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "cert_path",
		    "%s: serial number longer than %d bytes", cert_path,
		    SERIAL_MAX_BYTES);
		goto out;
	}
	if ((rv = revoked_load(dir, &rl, &n, err)) != WAGE_OK) {
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (rl[i].len == crt.serial.len &&
		    memcmp(rl[i].serial, crt.serial.p, crt.serial.len) == 0) {
			break;
		}
	}
	if (i == n) {
		/* Append by rewriting: revoked.txt is never half written. */
		off = 0;
		for (i = 0; i < crt.serial.len; i++) {
			off += (size_t) snprintf(line + off,
			    sizeof(line) - off, "%02X", crt.serial.p[i]);
		}
		time_fmt(time(NULL), 1, when, sizeof(when));
		snprintf(line + off, sizeof(line) - off, " %s\n", when);
		if ((rv = path_fmt(path, err, "dir", "%s/revoked.txt", dir)) !=
		        WAGE_OK ||
		    (rv = file_read(path, 0, "dir", &old, &oldlen, err)) !=
		        WAGE_OK) {
			goto out;
		}
		if ((nbuf = malloc(oldlen + strlen(line) + 2)) == NULL) {
			rv = sys_fail(err, "dir", "malloc");
			goto out;
		}
		memcpy(nbuf, old, oldlen);
		off = oldlen;
		if (off > 0 && nbuf[off - 1] != '\n') {
			nbuf[off++] = '\n';
		}
		memcpy(nbuf + off, line, strlen(line));
		off += strlen(line);
		if ((rv = file_write(path, nbuf, off, 0644, 0, "dir", err)) !=
		    WAGE_OK) {
			goto out;
		}
	}
	if ((rv = rng_seed(&r, err)) != WAGE_OK) {
		goto out;
	}
	rv = crl_update(dir, &ca, PKI_CRL_DAYS, &r, err);

out:
	if (lockfd >= 0) {
		close(lockfd);
	}
	free(nbuf);
	buf_free(old, oldlen);
	free(rl);
	mbedtls_x509_crt_free(&crt);
	ca_fini(&ca);
	rng_fini(&r);
	return (rv);
}

int
pki_write_crl(const char *dir, int days, struct wage_error *err)
{
	struct rng r;
	struct ca  ca;
	int        lockfd = -1;
	int        rv;

	wage_err_clear(err);
	rng_init(&r);
	ca_init(&ca);
	if ((rv = check_dir(dir, err)) != WAGE_OK ||
	    (rv = check_days(days, err)) != WAGE_OK ||
	    (rv = dir_lock(dir, &lockfd, err)) != WAGE_OK ||
	    (rv = ca_load(dir, &ca, err)) != WAGE_OK ||
	    (rv = rng_seed(&r, err)) != WAGE_OK) {
		goto out;
	}
	rv = crl_update(dir, &ca, days, &r, err);

out:
	if (lockfd >= 0) {
		close(lockfd);
	}
	ca_fini(&ca);
	rng_fini(&r);
	return (rv);
}

int
pki_sign(const char *key_path, const unsigned char *msg, size_t len,
    unsigned char *sig, size_t sigsz, size_t *siglen, struct wage_error *err)
{
	unsigned char      hash[32];
	unsigned char      tmp[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	struct rng         r;
	mbedtls_pk_context key;
	size_t             n = 0;
	int                ret;
	int                rv;

	wage_err_clear(err);
	rng_init(&r);
	mbedtls_pk_init(&key);
	if (siglen != NULL) {
		*siglen = 0;
	}
	if (key_path == NULL || *key_path == '\0') {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "key_path",
		    "the private key file must be given");
		goto out;
	}
	if ((msg == NULL && len > 0) || sig == NULL || siglen == NULL) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, NULL,
		    "pki_sign needs a message and a signature buffer");
		goto out;
	}
	if ((rv = key_load(key_path, &key, "key_path", err)) != WAGE_OK ||
	    (rv = rng_seed(&r, err)) != WAGE_OK) {
		goto out;
	}
	if ((ret = mbedtls_sha256_ret(msg, len, hash, 0)) != 0 ||
	    (ret = mbedtls_pk_sign(&key, MBEDTLS_MD_SHA256, hash, sizeof(hash),
	         tmp, &n, mbedtls_ctr_drbg_random, &r.drbg)) != 0) {
		rv = mbed_fail(
		    err, NULL, ret, "mbedtls_pk_sign with %s", key_path);
		goto out;
	}
	if (n > sigsz) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, NULL,
		    "the signature needs %zu bytes, the buffer has %zu", n,
		    sigsz);
		goto out;
	}
	memcpy(sig, tmp, n);
	*siglen = n;

out:
	mbedtls_pk_free(&key);
	rng_fini(&r);
	return (rv);
}

int
pki_verify(const unsigned char *cert_pem, size_t cert_len,
    const unsigned char *msg, size_t len, const unsigned char *sig,
    size_t siglen)
{
	unsigned char    copy[WAGE_MAX_CERT_PEM + 1];
	unsigned char    hash[32];
	mbedtls_x509_crt crt;
	int              rv = WAGE_E_BAD_SIGNATURE;
	int              ret;

	if (cert_pem == NULL || cert_len == 0 || (msg == NULL && len > 0) ||
	    sig == NULL || siglen == 0) {
		return (WAGE_E_BAD_SIGNATURE);
	}
	mbedtls_x509_crt_init(&crt);
	if (cert_pem[0] ==
	    (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) {
		ret = mbedtls_x509_crt_parse_der(&crt, cert_pem, cert_len);
	} else {
		/* PEM needs the NUL, which callers often leave out. */
		if (cert_pem[cert_len - 1] == '\0') {
			cert_len--;
		}
		if (cert_len > WAGE_MAX_CERT_PEM) {
			goto out;
		}
		memcpy(copy, cert_pem, cert_len);
		copy[cert_len] = '\0';
		ret = mbedtls_x509_crt_parse(&crt, copy, cert_len + 1);
	}
	if (ret != 0) {
		goto out;
	}
	if (mbedtls_sha256_ret(msg, len, hash, 0) == 0 &&
	    mbedtls_pk_verify(&crt.pk, MBEDTLS_MD_SHA256, hash, sizeof(hash),
	        sig, siglen) == 0) {
		rv = WAGE_OK;
	}

out:
	mbedtls_x509_crt_free(&crt);
	return (rv);
}
