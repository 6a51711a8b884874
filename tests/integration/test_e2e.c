/* SPDX-License-Identifier: MIT */
/*
 * test_e2e.c - integration tests that need the C client library rather
 * than wagectl: the raw protocol (wage_client_call_raw), hand-made and
 * forged tokens, session expiry and renewal, and tokens of a certificate
 * revoked after login. Run by tests/integration/run.sh against a real
 * wage-server, one group per invocation:
 *
 *   test_e2e protocol      raw envelopes, limits, forged/garbage tokens
 *   test_e2e expiry        (server with session_ttl: 1) an old token gets
 *                          TOKEN_EXPIRED, the library logs in again;
 *                          leaves the expired token in
 * $ITEST_STATE/expired.token test_e2e revoke-save   log in as the "late"
 * certificate, keep its token in $ITEST_STATE/late.token test_e2e revoke-check
 * (after revoking "late" and restarting) that token gets CERT_REVOKED; a clerk
 * token taken before the restart still works test_e2e oversized-child
 * (internal) one round of the over-the- transport-limit request, in a process
 * of its own so that a hang can be seen and killed
 *
 * Environment: ITEST_SERVER (tls+tcp://127.0.0.1:PORT), ITEST_CA,
 * ITEST_PKI (the directory with ROLE.crt and ROLE.key), ITEST_STATE (a
 * scratch directory) and, optionally, ITEST_SESSION (a wagectl session
 * file whose token test_token_forged forges). Every refusal is followed by
 * a check that the audit chain did not move and that the next request
 * still works.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <mbedtls/base64.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>

#include "wage/client.h"

static const char *g_server, *g_ca, *g_pki, *g_state;

/* Per group: a clerk (the actor of most requests) and an auditor (who
 * reads the audit chain before and after each refusal). */
static wage_client *g_clerk, *g_auditor;

struct audit_snap {
	json_int_t events;
	char       head[65];
};

/* ---- helpers ------------------------------------------------------- */

static void
path_of(char *buf, size_t len, const char *role, const char *ext)
{
	snprintf(buf, len, "%s/%s.%s", g_pki, role, ext);
}

/* open_as opens a client with role's certificate; token_file may be NULL. */
static int
open_as(const char *role, const char *token_file, int timeout_ms,
    wage_client **c, struct wage_error *err)
{
	struct wage_client_config cfg;
	char                      crt[1024], key[1024];

	path_of(crt, sizeof(crt), role, "crt");
	path_of(key, sizeof(key), role, "key");
	memset(&cfg, 0, sizeof(cfg));
	cfg.server     = g_server;
	cfg.ca         = g_ca;
	cfg.cert       = crt;
	cfg.key        = key;
	cfg.token_file = token_file;
	cfg.timeout_ms = timeout_ms;
	wage_err_clear(err);
	return (wage_client_open(c, &cfg, err));
}

static wage_client *
must_open(const char *role)
{
	struct wage_error err;
	wage_client      *c = NULL;
	int               rc;

	rc = open_as(role, NULL, 5000, &c, &err);
	if (rc != WAGE_OK) {
		print_error("open as %s: %s: %s\n", role, wage_err_name(rc),
		    err.message);
	}
	assert_int_equal(rc, WAGE_OK);
	rc = wage_client_login(c, &err);
	if (rc != WAGE_OK) {
		print_error("login as %s: %s: %s\n", role, wage_err_name(rc),
		    err.message);
	}
	assert_int_equal(rc, WAGE_OK);
	return (c);
}

/* raw sends len bytes of text and returns the decoded reply (new ref). */
static json_t *
raw_len(wage_client *c, const char *text, size_t len)
{
	struct wage_error err;
	json_error_t      jerr;
	json_t           *rep;
	char             *reply = NULL;
	size_t            rlen  = 0;
	int               rc;

	wage_err_clear(&err);
	rc = wage_client_call_raw(c, text, len, &reply, &rlen, &err);
	if (rc != WAGE_OK) {
		print_error(
		    "call_raw: %s: %s\n", wage_err_name(rc), err.message);
	}
	assert_int_equal(rc, WAGE_OK);
	assert_non_null(reply);
	rep = json_loadb(reply, rlen, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(rep)) {
		print_error("reply is not a JSON object: %.200s\n", reply);
	}
	free(reply);
	assert_true(json_is_object(rep));
	return (rep);
}

static json_t *
raw(wage_client *c, const char *text)
{
	return (raw_len(c, text, strlen(text)));
}

