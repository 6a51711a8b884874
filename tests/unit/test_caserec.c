/* SPDX-License-Identifier: MIT */
/*
 * test_caserec.c - unit tests of server/caserec.c on a real LMDB
 * environment in a mkdtemp directory: the head's encoding (header,
 * revision, JSON without id, revision and steps) and its decoding back,
 * caserec_head_revision on good and bad values, the index entries
 * caserec_put adds, moves and removes as a case changes (and the same
 * records when it is applied twice in one txn), the step records and their
 * join (seq order by key, "[]" for none, no neighbour's steps),
 * caserec_check on a sound database and on each kind of damage, and the
 * conversion of hand-written format-1 documents (caserec_format,
 * caserec_migrate: what it writes, what it refuses without changing
 * anything, and running it again).
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "caserec.h"
#include "store.h"

#include "support_store.h"

#define SEP    CASEREC_SEP
#define ID1    "WA2026-000001"
#define ID2    "WA2026-000002"
#define ID10   "WA2026-0000010" /* ID1 is a prefix of it */
#define NOCASE "WA2026-999999"
#define FILER  "济南市劳动人事争议仲裁院"
#define CC1    "91370100MA3C5XY80A"
#define CC2    "91370100MA3C5XY81B"

struct fx {
	char          base[64]; /* the store in base/db */
	struct store *s;
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

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

static int
teardown(void **state)
{
	struct fx *fx = *state;

	tsupport_store_close(fx->s, fx->base);
	free(fx);
	return (0);
}

/* ---- transactions --------------------------------------------------- */

typedef int (*txn_fn)(struct store_txn *txn, void *arg);

struct txn_job {
	struct store_job job;
	txn_fn           fn;
	void            *arg;
};

static int
txn_apply(struct store_txn *txn, struct store_job *job)
{
	struct txn_job *j = (struct txn_job *) (void *) job;

	return (j->fn(txn, j->arg));
}

/* in_write runs fn in one write txn: committed if it returns WAGE_OK,
 * aborted (nothing changed) if not; returns fn's code. */
static int
in_write(struct fx *fx, txn_fn fn, void *arg)
{
	struct txn_job j;

	memset(&j, 0, sizeof(j));
	j.fn  = fn;
	j.arg = arg;
	return (store_write_now(fx->s, txn_apply, &j.job));
}

static struct store_txn *
rd(struct fx *fx)
{
	struct store_txn *txn;

	assert_int_equal(store_read_begin(fx->s, &txn), WAGE_OK);
	return (txn);
}

/* A raw record to write. */
struct raw {
	enum store_db db;
	const char   *key;
	const void   *val;
	size_t        len;
	int           del; /* delete key instead */
};

static int
raw_apply(struct store_txn *txn, void *arg)
{
	struct raw *r = arg;

	if (r->del) {
		return (store_del(txn, r->db, r->key, strlen(r->key)));
	}
	return (store_put(txn, r->db, r->key, strlen(r->key), r->val, r->len));
}

static void
put_raw(struct fx *fx, enum store_db db, const char *key, const void *val,
    size_t len)
{
	struct raw r = { db, key, val, len, 0 };

	assert_int_equal(in_write(fx, raw_apply, &r), WAGE_OK);
}

static void
put_text(struct fx *fx, enum store_db db, const char *key, const char *text)
{
	put_raw(fx, db, key, text, strlen(text));
}

struct save {
	const json_t *doc, *old;
};

static int
save_apply(struct store_txn *txn, void *arg)
{
	struct save *s = arg;

	return (caserec_save(txn, s->doc, s->old));
}

/* save stores doc ("id" set) over old (NULL: a new case). */
static void
save(struct fx *fx, const json_t *doc, const json_t *old)
{
	struct save s = { doc, old };

	assert_int_equal(in_write(fx, save_apply, &s), WAGE_OK);
}

/* caserec_put of doc over old, times times in one txn. */
struct put {
	const char   *id;
	const json_t *doc, *old;
	int           times;
};

static int
put_apply(struct store_txn *txn, void *arg)
{
	struct put        *p = arg;
	struct caserec_enc e;
	int                i, rc;

	if ((rc = caserec_encode(p->doc, NULL, &e, NULL)) != WAGE_OK) {
		return (rc);
	}
	for (i = 0; i < p->times && rc == WAGE_OK; i++) {
		rc = caserec_put(txn, p->id, &e, p->doc, p->old);
	}
	caserec_enc_fini(&e);
	return (rc);
}

static void
put_case(struct fx *fx, const json_t *doc, const json_t *old, int times)
{
	struct put p = { ID1, doc, old, times };

	assert_int_equal(in_write(fx, put_apply, &p), WAGE_OK);
}

struct step {
	const char *id;
	uint64_t    seq;
	const char *text;
};

static int
step_apply(struct store_txn *txn, void *arg)
{
	struct step *s = arg;

	return (
	    caserec_step_put(txn, s->id, s->seq, s->text, strlen(s->text)));
}

static void
put_step(struct fx *fx, const char *id, uint64_t seq, const char *text)
{
	struct step s = { id, seq, text };

	assert_int_equal(in_write(fx, step_apply, &s), WAGE_OK);
}

/* ---- what is stored ------------------------------------------------- */

static const char *const dbnames[DB__COUNT] = { "cases", "steps", "by_region",
	"by_state", "by_org", "by_credit", "case_audit", "audit",
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

/* The index entries: {"by_region": {key: value}, ...} (new). */
static json_t *
indexes(struct fx *fx)
{
	static const enum store_db idx[] = { DB_BY_REGION, DB_BY_STATE,
		DB_BY_ORG, DB_BY_CREDIT };
	struct store_txn          *txn   = rd(fx);
	json_t                    *all   = json_object(), *one;
	size_t                     i;

	for (i = 0; i < 4; i++) {
		one = json_object();
		assert_int_equal(
		    store_scan(txn, idx[i], NULL, 0, NULL, dump_cb, one),
		    WAGE_OK);
		json_object_set_new(all, dbnames[idx[i]], one);
	}
	store_read_end(txn);
	return (all);
}

static void
want_equal(const json_t *got, const json_t *want, const char *what)
{
	char *g, *w;

	if (json_equal(got, want)) {
		return;
	}
	g = json_dumps(got, JSON_SORT_KEYS | JSON_INDENT(1));
	w = json_dumps(want, JSON_SORT_KEYS | JSON_INDENT(1));
	fail_msg("%s:\ngot  %s\nwant %s", what, g, w);
}

/*
 * want_entries: the index entries are exactly keys ("by_xxx:a|b|id"),
 * those of by_region, by_state and by_org holding the summary of the doc
 * of docs (NULL-terminated) whose "id" is the key's last part, those of
 * by_credit "".
 */
static void
want_entries(struct fx *fx, const json_t *const *docs, const char *const *keys)
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
	got = indexes(fx);
	want_equal(got, want, "index entries");
	json_decref(got);
	json_decref(want);
}

#define DOCS(...) ((const json_t *const[]) { __VA_ARGS__, NULL })
#define KEYS(...) ((const char *const[]) { __VA_ARGS__, NULL })

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

/* Every record of every database, as text (new string): to show that
 * something changed nothing. */
static char *
snapshot(struct fx *fx)
{
	struct store_txn *txn = rd(fx);
	char             *buf = NULL;
	size_t            len = 0;
	FILE             *f   = open_memstream(&buf, &len);
	int               db;

	assert_non_null(f);
	for (db = 0; db < DB__COUNT; db++) {
		fprintf(f, "[%s]\n", dbnames[db]);
		assert_int_equal(store_scan(txn, (enum store_db) db, NULL, 0,
		                     NULL, hex_cb, f),
		    WAGE_OK);
	}
	store_read_end(txn);
	assert_int_equal(fclose(f), 0);
	return (buf);
}

/* The decoded case id with (steps) or without its steps; new ref. */
static json_t *
get_case(struct fx *fx, const char *id, int steps)
{
	struct store_txn *txn = rd(fx);
	json_t           *doc = NULL;

	assert_int_equal(caserec_get(txn, id, steps, &doc), WAGE_OK);
	store_read_end(txn);
	assert_non_null(doc);
	return (doc);
}

/* The steps text of case id (new string). */
static char *
steps_text(struct fx *fx, const char *id)
{
	struct store_txn *txn = rd(fx);
	char             *t   = NULL;
	size_t            n   = 0;

	assert_int_equal(caserec_steps_text(txn, id, &t, &n), WAGE_OK);
	store_read_end(txn);
	assert_non_null(t);
	assert_int_equal(n, strlen(t));
	return (t);
}

static void
want_check(struct fx *fx, int bad, const char *problem)
{
	struct store_txn *txn      = rd(fx);
	char              why[256] = "";
	int               b        = -1;

	assert_int_equal(caserec_check(txn, &b, why, sizeof(why)), WAGE_OK);
	store_read_end(txn);
	if (b != bad || (problem != NULL && strstr(why, problem) == NULL)) {
		fail_msg("caserec_check: bad %d (%s), want %d (%s)", b, why,
		    bad, problem != NULL ? problem : "-");
	}
}

static int
format_of(struct fx *fx)
{
	struct store_txn *txn = rd(fx);
	int               f   = -1;

	assert_int_equal(caserec_format(txn, &f), WAGE_OK);
	store_read_end(txn);
	return (f);
}

/* ---- documents ------------------------------------------------------ */

/* A case ID1 at revision rev; rep: the representative's organisation
 * (NULL: none). */
static json_t *
case_doc(json_int_t rev, const char *state, const char *region,
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

/* doc without "id", "revision" and "steps" (new). */
static json_t *
body_of(const json_t *doc)
{
	json_t *b = json_deep_copy(doc);

	json_object_del(b, "id");
	json_object_del(b, "revision");
	json_object_del(b, "steps");
	return (b);
}

/* ---- encoding ------------------------------------------------------- */

static void
test_caserec_encode_decode_round_trip(void **state)
{
	static const unsigned char hdr[CASEREC_HDR] = { 'W', 'C', 'H', 2, 1, 2,
		3, 4, 5, 6, 7, 8 };
	struct caserec_enc         e;
	json_t                    *doc, *body, *got, *want, *sum, *wsum;
	uint64_t                   rev = 0;

	(void) state;
	doc = case_doc(0x0102030405060708LL, "intake", "370102", "工会", CC1);
	json_object_set_new(doc, "steps",
	    json_pack("[{s:i, s:s}]", "seq", 3, "event", "accept"));
	assert_int_equal(caserec_encode(doc, NULL, &e, NULL), WAGE_OK);
	/* The header: magic, format 2, the revision big-endian. */
	assert_true(e.headlen > CASEREC_HDR);
	assert_memory_equal(e.head, hdr, CASEREC_HDR);
	/* Then the document's compact JSON without id, revision and steps:
	 * the key, the header and the step records hold them. */
	body =
	    json_loadb(e.head + CASEREC_HDR, e.headlen - CASEREC_HDR, 0, NULL);
	assert_non_null(body);
	assert_null(json_object_get(body, "id"));
	assert_null(json_object_get(body, "revision"));
	assert_null(json_object_get(body, "steps"));
	want = body_of(doc);
	want_equal(body, want, "head JSON");
	assert_null(
	    memchr(e.head + CASEREC_HDR, '\n', e.headlen - CASEREC_HDR));
	json_decref(want);
	json_decref(body);
	/* doc itself was not changed. */
	assert_non_null(json_object_get(doc, "steps"));
	assert_non_null(json_object_get(doc, "id"));

	/* Decoded: id from the key and the revision from the header are
	 * back; the steps are not (they are records of their own). */
	assert_int_equal(
	    caserec_decode(ID1, e.head, e.headlen, &got, &rev), WAGE_OK);
	assert_true(rev == 0x0102030405060708ULL);
	want = json_deep_copy(doc);
	json_object_del(want, "steps");
	want_equal(got, want, "decoded head");
	json_decref(got);
	/* Under another key it is that case. */
	assert_int_equal(
	    caserec_decode(ID2, e.head, e.headlen, &got, NULL), WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(got, "id")), ID2);
	json_decref(got);
	json_decref(want);

	/* The summary: what a listing shows, without the id. */
	sum  = json_loadb(e.sum, e.sumlen, 0, NULL);
	wsum = caserec_summary(doc);
	assert_non_null(sum);
	want_equal(sum, wsum, "summary");
	assert_null(json_object_get(sum, "id"));
	assert_string_equal(
	    json_string_value(json_object_get(sum, "first_claimant")),
	    "李建国");
	assert_int_equal(
	    json_integer_value(json_object_get(sum, "workers")), 2);
	assert_int_equal(
	    json_integer_value(json_object_get(sum, "total_fen")), 1860000);
	assert_true(json_integer_value(json_object_get(sum, "revision")) ==
	    0x0102030405060708LL);
	json_decref(sum);
	json_decref(wsum);
	caserec_enc_fini(&e);
	assert_null(e.head);
	caserec_enc_fini(&e); /* twice: allowed */

	/* Revision 1 is the smallest a head may have. */
	json_object_set_new(doc, "revision", json_integer(1));
	assert_int_equal(caserec_encode(doc, NULL, &e, NULL), WAGE_OK);
	assert_int_equal(
	    caserec_decode(ID1, e.head, e.headlen, &got, &rev), WAGE_OK);
	assert_true(rev == 1);
	json_decref(got);
	caserec_enc_fini(&e);
	json_decref(doc);
}

static void
test_caserec_encode_refuses_no_revision(void **state)
{
	struct caserec_enc e;
	json_t            *doc = case_doc(1, "intake", "370102", NULL, CC1);

	(void) state;
	json_object_set_new(doc, "revision", json_integer(0));
	assert_int_equal(caserec_encode(doc, NULL, &e, NULL), WAGE_E_INTERNAL);
	assert_null(e.head);
	assert_null(e.sum);
	json_object_set_new(doc, "revision", json_string("3"));
	assert_int_equal(caserec_encode(doc, NULL, &e, NULL), WAGE_E_INTERNAL);
	assert_null(e.head);
	json_object_del(doc, "revision");
	assert_int_equal(caserec_encode(doc, NULL, &e, NULL), WAGE_E_INTERNAL);
	assert_null(e.head);
	caserec_enc_fini(&e);
	json_decref(doc);
}

/* A head made by hand: the header of rev, then json. */
static size_t
hand_head(char *buf, size_t len, uint64_t rev, const char *json)
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

static void
test_caserec_decode_refuses_what_is_not_a_head(void **state)
{
	static const char f1[] = "{\"id\":\"WA2026-000001\",\"revision\":1}";
	char              buf[128];
	json_t           *doc = (json_t *) 0x1;
	uint64_t          rev = 77;
	size_t            n;

	(void) state;
	/* A format-1 document, nothing, a header alone. */
	assert_int_equal(
	    caserec_decode(ID1, f1, strlen(f1), &doc, &rev), WAGE_E_INTERNAL);
	assert_null(doc);
	assert_int_equal(rev, 77);
	assert_int_equal(
	    caserec_decode(ID1, "", 0, &doc, NULL), WAGE_E_INTERNAL);
	n = hand_head(buf, sizeof(buf), 1, "");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	assert_null(doc);
	/* JSON that is cut, not an object, or followed by more. */
	n = hand_head(buf, sizeof(buf), 1, "{\"state\":");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	n = hand_head(buf, sizeof(buf), 1, "[1]");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	assert_null(doc);
	n = hand_head(buf, sizeof(buf), 1, "{} {}");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	/* A revision no JSON integer can hold. */
	n = hand_head(buf, sizeof(buf), (uint64_t) INT64_MAX + 1, "{}");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, &rev), WAGE_E_INTERNAL);
	assert_null(doc);
	/* The format marker must be 2. */
	n      = hand_head(buf, sizeof(buf), 1, "{}");
	buf[3] = 0x01;
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	/* A hand-made head naming another id or revision: the key and the
	 * header win. */
	n = hand_head(buf, sizeof(buf), 5,
	    "{\"id\":\"" NOCASE "\",\"revision\":9,\"state\":\"intake\"}");
	assert_int_equal(caserec_decode(ID1, buf, n, &doc, &rev), WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(doc, "id")), ID1);
	assert_int_equal(
	    json_integer_value(json_object_get(doc, "revision")), 5);
	assert_int_equal(rev, 5);
	json_decref(doc);
}

