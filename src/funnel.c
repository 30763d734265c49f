/*
 * funnel.c — funnel-plot control limits and the classification of a unit against the
 * all-unit baseline, as used for official indicators in England (PHE / UKHSA):
 *
 *   proportion x/n vs baseline p0:  limits p0 -/+ z sqrt(p0 (1 - p0) / n), clipped to [0, 1]
 *                                   (the score test: the observed share lies inside exactly
 *                                   when the Wilson interval around it covers p0);
 *   observed count O vs expected E: exact Poisson — O is high when the lower exact limit of O
 *                                   exceeds E, low when the upper exact limit is below E.
 *
 * Labels name the level: 'High (99.8%)', 'High (95%)', 'Not significant', 'Low (95%)',
 * 'Low (99.8%)'.  A unit outside 99.8% is "notably different" and is queried with the force.
 */
#include "da_stats.h"

#include <math.h>

#include "utils/builtins.h"

#include "distributions.h"

PG_FUNCTION_INFO_V1(ds_funnel_prop_limits);
PG_FUNCTION_INFO_V1(ds_funnel_prop_flag);
PG_FUNCTION_INFO_V1(ds_funnel_ratio_flag);

#define Z95   1.959963984540054
#define Z998  3.090232306167813

static void
check_nonneg(double v, const char *argname)
{
	if (!(v >= 0.0) || isinf(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number >= 0", argname),
				 errdetail("It was %g.", v)));
}

static void
check_baseline(double p0)
{
	if (!(p0 >= 0.0 && p0 <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("baseline proportion must be between 0 and 1"),
				 errdetail("It was %g.", p0),
				 errhint("Pass the all-unit proportion sum(x) / sum(n), not a percentage.")));
}

static void
prop_limits(double n, double p0, double z, double *lower, double *upper)
{
	double		half = z * sqrt(p0 * (1.0 - p0) / n);

	*lower = fmax(0.0, p0 - half);
	*upper = fmin(1.0, p0 + half);
}

/* da.funnel_prop_limits(n, baseline, level) -> da.conf_interval (method 'Funnel') */
Datum
ds_funnel_prop_limits(PG_FUNCTION_ARGS)
{
	double		n = PG_GETARG_FLOAT8(0);
	double		p0 = PG_GETARG_FLOAT8(1);
	double		z = ds_level_z(PG_GETARG_FLOAT8(2));
	double		lower,
				upper;

	check_nonneg(n, "denominator");
	check_baseline(p0);
	if (n == 0.0)
		PG_RETURN_NULL();
	prop_limits(n, p0, z, &lower, &upper);
	return ds_make_conf_interval(fcinfo, lower, false, upper, "Funnel (proportion)");
}

static const char *
label(bool high998, bool low998, bool high95, bool low95)
{
	if (high998)
		return "High (99.8%)";
	if (low998)
		return "Low (99.8%)";
	if (high95)
		return "High (95%)";
	if (low95)
		return "Low (95%)";
	return "Not significant";
}

/* da.funnel_prop_flag(x, n, baseline) */
Datum
ds_funnel_prop_flag(PG_FUNCTION_ARGS)
{
	double		x = PG_GETARG_FLOAT8(0);
	double		n = PG_GETARG_FLOAT8(1);
	double		p0 = PG_GETARG_FLOAT8(2);
	double		p,
				l95, u95, l998, u998;

	check_nonneg(x, "numerator");
	check_nonneg(n, "denominator");
	check_baseline(p0);
	if (x > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("numerator must not exceed denominator for a proportion"),
				 errdetail("The numerator was %g and the denominator %g.", x, n),
				 errhint("For events that can outnumber the denominator use da.funnel_rate_flag.")));
	if (n == 0.0)
		PG_RETURN_NULL();
	p = x / n;
	prop_limits(n, p0, Z95, &l95, &u95);
	prop_limits(n, p0, Z998, &l998, &u998);
	PG_RETURN_TEXT_P(cstring_to_text(label(p > u998, p < l998, p > u95, p < l95)));
}

/* da.funnel_ratio_flag(observed, expected): exact Poisson limits of the observed count. */
Datum
ds_funnel_ratio_flag(PG_FUNCTION_ARGS)
{
	int64		o = PG_GETARG_INT64(0);
	double		e = PG_GETARG_FLOAT8(1);
	double		od = (double) o;
	double		l95, u95, l998, u998;

	ds_check_count(o, "observed count");
	check_nonneg(e, "expected count");
	if (e == 0.0)
		PG_RETURN_NULL();
	l95 = (o == 0) ? 0.0 : ds_qgamma(0.025, od);
	u95 = ds_qgamma(0.975, od + 1.0);
	l998 = (o == 0) ? 0.0 : ds_qgamma(0.001, od);
	u998 = ds_qgamma(0.999, od + 1.0);
	PG_RETURN_TEXT_P(cstring_to_text(label(l998 > e, u998 < e, l95 > e, u95 < e)));
}
