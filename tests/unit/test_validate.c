/* SPDX-License-Identifier: MIT */
/*
 * test_validate.c - unit tests of server/validate.c: ID numbers, credit
 * codes, phones, regions, UTF-8 text, dates, fen and masking, and that no
 * error message echoes the value it rejected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "validate.h"

#include "support_ids.h"

#define F "worker.id_number"

/*
 * Literal IDs and codes below were checked once, independently of this
 * code, with a short python3 computation of the GB 11643 / GB 32100 sums.
 */
static const char *known_ids[] = {
	"11010519491231002X", /* the standard example in GB 11643 */
	"440304199001010011",
	"370102198002291234", /* born on a leap day */
	"320106198507152818",
};

static const char *known_codes[] = {
	"91350100M000100Y43", "91110000802100433B", "91440300708461136T",
	"913501005700000120", /* sum mod 31 == 0: check 31 becomes 0 */
};

/* expect_invalid runs rc and checks the error and that s is not echoed. */
static void
expect_invalid(
    int rc, const struct wage_error *err, const char *field, const char *s)
{
	assert_int_equal(rc, WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(err->code, WAGE_E_INVALID_ARGUMENT);
	assert_string_equal(err->field, field);
	assert_true(strlen(err->message) > 0);
	if (s != NULL && strlen(s) >= 4) {
		assert_null(strstr(err->message, s));
	}
}

static int
id_rc(const char *s, struct wage_error *err)
{
	wage_err_clear(err);
	return (validate_id_number(s, F, err));
}

static void
test_validate_id_known_valid(void **state)
{
	struct wage_error err;
	size_t            i;

	(void) state;
	for (i = 0; i < sizeof(known_ids) / sizeof(known_ids[0]); i++) {
		assert_int_equal(id_rc(known_ids[i], &err), WAGE_OK);
	}
}

static void
test_validate_id_generated_valid(void **state)
{
	static const char *bodies[] = { "11010119000101001",
		"65010220000229123", "81000019991231456",
		"52010220231015000" };
	struct wage_error  err;
	char               id[19];
	size_t             i;

	(void) state;
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		tsupport_id_number(bodies[i], id);
		assert_int_equal(id_rc(id, &err), WAGE_OK);
	}
}

static void
test_validate_id_lowercase_x_accepted(void **state)
{
	struct wage_error err;

	(void) state;
	assert_int_equal(id_rc("11010519491231002x", &err), WAGE_OK);
}

static void
test_validate_id_broken_checksum(void **state)
{
	struct wage_error err;
	char              id[19];
	const char       *p;

	(void) state;
	expect_invalid(
	    id_rc("110105194912310021", &err), &err, F, "110105194912310021");
	assert_non_null(strstr(err.message, "GB 11643"));
	/* Every wrong check character is refused. */
	for (p = "0123456789X"; *p != '\0'; p++) {
		memcpy(id, "11010519491231002X", 19);
		if (*p == 'X') {
			continue;
		}
		id[17] = *p;
		expect_invalid(id_rc(id, &err), &err, F, id);
	}
	/* A transposition of two body digits is caught. */
	expect_invalid(
	    id_rc("11010519491213002X", &err), &err, F, "11010519491213002X");
}

static void
test_validate_id_bad_length(void **state)
{
	struct wage_error err;

	(void) state;
	expect_invalid(id_rc("11010519491231002", &err), &err, F, NULL);
	assert_non_null(strstr(err.message, "18 characters"));
	expect_invalid(id_rc("11010519491231002X0", &err), &err, F, NULL);
	expect_invalid(id_rc("", &err), &err, F, NULL);
	expect_invalid(id_rc(NULL, &err), &err, F, NULL);
	/* 15-digit first-generation numbers are not accepted. */
	expect_invalid(id_rc("110105491231002", &err), &err, F, NULL);
}

static void
test_validate_id_letters_in_body(void **state)
{
	struct wage_error err;

	(void) state;
	expect_invalid(
	    id_rc("1101051949123100XX", &err), &err, F, "1101051949123100XX");
	expect_invalid(
	    id_rc("A1010519491231002X", &err), &err, F, "A1010519491231002X");
	expect_invalid(id_rc("110105 9491231002X", &err), &err, F, NULL);
	expect_invalid(id_rc("11010519491231002Y", &err), &err, F, NULL);
}

