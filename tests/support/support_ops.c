/* SPDX-License-Identifier: MIT */
/*
 * support_ops.c - the fixture of the ops_handle tests (support_ops.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp */
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/base64.h>

#include "casecache.h"

#include "support_file.h"
#include "support_ids.h"
#include "support_json.h"
#include "support_ops.h"
#include "support_pki.h"
#include "support_policy.h"
#include "support_tmp.h"

struct tsupport_ops_group tsupport_ops_g;

/* ---- the group: CA, certificates, tables ----------------------------- */

static int
issue(const struct tsupport_cert *c)
{
	struct pki_subject s = { "张伟", TSUPPORT_OFFICE, c->role, c->region };
	char               out[128];

	snprintf(out, sizeof(out), "%s/%s", tsupport_ops_g.base, c->name);
	return (tsupport_issue(tsupport_ops_g.ca.dir, &s, 0, 30, out));
}

int
tsupport_ops_group_setup(void **state)
{
	const struct tsupport_groupdef *def = tsupport_ops_g.def;
	size_t                          i;

	(void) state;
	if (def == NULL ||
	    tsupport_tmpdir(tsupport_ops_g.base, sizeof(tsupport_ops_g.base),
	        def->name) != 0) {
		return (-1);
	}
	tsupport_id_number("37010219850315231", tsupport_ops_g.id1);
	tsupport_credit_code("91370100MA3C5XY80", tsupport_ops_g.cc1);
	if (tsupport_ca_init(&tsupport_ops_g.ca, tsupport_ops_g.base, "ca",
	        "Test CA") != WAGE_OK) {
		return (-1);
	}
	for (i = 0; i < def->ncerts; i++) {
		if (issue(&def->certs[i]) != WAGE_OK) {
			return (-1);
		}
	}
	if (def->tables &&
	    (tsupport_calendar_load(&tsupport_ops_g.cal) != 0 ||
	        tsupport_minwage_load(&tsupport_ops_g.mw) != 0)) {
		return (-1);
	}
	return (0);
}

int
tsupport_ops_group_teardown(void **state)
{
	(void) state;
	calendar_free(tsupport_ops_g.cal);
	minwage_free(tsupport_ops_g.mw);
	tsupport_rmtree(tsupport_ops_g.base);
	return (0);
}

/* ---- calls ------------------------------------------------------------ */

/* on_reply runs on the thread that replies: the caller's for a read, the
 * store's replier for a write. */
static void
on_reply(struct ops_request *r)
{
	struct tsupport_call *c    = r->arg;
	char                 *text = ops_reply_text(r);

	pthread_mutex_lock(&c->fx->mtx);
	c->text = text;
	c->done = 1;
	pthread_cond_broadcast(&c->fx->cv);
	pthread_mutex_unlock(&c->fx->mtx);
}

void
tsupport_call_init(struct tsupport_opsfx *fx, struct tsupport_call *c)
{
	memset(c, 0, sizeof(*c));
	c->fx      = fx;
	c->r.reply = on_reply;
	c->r.arg   = c;
}

void
tsupport_call_fini(struct tsupport_call *c)
{
	ops_request_reset(&c->r);
	json_decref(c->reply);
	c->reply = NULL;
	free(c->text);
	c->text = NULL;
}

void
tsupport_call_send(struct tsupport_call *c, const char *body, size_t len)
{
	tsupport_call_fini(c);
	pthread_mutex_lock(&c->fx->mtx);
	c->done = 0;
	pthread_mutex_unlock(&c->fx->mtx);
	ops_handle(&c->fx->srv, body, len, &c->r);
}

void
tsupport_call_start(struct tsupport_call *c, const char *body)
{
	tsupport_call_send(c, body, strlen(body));
}

json_t *
tsupport_call_wait(struct tsupport_call *c)
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

char *
tsupport_body_of(const char *op, const char *token, json_t *args)
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

json_t *
tsupport_call(
    struct tsupport_opsfx *fx, const char *op, const char *token, json_t *args)
{
	char *body = tsupport_body_of(op, token, args);

	tsupport_call_start(&fx->c, body);
	free(body);
	return (tsupport_call_wait(&fx->c));
}

/* ---- replies ---------------------------------------------------------- */

