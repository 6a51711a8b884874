/* SPDX-License-Identifier: MIT */
/*
 * filing.c - validation and normalisation of a case filing, and masking.
 * Owns: what a case holds and the rules of DOMAIN.md "Validating what
 * comes in". Must not: store, log (the content is personal data), or decide
 * workflow. Messages never echo an ID number or phone.
 */
#include <stdio.h>
#include <string.h>

#include "filing.h"
#include "policy.h"
#include "represent.h"
#include "seal.h"
#include "validate.h"

#define MIN_RECEIVED_YEAR 2000

static const char *const channels[] = { "walk_in", "union_station",
	"legal_aid", "online", "hotline", "transfer", NULL };

/* The kinds of a claim item, and of an award item (award.c). working_hours
 * and rest_leave are disputes of 劳动争议调解仲裁法 第47条(二), beside
 * social insurance. */
const char *const filing_claim_kinds[] = { "wages", "overtime", "compensation",
	"medical", "social_insurance", "working_hours", "rest_leave", "other",
	NULL };

int
filing_check_object(const json_t *obj, const char *const *allowed,
    const char *path, struct wage_error *err)
{
	const char *key;
	json_t     *v;
	size_t      i;
	char        list[200];
	size_t      off = 0;

	if (!json_is_object(obj)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' must be an object", path));
	}
	json_object_foreach ((json_t *) obj, key, v) {
		for (i = 0; allowed[i] != NULL; i++) {
			if (strcmp(allowed[i], key) == 0) {
				break;
			}
		}
		if (allowed[i] == NULL) {
			list[0] = '\0';
			off     = 0;
			for (i = 0; allowed[i] != NULL && off < sizeof(list);
			     i++) {
				off += (size_t) snprintf(list + off,
				    sizeof(list) - off, "%s%s", i ? ", " : "",
				    allowed[i]);
			}
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    path, "'%s' has an unknown member; allowed: %s",
			    path, list));
		}
	}
	return (WAGE_OK);
}

static int
one_of(const char *v, const char *const *list)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(v, list[i]) == 0) {
			return (1);
		}
	}
	return (0);
}

static int
get_enum(const json_t *o, const char *key, const char *const *list,
    int required, const char *path, const char **out, struct wage_error *err)
{
	json_t *v = json_object_get(o, key);
	char    allowed[200];
	size_t  i, off = 0;

	*out = NULL;
	if (v == NULL && !required) {
		return (WAGE_OK);
	}
	if (json_is_string(v) && one_of(json_string_value(v), list)) {
		*out = json_string_value(v);
		return (WAGE_OK);
	}
	allowed[0] = '\0';
	for (i = 0; list[i] != NULL && off < sizeof(allowed); i++) {
		off += (size_t) snprintf(allowed + off, sizeof(allowed) - off,
		    "%s%s", i ? ", " : "", list[i]);
	}
	return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
	    "'%s' %s; allowed: %s", path,
	    v == NULL ? "is required" : "is not an allowed value", allowed));
}

/* get_text fetches a string member and checks it as text. */
static int
get_text(const json_t *o, const char *key, size_t max, int multiline,
    int required, const char *path, const char **out, struct wage_error *err)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v)) {
		if (required) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    path, "'%s' is required", path));
		}
		return (WAGE_OK);
	}
	if (!json_is_string(v)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' must be a string", path));
	}
	if (validate_text(json_string_value(v), json_string_length(v), max,
	        multiline, required, path, err) != WAGE_OK) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	*out = json_string_value(v);
	return (WAGE_OK);
}

static int
get_bool(const json_t *o, const char *key, const char *path, int *out,
    struct wage_error *err)
{
	json_t *v = json_object_get(o, key);

	*out = 0;
	if (v == NULL) {
		return (WAGE_OK);
	}
	if (!json_is_boolean(v)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' must be true or false", path));
	}
	*out = json_is_true(v);
	return (WAGE_OK);
}

static int
check_party(
    const json_t *o, const char *path, json_t **out, struct wage_error *err)
{
	static const char *const keys[] = { "name", "credit_code", NULL };
	const char              *name, *code;
	char                     p[64];
	int                      rc;

	if ((rc = filing_check_object(o, keys, path, err)) != WAGE_OK) {
		return (rc);
	}
	snprintf(p, sizeof(p), "%s.name", path);
	if ((rc = get_text(o, "name", WAGE_MAX_SHORT_CHARS, 0, 1, p, &name,
	         err)) != WAGE_OK) {
		return (rc);
	}
	snprintf(p, sizeof(p), "%s.credit_code", path);
	if ((rc = get_text(o, "credit_code", 18, 0, 1, p, &code, err)) !=
	    WAGE_OK) {
		return (rc);
	}
	if ((rc = validate_credit_code(code, p, err)) != WAGE_OK) {
		return (rc);
	}
	*out = json_pack("{s:s, s:s}", "name", name, "credit_code", code);
	return (*out != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

/*
 * check_items: a list of claim items at path (1 to max), each {kind,
 * amount_fen, description?}, into *out (new reference); *total their sum.
 */
static int
check_items(const json_t *items, const char *path, size_t max, json_t **out,
    long long *total, struct wage_error *err)
{
	static const char *const ikeys[] = { "kind", "amount_fen",
		"description", NULL };
	const json_t            *it, *amt;
	const char              *kind, *desc;
	long long                a;
	json_t                  *list;
	char                     p[64], f[80];
	size_t                   i;
	int                      rc;

	*out   = NULL;
	*total = 0;
	if (!json_is_array(items) || json_array_size(items) == 0 ||
	    json_array_size(items) > max) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' must be a list of 1 to %zu items, each {kind, "
		    "amount_fen}",
		    path, max));
	}
	if ((list = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_array_foreach (items, i, it) {
		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if ((rc = filing_check_object(it, ikeys, p, err)) != WAGE_OK) {
			goto fail;
		}
		snprintf(f, sizeof(f), "%s.kind", p);
		if ((rc = get_enum(it, "kind", filing_claim_kinds, 1, f, &kind,
		         err)) != WAGE_OK) {
			goto fail;
		}
		snprintf(f, sizeof(f), "%s.amount_fen", p);
		amt = json_object_get(it, "amount_fen");
		if (!json_is_integer(amt)) {
			rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' must be a whole number of fen (1 yuan = 100 "
			    "fen), greater than 0",
			    f);
			goto fail;
		}
		a = (long long) json_integer_value(amt);
		if ((rc = validate_fen(a, 1, f, err)) != WAGE_OK) {
			goto fail;
		}
		snprintf(f, sizeof(f), "%s.description", p);
		if ((rc = get_text(it, "description", WAGE_MAX_SHORT_CHARS, 0,
		         0, f, &desc, err)) != WAGE_OK) {
			goto fail;
		}
		*total += a; /* <= 50 items of <= 1e11: no overflow */
		json_array_append_new(list,
		    desc != NULL ? json_pack("{s:s, s:I, s:s}", "kind", kind,
		                       "amount_fen", (json_int_t) a,
		                       "description", desc)
		                 : json_pack("{s:s, s:I}", "kind", kind,
		                       "amount_fen", (json_int_t) a));
	}
	*out = list;
	return (WAGE_OK);
fail:
	json_decref(list);
	return (rc);
}

