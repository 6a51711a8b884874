/* SPDX-License-Identifier: MIT */
/*
 * test_minwage.c - the monthly minimum-wage tables: the amount in force
 * before and after each effective date, the tier of a listed county, of a
 * county inside a listed city prefix and of an unlisted county, city and
 * province codes, the final-award limit (exactly 12 x, 劳动争议调解仲裁法
 * Art 47), several tables in a directory, and broken tables refused with
 * "file:line: what is wrong".
 * Expected amounts are the yuan figures of policies/minimum-wage/
 * shandong.yaml written out by hand, times 100.
 * Run from the repository root, or set WAGE_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <mbedtls/sha256.h>

#include "minwage.h"
#include "wage/protocol.h"

#include "support_file.h"

#define MW_DIR  "policies/minimum-wage"
#define MW_FILE MW_DIR "/shandong.yaml"
#define BAD_DIR "tests/data/minimum-wage"

static struct civil_date
D(int y, int m, int d) {
	struct civil_date r = { y, m, d };

	return (r);
}

static struct minwage *
load_shandong(void)
{
	struct minwage *m    = NULL;
	int             nerr = -1;

	assert_int_equal(
	    minwage_load_file(tsupport_srcpath(MW_FILE), &m, stderr, &nerr),
	    WAGE_OK);
	assert_int_equal(nerr, 0);
	assert_non_null(m);
	return (m);
}

/* monthly returns the amount in fen and checks the tier. */
static long long
monthly(const struct minwage *m, const char *region, struct civil_date on,
    int want_tier)
{
	long long fen  = -1;
	int       tier = -1;

	assert_int_equal(
	    minwage_monthly_fen(m, region, on, &fen, &tier), WAGE_OK);
	assert_int_equal(tier, want_tier);
	return (fen);
}

static int
monthly_rc(const struct minwage *m, const char *region, struct civil_date on)
{
	long long fen  = -1;
	int       tier = -1, rc;

	rc = minwage_monthly_fen(m, region, on, &fen, &tier);
	if (rc != WAGE_OK) {
		assert_int_equal(fen, 0);
		assert_int_equal(tier, 0);
	}
	return (rc);
}

/*
 * Shandong: 2018-06-01 1910/1730/1550, 2021-10-01 2100/1900/1700,
 * 2023-10-01 2200/2010/1820 (yuan, tiers 1/2/3).
 */
static void
test_minwage_value_around_each_effective_date(void **state)
{
	struct minwage *m = load_shandong();

	(void) state;
	/* 370102 历下, tier 1. */
	assert_int_equal(
	    monthly_rc(m, "370102", D(2018, 5, 31)), WAGE_E_NOT_FOUND);
	assert_int_equal(monthly(m, "370102", D(2018, 6, 1), 1), 191000);
	assert_int_equal(monthly(m, "370102", D(2021, 9, 30), 1), 191000);
	assert_int_equal(monthly(m, "370102", D(2021, 10, 1), 1), 210000);
	assert_int_equal(monthly(m, "370102", D(2023, 9, 30), 1), 210000);
	assert_int_equal(monthly(m, "370102", D(2023, 10, 1), 1), 220000);
	assert_int_equal(monthly(m, "370102", D(2030, 1, 1), 1), 220000);
	/* 370113 长清, tier 2. */
	assert_int_equal(
	    monthly_rc(m, "370113", D(1999, 1, 1)), WAGE_E_NOT_FOUND);
	assert_int_equal(monthly(m, "370113", D(2018, 6, 1), 2), 173000);
	assert_int_equal(monthly(m, "370113", D(2021, 9, 30), 2), 173000);
	assert_int_equal(monthly(m, "370113", D(2021, 10, 1), 2), 190000);
	assert_int_equal(monthly(m, "370113", D(2023, 9, 30), 2), 190000);
	assert_int_equal(monthly(m, "370113", D(2023, 10, 1), 2), 201000);
	/* 371702 牡丹 (菏泽), not listed: tier 3. */
	assert_int_equal(monthly(m, "371702", D(2018, 6, 1), 3), 155000);
	assert_int_equal(monthly(m, "371702", D(2021, 9, 30), 3), 155000);
	assert_int_equal(monthly(m, "371702", D(2021, 10, 1), 3), 170000);
	assert_int_equal(monthly(m, "371702", D(2023, 9, 30), 3), 170000);
	assert_int_equal(monthly(m, "371702", D(2023, 10, 1), 3), 182000);
	minwage_free(m);
}

