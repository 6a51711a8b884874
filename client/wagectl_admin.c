/* SPDX-License-Identifier: MIT */
/*
 * wagectl_admin.c - wagectl's audit, policy and PKI commands.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "auditlog.h"
#include "pki.h"
#include "reportfmt.h"
#include "table.h"
#include "wagectl.h"

static int
audit_verify_online(void)
{
	json_t *res;
	int     rc, valid;

	if ((rc = call(WAGE_OP_AUDIT_VERIFY, NULL, &res)) != 0) {
		return (rc);
	}
	valid = json_is_true(json_object_get(res, "valid"));
	if (g.json) {
		table_json(res);
	} else if (valid) {
		printf("audit chain holds: %" JSON_INTEGER_FORMAT
		       " events, %" JSON_INTEGER_FORMAT
		       " cases replayed, indexes agree, %" JSON_INTEGER_FORMAT
		       " signed checkpoints (last at seq %" JSON_INTEGER_FORMAT
		       "), head %s\n",
		    json_integer_value(json_object_get(res, "events")),
		    json_integer_value(json_object_get(res, "cases")),
		    json_integer_value(json_object_get(res, "checkpoints")),
		    json_integer_value(
		        json_object_get(res, "last_checkpoint_seq")),
		    table_js(res, "head"));
	}
	if (!valid) {
		fprintf(stderr,
		    "error: AUDIT_BROKEN: the audit log does NOT hold at seq "
		    "%" JSON_INTEGER_FORMAT ": %s\n",
		    json_integer_value(json_object_get(res, "first_bad_seq")),
		    table_js(res, "problem"));
	}
	json_decref(res);
	return (valid ? 0 : WAGE_EXIT_REFUSED);
}

/* audit verify FILE --ca CA [--since EARLIER]: offline, from the export
 * and the CA alone (and an earlier export the office kept). */