/*
 * check_period: {from, to} at path, months YYYY-MM, from not after to, to
 * not after the current month; into *out (new reference).
 */
static int
check_period(
    const json_t *period, const char *path, json_t **out, struct wage_error *err)
{
	static const char *const pkeys[] = { "from", "to", NULL };
	const char              *from, *to;
	struct civil_date        df, dt, today;
	char                     ff[64], ft[64];
	int                      rc;

	*out = NULL;
	snprintf(ff, sizeof(ff), "%s.from", path);
	snprintf(ft, sizeof(ft), "%s.to", path);
	if ((rc = filing_check_object(period, pkeys, path, err)) != WAGE_OK ||
	    (rc = get_text(period, "from", 7, 0, 1, ff, &from, err)) !=
	        WAGE_OK ||
	    (rc = validate_month(from, &df, ff, err)) != WAGE_OK ||
	    (rc = get_text(period, "to", 7, 0, 1, ft, &to, err)) != WAGE_OK ||
	    (rc = validate_month(to, &dt, ft, err)) != WAGE_OK) {
		return (rc);
	}
	civil_date_today(&today);
	today.d = 1;
	if (civil_date_cmp(&df, &dt) > 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, ft,
		    "'%s' must not be before '%s'", ft, ff));
	}
	if (civil_date_cmp(&dt, &today) > 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, ft,
		    "'%s' must not be after the current month", ft));
	}
	*out = json_pack("{s:s, s:s}", "from", from, "to", to);
	return (*out != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

/*
 * get_number: the ID number or phone at key, as people type it (spaces,
 * dashes, full-width digits), normalised into buf; *changed set when the
 * spelling changed. *out NULL when absent and not required.
 */
static int
get_number(const json_t *o, const char *key, int required, const char *path,
    char *buf, size_t len, const char **out, int *changed,
    struct wage_error *err)
{
	const char *s;
	int         rc, n;

	*out = NULL;
	if ((rc = get_text(o, key, 40, 0, required, path, &s, err)) !=
	        WAGE_OK ||
	    s == NULL) {
		return (rc);
	}
	if ((n = validate_normalise_number(s, buf, len)) < 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' is too long for an ID number or a phone", path));
	}
	*changed |= n;
	*out = buf;
	return (WAGE_OK);
}

/* A worker's own claim items: at most one of each kind, with room for a
 * described second. */
#define WORKER_ITEMS 8

static int
check_claimants(const json_t *arr, json_t **out, int *migrant, int *poverty,
    json_t *normalised, struct wage_error *err)
{
	static const char *const keys[] = { "name", "id_number", "phone",
		"migrant_worker", "poverty_alleviated", "confidential",
		"claims", "period", NULL };
	const json_t            *c, *other;
	const char              *name, *id, *phone, *oid;
	char                     p[32], f[64], idbuf[80], phbuf[80];
	size_t                   i, j;
	int                      mw, pa, conf, rc, chg, own, first_own = 0;
	long long                wtotal;
	json_t                  *list, *o, *items, *period;

	*migrant = *poverty = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "claimants",
		    "'claimants' must be a list of 1 to %d workers",
		    WAGE_MAX_CLAIMANTS));
	}
	if (json_array_size(arr) > WAGE_MAX_CLAIMANTS) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "claimants",
		    "'claimants' has more than %d workers; file a further "
		    "case for the rest",
		    WAGE_MAX_CLAIMANTS));
	}
	if ((list = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_array_foreach (arr, i, c) {
		snprintf(p, sizeof(p), "claimants[%zu]", i);
		if ((rc = filing_check_object(c, keys, p, err)) != WAGE_OK) {
			goto fail;
		}
		snprintf(f, sizeof(f), "%s.name", p);
		if ((rc = get_text(c, "name", WAGE_MAX_NAME_CHARS, 0, 1, f,
		         &name, err)) != WAGE_OK) {
			goto fail;
		}
		snprintf(f, sizeof(f), "%s.id_number", p);
		chg = 0;
		if ((rc = get_number(c, "id_number", 1, f, idbuf,
		         sizeof(idbuf), &id, &chg, err)) != WAGE_OK ||
		    (rc = validate_id_number(id, f, err)) != WAGE_OK) {
			goto fail;
		}
		if (chg) {
			json_array_append_new(normalised, json_string(f));
		}
		snprintf(f, sizeof(f), "%s.phone", p);
		chg = 0;
		if ((rc = get_number(c, "phone", 0, f, phbuf, sizeof(phbuf),
		         &phone, &chg, err)) != WAGE_OK) {
			goto fail;
		}
		if (phone != NULL &&
		    (rc = validate_phone(phone, f, err)) != WAGE_OK) {
			goto fail;
		}
		if (chg) {
			json_array_append_new(normalised, json_string(f));
		}
		snprintf(f, sizeof(f), "%s.migrant_worker", p);
		if ((rc = get_bool(c, "migrant_worker", f, &mw, err)) !=
		    WAGE_OK) {
			goto fail;
		}
		snprintf(f, sizeof(f), "%s.poverty_alleviated", p);
		if ((rc = get_bool(c, "poverty_alleviated", f, &pa, err)) !=
		    WAGE_OK) {
			goto fail;
		}
		snprintf(f, sizeof(f), "%s.confidential", p);
		if ((rc = get_bool(c, "confidential", f, &conf, err)) !=
		    WAGE_OK) {
			goto fail;
		}
		/* One worker, one entry: the same ID twice is a typo. */
		json_array_foreach (list, j, other) {
			oid = json_string_value(
			    json_object_get(other, "id_number"));
			if (oid != NULL && strcmp(oid, id) == 0) {
				snprintf(f, sizeof(f), "%s.id_number", p);
				rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
				    f,
				    "'%s' repeats the ID number of "
				    "claimants[%zu]",
				    f, j);
				goto fail;
			}
		}
		o = json_pack("{s:s, s:s, s:b, s:b, s:b}", "name", name,
		    "id_number", id, "migrant_worker", mw,
		    "poverty_alleviated", pa, "confidential", conf);
		if (o == NULL || json_array_append_new(list, o) != 0) {
			rc = WAGE_E_INTERNAL;
			goto fail;
		}
		if (phone != NULL) {
			json_object_set_new(o, "phone", json_string(phone));
		}
		/* Each worker's own claim, or none: not some of them. */
		own = json_object_get(c, "claims") != NULL;
		if (i == 0) {
			first_own = own;
		} else if (own != first_own) {
			snprintf(f, sizeof(f), "%s.claims", p);
			rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    first_own
			        ? "'%s' is required: claimants[0] has its own "
			          "claims, so every worker needs them"
			        : "'%s': claimants[0] has no claims of its "
			          "own; give every worker's claims, or none "
			          "(a common 'claim')",
			    f);
			goto fail;
		}
		if (own) {
			snprintf(f, sizeof(f), "%s.claims", p);
			if ((rc = check_items(json_object_get(c, "claims"), f,
			         WORKER_ITEMS, &items, &wtotal, err)) !=
			    WAGE_OK) {
				goto fail;
			}
			json_object_set_new(o, "claims", items);
			json_object_set_new(
			    o, "total_fen", json_integer(wtotal));
		} else if (json_object_get(c, "period") != NULL) {
			snprintf(f, sizeof(f), "%s.period", p);
			rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' goes with the worker's own 'claims'", f);
			goto fail;
		}
		if (json_object_get(c, "period") != NULL) {
			snprintf(f, sizeof(f), "%s.period", p);
			if ((rc = check_period(json_object_get(c, "period"), f,
			         &period, err)) != WAGE_OK) {
				goto fail;
			}
			json_object_set_new(o, "period", period);
		}
		*migrant |= mw;
		*poverty |= pa;
	}
	*out = list;
	return (WAGE_OK);
