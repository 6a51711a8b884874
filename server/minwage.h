/* SPDX-License-Identifier: MIT */
/*
 * minwage.h - the local monthly minimum wage, versioned by region and
 * effective date (policies/minimum-wage/NAME.yaml), and the final-award limit
 * derived from it (劳动争议调解仲裁法 Art 47: a claim not above 12 x the
 * local monthly minimum wage is final for the employer).
 *
 * A table file covers one region (a province, "370000"): sets of tier
 * amounts in yuan, each with the date it took effect, and lists of the
 * counties (6-digit GB/T 2260 codes) or whole cities (4-digit prefixes) in
 * each tier but the last; counties not listed are in the last tier.
 *
 * A loaded struct minwage is immutable and may be shared between threads;
 * the lookups are pure (no allocation, no I/O). Amounts are integer fen.
 */
#ifndef WAGE_MINWAGE_H
#define WAGE_MINWAGE_H

#include <stddef.h>
#include <stdio.h>

#include "validate.h"

#define MINWAGE_MAX_TIERS 6 /* tiers (档) in one table */

struct minwage;

/*
 * minwage_load_buffer loads one table held in buf (len bytes); name is
 * used in diagnostics. Every problem is printed to diag (may be NULL) as
 * "name:line: what is wrong", checking goes on so that one run shows them
 * all, and the count is stored in *nerrors (may be NULL). Refused: unknown
 * keys; a region that is not a GB/T 2260 code; no sets; effective dates
 * not strictly ascending; tiers that are not 1..N with the same N in every
 * set, not positive yuan amounts (at most 2 decimals), or rising from tier
 * 1 down; a code that is not 6 digits (a county) or 4 (a whole city), lies
 * outside the region, or is listed twice or in two tiers (a city and one
 * of its counties count as the same place); a list for the last tier.
 * Returns WAGE_OK and sets *out (free with minwage_free), or
 * WAGE_E_INVALID_ARGUMENT (problems found) or WAGE_E_INTERNAL (out of
 * memory) with *out NULL.
 */
int minwage_load_buffer(const char *name, const char *buf, size_t len,
    struct minwage **out, FILE *diag, int *nerrors);

/* minwage_load_file reads path whole and loads it as minwage_load_buffer. */
int minwage_load_file(
    const char *path, struct minwage **out, FILE *diag, int *nerrors);

/*
 * minwage_load_dir loads every *.yaml in dir (dot files ignored), one
 * table each; two tables whose regions overlap are refused. An empty
 * directory gives tables for no region. Returns as minwage_load_buffer.
 */
int minwage_load_dir(
    const char *dir, struct minwage **out, FILE *diag, int *nerrors);

/* minwage_free releases m; NULL is allowed. */
void minwage_free(struct minwage *m);

/*
 * minwage_hash returns the SHA-256 (64 lower-case hex digits) of the
 * loaded files' bytes concatenated in file-name order. Owned by m.
 */
const char *minwage_hash(const struct minwage *m);

/*
 * minwage_monthly_fen sets *fen to the monthly minimum wage in fen in
 * force on date on (the latest set whose effective date is on or before
 * it) for region6, a 6-digit county code, and *tier (may be NULL) to its
 * tier (1 = highest). A city or province code is answered only when every
 * county in it is in the same tier.
 * Returns WAGE_OK; WAGE_E_NOT_FOUND when no table covers region6 (m may be
 * NULL) or on precedes every set; WAGE_E_INVALID_ARGUMENT when region6 or
 * on is malformed, or region6 is a city or province whose counties are in
 * different tiers. On failure *fen and *tier are 0.
 */
int minwage_monthly_fen(const struct minwage *m, const char *region6,
    struct civil_date on, long long *fen, int *tier);

/*
 * minwage_final_limit_fen sets *fen to 12 x the monthly minimum wage
 * (劳动争议调解仲裁法 Art 47), else as minwage_monthly_fen.
 */
int minwage_final_limit_fen(const struct minwage *m, const char *region6,
    struct civil_date on, long long *fen, int *tier);

#endif /* WAGE_MINWAGE_H */
