/* SPDX-License-Identifier: MIT */
/*
 * test_auth.c - unit tests of server/auth.c with real certificates made by
 * client/pki.c in a mkdtemp directory: challenge and login (actor fields,
 * one use per challenge, wrong key, foreign CA, revoked, server cert),
 * and session tokens (forgery by one changed character, another server's
 * key, expiry, revocation after login, malformed tokens).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <mbedtls/asn1.h>
#include <mbedtls/base64.h>
#include <mbedtls/oid.h>

#include "auth.h"
#include "pki.h"
#include "policy.h"

#include "support_file.h"
#include "support_pki.h"
#include "support_tmp.h"

#define CN_ZH     "张伟"
#define ORG_ZH    "济南市劳动人事争议仲裁院"
#define UNION_ORG "历下区总工会农民工维权站"

/* Made once for the group; tests only read it (except revocation). */
static struct {
	char               base[64];
	struct tsupport_ca ca, other;
	unsigned char      key[32], key2[32];
} g;

static const char *
in_base(const char *name)
{
	static char buf[4][256];
	static int  i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", g.base, name);
	return (buf[i]);
}

static int
issue(const char *ca, const char *name, const char *cn, const char *org,
    const char *role, int is_server, int days)
{
	struct pki_subject s = { cn, org, role, "370102" };

	return (tsupport_issue(ca, &s, is_server, days, in_base(name)));
}

static int
group_setup(void **state)
{
	size_t i;

	(void) state;
	if (tsupport_tmpdir(g.base, sizeof(g.base), "test_auth") != 0) {
		return (-1);
	}
	for (i = 0; i < 32; i++) {
		g.key[i]  = (unsigned char) i;
		g.key2[i] = (unsigned char) (i + 1);
	}
	if (tsupport_ca_init(&g.ca, g.base, "ca", "Test CA") != WAGE_OK ||
	    tsupport_ca_init(&g.other, g.base, "other", "Other CA") !=
	        WAGE_OK ||
	    issue(g.ca.dir, "clerk", CN_ZH, ORG_ZH, "clerk", 0, 30) !=
	        WAGE_OK ||
	    issue(g.ca.dir, "union", "李娜", UNION_ORG, "union", 0, 30) !=
	        WAGE_OK ||
	    issue(g.ca.dir, "server", "wage-server", "wage-server", NULL, 1,
	        30) != WAGE_OK ||
	    issue(g.other.dir, "foreign", CN_ZH, ORG_ZH, "clerk", 0, 30) !=
	        WAGE_OK) {
		return (-1);
	}
	return (0);
}

static int
group_teardown(void **state)
{
	(void) state;
	tsupport_rmtree(g.base);
	return (0);
}

static struct auth *
new_auth(const unsigned char *key, int ttl)
{
	struct auth      *a;
	struct wage_error err;

	assert_int_equal(
	    auth_alloc(&a, g.ca.crt, g.ca.crl, key, 32, ttl, &err), WAGE_OK);
	assert_non_null(a);
	return (a);
}

/* sign_b64 signs WAGE_LOGIN_CONTEXT + challenge with key name.key. */
static void
sign_b64(const char *name, const char *challenge, char *out, size_t len)
{
	char              msg[256];
	unsigned char     sig[160];
	size_t            siglen, olen;
	struct wage_error err;
	char              file[64];

	snprintf(file, sizeof(file), "%s.key", name);
	snprintf(msg, sizeof(msg), "%s%s", WAGE_LOGIN_CONTEXT, challenge);
	assert_int_equal(pki_sign(in_base(file), (unsigned char *) msg,
	                     strlen(msg), sig, sizeof(sig), &siglen, &err),
	    WAGE_OK);
	assert_int_equal(mbedtls_base64_encode(
	                     (unsigned char *) out, len, &olen, sig, siglen),
	    0);
}

/*
 * login logs in with cert_name.crt, signing with key_name.key over
 * challenge (a fresh one when NULL). Returns auth_login's code.
 */
static int
login_on(struct auth *a, uint32_t conn, const char *cert_name,
    const char *key_name, const char *challenge, char *token,
    struct actor *who, struct wage_error *err)
{
	char  ch[96], sig[256], file[64];
	char *pem;
	int   rc;

