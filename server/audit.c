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

#include <mbedtls/md.h>

#include "audit.h"
#include "caserec.h"
#include "auditfmt.h"
#include "checkpoint.h"
#include "log.h"
#include "store.h"
#include "timefmt.h"

#define SEP "\x1f"

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
	return (
	    auditfmt_canonical_hash(v, hex) == 0 ? WAGE_OK : WAGE_E_INTERNAL);
}

void
audit_request_key(const unsigned char data_key[32], unsigned char out[32])
{
	static const char label[] = "wage-server request digest v1";

	mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), data_key,
	    32, (const unsigned char *) label, sizeof(label) - 1, out);
}

int
audit_request_digest(
    const unsigned char key[32], const void *body, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char     mac[32];
	int               i;

	if (mbedtls_md_hmac(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), key,
	        32, body, len, mac) != 0) {
		return (WAGE_E_INTERNAL);
	}
	for (i = 0; i < 32; i++) {
		hex[2 * i]     = digits[mac[i] >> 4];
		hex[2 * i + 1] = digits[mac[i] & 0xf];
	}
	hex[64] = '\0';
	return (WAGE_OK);
}

int
audit_hash(const json_t *ev, char hex[65])
{
	return (auditfmt_event_hash(ev, hex) == 0 ? WAGE_OK : WAGE_E_INTERNAL);
}

void
audit_now_string(char *buf, size_t len)
{
	timefmt_now(buf, len);
}

