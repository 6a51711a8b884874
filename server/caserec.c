/* SPDX-License-Identifier: MIT */
/*
 * caserec.c - the stored case: head and step records, the listing
 * summary, the index entries, the case number, the consistency check and
 * the conversion from format 1 (see caserec.h for the layout).
 * Owns: the case document's schema on disk. Must not: decide what a case
 * may do (workflow, caserules) or who may see it (scope).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "caserec.h"
#include "filing.h"
#include "log.h"
#include "represent.h"
#include "transfer.h"

#define SEP CASEREC_SEP

static const unsigned char magic[4] = { 'W', 'C', 'H', 0x02 };

/* ---- encoding ------------------------------------------------------- */

static const char *
jstr(const json_t *o, const char *k1, const char *k2)
{
	const json_t *v = json_object_get(o, k1);

	if (k2 != NULL) {
		v = json_object_get(v, k2);
	}
	return (json_string_value(v));
}

/* The members a summary is made of, but the state and the revision,
 * which change with nearly every event and so come last. */
static const char *const sum_from[] = { "region", "received", "respondent",
	"claimants", "claim", "priority" };
#define NSUM (sizeof(sum_from) / sizeof(sum_from[0]))

static json_t *
summary_head(const json_t *doc)
{
	const json_t *c0 =
	    json_array_get(json_object_get(doc, "claimants"), 0);

	/* Every member may be absent (null) in a document under repair. */
	return (json_pack("{s:O?, s:O?, s:O?, s:o?, s:I, s:O?, s:O?}",
	    "region", json_object_get(doc, "region"), "received",
	    json_object_get(doc, "received"), "respondent",
	    json_object_get(json_object_get(doc, "respondent"), "name"),
	    "first_claimant",
	    filing_is_confidential(c0)
	        ? json_string(FILING_CONFIDENTIAL_NAME)
	        : json_incref(json_object_get(c0, "name")),
	    "workers",
	    (json_int_t) json_array_size(json_object_get(doc, "claimants")),
	    "total_fen",
	    json_object_get(json_object_get(doc, "claim"), "total_fen"),
	    "priority", json_object_get(doc, "priority")));
}

json_t *
caserec_summary(const json_t *doc)
{
	json_t *sum = summary_head(doc);

	if (sum != NULL &&
	    (json_object_set(sum, "state", json_object_get(doc, "state")) !=
	            0 &&
	        json_object_set_new(sum, "state", json_null()) != 0)) {
		json_decref(sum);
		return (NULL);
	}
	if (sum != NULL &&
	    json_object_set(
	        sum, "revision", json_object_get(doc, "revision")) != 0 &&
	    json_object_set_new(sum, "revision", json_null()) != 0) {
		json_decref(sum);
		return (NULL);
	}
	return (sum);
}

void
caserec_enc_fini(struct caserec_enc *e)
{
	free(e->head);
	free(e->sum);
	memset(e, 0, sizeof(*e));
}

/* A growing text buffer; b->bad once memory ran out. */
struct buf {
	char  *s;
	size_t len, cap;
	int    bad;
};

static int
buf_add(const char *p, size_t n, void *arg)
{
	struct buf *b = arg;
	char       *ns;
	size_t      cap;

	if (b->bad) {
		return (-1);
	}
	if (b->len + n + 1 > b->cap) {
		cap = b->cap > 0 ? b->cap : 512;
		while (cap < b->len + n + 1) {
			cap *= 2;
		}
		if ((ns = realloc(b->s, cap)) == NULL) {
			b->bad = 1;
			return (-1);
		}
		b->s   = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return (0);
}

struct part {
	char   *key;
	json_t *value; /* a reference */
	char   *text;  /* "key":value */
	size_t  len;
};

struct caserec_parts {
	int         refs;         /* atomic */
	json_t     *sumsrc[NSUM]; /* the members the summary head came from */
	char       *sumhead; /* the summary up to its state, without '}' */
	size_t      sumheadlen;
	size_t      n;
	struct part p[];
};

struct caserec_parts *
caserec_parts_ref(struct caserec_parts *p)
{
	if (p != NULL) {
		__atomic_add_fetch(&p->refs, 1, __ATOMIC_RELAXED);
	}
	return (p);
}

void
caserec_parts_release(struct caserec_parts *p)
{
	size_t i;

	if (p == NULL ||
	    __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) > 0) {
		return;
	}
	for (i = 0; i < p->n; i++) {
		free(p->p[i].key);
		json_decref(p->p[i].value);
		free(p->p[i].text);
	}
	for (i = 0; i < NSUM; i++) {
		json_decref(p->sumsrc[i]);
	}
	free(p->sumhead);
	free(p);
}

/* The member's text from prev, if its value there is this very one. */
static const struct part *
part_reused(const struct caserec_parts *prev, size_t at, const char *key,
    const json_t *v)
{
	size_t i;

	if (prev == NULL) {
		return (NULL);
	}
	if (at < prev->n && prev->p[at].value == v &&
	    strcmp(prev->p[at].key, key) == 0) {
		return (&prev->p[at]);
	}
	for (i = 0; i < prev->n; i++) {
		if (prev->p[i].value == v &&
		    strcmp(prev->p[i].key, key) == 0) {
			return (&prev->p[i]);
		}
	}
	return (NULL);
}

