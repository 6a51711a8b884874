/* SPDX-License-Identifier: MIT */
/*
 * test_auditlog.c - unit tests of client/auditlog.c: offline verification
 * of an export with nothing but the CA. The fixture (support_audit.h) is a
 * real store: nine events of three cases appended with audit_append,
 * checkpoints signed by checkpoint_maybe after seq 3 and 6 with the key of
 * a server certificate issued by pki_issue, the export written page by
 * page with audit_export_page into a file.
 *
 * The untouched file verifies; then one test per kind of tampering
 * (a changed byte, every single-bit flip of one event, a removed, inserted
 * or swapped event, a rehashed event, the chain rewritten consistently, a
 * checkpoint's signature, seq, head or place changed, the end line or the
 * tail cut, events appended, a case line changed, a certificate of another
 * CA or a client certificate, no header) must make it invalid with the
 * exact first_bad_seq. The same kinds done to the live store are in
 * test_audit_tamper.c.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf */
#endif

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audit.h"
#include "auditlog.h"
#include "caserec.h"
#include "checkpoint.h"
#include "store.h"

#include "support_audit.h"
#include "support_json.h"
#include "support_store.h"

/* ---- export lines ------------------------------------------------------ */

/* line_set replaces line i by o (takes ownership of o). */
static void
line_set(struct tsupport_auditfx *fx, size_t i, json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);

	assert_non_null(text);
	assert_true(i < fx->nlines);
	free(fx->lines[i]);
	assert_true(asprintf(&fx->lines[i], "%s\n", text) > 0);
	free(text);
	json_decref(o);
}

static void
line_del(struct tsupport_auditfx *fx, size_t i)
{
	assert_true(i < fx->nlines);
	free(fx->lines[i]);
	memmove(&fx->lines[i], &fx->lines[i + 1],
	    (fx->nlines - i - 1) * sizeof(fx->lines[0]));
	fx->nlines--;
}

/* line_insert puts o (taken) before line i. */
static void
line_insert(struct tsupport_auditfx *fx, size_t i, json_t *o)
{
	assert_true(fx->nlines < TSUPPORT_MAXLINES && i <= fx->nlines);
	memmove(&fx->lines[i + 1], &fx->lines[i],
	    (fx->nlines - i) * sizeof(fx->lines[0]));
	fx->lines[i] = strdup("{}\n");
	fx->nlines++;
	line_set(fx, i, o);
}

static void
line_swap(struct tsupport_auditfx *fx, size_t i, size_t j)
{
	char *t = fx->lines[i];

	fx->lines[i] = fx->lines[j];
	fx->lines[j] = t;
}

static void
rehash(json_t *ev)
{
	char hex[65];

	assert_int_equal(auditfmt_event_hash(ev, hex), 0);
	json_object_set_new(ev, "hash", json_string(hex));
}

/*
 * relink_from recomputes, in file order, prev and hash of every event line
 * with seq >= from: the chain is consistent again from there on, as an
 * attacker with the file but without the server's key would make it.
 */
static void
relink_from(struct tsupport_auditfx *fx, json_int_t from)
{
	char    prev[65];
	json_t *o;
	size_t  i;

	if (from == 1) {
		memcpy(prev, AUDIT_GENESIS, 65);
	} else {
		o = tsupport_line_json(fx, TSUPPORT_EV(fx, from - 1));
		snprintf(prev, sizeof(prev), "%s", tsupport_jstr(o, "hash"));
		json_decref(o);
	}
	for (i = TSUPPORT_EV(fx, from); i < fx->nlines; i++) {
		o = tsupport_line_json(fx, i);
		if (strcmp(tsupport_jstr(o, "type"), "event") != 0) {
			json_decref(o);
			continue;
		}
		json_object_set_new(o, "prev", json_string(prev));
		rehash(o);
		snprintf(prev, sizeof(prev), "%s", tsupport_jstr(o, "hash"));
		line_set(fx, i, o);
	}
}

