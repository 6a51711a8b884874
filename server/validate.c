/* SPDX-License-Identifier: MIT */
/*
 * validate.c - checks of what comes in from the wire.
 * Owns: the rules for resident ID numbers (GB 11643), unified social credit
 * codes (GB 32100), mobile numbers, region codes (GB/T 2260), civil dates,
 * money in fen and UTF-8 text, and the masking of ID numbers and phones.
 * Must not: allocate, log, do I/O, keep state, or put the value checked
 * into an error message (it may be personal data).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"
#include "validate.h"

#define ID_LEN     18
#define CREDIT_LEN 18
#define PHONE_LEN  11

static const int  id_weights[ID_LEN - 1] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7,
	 9, 10, 5, 8, 4, 2 };
static const char id_checks[]            = "10X98765432";

static const char credit_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int  credit_weights[CREDIT_LEN - 1] = { 1, 3, 9, 27, 19, 26, 16,
	 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

/* Locale-independent: isdigit() may accept more in some locales. */
static bool
is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i])) {
			return (false);
		}
	}
	return (true);
}

/* digits_value reads n (<= 9) decimal digits already known to be digits. */
static int
digits_value(const char *s, size_t n)
{
	size_t i;
	int    v = 0;

	for (i = 0; i < n; i++) {
		v = v * 10 + (s[i] - '0');
	}
	return (v);
}

/* exact_len is true when s is exactly n bytes, without reading past n. */
static bool
exact_len(const char *s, size_t n)
{
	return (s != NULL && strnlen(s, n + 1) == n);
}

static int
invalid(struct wage_error *err, const char *field, const char *msg)
{
	return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field, "%s", msg));
}

static bool
is_leap(int y)
{
	return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0);
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };

	if (m == 2 && is_leap(y)) {
		return (29);
	}
	return (days[m - 1]);
}

bool
civil_date_valid(int y, int m, int d)
{
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) {
		return (false);
	}
	return (d <= days_in_month(y, m));
}

int
civil_date_cmp(const struct civil_date *a, const struct civil_date *b)
{
	if (a->y != b->y) {
		return (a->y < b->y ? -1 : 1);
	}
	if (a->m != b->m) {
		return (a->m < b->m ? -1 : 1);
	}
	if (a->d != b->d) {
		return (a->d < b->d ? -1 : 1);
	}
	return (0);
}

/*
 * Today in China Standard Time (timefmt.h has the UTC+8 rule). time(),
 * not clock_gettime(): tests/clocks move it forward by LD_PRELOAD.
 */
void
civil_date_today(struct civil_date *out)
{
	struct tm tm;

	if (timefmt_local((int64_t) time(NULL), &tm) != 0) {
		out->y = 1970;
		out->m = 1;
		out->d = 1;
		return;
	}
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
}

void
civil_date_format(const struct civil_date *d, char *buf, size_t len)
{
	if (buf == NULL || len == 0) {
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02d", d->y, d->m, d->d);
}

int
validate_id_number(const char *s, const char *field, struct wage_error *err)
{
	struct civil_date birth, today;
	size_t            i, n;
	int               sum = 0;
	char              check;

	n = s != NULL ? strnlen(s, ID_LEN + 1) : 0;
	if (n != ID_LEN) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "has %s%zu characters; it must be 18 characters: 17 "
		    "digits then a digit or X",
		    n > ID_LEN ? "more than " : "", n > ID_LEN ? ID_LEN : n));
	}
	for (i = 0; i < ID_LEN - 1; i++) {
		if (!is_digit(s[i])) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    field,
			    "character %zu is not a digit: an ID number is "
			    "17 digits then a digit or X",
			    i + 1));
		}
	}
	if (!(is_digit(s[ID_LEN - 1]) || s[ID_LEN - 1] == 'X' ||
	        s[ID_LEN - 1] == 'x')) {
		return (invalid(err, field,
		    "the last character (the check character) must be a "
		    "digit or X"));
	}
	for (i = 0; i < ID_LEN - 1; i++) {
		sum += (s[i] - '0') * id_weights[i];
	}
	check = s[ID_LEN - 1] == 'x' ? 'X' : s[ID_LEN - 1];
	if (check != id_checks[sum % 11]) {
		return (invalid(err, field,
		    "check character does not match (GB 11643 checksum): "
		    "re-type the number from the ID card"));
	}
	birth.y = digits_value(s + 6, 4);
	birth.m = digits_value(s + 10, 2);
	birth.d = digits_value(s + 12, 2);
	if (!civil_date_valid(birth.y, birth.m, birth.d)) {
		return (invalid(err, field,
		    "birth date in characters 7-14 is not a real date "
		    "(YYYYMMDD, 1900-01-01 or later)"));
	}
	civil_date_today(&today);
	if (civil_date_cmp(&birth, &today) > 0) {
		return (invalid(err, field,
		    "birth date in characters 7-14 is in the future"));
	}
	return (WAGE_OK);
}

