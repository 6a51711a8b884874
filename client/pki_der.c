/* SPDX-License-Identifier: MIT */
/*
 * pki_der.c - the DER that mbedTLS 2.28 has no writer for: the values of
 * the extendedKeyUsage and subjectAltName extensions, and the whole X.509
 * v2 CRL (RFC 5280 5.1), hashed, signed and wrapped in PEM here.
 * Owns: the encoding, written backwards with mbedtls_asn1_write_*.
 * Must not: touch files (pki_file.c writes crl.pem) or hand out a CRL
 * that mbedTLS itself would not parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/asn1write.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "pki_int.h"

#define PEM_BEGIN_CRL "-----BEGIN X509 CRL-----\n"
#define PEM_END_CRL   "-----END X509 CRL-----\n"
#define ASN1_CTX(n)   (MBEDTLS_ASN1_CONTEXT_SPECIFIC | (n))
#define ASN1_SEQ      (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)
#define GN_DNS        2 /* GeneralName dNSName [2] IA5String */
#define GN_IP         7 /* GeneralName iPAddress [7] OCTET STRING */

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
	pki_time_fmt(t, 1, s, sizeof(s));
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
int
pki_der_san(unsigned char **p, unsigned char *start, const char *const *dns,
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
int
pki_der_eku(unsigned char **p, unsigned char *start, int is_server)
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
 * pki_der_crl makes the PEM CRL for the CA (crt, key) listing rl[0..n).
 * *pemp is a new NUL-terminated buffer of *pemlenp bytes (without NUL).
 */
int
pki_der_crl(const mbedtls_x509_crt *crt, mbedtls_pk_context *key,
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
		rv = pki_sys_fail(err, NULL, "malloc for the CRL");
		goto out;
	}
	if ((ret = key_id(&crt->pk, akid)) != 0) {
		rv = pki_mbed_fail(err, NULL, ret, "CA key id");
		goto out;
	}
	p = tbsbuf + tbssz;
	tbslen =
	    asn1_write_tbs_crl(&p, tbsbuf, crt, akid, time(NULL), days, rl, n);
	if (tbslen < 0) {
		rv = pki_mbed_fail(err, NULL, tbslen, "writing the CRL");
		goto out;
	}
	if ((ret = mbedtls_sha256_ret(p, (size_t) tbslen, hash, 0)) != 0 ||
	    (ret = mbedtls_pk_sign(key, MBEDTLS_MD_SHA256, hash, sizeof(hash),
	         sig, &siglen, mbedtls_ctr_drbg_random, &r->drbg)) != 0) {
		rv = pki_mbed_fail(err, NULL, ret, "signing the CRL");
		goto out;
	}
	{
		unsigned char *q = derbuf + dersz;

		derlen = asn1_write_crl(
		    &q, derbuf, p, (size_t) tbslen, sig, siglen);
		if (derlen < 0) {
			rv = pki_mbed_fail(
			    err, NULL, derlen, "writing the CRL");
			goto out;
		}
		ret = mbedtls_pem_write_buffer(PEM_BEGIN_CRL, PEM_END_CRL, q,
		    (size_t) derlen, pem, pemsz, &olen);
		if (ret != 0) {
			rv = pki_mbed_fail(
			    err, NULL, ret, "mbedtls_pem_write_buffer");
			goto out;
		}
	}
	/* Never hand out a CRL that our own verifier would refuse. */
	if ((ret = mbedtls_x509_crl_parse(&chk, pem, olen)) != 0) {
		rv = pki_mbed_fail(
		    err, NULL, ret, "the new CRL does not parse");
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