static void
test_validate_id_feb30_birth_date(void **state)
{
	struct wage_error err;
	char              id[19];

	(void) state;
	tsupport_id_number("11010519900230001", id);
	expect_invalid(id_rc(id, &err), &err, F, id);
	assert_non_null(strstr(err.message, "characters 7-14"));
	/* 1900 was not a leap year; 2000 was. */
	tsupport_id_number("11010519000229001", id);
	expect_invalid(id_rc(id, &err), &err, F, id);
	tsupport_id_number("11010520000229001", id);
	assert_int_equal(id_rc(id, &err), WAGE_OK);
	/* Month 13, day 00, year before 1900. */
	tsupport_id_number("11010519901301001", id);
	expect_invalid(id_rc(id, &err), &err, F, id);
	tsupport_id_number("11010519900100001", id);
	expect_invalid(id_rc(id, &err), &err, F, id);
	tsupport_id_number("11010518991231001", id);
	expect_invalid(id_rc(id, &err), &err, F, id);
}

static void
test_validate_id_future_birth_date(void **state)
{
	struct wage_error err;
	struct civil_date today;
	char              body[40], id[19];

	(void) state;
	civil_date_today(&today);
	/* Born today is fine, next year is not. */
	snprintf(body, sizeof(body), "110105%04d%02d%02d001", today.y, today.m,
	    today.d);
	tsupport_id_number(body, id);
	assert_int_equal(id_rc(id, &err), WAGE_OK);
	snprintf(body, sizeof(body), "110105%04d0101001", today.y + 1);
	tsupport_id_number(body, id);
	expect_invalid(id_rc(id, &err), &err, F, id);
	assert_non_null(strstr(err.message, "future"));
}

static void
test_validate_id_message_never_echoes_value(void **state)
{
	static const char *bad[] = { "110105194912310021", "11010519491231002",
		"1101051949123100XX", "110105199002300019" };
	struct wage_error  err;
	size_t             i;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_not_equal(id_rc(bad[i], &err), WAGE_OK);
		assert_null(strstr(err.message, bad[i]));
		/* Not even the distinctive middle part (the birth date). */
		assert_null(strstr(err.message, "1949"));
		assert_null(strstr(err.message, "1990"));
	}
}

static void
test_validate_id_null_err_is_safe(void **state)
{
	(void) state;
	assert_int_equal(
	    validate_id_number("x", F, NULL), WAGE_E_INVALID_ARGUMENT);
	assert_int_equal(
	    validate_id_number(known_ids[0], NULL, NULL), WAGE_OK);
}

static int
cc_rc(const char *s, struct wage_error *err)
{
	wage_err_clear(err);
	return (validate_credit_code(s, "employer.credit_code", err));
}

static void
test_validate_credit_code_valid(void **state)
{
	struct wage_error err;
	size_t            i;

	(void) state;
	for (i = 0; i < sizeof(known_codes) / sizeof(known_codes[0]); i++) {
		assert_int_equal(cc_rc(known_codes[i], &err), WAGE_OK);
	}
}

static void
test_validate_credit_code_wrong_check(void **state)
{
	struct wage_error err;

	(void) state;
	expect_invalid(cc_rc("91350100M000100Y44", &err), &err,
	    "employer.credit_code", "91350100M000100Y44");
	assert_non_null(strstr(err.message, "GB 32100"));
	expect_invalid(cc_rc("91350100M000100Y4A", &err), &err,
	    "employer.credit_code", NULL);
	/* Two body characters swapped. */
	expect_invalid(cc_rc("93150100M000100Y43", &err), &err,
	    "employer.credit_code", NULL);
}

static void
test_validate_credit_code_forbidden_letters(void **state)
{
	static const char forbidden[] = "IOSVZ";
	struct wage_error err;
	char              code[19];
	size_t            i;

	(void) state;
	for (i = 0; forbidden[i] != '\0'; i++) {
		memcpy(code, "91350100M000100Y43", 19);
		code[8] = forbidden[i];
		expect_invalid(
		    cc_rc(code, &err), &err, "employer.credit_code", code);
		assert_non_null(strstr(err.message, "except I, O, S, V, Z"));
	}
}

static void
test_validate_credit_code_lowercase(void **state)
{
	struct wage_error err;

	(void) state;
	expect_invalid(cc_rc("91350100m000100Y43", &err), &err,
	    "employer.credit_code", NULL);
	expect_invalid(cc_rc("91110000802100433b", &err), &err,
	    "employer.credit_code", NULL);
}

