/* SPDX-License-Identifier: MIT */
/*
 * wagectl - the command-line client of wage-server, and its PKI tool.
 * Owns: argument parsing, the session file's place, readable output
 * (tables aligned by display width, so Chinese text lines up) and --json.
 * Exit codes: 0 ok, 1 refused by the server, 2 usage, 3 connection or
 * TLS, 4 internal.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <mbedtls/sha256.h>

#include "auditlog.h"
#include "fileio.h"
#include "table.h"
#include "timefmt.h"
#include "wagectl.h"
#include "pki.h"
#include "wage/client.h"

struct opts g;

int fail_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int
fail_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("wagectl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(see wagectl --help)\n", stderr);
	return (WAGE_EXIT_USAGE);
}

int
report(int rc, const struct wage_error *err)
{
	if (rc == WAGE_OK) {
		return (WAGE_EXIT_OK);
	}
	if (err->field[0] != '\0') {
		fprintf(stderr, "error: %s: %s (field: %s)\n",
		    wage_err_name(rc), err->message, err->field);
	} else {
		fprintf(stderr, "error: %s: %s\n", wage_err_name(rc),
		    err->message[0] ? err->message : wage_err_message(rc));
	}
	return (wage_err_exit(rc));
}

/* ---- connection ---------------------------------------------------- */

/* token_path: where the session is kept: WAGE_TOKEN_FILE, else a file per
 * (server, certificate) under $XDG_RUNTIME_DIR/wagectl or
 * $HOME/.cache/wagectl. Returns -1 when there is no such place (no HOME,
 * or HOME is "/"): the session is then not kept, rather than written in a
 * shared or system directory, and each command logs in anew. */
static int
token_path(char *buf, size_t len)
{
	const char   *env = getenv("WAGE_TOKEN_FILE");
	const char   *home, *base;
	unsigned char sum[32];
	char          id[1024], dir[2048];
	int           i, n;

	if (env != NULL && *env != '\0') {
		snprintf(buf, len, "%s", env);
		return (0);
	}
	/* One session file per (server, certificate). */
	snprintf(id, sizeof(id), "%s|%s", g.server ? g.server : "",
	    g.cert ? g.cert : "");
	mbedtls_sha256_ret((const unsigned char *) id, strlen(id), sum, 0);
	base = getenv("XDG_RUNTIME_DIR");
	home = getenv("HOME");
	if (base != NULL && base[0] == '/') {
		snprintf(dir, sizeof(dir), "%s/wagectl", base);
	} else if (home != NULL && home[0] == '/' && home[1] != '\0') {
		char parent[2048];

		snprintf(dir, sizeof(dir), "%s/.cache/wagectl", home);
		snprintf(parent, sizeof(parent), "%s/.cache", home);
		mkdir(parent, 0700);
	} else {
		return (-1);
	}
	mkdir(dir, 0700);
	n = snprintf(buf, len, "%s/session-", dir);
	for (i = 0; i < 8 && n > 0 && (size_t) n + 3 < len; i++) {
		n += snprintf(buf + n, len - (size_t) n, "%02x", sum[i]);
	}
	return (0);
}

int
connect_client(wage_client **c, struct wage_error *err)
{
	struct wage_client_config cfg;
	char                      tf[4096];

	if (g.server == NULL || g.ca == NULL) {
		return (wage_err_set(err, WAGE_E_USAGE, NULL,
		    "set the server and CA: --server/--ca or WAGE_SERVER and "
		    "WAGE_CA (make run prints them)"));
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.server      = g.server;
	cfg.ca          = g.ca;
	cfg.cert        = g.cert;
	cfg.key         = g.key;
	cfg.server_name = g.server_name;
	cfg.timeout_ms  = g.timeout_ms;
	cfg.token_file  = token_path(tf, sizeof(tf)) == 0 ? tf : NULL;
	return (wage_client_open(c, &cfg, err));
}

int
call(const char *op, json_t *args, json_t **res)
{
	struct wage_error err;
	wage_client      *c;
	int               rc;

	*res = NULL;
	wage_err_clear(&err);
	if ((rc = connect_client(&c, &err)) != WAGE_OK) {
		json_decref(args);
		return (report(rc, &err));
	}
	rc = wage_client_call(c, op, args, res, &err);
	wage_client_close(c);
	json_decref(args);
	return (report(rc, &err));
}

/* ---- commands ------------------------------------------------------ */

static int
cmd_login(int argc, char **argv)
{
	struct wage_error err;
	wage_client      *c;
	json_t           *res = NULL;
	char              t[64];
	int               rc;

	(void) argv;
	if (argc != 1) {
		return (fail_usage("login takes no arguments"));
	}
	if ((rc = connect_client(&c, &err)) != WAGE_OK) {
		return (report(rc, &err));
	}
	if ((rc = wage_client_login(c, &err)) == WAGE_OK) {
		rc = wage_client_call(c, WAGE_OP_WHOAMI, NULL, &res, &err);
	}
	wage_client_close(c);
	if (rc != WAGE_OK) {
		return (report(rc, &err));
	}
	if (g.json) {
		table_json(res);
	} else {
		timefmt_minutes(json_integer_value(
		                    json_object_get(res, "session_expires")),
		    t, sizeof(t));
		printf("logged in as %s (%s, %s, region %s) until %s\n",
		    table_js(res, "name"), table_js(res, "role"),
		    table_js(res, "org"), table_js(res, "region"), t);
	}
	json_decref(res);
	return (0);
}

/* cmd_token prints the session token (logging in if needed). A session
 * belongs to its connection (PROTOCOL.md): the token is good only on
 * wagectl's own, which ends when it exits. */
static int
cmd_token(int argc, char **argv)
{
	struct wage_error err;
	wage_client      *c;
	json_t           *res = NULL;
	int               rc;

	(void) argv;
	if (argc != 1) {
		return (fail_usage("token takes no arguments"));
	}
	if ((rc = connect_client(&c, &err)) != WAGE_OK) {
		return (report(rc, &err));
	}
	/* whoami renews the session when it has expired. */
	rc = wage_client_call(c, WAGE_OP_WHOAMI, NULL, &res, &err);
	if (rc == WAGE_OK) {
		printf("%s\n", wage_client_token(c));
	}
	json_decref(res);
	wage_client_close(c);
	return (report(rc, &err));
}

static int
cmd_whoami(int argc, char **argv)
{
	json_t *res, *v;
	char    t[64], ops[512];
	size_t  i, off = 0;
	int     rc;

	(void) argv;
	if (argc != 1) {
		return (fail_usage("whoami takes no arguments"));
	}
	if ((rc = call(WAGE_OP_WHOAMI, NULL, &res)) != 0) {
		return (rc);
	}
	if (g.json) {
		table_json(res);
	} else {
		timefmt_minutes(json_integer_value(
		                    json_object_get(res, "session_expires")),
		    t, sizeof(t));
		ops[0] = '\0';
		json_array_foreach (json_object_get(res, "may_call"), i, v) {
			if (off < sizeof(ops)) {
				off += (size_t) snprintf(ops + off,
				    sizeof(ops) - off, "%s%s", i ? " " : "",
				    json_string_value(v));
			}
		}
		table_kv("name", table_js(res, "name"));
		table_kv("organisation", table_js(res, "org"));
		table_kv("role", table_js(res, "role"));
		table_kv("region", table_js(res, "region"));
		table_kv("sees", table_js(res, "scope"));
		table_kv("may call", ops);
		table_kv("session until", t);
	}
	json_decref(res);
	return (0);
}

static int
cmd_file(int argc, char **argv)
{
	json_t      *args, *res;
	json_error_t jerr;
	int          rc;

	if (argc != 2) {
		return (
		    fail_usage("usage: wagectl file FILE.json (- for stdin)"));
	}
	if (strcmp(argv[1], "-") == 0) {
		args = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	} else {
		args = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &jerr);
	}
	if (args == NULL) {
		fprintf(stderr, "error: USAGE: %s:%d: %s\n", argv[1],
		    jerr.line, jerr.text);
		return (WAGE_EXIT_USAGE);
	}
	if ((rc = call(WAGE_OP_CASE_FILE, args, &res)) != 0) {
		return (rc);
	}
	if (g.json) {
		table_json(res);
	} else {
		printf("filed %s: state %s, revision %" JSON_INTEGER_FORMAT
		       ", received %s\n",
		    table_js(res, "id"), table_js(res, "state"),
		    json_integer_value(json_object_get(res, "revision")),
		    table_js(res, "received"));
	}
	json_decref(res);
	return (0);
}

