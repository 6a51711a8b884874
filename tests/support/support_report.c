/* SPDX-License-Identifier: MIT */
/*
 * support_report.c - the report tests' generated cases and the tallies of
 * the generator's record (support_report.h).
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

#include "support_policy.h"
#include "support_report.h"
#include "support_store.h"

/* ---- the paths a case can take ------------------------------------- */

/* One way through the policy, with what it means for the figures. */
struct path {
	const char *events[6]; /* fired in order */
	const char *tos[6];    /* the state each leads to */
	const char *phase;     /* of the final state: or "other" */
	int         accepted, mediated, awarded;
	/* award's final: 1 true, 0 false, -1 absent; 2: recorded with
	 * items (award.c), the server's reading mixed */
	int final;
	int paid; /* ends with confirm_paid */
};

static const struct path paths[TSUPPORT_REPORT_NPATHS] = {
	/* 0 still in intake */
	{ { NULL }, { NULL }, "intake", 0, 0, 0, -1, 0 },
	{ { "request_materials", "supplement" }, { "intake", "intake" },
	    "intake", 0, 0, 0, -1, 0 },
	{ { "refuse" }, { "closed_refused" }, "closed", 0, 0, 0, -1, 0 },
	{ { "forward" }, { "closed_transferred" }, "closed", 0, 0, 0, -1, 0 },
	{ { "accept" }, { "mediation" }, "mediation", 1, 0, 0, -1, 0 },
	/* 5 */
	{ { "accept", "mediation_agreement" }, { "mediation", "mediated" },
	    "mediation", 1, 1, 0, -1, 0 },
	{ { "accept", "mediation_agreement", "confirm_paid" },
	    { "mediation", "mediated", "closed_paid" }, "closed", 1, 1, 0, -1,
	    1 },
	/* 案前调解 (Art 14): an agreement before acceptance, not paid. */
	{ { "pre_mediation", "pre_mediation_agreement", "payment_order" },
	    { "pre_mediation", "agreed", "closed_court" }, "closed", 0, 1, 0,
	    -1, 0 },
	{ { "accept", "mediation_agreement", "settlement_refused" },
	    { "mediation", "mediated", "arbitration" }, "arbitration", 1, 1, 0,
	    -1, 0 },
	{ { "accept_arbitration" }, { "arbitration" }, "arbitration", 1, 0, 0,
	    -1, 0 },
	/* 10 */
	{ { "accept_arbitration", "hearing_scheduled", "arbitration_settled",
	      "confirm_paid" },
	    { "arbitration", "arbitration", "mediated", "closed_paid" },
	    "closed", 1, 1, 0, -1, 1 },
	{ { "accept", "mediation_failed", "award" },
	    { "mediation", "arbitration", "awarded" }, "arbitration", 1, 0, 1,
	    1, 0 },
	{ { "accept_arbitration", "award", "award_effective",
	      "close_awarded" },
	    { "arbitration", "awarded", "effective", "closed_awarded" },
	    "closed", 1, 0, 1, 0, 0 },
	{ { "accept_arbitration", "extend", "award", "confirm_paid" },
	    { "arbitration", "arbitration", "awarded", "closed_paid" },
	    "closed", 1, 0, 1, -1, 1 },
	{ { "accept_arbitration", "award", "suit", "court_judgment" },
	    { "arbitration", "awarded", "in_court", "closed_litigation" },
	    "closed", 1, 0, 1, 1, 0 },
	/* 15 */
	{ { "pre_mediation", "withdraw" },
	    { "pre_mediation", "closed_withdrawn" }, "closed", 0, 0, 0, -1,
	    0 },
	{ { "accept", "refer_inspection", "inspection_close" },
	    { "mediation", "inspection", "closed_inspection" }, "closed", 1, 0,
	    0, -1, 0 },
	/* 刑法 Art 276-1: after the inspection body's order to pay. */
	{ { "refer_inspection", "inspection_accept", "order_payment",
	      "refer_police" },
	    { "inspection", "inspection", "ordered", "closed_police" },
	    "closed", 0, 0, 0, -1, 0 },
	{ { "accept", "mediation_agreement", "settlement_refused", "award",
	      "final_award_effective", "enforcement" },
	    { "mediation", "mediated", "arbitration", "awarded", "effective",
	        "closed_court" },
	    "closed", 1, 1, 1, 1, 0 },
	{ { "accept", "apply_arbitration", "award" },
	    { "mediation", "arbitration", "awarded" }, "arbitration", 1, 0, 1,
	    2, 0 },
	/* 20 a state this policy does not have (an older policy's) */
	{ { "accept" }, { "legacy_review" }, "other", 1, 0, 0, -1, 0 },
};
_Static_assert(sizeof(paths) / sizeof(paths[0]) == TSUPPORT_REPORT_NPATHS,
    "TSUPPORT_REPORT_NPATHS is the number of paths");

