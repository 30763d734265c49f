/*
 * change.c — year-on-year change: matched-panel aggregates and the significance of a change
 * between two periods.
 *
 * Matched panel: a unit (force) takes part only when it has both years (for rates: all four
 * counts); otherwise it is left out of BOTH years and counted in units_left_out, so the
 * change compares like with like ("the 35 forces that provided data for both years").
 *
 * Aggregate state: da.change_state, a fixed 56-byte pass-by-reference type (SQL-visible, as
 * da.rate_state). Sums are int64 with overflow checks, updated in place under
 * AggCheckCallContext; the moving-aggregate inverse is exact. The transition functions are
 * non-strict (a NULL must be counted, not skipped); INITCOND keeps the state non-NULL.
 *
 * Significance:
 *   rate ratio new/old of two Poisson counts over exposures, as R's
 *   poisson.test(c(x_new, x_old), c(n_new, n_old)): exact conditional binomial test of
 *   x_new | x_new + x_old ~ Bin(x_new + x_old, n_new / (n_new + n_old)), two-sided p-value by
 *   binom.test's convention (sum of the probabilities <= the observed one times 1 + 1e-7),
 *   Clopper-Pearson limits transformed to the ratio; above DS_CHANGE_EXACT_MAX (10^8) events
 *   in the two periods together, with both counts positive, a normal approximation on the log
 *   rate ratio (the exact test's bisection stays cheap, but the approximation is then within
 *   any published precision).
 *   difference of two proportions in percentage points with Newcombe's (1998, method 10)
 *   hybrid score interval built from the two Wilson intervals.
 */
#include "da_stats.h"

#include <math.h>

#include "distributions.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

/* Above this many events in the two periods together the rate test uses the normal approximation. */
#define DS_CHANGE_EXACT_MAX INT64CONST(100000000)

typedef struct ChangeState
{
	int64		old_num;		/* old-year count (or numerator) over matched units */
	int64		old_den;		/* old-year denominator (rates only) */
	int64		new_num;		/* new-year count (or numerator) */
	int64		new_den;		/* new-year denominator (rates only) */
	int64		units;			/* units with both years */
	int64		left_out;		/* units with a year (or a count) missing */
	int64		per;			/* rate multiplier; 0 = not yet known; counts: 0 */
} ChangeState;

#define CHANGE_STATE_FIELDS 7

PG_FUNCTION_INFO_V1(change_state_in);
PG_FUNCTION_INFO_V1(change_state_out);
PG_FUNCTION_INFO_V1(change_state_recv);
PG_FUNCTION_INFO_V1(change_state_send);
PG_FUNCTION_INFO_V1(change_count_accum);
PG_FUNCTION_INFO_V1(change_count_retract);
PG_FUNCTION_INFO_V1(change_rate_accum);
PG_FUNCTION_INFO_V1(change_rate_retract);
PG_FUNCTION_INFO_V1(change_combine);
PG_FUNCTION_INFO_V1(matched_change_final);
PG_FUNCTION_INFO_V1(matched_rate_change_final);
PG_FUNCTION_INFO_V1(ds_rate_change_test);
PG_FUNCTION_INFO_V1(ds_proportion_change_test);

/* ---------- the state type: text form (old_num,old_den,new_num,new_den,units,left_out,per) ---------- */

static void
change_state_check(const ChangeState *s)
{
	if (s->old_num < 0 || s->old_den < 0 || s->new_num < 0 || s->new_den < 0 ||
		s->units < 0 || s->left_out < 0 || s->per < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid da.change_state value"),
				 errdetail("All fields must be >= 0.")));
}

