-------------------------------------------------------------------------------
-- The dashboard's funnel positions, set-based (issue 10; doc/citus.md, "The dashboard").
--
-- Until 0.4 the dashboard placed the forces with da.funnel_positions(period_end), called once
-- per period end present: on Citus each call is a few distributed queries, and a filter on
-- period_end does not reach them. Now:
--   da.funnel_baselines_each()  every (indicator, period) baseline of the funnel in one grouped
--                               pass, owner's rights: exactly da.funnel_baseline(period_end,
--                               <funnel_99_8 threshold>) for every period end, withholding for
--                               a force-limited role included;
--   da.dashboard                the per-force rows (indicator_input, the year earlier on the
--                               same force) joined to the national figures and the baselines
--                               (each one set-returning call, which Citus plans as an
--                               intermediate result), each force placed by da.funnel_position
--                               from its baseline's numbers.
-- da.funnel_positions (one period end, for validation) keeps its per-period baseline: for one
-- period that is cheaper than every period's, on one node and on Citus.
-------------------------------------------------------------------------------

-- 1. Every baseline in one pass. The numbers are those of da.funnel_baseline_all (the same
--    units, sums and floating-point orders); the withholding that of da.funnel_baseline, with
--    the forces of da.indicator_national_all counted in the same pass.
CREATE OR REPLACE FUNCTION da.funnel_baselines_each()
    RETURNS TABLE (indicator_id text, period_start date, period_end date, numerator numeric,
                   denominator numeric, forces integer, phi double precision, tau2 double precision,
                   withheld_reason text)
    ROWS 2000
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_all boolean := da.role_sees_all_forces(da.calling_role());
    -- Validation's and the dashboard's winsorising; a force-limited role gets this one anyway.
    v_winsor numeric := (SELECT r.threshold FROM da.validation_rule r WHERE r.rule = 'funnel_99_8');
    v_min_forces numeric := da.setting_value('funnel_min_forces');
