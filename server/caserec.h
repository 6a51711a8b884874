/* SPDX-License-Identifier: MIT */
/*
 * caserec.h - the stored case: what a case record holds, how it is laid
 * out in LMDB, and which index entries it has. The one place that knows
 * the case document's schema on disk.
 *
 * A case is stored as parts (format 2):
 *
 *   cases  id               -> head: 12-byte header, then compact JSON
 *                              header: "WCH" 0x02, revision (u64, big
 *                              endian); JSON: the case document without
 *                              "id", "revision" and "steps" (the id is the
 *                              key, the revision the header).
 *   steps  id SEP seq(16 hex) -> one recorded event (a step), compact JSON
 *                              without "seq" (the key holds it); written
 *                              once, never rewritten.
 *   by_region  region SEP id          -> summary (JSON, no id)
 *   by_state   state SEP region SEP id -> summary
 *              (and, while a 移送 is pending, the same under the
 *              receiving region: caserec_key_primary tells them apart)
 *   by_org     organisation SEP id    -> summary (filer and representative)
 *   by_credit  credit code SEP id     -> ""
 *   by_key     filer organisation SEP idempotency key SEP id -> summary
 *
 * SEP is 0x1f, a control character no stored text may hold. A decoded
 * case (caserec_decode, caserec_get) has "id" and "revision" put back, so
 * the rest of the server sees one JSON document per case.
 *
 * Every write of a head raises its revision by one (the writer compares
 * revisions as integers to detect a concurrent change): case.file writes
 * revision 1, case.act and clock recompute revision + 1.
 *
 * Format 1 (before this module) stored the whole case, steps included, as
 * one JSON document under its id. caserec_migrate converts a database
 * from format 1; a format-1 value is recognised by its leading '{'.
 *
 * Threads: any (pure functions, or inside the caller's txn). Buffers
 * returned as char * are the caller's to free; MDB_val data lives only as
 * long as the txn (lmdb.h).
 */
#ifndef WAGE_CASEREC_H
#define WAGE_CASEREC_H

#include <jansson.h>
#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

#define CASEREC_SEP     "\x1f"
#define CASEREC_HDR     12 /* bytes before a head's JSON */
#define CASEREC_FORMAT  2  /* meta "case_format" */
#define CASEREC_KEY_MAX 768
/* meta "index_version": which index entries a case has and what their
 * summaries hold; 2 added by_key, by_gc, the entries of a pending 移送
 * and a confidential first claimant's summary. */
#define CASEREC_INDEX_VERSION 2

/* The encodings of one case version, made by caserec_encode (owned). */
struct caserec_enc {
	char  *head; /* header + JSON */
	size_t headlen;
	char  *sum; /* the listing summary, without the id */
	size_t sumlen;
};

/*
 * struct caserec_parts: the encoded members ("key":value) of one version of
 * a head, kept with the cached head (casecache.h) so that encoding the
 * next version re-encodes only the members that changed: a member whose
 * value is the very same json_t as in the version before (shared with it,
 * so unchanged: see CASERULES_MUTABLE) takes its text from here. It holds
 * a reference to each value, so an equal pointer is never a new value at
 * a freed address. Immutable once made, reference counted: any thread.
 */
struct caserec_parts;
struct caserec_parts *caserec_parts_ref(struct caserec_parts *p);
void                  caserec_parts_release(struct caserec_parts *p);

/*
 * caserec_encode encodes doc (borrowed; its "revision" must be an integer
 * from 1) as a head and a summary into e. prev (may be NULL) are the parts
 * of the version doc was copied from; *parts (parts may be NULL) gets the
 * parts of doc's encoding (release them), or NULL. The head's JSON is the
 * compact encoding of doc without "id", "revision" and "steps", members
 * in doc's order, whether or not parts were reused. WAGE_OK or
 * WAGE_E_INTERNAL. caserec_enc_fini frees what e holds (e may be zeroed
 * or half filled).
 */
int  caserec_encode(const json_t *doc, const struct caserec_parts *prev,
     struct caserec_enc *e, struct caserec_parts **parts);
void caserec_enc_fini(struct caserec_enc *e);

/*
 * caserec_decode decodes a stored head (val, len: the value under id) into
 * *doc (new reference) with "id" and "revision" set; *rev (may be NULL)
 * the revision. WAGE_E_INTERNAL (logged) when it is not a head.
 */
int caserec_decode(
    const char *id, const void *val, size_t len, json_t **doc, uint64_t *rev);

/* caserec_head_revision reads the revision from a stored head's header.
 * WAGE_E_INTERNAL if val is not a format-2 head. */
int caserec_head_revision(const void *val, size_t len, uint64_t *rev);

