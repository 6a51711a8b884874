/* SPDX-License-Identifier: MIT */
/*
 * test_casecache.c - unit tests of server/casecache.c on real case heads
 * made by caserec_encode: the NULL cache that keeps nothing, hits only on
 * the same id and revision, a later revision replacing an earlier one and
 * never the other way round, casecache_put, heads that do not decode or
 * whose header names another revision, ids too long to keep, one slot
 * shared by two cases, the views kept per key with an entry (and dropped
 * when its revision changes), and four threads getting, putting and
 * keeping views of overlapping cases in a small cache (run under
 * ASan/UBSan with `make SANITIZE=1`).
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
#include "caserec.h"
#include "wage/protocol.h"

#define ID1 "WA2026-000001"
#define ID2 "WA2026-000002"

/* A stored head of a case at a revision (caserec_encode's). */
struct head {
	char  *p;
	size_t n;
};

/* head_of: the head of a case at rev in state (the id is the key's,
 * not part of the head). */
static struct head
head_of(uint64_t rev, const char *state)
{
	struct caserec_enc e;
	struct head        h;
	json_t            *doc;

	doc = json_pack("{s:s, s:I, s:s, s:s, s:[{s:s}]}", "id", "ignored",
	    "revision", (json_int_t) rev, "state", state, "region", "370102",
	    "claimants", "name", "李建国");
	assert_non_null(doc);
	assert_int_equal(caserec_encode(doc, NULL, &e, NULL), WAGE_OK);
	json_decref(doc);
	h.p    = e.head;
	h.n    = e.headlen;
	e.head = NULL;
	caserec_enc_fini(&e);
	return (h);
}

static void
head_free(struct head *h)
{
	free(h->p);
	h->p = NULL;
}

static json_t *
get(struct casecache *c, const char *id, uint64_t rev, const struct head *h)
{
	return (casecache_get(c, id, rev, h->p, h->n));
}

static json_int_t
revision(const json_t *doc)
{
	return (json_integer_value(json_object_get(doc, "revision")));
}

static const char *
jstr(const json_t *doc, const char *k)
{
	return (json_string_value(json_object_get(doc, k)));
}

static void
want_stats(const struct casecache *c, unsigned long hits, unsigned long all)
{
	unsigned long h = 99, a = 99;

	casecache_stats(c, &h, &a);
	assert_int_equal(h, hits);
	assert_int_equal(a, all);
}

/* The view kept under key for id at rev, or none (want NULL). */
static void
want_view(struct casecache *c, const char *id, uint64_t rev, int key,
    const char *want)
{
	size_t n = 0;
	char  *t = casecache_view(c, id, rev, key, &n);

	if (want == NULL) {
		if (t != NULL) {
			fail_msg("%s rev %d key %d: a view %s, want none", id,
			    (int) rev, key, t);
		}
		return;
	}
	if (t == NULL) {
		fail_msg("%s rev %d key %d: no view, want %s", id, (int) rev,
		    key, want);
	}
	assert_string_equal(t, want);
	assert_int_equal(n, strlen(want));
	t[0] = '#'; /* a copy: ours to change */
	free(t);
}

static void
keep_view(struct casecache *c, const char *id, uint64_t rev, int key,
    const char *text)
{
	casecache_keep_view(c, id, rev, key, text, strlen(text));
}

/* ---- tests ---------------------------------------------------------- */

static void
test_casecache_null_cache_decodes_fresh(void **state)
{
	struct head h1 = head_of(1, "intake");
	json_t     *a, *b, *doc;

	(void) state;
	assert_null(casecache_new(0));
	a = get(NULL, ID1, 1, &h1);
	b = get(NULL, ID1, 1, &h1);
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_true(json_equal(a, b));
	/* The id from the key, the revision from the header. */
	assert_string_equal(jstr(a, "id"), ID1);
	assert_int_equal(revision(a), 1);
	assert_string_equal(jstr(a, "state"), "intake");
	/* Nobody else holds them. */
	assert_int_equal(a->refcount, 1);
	assert_int_equal(b->refcount, 1);
	want_stats(NULL, 0, 0);

	/* A put into no cache keeps nothing and takes no reference. */
	doc = json_pack("{s:s, s:i}", "id", ID1, "revision", 1);
	casecache_put(NULL, ID1, 1, doc, NULL);
	assert_int_equal(doc->refcount, 1);
	json_decref(a);
	a = get(NULL, ID1, 1, &h1);
	assert_ptr_not_equal(a, doc);
	/* Nor views. */
	keep_view(NULL, ID1, 1, 5, "five");
	want_view(NULL, ID1, 1, 5, NULL);
	want_stats(NULL, 0, 0);
	casecache_free(NULL); /* allowed */
	json_decref(doc);
	json_decref(a);
	json_decref(b);
	head_free(&h1);
}

