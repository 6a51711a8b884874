/* SPDX-License-Identifier: MIT */
/*
 * award.c - the award of a case and its items (award.h): the items'
 * shape, their checks against the case (dates, claimants, the claim), the
 * classification of each item under 劳动争议调解仲裁法 第47条, each worker
 * apart, and the record of it beside the kind the award states.
 * Owns: the "award" member of a case document. Must not: store, log, or
 * start clocks (caserules.c starts the challenge windows from what
 * award_record returns).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "award.h"
#include "filing.h"
#include "minwage.h"

/* The policy clock whose start is the day the award period began: from
 * acceptance, or from the day it was counted again (办案规则 第46条). */
#define AWARD_CLOCK "award"

#define MAX_KINDS    16 /* filing_claim_kinds, with room */
#define NOTE_MAX     1024
#define NOTE_ITEMS   10 /* mismatched items named in the note */
#define RULE_CLAIM   "劳动争议调解仲裁法 第28条, to confirm"
#define RULE_PERIOD  "劳动争议调解仲裁法 第43条"
#define ITEM_MEMBERS "worker, kind, amount_fen, stated"

/* Which part of Art 47 an item's kind falls under. */
enum rule { RULE_NONE = 0, RULE_47_1, RULE_47_2 };

/* 第47条(一): labour remuneration (wages, overtime pay), work-injury
 * medical costs, economic compensation or damages. */
static const char *const art47_1[] = { "wages", "overtime", "medical",
	"compensation", NULL };
/* 第47条(二): working hours, rest and leave, social insurance. */
static const char *const art47_2[] = { "working_hours", "rest_leave",
	"social_insurance", NULL };

static const char *const rule_names[] = {
	[RULE_NONE] = "none", [RULE_47_1] = "47(1)", [RULE_47_2] = "47(2)"
};

static bool
in_list(const char *s, const char *const *list)
{
	size_t i;

	for (i = 0; s != NULL && list[i] != NULL; i++) {
		if (strcmp(s, list[i]) == 0) {
			return (true);
		}
	}
	return (false);
}

static enum rule
rule_of(const char *kind)
{
	if (in_list(kind, art47_1)) {
		return (RULE_47_1);
	}
	return (in_list(kind, art47_2) ? RULE_47_2 : RULE_NONE);
}

/* kind_index: position of kind in filing_claim_kinds, or -1. */
static int
kind_index(const char *kind)
{
	int k;

	for (k = 0; kind != NULL && filing_claim_kinds[k] != NULL; k++) {
		if (strcmp(kind, filing_claim_kinds[k]) == 0) {
			return (k);
		}
	}
	return (-1);
}

/* a JSON string without a NUL inside (which would hide its tail) */
static const char *
plain_string(const json_t *v)
{
	const char *s = json_string_value(v);

	return (s != NULL && strlen(s) == json_string_length(v) ? s : NULL);
}

static const char *
yuan(long long fen, char *buf, size_t len)
{
	snprintf(buf, len, "%lld.%02lld", fen / 100, fen % 100);
	return (buf);
}

static void
kinds_list(char *buf, size_t len)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; filing_claim_kinds[i] != NULL && off < len; i++) {
		off += (size_t) snprintf(buf + off, len - off, "%s%s",
		    i ? ", " : "", filing_claim_kinds[i]);
	}
}

/* echo_ok: a member name short and plain enough to be quoted back. */
static bool
echo_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= 24 ||
		    !((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) {
			return (false);
		}
	}
	return (i > 0);
}

/* ---- the items on their own (workflow.c, type award_items) ---------- */