fail:
	json_decref(list);
	return (rc);
}

/* month_cmp: "YYYY-MM" strings compare as months. */
static int
month_cmp(const char *a, const char *b)
{
	return (strcmp(a, b));
}

/*
 * derive_claim: the case's claim from each worker's own (claimants carry
 * "claims"): its items are the totals by kind, in the order of
 * filing_claim_kinds; its period the one given (o: the filing's "claim",
 * which may hold only "period"), else from the first worker's first month
 * to the last worker's last. Each worker's period lies within the case's.
 */
static int
derive_claim(
    const json_t *o, json_t *claimants, json_t **out, struct wage_error *err)
{
	static const char *const keys[] = { "period", NULL };
	long long                sum[16] = { 0 }, total = 0;
	bool                     has[16] = { false };
	const json_t            *c, *it, *wp;
	const char              *from = NULL, *to = NULL, *wf, *wt;
	json_t                  *items, *period = NULL;
	char                     f[64];
	size_t                   i, j;
	int                      k;

	*out = NULL;
	if (o != NULL) {
		if (json_object_get(o, "items") != NULL) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "claim.items",
			    "'claim.items' is derived from each worker's "
			    "'claims' (their totals by kind): leave it out"));
		}
		if (filing_check_object(o, keys, "claim", err) != WAGE_OK) {
			return (WAGE_E_INVALID_ARGUMENT);
		}
		if (json_object_get(o, "period") != NULL &&
		    check_period(json_object_get(o, "period"), "claim.period",
		        &period, err) != WAGE_OK) {
			return (WAGE_E_INVALID_ARGUMENT);
		}
	}
	if (period != NULL) {
		from = json_string_value(json_object_get(period, "from"));
		to   = json_string_value(json_object_get(period, "to"));
	}
	json_array_foreach (claimants, i, c) {
		json_array_foreach (json_object_get(c, "claims"), j, it) {
			for (k = 0; filing_claim_kinds[k] != NULL; k++) {
				if (strcmp(filing_claim_kinds[k],
				        json_string_value(json_object_get(
				            it, "kind"))) == 0) {
					break;
				}
			}
			sum[k] += json_integer_value(
			    json_object_get(it, "amount_fen"));
			has[k] = true;
			total += json_integer_value(
			    json_object_get(it, "amount_fen"));
		}
		wp = json_object_get(c, "period");
		if (wp == NULL) {
			if (period == NULL) {
				snprintf(f, sizeof(f), "claimants[%zu].period",
				    i);
				return (wage_err_set(err,
				    WAGE_E_INVALID_ARGUMENT, f,
				    "'%s' is required when 'claim.period' is "
				    "not given: the months the worker claims "
				    "for, {from: YYYY-MM, to: YYYY-MM}",
				    f));
			}
			continue;
		}
		wf = json_string_value(json_object_get(wp, "from"));
		wt = json_string_value(json_object_get(wp, "to"));
		if (period != NULL) {
			if (month_cmp(wf, from) < 0 || month_cmp(wt, to) > 0) {
				snprintf(f, sizeof(f), "claimants[%zu].period",
				    i);
				wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
				    "'%s' (%s to %s) must lie within "
				    "'claim.period' (%s to %s)",
				    f, wf, wt, from, to);
				json_decref(period);
				return (WAGE_E_INVALID_ARGUMENT);
			}
			continue;
		}
		/* No case period given: the span of the workers'. */
		if (from == NULL || month_cmp(wf, from) < 0) {
			from = wf;
		}
		if (to == NULL || month_cmp(wt, to) > 0) {
			to = wt;
		}
	}
	if ((items = json_array()) == NULL) {
		json_decref(period);
		return (WAGE_E_INTERNAL);
	}
	for (k = 0; filing_claim_kinds[k] != NULL; k++) {
		if (has[k]) {
			json_array_append_new(items,
			    json_pack("{s:s, s:I}", "kind",
			        filing_claim_kinds[k], "amount_fen",
			        (json_int_t) sum[k]));
		}
	}
	*out = json_pack("{s:o, s:{s:s, s:s}, s:I, s:b}", "items", items,
	    "period", "from", from, "to", to, "total_fen", (json_int_t) total,
	    "per_worker", 1);
	json_decref(period);
	return (*out != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

static int
check_claim(const json_t *o, json_t **out, struct wage_error *err)
{
	static const char *const keys[] = { "items", "period", NULL };
	json_t                  *list = NULL, *period = NULL;
	long long                total;
	int                      rc;

	*out = NULL;
	if ((rc = filing_check_object(o, keys, "claim", err)) != WAGE_OK) {
		return (rc);
	}
	if ((rc = check_items(json_object_get(o, "items"), "claim.items",
	         WAGE_MAX_CLAIM_ITEMS, &list, &total, err)) != WAGE_OK) {
		return (rc);
	}
	if ((rc = check_period(json_object_get(o, "period"), "claim.period",
	         &period, err)) != WAGE_OK) {
		json_decref(list);
		return (rc);
	}
	*out = json_pack("{s:o, s:o, s:I}", "items", list, "period", period,
	    "total_fen", (json_int_t) total);
	return (*out != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

/*
 * check_collective: the workers of a collective case (10 or more workers
 * with a common claim, 办案规则 Art 5) may elect representatives
 * (劳动争议调解仲裁法 Art 7: "可以推举代表"); when they did, the filing names
 * 3 to 5 of them (办案规则 Art 8, to confirm) as indexes into claimants.
 * Other cases name none.
 */
static int
check_collective(const json_t *args, const json_t *claimants, json_t **out,
    struct wage_error *err)
{
	const json_t *reps = json_object_get(args, "representatives");
	const json_t *v;
	size_t        n = json_array_size(claimants), i, j;
	json_int_t    k;
	json_t       *list;
	char          f[48];

	*out = NULL;
	if (n < 10) {
		if (reps != NULL) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "representatives",
			    "'representatives' are elected only in a "
			    "collective "
			    "case (10 or more workers)"));
		}
		return (WAGE_OK);
	}
	if (reps == NULL) {
		return (
		    WAGE_OK); /* none elected: the workers act themselves */
	}
	if (!json_is_array(reps) || json_array_size(reps) < 3 ||
	    json_array_size(reps) > 5) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "representatives",
		    "the representatives the workers of a collective case "
		    "elected are 3 to 5 (办案规则 Art 8): 'representatives' "
		    "is "
		    "a list of claimant positions, from 0; leave it out when "
		    "they elected none (劳动争议调解仲裁法 Art 7)"));
	}
	if ((list = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_array_foreach (reps, i, v) {
		snprintf(f, sizeof(f), "representatives[%zu]", i);
		k = json_integer_value(v);
		if (!json_is_integer(v) || k < 0 || (size_t) k >= n) {
			json_decref(list);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' must be a claimant's position, from 0 to "
			    "%zu",
			    f, n - 1));
		}
		for (j = 0; j < i; j++) {
			if (json_integer_value(json_array_get(reps, j)) == k) {
				json_decref(list);
				return (wage_err_set(err,
				    WAGE_E_INVALID_ARGUMENT, f,
				    "'%s' names the same worker twice", f));
			}
		}
		json_array_append_new(list,
		    json_pack("{s:I, s:O}", "claimant", k, "name",
		        json_object_get(
		            json_array_get(claimants, (size_t) k), "name")));
	}
	*out = list;
	return (WAGE_OK);
}

