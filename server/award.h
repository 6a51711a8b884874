/* SPDX-License-Identifier: MIT */
/*
 * award.h - the award (裁决) of a case: its items, per worker, each
 * classified final or not for the employer under 劳动争议调解仲裁法 第47条
 * (一裁终局), beside the kind the award states, and the checks that keep an
 * award within the case (its dates, its claimants, its claim).
 *
 * The rule (DOMAIN.md "Final award"): (1) wages, work-injury medical costs,
 * economic compensation or damages are final when each item as awarded is
 * not above 12 x the local monthly minimum wage in force on the award date;
 * (2) working hours, rest and leave, and social insurance are final
 * whatever the amount; any other item is not final. In a collective case
 * each worker's items are tested apart. An award holding both is mixed.
 * The kind the award states is recorded beside the rule's and a difference
 * is shown (flagged), not refused.
 *
 * Owns: the "award" member of a case document, which it replaces whole.
 * Must not: store, log, start clocks (caserules.c does, from what
 * award_record returns). Pure over JSON and the immutable tables of env:
 * thread-safe.
 */
#ifndef WAGE_AWARD_H
#define WAGE_AWARD_H

#include <jansson.h>

#include "caserules.h"
#include "validate.h"
#include "wage/protocol.h"

/*
 * award_items_check validates the value of a field of type award_items
 * (policy.h PF_AWARD_ITEMS) on its own, before any case is read: a list of
 * 1 to WAGE_MAX_AWARD_ITEMS objects {worker, kind, amount_fen, stated}
 * with no other member; worker (optional here) an integer from 0 below
 * WAGE_MAX_CLAIMANTS; kind one of filing_claim_kinds; amount_fen a whole
 * number of fen, above 0 except for the kinds of Art 47(2), and at most
 * WAGE_MAX_AMOUNT_FEN; stated "final" or "nonfinal". path names the field
 * ("fields.items") in errors, which name the item's member
 * ("fields.items[2].worker"). items is borrowed. Returns WAGE_OK or
 * WAGE_E_INVALID_ARGUMENT with err filled.
 */
int award_items_check(
    const json_t *items, const char *path, struct wage_error *err);

/*
 * award_record records the award that fields (borrowed; the award event's
 * fields: award_date, amount_fen, and items when the policy has them)
 * makes on doc (modified: its "award" member is replaced whole).
 *
 * With fields.items: award_date must not be in the future nor before the
 * day the award period began (doc.clocks.award.start, else doc.received;
 * 第43条); each item's worker must be a claimant of doc (and is required
 * when doc has more than one); the items of a kind, all workers together,
 * must not add up to more than doc.claim claims of that kind; amount_fen,
 * when given, must be the items' sum. Each item is then classified
 * (Art 47) with the minimum wage of doc.region on the award date, each
 * worker's items apart, and doc.award = {date, amount_fen, items: [{worker,
 * kind, amount_fen, final, stated, mismatch, rule}], workers: [{worker,
 * kind}], kind, mismatch, mismatch_note (when mismatch), limit_fen,
 * minimum_wage_fen, tier, basis}, each kind final, nonfinal or mixed.
 *
 * Without items (a policy before award_items, e.g. 2026.1): as before,
 * the claimed items (doc.claim.items) are classified and doc.award =
 * {date, amount_fen, limit_fen, minimum_wage_fen, tier, items: [{kind,
 * amount_fen, final}], basis}; award_date must not be in the future nor
 * before doc.received, and amount_fen not above the total claimed.
 *
 * On WAGE_OK sets *award_date, and *any_final / *any_nonfinal to whether
 * some item is final / not final by the rule (the challenge windows of
 * Art 48-49 and of Art 50 the award opens). On refusal returns
 * WAGE_E_INVALID_ARGUMENT with err naming the field, the limit and the
 * rule, and leaves doc unchanged; WAGE_E_INTERNAL when memory ran out.
 */
int award_record(const struct caserules_env *env, json_t *doc,
    const json_t *fields, struct civil_date *award_date, int *any_final,
    int *any_nonfinal, struct wage_error *err);

#endif /* WAGE_AWARD_H */