/* Where cases are: counties of four cities, a city-level case, and two
 * places outside Shandong (one in a city with no name known). */
static const char *const regions[] = { "370102", "370103", "370112", "370100",
	"370202", "370211", "370302", "371302", "371311", "371321", "410105",
	"110105" };
#define NREGIONS (sizeof(regions) / sizeof(regions[0]))

#define NPOOL 11 /* respondents that recur */

struct tsupport_report_group tsupport_report_g;

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

#define RNG_SEED 20240101u

static uint32_t rng_state = RNG_SEED;

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
	if (strcmp(ev, "forward") == 0) {
		return (json_pack("{s:s, s:s}", "receiving_body",
		    "济南市历下区劳动保障监察大队", "reason", "不属本委管辖"));
	}
	if (strcmp(ev, "mediation_agreement") == 0 ||
	    strcmp(ev, "pre_mediation_agreement") == 0 ||
	    strcmp(ev, "arbitration_settled") == 0 ||
	    strcmp(ev, "order_payment") == 0) {
		return (
		    json_pack("{s:I, s:s}", "amount_fen", claim, "pay_by", d));
	}
	if (strcmp(ev, "confirm_paid") == 0) {
		*paid = claim - (long long) rnd(3) * 1000;
		/* A payment in part says why. */
		return (json_pack("{s:I, s:s, s:s?}", "amount_paid_fen", *paid,
		    "paid_on", d, "reason",
		    *paid < claim ? "部分支付，余款另行主张" : NULL));
	}
	if (strcmp(ev, "hearing_scheduled") == 0) {
		return (json_pack("{s:s}", "hearing_date", d));
	}
	if (strcmp(ev, "extend") == 0) {
		return (
		    json_pack("{s:i, s:s}", "days", 15, "reason", "案情复杂"));
	}
	if (strcmp(ev, "supplement") == 0 ||
	    strcmp(ev, "request_materials") == 0) {
		return (json_pack("{s:s}", "materials", "工资条"));
	}
	if (strcmp(ev, "pre_mediation") == 0) {
		return (json_pack("{s:s}", "mediation_consent", "同意书"));
	}
	if (strcmp(ev, "suit") == 0) {
		return (json_pack("{s:s, s:s, s:s}", "party", "worker",
		    "court", "济南市历下区人民法院", "filed_on", d));
	}
	if (strcmp(ev, "court_judgment") == 0) {
		return (json_pack("{s:s, s:s, s:s}", "court",
		    "济南市历下区人民法院", "ruling_date", d, "reason",
		    "判决支付"));
	}
	if (strcmp(ev, "payment_order") == 0 ||
	    strcmp(ev, "enforcement") == 0) {
		return (json_pack("{s:s}", "court", "济南市历下区人民法院"));
	}
	if (strcmp(ev, "accept") == 0 || strcmp(ev, "award_effective") == 0 ||
	    strcmp(ev, "final_award_effective") == 0 ||
	    strcmp(ev, "close_awarded") == 0 ||
	    strcmp(ev, "inspection_accept") == 0) {
		return (json_object());
	}
	return (json_pack("{s:s}", "reason", "依法处理"));
}