/* "key":value, compact, as jansson encodes a member. */
static int
part_encode(const char *key, const json_t *v, struct buf *b)
{
	const char *c;
	json_t     *k;
	int         rc;

	for (c = key; *c != '\0'; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		        (*c >= '0' && *c <= '9') || *c == '_')) {
			break;
		}
	}
	if (*c == '\0') {
		buf_add("\"", 1, b);
		buf_add(key, strlen(key), b);
		buf_add("\":", 2, b);
	} else {
		/* A key that may need escaping: jansson writes it. */
		k  = json_string(key);
		rc = k != NULL ? json_dump_callback(k, buf_add, b,
		                     JSON_COMPACT | JSON_ENCODE_ANY)
		               : -1;
		json_decref(k);
		if (rc != 0 || buf_add(":", 1, b) != 0) {
			return (-1);
		}
	}
	if (json_dump_callback(
	        v, buf_add, b, JSON_COMPACT | JSON_ENCODE_ANY) != 0 ||
	    b->bad) {
		return (-1);
	}
	return (0);
}

/*
 * The summary's text: its head (every member but state and revision) taken
 * from prev when the members it is made of are the very same values, else
 * encoded and kept in np; then the state and the revision. The same bytes
 * as json_dumps(caserec_summary(doc), JSON_COMPACT).
 */
static int
summary_text(const json_t *doc, const struct caserec_parts *prev,
    struct caserec_parts *np, struct caserec_enc *e)
{
	struct buf b;
	json_t    *sh;
	char      *text, num[32];
	size_t     i, n;
	int        same = prev != NULL && prev->sumhead != NULL, len;

	for (i = 0; i < NSUM; i++) {
		np->sumsrc[i] = json_incref(json_object_get(doc, sum_from[i]));
		same          = same && prev->sumsrc[i] == np->sumsrc[i];
	}
	if (same) {
		text = malloc(prev->sumheadlen + 1);
		if (text == NULL) {
			return (WAGE_E_INTERNAL);
		}
		memcpy(text, prev->sumhead, prev->sumheadlen + 1);
		n = prev->sumheadlen;
	} else {
		sh   = summary_head(doc);
		text = sh != NULL ? json_dumps(sh, JSON_COMPACT) : NULL;
		json_decref(sh);
		if (text == NULL || (n = strlen(text)) < 2) {
			free(text);
			return (WAGE_E_INTERNAL);
		}
		text[--n] = '\0'; /* without its '}' */
	}
	np->sumhead    = text;
	np->sumheadlen = n;
	memset(&b, 0, sizeof(b));
	buf_add(text, n, &b);
	buf_add(",\"state\":", 9, &b);
	if (json_object_get(doc, "state") == NULL) {
		buf_add("null", 4, &b);
	} else if (json_dump_callback(json_object_get(doc, "state"), buf_add,
	               &b, JSON_COMPACT | JSON_ENCODE_ANY) != 0) {
		b.bad = 1;
	}
	len = json_is_integer(json_object_get(doc, "revision"))
	    ? snprintf(num, sizeof(num),
	          ",\"revision\":%" JSON_INTEGER_FORMAT "}",
	          json_integer_value(json_object_get(doc, "revision")))
	    : snprintf(num, sizeof(num), ",\"revision\":null}");
	buf_add(num, (size_t) len, &b);
	if (b.bad) {
		free(b.s);
		return (WAGE_E_INTERNAL);
	}
	e->sum    = b.s;
	e->sumlen = b.len;
	return (WAGE_OK);
}

int
caserec_encode(const json_t *doc, const struct caserec_parts *prev,
    struct caserec_enc *e, struct caserec_parts **parts)
{
	struct caserec_parts *np;
	const struct part    *old;
	struct buf            head, one;
	const char           *key;
	json_t               *v;
	json_int_t rev = json_integer_value(json_object_get(doc, "revision"));
	size_t     n   = 0, i;
	int        rc  = WAGE_E_INTERNAL;

	memset(e, 0, sizeof(*e));
	memset(&head, 0, sizeof(head));
	if (parts != NULL) {
		*parts = NULL;
	}
	if (rev < 1 || !json_is_object(doc)) {
		log_warnx("%s: a case without a revision", __func__);
		return (WAGE_E_INTERNAL);
	}
	np = calloc(
	    1, sizeof(*np) + json_object_size(doc) * sizeof(struct part));
	if (np == NULL) {
		return (WAGE_E_INTERNAL);
	}
	np->refs = 1;
	buf_add((const char *) magic, 4, &head);
	for (i = 0; i < 8; i++) {
		char c = (char) ((uint64_t) rev >> (56 - 8 * i));

		buf_add(&c, 1, &head);
	}
	buf_add("{", 1, &head);
	/* What lives in the key, the header and the step records is left
	 * out. */
	json_object_foreach ((json_t *) doc, key, v) {
		if (strcmp(key, "id") == 0 || strcmp(key, "revision") == 0 ||
		    strcmp(key, "steps") == 0) {
			continue;
		}
		memset(&one, 0, sizeof(one));
		if ((old = part_reused(prev, n, key, v)) != NULL) {
			buf_add(old->text, old->len, &one);
		} else if (part_encode(key, v, &one) != 0) {
			free(one.s);
			goto out;
		}
		if (np->n > 0) {
			buf_add(",", 1, &head);
		}
		buf_add(one.s, one.len, &head);
		np->p[np->n].key   = strdup(key);
		np->p[np->n].value = json_incref(v);
		np->p[np->n].text  = one.s;
		np->p[np->n].len   = one.len;
		np->n++;
		n++;
		if (np->p[np->n - 1].key == NULL || one.bad) {
			goto out;
		}
	}
	buf_add("}", 1, &head);
	if (head.bad || summary_text(doc, prev, np, e) != WAGE_OK) {
		goto out;
	}
	e->head    = head.s;
	e->headlen = head.len;
	head.s     = NULL;
	rc         = WAGE_OK;
	if (parts != NULL) {
		*parts = np;
		np     = NULL;
	}
out:
	free(head.s);
	caserec_parts_release(np);
	if (rc != WAGE_OK) {
		caserec_enc_fini(e);
	}
	return (rc);
}