/* request builds {"op", "token"?, "args"} text (malloc'd). */
static char *
request(const char *op, const char *token, json_t *args)
{
	json_t *o = json_pack("{s:s}", "op", op);
	char   *s;

	if (token != NULL) {
		json_object_set_new(o, "token", json_string(token));
	}
	json_object_set_new(o, "args", args != NULL ? args : json_object());
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	assert_non_null(s);
	return (s);
}

/* expect_error checks reply is {"ok": false, "error": {code, field?}};
 * field NULL: not checked; "": must be absent. Takes the reply. */
static void
expect_error(json_t *rep, const char *code, const char *field)
{
	const json_t *e = json_object_get(rep, "error");
	const char   *got, *gotf;

	got  = json_string_value(json_object_get(e, "code"));
	gotf = json_string_value(json_object_get(e, "field"));
	if (json_is_true(json_object_get(rep, "ok")) || got == NULL ||
	    strcmp(got, code) != 0) {
		char *s = json_dumps(rep, JSON_COMPACT);

		print_error("expected %s, got %s\n", code, s);
		free(s);
	}
	assert_false(json_is_true(json_object_get(rep, "ok")));
	assert_non_null(got);
	assert_string_equal(got, code);
	assert_non_null(json_string_value(json_object_get(e, "message")));
	if (field != NULL && field[0] != '\0') {
		if (gotf == NULL || strcmp(gotf, field) != 0) {
			print_error("%s: expected field %s, got %s\n", code,
			    field, gotf != NULL ? gotf : "(none)");
		}
		assert_non_null(gotf);
		assert_string_equal(gotf, field);
	} else if (field != NULL) {
		assert_null(gotf);
	}
	json_decref(rep);
}

static json_t *
expect_ok(json_t *rep)
{
	json_t *res;

	if (!json_is_true(json_object_get(rep, "ok"))) {
		char *s = json_dumps(rep, JSON_COMPACT);

		print_error("expected ok, got %s\n", s);
		free(s);
	}
	assert_true(json_is_true(json_object_get(rep, "ok")));
	res = json_incref(json_object_get(rep, "result"));
	json_decref(rep);
	assert_non_null(res);
	return (res);
}

static void
audit_snap(struct audit_snap *s)
{
	struct wage_error err;
	json_t           *res = NULL;
	int               rc;

	rc = wage_client_call(
	    g_auditor, WAGE_OP_AUDIT_VERIFY, NULL, &res, &err);
	if (rc != WAGE_OK) {
		print_error(
		    "audit.verify: %s: %s\n", wage_err_name(rc), err.message);
	}
	assert_int_equal(rc, WAGE_OK);
	assert_true(json_is_true(json_object_get(res, "valid")));
	s->events = json_integer_value(json_object_get(res, "events"));
	snprintf(s->head, sizeof(s->head), "%s",
	    json_string_value(json_object_get(res, "head")));
	json_decref(res);
}

/* still_fine: the audit chain did not move and the clerk's next request
 * (through the library, with its real token) works. */
static void
still_fine(const struct audit_snap *before)
{
	struct audit_snap after;
	struct wage_error err;
	json_t           *res = NULL;
	int               rc;

	audit_snap(&after);
	assert_int_equal(after.events, before->events);
	assert_string_equal(after.head, before->head);
	rc = wage_client_call(g_clerk, WAGE_OP_WHOAMI, NULL, &res, &err);
	assert_int_equal(rc, WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(res, "role")), "clerk");
	json_decref(res);
}

static int
group_setup(void **state)
{
	(void) state;
	g_clerk   = must_open("clerk");
	g_auditor = must_open("auditor");
	return (0);
}

static int
group_teardown(void **state)
{
	(void) state;
	wage_client_close(g_clerk);
	wage_client_close(g_auditor);
	g_clerk = g_auditor = NULL;
	return (0);
}

static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long  n;

	if (f == NULL) {
		return (NULL);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t) n + 1);
	if (buf != NULL && fread(buf, 1, (size_t) n, f) != (size_t) n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf != NULL) {
		buf[strcspn(buf, "\r\n")] = '\0';
	}
	return (buf);
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_true(fprintf(f, "%s\n", text) > 0);
	assert_int_equal(fclose(f), 0);
	chmod(path, 0600);
}

/* ---- the raw protocol ---------------------------------------------- */

