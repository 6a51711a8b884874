/* SPDX-License-Identifier: MIT */
/*
 * service.c - service (送达) of documents on the parties (see service.h).
 * Owns: the "service" member of a case document, and "settlement"'s
 * "effective". Must not: store or log (the caller does).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "service.h"

unsigned
service_award_kinds(const json_t *doc)
{
	const json_t *award = json_object_get(doc, "award");
	const char   *kind = json_string_value(json_object_get(award, "kind"));
	const json_t *it;
	size_t        i;
	int           fin = 0, non = 0;

	if (award == NULL) {
		return (0);
	}
	if (kind != NULL) {
		return (strcmp(kind, "final") == 0      ? AWARD_KIND_FINAL
		        : strcmp(kind, "nonfinal") == 0 ? AWARD_KIND_NONFINAL
		                                        : AWARD_KIND_MIXED);
	}
	json_array_foreach (json_object_get(award, "items"), i, it) {
		if (json_is_true(json_object_get(it, "final"))) {
			fin = 1;
		} else {
			non = 1;
		}
	}
	return (fin && non ? AWARD_KIND_MIXED
	        : fin      ? AWARD_KIND_FINAL
	                   : AWARD_KIND_NONFINAL);
}

int
service_open_windows(const struct policy *p, json_t *clocks, const json_t *doc,
    int party, struct civil_date on)
{
	unsigned k = service_award_kinds(doc);
	size_t   nf;
	int      rc = WAGE_OK;

	if ((k & (AWARD_KIND_FINAL | AWARD_KIND_MIXED)) != 0) {
		/* Art 48: the worker may sue; Art 49: the employer may apply
		 * to set the award aside. */
		rc = clock_start_one(clocks, p,
		    party == PARTY_WORKER ? p->clock_challenge_worker
		                          : p->clock_challenge_employer,
		    on);
	}
	if (rc == WAGE_OK &&
	    (k & (AWARD_KIND_NONFINAL | AWARD_KIND_MIXED)) != 0) {
		/* Art 50: either party may sue on a non-final award. */
		nf = p->clock_challenge_nonfinal_party[party];
		rc = clock_start_one(clocks, p,
		    nf != SIZE_MAX ? nf : p->clock_challenge_nonfinal, on);
	}
	return (rc);
}

/* document_date: the day the document came to exist, when known. */
static const char *
document_date(const json_t *doc, const struct policy_document *d)
{
	if (d->opens_windows) {
		return (json_string_value(
		    json_object_get(json_object_get(doc, "award"), "date")));
	}
	if (d->takes_effect) {
		return (json_string_value(json_object_get(
		    json_object_get(doc, "settlement"), "on")));
	}
	return (json_string_value(json_object_get(doc, "received")));
}

static int
served_already(const json_t *list, const char *document, const char *party)
{
	const json_t *e;
	size_t        i;

	json_array_foreach (list, i, e) {
		if (json_is_true(json_object_get(e, "void"))) {
			continue; /* served for a 调解书 since gone back on */
		}
		if (strcmp(json_string_value(json_object_get(e, "document")),
		        document) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "party")),
		        party) == 0) {
			return (1);
		}
	}
	return (0);
}

/*
 * all_received: has every party the document goes to received it? *last
 * is then the latest day of receipt.
 */
static int
all_received(const json_t *list, const struct policy_document *d,
    struct civil_date *last)
{
	struct civil_date on;
	const json_t     *e;
	size_t            i;
	int               party, seen = 0;

	json_array_foreach (list, i, e) {
		if (json_is_true(json_object_get(e, "void")) ||
		    strcmp(json_string_value(json_object_get(e, "document")),
		        d->name) != 0 ||
		    (party = policy_party_from_name(json_string_value(
		         json_object_get(e, "party")))) < 0 ||
		    validate_date(
		        json_string_value(json_object_get(e, "served_on")),
		        &on, "served_on", NULL) != WAGE_OK) {
			continue;
		}
		if (seen == 0 || civil_date_cmp(&on, last) > 0) {
			*last = on;
		}
		seen |= 1 << party;
	}
	return ((unsigned) seen == d->to);
}

int
service_record(const struct caserules_env *env, json_t *doc,
    const json_t *fields, const struct actor *who, struct civil_date today,
    struct wage_error *err)
{
	const struct policy          *p = env->policy;
	const struct policy_document *d;
	const char                   *dname =
	    json_string_value(json_object_get(fields, "document"));
	const char *pname =
	    json_string_value(json_object_get(fields, "party"));
	const char *method =
	    json_string_value(json_object_get(fields, "method"));
	const char *son =
	    json_string_value(json_object_get(fields, "served_on"));
	const char       *since;
	struct civil_date on, receipt, made, last;
	json_t           *list, *e, *clocks = json_object_get(doc, "clocks");
	char              now[16], rbuf[16];
	int               party, pub, rc;

