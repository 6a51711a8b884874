/* SPDX-License-Identifier: MIT */
/*
 * replay.c - runs a fuzz target's LLVMFuzzerTestOneInput over every file
 * named on the command line (or in the directories named), without
 * libFuzzer, so that `make test` replays the corpus with any compiler.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
run_file(const char *path)
{
	FILE    *f = fopen(path, "rb");
	uint8_t *buf;
	long     n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		if (f != NULL) {
			fclose(f);
		}
		return (1);
	}
	buf = malloc((size_t) n + 1);
	if (buf == NULL || fread(buf, 1, (size_t) n, f) != (size_t) n) {
		fclose(f);
		free(buf);
		return (1);
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t) n);
	free(buf);
	return (0);
}

int
main(int argc, char **argv)
{
	struct stat    st;
	DIR           *d;
	struct dirent *e;
	char           path[4096];
	int            i, n = 0, bad = 0;

	if (LLVMFuzzerInitialize != NULL) {
		LLVMFuzzerInitialize(&argc, &argv);
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if ((d = opendir(argv[i])) == NULL) {
				bad++;
				continue;
			}
			while ((e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.') {
					continue;
				}
				snprintf(path, sizeof(path), "%s/%s", argv[i],
				    e->d_name);
				bad += run_file(path);
				n++;
			}
			closedir(d);
		} else {
			bad += run_file(argv[i]);
			n++;
		}
	}
	printf("replay: %d inputs, %d unreadable\n", n, bad);
	return (bad != 0);
}