int
caserec_head_revision(const void *val, size_t len, uint64_t *rev)
{
	const unsigned char *p = val;
	uint64_t             r = 0;
	int                  i;

	if (len < CASEREC_HDR || memcmp(p, magic, 4) != 0) {
		return (WAGE_E_INTERNAL);
	}
	for (i = 0; i < 8; i++) {
		r = (r << 8) | p[4 + i];
	}
	*rev = r;
	return (WAGE_OK);
}

int
caserec_decode(
    const char *id, const void *val, size_t len, json_t **doc, uint64_t *rev)
{
	json_error_t jerr;
	uint64_t     r;

	*doc = NULL;
	if (caserec_head_revision(val, len, &r) != WAGE_OK ||
	    r > (uint64_t) INT64_MAX) {
		log_warnx("%s: case %s: not a case head (format %d)", __func__,
		    id, CASEREC_FORMAT);
		return (WAGE_E_INTERNAL);
	}
	*doc = json_loadb(
	    (const char *) val + CASEREC_HDR, len - CASEREC_HDR, 0, &jerr);
	if (*doc == NULL || !json_is_object(*doc)) {
		log_warnx("%s: case %s does not decode: %s", __func__, id,
		    *doc == NULL ? jerr.text : "not an object");
		json_decref(*doc);
		*doc = NULL;
		return (WAGE_E_INTERNAL);
	}
	if (json_object_set_new(*doc, "id", json_string(id)) != 0 ||
	    json_object_set_new(
	        *doc, "revision", json_integer((json_int_t) r)) != 0) {
		json_decref(*doc);
		*doc = NULL;
		return (WAGE_E_INTERNAL);
	}
	if (rev != NULL) {
		*rev = r;
	}
	return (WAGE_OK);
}

int
caserec_head(struct store_txn *txn, const char *id, MDB_val *val)
{
	return (store_get(txn, DB_CASES, id, strlen(id), val));
}

/* ---- steps ---------------------------------------------------------- */

static int
step_key(char *buf, size_t len, const char *id, uint64_t seq)
{
	int n = snprintf(buf, len, "%s" SEP "%016" PRIx64, id, seq);

	return (n > 0 && (size_t) n < len ? n : -1);
}

char *
caserec_step_encode(const json_t *step, size_t *len)
{
	json_t *body = NULL;
	char   *s;

	/* The seq lives in the key: a step that carries one is copied
	 * without it. */
	if (json_object_get(step, "seq") != NULL) {
		if ((body = json_copy((json_t *) step)) == NULL) {
			return (NULL);
		}
		json_object_del(body, "seq");
	}
	s = json_dumps(body != NULL ? body : step, JSON_COMPACT);
	json_decref(body);
	*len = s != NULL ? strlen(s) : 0;
	return (s);
}

int
caserec_step_put(struct store_txn *txn, const char *id, uint64_t seq,
    const char *text, size_t len)
{
	char key[CASEREC_KEY_MAX];
	int  n;

	if ((n = step_key(key, sizeof(key), id, seq)) < 0 || len < 2 ||
	    text[0] != '{') {
		return (WAGE_E_INTERNAL);
	}
	return (store_put(txn, DB_STEPS, key, (size_t) n, text, len));
}

struct join {
	char  *buf;
	size_t len, cap;
	int    bad;
};

static int
join_add(struct join *j, const void *p, size_t n)
{
	char  *nb;
	size_t cap;

	if (j->len + n + 1 > j->cap) {
		cap = j->cap > 0 ? j->cap : 256;
		while (cap < j->len + n + 1) {
			cap *= 2;
		}
		if ((nb = realloc(j->buf, cap)) == NULL) {
			return (-1);
		}
		j->buf = nb;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, p, n);
	j->len += n;
	j->buf[j->len] = '\0';
	return (0);
}

