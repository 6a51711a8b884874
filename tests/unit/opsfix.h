/* SPDX-License-Identifier: MIT */
/*
 * opsfix.h - the fixture shared by test_ops.c (server/ops.c through
 * ops_handle: the guard chain, a clerk's reads and writes, paging, refused
 * writes) and test_writes.c (the prepared-write path and the case cache).
 * Owns: the group's CA made by pki_* in a mkdtemp directory, the client
 * certificates a file asks for and, if it asks, the shipped calendars and
 * minimum wages (g, made as g.def says); a server per test (struct fx, setup)
 * with a store and its writer running in its own directory, the shipped
 * policy, auth, a data key and, if asked, a case cache; requests handed
 * to ops_handle and their replies awaited (struct call, on_reply signals
 * fx->cv); the reply helpers (ok, want_err, rstr, rnum), login with a
 * challenge signed by pki_sign, and the bodies of a filing and a case.act.
 * Everything here is static: include it from the test_*.c files only
 * (the Makefile builds each into its own binary), and keep in it only
 * what both use, since an unused static function fails the -Werror build.
 */
#ifndef WAGE_OPSFIX_H
#define WAGE_OPSFIX_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp, nftw */
#endif

#include <sys/stat.h>

#include <ftw.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/base64.h>

#include "calendar.h"
#include "casecache.h"
#include "minwage.h"
#include "ops.h"
#include "pki.h"

#include "rmtree.h" /* rm_entry */

#define OFFICE "济南市劳动人事争议仲裁院"

/* A client certificate of the group: g.base/NAME.key and NAME.crt. */
struct cert {
	const char *name, *role, *region;
};

/* What a test file's group is made of; run_group points g.def at it. */
struct groupdef {
	const char        *tmpl;   /* mkdtemp template of g.base */
	int                tables; /* load the calendars and minimum wages */
	size_t             ncerts;
	const struct cert *certs; /* issued in this order */
};

static struct {
	const struct groupdef *def;
	char                   base[64], ca[128], ca_crt[160], crl[160];
	char                   id1[19], cc1[19];
	struct calendar       *cal; /* NULL unless def->tables */
	struct minwage        *mw;
} g;

/* What setup takes as the test's prestate; NULL: neither. */
struct fxopt {
	size_t ncache; /* a case cache of ncache (srv.cases NULL if 0) */
	int    login;  /* log "clerk" and "auditor" in to fx->clerk, auditor */
};

/* One request in flight, answered through on_reply. */
struct call {
	struct ops_request r;
	struct fx         *fx;
	int                done;
	char              *text;
	json_t            *reply; /* decoded */
};

struct fx {
	char            dir[128];
	struct server   srv;
	pthread_mutex_t mtx;
	pthread_cond_t  cv;
	struct call     c; /* for one call at a time */
	char            clerk[WAGE_TOKEN_MAX], auditor[WAGE_TOKEN_MAX];
};

/* ---- the group: CA, certificates, tables ----------------------------- */

static void
make_id(const char *body, char out[19])
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5,
		8, 4, 2 };
	int              sum   = 0, i;

	for (i = 0; i < 17; i++) {
		sum += (body[i] - '0') * w[i];
	}
	memcpy(out, body, 17);
	out[17] = "10X98765432"[sum % 11];
	out[18] = '\0';
}

static void
make_credit(const char *body, char out[19])
{
	static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int w[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13,
		8, 24, 10, 30, 28 };
	int              sum   = 0, i;

	for (i = 0; i < 17; i++) {
		sum += (int) (strchr(alpha, body[i]) - alpha) * w[i];
	}
	memcpy(out, body, 17);
	out[17] = alpha[(31 - sum % 31) % 31];
	out[18] = '\0';
}

static int
issue(const struct cert *c)
{
	struct pki_subject s = { "张伟", OFFICE, c->role, c->region };
	struct wage_error  err;
	char               out[128];

	snprintf(out, sizeof(out), "%s/%s", g.base, c->name);
	return (pki_issue(g.ca, &s, 0, NULL, 0, NULL, 0, 30, out, &err));
}

/*
 * group_setup makes g.base from the mkdtemp template of g.def, the CA and
 * the certificates of g.def in it; if g.def asks for the tables it also
 * loads the shipped calendars and minimum wages into g.
 */
static int
group_setup(void **state)
{
	const struct groupdef *def = g.def;
	struct wage_error      err;
	int                    n1 = -1, n2 = -1;
	size_t                 i;

	(void) state;
	if (def == NULL) {
		return (-1);
	}
	snprintf(g.base, sizeof(g.base), "%s", def->tmpl);
	if (mkdtemp(g.base) == NULL) {
		return (-1);
	}
	snprintf(g.ca, sizeof(g.ca), "%s/ca", g.base);
	snprintf(g.ca_crt, sizeof(g.ca_crt), "%s/ca.crt", g.ca);
	snprintf(g.crl, sizeof(g.crl), "%s/crl.pem", g.ca);
	make_id("37010219850315231", g.id1);
	make_credit("91370100MA3C5XY80", g.cc1);
	if (pki_init(g.ca, "Test CA", &err) != WAGE_OK) {
		return (-1);
	}
	for (i = 0; i < def->ncerts; i++) {
		if (issue(&def->certs[i]) != WAGE_OK) {
			return (-1);
		}
	}
	if (def->tables &&
	    (calendar_load_dir("policies/calendar", &g.cal, stderr, &n1) !=
	            WAGE_OK ||
	        minwage_load_dir(
	            "policies/minimum-wage", &g.mw, stderr, &n2) != WAGE_OK ||
	        n1 != 0 || n2 != 0)) {
		return (-1);
	}
	return (0);
}