static void
left_str(const json_t *c, char *buf, size_t len)
{
	json_int_t left = json_integer_value(json_object_get(c, "days_left"));

	if (left < 0) {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT " late", -left);
	} else {
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, left);
	}
}

static void print_service(const json_t *c, struct table *t);
/* worker_kind: the rule's kind of worker w's items in award a. */
static const char *
worker_kind(const json_t *a, json_int_t w)
{
	const json_t *o;
	size_t        i;

	json_array_foreach (json_object_get(a, "workers"), i, o) {
		if (json_integer_value(json_object_get(o, "worker")) == w) {
			return (table_js(o, "kind"));
		}
	}
	return ("");
}

/*
 * print_award_items: an award recorded with items (Art 47), one row an
 * item: whose, its kind and amount, the article it falls under, the kind
 * by the rule (BY RULE: the server's, which opens the challenge windows)
 * and as the award states it, and a mark where the two differ.
 */
static void
print_award_items(const json_t *c)
{
	struct table  t = { 0 };
	const json_t *a = json_object_get(c, "award"), *it;
	char          w[16], amt[32];
	json_int_t    wi;
	size_t        i;

	if (json_array_size(json_object_get(a, "items")) == 0 ||
	    json_object_get(a, "kind") == NULL) {
		return; /* an award without items: the claim items show it */
	}
	printf("\naward items (%s)\n", table_js(a, "kind"));
	t.ncols = 9;
	table_row(&t, "WORKER", "NAME", "WORKER'S", "KIND", "YUAN", "ART",
	    "BY RULE", "STATED", "");
	json_array_foreach (json_object_get(a, "items"), i, it) {
		wi = json_integer_value(json_object_get(it, "worker"));
		snprintf(w, sizeof(w), "%" JSON_INTEGER_FORMAT, wi);
		table_fen(
		    json_integer_value(json_object_get(it, "amount_fen")), amt,
		    sizeof(amt));
		table_row(&t, w,
		    table_js(json_array_get(
		                 json_object_get(c, "claimants"), (size_t) wi),
		        "name"),
		    worker_kind(a, wi), table_js(it, "kind"), amt,
		    table_js(it, "rule"),
		    json_is_true(json_object_get(it, "final")) ? "final"
		                                               : "nonfinal",
		    table_js(it, "stated"),
		    json_is_true(json_object_get(it, "mismatch"))
		        ? "<- MISMATCH"
		        : "");
	}
	table_print(&t);
}

/* show_powers: the power of attorney's scope and validity, one line. */
static void
show_powers(const json_t *rep, char *buf, size_t len)
{
	const json_t *auth = json_object_get(rep, "authority");
	const json_t *s;
	size_t        i, off = 0;

	buf[0] = '\0';
	json_array_foreach (json_object_get(auth, "scope"), i, s) {
		if (off < len) {
			off += (size_t) snprintf(buf + off, len - off, "%s%s",
			    i ? ", " : "",
			    json_string_value(s) != NULL ? json_string_value(s)
			                                 : "?");
		}
	}
	if (off < len && json_is_string(json_object_get(rep, "valid_from"))) {
		off += (size_t) snprintf(buf + off, len - off, "; from %s",
		    table_js(rep, "valid_from"));
	}
	if (off < len && json_is_string(json_object_get(rep, "valid_until"))) {
		off += (size_t) snprintf(buf + off, len - off, "; until %s",
		    table_js(rep, "valid_until"));
	}
	if (off < len) {
		snprintf(
		    buf + off, len - off, " (%s)", table_js(auth, "document"));
	}
}

