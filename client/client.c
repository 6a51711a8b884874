/* SPDX-License-Identifier: MIT */
/*
 * client.c - the client library: dial over mutual TLS, send one JSON
 * request, decode the reply, log in by signing the server's challenge,
 * keep the session token.
 * Owns: every nng call of the client and the mapping of NNG_E* codes.
 * Must not: print anything (wagectl does), or keep keys in memory.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mbedtls/base64.h>
#include <mbedtls/platform_util.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>

#include "fileio.h"
#include "pki.h"
#include "wage/client.h"

struct wage_client {
	nng_socket sock;
	int        open;
	char      *cert_path;
	char      *key_path;
	char      *cert_pem;
	char      *token_file;
	char       token[WAGE_TOKEN_MAX + 1];
	int        timeout_ms;
};

static void
token_load(wage_client *c)
{
	char  *t;
	size_t len;

	if (c->token_file == NULL ||
	    fileio_read(c->token_file, WAGE_TOKEN_MAX + 64, 0, &t, &len,
	        NULL) != WAGE_OK) {
		return;
	}
	t[strcspn(t, "\r\n")] = '\0';
	snprintf(c->token, sizeof(c->token), "%s", t);
	fileio_free(t, len);
}

static void
token_save(wage_client *c)
{
	char   tmp[4096];
	int    fd;
	size_t n;

	if (c->token_file == NULL) {
		return;
	}
	snprintf(
	    tmp, sizeof(tmp), "%s.tmp%ld", c->token_file, (long) getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		return; /* best effort: the session still works in memory */
	}
	n = strlen(c->token);
	if (write(fd, c->token, n) != (ssize_t) n || write(fd, "\n", 1) != 1 ||
	    fsync(fd) != 0) {
		close(fd);
		unlink(tmp);
		return;
	}
	close(fd);
	if (rename(tmp, c->token_file) != 0) {
		unlink(tmp);
	}
}

static int
map_nng(int rv, struct wage_error *err, const char *what)
{
	switch (rv) {
	case NNG_ETIMEDOUT:
		return (wage_err_set(err, WAGE_E_TIMEOUT, NULL,
		    "%s: no reply in time (is the server running, and does it "
		    "accept this client certificate?)",
		    what));
	case NNG_ECONNREFUSED:
	case NNG_EADDRINVAL:
	case NNG_EUNREACHABLE:
	case NNG_ECONNRESET:
	case NNG_ECONNABORTED:
	case NNG_ECLOSED:
		return (wage_err_set(err, WAGE_E_CONNECTION, NULL, "%s: %s",
		    what, nng_strerror(rv)));
	case NNG_ECONNSHUT:
		return (wage_err_set(err, WAGE_E_TLS, NULL,
		    "%s: the server closed the connection during TLS set-up: "
		    "it accepts only clients whose certificate its CA signed "
		    "(WAGE_CERT, WAGE_KEY)",
		    what));
	case NNG_ECRYPTO:
	case NNG_EPEERAUTH:
		return (wage_err_set(err, WAGE_E_TLS, NULL,
		    "%s: TLS handshake failed (%s): check WAGE_CA, WAGE_CERT, "
		    "WAGE_KEY",
		    what, nng_strerror(rv)));
	default:
		return (wage_err_set(err, WAGE_E_CONNECTION, NULL, "%s: %s",
		    what, nng_strerror(rv)));
	}
}

int
wage_client_open(wage_client **cp, const struct wage_client_config *cfg,
    struct wage_error *err)
{
	wage_client      *c;
	nng_tls_config   *tls = NULL;
	nng_dialer        d;
	struct wage_error fe;
	char             *ca = NULL, *key = NULL, host[256];
	size_t            calen = 0, keylen = 0, certlen;
	const char       *name, *h, *e;
	int               rv, rc;