static void
test_casecache_same_id_and_revision_hit(void **state)
{
	struct casecache *c  = casecache_new(16);
	struct head       h1 = head_of(1, "intake");
	struct head       h2 = head_of(2, "mediation");
	json_t           *a, *b, *d;

	(void) state;
	assert_non_null(c);
	want_stats(c, 0, 0);
	a = get(c, ID1, 1, &h1);
	assert_non_null(a);
	want_stats(c, 0, 1);
	/* The same id and revision: the very same document. */
	b = get(c, ID1, 1, &h1);
	assert_ptr_equal(a, b);
	want_stats(c, 1, 2);
	/* The cache's reference and the two handed out. */
	assert_int_equal(a->refcount, 3);
	json_decref(b);
	/* A hit does not look at the bytes: (id, revision) names one
	 * committed document (casecache.h). */
	b = get(c, ID1, 1, &h2);
	assert_ptr_equal(a, b);
	want_stats(c, 2, 3);
	json_decref(b);
	/* Another id at the same revision: not a hit. */
	d = get(c, ID2, 1, &h1);
	assert_ptr_not_equal(d, a);
	assert_string_equal(jstr(d, "id"), ID2);
	want_stats(c, 2, 4);
	json_decref(d);
	/* The same id at another revision: not a hit. */
	d = get(c, ID1, 2, &h2);
	assert_ptr_not_equal(d, a);
	assert_int_equal(revision(d), 2);
	want_stats(c, 2, 5);
	json_decref(d);
	json_decref(a);
	casecache_free(c);
	head_free(&h1);
	head_free(&h2);
}

static void
test_casecache_later_revision_wins(void **state)
{
	struct casecache *c  = casecache_new(16);
	struct head       h1 = head_of(1, "intake");
	struct head       h2 = head_of(2, "mediation");
	struct head       h3 = head_of(3, "arbitration");
	json_t           *a, *b, *d, *doc;

	(void) state;
	a = get(c, ID1, 1, &h1);
	assert_int_equal(a->refcount, 2);
	/* Revision 2 read: it replaces revision 1, which we now hold
	 * alone. */
	b = get(c, ID1, 2, &h2);
	assert_ptr_not_equal(a, b);
	assert_int_equal(revision(b), 2);
	assert_string_equal(jstr(b, "state"), "mediation");
	assert_int_equal(a->refcount, 1);
	assert_int_equal(b->refcount, 2);
	/* A reader still at revision 1 (an older txn) gets revision 1,
	 * decoded, and it does not take the entry from revision 2. */
	d = get(c, ID1, 1, &h1);
	assert_ptr_not_equal(d, a);
	assert_int_equal(revision(d), 1);
	assert_string_equal(jstr(d, "state"), "intake");
	assert_int_equal(d->refcount, 1);
	json_decref(d);
	want_stats(c, 0, 3);
	d = get(c, ID1, 2, &h2);
	assert_ptr_equal(d, b);
	want_stats(c, 1, 4);
	json_decref(d);
	/* Nor does a put of revision 1. */
	casecache_put(c, ID1, 1, a, NULL);
	assert_int_equal(a->refcount, 1);
	d = get(c, ID1, 2, &h2);
	assert_ptr_equal(d, b);
	json_decref(d);
	/* A put of revision 3 replaces it. */
	doc = json_pack(
	    "{s:s, s:i, s:s}", "id", ID1, "revision", 3, "state", "written");
	casecache_put(c, ID1, 3, doc, NULL);
	assert_int_equal(doc->refcount, 2);
	assert_int_equal(b->refcount, 1);
	d = get(c, ID1, 3, &h3);
	assert_ptr_equal(d, doc);
	json_decref(d);
	/* And revision 2 is no longer answered from the cache. */
	d = get(c, ID1, 2, &h2);
	assert_ptr_not_equal(d, b);
	assert_true(json_equal(d, b));
	json_decref(d);
	want_stats(c, 3, 7);
	json_decref(a);
	json_decref(b);
	casecache_free(c);
	/* The cache let go of its reference. */
	assert_int_equal(doc->refcount, 1);
	json_decref(doc);
	head_free(&h1);
	head_free(&h2);
	head_free(&h3);
}