	if (challenge == NULL) {
		assert_int_equal(
		    auth_challenge(a, conn, ch, sizeof(ch)), WAGE_OK);
	} else {
		snprintf(ch, sizeof(ch), "%s", challenge);
	}
	sign_b64(key_name, ch, sig, sizeof(sig));
	snprintf(file, sizeof(file), "%s.crt", cert_name);
	pem = tsupport_slurp(in_base(file), NULL);
	rc =
	    auth_login(a, conn, pem, ch, sig, token, WAGE_TOKEN_MAX, who, err);
	free(pem);
	return (rc);
}

static int
login_with(struct auth *a, const char *cert_name, const char *key_name,
    const char *challenge, char *token, struct actor *who,
    struct wage_error *err)
{
	return (login_on(a, AUTH_CONN_LOCAL, cert_name, key_name, challenge,
	    token, who, err));
}

static int
login(struct auth *a, const char *name, char *token, struct actor *who)
{
	struct wage_error err;

	return (login_with(a, name, name, NULL, token, who, &err));
}

/* ---- login ---------------------------------------------------------- */

static void
test_auth_login_sets_actor(void **state)
{
	struct auth *a = new_auth(g.key, 3600);
	struct actor who, chk;
	char         token[WAGE_TOKEN_MAX];
	time_t       now = time(NULL);

	(void) state;
	assert_int_equal(login(a, "clerk", token, &who), WAGE_OK);
	assert_true(strncmp(token, "v1.", 3) == 0);
	assert_true(strlen(token) <= WAGE_TOKEN_MAX);
	assert_string_equal(who.name, CN_ZH);
	assert_string_equal(who.org, ORG_ZH);
	assert_int_equal(who.role, ROLE_CLERK);
	assert_string_equal(who.region, "370102");
	assert_true(strlen(who.serial) > 0);
	assert_true(who.expires >= now + 3600 && who.expires <= now + 3602);

	/* The token carries the same actor. */
	assert_int_equal(
	    auth_check(a, AUTH_CONN_LOCAL, token, &chk, NULL), WAGE_OK);
	assert_string_equal(chk.name, who.name);
	assert_string_equal(chk.org, who.org);
	assert_int_equal(chk.role, who.role);
	assert_string_equal(chk.region, who.region);
	assert_string_equal(chk.serial, who.serial);
	assert_int_equal(chk.expires, who.expires);

	assert_int_equal(login(a, "union", token, &who), WAGE_OK);
	assert_int_equal(who.role, ROLE_UNION);
	assert_string_equal(who.org, UNION_ORG);
	assert_int_equal(
	    auth_check(a, AUTH_CONN_LOCAL, token, &chk, NULL), WAGE_OK);
	assert_int_equal(chk.role, ROLE_UNION);
	auth_free(a);
}

static void
test_auth_login_challenge_is_single_use(void **state)
{
	struct auth      *a = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX], ch[96];

	(void) state;
	assert_int_equal(
	    auth_challenge(a, AUTH_CONN_LOCAL, ch, sizeof(ch)), WAGE_OK);
	assert_int_equal(
	    login_with(a, "clerk", "clerk", ch, token, &who, &err), WAGE_OK);
	assert_int_equal(
	    login_with(a, "clerk", "clerk", ch, token, &who, &err),
	    WAGE_E_BAD_SIGNATURE);
	assert_int_equal(err.code, WAGE_E_BAD_SIGNATURE);
	assert_string_equal(err.field, "challenge");
	auth_free(a);
}

static void
test_auth_login_unknown_challenge(void **state)
{
	struct auth *a = new_auth(g.key, 3600), *b = new_auth(g.key, 3600);
	struct actor who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX], ch[96];

	(void) state;
	/* 32 bytes never handed out (this one came from another server). */
	assert_int_equal(
	    auth_challenge(b, AUTH_CONN_LOCAL, ch, sizeof(ch)), WAGE_OK);
	assert_int_equal(
	    login_with(a, "clerk", "clerk", ch, token, &who, &err),
	    WAGE_E_BAD_SIGNATURE);
	/* Not base64, or not 32 bytes: malformed. */
	assert_int_equal(
	    login_with(a, "clerk", "clerk", "%%%", token, &who, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "challenge");
	assert_int_equal(
	    login_with(a, "clerk", "clerk", "AAAA", token, &who, &err),
	    WAGE_E_INVALID_ARGUMENT);
	auth_free(a);
	auth_free(b);
}