static int
check_item(const json_t *it, const char *p, struct wage_error *err)
{
	static const char *const keys[] = { "worker", "kind", "amount_fen",
		"stated", NULL };
	const char              *key, *kind, *stated;
	const json_t            *v;
	char                     f[64], list[160];
	json_int_t               n;

	if (!json_is_object(it)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, p,
		    "'%s' must be an object {" ITEM_MEMBERS "}", p));
	}
	json_object_foreach ((json_t *) it, key, v) {
		if (in_list(key, keys)) {
			continue;
		}
		if (!echo_ok(key)) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, p,
			    "'%s' has a member that is not one of an award "
			    "item; allowed: " ITEM_MEMBERS,
			    p));
		}
		snprintf(f, sizeof(f), "%s.%s", p, key);
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
		    "'%s' is not a member of an award item; allowed: "
		    "" ITEM_MEMBERS,
		    f));
	}

	snprintf(f, sizeof(f), "%s.worker", p);
	v = json_object_get(it, "worker");
	if (v != NULL &&
	    (!json_is_integer(v) || json_integer_value(v) < 0 ||
	        json_integer_value(v) >= WAGE_MAX_CLAIMANTS)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
		    "'%s' must be the claimant's position on the case: a "
		    "whole number from 0 (the first claimant) to %d",
		    f, WAGE_MAX_CLAIMANTS - 1));
	}

	snprintf(f, sizeof(f), "%s.kind", p);
	v    = json_object_get(it, "kind");
	kind = plain_string(v);
	if (kind_index(kind) < 0) {
		kinds_list(list, sizeof(list));
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
		    "'%s' %s; allowed: %s", f,
		    v == NULL ? "is required" : "is not a kind of claim",
		    list));
	}

	snprintf(f, sizeof(f), "%s.amount_fen", p);
	v = json_object_get(it, "amount_fen");
	if (!json_is_integer(v)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
		    "'%s' %s: a whole number of fen (1 yuan = 100 fen)", f,
		    v == NULL ? "is required" : "must be an amount"));
	}
	n = json_integer_value(v);
	if (n < 0 || n > WAGE_MAX_AMOUNT_FEN) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
		    "'%s' must be from 0 to %lld fen (1,000,000,000 yuan)", f,
		    WAGE_MAX_AMOUNT_FEN));
	}
	if (n == 0 && rule_of(kind) != RULE_47_2) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
		    "'%s' must be above 0 for an item of kind %s; 0 is "
		    "allowed only for working_hours, rest_leave and "
		    "social_insurance (Art 47(2): not money)",
		    f, kind));
	}

	snprintf(f, sizeof(f), "%s.stated", p);
	v      = json_object_get(it, "stated");
	stated = plain_string(v);
	if (stated == NULL ||
	    (strcmp(stated, "final") != 0 &&
	        strcmp(stated, "nonfinal") != 0)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
		    "'%s' %s: final or nonfinal, the kind the award states "
		    "for this item (Art 47)",
		    f, v == NULL ? "is required" : "must be one of"));
	}
	return (WAGE_OK);
}

int
award_items_check(
    const json_t *items, const char *path, struct wage_error *err)
{
	const json_t *it;
	char          p[48];
	size_t        i;
	int           rc;

	if (path == NULL) {
		path = "items";
	}
	if (!json_is_array(items) || json_array_size(items) == 0 ||
	    json_array_size(items) > WAGE_MAX_AWARD_ITEMS) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' must be a list of 1 to %d award items, each "
		    "{" ITEM_MEMBERS "}",
		    path, WAGE_MAX_AWARD_ITEMS));
	}
	json_array_foreach (items, i, it) {
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if ((rc = check_item(it, p, err)) != WAGE_OK) {
			return (rc);
		}
	}
	return (WAGE_OK);
}

/* ---- dates ---------------------------------------------------------- */

static int
not_future(const char *ds, const struct civil_date *d, struct wage_error *err)
{
	struct civil_date today;
	char              t[16];

	civil_date_today(&today);
	if (civil_date_cmp(d, &today) <= 0) {
		return (WAGE_OK);
	}
	civil_date_format(&today, t, sizeof(t));
	return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "fields.award_date",
	    "'fields.award_date' (%s) must not be in the future: today is "
	    "%s",
	    ds, t));
}

