/* SPDX-License-Identifier: MIT */
/*
 * seal.h - personal data at rest: ID numbers and phones are stored sealed
 * with AES-256-GCM under a data key kept in its own file (not in the
 * database, so a copy of the database alone does not reveal them).
 * Thread-safe; no logging of plaintext.
 */
#ifndef WAGE_SEAL_H
#define WAGE_SEAL_H

#include <stddef.h>
#include <stdio.h>

#define SEAL_KEY_LEN 32

/*
 * seal_key_load reads the 32-byte key from path (64 hex characters), or,
 * when the file does not exist, creates it (mode 0600) with a fresh random
 * key. Refuses a file others can read. Returns 0, or -1 with the reason
 * printed to diag.
 */
int seal_key_load(
    const char *path, unsigned char key[SEAL_KEY_LEN], FILE *diag);

/*
 * seal_box encrypts the NUL-terminated text into out (base64 of
 * nonce | ciphertext | tag), at most outlen bytes with its NUL.
 * Returns 0 or -1.
 */
int seal_box(const unsigned char key[SEAL_KEY_LEN], const char *text,
    char *out, size_t outlen);

/* seal_open reverses seal_box into out (NUL-terminated); -1 when the box
 * does not authenticate under key or does not fit. */
int seal_open(const unsigned char key[SEAL_KEY_LEN], const char *box,
    char *out, size_t outlen);

#endif /* WAGE_SEAL_H */
