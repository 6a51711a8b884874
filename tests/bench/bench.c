/* SPDX-License-Identifier: MIT */
/*
 * bench.c - the load generator of `make bench`, and the two ceilings our
 * figures are measured against. Timings are only ever printed here, never
 * asserted in tests.
 *
 *   bench OP CLIENTS SECONDS FILING.json
 *       OP get (case.get), file (case.file), act (case.act on the
 *       client's own case), list (a case.list page), mix (40% get,
 *       20% list, 20% act, 20% file), echo (the filing sent as it is, to
 *       the echo server below). CLIENTS connections, each its own mutual
 *       TLS session and its own login (a token of its own), all connected
 *       and logged in before the clock starts; each has one request in
 *       flight at a time. Prints one line per operation: requests per
 *       second, p50, p99, p99.9, and the CPU the generator itself used.
 *       Server from WAGE_SERVER, WAGE_CA, WAGE_CERT, WAGE_KEY.
 *   bench echo-server URL CA CERT KEY
 *       an nng REP server with the same TLS settings as wage-server that
 *       sends every request back: the transport's ceiling.
 *   bench lmdb DIR SECONDS
 *       commits records shaped like a filed case (case document, four
 *       index entries, an audit event and the chain head) durably in
 *       batches of 64: the storage ceiling.
 *
 * The generator shares two cores with the server, so it must cost little:
 * a first version with one nng REQ socket and one thread per client took
 * 60 % of the machine to drive the echo server (its thread hand-offs cost
 * more than the server's work). This one logs in with the C client
 * library (challenge signed with the key), then drives every connection
 * from one thread with epoll and mbedTLS directly, speaking the SP REQ
 * framing nng uses on a stream (an 8-byte protocol header once, then each
 * message as a 64-bit big-endian length, a 32-bit request id and the JSON).
 * The server cannot tell it from any other nng REQ peer.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lmdb.h>
#include <mbedtls/base64.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/supplemental/tls/tls.h>

#include "pki.h"
#include "wage/client.h"

enum { OP_GET, OP_LIST, OP_ACT, OP_FILE, OP_ECHO, NOPNAMES, OP_REFILE };
static const char *const op_names[NOPNAMES] = { "get", "list", "act", "file",
	"echo" };

struct lat {
	double *v;
	size_t  n, cap;
};

struct conn {
	mbedtls_net_context net;
	mbedtls_ssl_context ssl;
	unsigned char      *out; /* the framed request being written */
	size_t              outlen, outoff;
	unsigned char      *in; /* the framed reply being read */
	size_t              inlen, incap;
	uint32_t            reqid;
	int                 op;
	double              t0;
	char                token[1024];
	char                case_id[WAGE_CASE_ID_MAX];
	int                 revision;
	unsigned            rnd;
	/* Bytes read from the socket ahead of mbedTLS, which asks for a
	 * record header and then its body: one read instead of two. */
	unsigned char rbuf[32768];
	size_t        rpos, rlen;
};

static const char *mode;
static double      seconds;
static json_t     *filing;
static char       *filing_text;
static struct lat  lats[NOPNAMES];
static size_t      errors;
static int         errors_shown;

static mbedtls_ssl_config       tls_conf;
static mbedtls_x509_crt         tls_ca, tls_cert;
static mbedtls_pk_context       tls_key;
static mbedtls_entropy_context  tls_entropy;
static mbedtls_ctr_drbg_context tls_drbg;

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
		if ((l->v = realloc(l->v, l->cap * sizeof(double))) == NULL) {
			fprintf(stderr, "bench: out of memory\n");
			exit(1);
		}
	}
	l->v[l->n++] = ms;
}

static void
die_tls(const char *what, int rv)
{
	char buf[200];

	mbedtls_strerror(rv, buf, sizeof(buf));
	fprintf(stderr, "bench: %s: %s\n", what, buf);
	exit(1);
}