/*
 * period_began: the day the award period began, the award clock's start
 * (acceptance, 第43条), or when the case has none the day the complaint
 * was received. Returns false when neither is a date.
 */
static bool
period_began(const json_t *doc, struct civil_date *d, const char **what)
{
	const json_t *c =
	    json_object_get(json_object_get(doc, "clocks"), AWARD_CLOCK);
	const char *s = json_string_value(json_object_get(c, "start"));

	if (s != NULL && validate_date(s, d, "start", NULL) == WAGE_OK) {
		*what = "the day the award period began (acceptance)";
		return (true);
	}
	s     = json_string_value(json_object_get(doc, "received"));
	*what = "the day the complaint was received";
	return (s != NULL && validate_date(s, d, "received", NULL) == WAGE_OK);
}

/* ---- the claim ------------------------------------------------------ */

/*
 * claimed_by_kind sums doc.claim.items by kind into claimed[] (indexed as
 * filing_claim_kinds), marks the kinds claimed in has[], and returns the
 * total.
 */
static long long
claimed_by_kind(const json_t *doc, long long *claimed, bool *has)
{
	const json_t *it;
	long long     total = 0, a;
	size_t        i;
	int           k;

	json_array_foreach (
	    json_object_get(json_object_get(doc, "claim"), "items"), i, it) {
		a = (long long) json_integer_value(
		    json_object_get(it, "amount_fen"));
		total += a;
		k = kind_index(json_string_value(json_object_get(it, "kind")));
		if (k >= 0 && k < MAX_KINDS) {
			claimed[k] += a;
			has[k] = true;
		}
	}
	return (total);
}

/* ---- an award without items (policies before award_items) ---------- */

