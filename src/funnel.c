/*
 * funnel.c — funnel-plot control limits and the classification of a unit against the
 * all-unit baseline, as used for official indicators in England (PHE / UKHSA):
 *
 *   proportion x/n vs baseline p0:  limits p0 -/+ z sqrt(p0 (1 - p0) / n), clipped to [0, 1].
 *                                   These are the shares at which the Wilson (score) interval
 *                                   of the share itself ends exactly on p0: a share is inside
 *                                   the funnel exactly when its Wilson interval covers p0.
 *   observed count O vs expected E: exact Poisson.  O is high at level 1 - alpha when the exact
 *                                   lower limit of O, qgamma(alpha/2, O), exceeds E, that is
 *                                   when P(O, E) < alpha/2; low when the exact upper limit,
 *                                   qgamma(1 - alpha/2, O + 1), is below E, that is when
 *                                   Q(O + 1, E) < alpha/2 (P, Q: regularised incomplete gamma).
 *                                   The funnel's limits at E are the (continuous) counts on
 *                                   that boundary: upper U with P(U, E) = alpha/2, lower L with
 *                                   Q(L + 1, E) = alpha/2 (0 when E <= -log(alpha/2)).
 *                                   A rate is the same with E = baseline rate x population.
 *
 * Labels name the level: 'High (99.8%)', 'High (95%)', 'Not significant', 'Low (95%)',
 * 'Low (99.8%)'.  A unit outside 99.8% is "notably different" and is queried with the force.
 */
#include "da_stats.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"

#include "distributions.h"

PG_FUNCTION_INFO_V1(ds_funnel_prop_limits);
PG_FUNCTION_INFO_V1(ds_funnel_ratio_limits);
PG_FUNCTION_INFO_V1(ds_funnel_rate_limits);
PG_FUNCTION_INFO_V1(ds_funnel_prop_flag);
PG_FUNCTION_INFO_V1(ds_funnel_ratio_flag);
PG_FUNCTION_INFO_V1(ds_funnel_rate_flag);
PG_FUNCTION_INFO_V1(ds_funnel_flag);

/* Expected counts from which the limits come from an asymptotic expansion (see below). */
#define FUNNEL_ASYMPTOTIC_EXPECTED 1e11
/* Expected counts from which the root search starts from that expansion (see there). */
#define FUNNEL_CLOSE_START_EXPECTED 1e6

#define Z95   1.959963984540054
#define Z998  3.090232306167813

/* ---------- argument checks ---------- */

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
check_part(double x, double n, const char *hint)
{
	if (x > n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("numerator must not exceed denominator for a proportion"),
				 errdetail("The numerator was %g and the denominator %g.", x, n),
				 errhint("%s", hint)));
}

/* ---------- proportions ---------- */

