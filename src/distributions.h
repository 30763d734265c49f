/*
 * distributions.h
 *    Numerical core: normal, gamma/chi-square, beta and binomial
 *    distribution functions in portable C99.
 *
 * This header and distributions.c depend only on <math.h>, <float.h> and
 * <stdbool.h>; they contain no PostgreSQL code so they can be unit tested
 * standalone (see test/c/test_distributions.c).  Every exported symbol is
 * prefixed ds_ to stay clear of PostgreSQL and libm names.  There is no
 * global or static mutable state, so all functions are re-entrant and safe
 * to call from parallel workers or threads.
 *
 * Conventions:
 *  - Invalid arguments (NaN, negative shape, probability outside [0,1],
 *    ...) give NAN.  Callers are expected to validate first.
 *  - Probabilities exactly 0 or 1 passed to a quantile function give the
 *    corresponding limit of the support (e.g. ds_qnorm(0) = -INFINITY,
 *    ds_qgamma(1, a) = INFINITY, ds_qbeta(0, a, b) = 0), as in R.
 *  - Gamma and beta quantiles below the smallest normal double (~2.2e-308)
 *    are returned as 0, and beta quantiles that round to 1 as 1.
 *  - Degenerate shapes follow the limiting distributions: ds_qgamma(p, 0)
 *    = ds_qchisq(p, 0) = 0 (point mass at zero), ds_pgamma(0, x) = 1 for
 *    x >= 0; ds_pbeta/ds_qbeta with a = 0 or b = 0 put the mass at 0 or 1.
 *
 * Accuracy (checked against R and 60-digit references, see the test):
 * about 1e-13 relative or better for the CDFs and 1e-14 for the quantiles
 * over shapes up to 1e7, n up to 1e7 and tail probabilities down to
 * ~1e-300; the error of a CDF grows roughly like |log(result)| * 1e-16.
 * Beta quantiles with both shapes from 1e9 to 9.2e18: within 7e-17 of
 * 30-digit references (probabilities 1e-300 to 1 - 2^-52), in at most
 * 2 evaluations of the incomplete beta (constant cost at those sizes).
 */
#ifndef DS_DISTRIBUTIONS_H
#define DS_DISTRIBUTIONS_H

#include <stdbool.h>

/*
 * Cancellation: every loop that can run long (series, continued fractions,
 * root finders) calls DS_CHECK_INTERRUPTS().  In the server it is
 * ds_check_interrupts() (module.c: CHECK_FOR_INTERRUPTS()), so a query
 * cancel or statement_timeout lands at once; the standalone unit test
 * links a no-op definition.  It may not return (longjmp out of the loop),
 * which is safe: the code here holds no resources.
 */
extern void ds_check_interrupts(void);
#define DS_CHECK_INTERRUPTS() ds_check_interrupts()
/* Series inner loops are cheap per term: check every 1024 terms. */
#define DS_CHECK_INTERRUPTS_EVERY(i) \
	do { if (((i) & 1023) == 0) ds_check_interrupts(); } while (0)

/* ---- Standard normal ------------------------------------------------ */

/* Quantile of N(0,1): returns z with Phi(z) = p, p in (0,1). */
extern double ds_qnorm(double p);

/* Lower-tail CDF Phi(x) of N(0,1). */
extern double ds_pnorm(double x);

/* Upper-tail probability 1 - Phi(x), computed directly (no cancellation). */
extern double ds_pnorm_upper(double x);

/* ---- Gamma / chi-square -------------------------------------------- */

/* Regularized lower incomplete gamma P(a, x), a > 0, x >= 0. */
extern double ds_pgamma(double a, double x);

/* Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x), computed
 * directly so that small upper tails keep full relative accuracy. */
extern double ds_pgamma_upper(double a, double x);

/* Quantile of Gamma(shape a, scale 1): x with P(a, x) = p.
 * a = 0 (point mass at zero) gives 0. */
extern double ds_qgamma(double p, double a);

/* Quantile of chi-square with df degrees of freedom = 2 * ds_qgamma(p, df/2). */
extern double ds_qchisq(double p, double df);

/* ---- Beta ----------------------------------------------------------- */

/* Regularized incomplete beta function I_x(a, b), a > 0, b > 0. */
extern double ds_pbeta(double x, double a, double b);

/* Inverse of I_x(a, b) in x: returns x with I_x(a, b) = p. */
extern double ds_qbeta(double p, double a, double b);

/* The same, also storing in *evals (if not NULL) the number of evaluations
 * of the incomplete beta function it took (bounded: see the unit test). */
extern double ds_qbeta_evals(double p, double a, double b, int *evals);

/*
 * Both shapes huge, S = a b / (a + b) >= DS_BETA_ASYM_MIN: the tails of
 * Beta(a, b) by a uniform asymptotic expansion (exact to double precision
 * there, constant cost).  Shapes are given exactly as a + a_lo, b + b_lo
 * (counts beyond 2^53 are not doubles) and the point as x + x_lo with
 * x + x_lo + y + y_lo = 1 exactly.
 *
 * ds_beta_deviance: dev = bd0(a, s x) + bd0(b, s y) with s = a + b,
 * bd0(v, m) = v log(v/m) - (v - m), formed in double-double; *below is
 * a < s x (x above the mean a/s), *x0 = a/s, *S = a b / s.
 *
 * ds_beta_tail_asym: the smaller tail, P(T > x) when x is above the mean
 * (*above set true), else P(T <= x).
 */
#define DS_BETA_ASYM_MIN 1e6
extern void ds_beta_deviance(double a, double a_lo, double b, double b_lo,
							 double x, double x_lo, double y, double y_lo,
							 double *dev, bool *below, double *x0, double *S);
extern double ds_beta_tail_asym(double a, double a_lo, double b, double b_lo,
								double x, double x_lo, double y, double y_lo,
								bool *above);

/* ---- Binomial ------------------------------------------------------- */

/* P(X <= k) for X ~ Binomial(n, p). */
extern double ds_pbinom(long k, long n, double p);

/* P(X = k) for X ~ Binomial(n, p). */
extern double ds_dbinom(long k, long n, double p);

#endif /* DS_DISTRIBUTIONS_H */