/*
 * check_limitation (Art 27): while employment goes on, unpaid wages have no
 * time limit; once it ended, the claim must come within one year of the
 * end. Late filings are accepted with a warning that the clerk must
 * acknowledge with a recorded reason before the case goes on.
 */
static int
check_limitation(const json_t *args, const struct civil_date *received,
    json_t **out, struct wage_error *err)
{
	const char       *s;
	struct civil_date ended, limit;
	char              buf[16];
	int               rc;

	*out = NULL;
	if ((rc = get_text(args, "employment_ended", 10, 0, 0,
	         "employment_ended", &s, err)) != WAGE_OK) {
		return (rc);
	}
	if (s == NULL) {
		return (WAGE_OK);
	}
	if ((rc = validate_date(s, &ended, "employment_ended", err)) !=
	    WAGE_OK) {
		return (rc);
	}
	if (civil_date_cmp(&ended, received) > 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "employment_ended",
		    "'employment_ended' must not be after 'received'"));
	}
	/* One year on, to the same date (民法典 Art 202); a year that has
	 * no such date (29 February) ends on the last day of the month. A
	 * last day that is a rest day moves on (Art 203): caserules_filed,
	 * which has the calendar, does that. */
	limit = ended;
	limit.y++;
	if (!civil_date_valid(limit.y, limit.m, limit.d)) {
		limit.d = 28;
	}
	if (civil_date_cmp(received, &limit) <= 0) {
		return (WAGE_OK);
	}
	civil_date_format(&limit, buf, sizeof(buf));
	*out = json_pack("{s:s, s:s, s:s, s:s, s:b}", "employment_ended", s,
	    "limit", buf, "basis",
	    "劳动争议调解仲裁法 第27条；民法典 第201条、第202条、第203条",
	    "warning",
	    "received more than one year after the employment ended "
	    "(劳动争议调解仲裁法 Art 27): the clerk must acknowledge it, with "
	    "a reason (e.g. the period was interrupted or suspended), before "
	    "the case goes on",
	    "acknowledged", 0);
	return (*out != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

/*
 * check_project: the project and its contracting chain (保障农民工工资支付
 * 条例 第四章): name, and the 建设单位 (developer), 施工总承包单位
 * (general_contractor) and 分包单位 (subcontractor), each {name,
 * credit_code}; unqualified_contractor (the work was subcontracted or
 * passed on to a person or a body not qualified to employ, 第36条) and
 * developer_arrears (the developer did not pay the project money as
 * agreed, 第29条), true or false.
 */
static int
check_project(const json_t *pr, json_t **out, struct wage_error *err)
{
	static const char *const keys[]    = { "name", "general_contractor",
		   "developer", "subcontractor", "unqualified_contractor",
		   "developer_arrears", NULL };
	static const char *const parties[] = { "general_contractor",
		"developer", "subcontractor" };
	static const char *const flags[]   = { "unqualified_contractor",
		  "developer_arrears" };
	const char              *pname;
	json_t                  *party, *project;
	char                     f[64];
	size_t                   i;
	int                      rc, b;

	*out = NULL;
	if ((rc = filing_check_object(pr, keys, "project", err)) != WAGE_OK ||
	    (rc = get_text(pr, "name", WAGE_MAX_SHORT_CHARS, 0, 1,
	         "project.name", &pname, err)) != WAGE_OK) {
		return (rc);
	}
	if ((project = json_pack("{s:s}", "name", pname)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	for (i = 0; i < sizeof(parties) / sizeof(parties[0]); i++) {
		if (json_object_get(pr, parties[i]) == NULL) {
			continue;
		}
		snprintf(f, sizeof(f), "project.%s", parties[i]);
		if ((rc = check_party(json_object_get(pr, parties[i]), f,
		         &party, err)) != WAGE_OK) {
			json_decref(project);
			return (rc);
		}
		json_object_set_new(project, parties[i], party);
	}
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		snprintf(f, sizeof(f), "project.%s", flags[i]);
		if ((rc = get_bool(pr, flags[i], f, &b, err)) != WAGE_OK) {
			json_decref(project);
			return (rc);
		}
		if (b) {
			json_object_set_new(project, flags[i], json_true());
		}
	}
	*out = project;
	return (WAGE_OK);
}

/*
 * check_duplicate: the filer's answer to DUPLICATE (a worker's open case
 * against the same employer): {of: "WA2026-000003" or a list of up to 20,
 * resolution: "link" (the same dispute: the cases go together) or
 * "separate" (another claim: reason required), reason}. Kept on the case
 * as "duplicate".
 */
static int
check_duplicate(const json_t *o, json_t *doc, struct wage_error *err)
{
	static const char *const keys[] = { "of", "resolution", "reason",
		NULL };
	static const char *const res[]  = { "link", "separate", NULL };
	const json_t            *of, *v;
	const char              *r, *reason;
	json_t                  *ids;
	size_t                   i;
	int                      rc;

	if (o == NULL) {
		return (WAGE_OK);
	}
	if ((rc = filing_check_object(o, keys, "duplicate", err)) != WAGE_OK ||
	    (rc = get_enum(o, "resolution", res, 1, "duplicate.resolution", &r,
	         err)) != WAGE_OK ||
	    (rc = get_text(o, "reason", WAGE_MAX_SHORT_CHARS, 0,
	         strcmp(r, "separate") == 0, "duplicate.reason", &reason,
	         err)) != WAGE_OK) {
		return (rc);
	}
	of  = json_object_get(o, "of");
	ids = json_array();
	if (json_is_string(of)) {
		json_array_append(ids, (json_t *) of);
	} else if (json_is_array(of) && json_array_size(of) <= 20) {
		json_array_foreach (of, i, v) {
			json_array_append(ids, (json_t *) v);
		}
	}
	json_array_foreach (ids, i, v) {
		const char *s = json_string_value(v);

		if (s == NULL || strlen(s) > WAGE_CASE_ID_MAX ||
		    strncmp(s, "WA", 2) != 0) {
			json_array_clear(ids);
			break;
		}
	}
	if (json_array_size(ids) == 0) {
		json_decref(ids);
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "duplicate.of",
		    "'duplicate.of' must name the open case (WA2026-000003), "
		    "or a list of up to 20"));
	}
	return (json_object_set_new(doc, "duplicate",
	            json_pack("{s:o, s:s, s:s?}", "of", ids, "resolution", r,
	                "reason", reason)) == 0
	        ? WAGE_OK
	        : WAGE_E_INTERNAL);
}

