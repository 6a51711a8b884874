/* SPDX-License-Identifier: MIT */
/*
 * rpc.c - the REP socket, its TLS configuration, and the per-context state
 * machine: receive, hand to ops, send the reply, receive again.
 * Owns: every nng call of the server and the mapping of NNG_E* codes.
 * Must not: block in a callback (writes are queued to the store's writer).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/tls/tls.h>

#include "fileio.h"
#include "log.h"
#include "rpc.h"

enum work_state { W_INIT, W_RECV, W_WAIT, W_SEND };

struct work {
	enum work_state    state;
	uint32_t           conn; /* of the request at work; 0 when none */
	nng_aio           *aio;
	nng_ctx            ctx;
	struct rpc        *rpc;
	struct ops_request req;
};

struct rpc {
	volatile int   stopping; /* no receive is posted again once set */
	nng_socket     sock;
	nng_listener   listener;
	struct work   *works;
	size_t         nworks;
	struct server *srv;
};

static const char fallback_reply[] =
    "{\"ok\":false,\"error\":{\"code\":\"INTERNAL\",\"message\":"
    "\"internal error: out of memory\"}}";

/* States are read by rpc_log_states from another thread. */
static void
set_state(struct work *w, enum work_state st)
{
	__atomic_store_n(&w->state, st, __ATOMIC_RELAXED);
}