static void
test_raw_not_json(void **state)
{
	struct audit_snap s;

	(void) state;
	audit_snap(&s);
	expect_error(raw(g_clerk, "this is not JSON {"), "BAD_REQUEST", NULL);
	expect_error(raw(g_clerk, ""), "BAD_REQUEST", NULL);
	expect_error(raw(g_clerk, "{\"op\":\"whoami\""), "BAD_REQUEST", NULL);
	/* Invalid UTF-8 inside a string. */
	expect_error(
	    raw(g_clerk, "{\"op\":\"who\xff\xfe\"}"), "BAD_REQUEST", NULL);
	/* An escaped NUL inside a string. */
	expect_error(
	    raw(g_clerk, "{\"op\":\"whoami\\u0000\"}"), "BAD_REQUEST", NULL);
	still_fine(&s);
}

static void
test_raw_not_object(void **state)
{
	struct audit_snap s;

	(void) state;
	audit_snap(&s);
	expect_error(raw(g_clerk, "[\"whoami\"]"), "BAD_REQUEST", NULL);
	expect_error(
	    raw(g_clerk, "[{\"op\":\"whoami\"}]"), "BAD_REQUEST", NULL);
	expect_error(raw(g_clerk, "\"whoami\""), "BAD_REQUEST", NULL);
	expect_error(raw(g_clerk, "42"), "BAD_REQUEST", NULL);
	expect_error(raw(g_clerk, "null"), "BAD_REQUEST", NULL);
	still_fine(&s);
}

static void
test_raw_unknown_op(void **state)
{
	struct audit_snap s;
	char             *req;

	(void) state;
	audit_snap(&s);
	req = request("case.delete", wage_client_token(g_clerk), NULL);
	expect_error(raw(g_clerk, req), "UNKNOWN_OP", "op");
	free(req);
	req = request("WHOAMI", wage_client_token(g_clerk), NULL);
	expect_error(raw(g_clerk, req), "UNKNOWN_OP", "op");
	free(req);
	/* Unknown ops are refused before any token is looked at. */
	req = request("admin.shell", NULL, NULL);
	expect_error(raw(g_clerk, req), "UNKNOWN_OP", "op");
	free(req);
	still_fine(&s);
}

static void
test_raw_bad_envelope(void **state)
{
	struct audit_snap s;
	char              buf[1024];
	const char       *t = wage_client_token(g_clerk);

	(void) state;
	audit_snap(&s);
	/* op missing, or not a string */
	expect_error(raw(g_clerk, "{\"args\":{}}"), "BAD_REQUEST", "op");
	expect_error(raw(g_clerk, "{\"op\":7}"), "BAD_REQUEST", "op");
	/* args not an object */
	snprintf(buf, sizeof(buf),
	    "{\"op\":\"whoami\",\"token\":\"%s\",\"args\":[]}", t);
	expect_error(raw(g_clerk, buf), "BAD_REQUEST", "args");
	/* token not a string */
	expect_error(raw(g_clerk, "{\"op\":\"whoami\",\"token\":12}"),
	    "BAD_REQUEST", "token");
	/* unknown top-level member */
	snprintf(buf, sizeof(buf),
	    "{\"op\":\"whoami\",\"token\":\"%s\",\"args\":{},\"admin\":true}",
	    t);
	expect_error(raw(g_clerk, buf), "BAD_REQUEST", "admin");
	/* whoami takes no args */
	snprintf(buf, sizeof(buf),
	    "{\"op\":\"whoami\",\"token\":\"%s\",\"args\":{\"x\":1}}", t);
	expect_error(raw(g_clerk, buf), "INVALID_ARGUMENT", "args");
	still_fine(&s);
}

static void
test_raw_duplicate_keys(void **state)
{
	struct audit_snap s;
	char              buf[1024];
	const char       *t = wage_client_token(g_clerk);

	(void) state;
	audit_snap(&s);
	expect_error(raw(g_clerk, "{\"op\":\"whoami\",\"op\":\"whoami\"}"),
	    "BAD_REQUEST", NULL);
	/* A second token must not override the first, nor a second op. */
	snprintf(buf, sizeof(buf),
	    "{\"op\":\"whoami\",\"token\":\"%s\",\"token\":\"x\"}", t);
	expect_error(raw(g_clerk, buf), "BAD_REQUEST", NULL);
	/* Duplicates deeper down, in args. */
	snprintf(buf, sizeof(buf),
	    "{\"op\":\"case.get\",\"token\":\"%s\",\"args\":"
	    "{\"id\":\"WA2026-000001\",\"id\":\"WA2026-000002\"}}",
	    t);
	expect_error(raw(g_clerk, buf), "BAD_REQUEST", NULL);
	still_fine(&s);
}

