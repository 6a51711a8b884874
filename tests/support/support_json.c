/* SPDX-License-Identifier: MIT */
/*
 * support_json.c - members of jansson objects for tests (support_json.h).
 */
#include "support_json.h"

const char *
tsupport_jstr(const json_t *o, const char *k)
{
	return (json_string_value(json_object_get(o, k)));
}

json_int_t
tsupport_jnum(const json_t *o, const char *k)
{
	return (json_integer_value(json_object_get(o, k)));
}
