/* SPDX-License-Identifier: MIT */
/*
 * yamltree.h - YAML configuration files read as a small tree that keeps
 * line numbers, the typed getters the loaders check it with, and their
 * diagnostics, held back and printed as "file:line: what is wrong" in
 * line order. Used by the policy (policy*.c), the holiday calendar
 * (calendar.c) and the minimum-wage tables (minwage.c).
 *
 * Nothing here is shared between threads: a struct yamltree_diag and a
 * tree belong to the one load that made them. A tree is not changed once
 * yamltree_load has returned it.
 */
#ifndef WAGE_YAMLTREE_H
#define WAGE_YAMLTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Diagnostics. yamltree_err counts one error against line, even when out
 * is NULL; the text is held back (control characters become '?') until
 * yamltree_flush prints every message as "name:line: text", sorted by
 * line, then by the order they were reported.
 */
struct yamltree_msg {
	size_t line;
	size_t seq;
	char  *text;
};

struct yamltree_diag {
	const char          *name; /* the file, borrowed: it must outlive d */
	FILE                *out;  /* may be NULL: errors are only counted */
	struct yamltree_msg *msgs;
	size_t               nmsgs, msgcap;
	int                  nerrors;
	bool                 oom; /* "out of memory" was reported */
};

/* yamltree_diag_init prepares d to collect the diagnostics of name. */
void yamltree_diag_init(struct yamltree_diag *d, const char *name, FILE *out);

