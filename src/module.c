/*
 * module.c — the extension's module magic and the argument checks and numeric helpers
 * that every concept file shares, so errors read the same everywhere.
 */
#include "da_stats.h"

#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

#include "distributions.h"

PG_MODULE_MAGIC;

void
ds_report_negative_count(int64 value, const char *argname)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s must not be negative", argname),
			 errdetail("The %s was " INT64_FORMAT ".", argname, value),
			 errhint("Counts of crimes, arrests, outcomes and people are never negative; check the source return.")));
}

/* The hook of distributions.h: the numerical core's long loops are cancellable. */
void
ds_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

void
ds_check_level(double level)
{
	if (!(level > 0.0 && level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level must be strictly between 0 and 1"),
				 errdetail("The level was %g.", level),
				 (level >= 1.0 && level < 100.0) ?
				 errhint("Write the level as a fraction: 0.95 for 95%%, 0.998 for 99.8%%.") : 0));

	/*
	 * So close to 1 that 1 - (1 - level)/2 rounds to 1: the normal quantile, and with it
	 * every limit, would be infinite.
	 */
	if (!isfinite(ds_qnorm(1.0 - (1.0 - level) / 2.0)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level %.17g is too close to 1", level),
				 errdetail("Its normal quantile is not finite in double precision."),
				 errhint("Use a level of at most 0.9999999999999998.")));
}

void
ds_check_per(int64 per)
{
	if (per <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the \"per\" multiplier must be positive"),
				 errdetail("It was " INT64_FORMAT ".", per),
				 errhint("Use 100 for a rate per 100, 10000 for a rate per 10,000.")));
}

double
ds_level_z(double level)
{
	ds_check_level(level);
	/* Upper quantile of the two-sided interval; 1 - level is exact enough for any level used. */
	return ds_qnorm(1.0 - (1.0 - level) / 2.0);
}

Datum
ds_rate_numeric(int64 num, int64 den, int64 per)
{
	Numeric		product;
	Numeric		quotient;

	product = numeric_mul_opt_error(int64_to_numeric(num), int64_to_numeric(per), NULL);
	quotient = numeric_div_opt_error(product, int64_to_numeric(den), NULL);
	/* 45.0000000000000000 -> 45: the division's padding zeros carry no information. */
	return DirectFunctionCall1(numeric_trim_scale, NumericGetDatum(quotient));
}

Datum
ds_float8_numeric(double value)
{
	/* Every float8 result leaves through here: never a NaN or an infinity. */
	if (unlikely(!isfinite(value)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("result is out of range"),
				 errdetail("A limit or statistic computed from these arguments is %s.",
						   isnan(value) ? "not a number" : "infinite"),
				 errhint("Check that the arguments are in the range of real counts.")));
	return DirectFunctionCall1(float8_numeric, Float8GetDatum(value));
}

void
ds_report_count_overflow(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sum of %s is out of range for type bigint", what)));
}

Datum
ds_form_row(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/*
 * Split the text form of a state, "(f1,f2,...)", in place into exactly nfields fields: blanks
 * are allowed around the parentheses (each field is parsed, and its own blanks judged, by the
 * caller). false when the parentheses or the number of fields are wrong.
 */
bool
ds_split_state_text(char *str, char **fields, int nfields)
{
	char	   *p = str;
	size_t		len;
	int			n = 0;

	while (ds_is_blank(*p))
		p++;
	len = strlen(p);
	while (len > 0 && ds_is_blank(p[len - 1]))
		p[--len] = '\0';
	if (len < 2 || p[0] != '(' || p[len - 1] != ')')
		return false;
	p[len - 1] = '\0';
	p++;
	for (;;)
	{
		char	   *comma = strchr(p, ',');

		if (n == nfields)
			return false;
		fields[n++] = p;
		if (comma == NULL)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	return n == nfields;
}