/* set_actor changes the actor's name of event seq (content only). */
static void
set_actor(struct tsupport_auditfx *fx, json_int_t seq, const char *name)
{
	size_t  i = TSUPPORT_EV(fx, seq);
	json_t *o = tsupport_line_json(fx, i);

	json_object_set_new(
	    json_object_get(o, "actor"), "name", json_string(name));
	line_set(fx, i, o);
}

/* edit_text replaces the first `from` in line i by `to` (same length). */
static void
edit_text(
    struct tsupport_auditfx *fx, size_t i, const char *from, const char *to)
{
	char *at = strstr(fx->lines[i], from);

	assert_non_null(at);
	assert_int_equal(strlen(from), strlen(to));
	memcpy(at, to, strlen(to));
}

/* resign signs every checkpoint and the end head again with s, and puts
 * s's certificate in the header: a complete forgery under s's CA. */
static void
resign(struct tsupport_auditfx *fx, struct checkpoint_signer *s)
{
	json_t *o, *cp, *h;
	size_t  i;

	for (i = 0; i < fx->nlines; i++) {
		o = tsupport_line_json(fx, i);
		if (strcmp(tsupport_jstr(o, "type"), "header") == 0) {
			json_object_set_new(o, "server_certificate",
			    json_string(checkpoint_signer_cert(s)));
		} else if (strcmp(tsupport_jstr(o, "type"), "checkpoint") ==
		    0) {
			cp = checkpoint_sign(s,
			    json_integer_value(json_object_get(o, "seq")),
			    tsupport_jstr(o, "head"));
			assert_non_null(cp);
			json_object_set_new(
			    cp, "type", json_string("checkpoint"));
			json_decref(o);
			o = cp;
		} else if (strcmp(tsupport_jstr(o, "type"), "end") == 0) {
			h  = json_object_get(o, "head");
			cp = checkpoint_sign(s,
			    json_integer_value(json_object_get(h, "seq")),
			    tsupport_jstr(h, "head"));
			assert_non_null(cp);
			json_object_set_new(o, "head", cp);
		}
		line_set(fx, i, o);
	}
}

/* ---- export tests ------------------------------------------------------ */

static void
test_auditlog_export_untouched_verifies(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t     *r = tsupport_verify_lines(fx, tsupport_audit_g.ca.crt), *o;
	const char *w;

	if (!json_is_true(json_object_get(r, "valid"))) {
		tsupport_fail_report("untouched export", r);
	}
	assert_int_equal(json_integer_value(json_object_get(r, "events")),
	    TSUPPORT_NEVENTS);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "checkpoints")), 2);
	assert_int_equal(json_integer_value(json_object_get(r, "cases")), 3);
	assert_int_equal(
	    json_integer_value(json_object_get(r, "last_checkpoint_seq")), 6);
	assert_null(json_object_get(r, "first_bad_seq"));
	/* The unsigned tail is named. */
	assert_int_equal(json_array_size(json_object_get(r, "warnings")), 1);
	w = json_string_value(
	    json_array_get(json_object_get(r, "warnings"), 0));
	assert_non_null(strstr(w, "after seq 6"));
	json_decref(r);
	/* header, 9 events, 2 checkpoints (after 3 and 6), 3 cases, end */
	assert_int_equal(fx->nlines, 1 + TSUPPORT_NEVENTS + 2 + 3 + 1);
	assert_int_equal(TSUPPORT_CP(fx, 3), TSUPPORT_EV(fx, 3) + 1);
	assert_int_equal(TSUPPORT_CP(fx, 6), TSUPPORT_EV(fx, 6) + 1);
	o = tsupport_line_json(fx, fx->nlines - 1);
	assert_string_equal(tsupport_jstr(o, "type"), "end");
	assert_int_equal(json_integer_value(json_object_get(
	                     json_object_get(o, "head"), "seq")),
	    TSUPPORT_NEVENTS);
	json_decref(o);
	/* One big page gives the same lines but for times and signatures. */
	tsupport_free_lines(fx);
	tsupport_export_store(fx, fx->export, 1000);
	tsupport_load_lines(fx, fx->export);
	assert_int_equal(fx->nlines, 1 + TSUPPORT_NEVENTS + 2 + 3 + 1);
	r = tsupport_verify_lines(fx, tsupport_audit_g.ca.crt);
	assert_true(json_is_true(json_object_get(r, "valid")));
	json_decref(r);
}

