/*
 * significance.c — is a year-on-year change real?  (The published reports never say.)
 *
 * Rate per N between two periods: rate ratio new/old with the exact conditional test: given
 * x_old + x_new events, x_new ~ Binomial(x_old + x_new, n_new / (n_old + n_new)) under "no
 * change".  Two-sided p-value by the rule R's binom.test uses (sum the probabilities no larger
 * than the observed one's, with a relative tolerance of 1e-7); the interval of the ratio is the
 * Clopper-Pearson interval of that binomial proportion, transformed (as R's poisson.test).
 * Exact at every size, no normal approximation anywhere: the binomial tails are incomplete
 * beta functions (distributions.c) or, when both shapes exceed 1e9, a uniform asymptotic
 * expansion of the same integral (binom_tail_asym: ds_beta_tail_asym of distributions.c, with
 * the counts passed exactly); the far end of the two-sided sum is found
 * by bisection on the density (at most 64 steps), never by summing terms.  About 1.5 ms a call
 * at 10^9 events (README, "Change semantics").
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

/* ---------- binomial tails at huge sizes ---------- */

/* From this size of both shapes on, the binomial tails use the asymptotic expansion of
 * distributions.c (the incomplete beta loses digits there: ~1e-10 at 10^12 events, ~1e-7 at
 * 10^18; the expansion is exact to double precision already from about 10^5). */
#define ASYM_MIN_SIZE 1e9
#define DS_TWO_PI 6.283185307179586


/* v >= 0 as an unevaluated sum hi + lo of two doubles (exact beyond 2^53, where (double) v rounds) */
static void
count_dd(int64 v, double *hi, double *lo)
{
	double		h = (double) (v >> 32) * 4294967296.0;
	double		l = (double) (v & INT64CONST(0xFFFFFFFF));

	*hi = h + l;
	*lo = (h - *hi) + l;		/* exact: |h| >= |l| unless h = 0 */
}

/* S = a b / (a + b) for X ~ Binomial(n, p) at k: a = k + 1, b = n - k (see below) */
static double
asym_size(long k, long n)
{
	double		a = (double) k + 1.0,
				b = (double) (n - k);

	return a * (b / (a + b));
}

/*
 * For counts a, b >= 0 with s = a + b and q = 1 - p: the deviance
 *     dev = bd0(a, s p) + bd0(b, s q),  bd0(v, m) = v log(v/m) - (v - m) >= 0,
 * whether a < s p, the share x0 = a / s and S = a b / s.  The counts and the means are carried
 * in double-double: at 10^18 events rounding either would move dev in its sixth digit.
 */
static void
binom_deviance(long ka, long kb, double p, double *dev, bool *below, double *x0, double *S)
{
	double		a, a_lo, b, b_lo;
	double		q = 1.0 - p,
				q_lo = (1.0 - q) - p;	/* exact: 1 - p = q + q_lo */

	count_dd(ka, &a, &a_lo);
	count_dd(kb, &b, &b_lo);
	ds_beta_deviance(a, a_lo, b, b_lo, p, 0.0, q, q_lo, dev, below, x0, S);
}

/* Beyond 2^53 events a count is not a double: the density then comes from the exact counts. */
#define HUGE_N 9007199254740992.0

/* Stirling's error log Gamma(v + 1) - log(sqrt(2 pi) v^(v + 1/2) e^-v) for v >= 1e6 */
static double
stirlerr_big(double v)
{
	return (1.0 / 12.0 - 1.0 / (360.0 * v * v)) / v;
}

/*
 * log P(X = k) for X ~ Binomial(n, p), n > 2^53: Loader's saddle-point form from the exact
 * counts; the end regions (under 10^6 successes or failures) are left to ds_dbinom.
 */
static double
log_dbinom_huge(long k, long n, double p)
{
	double		dev,
				x0,
				S;
	bool		below;

	if (k < 1000000 || n - k < 1000000)
		return log(ds_dbinom(k, n, p));
	binom_deviance(k, n - k, p, &dev, &below, &x0, &S);
	/* S = k (n - k) / n */
	return -dev + stirlerr_big((double) n) - stirlerr_big((double) k) - stirlerr_big((double) (n - k))
		- 0.5 * log(DS_TWO_PI * S);
}

/*
 * P(X <= k) (upper = false) or P(X > k) (upper = true) for X ~ Binomial(n, p), 0 <= k < n,
 * when a = k + 1 and b = n - k are both huge (asym_size >= ASYM_MIN_SIZE): P(X > k) =
 * P(T <= p) for T ~ Beta(a, b), by the uniform asymptotic expansion of distributions.c
 * (ds_beta_tail_asym), with the counts passed exactly (double-double beyond 2^53).
 */