static void
test_auth_login_dropped_challenge(void **state)
{
	struct auth      *a = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX], ch[96], more[96];
	int               i;

	(void) state;
	/* Four newer challenges on its connection drop the oldest. */
	assert_int_equal(
	    auth_challenge(a, AUTH_CONN_LOCAL, ch, sizeof(ch)), WAGE_OK);
	for (i = 0; i < 4; i++) {
		assert_int_equal(
		    auth_challenge(a, AUTH_CONN_LOCAL, more, sizeof(more)),
		    WAGE_OK);
	}
	assert_int_equal(
	    login_with(a, "clerk", "clerk", ch, token, &who, &err),
	    WAGE_E_BAD_SIGNATURE);
	assert_int_equal(
	    login_with(a, "clerk", "clerk", more, token, &who, &err), WAGE_OK);
	auth_free(a);
}

/* A flood of challenges on one connection drops none of another's. */
static void
test_auth_login_challenge_flood_other_conn(void **state)
{
	struct auth      *a = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX], ch[96], more[96];
	int               i;

	(void) state;
	assert_int_equal(auth_conn_open(a, 7), WAGE_OK);
	assert_int_equal(auth_conn_open(a, 8), WAGE_OK);
	assert_int_equal(auth_challenge(a, 7, ch, sizeof(ch)), WAGE_OK);
	for (i = 0; i < 10000; i++) {
		assert_int_equal(
		    auth_challenge(a, 8, more, sizeof(more)), WAGE_OK);
	}
	/* Not on another connection than the one that asked for it. */
	assert_int_equal(
	    login_on(a, 8, "clerk", "clerk", ch, token, &who, &err),
	    WAGE_E_BAD_SIGNATURE);
	assert_int_equal(
	    login_on(a, 7, "clerk", "clerk", ch, token, &who, &err), WAGE_OK);
	/* A closed connection has no challenges left. */
	auth_conn_close(a, 8);
	assert_int_equal(
	    auth_challenge(a, 8, more, sizeof(more)), WAGE_E_CONNECTION);
	auth_free(a);
}

/* A token works on its own connection only, and only while it is open. */
static void
test_auth_check_other_conn(void **state)
{
	struct auth      *a = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX];

	(void) state;
	assert_int_equal(auth_conn_open(a, 7), WAGE_OK);
	assert_int_equal(auth_conn_open(a, 8), WAGE_OK);
	assert_int_equal(
	    login_on(a, 7, "union", "union", NULL, token, &who, &err),
	    WAGE_OK);
	assert_int_equal(auth_check(a, 7, token, &who, &err), WAGE_OK);
	assert_int_equal(
	    auth_check(a, 8, token, &who, &err), WAGE_E_UNAUTHENTICATED);
	assert_string_equal(who.name, ""); /* no half-filled out-param */
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, token, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	/* Closed, then an id reused by a later connection: refused. */
	auth_conn_close(a, 7);
	assert_int_equal(
	    auth_check(a, 7, token, &who, &err), WAGE_E_UNAUTHENTICATED);
	assert_int_equal(auth_conn_open(a, 7), WAGE_OK);
	assert_int_equal(
	    auth_check(a, 7, token, &who, &err), WAGE_E_UNAUTHENTICATED);
	auth_free(a);
}

static void
test_auth_login_signature_by_another_key(void **state)
{
	struct auth      *a = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX];

	(void) state;
	assert_int_equal(
	    login_with(a, "clerk", "union", NULL, token, &who, &err),
	    WAGE_E_BAD_SIGNATURE);
	assert_string_equal(err.field, "signature");
	/* The foreign CA's key, though its subject equals the clerk's. */
	assert_int_equal(
	    login_with(a, "clerk", "foreign", NULL, token, &who, &err),
	    WAGE_E_BAD_SIGNATURE);
	auth_free(a);
}

static void
test_auth_login_foreign_ca_rejected(void **state)
{
	struct auth      *a = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX];

	(void) state;
	assert_int_equal(
	    login_with(a, "foreign", "foreign", NULL, token, &who, &err),
	    WAGE_E_CERT_REJECTED);
	assert_string_equal(err.field, "certificate");
	auth_free(a);
}

