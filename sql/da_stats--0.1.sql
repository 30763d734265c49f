-- da_stats 0.1: rates per 100 / 10,000 / N and their confidence intervals.
-- Declarations only; the statistics live in C (src/). Objects are created in schema "da".

\echo Use "CREATE EXTENSION da_stats" to load this file. \quit

-------------------------------------------------------------------------------
-- Row-level rates: NULL when an input is NULL or the denominator is 0; ERROR on negatives.
-------------------------------------------------------------------------------

CREATE FUNCTION da.per_100(numerator bigint, denominator bigint) RETURNS numeric
    AS 'MODULE_PATHNAME', 'ds_per_100' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.per_100(bigint, bigint) IS
    '100 * numerator / denominator (e.g. arrests per 100 crimes); NULL when denominator = 0; never capped';

CREATE FUNCTION da.per_10k(numerator bigint, denominator bigint) RETURNS numeric
    AS 'MODULE_PATHNAME', 'ds_per_10k' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.per_10k(bigint, bigint) IS
    '10000 * numerator / denominator (e.g. MARAC cases per 10,000 adult females); NULL when denominator = 0';

CREATE FUNCTION da.per_n(numerator bigint, denominator bigint, per bigint) RETURNS numeric
    AS 'MODULE_PATHNAME', 'ds_per_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.per_n(bigint, bigint, bigint) IS
    'per * numerator / denominator; NULL when denominator = 0; per must be positive';

-------------------------------------------------------------------------------
-- Confidence intervals
-------------------------------------------------------------------------------

CREATE TYPE da.conf_interval AS (lower numeric, upper numeric, method text);
COMMENT ON TYPE da.conf_interval IS
    'A confidence interval and the method that produced it (Wilson, Byar or Exact)';

CREATE FUNCTION da.wilson_ci(numerator bigint, denominator bigint, per bigint DEFAULT 1,
                             level double precision DEFAULT 0.95)
    RETURNS da.conf_interval
    AS 'MODULE_PATHNAME', 'ds_wilson_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.wilson_ci(bigint, bigint, bigint, double precision) IS
    'Wilson score interval for the proportion numerator/denominator, times per (1 = proportion, 100 = percent)';

CREATE FUNCTION da.wilson_ci_lower(numerator bigint, denominator bigint, per bigint DEFAULT 1,
                                   level double precision DEFAULT 0.95)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'ds_wilson_ci_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.wilson_ci_upper(numerator bigint, denominator bigint, per bigint DEFAULT 1,
                                   level double precision DEFAULT 0.95)
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'ds_wilson_ci_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION da.rate_ci(numerator bigint, denominator bigint, per bigint DEFAULT 1,
                           level double precision DEFAULT 0.95, method text DEFAULT 'auto')
    RETURNS da.conf_interval
    AS 'MODULE_PATHNAME', 'ds_rate_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.rate_ci(bigint, bigint, bigint, double precision, text) IS
    'Poisson interval for the rate per * numerator/denominator: Byar for 10 or more events, exact below (method auto|byar|exact)';

CREATE FUNCTION da.rate_ci_lower(numerator bigint, denominator bigint, per bigint DEFAULT 1,
                                 level double precision DEFAULT 0.95, method text DEFAULT 'auto')
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'ds_rate_ci_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_ci_upper(numerator bigint, denominator bigint, per bigint DEFAULT 1,
                                 level double precision DEFAULT 0.95, method text DEFAULT 'auto')
    RETURNS numeric
    AS 'MODULE_PATHNAME', 'ds_rate_ci_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-------------------------------------------------------------------------------
-- Aggregate state: (sum of numerators, sum of denominators, rows, per, level).
-- A fixed-size SQL-visible type, so parallel query and Citus need no (de)serializer.
-------------------------------------------------------------------------------

