-------------------------------------------------------------------------------
-- Validation's funnel positions without broadcasts on Citus (issue 10).
--
-- Same signatures, rights, comments and rows as in 0.4/0.5; only the shapes change:
--   da.indicator_values_impl  the period's returns and outcome rows are read in one query each,
--                             gathered as columns (array_agg, a partial aggregate on the
--                             workers), and the indicator values are worked out from those
--                             columns (unnest) and the reference table da.indicator on the
--                             coordinator. In 0.4 the two reads were MATERIALIZED CTEs: on
--                             Citus each became a subplan whose rows were sent back to a worker
--                             to be joined with da.indicator (intermediate results broadcast).
--   da.funnel_baseline_of     (new, internal) 0.4's baseline query over values given as columns,
--                             shared by da.funnel_baseline_all and da.funnel_positions_impl
--   da.funnel_positions_impl  for a caller that sees every force, the baseline is worked out
--                             from the values it has read (one read, not two); any other
--                             caller gets 0.4's query (see below).
-- Every caller gains: da.indicator_values, da.funnel_baseline_all (so da.funnel_baseline), and
-- so da.funnel_positions and validation (da.validate_returns, da.run_validation), which now
-- send the workers no intermediate result. Row-level security is unchanged: the reads run with
-- the caller's rights (or the owner's, inside the SECURITY DEFINER da.funnel_baseline_all).
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION da.indicator_values_impl(p_period_end date)
    RETURNS TABLE (indicator_id text, force_id text, period_start date, period_end date,
                   numerator bigint, denominator bigint)
    LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r_force  text[];
    r_start  date[];
    r_id     text[];
    r_value  bigint[];
    o_force  text[];
    o_start  date[];
    o_counts da.outcome_counts[];
BEGIN
    -- The period's rows, one distributed query per force table, gathered as columns.
    SELECT array_agg(x.force_id), array_agg(x.period_start), array_agg(x.measure_id), array_agg(x.value)
      INTO r_force, r_start, r_id, r_value
    FROM da.force_return x
    WHERE x.period_end = $1;
    SELECT array_agg(x.force_id), array_agg(x.period_start), array_agg(x.outcomes)
      INTO o_force, o_start, o_counts
    FROM da.force_return_outcomes x
    WHERE x.period_end = $1;
    -- 0.4's query over those rows: on the coordinator alone.
    RETURN QUERY
    WITH r AS MATERIALIZED (
        SELECT * FROM unnest(r_force, r_start, r_id, r_value) AS x(force_id, period_start, measure_id, value)
    ),
    o AS MATERIALIZED (
        SELECT * FROM unnest(o_force, o_start, o_counts) AS x(force_id, period_start, outcomes)
    ),
    k AS (
        SELECT i.indicator_id, r.force_id, r.period_start
        FROM da.indicator i JOIN r ON r.measure_id IN (i.denominator_measure, i.numerator_measure)
        UNION
        SELECT i.indicator_id, o.force_id, o.period_start
        FROM da.indicator i JOIN o ON i.numerator_outcome IS NOT NULL
    )
    SELECT k.indicator_id, k.force_id, k.period_start, $1,
           CASE WHEN i.numerator_measure IS NOT NULL THEN n.value ELSE da.outcome_n(o.outcomes, i.numerator_outcome) END,
           d.value
    FROM k
    JOIN da.indicator i ON i.indicator_id = k.indicator_id
    LEFT JOIN r d ON (d.force_id, d.period_start, d.measure_id) = (k.force_id, k.period_start, i.denominator_measure)
    LEFT JOIN r n ON (n.force_id, n.period_start, n.measure_id) = (k.force_id, k.period_start, i.numerator_measure)
    LEFT JOIN o ON i.numerator_outcome IS NOT NULL AND (o.force_id, o.period_start) = (k.force_id, k.period_start);
END $$;
COMMENT ON FUNCTION da.indicator_values_impl(date) IS
    'Internal to da.indicator_values (PL/pgSQL, so that Citus can plan it): the rows of da.indicator_input for the periods ending on that date';

