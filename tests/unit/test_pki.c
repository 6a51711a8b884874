/* SPDX-License-Identifier: MIT */
/*
 * test_pki.c - unit tests of client/pki.c: the CA directory, certificate
 * issue (Chinese names, SAN), input checks, revocation and the CRL as
 * mbedTLS reads it, the login signature, and one real mutual-TLS nng
 * REQ/REP exchange using the certificates and CRL made here.
 * Each test works in its own mkdtemp directory, removed afterwards.
 */
#include <sys/stat.h>

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
#include <mbedtls/oid.h>
#include <mbedtls/x509_crl.h>
#include <mbedtls/x509_crt.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>

#include "pki.h"

#include "support_file.h"
#include "support_tmp.h"

#define CN_ZH  "张伟"
#define ORG_ZH "济南市劳动人事争议仲裁院"

struct fx {
	char base[64];
	char ca[128];
	char path[256]; /* scratch */
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL) {
		return (-1);
	}
	if (tsupport_tmpdir(fx->base, sizeof(fx->base), "test_pki") != 0) {
		free(fx);
		return (-1);
	}
	snprintf(fx->ca, sizeof(fx->ca), "%s/ca", fx->base);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	tsupport_rmtree(fx->base);
	free(fx);
	return (0);
}

/* Helpers. */

static const char *
fpath(struct fx *fx, const char *name)
{
	snprintf(fx->path, sizeof(fx->path), "%s/%s", fx->base, name);
	return (fx->path);
}

static mode_t
file_mode(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (st.st_mode & 07777);
}

static int
exists(const char *path)
{
	struct stat st;

	return (lstat(path, &st) == 0);
}

static void
init_ca(const char *dir, const char *name)
{
	struct wage_error err;

	assert_int_equal(pki_init(dir, name, &err), WAGE_OK);
}

static time_t
x509_secs(const mbedtls_x509_time *t)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = t->year - 1900;
	tm.tm_mon  = t->mon - 1;
	tm.tm_mday = t->day;
	tm.tm_hour = t->hour;
	tm.tm_min  = t->min;
	tm.tm_sec  = t->sec;
	return (timegm(&tm));
}

/* issue_client issues a clerk certificate to base/<name>.{key,crt}. */
static void
issue_client(struct fx *fx, const char *ca, const char *name, const char *cn)
{
	struct pki_subject s = { cn, ORG_ZH, "clerk", "370102" };
	struct wage_error  err;
	char               out[256];

	snprintf(out, sizeof(out), "%s/%s", fx->base, name);
	assert_int_equal(
	    pki_issue(ca, &s, 0, NULL, 0, NULL, 0, 30, out, &err), WAGE_OK);
}

static void
issue_server(struct fx *fx, const char *name)
{
	const char        *dns[] = { "localhost" };
	const char        *ips[] = { "127.0.0.1" };
	struct pki_subject s     = { "wage-server", "wage-server", NULL,
		    "370102" };
	struct wage_error  err;
	char               out[256];

	snprintf(out, sizeof(out), "%s/%s", fx->base, name);
	assert_int_equal(
	    pki_issue(fx->ca, &s, 1, dns, 1, ips, 1, 30, out, &err), WAGE_OK);
}

static void
load_crt(mbedtls_x509_crt *crt, const char *path)
{
	mbedtls_x509_crt_init(crt);
	assert_int_equal(mbedtls_x509_crt_parse_file(crt, path), 0);
}

/* name_is checks one DN attribute: value bytes and UTF8String tag. */
static void
name_is(const mbedtls_x509_name *n, const char *oid, size_t oidlen,
    const char *want)
{
	for (; n != NULL; n = n->next) {
		if (n->oid.len == oidlen &&
		    memcmp(n->oid.p, oid, oidlen) == 0) {
			assert_int_equal(n->val.tag, MBEDTLS_ASN1_UTF8_STRING);
			assert_int_equal(n->val.len, strlen(want));
			assert_memory_equal(n->val.p, want, strlen(want));
			return;
		}
	}
	fail_msg("attribute missing, want %s", want);
}

