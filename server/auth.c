/* SPDX-License-Identifier: MIT */
/*
 * auth.c - certificate login and session tokens.
 * Owns: the CA chain and CRL, the open connections with their outstanding
 * challenges, the token key, and the mapping of mbedTLS errors to WAGE_E_*.
 * Must not: decide what an actor may do (that is the policy's), or log tokens,
 * keys or signatures.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include <jansson.h>
#include <mbedtls/base64.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include "auth.h"
#include "log.h"
#include "policy.h"
#include "validate.h"

#define CHALLENGE_BYTES 32
#define CONN_CHALLENGES 4   /* outstanding challenges per connection */
#define CONN_BUCKETS    256 /* of the connection table */

struct challenge {
	unsigned char bytes[CHALLENGE_BYTES];
	time_t        expires; /* 0: free or used */
};

/*
 * A connection (nng pipe) the server is serving: its own few challenges,
 * so that a flood on one connection evicts only its own, and the random
 * nonce its sessions' tokens carry, so that a token names one connection
 * of this server's life and dies with it (auth_conn_close), even should
 * nng hand the same pipe id to a later connection.
 */
struct conn {
	uint32_t         id;
	char             nonce[2 * 8 + 1]; /* hex */
	struct challenge ch[CONN_CHALLENGES];
	unsigned         nextch;
	struct conn     *next; /* in its bucket */
};

/*
 * Tokens whose MAC was verified, with the actor they name: a token is a
 * pure function of its text under the key, so the same text names the same
 * actor until it expires; checking it again (base64, HMAC, JSON) cost more
 * than the rest of a case.get. The text is compared whole, in constant
 * time; expiry and revocation are checked on every use all the same.
 */
#define TOKSLOTS   1024
#define TOKTEXTMAX 512 /* longer tokens are checked every time */

struct tokslot {
	pthread_mutex_t mtx;
	size_t          len; /* 0: empty */
	char            text[TOKTEXTMAX];
	struct actor    who;
};

/*
 * The CRL in force, with the serials it revokes (hex, for tokens). Built
 * whole apart from the server (crlset_load), then swapped in under
 * auth.crl_lock held for writing: a login's chain check and a token's
 * revocation check hold it for reading, so that each sees one CRL whole,
 * old or new, and the old one is freed only once none uses it.
 */
struct crlset {
	mbedtls_x509_crl crl;
	char           **revoked;
	size_t           nrevoked;
};

struct auth {
	mbedtls_x509_crt ca;
	pthread_rwlock_t crl_lock; /* guards crls (the pointer) */
	struct crlset   *crls;     /* NULL: no CRL configured */
	unsigned char    key[32];
	int              ttl;
	pthread_mutex_t  mtx; /* guards conns and their challenges */
	struct conn     *conns[CONN_BUCKETS];
	struct tokslot  *tokens; /* tokens already verified (TOKSLOTS) */
};

int
auth_random(unsigned char *buf, size_t len)
{
	ssize_t n;
	size_t  got = 0;

	while (got < len) {
		n = getrandom(buf + got, len - got, 0);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			log_warn("auth_random: getrandom");
			return (WAGE_E_INTERNAL);
		}
		got += (size_t) n;
	}
	return (WAGE_OK);
}

static void
serial_hex(const mbedtls_x509_buf *s, char *out, size_t len)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < s->len && o + 3 <= len; i++) {
		o += (size_t) snprintf(out + o, len - o, "%02x", s->p[i]);
	}
}

/* conn_find: the entry of connection id, or NULL; a->mtx held. */
static struct conn *
conn_find(struct auth *a, uint32_t id)
{
	struct conn *c;

	for (c = a->conns[id % CONN_BUCKETS]; c != NULL; c = c->next) {
		if (c->id == id) {
			return (c);
		}
	}
	return (NULL);
}

int
auth_conn_open(struct auth *a, uint32_t id)
{
	struct conn  *c;
	unsigned char n[8];
	size_t        i;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if (auth_random(n, sizeof(n)) != WAGE_OK) {
		free(c);
		return (WAGE_E_INTERNAL);
	}
	c->id = id;
	for (i = 0; i < sizeof(n); i++) {
		snprintf(c->nonce + 2 * i, 3, "%02x", n[i]);
	}
	pthread_mutex_lock(&a->mtx);
	if (conn_find(a, id) != NULL) {
		/* nng never has two live pipes of one id: a bug. */
		pthread_mutex_unlock(&a->mtx);
		free(c);
		return (WAGE_E_INTERNAL);
	}
	c->next                     = a->conns[id % CONN_BUCKETS];
	a->conns[id % CONN_BUCKETS] = c;
	pthread_mutex_unlock(&a->mtx);
	return (WAGE_OK);
}

