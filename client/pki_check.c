/* SPDX-License-Identifier: MIT */
/*
 * pki_check.c - what the PKI tool accepts: certificate names (UTF-8, no
 * control characters, nothing that breaks a DN string), roles, GB/T 2260
 * region codes, validity days, host names and IP addresses.
 * Owns: the WAGE_E_INVALID_ARGUMENT messages for them, which say what is
 * allowed and never echo the value. Must not: touch files or mbedTLS.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <string.h>

#include "pki_int.h"

#define NAME_MAX_BYTES 255 /* MBEDTLS_X509_MAX_DN_NAME_SIZE - 1 */
#define NAME_BAD_CHARS ",=+\"\\<>;"

static const char *const client_roles[] = { "clerk", "mediator", "arbitrator",
	"chair", "union", "legal_aid", "auditor", "admin", "inspector", NULL };

/* Input checks. Messages say what is allowed, never echo the value. */

int
pki_check_name(const char *field, const char *v, struct wage_error *err)
{
	const unsigned char *p     = (const unsigned char *) v;
	size_t               nchar = 0;
	size_t               len;

	if (v == NULL || *v == '\0') {
		return (wage_err_set(
		    err, WAGE_E_INVALID_ARGUMENT, field, "must not be empty"));
	}
	len = strlen(v);
	if (v[0] == ' ' || v[len - 1] == ' ') {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "must not begin or end with a space"));
	}
	while (*p != '\0') {
		uint32_t c;
		int      n;
		int      i;

		if (*p < 0x80) {
			c = *p;
			n = 1;
		} else if ((*p & 0xe0) == 0xc0) {
			c = *p & 0x1f;
			n = 2;
		} else if ((*p & 0xf0) == 0xe0) {
			c = *p & 0x0f;
			n = 3;
		} else if ((*p & 0xf8) == 0xf0) {
			c = *p & 0x07;
			n = 4;
		} else {
			goto bad_utf8;
		}
		/* A NUL fails the continuation test: no overrun. */
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80) {
				goto bad_utf8;
			}
			c = (c << 6) | (p[i] & 0x3f);
		}
		if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
		    (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
		    (c >= 0xd800 && c <= 0xdfff)) {
			goto bad_utf8;
		}
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    field, "must not contain control characters"));
		}
		if (c < 0x80 && strchr(NAME_BAD_CHARS, (int) c) != NULL) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    field,
			    "must not contain '%c': none of , = + \" \\ < > ; "
			    "are allowed in a certificate name",
			    (int) c));
		}
		p += n;
		nchar++;
	}
	if (nchar > WAGE_MAX_NAME_CHARS || len > NAME_MAX_BYTES) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "must be at most %d characters", WAGE_MAX_NAME_CHARS));
	}
	return (WAGE_OK);

bad_utf8:
	return (wage_err_set(
	    err, WAGE_E_INVALID_ARGUMENT, field, "must be valid UTF-8 text"));
}

static int
check_role(const char *role, int is_server, struct wage_error *err)
{
	size_t i;

	if (is_server) {
		if (role == NULL || strcmp(role, PKI_SERVER_ROLE) == 0) {
			return (WAGE_OK);
		}
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "role",
		    "a server certificate has role \"server\""));
	}
	for (i = 0; role != NULL && client_roles[i] != NULL; i++) {
		if (strcmp(role, client_roles[i]) == 0) {
			return (WAGE_OK);
		}
	}
	return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "role",
	    "must be one of clerk, mediator, arbitrator, chair, union, "
	    "legal_aid, auditor, admin"));
}

static int
check_region(const char *region, struct wage_error *err)
{
	size_t i;

	for (i = 0; region != NULL && i < WAGE_REGION_LEN; i++) {
		if (region[i] < '0' || region[i] > '9') {
			break;
		}
	}
	if (region == NULL || i != WAGE_REGION_LEN ||
	    region[WAGE_REGION_LEN] != '\0') {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "region",
		    "must be %d digits, a GB/T 2260 division code such as "
		    "370102",
		    WAGE_REGION_LEN));
	}
	return (WAGE_OK);
}

int
pki_check_days(int days, struct wage_error *err)
{
	if (days < 1 || days > PKI_MAX_DAYS) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "days",
		    "must be from 1 to %d", PKI_MAX_DAYS));
	}
	return (WAGE_OK);
}

int
pki_check_dir(const char *dir, struct wage_error *err)
{
	if (dir == NULL || *dir == '\0') {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dir",
		    "the CA directory must be given"));
	}
	return (WAGE_OK);
}

/* A host name: dot-separated labels of letters, digits and inner '-'. */
static int
check_dns(const char *name, struct wage_error *err)
{
	size_t len   = name != NULL ? strlen(name) : 0;
	size_t label = 0;
	size_t i;

	if (len == 0 || len > 253) {
		goto bad;
	}
	for (i = 0; i <= len; i++) {
		char c = name[i];

		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || name[i - 1] == '-') {
				goto bad;
			}
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c == '-' && label > 0)) {
			label++;
		} else {
			goto bad;
		}
	}
	return (WAGE_OK);

bad:
	return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dns",
	    "must be host names: labels of letters, digits and inner '-', "
	    "at most 63 characters each, separated by dots"));
}

int
pki_check_issue(const struct pki_subject *s, int is_server,
    const char *const *dns, size_t ndns, const char *const *ips, size_t nips,
    int days, const char *out_base, unsigned char (*ipbin)[16], size_t *iplen,
    struct wage_error *err)
{
	size_t i;
	int    rv;

	if (s == NULL) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "cn",
		    "the certificate subject must be given"));
	}
	if ((rv = pki_check_name("cn", s->cn, err)) != WAGE_OK ||
	    (rv = pki_check_name("org", s->org, err)) != WAGE_OK ||
	    (rv = check_role(s->role, is_server, err)) != WAGE_OK ||
	    (rv = check_region(s->region, err)) != WAGE_OK ||
	    (rv = pki_check_days(days, err)) != WAGE_OK) {
		return (rv);
	}
	if (out_base == NULL || *out_base == '\0') {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "out_base",
		    "the output file name must be given"));
	}
	if (!is_server && (ndns != 0 || nips != 0)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
		    ndns != 0 ? "dns" : "ips",
		    "only server certificates carry DNS names or IP "
		    "addresses"));
	}
	if (is_server && ndns == 0 && nips == 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dns",
		    "a server certificate needs at least one DNS name or IP "
		    "address"));
	}
	if (ndns > PKI_MAX_NAMES || (ndns > 0 && dns == NULL)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "dns",
		    "at most %d DNS names", PKI_MAX_NAMES));
	}
	if (nips > PKI_MAX_NAMES || (nips > 0 && ips == NULL)) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "ips",
		    "at most %d IP addresses", PKI_MAX_NAMES));
	}
	for (i = 0; i < ndns; i++) {
		if ((rv = check_dns(dns[i], err)) != WAGE_OK) {
			return (rv);
		}
	}
	for (i = 0; i < nips; i++) {
		if (ips[i] != NULL &&
		    inet_pton(AF_INET, ips[i], ipbin[i]) == 1) {
			iplen[i] = 4;
		} else if (ips[i] != NULL &&
		    inet_pton(AF_INET6, ips[i], ipbin[i]) == 1) {
			iplen[i] = 16;
		} else {
			return (
			    wage_err_set(err, WAGE_E_INVALID_ARGUMENT, "ips",
			        "must be IPv4 addresses such as 127.0.0.1 or "
			        "IPv6 addresses such as ::1"));
		}
	}
	return (WAGE_OK);
}