static uint32_t
verify(const mbedtls_x509_crt *crt, const char *ca_path, const char *crl_path,
    const char *cn)
{
	mbedtls_x509_crt ca;
	mbedtls_x509_crl crl;
	uint32_t         flags = 0;
	int              ret;

	load_crt(&ca, ca_path);
	mbedtls_x509_crl_init(&crl);
	if (crl_path != NULL) {
		assert_int_equal(
		    mbedtls_x509_crl_parse_file(&crl, crl_path), 0);
	}
	ret = mbedtls_x509_crt_verify((mbedtls_x509_crt *) crt, &ca,
	    crl_path != NULL ? &crl : NULL, cn, &flags, NULL, NULL);
	assert_true((ret == 0) == (flags == 0));
	mbedtls_x509_crl_free(&crl);
	mbedtls_x509_crt_free(&ca);
	return (flags);
}

/* count_lines returns how many lines the file at path has. */
static size_t
count_lines(const char *path)
{
	char  *s = tsupport_slurp(path, NULL);
	size_t n = (size_t) tsupport_count_lines(s);

	free(s);
	return (n);
}

/* Tests. */

static void
test_pki_init_creates_files(void **state)
{
	struct fx        *fx = *state;
	struct wage_error err;
	mbedtls_x509_crt  ca;
	mbedtls_x509_crl  crl;
	char              p[256];
	char             *key1;
	char             *key2;
	char             *serial;

	assert_int_equal(pki_init(fx->ca, "测试 CA", &err), WAGE_OK);
	assert_int_equal(err.code, WAGE_OK);
	assert_int_equal(file_mode(fx->ca), 0700);
	snprintf(p, sizeof(p), "%s/ca.key", fx->ca);
	assert_int_equal(file_mode(p), 0600);
	key1 = tsupport_slurp(p, NULL);
	assert_non_null(strstr(key1, "-----BEGIN EC PRIVATE KEY-----"));

	snprintf(p, sizeof(p), "%s/serial", fx->ca);
	serial = tsupport_slurp(p, NULL);
	assert_string_equal(serial, "02\n");
	free(serial);
	snprintf(p, sizeof(p), "%s/revoked.txt", fx->ca);
	assert_int_equal(count_lines(p), 0);

	snprintf(p, sizeof(p), "%s/ca.crt", fx->ca);
	load_crt(&ca, p);
	assert_int_equal(ca.version, 3);
	assert_int_equal(ca.ca_istrue, 1);
	assert_int_equal(ca.max_pathlen, 1); /* mbedTLS stores pathlen + 1 */
	assert_int_equal(
	    mbedtls_x509_crt_check_key_usage(
	        &ca, MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN),
	    0);
	assert_int_equal(ca.sig_md, MBEDTLS_MD_SHA256);
	assert_int_equal(ca.sig_pk, MBEDTLS_PK_ECDSA);
	assert_int_equal(ca.valid_to.year - ca.valid_from.year, 10);
	name_is(&ca.subject, MBEDTLS_OID_AT_CN,
	    MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_CN), "测试 CA");
	name_is(&ca.subject, MBEDTLS_OID_AT_ORGANIZATION,
	    MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_ORGANIZATION),
	    "wage-server development CA");
	assert_int_equal(verify(&ca, p, NULL, NULL), 0);

	snprintf(p, sizeof(p), "%s/crl.pem", fx->ca);
	mbedtls_x509_crl_init(&crl);
	assert_int_equal(mbedtls_x509_crl_parse_file(&crl, p), 0);
	assert_int_equal(crl.version, 2);
	assert_int_equal(crl.entry.serial.len, 0); /* no revoked entries */
	assert_int_equal(crl.issuer_raw.len, ca.subject_raw.len);
	assert_memory_equal(
	    crl.issuer_raw.p, ca.subject_raw.p, ca.subject_raw.len);
	mbedtls_x509_crl_free(&crl);
	mbedtls_x509_crt_free(&ca);

	/* A second init refuses and leaves the key alone. */
	assert_int_equal(
	    pki_init(fx->ca, "other", &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "dir");
	assert_non_null(strstr(err.message, "already exists"));
	snprintf(p, sizeof(p), "%s/ca.key", fx->ca);
	key2 = tsupport_slurp(p, NULL);
	assert_string_equal(key1, key2);
	free(key2);
	free(key1);

	/* An existing empty directory is fine; a bad CA name is not. */
	assert_int_equal(mkdir(fpath(fx, "pre"), 0700), 0);
	assert_int_equal(pki_init(fpath(fx, "pre"), "CA", &err), WAGE_OK);
	assert_int_equal(
	    pki_init(fpath(fx, "bad"), "a,b", &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "ca_name");
	assert_false(exists(fpath(fx, "bad/ca.key")));
}

static void
test_pki_issue_client_chinese_subject(void **state)
{
	struct fx       *fx = *state;
	mbedtls_x509_crt a;
	mbedtls_x509_crt b;
	char             ca[256];

	init_ca(fx->ca, "wage dev CA");
	issue_client(fx, fx->ca, "zhang", CN_ZH);
	issue_client(fx, fx->ca, "li", "李娜");
	snprintf(ca, sizeof(ca), "%s/ca.crt", fx->ca);

	assert_int_equal(file_mode(fpath(fx, "zhang.key")), 0600);
	load_crt(&a, fpath(fx, "zhang.crt"));
	name_is(&a.subject, MBEDTLS_OID_AT_CN,
	    MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_CN), CN_ZH);
	name_is(&a.subject, MBEDTLS_OID_AT_ORGANIZATION,
	    MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_ORGANIZATION), ORG_ZH);
	name_is(&a.subject, MBEDTLS_OID_AT_ORG_UNIT,
	    MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_ORG_UNIT), "clerk");
	name_is(&a.subject, MBEDTLS_OID_AT_LOCALITY,
	    MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_LOCALITY), "370102");
	assert_int_equal(a.ca_istrue, 0);
	assert_int_equal(mbedtls_x509_crt_check_key_usage(
	                     &a, MBEDTLS_X509_KU_DIGITAL_SIGNATURE),
	    0);
	assert_int_equal(mbedtls_x509_crt_check_extended_key_usage(&a,
	                     MBEDTLS_OID_CLIENT_AUTH,
	                     MBEDTLS_OID_SIZE(MBEDTLS_OID_CLIENT_AUTH)),
	    0);
	assert_int_not_equal(mbedtls_x509_crt_check_extended_key_usage(&a,
	                         MBEDTLS_OID_SERVER_AUTH,
	                         MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)),
	    0);
	assert_int_equal(verify(&a, ca, NULL, NULL), 0);

	/* Serials are unique and increasing: 02, then 03. */
	load_crt(&b, fpath(fx, "li.crt"));
	assert_int_equal(a.serial.len, 1);
	assert_int_equal(b.serial.len, 1);
	assert_int_equal(a.serial.p[0], 2);
	assert_int_equal(b.serial.p[0], 3);
	assert_int_equal(verify(&b, ca, NULL, NULL), 0);
	mbedtls_x509_crt_free(&b);
	mbedtls_x509_crt_free(&a);
}