/* nested makes {"op":"whoami","token":T,"args":{"a":{"a":...1...}}} with
 * args nested so that the whole request is depth levels deep. */
static char *
nested(const char *token, int depth, int arrays)
{
	size_t len = 256 + strlen(token) + (size_t) depth * 8;
	char  *s   = malloc(len);
	size_t o;
	int    i;

	assert_non_null(s);
	o = (size_t) snprintf(s, len,
	    "{\"op\":\"whoami\",\"token\":\"%s\","
	    "\"args\":",
	    token);
	/* depth 1 is the envelope; args is depth 2. */
	for (i = 2; i <= depth; i++) {
		if (arrays && i > 2) {
			s[o++] = '[';
		} else {
			o += (size_t) snprintf(
			    s + o, len - o, "%s", i < depth ? "{\"a\":" : "{");
		}
	}
	if (arrays) {
		s[o++] = '1';
	}
	for (i = depth; i >= 2; i--) {
		s[o++] = (arrays && i > 2) ? ']' : '}';
	}
	s[o++] = '}';
	s[o]   = '\0';
	return (s);
}

static void
test_raw_deep_nesting(void **state)
{
	struct audit_snap s;
	char             *req;
	const char       *t = wage_client_token(g_clerk);

	(void) state;
	audit_snap(&s);
	req = nested(t, 50, 0);
	expect_error(raw(g_clerk, req), "TOO_LARGE", NULL);
	free(req);
	req = nested(t, 50, 1);
	expect_error(raw(g_clerk, req), "TOO_LARGE", NULL);
	free(req);
	/* The limit is WAGE_MAX_DEPTH: one more is refused... */
	req = nested(t, WAGE_MAX_DEPTH + 1, 0);
	expect_error(raw(g_clerk, req), "TOO_LARGE", NULL);
	free(req);
	/* ...and at the limit the request reaches the op (whoami has no
	 * args, so it is refused there, not for its depth). */
	req = nested(t, WAGE_MAX_DEPTH, 0);
	expect_error(raw(g_clerk, req), "INVALID_ARGUMENT", "args");
	free(req);
	/* Brackets inside strings do not count. */
	{
		char buf[1024];

		snprintf(buf, sizeof(buf),
		    "{\"op\":\"case.get\",\"token\":\"%s\",\"args\":{\"id\":"
		    "\"[[[[[[[[[[[[{{{{{{{{{{{{\"}}",
		    t);
		expect_error(raw(g_clerk, buf), "INVALID_ARGUMENT", "id");
	}
	still_fine(&s);
}

static char *
padded(const char *token, size_t total)
{
	char  *s = malloc(total + 1);
	size_t o;

	assert_non_null(s);
	o = (size_t) snprintf(s, total + 1,
	    "{\"op\":\"whoami\",\"token\":\"%s\",\"args\":{\"pad\":\"", token);
	assert_true(o + 3 < total);
	memset(s + o, 'x', total - o - 3);
	memcpy(s + total - 3, "\"}}", 3);
	s[total] = '\0';
	return (s);
}

static void
test_raw_too_large(void **state)
{
	struct audit_snap s;
	char             *req;

	(void) state;
	audit_snap(&s);
	/* Between the protocol limit and the transport limit (2x): a
	 * TOO_LARGE reply. */
	req = padded(wage_client_token(g_clerk), 300 * 1024);
	expect_error(raw(g_clerk, req), "TOO_LARGE", NULL);
	free(req);
	req = padded(wage_client_token(g_clerk), WAGE_MAX_MSG + 1);
	expect_error(raw(g_clerk, req), "TOO_LARGE", NULL);
	free(req);
	/* Just under the limit: not refused for size (whoami has no args). */
	req = padded(wage_client_token(g_clerk), WAGE_MAX_MSG);
	expect_error(raw(g_clerk, req), "INVALID_ARGUMENT", "args");
	free(req);
	still_fine(&s);
}

/*
 * oversized_child runs in a process of its own (test_e2e oversized-child):
 * send a request over the transport limit, expect no reply, close. Exit 0
 * when both return; a hang is the parent's to see.
 */
