/* SPDX-License-Identifier: MIT */
/*
 * pki_int.h - what the parts of the PKI tool share; not for use outside
 * client/pki*.c. The public interface is pki.h.
 *   pki.c        (pki_) the CA operations pki_init, pki_issue, pki_revoke
 *                and pki_write_crl, and what every part uses: the error
 *                helpers, time text, randomness;
 *   pki_check.c  (pki_check_) the input checks: certificate names,
 *                roles, regions, days, host names and IP addresses;
 *   pki_file.c   (pki_file_) the CA directory on disk: atomic file
 *                writes, the directory lock, keys and certificates,
 *                serial, revoked.txt and crl.pem;
 *   pki_der.c    (pki_der_) the DER that mbedTLS 2.28 cannot write:
 *                extendedKeyUsage, subjectAltName and the signed CRL;
 *   pki_sign.c   the login signature: pki_sign and pki_verify.
 * Every int function returns WAGE_OK or a WAGE_E_* code with err filled
 * (may be NULL), as in pki.h, unless its comment says otherwise.
 */
#ifndef WAGE_PKI_INT_H
#define WAGE_PKI_INT_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include "pki.h"

#define PKI_CA_SERIAL  1  /* the CA's own serial; issued ones are > 1 */
#define PKI_SERIAL_MAX 32 /* DER serial octets we accept */

struct rng {
	mbedtls_entropy_context  entropy;
	mbedtls_ctr_drbg_context drbg;
};

struct ca {
	mbedtls_x509_crt   crt;
	mbedtls_pk_context key;
};

/* One line of revoked.txt: the serial's DER content octets and when. */
struct revoked {
	unsigned char serial[PKI_SERIAL_MAX];
	size_t        len;
	time_t        when;
};

/* pki.c */

/*
 * pki_mbed_fail sets err to WAGE_E_INTERNAL with the formatted text, the
 * mbedTLS text of ret and its code; pki_sys_fail does the same with
 * strerror(errno). Both return WAGE_E_INTERNAL.
 */
