/* SPDX-License-Identifier: MIT */
/*
 * test_casecache.c - unit tests of server/casecache.c: the NULL cache that
 * keeps nothing, hits only on the very same bytes for the same id, one
 * entry per id, casecache_put and the document it hands back, eviction in
 * a one-slot cache, bytes that do not decode, the steps and views kept
 * with an entry (and dropped with it), and four threads hammering a small
 * cache (run under ASan/UBSan with `make SANITIZE=1 unit`).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "casecache.h"
#include "wage/protocol.h"

#define ID1 "WA2026-000001"
#define ID2 "WA2026-000002"
#define REV1                                                             \
	"{\"id\":\"WA2026-000001\",\"state\":\"intake\",\"revision\":1," \
	"\"steps\":[]}"
#define REV2                                                                \
	"{\"id\":\"WA2026-000001\",\"state\":\"mediation\",\"revision\":2," \
	"\"steps\":[{\"seq\":2,\"event\":\"accept\"}]}"
#define OTHER                                                            \
	"{\"id\":\"WA2026-000002\",\"state\":\"intake\",\"revision\":7," \
	"\"steps\":[]}"

static json_int_t
revision(const json_t *doc)
{
	return (json_integer_value(json_object_get(doc, "revision")));
}

static const char *
jid(const json_t *doc)
{
	return (json_string_value(json_object_get(doc, "id")));
}

static void
want_stats(const struct casecache *c, unsigned long hits, unsigned long all)
{
	unsigned long h = 99, a = 99;

	casecache_stats(c, &h, &a);
	assert_int_equal(h, hits);
	assert_int_equal(a, all);
}

/* ---- tests ---------------------------------------------------------- */

static void
test_casecache_null_cache_decodes_fresh(void **state)
{
	struct casecache *c = casecache_new(0);
	json_t           *a, *b, *doc, *ev;

	(void) state;
	assert_null(c);
	a = casecache_get(NULL, ID1, REV1, strlen(REV1));
	b = casecache_get(NULL, ID1, REV1, strlen(REV1));
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_true(json_equal(a, b));
	assert_int_equal(revision(a), 1);
	/* Nobody else holds them. */
	assert_int_equal(a->refcount, 1);
	assert_int_equal(b->refcount, 1);
	want_stats(NULL, 0, 0);

	/* A put into no cache keeps nothing and takes no reference. */
	doc = json_pack("{s:s, s:i}", "id", ID1, "revision", 1);
	ev  = (json_t *) 0x1;
	casecache_put(NULL, ID1, REV1, strlen(REV1), doc, &ev);
	assert_null(ev);
	assert_int_equal(doc->refcount, 1);
	json_decref(a);
	a = casecache_get(NULL, ID1, REV1, strlen(REV1));
	assert_ptr_not_equal(a, doc);
	want_stats(NULL, 0, 0);
	casecache_free(NULL); /* allowed */
	json_decref(doc);
	json_decref(a);
	json_decref(b);
}

static void
test_casecache_same_bytes_hit(void **state)
{
	struct casecache *c      = casecache_new(16);
	char              copy[] = REV1;
	json_t           *a, *b;

	(void) state;
	assert_non_null(c);
	want_stats(c, 0, 0);
	a = casecache_get(c, ID1, REV1, strlen(REV1));
	assert_non_null(a);
	want_stats(c, 0, 1);
	/* Equal bytes in another buffer: the very same document. */
	b = casecache_get(c, ID1, copy, strlen(copy));
	assert_ptr_equal(a, b);
	want_stats(c, 1, 2);
	/* The cache's reference and the two handed out. */
	assert_int_equal(a->refcount, 3);
	assert_int_equal(revision(a), 1);
	assert_string_equal(jid(a), ID1);
	json_decref(a);
	json_decref(b);
	assert_int_equal(a->refcount, 1); /* the cache still has it */
	casecache_free(c);
}