int
audit_head(struct store_txn *txn, uint64_t *seq, char hex[65])
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
audit_append(struct store_txn *txn, json_t *ev, uint64_t *seq_out)
{
	uint64_t      seq;
	char          prev[65], hash[65], now[40], head[96], ckey[96];
	unsigned char key[8];
	const char   *case_id;
	char         *text, *stored;
	size_t        len;
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
	/* The canonical form is encoded once: hashed, then stored with the
	 * hash as its last member (a reader decodes the event; the order of
	 * members in the stored text does not matter to it). */
	if ((text = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	len = strlen(text);
	if (len < 2 || text[len - 1] != '}' ||
	    (stored = malloc(len + 80)) == NULL) {
		free(text);
		return (WAGE_E_INTERNAL);
	}
	auditfmt_text_hash(text, len, hash);
	memcpy(stored, text, len - 1);
	n = snprintf(stored + len - 1, 81, ",\"hash\":\"%s\"}", hash);
	free(text);
	json_object_set_new(ev, "hash", json_string(hash));
	seq_key(seq, key);
	rc = store_put(
	    txn, DB_AUDIT, key, sizeof(key), stored, len - 1 + (size_t) n);
	free(stored);
	if (rc != WAGE_OK) {
		return (rc);
	}
	case_id = json_string_value(json_object_get(ev, "case"));
	if (case_id != NULL) {
		n = snprintf(
		    ckey, sizeof(ckey), "%s" SEP "%016" PRIx64, case_id, seq);
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
	uint64_t          expect; /* next sequence number */
	char              prev[65];
	json_t           *cases; /* case id -> [state, revision] from replay */
	uint64_t          bad_seq;
	char              problem[200];
	int               rc;
	struct store_txn *txn;
	size_t            indexed; /* events that belong to a case */
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
		return (
		    verify_fail(vs, vs->expect, "audit key is not 8 bytes"));
	}
	for (i = 0; i < 8; i++) {
		keyseq =
		    (keyseq << 8) | ((const unsigned char *) k->mv_data)[i];
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
		stop = verify_fail(
		    vs, keyseq, "hash does not match the event's content");
	}
	if (!stop) {
		snprintf(vs->prev, sizeof(vs->prev), "%s", stored);
		vs->expect++;
		case_id = json_string_value(json_object_get(ev, "case"));
		to      = json_string_value(json_object_get(ev, "to"));
		/* case.history and exports read the case-history index:
		 * every event of a case must be in it. */
		if (case_id != NULL) {
			char    ck[WAGE_CASE_ID_MAX + 24];
			MDB_val cv;
			int     n = snprintf(ck, sizeof(ck),
			        "%s" SEP "%016" PRIx64, case_id, keyseq);

			vs->indexed++;
			if (n < 0 || (size_t) n >= sizeof(ck) ||
			    store_get(vs->txn, DB_CASE_AUDIT, ck, (size_t) n,
			        &cv) != WAGE_OK) {
				stop = verify_fail(vs, keyseq,
				    "the event is missing from its case's "
				    "history index");
			}
		}
		if (!stop && case_id != NULL && to != NULL) {
			rep = json_object_get(vs->cases, case_id);
			if (rep == NULL) {
				json_object_set_new(vs->cases, case_id,
				    json_pack("[s,i]", to, 1));
			} else {
				json_array_set_new(rep, 0, json_string(to));
				json_array_set_new(rep, 1,
				    json_integer(json_integer_value(
				                     json_array_get(rep, 1)) +
				        1));
			}
		}
	}
	json_decref(ev);
	return (stop);
}

struct replay_state {
	json_t *cases;
	char    problem[200];
	int     bad;
};

static int
replay_case(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct replay_state *rs = arg;
	json_t              *doc, *rep;
	char                 id[WAGE_CASE_ID_MAX + 1];
	const char          *state;
	json_int_t           rev;

	snprintf(id, sizeof(id), "%.*s", (int) k->mv_size,
	    (const char *) k->mv_data);
	if (caserec_decode(id, v->mv_data, v->mv_size, &doc, NULL) !=
	    WAGE_OK) {
		snprintf(rs->problem, sizeof(rs->problem),
		    "case %s does not decode", id);
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

struct stray {
	struct store_txn *txn;
	uint64_t          last; /* the last event of the chain */
	uint64_t          bad;
	int               cut;
};

static int
stray_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct stray *st = arg;
	const char   *p  = (const char *) k->mv_data + k->mv_size - 16;
	char          hex[17];
	uint64_t      seq;
	unsigned char key[8];
	MDB_val       ev;
	json_t       *o;
	json_error_t  jerr;
	const char   *cid;
	int           other;

	(void) v;
	if (k->mv_size < 18) {
		return (0);
	}
	memcpy(hex, p, 16);
	hex[16] = '\0';
	seq     = strtoull(hex, NULL, 16);
	if (seq > st->last) {
		if (st->bad == 0 || seq < st->bad) {
			st->bad = seq;
			st->cut = 1;
		}
		return (0);
	}
	seq_key(seq, key);
	if (store_get(st->txn, DB_AUDIT, key, 8, &ev) != WAGE_OK ||
	    (o = json_loadb(ev.mv_data, ev.mv_size, 0, &jerr)) == NULL) {
		return (0);
	}
	cid   = json_string_value(json_object_get(o, "case"));
	other = cid == NULL || strlen(cid) != k->mv_size - 17 ||
	    memcmp(cid, k->mv_data, k->mv_size - 17) != 0;
	json_decref(o);
	if (other && (st->bad == 0 || seq < st->bad)) {
		st->bad = seq;
		st->cut = 0;
	}
	return (0);
}

/* stray_index names the first case-history index entry with no event of
 * its case behind it (a cut tail, or an entry added). */
static void
stray_index(struct store_txn *txn, struct verify_state *vs)
{
	struct stray st;

	memset(&st, 0, sizeof(st));
	st.txn  = txn;
	st.last = vs->expect - 1;
	store_scan(txn, DB_CASE_AUDIT, NULL, 0, NULL, stray_one, &st);
	if (st.bad != 0 && st.cut) {
		vs->bad_seq = st.last + 1;
		snprintf(vs->problem, sizeof(vs->problem),
		    "the case-history index names seq %" PRIu64
		    ", beyond the last event (seq %" PRIu64
		    "): the log was cut after seq %" PRIu64,
		    st.bad, st.last, st.last);
	} else if (st.bad != 0) {
		vs->bad_seq = st.bad;
		snprintf(vs->problem, sizeof(vs->problem),
		    "the case-history index files event %" PRIu64
		    " under a case it does not belong to",
		    st.bad);
	} else {
		vs->bad_seq = vs->expect;
		snprintf(vs->problem, sizeof(vs->problem),
		    "the case-history index holds entries with no event "
		    "behind them");
	}
}

int
audit_verify(
    struct store_txn *txn, struct checkpoint_signer *signer, json_t **report)
{
	json_int_t          cp_bad = 0, cp_count = 0, cp_last = 0;
	int                 checked = 0;
	struct verify_state vs;
	struct replay_state rs;
	uint64_t            head_seq;
	char                head_hash[65];
	int                 rc;

	*report = NULL;
	memset(&vs, 0, sizeof(vs));
	vs.expect = 1;
	vs.txn    = txn;
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
	if (vs.bad_seq == 0 &&
	    (head_seq != vs.expect - 1 || strcmp(head_hash, vs.prev) != 0)) {
		vs.bad_seq = vs.expect;
		snprintf(vs.problem, sizeof(vs.problem),
		    "chain head record (seq %" PRIu64
		    ") does not match the last event (seq %" PRIu64 ")",
		    head_seq, vs.expect - 1);
	}
	if (vs.bad_seq == 0 &&
	    store_db_count(txn, DB_CASE_AUDIT) != vs.indexed) {
		stray_index(txn, &vs);
	}
	memset(&rs, 0, sizeof(rs));
	rs.cases = vs.cases;
	if (vs.bad_seq == 0) {
		rc =
		    store_scan(txn, DB_CASES, NULL, 0, NULL, replay_case, &rs);
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

		rc = caserec_check(txn, &ibad, rs.problem, sizeof(rs.problem));
		if (rc != WAGE_OK) {
			json_decref(vs.cases);
			return (rc);
		}
		rs.bad = ibad;
	}
	if (signer != NULL && vs.bad_seq == 0 && !rs.bad) {
		checked = 1;
		rc      = checkpoint_verify(txn, signer, &cp_bad, rs.problem,
		         sizeof(rs.problem), &cp_count, &cp_last);
		if (rc != WAGE_OK) {
			json_decref(vs.cases);
			return (rc);
		}
		if (cp_bad != 0) {
			vs.bad_seq = (uint64_t) (cp_bad > 0 ? cp_bad : 0);
			snprintf(
			    vs.problem, sizeof(vs.problem), "%s", rs.problem);
			rs.bad = vs.bad_seq == 0;
		}
	}
	*report = json_pack("{s:b, s:I, s:I, s:s}", "valid",
	    vs.bad_seq == 0 && !rs.bad, "events", (json_int_t) (vs.expect - 1),
	    "cases", (json_int_t) store_db_count(txn, DB_CASES), "head",
	    vs.prev);
	if (*report != NULL && vs.bad_seq != 0) {
		json_object_set_new(*report, "first_bad_seq",
		    json_integer((json_int_t) vs.bad_seq));
		json_object_set_new(
		    *report, "problem", json_string(vs.problem));
	} else if (*report != NULL && rs.bad) {
		json_object_set_new(
		    *report, "problem", json_string(rs.problem));
	}
	if (*report != NULL && signer != NULL && checked) {
		json_object_set_new(
		    *report, "checkpoints", json_integer(cp_count));
		json_object_set_new(
		    *report, "last_checkpoint_seq", json_integer(cp_last));
		json_object_set_new(*report, "unsigned_tail",
		    json_integer((json_int_t) (vs.expect - 1) - cp_last));
	}
	json_decref(vs.cases);
	return (*report != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}

struct history_state {
	struct store_txn *txn;
	json_t           *events;
	int               rc;
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
audit_case_events(struct store_txn *txn, const char *case_id, json_t **events)
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
	rc = store_scan(
	    txn, DB_CASE_AUDIT, prefix, (size_t) n, NULL, history_one, &hs);
	if (rc != WAGE_OK) {
		json_decref(hs.events);
		*events = NULL;
		return (rc);
	}
	*events = hs.events;
	return (WAGE_OK);
}

/* ---- export -------------------------------------------------------- */

static json_t *
event_at(struct store_txn *txn, uint64_t seq)
{
	unsigned char key[8];
	MDB_val       v;
	json_error_t  jerr;

	seq_key(seq, key);
	if (store_get(txn, DB_AUDIT, key, sizeof(key), &v) != WAGE_OK) {
		return (NULL);
	}
	return (json_loadb(v.mv_data, v.mv_size, 0, &jerr));
}

struct export_state {
	struct store_txn *txn;
	json_t           *lines;
	size_t            limit;
	uint64_t          upto;
	uint64_t          last_seq; /* events phase: last seq written */
	char              last_case[WAGE_CASE_ID_MAX + 1];
	int               full;
};

static int
export_event(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct export_state *es = arg;
	json_t              *ev, *cp;
	json_error_t         jerr;
	MDB_val              c;
	uint64_t             seq = 0;
	size_t               i;

	for (i = 0; i < 8; i++) {
		seq = (seq << 8) | ((const unsigned char *) k->mv_data)[i];
	}
	if (seq > es->upto) {
		return (STORE_SCAN_STOP);
	}
	if (json_array_size(es->lines) + 2 > es->limit) {
		es->full = 1;
		return (STORE_SCAN_STOP);
	}
	if ((ev = json_loadb(v->mv_data, v->mv_size, 0, &jerr)) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_object_set_new(ev, "type", json_string("event"));
	json_array_append_new(es->lines, ev);
	if (store_get(es->txn, DB_CHECKPOINTS, k->mv_data, 8, &c) == WAGE_OK &&
	    (cp = json_loadb(c.mv_data, c.mv_size, 0, &jerr)) != NULL) {
		json_object_set_new(cp, "type", json_string("checkpoint"));
		json_array_append_new(es->lines, cp);
	}
	es->last_seq = seq;
	return (0);
}

struct case_at {
	uint64_t upto, last;
	long     count;
};

static int
count_case_event(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct case_at *ca = arg;
	const char     *p  = (const char *) k->mv_data + k->mv_size - 16;
	char            hex[17];
	uint64_t        seq;

	(void) v;
	memcpy(hex, p, 16);
	hex[16] = '\0';
	seq     = strtoull(hex, NULL, 16);
	if (seq > ca->upto) {
		return (STORE_SCAN_STOP); /* keys are in seq order */
	}
	ca->count++;
	ca->last = seq;
	return (0);
}

static int
export_case(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct export_state *es = arg;
	struct case_at       ca;
	json_t              *doc, *ev, *line;
	char        id[WAGE_CASE_ID_MAX + 1], prefix[WAGE_CASE_ID_MAX + 2];
	const char *state;
	int         n, rc;

	if (json_array_size(es->lines) + 1 > es->limit) {
		es->full = 1;
		return (STORE_SCAN_STOP);
	}
	if (k->mv_size > WAGE_CASE_ID_MAX) {
		return (WAGE_E_INTERNAL);
	}
	memcpy(id, k->mv_data, k->mv_size);
	id[k->mv_size] = '\0';
	snprintf(es->last_case, sizeof(es->last_case), "%s", id);
	n = snprintf(prefix, sizeof(prefix), "%s" SEP, id);
	memset(&ca, 0, sizeof(ca));
	ca.upto = es->upto;
	rc      = store_scan(es->txn, DB_CASE_AUDIT, prefix, (size_t) n, NULL,
	         count_case_event, &ca);
	if (rc != WAGE_OK) {
		return (rc);
	}
	if (ca.count == 0) {
		return (0); /* filed after the export's head */
	}
	if (caserec_decode(id, v->mv_data, v->mv_size, &doc, NULL) !=
	    WAGE_OK) {
		return (WAGE_E_INTERNAL);
	}
	if (json_integer_value(json_object_get(doc, "revision")) == ca.count) {
		line = json_pack("{s:s, s:s, s:O, s:I}", "type", "case", "id",
		    id, "state", json_object_get(doc, "state"), "revision",
		    (json_int_t) ca.count);
	} else {
		/* Changed after the head: its state as of the head. */
		ev    = event_at(es->txn, ca.last);
		state = json_string_value(json_object_get(ev, "to"));
		line  = state == NULL
		     ? NULL
		     : json_pack("{s:s, s:s, s:s, s:I}", "type", "case", "id",
		           id, "state", state, "revision",
		           (json_int_t) ca.count);
		json_decref(ev);
	}
	json_decref(doc);
	if (line == NULL) {
		return (WAGE_E_INTERNAL);
	}
	json_array_append_new(es->lines, line);
	return (0);
}

int
audit_export_page(struct store_txn *txn, struct checkpoint_signer *signer,
    const char *cursor, size_t limit, json_t **page, struct wage_error *err)
{
	struct export_state es;
	unsigned char       key[8];
	char                phase = 'e', head[65], now[40], next[80];
	unsigned long long  upto = 0, after = 0;
	uint64_t            hseq;
	json_t             *ev, *cp;
	int                 rc, n = 0;

	*page = NULL;
	memset(&es, 0, sizeof(es));
	es.txn   = txn;
	es.limit = limit < 4 ? 4 : limit;
	if ((es.lines = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	if (cursor == NULL) {
		if ((rc = audit_head(txn, &hseq, head)) != WAGE_OK) {
			json_decref(es.lines);
			return (rc);
		}
		upto = hseq;
		audit_now_string(now, sizeof(now));
		json_array_append_new(es.lines,
		    json_pack("{s:s, s:s, s:s, s:s, s:I}", "type", "header",
		        "format", AUDITFMT_FORMAT, "server_certificate",
		        checkpoint_signer_cert(signer), "exported_at", now,
		        "head_seq", (json_int_t) upto));
	} else if (sscanf(cursor, "e%llu:%llu%n", &upto, &after, &n) == 2 &&
	    cursor[n] == '\0') {
		phase = 'e';
	} else if (sscanf(cursor, "c%llu:%n", &upto, &n) == 1 &&
	    strlen(cursor + n) <= WAGE_CASE_ID_MAX) {
		phase = 'c';
		snprintf(es.last_case, sizeof(es.last_case), "%s", cursor + n);
	} else {
		json_decref(es.lines);
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "after",
		    "'after' must be the 'next' cursor of the previous page"));
	}
	es.upto     = upto;
	es.last_seq = after;
	if (phase == 'e') {
		seq_key(after + 1, key);
		rc = after < upto ? store_scan_from(txn, DB_AUDIT, key,
		                        sizeof(key), export_event, &es)
		                  : WAGE_OK;
		if (rc != WAGE_OK) {
			json_decref(es.lines);
			return (rc);
		}
		if (es.full) {
			snprintf(next, sizeof(next), "e%llu:%llu", upto,
			    (unsigned long long) es.last_seq);
			goto done;
		}
		phase           = 'c';
		es.last_case[0] = '\0';
	}
	rc = store_scan(txn, DB_CASES, NULL, 0,
	    es.last_case[0] != '\0' ? es.last_case : NULL, export_case, &es);
	if (rc != WAGE_OK) {
		json_decref(es.lines);
		return (rc);
	}
	if (es.full) {
		snprintf(next, sizeof(next), "c%llu:%s", upto, es.last_case);
		goto done;
	}
	/* The end: a head signed now, covering exactly the exported chain. */
	if (upto == 0) {
		memcpy(head, AUDIT_GENESIS, 65);
	} else {
		if ((ev = event_at(txn, upto)) == NULL) {
			json_decref(es.lines);
			return (WAGE_E_INTERNAL);
		}
		snprintf(head, sizeof(head), "%s",
		    json_string_value(json_object_get(ev, "hash")));
		json_decref(ev);
	}
	if ((cp = checkpoint_sign(signer, (json_int_t) upto, head)) == NULL) {
		json_decref(es.lines);
		return (WAGE_E_INTERNAL);
	}
	json_array_append_new(es.lines,
	    json_pack("{s:s, s:I, s:o}", "type", "end", "events",
	        (json_int_t) upto, "head", cp));
	*page = json_pack("{s:o, s:n}", "lines", es.lines, "next");
	return (*page != NULL ? WAGE_OK : WAGE_E_INTERNAL);
done:
	*page = json_pack("{s:o, s:s}", "lines", es.lines, "next", next);
	return (*page != NULL ? WAGE_OK : WAGE_E_INTERNAL);
}