/* make_case builds case i's document and records what it is in gc. */
static json_t *
make_case(size_t i, struct tsupport_gen_case *gc)
{
	const struct path *pa;
	json_t            *doc, *steps, *claimants, *step, *fields;
	long               rday, day;
	long long          paid  = 0;
	const char        *state = "intake";
	char               at[40], d[11];
	size_t             k;

	memset(gc, 0, sizeof(*gc));
	gc->path = i % TSUPPORT_REPORT_NPATHS;
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
			if (pa->final == 0 || pa->final == 1) {
				json_object_set_new(
				    fields, "final", json_boolean(pa->final));
			}
			if (pa->final == 2) {
				/* Stated final, by the rule one item not:
				 * mixed, whatever final says. */
				json_object_set_new(
				    fields, "final", json_true());
				json_object_set_new(fields, "items",
				    json_pack("[{s:i, s:s, s:I, s:s}, "
				              "{s:i, s:s, s:I, s:s}]",
				        "worker", 0, "kind", "wages",
				        "amount_fen", (json_int_t) 1000,
				        "stated", "final", "worker", 0, "kind",
				        "wages", "amount_fen",
				        (json_int_t) (gc->claim_fen - 1000),
				        "stated", "final"));
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
	    (json_int_t) (json_array_size(steps) + 1), "policy",
	    tsupport_report_g.p->hash_hex, "region", gc->region, "received",
	    gc->received, "channel", "walk_in", "claimants", claimants,
	    "respondent", "name", gc->name, "credit_code", gc->credit, "claim",
	    "items", "kind", "wages", "amount_fen", (json_int_t) gc->claim_fen,
	    "period", "from", "2023-06-01", "to", "2023-11-30", "total_fen",
	    (json_int_t) gc->claim_fen, "priority", "collective",
	    gc->workers >= 10, "migrant", 1, "filed_at",
	    "2024-01-01T09:00:00+08:00", "filed_by", "org",
	    "济南市劳动人事争议仲裁院", "steps", steps);
	assert_non_null(doc);
	if (pa->final == 2) {
		/* award.c's record: the first item final, the second not. */
		json_object_set_new(doc, "award",
		    json_pack("{s:s, s:[{s:i, s:b}, {s:i, s:b}], s:b}", "kind",
		        "mixed", "items", "worker", 0, "final", 1, "worker", 0,
		        "final", 0, "mismatch", 1));
	}
	return (doc);
}

size_t
tsupport_report_path(
    size_t i, const char *const **events, const char *const **tos)
{
	size_t k;

	assert_true(i < TSUPPORT_REPORT_NPATHS);
	*events = paths[i].events;
	*tos    = paths[i].tos;
	for (k = 0; k < 6 && paths[i].events[k] != NULL; k++) {
	}
	return (k);
}

int
tsupport_report_path_other(size_t i)
{
	assert_true(i < TSUPPORT_REPORT_NPATHS);
	return (strcmp(paths[i].phase, "other") == 0);
}

/* ---- the group -------------------------------------------------------- */

int
tsupport_put_all(struct store_txn *txn, struct store_job *job)
{
	struct tsupport_put_job *pj = (struct tsupport_put_job *) (void *) job;
	json_t                  *doc;
	size_t                   i;
	int                      rc;

	json_array_foreach (pj->docs, i, doc) {
		if ((rc = caserec_save(txn, doc, NULL)) != WAGE_OK) {
			return (rc);
		}
	}
	return (WAGE_OK);
}

int
tsupport_report_group_setup(void **state)
{
	struct tsupport_put_job pj;
	size_t                  i;

	(void) state;
	rng_state = RNG_SEED; /* the same cases on every setup */
	/* The store in base/db: the tests open more beside it. */
	if (tsupport_store_open("test_report", 64u << 20,
	        tsupport_report_g.base, sizeof(tsupport_report_g.base),
	        &tsupport_report_g.s) != 0 ||
	    tsupport_policy_load(&tsupport_report_g.p) != 0) {
		return (-1);
	}
	memset(&pj, 0, sizeof(pj));
	pj.docs = json_array();
	for (i = 0; i < TSUPPORT_REPORT_NCASES; i++) {
		json_array_append_new(
		    pj.docs, make_case(i, &tsupport_report_g.cases[i]));
	}
	tsupport_report_g.n = TSUPPORT_REPORT_NCASES;
	if (store_write_now(tsupport_report_g.s, tsupport_put_all, &pj.job) !=
	    WAGE_OK) {
		return (-1);
	}
	json_decref(pj.docs);
	return (0);
}

int
tsupport_report_group_teardown(void **state)
{
	(void) state;
	policy_free(tsupport_report_g.p);
	tsupport_store_close(tsupport_report_g.s, tsupport_report_g.base);
	return (0);
}

/* ---- tallies of the generator's record ------------------------------- */

