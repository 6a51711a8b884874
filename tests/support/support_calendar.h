/* SPDX-License-Identifier: MIT */
/*
 * support_calendar.h - helpers of the calendar tests (test_calendar.c,
 * test_calendar_statutory.c). Part of libwage-testsupport.a. Failures
 * fail the calling cmocka test.
 */
#ifndef WAGE_SUPPORT_CALENDAR_H
#define WAGE_SUPPORT_CALENDAR_H

#include <stddef.h>

#include "calendar.h"

/* tsupport_date: the civil date y-m-d. */
struct civil_date tsupport_date(int y, int m, int d);

/* tsupport_calendar_official: the shipped calendars (policies/calendar),
 * loaded without error; free with calendar_free. */
struct calendar *tsupport_calendar_official(void);

/* tsupport_assert_date fails unless got is want. */
void tsupport_assert_date(struct civil_date got, struct civil_date want);

/* tsupport_due: calendar_add_days, which must succeed; *prov (may be
 * NULL) its provisional mark. */
struct civil_date tsupport_due(const struct calendar *c,
    struct civil_date start, int n, enum calendar_unit unit, int *prov);

/* Independent date arithmetic: day numbers from timegm(), dates and
 * weekdays (0 Sunday) from gmtime_r(). */
long              tsupport_tday(struct civil_date d);
struct civil_date tsupport_tdate(long z);
int               tsupport_twday(long z);
struct civil_date tsupport_tplus(struct civil_date d, int n);

/* calendar_load_buffer and calendar_load_dir with their diagnostics in
 * *diag (free it). */
int tsupport_calendar_buf_diag(const char *name, const char *buf, size_t len,
    struct calendar **c, char **diag, int *nerr);
int tsupport_calendar_dir_diag(
    const char *dir, struct calendar **c, char **diag, int *nerr);

#endif /* WAGE_SUPPORT_CALENDAR_H */
