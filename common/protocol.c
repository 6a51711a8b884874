/* SPDX-License-Identifier: MIT */
/*
 * protocol.c - the error table of include/wage/protocol.h, shared by the
 * server, the client library and wagectl (all link libwage-common.a).
 * Owns: the wire names, default messages and exit codes of enum wage_err,
 * and filling a struct wage_error (wage_err_set) safely for display.
 * Must not: allocate, log, or know about any transport.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wage/protocol.h"

struct err_row {
	int         code;
	const char *name;
	const char *message;
	int         exit_code;
};

static const struct err_row err_table[] = {
	{ WAGE_OK, "OK", "success", WAGE_EXIT_OK },
	{ WAGE_E_BAD_REQUEST, "BAD_REQUEST",
	    "the request is not a JSON object of the form "
	    "{\"op\": ..., \"token\": ..., \"args\": {...}}",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_TOO_LARGE, "TOO_LARGE",
	    "the request is over a size or nesting limit", WAGE_EXIT_REFUSED },
	{ WAGE_E_UNKNOWN_OP, "UNKNOWN_OP", "no such operation",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_INVALID_ARGUMENT, "INVALID_ARGUMENT",
	    "an argument is missing or not valid", WAGE_EXIT_REFUSED },
	{ WAGE_E_UNAUTHENTICATED, "UNAUTHENTICATED",
	    "no valid session token: log in first", WAGE_EXIT_REFUSED },
	{ WAGE_E_TOKEN_EXPIRED, "TOKEN_EXPIRED",
	    "the session has expired: log in again", WAGE_EXIT_REFUSED },
	{ WAGE_E_CERT_REJECTED, "CERT_REJECTED",
	    "the certificate was not issued by this deployment's CA, or is "
	    "expired or not valid for a user",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_CERT_REVOKED, "CERT_REVOKED", "the certificate is revoked",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_BAD_SIGNATURE, "BAD_SIGNATURE",
	    "the login signature does not match the certificate's key or the "
	    "challenge",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_FORBIDDEN, "FORBIDDEN", "your role may not do this",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_OUT_OF_SCOPE, "OUT_OF_SCOPE",
	    "the case is outside your region or organisation",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_NOT_FOUND, "NOT_FOUND", "no such case", WAGE_EXIT_REFUSED },
	{ WAGE_E_ILLEGAL_TRANSITION, "ILLEGAL_TRANSITION",
	    "the event is not allowed in the case's current state",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_STALE_REVISION, "STALE_REVISION",
	    "the case has changed since you read it: show it again and retry",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_STORAGE_FULL, "STORAGE_FULL",
	    "the case database is full: nothing was stored; tell the operator",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_BUSY, "BUSY", "the server is overloaded: try again shortly",
	    WAGE_EXIT_REFUSED },
	{ WAGE_E_AUDIT_BROKEN, "AUDIT_BROKEN",
	    "the audit chain does not verify", WAGE_EXIT_REFUSED },
	{ WAGE_E_INTERNAL, "INTERNAL", "internal error", WAGE_EXIT_INTERNAL },
	{ WAGE_E_CONNECTION, "CONNECTION", "cannot reach the server",
	    WAGE_EXIT_CONNECTION },
	{ WAGE_E_TLS, "TLS",
	    "TLS failed: check the CA, certificate and key files",
	    WAGE_EXIT_CONNECTION },
	{ WAGE_E_TIMEOUT, "TIMEOUT", "the server did not answer in time",
	    WAGE_EXIT_CONNECTION },
	{ WAGE_E_USAGE, "USAGE", "bad command line", WAGE_EXIT_USAGE },
};

static const struct err_row *
err_row(int code)
{
	if (code < 0 || code >= WAGE_E__COUNT) {
		return (&err_table[WAGE_E_INTERNAL]);
	}
	return (&err_table[code]);
}

const char *
wage_err_name(int code)
{
	return (err_row(code)->name);
}

const char *
wage_err_message(int code)
{
	return (err_row(code)->message);
}

int
wage_err_exit(int code)
{
	return (err_row(code)->exit_code);
}

int
wage_err_from_name(const char *name)
{
	size_t i;

	if (name == NULL) {
		return (WAGE_E_INTERNAL);
	}
	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++) {
		if (strcmp(err_table[i].name, name) == 0) {
			return (err_table[i].code);
		}
	}
	return (WAGE_E_INTERNAL);
}

void
wage_err_clear(struct wage_error *err)
{
	if (err != NULL) {
		err->code       = WAGE_OK;
		err->field[0]   = '\0';
		err->message[0] = '\0';
	}
}

/* utf8_len returns the length of a valid UTF-8 sequence at s, or 0. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned long cp;
	size_t        n, i;

	if (s[0] < 0x80) {
		return (1);
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n  = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n  = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n  = 4;
		cp = s[0] & 0x07;
	} else {
		return (0);
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			return (0);
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
		return (0);
	}
	return (n);
}

/*
 * strip_controls makes s safe to show and to put in JSON: control
 * characters and bytes that are not valid UTF-8 become '?', and a
 * sequence cut by truncation is dropped.
 */
static void
strip_controls(char *s)
{
	unsigned char *u = (unsigned char *) s;
	size_t         n;

	while (*u != '\0') {
		if (*u < 0x20 || *u == 0x7f) {
			*u++ = '?';
			continue;
		}
		if ((n = utf8_len(u)) == 0) {
			*u++ = '?';
			continue;
		}
		if (n == 2 && u[0] == 0xc2 && u[1] < 0xa0) {
			u[0] = '?'; /* C1 control U+0080..U+009F */
			u[1] = '?';
		}
		u += n;
	}
}

int
wage_err_set(
    struct wage_error *err, int code, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL) {
		return (code);
	}
	err->code = code;
	snprintf(
	    err->field, sizeof(err->field), "%s", field != NULL ? field : "");
	strip_controls(err->field);
	if (fmt == NULL) {
		snprintf(err->message, sizeof(err->message), "%s",
		    wage_err_message(code));
	} else {
		int    n;
		size_t cut;

		va_start(ap, fmt);
		n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
		va_end(ap);
		if (n >= (int) sizeof(err->message)) {
			/* Cut: say so, and never inside a character. */
			cut = sizeof(err->message) - 4;
			while (cut > 0 &&
			    ((unsigned char) err->message[cut] & 0xC0) ==
			        0x80) {
				cut--;
			}
			memcpy(err->message + cut, "...", 4);
		}
	}
	strip_controls(err->message);
	return (code);
}
