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
#include "pki.h"
#include "wage/client.h"

struct opts {
	const char *server, *ca, *cert, *key, *server_name;
	int         json;
	int         timeout_ms;
};

static struct opts g;

static int
fail_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
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

static int
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

/* ---- display width ------------------------------------------------- */

static int
cp_width(unsigned long cp)
{
	if (cp == 0) {
		return (0);
	}
	if ((cp >= 0x0300 && cp <= 0x036f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f)) {
		return (0);
	}
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
	    (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) ||
	    (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x20000 && cp <= 0x3fffd)) {
		return (2);
	}
	return (1);
}

/* utf8_next decodes one code point at s; returns its length in bytes. */
static size_t
utf8_next(const char *s, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *) s;

	if (u[0] < 0x80) {
		*cp = u[0];
		return (1);
	}
	if ((u[0] & 0xe0) == 0xc0 && (u[1] & 0xc0) == 0x80) {
		*cp = ((unsigned long) (u[0] & 0x1f) << 6) | (u[1] & 0x3f);
		return (2);
	}
	if ((u[0] & 0xf0) == 0xe0 && (u[1] & 0xc0) == 0x80 &&
	    (u[2] & 0xc0) == 0x80) {
		*cp = ((unsigned long) (u[0] & 0x0f) << 12) |
		    ((unsigned long) (u[1] & 0x3f) << 6) | (u[2] & 0x3f);
		return (3);
	}
	if ((u[0] & 0xf8) == 0xf0 && (u[1] & 0xc0) == 0x80 &&
	    (u[2] & 0xc0) == 0x80 && (u[3] & 0xc0) == 0x80) {
		*cp = ((unsigned long) (u[0] & 0x07) << 18) |
		    ((unsigned long) (u[1] & 0x3f) << 12) |
		    ((unsigned long) (u[2] & 0x3f) << 6) | (u[3] & 0x3f);
		return (4);
	}
	*cp = '?';
	return (1);
}

static int
str_width(const char *s)
{
	unsigned long cp;
	int           w = 0;

	while (*s != '\0') {
		s += utf8_next(s, &cp);
		w += cp_width(cp);
	}
	return (w);
}

/* print_cell prints s cut to at most max columns, padded to width. */
static void
print_cell(const char *s, int width, int max, int last)
{
	unsigned long cp;
	size_t        n;
	int           w = 0, cw;

	while (*s != '\0') {
		n  = utf8_next(s, &cp);
		cw = cp_width(cp);
		if (cp == '\n' || cp == '\t' || cp < 0x20) {
			cp = ' ';
			cw = 1;
			putchar(' ');
			s += n;
			w += cw;
			continue;
		}
		if (w + cw > max) {
			fputs("…", stdout);
			w++;
			break;
		}
		fwrite(s, 1, n, stdout);
		s += n;
		w += cw;
	}
	if (!last) {
		for (; w < width; w++) {
			putchar(' ');
		}
		fputs("  ", stdout);
	}
}

#define TABLE_MAX_COLS 10
#define CELL_MAX 40

struct table {
	int     ncols;
	char  **cells; /* rows * ncols, row 0 the header */
	size_t  nrows;
};

static void
table_row(struct table *t, ...)
{
	va_list     ap;
	const char *s;
	int         i;
	char      **nc;

	nc = realloc(t->cells, (t->nrows + 1) * (size_t) t->ncols *
	        sizeof(char *));
	if (nc == NULL) {
		return;
	}
	t->cells = nc;
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		s = va_arg(ap, const char *);
		t->cells[t->nrows * (size_t) t->ncols + (size_t) i] =
		    strdup(s != NULL ? s : "");
	}
	va_end(ap);
	t->nrows++;
}

static void
table_print(struct table *t)
{
	int    widths[TABLE_MAX_COLS] = { 0 };
	size_t r;
	int    c, w;

	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			w = str_width(t->cells[r * (size_t) t->ncols + (size_t) c]);
			if (w > CELL_MAX) {
				w = CELL_MAX + 1;
			}
			if (w > widths[c]) {
				widths[c] = w;
			}
		}
	}
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			print_cell(t->cells[r * (size_t) t->ncols + (size_t) c],
			    widths[c], CELL_MAX, c == t->ncols - 1);
		}
		putchar('\n');
	}
	for (r = 0; r < t->nrows * (size_t) t->ncols; r++) {
		free(t->cells[r]);
	}
	free(t->cells);
	t->cells = NULL;
	t->nrows = 0;
}

