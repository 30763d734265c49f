-------------------------------------------------------------------------------
-- Year-on-year change (src/change.c): percent and percentage-point change, ONS-style phrases,
-- direction, matched-panel aggregates and the significance of a change between two periods.
--
-- Rounding everywhere is PostgreSQL's numeric round(): half away from zero (round(2.5) = 3,
-- round(-2.5) = -3), applied to the published precision ("digits" decimal places).
-------------------------------------------------------------------------------

-- Percent change of a count: exact numeric 100 * (new - old) / old. NULL when old is NULL or
-- 0 (a change from nothing has no percent) or new is NULL; a negative count is 22023.
CREATE FUNCTION da.pct_change(old_value numeric, new_value numeric) RETURNS numeric
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    AS $$
BEGIN
    IF old_value < 0 OR new_value < 0 THEN
        RAISE EXCEPTION 'a count must not be negative'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('old_value was %s and new_value %s.', old_value, new_value);
    END IF;
    IF old_value = 0 THEN
        RETURN NULL;
    END IF;
    RETURN trim_scale(100 * (new_value - old_value) / old_value);
END $$;
COMMENT ON FUNCTION da.pct_change(numeric, numeric) IS
    'Percent change 100 * (new - old) / old, exact numeric; NULL when old is NULL or 0 or new is NULL; negative counts are an error';

CREATE FUNCTION da.pct_change(old_value bigint, new_value bigint) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN da.pct_change(old_value::numeric, new_value::numeric);
COMMENT ON FUNCTION da.pct_change(bigint, bigint) IS
    'Percent change of a count 100 * (new - old) / old, exact numeric; NULL when old is NULL or 0 or new is NULL';
-- integer too, so that pct_change(434905, 506890) is not ambiguous between bigint and numeric.
CREATE FUNCTION da.pct_change(old_value integer, new_value integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN da.pct_change(old_value::numeric, new_value::numeric);
COMMENT ON FUNCTION da.pct_change(integer, integer) IS
    'Percent change of a count 100 * (new - old) / old, exact numeric; NULL when old is NULL or 0 or new is NULL';

-- Percentage-point change of two rates or shares (already in percent / per 100): new - old.
CREATE FUNCTION da.pp_change(old_rate numeric, new_rate numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN new_rate - old_rate;
COMMENT ON FUNCTION da.pp_change(numeric, numeric) IS
    'Percentage-point change new_rate - old_rate of two rates per 100 or percentages';

-- A number as ONS writes it in text: whole numbers one to nine in words, others as digits
-- (trailing zeros of the scale removed).
CREATE FUNCTION da.number_words(value numeric) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN value = trunc(value) AND value BETWEEN 1 AND 9
                THEN (ARRAY['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'])[value::int]
                ELSE trim_scale(value)::text END;
COMMENT ON FUNCTION da.number_words(numeric) IS
    'ONS style: whole numbers 1..9 in words, other numbers as digits without trailing zeros';

CREATE FUNCTION da.check_digits(digits integer) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
BEGIN
    IF digits < 0 OR digits > 6 THEN
        RAISE EXCEPTION 'digits must be between 0 and 6'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('digits was %s.', digits);
    END IF;
    RETURN digits;
END $$;
COMMENT ON FUNCTION da.check_digits(integer) IS
    'Raise 22023 unless 0 <= digits <= 6 (the published precision of a phrase)';

-- "Up 17%", "Down 5%", "No change": the percent change of two counts rounded (half away
-- from zero) to digits decimal places. Percent is written in figures, as ONS does.
CREATE FUNCTION da.pct_change_phrase(old_value numeric, new_value numeric, digits integer DEFAULT 0)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT CASE WHEN c IS NULL THEN NULL
                        WHEN c = 0 THEN 'No change'
                        WHEN c > 0 THEN 'Up ' || trim_scale(c) || '%'
                        ELSE 'Down ' || trim_scale(-c) || '%' END
            FROM (SELECT round(da.pct_change(old_value, new_value), da.check_digits(digits)) AS c) r);
COMMENT ON FUNCTION da.pct_change_phrase(numeric, numeric, integer) IS
    'ONS phrase for the percent change of two counts rounded half away from zero to digits places: Up 17%, Down 5%, No change';

-- "Down one percentage point", "Up 1.5 percentage points", "No change": both rates are first
-- rounded to the published precision, then compared; the difference in words under ten.
CREATE FUNCTION da.pp_change_phrase(old_rate numeric, new_rate numeric, digits integer DEFAULT 0)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT CASE WHEN d IS NULL THEN NULL
                        WHEN d = 0 THEN 'No change'
                        ELSE CASE WHEN d > 0 THEN 'Up ' ELSE 'Down ' END || da.number_words(abs(d))
                             || CASE WHEN abs(d) = 1 THEN ' percentage point' ELSE ' percentage points' END END
            FROM (SELECT round(new_rate, da.check_digits(digits)) - round(old_rate, digits) AS d) r);