static int
credit_value(char c)
{
	const char *p;

	if (c == '\0') {
		return (-1);
	}
	p = strchr(credit_alphabet, c);
	return (p == NULL ? -1 : (int) (p - credit_alphabet));
}

int
validate_credit_code(const char *s, const char *field, struct wage_error *err)
{
	size_t i;
	int    sum = 0, v, check;

	if (!exact_len(s, CREDIT_LEN)) {
		return (invalid(err, field,
		    "must be 18 characters from 0-9 and upper-case A-Z "
		    "except I, O, S, V, Z"));
	}
	for (i = 0; i < CREDIT_LEN; i++) {
		if (credit_value(s[i]) < 0) {
			return (invalid(err, field,
			    "may contain only 0-9 and upper-case A-Z "
			    "except I, O, S, V, Z (GB 32100)"));
		}
	}
	for (i = 0; i < CREDIT_LEN - 1; i++) {
		sum += credit_value(s[i]) * credit_weights[i];
	}
	check = 31 - sum % 31;
	if (check == 31) {
		check = 0;
	}
	v = credit_value(s[CREDIT_LEN - 1]);
	if (v != check) {
		return (invalid(err, field,
		    "check character does not match (GB 32100 checksum): "
		    "re-type the code from the business licence"));
	}
	return (WAGE_OK);
}

int
validate_phone(const char *s, const char *field, struct wage_error *err)
{
	size_t n = s != NULL ? strnlen(s, PHONE_LEN + 1) : 0, i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i])) {
			return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT,
			    field,
			    "character %zu is not a digit: a mainland mobile "
			    "number must be 11 digits starting 13 to 19",
			    i + 1));
		}
	}
	if (n != PHONE_LEN) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "has %s%zu digits; a mainland mobile number must be 11 "
		    "digits starting 13 to 19",
		    n > PHONE_LEN ? "more than " : "",
		    n > PHONE_LEN ? PHONE_LEN : n));
	}
	if (s[0] != '1' || s[1] < '3') {
		return (invalid(err, field,
		    "does not start 13 to 19: a mainland mobile number must "
		    "be 11 digits starting 13 to 19"));
	}
	return (WAGE_OK);
}

/* region_ok: 6 digits, province 11..82 (which also excludes 000000). */
static bool
region_ok(const char *s)
{
	int province;

	if (!exact_len(s, WAGE_REGION_LEN) ||
	    !all_digits(s, WAGE_REGION_LEN)) {
		return (false);
	}
	province = digits_value(s, 2);
	return (province >= 11 && province <= 82);
}

int
validate_region(const char *s, const char *field, struct wage_error *err)
{
	if (!exact_len(s, WAGE_REGION_LEN) ||
	    !all_digits(s, WAGE_REGION_LEN)) {
		return (invalid(
		    err, field, "must be a 6-digit GB/T 2260 region code"));
	}
	if (!region_ok(s)) {
		return (invalid(err, field,
		    "province part (first 2 digits) must be 11 to 82"));
	}
	return (WAGE_OK);
}

/*
 * A scope ending in 0000 is a province, one ending in 00 a prefecture;
 * anything else names one county-level division and covers only itself.
 */
bool
validate_region_within(const char *region, const char *scope)
{
	size_t prefix;

	if (!region_ok(region) || !region_ok(scope)) {
		return (false);
	}
	if (memcmp(scope + 2, "0000", 4) == 0) {
		prefix = 2;
	} else if (memcmp(scope + 4, "00", 2) == 0) {
		prefix = 4;
	} else {
		prefix = WAGE_REGION_LEN;
	}
	return (memcmp(region, scope, prefix) == 0);
}

/*
 * utf8_next decodes one code point at s[*i] (strictly: no overlongs, no
 * surrogates, nothing above U+10FFFF, no truncation), advances *i and
 * returns the code point, or -1 if the bytes are not valid UTF-8.
 */
