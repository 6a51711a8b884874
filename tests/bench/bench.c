/* SPDX-License-Identifier: MIT */
/*
 * bench.c - load generator: N client threads over mutual TLS, each with its
 * own connection and session, calling one operation for a fixed time.
 * Prints requests per second and latency percentiles. Timings are only
 * ever printed here, never asserted in tests.
 *
 * usage: bench OP CLIENTS SECONDS FILING.json
 *   OP: get (case.get of a case filed at start), file (case.file),
 *       act (case.act supplement on each thread's own case)
 * Server settings from WAGE_SERVER, WAGE_CA, WAGE_CERT, WAGE_KEY.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wage/client.h"

struct worker {
	pthread_t tid;
	int       id;
	double   *lat; /* milliseconds */
	size_t    n, cap;
	size_t    errors;
	char      case_id[WAGE_CASE_ID_MAX];
	int       revision;
};

static const char *op_name;
static double      seconds;
static json_t     *filing;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6);
}

static wage_client *
connect_one(void)
{
	struct wage_client_config cfg;
	struct wage_error         err;
	wage_client              *c;

	memset(&cfg, 0, sizeof(cfg));
	cfg.server = getenv("WAGE_SERVER");
	cfg.ca     = getenv("WAGE_CA");
	cfg.cert   = getenv("WAGE_CERT");
	cfg.key    = getenv("WAGE_KEY");
	cfg.timeout_ms = 30000;
	if (wage_client_open(&c, &cfg, &err) != WAGE_OK ||
	    wage_client_login(c, &err) != WAGE_OK) {
		fprintf(stderr, "bench: connect: %s: %s\n",
		    wage_err_name(err.code), err.message);
		exit(1);
	}
	return (c);
}

static int
file_case(wage_client *c, struct worker *w)
{
	struct wage_error err;
	json_t           *res;

	if (wage_client_call(c, WAGE_OP_CASE_FILE, filing, &res, &err) !=
	    WAGE_OK) {
		return (-1);
	}
	snprintf(w->case_id, sizeof(w->case_id), "%s",
	    json_string_value(json_object_get(res, "id")));
	w->revision = (int) json_integer_value(json_object_get(res,
	    "revision"));
	json_decref(res);
	return (0);
}

static void *
run(void *arg)
{
	struct worker    *w = arg;
	struct wage_error err;
	wage_client      *c = connect_one();
	json_t           *args, *res;
	double            end, t0;
	int               rc;

	if (file_case(c, w) != 0) {
		fprintf(stderr, "bench: cannot file the first case\n");
		exit(1);
	}
	end = now_ms() + seconds * 1000;
	while ((t0 = now_ms()) < end) {
		if (strcmp(op_name, "get") == 0) {
			args = json_pack("{s:s}", "id", w->case_id);
			rc   = wage_client_call(c, WAGE_OP_CASE_GET, args, &res,
			      &err);
		} else if (strcmp(op_name, "file") == 0) {
			args = json_incref(filing);
			rc   = wage_client_call(c, WAGE_OP_CASE_FILE, args, &res,
			      &err);
		} else {
			/* Real cases see tens of events, not thousands:
			 * start a fresh case every 20 acts. */
			if (w->revision >= 20 && file_case(c, w) != 0) {
				w->errors++;
				continue;
			}
			args = json_pack("{s:s, s:s, s:i, s:{s:s}}", "id",
			    w->case_id, "event", "supplement", "revision",
			    w->revision, "fields", "materials", "补充工资条");
			rc = wage_client_call(c, WAGE_OP_CASE_ACT, args, &res,
			    &err);
			if (rc == WAGE_OK) {
				w->revision++;
			}
		}
		json_decref(args);
		if (rc != WAGE_OK) {
			w->errors++;
			continue;
		}
		json_decref(res);
		if (w->n == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 4096;
			w->lat = realloc(w->lat, w->cap * sizeof(double));
		}
		w->lat[w->n++] = now_ms() - t0;
	}
	wage_client_close(c);
	return (NULL);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return ((x > y) - (x < y));
}

int
main(int argc, char **argv)
{
	struct worker *ws;
	json_error_t   jerr;
	double        *all, t0, elapsed;
	size_t         total = 0, errors = 0, k = 0;
	int            n, i;

	if (argc != 5) {
		fprintf(stderr, "usage: bench get|file|act CLIENTS SECONDS "
		                "FILING.json\n");
		return (2);
	}
	op_name = argv[1];
	n       = atoi(argv[2]);
	seconds = atof(argv[3]);
	if ((filing = json_load_file(argv[4], 0, &jerr)) == NULL || n < 1) {
		fprintf(stderr, "bench: %s: %s\n", argv[4], jerr.text);
		return (2);
	}
	ws = calloc((size_t) n, sizeof(*ws));
	t0 = now_ms();
	for (i = 0; i < n; i++) {
		ws[i].id = i;
		pthread_create(&ws[i].tid, NULL, run, &ws[i]);
	}
	for (i = 0; i < n; i++) {
		pthread_join(ws[i].tid, NULL);
		total += ws[i].n;
		errors += ws[i].errors;
	}
	elapsed = (now_ms() - t0) / 1000.0;
	all     = malloc((total ? total : 1) * sizeof(double));
	for (i = 0; i < n; i++) {
		memcpy(all + k, ws[i].lat, ws[i].n * sizeof(double));
		k += ws[i].n;
		free(ws[i].lat);
	}
	qsort(all, total, sizeof(double), cmp_double);
	printf("%-5s clients %3d  %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  "
	       "p99.9 %6.2f ms  errors %zu\n",
	    op_name, n, (double) total / (elapsed > seconds ? seconds : elapsed),
	    total ? all[total / 2] : 0.0, total ? all[total * 99 / 100] : 0.0,
	    total ? all[total * 999 / 1000] : 0.0, errors);
	free(all);
	free(ws);
	json_decref(filing);
	return (errors ? 1 : 0);
}
