/*
 * change.c — year-on-year change done right.
 *
 *   percent change               100 (new - old) / old            "Up 17%"
 *   percentage-point change      new_rate - old_rate               "Down 7 percentage points"
 *   matched panel                sums over the units present in BOTH years only
 *
 * The matched-panel aggregates share one fixed-size SQL-visible state, da.change_state:
 * (old numerator, old denominator, new numerator, new denominator, units included, units left
 * out, per).  The count version uses only the numerators.  A unit with any input NULL is left
 * out of both years and counted, so a national change never silently mixes two panels.
 */
#include "da_stats.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

typedef struct ChangeState
{
	int64		old_num;
	int64		old_den;
	int64		new_num;
	int64		new_den;
	int64		included;
	int64		left_out;
	int64		per;
} ChangeState;

#define CHANGE_STATE_FIELDS 7

PG_FUNCTION_INFO_V1(ds_pct_change);
PG_FUNCTION_INFO_V1(change_state_in);
PG_FUNCTION_INFO_V1(change_state_out);
PG_FUNCTION_INFO_V1(change_state_recv);
PG_FUNCTION_INFO_V1(change_state_send);
PG_FUNCTION_INFO_V1(change_count_accum);
PG_FUNCTION_INFO_V1(change_count_retract);
PG_FUNCTION_INFO_V1(change_rate_accum);
PG_FUNCTION_INFO_V1(change_rate_retract);
PG_FUNCTION_INFO_V1(change_combine);
PG_FUNCTION_INFO_V1(change_count_final);
PG_FUNCTION_INFO_V1(change_rate_final);

/* ---------- percent change ---------- */

static bool
numeric_is_zero(Numeric n)
{
	return DatumGetBool(DirectFunctionCall2(numeric_eq, NumericGetDatum(n),
											NumericGetDatum(int64_to_numeric(0))));
}

static void
check_change_input(Numeric n, const char *argname)
{
	if (numeric_is_nan(n) || numeric_is_inf(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", argname)));
	if (DatumGetBool(DirectFunctionCall2(numeric_lt, NumericGetDatum(n),
										 NumericGetDatum(int64_to_numeric(0)))))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", argname),
				 errdetail("The %s was %s.", argname,
						   DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)))),
				 errhint("Counts and rates are never negative; check the source figures.")));
}

/* 100 (new - old) / old, exact and trimmed; callers handle old = 0. */
static Datum
pct_change_of(Numeric old_value, Numeric new_value)
{
	Numeric		diff;

	diff = numeric_sub_opt_error(new_value, old_value, NULL);
	diff = numeric_mul_opt_error(diff, int64_to_numeric(100), NULL);
	return DirectFunctionCall1(numeric_trim_scale,
							   NumericGetDatum(numeric_div_opt_error(diff, old_value, NULL)));
}

Datum
ds_pct_change(PG_FUNCTION_ARGS)
{
	Numeric		old_value = PG_GETARG_NUMERIC(0);
	Numeric		new_value = PG_GETARG_NUMERIC(1);

	check_change_input(old_value, "old value");
	check_change_input(new_value, "new value");
	if (numeric_is_zero(old_value))
		PG_RETURN_NULL();		/* no base to compare with */
	return pct_change_of(old_value, new_value);
}

/* ---------- the state type: text form (old_num,old_den,new_num,new_den,included,left_out,per) ---------- */

static void
change_state_check(const ChangeState *s)
{
	if (s->old_num < 0 || s->old_den < 0 || s->new_num < 0 || s->new_den < 0 ||
		s->included < 0 || s->left_out < 0 || s->per < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid da.change_state value"),
				 errdetail("Every field must be >= 0.")));
}

/*
 * Strict: exactly seven whole numbers in parentheses, each in the range of bigint (an
 * out-of-range field is an error, never clamped), blanks allowed around the parentheses
 * and the numbers (as the sscanf() this replaces allowed).
 */
