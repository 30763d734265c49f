/*
 * rates.c — rates per 100 / 10,000 / N, row-level and as aggregates.
 *
 * A rate over several forces is a ratio of sums, over the rows where both counts are
 * present (pairwise complete), never a mean of force rates, and it is never capped at 100:
 * arrests and crimes are counted over the same period but are not linked record by record.
 *
 * Aggregate state: da.rate_state, a fixed 40-byte pass-by-reference type (SQL-visible, so
 * parallel query needs no serialize step and Citus can push the aggregate down). Sums are
 * int64 with overflow checks; the numeric result is built only in the final function.
 * The state is updated in place when called as an aggregate (as float8_accum does).
 */
#include "da_stats.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"

typedef struct RateState
{
	int64		num;			/* sum of numerators over usable rows */
	int64		den;			/* sum of denominators over usable rows */
	int64		rows;			/* number of usable rows */
	int64		per;			/* multiplier; 0 = not yet known (taken from the rows) */
	float8		level;			/* confidence level; 0 = not yet known */
} RateState;

#define RATE_STATE_FIELDS 5

PG_FUNCTION_INFO_V1(ds_per_100);
PG_FUNCTION_INFO_V1(ds_per_10k);
PG_FUNCTION_INFO_V1(ds_per_n);
PG_FUNCTION_INFO_V1(rate_state_in);
PG_FUNCTION_INFO_V1(rate_state_out);
PG_FUNCTION_INFO_V1(rate_state_recv);
PG_FUNCTION_INFO_V1(rate_state_send);
PG_FUNCTION_INFO_V1(rate_accum_int8);
PG_FUNCTION_INFO_V1(rate_accum_int4);
PG_FUNCTION_INFO_V1(rate_retract_int8);
PG_FUNCTION_INFO_V1(rate_retract_int4);
PG_FUNCTION_INFO_V1(proportion_accum_int8);
PG_FUNCTION_INFO_V1(rate_combine);
PG_FUNCTION_INFO_V1(rate_final);
PG_FUNCTION_INFO_V1(rate_wilson_final);
PG_FUNCTION_INFO_V1(rate_poisson_final);
PG_FUNCTION_INFO_V1(rate_state_rows);

/* ---------- row-level rates ---------- */

static Datum
rate_scalar(FunctionCallInfo fcinfo, int64 per)
{
	int64		num = PG_GETARG_INT64(0);
	int64		den = PG_GETARG_INT64(1);

	ds_check_count(num, "numerator");
	ds_check_count(den, "denominator");
	if (den == 0)
		PG_RETURN_NULL();		/* "a rate couldn't be calculated" */
	return ds_rate_numeric(num, den, per);
}

Datum
ds_per_100(PG_FUNCTION_ARGS)
{
	return rate_scalar(fcinfo, 100);
}

Datum
ds_per_10k(PG_FUNCTION_ARGS)
{
	return rate_scalar(fcinfo, 10000);
}

Datum
ds_per_n(PG_FUNCTION_ARGS)
{
	int64		per = PG_GETARG_INT64(2);

	ds_check_per(per);
	return rate_scalar(fcinfo, per);
}

/* ---------- the state type: text form (num,den,rows,per,level) ---------- */

static void
rate_state_check(const RateState *s)
{
	if (s->num < 0 || s->den < 0 || s->rows < 0 || s->per < 0 ||
		!(s->level >= 0.0 && s->level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid da.rate_state value"),
				 errdetail("Sums, rows and per must be >= 0 and level in [0, 1).")));
	/* a level is only ever stored after ds_check_level accepted it */
	if (s->level != 0.0)
		ds_check_level(s->level);
}

Datum
rate_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *copy = pstrdup(str);
	char	   *fields[RATE_STATE_FIELDS];
	RateState  *s;

	if (!ds_split_state_text(copy, fields, RATE_STATE_FIELDS))
		goto bad;

	s = (RateState *) palloc(sizeof(RateState));
	s->num = pg_strtoint64(fields[0]);
	s->den = pg_strtoint64(fields[1]);
	s->rows = pg_strtoint64(fields[2]);
	s->per = pg_strtoint64(fields[3]);
	s->level = ds_float8in(fields[4], "da.rate_state", str);
	rate_state_check(s);
	PG_RETURN_POINTER(s);

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type da.rate_state: \"%s\"", str),
			 errdetail("Expected (num,den,rows,per,level).")));
	PG_RETURN_NULL();			/* keep the compiler quiet */
}