/* ---- formatting helpers -------------------------------------------- */

static const char *
js(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return (s != NULL ? s : "");
}

static void
fen_str(json_int_t fen, char *buf, size_t len)
{
	snprintf(buf, len, "%s%" JSON_INTEGER_FORMAT ".%02d",
	    fen < 0 ? "-" : "", (fen < 0 ? -fen : fen) / 100,
	    (int) ((fen < 0 ? -fen : fen) % 100));
}

static void
int_str(const json_t *v, char *buf, size_t len)
{
	snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
}

static void
time_str(int64_t t, char *buf, size_t len)
{
	time_t    tt = (time_t) t + 8 * 3600;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M (UTC+8)", &tm);
}

static void
kv(const char *k, const char *v)
{
	int w = str_width(k);

	fputs(k, stdout);
	for (; w < 16; w++) {
		putchar(' ');
	}
	printf("%s\n", v);
}

static int
print_json(const json_t *v)
{
	if (json_dumpf(v, stdout, JSON_INDENT(2) | JSON_SORT_KEYS) != 0) {
		return (-1);
	}
	putchar('\n');
	return (0);
}

/* ---- connection ---------------------------------------------------- */

static void
token_path(char *buf, size_t len)
{
	const char   *env = getenv("WAGE_TOKEN_FILE");
	const char   *home, *base;
	unsigned char sum[32];
	char          id[1024], dir[2048];
	int           i, n;

	if (env != NULL && *env != '\0') {
		snprintf(buf, len, "%s", env);
		return;
	}
	/* One session file per (server, certificate). */
	snprintf(id, sizeof(id), "%s|%s", g.server ? g.server : "",
	    g.cert ? g.cert : "");
	mbedtls_sha256_ret((const unsigned char *) id, strlen(id), sum, 0);
	base = getenv("XDG_RUNTIME_DIR");
	home = getenv("HOME");
	if (base != NULL && *base != '\0') {
		snprintf(dir, sizeof(dir), "%s/wagectl", base);
	} else {
		snprintf(dir, sizeof(dir), "%s/.cache/wagectl",
		    home != NULL ? home : "/tmp");
		if (home != NULL) {
			char parent[2048];

			snprintf(parent, sizeof(parent), "%s/.cache", home);
			mkdir(parent, 0700);
		}
	}
	mkdir(dir, 0700);
	n = snprintf(buf, len, "%s/session-", dir);
	for (i = 0; i < 8 && n > 0 && (size_t) n + 3 < len; i++) {
		n += snprintf(buf + n, len - (size_t) n, "%02x", sum[i]);
	}
}

static int
connect_client(wage_client **c, struct wage_error *err)
{
	struct wage_client_config cfg;
	char                      tf[4096];

	if (g.server == NULL || g.ca == NULL) {
		return (wage_err_set(err, WAGE_E_USAGE, NULL,
		    "set the server and CA: --server/--ca or WAGE_SERVER and "
		    "WAGE_CA (make run prints them)"));
	}
	token_path(tf, sizeof(tf));
	memset(&cfg, 0, sizeof(cfg));
	cfg.server      = g.server;
	cfg.ca          = g.ca;
	cfg.cert        = g.cert;
	cfg.key         = g.key;
	cfg.server_name = g.server_name;
	cfg.timeout_ms  = g.timeout_ms;
	cfg.token_file  = tf;
	return (wage_client_open(c, &cfg, err));
}

static int
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
		print_json(res);
	} else {
		time_str(json_integer_value(
		             json_object_get(res, "session_expires")),
		    t, sizeof(t));
		printf("logged in as %s (%s, %s, region %s) until %s\n",
		    js(res, "name"), js(res, "role"), js(res, "org"),
		    js(res, "region"), t);
	}
	json_decref(res);
	return (0);
}