/*
 * get_key: the filing's idempotency key, 8 to 64 characters from
 * 0-9 a-z A-Z _ -: the same key from the same organisation files once.
 */
static int
get_key(const json_t *args, const char **out, struct wage_error *err)
{
	const json_t *v = json_object_get(args, "idempotency_key");
	const char   *s;
	size_t        n, i;

	*out = NULL;
	if (v == NULL) {
		return (WAGE_OK);
	}
	s = json_string_value(v);
	n = s != NULL ? strlen(s) : 0;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		        (s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_' ||
		        s[i] == '-')) {
			break;
		}
	}
	if (s == NULL || n < 8 || n > 64 || i < n) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "idempotency_key",
		    "'idempotency_key' must be 8 to 64 characters from 0-9, "
		    "a-z, A-Z, '_' and '-' (wagectl sends a SHA-256 of the "
		    "files it files)"));
	}
	*out = s;
	return (WAGE_OK);
}

int
filing_check(const json_t *args, const struct actor *who, json_t **doc,
    struct wage_error *err)
{
	static const char *const keys[]  = { "channel", "received", "region",
		 "claimants", "respondent", "project", "claim", "facts",
		 "representative", "representatives", "employment_ended",
		 "received_reason", "idempotency_key", "duplicate", NULL };
	const char *channel, *received, *region, *facts, *rreason;
	const char *pfrom;
	struct civil_date pf = { 0, 0, 0 };
	struct civil_date rd, today, min = { MIN_RECEIVED_YEAR, 1, 1 };
	json_t *claimants = NULL, *resp = NULL, *claim = NULL, *rep = NULL;
	json_t *project = NULL, *d = NULL, *reps = NULL;
	json_t *limitation = NULL, *normalised = NULL;
	const json_t *pr;
	const char   *ikey;
	char          rbuf[11];
	int           migrant, poverty, rc, needs_rep;
	size_t        n;