static int
audit_verify_file(const char *path, const char *ca, const char *since)
{
	json_t *rep, *w;
	FILE   *f, *e = NULL;
	size_t  i;
	int     valid, rc;

	if ((f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r")) == NULL) {
		fprintf(stderr, "error: USAGE: cannot open %s: %s\n", path,
		    strerror(errno));
		return (WAGE_EXIT_USAGE);
	}
	if (since != NULL && (e = fopen(since, "r")) == NULL) {
		fprintf(stderr, "error: USAGE: cannot open %s: %s\n", since,
		    strerror(errno));
		if (f != stdin) {
			fclose(f);
		}
		return (WAGE_EXIT_USAGE);
	}
	rc = e != NULL ? auditlog_verify_against(f, e, ca, &rep)
	               : auditlog_verify_export(f, ca, &rep);
	if (e != NULL) {
		fclose(e);
	}
	if (rc == -2) {
		fprintf(stderr,
		    "error: AUDIT_BROKEN: the earlier export %s does "
		    "not verify itself\n",
		    since);
		if (f != stdin) {
			fclose(f);
		}
		return (WAGE_EXIT_REFUSED);
	}
	if (rc != 0) {
		fprintf(stderr,
		    "error: USAGE: cannot read the CA certificate "
		    "%s\n",
		    ca);
		if (f != stdin) {
			fclose(f);
		}
		return (WAGE_EXIT_USAGE);
	}
	if (f != stdin) {
		fclose(f);
	}
	valid = json_is_true(json_object_get(rep, "valid"));
	if (g.json) {
		table_json(rep);
	} else if (valid) {
		printf("export verifies: %" JSON_INTEGER_FORMAT
		       " events, %" JSON_INTEGER_FORMAT
		       " signed checkpoints, %" JSON_INTEGER_FORMAT
		       " cases replayed; server certificate issued by %s\n",
		    json_integer_value(json_object_get(rep, "events")),
		    json_integer_value(json_object_get(rep, "checkpoints")),
		    json_integer_value(json_object_get(rep, "cases")), ca);
		json_array_foreach (json_object_get(rep, "warnings"), i, w) {
			printf("note: %s\n", json_string_value(w));
		}
	}
	if (!valid) {
		fprintf(stderr,
		    "error: AUDIT_BROKEN: the export does NOT verify at seq "
		    "%" JSON_INTEGER_FORMAT ": %s\n",
		    json_integer_value(json_object_get(rep, "first_bad_seq")),
		    table_js(rep, "problem"));
	}
	json_decref(rep);
	return (valid ? 0 : WAGE_EXIT_REFUSED);
}

static int
audit_export(const char *path)
{
	struct wage_error err;
	wage_client      *c;
	json_t           *res    = NULL, *args, *l;
	char             *cursor = NULL, *text;
	FILE             *f;
	size_t            i, nlines = 0;
	int               rc;

	if ((rc = connect_client(&c, &err)) != WAGE_OK) {
		return (report(rc, &err));
	}
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "error: USAGE: cannot write %s: %s\n", path,
		    strerror(errno));
		wage_client_close(c);
		return (WAGE_EXIT_USAGE);
	}
	for (;;) {
		args = cursor != NULL
		    ? json_pack("{s:s, s:i}", "after", cursor, "limit", 1000)
		    : json_pack("{s:i}", "limit", 1000);
		rc   = wage_client_call(
		      c, WAGE_OP_AUDIT_EXPORT, args, &res, &err);
		json_decref(args);
		free(cursor);
		cursor = NULL;
		if (rc != WAGE_OK) {
			break;
		}
		json_array_foreach (json_object_get(res, "lines"), i, l) {
			text = json_dumps(l, JSON_COMPACT | JSON_SORT_KEYS);
			if (text == NULL || fprintf(f, "%s\n", text) < 0) {
				free(text);
				rc = wage_err_set(&err, WAGE_E_INTERNAL, NULL,
				    "writing %s failed", path);
				break;
			}
			free(text);
			nlines++;
		}
		if (json_is_string(json_object_get(res, "next"))) {
			cursor = strdup(table_js(res, "next"));
		}
		json_decref(res);
		res = NULL;
		if (rc != WAGE_OK || cursor == NULL) {
			break;
		}
	}
	free(cursor);
	wage_client_close(c);
	if (fclose(f) != 0 && rc == WAGE_OK) {
		rc = wage_err_set(
		    &err, WAGE_E_INTERNAL, NULL, "writing %s failed", path);
	}
	if (rc == WAGE_OK) {
		printf("exported %zu lines to %s\n", nlines, path);
	}
	return (report(rc, &err));
}

int
cmd_audit(int argc, char **argv)
{
	const char *usage = "usage: wagectl audit verify\n"
	                    "       wagectl audit verify FILE --ca CA.pem "
	                    "[--since EARLIER.jsonl]\n"
	                    "       wagectl audit export FILE";

	if (argc == 2 && strcmp(argv[1], "verify") == 0) {
		return (audit_verify_online());
	}
	if (argc == 5 && strcmp(argv[1], "verify") == 0 &&
	    strcmp(argv[3], "--ca") == 0) {
		return (audit_verify_file(argv[2], argv[4], NULL));
	}
	if (argc == 7 && strcmp(argv[1], "verify") == 0 &&
	    strcmp(argv[3], "--ca") == 0 && strcmp(argv[5], "--since") == 0) {
		return (audit_verify_file(argv[2], argv[4], argv[6]));
	}
	if (argc == 3 && strcmp(argv[1], "export") == 0) {
		return (audit_export(argv[2]));
	}
	return (fail_usage("%s", usage));
}

