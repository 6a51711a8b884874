/* SPDX-License-Identifier: MIT */
/*
 * support_audit.h - the fixture of the audit chain tests: test_auditlog.c
 * (the offline verification of an export, client/auditlog.c) and
 * test_audit_tamper.c (tampering with the live store, audit_verify and
 * checkpoint_verify); test_audit.c uses its raw access to DB_AUDIT.
 * Part of libwage-testsupport.a.
 * Owns: the group PKI (tsupport_audit_g: our CA, another CA, a server
 * signer of each and a clerk's client certificate); the history every
 * test starts from (tsupport_script: nine events of three cases,
 * checkpoints signed after seq 3 and 6, seq 7..9 the unsigned tail); a
 * store built from it in a scratch directory, with its export read into
 * fx->lines (struct tsupport_auditfx); and the helpers that look at export
 * lines and verification reports, which fail the running test (assert).
 */
#ifndef WAGE_SUPPORT_AUDIT_H
#define WAGE_SUPPORT_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "checkpoint.h"
#include "store.h"

#include "support_pki.h"

#define TSUPPORT_NEVENTS  9  /* events in tsupport_script */
#define TSUPPORT_MAXLINES 64 /* lines an export may have in fx->lines */
#define TSUPPORT_C1       "WA2026-000001"
#define TSUPPORT_C2       "WA2026-000002"
#define TSUPPORT_C3       "WA2026-000003" /* only in the unsigned tail */

/* One event of the history: case id, event, from and to states, actor. */
struct tsupport_step {
	const char *id, *event, *from, *to, *name, *role, *org;
	int         checkpoint; /* a checkpoint is signed after it */
};

/* The history every test starts from, seq 1 first. */
extern const struct tsupport_step tsupport_script[TSUPPORT_NEVENTS];

/* The group PKI, made by tsupport_audit_group_setup; tests only read it. */
struct tsupport_audit_group {
	char                      base[64];
	struct tsupport_ca        ca;      /* ours */
	struct tsupport_ca        other;   /* another CA */
	struct checkpoint_signer *signer;  /* server cert of our CA */
	struct checkpoint_signer *foreign; /* server cert of the other CA */
	struct checkpoint_signer *clerk;   /* client cert of our CA */
};

extern struct tsupport_audit_group tsupport_audit_g;

/* A test's store and its export. */
struct tsupport_auditfx {
	char base[64];              /* scratch directory: the store in db/ */
	char export[96];            /* as audit_export_page wrote it */
	char          tampered[96]; /* lines[] written out */
	struct store *s;
	char         *lines[TSUPPORT_MAXLINES]; /* owned, each with its \n */
	size_t        nlines;
};

/*
 * tsupport_audit_group_setup makes the group PKI in a scratch directory
 * (cmocka group setup; state unused). Signers never sign on their own
 * (intervals of 1000000): the tests force checkpoints. Returns 0 or -1.
 * tsupport_audit_group_teardown frees the signers, removes the directory.
 */
int tsupport_audit_group_setup(void **state);
int tsupport_audit_group_teardown(void **state);

/*
 * tsupport_audit_setup (cmocka test setup) sets *state to a new struct
 * tsupport_auditfx: a store holding tsupport_script with its two
 * checkpoints, exported in pages of 5 lines to fx->export and read into
 * fx->lines. Returns 0 or -1. tsupport_audit_teardown frees the lines,
 * closes the store and removes the directory.
 */
int tsupport_audit_setup(void **state);
int tsupport_audit_teardown(void **state);

/*
 * tsupport_export_store writes the export of fx's store to path, page by
 * page of limit lines (one read txn each, as the server does per
 * request), signed by tsupport_audit_g.signer.
 */
void tsupport_export_store(
    struct tsupport_auditfx *fx, const char *path, size_t limit);

/* tsupport_load_lines appends the lines of the file at path to
 * fx->lines; tsupport_free_lines empties fx->lines. */
void tsupport_load_lines(struct tsupport_auditfx *fx, const char *path);
void tsupport_free_lines(struct tsupport_auditfx *fx);

/* tsupport_line_json returns line i decoded (new reference). */
json_t *tsupport_line_json(struct tsupport_auditfx *fx, size_t i);

/*
 * tsupport_find_line returns the index of the first line of type with seq
 * (for events and checkpoints; 0: any) and id (for cases; NULL: any);
 * fails the test if there is none. TSUPPORT_EV and TSUPPORT_CP find the
 * event and the checkpoint of a seq.
 */
size_t tsupport_find_line(struct tsupport_auditfx *fx, const char *type,
    json_int_t seq, const char *id);

#define TSUPPORT_EV(fx, seq) tsupport_find_line((fx), "event", (seq), NULL)
#define TSUPPORT_CP(fx, seq) \
	tsupport_find_line((fx), "checkpoint", (seq), NULL)

/*
 * tsupport_fail_report fails the test with ctx and the report r, freeing
 * r first (a failing assertion leaves by longjmp).
 */
void tsupport_fail_report(const char *ctx, json_t *r);

/*
 * tsupport_verify_lines writes fx->lines to fx->tampered and returns the
 * report of auditlog_verify_export on it against the CA certificate at
 * ca (new reference).
 */
json_t *tsupport_verify_lines(struct tsupport_auditfx *fx, const char *ca);

/*
 * tsupport_expect_bad_at fails the test (naming the test's line) unless
 * fx->lines verified against ca is invalid with first_bad_seq seq and a
 * problem that holds what. tsupport_expect_bad does it against our CA.
 */
void tsupport_expect_bad_at(struct tsupport_auditfx *fx, const char *ca,
    json_int_t seq, const char *what, int line);

#define tsupport_expect_bad(fx, seq, what) \
	tsupport_expect_bad_at(            \
	    (fx), tsupport_audit_g.ca.crt, (seq), (what), __LINE__)

/*
 * tsupport_case_next returns case id as an event moving it to state to
 * leaves it (new reference): when txn holds no such case, a new document
 * at revision 1 in region 370102 and *oldp NULL; else a copy of the
 * stored one (*oldp, new reference, as caserec_save wants it) with state
 * to and the revision one higher. Fails the test if the read fails.
 */
json_t *tsupport_case_next(
    struct store_txn *txn, const char *id, const char *to, json_t **oldp);

/* tsupport_seq_key writes the DB_AUDIT key of seq: 8 bytes, big-endian. */
void tsupport_seq_key(uint64_t seq, unsigned char key[8]);

/*
 * tsupport_swap_events, an apply function for tsupport_write, swaps the
 * stored events a and b (struct tsupport_job) byte for byte; fails the
 * test if either is missing.
 */
int tsupport_swap_events(struct store_txn *txn, struct store_job *job);

#endif /* WAGE_SUPPORT_AUDIT_H */
