/* SPDX-License-Identifier: MIT */
/*
 * test_report.c - unit tests of server/report.c on a real LMDB store in a
 * mkdtemp directory, filled with generated cases: several cities and
 * counties of Shandong, a city-level case, cases of another province, a
 * state the policy does not know, and every way a case can end. The
 * generator writes down what each case is (its path through the policy,
 * the days it took to close, its money) and the expected figures are
 * tallied from that record, not from the documents, so report.c is
 * checked against an independent count.
 *
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "policy.h"
#include "report.h"
#include "caserec.h"
#include "store.h"

#include "support_policy.h"
#include "support_store.h"

#define NCASES 640
#define FROM   "2024-01-01"
#define TO     "2024-03-31"

/* ---- the paths a case can take ------------------------------------- */

/* One way through the policy, with what it means for the figures. */
struct path {
	const char *events[6]; /* fired in order */
	const char *tos[6];    /* the state each leads to */
	const char *phase;     /* of the final state: or "other" */
	int         accepted, mediated, awarded;
	int         final; /* award's final: 1 true, 0 false, -1 absent */
	int         paid;  /* ends with confirm_paid */
};

static const struct path paths[] = {
	/* 0 still in intake */
	{ { NULL }, { NULL }, "intake", 0, 0, 0, -1, 0 },
	{ { "supplement" }, { "intake" }, "intake", 0, 0, 0, -1, 0 },
	{ { "refuse" }, { "closed_refused" }, "closed", 0, 0, 0, -1, 0 },
	{ { "transfer" }, { "closed_transferred" }, "closed", 0, 0, 0, -1, 0 },
	{ { "accept" }, { "mediation" }, "mediation", 1, 0, 0, -1, 0 },
	/* 5 */
	{ { "accept", "mediation_agreement" }, { "mediation", "mediated" },
	    "mediation", 1, 1, 0, -1, 0 },
	{ { "accept", "mediation_agreement", "confirm_paid" },
	    { "mediation", "mediated", "closed_paid" }, "closed", 1, 1, 0, -1,
	    1 },
	{ { "accept", "mediation_agreement", "payment_order" },
	    { "mediation", "mediated", "closed_court" }, "closed", 1, 1, 0, -1,
	    0 },
	{ { "accept", "mediation_agreement", "payment_default" },
	    { "mediation", "mediated", "arbitration" }, "arbitration", 1, 1, 0,
	    -1, 0 },
	{ { "accept_arbitration" }, { "arbitration" }, "arbitration", 1, 0, 0,
	    -1, 0 },
	/* 10 */
	{ { "accept_arbitration", "hearing_scheduled", "arbitration_settled" },
	    { "arbitration", "arbitration", "closed_mediated" }, "closed", 1,
	    1, 0, -1, 0 },
	{ { "accept", "mediation_failed", "award" },
	    { "mediation", "arbitration", "awarded" }, "arbitration", 1, 0, 1,
	    1, 0 },
	{ { "accept_arbitration", "award", "award_effective" },
	    { "arbitration", "awarded", "closed_awarded" }, "closed", 1, 0, 1,
	    0, 0 },
	{ { "accept_arbitration", "extend", "award", "confirm_paid" },
	    { "arbitration", "arbitration", "awarded", "closed_paid" },
	    "closed", 1, 0, 1, -1, 1 },
	{ { "accept_arbitration", "award", "litigation" },
	    { "arbitration", "awarded", "closed_litigation" }, "closed", 1, 0,
	    1, 1, 0 },
	/* 15 */
	{ { "withdraw" }, { "closed_withdrawn" }, "closed", 0, 0, 0, -1, 0 },
	{ { "accept", "refer_inspection" },
	    { "mediation", "closed_inspection" }, "closed", 1, 0, 0, -1, 0 },
	{ { "accept_arbitration", "refer_police" },
	    { "arbitration", "closed_police" }, "closed", 1, 0, 0, -1, 0 },
	{ { "accept", "mediation_agreement", "payment_default", "award",
	      "enforcement" },
	    { "mediation", "mediated", "arbitration", "awarded",
	        "closed_court" },
	    "closed", 1, 1, 1, 1, 0 },
	{ { "accept", "apply_arbitration", "award" },
	    { "mediation", "arbitration", "awarded" }, "arbitration", 1, 0, 1,
	    -1, 0 },
	/* 20 a state this policy does not have (an older policy's) */
	{ { "accept" }, { "legacy_review" }, "other", 1, 0, 0, -1, 0 },
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

/* Where cases are: counties of four cities, a city-level case, and two
 * places outside Shandong (one in a city with no name known). */
static const char *const regions[] = { "370102", "370103", "370112", "370100",
	"370202", "370211", "370302", "371302", "371311", "371321", "410105",
	"110105" };
#define NREGIONS (sizeof(regions) / sizeof(regions[0]))

#define NPOOL 11 /* respondents that recur */

/* What the generator made; the expected figures come from this. */
struct gen_case {
	char      id[WAGE_CASE_ID_MAX];
	char      region[7];
	char      received[11];
	size_t    path;
	long long claim_fen, paid_fen;
	int       workers;
	int       days; /* to the closing step; -1 when not closed */
	char      credit[19];
	char      name[64];
};

static struct {
	char            base[64];
	struct store   *s;
	struct policy  *p;
	struct gen_case cases[NCASES];
	size_t          n;
} g;

/* ---- dates, independently of calendar.c ----------------------------- */

static long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468);
}

static void
civil_from_days(long z, char *buf, size_t len)
{
	long era, doe, yoe, y, doy, mp, d, m;
	char tmp[80];

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y   = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp  = (5 * doy + 2) / 153;
	d   = doy - (153 * mp + 2) / 5 + 1;
	m   = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	/* Through a buffer of room enough for any long: no truncation. */
	snprintf(tmp, sizeof(tmp), "%04ld-%02ld-%02ld", y, m, d);
	snprintf(buf, len, "%.10s", tmp);
}

/* ---- the generator -------------------------------------------------- */

static uint32_t rng_state = 20240101u;

static uint32_t
rnd(uint32_t n)
{
	/* xorshift32: the same cases on every run. */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return (rng_state % n);
}