static void
test_validate_credit_code_wrong_length(void **state)
{
	struct wage_error err;

	(void) state;
	expect_invalid(cc_rc("91350100M000100Y4", &err), &err,
	    "employer.credit_code", NULL);
	expect_invalid(cc_rc("91350100M000100Y430", &err), &err,
	    "employer.credit_code", NULL);
	expect_invalid(cc_rc("", &err), &err, "employer.credit_code", NULL);
	expect_invalid(cc_rc(NULL, &err), &err, "employer.credit_code", NULL);
}

static int
phone_rc(const char *s, struct wage_error *err)
{
	wage_err_clear(err);
	return (validate_phone(s, "worker.phone", err));
}

static void
test_validate_phone(void **state)
{
	static const char *good[] = { "13800138000", "19912345678",
		"15012345678", "17000000000" };
	static const char *bad[]  = { "12345678901", "10012345678",
		 "23800138000", "1380013800", "138001380000", "1380013800a",
		 "+8613800138", "138 0013 80", "" };
	struct wage_error  err;
	size_t             i;

	(void) state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(phone_rc(good[i], &err), WAGE_OK);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_invalid(
		    phone_rc(bad[i], &err), &err, "worker.phone", bad[i]);
		assert_non_null(strstr(err.message, "11 digits"));
	}
	expect_invalid(phone_rc(NULL, &err), &err, "worker.phone", NULL);
}

/* A check that fails says what is wrong with the value. */
static void
test_validate_says_what_is_wrong(void **state)
{
	struct wage_error err;

	(void) state;
	expect_invalid(id_rc("11010519491231002", &err), &err, F, NULL);
	assert_non_null(strstr(err.message, "has 17 characters"));
	expect_invalid(id_rc("11010519491231002X0", &err), &err, F, NULL);
	assert_non_null(strstr(err.message, "more than 18"));
	expect_invalid(id_rc("1101051949123A002X", &err), &err, F, NULL);
	assert_non_null(strstr(err.message, "character 14 is not a digit"));
	expect_invalid(id_rc("11010519491231002Y", &err), &err, F, NULL);
	assert_non_null(strstr(err.message, "last character"));
	expect_invalid(phone_rc("1380013800", &err), &err, "worker.phone",
	    NULL);
	assert_non_null(strstr(err.message, "has 10 digits"));
	expect_invalid(phone_rc("138-0013800", &err), &err, "worker.phone",
	    NULL);
	assert_non_null(strstr(err.message, "character 4 is not a digit"));
	expect_invalid(phone_rc("12345678901", &err), &err, "worker.phone",
	    NULL);
	assert_non_null(strstr(err.message, "does not start 13 to 19"));
}

/* Numbers as people type them: spaces, dashes, full-width digits. */
static void
test_validate_normalise_number(void **state)
{
	char out[64];

	(void) state;
	assert_int_equal(validate_normalise_number("13800138000", out,
	                     sizeof(out)),
	    0);
	assert_string_equal(out, "13800138000");
	assert_int_equal(validate_normalise_number("138 0013-8000", out,
	                     sizeof(out)),
	    1);
	assert_string_equal(out, "13800138000");
	/* full-width digits, ideographic space, full-width X */
	assert_int_equal(validate_normalise_number("１１０１０５　１９４９１２３１"
	                                           "００２Ｘ",
	                     out, sizeof(out)),
	    1);
	assert_string_equal(out, "11010519491231002X");
	assert_int_equal(validate_normalise_number("11010519491231002x", out,
	                     sizeof(out)),
	    1);
	assert_string_equal(out, "11010519491231002X");
	/* Anything else is kept for validation to name. */
	assert_int_equal(validate_normalise_number("1380013800a", out,
	                     sizeof(out)),
	    0);
	assert_string_equal(out, "1380013800a");
	assert_int_equal(validate_normalise_number("王1", out, sizeof(out)),
	    0);
	assert_string_equal(out, "王1");
	/* No room: refused, not cut. */
	assert_int_equal(
	    validate_normalise_number("13800138000", out, 11), -1);
}

static void
test_validate_phone_message_never_echoes_value(void **state)
{
	struct wage_error err;

	(void) state;
	assert_int_not_equal(phone_rc("12800138000", &err), WAGE_OK);
	assert_null(strstr(err.message, "12800138000"));
	assert_null(strstr(err.message, "0013"));
	assert_int_not_equal(phone_rc("1380013800", &err), WAGE_OK);
	assert_null(strstr(err.message, "1380013800"));
}