static void
test_auth_login_server_cert_rejected(void **state)
{
	struct auth      *a = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX];

	(void) state;
	assert_int_equal(
	    login_with(a, "server", "server", NULL, token, &who, &err),
	    WAGE_E_CERT_REJECTED);
	auth_free(a);
}

static void
test_auth_login_revoked_cert(void **state)
{
	struct auth      *a;
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX];

	(void) state;
	assert_int_equal(
	    issue(g.ca.dir, "gone", "王芳", ORG_ZH, "clerk", 0, 30), WAGE_OK);
	a = new_auth(g.key, 3600);
	assert_int_equal(login(a, "gone", token, &who), WAGE_OK);
	auth_free(a);
	assert_int_equal(
	    pki_revoke(g.ca.dir, in_base("gone.crt"), &err), WAGE_OK);
	a = new_auth(g.key, 3600);
	assert_int_equal(
	    login_with(a, "gone", "gone", NULL, token, &who, &err),
	    WAGE_E_CERT_REVOKED);
	/* Others of the same CA still log in. */
	assert_int_equal(login(a, "clerk", token, &who), WAGE_OK);
	auth_free(a);
}

static void
test_auth_login_longest_names(void **state)
{
	struct auth *a;
	struct actor who, chk;
	char         token[WAGE_TOKEN_MAX], cn[256], org[256];
	int          i;

	(void) state;
	/* pki_issue accepts names of WAGE_MAX_NAME_CHARS characters. */
	cn[0] = org[0] = '\0';
	for (i = 0; i < WAGE_MAX_NAME_CHARS; i++) {
		strcat(cn, "张");
		strcat(org, "院");
	}
	assert_int_equal(
	    issue(g.ca.dir, "long", cn, org, "legal_aid", 0, 30), WAGE_OK);
	a = new_auth(g.key, 3600);
	assert_int_equal(login(a, "long", token, &who), WAGE_OK);
	assert_int_equal(
	    auth_check(a, AUTH_CONN_LOCAL, token, &chk, NULL), WAGE_OK);
	assert_string_equal(chk.name, cn);
	assert_string_equal(chk.org, org);
	auth_free(a);
}

static void
test_auth_alloc_errors(void **state)
{
	struct auth      *a = (struct auth *) 1;
	struct wage_error err;

	(void) state;
	assert_int_equal(auth_alloc(&a, g.ca.crt, NULL, g.key, 16, 60, &err),
	    WAGE_E_INTERNAL);
	assert_null(a);
	assert_int_equal(
	    auth_alloc(&a, in_base("none.crt"), NULL, g.key, 32, 60, &err),
	    WAGE_E_CERT_REJECTED);
	assert_null(a);
	assert_int_equal(
	    auth_alloc(&a, g.ca.crt, g.ca.crt, g.key, 32, 60, &err),
	    WAGE_E_CERT_REJECTED);
	assert_string_equal(err.field, "crl");
	assert_null(a);
}

/* ---- tokens --------------------------------------------------------- */

static void
test_auth_check_one_changed_character(void **state)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijkl"
	                               "mnopqrstuvwxyz0123456789+/=. ";
	struct auth      *a          = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX], t[WAGE_TOKEN_MAX];
	size_t            i, j, n;
	int               rc;

	(void) state;
	assert_int_equal(login(a, "clerk", token, &who), WAGE_OK);
	n = strlen(token);
	for (i = 0; i < n; i++) {
		for (j = 0; alphabet[j] != '\0'; j++) {
			if (alphabet[j] == token[i]) {
				continue;
			}
			memcpy(t, token, n + 1);
			t[i] = alphabet[j];
			rc   = auth_check(a, AUTH_CONN_LOCAL, t, &who, &err);
			if (rc != WAGE_E_UNAUTHENTICATED) {
				fail_msg(
				    "token with '%c' at %zu of %zu "
				    "(was '%c'): %s, want UNAUTHENTICATED",
				    alphabet[j], i, n, token[i],
				    wage_err_name(rc));
			}
		}
	}
	auth_free(a);
}

