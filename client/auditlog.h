/* SPDX-License-Identifier: MIT */
/*
 * auditlog.h - the audit log's canonical forms, shared by the server (which
 * writes and signs them) and by anyone who checks an exported log offline
 * with nothing but the CA certificate.
 *
 * Event hash: SHA-256 (lowercase hex) of the event without its "hash"
 * member, serialised by jansson with JSON_COMPACT | JSON_SORT_KEYS.
 * Checkpoint: {"seq", "head", "time", "sig"}; sig is the base64 DER ECDSA
 * signature, by the server certificate's key, of SHA-256 over
 * AUDITLOG_CHECKPOINT_CONTEXT followed by the canonical JSON of
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
 */
#ifndef WAGE_AUDITLOG_H
#define WAGE_AUDITLOG_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#define AUDITLOG_FORMAT             "wage-audit-export/1"
#define AUDITLOG_CHECKPOINT_CONTEXT "wage-server checkpoint v1\n"

/* auditlog_event_hash: hex hash of ev ignoring its "hash" member. 0/-1. */
int auditlog_event_hash(const json_t *ev, char hex[65]);

/* auditlog_canonical_hash: hex SHA-256 of v's canonical form. 0/-1. */
int auditlog_canonical_hash(const json_t *v, char hex[65]);

/* auditlog_checkpoint_digest: the 32 bytes a checkpoint signs. 0/-1. */
int auditlog_checkpoint_digest(
    json_int_t seq, const char *head, const char *time, unsigned char out[32]);

/*
 * auditlog_verify_export checks an export read from f against the CA in
 * ca_path: the server certificate's chain, every event's hash and link,
 * every checkpoint's signature and head, the export-time head, and the
 * replay of events against the case lines. *report (new reference):
 * {"valid", "events", "checkpoints", "cases", "last_checkpoint_seq",
 *  and when broken "first_bad_seq" (0 if not tied to an event), "problem";
 *  "warnings": [...]}. Returns 0, or -1 when f or the CA cannot be read.
 */
int auditlog_verify_export(FILE *f, const char *ca_path, json_t **report);

/*
 * auditlog_verify_against checks f as auditlog_verify_export does and, in
 * addition, against an earlier export kept by the office: the chain must
 * hold every head the earlier export had signed (else the log was
 * rewritten since), and must not end before the last of them (else it was
 * cut). This catches what a check of one export alone cannot: a rewrite or
 * a cut of the tail after the last checkpoint, done behind the server's
 * back. Returns 0, -1 when f or the CA cannot be read, -2 when the earlier
 * export does not itself verify.
 */
int auditlog_verify_against(
    FILE *f, FILE *earlier, const char *ca_path, json_t **report);

#endif /* WAGE_AUDITLOG_H */
