/* SPDX-License-Identifier: MIT */
/*
 * audit.c - the hash chain of audit events in LMDB.
 * Owns: the canonical form and hash of an event, the chain head, chain
 * verification and replay. Must not: decide whether an event is allowed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <mbedtls/sha256.h>

#include "audit.h"
#include "log.h"
#include "store.h"

#define SEP "\x1f"

static void
hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t            i;

	for (i = 0; i < n; i++) {
		out[2 * i]     = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static void
seq_key(uint64_t seq, unsigned char key[8])
{
	int i;

	/* Big-endian so that LMDB's byte order is sequence order. */
	for (i = 7; i >= 0; i--) {
		key[i] = (unsigned char) (seq & 0xff);
		seq >>= 8;
	}
}

int
audit_digest(const json_t *v, char hex[65])
{
	unsigned char sum[32];
	char         *text;

	text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (text == NULL) {
		return (WAGE_E_INTERNAL);
	}
	mbedtls_sha256_ret((const unsigned char *) text, strlen(text), sum, 0);
	free(text);
	hex_encode(sum, sizeof(sum), hex);
	return (WAGE_OK);
}

int
audit_hash(const json_t *ev, char hex[65])
{
	json_t *copy;
	int     rc;

	if ((copy = json_copy((json_t *) ev)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_object_del(copy, "hash");
	rc = audit_digest(copy, hex);
	json_decref(copy);
	return (rc);
}

void
audit_now_string(char *buf, size_t len)
{
	struct timeval tv;
	struct tm      tm;
	time_t         t;

	gettimeofday(&tv, NULL);
	/* China has used UTC+8 without daylight saving since 1991. */
	t = tv.tv_sec + 8 * 3600;
	gmtime_r(&t, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+08:00",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int) (tv.tv_usec / 1000));
}

int
audit_head(MDB_txn *txn, uint64_t *seq, char hex[65])
{
	MDB_val v;
	char    buf[96];
	int     rc;

	rc = store_meta_get(txn, "audit_head", &v);
	if (rc == WAGE_E_NOT_FOUND) {
		*seq = 0;
		memcpy(hex, AUDIT_GENESIS, 65);
		return (WAGE_OK);
	}
	if (rc != WAGE_OK) {
		return (rc);
	}
	if (v.mv_size >= sizeof(buf)) {
		return (WAGE_E_INTERNAL);
	}
	memcpy(buf, v.mv_data, v.mv_size);
	buf[v.mv_size] = '\0';
	if (sscanf(buf, "%" SCNu64 " %64s", seq, hex) != 2 ||
	    strlen(hex) != 64) {
		log_warnx("audit_head: malformed head record");
		return (WAGE_E_INTERNAL);
	}
	return (WAGE_OK);
}

int
audit_append(MDB_txn *txn, json_t *ev, uint64_t *seq_out)
{
	uint64_t      seq;
	char          prev[65], hash[65], now[40], head[96], ckey[96];
	unsigned char key[8];
	const char   *case_id;
	char         *text;
	int           rc, n;

	if ((rc = audit_head(txn, &seq, prev)) != WAGE_OK) {
		return (rc);
	}
	seq++;
	audit_now_string(now, sizeof(now));
	json_object_set_new(ev, "seq", json_integer((json_int_t) seq));
	json_object_set_new(ev, "time", json_string(now));
	json_object_set_new(ev, "prev", json_string(prev));
	json_object_del(ev, "hash");
	if ((rc = audit_digest(ev, hash)) != WAGE_OK) {
		return (rc);
	}
	json_object_set_new(ev, "hash", json_string(hash));
	if ((text = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	seq_key(seq, key);
	rc = store_put(txn, DB_AUDIT, key, sizeof(key), text, strlen(text));
	free(text);
	if (rc != WAGE_OK) {
		return (rc);
	}
	case_id = json_string_value(json_object_get(ev, "case"));
	if (case_id != NULL) {
		n = snprintf(ckey, sizeof(ckey), "%s" SEP "%016" PRIx64,
		    case_id, seq);
		rc = store_put(txn, DB_CASE_AUDIT, ckey, (size_t) n, "", 0);
		if (rc != WAGE_OK) {
			return (rc);
		}
	}
	n  = snprintf(head, sizeof(head), "%" PRIu64 " %s", seq, hash);
	rc = store_meta_put(txn, "audit_head", head, (size_t) n);
	if (rc == WAGE_OK && seq_out != NULL) {
		*seq_out = seq;
	}
	return (rc);
}

struct verify_state {
	uint64_t    expect; /* next sequence number */
	char        prev[65];
	json_t     *cases; /* case id -> [state, revision] from replay */
	uint64_t    bad_seq;
	char        problem[200];
	int         rc;
};

static int
verify_fail(struct verify_state *vs, uint64_t seq, const char *what)
{
	vs->bad_seq = seq;
	snprintf(vs->problem, sizeof(vs->problem), "%s", what);
	return (STORE_SCAN_STOP);
}

static int
verify_event(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct verify_state *vs = arg;
	json_t              *ev, *rep;
	json_error_t         jerr;
	uint64_t             keyseq = 0;
	char                 hash[65];
	const char          *stored, *prev, *case_id, *to;
	size_t               i;
	int                  stop = 0;

	if (k->mv_size != 8) {
		return (verify_fail(vs, vs->expect, "audit key is not 8 bytes"));
	}
	for (i = 0; i < 8; i++) {
		keyseq = (keyseq << 8) | ((const unsigned char *) k->mv_data)[i];
	}
	if (keyseq != vs->expect) {
		return (verify_fail(vs, vs->expect,
		    keyseq > vs->expect ? "event missing from the chain"
		                        : "event out of order"));
	}
	ev = json_loadb(v->mv_data, v->mv_size, 0, &jerr);
	if (ev == NULL) {
		return (verify_fail(vs, keyseq, "event is not valid JSON"));
	}
	stored = json_string_value(json_object_get(ev, "hash"));
	prev   = json_string_value(json_object_get(ev, "prev"));
	if (json_integer_value(json_object_get(ev, "seq")) !=
	    (json_int_t) keyseq) {
		stop = verify_fail(vs, keyseq, "sequence number was altered");
	} else if (prev == NULL || strcmp(prev, vs->prev) != 0) {
		stop = verify_fail(vs, keyseq,
		    "previous-hash link does not match the event before");
	} else if (stored == NULL || audit_hash(ev, hash) != WAGE_OK ||
	    strcmp(hash, stored) != 0) {
		stop = verify_fail(vs, keyseq,
		    "hash does not match the event's content");
	}
	if (!stop) {
		snprintf(vs->prev, sizeof(vs->prev), "%s", stored);
		vs->expect++;
		case_id = json_string_value(json_object_get(ev, "case"));
		to      = json_string_value(json_object_get(ev, "to"));
		if (case_id != NULL && to != NULL) {
			rep = json_object_get(vs->cases, case_id);
			if (rep == NULL) {
				json_object_set_new(vs->cases, case_id,
				    json_pack("[s,i]", to, 1));
			} else {
				json_array_set_new(rep, 0, json_string(to));
				json_array_set_new(rep, 1,
				    json_integer(json_integer_value(
				        json_array_get(rep, 1)) + 1));
			}
		}
	}
	json_decref(ev);
	return (stop);
}

struct replay_state {
	json_t     *cases;
	char        problem[200];
	int         bad;
};

static int
replay_case(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct replay_state *rs = arg;
	json_t              *doc, *rep;
	json_error_t         jerr;
	char                 id[WAGE_CASE_ID_MAX + 1];
	const char          *state;
	json_int_t           rev;

	snprintf(id, sizeof(id), "%.*s", (int) k->mv_size,
	    (const char *) k->mv_data);
	if ((doc = json_loadb(v->mv_data, v->mv_size, 0, &jerr)) == NULL) {
		snprintf(rs->problem, sizeof(rs->problem),
		    "case %s is not valid JSON", id);
		rs->bad = 1;
		return (STORE_SCAN_STOP);
	}
	state = json_string_value(json_object_get(doc, "state"));
	rev   = json_integer_value(json_object_get(doc, "revision"));
	rep   = json_object_get(rs->cases, id);
	if (rep == NULL) {
		snprintf(rs->problem, sizeof(rs->problem),
		    "case %s has no events in the audit log", id);
		rs->bad = 1;
	} else if (state == NULL ||
	    strcmp(state, json_string_value(json_array_get(rep, 0))) != 0) {
		snprintf(rs->problem, sizeof(rs->problem),
		    "case %s: stored state differs from the audit replay", id);
		rs->bad = 1;
	} else if (rev != json_integer_value(json_array_get(rep, 1))) {
		snprintf(rs->problem, sizeof(rs->problem),
		    "case %s: stored revision differs from the audit replay",
		    id);
		rs->bad = 1;
	}
	json_object_del(rs->cases, id);
	json_decref(doc);
	return (rs->bad ? STORE_SCAN_STOP : 0);
}

int
audit_verify(MDB_txn *txn, json_t **report)
{
	struct verify_state vs;
	struct replay_state rs;
	uint64_t            head_seq;
	char                head_hash[65];
	int                 rc;

	*report = NULL;
	memset(&vs, 0, sizeof(vs));
	vs.expect = 1;
	memcpy(vs.prev, AUDIT_GENESIS, 65);
	if ((vs.cases = json_object()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	rc = store_scan(txn, DB_AUDIT, NULL, 0, NULL, verify_event, &vs);
	if (rc != WAGE_OK) {
		json_decref(vs.cases);
		return (rc);
	}
	if ((rc = audit_head(txn, &head_seq, head_hash)) != WAGE_OK) {
		json_decref(vs.cases);
		return (rc);
	}
	if (vs.bad_seq == 0 && (head_seq != vs.expect - 1 ||
	                           strcmp(head_hash, vs.prev) != 0)) {
		vs.bad_seq = vs.expect;
		snprintf(vs.problem, sizeof(vs.problem),
		    "chain head record (seq %" PRIu64
		    ") does not match the last event (seq %" PRIu64 ")",
		    head_seq, vs.expect - 1);
	}
	memset(&rs, 0, sizeof(rs));
	rs.cases = vs.cases;
	if (vs.bad_seq == 0) {
		rc = store_scan(txn, DB_CASES, NULL, 0, NULL, replay_case, &rs);
		if (rc != WAGE_OK) {
			json_decref(vs.cases);
			return (rc);
		}
		if (!rs.bad && json_object_size(rs.cases) > 0) {
			snprintf(rs.problem, sizeof(rs.problem),
			    "%zu case(s) in the audit log are missing from "
			    "the case database",
			    json_object_size(rs.cases));
			rs.bad = 1;
		}
	}
	if (vs.bad_seq == 0 && !rs.bad) {
		int ibad = 0;

		rc = store_check_indexes(txn, &ibad, rs.problem,
		    sizeof(rs.problem));
		if (rc != WAGE_OK) {
			json_decref(vs.cases);
			return (rc);
		}
		rs.bad = ibad;
	}
	*report = json_pack("{s:b, s:I, s:I, s:s}", "valid",
	    vs.bad_seq == 0 && !rs.bad, "events", (json_int_t) (vs.expect - 1),
	    "cases", (json_int_t) store_db_count(txn, DB_CASES), "head",
	    vs.prev);
	if (*report != NULL && vs.bad_seq != 0) {
		json_object_set_new(*report, "first_bad_seq",
		    json_integer((json_int_t) vs.bad_seq));
		json_object_set_new(*report, "problem", json_string(vs.problem));
	} else if (*report != NULL && rs.bad) {
		json_object_set_new(*report, "problem", json_string(rs.problem));
	}
	json_decref(vs.cases);
	return (*report != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

struct history_state {
	MDB_txn *txn;
	json_t  *events;
	int      rc;
};

static int
history_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct history_state *hs = arg;
	const char           *sep;
	uint64_t              seq;
	unsigned char         key[8];
	MDB_val               ev;
	json_t               *o;
	json_error_t          jerr;
	char                  hex[17];

	(void) v;
	sep = memchr(k->mv_data, SEP[0], k->mv_size);
	if (sep == NULL ||
	    (size_t) ((const char *) k->mv_data + k->mv_size - sep) != 17) {
		return (WAGE_E_INTERNAL);
	}
	memcpy(hex, sep + 1, 16);
	hex[16] = '\0';
	seq     = strtoull(hex, NULL, 16);
	seq_key(seq, key);
	if ((hs->rc = store_get(hs->txn, DB_AUDIT, key, 8, &ev)) != WAGE_OK) {
		return (hs->rc == WAGE_E_NOT_FOUND ? WAGE_E_INTERNAL : hs->rc);
	}
	if ((o = json_loadb(ev.mv_data, ev.mv_size, 0, &jerr)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_array_append_new(hs->events, o);
	return (0);
}

int
audit_case_events(MDB_txn *txn, const char *case_id, json_t **events)
{
	struct history_state hs;
	char                 prefix[WAGE_CASE_ID_MAX + 2];
	int                  n, rc;

	n = snprintf(prefix, sizeof(prefix), "%s" SEP, case_id);
	if (n < 0 || (size_t) n >= sizeof(prefix)) {
		return (WAGE_E_INTERNAL);
	}
	hs.txn    = txn;
	hs.events = json_array();
	hs.rc     = WAGE_OK;
	if (hs.events == NULL) {
		return (WAGE_E_INTERNAL);
	}
	rc = store_scan(txn, DB_CASE_AUDIT, prefix, (size_t) n, NULL,
	    history_one, &hs);
	if (rc != WAGE_OK) {
		json_decref(hs.events);
		*events = NULL;
		return (rc);
	}
	*events = hs.events;
	return (WAGE_OK);
}
