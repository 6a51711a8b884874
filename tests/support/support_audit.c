/* SPDX-License-Identifier: MIT */
/*
 * support_audit.c - the fixture of the audit chain tests
 * (support_audit.h).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strndup, getline */
#endif

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
#include "caserec.h"

#include "support_audit.h"
#include "support_json.h"
#include "support_store.h"
#include "support_tmp.h"

#define UNION_ORG "济南市历下区总工会工会驿站"
#define ARB_ORG   "济南市劳动人事争议仲裁院"
#define POLICY_HASH \
	"5f2b1c0e9d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c"

#define C1 TSUPPORT_C1
#define C2 TSUPPORT_C2
#define C3 TSUPPORT_C3

/*
 * Checkpoints are signed after seq 3 and seq 6; seq 7..9 are the
 * unsigned tail. Case C3 lives only in the tail, so the tail can be cut
 * cleanly.
 */
const struct tsupport_step tsupport_script[TSUPPORT_NEVENTS] = {
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

struct tsupport_audit_group tsupport_audit_g;

/* ---- PKI ------------------------------------------------------------ */

static int
issue(const char *ca, const char *out, const char *cn, const char *role,
    int is_server)
{
	struct pki_subject s = { cn, "wage-server test", role, "370100" };

	return (tsupport_issue(ca, &s, is_server, 30, out));
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

int
tsupport_audit_group_setup(void **state)
{
	char p[3][128];

	(void) state;
	if (tsupport_tmpdir(tsupport_audit_g.base,
	        sizeof(tsupport_audit_g.base), "support_audit") != 0) {
		return (-1);
	}
	snprintf(p[0], sizeof(p[0]), "%s/server", tsupport_audit_g.base);
	snprintf(p[1], sizeof(p[1]), "%s/foreign", tsupport_audit_g.base);
	snprintf(p[2], sizeof(p[2]), "%s/clerk", tsupport_audit_g.base);
	if (tsupport_ca_init(&tsupport_audit_g.ca, tsupport_audit_g.base, "ca",
	        "Test CA") != WAGE_OK ||
	    tsupport_ca_init(&tsupport_audit_g.other, tsupport_audit_g.base,
	        "other", "Other CA") != WAGE_OK ||
	    issue(tsupport_audit_g.ca.dir, p[0], "localhost", NULL, 1) !=
	        WAGE_OK ||
	    issue(tsupport_audit_g.other.dir, p[1], "localhost", NULL, 1) !=
	        WAGE_OK ||
	    issue(tsupport_audit_g.ca.dir, p[2], "王芳", "clerk", 0) !=
	        WAGE_OK ||
	    load_signer(&tsupport_audit_g.signer, p[0]) != WAGE_OK ||
	    load_signer(&tsupport_audit_g.foreign, p[1]) != WAGE_OK ||
	    load_signer(&tsupport_audit_g.clerk, p[2]) != WAGE_OK) {
		return (-1);
	}
	return (0);
}

int
tsupport_audit_group_teardown(void **state)
{
	(void) state;
	checkpoint_signer_free(tsupport_audit_g.signer);
	checkpoint_signer_free(tsupport_audit_g.foreign);
	checkpoint_signer_free(tsupport_audit_g.clerk);
	tsupport_rmtree(tsupport_audit_g.base);
	return (0);
}

/* ---- the store and its export ----------------------------------------- */

static json_t *
make_event(const struct tsupport_step *st, json_int_t revision)
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

/* build appends tsupport_script, with the cases and the checkpoints. */
static int
build(struct store_txn *txn, struct store_job *job)
{
	const struct tsupport_step *script = tsupport_script;
	json_t                     *old, *doc, *ev;
	uint64_t                    seq;
	int                         i, rc;

	(void) job;
	for (i = 0; i < TSUPPORT_NEVENTS; i++) {
		doc =
		    tsupport_case_next(txn, script[i].id, script[i].to, &old);
		ev = make_event(&script[i],
		    json_integer_value(json_object_get(doc, "revision")));
		rc = audit_append(txn, ev, &seq);
		if (rc == WAGE_OK) {
			assert_int_equal(seq, (uint64_t) i + 1);
			rc = caserec_save(txn, doc, old);
		}
		if (rc == WAGE_OK && script[i].checkpoint) {
			rc = checkpoint_maybe(txn, tsupport_audit_g.signer, 1);
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

void
tsupport_export_store(
    struct tsupport_auditfx *fx, const char *path, size_t limit)
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
		assert_int_equal(
		    audit_export_page(txn, tsupport_audit_g.signer, cursor,
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
			cursor = strdup(tsupport_jstr(page, "next"));
		}
		json_decref(page);
		assert_true(++pages < 100);
	} while (cursor != NULL);
	assert_int_equal(fclose(f), 0);
}

void
tsupport_load_lines(struct tsupport_auditfx *fx, const char *path)
{
	FILE   *f    = fopen(path, "r");
	char   *line = NULL;
	size_t  cap  = 0;
	ssize_t n;

	assert_non_null(f);
	while ((n = getline(&line, &cap, f)) > 0) {
		assert_true(fx->nlines < TSUPPORT_MAXLINES);
		fx->lines[fx->nlines++] = strndup(line, (size_t) n);
	}
	free(line);
	fclose(f);
}

void
tsupport_free_lines(struct tsupport_auditfx *fx)
{
	size_t i;

	for (i = 0; i < fx->nlines; i++) {
		free(fx->lines[i]);
	}
	fx->nlines = 0;
}

int
tsupport_audit_setup(void **state)
{
	struct tsupport_auditfx *fx = calloc(1, sizeof(*fx));
	struct tsupport_job      t;

	if (fx == NULL) {
		return (-1);
	}
	if (tsupport_store_open("support_audit", 16u << 20, fx->base,
	        sizeof(fx->base), &fx->s) != 0) {
		free(fx);
		return (-1);
	}
	snprintf(fx->export, sizeof(fx->export), "%s/export.jsonl", fx->base);
	snprintf(
	    fx->tampered, sizeof(fx->tampered), "%s/tampered.jsonl", fx->base);
	memset(&t, 0, sizeof(t));
	if (store_write_now(fx->s, build, &t.job) != WAGE_OK) {
		return (-1);
	}
	/* Pages of 5 lines: the export is cut into several requests. */
	tsupport_export_store(fx, fx->export, 5);
	tsupport_load_lines(fx, fx->export);
	*state = fx;
	return (0);
}

int
tsupport_audit_teardown(void **state)
{
	struct tsupport_auditfx *fx = *state;

	tsupport_free_lines(fx);
	tsupport_store_close(fx->s, fx->base);
	free(fx);
	return (0);
}

/* ---- export lines ------------------------------------------------------ */

json_t *
tsupport_line_json(struct tsupport_auditfx *fx, size_t i)
{
	json_t *o;

	assert_true(i < fx->nlines);
	o = json_loads(fx->lines[i], 0, NULL);
	assert_non_null(o);
	return (o);
}

size_t
tsupport_find_line(struct tsupport_auditfx *fx, const char *type,
    json_int_t seq, const char *id)
{
	size_t  i;
	json_t *o;
	int     hit;

	for (i = 0; i < fx->nlines; i++) {
		o   = tsupport_line_json(fx, i);
		hit = strcmp(tsupport_jstr(o, "type"), type) == 0 &&
		    (seq == 0 || tsupport_jnum(o, "seq") == seq) &&
		    (id == NULL || strcmp(tsupport_jstr(o, "id"), id) == 0);
		json_decref(o);
		if (hit) {
			return (i);
		}
	}
	fail_msg("no %s line (seq %" JSON_INTEGER_FORMAT ")", type, seq);
	return (0);
}

void
tsupport_fail_report(const char *ctx, json_t *r)
{
	char  buf[2048];
	char *s = json_dumps(r, JSON_SORT_KEYS);

	snprintf(buf, sizeof(buf), "%s; report %s", ctx, s ? s : "(none)");
	free(s);
	json_decref(r);
	fail_msg("%s", buf);
}

json_t *
tsupport_verify_lines(struct tsupport_auditfx *fx, const char *ca)
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

void
tsupport_expect_bad_at(struct tsupport_auditfx *fx, const char *ca,
    json_int_t seq, const char *what, int line)
{
	json_t     *r       = tsupport_verify_lines(fx, ca);
	const char *problem = tsupport_jstr(r, "problem");

	if (json_is_true(json_object_get(r, "valid")) ||
	    !json_is_integer(json_object_get(r, "first_bad_seq")) ||
	    tsupport_jnum(r, "first_bad_seq") != seq || problem == NULL ||
	    strstr(problem, what) == NULL) {
		char ctx[256];

		snprintf(ctx, sizeof(ctx),
		    "line %d: want invalid at seq %" JSON_INTEGER_FORMAT
		    " with \"%s\"",
		    line, seq, what);
		tsupport_fail_report(ctx, r);
	}
	json_decref(r);
}

/* ---- raw events --------------------------------------------------------- */

json_t *
tsupport_case_next(
    struct store_txn *txn, const char *id, const char *to, json_t **oldp)
{
	json_t *doc;
	int     rc;

	*oldp = NULL;
	rc    = caserec_get(txn, id, 1, oldp);
	if (rc == WAGE_E_NOT_FOUND) {
		doc = json_pack("{s:s, s:s, s:s, s:i}", "id", id, "region",
		    "370102", "state", to, "revision", 1);
	} else {
		assert_int_equal(rc, WAGE_OK);
		doc = json_deep_copy(*oldp);
		json_object_set_new(doc, "state", json_string(to));
		json_object_set_new(doc, "revision",
		    json_integer(tsupport_jnum(*oldp, "revision") + 1));
	}
	assert_non_null(doc);
	return (doc);
}

void
tsupport_seq_key(uint64_t seq, unsigned char key[8])
{
	int i;

	for (i = 7; i >= 0; i--) {
		key[i] = (unsigned char) (seq & 0xff);
		seq >>= 8;
	}
}

int
tsupport_swap_events(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_job *t = (struct tsupport_job *) (void *) job;
	unsigned char        ka[8], kb[8];
	MDB_val              va, vb;
	char                *a, *b;
	int                  rc;

	tsupport_seq_key(t->a, ka);
	tsupport_seq_key(t->b, kb);
	assert_int_equal(store_get(txn, DB_AUDIT, ka, 8, &va), WAGE_OK);
	a = strndup(va.mv_data, va.mv_size);
	assert_int_equal(store_get(txn, DB_AUDIT, kb, 8, &vb), WAGE_OK);
	b  = strndup(vb.mv_data, vb.mv_size);
	rc = store_put(txn, DB_AUDIT, ka, 8, b, strlen(b));
	if (rc == WAGE_OK) {
		rc = store_put(txn, DB_AUDIT, kb, 8, a, strlen(a));
	}
	free(a);
	free(b);
	return (rc);
}
