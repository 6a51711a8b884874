/* SPDX-License-Identifier: MIT */
/*
 * report.c - the campaign summary and the list of repeat respondents,
 * computed over one read txn. Owns: argument checks of the report ops,
 * grouping by region, the tallies, nearest-rank percentiles. Must not:
 * write to the store, decide who sees what (the caller's visible()), read
 * the clock, or log case content.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "caserec.h"
#include "filing.h"
#include "log.h"
#include "report.h"
#include "store.h"
#include "validate.h"

#define SEP '\x1f' /* index key separator (store.c) */

/*
 * Names from policies/wage-dispute.yaml that the notice's figures rest on:
 * "accepted" is a case that went through accept or accept_arbitration,
 * "mediated" one with an agreement in mediation before acceptance (Art
 * 14, policy 2026.2), in the tribunal's mediation or at its hearing (Art
 * 42), "awarded" one with an award (Art 43; final, not final or mixed per
 * Art 47, tally_award), "recovered" what confirm_paid recorded as paid.
 */
#define EV_ACCEPT        "accept"
#define EV_ACCEPT_ARB    "accept_arbitration"
#define EV_PRE_AGREEMENT "pre_mediation_agreement"
#define EV_MED_AGREEMENT "mediation_agreement"
#define EV_ARB_SETTLED   "arbitration_settled"
#define EV_AWARD         "award"
#define EV_CONFIRM_PAID  "confirm_paid"
#define ST_REFUSED       "closed_refused"
#define ST_TRANSFERRED   "closed_transferred"

static const char *const bucket_labels[REPORT_NBUCKETS] = { "0-15", "16-30",
	"31-45", "46-60", "61-90", ">90" };
static const int bucket_max[REPORT_NBUCKETS - 1] = { 15, 30, 45, 60, 90 };

static const struct {
	const char *code, *name;
} region_names[] = {
	{ "370000", "山东省" },
	{ "370100", "济南" },
	{ "370200", "青岛" },
	{ "370300", "淄博" },
	{ "370400", "枣庄" },
	{ "370500", "东营" },
	{ "370600", "烟台" },
	{ "370700", "潍坊" },
	{ "370800", "济宁" },
	{ "370900", "泰安" },
	{ "371000", "威海" },
	{ "371100", "日照" },
	{ "371300", "临沂" },
	{ "371400", "德州" },
	{ "371500", "聊城" },
	{ "371600", "滨州" },
	{ "371700", "菏泽" },
};

const char *
report_region_label(const char *code)
{
	size_t i;

	if (code == NULL) {
		return (NULL);
	}
	for (i = 0; i < sizeof(region_names) / sizeof(region_names[0]); i++) {
		if (strcmp(region_names[i].code, code) == 0) {
			return (region_names[i].name);
		}
	}
	return (NULL);
}

/* ---- arguments ----------------------------------------------------- */

/* arg_date reads an optional date member; *s stays NULL when absent. */
static int
arg_date(const json_t *args, const char *name, bool required, const char **s,
    struct civil_date *d, struct wage_error *err)
{
	const json_t *v = json_object_get(args, name);

	*s = NULL;
	if (v == NULL) {
		if (!required) {
			return (WAGE_OK);
		}
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, name,
		    "'%s' is required: a date YYYY-MM-DD (cases received "
		    "from 'from' to 'to', both included)",
		    name));
	}
	if (!json_is_string(v)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, name,
		    "'%s' must be a date YYYY-MM-DD", name));
	}
	if (validate_date(json_string_value(v), d, name, err) != WAGE_OK) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	*s = json_string_value(v);
	return (WAGE_OK);
}

/* period_ok: to must not be before from, nor REPORT_MAX_YEARS after. */
static int
period_ok(const struct civil_date *from, const struct civil_date *to,
    bool capped, struct wage_error *err)
{
	struct civil_date limit;

	if (civil_date_cmp(to, from) < 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "to",
		    "'to' must not be before 'from'"));
	}
	if (!capped) {
		return (WAGE_OK);
	}
	/* The same day REPORT_MAX_YEARS later is the first day refused;
	 * 29 February has no such day, so 1 March is. */
	limit   = *from;
	limit.y = from->y + REPORT_MAX_YEARS;
	if (!civil_date_valid(limit.y, limit.m, limit.d)) {
		limit.m = 3;
		limit.d = 1;
	}
	if (civil_date_cmp(to, &limit) >= 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "to",
		    "the period from 'from' to 'to' may be at most %d years; "
		    "ask for several shorter periods",
		    REPORT_MAX_YEARS));
	}
	return (WAGE_OK);
}

/* ---- one case ------------------------------------------------------ */