static void
test_casecache_put_then_get(void **state)
{
	struct casecache *c  = casecache_new(64);
	struct head       h1 = head_of(1, "intake");
	json_t           *doc, *other, *got;

	(void) state;
	/* The writer's document after the commit. */
	doc = json_pack(
	    "{s:s, s:i, s:s}", "id", ID1, "revision", 1, "state", "intake");
	casecache_put(c, ID1, 1, doc, NULL);
	assert_int_equal(doc->refcount, 2);
	got = get(c, ID1, 1, &h1);
	assert_ptr_equal(got, doc);
	want_stats(c, 1, 1);
	json_decref(got);
	/* Another document of the same revision does not replace it: the
	 * first is kept (with its views). */
	keep_view(c, ID1, 1, 3, "three");
	other = json_deep_copy(doc);
	casecache_put(c, ID1, 1, other, NULL);
	assert_int_equal(other->refcount, 1);
	got = get(c, ID1, 1, &h1);
	assert_ptr_equal(got, doc);
	json_decref(got);
	want_view(c, ID1, 1, 3, "three");
	/* NULL is not kept, and the entry stays. */
	casecache_put(c, ID1, 2, NULL, NULL);
	got = get(c, ID1, 1, &h1);
	assert_ptr_equal(got, doc);
	json_decref(got);
	json_decref(other);
	casecache_free(c);
	assert_int_equal(doc->refcount, 1);
	json_decref(doc);
	head_free(&h1);
}

static void
test_casecache_head_does_not_decode(void **state)
{
	static const char f1[] = "{\"id\":\"WA2026-000001\",\"revision\":2}";
	struct casecache *c    = casecache_new(16);
	struct head       h1   = head_of(1, "intake");
	struct head       h2   = head_of(2, "mediation");
	json_t           *a, *b;
	char              cut[64];

	(void) state;
	a = get(c, ID1, 1, &h1);
	assert_non_null(a);
	/* Revision 2 stored as bytes that are no head: NULL, from a cache
	 * or from none, and the entry of revision 1 stays. */
	assert_null(casecache_get(c, ID1, 2, f1, strlen(f1)));
	assert_null(casecache_get(NULL, ID1, 2, f1, strlen(f1)));
	assert_null(casecache_get(c, ID1, 2, h2.p, CASEREC_HDR - 1));
	assert_null(casecache_get(c, ID1, 2, "", 0));
	/* The header of revision 2, its JSON cut short. */
	memcpy(cut, h2.p, CASEREC_HDR + 5);
	assert_null(casecache_get(c, ID1, 2, cut, CASEREC_HDR + 5));
	assert_null(casecache_get(NULL, ID1, 2, cut, CASEREC_HDR + 5));
	b = get(c, ID1, 1, &h1);
	assert_ptr_equal(a, b);
	json_decref(b);
	/* Nothing was kept for revision 2: the good head decodes now. */
	b = get(c, ID1, 2, &h2);
	assert_non_null(b);
	assert_string_equal(jstr(b, "state"), "mediation");
	json_decref(b);
	want_stats(c, 1, 7);
	json_decref(a);
	casecache_free(c);
	head_free(&h1);
	head_free(&h2);
}

