/* SPDX-License-Identifier: MIT */
/*
 * support_pki.h - certificates for the unit tests, made with client/pki.c
 * as wagectl makes them: a CA directory under a test's scratch directory
 * and certificates it issues. Part of libwage-testsupport.a. Group setups
 * call these; they return codes and do not assert.
 */
#ifndef WAGE_SUPPORT_PKI_H
#define WAGE_SUPPORT_PKI_H

#include "pki.h"

/* A CA made by tsupport_ca_init: the paths its users need. */
struct tsupport_ca {
	char dir[128]; /* the CA directory, for pki_issue and pki_revoke */
	char crt[160]; /* dir/ca.crt: the trust anchor */
	char crl[160]; /* dir/crl.pem */
};

/*
 * tsupport_ca_init makes a CA called cn (pki_init) in base/name and fills
 * ca with its paths. Returns WAGE_OK or pki_init's error (its message on
 * stderr).
 */
int tsupport_ca_init(struct tsupport_ca *ca, const char *base,
    const char *name, const char *cn);

/*
 * tsupport_issue issues out.key and out.crt from the CA in ca_dir for s,
 * valid for days days: a client certificate, or with is_server a server
 * certificate for the name localhost and the address 127.0.0.1. Returns
 * WAGE_OK or pki_issue's error (its message on stderr).
 */
int tsupport_issue(const char *ca_dir, const struct pki_subject *s,
    int is_server, int days, const char *out);

#endif /* WAGE_SUPPORT_PKI_H */