static void
test_caserec_head_revision(void **state)
{
	struct caserec_enc e;
	json_t            *doc = case_doc(42, "intake", "370102", NULL, CC1);
	char               buf[64];
	uint64_t           rev = 0;
	size_t             n;

	(void) state;
	assert_int_equal(caserec_encode(doc, NULL, &e, NULL), WAGE_OK);
	assert_int_equal(
	    caserec_head_revision(e.head, e.headlen, &rev), WAGE_OK);
	assert_int_equal(rev, 42);
	/* The header alone is enough to read it. */
	rev = 0;
	assert_int_equal(
	    caserec_head_revision(e.head, CASEREC_HDR, &rev), WAGE_OK);
	assert_int_equal(rev, 42);
	n = hand_head(buf, sizeof(buf), UINT64_MAX, "{}");
	assert_int_equal(caserec_head_revision(buf, n, &rev), WAGE_OK);
	assert_true(rev == UINT64_MAX);
	/* Short: not touched. */
	rev = 7;
	assert_int_equal(caserec_head_revision(e.head, CASEREC_HDR - 1, &rev),
	    WAGE_E_INTERNAL);
	assert_int_equal(
	    caserec_head_revision(e.head, 0, &rev), WAGE_E_INTERNAL);
	assert_int_equal(rev, 7);
	/* Wrong magic: a format-1 document, another format, other bytes. */
	assert_int_equal(
	    caserec_head_revision("{\"revision\":42,\"a\":1}", 21, &rev),
	    WAGE_E_INTERNAL);
	n      = hand_head(buf, sizeof(buf), 42, "{}");
	buf[3] = 0x03;
	assert_int_equal(caserec_head_revision(buf, n, &rev), WAGE_E_INTERNAL);
	buf[3] = 0x02;
	buf[0] = 'w';
	assert_int_equal(caserec_head_revision(buf, n, &rev), WAGE_E_INTERNAL);
	assert_int_equal(rev, 7);
	caserec_enc_fini(&e);
	json_decref(doc);
}

