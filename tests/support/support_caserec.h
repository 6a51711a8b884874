/* SPDX-License-Identifier: MIT */
/*
 * support_caserec.h - the fixture of the tests of server/caserec.c
 * (test_caserec.c, test_caserec_check.c, test_caserec_migrate.c). Part of
 * libwage-testsupport.a.
 * Owns: a store per test in a scratch directory of its own (struct
 * tsupport_recfx, made by tsupport_rec_setup); one-off write txns that a
 * test's function runs in, committed or aborted as it returns; raw
 * records put or deleted behind caserec's back; cases saved with
 * caserec_save and read back with caserec_get; what is stored, as text
 * (every record) or as JSON (the index entries); caserec_check's verdict;
 * the case document the tests start from, and heads made by hand.
 * Threads: the test's; the store's writer thread is not started (writes
 * are store_write_now on the calling thread).
 * The helpers that look at what is stored fail the running test (assert).
 */
#ifndef WAGE_SUPPORT_CASEREC_H
#define WAGE_SUPPORT_CASEREC_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "caserec.h"
#include "store.h"

/* The cases, the filing office and the credit codes of the tests. */
#define TSUPPORT_REC_ID1    "WA2026-000001"
#define TSUPPORT_REC_ID2    "WA2026-000002"
#define TSUPPORT_REC_ID10   "WA2026-0000010" /* ID1 is a prefix of it */
#define TSUPPORT_REC_NOCASE "WA2026-999999"
#define TSUPPORT_REC_FILER  "济南市劳动人事争议仲裁院"
#define TSUPPORT_REC_CC1    "91370100MA3C5XY80A"
#define TSUPPORT_REC_CC2    "91370100MA3C5XY81B"

/* A test's store, in base/db. */
struct tsupport_recfx {
	char          base[64];
	struct store *s;
};

/*
 * tsupport_rec_setup (cmocka test setup) makes a new struct
 * tsupport_recfx with an empty store of 16 MiB in /tmp/test_caserec.XXXXXX
 * into *state; returns 0 or -1. tsupport_rec_teardown closes the store and
 * removes the directory.
 */
int tsupport_rec_setup(void **state);
int tsupport_rec_teardown(void **state);

/* What tsupport_rec_write runs in its txn. */
typedef int (*tsupport_rec_fn)(struct store_txn *txn, void *arg);

/*
 * tsupport_rec_write runs fn in one write txn: committed if it returns
 * WAGE_OK, aborted (nothing changed) if not; returns fn's code.
 */
int tsupport_rec_write(
    struct tsupport_recfx *fx, tsupport_rec_fn fn, void *arg);

/* tsupport_rec_read begins a read txn (the caller ends it); fails the test
 * if it cannot. */
struct store_txn *tsupport_rec_read(struct tsupport_recfx *fx);

/* A raw record to write, or to delete. */
struct tsupport_raw {
	enum store_db db;
	const char   *key;
	const void   *val;
	size_t        len;
	int           del; /* delete key instead */
};

/* tsupport_raw_apply (a tsupport_rec_fn) puts or deletes the struct
 * tsupport_raw it is given. */
int tsupport_raw_apply(struct store_txn *txn, void *arg);

/*
 * tsupport_put_raw puts the len bytes of val under key in db;
 * tsupport_put_text puts a string. Both fail the test unless committed.
 */
void tsupport_put_raw(struct tsupport_recfx *fx, enum store_db db,
    const char *key, const void *val, size_t len);
void tsupport_put_text(struct tsupport_recfx *fx, enum store_db db,
    const char *key, const char *text);

/* tsupport_rec_save stores doc ("id" set) over old (NULL: a new case) with
 * caserec_save; fails the test unless committed. */
void tsupport_rec_save(
    struct tsupport_recfx *fx, const json_t *doc, const json_t *old);

/* The databases' names, by enum store_db. */
extern const char *const tsupport_dbnames[DB__COUNT];

/*
 * tsupport_rec_indexes returns the index entries (new reference):
 * {"by_region": {key: value}, ...} of by_region, by_state, by_org and
 * by_credit, the separator in each key shown as '|'.
 */
json_t *tsupport_rec_indexes(struct tsupport_recfx *fx);

/* tsupport_want_equal fails the test, showing both, unless got equals
 * want; what names them. */
void tsupport_want_equal(
    const json_t *got, const json_t *want, const char *what);

/*
 * tsupport_want_entries: the index entries are exactly keys
 * ("by_xxx:a|b|id"), those of by_region, by_state and by_org holding the
 * summary of the doc of docs (NULL-terminated) whose "id" is the key's
 * last part, those of by_credit "". TSUPPORT_DOCS and TSUPPORT_KEYS make
 * the two lists.
 */
void tsupport_want_entries(struct tsupport_recfx *fx,
    const json_t *const *docs, const char *const *keys);

#define TSUPPORT_DOCS(...) ((const json_t *const[]) { __VA_ARGS__, NULL })
#define TSUPPORT_KEYS(...) ((const char *const[]) { __VA_ARGS__, NULL })

/* tsupport_rec_snapshot returns every record of every database, as text
 * (new string): to show that something changed nothing. */
char *tsupport_rec_snapshot(struct tsupport_recfx *fx);

/* tsupport_rec_get returns the decoded case id with (steps) or without its
 * steps (new reference); fails the test unless caserec_get finds it. */
json_t *tsupport_rec_get(struct tsupport_recfx *fx, const char *id, int steps);

/*
 * tsupport_want_check fails the test unless caserec_check says bad (0 or
 * 1) and, when problem is not NULL, names it in its problem.
 */
void tsupport_want_check(
    struct tsupport_recfx *fx, int bad, const char *problem);

/*
 * tsupport_case_doc returns a case TSUPPORT_REC_ID1 at revision rev
 * (new reference), filed by TSUPPORT_REC_FILER against credit; rep: the
 * representative's organisation (NULL: none).
 */
json_t *tsupport_case_doc(json_int_t rev, const char *state,
    const char *region, const char *rep, const char *credit);

/*
 * tsupport_hand_head writes a head made by hand into buf of len bytes:
 * the header of format 2 and rev, then json. Returns its length.
 */
size_t tsupport_hand_head(
    char *buf, size_t len, uint64_t rev, const char *json);

#endif /* WAGE_SUPPORT_CASEREC_H */
