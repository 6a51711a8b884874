/* SPDX-License-Identifier: MIT */
/*
 * support_policy.h - the shipped policy files, loaded as the server loads
 * them, for the tests that need the real procedure, calendars or minimum
 * wages: policies/wage-dispute.yaml, policies/calendar/ and
 * policies/minimum-wage/ under the source tree (tsupport_srcpath). Part
 * of libwage-testsupport.a. The diagnostics of a file that does not load
 * go to stderr. Group and test setups call these; they do not assert.
 */
#ifndef WAGE_SUPPORT_POLICY_H
#define WAGE_SUPPORT_POLICY_H

#include "calendar.h"
#include "minwage.h"
#include "policy.h"

/*
 * tsupport_policy_load loads the shipped procedure into *pp (free with
 * policy_free). Returns 0, or -1 with *pp NULL.
 */
int tsupport_policy_load(struct policy **pp);

/*
 * tsupport_calendar_load loads the shipped calendars into *cp (free with
 * calendar_free, which takes NULL). Returns 0 only if every file loaded
 * without an error, else -1; either way *cp is the caller's to free.
 */
int tsupport_calendar_load(struct calendar **cp);

/*
 * tsupport_minwage_load loads the shipped minimum wages into *mp (free
 * with minwage_free). Returns as tsupport_calendar_load.
 */
int tsupport_minwage_load(struct minwage **mp);

#endif /* WAGE_SUPPORT_POLICY_H */