/* cmd_token prints the session token (logging in if needed), for raw
 * clients such as nngcat. */
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
		print_json(res);
	} else {
		time_str(json_integer_value(
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
		kv("name", js(res, "name"));
		kv("organisation", js(res, "org"));
		kv("role", js(res, "role"));
		kv("region", js(res, "region"));
		kv("sees", js(res, "scope"));
		kv("may call", ops);
		kv("session until", t);
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
		return (fail_usage("usage: wagectl file FILE.json (- for stdin)"));
	}
	if (strcmp(argv[1], "-") == 0) {
		args = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	} else {
		args = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &jerr);
	}
	if (args == NULL) {
		fprintf(stderr, "error: USAGE: %s:%d: %s\n", argv[1], jerr.line,
		    jerr.text);
		return (WAGE_EXIT_USAGE);
	}
	if ((rc = call(WAGE_OP_CASE_FILE, args, &res)) != 0) {
		return (rc);
	}
	if (g.json) {
		print_json(res);
	} else {
		printf("filed %s: state %s, revision %" JSON_INTEGER_FORMAT
		       ", received %s\n",
		    js(res, "id"), js(res, "state"),
		    json_integer_value(json_object_get(res, "revision")),
		    js(res, "received"));
	}
	json_decref(res);
	return (0);
}

static void
print_case(const json_t *c)
{
	struct table  t = { 0 };
	const json_t *v, *cl, *rep, *s;
	char          buf[256], amt[32];
	size_t        i;

	snprintf(buf, sizeof(buf), "%s%s%s", js(c, "state"),
	    json_object_get(c, "state_label") ? "  " : "",
	    js(c, "state_label"));
	kv("case", js(c, "id"));
	kv("state", buf);
	int_str(json_object_get(c, "revision"), buf, sizeof(buf));
	kv("revision", buf);
	kv("region", js(c, "region"));
	kv("received", js(c, "received"));
	kv("channel", js(c, "channel"));
	snprintf(buf, sizeof(buf), "%s (%s, %s)",
	    js(json_object_get(c, "filed_by"), "name"),
	    js(json_object_get(c, "filed_by"), "role"),
	    js(json_object_get(c, "filed_by"), "org"));
	kv("filed by", buf);
	rep = json_object_get(c, "representative");
	if (rep != NULL) {
		snprintf(buf, sizeof(buf), "%s, %s (%s)", js(rep, "name"),
		    js(rep, "organisation"), js(rep, "kind"));
		kv("representative", buf);
	}
	v = json_object_get(c, "respondent");
	snprintf(buf, sizeof(buf), "%s  %s", js(v, "name"),
	    js(v, "credit_code"));
	kv("respondent", buf);
	if ((v = json_object_get(c, "project")) != NULL) {
		kv("project", js(v, "name"));
		if ((v = json_object_get(v, "general_contractor")) != NULL) {
			snprintf(buf, sizeof(buf), "%s  %s", js(v, "name"),
			    js(v, "credit_code"));
			kv("contractor", buf);
		}
	}
	v = json_object_get(c, "claim");
	fen_str(json_integer_value(json_object_get(v, "total_fen")), amt,
	    sizeof(amt));
	snprintf(buf, sizeof(buf), "%s yuan, %s to %s", amt,
	    js(json_object_get(v, "period"), "from"),
	    js(json_object_get(v, "period"), "to"));
	kv("claim", buf);
	v = json_object_get(c, "priority");
	snprintf(buf, sizeof(buf), "%s%s%s%s",
	    json_is_true(json_object_get(v, "collective")) ? "collective " : "",
	    json_is_true(json_object_get(v, "migrant")) ? "migrant " : "",
	    json_is_true(json_object_get(v, "poverty_alleviated"))
	        ? "poverty-alleviated "
	        : "",
	    "");
	kv("priority", buf[0] ? buf : "-");
	kv("facts", js(c, "facts"));
	buf[0] = '\0';
	json_array_foreach (json_object_get(c, "next"), i, v) {
		size_t off = strlen(buf);

		snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? " " : "",
		    json_string_value(v));
	}
	kv("you may", buf[0] ? buf : "(nothing)");
	printf("\nclaimants (%zu)\n",
	    json_array_size(json_object_get(c, "claimants")));
	t.ncols = 5;
	table_row(&t, "NAME", "ID NUMBER", "PHONE", "MIGRANT", "POVERTY");
	json_array_foreach (json_object_get(c, "claimants"), i, cl) {
		table_row(&t, js(cl, "name"), js(cl, "id_number"),
		    js(cl, "phone"),
		    json_is_true(json_object_get(cl, "migrant_worker")) ? "yes"
		                                                        : "no",
		    json_is_true(json_object_get(cl, "poverty_alleviated"))
		        ? "yes"
		        : "no");
	}
	table_print(&t);
	printf("\nclaim items\n");
	t.ncols = 3;
	table_row(&t, "KIND", "YUAN", "DESCRIPTION");
	json_array_foreach (json_object_get(json_object_get(c, "claim"),
	                        "items"),
	    i, cl) {
		fen_str(json_integer_value(json_object_get(cl, "amount_fen")),
		    amt, sizeof(amt));
		table_row(&t, js(cl, "kind"), amt, js(cl, "description"));
	}
	table_print(&t);
	if (json_array_size(json_object_get(c, "steps")) > 0) {
		printf("\nsteps\n");
		t.ncols = 5;
		table_row(&t, "AT", "EVENT", "TO", "BY", "NOTE");
		json_array_foreach (json_object_get(c, "steps"), i, s) {
			snprintf(buf, sizeof(buf), "%s (%s)",
			    js(json_object_get(s, "by"), "name"),
			    js(json_object_get(s, "by"), "role"));
			table_row(&t, js(s, "at"), js(s, "event"), js(s, "to"),
			    buf, js(s, "note"));
		}
		table_print(&t);
	}
}

