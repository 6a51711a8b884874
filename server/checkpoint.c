/* SPDX-License-Identifier: MIT */
/*
 * checkpoint.c - signing and checking checkpoints of the audit chain.
 * Owns: the server's signing key in memory and the checkpoints database.
 * Must not: change events.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/x509_crt.h>

#include "audit.h"
#include "auditfmt.h"
#include "checkpoint.h"
#include "fileio.h"
#include "log.h"
#include "store.h"

struct checkpoint_signer {
	mbedtls_pk_context       key;
	mbedtls_x509_crt         crt;
	mbedtls_entropy_context  entropy;
	mbedtls_ctr_drbg_context drbg;
	pthread_mutex_t          mtx;
	char                    *cert_pem;
	int                      every_events;
	int                      every_seconds;
};

void
checkpoint_key(json_int_t seq, unsigned char key[8])
{
	int i;

	for (i = 7; i >= 0; i--) {
		key[i] = (unsigned char) (seq & 0xff);
		seq >>= 8;
	}
}

int
checkpoint_signer_load(struct checkpoint_signer **sp, const char *key,
    const char *cert, int every_events, int every_seconds,
    struct wage_error *err)
{
	struct checkpoint_signer *s;

	*sp = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	mbedtls_pk_init(&s->key);
	mbedtls_x509_crt_init(&s->crt);
	mbedtls_entropy_init(&s->entropy);
	mbedtls_ctr_drbg_init(&s->drbg);
	pthread_mutex_init(&s->mtx, NULL);
	s->every_events  = every_events;
	s->every_seconds = every_seconds;
	if (mbedtls_ctr_drbg_seed(&s->drbg, mbedtls_entropy_func, &s->entropy,
	        (const unsigned char *) "wage-checkpoint", 15) != 0 ||
	    mbedtls_pk_parse_keyfile(&s->key, key, NULL) != 0 ||
	    mbedtls_x509_crt_parse_file(&s->crt, cert) != 0 ||
	    (s->cert_pem = fileio_load(cert, NULL)) == NULL) {
		checkpoint_signer_free(s);
		return (wage_err_set(err, WAGE_E_INTERNAL, "key",
		    "cannot load the signing key %s and certificate %s", key,
		    cert));
	}
	if (mbedtls_pk_check_pair(&s->crt.pk, &s->key) != 0) {
		checkpoint_signer_free(s);
		return (wage_err_set(err, WAGE_E_INTERNAL, "key",
		    "the key %s does not belong to the certificate %s", key,
		    cert));
	}
	*sp = s;
	return (WAGE_OK);
}

void
checkpoint_signer_free(struct checkpoint_signer *s)
{
	if (s == NULL) {
		return;
	}
	mbedtls_pk_free(&s->key);
	mbedtls_x509_crt_free(&s->crt);
	mbedtls_ctr_drbg_free(&s->drbg);
	mbedtls_entropy_free(&s->entropy);
	pthread_mutex_destroy(&s->mtx);
	free(s->cert_pem);
	mbedtls_platform_zeroize(s, sizeof(*s));
	free(s);
}

const char *
checkpoint_signer_cert(const struct checkpoint_signer *s)
{
	return (s->cert_pem);
}

json_t *
checkpoint_sign(struct checkpoint_signer *s, json_int_t seq, const char *head)
{
	unsigned char digest[32], sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	char          now[40], b64[256];
	size_t        siglen, olen;
	int           rc;

	audit_now_string(now, sizeof(now));
	if (auditfmt_checkpoint_digest(seq, head, now, digest) != 0) {
		return (NULL);
	}
	pthread_mutex_lock(&s->mtx);
	rc = mbedtls_pk_sign(&s->key, MBEDTLS_MD_SHA256, digest,
	    sizeof(digest), sig, &siglen, mbedtls_ctr_drbg_random, &s->drbg);
	pthread_mutex_unlock(&s->mtx);
	if (rc != 0 ||
	    mbedtls_base64_encode(
	        (unsigned char *) b64, sizeof(b64), &olen, sig, siglen) != 0) {
		log_warnx("checkpoint_sign: signing failed (%d)", rc);
		return (NULL);
	}
	return (json_pack("{s:I, s:s, s:s, s:s}", "seq", seq, "head", head,
	    "time", now, "sig", b64));
}

static int
meta_last(struct store_txn *txn, json_int_t *seq, time_t *at)
{
	MDB_val   v;
	char      buf[64];
	long long s = 0, t = 0;
	int       rc;

	*seq = 0;
	*at  = 0;
	rc   = store_meta_get(txn, "checkpoint_last", &v);
	if (rc == WAGE_E_NOT_FOUND) {
		return (WAGE_OK);
	}
	if (rc != WAGE_OK || v.mv_size >= sizeof(buf)) {
		return (rc != WAGE_OK ? rc : WAGE_E_INTERNAL);
	}
	memcpy(buf, v.mv_data, v.mv_size);
	buf[v.mv_size] = '\0';
	if (sscanf(buf, "%lld %lld", &s, &t) != 2) {
		return (WAGE_E_INTERNAL);
	}
	*seq = (json_int_t) s;
	*at  = (time_t) t;
	return (WAGE_OK);
}

int
checkpoint_maybe(struct store_txn *txn, struct checkpoint_signer *s, int force)
{
	uint64_t      head_seq;
	char          head[65], buf[64], *text;
	json_int_t    last;
	time_t        at, now = time(NULL);
	unsigned char key[8];
	json_t       *cp;
	int           rc, n;

	if ((rc = audit_head(txn, &head_seq, head)) != WAGE_OK ||
	    (rc = meta_last(txn, &last, &at)) != WAGE_OK) {
		return (rc);
	}
	if ((json_int_t) head_seq <= last ||
	    (!force && (json_int_t) head_seq - last < s->every_events &&
	        now - at < s->every_seconds)) {
		return (WAGE_OK);
	}
	if ((cp = checkpoint_sign(s, (json_int_t) head_seq, head)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	text = json_dumps(cp, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(cp);
	if (text == NULL) {
		return (WAGE_E_INTERNAL);
	}
	checkpoint_key((json_int_t) head_seq, key);
	rc = store_put(
	    txn, DB_CHECKPOINTS, key, sizeof(key), text, strlen(text));
	free(text);
	if (rc != WAGE_OK) {
		return (rc);
	}
	n = snprintf(
	    buf, sizeof(buf), "%" PRIu64 " %lld", head_seq, (long long) now);
	return (store_meta_put(txn, "checkpoint_last", buf, (size_t) n));
}

struct cpv {
	struct store_txn         *txn;
	struct checkpoint_signer *s;
	json_int_t                bad_seq, count, last;
	char                     *problem;
	size_t                    len;
};

static int
verify_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct cpv   *c = arg;
	json_t       *cp, *ev;
	json_error_t  jerr;
	unsigned char digest[32], sig[256], key[8];
	size_t        siglen;
	json_int_t    seq;
	const char   *head, *time, *s64;
	MDB_val       e;
	int           ok = 0;

	(void) k;
	if ((cp = json_loadb(v->mv_data, v->mv_size, 0, &jerr)) == NULL) {
		snprintf(c->problem, c->len, "a checkpoint is not JSON");
		c->bad_seq = -1;
		return (STORE_SCAN_STOP);
	}
	seq  = json_integer_value(json_object_get(cp, "seq"));
	head = json_string_value(json_object_get(cp, "head"));
	time = json_string_value(json_object_get(cp, "time"));
	s64  = json_string_value(json_object_get(cp, "sig"));
	if (head != NULL && time != NULL && s64 != NULL &&
	    auditfmt_checkpoint_digest(seq, head, time, digest) == 0 &&
	    mbedtls_base64_decode(sig, sizeof(sig), &siglen,
	        (const unsigned char *) s64, strlen(s64)) == 0 &&
	    mbedtls_pk_verify(&c->s->crt.pk, MBEDTLS_MD_SHA256, digest,
	        sizeof(digest), sig, siglen) == 0) {
		ok = 1;
	}
	if (!ok) {
		snprintf(c->problem, c->len,
		    "checkpoint at seq %" JSON_INTEGER_FORMAT
		    ": the signature does not verify",
		    seq);
		c->bad_seq = seq;
		json_decref(cp);
		return (STORE_SCAN_STOP);
	}
	checkpoint_key(seq, key);
	if (store_get(c->txn, DB_AUDIT, key, sizeof(key), &e) != WAGE_OK ||
	    (ev = json_loadb(e.mv_data, e.mv_size, 0, &jerr)) == NULL) {
		snprintf(c->problem, c->len,
		    "checkpoint at seq %" JSON_INTEGER_FORMAT
		    ": that event is missing (the log was cut)",
		    seq);
		c->bad_seq = seq;
		json_decref(cp);
		return (STORE_SCAN_STOP);
	}
	if (json_string_value(json_object_get(ev, "hash")) == NULL ||
	    strcmp(json_string_value(json_object_get(ev, "hash")), head) !=
	        0) {
		snprintf(c->problem, c->len,
		    "checkpoint at seq %" JSON_INTEGER_FORMAT
		    ": the chain differs from what the server signed",
		    seq);
		c->bad_seq = seq;
		ok         = 0;
	}
	json_decref(ev);
	json_decref(cp);
	if (ok) {
		c->count++;
		c->last = seq;
	}
	return (ok ? 0 : STORE_SCAN_STOP);
}

int
checkpoint_verify(struct store_txn *txn, struct checkpoint_signer *s,
    json_int_t *bad_seq, char *problem, size_t len, json_int_t *count,
    json_int_t *last)
{
	struct cpv c;
	int        rc;

	memset(&c, 0, sizeof(c));
	c.txn     = txn;
	c.s       = s;
	c.problem = problem;
	c.len     = len;
	rc = store_scan(txn, DB_CHECKPOINTS, NULL, 0, NULL, verify_one, &c);
	*bad_seq = c.bad_seq;
	*count   = c.count;
	*last    = c.last;
	return (rc);
}