/* The state case c ends in. */
static const char *
final_state(const struct tsupport_gen_case *c)
{
	const struct path *pa = &paths[c->path];
	const char        *s  = "intake";
	size_t             k;

	for (k = 0; k < 6 && pa->events[k] != NULL; k++) {
		s = pa->tos[k];
	}
	return (s);
}

int
tsupport_selected(
    const struct tsupport_gen_case *c, const struct tsupport_sel *s)
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

void
tsupport_expect_of(const struct tsupport_sel *s, struct tsupport_expect *e)
{
	const struct tsupport_gen_case *c;
	const struct path              *pa;
	const char                     *st;
	size_t                          i, k;

	memset(e, 0, sizeof(*e));
	for (i = 0; i < tsupport_report_g.n; i++) {
		c = &tsupport_report_g.cases[i];
		if (!tsupport_selected(c, s)) {
			continue;
		}
		pa = &paths[c->path];
		st = final_state(c);
		e->received++;
		e->accepted += pa->accepted;
		e->mediated += pa->mediated;
		e->awarded += pa->awarded;
		e->awarded_final += pa->awarded && pa->final == 1;
		e->awarded_not_final +=
		    pa->awarded && (pa->final == 0 || pa->final == -1);
		e->awarded_mixed += pa->awarded && pa->final == 2;
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

long long
tsupport_pct(const struct tsupport_expect *e, int p)
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

size_t
tsupport_distinct_groups(
    const struct tsupport_sel *s, char codes[][7], size_t max)
{
	struct tsupport_sel all = *s;
	size_t              i, j, n = 0;
	char                code[7], tmp[7];

	all.group = NULL;
	for (i = 0; i < tsupport_report_g.n; i++) {
		if (!tsupport_selected(&tsupport_report_g.cases[i], &all)) {
			continue;
		}
		memcpy(code, tsupport_report_g.cases[i].region, 6);
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

/* ---- the reports ------------------------------------------------------ */

int
tsupport_campaign(const char *args_text, report_visible_fn vis, void *varg,
    json_t **out, struct wage_error *err)
{
	struct store_txn *txn;
	json_t           *args = args_text != NULL
	              ? json_loads(args_text, JSON_DECODE_ANY, NULL)
	              : NULL;
	int               rc;

	assert_true(args_text == NULL || args != NULL);
	assert_int_equal(store_read_begin(tsupport_report_g.s, &txn), WAGE_OK);
	wage_err_clear(err);
	rc = report_campaign(
	    txn, tsupport_report_g.p, args, vis, varg, out, err);
	store_read_end(txn);
	json_decref(args);
	if (rc != WAGE_OK) {
		assert_null(*out);
	}
	return (rc);
}

int
tsupport_employers(const char *args_text, report_visible_fn vis, void *varg,
    json_t **out, struct wage_error *err)
{
	struct store_txn *txn;
	json_t           *args = args_text != NULL
	              ? json_loads(args_text, JSON_DECODE_ANY, NULL)
	              : NULL;
	int               rc;

	assert_true(args_text == NULL || args != NULL);
	assert_int_equal(store_read_begin(tsupport_report_g.s, &txn), WAGE_OK);
	wage_err_clear(err);
	rc = report_employers(
	    txn, tsupport_report_g.p, args, vis, varg, out, err);
	store_read_end(txn);
	json_decref(args);
	if (rc != WAGE_OK) {
		assert_null(*out);
	}
	return (rc);
}

/* ---- respondents ------------------------------------------------------ */

/* The report's order: the most claimed, then the most cases, then by
 * credit code. */
static int
emp_cmp(const void *a, const void *b)
{
	const struct tsupport_emp_expect *x = a, *y = b;

	if (x->claimed != y->claimed) {
		return (x->claimed > y->claimed ? -1 : 1);
	}
	if (x->cases != y->cases) {
		return (x->cases > y->cases ? -1 : 1);
	}
	return (strcmp(x->credit, y->credit));
}

size_t
tsupport_emp_expected(const struct tsupport_sel *s, long long min_cases,
    long long min_amount, struct tsupport_emp_expect *out)
{
	struct tsupport_emp_expect *e;
	size_t                      n = 0, i, j, kept = 0;

	for (i = 0; i < tsupport_report_g.n; i++) {
		const struct tsupport_gen_case *c =
		    &tsupport_report_g.cases[i];

		if (!tsupport_selected(c, s)) {
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