/* The kind of an award (Art 47), as the campaign report counts it. */
enum award_kind { AWARD_NOT_FINAL = 0, AWARD_FINAL, AWARD_MIXED };

/* What one case contributes, read once from its document. */
struct tally {
	const char     *region;
	bool            accepted, mediated, awarded;
	enum award_kind award;
	bool            overdue_now, ever_overdue;
	long            si; /* state index in the policy, -1 if unknown */
	long long       workers, claimed_fen, recovered_fen;
	long long       workers_paid; /* with a share of a payment */
	int             days; /* received -> closing step; -1 when none */
};

static const char *
str_at(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

/* date_prefix parses the date part of "YYYY-MM-DDThh:mm:ss+08:00". */
static bool
date_prefix(const char *at, struct civil_date *d)
{
	char buf[11];

	if (at == NULL || strlen(at) < 10) {
		return (false);
	}
	memcpy(buf, at, 10);
	buf[10] = '\0';
	return (validate_date(buf, d, "at", NULL) == WAGE_OK);
}

/*
 * tally_clocks: overdue now (a clock still running past its due date) and
 * ever overdue (also one stopped after its due date), from the due dates
 * the case's clock ledger keeps (clock.c derives them at every change and
 * when the calendar changes).
 */
static void
tally_clocks(const json_t *doc, struct tally *t)
{
	const char       *name, *state, *due, *stopped;
	const json_t     *e;
	struct civil_date today;
	char              now[16];

	civil_date_today(&today);
	civil_date_format(&today, now, sizeof(now));
	json_object_foreach (
	    (json_t *) json_object_get(doc, "clocks"), name, e) {
		state   = str_at(e, "state");
		due     = str_at(e, "due");
		stopped = str_at(e, "stopped");
		if (state == NULL || due == NULL) {
			continue;
		}
		if (strcmp(state, "stopped") != 0) {
			if (strcmp(now, due) > 0) {
				t->overdue_now = t->ever_overdue = true;
			}
		} else if (stopped != NULL && strcmp(stopped, due) > 0) {
			t->ever_overdue = true;
		}
	}
}

/*
 * tally_award: the kind of the case's award (Art 47). An award recorded
 * with items carries the server's reading of the whole award (award.c:
 * award.kind), final, not final or mixed, each counted apart: a mixed
 * award is not a final one (a court treats a challenge to it as to a
 * non-final award). An award recorded without items (policies before
 * award items) reads as it always has: the step's `final`, or final when
 * the server found one of the claimed items final.
 */
static void
tally_award(const json_t *doc, bool stated_final, struct tally *t)
{
	const json_t *award = json_object_get(doc, "award"), *it;
	const char   *kind  = str_at(award, "kind");
	size_t        i;

	if (kind != NULL) {
		t->award = strcmp(kind, "mixed") == 0 ? AWARD_MIXED
		    : strcmp(kind, "final") == 0      ? AWARD_FINAL
		                                      : AWARD_NOT_FINAL;
		return;
	}
	t->award = stated_final ? AWARD_FINAL : AWARD_NOT_FINAL;
	json_array_foreach (json_object_get(award, "items"), i, it) {
		if (json_is_true(json_object_get(it, "final"))) {
			t->award = AWARD_FINAL;
		}
	}
}

/*
 * workers_paid: how many workers a payment reached (confirm_paid's
 * fields): those with a share above 0 in paid_workers; without shares,
 * every worker of a payment in full, none of one in part (who got what
 * is not known).
 */
static long long
workers_paid(const json_t *doc, const json_t *fields)
{
	const json_t *pw = json_object_get(fields, "paid_workers"), *it;
	long long     n  = 0;
	size_t        i;

	if (pw == NULL) {
		return (json_is_true(json_object_get(
		            json_object_get(doc, "payment"), "partial"))
		        ? 0
		        : (long long) json_array_size(
		              json_object_get(doc, "claimants")));
	}
	json_array_foreach (pw, i, it) {
		n += json_integer_value(json_object_get(it, "amount_fen")) > 0;
	}
	return (n);
}

static void
tally_case(const struct policy *p, const json_t *doc,
    const struct civil_date *received, struct tally *t)
{
	const json_t     *steps, *s, *fields, *claim;
	const char       *ev, *to;
	struct civil_date closed;
	bool              have_closed = false, stated_final = false;
	long              ti;
	size_t            i;

	memset(t, 0, sizeof(*t));
	t->region = str_at(doc, "region");
	t->si     = policy_state_find(p, str_at(doc, "state"));
	t->days   = -1;
	t->workers =
	    (long long) json_array_size(json_object_get(doc, "claimants"));
	claim = json_object_get(doc, "claim");
	if (json_is_integer(json_object_get(claim, "total_fen"))) {
		t->claimed_fen =
		    json_integer_value(json_object_get(claim, "total_fen"));
	}
	steps = json_object_get(doc, "steps");
	json_array_foreach (steps, i, s) {
		ev     = str_at(s, "event");
		to     = str_at(s, "to");
		fields = json_object_get(s, "fields");
		if (ev == NULL) {
			continue;
		}
		if (strcmp(ev, EV_ACCEPT) == 0 ||
		    strcmp(ev, EV_ACCEPT_ARB) == 0) {
			t->accepted = true;
		} else if (strcmp(ev, EV_PRE_AGREEMENT) == 0 ||
		    strcmp(ev, EV_MED_AGREEMENT) == 0 ||
		    strcmp(ev, EV_ARB_SETTLED) == 0) {
			t->mediated = true;
		} else if (strcmp(ev, EV_AWARD) == 0) {
			/* final absent means not final (Art 47 not found). */
			t->awarded = true;
			stated_final =
			    json_is_true(json_object_get(fields, "final"));
		} else if (strcmp(ev, EV_CONFIRM_PAID) == 0 &&
		    json_is_integer(
		        json_object_get(fields, "amount_paid_fen"))) {
			t->recovered_fen += json_integer_value(
			    json_object_get(fields, "amount_paid_fen"));
			t->workers_paid = workers_paid(doc, fields);
		}
		ti = policy_state_find(p, to);
		if (ti >= 0 && p->states[ti].terminal &&
		    date_prefix(str_at(s, "at"), &closed)) {
			have_closed =
			    true; /* a terminal state has no way out */
		}
	}
	tally_clocks(doc, t);
	if (t->awarded) {
		tally_award(doc, stated_final, t);
	}
	if (t->si >= 0 && p->states[t->si].terminal && have_closed) {
		t->days = calendar_days_between(*received, closed);
		if (t->days < 0) {
			t->days = 0; /* received is never after filing */
		}
	}
}

/* ---- campaign ------------------------------------------------------ */

struct group {
	char      code[8];
	long long received, accepted, refused, transferred, in_intake,
	    in_mediation, mediated, in_arbitration, in_other, awarded,
	    awarded_final, awarded_not_final, awarded_mixed, closed;
	long long  overdue_now, ever_overdue;
	long long *by_kind; /* per state index of the policy */
	long long  workers, claimed_fen, recovered_fen, workers_paid;
	long long  hist[REPORT_NBUCKETS];
	int       *days;
	size_t     ndays, capdays;
};

struct campaign {
	struct store_txn    *txn;
	const struct policy *p;
	report_visible_fn    visible;
	void                *varg;
	const char          *from, *to; /* YYYY-MM-DD, compared as text */
	const char          *region;    /* filter, or NULL */
	size_t               keep;      /* digits of the group code kept */
	struct group        *groups;
	size_t               ngroups, capgroups;
	struct group         total;
	int                  too_many;
};

static int
group_init(struct group *g, const char *code, size_t nstates)
{
	memset(g, 0, sizeof(*g));
	snprintf(g->code, sizeof(g->code), "%s", code);
	g->by_kind = calloc(nstates > 0 ? nstates : 1, sizeof(long long));
	return (g->by_kind != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

static void
group_fini(struct group *g)
{
	free(g->by_kind);
	free(g->days);
	g->by_kind = NULL;
	g->days    = NULL;
}

static int
group_add(struct group *g, const struct policy *p, const struct tally *t)
{
	const char *phase;
	int        *nd;
	size_t      b;

	g->received++;
	g->accepted += t->accepted;
	g->mediated += t->mediated;
	if (t->awarded) {
		g->awarded++;
		g->awarded_final += t->award == AWARD_FINAL;
		g->awarded_not_final += t->award == AWARD_NOT_FINAL;
		g->awarded_mixed += t->award == AWARD_MIXED;
	}
	g->overdue_now += t->overdue_now;
	g->ever_overdue += t->ever_overdue;
	g->workers += t->workers;
	g->claimed_fen += t->claimed_fen;
	g->recovered_fen += t->recovered_fen;
	g->workers_paid += t->workers_paid;
	if (t->si < 0) {
		g->in_other++;
		return (WAGE_OK);
	}
	phase = p->states[t->si].phase;
	if (strcmp(p->states[t->si].name, ST_REFUSED) == 0) {
		g->refused++;
	} else if (strcmp(p->states[t->si].name, ST_TRANSFERRED) == 0) {
		g->transferred++;
	}
	if (p->states[t->si].terminal) {
		g->closed++;
		g->by_kind[t->si]++;
	} else if (strcmp(phase, "intake") == 0) {
		g->in_intake++;
	} else if (strcmp(phase, "mediation") == 0) {
		g->in_mediation++;
	} else if (strcmp(phase, "arbitration") == 0) {
		g->in_arbitration++;
	} else {
		/* Labour inspection (its own track), or a non-terminal
		 * state in phase closed. */
		g->in_other++;
	}
	if (t->days < 0) {
		return (WAGE_OK);
	}
	for (b = 0; b < REPORT_NBUCKETS - 1 && t->days > bucket_max[b]; b++) {
	}
	g->hist[b]++;
	if (g->ndays == g->capdays) {
		size_t n = g->capdays ? g->capdays * 2 : 16;

		if ((nd = realloc(g->days, n * sizeof(*nd))) == NULL) {
			return (WAGE_E_INTERNAL);
		}
		g->days    = nd;
		g->capdays = n;
	}
	g->days[g->ndays++] = t->days;
	return (WAGE_OK);
}

/* find_group returns the group for code, adding it; NULL on failure. */
static struct group *
find_group(struct campaign *c, const char *code)
{
	struct group *ng;
	size_t        i;

	for (i = 0; i < c->ngroups; i++) {
		if (strcmp(c->groups[i].code, code) == 0) {
			return (&c->groups[i]);
		}
	}
	if (c->ngroups >= REPORT_MAX_GROUPS) {
		c->too_many = 1;
		return (NULL);
	}
	if (c->ngroups == c->capgroups) {
		size_t n = c->capgroups ? c->capgroups * 2 : 16;

		if ((ng = realloc(c->groups, n * sizeof(*ng))) == NULL) {
			return (NULL);
		}
		c->groups    = ng;
		c->capgroups = n;
	}
	if (group_init(&c->groups[c->ngroups], code, c->p->nstates) !=
	    WAGE_OK) {
		return (NULL);
	}
	return (&c->groups[c->ngroups++]);
}

/* id_of copies the case id, the last part of an index key, into buf. */
static int
id_of(const MDB_val *k, char *buf, size_t len)
{
	const char *key = k->mv_data, *sep = key + k->mv_size;
	size_t      n;

	while (sep > key && sep[-1] != SEP) {
		sep--;
	}
	n = (size_t) (key + k->mv_size - sep);
	if (n == 0 || n >= len) {
		return (WAGE_E_INTERNAL);
	}
	memcpy(buf, sep, n);
	buf[n] = '\0';
	return (WAGE_OK);
}

/*
 * load_case decodes the case named by an index key and decides whether it
 * counts: visible to the caller and received within [from, to] (either may
 * be NULL). *doc is NULL when it does not count.
 */
static int
load_case(struct store_txn *txn, const MDB_val *k, report_visible_fn visible,
    void *varg, const char *from, const char *to, json_t **doc,
    struct civil_date *received)
{
	char        id[WAGE_CASE_ID_MAX + 1];
	const char *rcv;
	int         rc;

	*doc = NULL;
	if ((rc = id_of(k, id, sizeof(id))) != WAGE_OK) {
		log_warnx("%s: an index key has no case id", __func__);
		return (rc);
	}
	if ((rc = caserec_get(txn, id, 1, doc)) != WAGE_OK) {
		return (rc == WAGE_E_NOT_FOUND ? WAGE_E_INTERNAL : rc);
	}
	rcv = str_at(*doc, "received");
	if (rcv == NULL ||
	    validate_date(rcv, received, "received", NULL) != WAGE_OK) {
		log_warnx("%s: case %s has no valid received date; not "
		          "counted",
		    __func__, id);
		goto skip;
	}
	if ((from != NULL && strcmp(rcv, from) < 0) ||
	    (to != NULL && strcmp(rcv, to) > 0)) {
		goto skip;
	}
	if (visible != NULL && visible(*doc, varg) != 1) {
		goto skip;
	}
	return (WAGE_OK);
skip:
	json_decref(*doc);
	*doc = NULL;
	return (WAGE_OK);
}

static int
campaign_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct campaign  *c = arg;
	struct group     *g;
	struct tally      t;
	struct civil_date received;
	json_t           *doc;
	char              code[8];
	int               rc;

	(void) v;
	if ((rc = load_case(c->txn, k, c->visible, c->varg, c->from, c->to,
	         &doc, &received)) != WAGE_OK ||
	    doc == NULL) {
		return (rc);
	}
	tally_case(c->p, doc, &received, &t);
	/* A pending 移送 is the sending body's: counted once, there. */
	if (!caserec_key_primary(DB_BY_REGION, k, t.region)) {
		json_decref(doc);
		return (0);
	}
	if (t.region == NULL || strlen(t.region) != WAGE_REGION_LEN ||
	    (c->region != NULL &&
	        !validate_region_within(t.region, c->region))) {
		json_decref(doc);
		return (0);
	}
	/* City: 370102 -> 370100; county: the code itself. */
	memcpy(code, t.region, WAGE_REGION_LEN);
	memset(code + c->keep, '0', WAGE_REGION_LEN - c->keep);
	code[WAGE_REGION_LEN] = '\0';
	if ((g = find_group(c, code)) == NULL) {
		json_decref(doc);
		return (c->too_many ? STORE_SCAN_STOP : WAGE_E_INTERNAL);
	}
	rc = group_add(g, c->p, &t);
	if (rc == WAGE_OK) {
		rc = group_add(&c->total, c->p, &t);
	}
	json_decref(doc);
	return (rc);
}

static int
int_cmp(const void *a, const void *b)
{
	int x = *(const int *) a, y = *(const int *) b;

	return ((x > y) - (x < y));
}

static int
group_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct group *) a)->code,
	    ((const struct group *) b)->code));
}