static void
test_casecache_new_bytes_new_document(void **state)
{
	struct casecache *c = casecache_new(16);
	json_t           *a, *b, *d;

	(void) state;
	a = casecache_get(c, ID1, REV1, strlen(REV1));
	assert_int_equal(revision(a), 1);
	/* Revision 2 is stored: never the old document. */
	b = casecache_get(c, ID1, REV2, strlen(REV2));
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_int_equal(revision(b), 2);
	assert_string_equal(
	    json_string_value(json_object_get(b, "state")), "mediation");
	assert_int_equal(json_array_size(json_object_get(b, "steps")), 1);
	want_stats(c, 0, 2);
	/* The cache let go of revision 1: we hold the last reference. */
	assert_int_equal(a->refcount, 1);
	/* One entry per id: revision 1 again is decoded again. */
	d = casecache_get(c, ID1, REV1, strlen(REV1));
	assert_ptr_not_equal(d, a);
	assert_ptr_not_equal(d, b);
	assert_int_equal(revision(d), 1);
	want_stats(c, 0, 3);
	json_decref(d);
	/* And now revision 2 is not there any more. */
	d = casecache_get(c, ID1, REV2, strlen(REV2));
	assert_ptr_not_equal(d, b);
	assert_int_equal(revision(d), 2);
	want_stats(c, 0, 4);
	json_decref(d);
	json_decref(a);
	json_decref(b);
	casecache_free(c);
}

static void
test_casecache_length_and_id_must_match(void **state)
{
	static const char longer[] = REV1 " "; /* still valid JSON */
	struct casecache *c        = casecache_new(16);
	struct casecache *one      = casecache_new(1);
	json_t           *a, *b;

	(void) state;
	a = casecache_get(c, ID1, REV1, strlen(REV1));
	/* The same bytes and one more: no hit, though they start alike. */
	b = casecache_get(c, ID1, longer, strlen(longer));
	assert_ptr_not_equal(a, b);
	assert_true(json_equal(a, b));
	want_stats(c, 0, 2);
	json_decref(a);
	/* Now the entry holds the longer bytes: a prefix of them is not a
	 * hit either. */
	a = casecache_get(c, ID1, longer, strlen(longer) - 1);
	assert_ptr_not_equal(a, b);
	want_stats(c, 0, 3);
	json_decref(a);
	json_decref(b);

	/* The same bytes under another id (one slot for both): a miss. */
	a = casecache_get(one, ID2, REV1, strlen(REV1));
	b = casecache_get(one, ID1, REV1, strlen(REV1));
	assert_ptr_not_equal(a, b);
	want_stats(one, 0, 2);
	json_decref(a);
	json_decref(b);
	casecache_free(one);
	casecache_free(c);
}

static void
test_casecache_put_then_get(void **state)
{
	struct casecache *c       = casecache_new(64);
	char              bytes[] = REV1;
	json_t           *doc, *got;

	(void) state;
	/* A document built by the writer, kept as the decoding of REV1. */
	doc = json_loads(REV1, 0, NULL);
	assert_non_null(doc);
	casecache_put(c, ID1, bytes, strlen(bytes), doc, NULL);
	assert_int_equal(doc->refcount, 2);
	/* The cache copied the bytes: changing ours changes nothing. */
	memset(bytes, 'x', strlen(bytes));
	got = casecache_get(c, ID1, REV1, strlen(REV1));
	assert_ptr_equal(got, doc);
	want_stats(c, 1, 1);
	json_decref(got);

	/* One byte different (the id's last digit): decoded, not doc. */
	memcpy(bytes, REV1, sizeof(bytes));
	*strchr(bytes, '1') = '9'; /* WA2026-000001 -> ...09 */
	got                 = casecache_get(c, ID1, bytes, strlen(bytes));
	assert_non_null(got);
	assert_ptr_not_equal(got, doc);
	assert_string_equal(jid(got), "WA2026-000009");
	want_stats(c, 1, 2);
	json_decref(got);
	/* That miss replaced the entry: the cache let go of doc. */
	assert_int_equal(doc->refcount, 1);
	json_decref(doc);
	casecache_free(c);
}