static void
tls_setup(void)
{
	const char *ca = getenv("WAGE_CA"), *cert = getenv("WAGE_CERT"),
	           *key = getenv("WAGE_KEY");
	int rv;

	if (ca == NULL || cert == NULL || key == NULL ||
	    getenv("WAGE_SERVER") == NULL) {
		fprintf(stderr,
		    "bench: set WAGE_SERVER, WAGE_CA, WAGE_CERT "
		    "and WAGE_KEY\n");
		exit(2);
	}
	mbedtls_ssl_config_init(&tls_conf);
	mbedtls_x509_crt_init(&tls_ca);
	mbedtls_x509_crt_init(&tls_cert);
	mbedtls_pk_init(&tls_key);
	mbedtls_entropy_init(&tls_entropy);
	mbedtls_ctr_drbg_init(&tls_drbg);
	if ((rv = mbedtls_ctr_drbg_seed(&tls_drbg, mbedtls_entropy_func,
	         &tls_entropy, NULL, 0)) != 0) {
		die_tls("random generator", rv);
	}
	if ((rv = mbedtls_x509_crt_parse_file(&tls_ca, ca)) != 0 ||
	    (rv = mbedtls_x509_crt_parse_file(&tls_cert, cert)) != 0 ||
	    (rv = mbedtls_pk_parse_keyfile(&tls_key, key, NULL)) != 0) {
		die_tls("certificates", rv);
	}
	if ((rv = mbedtls_ssl_config_defaults(&tls_conf, MBEDTLS_SSL_IS_CLIENT,
	         MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT)) !=
	        0 ||
	    (rv = mbedtls_ssl_conf_own_cert(&tls_conf, &tls_cert, &tls_key)) !=
	        0) {
		die_tls("TLS configuration", rv);
	}
	mbedtls_ssl_conf_authmode(&tls_conf, MBEDTLS_SSL_VERIFY_REQUIRED);
	mbedtls_ssl_conf_ca_chain(&tls_conf, &tls_ca, NULL);
	mbedtls_ssl_conf_rng(&tls_conf, mbedtls_ctr_drbg_random, &tls_drbg);
}

/* "tls+tcp://HOST:PORT" into host and port. */
static void
split_url(char *host, size_t hlen, char *port, size_t plen)
{
	const char *u = getenv("WAGE_SERVER"), *p;
	const char *h = strstr(u, "://");

	h = h != NULL ? h + 3 : u;
	if ((p = strrchr(h, ':')) == NULL || (size_t) (p - h) >= hlen) {
		fprintf(stderr,
		    "bench: WAGE_SERVER %s: expected "
		    "tls+tcp://HOST:PORT\n",
		    u);
		exit(2);
	}
	snprintf(host, hlen, "%.*s", (int) (p - h), h);
	snprintf(port, plen, "%s", p + 1);
}

/* Blocking write and read of whole plaintext buffers, for the set-up. */
static void
tls_write_all(struct conn *c, const unsigned char *b, size_t n)
{
	int rv;

	while (n > 0) {
		rv = mbedtls_ssl_write(&c->ssl, b, n);
		if (rv == MBEDTLS_ERR_SSL_WANT_READ ||
		    rv == MBEDTLS_ERR_SSL_WANT_WRITE) {
			continue;
		}
		if (rv < 0) {
			die_tls("write", rv);
		}
		b += rv;
		n -= (size_t) rv;
	}
}

static void
tls_read_all(struct conn *c, unsigned char *b, size_t n)
{
	int rv;

	while (n > 0) {
		rv = mbedtls_ssl_read(&c->ssl, b, n);
		if (rv == MBEDTLS_ERR_SSL_WANT_READ ||
		    rv == MBEDTLS_ERR_SSL_WANT_WRITE) {
			continue;
		}
		if (rv <= 0) {
			die_tls(
			    "read", rv == 0 ? MBEDTLS_ERR_NET_CONN_RESET : rv);
		}
		b += rv;
		n -= (size_t) rv;
	}
}

static int
send_cb(void *ctx, const unsigned char *buf, size_t len)
{
	return (mbedtls_net_send(&((struct conn *) ctx)->net, buf, len));
}

static int
conn_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct conn *c = ctx;
	ssize_t      n;

	if (c->rpos == c->rlen) {
		n = read(c->net.fd, c->rbuf, sizeof(c->rbuf));
		if (n < 0) {
			return (errno == EAGAIN || errno == EWOULDBLOCK ||
			            errno == EINTR
			        ? MBEDTLS_ERR_SSL_WANT_READ
			        : MBEDTLS_ERR_NET_RECV_FAILED);
		}
		if (n == 0) {
			return (MBEDTLS_ERR_NET_CONN_RESET);
		}
		c->rpos = 0;
		c->rlen = (size_t) n;
	}
	if (len > c->rlen - c->rpos) {
		len = c->rlen - c->rpos;
	}
	memcpy(buf, c->rbuf + c->rpos, len);
	c->rpos += len;
	return ((int) len);
}