/* nearest_rank: the smallest value with at least pct% at or below it. */
static json_t *
nearest_rank(const int *sorted, size_t n, unsigned pct)
{
	size_t rank;

	if (n == 0) {
		return (json_null());
	}
	rank = (pct * n + 99) / 100;
	if (rank < 1) {
		rank = 1;
	}
	return (json_integer(sorted[rank - 1]));
}

static json_t *
group_json(struct group *g, const struct policy *p, bool is_total)
{
	json_t     *o, *kinds, *hist;
	const char *label;
	size_t      i;

	if (g->ndays > 1) {
		qsort(g->days, g->ndays, sizeof(int), int_cmp);
	}
	kinds = json_object();
	hist  = json_array();
	if (kinds == NULL || hist == NULL) {
		json_decref(kinds);
		json_decref(hist);
		return (NULL);
	}
	for (i = 0; i < p->nstates; i++) {
		if (g->by_kind[i] > 0) {
			json_object_set_new(kinds, p->states[i].name,
			    json_integer(g->by_kind[i]));
		}
	}
	for (i = 0; i < REPORT_NBUCKETS; i++) {
		json_array_append_new(hist, json_integer(g->hist[i]));
	}
	label = is_total ? "合计" : report_region_label(g->code);
	o     = json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, "
	                      "s:I, s:I, s:I, s:I, s:I, s:I}",
	        "code", is_total ? json_null() : json_string(g->code), "label",
            label != NULL ? label : g->code, "received", g->received,
	        "accepted", g->accepted, "refused", g->refused, "transferred",
	        g->transferred, "in_intake", g->in_intake, "in_mediation",
	        g->in_mediation, "mediated", g->mediated, "in_arbitration",
	        g->in_arbitration, "in_other", g->in_other, "awarded", g->awarded,
	        "awarded_final", g->awarded_final, "awarded_not_final",
	        g->awarded_not_final, "awarded_mixed", g->awarded_mixed, "closed",
	        g->closed);
	if (o == NULL) {
		json_decref(kinds);
		json_decref(hist);
		return (NULL);
	}
	json_object_set_new(o, "closed_by_kind", kinds);
	json_object_set_new(o, "workers", json_integer(g->workers));
	json_object_set_new(o, "claimed_fen", json_integer(g->claimed_fen));
	json_object_set_new(
	    o, "recovered_fen", json_integer(g->recovered_fen));
	json_object_set_new(o, "workers_paid", json_integer(g->workers_paid));
	json_object_set_new(
	    o, "days_to_close_median", nearest_rank(g->days, g->ndays, 50));
	json_object_set_new(
	    o, "days_to_close_p90", nearest_rank(g->days, g->ndays, 90));
	json_object_set_new(o, "days_to_close", hist);
	json_object_set_new(o, "overdue_now", json_integer(g->overdue_now));
	json_object_set_new(o, "ever_overdue", json_integer(g->ever_overdue));
	return (o);
}

