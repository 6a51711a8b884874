/* SPDX-License-Identifier: MIT */
/*
 * support_ids.h - valid identifiers for test data, worked out here apart
 * from server/validate.c: the check character of a resident ID number
 * (GB 11643) and of a unified social credit code (GB 32100). Part of
 * libwage-testsupport.a. Must not: call validate.c, which the tests check.
 */
#ifndef WAGE_SUPPORT_IDS_H
#define WAGE_SUPPORT_IDS_H

/*
 * tsupport_id_number writes into out the 18-character ID number whose
 * first 17 characters are the digits of body, then its check character
 * (a digit or X), and a NUL. body must be 17 digits.
 */
void tsupport_id_number(const char *body, char out[19]);

/*
 * tsupport_credit_code writes into out the 18-character credit code whose
 * first 17 characters are body, then its check character, and a NUL.
 * body must be 17 characters of the code's alphabet (digits and capitals
 * but I, O, S, V and Z).
 */
void tsupport_credit_code(const char *body, char out[19]);

#endif /* WAGE_SUPPORT_IDS_H */
