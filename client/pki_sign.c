/* SPDX-License-Identifier: MIT */
/*
 * pki_sign.c - the login signature: the client signs the server's
 * challenge with its key file (pki_sign), the server checks it with the
 * client's certificate (pki_verify).
 * Owns: ECDSA over SHA-256 of the message. Must not: verify the
 * certificate itself (the caller checks it against the CA and CRL), touch
 * a CA directory, or say why a signature failed beyond
 * WAGE_E_BAD_SIGNATURE.
 */
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crt.h>

#include "pki_int.h"

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
	pki_rng_init(&r);
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
	if ((rv = pki_file_key_load(key_path, &key, "key_path", err)) !=
	        WAGE_OK ||
	    (rv = pki_rng_seed(&r, err)) != WAGE_OK) {
		goto out;
	}
	if ((ret = mbedtls_sha256_ret(msg, len, hash, 0)) != 0 ||
	    (ret = mbedtls_pk_sign(&key, MBEDTLS_MD_SHA256, hash, sizeof(hash),
	         tmp, &n, mbedtls_ctr_drbg_random, &r.drbg)) != 0) {
		rv = pki_mbed_fail(
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
	pki_rng_fini(&r);
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