static int
campaign_args(const json_t *args, const char **from, const char **to,
    const char **region, struct wage_error *err)
{
	static const char *const keys[] = { "from", "to", "region", NULL };
	struct civil_date        df, dt;
	const json_t            *v;
	int                      rc;

	*region = NULL;
	if ((rc = filing_check_object(args, keys, "args", err)) != WAGE_OK ||
	    (rc = arg_date(args, "from", true, from, &df, err)) != WAGE_OK ||
	    (rc = arg_date(args, "to", true, to, &dt, err)) != WAGE_OK ||
	    (rc = period_ok(&df, &dt, true, err)) != WAGE_OK) {
		return (rc);
	}
	if ((v = json_object_get(args, "region")) != NULL) {
		if (!json_is_string(v) ||
		    validate_region(json_string_value(v), "region", err) !=
		        WAGE_OK) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "region",
			    "'region' must be a 6-digit region code (370000 a "
			    "province, 370100 a city, 370102 a county)"));
		}
		*region = json_string_value(v);
	}
	return (WAGE_OK);
}

int
report_campaign(struct store_txn *txn, const struct policy *p,
    const json_t *args, report_visible_fn visible, void *varg, json_t **result,
    struct wage_error *err)
{
	struct campaign c;
	json_t         *out = NULL, *groups = NULL, *kinds = NULL, *row;
	json_t         *buckets = NULL, *empty = NULL;
	const char     *label, *group_by;
	char            prefix[8];
	size_t          plen, i;
	int             rc;