void
auth_conn_close(struct auth *a, uint32_t id)
{
	struct conn **pp, *c = NULL;

	if (id == AUTH_CONN_LOCAL) {
		return; /* the in-process connection never closes */
	}
	pthread_mutex_lock(&a->mtx);
	for (pp = &a->conns[id % CONN_BUCKETS]; *pp != NULL;
	     pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			c   = *pp;
			*pp = c->next;
			break;
		}
	}
	pthread_mutex_unlock(&a->mtx);
	if (c != NULL) {
		mbedtls_platform_zeroize(c, sizeof(*c));
		free(c);
	}
}

static void
crlset_free(struct crlset *cs)
{
	size_t i;

	if (cs == NULL) {
		return;
	}
	mbedtls_x509_crl_free(&cs->crl);
	for (i = 0; i < cs->nrevoked; i++) {
		free(cs->revoked[i]);
	}
	free(cs->revoked);
	free(cs);
}

/*
 * crl_signed_by_ca: is every CRL of the chain c issued by a certificate of
 * a's CA chain and signed with its key? mbedtls itself ignores a CRL of
 * another issuer when it checks a chain, but the token check matches the
 * serials alone: a CRL not from our CA must not revoke our sessions.
 * On failure why names the reason.
 */
static int
crl_signed_by_ca(
    const struct auth *a, const mbedtls_x509_crl *c, const char **why)
{
	const mbedtls_x509_crt  *ca;
	const mbedtls_md_info_t *md;
	unsigned char            hash[MBEDTLS_MD_MAX_SIZE];

	for (; c != NULL && c->version != 0; c = c->next) {
		for (ca = &a->ca; ca != NULL && ca->version != 0;
		     ca = ca->next) {
			if (ca->subject_raw.len == c->issuer_raw.len &&
			    memcmp(ca->subject_raw.p, c->issuer_raw.p,
			        c->issuer_raw.len) == 0) {
				break;
			}
		}
		if (ca == NULL || ca->version == 0) {
			*why = "not issued by this deployment's CA";
			return (0);
		}
		if ((md = mbedtls_md_info_from_type(c->sig_md)) == NULL ||
		    mbedtls_md(md, c->tbs.p, c->tbs.len, hash) != 0 ||
		    mbedtls_pk_verify_ext(c->sig_pk, c->sig_opts,
		        (mbedtls_pk_context *) &ca->pk, c->sig_md, hash,
		        mbedtls_md_get_size(md), c->sig.p, c->sig.len) != 0) {
			*why =
			    "its signature does not verify with the CA's key";
			return (0);
		}
	}
	return (1);
}

/*
 * crlset_load reads the CRL file path, checks it was signed by a's CA
 * and lists its serials, into a new *out. WAGE_E_CERT_REJECTED (field
 * "crl", the message naming the file and why) or WAGE_E_INTERNAL.
 */
static int
crlset_load(struct auth *a, const char *path, struct crlset **out,
    struct wage_error *err)
{
	struct crlset                *cs;
	const mbedtls_x509_crl       *c;
	const mbedtls_x509_crl_entry *e;
	const char                   *why = NULL;
	char                          buf[128];
	int                           mrc;

	*out = NULL;
	if ((cs = calloc(1, sizeof(*cs))) == NULL) {
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	mbedtls_x509_crl_init(&cs->crl);
	if ((mrc = mbedtls_x509_crl_parse_file(&cs->crl, path)) != 0) {
		mbedtls_strerror(mrc, buf, sizeof(buf));
		crlset_free(cs);
		return (wage_err_set(err, WAGE_E_CERT_REJECTED, "crl",
		    "cannot load CRL %s: %s", path, buf));
	}
	if (!crl_signed_by_ca(a, &cs->crl, &why)) {
		crlset_free(cs);
		return (wage_err_set(err, WAGE_E_CERT_REJECTED, "crl",
		    "cannot load CRL %s: %s", path, why));
	}
	for (c = &cs->crl; c != NULL; c = c->next) {
		for (e = &c->entry; e != NULL; e = e->next) {
			char **nr;

			if (e->serial.len == 0) {
				continue;
			}
			nr = realloc(
			    cs->revoked, (cs->nrevoked + 1) * sizeof(*nr));
			if (nr == NULL) {
				crlset_free(cs);
				return (wage_err_set(err, WAGE_E_INTERNAL,
				    NULL, "out of memory"));
			}
			cs->revoked = nr;
			serial_hex(&e->serial, buf, sizeof(buf));
			if ((cs->revoked[cs->nrevoked] = strdup(buf)) ==
			    NULL) {
				crlset_free(cs);
				return (wage_err_set(err, WAGE_E_INTERNAL,
				    NULL, "out of memory"));
			}
			cs->nrevoked++;
		}
	}
	*out = cs;
	return (WAGE_OK);
}

int
auth_crl_reload(
    struct auth *a, const char *path, size_t *nrevoked, struct wage_error *err)
{
	struct crlset *cs, *old;
	int            rc;

