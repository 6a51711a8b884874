/* SPDX-License-Identifier: MIT */
/*
 * seal.c - AES-256-GCM boxes for personal data, and the key files (the
 * data key, the token key). Owns: the key file format and the box format. Must
 * not: log or keep plaintext beyond the call.
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

/* key_hex writes key as 64 hex characters and a newline into hex. */
static size_t
key_hex(const unsigned char key[SEAL_KEY_LEN], char hex[2 * SEAL_KEY_LEN + 2])
{
	int i;

	for (i = 0; i < SEAL_KEY_LEN; i++) {
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	}
	hex[2 * SEAL_KEY_LEN]     = '\n';
	hex[2 * SEAL_KEY_LEN + 1] = '\0';
	return (2 * SEAL_KEY_LEN + 1);
}

/* Writes the key into the open fd and syncs it; 0 or -1 with errno. */
static int
key_put(int fd, const unsigned char key[SEAL_KEY_LEN])
{
	char   hex[2 * SEAL_KEY_LEN + 2];
	size_t n = key_hex(key, hex);
	int    rc;

	rc = write(fd, hex, n) == (ssize_t) n && fsync(fd) == 0 ? 0 : -1;
	mbedtls_platform_zeroize(hex, sizeof(hex));
	return (rc);
}

int
seal_key_load(
    const char *path, unsigned char key[SEAL_KEY_LEN], int create, FILE *diag)
{
	char   hex[2 * SEAL_KEY_LEN + 2];
	int    fd, i, hi, lo;
	size_t n;
	FILE  *f;

	if (!create && access(path, F_OK) != 0 && errno == ENOENT) {
		return (SEAL_KEY_MISSING);
	}
	fd = create
	    ? open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600)
	    : -1;
	if (fd >= 0) {
		/* First start: make the key. O_EXCL, so that two starting
		 * processes never each make their own. */
		if (auth_random(key, SEAL_KEY_LEN) != 0) {
			close(fd);
			unlink(path);
			return (-1);
		}
		if (key_put(fd, key) != 0) {
			fprintf(diag, "%s: cannot write the key: %s\n", path,
			    strerror(errno));
			close(fd);
			unlink(path);
			mbedtls_platform_zeroize(key, SEAL_KEY_LEN);
			return (-1);
		}
		close(fd);
		return (0);
	}
	if (create && errno != EEXIST) {
		fprintf(diag, "%s: cannot create the key: %s\n", path,
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
	/* 64 hex characters, then at most a newline. */
	if (n < 2 * SEAL_KEY_LEN ||
	    (n > 2 * SEAL_KEY_LEN && hex[2 * SEAL_KEY_LEN] != '\n')) {
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
	mbedtls_platform_zeroize(key, SEAL_KEY_LEN);
	fprintf(diag,
	    "%s: a key file must hold 64 hexadecimal characters (and a "
	    "newline)\n",
	    path);
	return (-1);
}

int
seal_key_replace(const char *path, unsigned char key[SEAL_KEY_LEN], FILE *diag)
{
	char  tmp[4096], dir[4096];
	char *slash;
	int   fd, dfd, n;

	n = snprintf(tmp, sizeof(tmp), "%s.new%ld", path, (long) getpid());
	if (n < 0 || (size_t) n >= sizeof(tmp)) {
		fprintf(diag, "%s: path too long\n", path);
		return (-1);
	}
	if (auth_random(key, SEAL_KEY_LEN) != 0) {
		fprintf(diag, "%s: no random bytes for a new key\n", path);
		return (-1);
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0 || key_put(fd, key) != 0) {
		fprintf(diag, "%s: cannot write the new key: %s\n", tmp,
		    strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		mbedtls_platform_zeroize(key, SEAL_KEY_LEN);
		return (-1);
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		fprintf(diag, "%s: cannot replace the key: %s\n", path,
		    strerror(errno));
		unlink(tmp);
		mbedtls_platform_zeroize(key, SEAL_KEY_LEN);
		return (-1);
	}
	/* The rename itself must reach the disk. */
	snprintf(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*(slash == dir ? slash + 1 : slash) = '\0';
	} else {
		snprintf(dir, sizeof(dir), ".");
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		(void) fsync(dfd);
		close(dfd);
	}
	return (0);
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