static void
test_auditlog_export_changed_to(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* seq 5: C1 mediation -> arbitration; one letter of "to". */
	edit_text(fx, TSUPPORT_EV(fx, 5), "\"to\":\"arbitration\"",
	    "\"to\":\"arbitratiom\"");
	tsupport_expect_bad(fx, 5, "hash does not match the event's content");
}

static void
test_auditlog_export_changed_actor_byte(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* 李 is e6 9d 8e; e6 9d 8f (杏) is still valid UTF-8. */
	edit_text(fx, TSUPPORT_EV(fx, 5), "\xe6\x9d\x8e\xe6\x98\x8e",
	    "\xe6\x9d\x8f\xe6\x98\x8e");
	tsupport_expect_bad(fx, 5, "hash does not match the event's content");
}

/*
 * Every single-bit flip of every byte of event 5's line, the newline
 * included, makes the export invalid at seq 5. The only exception is
 * the value of "type" (framing, not content): "evenu" is a line of an
 * unknown type, reported as not tied to an event (seq 0).
 */
static void
test_auditlog_export_every_bit_flip_of_an_event(void **state)
{
	struct tsupport_auditfx *fx = *state;
	size_t      i = TSUPPORT_EV(fx, 5), k, len = strlen(fx->lines[i]);
	char       *orig = strdup(fx->lines[i]);
	const char *tv   = strstr(orig, "\"type\":\"event\"");
	size_t      t0, t1, flips = 0;
	json_t     *r;
	json_int_t  want, got;

	assert_non_null(tv);
	t0 = (size_t) (tv - orig) + strlen("\"type\":\"");
	t1 = t0 + strlen("event");
	for (k = 0; k < len; k++) {
		memcpy(fx->lines[i], orig, len + 1);
		fx->lines[i][k] = (char) (fx->lines[i][k] ^ 0x01);
		want            = k >= t0 && k < t1 ? 0 : 5;
		r   = tsupport_verify_lines(fx, tsupport_audit_g.ca.crt);
		got = json_integer_value(json_object_get(r, "first_bad_seq"));
		if (json_is_true(json_object_get(r, "valid")) || got != want) {
			char ctx[128];

			snprintf(ctx, sizeof(ctx),
			    "flip of byte %zu (0x%02x) of event 5: want seq "
			    "%" JSON_INTEGER_FORMAT,
			    k, (unsigned char) orig[k], want);
			free(orig);
			tsupport_fail_report(ctx, r);
		}
		json_decref(r);
		flips++;
	}
	assert_true(flips > 300);
	free(orig);
}

static void
test_auditlog_export_event_removed(void **state)
{
	struct tsupport_auditfx *fx = *state;

	line_del(fx, TSUPPORT_EV(fx, 5));
	tsupport_expect_bad(fx, 5, "event missing: the sequence jumps");
}

static void
test_auditlog_export_first_event_removed(void **state)
{
	struct tsupport_auditfx *fx = *state;

	line_del(fx, TSUPPORT_EV(fx, 1));
	tsupport_expect_bad(fx, 1, "event missing");
}

static void
test_auditlog_export_checkpointed_event_removed(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* The checkpoint of seq 6 now follows event 5. */
	line_del(fx, TSUPPORT_EV(fx, 6));
	tsupport_expect_bad(fx, 6, "events are missing before a checkpoint");
}

static void
test_auditlog_export_event_inserted(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t *copy = tsupport_line_json(fx, TSUPPORT_EV(fx, 2));

	/* A copy of event 2 as seq 6, hash recomputed, its prev kept. */
	json_object_set_new(copy, "seq", json_integer(6));
	rehash(copy);
	line_insert(fx, TSUPPORT_EV(fx, 5) + 1, copy);
	tsupport_expect_bad(fx, 6, "previous-hash link does not match");
}

