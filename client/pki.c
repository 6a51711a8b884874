/* SPDX-License-Identifier: MIT */
/*
 * pki.c - the project's own certificate authority on mbedTLS 2.28.
 * Owns: the CA operations of pki.h (pki_init, pki_issue, pki_revoke,
 * pki_write_crl): building the CA and issued certificates with
 * mbedtls_x509write, serials and revocation; and what the other pki*.c
 * files share: the error helpers, time text and randomness (pki_int.h).
 * Must not: run the openssl CLI, log, keep state between calls, or let an
 * mbedTLS error code escape (they become WAGE_E_* with the text in err).
 * Input checks are in pki_check.c, the CA directory files in pki_file.c,
 * the DER mbedTLS cannot write in pki_der.c, the login signature in
 * pki_sign.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* timegm */
#endif

#include <sys/stat.h>

#include <errno.h>
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
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "pki_int.h"

#define CA_ORG      "wage-server development CA"
#define SKEW_SECS   300   /* notBefore backdating for clock skew */
#define CRT_PEM_MAX 16384 /* a certificate with PKI_MAX_NAMES names */

/* Error helpers: one place that turns errno or an mbedTLS code into text. */

int
pki_mbed_fail(
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

int
pki_sys_fail(struct wage_error *err, const char *field, const char *fmt, ...)
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

/* pki_path_fmt formats a path into out[PATH_MAX], refusing truncation. */
int
pki_path_fmt(
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

/* Time helpers. All times are UTC. */

/* pki_time_fmt writes t as YYYYMMDDHHMMSS, with a trailing Z if zulu. */
void
pki_time_fmt(time_t t, int zulu, char *out, size_t sz)
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

/* Randomness: CTR-DRBG seeded from the platform entropy sources. */

void
pki_rng_init(struct rng *r)
{
	mbedtls_entropy_init(&r->entropy);
	mbedtls_ctr_drbg_init(&r->drbg);
}

int
pki_rng_seed(struct rng *r, struct wage_error *err)
{
	static const char pers[] = "wage-server pki";
	int               ret;

	ret = mbedtls_ctr_drbg_seed(&r->drbg, mbedtls_entropy_func,
	    &r->entropy, (const unsigned char *) pers, sizeof(pers) - 1);
	if (ret != 0) {
		return (
		    pki_mbed_fail(err, NULL, ret, "mbedtls_ctr_drbg_seed"));
	}
	return (WAGE_OK);
}

void
pki_rng_fini(struct rng *r)
{
	mbedtls_ctr_drbg_free(&r->drbg);
	mbedtls_entropy_free(&r->entropy);
}

/* Certificate building blocks. */

static int
key_generate(mbedtls_pk_context *pk, struct rng *r, struct wage_error *err)
{
	int ret;

	ret =
	    mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
	if (ret != 0) {
		return (pki_mbed_fail(err, NULL, ret, "mbedtls_pk_setup"));
	}
	ret = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(*pk),
	    mbedtls_ctr_drbg_random, &r->drbg);
	if (ret != 0) {
		return (pki_mbed_fail(err, NULL, ret, "mbedtls_ecp_gen_key"));
	}
	return (WAGE_OK);
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
		return (pki_mbed_fail(err, NULL, ret, "set serial"));
	}
	return (WAGE_OK);
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
	pki_rng_init(&r);
	mbedtls_pk_init(&key);
	mbedtls_x509write_crt_init(&w);
	mbedtls_x509_crt_init(&crt);

	if ((rv = pki_check_dir(dir, err)) != WAGE_OK ||
	    (rv = pki_check_name("ca_name", ca_name, err)) != WAGE_OK ||
	    (rv = pki_path_fmt(keypath, err, "dir", "%s/ca.key", dir)) !=
	        WAGE_OK) {
		goto out;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		rv = pki_sys_fail(err, "dir", "mkdir %s", dir);
		goto out;
	}
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dir",
		    "%s: not a directory", dir);
		goto out;
	}
	if ((rv = pki_file_lock(dir, &lockfd, err)) != WAGE_OK) {
		goto out;
	}
	if (lstat(keypath, &st) == 0) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dir",
		    "%s already exists: this directory already holds a CA",
		    keypath);
		goto out;
	}
	if ((rv = pki_rng_seed(&r, err)) != WAGE_OK ||
	    (rv = key_generate(&key, &r, err)) != WAGE_OK ||
	    (rv = serial_set(&w, PKI_CA_SERIAL, err)) != WAGE_OK) {
		goto out;
	}

	snprintf(subject, sizeof(subject), "CN=%s,O=%s", ca_name, CA_ORG);
	pki_time_fmt(now - SKEW_SECS, 0, from, sizeof(from));
	pki_time_fmt(now + (time_t) PKI_CA_DAYS * 86400, 0, to, sizeof(to));
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
		rv = pki_mbed_fail(
		    err, NULL, ret, "building the CA certificate");
		goto out;
	}
	if ((pem = malloc(CRT_PEM_MAX)) == NULL) {
		rv = pki_sys_fail(err, NULL, "malloc");
		goto out;
	}
	if ((ret = mbedtls_x509write_crt_pem(&w, pem, CRT_PEM_MAX,
	         mbedtls_ctr_drbg_random, &r.drbg)) != 0) {
		rv =
		    pki_mbed_fail(err, NULL, ret, "mbedtls_x509write_crt_pem");
		goto out;
	}
	if ((ret = mbedtls_x509_crt_parse(
	         &crt, pem, strlen((char *) pem) + 1)) != 0) {
		rv = pki_mbed_fail(err, NULL, ret, "the new CA certificate");
		goto out;
	}
	if ((rv = pki_der_crl(&crt, &key, NULL, 0, PKI_CRL_DAYS, &r, &crlpem,
	         &crllen, err)) != WAGE_OK) {
		goto out;
	}

	/* ca.key last: its presence means "initialised", so a rerun works. */
	if ((rv = pki_path_fmt(path, err, "dir", "%s/ca.crt", dir)) !=
	        WAGE_OK ||
	    (rv = pki_file_write(path, pem, strlen((char *) pem), 0644, 0,
	         "dir", err)) != WAGE_OK ||
	    (rv = pki_path_fmt(path, err, "dir", "%s/serial", dir)) !=
	        WAGE_OK ||
	    (rv = pki_file_write(path, "02\n", 3, 0644, 0, "dir", err)) !=
	        WAGE_OK ||
	    (rv = pki_path_fmt(path, err, "dir", "%s/revoked.txt", dir)) !=
	        WAGE_OK ||
	    (rv = pki_file_write(path, "", 0, 0644, 0, "dir", err)) !=
	        WAGE_OK ||
	    (rv = pki_path_fmt(path, err, "dir", "%s/crl.pem", dir)) !=
	        WAGE_OK ||
	    (rv = pki_file_write(path, crlpem, crllen, 0644, 0, "dir", err)) !=
	        WAGE_OK ||
	    (rv = pki_file_key_write(keypath, &key, "dir", err)) != WAGE_OK) {
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
	pki_rng_fini(&r);
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
			return (pki_sys_fail(err, NULL, "issuer name"));
		}
		d->val.tag = n->val.tag;
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
	pki_rng_init(&r);
	ca_init(&ca);
	mbedtls_pk_init(&key);
	mbedtls_x509write_crt_init(&w);
	mbedtls_x509_crt_init(&chk);

	if ((rv = pki_check_dir(dir, err)) != WAGE_OK ||
	    (rv = pki_check_issue(s, is_server, dns, ndns, ips, nips, days,
	         out_base, ipbin, iplen, err)) != WAGE_OK ||
	    (rv = pki_path_fmt(
	         keypath, err, "out_base", "%s.key", out_base)) != WAGE_OK ||
	    (rv = pki_path_fmt(
	         crtpath, err, "out_base", "%s.crt", out_base)) != WAGE_OK ||
	    (rv = pki_file_absent(keypath, "out_base", err)) != WAGE_OK ||
	    (rv = pki_file_absent(crtpath, "out_base", err)) != WAGE_OK ||
	    (rv = pki_file_out_dir(keypath, err)) != WAGE_OK ||
	    (rv = pki_file_lock(dir, &lockfd, err)) != WAGE_OK ||
	    (rv = pki_file_ca_load(dir, &ca, err)) != WAGE_OK) {
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
	if ((rv = pki_file_serial_take(dir, &serial, err)) != WAGE_OK ||
	    (rv = pki_rng_seed(&r, err)) != WAGE_OK ||
	    (rv = key_generate(&key, &r, err)) != WAGE_OK ||
	    (rv = serial_set(&w, serial, err)) != WAGE_OK ||
	    (rv = issuer_copy(&w, &ca.crt, err)) != WAGE_OK) {
		goto out;
	}

	/* Values are checked: no DN special characters need escaping. */
	snprintf(subject, sizeof(subject), "CN=%s,OU=%s,O=%s,L=%s", s->cn,
	    is_server ? PKI_SERVER_ROLE : s->role, s->org, s->region);
	pki_time_fmt(now - SKEW_SECS, 0, from, sizeof(from));
	pki_time_fmt(until, 0, to, sizeof(to));
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
		rv = pki_mbed_fail(err, NULL, ret, "building the certificate");
		goto out;
	}
	/* mbedTLS 2.28 has no writer for extendedKeyUsage nor for SAN. */
	p = ext + sizeof(ext);
	if ((len = pki_der_eku(&p, ext, is_server)) < 0 ||
	    (len = mbedtls_x509write_crt_set_extension(&w,
	         MBEDTLS_OID_EXTENDED_KEY_USAGE,
	         MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE), 0, p,
	         (size_t) len)) != 0) {
		rv = pki_mbed_fail(err, NULL, len, "extendedKeyUsage");
		goto out;
	}
	p = ext + sizeof(ext);
	if (is_server &&
	    ((len = pki_der_san(&p, ext, dns, ndns, ips,
	          (const unsigned char(*)[16]) ipbin, iplen, nips)) < 0 ||
	        (len = mbedtls_x509write_crt_set_extension(&w,
	             MBEDTLS_OID_SUBJECT_ALT_NAME,
	             MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0, p,
	             (size_t) len)) != 0)) {
		rv = pki_mbed_fail(err, NULL, len, "subjectAltName");
		goto out;
	}
	if ((pem = malloc(CRT_PEM_MAX)) == NULL) {
		rv = pki_sys_fail(err, NULL, "malloc");
		goto out;
	}
	if ((ret = mbedtls_x509write_crt_pem(&w, pem, CRT_PEM_MAX,
	         mbedtls_ctr_drbg_random, &r.drbg)) != 0) {
		rv =
		    pki_mbed_fail(err, NULL, ret, "mbedtls_x509write_crt_pem");
		goto out;
	}
	/* Never hand out a certificate that does not verify against the CA. */
	if ((ret = mbedtls_x509_crt_parse(
	         &chk, pem, strlen((char *) pem) + 1)) != 0 ||
	    (ret = mbedtls_x509_crt_verify(
	         &chk, &ca.crt, NULL, NULL, &flags, NULL, NULL)) != 0) {
		rv = pki_mbed_fail(err, NULL, ret,
		    "the new certificate does not verify (flags 0x%x)", flags);
		goto out;
	}
	if ((rv = pki_file_key_write(keypath, &key, "out_base", err)) !=
	    WAGE_OK) {
		goto out;
	}
	key_written = 1;
	if ((rv = pki_file_write(crtpath, pem, strlen((char *) pem), 0644, 1,
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
	pki_rng_fini(&r);
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
	char             line[2 * PKI_SERIAL_MAX + 32];
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
	pki_rng_init(&r);
	ca_init(&ca);
	mbedtls_x509_crt_init(&crt);

	if ((rv = pki_check_dir(dir, err)) != WAGE_OK) {
		goto out;
	}
	if (cert_path == NULL || *cert_path == '\0') {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "cert_path",
		    "the certificate file must be given");
		goto out;
	}
	if ((rv = pki_file_lock(dir, &lockfd, err)) != WAGE_OK ||
	    (rv = pki_file_ca_load(dir, &ca, err)) != WAGE_OK ||
	    (rv = pki_file_crt_load(cert_path, &crt, "cert_path", err)) !=
	        WAGE_OK) {
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
	if (crt.serial.len == 0 || crt.serial.len > PKI_SERIAL_MAX) {
		rv = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "cert_path",
		    "%s: serial number longer than %d bytes", cert_path,
		    PKI_SERIAL_MAX);
		goto out;
	}
	if ((rv = pki_file_revoked_load(dir, &rl, &n, err)) != WAGE_OK) {
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
		pki_time_fmt(time(NULL), 1, when, sizeof(when));
		snprintf(line + off, sizeof(line) - off, " %s\n", when);
		if ((rv = pki_path_fmt(path, err, "dir", "%s/revoked.txt",
		         dir)) != WAGE_OK ||
		    (rv = pki_file_read(path, 0, "dir", &old, &oldlen, err)) !=
		        WAGE_OK) {
			goto out;
		}
		if ((nbuf = malloc(oldlen + strlen(line) + 2)) == NULL) {
			rv = pki_sys_fail(err, "dir", "malloc");
			goto out;
		}
		memcpy(nbuf, old, oldlen);
		off = oldlen;
		if (off > 0 && nbuf[off - 1] != '\n') {
			nbuf[off++] = '\n';
		}
		memcpy(nbuf + off, line, strlen(line));
		off += strlen(line);
		if ((rv = pki_file_write(
		         path, nbuf, off, 0644, 0, "dir", err)) != WAGE_OK) {
			goto out;
		}
	}
	if ((rv = pki_rng_seed(&r, err)) != WAGE_OK) {
		goto out;
	}
	rv = pki_file_crl_update(dir, &ca, PKI_CRL_DAYS, &r, err);

out:
	if (lockfd >= 0) {
		close(lockfd);
	}
	free(nbuf);
	pki_file_free(old, oldlen);
	free(rl);
	mbedtls_x509_crt_free(&crt);
	ca_fini(&ca);
	pki_rng_fini(&r);
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
	pki_rng_init(&r);
	ca_init(&ca);
	if ((rv = pki_check_dir(dir, err)) != WAGE_OK ||
	    (rv = pki_check_days(days, err)) != WAGE_OK ||
	    (rv = pki_file_lock(dir, &lockfd, err)) != WAGE_OK ||
	    (rv = pki_file_ca_load(dir, &ca, err)) != WAGE_OK ||
	    (rv = pki_rng_seed(&r, err)) != WAGE_OK) {
		goto out;
	}
	rv = pki_file_crl_update(dir, &ca, days, &r, err);

out:
	if (lockfd >= 0) {
		close(lockfd);
	}
	ca_fini(&ca);
	pki_rng_fini(&r);
	return (rv);
}
