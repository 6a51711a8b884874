/* SPDX-License-Identifier: MIT */
/*
 * test_auditlog.c - unit tests of client/auditlog.c (offline verification
 * of an export with nothing but the CA) and of the signed checkpoints of
 * server/checkpoint.c, on a real store: nine events of three cases appended
 * with audit_append, checkpoints signed by checkpoint_maybe after seq 3
 * and 6 with the key of a server certificate issued by pki_issue, the
 * export written page by page with audit_export_page into a file.
 *
 * Export: the untouched file verifies; then one test per kind of tampering
 * (a changed byte, every single-bit flip of one event, a removed, inserted
 * or swapped event, a rehashed event, the chain rewritten consistently, a
 * checkpoint's signature, seq, head or place changed, the end line or the
 * tail cut, events appended, a case line changed, a certificate of another
 * CA or a client certificate, no header) must make it invalid with the
 * exact first_bad_seq. Store: the same kinds done to DB_AUDIT behind the
 * server's back, checked with audit_verify (with the signer) and
 * checkpoint_verify.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* mkdtemp, nftw, memmem, strndup */
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
#include "store.h"

#define NEVENTS 9
#define MAXLINES 64
#define C1 "WA2026-000001"
#define C2 "WA2026-000002"
#define C3 "WA2026-000003"
#define UNION_ORG "济南市历下区总工会工会驿站"
#define ARB_ORG "济南市劳动人事争议仲裁院"
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
	char          base[64];
	char          db[96];
	char          export[96];   /* as audit_export_page wrote it */
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

static int
rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void) sb;
	(void) type;
	(void) ftw;
	return (remove(path));
}