static void
test_validate_region(void **state)
{
	static const char *good[] = { "110000", "370102", "820000", "650102",
		"110101" };
	static const char *bad[]  = { "000000", "100000", "830000", "990000",
		 "37010", "3701020", "37010a", "", "-70102" };
	struct wage_error  err;
	size_t             i;

	(void) state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		wage_err_clear(&err);
		assert_int_equal(
		    validate_region(good[i], "region", &err), WAGE_OK);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wage_err_clear(&err);
		expect_invalid(validate_region(bad[i], "region", &err), &err,
		    "region", NULL);
	}
	wage_err_clear(&err);
	expect_invalid(
	    validate_region(NULL, "region", &err), &err, "region", NULL);
}

static void
test_validate_region_within(void **state)
{
	(void) state;
	/* Province covers everything in it. */
	assert_true(validate_region_within("370102", "370000"));
	assert_true(validate_region_within("370202", "370000"));
	assert_true(validate_region_within("370000", "370000"));
	assert_false(validate_region_within("440304", "370000"));
	/* Prefecture covers its counties, not the neighbour's. */
	assert_true(validate_region_within("370102", "370100"));
	assert_true(validate_region_within("370100", "370100"));
	assert_false(validate_region_within("370202", "370100"));
	assert_false(validate_region_within("370000", "370100"));
	/* County covers only itself. */
	assert_true(validate_region_within("370102", "370102"));
	assert_false(validate_region_within("370103", "370102"));
	assert_false(validate_region_within("370100", "370102"));
	/* 000000 and garbage cover nothing and are in nothing. */
	assert_false(validate_region_within("370102", "000000"));
	assert_false(validate_region_within("000000", "000000"));
	assert_false(validate_region_within("37010", "370000"));
	assert_false(validate_region_within("370102", "37"));
	assert_false(validate_region_within(NULL, "370000"));
	assert_false(validate_region_within("370102", NULL));
}

static int
text_rc(const char *s, size_t len, size_t max, bool multiline, bool required,
    struct wage_error *err)
{
	wage_err_clear(err);
	return (validate_text(s, len, max, multiline, required, "facts", err));
}

static void
test_validate_utf8_counts_characters(void **state)
{
	struct wage_error err;
	const char       *name = "张三";

	(void) state;
	assert_int_equal(strlen(name), 6);
	assert_int_equal(validate_utf8_chars(name, strlen(name)), 2);
	assert_int_equal(validate_utf8_chars("", 0), 0);
	assert_int_equal(validate_utf8_chars("abc", 3), 3);
	/* 2-, 3- and 4-byte forms, including U+10FFFF. */
	assert_int_equal(
	    validate_utf8_chars("\xc2\xa9\xe2\x82\xac"
	                        "\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf",
	        13),
	    4);
	/* A name of 2 Chinese characters fits a 2-character limit. */
	assert_int_equal(
	    text_rc(name, strlen(name), 2, false, true, &err), WAGE_OK);
}

static void
test_validate_utf8_rejects_overlong(void **state)
{
	struct wage_error err;

	(void) state;
	assert_int_equal(validate_utf8_chars("\xc0\x80", 2), -1);
	assert_int_equal(validate_utf8_chars("\xc1\xbf", 2), -1);
	assert_int_equal(validate_utf8_chars("\xe0\x80\xaf", 3), -1);
	assert_int_equal(validate_utf8_chars("\xf0\x8f\xbf\xbf", 4), -1);
	expect_invalid(text_rc("a\xc0\x80z", 4, 100, true, false, &err), &err,
	    "facts", NULL);
	assert_non_null(strstr(err.message, "UTF-8"));
}

static void
test_validate_utf8_rejects_surrogates_and_above_max(void **state)
{
	(void) state;
	assert_int_equal(validate_utf8_chars("\xed\xa0\x80", 3), -1);
	assert_int_equal(validate_utf8_chars("\xed\xbf\xbf", 3), -1);
	/* U+D7FF and U+E000 either side are fine. */
	assert_int_equal(validate_utf8_chars("\xed\x9f\xbf", 3), 1);
	assert_int_equal(validate_utf8_chars("\xee\x80\x80", 3), 1);
	/* U+110000 and the never-valid lead bytes. */
	assert_int_equal(validate_utf8_chars("\xf4\x90\x80\x80", 4), -1);
	assert_int_equal(validate_utf8_chars("\xf5\x80\x80\x80", 4), -1);
	assert_int_equal(validate_utf8_chars("\xff", 1), -1);
}

