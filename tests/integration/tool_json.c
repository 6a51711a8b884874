/* SPDX-License-Identifier: MIT */
/*
 * tool_json.c - a small JSON reader and editor for tests/integration/run.sh,
 * so that the shell driver needs no jq or python3 (neither is a declared
 * dependency). Not a test: run.sh runs only test_*.
 *
 *   tool_json get PATH [FILE]        print the value at PATH: strings raw,
 *                                    anything else as compact JSON
 *   tool_json len PATH [FILE]        size of the array or object at PATH
 *   tool_json has PATH [FILE]        exit 0 if PATH exists, 1 if not
 *   tool_json set PATH JSON [FILE]   print the document with PATH set to
 *                                    JSON (created in its parent object)
 *   tool_json del PATH [FILE]        print the document without PATH
 *   tool_json each PATH KEY [FILE]   for every element of the array at
 *                                    PATH, print its member KEY, one a line
 *
 * PATH is dot-separated; a part of digits indexes an array; "." alone is the
 * whole document. FILE defaults to stdin. Exit 1 when PATH is missing, 2 on
 * usage or unreadable JSON.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

static int
all_digits(const char *s)
{
	if (*s == '\0') {
		return (0);
	}
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9') {
			return (0);
		}
	}
	return (1);
}

static json_t *
child(json_t *v, const char *part)
{
	if (json_is_array(v) && all_digits(part)) {
		return (json_array_get(v, strtoul(part, NULL, 10)));
	}
	if (json_is_object(v)) {
		return (json_object_get(v, part));
	}
	return (NULL);
}

/*
 * walk returns the value at path (borrowed), or NULL. With parent != NULL
 * it stops one part short: *parent is the container, *last the last part
 * (pointing into buf).
 */
static json_t *
walk(json_t *root, const char *path, char *buf, size_t len, json_t **parent,
    char **last)
{
	json_t *v = root;
	char   *part, *dot;

	if (strcmp(path, ".") == 0) {
		return (parent != NULL ? NULL : root);
	}
	if (strlen(path) >= len) {
		return (NULL);
	}
	strcpy(buf, path);
	part = buf;
	for (;;) {
		dot = strchr(part, '.');
		if (dot != NULL) {
			*dot = '\0';
		}
		if (dot == NULL && parent != NULL) {
			*parent = v;
			*last   = part;
			return (v);
		}
		if ((v = child(v, part)) == NULL) {
			return (NULL);
		}
		if (dot == NULL) {
			return (v);
		}
		part = dot + 1;
	}
}

static void
print_value(const json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		fwrite(json_string_value(v), 1, json_string_length(v), stdout);
		putchar('\n');
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
	if (s != NULL) {
		printf("%s\n", s);
		free(s);
	}
}

static int
usage(void)
{
	fprintf(stderr,
	    "usage: tool_json get|len|has|del PATH [FILE]\n"
	    "       tool_json set PATH JSON [FILE]\n"
	    "       tool_json each PATH KEY [FILE]\n");
	return (2);
}

int
main(int argc, char **argv)
{
	json_error_t jerr;
	json_t      *root, *v, *parent = NULL, *nv;
	const char  *cmd, *path, *file = NULL;
	char         buf[1024], *last = NULL, *out;
	size_t       i;
	int          rc = 0, extra;

	if (argc < 3) {
		return (usage());
	}
	cmd   = argv[1];
	path  = argv[2];
	extra = (strcmp(cmd, "set") == 0 || strcmp(cmd, "each") == 0) ? 1 : 0;
	if (argc < 3 + extra || argc > 4 + extra) {
		return (usage());
	}
	if (argc == 4 + extra) {
		file = argv[3 + extra];
	}
	root = file != NULL && strcmp(file, "-") != 0
	    ? json_load_file(file, JSON_DECODE_ANY, &jerr)
	    : json_loadf(stdin, JSON_DECODE_ANY, &jerr);
	if (root == NULL) {
		fprintf(stderr, "tool_json: %s:%d: %s\n",
		    file != NULL ? file : "stdin", jerr.line, jerr.text);
		return (2);
	}
	if (strcmp(cmd, "get") == 0 || strcmp(cmd, "len") == 0 ||
	    strcmp(cmd, "has") == 0 || strcmp(cmd, "each") == 0) {
		v = walk(root, path, buf, sizeof(buf), NULL, NULL);
		if (v == NULL) {
			rc = 1;
		} else if (strcmp(cmd, "get") == 0) {
			print_value(v);
		} else if (strcmp(cmd, "len") == 0) {
			printf("%zu\n",
			    json_is_array(v) ? json_array_size(v)
			                     : json_object_size(v));
		} else if (strcmp(cmd, "each") == 0) {
			if (!json_is_array(v)) {
				rc = 1;
			} else {
				json_array_foreach (v, i, nv) {
					json_t *m =
					    json_object_get(nv, argv[3]);

					if (m != NULL) {
						print_value(m);
					}
				}
			}
		}
	} else if (strcmp(cmd, "set") == 0 || strcmp(cmd, "del") == 0) {
		v = walk(root, path, buf, sizeof(buf), &parent, &last);
		if (v == NULL) {
			rc = 1;
		} else if (strcmp(cmd, "set") == 0) {
			nv = json_loads(argv[3], JSON_DECODE_ANY, &jerr);
			if (nv == NULL) {
				fprintf(stderr, "tool_json: value: %s\n",
				    jerr.text);
				rc = 2;
			} else if (json_is_array(parent) && all_digits(last)) {
				rc = json_array_set_new(parent,
				         strtoul(last, NULL, 10), nv) != 0;
			} else if (json_is_object(parent)) {
				json_object_set_new(parent, last, nv);
			} else {
				json_decref(nv);
				rc = 1;
			}
		} else {
			if (json_is_array(parent) && all_digits(last)) {
				rc = json_array_remove(
				         parent, strtoul(last, NULL, 10)) != 0;
			} else if (json_is_object(parent)) {
				rc = json_object_del(parent, last) != 0;
			} else {
				rc = 1;
			}
		}
		if (rc == 0) {
			out = json_dumps(root,
			    JSON_INDENT(2) | JSON_PRESERVE_ORDER |
			        JSON_ENCODE_ANY);
			if (out == NULL) {
				rc = 2;
			} else {
				printf("%s\n", out);
				free(out);
			}
		}
	} else {
		rc = usage();
	}
	json_decref(root);
	if (fflush(stdout) != 0) {
		rc = 2;
	}
	return (rc);
}
