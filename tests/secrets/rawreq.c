/* SPDX-License-Identifier: MIT */
/*
 * rawreq.c - send one request, as its bytes are, over mutual TLS and print
 * the reply. No login, no retry: for tests that must see what the server
 * says to exactly these bytes. (nngcat 1.5.2 was used before; its own
 * receive timeout fails now and then with "Cannot set recv timeout".)
 *
 * usage: rawreq JSON   (server, CA, certificate and key from WAGE_SERVER,
 *                       WAGE_CA, WAGE_CERT, WAGE_KEY)
 * Exit 0 when a reply came (whatever it says), 1 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wage/client.h"

int
main(int argc, char **argv)
{
	struct wage_client_config cfg;
	struct wage_error         err;
	wage_client              *c;
	char                     *reply = NULL;
	size_t                    rlen  = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: rawreq JSON\n");
		return (2);
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.server     = getenv("WAGE_SERVER");
	cfg.ca         = getenv("WAGE_CA");
	cfg.cert       = getenv("WAGE_CERT");
	cfg.key        = getenv("WAGE_KEY");
	cfg.timeout_ms = 10000;
	if (wage_client_open(&c, &cfg, &err) != WAGE_OK) {
		fprintf(stderr, "rawreq: %s\n", err.message);
		return (1);
	}
	if (wage_client_call_raw(c, argv[1], strlen(argv[1]), &reply, &rlen,
	        &err) != WAGE_OK) {
		fprintf(stderr, "rawreq: %s\n", err.message);
		wage_client_close(c);
		return (1);
	}
	fwrite(reply, 1, rlen, stdout);
	putchar('\n');
	free(reply);
	wage_client_close(c);
	return (0);
}
