/* SPDX-License-Identifier: MIT */
/*
 * hostile.c - the hostile-request suite: every line of requests.tsv is a
 * request a careless or malicious client could send, with the error code it
 * must get. Sent raw over mutual TLS. Afterwards the store and the audit
 * log must hold exactly the intended writes, and the server still serves.
 *
 * usage: hostile PKIDIR requests.tsv   (server from WAGE_SERVER, WAGE_CA)
 * Roles name certificates PKIDIR/ROLE.crt; "-" sends with no session.
 * Then the connection attacks of issue 13: a session token sent over
 * another connection, and a flood of challenges on one connection while
 * another logs in.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>

#include "pki.h"
#include "wage/client.h"

#define MAX_ROLES 16

struct session {
	char         role[32];
	wage_client *c;
};

static struct session sessions[MAX_ROLES];
static const char    *pkidir;

static wage_client *
session(const char *role)
{
	struct wage_client_config cfg;
	struct wage_error         err;
	char                      cert[512], key[512];
	int                       i;

	if (strcmp(role, "-") == 0) {
		role = "clerk"; /* a transport; the request carries no token */
	}
	for (i = 0; i < MAX_ROLES && sessions[i].c != NULL; i++) {
		if (strcmp(sessions[i].role, role) == 0) {
			return (sessions[i].c);
		}
	}
	if (i == MAX_ROLES) {
		return (NULL);
	}
	snprintf(cert, sizeof(cert), "%s/%s.crt", pkidir, role);
	snprintf(key, sizeof(key), "%s/%s.key", pkidir, role);
	memset(&cfg, 0, sizeof(cfg));
	cfg.server = getenv("WAGE_SERVER");
	cfg.ca     = getenv("WAGE_CA");
	cfg.cert   = cert;
	cfg.key    = key;
	if (wage_client_open(&sessions[i].c, &cfg, &err) != WAGE_OK ||
	    wage_client_login(sessions[i].c, &err) != WAGE_OK) {
		fprintf(stderr, "hostile: cannot log in as %s: %s: %s\n", role,
		    wage_err_name(err.code), err.message);
		exit(2);
	}
	snprintf(sessions[i].role, sizeof(sessions[i].role), "%s", role);
	return (sessions[i].c);
}