static int
record_claimed(const struct caserules_env *env, json_t *doc,
    const json_t *fields, const char *ds, struct civil_date award_date,
    int *any_final, int *any_nonfinal, struct wage_error *err)
{
	const char *region = json_string_value(json_object_get(doc, "region"));
	const char *rs = json_string_value(json_object_get(doc, "received"));
	const json_t     *amount = json_object_get(fields, "amount_fen");
	const json_t     *items, *it;
	struct civil_date received;
	long long         limit = 0, claimed[MAX_KINDS] = { 0 }, total;
	bool              has[MAX_KINDS] = { false };
	char              a[32], b[32];
	int               tier = 0, known, final;
	json_t           *out, *award;
	size_t            i;
	const char       *kind;
	json_int_t        amt;

	if (rs != NULL &&
	    validate_date(rs, &received, "received", NULL) == WAGE_OK &&
	    civil_date_cmp(&award_date, &received) < 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.award_date",
		    "'fields.award_date' (%s) must not be before %s, the day "
		    "the complaint was received",
		    ds, rs));
	}
	/* Only with a claim on record can the award be held to it. */
	items = json_object_get(json_object_get(doc, "claim"), "items");
	total = claimed_by_kind(doc, claimed, has);
	if (json_array_size(items) > 0 && json_is_integer(amount) &&
	    json_integer_value(amount) > total) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.amount_fen",
		    "'fields.amount_fen' (%s yuan) is above the %s yuan "
		    "claimed: an award cannot exceed the claim (" RULE_CLAIM
		    ")",
		    yuan(json_integer_value(amount), a, sizeof(a)),
		    yuan(total, b, sizeof(b))));
	}

	/* As before award items: the claimed items of the kinds Art 47(1)
	 * names, each against 12 x the minimum wage on the award date. */
	known = region != NULL &&
	    minwage_final_limit_fen(
	        env->minwage, region, award_date, &limit, &tier) == WAGE_OK;
	if ((out = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_array_foreach (items, i, it) {
		kind  = json_string_value(json_object_get(it, "kind"));
		amt   = json_integer_value(json_object_get(it, "amount_fen"));
		final = known && rule_of(kind) == RULE_47_1 &&
		    amt <= (json_int_t) limit;
		*any_final |= final;
		*any_nonfinal |= !final;
		json_array_append_new(out,
		    json_pack("{s:s?, s:I, s:b}", "kind", kind, "amount_fen",
		        amt, "final", final));
	}
	award = json_pack("{s:s, s:O?, s:o, s:o, s:i, s:o, s:s}", "date", ds,
	    "amount_fen", amount, "limit_fen",
	    known ? json_integer(limit) : json_null(), "minimum_wage_fen",
	    known ? json_integer(limit / 12) : json_null(), "tier", tier,
	    "items", out, "basis",
	    known ? "劳动争议调解仲裁法 Art 47: a claim item for wages, "
	            "medical costs or compensation not above 12 months "
	            "of the local minimum wage is final for the employer"
	          : "no minimum-wage table covers this region on the "
	            "award date: every item is treated as not final");
	if (award == NULL) {
		*any_final = *any_nonfinal = 0;
		return (WAGE_E_INTERNAL);
	}
	json_object_set_new(doc, "award", award);
	return (WAGE_OK);
}

/* ---- an award with items ---------------------------------------------- */

/* What the rule makes of a worker's items, or the award's. */
struct mix {
	int  nitems;
	bool final, nonfinal;
};

static const char *
mix_kind(const struct mix *m)
{
	if (m->final && m->nonfinal) {
		return ("mixed");
	}
	return (m->final ? "final" : "nonfinal");
}

/* the rule's reason for an item, for the mismatch note */
static void
reason(enum rule r, bool known, bool final, long long limit, char *buf,
    size_t len)
{
	char l[32];

	if (r == RULE_47_2) {
		snprintf(buf, len, "Art 47(2): final whatever the amount");
	} else if (r == RULE_NONE) {
		snprintf(buf, len, "not a kind Art 47 names");
	} else if (!known) {
		snprintf(buf, len,
		    "no minimum-wage table for the region on the award date");
	} else {
		snprintf(buf, len, "%s the limit of %s yuan",
		    final ? "not above" : "above", yuan(limit, l, sizeof(l)));
	}
}

/*
 * within_worker_claim: when the workers carry their own claims (filing.h),
 * what item i gives worker w of kind, with that worker's items of the
 * kind before it, stays within what w claimed of that kind.
 */
static int
within_worker_claim(const json_t *doc, const json_t *items, size_t i,
    json_int_t w, const char *kind, struct wage_error *err)
{
	const json_t *c = json_array_get(json_object_get(doc, "claimants"),
	    (size_t) w);
	const json_t *it;
	long long     claimed = 0, given = 0;
	char          f[64], a[32], b[32];
	size_t        j;

	if (json_object_get(c, "claims") == NULL) {
		return (WAGE_OK); /* a common claim: held as a whole */
	}
	json_array_foreach (json_object_get(c, "claims"), j, it) {
		if (strcmp(json_string_value(json_object_get(it, "kind")),
		        kind) == 0) {
			claimed += json_integer_value(
			    json_object_get(it, "amount_fen"));
		}
	}
	for (j = 0; j <= i; j++) {
		it = json_array_get(items, j);
		if (json_integer_value(json_object_get(it, "worker")) == w &&
		    strcmp(json_string_value(json_object_get(it, "kind")),
		        kind) == 0) {
			given += json_integer_value(
			    json_object_get(it, "amount_fen"));
		}
	}
	if (given <= claimed) {
		return (WAGE_OK);
	}
	snprintf(f, sizeof(f), "fields.items[%zu].amount_fen", i);
	if (claimed == 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
		    "'%s': claimants[%" JSON_INTEGER_FORMAT "] claimed "
		    "nothing of kind %s, and an award cannot go beyond a "
		    "worker's claim (" RULE_CLAIM ")",
		    f, w, kind));
	}
	return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
	    "'%s': claimants[%" JSON_INTEGER_FORMAT "] would be awarded %s "
	    "yuan of %s, above the %s yuan that worker claimed: an award "
	    "cannot exceed a worker's claim (" RULE_CLAIM ")",
	    f, w, yuan(given, a, sizeof(a)), kind,
	    yuan(claimed, b, sizeof(b))));
}