static void
print_case(const json_t *c)
{
	struct table  t = { 0 };
	const json_t *v, *cl, *rep, *s;
	char          buf[256], amt[32];
	size_t        i;

	snprintf(buf, sizeof(buf), "%s%s%s", table_js(c, "state"),
	    json_object_get(c, "state_label") ? "  " : "",
	    table_js(c, "state_label"));
	table_kv("case", table_js(c, "id"));
	table_kv("state", buf);
	table_int(json_object_get(c, "revision"), buf, sizeof(buf));
	table_kv("revision", buf);
	table_kv("region", table_js(c, "region"));
	table_kv("received", table_js(c, "received"));
	table_kv("channel", table_js(c, "channel"));
	snprintf(buf, sizeof(buf), "%s (%s, %s)",
	    table_js(json_object_get(c, "filed_by"), "name"),
	    table_js(json_object_get(c, "filed_by"), "role"),
	    table_js(json_object_get(c, "filed_by"), "org"));
	table_kv("filed by", buf);
	rep = json_object_get(c, "representative");
	if (rep != NULL) {
		snprintf(buf, sizeof(buf), "%s, %s (%s)",
		    table_js(rep, "name"), table_js(rep, "organisation"),
		    table_js(rep, "kind"));
		table_kv("representative", buf);
		show_powers(rep, buf, sizeof(buf));
		table_kv("powers", buf);
	}
	v = json_object_get(c, "representatives_past");
	if (json_array_size(v) > 0) {
		snprintf(buf, sizeof(buf), "%zu (last: %s, %s %s)",
		    json_array_size(v),
		    table_js(json_array_get(v, json_array_size(v) - 1),
		        "organisation"),
		    table_js(
		        json_array_get(v, json_array_size(v) - 1), "ended_by"),
		    table_js(json_array_get(v, json_array_size(v) - 1),
		        "ended_on"));
		table_kv("former representatives", buf);
	}
	v = json_object_get(c, "respondent");
	snprintf(buf, sizeof(buf), "%s  %s", table_js(v, "name"),
	    table_js(v, "credit_code"));
	table_kv("respondent", buf);
	if ((v = json_object_get(c, "project")) != NULL) {
		table_kv("project", table_js(v, "name"));
		if ((v = json_object_get(v, "general_contractor")) != NULL) {
			snprintf(buf, sizeof(buf), "%s  %s",
			    table_js(v, "name"), table_js(v, "credit_code"));
			table_kv("contractor", buf);
		}
	}
	/* Issue 10: a worker's open case against the same employer. */
	if ((v = json_object_get(c, "duplicates")) != NULL) {
		const json_t *d;
		size_t        k;

		json_array_foreach (json_object_get(v, "cases"), k, d) {
			const json_t *w;
			size_t        x, n;

			n = (size_t) snprintf(buf, sizeof(buf),
			    "%s: %s (%s), claimants",
			    json_is_true(json_object_get(v, "resolved"))
			        ? "answered"
			        : "unresolved",
			    table_js(d, "case"), table_js(d, "state"));
			json_array_foreach (json_object_get(d, "claimants"), x,
			    w) {
				if (n < sizeof(buf)) {
					n += (size_t) snprintf(buf + n,
					    sizeof(buf) - n,
					    " %" JSON_INTEGER_FORMAT,
					    json_integer_value(w));
				}
			}
			table_kv("duplicate", buf);
		}
	}
	/* 保障农民工工资支付条例: who pays first on a project. */
	if ((v = json_object_get(json_object_get(c, "contracting"),
	         "pays_first")) != NULL) {
		snprintf(buf, sizeof(buf), "%s %s (%s)", table_js(v, "name"),
		    table_js(v, "credit_code"), table_js(v, "basis"));
		table_kv("pays first", buf);
	}
	/* 移送: pending, then each one done. */
	if ((v = json_object_get(c, "transfer")) != NULL) {
		snprintf(buf, sizeof(buf), "pending since %s: %s (%s) -> %s (%s)",
		    table_js(v, "sent_on"), table_js(v, "from_body"),
		    table_js(v, "from_region"), table_js(v, "to_body"),
		    table_js(v, "to_region"));
		table_kv("transfer", buf);
	}
	json_array_foreach (json_object_get(c, "transfers"), i, v) {
		snprintf(buf, sizeof(buf), "%s %s: %s (%s) -> %s (%s)%s%s",
		    table_js(v, "status"), table_js(v, "sent_on"),
		    table_js(v, "from_body"), table_js(v, "from_region"),
		    table_js(v, "to_body"), table_js(v, "to_region"),
		    json_object_get(v, "return_reason") != NULL ? ": " : "",
		    json_object_get(v, "return_reason") != NULL
		        ? table_js(v, "return_reason")
		        : "");
		table_kv("transferred", buf);
	}
	v = json_object_get(c, "claim");
	table_fen(json_integer_value(json_object_get(v, "total_fen")), amt,
	    sizeof(amt));
	snprintf(buf, sizeof(buf), "%s yuan, %s to %s", amt,
	    table_js(json_object_get(v, "period"), "from"),
	    table_js(json_object_get(v, "period"), "to"));
	table_kv("claim", buf);
	v = json_object_get(c, "priority");
	snprintf(buf, sizeof(buf), "%s%s%s%s",
	    json_is_true(json_object_get(v, "collective")) ? "collective "
	                                                   : "",
	    json_is_true(json_object_get(v, "migrant")) ? "migrant " : "",
	    json_is_true(json_object_get(v, "poverty_alleviated"))
	        ? "poverty-alleviated "
	        : "",
	    "");
	table_kv("priority", buf[0] ? buf : "-");
	table_kv("facts", table_js(c, "facts"));
	buf[0] = '\0';
	json_array_foreach (json_object_get(c, "next"), i, v) {
		size_t off = strlen(buf);

		snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? " " : "",
		    json_string_value(v));
	}
	table_kv("you may", buf[0] ? buf : "(nothing)");
	if ((v = json_object_get(c, "assigned")) != NULL) {
		snprintf(buf, sizeof(buf), "%s, %s", table_js(v, "name"),
		    table_js(v, "org"));
		table_kv("assigned to", buf);
	}
	if ((v = json_object_get(c, "limitation")) != NULL) {
		table_kv("limitation",
		    json_is_true(json_object_get(v, "acknowledged"))
		        ? "late filing acknowledged (Art 27)"
		        : "WARNING: more than a year after employment ended "
		          "(Art 27); to be acknowledged");
	}
	if ((v = json_object_get(c, "award")) != NULL) {
		json_int_t lim =
		    json_integer_value(json_object_get(v, "limit_fen"));
		char limit[32];

		table_fen(lim, limit, sizeof(limit));
		snprintf(buf, sizeof(buf),
		    "%s%s%s, final-award limit %s yuan (12 x "
		    "minimum wage)",
		    table_js(v, "date"),
		    json_object_get(v, "kind") != NULL ? ", " : "",
		    table_js(v, "kind"),
		    json_is_integer(json_object_get(v, "limit_fen"))
		        ? limit
		        : "unknown");
		table_kv("award", buf);
		if (json_is_true(json_object_get(v, "mismatch"))) {
			table_kv(
			    "award MISMATCH", table_js(v, "mismatch_note"));
		}
	}
	if (json_array_size(json_object_get(c, "clocks")) > 0) {
		const json_t *ck;
		char          left[32], due[32];

		printf("\nclocks\n");
		t.ncols = 7;
		table_row(&t, "CLOCK", "PARTY", "STATE", "START", "DUE",
		    "DAYS LEFT", "BASIS");
		json_array_foreach (json_object_get(c, "clocks"), i, ck) {
			if (json_is_integer(
			        json_object_get(ck, "days_left"))) {
				left_str(ck, left, sizeof(left));
			} else {
				snprintf(left, sizeof(left), "-");
			}
			snprintf(due, sizeof(due), "%s%s", table_js(ck, "due"),
			    json_is_true(json_object_get(ck, "provisional"))
			        ? "*"
			        : "");
			table_row(&t, table_js(ck, "clock"),
			    json_is_string(json_object_get(ck, "party"))
			        ? table_js(ck, "party")
			        : "-",
			    table_js(ck, "state"), table_js(ck, "start"), due,
			    left, table_js(ck, "basis"));
		}
		table_print(&t);
	}
	print_service(c, &t);
	printf("\nclaimants (%zu)\n",
	    json_array_size(json_object_get(c, "claimants")));
	/* Each worker's own claim (issue 10): amount, months, and the
	 * items beyond wages. */
	t.ncols = 8;
	table_row(&t, "#", "NAME", "ID NUMBER", "PHONE", "MIGRANT", "POVERTY",
	    "YUAN", "MONTHS");
	json_array_foreach (json_object_get(c, "claimants"), i, cl) {
		char         num[24], months[24];
		const json_t *p = json_object_get(cl, "period");

		snprintf(num, sizeof(num), "%zu", i);
		amt[0] = months[0] = '\0';
		if (json_object_get(cl, "total_fen") != NULL) {
			table_fen(json_integer_value(
			              json_object_get(cl, "total_fen")),
			    amt, sizeof(amt));
		}
		if (p != NULL) {
			snprintf(months, sizeof(months), "%s..%s",
			    table_js(p, "from"), table_js(p, "to"));
		}
		table_row(&t, num, table_js(cl, "name"),
		    table_js(cl, "id_number"), table_js(cl, "phone"),
		    json_is_true(json_object_get(cl, "migrant_worker")) ? "yes"
		                                                        : "no",
		    json_is_true(json_object_get(cl, "poverty_alleviated"))
		        ? "yes"
		        : "no",
		    amt, months);
	}
	table_print(&t);
	if (!json_is_true(json_object_get(
	        json_object_get(c, "claim"), "per_worker")) &&
	    json_array_size(json_object_get(c, "claimants")) > 1) {
		printf("(a common claim of all the workers, not divided "
		       "among them)\n");
	}
	printf("\nclaim items\n");
	t.ncols = 3;
	table_row(&t, "KIND", "YUAN", "DESCRIPTION");
	json_array_foreach (
	    json_object_get(json_object_get(c, "claim"), "items"), i, cl) {
		table_fen(
		    json_integer_value(json_object_get(cl, "amount_fen")), amt,
		    sizeof(amt));
		table_row(&t, table_js(cl, "kind"), amt,
		    table_js(cl, "description"));
	}
	table_print(&t);
	print_award_items(c);
	if (json_array_size(json_object_get(c, "steps")) > 0) {
		printf("\nsteps\n");
		t.ncols = 5;
		table_row(&t, "AT", "EVENT", "TO", "BY", "NOTE");
		json_array_foreach (json_object_get(c, "steps"), i, s) {
			snprintf(buf, sizeof(buf), "%s (%s)",
			    table_js(json_object_get(s, "by"), "name"),
			    table_js(json_object_get(s, "by"), "role"));
			table_row(&t, table_js(s, "at"), table_js(s, "event"),
			    table_js(s, "to"), buf, table_js(s, "note"));
		}
		table_print(&t);
	}
}