static void
test_validate_utf8_rejects_truncated_and_stray(void **state)
{
	struct wage_error err;

	(void) state;
	/* "张" is E5 BC A0; cut after two bytes. */
	assert_int_equal(validate_utf8_chars("\xe5\xbc", 2), -1);
	assert_int_equal(validate_utf8_chars("\xe5\xbc\xa0", 3), 1);
	/* The len argument, not a NUL, ends the text. */
	assert_int_equal(validate_utf8_chars("\xe5\xbc\xa0", 2), -1);
	assert_int_equal(validate_utf8_chars("\xe5\xbc"
	                                     "a",
	                     3),
	    -1);
	assert_int_equal(validate_utf8_chars("\x80", 1), -1);
	assert_int_equal(validate_utf8_chars("a\xbf", 2), -1);
	expect_invalid(text_rc("\xe5\xbc", 2, 100, false, false, &err), &err,
	    "facts", NULL);
}

static void
test_validate_text_rejects_embedded_nul(void **state)
{
	struct wage_error err;

	(void) state;
	expect_invalid(
	    text_rc("ab\0cd", 5, 100, true, false, &err), &err, "facts", NULL);
	assert_non_null(strstr(err.message, "NUL"));
}

static void
test_validate_text_rejects_controls(void **state)
{
	struct wage_error err;

	(void) state;
	/* Line breaks and tabs only in multi-line text. */
	assert_int_equal(
	    text_rc("a\nb\tc", 5, 100, true, true, &err), WAGE_OK);
	expect_invalid(
	    text_rc("a\nb", 3, 100, false, true, &err), &err, "facts", NULL);
	expect_invalid(
	    text_rc("a\tb", 3, 100, false, true, &err), &err, "facts", NULL);
	/* CR, ESC, DEL and C1 (U+0085, U+009B) never. */
	expect_invalid(
	    text_rc("a\rb", 3, 100, true, true, &err), &err, "facts", NULL);
	expect_invalid(text_rc("a\x1b[31m", 6, 100, true, true, &err), &err,
	    "facts", NULL);
	expect_invalid(
	    text_rc("a\x7f", 2, 100, true, true, &err), &err, "facts", NULL);
	expect_invalid(text_rc("a\xc2\x85", 3, 100, true, true, &err), &err,
	    "facts", NULL);
	expect_invalid(text_rc("a\xc2\x9b", 3, 100, true, true, &err), &err,
	    "facts", NULL);
	/* U+00A0 is just past C1 and is allowed. */
	assert_int_equal(text_rc("a\xc2\xa0"
	                         "b",
	                     4, 100, false, true, &err),
	    WAGE_OK);
}

static void
test_validate_text_max_chars_boundary(void **state)
{
	struct wage_error err;
	/* 4 characters, 12 bytes. */
	const char *s = "拖欠工资";

	(void) state;
	assert_int_equal(text_rc(s, strlen(s), 4, false, true, &err), WAGE_OK);
	expect_invalid(
	    text_rc(s, strlen(s), 3, false, true, &err), &err, "facts", s);
	assert_non_null(strstr(err.message, "at most 3 characters"));
	assert_int_equal(text_rc("abcd", 4, 4, false, true, &err), WAGE_OK);
	expect_invalid(
	    text_rc("abcde", 5, 4, false, true, &err), &err, "facts", NULL);
}

static void
test_validate_text_required(void **state)
{
	struct wage_error err;

	(void) state;
	expect_invalid(
	    text_rc("", 0, 10, false, true, &err), &err, "facts", NULL);
	expect_invalid(
	    text_rc(NULL, 0, 10, false, true, &err), &err, "facts", NULL);
	expect_invalid(
	    text_rc("   ", 3, 10, false, true, &err), &err, "facts", NULL);
	/* The full-width space of Chinese input methods is blank too. */
	expect_invalid(
	    text_rc("\xe3\x80\x80\xe3\x80\x80", 6, 10, false, true, &err),
	    &err, "facts", NULL);
	expect_invalid(
	    text_rc(" \n\t", 3, 10, true, true, &err), &err, "facts", NULL);
	/* Optional text may be empty. */
	assert_int_equal(text_rc("", 0, 10, false, false, &err), WAGE_OK);
	assert_int_equal(text_rc(NULL, 0, 10, false, false, &err), WAGE_OK);
	assert_int_equal(text_rc(" 李四 ", 8, 10, false, true, &err), WAGE_OK);
}