static void
test_auditlog_export_event_inserted_and_renumbered(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t *copy = tsupport_line_json(fx, TSUPPORT_EV(fx, 2)), *prev, *o;
	size_t  i;
	json_int_t s;

	/* The forger renumbers the events after it and rehashes each; only
	 * the link of the event after the insertion breaks. */
	for (s = TSUPPORT_NEVENTS; s >= 6; s--) {
		i = TSUPPORT_EV(fx, s);
		o = tsupport_line_json(fx, i);
		json_object_set_new(o, "seq", json_integer(s + 1));
		rehash(o);
		line_set(fx, i, o);
	}
	prev = tsupport_line_json(fx, TSUPPORT_EV(fx, 5));
	json_object_set_new(copy, "seq", json_integer(6));
	json_object_set_new(
	    copy, "prev", json_string(tsupport_jstr(prev, "hash")));
	rehash(copy);
	json_decref(prev);
	line_insert(fx, TSUPPORT_EV(fx, 5) + 1, copy);
	tsupport_expect_bad(fx, 7, "previous-hash link does not match");
}

static void
test_auditlog_export_events_swapped(void **state)
{
	struct tsupport_auditfx *fx = *state;

	line_swap(fx, TSUPPORT_EV(fx, 4), TSUPPORT_EV(fx, 5));
	tsupport_expect_bad(fx, 4, "event missing: the sequence jumps");
}

static void
test_auditlog_export_events_swapped_and_renumbered(void **state)
{
	struct tsupport_auditfx *fx = *state;
	size_t  i4 = TSUPPORT_EV(fx, 4), i5 = TSUPPORT_EV(fx, 5);
	json_t *a = tsupport_line_json(fx, i4),
	       *b = tsupport_line_json(fx, i5);

	/* Contents swapped, seqs kept in order, both rehashed. */
	json_object_set_new(a, "seq", json_integer(5));
	json_object_set_new(b, "seq", json_integer(4));
	rehash(a);
	rehash(b);
	line_set(fx, i4, b);
	line_set(fx, i5, a);
	tsupport_expect_bad(fx, 4, "previous-hash link does not match");
}

static void
test_auditlog_export_event_rehashed(void **state)
{
	struct tsupport_auditfx *fx = *state;
	size_t                   i  = TSUPPORT_EV(fx, 5);
	json_t                  *o  = tsupport_line_json(fx, i);

	/* The event itself is consistent again; the next link breaks. */
	json_object_set_new(o, "to", json_string("closed_paid"));
	rehash(o);
	line_set(fx, i, o);
	tsupport_expect_bad(fx, 6, "previous-hash link does not match");
}

static void
test_auditlog_export_chain_rewritten_from_5(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* Every hash and link holds; only checkpoint 6 can tell. */
	set_actor(fx, 5, "张三");
	relink_from(fx, 5);
	tsupport_expect_bad(
	    fx, 6, "the chain differs from what the server signed");
}

static void
test_auditlog_export_chain_rewritten_from_1(void **state)
{
	struct tsupport_auditfx *fx = *state;

	set_actor(fx, 1, "张三");
	relink_from(fx, 1);
	tsupport_expect_bad(
	    fx, 3, "the chain differs from what the server signed");
}

static void
test_auditlog_export_chain_rewritten_in_the_tail(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* After the last checkpoint only the export-time head can tell. */
	set_actor(fx, 8, "张三");
	relink_from(fx, 8);
	tsupport_expect_bad(fx, TSUPPORT_NEVENTS,
	    "the chain differs from what the server "
	    "signed");
}

static void
test_auditlog_export_chain_rewritten_checkpoints_dropped(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* Dropping the checkpoints that no longer match does not help: the
	 * signed export-time head covers the whole chain. */
	set_actor(fx, 2, "张三");
	relink_from(fx, 2);
	line_del(fx, TSUPPORT_CP(fx, 6));
	line_del(fx, TSUPPORT_CP(fx, 3));
	tsupport_expect_bad(fx, TSUPPORT_NEVENTS,
	    "the chain differs from what the server "
	    "signed");
}