static double
binom_tail_asym(long k, long n, double p, bool upper)
{
	double		a, a_lo, b, b_lo, small;
	double		q = 1.0 - p,
				q_lo = (1.0 - q) - p;	/* exact: 1 - p = q + q_lo */
	bool		t_above;		/* p above the mean a/s of T */

	count_dd(k + 1, &a, &a_lo);
	count_dd(n - k, &b, &b_lo);
	small = ds_beta_tail_asym(a, a_lo, b, b_lo, p, 0.0, q, q_lo, &t_above);
	/* small is P(T > p) above the mean, else P(T <= p); and P(X > k) = P(T <= p) */
	if (t_above)
		return upper ? 1.0 - small : small;
	return upper ? small : 1.0 - small;
}

/* P(X > k) for X ~ Bin(n, p), computed directly for small upper tails. */
static double
binom_upper(long k, long n, double p)
{
	if (k < 0)
		return 1.0;
	if (k >= n)
		return 0.0;
	if (asym_size(k, n) >= ASYM_MIN_SIZE)
		return binom_tail_asym(k, n, p, true);
	return ds_pbeta(p, (double) k + 1.0, (double) (n - k));
}

/* P(X <= k) */
static double
binom_lower(long k, long n, double p)
{
	if (k < 0)
		return 0.0;
	if (k >= n)
		return 1.0;
	if (asym_size(k, n) >= ASYM_MIN_SIZE)
		return binom_tail_asym(k, n, p, false);
	return ds_pbinom(k, n, p);
}

/*
 * "P(X = j) <= d (1 + 1e-7)", binom.test's test of an outcome no more likely than the
 * observed one, as doubles like R's; beyond 2^53 events (where a count is not a double) on
 * the log densities from the exact counts.
 */
typedef struct DensityBound
{
	long		n;
	double		p;
	bool		logs;
	double		bound;
} DensityBound;

static void
density_bound_init(DensityBound *db, long x, long n, double p)
{
	db->n = n;
	db->p = p;
	db->logs = ((double) n > HUGE_N);
	db->bound = db->logs ? log_dbinom_huge(x, n, p) + log1p(1e-7)
		: ds_dbinom(x, n, p) * (1.0 + 1e-7);
}

static bool
density_at_most(const DensityBound *db, long j)
{
	if (db->logs)
		return log_dbinom_huge(j, db->n, db->p) <= db->bound;
	return ds_dbinom(j, db->n, db->p) <= db->bound;
}

/*
 * Two-sided exact binomial p-value by binom.test's rule: P(X = x) plus the probabilities of
 * every outcome no more likely than x.  On the near side of the mean those are the tail
 * beyond x; on the far side the density is monotone, so its boundary is found by bisection
 * (at most 64 density evaluations, whatever n) and that tail is one more incomplete beta --
 * never a sum of terms.
 */
static double
binom_two_sided_p(long x, long n, double p)
{
	DensityBound db;
	double		m,
				pv;

	/* a certain outcome (p rounds to 0 or 1 when one denominator dwarfs the other), as R */
	if (p == 0.0)
		return (x == 0) ? 1.0 : 0.0;
	if (p == 1.0)
		return (x == n) ? 1.0 : 0.0;
	density_bound_init(&db, x, n, p);
	m = (double) n * p;
	if ((double) x == m)
		return 1.0;
	if ((double) x < m)
	{
		/* far side [ceil(m), n], density non-increasing: the first j with density <= d */
		long		lo = ((double) n <= m) ? n : (long) ceil(m),
					hi = n;

		if (!density_at_most(&db, n))
			return Min(binom_lower(x, n, p), 1.0);	/* no such outcome there */
		while (lo < hi)
		{
			long		mid = lo + (hi - lo) / 2;

			if (density_at_most(&db, mid))
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

		if (!density_at_most(&db, 0))
			return Min(binom_upper(x - 1, n, p), 1.0);
		while (lo < hi)
		{
			long		mid = hi - (hi - lo) / 2;

			if (density_at_most(&db, mid))
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
	if (n1 == 0 || n2 == 0 || (x1 == 0 && x2 == 0))
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
	/* never a NaN p-value (the verdict would silently be "no change") */
	if (unlikely(!(pv >= 0.0 && pv <= 1.0)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the p-value of this rate change is out of range"),
				 errdetail("Computed as %g.", pv)));
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