/* ---- index entries -------------------------------------------------- */

static void
test_caserec_put_index_entries(void **state)
{
	struct fx         *fx = *state;
	struct caserec_enc e;
	json_t            *v[9], *got;
	struct store_txn  *txn;
	MDB_val            val;
	int                i;

	v[0] = case_doc(1, "intake", "370102", "Union A", CC1);
	put_case(fx, v[0], NULL, 1);
	want_entries(fx, DOCS(v[0]),
	    KEYS("by_region:370102|" ID1, "by_state:intake|370102|" ID1,
	        "by_org:" FILER "|" ID1, "by_org:Union A|" ID1,
	        "by_credit:" CC1 "|" ID1));
	/* The head is what caserec_encode made. */
	assert_int_equal(caserec_encode(v[0], NULL, &e, NULL), WAGE_OK);
	txn = rd(fx);
	assert_int_equal(caserec_head(txn, ID1, &val), WAGE_OK);
	assert_int_equal(val.mv_size, e.headlen);
	assert_memory_equal(val.mv_data, e.head, e.headlen);
	store_read_end(txn);
	caserec_enc_fini(&e);

	/* The state changes: by_state moves; the entries that stay hold
	 * the new summary (revision 2). */
	v[1] = case_doc(2, "mediation", "370102", "Union A", CC1);
	put_case(fx, v[1], v[0], 1);
	want_entries(fx, DOCS(v[1]),
	    KEYS("by_region:370102|" ID1, "by_state:mediation|370102|" ID1,
	        "by_org:" FILER "|" ID1, "by_org:Union A|" ID1,
	        "by_credit:" CC1 "|" ID1));
	/* The region: by_region and by_state. */
	v[2] = case_doc(3, "mediation", "370203", "Union A", CC1);
	put_case(fx, v[2], v[1], 1);
	want_entries(fx, DOCS(v[2]),
	    KEYS("by_region:370203|" ID1, "by_state:mediation|370203|" ID1,
	        "by_org:" FILER "|" ID1, "by_org:Union A|" ID1,
	        "by_credit:" CC1 "|" ID1));
	/* Another representative. */
	v[3] = case_doc(4, "mediation", "370203", "Legal Aid B", CC1);
	put_case(fx, v[3], v[2], 1);
	want_entries(fx, DOCS(v[3]),
	    KEYS("by_region:370203|" ID1, "by_state:mediation|370203|" ID1,
	        "by_org:" FILER "|" ID1, "by_org:Legal Aid B|" ID1,
	        "by_credit:" CC1 "|" ID1));
	/* None. */
	v[4] = case_doc(5, "mediation", "370203", NULL, CC1);
	put_case(fx, v[4], v[3], 1);
	want_entries(fx, DOCS(v[4]),
	    KEYS("by_region:370203|" ID1, "by_state:mediation|370203|" ID1,
	        "by_org:" FILER "|" ID1, "by_credit:" CC1 "|" ID1));
	/* The filing office itself: one entry, not two. */
	v[5] = case_doc(6, "mediation", "370203", FILER, CC1);
	put_case(fx, v[5], v[4], 1);
	want_entries(fx, DOCS(v[5]),
	    KEYS("by_region:370203|" ID1, "by_state:mediation|370203|" ID1,
	        "by_org:" FILER "|" ID1, "by_credit:" CC1 "|" ID1));
	/* From the filer back to another: the filer's entry stays. */
	v[6] = case_doc(7, "mediation", "370203", "Union A", CC1);
	put_case(fx, v[6], v[5], 1);
	want_entries(fx, DOCS(v[6]),
	    KEYS("by_region:370203|" ID1, "by_state:mediation|370203|" ID1,
	        "by_org:" FILER "|" ID1, "by_org:Union A|" ID1,
	        "by_credit:" CC1 "|" ID1));
	/* The respondent's credit code. */
	v[7] = case_doc(8, "mediation", "370203", "Union A", CC2);
	put_case(fx, v[7], v[6], 1);
	want_entries(fx, DOCS(v[7]),
	    KEYS("by_region:370203|" ID1, "by_state:mediation|370203|" ID1,
	        "by_org:" FILER "|" ID1, "by_org:Union A|" ID1,
	        "by_credit:" CC2 "|" ID1));
	/* Everything at once, applied twice in one txn (a batch applied
	 * again after an abort): the same records as once. */
	v[8] = case_doc(9, "arbitration", "370102", "Legal Aid B", CC1);
	put_case(fx, v[8], v[7], 2);
	want_entries(fx, DOCS(v[8]),
	    KEYS("by_region:370102|" ID1, "by_state:arbitration|370102|" ID1,
	        "by_org:" FILER "|" ID1, "by_org:Legal Aid B|" ID1,
	        "by_credit:" CC1 "|" ID1));
	got = get_case(fx, ID1, 0);
	want_equal(got, v[8], "stored case");
	json_decref(got);
	want_check(fx, 0, NULL);
	for (i = 0; i < 9; i++) {
		json_decref(v[i]);
	}
}

