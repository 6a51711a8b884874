/* SPDX-License-Identifier: MIT */
/*
 * bench.c - the load generator of `make bench`, and the two ceilings our
 * figures are measured against. Timings are only ever printed here, never
 * asserted in tests.
 *
 *   bench OP CLIENTS SECONDS FILING.json
 *       OP get (case.get), file (case.file), act (case.act on the
 *       thread's own case), list (a case.list page), mix (40% get,
 *       20% list, 20% act, 20% file). CLIENTS threads, each with its own
 *       mutual-TLS connection and session, all connected and logged in
 *       before the clock starts. Prints one line per operation: requests
 *       per second, p50, p99, p99.9. Server from WAGE_SERVER, WAGE_CA,
 *       WAGE_CERT, WAGE_KEY.
 *   bench echo-server URL CA CERT KEY
 *       an nng REP server with the same TLS settings as wage-server that
 *       sends every request back: the transport's ceiling.
 *   bench echo CLIENTS SECONDS FILING.json
 *       drives the echo server like `get` drives wage-server.
 *   bench lmdb DIR SECONDS
 *       commits records shaped like a filed case (case document, four
 *       index entries, an audit event and the chain head) durably in
 *       batches of 64: the storage ceiling.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lmdb.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/tls/tls.h>

#include "wage/client.h"

enum { OP_GET, OP_LIST, OP_ACT, OP_FILE, OP_ECHO, NOPNAMES };
static const char *const op_names[NOPNAMES] = { "get", "list", "act", "file",
	"echo" };

struct lat {
	double *v;
	size_t  n, cap;
};

struct worker {
	pthread_t tid;
	int       id;
	struct lat lat[NOPNAMES];
	size_t    errors;
	char      case_id[WAGE_CASE_ID_MAX];
	int       revision;
	unsigned  rnd;
};

static const char       *mode;
static double            seconds;
static json_t           *filing;
static pthread_barrier_t ready;
static double            t_start;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6);
}

static void
lat_add(struct lat *l, double ms)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4096;
		l->v   = realloc(l->v, l->cap * sizeof(double));
	}
	l->v[l->n++] = ms;
}

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
	cfg.timeout_ms = 30000;
	if (wage_client_open(&c, &cfg, &err) != WAGE_OK ||
	    (strcmp(mode, "echo") != 0 &&
	        wage_client_login(c, &err) != WAGE_OK)) {
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

	if (wage_client_call(c, "case.file", filing, &res, &err) != WAGE_OK) {
		return (-1);
	}
	snprintf(w->case_id, sizeof(w->case_id), "%s",
	    json_string_value(json_object_get(res, "id")));
	w->revision = (int) json_integer_value(json_object_get(res,
	    "revision"));
	json_decref(res);
	return (0);
}

static int
pick(struct worker *w)
{
	unsigned r;

	if (strcmp(mode, "get") == 0) {
		return (OP_GET);
	}
	if (strcmp(mode, "file") == 0) {
		return (OP_FILE);
	}
	if (strcmp(mode, "act") == 0) {
		return (OP_ACT);
	}
	if (strcmp(mode, "list") == 0) {
		return (OP_LIST);
	}
	if (strcmp(mode, "echo") == 0) {
		return (OP_ECHO);
	}
	r = (unsigned) rand_r(&w->rnd) % 10;
	return (r < 4 ? OP_GET : (r < 6 ? OP_LIST : (r < 8 ? OP_ACT : OP_FILE)));
}

static void *
run(void *arg)
{
	struct worker    *w = arg;
	struct wage_error err;
	wage_client      *c = connect_one();
	json_t           *args = NULL, *res;
	char             *req, *rep;
	size_t            rlen;
	double            end, t0;
	int               op, rc;

	if (strcmp(mode, "echo") != 0 && file_case(c, w) != 0) {
		fprintf(stderr, "bench: cannot file the first case\n");
		exit(1);
	}
	req = json_dumps(filing, JSON_COMPACT);
	/* Everyone connected and logged in: now the clock runs. */
	pthread_barrier_wait(&ready);
	end = t_start + seconds * 1000;
	while ((t0 = now_ms()) < end) {
		op = pick(w);
		switch (op) {
		case OP_ECHO:
			rc = wage_client_call_raw(c, req, strlen(req), &rep,
			    &rlen, &err);
			if (rc == WAGE_OK) {
				free(rep);
			}
			lat_add(&w->lat[op], now_ms() - t0);
			if (rc != WAGE_OK) {
				w->errors++;
			}
			continue;
		case OP_GET:
			args = json_pack("{s:s}", "id", w->case_id);
			rc   = wage_client_call(c, "case.get", args, &res, &err);
			break;
		case OP_LIST:
			args = json_pack("{s:i}", "limit", 20);
			rc   = wage_client_call(c, "case.list", args, &res, &err);
			break;
		case OP_FILE:
			args = json_incref(filing);
			rc   = wage_client_call(c, "case.file", args, &res, &err);
			break;
		default:
			/* Real cases see tens of events, not thousands:
			 * start a fresh case every 20 acts (not timed). */
			if (w->revision >= 20 && file_case(c, w) != 0) {
				w->errors++;
				continue;
			}
			t0   = now_ms();
			args = json_pack("{s:s, s:s, s:i, s:{s:s}}", "id",
			    w->case_id, "event", "supplement", "revision",
			    w->revision, "fields", "materials", "补充工资条");
			rc = wage_client_call(c, "case.act", args, &res, &err);
			if (rc == WAGE_OK) {
				w->revision++;
			}
			break;
		}
		json_decref(args);
		if (rc != WAGE_OK) {
			w->errors++;
			continue;
		}
		json_decref(res);
		lat_add(&w->lat[op], now_ms() - t0);
	}
	free(req);
	wage_client_close(c);
	return (NULL);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return ((x > y) - (x < y));
}