/* print_service: the agreement, the payment, and what was served on whom
 * and when (送达: each party's windows run from its own receipt). */
static void
print_service(const json_t *c, struct table *t)
{
	const json_t *v, *s;
	char          buf[256], amt[32], left[32];
	size_t        i;

	if ((v = json_object_get(c, "settlement")) != NULL) {
		table_fen(json_integer_value(json_object_get(v, "amount_fen")),
		    amt, sizeof(amt));
		snprintf(buf, sizeof(buf), "%s yuan, pay by %s (%s, %s)%s%s",
		    amt, table_js(v, "pay_by"), table_js(v, "event"),
		    table_js(v, "on"),
		    json_is_string(json_object_get(v, "effective"))
		        ? "; in force since "
		        : "",
		    json_is_string(json_object_get(v, "effective"))
		        ? table_js(v, "effective")
		        : "");
		printf("\n");
		table_kv("agreement", buf);
	}
	if ((v = json_object_get(c, "payment")) != NULL) {
		table_fen(
		    json_integer_value(json_object_get(v, "amount_paid_fen")),
		    amt, sizeof(amt));
		table_fen(json_integer_value(json_object_get(v, "unpaid_fen")),
		    left, sizeof(left));
		snprintf(buf, sizeof(buf), "%s yuan on %s%s%s%s", amt,
		    table_js(v, "paid_on"),
		    json_is_true(json_object_get(v, "partial")) ? ", in part: "
		                                                : "",
		    json_is_true(json_object_get(v, "partial")) ? left : "",
		    json_is_true(json_object_get(v, "partial"))
		        ? " yuan unpaid"
		        : "");
		table_kv("paid", buf);
	}
	if (json_array_size(json_object_get(c, "service")) == 0) {
		return;
	}
	printf("\nservice (送达)\n");
	t->ncols = 6;
	table_row(
	    t, "DOCUMENT", "PARTY", "METHOD", "RECEIVED", "PUBLISHED", "BY");
	json_array_foreach (json_object_get(c, "service"), i, s) {
		/* A receipt of a 调解书 since gone back on (Art 42). */
		snprintf(buf, sizeof(buf), "%s%s", table_js(s, "document"),
		    json_is_true(json_object_get(s, "void")) ? " (void)" : "");
		table_row(t, buf, table_js(s, "party"), table_js(s, "method"),
		    table_js(s, "served_on"),
		    json_is_string(json_object_get(s, "published"))
		        ? table_js(s, "published")
		        : "-",
		    table_js(s, "by"));
	}
	table_print(t);
}