static void
test_auth_check_added_or_dropped_character(void **state)
{
	struct auth      *a = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX], t[WAGE_TOKEN_MAX + 2];
	size_t            n;

	(void) state;
	assert_int_equal(login(a, "clerk", token, &who), WAGE_OK);
	n = strlen(token);
	memcpy(t, token, n + 1);
	t[n - 1] = '\0';
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, t, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	snprintf(t, sizeof(t), "%sA", token);
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, t, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	snprintf(t, sizeof(t), "%s ", token);
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, t, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	snprintf(t, sizeof(t), "%s\n", token);
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, t, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	auth_free(a);
}

static void
test_auth_check_other_server_key(void **state)
{
	struct auth *a = new_auth(g.key, 3600), *b = new_auth(g.key2, 3600);
	struct actor who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX];

	(void) state;
	assert_int_equal(login(b, "clerk", token, &who), WAGE_OK);
	assert_int_equal(
	    auth_check(b, AUTH_CONN_LOCAL, token, &who, &err), WAGE_OK);
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, token, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	assert_string_equal(who.name, "");
	auth_free(a);
	auth_free(b);
}

static void
test_auth_check_expired(void **state)
{
	struct auth      *a = new_auth(g.key, 1);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX];

	(void) state;
	assert_int_equal(login(a, "clerk", token, &who), WAGE_OK);
	assert_int_equal(
	    auth_check(a, AUTH_CONN_LOCAL, token, &who, &err), WAGE_OK);
	sleep(2);
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, token, &who, &err),
	    WAGE_E_TOKEN_EXPIRED);
	assert_string_equal(err.field, "token");
	auth_free(a);
}

static void
test_auth_token_never_outlives_certificate(void **state)
{
	struct auth *a;
	struct actor who;
	char         token[WAGE_TOKEN_MAX];

	(void) state;
	assert_int_equal(
	    issue(g.ca.dir, "short", "赵强", ORG_ZH, "clerk", 0, 1), WAGE_OK);
	a = new_auth(g.key, 30 * 86400);
	assert_int_equal(login(a, "short", token, &who), WAGE_OK);
	assert_true(who.expires <= (int64_t) time(NULL) + 86400);
	auth_free(a);
}

static void
test_auth_check_revoked_after_login(void **state)
{
	struct auth      *a, *b;
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX], other[WAGE_TOKEN_MAX];

	(void) state;
	assert_int_equal(
	    issue(g.ca.dir, "later", "孙丽", ORG_ZH, "mediator", 0, 30),
	    WAGE_OK);
	a = new_auth(g.key, 3600);
	assert_int_equal(login(a, "later", token, &who), WAGE_OK);
	assert_int_equal(login(a, "clerk", other, &who), WAGE_OK);
	assert_int_equal(
	    pki_revoke(g.ca.dir, in_base("later.crt"), &err), WAGE_OK);
	/* The server reloads the CRL: same token key, new revocation list. */
	b = new_auth(g.key, 3600);
	assert_int_equal(auth_check(b, AUTH_CONN_LOCAL, token, &who, &err),
	    WAGE_E_CERT_REVOKED);
	/* Revocation is told before the connection: a restarted server has
	 * none of the old one's connections, so the clerk's session, good on
	 * a, is over on b. */
	assert_int_equal(
	    auth_check(a, AUTH_CONN_LOCAL, other, &who, &err), WAGE_OK);
	assert_int_equal(auth_check(b, AUTH_CONN_LOCAL, other, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	auth_free(a);
	auth_free(b);
}

static void
test_auth_check_malformed(void **state)
{
	struct auth      *a = new_auth(g.key, 3600);
	struct actor      who;
	struct wage_error err;
	char              token[WAGE_TOKEN_MAX], big[WAGE_TOKEN_MAX * 2];
	const char *const bad[] = { "", "v1.", "v1..", "v2.abc.def", "v1.abc",
		"v1.abc.def", "x", ".", "v1.%%%.AAAA" };
	size_t            i;

	(void) state;
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, NULL, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	assert_string_equal(err.field, "token");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(
		    auth_check(a, AUTH_CONN_LOCAL, bad[i], &who, &err),
		    WAGE_E_UNAUTHENTICATED);
	}
	/* A valid token padded past WAGE_TOKEN_MAX. */
	assert_int_equal(login(a, "clerk", token, &who), WAGE_OK);
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, token, strlen(token));
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, big, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	memset(big, 'A', sizeof(big) - 1);
	assert_int_equal(auth_check(a, AUTH_CONN_LOCAL, big, &who, &err),
	    WAGE_E_UNAUTHENTICATED);
	/* The message never echoes the token. */
	assert_null(strstr(err.message, "AAAA"));
	auth_free(a);
}