-- The funnel baseline of each indicator and period start from values already read: 0.4's
-- da.funnel_baseline_all query (the same units, sums and floating-point orders), now shared by
-- da.funnel_baseline_all (over its own read, owner's rights) and da.funnel_positions_impl
-- (over the caller's read, when that is every force). The values come as columns (indicator,
-- force, period start, numerator, denominator); da.indicator and da.force are read as the caller.
CREATE FUNCTION da.funnel_baseline_of(v_indicator text[], v_force text[], v_start date[],
                                      v_numerator bigint[], v_denominator bigint[], winsor numeric)
    RETURNS TABLE (indicator_id text, period_start date, numerator numeric, denominator numeric,
                   forces integer, phi double precision, tau2 double precision)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH units AS MATERIALIZED (
        SELECT v.indicator_id, v.period_start, v.numerator, v.denominator, i.ci_method
        FROM unnest(v_indicator, v_force, v_start, v_numerator, v_denominator)
             AS v(indicator_id, force_id, period_start, numerator, denominator)
        JOIN da.indicator i ON i.indicator_id = v.indicator_id
        JOIN da.force f ON f.force_id = v.force_id
        WHERE f.in_national_total AND f.kind = 'territorial'
          AND v.numerator IS NOT NULL AND v.denominator > 0
          AND (i.ci_method <> 'wilson' OR v.numerator <= v.denominator)
    ), centre AS (
        SELECT u.indicator_id, u.period_start, sum(u.numerator) AS bx, sum(u.denominator) AS bn, count(*)::integer AS n
        FROM units u GROUP BY u.indicator_id, u.period_start
    ), z AS MATERIALIZED (
        SELECT u.indicator_id, u.period_start, x.s, (u.numerator::float8 / u.denominator - x.theta) / x.s AS z
        FROM units u
        JOIN centre c ON c.indicator_id = u.indicator_id AND c.period_start = u.period_start
        CROSS JOIN LATERAL (SELECT (c.bx / c.bn)::float8 AS theta) t
        CROSS JOIN LATERAL (SELECT t.theta,
                                   sqrt(CASE WHEN u.ci_method = 'wilson' THEN t.theta * (1 - t.theta) ELSE t.theta END
                                        / u.denominator) AS s) x
        WHERE x.s > 0 AND funnel_baseline_of.winsor IS NOT NULL
    ), q AS (
        SELECT z.indicator_id, z.period_start, count(*) AS units,
               percentile_cont(funnel_baseline_of.winsor::float8 / 100) WITHIN GROUP (ORDER BY z.z) AS zlo,
               percentile_cont(1 - funnel_baseline_of.winsor::float8 / 100) WITHIN GROUP (ORDER BY z.z) AS zhi,
               -- Floating-point sums in a fixed order: the same last digit whatever order the
               -- rows come in (one node, parallel workers or Citus shards).
               sum(1 / (z.s * z.s) ORDER BY z.s) AS sw, sum(1 / (z.s * z.s * z.s * z.s) ORDER BY z.s) AS sw2
        FROM z GROUP BY z.indicator_id, z.period_start
    ), d AS (
        SELECT q.indicator_id, q.period_start, q.units, q.sw, q.sw2,
               (SELECT avg(power(greatest(least(z.z, q.zhi), q.zlo), 2) ORDER BY z.z) FROM z
                WHERE z.indicator_id = q.indicator_id AND z.period_start = q.period_start) AS phi
        FROM q
    )
    SELECT c.indicator_id, c.period_start, c.bx, c.bn, c.n, d.phi,
           CASE WHEN d.phi IS NULL THEN NULL
                WHEN d.units >= 3 AND d.units * d.phi > d.units - 1 AND d.sw - d.sw2 / d.sw > 0
                THEN (d.units * d.phi - (d.units - 1)) / (d.sw - d.sw2 / d.sw)
                ELSE 0 END
    FROM centre c
    LEFT JOIN d ON d.indicator_id = c.indicator_id AND d.period_start = c.period_start;
END $$;
COMMENT ON FUNCTION da.funnel_baseline_of(text[], text[], date[], bigint[], bigint[], numeric) IS
    'Internal to da.funnel_baseline_all and da.funnel_positions: the funnel centre, phi and tau2 of each indicator and period start from the values given as columns (indicator, force, period start, numerator, denominator)';
REVOKE ALL ON FUNCTION da.funnel_baseline_of(text[], text[], date[], bigint[], bigint[], numeric) FROM PUBLIC;

-- The period's values, read once with the owner's rights, then the shared query.
CREATE OR REPLACE FUNCTION da.funnel_baseline_all(period_end date, winsor numeric DEFAULT 10)
    RETURNS TABLE (indicator_id text, period_start date, numerator numeric, denominator numeric,
                   forces integer, phi double precision, tau2 double precision)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_indicator text[];
    v_force text[];
    v_start date[];
    v_numerator bigint[];
    v_denominator bigint[];
BEGIN
    SELECT array_agg(v.indicator_id), array_agg(v.force_id), array_agg(v.period_start),
           array_agg(v.numerator), array_agg(v.denominator)
      INTO v_indicator, v_force, v_start, v_numerator, v_denominator
    FROM da.indicator_values(funnel_baseline_all.period_end) v;
    RETURN QUERY
    SELECT * FROM da.funnel_baseline_of(v_indicator, v_force, v_start, v_numerator, v_denominator,
                                        funnel_baseline_all.winsor);
END $$;

-- da.funnel_positions read the period's values twice: once with the caller's rights (the forces
-- placed) and once inside da.funnel_baseline, with the owner's (every force). For a caller that
-- sees every force (a superuser, a BYPASSRLS role, a role mapped to all forces) both reads
-- return the same rows and da.funnel_baseline withholds nothing, so the baseline is worked out
-- here from the values already read (da.funnel_baseline_of, da.funnel_baseline_all's query).
-- The test: the current user (whose rights row-level security applies to the read) sees every
-- force (da.may_access_force(NULL), the policies' own C function, which also runs as any role
-- on the Citus workers, where da.role_sees_all_forces' pg_roles is refused to a non-superuser)
-- and is the role the call is made as (da.funnel_baseline's test; they differ inside a
-- SECURITY DEFINER function only). Any other caller, a force-limited role in particular, gets
-- 0.4's query: its values under row-level security, the baseline (with its withholding) from
-- the owner's-rights da.funnel_baseline.
CREATE OR REPLACE FUNCTION da.funnel_positions_impl(p_period_end date)
    RETURNS TABLE (indicator_id text, force_id text, period_start date, period_end date,
                   numerator bigint, denominator bigint, per bigint, flag text, centre numeric,
                   lower_998 numeric, lower_95 numeric, upper_95 numeric, upper_998 numeric,
                   phi double precision, tau2 double precision,
                   centre_numerator numeric, centre_denominator numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_winsor numeric := (SELECT r.threshold FROM da.validation_rule r WHERE r.rule = 'funnel_99_8');
    v_indicator text[];
    v_force text[];
    v_start date[];
    v_numerator bigint[];
    v_denominator bigint[];
BEGIN
    IF NOT (da.calling_role() = current_user AND da.may_access_force(NULL)) THEN
        RETURN QUERY
        SELECT v.indicator_id, v.force_id, v.period_start, v.period_end, v.numerator, v.denominator, i.per,
               p.flag, p.centre, p.lower_998, p.lower_95, p.upper_95, p.upper_998, b.phi, b.tau2,
               b.numerator, b.denominator
        FROM da.indicator_values(p_period_end) v
        JOIN da.indicator i ON i.indicator_id = v.indicator_id
        JOIN da.force f ON f.force_id = v.force_id
        JOIN da.funnel_baseline(p_period_end, v_winsor) b
          ON b.indicator_id = v.indicator_id AND b.period_start = v.period_start
        CROSS JOIN LATERAL da.funnel_position(v.numerator, v.denominator, b.numerator, b.denominator,
                                              b.tau2, i.ci_method, i.per) p
        WHERE f.kind = 'territorial';
        RETURN;
    END IF;
    SELECT array_agg(v.indicator_id), array_agg(v.force_id), array_agg(v.period_start),
           array_agg(v.numerator), array_agg(v.denominator)
      INTO v_indicator, v_force, v_start, v_numerator, v_denominator
    FROM da.indicator_values(p_period_end) v;
    RETURN QUERY
    WITH v AS MATERIALIZED (
        SELECT * FROM unnest(v_indicator, v_force, v_start, v_numerator, v_denominator)
                 AS v(indicator_id, force_id, period_start, numerator, denominator)
    ), b AS MATERIALIZED (
        SELECT * FROM da.funnel_baseline_of(v_indicator, v_force, v_start, v_numerator, v_denominator, v_winsor)
    )
    SELECT v.indicator_id, v.force_id, v.period_start, p_period_end, v.numerator, v.denominator, i.per,
           p.flag, p.centre, p.lower_998, p.lower_95, p.upper_95, p.upper_998, b.phi, b.tau2,
           b.numerator, b.denominator
    FROM v
    JOIN da.indicator i ON i.indicator_id = v.indicator_id
    JOIN da.force f ON f.force_id = v.force_id
    JOIN b ON b.indicator_id = v.indicator_id AND b.period_start = v.period_start
    CROSS JOIN LATERAL da.funnel_position(v.numerator, v.denominator, b.numerator, b.denominator,
                                          b.tau2, i.ci_method, i.per) p
    WHERE f.kind = 'territorial';
END $$;
COMMENT ON FUNCTION da.funnel_positions_impl(date) IS
    'Internal to da.funnel_positions (PL/pgSQL, so that Citus can plan it): every territorial force placed on its funnel for the periods ending on that date';