static void
test_casecache_revision_mismatch(void **state)
{
	struct casecache *c  = casecache_new(16);
	struct head       h1 = head_of(1, "intake");
	struct head       h2 = head_of(2, "mediation");
	json_t           *a, *b;

	(void) state;
	a = get(c, ID1, 1, &h1);
	/* The caller says revision 3, the head says 2: NULL, and nothing
	 * is kept under either. */
	assert_null(get(c, ID1, 3, &h2));
	assert_null(get(NULL, ID1, 3, &h2));
	/* The entry of revision 1 is still there... */
	b = get(c, ID1, 1, &h1);
	assert_ptr_equal(a, b);
	json_decref(b);
	/* ...and a miss is checked, whatever the id. */
	assert_null(get(c, ID2, 1, &h2));
	assert_null(get(c, ID1, 0, &h1));
	want_view(c, ID1, 3, 1, NULL);
	want_view(c, ID1, 2, 1, NULL);
	b = get(c, ID1, 2, &h2);
	assert_int_equal(revision(b), 2);
	json_decref(b);
	b = get(c, ID2, 2, &h2);
	assert_int_equal(revision(b), 2);
	assert_string_equal(jstr(b, "id"), ID2);
	json_decref(b);
	json_decref(a);
	casecache_free(c);
	head_free(&h1);
	head_free(&h2);
}

static void
test_casecache_long_id_not_kept(void **state)
{
	struct casecache *c  = casecache_new(4);
	struct head       h1 = head_of(1, "intake");
	char              id[WAGE_CASE_ID_MAX + 2];
	json_t           *doc, *a, *b;

	(void) state;
	memset(id, '7', sizeof(id) - 1);
	id[sizeof(id) - 1] = '\0'; /* one byte over the limit */
	doc                = json_pack("{s:s, s:i}", "id", id, "revision", 1);
	casecache_put(c, id, 1, doc, NULL);
	assert_int_equal(doc->refcount, 1);
	/* Still decoded, just not kept. */
	a = get(c, id, 1, &h1);
	b = get(c, id, 1, &h1);
	assert_non_null(a);
	assert_ptr_not_equal(a, b);
	assert_ptr_not_equal(a, doc);
	assert_string_equal(jstr(a, "id"), id);
	assert_int_equal(a->refcount, 1);
	keep_view(c, id, 1, 1, "view");
	want_view(c, id, 1, 1, NULL);
	/* Nor is it taken for the id cut to the limit. */
	id[WAGE_CASE_ID_MAX] = '\0';
	want_view(c, id, 1, 1, NULL);
	json_decref(a);
	json_decref(b);
	/* At the limit it is kept. */
	a = get(c, id, 1, &h1);
	b = get(c, id, 1, &h1);
	assert_ptr_equal(a, b);
	json_decref(a);
	json_decref(b);
	json_decref(doc);
	casecache_free(c);
	head_free(&h1);
}

static void
test_casecache_one_slot_two_cases(void **state)
{
	struct casecache *c  = casecache_new(1);
	struct head       h1 = head_of(1, "intake");
	struct head       h7 = head_of(7, "mediation");
	json_t           *a, *b;
	int               i;

	(void) state;
	assert_non_null(c);
	for (i = 0; i < 3; i++) {
		a = get(c, ID1, 1, &h1);
		assert_string_equal(jstr(a, "id"), ID1);
		assert_int_equal(revision(a), 1);
		/* The other case takes the only slot, whatever its
		 * revision: a is ours alone. */
		b = get(c, ID2, 7, &h7);
		assert_string_equal(jstr(b, "id"), ID2);
		assert_int_equal(revision(b), 7);
		assert_int_equal(a->refcount, 1);
		assert_int_equal(b->refcount, 2);
		/* ID1 at revision 7 is not ID2's entry. */
		json_decref(a);
		a = get(c, ID1, 7, &h7);
		assert_ptr_not_equal(a, b);
		assert_string_equal(jstr(a, "id"), ID1);
		json_decref(a);
		json_decref(b);
	}
	want_stats(c, 0, 9);
	/* Twice the same in a row does hit. */
	a = get(c, ID1, 7, &h7);
	json_decref(a);
	want_stats(c, 1, 10);
	casecache_free(c);
	head_free(&h1);
	head_free(&h7);
}

