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
	json_decref(v0);
	json_decref(v1);
	for (i = 0; i < MAX_ROLES && sessions[i].c != NULL; i++) {
		wage_client_close(sessions[i].c);
	}
	printf("hostile: %d passed, %d failed\n", pass, fail);
	return (fail != 0);
}