static void
test_casecache_put_hands_back_evicted(void **state)
{
	struct casecache *c = casecache_new(64);
	json_t           *d1, *d2, *d3, *ev, *got;

	(void) state;
	d1 = json_loads(REV1, 0, NULL);
	d2 = json_loads(REV2, 0, NULL);
	d3 = json_loads(REV1, 0, NULL);

	/* An empty slot: nothing to hand back. */
	ev = (json_t *) 0x1;
	casecache_put(c, ID1, REV1, strlen(REV1), d1, &ev);
	assert_null(ev);
	assert_int_equal(d1->refcount, 2);

	/* Replacing d1: it comes back, still counted for the caller. */
	casecache_put(c, ID1, REV2, strlen(REV2), d2, &ev);
	assert_ptr_equal(ev, d1);
	assert_int_equal(d1->refcount, 2);
	json_decref(ev);
	assert_int_equal(d1->refcount, 1);
	assert_int_equal(d2->refcount, 2);
	got = casecache_get(c, ID1, REV2, strlen(REV2));
	assert_ptr_equal(got, d2);
	json_decref(got);

	/* Without the out-parameter the cache releases it itself. */
	casecache_put(c, ID1, REV1, strlen(REV1), d3, NULL);
	assert_int_equal(d2->refcount, 1);
	assert_int_equal(d3->refcount, 2);

	/* Putting the document already there hands it back too. */
	casecache_put(c, ID1, REV1, strlen(REV1), d3, &ev);
	assert_ptr_equal(ev, d3);
	assert_int_equal(d3->refcount, 3);
	json_decref(ev);

	/* A NULL document is not kept, and the entry stays. */
	ev = (json_t *) 0x1;
	casecache_put(c, ID1, REV2, strlen(REV2), NULL, &ev);
	assert_null(ev);
	got = casecache_get(c, ID1, REV1, strlen(REV1));
	assert_ptr_equal(got, d3);
	json_decref(got);

	json_decref(d1);
	json_decref(d2);
	casecache_free(c);
	assert_int_equal(d3->refcount, 1);
	json_decref(d3);
}

