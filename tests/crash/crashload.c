/* SPDX-License-Identifier: MIT */
/*
 * crashload.c - the load and the check of the crash test.
 *   crashload load CLIENTS FILING.json   file cases from CLIENTS threads
 *       until killed; print "ACK <id>" for every ok reply, at once.
 *   crashload check ACKFILE              every acknowledged case must be
 *       there (case.get); prints "check: N acknowledged, M missing".
 * Server settings from WAGE_SERVER, WAGE_CA, WAGE_CERT, WAGE_KEY.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wage/client.h"

static json_t         *filing;
static pthread_mutex_t out_mtx = PTHREAD_MUTEX_INITIALIZER;

static wage_client *
connect_one(void)
{
	struct wage_client_config cfg;
	struct wage_error         err;
	wage_client              *c;

	memset(&cfg, 0, sizeof(cfg));
	cfg.server     = getenv("WAGE_SERVER");
	cfg.ca         = getenv("WAGE_CA");
	cfg.cert       = getenv("WAGE_CERT");
	cfg.key        = getenv("WAGE_KEY");
	cfg.timeout_ms = 5000;
	if (wage_client_open(&c, &cfg, &err) != WAGE_OK) {
		return (NULL);
	}
	return (c);
}

static void *
load(void *arg)
{
	struct wage_error err;
	wage_client      *c;
	json_t           *res;

	(void) arg;
	if ((c = connect_one()) == NULL) {
		return (NULL);
	}
	for (;;) {
		if (wage_client_call(
		        c, WAGE_OP_CASE_FILE, filing, &res, &err) != WAGE_OK) {
			if (err.code == WAGE_E_CONNECTION ||
			    err.code == WAGE_E_TIMEOUT) {
				break;
			}
			continue;
		}
		pthread_mutex_lock(&out_mtx);
		printf(
		    "ACK %s\n", json_string_value(json_object_get(res, "id")));
		fflush(stdout);
		pthread_mutex_unlock(&out_mtx);
		json_decref(res);
	}
	wage_client_close(c);
	return (NULL);
}

static int
check(const char *path)
{
	struct wage_error err;
	wage_client      *c;
	json_t           *res, *args;
	FILE             *f;
	char              line[128], id[64];
	long              n = 0, missing = 0;

	if ((f = fopen(path, "r")) == NULL || (c = connect_one()) == NULL) {
		fprintf(stderr, "check: cannot start\n");
		return (2);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		/* A line cut by the kill is not an acknowledgement. */
		if (sscanf(line, "ACK %63s", id) != 1 ||
		    line[strlen(line) - 1] != '\n') {
			continue;
		}
		n++;
		args = json_pack("{s:s}", "id", id);
		if (wage_client_call(c, WAGE_OP_CASE_GET, args, &res, &err) !=
		    WAGE_OK) {
			printf("check: acknowledged case %s is missing: %s\n",
			    id, wage_err_name(err.code));
			missing++;
		} else {
			json_decref(res);
		}
		json_decref(args);
	}
	fclose(f);
	wage_client_close(c);
	printf("check: %ld acknowledged, %ld missing\n", n, missing);
	return (missing != 0);
}

int
main(int argc, char **argv)
{
	json_error_t jerr;
	pthread_t    t[64];
	int          n, i;

	if (argc == 3 && strcmp(argv[1], "check") == 0) {
		return (check(argv[2]));
	}
	if (argc != 4 || strcmp(argv[1], "load") != 0) {
		fprintf(stderr,
		    "usage: crashload load CLIENTS FILING.json | "
		    "check ACKFILE\n");
		return (2);
	}
	n = atoi(argv[2]);
	if (n < 1 || n > 64 ||
	    (filing = json_load_file(argv[3], 0, &jerr)) == NULL) {
		fprintf(stderr, "crashload: bad arguments\n");
		return (2);
	}
	for (i = 0; i < n; i++) {
		pthread_create(&t[i], NULL, load, NULL);
	}
	for (i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
	}
	json_decref(filing);
	return (0);
}