Datum
change_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *copy = pstrdup(str);
	char	   *fields[CHANGE_STATE_FIELDS];
	int64		f[CHANGE_STATE_FIELDS];
	int			i;
	ChangeState *s;

	if (!ds_split_state_text(copy, fields, CHANGE_STATE_FIELDS))
		goto bad;
	for (i = 0; i < CHANGE_STATE_FIELDS; i++)
	{
		const char *q = fields[i];
		bool		negative = false;
		bool		digits = false;

		while (ds_is_blank(*q))
			q++;
		if (*q == '-' || *q == '+')
			negative = (*q++ == '-');
		f[i] = 0;
		/* accumulate negatively: -9223372036854775808 is in range, its negation is not */
		for (; *q >= '0' && *q <= '9'; q++)
		{
			digits = true;
			if (unlikely(pg_mul_s64_overflow(f[i], 10, &f[i]) ||
						 pg_sub_s64_overflow(f[i], *q - '0', &f[i])))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("value in da.change_state \"%s\" is out of range for type bigint", str)));
		}
		while (ds_is_blank(*q))
			q++;
		if (!digits || *q != '\0')
			goto bad;
		if (!negative)
		{
			if (unlikely(f[i] == PG_INT64_MIN))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("value in da.change_state \"%s\" is out of range for type bigint", str)));
			f[i] = -f[i];
		}
	}

	s = (ChangeState *) palloc(sizeof(ChangeState));
	s->old_num = f[0];
	s->old_den = f[1];
	s->new_num = f[2];
	s->new_den = f[3];
	s->included = f[4];
	s->left_out = f[5];
	s->per = f[6];
	change_state_check(s);
	PG_RETURN_POINTER(s);

bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type da.change_state: \"%s\"", str),
			 errdetail("Expected (old_num,old_den,new_num,new_den,included,left_out,per).")));
	PG_RETURN_NULL();			/* keep the compiler quiet */
}

Datum
change_state_out(PG_FUNCTION_ARGS)
{
	ChangeState *s = (ChangeState *) PG_GETARG_POINTER(0);

	PG_RETURN_CSTRING(psprintf("(" INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT ","
							   INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT ","
							   INT64_FORMAT ")", s->old_num, s->old_den, s->new_num,
							   s->new_den, s->included, s->left_out, s->per));
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
	s->included = pq_getmsgint64(buf);
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
	pq_sendint64(&buf, s->included);
	pq_sendint64(&buf, s->left_out);
	pq_sendint64(&buf, s->per);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- transition ---------- */

/* In place inside an aggregate; a copy when called directly from SQL. */
static ChangeState *
change_state_for_update(FunctionCallInfo fcinfo)
{
	/* the transition functions are not STRICT: a direct call may pass a NULL state */
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("da.change_state must not be NULL")));
	return (ChangeState *) ds_state_for_update(fcinfo, sizeof(ChangeState));
}

static bool
any_arg_null(FunctionCallInfo fcinfo, int first, int last)
{
	int			i;

	for (i = first; i <= last; i++)
		if (PG_ARGISNULL(i))
			return true;
	return false;
}

/*
 * One unit (force) with its old and new values.  sign = +1 adds it, -1 removes it (the
 * moving-aggregate inverse).  vals: old_num, old_den, new_num, new_den (dens unused = 0).
 */
static void
change_apply(ChangeState *s, const int64 *vals, bool left_out, int sign)
{
	if (sign < 0)
	{
		/* only what was added can be removed: no field goes below zero */
		if (left_out ? s->left_out == 0
			: (s->included == 0 || vals[0] > s->old_num || vals[1] > s->old_den ||
			   vals[2] > s->new_num || vals[3] > s->new_den))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove a unit from da.change_state that was not added to it"),
					 errdetail("Sums and unit counts never go below zero: only what was added can be removed.")));
	}
	if (left_out)
	{
		s->left_out = sign > 0 ? ds_add_count(s->left_out, 1, "units")
			: s->left_out - 1;
		return;
	}
	if (sign > 0)
	{
		s->old_num = ds_add_count(s->old_num, vals[0], "old values");
		s->old_den = ds_add_count(s->old_den, vals[1], "old denominators");
		s->new_num = ds_add_count(s->new_num, vals[2], "new values");
		s->new_den = ds_add_count(s->new_den, vals[3], "new denominators");
		s->included = ds_add_count(s->included, 1, "units");
	}
	else
	{
		s->old_num -= vals[0];
		s->old_den -= vals[1];
		s->new_num -= vals[2];
		s->new_den -= vals[3];
		s->included--;
	}
}