/* ---- subject names -------------------------------------------------- */

/*
 * A subject built by hand, attribute by attribute, as mbedtls would parse
 * it: the checks see the raw ASN.1 value and its length, so a NUL or a
 * control character no issuing tool would write can be put in directly.
 */
struct subj {
	mbedtls_x509_name n[6];
	size_t            count;
};

static void
subj_add(
    struct subj *s, const char *oid, size_t oidlen, const char *v, size_t vlen)
{
	mbedtls_x509_name *n = &s->n[s->count];

	memset(n, 0, sizeof(*n));
	n->oid.tag = MBEDTLS_ASN1_OID;
	n->oid.p   = (unsigned char *) oid;
	n->oid.len = oidlen;
	n->val.tag = MBEDTLS_ASN1_UTF8_STRING;
	n->val.p   = (unsigned char *) v;
	n->val.len = vlen;
	if (s->count > 0) {
		s->n[s->count - 1].next = n;
	}
	s->count++;
}

#define SUBJ_ADD(s, oid, v) \
	subj_add((s), (oid), sizeof(oid) - 1, (v), sizeof(v) - 1)

/* subj_good: CN, O, OU, L of a Jinan clerk, with cn as the CN bytes. */
static void
subj_good(struct subj *s, const char *cn, size_t cnlen)
{
	s->count = 0;
	subj_add(
	    s, MBEDTLS_OID_AT_CN, sizeof(MBEDTLS_OID_AT_CN) - 1, cn, cnlen);
	SUBJ_ADD(s, MBEDTLS_OID_AT_ORGANIZATION, ORG_ZH);
	SUBJ_ADD(s, MBEDTLS_OID_AT_ORG_UNIT, "clerk");
	SUBJ_ADD(s, MBEDTLS_OID_AT_LOCALITY, "370102");
}

static void
test_auth_subject_names_checked(void **state)
{
	static const char *const bad_cn[] = {
		"\x1b[2J"
		"READY",    /* ESC: a terminal escape */
		"a\nREADY", /* a forged log line */
		"a\rb",
		"a\tb",
		"a\x7f",
		"a\xc2\x85"
		"b", /* NEL (C1) */
		"a\x1f"
		"b", /* CASEREC_SEP */
		"\xff\xfe",
		"\xc0\xaf", /* not UTF-8; an overlong '/' */
		"",
		"   ",
	};
	struct subj       s;
	struct actor      who;
	struct wage_error err;
	size_t            i;

	(void) state;
	subj_good(&s, CN_ZH, strlen(CN_ZH));
	assert_int_equal(auth_subject_read(s.n, &who, &err), WAGE_OK);
	assert_string_equal(who.name, CN_ZH);
	assert_string_equal(who.org, ORG_ZH);
	assert_string_equal(who.region, "370102");

	for (i = 0; i < sizeof(bad_cn) / sizeof(bad_cn[0]); i++) {
		subj_good(&s, bad_cn[i], strlen(bad_cn[i]));
		memset(&err, 0, sizeof(err));
		assert_int_equal(
		    auth_subject_read(s.n, &who, &err), WAGE_E_CERT_REJECTED);
		assert_string_equal(err.field, "certificate");
		assert_non_null(strstr(err.message, "CN"));
	}
	/* An embedded NUL: the ASN.1 length says 6, strlen would say 1. */
	subj_good(&s, "a\0dmin", 6);
	assert_int_equal(
	    auth_subject_read(s.n, &who, &err), WAGE_E_CERT_REJECTED);
	assert_non_null(strstr(err.message, "NUL"));

	/* The index separator inside O. */
	s.count = 0;
	SUBJ_ADD(&s, MBEDTLS_OID_AT_CN, CN_ZH);
	SUBJ_ADD(&s, MBEDTLS_OID_AT_ORGANIZATION,
	    UNION_ORG "\x1f"
	              "370102");
	SUBJ_ADD(&s, MBEDTLS_OID_AT_ORG_UNIT, "union");
	SUBJ_ADD(&s, MBEDTLS_OID_AT_LOCALITY, "370102");
	assert_int_equal(
	    auth_subject_read(s.n, &who, &err), WAGE_E_CERT_REJECTED);
	assert_non_null(strstr(err.message, "O "));

	/* Two OU values: neither wins, the certificate is refused. */
	subj_good(&s, CN_ZH, strlen(CN_ZH));
	SUBJ_ADD(&s, MBEDTLS_OID_AT_ORG_UNIT, "admin");
	assert_int_equal(
	    auth_subject_read(s.n, &who, &err), WAGE_E_CERT_REJECTED);
	assert_non_null(strstr(err.message, "OU more than once"));
	subj_good(&s, CN_ZH, strlen(CN_ZH));
	SUBJ_ADD(&s, MBEDTLS_OID_AT_LOCALITY, "370200");
	assert_int_equal(
	    auth_subject_read(s.n, &who, &err), WAGE_E_CERT_REJECTED);
	assert_non_null(strstr(err.message, "L more than once"));

	/* A missing attribute is named; a BMPString is refused. */
	subj_good(&s, CN_ZH, strlen(CN_ZH));
	s.n[2].next = NULL; /* drop L */
	assert_int_equal(
	    auth_subject_read(s.n, &who, &err), WAGE_E_CERT_REJECTED);
	assert_non_null(strstr(err.message, "L is missing"));
	subj_good(&s, "\x5f\x20", 2);
	s.n[0].val.tag = MBEDTLS_ASN1_BMP_STRING;
	assert_int_equal(
	    auth_subject_read(s.n, &who, &err), WAGE_E_CERT_REJECTED);
	assert_non_null(strstr(err.message, "CN must be a UTF8String"));
}