void
tsupport_want_err(json_t *reply, const char *code, const char *field)
{
	json_t     *e = json_object_get(reply, "error");
	const char *c = tsupport_jstr(e, "code");
	const char *f = tsupport_jstr(e, "field");

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

json_t *
tsupport_ok(json_t *reply)
{
	if (!json_is_true(json_object_get(reply, "ok"))) {
		char *s = json_dumps(reply, 0);

		print_error("want ok, got %s\n", s);
		free(s);
		fail();
	}
	return (json_object_get(reply, "result"));
}

void
tsupport_login(struct tsupport_opsfx *fx, const char *name, char *token)
{
	char              path[160], msg[256], sig64[256], *pem;
	unsigned char     sig[160];
	size_t            siglen, olen;
	struct wage_error err;
	const char       *ch;

	ch = tsupport_jstr(
	    tsupport_ok(tsupport_call(fx, "auth.challenge", NULL, NULL)),
	    "challenge");
	snprintf(msg, sizeof(msg), "%s%s", WAGE_LOGIN_CONTEXT, ch);
	snprintf(path, sizeof(path), "%s/%s.key", tsupport_ops_g.base, name);
	assert_int_equal(pki_sign(path, (unsigned char *) msg, strlen(msg),
	                     sig, sizeof(sig), &siglen, &err),
	    WAGE_OK);
	assert_int_equal(mbedtls_base64_encode((unsigned char *) sig64,
	                     sizeof(sig64), &olen, sig, siglen),
	    0);
	snprintf(path, sizeof(path), "%s/%s.crt", tsupport_ops_g.base, name);
	pem = tsupport_slurp(path, NULL);
	tsupport_call(fx, "auth.login", NULL,
	    json_pack("{s:s, s:s, s:s}", "certificate", pem, "challenge",
	        msg + strlen(WAGE_LOGIN_CONTEXT), "signature", sig64));
	free(pem);
	snprintf(token, WAGE_TOKEN_MAX, "%s",
	    tsupport_jstr(tsupport_ok(fx->c.reply), "token"));
}

/* ---- a server per test ------------------------------------------------ */

int
tsupport_ops_setup(void **state)
{
	const struct tsupport_opsopt *opt = *state;
	struct tsupport_opsfx        *fx  = calloc(1, sizeof(*fx));
	struct wage_error             err;
	unsigned char                 key[32];

	if (fx == NULL) {
		return (-1);
	}
	snprintf(
	    fx->dir, sizeof(fx->dir), "%s/db.XXXXXX", tsupport_ops_g.base);
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return (-1);
	}
	memset(key, 7, sizeof(key));
	memset(fx->srv.data_key, 9, sizeof(fx->srv.data_key));
	fx->srv.calendar = tsupport_ops_g.cal;
	fx->srv.minwage  = tsupport_ops_g.mw;
	if (opt != NULL && opt->ncache > 0 &&
	    (fx->srv.cases = casecache_new(opt->ncache)) == NULL) {
		free(fx);
		return (-1);
	}
	if (store_open(&fx->srv.store, fx->dir, 16u << 20, 16, &err) !=
	        WAGE_OK ||
	    tsupport_policy_load(&fx->srv.policy) != 0 ||
	    auth_alloc(&fx->srv.auth, tsupport_ops_g.ca.crt,
	        tsupport_ops_g.ca.crl, key, sizeof(key), 3600,
	        &err) != WAGE_OK ||
	    ops_init(&fx->srv, NULL, 0) != WAGE_OK ||
	    store_writer_start(fx->srv.store) != WAGE_OK) {
		return (-1);
	}
	pthread_mutex_init(&fx->mtx, NULL);
	pthread_cond_init(&fx->cv, NULL);
	tsupport_call_init(fx, &fx->c);
	*state = fx;
	if (opt != NULL && opt->login) {
		tsupport_login(fx, "clerk", fx->clerk);
		tsupport_login(fx, "auditor", fx->auditor);
	}
	return (0);
}

int
tsupport_ops_teardown(void **state)
{
	struct tsupport_opsfx *fx = *state;

	store_writer_stop(fx->srv.store);
	tsupport_call_fini(&fx->c);
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

json_t *
tsupport_filing(const char *region)
{
	return (json_pack("{s:s, s:s, s:[{s:s, s:s, s:b}], s:{s:s, s:s},"
	                  " s:{s:[{s:s, s:I}], s:{s:s, s:s}}, s:s}",
	    "channel", "walk_in", "region", region, "claimants", "name",
	    "李建国", "id_number", tsupport_ops_g.id1, "migrant_worker", 1,
	    "respondent", "name", "济南某建筑劳务有限公司", "credit_code",
	    tsupport_ops_g.cc1, "claim", "items", "kind", "wages",
	    "amount_fen", (json_int_t) 1860000, "period", "from", "2026-07",
	    "to", "2026-09", "facts", "被拖欠工资三个月。"));
}

char *
tsupport_act_body(const char *token, const char *id, const char *event,
    json_int_t rev, json_t *fields)
{
	json_t *args = json_pack(
	    "{s:s, s:s, s:I}", "id", id, "event", event, "revision", rev);

	if (fields != NULL) {
		json_object_set_new(args, "fields", fields);
	}
	return (tsupport_body_of("case.act", token, args));
}

json_t *
tsupport_act(struct tsupport_opsfx *fx, const char *token, const char *id,
    const char *event, json_int_t rev, json_t *fields)
{
	char *body = tsupport_act_body(token, id, event, rev, fields);

	tsupport_call_start(&fx->c, body);
	free(body);
	return (tsupport_call_wait(&fx->c));
}