static int
cmd_show(int argc, char **argv)
{
	json_t *res;
	int     rc;

	int     resp = argc == 3 && strcmp(argv[2], "--for-respondent") == 0;

	if (argc != 2 && !resp) {
		return (fail_usage(
		    "usage: wagectl show ID [--for-respondent]"));
	}
	rc = call(WAGE_OP_CASE_GET,
	    resp ? json_pack("{s:s, s:s}", "id", argv[1], "for", "respondent")
	         : json_pack("{s:s}", "id", argv[1]),
	    &res);
	if (rc != 0) {
		return (rc);
	}
	if (g.json || resp) {
		table_json(res);
	} else {
		print_case(res);
	}
	json_decref(res);
	return (0);
}

/* related: the cases on the same project, against the same general
 * contractor or employer (those the actor may see), and who pays first. */
static int
cmd_related(int argc, char **argv)
{
	struct table  t = { 0 };
	json_t       *res, *c, *v;
	char          amt[32], w[16];
	size_t        i;
	int           rc;

	if (argc != 2) {
		return (fail_usage("usage: wagectl related ID"));
	}
	rc = call(WAGE_OP_CASE_RELATED, json_pack("{s:s}", "id", argv[1]),
	    &res);
	if (rc != 0) {
		return (rc);
	}
	if (g.json) {
		table_json(res);
		json_decref(res);
		return (0);
	}
	v = json_object_get(res, "contracting");
	if (v != NULL) {
		printf("contracting chain\n");
		t.ncols = 3;
		table_row(&t, "ROLE", "NAME", "CREDIT CODE");
		json_array_foreach (json_object_get(v, "chain"), i, c) {
			table_row(&t, table_js(c, "role"), table_js(c, "name"),
			    table_js(c, "credit_code"));
		}
		table_print(&t);
		c = json_object_get(v, "pays_first");
		printf("\npays first: %s (%s), %s\n  %s\n",
		    table_js(c, "name"), table_js(c, "role"),
		    table_js(c, "basis"), table_js(c, "why"));
		json_array_foreach (json_object_get(v, "also"), i, c) {
			printf("also: %s (%s), %s\n  %s\n", table_js(c, "name"),
			    table_js(c, "role"), table_js(c, "basis"),
			    table_js(c, "why"));
		}
		printf("\n");
	}
	printf("related cases (%zu)\n",
	    json_array_size(json_object_get(res, "related")));
	t.ncols = 7;
	table_row(&t, "ID", "RELATION", "STATE", "REGION", "RESPONDENT",
	    "WORKERS", "YUAN");
	json_array_foreach (json_object_get(res, "related"), i, c) {
		table_fen(json_integer_value(json_object_get(c, "total_fen")),
		    amt, sizeof(amt));
		snprintf(w, sizeof(w), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(json_object_get(c, "workers")));
		table_row(&t, table_js(c, "id"), table_js(c, "relation"),
		    table_js(c, "state"), table_js(c, "region"),
		    table_js(c, "respondent"), w, amt);
	}
	table_print(&t);
	if (json_integer_value(json_object_get(res, "outside_your_scope")) >
	    0) {
		printf("(%" JSON_INTEGER_FORMAT " more outside your scope)\n",
		    json_integer_value(
		        json_object_get(res, "outside_your_scope")));
	}
	json_decref(res);
	return (0);
}

static int
cmd_list(int argc, char **argv)
{
	static const struct option lo[] = { { "state", 1, NULL, 's' },
		{ "region", 1, NULL, 'r' }, { "limit", 1, NULL, 'l' },
		{ "after", 1, NULL, 'a' }, { NULL, 0, NULL, 0 } };
	struct table               t    = { 0 };
	json_t                    *args = json_object(), *res, *c;
	char                       amt[32], w[16], rev[16];
	size_t                     i;
	long                       n;
	char                      *end;
	int                        ch, rc;

	optind = 0; /* 0: re-initialise GNU getopt (permuting) */
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			json_object_set_new(
			    args, "state", json_string(optarg));
			break;
		case 'r':
			json_object_set_new(
			    args, "region", json_string(optarg));
			break;
		case 'l':
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || end == optarg) {
				json_decref(args);
				return (
				    fail_usage("--limit must be a number"));
			}
			json_object_set_new(args, "limit", json_integer(n));
			break;
		case 'a':
			json_object_set_new(
			    args, "after", json_string(optarg));
			break;
		default:
			json_decref(args);
			return (fail_usage("usage: wagectl list [--state S] "
			                   "[--region CODE] [--limit N] "
			                   "[--after CURSOR]"));
		}
	}
	if (optind != argc) {
		json_decref(args);
		return (fail_usage("list takes only options"));
	}
	if ((rc = call(WAGE_OP_CASE_LIST, args, &res)) != 0) {
		return (rc);
	}
	if (g.json) {
		table_json(res);
		json_decref(res);
		return (0);
	}
	t.ncols = 9;
	table_row(&t, "ID", "STATE", "REGION", "RECEIVED", "WORKERS", "YUAN",
	    "RESPONDENT", "CLAIMANT", "REV");
	json_array_foreach (json_object_get(res, "cases"), i, c) {
		table_fen(json_integer_value(json_object_get(c, "total_fen")),
		    amt, sizeof(amt));
		table_int(json_object_get(c, "workers"), w, sizeof(w));
		table_int(json_object_get(c, "revision"), rev, sizeof(rev));
		table_row(&t, table_js(c, "id"), table_js(c, "state"),
		    table_js(c, "region"), table_js(c, "received"), w, amt,
		    table_js(c, "respondent"), table_js(c, "first_claimant"),
		    rev);
	}
	if (i == 0) {
		printf("no cases\n");
		free(t.cells[0]);
		for (i = 1; i < 9; i++) {
			free(t.cells[i]);
		}
		free(t.cells);
	} else {
		table_print(&t);
	}
	if (json_is_string(json_object_get(res, "next"))) {
		printf(
		    "more: wagectl list --after %s\n", table_js(res, "next"));
	}
	json_decref(res);
	return (0);
}