/*
 * A mutual-TLS connection speaking SP REQ: after the handshake each side
 * sends "\0SP\0", its protocol number (REQ 0x30, REP 0x31) and two zero
 * bytes.
 */
static void
conn_open(struct conn *c, const char *host, const char *port)
{
	static const unsigned char req_hdr[8] = { 0, 'S', 'P', 0, 0, 0x30, 0,
		0 };
	unsigned char              peer[8];
	int                        rv, one = 1;

	mbedtls_net_init(&c->net);
	mbedtls_ssl_init(&c->ssl);
	if ((rv = mbedtls_net_connect(
	         &c->net, host, port, MBEDTLS_NET_PROTO_TCP)) != 0) {
		die_tls("connect", rv);
	}
	setsockopt(c->net.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if ((rv = mbedtls_ssl_setup(&c->ssl, &tls_conf)) != 0 ||
	    (rv = mbedtls_ssl_set_hostname(&c->ssl, "localhost")) != 0) {
		die_tls("TLS session", rv);
	}
	mbedtls_ssl_set_bio(&c->ssl, c, send_cb, conn_recv, NULL);
	while ((rv = mbedtls_ssl_handshake(&c->ssl)) != 0) {
		if (rv != MBEDTLS_ERR_SSL_WANT_READ &&
		    rv != MBEDTLS_ERR_SSL_WANT_WRITE) {
			die_tls("handshake", rv);
		}
	}
	tls_write_all(c, req_hdr, sizeof(req_hdr));
	tls_read_all(c, peer, sizeof(peer));
	if (memcmp(peer, "\0SP\0\0\x31", 6) != 0) {
		fprintf(stderr, "bench: the peer is not an SP REP socket\n");
		exit(1);
	}
	c->reqid = 0x80000000u | ((uint32_t) rand() & 0x7fffffffu);
}

static void
put_be(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--, v >>= 8) {
		p[i] = (unsigned char) (v & 0xff);
	}
}

static uint64_t
get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int      i;

	for (i = 0; i < n; i++) {
		v = (v << 8) | p[i];
	}
	return (v);
}

