/* SPDX-License-Identifier: MIT */
/*
 * audit.h - the append-only, hash-chained audit log.
 *
 * Each event is a JSON object holding seq, time, actor, on_behalf_of, op,
 * case, event, from, to, revision, policy, request (a keyed digest of the
 * request: audit_request_digest), prev (the previous event's hash; 64 zeros
 * for the first)
 * and hash: the SHA-256, in lowercase hex, of the event's canonical form
 * without "hash" (jansson JSON_COMPACT | JSON_SORT_KEYS, UTF-8 unescaped).
 * Events are written in the same txn as the case they change.
 */
#ifndef WAGE_AUDIT_H
#define WAGE_AUDIT_H

#include <jansson.h>
#include <lmdb.h>

#include "auditfmt.h"
#include "store.h"
#include <stdint.h>

#include "wage/protocol.h"

#define AUDIT_GENESIS AUDITFMT_GENESIS /* the prev of the first event */

/*
 * audit_append completes ev (borrowed; seq, prev, time and hash are set on
 * it) and stores it, with its case-history index entry and the new chain
 * head, in txn. Returns WAGE_OK or a store error.
 */
int audit_append(struct store_txn *txn, json_t *ev, uint64_t *seq_out);

/* audit_hash computes the hash of ev ignoring any "hash" member. */
int audit_hash(const json_t *ev, char hex[65]);

/* audit_head reads the chain head: *seq 0 and genesis hash when empty. */
int audit_head(struct store_txn *txn, uint64_t *seq, char hex[65]);

/*
 * audit_verify walks the whole chain: contiguous sequence numbers from 1,
 * each prev equal to the previous hash, each hash recomputed, the head
 * record equal to the last event; then replays the events and checks that
 * every case's state and revision equal the stored case, and that the
 * indexes agree with the cases (store_check_indexes); with a signer, that
 * every stored checkpoint's signature verifies and its head is the chain's
 * hash at its seq (a chain rewritten behind the server's back fails here).
 * *report (new
 * reference) holds {"valid", "events", "cases", "head", "checkpoints",
 * "last_checkpoint_seq", "unsigned_tail" (events after the last
 * checkpoint), and when invalid "first_bad_seq" and "problem"}. Returns
 * WAGE_OK unless storage failed.
 */
struct checkpoint_signer;
int audit_verify(
    struct store_txn *txn, struct checkpoint_signer *signer, json_t **report);

/*
 * audit_export_page returns (new reference, *page) up to limit lines of
 * the export format of common/auditfmt.h, after cursor (NULL: from the
 * start), and the cursor of the next page in page's "next" (null at the
 * end). The export covers the chain up to the head seen by the first page;
 * case lines give each case's state and revision as of that head.
 */
int audit_export_page(struct store_txn *txn, struct checkpoint_signer *signer,
    const char *cursor, size_t limit, json_t **page, struct wage_error *err);

/* audit_case_events returns (new reference) the events of one case. */
int audit_case_events(
    struct store_txn *txn, const char *case_id, json_t **events);

/* audit_now_string writes the current time, Asia/Shanghai, ISO 8601 with
 * milliseconds ("2026-11-29T08:40:00.123+08:00") into buf (>= 32 bytes). */
void audit_now_string(char *buf, size_t len);

/*
 * audit_request_key derives from the data key (kept outside the database)
 * the key of request digests. audit_request_digest writes into hex the
 * HMAC-SHA256, in lowercase hex, of a request's body as it came in: it ties
 * an event to its request for whoever holds the key, and tells nobody else
 * anything of the request (a plain hash of the arguments let an auditor
 * who saw a masked ID number recover it by trying the few birth dates and
 * check digits it could be).
 */
void audit_request_key(
    const unsigned char data_key[32], unsigned char out[32]);
int audit_request_digest(
    const unsigned char key[32], const void *body, size_t len, char hex[65]);

/* audit_digest writes the hex SHA-256 of v's canonical form into hex. */
int audit_digest(const json_t *v, char hex[65]);

#endif /* WAGE_AUDIT_H */