static void
prop_limits(double n, double p0, double z, double *lower, double *upper)
{
	double		half = z * sqrt(p0 * (1.0 - p0) / n);

	*lower = fmax(0.0, p0 - half);
	*upper = fmin(1.0, p0 + half);
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

/* x of n against p0 (checked by the caller; n > 0). */
static const char *
prop_flag(double x, double n, double p0)
{
	double		p = x / n,
				l95,
				u95,
				l998,
				u998;

	prop_limits(n, p0, Z95, &l95, &u95);
	prop_limits(n, p0, Z998, &l998, &u998);
	return label(p > u998, p < l998, p > u95, p < l95);
}

/* ---------- counts against an expected count (exact Poisson) ---------- */

static void poisson_funnel_counts(double e, double level, double *lower, double *upper);

/*
 * Observed o against expected e > 0.  High at 1 - alpha when P(o, e) < alpha/2 (the exact
 * lower limit of o lies above e; never for o = 0), low when Q(o + 1, e) < alpha/2 (the exact
 * upper limit of o lies below e).  Two tail evaluations serve both levels.
 */
static const char *
poisson_flag(double o, double e)
{
	double		p_high,
				p_low;

	/*
	 * Huge expected counts: the tails would take up to 10^7 terms each.  P(o, e) falls with o,
	 * so P(o, e) < alpha/2 exactly when o lies above the funnel's upper limit at e, and
	 * Q(o + 1, e) < alpha/2 when o lies below the lower one: compare with the limits, which
	 * the asymptotic expansion gives to double precision there.
	 */
	if (e >= FUNNEL_ASYMPTOTIC_EXPECTED)
	{
		double		l95,
					u95,
					l998,
					u998;

		poisson_funnel_counts(e, 0.95, &l95, &u95);
		poisson_funnel_counts(e, 0.998, &l998, &u998);
		return label(o > u998, o < l998, o > u95, o < l95);
	}
	p_high = (o > 0.0) ? ds_pgamma(o, e) : 1.0;
	p_low = ds_pgamma_upper(o + 1.0, e);
	return label(p_high < 0.001, p_low < 0.001, p_high < 0.025, p_low < 0.025);
}

/*
 * h(a) = log of the chosen tail of Gamma(a) at x, minus log(target), signed so that it
 * increases with the shape a: the lower tail P(a, x) falls as a grows, the upper Q(a, x) rises.
 */
static double
shape_residual(double a, double x, double log_target, bool upper_tail)
{
	if (upper_tail)
		return log(ds_pgamma_upper(a, x)) - log_target;
	return log_target - log(ds_pgamma(a, x));
}

/*
 * The shape a >= a_min at which the tail of Gamma(a) at x > 0 equals target (0 < target < 1;
 * the caller makes sure the root is above a_min).  The log of the tail is close to linear in
 * a, so the Illinois variant of regula falsi converges in a handful of steps; it works inside
 * a bracket, found by stepping out from the guess by step0 (doubling), and bisects whenever
 * a tail underflows.
 */
static double
gamma_shape_root(double x, double target, bool upper_tail, double guess, double step0, double a_min)
{
	double		lt = log(target);
	double		step = step0;
	double		lo = fmax(a_min, guess - step),
				hi = fmax(lo, guess) + step;
	double		flo = shape_residual(lo, x, lt, upper_tail),
				fhi = shape_residual(hi, x, lt, upper_tail);
	int			side = 0,
				it;

	/* Step out until the root is bracketed (a tail is monotone in the shape). */
	for (it = 0; flo > 0.0 && lo > a_min && it < 2000; it++)
	{
		CHECK_FOR_INTERRUPTS();
		hi = lo;
		fhi = flo;
		lo = (lo - step > a_min && lo - step > 0.5 * lo) ? lo - step : fmax(a_min, 0.5 * lo);
		if (lo < DBL_MIN)
			return lo;			/* x so small that the root is 0 to double precision */
		step *= 2.0;
		flo = shape_residual(lo, x, lt, upper_tail);
	}
	if (flo >= 0.0)
		return lo;				/* the root is at a_min */
	for (it = 0; fhi < 0.0 && it < 2000; it++)
	{
		CHECK_FOR_INTERRUPTS();
		lo = hi;
		flo = fhi;
		hi += step;
		step *= 2.0;
		fhi = shape_residual(hi, x, lt, upper_tail);
	}
	if (fhi == 0.0)
		return hi;

	for (it = 0; it < 200; it++)
	{
		double		a,
					fa;

		CHECK_FOR_INTERRUPTS();
		if (isfinite(flo) && isfinite(fhi) && fhi > flo)
		{
			a = hi - fhi * (hi - lo) / (fhi - flo);
			/*
			 * Large x: the secant puts the root within rounding of an end, so that end is
			 * the root to double precision (near the centre the residual there is evaluation
			 * noise, ~1e-13, which bisection would only chase for ~15 more evaluations of
			 * O(sqrt(x)) terms each).  Smaller x keep the bisection (and their last digit).
			 */
			if (x >= FUNNEL_CLOSE_START_EXPECTED && a <= lo)
				return lo;
			if (x >= FUNNEL_CLOSE_START_EXPECTED && a >= hi)
				return hi;
		}
		else
			a = 0.5 * (lo + hi);
		if (!(a > lo && a < hi))
			a = 0.5 * (lo + hi);
		fa = shape_residual(a, x, lt, upper_tail);
		if (fa == 0.0 || fabs(fa) < 4.0 * DBL_EPSILON)
			return a;
		if (fa < 0.0)
		{
			lo = a;
			flo = fa;
			if (side < 0)
				fhi *= 0.5;		/* Illinois: the retained end has stayed twice */
			side = -1;
		}
		else
		{
			hi = a;
			fhi = fa;
			if (side > 0)
				flo *= 0.5;
			side = 1;
		}
		if (hi - lo <= 4.0 * DBL_EPSILON * hi)
			break;
	}
	return 0.5 * (lo + hi);
}

/*
 * Funnel limits, as counts, for an expected count e > 0 at a two-sided level: the counts at
 * which an observation is exactly on the exact-Poisson boundary (continuous in the count).
 */
static void
poisson_funnel_counts(double e, double level, double *lower, double *upper)
{
	double		half_alpha = (1.0 - level) / 2.0;
	double		z = ds_level_z(level);
	double		rt = sqrt(e);

	/*
	 * Large expected counts: each tail evaluation needs O(sqrt(e)) terms, so the root search
	 * would take seconds to minutes.  Inverting the Cornish-Fisher expansion of the gamma
	 * quantile in the shape gives both roots to double precision there (checked against the
	 * search at 1e8..1e12: they agree to an ulp or two):
	 *     U     = e + z sqrt(e) + (z^2 + 2)/6 - (z^3 + 2z)/(72 sqrt(e)),
	 *     L + 1 = e - z sqrt(e) + (z^2 + 2)/6 + (z^3 + 2z)/(72 sqrt(e)).
	 */
	if (e >= FUNNEL_ASYMPTOTIC_EXPECTED)
	{
		double		c0 = (z * z + 2.0) / 6.0;
		double		c1 = z * (z * z + 2.0) / (72.0 * rt);

		*upper = e + z * rt + (c0 - c1);
		*lower = e - z * rt + (c0 + c1 - 1.0);
		return;
	}

	/*
	 * From 1e6 on, each tail evaluation costs O(sqrt(e)) terms (about 2.5 ms at 1e11) and the
	 * search started one standard deviation wide took up to ~30 of them (80 ms just below the
	 * switch at levels near 0, where the log tail is far from linear over that width): start
	 * from the expansion above, off by far less than one event there, in a bracket 1 wide.
	 */
	if (e >= FUNNEL_CLOSE_START_EXPECTED)
	{
		double		c0 = (z * z + 2.0) / 6.0;
		double		c1 = z * (z * z + 2.0) / (72.0 * rt);

		*upper = gamma_shape_root(e, half_alpha, false, e + z * rt + (c0 - c1), 1.0, 0.0);
		*lower = fmax(0.0, gamma_shape_root(e, half_alpha, true, e - z * rt + (c0 + c1), 1.0, 1.0)
					  - 1.0);
		return;
	}

	/* upper U: P(U, e) = alpha/2 */
	{
		double		g = fmax(DBL_MIN, (rt + z / 2.0) * (rt + z / 2.0) + 1.0);

		*upper = gamma_shape_root(e, half_alpha, false, g, fmax(1.0, sqrt(g)), 0.0);
	}
	/* lower L: Q(L + 1, e) = alpha/2; L = 0 when even no events is not low (Q(1, e) = e^-e) */
	if (e <= -log(half_alpha))
		*lower = 0.0;
	else
	{
		double		g = fmax(1.5, (rt - z / 2.0) * (rt - z / 2.0) + 1.0);

		*lower = fmax(0.0, gamma_shape_root(e, half_alpha, true, g, fmax(1.0, sqrt(g)), 1.0) - 1.0);
	}
}

/* ---------- SQL functions ---------- */

/* da.funnel_prop_limits(n, baseline, level) -> da.conf_interval */
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

/* da.funnel_ratio_limits(expected, level) -> da.conf_interval on observed / expected */
Datum
ds_funnel_ratio_limits(PG_FUNCTION_ARGS)
{
	double		e = PG_GETARG_FLOAT8(0);
	double		level = PG_GETARG_FLOAT8(1);
	double		lower,
				upper;

	check_nonneg(e, "expected count");
	ds_check_level(level);
	if (e == 0.0)
		PG_RETURN_NULL();
	poisson_funnel_counts(e, level, &lower, &upper);
	return ds_make_conf_interval(fcinfo, lower / e, false, upper / e, "Funnel (exact Poisson)");
}

/* da.funnel_rate_limits(population, baseline_rate, per, level) -> da.conf_interval, per "per" */
Datum
ds_funnel_rate_limits(PG_FUNCTION_ARGS)
{
	double		pop = PG_GETARG_FLOAT8(0);
	double		rate = PG_GETARG_FLOAT8(1);
	int64		per = PG_GETARG_INT64(2);
	double		level = PG_GETARG_FLOAT8(3);
	double		e,
				lower,
				upper;

	check_nonneg(pop, "population");
	check_nonneg(rate, "baseline rate");
	ds_check_per(per);
	ds_check_level(level);
	if (pop == 0.0)
		PG_RETURN_NULL();
	e = rate * pop / (double) per;
	if (e == 0.0)				/* a zero baseline: any event is above it */
		return ds_make_conf_interval(fcinfo, 0.0, false, 0.0, "Funnel (exact Poisson)");
	if (!isfinite(e))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("expected count baseline rate x population / per is out of range")));
	poisson_funnel_counts(e, level, &lower, &upper);
	return ds_make_conf_interval(fcinfo, lower * (double) per / pop, false,
								 upper * (double) per / pop, "Funnel (exact Poisson)");
}

