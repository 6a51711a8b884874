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

#define SEAL_KEY_MISSING 1

/*
 * seal_key_load reads a 32-byte key from path (64 hex characters, then at
 * most a newline). When the file does not exist: with create, makes it
 * (mode 0600, O_EXCL) with a fresh random key; without, returns
 * SEAL_KEY_MISSING. Refuses a file that is not regular, owned by another
 * user, or readable by group or others (config_check_secret). Returns 0,
 * SEAL_KEY_MISSING, or -1 with the reason printed to diag. The same file
 * format serves the data key and the token key.
 */
int seal_key_load(
    const char *path, unsigned char key[SEAL_KEY_LEN], int create, FILE *diag);

/*
 * seal_key_replace makes a fresh random key into key and puts it at path
 * atomically: written (0600) and synced beside it, then renamed over it,
 * then the directory synced. Returns 0 or -1 with the reason printed to
 * diag (the old file, if any, is then unchanged).
 */
int seal_key_replace(
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
