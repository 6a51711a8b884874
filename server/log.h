/* SPDX-License-Identifier: MIT */
/*
 * log.h - logging after OpenBSD's log.c: stderr in the foreground, syslog
 * otherwise. Never log ID numbers, phones, tokens or keys.
 */
#ifndef WAGE_LOG_H
#define WAGE_LOG_H

#include <stdarg.h>
#include <stddef.h>

/* log_init: foreground → stderr, else syslog; verbose enables debug. */
void log_init(int foreground, int verbose);
/*
 * log_escape copies in to out (len bytes, NUL-terminated), writing every
 * C0 control character (tab and line breaks too) and DEL as \xNN so that no
 * logged string can end a line or forge one. Returns the length written;
 * output that does not fit is cut at a character boundary of the escaped form.
 * Every log_* function passes its formatted message through it.
 */
size_t log_escape(const char *in, char *out, size_t len);
void   log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void   log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void   log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void   log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* fatal, fatalx: only before serving; print and exit(1). */
void fatal(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif /* WAGE_LOG_H */
