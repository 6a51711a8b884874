/* SPDX-License-Identifier: MIT */
/*
 * support_ops.h - the fixture of the tests that drive server/ops.c through
 * ops_handle (test_ops.c, test_writes.c, test_writes_race.c). Part of
 * libwage-testsupport.a. Owns: the group (tsupport_ops_g): a scratch directory
 * with a CA made by pki_* and the client certificates the group's definition
 * asks for, an ID number and a credit code, and if asked the shipped calendars
 * and minimum wages; a server per test (struct tsupport_opsfx) with a store
 * and its writer running in a directory of its own under the group's,
 * the shipped policy, auth, a data key and if asked a case cache;
 * requests handed to ops_handle and their replies awaited (struct
 * tsupport_call); the reply helpers; login with a challenge signed by
 * pki_sign; and the bodies of a filing and of a case.act.
 * Threads: the test's thread sends and waits; a write's reply arrives on
 * the store's replier thread and is handed over under fx->mtx.
 * The helpers that look at replies fail the running test (they assert).
 */
#ifndef WAGE_SUPPORT_OPS_H
#define WAGE_SUPPORT_OPS_H

#include <pthread.h>
#include <stddef.h>

#include <jansson.h>

#include "calendar.h"
#include "minwage.h"
#include "ops.h"

#include "support_pki.h"

/* The office of the group's certificates. */
#define TSUPPORT_OFFICE "济南市劳动人事争议仲裁院"

/* A client certificate of the group: base/NAME.key and NAME.crt. */
struct tsupport_cert {
	const char *name, *role, *region;
};

/* What a test file's group is made of; tsupport_ops_run_group takes it. */
struct tsupport_groupdef {
	const char                 *name;   /* of the scratch directory */
	int                         tables; /* load calendars, minimum wages */
	size_t                      ncerts;
	const struct tsupport_cert *certs; /* issued in this order */
};

/* The group, made by tsupport_ops_group_setup; tests only read it. */
struct tsupport_ops_group {
	const struct tsupport_groupdef *def;
	char                            base[64];
	struct tsupport_ca              ca;
	char                            id1[19]; /* a valid ID number */
	char                            cc1[19]; /* a valid credit code */
	struct calendar                *cal;     /* NULL unless def->tables */
	struct minwage                 *mw;
};

extern struct tsupport_ops_group tsupport_ops_g;

/* What tsupport_ops_setup takes as the test's prestate; NULL: neither. */
struct tsupport_opsopt {
	size_t ncache; /* a case cache of ncache (srv.cases NULL if 0) */
	int    login;  /* log "clerk" and "auditor" in: fx->clerk, auditor */
};

struct tsupport_opsfx;

/* One request in flight, answered through ops_request.reply. */
struct tsupport_call {
	struct ops_request     r;
	struct tsupport_opsfx *fx;
	int                    done; /* under fx->mtx */
	char                  *text;
	json_t                *reply; /* decoded */
};

/* A server per test. */
struct tsupport_opsfx {
	char                 dir[128]; /* the store's, under the group's */
	struct server        srv;
	pthread_mutex_t      mtx;
	pthread_cond_t       cv; /* signalled by every reply */
	struct tsupport_call c;  /* for one call at a time */
	char                 clerk[WAGE_TOKEN_MAX], auditor[WAGE_TOKEN_MAX];
};

/*
 * tsupport_ops_group_setup makes the group of tsupport_ops_g.def (cmocka
 * group setup; state unused): a directory /tmp/NAME.XXXXXX, the CA in
 * base/ca and the certificates in it, tsupport_ops_g.id1 and cc1, and the
 * tables if asked. Returns 0, or -1 (the group's tests do not run).
 * tsupport_ops_group_teardown frees the tables and removes the directory.
 */
int tsupport_ops_group_setup(void **state);
int tsupport_ops_group_teardown(void **state);

/* tsupport_ops_run_group runs tests (an array of CMUnitTest) as the cmocka
 * group name on the group gd (a const struct tsupport_groupdef *)
 * describes; returns cmocka's result. */
#define tsupport_ops_run_group(name, tests, gd)      \
	(tsupport_ops_g.def = (gd),                  \
	    cmocka_run_group_tests_name(name, tests, \
	        tsupport_ops_group_setup, tsupport_ops_group_teardown))

/*
 * tsupport_ops_setup (cmocka test setup) takes a struct tsupport_opsopt as
 * the test's prestate (or none) and replaces it by a new struct
 * tsupport_opsfx, its server ready with the writer running (and the two
 * logins done if asked). Returns 0 or -1. tsupport_ops_teardown stops the
 * writer and frees the fixture; the store's directory goes with the
 * group's.
 */
int tsupport_ops_setup(void **state);
int tsupport_ops_teardown(void **state);

/*
 * tsupport_call_init prepares c for requests on fx's server;
 * tsupport_call_fini frees what the last request left (the request, the
 * reply). A call is used by one thread at a time.
 */
void tsupport_call_init(struct tsupport_opsfx *fx, struct tsupport_call *c);
void tsupport_call_fini(struct tsupport_call *c);

/*
 * tsupport_call_send hands the len bytes of body to ops_handle (a write
 * may still be queued when it returns; body is not kept), after freeing
 * the call's previous request and reply; tsupport_call_start does it for
 * a string. tsupport_call_wait waits for the reply and returns it decoded
 * (borrowed until the call's next request); fails the test if the reply
 * is not JSON.
 */
void tsupport_call_send(struct tsupport_call *c, const char *body, size_t len);
void tsupport_call_start(struct tsupport_call *c, const char *body);
json_t *tsupport_call_wait(struct tsupport_call *c);

/*
 * tsupport_body_of returns a request body (new string, the caller frees
 * it) for op with token (may be NULL) and args (stolen, may be NULL).
 */
char *tsupport_body_of(const char *op, const char *token, json_t *args);

/*
 * tsupport_call runs op as token (may be NULL) with args (stolen, may be
 * NULL) on fx->c and returns the decoded reply (borrowed until the next).
 */
json_t *tsupport_call(struct tsupport_opsfx *fx, const char *op,
    const char *token, json_t *args);

/*
 * tsupport_want_err fails the test unless reply is an error of code (the
 * wire name) and, when field is not NULL, of that field.
 */
void tsupport_want_err(json_t *reply, const char *code, const char *field);

/*
 * tsupport_ok fails the test unless reply succeeded, and returns its
 * result (borrowed from reply).
 */
json_t *tsupport_ok(json_t *reply);

/*
 * tsupport_login logs the group's certificate name in on fx (a challenge,
 * signed with name's key) and writes the session token into token, of
 * WAGE_TOKEN_MAX bytes. Fails the test if any step fails.
 */
void tsupport_login(struct tsupport_opsfx *fx, const char *name, char *token);

/*
 * tsupport_filing returns the args of a valid case.file in region (new
 * reference): one migrant worker (tsupport_ops_g.id1) against one
 * employer (cc1) for three months' wages.
 */
json_t *tsupport_filing(const char *region);

/*
 * tsupport_act_body returns the body (new string) of a case.act as token
 * on case id at revision rev; fields is stolen and may be NULL.
 * tsupport_act sends it on fx->c and returns the reply as tsupport_call.
 */
char   *tsupport_act_body(const char *token, const char *id, const char *event,
      json_int_t rev, json_t *fields);
json_t *tsupport_act(struct tsupport_opsfx *fx, const char *token,
    const char *id, const char *event, json_int_t rev, json_t *fields);

#endif /* WAGE_SUPPORT_OPS_H */
