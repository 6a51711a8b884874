/* SPDX-License-Identifier: MIT */
/*
 * config.h - the server's configuration file (YAML, one flat mapping).
 * Every error is reported as "file:line: what is wrong".
 */
#ifndef WAGE_CONFIG_H
#define WAGE_CONFIG_H

#include <stddef.h>
#include <stdio.h>

struct config {
	char  *listen;       /* tls+tcp://HOST:PORT */
	char  *ca;           /* CA certificate chain, PEM */
	char  *crl;          /* CRL, PEM, or NULL */
	char  *cert;         /* server certificate, PEM */
	char  *key;          /* server key, PEM: owner-only */
	char  *db;           /* LMDB directory */
	char  *data_key;     /* key sealing personal data; default beside db */
	char  *token_key;    /* session token MAC key; default beside db */
	char  *policy;       /* workflow policy, YAML */
	char  *calendar;     /* holiday calendars: cn-YYYY.yaml files */
	char  *minimum_wage; /* minimum-wage tables, *.yaml */
	size_t mapsize_mb;   /* LMDB map size */
	int    session_ttl;  /* seconds */
	int    workers;      /* nng contexts */
	size_t case_cache;   /* decoded cases kept in memory (casecache.h) */
	int    checkpoint_events;  /* sign the chain head every N events */
	int    checkpoint_seconds; /* ... or every T seconds */
	int    sweep_interval;     /* seconds between sweeps (sweep.h) */
	int    crl_reload_seconds; /* CRL read again every N s; 0: never */
};

/*
 * config_load reads path into *c (defaults for what is absent). Errors go
 * to diag; returns their count (0: usable). Free with config_fini.
 */
int  config_load(const char *path, struct config *c, FILE *diag);
void config_fini(struct config *c);

/*
 * config_check_secret: a key file must be a regular file owned by the
 * server's user (or root) and not readable by group or others. Returns 0
 * or -1 with the reason printed to diag.
 */
int config_check_secret(const char *path, FILE *diag);

#endif /* WAGE_CONFIG_H */
