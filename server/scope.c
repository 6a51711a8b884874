/* SPDX-License-Identifier: MIT */
/*
 * scope.c - which cases an actor may see (see scope.h).
 * Owns: the rule of visibility and the listing's index choice. Must not:
 * read or write the store, or decide what an actor may do (policy ops,
 * workflow).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "caserec.h"
#include "represent.h"
#include "scope.h"
#include "transfer.h"
#include "validate.h"

/* came_from: the case was transferred (移送) from within region: the
 * organisation that filed or represents it there keeps it. */
static bool
came_from(const json_t *doc, const char *region)
{
	const json_t *t;
	const char   *from;
	size_t        i;

	json_array_foreach (json_object_get(doc, "transfers"), i, t) {
		from = json_string_value(json_object_get(t, "from_region"));
		if (from != NULL && validate_region_within(from, region) &&
		    json_is_string(json_object_get(t, "accepted_on"))) {
			return (true);
		}
	}
	return (false);
}

int
scope_case_visible(const struct policy *p, const struct actor *a,
    const json_t *doc, struct wage_error *err)
{
	const char *region = json_string_value(json_object_get(doc, "region"));
	const char *filer  = json_string_value(
	     json_object_get(json_object_get(doc, "filed_by"), "org"));
	const char *rep = json_string_value(json_object_get(
	    json_object_get(doc, "representative"), "organisation"));

	/* The server itself, firing an automatic event (sweep.c): no
	 * token carries this role (auth.c), and it acts on every case. */
	if (a->role == ROLE_SYSTEM) {
		return (WAGE_OK);
	}
	if ((p->scope_region & ROLE_BIT(a->role)) && region != NULL &&
	    validate_region_within(region, a->region)) {
		return (WAGE_OK);
	}
	/* 移送: the receiving body sees a case sent to it (transfer.h). */
	if ((p->scope_region & ROLE_BIT(a->role)) &&
	    transfer_to_region(doc) != NULL &&
	    validate_region_within(transfer_to_region(doc), a->region)) {
		return (WAGE_OK);
	}
	/*
	 * Art 24: an organisation sees a case while it represents the
	 * worker; the one that filed it keeps it only while it is still
	 * the representative (or the case never had one): a replaced or
	 * removed representative loses access at once
	 * (represent_filer_keeps; the by_org index follows, caserec.c).
	 * Issue 13, part 7: O is only a name, and another city may hold a
	 * body of the same name; the organisation's own region bounds it
	 * too, by the same prefix rule as region scope.
	 */
	if ((p->scope_org & ROLE_BIT(a->role)) && region != NULL &&
	    (validate_region_within(region, a->region) ||
	        came_from(doc, a->region)) &&
	    ((filer != NULL && strcmp(filer, a->org) == 0 &&
	         represent_filer_keeps(doc)) ||
	        (rep != NULL && strcmp(rep, a->org) == 0))) {
		return (WAGE_OK);
	}
	return (wage_err_set(err, WAGE_E_OUT_OF_SCOPE, "id",
	    (p->scope_org & ROLE_BIT(a->role))
	        ? "the case was not filed or represented by your "
	          "organisation within your region %s"
	        : "the case is outside your region %s",
	    a->region));
}

bool
scope_listed_visible(
    const struct policy *p, const struct actor *a, const char *region)
{
	if (a->role == ROLE_SYSTEM) {
		return (true);
	}
	if (!(p->scope_org & ROLE_BIT(a->role)) &&
	    (p->scope_region & ROLE_BIT(a->role))) {
		/* The region index walked holds nothing else. */
		return (true);
	}
	return (region != NULL && validate_region_within(region, a->region));
}

size_t
scope_region_prefix(const char *region, char *out)
{
	size_t n = 6;

	memcpy(out, region, 7);
	while (n > 2 && out[n - 1] == '0' && out[n - 2] == '0') {
		n -= 2;
	}
	out[n] = '\0';
	return (n);
}

int
scope_listing(const struct policy *p, const struct actor *a, const char *state,
    const char *region, enum store_db *db, char *prefix, size_t len,
    size_t *plen, struct wage_error *err)
{
	const char *reg = a->region;
	char        rp[8];
	int         n;

	if (p->scope_org & ROLE_BIT(a->role)) {
		*db = DB_BY_ORG;
		n   = snprintf(prefix, len, "%s" CASEREC_SEP, a->org);
	} else if (p->scope_region & ROLE_BIT(a->role)) {
		if (region != NULL &&
		    validate_region_within(region, a->region)) {
			reg = region;
		}
		scope_region_prefix(reg, rp);
		if (state != NULL) {
			*db = DB_BY_STATE;
			n   = snprintf(
			      prefix, len, "%s" CASEREC_SEP "%s", state, rp);
		} else {
			*db = DB_BY_REGION;
			n   = snprintf(prefix, len, "%s", rp);
		}
	} else {
		return (wage_err_set(err, WAGE_E_FORBIDDEN, "op",
		    "role '%s' sees no cases", policy_role_name(a->role)));
	}
	if (n < 0 || (size_t) n >= len) {
		return (WAGE_E_INTERNAL);
	}
	*plen = (size_t) n;
	return (WAGE_OK);
}

bool
scope_listed_once(const struct actor *a, enum store_db db, const MDB_val *k,
    const char *region)
{
	if (caserec_key_primary(db, k, region)) {
		return (true);
	}
	/* A pending 移送's entry under the receiving region: shown to whom
	 * the case's own entry is not (the walk meets that one too). */
	return (region == NULL || !validate_region_within(region, a->region));
}