static void
test_auditlog_export_checkpoint_signature_altered(void **state)
{
	struct tsupport_auditfx *fx  = *state;
	size_t                   i   = TSUPPORT_CP(fx, 3);
	json_t                  *o   = tsupport_line_json(fx, i);
	char                    *sig = strdup(tsupport_jstr(o, "sig"));

	/* One base64 character in the middle of the signature. */
	sig[20] = sig[20] == 'A' ? 'B' : 'A';
	json_object_set_new(o, "sig", json_string(sig));
	free(sig);
	line_set(fx, i, o);
	tsupport_expect_bad(fx, 3, "signature does not verify");
}

static void
test_auditlog_export_checkpoint_head_altered(void **state)
{
	struct tsupport_auditfx *fx = *state;
	size_t                   i  = TSUPPORT_CP(fx, 3);
	json_t                  *o  = tsupport_line_json(fx, i), *ev;

	/* The head of a checkpoint made to match a rewritten event 3. */
	ev = tsupport_line_json(fx, TSUPPORT_EV(fx, 3));
	json_object_set_new(ev, "to", json_string("closed_paid"));
	rehash(ev);
	json_object_set_new(o, "head", json_string(tsupport_jstr(ev, "hash")));
	line_set(fx, TSUPPORT_EV(fx, 3), ev);
	line_set(fx, i, o);
	tsupport_expect_bad(fx, 3, "signature does not verify");
}

static void
test_auditlog_export_checkpoint_seq_altered(void **state)
{
	struct tsupport_auditfx *fx = *state;
	size_t                   i  = TSUPPORT_CP(fx, 3);
	json_t                  *o  = tsupport_line_json(fx, i);

	/* Moved to cover event 4 instead: seq is signed. */
	json_object_set_new(o, "seq", json_integer(4));
	line_del(fx, i);
	line_insert(fx, TSUPPORT_EV(fx, 4) + 1, o);
	tsupport_expect_bad(fx, 4, "signature does not verify");
}

static void
test_auditlog_export_checkpoint_moved(void **state)
{
	struct tsupport_auditfx *fx = *state;
	char                    *cp;
	size_t                   i = TSUPPORT_CP(fx, 3);

	/* Checkpoint 3 now after event 4: out of place. */
	cp = fx->lines[i];
	memmove(&fx->lines[i], &fx->lines[i + 1], sizeof(char *));
	fx->lines[i + 1] = cp;
	tsupport_expect_bad(fx, 4, "a checkpoint is out of place");
}

static void
test_auditlog_export_end_removed(void **state)
{
	struct tsupport_auditfx *fx = *state;

	line_del(fx, fx->nlines - 1);
	tsupport_expect_bad(fx, TSUPPORT_NEVENTS + 1,
	    "the log may have been cut after the last checkpoint (seq 6)");
}

static void
test_auditlog_export_tail_cut(void **state)
{
	struct tsupport_auditfx *fx = *state;

	size_t cut = TSUPPORT_EV(fx, 8);

	/* The file cut after event 7: events 8, 9, the cases, the end. */
	while (fx->nlines > cut) {
		line_del(fx, fx->nlines - 1);
	}
	tsupport_expect_bad(fx, 8,
	    "the log may have been cut after the last checkpoint (seq 6)");
}

static void
test_auditlog_export_tail_cut_before_a_checkpoint(void **state)
{
	struct tsupport_auditfx *fx = *state;

	size_t cut = TSUPPORT_EV(fx, 5);

	while (fx->nlines > cut) {
		line_del(fx, fx->nlines - 1);
	}
	tsupport_expect_bad(fx, 5,
	    "the log may have been cut after the last checkpoint (seq 3)");
}