static int
date_rc(const char *s, struct civil_date *d, struct wage_error *err)
{
	wage_err_clear(err);
	return (validate_date(s, d, "date", err));
}

static void
test_validate_date_leap_years(void **state)
{
	struct wage_error err;
	struct civil_date d;

	(void) state;
	assert_int_equal(date_rc("2024-02-29", &d, &err), WAGE_OK);
	assert_int_equal(d.y, 2024);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 29);
	assert_int_equal(date_rc("2000-02-29", &d, &err), WAGE_OK);
	expect_invalid(date_rc("2023-02-29", &d, &err), &err, "date", NULL);
	expect_invalid(date_rc("1900-02-29", &d, &err), &err, "date", NULL);
	assert_true(civil_date_valid(2024, 2, 29));
	assert_true(civil_date_valid(2000, 2, 29));
	assert_false(civil_date_valid(1900, 2, 29));
	assert_false(civil_date_valid(2100, 2, 29));
	assert_false(civil_date_valid(2023, 2, 29));
}

static void
test_validate_date_form(void **state)
{
	static const char *bad[] = { "2024-2-1", "2024-13-01", "2024-00-10",
		"2024-01-00", "2024-04-31", "2024-01-32", "2024/01/01",
		"20240101", "2024-01-01 ", " 2024-01-01", "2024-01-1a",
		"1899-12-31", "+024-01-01", "", "2024-01" };
	struct wage_error  err;
	struct civil_date  d;
	size_t             i;

	(void) state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_invalid(date_rc(bad[i], &d, &err), &err, "date", NULL);
		assert_non_null(strstr(err.message, "YYYY-MM-DD"));
	}
	expect_invalid(date_rc(NULL, &d, &err), &err, "date", NULL);
	assert_int_equal(date_rc("1900-01-01", &d, &err), WAGE_OK);
	assert_int_equal(date_rc("9999-12-31", &d, &err), WAGE_OK);
	assert_int_equal(date_rc("2024-12-31", NULL, &err), WAGE_OK);
}

static void
test_validate_month(void **state)
{
	struct wage_error err;
	struct civil_date d;

	(void) state;
	wage_err_clear(&err);
	assert_int_equal(
	    validate_month("2024-02", &d, "month", &err), WAGE_OK);
	assert_int_equal(d.y, 2024);
	assert_int_equal(d.m, 2);
	assert_int_equal(d.d, 1);
	expect_invalid(
	    validate_month("2024-13", &d, "month", &err), &err, "month", NULL);
	expect_invalid(
	    validate_month("2024-00", &d, "month", &err), &err, "month", NULL);
	expect_invalid(
	    validate_month("2024-2", &d, "month", &err), &err, "month", NULL);
	expect_invalid(validate_month("2024-02-01", &d, "month", &err), &err,
	    "month", NULL);
	expect_invalid(
	    validate_month(NULL, &d, "month", &err), &err, "month", NULL);
}

static void
test_validate_civil_date_helpers(void **state)
{
	struct civil_date a = { 2024, 2, 29 }, b = { 2024, 3, 1 }, t;
	char              buf[11];

	(void) state;
	assert_true(civil_date_cmp(&a, &b) < 0);
	assert_true(civil_date_cmp(&b, &a) > 0);
	assert_int_equal(civil_date_cmp(&a, &a), 0);
	civil_date_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "2024-02-29");
	civil_date_today(&t);
	assert_true(civil_date_valid(t.y, t.m, t.d));
	assert_true(t.y >= 2024);
}