Datum
change_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *copy = pstrdup(str);
	char	   *p = copy;
	char	   *fields[CHANGE_STATE_FIELDS];
	int			nfields = 0;
	size_t		len;
	ChangeState *s;

	while (*p == ' ')
		p++;
	len = strlen(p);
	while (len > 0 && p[len - 1] == ' ')
		p[--len] = '\0';
	if (len < 2 || p[0] != '(' || p[len - 1] != ')')
		goto bad;
	p[len - 1] = '\0';
	p++;
	for (;;)
	{
		char	   *comma = strchr(p, ',');

		if (nfields == CHANGE_STATE_FIELDS)
			goto bad;
		fields[nfields++] = p;
		if (comma == NULL)
			break;
		*comma = '\0';
		p = comma + 1;
	}
	if (nfields != CHANGE_STATE_FIELDS)
		goto bad;

	s = (ChangeState *) palloc(sizeof(ChangeState));
	s->old_num = pg_strtoint64(fields[0]);
	s->old_den = pg_strtoint64(fields[1]);
	s->new_num = pg_strtoint64(fields[2]);
	s->new_den = pg_strtoint64(fields[3]);
	s->units = pg_strtoint64(fields[4]);
	s->left_out = pg_strtoint64(fields[5]);
	s->per = pg_strtoint64(fields[6]);
	change_state_check(s);
	PG_RETURN_POINTER(s);

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type da.change_state: \"%s\"", str),
			 errdetail("Expected (old_num,old_den,new_num,new_den,units,left_out,per).")));
	PG_RETURN_NULL();			/* keep the compiler quiet */
}

Datum
change_state_out(PG_FUNCTION_ARGS)
{
	ChangeState *s = (ChangeState *) PG_GETARG_POINTER(0);

	PG_RETURN_CSTRING(psprintf("(" INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT ","
							   INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT ","
							   INT64_FORMAT ")", s->old_num, s->old_den, s->new_num,
							   s->new_den, s->units, s->left_out, s->per));
}

Datum
change_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ChangeState *s = (ChangeState *) palloc(sizeof(ChangeState));

	s->old_num = pq_getmsgint64(buf);
	s->old_den = pq_getmsgint64(buf);
	s->new_num = pq_getmsgint64(buf);
	s->new_den = pq_getmsgint64(buf);
	s->units = pq_getmsgint64(buf);
	s->left_out = pq_getmsgint64(buf);
	s->per = pq_getmsgint64(buf);
	change_state_check(s);
	PG_RETURN_POINTER(s);
}

Datum
change_state_send(PG_FUNCTION_ARGS)
{
	ChangeState *s = (ChangeState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, s->old_num);
	pq_sendint64(&buf, s->old_den);
	pq_sendint64(&buf, s->new_num);
	pq_sendint64(&buf, s->new_den);
	pq_sendint64(&buf, s->units);
	pq_sendint64(&buf, s->left_out);
	pq_sendint64(&buf, s->per);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- transition ---------- */

/* The aggregate's own state in place, or a fresh copy for a direct SQL call. */
static ChangeState *
change_state_for_update(FunctionCallInfo fcinfo)
{
	ChangeState *s;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("da.change_state must not be NULL")));
	s = (ChangeState *) PG_GETARG_POINTER(0);
	if (AggCheckCallContext(fcinfo, NULL))
		return s;
	return (ChangeState *) memcpy(palloc(sizeof(ChangeState)), s, sizeof(ChangeState));
}

/* True when any of the value arguments 1..nvalues is NULL. */
static bool
change_any_null(FunctionCallInfo fcinfo, int nvalues)
{
	int			i;

	for (i = 1; i <= nvalues; i++)
		if (PG_ARGISNULL(i))
			return true;
	return false;
}

/* (state, old bigint, new bigint) */
static Datum
change_count_step(FunctionCallInfo fcinfo, int sign)
{
	ChangeState *s = change_state_for_update(fcinfo);
	int64		old_value,
				new_value;

	if (change_any_null(fcinfo, 2))
	{
		s->left_out += sign;
		PG_RETURN_POINTER(s);
	}
	old_value = PG_GETARG_INT64(1);
	new_value = PG_GETARG_INT64(2);
	ds_check_count(old_value, "old_value");
	ds_check_count(new_value, "new_value");
	if (sign > 0)
	{
		s->old_num = ds_add_count(s->old_num, old_value, "old-year counts");
		s->new_num = ds_add_count(s->new_num, new_value, "new-year counts");
	}
	else
	{
		s->old_num = ds_sub_count(s->old_num, old_value, "old-year counts");
		s->new_num = ds_sub_count(s->new_num, new_value, "new-year counts");
	}
	s->units += sign;
	PG_RETURN_POINTER(s);
}