static void
test_caserec_put_twice_new_case(void **state)
{
	struct fx *fx = *state;
	json_t    *doc, *got;
	char      *once, *twice;

	doc = case_doc(1, "intake", "370102", "Union A", CC1);
	put_case(fx, doc, NULL, 1);
	once = snapshot(fx);
	put_case(fx, doc, NULL, 2);
	twice = snapshot(fx);
	assert_string_equal(once, twice);
	want_entries(fx, DOCS(doc),
	    KEYS("by_region:370102|" ID1, "by_state:intake|370102|" ID1,
	        "by_org:" FILER "|" ID1, "by_org:Union A|" ID1,
	        "by_credit:" CC1 "|" ID1));
	got = get_case(fx, ID1, 1);
	json_object_set_new(doc, "steps", json_array());
	want_equal(got, doc, "stored case");
	json_decref(got);
	json_decref(doc);
	free(once);
	free(twice);
}

/* Another case's entries are not touched by a change of ID1. */
static void
test_caserec_put_leaves_other_cases(void **state)
{
	struct fx *fx = *state;
	json_t    *a, *b, *a2, *got;

	a = case_doc(1, "intake", "370102", "Union A", CC1);
	b = json_deep_copy(a);
	json_object_set_new(b, "id", json_string(ID10));
	save(fx, a, NULL);
	save(fx, b, NULL);
	a2 = case_doc(2, "closed_withdrawn", "370203", NULL, CC2);
	save(fx, a2, a);
	got = indexes(fx);
	assert_int_equal(
	    json_object_size(json_object_get(got, "by_region")), 2);
	assert_non_null(json_object_get(
	    json_object_get(got, "by_region"), "370102|" ID10));
	assert_non_null(json_object_get(
	    json_object_get(got, "by_state"), "intake|370102|" ID10));
	assert_non_null(
	    json_object_get(json_object_get(got, "by_org"), "Union A|" ID10));
	assert_null(
	    json_object_get(json_object_get(got, "by_org"), "Union A|" ID1));
	assert_non_null(
	    json_object_get(json_object_get(got, "by_credit"), CC1 "|" ID10));
	assert_non_null(
	    json_object_get(json_object_get(got, "by_credit"), CC2 "|" ID1));
	assert_int_equal(
	    json_object_size(json_object_get(got, "by_credit")), 2);
	json_decref(got);
	want_check(fx, 0, NULL);
	json_decref(a);
	json_decref(a2);
	json_decref(b);
}

/* ---- steps ---------------------------------------------------------- */

