/* SPDX-License-Identifier: MIT */
/*
 * fuzz_request.c - libFuzzer target: the request decoder and guard chain
 * (size, depth, JSON, envelope, op lookup, token) of ops_handle, with a
 * real store and policy; requests without a valid token stop at auth.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops.h"
#include "pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct server srv;

static void
reply(struct ops_request *r)
{
	char *text = ops_reply_text(r);

	if (text == NULL || strncmp(text, "{\"ok\":", 6) != 0) {
		abort(); /* every request must get a well-formed reply */
	}
	free(text);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct wage_error err;
	unsigned char     key[32];
	char              dir[] = "/tmp/wage-fuzz-request.XXXXXX";
	char              path[128];
	const char       *src = getenv("WAGE_SRCDIR");

	(void) argc;
	(void) argv;
	memset(key, 7, sizeof(key));
	if (mkdtemp(dir) == NULL) {
		abort();
	}
	snprintf(path, sizeof(path), "%s/pki", dir);
	if (pki_init(path, "fuzz CA", &err) != WAGE_OK) {
		abort();
	}
	snprintf(path, sizeof(path), "%s/pki/ca.crt", dir);
	if (auth_alloc(&srv.auth, path, NULL, key, sizeof(key), 3600, &err) !=
	    WAGE_OK) {
		abort();
	}
	snprintf(path, sizeof(path), "%s/policies/wage-dispute.yaml",
	    src != NULL ? src : ".");
	if (policy_load_file(path, &srv.policy, stderr, NULL) != 0) {
		abort();
	}
	snprintf(path, sizeof(path), "%s/db", dir);
	if (store_open(&srv.store, path, 16u << 20, 32, &err) != WAGE_OK) {
		abort();
	}
	ops_init(&srv, NULL, 0);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ops_request r;

	memset(&r, 0, sizeof(r));
	r.reply = reply;
	ops_handle(&srv, (const char *) data, size, &r);
	ops_request_reset(&r);
	return (0);
}
