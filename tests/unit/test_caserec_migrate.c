/* SPDX-License-Identifier: MIT */
/*
 * test_caserec_migrate.c - unit tests of the database's case format and
 * its conversion (server/caserec.c: caserec_format, caserec_migrate) on a
 * real LMDB environment in a mkdtemp directory (the fixture of
 * support_caserec.h), with hand-written format-1 documents: the format of
 * a fresh, a format-1 and an unmarked format-2 database; what the
 * conversion writes (heads, step records, index entries), a database
 * with both formats, what it refuses without changing anything, and
 * running it again.
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

#include "support_caserec.h"

/* Short names of the fixture's constants (support_caserec.h). */
#define SEP    CASEREC_SEP
#define ID1    TSUPPORT_REC_ID1
#define ID2    TSUPPORT_REC_ID2
#define ID10   TSUPPORT_REC_ID10
#define NOCASE TSUPPORT_REC_NOCASE
#define FILER  TSUPPORT_REC_FILER
#define CC1    TSUPPORT_REC_CC1

/* ---- format 1 ------------------------------------------------------- */

/* The database's case format, as caserec_format reads it. */
static int
format_of(struct tsupport_recfx *fx)
{
	struct store_txn *txn = tsupport_rec_read(fx);
	int               f   = -1;

	assert_int_equal(caserec_format(txn, &f), WAGE_OK);
	store_read_end(txn);
	return (f);
}

/* Hand-written format-1 documents: the whole case, steps with their
 * seqs, under its id. */
static json_t *
f1_doc(const char *id, json_int_t rev, const char *state, const char *region,
    const char *rep, json_t *steps)
{
	json_t *d = tsupport_case_doc(rev, state, region, rep, CC1);

	json_object_set_new(d, "id", json_string(id));
	json_object_set_new(d, "steps", steps);
	json_object_set_new(d, "policy", json_string("d3aac17c"));
	return (d);
}

