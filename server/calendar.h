/* SPDX-License-Identifier: MIT */
/*
 * calendar.h - the law's way of counting days: the official PRC holiday
 * schedules (policies/calendar/cn-YYYY.yaml), working days, and deadlines
 * counted in calendar days (自然日, rolled forward off rest days, 民事诉讼法
 * Art 85) or in working days (工作日).
 *
 * A loaded struct calendar is immutable and may be shared between threads;
 * every function here except the loaders is pure (no allocation, no I/O).
 * A day in a year with no loaded schedule is provisional: it rests on a
 * weekend and on the statutory holidays that 全国年节及纪念日放假办法 (2024
 * revision) fixes, as listed for that year in
 * policies/calendar/statutory-holidays.yaml (01-01; Spring Festival eve and
 * lunar 1/1..1/3; Qingming; 05-01, 05-02; Dragon Boat; Mid-Autumn;
 * 10-01..10-03), with no make-up working days (only a schedule sets those,
 * and the days given back for a holiday on a weekend); a year beyond that
 * table rests on weekends alone. A result that consulted such a day is
 * marked provisional, to be recomputed when the schedule for that year is
 * published (each November) and loaded; a loaded schedule replaces the
 * table for its year entirely.
 */
#ifndef WAGE_CALENDAR_H
#define WAGE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "validate.h"

/* How a period is counted. */
enum calendar_unit {
	CAL_CALENDAR_DAYS = 0, /* 自然日: every day; the last rolls off rest */
	CAL_WORKING_DAYS       /* 工作日: only working days are counted */
};

#define CALENDAR_MAX_DAYS 3650 /* longest period calendar_add_days takes */

/* The table of the holidays the law fixes, in the calendar directory. */
#define CALENDAR_STATUTORY_FILE "statutory-holidays.yaml"

struct calendar;

/*
 * calendar_load_dir loads every file named cn-YYYY.yaml in dir (one year
 * each: keys year, holidays, workdays) and the table of statutory holidays
 * CALENDAR_STATUTORY_FILE, which must be there (without it a year with no
 * schedule would silently count 01-01 or 10-01 as a working day); see
 * calendar_load_statutory_buffer. Any other *.yaml or *.yml file in dir is
 * an error (a misnamed schedule would silently leave its year
 * provisional); other files and dot files are ignored. Every problem is
 * printed to diag (may be NULL) as "file:line: what is wrong", checking
 * goes on so that one run shows them all, and the count is stored in
 * *nerrors (may be NULL). A directory with only the table gives a
 * calendar with no years (everything provisional).
 * Returns WAGE_OK and sets *out (free with calendar_free), or
 * WAGE_E_INVALID_ARGUMENT (any problem in dir or its files) or
 * WAGE_E_INTERNAL (out of memory) with *out NULL.
 */
int calendar_load_dir(
    const char *dir, struct calendar **out, FILE *diag, int *nerrors);

/*
 * calendar_load_buffer loads one year's schedule held in buf (len bytes).
 * name is used in diagnostics; when its last component has the form
 * cn-YYYY.yaml, YYYY must equal the file's year. Returns as
 * calendar_load_dir.
 */
int calendar_load_buffer(const char *name, const char *buf, size_t len,
    struct calendar **out, FILE *diag, int *nerrors);

/*
 * calendar_load_statutory_buffer loads the table of statutory holidays
 * held in buf (len bytes; name is used in diagnostics) into a calendar
 * with no schedules:
 *   fixed: [MM-DD, ...]      the solar days the law fixes, every year
 *   years:                   ascending, one after another
 *     YYYY:
 *       spring_festival: [4 dates]  除夕, 正月初一, 初二, 初三
 *       qingming: DATE              the day of the solar term
 *       dragon_boat: DATE           五月初五
 *       mid_autumn: DATE            八月十五
 * Each date must lie in its year, the four days of the Spring Festival
 * must follow each other, and each festival must fall where the lunar
 * calendar can put it (正月初一 01-21..02-20, 清明 04-03..04-06, 端午
 * 05-27..06-26, 中秋 09-07..10-08), which catches a solar date written for
 * a lunar one. Returns as calendar_load_dir.
 */
