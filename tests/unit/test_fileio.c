/* SPDX-License-Identifier: MIT */
/*
 * test_fileio.c - unit tests of common/fileio.c: whole files (binary,
 * empty, exactly at the cap), and each refusal with its code, errno and
 * message: over the cap, missing, a directory, a FIFO (without hanging),
 * a secret others may read, a file longer than fstat said. Files live in
 * a mkdtemp directory.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileio.h"

#include "support_tmp.h"

static char dir[64]; /* /tmp/test_fileio.XXXXXX */

static const char *
fpath(const char *name)
{
	static char p[256];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return (p);
}

static void
put(const char *name, const void *data, size_t len, mode_t mode)
{
	int fd;

	fd = open(fpath(name), O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t) len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static int
group_setup(void **state)
{
	(void) state;
	return (tsupport_tmpdir(dir, sizeof(dir), "test_fileio"));
}

static int
group_teardown(void **state)
{
	(void) state;
	return (tsupport_rmtree(dir));
}

static void
test_fileio_reads_whole_file(void **state)
{
	static const char data[] = "a\0b\nc";
	char             *buf;
	size_t            len;

	(void) state;
	put("bin", data, sizeof(data) - 1, 0644);
	assert_int_equal(
	    fileio_read(fpath("bin"), 1024, 0, &buf, &len, NULL), WAGE_OK);
	assert_int_equal(len, sizeof(data) - 1);
	assert_memory_equal(buf, data, len);
	assert_int_equal(buf[len], '\0');
	fileio_free(buf, len);

	put("empty", "", 0, 0644);
	assert_int_equal(
	    fileio_read(fpath("empty"), 1024, 0, &buf, &len, NULL), WAGE_OK);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
	fileio_free(NULL, 0);
}

static void
test_fileio_cap(void **state)
{
	struct wage_error err;
	char              data[1025], *buf = (char *) 1;
	size_t            len = 7;

	(void) state;
	memset(data, 'x', sizeof(data));
	put("at", data, 1024, 0644);
	put("over", data, 1025, 0644);
	assert_int_equal(
	    fileio_read(fpath("at"), 1024, 0, &buf, &len, &err), WAGE_OK);
	assert_int_equal(len, 1024);
	free(buf);

	errno = 0;
	assert_int_equal(fileio_read(fpath("over"), 1024, 0, &buf, &len, &err),
	    WAGE_E_TOO_LARGE);
	assert_int_equal(errno, EFBIG);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_string_equal(err.message, "the file is larger than 1 KiB");
	fileio_read(fpath("over"), 1000, 0, &buf, &len, &err);
	assert_string_equal(err.message, "the file is larger than 1000 bytes");
}

static void
test_fileio_refuses_missing_directory_fifo(void **state)
{
	struct wage_error err;
	char             *buf;
	size_t            len;

	(void) state;
	errno = 0;
	assert_int_equal(fileio_read(fpath("none"), 1024, 0, &buf, &len, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(errno, ENOENT);
	assert_null(buf);
	assert_non_null(strstr(err.message, "cannot open: "));
	/* The message leaves the path to the caller. */
	assert_null(strstr(err.message, dir));

	assert_int_equal(fileio_read(dir, 1024, 0, &buf, &len, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(err.message, "not a regular file");

	/* No writer: a blocking open would hang here. */
	assert_int_equal(mkfifo(fpath("fifo"), 0600), 0);
	assert_int_equal(fileio_read(fpath("fifo"), 1024, 0, &buf, &len, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err.message, "not a regular file");
}

static void
test_fileio_secret(void **state)
{
	struct wage_error err;
	char             *buf;
	size_t            len;

	(void) state;
	put("key", "secret", 6, 0640);
	errno = 0;
	assert_int_equal(
	    fileio_read(fpath("key"), 1024, FILEIO_SECRET, &buf, &len, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(errno, EACCES);
	assert_null(buf);
	assert_non_null(strstr(err.message, "chmod 600"));
	/* Not a secret: anyone may read it. */
	assert_int_equal(
	    fileio_read(fpath("key"), 1024, 0, &buf, &len, &err), WAGE_OK);
	free(buf);

	assert_int_equal(chmod(fpath("key"), 0600), 0);
	assert_int_equal(
	    fileio_read(fpath("key"), 1024, FILEIO_SECRET, &buf, &len, &err),
	    WAGE_OK);
	assert_string_equal(buf, "secret");
	fileio_free(buf, len);
}

static void
test_fileio_longer_than_fstat_said(void **state)
{
	struct wage_error err;
	struct stat       st;
	char             *buf;
	size_t            len;

	(void) state;
	/* /proc files say size 0 and have content: like a file that grew. */
	if (stat("/proc/self/status", &st) != 0 || st.st_size != 0) {
		skip();
	}
	errno = 0;
	assert_int_equal(
	    fileio_read("/proc/self/status", 1024, 0, &buf, &len, &err),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(errno, EAGAIN);
	assert_null(buf);
	assert_non_null(strstr(err.message, "changed while it was read"));
}

static void
test_fileio_load(void **state)
{
	char  *buf;
	size_t len;

	(void) state;
	put("text", "hello\n", 6, 0644);
	assert_non_null(buf = fileio_load(fpath("text"), &len));
	assert_int_equal(len, 6);
	assert_string_equal(buf, "hello\n");
	free(buf);
	assert_non_null(buf = fileio_load(fpath("text"), NULL));
	free(buf);
	errno = 0;
	assert_null(fileio_load(fpath("none"), &len));
	assert_int_equal(errno, ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fileio_reads_whole_file),
		cmocka_unit_test(test_fileio_cap),
		cmocka_unit_test(test_fileio_refuses_missing_directory_fifo),
		cmocka_unit_test(test_fileio_secret),
		cmocka_unit_test(test_fileio_longer_than_fstat_said),
		cmocka_unit_test(test_fileio_load),
	};

	return (cmocka_run_group_tests_name(
	    "fileio", tests, group_setup, group_teardown));
}