/* file_sha256: the SHA-256 of the file at path as 64 lower-case hex
 * digits (a new JSON string), or NULL with why filled. */
static json_t *
file_sha256(const char *path, char *why, size_t len)
{
	unsigned char sum[32];
	char          hex[65];
	char         *buf;
	size_t        n, i;

	if ((buf = fileio_load(path, &n)) == NULL) {
		snprintf(
		    why, len, "cannot read %s: %s", path, strerror(errno));
		return (NULL);
	}
	mbedtls_sha256_ret((const unsigned char *) buf, n, sum, 0);
	free(buf);
	for (i = 0; i < sizeof(sum); i++) {
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	}
	return (json_string(hex));
}

/* field_value turns the text of --set into the JSON the field's type
 * wants, using the policy the server reports. The items of an award
 * (award_items) and a payment's shares (worker_amounts) are JSON, given
 * inline or as @FILE; NULL with why filled
 * when they do not parse. A field named *_sha256 given as @FILE gets the
 * file's SHA-256 (e.g. the signed power of attorney's scan). */
static json_t *
field_value(const json_t *policy, const char *name, const char *text,
    char *why, size_t len)
{
	const char *type = table_js(
	    json_object_get(json_object_get(policy, "fields"), name), "type");
	json_error_t je;
	json_t      *v;
	char        *end;
	long long    n;

	n = (long long) strlen(name);
	if (text[0] == '@' && n > 7 && strcmp(name + n - 7, "_sha256") == 0) {
		return (file_sha256(text + 1, why, len));
	}
	if (strcmp(type, "award_items") == 0 ||
	    strcmp(type, "worker_amounts") == 0) {
		v = text[0] == '@'
		    ? json_load_file(text + 1, JSON_REJECT_DUPLICATES, &je)
		    : json_loads(text, JSON_REJECT_DUPLICATES, &je);
		if (v == NULL) {
			snprintf(why, len,
			    "not JSON (%s, line %d): a list of %s, or @FILE "
			    "holding one",
			    je.text, je.line,
			    strcmp(type, "award_items") == 0
			        ? "{worker, kind, amount_fen, stated}"
			        : "{worker, amount_fen}");
		}
		return (v);
	}
	if (strcmp(type, "fen") == 0 || strcmp(type, "int") == 0) {
		errno = 0;
		n     = strtoll(text, &end, 10);
		if (errno == 0 && end != text && *end == '\0') {
			return (json_integer(n));
		}
	} else if (strcmp(type, "bool") == 0) {
		if (strcmp(text, "true") == 0 || strcmp(text, "yes") == 0) {
			return (json_true());
		}
		if (strcmp(text, "false") == 0 || strcmp(text, "no") == 0) {
			return (json_false());
		}
	}
	/* Anything else goes as a string: the server says what is wrong. */
	return (json_string(text));
}

static int
cmd_act(int argc, char **argv)
{
	static const struct option lo[] = { { "set", 1, NULL, 's' },
		{ "note", 1, NULL, 'n' }, { "revision", 1, NULL, 'r' },
		{ NULL, 0, NULL, 0 } };
	struct wage_error          err;
	wage_client               *c = NULL;
	json_t     *fields = json_object(), *args = NULL, *res = NULL;
	json_t     *policy = NULL, *cur = NULL, *v;
	const char *note = NULL, *eq;
	char        key[128], why[256];
	long        rev = 0;
	char       *end;
	int         ch, rc, i;
	char      **sets  = calloc((size_t) argc, sizeof(char *));
	int         nsets = 0;

	optind = 0; /* 0: re-initialise GNU getopt (permuting) */
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			sets[nsets++] = optarg;
			break;
		case 'n':
			note = optarg;
			break;
		case 'r':
			rev = strtol(optarg, &end, 10);
			if (*end != '\0' || rev < 1) {
				rc = fail_usage("--revision must be a number "
				                "from 1");
				goto out_usage;
			}
			break;
		default:
			rc = fail_usage("usage: wagectl act ID EVENT "
			                "[--set key=value ...] [--note TEXT] "
			                "[--revision N]");
			goto out_usage;
		}
	}
	if (argc - optind != 2) {
		rc = fail_usage("usage: wagectl act ID EVENT [--set key=value "
		                "...] [--note TEXT] [--revision N]");
		goto out_usage;
	}
	if ((rc = connect_client(&c, &err)) != WAGE_OK) {
		goto out;
	}
	if (nsets > 0 &&
	    (rc = wage_client_call(
	         c, WAGE_OP_POLICY_GET, NULL, &policy, &err)) != WAGE_OK) {
		goto out;
	}
	for (i = 0; i < nsets; i++) {
		if ((eq = strchr(sets[i], '=')) == NULL || eq == sets[i] ||
		    (size_t) (eq - sets[i]) >= sizeof(key)) {
			rc = fail_usage(
			    "--set wants key=value, got '%s'", sets[i]);
			goto out_usage;
		}
		memcpy(key, sets[i], (size_t) (eq - sets[i]));
		key[eq - sets[i]] = '\0';
		if ((v = field_value(policy, key, eq + 1, why, sizeof(why))) ==
		    NULL) {
			rc = fail_usage("--set %s: %s", key, why);
			goto out_usage;
		}
		json_object_set_new(fields, key, v);
	}
	if (rev == 0) {
		/* No revision given: act on the one read just now. */
		json_t *get = json_pack("{s:s}", "id", argv[optind]);

		rc = wage_client_call(c, WAGE_OP_CASE_GET, get, &cur, &err);
		json_decref(get);
		if (rc != WAGE_OK) {
			goto out;
		}
		rev = (long) json_integer_value(
		    json_object_get(cur, "revision"));
	}
	args = json_pack("{s:s, s:s, s:i, s:O}", "id", argv[optind], "event",
	    argv[optind + 1], "revision", (int) rev, "fields", fields);
	if (note != NULL) {
		json_object_set_new(args, "note", json_string(note));
	}
	rc = wage_client_call(c, WAGE_OP_CASE_ACT, args, &res, &err);
	if (rc == WAGE_OK) {
		if (g.json) {
			table_json(res);
		} else {
			printf("%s: %s -> %s, revision %" JSON_INTEGER_FORMAT
			       "\n",
			    table_js(res, "id"), table_js(res, "from"),
			    table_js(res, "state"),
			    json_integer_value(
			        json_object_get(res, "revision")));
		}
	}