static long
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	unsigned char c = s[*i];
	size_t        n, k;
	long          cp, min;

	if (c < 0x80) {
		*i += 1;
		return (c);
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n   = 1;
		cp  = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n   = 2;
		cp  = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n   = 3;
		cp  = c & 0x07;
		min = 0x10000;
	} else {
		/* 0x80-0xbf stray continuation, 0xc0/0xc1 overlong, > 0xf4. */
		return (-1);
	}
	if (len - *i <= n) {
		return (-1);
	}
	for (k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80) {
			return (-1);
		}
		cp = (cp << 6) | (s[*i + k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		return (-1);
	}
	*i += n + 1;
	return (cp);
}

long
validate_utf8_chars(const char *s, size_t len)
{
	size_t i = 0;
	long   n = 0;

	if (s == NULL) {
		return (len == 0 ? 0 : -1);
	}
	while (i < len) {
		if (utf8_next((const unsigned char *) s, len, &i) < 0) {
			return (-1);
		}
		n++;
	}
	return (n);
}

/*
 * is_blank: Unicode White_Space, plus the zero-width space and BOM, so that
 * a required name of only U+3000 (the full-width space of Chinese input
 * methods) or invisible characters counts as empty.
 */
static bool
is_blank(long cp)
{
	return (cp == ' ' || (cp >= 0x09 && cp <= 0x0d) || cp == 0x85 ||
	    cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200b) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	    cp == 0x3000 || cp == 0xfeff);
}

static bool
is_control(long cp, bool multiline)
{
	if (cp < 0x20) {
		return (!(multiline && (cp == '\n' || cp == '\t')));
	}
	return (cp == 0x7f || (cp >= 0x80 && cp <= 0x9f));
}

int
validate_text(const char *s, size_t len, size_t max_chars, bool multiline,
    bool required, const char *field, struct wage_error *err)
{
	size_t i = 0, chars = 0;
	bool   blank = true;
	long   cp;

	if (s == NULL && len != 0) {
		return (invalid(err, field, "must be UTF-8 text"));
	}
	while (i < len) {
		cp = utf8_next((const unsigned char *) s, len, &i);
		if (cp < 0) {
			return (invalid(err, field,
			    "is not valid UTF-8 text: send it as UTF-8"));
		}
		if (cp == 0) {
			return (
			    invalid(err, field, "must not contain NUL bytes"));
		}
		if (is_control(cp, multiline)) {
			return (invalid(err, field,
			    multiline
			        ? "must not contain control characters other "
			          "than line breaks and tabs"
			        : "must be one line without control "
			          "characters, "
			          "line breaks or tabs"));
		}
		if (!is_blank(cp)) {
			blank = false;
		}
		chars++;
	}
	if (chars > max_chars) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "must be at most %zu characters", max_chars));
	}
	if (required && blank) {
		return (invalid(err, field,
		    "is required and must not be empty or only spaces"));
	}
	return (WAGE_OK);
}

static void
clear_date(struct civil_date *out)
{
	if (out != NULL) {
		out->y = 0;
		out->m = 0;
		out->d = 0;
	}
}

int
validate_date(const char *s, struct civil_date *out, const char *field,
    struct wage_error *err)
{
	int y, m, d;

	if (!exact_len(s, 10) || !all_digits(s, 4) || s[4] != '-' ||
	    !all_digits(s + 5, 2) || s[7] != '-' || !all_digits(s + 8, 2)) {
		clear_date(out);
		return (invalid(err, field,
		    "must be a date YYYY-MM-DD, e.g. 2026-11-20 (not "
		    "2026/11/20 or 2026年11月20日)"));
	}
	y = digits_value(s, 4);
	m = digits_value(s + 5, 2);
	d = digits_value(s + 8, 2);
	if (!civil_date_valid(y, m, d)) {
		clear_date(out);
		return (invalid(err, field,
		    "must be a real date YYYY-MM-DD in the years 1900 to "
		    "9999"));
	}
	if (out != NULL) {
		out->y = y;
		out->m = m;
		out->d = d;
	}
	return (WAGE_OK);
}

int
validate_month(const char *s, struct civil_date *out, const char *field,
    struct wage_error *err)
{
	int y, m;

	if (!exact_len(s, 7) || !all_digits(s, 4) || s[4] != '-' ||
	    !all_digits(s + 5, 2)) {
		clear_date(out);
		return (invalid(err, field,
		    "must be a month YYYY-MM, e.g. 2026-09 (not 2026/9 or "
		    "2026年9月)"));
	}
	y = digits_value(s, 4);
	m = digits_value(s + 5, 2);
	if (!civil_date_valid(y, m, 1)) {
		clear_date(out);
		return (invalid(err, field,
		    "must be a real month YYYY-MM (01 to 12) in the years "
		    "1900 to 9999"));
	}
	if (out != NULL) {
		out->y = y;
		out->m = m;
		out->d = 1;
	}
	return (WAGE_OK);
}

