/* SPDX-License-Identifier: MIT */
/*
 * auditfmt.c - the canonical forms and hashes of the audit export format
 * (auditfmt.h): one definition for the server that writes and signs the
 * chain and for the offline check that reads it back.
 * Owns: the serialisation that is hashed and the bytes a checkpoint signs.
 * Must not: read or write files, talk to LMDB or a server, sign or verify
 * (server/checkpoint.c signs, client/auditlog.c verifies).
 */
#include <stdlib.h>
#include <string.h>

#include <mbedtls/sha256.h>

#include "auditfmt.h"
#include "wage/protocol.h"

static void
hex32(const unsigned char *in, char *out)
{
	static const char d[] = "0123456789abcdef";
	int               i;

	for (i = 0; i < 32; i++) {
		out[2 * i]     = d[in[i] >> 4];
		out[2 * i + 1] = d[in[i] & 15];
	}
	out[64] = '\0';
}

void
auditfmt_text_hash(const char *text, size_t len, char hex[65])
{
	unsigned char sum[32];

	mbedtls_sha256_ret((const unsigned char *) text, len, sum, 0);
	hex32(sum, hex);
}

int
auditfmt_canonical_hash(const json_t *v, char hex[65])
{
	unsigned char sum[32];
	char         *text;

	text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (text == NULL) {
		return (WAGE_E_INTERNAL);
	}
	mbedtls_sha256_ret((const unsigned char *) text, strlen(text), sum, 0);
	free(text);
	hex32(sum, hex);
	return (WAGE_OK);
}

int
auditfmt_event_hash(const json_t *ev, char hex[65])
{
	json_t *copy;
	int     rc;

	if ((copy = json_copy((json_t *) ev)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_object_del(copy, "hash");
	json_object_del(copy, "type"); /* export framing, not content */
	rc = auditfmt_canonical_hash(copy, hex);
	json_decref(copy);
	return (rc);
}

int
auditfmt_checkpoint_digest(
    json_int_t seq, const char *head, const char *time, unsigned char out[32])
{
	mbedtls_sha256_context sha;
	json_t                *o;
	char                  *text;

	o = json_pack(
	    "{s:s, s:I, s:s}", "head", head, "seq", seq, "time", time);
	if (o == NULL) {
		return (WAGE_E_INTERNAL);
	}
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	if (text == NULL) {
		return (WAGE_E_INTERNAL);
	}
	mbedtls_sha256_init(&sha);
	mbedtls_sha256_starts_ret(&sha, 0);
	mbedtls_sha256_update_ret(&sha,
	    (const unsigned char *) AUDITFMT_CHECKPOINT_CONTEXT,
	    strlen(AUDITFMT_CHECKPOINT_CONTEXT));
	mbedtls_sha256_update_ret(
	    &sha, (const unsigned char *) text, strlen(text));
	mbedtls_sha256_finish_ret(&sha, out);
	mbedtls_sha256_free(&sha);
	free(text);
	return (WAGE_OK);
}
