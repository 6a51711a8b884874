/* SPDX-License-Identifier: MIT */
/*
 * seal.c - AES-256-GCM boxes for personal data, and the data key file.
 * Owns: the data key's file format and the box format. Must not: log or
 * keep plaintext beyond the call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/base64.h>
#include <mbedtls/gcm.h>
#include <mbedtls/platform_util.h>

#include "auth.h"
#include "config.h"
#include "seal.h"

#define NONCE_LEN 12
#define TAG_LEN   16
#define MAX_PLAIN 64
#define AAD       "wage-server personal data v1"

static int
hexval(int c)
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

int
seal_key_load(const char *path, unsigned char key[SEAL_KEY_LEN], FILE *diag)
{
	char   hex[2 * SEAL_KEY_LEN + 2];
	int    fd, i, hi, lo;
	size_t n;
	FILE  *f;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd >= 0) {
		/* First start: make the key. */
		if (auth_random(key, SEAL_KEY_LEN) != 0) {
			close(fd);
			unlink(path);
			return (-1);
		}
		for (i = 0; i < SEAL_KEY_LEN; i++) {
			snprintf(hex + 2 * i, 3, "%02x", key[i]);
		}
		hex[2 * SEAL_KEY_LEN]     = '\n';
		hex[2 * SEAL_KEY_LEN + 1] = '\0';
		n                         = strlen(hex);
		if (write(fd, hex, n) != (ssize_t) n || fsync(fd) != 0) {
			fprintf(diag, "%s: cannot write the data key: %s\n",
			    path, strerror(errno));
			close(fd);
			unlink(path);
			return (-1);
		}
		close(fd);
		mbedtls_platform_zeroize(hex, sizeof(hex));
		return (0);
	}
	if (errno != EEXIST) {
		fprintf(diag, "%s: cannot create the data key: %s\n", path,
		    strerror(errno));
		return (-1);
	}
	if (config_check_secret(path, diag) != 0) {
		return (-1);
	}
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(diag, "%s: %s\n", path, strerror(errno));
		return (-1);
	}
	n = fread(hex, 1, sizeof(hex) - 1, f);
	fclose(f);
	hex[n] = '\0';
	if (n < 2 * SEAL_KEY_LEN) {
		goto bad;
	}
	for (i = 0; i < SEAL_KEY_LEN; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			goto bad;
		}
		key[i] = (unsigned char) (hi * 16 + lo);
	}
	mbedtls_platform_zeroize(hex, sizeof(hex));
	return (0);
bad:
	mbedtls_platform_zeroize(hex, sizeof(hex));
	fprintf(diag, "%s: the data key must be 64 hexadecimal characters\n",
	    path);
	return (-1);
}

int
seal_box(const unsigned char key[SEAL_KEY_LEN], const char *text, char *out,
    size_t outlen)
{
	mbedtls_gcm_context gcm;
	unsigned char       buf[NONCE_LEN + MAX_PLAIN + TAG_LEN];
	size_t              n  = strlen(text), olen;
	int                 rc = -1;

	if (n > MAX_PLAIN) {
		return (-1);
	}
	if (auth_random(buf, NONCE_LEN) != 0) {
		return (-1);
	}
	mbedtls_gcm_init(&gcm);
	if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256) == 0 &&
	    mbedtls_gcm_crypt_and_tag(&gcm, MBEDTLS_GCM_ENCRYPT, n, buf,
	        NONCE_LEN, (const unsigned char *) AAD, strlen(AAD),
	        (const unsigned char *) text, buf + NONCE_LEN, TAG_LEN,
	        buf + NONCE_LEN + n) == 0 &&
	    mbedtls_base64_encode((unsigned char *) out, outlen, &olen, buf,
	        NONCE_LEN + n + TAG_LEN) == 0) {
		rc = 0;
	}
	mbedtls_gcm_free(&gcm);
	return (rc);
}

int
seal_open(const unsigned char key[SEAL_KEY_LEN], const char *box, char *out,
    size_t outlen)
{
	mbedtls_gcm_context gcm;
	unsigned char       buf[NONCE_LEN + MAX_PLAIN + TAG_LEN + 4];
	size_t              len, n;
	int                 rc = -1;

	if (mbedtls_base64_decode(buf, sizeof(buf), &len,
	        (const unsigned char *) box, strlen(box)) != 0 ||
	    len < NONCE_LEN + TAG_LEN) {
		return (-1);
	}
	n = len - NONCE_LEN - TAG_LEN;
	if (n + 1 > outlen) {
		return (-1);
	}
	mbedtls_gcm_init(&gcm);
	if (mbedtls_gcm_setkey(&gcm, MBEDTLS_CIPHER_ID_AES, key, 256) == 0 &&
	    mbedtls_gcm_auth_decrypt(&gcm, n, buf, NONCE_LEN,
	        (const unsigned char *) AAD, strlen(AAD), buf + NONCE_LEN + n,
	        TAG_LEN, buf + NONCE_LEN, (unsigned char *) out) == 0) {
		out[n] = '\0';
		rc     = 0;
	}
	mbedtls_gcm_free(&gcm);
	mbedtls_platform_zeroize(buf, sizeof(buf));
	return (rc);
}