/* da.funnel_prop_flag(x, n, baseline) */
Datum
ds_funnel_prop_flag(PG_FUNCTION_ARGS)
{
	double		x = PG_GETARG_FLOAT8(0);
	double		n = PG_GETARG_FLOAT8(1);
	double		p0 = PG_GETARG_FLOAT8(2);

	check_nonneg(x, "numerator");
	check_nonneg(n, "denominator");
	check_baseline(p0);
	check_part(x, n, "For events that can outnumber the denominator use da.funnel_rate_flag.");
	if (n == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(prop_flag(x, n, p0)));
}

/* da.funnel_ratio_flag(observed, expected) */
Datum
ds_funnel_ratio_flag(PG_FUNCTION_ARGS)
{
	int64		o = PG_GETARG_INT64(0);
	double		e = PG_GETARG_FLOAT8(1);

	ds_check_count(o, "observed count");
	check_nonneg(e, "expected count");
	if (e == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(poisson_flag((double) o, e)));
}

/* da.funnel_rate_flag(numerator, denominator, baseline_rate, per) */
Datum
ds_funnel_rate_flag(PG_FUNCTION_ARGS)
{
	int64		o = PG_GETARG_INT64(0);
	double		n = PG_GETARG_FLOAT8(1);
	double		rate = PG_GETARG_FLOAT8(2);
	int64		per = PG_GETARG_INT64(3);
	double		e;

	ds_check_count(o, "numerator");
	check_nonneg(n, "denominator");
	check_nonneg(rate, "baseline rate");
	ds_check_per(per);
	e = rate * n / (double) per;
	if (!isfinite(e))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("expected count baseline rate x denominator / per is out of range")));
	if (e == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(poisson_flag((double) o, e)));
}

