/* SPDX-License-Identifier: MIT */
/*
 * support_json.h - reading members of jansson objects in test assertions,
 * where a missing member or one of another type is simply NULL or 0 and
 * the assertion that follows says what was wrong. Part of
 * libwage-testsupport.a.
 */
#ifndef WAGE_SUPPORT_JSON_H
#define WAGE_SUPPORT_JSON_H

#include <jansson.h>

/*
 * tsupport_jstr returns member k of o if it is a string (borrowed: valid
 * while o holds it), else NULL; o may be NULL or not an object.
 */
const char *tsupport_jstr(const json_t *o, const char *k);

/* tsupport_jnum returns member k of o if it is an integer, else 0. */
json_int_t tsupport_jnum(const json_t *o, const char *k);

#endif /* WAGE_SUPPORT_JSON_H */