static int
join_step(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct join *j   = arg;
	const char  *key = k->mv_data, *val = v->mv_data;
	char         head[48], hex[17];
	uint64_t     seq;
	int          n;

	/* {"seq":N, then the stored step after its '{'. */
	if (k->mv_size < 17 || key[k->mv_size - 17] != SEP[0] ||
	    v->mv_size < 2 || val[0] != '{') {
		j->bad = 1;
		return (STORE_SCAN_STOP);
	}
	memcpy(hex, key + k->mv_size - 16, 16);
	hex[16] = '\0';
	seq     = strtoull(hex, NULL, 16);
	n       = snprintf(head, sizeof(head), "%s{\"seq\":%" PRIu64 "%s",
            j->len > 1 ? "," : "", seq, v->mv_size > 2 ? "," : "");
	if (join_add(j, head, (size_t) n) != 0 ||
	    join_add(j, val + 1, v->mv_size - 1) != 0) {
		return (WAGE_E_INTERNAL);
	}
	return (0);
}

int
caserec_steps_text(
    struct store_txn *txn, const char *id, char **text, size_t *len)
{
	struct join j;
	char        prefix[CASEREC_KEY_MAX];
	int         n, rc;

	*text = NULL;
	*len  = 0;
	memset(&j, 0, sizeof(j));
	n = snprintf(prefix, sizeof(prefix), "%s" SEP, id);
	if (n < 0 || (size_t) n >= sizeof(prefix) || join_add(&j, "[", 1)) {
		free(j.buf);
		return (WAGE_E_INTERNAL);
	}
	rc =
	    store_scan(txn, DB_STEPS, prefix, (size_t) n, NULL, join_step, &j);
	if (rc == WAGE_OK && j.bad) {
		log_warnx(
		    "%s: case %s has a malformed step record", __func__, id);
		rc = WAGE_E_INTERNAL;
	}
	if (rc == WAGE_OK && join_add(&j, "]", 1) != 0) {
		rc = WAGE_E_INTERNAL;
	}
	if (rc != WAGE_OK) {
		free(j.buf);
		return (rc);
	}
	*text = j.buf;
	*len  = j.len;
	return (WAGE_OK);
}

static int
add_size(void *arg, const MDB_val *k, const MDB_val *v)
{
	(void) k;
	*(size_t *) arg += v->mv_size;
	return (0);
}

int
caserec_steps_bytes(struct store_txn *txn, const char *id, size_t *len)
{
	char prefix[CASEREC_KEY_MAX];
	int  n;

	*len = 0;
	n    = snprintf(prefix, sizeof(prefix), "%s" SEP, id);
	if (n < 0 || (size_t) n >= sizeof(prefix)) {
		return (WAGE_E_INTERNAL);
	}
	return (store_scan(
	    txn, DB_STEPS, prefix, (size_t) n, NULL, add_size, len));
}

int
caserec_get(struct store_txn *txn, const char *id, int steps, json_t **doc)
{
	MDB_val      v;
	json_error_t jerr;
	json_t      *arr;
	char        *text;
	size_t       n;
	int          rc;

	*doc = NULL;
	if ((rc = caserec_head(txn, id, &v)) != WAGE_OK ||
	    (rc = caserec_decode(id, v.mv_data, v.mv_size, doc, NULL)) !=
	        WAGE_OK) {
		return (rc);
	}
	if (!steps) {
		return (WAGE_OK);
	}
	if ((rc = caserec_steps_text(txn, id, &text, &n)) != WAGE_OK) {
		json_decref(*doc);
		*doc = NULL;
		return (rc);
	}
	arr = json_loadb(text, n, 0, &jerr);
	free(text);
	if (arr == NULL || json_object_set_new(*doc, "steps", arr) != 0) {
		json_decref(*doc);
		*doc = NULL;
		return (WAGE_E_INTERNAL);
	}
	return (WAGE_OK);
}

/* ---- index entries -------------------------------------------------- */

/* The index entries a version of a case has. */
#define CASE_KEYS 12
struct case_keys {
	char   keys[CASE_KEYS][CASEREC_KEY_MAX];
	size_t lens[CASE_KEYS];
	int    dbs[CASE_KEYS];
	int    n;
};

static void
key_add(struct case_keys *ck, enum store_db db, const char *a, const char *b,
    const char *c)
{
	int n;

	if (ck->n >= CASE_KEYS || a == NULL || *a == '\0' || b == NULL) {
		return;
	}
	if (c != NULL) {
		n = snprintf(ck->keys[ck->n], sizeof(ck->keys[0]),
		    "%s" SEP "%s" SEP "%s", a, b, c);
	} else {
		n = snprintf(
		    ck->keys[ck->n], sizeof(ck->keys[0]), "%s" SEP "%s", a, b);
	}
	if (n < 0 || (size_t) n >= sizeof(ck->keys[0])) {
		return; /* cannot happen within the protocol's limits */
	}
	ck->lens[ck->n] = (size_t) n;
	ck->dbs[ck->n]  = db;
	ck->n++;
}

/* What is indexed: region, state within region, the filing and the
 * representing organisation, the respondent's credit code. */