CREATE TYPE da.rate_state;
CREATE FUNCTION da.rate_state_in(cstring) RETURNS da.rate_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_state_out(da.rate_state) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_state_recv(internal) RETURNS da.rate_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_state_send(da.rate_state) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE da.rate_state (
    INPUT = da.rate_state_in, OUTPUT = da.rate_state_out,
    RECEIVE = da.rate_state_recv, SEND = da.rate_state_send,
    INTERNALLENGTH = 40, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE da.rate_state IS
    'Transition state of the rate aggregates: (numerator sum, denominator sum, rows, per, level)';

CREATE FUNCTION da.rate_state_rows(da.rate_state) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Transition functions are STRICT: a row with a NULL count is skipped, which is exactly the
-- pairwise-complete rule. The same C function serves 2-, 3- and 4-argument forms.
CREATE FUNCTION da.rate_accum(da.rate_state, bigint, bigint) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_accum(da.rate_state, integer, integer) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_accum_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_accum(da.rate_state, bigint, bigint, bigint) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_accum(da.rate_state, integer, integer, bigint) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_accum_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_accum(da.rate_state, bigint, bigint, bigint, double precision) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.proportion_accum(da.rate_state, bigint, bigint) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'proportion_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.proportion_accum(da.rate_state, bigint, bigint, bigint) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'proportion_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.proportion_accum(da.rate_state, bigint, bigint, bigint, double precision) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'proportion_accum_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION da.rate_retract(da.rate_state, bigint, bigint) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_retract_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_retract(da.rate_state, integer, integer) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_retract_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_retract(da.rate_state, bigint, bigint, bigint) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_retract_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_retract(da.rate_state, integer, integer, bigint) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_retract_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_retract(da.rate_state, bigint, bigint, bigint, double precision) RETURNS da.rate_state
    AS 'MODULE_PATHNAME', 'rate_retract_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION da.rate_combine(da.rate_state, da.rate_state) RETURNS da.rate_state
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_final(da.rate_state) RETURNS numeric
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_wilson_final(da.rate_state) RETURNS da.conf_interval
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.rate_poisson_final(da.rate_state) RETURNS da.conf_interval
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-------------------------------------------------------------------------------
-- Rate aggregates: ratio of sums over pairwise-complete rows. Moving-aggregate support makes
-- a rolling window (ROWS 11 PRECEDING over monthly returns) O(1) per row.
-------------------------------------------------------------------------------

CREATE AGGREGATE da.per_100_agg(numerator bigint, denominator bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,100,0)',
    FINALFUNC = da.rate_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.rate_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,100,0)', MFINALFUNC = da.rate_final);
CREATE AGGREGATE da.per_100_agg(numerator integer, denominator integer) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,100,0)',
    FINALFUNC = da.rate_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.rate_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,100,0)', MFINALFUNC = da.rate_final);

CREATE AGGREGATE da.per_10k_agg(numerator bigint, denominator bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,10000,0)',
    FINALFUNC = da.rate_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.rate_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,10000,0)', MFINALFUNC = da.rate_final);
CREATE AGGREGATE da.per_10k_agg(numerator integer, denominator integer) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,10000,0)',
    FINALFUNC = da.rate_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.rate_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,10000,0)', MFINALFUNC = da.rate_final);

CREATE AGGREGATE da.per_n_agg(numerator bigint, denominator bigint, per bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,0,0)',
    FINALFUNC = da.rate_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.rate_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,0,0)', MFINALFUNC = da.rate_final);
CREATE AGGREGATE da.per_n_agg(numerator integer, denominator integer, per bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,0,0)',
    FINALFUNC = da.rate_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.rate_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,0,0)', MFINALFUNC = da.rate_final);

-- Interval aggregates: the interval of the summed counts. per and level, when given, must be
-- the same on every row.
CREATE AGGREGATE da.wilson_ci_agg(numerator bigint, denominator bigint) (
    SFUNC = da.proportion_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,1,0.95)',
    FINALFUNC = da.rate_wilson_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.proportion_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,1,0.95)', MFINALFUNC = da.rate_wilson_final);
CREATE AGGREGATE da.wilson_ci_agg(numerator bigint, denominator bigint, per bigint) (
    SFUNC = da.proportion_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,0,0.95)',
    FINALFUNC = da.rate_wilson_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.proportion_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,0,0.95)', MFINALFUNC = da.rate_wilson_final);
CREATE AGGREGATE da.wilson_ci_agg(numerator bigint, denominator bigint, per bigint, level double precision) (
    SFUNC = da.proportion_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,0,0)',
    FINALFUNC = da.rate_wilson_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.proportion_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,0,0)', MFINALFUNC = da.rate_wilson_final);

CREATE AGGREGATE da.rate_ci_agg(numerator bigint, denominator bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,1,0.95)',
    FINALFUNC = da.rate_poisson_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.rate_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,1,0.95)', MFINALFUNC = da.rate_poisson_final);
CREATE AGGREGATE da.rate_ci_agg(numerator bigint, denominator bigint, per bigint) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,0,0.95)',
    FINALFUNC = da.rate_poisson_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.rate_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,0,0.95)', MFINALFUNC = da.rate_poisson_final);
CREATE AGGREGATE da.rate_ci_agg(numerator bigint, denominator bigint, per bigint, level double precision) (
    SFUNC = da.rate_accum, STYPE = da.rate_state, INITCOND = '(0,0,0,0,0)',
    FINALFUNC = da.rate_poisson_final, COMBINEFUNC = da.rate_combine, PARALLEL = SAFE,
    MSFUNC = da.rate_accum, MINVFUNC = da.rate_retract, MSTYPE = da.rate_state,
    MINITCOND = '(0,0,0,0,0)', MFINALFUNC = da.rate_poisson_final);