BEGIN
    RETURN QUERY
    -- The per-force step: one row per force, indicator and period (the shards' rows on Citus).
    WITH base AS MATERIALIZED (
        SELECT v.indicator_id, v.period_start, v.period_end, v.numerator, v.denominator, i.ci_method,
               (f.in_national_total AND v.numerator IS NOT NULL AND v.denominator IS NOT NULL) AS national,
               (f.in_national_total AND f.kind = 'territorial'
                AND v.numerator IS NOT NULL AND v.denominator > 0
                AND (i.ci_method <> 'wilson' OR v.numerator <= v.denominator)) AS unit
        FROM da.indicator_input v
        JOIN da.indicator i ON i.indicator_id = v.indicator_id
        JOIN da.force f ON f.force_id = v.force_id
        WHERE f.in_national_total
    ), z AS (
        -- Each unit's z-score about its group's centre (a window over the group: no join).
        SELECT b.*, x.s,
               CASE WHEN b.unit AND x.s > 0 AND v_winsor IS NOT NULL
                    THEN (b.numerator::float8 / b.denominator - x.theta) / x.s END AS z
        FROM (SELECT b.*, sum(b.numerator) FILTER (WHERE b.unit) OVER g AS bx,
                     sum(b.denominator) FILTER (WHERE b.unit) OVER g AS bn
              FROM base b
              WINDOW g AS (PARTITION BY b.indicator_id, b.period_start, b.period_end)) b
        CROSS JOIN LATERAL (SELECT CASE WHEN b.unit THEN (b.bx / b.bn)::float8 END AS theta) t
        CROSS JOIN LATERAL (SELECT t.theta,
                                   CASE WHEN b.unit
                                        THEN sqrt(CASE WHEN b.ci_method = 'wilson' THEN t.theta * (1 - t.theta) ELSE t.theta END
                                                  / b.denominator) END AS s) x
    ), q AS (
        -- One group per indicator and period with a unit: the centre, the forces of
        -- da.indicator_national_all, and the z-scores' quantiles and weights.
        SELECT z.indicator_id, z.period_start, z.period_end,
               sum(z.numerator) FILTER (WHERE z.unit) AS bx, sum(z.denominator) FILTER (WHERE z.unit) AS bn,
               (count(*) FILTER (WHERE z.unit))::integer AS n,
               (count(*) FILTER (WHERE z.national))::integer AS national_forces,
               count(z.z) AS units,
               percentile_cont(ARRAY[v_winsor::float8 / 100, 1 - v_winsor::float8 / 100]) WITHIN GROUP (ORDER BY z.z) AS zq,
               -- Unsorted: the sums below sort them (per group, in memory).
               array_agg(z.z) FILTER (WHERE z.z IS NOT NULL) AS zs,
               array_agg(z.s) FILTER (WHERE z.z IS NOT NULL) AS ss
        FROM z
        GROUP BY z.indicator_id, z.period_start, z.period_end
        HAVING count(*) FILTER (WHERE z.unit) > 0
    ), d AS (
        SELECT q.*, p.phi, w.sw, w.sw2
        FROM q
        CROSS JOIN LATERAL (SELECT avg(power(greatest(least(u.z, q.zq[2]), q.zq[1]), 2) ORDER BY u.z) AS phi
                            FROM unnest(q.zs) u(z)) p
        -- In a fixed order, as da.funnel_baseline_all: the same last digit everywhere.
        CROSS JOIN LATERAL (SELECT sum(1 / (u.s * u.s) ORDER BY u.s) AS sw, sum(1 / (u.s * u.s * u.s * u.s) ORDER BY u.s) AS sw2
                            FROM unnest(q.ss) u(s)) w
    ), t AS (
        SELECT d.indicator_id, d.period_start, d.period_end, d.bx AS numerator, d.bn AS denominator,
               d.n AS forces, d.phi,
               CASE WHEN d.phi IS NULL THEN NULL
                    WHEN d.units >= 3 AND d.units * d.phi > d.units - 1 AND d.sw - d.sw2 / d.sw > 0
                    THEN (d.units * d.phi - (d.units - 1)) / (d.sw - d.sw2 / d.sw)
                    ELSE 0 END AS tau2,
               d.national_forces
        FROM d
    )
    SELECT t.indicator_id, t.period_start, t.period_end,
           CASE WHEN w.reason IS NULL THEN t.numerator END, CASE WHEN w.reason IS NULL THEN t.denominator END,
           t.forces,
           CASE WHEN w.reason IS NULL AND o.reason IS NULL THEN t.phi END,
           CASE WHEN w.reason IS NULL AND o.reason IS NULL THEN t.tau2 END,
           coalesce(w.reason, o.reason)
    FROM t
    -- da.funnel_baseline's rules, for a role that does not see every force only.
    -- The national rule depends on the count only: asked once per count, not once per row.
    LEFT JOIN (SELECT c.forces, da.national_withheld_reason(c.forces) AS reason
               FROM (SELECT DISTINCT t.forces FROM t WHERE NOT v_all) c) nw ON nw.forces = t.forces
    CROSS JOIN LATERAL (SELECT CASE WHEN NOT v_all THEN coalesce(nw.reason,
               CASE WHEN t.forces IS DISTINCT FROM t.national_forces
                    THEN pg_catalog.format('withheld: the funnel centre is over %s force(s), not the %s of the England and Wales value, so for a role limited to some forces it would give away the forces left out by difference',
                                           t.forces, coalesce(t.national_forces, 0)) END) END AS reason) w
    CROSS JOIN LATERAL (SELECT CASE WHEN NOT v_all AND (t.phi IS NOT NULL OR t.tau2 IS NOT NULL)
                                     AND t.forces < v_min_forces
               THEN pg_catalog.format('over-dispersion (phi, tau2) withheld: %s force(s) contribute, fewer than the %s needed for a role limited to some forces (da.setting funnel_min_forces); limits not widened',
                                      t.forces, v_min_forces) END AS reason) o;
END $$;
COMMENT ON FUNCTION da.funnel_baselines_each() IS
    'Internal to da.dashboard: da.funnel_baseline(period_end, <funnel_99_8 threshold>) for every indicator and period at once (one grouped query, which Citus runs on the workers), withheld for a force-limited role as da.funnel_baseline withholds';
REVOKE ALL ON FUNCTION da.funnel_baselines_each() FROM PUBLIC;

-- 2. The dashboard. The per-force rows (x, and p a year earlier on the same force) are joined on
--    force_id, so on Citus they run on the force's shard; the national figures and the
--    baselines are one call each (in FROM, their own range: Citus runs them on the coordinator
--    and ships their rows to the shards as intermediate results). Each force is placed from its
--    baseline's numbers, as da.funnel_positions places it: territorial forces only, against the
--    baseline of their indicator and period; no position (all funnel columns NULL) where
--    da.funnel_position gives no row. The numerator and denominator reach da.funnel_position
--    only for the units it places, so that nothing in it is evaluated for the others.
SELECT da.warehouse_change('0.5', 'da.dashboard', $ddl$
CREATE OR REPLACE VIEW da.dashboard WITH (security_invoker = true) AS
SELECT x.force_id, x.force_name, x.region, x.period_start, x.period_end,
       da.period_label(x.period_start, x.period_end) AS period,
       x.indicator_id, x.indicator, x.unit,
       x.numerator, x.denominator,
       da.per_n(x.numerator, x.denominator, x.per)::numeric(42,4) AS value,
       da.indicator_ci_lower(x.numerator, x.denominator, x.per, x.ci_method)::numeric(42,4) AS ci_lower,
       da.indicator_ci_upper(x.numerator, x.denominator, x.per, x.ci_method)::numeric(42,4) AS ci_upper,
       n.value::numeric(42,4) AS national_value,
       n.forces_included::bigint AS national_forces_included,
       da.per_n(p.numerator, p.denominator, x.per)::numeric(42,4) AS value_year_earlier,
       (da.per_n(x.numerator, x.denominator, x.per) - da.per_n(p.numerator, p.denominator, x.per))::numeric(42,4)
           AS change_from_year_earlier,
       n.withheld_reason AS national_withheld_reason,
       fp.flag,
       fp.centre::numeric(42,4) AS funnel_centre,
       fp.lower_998::numeric(42,4) AS lower_998,
       fp.lower_95::numeric(42,4) AS lower_95,
       fp.upper_95::numeric(42,4) AS upper_95,
       fp.upper_998::numeric(42,4) AS upper_998,
       CASE WHEN fp.placed THEN b.phi END AS overdispersion_phi,
       CASE WHEN fp.placed THEN b.tau2 END AS overdispersion_tau2
-- x: da.indicator_input's query (part 40 of 0.4: the same grouping, the same numerator and
-- denominator) with the force's and the indicator's columns carried along. The reference
-- tables are joined here, beside the UNION ALL, and nowhere else: Citus runs this whole on
-- each shard even beside the functions' intermediate results, where a reference table joined
-- at the outer level makes it plan each UNION ALL leg as a subplan of its own.
FROM (SELECT i.indicator_id, u.force_id, u.period_start, u.period_end,
             f.name AS force_name, f.region, f.kind, i.label AS indicator, i.unit, i.per, i.ci_method,
             CASE WHEN i.numerator_measure IS NOT NULL
                  THEN max(u.value) FILTER (WHERE u.measure_id = i.numerator_measure)
                  ELSE da.outcome_n((pg_catalog.array_agg(u.outcomes) FILTER (WHERE u.measure_id IS NULL))[1], i.numerator_outcome) END AS numerator,
             max(u.value) FILTER (WHERE u.measure_id = i.denominator_measure) AS denominator
      FROM (SELECT r.force_id, r.period_start, r.period_end, r.measure_id, r.value, NULL::da.outcome_counts AS outcomes
            FROM da.force_return r
            UNION ALL
            SELECT o.force_id, o.period_start, o.period_end, NULL::text AS measure_id, NULL::bigint AS value, o.outcomes
            FROM da.force_return_outcomes o) u
      JOIN da.indicator i
        ON u.measure_id = i.numerator_measure OR u.measure_id = i.denominator_measure
        OR (u.measure_id IS NULL AND i.numerator_outcome IS NOT NULL)
      JOIN da.force f ON f.force_id = u.force_id
      -- Every column named (no functional dependency on a primary key: Citus does not create a
      -- view that depends on a constraint on the workers).
      GROUP BY i.indicator_id, u.period_start, u.period_end, u.force_id, i.numerator_measure, i.numerator_outcome,
               i.denominator_measure, f.name, f.region, f.kind, i.label, i.unit, i.per, i.ci_method) x
-- The year earlier: the same force, so the join runs on the force's shard. The rest of the key
-- (indicator and the period a year earlier) is compared as one value: x comes sorted by
-- indicator and period, and the planner, underestimating x, would otherwise merge-join the
-- two on the indicator alone and compare every period with every other (minutes, not
-- seconds). The value is the indicator and the two dates as text, joined by '|' (a date's
-- text never holds one, so equal values mean equal keys; infinite dates included).
LEFT JOIN da.indicator_input p
       ON p.force_id = x.force_id
      AND p.indicator_id || '|' || p.period_start::text || '|' || p.period_end::text
        = x.indicator_id || '|' || da.year_earlier_start(x.period_start)::text || '|' || da.year_earlier_end(x.period_end)::text
LEFT JOIN da.indicator_national() n
       ON n.indicator_id = x.indicator_id AND n.period_start = x.period_start AND n.period_end = x.period_end
LEFT JOIN da.funnel_baselines_each() b
       ON b.indicator_id = x.indicator_id AND b.period_start = x.period_start AND b.period_end = x.period_end
      AND x.kind = 'territorial'
CROSS JOIN LATERAL (SELECT (b.indicator_id IS NOT NULL AND x.numerator >= 0 AND x.denominator > 0
                            AND (x.ci_method <> 'wilson' OR x.numerator <= x.denominator)) IS TRUE AS ok) g
LEFT JOIN LATERAL (SELECT q.flag, q.centre, q.lower_998, q.lower_95, q.upper_95, q.upper_998, true AS placed
                   FROM da.funnel_position(CASE WHEN g.ok THEN x.numerator END, CASE WHEN g.ok THEN x.denominator END,
                                           b.numerator, b.denominator, b.tau2, x.ci_method, x.per) q) fp ON true
$ddl$);

