/* SPDX-License-Identifier: MIT */
/*
 * workflow.c - decides whether an event may be fired on a case: the event
 * exists in the policy, the actor's role is among its "roles", the case's
 * state is among its "from", and the fields carried match its "requires"
 * and "optional" lists and the types under "fields" (policies/
 * wage-dispute.yaml). The rules are all in the policy; this file only
 * applies them, in the order workflow.h fixes. An event name may be listed
 * more than once, for each state an event stays in (policy_check.c
 * check_repeat): the entry that applies is the one whose from holds the
 * case's state.
 * Must not: store, log, allocate beyond the JSON it returns, or echo a
 * field's value in a message (it may be personal data).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "award.h"
#include "policy.h"
#include "validate.h"
#include "wage/protocol.h"
#include "workflow.h"

/* Names longer than this are not echoed back in a message. */
#define WF_MAX_ECHO 48

/*
 * list_add appends name to the ", "-separated list in buf (len bytes,
 * *used so far); once it no longer fits the list ends in "...".
 */
static void
list_add(char *buf, size_t len, size_t *used, const char *name)
{
	int w;

	if (*used >= len) {
		return;
	}
	w = snprintf(
	    buf + *used, len - *used, "%s%s", *used > 0 ? ", " : "", name);
	if (w < 0 || (size_t) w >= len - *used) {
		/* Cut at the last whole name and mark the cut. */
		buf[*used] = '\0';
		if (len - *used > 5) {
			snprintf(buf + *used, len - *used, ", ...");
		}
		*used = len;
		return;
	}
	*used += (size_t) w;
}

static bool
state_in(const struct policy_event *ev, long st)
{
	size_t i;

	if (st < 0) {
		return (false);
	}
	for (i = 0; i < ev->nfrom; i++) {
		if (ev->from[i] == (size_t) st) {
			return (true);
		}
	}
	return (false);
}

/*
 * find_event returns the entry of the event called name that applies in
 * state st: the one whose "from" holds st, else the first of that name
 * (NULL when there is none). *roles is set to the roles of the entry
 * that applies or, when none does, of every entry of that name, so that
 * the role check (step 2) does not depend on the order of the entries.
 */
static const struct policy_event *
find_event(const struct policy *p, const char *name, long st, uint32_t *roles)
{
	const struct policy_event *first = NULL;
	size_t                     i;

	*roles = 0;
	if (name == NULL) {
		return (NULL);
	}
	for (i = 0; i < p->nevents; i++) {
		if (p->events[i].name == NULL ||
		    strcmp(p->events[i].name, name) != 0) {
			continue;
		}
		if (state_in(&p->events[i], st)) {
			*roles = p->events[i].roles;
			return (&p->events[i]);
		}
		if (first == NULL) {
			first = &p->events[i];
		}
		*roles |= p->events[i].roles;
	}
	return (first);
}

/* events_from lists the events of p that leave state st, whoever fires. */
static void
events_from(const struct policy *p, long st, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < p->nevents; i++) {
		if (state_in(&p->events[i], st)) {
			list_add(buf, len, &used, p->events[i].name);
		}
	}
}

static void
roles_of(uint32_t mask, char *buf, size_t len)
{
	size_t used = 0;
	int    r;

	buf[0] = '\0';
	for (r = 0; r < ROLE__COUNT; r++) {
		if ((mask & ROLE_BIT(r)) != 0) {
			list_add(buf, len, &used, policy_role_name(r));
		}
	}
}

static void
fields_of(const struct policy *p, const struct policy_event *ev, char *buf,
    size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < ev->nrequires; i++) {
		list_add(buf, len, &used, p->fields[ev->requires[i]].name);
	}
	for (i = 0; i < ev->noptional; i++) {
		list_add(buf, len, &used, p->fields[ev->optional[i]].name);
	}
}

/* echo_ok: a member name short and plain enough to be quoted back. */
static bool
echo_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= WF_MAX_ECHO ||
		    !((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_')) {
			return (false);
		}
	}
	return (i > 0);
}