	*nrevoked = 0;
	if ((rc = crlset_load(a, path, &cs, err)) != WAGE_OK) {
		return (rc); /* the CRL in force stays */
	}
	*nrevoked = cs->nrevoked;
	pthread_rwlock_wrlock(&a->crl_lock);
	old     = a->crls;
	a->crls = cs;
	pthread_rwlock_unlock(&a->crl_lock);
	/* No reader holds old now: each took the lock to use it. */
	crlset_free(old);
	return (WAGE_OK);
}

int
auth_alloc(struct auth **ap, const char *ca_path, const char *crl_path,
    const unsigned char *key, size_t keylen, int ttl, struct wage_error *err)
{
	struct auth *a;
	char         buf[128];
	size_t       i;
	int          mrc;

	*ap = NULL;
	if (keylen < sizeof(a->key)) {
		return (wage_err_set(
		    err, WAGE_E_INTERNAL, NULL, "token key too short"));
	}
	if ((a = calloc(1, sizeof(*a))) == NULL) {
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	mbedtls_x509_crt_init(&a->ca);
	pthread_rwlock_init(&a->crl_lock, NULL);
	pthread_mutex_init(&a->mtx, NULL);
	if ((a->tokens = calloc(TOKSLOTS, sizeof(*a->tokens))) == NULL) {
		free(a);
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	for (i = 0; i < TOKSLOTS; i++) {
		pthread_mutex_init(&a->tokens[i].mtx, NULL);
	}
	memcpy(a->key, key, sizeof(a->key));
	a->ttl = ttl;
	if (auth_conn_open(a, AUTH_CONN_LOCAL) != WAGE_OK) {
		auth_free(a);
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	if ((mrc = mbedtls_x509_crt_parse_file(&a->ca, ca_path)) != 0) {
		mbedtls_strerror(mrc, buf, sizeof(buf));
		wage_err_set(err, WAGE_E_CERT_REJECTED, "ca",
		    "cannot load CA certificate %s: %s", ca_path, buf);
		auth_free(a);
		return (WAGE_E_CERT_REJECTED);
	}
	if (crl_path != NULL &&
	    crlset_load(a, crl_path, &a->crls, err) != WAGE_OK) {
		auth_free(a);
		return (err->code);
	}
	*ap = a;
	return (WAGE_OK);
}

void
auth_free(struct auth *a)
{
	struct conn *c;
	size_t       i;

	if (a == NULL) {
		return;
	}
	for (i = 0; i < CONN_BUCKETS; i++) {
		while ((c = a->conns[i]) != NULL) {
			a->conns[i] = c->next;
			mbedtls_platform_zeroize(c, sizeof(*c));
			free(c);
		}
	}
	mbedtls_x509_crt_free(&a->ca);
	crlset_free(a->crls);
	pthread_rwlock_destroy(&a->crl_lock);
	if (a->tokens != NULL) {
		for (i = 0; i < TOKSLOTS; i++) {
			pthread_mutex_destroy(&a->tokens[i].mtx);
		}
		mbedtls_platform_zeroize(
		    a->tokens, TOKSLOTS * sizeof(*a->tokens));
		free(a->tokens);
	}
	pthread_mutex_destroy(&a->mtx);
	mbedtls_platform_zeroize(a, sizeof(*a));
	free(a);
}

static int ct_equal(const unsigned char *a, const unsigned char *b, size_t n);

/* The slot a token's text falls in (FNV-1a). */
static struct tokslot *
tokslot_of(struct auth *a, const char *token, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	size_t   i;

	for (i = 0; i < len; i++) {
		h = (h ^ (unsigned char) token[i]) * 1099511628211ull;
	}
	return (&a->tokens[h % TOKSLOTS]);
}

/* The actor of a token verified before, into *who; 0 if not cached. */
static int
tokens_get(struct auth *a, const char *token, size_t len, struct actor *who)
{
	struct tokslot *t;
	int             hit;

	if (a->tokens == NULL || len >= TOKTEXTMAX) {
		return (0);
	}
	t = tokslot_of(a, token, len);
	pthread_mutex_lock(&t->mtx);
	hit = t->len == len &&
	    ct_equal((const unsigned char *) t->text,
	        (const unsigned char *) token, len);
	if (hit) {
		*who = t->who;
	}
	pthread_mutex_unlock(&t->mtx);
	return (hit);
}

static void
tokens_put(
    struct auth *a, const char *token, size_t len, const struct actor *who)
{
	struct tokslot *t;

	if (a->tokens == NULL || len >= TOKTEXTMAX) {
		return;
	}
	t = tokslot_of(a, token, len);
	pthread_mutex_lock(&t->mtx);
	memcpy(t->text, token, len);
	t->len = len;
	t->who = *who;
	pthread_mutex_unlock(&t->mtx);
}

int
auth_challenge(struct auth *a, uint32_t conn, char *buf, size_t len)
{
	struct conn      *cn;
	struct challenge *c;
	size_t            olen;

	pthread_mutex_lock(&a->mtx);
	if ((cn = conn_find(a, conn)) == NULL) {
		pthread_mutex_unlock(&a->mtx);
		return (WAGE_E_CONNECTION); /* closed while we worked */
	}
	/* A ring per connection: a connection asking again and again drops
	 * only its own oldest challenge, never another's. */
	c          = &cn->ch[cn->nextch];
	cn->nextch = (cn->nextch + 1) % CONN_CHALLENGES;
	if (auth_random(c->bytes, sizeof(c->bytes)) != WAGE_OK) {
		c->expires = 0;
		pthread_mutex_unlock(&a->mtx);
		return (WAGE_E_INTERNAL);
	}
	c->expires = time(NULL) + WAGE_CHALLENGE_TTL;
	if (mbedtls_base64_encode((unsigned char *) buf, len, &olen, c->bytes,
	        sizeof(c->bytes)) != 0) {
		c->expires = 0;
		pthread_mutex_unlock(&a->mtx);
		return (WAGE_E_INTERNAL);
	}
	pthread_mutex_unlock(&a->mtx);
	return (WAGE_OK);
}

/*
 * challenge_take consumes a challenge of connection conn: one login per
 * challenge, on the connection that asked for it. On success the
 * connection's nonce is copied into nonce (17 bytes).
 */
static int
challenge_take(
    struct auth *a, uint32_t conn, const unsigned char *bytes, char *nonce)
{
	struct conn *cn;
	time_t       now = time(NULL);
	size_t       i;
	int          found = 0;

	pthread_mutex_lock(&a->mtx);
	if ((cn = conn_find(a, conn)) != NULL) {
		for (i = 0; i < CONN_CHALLENGES; i++) {
			if (cn->ch[i].expires != 0 &&
			    memcmp(cn->ch[i].bytes, bytes, CHALLENGE_BYTES) ==
			        0) {
				found             = cn->ch[i].expires >= now;
				cn->ch[i].expires = 0;
				break;
			}
		}
		if (found) {
			memcpy(nonce, cn->nonce, sizeof(cn->nonce));
		}
	}
	pthread_mutex_unlock(&a->mtx);
	return (found);
}

/* conn_holds: is conn open, with the nonce a token names? */
static int
conn_holds(struct auth *a, uint32_t conn, const char *nonce)
{
	struct conn *cn;
	int          ok;

	pthread_mutex_lock(&a->mtx);
	cn = conn_find(a, conn);
	ok = cn != NULL && strcmp(cn->nonce, nonce) == 0;
	pthread_mutex_unlock(&a->mtx);
	return (ok);
}

static int
name_get(const mbedtls_x509_name *n, const char *oid, size_t oidlen, char *out,
    size_t len)
{
	for (; n != NULL; n = n->next) {
		if (n->oid.len == oidlen &&
		    memcmp(n->oid.p, oid, oidlen) == 0) {
			if (n->val.len >= len) {
				return (-1);
			}
			memcpy(out, n->val.p, n->val.len);
			out[n->val.len] = '\0';
			return (0);
		}
	}
	out[0] = '\0';
	return (-1);
}

#define NAME_GET(n, oid, out) \
	name_get((n), (oid), sizeof(oid) - 1, (out), sizeof(out))

/*
 * subject_attr copies the one attribute oid of subject into out. The value
 * must occur exactly once, be a UTF8String, PrintableString or IA5String,
 * and pass validate_text as one line of at most max_chars characters: no
 * NUL (the ASN.1 length counts bytes past it, so strlen would cut the
 * name), no C0/C1 control character (an ESC or LF would reach the log and
 * forge a line), no 0x1f (CASEREC_SEP, the index key separator).
 */
static int
subject_attr(const mbedtls_x509_name *subject, const char *oid, size_t oidlen,
    const char *attr, size_t max_chars, char *out, size_t len,
    struct wage_error *err)
{
	const mbedtls_x509_name *n, *found = NULL;
	struct wage_error        verr;

	out[0] = '\0';
	for (n = subject; n != NULL; n = n->next) {
		if (n->oid.p == NULL || n->oid.len != oidlen ||
		    memcmp(n->oid.p, oid, oidlen) != 0) {
			continue;
		}
		if (found != NULL) {
			return (wage_err_set(err, WAGE_E_CERT_REJECTED,
			    "certificate",
			    "the subject holds %s more than once; it must "
			    "hold exactly one",
			    attr));
		}
		found = n;
	}
	if (found == NULL) {
		return (wage_err_set(err, WAGE_E_CERT_REJECTED, "certificate",
		    "subject must hold CN (name), O (organisation), OU (role) "
		    "and L (region code); %s is missing",
		    attr));
	}
	if (found->val.tag != MBEDTLS_ASN1_UTF8_STRING &&
	    found->val.tag != MBEDTLS_ASN1_PRINTABLE_STRING &&
	    found->val.tag != MBEDTLS_ASN1_IA5_STRING) {
		return (wage_err_set(err, WAGE_E_CERT_REJECTED, "certificate",
		    "%s must be a UTF8String (or PrintableString)", attr));
	}
	if (validate_text((const char *) found->val.p, found->val.len,
	        max_chars, false, true, attr, &verr) != WAGE_OK) {
		return (wage_err_set(err, WAGE_E_CERT_REJECTED, "certificate",
		    "%s %s", attr, verr.message));
	}
	if (found->val.len >= len) {
		return (wage_err_set(err, WAGE_E_CERT_REJECTED, "certificate",
		    "%s must be at most %zu bytes", attr, len - 1));
	}
	memcpy(out, found->val.p, found->val.len);
	out[found->val.len] = '\0';
	return (WAGE_OK);
}

#define SUBJECT_ATTR(subj, oid, attr, max, out, err)                       \
	subject_attr((subj), (oid), sizeof(oid) - 1, (attr), (max), (out), \
	    sizeof(out), (err))

int
auth_subject_read(const mbedtls_x509_name *subject, struct actor *who,
    struct wage_error *err)
{
	char role[32];
	int  rc;

	if ((rc = SUBJECT_ATTR(subject, MBEDTLS_OID_AT_CN, "CN",
	         WAGE_MAX_NAME_CHARS, who->name, err)) != WAGE_OK ||
	    (rc = SUBJECT_ATTR(subject, MBEDTLS_OID_AT_ORGANIZATION, "O",
	         WAGE_MAX_NAME_CHARS, who->org, err)) != WAGE_OK ||
	    (rc = SUBJECT_ATTR(subject, MBEDTLS_OID_AT_ORG_UNIT, "OU",
	         sizeof(role) - 1, role, err)) != WAGE_OK ||
	    (rc = SUBJECT_ATTR(subject, MBEDTLS_OID_AT_LOCALITY, "L",
	         WAGE_REGION_LEN, who->region, err)) != WAGE_OK) {
		return (rc);
	}
	if ((who->role = policy_role_from_name(role)) < 0) {
		return (wage_err_set(err, WAGE_E_CERT_REJECTED, "certificate",
		    "OU is not a known role (clerk, mediator, arbitrator, "
		    "chair, union, legal_aid, auditor, admin, inspector)"));
	}
	if (validate_region(who->region, "certificate", NULL) != WAGE_OK) {
		return (wage_err_set(err, WAGE_E_CERT_REJECTED, "certificate",
		    "L must be a 6-digit region code (GB/T 2260)"));
	}
	return (WAGE_OK);
}

static int64_t
x509_time_unix(const mbedtls_x509_time *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = t->year - 1900;
	tm.tm_mon  = t->mon - 1;
	tm.tm_mday = t->day;
	tm.tm_hour = t->hour;
	tm.tm_min  = t->min;
	tm.tm_sec  = t->sec;
	return ((int64_t) timegm(&tm));
}

static int
b64_decode(const char *in, unsigned char *out, size_t cap, size_t *olen)
{
	if (in == NULL ||
	    mbedtls_base64_decode(
	        out, cap, olen, (const unsigned char *) in, strlen(in)) != 0) {
		return (-1);
	}
	return (0);
}

static int
token_mac(
    const struct auth *a, const char *data, size_t len, unsigned char mac[32])
{
	const mbedtls_md_info_t *md =
	    mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);

	return (mbedtls_md_hmac(md, a->key, sizeof(a->key),
	    (const unsigned char *) data, len, mac));
}

static int
token_make(
    const struct auth *a, const struct actor *who, char *token, size_t tlen)
{
	json_t       *p;
	char         *text = NULL;
	unsigned char mac[32];
	size_t        olen, n;
	int           rc = WAGE_E_INTERNAL;

	p = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "n",
	    who->name, "o", who->org, "r", policy_role_name(who->role), "g",
	    who->region, "s", who->serial, "e", (json_int_t) who->expires, "p",
	    (json_int_t) who->conn, "k", who->conn_nonce);
	if (p == NULL || (text = json_dumps(p, JSON_COMPACT)) == NULL) {
		goto out;
	}
	memcpy(token, "v1.", 3);
	if (mbedtls_base64_encode((unsigned char *) token + 3, tlen - 3, &olen,
	        (const unsigned char *) text, strlen(text)) != 0) {
		goto out;
	}
	n = 3 + olen;
	if (n + 50 > tlen || token_mac(a, token, n, mac) != 0) {
		goto out;
	}
	token[n++] = '.';
	if (mbedtls_base64_encode((unsigned char *) token + n, tlen - n, &olen,
	        mac, sizeof(mac)) != 0) {
		goto out;
	}
	rc = WAGE_OK;
out:
	free(text);
	json_decref(p);
	return (rc);
}

/* is_revoked: is serial on the CRL in force now? */
static int
is_revoked(struct auth *a, const char *serial)
{
	size_t i;
	int    found = 0;

	pthread_rwlock_rdlock(&a->crl_lock);
	if (a->crls != NULL) {
		for (i = 0; i < a->crls->nrevoked && !found; i++) {
			found = strcmp(a->crls->revoked[i], serial) == 0;
		}
	}
	pthread_rwlock_unlock(&a->crl_lock);
	return (found);
}

int
auth_login(struct auth *a, uint32_t conn, const char *cert_pem,
    const char *challenge, const char *signature, char *token, size_t tlen,
    struct actor *who, struct wage_error *err)
{
	mbedtls_x509_crt       crt;
	unsigned char          ch[64], sig[160], hash[32];
	size_t                 chlen, siglen, pemlen;
	uint32_t               flags = 0;
	char                   vbuf[256];
	mbedtls_sha256_context sha;
	int64_t                notafter;
	int                    mrc, rc;

	memset(who, 0, sizeof(*who));
	mbedtls_x509_crt_init(&crt);
	pemlen = strlen(cert_pem);
	if (pemlen == 0 || pemlen > WAGE_MAX_CERT_PEM) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "certificate",
		    "must be a PEM certificate of at most %d bytes",
		    WAGE_MAX_CERT_PEM);
		goto out;
	}
	if (b64_decode(challenge, ch, sizeof(ch), &chlen) != 0 ||
	    chlen != CHALLENGE_BYTES) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "challenge",
		    "must be the base64 challenge given by auth.challenge");
		goto out;
	}
	if (b64_decode(signature, sig, sizeof(sig), &siglen) != 0 ||
	    siglen == 0) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "signature",
		    "must be a base64 DER signature");
		goto out;
	}
	/* mbedtls wants the PEM's terminating NUL counted in the length. */
	mrc = mbedtls_x509_crt_parse(
	    &crt, (const unsigned char *) cert_pem, pemlen + 1);
	if (mrc != 0) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "certificate",
		    "is not a PEM X.509 certificate");
		goto out;
	}
	/* The CRL in force, held for the check: a reload waits. */
	pthread_rwlock_rdlock(&a->crl_lock);
	mrc = mbedtls_x509_crt_verify(&crt, &a->ca,
	    a->crls != NULL ? &a->crls->crl : NULL, NULL, &flags, NULL, NULL);
	pthread_rwlock_unlock(&a->crl_lock);
	if (mrc != 0) {
		if (flags & MBEDTLS_X509_BADCERT_REVOKED) {
			rc = wage_err_set(err, WAGE_E_CERT_REVOKED,
			    "certificate", "the certificate has been revoked");
		} else {
			mbedtls_x509_crt_verify_info(
			    vbuf, sizeof(vbuf), "", flags);
			vbuf[strcspn(vbuf, "\n")] = '\0';
			rc = wage_err_set(err, WAGE_E_CERT_REJECTED,
			    "certificate",
			    "not accepted by this deployment's CA: %s", vbuf);
		}
		goto out;
	}
	if (crt.ca_istrue ||
	    mbedtls_x509_crt_check_extended_key_usage(&crt,
	        MBEDTLS_OID_CLIENT_AUTH,
	        MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)) != 0) {
		rc = wage_err_set(err, WAGE_E_CERT_REJECTED, "certificate",
		    "is not a client certificate");
		goto out;
	}
	if ((rc = auth_subject_read(&crt.subject, who, err)) != WAGE_OK) {
		goto out;
	}
	/* The signed message binds the login to this server's challenge. */
	mbedtls_sha256_init(&sha);
	mbedtls_sha256_starts_ret(&sha, 0);
	mbedtls_sha256_update_ret(&sha,
	    (const unsigned char *) WAGE_LOGIN_CONTEXT,
	    strlen(WAGE_LOGIN_CONTEXT));
	mbedtls_sha256_update_ret(
	    &sha, (const unsigned char *) challenge, strlen(challenge));
	mbedtls_sha256_finish_ret(&sha, hash);
	mbedtls_sha256_free(&sha);
	if (mbedtls_pk_verify(&crt.pk, MBEDTLS_MD_SHA256, hash, sizeof(hash),
	        sig, siglen) != 0) {
		rc = wage_err_set(err, WAGE_E_BAD_SIGNATURE, "signature",
		    "does not verify with the certificate's key");
		goto out;
	}
	if (!challenge_take(a, conn, ch, who->conn_nonce)) {
		rc = wage_err_set(err, WAGE_E_BAD_SIGNATURE, "challenge",
		    "unknown, already used or expired: ask for a new one");
		goto out;
	}
	serial_hex(&crt.serial, who->serial, sizeof(who->serial));
	who->conn    = conn;
	who->expires = (int64_t) time(NULL) + a->ttl;
	notafter     = x509_time_unix(&crt.valid_to);
	if (notafter < who->expires) {
		who->expires = notafter; /* never outlive the certificate */
	}
	if (token_make(a, who, token, tlen) != WAGE_OK) {
		rc = wage_err_set(err, WAGE_E_INTERNAL, NULL, NULL);
		goto out;
	}
	rc = WAGE_OK;
