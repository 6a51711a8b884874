/* SPDX-License-Identifier: MIT */
/*
 * tool_net.c - socket helpers for tests/integration/run.sh (POSIX sh has
 * no /dev/tcp). Not a test: run.sh runs only test_*.
 *
 *   tool_net port          print a TCP port on 127.0.0.1 that was free a
 *                          moment ago (bound to port 0, then released)
 *   tool_net plain PORT    connect to 127.0.0.1:PORT over plain TCP, send a
 *                          JSON request as if there were no TLS, then read
 *                          for at most 3 s. Prints what came back. Exit 0
 *                          if no protocol reply came (the bytes hold no
 *                          "\"ok\""), 1 if one did, 2 if it cannot connect.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int
free_port(void)
{
	struct sockaddr_in sa;
	socklen_t          len = sizeof(sa);
	int                fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
		perror("socket");
		return (2);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family      = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port        = 0;
	if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0 ||
	    getsockname(fd, (struct sockaddr *) &sa, &len) != 0) {
		perror("bind");
		close(fd);
		return (2);
	}
	printf("%d\n", ntohs(sa.sin_port));
	close(fd);
	return (0);
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static int
plain(const char *port)
{
	/* What a confused client would send: the envelope, no TLS, and
	 * some binary noise after it. */
	static const char req[] =
	    "{\"op\":\"whoami\",\"args\":{}}\r\n\x00\x01\x02\xff\xfe"
	    "GET / HTTP/1.0\r\n\r\n";
	struct sockaddr_in sa;
	struct pollfd      pfd;
	char               buf[4096];
	size_t             got = 0;
	long               deadline;
	ssize_t            n;
	int                fd, r, closed = 0;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0) {
		perror("socket");
		return (2);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sin_family      = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port        = htons((unsigned short) atoi(port));
	if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0) {
		perror("connect");
		close(fd);
		return (2);
	}
	if (write(fd, req, sizeof(req) - 1) < 0) {
		/* The server may already have hung up: that is fine. */
		fprintf(stderr, "write: %s\n", strerror(errno));
	}
	deadline = now_ms() + 3000;
	while (!closed && got < sizeof(buf) - 1) {
		long left = deadline - now_ms();

		if (left <= 0) {
			break;
		}
		pfd.fd     = fd;
		pfd.events = POLLIN;
		r          = poll(&pfd, 1, (int) left);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			break;
		}
		n = read(fd, buf + got, sizeof(buf) - 1 - got);
		if (n <= 0) {
			closed = 1;
			break;
		}
		got += (size_t) n;
	}
	close(fd);
	buf[got] = '\0';
	printf("plain: %zu bytes back, connection %s\n", got,
	    closed ? "closed by the server" : "still open at the deadline");
	/* A TLS alert is fine; a JSON reply to a plain request is not. */
	if (memmem(buf, got, "\"ok\"", 4) != NULL) {
		printf("plain: the server answered a plain-TCP request: %s\n",
		    buf);
		return (1);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "port") == 0) {
		return (free_port());
	}
	if (argc == 3 && strcmp(argv[1], "plain") == 0) {
		return (plain(argv[2]));
	}
	fprintf(stderr, "usage: tool_net port | tool_net plain PORT\n");
	return (2);
}