	*doc = NULL;
	if ((rc = filing_check_object(args, keys, "args", err)) != WAGE_OK) {
		return (rc);
	}
	if ((rc = get_enum(args, "channel", channels, 1, "channel", &channel,
	         err)) != WAGE_OK) {
		return (rc);
	}
	civil_date_today(&today);
	if ((rc = get_text(args, "received", 10, 0, 0, "received", &received,
	         err)) != WAGE_OK) {
		return (rc);
	}
	if (received != NULL) {
		if ((rc = validate_date(received, &rd, "received", err)) !=
		    WAGE_OK) {
			return (rc);
		}
		if (civil_date_cmp(&rd, &today) > 0) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "received",
			    "'received' (the day the complaint arrived) must "
			    "not be in the future"));
		}
		if (civil_date_cmp(&rd, &min) < 0) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "received", "'received' must be %d-01-01 or later",
			    MIN_RECEIVED_YEAR));
		}
	} else {
		rd = today;
	}
	civil_date_format(&rd, rbuf, sizeof(rbuf));
	if ((rc = get_text(args, "received_reason", WAGE_MAX_SHORT_CHARS, 0, 0,
	         "received_reason", &rreason, err)) != WAGE_OK) {
		return (rc);
	}
	if (rreason != NULL && received == NULL) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "received_reason",
		    "'received_reason' explains a 'received' date in the "
		    "past: give 'received' too"));
	}
	if ((rc = get_text(args, "region", 6, 0, 1, "region", &region, err)) !=
	        WAGE_OK ||
	    (rc = validate_region(region, "region", err)) != WAGE_OK) {
		return (rc);
	}
	if (!validate_region_within(region, who->region)) {
		return (wage_err_set(err, WAGE_E_OUT_OF_SCOPE, "region",
		    "'region' must lie within your own region %s",
		    who->region));
	}
	if ((rc = get_text(args, "facts", WAGE_MAX_TEXT_CHARS, 1, 1, "facts",
	         &facts, err)) != WAGE_OK) {
		return (rc);
	}
	if ((normalised = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if ((rc = check_claimants(json_object_get(args, "claimants"),
	         &claimants, &migrant, &poverty, normalised, err)) !=
	    WAGE_OK) {
		goto fail;
	}
	if (json_object_get(args, "respondent") == NULL) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "respondent",
		    "'respondent' is required: {name, credit_code}");
		goto fail;
	}
	if ((rc = check_party(json_object_get(args, "respondent"),
	         "respondent", &resp, err)) != WAGE_OK) {
		goto fail;
	}
	pr = json_object_get(args, "project");
	if (pr != NULL && (rc = check_project(pr, &project, err)) != WAGE_OK) {
		goto fail;
	}
	if (json_object_get(json_array_get(claimants, 0), "claims") != NULL) {
		/* Each worker's own claims: the case's are their totals. */
		if ((rc = derive_claim(json_object_get(args, "claim"),
		         claimants, &claim, err)) != WAGE_OK) {
			goto fail;
		}
	} else if (json_object_get(args, "claim") == NULL) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "claim",
		    "'claim' is required: {items: [{kind, amount_fen}], "
		    "period: {from, to}}, unless each claimant carries their "
		    "own 'claims'");
		goto fail;
	} else if ((rc = check_claim(json_object_get(args, "claim"), &claim,
	                err)) != WAGE_OK) {
		goto fail;
	} else if (json_array_size(claimants) == 1) {
		/* One worker: the claim is that worker's own. */
		json_t *w = json_array_get(claimants, 0);

		json_object_set(w, "claims", json_object_get(claim, "items"));
		json_object_set(
		    w, "total_fen", json_object_get(claim, "total_fen"));
		json_object_set_new(claim, "per_worker", json_true());
	} else {
		/* A common claim of several workers, not divided. */
		json_object_set_new(claim, "per_worker", json_false());
	}
	/* Issue 13, part 9: no complaint arrives before the first month it
	 * claims wages for. */
	pfrom = json_string_value(
	    json_object_get(json_object_get(claim, "period"), "from"));
	if (pfrom != NULL &&
	    validate_month(pfrom, &pf, "claim.period.from", NULL) == WAGE_OK) {
		pf.d = 1;
	}
	if (pfrom != NULL && pf.d == 1 && civil_date_cmp(&rd, &pf) < 0) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "received",
		    "'received' (%s) must not be before the claim period's "
		    "first month 'claim.period.from' (%s): a complaint cannot "
		    "arrive before the wages it claims",
		    rbuf, pfrom);
		goto fail;
	}
	needs_rep = strcmp(channel, "union_station") == 0 ||
	    strcmp(channel, "legal_aid") == 0 || who->role == ROLE_UNION ||
	    who->role == ROLE_LEGAL_AID;
	if (json_object_get(args, "representative") != NULL) {
		/* The record and its power of attorney: represent.c. */
		if ((rc = represent_record_check(
		         json_object_get(args, "representative"), who,
		         "representative", &today, &rep, err)) != WAGE_OK) {
			goto fail;
		}
	} else if (needs_rep) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "representative",
		    "'representative' is required when a union station or "
		    "legal aid files for workers: {kind, organisation, name, "
		    "authority: {scope, document, document_sha256}, "
		    "valid_from, valid_until} (Art 24)");
		goto fail;
	}
	n = json_array_size(claimants);
	if ((rc = check_collective(args, claimants, &reps, err)) != WAGE_OK ||
	    (rc = check_limitation(args, &rd, &limitation, err)) != WAGE_OK) {
		goto fail;
	}
	d = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:{s:b, s:b, s:b, "
	              "s:I}}",
	    "channel", channel, "received", rbuf, "region", region,
	    "claimants", claimants, "respondent", resp, "claim", claim,
	    "facts", facts, "priority", "collective", n >= 10, "migrant",
	    migrant, "poverty_alleviated", poverty, "workers", (json_int_t) n);
	claimants = resp = claim = NULL; /* stolen by "o" */
	if (d == NULL) {
		rc = WAGE_E_INTERNAL;
		goto fail;
	}
	if (project != NULL) {
		json_object_set_new(d, "project", project);
		project = NULL;
	}
	if (rep != NULL) {
		json_object_set_new(d, "representative", rep);
		rep = NULL;
	}
	if (reps != NULL) {
		json_object_set_new(d, "representatives", reps);
		reps = NULL;
	}
	if (limitation != NULL) {
		json_object_set_new(d, "limitation", limitation);
		limitation = NULL;
	}
	if (rreason != NULL) {
		json_object_set_new(
		    d, "received_reason", json_string(rreason));
	}
	if ((rc = get_key(args, &ikey, err)) != WAGE_OK ||
	    (rc = check_duplicate(json_object_get(args, "duplicate"), d,
	         err)) != WAGE_OK) {
		goto fail;
	}
	if (ikey != NULL) {
		json_object_set_new(d, "filing_key", json_string(ikey));
	}
	if (json_array_size(normalised) > 0) {
		json_object_set_new(d, FILING_NORMALISED, normalised);
		normalised = NULL;
	}
	json_decref(normalised);
	*doc = d;
	return (WAGE_OK);