int
cmd_policy(int argc, char **argv)
{
	struct table t = { 0 };
	json_t      *res, *e, *v;
	char         from[256], roles[256], req[256], when[256];
	size_t       i, j;
	int          rc;

	(void) argv;
	if (argc != 1) {
		return (fail_usage("usage: wagectl policy"));
	}
	if ((rc = call(WAGE_OP_POLICY_GET, NULL, &res)) != 0) {
		return (rc);
	}
	if (g.json) {
		table_json(res);
		json_decref(res);
		return (0);
	}
	printf("policy %s version %s (%.16s…)\n", table_js(res, "name"),
	    table_js(res, "version"), table_js(res, "hash"));
	t.ncols = 7;
	table_row(
	    &t, "EVENT", "FROM", "TO", "ROLES", "REQUIRES", "WHEN", "BASIS");
	json_array_foreach (json_object_get(res, "events"), i, e) {
		from[0] = roles[0] = req[0] = when[0] = '\0';
		json_array_foreach (json_object_get(e, "from"), j, v) {
			size_t o = strlen(from);
			snprintf(from + o, sizeof(from) - o, "%s%s",
			    j ? "," : "", json_string_value(v));
		}
		json_array_foreach (json_object_get(e, "roles"), j, v) {
			size_t o = strlen(roles);
			snprintf(roles + o, sizeof(roles) - o, "%s%s",
			    j ? "," : "", json_string_value(v));
		}
		json_array_foreach (json_object_get(e, "requires"), j, v) {
			size_t o = strlen(req);
			snprintf(req + o, sizeof(req) - o, "%s%s",
			    j ? "," : "", json_string_value(v));
		}
		/* The server fires it by itself (ROLES "auto") once every
		 * clock of after_expiry_all has run out. */
		if (json_is_true(json_object_get(e, "automatic"))) {
			size_t o = strlen(roles);
			snprintf(roles + o, sizeof(roles) - o, "%sauto",
			    o > 0 ? "," : "");
		}
		json_array_foreach (
		    json_object_get(e, "after_expiry_all"), j, v) {
			size_t o = strlen(when);
			snprintf(when + o, sizeof(when) - o, "%s%s",
			    j ? "," : "all ran out: ", json_string_value(v));
		}
		table_row(&t, table_js(e, "name"), from, table_js(e, "to"),
		    roles, req, when, table_js(e, "basis"));
	}
	table_print(&t);
	if (json_array_size(json_object_get(res, "clocks")) > 0) {
		printf("\nclocks\n");
		t.ncols = 5;
		table_row(&t, "CLOCK", "LENGTH", "UNIT", "PARTY", "BASIS");
		json_array_foreach (json_object_get(res, "clocks"), i, e) {
			if (json_is_string(json_object_get(e, "until"))) {
				snprintf(from, sizeof(from), "to %s",
				    table_js(e, "until"));
			} else {
				snprintf(from, sizeof(from),
				    "%" JSON_INTEGER_FORMAT "%s",
				    json_integer_value(
				        json_object_get(e, "length")),
				    json_object_get(e, "extension") != NULL
				        ? " (+ext)"
				        : "");
			}
			table_row(&t, table_js(e, "name"), from,
			    table_js(e, "unit"),
			    json_is_true(json_object_get(e, "window"))
			        ? table_js(e, "party")[0] != '\0'
			            ? table_js(e, "party")
			            : "either"
			        : "-",
			    table_js(e, "basis"));
		}
		table_print(&t);
	}
	json_decref(res);
	return (0);
}

/* ---- pki ----------------------------------------------------------- */