	*cp = NULL;
	if (cfg->server == NULL || cfg->ca == NULL) {
		return (wage_err_set(err, WAGE_E_USAGE, NULL,
		    "the server address and CA file are required "
		    "(WAGE_SERVER, "
		    "WAGE_CA)"));
	}
	if (strncmp(cfg->server, "tls+tcp://", 10) != 0) {
		return (wage_err_set(err, WAGE_E_USAGE, "server",
		    "the server address must be tls+tcp://HOST:PORT"));
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	c->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 10000;
	if (cfg->token_file != NULL) {
		c->token_file = strdup(cfg->token_file);
		token_load(c);
	}
	/* The TLS name: the URL's host unless told otherwise. */
	name = cfg->server_name;
	if (name == NULL) {
		h = cfg->server + 10;
		if (*h == '[') {
			h++;
			e = strchr(h, ']');
		} else {
			e = strrchr(h, ':');
		}
		if (e == NULL || (size_t) (e - h) >= sizeof(host)) {
			rc = wage_err_set(err, WAGE_E_USAGE, "server",
			    "the server address must be tls+tcp://HOST:PORT");
			goto fail;
		}
		memcpy(host, h, (size_t) (e - h));
		host[e - h] = '\0';
		name        = host;
	}
	if (fileio_read(cfg->ca, 1 << 20, 0, &ca, &calen, &fe) != WAGE_OK) {
		rc = wage_err_set(err, WAGE_E_TLS, "ca",
		    "cannot read the CA file %s: %s", cfg->ca, fe.message);
		goto fail;
	}
	if (cfg->cert != NULL && cfg->key != NULL) {
		c->cert_path = strdup(cfg->cert);
		c->key_path  = strdup(cfg->key);
		if (fileio_read(cfg->cert, WAGE_MAX_CERT_PEM, 0, &c->cert_pem,
		        &certlen, &fe) != WAGE_OK) {
			rc = wage_err_set(err, WAGE_E_TLS, "cert",
			    "cannot read the certificate file %s: %s",
			    cfg->cert, fe.message);
			goto fail;
		}
		if (fileio_read(cfg->key, 1 << 16, 0, &key, &keylen, &fe) !=
		    WAGE_OK) {
			rc = wage_err_set(err, WAGE_E_TLS, "key",
			    "cannot read the key file %s: %s", cfg->key,
			    fe.message);
			goto fail;
		}
	}
	if ((rv = nng_req0_open(&c->sock)) != 0) {
		rc = map_nng(rv, err, "open");
		goto fail;
	}
	c->open = 1;
	nng_socket_set_ms(c->sock, NNG_OPT_RECVTIMEO, c->timeout_ms);
	nng_socket_set_ms(c->sock, NNG_OPT_SENDTIMEO, c->timeout_ms);
	/* REQ resends after this long; our requests are not idempotent,
	 * so only after the receive timeout has long passed. */
	nng_socket_set_ms(c->sock, NNG_OPT_REQ_RESENDTIME, 3600 * 1000);
	if ((rv = nng_tls_config_alloc(&tls, NNG_TLS_MODE_CLIENT)) != 0 ||
	    (rv = nng_tls_config_auth_mode(tls, NNG_TLS_AUTH_MODE_REQUIRED)) !=
	        0 ||
	    (rv = nng_tls_config_ca_chain(tls, ca, NULL)) != 0 ||
	    (rv = nng_tls_config_server_name(tls, name)) != 0) {
		rc = wage_err_set(err, WAGE_E_TLS, "ca",
		    "the CA file %s cannot be used: %s", cfg->ca,
		    nng_strerror(rv));
		goto fail;
	}
	if (c->cert_pem != NULL &&
	    (rv = nng_tls_config_own_cert(tls, c->cert_pem, key, NULL)) != 0) {
		rc = wage_err_set(err, WAGE_E_TLS, "cert",
		    "the certificate %s and key %s do not make a pair: %s",
		    cfg->cert, cfg->key, nng_strerror(rv));
		goto fail;
	}
	if ((rv = nng_dialer_create(&d, c->sock, cfg->server)) != 0) {
		rc = wage_err_set(err, WAGE_E_USAGE, "server",
		    "bad server address %s: %s", cfg->server,
		    nng_strerror(rv));
		goto fail;
	}
	if ((rv = nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG, tls)) != 0) {
		rc = map_nng(rv, err, "dial");
		goto fail;
	}
	nng_dialer_set_ms(d, NNG_OPT_RECONNMINT, 100);
	nng_dialer_set_ms(d, NNG_OPT_RECONNMAXT, 2000);
	nng_dialer_set_size(d, NNG_OPT_RECVMAXSZ, 4 * WAGE_MAX_MSG);
	if ((rv = nng_dialer_start(d, 0)) != 0) {
		rc = map_nng(rv, err, cfg->server);
		goto fail;
	}
	nng_tls_config_free(tls);
	fileio_free(key, keylen);
	free(ca);
	*cp = c;
	return (WAGE_OK);
fail:
	if (tls != NULL) {
		nng_tls_config_free(tls);
	}
	fileio_free(key, keylen);
	free(ca);
	wage_client_close(c);
	return (rc);
}