static Datum
change_count_step(FunctionCallInfo fcinfo, int sign)
{
	ChangeState *s = change_state_for_update(fcinfo);
	int64		vals[4] = {0, 0, 0, 0};
	bool		left_out = any_arg_null(fcinfo, 1, 2);

	if (!left_out)
	{
		vals[0] = PG_GETARG_INT64(1);
		vals[2] = PG_GETARG_INT64(2);
		ds_check_count(vals[0], "old value");
		ds_check_count(vals[2], "new value");
	}
	change_apply(s, vals, left_out, sign);
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

/* (state, old_num, old_den, new_num, new_den [, per]) */
static Datum
change_rate_step(FunctionCallInfo fcinfo, int sign)
{
	ChangeState *s = change_state_for_update(fcinfo);
	int64		vals[4] = {0, 0, 0, 0};
	bool		left_out = any_arg_null(fcinfo, 1, 4);
	int			i;

	if (PG_NARGS() > 5 && !PG_ARGISNULL(5))
	{
		int64		per = PG_GETARG_INT64(5);

		ds_check_per(per);
		if (s->per == 0)
			s->per = per;
		else if (s->per != per)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the \"per\" multiplier must be the same on every row"),
					 errdetail("Saw " INT64_FORMAT " and " INT64_FORMAT ".", s->per, per)));
	}
	if (!left_out)
	{
		static const char *const names[] = {"old numerator", "old denominator",
		"new numerator", "new denominator"};

		for (i = 0; i < 4; i++)
		{
			vals[i] = PG_GETARG_INT64(i + 1);
			ds_check_count(vals[i], names[i]);
		}
	}
	change_apply(s, vals, left_out, sign);
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
	int64		vals[4] = {b->old_num, b->old_den, b->new_num, b->new_den};

	if (b->per != 0)
	{
		if (a->per == 0)
			a->per = b->per;
		else if (a->per != b->per)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the \"per\" multiplier must be the same on every row")));
	}
	a->old_num = ds_add_count(a->old_num, vals[0], "old values");
	a->old_den = ds_add_count(a->old_den, vals[1], "old denominators");
	a->new_num = ds_add_count(a->new_num, vals[2], "new values");
	a->new_den = ds_add_count(a->new_den, vals[3], "new denominators");
	a->included = ds_add_count(a->included, b->included, "units");
	a->left_out = ds_add_count(a->left_out, b->left_out, "units");
	PG_RETURN_POINTER(a);
}

/* ---------- final functions (never modify the state) ---------- */

/* (old_total, new_total, pct_change, units_included, units_left_out) */
Datum
change_count_final(PG_FUNCTION_ARGS)
{
	ChangeState *s = (ChangeState *) PG_GETARG_POINTER(0);
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (s->included == 0)
	{
		nulls[0] = nulls[1] = nulls[2] = true;
		values[0] = values[1] = values[2] = (Datum) 0;
	}
	else
	{
		values[0] = Int64GetDatum(s->old_num);
		values[1] = Int64GetDatum(s->new_num);
		if (s->old_num == 0)
		{
			nulls[2] = true;
			values[2] = (Datum) 0;
		}
		else
			values[2] = pct_change_of(int64_to_numeric(s->old_num), int64_to_numeric(s->new_num));
	}
	values[3] = Int64GetDatum(s->included);
	values[4] = Int64GetDatum(s->left_out);
	return ds_form_row(fcinfo, values, nulls);
}