static void
test_validate_fen(void **state)
{
	struct wage_error err;

	(void) state;
	assert_int_equal(validate_fen(0, false, "amount", &err), WAGE_OK);
	expect_invalid(
	    validate_fen(0, true, "amount", &err), &err, "amount", NULL);
	assert_int_equal(validate_fen(1, true, "amount", &err), WAGE_OK);
	expect_invalid(
	    validate_fen(-1, false, "amount", &err), &err, "amount", NULL);
	expect_invalid(
	    validate_fen(-1, true, "amount", &err), &err, "amount", NULL);
	expect_invalid(validate_fen(INT64_MIN, false, "amount", &err), &err,
	    "amount", NULL);
	assert_int_equal(
	    validate_fen(WAGE_MAX_AMOUNT_FEN, true, "amount", &err), WAGE_OK);
	assert_int_equal(
	    validate_fen(WAGE_MAX_AMOUNT_FEN, false, "amount", &err), WAGE_OK);
	expect_invalid(
	    validate_fen(WAGE_MAX_AMOUNT_FEN + 1, true, "amount", &err), &err,
	    "amount", NULL);
	expect_invalid(
	    validate_fen(WAGE_MAX_AMOUNT_FEN + 1, false, "amount", &err), &err,
	    "amount", NULL);
}

static void
test_validate_mask_id(void **state)
{
	char buf[19];

	(void) state;
	validate_mask_id("37010219800229123X", buf, sizeof(buf));
	assert_string_equal(buf, "370102********123X");
	validate_mask_id("11010519491231002x", buf, sizeof(buf));
	assert_string_equal(buf, "110105********002x");
	validate_mask_id("3701021980022912", buf, sizeof(buf));
	assert_string_equal(buf, "******************");
	validate_mask_id("37010219800229123X9", buf, sizeof(buf));
	assert_string_equal(buf, "******************");
	validate_mask_id(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "******************");
	/* A short buffer is still terminated and shows no more. */
	validate_mask_id("37010219800229123X", buf, 7);
	assert_string_equal(buf, "370102");
}

static void
test_validate_mask_phone(void **state)
{
	char buf[12];

	(void) state;
	validate_mask_phone("13812345678", buf, sizeof(buf));
	assert_string_equal(buf, "138****5678");
	validate_mask_phone("1381234567", buf, sizeof(buf));
	assert_string_equal(buf, "***********");
	validate_mask_phone("", buf, sizeof(buf));
	assert_string_equal(buf, "***********");
	validate_mask_phone(NULL, buf, sizeof(buf));
	assert_string_equal(buf, "***********");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_id_known_valid),
		cmocka_unit_test(test_validate_id_generated_valid),
		cmocka_unit_test(test_validate_id_lowercase_x_accepted),
		cmocka_unit_test(test_validate_id_broken_checksum),
		cmocka_unit_test(test_validate_id_bad_length),
		cmocka_unit_test(test_validate_id_letters_in_body),
		cmocka_unit_test(test_validate_id_feb30_birth_date),
		cmocka_unit_test(test_validate_id_future_birth_date),
		cmocka_unit_test(test_validate_id_message_never_echoes_value),
		cmocka_unit_test(test_validate_id_null_err_is_safe),
		cmocka_unit_test(test_validate_credit_code_valid),
		cmocka_unit_test(test_validate_credit_code_wrong_check),
		cmocka_unit_test(test_validate_credit_code_forbidden_letters),
		cmocka_unit_test(test_validate_credit_code_lowercase),
		cmocka_unit_test(test_validate_credit_code_wrong_length),
		cmocka_unit_test(test_validate_phone),
		cmocka_unit_test(test_validate_says_what_is_wrong),
		cmocka_unit_test(test_validate_normalise_number),
		cmocka_unit_test(
		    test_validate_phone_message_never_echoes_value),
		cmocka_unit_test(test_validate_region),
		cmocka_unit_test(test_validate_region_within),
		cmocka_unit_test(test_validate_utf8_counts_characters),
		cmocka_unit_test(test_validate_utf8_rejects_overlong),
		cmocka_unit_test(
		    test_validate_utf8_rejects_surrogates_and_above_max),
		cmocka_unit_test(
		    test_validate_utf8_rejects_truncated_and_stray),
		cmocka_unit_test(test_validate_text_rejects_embedded_nul),
		cmocka_unit_test(test_validate_text_rejects_controls),
		cmocka_unit_test(test_validate_text_max_chars_boundary),
		cmocka_unit_test(test_validate_text_required),
		cmocka_unit_test(test_validate_date_leap_years),
		cmocka_unit_test(test_validate_date_form),
		cmocka_unit_test(test_validate_month),
		cmocka_unit_test(test_validate_civil_date_helpers),
		cmocka_unit_test(test_validate_fen),
		cmocka_unit_test(test_validate_mask_id),
		cmocka_unit_test(test_validate_mask_phone),
	};

	return (cmocka_run_group_tests_name("validate", tests, NULL, NULL));
}