/* Called by ops exactly once per request, on any thread. */
static void
work_reply(struct ops_request *r)
{
	struct work *w = r->arg;
	nng_msg     *m;
	char        *text;
	int          rv;

	text = ops_reply_text(r);
	if ((rv = nng_msg_alloc(&m, 0)) != 0 ||
	    (rv = nng_msg_append(m, text != NULL ? text : fallback_reply,
	         text != NULL ? strlen(text) : strlen(fallback_reply))) != 0) {
		log_warnx("work_reply: %s", nng_strerror(rv));
		free(text);
		/* Without a reply the REQ side retries; drop this one. */
		__atomic_store_n(&w->conn, 0, __ATOMIC_SEQ_CST);
		set_state(w, W_RECV);
		ops_request_reset(&w->req);
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	free(text);
	set_state(w, W_SEND);
	nng_aio_set_msg(w->aio, m);
	nng_ctx_send(w->ctx, w->aio);
}

/*
 * conn_of: the connection a request came on, for auth's binding of sessions
 * to connections. nng pipe ids are positive 31-bit numbers; a message with
 * no pipe (never seen) gets an id no connection has, so that it can
 * neither log in nor use a token.
 */
static uint32_t
conn_of(nng_msg *msg)
{
	int id = nng_pipe_id(nng_msg_get_pipe(msg));

	return (id > 0 ? (uint32_t) id : UINT32_MAX);
}

/*
 * pipe_cb: a connection comes (before nng hands any of its messages to a
 * context: NNG_PIPE_EV_ADD_PRE) or goes (NNG_PIPE_EV_REM_POST). auth keeps
 * its challenges and the nonce its sessions carry; on going, those
 * sessions end. Runs on an nng thread; takes auth's lock only briefly.
 */
static void
pipe_cb(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	struct rpc *r  = arg;
	int         id = nng_pipe_id(p);

	if (id <= 0) {
		return;
	}
	if (ev == NNG_PIPE_EV_ADD_PRE) {
		if (auth_conn_open(r->srv->auth, (uint32_t) id) != WAGE_OK) {
			log_warnx(
			    "rpc: connection %d: no memory to serve it", id);
			nng_pipe_close(p);
		}
	} else if (ev == NNG_PIPE_EV_REM_POST) {
		auth_conn_close(r->srv->auth, (uint32_t) id);
	}
}

/*
 * conn_busy: does conn already have WAGE_MAX_CONN_INFLIGHT requests at work
 * in other contexts? One connection must not hold every context (issue 13,
 * point 4): past the limit its requests get BUSY at once. w publishes its
 * own conn first, so two racing requests of one connection may both be
 * refused, never both let past the limit.
 */
static int
conn_busy(struct work *w, uint32_t conn)
{
	struct rpc *r = w->rpc;
	size_t      i, n = 0;

	__atomic_store_n(&w->conn, conn, __ATOMIC_SEQ_CST);
	for (i = 0; i < r->nworks; i++) {
		if (&r->works[i] != w &&
		    __atomic_load_n(&r->works[i].conn, __ATOMIC_SEQ_CST) ==
		        conn) {
			n++;
		}
	}
	return (n >= WAGE_MAX_CONN_INFLIGHT);
}

static void
work_cb(void *arg)
{
	struct work *w = arg;
	nng_msg     *msg;
	int          rv;

	switch (w->state) {
	case W_INIT:
		set_state(w, W_RECV);
		nng_ctx_recv(w->ctx, w->aio);
		break;
	case W_RECV:
		if ((rv = nng_aio_result(w->aio)) != 0) {
			if (rv == NNG_ECLOSED || rv == NNG_ECANCELED ||
			    w->rpc->stopping) {
				return; /* shutting down */
			}
			log_warnx("rpc: receive: %s", nng_strerror(rv));
			nng_ctx_recv(w->ctx, w->aio);
			break;
		}
		msg = nng_aio_get_msg(w->aio);
		set_state(w, W_WAIT);
		ops_request_reset(&w->req);
		w->req.conn = conn_of(msg);
		if (conn_busy(w, w->req.conn)) {
			nng_msg_free(msg);
			wage_err_set(&w->req.err, WAGE_E_BUSY, NULL,
			    "this connection has %d requests in progress: "
			    "wait for their replies",
			    WAGE_MAX_CONN_INFLIGHT);
			work_reply(&w->req);
			break;
		}
		/*
		 * For writes the reply may be sent from the writer thread
		 * before ops_handle returns: touch nothing of w after it.
		 */
		ops_handle(
		    w->rpc->srv, nng_msg_body(msg), nng_msg_len(msg), &w->req);
		nng_msg_free(msg);
		break;
	case W_SEND:
		if ((rv = nng_aio_result(w->aio)) != 0) {
			/* A failed send leaves the message with us. */
			nng_msg_free(nng_aio_get_msg(w->aio));
			if (rv == NNG_ECLOSED || rv == NNG_ECANCELED) {
				return;
			}
		}
		ops_request_reset(&w->req);
		__atomic_store_n(&w->conn, 0, __ATOMIC_SEQ_CST);
		set_state(w, W_RECV);
		if (w->rpc->stopping) {
			return;
		}
		nng_ctx_recv(w->ctx, w->aio);
		break;
	case W_WAIT:
		log_warnx("rpc: callback in wait state");
		break;
	}
}

static int
tls_config(
    nng_tls_config **cfgp, const struct rpc_tls *tls, struct wage_error *err)
{
	nng_tls_config *cfg = NULL;
	char           *ca = NULL, *crl = NULL, *cert = NULL, *key = NULL;
	size_t          keylen = 0;
	int             rv, rc = WAGE_E_INTERNAL;

	*cfgp = NULL;
	if ((ca = fileio_load(tls->ca, NULL)) == NULL ||
	    (cert = fileio_load(tls->cert, NULL)) == NULL ||
	    (key = fileio_load(tls->key, &keylen)) == NULL ||
	    (tls->crl != NULL &&
	        (crl = fileio_load(tls->crl, NULL)) == NULL)) {
		wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "cannot read the TLS files (ca %s, cert %s, key %s%s%s): "
		    "%s",
		    tls->ca, tls->cert, tls->key, tls->crl ? ", crl " : "",
		    tls->crl ? tls->crl : "", strerror(errno));
		goto out;
	}
	if ((rv = nng_tls_config_alloc(&cfg, NNG_TLS_MODE_SERVER)) != 0 ||
	    (rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED)) !=
	        0 ||
	    (rv = nng_tls_config_ca_chain(cfg, ca, crl)) != 0 ||
	    (rv = nng_tls_config_own_cert(cfg, cert, key, NULL)) != 0) {
		wage_err_set(err, WAGE_E_TLS, NULL,
		    "TLS configuration refused (ca %s, cert %s, key %s): %s",
		    tls->ca, tls->cert, tls->key, nng_strerror(rv));
		goto out;
	}
	*cfgp = cfg;
	cfg   = NULL;
	rc    = WAGE_OK;
out:
	if (cfg != NULL) {
		nng_tls_config_free(cfg);
	}
	free(ca);
	free(crl);
	free(cert);
	fileio_free(key, keylen);
	return (rc);
}

