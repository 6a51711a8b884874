/* SPDX-License-Identifier: MIT */
/*
 * splice.c - placeholders in JSON text encoded ahead (see splice.h).
 * Owns: the placeholder base. Must not: parse JSON (the text is ours,
 * from json_dumps, and the placeholder is found by its unique digits).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "splice.h"

static unsigned long long placeholder_base;

static void
placeholder_init(void)
{
	if (auth_random((unsigned char *) &placeholder_base,
	        sizeof(placeholder_base)) != WAGE_OK) {
		placeholder_base =
		    (unsigned long long) time(NULL) * 2654435761u;
	}
}

unsigned long long
splice_placeholder(void)
{
	static pthread_once_t     once = PTHREAD_ONCE_INIT;
	static unsigned long long count;

	pthread_once(&once, placeholder_init);
	return (100000000000000000ull +
	    (placeholder_base +
	        __atomic_add_fetch(&count, 1, __ATOMIC_RELAXED)) %
	        800000000000000000ull);
}

long
splice_find(const char *text, const char *mark)
{
	const char *at = text != NULL ? strstr(text, mark) : NULL;

	if (at == NULL || strstr(at + 1, mark) != NULL) {
		return (-1);
	}
	return ((long) (at - text));
}

char *
splice_at(const char *text, long at, const char *mark, const char *value,
    size_t *len)
{
	size_t tl = strlen(text), ml = strlen(mark), vl = strlen(value);
	char  *out;

	if (at < 0 || (size_t) at + ml > tl ||
	    (out = malloc(tl - ml + vl + 1)) == NULL) {
		return (NULL);
	}
	memcpy(out, text, (size_t) at);
	memcpy(out + at, value, vl);
	memcpy(out + at + vl, text + at + ml, tl - (size_t) at - ml + 1);
	*len = tl - ml + vl;
	return (out);
}

char *
splice_encode_member(json_t *obj, const char *member, const char *text)
{
	json_t *v = json_object_get(obj, member);
	char   *enc, *out, mark[48];
	size_t  n;

	if (v == NULL || text == NULL) {
		return (json_dumps(obj, JSON_COMPACT));
	}
	snprintf(mark, sizeof(mark), "\"@%llu\"", splice_placeholder());
	json_incref(v);
	json_object_set_new(
	    obj, member, json_stringn(mark + 1, strlen(mark) - 2));
	enc = json_dumps(obj, JSON_COMPACT);
	json_object_set_new(obj, member, v);
	out = enc != NULL
	    ? splice_at(enc, splice_find(enc, mark), mark, text, &n)
	    : NULL;
	free(enc);
	return (out);
}
