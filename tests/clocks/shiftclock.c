/* SPDX-License-Identifier: MIT */
/*
 * shiftclock.c - LD_PRELOAD shim for tests/clocks/run.sh: time() answers
 * WAGE_TEST_DAYS_AHEAD days (may be negative) after the real time, so that
 * a real wage-server can be run "tomorrow" and a suspension seen to last.
 * Only time() moves: monotonic clocks (nng's timers) and gettimeofday()
 * (audit timestamps) keep the real time.
 */
#include <stdlib.h>
#include <time.h>

static long ahead_seconds;

__attribute__((constructor)) static void
shiftclock_init(void)
{
	const char *s = getenv("WAGE_TEST_DAYS_AHEAD");

	ahead_seconds = s != NULL ? strtol(s, NULL, 10) * 86400L : 0;
}

time_t
time(time_t *t)
{
	struct timespec ts;
	time_t          now;

	clock_gettime(CLOCK_REALTIME, &ts);
	now = ts.tv_sec + (time_t) ahead_seconds;
	if (t != NULL) {
		*t = now;
	}
	return (now);
}