static int
oversized_child(void)
{
	struct wage_error err;
	wage_client      *c = NULL;
	char             *req, *reply = NULL;
	int               rc;

	if (open_as("clerk", NULL, 1500, &c, &err) != WAGE_OK) {
		fprintf(stderr, "oversized: open: %s\n", err.message);
		return (2);
	}
	req = padded("v1.x.y", 2 * WAGE_MAX_MSG + 4096);
	rc  = wage_client_call_raw(c, req, strlen(req), &reply, NULL, &err);
	free(req);
	if (rc == WAGE_OK) {
		fprintf(stderr, "oversized: got a reply: %.200s\n", reply);
		free(reply);
		return (1);
	}
	fprintf(stderr, "oversized: call gave %s (expected: no reply)\n",
	    wage_err_name(rc));
	wage_client_close(c);
	fprintf(stderr, "oversized: closed\n");
	return (0);
}

static void
test_raw_over_transport_limit(void **state)
{
	struct audit_snap s;
	pid_t             pid;
	int               round, i, status = 0, done;

	(void) state;
	audit_snap(&s);
	/* Above 2 x WAGE_MAX_MSG the server drops the connection unread: no
	 * reply within the client's timeout (1.5 s), and then closing the
	 * client must return too. Each round in a fresh process, bounded by
	 * 6 s; three rounds, as a hang does not come every time. */
	for (round = 0; round < 3; round++) {
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			execl("/proc/self/exe", "test_e2e", "oversized-child",
			    (char *) NULL);
			_exit(127);
		}
		done = 0;
		for (i = 0; i < 120 && !done; i++) {
			if (waitpid(pid, &status, WNOHANG) == pid) {
				done = 1;
			} else {
				usleep(50 * 1000);
			}
		}
		if (!done) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			print_error(
			    "round %d: the client did not finish within "
			    "6 s of sending an oversized request (it "
			    "hangs in wage_client_close/nng_close)\n",
			    round + 1);
		}
		assert_true(done);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	still_fine(&s);
}

static void
test_raw_plain_sp_over_tcp(void **state)
{
	struct audit_snap s;
	nng_socket        sock;
	nng_msg          *m = NULL;
	char              url[300];
	const char       *req = "{\"op\":\"auth.challenge\"}";
	int               rv;

	(void) state;
	audit_snap(&s);
	/* An nng REQ over plain tcp:// to the TLS port: it never gets an
	 * answer (the TLS listener cannot read the SP header). */
	snprintf(
	    url, sizeof(url), "tcp://%s", g_server + strlen("tls+tcp://"));
	assert_int_equal(nng_req0_open(&sock), 0);
	nng_socket_set_ms(sock, NNG_OPT_RECVTIMEO, 1500);
	nng_socket_set_ms(sock, NNG_OPT_SENDTIMEO, 1500);
	rv = nng_dial(sock, url, NULL, NNG_FLAG_NONBLOCK);
	assert_int_equal(rv, 0);
	rv = nng_send(sock, (void *) req, strlen(req), 0);
	if (rv == 0) {
		rv = nng_recvmsg(sock, &m, 0);
		if (rv == 0) {
			print_error("plain tcp:// got a reply: %.*s\n",
			    (int) nng_msg_len(m), (char *) nng_msg_body(m));
			nng_msg_free(m);
		}
	}
	assert_int_not_equal(rv, 0);
	nng_close(sock);
	still_fine(&s);
}

/* ---- tokens -------------------------------------------------------- */

static void
test_token_none(void **state)
{
	struct audit_snap s;
	char             *req;

	(void) state;
	audit_snap(&s);
	req = request("whoami", NULL, NULL);
	expect_error(raw(g_clerk, req), "UNAUTHENTICATED", "token");
	free(req);
	req = request("case.list", "", NULL);
	expect_error(raw(g_clerk, req), "UNAUTHENTICATED", "token");
	free(req);
	still_fine(&s);
}

static void
test_token_garbage(void **state)
{
	static const char *const bad[] = { "garbage", "v1.", "v1..",
		"v1.AAAA.BBBB", "v2.eyJuIjoieCJ9.AAAA", "..........",
		"v1.eyJuIjoieCJ9.not-base64!!", NULL };
	struct audit_snap        s;
	char                    *req, big[WAGE_TOKEN_MAX + 50];
	size_t                   i;

	(void) state;
	audit_snap(&s);
	for (i = 0; bad[i] != NULL; i++) {
		req = request("whoami", bad[i], NULL);
		expect_error(raw(g_clerk, req), "UNAUTHENTICATED", "token");
		free(req);
	}
	memset(big, 'A', sizeof(big) - 1);
	memcpy(big, "v1.", 3);
	big[sizeof(big) - 1] = '\0';
	req                  = request("whoami", big, NULL);
	expect_error(raw(g_clerk, req), "UNAUTHENTICATED", "token");
	free(req);
	/* A write with a garbage token changes nothing. */
	req = request("case.act", "garbage",
	    json_pack("{s:s, s:s, s:i}", "id", "WA2026-000001", "event",
	        "accept", "revision", 1));
	expect_error(raw(g_clerk, req), "UNAUTHENTICATED", "token");
	free(req);
	still_fine(&s);
}