/* caserec_head reads the stored head of case id (val lives with txn).
 * WAGE_E_NOT_FOUND when there is no such case. */
int caserec_head(struct store_txn *txn, const char *id, MDB_val *val);

/*
 * caserec_get decodes case id into *doc (new reference); with steps != 0
 * its recorded steps are joined in as "steps" (an array, oldest first).
 * WAGE_E_NOT_FOUND when there is no such case.
 */
int caserec_get(
    struct store_txn *txn, const char *id, int steps, json_t **doc);

/*
 * caserec_put writes the head e->head under id and brings the index
 * entries from those of old (the version replaced, borrowed; NULL for a
 * new case) to those of doc (the version written, borrowed). Idempotent:
 * applying it twice in one txn leaves the same records.
 */
int caserec_put(struct store_txn *txn, const char *id,
    const struct caserec_enc *e, const json_t *doc, const json_t *old);

/*
 * caserec_step_encode encodes step (borrowed) for its record, leaving out
 * "seq"; *len its length. NULL when out of memory.
 * caserec_step_put stores it as step seq of case id.
 */
char *caserec_step_encode(const json_t *step, size_t *len);
int   caserec_step_put(struct store_txn *txn, const char *id, uint64_t seq,
      const char *text, size_t len);

/*
 * caserec_steps_text joins the recorded steps of case id into one JSON
 * array text (each step with its "seq" from the key) in *text (free it),
 * *len its length; "[]" when there are none.
 */
int caserec_steps_text(
    struct store_txn *txn, const char *id, char **text, size_t *len);

/* caserec_steps_bytes: the bytes of case id's stored steps, in *len. */
int caserec_steps_bytes(struct store_txn *txn, const char *id, size_t *len);

/*
 * caserec_save encodes doc (borrowed; "id" and "revision" set) and writes
 * it as caserec_put does, and each step in its "steps" that has a "seq"
 * as a step record. For start-up tasks, migration and tests: the request
 * path encodes on its own thread and calls caserec_put.
 */
int caserec_save(struct store_txn *txn, const json_t *doc, const json_t *old);

/*
 * caserec_summary: what a listing shows of a case (new reference):
 * state, region, received, respondent, first_claimant, workers,
 * total_fen, revision, priority. Not the id: the index key holds it.
 */
json_t *caserec_summary(const json_t *doc);

/*
 * caserec_find_key: the case that doc's filer organisation filed with
 * doc's idempotency key (filing_key), into id (len bytes). WAGE_OK when
 * there is one, WAGE_E_NOT_FOUND when not (or doc has no key).
 */
int caserec_find_key(
    struct store_txn *txn, const json_t *doc, char *id, size_t len);

/*
 * caserec_key_primary: whether k, a key of index db (by_region or
 * by_state), is the case's own entry, under its region; false for the
 * entry a pending 移送 adds under the receiving region (transfer.h), so
 * that a walk that meets both counts the case once. Other indexes: true.
 */
bool caserec_key_primary(
    enum store_db db, const MDB_val *k, const char *region);

/* caserec_key_id copies the case id, the last part of an index or step
 * key, into buf (WAGE_CASE_ID_MAX + 1 bytes). WAGE_E_INTERNAL if none. */
int caserec_key_id(const MDB_val *k, char *buf, size_t len);

/* caserec_new_id allocates the next case id of the year (WA2026-000001)
 * into buf. */
int caserec_new_id(struct store_txn *txn, int year, char *buf, size_t len);

/*
 * caserec_check checks that every head decodes, that each case has every
 * index entry it should and no index holds one beyond those, and that
 * every step record belongs to a stored case. *bad 0 when all agree; 1
 * with problem filled when not. Returns WAGE_OK unless storage failed.
 */
int caserec_check(struct store_txn *txn, int *bad, char *problem, size_t len);

/*
 * caserec_reindex writes every index entry anew from the stored heads
 * when the database's index version (meta "index_version") is not
 * CASEREC_INDEX_VERSION, then records it; the heads, steps and audit log
 * are not touched. *ncases counts the cases indexed (0: it was current).
 */
int caserec_reindex(struct store_txn *txn, size_t *ncases);

/*
 * caserec_format reads the database's case format into *format: 0 for an
 * empty database that has never held a case (new databases are written in
 * the current format), 1 or CASEREC_FORMAT otherwise.
 */
int caserec_format(struct store_txn *txn, int *format);

/*
 * caserec_migrate converts every format-1 case in txn to format 2: head,
 * step records, index summaries; then records the format. The audit log
 * is not touched: a case keeps its revision and state, so the chain
 * verifies as before. *ncases and *nsteps count what was converted.
 */
int caserec_migrate(struct store_txn *txn, size_t *ncases, size_t *nsteps);

#endif /* WAGE_CASEREC_H */