static void
test_minwage_tier_lookup(void **state)
{
	struct minwage   *m  = load_shandong();
	struct civil_date on = D(2024, 6, 1);

	(void) state;
	/* Listed counties. */
	assert_int_equal(monthly(m, "370102", on, 1), 220000);
	assert_int_equal(monthly(m, "370215", on, 1), 220000); /* 即墨 */
	assert_int_equal(monthly(m, "370124", on, 2), 201000); /* 平阴 */
	assert_int_equal(monthly(m, "371625", on, 2), 201000); /* 博兴 */
	/* Counties of a city listed by its 4-digit prefix. */
	assert_int_equal(monthly(m, "370502", on, 1), 220000); /* 东营 */
	assert_int_equal(monthly(m, "370523", on, 1), 220000); /* 广饶 */
	assert_int_equal(monthly(m, "371002", on, 1), 220000); /* 威海 */
	assert_int_equal(monthly(m, "371102", on, 2), 201000); /* 日照 */
	assert_int_equal(monthly(m, "371122", on, 2), 201000); /* 莒县 */
	/* Counties not listed: tier 3. */
	assert_int_equal(monthly(m, "370911", on, 3), 182000); /* 岱岳 */
	assert_int_equal(monthly(m, "371702", on, 3), 182000); /* 菏泽 */
	assert_int_equal(monthly(m, "371321", on, 3), 182000); /* 沂南 */
	minwage_free(m);
}