static void
test_auth_subject_name_lengths(void **state)
{
	struct subj       s;
	struct actor      who;
	struct wage_error err;
	char              cn[WAGE_MAX_NAME_CHARS * 3 + 8];
	int               i;

	(void) state;
	cn[0] = '\0';
	for (i = 0; i < WAGE_MAX_NAME_CHARS; i++) {
		strcat(cn, "张");
	}
	subj_good(&s, cn, strlen(cn));
	assert_int_equal(auth_subject_read(s.n, &who, &err), WAGE_OK);
	assert_string_equal(who.name, cn);
	strcat(cn, "张");
	subj_good(&s, cn, strlen(cn));
	assert_int_equal(
	    auth_subject_read(s.n, &who, &err), WAGE_E_CERT_REJECTED);
	assert_non_null(strstr(err.message, "at most"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_auth_login_sets_actor),
		cmocka_unit_test(test_auth_login_challenge_is_single_use),
		cmocka_unit_test(test_auth_login_unknown_challenge),
		cmocka_unit_test(test_auth_login_dropped_challenge),
		cmocka_unit_test(test_auth_login_challenge_flood_other_conn),
		cmocka_unit_test(test_auth_check_other_conn),
		cmocka_unit_test(test_auth_login_signature_by_another_key),
		cmocka_unit_test(test_auth_login_foreign_ca_rejected),
		cmocka_unit_test(test_auth_login_server_cert_rejected),
		cmocka_unit_test(test_auth_login_revoked_cert),
		cmocka_unit_test(test_auth_login_longest_names),
		cmocka_unit_test(test_auth_alloc_errors),
		cmocka_unit_test(test_auth_check_one_changed_character),
		cmocka_unit_test(test_auth_check_added_or_dropped_character),
		cmocka_unit_test(test_auth_check_other_server_key),
		cmocka_unit_test(test_auth_check_expired),
		cmocka_unit_test(test_auth_token_never_outlives_certificate),
		cmocka_unit_test(test_auth_check_revoked_after_login),
		cmocka_unit_test(test_auth_check_malformed),
		cmocka_unit_test(test_auth_subject_names_checked),
		cmocka_unit_test(test_auth_subject_name_lengths),
	};

	return (cmocka_run_group_tests_name(
	    "auth", tests, group_setup, group_teardown));
}
