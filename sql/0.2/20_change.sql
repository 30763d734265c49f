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
    RETURN 100 * (new_value - old_value) / old_value;
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