static void
case_keys(const char *id, const json_t *doc, struct case_keys *ck)
{
	const char *region = jstr(doc, "region", NULL);
	const char *state  = jstr(doc, "state", NULL);
	const char *filer  = jstr(doc, "filed_by", "org");
	const char *rep    = jstr(doc, "representative", "organisation");
	const char *to     = transfer_to_region(doc);
	const char *frole;

	ck->n = 0;
	key_add(ck, DB_BY_REGION, region, id, NULL);
	if (region != NULL) {
		key_add(ck, DB_BY_STATE, state, region, id);
	}
	/* 移送 pending: the receiving body's listings hold it too; these
	 * entries are secondary (caserec_key_primary). */
	if (to != NULL && region != NULL && strcmp(to, region) != 0) {
		key_add(ck, DB_BY_REGION, to, id, NULL);
		key_add(ck, DB_BY_STATE, state, to, id);
	}
	/* The filer's organisation while it may see the case by it: a
	 * union station or legal aid that was replaced or removed as the
	 * representative no longer (represent_filer_keeps, scope.c). */
	frole = jstr(doc, "filed_by", "role");
	if (frole == NULL ||
	    (strcmp(frole, "union") != 0 && strcmp(frole, "legal_aid") != 0) ||
	    represent_filer_keeps(doc)) {
		key_add(ck, DB_BY_ORG, filer, id, NULL);
	} else {
		filer = NULL;
	}
	if (rep != NULL && (filer == NULL || strcmp(rep, filer) != 0)) {
		key_add(ck, DB_BY_ORG, rep, id, NULL);
	}
	key_add(ck, DB_BY_CREDIT, jstr(doc, "respondent", "credit_code"), id,
	    NULL);
	/* The idempotency key is the filing organisation's, whatever
	 * became of its access. */
	key_add(ck, DB_BY_KEY, jstr(doc, "filed_by", "org"),
	    jstr(doc, "filing_key", NULL), id);
	key_add(ck, DB_BY_GC,
	    json_string_value(json_object_get(
	        json_object_get(json_object_get(doc, "project"),
	            "general_contractor"),
	        "credit_code")),
	    id, NULL);
}

bool
caserec_key_primary(enum store_db db, const MDB_val *k, const char *region)
{
	const char *key = k->mv_data, *sep;
	size_t      n   = region != NULL ? strlen(region) : 0;

	if (db == DB_BY_STATE) {
		sep = memchr(key, CASEREC_SEP[0], k->mv_size);
		if (sep == NULL) {
			return (true);
		}
		key = sep + 1;
	} else if (db != DB_BY_REGION) {
		return (true);
	}
	if (n == 0 || (size_t) (key - (const char *) k->mv_data) + n + 1 >
	                  k->mv_size) {
		return (true);
	}
	return (memcmp(key, region, n) == 0 && key[n] == CASEREC_SEP[0]);
}

struct find_key {
	char  *id;
	size_t len;
	int    found;
};

static int
find_key_one(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct find_key *fk = arg;

	(void) v;
	if (caserec_key_id(k, fk->id, fk->len) != WAGE_OK) {
		return (WAGE_E_INTERNAL);
	}
	fk->found = 1;
	return (STORE_SCAN_STOP);
}

int
caserec_find_key(
    struct store_txn *txn, const json_t *doc, char *id, size_t len)
{
	const char     *filer = jstr(doc, "filed_by", "org");
	const char     *key   = jstr(doc, "filing_key", NULL);
	char            prefix[CASEREC_KEY_MAX];
	struct find_key fk = { id, len, 0 };
	int             n, rc;

	if (filer == NULL || key == NULL) {
		return (WAGE_E_NOT_FOUND);
	}
	n = snprintf(prefix, sizeof(prefix), "%s" SEP "%s" SEP, filer, key);
	if (n < 0 || (size_t) n >= sizeof(prefix)) {
		return (WAGE_E_NOT_FOUND);
	}
	rc = store_scan(
	    txn, DB_BY_KEY, prefix, (size_t) n, NULL, find_key_one, &fk);
	if (rc != WAGE_OK) {
		return (rc);
	}
	return (fk.found ? WAGE_OK : WAGE_E_NOT_FOUND);
}

static int
has_key(const struct case_keys *ck, int db, const char *key, size_t len)
{
	int i;

	for (i = 0; i < ck->n; i++) {
		if (ck->dbs[i] == db && ck->lens[i] == len &&
		    memcmp(ck->keys[i], key, len) == 0) {
			return (1);
		}
	}
	return (0);
}

int
caserec_put(struct store_txn *txn, const char *id, const struct caserec_enc *e,
    const json_t *doc, const json_t *old)
{
	struct case_keys now, was;
	int              rc, i;

	case_keys(id, doc, &now);
	if (old != NULL) {
		case_keys(id, old, &was);
		for (i = 0; i < was.n; i++) {
			if (has_key(
			        &now, was.dbs[i], was.keys[i], was.lens[i])) {
				continue; /* overwritten below */
			}
			rc = store_del(
			    txn, was.dbs[i], was.keys[i], was.lens[i]);
			if (rc != WAGE_OK) {
				return (rc);
			}
		}
	}
	rc = store_put(txn, DB_CASES, id, strlen(id), e->head, e->headlen);
	/* Region, state and organisation entries carry the summary, so that
	 * a listing need not decode cases. */
	for (i = 0; i < now.n && rc == WAGE_OK; i++) {
		if (now.dbs[i] == DB_BY_CREDIT || now.dbs[i] == DB_BY_GC) {
			if (old != NULL &&
			    has_key(&was, now.dbs[i], now.keys[i],
			        now.lens[i])) {
				continue;
			}
			rc = store_put(
			    txn, now.dbs[i], now.keys[i], now.lens[i], "", 0);
		} else {
			rc = store_put(txn, now.dbs[i], now.keys[i],
			    now.lens[i], e->sum, e->sumlen);
		}
	}
	return (rc);
}

