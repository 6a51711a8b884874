/* SPDX-License-Identifier: MIT */
/*
 * represent.c - representation and the power of attorney (see
 * represent.h). Owns: the "representative", "representatives_past",
 * "representatives" (after filing) and "representatives_past_elected"
 * members of a case document, and the rule of special authority. Must
 * not: store, log, or decide the state (workflow.c) or the clocks
 * (caserules.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filing.h"
#include "represent.h"

static const char *const rep_kinds[] = { "union", "legal_aid", "lawyer",
	"relative", "other", NULL };

static int
is_rep_role(const struct actor *a)
{
	return (a->role == ROLE_UNION || a->role == ROLE_LEGAL_AID);
}

static const char *
jstr(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

static int
in_list(const char *v, const char *const *list)
{
	size_t i;

	for (i = 0; v != NULL && list[i] != NULL; i++) {
		if (strcmp(v, list[i]) == 0) {
			return (1);
		}
	}
	return (0);
}

/* get_str: an optional or required one-line string member of o. */
static int
get_str(const json_t *o, const char *key, size_t max, int required,
    const char *path, const char **out, struct wage_error *err)
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
	if (validate_text(json_string_value(v), json_string_length(v), max, 0,
	        required, path, err) != WAGE_OK) {
		return (WAGE_E_INVALID_ARGUMENT);
	}
	*out = json_string_value(v);
	return (WAGE_OK);
}

/* The scope as "申请(file)、调解(mediate)" and "file, mediate". */
static void
scope_text(const json_t *scope, char *zh, size_t zlen, char *en, size_t elen)
{
	const json_t *s;
	size_t        i, zo = 0, eo = 0;
	int           k;

	zh[0] = en[0] = '\0';
	json_array_foreach (scope, i, s) {
		k = policy_power_find(json_string_value(s));
		if (k < 0) {
			continue;
		}
		if (zo < zlen) {
			zo += (size_t) snprintf(zh + zo, zlen - zo, "%s%s(%s)",
			    zo ? "、" : "", policy_power_label(k),
			    policy_power_names[k]);
		}
		if (eo < elen) {
			eo += (size_t) snprintf(en + eo, elen - eo, "%s%s",
			    eo ? ", " : "", policy_power_names[k]);
		}
	}
	if (zh[0] == '\0') {
		snprintf(zh, zlen, "无");
		snprintf(en, elen, "nothing");
	}
}

static const char all_powers[] = "file, mediate, arbitrate, settle, "
                                 "withdraw, concede, change_claim, "
                                 "receive_payment, appeal";

static int
check_scope(const json_t *scope, const char *path, json_t **out,
    struct wage_error *err)
{
	const json_t *s;
	json_t       *sc;
	size_t        i, j;
	char          f[128];

	*out = NULL;
	if (!json_is_array(scope) || json_array_size(scope) == 0 ||
	    json_array_size(scope) > POLICY_NPOWERS) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' must list what the power of attorney allows, 1 to "
		    "%d of: %s",
		    path, POLICY_NPOWERS, all_powers));
	}
	if ((sc = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_array_foreach (scope, i, s) {
		snprintf(f, sizeof(f), "%s[%zu]", path, i);
		if (!json_is_string(s) ||
		    policy_power_find(json_string_value(s)) < 0) {
			json_decref(sc);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' is not an allowed scope; allowed: %s", f,
			    all_powers));
		}
		for (j = 0; j < i; j++) {
			if (json_equal(
			        json_array_get(scope, j), (json_t *) s)) {
				json_decref(sc);
				return (wage_err_set(err,
				    WAGE_E_INVALID_ARGUMENT, f,
				    "'%s' names the same power twice", f));
			}
		}
		json_array_append(sc, (json_t *) s);
	}
	*out = sc;
	return (WAGE_OK);
}

static int
has_power(const json_t *scope, const char *power)
{
	const json_t *v;
	size_t        i;

	json_array_foreach (scope, i, v) {
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), power) == 0) {
			return (1);
		}
	}
	return (0);
}