/*
 * da.funnel_flag(x, n, baseline_x, baseline_n, kind): one unit against the baseline
 * baseline_x / baseline_n (typically sum(x) OVER (), sum(n) OVER ()).
 *   'proportion': x of n against the share baseline_x / baseline_n;
 *   'rate':       x events over a denominator n against the rate baseline_x / baseline_n,
 *                 i.e. x against the expected count n * baseline_x / baseline_n;
 *   'ratio':      x observed against n expected, rescaled by baseline_x / baseline_n
 *                 (pass 1, 1 to compare with the expected counts as they are).
 */
Datum
ds_funnel_flag(PG_FUNCTION_ARGS)
{
	double		x = PG_GETARG_FLOAT8(0);
	double		n = PG_GETARG_FLOAT8(1);
	double		bx = PG_GETARG_FLOAT8(2);
	double		bn = PG_GETARG_FLOAT8(3);
	char	   *kind = text_to_cstring(PG_GETARG_TEXT_PP(4));
	bool		proportion;

	if (strcmp(kind, "proportion") == 0)
		proportion = true;
	else if (strcmp(kind, "rate") == 0 || strcmp(kind, "ratio") == 0)
		proportion = false;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown funnel kind \"%s\"", kind),
				 errhint("Use 'proportion', 'rate' or 'ratio'.")));

	check_nonneg(x, "numerator");
	check_nonneg(n, "denominator");
	check_nonneg(bx, "baseline numerator");
	check_nonneg(bn, "baseline denominator");
	if (proportion)
	{
		check_part(x, n, "For events that can outnumber the denominator use kind 'rate'.");
		if (bx > bn)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("baseline numerator must not exceed baseline denominator for a proportion"),
					 errdetail("The baseline was %g of %g.", bx, bn),
					 errhint("For events that can outnumber the denominator use kind 'rate'.")));
		if (n == 0.0 || bn == 0.0)
			PG_RETURN_NULL();
		PG_RETURN_TEXT_P(cstring_to_text(prop_flag(x, n, bx / bn)));
	}
	else
	{
		double		e;

		if (bn == 0.0)
			PG_RETURN_NULL();
		e = n * (bx / bn);
		if (!isfinite(e))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("expected count is out of range")));
		if (e == 0.0)
			PG_RETURN_NULL();
		PG_RETURN_TEXT_P(cstring_to_text(poisson_flag(x, e)));
	}
}
