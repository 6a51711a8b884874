/* SPDX-License-Identifier: MIT */
/*
 * validate.h - checks of what comes in from the wire: Chinese resident ID
 * numbers (GB 11643), unified social credit codes (GB 32100), mobile
 * numbers, region codes (GB/T 2260), civil dates, money in fen, UTF-8 text.
 * Pure functions: no allocation, no I/O, no logging, thread-safe.
 * Messages never echo the value checked (it may be personal data).
 */
#ifndef WAGE_VALIDATE_H
#define WAGE_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wage/protocol.h"

/* A civil date (Asia/Shanghai); y 1900..9999, m 1..12, d 1..31. */
struct civil_date {
	int y, m, d;
};

/*
 * validate_id_number checks an 18-character resident ID number: 17 digits
 * then a check character (digit or upper/lower-case X), the GB 11643
 * checksum, and that characters 7-14 are a real date (YYYYMMDD) not after
 * today and not before 1900-01-01. Returns WAGE_OK or
 * WAGE_E_INVALID_ARGUMENT with err filled (field as given).
 */
int validate_id_number(
    const char *s, const char *field, struct wage_error *err);

/*
 * validate_credit_code checks an 18-character unified social credit code:
 * characters from 0123456789ABCDEFGHJKLMNPQRTUWXY (upper case only) and the
 * GB 32100 check character. Returns WAGE_OK or WAGE_E_INVALID_ARGUMENT.
 */
int validate_credit_code(
    const char *s, const char *field, struct wage_error *err);

/*
 * validate_normalise_number writes the ID number or phone in (valid UTF-8)
 * into out (len bytes) as people mean it: spaces and dashes (ASCII,
 * full-width, ideographic) dropped, full-width digits made ASCII, x and
 * full-width X made 'X'. Anything else is kept, for validation to name.
 * Returns 1 when out differs from in, 0 when it is the same, -1 when out
 * has no room (or in is not UTF-8).
 */
int validate_normalise_number(const char *in, char *out, size_t len);

/* validate_phone checks a mainland mobile number: 11 digits, 1[3-9]... */
int validate_phone(const char *s, const char *field, struct wage_error *err);

/*
 * validate_region checks a 6-digit GB/T 2260 code: digits only, province
 * part 11..82, not "000000". Returns WAGE_OK or WAGE_E_INVALID_ARGUMENT.
 */
int validate_region(const char *s, const char *field, struct wage_error *err);

/*
 * validate_region_within returns true when region (6 digits) lies within
 * scope (6 digits): 370000 covers 37xxxx, 370100 covers 3701xx, 370102
 * covers only itself. 000000 is not a valid scope and covers nothing.
 */
bool validate_region_within(const char *region, const char *scope);

/*
 * validate_text checks that s is valid UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF), has no NUL or C0/C1 control characters other
 * than '\n' and '\t' when multiline is true (none at all otherwise), is not
 * empty or only white space when required is true, and has at most
 * max_chars code points. Returns WAGE_OK or WAGE_E_INVALID_ARGUMENT.
 */
int validate_text(const char *s, size_t len, size_t max_chars, bool multiline,
    bool required, const char *field, struct wage_error *err);

/* validate_utf8_chars returns the number of code points, or -1 if invalid. */
long validate_utf8_chars(const char *s, size_t len);

/*
 * validate_date parses "YYYY-MM-DD" (exactly that form) into *out and
 * checks it is a real date in 1900..9999. Returns WAGE_OK or
 * WAGE_E_INVALID_ARGUMENT ("must be a date YYYY-MM-DD").
 */
int validate_date(const char *s, struct civil_date *out, const char *field,
    struct wage_error *err);

/* validate_month parses "YYYY-MM" into *out (d = 1). */
int validate_month(const char *s, struct civil_date *out, const char *field,
    struct wage_error *err);

/*
 * validate_fen checks an amount of money in integer fen: 0 < v <=
 * WAGE_MAX_AMOUNT_FEN when positive is true, 0 <= v otherwise.
 */
int validate_fen(
    long long v, bool positive, const char *field, struct wage_error *err);

/* civil_date_cmp returns <0, 0, >0 as a is before, equal to, after b. */
int civil_date_cmp(const struct civil_date *a, const struct civil_date *b);

/* civil_date_today fills *out with today's date in Asia/Shanghai (UTC+8). */
void civil_date_today(struct civil_date *out);

/* civil_date_format writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void civil_date_format(const struct civil_date *d, char *buf, size_t len);

/* civil_date_valid returns true when y-m-d is a real date in 1900..9999. */
bool civil_date_valid(int y, int m, int d);

/*
 * validate_mask_id writes a masked ID number into buf (>= 19 bytes):
 * the first 6 and the last 4 characters shown, the rest '*'
 * (370102********123X). Anything not 18 characters becomes all '*'.
 */
void validate_mask_id(const char *id, char *buf, size_t len);

/* validate_mask_phone writes 138****5678 into buf (>= 12 bytes). */
void validate_mask_phone(const char *phone, char *buf, size_t len);

#endif /* WAGE_VALIDATE_H */
