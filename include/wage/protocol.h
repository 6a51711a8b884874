/* SPDX-License-Identifier: MIT */
/*
 * wage/protocol.h - the wire protocol of wage-server: operation names,
 * the closed list of error codes, and every limit the server enforces.
 *
 * A request is one JSON object {"op": NAME, "token": TOKEN, "args": {...}},
 * a reply is {"ok": true, "result": {...}} or
 * {"ok": false, "error": {"code": CODE, "message": TEXT, "field": PATH}}.
 * This header is shared by the server, the client library and wagectl.
 */
#ifndef WAGE_PROTOCOL_H
#define WAGE_PROTOCOL_H

#include <stddef.h>

#define WAGE_PROTOCOL_VERSION 1

/* Limits, enforced before any work is done. */
#define WAGE_MAX_MSG           (256 * 1024) /* bytes in one request or reply */
#define WAGE_MAX_DEPTH         8    /* JSON nesting depth of a request */
#define WAGE_MAX_CLAIMANTS     500  /* claimants on one case */
#define WAGE_MAX_CLAIM_ITEMS   50   /* claim items on one case */
#define WAGE_MAX_AWARD_ITEMS   2000 /* items of one award: 4 a worker */
#define WAGE_MAX_NAME_CHARS    64   /* a person's or body's name */
#define WAGE_MAX_TEXT_CHARS    4000 /* facts, notes, free text */
#define WAGE_MAX_SHORT_CHARS   200  /* short labels, project names */
#define WAGE_MAX_FIELDS        32   /* fields set by one event */
#define WAGE_MAX_CASE_EVENTS   1000 /* events on one case */
/* bytes one case may hold, its head and its steps: case.get answers it
 * whole (a client takes replies up to 4 x WAGE_MAX_MSG) */
#define WAGE_MAX_CASE_BYTES    (768 * 1024)
#define WAGE_MAX_PAGE          100  /* cases in one list page */
#define WAGE_DEFAULT_PAGE      20   /* cases in a list page by default */
#define WAGE_MAX_EXPORT_PAGE   2000 /* lines in one audit.export page */
#define WAGE_MAX_AMOUNT_FEN    100000000000LL /* 1e9 yuan: above is a typo */
#define WAGE_MAX_CERT_PEM      16384 /* bytes of a certificate in login */
#define WAGE_MAX_CONN_INFLIGHT 8     /* requests at work for one connection */
#define WAGE_TOKEN_MAX         2048  /* bytes of a session token */
#define WAGE_REGION_LEN        6     /* GB/T 2260 division code */
#define WAGE_CASE_ID_MAX       32    /* bytes of a case id */
#define WAGE_CHALLENGE_TTL     120   /* seconds a login challenge lives */

/*
 * Login: the client signs, with its certificate's key (ECDSA, SHA-256),
 * WAGE_LOGIN_CONTEXT followed by the challenge string exactly as the
 * server sent it (base64), and sends the DER signature in base64.
 */
#define WAGE_LOGIN_CONTEXT "wage-server login v1\n"

/* Operations (the "op" member). */
#define WAGE_OP_AUTH_CHALLENGE   "auth.challenge"
#define WAGE_OP_AUTH_LOGIN       "auth.login"
#define WAGE_OP_WHOAMI           "whoami"
#define WAGE_OP_CASE_FILE        "case.file"
#define WAGE_OP_CASE_GET         "case.get"
#define WAGE_OP_CASE_LIST        "case.list"
#define WAGE_OP_CASE_ACT         "case.act"
#define WAGE_OP_CASE_HISTORY     "case.history"
#define WAGE_OP_CASE_DUE         "case.due"
#define WAGE_OP_CASE_RELATED     "case.related"
#define WAGE_OP_AUDIT_VERIFY     "audit.verify"
#define WAGE_OP_AUDIT_EXPORT     "audit.export"
#define WAGE_OP_POLICY_GET       "policy.get"
#define WAGE_OP_REPORT_CAMPAIGN  "report.campaign"
#define WAGE_OP_REPORT_EMPLOYERS "report.employers"

/*
 * The closed list of error codes. Keep in the order of the table in
 * protocol.c; tests/unit/test_protocol.c checks every row.
 */
enum wage_err {
	WAGE_OK = 0,
	WAGE_E_BAD_REQUEST,        /* not JSON, wrong envelope */
	WAGE_E_TOO_LARGE,          /* over a size or depth limit */
	WAGE_E_UNKNOWN_OP,         /* no such operation */
	WAGE_E_INVALID_ARGUMENT,   /* a field is missing or wrong */
	WAGE_E_UNAUTHENTICATED,    /* no token, or a forged/unknown one */
	WAGE_E_TOKEN_EXPIRED,      /* the session ended: log in again */
	WAGE_E_CERT_REJECTED,      /* certificate not from our CA, expired */
	WAGE_E_CERT_REVOKED,       /* certificate on the CRL */
	WAGE_E_BAD_SIGNATURE,      /* login signature does not verify */
	WAGE_E_FORBIDDEN,          /* the role may not do this */
	WAGE_E_OUT_OF_SCOPE,       /* another region's or org's case */
	WAGE_E_NOT_FOUND,          /* no such case */
	WAGE_E_ILLEGAL_TRANSITION, /* event not allowed in this state */
	WAGE_E_STALE_REVISION,     /* the case changed since it was read */
	WAGE_E_STORAGE_FULL,       /* the database is full */
	WAGE_E_BUSY,               /* server overloaded, try again */
	WAGE_E_AUDIT_BROKEN,       /* the audit chain does not verify */
	WAGE_E_INTERNAL,           /* a bug or an I/O failure */
	WAGE_E_CONNECTION,         /* client side: cannot reach server */
	WAGE_E_TLS,                /* client side: TLS or certificate */
	WAGE_E_TIMEOUT,            /* client side: no reply in time */
	WAGE_E_USAGE,              /* client side: bad command line */
	WAGE_E__COUNT
};

/* wagectl exit codes. */
#define WAGE_EXIT_OK         0
#define WAGE_EXIT_REFUSED    1
#define WAGE_EXIT_USAGE      2
#define WAGE_EXIT_CONNECTION 3
#define WAGE_EXIT_INTERNAL   4

/* Request-level error detail, filled once where the problem is found. */
struct wage_error {
	int  code;
	char field[64];
	char message[512]; /* cut at a UTF-8 boundary, ending "..." */
};

/*
 * wage_err_name returns the wire name of code ("ILLEGAL_TRANSITION"), or
 * "INTERNAL" for a value outside the list. Never NULL, static storage.
 */
const char *wage_err_name(int code);

/* wage_err_message returns the default message for code. Static storage. */
const char *wage_err_message(int code);

/* wage_err_exit returns the wagectl exit code for code. */
int wage_err_exit(int code);

/* wage_err_from_name maps a wire name back to its code, or WAGE_E_INTERNAL. */
int wage_err_from_name(const char *name);

/*
 * wage_err_set fills err (may be NULL) with code, field (may be NULL) and a
 * printf-formatted message; control characters are replaced by '?'.
 * Returns code, so that "return wage_err_set(...)" reads naturally.
 */
int wage_err_set(struct wage_error *err, int code, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* wage_err_clear resets err to WAGE_OK with empty field and message. */
void wage_err_clear(struct wage_error *err);

#endif /* WAGE_PROTOCOL_H */
