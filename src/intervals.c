/*
 * intervals.c — confidence intervals by the methods used for official statistics in England:
 *
 *   proportion x of n (x <= n):  Wilson score interval;
 *   rate, x events per n:        Byar's approximation for x >= 10, exact Poisson below
 *                                (gamma quantiles), as Public Health England / UKHSA do.
 *
 * Limits are computed in double precision (the quantile functions are good to ~1e-14) and
 * returned as numeric so that round(x, 1) works.
 */
#include "da_stats.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "distributions.h"

PG_FUNCTION_INFO_V1(ds_wilson_ci);
PG_FUNCTION_INFO_V1(ds_wilson_ci_lower);
PG_FUNCTION_INFO_V1(ds_wilson_ci_upper);
PG_FUNCTION_INFO_V1(ds_rate_ci);
PG_FUNCTION_INFO_V1(ds_rate_ci_lower);
PG_FUNCTION_INFO_V1(ds_rate_ci_upper);

/* ---------- the methods ---------- */

void
ds_wilson_limits(double x, double n, double z, double *lower, double *upper)
{
	double		z2 = z * z;
	double		spread = z * sqrt(z2 + 4.0 * x * (1.0 - x / n));
	double		denom = 2.0 * (n + z2);

	*lower = (2.0 * x + z2 - spread) / denom;
	*upper = (2.0 * x + z2 + spread) / denom;
	/* At x = 0 or x = n the formula gives the bound itself up to rounding: pin it. */
	if (x == 0.0)
		*lower = 0.0;
	if (x == n)
		*upper = 1.0;
}

const char *
ds_poisson_method_name(DsPoissonMethod method)
{
	return method == DS_POISSON_BYAR ? "Byar" : "Exact";
}

DsPoissonMethod
ds_poisson_limits(int64 x, double level, DsPoissonMethod method,
				  double *lower, double *upper, bool *lower_null)
{
	double		alpha = 1.0 - level;

	ds_check_level(level);
	*lower_null = false;
	if (method == DS_POISSON_AUTO)
		method = (x >= 10) ? DS_POISSON_BYAR : DS_POISSON_EXACT;

	if (method == DS_POISSON_BYAR)
	{
		double		z = ds_level_z(level);
		double		xd = (double) x;
		double		x1 = xd + 1.0;
		double		base_lo = 1.0 - 1.0 / (9.0 * xd) - z / (3.0 * sqrt(xd));
		double		base_hi = 1.0 - 1.0 / (9.0 * x1) + z / (3.0 * sqrt(x1));

		/* Byar's lower limit does not exist at x = 0 or when the cube's base goes negative. */
		if (x == 0 || base_lo < 0.0)
		{
			*lower = 0.0;
			*lower_null = true;
		}
		else
			*lower = xd * base_lo * base_lo * base_lo;
		*upper = x1 * base_hi * base_hi * base_hi;
	}
	else
	{
		/* chi2(a/2; 2x)/2 and chi2(1-a/2; 2x+2)/2 are gamma quantiles with shape x, x+1. */
		*lower = (x == 0) ? 0.0 : ds_qgamma(alpha / 2.0, (double) x);
		*upper = ds_qgamma(1.0 - alpha / 2.0, (double) x + 1.0);
	}
	return method;
}

Datum
ds_make_conf_interval(FunctionCallInfo fcinfo, double lower, bool lower_null,
					  double upper, const char *method)
{
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	values[0] = lower_null ? (Datum) 0 : ds_float8_numeric(lower);
	nulls[0] = lower_null;
	values[1] = ds_float8_numeric(upper);
	values[2] = CStringGetTextDatum(method);
	return ds_form_row(fcinfo, values, nulls);
}

/* ---------- Wilson, row level: (x, n, per, level) ---------- */