static char
flip(char c)
{
	return (c == 'A' ? 'B' : 'A');
}

/* The token of a session file written by the library is the real one:
 * forge it by flipping one character in the payload, then in the MAC. */
static void
test_token_forged(void **state)
{
	struct audit_snap s;
	struct wage_error err;
	struct stat       st;
	wage_client      *c = NULL;
	char              tf[1024], *tok, *forged, *req, *dot;
	size_t            plen;

	(void) state;
	audit_snap(&s);
	/* wagectl's session file (run.sh: WAGE_TOKEN_FILE of the union), or
	 * else one here. A session belongs to its connection: the library
	 * logs in on its own and writes the file again. */
	if (getenv("ITEST_SESSION") != NULL) {
		snprintf(tf, sizeof(tf), "%s", getenv("ITEST_SESSION"));
	} else {
		snprintf(tf, sizeof(tf), "%s/forge.session", g_state);
		unlink(tf);
	}
	assert_int_equal(open_as("union", tf, 5000, &c, &err), WAGE_OK);
	assert_int_equal(wage_client_login(c, &err), WAGE_OK);
	tok = read_text(tf);
	assert_non_null(tok);
	assert_string_equal(tok, wage_client_token(c));
	/* The session file is the user's alone. */
	assert_int_equal(stat(tf, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* It works as it is, on its connection. */
	req = request("whoami", tok, NULL);
	json_decref(expect_ok(raw(c, req)));
	free(req);
	assert_int_equal(strncmp(tok, "v1.", 3), 0);
	dot = strchr(tok + 3, '.');
	assert_non_null(dot);
	plen = (size_t) (dot - tok) - 3;

	forged               = strdup(tok);
	forged[3 + plen / 2] = flip(forged[3 + plen / 2]);
	req                  = request("whoami", forged, NULL);
	expect_error(raw(c, req), "UNAUTHENTICATED", "token");
	free(req);
	free(forged);

	forged                   = strdup(tok);
	forged[(dot - tok) + 10] = flip(forged[(dot - tok) + 10]);
	req                      = request("whoami", forged, NULL);
	expect_error(raw(c, req), "UNAUTHENTICATED", "token");
	free(req);
	free(forged);

	/* Truncated MAC. */
	forged                     = strdup(tok);
	forged[strlen(forged) - 5] = '\0';
	req                        = request("whoami", forged, NULL);
	expect_error(raw(c, req), "UNAUTHENTICATED", "token");
	free(req);
	free(forged);
	still_fine(&s);
	free(tok);
	wage_client_close(c);
}

/* A union token re-encoded to say "chair", keeping the MAC: refused. */
static void
test_token_elevated(void **state)
{
	struct audit_snap s;
	wage_client      *u;
	unsigned char     payload[1024], b64[2048];
	const char       *tok;
	char             *dot, *forged, *req, *p;
	size_t            plen, olen;

	(void) state;
	audit_snap(&s);
	u   = must_open("union");
	tok = wage_client_token(u);
	dot = strchr(tok + 3, '.');
	assert_non_null(dot);
	assert_int_equal(
	    mbedtls_base64_decode(payload, sizeof(payload) - 1, &plen,
	        (const unsigned char *) tok + 3, (size_t) (dot - tok) - 3),
	    0);
	payload[plen] = '\0';
	p             = strstr((char *) payload, "\"r\":\"union\"");
	assert_non_null(p);
	memcpy(p, "\"r\":\"chair\"", 11);
	assert_int_equal(
	    mbedtls_base64_encode(b64, sizeof(b64), &olen, payload, plen), 0);
	forged = malloc(olen + strlen(dot) + 4);
	sprintf(forged, "v1.%.*s%s", (int) olen, (const char *) b64, dot);
	req = request("audit.verify", forged, NULL);
	expect_error(raw(u, req), "UNAUTHENTICATED", "token");
	free(req);
	/* Another session's MAC on this payload: refused too. */
	{
		const char *ct   = wage_client_token(g_clerk);
		const char *cdot = strchr(ct + 3, '.');
		char        mix[2 * WAGE_TOKEN_MAX];

		snprintf(
		    mix, sizeof(mix), "%.*s%s", (int) (dot - tok), tok, cdot);
		req = request("whoami", mix, NULL);
		expect_error(raw(g_clerk, req), "UNAUTHENTICATED", "token");
		free(req);
	}
	free(forged);
	wage_client_close(u);
	still_fine(&s);
}

/* A session belongs to the connection that logged in (issue 13): a union
 * station's token sent over the clerk's TLS connection (another
 * certificate) is refused, for reads and writes alike, and nothing is
 * recorded in the union's name; on its own connection it still works. */
static void
test_token_other_connection(void **state)
{
	struct audit_snap s;
	wage_client      *u;
	json_t           *res, *filing;
	char             *req;

	(void) state;
	audit_snap(&s);
	u   = must_open("union");
	req = request("whoami", wage_client_token(u), NULL);
	expect_error(raw(g_clerk, req), "UNAUTHENTICATED", "token");
	res = expect_ok(raw(u, req));
	free(req);
	assert_string_equal(
	    json_string_value(json_object_get(res, "role")), "union");
	json_decref(res);
	/* A write in the union's name over the clerk's connection: refused
	 * before its arguments are looked at. */
	filing = json_object();
	req    = request("case.file", wage_client_token(u), filing);
	expect_error(raw(g_clerk, req), "UNAUTHENTICATED", "token");
	free(req);
	/* Nor over a second connection of the union's own certificate. */
	{
		wage_client *u2 = must_open("union");

		req = request("whoami", wage_client_token(u), NULL);
		expect_error(raw(u2, req), "UNAUTHENTICATED", "token");
		free(req);
		wage_client_close(u2);
	}
	wage_client_close(u);
	still_fine(&s);
}

/* A token copied into another client: the library logs in again by
 * itself, as its own certificate, without the caller noticing. */
static void
test_token_copied_renewed(void **state)
{
	struct wage_error err;
	wage_client      *u;
	json_t           *res = NULL;

	(void) state;
	u = must_open("union");
	wage_client_set_token(g_clerk, wage_client_token(u));
	assert_int_equal(
	    wage_client_call(g_clerk, WAGE_OP_WHOAMI, NULL, &res, &err),
	    WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(res, "role")), "clerk");
	json_decref(res);
	assert_string_not_equal(
	    wage_client_token(g_clerk), wage_client_token(u));
	wage_client_close(u);
}

/* ---- expiry (server with session_ttl: 1) ----------------------------- */

static void
test_token_expired(void **state)
{
	struct wage_error err;
	wage_client      *c;
	json_t           *rep, *res = NULL;
	char             *old, *req, path[1024];
	const char       *code;
	int               i, expired = 0;

	(void) state;
	c   = must_open("clerk");
	old = strdup(wage_client_token(c));
	req = request("whoami", old, NULL);
	/* Poll (bounded: 10 s) until the 1-second session ends; before that
	 * the only allowed answer is success. */
	for (i = 0; i < 100 && !expired; i++) {
		rep = raw(c, req);
		if (json_is_true(json_object_get(rep, "ok"))) {
			json_decref(rep);
			usleep(100 * 1000);
			continue;
		}
		code = json_string_value(
		    json_object_get(json_object_get(rep, "error"), "code"));
		if (code == NULL || strcmp(code, "TOKEN_EXPIRED") != 0) {
			print_error(
			    "before expiry: got %s\n", code ? code : "?");
		}
		expect_error(rep, "TOKEN_EXPIRED", "token");
		expired = 1;
	}
	assert_true(expired);
	/* Still expired on a second try (no flapping). */
	expect_error(raw(c, req), "TOKEN_EXPIRED", "token");
	free(req);
	/* The library renews the session by itself. */
	assert_int_equal(
	    wage_client_call(c, WAGE_OP_WHOAMI, NULL, &res, &err), WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(res, "role")), "clerk");
	json_decref(res);
	assert_string_not_equal(wage_client_token(c), old);
	/* Leave the expired token for run.sh: wagectl must renew it too. */
	snprintf(path, sizeof(path), "%s/expired.token", g_state);
	write_text(path, old);
	free(old);
	wage_client_close(c);
}