static json_t *
fields_for(const char *ev, long day, long long claim, long long *paid)
{
	char d[11];

	civil_from_days(day, d, sizeof(d));
	if (strcmp(ev, "transfer") == 0) {
		return (json_pack("{s:s, s:s}", "receiving_body",
		    "济南市历下区劳动保障监察大队", "reason", "不属本委管辖"));
	}
	if (strcmp(ev, "mediation_agreement") == 0) {
		return (
		    json_pack("{s:I, s:s}", "amount_fen", claim, "pay_by", d));
	}
	if (strcmp(ev, "arbitration_settled") == 0) {
		return (json_pack("{s:I}", "amount_fen", claim));
	}
	if (strcmp(ev, "confirm_paid") == 0) {
		*paid = claim - (long long) rnd(3) * 1000;
		return (json_pack(
		    "{s:I, s:s}", "amount_paid_fen", *paid, "paid_on", d));
	}
	if (strcmp(ev, "hearing_scheduled") == 0) {
		return (json_pack("{s:s}", "hearing_date", d));
	}
	if (strcmp(ev, "extend") == 0) {
		return (
		    json_pack("{s:i, s:s}", "days", 15, "reason", "案情复杂"));
	}
	if (strcmp(ev, "supplement") == 0) {
		return (json_pack("{s:s}", "materials", "工资条"));
	}
	if (strcmp(ev, "payment_order") == 0 ||
	    strcmp(ev, "enforcement") == 0 || strcmp(ev, "litigation") == 0) {
		return (json_pack("{s:s, s:s}", "court",
		    "济南市历下区人民法院", "reason", "依法"));
	}
	if (strcmp(ev, "accept") == 0) {
		return (json_object());
	}
	return (json_pack("{s:s}", "reason", "依法处理"));
}

/* make_case builds case i's document and records what it is in gc. */
static json_t *
make_case(size_t i, struct gen_case *gc)
{
	const struct path *pa;
	json_t            *doc, *steps, *claimants, *step, *fields;
	long               rday, day;
	long long          paid  = 0;
	const char        *state = "intake";
	char               at[40], d[11];
	size_t             k;

	memset(gc, 0, sizeof(*gc));
	gc->path = i % NPATHS;
	pa       = &paths[gc->path];
	snprintf(gc->id, sizeof(gc->id), "WA2024-%06zu", i + 1);
	snprintf(gc->region, sizeof(gc->region), "%s", regions[rnd(NREGIONS)]);
	/* Received from mid-December to the end of June: some before and
	 * some after the first quarter. */
	rday = days_from_civil(2023, 12, 15) + (long) rnd(200);
	civil_from_days(rday, gc->received, sizeof(gc->received));
	gc->workers   = 1 + (int) rnd(14); /* 10 and more: collective */
	gc->claim_fen = 100000 + (long long) rnd(4900) * 1000 + rnd(100);
	gc->days      = -1;
	/* Respondents: one with many cases, a pool that recurs, and some
	 * that appear once. */
	if (i % 5 == 0) {
		snprintf(gc->credit, sizeof(gc->credit), "91370100MA%08d", 0);
		snprintf(gc->name, sizeof(gc->name), "鲁建工程有限公司");
	} else if (i % 7 == 3) {
		snprintf(gc->credit, sizeof(gc->credit), "91370100UN%08zu", i);
		snprintf(gc->name, sizeof(gc->name), "单次公司%zu", i);
	} else {
		int k2 = 1 + (int) rnd(NPOOL);

		snprintf(gc->credit, sizeof(gc->credit), "91370100MA%08d", k2);
		snprintf(gc->name, sizeof(gc->name), "%s建筑公司%d",
		    k2 == 1 && strcmp(gc->received, "2024-03-01") >= 0
		        ? "改名后"
		        : "",
		    k2);
	}

	steps = json_array();
	day   = rday;
	for (k = 0; k < 6 && pa->events[k] != NULL; k++) {
		/* Most steps take days, some drag on for weeks. */
		day += rnd(4) == 0 ? 20 + (long) rnd(60) : (long) rnd(20);
		civil_from_days(day, d, sizeof(d));
		snprintf(at, sizeof(at), "%sT10:%02u:00+08:00", d, rnd(60));
		fields = fields_for(pa->events[k], day, gc->claim_fen, &paid);
		if (strcmp(pa->events[k], "award") == 0) {
			json_object_set_new(
			    fields, "amount_fen", json_integer(gc->claim_fen));
			json_object_set_new(
			    fields, "award_date", json_string(d));
			if (pa->final >= 0) {
				json_object_set_new(
				    fields, "final", json_boolean(pa->final));
			}
		}
		step = json_pack(
		    "{s:I, s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:o}", "seq",
		    (json_int_t) (i * 10 + k), "event", pa->events[k], "from",
		    state, "to", pa->tos[k], "at", at, "by", "name", "张三",
		    "role", "clerk", "fields", fields);
		assert_non_null(step);
		json_array_append_new(steps, step);
		state = pa->tos[k];
	}
	if (strcmp(pa->phase, "closed") == 0) {
		gc->days = (int) (day - rday);
	}
	gc->paid_fen = paid;

	claimants = json_array();
	for (k = 0; k < (size_t) gc->workers; k++) {
		json_array_append_new(claimants,
		    json_pack(
		        "{s:s, s:b}", "name", "李四", "migrant_worker", 1));
	}
	doc = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:o, "
	                "s:{s:s, s:s}, s:{s:[{s:s, s:I}], s:{s:s, s:s}, s:I}, "
	                "s:{s:b, s:b}, s:s, s:{s:s}, s:o}",
	    "id", gc->id, "state", state, "revision",
	    (json_int_t) (json_array_size(steps) + 1), "policy", g.p->hash_hex,
	    "region", gc->region, "received", gc->received, "channel",
	    "walk_in", "claimants", claimants, "respondent", "name", gc->name,
	    "credit_code", gc->credit, "claim", "items", "kind", "wages",
	    "amount_fen", (json_int_t) gc->claim_fen, "period", "from",
	    "2023-06-01", "to", "2023-11-30", "total_fen",
	    (json_int_t) gc->claim_fen, "priority", "collective",
	    gc->workers >= 10, "migrant", 1, "filed_at",
	    "2024-01-01T09:00:00+08:00", "filed_by", "org",
	    "济南市劳动人事争议仲裁院", "steps", steps);
	assert_non_null(doc);
	return (doc);
}

struct put_job {
	struct store_job job;
	json_t          *docs;
};

static int
put_all(struct store_txn *txn, struct store_job *job)
{
	struct put_job *pj = (struct put_job *) (void *) job;
	json_t         *doc;
	size_t          i;
	int             rc;

	json_array_foreach (pj->docs, i, doc) {
		if ((rc = caserec_save(txn, doc, NULL)) != WAGE_OK) {
			return (rc);
		}
	}
	return (WAGE_OK);
}