	*result = NULL;
	memset(&c, 0, sizeof(c));
	if (args == NULL) {
		args = empty = json_object();
	}
	rc = campaign_args(args, &c.from, &c.to, &c.region, err);
	if (rc != WAGE_OK) {
		json_decref(empty);
		return (rc);
	}
	c.txn     = txn;
	c.p       = p;
	c.visible = visible;
	c.varg    = varg;
	/* region_prefix of ops.c: 370000 -> "37", 370100 -> "3701". */
	plen = 0;
	if (c.region != NULL) {
		memcpy(prefix, c.region, WAGE_REGION_LEN + 1);
		plen = WAGE_REGION_LEN;
		while (plen > 2 && prefix[plen - 1] == '0' &&
		    prefix[plen - 2] == '0') {
			plen -= 2;
		}
	}
	if (plen <= 2) {
		c.keep   = 4;
		group_by = "city";
	} else {
		c.keep   = WAGE_REGION_LEN;
		group_by = "county";
	}
	if ((rc = group_init(&c.total, "", p->nstates)) != WAGE_OK) {
		goto out;
	}
	rc = store_scan(
	    txn, DB_BY_REGION, prefix, plen, NULL, campaign_one, &c);
	if (rc != WAGE_OK) {
		goto out;
	}
	if (c.too_many) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "region",
		    "the cases fall in more than %d groups; give a 'region' "
		    "(a province or a city)",
		    REPORT_MAX_GROUPS);
		goto out;
	}
	if (c.ngroups > 1) { /* qsort wants a real pointer even for 0 */
		qsort(c.groups, c.ngroups, sizeof(*c.groups), group_cmp);
	}
	groups  = json_array();
	kinds   = json_array();
	buckets = json_array();
	if (groups == NULL || kinds == NULL || buckets == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	for (i = 0; i < c.ngroups; i++) {
		if ((row = group_json(&c.groups[i], p, false)) == NULL ||
		    json_array_append_new(groups, row) != 0) {
			rc = WAGE_E_INTERNAL;
			goto out;
		}
	}
	for (i = 0; i < p->nstates; i++) {
		if (p->states[i].terminal) {
			json_array_append_new(kinds,
			    json_pack("{s:s, s:s}", "state", p->states[i].name,
			        "label",
			        p->states[i].label != NULL
			            ? p->states[i].label
			            : p->states[i].name));
		}
	}
	for (i = 0; i < REPORT_NBUCKETS; i++) {
		json_array_append_new(buckets, json_string(bucket_labels[i]));
	}
	if ((row = group_json(&c.total, p, true)) == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	label = report_region_label(c.region);
	out   = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s, s:O, s:O, s:O, "
	                    "s:o, s:[]}",
	      "report", "campaign", "from", c.from, "to", c.to, "region",
	      c.region, "region_label", label != NULL ? label : c.region,
	      "group_by", group_by, "closed_kinds", kinds,
	      "days_to_close_buckets", buckets, "groups", groups, "total", row,
	      "notes");
	if (out == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	*result = out;
	rc      = WAGE_OK;
out:
	for (i = 0; i < c.ngroups; i++) {
		group_fini(&c.groups[i]);
	}
	free(c.groups);
	group_fini(&c.total);
	json_decref(groups);
	json_decref(kinds);
	json_decref(buckets);
	json_decref(empty);
	return (rc);
}

/* ---- employers ----------------------------------------------------- */

struct employer {
	char      code[32];
	char     *name;
	char      name_received[11], name_id[WAGE_CASE_ID_MAX + 1];
	char      first[11], last[11];
	long long cases, open, workers, claimed_fen, recovered_fen;
	json_t   *ids; /* new reference, at most REPORT_MAX_CASE_IDS */
	bool      ids_truncated;
};

struct employers {
	struct store_txn    *txn;
	const struct policy *p;
	report_visible_fn    visible;
	void                *varg;
	const char          *from, *to;
	long long            min_cases, min_amount_fen;
	struct employer      cur; /* the respondent being walked */
	struct employer     *list;
	size_t               n, cap;
};

static void
employer_fini(struct employer *e)
{
	free(e->name);
	json_decref(e->ids);
	memset(e, 0, sizeof(*e));
}

/* employer_done keeps cur when it qualifies and starts a new one. */
static int
employer_done(struct employers *es)
{
	struct employer *e = &es->cur, *nl;
	bool             keep;

	keep = e->cases > 0 &&
	    (e->cases >= es->min_cases ||
	        (es->min_amount_fen > 0 &&
	            e->claimed_fen >= es->min_amount_fen));
	if (!keep) {
		employer_fini(e);
		return (WAGE_OK);
	}
	if (es->n == es->cap) {
		size_t n = es->cap ? es->cap * 2 : 32;

		if ((nl = realloc(es->list, n * sizeof(*nl))) == NULL) {
			employer_fini(e);
			return (WAGE_E_INTERNAL);
		}
		es->list = nl;
		es->cap  = n;
	}
	es->list[es->n++] = *e;
	memset(e, 0, sizeof(*e));
	return (WAGE_OK);
}

static int
employers_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct employers *es = arg;
	struct employer  *e  = &es->cur;
	struct civil_date received;
	const char       *key = k->mv_data, *sep, *rcv, *id, *name;
	const json_t     *fields, *s;
	json_t           *doc;
	size_t            clen, i;
	long              si;
	int               rc;

	(void) v;
	sep = memchr(key, SEP, k->mv_size);
	if (sep == NULL || sep == key ||
	    (size_t) (sep - key) >= sizeof(e->code)) {
		log_warnx("%s: a by_credit key has no credit code", __func__);
		return (WAGE_E_INTERNAL);
	}
	clen = (size_t) (sep - key);
	/* Keys sort by credit code, so each respondent's cases are in a
	 * run: a new code closes the one before. */
	if (e->cases == 0 && e->code[0] == '\0') {
		memcpy(e->code, key, clen);
	} else if (strlen(e->code) != clen ||
	    memcmp(e->code, key, clen) != 0) {
		if ((rc = employer_done(es)) != WAGE_OK) {
			return (rc);
		}
		memcpy(e->code, key, clen);
	}
	if ((rc = load_case(es->txn, k, es->visible, es->varg, es->from,
	         es->to, &doc, &received)) != WAGE_OK ||
	    doc == NULL) {
		return (rc);
	}
	rcv  = str_at(doc, "received");
	id   = str_at(doc, "id");
	name = str_at(json_object_get(doc, "respondent"), "name");
	if (id == NULL) {
		json_decref(doc);
		return (WAGE_E_INTERNAL);
	}
	if (e->ids == NULL && (e->ids = json_array()) == NULL) {
		json_decref(doc);
		return (WAGE_E_INTERNAL);
	}
	e->cases++;
	if (json_array_size(e->ids) < REPORT_MAX_CASE_IDS) {
		json_array_append_new(e->ids, json_string(id));
	} else {
		e->ids_truncated = true;
	}
	/* The name on the latest case received (then the latest filed:
	 * case ids grow with time) is the respondent's current name. */
	if (name != NULL &&
	    (e->name == NULL || strcmp(rcv, e->name_received) > 0 ||
	        (strcmp(rcv, e->name_received) == 0 &&
	            strcmp(id, e->name_id) > 0))) {
		free(e->name);
		if ((e->name = strdup(name)) == NULL) {
			json_decref(doc);
			return (WAGE_E_INTERNAL);
		}
		snprintf(
		    e->name_received, sizeof(e->name_received), "%s", rcv);
		snprintf(e->name_id, sizeof(e->name_id), "%s", id);
	}
	if (e->first[0] == '\0' || strcmp(rcv, e->first) < 0) {
		snprintf(e->first, sizeof(e->first), "%s", rcv);
	}
	if (strcmp(rcv, e->last) > 0) {
		snprintf(e->last, sizeof(e->last), "%s", rcv);
	}
	e->workers +=
	    (long long) json_array_size(json_object_get(doc, "claimants"));
	if (json_is_integer(
	        json_object_get(json_object_get(doc, "claim"), "total_fen"))) {
		e->claimed_fen += json_integer_value(json_object_get(
		    json_object_get(doc, "claim"), "total_fen"));
	}
	json_array_foreach (json_object_get(doc, "steps"), i, s) {
		fields = json_object_get(s, "fields");
		if (str_at(s, "event") != NULL &&
		    strcmp(str_at(s, "event"), EV_CONFIRM_PAID) == 0 &&
		    json_is_integer(
		        json_object_get(fields, "amount_paid_fen"))) {
			e->recovered_fen += json_integer_value(
			    json_object_get(fields, "amount_paid_fen"));
		}
	}
	si = policy_state_find(es->p, str_at(doc, "state"));
	if (si < 0 || !es->p->states[si].terminal) {
		e->open++;
	}
	json_decref(doc);
	return (0);
}

