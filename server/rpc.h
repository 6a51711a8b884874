/* SPDX-License-Identifier: MIT */
/*
 * rpc.h - the nng REP socket over tls+tcp with mutual TLS, and the work
 * items (one nng context and aio each) that carry requests to ops.c.
 *
 * Threads: each work item's callback runs on one of nng's aio threads; it
 * calls ops_handle with the request body (borrowed for the call), and the
 * reply callback (ops_reply_fn) runs on that same thread for reads and
 * refusals, or on the store's replier thread for writes, once. The reply
 * text is the item's until nng_ctx_send succeeds, then nng's. A work item
 * is in one of three states (receiving, at work, sending) and never holds
 * a read txn across an aio boundary.
 */
#ifndef WAGE_RPC_H
#define WAGE_RPC_H

#include <stddef.h>

#include "ops.h"

struct rpc_tls {
	const char *ca;   /* CA chain (PEM file) clients must chain to */
	const char *crl;  /* CRL (PEM file), or NULL */
	const char *cert; /* the server's certificate (PEM file) */
	const char *key;  /* the server's key (PEM file) */
};

struct rpc;

/*
 * rpc_open listens on url (tls+tcp://host:port) with tls, and starts
 * nworkers contexts serving srv. Returns WAGE_OK or an error in err.
 */
int rpc_open(struct rpc **rp, const char *url, const struct rpc_tls *tls,
    size_t nworkers, struct server *srv, struct wage_error *err);

/*
 * rpc_stop closes the socket: no new requests; replies still queued at the
 * writer fail harmlessly. Then drain the writer, then rpc_close.
 */
void rpc_stop(struct rpc *r);

/*
 * rpc_close closes the socket, stops every aio (waiting for callbacks in
 * flight) and frees the work items. Call before store_close.
 */
void rpc_close(struct rpc *r);

/* rpc_log_states logs how many contexts receive, work and send (SIGUSR1):
 * a server that stops answering shows where its contexts are. */
void rpc_log_states(const struct rpc *r);

#endif /* WAGE_RPC_H */