static int
check_sha256(const char *s, const char *path, struct wage_error *err)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') ||
		        (s[i] >= 'a' && s[i] <= 'f'))) {
			break;
		}
	}
	if (i != 64 || s[i] != '\0') {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' must be the SHA-256 of the signed document: 64 "
		    "lower-case hex digits",
		    path));
	}
	return (WAGE_OK);
}

int
represent_record_check(const json_t *o, const struct actor *who,
    const char *path, const struct civil_date *today, json_t **out,
    struct wage_error *err)
{
	static const char *const keys[]  = { "kind", "organisation", "name",
		 "party", "authority", "valid_from", "valid_until", NULL };
	static const char *const akeys[] = { "scope", "document",
		"document_sha256", "matters", NULL };
	const char       *kind, *org, *name, *party, *doc, *sha, *matters;
	const char       *from, *until;
	struct civil_date df, du;
	const json_t     *auth, *kv;
	json_t           *sc = NULL, *rec, *a;
	char              p[96], p2[96];
	int               rc;

	*out = NULL;
	if ((rc = filing_check_object(o, keys, path, err)) != WAGE_OK) {
		return (rc);
	}
	kv = json_object_get(o, "kind");
	snprintf(p, sizeof(p), "%s.kind", path);
	if (!json_is_string(kv) ||
	    !in_list(json_string_value(kv), rep_kinds)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, p,
		    "'%s' %s; allowed: union, legal_aid, lawyer, relative, "
		    "other",
		    p,
		    kv == NULL ? "is required" : "is not an allowed value"));
	}
	kind = json_string_value(kv);
	snprintf(p, sizeof(p), "%s.organisation", path);
	snprintf(p2, sizeof(p2), "%s.name", path);
	if ((rc = get_str(o, "organisation", WAGE_MAX_NAME_CHARS, 1, p, &org,
	         err)) != WAGE_OK ||
	    (rc = get_str(o, "name", WAGE_MAX_NAME_CHARS, 1, p2, &name,
	         err)) != WAGE_OK) {
		return (rc);
	}
	/* A union station or legal-aid actor represents as itself. */
	if (who != NULL && is_rep_role(who) && strcmp(org, who->org) != 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, p,
		    "'%s' must be your own organisation as named in your "
		    "certificate",
		    p));
	}
	snprintf(p, sizeof(p), "%s.party", path);
	if ((rc = get_str(o, "party", 16, 0, p, &party, err)) != WAGE_OK) {
		return (rc);
	}
	if (party != NULL && strcmp(party, "worker") != 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, p,
		    "'%s' must be worker: the server records the workers' "
		    "representation (Art 24); the employer's is not kept yet",
		    p));
	}
	auth = json_object_get(o, "authority");
	snprintf(p, sizeof(p), "%s.authority", path);
	if ((rc = filing_check_object(auth, akeys, p, err)) != WAGE_OK) {
		return (rc);
	}
	snprintf(p, sizeof(p), "%s.authority.scope", path);
	if ((rc = check_scope(json_object_get(auth, "scope"), p, &sc, err)) !=
	    WAGE_OK) {
		return (rc);
	}
	snprintf(p, sizeof(p), "%s.authority.document", path);
	if ((rc = get_str(auth, "document", WAGE_MAX_SHORT_CHARS, 1, p, &doc,
	         err)) != WAGE_OK) {
		goto fail;
	}
	snprintf(p, sizeof(p), "%s.authority.document_sha256", path);
	if ((rc = get_str(auth, "document_sha256", 64, 0, p, &sha, err)) !=
	        WAGE_OK ||
	    (sha != NULL && (rc = check_sha256(sha, p, err)) != WAGE_OK)) {
		goto fail;
	}
	snprintf(p, sizeof(p), "%s.authority.matters", path);
	if ((rc = get_str(auth, "matters", WAGE_MAX_SHORT_CHARS, 0, p,
	         &matters, err)) != WAGE_OK) {
		goto fail;
	}
	snprintf(p, sizeof(p), "%s.valid_from", path);
	if ((rc = get_str(o, "valid_from", 10, 0, p, &from, err)) != WAGE_OK ||
	    (from != NULL &&
	        (rc = validate_date(from, &df, p, err)) != WAGE_OK)) {
		goto fail;
	}
	snprintf(p2, sizeof(p2), "%s.valid_until", path);
	if ((rc = get_str(o, "valid_until", 10, 0, p2, &until, err)) !=
	        WAGE_OK ||
	    (until != NULL &&
	        (rc = validate_date(until, &du, p2, err)) != WAGE_OK)) {
		goto fail;
	}
	if (from != NULL && until != NULL && civil_date_cmp(&du, &df) < 0) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, p2,
		    "'%s' (%s) must not be before '%s' (%s)", p2, until, p,
		    from);
		goto fail;
	}
	if (until != NULL && today != NULL && civil_date_cmp(&du, today) < 0) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, p2,
		    "the power of attorney ran out on %s ('%s'): a new one "
		    "is needed (Art 24)",
		    until, p2);
		goto fail;
	}
	/* A representative that files does so under its power: the power
	 * must include filing (Art 24). A clerk records a walk-in
	 * complaint whatever the representative's powers. */
	if (who != NULL && is_rep_role(who) && !has_power(sc, "file")) {
		char zh[256], en[160];

		scope_text(sc, zh, sizeof(zh), en, sizeof(en));
		snprintf(p, sizeof(p), "%s.authority.scope", path);
		rc = wage_err_set(err, WAGE_E_FORBIDDEN, p,
		    "授权委托书的权限为: %s；申请(file)需要授权 / file needs "
		    "authority: the power of attorney covers: %s (Art 24)",
		    zh, en);
		goto fail;
	}
	a   = json_pack("{s:o, s:s}", "scope", sc, "document", doc);
	sc  = NULL;
	rec = json_pack("{s:s, s:s, s:s, s:s, s:o}", "kind", kind,
	    "organisation", org, "name", name, "party", "worker", "authority",
	    a);
	if (rec == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if (sha != NULL) {
		json_object_set_new(a, "document_sha256", json_string(sha));
	}
	if (matters != NULL) {
		json_object_set_new(a, "matters", json_string(matters));
	}
	if (from != NULL) {
		json_object_set_new(rec, "valid_from", json_string(from));
	}
	if (until != NULL) {
		json_object_set_new(rec, "valid_until", json_string(until));
	}
	*out = rec;
	return (WAGE_OK);
fail:
	json_decref(sc);
	return (rc);
}

