/*
 * distributions.c
 *    Numerical core: normal, gamma/chi-square, beta and binomial
 *    distribution functions in portable C99 (see distributions.h).
 *
 * Design notes
 * ------------
 * All functions are pure: no static or global mutable data (the only static
 * data is a const table), no use of lgamma() (which writes the global
 * 'signgam' in many C libraries) -- log-gamma values are obtained from
 * tgamma() for small arguments and from Stirling's series otherwise.
 *
 * The central accuracy device is the "saddle point" factorisation of
 * densities popularised by C. Loader (2000, "Fast and accurate computation
 * of binomial probabilities"):
 *
 *     log Gamma(n + 1) = (n + 1/2) log n - n + log sqrt(2 pi) + stirlerr(n)
 *
 *     bd0(x, m) = x log(x/m) + m - x   (>= 0, computed without cancellation)
 *
 * Writing densities in terms of stirlerr() and bd0() keeps every term in
 * the exponent small, so the incomplete gamma and beta prefactors
 * x^a e^-x / Gamma(a+1) and x^a (1-x)^b / B(a,b) keep close to full
 * relative precision even when a, b are 1e6 or 1e7 (a plain difference of
 * log-gamma values of size ~1e8 would lose 7-8 digits).
 *
 * Where a rounding error of a single intermediate (a product n*p, a sum
 * a + b, the complement 1 - p, log x near x = 1) would be amplified by a
 * large parameter, that intermediate is carried as an unevaluated sum of
 * two doubles (error-free transformations with fma() and Knuth's
 * two-sum) and the low part enters through a first-order correction.
 * This needs IEEE double arithmetic evaluated in double (any SSE2 or
 * 64-bit target; not x87 extended precision) and must not be compiled with
 * -ffast-math or other value-changing optimisations.
 *
 * Incomplete beta: see the comment above ds_beta_series() for the choice
 * between a power series, an incomplete-gamma expansion, the continued
 * fraction and, when both shapes are huge, a uniform asymptotic expansion
 * (ds_beta_tail_asym(), constant cost).  Incomplete gamma: power series / Legendre continued fraction
 * (ds_gamma_tails()).
 *
 * Quantiles are found with Halley's method on the log of the tail
 * probability (ds_halley_log_step()), safeguarded by a bracketing interval
 * that falls back to (geometric) bisection whenever a step would leave
 * it.  The residual is always formed in the tail whose probability is
 * below 1/2, so it is never the difference of two numbers close to 1.
 */
#include "distributions.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

/* ------------------------------------------------------------------------
 * Constants
 * ------------------------------------------------------------------------ */

#define DS_LN_SQRT_2PI	0.918938533204672741780329736406	/* log(sqrt(2 pi)) */
#define DS_TWO_PI		6.283185307179586476925286766559	/* 2 pi */
#define DS_2_SQRTPI		1.128379167095512573896158903122	/* 2 / sqrt(pi) */

/* 1/sqrt(2) split into the nearest double and the remainder, so that
 * x / sqrt(2) can be formed to about twice working precision. */
#define DS_SQRT1_2_HI	0.70710678118654757
#define DS_SQRT1_2_LO	(-4.8336466567264565186e-17)

/* Lentz continued-fraction guard against division by zero. */
#define DS_TINY			1e-300

/* Iteration caps.  The series / continued fractions need O(sqrt(shape))
 * terms near the centre of the distribution, so the caps are generous;
 * they exist only to guarantee termination. */
#define DS_MAX_TERMS	10000000
#define DS_MAX_ROOT_IT	300

/* Shapes from which ds_qgamma uses its asymptotic expansion (see there). */
#define DS_ASYMPTOTIC_SHAPE	1e12

/* ------------------------------------------------------------------------
 * Helpers: stirlerr, log-gamma, bd0
 * ------------------------------------------------------------------------ */

/*
 * stirlerr(n) = log Gamma(n+1) - [(n + 1/2) log n - n + log sqrt(2 pi)]
 * at n = 0.5, 1, 1.5, ..., 15 (index 2n), computed once in 40-digit
 * arithmetic.  Half-integers matter because chi-square shapes are df/2.
 */
static const double ds_stirlerr_tab[31] = {
	0.0,						/* n = 0: unused (stirlerr(0) is infinite) */
	0.153426409720027345291,	/* 0.5 */
	0.0810614667953272582197,	/* 1 */
	0.0548141210519176538961,	/* 1.5 */
	0.0413406959554092940938,	/* 2 */
	0.0331628735199362874851,	/* 2.5 */
	0.0276779256849983391488,	/* 3 */
	0.0237461636562974959713,	/* 3.5 */
	0.0207906721037650931115,	/* 4 */
	0.0184884505326731852308,	/* 4.5 */
	0.0166446911898211921632,	/* 5 */
	0.0151349732219173788735,	/* 5.5 */
	0.0138761288230707479987,	/* 6 */
	0.0128104652429202269243,	/* 6.5 */
	0.0118967099458917700951,	/* 7 */
	0.0111045597582069173266,	/* 7.5 */
	0.0104112652619720964975,	/* 8 */
	0.00979941612615880329839,	/* 8.5 */
	0.00925546218271273291773,	/* 9 */
	0.00876870013413938546296,	/* 9.5 */
	0.00833056343336287125647,	/* 10 */
	0.00793411456431402054725,	/* 10.5 */
	0.00757367548795184079497,	/* 11 */
	0.00724455430132038317955,	/* 11.5 */
	0.00694284010720952986566,	/* 12 */
	0.00666524703270768244236,	/* 12.5 */
	0.00640899418800420706844,	/* 13 */
	0.00617171226303945764753,	/* 13.5 */
	0.00595137011275884773562,	/* 14 */
	0.00574621651301011568203,	/* 14.5 */
	0.00555473355196280137104	/* 15 */
};

/*
 * Stirling-formula error term stirlerr(n), n > 0 (see table above).
 *
 * n > 15: the asymptotic (Bernoulli-number) series, truncated after the
 *         n^-13 term; the first omitted term is below 1e-19.
 * table:  exact values for half-integers up to 15.
 * other:  directly from tgamma().  The result is only ever used as an
 *         additive term in an exponent, so what matters is its absolute
 *         error, which is a few units of 1e-15 here.
 */
static double
ds_stirlerr(double n)
{
	if (n > 15.0)
	{
		double		r = 1.0 / n;
		double		r2 = r * r;

		return r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0
				 - r2 * (1.0 / 1680.0 - r2 * (1.0 / 1188.0
				 - r2 * (691.0 / 360360.0 - r2 * (1.0 / 156.0)))))));
	}
	else
	{
		double		twice = n + n;

		if (twice >= 1.0 && twice == floor(twice))
			return ds_stirlerr_tab[(int) twice];
		return log(tgamma(n + 1.0)) - (n + 0.5) * log(n) + n - DS_LN_SQRT_2PI;
	}
}

/*
 * log Gamma(x + 1) for x > -1 without touching 'signgam'.  Only used for
 * starting values, so moderate accuracy is enough.
 */
static double
ds_lgamma1p(double x)
{
	if (x < 15.0)
		return log(tgamma(x + 1.0));
	return (x + 0.5) * log(x) - x + DS_LN_SQRT_2PI + ds_stirlerr(x);
}

/*
 * bd0(x, m) = x log(x/m) + m - x, for x >= 0, m > 0: the "deviance" term
 * that appears in the exponent of Poisson, gamma and binomial densities.
 *
 * When x and m are close the three terms nearly cancel.  With
 * v = (x - m)/(x + m) one has the identity
 *     bd0 = (x - m) v + 2 x (v^3/3 + v^5/5 + v^7/7 + ...)
 * whose terms do not cancel; it is used for |v| < 1/2, where it converges
 * at least as fast as 4^-j.  Outside that range the direct formula loses
 * at most a few bits.
 */