void yamltree_err(struct yamltree_diag *d, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * yamltree_flush prints the messages held back to d->out and frees them;
 * d keeps its count and may collect more.
 */
void yamltree_flush(struct yamltree_diag *d);

/* yamltree_oom reports "out of memory" against line, once per d. */
void yamltree_oom(struct yamltree_diag *d, size_t line);

/* yamltree_strdup copies s (NULL gives NULL), reporting a failure. */
char *yamltree_strdup(struct yamltree_diag *d, const char *s, size_t line);

/*
 * Name lists. yamltree_join writes the names in list (NULL entries
 * skipped) into buf as "a, b, c", cut short when len is too small.
 * yamltree_find returns the index of s in list[n], or -1.
 */
void yamltree_join(char *buf, size_t len, const char *const *list, size_t n);
long yamltree_find(const char *const *list, size_t n, const char *s);

/* The tree: only what the checks need, with line numbers. */
enum yamltree_kind { YAMLTREE_SCALAR, YAMLTREE_SEQ, YAMLTREE_MAP };

struct yamltree_node {
	enum yamltree_kind kind;
	size_t             line;     /* 1-based, where the node starts */
	bool               bad;      /* reported: later checks stay quiet */
	bool               plain;    /* an unquoted scalar (true, 15) */
	char              *str;      /* a scalar's value, NUL-terminated;
	                                "" for a list or mapping */
	size_t                 len;  /* of str, which may hold a NUL */
	struct yamltree_node **kids; /* SEQ: items; MAP: key, value, ... */
	size_t                 nkids;
	/* Private to yamltree.c. */
	size_t                cap;
	struct yamltree_node *up;    /* the parent; NULL at the top */
	struct yamltree_node *alias; /* the anchored node an alias names */
	bool                  tag_bad;
	bool                  seen;
};

/*
 * How strict a load is. Every mode refuses anchors and aliases, explicit
 * tags, mapping keys that are not strings or appear twice, a second
 * document, a file larger than max_bytes and nesting deeper than
 * max_depth; they differ in when they stop.
 *   YAMLTREE_MARK_BAD     report each problem where it is read and mark
 *                         its node bad, so that the caller's checks skip
 *                         it and report the rest of the file: an anchor
 *                         and each alias of it, any explicit tag (even
 *                         "!!str"), more than max_items entries in one
 *                         list or mapping (which stops the load, as does
 *                         nesting deeper than max_depth lists and
 *                         mappings, or a second document).
 *   YAMLTREE_REFUSE_ALL   compose the document as libyaml's loader does
 *                         (an undefined or repeated anchor is a syntax
 *                         error; a second document is read to its end),
 *                         then walk it: each alias is reported at the
 *                         node it names; a tag other than the kind's
 *                         default, a NUL in a scalar, and every node
 *                         deeper than max_depth (the top is depth 0) are
 *                         refused. Any problem refuses the whole file.
 */
enum yamltree_mode { YAMLTREE_MARK_BAD, YAMLTREE_REFUSE_ALL };

struct yamltree_rules {
	enum yamltree_mode mode;
	size_t             max_bytes;  /* a larger buffer is not parsed */
	int                max_depth;  /* see enum yamltree_mode */
	int                max_items;  /* YAMLTREE_MARK_BAD; 0: no limit */
	const char        *what;       /* "a policy": "... : not a policy" */
	const char        *empty;      /* the message for no document */
	const char        *second_doc; /* the message for a second one */
};

/*
 * yamltree_load parses buf (len bytes) by rules and returns the top node
 * of its one document (free with yamltree_free), or NULL after reporting
 * to d why there is none. With YAMLTREE_MARK_BAD a tree is returned even
 * when problems were reported (count d->nerrors); with
 * YAMLTREE_REFUSE_ALL only a tree that has none.
 */
struct yamltree_node *yamltree_load(struct yamltree_diag *d, const char *buf,
    size_t len, const struct yamltree_rules *rules);

/* yamltree_free releases n and everything below it; NULL is allowed. */
void yamltree_free(struct yamltree_node *n);

/*
 * yamltree_read_file reads path, a regular file of at most max bytes,
 * into *buf (free it) and *len with common/fileio.h's fileio_read.
 * Returns false with *buf NULL after reporting against line 1 of d why it
 * could not.
 */
bool yamltree_read_file(struct yamltree_diag *d, const char *path, size_t max,
    char **buf, size_t *len);

/*
 * Typed access to tree nodes. Each reports its own error against the
 * node's line, naming it `what`; a NULL node or one already reported
 * (bad) fails quietly. Strings returned are owned by the tree.
 *   yamltree_str   any scalar;
 *   yamltree_text  a one-line, non-blank string of at most max
 *                  characters (UTF-8);
 *   yamltree_name  an identifier: [a-z][a-z0-9_]*, at most max long;
 *   yamltree_bool  plain true / false;
 *   yamltree_int   a plain decimal integer;
 *   yamltree_is_kind  is n a k? (k is YAMLTREE_SEQ or YAMLTREE_MAP.)
 */
const char *yamltree_str(
    struct yamltree_diag *d, const struct yamltree_node *n, const char *what);
const char *yamltree_text(struct yamltree_diag *d,
    const struct yamltree_node *n, const char *what, int max);
const char *yamltree_name(struct yamltree_diag *d,
    const struct yamltree_node *n, const char *what, int max);
bool yamltree_bool(struct yamltree_diag *d, const struct yamltree_node *n,
    const char *what, bool *out);
bool yamltree_int(struct yamltree_diag *d, const struct yamltree_node *n,
    const char *what, long long *out);
bool yamltree_is_kind(struct yamltree_diag *d, const struct yamltree_node *n,
    enum yamltree_kind k, const char *what);

/*
 * yamltree_map_keys matches the keys of mapping m against keys[]: vals[i]
 * is set to the value of keys[i] (or NULL). Unknown keys are reported as
 * "unknown key 'K' in WHAT; allowed: ..." (without " in WHAT" when what
 * is NULL); keys marked bad are skipped.
 */
void yamltree_map_keys(struct yamltree_diag *d, const struct yamltree_node *m,
    const char *what, const char *const *keys, size_t nkeys,
    const struct yamltree_node **vals);

/*
 * yamltree_need reports "WHAT has no 'KEY'" (or "no 'KEY'" when what is
 * NULL) against m when v is NULL.
 */
void yamltree_need(struct yamltree_diag *d, const struct yamltree_node *m,
    const struct yamltree_node *v, const char *key, const char *what);

/* yamltree_hex_digest writes a SHA-256 digest as 64 lowercase hex. */
void yamltree_hex_digest(const unsigned char digest[32], char out[65]);

/* yamltree_finish stores nerrors in *nerrp (may be NULL) and returns
 * WAGE_E_INTERNAL (out of memory), WAGE_E_INVALID_ARGUMENT (errors) or
 * WAGE_OK. */
int yamltree_finish(int nerrors, bool nomem, int *nerrp);

/* yamltree_str_cmp: qsort comparison of char * entries. */
int yamltree_str_cmp(const void *a, const void *b);

#endif /* WAGE_YAMLTREE_H */