int
caserec_save(struct store_txn *txn, const json_t *doc, const json_t *old)
{
	struct caserec_enc e;
	const char        *id = jstr(doc, "id", NULL);
	const json_t      *s;
	json_int_t         seq;
	char              *text;
	size_t             i, n;
	int                rc;

	if (id == NULL ||
	    (rc = caserec_encode(doc, NULL, &e, NULL)) != WAGE_OK) {
		return (WAGE_E_INTERNAL);
	}
	rc = caserec_put(txn, id, &e, doc, old);
	caserec_enc_fini(&e);
	json_array_foreach (json_object_get(doc, "steps"), i, s) {
		if (rc != WAGE_OK) {
			break;
		}
		seq = json_integer_value(json_object_get(s, "seq"));
		if (seq < 1) {
			continue;
		}
		if ((text = caserec_step_encode(s, &n)) == NULL) {
			return (WAGE_E_INTERNAL);
		}
		rc = caserec_step_put(txn, id, (uint64_t) seq, text, n);
		free(text);
	}
	return (rc);
}

int
caserec_key_id(const MDB_val *k, char *buf, size_t len)
{
	const char *key = k->mv_data, *sep = key + k->mv_size;
	size_t      n;

	while (sep > key && sep[-1] != SEP[0]) {
		sep--;
	}
	n = (size_t) (key + k->mv_size - sep);
	if (n == 0 || n >= len || n > WAGE_CASE_ID_MAX) {
		return (WAGE_E_INTERNAL);
	}
	memcpy(buf, sep, n);
	buf[n] = '\0';
	return (WAGE_OK);
}

int
caserec_new_id(struct store_txn *txn, int year, char *buf, size_t len)
{
	char          name[32];
	unsigned long next = 1;
	MDB_val       v;
	char          num[24];
	int           rc;

	snprintf(name, sizeof(name), "case_seq/%04d", year);
	rc = store_meta_get(txn, name, &v);
	if (rc == WAGE_OK) {
		if (v.mv_size >= sizeof(num)) {
			return (WAGE_E_INTERNAL);
		}
		memcpy(num, v.mv_data, v.mv_size);
		num[v.mv_size] = '\0';
		next           = strtoul(num, NULL, 10) + 1;
	} else if (rc != WAGE_E_NOT_FOUND) {
		return (rc);
	}
	snprintf(num, sizeof(num), "%lu", next);
	if ((rc = store_meta_put(txn, name, num, strlen(num))) != WAGE_OK) {
		return (rc);
	}
	snprintf(buf, len, "WA%04d-%06lu", year, next);
	return (WAGE_OK);
}

/* ---- checking ------------------------------------------------------- */

struct check {
	struct store_txn *txn;
	size_t            expect[DB__COUNT];
	int               bad;
	char             *problem;
	size_t            len;
};

static int
check_fail(struct check *ic, const char *what, const char *id)
{
	snprintf(ic->problem, ic->len, "case %s: %s", id, what);
	ic->bad = 1;
	return (STORE_SCAN_STOP);
}

static int
check_case(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct check    *ic = arg;
	struct case_keys ck;
	json_t          *doc, *sum;
	char             id[WAGE_CASE_ID_MAX + 1], *text;
	MDB_val          x;
	int              i, rc;

	if (k->mv_size == 0 || k->mv_size > WAGE_CASE_ID_MAX) {
		return (check_fail(ic, "its key is not a case id", "?"));
	}
	snprintf(id, sizeof(id), "%.*s", (int) k->mv_size,
	    (const char *) k->mv_data);
	if (caserec_decode(id, v->mv_data, v->mv_size, &doc, NULL) !=
	    WAGE_OK) {
		return (check_fail(ic, "the stored head does not decode", id));
	}
	case_keys(id, doc, &ck);
	sum = caserec_summary(doc);
	json_decref(doc);
	text = sum != NULL ? json_dumps(sum, JSON_COMPACT) : NULL;
	json_decref(sum);
	if (text == NULL) {
		return (WAGE_E_INTERNAL);
	}
	for (i = 0; i < ck.n; i++) {
		ic->expect[ck.dbs[i]]++;
		rc = store_get(ic->txn, ck.dbs[i], ck.keys[i], ck.lens[i], &x);
		if (rc == WAGE_E_NOT_FOUND) {
			free(text);
			return (check_fail(ic, "missing from an index", id));
		}
		if (rc != WAGE_OK) {
			free(text);
			return (rc);
		}
		/* A listing shows the summary kept in the entry: it must be
		 * the case's own. */
		if (ck.dbs[i] != DB_BY_CREDIT && ck.dbs[i] != DB_BY_GC &&
		    (x.mv_size != strlen(text) ||
		        memcmp(x.mv_data, text, x.mv_size) != 0)) {
			free(text);
			return (check_fail(ic,
			    "an index entry's summary differs from the case",
			    id));
		}
	}
	free(text);
	return (0);
}

