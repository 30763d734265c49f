/*
 * compat.h — the few PostgreSQL API differences between the majors da_stats supports
 * (15 to 18), each behind PG_VERSION_NUM so the C files can use one spelling.
 */
#ifndef DA_STATS_COMPAT_H
#define DA_STATS_COMPAT_H

#include "postgres.h"

/*
 * PostgreSQL 16 added a soft-error context as the last argument of float8in_internal
 * (utils/float.h); we want errors raised, so pass NULL there.
 */
#if PG_VERSION_NUM >= 160000
#define ds_float8in(num, type_name, orig) \
	float8in_internal((num), NULL, (type_name), (orig), NULL)
#else
#define ds_float8in(num, type_name, orig) \
	float8in_internal((num), NULL, (type_name), (orig))
#endif

/*
 * PostgreSQL 18 replaced the trailing pg_attribute_noreturn() by pg_noreturn, written before
 * the declaration; older majors take the same attribute in that position.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

#endif							/* DA_STATS_COMPAT_H */