out:
	rc = report(rc, &err);
out_usage:
	free(sets);
	json_decref(fields);
	json_decref(args);
	json_decref(res);
	json_decref(cur);
	json_decref(policy);
	wage_client_close(c);
	return (rc);
}

static const char *
priority_label(const json_t *pr)
{
	if (json_is_true(json_object_get(pr, "collective"))) {
		return ("collective");
	}
	if (json_is_true(json_object_get(pr, "poverty_alleviated"))) {
		return ("poverty");
	}
	if (json_is_true(json_object_get(pr, "migrant"))) {
		return ("migrant");
	}
	return ("-");
}

static int
cmd_due(int argc, char **argv)
{
	static const struct option lo[] = { { "within", 1, NULL, 'w' },
		{ "overdue", 0, NULL, 'o' }, { "mine", 0, NULL, 'm' },
		{ "limit", 1, NULL, 'l' }, { NULL, 0, NULL, 0 } };
	struct table               t    = { 0 };
	json_t                    *args = json_object(), *res, *e;
	char                       left[32], due[32], state[160];
	size_t                     i;
	long                       n;
	char                      *end;
	int                        ch, rc, autos = 0;

	optind = 0; /* 0: re-initialise GNU getopt (permuting) */
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'w':
		case 'l':
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || end == optarg) {
				json_decref(args);
				return (fail_usage("--%s must be a number",
				    ch == 'w' ? "within" : "limit"));
			}
			json_object_set_new(args,
			    ch == 'w' ? "within" : "limit", json_integer(n));
			break;
		case 'o':
			json_object_set_new(args, "overdue", json_true());
			break;
		case 'm':
			json_object_set_new(args, "mine", json_true());
			break;
		default:
			json_decref(args);
			return (
			    fail_usage("usage: wagectl due [--within DAYS] "
			               "[--overdue] [--mine] [--limit N]"));
		}
	}
	if (optind != argc) {
		json_decref(args);
		return (fail_usage("due takes only options"));
	}
	if ((rc = call(WAGE_OP_CASE_DUE, args, &res)) != 0) {
		return (rc);
	}
	if (g.json) {
		table_json(res);
		json_decref(res);
		return (0);
	}
	if (json_array_size(json_object_get(res, "entries")) == 0) {
		printf("nothing due (as of %s)\n", table_js(res, "as_of"));
		json_decref(res);
		return (0);
	}
	t.ncols = 9;
	table_row(&t, "PRIORITY", "ID", "CLOCK", "PARTY", "DUE", "DAYS LEFT",
	    "STATE", "RESPONDENT", "BASIS");
	json_array_foreach (json_object_get(res, "entries"), i, e) {
		left_str(e, left, sizeof(left));
		snprintf(due, sizeof(due), "%s%s", table_js(e, "due"),
		    json_is_true(json_object_get(e, "provisional")) ? "*"
		                                                    : "");
		/* The server fires an automatic event at its next sweep. */
		if (json_object_get(e, "automatic") != NULL) {
			snprintf(state, sizeof(state), "%s -> %s +",
			    table_js(e, "case_state"),
			    table_js(json_object_get(e, "automatic"), "to"));
			autos = 1;
		} else {
			snprintf(state, sizeof(state), "%s",
			    table_js(e, "case_state"));
		}
		table_row(&t, priority_label(json_object_get(e, "priority")),
		    table_js(e, "id"), table_js(e, "clock"),
		    json_is_string(json_object_get(e, "party"))
		        ? table_js(e, "party")
		        : "-",
		    due, left, state, table_js(e, "respondent"),
		    table_js(e, "basis"));
	}
	table_print(&t);
	printf("as of %s; * provisional (no official calendar for that year "
	       "yet)%s%s\n",
	    table_js(res, "as_of"),
	    autos ? "; + the server moves the case by itself at its next "
	            "sweep (automatic event)"
	          : "",
	    json_is_true(json_object_get(res, "truncated")) ? "; list cut"
	                                                    : "");
	json_decref(res);
	return (0);
}

/* history_all: every page of case id's history, joined into *res. */
static int
history_all(const char *id, json_t **res)
{
	json_t *page, *next = NULL;
	int     rc;

	*res = NULL;
	for (;;) {
		rc = call(WAGE_OP_CASE_HISTORY,
		    next != NULL && json_is_integer(next)
		        ? json_pack("{s:s, s:I, s:i}", "id", id, "after",
		              json_integer_value(next), "limit", 500)
		        : json_pack("{s:s, s:i}", "id", id, "limit", 500),
		    &page);
		json_decref(next);
		next = NULL;
		if (rc != 0) {
			json_decref(*res);
			*res = NULL;
			return (rc);
		}
		if (*res == NULL) {
			*res = json_incref(page);
		} else {
			json_array_extend(json_object_get(*res, "events"),
			    json_object_get(page, "events"));
		}
		next = json_incref(json_object_get(page, "next"));
		json_decref(page);
		if (next == NULL || !json_is_integer(next)) {
			json_decref(next);
			json_object_set_new(*res, "next", json_null());
			return (0);
		}
	}
}

