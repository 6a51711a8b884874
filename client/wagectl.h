/* SPDX-License-Identifier: MIT */
/*
 * wagectl.h - what wagectl's command files share: the global options, the
 * connection, and the way errors are reported and turned into exit codes.
 */
#ifndef WAGE_WAGECTL_H
#define WAGE_WAGECTL_H

#include <jansson.h>

#include "wage/client.h"

struct opts {
	const char *server, *ca, *cert, *key, *server_name;
	int         json;
	int         timeout_ms;
};

extern struct opts g;

/* fail_usage prints a usage error and returns WAGE_EXIT_USAGE. */
int fail_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* report prints err when rc is not WAGE_OK; returns the exit code. */
int report(int rc, const struct wage_error *err);
/* connect_client opens a client with the options and session file. */
int connect_client(wage_client **c, struct wage_error *err);
/* call: one operation (args taken over); returns the exit code. */
int call(const char *op, json_t *args, json_t **res);

/* Commands of wagectl_admin.c. */
int cmd_audit(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_pki(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif /* WAGE_WAGECTL_H */