/* fields_scope: "file,mediate" (commas or spaces) into a JSON list. */
static json_t *
fields_scope(const char *s)
{
	json_t *a = json_array();
	char    buf[256];
	size_t  n;

	while (a != NULL && s != NULL && *s != '\0') {
		n = strcspn(s, ", ");
		if (n > 0 && n < sizeof(buf)) {
			memcpy(buf, s, n);
			buf[n] = '\0';
			json_array_append_new(a, json_string(buf));
		} else if (n > 0) {
			json_array_append_new(a, json_string("?"));
		}
		s += n;
		s += strspn(s, ", ");
	}
	return (a);
}

/* The record an appointment names, from the event's rep_* fields. */
static int
record_from_fields(const json_t *fields, const struct civil_date *today,
    json_t **out, struct wage_error *err)
{
	json_t *o, *auth;
	int     rc;

	auth = json_pack("{s:o, s:O?}", "scope",
	    fields_scope(jstr(fields, "rep_scope")), "document",
	    json_object_get(fields, "rep_document"));
	o    = json_pack("{s:O?, s:O?, s:O?, s:o}", "kind",
	       json_object_get(fields, "rep_kind"), "organisation",
	       json_object_get(fields, "rep_organisation"), "name",
	       json_object_get(fields, "rep_name"), "authority", auth);
	if (o == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if (json_object_get(fields, "rep_document_sha256") != NULL) {
		json_object_set(auth, "document_sha256",
		    json_object_get(fields, "rep_document_sha256"));
	}
	if (json_object_get(fields, "rep_valid_from") != NULL) {
		json_object_set(o, "valid_from",
		    json_object_get(fields, "rep_valid_from"));
	}
	if (json_object_get(fields, "rep_valid_until") != NULL) {
		json_object_set(o, "valid_until",
		    json_object_get(fields, "rep_valid_until"));
	}
	rc = represent_record_check(o, NULL, "fields.rep", today, out, err);
	json_decref(o);
	if (rc != WAGE_OK && strncmp(err->field, "fields.rep.", 11) == 0) {
		/* Name the event's own field: fields.rep.kind -> rep_kind. */
		const char *rest = err->field + 11;
		char        f[64];

		if (strncmp(rest, "authority.", 10) == 0) {
			rest += 10;
		}
		snprintf(f, sizeof(f), "fields.rep_%s", rest);
		if ((rest = strchr(f, '[')) != NULL) {
			f[rest - f] = '\0';
		}
		snprintf(err->field, sizeof(err->field), "%s", f);
	}
	return (rc);
}

/* Whose act: the event's `party` field when it names one, else the
 * policy's. */
static int
act_party(const struct policy_event *ev, const json_t *fields)
{
	int k = policy_party_from_name(jstr(fields, "party"));

	return (k > 0 ? k : ev->party);
}

int
represent_guard(const struct policy *p, const json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    const struct actor *who, const struct civil_date *today,
    struct wage_error *err)
{
	const json_t     *rep = json_object_get(doc, "representative");
	const char       *org = jstr(rep, "organisation");
	const char       *s, *power;
	const json_t     *scope;
	struct civil_date d;
	char              zh[256], en[160], dtext[40];
	int               k, mine;

	if (who->role == ROLE_SYSTEM) {
		return (WAGE_OK);
	}
	if (!is_rep_role(who)) {
		/* Staff never act for a party: they record the party's own
		 * signed act, named by its document. */
		if (ev->has_party_doc &&
		    json_object_get(fields, p->fields[ev->party_doc].name) ==
		        NULL) {
			snprintf(dtext, sizeof(dtext), "fields.%s",
			    p->fields[ev->party_doc].name);
			return (
			    wage_err_set(err, WAGE_E_INVALID_ARGUMENT, dtext,
			        "'%s' is required: '%s' is the %s's own act; "
			        "staff do not act for a party (Art 24), they "
			        "record the act the party signed: give that "
			        "document's reference",
			        dtext, ev->name,
			        act_party(ev, fields) == PARTY_EMPLOYER
			            ? "employer"
			            : "worker"));
		}
		return (WAGE_OK);
	}
	mine = org != NULL && strcmp(org, who->org) == 0;
	if (ev->power == 0 && !mine) {
		return (WAGE_OK); /* scope.c decided it may see the case */
	}
	power = ev->power != 0 ? policy_power_names[ev->power - 1] : NULL;
	if (!mine) {
		return (wage_err_set(err, WAGE_E_FORBIDDEN, "event",
		    "您的机构不是本案劳动者的现任代理人，不得%s / your "
		    "organisation is not the worker's current representative "
		    "on this case: '%s' needs the power '%s' in the power of "
		    "attorney of the representative (Art 24)",
		    policy_power_label(ev->power - 1), ev->name, power));
	}
	if (act_party(ev, fields) != PARTY_WORKER) {
		return (wage_err_set(err, WAGE_E_FORBIDDEN, "fields.party",
		    "a representative of the workers acts only for the "
		    "worker: '%s' for the employer is the employer's own act",
		    ev->name));
	}
	if ((s = jstr(rep, "valid_from")) != NULL &&
	    validate_date(s, &d, "valid_from", NULL) == WAGE_OK &&
	    civil_date_cmp(today, &d) < 0) {
		return (wage_err_set(err, WAGE_E_FORBIDDEN, "event",
		    "授权委托书自%s起生效，尚未生效 / the power of attorney "
		    "is valid only from %s (representative.valid_from): "
		    "nothing may be done under it before",
		    s, s));
	}
	if ((s = jstr(rep, "valid_until")) != NULL &&
	    validate_date(s, &d, "valid_until", NULL) == WAGE_OK &&
	    civil_date_cmp(today, &d) > 0) {
		return (wage_err_set(err, WAGE_E_FORBIDDEN, "event",
		    "授权委托书已于%s到期 / the power of attorney ran out on "
		    "%s (representative.valid_until): a clerk records a new "
		    "one (appoint_representative) before the representative "
		    "acts again",
		    s, s));
	}
	if (power == NULL) {
		return (WAGE_OK);
	}
	scope = json_object_get(json_object_get(rep, "authority"), "scope");
	if (has_power(scope, power)) {
		return (WAGE_OK);
	}
	k = ev->power - 1;
	scope_text(scope, zh, sizeof(zh), en, sizeof(en));
	return (wage_err_set(err, WAGE_E_FORBIDDEN, "event",
	    "授权委托书的权限为: %s；%s(%s)需要特别授权 / %s needs special "
	    "authority; the power of attorney covers: %s (Art 24; 民事诉讼法 "
	    "Art 62)",
	    zh, policy_power_label(k), power, power, en));
}

/* elected: "0, 3, 5" into [{claimant, name}], 3 to 5 distinct positions
 * of claimants. */
static int
elected(const json_t *doc, const char *s, json_t **out, struct wage_error *err)
{
	const json_t *cl = json_object_get(doc, "claimants");
	size_t        n  = json_array_size(cl), i;
	json_t       *list;
	long          k;
	char         *end;

	*out = NULL;
	if ((list = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	while (s != NULL && *s != '\0') {
		s += strspn(s, ", ");
		if (*s == '\0') {
			break;
		}
		k = strtol(s, &end, 10);
		if (end == s || (*end != '\0' && *end != ',' && *end != ' ') ||
		    k < 0 || (size_t) k >= n || json_array_size(list) >= 5) {
			json_decref(list);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "fields.representatives",
			    "'fields.representatives' must list 3 to 5 "
			    "claimant positions from 0 to %zu, separated by "
			    "commas (e.g. 0,3,5)",
			    n - 1));
		}
		for (i = 0; i < json_array_size(list); i++) {
			if (json_integer_value(json_object_get(
			        json_array_get(list, i), "claimant")) == k) {
				json_decref(list);
				return (
				    wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
				        "fields.representatives",
				        "'fields.representatives' names "
				        "worker %ld "
				        "twice",
				        k));
			}
		}
		json_array_append_new(list,
		    json_pack("{s:I, s:O}", "claimant", (json_int_t) k, "name",
		        json_object_get(
		            json_array_get(cl, (size_t) k), "name")));
		s = end;
	}
	if (json_array_size(list) < 3) {
		json_decref(list);
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    "fields.representatives",
		    "the workers of a collective case elect 3 to 5 "
		    "representatives (Art 7; 办案规则 Art 8): "
		    "'fields.representatives' lists their claimant positions, "
		    "e.g. 0,3,5"));
	}
	*out = list;
	return (WAGE_OK);
}