static long
event_field(const struct policy_event *ev, size_t fi)
{
	size_t i;

	for (i = 0; i < ev->nrequires; i++) {
		if (ev->requires[i] == fi) {
			return ((long) i);
		}
	}
	for (i = 0; i < ev->noptional; i++) {
		if (ev->optional[i] == fi) {
			return ((long) (ev->nrequires + i));
		}
	}
	return (-1);
}

/*
 * check_fields is step 4 of workflow_check: the object's members against
 * the event's requires / optional lists, then each value against its type.
 */
static int
check_fields(const struct policy *p, const struct policy_event *ev,
    const json_t *fields, struct wage_error *err)
{
	char          path[64], allowed[160];
	const char   *key;
	const json_t *v;
	void         *it;
	size_t        i, fi;
	long          k;
	int           rv;

	if (fields != NULL && !json_is_object(fields)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "fields",
		    "'fields' must be an object of field name to value"));
	}

	/* Members the event does not take (policy: requires, optional). */
	it = fields != NULL ? json_object_iter((json_t *) fields) : NULL;
	for (; it != NULL; it = json_object_iter_next((json_t *) fields, it)) {
		key = json_object_iter_key(it);
		k   = policy_field_find(p, key);
		if (k >= 0 && event_field(ev, (size_t) k) >= 0) {
			continue;
		}
		fields_of(p, ev, allowed, sizeof(allowed));
		if (!echo_ok(key)) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    "fields",
			    "'fields' has a member that is not a field of "
			    "event '%s'; allowed: %s",
			    ev->name, allowed[0] != '\0' ? allowed : "none"));
		}
		snprintf(path, sizeof(path), "fields.%s", key);
		if (allowed[0] == '\0') {
			return (
			    wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
			        "'%s' is not a field of event '%s'; the event "
			        "takes no fields, only a note",
			        path, ev->name));
		}
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' is not a field of event '%s'; allowed: %s", path,
		    ev->name, allowed));
	}

	/* Required fields present (policy: events[].requires). */
	for (i = 0; i < ev->nrequires; i++) {
		const struct policy_field *f = &p->fields[ev->requires[i]];

		if (fields == NULL ||
		    json_object_get(fields, f->name) == NULL) {
			snprintf(path, sizeof(path), "fields.%s", f->name);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    path, "field '%s' is required for event '%s'",
			    f->name, ev->name));
		}
	}

	/* Each value of the right type and range (policy: fields). */
	for (i = 0; i < ev->nrequires + ev->noptional; i++) {
		fi = i < ev->nrequires ? ev->requires[i]
		                       : ev->optional[i - ev->nrequires];
		v  = fields != NULL
		     ? json_object_get(fields, p->fields[fi].name)
		     : NULL;
		if (v == NULL) {
			continue;
		}
		snprintf(path, sizeof(path), "fields.%s", p->fields[fi].name);
		rv = workflow_field_check(&p->fields[fi], v, path, err);
		if (rv != WAGE_OK) {
			return (rv);
		}
	}
	return (WAGE_OK);
}

int
workflow_check(const struct policy *p, const char *state, const char *event,
    int role, const json_t *fields, const struct policy_event **evp,
    struct wage_error *err)
{
	const struct policy_event *ev;
	char                       list[400];
	uint32_t                   roles;
	long                       st;
	int                        rv;