COMMENT ON FUNCTION da.pp_change_phrase(numeric, numeric, integer) IS
    'ONS phrase for the change of two rates/percentages rounded half away from zero to digits places: Down one percentage point, Up 1.5 percentage points, No change';

-- 'up' / 'down' / 'unchanged' on the values rounded to digits places, for counting forces:
--   count(*) FILTER (WHERE da.direction(old, new) = 'up') ...
CREATE FUNCTION da.direction(old_value numeric, new_value numeric, digits integer DEFAULT 0)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT CASE WHEN d IS NULL THEN NULL WHEN d > 0 THEN 'up' WHEN d < 0 THEN 'down' ELSE 'unchanged' END
            FROM (SELECT round(new_value, da.check_digits(digits)) - round(old_value, digits) AS d) r);
COMMENT ON FUNCTION da.direction(numeric, numeric, integer) IS
    'up, down or unchanged comparing the two values rounded half away from zero to digits places; NULL if either is NULL';

-------------------------------------------------------------------------------
-- Matched panels: a unit (force) with either year missing is left out of BOTH years and
-- counted in units_left_out. State: (old_num, old_den, new_num, new_den, units, left_out, per),
-- a fixed-size SQL-visible type like da.rate_state. The transition functions are not STRICT
-- (a NULL is counted, not skipped); INITCOND keeps the state non-NULL. The inverse is exact,
-- so a rolling window costs O(1) per row.
-------------------------------------------------------------------------------