static int
group_setup(void **state)
{
	struct put_job pj;
	size_t         i;

	(void) state;
	/* The store in g.base/db: the tests open more beside it. */
	if (tsupport_store_open(
	        "test_report", 64u << 20, g.base, sizeof(g.base), &g.s) != 0 ||
	    tsupport_policy_load(&g.p) != 0) {
		return (-1);
	}
	memset(&pj, 0, sizeof(pj));
	pj.docs = json_array();
	for (i = 0; i < NCASES; i++) {
		json_array_append_new(pj.docs, make_case(i, &g.cases[i]));
	}
	g.n = NCASES;
	if (store_write_now(g.s, put_all, &pj.job) != WAGE_OK) {
		return (-1);
	}
	json_decref(pj.docs);
	return (0);
}

static int
group_teardown(void **state)
{
	(void) state;
	policy_free(g.p);
	tsupport_store_close(g.s, g.base);
	return (0);
}

/* ---- expected figures, from the generator's record ------------------ */

struct expect {
	long long received, accepted, refused, transferred, in_intake,
	    in_mediation, mediated, in_arbitration, in_other, awarded,
	    awarded_final, awarded_not_final, closed, workers, claimed,
	    recovered;
	long long hist[6];
	int       days[NCASES];
	size_t    ndays;
	struct {
		const char *state;
		long long   n;
	} kinds[16];
	size_t nkinds;
};

/* A filter: which generated cases count, and in which group. */
struct sel {
	const char *from, *to; /* NULL: open */
	const char *within;    /* region prefix digits, or NULL */
	const char *hide;      /* region prefix digits hidden, or NULL */
	const char *group;     /* exact group code, or NULL for all */
	size_t      keep;      /* digits of the group code: 4 or 6 */
};

static const char *
final_state(const struct gen_case *c)
{
	const struct path *pa = &paths[c->path];
	const char        *s  = "intake";
	size_t             k;

	for (k = 0; k < 6 && pa->events[k] != NULL; k++) {
		s = pa->tos[k];
	}
	return (s);
}

static int
selected(const struct gen_case *c, const struct sel *s)
{
	char code[7];

	if ((s->from != NULL && strcmp(c->received, s->from) < 0) ||
	    (s->to != NULL && strcmp(c->received, s->to) > 0)) {
		return (0);
	}
	if (s->within != NULL &&
	    strncmp(c->region, s->within, strlen(s->within)) != 0) {
		return (0);
	}
	if (s->hide != NULL &&
	    strncmp(c->region, s->hide, strlen(s->hide)) == 0) {
		return (0);
	}
	if (s->group != NULL) {
		memcpy(code, c->region, 6);
		memset(code + s->keep, '0', 6 - s->keep);
		code[6] = '\0';
		if (strcmp(code, s->group) != 0) {
			return (0);
		}
	}
	return (1);
}

static void
expect_of(const struct sel *s, struct expect *e)
{
	const struct gen_case *c;
	const struct path     *pa;
	const char            *st;
	size_t                 i, k;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < g.n; i++) {
		c = &g.cases[i];
		if (!selected(c, s)) {
			continue;
		}
		pa = &paths[c->path];
		st = final_state(c);
		e->received++;
		e->accepted += pa->accepted;
		e->mediated += pa->mediated;
		e->awarded += pa->awarded;
		e->awarded_final += pa->awarded && pa->final == 1;
		e->awarded_not_final += pa->awarded && pa->final != 1;
		e->refused += strcmp(st, "closed_refused") == 0;
		e->transferred += strcmp(st, "closed_transferred") == 0;
		e->in_intake += strcmp(pa->phase, "intake") == 0;
		e->in_mediation += strcmp(pa->phase, "mediation") == 0;
		e->in_arbitration += strcmp(pa->phase, "arbitration") == 0;
		e->in_other += strcmp(pa->phase, "other") == 0;
		e->workers += c->workers;
		e->claimed += c->claim_fen;
		e->recovered += c->paid_fen;
		if (strcmp(pa->phase, "closed") != 0) {
			continue;
		}
		e->closed++;
		for (k = 0; k < e->nkinds; k++) {
			if (strcmp(e->kinds[k].state, st) == 0) {
				break;
			}
		}
		if (k == e->nkinds) {
			e->kinds[e->nkinds].state = st;
			e->kinds[e->nkinds++].n   = 0;
		}
		e->kinds[k].n++;
		e->days[e->ndays++] = c->days;
		e->hist[c->days <= 15   ? 0
		        : c->days <= 30 ? 1
		        : c->days <= 45 ? 2
		        : c->days <= 60 ? 3
		        : c->days <= 90 ? 4
		                        : 5]++;
	}
}

/* pct: the smallest day count d with at least p% of cases at or below. */
static long long
pct(const struct expect *e, int p)
{
	int    d;
	size_t i, n;

	for (d = 0; d < 100000; d++) {
		for (n = 0, i = 0; i < e->ndays; i++) {
			n += e->days[i] <= d;
		}
		if (n * 100 >= (size_t) p * e->ndays) {
			return (d);
		}
	}
	return (-1);
}

#define WANT(row, key, v)                                                     \
	do {                                                                  \
		json_t *w_ = json_object_get((row), (key));                   \
		if (!json_is_integer(w_) ||                                   \
		    json_integer_value(w_) != (json_int_t) (v)) {             \
			fail_msg("%s: %s is %lld, want %lld",                 \
			    json_string_value(json_object_get(row, "label")), \
			    (key), (long long) json_integer_value(w_),        \
			    (long long) (v));                                 \
		}                                                             \
	} while (0)