/* ---- a certificate revoked after login ------------------------------- */

static void
test_revoke_save(void **state)
{
	wage_client *c;
	json_t      *res;
	char        *req, path[1024];

	(void) state;
	c   = must_open("late");
	req = request("whoami", wage_client_token(c), NULL);
	res = expect_ok(raw(c, req));
	free(req);
	assert_string_equal(
	    json_string_value(json_object_get(res, "role")), "clerk");
	json_decref(res);
	snprintf(path, sizeof(path), "%s/late.token", g_state);
	write_text(path, wage_client_token(c));
	wage_client_close(c);
	/* A session of a certificate that stays valid, for after restart. */
	c = must_open("clerk");
	snprintf(path, sizeof(path), "%s/clerk.token", g_state);
	write_text(path, wage_client_token(c));
	wage_client_close(c);
}

static void
test_revoke_check(void **state)
{
	struct audit_snap s;
	char             *tok, *req, path[1024];

	(void) state;
	audit_snap(&s);
	snprintf(path, sizeof(path), "%s/late.token", g_state);
	tok = read_text(path);
	assert_non_null(tok);
	/* The token is well-formed, unexpired and its MAC holds (the token
	 * key survives a restart), but its certificate is on the CRL now. */
	req = request("whoami", tok, NULL);
	expect_error(raw(g_clerk, req), "CERT_REVOKED", "token");
	free(req);
	req = request("case.file", tok, json_object());
	expect_error(raw(g_clerk, req), "CERT_REVOKED", "token");
	free(req);
	free(tok);
	still_fine(&s);
}