/* Returns false when there is no interval (n = 0). */
static bool
wilson_args(FunctionCallInfo fcinfo, double *lower, double *upper)
{
	int64		x = PG_GETARG_INT64(0);
	int64		n = PG_GETARG_INT64(1);
	int64		per = PG_GETARG_INT64(2);
	double		level = PG_GETARG_FLOAT8(3);
	double		z;

	ds_check_count(x, "numerator");
	ds_check_count(n, "denominator");
	ds_check_per(per);
	z = ds_level_z(level);
	if (x > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("numerator must not exceed denominator for a proportion"),
				 errdetail("The numerator was " INT64_FORMAT " and the denominator " INT64_FORMAT ".", x, n),
				 errhint("For events that can outnumber the denominator (arrests per crime) use da.rate_ci.")));
	if (n == 0)
		return false;
	ds_wilson_limits((double) x, (double) n, z, lower, upper);
	*lower *= per;
	*upper *= per;
	return true;
}

Datum
ds_wilson_ci(PG_FUNCTION_ARGS)
{
	double		lower,
				upper;

	if (!wilson_args(fcinfo, &lower, &upper))
		PG_RETURN_NULL();
	return ds_make_conf_interval(fcinfo, lower, false, upper, "Wilson");
}

Datum
ds_wilson_ci_lower(PG_FUNCTION_ARGS)
{
	double		lower,
				upper;

	if (!wilson_args(fcinfo, &lower, &upper))
		PG_RETURN_NULL();
	return ds_float8_numeric(lower);
}

Datum
ds_wilson_ci_upper(PG_FUNCTION_ARGS)
{
	double		lower,
				upper;

	if (!wilson_args(fcinfo, &lower, &upper))
		PG_RETURN_NULL();
	return ds_float8_numeric(upper);
}

/* ---------- Poisson rate, row level: (x, n, per, level, method) ---------- */

static DsPoissonMethod
parse_method(text *t)
{
	char	   *m = text_to_cstring(t);

	if (pg_strcasecmp(m, "auto") == 0)
		return DS_POISSON_AUTO;
	if (pg_strcasecmp(m, "byar") == 0)
		return DS_POISSON_BYAR;
	if (pg_strcasecmp(m, "exact") == 0)
		return DS_POISSON_EXACT;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown interval method \"%s\"", m),
			 errhint("Use 'auto' (Byar for 10 or more events, exact below), 'byar' or 'exact'.")));
	return DS_POISSON_AUTO;		/* not reached */
}

typedef struct PoissonResult
{
	double		lower;
	double		upper;
	bool		lower_null;
	DsPoissonMethod method;
} PoissonResult;

static bool
rate_ci_args(FunctionCallInfo fcinfo, PoissonResult *r)
{
	int64		x = PG_GETARG_INT64(0);
	int64		n = PG_GETARG_INT64(1);
	int64		per = PG_GETARG_INT64(2);
	double		level = PG_GETARG_FLOAT8(3);
	DsPoissonMethod method = parse_method(PG_GETARG_TEXT_PP(4));
	double		scale;

	ds_check_count(x, "numerator");
	ds_check_count(n, "denominator");
	ds_check_per(per);
	ds_check_level(level);
	if (n == 0)
		return false;
	r->method = ds_poisson_limits(x, level, method, &r->lower, &r->upper, &r->lower_null);
	scale = (double) per / (double) n;
	r->lower *= scale;
	r->upper *= scale;
	return true;
}

Datum
ds_rate_ci(PG_FUNCTION_ARGS)
{
	PoissonResult r;

	if (!rate_ci_args(fcinfo, &r))
		PG_RETURN_NULL();
	return ds_make_conf_interval(fcinfo, r.lower, r.lower_null, r.upper,
								 ds_poisson_method_name(r.method));
}

Datum
ds_rate_ci_lower(PG_FUNCTION_ARGS)
{
	PoissonResult r;

	if (!rate_ci_args(fcinfo, &r) || r.lower_null)
		PG_RETURN_NULL();
	return ds_float8_numeric(r.lower);
}

Datum
ds_rate_ci_upper(PG_FUNCTION_ARGS)
{
	PoissonResult r;

	if (!rate_ci_args(fcinfo, &r))
		PG_RETURN_NULL();
	return ds_float8_numeric(r.upper);
}