static void
check_row(const json_t *row, const struct sel *s)
{
	struct expect *e = calloc(1, sizeof(*e));
	const json_t  *kinds, *hist;
	size_t         k;

	assert_non_null(e);
	expect_of(s, e);
	assert_true(e->received > 0); /* a group with no case is not shown */
	WANT(row, "received", e->received);
	WANT(row, "accepted", e->accepted);
	WANT(row, "refused", e->refused);
	WANT(row, "transferred", e->transferred);
	WANT(row, "in_intake", e->in_intake);
	WANT(row, "in_mediation", e->in_mediation);
	WANT(row, "mediated", e->mediated);
	WANT(row, "in_arbitration", e->in_arbitration);
	WANT(row, "in_other", e->in_other);
	WANT(row, "awarded", e->awarded);
	WANT(row, "awarded_final", e->awarded_final);
	WANT(row, "awarded_not_final", e->awarded_not_final);
	WANT(row, "closed", e->closed);
	WANT(row, "workers", e->workers);
	WANT(row, "claimed_fen", e->claimed);
	WANT(row, "recovered_fen", e->recovered);
	kinds = json_object_get(row, "closed_by_kind");
	assert_int_equal(json_object_size(kinds), e->nkinds);
	for (k = 0; k < e->nkinds; k++) {
		WANT(kinds, e->kinds[k].state, e->kinds[k].n);
	}
	hist = json_object_get(row, "days_to_close");
	assert_int_equal(json_array_size(hist), 6);
	for (k = 0; k < 6; k++) {
		assert_int_equal(
		    json_integer_value(json_array_get(hist, k)), e->hist[k]);
	}
	if (e->ndays == 0) {
		assert_true(json_is_null(
		    json_object_get(row, "days_to_close_median")));
		assert_true(
		    json_is_null(json_object_get(row, "days_to_close_p90")));
	} else {
		WANT(row, "days_to_close_median", pct(e, 50));
		WANT(row, "days_to_close_p90", pct(e, 90));
	}
	/* The generated cases carry no clock ledger: nothing is overdue. */
	assert_int_equal(
	    json_integer_value(json_object_get(row, "overdue_now")), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(row, "ever_overdue")), 0);
	/* Every case is in exactly one stage. */
	assert_int_equal(e->in_intake + e->in_mediation + e->in_arbitration +
	        e->in_other + e->closed,
	    e->received);
	free(e);
}

/* distinct_groups lists the group codes the selection yields, sorted. */
static size_t
distinct_groups(const struct sel *s, char codes[][7], size_t max)
{
	struct sel all = *s;
	size_t     i, j, n = 0;
	char       code[7], tmp[7];

	all.group = NULL;
	for (i = 0; i < g.n; i++) {
		if (!selected(&g.cases[i], &all)) {
			continue;
		}
		memcpy(code, g.cases[i].region, 6);
		memset(code + s->keep, '0', 6 - s->keep);
		code[6] = '\0';
		for (j = 0; j < n && strcmp(codes[j], code) != 0; j++) {
		}
		if (j == n && n < max) {
			memcpy(codes[n++], code, 7);
		}
	}
	for (i = 1; i < n; i++) { /* insertion sort */
		for (j = i; j > 0 && strcmp(codes[j - 1], codes[j]) > 0; j--) {
			memcpy(tmp, codes[j], 7);
			memcpy(codes[j], codes[j - 1], 7);
			memcpy(codes[j - 1], tmp, 7);
		}
	}
	return (n);
}

/* check_report checks every group and the total against the selection. */
static void
check_report(const json_t *r, const struct sel *s)
{
	char          codes[64][7];
	const json_t *groups = json_object_get(r, "groups"), *row;
	struct sel    one    = *s;
	size_t        n, i;

	n = distinct_groups(s, codes, 64);
	assert_int_equal(json_array_size(groups), n);
	for (i = 0; i < n; i++) {
		row = json_array_get(groups, i);
		assert_string_equal(
		    json_string_value(json_object_get(row, "code")), codes[i]);
		one.group = codes[i];
		check_row(row, &one);
	}
	one.group = NULL;
	row       = json_object_get(r, "total");
	assert_true(json_is_null(json_object_get(row, "code")));
	assert_string_equal(
	    json_string_value(json_object_get(row, "label")), "合计");
	check_row(row, &one);
}

/* ---- helpers -------------------------------------------------------- */

static int
hide_prefix(const json_t *doc, void *arg)
{
	const char *region = json_string_value(json_object_get(doc, "region"));

	return (region == NULL || strncmp(region, arg, strlen(arg)) != 0);
}

static int
hide_all(const json_t *doc, void *arg)
{
	(void) doc;
	(void) arg;
	return (0);
}

/* campaign runs report_campaign on args (a JSON text). */
static int
campaign(const char *args_text, report_visible_fn vis, void *varg,
    json_t **out, struct wage_error *err)
{
	struct store_txn *txn;
	json_t           *args = args_text != NULL
	              ? json_loads(args_text, JSON_DECODE_ANY, NULL)
	              : NULL;
	int               rc;

	assert_true(args_text == NULL || args != NULL);
	assert_int_equal(store_read_begin(g.s, &txn), WAGE_OK);
	wage_err_clear(err);
	rc = report_campaign(txn, g.p, args, vis, varg, out, err);
	store_read_end(txn);
	json_decref(args);
	if (rc != WAGE_OK) {
		assert_null(*out);
	}
	return (rc);
}

static int
employers(const char *args_text, report_visible_fn vis, void *varg,
    json_t **out, struct wage_error *err)
{
	struct store_txn *txn;
	json_t           *args = args_text != NULL
	              ? json_loads(args_text, JSON_DECODE_ANY, NULL)
	              : NULL;
	int               rc;

	assert_true(args_text == NULL || args != NULL);
	assert_int_equal(store_read_begin(g.s, &txn), WAGE_OK);
	wage_err_clear(err);
	rc = report_employers(txn, g.p, args, vis, varg, out, err);
	store_read_end(txn);
	json_decref(args);
	if (rc != WAGE_OK) {
		assert_null(*out);
	}
	return (rc);
}

static const json_t *
group_by_code(const json_t *r, const char *code)
{
	const json_t *row;
	size_t        i;

	json_array_foreach (json_object_get(r, "groups"), i, row) {
		if (strcmp(json_string_value(json_object_get(row, "code")),
		        code) == 0) {
			return (row);
		}
	}
	return (NULL);
}

/* ---- campaign ------------------------------------------------------- */

static void
test_report_generator_covers(void **state)
{
	struct sel     s                  = { FROM, TO, "37", NULL, NULL, 4 };
	struct expect *e                  = calloc(1, sizeof(*e));
	size_t         paths_seen[NPATHS] = { 0 }, i;

	(void) state;
	/* The fixture is worth what it covers: every path in the quarter,
	 * cases outside it, every bucket of the histogram. */
	for (i = 0; i < g.n; i++) {
		if (selected(&g.cases[i], &s)) {
			paths_seen[g.cases[i].path]++;
		}
	}
	for (i = 0; i < NPATHS; i++) {
		assert_true(paths_seen[i] > 0);
	}
	expect_of(&s, e);
	assert_true(e->received < (long long) g.n / 2);
	for (i = 0; i < 6; i++) {
		assert_true(e->hist[i] > 0);
	}
	assert_true(e->nkinds == 10); /* every terminal state */
	free(e);
}