/*
 * check_items holds each item to the case: its worker a claimant (named
 * when there are several), at most WAGE_MAX_CLAIM_ITEMS a worker, and the
 * items of each kind within the claim of that kind; *total is their sum.
 * per[] has room for nworkers.
 */
static int
check_items(const json_t *doc, const json_t *items, size_t nworkers,
    bool several, struct mix *per, long long *total, struct wage_error *err)
{
	long long     claimed[MAX_KINDS] = { 0 }, awarded[MAX_KINDS] = { 0 };
	bool          has[MAX_KINDS] = { false };
	const json_t *it, *wv;
	const char   *kind;
	char          f[64], a[32], b[32];
	json_int_t    w;
	long long     amt;
	size_t        i;
	int           k, rc;

	claimed_by_kind(doc, claimed, has);
	*total = 0;
	json_array_foreach (items, i, it) {
		wv = json_object_get(it, "worker");
		w  = wv != NULL ? json_integer_value(wv) : 0;
		snprintf(f, sizeof(f), "fields.items[%zu].worker", i);
		if (wv == NULL && several) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' is required: the case has %zu claimants; "
			    "give the claimant's position, 0 to %zu",
			    f, nworkers, nworkers - 1));
		}
		if (w < 0 || (size_t) w >= nworkers) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' is %" JSON_INTEGER_FORMAT
			    ", but the case has %zu claimant%s: positions 0 "
			    "to %zu",
			    f, w, nworkers, nworkers == 1 ? "" : "s",
			    nworkers - 1));
		}
		if (++per[w].nitems > WAGE_MAX_CLAIM_ITEMS) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s': worker %" JSON_INTEGER_FORMAT
			    " has more than %d items; at most %d a worker",
			    f, w, WAGE_MAX_CLAIM_ITEMS, WAGE_MAX_CLAIM_ITEMS));
		}

		kind = json_string_value(json_object_get(it, "kind"));
		amt  = (long long) json_integer_value(
		     json_object_get(it, "amount_fen"));
		k = kind_index(kind);
		if (k < 0 || k >= MAX_KINDS) {
			return (WAGE_E_INTERNAL); /* award_items_check ran */
		}
		if (!has[k]) {
			snprintf(f, sizeof(f), "fields.items[%zu].kind", i);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s': the claim has no item of kind %s, and an "
			    "award cannot go beyond the claim (" RULE_CLAIM
			    ")",
			    f, kind));
		}
		awarded[k] += amt; /* <= 2000 items of <= 1e11 */
		*total += amt;
		if ((rc = within_worker_claim(doc, items, i, w, kind, err)) !=
		    WAGE_OK) {
			return (rc);
		}
		if (awarded[k] > claimed[k]) {
			snprintf(
			    f, sizeof(f), "fields.items[%zu].amount_fen", i);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s': the %s items add up to %s yuan with this "
			    "one, above the %s yuan claimed for %s: an award "
			    "cannot exceed the claim (" RULE_CLAIM ")",
			    f, kind, yuan(awarded[k], a, sizeof(a)),
			    yuan(claimed[k], b, sizeof(b)), kind));
		}
	}
	return (WAGE_OK);
}

/*
 * classify builds doc's new award record into *award (new reference):
 * each item by the rule, each worker's items apart (per[]), the whole
 * award, and the items whose stated kind differs from the rule.
 */
