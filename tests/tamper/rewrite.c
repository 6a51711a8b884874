/* SPDX-License-Identifier: MIT */
/*
 * rewrite.c - tamper-rewrite DBDIR SEQ NAME: rewrites the audit chain of a
 * stopped server's database the way someone with the files but without
 * the server's key would: the actor's name of event SEQ becomes NAME, then
 * prev and hash of every event from SEQ to the head are recomputed with
 * the server's own audit_hash, and the head record is moved to the new
 * hash. Every link holds afterwards; only the signed checkpoints (and
 * exports taken before) can tell. For tests/tamper/run.sh only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "store.h"

struct rewrite {
	struct store_job job; /* first: store_write_now hands it back */
	uint64_t         from;
	const char      *name;
	uint64_t         head;
};

static void
seq_key(uint64_t seq, unsigned char key[8])
{
	int i;

	for (i = 7; i >= 0; i--) {
		key[i] = (unsigned char) (seq & 0xff);
		seq >>= 8;
	}
}

/* event_get decodes event seq (new reference), NULL if absent. */
static json_t *
event_get(struct store_txn *txn, uint64_t seq)
{
	unsigned char key[8];
	MDB_val       v;

	seq_key(seq, key);
	if (store_get(txn, DB_AUDIT, key, sizeof(key), &v) != WAGE_OK) {
		return (NULL);
	}
	return (json_loadb(v.mv_data, v.mv_size, 0, NULL));
}

static int
rewrite_apply(struct store_txn *txn, struct store_job *job)
{
	struct rewrite *rw = (struct rewrite *) (void *) job;
	unsigned char   key[8];
	char            prev[65], head[96], *text;
	json_t         *ev;
	uint64_t        seq;
	int             rc, n;

	if ((rc = audit_head(txn, &rw->head, prev)) != WAGE_OK) {
		return (rc);
	}
	if (rw->from < 1 || rw->from > rw->head) {
		fprintf(stderr,
		    "tamper-rewrite: seq %" PRIu64
		    " is not in the chain (1..%" PRIu64 ")\n",
		    rw->from, rw->head);
		return (WAGE_E_INVALID_ARGUMENT);
	}
	if (rw->from == 1) {
		memcpy(prev, AUDIT_GENESIS, 65);
	} else {
		if ((ev = event_get(txn, rw->from - 1)) == NULL) {
			return (WAGE_E_INTERNAL);
		}
		snprintf(prev, sizeof(prev), "%s",
		    json_string_value(json_object_get(ev, "hash")));
		json_decref(ev);
	}
	for (seq = rw->from; seq <= rw->head; seq++) {
		if ((ev = event_get(txn, seq)) == NULL) {
			return (WAGE_E_INTERNAL);
		}
		if (seq == rw->from) {
			json_object_set_new(json_object_get(ev, "actor"),
			    "name", json_string(rw->name));
		}
		json_object_set_new(ev, "prev", json_string(prev));
		if ((rc = audit_hash(ev, prev)) != WAGE_OK) {
			json_decref(ev);
			return (rc);
		}
		json_object_set_new(ev, "hash", json_string(prev));
		text = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(ev);
		if (text == NULL) {
			return (WAGE_E_INTERNAL);
		}
		seq_key(seq, key);
		rc = store_put(
		    txn, DB_AUDIT, key, sizeof(key), text, strlen(text));
		free(text);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	n = snprintf(head, sizeof(head), "%" PRIu64 " %s", rw->head, prev);
	return (store_meta_put(txn, "audit_head", head, (size_t) n));
}

int
main(int argc, char **argv)
{
	struct wage_error err;
	struct store     *st;
	struct rewrite    rw;
	char             *end;
	int               rc;

	if (argc != 4) {
		fprintf(stderr, "usage: tamper-rewrite DBDIR SEQ NAME\n");
		return (2);
	}
	memset(&rw, 0, sizeof(rw));
	rw.from = strtoull(argv[2], &end, 10);
	rw.name = argv[3];
	if (*end != '\0') {
		fprintf(stderr, "tamper-rewrite: SEQ must be a number\n");
		return (2);
	}
	if (store_open(&st, argv[1], (size_t) 1 << 20, 8, &err) != WAGE_OK) {
		fprintf(stderr, "tamper-rewrite: %s\n", err.message);
		return (1);
	}
	rc = store_write_now(st, rewrite_apply, &rw.job);
	store_close(st);
	if (rc != WAGE_OK) {
		fprintf(stderr, "tamper-rewrite: %s\n", wage_err_name(rc));
		return (1);
	}
	printf("rewrote events %" PRIu64 "..%" PRIu64 " and the head\n",
	    rw.from, rw.head);
	return (0);
}