/* subst returns text with every `from` replaced by `to` (malloc'd). */
static char *
subst(const char *text, const char *from, const char *to)
{
	size_t      n = 0, fl = strlen(from), tl = strlen(to);
	const char *p;
	char       *out, *o;

	for (p = text; (p = strstr(p, from)) != NULL; p += fl) {
		n++;
	}
	out = malloc(strlen(text) + n * tl + 1);
	for (o = out, p = text; *p != '\0';) {
		if (strncmp(p, from, fl) == 0) {
			memcpy(o, to, tl);
			o += tl;
			p += fl;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return (out);
}

/* fresh opens a new connection with role's certificate, not logged in. */
static wage_client *
fresh(const char *role)
{
	struct wage_client_config cfg;
	struct wage_error         err;
	wage_client              *c;
	char                      cert[512], key[512];

	snprintf(cert, sizeof(cert), "%s/%s.crt", pkidir, role);
	snprintf(key, sizeof(key), "%s/%s.key", pkidir, role);
	memset(&cfg, 0, sizeof(cfg));
	cfg.server = getenv("WAGE_SERVER");
	cfg.ca     = getenv("WAGE_CA");
	cfg.cert   = cert;
	cfg.key    = key;
	if (wage_client_open(&c, &cfg, &err) != WAGE_OK) {
		fprintf(stderr, "hostile: cannot connect as %s: %s\n", role,
		    err.message);
		exit(2);
	}
	return (c);
}

/* raw_code sends text raw on c: the reply's error code, or "OK". */
static const char *
raw_code(wage_client *c, const char *text, char *buf, size_t len)
{
	struct wage_error err;
	json_t           *rep;
	char             *reply;
	size_t            rlen;
	const char       *got;

	if (wage_client_call_raw(c, text, strlen(text), &reply, &rlen, &err) !=
	    WAGE_OK) {
		snprintf(buf, len, "no reply (%s)", wage_err_name(err.code));
		return (buf);
	}
	rep = json_loadb(reply, rlen, 0, NULL);
	got = json_is_true(json_object_get(rep, "ok"))
	    ? "OK"
	    : json_string_value(
	          json_object_get(json_object_get(rep, "error"), "code"));
	snprintf(buf, len, "%s", got != NULL ? got : "?");
	json_decref(rep);
	free(reply);
	return (buf);
}

struct flood {
	wage_client *c;
	int          n, ok;
	volatile int done;
};

/* flood_run asks for challenges on one connection, never using them. */
static void *
flood_run(void *arg)
{
	struct flood     *f = arg;
	struct wage_error err;
	json_t           *res;
	int               i;

	for (i = 0; i < f->n; i++) {
		if (wage_client_call(f->c, WAGE_OP_AUTH_CHALLENGE, NULL, &res,
		        &err) == WAGE_OK) {
			f->ok++;
		}
		json_decref(res);
	}
	f->done = 1;
	return (NULL);
}

/*
 * connection_attacks: issue 13's points 1 and 5. A union station's token
 * sent over the clerk's connection (another certificate) is refused and
 * does nothing (the caller's audit check counts every event); a connection
 * asking for 10000 challenges does not stop another from logging in.
 */
static void
connection_attacks(int *pass, int *fail)
{
	struct wage_error err;
	struct flood      f;
	pthread_t         th;
	wage_client      *u, *l;
	char              req[2048], buf[256];
	const char       *got;
	int               logins = 0, bad = 0;

	u = session("union");
	snprintf(req, sizeof(req), "{\"op\":\"whoami\",\"token\":\"%s\"}",
	    wage_client_token(u));
	got = raw_code(session("clerk"), req, buf, sizeof(buf));
	if (strcmp(got, "UNAUTHENTICATED") != 0) {
		printf("hostile: FAIL: the union's token on the clerk's "
		       "connection: expected UNAUTHENTICATED, got %s\n",
		    got);
		(*fail)++;
	} else {
		(*pass)++;
	}
	snprintf(req, sizeof(req),
	    "{\"op\":\"case.file\",\"token\":\"%s\",\"args\":{}}",
	    wage_client_token(u));
	got = raw_code(session("clerk"), req, buf, sizeof(buf));
	if (strcmp(got, "UNAUTHENTICATED") != 0) {
		printf(
		    "hostile: FAIL: a filing with the union's token on the "
		    "clerk's connection: expected UNAUTHENTICATED, got %s\n",
		    got);
		(*fail)++;
	} else {
		(*pass)++;
	}
	/* Still good on its own connection. */
	snprintf(req, sizeof(req), "{\"op\":\"whoami\",\"token\":\"%s\"}",
	    wage_client_token(u));
	got = raw_code(u, req, buf, sizeof(buf));
	if (strcmp(got, "OK") != 0) {
		printf("hostile: FAIL: the union's token on its own "
		       "connection: got %s\n",
		    got);
		(*fail)++;
	} else {
		(*pass)++;
	}

	memset(&f, 0, sizeof(f));
	f.c = fresh("clerk");
	f.n = 10000;
	l   = fresh("mediator");
	if (pthread_create(&th, NULL, flood_run, &f) != 0) {
		printf("hostile: FAIL: cannot start the challenge flood\n");
		(*fail)++;
		return;
	}
	/* Log in again and again while the flood lasts (at least 20). */
	while (!f.done || logins < 20) {
		if (wage_client_login(l, &err) != WAGE_OK) {
			printf(
			    "hostile: FAIL: login during a challenge flood: "
			    "%s: %s\n",
			    wage_err_name(err.code), err.message);
			bad++;
		}
		logins++;
		if (bad > 5) {
			break;
		}
	}
	pthread_join(th, NULL);
	if (bad != 0 || f.ok != f.n) {
		printf("hostile: FAIL: challenge flood: %d of %d logins "
		       "failed, %d of %d challenges answered\n",
		    bad, logins, f.ok, f.n);
		(*fail)++;
	} else {
		printf("hostile: %d logins while one connection asked for %d "
		       "challenges: all succeeded\n",
		    logins, f.n);
		(*pass)++;
	}
	wage_client_close(f.c);
	wage_client_close(l);
}

#define NPIPELINED 32

/* slurp reads a small text file into buf (empty if unreadable). */
static const char *
slurp(const char *path, char *buf, size_t len)
{
	FILE  *f;
	size_t n = 0;

	if ((f = fopen(path, "r")) != NULL) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return (buf);
}

/* ctx_call sends text on ctx and returns the result (new) or NULL. */
static json_t *
ctx_call(nng_ctx ctx, nng_aio *aio, const char *text, char *err, size_t len)
{
	nng_msg *m;
	json_t  *rep, *res = NULL;

	if (nng_msg_alloc(&m, 0) != 0 ||
	    nng_msg_append(m, text, strlen(text)) != 0) {
		snprintf(err, len, "out of memory");
		return (NULL);
	}
	nng_aio_set_msg(aio, m);
	nng_ctx_send(ctx, aio);
	nng_aio_wait(aio);
	if (nng_aio_result(aio) != 0) {
		nng_msg_free(nng_aio_get_msg(aio));
		snprintf(
		    err, len, "send: %s", nng_strerror(nng_aio_result(aio)));
		return (NULL);
	}
	nng_ctx_recv(ctx, aio);
	nng_aio_wait(aio);
	if (nng_aio_result(aio) != 0) {
		snprintf(
		    err, len, "recv: %s", nng_strerror(nng_aio_result(aio)));
		return (NULL);
	}
	m   = nng_aio_get_msg(aio);
	rep = json_loadb(nng_msg_body(m), nng_msg_len(m), 0, NULL);
	if (json_is_true(json_object_get(rep, "ok"))) {
		res = json_incref(json_object_get(rep, "result"));
	} else {
		snprintf(err, len, "%.*s", (int) nng_msg_len(m),
		    (char *) nng_msg_body(m));
	}
	json_decref(rep);
	nng_msg_free(m);
	return (res);
}

/* raw_login logs in on ctx's connection; the token into tok. 0 or -1. */
static int
raw_login(nng_ctx ctx, nng_aio *aio, const char *cert, const char *key,
    char *err, size_t errlen, char *tok, size_t toklen)
{
	struct wage_error werr;
	json_t           *res, *req;
	unsigned char     sig[160], msg[512];
	char              sig64[256], pem[WAGE_MAX_CERT_PEM + 1], *text;
	const char       *ch;
	size_t            siglen, olen, n;
	FILE             *f;
	int               rc = -1;

	if ((f = fopen(cert, "r")) == NULL) {
		snprintf(err, errlen, "cannot read the certificate");
		return (-1);
	}
	n      = fread(pem, 1, sizeof(pem) - 1, f);
	pem[n] = '\0';
	fclose(f);
	if ((res = ctx_call(ctx, aio, "{\"op\":\"auth.challenge\"}", err,
	         errlen)) == NULL) {
		return (-1);
	}
	ch = json_string_value(json_object_get(res, "challenge"));
	n  = (size_t) snprintf(
	     (char *) msg, sizeof(msg), "%s%s", WAGE_LOGIN_CONTEXT, ch);
	if (pki_sign(key, msg, n, sig, sizeof(sig), &siglen, &werr) !=
	        WAGE_OK ||
	    mbedtls_base64_encode((unsigned char *) sig64, sizeof(sig64),
	        &olen, sig, siglen) != 0) {
		snprintf(err, errlen, "cannot sign");
		json_decref(res);
		return (-1);
	}
	req = json_pack("{s:s, s:{s:s, s:s, s:s}}", "op", "auth.login", "args",
	    "certificate", pem, "challenge", ch, "signature", sig64);
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	json_decref(res);
	if ((res = ctx_call(ctx, aio, text, err, errlen)) != NULL &&
	    json_string_value(json_object_get(res, "token")) != NULL) {
		snprintf(tok, toklen, "%s",
		    json_string_value(json_object_get(res, "token")));
		rc = 0;
	}
	free(text);
	json_decref(res);
	return (rc);
}

/*
 * pipelined_filings: issue 13, point 4. One raw connection (an nng REQ
 * socket, one pipe, many contexts) logs in as the clerk, then sends
 * NPIPELINED filings at once. At most WAGE_MAX_CONN_INFLIGHT are at work
 * together: the rest get BUSY at once and file nothing. Returns the number
 * of filings made (-1 on a failure, reported).
 */
static int
pipelined_filings(const char *filing, int *pass, int *fail)
{
	nng_socket      s;
	nng_dialer      d;
	nng_tls_config *cfg = NULL;
	nng_ctx         ctx[NPIPELINED];
	nng_aio        *aio[NPIPELINED];
	nng_msg        *m;
	char            cert[512], key[512], body[8192], buf[256];
	char            pem[WAGE_MAX_CERT_PEM + 1], kpem[8192];
	int             i, ok = 0, busy = 0, other = 0, rv;

	memset(aio, 0, sizeof(aio));
	snprintf(cert, sizeof(cert), "%s/clerk.crt", pkidir);
	snprintf(key, sizeof(key), "%s/clerk.key", pkidir);
	if ((rv = nng_req0_open(&s)) != 0 ||
	    (rv = nng_tls_config_alloc(&cfg, NNG_TLS_MODE_CLIENT)) != 0 ||
	    (rv = nng_tls_config_ca_file(cfg, getenv("WAGE_CA"))) != 0 ||
	    (rv = nng_tls_config_own_cert(cfg, slurp(cert, pem, sizeof(pem)),
	         slurp(key, kpem, sizeof(kpem)), NULL)) != 0 ||
	    (rv = nng_tls_config_server_name(cfg, "127.0.0.1")) != 0 ||
	    (rv = nng_dialer_create(&d, s, getenv("WAGE_SERVER"))) != 0 ||
	    (rv = nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, cfg)) != 0 ||
	    (rv = nng_dialer_start(d, 0)) != 0) {
		printf(
		    "hostile: FAIL: raw connection: %s\n", nng_strerror(rv));
		(*fail)++;
		return (-1);
	}
	nng_tls_config_free(cfg);
	for (i = 0; i < NPIPELINED; i++) {
		if (nng_ctx_open(&ctx[i], s) != 0 ||
		    nng_aio_alloc(&aio[i], NULL, NULL) != 0) {
			printf("hostile: FAIL: contexts\n");
			(*fail)++;
			nng_close(s);
			return (-1);
		}
		nng_aio_set_timeout(aio[i], 30000);
	}
	if (raw_login(ctx[0], aio[0], cert, key, buf, sizeof(buf), body,
	        sizeof(body)) != 0) {
		printf(
		    "hostile: FAIL: login on the raw connection: %s\n", buf);
		(*fail)++;
		goto out;
	}
	for (i = 0; i < NPIPELINED; i++) {
		char req[8192 + 2048];

		snprintf(req, sizeof(req),
		    "{\"op\":\"case.file\",\"token\":\"%s\",\"args\":%s}",
		    body, filing);
		nng_msg_alloc(&m, 0);
		nng_msg_append(m, req, strlen(req));
		nng_aio_set_msg(aio[i], m);
		nng_ctx_send(ctx[i], aio[i]);
	}
	for (i = 0; i < NPIPELINED; i++) {
		nng_aio_wait(aio[i]);
		if (nng_aio_result(aio[i]) != 0) {
			nng_msg_free(nng_aio_get_msg(aio[i]));
			other++;
			continue;
		}
		nng_ctx_recv(ctx[i], aio[i]);
	}
	for (i = 0; i < NPIPELINED; i++) {
		json_t     *rep;
		const char *code;

		nng_aio_wait(aio[i]);
		if (nng_aio_result(aio[i]) != 0) {
			other++;
			continue;
		}
		m    = nng_aio_get_msg(aio[i]);
		rep  = json_loadb(nng_msg_body(m), nng_msg_len(m), 0, NULL);
		code = json_is_true(json_object_get(rep, "ok"))
		    ? "OK"
		    : json_string_value(json_object_get(
		          json_object_get(rep, "error"), "code"));
		if (code != NULL && strcmp(code, "OK") == 0) {
			ok++;
		} else if (code != NULL && strcmp(code, "BUSY") == 0) {
			busy++;
		} else {
			printf("hostile: pipelined filing: %.*s\n",
			    (int) nng_msg_len(m), (char *) nng_msg_body(m));
			other++;
		}
		json_decref(rep);
		nng_msg_free(m);
	}
	if (other != 0 || busy == 0 || ok == 0 || ok + busy != NPIPELINED) {
		printf("hostile: FAIL: %d filings sent at once on one "
		       "connection: %d filed, %d BUSY, %d otherwise\n",
		    NPIPELINED, ok, busy, other);
		(*fail)++;
		ok = -1;
	} else {
		printf("hostile: %d filings sent at once on one connection: "
		       "%d filed, %d BUSY\n",
		    NPIPELINED, ok, busy);
		(*pass)++;
	}
out:
	for (i = 0; i < NPIPELINED; i++) {
		if (aio[i] != NULL) {
			nng_aio_free(aio[i]);
		}
	}
	nng_close(s);
	return (ok);
}

static json_t *
call(const char *role, const char *op, json_t *args)
{
	struct wage_error err;
	json_t           *res;
	int               rc;

	/* call takes args over. */
	rc = wage_client_call(session(role), op, args, &res, &err);
	json_decref(args);
	if (rc != WAGE_OK) {
		fprintf(stderr, "hostile: %s as %s: %s: %s\n", op, role,
		    wage_err_name(err.code), err.message);
		exit(2);
	}
	return (res);
}

int
main(int argc, char **argv)
{
	struct wage_error err;
	FILE             *f;
	char             *line = NULL, *req, *t, *reply;
	char              case_id[64], flipped[WAGE_TOKEN_MAX + 1];
	char              trunc[WAGE_TOKEN_MAX + 1], *big;
	size_t            cap = 0, rlen;
	ssize_t           len;
	json_t           *res, *rep, *v0, *v1;
	const char       *tok, *got;
	int               lineno = 0, pass = 0, fail = 0, i;
	json_int_t        events0, cases0;

	if (argc != 3) {
		fprintf(stderr, "usage: hostile PKIDIR requests.tsv\n");
		return (2);
	}
	pkidir = argv[1];
	/* The case the requests aim at: filed by the clerk, revision 1. */
	res = call("clerk", WAGE_OP_CASE_FILE,
	    json_pack("{s:s, s:s, s:[{s:s, s:s}], s:{s:s, s:s}, s:{s:[{s:s, "
	              "s:i}], s:{s:s, s:s}}, s:s}",
	        "channel", "walk_in", "region", "370102", "claimants", "name",
	        "李建国", "id_number", "370124198003152314", "respondent",
	        "name", "某公司", "credit_code", "91370100MA3C5XY809", "claim",
	        "items", "kind", "wages", "amount_fen", 100000, "period",
	        "from", "2026-01", "to", "2026-02", "facts", "拖欠工资"));
	snprintf(case_id, sizeof(case_id), "%s",
	    json_string_value(json_object_get(res, "id")));
	json_decref(res);
	v0      = call("auditor", WAGE_OP_AUDIT_VERIFY, NULL);
	events0 = json_integer_value(json_object_get(v0, "events"));
	cases0  = json_integer_value(json_object_get(v0, "cases"));
	/* Two broken copies of the clerk's token. */
	tok = wage_client_token(session("clerk"));
	snprintf(flipped, sizeof(flipped), "%s", tok);
	flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
	snprintf(trunc, sizeof(trunc), "%.*s", (int) strlen(tok) - 5, tok);
	big = malloc(300001);
	memset(big, 'A', 300000);
	big[300000] = '\0';

	if ((f = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return (2);
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		char *code, *role, *what, *text, *s;

		lineno++;
		if (line[0] == '#' || line[0] == '\n') {
			continue;
		}
		if (line[len - 1] == '\n') {
			line[--len] = '\0';
		}
		code = strtok_r(line, "\t", &s);
		role = strtok_r(NULL, "\t", &s);
		what = strtok_r(NULL, "\t", &s);
		text = s; /* the rest, possibly empty */
		if (code == NULL || role == NULL || what == NULL) {
			fprintf(
			    stderr, "hostile: line %d is malformed\n", lineno);
			return (2);
		}
		tok = strcmp(role, "-") == 0
		    ? ""
		    : wage_client_token(session(role));
		req = subst(text, "@TOKEN@", tok);
		t   = subst(req, "@CASE@", case_id);
		free(req);
		req = subst(t, "@FLIPPED@", flipped);
		free(t);
		t = subst(req, "@TRUNC@", trunc);
		free(req);
		req = subst(t, "@BIG@", big);
		free(t);
		t = subst(req, "@XFF@", "\xff\xfe");
		free(req);
		req = t;
		if (wage_client_call_raw(session(role), req, strlen(req),
		        &reply, &rlen, &err) != WAGE_OK) {
			printf("hostile: FAIL line %d (%s): no reply: %s\n",
			    lineno, what, err.message);
			fail++;
			free(req);
			continue;
		}
		rep = json_loadb(reply, rlen, 0, NULL);
		got = json_is_true(json_object_get(rep, "ok"))
		    ? "OK"
		    : json_string_value(json_object_get(
		          json_object_get(rep, "error"), "code"));
		if (got != NULL && strcmp(got, code) == 0) {
			pass++;
		} else {
			printf("hostile: FAIL line %d (%s): expected %s, got "
			       "%.300s\n",
			    lineno, what, code, reply);
			fail++;
		}
		json_decref(rep);
		free(reply);
		free(req);
	}
	fclose(f);
	free(line);
	free(big);
	connection_attacks(&pass, &fail);
	/* Exactly the intended writes: one filing and one accept. */
	v1 = call("auditor", WAGE_OP_AUDIT_VERIFY, NULL);
	if (!json_is_true(json_object_get(v1, "valid")) ||
	    json_integer_value(json_object_get(v1, "events")) != events0 + 2 ||
	    json_integer_value(json_object_get(v1, "cases")) != cases0 + 1) {
		printf("hostile: FAIL: after the suite the audit log has "
		       "%" JSON_INTEGER_FORMAT
		       " events and %" JSON_INTEGER_FORMAT
		       " cases (valid %d); expected %" JSON_INTEGER_FORMAT
		       " and %" JSON_INTEGER_FORMAT "\n",
		    json_integer_value(json_object_get(v1, "events")),
		    json_integer_value(json_object_get(v1, "cases")),
		    json_is_true(json_object_get(v1, "valid")), events0 + 2,
		    cases0 + 1);
		fail++;
	} else {
		pass++;
	}
	res =
	    call("clerk", WAGE_OP_CASE_GET, json_pack("{s:s}", "id", case_id));
	if (json_integer_value(json_object_get(res, "revision")) != 2 ||
	    strcmp(json_string_value(json_object_get(res, "state")),
	        "mediation") != 0) {
		printf(
		    "hostile: FAIL: the target case should be at revision 2 "
		    "in mediation\n");
		fail++;
	} else {
		pass++;
	}
	json_decref(res);
	/* Point 4: requests at work for one connection are bounded; those
	 * refused BUSY file nothing. */
	{
		static const char filing[] =
		    "{\"channel\":\"walk_in\",\"region\":\"370102\","
		    "\"claimants\":[{\"name\":\"李建国\",\"id_number\":"
		    "\"370124198003152314\"}],\"respondent\":{\"name\":"
		    "\"某公司\",\"credit_code\":\"91370100MA3C5XY809\"},"
		    "\"claim\":{\"items\":[{\"kind\":\"wages\","
		    "\"amount_fen\":100000}],\"period\":{\"from\":"
		    "\"2026-01\",\"to\":\"2026-02\"}},\"facts\":\"拖欠工资\"}";
		json_t    *v2;
		json_int_t c1 =
		    json_integer_value(json_object_get(v1, "cases"));
		int made = pipelined_filings(filing, &pass, &fail);

		v2 = call("auditor", WAGE_OP_AUDIT_VERIFY, NULL);
		if (made >= 0 &&
		    json_integer_value(json_object_get(v2, "cases")) !=
		        c1 + made) {
			printf("hostile: FAIL: %d filings made, but the case "
			       "count went from %" JSON_INTEGER_FORMAT
			       " to %" JSON_INTEGER_FORMAT "\n",
			    made, c1,
			    json_integer_value(json_object_get(v2, "cases")));
			fail++;
		}
		json_decref(v2);
	}
	json_decref(v0);
	json_decref(v1);
	for (i = 0; i < MAX_ROLES && sessions[i].c != NULL; i++) {
		wage_client_close(sessions[i].c);
	}
	printf("hostile: %d passed, %d failed\n", pass, fail);
	return (fail != 0);
}