/* (old_rate, new_rate, pp_change, pct_change, units_included, units_left_out) */
Datum
change_rate_final(PG_FUNCTION_ARGS)
{
	ChangeState *s = (ChangeState *) PG_GETARG_POINTER(0);
	int64		per = s->per ? s->per : 100;
	Datum		values[6];
	bool		nulls[6] = {true, true, true, true, false, false};

	values[0] = values[1] = values[2] = values[3] = (Datum) 0;
	if (s->included > 0 && s->old_den > 0)
	{
		values[0] = ds_rate_numeric(s->old_num, s->old_den, per);
		nulls[0] = false;
	}
	if (s->included > 0 && s->new_den > 0)
	{
		values[1] = ds_rate_numeric(s->new_num, s->new_den, per);
		nulls[1] = false;
	}
	if (!nulls[0] && !nulls[1])
	{
		values[2] = DirectFunctionCall2(numeric_sub, values[1], values[0]);
		nulls[2] = false;
		if (s->old_num > 0)
		{
			/*
			 * Exact from the integer sums, not from the rounded rates:
			 * 100 (nn/nd - on/od) / (on/od) = 100 (nn od - on nd) / (on nd).
			 */
			Numeric		a = DatumGetNumeric(DirectFunctionCall2(numeric_mul,
																NumericGetDatum(int64_to_numeric(s->old_num)),
																NumericGetDatum(int64_to_numeric(s->new_den))));
			Numeric		b = DatumGetNumeric(DirectFunctionCall2(numeric_mul,
																NumericGetDatum(int64_to_numeric(s->new_num)),
																NumericGetDatum(int64_to_numeric(s->old_den))));

			values[3] = pct_change_of(a, b);
			nulls[3] = false;
		}
	}
	values[4] = Int64GetDatum(s->included);
	values[5] = Int64GetDatum(s->left_out);
	return ds_form_row(fcinfo, values, nulls);
}

/* ---------- phrases and direction, in ONS number style ----------
 *
 * One rule for words and figures alike: the change is rounded ONCE, to `digits` places (numeric
 * round(): half away from zero), and that rounded change decides everything -- "No change" when
 * it is zero, up or down by its sign, the figure shown (with exactly max(digits, 0) decimals and
 * commas between thousands), and for percentage points the words (a whole number under ten in
 * words, "percentage point" singular for exactly one; both only when digits <= 0, as a figure
 * with decimals such as 1.0 is never a word).  A percent change is rounded from the exact
 * percent of the values given; a percentage-point change is the difference of the two rates
 * each rounded as published (DOMAIN: "No change" is decided on the rounded published values).
 * da.direction and da.pp_direction take the same rounded change as their phrase.
 */

PG_FUNCTION_INFO_V1(ds_ons_number);
PG_FUNCTION_INFO_V1(ds_pct_change_phrase);
PG_FUNCTION_INFO_V1(ds_pp_change_phrase);
PG_FUNCTION_INFO_V1(ds_direction);
PG_FUNCTION_INFO_V1(ds_pp_direction);

static const char *const number_words[10] = {
	"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"
};

static Numeric
round_to(Numeric n, int32 digits)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(n),
											   Int32GetDatum(digits)));
}

/* -1, 0 or 1 */
static int
sign_of(Numeric n)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(n),
											 NumericGetDatum(int64_to_numeric(0))));
}

