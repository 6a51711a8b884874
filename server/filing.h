/* SPDX-License-Identifier: MIT */
/*
 * filing.h - the content of a case: validating a filing (claimants,
 * respondent, project, claim, facts, channel, representative) into the
 * normalised case document, and masking personal data for display.
 * Pure functions over JSON: no storage, no I/O, thread-safe.
 */
#ifndef WAGE_FILING_H
#define WAGE_FILING_H

#include <jansson.h>

#include "auth.h"
#include "wage/protocol.h"

struct policy;

/*
 * filing_check validates args of case.file for the actor and, on WAGE_OK,
 * sets *doc (new reference) to the normalised case content: channel,
 * received, region, claimants, respondent, project, claim (with total_fen),
 * facts, representative, priority, filing_key (the idempotency key).
 * Unknown members are refused. Errors: WAGE_E_INVALID_ARGUMENT with the
 * field path ("claimants[3].id_number"), WAGE_E_OUT_OF_SCOPE when the
 * region is outside the actor's.
 *
 * Claims: each claimant may carry their own "claims" (items) and
 * "period"; then every claimant must, and the case's claim is derived
 * (items: the totals by kind; period: as given, else the workers' span;
 * per_worker: true). Without them the filing's "claim" is required; with
 * one claimant it becomes that worker's own (per_worker: true), with
 * several it is a common claim (per_worker: false). Each claimant with
 * claims has total_fen.
 *
 * ID numbers and phones are taken as people type them (spaces, dashes,
 * full-width digits) and stored normalised; the fields that were are
 * listed under FILING_NORMALISED in *doc, for the reply: take it out
 * before the doc is stored.
 */
#define FILING_NORMALISED "_normalised"

/*
 * A claimant marked confidential (劳动保障监察条例 第9条: the complainant's
 * identity is kept from the employer) is shown by this name, with no ID
 * number or phone, in what a role outside the policy's `unmasked` sees
 * (an auditor), in listings, in the audit log, and in the view prepared
 * for the respondent.
 */
#define FILING_CONFIDENTIAL_NAME "（保密）"

/* filing_is_confidential: claimant c asked that its identity be kept. */
int filing_is_confidential(const json_t *c);

/*
 * filing_hide_confidential replaces, in claimants (an array, modified in
 * place: the caller's own copy), every confidential claimant's name by
 * FILING_CONFIDENTIAL_NAME and drops its ID number, phone, their sealed
 * boxes and hints.
 */
void filing_hide_confidential(json_t *claimants);
int filing_check(const json_t *args, const struct actor *who, json_t **doc,
    struct wage_error *err);

/*
 * filing_check_received applies the policy's bound on back-dated filings
 * (issue 13, part 9) to doc, a filing from filing_check made by who: when
 * 'received' lies more than p->filing_max_days_back days before today,
 * who's role must be in filing.backdate_roles and doc must hold
 * 'received_reason'. A policy without a "filing" section sets no bound.
 * Returns WAGE_OK or WAGE_E_INVALID_ARGUMENT naming the field, the limit
 * and the rule.
 */
int filing_check_received(const json_t *doc, const struct actor *who,
    const struct policy *p, struct wage_error *err);

/*
 * filing_mask replaces, in doc (modified in place), every claimant's
 * id_number and phone by their masked forms.
 */
void filing_mask(json_t *doc);

/*
 * filing_seal replaces, in doc (a filing from filing_check), every
 * claimant's id_number and phone by a sealed box (id_sealed, phone_sealed)
 * and a masked hint (id_hint, phone_hint). Returns WAGE_OK or
 * WAGE_E_INTERNAL.
 */
int filing_seal(json_t *doc, const unsigned char *key);

/*
 * filing_unseal turns a stored case (doc, modified in place) back into
 * what a reader sees: id_number and phone whole when reveal is true,
 * masked otherwise; the sealed boxes and hints are removed. Returns
 * WAGE_OK or WAGE_E_INTERNAL (a box did not open: wrong data key).
 */
int filing_unseal(json_t *doc, const unsigned char *key, int reveal);

/*
 * filing_claim_kinds lists (NULL-terminated) the kinds a claim item may
 * have; an award item (award.c) takes the same kinds.
 */
extern const char *const filing_claim_kinds[];

/*
 * filing_check_object refuses members of obj not named in allowed (a
 * NULL-terminated list); path prefixes the field in the error.
 */
int filing_check_object(const json_t *obj, const char *const *allowed,
    const char *path, struct wage_error *err);

#endif /* WAGE_FILING_H */
