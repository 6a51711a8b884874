/* SPDX-License-Identifier: MIT */
/*
 * timefmt.c - China Standard Time (UTC+8) and the strings the server and
 * wagectl write times in (timefmt.h).
 * Owns: the UTC+8 rule and the time formats of timefmt.h. Must not: read
 * TZ or call localtime/mktime (the host's zone is not the law's), or
 * parse times (their readers check what they accept).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"

int
timefmt_local(int64_t t, struct tm *tm)
{
	time_t tt;

	if (t > INT64_MAX - TIMEFMT_UTC_OFFSET ||
	    t < INT64_MIN + TIMEFMT_UTC_OFFSET) {
		goto fail;
	}
	tt = (time_t) (t + TIMEFMT_UTC_OFFSET);
	if ((int64_t) tt != t + TIMEFMT_UTC_OFFSET ||
	    gmtime_r(&tt, tm) == NULL) {
		goto fail;
	}
	return (0);
fail:
	memset(tm, 0, sizeof(*tm));
	return (-1);
}

void
timefmt_iso(int64_t t, int ms, char *buf, size_t len)
{
	struct tm tm;

	if (len == 0) {
		return;
	}
	if (timefmt_local(t, &tm) != 0 || ms < 0 || ms > 999) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+08:00",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, ms);
}

void
timefmt_now(char *buf, size_t len)
{
	struct timespec ts;

	/* CLOCK_REALTIME cannot fail; time() is the fallback all the same. */
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
		ts.tv_sec  = time(NULL);
		ts.tv_nsec = 0;
	}
	timefmt_iso(
	    (int64_t) ts.tv_sec, (int) (ts.tv_nsec / 1000000), buf, len);
}

void
timefmt_minutes(int64_t t, char *buf, size_t len)
{
	struct tm tm;

	if (len == 0) {
		return;
	}
	if (timefmt_local(t, &tm) != 0) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d (UTC+8)",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min);
}