static void
check_finite(Numeric n, const char *argname)
{
	if (numeric_is_nan(n) || numeric_is_inf(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", argname)));
}

/*
 * |n| in figures at its own scale, commas between thousands ("1,050", "12,345.60"); sets
 * *word to its word when it is a whole number from 0 to 9 ("9.00" -> "nine"), else NULL.
 */
static void
append_figures(StringInfo buf, Numeric n, const char **word)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
	const char *digits = (*s == '-') ? s + 1 : s;
	size_t		intlen = strcspn(digits, ".");
	size_t		i;

	for (i = 0; i < intlen; i++)
	{
		if (i > 0 && (intlen - i) % 3 == 0)
			appendStringInfoChar(buf, ',');
		appendStringInfoChar(buf, digits[i]);
	}
	appendStringInfoString(buf, digits + intlen);
	if (word)
	{
		const char *frac = digits + intlen; /* "" or ".50" */
		bool		whole = (*frac == '\0' || strspn(frac + 1, "0") == strlen(frac + 1));

		*word = (intlen == 1 && whole) ? number_words[digits[0] - '0'] : NULL;
	}
}

/* da.ons_number(value): whole numbers 0 to 9 in words, anything else in figures with commas. */
Datum
ds_ons_number(PG_FUNCTION_ARGS)
{
	Numeric		value = PG_GETARG_NUMERIC(0);
	StringInfoData buf;
	const char *word;

	check_finite(value, "value");
	initStringInfo(&buf);
	if (sign_of(value) < 0)
		appendStringInfoChar(&buf, '-');
	append_figures(&buf, value, &word);
	if (word && sign_of(value) >= 0)
		PG_RETURN_TEXT_P(cstring_to_text(word));
	PG_RETURN_TEXT_P(cstring_to_text(buf.data));
}

/* The rounded percent change the phrase and da.direction share; NULL when old is 0. */
static Numeric
rounded_pct_change(Numeric old_value, Numeric new_value, int32 digits)
{
	check_change_input(old_value, "old value");
	check_change_input(new_value, "new value");
	if (numeric_is_zero(old_value))
		return NULL;
	return round_to(DatumGetNumeric(pct_change_of(old_value, new_value)), digits);
}

/* The percentage-point change of the two rates each rounded as published. */
static Numeric
rounded_pp_change(Numeric old_rate, Numeric new_rate, int32 digits)
{
	check_finite(old_rate, "old rate");
	check_finite(new_rate, "new rate");
	return DatumGetNumeric(DirectFunctionCall2(numeric_sub,
											   NumericGetDatum(round_to(new_rate, digits)),
											   NumericGetDatum(round_to(old_rate, digits))));
}

static const char *
direction_word(Numeric change)
{
	int			s = sign_of(change);

	return s > 0 ? "up" : s < 0 ? "down" : "unchanged";
}

/* da.pct_change_phrase(old, new, digits): "Up 1,050%", "Down 5%", "No change". */
Datum
ds_pct_change_phrase(PG_FUNCTION_ARGS)
{
	Numeric		r = rounded_pct_change(PG_GETARG_NUMERIC(0), PG_GETARG_NUMERIC(1), PG_GETARG_INT32(2));
	StringInfoData buf;

	if (r == NULL)
		PG_RETURN_NULL();		/* no base to compare with */
	if (sign_of(r) == 0)
		PG_RETURN_TEXT_P(cstring_to_text("No change"));
	initStringInfo(&buf);
	appendStringInfoString(&buf, sign_of(r) > 0 ? "Up " : "Down ");
	append_figures(&buf, r, NULL);
	appendStringInfoChar(&buf, '%');
	PG_RETURN_TEXT_P(cstring_to_text(buf.data));
}

/*
 * da.pp_change_phrase(old_rate, new_rate, digits, words): "Down one percentage point",
 * "Up 12 percentage points", "Up 1.0 percentage points" (digits 1), "No change".
 */
Datum
ds_pp_change_phrase(PG_FUNCTION_ARGS)
{
	int32		digits = PG_GETARG_INT32(2);
	bool		words = PG_GETARG_BOOL(3);
	Numeric		d = rounded_pp_change(PG_GETARG_NUMERIC(0), PG_GETARG_NUMERIC(1), digits);
	StringInfoData fig,
				buf;
	const char *word;
	bool		whole = (digits <= 0);

	if (sign_of(d) == 0)
		PG_RETURN_TEXT_P(cstring_to_text("No change"));
	initStringInfo(&fig);
	append_figures(&fig, d, &word);
	initStringInfo(&buf);
	appendStringInfoString(&buf, sign_of(d) > 0 ? "Up " : "Down ");
	appendStringInfoString(&buf, (whole && words && word) ? word : fig.data);
	appendStringInfoString(&buf, (whole && strcmp(fig.data, "1") == 0)
						   ? " percentage point" : " percentage points");
	PG_RETURN_TEXT_P(cstring_to_text(buf.data));
}

/* da.direction(old, new, digits): the sign of the percent change pct_change_phrase prints. */
Datum
ds_direction(PG_FUNCTION_ARGS)
{
	Numeric		old_value = PG_GETARG_NUMERIC(0);
	Numeric		new_value = PG_GETARG_NUMERIC(1);
	Numeric		r = rounded_pct_change(old_value, new_value, PG_GETARG_INT32(2));

	/* from zero there is no percent, but a direction: up from nothing, or unchanged */
	if (r == NULL)
		r = new_value;
	PG_RETURN_TEXT_P(cstring_to_text(direction_word(r)));
}

/* da.pp_direction(old_rate, new_rate, digits): the sign of the change pp_change_phrase prints. */
Datum
ds_pp_direction(PG_FUNCTION_ARGS)
{
	Numeric		d = rounded_pp_change(PG_GETARG_NUMERIC(0), PG_GETARG_NUMERIC(1), PG_GETARG_INT32(2));

	PG_RETURN_TEXT_P(cstring_to_text(direction_word(d)));
}