static void
seq_key(uint64_t seq, unsigned char key[8])
{
	int i;

	for (i = 7; i >= 0; i--) {
		key[i] = (unsigned char) (seq & 0xff);
		seq >>= 8;
	}
}

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
	snprintf(g.base, sizeof(g.base), "/tmp/test_auditlog.XXXXXX");
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
build(MDB_txn *txn, struct store_job *job)
{
	json_t  *old, *doc, *ev;
	uint64_t seq;
	int      i, rc;

	(void) job;
	for (i = 0; i < NEVENTS; i++) {
		old = NULL;
		rc  = store_case_get(txn, script[i].id, &old);
		if (rc == WAGE_E_NOT_FOUND) {
			doc = json_pack("{s:s, s:s, s:s, s:i}", "id",
			    script[i].id, "region", "370102", "state",
			    script[i].to, "revision", 1);
		} else {
			assert_int_equal(rc, WAGE_OK);
			doc = json_deep_copy(old);
			json_object_set_new(doc, "state",
			    json_string(script[i].to));
			json_object_set_new(doc, "revision",
			    json_integer(json_integer_value(
			        json_object_get(old, "revision")) + 1));
		}
		ev = make_event(&script[i],
		    json_integer_value(json_object_get(doc, "revision")));
		rc = audit_append(txn, ev, &seq);
		if (rc == WAGE_OK) {
			assert_int_equal(seq, (uint64_t) i + 1);
			rc = store_case_put(txn, doc, old);
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
	MDB_txn          *txn;
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
		assert_int_equal(audit_export_page(txn, g.signer, cursor, limit,
		                     &page, &err),
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
			cursor = strdup(json_string_value(
			    json_object_get(page, "next")));
		}
		json_decref(page);
		assert_true(++pages < 100);
	} while (cursor != NULL);
	assert_int_equal(fclose(f), 0);
}

static void
load_lines(struct fx *fx, const char *path)
{
	FILE   *f = fopen(path, "r");
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
	snprintf(fx->base, sizeof(fx->base), "/tmp/test_auditlog.XXXXXX");
	if (mkdtemp(fx->base) == NULL) {
		free(fx);
		return (-1);
	}
	snprintf(fx->db, sizeof(fx->db), "%s/db", fx->base);
	snprintf(fx->export, sizeof(fx->export), "%s/export.jsonl",
	    fx->base);
	snprintf(fx->tampered, sizeof(fx->tampered), "%s/tampered.jsonl",
	    fx->base);
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

/* line_set replaces line i by o (takes ownership of o). */
static void
line_set(struct fx *fx, size_t i, json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	assert_non_null(text);
	assert_true(i < fx->nlines);
	free(fx->lines[i]);
	assert_true(asprintf(&fx->lines[i], "%s\n", text) > 0);
	free(text);
	json_decref(o);
}

static void
line_del(struct fx *fx, size_t i)
{
	assert_true(i < fx->nlines);
	free(fx->lines[i]);
	memmove(&fx->lines[i], &fx->lines[i + 1],
	    (fx->nlines - i - 1) * sizeof(fx->lines[0]));
	fx->nlines--;
}

/* line_insert puts o (taken) before line i. */
static void
line_insert(struct fx *fx, size_t i, json_t *o)
{
	assert_true(fx->nlines < MAXLINES && i <= fx->nlines);
	memmove(&fx->lines[i + 1], &fx->lines[i],
	    (fx->nlines - i) * sizeof(fx->lines[0]));
	fx->lines[i] = strdup("{}\n");
	fx->nlines++;
	line_set(fx, i, o);
}

static void
line_swap(struct fx *fx, size_t i, size_t j)
{
	char *t = fx->lines[i];

	fx->lines[i] = fx->lines[j];
	fx->lines[j] = t;
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
		        json_integer_value(json_object_get(o, "seq")) == seq) &&
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

static void
rehash(json_t *ev)
{
	char hex[65];

	assert_int_equal(auditlog_event_hash(ev, hex), 0);
	json_object_set_new(ev, "hash", json_string(hex));
}

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

/*
 * relink_from recomputes, in file order, prev and hash of every event line
 * with seq >= from: the chain is consistent again from there on, as an
 * attacker with the file but without the server's key would make it.
 */
static void
relink_from(struct fx *fx, json_int_t from)
{
	char    prev[65];
	json_t *o;
	size_t  i;

	if (from == 1) {
		memcpy(prev, AUDIT_GENESIS, 65);
	} else {
		o = line_json(fx, EV(fx, from - 1));
		snprintf(prev, sizeof(prev), "%s", jstr(o, "hash"));
		json_decref(o);
	}
	for (i = EV(fx, from); i < fx->nlines; i++) {
		o = line_json(fx, i);
		if (strcmp(jstr(o, "type"), "event") != 0) {
			json_decref(o);
			continue;
		}
		json_object_set_new(o, "prev", json_string(prev));
		rehash(o);
		snprintf(prev, sizeof(prev), "%s", jstr(o, "hash"));
		line_set(fx, i, o);
	}
}

/* set_actor changes the actor's name of event seq (content only). */
static void
set_actor(struct fx *fx, json_int_t seq, const char *name)
{
	size_t  i = EV(fx, seq);
	json_t *o = line_json(fx, i);

	json_object_set_new(json_object_get(o, "actor"), "name",
	    json_string(name));
	line_set(fx, i, o);
}

/* edit_text replaces the first `from` in line i by `to` (same length). */
static void
edit_text(struct fx *fx, size_t i, const char *from, const char *to)
{
	char *at = strstr(fx->lines[i], from);

	assert_non_null(at);
	assert_int_equal(strlen(from), strlen(to));
	memcpy(at, to, strlen(to));
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
expect_bad_at(struct fx *fx, const char *ca, json_int_t seq,
    const char *what, int line)
{
	json_t     *r = verify_lines(fx, ca);
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

/* resign signs every checkpoint and the end head again with s, and puts
 * s's certificate in the header: a complete forgery under s's CA. */
static void
resign(struct fx *fx, struct checkpoint_signer *s)
{
	json_t *o, *cp, *h;
	size_t  i;

	for (i = 0; i < fx->nlines; i++) {
		o = line_json(fx, i);
		if (strcmp(jstr(o, "type"), "header") == 0) {
			json_object_set_new(o, "server_certificate",
			    json_string(checkpoint_signer_cert(s)));
		} else if (strcmp(jstr(o, "type"), "checkpoint") == 0) {
			cp = checkpoint_sign(s,
			    json_integer_value(json_object_get(o, "seq")),
			    jstr(o, "head"));
			assert_non_null(cp);
			json_object_set_new(cp, "type", json_string("checkpoint"));
			json_decref(o);
			o = cp;
		} else if (strcmp(jstr(o, "type"), "end") == 0) {
			h  = json_object_get(o, "head");
			cp = checkpoint_sign(s,
			    json_integer_value(json_object_get(h, "seq")),
			    jstr(h, "head"));
			assert_non_null(cp);
			json_object_set_new(o, "head", cp);
		}
		line_set(fx, i, o);
	}
}

/* ---- export tests ------------------------------------------------------ */

static void
test_auditlog_export_untouched_verifies(void **state)
{
	struct fx *fx = *state;
	json_t    *r  = verify_lines(fx, g.ca_crt), *o;
	const char *w;

	if (!json_is_true(json_object_get(r, "valid"))) {
		fail_report("untouched export", r);
	}
	assert_int_equal(json_integer_value(json_object_get(r, "events")),
	    NEVENTS);
	assert_int_equal(json_integer_value(json_object_get(r,
	                     "checkpoints")),
	    2);
	assert_int_equal(json_integer_value(json_object_get(r, "cases")), 3);
	assert_int_equal(json_integer_value(json_object_get(r,
	                     "last_checkpoint_seq")),
	    6);
	assert_null(json_object_get(r, "first_bad_seq"));
	/* The unsigned tail is named. */
	assert_int_equal(json_array_size(json_object_get(r, "warnings")), 1);
	w = json_string_value(json_array_get(json_object_get(r, "warnings"),
	    0));
	assert_non_null(strstr(w, "after seq 6"));
	json_decref(r);
	/* header, 9 events, 2 checkpoints (after 3 and 6), 3 cases, end */
	assert_int_equal(fx->nlines, 1 + NEVENTS + 2 + 3 + 1);
	assert_int_equal(CP(fx, 3), EV(fx, 3) + 1);
	assert_int_equal(CP(fx, 6), EV(fx, 6) + 1);
	o = line_json(fx, fx->nlines - 1);
	assert_string_equal(jstr(o, "type"), "end");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(o, "head"), "seq")),
	    NEVENTS);
	json_decref(o);
	/* One big page gives the same lines but for times and signatures. */
	free_lines(fx);
	export_store(fx, fx->export, 1000);
	load_lines(fx, fx->export);
	assert_int_equal(fx->nlines, 1 + NEVENTS + 2 + 3 + 1);
	r = verify_lines(fx, g.ca_crt);
	assert_true(json_is_true(json_object_get(r, "valid")));
	json_decref(r);
}

static void
test_auditlog_export_changed_to(void **state)
{
	struct fx *fx = *state;

	/* seq 5: C1 mediation -> arbitration; one letter of "to". */
	edit_text(fx, EV(fx, 5), "\"to\":\"arbitration\"",
	    "\"to\":\"arbitratiom\"");
	expect_bad(fx, 5, "hash does not match the event's content");
}

static void
test_auditlog_export_changed_actor_byte(void **state)
{
	struct fx *fx = *state;

	/* 李 is e6 9d 8e; e6 9d 8f (杏) is still valid UTF-8. */
	edit_text(fx, EV(fx, 5), "\xe6\x9d\x8e\xe6\x98\x8e",
	    "\xe6\x9d\x8f\xe6\x98\x8e");
	expect_bad(fx, 5, "hash does not match the event's content");
}

/*
 * Every single-bit flip of every byte of event 5's line, the newline
 * included, makes the export invalid at seq 5. The only exception is
 * the value of "type" (framing, not content): "evenu" is a line of an
 * unknown type, reported as not tied to an event (seq 0).
 */
static void
test_auditlog_export_every_bit_flip_of_an_event(void **state)
{
	struct fx  *fx = *state;
	size_t      i  = EV(fx, 5), k, len = strlen(fx->lines[i]);
	char       *orig = strdup(fx->lines[i]);
	const char *tv   = strstr(orig, "\"type\":\"event\"");
	size_t      t0, t1, flips = 0;
	json_t     *r;
	json_int_t  want, got;

	assert_non_null(tv);
	t0 = (size_t) (tv - orig) + strlen("\"type\":\"");
	t1 = t0 + strlen("event");
	for (k = 0; k < len; k++) {
		memcpy(fx->lines[i], orig, len + 1);
		fx->lines[i][k] = (char) (fx->lines[i][k] ^ 0x01);
		want = k >= t0 && k < t1 ? 0 : 5;
		r    = verify_lines(fx, g.ca_crt);
		got  = json_integer_value(json_object_get(r, "first_bad_seq"));
		if (json_is_true(json_object_get(r, "valid")) || got != want) {
			char ctx[128];

			snprintf(ctx, sizeof(ctx),
			    "flip of byte %zu (0x%02x) of event 5: want seq "
			    "%" JSON_INTEGER_FORMAT,
			    k, (unsigned char) orig[k], want);
			free(orig);
			fail_report(ctx, r);
		}
		json_decref(r);
		flips++;
	}
	assert_true(flips > 300);
	free(orig);
}

static void
test_auditlog_export_event_removed(void **state)
{
	struct fx *fx = *state;

	line_del(fx, EV(fx, 5));
	expect_bad(fx, 5, "event missing: the sequence jumps");
}

static void
test_auditlog_export_first_event_removed(void **state)
{
	struct fx *fx = *state;

	line_del(fx, EV(fx, 1));
	expect_bad(fx, 1, "event missing");
}

static void
test_auditlog_export_checkpointed_event_removed(void **state)
{
	struct fx *fx = *state;

	/* The checkpoint of seq 6 now follows event 5. */
	line_del(fx, EV(fx, 6));
	expect_bad(fx, 6, "events are missing before a checkpoint");
}

static void
test_auditlog_export_event_inserted(void **state)
{
	struct fx *fx = *state;
	json_t    *copy = line_json(fx, EV(fx, 2));

	/* A copy of event 2 as seq 6, hash recomputed, its prev kept. */
	json_object_set_new(copy, "seq", json_integer(6));
	rehash(copy);
	line_insert(fx, EV(fx, 5) + 1, copy);
	expect_bad(fx, 6, "previous-hash link does not match");
}

static void
test_auditlog_export_event_inserted_and_renumbered(void **state)
{
	struct fx *fx = *state;
	json_t    *copy = line_json(fx, EV(fx, 2)), *prev, *o;
	size_t     i;
	json_int_t s;

	/* The forger renumbers the events after it and rehashes each; only
	 * the link of the event after the insertion breaks. */
	for (s = NEVENTS; s >= 6; s--) {
		i = EV(fx, s);
		o = line_json(fx, i);
		json_object_set_new(o, "seq", json_integer(s + 1));
		rehash(o);
		line_set(fx, i, o);
	}
	prev = line_json(fx, EV(fx, 5));
	json_object_set_new(copy, "seq", json_integer(6));
	json_object_set_new(copy, "prev", json_string(jstr(prev, "hash")));
	rehash(copy);
	json_decref(prev);
	line_insert(fx, EV(fx, 5) + 1, copy);
	expect_bad(fx, 7, "previous-hash link does not match");
}

static void
test_auditlog_export_events_swapped(void **state)
{
	struct fx *fx = *state;

	line_swap(fx, EV(fx, 4), EV(fx, 5));
	expect_bad(fx, 4, "event missing: the sequence jumps");
}

static void
test_auditlog_export_events_swapped_and_renumbered(void **state)
{
	struct fx *fx = *state;
	size_t     i4 = EV(fx, 4), i5 = EV(fx, 5);
	json_t    *a = line_json(fx, i4), *b = line_json(fx, i5);

	/* Contents swapped, seqs kept in order, both rehashed. */
	json_object_set_new(a, "seq", json_integer(5));
	json_object_set_new(b, "seq", json_integer(4));
	rehash(a);
	rehash(b);
	line_set(fx, i4, b);
	line_set(fx, i5, a);
	expect_bad(fx, 4, "previous-hash link does not match");
}

static void
test_auditlog_export_event_rehashed(void **state)
{
	struct fx *fx = *state;
	size_t     i  = EV(fx, 5);
	json_t    *o  = line_json(fx, i);

	/* The event itself is consistent again; the next link breaks. */
	json_object_set_new(o, "to", json_string("closed_paid"));
	rehash(o);
	line_set(fx, i, o);
	expect_bad(fx, 6, "previous-hash link does not match");
}

static void
test_auditlog_export_chain_rewritten_from_5(void **state)
{
	struct fx *fx = *state;

	/* Every hash and link holds; only checkpoint 6 can tell. */
	set_actor(fx, 5, "张三");
	relink_from(fx, 5);
	expect_bad(fx, 6, "the chain differs from what the server signed");
}

static void
test_auditlog_export_chain_rewritten_from_1(void **state)
{
	struct fx *fx = *state;

	set_actor(fx, 1, "张三");
	relink_from(fx, 1);
	expect_bad(fx, 3, "the chain differs from what the server signed");
}

static void
test_auditlog_export_chain_rewritten_in_the_tail(void **state)
{
	struct fx *fx = *state;

	/* After the last checkpoint only the export-time head can tell. */
	set_actor(fx, 8, "张三");
	relink_from(fx, 8);
	expect_bad(fx, NEVENTS, "the chain differs from what the server "
	                        "signed");
}

static void
test_auditlog_export_chain_rewritten_checkpoints_dropped(void **state)
{
	struct fx *fx = *state;

	/* Dropping the checkpoints that no longer match does not help: the
	 * signed export-time head covers the whole chain. */
	set_actor(fx, 2, "张三");
	relink_from(fx, 2);
	line_del(fx, CP(fx, 6));
	line_del(fx, CP(fx, 3));
	expect_bad(fx, NEVENTS, "the chain differs from what the server "
	                        "signed");
}

static void
test_auditlog_export_checkpoint_signature_altered(void **state)
{
	struct fx  *fx = *state;
	size_t      i  = CP(fx, 3);
	json_t     *o  = line_json(fx, i);
	char       *sig = strdup(jstr(o, "sig"));

	/* One base64 character in the middle of the signature. */
	sig[20] = sig[20] == 'A' ? 'B' : 'A';
	json_object_set_new(o, "sig", json_string(sig));
	free(sig);
	line_set(fx, i, o);
	expect_bad(fx, 3, "signature does not verify");
}

static void
test_auditlog_export_checkpoint_head_altered(void **state)
{
	struct fx *fx = *state;
	size_t     i  = CP(fx, 3);
	json_t    *o  = line_json(fx, i), *ev;

	/* The head of a checkpoint made to match a rewritten event 3. */
	ev = line_json(fx, EV(fx, 3));
	json_object_set_new(ev, "to", json_string("closed_paid"));
	rehash(ev);
	json_object_set_new(o, "head", json_string(jstr(ev, "hash")));
	line_set(fx, EV(fx, 3), ev);
	line_set(fx, i, o);
	expect_bad(fx, 3, "signature does not verify");
}

static void
test_auditlog_export_checkpoint_seq_altered(void **state)
{
	struct fx *fx = *state;
	size_t     i  = CP(fx, 3);
	json_t    *o  = line_json(fx, i);

	/* Moved to cover event 4 instead: seq is signed. */
	json_object_set_new(o, "seq", json_integer(4));
	line_del(fx, i);
	line_insert(fx, EV(fx, 4) + 1, o);
	expect_bad(fx, 4, "signature does not verify");
}

static void
test_auditlog_export_checkpoint_moved(void **state)
{
	struct fx *fx = *state;
	char      *cp;
	size_t     i = CP(fx, 3);

	/* Checkpoint 3 now after event 4: out of place. */
	cp = fx->lines[i];
	memmove(&fx->lines[i], &fx->lines[i + 1], sizeof(char *));
	fx->lines[i + 1] = cp;
	expect_bad(fx, 4, "a checkpoint is out of place");
}

static void
test_auditlog_export_end_removed(void **state)
{
	struct fx *fx = *state;

	line_del(fx, fx->nlines - 1);
	expect_bad(fx, NEVENTS + 1,
	    "the log may have been cut after the last checkpoint (seq 6)");
}

static void
test_auditlog_export_tail_cut(void **state)
{
	struct fx *fx = *state;

	size_t     cut = EV(fx, 8);

	/* The file cut after event 7: events 8, 9, the cases, the end. */
	while (fx->nlines > cut) {
		line_del(fx, fx->nlines - 1);
	}
	expect_bad(fx, 8,
	    "the log may have been cut after the last checkpoint (seq 6)");
}

static void
test_auditlog_export_tail_cut_before_a_checkpoint(void **state)
{
	struct fx *fx = *state;

	size_t     cut = EV(fx, 5);

	while (fx->nlines > cut) {
		line_del(fx, fx->nlines - 1);
	}
	expect_bad(fx, 5,
	    "the log may have been cut after the last checkpoint (seq 3)");
}

static void
test_auditlog_export_tail_events_removed_end_kept(void **state)
{
	struct fx *fx = *state;

	line_del(fx, EV(fx, 9));
	line_del(fx, EV(fx, 8));
	expect_bad(fx, 8, "the log was cut: the signed export-time head is "
	                  "beyond the last event");
}

static void
test_auditlog_export_tail_and_case_removed_end_kept(void **state)
{
	struct fx *fx = *state;

	/* Case C3 lives only in the tail: remove every trace of it. */
	line_del(fx, find(fx, "case", 0, C3));
	line_del(fx, EV(fx, 9));
	line_del(fx, EV(fx, 8));
	expect_bad(fx, 8, "the log was cut");
}

static void
test_auditlog_export_event_appended(void **state)
{
	struct fx *fx = *state;
	json_t    *o  = line_json(fx, EV(fx, NEVENTS)), *prev;

	/* A well-linked event 10 after the signed head. */
	prev = json_string(jstr(o, "hash"));
	json_object_set_new(o, "seq", json_integer(NEVENTS + 1));
	json_object_set_new(o, "prev", prev);
	rehash(o);
	line_insert(fx, EV(fx, NEVENTS) + 1, o);
	expect_bad(fx, NEVENTS + 1, "events were added after the signed "
	                            "export-time head");
}

static void
test_auditlog_export_case_line_changed(void **state)
{
	struct fx *fx = *state;
	size_t     i  = find(fx, "case", 0, C1);
	json_t    *o  = line_json(fx, i);

	assert_string_equal(jstr(o, "state"), "arbitration");
	json_object_set_new(o, "state", json_string("closed_paid"));
	line_set(fx, i, o);
	expect_bad(fx, 0, "case " C1 ": its state or revision differs");
}

static void
test_auditlog_export_case_revision_changed(void **state)
{
	struct fx *fx = *state;
	size_t     i  = find(fx, "case", 0, C2);
	json_t    *o  = line_json(fx, i);

	assert_int_equal(json_integer_value(json_object_get(o, "revision")),
	    4);
	json_object_set_new(o, "revision", json_integer(3));
	line_set(fx, i, o);
	expect_bad(fx, 0, "case " C2 ": its state or revision differs");
}

static void
test_auditlog_export_case_line_removed(void **state)
{
	struct fx *fx = *state;

	line_del(fx, find(fx, "case", 0, C2));
	expect_bad(fx, 0, "case " C2 " has events but no case line");
}

static void
test_auditlog_export_other_ca(void **state)
{
	struct fx *fx = *state;
	json_t    *r;

	/* Signed through and through by a server of another CA. */
	resign(fx, g.foreign);
	r = verify_lines(fx, g.other_crt);
	assert_true(json_is_true(json_object_get(r, "valid")));
	json_decref(r);
	expect_bad(fx, 0, "not issued by this CA as a server certificate");
}

static void
test_auditlog_export_other_ca_certificate_only(void **state)
{
	struct fx *fx = *state;
	size_t     i  = find(fx, "header", 0, NULL);
	json_t    *o  = line_json(fx, i);

	json_object_set_new(o, "server_certificate",
	    json_string(checkpoint_signer_cert(g.foreign)));
	line_set(fx, i, o);
	expect_bad(fx, 0, "not issued by this CA as a server certificate");
}

static void
test_auditlog_export_client_certificate(void **state)
{
	struct fx *fx = *state;

	/* Our CA, but a clerk's certificate: not a server's. */
	resign(fx, g.clerk);
	expect_bad(fx, 0, "not issued by this CA as a server certificate");
}

static void
test_auditlog_export_header_removed(void **state)
{
	struct fx *fx = *state;

	line_del(fx, 0);
	expect_bad(fx, 0, "the first line must be the header");
}

static void
test_auditlog_export_line_after_end(void **state)
{
	struct fx *fx = *state;

	line_insert(fx, fx->nlines, line_json(fx, EV(fx, 1)));
	expect_bad(fx, NEVENTS + 1, "lines after the end line");
}

/* ---- the live store ---------------------------------------------------- */

static void
tamper(struct fx *fx, store_apply_fn fn, uint64_t a, uint64_t b,
    const char *str)
{
	struct tjob t;

	memset(&t, 0, sizeof(t));
	t.fx  = fx;
	t.a   = a;
	t.b   = b;
	t.str = str;
	assert_int_equal(store_write_now(fx->s, fn, &t.job), WAGE_OK);
}

static json_t *
store_verify(struct fx *fx, struct checkpoint_signer *s)
{
	MDB_txn *txn;
	json_t  *r;

	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	assert_int_equal(audit_verify(txn, s, &r), WAGE_OK);
	store_read_end(txn);
	assert_non_null(r);
	return (r);
}

/* expect_store_bad: audit_verify with the signer says invalid at seq, the
 * problem holds what (and names the seq when name_seq). */
static void
expect_store_bad_at(struct fx *fx, json_int_t seq, const char *what,
    int name_seq, int line)
{
	json_t     *r = store_verify(fx, g.signer);
	const char *problem = jstr(r, "problem");
	char        num[32];

	snprintf(num, sizeof(num), "seq %" JSON_INTEGER_FORMAT, seq);
	if (json_is_true(json_object_get(r, "valid")) ||
	    json_integer_value(json_object_get(r, "first_bad_seq")) != seq ||
	    problem == NULL || strstr(problem, what) == NULL ||
	    (name_seq && strstr(problem, num) == NULL)) {
		char ctx[256];

		snprintf(ctx, sizeof(ctx),
		    "line %d: want audit_verify invalid at seq "
		    "%" JSON_INTEGER_FORMAT " with \"%s\"%s",
		    line, seq, what, name_seq ? ", named in the problem" : "");
		fail_report(ctx, r);
	}
	json_decref(r);
}

#define expect_store_bad(fx, seq, what, name_seq) \
	expect_store_bad_at((fx), (seq), (what), (name_seq), __LINE__)

static void
cp_verify(struct fx *fx, json_int_t *bad, json_int_t *count,
    json_int_t *last, char *problem, size_t len)
{
	MDB_txn *txn;

	problem[0] = '\0';
	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	assert_int_equal(checkpoint_verify(txn, g.signer, bad, problem, len,
	                     count, last),
	    WAGE_OK);
	store_read_end(txn);
}

static char *
get_raw(MDB_txn *txn, uint64_t seq)
{
	unsigned char key[8];
	MDB_val       v;

	seq_key(seq, key);
	assert_int_equal(store_get(txn, DB_AUDIT, key, 8, &v), WAGE_OK);
	return (strndup(v.mv_data, v.mv_size));
}

static int
put_event(MDB_txn *txn, uint64_t seq, const json_t *ev)
{
	unsigned char key[8];
	char         *text = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	int           rc;

	assert_non_null(text);
	seq_key(seq, key);
	rc = store_put(txn, DB_AUDIT, key, 8, text, strlen(text));
	free(text);
	return (rc);
}

/* t_edit: in event a, replace the first str "old=new" (same length). */
static int
t_edit(MDB_txn *txn, struct store_job *job)
{
	struct tjob  *t = (struct tjob *) (void *) job;
	const char   *eq = strchr(t->str, '=');
	size_t        n  = (size_t) (eq - t->str);
	unsigned char key[8];
	char         *text = get_raw(txn, t->a), *at;
	int           rc;

	at = memmem(text, strlen(text), t->str, n);
	assert_non_null(at);
	assert_int_equal(strlen(eq + 1), n);
	memcpy(at, eq + 1, n);
	seq_key(t->a, key);
	rc = store_put(txn, DB_AUDIT, key, 8, text, strlen(text));
	free(text);
	return (rc);
}

static int
t_del(MDB_txn *txn, struct store_job *job)
{
	struct tjob  *t = (struct tjob *) (void *) job;
	unsigned char key[8];

	seq_key(t->a, key);
	return (store_del(txn, DB_AUDIT, key, 8));
}

static int
t_swap(MDB_txn *txn, struct store_job *job)
{
	struct tjob  *t = (struct tjob *) (void *) job;
	unsigned char ka[8], kb[8];
	char         *a = get_raw(txn, t->a), *b = get_raw(txn, t->b);
	int           rc;

	seq_key(t->a, ka);
	seq_key(t->b, kb);
	rc = store_put(txn, DB_AUDIT, ka, 8, b, strlen(b));
	if (rc == WAGE_OK) {
		rc = store_put(txn, DB_AUDIT, kb, 8, a, strlen(a));
	}
	free(a);
	free(b);
	return (rc);
}

/* t_cp_sig changes one base64 character of checkpoint a's signature. */
static int
t_cp_sig(MDB_txn *txn, struct store_job *job)
{
	struct tjob  *t = (struct tjob *) (void *) job;
	unsigned char key[8];
	MDB_val       v;
	json_t       *cp;
	char         *sig, *text;
	int           rc;

	checkpoint_key((json_int_t) t->a, key);
	assert_int_equal(store_get(txn, DB_CHECKPOINTS, key, 8, &v), WAGE_OK);
	cp = json_loadb(v.mv_data, v.mv_size, 0, NULL);
	assert_non_null(cp);
	sig     = strdup(jstr(cp, "sig"));
	sig[20] = sig[20] == 'A' ? 'B' : 'A';
	json_object_set_new(cp, "sig", json_string(sig));
	free(sig);
	text = json_dumps(cp, JSON_COMPACT | JSON_SORT_KEYS);
	rc   = store_put(txn, DB_CHECKPOINTS, key, 8, text, strlen(text));
	free(text);
	json_decref(cp);
	return (rc);
}

/* t_cp_forge replaces checkpoint a by one of the chain as it is now,
 * signed by the other CA's server key. */
static int
t_cp_forge(MDB_txn *txn, struct store_job *job)
{
	struct tjob  *t = (struct tjob *) (void *) job;
	unsigned char key[8];
	char         *raw = get_raw(txn, t->a), *text;
	json_t       *ev  = json_loads(raw, 0, NULL), *cp;
	int           rc;

	cp = checkpoint_sign(g.foreign, (json_int_t) t->a, jstr(ev, "hash"));
	assert_non_null(cp);
	text = json_dumps(cp, JSON_COMPACT | JSON_SORT_KEYS);
	checkpoint_key((json_int_t) t->a, key);
	rc = store_put(txn, DB_CHECKPOINTS, key, 8, text, strlen(text));
	free(text);
	free(raw);
	json_decref(cp);
	json_decref(ev);
	return (rc);
}

static int
t_del_checkpoint(MDB_txn *txn, struct store_job *job)
{
	struct tjob  *t = (struct tjob *) (void *) job;
	unsigned char key[8];

	checkpoint_key((json_int_t) t->a, key);
	return (store_del(txn, DB_CHECKPOINTS, key, 8));
}

/* t_head sets the head record to event a's seq and hash. */
static int
t_head(MDB_txn *txn, struct store_job *job)
{
	struct tjob *t = (struct tjob *) (void *) job;
	char        *text = get_raw(txn, t->a), head[96];
	json_t      *ev = json_loads(text, 0, NULL);
	int          n;

	assert_non_null(ev);
	n = snprintf(head, sizeof(head), "%" PRIu64 " %s", t->a,
	    jstr(ev, "hash"));
	json_decref(ev);
	free(text);
	return (store_meta_put(txn, "audit_head", head, (size_t) n));
}

/*
 * t_rewrite changes the actor's name of event a to str, then recomputes
 * prev and hash of every event from a to the head, and the head record:
 * a consistent chain, as someone with the database but not the key
 * would leave it.
 */
static int
t_rewrite(MDB_txn *txn, struct store_job *job)
{
	struct tjob *t = (struct tjob *) (void *) job;
	char         prev[65], head[96], *text;
	uint64_t     seq, hseq;
	json_t      *ev;
	int          rc, n;

	assert_int_equal(audit_head(txn, &hseq, prev), WAGE_OK);
	if (t->a == 1) {
		memcpy(prev, AUDIT_GENESIS, 65);
	} else {
		text = get_raw(txn, t->a - 1);
		ev   = json_loads(text, 0, NULL);
		snprintf(prev, sizeof(prev), "%s", jstr(ev, "hash"));
		json_decref(ev);
		free(text);
	}
	for (seq = t->a; seq <= hseq; seq++) {
		text = get_raw(txn, seq);
		ev   = json_loads(text, 0, NULL);
		free(text);
		assert_non_null(ev);
		if (seq == t->a) {
			json_object_set_new(json_object_get(ev, "actor"),
			    "name", json_string(t->str));
		}
		json_object_set_new(ev, "prev", json_string(prev));
		assert_int_equal(audit_hash(ev, prev), WAGE_OK);
		json_object_set_new(ev, "hash", json_string(prev));
		rc = put_event(txn, seq, ev);
		json_decref(ev);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	n = snprintf(head, sizeof(head), "%" PRIu64 " %s", hseq, prev);
	return (store_meta_put(txn, "audit_head", head, (size_t) n));
}

static int
t_del_case_audit(MDB_txn *txn, struct store_job *job)
{
	struct tjob *t = (struct tjob *) (void *) job;
	char         k[96];
	int          n;

	n = snprintf(k, sizeof(k), "%s\x1f%016" PRIx64, t->str, t->a);
	return (store_del(txn, DB_CASE_AUDIT, k, (size_t) n));
}

/*
 * t_cut cuts the log after seq a: later events deleted, the head record
 * rewound. With b != 0 the cut is clean: the case-history index entries
 * of the cut events go too, and every case is put back to its state and
 * revision as of seq a (deleted, with its index entries, when it had no
 * event yet), so that everything in the database agrees.
 */
static int
t_cut(MDB_txn *txn, struct store_job *job)
{
	struct tjob *t = (struct tjob *) (void *) job;
	char         k[128];
	json_t      *doc, *old;
	uint64_t     seq;
	int          i, n, rc, c, rev;
	const char  *ids[] = { C1, C2, C3 }, *state;

	for (seq = t->a + 1; seq <= NEVENTS; seq++) {
		seq_key(seq, (unsigned char *) k);
		if ((rc = store_del(txn, DB_AUDIT, k, 8)) != WAGE_OK) {
			return (rc);
		}
		if (t->b) {
			n = snprintf(k, sizeof(k), "%s\x1f%016" PRIx64,
			    script[seq - 1].id, seq);
			if ((rc = store_del(txn, DB_CASE_AUDIT, k,
			         (size_t) n)) != WAGE_OK) {
				return (rc);
			}
		}
	}
	if ((rc = t_head(txn, job)) != WAGE_OK || !t->b) {
		return (rc);
	}
	for (c = 0; c < 3; c++) {
		state = NULL;
		rev   = 0;
		for (i = 0; i < (int) t->a; i++) {
			if (strcmp(script[i].id, ids[c]) == 0) {
				state = script[i].to;
				rev++;
			}
		}
		assert_int_equal(store_case_get(txn, ids[c], &old), WAGE_OK);
		if (state == NULL) {
			/* Filed in the cut tail: no trace may remain. */
			n = snprintf(k, sizeof(k), "370102\x1f%s", ids[c]);
			rc = store_del(txn, DB_BY_REGION, k, (size_t) n);
			n = snprintf(k, sizeof(k), "%s\x1f" "370102\x1f%s",
			    jstr(old, "state"), ids[c]);
			if (rc == WAGE_OK) {
				rc = store_del(txn, DB_BY_STATE, k, (size_t) n);
			}
			if (rc == WAGE_OK) {
				rc = store_del(txn, DB_CASES, ids[c],
				    strlen(ids[c]));
			}
		} else {
			doc = json_deep_copy(old);
			json_object_set_new(doc, "state", json_string(state));
			json_object_set_new(doc, "revision", json_integer(rev));
			rc = store_case_put(txn, doc, old);
			json_decref(doc);
		}
		json_decref(old);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	return (WAGE_OK);
}

static void
test_auditlog_store_untouched_verifies(void **state)
{
	struct fx *fx = *state;
	json_t    *r  = store_verify(fx, g.signer);
	json_int_t bad, count, last;
	char       problem[200];

	if (!json_is_true(json_object_get(r, "valid"))) {
		fail_report("untouched store", r);
	}
	assert_int_equal(json_integer_value(json_object_get(r, "events")),
	    NEVENTS);
	assert_int_equal(json_integer_value(json_object_get(r,
	                     "checkpoints")),
	    2);
	assert_int_equal(json_integer_value(json_object_get(r,
	                     "last_checkpoint_seq")),
	    6);
	assert_int_equal(json_integer_value(json_object_get(r,
	                     "unsigned_tail")),
	    3);
	json_decref(r);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 0);
	assert_int_equal(count, 2);
	assert_int_equal(last, 6);
}

static void
test_auditlog_store_changed_event(void **state)
{
	struct fx *fx = *state;

	tamper(fx, t_edit, 5, 0, "\"to\":\"arbitration\"="
	                         "\"to\":\"arbitratiom\"");
	expect_store_bad(fx, 5, "hash does not match the event's content", 0);
}

static void
test_auditlog_store_changed_checkpointed_event(void **state)
{
	struct fx *fx = *state;

	tamper(fx, t_edit, 6, 0, "李明=张伟");
	expect_store_bad(fx, 6, "hash does not match the event's content", 0);
}

static void
test_auditlog_store_removed_event(void **state)
{
	struct fx *fx = *state;

	tamper(fx, t_del, 5, 0, NULL);
	expect_store_bad(fx, 5, "event missing from the chain", 0);
}

static void
test_auditlog_store_removed_checkpointed_event(void **state)
{
	struct fx *fx = *state;
	json_int_t bad, count, last;
	char       problem[200];

	tamper(fx, t_del, 6, 0, NULL);
	expect_store_bad(fx, 6, "event missing from the chain", 0);
	/* checkpoint_verify on its own also sees it, and names the seq. */
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 6);
	assert_non_null(strstr(problem, "checkpoint at seq 6"));
	assert_non_null(strstr(problem, "missing"));
}

static void
test_auditlog_store_removed_last_event(void **state)
{
	struct fx *fx = *state;

	tamper(fx, t_del, NEVENTS, 0, NULL);
	expect_store_bad(fx, NEVENTS, "chain head record (seq 9) does not "
	                              "match the last event (seq 8)", 1);
}

static void
test_auditlog_store_swapped_events(void **state)
{
	struct fx *fx = *state;

	/* The values of seq 4 and 5 exchanged under their keys. */
	tamper(fx, t_swap, 4, 5, NULL);
	expect_store_bad(fx, 4, "sequence number was altered", 0);
}

static void
test_auditlog_store_chain_rewritten(void **state)
{
	struct fx *fx = *state;
	json_t    *r;
	json_int_t bad, count, last;
	char       problem[200];

	tamper(fx, t_rewrite, 5, 0, "张三");
	/* Without the key nothing but the checkpoints can tell. */
	r = store_verify(fx, NULL);
	assert_true(json_is_true(json_object_get(r, "valid")));
	json_decref(r);
	expect_store_bad(fx, 6, "checkpoint at seq 6: the chain differs from "
	                        "what the server signed", 1);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 6);
	assert_non_null(strstr(problem, "seq 6"));
}