out:
	if (rc != WAGE_OK) {
		memset(who, 0, sizeof(*who)); /* no half-filled out-param */
	}
	mbedtls_platform_zeroize(ch, sizeof(ch));
	mbedtls_x509_crt_free(&crt);
	return (rc);
}

static int
ct_equal(const unsigned char *a, const unsigned char *b, size_t n)
{
	unsigned char d = 0;
	size_t        i;

	for (i = 0; i < n; i++) {
		d |= a[i] ^ b[i];
	}
	return (d == 0);
}

/*
 * conn_check: the last step of auth_check, on a token already known good:
 * it must have been issued on connection conn, still open.
 */
static int
conn_check(
    struct auth *a, uint32_t conn, struct actor *who, struct wage_error *err)
{
	if (who->conn == conn && conn_holds(a, conn, who->conn_nonce)) {
		return (WAGE_OK);
	}
	memset(who, 0, sizeof(*who));
	return (wage_err_set(err, WAGE_E_UNAUTHENTICATED, "token",
	    "this session belongs to another connection: log in again on "
	    "this one (auth.challenge, auth.login)"));
}

int
auth_check(struct auth *a, uint32_t conn, const char *token, struct actor *who,
    struct wage_error *err)
{
	const char   *dot1, *dot2;
	unsigned char mac[32], given[64], payload[WAGE_TOKEN_MAX];
	char          b64[WAGE_TOKEN_MAX + 1];
	size_t        glen, plen, tlen;
	json_t       *p = NULL;
	json_error_t  jerr;
	const char   *n, *o, *r, *g, *s, *k;
	json_int_t    e, pid;
	int           rc;