static void
test_casecache_long_id_not_kept(void **state)
{
	struct casecache *c = casecache_new(4);
	char              id[WAGE_CASE_ID_MAX + 2];
	json_t           *doc, *ev, *a, *b;

	(void) state;
	memset(id, '7', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0'; /* one byte over the limit */
	doc                = json_loads(REV1, 0, NULL);
	ev                 = (json_t *) 0x1;
	casecache_put(c, id, REV1, strlen(REV1), doc, &ev);
	assert_null(ev);
	assert_int_equal(doc->refcount, 1);
	/* Still decoded, just not kept. */
	a = casecache_get(c, id, REV1, strlen(REV1));
	b = casecache_get(c, id, REV1, strlen(REV1));
	assert_non_null(a);
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(a, doc);
	assert_int_equal(a->refcount, 1);
	json_decref(a);
	json_decref(b);
	/* At the limit it is kept. */
	id[WAGE_CASE_ID_MAX] = '\0';
	a                    = casecache_get(c, id, REV1, strlen(REV1));
	b                    = casecache_get(c, id, REV1, strlen(REV1));
	assert_ptr_equal(a, b);
	json_decref(a);
	json_decref(b);
	json_decref(doc);
	casecache_free(c);
}

static void
test_casecache_one_slot_evicts(void **state)
{
	struct casecache *c = casecache_new(1);
	json_t           *a, *b;
	int               i;

	(void) state;
	assert_non_null(c);
	for (i = 0; i < 3; i++) {
		a = casecache_get(c, ID1, REV1, strlen(REV1));
		assert_non_null(a);
		assert_string_equal(jid(a), ID1);
		assert_int_equal(revision(a), 1);
		/* The other case took the only slot: a is ours alone. */
		b = casecache_get(c, ID2, OTHER, strlen(OTHER));
		assert_non_null(b);
		assert_string_equal(jid(b), ID2);
		assert_int_equal(revision(b), 7);
		assert_int_equal(a->refcount, 1);
		assert_int_equal(b->refcount, 2);
		json_decref(a);
		json_decref(b);
	}
	want_stats(c, 0, 6);
	/* Twice the same in a row does hit. */
	a = casecache_get(c, ID2, OTHER, strlen(OTHER));
	assert_int_equal(revision(a), 7);
	json_decref(a);
	want_stats(c, 1, 7);
	casecache_free(c);
}

static void
test_casecache_not_json(void **state)
{
	static const char bad[] = "{\"id\":\"WA2026-000001\",\"revision\":";
	static const char two[] = "{} {}";
	struct casecache *c     = casecache_new(16);
	json_t           *a, *b;

	(void) state;
	assert_null(casecache_get(c, ID1, bad, strlen(bad)));
	assert_null(casecache_get(c, ID1, two, strlen(two)));
	assert_null(casecache_get(c, ID1, "", 0));
	assert_null(casecache_get(NULL, ID1, bad, strlen(bad)));
	/* A good decoding, then bad bytes: NULL, not the old document. */
	a = casecache_get(c, ID1, REV1, strlen(REV1));
	assert_non_null(a);
	assert_null(casecache_get(c, ID1, bad, strlen(bad)));
	/* The bad bytes did not take the entry. */
	b = casecache_get(c, ID1, REV1, strlen(REV1));
	assert_ptr_equal(a, b);
	json_decref(a);
	json_decref(b);
	casecache_free(c);
}

static void
test_casecache_steps_kept_with_entry(void **state)
{
	struct casecache *c = casecache_new(16);
	json_t           *d1, *d2, *other;
	char             *t;
	size_t            n = 0;

	(void) state;
	d2    = casecache_get(c, ID1, REV2, strlen(REV2));
	other = json_loads(REV1, 0, NULL);
	/* Encoded from the document now, and kept for these bytes. */
	t = casecache_steps(c, ID1, REV2, strlen(REV2), d2, &n);
	assert_string_equal(t, "[{\"seq\":2,\"event\":\"accept\"}]");
	assert_int_equal(n, strlen(t));
	free(t);
	t = casecache_steps(c, ID1, REV2, strlen(REV2), other, &n);
	assert_string_equal(t, "[{\"seq\":2,\"event\":\"accept\"}]");
	free(t);
	/* A write keeps the steps it stored. */
	casecache_keep_steps(c, ID1, REV2, strlen(REV2), "[1]", 3);
	t = casecache_steps(c, ID1, REV2, strlen(REV2), d2, &n);
	assert_string_equal(t, "[1]");
	assert_int_equal(n, 3);
	free(t);
	/* Other bytes: encoded from the document given, and not kept. */
	t = casecache_steps(c, ID1, REV1, strlen(REV1), other, &n);
	assert_string_equal(t, "[]");
	free(t);
	casecache_keep_steps(c, ID1, REV1, strlen(REV1), "[2]", 3);
	t = casecache_steps(c, ID1, REV2, strlen(REV2), d2, &n);
	assert_string_equal(t, "[1]");
	free(t);
	/* A new decoding for the id drops what was kept with the old. */
	d1 = casecache_get(c, ID1, REV1, strlen(REV1));
	t  = casecache_steps(c, ID1, REV2, strlen(REV2), d2, &n);
	assert_string_equal(t, "[{\"seq\":2,\"event\":\"accept\"}]");
	free(t);
	t = casecache_steps(c, ID1, REV1, strlen(REV1), d1, &n);
	assert_string_equal(t, "[]");
	free(t);
	/* No cache: encoded each time. */
	t = casecache_steps(NULL, ID1, REV2, strlen(REV2), d2, &n);
	assert_string_equal(t, "[{\"seq\":2,\"event\":\"accept\"}]");
	free(t);
	casecache_keep_steps(NULL, ID1, REV2, strlen(REV2), "[1]", 3);
	json_decref(d1);
	json_decref(d2);
	json_decref(other);
	casecache_free(c);
}

/* The view kept under key for the entry of raw, or NULL (freed here). */
static void
want_view(struct casecache *c, const char *raw, int key, const char *want)
{
	size_t n = 0;
	char  *t = casecache_view(c, ID1, raw, strlen(raw), key, &n);

	if (want == NULL) {
		assert_null(t);
		return;
	}
	assert_non_null(t);
	assert_string_equal(t, want);
	assert_int_equal(n, strlen(want));
	t[0] = '#'; /* a copy: ours to change */
	free(t);
}

static void
keep_view(struct casecache *c, const char *raw, int key, const char *text)
{
	casecache_keep_view(c, ID1, raw, strlen(raw), key, text, strlen(text));
}

static void
test_casecache_views_kept_per_key(void **state)
{
	struct casecache *c = casecache_new(16);
	json_t           *d, *d2;

	(void) state;
	want_view(NULL, REV1, 5, NULL);
	keep_view(NULL, REV1, 5, "five");
	/* Nothing for a case that is not cached. */
	keep_view(c, REV1, 5, "five");
	want_view(c, REV1, 5, NULL);

	d = casecache_get(c, ID1, REV1, strlen(REV1));
	want_view(c, REV1, 5, NULL);
	keep_view(c, REV1, 5, "five");
	want_view(c, REV1, 5, "five");
	want_view(c, REV1, 5, "five"); /* the copy changed, not the kept */
	want_view(c, REV1, 6, NULL);
	/* Key 0 is never kept nor found. */
	keep_view(c, REV1, 0, "zero");
	want_view(c, REV1, 0, NULL);
	/* Only for the very bytes of the entry. */
	want_view(c, REV2, 5, NULL);
	keep_view(c, REV2, 6, "six of rev 2");
	want_view(c, REV1, 6, NULL);

	/* Four kept; a fifth lets the oldest go. */
	keep_view(c, REV1, 6, "six");
	keep_view(c, REV1, 7, "seven");
	keep_view(c, REV1, 8, "eight");
	keep_view(c, REV1, 9, "nine");
	want_view(c, REV1, 5, NULL);
	want_view(c, REV1, 6, "six");
	want_view(c, REV1, 9, "nine");
	/* Keeping a key again replaces its text in place. */
	keep_view(c, REV1, 7, "seven again");
	want_view(c, REV1, 7, "seven again");
	want_view(c, REV1, 8, "eight");

	/* A write's put drops every view of the replaced entry... */
	d2 = json_loads(REV2, 0, NULL);
	casecache_put(c, ID1, REV2, strlen(REV2), d2, NULL);
	want_view(c, REV1, 7, NULL);
	want_view(c, REV2, 7, NULL);
	keep_view(c, REV2, 7, "seven of rev 2");
	want_view(c, REV2, 7, "seven of rev 2");
	/* ...and so does a lookup of other bytes that decodes again. */
	json_decref(d);
	d = casecache_get(c, ID1, REV1, strlen(REV1));
	want_view(c, REV1, 7, NULL);
	want_view(c, REV2, 7, NULL);
	/* Putting the same bytes again drops them too. */
	keep_view(c, REV1, 7, "seven");
	casecache_put(c, ID1, REV1, strlen(REV1), d, NULL);
	want_view(c, REV1, 7, NULL);
	json_decref(d);
	json_decref(d2);
	casecache_free(c); /* frees kept texts (ASan's leak check) */
}

/* ---- threads -------------------------------------------------------- */

#define NTHREADS 4
#define NOPS     20000
#define NIDS     8

struct worker {
	pthread_t         t;
	struct casecache *c;
	unsigned          seed;
	int               bad; /* documents that did not match the bytes */
	int               null;
};

static char texts[NIDS][2][512];
static char ids[NIDS][WAGE_CASE_ID_MAX + 1];
/* The steps of every text of revision v + 1. */
static const char *const steps[2] = { "[]", "[{\"seq\":1}]" };

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	json_t        *doc, *ev, *got;
	const char    *t;
	char          *s;
	size_t         n;
	unsigned       x = w->seed;
	int            i, k, v;

	for (i = 0; i < NOPS; i++) {
		x = x * 1103515245u + 12345u; /* any thread's own order */
		k = (int) ((x >> 8) % NIDS);
		v = (int) ((x >> 16) & 1);
		t = texts[k][v];
		if ((x >> 20) % 4 == 0) {
			/* A writer's put, half with the out-parameter. */
			if ((doc = json_loads(t, 0, NULL)) == NULL) {
				w->null++;
				continue;
			}
			if ((x >> 24) & 1) {
				casecache_put(
				    w->c, ids[k], t, strlen(t), doc, &ev);
				json_decref(ev);
			} else {
				casecache_put(
				    w->c, ids[k], t, strlen(t), doc, NULL);
			}
			json_decref(doc);
			continue;
		}
		if ((got = casecache_get(w->c, ids[k], t, strlen(t))) ==
		    NULL) {
			w->null++;
			continue;
		}
		if (revision(got) != v + 1 || jid(got) == NULL ||
		    strcmp(jid(got), ids[k]) != 0) {
			w->bad++;
		}
		/* What is kept with the entry belongs to these bytes. */
		if ((x >> 24) % 3 == 0) {
			s = casecache_steps(
			    w->c, ids[k], t, strlen(t), got, &n);
			if (s == NULL || strcmp(s, steps[v]) != 0 ||
			    n != strlen(steps[v])) {
				w->bad++;
			}
			free(s);
		} else if ((x >> 24) % 3 == 1) {
			s = casecache_view(w->c, ids[k], t, strlen(t), 7, &n);
			if (s == NULL) {
				casecache_keep_view(w->c, ids[k], t, strlen(t),
				    7, t, strlen(t));
			} else if (strcmp(s, t) != 0 || n != strlen(t)) {
				w->bad++;
			}
			free(s);
		}
		json_decref(got);
	}
	return (NULL);
}

