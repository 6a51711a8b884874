/* SPDX-License-Identifier: MIT */
/*
 * config.c - reads the configuration file with libyaml and checks it.
 * Owns: defaults, key names and ranges. Must not: open anything but the
 * file named (paths are checked where they are used).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "config.h"

static int
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = strdup(v);
	return (*dst != NULL ? 0 : -1);
}

static int
set_num(const char *v, long min, long max, long *out)
{
	char *end;
	long  n;

	errno = 0;
	n     = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
		return (-1);
	}
	*out = n;
	return (0);
}

static int
apply(struct config *c, const char *file, size_t line, const char *k,
    const char *v, FILE *diag)
{
	long n;

	if (strcmp(k, "listen") == 0) {
		if (strncmp(v, "tls+tcp://", 10) != 0) {
			fprintf(diag,
			    "%s:%zu: listen must be a tls+tcp:// URL\n", file,
			    line);
			return (1);
		}
		return (set_str(&c->listen, v) != 0);
	}
	if (strcmp(k, "ca") == 0) {
		return (set_str(&c->ca, v) != 0);
	}
	if (strcmp(k, "crl") == 0) {
		return (set_str(&c->crl, v) != 0);
	}
	if (strcmp(k, "cert") == 0) {
		return (set_str(&c->cert, v) != 0);
	}
	if (strcmp(k, "key") == 0) {
		return (set_str(&c->key, v) != 0);
	}
	if (strcmp(k, "db") == 0) {
		return (set_str(&c->db, v) != 0);
	}
	if (strcmp(k, "calendar") == 0) {
		return (set_str(&c->calendar, v) != 0);
	}
	if (strcmp(k, "minimum_wage") == 0) {
		return (set_str(&c->minimum_wage, v) != 0);
	}
	if (strcmp(k, "data_key") == 0) {
		return (set_str(&c->data_key, v) != 0);
	}
	if (strcmp(k, "token_key") == 0) {
		return (set_str(&c->token_key, v) != 0);
	}
	if (strcmp(k, "policy") == 0) {
		return (set_str(&c->policy, v) != 0);
	}
	if (strcmp(k, "mapsize_mb") == 0) {
		if (set_num(v, 1, 1024L * 1024, &n) != 0) {
			fprintf(diag,
			    "%s:%zu: mapsize_mb must be an integer from 1 to "
			    "1048576\n",
			    file, line);
			return (1);
		}
		c->mapsize_mb = (size_t) n;
		return (0);
	}
	if (strcmp(k, "session_ttl") == 0) {
		if (set_num(v, 1, 7 * 86400, &n) != 0) {
			fprintf(diag,
			    "%s:%zu: session_ttl must be seconds from 1 to "
			    "604800\n",
			    file, line);
			return (1);
		}
		c->session_ttl = (int) n;
		return (0);
	}
	if (strcmp(k, "checkpoint_events") == 0 ||
	    strcmp(k, "checkpoint_seconds") == 0) {
		if (set_num(v, 1, 1000000, &n) != 0) {
			fprintf(diag,
			    "%s:%zu: %s must be an integer from 1 to "
			    "1000000\n",
			    file, line, k);
			return (1);
		}
		if (k[11] == 'e') {
			c->checkpoint_events = (int) n;
		} else {
			c->checkpoint_seconds = (int) n;
		}
		return (0);
	}
	if (strcmp(k, "case_cache") == 0) {
		if (set_num(v, 0, 1L << 20, &n) != 0) {
			fprintf(diag,
			    "%s:%zu: case_cache must be a number of cases "
			    "from 0 "
			    "(none) to 1048576\n",
			    file, line);
			return (1);
		}
		c->case_cache = (size_t) n;
		return (0);
	}
	if (strcmp(k, "sweep_interval") == 0) {
		if (set_num(v, 1, 86400, &n) != 0) {
			fprintf(diag,
			    "%s:%zu: sweep_interval must be seconds from 1 to "
			    "86400\n",
			    file, line);
			return (1);
		}
		c->sweep_interval = (int) n;
		return (0);
	}
	if (strcmp(k, "crl_reload_seconds") == 0) {
		if (set_num(v, 0, 86400, &n) != 0) {
			fprintf(diag,
			    "%s:%zu: crl_reload_seconds must be seconds from "
			    "0 "
			    "(never; SIGHUP only) to 86400\n",
			    file, line);
			return (1);
		}
		c->crl_reload_seconds = (int) n;
		return (0);
	}
	if (strcmp(k, "workers") == 0) {
		if (set_num(v, 1, 4096, &n) != 0) {
			fprintf(diag,
			    "%s:%zu: workers must be an integer from 1 to "
			    "4096\n",
			    file, line);
			return (1);
		}
		c->workers = (int) n;
		return (0);
	}
	fprintf(diag,
	    "%s:%zu: unknown key '%s'; known: listen, ca, crl, cert, key, db, "
	    "data_key, token_key, policy, calendar, minimum_wage, mapsize_mb, "
	    "session_ttl, workers, case_cache, "
	    "checkpoint_events, checkpoint_seconds, sweep_interval, "
	    "crl_reload_seconds\n",
	    file, line, k);
	return (1);
}

int
config_load(const char *path, struct config *c, FILE *diag)
{
	yaml_parser_t parser;
	yaml_event_t  ev;
	FILE         *f;
	char          key[64];
	size_t        keyline = 0;
	int           errors = 0, depth = 0, have_key = 0, done = 0;

	memset(c, 0, sizeof(*c));
	c->mapsize_mb         = 1024;
	c->session_ttl        = 8 * 3600;
	c->workers            = 64;
	c->case_cache         = 1024;
	c->checkpoint_events  = 1000;
	c->checkpoint_seconds = 300;
	c->sweep_interval     = 3600;
	c->crl_reload_seconds = 300;
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(diag, "%s: cannot open: %s\n", path, strerror(errno));
		return (1);
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(diag, "%s:%zu: %s\n", path,
			    parser.problem_mark.line + 1,
			    parser.problem != NULL ? parser.problem
			                           : "YAML syntax error");
			errors++;
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_MAPPING_START_EVENT:
			if (++depth > 1) {
				fprintf(diag,
				    "%s:%zu: values must be plain "
				    "scalars, not mappings\n",
				    path, ev.start_mark.line + 1);
				errors++;
			}
			break;
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_SEQUENCE_START_EVENT:
			fprintf(diag,
			    "%s:%zu: values must be plain scalars, "
			    "not lists\n",
			    path, ev.start_mark.line + 1);
			errors++;
			done = 1;
			break;
		case YAML_ALIAS_EVENT:
			fprintf(diag, "%s:%zu: aliases are not allowed\n",
			    path, ev.start_mark.line + 1);
			errors++;
			break;
		case YAML_SCALAR_EVENT:
			if (depth != 1) {
				fprintf(diag,
				    "%s:%zu: expected a mapping of "
				    "key: value\n",
				    path, ev.start_mark.line + 1);
				errors++;
			} else if (!have_key) {
				snprintf(key, sizeof(key), "%s",
				    (const char *) ev.data.scalar.value);
				keyline  = ev.start_mark.line + 1;
				have_key = 1;
			} else {
				errors += apply(c, path, keyline, key,
				    (const char *) ev.data.scalar.value, diag);
				have_key = 0;
			}
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	fclose(f);
	if (errors == 0) {
		static const char *const names[] = { "listen", "ca", "cert",
			"key", "db", "policy" };
		char *const vals[] = { c->listen, c->ca, c->cert, c->key,
			c->db, c->policy };
		size_t      i;

		for (i = 0; i < 6; i++) {
			if (vals[i] == NULL) {
				fprintf(diag,
				    "%s:1: missing required key '%s'\n", path,
				    names[i]);
				errors++;
			}
		}
	}
	if (errors == 0) {
		/* Beside the database directory, not inside it: a copy of
		 * the database alone must not carry the keys. */
		size_t n = strlen(c->db);

		while (n > 1 && c->db[n - 1] == '/') {
			n--;
		}
		if (c->data_key == NULL &&
		    (c->data_key = malloc(n + 16)) != NULL) {
			snprintf(c->data_key, n + 16, "%.*s.data.key", (int) n,
			    c->db);
		}
		if (c->token_key == NULL &&
		    (c->token_key = malloc(n + 16)) != NULL) {
			snprintf(c->token_key, n + 16, "%.*s.token.key",
			    (int) n, c->db);
		}
		if (c->data_key == NULL || c->token_key == NULL) {
			return (errors + 1);
		}
	}
	if (errors == 0) {
		/* Calendars and wage tables default to beside the policy. */
		const char *slash = strrchr(c->policy, '/');
		int         dl = slash != NULL ? (int) (slash - c->policy) : 1;
		const char *dir = slash != NULL ? c->policy : ".";
		size_t      n   = (size_t) dl + 32;

		if (c->calendar == NULL && (c->calendar = malloc(n)) != NULL) {
			snprintf(c->calendar, n, "%.*s/calendar", dl, dir);
		}
		if (c->minimum_wage == NULL &&
		    (c->minimum_wage = malloc(n)) != NULL) {
			snprintf(
			    c->minimum_wage, n, "%.*s/minimum-wage", dl, dir);
		}
		if (c->calendar == NULL || c->minimum_wage == NULL) {
			errors++;
		}
	}
	return (errors);
}

void
config_fini(struct config *c)
{
	free(c->listen);
	free(c->ca);
	free(c->crl);
	free(c->cert);
	free(c->key);
	free(c->db);
	free(c->data_key);
	free(c->token_key);
	free(c->calendar);
	free(c->minimum_wage);
	free(c->policy);
	memset(c, 0, sizeof(*c));
}

int
config_check_secret(const char *path, FILE *diag)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(diag, "%s: %s\n", path, strerror(errno));
		return (-1);
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(diag, "%s: not a regular file\n", path);
		return (-1);
	}
	if (st.st_uid != geteuid() && st.st_uid != 0) {
		fprintf(diag, "%s: owned by another user\n", path);
		return (-1);
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		fprintf(diag,
		    "%s: group or others may read it: chmod 600 %s\n", path,
		    path);
		return (-1);
	}
	return (0);
}