fail:
	json_decref(normalised);
	json_decref(d);
	json_decref(claimants);
	json_decref(resp);
	json_decref(claim);
	json_decref(rep);
	json_decref(reps);
	json_decref(limitation);
	json_decref(project);
	return (rc);
}

/* days_from_civil: days since 1970-01-01 (H. Hinnant's algorithm). */
static long
days_from_civil(const struct civil_date *c)
{
	long     y   = c->y - (c->m <= 2);
	long     era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned) (y - era * 400);
	unsigned doy =
	    (153 * (unsigned) (c->m + (c->m > 2 ? -3 : 9)) + 2) / 5 +
	    (unsigned) c->d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (era * 146097 + (long) doe - 719468);
}

int
filing_check_received(const json_t *doc, const struct actor *who,
    const struct policy *p, struct wage_error *err)
{
	const char *rs = json_string_value(json_object_get(doc, "received"));
	const char *reason =
	    json_string_value(json_object_get(doc, "received_reason"));
	const char *basis = p->filing_basis != NULL ? p->filing_basis : "";
	struct civil_date rd, today;
	long              back;

	if (p->filing_max_days_back < 0) {
		return (WAGE_OK); /* an older policy: no bound */
	}
	if (rs == NULL ||
	    validate_date(rs, &rd, "received", NULL) != WAGE_OK) {
		return (WAGE_E_INTERNAL); /* filing_check set it */
	}
	if (reason != NULL &&
	    !(p->filing_backdate_roles & ROLE_BIT(who->role))) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "received_reason",
		    "a %s may not give 'received_reason': only a clerk "
		    "records a complaint late (policy filing.backdate_roles; "
		    "%s)",
		    policy_role_name(who->role), basis));
	}
	civil_date_today(&today);
	back = days_from_civil(&today) - days_from_civil(&rd);
	if (back <= p->filing_max_days_back) {
		return (WAGE_OK);
	}
	if (!(p->filing_backdate_roles & ROLE_BIT(who->role))) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "received",
		    "'received' is %ld days ago; a %s may file only within "
		    "%d days of the day the complaint arrived (policy "
		    "filing.max_days_back; %s): an older complaint is filed "
		    "by a clerk, with 'received_reason'",
		    back, policy_role_name(who->role), p->filing_max_days_back,
		    basis));
	}
	if (reason == NULL) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "received_reason",
		    "'received' is %ld days ago, more than %d (policy "
		    "filing.max_days_back; %s): give 'received_reason', the "
		    "clerk's reason for recording it late",
		    back, p->filing_max_days_back, basis));
	}
	return (WAGE_OK);
}

