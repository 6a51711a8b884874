/* SPDX-License-Identifier: MIT */
/*
 * support_caserec.c - the fixture of the caserec tests: a store per test,
 * write txns, raw records, what is stored (support_caserec.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "support_caserec.h"
#include "support_store.h"

#define SEP   CASEREC_SEP
#define ID1   TSUPPORT_REC_ID1
#define FILER TSUPPORT_REC_FILER

/* ---- a store per test ----------------------------------------------- */

int
tsupport_rec_setup(void **state)
{
	struct tsupport_recfx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL) {
		return (-1);
	}
	if (tsupport_store_open("test_caserec", 16u << 20, fx->base,
	        sizeof(fx->base), &fx->s) != 0) {
		free(fx);
		return (-1);
	}
	*state = fx;
	return (0);
}

int
tsupport_rec_teardown(void **state)
{
	struct tsupport_recfx *fx = *state;

	tsupport_store_close(fx->s, fx->base);
	free(fx);
	return (0);
}

/* ---- transactions --------------------------------------------------- */

struct txn_job {
	struct store_job job;
	tsupport_rec_fn  fn;
	void            *arg;
};

static int
txn_apply(struct store_txn *txn, struct store_job *job)
{
	struct txn_job *j = (struct txn_job *) (void *) job;

	return (j->fn(txn, j->arg));
}

int
tsupport_rec_write(struct tsupport_recfx *fx, tsupport_rec_fn fn, void *arg)
{
	struct txn_job j;

	memset(&j, 0, sizeof(j));
	j.fn  = fn;
	j.arg = arg;
	return (store_write_now(fx->s, txn_apply, &j.job));
}

struct store_txn *
tsupport_rec_read(struct tsupport_recfx *fx)
{
	struct store_txn *txn;

	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	return (txn);
}

/* ---- raw records and saved cases -------------------------------------- */

int
tsupport_raw_apply(struct store_txn *txn, void *arg)
{
	struct tsupport_raw *r = arg;

	if (r->del) {
		return (store_del(txn, r->db, r->key, strlen(r->key)));
	}
	return (store_put(txn, r->db, r->key, strlen(r->key), r->val, r->len));
}

void
tsupport_put_raw(struct tsupport_recfx *fx, enum store_db db, const char *key,
    const void *val, size_t len)
{
	struct tsupport_raw r = { db, key, val, len, 0 };

	assert_int_equal(
	    tsupport_rec_write(fx, tsupport_raw_apply, &r), WAGE_OK);
}

void
tsupport_put_text(struct tsupport_recfx *fx, enum store_db db, const char *key,
    const char *text)
{
	tsupport_put_raw(fx, db, key, text, strlen(text));
}

struct save_arg {
	const json_t *doc, *old;
};

static int
save_apply(struct store_txn *txn, void *arg)
{
	struct save_arg *s = arg;

	return (caserec_save(txn, s->doc, s->old));
}

void
tsupport_rec_save(
    struct tsupport_recfx *fx, const json_t *doc, const json_t *old)
{
	struct save_arg s = { doc, old };

	assert_int_equal(tsupport_rec_write(fx, save_apply, &s), WAGE_OK);
}

/* ---- what is stored ------------------------------------------------- */

const char *const tsupport_dbnames[DB__COUNT] = { "cases", "steps",
	"by_region", "by_state", "by_org", "by_credit", "case_audit", "audit",
	"checkpoints", "policies", "meta" };

/* text of n bytes at p, SEP shown as '|' (new string) */
static char *
printable(const void *p, size_t n)
{
	char  *s = malloc(n + 1);
	size_t i;

	assert_non_null(s);
	memcpy(s, p, n);
	s[n] = '\0';
	for (i = 0; i < n; i++) {
		if (s[i] == SEP[0]) {
			s[i] = '|';
		}
	}
	return (s);
}

static int
dump_cb(void *arg, const MDB_val *k, const MDB_val *v)
{
	char *key = printable(k->mv_data, k->mv_size);

	json_object_set_new(
	    arg, key, json_stringn((const char *) v->mv_data, v->mv_size));
	free(key);
	return (0);
}

json_t *
tsupport_rec_indexes(struct tsupport_recfx *fx)
{
	static const enum store_db idx[] = { DB_BY_REGION, DB_BY_STATE,
		DB_BY_ORG, DB_BY_CREDIT };
	struct store_txn          *txn   = tsupport_rec_read(fx);
	json_t                    *all   = json_object(), *one;
	size_t                     i;

	for (i = 0; i < 4; i++) {
		one = json_object();
		assert_int_equal(
		    store_scan(txn, idx[i], NULL, 0, NULL, dump_cb, one),
		    WAGE_OK);
		json_object_set_new(all, tsupport_dbnames[idx[i]], one);
	}
	store_read_end(txn);
	return (all);
}

void
tsupport_want_equal(const json_t *got, const json_t *want, const char *what)
{
	char *g, *w;

	if (json_equal(got, want)) {
		return;
	}
	g = json_dumps(got, JSON_SORT_KEYS | JSON_INDENT(1));
	w = json_dumps(want, JSON_SORT_KEYS | JSON_INDENT(1));
	fail_msg("%s:\ngot  %s\nwant %s", what, g, w);
}