static void
test_casecache_views_kept_per_key(void **state)
{
	struct casecache *c  = casecache_new(16);
	struct head       h1 = head_of(1, "intake");
	struct head       h2 = head_of(2, "mediation");
	json_t           *d, *d2;

	(void) state;
	/* Nothing for a case that is not cached. */
	keep_view(c, ID1, 1, 5, "five");
	want_view(c, ID1, 1, 5, NULL);

	d = get(c, ID1, 1, &h1);
	want_view(c, ID1, 1, 5, NULL);
	keep_view(c, ID1, 1, 5, "five");
	want_view(c, ID1, 1, 5, "five");
	want_view(c, ID1, 1, 5, "five"); /* the copy changed, not the kept */
	want_view(c, ID1, 1, 6, NULL);
	/* Key 0 is never kept nor found. */
	keep_view(c, ID1, 1, 0, "zero");
	want_view(c, ID1, 1, 0, NULL);
	/* Only for the entry's own id and revision. */
	want_view(c, ID1, 2, 5, NULL);
	want_view(c, ID2, 1, 5, NULL);
	keep_view(c, ID1, 2, 6, "six of rev 2");
	keep_view(c, ID2, 1, 6, "six of " ID2);
	want_view(c, ID1, 1, 6, NULL);
	want_view(c, ID1, 2, 6, NULL);

	/* Four kept; a fifth lets the oldest go. */
	keep_view(c, ID1, 1, 6, "six");
	keep_view(c, ID1, 1, 7, "seven");
	keep_view(c, ID1, 1, 8, "eight");
	keep_view(c, ID1, 1, 9, "nine");
	want_view(c, ID1, 1, 5, NULL);
	want_view(c, ID1, 1, 6, "six");
	want_view(c, ID1, 1, 9, "nine");
	/* Keeping a key again replaces its text in place. */
	keep_view(c, ID1, 1, 7, "seven again");
	want_view(c, ID1, 1, 7, "seven again");
	want_view(c, ID1, 1, 8, "eight");
	want_view(c, ID1, 1, 6, "six");
	/* Texts are kept whole, NUL bytes and all. */
	casecache_keep_view(c, ID1, 1, 10, "a\0b", 3);
	{
		size_t n = 0;
		char  *t = casecache_view(c, ID1, 1, 10, &n);

		assert_non_null(t);
		assert_int_equal(n, 3);
		assert_memory_equal(t, "a\0b", 4);
		free(t);
	}

	/* Revision 2 read: every view of revision 1 goes... */
	d2 = get(c, ID1, 2, &h2);
	want_view(c, ID1, 1, 7, NULL);
	want_view(c, ID1, 2, 7, NULL);
	keep_view(c, ID1, 2, 7, "seven of rev 2");
	want_view(c, ID1, 2, 7, "seven of rev 2");
	/* ...a reader at revision 1 keeps none for it now... */
	json_decref(d);
	d = get(c, ID1, 1, &h1);
	keep_view(c, ID1, 1, 7, "seven");
	want_view(c, ID1, 1, 7, NULL);
	want_view(c, ID1, 2, 7, "seven of rev 2");
	/* ...a put of the same revision keeps them, a later drops them. */
	casecache_put(c, ID1, 2, d2, NULL);
	want_view(c, ID1, 2, 7, "seven of rev 2");
	json_decref(d);
	d = json_pack("{s:s, s:i}", "id", ID1, "revision", 3);
	casecache_put(c, ID1, 3, d, NULL);
	want_view(c, ID1, 2, 7, NULL);
	want_view(c, ID1, 3, 7, NULL);
	keep_view(c, ID1, 3, 7, "seven of rev 3");
	json_decref(d);
	json_decref(d2);
	casecache_free(c); /* frees kept texts (ASan's leak check) */
	head_free(&h1);
	head_free(&h2);
}

/* ---- threads -------------------------------------------------------- */

#define NTHREADS 4
#define NOPS     20000
#define NIDS     8
#define NREVS    4
#define NKEYS    3

struct worker {
	pthread_t         t;
	struct casecache *c;
	unsigned          seed;
	int               bad; /* documents or views not of (id, rev) */
	int               null;
	char              why[128];
};

static struct head heads[NIDS][NREVS + 1]; /* [k][rev], rev from 1 */
static char        ids[NIDS][WAGE_CASE_ID_MAX + 1];

