/* SPDX-License-Identifier: MIT */
/*
 * test_caserec_check.c - unit tests of caserec_check (server/caserec.c)
 * on a real LMDB environment in a mkdtemp directory (the fixture of
 * support_caserec.h): a sound database, then each kind of damage done
 * behind caserec's back in a txn that is aborted after the check ran in
 * it (an index entry missing, one beyond what the cases need, a stale
 * summary, a step for no case or under a malformed key, a head that does
 * not decode).
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
#define NOCASE TSUPPORT_REC_NOCASE
#define CC1    TSUPPORT_REC_CC1
#define CC2    TSUPPORT_REC_CC2

/* ---- caserec_check -------------------------------------------------- */

/* Damage done in a txn that is then aborted, after caserec_check ran in
 * it: each kind on the same sound database. */
struct damage {
	struct tsupport_raw raw;
	int                 bad;
	char                problem[256];
};

static int
damage_apply(struct store_txn *txn, void *arg)
{
	struct damage *d = arg;
	int            rc;

	if ((rc = tsupport_raw_apply(txn, &d->raw)) != WAGE_OK ||
	    (rc = caserec_check(
	         txn, &d->bad, d->problem, sizeof(d->problem))) != WAGE_OK) {
		return (rc);
	}
	return (WAGE_E_BUSY); /* abort: the next starts sound */
}

static void
want_damage(struct tsupport_recfx *fx, const struct tsupport_raw *raw,
    const char *problem)
{
	struct damage d;

	memset(&d, 0, sizeof(d));
	d.raw = *raw;
	d.bad = -1;
	assert_int_equal(
	    tsupport_rec_write(fx, damage_apply, &d), WAGE_E_BUSY);
	if (d.bad != 1 || strstr(d.problem, problem) == NULL) {
		fail_msg("damage to %s %s: bad %d (%s), want %s",
		    tsupport_dbnames[raw->db], raw->key, d.bad, d.problem,
		    problem);
	}
	tsupport_want_check(fx, 0, NULL);
}

static void
test_caserec_check_finds_damage(void **state)
{
	static const char      f1[] = "{\"state\":\"intake\",\"revision\":1}";
	struct tsupport_recfx *fx   = *state;
	json_t                *a, *b;
	char                   head[64];
	size_t                 n;

	/* An empty database is sound. */
	tsupport_want_check(fx, 0, NULL);
	a = tsupport_case_doc(2, "intake", "370102", "Union A", CC1);
	json_object_set_new(a, "steps",
	    json_pack("[{s:i, s:s}]", "seq", 2, "event", "supplement"));
	b = tsupport_case_doc(1, "mediation", "370203", NULL, CC2);
	json_object_set_new(b, "id", json_string(ID2));
	tsupport_rec_save(fx, a, NULL);
	tsupport_rec_save(fx, b, NULL);
	tsupport_want_check(fx, 0, NULL);

	/* A missing entry of each index. */
	want_damage(fx,
	    &(struct tsupport_raw) {
	        DB_BY_STATE, "intake" SEP "370102" SEP ID1, NULL, 0, 1 },
	    "case " ID1 ": missing from an index");
	want_damage(fx,
	    &(struct tsupport_raw) {
	        DB_BY_REGION, "370203" SEP ID2, NULL, 0, 1 },
	    "case " ID2 ": missing from an index");
	want_damage(fx,
	    &(struct tsupport_raw) {
	        DB_BY_ORG, "Union A" SEP ID1, NULL, 0, 1 },
	    "missing from an index");
	want_damage(fx,
	    &(struct tsupport_raw) { DB_BY_CREDIT, CC2 SEP ID2, NULL, 0, 1 },
	    "missing from an index");
	/* An entry beyond those: for no case, a stale state, an org. */
	want_damage(fx,
	    &(struct tsupport_raw) {
	        DB_BY_REGION, "370102" SEP NOCASE, "{}", 2, 0 },
	    "index by_region has 3 entries, the cases need 2");
	want_damage(fx,
	    &(struct tsupport_raw) {
	        DB_BY_STATE, "mediation" SEP "370102" SEP ID1, "{}", 2, 0 },
	    "index by_state has 3 entries");
	want_damage(fx,
	    &(struct tsupport_raw) {
	        DB_BY_ORG, "Legal Aid B" SEP ID2, "{}", 2, 0 },
	    "index by_org has 4 entries, the cases need 3");
	want_damage(fx,
	    &(struct tsupport_raw) { DB_BY_CREDIT, CC1 SEP ID2, "", 0, 0 },
	    "index by_credit has 3 entries");
	/* A step whose case is not stored, and a malformed step key. */
	want_damage(fx,
	    &(struct tsupport_raw) { DB_STEPS, NOCASE SEP "0000000000000004",
	        "{\"event\":\"x\"}", 13, 0 },
	    "case " NOCASE ": a step is stored for no case");
	want_damage(fx,
	    &(struct tsupport_raw) {
	        DB_STEPS, ID1 "-0000000000000004", "{}", 2, 0 },
	    "a step key is malformed");
	/* A head that does not decode: cut, or a format-1 document. */
	n = tsupport_hand_head(head, sizeof(head), 2, "{\"state\":");
	want_damage(fx, &(struct tsupport_raw) { DB_CASES, ID1, head, n, 0 },
	    "case " ID1 ": the stored head does not decode");
	want_damage(fx,
	    &(struct tsupport_raw) { DB_CASES, ID2, f1, strlen(f1), 0 },
	    "case " ID2 ": the stored head does not decode");
	/* A case whose indexed fields changed without its entries. */
	n = tsupport_hand_head(head, sizeof(head), 3,
	    "{\"state\":\"closed\",\"region\":\"370203\"}");
	want_damage(fx, &(struct tsupport_raw) { DB_CASES, ID2, head, n, 0 },
	    "case " ID2 ": an index entry's summary differs from the case");
	json_decref(a);
	json_decref(b);
}

/* An index entry whose summary is not the case's own. */
static void
test_caserec_check_finds_stale_summary(void **state)
{
	struct tsupport_recfx *fx = *state;
	json_t *a = tsupport_case_doc(1, "intake", "370102", NULL, CC1);

	tsupport_rec_save(fx, a, NULL);
	tsupport_want_check(fx, 0, NULL);
	want_damage(fx,
	    &(struct tsupport_raw) { DB_BY_REGION, "370102" SEP ID1,
	        "{\"state\":\"closed\",\"revision\":99}", 32, 0 },
	    "case " ID1 ": an index entry's summary differs from the case");
	json_decref(a);
}

#define T(f)                             \
	cmocka_unit_test_setup_teardown( \
	    f, tsupport_rec_setup, tsupport_rec_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_caserec_check_finds_damage),
		T(test_caserec_check_finds_stale_summary),
	};

	return (
	    cmocka_run_group_tests_name("caserec_check", tests, NULL, NULL));
}