static void
test_report_campaign_province(void **state)
{
	struct wage_error err;
	struct sel        s = { FROM, TO, "37", NULL, NULL, 4 };
	json_t           *r;
	const json_t     *row;
	size_t            i;

	(void) state;
	assert_int_equal(campaign("{\"from\": \"" FROM "\", \"to\": \"" TO
	                          "\", \"region\": \"370000\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(r, "report")), "campaign");
	assert_string_equal(
	    json_string_value(json_object_get(r, "group_by")), "city");
	assert_string_equal(
	    json_string_value(json_object_get(r, "region_label")), "山东省");
	assert_string_equal(
	    json_string_value(json_object_get(r, "from")), FROM);
	check_report(r, &s);
	/* Chinese names of the cities. */
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "370100"), "label")),
	    "济南");
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "371300"), "label")),
	    "临沂");
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "370200"), "label")),
	    "青岛");
	/* Overdue comes from the clock ledgers (none here): no notes. */
	assert_int_equal(json_array_size(json_object_get(r, "notes")), 0);
	assert_int_equal(
	    json_array_size(json_object_get(r, "closed_kinds")), 10);
	row = json_array_get(json_object_get(r, "closed_kinds"), 0);
	assert_string_equal(
	    json_string_value(json_object_get(row, "state")), "closed_paid");
	assert_string_equal(
	    json_string_value(json_object_get(row, "label")), "已支付结案");
	assert_int_equal(
	    json_array_size(json_object_get(r, "days_to_close_buckets")), 6);
	assert_string_equal(
	    json_string_value(json_array_get(
	        json_object_get(r, "days_to_close_buckets"), 5)),
	    ">90");
	/* Sorted by code. */
	for (i = 1; i < json_array_size(json_object_get(r, "groups")); i++) {
		assert_true(
		    strcmp(json_string_value(json_object_get(
		               json_array_get(
		                   json_object_get(r, "groups"), i - 1),
		               "code")),
		        json_string_value(json_object_get(
		            json_array_get(json_object_get(r, "groups"), i),
		            "code"))) < 0);
	}
	json_decref(r);
}

static void
test_report_campaign_all_regions(void **state)
{
	struct wage_error err;
	struct sel        s = { FROM, TO, NULL, NULL, NULL, 4 };
	json_t           *r;

	(void) state;
	/* No region: every visible case, by city, other provinces too;
	 * a city with no name known is labelled with its code. */
	assert_int_equal(
	    campaign("{\"from\": \"" FROM "\", \"to\": \"" TO "\"}", NULL,
	        NULL, &r, &err),
	    WAGE_OK);
	assert_true(json_is_null(json_object_get(r, "region")));
	check_report(r, &s);
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "410100"), "label")),
	    "410100");
	assert_non_null(group_by_code(r, "110100"));
	json_decref(r);
}

