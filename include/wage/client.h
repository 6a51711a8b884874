/* SPDX-License-Identifier: MIT */
/*
 * wage/client.h - the C client library of wage-server.
 *
 * A wage_client holds one nng REQ socket dialled over mutual TLS and a
 * session token. wage_client_call sends one operation and waits for its
 * reply; when the client has no valid session it logs in first (signing
 * the server's challenge with the certificate's key) and, if a token file
 * is configured, keeps the token there (mode 0600).
 *
 * A wage_client may be used by one thread at a time; open one per thread.
 * Results are jansson values: the caller owns *result (json_decref).
 */
#ifndef WAGE_CLIENT_H
#define WAGE_CLIENT_H

#include <jansson.h>
#include <stddef.h>

#include "wage/protocol.h"

typedef struct wage_client wage_client;

struct wage_client_config {
	const char *server;      /* tls+tcp://HOST:PORT (required) */
	const char *ca;          /* CA certificate file, PEM (required) */
	const char *cert;        /* client certificate file, PEM */
	const char *key;         /* client key file, PEM */
	const char *server_name; /* TLS name to check; default: URL host */
	const char *token_file;  /* where the session is kept, or NULL */
	int         timeout_ms;  /* per request; 0: 10000 */
};

/*
 * wage_client_open dials the server. Returns WAGE_OK, WAGE_E_CONNECTION
 * (nothing listens there), WAGE_E_TLS (the TLS files cannot be used, or
 * the handshake was refused), or WAGE_E_USAGE (bad configuration), with
 * err filled. On failure *cp is NULL.
 */
int wage_client_open(wage_client **cp, const struct wage_client_config *cfg,
    struct wage_error *err);

/* wage_client_close closes the connection and wipes the token. */
void wage_client_close(wage_client *c);

/*
 * wage_client_login runs auth.challenge and auth.login with the configured
 * certificate and key, and keeps the token. Codes as the server's.
 */
int wage_client_login(wage_client *c, struct wage_error *err);

/*
 * wage_client_call sends op with args (borrowed; NULL for none). On WAGE_OK
 * *result is the reply's result (new reference); otherwise *result is NULL
 * and err holds the server's (or the transport's) code, message and field.
 * A missing or expired session is renewed once by logging in again.
 */
int wage_client_call(wage_client *c, const char *op, json_t *args,
    json_t **result, struct wage_error *err);

/*
 * wage_client_call_raw sends bytes as they are and returns the reply bytes
 * (*reply: malloc'd, NUL-terminated, free it). For tools and tests.
 */
int wage_client_call_raw(wage_client *c, const void *req, size_t len,
    char **reply, size_t *rlen, struct wage_error *err);

/* The current token (NULL if none), and a way to set one. */
const char *wage_client_token(const wage_client *c);
void        wage_client_set_token(wage_client *c, const char *token);

#endif /* WAGE_CLIENT_H */