static double
ds_bd0(double x, double m)
{
	double		d = x - m;
	double		s = x + m;

	if (fabs(d) < 0.5 * s)
	{
		double		v = d / s;
		double		v2 = v * v;
		double		sum = d * v;
		double		ej = 2.0 * x * v;
		int			j;

		for (j = 1; j < 200; j++)
		{
			double		nsum;

			ej *= v2;
			nsum = sum + ej / (double) (2 * j + 1);
			if (nsum == sum)
				break;
			sum = nsum;
		}
		return sum;
	}
	if (x == 0.0)
		return m;
	return x * log(x / m) - d;
}

/* Rounding error of s = fl(a + b), exactly (Knuth's branch-free two-sum). */
static double
ds_two_sum_err(double a, double b, double s)
{
	double		bv = s - a;
	double		av = s - bv;

	return (a - av) + (b - bv);
}

/*
 * log1pmx(w) = log(1 + w) - w, w > -1, without the cancellation of the
 * direct formula for small w.  With v = w/(2+w), log(1+w) = 2 atanh(v) and
 * w - 2v = w v, hence
 *     log1pmx(w) = -w v + 2 (v^3/3 + v^5/5 + ...),
 * used for |w| < 1/2 (v^2 < 1/9).
 */
static double
ds_log1pmx(double w)
{
	if (fabs(w) < 0.5)
	{
		double		v = w / (2.0 + w);
		double		v2 = v * v;
		double		pw = v * v2;
		double		sum = 0.0;
		int			j;

		for (j = 3; j < 200; j += 2)
		{
			double		nsum = sum + pw / (double) j;

			if (nsum == sum)
				break;
			sum = nsum;
			pw *= v2;
		}
		return 2.0 * sum - w * v;
	}
	return log1p(w) - w;
}

/*
 * Binomial-type kernel
 *
 *     Gamma(n+1) / (Gamma(k+1) Gamma(nk+1)) * x^k * y^nk,   n = k + nk,
 *
 * for real k > 0, nk > 0, 0 < x, y < 1.  This is the binomial probability
 * for integer k, and (times a simple factor) the prefactor of the
 * incomplete beta function.  Computed in saddle-point form
 *
 *     exp(stirlerr(n) - stirlerr(k) - stirlerr(nk)
 *         - bd0(k, n x) - bd0(nk, n y)) * sqrt(n / (2 pi k nk)).
 *
 * Precondition: y = 1 - x where the smaller of x, y is the exact value
 * and the larger is its rounded complement fl(1 - smaller), as produced
 * by every caller in this file.
 *
 * The means m = n x and n y are formed in double-double: when k is far
 * from n x in absolute terms (|k - n x| ~ 1e4 for n ~ 1e7 in the tails),
 * the rounding of the product n x alone would move the exponent by
 * |k - n x| * 1e-16, i.e. ~1e-12 relative.  The low-order parts (the
 * product error from fma and the representation error of the rounded
 * complement) enter through the first-order correction
 *     bd0(k, m + dm) = bd0(k, m) + dm (1 - k/m).
 * (If n = k + nk itself is rounded, the error cancels to first order
 * because bd0(k, n x) + bd0(nk, n y) is stationary in n.)
 */
static double
ds_binom_kernel(double k, double nk, double x, double y)
{
	double		n = k + nk;
	double		mx = n * x;
	double		my = n * y;
	double		mx_lo = fma(n, x, -mx);
	double		my_lo = fma(n, y, -my);
	double		lc;

	/* exact complement of the exact (smaller) value, minus its rounding */
	if (x <= y)
		my_lo += n * ((1.0 - y) - x);
	else
		mx_lo += n * ((1.0 - x) - y);

	lc = ds_stirlerr(n) - ds_stirlerr(k) - ds_stirlerr(nk)
		- (ds_bd0(k, mx) + mx_lo * (1.0 - k / mx))
		- (ds_bd0(nk, my) + my_lo * (1.0 - nk / my));
	return exp(lc) * sqrt((n / k) / (DS_TWO_PI * nk));
}

/* ------------------------------------------------------------------------
 * Normal distribution
 * ------------------------------------------------------------------------ */

/* Evaluate a polynomial with coefficients c[0] + c[1] t + ... + c[7] t^7. */
static double
ds_poly7(const double *c, double t)
{
	return ((((((c[7] * t + c[6]) * t + c[5]) * t + c[4]) * t + c[3]) * t
			 + c[2]) * t + c[1]) * t + c[0];
}

/*
 * ds_qnorm: Wichura's algorithm AS 241 (PPND16, 1988).  Three rational
 * approximations of degree 7/7: one in (p - 1/2)^2 for the central region
 * |p - 1/2| <= 0.425, and two in r = sqrt(-log(min(p, 1-p))) for r <= 5
 * and r > 5.  Published relative accuracy is about 1e-16, valid down to
 * p ~ 1e-300 and beyond.  1 - p is exact for p >= 1/2, so the upper tail
 * is as accurate as the lower tail.
 */
static const double ds_qn_a[8] = {
	3.3871328727963666080e0, 1.3314166789178437745e+2,
	1.9715909503065514427e+3, 1.3731693765509461125e+4,
	4.5921953931549871457e+4, 6.7265770927008700853e+4,
	3.3430575583588128105e+4, 2.5090809287301226727e+3
};
static const double ds_qn_b[8] = {
	1.0, 4.2313330701600911252e+1,
	6.8718700749205790830e+2, 5.3941960214247511077e+3,
	2.1213794301586595867e+4, 3.9307895800092710610e+4,
	2.8729085735721942674e+4, 5.2264952788528545610e+3
};
static const double ds_qn_c[8] = {
	1.42343711074968357734e0, 4.63033784615654529590e0,
	5.76949722146069140550e0, 3.64784832476320460504e0,
	1.27045825245236838258e0, 2.41780725177450611770e-1,
	2.27238449892691845833e-2, 7.74545014278341407640e-4
};
static const double ds_qn_d[8] = {
	1.0, 2.05319162663775882187e0,
	1.67638483018380384940e0, 6.89767334985100004550e-1,
	1.48103976427480074590e-1, 1.51986665636164571966e-2,
	5.47593808499534494600e-4, 1.05075007164441684324e-9
};
static const double ds_qn_e[8] = {
	6.65790464350110377720e0, 5.46378491116411436990e0,
	1.78482653991729133580e0, 2.96560571828504891230e-1,
	2.65321895265761230930e-2, 1.24266094738807843860e-3,
	2.71155556874348757815e-5, 2.01033439929228813265e-7
};
static const double ds_qn_f[8] = {
	1.0, 5.99832206555887937690e-1,
	1.36929880922735805310e-1, 1.48753612908506148525e-2,
	7.86869131145613259100e-4, 1.84631831751005468180e-5,
	1.42151175831644588870e-7, 2.04426310338993978564e-15
};

