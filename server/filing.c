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

static int
check_claimants(const json_t *arr, json_t **out, int *migrant, int *poverty,
    struct wage_error *err)
{
	static const char *const keys[] = { "name", "id_number", "phone",
		"migrant_worker", "poverty_alleviated", "confidential", NULL };
	const json_t            *c, *other;
	const char              *name, *id, *phone, *oid;
	char                     p[32], f[64];
	size_t                   i, j;
	int                      mw, pa, conf, rc;
	json_t                  *list, *o;

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
		if ((rc = get_text(c, "id_number", 18, 0, 1, f, &id, err)) !=
		        WAGE_OK ||
		    (rc = validate_id_number(id, f, err)) != WAGE_OK) {
			goto fail;
		}
		snprintf(f, sizeof(f), "%s.phone", p);
		if ((rc = get_text(c, "phone", 11, 0, 0, f, &phone, err)) !=
		    WAGE_OK) {
			goto fail;
		}
		if (phone != NULL &&
		    (rc = validate_phone(phone, f, err)) != WAGE_OK) {
			goto fail;
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
		for (j = 0; j < i; j++) {
			other = json_array_get(arr, j);
			oid   = json_string_value(
			      json_object_get(other, "id_number"));
			if (oid != NULL && strcasecmp(oid, id) == 0) {
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
		if (o == NULL) {
			rc = WAGE_E_INTERNAL;
			goto fail;
		}
		/* Store the check character upper-case: one spelling. */
		if (id[17] == 'x') {
			char up[19];

			memcpy(up, id, 19);
			up[17] = 'X';
			json_object_set_new(o, "id_number", json_string(up));
		}
		if (phone != NULL) {
			json_object_set_new(o, "phone", json_string(phone));
		}
		json_array_append_new(list, o);
		*migrant |= mw;
		*poverty |= pa;
	}
	*out = list;
	return (WAGE_OK);
fail:
	json_decref(list);
	return (rc);
}

static int
check_claim(const json_t *o, json_t **out, struct wage_error *err)
{
	static const char *const keys[]  = { "items", "period", NULL };
	static const char *const ikeys[] = { "kind", "amount_fen",
		"description", NULL };
	static const char *const pkeys[] = { "from", "to", NULL };
	const json_t            *items, *it, *period, *amt;
	const char              *kind, *desc, *from, *to;
	struct civil_date        df, dt, today;
	long long                total = 0, a;
	json_t                  *list  = NULL;
	char                     p[64], f[80];
	size_t                   i;
	int                      rc;

	*out = NULL;
	if ((rc = filing_check_object(o, keys, "claim", err)) != WAGE_OK) {
		return (rc);
	}
	items = json_object_get(o, "items");
	if (!json_is_array(items) || json_array_size(items) == 0 ||
	    json_array_size(items) > WAGE_MAX_CLAIM_ITEMS) {
		return (
		    wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "claim.items",
		        "'claim.items' must be a list of 1 to %d items, each "
		        "{kind, amount_fen}",
		        WAGE_MAX_CLAIM_ITEMS));
	}
	if ((list = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_array_foreach (items, i, it) {
		snprintf(p, sizeof(p), "claim.items[%zu]", i);
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
		total += a; /* <= 50 items of <= 1e11: no overflow */
		json_array_append_new(list,
		    desc != NULL ? json_pack("{s:s, s:I, s:s}", "kind", kind,
		                       "amount_fen", (json_int_t) a,
		                       "description", desc)
		                 : json_pack("{s:s, s:I}", "kind", kind,
		                       "amount_fen", (json_int_t) a));
	}
	period = json_object_get(o, "period");
	if ((rc = filing_check_object(period, pkeys, "claim.period", err)) !=
	    WAGE_OK) {
		goto fail;
	}
	if ((rc = get_text(period, "from", 7, 0, 1, "claim.period.from", &from,
	         err)) != WAGE_OK ||
	    (rc = validate_month(from, &df, "claim.period.from", err)) !=
	        WAGE_OK ||
	    (rc = get_text(period, "to", 7, 0, 1, "claim.period.to", &to,
	         err)) != WAGE_OK ||
	    (rc = validate_month(to, &dt, "claim.period.to", err)) !=
	        WAGE_OK) {
		goto fail;
	}
	civil_date_today(&today);
	today.d = 1;
	if (civil_date_cmp(&df, &dt) > 0) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "claim.period.to",
		    "'claim.period.to' must not be before "
		    "'claim.period.from'");
		goto fail;
	}
	if (civil_date_cmp(&dt, &today) > 0) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "claim.period.to",
		    "'claim.period.to' must not be after the current month");
		goto fail;
	}
	*out = json_pack("{s:o, s:{s:s, s:s}, s:I}", "items", list, "period",
	    "from", from, "to", to, "total_fen", (json_int_t) total);
	return (*out != NULL ? WAGE_OK : WAGE_E_INTERNAL);
fail:
	json_decref(list);
	return (rc);
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

int
filing_check(const json_t *args, const struct actor *who, json_t **doc,
    struct wage_error *err)
{
	static const char *const keys[]  = { "channel", "received", "region",
		 "claimants", "respondent", "project", "claim", "facts",
		 "representative", "representatives", "employment_ended",
		 "received_reason", NULL };
	static const char *const pkeys[] = { "name", "general_contractor",
		NULL };
	const char *channel, *received, *region, *facts, *pname, *rreason;
	const char *pfrom;
	struct civil_date pf = { 0, 0, 0 };
	struct civil_date rd, today, min = { MIN_RECEIVED_YEAR, 1, 1 };
	json_t *claimants = NULL, *resp = NULL, *claim = NULL, *rep = NULL;
	json_t *project = NULL, *gc = NULL, *d = NULL, *reps = NULL;
	json_t *limitation = NULL;
	const json_t *pr;
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
	if ((rc = check_claimants(json_object_get(args, "claimants"),
	         &claimants, &migrant, &poverty, err)) != WAGE_OK) {
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
	if (pr != NULL) {
		if ((rc = filing_check_object(pr, pkeys, "project", err)) !=
		        WAGE_OK ||
		    (rc = get_text(pr, "name", WAGE_MAX_SHORT_CHARS, 0, 1,
		         "project.name", &pname, err)) != WAGE_OK) {
			goto fail;
		}
		if (json_object_get(pr, "general_contractor") != NULL &&
		    (rc = check_party(
		         json_object_get(pr, "general_contractor"),
		         "project.general_contractor", &gc, err)) != WAGE_OK) {
			goto fail;
		}
		project = json_pack("{s:s}", "name", pname);
		if (gc != NULL) {
			json_object_set_new(project, "general_contractor", gc);
			gc = NULL;
		}
	}
	if (json_object_get(args, "claim") == NULL) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "claim",
		    "'claim' is required: {items: [{kind, amount_fen}], "
		    "period: {from, to}}");
		goto fail;
	}
	if ((rc = check_claim(json_object_get(args, "claim"), &claim, err)) !=
	    WAGE_OK) {
		goto fail;
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
	*doc = d;
	return (WAGE_OK);
fail:
	json_decref(claimants);
	json_decref(resp);
	json_decref(claim);
	json_decref(rep);
	json_decref(reps);
	json_decref(limitation);
	json_decref(project);
	json_decref(gc);
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
