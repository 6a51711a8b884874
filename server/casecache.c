/* SPDX-License-Identifier: MIT */
/*
 * casecache.c - decoded case documents by id, checked against the stored
 * bytes on every use (see casecache.h). Direct-mapped: one entry per slot,
 * a lock per slot, the newer case wins a slot.
 * Owns: its copies of stored bytes. Must not: touch LMDB.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casecache.h"
#include "log.h"
#include "wage/protocol.h"

struct slot {
	pthread_mutex_t mtx;
	char            id[WAGE_CASE_ID_MAX + 1];
	char           *raw;
	size_t          len;
	json_t         *doc;
};

struct casecache {
	struct slot  *slots;
	size_t        mask;
	unsigned long hits, all; /* counted with relaxed atomics */
};

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
		free(c->slots[i].raw);
		json_decref(c->slots[i].doc);
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
casecache_put(struct casecache *c, const char *id, const void *raw, size_t len,
    json_t *doc, json_t **evicted)
{
	struct slot *s;
	char        *copy;
	json_t      *old;

	if (evicted != NULL) {
		*evicted = NULL;
	}
	if (c == NULL || doc == NULL || strlen(id) > WAGE_CASE_ID_MAX ||
	    (copy = malloc(len > 0 ? len : 1)) == NULL) {
		return;
	}
	memcpy(copy, raw, len);
	s = slot_of(c, id);
	pthread_mutex_lock(&s->mtx);
	free(s->raw);
	old = s->doc;
	snprintf(s->id, sizeof(s->id), "%s", id);
	s->raw = copy;
	s->len = len;
	s->doc = json_incref(doc);
	pthread_mutex_unlock(&s->mtx);
	if (evicted != NULL) {
		*evicted = old;
	} else {
		json_decref(old); /* outside the lock: it takes time */
	}
}

json_t *
casecache_get(struct casecache *c, const char *id, const void *raw, size_t len)
{
	struct slot *s;
	json_t      *doc = NULL;
	json_error_t jerr;

	if (c != NULL) {
		s = slot_of(c, id);
		pthread_mutex_lock(&s->mtx);
		if (s->doc != NULL && s->len == len &&
		    strcmp(s->id, id) == 0 && memcmp(s->raw, raw, len) == 0) {
			doc = json_incref(s->doc);
		}
		pthread_mutex_unlock(&s->mtx);
		__atomic_fetch_add(&c->all, 1, __ATOMIC_RELAXED);
		if (doc != NULL) {
			__atomic_fetch_add(&c->hits, 1, __ATOMIC_RELAXED);
			return (doc);
		}
	}
	if ((doc = json_loadb(raw, len, 0, &jerr)) == NULL) {
		log_warnx("case %s does not decode: %s", id, jerr.text);
		return (NULL);
	}
	casecache_put(c, id, raw, len, doc, NULL);
	return (doc);
}

void
casecache_stats(
    const struct casecache *c, unsigned long *hits, unsigned long *all)
{
	*hits = c != NULL ? c->hits : 0;
	*all  = c != NULL ? c->all : 0;
}