/* past_with: a new list, the old one (may be NULL) and entry (taken). */
static json_t *
past_with(const json_t *old, json_t *entry)
{
	json_t *a =
	    json_is_array(old) ? json_copy((json_t *) old) : json_array();

	if (a != NULL) {
		json_array_append_new(a, entry);
	} else {
		json_decref(entry);
	}
	return (a);
}

int
represent_apply(const struct policy *p, json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    const struct actor *who, const struct civil_date *today,
    struct wage_error *err)
{
	const json_t *rep = json_object_get(doc, "representative");
	json_t       *rec, *ended, *list;
	char          now[16];
	int           rc;

	(void) p;
	civil_date_format(today, now, sizeof(now));
	switch (ev->representation) {
	case REPRESENTATION_APPOINT:
		if ((rc = record_from_fields(fields, today, &rec, err)) !=
		    WAGE_OK) {
			return (rc);
		}
		json_object_set_new(rec, "appointed_on", json_string(now));
		json_object_set_new(rec, "appointed_by",
		    json_pack(
		        "{s:s, s:s}", "name", who->name, "org", who->org));
		if (rep != NULL) {
			/* Replacement: the old power ends today. */
			ended = json_deep_copy(rep);
			json_object_set_new(
			    ended, "ended_on", json_string(now));
			json_object_set_new(
			    ended, "ended_by", json_string("replaced"));
			json_object_set_new(doc, "representatives_past",
			    past_with(
			        json_object_get(doc, "representatives_past"),
			        ended));
		}
		json_object_set_new(doc, "representative", rec);
		break;
	case REPRESENTATION_REMOVE:
		if (rep == NULL) {
			return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
			    "event",
			    "'%s': the case has no representative to remove",
			    ev->name));
		}
		ended = json_deep_copy(rep);
		json_object_set_new(ended, "ended_on", json_string(now));
		json_object_set_new(ended, "ended_by", json_string("removed"));
		json_object_set_new(doc, "representatives_past",
		    past_with(
		        json_object_get(doc, "representatives_past"), ended));
		json_object_del(doc, "representative");
		break;
	case REPRESENTATION_ELECT:
		if (!json_is_true(json_object_get(
		        json_object_get(doc, "priority"), "collective"))) {
			return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
			    "event",
			    "'%s': representatives are elected only in a "
			    "collective case (10 or more workers; Art 7)",
			    ev->name));
		}
		if ((rc = elected(doc, jstr(fields, "representatives"), &list,
		         err)) != WAGE_OK) {
			return (rc);
		}
		if (json_object_get(doc, "representatives") != NULL) {
			json_object_set_new(doc,
			    "representatives_past_elected",
			    past_with(json_object_get(
			                  doc, "representatives_past_elected"),
			        json_pack("{s:O, s:s}", "representatives",
			            json_object_get(doc, "representatives"),
			            "ended_on", now)));
		}
		json_object_set_new(doc, "representatives", list);
		break;
	default:
		break;
	}
	return (WAGE_OK);
}

