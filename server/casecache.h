/* SPDX-License-Identifier: MIT */
/*
 * casecache.h - decoded case heads, kept by case id and revision.
 *
 * Every write of a case raises its revision (caserec.h), and an entry is
 * only ever added for a revision that is committed: by a reader, from
 * what its read txn saw, or by the writer's commit callback after the
 * commit. So (id, revision) names one document for the life of the
 * process, and a lookup that passes the revision it has just read in its
 * own txn can never be served anything but what is stored.
 *
 * Cached documents are shared between threads: read them, never change
 * them (json_copy or json_deep_copy first). NULL is a valid cache that
 * keeps nothing. Every function may be called from any thread.
 */
#ifndef WAGE_CASECACHE_H
#define WAGE_CASECACHE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct casecache;
struct caserec_parts;

/* A cache of at most n cases (rounded up to a power of two); 0: none. */
struct casecache *casecache_new(size_t n);
void              casecache_free(struct casecache *c);

/*
 * casecache_get returns the head of case id at revision rev, stored as
 * head (the value read in the caller's txn, caserec.h): a new reference
 * (json_decref it), shared and read-only, from the cache or decoded now
 * and kept. NULL if head does not decode (logged) or memory ran out.
 */
json_t *casecache_get(struct casecache *c, const char *id, uint64_t rev,
    const void *head, size_t len);

/* casecache_get_parts is casecache_get that also hands back, in *parts, a
 * reference to the encoded members kept with the head (caserec.h; NULL
 * when none are kept: release them with caserec_parts_release). */
json_t *casecache_get_parts(struct casecache *c, const char *id, uint64_t rev,
    const void *head, size_t len, struct caserec_parts **parts);

/* casecache_put keeps doc (a reference is taken; doc must not change
 * after) and parts (may be NULL; a reference is taken) as case id at
 * revision rev, which must be committed. An entry for a later revision of
 * the same case is not replaced. */
void casecache_put(struct casecache *c, const char *id, uint64_t rev,
    json_t *doc, struct caserec_parts *parts);

/*
 * casecache_view: an encoded view of case id at revision rev kept under
 * key (not 0; the caller folds into it whatever else the view depends on,
 * such as role and day), as a copy (free it) or NULL; casecache_keep_view
 * keeps one (a few per case, the oldest goes). Views go with the entry.
 */
char *casecache_view(
    struct casecache *c, const char *id, uint64_t rev, int key, size_t *n);
void casecache_keep_view(struct casecache *c, const char *id, uint64_t rev,
    int key, const char *text, size_t n);

/* Lookups answered from the cache, and all lookups (for the bench). */
void casecache_stats(
    const struct casecache *c, unsigned long *hits, unsigned long *all);

#endif /* WAGE_CASECACHE_H */
