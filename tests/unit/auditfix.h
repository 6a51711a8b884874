/* SPDX-License-Identifier: MIT */
/*
 * auditfix.h - the fixture shared by test_auditlog.c (the offline
 * verification of an export, client/auditlog.c) and test_audit_tamper.c
 * (tampering with the live store, audit_verify and checkpoint_verify).
 * Owns: the group PKI (our CA, another CA, a server signer of each and a
 * clerk's client certificate), the history every test starts from (nine
 * events of three cases, checkpoints signed after seq 3 and 6), a store
 * built from it in a mkdtemp directory with its export read into
 * fx->lines, and the helpers both files use to look at lines and reports.
 * Everything here is static: include it from the test_*.c files only
 * (the Makefile builds each into its own binary), and keep in it only
 * what both use, since an unused static function fails the -Werror build.
 */
#ifndef WAGE_AUDITFIX_H
#define WAGE_AUDITFIX_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp, nftw, strndup, getline */
#endif

#include <sys/stat.h>

#include <ftw.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "auditlog.h"
#include "checkpoint.h"
#include "pki.h"
#include "caserec.h"
#include "store.h"

#include "rmtree.h" /* rm_entry */

#define NEVENTS   9
#define MAXLINES  64
#define C1        "WA2026-000001"
#define C2        "WA2026-000002"
#define C3        "WA2026-000003"
#define UNION_ORG "济南市历下区总工会工会驿站"
#define ARB_ORG   "济南市劳动人事争议仲裁院"
#define POLICY_HASH \
	"5f2b1c0e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"

/*
 * The history every test starts from. Checkpoints are signed after seq 3
 * and seq 6; seq 7..9 are the unsigned tail. Case C3 lives only in the
 * tail, so the tail can be cut cleanly.
 */
static const struct step {
	const char *id, *event, *from, *to, *name, *role, *org;
	int         checkpoint;
} script[NEVENTS] = {
	{ C1, "file", NULL, "intake", "陈静", "union", UNION_ORG, 0 },
	{ C2, "file", NULL, "intake", "陈静", "union", UNION_ORG, 0 },
	{ C1, "accept", "intake", "mediation", "王芳", "clerk", ARB_ORG, 1 },
	{ C2, "accept", "intake", "mediation", "王芳", "clerk", ARB_ORG, 0 },
	{ C1, "mediation_failed", "mediation", "arbitration", "李明",
	    "mediator", ARB_ORG, 0 },
	{ C2, "mediation_agreement", "mediation", "mediated", "李明",
	    "mediator", ARB_ORG, 1 },
	{ C2, "confirm_paid", "mediated", "closed_paid", "王芳", "clerk",
	    ARB_ORG, 0 },
	{ C3, "file", NULL, "intake", "陈静", "union", UNION_ORG, 0 },
	{ C3, "refuse", "intake", "closed_refused", "王芳", "clerk", ARB_ORG,
	    0 },
};

/* One PKI for the group: our CA, another CA, and three signers. */
static struct {
	char                      base[64];
	char                      ca[96], ca_crt[128];
	char                      other[96], other_crt[128];
	struct checkpoint_signer *signer;  /* server cert of our CA */
	struct checkpoint_signer *foreign; /* server cert of the other CA */
	struct checkpoint_signer *clerk;   /* client cert of our CA */
} g;

struct fx {
	char base[64];
	char db[96];
	char export[96];            /* as audit_export_page wrote it */
	char          tampered[96]; /* lines[] written out */
	struct store *s;
	char         *lines[MAXLINES];
	size_t        nlines;
};

/* A write done in one txn by a test-supplied function. */
struct tjob {
	struct store_job job;
	struct fx       *fx;
	uint64_t         a, b;
	const char      *str;
};

/* ---- PKI ------------------------------------------------------------ */