/* Frame body as the next request of c: length, request id, JSON. */
static void
frame(struct conn *c, const char *body, size_t blen)
{
	size_t need = 12 + blen;

	c->reqid = 0x80000000u | ((c->reqid + 1) & 0x7fffffffu);
	free(c->out);
	if ((c->out = malloc(need)) == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	put_be(c->out, 4 + blen, 8);
	put_be(c->out + 8, c->reqid, 4);
	memcpy(c->out + 12, body, blen);
	c->outlen = need;
	c->outoff = 0;
	c->inlen  = 0;
}

/* The body of a complete reply in c->in, or NULL while it is incomplete. */
static const char *
reply_body(struct conn *c, size_t *blen)
{
	uint64_t len;

	if (c->inlen < 8) {
		return (NULL);
	}
	len = get_be(c->in, 8);
	if (len < 4 || len > 4 * WAGE_MAX_MSG) {
		fprintf(stderr, "bench: bad reply frame (%llu bytes)\n",
		    (unsigned long long) len);
		exit(1);
	}
	if (c->inlen < 8 + len) {
		if (c->incap < 8 + len + 1) {
			c->incap = 8 + len + 1;
			if ((c->in = realloc(c->in, c->incap)) == NULL) {
				fprintf(stderr, "bench: out of memory\n");
				exit(1);
			}
		}
		return (NULL);
	}
	if ((uint32_t) get_be(c->in + 8, 4) != c->reqid) {
		fprintf(stderr, "bench: reply to another request\n");
		exit(1);
	}
	c->in[8 + len] = '\0';
	*blen          = (size_t) len - 4;
	return ((const char *) c->in + 12);
}

/* Room for at least one more byte and the terminating NUL. */
static void
in_room(struct conn *c)
{
	if (c->incap - c->inlen < 2) {
		c->incap = c->incap * 2 + 4096;
		if ((c->in = realloc(c->in, c->incap)) == NULL) {
			fprintf(stderr, "bench: out of memory\n");
			exit(1);
		}
	}
}

/* Blocking call for the untimed set-up: send body, return the reply. */
static json_t *
conn_call_sync(struct conn *c, const char *body)
{
	const char *r;
	size_t      blen;
	json_t     *j, *res;
	int         rv;

	frame(c, body, strlen(body));
	tls_write_all(c, c->out, c->outlen);
	while ((r = reply_body(c, &blen)) == NULL) {
		in_room(c);
		rv = mbedtls_ssl_read(
		    &c->ssl, c->in + c->inlen, c->incap - c->inlen - 1);
		if (rv == MBEDTLS_ERR_SSL_WANT_READ ||
		    rv == MBEDTLS_ERR_SSL_WANT_WRITE) {
			continue;
		}
		if (rv <= 0) {
			die_tls(
			    "read", rv == 0 ? MBEDTLS_ERR_NET_CONN_RESET : rv);
		}
		c->inlen += (size_t) rv;
	}
	if ((j = json_loadb(r, blen, 0, NULL)) == NULL ||
	    !json_is_true(json_object_get(j, "ok"))) {
		fprintf(stderr, "bench: set-up call failed: %.*s\n",
		    (int) blen, r);
		exit(1);
	}
	res = json_incref(json_object_get(j, "result"));
	json_decref(j);
	return (res);
}

/* The server's {"ok":true,...} or {"ok": true, ...}. */
static int
reply_ok(const char *r, size_t n)
{
	const char *p = memmem(r, n < 16 ? n : 16, "\"ok\"", 4);

	if (p == NULL) {
		return (0);
	}
	for (p += 4; *p == ':' || *p == ' '; p++) {
	}
	return (*p == 't');
}

static char *
request_text(struct conn *c, int op)
{
	char *s = NULL;
	int   n = -1;

	switch (op) {
	case OP_ECHO:
		return (strdup(filing_text));
	case OP_GET:
		n = asprintf(&s,
		    "{\"op\":\"case.get\",\"token\":\"%s\",\"args\":"
		    "{\"id\":\"%s\"}}",
		    c->token, c->case_id);
		break;
	case OP_LIST:
		n = asprintf(&s,
		    "{\"op\":\"case.list\",\"token\":\"%s\",\"args\":"
		    "{\"limit\":20}}",
		    c->token);
		break;
	case OP_FILE:
	case OP_REFILE:
		n = asprintf(&s,
		    "{\"op\":\"case.file\",\"token\":\"%s\",\"args\":%s}",
		    c->token, filing_text);
		break;
	default:
		n = asprintf(&s,
		    "{\"op\":\"case.act\",\"token\":\"%s\",\"args\":"
		    "{\"id\":\"%s\",\"event\":\"supplement\",\"revision\":%d,"
		    "\"fields\":{\"materials\":\"补充工资条\"}}}",
		    c->token, c->case_id, c->revision);
		break;
	}
	if (n < 0) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	return (s);
}

static void
keep_case(struct conn *c, json_t *res)
{
	snprintf(c->case_id, sizeof(c->case_id), "%s",
	    json_string_value(json_object_get(res, "id")));
	c->revision =
	    (int) json_integer_value(json_object_get(res, "revision"));
}

static int
pick(struct conn *c)
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
	r = (unsigned) rand_r(&c->rnd) % 10;
	return (
	    r < 4 ? OP_GET : (r < 6 ? OP_LIST : (r < 8 ? OP_ACT : OP_FILE)));
}

/* Start c's next request (writes as much as the socket takes now). */
static void
conn_start(struct conn *c)
{
	char *body;

	c->op = pick(c);
	/* Real cases see tens of events, not thousands: start a fresh case
	 * every 20 acts (filed first, untimed). */
	if (c->op == OP_ACT && c->revision >= 20) {
		c->op = OP_REFILE;
	}
	body = request_text(c, c->op);
	frame(c, body, strlen(body));
	free(body);
	c->t0 = now_ms();
}

/* Write what is pending; 1 when the whole request is out. */
static int
conn_flush(struct conn *c)
{
	int rv;

	while (c->outoff < c->outlen) {
		rv = mbedtls_ssl_write(
		    &c->ssl, c->out + c->outoff, c->outlen - c->outoff);
		if (rv == MBEDTLS_ERR_SSL_WANT_WRITE ||
		    rv == MBEDTLS_ERR_SSL_WANT_READ) {
			return (0);
		}
		if (rv < 0) {
			die_tls("write", rv);
		}
		c->outoff += (size_t) rv;
	}
	return (1);
}