	if ((d = policy_document_find(p, dname)) == NULL) {
		char   allowed[256];
		size_t i, used = 0;

		allowed[0] = '\0';
		for (i = 0;
		     i < p->service.ndocuments && used < sizeof(allowed);
		     i++) {
			used += (size_t) snprintf(allowed + used,
			    sizeof(allowed) - used, "%s%s", i ? ", " : "",
			    p->service.documents[i].name);
		}
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.document",
		    "'fields.document': unknown document '%s'; allowed: %s",
		    dname != NULL ? dname : "", allowed));
	}
	party = policy_party_from_name(pname);
	if (party < 0 || (d->to & (1u << party)) == 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.party",
		    "'fields.party': the %s (%s) is served on %s%s%s, not on "
		    "'%s'",
		    d->label, d->name,
		    (d->to & (1u << PARTY_WORKER)) ? "worker" : "",
		    (d->to & (1u << PARTY_WORKER)) &&
		            (d->to & (1u << PARTY_EMPLOYER))
		        ? " and "
		        : "",
		    (d->to & (1u << PARTY_EMPLOYER)) ? "employer" : "",
		    pname != NULL ? pname : ""));
	}
	if (validate_date(son, &on, "fields.served_on", err) != WAGE_OK) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	if (civil_date_cmp(&on, &today) > 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.served_on",
		    "'fields.served_on' (%s) is in the future: record service "
		    "once it has happened (for public notice, the day of "
		    "publication)",
		    son));
	}
	if (d->opens_windows && json_object_get(doc, "award") == NULL) {
		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
		    "fields.document",
		    "the %s cannot be served: the case has no award yet",
		    d->label));
	}
	if (d->takes_effect && json_object_get(doc, "settlement") == NULL) {
		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
		    "fields.document",
		    "the %s cannot be served: no agreement has been recorded "
		    "in arbitration",
		    d->label));
	}
	since = document_date(doc, d);
	if (since != NULL &&
	    validate_date(since, &made, "date", NULL) == WAGE_OK &&
	    civil_date_cmp(&on, &made) < 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.served_on",
		    "'fields.served_on' (%s) is before the %s exists (%s)",
		    son, d->label, since));
	}
	list = json_object_get(doc, "service");
	if (served_already(list, d->name, pname)) {
		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
		    "fields.document",
		    "the %s has already been served on the %s; its day of "
		    "receipt is recorded in the case's service list",
		    d->label, pname));
	}
	/* 民事诉讼法 Art 95: public notice is deemed served N days after
	 * publication; the party's windows run from then. */
	pub = p->service.public_notice_method != NULL && method != NULL &&
	    strcmp(method, p->service.public_notice_method) == 0;
	receipt = on;
	if (pub &&
	    calendar_date_plus(on, p->service.public_notice_days, &receipt) !=
	        0) {
		return (WAGE_E_INTERNAL);
	}
	civil_date_format(&today, now, sizeof(now));
	civil_date_format(&receipt, rbuf, sizeof(rbuf));
	e = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:s}", "document", d->name,
	    "party", pname, "method", method, "served_on", rbuf, "by",
	    who->name, "recorded", now);
	if (e == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if (pub) {
		json_object_set_new(e, "published", json_string(son));
		json_object_set_new(e, "basis",
		    json_string(p->service.public_notice_basis != NULL
		            ? p->service.public_notice_basis
		            : ""));
	}
	/* Replaced whole: the list may be shared with a cached head. */
	list = list != NULL ? json_deep_copy(list) : json_array();
	if (list == NULL || json_array_append_new(list, e) != 0) {
		json_decref(list);
		return (WAGE_E_INTERNAL);
	}
	json_object_set_new(doc, "service", list);
	rc = clock_apply(
	    clocks, p, &d->on_receipt[party], receipt, 0, who->name, err);
	if (rc == WAGE_OK && d->opens_windows && p->windows_from_service) {
		rc = service_open_windows(p, clocks, doc, party, receipt);
	}
	if (rc == WAGE_OK && all_received(list, d, &last)) {
		rc = clock_apply(
		    clocks, p, &d->on_all_received, last, 0, who->name, err);
		if (rc == WAGE_OK && d->takes_effect) {
			json_t *st =
			    json_deep_copy(json_object_get(doc, "settlement"));

			civil_date_format(&last, rbuf, sizeof(rbuf));
			json_object_set_new(
			    st, "effective", json_string(rbuf));
			json_object_set_new(doc, "settlement", st);
		}
	}
	return (rc);
}

int
service_void_settlement(const struct policy *p, json_t *doc, const char *now)
{
	json_t                       *st = json_object_get(doc, "settlement");
	json_t                       *list, *e, *gone, *old;
	size_t                        i;
	const struct policy_document *d;

	if (st == NULL) {
		return (WAGE_OK);
	}
	/* Kept, not dropped: the void 调解书 and its receipts stay on the
	 * record (copies: the members may be shared with a cached head). */
	old  = json_object_get(doc, "settlements_void");
	gone = old != NULL ? json_deep_copy(old) : json_array();
	st   = json_deep_copy(st);
	if (gone == NULL || st == NULL) {
		json_decref(gone);
		json_decref(st);
		return (WAGE_E_INTERNAL);
	}
	json_object_set_new(st, "void", json_string(now));
	json_array_append_new(gone, st);
	json_object_set_new(doc, "settlements_void", gone);
	json_object_del(doc, "settlement");
	if ((list = json_object_get(doc, "service")) == NULL) {
		return (WAGE_OK);
	}
	if ((list = json_deep_copy(list)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_array_foreach (list, i, e) {
		d = policy_document_find(
		    p, json_string_value(json_object_get(e, "document")));
		if (d != NULL && d->takes_effect) {
			json_object_set_new(e, "void", json_true());
		}
	}
	json_object_set_new(doc, "service", list);
	return (WAGE_OK);
}
