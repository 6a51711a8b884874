/* SPDX-License-Identifier: MIT */
/*
 * transfer.h - 移送: an accepted case whose body finds it is not competent
 * goes to the competent body (劳动人事争议仲裁办案规则 第9条), which
 * accepts it or returns it with a reason. The case is never with nobody:
 * while the transfer is pending it stays the sending body's (its region,
 * its clocks) and the receiving body sees it too (scope.c; caserec.c adds
 * index entries under the receiving region); once accepted it is the
 * receiving body's, whose clocks start then (policy: restart award).
 *
 * The case document carries the pending transfer as "transfer": {status:
 * "pending", from_region, from_body, to_region, to_body, reason, sent_on,
 * sent_by}, and every finished one in "transfers" (oldest first), with
 * status "accepted" (accepted_on, accepted_by) or "returned"
 * (returned_on, returned_by, return_reason).
 *
 * Owns: the "transfer", "transfers" and (on acceptance) "region" members.
 * Pure functions over JSON: thread-safe.
 */
#ifndef WAGE_TRANSFER_H
#define WAGE_TRANSFER_H

#include <jansson.h>
#include <stdbool.h>

#include "auth.h"
#include "wage/protocol.h"

/* What an event does to a transfer (policy key `transfer`). */
enum transfer_kind {
	TRANSFER_NONE = 0,
	TRANSFER_SEND,   /* fields receiving_region, receiving_body, reason */
	TRANSFER_ACCEPT, /* by the receiving body */
	TRANSFER_RETURN, /* by the receiving body, field reason */
};

/* transfer_kind_from_name: "send", "accept", "return", or -1. */
int transfer_kind_from_name(const char *name);

/*
 * transfer_guard: may who do kind on doc with fields? Send: no transfer
 * pending, receiving_region a region code other than the case's.
 * Accept and return: a transfer pending, and who is of the receiving body:
 * its region covers the receiving region and it is not the sending body.
 * WAGE_OK, or WAGE_E_INVALID_ARGUMENT / WAGE_E_ILLEGAL_TRANSITION /
 * WAGE_E_OUT_OF_SCOPE with err filled.
 */
int transfer_guard(const json_t *doc, int kind, const json_t *fields,
    const struct actor *who, struct wage_error *err);

/*
 * transfer_apply records kind on doc (modified; transfer_guard passed):
 * members are replaced whole, never changed in place. now: today,
 * YYYY-MM-DD. WAGE_OK or WAGE_E_INTERNAL.
 */
int transfer_apply(json_t *doc, int kind, const json_t *fields,
    const struct actor *who, const char *now);

/* transfer_to_region: the receiving region of doc's pending transfer, or
 * NULL when none is pending. */
const char *transfer_to_region(const json_t *doc);

#endif /* WAGE_TRANSFER_H */