static int
check_step(void *arg, const MDB_val *k, const MDB_val *v)
{
	struct check *ic = arg;
	char          id[WAGE_CASE_ID_MAX + 1];
	const char   *key = k->mv_data;
	MDB_val       x;
	size_t        n;

	(void) v;
	if (k->mv_size < 18 || key[k->mv_size - 17] != SEP[0] ||
	    (n = k->mv_size - 17) > WAGE_CASE_ID_MAX) {
		return (check_fail(ic, "a step key is malformed", "?"));
	}
	memcpy(id, key, n);
	id[n] = '\0';
	if (store_get(ic->txn, DB_CASES, id, n, &x) != WAGE_OK) {
		return (check_fail(ic, "a step is stored for no case", id));
	}
	return (0);
}

int
caserec_check(struct store_txn *txn, int *bad, char *problem, size_t len)
{
	static const enum store_db idx[] = { DB_BY_REGION, DB_BY_STATE,
		DB_BY_ORG, DB_BY_CREDIT, DB_BY_KEY, DB_BY_GC };
	static const char *const names[] = { "by_region", "by_state", "by_org",
		"by_credit", "by_key", "by_gc" };
	struct check             ic;
	size_t                   i, have;
	int                      rc;

	memset(&ic, 0, sizeof(ic));
	ic.txn     = txn;
	ic.problem = problem;
	ic.len     = len;
	*bad       = 0;
	rc         = store_scan(txn, DB_CASES, NULL, 0, NULL, check_case, &ic);
	if (rc == WAGE_OK && !ic.bad) {
		rc = store_scan(txn, DB_STEPS, NULL, 0, NULL, check_step, &ic);
	}
	if (rc != WAGE_OK) {
		return (rc);
	}
	for (i = 0; !ic.bad && i < sizeof(idx) / sizeof(idx[0]); i++) {
		have = store_db_count(txn, idx[i]);
		if (have != ic.expect[idx[i]]) {
			snprintf(problem, len,
			    "index %s has %zu entries, the cases need %zu",
			    names[i], have, ic.expect[idx[i]]);
			ic.bad = 1;
		}
	}
	*bad = ic.bad;
	return (WAGE_OK);
}

/* ---- format 1 ------------------------------------------------------- */

static int
first_format(void *arg, const MDB_val *k, const MDB_val *v)
{
	int     *format = arg;
	uint64_t rev;

	(void) k;
	*format =
	    caserec_head_revision(v->mv_data, v->mv_size, &rev) == WAGE_OK
	    ? CASEREC_FORMAT
	    : 1;
	return (STORE_SCAN_STOP);
}

int
caserec_format(struct store_txn *txn, int *format)
{
	MDB_val v;
	int     rc;

	rc = store_meta_get(txn, "case_format", &v);
	if (rc == WAGE_OK) {
		*format = v.mv_size == 1 &&
		        ((const char *) v.mv_data)[0] == '0' + CASEREC_FORMAT
		    ? CASEREC_FORMAT
		    : -1;
		return (*format < 0 ? WAGE_E_INTERNAL : WAGE_OK);
	}
	if (rc != WAGE_E_NOT_FOUND) {
		return (rc);
	}
	/* No mark: a new database, or one written before the mark: the
	 * first stored case says which. */
	*format = 0;
	rc = store_scan(txn, DB_CASES, NULL, 0, NULL, first_format, format);
	return (rc);
}

static int
collect_key(void *arg, const MDB_val *k, const MDB_val *v)
{
	(void) v;
	return (json_array_append_new(arg,
	            json_stringn((const char *) k->mv_data, k->mv_size)) == 0
	        ? 0
	        : WAGE_E_INTERNAL);
}

/* Every entry of db removed: the indexes are written anew. */
static int
clear_db(struct store_txn *txn, enum store_db db)
{
	json_t *keys = json_array();
	json_t *k;
	size_t  i;
	int     rc;

	if (keys == NULL) {
		return (WAGE_E_INTERNAL);
	}
	rc = store_scan(txn, db, NULL, 0, NULL, collect_key, keys);
	json_array_foreach (keys, i, k) {
		if (rc != WAGE_OK) {
			break;
		}
		rc = store_del(
		    txn, db, json_string_value(k), json_string_length(k));
	}
	json_decref(keys);
	return (rc);
}

/* indexes_emptied: every case id into *ids (new), and every index entry
 * removed, to be written anew from the heads. */
static int
indexes_emptied(struct store_txn *txn, json_t **ids)
{
	static const enum store_db idx[] = { DB_BY_REGION, DB_BY_STATE,
		DB_BY_ORG, DB_BY_CREDIT, DB_BY_KEY, DB_BY_GC };
	size_t                     i;
	int                        rc;

	if ((*ids = json_array()) == NULL) {
		return (WAGE_E_INTERNAL);
	}
	rc = store_scan(txn, DB_CASES, NULL, 0, NULL, collect_key, *ids);
	for (i = 0; rc == WAGE_OK && i < sizeof(idx) / sizeof(idx[0]); i++) {
		rc = clear_db(txn, idx[i]);
	}
	if (rc != WAGE_OK) {
		json_decref(*ids);
		*ids = NULL;
	}
	return (rc);
}