	if (evp != NULL) {
		*evp = NULL;
	}
	if (p == NULL || state == NULL) {
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL, NULL));
	}
	st = policy_state_find(p, state);

	/* 1. The event is one the policy knows. */
	if ((ev = find_event(p, event, st, &roles)) == NULL) {
		events_from(p, st, list, sizeof(list));
		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION, "event",
		    "no event of that name in policy '%s'; allowed from "
		    "state '%s': %s",
		    p->name, state, list[0] != '\0' ? list : "none"));
	}

	/* 2. The actor's role is among the event's roles; the server
	 * itself (ROLE_SYSTEM, sweep.c) fires only the events marked
	 * automatic. */
	if (role == ROLE_SYSTEM ? !ev->automatic
	                        : (role < 0 || role >= ROLE__COUNT ||
	                              (roles & ROLE_BIT(role)) == 0)) {
		roles_of(roles, list, sizeof(list));
		return (wage_err_set(err, WAGE_E_FORBIDDEN, "event",
		    "role '%s' may not fire '%s'; allowed roles: %s%s",
		    policy_role_name(role), ev->name,
		    list[0] != '\0' ? list : "none",
		    ev->automatic ? " (the server fires it by itself once its "
		                    "guards pass)"
		                  : ""));
	}

	/* 3. The case's state is among the event's from. */
	if (!state_in(ev, st)) {
		events_from(p, st, list, sizeof(list));
		if (list[0] == '\0') {
			return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION,
			    "event",
			    "event '%s' is not allowed in state '%s'; no "
			    "event is allowed from here%s",
			    ev->name, state,
			    st >= 0 && p->states[st].terminal
			        ? ": the case is closed"
			        : ""));
		}
		return (wage_err_set(err, WAGE_E_ILLEGAL_TRANSITION, "event",
		    "event '%s' is not allowed in state '%s'; allowed from "
		    "here: %s",
		    ev->name, state, list));
	}

	/* 4. The fields it carries. */
	if ((rv = check_fields(p, ev, fields, err)) != WAGE_OK) {
		return (rv);
	}
	if (evp != NULL) {
		*evp = ev;
	}
	wage_err_clear(err);
	return (WAGE_OK);
}

/*
 * relay passes on a validate_* rejection with the field's path in front,
 * so that every message of this module reads "'fields.x' must be ...".
 */
static int
relay(struct wage_error *err, const char *path, const struct wage_error *e)
{
	return (wage_err_set(err, e->code, path, "'%s' %s", path, e->message));
}

int
workflow_field_check(const struct policy_field *f, const json_t *value,
    const char *path, struct wage_error *err)
{
	struct wage_error e;
	struct civil_date d;
	const char       *s;
	char              list[400];
	size_t            i, used = 0;
	long long         n;

	if (f == NULL) {
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL, NULL));
	}
	if (path == NULL) {
		path = f->name;
	}
	if (value == NULL) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' is missing", path));
	}
	wage_err_clear(&e);
	switch (f->type) {
	case PF_TEXT:
	case PF_STRING:
		if (!json_is_string(value)) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    path, "'%s' must be text (a JSON string)", path));
		}
		if (f->type == PF_TEXT
		        ? validate_text(json_string_value(value),
		              json_string_length(value), WAGE_MAX_TEXT_CHARS,
		              true, true, path, &e) != WAGE_OK
		        : validate_text(json_string_value(value),
		              json_string_length(value), WAGE_MAX_SHORT_CHARS,
		              false, true, path, &e) != WAGE_OK) {
			return (relay(err, path, &e));
		}
		break;
	case PF_DATE:
		/* A NUL inside would hide the rest from validate_date. */
		if (!json_is_string(value) ||
		    strlen(json_string_value(value)) !=
		        json_string_length(value)) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    path, "'%s' must be a date YYYY-MM-DD", path));
		}
		if (validate_date(json_string_value(value), &d, path, &e) !=
		    WAGE_OK) {
			return (relay(err, path, &e));
		}
		break;
	case PF_FEN:
		if (!json_is_integer(value)) {
			return (
			    wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
			        "'%s' must be a whole number of fen (1 yuan = "
			        "100 fen), not text or a decimal",
			        path));
		}
		if (validate_fen(json_integer_value(value), true, path, &e) !=
		    WAGE_OK) {
			return (relay(err, path, &e));
		}
		break;
	case PF_INT:
		n = json_is_integer(value) ? json_integer_value(value) : 0;
		if (!json_is_integer(value) || n < f->min || n > f->max) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    path, "'%s' must be an integer from %lld to %lld",
			    path, f->min, f->max));
		}
		break;
	case PF_BOOL:
		if (!json_is_boolean(value)) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    path, "'%s' must be true or false", path));
		}
		break;
	case PF_ENUM:
		s = json_is_string(value) ? json_string_value(value) : NULL;
		for (i = 0; s != NULL && i < f->nvalues; i++) {
			if (strlen(s) == json_string_length(value) &&
			    strcmp(s, f->values[i]) == 0) {
				return (WAGE_OK);
			}
		}
		list[0] = '\0';
		for (i = 0; i < f->nvalues; i++) {
			list_add(list, sizeof(list), &used, f->values[i]);
		}
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' must be one of: %s", path, list));
	case PF_AWARD_ITEMS:
		/* The items' shape here; against the case in award.c. */
		return (award_items_check(value, path, err));
	case PF_WORKER_AMOUNTS:
		/* The shape here; against the case in caserules.c. */
		return (worker_amounts_check(value, path, err));
	default:
		return (wage_err_set(err, WAGE_E_INTERNAL, path, NULL));
	}
	return (WAGE_OK);
}