static void
test_auditlog_export_tail_events_removed_end_kept(void **state)
{
	struct tsupport_auditfx *fx = *state;

	line_del(fx, TSUPPORT_EV(fx, 9));
	line_del(fx, TSUPPORT_EV(fx, 8));
	tsupport_expect_bad(fx, 8,
	    "the log was cut: the signed export-time head is "
	    "beyond the last event");
}

static void
test_auditlog_export_tail_and_case_removed_end_kept(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* Case C3 lives only in the tail: remove every trace of it. */
	line_del(fx, tsupport_find_line(fx, "case", 0, TSUPPORT_C3));
	line_del(fx, TSUPPORT_EV(fx, 9));
	line_del(fx, TSUPPORT_EV(fx, 8));
	tsupport_expect_bad(fx, 8, "the log was cut");
}

static void
test_auditlog_export_event_appended(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t *o = tsupport_line_json(fx, TSUPPORT_EV(fx, TSUPPORT_NEVENTS)),
	       *prev;

	/* A well-linked event 10 after the signed head. */
	prev = json_string(tsupport_jstr(o, "hash"));
	json_object_set_new(o, "seq", json_integer(TSUPPORT_NEVENTS + 1));
	json_object_set_new(o, "prev", prev);
	rehash(o);
	line_insert(fx, TSUPPORT_EV(fx, TSUPPORT_NEVENTS) + 1, o);
	tsupport_expect_bad(fx, TSUPPORT_NEVENTS + 1,
	    "events were added after the signed "
	    "export-time head");
}

static void
test_auditlog_export_case_line_changed(void **state)
{
	struct tsupport_auditfx *fx = *state;
	size_t  i = tsupport_find_line(fx, "case", 0, TSUPPORT_C1);
	json_t *o = tsupport_line_json(fx, i);

	assert_string_equal(tsupport_jstr(o, "state"), "arbitration");
	json_object_set_new(o, "state", json_string("closed_paid"));
	line_set(fx, i, o);
	tsupport_expect_bad(
	    fx, 0, "case " TSUPPORT_C1 ": its state or revision differs");
}

static void
test_auditlog_export_case_revision_changed(void **state)
{
	struct tsupport_auditfx *fx = *state;
	size_t  i = tsupport_find_line(fx, "case", 0, TSUPPORT_C2);
	json_t *o = tsupport_line_json(fx, i);

	assert_int_equal(
	    json_integer_value(json_object_get(o, "revision")), 4);
	json_object_set_new(o, "revision", json_integer(3));
	line_set(fx, i, o);
	tsupport_expect_bad(
	    fx, 0, "case " TSUPPORT_C2 ": its state or revision differs");
}

static void
test_auditlog_export_case_line_removed(void **state)
{
	struct tsupport_auditfx *fx = *state;

	line_del(fx, tsupport_find_line(fx, "case", 0, TSUPPORT_C2));
	tsupport_expect_bad(
	    fx, 0, "case " TSUPPORT_C2 " has events but no case line");
}

static void
test_auditlog_export_other_ca(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t                  *r;

	/* Signed through and through by a server of another CA. */
	resign(fx, tsupport_audit_g.foreign);
	r = tsupport_verify_lines(fx, tsupport_audit_g.other.crt);
	assert_true(json_is_true(json_object_get(r, "valid")));
	json_decref(r);
	tsupport_expect_bad(
	    fx, 0, "not issued by this CA as a server certificate");
}

static void
test_auditlog_export_other_ca_certificate_only(void **state)
{
	struct tsupport_auditfx *fx = *state;
	size_t                   i = tsupport_find_line(fx, "header", 0, NULL);
	json_t                  *o = tsupport_line_json(fx, i);

	json_object_set_new(o, "server_certificate",
	    json_string(checkpoint_signer_cert(tsupport_audit_g.foreign)));
	line_set(fx, i, o);
	tsupport_expect_bad(
	    fx, 0, "not issued by this CA as a server certificate");
}

static void
test_auditlog_export_client_certificate(void **state)
{
	struct tsupport_auditfx *fx = *state;

	/* Our CA, but a clerk's certificate: not a server's. */
	resign(fx, tsupport_audit_g.clerk);
	tsupport_expect_bad(
	    fx, 0, "not issued by this CA as a server certificate");
}

