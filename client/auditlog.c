/* SPDX-License-Identifier: MIT */
/*
 * auditlog.c - the offline verification of an exported audit log (the
 * format and its hashes are common/auditfmt.h).
 * Owns: checking an export line by line (chain, checkpoints, signatures,
 * case replay) and against an earlier export. Must not: talk to a server
 * (it works from the file and the CA certificate alone), or define a hash
 * of its own (auditfmt.c's are the server's).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/base64.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "auditfmt.h"
#include "auditlog.h"

/* ---- offline verification ------------------------------------------ */

static int verify_export(
    FILE *f, const char *ca_path, json_t *known, json_t **report);

struct vstate {
	mbedtls_x509_crt ca, server;
	int              have_server;
	json_int_t       expect;   /* next event seq */
	char             prev[65]; /* hash of the last event */
	json_t          *replay;   /* case -> [state, revision] */
	json_t          *cases;    /* case lines seen: id -> [state, rev] */
	json_t          *warnings;
	json_int_t       last_cp; /* seq of the last checkpoint */
	json_int_t       ncp;
	json_int_t       bad_seq;
	char             problem[256];
	int              bad;
	int              ended;
	json_t *known; /* seq (text) -> head, from an earlier export */
};

static void
fail_at(struct vstate *vs, json_int_t seq, const char *what)
{
	if (vs->bad) {
		return; /* report the first problem */
	}
	vs->bad     = 1;
	vs->bad_seq = seq;
	snprintf(vs->problem, sizeof(vs->problem), "%s", what);
}

static int
check_sig(struct vstate *vs, const json_t *cp)
{
	unsigned char digest[32], sig[256];
	size_t        siglen;
	const char   *head = json_string_value(json_object_get(cp, "head"));
	const char   *time = json_string_value(json_object_get(cp, "time"));
	const char   *s64  = json_string_value(json_object_get(cp, "sig"));
	json_t       *seqv = json_object_get(cp, "seq");

	if (!vs->have_server || head == NULL || time == NULL || s64 == NULL ||
	    !json_is_integer(seqv) ||
	    auditfmt_checkpoint_digest(
	        json_integer_value(seqv), head, time, digest) != 0 ||
	    mbedtls_base64_decode(sig, sizeof(sig), &siglen,
	        (const unsigned char *) s64, strlen(s64)) != 0) {
		return (-1);
	}
	return (mbedtls_pk_verify(&vs->server.pk, MBEDTLS_MD_SHA256, digest,
	            sizeof(digest), sig, siglen) == 0
	        ? 0
	        : -1);
}

static void
on_header(struct vstate *vs, const json_t *o)
{
	const char *pem =
	    json_string_value(json_object_get(o, "server_certificate"));
	const char *fmt   = json_string_value(json_object_get(o, "format"));
	uint32_t    flags = 0;

	if (fmt == NULL || strcmp(fmt, AUDITFMT_FORMAT) != 0) {
		fail_at(vs, 0,
		    "the header does not name the format " AUDITFMT_FORMAT);
		return;
	}
	if (pem == NULL ||
	    mbedtls_x509_crt_parse(&vs->server, (const unsigned char *) pem,
	        strlen(pem) + 1) != 0) {
		fail_at(vs, 0,
		    "the header's server certificate does not "
		    "parse");
		return;
	}
	if (mbedtls_x509_crt_verify(
	        &vs->server, &vs->ca, NULL, NULL, &flags, NULL, NULL) != 0 ||
	    mbedtls_x509_crt_check_extended_key_usage(&vs->server,
	        MBEDTLS_OID_SERVER_AUTH,
	        MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)) != 0) {
		fail_at(vs, 0,
		    "the server certificate was not issued by this "
		    "CA as a server certificate");
		return;
	}
	vs->have_server = 1;
}

static void
on_event(struct vstate *vs, const json_t *o)
{
	json_int_t  seq    = json_integer_value(json_object_get(o, "seq"));
	const char *stored = json_string_value(json_object_get(o, "hash"));
	const char *prev   = json_string_value(json_object_get(o, "prev"));
	const char *cid    = json_string_value(json_object_get(o, "case"));
	const char *to     = json_string_value(json_object_get(o, "to"));
	char        hash[65];
	json_t     *rep;

	if (!json_is_integer(json_object_get(o, "seq")) || seq != vs->expect) {
		fail_at(vs, vs->expect,
		    seq > vs->expect ? "event missing: the sequence jumps"
		                     : "event out of order or repeated");
		return;
	}
	if (prev == NULL || strcmp(prev, vs->prev) != 0) {
		fail_at(vs, seq,
		    "previous-hash link does not match the event before");
		return;
	}
	if (stored == NULL || auditfmt_event_hash(o, hash) != 0 ||
	    strcmp(hash, stored) != 0) {
		fail_at(vs, seq, "hash does not match the event's content");
		return;
	}
	if (vs->known != NULL) {
		char        key[32];
		const char *was;

		snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT, seq);
		was = json_string_value(json_object_get(vs->known, key));
		if (was != NULL && strcmp(was, stored) != 0) {
			fail_at(vs, seq,
			    "the chain differs from the one an earlier export "
			    "signed at this seq: the log was rewritten since");
			return;
		}
	}
	snprintf(vs->prev, sizeof(vs->prev), "%s", stored);
	vs->expect++;
	if (cid != NULL && to != NULL) {
		rep = json_object_get(vs->replay, cid);
		if (rep == NULL) {
			json_object_set_new(vs->replay, cid,
			    json_pack("[s,I]", to, (json_int_t) 1));
		} else {
			json_array_set_new(rep, 0, json_string(to));
			json_array_set_new(rep, 1,
			    json_integer(
			        json_integer_value(json_array_get(rep, 1)) +
			        1));
		}
	}
}