Datum
rate_state_out(PG_FUNCTION_ARGS)
{
	RateState  *s = (RateState *) PG_GETARG_POINTER(0);
	char		level[DOUBLE_SHORTEST_DECIMAL_LEN];

	/* shortest exact form whatever extra_float_digits says: the text must read back equal */
	double_to_shortest_decimal_buf(s->level, level);

	PG_RETURN_CSTRING(psprintf("(" INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT ","
							   INT64_FORMAT ",%s)", s->num, s->den, s->rows, s->per, level));
}

Datum
rate_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RateState  *s = (RateState *) palloc(sizeof(RateState));

	s->num = pq_getmsgint64(buf);
	s->den = pq_getmsgint64(buf);
	s->rows = pq_getmsgint64(buf);
	s->per = pq_getmsgint64(buf);
	s->level = pq_getmsgfloat8(buf);
	rate_state_check(s);
	PG_RETURN_POINTER(s);
}

Datum
rate_state_send(PG_FUNCTION_ARGS)
{
	RateState  *s = (RateState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, s->num);
	pq_sendint64(&buf, s->den);
	pq_sendint64(&buf, s->rows);
	pq_sendint64(&buf, s->per);
	pq_sendfloat8(&buf, s->level);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rate_state_rows(PG_FUNCTION_ARGS)
{
	RateState  *s = (RateState *) PG_GETARG_POINTER(0);

	PG_RETURN_INT64(s->rows);
}

/* ---------- transition ---------- */

static inline RateState *
rate_state_for_update(FunctionCallInfo fcinfo)
{
	return (RateState *) ds_state_for_update(fcinfo, sizeof(RateState));
}

/* A multiplier or level given per row must be the same on every row of the group. */
static void
rate_state_set_per(RateState *s, int64 per)
{
	ds_check_per(per);
	if (s->per == 0)
		s->per = per;
	else if (s->per != per)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the \"per\" multiplier must be the same on every row"),
				 errdetail("Saw " INT64_FORMAT " and " INT64_FORMAT ".", s->per, per)));
}

static void
rate_state_set_level(RateState *s, double level)
{
	if (s->level != 0.0 && level == s->level)
		return;					/* the usual row: already checked when first stored */
	ds_check_level(level);
	if (s->level == 0.0)
		s->level = level;
	else if (s->level != level)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the confidence level must be the same on every row"),
				 errdetail("Saw %g and %g.", s->level, level)));
}

/* Optional trailing arguments: (state, num, den [, per [, level]]). */
static void
rate_state_take_options(FunctionCallInfo fcinfo, RateState *s)
{
	if (PG_NARGS() > 3)
		rate_state_set_per(s, PG_GETARG_INT64(3));
	if (PG_NARGS() > 4)
		rate_state_set_level(s, PG_GETARG_FLOAT8(4));
}

static Datum
rate_accum(FunctionCallInfo fcinfo, int64 num, int64 den)
{
	RateState  *s = rate_state_for_update(fcinfo);

	ds_check_count(num, "numerator");
	ds_check_count(den, "denominator");
	rate_state_take_options(fcinfo, s);
	s->num = ds_add_count(s->num, num, "numerators");
	s->den = ds_add_count(s->den, den, "denominators");
	s->rows = ds_add_count(s->rows, 1, "rows");
	PG_RETURN_POINTER(s);
}

Datum
rate_accum_int8(PG_FUNCTION_ARGS)
{
	return rate_accum(fcinfo, PG_GETARG_INT64(1), PG_GETARG_INT64(2));
}

Datum
rate_accum_int4(PG_FUNCTION_ARGS)
{
	return rate_accum(fcinfo, PG_GETARG_INT32(1), PG_GETARG_INT32(2));
}