static void
put_f1(struct tsupport_recfx *fx, const char *key, const json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT);

	assert_non_null(text);
	tsupport_put_text(fx, DB_CASES, key, text);
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
step_record(struct tsupport_recfx *fx, const char *id, uint64_t seq)
{
	struct store_txn *txn = tsupport_rec_read(fx);
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
count(struct tsupport_recfx *fx, enum store_db db)
{
	struct store_txn *txn = tsupport_rec_read(fx);
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
	struct tsupport_recfx *fx = *state;
	json_t                *c[3];
	int                    i;

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
	struct tsupport_recfx *fx = *state;
	struct migrate         m;
	json_t                *c[3], *got, *want, *s, *idx;
	const json_t          *st;
	char                  *before, *after;
	size_t                 i, j;

	f1_cases(c);
	/* c[1] under ID2 names another case: the key wins. */
	json_object_set_new(c[1], "id", json_string(NOCASE));
	for (i = 0; i < 3; i++) {
		put_f1(fx, i == 0 ? ID1 : i == 1 ? ID2 : ID10, c[i]);
	}
	json_object_set_new(c[1], "id", json_string(ID2));
	/* Format-1 index entries: summaries with the id, one stale. */
	tsupport_put_text(fx, DB_BY_REGION, "370102" SEP ID1,
	    "{\"id\":\"" ID1 "\",\"state\":\"mediation\",\"revision\":3}");
	tsupport_put_text(fx, DB_BY_STATE, "intake" SEP "370102" SEP ID1,
	    "{\"id\":\"" ID1 "\",\"state\":\"intake\",\"revision\":2}");
	assert_int_equal(format_of(fx), 1);

	memset(&m, 0, sizeof(m));
	assert_int_equal(tsupport_rec_write(fx, migrate_apply, &m), WAGE_OK);
	assert_int_equal(m.ncases, 3);
	assert_int_equal(m.nsteps, 3);
	assert_int_equal(format_of(fx), CASEREC_FORMAT);
	assert_int_equal(count(fx, DB_CASES), 3);
	assert_int_equal(count(fx, DB_STEPS), 3);
	assert_int_equal(count(fx, DB_BY_STATE), 3); /* the stale one gone */
	tsupport_want_check(fx, 0, NULL);

	for (i = 0; i < 3; i++) {
		const char *id =
		    json_string_value(json_object_get(c[i], "id"));
		struct store_txn *txn = tsupport_rec_read(fx);
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
		got = tsupport_rec_get(fx, id, 1);
		tsupport_want_equal(got, c[i], id);
		json_decref(got);
		/* One record per step, without the seq. */
		json_array_foreach (json_object_get(c[i], "steps"), j, st) {
			s    = step_record(fx, id,
			       (uint64_t) json_integer_value(
			           json_object_get(st, "seq")));
			want = json_deep_copy(st);
			json_object_del(want, "seq");
			assert_null(json_object_get(s, "seq"));
			tsupport_want_equal(s, want, "step record");
			json_decref(want);
			json_decref(s);
		}
	}
	/* The index entries hold the summary of the head, without the id. */
	tsupport_want_entries(fx, TSUPPORT_DOCS(c[0], c[1], c[2]),
	    TSUPPORT_KEYS("by_region:370102|" ID1,
	        "by_state:mediation|370102|" ID1, "by_org:" FILER "|" ID1,
	        "by_org:Union A|" ID1, "by_credit:" CC1 "|" ID1,
	        "by_region:370203|" ID2, "by_state:intake|370203|" ID2,
	        "by_org:" FILER "|" ID2, "by_credit:" CC1 "|" ID2,
	        "by_region:370102|" ID10,
	        "by_state:closed_withdrawn|370102|" ID10,
	        "by_org:" FILER "|" ID10, "by_credit:" CC1 "|" ID10));
	idx = tsupport_rec_indexes(fx);
	got =
	    json_loads(json_string_value(json_object_get(
	                   json_object_get(idx, "by_region"), "370203|" ID2)),
	        0, NULL);
	want = tsupport_rec_get(fx, ID2, 0);
	s    = caserec_summary(want);
	tsupport_want_equal(got, s, "summary of " ID2);
	assert_null(json_object_get(got, "id"));
	json_decref(s);
	json_decref(want);
	json_decref(got);
	json_decref(idx);

	/* Run again on the converted database: nothing to convert, nothing
	 * changed. */
	before = tsupport_rec_snapshot(fx);
	memset(&m, 0, sizeof(m));
	assert_int_equal(tsupport_rec_write(fx, migrate_apply, &m), WAGE_OK);
	assert_int_equal(m.ncases, 3);
	assert_int_equal(m.nsteps, 0);
	after = tsupport_rec_snapshot(fx);
	assert_string_equal(before, after);
	free(before);
	free(after);
	tsupport_want_check(fx, 0, NULL);
	for (i = 0; i < 3; i++) {
		json_decref(c[i]);
	}
}

/* A database with both: a format-2 head (a conversion cut short, or a
 * case filed by the new version) and a format-1 document. */
static void
test_caserec_migrate_mixed(void **state)
{
	struct tsupport_recfx *fx = *state;
	struct migrate         m;
	json_t                *c[3], *got;
	int                    i;

	f1_cases(c);
	tsupport_rec_save(fx, c[0], NULL);
	put_f1(fx, ID10, c[2]);
	memset(&m, 0, sizeof(m));
	assert_int_equal(tsupport_rec_write(fx, migrate_apply, &m), WAGE_OK);
	assert_int_equal(m.ncases, 2);
	assert_int_equal(m.nsteps, 1); /* only the format-1 case's */
	for (i = 0; i < 3; i += 2) {
		got = tsupport_rec_get(
		    fx, json_string_value(json_object_get(c[i], "id")), 1);
		tsupport_want_equal(got, c[i], "converted case");
		json_decref(got);
	}
	tsupport_want_check(fx, 0, NULL);
	for (i = 0; i < 3; i++) {
		json_decref(c[i]);
	}
}

/* migrate refuses doc (under ID2, after a good case): nothing changed. */
static void
want_refused(struct tsupport_recfx *fx, const char *text)
{
	struct migrate m;
	json_t        *c[3];
	char          *before, *after;
	int            i;

	f1_cases(c);
	put_f1(fx, ID1, c[0]);
	tsupport_put_text(fx, DB_CASES, ID2, text);
	before = tsupport_rec_snapshot(fx);
	memset(&m, 0, sizeof(m));
	assert_int_equal(
	    tsupport_rec_write(fx, migrate_apply, &m), WAGE_E_INTERNAL);
	after = tsupport_rec_snapshot(fx);
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

/* A database of format 2 without the mark (made by hand, or by a tool)
 * is read as format 2, not sent to migration. */
static void
test_caserec_format_unmarked_format2(void **state)
{
	struct tsupport_recfx *fx = *state;
	json_t *a = tsupport_case_doc(1, "intake", "370102", NULL, CC1);

	tsupport_rec_save(fx, a, NULL);
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

#define T(f)                             \
	cmocka_unit_test_setup_teardown( \
	    f, tsupport_rec_setup, tsupport_rec_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_caserec_format_of_fresh_db),
		T(test_caserec_migrate_format1),
		T(test_caserec_migrate_mixed),
		T(test_caserec_migrate_refuses_step_without_seq),
		T(test_caserec_migrate_refuses_seq_not_a_number),
		T(test_caserec_migrate_refuses_seq_zero),
		T(test_caserec_migrate_refuses_no_revision),
		T(test_caserec_migrate_refuses_not_json),
		T(test_caserec_format_unmarked_format2),
		T(test_caserec_migrate_refuses_duplicate_seq),
	};

	return (
	    cmocka_run_group_tests_name("caserec_migrate", tests, NULL, NULL));
}