static int
cmd_show(int argc, char **argv)
{
	json_t *res;
	int     rc;

	if (argc != 2) {
		return (fail_usage("usage: wagectl show ID"));
	}
	rc = call(WAGE_OP_CASE_GET, json_pack("{s:s}", "id", argv[1]), &res);
	if (rc != 0) {
		return (rc);
	}
	if (g.json) {
		print_json(res);
	} else {
		print_case(res);
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
	struct table t = { 0 };
	json_t      *args = json_object(), *res, *c;
	char         amt[32], w[16], rev[16];
	size_t       i;
	long         n;
	char        *end;
	int          ch, rc;

	optind = 0; /* 0: re-initialise GNU getopt (permuting) */
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			json_object_set_new(args, "state", json_string(optarg));
			break;
		case 'r':
			json_object_set_new(args, "region", json_string(optarg));
			break;
		case 'l':
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || end == optarg) {
				json_decref(args);
				return (fail_usage("--limit must be a number"));
			}
			json_object_set_new(args, "limit", json_integer(n));
			break;
		case 'a':
			json_object_set_new(args, "after", json_string(optarg));
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
		print_json(res);
		json_decref(res);
		return (0);
	}
	t.ncols = 9;
	table_row(&t, "ID", "STATE", "REGION", "RECEIVED", "WORKERS", "YUAN",
	    "RESPONDENT", "CLAIMANT", "REV");
	json_array_foreach (json_object_get(res, "cases"), i, c) {
		fen_str(json_integer_value(json_object_get(c, "total_fen")),
		    amt, sizeof(amt));
		int_str(json_object_get(c, "workers"), w, sizeof(w));
		int_str(json_object_get(c, "revision"), rev, sizeof(rev));
		table_row(&t, js(c, "id"), js(c, "state"), js(c, "region"),
		    js(c, "received"), w, amt, js(c, "respondent"),
		    js(c, "first_claimant"), rev);
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
		printf("more: wagectl list --after %s\n", js(res, "next"));
	}
	json_decref(res);
	return (0);
}

/* field_value turns the text of --set into the JSON the field's type
 * wants, using the policy the server reports. */