static void
test_minwage_city_and_province_codes(void **state)
{
	struct minwage   *m  = load_shandong();
	struct civil_date on = D(2024, 6, 1);

	(void) state;
	/* A whole city listed, or none of its counties listed: one tier. */
	assert_int_equal(monthly(m, "370500", on, 1), 220000);
	assert_int_equal(monthly(m, "371100", on, 2), 201000);
	assert_int_equal(monthly(m, "371700", on, 3), 182000);
	/* A city or province whose counties differ has no one answer. */
	assert_int_equal(monthly_rc(m, "370100", on), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(monthly_rc(m, "370000", on), WAGE_E_INVALID_ARGUMENT);
	minwage_free(m);
}

static void
test_minwage_not_found_and_invalid(void **state)
{
	struct minwage   *m  = load_shandong();
	struct civil_date on = D(2024, 6, 1);
	long long         fen;

	(void) state;
	/* No table for Guangdong. */
	assert_int_equal(monthly_rc(m, "440106", on), WAGE_E_NOT_FOUND);
	assert_int_equal(monthly_rc(NULL, "370102", on), WAGE_E_NOT_FOUND);
	assert_int_equal(monthly_rc(m, "37010", on), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(
	    monthly_rc(m, "3701022", on), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(monthly_rc(m, "37a102", on), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(monthly_rc(m, "000000", on), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(monthly_rc(m, NULL, on), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(
	    monthly_rc(m, "370102", D(2023, 2, 29)), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(minwage_monthly_fen(m, "370102", on, NULL, NULL),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(
	    minwage_monthly_fen(m, "370102", on, &fen, NULL), WAGE_OK);
	assert_int_equal(fen, 220000);
	minwage_free(m);
	minwage_free(NULL);
}

static void
test_minwage_final_limit_is_12_months(void **state)
{
	static const char *const regions[] = { "370102", "370113", "371702",
		"370502", "371102" };
	static const struct civil_date dates[] = { { 2018, 6, 1 },
		{ 2021, 10, 1 }, { 2023, 9, 30 }, { 2023, 10, 1 },
		{ 2026, 1, 1 } };
	struct minwage                *m       = load_shandong();
	long long                      mon, lim;
	size_t                         i, j;
	int                            t1, t2;

	(void) state;
	/* 12 x 2200 yuan = 26400 yuan. */
	assert_int_equal(
	    minwage_final_limit_fen(m, "370102", D(2024, 6, 1), &lim, &t1),
	    WAGE_OK);
	assert_int_equal(lim, 2640000);
	assert_int_equal(t1, 1);
	assert_int_equal(
	    minwage_final_limit_fen(m, "371702", D(2022, 1, 1), &lim, &t1),
	    WAGE_OK);
	assert_int_equal(lim, 2040000);
	for (i = 0; i < sizeof(regions) / sizeof(regions[0]); i++) {
		for (j = 0; j < sizeof(dates) / sizeof(dates[0]); j++) {
			assert_int_equal(minwage_monthly_fen(m, regions[i],
			                     dates[j], &mon, &t1),
			    WAGE_OK);
			assert_int_equal(minwage_final_limit_fen(m, regions[i],
			                     dates[j], &lim, &t2),
			    WAGE_OK);
			assert_int_equal(lim, 12 * mon);
			assert_int_equal(t1, t2);
		}
	}
	lim = -1;
	assert_int_equal(
	    minwage_final_limit_fen(m, "370102", D(2018, 1, 1), &lim, NULL),
	    WAGE_E_NOT_FOUND);
	assert_int_equal(lim, 0);
	minwage_free(m);
}

static void
test_minwage_amounts_in_yuan_and_fen(void **state)
{
	static const char text[] = "region: \"110000\"\n"
	                           "sets:\n"
	                           "  - effective: 2024-09-01\n"
	                           "    tiers: {1: 2420.5}\n"
	                           "  - effective: 2025-09-01\n"
	                           "    tiers: {1: 2540.05}\n";
	struct minwage   *m;
	int               nerr;

	(void) state;
	/* One tier, no lists: every county of Beijing is in it. */
	assert_int_equal(minwage_load_buffer(
	                     "beijing", text, strlen(text), &m, stderr, &nerr),
	    WAGE_OK);
	assert_int_equal(monthly(m, "110105", D(2024, 9, 1), 1), 242050);
	assert_int_equal(monthly(m, "110105", D(2025, 9, 1), 1), 254005);
	assert_int_equal(monthly(m, "110000", D(2025, 9, 1), 1), 254005);
	assert_int_equal(
	    monthly_rc(m, "370102", D(2025, 9, 1)), WAGE_E_NOT_FOUND);
	minwage_free(m);
}

static void
test_minwage_load_dir_several_regions(void **state)
{
	char                   dir[] = "/tmp/test_minwage.XXXXXX";
	char                   p1[256], p2[256], hex[65];
	char                  *sd;
	static const char      bj[] = "region: \"110000\"\n"
	                              "sets:\n"
	                              "  - effective: 2024-09-01\n"
	                              "    tiers: {1: 2540}\n";
	mbedtls_sha256_context sha;
	unsigned char          digest[32];
	struct minwage        *m;
	size_t                 len, i;
	int                    nerr;

	(void) state;
	/* The shipped directory. */
	assert_int_equal(
	    minwage_load_dir(tsupport_srcpath(MW_DIR), &m, stderr, &nerr),
	    WAGE_OK);
	assert_int_equal(nerr, 0);
	assert_int_equal(monthly(m, "370102", D(2024, 6, 1), 1), 220000);
	minwage_free(m);

	/* Two provinces; "a-" sorts first. */
	assert_non_null(mkdtemp(dir));
	snprintf(p1, sizeof(p1), "%s/a-beijing.yaml", dir);
	snprintf(p2, sizeof(p2), "%s/shandong.yaml", dir);
	sd = tsupport_slurp(tsupport_srcpath(MW_FILE), &len);
	tsupport_spit(p1, bj);
	tsupport_spit(p2, sd);
	assert_int_equal(minwage_load_dir(dir, &m, stderr, &nerr), WAGE_OK);
	assert_int_equal(monthly(m, "110105", D(2024, 9, 1), 1), 254000);
	assert_int_equal(monthly(m, "371102", D(2024, 9, 1), 2), 201000);
	assert_int_equal(
	    monthly_rc(m, "440106", D(2024, 9, 1)), WAGE_E_NOT_FOUND);
	/* The hash is SHA-256 over the files in name order. */
	mbedtls_sha256_init(&sha);
	assert_int_equal(mbedtls_sha256_starts_ret(&sha, 0), 0);
	assert_int_equal(mbedtls_sha256_update_ret(
	                     &sha, (const unsigned char *) bj, strlen(bj)),
	    0);
	assert_int_equal(
	    mbedtls_sha256_update_ret(&sha, (const unsigned char *) sd, len),
	    0);
	assert_int_equal(mbedtls_sha256_finish_ret(&sha, digest), 0);
	mbedtls_sha256_free(&sha);
	for (i = 0; i < 32; i++) {
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	}
	assert_string_equal(minwage_hash(m), hex);
	minwage_free(m);
	assert_int_equal(unlink(p1), 0);
	assert_int_equal(unlink(p2), 0);
	assert_int_equal(rmdir(dir), 0);
	free(sd);
}

static int
load_file_diag(const char *path, struct minwage **m, char **diag, int *nerr)
{
	FILE  *d;
	size_t dlen;
	int    rv;

	d = open_memstream(diag, &dlen);
	assert_non_null(d);
	rv = minwage_load_file(path, m, d, nerr);
	fclose(d);
	return (rv);
}

static int
load_dir_diag(const char *dir, struct minwage **m, char **diag, int *nerr)
{
	FILE  *d;
	size_t dlen;
	int    rv;

	d = open_memstream(diag, &dlen);
	assert_non_null(d);
	rv = minwage_load_dir(dir, m, d, nerr);
	fclose(d);
	return (rv);
}

static void
test_minwage_overlapping_regions_rejected(void **state)
{
	struct minwage *m;
	const char     *dir = tsupport_srcpath(BAD_DIR "/overlap");
	char            file[4200], *diag = NULL;
	int             nerr;

	(void) state;
	snprintf(file, sizeof(file), "%s/b-qingdao.yaml", dir);
	assert_int_equal(
	    load_dir_diag(dir, &m, &diag, &nerr), WAGE_E_INVALID_ARGUMENT);
	assert_null(m);
	assert_int_equal(nerr, 1);
	assert_true(tsupport_has_line(diag, file, 2,
	    "region 370200 overlaps region "
	    "370000"));
	free(diag);

	diag = NULL;
	assert_int_equal(
	    load_dir_diag(
	        tsupport_srcpath(BAD_DIR "/no-such-dir"), &m, &diag, &nerr),
	    WAGE_E_INVALID_ARGUMENT);
	assert_non_null(strstr(diag, "cannot open"));
	free(diag);
	diag = NULL;
	assert_int_equal(
	    load_file_diag(tsupport_srcpath(BAD_DIR "/no-such-file.yaml"), &m,
	        &diag, &nerr),
	    WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(nerr, 1);
	assert_non_null(strstr(diag, "cannot open"));
	free(diag);
}

struct bad {
	const char *file;
	int         line;
	const char *what;
};

static const struct bad bads[] = {
	{ "bad-unknown-key.yaml", 6, "unknown key 'teir2'" },
	{ "bad-effective-order.yaml", 5, "effective dates must ascend" },
	{ "bad-effective-twice.yaml", 5,
	    "2021-10-01 is listed twice (first "
	    "at line 3)" },
	{ "bad-effective-date.yaml", 3, "'effective' must be a date" },
	{ "bad-tier-zero.yaml", 4, "tier 3 must be a positive amount" },
	{ "bad-tier-negative.yaml", 6, "tier 2 must be a positive amount" },
	{ "bad-tier-text.yaml", 4, "tier 1 must be a positive amount" },
	{ "bad-tier-fraction.yaml", 4, "tier 1 must be a positive amount" },
	{ "bad-tier-gap.yaml", 4, "no tier 2" },
	{ "bad-tier-count.yaml", 6,
	    "this set has 2 tiers, the first (line "
	    "4) has 3" },
	{ "bad-tier-order.yaml", 6, "tier 2 (2150.00 yuan) is above tier 1" },
	{ "bad-code-length.yaml", 6, "'37010' must be a county code" },
	{ "bad-code-city.yaml", 5, "'370100' names no county or city" },
	{ "bad-code-outside.yaml", 5, "'440106' is outside region 370000" },
	{ "bad-code-both.yaml", 7,
	    "370102 is in both tier1 (line 5) and "
	    "tier2" },
	{ "bad-code-overlap.yaml", 8,
	    "370502 (tier2) overlaps 3705 (tier1, "
	    "line 5)" },
	{ "bad-code-twice.yaml", 8,
	    "370102 is listed twice in tier1 (first "
	    "at line 6)" },
	{ "bad-last-tier-list.yaml", 6,
	    "'tier3': counties not listed are in "
	    "tier 3" },
	{ "bad-region.yaml", 1, "'region' must be a 6-digit GB/T 2260 code" },
	{ "bad-no-sets.yaml", 2, "no 'sets'" },
	{ "bad-set-key.yaml", 5, "unknown key 'source' in a set" },
};

static void
test_minwage_bad_fixtures_rejected(void **state)
{
	struct minwage *m;
	char            rel[256], *diag;
	const char     *path;
	size_t          i;
	int             nerr;

	(void) state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		snprintf(rel, sizeof(rel), BAD_DIR "/%s", bads[i].file);
		path = tsupport_srcpath(rel);
		diag = NULL;
		m    = (struct minwage *) 1;
		assert_int_equal(load_file_diag(path, &m, &diag, &nerr),
		    WAGE_E_INVALID_ARGUMENT);
		assert_null(m);
		if (nerr != 1 || tsupport_count_lines(diag) != 1 ||
		    !tsupport_has_line(
		        diag, path, bads[i].line, bads[i].what)) {
			fail_msg("%s: want line %d '%s', got %d error(s):\n%s",
			    bads[i].file, bads[i].line, bads[i].what, nerr,
			    diag);
		}
		free(diag);
	}
}

static void
test_minwage_shipped_table_keeps_notes(void **state)
{
	struct minwage *m = load_shandong();
	char           *text;
	size_t          len;

	(void) state;
	/* The file keeps its sources and its "to confirm" notes. */
	text = tsupport_slurp(tsupport_srcpath(MW_FILE), &len);
	assert_non_null(strstr(text, "TO CONFIRM"));
	assert_non_null(strstr(text, "# to confirm"));
	assert_non_null(strstr(text, "鲁政字〔2021〕169号"));
	free(text);
	minwage_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_minwage_value_around_each_effective_date),
		cmocka_unit_test(test_minwage_tier_lookup),
		cmocka_unit_test(test_minwage_city_and_province_codes),
		cmocka_unit_test(test_minwage_not_found_and_invalid),
		cmocka_unit_test(test_minwage_final_limit_is_12_months),
		cmocka_unit_test(test_minwage_amounts_in_yuan_and_fen),
		cmocka_unit_test(test_minwage_load_dir_several_regions),
		cmocka_unit_test(test_minwage_overlapping_regions_rejected),
		cmocka_unit_test(test_minwage_bad_fixtures_rejected),
		cmocka_unit_test(test_minwage_shipped_table_keeps_notes),
	};

	return (cmocka_run_group_tests_name("minwage", tests, NULL, NULL));
}
