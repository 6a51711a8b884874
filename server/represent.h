/* SPDX-License-Identifier: MIT */
/*
 * represent.h - representation (劳动争议调解仲裁法 Art 24): the record of a
 * party's representative and its power of attorney (授权委托书), the
 * special authority (特别授权, as in 民事诉讼法 Art 62) an act needs, the
 * rule that staff never act for a party, and the appointment, replacement
 * and removal of a representative and the change of the elected
 * representatives of a collective case (Art 7; 办案规则 Art 63).
 *
 * The record, in a case document under "representative" (the workers'
 * side; "party": "worker" leaves room for the employer's):
 *   {kind: union | legal_aid | lawyer | relative | other, organisation,
 *    name, party, authority: {scope: [power...], document,
 *    document_sha256?, matters?}, valid_from?, valid_until?,
 *    appointed_on?, appointed_by?}
 * A replaced or removed one goes, with ended_on and ended_by, to
 * "representatives_past"; a changed list of elected representatives to
 * "representatives_past_elected". Records written before (no dates, no
 * party) stay valid: no date means no bound.
 *
 * Pure functions over JSON: no storage, no I/O, no logging; thread-safe.
 * Messages never echo an ID number or phone.
 */
#ifndef WAGE_REPRESENT_H
#define WAGE_REPRESENT_H

#include <jansson.h>
#include <stdbool.h>

#include "auth.h"
#include "policy.h"
#include "validate.h"
#include "wage/protocol.h"

/*
 * represent_record_check validates o, a representation record as a
 * filing gives it (path names it in errors, e.g. "representative"), for
 * actor who (may be NULL: a clerk recording an appointment): a union or
 * legal-aid actor represents as its own organisation. today bounds the
 * validity dates (valid_until may not have passed). On WAGE_OK *out is
 * the normalised record (new reference); else WAGE_E_INVALID_ARGUMENT
 * with the field and what is allowed.
 */
int represent_record_check(const json_t *o, const struct actor *who,
    const char *path, const struct civil_date *today, json_t **out,
    struct wage_error *err);

/*
 * represent_guard: may actor who do event ev (with fields, may be NULL)
 * on case doc (borrowed, unchanged) today? A union or legal-aid actor
 * acting on a case whose representative it is must be inside the power's
 * validity dates; for an event with a power it must be that
 * representative and the power must be in authority.scope
 * (WAGE_E_FORBIDDEN, the message naming the power needed and the scope
 * held, in Chinese and English). Staff (any other role) doing a party's
 * own act (ev->has_party_doc) must give the party's signed document
 * (WAGE_E_INVALID_ARGUMENT, fields.X). The server's own acts pass.
 */
int represent_guard(const struct policy *p, const json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    const struct actor *who, const struct civil_date *today,
    struct wage_error *err);

/*
 * represent_apply applies ev's change of representation to doc (a case
 * head copy: the members it changes are replaced whole, never changed in
 * place, see CASERULES_MUTABLE): appoint or replace the representative,
 * remove it, change the elected representatives. No-op for other events.
 * WAGE_OK or WAGE_E_INVALID_ARGUMENT / WAGE_E_ILLEGAL_TRANSITION with
 * err filled; doc must then be discarded.
 */
int represent_apply(const struct policy *p, json_t *doc,
    const struct policy_event *ev, const json_t *fields,
    const struct actor *who, const struct civil_date *today,
    struct wage_error *err);

/*
 * represent_on_behalf_of: for whom actor a acts when it does ev (with
 * fields) on doc, for the audit event (new reference): a representative
 * for the workers (its organisation, person, the power used); staff
 * recording a party's own act: the party in person with its document;
 * other staff acts: the office.
 */
json_t *represent_on_behalf_of(const struct policy *p, const struct actor *a,
    const json_t *doc, const struct policy_event *ev, const json_t *fields);

/*
 * represent_filer_keeps: whether the organisation that filed doc still
 * sees it by organisation: while it is the representative, or when the
 * case never had one (nor had one removed). A union station that filed
 * and was replaced or removed loses access at once (scope.c, the by_org
 * index of caserec.c).
 */
bool represent_filer_keeps(const json_t *doc);

#endif /* WAGE_REPRESENT_H */