static int
classify(const struct caserules_env *env, const json_t *doc,
    const json_t *items, const char *ds, struct civil_date date,
    long long total, struct mix *per, size_t nworkers, json_t **award,
    int *any_final, int *any_nonfinal)
{
	const char *region = json_string_value(json_object_get(doc, "region"));
	const json_t *it, *wv;
	struct mix    whole = { 0, false, false };
	long long     limit = 0, amt;
	json_t       *out = NULL, *workers = NULL, *o;
	char          note[NOTE_MAX], why[96], a[32];
	const char   *kind, *stated;
	size_t        i, off = 0, nmis = 0;
	json_int_t    w;
	enum rule     r;
	bool          final, mis;
	int           known, tier = 0;

	*award = NULL;
	known  = region != NULL &&
	    minwage_final_limit_fen(
	        env->minwage, region, date, &limit, &tier) == WAGE_OK;
	if ((out = json_array()) == NULL || (workers = json_array()) == NULL) {
		goto fail;
	}
	note[0] = '\0';
	json_array_foreach (items, i, it) {
		wv   = json_object_get(it, "worker");
		w    = wv != NULL ? json_integer_value(wv) : 0;
		kind = json_string_value(json_object_get(it, "kind"));
		amt  = (long long) json_integer_value(
		     json_object_get(it, "amount_fen"));
		stated = json_string_value(json_object_get(it, "stated"));
		r      = rule_of(kind);
		/* 第47条(一): each item as awarded, not above 12 x; (二):
		 * whatever the amount. */
		final = r == RULE_47_2 ||
		    (r == RULE_47_1 && known && amt <= limit);
		mis = (strcmp(stated, "final") == 0) != final;
		per[w].final |= final;
		per[w].nonfinal |= !final;
		whole.final |= final;
		whole.nonfinal |= !final;
		o = json_pack("{s:I, s:s, s:I, s:b, s:s, s:b, s:s}", "worker",
		    w, "kind", kind, "amount_fen", (json_int_t) amt, "final",
		    final, "stated", stated, "mismatch", mis, "rule",
		    rule_names[r]);
		if (o == NULL || json_array_append_new(out, o) != 0) {
			goto fail;
		}
		if (!mis) {
			continue;
		}
		if (nmis++ < NOTE_ITEMS && off < sizeof(note)) {
			reason(r, known, final, limit, why, sizeof(why));
			off += (size_t) snprintf(note + off,
			    sizeof(note) - off,
			    "%sitems[%zu] (worker %" JSON_INTEGER_FORMAT
			    ", %s %s yuan) is stated %s, by the rule %s: %s",
			    nmis > 1 ? "; " : "", i, w, kind,
			    yuan(amt, a, sizeof(a)), stated,
			    final ? "final" : "nonfinal", why);
		}
	}
	if (nmis > NOTE_ITEMS && off < sizeof(note)) {
		snprintf(note + off, sizeof(note) - off, "; and %zu more",
		    nmis - NOTE_ITEMS);
	}
	for (i = 0; i < nworkers; i++) {
		if (per[i].nitems == 0) {
			continue;
		}
		o = json_pack("{s:I, s:s, s:i}", "worker", (json_int_t) i,
		    "kind", mix_kind(&per[i]), "items", per[i].nitems);
		if (o == NULL || json_array_append_new(workers, o) != 0) {
			goto fail;
		}
	}
	*award = json_pack(
	    "{s:s, s:I, s:o, s:o, s:s, s:b, s:o, s:o, s:i, s:s}", "date", ds,
	    "amount_fen", (json_int_t) total, "items", out, "workers", workers,
	    "kind", mix_kind(&whole), "mismatch", nmis > 0, "limit_fen",
	    known ? json_integer(limit) : json_null(), "minimum_wage_fen",
	    known ? json_integer(limit / 12) : json_null(), "tier", tier,
	    "basis",
	    known ? "劳动争议调解仲裁法 Art 47: (1) wages, medical costs, "
	            "compensation or damages are final for the employer when "
	            "the item as awarded is not above 12 months of the local "
	            "minimum wage, each worker apart; (2) working hours, rest "
	            "and leave, social insurance whatever the amount"
	          : "no minimum-wage table covers this region on the award "
	            "date: items under Art 47(1) are treated as not final; "
	            "Art 47(2) items are final whatever the amount");
	out = workers = NULL; /* stolen by json_pack, even on failure */
	if (*award == NULL) {
		goto fail;
	}
	if (nmis > 0) {
		char text[NOTE_MAX + 96];

		snprintf(text, sizeof(text),
		    "the award states a kind that differs from Art 47 for "
		    "%zu item%s: %s",
		    nmis, nmis == 1 ? "" : "s", note);
		if (json_object_set_new(
		        *award, "mismatch_note", json_string(text)) != 0) {
			goto fail;
		}
	}
	*any_final    = whole.final;
	*any_nonfinal = whole.nonfinal;
	return (WAGE_OK);
fail:
	json_decref(out);
	json_decref(workers);
	json_decref(*award);
	*award = NULL;
	return (WAGE_E_INTERNAL);
}

