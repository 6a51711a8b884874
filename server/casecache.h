/* SPDX-License-Identifier: MIT */
/*
 * casecache.h - decoded case documents, kept by case id and checked
 * against the stored bytes on every use.
 *
 * Decoding a case (jansson) was the largest cost of case.get and case.act.
 * The cache keeps, for a bounded number of cases, the stored bytes and the
 * document decoded from them. A lookup passes the bytes it has just read
 * in its own LMDB txn; the cached document is used only when they are
 * byte for byte the same, so the cache never needs invalidating and can
 * never serve a document other than the one stored: an entry left by a
 * write whose txn did not commit simply never matches.
 *
 * Cached documents are shared between threads: read them, never change
 * them (json_deep_copy first). NULL is a valid cache that keeps nothing.
 */
#ifndef WAGE_CASECACHE_H
#define WAGE_CASECACHE_H

#include <jansson.h>
#include <stddef.h>

struct casecache;

/* A cache of at most n cases (rounded up to a power of two); 0: none. */
struct casecache *casecache_new(size_t n);
void              casecache_free(struct casecache *c);

/*
 * The document stored as raw for case id: a new reference (json_decref
 * it), shared and read-only, from the cache or decoded now and kept.
 * NULL if raw does not decode (logged) or memory ran out.
 */
json_t *casecache_get(
    struct casecache *c, const char *id, const void *raw, size_t len);

/* Keep doc (a reference is taken; doc must not change after) as the
 * decoding of raw, e.g. right after a write stored raw. The document it
 * replaces is released, or handed to *evicted if that is not NULL (so that
 * a busy thread can leave the freeing to another). */
void casecache_put(struct casecache *c, const char *id, const void *raw,
    size_t len, json_t *doc, json_t **evicted);

/*
 * Text derived from a cached document, kept with it and dropped with it
 * (so it, too, is only ever served for the very bytes it came from). The
 * getters return a copy (free it) or NULL.
 *
 * casecache_steps: the compact JSON of doc's "steps" (doc: the decoding of
 * raw), encoded now and kept if the entry lacks it. Steps never change once
 * recorded, so a write can splice them instead of encoding them again.
 * casecache_keep_steps keeps them for the entry of raw, if it is cached.
 */
char *casecache_steps(struct casecache *c, const char *id, const void *raw,
    size_t len, const json_t *doc, size_t *n);
void casecache_keep_steps(struct casecache *c, const char *id, const void *raw,
    size_t len, const char *text, size_t n);

/*
 * casecache_view: an encoded view of the case kept under key (not 0; the
 * caller folds into it whatever else the view depends on, such as role
 * and day); casecache_keep_view keeps one (a few per case, the oldest
 * goes).
 */
char *casecache_view(struct casecache *c, const char *id, const void *raw,
    size_t len, int key, size_t *n);
void  casecache_keep_view(struct casecache *c, const char *id, const void *raw,
     size_t len, int key, const char *text, size_t n);

/* Lookups answered from the cache, and all lookups (for the bench). */
void casecache_stats(
    const struct casecache *c, unsigned long *hits, unsigned long *all);

#endif /* WAGE_CASECACHE_H */