/* Read what is there; 1 when a whole reply came and was accounted. */
static int
conn_read(struct conn *c)
{
	const char *r;
	size_t      blen;
	json_t     *j;
	int         rv;

	for (;;) {
		if ((r = reply_body(c, &blen)) != NULL) {
			break;
		}
		in_room(c);
		rv = mbedtls_ssl_read(
		    &c->ssl, c->in + c->inlen, c->incap - c->inlen - 1);
		if (rv == MBEDTLS_ERR_SSL_WANT_READ ||
		    rv == MBEDTLS_ERR_SSL_WANT_WRITE) {
			return (0);
		}
		if (rv <= 0) {
			die_tls(
			    "read", rv == 0 ? MBEDTLS_ERR_NET_CONN_RESET : rv);
		}
		c->inlen += (size_t) rv;
	}
	if (c->op == OP_ECHO ? blen != strlen(filing_text)
	                     : !reply_ok(r, blen)) {
		errors++;
		if (errors_shown++ < 3) {
			fprintf(stderr, "bench: %s: %.300s\n",
			    c->op < NOPNAMES ? op_names[c->op] : "file", r);
		}
		return (1);
	}
	if (c->op == OP_REFILE) {
		if ((j = json_loadb(r, blen, 0, NULL)) == NULL) {
			exit(1);
		}
		keep_case(c, json_object_get(j, "result"));
		json_decref(j);
		return (1);
	}
	if (c->op == OP_ACT) {
		c->revision++;
	}
	lat_add(&lats[c->op], now_ms() - c->t0);
	return (1);
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((double) ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double) ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *) a, y = *(const double *) b;

	return ((x > y) - (x < y));
}

/*
 * conn_login logs in on c's own connection (a session belongs to the
 * connection it logged in on): auth.challenge, signed with WAGE_KEY, then
 * auth.login with the certificate cert_pem. Untimed set-up.
 */
static void
conn_login(struct conn *c, const char *cert_pem)
{
	struct wage_error err;
	json_t           *res, *req;
	unsigned char     sig[160], *msg;
	char              sig64[256], *body;
	const char       *ch;
	size_t            siglen, mlen, olen;

	res  = conn_call_sync(c, "{\"op\":\"auth.challenge\"}");
	ch   = json_string_value(json_object_get(res, "challenge"));
	mlen = strlen(WAGE_LOGIN_CONTEXT) + (ch != NULL ? strlen(ch) : 0);
	if (ch == NULL || (msg = malloc(mlen)) == NULL) {
		fprintf(stderr, "bench: no challenge\n");
		exit(1);
	}
	memcpy(msg, WAGE_LOGIN_CONTEXT, strlen(WAGE_LOGIN_CONTEXT));
	memcpy(msg + strlen(WAGE_LOGIN_CONTEXT), ch, strlen(ch));
	if (pki_sign(getenv("WAGE_KEY"), msg, mlen, sig, sizeof(sig), &siglen,
	        &err) != WAGE_OK ||
	    mbedtls_base64_encode((unsigned char *) sig64, sizeof(sig64),
	        &olen, sig, siglen) != 0) {
		fprintf(stderr, "bench: cannot sign the challenge: %s\n",
		    err.message);
		exit(1);
	}
	free(msg);
	req = json_pack("{s:s, s:{s:s, s:s, s:s}}", "op", "auth.login", "args",
	    "certificate", cert_pem, "challenge", ch, "signature", sig64);
	body = req != NULL ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	json_decref(res);
	if (body == NULL) {
		fprintf(stderr, "bench: out of memory\n");
		exit(1);
	}
	res = conn_call_sync(c, body);
	free(body);
	snprintf(c->token, sizeof(c->token), "%s",
	    json_string_value(json_object_get(res, "token")) != NULL
	        ? json_string_value(json_object_get(res, "token"))
	        : "");
	json_decref(res);
}

/* Every client logs in on its own raw connection, then talks raw. */
static void
setup_clients(struct conn *cs, int n)
{
	char    host[256], port[16], *body, *pem = NULL;
	json_t *res;
	FILE   *f;
	long    len;
	int     i;

	split_url(host, sizeof(host), port, sizeof(port));
	if (strcmp(mode, "echo") != 0) {
		if ((f = fopen(getenv("WAGE_CERT"), "rb")) == NULL ||
		    fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) <= 0 ||
		    fseek(f, 0, SEEK_SET) != 0 ||
		    (pem = calloc(1, (size_t) len + 1)) == NULL ||
		    fread(pem, 1, (size_t) len, f) != (size_t) len) {
			fprintf(stderr, "bench: cannot read WAGE_CERT\n");
			exit(1);
		}
		fclose(f);
	}
	for (i = 0; i < n; i++) {
		struct conn *c = &cs[i];

		c->rnd = (unsigned) i * 7919u + 1u;
		conn_open(c, host, port);
		if (strcmp(mode, "echo") != 0) {
			conn_login(c, pem);
			body = request_text(c, OP_REFILE);
			res  = conn_call_sync(c, body);
			keep_case(c, res);
			json_decref(res);
			free(body);
		}
		mbedtls_net_set_nonblock(&c->net);
	}
	free(pem);
}

