/* SPDX-License-Identifier: MIT */
/*
 * timefmt.h - clock times as the server and wagectl write them: China
 * Standard Time (Asia/Shanghai), which has been UTC+8 without daylight
 * saving since 1991, so a fixed offset is exact for every time we handle
 * and needs no tz database or TZ.
 *
 * Audit and case times: ISO 8601 with milliseconds and the offset,
 * "2026-11-29T08:40:00.123+08:00". Times shown to a person (wagectl):
 * "2026-11-29 08:40 (UTC+8)". Calendar dates are server/validate.h's
 * struct civil_date, built on timefmt_local.
 *
 * No allocation, no I/O, no logging; thread-safe (gmtime_r).
 */
#ifndef WAGE_TIMEFMT_H
#define WAGE_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define TIMEFMT_UTC_OFFSET (8 * 60 * 60) /* seconds east of UTC */
#define TIMEFMT_ISO_LEN    30 /* "YYYY-MM-DDThh:mm:ss.mmm+08:00" + NUL */

/*
 * timefmt_local breaks t (Unix seconds) down into *tm in China Standard
 * Time (tm_gmtoff and tm_zone are not set). Returns 0, or -1 when t is
 * out of range (*tm is then zeroed).
 */
int timefmt_local(int64_t t, struct tm *tm);

/*
 * timefmt_iso writes t (Unix seconds) and ms (0..999) as
 * "YYYY-MM-DDThh:mm:ss.mmm+08:00" into buf of len bytes (TIMEFMT_ISO_LEN
 * hold it; less truncates, as snprintf does). A t out of range writes "".
 */
void timefmt_iso(int64_t t, int ms, char *buf, size_t len);

/* timefmt_now writes the current time as timefmt_iso does. */
void timefmt_now(char *buf, size_t len);

/*
 * timefmt_minutes writes t (Unix seconds) for a person to read:
 * "YYYY-MM-DD hh:mm (UTC+8)" (25 bytes with the NUL); "?" when t is out
 * of range.
 */
void timefmt_minutes(int64_t t, char *buf, size_t len);

#endif /* WAGE_TIMEFMT_H */
