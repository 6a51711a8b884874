/* SPDX-License-Identifier: MIT */
/*
 * casecache.c - decoded case heads by id and revision (see casecache.h).
 * Direct-mapped: one entry per slot, a lock per slot; within a case the
 * later revision wins.
 * Owns: its entries and their views. Must not: touch LMDB.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casecache.h"
#include "caserec.h"
#include "log.h"
#include "wage/protocol.h"

#define NVIEWS 4

struct text {
	int    key; /* 0: free */
	char  *s;
	size_t n;
};

struct slot {
	pthread_mutex_t       mtx;
	char                  id[WAGE_CASE_ID_MAX + 1];
	uint64_t              rev;
	json_t               *doc;
	struct caserec_parts *parts;
	struct text           views[NVIEWS];
	unsigned              next_view; /* the one to replace next */
};

struct casecache {
	struct slot  *slots;
	size_t        mask;
	unsigned long hits, all; /* counted with relaxed atomics */
};

static void
drop_views(struct slot *s)
{
	int i;

	for (i = 0; i < NVIEWS; i++) {
		free(s->views[i].s);
		memset(&s->views[i], 0, sizeof(s->views[i]));
	}
}

struct casecache *
casecache_new(size_t n)
{
	struct casecache *c;
	size_t            size = 1, i;

	if (n == 0) {
		return (NULL);
	}
	while (size < n && size < ((size_t) 1 << 24)) {
		size <<= 1;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->slots = calloc(size, sizeof(*c->slots))) == NULL) {
		free(c);
		return (NULL);
	}
	for (i = 0; i < size; i++) {
		pthread_mutex_init(&c->slots[i].mtx, NULL);
	}
	c->mask = size - 1;
	return (c);
}

void
casecache_free(struct casecache *c)
{
	size_t i;

	if (c == NULL) {
		return;
	}
	for (i = 0; i <= c->mask; i++) {
		drop_views(&c->slots[i]);
		json_decref(c->slots[i].doc);
		caserec_parts_release(c->slots[i].parts);
		pthread_mutex_destroy(&c->slots[i].mtx);
	}
	free(c->slots);
	free(c);
}

/* FNV-1a of the id. */
static struct slot *
slot_of(struct casecache *c, const char *id)
{
	uint64_t h = 1469598103934665603ull;

	for (; *id != '\0'; id++) {
		h = (h ^ (unsigned char) *id) * 1099511628211ull;
	}
	return (&c->slots[h & c->mask]);
}

void
casecache_put(struct casecache *c, const char *id, uint64_t rev, json_t *doc,
    struct caserec_parts *parts)
{
	struct slot          *s;
	json_t               *old      = NULL;
	struct caserec_parts *oldparts = NULL;

	if (c == NULL || doc == NULL || strlen(id) > WAGE_CASE_ID_MAX) {
		return;
	}
	s = slot_of(c, id);
	pthread_mutex_lock(&s->mtx);
	if (s->doc == NULL || strcmp(s->id, id) != 0 || s->rev < rev) {
		drop_views(s);
		old      = s->doc;
		oldparts = s->parts;
		snprintf(s->id, sizeof(s->id), "%s", id);
		s->rev   = rev;
		s->doc   = json_incref(doc);
		s->parts = caserec_parts_ref(parts);
	} else if (s->rev == rev && s->parts == NULL && parts != NULL &&
	    strcmp(s->id, id) == 0) {
		s->parts = caserec_parts_ref(parts);
	}
	pthread_mutex_unlock(&s->mtx);
	/* Outside the lock: freeing takes time. */
	json_decref(old);
	caserec_parts_release(oldparts);
}

/* The slot holding case id at rev, locked; NULL if none. */
static struct slot *
lock_match(struct casecache *c, const char *id, uint64_t rev)
{
	struct slot *s;

	if (c == NULL) {
		return (NULL);
	}
	s = slot_of(c, id);
	pthread_mutex_lock(&s->mtx);
	if (s->doc != NULL && s->rev == rev && strcmp(s->id, id) == 0) {
		return (s);
	}
	pthread_mutex_unlock(&s->mtx);
	return (NULL);
}

json_t *
casecache_get(struct casecache *c, const char *id, uint64_t rev,
    const void *head, size_t len)
{
	return (casecache_get_parts(c, id, rev, head, len, NULL));
}

json_t *
casecache_get_parts(struct casecache *c, const char *id, uint64_t rev,
    const void *head, size_t len, struct caserec_parts **parts)
{
	struct slot *s;
	json_t      *doc = NULL;
	uint64_t     got;

	if (parts != NULL) {
		*parts = NULL;
	}
	if (c != NULL) {
		__atomic_fetch_add(&c->all, 1, __ATOMIC_RELAXED);
		if ((s = lock_match(c, id, rev)) != NULL) {
			doc = json_incref(s->doc);
			if (parts != NULL) {
				*parts = caserec_parts_ref(s->parts);
			}
			pthread_mutex_unlock(&s->mtx);
			__atomic_fetch_add(&c->hits, 1, __ATOMIC_RELAXED);
			return (doc);
		}
	}
	if (caserec_decode(id, head, len, &doc, &got) != WAGE_OK) {
		return (NULL);
	}
	if (got != rev) {
		log_warnx("%s: case %s: revision %llu asked, the head holds "
		          "%llu",
		    __func__, id, (unsigned long long) rev,
		    (unsigned long long) got);
		json_decref(doc);
		return (NULL);
	}
	casecache_put(c, id, rev, doc, NULL);
	return (doc);
}

char *
casecache_view(
    struct casecache *c, const char *id, uint64_t rev, int key, size_t *n)
{
	struct slot *s    = lock_match(c, id, rev);
	char        *text = NULL;
	int          i;

	if (s == NULL) {
		return (NULL);
	}
	for (i = 0; i < NVIEWS && text == NULL; i++) {
		if (key != 0 && s->views[i].key == key &&
		    (text = malloc(s->views[i].n + 1)) != NULL) {
			memcpy(text, s->views[i].s, s->views[i].n + 1);
			*n = s->views[i].n;
		}
	}
	pthread_mutex_unlock(&s->mtx);
	return (text);
}

void
casecache_keep_view(struct casecache *c, const char *id, uint64_t rev, int key,
    const char *text, size_t n)
{
	struct slot *s;
	char        *copy;
	int          i;

	if (key == 0 || (copy = malloc(n + 1)) == NULL) {
		return;
	}
	memcpy(copy, text, n);
	copy[n] = '\0';
	if ((s = lock_match(c, id, rev)) == NULL) {
		free(copy);
		return;
	}
	for (i = 0; i < NVIEWS; i++) {
		if (s->views[i].key == key || s->views[i].key == 0) {
			break;
		}
	}
	if (i == NVIEWS) {
		i = (int) (s->next_view++ % NVIEWS);
	}
	free(s->views[i].s);
	s->views[i].key = key;
	s->views[i].s   = copy;
	s->views[i].n   = n;
	pthread_mutex_unlock(&s->mtx);
}

void
casecache_stats(
    const struct casecache *c, unsigned long *hits, unsigned long *all)
{
	*hits = c != NULL ? c->hits : 0;
	*all  = c != NULL ? c->all : 0;
}