Datum
change_count_accum(PG_FUNCTION_ARGS)
{
	return change_count_step(fcinfo, 1);
}

Datum
change_count_retract(PG_FUNCTION_ARGS)
{
	return change_count_step(fcinfo, -1);
}

static void
change_state_set_per(ChangeState *s, int64 per)
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

/* (state, old_num, old_den, new_num, new_den [, per]) */
static Datum
change_rate_step(FunctionCallInfo fcinfo, int sign)
{
	ChangeState *s = change_state_for_update(fcinfo);
	int64		v[4];
	int			i;

	if (PG_NARGS() > 5)
	{
		if (PG_ARGISNULL(5))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the \"per\" multiplier must not be NULL")));
		change_state_set_per(s, PG_GETARG_INT64(5));
	}
	if (change_any_null(fcinfo, 4))
	{
		s->left_out += sign;
		PG_RETURN_POINTER(s);
	}
	for (i = 0; i < 4; i++)
		v[i] = PG_GETARG_INT64(i + 1);
	ds_check_count(v[0], "old_numerator");
	ds_check_count(v[1], "old_denominator");
	ds_check_count(v[2], "new_numerator");
	ds_check_count(v[3], "new_denominator");
	if (sign > 0)
	{
		s->old_num = ds_add_count(s->old_num, v[0], "old-year numerators");
		s->old_den = ds_add_count(s->old_den, v[1], "old-year denominators");
		s->new_num = ds_add_count(s->new_num, v[2], "new-year numerators");
		s->new_den = ds_add_count(s->new_den, v[3], "new-year denominators");
	}
	else
	{
		s->old_num = ds_sub_count(s->old_num, v[0], "old-year numerators");
		s->old_den = ds_sub_count(s->old_den, v[1], "old-year denominators");
		s->new_num = ds_sub_count(s->new_num, v[2], "new-year numerators");
		s->new_den = ds_sub_count(s->new_den, v[3], "new-year denominators");
	}
	s->units += sign;
	PG_RETURN_POINTER(s);
}

Datum
change_rate_accum(PG_FUNCTION_ARGS)
{
	return change_rate_step(fcinfo, 1);
}

Datum
change_rate_retract(PG_FUNCTION_ARGS)
{
	return change_rate_step(fcinfo, -1);
}

Datum
change_combine(PG_FUNCTION_ARGS)
{
	ChangeState *a = change_state_for_update(fcinfo);
	ChangeState *b = (ChangeState *) PG_GETARG_POINTER(1);

	if (b->per != 0)
		change_state_set_per(a, b->per);
	a->old_num = ds_add_count(a->old_num, b->old_num, "old-year numerators");
	a->old_den = ds_add_count(a->old_den, b->old_den, "old-year denominators");
	a->new_num = ds_add_count(a->new_num, b->new_num, "new-year numerators");
	a->new_den = ds_add_count(a->new_den, b->new_den, "new-year denominators");
	a->units = ds_add_count(a->units, b->units, "units");
	a->left_out = ds_add_count(a->left_out, b->left_out, "units");
	PG_RETURN_POINTER(a);
}

/* ---------- final functions (never modify the state) ---------- */

static TupleDesc
change_result_tupdesc(FunctionCallInfo fcinfo)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	return BlessTupleDesc(tupdesc);
}