int
cmd_pki(int argc, char **argv)
{
	static const struct option lo[] = { { "cn", 1, NULL, 'c' },
		{ "org", 1, NULL, 'o' }, { "role", 1, NULL, 'r' },
		{ "region", 1, NULL, 'g' }, { "out", 1, NULL, 'f' },
		{ "server", 0, NULL, 's' }, { "dns", 1, NULL, 'd' },
		{ "ip", 1, NULL, 'i' }, { "days", 1, NULL, 'y' },
		{ "name", 1, NULL, 'n' }, { NULL, 0, NULL, 0 } };
	struct pki_subject         s    = { NULL, NULL, NULL, NULL };
	struct wage_error          err;
	const char *dns[16], *ips[16], *out = NULL, *name = NULL;
	const char *sub, *dir;
	size_t      ndns = 0, nips = 0;
	int         ch, server = 0, days = 0, rc;
	char       *end;

	wage_err_clear(&err);
	if (argc < 3) {
		return (fail_usage(
		    "usage: wagectl pki init DIR [--name CA_NAME]\n"
		    "       wagectl pki issue DIR --cn NAME --org ORG --role "
		    "ROLE --region CODE --out BASE [--days N]\n"
		    "       wagectl pki issue DIR --server --cn HOST --org "
		    "ORG "
		    "--region CODE --dns NAME --ip ADDR --out BASE\n"
		    "       wagectl pki revoke DIR CERT\n"
		    "       wagectl pki crl DIR [--days N]"));
	}
	sub = argv[1];
	dir = argv[2];
	/* Parse what follows DIR; DIR stands in as argv[0]. */
	argc -= 2;
	argv += 2;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'c':
			s.cn = optarg;
			break;
		case 'o':
			s.org = optarg;
			break;
		case 'r':
			s.role = optarg;
			break;
		case 'g':
			s.region = optarg;
			break;
		case 'f':
			out = optarg;
			break;
		case 's':
			server = 1;
			break;
		case 'd':
			if (ndns >= 16) {
				return (fail_usage("at most 16 --dns"));
			}
			dns[ndns++] = optarg;
			break;
		case 'i':
			if (nips >= 16) {
				return (fail_usage("at most 16 --ip"));
			}
			ips[nips++] = optarg;
			break;
		case 'y':
			days = (int) strtol(optarg, &end, 10);
			if (*end != '\0') {
				return (fail_usage("--days must be a number"));
			}
			break;
		case 'n':
			name = optarg;
			break;
		default:
			return (fail_usage("unknown pki option"));
		}
	}
	if (optind != argc - (strcmp(sub, "revoke") == 0 ? 1 : 0)) {
		return (fail_usage("unexpected arguments for pki %s", sub));
	}
	if (strcmp(sub, "init") == 0) {
		rc = pki_init(
		    dir, name != NULL ? name : "wage-server CA", &err);
		if (rc == WAGE_OK) {
			printf("CA created in %s (ca.crt, ca.key, crl.pem)\n",
			    dir);
		}
	} else if (strcmp(sub, "issue") == 0) {
		if (out == NULL) {
			return (fail_usage("pki issue needs --out BASE"));
		}
		if (server && s.role == NULL) {
			s.role = PKI_SERVER_ROLE;
		}
		rc = pki_issue(dir, &s, server, dns, ndns, ips, nips,
		    days > 0 ? days : (server ? 825 : 365), out, &err);
		if (rc == WAGE_OK) {
			printf("issued %s.crt and %s.key\n", out, out);
		}
	} else if (strcmp(sub, "revoke") == 0) {
		rc = pki_revoke(dir, argv[optind], &err);
		if (rc == WAGE_OK) {
			printf("revoked %s; CRL rewritten: %s/crl.pem\n",
			    argv[optind], dir);
		}
	} else if (strcmp(sub, "crl") == 0) {
		rc = pki_write_crl(dir, days > 0 ? days : PKI_CRL_DAYS, &err);
		if (rc == WAGE_OK) {
			printf("CRL written: %s/crl.pem\n", dir);
		}
	} else {
		return (fail_usage("unknown pki command '%s'", sub));
	}
	return (report(rc, &err));
}

/* ---- reports ------------------------------------------------------- */