static int
group_teardown(void **state)
{
	(void) state;
	calendar_free(g.cal);
	minwage_free(g.mw);
	nftw(g.base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return (0);
}

/* run_group runs tests (an array of CMUnitTest) as the cmocka group name
 * on the group gd describes. */
#define run_group(name, tests, gd)       \
	(g.def = (gd),                   \
	    cmocka_run_group_tests_name( \
	        name, tests, group_setup, group_teardown))

/* ---- calls ------------------------------------------------------------ */

static void
on_reply(struct ops_request *r)
{
	struct call *c    = r->arg;
	char        *text = ops_reply_text(r);

	pthread_mutex_lock(&c->fx->mtx);
	c->text = text;
	c->done = 1;
	pthread_cond_broadcast(&c->fx->cv);
	pthread_mutex_unlock(&c->fx->mtx);
}

static void
call_init(struct fx *fx, struct call *c)
{
	memset(c, 0, sizeof(*c));
	c->fx      = fx;
	c->r.reply = on_reply;
	c->r.arg   = c;
}

static void
call_fini(struct call *c)
{
	ops_request_reset(&c->r);
	json_decref(c->reply);
	c->reply = NULL;
	free(c->text);
	c->text = NULL;
}

/* call_send hands the len bytes of body to ops_handle (a write may still
 * be queued when it returns), call_start a string; call_wait waits for
 * the reply. */
static void
call_send(struct call *c, const char *body, size_t len)
{
	call_fini(c);
	pthread_mutex_lock(&c->fx->mtx);
	c->done = 0;
	pthread_mutex_unlock(&c->fx->mtx);
	ops_handle(&c->fx->srv, body, len, &c->r);
}

static void
call_start(struct call *c, const char *body)
{
	call_send(c, body, strlen(body));
}

/* The decoded reply (borrowed until the call's next request). */
static json_t *
call_wait(struct call *c)
{
	pthread_mutex_lock(&c->fx->mtx);
	while (!c->done) {
		pthread_cond_wait(&c->fx->cv, &c->fx->mtx);
	}
	pthread_mutex_unlock(&c->fx->mtx);
	assert_non_null(c->text);
	c->reply = json_loads(c->text, 0, NULL);
	assert_non_null(c->reply);
	free(c->text);
	c->text = NULL;
	return (c->reply);
}

/* A request body for op with token (may be NULL) and args (stolen, may be
 * NULL). */
static char *
body_of(const char *op, const char *token, json_t *args)
{
	json_t *req = json_pack("{s:s}", "op", op);
	char   *body;

	if (token != NULL) {
		json_object_set_new(req, "token", json_string(token));
	}
	if (args != NULL) {
		json_object_set_new(req, "args", args);
	}
	body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	assert_non_null(body);
	return (body);
}

/* call runs op and returns the decoded reply (borrowed until the next). */
static json_t *
call(struct fx *fx, const char *op, const char *token, json_t *args)
{
	char *body = body_of(op, token, args);

	call_start(&fx->c, body);
	free(body);
	return (call_wait(&fx->c));
}

/* ---- replies ---------------------------------------------------------- */

static void
want_err(json_t *reply, const char *code, const char *field)
{
	json_t     *e = json_object_get(reply, "error");
	const char *c = json_string_value(json_object_get(e, "code"));
	const char *f = json_string_value(json_object_get(e, "field"));

	if (!json_is_false(json_object_get(reply, "ok")) || c == NULL ||
	    strcmp(c, code) != 0 ||
	    (field != NULL && (f == NULL || strcmp(f, field) != 0))) {
		char *s = json_dumps(reply, 0);

		print_error("want %s (field %s), got %s\n", code,
		    field != NULL ? field : "-", s);
		free(s);
		fail();
	}
}

/* ok returns the result of a successful reply (borrowed). */
static json_t *
ok(json_t *reply)
{
	if (!json_is_true(json_object_get(reply, "ok"))) {
		char *s = json_dumps(reply, 0);

		print_error("want ok, got %s\n", s);
		free(s);
		fail();
	}
	return (json_object_get(reply, "result"));
}

static const char *
rstr(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

static json_int_t
rnum(const json_t *o, const char *k)
{
	return (json_integer_value(json_object_get(o, k)));
}

/* login logs the certificate name in; token holds WAGE_TOKEN_MAX. */
static void
login(struct fx *fx, const char *name, char *token)
{
	char              path[160], msg[256], sig64[256], *pem;
	unsigned char     sig[160];
	size_t            siglen, olen;
	struct wage_error err;
	const char       *ch;
	FILE             *f;
	long              n;

	ch = rstr(ok(call(fx, "auth.challenge", NULL, NULL)), "challenge");
	snprintf(msg, sizeof(msg), "%s%s", WAGE_LOGIN_CONTEXT, ch);
	snprintf(path, sizeof(path), "%s/%s.key", g.base, name);
	assert_int_equal(pki_sign(path, (unsigned char *) msg, strlen(msg),
	                     sig, sizeof(sig), &siglen, &err),
	    WAGE_OK);
	assert_int_equal(mbedtls_base64_encode((unsigned char *) sig64,
	                     sizeof(sig64), &olen, sig, siglen),
	    0);
	snprintf(path, sizeof(path), "%s/%s.crt", g.base, name);
	assert_non_null(f = fopen(path, "r"));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	pem = calloc(1, (size_t) n + 1);
	assert_int_equal(fread(pem, 1, (size_t) n, f), (size_t) n);
	fclose(f);
	call(fx, "auth.login", NULL,
	    json_pack("{s:s, s:s, s:s}", "certificate", pem, "challenge",
	        msg + strlen(WAGE_LOGIN_CONTEXT), "signature", sig64));
	free(pem);
	snprintf(token, WAGE_TOKEN_MAX, "%s", rstr(ok(fx->c.reply), "token"));
}

/* ---- a server per test ------------------------------------------------ */

/* setup takes a struct fxopt as the test's prestate (or none). */
static int
setup(void **state)
{
	const struct fxopt *opt = *state;
	struct fx          *fx  = calloc(1, sizeof(*fx));
	struct wage_error   err;
	unsigned char       key[32];

	if (fx == NULL) {
		return (-1);
	}
	snprintf(fx->dir, sizeof(fx->dir), "%s/db.XXXXXX", g.base);
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return (-1);
	}
	memset(key, 7, sizeof(key));
	memset(fx->srv.data_key, 9, sizeof(fx->srv.data_key));
	fx->srv.calendar = g.cal;
	fx->srv.minwage  = g.mw;
	if (opt != NULL && opt->ncache > 0 &&
	    (fx->srv.cases = casecache_new(opt->ncache)) == NULL) {
		free(fx);
		return (-1);
	}
	if (store_open(&fx->srv.store, fx->dir, 16u << 20, 16, &err) !=
	        WAGE_OK ||
	    policy_load_file("policies/wage-dispute.yaml", &fx->srv.policy,
	        stderr, NULL) != 0 ||
	    auth_alloc(&fx->srv.auth, g.ca_crt, g.crl, key, sizeof(key), 3600,
	        &err) != WAGE_OK ||
	    ops_init(&fx->srv, NULL, 0) != WAGE_OK ||
	    store_writer_start(fx->srv.store) != WAGE_OK) {
		return (-1);
	}
	pthread_mutex_init(&fx->mtx, NULL);
	pthread_cond_init(&fx->cv, NULL);
	call_init(fx, &fx->c);
	*state = fx;
	if (opt != NULL && opt->login) {
		login(fx, "clerk", fx->clerk);
		login(fx, "auditor", fx->auditor);
	}
	return (0);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	store_writer_stop(fx->srv.store);
	call_fini(&fx->c);
	auth_free(fx->srv.auth);
	ops_fini(&fx->srv);
	store_close(fx->srv.store);
	casecache_free(fx->srv.cases);
	policy_free(fx->srv.policy);
	pthread_mutex_destroy(&fx->mtx);
	pthread_cond_destroy(&fx->cv);
	free(fx);
	return (0);
}

/* ---- requests --------------------------------------------------------- */

static json_t *
filing(const char *region)
{
	return (json_pack("{s:s, s:s, s:[{s:s, s:s, s:b}], s:{s:s, s:s},"
	                  " s:{s:[{s:s, s:I}], s:{s:s, s:s}}, s:s}",
	    "channel", "walk_in", "region", region, "claimants", "name",
	    "李建国", "id_number", g.id1, "migrant_worker", 1, "respondent",
	    "name", "济南某建筑劳务有限公司", "credit_code", g.cc1, "claim",
	    "items", "kind", "wages", "amount_fen", (json_int_t) 1860000,
	    "period", "from", "2026-07", "to", "2026-09", "facts",
	    "被拖欠工资三个月。"));
}

/* The body of a case.act as token; fields stolen, may be NULL. */
static char *
act_body(const char *token, const char *id, const char *event, json_int_t rev,
    json_t *fields)
{
	json_t *args = json_pack(
	    "{s:s, s:s, s:I}", "id", id, "event", event, "revision", rev);

	if (fields != NULL) {
		json_object_set_new(args, "fields", fields);
	}
	return (body_of("case.act", token, args));
}

static json_t *
act(struct fx *fx, const char *token, const char *id, const char *event,
    json_int_t rev, json_t *fields)
{
	char *body = act_body(token, id, event, rev, fields);

	call_start(&fx->c, body);
	free(body);
	return (call_wait(&fx->c));
}

#endif /* WAGE_OPSFIX_H */