static void
on_checkpoint(struct vstate *vs, const json_t *o, int final)
{
	json_int_t  seq  = json_integer_value(json_object_get(o, "seq"));
	const char *head = json_string_value(json_object_get(o, "head"));

	if (check_sig(vs, o) != 0) {
		fail_at(vs, seq,
		    "a checkpoint's signature does not verify with the server "
		    "certificate");
		return;
	}
	/* A checkpoint follows the event it covers. */
	if (seq > vs->expect - 1) {
		fail_at(vs, vs->expect,
		    final ? "the log was cut: the signed export-time head is "
		            "beyond the last event"
		          : "events are missing before a checkpoint");
		return;
	}
	if (seq < vs->expect - 1) {
		fail_at(vs, seq + 1,
		    final ? "events were added after the signed export-time "
		            "head"
		          : "a checkpoint is out of place (events were moved "
		            "or inserted before it)");
		return;
	}
	if (head == NULL || strcmp(vs->prev, head) != 0) {
		fail_at(vs, seq,
		    "the chain differs from what the server signed at this "
		    "checkpoint");
		return;
	}
	if (!final) {
		vs->last_cp = seq;
		vs->ncp++;
	}
}

static void
compare_cases(struct vstate *vs)
{
	const char *id;
	json_t     *c, *r;

	json_object_foreach (vs->cases, id, c) {
		r = json_object_get(vs->replay, id);
		if (r == NULL || !json_equal(r, c)) {
			char msg[160];

			snprintf(msg, sizeof(msg),
			    "case %.40s: its state or revision differs from "
			    "the "
			    "replay of its events",
			    id);
			fail_at(vs, 0, msg);
			return;
		}
	}
	json_object_foreach (vs->replay, id, r) {
		if (json_object_get(vs->cases, id) == NULL) {
			char msg[160];

			snprintf(msg, sizeof(msg),
			    "case %.40s has events but no case line", id);
			fail_at(vs, 0, msg);
			return;
		}
	}
}

/*
 * known_heads reads the signed checkpoints (and the signed end head) of an
 * earlier export that verifies against the same CA: seq -> head.
 */
static json_t *
known_heads(FILE *earlier, const char *ca_path)
{
	json_t     *rep  = NULL, *known, *o, *cp;
	char       *line = NULL;
	size_t      cap  = 0;
	ssize_t     len;
	char        key[32];
	const char *type;

	if (auditlog_verify_export(earlier, ca_path, &rep) != 0 ||
	    !json_is_true(json_object_get(rep, "valid"))) {
		json_decref(rep);
		return (NULL);
	}
	json_decref(rep);
	rewind(earlier);
	known = json_object();
	while ((len = getline(&line, &cap, earlier)) > 0) {
		o    = json_loadb(line, (size_t) len, 0, NULL);
		type = json_string_value(json_object_get(o, "type"));
		cp   = NULL;
		if (type != NULL && strcmp(type, "checkpoint") == 0) {
			cp = o;
		} else if (type != NULL && strcmp(type, "end") == 0) {
			cp = json_object_get(o, "head");
		}
		if (cp != NULL &&
		    json_integer_value(json_object_get(cp, "seq")) > 0) {
			snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT,
			    json_integer_value(json_object_get(cp, "seq")));
			json_object_set(
			    known, key, json_object_get(cp, "head"));
		}
		json_decref(o);
	}
	free(line);
	return (known);
}

int
auditlog_verify_against(
    FILE *f, FILE *earlier, const char *ca_path, json_t **report)
{
	json_t     *known;
	const char *k;
	json_t     *v;
	json_int_t  maxseq = 0, events;
	int         rc;

	*report = NULL;
	if ((known = known_heads(earlier, ca_path)) == NULL) {
		return (-2);
	}
	rc = verify_export(f, ca_path, known, report);
	if (rc == 0 && json_is_true(json_object_get(*report, "valid"))) {
		json_object_foreach (known, k, v) {
			json_int_t s = strtoll(k, NULL, 10);

			maxseq = s > maxseq ? s : maxseq;
		}
		events =
		    json_integer_value(json_object_get(*report, "events"));
		if (maxseq > events) {
			char msg[200];

			snprintf(msg, sizeof(msg),
			    "the log ends at seq %" JSON_INTEGER_FORMAT
			    " but an earlier export had it signed up to seq "
			    "%" JSON_INTEGER_FORMAT ": it was cut since",
			    events, maxseq);
			json_object_set_new(*report, "valid", json_false());
			json_object_set_new(*report, "first_bad_seq",
			    json_integer(events + 1));
			json_object_set_new(
			    *report, "problem", json_string(msg));
		}
		json_object_set_new(*report, "earlier_checkpoints",
		    json_integer((json_int_t) json_object_size(known)));
	}
	json_decref(known);
	return (rc);
}

