-------------------------------------------------------------------------------
-- Year-on-year change: percent vs percentage points, ONS-style phrases, matched panels,
-- significance.  Rounding everywhere is numeric round(): half away from zero.
-------------------------------------------------------------------------------

CREATE FUNCTION da.pct_change(old_value numeric, new_value numeric) RETURNS numeric
    AS 'MODULE_PATHNAME', 'ds_pct_change' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.pct_change(numeric, numeric) IS
    'Percent change 100 * (new - old) / old, exact; NULL when old is 0; for counts (and for the relative change of a rate)';

CREATE FUNCTION da.pp_change(old_rate numeric, new_rate numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN new_rate - old_rate;
COMMENT ON FUNCTION da.pp_change(numeric, numeric) IS
    'Percentage-point change of a rate or share: new - old (never a percent change)';

-- ONS style: whole numbers under ten in words.
CREATE FUNCTION da.ons_number(value numeric) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE WHEN value = trunc(value) AND value BETWEEN 0 AND 9
                THEN (ARRAY['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'])[value::int + 1]
                ELSE value::text END;

CREATE FUNCTION da.pct_change_phrase(old_value numeric, new_value numeric, digits integer DEFAULT 0)
    RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (SELECT CASE WHEN r IS NULL THEN NULL
                        WHEN r = 0 THEN 'No change'
                        WHEN r > 0 THEN 'Up ' || r || '%'
                        ELSE 'Down ' || abs(r) || '%' END
            FROM (SELECT round(da.pct_change(old_value, new_value), digits) AS r) v);
COMMENT ON FUNCTION da.pct_change_phrase(numeric, numeric, integer) IS
    'Published wording of a percent change of a count: "Up 17%", "Down 5%", "No change" (percent rounded half away from zero to digits)';

CREATE FUNCTION da.pp_change_phrase(old_rate numeric, new_rate numeric, digits integer DEFAULT 0,
                                    words boolean DEFAULT true)
    RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (SELECT CASE WHEN d = 0 THEN 'No change'
                        ELSE CASE WHEN d > 0 THEN 'Up ' ELSE 'Down ' END
                             || CASE WHEN words THEN da.ons_number(abs(d)) ELSE abs(d)::text END
                             || CASE WHEN abs(d) = 1 THEN ' percentage point' ELSE ' percentage points' END
                   END
            FROM (SELECT round(new_rate, digits) - round(old_rate, digits) AS d) v);
COMMENT ON FUNCTION da.pp_change_phrase(numeric, numeric, integer, boolean) IS
    'Published wording of a change of a rate or share, decided on the values rounded to digits: "Down one percentage point", "Up 12 percentage points", "No change"; words => false writes 7 not seven';

CREATE FUNCTION da.direction(old_value numeric, new_value numeric, digits integer DEFAULT 0)
    RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE sign(round(new_value, digits) - round(old_value, digits))
                WHEN 1 THEN 'up' WHEN -1 THEN 'down' ELSE 'unchanged' END;
COMMENT ON FUNCTION da.direction(numeric, numeric, integer) IS
    'up / down / unchanged, decided on the values rounded as published (for "27 forces saw a decrease")';

-------------------------------------------------------------------------------
-- Matched panels
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
    'Transition state of the matched-panel aggregates: (old_num, old_den, new_num, new_den, included, left_out, per)';

CREATE TYPE da.matched_change AS (
    old_total bigint, new_total bigint, pct_change numeric, units_included bigint, units_left_out bigint);
CREATE TYPE da.matched_rate_change AS (
    old_rate numeric, new_rate numeric, pp_change numeric, pct_change numeric,
    units_included bigint, units_left_out bigint);

-- Not STRICT: a unit with a NULL is counted as left out, never silently dropped.
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
CREATE FUNCTION da.change_count_final(da.change_state) RETURNS da.matched_change
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.change_rate_final(da.change_state) RETURNS da.matched_rate_change
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE da.matched_change_agg(old_value bigint, new_value bigint) (
    SFUNC = da.change_count_accum, STYPE = da.change_state, INITCOND = '(0,0,0,0,0,0,0)',
    FINALFUNC = da.change_count_final, COMBINEFUNC = da.change_combine, PARALLEL = SAFE,
    MSFUNC = da.change_count_accum, MINVFUNC = da.change_count_retract, MSTYPE = da.change_state,
    MINITCOND = '(0,0,0,0,0,0,0)', MFINALFUNC = da.change_count_final);
COMMENT ON AGGREGATE da.matched_change_agg(bigint, bigint) IS
    'Matched panel: totals and percent change over the units with both years; units with either missing are left out of both and counted';

CREATE AGGREGATE da.matched_rate_change_agg(old_num bigint, old_den bigint, new_num bigint, new_den bigint) (
    SFUNC = da.change_rate_accum, STYPE = da.change_state, INITCOND = '(0,0,0,0,0,0,100)',
    FINALFUNC = da.change_rate_final, COMBINEFUNC = da.change_combine, PARALLEL = SAFE,
    MSFUNC = da.change_rate_accum, MINVFUNC = da.change_rate_retract, MSTYPE = da.change_state,
    MINITCOND = '(0,0,0,0,0,0,100)', MFINALFUNC = da.change_rate_final);
CREATE AGGREGATE da.matched_rate_change_agg(old_num bigint, old_den bigint, new_num bigint, new_den bigint, per bigint) (
    SFUNC = da.change_rate_accum, STYPE = da.change_state, INITCOND = '(0,0,0,0,0,0,0)',
    FINALFUNC = da.change_rate_final, COMBINEFUNC = da.change_combine, PARALLEL = SAFE,
    MSFUNC = da.change_rate_accum, MINVFUNC = da.change_rate_retract, MSTYPE = da.change_state,
    MINITCOND = '(0,0,0,0,0,0,0)', MFINALFUNC = da.change_rate_final);
COMMENT ON AGGREGATE da.matched_rate_change_agg(bigint, bigint, bigint, bigint) IS
    'Matched panel of a rate per 100: old and new rate as ratios of sums over units with all four counts, point and percent change';

-------------------------------------------------------------------------------
-- Significance of a change
-------------------------------------------------------------------------------

CREATE TYPE da.rate_change_test AS (
    rate_ratio numeric, lower numeric, upper numeric, p_value double precision, method text, verdict text);
CREATE TYPE da.proportion_change_test AS (
    pp_change numeric, lower numeric, upper numeric, method text, verdict text);

CREATE FUNCTION da.rate_change_test(old_num bigint, old_den bigint, new_num bigint, new_den bigint,
                                    level double precision DEFAULT 0.95)
    RETURNS da.rate_change_test
    AS 'MODULE_PATHNAME', 'ds_rate_change_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.rate_change_test(bigint, bigint, bigint, bigint, double precision) IS
    'Rate ratio new/old with exact conditional (binomial) test and interval; normal approximation only above 10 million events in all with at least 10,000 in each period';
CREATE FUNCTION da.rate_change_p_value(old_num bigint, old_den bigint, new_num bigint, new_den bigint)
    RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (da.rate_change_test(old_num, old_den, new_num, new_den)).p_value;
CREATE FUNCTION da.rate_change_verdict(old_num bigint, old_den bigint, new_num bigint, new_den bigint,
                                       level double precision DEFAULT 0.95)
    RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (da.rate_change_test(old_num, old_den, new_num, new_den, level)).verdict;

CREATE FUNCTION da.proportion_change_test(old_x bigint, old_n bigint, new_x bigint, new_n bigint,
                                          level double precision DEFAULT 0.95)
    RETURNS da.proportion_change_test
    AS 'MODULE_PATHNAME', 'ds_proportion_change_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.proportion_change_test(bigint, bigint, bigint, bigint, double precision) IS
    'Change of a proportion in percentage points with Newcombe''s hybrid score interval';
CREATE FUNCTION da.proportion_change_verdict(old_x bigint, old_n bigint, new_x bigint, new_n bigint,
                                             level double precision DEFAULT 0.95)
    RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (da.proportion_change_test(old_x, old_n, new_x, new_n, level)).verdict;