int
worker_amounts_check(
    const json_t *v, const char *path, struct wage_error *err)
{
	static const char *const keys[] = { "worker", "amount_fen", NULL };
	const json_t            *it, *w, *a, *o;
	const char              *k;
	char                     f[96];
	size_t                   i, j;

	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > WAGE_MAX_CLAIMANTS) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, path,
		    "'%s' must be a list of 1 to %d {worker, amount_fen}: what "
		    "each worker (a claimant's position, from 0) got",
		    path, WAGE_MAX_CLAIMANTS));
	}
	json_array_foreach (v, i, it) {
		snprintf(f, sizeof(f), "%s[%zu]", path, i);
		if (!json_is_object(it)) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' must be {worker, amount_fen}", f));
		}
		json_object_foreach ((json_t *) it, k, o) {
			for (j = 0; keys[j] != NULL && strcmp(k, keys[j]); j++) {
			}
			if (keys[j] == NULL) {
				return (wage_err_set(err,
				    WAGE_E_INVALID_ARGUMENT, f,
				    "'%s' has an unknown member; allowed: "
				    "worker, amount_fen",
				    f));
			}
		}
		w = json_object_get(it, "worker");
		a = json_object_get(it, "amount_fen");
		if (!json_is_integer(w) || json_integer_value(w) < 0 ||
		    json_integer_value(w) >= WAGE_MAX_CLAIMANTS) {
			snprintf(f, sizeof(f), "%s[%zu].worker", path, i);
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' must be a claimant's position, 0 to %d", f,
			    WAGE_MAX_CLAIMANTS - 1));
		}
		snprintf(f, sizeof(f), "%s[%zu].amount_fen", path, i);
		if (!json_is_integer(a) ||
		    validate_fen(json_integer_value(a), true, f, NULL) !=
		        WAGE_OK) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, f,
			    "'%s' must be a whole number of fen above 0", f));
		}
		for (j = 0; j < i; j++) {
			if (json_equal(w, json_object_get(
			                      json_array_get(v, j), "worker"))) {
				snprintf(f, sizeof(f), "%s[%zu].worker", path,
				    i);
				return (wage_err_set(err,
				    WAGE_E_INVALID_ARGUMENT, f,
				    "'%s' repeats worker %" JSON_INTEGER_FORMAT
				    " of %s[%zu]: one entry a worker",
				    f, json_integer_value(w), path, j));
			}
		}
	}
	return (WAGE_OK);
}

json_t *
workflow_next(const struct policy *p, const char *state, int role)
{
	json_t *a; /* new reference, returned */
	long    st;
	size_t  i;

	if ((a = json_array()) == NULL) {
		return (NULL);
	}
	if (p == NULL || role < 0 || role >= ROLE__COUNT) {
		return (a);
	}
	st = policy_state_find(p, state);
	for (i = 0; i < p->nevents; i++) {
		if ((p->events[i].roles & ROLE_BIT(role)) == 0 ||
		    !state_in(&p->events[i], st)) {
			continue;
		}
		if (json_array_append_new(a, json_string(p->events[i].name)) !=
		    0) {
			json_decref(a);
			return (NULL);
		}
	}
	return (a);
}