void
filing_mask(json_t *doc)
{
	json_t     *c;
	size_t      i;
	const char *v;
	char        buf[32];

	json_array_foreach (json_object_get(doc, "claimants"), i, c) {
		v = json_string_value(json_object_get(c, "id_number"));
		if (v != NULL) {
			validate_mask_id(v, buf, sizeof(buf));
			json_object_set_new(c, "id_number", json_string(buf));
		}
		v = json_string_value(json_object_get(c, "phone"));
		if (v != NULL) {
			validate_mask_phone(v, buf, sizeof(buf));
			json_object_set_new(c, "phone", json_string(buf));
		}
	}
}

/* seal_member moves claimant member name into name_sealed + name_hint. */
static int
seal_member(json_t *c, const unsigned char *key, const char *name,
    const char *sealed, const char *hint, int is_id)
{
	const char *v = json_string_value(json_object_get(c, name));
	char        box[256], mask[32];

	if (v == NULL) {
		return (WAGE_OK);
	}
	if (is_id) {
		validate_mask_id(v, mask, sizeof(mask));
	} else {
		validate_mask_phone(v, mask, sizeof(mask));
	}
	if (seal_box(key, v, box, sizeof(box)) != 0) {
		return (WAGE_E_INTERNAL);
	}
	json_object_set_new(c, sealed, json_string(box));
	json_object_set_new(c, hint, json_string(mask));
	json_object_del(c, name);
	return (WAGE_OK);
}

int
filing_seal(json_t *doc, const unsigned char *key)
{
	json_t *c;
	size_t  i;

	json_array_foreach (json_object_get(doc, "claimants"), i, c) {
		if (seal_member(c, key, "id_number", "id_sealed", "id_hint",
		        1) != WAGE_OK ||
		    seal_member(c, key, "phone", "phone_sealed", "phone_hint",
		        0) != WAGE_OK) {
			return (WAGE_E_INTERNAL);
		}
	}
	return (WAGE_OK);
}

static int
unseal_member(json_t *c, const unsigned char *key, const char *name,
    const char *sealed, const char *hint, int reveal)
{
	const char *box  = json_string_value(json_object_get(c, sealed));
	const char *mask = json_string_value(json_object_get(c, hint));
	char        plain[80];
	int         rc = WAGE_OK;

	if (box == NULL) {
		return (WAGE_OK);
	}
	if (reveal) {
		if (seal_open(key, box, plain, sizeof(plain)) != 0) {
			rc = WAGE_E_INTERNAL;
		} else {
			json_object_set_new(c, name, json_string(plain));
		}
		memset(plain, 0, sizeof(plain));
	} else if (mask != NULL) {
		json_object_set_new(c, name, json_string(mask));
	}
	json_object_del(c, sealed);
	json_object_del(c, hint);
	return (rc);
}

int
filing_unseal(json_t *doc, const unsigned char *key, int reveal)
{
	json_t *c;
	size_t  i;
	int     rc = WAGE_OK;

	json_array_foreach (json_object_get(doc, "claimants"), i, c) {
		if (unseal_member(c, key, "id_number", "id_sealed", "id_hint",
		        reveal) != WAGE_OK ||
		    unseal_member(c, key, "phone", "phone_sealed",
		        "phone_hint", reveal) != WAGE_OK) {
			rc = WAGE_E_INTERNAL;
		}
	}
	return (rc);
}

int
filing_is_confidential(const json_t *c)
{
	return (json_is_true(json_object_get(c, "confidential")));
}

void
filing_hide_confidential(json_t *claimants)
{
	static const char *const gone[] = { "id_number", "phone", "id_sealed",
		"phone_sealed", "id_hint", "phone_hint" };
	json_t                  *c;
	size_t                   i, k;

	json_array_foreach (claimants, i, c) {
		if (!filing_is_confidential(c)) {
			continue;
		}
		json_object_set_new(
		    c, "name", json_string(FILING_CONFIDENTIAL_NAME));
		for (k = 0; k < sizeof(gone) / sizeof(gone[0]); k++) {
			json_object_del(c, gone[k]);
		}
	}
}
