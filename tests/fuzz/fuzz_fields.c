/* SPDX-License-Identifier: MIT */
/*
 * fuzz_fields.c - libFuzzer target: case.act argument validation. The
 * input is a JSON object of event fields; it is checked against every
 * event of the shipped policy from every state, for every role.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "policy.h"
#include "workflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct policy *p;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *src = getenv("WAGE_SRCDIR");
	char        path[512];

	(void) argc;
	(void) argv;
	snprintf(path, sizeof(path), "%s/policies/wage-dispute.yaml",
	    src != NULL ? src : ".");
	if (policy_load_file(path, &p, stderr, NULL) != 0) {
		abort();
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct policy_event *ev;
	struct wage_error          err;
	json_error_t               jerr;
	json_t                    *fields;
	size_t                     e;

	fields = json_loadb(
	    (const char *) data, size, JSON_REJECT_DUPLICATES, &jerr);
	if (fields == NULL) {
		return (0);
	}
	for (e = 0; e < p->nevents; e++) {
		const struct policy_event *pe = &p->events[e];

		if (pe->nfrom > 0) {
			workflow_check(p, p->states[pe->from[0]].name,
			    pe->name, ROLE_CLERK, fields, &ev, &err);
			workflow_check(p, p->states[pe->from[0]].name,
			    pe->name, ROLE_ARBITRATOR, fields, &ev, &err);
			workflow_check(p, p->states[pe->from[0]].name,
			    pe->name, ROLE_CHAIR, fields, &ev, &err);
		}
	}
	json_decref(fields);
	return (0);
}