static int
cmd_history(int argc, char **argv)
{
	struct table t = { 0 };
	json_t      *res, *e;
	char         seq[24], by[256], hash[16];
	size_t       i;
	int          rc;

	if (argc != 2) {
		return (fail_usage("usage: wagectl history ID"));
	}
	if ((rc = history_all(argv[1], &res)) != 0) {
		return (rc);
	}
	if (g.json) {
		table_json(res);
		json_decref(res);
		return (0);
	}
	t.ncols = 7;
	table_row(&t, "SEQ", "TIME", "EVENT", "FROM", "TO", "BY", "HASH");
	json_array_foreach (json_object_get(res, "events"), i, e) {
		table_int(json_object_get(e, "seq"), seq, sizeof(seq));
		snprintf(by, sizeof(by), "%s (%s, %s)",
		    table_js(json_object_get(e, "actor"), "name"),
		    table_js(json_object_get(e, "actor"), "role"),
		    table_js(json_object_get(e, "actor"), "org"));
		snprintf(hash, sizeof(hash), "%.12s", table_js(e, "hash"));
		table_row(&t, seq, table_js(e, "time"), table_js(e, "event"),
		    json_is_string(json_object_get(e, "from"))
		        ? table_js(e, "from")
		        : "-",
		    table_js(e, "to"), by, hash);
	}
	table_print(&t);
	json_decref(res);
	return (0);
}

static int
cmd_call(int argc, char **argv)
{
	json_t      *args = NULL, *res;
	json_error_t jerr;
	int          rc;

	if (argc != 2 && argc != 3) {
		return (fail_usage("usage: wagectl call OP ['{json args}']"));
	}
	if (argc == 3 &&
	    (args = json_loads(argv[2], JSON_REJECT_DUPLICATES, &jerr)) ==
	        NULL) {
		return (fail_usage("args: %s", jerr.text));
	}
	if ((rc = call(argv[1], args, &res)) != 0) {
		return (rc);
	}
	table_json(res);
	json_decref(res);
	return (0);
}

/* ---- main ---------------------------------------------------------- */

struct command {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
};

static const struct command commands[] = {
	{ "login", cmd_login, "log in (done by itself when needed)" },
	{ "whoami", cmd_whoami, "who the server thinks you are" },
	{ "token", cmd_token,
	    "print the session token (of this connection only)" },
	{ "file", cmd_file, "FILE.json: file a case (- reads stdin)" },
	{ "show", cmd_show,
	    "ID [--for-respondent]: show a case (or, as JSON, what the "
	    "employer's side may be shown of it)" },
	{ "list", cmd_list,
	    "[--state S] [--region CODE] [--limit N] [--after C]: list "
	    "cases" },
	{ "act", cmd_act,
	    "ID EVENT [--set k=v ...] [--note TEXT] [--revision N]: fire an "
	    "event (an award's items: --set items=JSON or items=@FILE)" },
	{ "history", cmd_history, "ID: a case's audit events" },
	{ "related", cmd_related,
	    "ID: who pays first (保障农民工工资支付条例), and the cases on "
	    "the same project, general contractor or employer" },
	{ "due", cmd_due,
	    "[--within DAYS] [--overdue] [--mine]: the work list, by "
	    "priority then due date" },
	{ "audit", cmd_audit,
	    "verify | verify FILE --ca CA | export FILE: check the audit "
	    "chain on the server, or an export offline" },
	{ "policy", cmd_policy, "the workflow: events, states, roles" },
	{ "report", cmd_report,
	    "campaign --from D --to D [--region C] [--csv|--svg FILE] | "
	    "employers [--min-cases N] [--min-amount YUAN]" },
	{ "call", cmd_call, "OP ['{json}']: any operation, raw JSON out" },
	{ "pki", cmd_pki, "init|issue|revoke|crl: the deployment's PKI" },
};

static void
help(FILE *f)
{
	size_t i;

	fprintf(f,
	    "usage: wagectl [--server URL] [--ca FILE] [--cert FILE] "
	    "[--key FILE]\n"
	    "               [--json] [--timeout MS] COMMAND [ARGS]\n\n"
	    "settings also come from WAGE_SERVER, WAGE_CA, WAGE_CERT, "
	    "WAGE_KEY\n(and WAGE_TOKEN_FILE for the session file).\n\n"
	    "the session is kept in WAGE_TOKEN_FILE, else under "
	    "$XDG_RUNTIME_DIR/wagectl\nor $HOME/.cache/wagectl; with none "
	    "of them (no HOME, or HOME=/) it is not\nkept anywhere and each "
	    "command logs in anew.\n\n"
	    "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	}
	fprintf(f,
	    "\nexit: 0 ok, 1 refused by the server, 2 usage, "
	    "3 connection or TLS, 4 internal\n");
}

/* env: a setting from the environment; set but empty counts as unset. */
static const char *
env(const char *name)
{
	const char *v = getenv(name);

	return (v != NULL && *v != '\0' ? v : NULL);
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { { "server", 1, NULL, 's' },
		{ "ca", 1, NULL, 'a' }, { "cert", 1, NULL, 'c' },
		{ "key", 1, NULL, 'k' }, { "json", 0, NULL, 'j' },
		{ "timeout", 1, NULL, 't' }, { "server-name", 1, NULL, 'n' },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	size_t                     i;
	int                        ch, rc;

	g.server     = env("WAGE_SERVER");
	g.ca         = env("WAGE_CA");
	g.cert       = env("WAGE_CERT");
	g.key        = env("WAGE_KEY");
	g.timeout_ms = 10000;
	/* "+": stop at the command; its options are its own. */
	while ((ch = getopt_long(argc, argv, "+h", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			g.server = optarg;
			break;
		case 'a':
			g.ca = optarg;
			break;
		case 'c':
			g.cert = optarg;
			break;
		case 'k':
			g.key = optarg;
			break;
		case 'j':
			g.json = 1;
			break;
		case 'n':
			g.server_name = optarg;
			break;
		case 't':
			g.timeout_ms = atoi(optarg);
			if (g.timeout_ms <= 0) {
				return (fail_usage("--timeout must be > 0"));
			}
			break;
		case 'h':
			help(stdout);
			return (0);
		default:
			help(stderr);
			return (WAGE_EXIT_USAGE);
		}
	}
	if (optind >= argc) {
		help(stderr);
		return (WAGE_EXIT_USAGE);
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(commands[i].name, argv[optind]) == 0) {
			rc = commands[i].fn(argc - optind, argv + optind);
			if (fflush(stdout) != 0 || ferror(stdout)) {
				fprintf(stderr,
				    "wagectl: writing output: %s\n",
				    strerror(errno));
				return (WAGE_EXIT_INTERNAL);
			}
			return (rc);
		}
	}
	return (fail_usage("unknown command '%s'", argv[optind]));
}