/* 100 * (b - a) / a as exact numeric, trailing zeros trimmed; a != 0. */
static Datum
numeric_pct_change(Datum a, Datum b)
{
	Datum		diff = DirectFunctionCall2(numeric_sub, b, a);
	Datum		scaled = DirectFunctionCall2(numeric_mul, diff,
											 NumericGetDatum(int64_to_numeric(100)));

	return DirectFunctionCall1(numeric_trim_scale,
							   DirectFunctionCall2(numeric_div, scaled, a));
}

/*
 * (old_total, new_total, pct_change, units_included, units_left_out). With no matched unit
 * the totals and the change are NULL (as sum() over no rows), the unit counts still given.
 */
Datum
matched_change_final(PG_FUNCTION_ARGS)
{
	ChangeState *s = (ChangeState *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc = change_result_tupdesc(fcinfo);
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (s->units == 0)
		nulls[0] = nulls[1] = nulls[2] = true;
	else
	{
		values[0] = Int64GetDatum(s->old_num);
		values[1] = Int64GetDatum(s->new_num);
		if (s->old_num == 0)
			nulls[2] = true;	/* a change from nothing has no percent */
		else
			values[2] = ds_rate_numeric(ds_sub_count(s->new_num, s->old_num, "counts"),
										s->old_num, 100);
	}
	values[3] = Int64GetDatum(s->units);
	values[4] = Int64GetDatum(s->left_out);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * (old_rate, new_rate, change, pct_change_of_rate, units_included, units_left_out): rates are
 * ratios of sums over the matched units, per "per"; change = new_rate - old_rate in the
 * rate's units (percentage points for per 100). NULL where a denominator sum is 0.
 */
Datum
matched_rate_change_final(PG_FUNCTION_ARGS)
{
	ChangeState *s = (ChangeState *) PG_GETARG_POINTER(0);
	TupleDesc	tupdesc = change_result_tupdesc(fcinfo);
	Datum		values[6];
	bool		nulls[6] = {true, true, true, true, false, false};

	if (s->units > 0 && s->per > 0)
	{
		if (s->old_den > 0)
		{
			values[0] = ds_rate_numeric(s->old_num, s->old_den, s->per);
			nulls[0] = false;
		}
		if (s->new_den > 0)
		{
			values[1] = ds_rate_numeric(s->new_num, s->new_den, s->per);
			nulls[1] = false;
		}
		if (!nulls[0] && !nulls[1])
		{
			values[2] = DirectFunctionCall2(numeric_sub, values[1], values[0]);
			nulls[2] = false;
			if (s->old_num > 0)
			{
				/* exact: 100 * (nn/nd - on/od) / (on/od) = 100 * (nn*od - on*nd) / (on*nd) */
				Datum		a = DirectFunctionCall2(numeric_mul,
													NumericGetDatum(int64_to_numeric(s->old_num)),
													NumericGetDatum(int64_to_numeric(s->new_den)));
				Datum		b = DirectFunctionCall2(numeric_mul,
													NumericGetDatum(int64_to_numeric(s->new_num)),
													NumericGetDatum(int64_to_numeric(s->old_den)));

				values[3] = numeric_pct_change(a, b);
				nulls[3] = false;
			}
		}
	}
	values[4] = Int64GetDatum(s->units);
	values[5] = Int64GetDatum(s->left_out);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ---------- significance of a change ---------- */

static const char *
change_verdict(bool significant, bool up)
{
	if (!significant)
		return "No significant change";
	return up ? "Significant increase" : "Significant decrease";
}

/*
 * Two-sided p-value of x ~ Bin(n, p) by binom.test's rule: the total probability of the
 * outcomes no more likely than x (with relative tolerance 1e-7). q = 1 - p, passed separately
 * so the upper tail P(X >= j) = P(n - X <= n - j) keeps its relative accuracy. The
 * probabilities fall monotonically away from the mean on each side, so the far side's
 * boundary is found by bisection.
 */
static double
binom_two_sided_p(int64 x, int64 n, double p, double q)
{
	const double rel = 1.0 + 1e-7;
	double		d = ds_dbinom(x, n, p);
	double		m = (double) n * p;
	double		pval;

	if ((double) x == m)
		return 1.0;
	if ((double) x < m)
	{
		/* first i in [ceil(m), n] with dbinom(i) <= d * rel (dbinom non-increasing there) */
		int64		lo = (int64) ceil(m),
					hi = n + 1;

		while (lo < hi)
		{
			int64		mid = lo + (hi - lo) / 2;

			if (ds_dbinom(mid, n, p) <= d * rel)
				hi = mid;
			else
				lo = mid + 1;
		}
		pval = ds_pbinom(x, n, p);
		if (lo <= n)
			pval += ds_pbinom(n - lo, n, q);	/* P(X >= lo) */
	}
	else
	{
		/* last i in [0, floor(m)] with dbinom(i) <= d * rel (dbinom non-decreasing there) */
		int64		lo = -1,
					hi = (int64) floor(m);

		while (lo < hi)
		{
			int64		mid = hi - (hi - lo) / 2;

			if (ds_dbinom(mid, n, p) <= d * rel)
				lo = mid;
			else
				hi = mid - 1;
		}
		pval = ds_pbinom(n - x, n, q);	/* P(X >= x) */
		if (lo >= 0)
			pval += ds_pbinom(lo, n, p);
	}
	return pval > 1.0 ? 1.0 : pval;
}

static void
change_test_args(FunctionCallInfo fcinfo, int64 *x_old, int64 *n_old, int64 *x_new,
				 int64 *n_new, double *level)
{
	*x_old = PG_GETARG_INT64(0);
	*n_old = PG_GETARG_INT64(1);
	*x_new = PG_GETARG_INT64(2);
	*n_new = PG_GETARG_INT64(3);
	*level = PG_GETARG_FLOAT8(4);
	ds_check_count(*x_old, "old_count");
	ds_check_count(*n_old, "old_base");
	ds_check_count(*x_new, "new_count");
	ds_check_count(*n_new, "new_base");
	ds_check_level(*level);
}

/*
 * da.rate_change_test(old_count, old_base, new_count, new_base, level)
 *   -> (rate_ratio, lower, upper, p_value, method, verdict)
 * rate_ratio = (new_count/new_base) / (old_count/old_base). NULL when a base is 0.
 * An unbounded limit (or ratio, when old_count = 0) is NULL.
 */
Datum
ds_rate_change_test(PG_FUNCTION_ARGS)
{
	int64		x_old,
				n_old,
				x_new,
				n_new,
				total;
	double		level,
				alpha,
				p_value,
				lower = 0.0,
				upper = 0.0;
	bool		upper_null = false;
	const char *method;
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};

	change_test_args(fcinfo, &x_old, &n_old, &x_new, &n_new, &level);
	if (n_old == 0 || n_new == 0)
		PG_RETURN_NULL();		/* no rate without a base */
	tupdesc = change_result_tupdesc(fcinfo);
	alpha = 1.0 - level;
	total = ds_add_count(x_old, x_new, "counts");

	if (total <= DS_CHANGE_EXACT_MAX || x_old == 0 || x_new == 0)
	{
		double		base_total = (double) n_new + (double) n_old;
		double		p = (double) n_new / base_total;
		double		q = (double) n_old / base_total;
		double		scale = (double) n_old / (double) n_new;

		method = "exact conditional binomial";
		p_value = (total == 0) ? 1.0 : binom_two_sided_p(x_new, total, p, q);
		/* Clopper-Pearson limits of x_new / total, then pi / (1 - pi) * n_old / n_new */
		if (x_new == 0)
			lower = 0.0;
		else
		{
			double		pl = ds_qbeta(alpha / 2.0, (double) x_new, (double) (total - x_new + 1));

			lower = pl / (1.0 - pl) * scale;
		}
		if (x_new == total)
			upper_null = true;
		else
		{
			double		pu = ds_qbeta(1.0 - alpha / 2.0, (double) (x_new + 1), (double) (total - x_new));

			upper = pu / (1.0 - pu) * scale;
		}
	}
	else
	{
		/* log RR +/- z * sqrt(1/x_new + 1/x_old); both counts are positive here */
		double		z = ds_level_z(level);
		double		log_rr = log((double) x_new / (double) n_new) - log((double) x_old / (double) n_old);
		double		se = sqrt(1.0 / (double) x_new + 1.0 / (double) x_old);

		method = "normal approximation (log rate ratio)";
		p_value = 2.0 * ds_pnorm_upper(fabs(log_rr) / se);
		lower = exp(log_rr - z * se);
		upper = exp(log_rr + z * se);
	}

	/* the ratio itself, exact: (x_new * n_old) / (x_old * n_new) */
	if (x_old == 0)
		nulls[0] = true;
	else
		values[0] = DirectFunctionCall1(numeric_trim_scale,
										DirectFunctionCall2(numeric_div,
															DirectFunctionCall2(numeric_mul,
																				NumericGetDatum(int64_to_numeric(x_new)),
																				NumericGetDatum(int64_to_numeric(n_old))),
															DirectFunctionCall2(numeric_mul,
																				NumericGetDatum(int64_to_numeric(x_old)),
																				NumericGetDatum(int64_to_numeric(n_new)))));
	values[1] = ds_float8_numeric(lower);
	if (upper_null)
		nulls[2] = true;
	else
		values[2] = ds_float8_numeric(upper);
	values[3] = Float8GetDatum(p_value);
	values[4] = CStringGetTextDatum(method);
	/* direction from the rates: new_count * old_base vs old_count * new_base */
	values[5] = CStringGetTextDatum(change_verdict(p_value < alpha,
												   (double) x_new * (double) n_old >
												   (double) x_old * (double) n_new));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * da.proportion_change_test(old_count, old_base, new_count, new_base, level)
 *   -> (old_pct, new_pct, pp_change, lower, upper, method, verdict)
 * In percentage points; Newcombe's hybrid score interval for new - old. Significant when the
 * interval excludes 0. NULL when a base is 0.
 */
Datum
ds_proportion_change_test(PG_FUNCTION_ARGS)
{
	int64		x_old,
				n_old,
				x_new,
				n_new;
	double		level,
				z,
				p1,
				p2,
				l1,
				u1,
				l2,
				u2,
				d,
				lower,
				upper;
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {false, false, false, false, false, false, false};

	change_test_args(fcinfo, &x_old, &n_old, &x_new, &n_new, &level);
	if (x_old > n_old || x_new > n_new)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("count must not exceed base for a proportion"),
				 errdetail("Old: " INT64_FORMAT " of " INT64_FORMAT "; new: " INT64_FORMAT " of " INT64_FORMAT ".",
						   x_old, n_old, x_new, n_new),
				 errhint("For events that can outnumber the base use da.rate_change_test.")));
	if (n_old == 0 || n_new == 0)
		PG_RETURN_NULL();
	tupdesc = change_result_tupdesc(fcinfo);
	z = ds_level_z(level);
	p1 = (double) x_old / (double) n_old;
	p2 = (double) x_new / (double) n_new;
	ds_wilson_limits((double) x_old, (double) n_old, z, &l1, &u1);
	ds_wilson_limits((double) x_new, (double) n_new, z, &l2, &u2);
	d = p2 - p1;
	lower = d - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
	upper = d + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));

	values[0] = ds_rate_numeric(x_old, n_old, 100);
	values[1] = ds_rate_numeric(x_new, n_new, 100);
	values[2] = DirectFunctionCall2(numeric_sub, values[1], values[0]);
	values[3] = ds_float8_numeric(100.0 * lower);
	values[4] = ds_float8_numeric(100.0 * upper);
	values[5] = CStringGetTextDatum("Newcombe hybrid score");
	values[6] = CStringGetTextDatum(change_verdict(lower > 0.0 || upper < 0.0, lower > 0.0));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