static void
test_caserec_steps_join(void **state)
{
	struct fx        *fx = *state;
	json_t           *doc, *got, *want;
	struct store_txn *txn;
	MDB_val           v;
	char             *t;

	/* None, for a case or for no case at all. */
	t = steps_text(fx, ID1);
	assert_string_equal(t, "[]");
	free(t);
	doc = case_doc(1, "intake", "370102", NULL, CC1);
	save(fx, doc, NULL);
	t = steps_text(fx, ID1);
	assert_string_equal(t, "[]");
	free(t);
	got = get_case(fx, ID1, 1);
	assert_int_equal(json_array_size(json_object_get(got, "steps")), 0);
	assert_true(json_is_array(json_object_get(got, "steps")));
	json_decref(got);

	/* Written out of order: joined in seq order, which is key order
	 * (16 hex digits); each with its seq from the key. */
	put_step(fx, ID1, 0x10, "{\"event\":\"b\"}");
	put_step(fx, ID1, 0x100000000ULL, "{\"event\":\"d\",\"fields\":{}}");
	put_step(fx, ID1, 2, "{\"event\":\"a\",\"by\":{\"name\":\"张伟\"}}");
	put_step(fx, ID1, 0xff, "{}");
	/* Neighbours: a case whose id starts with ID1's, and another. */
	put_step(fx, ID10, 1, "{\"event\":\"other\"}");
	put_step(fx, ID2, 3, "{\"event\":\"two\"}");
	t = steps_text(fx, ID1);
	assert_string_equal(t,
	    "[{\"seq\":2,\"event\":\"a\",\"by\":{\"name\":\"张伟\"}},"
	    "{\"seq\":16,\"event\":\"b\"},{\"seq\":255},"
	    "{\"seq\":4294967296,\"event\":\"d\",\"fields\":{}}]");
	free(t);
	t = steps_text(fx, ID10);
	assert_string_equal(t, "[{\"seq\":1,\"event\":\"other\"}]");
	free(t);
	t = steps_text(fx, ID2);
	assert_string_equal(t, "[{\"seq\":3,\"event\":\"two\"}]");
	free(t);
	/* The key: id SEP seq as 16 lower-case hex digits; the value the
	 * text as given. */
	txn = rd(fx);
	assert_int_equal(
	    store_get(txn, DB_STEPS, ID1 SEP "0000000100000000", 30, &v),
	    WAGE_OK);
	assert_int_equal(v.mv_size, strlen("{\"event\":\"d\",\"fields\":{}}"));
	assert_int_equal(
	    store_get(txn, DB_STEPS, ID1 SEP "00000000000000ff", 30, &v),
	    WAGE_OK);
	store_read_end(txn);

	/* caserec_get joins them in as "steps". */
	got  = get_case(fx, ID1, 1);
	want = json_pack("[{s:i, s:s, s:{s:s}}, {s:i, s:s}, {s:i}, {s:I, "
	                 "s:s, s:{}}]",
	    "seq", 2, "event", "a", "by", "name", "张伟", "seq", 16, "event",
	    "b", "seq", 255, "seq", (json_int_t) 0x100000000LL, "event", "d",
	    "fields");
	want_equal(json_object_get(got, "steps"), want, "steps");
	json_decref(want);
	json_decref(got);
	got = get_case(fx, ID1, 0);
	assert_null(json_object_get(got, "steps"));
	json_decref(got);
	json_decref(doc);
}

static void
test_caserec_step_encode_and_put_refusals(void **state)
{
	struct fx  *fx = *state;
	struct step s;
	json_t     *step;
	char       *t;
	size_t      n = 0;

	step = json_pack("{s:s, s:i, s:s, s:{s:s}}", "event", "accept", "seq",
	    9, "to", "mediation", "fields", "note", "x");
	t    = caserec_step_encode(step, &n);
	assert_string_equal(t,
	    "{\"event\":\"accept\",\"to\":\"mediation\",\"fields\":{\"note\":"
	    "\"x\"}}");
	assert_int_equal(n, strlen(t));
	/* The step itself keeps its seq. */
	assert_int_equal(json_integer_value(json_object_get(step, "seq")), 9);
	free(t);
	json_decref(step);

	/* Only a JSON object is a step. */
	s.id   = ID1;
	s.seq  = 1;
	s.text = "[]";
	assert_int_equal(in_write(fx, step_apply, &s), WAGE_E_INTERNAL);
	s.text = "{";
	assert_int_equal(in_write(fx, step_apply, &s), WAGE_E_INTERNAL);
	s.text = "";
	assert_int_equal(in_write(fx, step_apply, &s), WAGE_E_INTERNAL);
	t = steps_text(fx, ID1);
	assert_string_equal(t, "[]");
	free(t);
}

/* ---- caserec_check -------------------------------------------------- */

/* Damage done in a txn that is then aborted, after caserec_check ran in
 * it: each kind on the same sound database. */
struct damage {
	struct raw raw;
	int        bad;
	char       problem[256];
};

static int
damage_apply(struct store_txn *txn, void *arg)
{
	struct damage *d = arg;
	int            rc;

	if ((rc = raw_apply(txn, &d->raw)) != WAGE_OK ||
	    (rc = caserec_check(
	         txn, &d->bad, d->problem, sizeof(d->problem))) != WAGE_OK) {
		return (rc);
	}
	return (WAGE_E_BUSY); /* abort: the next starts sound */
}

static void
want_damage(struct fx *fx, const struct raw *raw, const char *problem)
{
	struct damage d;

	memset(&d, 0, sizeof(d));
	d.raw = *raw;
	d.bad = -1;
	assert_int_equal(in_write(fx, damage_apply, &d), WAGE_E_BUSY);
	if (d.bad != 1 || strstr(d.problem, problem) == NULL) {
		fail_msg("damage to %s %s: bad %d (%s), want %s",
		    dbnames[raw->db], raw->key, d.bad, d.problem, problem);
	}
	want_check(fx, 0, NULL);
}