static void
test_auditlog_export_header_removed(void **state)
{
	struct tsupport_auditfx *fx = *state;

	line_del(fx, 0);
	tsupport_expect_bad(fx, 0, "the first line must be the header");
}

static void
test_auditlog_export_line_after_end(void **state)
{
	struct tsupport_auditfx *fx = *state;

	line_insert(
	    fx, fx->nlines, tsupport_line_json(fx, TSUPPORT_EV(fx, 1)));
	tsupport_expect_bad(
	    fx, TSUPPORT_NEVENTS + 1, "lines after the end line");
}

#define T(f)                             \
	cmocka_unit_test_setup_teardown( \
	    f, tsupport_audit_setup, tsupport_audit_teardown)

/* set_end_head re-signs the end line over event seq's hash, as the server
 * would when exporting a database edited behind its back. */
static void
set_end_head(struct tsupport_auditfx *fx, json_int_t seq)
{
	json_t *o, *ev, *cp;
	size_t  i;

	ev =
	    tsupport_line_json(fx, tsupport_find_line(fx, "event", seq, NULL));
	cp = checkpoint_sign(
	    tsupport_audit_g.signer, seq, tsupport_jstr(ev, "hash"));
	assert_non_null(cp);
	json_decref(ev);
	for (i = 0; i < fx->nlines; i++) {
		o = tsupport_line_json(fx, i);
		if (strcmp(tsupport_jstr(o, "type"), "end") == 0) {
			json_object_set(o, "head", cp);
			json_object_set_new(o, "events", json_integer(seq));
			line_set(fx, i, o);
		} else {
			json_decref(o);
		}
	}
	json_decref(cp);
}

/* replay_case_lines makes the case lines agree with the events left, as an
 * export of a database rolled back consistently would. */
static void
replay_case_lines(struct tsupport_auditfx *fx)
{
	json_t     *rep = json_object(), *o, *r;
	const char *id;
	size_t      i;

	for (i = 0; i < fx->nlines; i++) {
		o = tsupport_line_json(fx, i);
		if (strcmp(tsupport_jstr(o, "type"), "event") == 0 &&
		    (id = tsupport_jstr(o, "case")) != NULL && *id != '\0') {
			r = json_object_get(rep, id);
			json_object_set_new(rep, id,
			    json_pack("[s,I]", tsupport_jstr(o, "to"),
			        (r != NULL ? json_integer_value(
			                         json_array_get(r, 1))
			                   : 0) +
			            1));
		}
		json_decref(o);
	}
	for (i = 0; i < fx->nlines; i++) {
		o = tsupport_line_json(fx, i);
		if (strcmp(tsupport_jstr(o, "type"), "case") == 0) {
			r = json_object_get(rep, tsupport_jstr(o, "id"));
			if (r == NULL) {
				json_decref(o);
				line_del(fx, i--);
				continue;
			}
			json_object_set(o, "state", json_array_get(r, 0));
			json_object_set(o, "revision", json_array_get(r, 1));
			line_set(fx, i, o);
		} else {
			json_decref(o);
		}
	}
	json_decref(rep);
}

static json_t *
verify_since(struct tsupport_auditfx *fx)
{
	FILE   *cur, *old;
	json_t *r     = NULL,
	       *alone = tsupport_verify_lines(fx, tsupport_audit_g.ca.crt);

	/* Alone, the server-signed export of the edited log verifies. */
	assert_true(json_is_true(json_object_get(alone, "valid")));
	json_decref(alone);
	cur = fopen(fx->tampered, "r");
	old = fopen(fx->export, "r");
	assert_non_null(cur);
	assert_non_null(old);
	assert_int_equal(
	    auditlog_verify_against(cur, old, tsupport_audit_g.ca.crt, &r), 0);
	fclose(cur);
	fclose(old);
	return (r);
}