	memset(who, 0, sizeof(*who));
	if (token == NULL || *token == '\0') {
		return (wage_err_set(err, WAGE_E_UNAUTHENTICATED, "token",
		    "missing: log in first (auth.challenge, auth.login)"));
	}
	tlen = strlen(token);
	if (tokens_get(a, token, tlen, who)) {
		/* Verified before: only what may have changed since. */
		if (who->expires < (int64_t) time(NULL)) {
			memset(who, 0, sizeof(*who));
			return (wage_err_set(err, WAGE_E_TOKEN_EXPIRED,
			    "token", "the session has expired: log in again"));
		}
		if (is_revoked(a, who->serial)) {
			memset(who, 0, sizeof(*who));
			return (wage_err_set(err, WAGE_E_CERT_REVOKED, "token",
			    "the certificate of this session has been "
			    "revoked"));
		}
		return (conn_check(a, conn, who, err));
	}
	if (tlen > WAGE_TOKEN_MAX || strncmp(token, "v1.", 3) != 0 ||
	    (dot1 = token + 2) == NULL ||
	    (dot2 = strchr(dot1 + 1, '.')) == NULL) {
		return (wage_err_set(err, WAGE_E_UNAUTHENTICATED, "token",
		    "not a session token issued by this server"));
	}
	/* Compare the MAC as text in its one canonical spelling: base64's
	 * decoder forgives spare bits and white space, a token must not. */
	if (strlen(dot2 + 1) != 44 ||
	    token_mac(a, token, (size_t) (dot2 - token), mac) != 0 ||
	    mbedtls_base64_encode(
	        given, sizeof(given), &glen, mac, sizeof(mac)) != 0 ||
	    glen != 44 ||
	    !ct_equal(given, (const unsigned char *) dot2 + 1, 44)) {
		return (wage_err_set(err, WAGE_E_UNAUTHENTICATED, "token",
		    "not a session token issued by this server"));
	}
	/* The MAC holds: the payload is ours. */
	memcpy(b64, dot1 + 1, (size_t) (dot2 - dot1 - 1));
	b64[dot2 - dot1 - 1] = '\0';
	if (b64_decode(b64, payload, sizeof(payload), &plen) != 0 ||
	    (p = json_loadb((const char *) payload, plen, 0, &jerr)) == NULL ||
	    json_unpack(p, "{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "n", &n,
	        "o", &o, "r", &r, "g", &g, "s", &s, "e", &e, "p", &pid, "k",
	        &k) != 0 ||
	    pid < 0 || pid > (json_int_t) UINT32_MAX ||
	    strlen(k) + 1 != sizeof(who->conn_nonce)) {
		rc = wage_err_set(err, WAGE_E_UNAUTHENTICATED, "token",
		    "not a session token issued by this server");
		goto out;
	}
	if ((int64_t) e < (int64_t) time(NULL)) {
		rc = wage_err_set(err, WAGE_E_TOKEN_EXPIRED, "token",
		    "the session has expired: log in again");
		goto out;
	}
	if (is_revoked(a, s)) {
		rc = wage_err_set(err, WAGE_E_CERT_REVOKED, "token",
		    "the certificate of this session has been revoked");
		goto out;
	}
	snprintf(who->name, sizeof(who->name), "%s", n);
	snprintf(who->org, sizeof(who->org), "%s", o);
	snprintf(who->region, sizeof(who->region), "%s", g);
	snprintf(who->serial, sizeof(who->serial), "%s", s);
	snprintf(who->conn_nonce, sizeof(who->conn_nonce), "%s", k);
	who->conn    = (uint32_t) pid;
	who->role    = policy_role_from_name(r);
	who->expires = (int64_t) e;
	rc           = who->role >= 0
	              ? WAGE_OK
	              : wage_err_set(err, WAGE_E_UNAUTHENTICATED, "token",
	                    "not a session token issued by this server");
	if (rc == WAGE_OK) {
		tokens_put(a, token, tlen, who);
		rc = conn_check(a, conn, who, err);
	}
out:
	json_decref(p);
	return (rc);
}

