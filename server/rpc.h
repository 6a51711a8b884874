/* SPDX-License-Identifier: MIT */
/*
 * rpc.h - the nng REP socket over tls+tcp with mutual TLS, and the work
 * items (one nng context and aio each) that carry requests to ops.c.
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

/* rpc_read_file reads a whole file into a new NUL-terminated buffer. */
char *rpc_read_file(const char *path, size_t *len);

#endif /* WAGE_RPC_H */