int calendar_load_statutory_buffer(const char *name, const char *buf,
    size_t len, struct calendar **out, FILE *diag, int *nerrors);

/* calendar_free releases c; NULL is allowed. */
void calendar_free(struct calendar *c);

/*
 * calendar_hash returns the SHA-256 (64 lower-case hex digits) of the
 * loaded files' bytes concatenated: the schedules in year order, then the
 * table of statutory holidays, so that a caller can tell that the
 * calendar changed and recompute its deadlines. Owned by c. For NULL, the
 * hash of no bytes.
 */
const char *calendar_hash(const struct calendar *c);

/* calendar_year_loaded: is the official schedule for year loaded? */
bool calendar_year_loaded(const struct calendar *c, int year);

/*
 * calendar_years writes up to max loaded years, ascending, into years
 * (may be NULL when max is 0) and returns how many are loaded.
 */
size_t calendar_years(const struct calendar *c, int *years, size_t max);

/*
 * calendar_statutory_years returns how many years the table of statutory
 * holidays lists and, when it lists any, sets *first and *last (either may
 * be NULL) to the first and last of them.
 */
size_t calendar_statutory_years(
    const struct calendar *c, int *first, int *last);

/*
 * calendar_is_workday returns 1 when d is a working day and 0 when it is
 * a rest day: by the official schedule when d's year is loaded (a listed
 * holiday rests, a listed make-up weekend works, other days by weekday),
 * else Monday to Friday unless the table of statutory holidays makes d a
 * holiday. *provisional (may be NULL) is set to 1 when d's year is not
 * loaded, else 0. c may be NULL (no years, no table). d must be a valid
 * date (civil_date_valid); an invalid one gives 0, provisional 1.
 */
int calendar_is_workday(
    const struct calendar *c, struct civil_date d, int *provisional);

/*
 * calendar_add_days computes the last day of a period of n days (1 ..
 * CALENDAR_MAX_DAYS) starting from the event on start. The day of the
 * event is not counted; day 1 is the next day.
 *  - CAL_CALENDAR_DAYS: day n, or, when day n is a rest day (a statutory
 *    holiday or a weekend that is not a make-up working day, as
 *    calendar_is_workday), the first working day after it (民事诉讼法
 *    Art 85).
 *  - CAL_WORKING_DAYS: the n-th working day after start (make-up weekends
 *    count, holiday weekdays do not).
 * *provisional (may be NULL) is set to 1 when any day consulted lay in a
 * year with no loaded schedule, else 0. c may be NULL.
 * Returns WAGE_OK with *due set, or WAGE_E_INVALID_ARGUMENT when start is
 * not a valid date in 1900..9999, n or unit is out of range, or the due
 * date would fall after 9999-12-31 (*due then zeroed).
 */
int calendar_add_days(const struct calendar *c, struct civil_date start, int n,
    enum calendar_unit unit, struct civil_date *due, int *provisional);

/*
 * calendar_days_between returns b - a in days (negative when b is before
 * a): "days left" is calendar_days_between(today, due). Both must be
 * valid dates.
 */
int calendar_days_between(struct civil_date a, struct civil_date b);

/*
 * calendar_date_plus sets *out to d plus n days (n may be negative).
 * Returns WAGE_OK, or WAGE_E_INVALID_ARGUMENT when d is not valid or the
 * result falls outside 1900..9999 (*out then zeroed).
 */
int calendar_date_plus(struct civil_date d, int n, struct civil_date *out);

/* calendar_weekday returns the ISO weekday of d: 1 Monday .. 7 Sunday. */
int calendar_weekday(struct civil_date d);

/* calendar_unit_name returns "calendar_days" or "working_days" ("?"). */
const char *calendar_unit_name(enum calendar_unit unit);

/* calendar_unit_from_name maps those names back; -1 when unknown. */
int calendar_unit_from_name(const char *name);

#endif /* WAGE_CALENDAR_H */