int
auth_server_actor(
    const char *cert_path, struct actor *who, struct wage_error *err)
{
	mbedtls_x509_crt crt;
	int              mrc;

	memset(who, 0, sizeof(*who));
	mbedtls_x509_crt_init(&crt);
	if ((mrc = mbedtls_x509_crt_parse_file(&crt, cert_path)) != 0) {
		mbedtls_x509_crt_free(&crt);
		return (wage_err_set(err, WAGE_E_INTERNAL, "cert",
		    "cannot read the server certificate %s (mbedtls -0x%04x)",
		    cert_path, (unsigned) -mrc));
	}
	snprintf(who->name, sizeof(who->name), "wage-server");
	who->role = ROLE_SYSTEM;
	/* Either may be absent from a server certificate: left empty. */
	NAME_GET(&crt.subject, MBEDTLS_OID_AT_ORGANIZATION, who->org);
	if (NAME_GET(&crt.subject, MBEDTLS_OID_AT_LOCALITY, who->region) !=
	        0 ||
	    validate_region(who->region, "cert", NULL) != WAGE_OK) {
		who->region[0] = '\0';
	}
	serial_hex(&crt.serial, who->serial, sizeof(who->serial));
	mbedtls_x509_crt_free(&crt);
	return (WAGE_OK);
}