static void
test_caserec_check_finds_damage(void **state)
{
	static const char f1[] = "{\"state\":\"intake\",\"revision\":1}";
	struct fx        *fx   = *state;
	json_t           *a, *b;
	char              head[64];
	size_t            n;

	/* An empty database is sound. */
	want_check(fx, 0, NULL);
	a = case_doc(2, "intake", "370102", "Union A", CC1);
	json_object_set_new(a, "steps",
	    json_pack("[{s:i, s:s}]", "seq", 2, "event", "supplement"));
	b = case_doc(1, "mediation", "370203", NULL, CC2);
	json_object_set_new(b, "id", json_string(ID2));
	save(fx, a, NULL);
	save(fx, b, NULL);
	want_check(fx, 0, NULL);

	/* A missing entry of each index. */
	want_damage(fx,
	    &(struct raw) {
	        DB_BY_STATE, "intake" SEP "370102" SEP ID1, NULL, 0, 1 },
	    "case " ID1 ": missing from an index");
	want_damage(fx,
	    &(struct raw) { DB_BY_REGION, "370203" SEP ID2, NULL, 0, 1 },
	    "case " ID2 ": missing from an index");
	want_damage(fx,
	    &(struct raw) { DB_BY_ORG, "Union A" SEP ID1, NULL, 0, 1 },
	    "missing from an index");
	want_damage(fx,
	    &(struct raw) { DB_BY_CREDIT, CC2 SEP ID2, NULL, 0, 1 },
	    "missing from an index");
	/* An entry beyond those: for no case, a stale state, an org. */
	want_damage(fx,
	    &(struct raw) { DB_BY_REGION, "370102" SEP NOCASE, "{}", 2, 0 },
	    "index by_region has 3 entries, the cases need 2");
	want_damage(fx,
	    &(struct raw) {
	        DB_BY_STATE, "mediation" SEP "370102" SEP ID1, "{}", 2, 0 },
	    "index by_state has 3 entries");
	want_damage(fx,
	    &(struct raw) { DB_BY_ORG, "Legal Aid B" SEP ID2, "{}", 2, 0 },
	    "index by_org has 4 entries, the cases need 3");
	want_damage(fx, &(struct raw) { DB_BY_CREDIT, CC1 SEP ID2, "", 0, 0 },
	    "index by_credit has 3 entries");
	/* A step whose case is not stored, and a malformed step key. */
	want_damage(fx,
	    &(struct raw) { DB_STEPS, NOCASE SEP "0000000000000004",
	        "{\"event\":\"x\"}", 13, 0 },
	    "case " NOCASE ": a step is stored for no case");
	want_damage(fx,
	    &(struct raw) { DB_STEPS, ID1 "-0000000000000004", "{}", 2, 0 },
	    "a step key is malformed");
	/* A head that does not decode: cut, or a format-1 document. */
	n = hand_head(head, sizeof(head), 2, "{\"state\":");
	want_damage(fx, &(struct raw) { DB_CASES, ID1, head, n, 0 },
	    "case " ID1 ": the stored head does not decode");
	want_damage(fx, &(struct raw) { DB_CASES, ID2, f1, strlen(f1), 0 },
	    "case " ID2 ": the stored head does not decode");
	/* A case whose indexed fields changed without its entries. */
	n = hand_head(head, sizeof(head), 3,
	    "{\"state\":\"closed\",\"region\":\"370203\"}");
	want_damage(fx, &(struct raw) { DB_CASES, ID2, head, n, 0 },
	    "case " ID2 ": an index entry's summary differs from the case");
	json_decref(a);
	json_decref(b);
}

/* ---- format 1 ------------------------------------------------------- */

/* Hand-written format-1 documents: the whole case, steps with their
 * seqs, under its id. */
static json_t *
f1_doc(const char *id, json_int_t rev, const char *state, const char *region,
    const char *rep, json_t *steps)
{
	json_t *d = case_doc(rev, state, region, rep, CC1);

	json_object_set_new(d, "id", json_string(id));
	json_object_set_new(d, "steps", steps);
	json_object_set_new(d, "policy", json_string("d3aac17c"));
	return (d);
}

static void
put_f1(struct fx *fx, const char *key, const json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT);

	assert_non_null(text);
	put_text(fx, DB_CASES, key, text);
	free(text);
}

struct migrate {
	size_t ncases, nsteps;
};

static int
migrate_apply(struct store_txn *txn, void *arg)
{
	struct migrate *m = arg;

	return (caserec_migrate(txn, &m->ncases, &m->nsteps));
}

/* A step's record as stored (new). */
static json_t *
step_record(struct fx *fx, const char *id, uint64_t seq)
{
	struct store_txn *txn = rd(fx);
	MDB_val           v;
	char              key[64];
	json_t           *s;

	snprintf(key, sizeof(key), "%s" SEP "%016" PRIx64, id, seq);
	if (store_get(txn, DB_STEPS, key, strlen(key), &v) != WAGE_OK) {
		fail_msg("no step record %s %" PRIu64, id, seq);
	}
	s = json_loadb(v.mv_data, v.mv_size, 0, NULL);
	store_read_end(txn);
	assert_non_null(s);
	return (s);
}

static size_t
count(struct fx *fx, enum store_db db)
{
	struct store_txn *txn = rd(fx);
	size_t            n   = store_db_count(txn, db);

	store_read_end(txn);
	return (n);
}

/* The three cases of the format-1 database (new references). */
static void
f1_cases(json_t *c[3])
{
	c[0] = f1_doc(ID1, 3, "mediation", "370102", "Union A",
	    json_pack("[{s:i, s:s, s:s, s:s, s:{s:s}}, {s:i, s:s, s:s, s:s, "
	              "s:{}}]",
	        "seq", 2, "event", "supplement", "from", "intake", "to",
	        "intake", "fields", "materials", "欠条", "seq", 5, "event",
	        "accept", "from", "intake", "to", "mediation", "fields"));
	c[1] = f1_doc(ID2, 1, "intake", "370203", NULL, json_array());
	c[2] = f1_doc(ID10, 2, "closed_withdrawn", "370102", NULL,
	    json_pack("[{s:i, s:s}]", "seq", 7, "event", "withdraw"));
}

static void
test_caserec_format_of_fresh_db(void **state)
{
	struct fx *fx = *state;
	json_t    *c[3];
	int        i;

	assert_int_equal(format_of(fx), 0);
	f1_cases(c);
	put_f1(fx, ID1, c[0]);
	assert_int_equal(format_of(fx), 1);
	for (i = 0; i < 3; i++) {
		json_decref(c[i]);
	}
}

