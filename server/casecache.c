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

#define NVIEWS 4

/* Text derived from the entry's document, kept while the entry lives. */
struct text {
	int    key;
	char  *s;
	size_t n;
};

struct slot {
	pthread_mutex_t mtx;
	char            id[WAGE_CASE_ID_MAX + 1];
	char           *raw;
	size_t          len;
	json_t         *doc;
	struct text     steps;         /* key 1 once set */
	struct text     views[NVIEWS]; /* key 0: free */
	unsigned        next_view;     /* the one to replace next */
};

struct casecache {
	struct slot  *slots;
	size_t        mask;
	unsigned long hits, all; /* counted with relaxed atomics */
};

static void
drop_texts(struct slot *s)
{
	int i;

	free(s->steps.s);
	memset(&s->steps, 0, sizeof(s->steps));
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
		drop_texts(&c->slots[i]);
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
	drop_texts(s);
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

/* The slot holding exactly these bytes for id, locked; NULL if none. */
static struct slot *
lock_match(struct casecache *c, const char *id, const void *raw, size_t len)
{
	struct slot *s;

	if (c == NULL) {
		return (NULL);
	}
	s = slot_of(c, id);
	pthread_mutex_lock(&s->mtx);
	if (s->doc != NULL && s->len == len && strcmp(s->id, id) == 0 &&
	    memcmp(s->raw, raw, len) == 0) {
		return (s);
	}
	pthread_mutex_unlock(&s->mtx);
	return (NULL);
}

static char *
dup_text(const struct text *t, size_t *n)
{
	char *out = malloc(t->n + 1);

	if (out != NULL) {
		memcpy(out, t->s, t->n + 1);
		*n = t->n;
	}
	return (out);
}

static void
set_text(struct text *t, int key, const char *text, size_t n)
{
	char *copy = malloc(n + 1);

	if (copy == NULL) {
		return;
	}
	memcpy(copy, text, n);
	copy[n] = '\0';
	free(t->s);
	t->key = key;
	t->s   = copy;
	t->n   = n;
}

char *
casecache_steps(struct casecache *c, const char *id, const void *raw,
    size_t len, const json_t *doc, size_t *n)
{
	struct slot *s = lock_match(c, id, raw, len);
	char        *text;

	if (s != NULL && s->steps.key == 1) {
		text = dup_text(&s->steps, n);
		pthread_mutex_unlock(&s->mtx);
		return (text);
	}
	if (s != NULL) {
		pthread_mutex_unlock(&s->mtx);
	}
	text = json_dumps(json_object_get(doc, "steps"), JSON_COMPACT);
	if (text == NULL) {
		return (NULL);
	}
	*n = strlen(text);
	casecache_keep_steps(c, id, raw, len, text, *n);
	return (text);
}

void
casecache_keep_steps(struct casecache *c, const char *id, const void *raw,
    size_t len, const char *text, size_t n)
{
	struct slot *s = lock_match(c, id, raw, len);

	if (s != NULL) {
		set_text(&s->steps, 1, text, n);
		pthread_mutex_unlock(&s->mtx);
	}
}

char *
casecache_view(struct casecache *c, const char *id, const void *raw,
    size_t len, int key, size_t *n)
{
	struct slot *s    = lock_match(c, id, raw, len);
	char        *text = NULL;
	int          i;

	if (s == NULL) {
		return (NULL);
	}
	for (i = 0; i < NVIEWS && text == NULL; i++) {
		if (s->views[i].key == key && key != 0) {
			text = dup_text(&s->views[i], n);
		}
	}
	pthread_mutex_unlock(&s->mtx);
	return (text);
}

void
casecache_keep_view(struct casecache *c, const char *id, const void *raw,
    size_t len, int key, const char *text, size_t n)
{
	struct slot *s = lock_match(c, id, raw, len);
	int          i;

	if (s == NULL || key == 0) {
		if (s != NULL) {
			pthread_mutex_unlock(&s->mtx);
		}
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
	set_text(&s->views[i], key, text, n);
	pthread_mutex_unlock(&s->mtx);
}

void
casecache_stats(
    const struct casecache *c, unsigned long *hits, unsigned long *all)
{
	*hits = c != NULL ? c->hits : 0;
	*all  = c != NULL ? c->all : 0;
}