void
tsupport_want_entries(struct tsupport_recfx *fx, const json_t *const *docs,
    const char *const *keys)
{
	json_t       *want, *got, *sum;
	const json_t *doc;
	char         *text, db[16];
	const char   *colon, *id;
	size_t        i, k;

	want = json_pack("{s:{}, s:{}, s:{}, s:{}}", "by_region", "by_state",
	    "by_org", "by_credit");
	for (i = 0; keys[i] != NULL; i++) {
		assert_non_null(colon = strchr(keys[i], ':'));
		assert_non_null(id = strrchr(keys[i], '|'));
		snprintf(
		    db, sizeof(db), "%.*s", (int) (colon - keys[i]), keys[i]);
		for (k = 0, doc = NULL; docs[k] != NULL; k++) {
			if (strcmp(json_string_value(
			               json_object_get(docs[k], "id")),
			        id + 1) == 0) {
				doc = docs[k];
			}
		}
		assert_non_null(doc);
		sum  = caserec_summary(doc);
		text = json_dumps(sum, JSON_COMPACT);
		assert_non_null(text);
		assert_null(json_object_get(sum, "id"));
		json_object_set_new(json_object_get(want, db), colon + 1,
		    json_string(strcmp(db, "by_credit") == 0 ? "" : text));
		json_decref(sum);
		free(text);
	}
	got = tsupport_rec_indexes(fx);
	tsupport_want_equal(got, want, "index entries");
	json_decref(got);
	json_decref(want);
}

/* A record as a line of hex: key, a space, value. */
static int
hex_cb(void *arg, const MDB_val *k, const MDB_val *v)
{
	FILE                *f = arg;
	const unsigned char *p;
	size_t               i;

	for (p = k->mv_data, i = 0; i < k->mv_size; i++) {
		fprintf(f, "%02x", p[i]);
	}
	fputc(' ', f);
	for (p = v->mv_data, i = 0; i < v->mv_size; i++) {
		fprintf(f, "%02x", p[i]);
	}
	fputc('\n', f);
	return (0);
}

char *
tsupport_rec_snapshot(struct tsupport_recfx *fx)
{
	struct store_txn *txn = tsupport_rec_read(fx);
	char             *buf = NULL;
	size_t            len = 0;
	FILE             *f   = open_memstream(&buf, &len);
	int               db;

	assert_non_null(f);
	for (db = 0; db < DB__COUNT; db++) {
		fprintf(f, "[%s]\n", tsupport_dbnames[db]);
		assert_int_equal(store_scan(txn, (enum store_db) db, NULL, 0,
		                     NULL, hex_cb, f),
		    WAGE_OK);
	}
	store_read_end(txn);
	assert_int_equal(fclose(f), 0);
	return (buf);
}

json_t *
tsupport_rec_get(struct tsupport_recfx *fx, const char *id, int steps)
{
	struct store_txn *txn = tsupport_rec_read(fx);
	json_t           *doc = NULL;

	assert_int_equal(caserec_get(txn, id, steps, &doc), WAGE_OK);
	store_read_end(txn);
	assert_non_null(doc);
	return (doc);
}

void
tsupport_want_check(struct tsupport_recfx *fx, int bad, const char *problem)
{
	struct store_txn *txn      = tsupport_rec_read(fx);
	char              why[256] = "";
	int               b        = -1;

	assert_int_equal(caserec_check(txn, &b, why, sizeof(why)), WAGE_OK);
	store_read_end(txn);
	if (b != bad || (problem != NULL && strstr(why, problem) == NULL)) {
		fail_msg("caserec_check: bad %d (%s), want %d (%s)", b, why,
		    bad, problem != NULL ? problem : "-");
	}
}

/* ---- documents ------------------------------------------------------ */

json_t *
tsupport_case_doc(json_int_t rev, const char *state, const char *region,
    const char *rep, const char *credit)
{
	json_t *d = json_pack("{s:s, s:I, s:s, s:s, s:s, s:{s:s, s:s}, "
	                      "s:[{s:s}, {s:s}], s:{s:s, s:s}, s:{s:I}}",
	    "id", ID1, "revision", rev, "state", state, "region", region,
	    "received", "2026-10-09", "filed_by", "name", "张伟", "org", FILER,
	    "claimants", "name", "李建国", "name", "王芳", "respondent",
	    "name", "济南某建筑劳务有限公司", "credit_code", credit, "claim",
	    "total_fen", (json_int_t) 1860000);

	assert_non_null(d);
	if (rep != NULL) {
		json_object_set_new(d, "representative",
		    json_pack(
		        "{s:s, s:s}", "kind", "union", "organisation", rep));
	}
	return (d);
}

size_t
tsupport_hand_head(char *buf, size_t len, uint64_t rev, const char *json)
{
	size_t n = strlen(json);
	int    i;

	assert_true(CASEREC_HDR + n <= len);
	memcpy(buf, "WCH\x02", 4);
	for (i = 0; i < 8; i++) {
		buf[4 + i] = (char) (rev >> (56 - 8 * i));
	}
	memcpy(buf + CASEREC_HDR, json, n);
	return (CASEREC_HDR + n);
}