static void
test_pki_issue_server_san(void **state)
{
	struct fx                   *fx = *state;
	mbedtls_x509_crt             s;
	const mbedtls_x509_sequence *san;
	char                         ca[256];
	int                          dns_localhost = 0;
	int                          dns_ip        = 0;
	int                          ip            = 0;

	init_ca(fx->ca, "wage dev CA");
	issue_server(fx, "server");
	snprintf(ca, sizeof(ca), "%s/ca.crt", fx->ca);
	load_crt(&s, fpath(fx, "server.crt"));

	assert_true(s.ext_types & MBEDTLS_X509_EXT_SUBJECT_ALT_NAME);
	for (san = &s.subject_alt_names; san != NULL; san = san->next) {
		const mbedtls_x509_buf *b = &san->buf;

		if (b->tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2) &&
		    b->len == 9 && memcmp(b->p, "localhost", 9) == 0) {
			dns_localhost++;
		} else if (b->tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 2) &&
		    b->len == 9 && memcmp(b->p, "127.0.0.1", 9) == 0) {
			dns_ip++;
		} else if (b->tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) &&
		    b->len == 4 && memcmp(b->p, "\x7f\0\0\x01", 4) == 0) {
			ip++;
		} else {
			fail_msg("unexpected SAN entry, tag 0x%x", b->tag);
		}
	}
	assert_int_equal(dns_localhost, 1);
	assert_int_equal(dns_ip, 1);
	assert_int_equal(ip, 1);
	name_is(&s.subject, MBEDTLS_OID_AT_ORG_UNIT,
	    MBEDTLS_OID_SIZE(MBEDTLS_OID_AT_ORG_UNIT), "server");
	assert_int_equal(mbedtls_x509_crt_check_extended_key_usage(&s,
	                     MBEDTLS_OID_SERVER_AUTH,
	                     MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)),
	    0);

	assert_int_equal(verify(&s, ca, NULL, "localhost"), 0);
	assert_int_equal(verify(&s, ca, NULL, "127.0.0.1"), 0);
	assert_int_equal(verify(&s, ca, NULL, "evil.example"),
	    MBEDTLS_X509_BADCERT_CN_MISMATCH);
	mbedtls_x509_crt_free(&s);
}

