/*
 * da_stats.h — declarations shared by the C files of the da_stats extension.
 *
 * One file per concept: rates.c (per-100 rates and their aggregate state), intervals.c
 * (Wilson and Poisson confidence limits), distributions.c (quantile functions, no PostgreSQL
 * dependencies). This header holds the small pieces they share: argument checks with uniform
 * error messages, and numeric helpers.
 */
#ifndef DA_STATS_H
#define DA_STATS_H

#include "postgres.h"
#include "fmgr.h"

#include "compat.h"

#include "common/int.h"

/* The error paths of the inline checks below, kept out of line (they are cold). */
pg_noreturn extern void ds_report_negative_count(int64 value, const char *argname);
pg_noreturn extern void ds_report_count_overflow(const char *what);

/*
 * Raise 22023 unless a count is >= 0.  argname is the SQL argument name (e.g. "numerator").
 * Inline: it runs once per row in every aggregate.
 */
static inline void
ds_check_count(int64 value, const char *argname)
{
	if (unlikely(value < 0))
		ds_report_negative_count(value, argname);
}

/* Raise 22023 unless 0 < level < 1, with a hint for the "95 instead of 0.95" mistake. */
extern void ds_check_level(double level);

/* Raise 22023 unless per > 0. */
extern void ds_check_per(int64 per);

/* z = Phi^-1(1 - (1 - level)/2) for a two-sided interval at the given level. */
extern double ds_level_z(double level);

/* Exact numeric per * num / den (den != 0); built only when a result is returned. */
extern Datum ds_rate_numeric(int64 num, int64 den, int64 per);

/* A finite double as numeric. */
extern Datum ds_float8_numeric(double value);

/* Checked int64 addition / subtraction for sums of counts: 22003 on overflow. */
static inline int64
ds_add_count(int64 a, int64 b, const char *what)
{
	int64		result;

	if (unlikely(pg_add_s64_overflow(a, b, &result)))
		ds_report_count_overflow(what);
	return result;
}

static inline int64
ds_sub_count(int64 a, int64 b, const char *what)
{
	int64		result;

	if (unlikely(pg_sub_s64_overflow(a, b, &result)))
		ds_report_count_overflow(what);
	return result;
}

/*
 * Confidence limits, in the units of the count (callers scale by per/n).
 * Wilson: proportion x of n, limits in [0, 1].
 * Poisson: limits on the expected count for an observed count x; method "auto" picks
 * Byar for x >= 10 and exact below.  *lower_null is set when Byar's lower limit
 * does not exist (forced Byar at tiny x and high level).
 */
typedef enum
{
	DS_POISSON_AUTO,
	DS_POISSON_BYAR,
	DS_POISSON_EXACT
} DsPoissonMethod;

extern void ds_wilson_limits(double x, double n, double z, double *lower, double *upper);
extern DsPoissonMethod ds_poisson_limits(int64 x, double level, DsPoissonMethod method,
										 double *lower, double *upper, bool *lower_null);
extern const char *ds_poisson_method_name(DsPoissonMethod method);

/*
 * The transition state to update (argument 0, not NULL): the aggregate's own copy, in place,
 * or a fresh copy when called directly from SQL (a plain call must not scribble on its input).
 * Inline: it runs once per row in every aggregate.
 */
static inline void *
ds_state_for_update(FunctionCallInfo fcinfo, Size size)
{
	void	   *state = PG_GETARG_POINTER(0);

	if (AggCheckCallContext(fcinfo, NULL))
		return state;
	return memcpy(palloc(size), state, size);
}

/* A row of the function's declared composite result type. */
extern Datum ds_form_row(FunctionCallInfo fcinfo, Datum *values, bool *nulls);

/* Blanks of the text forms of our state types (what isspace() means in the C locale). */
static inline bool
ds_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* "(f1,...,fn)" split in place into exactly nfields fields; false when malformed. */
extern bool ds_split_state_text(char *str, char **fields, int nfields);

/* Build a da.conf_interval (lower numeric, upper numeric, method text) result. */
extern Datum ds_make_conf_interval(FunctionCallInfo fcinfo, double lower, bool lower_null,
								   double upper, const char *method);

#endif							/* DA_STATS_H */