int
cmd_report(int argc, char **argv)
{
	static const struct option lo[] = { { "from", 1, NULL, 'f' },
		{ "to", 1, NULL, 't' }, { "region", 1, NULL, 'r' },
		{ "csv", 0, NULL, 'c' }, { "bom", 0, NULL, 'b' },
		{ "svg", 1, NULL, 's' }, { "min-cases", 1, NULL, 'n' },
		{ "min-amount", 1, NULL, 'a' }, { NULL, 0, NULL, 0 } };
	const char                *usage =
	    "usage: wagectl report campaign --from DATE --to DATE "
	    "[--region CODE] [--csv [--bom] | --svg FILE]\n"
	    "       wagectl report employers [--min-cases N] "
	    "[--min-amount YUAN] [--from DATE] [--to DATE] [--csv [--bom]]";
	json_t     *args, *res;
	const char *kind, *svg = NULL;
	long long   fen;
	long        n;
	char       *end;
	int         ch, csv = 0, bom = 0, rc, campaign;
	FILE       *f;

	if (argc < 2) {
		return (fail_usage("%s", usage));
	}
	kind = argv[1];
	if (strcmp(kind, "campaign") != 0 && strcmp(kind, "employers") != 0) {
		return (fail_usage("%s", usage));
	}
	campaign = kind[0] == 'c';
	args     = json_object();
	argc--;
	argv++;
	optind = 0; /* 0: re-initialise GNU getopt (permuting) */
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'f':
		case 't':
		case 'r':
			json_object_set_new(args,
			    ch == 'f' ? "from" : (ch == 't' ? "to" : "region"),
			    json_string(optarg));
			break;
		case 'c':
			csv = 1;
			break;
		case 'b':
			bom = 1;
			break;
		case 's':
			svg = optarg;
			break;
		case 'n':
			n = strtol(optarg, &end, 10);
			if (*end != '\0' || end == optarg) {
				json_decref(args);
				return (fail_usage(
				    "--min-cases must be a number"));
			}
			json_object_set_new(
			    args, "min_cases", json_integer(n));
			break;
		case 'a':
			if (reportfmt_parse_yuan(optarg, &fen) != WAGE_OK) {
				json_decref(args);
				return (fail_usage(
				    "--min-amount must be an amount "
				    "in yuan, e.g. 50000 or 1200.50"));
			}
			json_object_set_new(
			    args, "min_amount_fen", json_integer(fen));
			break;
		default:
			json_decref(args);
			return (fail_usage("%s", usage));
		}
	}
	if (optind != argc || (svg != NULL && (!campaign || csv))) {
		json_decref(args);
		return (fail_usage("%s", usage));
	}
	rc =
	    call(campaign ? WAGE_OP_REPORT_CAMPAIGN : WAGE_OP_REPORT_EMPLOYERS,
	        args, &res);
	if (rc != 0) {
		return (rc);
	}
	if (g.json) {
		table_json(res);
		rc = WAGE_OK;
	} else if (svg != NULL) {
		if ((f = fopen(svg, "w")) == NULL) {
			json_decref(res);
			fprintf(stderr, "error: USAGE: cannot write %s: %s\n",
			    svg, strerror(errno));
			return (WAGE_EXIT_USAGE);
		}
		rc = reportfmt_svg(res, f);
		if (fclose(f) != 0 && rc == WAGE_OK) {
			rc = WAGE_E_INTERNAL;
		}
		if (rc == WAGE_OK) {
			printf("wrote %s\n", svg);
		}
	} else if (csv) {
		rc = campaign
		    ? reportfmt_csv(res, stdout, bom ? REPORTFMT_CSV_BOM : 0)
		    : reportfmt_employers_csv(
		          res, stdout, bom ? REPORTFMT_CSV_BOM : 0);
	} else {
		rc = campaign ? reportfmt_table(res, stdout)
		              : reportfmt_employers_table(res, stdout);
	}
	json_decref(res);
	if (rc != WAGE_OK) {
		fprintf(
		    stderr, "error: INTERNAL: could not write the report\n");
		return (WAGE_EXIT_INTERNAL);
	}
	return (0);
}
