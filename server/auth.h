/* SPDX-License-Identifier: MIT */
/*
 * auth.h - who is asking: login by proof of possession of a certificate's
 * key, and session tokens.
 *
 * Login: auth_challenge hands out a fresh random challenge (one use, lives
 * WAGE_CHALLENGE_TTL seconds); auth_login checks the certificate's chain
 * against the CA and CRL, that it is a client certificate with a known role
 * (OU) and region (L), and the signature over WAGE_LOGIN_CONTEXT+challenge,
 * then issues a token. Tokens are "v1.<payload>.<mac>", base64, the MAC an
 * HMAC-SHA256 under the server's token key: checking one costs one HMAC,
 * no signature or certificate check. A token is bound to the connection it
 * logged in on (its id and a nonce drawn when it came: auth_conn_open)
 * and refused on any other or once that one closed. All functions are
 * thread-safe.
 */
#ifndef WAGE_AUTH_H
#define WAGE_AUTH_H

#include <stddef.h>
#include <stdint.h>
#include <mbedtls/x509.h>

#include "wage/protocol.h"

struct actor {
	char    name[WAGE_MAX_NAME_CHARS * 4 + 1];
	char    org[WAGE_MAX_NAME_CHARS * 4 + 1];
	int     role; /* enum policy_role */
	char    region[WAGE_REGION_LEN + 1];
	char    serial[80]; /* certificate serial, hex */
	int64_t expires;    /* token expiry, Unix seconds */
	/* The connection the session was opened on: its id (nng pipe
	 * id) and nonce (auth_conn_open). */
	uint32_t conn;
	char     conn_nonce[17];
};

/* The connection of in-process callers (tests, tools): always open. */
#define AUTH_CONN_LOCAL 0u

struct auth;

/*
 * auth_alloc loads the CA chain (ca_path) and, when crl_path is not NULL,
 * the CRL, which must be signed by the CA (as in auth_crl_reload); key
 * (keylen >= 32 bytes) is the token MAC key, copied; ttl the session
 * length in seconds. Returns WAGE_OK or an error in err.
 */
int  auth_alloc(struct auth **ap, const char *ca_path, const char *crl_path,
     const unsigned char *key, size_t keylen, int ttl, struct wage_error *err);
void auth_free(struct auth *a);

/*
 * auth_crl_reload reads the CRL file path again and, when it parses and
 * every CRL in it is signed by a certificate of the CA chain, puts it in
 * force at once: from then on a login with a certificate it lists, and a
 * token (cached or not) whose certificate it lists, is refused
 * WAGE_E_CERT_REVOKED. *nrevoked gets the number of serials it lists.
 * Otherwise the CRL in force stays and the error (WAGE_E_CERT_REJECTED,
 * field "crl", a message naming the file and why; or WAGE_E_INTERNAL) is
 * in err. Thread-safe; does file I/O: not from an aio callback.
 */
int auth_crl_reload(struct auth *a, const char *path, size_t *nrevoked,
    struct wage_error *err);

/*
 * auth_conn_open starts the record of connection id (an nng pipe id, never
 * AUTH_CONN_LOCAL): a fresh nonce and room for CONN_CHALLENGES (4)
 * outstanding challenges. Call before any request of the connection is
 * handled (rpc.c: NNG_PIPE_EV_ADD_PRE). WAGE_OK or WAGE_E_INTERNAL.
 * auth_conn_close forgets it (NNG_PIPE_EV_REM_POST): its challenges, and
 * every token issued on it is refused from then on.
 */
int  auth_conn_open(struct auth *a, uint32_t id);
void auth_conn_close(struct auth *a, uint32_t id);

/*
 * auth_challenge writes a fresh challenge (base64) into buf (>= 64), good
 * only for a login on connection conn; a connection holds at most 4, a
 * fifth drops its own oldest. WAGE_E_CONNECTION if conn is not open.
 */
int auth_challenge(struct auth *a, uint32_t conn, char *buf, size_t len);

/*
 * auth_login: see above. On WAGE_OK, token (>= WAGE_TOKEN_MAX bytes) holds
 * the session token and *who the actor. Errors: WAGE_E_INVALID_ARGUMENT
 * (malformed fields), WAGE_E_CERT_REJECTED, WAGE_E_CERT_REVOKED,
 * WAGE_E_BAD_SIGNATURE (also for an unknown, used or expired challenge,
 * or one asked for on another connection than conn). The token is bound
 * to conn: auth_check refuses it on any other.
 */
int auth_login(struct auth *a, uint32_t conn, const char *cert_pem,
    const char *challenge, const char *signature, char *token, size_t tlen,
    struct actor *who, struct wage_error *err);

/*
 * auth_check decodes and checks token, presented on connection conn:
 * WAGE_OK with *who filled, or, checked in this order:
 * WAGE_E_UNAUTHENTICATED (missing, malformed, forged), WAGE_E_TOKEN_EXPIRED,
 * WAGE_E_CERT_REVOKED (its certificate was revoked since login), and
 * WAGE_E_UNAUTHENTICATED again when it was issued on another connection
 * than conn, or conn closed since (a restarted server has none of the old
 * one's connections). *who is zeroed on failure.
 */
int auth_check(struct auth *a, uint32_t conn, const char *token,
    struct actor *who, struct wage_error *err);

/*
 * auth_server_actor fills *who with the server itself, the actor of the
 * events it fires on its own (sweep.c): name "wage-server", role
 * ROLE_SYSTEM (policy.h), and the organisation (O), region (L, when a
 * region code) and serial of its certificate cert_path, so that the audit
 * event names the key that also signs the checkpoints. Never a token's
 * actor: no login yields ROLE_SYSTEM. WAGE_OK or WAGE_E_INTERNAL with err
 * filled.
 */
int auth_server_actor(
    const char *cert_path, struct actor *who, struct wage_error *err);

/*
 * auth_subject_read fills who's name, org, role and region from a client
 * certificate's subject: CN, O, OU and L must each occur exactly once as
 * one line of valid UTF-8 without NUL or control characters (so none holds
 * the index separator), within WAGE_MAX_NAME_CHARS characters; OU a known
 * role, L a region code. Returns WAGE_OK or WAGE_E_CERT_REJECTED with a
 * message naming the attribute.
 */
int auth_subject_read(const mbedtls_x509_name *subject, struct actor *who,
    struct wage_error *err);

/* auth_random fills buf with len bytes from the kernel's CSPRNG. */
int auth_random(unsigned char *buf, size_t len);

#endif /* WAGE_AUTH_H */
