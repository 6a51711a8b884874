/* SPDX-License-Identifier: MIT */
/*
 * auditfmt.h - the audit export format (wage-audit-export/1) and the
 * canonical forms and hashes it rests on, shared by the server (which
 * hashes events, signs checkpoints and writes exports: server/audit.c,
 * server/checkpoint.c) and by the offline check of an export with nothing
 * but the CA certificate (client/auditlog.c, wagectl audit verify).
 *
 * Event hash: SHA-256 (lowercase hex) of the event without its "hash"
 * member (nor the export's "type" framing), serialised by jansson with
 * JSON_COMPACT | JSON_SORT_KEYS. The first event's "prev" is
 * AUDITFMT_GENESIS.
 * Checkpoint: {"seq", "head", "time", "sig"}; sig is the base64 DER ECDSA
 * signature, by the server certificate's key, of SHA-256 over
 * AUDITFMT_CHECKPOINT_CONTEXT followed by the canonical JSON of
 * {"head", "seq", "time"}.
 *
 * Export file (JSON lines), in this order:
 *   {"type":"header","format":"wage-audit-export/1","server_certificate":PEM,
 *    "exported_at":TIME}
 *   {"type":"event", ...the event...}            one per event, by seq
 *   {"type":"checkpoint","seq","head","time","sig"}  after the event it
 *                                                covers
 *   {"type":"case","id","state","revision"}      one per case
 *   {"type":"end","events":N,"head":{"seq","head","time","sig"}}
 *     where head is a checkpoint signed at export time; "events" and the
 *     header's "exported_at" and "head_seq" are informative, not signed.
 *
 * Pure functions of their arguments: no I/O, no logging, thread-safe.
 */
#ifndef WAGE_AUDITFMT_H
#define WAGE_AUDITFMT_H

#include <jansson.h>
#include <stddef.h>

#define AUDITFMT_FORMAT             "wage-audit-export/1"
#define AUDITFMT_CHECKPOINT_CONTEXT "wage-server checkpoint v1\n"
#define AUDITFMT_GENESIS \
	"0000000000000000000000000000000000000000000000000000000000000000"

/*
 * auditfmt_canonical_hash writes the hex SHA-256 of v's canonical form
 * (any JSON value) into hex. Returns WAGE_OK, or WAGE_E_INTERNAL when
 * memory ran out.
 */
int auditfmt_canonical_hash(const json_t *v, char hex[65]);

/* auditfmt_text_hash writes the hex SHA-256 of len bytes of text (a
 * canonical form already encoded) into hex. */
void auditfmt_text_hash(const char *text, size_t len, char hex[65]);

/*
 * auditfmt_event_hash writes the hex hash of the event ev, ignoring its
 * "hash" and "type" members, into hex. ev is borrowed and not changed.
 * Returns WAGE_OK, or WAGE_E_INTERNAL when memory ran out.
 */
int auditfmt_event_hash(const json_t *ev, char hex[65]);

/*
 * auditfmt_checkpoint_digest writes the 32 bytes a checkpoint's signature
 * signs into out. Returns WAGE_OK, or WAGE_E_INTERNAL when memory ran out.
 */
int auditfmt_checkpoint_digest(
    json_int_t seq, const char *head, const char *time, unsigned char out[32]);

#endif /* WAGE_AUDITFMT_H */
