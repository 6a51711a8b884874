/* SPDX-License-Identifier: MIT */
/*
 * log.c - where the server's diagnostics go (stderr or syslog).
 * Owns: formatting and destination. Must not: see request content.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static int             log_fg      = 1;
static int             log_verbose = 0;
static pthread_mutex_t log_mtx     = PTHREAD_MUTEX_INITIALIZER;

void
log_init(int foreground, int verbose)
{
	log_fg      = foreground;
	log_verbose = verbose;
	if (!foreground) {
		openlog("wage-server", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	}
}

size_t
log_escape(const char *in, char *out, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t            o     = 0;
	unsigned char     c;

	if (len == 0) {
		return (0);
	}
	for (; (c = (unsigned char) *in) != '\0'; in++) {
		/*
		 * C0 controls and DEL: a certificate name or request text
		 * holding ESC, CR or LF must not end the line and start one
		 * of its own (a forged READY), nor drive the terminal.
		 */
		if (c < 0x20 || c == 0x7f) {
			if (o + 4 >= len) {
				break;
			}
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		} else {
			if (o + 1 >= len) {
				break;
			}
			out[o++] = (char) c;
		}
	}
	out[o] = '\0';
	return (o);
}

static void
vlog(int pri, const char *fmt, va_list ap, const char *suffix)
{
	char raw[1024];
	char msg[sizeof(raw) * 4];

	vsnprintf(raw, sizeof(raw), fmt, ap);
	log_escape(raw, msg, sizeof(msg));
	if (log_fg) {
		pthread_mutex_lock(&log_mtx);
		if (suffix != NULL) {
			fprintf(stderr, "%s: %s\n", msg, suffix);
		} else {
			fprintf(stderr, "%s\n", msg);
		}
		fflush(stderr);
		pthread_mutex_unlock(&log_mtx);
	} else if (suffix != NULL) {
		syslog(pri, "%s: %s", msg, suffix);
	} else {
		syslog(pri, "%s", msg);
	}
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int     saved = errno;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, strerror(saved));
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, NULL);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose) {
		return;
	}
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, NULL);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;
	int     saved = errno;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, strerror(saved));
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}