static json_t *
field_value(const json_t *policy, const char *name, const char *text)
{
	const char *type = js(json_object_get(json_object_get(policy, "fields"),
	                          name),
	    "type");
	char       *end;
	long long   n;

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
	struct wage_error err;
	wage_client      *c = NULL;
	json_t           *fields = json_object(), *args = NULL, *res = NULL;
	json_t           *policy = NULL, *cur = NULL;
	const char       *note = NULL, *eq;
	char              key[128];
	long              rev = 0;
	char             *end;
	int               ch, rc, i;
	char            **sets = calloc((size_t) argc, sizeof(char *));
	int               nsets = 0;

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
	    (rc = wage_client_call(c, WAGE_OP_POLICY_GET, NULL, &policy,
	         &err)) != WAGE_OK) {
		goto out;
	}
	for (i = 0; i < nsets; i++) {
		if ((eq = strchr(sets[i], '=')) == NULL || eq == sets[i] ||
		    (size_t) (eq - sets[i]) >= sizeof(key)) {
			rc = fail_usage("--set wants key=value, got '%s'",
			    sets[i]);
			goto out_usage;
		}
		memcpy(key, sets[i], (size_t) (eq - sets[i]));
		key[eq - sets[i]] = '\0';
		json_object_set_new(fields, key,
		    field_value(policy, key, eq + 1));
	}
	if (rev == 0) {
		/* No revision given: act on the one read just now. */
		json_t *get = json_pack("{s:s}", "id", argv[optind]);

		rc = wage_client_call(c, WAGE_OP_CASE_GET, get, &cur, &err);
		json_decref(get);
		if (rc != WAGE_OK) {
			goto out;
		}
		rev = (long) json_integer_value(json_object_get(cur, "revision"));
	}
	args = json_pack("{s:s, s:s, s:i, s:O}", "id", argv[optind], "event",
	    argv[optind + 1], "revision", (int) rev, "fields", fields);
	if (note != NULL) {
		json_object_set_new(args, "note", json_string(note));
	}
	rc = wage_client_call(c, WAGE_OP_CASE_ACT, args, &res, &err);
	if (rc == WAGE_OK) {
		if (g.json) {
			print_json(res);
		} else {
			printf("%s: %s -> %s, revision %" JSON_INTEGER_FORMAT
			       "\n",
			    js(res, "id"), js(res, "from"), js(res, "state"),
			    json_integer_value(json_object_get(res,
			        "revision")));
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
	rc = call(WAGE_OP_CASE_HISTORY, json_pack("{s:s}", "id", argv[1]),
	    &res);
	if (rc != 0) {
		return (rc);
	}
	if (g.json) {
		print_json(res);
		json_decref(res);
		return (0);
	}
	t.ncols = 7;
	table_row(&t, "SEQ", "TIME", "EVENT", "FROM", "TO", "BY", "HASH");
	json_array_foreach (json_object_get(res, "events"), i, e) {
		int_str(json_object_get(e, "seq"), seq, sizeof(seq));
		snprintf(by, sizeof(by), "%s (%s, %s)",
		    js(json_object_get(e, "actor"), "name"),
		    js(json_object_get(e, "actor"), "role"),
		    js(json_object_get(e, "actor"), "org"));
		snprintf(hash, sizeof(hash), "%.12s", js(e, "hash"));
		table_row(&t, seq, js(e, "time"), js(e, "event"),
		    json_is_string(json_object_get(e, "from")) ? js(e, "from")
		                                               : "-",
		    js(e, "to"), by, hash);
	}
	table_print(&t);
	json_decref(res);
	return (0);
}

static int
audit_verify_online(void)
{
	json_t *res;
	int     rc, valid;

	if ((rc = call(WAGE_OP_AUDIT_VERIFY, NULL, &res)) != 0) {
		return (rc);
	}
	valid = json_is_true(json_object_get(res, "valid"));
	if (g.json) {
		print_json(res);
	} else if (valid) {
		printf("audit chain holds: %" JSON_INTEGER_FORMAT
		       " events, %" JSON_INTEGER_FORMAT
		       " cases replayed, indexes agree, %" JSON_INTEGER_FORMAT
		       " signed checkpoints (last at seq %" JSON_INTEGER_FORMAT
		       "), head %s\n",
		    json_integer_value(json_object_get(res, "events")),
		    json_integer_value(json_object_get(res, "cases")),
		    json_integer_value(json_object_get(res, "checkpoints")),
		    json_integer_value(json_object_get(res,
		        "last_checkpoint_seq")),
		    js(res, "head"));
	}
	if (!valid) {
		fprintf(stderr,
		    "error: AUDIT_BROKEN: the audit log does NOT hold at seq "
		    "%" JSON_INTEGER_FORMAT ": %s\n",
		    json_integer_value(json_object_get(res, "first_bad_seq")),
		    js(res, "problem"));
	}
	json_decref(res);
	return (valid ? 0 : WAGE_EXIT_REFUSED);
}

/* audit verify FILE --ca CA: offline, from the export and the CA alone. */
static int
audit_verify_file(const char *path, const char *ca)
{
	json_t *rep, *w;
	FILE   *f;
	size_t  i;
	int     valid;

	if ((f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r")) == NULL) {
		fprintf(stderr, "error: USAGE: cannot open %s: %s\n", path,
		    strerror(errno));
		return (WAGE_EXIT_USAGE);
	}
	if (auditlog_verify_export(f, ca, &rep) != 0) {
		fprintf(stderr, "error: USAGE: cannot read the CA certificate "
		                "%s\n",
		    ca);
		if (f != stdin) {
			fclose(f);
		}
		return (WAGE_EXIT_USAGE);
	}
	if (f != stdin) {
		fclose(f);
	}
	valid = json_is_true(json_object_get(rep, "valid"));
	if (g.json) {
		print_json(rep);
	} else if (valid) {
		printf("export verifies: %" JSON_INTEGER_FORMAT
		       " events, %" JSON_INTEGER_FORMAT
		       " signed checkpoints, %" JSON_INTEGER_FORMAT
		       " cases replayed; server certificate issued by %s\n",
		    json_integer_value(json_object_get(rep, "events")),
		    json_integer_value(json_object_get(rep, "checkpoints")),
		    json_integer_value(json_object_get(rep, "cases")), ca);
		json_array_foreach (json_object_get(rep, "warnings"), i, w) {
			printf("note: %s\n", json_string_value(w));
		}
	}
	if (!valid) {
		fprintf(stderr,
		    "error: AUDIT_BROKEN: the export does NOT verify at seq "
		    "%" JSON_INTEGER_FORMAT ": %s\n",
		    json_integer_value(json_object_get(rep, "first_bad_seq")),
		    js(rep, "problem"));
	}
	json_decref(rep);
	return (valid ? 0 : WAGE_EXIT_REFUSED);
}

static int
audit_export(const char *path)
{
	struct wage_error err;
	wage_client      *c;
	json_t           *res = NULL, *args, *l;
	char             *cursor = NULL, *text;
	FILE             *f;
	size_t            i, nlines = 0;
	int               rc;

	if ((rc = connect_client(&c, &err)) != WAGE_OK) {
		return (report(rc, &err));
	}
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "error: USAGE: cannot write %s: %s\n", path,
		    strerror(errno));
		wage_client_close(c);
		return (WAGE_EXIT_USAGE);
	}
	for (;;) {
		args = cursor != NULL
		    ? json_pack("{s:s, s:i}", "after", cursor, "limit", 1000)
		    : json_pack("{s:i}", "limit", 1000);
		rc = wage_client_call(c, WAGE_OP_AUDIT_EXPORT, args, &res, &err);
		json_decref(args);
		free(cursor);
		cursor = NULL;
		if (rc != WAGE_OK) {
			break;
		}
		json_array_foreach (json_object_get(res, "lines"), i, l) {
			text = json_dumps(l, JSON_COMPACT | JSON_SORT_KEYS);
			if (text == NULL || fprintf(f, "%s\n", text) < 0) {
				free(text);
				rc = wage_err_set(&err, WAGE_E_INTERNAL, NULL,
				    "writing %s failed", path);
				break;
			}
			free(text);
			nlines++;
		}
		if (json_is_string(json_object_get(res, "next"))) {
			cursor = strdup(js(res, "next"));
		}
		json_decref(res);
		res = NULL;
		if (rc != WAGE_OK || cursor == NULL) {
			break;
		}
	}
	free(cursor);
	wage_client_close(c);
	if (fclose(f) != 0 && rc == WAGE_OK) {
		rc = wage_err_set(&err, WAGE_E_INTERNAL, NULL,
		    "writing %s failed", path);
	}
	if (rc == WAGE_OK) {
		printf("exported %zu lines to %s\n", nlines, path);
	}
	return (report(rc, &err));
}

