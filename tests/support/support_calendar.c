/* SPDX-License-Identifier: MIT */
/*
 * support_calendar.c - what the calendar tests share: loading the shipped
 * calendars, due dates that must compute, date arithmetic done apart from
 * the module under test (timegm/gmtime_r), and loaders that capture their
 * diagnostics. Part of libwage-testsupport.a.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "support_calendar.h"
#include "support_file.h"

struct civil_date
tsupport_date(int y, int m, int d)
{
	struct civil_date r = { y, m, d };

	return (r);
}

struct calendar *
tsupport_calendar_official(void)
{
	struct calendar *c    = NULL;
	int              nerr = -1;

	assert_int_equal(
	    calendar_load_dir(
	        tsupport_srcpath("policies/calendar"), &c, stderr, &nerr),
	    WAGE_OK);
	assert_int_equal(nerr, 0);
	assert_non_null(c);
	return (c);
}

void
tsupport_assert_date(struct civil_date got, struct civil_date want)
{
	char g[16], w[16];

	civil_date_format(&got, g, sizeof(g));
	civil_date_format(&want, w, sizeof(w));
	assert_string_equal(g, w);
}

/* due runs calendar_add_days and checks it succeeds. */
struct civil_date
tsupport_due(const struct calendar *c, struct civil_date start, int n,
    enum calendar_unit unit, int *prov)
{
	struct civil_date d;
	int               p = -1;

	assert_int_equal(
	    calendar_add_days(c, start, n, unit, &d, &p), WAGE_OK);
	assert_true(p == 0 || p == 1);
	if (prov != NULL) {
		*prov = p;
	}
	return (d);
}

/*
 * Independent date arithmetic: day numbers from timegm(), dates and
 * weekdays (0 Sunday) from gmtime_r().
 */
long
tsupport_tday(struct civil_date d)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.y - 1900;
	tm.tm_mon  = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_hour = 12;
	/* Noon minus 12 h is an exact multiple of a day, also before 1970. */
	return ((long) ((timegm(&tm) - 43200) / 86400));
}

struct civil_date
tsupport_tdate(long z)
{
	time_t    t = (time_t) z * 86400 + 43200;
	struct tm tm;

	assert_non_null(gmtime_r(&t, &tm));
	return (tsupport_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday));
}

int
tsupport_twday(long z)
{
	time_t    t = (time_t) z * 86400 + 43200;
	struct tm tm;

	assert_non_null(gmtime_r(&t, &tm));
	return (tm.tm_wday);
}

struct civil_date
tsupport_tplus(struct civil_date d, int n)
{
	return (tsupport_tdate(tsupport_tday(d) + n));
}

/*
 * Diagnostics capture.
 */

int
tsupport_calendar_buf_diag(const char *name, const char *buf, size_t len,
    struct calendar **c, char **diag, int *nerr)
{
	FILE  *d;
	size_t dlen;
	int    rv;

	d = open_memstream(diag, &dlen);
	assert_non_null(d);
	rv = calendar_load_buffer(name, buf, len, c, d, nerr);
	fclose(d);
	return (rv);
}

int
tsupport_calendar_dir_diag(
    const char *dir, struct calendar **c, char **diag, int *nerr)
{
	FILE  *d;
	size_t dlen;
	int    rv;

	d = open_memstream(diag, &dlen);
	assert_non_null(d);
	rv = calendar_load_dir(dir, c, d, nerr);
	fclose(d);
	return (rv);
}