static int
run_clients(int n)
{
	struct worker *ws;
	struct lat     all;
	size_t         errors = 0;
	double         elapsed;
	int            i, op;

	ws = calloc((size_t) n, sizeof(*ws));
	pthread_barrier_init(&ready, NULL, (unsigned) n + 1);
	for (i = 0; i < n; i++) {
		ws[i].id  = i;
		ws[i].rnd = (unsigned) i * 7919u + 1u;
		pthread_create(&ws[i].tid, NULL, run, &ws[i]);
	}
	t_start = now_ms() + 50; /* set before the barrier releases */
	pthread_barrier_wait(&ready);
	for (i = 0; i < n; i++) {
		pthread_join(ws[i].tid, NULL);
		errors += ws[i].errors;
	}
	elapsed = (now_ms() - t_start) / 1000.0;
	if (elapsed > seconds) {
		elapsed = seconds;
	}
	for (op = 0; op < NOPNAMES; op++) {
		memset(&all, 0, sizeof(all));
		for (i = 0; i < n; i++) {
			size_t k;

			for (k = 0; k < ws[i].lat[op].n; k++) {
				lat_add(&all, ws[i].lat[op].v[k]);
			}
			free(ws[i].lat[op].v);
		}
		if (all.n == 0) {
			continue;
		}
		qsort(all.v, all.n, sizeof(double), cmp_double);
		printf("%-4s %-5s clients %3d  %8.0f req/s  p50 %6.2f ms  "
		       "p99 %6.2f ms  p99.9 %6.2f ms\n",
		    mode, op_names[op], n, (double) all.n / elapsed,
		    all.v[all.n / 2], all.v[all.n * 99 / 100],
		    all.v[all.n * 999 / 1000]);
		free(all.v);
	}
	if (errors != 0) {
		printf("%-4s errors %zu\n", mode, errors);
	}
	free(ws);
	return (errors ? 1 : 0);
}

/* ---- the transport's ceiling: an echo server ----------------------- */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b;
	long  n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (b = malloc((size_t) n + 1)) == NULL ||
	    fread(b, 1, (size_t) n, f) != (size_t) n) {
		fprintf(stderr, "bench: cannot read %s\n", path);
		exit(1);
	}
	b[n] = '\0';
	fclose(f);
	return (b);
}

struct echo_work {
	nng_aio *aio;
	nng_ctx  ctx;
	int      sending;
};