int
caserec_migrate(struct store_txn *txn, size_t *ncases, size_t *nsteps)
{
	json_t                    *ids, *idv, *doc;
	json_error_t               jerr;
	const char                *id;
	MDB_val                    v;
	char                       f = '0' + CASEREC_FORMAT;
	size_t                     i;
	int                        rc = WAGE_OK;

	*ncases = *nsteps = 0;
	if ((rc = indexes_emptied(txn, &ids)) != WAGE_OK) {
		return (rc);
	}
	json_array_foreach (ids, i, idv) {
		if (rc != WAGE_OK) {
			break;
		}
		id = json_string_value(idv);
		if ((rc = store_get(txn, DB_CASES, id, strlen(id), &v)) !=
		    WAGE_OK) {
			break;
		}
		if (v.mv_size > 0 && ((const char *) v.mv_data)[0] != '{') {
			/* Already format 2 (a migration cut short). */
			rc = caserec_decode(
			    id, v.mv_data, v.mv_size, &doc, NULL);
		} else {
			doc = json_loadb(v.mv_data, v.mv_size, 0, &jerr);
			rc  = doc != NULL && json_is_object(doc)
			     ? WAGE_OK
			     : WAGE_E_INTERNAL;
			if (rc != WAGE_OK) {
				log_warnx("%s: case %s does not decode: %s",
				    __func__, id, jerr.text);
			}
		}
		if (rc != WAGE_OK) {
			json_decref(doc);
			break;
		}
		/* The key is the id; a document saying otherwise is not
		 * trusted to name another case. */
		json_object_set_new(doc, "id", json_string(id));
		if (!json_is_integer(json_object_get(doc, "revision"))) {
			log_warnx("%s: case %s has no revision", __func__, id);
			json_decref(doc);
			rc = WAGE_E_INTERNAL;
			break;
		}
		{
			const json_t *st;
			json_int_t    last = 0, seq;
			size_t        j;

			/* Each step names its audit event: rising seqs. */
			json_array_foreach (
			    json_object_get(doc, "steps"), j, st) {
				seq = json_integer_value(
				    json_object_get(st, "seq"));
				if (!json_is_integer(
				        json_object_get(st, "seq")) ||
				    seq <= last) {
					rc = WAGE_E_INTERNAL;
				}
				last = seq;
			}
		}
		if (rc != WAGE_OK) {
			/* Never convert by dropping what was recorded. */
			log_warnx("%s: case %s has a step without its audit "
			          "seq, or seqs out of order",
			    __func__, id);
			json_decref(doc);
			break;
		}
		*nsteps += json_array_size(json_object_get(doc, "steps"));
		rc = caserec_save(txn, doc, NULL);
		json_decref(doc);
		(*ncases)++;
	}
	json_decref(ids);
	if (rc == WAGE_OK) {
		rc = store_meta_put(txn, "case_format", &f, 1);
	}
	return (rc);
}

/* ---- index version ---------------------------------------------------- */

/* index_one writes the index entries of case id (doc, a decoded head). */
static int
index_one(struct store_txn *txn, const char *id, const json_t *doc)
{
	struct case_keys ck;
	json_t          *sum  = caserec_summary(doc);
	char            *text = sum != NULL ? json_dumps(sum, JSON_COMPACT)
	                                    : NULL;
	int              i, rc = text != NULL ? WAGE_OK : WAGE_E_INTERNAL;

	json_decref(sum);
	case_keys(id, doc, &ck);
	for (i = 0; i < ck.n && rc == WAGE_OK; i++) {
		if (ck.dbs[i] == DB_BY_CREDIT || ck.dbs[i] == DB_BY_GC) {
			rc = store_put(
			    txn, ck.dbs[i], ck.keys[i], ck.lens[i], "", 0);
		} else {
			rc = store_put(txn, ck.dbs[i], ck.keys[i], ck.lens[i],
			    text, strlen(text));
		}
	}
	free(text);
	return (rc);
}

int
caserec_reindex(struct store_txn *txn, size_t *ncases)
{
	json_t                    *ids, *idv, *doc;
	MDB_val                    v, have;
	const char                *id;
	char                       ver = '0' + CASEREC_INDEX_VERSION;
	size_t                     i;
	int                        rc;

	*ncases = 0;
	rc      = store_meta_get(txn, "index_version", &have);
	if (rc == WAGE_OK && have.mv_size == 1 &&
	    ((const char *) have.mv_data)[0] == ver) {
		return (WAGE_OK);
	}
	if (rc != WAGE_OK && rc != WAGE_E_NOT_FOUND) {
		return (rc);
	}
	if ((rc = indexes_emptied(txn, &ids)) != WAGE_OK) {
		return (rc);
	}
	json_array_foreach (ids, i, idv) {
		if (rc != WAGE_OK) {
			break;
		}
		id = json_string_value(idv);
		if ((rc = store_get(txn, DB_CASES, id, strlen(id), &v)) !=
		        WAGE_OK ||
		    (rc = caserec_decode(id, v.mv_data, v.mv_size, &doc,
		         NULL)) != WAGE_OK) {
			break;
		}
		rc = index_one(txn, id, doc);
		json_decref(doc);
		(*ncases)++;
	}
	json_decref(ids);
	if (rc == WAGE_OK) {
		rc = store_meta_put(txn, "index_version", &ver, 1);
	}
	return (rc);
}