static void
test_caserec_migrate_format1(void **state)
{
	struct fx     *fx = *state;
	struct migrate m;
	json_t        *c[3], *got, *want, *s, *idx;
	const json_t  *st;
	char          *before, *after;
	size_t         i, j;

	f1_cases(c);
	/* c[1] under ID2 names another case: the key wins. */
	json_object_set_new(c[1], "id", json_string(NOCASE));
	for (i = 0; i < 3; i++) {
		put_f1(fx, i == 0 ? ID1 : i == 1 ? ID2 : ID10, c[i]);
	}
	json_object_set_new(c[1], "id", json_string(ID2));
	/* Format-1 index entries: summaries with the id, one stale. */
	put_text(fx, DB_BY_REGION, "370102" SEP ID1,
	    "{\"id\":\"" ID1 "\",\"state\":\"mediation\",\"revision\":3}");
	put_text(fx, DB_BY_STATE, "intake" SEP "370102" SEP ID1,
	    "{\"id\":\"" ID1 "\",\"state\":\"intake\",\"revision\":2}");
	assert_int_equal(format_of(fx), 1);

	memset(&m, 0, sizeof(m));
	assert_int_equal(in_write(fx, migrate_apply, &m), WAGE_OK);
	assert_int_equal(m.ncases, 3);
	assert_int_equal(m.nsteps, 3);
	assert_int_equal(format_of(fx), CASEREC_FORMAT);
	assert_int_equal(count(fx, DB_CASES), 3);
	assert_int_equal(count(fx, DB_STEPS), 3);
	assert_int_equal(count(fx, DB_BY_STATE), 3); /* the stale one gone */
	want_check(fx, 0, NULL);

	for (i = 0; i < 3; i++) {
		const char *id =
		    json_string_value(json_object_get(c[i], "id"));
		struct store_txn *txn = rd(fx);
		MDB_val           v;
		uint64_t          rev;

		/* A head now, at the same revision and state. */
		assert_int_equal(caserec_head(txn, id, &v), WAGE_OK);
		assert_int_equal(
		    caserec_head_revision(v.mv_data, v.mv_size, &rev),
		    WAGE_OK);
		assert_int_equal(rev,
		    json_integer_value(json_object_get(c[i], "revision")));
		store_read_end(txn);
		/* With its steps joined in, the very document it was. */
		got = get_case(fx, id, 1);
		want_equal(got, c[i], id);
		json_decref(got);
		/* One record per step, without the seq. */
		json_array_foreach (json_object_get(c[i], "steps"), j, st) {
			s    = step_record(fx, id,
			       (uint64_t) json_integer_value(
			           json_object_get(st, "seq")));
			want = json_deep_copy(st);
			json_object_del(want, "seq");
			assert_null(json_object_get(s, "seq"));
			want_equal(s, want, "step record");
			json_decref(want);
			json_decref(s);
		}
	}
	/* The index entries hold the summary of the head, without the id. */
	want_entries(fx, DOCS(c[0], c[1], c[2]),
	    KEYS("by_region:370102|" ID1, "by_state:mediation|370102|" ID1,
	        "by_org:" FILER "|" ID1, "by_org:Union A|" ID1,
	        "by_credit:" CC1 "|" ID1, "by_region:370203|" ID2,
	        "by_state:intake|370203|" ID2, "by_org:" FILER "|" ID2,
	        "by_credit:" CC1 "|" ID2, "by_region:370102|" ID10,
	        "by_state:closed_withdrawn|370102|" ID10,
	        "by_org:" FILER "|" ID10, "by_credit:" CC1 "|" ID10));
	idx = indexes(fx);
	got =
	    json_loads(json_string_value(json_object_get(
	                   json_object_get(idx, "by_region"), "370203|" ID2)),
	        0, NULL);
	want = get_case(fx, ID2, 0);
	s    = caserec_summary(want);
	want_equal(got, s, "summary of " ID2);
	assert_null(json_object_get(got, "id"));
	json_decref(s);
	json_decref(want);
	json_decref(got);
	json_decref(idx);

	/* Run again on the converted database: nothing to convert, nothing
	 * changed. */
	before = snapshot(fx);
	memset(&m, 0, sizeof(m));
	assert_int_equal(in_write(fx, migrate_apply, &m), WAGE_OK);
	assert_int_equal(m.ncases, 3);
	assert_int_equal(m.nsteps, 0);
	after = snapshot(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
	want_check(fx, 0, NULL);
	for (i = 0; i < 3; i++) {
		json_decref(c[i]);
	}
}

/* A database with both: a format-2 head (a conversion cut short, or a
 * case filed by the new version) and a format-1 document. */
static void
test_caserec_migrate_mixed(void **state)
{
	struct fx     *fx = *state;
	struct migrate m;
	json_t        *c[3], *got;
	int            i;

	f1_cases(c);
	save(fx, c[0], NULL);
	put_f1(fx, ID10, c[2]);
	memset(&m, 0, sizeof(m));
	assert_int_equal(in_write(fx, migrate_apply, &m), WAGE_OK);
	assert_int_equal(m.ncases, 2);
	assert_int_equal(m.nsteps, 1); /* only the format-1 case's */
	for (i = 0; i < 3; i += 2) {
		got = get_case(
		    fx, json_string_value(json_object_get(c[i], "id")), 1);
		want_equal(got, c[i], "converted case");
		json_decref(got);
	}
	want_check(fx, 0, NULL);
	for (i = 0; i < 3; i++) {
		json_decref(c[i]);
	}
}

/* migrate refuses doc (under ID2, after a good case): nothing changed. */
static void
want_refused(struct fx *fx, const char *text)
{
	struct migrate m;
	json_t        *c[3];
	char          *before, *after;
	int            i;

	f1_cases(c);
	put_f1(fx, ID1, c[0]);
	put_text(fx, DB_CASES, ID2, text);
	before = snapshot(fx);
	memset(&m, 0, sizeof(m));
	assert_int_equal(in_write(fx, migrate_apply, &m), WAGE_E_INTERNAL);
	after = snapshot(fx);
	assert_string_equal(before, after);
	assert_int_equal(format_of(fx), 1);
	free(before);
	free(after);
	for (i = 0; i < 3; i++) {
		json_decref(c[i]);
	}
}

static void
test_caserec_migrate_refuses_step_without_seq(void **state)
{
	want_refused(*state,
	    "{\"revision\":2,\"state\":\"intake\",\"region\":\"370102\","
	    "\"steps\":[{\"seq\":3,\"event\":\"a\"},{\"event\":\"b\"}]}");
}

static void
test_caserec_migrate_refuses_seq_not_a_number(void **state)
{
	want_refused(*state,
	    "{\"revision\":2,\"state\":\"intake\",\"region\":\"370102\","
	    "\"steps\":[{\"seq\":\"3\",\"event\":\"a\"}]}");
}

static void
test_caserec_migrate_refuses_seq_zero(void **state)
{
	want_refused(*state,
	    "{\"revision\":2,\"state\":\"intake\",\"region\":\"370102\","
	    "\"steps\":[{\"seq\":0,\"event\":\"a\"}]}");
}

static void
test_caserec_migrate_refuses_no_revision(void **state)
{
	want_refused(*state,
	    "{\"state\":\"intake\",\"region\":\"370102\",\"steps\":[]}");
}

static void
test_caserec_migrate_refuses_not_json(void **state)
{
	want_refused(*state, "{\"state\":\"intake\",\"steps\":[");
}

/* The head of doc encoded with the parts of the version before reused
 * where a member is shared, and encoded whole: the same bytes. */
static void
test_caserec_encode_reuses_unchanged_members(void **state)
{
	struct caserec_enc    full, first, again;
	struct caserec_parts *p1 = NULL, *p2 = NULL;
	json_t               *a, *b;

	(void) state;
	a = case_doc(1, "intake", "370102", "Union A", CC1);
	json_object_set_new(a, "clocks",
	    json_pack("{s:{s:s}}", "accept", "due", "2026-10-16"));
	assert_int_equal(caserec_encode(a, NULL, &first, &p1), WAGE_OK);
	assert_non_null(p1);
	/* The next version: shares every member but those it changes. */
	b = json_copy(a);
	json_object_set_new(b, "revision", json_integer(2));
	json_object_set_new(b, "state", json_string("mediation"));
	json_object_set_new(b, "clocks",
	    json_pack("{s:{s:s}}", "accept", "due", "2026-10-19"));
	json_object_set_new(b, "assigned", json_pack("{s:s}", "name", "李明"));
	assert_int_equal(caserec_encode(b, p1, &again, &p2), WAGE_OK);
	assert_int_equal(caserec_encode(b, NULL, &full, NULL), WAGE_OK);
	assert_int_equal(again.headlen, full.headlen);
	assert_memory_equal(again.head, full.head, full.headlen);
	assert_int_equal(again.sumlen, full.sumlen);
	assert_memory_equal(again.sum, full.sum, full.sumlen);
	/* A member changed in place is not reused by mistake: the parts
	 * hold their own reference, so a new value cannot take an old
	 * value's address while they live. */
	assert_null(strstr(again.head + CASEREC_HDR, "2026-10-16"));
	assert_non_null(strstr(again.head + CASEREC_HDR, "2026-10-19"));
	caserec_enc_fini(&first);
	caserec_enc_fini(&again);
	caserec_enc_fini(&full);
	caserec_parts_release(p1);
	caserec_parts_release(p2);
	json_decref(a);
	json_decref(b);
}

/* A database of format 2 without the mark (made by hand, or by a tool)
 * is read as format 2, not sent to migration. */
static void
test_caserec_format_unmarked_format2(void **state)
{
	struct fx *fx = *state;
	json_t    *a  = case_doc(1, "intake", "370102", NULL, CC1);

	save(fx, a, NULL);
	assert_int_equal(format_of(fx), CASEREC_FORMAT);
	json_decref(a);
}

/* Two steps with one seq: one would overwrite the other. */
static void
test_caserec_migrate_refuses_duplicate_seq(void **state)
{
	want_refused(*state,
	    "{\"revision\":3,\"state\":\"intake\",\"region\":\"370102\","
	    "\"steps\":[{\"seq\":3,\"event\":\"a\"},{\"seq\":3,\"event\":"
	    "\"b\"}]}");
}

/* An index entry whose summary is not the case's own. */
static void
test_caserec_check_finds_stale_summary(void **state)
{
	struct fx *fx = *state;
	json_t    *a  = case_doc(1, "intake", "370102", NULL, CC1);

	save(fx, a, NULL);
	want_check(fx, 0, NULL);
	want_damage(fx,
	    &(struct raw) { DB_BY_REGION, "370102" SEP ID1,
	        "{\"state\":\"closed\",\"revision\":99}", 32, 0 },
	    "case " ID1 ": an index entry's summary differs from the case");
	json_decref(a);
}

/* ---- ids ------------------------------------------------------------ */

static void
test_caserec_key_id(void **state)
{
	static const char k1[] = "intake" SEP "370102" SEP ID1;
	char    id[WAGE_CASE_ID_MAX + 1], longkey[80];
	MDB_val k;

	(void) state;
	k.mv_data = (void *) k1;
	k.mv_size = strlen(k1);
	assert_int_equal(caserec_key_id(&k, id, sizeof(id)), WAGE_OK);
	assert_string_equal(id, ID1);
	/* Nothing after the last separator. */
	k.mv_data = (void *) "370102" SEP;
	k.mv_size = 7;
	assert_int_equal(caserec_key_id(&k, id, sizeof(id)), WAGE_E_INTERNAL);
	/* Longer than a case id may be. */
	memset(longkey, '7', sizeof(longkey));
	longkey[0] = SEP[0];
	k.mv_data  = longkey;
	k.mv_size  = WAGE_CASE_ID_MAX + 2;
	assert_int_equal(caserec_key_id(&k, id, sizeof(id)), WAGE_E_INTERNAL);
	k.mv_size = WAGE_CASE_ID_MAX + 1;
	assert_int_equal(caserec_key_id(&k, id, sizeof(id)), WAGE_OK);
	assert_int_equal(strlen(id), WAGE_CASE_ID_MAX);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caserec_encode_decode_round_trip),
		cmocka_unit_test(test_caserec_encode_refuses_no_revision),
		cmocka_unit_test(
		    test_caserec_decode_refuses_what_is_not_a_head),
		cmocka_unit_test(test_caserec_head_revision),
		T(test_caserec_put_index_entries),
		T(test_caserec_put_twice_new_case),
		T(test_caserec_put_leaves_other_cases),
		T(test_caserec_steps_join),
		T(test_caserec_step_encode_and_put_refusals),
		T(test_caserec_check_finds_damage),
		T(test_caserec_format_of_fresh_db),
		T(test_caserec_migrate_format1),
		T(test_caserec_migrate_mixed),
		T(test_caserec_migrate_refuses_step_without_seq),
		T(test_caserec_migrate_refuses_seq_not_a_number),
		T(test_caserec_migrate_refuses_seq_zero),
		T(test_caserec_migrate_refuses_no_revision),
		T(test_caserec_migrate_refuses_not_json),
		cmocka_unit_test(test_caserec_key_id),
		cmocka_unit_test(test_caserec_encode_reuses_unchanged_members),
		T(test_caserec_format_unmarked_format2),
		T(test_caserec_migrate_refuses_duplicate_seq),
		T(test_caserec_check_finds_stale_summary),
	};

	return (cmocka_run_group_tests_name("caserec", tests, NULL, NULL));
}
