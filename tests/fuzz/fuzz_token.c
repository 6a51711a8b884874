/* SPDX-License-Identifier: MIT */
/* fuzz_token.c - libFuzzer target: the session token decoder. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct auth *a;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct wage_error err;
	unsigned char     key[32];
	char              dir[] = "/tmp/wage-fuzz-token.XXXXXX";
	char              ca[64];

	(void) argc;
	(void) argv;
	memset(key, 7, sizeof(key));
	if (mkdtemp(dir) == NULL ||
	    pki_init(strcat(strcpy(ca, dir), "/pki"), "fuzz CA", &err) !=
	        WAGE_OK) {
		abort();
	}
	strcat(ca, "/ca.crt");
	if (auth_alloc(&a, ca, NULL, key, sizeof(key), 3600, &err) !=
	    WAGE_OK) {
		abort();
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct actor      who;
	struct wage_error err;
	char             *tok = malloc(size + 1);

	if (tok == NULL) {
		return (0);
	}
	memcpy(tok, data, size);
	tok[size] = '\0';
	auth_check(a, AUTH_CONN_LOCAL, tok, &who, &err);
	free(tok);
	return (0);
}
