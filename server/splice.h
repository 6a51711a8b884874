/* SPDX-License-Identifier: MIT */
/*
 * splice.h - putting values into JSON text encoded ahead of time.
 *
 * A write is encoded on the thread that received it, but two of its values
 * are only known to the writer (the case number, the audit sequence), and
 * the steps of a case, which never change once recorded, need not be
 * encoded again with every event. The text is encoded with a placeholder
 * in their place and the value spliced in later. A placeholder is 18
 * digits from a random base the process keeps to itself and a counter:
 * new for every use, so that no request can contain one, by chance or on
 * purpose. It must occur exactly once in the text to be used.
 */
#ifndef WAGE_SPLICE_H
#define WAGE_SPLICE_H

#include <jansson.h>
#include <stddef.h>

/* A fresh placeholder number (100000000000000000 to 899999999999999999). */
unsigned long long splice_placeholder(void);

/* The offset of the one occurrence of mark in text; -1 if it is not there
 * or there more than once (or text is NULL). */
long splice_find(const char *text, const char *mark);

/* text with mark (found at byte at) replaced by value, and its length in
 * *len; NULL if at is negative or memory ran out. */
char *splice_at(const char *text, long at, const char *mark, const char *value,
    size_t *len);

/*
 * obj encoded (compact) with member's value given as its encoding, text,
 * instead of encoded again: the member is swapped for a placeholder string
 * for the encoding and put back after. Without the member, or with text
 * NULL, obj is encoded as it is. NULL if out of memory.
 */
char *splice_encode_member(json_t *obj, const char *member, const char *text);

#endif /* WAGE_SPLICE_H */
