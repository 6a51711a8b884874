/* SPDX-License-Identifier: MIT */
/*
 * pki.h - the project's own small certificate authority on mbedTLS: CA
 * creation, client and server certificate issue, revocation and CRLs, and
 * the login signature (the client signs the server's challenge).
 *
 * A CA directory holds:
 *   ca.key       EC P-256 CA private key, PEM, mode 0600
 *   ca.crt       self-signed CA certificate, PEM
 *   serial       next certificate serial number, hexadecimal text
 *   revoked.txt  one "SERIAL YYYYMMDDHHMMSSZ" line per revoked certificate;
 *                SERIAL is the hex of the certificate's DER serial octets
 *   crl.pem      the current X.509 v2 CRL, PEM
 *
 * Every fallible function returns WAGE_OK or a WAGE_E_* code and fills err
 * (may be NULL): WAGE_E_INVALID_ARGUMENT for bad input (err->field names
 * the argument), WAGE_E_INTERNAL for I/O or crypto failures (the message
 * names the path or the mbedTLS function). Files are written atomically
 * (temporary file, fsync, rename). Functions that change a CA directory
 * take an exclusive flock(2) on it, so concurrent runs (processes or
 * threads) do not hand out the same serial. No state is kept between calls.
 */
#ifndef WAGE_PKI_H
#define WAGE_PKI_H

#include <stddef.h>

#include "wage/protocol.h"

#define PKI_CA_DAYS     3650 /* validity of the CA certificate */
#define PKI_MAX_DAYS    3650 /* longest certificate or CRL validity */
#define PKI_CRL_DAYS    30   /* CRL validity used by pki_revoke */
#define PKI_MAX_NAMES   16   /* DNS names, and IP addresses, per server */
#define PKI_SERVER_ROLE "server"

/*
 * The subject of an issued certificate, written as the DN
 * L=region, O=org, OU=role, CN=cn (UTF8String values).
 * cn, org: 1..WAGE_MAX_NAME_CHARS characters of UTF-8 (Chinese is fine),
 *     no control characters, no leading or trailing space and none of
 *     , = + " \ < > ; (they break DN strings).
 * role: for client certificates one of clerk mediator arbitrator chair
 *     union legal_aid auditor admin; for servers NULL or "server".
 * region: WAGE_REGION_LEN digits, a GB/T 2260 division code ("370102").
 */
struct pki_subject {
	const char *cn;
	const char *org;
	const char *role;
	const char *region;
};

/*
 * pki_init creates the CA directory dir (mode 0700; an existing directory
 * is used as is) with a new EC P-256 key, a self-signed CA certificate
 * (CN=ca_name, O=wage-server development CA, CA:TRUE critical with path
 * length 0, keyCertSign|cRLSign, subject key id, PKI_CA_DAYS days,
 * ECDSA-SHA256), serial, an empty revoked.txt and an empty CRL valid for
 * PKI_CRL_DAYS days. ca.key is written last, so a failed init can be rerun.
 * ca_name follows the rules of pki_subject.cn.
 * Returns WAGE_OK; WAGE_E_INVALID_ARGUMENT for a bad ca_name or when
 * dir/ca.key already exists (never overwritten); WAGE_E_INTERNAL.
 */
int pki_init(const char *dir, const char *ca_name, struct wage_error *err);

/*
 * pki_issue issues a certificate from the CA in dir: a new EC P-256 key
 * in out_base.key (PEM, 0600) and the certificate in out_base.crt (PEM,
 * 0644), valid from now (backdated 5 minutes for clock skew) for days
 * (1..PKI_MAX_DAYS, and not beyond the CA's own expiry). The serial is
 * taken from dir/serial, which is advanced first, so a serial is never
 * used twice even if issue fails later. Extensions: CA:FALSE,
 * keyUsage digitalSignature, extendedKeyUsage clientAuth (is_server == 0)
 * or serverAuth (is_server != 0), subject and authority key ids.
 * Server certificates need 1..PKI_MAX_NAMES dns names and/or ips
 * (dotted IPv4 or IPv6 text); they go in subjectAltName as dNSName and
 * iPAddress entries, and every IP also as a dNSName string, because
 * mbedTLS 2.28 matches the server name only against dNSName entries.
 * Client certificates take no dns or ips (pass NULL, 0).
 * Neither out_base.key nor out_base.crt may exist already.
 * Returns WAGE_OK; WAGE_E_INVALID_ARGUMENT (err->field is one of cn, org,
 * role, region, days, dns, ips, out_base, dir); WAGE_E_INTERNAL.
 */
int pki_issue(const char *dir, const struct pki_subject *s, int is_server,
    const char *const *dns, size_t ndns, const char *const *ips, size_t nips,
    int days, const char *out_base, struct wage_error *err);

/*
 * pki_revoke adds the certificate in cert_path (PEM) to dir/revoked.txt
 * unless it is already there, then rewrites dir/crl.pem valid for
 * PKI_CRL_DAYS days. The certificate must carry this CA's signature
 * (expired certificates may be revoked too).
 * Returns WAGE_OK; WAGE_E_INVALID_ARGUMENT when cert_path is not a
 * certificate or not issued by this CA; WAGE_E_INTERNAL.
 */
int pki_revoke(const char *dir, const char *cert_path, struct wage_error *err);

/*
 * pki_write_crl rewrites dir/crl.pem: an X.509 v2 CRL signed ECDSA-SHA256
 * by the CA, listing every serial in revoked.txt, thisUpdate now,
 * nextUpdate now + days (1..PKI_MAX_DAYS), with authority key id and a
 * CRL number (the current Unix time). mbedTLS rejects every certificate
 * of the CA once the CRL has passed its nextUpdate (BADCRL_EXPIRED), so
 * the CRL must be rewritten, and reloaded by the server, before then.
 * Returns WAGE_OK; WAGE_E_INVALID_ARGUMENT; WAGE_E_INTERNAL.
 */
int pki_write_crl(const char *dir, int days, struct wage_error *err);

/*
 * pki_sign signs the SHA-256 hash of msg[0..len) with the private key in
 * key_path (PEM or DER, unencrypted, EC) and stores the DER ECDSA signature
 * in sig[0..sigsz), its length in *siglen. A key file readable by group
 * or others, or owned by another user, is refused. 72 bytes of sig are
 * enough for P-256 (MBEDTLS_PK_SIGNATURE_MAX_SIZE for any key).
 * Returns WAGE_OK; WAGE_E_INVALID_ARGUMENT (bad key file, sig too small);
 * WAGE_E_INTERNAL.
 */
int pki_sign(const char *key_path, const unsigned char *msg, size_t len,
    unsigned char *sig, size_t sigsz, size_t *siglen, struct wage_error *err);

/*
 * pki_verify checks that sig[0..siglen) is a signature of the SHA-256 of
 * msg[0..len) by the key of the certificate cert_pem[0..cert_len) (PEM,
 * with or without the terminating NUL, at most WAGE_MAX_CERT_PEM bytes;
 * or DER). It checks only the signature: the caller verifies the
 * certificate against the CA and CRL itself.
 * Returns WAGE_OK, or WAGE_E_BAD_SIGNATURE for any failure, including an
 * unreadable certificate.
 */
int pki_verify(const unsigned char *cert_pem, size_t cert_len,
    const unsigned char *msg, size_t len, const unsigned char *sig,
    size_t siglen);

#endif /* WAGE_PKI_H */
