/* SPDX-License-Identifier: MIT */
/*
 * test_caserec.c - unit tests of server/caserec.c on a real LMDB
 * environment in a mkdtemp directory (the fixture of support_caserec.h):
 * the head's encoding (header, revision, JSON without id, revision and
 * steps) and its decoding back, the reuse of unchanged members' encoding,
 * caserec_head_revision on good and bad values, the index entries
 * caserec_put adds, moves and removes as a case changes (and the same
 * records when it is applied twice in one txn), the step records and their
 * join (seq order by key, "[]" for none, no neighbour's steps), and
 * caserec_key_id. caserec_check's damage tests are in
 * test_caserec_check.c, the format-1 conversion in test_caserec_migrate.c.
 */
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

#include "support_caserec.h"

/* Short names of the fixture's constants (support_caserec.h). */
#define SEP    CASEREC_SEP
#define ID1    TSUPPORT_REC_ID1
#define ID2    TSUPPORT_REC_ID2
#define ID10   TSUPPORT_REC_ID10
#define NOCASE TSUPPORT_REC_NOCASE
#define FILER  TSUPPORT_REC_FILER
#define CC1    TSUPPORT_REC_CC1
#define CC2    TSUPPORT_REC_CC2

/* ---- puts, step records, bodies ------------------------------------- */

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
put_case(
    struct tsupport_recfx *fx, const json_t *doc, const json_t *old, int times)
{
	struct put p = { ID1, doc, old, times };

	assert_int_equal(tsupport_rec_write(fx, put_apply, &p), WAGE_OK);
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
put_step(
    struct tsupport_recfx *fx, const char *id, uint64_t seq, const char *text)
{
	struct step s = { id, seq, text };

