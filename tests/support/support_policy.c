/* SPDX-License-Identifier: MIT */
/*
 * support_policy.c - the shipped policy files for tests
 * (support_policy.h).
 */
#include <stdio.h>

#include "support_file.h"
#include "support_policy.h"

int
tsupport_policy_load(struct policy **pp)
{
	return (
	    policy_load_file(tsupport_srcpath("policies/wage-dispute.yaml"),
	        pp, stderr, NULL) == 0
	        ? 0
	        : -1);
}

int
tsupport_calendar_load(struct calendar **cp)
{
	int nerr = -1;

	if (calendar_load_dir(tsupport_srcpath("policies/calendar"), cp,
	        stderr, &nerr) != WAGE_OK ||
	    nerr != 0) {
		return (-1);
	}
	return (0);
}

int
tsupport_minwage_load(struct minwage **mp)
{
	int nerr = -1;

	if (minwage_load_dir(tsupport_srcpath("policies/minimum-wage"), mp,
	        stderr, &nerr) != WAGE_OK ||
	    nerr != 0) {
		return (-1);
	}
	return (0);
}
