/*
 * significance.c — is a year-on-year change real?  (The published reports never say.)
 *
 * Rate per N between two periods: rate ratio new/old with the exact conditional test: given
 * x_old + x_new events, x_new ~ Binomial(x_old + x_new, n_new / (n_old + n_new)) under "no
 * change".  Two-sided p-value by the rule R's binom.test uses (sum the probabilities no larger
 * than the observed one's, with a relative tolerance of 1e-7); the interval of the ratio is the
 * Clopper-Pearson interval of that binomial proportion, transformed (as R's poisson.test).
 * Exact at every size: the binomial tails are incomplete beta functions (distributions.c), and
 * the far end of the two-sided sum is found by bisection on the density (at most 64 steps), so
 * a call costs about the same at 10^9 events as at 10^3 -- no normal approximation anywhere.
 *
 * Proportion between two periods: difference in percentage points with Newcombe's hybrid score
 * interval (his method 10), built from the two Wilson intervals.
 */
#include "da_stats.h"

#include <limits.h>
#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "distributions.h"

PG_FUNCTION_INFO_V1(ds_rate_change_test);
PG_FUNCTION_INFO_V1(ds_proportion_change_test);

/* P(X > k) for X ~ Bin(n, p), computed directly for small upper tails. */
static double
binom_upper(long k, long n, double p)
{
	if (k < 0)
		return 1.0;
	if (k >= n)
		return 0.0;
	return ds_pbeta(p, (double) k + 1.0, (double) (n - k));
}

static double
binom_lower(long k, long n, double p)
{
	return k < 0 ? 0.0 : ds_pbinom(k, n, p);
}

/*
 * Two-sided exact binomial p-value by binom.test's rule: P(X = x) plus the probabilities of
 * every outcome no more likely than x (density <= d (1 + 1e-7)).  On the near side of the mean
 * those are the tail beyond x; on the far side the density is monotone, so its boundary is
 * found by bisection (at most 64 density evaluations, whatever n) and that tail is one more
 * incomplete beta -- never a sum of terms.
 */
static double
binom_two_sided_p(long x, long n, double p)
{
	double		d,
				m,
				pv;

	/* a certain outcome (p rounds to 0 or 1 when one denominator dwarfs the other), as R */
	if (p == 0.0)
		return (x == 0) ? 1.0 : 0.0;
	if (p == 1.0)
		return (x == n) ? 1.0 : 0.0;
	d = ds_dbinom(x, n, p) * (1.0 + 1e-7);
	m = (double) n * p;
	if ((double) x == m)
		return 1.0;
	if ((double) x < m)
	{
		/* far side [ceil(m), n], density non-increasing: the first j with density <= d */
		long		lo = ((double) n <= m) ? n : (long) ceil(m),
					hi = n;

		if (ds_dbinom(n, n, p) > d)
			return Min(binom_lower(x, n, p), 1.0);	/* no such outcome there */
		while (lo < hi)
		{
			long		mid = lo + (hi - lo) / 2;

			if (ds_dbinom(mid, n, p) <= d)
				hi = mid;
			else
				lo = mid + 1;
		}
		pv = binom_lower(x, n, p) + binom_upper(lo - 1, n, p);
	}
	else
	{
		/* far side [0, floor(m)], density non-decreasing: the last j with density <= d */
		long		lo = 0,
					hi = (long) floor(m);

		if (ds_dbinom(0, n, p) > d)
			return Min(binom_upper(x - 1, n, p), 1.0);
		while (lo < hi)
		{
			long		mid = hi - (hi - lo) / 2;

			if (ds_dbinom(mid, n, p) <= d)
				lo = mid;
			else
				hi = mid - 1;
		}
		pv = binom_lower(lo, n, p) + binom_upper(x - 1, n, p);
	}
	return Min(pv, 1.0);
}

/*
 * The odds q / (1 - q) of the beta quantile q = qbeta(p, a, b).  Near q = 1 the difference
 * 1 - q would cancel: it is computed directly as qbeta(1 - p, b, a) instead.
 */
static double
beta_quantile_odds(double p, double a, double b)
{
	double		q = ds_qbeta(p, a, b);
	double		qc;

	if (q <= 0.5)
		return q / (1.0 - q);
	qc = ds_qbeta(1.0 - p, b, a);
	return (qc > 0.0) ? (1.0 - qc) / qc : INFINITY;
}

/*
 * The exact conditional test of x successes out of n at success probability p under "no
 * change": two-sided p-value (binom.test's rule) and the Clopper-Pearson limits of x/n turned
 * into limits of the rate ratio (odds times scale = n_old / n_new).  0 successes give a lower
 * limit of 0, n successes no upper limit (infinity, returned as NULL).
 */