/* A session ends with its connection: one taken before the restart is
 * refused after it (its MAC still holds: the token key is kept). */
static void
test_token_ends_with_connection(void **state)
{
	char *tok, *req, path[1024];

	(void) state;
	snprintf(path, sizeof(path), "%s/clerk.token", g_state);
	tok = read_text(path);
	assert_non_null(tok);
	req = request("whoami", tok, NULL);
	expect_error(raw(g_clerk, req), "UNAUTHENTICATED", "token");
	free(req);
	free(tok);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest protocol[] = {
		cmocka_unit_test(test_raw_not_json),
		cmocka_unit_test(test_raw_not_object),
		cmocka_unit_test(test_raw_unknown_op),
		cmocka_unit_test(test_raw_bad_envelope),
		cmocka_unit_test(test_raw_duplicate_keys),
		cmocka_unit_test(test_raw_deep_nesting),
		cmocka_unit_test(test_raw_too_large),
		cmocka_unit_test(test_raw_plain_sp_over_tcp),
		cmocka_unit_test(test_token_none),
		cmocka_unit_test(test_token_garbage),
		cmocka_unit_test(test_token_forged),
		cmocka_unit_test(test_token_elevated),
		cmocka_unit_test(test_token_other_connection),
		cmocka_unit_test(test_token_copied_renewed),
		cmocka_unit_test(test_raw_over_transport_limit),
	};
	const struct CMUnitTest expiry[] = {
		cmocka_unit_test(test_token_expired),
	};
	const struct CMUnitTest revoke_save[] = {
		cmocka_unit_test(test_revoke_save),
	};
	const struct CMUnitTest revoke_check[] = {
		cmocka_unit_test(test_revoke_check),
		cmocka_unit_test(test_token_ends_with_connection),
	};

	g_server = getenv("ITEST_SERVER");
	g_ca     = getenv("ITEST_CA");
	g_pki    = getenv("ITEST_PKI");
	g_state  = getenv("ITEST_STATE");
	if (argc != 2 || g_server == NULL || g_ca == NULL || g_pki == NULL ||
	    g_state == NULL) {
		fprintf(stderr,
		    "usage: ITEST_SERVER=URL ITEST_CA=FILE ITEST_PKI=DIR "
		    "ITEST_STATE=DIR test_e2e protocol|expiry|revoke-save|"
		    "revoke-check\n");
		return (2);
	}
	if (strcmp(argv[1], "oversized-child") == 0) {
		return (oversized_child());
	}
	if (strcmp(argv[1], "protocol") == 0) {
		return (cmocka_run_group_tests_name(
		    "e2e_protocol", protocol, group_setup, group_teardown));
	}
	if (strcmp(argv[1], "expiry") == 0) {
		return (cmocka_run_group_tests_name(
		    "e2e_expiry", expiry, NULL, NULL));
	}
	if (strcmp(argv[1], "revoke-save") == 0) {
		return (cmocka_run_group_tests_name(
		    "e2e_revoke_save", revoke_save, NULL, NULL));
	}
	if (strcmp(argv[1], "revoke-check") == 0) {
		return (cmocka_run_group_tests_name("e2e_revoke_check",
		    revoke_check, group_setup, group_teardown));
	}
	fprintf(stderr, "test_e2e: unknown group '%s'\n", argv[1]);
	return (2);
}