static void
worker_bad(struct worker *w, const char *what, int k, int rev)
{
	if (w->bad++ == 0) {
		snprintf(w->why, sizeof(w->why), "%s: %s rev %d", what, ids[k],
		    rev);
	}
}

/* The view text of case k at rev under key. */
static int
view_text(char *buf, size_t len, int k, int rev, int key)
{
	return (snprintf(buf, len, "%s/%d/%d", ids[k], rev, key));
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	json_t        *doc;
	char           want[64], state[16], *s;
	size_t         n;
	unsigned       x = w->seed;
	int            i, k, rev, key, wn;

	for (i = 0; i < NOPS; i++) {
		x   = x * 1103515245u + 12345u; /* each thread its order */
		k   = (int) ((x >> 8) % NIDS);
		rev = 1 + (int) ((x >> 12) % NREVS);
		key = 1 + (int) ((x >> 16) % NKEYS);
		snprintf(state, sizeof(state), "s%d", rev);
		switch ((x >> 20) % 4) {
		case 0:
			/* The writer's put after a commit. */
			doc = json_pack("{s:s, s:i, s:s}", "id", ids[k],
			    "revision", rev, "state", state);
			casecache_put(w->c, ids[k], (uint64_t) rev, doc, NULL);
			json_decref(doc);
			break;
		case 1:
			wn = view_text(want, sizeof(want), k, rev, key);
			s  = casecache_view(
			     w->c, ids[k], (uint64_t) rev, key, &n);
			if (s == NULL) {
				casecache_keep_view(w->c, ids[k],
				    (uint64_t) rev, key, want, (size_t) wn);
			} else if (strcmp(s, want) != 0 || n != (size_t) wn) {
				worker_bad(w, "view", k, rev);
			}
			free(s);
			break;
		default:
			doc = casecache_get(w->c, ids[k], (uint64_t) rev,
			    heads[k][rev].p, heads[k][rev].n);
			if (doc == NULL) {
				w->null++;
				break;
			}
			if (revision(doc) != rev || jstr(doc, "id") == NULL ||
			    strcmp(jstr(doc, "id"), ids[k]) != 0 ||
			    jstr(doc, "state") == NULL ||
			    strcmp(jstr(doc, "state"), state) != 0) {
				worker_bad(w, "document", k, rev);
			}
			json_decref(doc);
			break;
		}
	}
	return (NULL);
}

static void
test_casecache_threads(void **state)
{
	struct casecache *c = casecache_new(4);
	struct worker     w[NTHREADS];
	unsigned long     hits, all;
	char              st[16];
	int               i, k, rev;

	(void) state;
	assert_non_null(c);
	for (k = 0; k < NIDS; k++) {
		snprintf(ids[k], sizeof(ids[k]), "WA2026-%06d", k + 1);
		for (rev = 1; rev <= NREVS; rev++) {
			snprintf(st, sizeof(st), "s%d", rev);
			heads[k][rev] = head_of((uint64_t) rev, st);
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
		if (w[i].bad != 0) {
			fail_msg("thread %d: %d bad, first %s", i, w[i].bad,
			    w[i].why);
		}
		assert_int_equal(w[i].null, 0);
	}
	casecache_stats(c, &hits, &all);
	assert_true(all > 0 && all <= (unsigned long) NTHREADS * NOPS);
	assert_true(hits > 0 && hits <= all);
	casecache_free(c);
	for (k = 0; k < NIDS; k++) {
		for (rev = 1; rev <= NREVS; rev++) {
			head_free(&heads[k][rev]);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_casecache_null_cache_decodes_fresh),
		cmocka_unit_test(test_casecache_same_id_and_revision_hit),
		cmocka_unit_test(test_casecache_later_revision_wins),
		cmocka_unit_test(test_casecache_put_then_get),
		cmocka_unit_test(test_casecache_head_does_not_decode),
		cmocka_unit_test(test_casecache_revision_mismatch),
		cmocka_unit_test(test_casecache_long_id_not_kept),
		cmocka_unit_test(test_casecache_one_slot_two_cases),
		cmocka_unit_test(test_casecache_views_kept_per_key),
		cmocka_unit_test(test_casecache_threads),
	};

	return (cmocka_run_group_tests_name("casecache", tests, NULL, NULL));
}
