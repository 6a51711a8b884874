/* SPDX-License-Identifier: MIT */
/*
 * auditlog.h - checking an exported audit log offline, with nothing but
 * the CA certificate: the format, its canonical forms and hashes are those
 * of common/auditfmt.h, which the server uses to write it.
 */
#ifndef WAGE_AUDITLOG_H
#define WAGE_AUDITLOG_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "auditfmt.h"

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