static int
issue(const char *ca, const char *out, const char *cn, const char *role,
    int is_server)
{
	struct pki_subject s     = { cn, "wage-server test", role, "370100" };
	const char        *dns[] = { "localhost" };
	const char        *ips[] = { "127.0.0.1" };
	struct wage_error  err;

	return (pki_issue(ca, &s, is_server, is_server ? dns : NULL,
	    is_server ? 1 : 0, is_server ? ips : NULL, is_server ? 1 : 0, 30,
	    out, &err));
}

static int
load_signer(struct checkpoint_signer **sp, const char *base)
{
	struct wage_error err;
	char              key[160], crt[160];

	snprintf(key, sizeof(key), "%s.key", base);
	snprintf(crt, sizeof(crt), "%s.crt", base);
	/* Checkpoints are forced by the tests; no interval fires. */
	return (checkpoint_signer_load(sp, key, crt, 1000000, 1000000, &err));
}

static int
group_setup(void **state)
{
	struct wage_error err;
	char              p[3][128];

	(void) state;
	snprintf(g.base, sizeof(g.base), "/tmp/auditfix.XXXXXX");
	if (mkdtemp(g.base) == NULL) {
		return (-1);
	}
	snprintf(g.ca, sizeof(g.ca), "%s/ca", g.base);
	snprintf(g.ca_crt, sizeof(g.ca_crt), "%s/ca.crt", g.ca);
	snprintf(g.other, sizeof(g.other), "%s/other", g.base);
	snprintf(g.other_crt, sizeof(g.other_crt), "%s/ca.crt", g.other);
	snprintf(p[0], sizeof(p[0]), "%s/server", g.base);
	snprintf(p[1], sizeof(p[1]), "%s/foreign", g.base);
	snprintf(p[2], sizeof(p[2]), "%s/clerk", g.base);
	if (pki_init(g.ca, "Test CA", &err) != WAGE_OK ||
	    pki_init(g.other, "Other CA", &err) != WAGE_OK ||
	    issue(g.ca, p[0], "localhost", NULL, 1) != WAGE_OK ||
	    issue(g.other, p[1], "localhost", NULL, 1) != WAGE_OK ||
	    issue(g.ca, p[2], "王芳", "clerk", 0) != WAGE_OK ||
	    load_signer(&g.signer, p[0]) != WAGE_OK ||
	    load_signer(&g.foreign, p[1]) != WAGE_OK ||
	    load_signer(&g.clerk, p[2]) != WAGE_OK) {
		return (-1);
	}
	return (0);
}