CREATE TYPE da.change_state;
CREATE FUNCTION da.change_state_in(cstring) RETURNS da.change_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.change_state_out(da.change_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.change_state_recv(internal) RETURNS da.change_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.change_state_send(da.change_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE da.change_state (
    INPUT = da.change_state_in, OUTPUT = da.change_state_out,
    RECEIVE = da.change_state_recv, SEND = da.change_state_send,
    INTERNALLENGTH = 56, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE da.change_state IS
    'Transition state of the matched-panel change aggregates: (old_num, old_den, new_num, new_den, units, left_out, per)';

CREATE TYPE da.matched_change AS (old_total bigint, new_total bigint, pct_change numeric,
                                  units_included bigint, units_left_out bigint);
COMMENT ON TYPE da.matched_change IS
    'Matched-panel change of a count: totals over the units with both years, percent change, units in and left out';
CREATE TYPE da.matched_rate_change AS (old_rate numeric, new_rate numeric, pp_change numeric,
                                       pct_change_of_rate numeric,
                                       units_included bigint, units_left_out bigint);
COMMENT ON TYPE da.matched_rate_change IS
    'Matched-panel change of a rate: ratios of sums over the units with all four counts, change in the rate''s units (percentage points per 100), percent change of the rate, units in and left out';

CREATE FUNCTION da.change_count_accum(da.change_state, bigint, bigint) RETURNS da.change_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.change_count_retract(da.change_state, bigint, bigint) RETURNS da.change_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.change_rate_accum(da.change_state, bigint, bigint, bigint, bigint) RETURNS da.change_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.change_rate_accum(da.change_state, bigint, bigint, bigint, bigint, bigint) RETURNS da.change_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.change_rate_retract(da.change_state, bigint, bigint, bigint, bigint) RETURNS da.change_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.change_rate_retract(da.change_state, bigint, bigint, bigint, bigint, bigint) RETURNS da.change_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.change_combine(da.change_state, da.change_state) RETURNS da.change_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.matched_change_final(da.change_state) RETURNS da.matched_change
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.matched_rate_change_final(da.change_state) RETURNS da.matched_rate_change
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE da.matched_change_agg(old_value bigint, new_value bigint) (
    SFUNC = da.change_count_accum, STYPE = da.change_state, INITCOND = '(0,0,0,0,0,0,0)',
    FINALFUNC = da.matched_change_final, COMBINEFUNC = da.change_combine, PARALLEL = SAFE,
    MSFUNC = da.change_count_accum, MINVFUNC = da.change_count_retract, MSTYPE = da.change_state,
    MINITCOND = '(0,0,0,0,0,0,0)', MFINALFUNC = da.matched_change_final);
COMMENT ON AGGREGATE da.matched_change_agg(bigint, bigint) IS
    'Matched-panel change of a count: units with either year NULL are left out of both years';

CREATE AGGREGATE da.matched_rate_change_agg(old_numerator bigint, old_denominator bigint,
                                            new_numerator bigint, new_denominator bigint) (
    SFUNC = da.change_rate_accum, STYPE = da.change_state, INITCOND = '(0,0,0,0,0,0,100)',
    FINALFUNC = da.matched_rate_change_final, COMBINEFUNC = da.change_combine, PARALLEL = SAFE,
    MSFUNC = da.change_rate_accum, MINVFUNC = da.change_rate_retract, MSTYPE = da.change_state,
    MINITCOND = '(0,0,0,0,0,0,100)', MFINALFUNC = da.matched_rate_change_final);
COMMENT ON AGGREGATE da.matched_rate_change_agg(bigint, bigint, bigint, bigint) IS
    'Matched-panel change of a rate per 100: units with any of the four counts NULL are left out of both years';
CREATE AGGREGATE da.matched_rate_change_agg(old_numerator bigint, old_denominator bigint,
                                            new_numerator bigint, new_denominator bigint, per bigint) (
    SFUNC = da.change_rate_accum, STYPE = da.change_state, INITCOND = '(0,0,0,0,0,0,0)',
    FINALFUNC = da.matched_rate_change_final, COMBINEFUNC = da.change_combine, PARALLEL = SAFE,
    MSFUNC = da.change_rate_accum, MINVFUNC = da.change_rate_retract, MSTYPE = da.change_state,
    MINITCOND = '(0,0,0,0,0,0,0)', MFINALFUNC = da.matched_rate_change_final);
COMMENT ON AGGREGATE da.matched_rate_change_agg(bigint, bigint, bigint, bigint, bigint) IS
    'Matched-panel change of a rate per "per" (the same on every row): units with any count NULL are left out of both years';

-------------------------------------------------------------------------------
-- Significance of a change between two periods.
-------------------------------------------------------------------------------

CREATE TYPE da.rate_change_test AS (rate_ratio numeric, lower numeric, upper numeric,
                                    p_value double precision, method text, verdict text);
COMMENT ON TYPE da.rate_change_test IS
    'Rate ratio new/old with confidence limits (NULL = unbounded), two-sided p-value, method and verdict';
CREATE TYPE da.proportion_change_test AS (old_pct numeric, new_pct numeric, pp_change numeric,
                                          lower numeric, upper numeric, method text, verdict text);
COMMENT ON TYPE da.proportion_change_test IS
    'Two percentages, their difference new - old in percentage points with Newcombe''s hybrid score limits, and verdict';

-- Rates: counts over exposures (population, crimes, days). Exact conditional binomial test and
-- Clopper-Pearson limits (as R poisson.test(c(new_count, old_count), c(new_base, old_base)))
-- up to 10^8 events in all, a normal approximation on the log rate ratio above.
CREATE FUNCTION da.rate_change_test(old_count bigint, old_base bigint, new_count bigint, new_base bigint,
                                    level double precision DEFAULT 0.95)
    RETURNS da.rate_change_test
    AS 'MODULE_PATHNAME', 'ds_rate_change_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.rate_change_test(bigint, bigint, bigint, bigint, double precision) IS
    'Is the change of a rate between two periods significant? Rate ratio new/old, limits, exact p-value, verdict; NULL when a base is 0';
CREATE FUNCTION da.rate_change_p_value(old_count bigint, old_base bigint, new_count bigint, new_base bigint,
                                       level double precision DEFAULT 0.95)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (da.rate_change_test(old_count, old_base, new_count, new_base, level)).p_value;
COMMENT ON FUNCTION da.rate_change_p_value(bigint, bigint, bigint, bigint, double precision) IS
    'Two-sided p-value of da.rate_change_test';
CREATE FUNCTION da.rate_change_verdict(old_count bigint, old_base bigint, new_count bigint, new_base bigint,
                                       level double precision DEFAULT 0.95)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (da.rate_change_test(old_count, old_base, new_count, new_base, level)).verdict;
COMMENT ON FUNCTION da.rate_change_verdict(bigint, bigint, bigint, bigint, double precision) IS
    'Significant increase / Significant decrease / No significant change (da.rate_change_test at the level)';

-- Proportions (part of a whole): difference in percentage points with Newcombe's interval.
CREATE FUNCTION da.proportion_change_test(old_count bigint, old_base bigint, new_count bigint, new_base bigint,
                                          level double precision DEFAULT 0.95)
    RETURNS da.proportion_change_test
    AS 'MODULE_PATHNAME', 'ds_proportion_change_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.proportion_change_test(bigint, bigint, bigint, bigint, double precision) IS
    'Change of a percentage between two periods in percentage points with Newcombe''s hybrid score interval and verdict; NULL when a base is 0';
CREATE FUNCTION da.proportion_change_verdict(old_count bigint, old_base bigint, new_count bigint, new_base bigint,
                                             level double precision DEFAULT 0.95)
    RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (da.proportion_change_test(old_count, old_base, new_count, new_base, level)).verdict;
COMMENT ON FUNCTION da.proportion_change_verdict(bigint, bigint, bigint, bigint, double precision) IS
    'Significant increase / Significant decrease / No significant change (Newcombe interval excludes 0)';