static void
echo_cb(void *arg)
{
	struct echo_work *w = arg;
	nng_msg          *m;

	if (nng_aio_result(w->aio) != 0) {
		if (w->sending) {
			nng_msg_free(nng_aio_get_msg(w->aio));
		}
		if (nng_aio_result(w->aio) == NNG_ECLOSED) {
			return;
		}
		w->sending = 0;
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	if (w->sending) {
		w->sending = 0;
		nng_ctx_recv(w->ctx, w->aio);
		return;
	}
	m          = nng_aio_get_msg(w->aio);
	w->sending = 1;
	nng_aio_set_msg(w->aio, m);
	nng_ctx_send(w->ctx, w->aio);
}

static int
echo_server(const char *url, const char *ca, const char *cert,
    const char *key)
{
	nng_socket        s;
	nng_listener      l;
	nng_tls_config   *cfg;
	struct echo_work *ws;
	sigset_t          set;
	int               i, sig, n = 128;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (nng_rep0_open(&s) != 0 ||
	    nng_tls_config_alloc(&cfg, NNG_TLS_MODE_SERVER) != 0 ||
	    nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED) != 0 ||
	    nng_tls_config_ca_chain(cfg, slurp(ca), NULL) != 0 ||
	    nng_tls_config_own_cert(cfg, slurp(cert), slurp(key), NULL) != 0 ||
	    nng_listener_create(&l, s, url) != 0 ||
	    nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, cfg) != 0 ||
	    nng_listener_set_size(l, NNG_OPT_RECVMAXSZ, 512 * 1024) != 0 ||
	    nng_listener_start(l, 0) != 0) {
		fprintf(stderr, "bench: echo server cannot listen on %s\n",
		    url);
		return (1);
	}
	ws = calloc((size_t) n, sizeof(*ws));
	for (i = 0; i < n; i++) {
		nng_aio_alloc(&ws[i].aio, echo_cb, &ws[i]);
		nng_ctx_open(&ws[i].ctx, s);
		nng_ctx_recv(ws[i].ctx, ws[i].aio);
	}
	fprintf(stderr, "READY echo %s\n", url);
	sigwait(&set, &sig);
	nng_close(s);
	for (i = 0; i < n; i++) {
		nng_aio_stop(ws[i].aio);
		nng_aio_free(ws[i].aio);
	}
	free(ws);
	return (0);
}

/* ---- the storage ceiling: durable LMDB commits ---------------------- */

static int
lmdb_loop(const char *dir, double secs)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi  dbi[7];
	MDB_val  k, v;
	char     doc[2048], key[64], ev[700];
	long     rec = 0, i, j;
	double   t0, el;
	int      d;

	mkdir(dir, 0700);
	memset(doc, 'x', sizeof(doc));
	memset(ev, 'y', sizeof(ev));
	if (mdb_env_create(&env) != 0 || mdb_env_set_maxdbs(env, 8) != 0 ||
	    mdb_env_set_mapsize(env, (size_t) 4 << 30) != 0 ||
	    mdb_env_open(env, dir, MDB_NOTLS, 0600) != 0 ||
	    mdb_txn_begin(env, NULL, 0, &txn) != 0) {
		fprintf(stderr, "bench: cannot open %s\n", dir);
		return (1);
	}
	for (d = 0; d < 7; d++) {
		snprintf(key, sizeof(key), "db%d", d);
		mdb_dbi_open(txn, key, MDB_CREATE, &dbi[d]);
	}
	mdb_txn_commit(txn);
	t0 = now_ms();
	while ((el = (now_ms() - t0) / 1000.0) < secs) {
		if (mdb_txn_begin(env, NULL, 0, &txn) != 0) {
			return (1);
		}
		for (i = 0; i < 64; i++, rec++) {
			/* case, four index entries, event, head */
			for (d = 0; d < 7; d++) {
				j = snprintf(key, sizeof(key),
				    "%d\x1f" "3701%02ld\x1fWA2026-%09ld", d,
				    rec % 17, rec);
				k.mv_data = key;
				k.mv_size = (size_t) j;
				v.mv_data = d == 0 ? doc : (d == 5 ? ev : "");
				v.mv_size = d == 0 ? sizeof(doc)
				                   : (d == 5 ? sizeof(ev) : 0);
				if (d == 6) {
					k.mv_data = "audit_head";
					k.mv_size = 10;
					v.mv_data = ev;
					v.mv_size = 80;
				}
				mdb_put(txn, dbi[d], &k, &v, 0);
			}
		}
		if (mdb_txn_commit(txn) != 0) {
			return (1);
		}
	}
	printf("lmdb  commit  batches of 64: %8.0f records/s (each a case, "
	       "4 index entries, an audit event and the head, fsync'd)\n",
	    (double) rec / el);
	mdb_env_close(env);
	return (0);
}

int
main(int argc, char **argv)
{
	json_error_t jerr;

	if (argc == 6 && strcmp(argv[1], "echo-server") == 0) {
		return (echo_server(argv[2], argv[3], argv[4], argv[5]));
	}
	if (argc == 4 && strcmp(argv[1], "lmdb") == 0) {
		return (lmdb_loop(argv[2], atof(argv[3])));
	}
	if (argc != 5) {
		fprintf(stderr,
		    "usage: bench get|file|act|list|mix|echo CLIENTS SECONDS "
		    "FILING.json\n"
		    "       bench echo-server URL CA CERT KEY\n"
		    "       bench lmdb DIR SECONDS\n");
		return (2);
	}
	mode    = argv[1];
	seconds = atof(argv[3]);
	if ((filing = json_load_file(argv[4], 0, &jerr)) == NULL ||
	    atoi(argv[2]) < 1) {
		fprintf(stderr, "bench: %s: %s\n", argv[4], jerr.text);
		return (2);
	}
	return (run_clients(atoi(argv[2])));
}