/* For proportions each row must itself be a proportion: part <= whole. */
Datum
proportion_accum_int8(PG_FUNCTION_ARGS)
{
	int64		x = PG_GETARG_INT64(1);
	int64		n = PG_GETARG_INT64(2);

	if (x > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("numerator must not exceed denominator for a proportion"),
				 errdetail("The numerator was " INT64_FORMAT " and the denominator " INT64_FORMAT ".", x, n),
				 errhint("For events that can outnumber the denominator (arrests per crime) use da.rate_ci_agg.")));
	return rate_accum(fcinfo, x, n);
}

/* Moving-aggregate inverse: exact, because the sums are integers. */
static Datum
rate_retract(FunctionCallInfo fcinfo, int64 num, int64 den)
{
	RateState  *s = rate_state_for_update(fcinfo);

	ds_check_count(num, "numerator");
	ds_check_count(den, "denominator");
	/* only what was added can be removed: the sums and rows never go below zero */
	if (s->rows == 0 || num > s->num || den > s->den)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a row (" INT64_FORMAT ", " INT64_FORMAT ") from da.rate_state "
						"(" INT64_FORMAT ", " INT64_FORMAT ") of " INT64_FORMAT " rows",
						num, den, s->num, s->den, s->rows),
				 errdetail("Sums and row counts never go below zero: only what was added can be removed.")));
	s->num -= num;
	s->den -= den;
	s->rows--;
	PG_RETURN_POINTER(s);
}

Datum
rate_retract_int8(PG_FUNCTION_ARGS)
{
	return rate_retract(fcinfo, PG_GETARG_INT64(1), PG_GETARG_INT64(2));
}

Datum
rate_retract_int4(PG_FUNCTION_ARGS)
{
	return rate_retract(fcinfo, PG_GETARG_INT32(1), PG_GETARG_INT32(2));
}

Datum
rate_combine(PG_FUNCTION_ARGS)
{
	RateState  *a = rate_state_for_update(fcinfo);
	RateState  *b = (RateState *) PG_GETARG_POINTER(1);

	if (b->per != 0)
		rate_state_set_per(a, b->per);
	if (b->level != 0.0)
		rate_state_set_level(a, b->level);
	a->num = ds_add_count(a->num, b->num, "numerators");
	a->den = ds_add_count(a->den, b->den, "denominators");
	a->rows = ds_add_count(a->rows, b->rows, "rows");
	PG_RETURN_POINTER(a);
}

/* ---------- final functions (never modify the state) ---------- */

Datum
rate_final(PG_FUNCTION_ARGS)
{
	RateState  *s = (RateState *) PG_GETARG_POINTER(0);

	if (s->den == 0 || s->per == 0)
		PG_RETURN_NULL();		/* no usable rows, or a zero denominator */
	return ds_rate_numeric(s->num, s->den, s->per);
}

Datum
rate_wilson_final(PG_FUNCTION_ARGS)
{
	RateState  *s = (RateState *) PG_GETARG_POINTER(0);
	double		lower,
				upper;

	if (s->den == 0)
		PG_RETURN_NULL();
	if (s->num > s->den)		/* a rate state, not a proportion's */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("numerator must not exceed denominator for a proportion"),
				 errdetail("The sums were " INT64_FORMAT " and " INT64_FORMAT ".", s->num, s->den)));
	ds_wilson_limits((double) s->num, (double) s->den, ds_level_z(s->level), &lower, &upper);
	return ds_make_conf_interval(fcinfo, lower * s->per, false, upper * s->per, "Wilson");
}

Datum
rate_poisson_final(PG_FUNCTION_ARGS)
{
	RateState  *s = (RateState *) PG_GETARG_POINTER(0);
	double		lower,
				upper;
	bool		lower_null;
	DsPoissonMethod used;
	double		scale;

	if (s->den == 0)
		PG_RETURN_NULL();
	used = ds_poisson_limits(s->num, s->level, DS_POISSON_AUTO, &lower, &upper, &lower_null);
	scale = (double) s->per / (double) s->den;
	return ds_make_conf_interval(fcinfo, lower * scale, lower_null, upper * scale,
								 ds_poisson_method_name(used));
}