static void
test_casecache_threads(void **state)
{
	struct casecache *c = casecache_new(4);
	struct worker     w[NTHREADS];
	unsigned long     hits, all;
	int               i, k, v;

	(void) state;
	assert_non_null(c);
	for (k = 0; k < NIDS; k++) {
		snprintf(ids[k], sizeof(ids[k]), "WA2026-%06d", k + 1);
		for (v = 0; v < 2; v++) {
			snprintf(texts[k][v], sizeof(texts[k][v]),
			    "{\"id\":\"%s\",\"revision\":%d,\"steps\":[%s]}",
			    ids[k], v + 1, v == 0 ? "" : "{\"seq\":1}");
			assert_non_null(strstr(texts[k][v], steps[v]));
		}
	}
	for (i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].c    = c;
		w[i].seed = 0x9e3779b9u * (unsigned) (i + 1);
		assert_int_equal(
		    pthread_create(&w[i].t, NULL, worker_main, &w[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(pthread_join(w[i].t, NULL), 0);
	}
	for (i = 0; i < NTHREADS; i++) {
		assert_int_equal(w[i].bad, 0);
		assert_int_equal(w[i].null, 0);
	}
	casecache_stats(c, &hits, &all);
	assert_true(all > 0 && all <= (unsigned long) NTHREADS * NOPS);
	assert_true(hits <= all);
	casecache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_casecache_null_cache_decodes_fresh),
		cmocka_unit_test(test_casecache_same_bytes_hit),
		cmocka_unit_test(test_casecache_new_bytes_new_document),
		cmocka_unit_test(test_casecache_length_and_id_must_match),
		cmocka_unit_test(test_casecache_put_then_get),
		cmocka_unit_test(test_casecache_put_hands_back_evicted),
		cmocka_unit_test(test_casecache_long_id_not_kept),
		cmocka_unit_test(test_casecache_one_slot_evicts),
		cmocka_unit_test(test_casecache_not_json),
		cmocka_unit_test(test_casecache_steps_kept_with_entry),
		cmocka_unit_test(test_casecache_views_kept_per_key),
		cmocka_unit_test(test_casecache_threads),
	};

	return (cmocka_run_group_tests_name("casecache", tests, NULL, NULL));
}