static void
test_auditlog_since_catches_a_rewritten_tail(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t                  *r;

	set_actor(fx, 8, "张三");
	relink_from(fx, 8);
	set_end_head(fx, TSUPPORT_NEVENTS);
	r = verify_since(fx);
	assert_false(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(
	    json_integer_value(json_object_get(r, "first_bad_seq")),
	    TSUPPORT_NEVENTS);
	assert_non_null(strstr(tsupport_jstr(r, "problem"), "earlier export"));
	json_decref(r);
}

static void
test_auditlog_since_catches_a_cut_tail(void **state)
{
	struct tsupport_auditfx *fx = *state;
	json_t                  *r;

	line_del(fx, tsupport_find_line(fx, "event", TSUPPORT_NEVENTS, NULL));
	line_del(
	    fx, tsupport_find_line(fx, "event", TSUPPORT_NEVENTS - 1, NULL));
	replay_case_lines(fx);
	set_end_head(fx, TSUPPORT_NEVENTS - 2);
	r = verify_since(fx);
	assert_false(json_is_true(json_object_get(r, "valid")));
	assert_int_equal(
	    json_integer_value(json_object_get(r, "first_bad_seq")),
	    TSUPPORT_NEVENTS - 1);
	assert_non_null(strstr(tsupport_jstr(r, "problem"), "cut since"));
	json_decref(r);
}

static void
test_auditlog_since_itself_verifies(void **state)
{
	struct tsupport_auditfx *fx = *state;
	FILE                    *a, *b;
	json_t                  *r = NULL;

	a = fopen(fx->export, "r");
	b = fopen(fx->export, "r");
	assert_int_equal(
	    auditlog_verify_against(a, b, tsupport_audit_g.ca.crt, &r), 0);
	fclose(a);
	fclose(b);
	assert_true(json_is_true(json_object_get(r, "valid")));
	json_decref(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_auditlog_export_untouched_verifies),
		T(test_auditlog_export_changed_to),
		T(test_auditlog_export_changed_actor_byte),
		T(test_auditlog_export_every_bit_flip_of_an_event),
		T(test_auditlog_export_event_removed),
		T(test_auditlog_export_first_event_removed),
		T(test_auditlog_export_checkpointed_event_removed),
		T(test_auditlog_export_event_inserted),
		T(test_auditlog_export_event_inserted_and_renumbered),
		T(test_auditlog_export_events_swapped),
		T(test_auditlog_export_events_swapped_and_renumbered),
		T(test_auditlog_export_event_rehashed),
		T(test_auditlog_export_chain_rewritten_from_5),
		T(test_auditlog_export_chain_rewritten_from_1),
		T(test_auditlog_export_chain_rewritten_in_the_tail),
		T(test_auditlog_export_chain_rewritten_checkpoints_dropped),
		T(test_auditlog_export_checkpoint_signature_altered),
		T(test_auditlog_export_checkpoint_head_altered),
		T(test_auditlog_export_checkpoint_seq_altered),
		T(test_auditlog_export_checkpoint_moved),
		T(test_auditlog_export_end_removed),
		T(test_auditlog_export_tail_cut),
		T(test_auditlog_export_tail_cut_before_a_checkpoint),
		T(test_auditlog_export_tail_events_removed_end_kept),
		T(test_auditlog_export_tail_and_case_removed_end_kept),
		T(test_auditlog_export_event_appended),
		T(test_auditlog_export_case_line_changed),
		T(test_auditlog_export_case_revision_changed),
		T(test_auditlog_export_case_line_removed),
		T(test_auditlog_export_other_ca),
		T(test_auditlog_export_other_ca_certificate_only),
		T(test_auditlog_export_client_certificate),
		T(test_auditlog_export_header_removed),
		T(test_auditlog_export_line_after_end),
		T(test_auditlog_since_catches_a_rewritten_tail),
		T(test_auditlog_since_catches_a_cut_tail),
		T(test_auditlog_since_itself_verifies),
	};

	return (cmocka_run_group_tests_name("auditlog", tests,
	    tsupport_audit_group_setup, tsupport_audit_group_teardown));
}