static int
run_clients(int n)
{
	struct conn       *cs;
	struct epoll_event ev, evs[256];
	double             t_start, end, elapsed, cpu0;
	int                ep, i, k, op, live;

	if ((cs = calloc((size_t) n, sizeof(*cs))) == NULL) {
		return (1);
	}
	setup_clients(cs, n);
	if ((ep = epoll_create1(0)) < 0) {
		perror("bench: epoll");
		return (1);
	}
	cpu0    = cpu_seconds();
	t_start = now_ms();
	end     = t_start + seconds * 1000;
	for (i = 0; i < n; i++) {
		conn_start(&cs[i]);
		ev.events = conn_flush(&cs[i]) ? EPOLLIN : EPOLLIN | EPOLLOUT;
		ev.data.ptr = &cs[i];
		epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].net.fd, &ev);
	}
	live = n;
	while (live > 0) {
		k = epoll_wait(ep, evs, 256, 1000);
		if (k < 0 && errno != EINTR) {
			perror("bench: epoll_wait");
			return (1);
		}
		for (i = 0; i < k; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c->outoff < c->outlen) {
				if (!conn_flush(c)) {
					continue;
				}
				ev.events   = EPOLLIN;
				ev.data.ptr = c;
				epoll_ctl(ep, EPOLL_CTL_MOD, c->net.fd, &ev);
			}
			if (!conn_read(c)) {
				continue;
			}
			if (now_ms() >= end) {
				epoll_ctl(ep, EPOLL_CTL_DEL, c->net.fd, NULL);
				live--;
				continue;
			}
			conn_start(c);
			if (!conn_flush(c)) {
				ev.events   = EPOLLIN | EPOLLOUT;
				ev.data.ptr = c;
				epoll_ctl(ep, EPOLL_CTL_MOD, c->net.fd, &ev);
			}
		}
	}
	elapsed = (now_ms() - t_start) / 1000.0;
	if (elapsed > seconds) {
		elapsed = seconds;
	}
	for (op = 0; op < NOPNAMES; op++) {
		struct lat *l = &lats[op];

		if (l->n == 0) {
			continue;
		}
		qsort(l->v, l->n, sizeof(double), cmp_double);
		printf("%-4s %-5s clients %3d  %8.0f req/s  p50 %6.2f ms  "
		       "p99 %6.2f ms  p99.9 %6.2f ms\n",
		    mode, op_names[op], n, (double) l->n / elapsed,
		    l->v[l->n / 2], l->v[l->n * 99 / 100],
		    l->v[l->n * 999 / 1000]);
		free(l->v);
	}
	printf("%-4s load generator: %.0f%% of one core\n", mode,
	    100.0 * (cpu_seconds() - cpu0) / ((now_ms() - t_start) / 1000.0));
	if (errors != 0) {
		printf("%-4s errors %zu\n", mode, errors);
	}
	for (i = 0; i < n; i++) {
		mbedtls_ssl_close_notify(&cs[i].ssl);
		mbedtls_net_free(&cs[i].net);
		mbedtls_ssl_free(&cs[i].ssl);
		free(cs[i].out);
		free(cs[i].in);
	}
	free(cs);
	close(ep);
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
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (b = malloc((size_t) n + 1)) == NULL ||
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
echo_server(const char *url, const char *ca, const char *cert, const char *key)
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
		fprintf(
		    stderr, "bench: echo server cannot listen on %s\n", url);
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
				j         = snprintf(key, sizeof(key),
				            "%d\x1f"
				                    "3701%02ld\x1fWA2026-%09ld",
				            d, rec % 17, rec);
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
	filing_text = json_dumps(filing, JSON_COMPACT);
	signal(SIGPIPE, SIG_IGN);
	tls_setup();
	return (run_clients(atoi(argv[2])));
}