-------------------------------------------------------------------------------
-- Who may run da.funnel_baselines_each: readers, as da.funnel_baseline. Part 20's list with
-- this one line added (redefined here: da.grant_access grants what it lists); roles granted
-- before the upgrade get it below.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION da.kit_functions() RETURNS TABLE (signature text, access text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT v.s, v.a FROM (VALUES
        ('da.national_total(text,date,date)', 'reader'),
        ('da.national_change(text,date,date)', 'reader'),
        ('da.national_indicator_change(text,date,date)', 'reader'),
        ('da.indicator_national()', 'reader'),
        ('da.funnel_baseline(date,numeric)', 'reader'),
        ('da.funnel_baselines_each()', 'reader'),
        ('da.funnel_positions(date)', 'reader'),
        ('da.funnel_positions_impl(date)', 'reader'),
        ('da.funnel_baseline_of(text[],text[],date[],bigint[],bigint[],numeric)', 'reader'),
        ('da.national_totals_each()', 'reader'),
        ('da.funnel_curve(text,date,integer)', 'reader'),
        ('da.indicator_values(date)', 'reader'),
        ('da.indicator_values_impl(date)', 'reader'),
        ('da.validate_builtin(date)', 'reader'),
        ('da.validate_rejected(date)', 'reader'),
        ('da.validate_returns(date)', 'reader'),
        ('da.period_end_check(date)', 'reader'),
        ('da.ingest_returns(text)', 'loader'),
        ('da.ingest_outcomes(text)', 'loader'),
        ('da.ingest_marac(text)', 'loader'),
        ('da.grant_access(name,text,text[])', 'owner'),
        ('da.revoke_access(name)', 'owner'),
        ('da.run_validation(date)', 'owner'),
        ('da.schedule_validation(text,text)', 'owner'),
        ('da.unschedule_validation(text)', 'owner'),
        ('da.national_total_all(text,date,date)', 'owner'),
        ('da.national_change_all(text,date,date)', 'owner'),
        ('da.national_indicator_change_all(text,date,date)', 'owner'),
        ('da.indicator_national_all()', 'owner'),
        ('da.funnel_baseline_all(date,numeric)', 'owner')) v(s, a);
END;
-- Roles granted before the upgrade get the new functions in part 95.