static int
record_items(const struct caserules_env *env, json_t *doc,
    const json_t *fields, const char *ds, struct civil_date award_date,
    int *any_final, int *any_nonfinal, struct wage_error *err)
{
	const json_t     *items  = json_object_get(fields, "items");
	const json_t     *amount = json_object_get(fields, "amount_fen");
	struct civil_date began;
	struct mix       *per = NULL;
	json_t           *award;
	const char       *what;
	char              b[16], a[32], t[32];
	size_t            nworkers;
	long long         total = 0;
	int               rc;

	/* The items' shape, in case the caller's policy did not check it. */
	if ((rc = award_items_check(items, "fields.items", err)) != WAGE_OK) {
		return (rc);
	}
	if (period_began(doc, &began, &what) &&
	    civil_date_cmp(&award_date, &began) < 0) {
		civil_date_format(&began, b, sizeof(b));
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.award_date",
		    "'fields.award_date' (%s) must not be before %s, %s: the "
		    "award period counts from acceptance (" RULE_PERIOD ")",
		    ds, b, what));
	}
	/* A case without claimants on record is one worker's. */
	nworkers = json_array_size(json_object_get(doc, "claimants"));
	if ((per = calloc(nworkers > 0 ? nworkers : 1, sizeof(*per))) ==
	    NULL) {
		return (WAGE_E_INTERNAL);
	}
	rc = check_items(doc, items, nworkers > 0 ? nworkers : 1, nworkers > 1,
	    per, &total, err);
	if (rc != WAGE_OK) {
		goto out;
	}
	if (amount != NULL && json_integer_value(amount) != total) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.amount_fen",
		    "'fields.amount_fen' (%s yuan) must be the sum of the "
		    "items, %s yuan",
		    yuan(json_integer_value(amount), a, sizeof(a)),
		    yuan(total, t, sizeof(t)));
		goto out;
	}
	rc = classify(env, doc, items, ds, award_date, total, per,
	    nworkers > 0 ? nworkers : 1, &award, any_final, any_nonfinal);
	if (rc == WAGE_OK) {
		json_object_set_new(doc, "award", award);
	}
out:
	free(per);
	return (rc);
}

int
award_record(const struct caserules_env *env, json_t *doc,
    const json_t *fields, struct civil_date *award_date, int *any_final,
    int *any_nonfinal, struct wage_error *err)
{
	const char *ds = plain_string(json_object_get(fields, "award_date"));
	int         rc;

	*any_final = *any_nonfinal = 0;
	if (ds == NULL) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.award_date",
		    "'fields.award_date' is required: the day the award was "
		    "made, YYYY-MM-DD"));
	}
	if (validate_date(ds, award_date, "fields.award_date", err) !=
	        WAGE_OK ||
	    not_future(ds, award_date, err) != WAGE_OK) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	if (json_object_get(fields, "items") == NULL) {
		rc = record_claimed(env, doc, fields, ds, *award_date,
		    any_final, any_nonfinal, err);
	} else {
		rc = record_items(env, doc, fields, ds, *award_date, any_final,
		    any_nonfinal, err);
	}
	if (rc != WAGE_OK) {
		*any_final = *any_nonfinal = 0;
	}
	return (rc);
}