static void
exact_binomial_test(long x, long n, double p, double scale, double alpha,
					double *pv, double *lower, double *upper)
{
	*pv = binom_two_sided_p(x, n, p);
	*lower = (x == 0) ? 0.0
		: beta_quantile_odds(alpha / 2.0, (double) x, (double) (n - x + 1)) * scale;
	*upper = (x == n) ? INFINITY
		: beta_quantile_odds(1.0 - alpha / 2.0, (double) x + 1.0, (double) (n - x)) * scale;
}

static void
read_two_periods(FunctionCallInfo fcinfo, int64 *x1, int64 *n1, int64 *x2, int64 *n2, double *level)
{
	*x1 = PG_GETARG_INT64(0);
	*n1 = PG_GETARG_INT64(1);
	*x2 = PG_GETARG_INT64(2);
	*n2 = PG_GETARG_INT64(3);
	*level = PG_GETARG_FLOAT8(4);
	ds_check_count(*x1, "old numerator");
	ds_check_count(*n1, "old denominator");
	ds_check_count(*x2, "new numerator");
	ds_check_count(*n2, "new denominator");
	ds_check_level(*level);
}

static Datum
numeric_or_null(double v, bool *isnull)
{
	*isnull = !isfinite(v);
	return *isnull ? (Datum) 0 : ds_float8_numeric(v);
}

static const char *
verdict(bool significant, bool up)
{
	if (!significant)
		return "No significant change";
	return up ? "Significant increase" : "Significant decrease";
}

/*
 * da.rate_change_test(old_num, old_den, new_num, new_den, level)
 *   -> (rate_ratio, lower, upper, p_value, method, verdict)
 * NULL when a denominator is 0 or there are no events at all.
 */
Datum
ds_rate_change_test(PG_FUNCTION_ARGS)
{
	int64		x1, n1, x2, n2;
	int64		total;
	double		level, alpha, ratio, lower, upper, pv;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};

	read_two_periods(fcinfo, &x1, &n1, &x2, &n2, &level);
	if (n1 == 0 || n2 == 0 || x1 + x2 == 0)
		PG_RETURN_NULL();
	alpha = 1.0 - level;
	ratio = ((double) x2 / (double) n2) / ((double) x1 / (double) n1);	/* inf when x1 = 0 */

	if (pg_add_s64_overflow(x1, x2, &total) || total > LONG_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of old and new numerators is out of range for type bigint"),
				 errdetail("Old: " INT64_FORMAT " events; new: " INT64_FORMAT ".", x1, x2)));
	exact_binomial_test((long) x2, (long) total, (double) n2 / ((double) n1 + (double) n2),
						(double) n1 / (double) n2, alpha, &pv, &lower, &upper);
	values[0] = numeric_or_null(ratio, &nulls[0]);
	values[1] = numeric_or_null(lower, &nulls[1]);
	values[2] = numeric_or_null(upper, &nulls[2]);
	values[3] = Float8GetDatum(pv);
	values[4] = CStringGetTextDatum("Exact conditional (binomial)");
	values[5] = CStringGetTextDatum(verdict(pv < alpha,
											(double) x2 * (double) n1 > (double) x1 * (double) n2));
	return ds_form_row(fcinfo, values, nulls);
}

/*
 * da.proportion_change_test(old_x, old_n, new_x, new_n, level)
 *   -> (pp_change, lower, upper, method, verdict), in percentage points.
 */
Datum
ds_proportion_change_test(PG_FUNCTION_ARGS)
{
	int64		x1, n1, x2, n2;
	double		level, z, p1, p2, l1, u1, l2, u2, d, lower, upper;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	read_two_periods(fcinfo, &x1, &n1, &x2, &n2, &level);
	if (x1 > n1 || x2 > n2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("numerator must not exceed denominator for a proportion"),
				 errdetail("Old: " INT64_FORMAT " of " INT64_FORMAT "; new: " INT64_FORMAT " of " INT64_FORMAT ".",
						   x1, n1, x2, n2),
				 errhint("For events that can outnumber the denominator use da.rate_change_test.")));
	if (n1 == 0 || n2 == 0)
		PG_RETURN_NULL();
	z = ds_level_z(level);
	p1 = (double) x1 / (double) n1;
	p2 = (double) x2 / (double) n2;
	ds_wilson_limits((double) x1, (double) n1, z, &l1, &u1);
	ds_wilson_limits((double) x2, (double) n2, z, &l2, &u2);
	d = p2 - p1;
	lower = d - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
	upper = d + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));

	values[0] = ds_float8_numeric(100.0 * d);
	values[1] = ds_float8_numeric(100.0 * lower);
	values[2] = ds_float8_numeric(100.0 * upper);
	values[3] = CStringGetTextDatum("Newcombe hybrid score");
	values[4] = CStringGetTextDatum(verdict(lower > 0.0 || upper < 0.0, lower > 0.0));
	return ds_form_row(fcinfo, values, nulls);
}
