/* SPDX-License-Identifier: MIT */
/*
 * checkpoint.h - signed checkpoints of the audit chain head.
 *
 * The server signs {seq, head, time} with its certificate's key (format in
 * common/auditfmt.h) every `every_events` events or `every_seconds`
 * seconds, whichever comes first, inside the writer's batch transaction,
 * and once more at shutdown. Anyone with the CA certificate can check them;
 * a chain rewritten behind the server's back no longer matches them.
 * Thread-safe (signing is serialised by a mutex).
 */
#ifndef WAGE_CHECKPOINT_H
#define WAGE_CHECKPOINT_H

#include <jansson.h>
#include <lmdb.h>

#include "store.h"

#include "wage/protocol.h"

struct checkpoint_signer;

/* checkpoint_signer_load reads the server's key and certificate. */
int  checkpoint_signer_load(struct checkpoint_signer **sp, const char *key,
     const char *cert, int every_events, int every_seconds,
     struct wage_error *err);
void checkpoint_signer_free(struct checkpoint_signer *s);

/* checkpoint_signer_cert returns the certificate PEM (borrowed). */
const char *checkpoint_signer_cert(const struct checkpoint_signer *s);

/* checkpoint_sign returns (new reference) a checkpoint of seq/head now. */
json_t *checkpoint_sign(
    struct checkpoint_signer *s, json_int_t seq, const char *head);

/*
 * checkpoint_maybe writes a checkpoint of the current head in txn when
 * events were added since the last one and the interval has passed (or
 * force). Returns WAGE_OK or a store error.
 */
int checkpoint_maybe(
    struct store_txn *txn, struct checkpoint_signer *s, int force);

/*
 * checkpoint_verify checks every stored checkpoint's signature with the
 * signer's certificate and that the chain's hash at its seq is its head.
 * On a mismatch *bad_seq is set (else 0) and problem filled.
 */
int checkpoint_verify(struct store_txn *txn, struct checkpoint_signer *s,
    json_int_t *bad_seq, char *problem, size_t len, json_int_t *count,
    json_int_t *last);

/* checkpoint_key: the 8-byte big-endian key of seq (also used by audit). */
void checkpoint_key(json_int_t seq, unsigned char key[8]);

#endif /* WAGE_CHECKPOINT_H */