	assert_int_equal(tsupport_rec_write(fx, step_apply, &s), WAGE_OK);
}

/* The steps text of case id (new string). */
static char *
steps_text(struct tsupport_recfx *fx, const char *id)
{
	struct store_txn *txn = tsupport_rec_read(fx);
	char             *t   = NULL;
	size_t            n   = 0;

	assert_int_equal(caserec_steps_text(txn, id, &t, &n), WAGE_OK);
	store_read_end(txn);
	assert_non_null(t);
	assert_int_equal(n, strlen(t));
	return (t);
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
	doc = tsupport_case_doc(
	    0x0102030405060708LL, "intake", "370102", "工会", CC1);
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
	tsupport_want_equal(body, want, "head JSON");
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
	tsupport_want_equal(got, want, "decoded head");
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
	tsupport_want_equal(sum, wsum, "summary");
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
	json_t *doc = tsupport_case_doc(1, "intake", "370102", NULL, CC1);

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
	n = tsupport_hand_head(buf, sizeof(buf), 1, "");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	assert_null(doc);
	/* JSON that is cut, not an object, or followed by more. */
	n = tsupport_hand_head(buf, sizeof(buf), 1, "{\"state\":");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	n = tsupport_hand_head(buf, sizeof(buf), 1, "[1]");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	assert_null(doc);
	n = tsupport_hand_head(buf, sizeof(buf), 1, "{} {}");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	/* A revision no JSON integer can hold. */
	n = tsupport_hand_head(
	    buf, sizeof(buf), (uint64_t) INT64_MAX + 1, "{}");
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, &rev), WAGE_E_INTERNAL);
	assert_null(doc);
	/* The format marker must be 2. */
	n      = tsupport_hand_head(buf, sizeof(buf), 1, "{}");
	buf[3] = 0x01;
	assert_int_equal(
	    caserec_decode(ID1, buf, n, &doc, NULL), WAGE_E_INTERNAL);
	/* A hand-made head naming another id or revision: the key and the
	 * header win. */
	n = tsupport_hand_head(buf, sizeof(buf), 5,
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
	json_t  *doc = tsupport_case_doc(42, "intake", "370102", NULL, CC1);
	char     buf[64];
	uint64_t rev = 0;
	size_t   n;

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
	n = tsupport_hand_head(buf, sizeof(buf), UINT64_MAX, "{}");
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
	n      = tsupport_hand_head(buf, sizeof(buf), 42, "{}");
	buf[3] = 0x03;
	assert_int_equal(caserec_head_revision(buf, n, &rev), WAGE_E_INTERNAL);
	buf[3] = 0x02;
	buf[0] = 'w';
	assert_int_equal(caserec_head_revision(buf, n, &rev), WAGE_E_INTERNAL);
	assert_int_equal(rev, 7);
	caserec_enc_fini(&e);
	json_decref(doc);
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
	a = tsupport_case_doc(1, "intake", "370102", "Union A", CC1);
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

/* ---- index entries -------------------------------------------------- */

static void
test_caserec_put_index_entries(void **state)
{
	struct tsupport_recfx *fx = *state;
	struct caserec_enc     e;
	json_t                *v[9], *got;
	struct store_txn      *txn;
	MDB_val                val;
	int                    i;

	v[0] = tsupport_case_doc(1, "intake", "370102", "Union A", CC1);
	put_case(fx, v[0], NULL, 1);
	tsupport_want_entries(fx, TSUPPORT_DOCS(v[0]),
	    TSUPPORT_KEYS("by_region:370102|" ID1,
	        "by_state:intake|370102|" ID1, "by_org:" FILER "|" ID1,
	        "by_org:Union A|" ID1, "by_credit:" CC1 "|" ID1));
	/* The head is what caserec_encode made. */
	assert_int_equal(caserec_encode(v[0], NULL, &e, NULL), WAGE_OK);
	txn = tsupport_rec_read(fx);
	assert_int_equal(caserec_head(txn, ID1, &val), WAGE_OK);
	assert_int_equal(val.mv_size, e.headlen);
	assert_memory_equal(val.mv_data, e.head, e.headlen);
	store_read_end(txn);
	caserec_enc_fini(&e);

	/* The state changes: by_state moves; the entries that stay hold
	 * the new summary (revision 2). */
	v[1] = tsupport_case_doc(2, "mediation", "370102", "Union A", CC1);
	put_case(fx, v[1], v[0], 1);
	tsupport_want_entries(fx, TSUPPORT_DOCS(v[1]),
	    TSUPPORT_KEYS("by_region:370102|" ID1,
	        "by_state:mediation|370102|" ID1, "by_org:" FILER "|" ID1,
	        "by_org:Union A|" ID1, "by_credit:" CC1 "|" ID1));
	/* The region: by_region and by_state. */
	v[2] = tsupport_case_doc(3, "mediation", "370203", "Union A", CC1);
	put_case(fx, v[2], v[1], 1);
	tsupport_want_entries(fx, TSUPPORT_DOCS(v[2]),
	    TSUPPORT_KEYS("by_region:370203|" ID1,
	        "by_state:mediation|370203|" ID1, "by_org:" FILER "|" ID1,
	        "by_org:Union A|" ID1, "by_credit:" CC1 "|" ID1));
	/* Another representative. */
	v[3] = tsupport_case_doc(4, "mediation", "370203", "Legal Aid B", CC1);
	put_case(fx, v[3], v[2], 1);
	tsupport_want_entries(fx, TSUPPORT_DOCS(v[3]),
	    TSUPPORT_KEYS("by_region:370203|" ID1,
	        "by_state:mediation|370203|" ID1, "by_org:" FILER "|" ID1,
	        "by_org:Legal Aid B|" ID1, "by_credit:" CC1 "|" ID1));
	/* None. */
	v[4] = tsupport_case_doc(5, "mediation", "370203", NULL, CC1);
	put_case(fx, v[4], v[3], 1);
	tsupport_want_entries(fx, TSUPPORT_DOCS(v[4]),
	    TSUPPORT_KEYS("by_region:370203|" ID1,
	        "by_state:mediation|370203|" ID1, "by_org:" FILER "|" ID1,
	        "by_credit:" CC1 "|" ID1));
	/* The filing office itself: one entry, not two. */
	v[5] = tsupport_case_doc(6, "mediation", "370203", FILER, CC1);
	put_case(fx, v[5], v[4], 1);
	tsupport_want_entries(fx, TSUPPORT_DOCS(v[5]),
	    TSUPPORT_KEYS("by_region:370203|" ID1,
	        "by_state:mediation|370203|" ID1, "by_org:" FILER "|" ID1,
	        "by_credit:" CC1 "|" ID1));
	/* From the filer back to another: the filer's entry stays. */
	v[6] = tsupport_case_doc(7, "mediation", "370203", "Union A", CC1);
	put_case(fx, v[6], v[5], 1);
	tsupport_want_entries(fx, TSUPPORT_DOCS(v[6]),
	    TSUPPORT_KEYS("by_region:370203|" ID1,
	        "by_state:mediation|370203|" ID1, "by_org:" FILER "|" ID1,
	        "by_org:Union A|" ID1, "by_credit:" CC1 "|" ID1));
	/* The respondent's credit code. */
	v[7] = tsupport_case_doc(8, "mediation", "370203", "Union A", CC2);
	put_case(fx, v[7], v[6], 1);
	tsupport_want_entries(fx, TSUPPORT_DOCS(v[7]),
	    TSUPPORT_KEYS("by_region:370203|" ID1,
	        "by_state:mediation|370203|" ID1, "by_org:" FILER "|" ID1,
	        "by_org:Union A|" ID1, "by_credit:" CC2 "|" ID1));
	/* Everything at once, applied twice in one txn (a batch applied
	 * again after an abort): the same records as once. */
	v[8] =
	    tsupport_case_doc(9, "arbitration", "370102", "Legal Aid B", CC1);
	put_case(fx, v[8], v[7], 2);
	tsupport_want_entries(fx, TSUPPORT_DOCS(v[8]),
	    TSUPPORT_KEYS("by_region:370102|" ID1,
	        "by_state:arbitration|370102|" ID1, "by_org:" FILER "|" ID1,
	        "by_org:Legal Aid B|" ID1, "by_credit:" CC1 "|" ID1));
	got = tsupport_rec_get(fx, ID1, 0);
	tsupport_want_equal(got, v[8], "stored case");
	json_decref(got);
	tsupport_want_check(fx, 0, NULL);
	for (i = 0; i < 9; i++) {
		json_decref(v[i]);
	}
}

static void
test_caserec_put_twice_new_case(void **state)
{
	struct tsupport_recfx *fx = *state;
	json_t                *doc, *got;
	char                  *once, *twice;

	doc = tsupport_case_doc(1, "intake", "370102", "Union A", CC1);
	put_case(fx, doc, NULL, 1);
	once = tsupport_rec_snapshot(fx);
	put_case(fx, doc, NULL, 2);
	twice = tsupport_rec_snapshot(fx);
	assert_string_equal(once, twice);
	tsupport_want_entries(fx, TSUPPORT_DOCS(doc),
	    TSUPPORT_KEYS("by_region:370102|" ID1,
	        "by_state:intake|370102|" ID1, "by_org:" FILER "|" ID1,
	        "by_org:Union A|" ID1, "by_credit:" CC1 "|" ID1));
	got = tsupport_rec_get(fx, ID1, 1);
	json_object_set_new(doc, "steps", json_array());
	tsupport_want_equal(got, doc, "stored case");
	json_decref(got);
	json_decref(doc);
	free(once);
	free(twice);
}

/* Another case's entries are not touched by a change of ID1. */
static void
test_caserec_put_leaves_other_cases(void **state)
{
	struct tsupport_recfx *fx = *state;
	json_t                *a, *b, *a2, *got;

	a = tsupport_case_doc(1, "intake", "370102", "Union A", CC1);
	b = json_deep_copy(a);
	json_object_set_new(b, "id", json_string(ID10));
	tsupport_rec_save(fx, a, NULL);
	tsupport_rec_save(fx, b, NULL);
	a2 = tsupport_case_doc(2, "closed_withdrawn", "370203", NULL, CC2);
	tsupport_rec_save(fx, a2, a);
	got = tsupport_rec_indexes(fx);
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
	tsupport_want_check(fx, 0, NULL);
	json_decref(a);
	json_decref(a2);
	json_decref(b);
}

/* ---- steps ---------------------------------------------------------- */

static void
test_caserec_steps_join(void **state)
{
	struct tsupport_recfx *fx = *state;
	json_t                *doc, *got, *want;
	struct store_txn      *txn;
	MDB_val                v;
	char                  *t;

	/* None, for a case or for no case at all. */
	t = steps_text(fx, ID1);
	assert_string_equal(t, "[]");
	free(t);
	doc = tsupport_case_doc(1, "intake", "370102", NULL, CC1);
	tsupport_rec_save(fx, doc, NULL);
	t = steps_text(fx, ID1);
	assert_string_equal(t, "[]");
	free(t);
	got = tsupport_rec_get(fx, ID1, 1);
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
	txn = tsupport_rec_read(fx);
	assert_int_equal(
	    store_get(txn, DB_STEPS, ID1 SEP "0000000100000000", 30, &v),
	    WAGE_OK);
	assert_int_equal(v.mv_size, strlen("{\"event\":\"d\",\"fields\":{}}"));
	assert_int_equal(
	    store_get(txn, DB_STEPS, ID1 SEP "00000000000000ff", 30, &v),
	    WAGE_OK);
	store_read_end(txn);

	/* caserec_get joins them in as "steps". */
	got  = tsupport_rec_get(fx, ID1, 1);
	want = json_pack("[{s:i, s:s, s:{s:s}}, {s:i, s:s}, {s:i}, {s:I, "
	                 "s:s, s:{}}]",
	    "seq", 2, "event", "a", "by", "name", "张伟", "seq", 16, "event",
	    "b", "seq", 255, "seq", (json_int_t) 0x100000000LL, "event", "d",
	    "fields");
	tsupport_want_equal(json_object_get(got, "steps"), want, "steps");
	json_decref(want);
	json_decref(got);
	got = tsupport_rec_get(fx, ID1, 0);
	assert_null(json_object_get(got, "steps"));
	json_decref(got);
	json_decref(doc);
}

static void
test_caserec_step_encode_and_put_refusals(void **state)
{
	struct tsupport_recfx *fx = *state;
	struct step            s;
	json_t                *step;
	char                  *t;
	size_t                 n = 0;

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
	assert_int_equal(
	    tsupport_rec_write(fx, step_apply, &s), WAGE_E_INTERNAL);
	s.text = "{";
	assert_int_equal(
	    tsupport_rec_write(fx, step_apply, &s), WAGE_E_INTERNAL);
	s.text = "";
	assert_int_equal(
	    tsupport_rec_write(fx, step_apply, &s), WAGE_E_INTERNAL);
	t = steps_text(fx, ID1);
	assert_string_equal(t, "[]");
	free(t);
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

#define T(f)                             \
	cmocka_unit_test_setup_teardown( \
	    f, tsupport_rec_setup, tsupport_rec_teardown)

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
		cmocka_unit_test(test_caserec_key_id),
		cmocka_unit_test(test_caserec_encode_reuses_unchanged_members),
	};

	return (cmocka_run_group_tests_name("caserec", tests, NULL, NULL));
}