/*
 * The upper bound applies whether or not zero is allowed: above 1e9 yuan
 * is a typing error either way.
 */
int
validate_fen(
    long long v, bool positive, const char *field, struct wage_error *err)
{
	if (positive && v <= 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "must be an amount in fen greater than 0 and at most %lld",
		    WAGE_MAX_AMOUNT_FEN));
	}
	if (v < 0) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "must be an amount in fen of 0 or more and at most %lld",
		    WAGE_MAX_AMOUNT_FEN));
	}
	if (v > WAGE_MAX_AMOUNT_FEN) {
		return (wage_err_set(err, WAGE_E_INVALID_ARGUMENT, field,
		    "must be at most %lld fen (1,000,000,000 yuan)",
		    WAGE_MAX_AMOUNT_FEN));
	}
	return (WAGE_OK);
}

/*
 * mask_into shows the first `head` and last `tail` characters of s when it
 * is exactly n ASCII letters or digits, and '*' everywhere else; any other
 * input becomes n '*' so that neither its length nor a split multi-byte
 * character can leak.
 */
static void
mask_into(
    const char *s, size_t n, size_t head, size_t tail, char *buf, size_t len)
{
	char   tmp[32];
	size_t i;
	bool   show = exact_len(s, n);

	for (i = 0; show && i < n; i++) {
		if (!is_digit(s[i]) &&
		    !((s[i] >= 'A' && s[i] <= 'Z') ||
		        (s[i] >= 'a' && s[i] <= 'z'))) {
			show = false;
		}
	}
	for (i = 0; i < n; i++) {
		tmp[i] = show && (i < head || i >= n - tail) ? s[i] : '*';
	}
	tmp[n] = '\0';
	if (buf != NULL && len > 0) {
		snprintf(buf, len, "%s", tmp);
	}
}

void
validate_mask_id(const char *id, char *buf, size_t len)
{
	mask_into(id, ID_LEN, 6, 4, buf, len);
}

void
validate_mask_phone(const char *phone, char *buf, size_t len)
{
	mask_into(phone, PHONE_LEN, 3, 4, buf, len);
}

/*
 * One code point of a number as people type it: what it stands for in
 * the normal spelling (a digit, 'X'), or 0 to drop it (a space or dash),
 * or -1 to keep it as it is (validation then says what is wrong).
 */
static int
number_char(uint32_t cp)
{
	if (cp >= 0xFF10 && cp <= 0xFF19) { /* full-width digits */
		return ((int) ('0' + (cp - 0xFF10)));
	}
	switch (cp) {
	case 0xFF38: /* Ｘ */
	case 0xFF58: /* ｘ */
	case 'x':
		return ('X');
	case ' ':
	case '-':
	case 0x3000: /* ideographic space */
	case 0x00A0: /* no-break space */
	case 0xFF0D: /* full-width hyphen-minus */
	case 0x2010:
	case 0x2011:
	case 0x2012:
	case 0x2013:
	case 0x2014:
	case 0x2212: /* minus sign */
		return (0);
	default:
		return (-1);
	}
}

int
validate_normalise_number(const char *in, char *out, size_t len)
{
	const unsigned char *p = (const unsigned char *) in;
	size_t               o = 0, k, n;
	uint32_t             cp;
	int                  c, changed = 0;

	while (*p != '\0') {
		/* Decode one UTF-8 sequence (the text was checked valid). */
		if (*p < 0x80) {
			cp = *p;
			n  = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = *p & 0x1F;
			n  = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = *p & 0x0F;
			n  = 3;
		} else {
			cp = *p & 0x07;
			n  = 4;
		}
		for (k = 1; k < n; k++) {
			if ((p[k] & 0xC0) != 0x80) {
				return (-1);
			}
			cp = (cp << 6) | (p[k] & 0x3F);
		}
		c = number_char(cp);
		if (c < 0) {
			if (o + n >= len) {
				return (-1);
			}
			memcpy(out + o, p, n);
			o += n;
		} else if (c > 0) {
			if (o + 1 >= len) {
				return (-1);
			}
			out[o++] = (char) c;
			if (n != 1 || (uint32_t) c != cp) {
				changed = 1;
			}
		} else {
			changed = 1;
		}
		p += n;
	}
	if (o >= len) {
		return (-1);
	}
	out[o] = '\0';
	return (changed);
}
