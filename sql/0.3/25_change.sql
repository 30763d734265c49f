-- Year-on-year change, 0.3: the rate test is exact at every size (no normal approximation).
COMMENT ON FUNCTION da.rate_change_test(bigint, bigint, bigint, bigint, double precision) IS
    'Rate ratio new/old with the exact conditional (binomial) test and Clopper-Pearson interval at any size, as R''s poisson.test';

-- Phrases and direction in ONS number style, in C (src/change.c): one rounding of the change
-- decides the words, the figures (commas between thousands, exactly `digits` decimals) and the
-- direction, so a phrase and its direction never disagree.
CREATE OR REPLACE FUNCTION da.ons_number(value numeric) RETURNS text
    AS 'MODULE_PATHNAME', 'ds_ons_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.ons_number(numeric) IS
    'ONS style: whole numbers 0 to 9 in words, anything else in figures with commas between thousands (12,345)';
CREATE OR REPLACE FUNCTION da.pct_change_phrase(old_value numeric, new_value numeric, digits integer DEFAULT 0)
    RETURNS text AS 'MODULE_PATHNAME', 'ds_pct_change_phrase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.pct_change_phrase(numeric, numeric, integer) IS
    'Published wording of a percent change of a count: "Up 1,050%", "Down 5%", "No change" (the percent rounded half away from zero to digits places, shown with exactly that many)';
CREATE OR REPLACE FUNCTION da.pp_change_phrase(old_rate numeric, new_rate numeric, digits integer DEFAULT 0,
                                               words boolean DEFAULT true)
    RETURNS text AS 'MODULE_PATHNAME', 'ds_pp_change_phrase' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.pp_change_phrase(numeric, numeric, integer, boolean) IS
    'Published wording of a change of a rate or share, the difference of the two values rounded to digits places: "Down one percentage point", "Up 12 percentage points", "Up 1.0 percentage points" (digits 1), "No change"; words => false writes 7 not seven';
CREATE OR REPLACE FUNCTION da.direction(old_value numeric, new_value numeric, digits integer DEFAULT 0)
    RETURNS text AS 'MODULE_PATHNAME', 'ds_direction' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.direction(numeric, numeric, integer) IS
    'up / down / unchanged: the sign of the percent change as pct_change_phrase rounds and prints it (from 0: up, or unchanged)';
CREATE FUNCTION da.pp_direction(old_rate numeric, new_rate numeric, digits integer DEFAULT 0)
    RETURNS text AS 'MODULE_PATHNAME', 'ds_pp_direction' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.pp_direction(numeric, numeric, integer) IS
    'up / down / unchanged: the sign of the percentage-point change as pp_change_phrase rounds and prints it (for "27 forces saw a decrease in their arrest rate")';