int
rpc_open(struct rpc **rp, const char *url, const struct rpc_tls *tls,
    size_t nworkers, struct server *srv, struct wage_error *err)
{
	struct rpc     *r;
	nng_tls_config *cfg = NULL;
	size_t          i;
	int             rv, rc;

	*rp = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->works = calloc(nworkers, sizeof(*r->works))) == NULL) {
		free(r);
		return (
		    wage_err_set(err, WAGE_E_INTERNAL, NULL, "out of memory"));
	}
	r->srv = srv;
	if ((rv = nng_rep0_open(&r->sock)) != 0) {
		free(r->works);
		free(r);
		return (wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "cannot open REP socket: %s", nng_strerror(rv)));
	}
	for (i = 0; i < nworkers; i++) {
		struct work *w = &r->works[i];

		w->rpc       = r;
		w->state     = W_INIT;
		w->req.reply = work_reply;
		w->req.arg   = w;
		if ((rv = nng_aio_alloc(&w->aio, work_cb, w)) != 0 ||
		    (rv = nng_ctx_open(&w->ctx, r->sock)) != 0) {
			r->nworks = i + 1;
			rc        = wage_err_set(err, WAGE_E_INTERNAL, NULL,
			           "cannot set up context %zu: %s", i,
			           nng_strerror(rv));
			goto fail;
		}
	}
	r->nworks = nworkers;
	if ((rc = tls_config(&cfg, tls, err)) != WAGE_OK) {
		goto fail;
	}
	if ((rv = nng_pipe_notify(r->sock, NNG_PIPE_EV_ADD_PRE, pipe_cb, r)) !=
	        0 ||
	    (rv = nng_pipe_notify(
	         r->sock, NNG_PIPE_EV_REM_POST, pipe_cb, r)) != 0) {
		rc = wage_err_set(err, WAGE_E_INTERNAL, NULL,
		    "cannot watch connections: %s", nng_strerror(rv));
		goto fail;
	}
	if ((rv = nng_listener_create(&r->listener, r->sock, url)) != 0) {
		rc = wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "listen",
		    "cannot listen on %s: %s (expected tls+tcp://HOST:PORT)",
		    url, nng_strerror(rv));
		goto fail;
	}
	/* Twice the protocol limit: between the two, the client gets a
	 * TOO_LARGE reply; above it, the connection is dropped unread. */
	if ((rv = nng_listener_set_ptr(
	         r->listener, NNG_OPT_TLS_CONFIG, cfg)) != 0 ||
	    (rv = nng_listener_set_size(
	         r->listener, NNG_OPT_RECVMAXSZ, 2 * WAGE_MAX_MSG)) != 0) {
		rc = wage_err_set(err, WAGE_E_TLS, NULL,
		    "cannot configure listener: %s", nng_strerror(rv));
		goto fail;
	}
	if ((rv = nng_listener_start(r->listener, 0)) != 0) {
		rc = wage_err_set(err, WAGE_E_CONNECTION, "listen",
		    "cannot listen on %s: %s", url, nng_strerror(rv));
		goto fail;
	}
	nng_tls_config_free(cfg); /* the listener holds its own reference */
	cfg = NULL;
	for (i = 0; i < r->nworks; i++) {
		work_cb(&r->works[i]); /* W_INIT: post the first receive */
	}
	*rp = r;
	return (WAGE_OK);
fail:
	if (cfg != NULL) {
		nng_tls_config_free(cfg);
	}
	rpc_close(r);
	return (rc);
}

void
rpc_log_states(const struct rpc *r)
{
	size_t n[4] = { 0, 0, 0, 0 }, i;

	for (i = 0; i < r->nworks; i++) {
		n[__atomic_load_n(&r->works[i].state, __ATOMIC_RELAXED) & 3]++;
	}
	log_info("rpc: %zu contexts: %zu receiving, %zu at work, %zu sending, "
	         "%zu not started",
	    r->nworks, n[W_RECV], n[W_WAIT], n[W_SEND], n[W_INIT]);
}

void
rpc_stop(struct rpc *r)
{
	size_t i;

	if (r == NULL) {
		return;
	}
	/*
	 * Stop every context before closing the socket: nng 1.5.2's
	 * nng_close can wait for ever on contexts whose pipes went away
	 * under load (seen after clients were killed). Replies the writer
	 * still owes then fail harmlessly on the closed contexts.
	 */
	r->stopping = 1;
	for (i = 0; i < r->nworks; i++) {
		if (r->works[i].aio != NULL) {
			nng_aio_stop(r->works[i].aio);
		}
	}
	for (i = 0; i < r->nworks; i++) {
		if (r->works[i].aio != NULL) {
			nng_ctx_close(r->works[i].ctx);
		}
	}
	nng_close(r->sock);
}

void
rpc_close(struct rpc *r)
{
	size_t i;

	if (r == NULL) {
		return;
	}
	nng_close(r->sock); /* again is harmless: NNG_ECLOSED */
	for (i = 0; i < r->nworks; i++) {
		if (r->works[i].aio != NULL) {
			nng_aio_stop(r->works[i].aio);
		}
	}
	for (i = 0; i < r->nworks; i++) {
		if (r->works[i].aio != NULL) {
			nng_aio_free(r->works[i].aio);
		}
		ops_request_reset(&r->works[i].req);
	}
	free(r->works);
	free(r);
}