int pki_mbed_fail(struct wage_error *err, const char *field, int ret,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int pki_sys_fail(struct wage_error *err, const char *field, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/*
 * pki_path_fmt formats a path into out[PATH_MAX]. Returns WAGE_OK, or
 * WAGE_E_INVALID_ARGUMENT (for field) if it would be truncated.
 */
int pki_path_fmt(char *out, struct wage_error *err, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * pki_time_fmt writes t (UTC) as YYYYMMDDHHMMSS into out[0..sz), with a
 * trailing Z if zulu: the text of mbedtls_x509write_crt_set_validity,
 * revoked.txt and ASN.1 GeneralizedTime.
 */
void pki_time_fmt(time_t t, int zulu, char *out, size_t sz);

/*
 * pki_rng_init readies r for pki_rng_seed, which seeds its CTR-DRBG from
 * the platform entropy; pki_rng_fini frees r whether seeded or not.
 */
void pki_rng_init(struct rng *r);
int  pki_rng_seed(struct rng *r, struct wage_error *err);
void pki_rng_fini(struct rng *r);

/* pki_check.c: WAGE_OK or WAGE_E_INVALID_ARGUMENT. */

/* pki_check_name checks a name by the rules of pki_subject.cn (pki.h). */
int pki_check_name(const char *field, const char *v, struct wage_error *err);

/* pki_check_days checks a validity of 1..PKI_MAX_DAYS days. */
int pki_check_days(int days, struct wage_error *err);

/* pki_check_dir checks that a CA directory name is given. */
int pki_check_dir(const char *dir, struct wage_error *err);

/*
 * pki_check_issue checks the arguments of pki_issue other than dir, and
 * stores the nips addresses in binary: ipbin[i][0..iplen[i]), 4 bytes
 * for IPv4, 16 for IPv6 (both arrays have room for PKI_MAX_NAMES).
 */
int pki_check_issue(const struct pki_subject *s, int is_server,
    const char *const *dns, size_t ndns, const char *const *ips, size_t nips,
    int days, const char *out_base, unsigned char (*ipbin)[16], size_t *iplen,
    struct wage_error *err);

/* pki_file.c */

/*
 * pki_file_read reads path into a new NUL-terminated buffer *bufp of
 * *lenp bytes (without the NUL; free it with pki_file_free). secret
 * refuses files that group or others may access or that belong to another
 * user. A missing or oversized file is WAGE_E_INVALID_ARGUMENT (field).
 */
int pki_file_read(const char *path, int secret, const char *field,
    unsigned char **bufp, size_t *lenp, struct wage_error *err);

/* pki_file_free wipes and frees a buffer of pki_file_read; NULL is fine. */
void pki_file_free(unsigned char *buf, size_t len);

/*
 * pki_file_write replaces path with data[0..len) atomically (temporary
 * file of the given mode, fsync, rename, fsync of the directory). With
 * noclobber an existing path is never replaced: WAGE_E_INVALID_ARGUMENT.
 */
int pki_file_write(const char *path, const void *data, size_t len, mode_t mode,
    int noclobber, const char *field, struct wage_error *err);

/* pki_file_absent refuses an existing path (WAGE_E_INVALID_ARGUMENT). */
int pki_file_absent(
    const char *path, const char *field, struct wage_error *err);

/* pki_file_out_dir refuses a path whose directory does not exist. */
int pki_file_out_dir(const char *path, struct wage_error *err);

/*
 * pki_file_lock takes an exclusive flock on the directory dir and stores
 * its descriptor in *fdp (-1 on failure); closing it releases the lock.
 */
int pki_file_lock(const char *dir, int *fdp, struct wage_error *err);

/*
 * pki_file_key_load parses the private key in path (PEM or DER, not
 * encrypted, EC, kept secret as pki_file_read) into pk, set up by the
 * caller with mbedtls_pk_init. A bad key is WAGE_E_INVALID_ARGUMENT.
 */
int pki_file_key_load(const char *path, mbedtls_pk_context *pk,
    const char *field, struct wage_error *err);

/* pki_file_key_write writes pk to path as PEM, mode 0600, noclobber. */
int pki_file_key_write(const char *path, mbedtls_pk_context *pk,
    const char *field, struct wage_error *err);

/*
 * pki_file_crt_load adds the certificates in path (PEM or DER) to crt.
 * A file that is not one is WAGE_E_INVALID_ARGUMENT.
 */
int pki_file_crt_load(const char *path, mbedtls_x509_crt *crt,
    const char *field, struct wage_error *err);

/*
 * pki_file_ca_load loads dir/ca.crt and dir/ca.key into ca (initialised
 * by the caller) and checks that they are a CA certificate and its key.
 */
int pki_file_ca_load(const char *dir, struct ca *ca, struct wage_error *err);

/*
 * pki_file_serial_take reads the next serial from dir/serial into
 * *serial and writes the one after it back first, so a serial is never
 * handed out twice. The caller holds the directory lock.
 */
int pki_file_serial_take(
    const char *dir, uint64_t *serial, struct wage_error *err);

/*
 * pki_file_revoked_load reads dir/revoked.txt into a new array *rlp of
 * *np entries (free it; NULL when there are none).
 */
int pki_file_revoked_load(
    const char *dir, struct revoked **rlp, size_t *np, struct wage_error *err);

/*
 * pki_file_crl_update rewrites dir/crl.pem from dir/revoked.txt, signed by
 * ca, valid for days; r is seeded. The caller holds the directory lock.
 */
int pki_file_crl_update(const char *dir, struct ca *ca, int days,
    struct rng *r, struct wage_error *err);

/* pki_der.c */

/*
 * pki_der_eku and pki_der_san write, backwards in start..*p as
 * mbedtls_asn1_write_* do, the value of an extendedKeyUsage extension
 * (serverAuth if is_server, else clientAuth) or of a subjectAltName with
 * every dns as a dNSName and every ip both as a dNSName (ips[i]) and as
 * an iPAddress (ipbin[i][0..iplen[i])). They return the length written,
 * or a negative mbedTLS error when the buffer is too small.
 */
int pki_der_eku(unsigned char **p, unsigned char *start, int is_server);
int pki_der_san(unsigned char **p, unsigned char *start,
    const char *const *dns, size_t ndns, const char *const *ips,
    const unsigned char (*ipbin)[16], const size_t *iplen, size_t nips);

/*
 * pki_der_crl makes the PEM X.509 v2 CRL of the CA (crt, key) listing
 * rl[0..n), valid from now for days, signed ECDSA-SHA256 with r (seeded),
 * and checks that mbedTLS parses it. *pemp is a new NUL-terminated buffer
 * of *pemlenp bytes without the NUL (free it); NULL on failure.
 */
int pki_der_crl(const mbedtls_x509_crt *crt, mbedtls_pk_context *key,
    const struct revoked *rl, size_t n, int days, struct rng *r,
    unsigned char **pemp, size_t *pemlenp, struct wage_error *err);

#endif /* WAGE_PKI_INT_H */