void
wage_client_close(wage_client *c)
{
	if (c == NULL) {
		return;
	}
	if (c->open) {
		nng_close(c->sock);
	}
	free(c->cert_path);
	free(c->key_path);
	free(c->cert_pem);
	free(c->token_file);
	mbedtls_platform_zeroize(c->token, sizeof(c->token));
	free(c);
}

const char *
wage_client_token(const wage_client *c)
{
	return (c->token[0] != '\0' ? c->token : NULL);
}

void
wage_client_set_token(wage_client *c, const char *token)
{
	snprintf(c->token, sizeof(c->token), "%s", token ? token : "");
}

int
wage_client_call_raw(wage_client *c, const void *req, size_t len, char **reply,
    size_t *rlen, struct wage_error *err)
{
	nng_msg *m;
	int      rv;

	*reply = NULL;
	/* The server drops, unread, a connection that sends more than
	 * twice the protocol limit; nng would then resend it for ever. */
	if (len > 2 * (size_t) WAGE_MAX_MSG) {
		return (wage_err_set(err, WAGE_E_TOO_LARGE, NULL,
		    "the request is %zu bytes; the server takes at most %d",
		    len, WAGE_MAX_MSG));
	}
	if ((rv = nng_msg_alloc(&m, 0)) != 0 ||
	    (rv = nng_msg_append(m, req, len)) != 0) {
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	if ((rv = nng_sendmsg(c->sock, m, 0)) != 0) {
		nng_msg_free(m);
		return (map_nng(rv, err, "send"));
	}
	if ((rv = nng_recvmsg(c->sock, &m, 0)) != 0) {
		return (map_nng(rv, err, "receive"));
	}
	if ((*reply = malloc(nng_msg_len(m) + 1)) == NULL) {
		nng_msg_free(m);
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	memcpy(*reply, nng_msg_body(m), nng_msg_len(m));
	(*reply)[nng_msg_len(m)] = '\0';
	if (rlen != NULL) {
		*rlen = nng_msg_len(m);
	}
	nng_msg_free(m);
	return (WAGE_OK);
}

/* call_once: one round trip with the current token. */
static int
call_once(wage_client *c, const char *op, json_t *args, json_t **result,
    struct wage_error *err)
{
	json_t      *req, *rep = NULL, *e;
	json_error_t jerr;
	char        *text, *reply = NULL;
	size_t       rlen;
	int          rc;

	*result = NULL;
	req     = json_pack("{s:s, s:O}", "op", op, "args",
            args != NULL ? args : json_object());
	if (args == NULL && req != NULL) {
		/* s:O took a reference of the temporary object too. */
		json_decref(json_object_get(req, "args"));
	}
	if (req == NULL) {
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	if (c->token[0] != '\0') {
		json_object_set_new(req, "token", json_string(c->token));
	}
	text = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (text == NULL) {
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	rc = wage_client_call_raw(c, text, strlen(text), &reply, &rlen, err);
	free(text);
	if (rc != WAGE_OK) {
		return (rc);
	}
	rep = json_loadb(reply, rlen, JSON_REJECT_DUPLICATES, &jerr);
	free(reply);
	if (!json_is_object(rep)) {
		json_decref(rep);
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "the server's reply is not a JSON object"));
	}
	if (json_is_true(json_object_get(rep, "ok"))) {
		*result = json_incref(json_object_get(rep, "result"));
		json_decref(rep);
		if (*result == NULL) {
			return (wage_err_set(err, WAGE_E_INTERNAL, NULL,
			    "the server's reply has no result"));
		}
		wage_err_clear(err);
		return (WAGE_OK);
	}
	e  = json_object_get(rep, "error");
	rc = wage_err_from_name(json_string_value(json_object_get(e, "code")));
	if (rc == WAGE_OK) {
		rc = WAGE_E_INTERNAL;
	}
	wage_err_set(err, rc, json_string_value(json_object_get(e, "field")),
	    "%s",
	    json_string_value(json_object_get(e, "message")) != NULL
	        ? json_string_value(json_object_get(e, "message"))
	        : wage_err_message(rc));
	json_decref(rep);
	return (rc);
}

int
wage_client_login(wage_client *c, struct wage_error *err)
{
	json_t       *res = NULL, *args;
	const char   *challenge, *token;
	unsigned char sig[160], *msg = NULL;
	char          sig64[256];
	size_t        siglen, mlen, olen;
	int           rc;

	if (c->cert_pem == NULL || c->key_path == NULL) {
		return (wage_err_set(err, WAGE_E_USAGE, NULL,
		    "logging in needs a certificate and key (WAGE_CERT, "
		    "WAGE_KEY)"));
	}
	c->token[0] = '\0';
	if ((rc = call_once(c, WAGE_OP_AUTH_CHALLENGE, NULL, &res, err)) !=
	    WAGE_OK) {
		return (rc);
	}
	challenge = json_string_value(json_object_get(res, "challenge"));
	if (challenge == NULL) {
		json_decref(res);
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "the server sent no challenge"));
	}
	mlen = strlen(WAGE_LOGIN_CONTEXT) + strlen(challenge);
	if ((msg = malloc(mlen)) == NULL) {
		json_decref(res);
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	memcpy(msg, WAGE_LOGIN_CONTEXT, strlen(WAGE_LOGIN_CONTEXT));
	memcpy(msg + strlen(WAGE_LOGIN_CONTEXT), challenge, strlen(challenge));
	rc = pki_sign(c->key_path, msg, mlen, sig, sizeof(sig), &siglen, err);
	free(msg);
	if (rc != WAGE_OK) {
		json_decref(res);
		return (rc == WAGE_E_INVALID_ARGUMENT ? WAGE_E_TLS : rc);
	}
	if (mbedtls_base64_encode((unsigned char *) sig64, sizeof(sig64),
	        &olen, sig, siglen) != 0) {
		json_decref(res);
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL, "base64"));
	}
	args = json_pack("{s:s, s:s, s:s}", "certificate", c->cert_pem,
	    "challenge", challenge, "signature", sig64);
	json_decref(res);
	res = NULL;
	if (args == NULL) {
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	rc = call_once(c, WAGE_OP_AUTH_LOGIN, args, &res, err);
	json_decref(args);
	if (rc != WAGE_OK) {
		return (rc);
	}
	token = json_string_value(json_object_get(res, "token"));
	if (token == NULL || strlen(token) > WAGE_TOKEN_MAX) {
		json_decref(res);
		return (wage_err_set(
		    err, WAGE_E_INTERNAL, NULL, "the server sent no token"));
	}
	snprintf(c->token, sizeof(c->token), "%s", token);
	json_decref(res);
	token_save(c);
	return (WAGE_OK);
}

int
wage_client_call(wage_client *c, const char *op, json_t *args, json_t **result,
    struct wage_error *err)
{
	int rc;
	int is_auth = strncmp(op, "auth.", 5) == 0;

	*result = NULL;
	if (!is_auth && c->token[0] == '\0' && c->cert_pem != NULL) {
		if ((rc = wage_client_login(c, err)) != WAGE_OK) {
			return (rc);
		}
	}
	rc = call_once(c, op, args, result, err);
	if (!is_auth && c->cert_pem != NULL &&
	    (rc == WAGE_E_UNAUTHENTICATED || rc == WAGE_E_TOKEN_EXPIRED)) {
		/* The session ended (or the server's key changed): renew
		 * once and retry. */
		if ((rc = wage_client_login(c, err)) != WAGE_OK) {
			return (rc);
		}
		rc = call_once(c, op, args, result, err);
	}
	return (rc);
}