static int
cmd_audit(int argc, char **argv)
{
	const char *usage = "usage: wagectl audit verify\n"
	                    "       wagectl audit verify FILE --ca CA.pem\n"
	                    "       wagectl audit export FILE";

	if (argc == 2 && strcmp(argv[1], "verify") == 0) {
		return (audit_verify_online());
	}
	if (argc == 5 && strcmp(argv[1], "verify") == 0 &&
	    strcmp(argv[3], "--ca") == 0) {
		return (audit_verify_file(argv[2], argv[4]));
	}
	if (argc == 3 && strcmp(argv[1], "export") == 0) {
		return (audit_export(argv[2]));
	}
	return (fail_usage("%s", usage));
}

static int
cmd_policy(int argc, char **argv)
{
	struct table t = { 0 };
	json_t      *res, *e, *v;
	char         from[256], roles[256], req[256];
	size_t       i, j;
	int          rc;

	(void) argv;
	if (argc != 1) {
		return (fail_usage("usage: wagectl policy"));
	}
	if ((rc = call(WAGE_OP_POLICY_GET, NULL, &res)) != 0) {
		return (rc);
	}
	if (g.json) {
		print_json(res);
		json_decref(res);
		return (0);
	}
	printf("policy %s version %s (%.16s…)\n", js(res, "name"),
	    js(res, "version"), js(res, "hash"));
	t.ncols = 6;
	table_row(&t, "EVENT", "FROM", "TO", "ROLES", "REQUIRES", "BASIS");
	json_array_foreach (json_object_get(res, "events"), i, e) {
		from[0] = roles[0] = req[0] = '\0';
		json_array_foreach (json_object_get(e, "from"), j, v) {
			size_t o = strlen(from);
			snprintf(from + o, sizeof(from) - o, "%s%s",
			    j ? "," : "", json_string_value(v));
		}
		json_array_foreach (json_object_get(e, "roles"), j, v) {
			size_t o = strlen(roles);
			snprintf(roles + o, sizeof(roles) - o, "%s%s",
			    j ? "," : "", json_string_value(v));
		}
		json_array_foreach (json_object_get(e, "requires"), j, v) {
			size_t o = strlen(req);
			snprintf(req + o, sizeof(req) - o, "%s%s",
			    j ? "," : "", json_string_value(v));
		}
		table_row(&t, js(e, "name"), from, js(e, "to"), roles, req,
		    js(e, "basis"));
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
	print_json(res);
	json_decref(res);
	return (0);
}

/* ---- pki ----------------------------------------------------------- */

static int
cmd_pki(int argc, char **argv)
{
	static const struct option lo[] = { { "cn", 1, NULL, 'c' },
		{ "org", 1, NULL, 'o' }, { "role", 1, NULL, 'r' },
		{ "region", 1, NULL, 'g' }, { "out", 1, NULL, 'f' },
		{ "server", 0, NULL, 's' }, { "dns", 1, NULL, 'd' },
		{ "ip", 1, NULL, 'i' }, { "days", 1, NULL, 'y' },
		{ "name", 1, NULL, 'n' }, { NULL, 0, NULL, 0 } };
	struct pki_subject s = { NULL, NULL, NULL, NULL };
	struct wage_error  err;
	const char        *dns[16], *ips[16], *out = NULL, *name = NULL;
	const char        *sub, *dir;
	size_t             ndns = 0, nips = 0;
	int                ch, server = 0, days = 0, rc;
	char              *end;

	wage_err_clear(&err);
	if (argc < 3) {
		return (fail_usage(
		    "usage: wagectl pki init DIR [--name CA_NAME]\n"
		    "       wagectl pki issue DIR --cn NAME --org ORG --role "
		    "ROLE --region CODE --out BASE [--days N]\n"
		    "       wagectl pki issue DIR --server --cn HOST --org ORG "
		    "--region CODE --dns NAME --ip ADDR --out BASE\n"
		    "       wagectl pki revoke DIR CERT\n"
		    "       wagectl pki crl DIR [--days N]"));
	}
	sub = argv[1];
	dir = argv[2];
	/* Parse what follows DIR; DIR stands in as argv[0]. */
	argc -= 2;
	argv += 2;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'c':
			s.cn = optarg;
			break;
		case 'o':
			s.org = optarg;
			break;
		case 'r':
			s.role = optarg;
			break;
		case 'g':
			s.region = optarg;
			break;
		case 'f':
			out = optarg;
			break;
		case 's':
			server = 1;
			break;
		case 'd':
			if (ndns >= 16) {
				return (fail_usage("at most 16 --dns"));
			}
			dns[ndns++] = optarg;
			break;
		case 'i':
			if (nips >= 16) {
				return (fail_usage("at most 16 --ip"));
			}
			ips[nips++] = optarg;
			break;
		case 'y':
			days = (int) strtol(optarg, &end, 10);
			if (*end != '\0') {
				return (fail_usage("--days must be a number"));
			}
			break;
		case 'n':
			name = optarg;
			break;
		default:
			return (fail_usage("unknown pki option"));
		}
	}
	if (optind != argc - (strcmp(sub, "revoke") == 0 ? 1 : 0)) {
		return (fail_usage("unexpected arguments for pki %s", sub));
	}
	if (strcmp(sub, "init") == 0) {
		rc = pki_init(dir, name != NULL ? name : "wage-server CA", &err);
		if (rc == WAGE_OK) {
			printf("CA created in %s (ca.crt, ca.key, crl.pem)\n",
			    dir);
		}
	} else if (strcmp(sub, "issue") == 0) {
		if (out == NULL) {
			return (fail_usage("pki issue needs --out BASE"));
		}
		if (server && s.role == NULL) {
			s.role = PKI_SERVER_ROLE;
		}
		rc = pki_issue(dir, &s, server, dns, ndns, ips, nips,
		    days > 0 ? days : (server ? 825 : 365), out, &err);
		if (rc == WAGE_OK) {
			printf("issued %s.crt and %s.key\n", out, out);
		}
	} else if (strcmp(sub, "revoke") == 0) {
		rc = pki_revoke(dir, argv[optind], &err);
		if (rc == WAGE_OK) {
			printf("revoked %s; CRL rewritten: %s/crl.pem\n",
			    argv[optind], dir);
		}
	} else if (strcmp(sub, "crl") == 0) {
		rc = pki_write_crl(dir, days > 0 ? days : PKI_CRL_DAYS, &err);
		if (rc == WAGE_OK) {
			printf("CRL written: %s/crl.pem\n", dir);
		}
	} else {
		return (fail_usage("unknown pki command '%s'", sub));
	}
	return (report(rc, &err));
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
	{ "token", cmd_token, "print the session token (for nngcat)" },
	{ "file", cmd_file, "FILE.json: file a case (- reads stdin)" },
	{ "show", cmd_show, "ID: show a case" },
	{ "list", cmd_list,
	    "[--state S] [--region CODE] [--limit N] [--after C]: list cases" },
	{ "act", cmd_act,
	    "ID EVENT [--set k=v ...] [--note TEXT] [--revision N]: fire an "
	    "event" },
	{ "history", cmd_history, "ID: a case's audit events" },
	{ "audit", cmd_audit,
	    "verify | verify FILE --ca CA | export FILE: check the audit "
	    "chain on the server, or an export offline" },
	{ "policy", cmd_policy, "the workflow: events, states, roles" },
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
	    "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
	}
	fprintf(f, "\nexit: 0 ok, 1 refused by the server, 2 usage, "
	           "3 connection or TLS, 4 internal\n");
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = { { "server", 1, NULL, 's' },
		{ "ca", 1, NULL, 'a' }, { "cert", 1, NULL, 'c' },
		{ "key", 1, NULL, 'k' }, { "json", 0, NULL, 'j' },
		{ "timeout", 1, NULL, 't' }, { "server-name", 1, NULL, 'n' },
		{ "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 } };
	size_t i;
	int    ch, rc;

	g.server     = getenv("WAGE_SERVER");
	g.ca         = getenv("WAGE_CA");
	g.cert       = getenv("WAGE_CERT");
	g.key        = getenv("WAGE_KEY");
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
				fprintf(stderr, "wagectl: writing output: %s\n",
				    strerror(errno));
				return (WAGE_EXIT_INTERNAL);
			}
			return (rc);
		}
	}
	return (fail_usage("unknown command '%s'", argv[optind]));
}