int
auditlog_verify_export(FILE *f, const char *ca_path, json_t **report)
{
	return (verify_export(f, ca_path, NULL, report));
}

static int
verify_export(FILE *f, const char *ca_path, json_t *known, json_t **report)
{
	struct vstate vs;
	char         *line = NULL;
	size_t        cap  = 0;
	ssize_t       len;
	long          lineno = 0;
	json_t       *o, *head = NULL;
	json_error_t  jerr;
	const char   *type;
	char          msg[128];

	*report = NULL;
	memset(&vs, 0, sizeof(vs));
	mbedtls_x509_crt_init(&vs.ca);
	mbedtls_x509_crt_init(&vs.server);
	if (mbedtls_x509_crt_parse_file(&vs.ca, ca_path) != 0) {
		mbedtls_x509_crt_free(&vs.ca);
		return (-1);
	}
	vs.expect   = 1;
	vs.last_cp  = -1;
	vs.known    = known;
	vs.replay   = json_object();
	vs.cases    = json_object();
	vs.warnings = json_array();
	memcpy(vs.prev, AUDITFMT_GENESIS, 65);
	while (!vs.bad && (len = getline(&line, &cap, f)) > 0) {
		lineno++;
		o = json_loadb(
		    line, (size_t) len, JSON_REJECT_DUPLICATES, &jerr);
		type = json_string_value(json_object_get(o, "type"));
		if (o == NULL || type == NULL) {
			snprintf(msg, sizeof(msg),
			    "line %ld is not a JSON object with a type",
			    lineno);
			fail_at(&vs, vs.expect, msg);
		} else if (vs.ended) {
			fail_at(&vs, vs.expect, "lines after the end line");
		} else if (lineno == 1 || strcmp(type, "header") == 0) {
			if (lineno != 1 || strcmp(type, "header") != 0) {
				fail_at(&vs, 0,
				    "the first line must be the "
				    "header, and only it");
			} else {
				on_header(&vs, o);
			}
		} else if (strcmp(type, "event") == 0) {
			on_event(&vs, o);
		} else if (strcmp(type, "checkpoint") == 0) {
			on_checkpoint(&vs, o, 0);
		} else if (strcmp(type, "case") == 0) {
			const char *id =
			    json_string_value(json_object_get(o, "id"));

			if (id == NULL) {
				fail_at(&vs, 0, "a case line has no id");
			} else {
				json_object_set_new(vs.cases, id,
				    json_pack("[O,O]",
				        json_object_get(o, "state"),
				        json_object_get(o, "revision")));
			}
		} else if (strcmp(type, "end") == 0) {
			vs.ended = 1;
			head     = json_incref(json_object_get(o, "head"));
			if (head == NULL) {
				fail_at(&vs, 0,
				    "the end line has no signed "
				    "head");
			} else {
				on_checkpoint(&vs, head, 1);
			}
		} else {
			snprintf(msg, sizeof(msg),
			    "line %ld has an unknown type", lineno);
			fail_at(&vs, 0, msg);
		}
		json_decref(o);
	}
	free(line);
	if (!vs.bad && !vs.ended) {
		/* Without the signed end line, a cut cannot be ruled out. */
		char w[200];

		snprintf(w, sizeof(w),
		    "the export has no end line: the log may have been cut "
		    "after the last checkpoint (seq %" JSON_INTEGER_FORMAT ")",
		    vs.last_cp);
		fail_at(&vs, vs.expect, w);
	}
	if (!vs.bad) {
		compare_cases(&vs);
	}
	if (!vs.bad && vs.last_cp < vs.expect - 1) {
		char w[200];

		snprintf(w, sizeof(w),
		    "events after seq %" JSON_INTEGER_FORMAT
		    " are covered only by the export-time signature",
		    vs.last_cp < 0 ? 0 : vs.last_cp);
		json_array_append_new(vs.warnings, json_string(w));
	}
	*report = json_pack("{s:b, s:I, s:I, s:I, s:I, s:o}", "valid", !vs.bad,
	    "events", vs.expect - 1, "checkpoints", vs.ncp, "cases",
	    (json_int_t) json_object_size(vs.cases), "last_checkpoint_seq",
	    vs.last_cp, "warnings", vs.warnings);
	if (vs.bad && *report != NULL) {
		json_object_set_new(
		    *report, "first_bad_seq", json_integer(vs.bad_seq));
		json_object_set_new(
		    *report, "problem", json_string(vs.problem));
	}
	json_decref(head);
	json_decref(vs.replay);
	json_decref(vs.cases);
	mbedtls_x509_crt_free(&vs.ca);
	mbedtls_x509_crt_free(&vs.server);
	return (*report != NULL ? 0 : -1);
}
