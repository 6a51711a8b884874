/* SPDX-License-Identifier: MIT */
/*
 * support_pki.c - test certificates made with client/pki.c
 * (support_pki.h).
 */
#include <stdio.h>

#include "support_pki.h"

int
tsupport_ca_init(
    struct tsupport_ca *ca, const char *base, const char *name, const char *cn)
{
	struct wage_error err;
	int               rc;

	snprintf(ca->dir, sizeof(ca->dir), "%s/%s", base, name);
	snprintf(ca->crt, sizeof(ca->crt), "%s/ca.crt", ca->dir);
	snprintf(ca->crl, sizeof(ca->crl), "%s/crl.pem", ca->dir);
	if ((rc = pki_init(ca->dir, cn, &err)) != WAGE_OK) {
		fprintf(stderr, "%s: %s\n", ca->dir, err.message);
	}
	return (rc);
}

int
tsupport_issue(const char *ca_dir, const struct pki_subject *s, int is_server,
    int days, const char *out)
{
	static const char *const dns[] = { "localhost" };
	static const char *const ips[] = { "127.0.0.1" };
	struct wage_error        err;
	int                      rc;

	rc = pki_issue(ca_dir, s, is_server, is_server ? dns : NULL,
	    is_server ? 1 : 0, is_server ? ips : NULL, is_server ? 1 : 0, days,
	    out, &err);
	if (rc != WAGE_OK) {
		fprintf(stderr, "%s: %s\n", out, err.message);
	}
	return (rc);
}