double
ds_qnorm(double p)
{
	double		q,
				r,
				val;

	if (isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (p == 0.0)
		return -INFINITY;
	if (p == 1.0)
		return INFINITY;

	q = p - 0.5;
	if (fabs(q) <= 0.425)
	{
		r = 0.180625 - q * q;
		return q * ds_poly7(ds_qn_a, r) / ds_poly7(ds_qn_b, r);
	}

	r = (q < 0.0) ? p : 1.0 - p;
	r = sqrt(-log(r));
	if (r <= 5.0)
	{
		r -= 1.6;
		val = ds_poly7(ds_qn_c, r) / ds_poly7(ds_qn_d, r);
	}
	else
	{
		r -= 5.0;
		val = ds_poly7(ds_qn_e, r) / ds_poly7(ds_qn_f, r);
	}
	return (q < 0.0) ? -val : val;
}

/*
 * ds_pnorm: Phi(x) = erfc(-x / sqrt 2) / 2 using the C99 erfc (accurate to
 * a few ulp over its whole range, including the far tail).
 *
 * The only loss would come from rounding t = -x/sqrt(2): in the tail the
 * relative sensitivity of erfc(t) to t is about 2 t^2, i.e. up to ~1500
 * near the underflow limit.  We therefore compute the rounding error e of
 * t (exactly, with fma and a two-part 1/sqrt 2) and apply the first-order
 * correction erfc(t + e) = erfc(t) - e (2/sqrt pi) exp(-t^2).
 */
double
ds_pnorm(double x)
{
	double		t,
				e,
				r;

	if (isnan(x))
		return NAN;
	if (isinf(x))
		return (x > 0.0) ? 1.0 : 0.0;

	t = -x * DS_SQRT1_2_HI;
	e = fma(-x, DS_SQRT1_2_HI, -t) - x * DS_SQRT1_2_LO;
	r = erfc(t);
	if (t > -6.0)				/* elsewhere r == 2 to working precision */
		r -= e * DS_2_SQRTPI * exp(-t * t);
	return 0.5 * r;
}

/* Upper tail 1 - Phi(x) = Phi(-x), by symmetry, with no subtraction. */
double
ds_pnorm_upper(double x)
{
	return ds_pnorm(-x);
}

/* ------------------------------------------------------------------------
 * Incomplete gamma function
 * ------------------------------------------------------------------------ */

/*
 * Both tails P(a,x), Q(a,x) and the Gamma(a,1) density at x, for a > 0,
 * x > 0 finite.
 *
 * Prefactor D = x^a e^-x / Gamma(a+1) in saddle-point form
 *     D = exp(-bd0(a, x) - stirlerr(a)) / sqrt(2 pi a),
 * accurate to a few ulp even for a ~ 1e6 (see file header).
 *
 * Small-x region (x < a+1, or x < 1 when a < 1): power series
 *     P = D * sum_{n>=0} x^n / ((a+1)(a+2)...(a+n)),
 * all terms positive; P <= ~0.6 there (for a >= 1/2 Q >= 0.08), so
 * Q = 1 - P is accurate too.
 *
 * Otherwise: Legendre's continued fraction for the upper tail
 *     Q = a D * 1/(x+1-a - 1(1-a)/(x+3-a - 2(2-a)/(x+5-a - ...)))
 * evaluated with the modified Lentz algorithm, and P = 1 - Q.
 *
 * Both need O(sqrt(a)) terms near x ~ a; for a = 1e6 that is a few
 * thousand, with rounding errors that accumulate like a random walk.
 */
static void
ds_gamma_tails(double a, double x, double *lower, double *upper, double *dens)
{
	double		D;
	bool		use_series;

	D = exp(-ds_bd0(a, x) - ds_stirlerr(a)) / sqrt(DS_TWO_PI * a);
	*dens = (a / x) * D;

	use_series = (a < 1.0) ? (x < 1.0) : (x < a + 1.0);
	if (use_series)
	{
		double		sum = 1.0;
		double		term = 1.0;
		double		ap = a;
		long		i;

		for (i = 0; i < DS_MAX_TERMS; i++)
		{
			DS_CHECK_INTERRUPTS_EVERY(i);
			ap += 1.0;
			term *= x / ap;
			sum += term;
			if (term <= sum * (0.5 * DBL_EPSILON))
				break;
		}
		*lower = D * sum;
		*upper = 1.0 - *lower;
	}
	else
	{
		double		b = (x - a) + 1.0;	/* x - a exact when x ~ a */
		double		c = 1.0 / DS_TINY;
		double		d = 1.0 / b;
		double		h = d;
		long		i;

		for (i = 1; i < DS_MAX_TERMS; i++)
		{
			double		an = -(double) i * ((double) i - a);
			double		del;

			DS_CHECK_INTERRUPTS_EVERY(i);
			b += 2.0;
			d = an * d + b;
			if (fabs(d) < DS_TINY)
				d = DS_TINY;
			c = b + an / c;
			if (fabs(c) < DS_TINY)
				c = DS_TINY;
			d = 1.0 / d;
			del = d * c;
			h *= del;
			if (fabs(del - 1.0) <= DBL_EPSILON)
				break;
		}
		*upper = a * D * h;
		*lower = 1.0 - *upper;
	}
}

/*
 * Evaluate both tails with the edge cases handled: a == 0 is a point mass
 * at zero, a == inf puts all mass at infinity.  Returns false for invalid
 * arguments.
 */
static bool
ds_gamma_tails_checked(double a, double x, double *lower, double *upper)
{
	double		dens;

	if (isnan(a) || isnan(x) || a < 0.0)
		return false;
	if (x <= 0.0)
	{
		*lower = (a == 0.0 && x == 0.0) ? 1.0 : 0.0;
		*upper = 1.0 - *lower;
		return true;
	}
	if (a == 0.0 || isinf(x))
	{
		*lower = 1.0;
		*upper = 0.0;
		return true;
	}
	if (isinf(a))
	{
		*lower = 0.0;
		*upper = 1.0;
		return true;
	}
	ds_gamma_tails(a, x, lower, upper, &dens);
	return true;
}

/* Regularized lower incomplete gamma P(a, x); see ds_gamma_tails(). */
double
ds_pgamma(double a, double x)
{
	double		lo,
				up;

	if (!ds_gamma_tails_checked(a, x, &lo, &up))
		return NAN;
	return lo;
}

/* Regularized upper incomplete gamma Q(a, x), evaluated directly (the
 * continued fraction) wherever it is the smaller tail. */
double
ds_pgamma_upper(double a, double x)
{
	double		lo,
				up;

	if (!ds_gamma_tails_checked(a, x, &lo, &up))
		return NAN;
	return up;
}

/* Quantiles below the smallest normal double are returned as 0: in the
 * subnormal range neither the root nor the tail probability can be
 * resolved to any useful relative accuracy. */
static double
ds_flush_tiny(double x)
{
	return (x < DBL_MIN) ? 0.0 : x;
}

/*
 * One safeguarded Halley step for a quantile, shared by ds_qgamma and
 * ds_qbeta.  F is the tail probability being matched (lower or upper),
 * target its wanted value, dF = dF/dx (+density or -density), and
 * hd = f'/f, the log-derivative of the density.
 *
 * The equation is solved on the log scale, g(x) = log(F / target), which
 * keeps Newton's method effective deep in the tails where F behaves like
 * an exponential (a linear residual would creep by tiny steps there).
 * g is formed as log1p((F - target)/target) so that it keeps full relative
 * precision as F approaches target.  With g' = dF/F and
 * g''/g' = hd - dF/F, the Halley step is t / (1 - t g''/(2 g')), t = g/g';
 * the correction factor is only applied when it lies in (1/2, 2).
 * Returns NAN if no step can be computed (the caller then bisects).
 */
static double
ds_halley_log_step(double F, double target, double dF, double hd)
{
	double		g,
				gp,
				t,
				denom;

	if (!(F > 0.0) || !(dF != 0.0) || !isfinite(dF))
		return NAN;
	g = log1p((F - target) / target);
	gp = dF / F;
	t = g / gp;
	denom = 1.0 - 0.5 * t * (hd - gp);
	return (denom > 0.5 && denom < 2.0) ? t / denom : t;
}

/*
 * ds_qgamma: quantile of Gamma(a, 1).
 *
 * Start: Wilson-Hilferty cube-root normal approximation
 *     x0 = a (1 - 1/(9a) + z / sqrt(9a))^3,  z = qnorm(p),
 * which is excellent for moderate and large a; for the lower tail of small
 * shapes, where it can go negative or be poor, the leading term of the
 * series, P ~ x^a / Gamma(a+1), gives x0 = (p Gamma(a+1))^(1/a).
 *
 * Refinement: Halley iteration (ds_halley_log_step) on log(P(a,x) / p),
 * or on log(Q(a,x) / (1-p)) when p > 1/2 so that the residual is formed
 * in the small tail, with the density's log-derivative f'/f = (a-1)/x - 1.
 * A bracket [lo, hi] containing the root is maintained from the sign of
 * the residual; a step that leaves it is replaced by bisection (geometric
 * when the bracket spans more than a factor 4, squaring towards 0).
 * Iteration stops when the step is below a few ulp of x, when the bracket
 * is that narrow, or when steps below 1e-13 x stop shrinking (evaluation
 * noise).
 */
double
ds_qgamma(double p, double a)
{
	bool		upper;
	double		target,
				x,
				lo = 0.0,
				hi = INFINITY,
				prev_step = INFINITY;
	int			it;

	if (isnan(p) || isnan(a) || p < 0.0 || p > 1.0 || a < 0.0)
		return NAN;
	if (a == 0.0 || p == 0.0)
		return 0.0;
	if (p == 1.0 || isinf(a))
		return INFINITY;

	/*
	 * Huge shapes: the tails need O(sqrt(a)) terms per evaluation (10^7 at most, seconds per
	 * quantile), while the Cornish-Fisher expansion
	 *     x = a + z sqrt(a) + (z^2 - 1)/3 + (z^3 - 7z)/(36 sqrt(a)) - (3z^4 + 7z^2 - 16)/(810 a)
	 * is exact to double precision there (its next term is ~z^5 a^-3/2, relative ~1e-20 at
	 * a = 1e12, where it agrees with the iteration to the last bit).
	 */
	if (a >= DS_ASYMPTOTIC_SHAPE && fabs(ds_qnorm(p)) < 40.0)
	{
		double		z = ds_qnorm(p);
		double		z2 = z * z;
		double		s = sqrt(a);

		return a + z * s + ((z2 - 1.0) / 3.0 + (z * (z2 - 7.0) / 36.0) / s
							- ((3.0 * z2 + 7.0) * z2 - 16.0) / (810.0 * a));
	}

	upper = (p > 0.5);
	target = upper ? 1.0 - p : p;	/* exact for p > 1/2 */

	/* starting value */
	{
		double		z = ds_qnorm(p);
		double		c = 1.0 / (9.0 * a);
		double		t = 1.0 - c + z * sqrt(c);
		double		xs = -1.0;

		x = (t > 0.0) ? a * t * t * t : -1.0;
		if (!upper)
		{
			double		lxs = (log(p) + ds_lgamma1p(a)) / a;

			/* P(a, x) = x^a / Gamma(a+1) to working precision for tiny x:
			 * a quantile below the smallest normal double is returned as 0 */
			if (lxs < log(DBL_MIN))
				return 0.0;
			xs = exp(lxs);
			if (x <= 0.0 || (a < 10.0 && xs < 0.3 * (a + 1.0)))
				x = xs;
		}
		if (!(x > 0.0) || !isfinite(x))
			x = (xs > 0.0 && isfinite(xs)) ? xs : a;
		if (!(x > 0.0))
			x = DBL_MIN;
	}

	for (it = 0; it < DS_MAX_ROOT_IT; it++)
	{
		double		P,
					Q,
					f,
					g,
					step,
					xn;

		DS_CHECK_INTERRUPTS();
		ds_gamma_tails(a, x, &P, &Q, &f);
		g = upper ? (Q - target) : (P - target);
		if (g == 0.0)
			return ds_flush_tiny(x);
		/* P increases with x, Q decreases */
		if ((g > 0.0) != upper)
			hi = x;
		else
			lo = x;

		step = ds_halley_log_step(upper ? Q : P, target, upper ? -f : f,
								  (a - 1.0) / x - 1.0);
		xn = x - step;

		/* converged: the correction is below a few ulps of x */
		if (fabs(step) <= 4.0 * DBL_EPSILON * x && xn >= lo && xn <= hi)
			return ds_flush_tiny(xn);

		if (!(xn > lo && xn < hi))
		{
			/*
			 * Bisection fallback.  Towards 0 or infinity the steps grow
			 * geometrically (hi^2 for hi < 1), so that even extreme
			 * quantiles are bracketed in a few dozen steps; a root below
			 * the smallest normal double is returned as 0.
			 */
			if (isinf(hi))
				xn = 8.0 * x;
			else if (lo == 0.0)
			{
				if (hi <= DBL_MIN)
					return 0.0;
				xn = fmin(hi * hi, 0.125 * hi);
				if (xn < DBL_MIN)
					xn = DBL_MIN;
			}
			else if (hi > 4.0 * lo)
				xn = sqrt(lo) * sqrt(hi);
			else
				xn = 0.5 * (lo + hi);
			step = x - xn;
			prev_step = INFINITY;
		}

		if ((fabs(step) < 1e-13 * xn && fabs(step) >= 0.5 * prev_step) ||
			(hi - lo) <= 4.0 * DBL_EPSILON * xn)
			return ds_flush_tiny(xn);
		prev_step = fabs(step);
		x = xn;
	}
	return ds_flush_tiny(x);
}

/* Chi-square quantile: chi2_df = 2 * Gamma(df/2, 1). */
double
ds_qchisq(double p, double df)
{
	return 2.0 * ds_qgamma(p, 0.5 * df);
}

/* ------------------------------------------------------------------------
 * Incomplete beta function
 * ------------------------------------------------------------------------ */

/*
 * The incomplete beta function is evaluated, after the symmetry
 * I_x(a,b) = 1 - I_{1-x}(b,a), only on the lower side of the mean,
 * x < (a+1)/(a+b+2), where the wanted tail is the smaller one.  Three
 * methods are used there, chosen by ds_beta_lower_side():
 *
 *  1. the hypergeometric power series (positive terms; the default),
 *  2. an expansion in incomplete gamma functions for a >> b and x near 1,
 *     where the series needs ~1/(1-x) terms and both it and the continued
 *     fraction lose about a * 1e-17 relative to rounding,
 *  3. the classical continued fraction (fallback for anything else).
 *
 * When both shapes are huge, S = a b / (a + b) >= DS_BETA_ASYM_MIN (1e6),
 * ds_beta_tails() uses method 4 instead, a uniform asymptotic expansion
 * (ds_beta_tail_asym()): methods 1 and 3 need O(sqrt(S)) terms near the
 * centre there (up to the 10^7-term cap, 0.1 s and more per evaluation at
 * S ~ 1e15, so seconds per quantile), and method 2 overflowed for b of
 * 1e7 and more (I_x = -inf around the mean of Beta(1e7, 1e9)).
 *
 * With K = x^a y^b / (a B(a,b)), methods 1 and 3 return I_x(a,b) / K.
 */

/*
 * Method 1: Gauss hypergeometric series
 *     I_x(a,b) = K * 2F1(a+b, 1; a+1; x)
 *              = K * sum_{n>=0} t_n,  t_{n+1} = t_n x (a+b+n) / (a+1+n).
 * On the lower side the ratio is < 1 from the start, so all terms are
 * positive and decreasing.  Near the centre of a distribution with large
 * a, b this is markedly more accurate than the continued fraction (whose
 * recurrences cancel heavily there), at the price of O(sqrt(a / (1-x)))
 * terms.  With tens of thousands of terms, the rounding errors of the
 * ratio recurrence are correlated and would add up to ~1e-13, so the
 * ratio and the running term are carried in double-double (fma-based
 * error-free products) and the sum is compensated (Neumaier).  For the
 * same reason x is taken as x + x_lo, x_lo being the representation error
 * when x is the rounded complement of an exact y: the sum is sensitive to
 * x roughly in proportion to the number of terms.
 */
static double
ds_beta_series(double x, double x_lo, double a, double b)
{
	double		sum = 1.0,
				comp = 0.0;		/* Neumaier compensation */
	double		t = 1.0,
				t_lo = 0.0;		/* term as t + t_lo */
	double		apb = a + b;
	long		n;

	for (n = 0; n < DS_MAX_TERMS; n++)
	{
		double		dn = (double) n;
		double		num_f = apb + dn;
		double		den = a + 1.0 + dn;
		double		num = x * num_f;
		double		num_lo = fma(x, num_f, -num) + x_lo * num_f;
		double		q = num / den;
		double		q_lo = (fma(-q, den, num) + num_lo) / den;
		double		nt = t * q;
		double		nt_lo = fma(t, q, -nt) + (t * q_lo + t_lo * q);
		double		ns;

		DS_CHECK_INTERRUPTS_EVERY(n);
		t = nt + nt_lo;
		t_lo = nt_lo - (t - nt);

		ns = sum + t;
		if (fabs(sum) >= fabs(t))
			comp += (sum - ns) + t;
		else
			comp += (t - ns) + sum;
		sum = ns;
		if (t <= sum * (0.25 * DBL_EPSILON))
			break;
	}
	return sum + comp;
}

/*
 * Rough number of terms ds_beta_series() needs (used to decide whether to
 * use it).  The ratio starts at r0 = x (a+b)/(a+1) and tends to x; near
 * the centre the terms decay like a Gaussian of width ~ sqrt((a+1)/(1-x)).
 */
static double
ds_beta_series_cost(double x, double y, double a, double b)
{
	double		tail = 37.0 / -log(x);

	if (b > 1.0)
	{
		double		r0 = x * (a + b) / (a + 1.0);
		double		geo = 37.0 / -log(r0);
		double		gauss = 9.0 * sqrt((a + 1.0) / y) + tail;

		return (geo < gauss) ? geo : gauss;
	}
	return tail + 1.0;
}

/*
 * Coefficients e_k = B_2k / (2k (2k)!) (B = Bernoulli numbers) of
 *     log( sinh(s/2) / (s/2) ) = sum_{k>=1} e_k s^(2k).
 * Further terms are below 1e-35 and irrelevant for |s| << 2 pi.
 */
static const double ds_lsinhc[20] = {
	0.0416666666666666666667,
	-0.000347222222222222222222,
	0.00000551146384479717813051,
	-1.03339947089947089947e-7,
	2.08767569878680989792e-9,
	-4.40349178223957765404e-11,
	9.55895466477477059488e-13,
	-2.11855018520161429177e-14,
	4.77003447570991364674e-16,
	-1.08743434927903093652e-17,
	2.50409219470919523418e-19,
	-5.81436028575521805863e-21,
	1.35950270754979518142e-22,
	-3.19768479537055244657e-24,
	7.5598415077922768677e-26,
	-1.79524708402256326414e-27,
	4.27991904592607324078e-29,
	-1.02388748351814171616e-30,
	2.45703533081448544001e-32,
	-5.9125560392515748364e-34
};

#define DS_GEXP_MAX	400			/* max terms of the gamma expansion */

/*
 * T * (log1pmx(be/T) - log1pmx(-al/T)) for be = al + 1, summed term by
 * term from log1pmx(w) = sum_{k>=2} (-1)^(k+1) w^k / k.  The two halves
 * are each ~ -be^2/(2T) but their difference is ~ b^3/(12 T^2); the k = 2
 * term, -(be^2 - al^2)/(2T), is formed as -(be + al)(be - al)/(2T) and
 * the later terms are small enough that their own rounding is harmless.
 */
static double
ds_gexp_tdiff(double al, double be, double T)
{
	double		w1 = be / T;
	double		w2 = -al / T;
	double		sum,
				p1,
				p2;
	int			k;

	if (fabs(w1) > 0.25 || fabs(w2) > 0.25)
		return T * (ds_log1pmx(w1) - ds_log1pmx(w2));

	sum = -0.5 * (be + al) * (be - al) / T;
	p1 = w1 * w1;
	p2 = w2 * w2;
	for (k = 3; k < 200; k++)
	{
		double		t,
					nsum;

		p1 *= w1;
		p2 *= w2;
		t = T * (p1 - p2) / (double) k;
		nsum = (k % 2 == 0) ? sum - t : sum + t;
		if (nsum == sum)
			break;
		sum = nsum;
	}
	return sum;
}

/*
 * Method 2: expansion in incomplete gamma functions, for a large and x
 * close to 1 (the regime of a Beta(a, b) with a >> b).
 *
 * Substituting t = exp(-s) in the beta integral gives
 *     I_x(a,b) = 1/B(a,b) * int_{u0}^inf e^{-a s} (1 - e^{-s})^(b-1) ds,
 * with u0 = -log x.  Writing 1 - e^{-s} = s e^{-s/2} sinh(s/2)/(s/2) and
 * T = a + (b-1)/2, the integrand is e^{-T s} s^(b-1) g(s)^(b-1) with
 * g(s) = sinh(s/2)/(s/2).  Expanding
 *     g(s)^(b-1) = exp((b-1) sum_k e_k s^2k) = sum_n c_n s^2n
 * (c_n from the standard power-series exponential recurrence
 * n c_n = sum_k k (b-1) e_k c_{n-k}) and integrating term by term:
 *
 *     I_x(a,b) = F * sum_n c_n (b)_{2n} / T^2n * Q(b + 2n, T u0),
 *     F = Gamma(a+b) / (Gamma(a) T^b),
 *
 * with Q the upper regularized incomplete gamma function, obtained for
 * b + 2n from Q(b, u) by the exact positive recurrence
 * Q(s+1, u) = Q(s, u) + u^s e^-u / Gamma(s+1).  log F is small (about
 * -b^3/(24 T^2)) while log Gamma(a+b) - log Gamma(a) and b log T are huge,
 * so it is rewritten with a = T - al, a + b = T + be (al = (b-1)/2,
 * be = (b+1)/2) and Stirling's formula; all terms of size b or b^2/T
 * then cancel analytically, leaving
 *     log F = T (log1pmx(be/T) - log1pmx(-al/T))
 *             + (b/2) log1p((1 - al be/T) / T)
 *             + stirlerr(a+b) - stirlerr(a),
 * with log1pmx(w) = log(1+w) - w; the first difference is itself summed
 * as one series (ds_gexp_tdiff) since its two parts are ~b^2/T each.
 * The expansion is asymptotic in 1/T (exponentially small error when
 * T >> 1); its terms behave like those of a Poisson sum with mean about
 * b^3 / (24 T^2), which the caller keeps moderate.  Returns false if the
 * sum has not converged within DS_GEXP_MAX terms.
 */
static bool
ds_beta_large_a(double y, double a, double b, double *result)
{
	double		c[DS_GEXP_MAX + 1];
	double		hb = 0.5 * (b - 1.0);
	double		T = a + hb;
	double		T_lo,
				apb,
				u0,
				u,
				u_lo,
				logF,
				P,
				Q,
				dens,
				D,
				s,
				R,
				sum;
	int			n,
				small = 0;

	/*
	 * u = -T log x must be known to better than working precision: the
	 * relative sensitivity of Q(b, u) to u is about |u - b|, i.e. up to
	 * z sqrt(b) standard deviations, so a rounded u would cost ~1e-12
	 * for b ~ 1e5.  T (two-sum) and u0 = -log1p(-y) (double-double atanh
	 * series, y < 0.1 here) are therefore carried with their low parts,
	 * and u = u_hi + u_lo enters Q and D through first-order corrections.
	 */
	T_lo = ds_two_sum_err(a, hb, T);
	apb = a + b;
	{
		double		d = 2.0 - y;
		double		d_lo = ds_two_sum_err(2.0, -y, d);
		double		v = y / d;
		double		v_lo = (fma(-v, d, y) - v * d_lo) / d;
		double		v2 = v * v,
					pw = v * v2,
					tail = 0.0;
		double		u0_lo;
		int			j;

		/* -log1p(-y) = 2 atanh(v) = 2 (v + v^3/3 + v^5/5 + ...) */
		for (j = 3; j < 100; j += 2)
		{
			double		nt = tail + pw / (double) j;

			if (nt == tail)
				break;
			tail = nt;
			pw *= v2;
		}
		u0 = 2.0 * v;
		u0_lo = 2.0 * v_lo + 2.0 * tail;
		{
			double		t = u0 + u0_lo;

			u0_lo = u0_lo - (t - u0);
			u0 = t;
		}
		u = T * u0;
		u_lo = fma(T, u0, -u) + T * u0_lo + T_lo * u0;
	}

	{
		double		al = hb;	/* a   = T - al */
		double		be = hb + 1.0;	/* a+b = T + be */

		logF = ds_gexp_tdiff(al, be, T)
			+ 0.5 * b * log1p((1.0 - al * be / T) / T)
			+ ds_stirlerr(apb) - ds_stirlerr(a);
	}

	ds_gamma_tails(b, u, &P, &Q, &dens);
	D = dens * u / b;			/* u^b e^-u / Gamma(b+1) */
	/* first-order corrections for u_lo: dQ/du = -dens, dD/du = D (b/u - 1) */
	Q -= dens * u_lo;
	D += D * ((b - u) / u) * u_lo;
	s = b;						/* current shape of Q and D */
	R = 1.0;					/* (b)_{2n} / T^2n */
	c[0] = 1.0;
	sum = Q;

	for (n = 1; n <= DS_GEXP_MAX; n++)
	{
		double		cn = 0.0;
		double		term;
		int			k,
					kmax = (n < 20) ? n : 20;

		for (k = 1; k <= kmax; k++)
			cn += (double) k * ds_lsinhc[k - 1] * c[n - k];
		cn *= (b - 1.0) / (double) n;
		c[n] = cn;

		/* Q(s+2) = Q(s) + D(s) + D(s+1) */
		Q += D;
		D *= u / (s + 1.0);
		s += 1.0;
		Q += D;
		D *= u / (s + 1.0);
		s += 1.0;

		R *= (b + 2.0 * n - 2.0) * (b + 2.0 * n - 1.0) / (T * T);
		term = cn * R * Q;
		sum += term;
		if (fabs(term) <= 0.25 * DBL_EPSILON * fabs(sum))
		{
			if (++small >= 2)
			{
				*result = exp(logF) * sum;
				return true;
			}
		}
		else
			small = 0;
	}
	return false;
}

/*
 * Method 3: continued fraction for the incomplete beta function in the
 * even/odd form
 *     I_x(a,b) = K / (1 + d1/(1 + d2/(1 + ...))),
 *     d_{2m+1} = -(a+m)(a+b+m) x / ((a+2m)(a+2m+1)),
 *     d_{2m}   =  m (b-m) x / ((a+2m-1)(a+2m)),
 * evaluated with the modified Lentz algorithm.  It converges for
 * x < (a+1)/(a+b+2) in O(sqrt(max(a, b))) steps, but near the centre of a
 * distribution with large a, b or for x near 1 with large a its
 * recurrences cancel and lose up to ~a * 1e-17 relative accuracy.
 */
static double
ds_beta_cf(double x, double a, double b)
{
	double		apb = a + b;
	double		c = 1.0;
	double		d = 1.0 - apb * x / (a + 1.0);
	double		h;
	long		m;

	if (fabs(d) < DS_TINY)
		d = DS_TINY;
	d = 1.0 / d;
	h = d;
	for (m = 1; m < DS_MAX_TERMS; m++)
	{
		double		dm = (double) m;
		double		m2 = 2.0 * dm;
		double		aa,
					del;

		DS_CHECK_INTERRUPTS_EVERY(m);
		/* even step */
		aa = dm * (b - dm) * x / ((a + m2 - 1.0) * (a + m2));
		d = 1.0 + aa * d;
		if (fabs(d) < DS_TINY)
			d = DS_TINY;
		c = 1.0 + aa / c;
		if (fabs(c) < DS_TINY)
			c = DS_TINY;
		d = 1.0 / d;
		h *= d * c;

		/* odd step */
		aa = -(a + dm) * (apb + dm) * x / ((a + m2) * (a + m2 + 1.0));
		d = 1.0 + aa * d;
		if (fabs(d) < DS_TINY)
			d = DS_TINY;
		c = 1.0 + aa / c;
		if (fabs(c) < DS_TINY)
			c = DS_TINY;
		d = 1.0 / d;
		del = d * c;
		h *= del;
		if (fabs(del - 1.0) <= DBL_EPSILON)
			break;
	}
	return h;
}

#define DS_BETA_SERIES_MAX	2e5		/* series term budget */

/*
 * I_x(a,b) for x < (a+1)/(a+b+2) (lower side of the mean), given the
 * binomial kernel kern = kernel(a, b; x, y), so K = kern * b/(a+b).
 * Method choice (see above): the gamma expansion when x > 0.9 and
 * T = a + (b-1)/2 >= 1000 with b^3/(24 T^2) <= 60 (fast convergence);
 * else the series if affordable; else the continued fraction.
 */
static double
ds_beta_lower_side(double x, double y, double a, double b, double kern)
{
	double		K = kern * (b / (a + b));
	double		T = a + 0.5 * (b - 1.0);
	double		x_lo = (x > y) ? (1.0 - x) - y : 0.0;	/* exact */
	double		res;

	if (y < 0.1 && T >= 1000.0 &&
		fabs(b - 1.0) * b * b <= 24.0 * 60.0 * T * T &&
		ds_beta_large_a(y, a, b, &res))
		return res;
	if (ds_beta_series_cost(x, y, a, b) <= DS_BETA_SERIES_MAX)
		return K * ds_beta_series(x, x_lo, a, b);
	return K * ds_beta_cf(x, a, b);
}

/*
 * Method 4: uniform asymptotic expansion, when both shapes are huge
 * (S = a b / (a + b) >= DS_BETA_ASYM_MIN).
 *
 * The other methods need O(sqrt(S)) terms near the centre of such a
 * distribution (10^7 continued-fraction steps, over 100 ms, at S ~ 1e15;
 * the series and the continued fraction also lose ~1e-10 at S ~ 1e12 and
 * ~1e-7 at 1e18), while this expansion costs a few hundred flops whatever
 * the size and is exact to double precision there.
 *
 * With s = a + b, x0 = a/s, y0 = 1 - x0, write t = x0 + x0 y0 r and define
 * rho by rho^2 / 2 = sum_{j>=2} r^j (x0^(j-1) - (-y0)^(j-1)) / j (the
 * exponent of the beta density, relative to its mode), sign(rho) =
 * sign(r).  Then t^(a-1) (1-t)^(b-1) dt is proportional to
 * exp(-S rho^2 / 2) h(rho) d rho with h analytic, h(0) = 1
 * (ds_asym_weights).  Integrating h's Taylor series term by term, with
 * v = rho sqrt(S) and M_j(w) = int_w^inf v^j exp(-v^2/2) dv (exact
 * recurrence),
 *     P(T > x) = sum_j h_j S^(-j/2) M_j(w) / (sqrt(2 pi) sum_j h_2j S^-j (2j-1)!!),
 * w = rho(x) sqrt(S), the smaller tail always computed directly.  The
 * series is asymptotic in 1/S with terms falling like (|w| / sqrt(S))^j:
 * 13 terms are far below double precision for S >= 1e9.
 * w^2 / 2 = bd0(a, s x) + bd0(b, s y) is formed from the shapes and the
 * means in double-double (ds_beta_deviance), since at 10^18 rounding
 * either would move the result in its sixth digit.
 */
#define DS_ASYM_TERMS	12		/* terms of the expansion in S^(-1/2) */
#define DS_ASYM_LEN		(DS_ASYM_TERMS + 2)
#define DS_SQRT_2PI		2.5066282746310002

/* m ((1 + e) log(1 + e) - e), e = d / m: the deviance a log(a/m) - (a - m) for a = m + d */
static double
ds_bd0_near(double d, double m)
{
	double		e = d / m;

	if (fabs(e) < 0.01)
	{
		/* sum_{k>=2} (-e)^k / (k (k - 1)): 8 terms reach 1e-17 at |e| = 0.01 */
		double		sum = 0.0,
					pw = -e;
		int			k;

		for (k = 2; k <= 10; k++)
		{
			pw *= -e;
			sum += pw / (double) (k * (k - 1));
		}
		return m * sum;
	}
	/* (1 + e) log1p(e) - e = (1 + e) log1pmx(e) + e^2: no cancellation of the ~e terms, which
	 * cost ~1e-14 relative at |e| ~ 0.02 (1e-11 in a tail of 1e-229) */
	return m * ((1.0 + e) * ds_log1pmx(e) + e * e);
}

/* power series of length DS_ASYM_LEN: log (a[0] = 1), exp (b[0] = 0), product */

static void
ds_series_log(const double *a, double *b)	/* a[0] = 1 */
{
	int			n,
				k;

	b[0] = 0.0;
	for (n = 1; n < DS_ASYM_LEN; n++)
	{
		double		t = 0.0;

		for (k = 1; k < n; k++)
			t += (double) k * b[k] * a[n - k];
		b[n] = a[n] - t / (double) n;
	}
}

static void
ds_series_exp(const double *b, double *e)	/* b[0] = 0 */
{
	int			n,
				k;

	e[0] = 1.0;
	for (n = 1; n < DS_ASYM_LEN; n++)
	{
		double		t = 0.0;

		for (k = 1; k <= n; k++)
			t += (double) k * b[k] * e[n - k];
		e[n] = t / (double) n;
	}
}

static void
ds_series_mul(const double *a, const double *b, double *c)
{
	int			n,
				k;

	for (n = 0; n < DS_ASYM_LEN; n++)
	{
		double		t = 0.0;

		for (k = 0; k <= n; k++)
			t += a[k] * b[n - k];
		c[n] = t;
	}
}

/*
 * Coefficients h_k of the weight of the beta integral in the variable rho
 * (above), for the mean x0 = a/s and y0 = 1 - x0.
 */
static void
ds_asym_weights(double x0, double y0, double *h)
{
	double		g[DS_ASYM_LEN],
				lg[DS_ASYM_LEN],
				pw[DS_ASYM_LEN],
				r[DS_ASYM_LEN],
				rp[DS_ASYM_LEN],
				rpow[DS_ASYM_LEN],
				dr[DS_ASYM_LEN],
				tmp[DS_ASYM_LEN];
	double		xp = x0,
				yp = -y0;
	int			j,
				n;

	/* rho^2 = r^2 G(r), G = sum g_j r^j, g_j = 2 (x0^(j+1) - (-y0)^(j+1)) / (j + 2) */
	for (j = 0; j < DS_ASYM_LEN; j++)
	{
		g[j] = 2.0 * (xp - yp) / (double) (j + 2);
		xp *= x0;
		yp *= -y0;
	}
	g[0] = 1.0;
	ds_series_log(g, lg);
	/* Lagrange inversion of rho = r G(r)^(1/2): [rho^n] r = [r^(n-1)] G^(-n/2) / n */
	r[0] = 0.0;
	for (n = 1; n < DS_ASYM_LEN; n++)
	{
		for (j = 0; j < DS_ASYM_LEN; j++)
			tmp[j] = -0.5 * (double) n * lg[j];
		ds_series_exp(tmp, pw);
		r[n] = pw[n - 1] / (double) n;
	}
	for (j = 0; j < DS_ASYM_LEN - 1; j++)
		rp[j] = (double) (j + 1) * r[j + 1];
	rp[DS_ASYM_LEN - 1] = 0.0;
	/* 1 / ((1 + y0 r)(1 - x0 r)) = sum_j d_j r^j, composed with r(rho) */
	for (j = 0; j < DS_ASYM_LEN; j++)
	{
		dr[j] = 0.0;
		rpow[j] = 0.0;
	}
	rpow[0] = 1.0;
	for (j = 0; j < DS_ASYM_LEN; j++)
	{
		double		d = 0.0,
					yi = 1.0;
		int			i;

		for (i = 0; i <= j; i++)
		{
			d += yi * pow(x0, (double) (j - i));
			yi *= -y0;
		}
		for (n = 0; n < DS_ASYM_LEN; n++)
			dr[n] += d * rpow[n];
		ds_series_mul(rpow, r, tmp);
		for (n = 0; n < DS_ASYM_LEN; n++)
			rpow[n] = tmp[n];
	}
	ds_series_mul(rp, dr, h);
}

void
ds_beta_deviance(double a, double a_lo, double b, double b_lo,
				 double x, double x_lo, double y, double y_lo,
				 double *dev, bool *below, double *x0, double *S)
{
	double		s,
				s_lo,
				ma,
				ma_lo,
				mb,
				mb_lo,
				da,
				db;

	s = a + b;
	s_lo = ((a >= b) ? (a - s) + b : (b - s) + a) + a_lo + b_lo;	/* fast two-sum */
	ma = s * x;
	ma_lo = fma(s, x, -ma) + s * x_lo + s_lo * x;
	mb = s * y;
	mb_lo = fma(s, y, -mb) + s * y_lo + s_lo * y;
	da = (a - ma) + (a_lo - ma_lo);
	db = (b - mb) + (b_lo - mb_lo);
	*dev = ds_bd0_near(da, ma + ma_lo) + ds_bd0_near(db, mb + mb_lo);
	*below = (da < 0.0);
	*x0 = a / s;
	*S = a * (b / s);
}

double
ds_beta_tail_asym(double a, double a_lo, double b, double b_lo,
				  double x, double x_lo, double y, double y_lo, bool *above)
{
	double		dev,
				x0,
				y0,
				S,
				w;
	double		h[DS_ASYM_LEN];
	double		E,
				M[DS_ASYM_LEN];
	double		rs,
				sk = 1.0,
				dfact = 1.0,
				num = 0.0,
				den = 0.0;
	bool		below;
	int			j;

	/* x below the mean a/s of T: dev measures how far a lies above s x */
	ds_beta_deviance(a, a_lo, b, b_lo, x, x_lo, y, y_lo, &dev, &below, &x0, &S);
	*above = below;				/* a < s x: x above the mean */
	w = sqrt(2.0 * dev);
	y0 = 1.0 - x0;
	if (w > 38.5)
		return 0.0;				/* below 1e-300 */

	E = exp(-0.5 * w * w);
	rs = 1.0 / sqrt(S);
	ds_asym_weights(x0, y0, h);
	M[0] = DS_SQRT_2PI * ds_pnorm_upper(w);
	M[1] = E;
	for (j = 2; j < DS_ASYM_LEN; j++)
		M[j] = pow(w, (double) (j - 1)) * E + (double) (j - 1) * M[j - 2];
	for (j = 0; j <= DS_ASYM_TERMS; j++)
	{
		/* below the mean the small tail is the lower one: rho -> -rho */
		double		hj = (*above || j % 2 == 0) ? h[j] : -h[j];

		num += hj * sk * M[j];
		if (j % 2 == 0)
		{
			den += h[j] * sk * dfact;
			dfact *= (double) (j + 1);
		}
		sk *= rs;
	}
	return num / (DS_SQRT_2PI * den);
}

/*
 * Both tails of the Beta(a, b) distribution at x, with y = 1 - x supplied
 * separately (see ds_binom_kernel() for the precondition), plus the
 * density.  a, b > 0; 0 < x, y.
 *
 * The prefactor uses ds_binom_kernel(), since
 *     x^a y^b / B(a,b) = kernel(a, b; x, y) * a b / (a + b).
 * The tail on the lower side of the mean is computed directly, the other
 * as its complement:
 *     x < (a+1)/(a+b+2):  I_x(a,b)   directly,
 *     otherwise:          1-I_x(a,b) = I_y(b,a) directly.
 * For very skewed shapes (a or b well below 1) the switch point is far
 * from the median and the complement can be the smaller tail; if the
 * direct value exceeds 1/2 and the other side's series still converges
 * (ratio x (a+b)/(a+1) < 1, resp. y (a+b)/(b+1) < 1), the other tail is
 * computed directly as well.
 */
static void
ds_beta_tails(double x, double y, double a, double b,
			  double *lower, double *upper, double *dens)
{
	double		kern = ds_binom_kernel(a, b, x, y);
	double		apb = a + b;

	*dens = kern * ((a / apb) * b) / (x * y);
	if (a * (b / apb) >= DS_BETA_ASYM_MIN)
	{
		/* method 4; the smaller of x, y is exact, the other its rounded complement */
		double		x_lo = (x > y) ? (1.0 - x) - y : 0.0;
		double		y_lo = (x > y) ? 0.0 : (1.0 - y) - x;
		bool		above;
		double		small = ds_beta_tail_asym(a, 0.0, b, 0.0, x, x_lo, y, y_lo, &above);

		*lower = above ? 1.0 - small : small;
		*upper = above ? small : 1.0 - small;
		return;
	}
	if (x * (apb + 2.0) < a + 1.0)
	{
		*lower = ds_beta_lower_side(x, y, a, b, kern);
		*upper = 1.0 - *lower;
		/* skewed shapes (a < 1): the other tail may be the small one */
		if (*lower > 0.5 && y * apb < b + 1.0)
			*upper = ds_beta_lower_side(y, x, b, a, kern);
	}
	else
	{
		*upper = ds_beta_lower_side(y, x, b, a, kern);
		*lower = 1.0 - *upper;
		/* skewed shapes (b < 1): the other tail may be the small one */
		if (*upper > 0.5 && x * apb < a + 1.0)
			*lower = ds_beta_lower_side(x, y, a, b, kern);
	}
}

/* Regularized incomplete beta function I_x(a, b); see ds_beta_tails().
 * Degenerate shapes follow the limiting distributions (a = 0: mass at 0,
 * b = 0: mass at 1, both: half at each end). */
double
ds_pbeta(double x, double a, double b)
{
	double		lo,
				up,
				dens;

	if (isnan(x) || isnan(a) || isnan(b) || a < 0.0 || b < 0.0)
		return NAN;
	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	if (a == 0.0 || b == 0.0 || isinf(a) || isinf(b))
	{
		if (a == 0.0 && b == 0.0)
			return 0.5;
		if (a == 0.0 || isinf(b))
			return 1.0;
		if (b == 0.0 || isinf(a))
			return 0.0;
		return NAN;				/* both infinite */
	}
	ds_beta_tails(x, 1.0 - x, a, b, &lo, &up, &dens);
	return lo;
}

/*
 * ds_qbeta: inverse of I_x(a, b) in x.
 *
 * Start: for a, b >= 1 a normal approximation on the logit-like scale
 * (Abramowitz & Stegun 26.5.22 form), otherwise the two power-law tail
 * approximations I ~ x^a / (a B) near 0 and 1 - I ~ (1-x)^b / (b B)
 * near 1, with B replaced by its crude value at the mode.
 *
 * Refinement: Halley iteration (ds_halley_log_step) on log(I_x / p), or
 * on log((1 - I_x) / (1 - p)) when p > 1/2, with f'/f = (a-1)/x -
 * (b-1)/(1-x), safeguarded by a bracket in (0, 1) with bisection fallback
 * (geometric near 0 or 1).  Stops as ds_qgamma does, with the noise test
 * measured against min(x, 1-x).
 */
double
ds_qbeta(double p, double a, double b)
{
	return ds_qbeta_evals(p, a, b, NULL);
}

double
ds_qbeta_evals(double p, double a, double b, int *evals)
{
	bool		upper;
	double		target,
				x,
				lo = 0.0,
				hi = 1.0,
				prev_step = INFINITY;
	int			it;

	if (evals)
		*evals = 0;
	if (isnan(p) || isnan(a) || isnan(b) || p < 0.0 || p > 1.0 ||
		a < 0.0 || b < 0.0)
		return NAN;
	if (a == 0.0 || b == 0.0 || isinf(a) || isinf(b))
	{
		if (a == 0.0 && b == 0.0)
			return (p < 0.5) ? 0.0 : (p > 0.5) ? 1.0 : 0.5;
		if (a == 0.0 || isinf(b))
			return 0.0;
		if (b == 0.0 || isinf(a))
			return 1.0;
		return NAN;
	}
	if (p == 0.0)
		return 0.0;
	if (p == 1.0)
		return 1.0;

	upper = (p > 0.5);
	target = upper ? 1.0 - p : p;

	/* starting value */
	if (a >= 1.0 && b >= 1.0)
	{
		double		yz = -ds_qnorm(p);
		double		lam = (yz * yz - 3.0) / 6.0;
		double		ra = 1.0 / (2.0 * a - 1.0);
		double		rb = 1.0 / (2.0 * b - 1.0);
		double		h = 2.0 / (ra + rb);
		double		w = yz * sqrt(h + lam) / h
			- (rb - ra) * (lam + 5.0 / 6.0 - 2.0 / (3.0 * h));

		x = a / (a + b * exp(2.0 * w));
	}
	else
	{
		double		lna = log(a / (a + b));
		double		lnb = log(b / (a + b));
		double		t = exp(a * lna) / a;
		double		u = exp(b * lnb) / b;
		double		w = t + u;

		if (p < t / w)
			x = pow(a * w * p, 1.0 / a);
		else
			x = 1.0 - pow(b * w * (1.0 - p), 1.0 / b);
	}
	if (!(x > 0.0 && x < 1.0))
		x = 0.5;

	for (it = 0; it < DS_MAX_ROOT_IT; it++)
	{
		double		y = 1.0 - x;
		double		I,
					J,
					f,
					g,
					step,
					xn;

		DS_CHECK_INTERRUPTS();
		if (evals)
			*evals = it + 1;
		ds_beta_tails(x, y, a, b, &I, &J, &f);
		g = upper ? (J - target) : (I - target);
		if (g == 0.0)
			return ds_flush_tiny(x);
		if ((g > 0.0) != upper)
			hi = x;
		else
			lo = x;

		step = ds_halley_log_step(upper ? J : I, target, upper ? -f : f,
								  (a - 1.0) / x - (b - 1.0) / y);
		xn = x - step;

		/* converged: the correction is below a few ulps of x */
		if (fabs(step) <= 4.0 * DBL_EPSILON * x && xn >= lo && xn <= hi)
			return ds_flush_tiny(xn);

		if (!(xn > lo && xn < hi))
		{
			/*
			 * Bisection fallback, geometric towards 0 and 1 (see
			 * ds_qgamma).  A root below the smallest normal double is
			 * returned as 0, one above the largest double below 1 as 1.
			 */
			if (lo == 0.0)
			{
				if (hi <= DBL_MIN)
					return 0.0;
				xn = fmin(hi * hi, 0.125 * hi);
				if (xn < DBL_MIN)
					xn = DBL_MIN;
			}
			else if (hi == 1.0)
			{
				double		d = 1.0 - lo;

				xn = 1.0 - fmin(d * d, 0.125 * d);
				if (xn >= 1.0 || xn <= lo)
					return 1.0;
			}
			else if (hi <= 0.5 && hi > 4.0 * lo)
				xn = sqrt(lo) * sqrt(hi);
			else if (lo >= 0.5 && (1.0 - lo) > 4.0 * (1.0 - hi))
				xn = 1.0 - sqrt(1.0 - lo) * sqrt(1.0 - hi);
			else
				xn = 0.5 * (lo + hi);
			step = x - xn;
			prev_step = INFINITY;
		}

		if ((fabs(step) < 1e-13 * fmin(xn, 1.0 - xn) && fabs(step) >= 0.5 * prev_step) ||
			(hi - lo) <= 4.0 * DBL_EPSILON * xn)
			return ds_flush_tiny(xn);
		prev_step = fabs(step);
		x = xn;
	}
	return ds_flush_tiny(x);
}

/* ------------------------------------------------------------------------
 * Binomial distribution
 * ------------------------------------------------------------------------ */

/*
 * ds_pbinom: P(X <= k) = I_{1-p}(n-k, k+1) (the standard binomial / beta
 * identity), evaluated through ds_beta_tails() with y = p passed exactly,
 * so that no precision is lost forming 1 - p for small p.
 */
double
ds_pbinom(long k, long n, double p)
{
	double		lo,
				up,
				dens;

	if (n < 0 || isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (k < 0)
		return 0.0;
	if (k >= n)
		return 1.0;
	if (p == 0.0)
		return 1.0;
	if (p == 1.0)
		return 0.0;
	ds_beta_tails(1.0 - p, p, (double) (n - k), (double) k + 1.0,
				  &lo, &up, &dens);
	return lo;
}

/*
 * ds_dbinom: P(X = k), with Loader's saddle-point form (ds_binom_kernel):
 * no large log-gamma values are subtracted, so relative accuracy is kept
 * for n up to 1e7 and beyond.  The end points k = 0 and k = n are
 * (1-p)^n and p^n, computed via log1p / log.
 */
double
ds_dbinom(long k, long n, double p)
{
	if (n < 0 || isnan(p) || p < 0.0 || p > 1.0)
		return NAN;
	if (k < 0 || k > n)
		return 0.0;
	if (p == 0.0)
		return (k == 0) ? 1.0 : 0.0;
	if (p == 1.0)
		return (k == n) ? 1.0 : 0.0;
	if (k == 0)
		return exp((double) n * log1p(-p));
	if (k == n)
		return exp((double) n * log(p));
	return ds_binom_kernel((double) k, (double) (n - k), p, 1.0 - p);
}