static int
employer_cmp(const void *a, const void *b)
{
	const struct employer *x = a, *y = b;

	if (x->claimed_fen != y->claimed_fen) {
		return (x->claimed_fen > y->claimed_fen ? -1 : 1);
	}
	if (x->cases != y->cases) {
		return (x->cases > y->cases ? -1 : 1);
	}
	return (strcmp(x->code, y->code));
}

static int
arg_int(const json_t *args, const char *name, long long min, long long max,
    long long *out, struct wage_error *err)
{
	const json_t *v = json_object_get(args, name);

	if (v == NULL) {
		return (WAGE_OK);
	}
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, name,
		    "'%s' must be a whole number from %lld to %lld", name, min,
		    max));
	}
	*out = json_integer_value(v);
	return (WAGE_OK);
}

int
report_employers(struct store_txn *txn, const struct policy *p,
    const json_t *args, report_visible_fn visible, void *varg, json_t **result,
    struct wage_error *err)
{
	static const char *const keys[] = { "min_cases", "min_amount_fen",
		"from", "to", NULL };
	struct employers         es;
	struct employer         *e;
	struct civil_date        df, dt;
	json_t                  *list = NULL, *row, *out, *empty = NULL;
	size_t                   i;
	int                      rc;

	*result = NULL;
	memset(&es, 0, sizeof(es));
	es.txn            = txn;
	es.p              = p;
	es.visible        = visible;
	es.varg           = varg;
	es.min_cases      = 2;
	es.min_amount_fen = 0;
	if (args == NULL) {
		args = empty = json_object();
	}
	if ((rc = filing_check_object(args, keys, "args", err)) != WAGE_OK ||
	    (rc = arg_int(args, "min_cases", 1, 1000000, &es.min_cases,
	         err)) != WAGE_OK ||
	    (rc = arg_int(args, "min_amount_fen", 0, WAGE_MAX_AMOUNT_FEN,
	         &es.min_amount_fen, err)) != WAGE_OK ||
	    (rc = arg_date(args, "from", false, &es.from, &df, err)) !=
	        WAGE_OK ||
	    (rc = arg_date(args, "to", false, &es.to, &dt, err)) != WAGE_OK) {
		goto out;
	}
	if (es.from != NULL && es.to != NULL &&
	    (rc = period_ok(&df, &dt, false, err)) != WAGE_OK) {
		goto out;
	}
	if ((rc = store_scan(txn, DB_BY_CREDIT, "", 0, NULL, employers_one,
	         &es)) != WAGE_OK ||
	    (rc = employer_done(&es)) != WAGE_OK) {
		goto out;
	}
	if (es.n > 1) {
		qsort(es.list, es.n, sizeof(*es.list), employer_cmp);
	}
	if ((list = json_array()) == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	for (i = 0; i < es.n && i < REPORT_MAX_EMPLOYERS; i++) {
		e = &es.list[i];
		row =
		    json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s, s:s, "
		              "s:O, s:b}",
		        "credit_code", e->code, "name",
		        e->name != NULL ? e->name : "", "cases", e->cases,
		        "open_cases", e->open, "workers", e->workers,
		        "claimed_fen", e->claimed_fen, "recovered_fen",
		        e->recovered_fen, "first_received", e->first,
		        "last_received", e->last, "case_ids", e->ids,
		        "case_ids_truncated", e->ids_truncated);
		if (row == NULL || json_array_append_new(list, row) != 0) {
			rc = WAGE_E_INTERNAL;
			goto out;
		}
	}
	out = json_pack("{s:s, s:s?, s:s?, s:I, s:I, s:I, s:b, s:O}", "report",
	    "employers", "from", es.from, "to", es.to, "min_cases",
	    es.min_cases, "min_amount_fen", es.min_amount_fen, "total",
	    (json_int_t) es.n, "truncated", es.n > REPORT_MAX_EMPLOYERS,
	    "employers", list);
	if (out == NULL) {
		rc = WAGE_E_INTERNAL;
		goto out;
	}
	*result = out;
	rc      = WAGE_OK;
out:
	employer_fini(&es.cur);
	for (i = 0; i < es.n; i++) {
		employer_fini(&es.list[i]);
	}
	free(es.list);
	json_decref(list);
	json_decref(empty);
	return (rc);
}