static void
test_pki_issue_rejects_bad_input(void **state)
{
	struct fx         *fx = *state;
	struct wage_error  err;
	struct pki_subject s;
	const char        *dns[]     = { "localhost" };
	const char        *bad_dns[] = { "bad_host" };
	const char        *bad_ip[]  = { "300.1.1.1" };
	const char        *out;
	char               serial[256];
	char              *before;
	char              *after;
	size_t             i;
	static const struct {
		const char *cn, *org, *role, *region;
		const char *field;
	} cases[] = {
		{ CN_ZH, ORG_ZH, "janitor", "370102", "role" },
		{ CN_ZH, ORG_ZH, NULL, "370102", "role" },
		{ CN_ZH, ORG_ZH, "server", "370102", "role" },
		{ CN_ZH, ORG_ZH, "clerk", "37010", "region" },
		{ CN_ZH, ORG_ZH, "clerk", "3701022", "region" },
		{ CN_ZH, ORG_ZH, "clerk", "37010a", "region" },
		{ CN_ZH, ORG_ZH, "clerk", NULL, "region" },
		{ "张,伟", ORG_ZH, "clerk", "370102", "cn" },
		{ "CN=x", ORG_ZH, "clerk", "370102", "cn" },
		{ "a+b", ORG_ZH, "clerk", "370102", "cn" },
		{ "a\\b", ORG_ZH, "clerk", "370102", "cn" },
		{ "a\nb", ORG_ZH, "clerk", "370102", "cn" },
		{ "\xe5\xbc", ORG_ZH, "clerk", "370102",
		    "cn" }, /* cut UTF-8 */
		{ "\xc0\xac", ORG_ZH, "clerk", "370102",
		    "cn" }, /* overlong , */
		{ " 张伟", ORG_ZH, "clerk", "370102", "cn" },
		{ "", ORG_ZH, "clerk", "370102", "cn" },
		{ CN_ZH, "a;b", "clerk", "370102", "org" },
		{ CN_ZH, "<b>", "clerk", "370102", "org" },
		{ CN_ZH, NULL, "clerk", "370102", "org" },
		/* Issue 13, part 11: what would forge a log line or a key. */
		{ "\x1b[2JREADY", ORG_ZH, "clerk", "370102", "cn" },
		{ "a\rb", ORG_ZH, "clerk", "370102", "cn" },
		{ "a\xc2\x85"
		  "b",
		    ORG_ZH, "clerk", "370102", "cn" },
		{ CN_ZH,
		    ORG_ZH "\x1f"
		           "370102",
		    "union", "370102", "org" },
		{ CN_ZH, "a\tb", "clerk", "370102", "org" },
	};

	init_ca(fx->ca, "wage dev CA");
	snprintf(serial, sizeof(serial), "%s/serial", fx->ca);
	before = tsupport_slurp(serial, NULL);
	out    = fpath(fx, "x");
	out    = strdup(out);
	assert_non_null(out);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		s.cn     = cases[i].cn;
		s.org    = cases[i].org;
		s.role   = cases[i].role;
		s.region = cases[i].region;
		assert_int_equal(
		    pki_issue(fx->ca, &s, 0, NULL, 0, NULL, 0, 30, out, &err),
		    WAGE_E_INVALID_ARGUMENT);
		assert_string_equal(err.field, cases[i].field);
		assert_true(strlen(err.message) > 0);
	}
	s.cn     = CN_ZH;
	s.org    = ORG_ZH;
	s.role   = "clerk";
	s.region = "370102";
	assert_int_equal(
	    pki_issue(fx->ca, &s, 0, NULL, 0, NULL, 0, 0, out, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "days");
	assert_int_equal(
	    pki_issue(fx->ca, &s, 0, NULL, 0, NULL, 0, 3651, out, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "days");
	assert_int_equal(
	    pki_issue(fx->ca, &s, 0, dns, 1, NULL, 0, 30, out, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "dns");
	assert_int_equal(pki_issue(fx->ca, &s, 0, NULL, 0, NULL, 0, 30,
	                     fpath(fx, "nodir/x"), &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "out_base");
	assert_int_equal(pki_issue(fpath(fx, "noca"), &s, 0, NULL, 0, NULL, 0,
	                     30, out, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "dir");

	/* Servers: role "server", at least one valid name. */
	s.role = NULL;
	assert_int_equal(
	    pki_issue(fx->ca, &s, 1, NULL, 0, NULL, 0, 30, out, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "dns");
	assert_int_equal(
	    pki_issue(fx->ca, &s, 1, bad_dns, 1, NULL, 0, 30, out, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "dns");
	assert_int_equal(
	    pki_issue(fx->ca, &s, 1, dns, 1, bad_ip, 1, 30, out, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "ips");
	s.role = "clerk";
	assert_int_equal(
	    pki_issue(fx->ca, &s, 1, dns, 1, NULL, 0, 30, out, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "role");

	/* Nothing was issued, no serial was used, no file was left. */
	after = tsupport_slurp(serial, NULL);
	assert_string_equal(before, after);
	free(after);
	free(before);
	assert_false(exists(fpath(fx, "x.key")));
	assert_false(exists(fpath(fx, "x.crt")));

	/* An existing output is never overwritten. */
	issue_client(fx, fx->ca, "x", CN_ZH);
	after = tsupport_slurp(fpath(fx, "x.key"), NULL);
	assert_int_equal(
	    pki_issue(fx->ca, &s, 0, NULL, 0, NULL, 0, 30, out, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "out_base");
	assert_non_null(strstr(err.message, "already exists"));
	before = tsupport_slurp(fpath(fx, "x.key"), NULL);
	assert_string_equal(before, after);
	free(after);
	free(before);
	free((char *) out);
}

static void
test_pki_other_ca_does_not_verify(void **state)
{
	struct fx        *fx = *state;
	struct wage_error err;
	mbedtls_x509_crt  c;
	char              ca2[256];
	char              ca[256];

	init_ca(fx->ca, "wage dev CA");
	snprintf(ca2, sizeof(ca2), "%s/ca2", fx->base);
	init_ca(ca2, "wage dev CA"); /* same name, other key */
	issue_client(fx, ca2, "mallory", CN_ZH);
	snprintf(ca, sizeof(ca), "%s/ca.crt", fx->ca);

	load_crt(&c, fpath(fx, "mallory.crt"));
	assert_true(
	    verify(&c, ca, NULL, NULL) & MBEDTLS_X509_BADCERT_NOT_TRUSTED);
	mbedtls_x509_crt_free(&c);

	/* Nor may our CA revoke what it did not issue. */
	assert_int_equal(pki_revoke(fx->ca, fpath(fx, "mallory.crt"), &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "cert_path");
}

static void
test_pki_revoke_updates_crl(void **state)
{
	struct fx        *fx = *state;
	struct wage_error err;
	mbedtls_x509_crt  a;
	mbedtls_x509_crt  b;
	mbedtls_x509_crl  crl;
	char              ca[256];
	char              crlp[256];
	char              rev[256];

	init_ca(fx->ca, "wage dev CA");
	issue_client(fx, fx->ca, "a", CN_ZH);
	issue_client(fx, fx->ca, "b", "李娜");
	snprintf(ca, sizeof(ca), "%s/ca.crt", fx->ca);
	snprintf(crlp, sizeof(crlp), "%s/crl.pem", fx->ca);
	snprintf(rev, sizeof(rev), "%s/revoked.txt", fx->ca);
	load_crt(&a, fpath(fx, "a.crt"));
	load_crt(&b, fpath(fx, "b.crt"));
	assert_int_equal(verify(&a, ca, crlp, NULL), 0);

	assert_int_equal(
	    pki_revoke(fx->ca, fpath(fx, "a.crt"), &err), WAGE_OK);
	assert_int_equal(count_lines(rev), 1);
	mbedtls_x509_crl_init(&crl);
	assert_int_equal(mbedtls_x509_crl_parse_file(&crl, crlp), 0);
	assert_int_equal(crl.version, 2);
	assert_int_equal(crl.entry.serial.len, a.serial.len);
	assert_memory_equal(crl.entry.serial.p, a.serial.p, a.serial.len);
	assert_null(crl.entry.next);
	assert_int_equal(
	    x509_secs(&crl.next_update) - x509_secs(&crl.this_update),
	    PKI_CRL_DAYS * 86400);
	mbedtls_x509_crl_free(&crl);

	assert_int_equal(
	    verify(&a, ca, crlp, NULL), MBEDTLS_X509_BADCERT_REVOKED);
	assert_int_equal(verify(&b, ca, crlp, NULL), 0);
	assert_int_equal(
	    verify(&a, ca, NULL, NULL), 0); /* CRL is the reason */

	/* Revoking twice lists once; a fresh CRL keeps the entry. */
	assert_int_equal(
	    pki_revoke(fx->ca, fpath(fx, "a.crt"), &err), WAGE_OK);
	assert_int_equal(count_lines(rev), 1);
	assert_int_equal(pki_write_crl(fx->ca, 7, &err), WAGE_OK);
	assert_int_equal(
	    verify(&a, ca, crlp, NULL), MBEDTLS_X509_BADCERT_REVOKED);
	assert_int_equal(verify(&b, ca, crlp, NULL), 0);

	assert_int_equal(
	    pki_revoke(fx->ca, fpath(fx, "b.crt"), &err), WAGE_OK);
	assert_int_equal(count_lines(rev), 2);
	assert_int_equal(
	    verify(&b, ca, crlp, NULL), MBEDTLS_X509_BADCERT_REVOKED);

	assert_int_equal(
	    pki_write_crl(fx->ca, 0, &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "days");
	assert_int_equal(
	    pki_revoke(fx->ca, ca, &err), WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "cert_path");
	assert_int_equal(pki_revoke(fx->ca, fpath(fx, "none.crt"), &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "cert_path");
	assert_int_equal(pki_revoke(fx->ca, fpath(fx, "a.key"), &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "cert_path");
	mbedtls_x509_crt_free(&b);
	mbedtls_x509_crt_free(&a);
}

static void
test_pki_sign_verify_round_trip(void **state)
{
	struct fx        *fx = *state;
	struct wage_error err;
	unsigned char     msg[] = "challenge 0123456789abcdef";
	unsigned char     sig[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
	size_t            siglen   = 0;
	size_t            crtlen   = 0;
	size_t            otherlen = 0;
	char             *crt;
	char             *other;

	init_ca(fx->ca, "wage dev CA");
	issue_client(fx, fx->ca, "a", CN_ZH);
	issue_client(fx, fx->ca, "b", "李娜");
	crt   = tsupport_slurp(fpath(fx, "a.crt"), &crtlen);
	other = tsupport_slurp(fpath(fx, "b.crt"), &otherlen);

	assert_int_equal(pki_sign(fpath(fx, "a.key"), msg, sizeof(msg), sig,
	                     sizeof(sig), &siglen, &err),
	    WAGE_OK);
	assert_true(siglen > 0 && siglen <= 72);
	assert_int_equal(pki_verify((unsigned char *) crt, crtlen, msg,
	                     sizeof(msg), sig, siglen),
	    WAGE_OK);
	assert_int_equal(pki_verify((unsigned char *) crt, crtlen + 1, msg,
	                     sizeof(msg), sig, siglen),
	    WAGE_OK); /* with the NUL */

	msg[0] ^= 1;
	assert_int_equal(pki_verify((unsigned char *) crt, crtlen, msg,
	                     sizeof(msg), sig, siglen),
	    WAGE_E_BAD_SIGNATURE);
	msg[0] ^= 1;
	sig[siglen - 1] ^= 1;
	assert_int_equal(pki_verify((unsigned char *) crt, crtlen, msg,
	                     sizeof(msg), sig, siglen),
	    WAGE_E_BAD_SIGNATURE);
	sig[siglen - 1] ^= 1;
	assert_int_equal(pki_verify((unsigned char *) other, otherlen, msg,
	                     sizeof(msg), sig, siglen),
	    WAGE_E_BAD_SIGNATURE);
	assert_int_equal(pki_verify((const unsigned char *) "junk", 4, msg,
	                     sizeof(msg), sig, siglen),
	    WAGE_E_BAD_SIGNATURE);

	assert_int_equal(pki_sign(fpath(fx, "a.key"), msg, sizeof(msg), sig, 8,
	                     &siglen, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(siglen, 0);
	assert_int_equal(pki_sign(fpath(fx, "a.crt"), msg, sizeof(msg), sig,
	                     sizeof(sig), &siglen, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "key_path");
	assert_int_equal(chmod(fpath(fx, "a.key"), 0640), 0);
	assert_int_equal(pki_sign(fpath(fx, "a.key"), msg, sizeof(msg), sig,
	                     sizeof(sig), &siglen, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "key_path");
	assert_non_null(strstr(err.message, "chmod 600"));
	free(other);
	free(crt);
}

/*
 * The transport test: a REP listener with the server certificate that
 * requires a client certificate from our CA and checks our CRL.
 */

/*
 * exchange dials url as a REQ client with the given certificate (crt and
 * key may be NULL) and tries one request/reply round trip with rep.
 * Returns 0 on a completed round trip, else the first nng error.
 */
static int
exchange(const char *url, nng_socket rep, const char *ca, const char *crt,
    const char *key, const char *server_name)
{
	nng_socket      req;
	nng_dialer      d;
	nng_tls_config *cfg;
	char            buf[16];
	size_t          sz;
	int             rv;

	assert_int_equal(nng_req0_open(&req), 0);
	assert_int_equal(nng_socket_set_ms(req, NNG_OPT_SENDTIMEO, 1000), 0);
	assert_int_equal(nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 1000), 0);
	assert_int_equal(nng_dialer_create(&d, req, url), 0);
	assert_int_equal(nng_tls_config_alloc(&cfg, NNG_TLS_MODE_CLIENT), 0);
	if (crt != NULL) {
		assert_int_equal(
		    nng_tls_config_own_cert(cfg, crt, key, NULL), 0);
	}
	assert_int_equal(nng_tls_config_ca_chain(cfg, ca, NULL), 0);
	assert_int_equal(nng_tls_config_server_name(cfg, server_name), 0);
	assert_int_equal(nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, cfg), 0);
	nng_tls_config_free(cfg); /* the dialer holds its own reference */
	assert_int_equal(nng_dialer_start(d, NNG_FLAG_NONBLOCK), 0);

	/* REQ send waits (up to the send timeout) for a connected pipe. */
	if ((rv = nng_send(req, "ping", 5, 0)) != 0) {
		goto out;
	}
	sz = sizeof(buf);
	if ((rv = nng_recv(rep, buf, &sz, 0)) != 0) {
		goto out;
	}
	assert_int_equal(sz, 5);
	assert_string_equal(buf, "ping");
	assert_int_equal(nng_send(rep, "pong", 5, 0), 0);
	sz = sizeof(buf);
	if ((rv = nng_recv(req, buf, &sz, 0)) != 0) {
		goto out;
	}
	assert_string_equal(buf, "pong");

out:
	nng_close(req);
	return (rv);
}

static void
test_pki_tls_mutual_auth(void **state)
{
	struct fx        *fx = *state;
	struct wage_error err;
	nng_socket        rep;
	nng_listener      l;
	nng_tls_config   *cfg;
	char              ca2[256];
	char              p[256];
	char              url[64];
	char             *ca;
	char             *crl;
	char             *scrt;
	char             *skey;
	char             *good_crt;
	char             *good_key;
	char             *bad_crt;
	char             *bad_key;
	char             *rev_crt;
	char             *rev_key;
	char              buf[16];
	size_t            sz;
	int               port = 0;

	init_ca(fx->ca, "wage dev CA");
	snprintf(ca2, sizeof(ca2), "%s/ca2", fx->base);
	init_ca(ca2, "wage dev CA");
	issue_server(fx, "server");
	issue_client(fx, fx->ca, "good", CN_ZH);
	issue_client(fx, fx->ca, "revoked", "李娜");
	issue_client(fx, ca2, "other", CN_ZH);
	assert_int_equal(
	    pki_revoke(fx->ca, fpath(fx, "revoked.crt"), &err), WAGE_OK);

	snprintf(p, sizeof(p), "%s/ca.crt", fx->ca);
	ca = tsupport_slurp(p, NULL);
	snprintf(p, sizeof(p), "%s/crl.pem", fx->ca);
	crl      = tsupport_slurp(p, NULL);
	scrt     = tsupport_slurp(fpath(fx, "server.crt"), NULL);
	skey     = tsupport_slurp(fpath(fx, "server.key"), NULL);
	good_crt = tsupport_slurp(fpath(fx, "good.crt"), NULL);
	good_key = tsupport_slurp(fpath(fx, "good.key"), NULL);
	bad_crt  = tsupport_slurp(fpath(fx, "other.crt"), NULL);
	bad_key  = tsupport_slurp(fpath(fx, "other.key"), NULL);
	rev_crt  = tsupport_slurp(fpath(fx, "revoked.crt"), NULL);
	rev_key  = tsupport_slurp(fpath(fx, "revoked.key"), NULL);

	assert_int_equal(nng_rep0_open(&rep), 0);
	assert_int_equal(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 2000), 0);
	assert_int_equal(nng_socket_set_ms(rep, NNG_OPT_SENDTIMEO, 2000), 0);
	assert_int_equal(
	    nng_listener_create(&l, rep, "tls+tcp://127.0.0.1:0"), 0);
	assert_int_equal(nng_tls_config_alloc(&cfg, NNG_TLS_MODE_SERVER), 0);
	assert_int_equal(nng_tls_config_own_cert(cfg, scrt, skey, NULL), 0);
	assert_int_equal(nng_tls_config_ca_chain(cfg, ca, crl), 0);
	assert_int_equal(
	    nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED), 0);
	assert_int_equal(nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, cfg), 0);
	nng_tls_config_free(cfg);
	assert_int_equal(nng_listener_start(l, 0), 0);
	assert_int_equal(
	    nng_listener_get_int(l, NNG_OPT_TCP_BOUND_PORT, &port), 0);
	snprintf(url, sizeof(url), "tls+tcp://127.0.0.1:%d", port);

	/* A client of our CA, by host name and by IP (the IP dNSName). */
	assert_int_equal(
	    exchange(url, rep, ca, good_crt, good_key, "localhost"), 0);
	assert_int_equal(
	    exchange(url, rep, ca, good_crt, good_key, "127.0.0.1"), 0);

	/* Refused: another CA's client, no client cert, a revoked one, and
	 * (by the client) a server name the certificate does not carry. */
	assert_int_not_equal(
	    exchange(url, rep, ca, bad_crt, bad_key, "localhost"), 0);
	assert_int_not_equal(
	    exchange(url, rep, ca, NULL, NULL, "localhost"), 0);
	assert_int_not_equal(
	    exchange(url, rep, ca, rev_crt, rev_key, "localhost"), 0);
	assert_int_not_equal(
	    exchange(url, rep, ca, good_crt, good_key, "wrong.example"), 0);

	/* None of them reached the server; it still serves. */
	assert_int_equal(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 100), 0);
	sz = sizeof(buf);
	assert_int_equal(nng_recv(rep, buf, &sz, 0), NNG_ETIMEDOUT);
	assert_int_equal(nng_socket_set_ms(rep, NNG_OPT_RECVTIMEO, 2000), 0);
	assert_int_equal(
	    exchange(url, rep, ca, good_crt, good_key, "localhost"), 0);

	nng_close(rep);
	free(rev_key);
	free(rev_crt);
	free(bad_key);
	free(bad_crt);
	free(good_key);
	free(good_crt);
	free(skey);
	free(scrt);
	free(crl);
	free(ca);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_pki_init_creates_files, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pki_issue_client_chinese_subject, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pki_issue_server_san, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pki_issue_rejects_bad_input, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pki_other_ca_does_not_verify, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pki_revoke_updates_crl, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pki_sign_verify_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_pki_tls_mutual_auth, setup, teardown),
	};

	return (cmocka_run_group_tests_name("pki", tests, NULL, NULL));
}