static void
test_auditlog_store_chain_rewritten_from_1(void **state)
{
	struct fx *fx = *state;

	tamper(fx, t_rewrite, 1, 0, "张三");
	expect_store_bad(fx, 3, "checkpoint at seq 3: the chain differs", 1);
}

/*
 * Limits, asserted so that a change of them is seen: in the database
 * alone, a rewrite of the unsigned tail, or a rewrite with the checkpoints
 * after it deleted, cannot be told from the truth (the key is not needed
 * to delete). What catches them is a signed head kept outside: the end
 * line of an export taken before.
 */
static void
test_auditlog_store_rewrite_of_the_unsigned_tail(void **state)
{
	struct fx *fx = *state;
	json_t    *r, *o;
	size_t     i;

	tamper(fx, t_rewrite, 7, 0, "张三");
	r = store_verify(fx, g.signer);
	assert_true(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(json_integer_value(json_object_get(r,
	                     "unsigned_tail")),
	    3);
	json_decref(r);
	/* The export taken before holds seq 9's true hash, signed. */
	i = find(fx, "end", 0, NULL);
	o = line_json(fx, i);
	r = store_verify(fx, NULL);
	assert_string_not_equal(jstr(r, "head"),
	    jstr(json_object_get(o, "head"), "head"));
	json_decref(r);
	json_decref(o);
}

static void
test_auditlog_store_rewrite_with_checkpoints_deleted(void **state)
{
	struct fx *fx = *state;
	json_t    *r, *cp;
	MDB_txn   *txn;
	char      *text;

	tamper(fx, t_rewrite, 5, 0, "张三");
	tamper(fx, t_del_checkpoint, 6, 0, NULL);
	r = store_verify(fx, g.signer);
	assert_true(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(json_integer_value(json_object_get(r,
	                     "last_checkpoint_seq")),
	    3);
	json_decref(r);
	/* Checkpoint 6 as exported before no longer matches event 6. */
	cp = line_json(fx, CP(fx, 6));
	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	text = get_raw(txn, 6);
	store_read_end(txn);
	assert_null(strstr(text, jstr(cp, "head")));
	free(text);
	json_decref(cp);
}

static void
test_auditlog_store_tail_cut(void **state)
{
	struct fx *fx = *state;

	/* Head rewound to 7, events 8 and 9 deleted, nothing else. The
	 * case-history index still names 8 and 9: the first missing seq is
	 * known and must be named. */
	tamper(fx, t_cut, 7, 0, NULL);
	expect_store_bad(fx, 8, "", 0);
}

static void
test_auditlog_store_tail_cut_past_a_checkpoint(void **state)
{
	struct fx *fx = *state;

	/* A clean cut after 5 (cases rolled back, indexes too): checkpoint
	 * 6 names an event that is gone. */
	tamper(fx, t_cut, 5, 1, NULL);
	expect_store_bad(fx, 6, "checkpoint at seq 6: that event is missing "
	                        "(the log was cut)", 1);
}

static void
test_auditlog_store_clean_cut_of_the_unsigned_tail(void **state)
{
	struct fx *fx = *state;
	json_t    *r;

	/* A clean cut after 7: only the size of the unsigned tail (one
	 * event after the last checkpoint) remains to be seen. */
	tamper(fx, t_cut, 7, 1, NULL);
	r = store_verify(fx, g.signer);
	assert_true(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(json_integer_value(json_object_get(r, "events")), 7);
	assert_int_equal(json_integer_value(json_object_get(r,
	                     "last_checkpoint_seq")),
	    6);
	assert_int_equal(json_integer_value(json_object_get(r,
	                     "unsigned_tail")),
	    1);
	json_decref(r);
}

static void
test_auditlog_store_case_history_entry_removed(void **state)
{
	struct fx *fx = *state;
	MDB_txn   *txn;
	json_t    *events;

	/* Event 5 taken out of C1's history index: case.history no longer
	 * shows it. The index must be checked against the chain. */
	tamper(fx, t_del_case_audit, 5, 0, C1);
	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	assert_int_equal(audit_case_events(txn, C1, &events), WAGE_OK);
	store_read_end(txn);
	assert_int_equal(json_array_size(events), 2);
	json_decref(events);
	/* An export of this database does not verify: its case line for
	 * C1 is counted from the index (state as of event 3, revision 2). */
	free_lines(fx);
	export_store(fx, fx->export, 1000);
	load_lines(fx, fx->export);
	expect_bad(fx, 0, "case " C1 ": its state or revision differs");
	/* audit_verify itself must see it, at seq 5. */
	expect_store_bad(fx, 5, "", 0);
}

static void
test_auditlog_store_checkpoint_signature_altered(void **state)
{
	struct fx *fx = *state;
	json_int_t bad, count, last;
	char       problem[200];

	tamper(fx, t_cp_sig, 3, 0, NULL);
	expect_store_bad(fx, 3, "checkpoint at seq 3: the signature does not "
	                        "verify", 1);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 3);
}

static void
test_auditlog_store_checkpoint_of_another_key(void **state)
{
	struct fx *fx = *state;

	/* A checkpoint of the rewritten chain signed by another server's
	 * key (same seq, head matching) does not pass either. */
	tamper(fx, t_rewrite, 5, 0, "张三");
	tamper(fx, t_cp_forge, 6, 0, NULL);
	expect_store_bad(fx, 6, "checkpoint at seq 6: the signature does not "
	                        "verify", 1);
}

static int
t_maybe(MDB_txn *txn, struct store_job *job)
{
	struct tjob *t = (struct tjob *) (void *) job;

	return (checkpoint_maybe(txn, g.signer, (int) t->a));
}

static void
test_auditlog_checkpoint_maybe(void **state)
{
	struct fx *fx = *state;
	json_int_t bad, count, last;
	char       problem[200];

	/* Neither 1000000 events nor seconds since the last: nothing. */
	tamper(fx, t_maybe, 0, 0, NULL);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(count, 2);
	/* Forced: a checkpoint of the head; forced again: nothing new. */
	tamper(fx, t_maybe, 1, 0, NULL);
	tamper(fx, t_maybe, 1, 0, NULL);
	cp_verify(fx, &bad, &count, &last, problem, sizeof(problem));
	assert_int_equal(bad, 0);
	assert_int_equal(count, 3);
	assert_int_equal(last, NEVENTS);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_auditlog_export_untouched_verifies),
		T(test_auditlog_export_changed_to),
		T(test_auditlog_export_changed_actor_byte),
		T(test_auditlog_export_every_bit_flip_of_an_event),
		T(test_auditlog_export_event_removed),
		T(test_auditlog_export_first_event_removed),
		T(test_auditlog_export_checkpointed_event_removed),
		T(test_auditlog_export_event_inserted),
		T(test_auditlog_export_event_inserted_and_renumbered),
		T(test_auditlog_export_events_swapped),
		T(test_auditlog_export_events_swapped_and_renumbered),
		T(test_auditlog_export_event_rehashed),
		T(test_auditlog_export_chain_rewritten_from_5),
		T(test_auditlog_export_chain_rewritten_from_1),
		T(test_auditlog_export_chain_rewritten_in_the_tail),
		T(test_auditlog_export_chain_rewritten_checkpoints_dropped),
		T(test_auditlog_export_checkpoint_signature_altered),
		T(test_auditlog_export_checkpoint_head_altered),
		T(test_auditlog_export_checkpoint_seq_altered),
		T(test_auditlog_export_checkpoint_moved),
		T(test_auditlog_export_end_removed),
		T(test_auditlog_export_tail_cut),
		T(test_auditlog_export_tail_cut_before_a_checkpoint),
		T(test_auditlog_export_tail_events_removed_end_kept),
		T(test_auditlog_export_tail_and_case_removed_end_kept),
		T(test_auditlog_export_event_appended),
		T(test_auditlog_export_case_line_changed),
		T(test_auditlog_export_case_revision_changed),
		T(test_auditlog_export_case_line_removed),
		T(test_auditlog_export_other_ca),
		T(test_auditlog_export_other_ca_certificate_only),
		T(test_auditlog_export_client_certificate),
		T(test_auditlog_export_header_removed),
		T(test_auditlog_export_line_after_end),
		T(test_auditlog_checkpoint_maybe),
		T(test_auditlog_store_untouched_verifies),
		T(test_auditlog_store_changed_event),
		T(test_auditlog_store_changed_checkpointed_event),
		T(test_auditlog_store_removed_event),
		T(test_auditlog_store_removed_checkpointed_event),
		T(test_auditlog_store_removed_last_event),
		T(test_auditlog_store_swapped_events),
		T(test_auditlog_store_chain_rewritten),
		T(test_auditlog_store_chain_rewritten_from_1),
		T(test_auditlog_store_rewrite_of_the_unsigned_tail),
		T(test_auditlog_store_rewrite_with_checkpoints_deleted),
		T(test_auditlog_store_tail_cut),
		T(test_auditlog_store_tail_cut_past_a_checkpoint),
		T(test_auditlog_store_clean_cut_of_the_unsigned_tail),
		T(test_auditlog_store_case_history_entry_removed),
		T(test_auditlog_store_checkpoint_signature_altered),
		T(test_auditlog_store_checkpoint_of_another_key),
	};

	return (cmocka_run_group_tests_name("auditlog", tests, group_setup,
	    group_teardown));
}