static int
group_teardown(void **state)
{
	(void) state;
	checkpoint_signer_free(g.signer);
	checkpoint_signer_free(g.foreign);
	checkpoint_signer_free(g.clerk);
	nftw(g.base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return (0);
}

/* ---- the store and its export ----------------------------------------- */

static json_t *
make_event(const struct step *st, json_int_t revision)
{
	char    req[65];
	json_t *args, *ev;

	args = json_pack("{s:s, s:s}", "id", st->id, "event", st->event);
	assert_non_null(args);
	assert_int_equal(audit_digest(args, req), WAGE_OK);
	json_decref(args);
	ev = json_pack("{s:s, s:s, s:s, s:s?, s:s, s:I, s:s, s:s,"
	               " s:{s:s, s:s, s:s, s:s, s:s}, s:{s:s}}",
	    "op", strcmp(st->event, "file") == 0 ? "case.file" : "case.act",
	    "case", st->id, "event", st->event, "from", st->from, "to", st->to,
	    "revision", revision, "policy", POLICY_HASH, "request", req,
	    "actor", "name", st->name, "org", st->org, "role", st->role,
	    "region", "370100", "cert_serial", "0a1b", "on_behalf_of",
	    "office", st->org);
	assert_non_null(ev);
	if (st->from == NULL) {
		json_object_set_new(ev, "from", json_null());
	}
	return (ev);
}

static int
build(struct store_txn *txn, struct store_job *job)
{
	json_t  *old, *doc, *ev;
	uint64_t seq;
	int      i, rc;

	(void) job;
	for (i = 0; i < NEVENTS; i++) {
		old = NULL;
		rc  = caserec_get(txn, script[i].id, 1, &old);
		if (rc == WAGE_E_NOT_FOUND) {
			doc = json_pack("{s:s, s:s, s:s, s:i}", "id",
			    script[i].id, "region", "370102", "state",
			    script[i].to, "revision", 1);
		} else {
			assert_int_equal(rc, WAGE_OK);
			doc = json_deep_copy(old);
			json_object_set_new(
			    doc, "state", json_string(script[i].to));
			json_object_set_new(doc, "revision",
			    json_integer(json_integer_value(json_object_get(
			                     old, "revision")) +
			        1));
		}
		ev = make_event(&script[i],
		    json_integer_value(json_object_get(doc, "revision")));
		rc = audit_append(txn, ev, &seq);
		if (rc == WAGE_OK) {
			assert_int_equal(seq, (uint64_t) i + 1);
			rc = caserec_save(txn, doc, old);
		}
		if (rc == WAGE_OK && script[i].checkpoint) {
			rc = checkpoint_maybe(txn, g.signer, 1);
		}
		json_decref(ev);
		json_decref(doc);
		json_decref(old);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	return (WAGE_OK);
}

/* export_store writes the export of fx's store, page by page, to path. */
static void
export_store(struct fx *fx, const char *path, size_t limit)
{
	struct wage_error err;
	struct store_txn *txn;
	json_t           *page, *l;
	char             *cursor = NULL, *text;
	FILE             *f;
	size_t            i;
	int               pages = 0;

	f = fopen(path, "w");
	assert_non_null(f);
	do {
		/* One read txn per page, as the server does per request. */
		assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
		assert_int_equal(audit_export_page(txn, g.signer, cursor,
		                     limit, &page, &err),
		    WAGE_OK);
		store_read_end(txn);
		free(cursor);
		cursor = NULL;
		json_array_foreach (json_object_get(page, "lines"), i, l) {
			text = json_dumps(l, JSON_COMPACT | JSON_SORT_KEYS);
			assert_non_null(text);
			fprintf(f, "%s\n", text);
			free(text);
		}
		if (json_is_string(json_object_get(page, "next"))) {
			cursor = strdup(
			    json_string_value(json_object_get(page, "next")));
		}
		json_decref(page);
		assert_true(++pages < 100);
	} while (cursor != NULL);
	assert_int_equal(fclose(f), 0);
}

static void
load_lines(struct fx *fx, const char *path)
{
	FILE   *f    = fopen(path, "r");
	char   *line = NULL;
	size_t  cap  = 0;
	ssize_t n;

	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		assert_true(fx->nlines < MAXLINES);
		fx->lines[fx->nlines++] = strndup(line, (size_t) n);
	}
	free(line);
	fclose(f);
}

static void
free_lines(struct fx *fx)
{
	size_t i;

	for (i = 0; i < fx->nlines; i++) {
		free(fx->lines[i]);
	}
	fx->nlines = 0;
}

static int
setup(void **state)
{
	struct fx        *fx = calloc(1, sizeof(*fx));
	struct wage_error err;
	struct tjob       t;

	if (fx == NULL) {
		return (-1);
	}
	snprintf(fx->base, sizeof(fx->base), "/tmp/auditfix.XXXXXX");
	if (mkdtemp(fx->base) == NULL) {
		free(fx);
		return (-1);
	}
	snprintf(fx->db, sizeof(fx->db), "%s/db", fx->base);
	snprintf(fx->export, sizeof(fx->export), "%s/export.jsonl", fx->base);
	snprintf(
	    fx->tampered, sizeof(fx->tampered), "%s/tampered.jsonl", fx->base);
	if (store_open(&fx->s, fx->db, 16u << 20, 16, &err) != WAGE_OK) {
		return (-1);
	}
	memset(&t, 0, sizeof(t));
	t.fx = fx;
	if (store_write_now(fx->s, build, &t.job) != WAGE_OK) {
		return (-1);
	}
	/* Pages of 5 lines: the export is cut into several requests. */
	export_store(fx, fx->export, 5);
	load_lines(fx, fx->export);
	*state = fx;
	return (0);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	free_lines(fx);
	store_close(fx->s);
	nftw(fx->base, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return (0);
}

/* ---- export lines ------------------------------------------------------ */

static json_t *
line_json(struct fx *fx, size_t i)
{
	json_t *o;

	assert_true(i < fx->nlines);
	o = json_loads(fx->lines[i], 0, NULL);
	assert_non_null(o);
	return (o);
}

/* find returns the index of the line of type (and seq for events and
 * checkpoints, id for cases). */
static size_t
find(struct fx *fx, const char *type, json_int_t seq, const char *id)
{
	size_t  i;
	json_t *o;
	int     hit;

	for (i = 0; i < fx->nlines; i++) {
		o   = line_json(fx, i);
		hit = strcmp(json_string_value(json_object_get(o, "type")),
		          type) == 0 &&
		    (seq == 0 ||
		        json_integer_value(json_object_get(o, "seq")) ==
		            seq) &&
		    (id == NULL ||
		        strcmp(json_string_value(json_object_get(o, "id")),
		            id) == 0);
		json_decref(o);
		if (hit) {
			return (i);
		}
	}
	fail_msg("no %s line (seq %" JSON_INTEGER_FORMAT ")", type, seq);
	return (0);
}

#define EV(fx, seq) find((fx), "event", (seq), NULL)
#define CP(fx, seq) find((fx), "checkpoint", (seq), NULL)

static const char *
jstr(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

/* fail_report fails the test with ctx and the report r, freeing r first
 * (a failing assertion leaves by longjmp). */
static void
fail_report(const char *ctx, json_t *r)
{
	char  buf[2048];
	char *s = json_dumps(r, JSON_SORT_KEYS);

	snprintf(buf, sizeof(buf), "%s; report %s", ctx, s ? s : "(none)");
	free(s);
	json_decref(r);
	fail_msg("%s", buf);
}

/* verify_lines writes lines[] out and verifies it against ca. */
static json_t *
verify_lines(struct fx *fx, const char *ca)
{
	FILE   *f = fopen(fx->tampered, "w");
	json_t *rep;
	size_t  i;

	assert_non_null(f);
	for (i = 0; i < fx->nlines; i++) {
		assert_true(fputs(fx->lines[i], f) >= 0);
	}
	assert_int_equal(fclose(f), 0);
	f = fopen(fx->tampered, "r");
	assert_non_null(f);
	assert_int_equal(auditlog_verify_export(f, ca, &rep), 0);
	fclose(f);
	assert_non_null(rep);
	return (rep);
}

static void
expect_bad_at(
    struct fx *fx, const char *ca, json_int_t seq, const char *what, int line)
{
	json_t     *r       = verify_lines(fx, ca);
	const char *problem = jstr(r, "problem");

	if (json_is_true(json_object_get(r, "valid")) ||
	    !json_is_integer(json_object_get(r, "first_bad_seq")) ||
	    json_integer_value(json_object_get(r, "first_bad_seq")) != seq ||
	    problem == NULL || strstr(problem, what) == NULL) {
		char ctx[256];

		snprintf(ctx, sizeof(ctx),
		    "line %d: want invalid at seq %" JSON_INTEGER_FORMAT
		    " with \"%s\"",
		    line, seq, what);
		fail_report(ctx, r);
	}
	json_decref(r);
}

#define expect_bad(fx, seq, what) \
	expect_bad_at((fx), g.ca_crt, (seq), (what), __LINE__)

#endif /* WAGE_AUDITFIX_H */