static json_t *
worker_names(const json_t *doc)
{
	json_t       *names = json_array();
	const json_t *c;
	size_t        i;

	json_array_foreach (json_object_get(doc, "claimants"), i, c) {
		if (i >= 20) {
			break;
		}
		json_array_append(names, json_object_get(c, "name"));
	}
	return (names);
}

json_t *
represent_on_behalf_of(const struct policy *p, const struct actor *a,
    const json_t *doc, const struct policy_event *ev, const json_t *fields)
{
	json_int_t n =
	    (json_int_t) json_array_size(json_object_get(doc, "claimants"));
	json_t *o;

	if (is_rep_role(a)) {
		/* A representative acts for the workers (Art 24). */
		o = json_pack("{s:s, s:s, s:o, s:I}", "representative", a->org,
		    "person", a->name, "workers", worker_names(doc), "count",
		    n);
		if (o != NULL && ev != NULL && ev->power != 0) {
			json_object_set_new(o, "power",
			    json_string(policy_power_names[ev->power - 1]));
			json_object_set(o, "power_of_attorney",
			    json_object_get(
			        json_object_get(
			            json_object_get(doc, "representative"),
			            "authority"),
			        "document"));
		}
		return (o);
	}
	if (ev != NULL && ev->has_party_doc && a->role != ROLE_SYSTEM) {
		/* The party acted in person; staff recorded it. */
		const json_t *d =
		    json_object_get(fields, p->fields[ev->party_doc].name);

		if (act_party(ev, fields) == PARTY_EMPLOYER) {
			return (json_pack("{s:s, s:b, s:O?, s:O?, s:s}",
			    "party", "employer", "in_person", 1, "employer",
			    json_object_get(
			        json_object_get(doc, "respondent"), "name"),
			    "document", d, "recorded_by", a->org));
		}
		return (json_pack("{s:s, s:b, s:o, s:I, s:O?, s:s}", "party",
		    "worker", "in_person", 1, "workers", worker_names(doc),
		    "count", n, "document", d, "recorded_by", a->org));
	}
	return (json_pack("{s:s}", "office", a->org));
}

bool
represent_filer_keeps(const json_t *doc)
{
	const char *filer = json_string_value(
	    json_object_get(json_object_get(doc, "filed_by"), "org"));
	const char *rep = json_string_value(json_object_get(
	    json_object_get(doc, "representative"), "organisation"));

	if (filer == NULL) {
		return (false);
	}
	if (rep == NULL) {
		return (json_object_get(doc, "representatives_past") == NULL);
	}
	return (strcmp(rep, filer) == 0);
}