static void
test_report_campaign_city_by_county(void **state)
{
	struct wage_error err;
	struct sel        s = { FROM, TO, "3701", NULL, NULL, 6 };
	json_t           *r;

	(void) state;
	assert_int_equal(campaign("{\"from\": \"" FROM "\", \"to\": \"" TO
	                          "\", \"region\": \"370100\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(r, "group_by")), "county");
	assert_string_equal(
	    json_string_value(json_object_get(r, "region_label")), "济南");
	check_report(r, &s);
	/* The city's own cases are a group of their own, its counties by
	 * code, nothing from another city. */
	assert_non_null(group_by_code(r, "370100"));
	assert_non_null(group_by_code(r, "370102"));
	assert_non_null(group_by_code(r, "370112"));
	assert_null(group_by_code(r, "370202"));
	assert_string_equal(json_string_value(json_object_get(
	                        group_by_code(r, "370102"), "label")),
	    "370102");
	json_decref(r);
}

static void
test_report_campaign_county(void **state)
{
	struct wage_error err;
	struct sel        s = { FROM, TO, "370102", NULL, NULL, 6 };
	json_t           *r;

	(void) state;
	assert_int_equal(campaign("{\"from\": \"" FROM "\", \"to\": \"" TO
	                          "\", \"region\": \"370102\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(r, "group_by")), "county");
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 1);
	check_report(r, &s);
	json_decref(r);
}

static void
test_report_campaign_visibility(void **state)
{
	struct wage_error err;
	struct sel        s = { FROM, TO, "37", "3702", NULL, 4 };
	json_t           *r;
	const json_t     *row;
	size_t            i;

	(void) state;
	/* A caller who may not see 青岛: no group, not in the total. */
	assert_int_equal(campaign("{\"from\": \"" FROM "\", \"to\": \"" TO
	                          "\", \"region\": \"370000\"}",
	                     hide_prefix, "3702", &r, &err),
	    WAGE_OK);
	assert_null(group_by_code(r, "370200"));
	check_report(r, &s);
	json_array_foreach (json_object_get(r, "groups"), i, row) {
		assert_string_not_equal(
		    json_string_value(json_object_get(row, "label")), "青岛");
	}
	json_decref(r);

	/* Seeing nothing: no groups, a zero total, no percentiles. */
	assert_int_equal(
	    campaign("{\"from\": \"" FROM "\", \"to\": \"" TO "\"}", hide_all,
	        NULL, &r, &err),
	    WAGE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 0);
	row = json_object_get(r, "total");
	WANT(row, "received", 0);
	WANT(row, "claimed_fen", 0);
	assert_true(
	    json_is_null(json_object_get(row, "days_to_close_median")));
	assert_true(json_is_null(json_object_get(row, "days_to_close_p90")));
	json_decref(r);
}

static void
test_report_campaign_period(void **state)
{
	struct wage_error err;
	struct sel one = { "2024-02-10", "2024-02-10", "37", NULL, NULL, 4 };
	struct sel all = { "2023-07-01", "2024-06-30", "37", NULL, NULL, 4 };
	json_t    *r;

	(void) state;
	/* A single day: both ends are included. */
	assert_int_equal(campaign("{\"from\": \"2024-02-10\", \"to\": "
	                          "\"2024-02-10\", \"region\": \"370000\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	if (json_array_size(json_object_get(r, "groups")) > 0) {
		check_report(r, &one);
	}
	json_decref(r);
	/* A year covering every case. */
	assert_int_equal(campaign("{\"from\": \"2023-07-01\", \"to\": "
	                          "\"2024-06-30\", \"region\": \"370000\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	check_report(r, &all);
	json_decref(r);
	/* Before any case. */
	assert_int_equal(campaign("{\"from\": \"2020-01-01\", \"to\": "
	                          "\"2020-12-31\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 0);
	json_decref(r);
}

static void
test_report_campaign_invalid(void **state)
{
	static const struct {
		const char *args, *field;
	} bad[] = {
		{ NULL, "from" },
		{ "{}", "from" },
		{ "{\"to\": \"2024-03-31\"}", "from" },
		{ "{\"from\": \"2024-01-01\"}", "to" },
		{ "{\"from\": \"2024-02-30\", \"to\": \"2024-03-31\"}",
		    "from" },
		{ "{\"from\": \"2024/01/01\", \"to\": \"2024-03-31\"}",
		    "from" },
		{ "{\"from\": 20240101, \"to\": \"2024-03-31\"}", "from" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-3-31\"}", "to" },
		{ "{\"from\": \"2024-04-01\", \"to\": \"2024-03-31\"}", "to" },
		/* three years at most */
		{ "{\"from\": \"2021-01-01\", \"to\": \"2024-01-01\"}", "to" },
		{ "{\"from\": \"2020-02-29\", \"to\": \"2023-03-01\"}", "to" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-03-31\", "
		  "\"region\": \"37\"}",
		    "region" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-03-31\", "
		  "\"region\": 370000}",
		    "region" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-03-31\", "
		  "\"region\": \"000000\"}",
		    "region" },
		{ "{\"from\": \"2024-01-01\", \"to\": \"2024-03-31\", "
		  "\"city\": \"370100\"}",
		    "args" },
		{ "[]", "args" },
	};
	struct wage_error err;
	json_t           *r;
	size_t            i;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = campaign(bad[i].args, NULL, NULL, &r, &err);

		if (rc != WAGE_E_INVALID_ARGUMENT ||
		    strcmp(err.field, bad[i].field) != 0 ||
		    err.message[0] == '\0') {
			fail_msg("%s: rc %d field '%s' (want %s) message '%s'",
			    bad[i].args != NULL ? bad[i].args : "NULL", rc,
			    err.field, bad[i].field, err.message);
		}
	}
	/* The longest periods allowed. */
	assert_int_equal(campaign("{\"from\": \"2021-01-01\", \"to\": "
	                          "\"2023-12-31\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	json_decref(r);
	assert_int_equal(campaign("{\"from\": \"2020-02-29\", \"to\": "
	                          "\"2023-02-28\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	json_decref(r);
}

struct many_job {
	struct store_job job;
	size_t           n;
};

static int
put_many(struct store_txn *txn, struct store_job *job)
{
	struct many_job *mj = (struct many_job *) (void *) job;
	json_t          *doc;
	char             id[32], region[48], credit[48];
	size_t           i;
	int              rc;

	for (i = 0; i < mj->n; i++) {
		snprintf(id, sizeof(id), "WA2025-%06zu", i + 1);
		/* Each case in a city of its own, outside Shandong. */
		snprintf(region, sizeof(region), "%02zu%02zu01", 41 + i / 50,
		    1 + i % 50);
		snprintf(credit, sizeof(credit), "91410100MA%08zu", i);
		doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:[{s:s}], "
		                "s:{s:s, s:s}, s:{s:I}, s:[]}",
		    "id", id, "revision", 1, "state", "intake", "region",
		    region, "received", "2025-01-02", "claimants", "name",
		    "王五", "respondent", "name", "某公司", "credit_code",
		    credit, "claim", "total_fen", (json_int_t) (100000 + i),
		    "steps");
		rc  = caserec_save(txn, doc, NULL);
		json_decref(doc);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	return (WAGE_OK);
}

static void
test_report_limits(void **state)
{
	struct wage_error err;
	struct many_job   mj;
	json_t           *r;

	(void) state;
	/* A second store: more groups and more respondents than a reply
	 * may carry. */
	store_close(g.s);
	g.s = NULL;
	{
		char db[96];

		snprintf(db, sizeof(db), "%s/many", g.base);
		assert_int_equal(
		    store_open(&g.s, db, 16u << 20, 16, &err), WAGE_OK);
		memset(&mj, 0, sizeof(mj));
		mj.n = REPORT_MAX_GROUPS + 1;
		assert_int_equal(
		    store_write_now(g.s, put_many, &mj.job), WAGE_OK);
	}
	assert_int_equal(campaign("{\"from\": \"2025-01-01\", \"to\": "
	                          "\"2025-01-31\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.field, "region");
	/* One province is few enough. */
	assert_int_equal(campaign("{\"from\": \"2025-01-01\", \"to\": "
	                          "\"2025-01-31\", \"region\": \"410000\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	assert_int_equal(json_array_size(json_object_get(r, "groups")), 50);
	json_decref(r);

	assert_int_equal(
	    employers("{\"min_cases\": 1}", NULL, NULL, &r, &err), WAGE_OK);
	assert_int_equal(json_integer_value(json_object_get(r, "total")),
	    REPORT_MAX_GROUPS + 1);
	assert_true(json_is_true(json_object_get(r, "truncated")));
	assert_int_equal(json_array_size(json_object_get(r, "employers")),
	    REPORT_MAX_EMPLOYERS);
	/* The most claimed first. */
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(r, "employers"), 0),
	        "credit_code")),
	    "91410100MA00000200");
	json_decref(r);

	/* Back to the main store for the tests after this one. */
	store_close(g.s);
	{
		char db[96];

		snprintf(db, sizeof(db), "%s/db", g.base);
		assert_int_equal(
		    store_open(&g.s, db, 64u << 20, 16, &err), WAGE_OK);
	}
}

/* ---- employers ------------------------------------------------------ */

struct emp_expect {
	char        credit[19];
	const char *name;
	char        name_received[11];
	const char *name_id;
	char        first[11], last[11];
	long long   cases, open, workers, claimed, recovered;
	const char *ids[NCASES];
};

static int
emp_cmp(const void *a, const void *b)
{
	const struct emp_expect *x = a, *y = b;

	if (x->claimed != y->claimed) {
		return (x->claimed > y->claimed ? -1 : 1);
	}
	if (x->cases != y->cases) {
		return (x->cases > y->cases ? -1 : 1);
	}
	return (strcmp(x->credit, y->credit));
}

/* emp_expected tallies the respondents of the selected cases; returns
 * how many qualify, sorted as the report sorts them, into out. */
static size_t
emp_expected(const struct sel *s, long long min_cases, long long min_amount,
    struct emp_expect *out)
{
	struct emp_expect *e;
	size_t             n = 0, i, j, kept = 0;

	for (i = 0; i < g.n; i++) {
		const struct gen_case *c = &g.cases[i];

		if (!selected(c, s)) {
			continue;
		}
		for (j = 0; j < n && strcmp(out[j].credit, c->credit) != 0;
		     j++) {
		}
		e = &out[j];
		if (j == n) {
			memset(e, 0, sizeof(*e));
			memcpy(e->credit, c->credit, 19);
			n++;
		}
		e->ids[e->cases++] = c->id;
		e->workers += c->workers;
		e->claimed += c->claim_fen;
		e->recovered += c->paid_fen;
		e->open += strcmp(paths[c->path].phase, "closed") != 0;
		if (e->name == NULL ||
		    strcmp(c->received, e->name_received) > 0 ||
		    (strcmp(c->received, e->name_received) == 0 &&
		        strcmp(c->id, e->name_id) > 0)) {
			e->name    = c->name;
			e->name_id = c->id;
			memcpy(e->name_received, c->received, 11);
		}
		if (e->first[0] == '\0' || strcmp(c->received, e->first) < 0) {
			memcpy(e->first, c->received, 11);
		}
		if (strcmp(c->received, e->last) > 0) {
			memcpy(e->last, c->received, 11);
		}
	}
	for (i = 0; i < n; i++) {
		if (out[i].cases >= min_cases ||
		    (min_amount > 0 && out[i].claimed >= min_amount)) {
			if (kept != i) {
				out[kept] = out[i];
			}
			kept++;
		}
	}
	qsort(out, kept, sizeof(*out), emp_cmp);
	return (kept);
}

static void
check_employers(const json_t *r, const struct sel *s, long long min_cases,
    long long min_amount)
{
	struct emp_expect *want = calloc(NCASES, sizeof(*want));
	const json_t      *list = json_object_get(r, "employers"), *e, *ids;
	size_t             n, i, k, shown;

	assert_non_null(want);
	n     = emp_expected(s, min_cases, min_amount, want);
	shown = n < REPORT_MAX_EMPLOYERS ? n : REPORT_MAX_EMPLOYERS;
	assert_int_equal(json_integer_value(json_object_get(r, "total")), n);
	assert_int_equal(json_array_size(list), shown);
	assert_int_equal(json_is_true(json_object_get(r, "truncated")),
	    n > REPORT_MAX_EMPLOYERS);
	for (i = 0; i < shown; i++) {
		e = json_array_get(list, i);
		assert_string_equal(
		    json_string_value(json_object_get(e, "credit_code")),
		    want[i].credit);
		assert_string_equal(
		    json_string_value(json_object_get(e, "name")),
		    want[i].name);
		WANT(e, "cases", want[i].cases);
		WANT(e, "open_cases", want[i].open);
		WANT(e, "workers", want[i].workers);
		WANT(e, "claimed_fen", want[i].claimed);
		WANT(e, "recovered_fen", want[i].recovered);
		assert_string_equal(
		    json_string_value(json_object_get(e, "first_received")),
		    want[i].first);
		assert_string_equal(
		    json_string_value(json_object_get(e, "last_received")),
		    want[i].last);
		ids = json_object_get(e, "case_ids");
		assert_int_equal(json_array_size(ids),
		    want[i].cases < REPORT_MAX_CASE_IDS ? want[i].cases
		                                        : REPORT_MAX_CASE_IDS);
		assert_int_equal(
		    json_is_true(json_object_get(e, "case_ids_truncated")),
		    want[i].cases > REPORT_MAX_CASE_IDS);
		/* generated in id order, listed in id order */
		for (k = 0; k < json_array_size(ids); k++) {
			assert_string_equal(
			    json_string_value(json_array_get(ids, k)),
			    want[i].ids[k]);
		}
	}
	free(want);
}

static void
test_report_employers_default(void **state)
{
	struct wage_error err;
	struct sel        s = { NULL, NULL, NULL, NULL, NULL, 4 };
	json_t           *r;
	const json_t     *e;
	size_t            i;

	(void) state;
	assert_int_equal(employers(NULL, NULL, NULL, &r, &err), WAGE_OK);
	assert_string_equal(
	    json_string_value(json_object_get(r, "report")), "employers");
	WANT(r, "min_cases", 2);
	WANT(r, "min_amount_fen", 0);
	assert_true(json_is_null(json_object_get(r, "from")));
	check_employers(r, &s, 2, 0);
	/* The one with many cases lists 50 ids and says there are more;
	 * single-case respondents are not listed. */
	json_array_foreach (json_object_get(r, "employers"), i, e) {
		assert_true(
		    json_integer_value(json_object_get(e, "cases")) >= 2);
		if (strcmp(
		        json_string_value(json_object_get(e, "credit_code")),
		        "91370100MA00000000") == 0) {
			WANT(e, "cases", NCASES / 5);
			assert_true(json_is_true(
			    json_object_get(e, "case_ids_truncated")));
		}
		/* A renamed respondent shows its latest name. */
		if (strcmp(
		        json_string_value(json_object_get(e, "credit_code")),
		        "91370100MA00000001") == 0) {
			assert_string_equal(
			    json_string_value(json_object_get(e, "name")),
			    "改名后建筑公司1");
		}
	}
	json_decref(r);
	/* {} is the same as no args. */
	assert_int_equal(employers("{}", NULL, NULL, &r, &err), WAGE_OK);
	check_employers(r, &s, 2, 0);
	json_decref(r);
}

static void
test_report_employers_thresholds(void **state)
{
	struct wage_error  err;
	struct sel         s    = { NULL, NULL, NULL, NULL, NULL, 4 };
	struct emp_expect *want = calloc(NCASES, sizeof(*want));
	json_t            *r;
	long long          amount;
	size_t             n;

	(void) state;
	assert_non_null(want);
	/* Every respondent. */
	assert_int_equal(
	    employers("{\"min_cases\": 1}", NULL, NULL, &r, &err), WAGE_OK);
	check_employers(r, &s, 1, 0);
	json_decref(r);
	/* Many cases only. */
	assert_int_equal(
	    employers("{\"min_cases\": 100}", NULL, NULL, &r, &err), WAGE_OK);
	check_employers(r, &s, 100, 0);
	assert_int_equal(json_array_size(json_object_get(r, "employers")), 1);
	json_decref(r);
	/* Or a large amount: a respondent with one case qualifies by its
	 * claim. Take the largest single-case claim as the threshold. */
	n = emp_expected(&s, 1, 0, want);
	assert_true(n > 0);
	amount = 0;
	for (size_t i = 0; i < n; i++) {
		if (want[i].cases == 1 && want[i].claimed > amount) {
			amount = want[i].claimed;
		}
	}
	assert_true(amount > 0);
	{
		char args[128];

		snprintf(args, sizeof(args),
		    "{\"min_cases\": 100, \"min_amount_fen\": %lld}", amount);
		assert_int_equal(
		    employers(args, NULL, NULL, &r, &err), WAGE_OK);
		check_employers(r, &s, 100, amount);
		assert_true(
		    json_array_size(json_object_get(r, "employers")) >= 2);
		WANT(r, "min_amount_fen", amount);
		json_decref(r);
	}
	free(want);
}

static void
test_report_employers_period_visibility(void **state)
{
	struct wage_error err;
	struct sel        s = { FROM, TO, NULL, "3702", NULL, 4 };
	json_t           *r;

	(void) state;
	assert_int_equal(employers("{\"from\": \"" FROM "\", \"to\": \"" TO
	                           "\", \"min_cases\": 1}",
	                     hide_prefix, "3702", &r, &err),
	    WAGE_OK);
	assert_string_equal(json_string_value(json_object_get(r, "to")), TO);
	check_employers(r, &s, 1, 0);
	json_decref(r);
	/* Only from: open to the end. */
	s.to   = NULL;
	s.hide = NULL;
	assert_int_equal(
	    employers("{\"from\": \"2024-05-01\"}", NULL, NULL, &r, &err),
	    WAGE_OK);
	s.from = "2024-05-01";
	check_employers(r, &s, 2, 0);
	json_decref(r);
	assert_int_equal(employers(NULL, hide_all, NULL, &r, &err), WAGE_OK);
	WANT(r, "total", 0);
	assert_int_equal(json_array_size(json_object_get(r, "employers")), 0);
	json_decref(r);
}

static void
test_report_employers_invalid(void **state)
{
	static const struct {
		const char *args, *field;
	} bad[] = {
		{ "{\"min_cases\": 0}", "min_cases" },
		{ "{\"min_cases\": \"2\"}", "min_cases" },
		{ "{\"min_cases\": 2.5}", "min_cases" },
		{ "{\"min_amount_fen\": -1}", "min_amount_fen" },
		{ "{\"min_amount_fen\": true}", "min_amount_fen" },
		{ "{\"from\": \"2024-13-01\"}", "from" },
		{ "{\"from\": \"2024-03-01\", \"to\": \"2024-02-01\"}", "to" },
		{ "{\"limit\": 10}", "args" },
		{ "\"x\"", "args" },
	};
	struct wage_error err;
	json_t           *r;
	size_t            i;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = employers(bad[i].args, NULL, NULL, &r, &err);

		if (rc != WAGE_E_INVALID_ARGUMENT ||
		    strcmp(err.field, bad[i].field) != 0 ||
		    err.message[0] == '\0') {
			fail_msg("%s: rc %d field '%s' (want %s) message '%s'",
			    bad[i].args, rc, err.field, bad[i].field,
			    err.message);
		}
	}
	/* Longer than three years is fine for this list. */
	assert_int_equal(employers("{\"from\": \"2010-01-01\", \"to\": "
	                           "\"2024-12-31\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	json_decref(r);
}

static void
test_report_region_label(void **state)
{
	(void) state;
	assert_string_equal(report_region_label("370100"), "济南");
	assert_string_equal(report_region_label("371700"), "菏泽");
	assert_string_equal(report_region_label("371000"), "威海");
	assert_null(report_region_label("371200")); /* 莱芜, merged 2019 */
	assert_null(report_region_label("370102"));
	assert_null(report_region_label(NULL));
}

/* Runs last: it adds three 2021 cases to the shared store. */
static void
test_report_overdue_from_clocks(void **state)
{
	static const char *const ledgers[] = {
		/* running, due long ago: overdue now and ever */
		"{\"acceptance\": {\"state\": \"running\", \"start\": "
		"\"2021-03-01\", \"due\": \"2021-03-08\"}}",
		/* stopped after its due date: ever overdue only */
		"{\"acceptance\": {\"state\": \"stopped\", \"start\": "
		"\"2021-03-01\", \"due\": \"2021-03-08\", \"stopped\": "
		"\"2021-03-20\"}}",
		/* stopped in time, and one running far in the future */
		"{\"acceptance\": {\"state\": \"stopped\", \"start\": "
		"\"2021-03-01\", \"due\": \"2021-03-08\", \"stopped\": "
		"\"2021-03-05\"}, \"award\": {\"state\": \"running\", "
		"\"start\": \"2021-03-05\", \"due\": \"9999-01-01\"}}",
	};
	struct put_job    pj;
	struct wage_error err;
	json_t           *r, *doc, *total;
	char              id[32];
	size_t            i;

	(void) state;
	memset(&pj, 0, sizeof(pj));
	pj.docs = json_array();
	for (i = 0; i < 3; i++) {
		snprintf(id, sizeof(id), "WA2021-%06zu", i + 1);
		doc = json_pack("{s:s, s:s, s:s, s:s, s:[], s:{s:s, s:s}, "
		                "s:{s:[], s:I}, s:o, s:[], s:i}",
		    "id", id, "state", "mediation", "region", "371502",
		    "received", "2021-03-01", "claimants", "respondent",
		    "name", "某公司", "credit_code", "91371500MA00000000",
		    "claim", "items", "total_fen", (json_int_t) 100, "clocks",
		    json_loads(ledgers[i], 0, NULL), "steps", "revision", 1);
		assert_non_null(doc);
		json_array_append_new(pj.docs, doc);
	}
	assert_int_equal(store_write_now(g.s, put_all, &pj.job), WAGE_OK);
	json_decref(pj.docs);
	assert_int_equal(campaign("{\"from\": \"2021-01-01\", \"to\": "
	                          "\"2021-12-31\", \"region\": \"371500\"}",
	                     NULL, NULL, &r, &err),
	    WAGE_OK);
	total = json_object_get(r, "total");
	assert_int_equal(
	    json_integer_value(json_object_get(total, "received")), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(total, "overdue_now")), 1);
	assert_int_equal(
	    json_integer_value(json_object_get(total, "ever_overdue")), 2);
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_generator_covers),
		cmocka_unit_test(test_report_campaign_province),
		cmocka_unit_test(test_report_campaign_all_regions),
		cmocka_unit_test(test_report_campaign_city_by_county),
		cmocka_unit_test(test_report_campaign_county),
		cmocka_unit_test(test_report_campaign_visibility),
		cmocka_unit_test(test_report_campaign_period),
		cmocka_unit_test(test_report_campaign_invalid),
		cmocka_unit_test(test_report_employers_default),
		cmocka_unit_test(test_report_employers_thresholds),
		cmocka_unit_test(test_report_employers_period_visibility),
		cmocka_unit_test(test_report_employers_invalid),
		cmocka_unit_test(test_report_region_label),
		cmocka_unit_test(test_report_limits),
		cmocka_unit_test(test_report_overdue_from_clocks),
	};

	return (cmocka_run_group_tests_name(
	    "report", tests, group_setup, group_teardown));
}
