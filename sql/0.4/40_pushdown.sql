-------------------------------------------------------------------------------
-- Warehouse queries whose per-force step runs on the Citus workers (issue 10, deliverables 3
-- and 4; doc/citus.md). Same columns, comments, privileges and results as before; only the
-- shape of the queries changes, so that once da.distribute_warehouse() has distributed the
-- force tables by force_id, the per-force step is grouped or joined by force_id and runs whole
-- on the workers, and only per-force (or per-shard partial) results reach the coordinator.
-- On one node the same shapes are as fast or faster.
--   da.indicator_input      one GROUP BY force, period and indicator over force_return and
--                           force_return_outcomes (UNION ALL), instead of a UNION of keys and
--                           three joins back: Citus runs it whole on each shard.
--   da.national_totals      one grouped pass over every measure and period
--                           (da.national_totals_each, owner's rights like da.national_total),
--                           instead of one da.national_total call (one distributed query) per
--                           row; the forces left out come from a bit mask (bit_or, a partial
--                           aggregate Citus combines) instead of a join of every force.
--   da.force_outcome_table  the da_crimes of each force-period joined on the force's shard;
--                           the expansion into outcome codes (da.outcome_code, statistics
--                           data that Citus does not know) on the coordinator.
--   da.dashboard            keys joined column by column (force_id first); the funnel
--                           positions joined on the period end they were asked for, so that a
--                           filter on period_end places only that period (one node).
-------------------------------------------------------------------------------

-- 1. Indicator inputs: one grouped pass per force.
CREATE OR REPLACE VIEW da.indicator_input WITH (security_invoker = true) AS
SELECT i.indicator_id, u.force_id, u.period_start, u.period_end,
       CASE WHEN i.numerator_measure IS NOT NULL
            THEN max(u.value) FILTER (WHERE u.measure_id = i.numerator_measure)
            ELSE da.outcome_n((array_agg(u.outcomes) FILTER (WHERE u.measure_id IS NULL))[1], i.numerator_outcome) END AS numerator,
       max(u.value) FILTER (WHERE u.measure_id = i.denominator_measure) AS denominator
FROM (SELECT r.force_id, r.period_start, r.period_end, r.measure_id, r.value, NULL::da.outcome_counts AS outcomes
      FROM da.force_return r
      UNION ALL
      SELECT o.force_id, o.period_start, o.period_end, NULL::text AS measure_id, NULL::bigint AS value, o.outcomes
      FROM da.force_return_outcomes o) u
JOIN da.indicator i
  ON u.measure_id = i.numerator_measure OR u.measure_id = i.denominator_measure
  OR (u.measure_id IS NULL AND i.numerator_outcome IS NOT NULL)
GROUP BY i.indicator_id, u.force_id, u.period_start, u.period_end, i.numerator_measure, i.numerator_outcome, i.denominator_measure;

-- 2. National totals: one grouped pass.
CREATE OR REPLACE FUNCTION da.national_totals_each()
    RETURNS TABLE (measure_id text, period_start date, period_end date, value numeric,
                   forces_included integer, forces_expected integer, forces_left_out text[],
                   withheld_reason text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH nf AS MATERIALIZED (
        SELECT f.force_id, f.name, (row_number() OVER (ORDER BY f.force_id) - 1)::integer AS pos,
               set_bit(repeat('0', count(*) OVER ()::integer)::varbit,
                       (row_number() OVER (ORDER BY f.force_id) - 1)::integer, 1) AS bit
        FROM da.force f WHERE f.in_national_total
    ), g AS MATERIALIZED (
        SELECT r.measure_id, r.period_start, r.period_end, sum(r.value) AS value,
               count(r.value)::integer AS included,
               bit_or(nf.bit) FILTER (WHERE r.value IS NOT NULL) AS mask
        FROM da.force_return r JOIN nf ON nf.force_id = r.force_id
        GROUP BY r.measure_id, r.period_start, r.period_end
    )
    SELECT g.measure_id, g.period_start, g.period_end,
           CASE WHEN w.reason IS NULL THEN g.value END, g.included,
           (SELECT count(*)::integer FROM nf), l.left_out, w.reason
    FROM g
    CROSS JOIN LATERAL (SELECT coalesce(array_agg(nf.name ORDER BY nf.name), '{}') AS left_out
                        FROM nf WHERE g.mask IS NULL OR get_bit(g.mask, nf.pos) = 0) l
    -- The rule depends on the count only: asked once per count, not once per row.
    LEFT JOIN (SELECT c.included, da.national_withheld_reason(c.included) AS reason
               FROM (SELECT DISTINCT g.included FROM g) c) w ON w.included = g.included;
END $$;
COMMENT ON FUNCTION da.national_totals_each() IS
    'Internal to da.national_totals: da.national_total for every measure and period at once (one grouped query, which Citus runs on the workers)';
REVOKE ALL ON FUNCTION da.national_totals_each() FROM PUBLIC;

-- Owner's rights, as before (national figures ignore the caller's row-level security). The
-- measure-periods are those of da.national_totals_each: the ones some force in the national
-- total returned, as the view's own list of them was.
CREATE OR REPLACE VIEW da.national_totals AS
 SELECT t.measure_id, t.period_start, t.period_end,
    da.period_label(t.period_start, t.period_end) AS period,
    t.value::bigint AS value, t.forces_included::bigint AS forces_included,
    t.forces_expected::bigint AS forces_expected, t.forces_left_out, t.withheld_reason,
    array_to_string(t.forces_left_out, ', '::text) AS forces_left_out_list
   FROM da.national_totals_each() t;

-- 3. Outcome tables.
CREATE OR REPLACE VIEW da.force_outcome_table WITH (security_invoker = true) AS
WITH s AS MATERIALIZED (
    SELECT o.force_id, o.period_start, o.period_end, o.outcomes, c.value AS da_crimes
    FROM da.force_return_outcomes o
    LEFT JOIN da.force_return c
           ON c.force_id = o.force_id AND c.period_start = o.period_start AND c.period_end = o.period_end
          AND c.measure_id = 'da_crimes'
)
SELECT s.force_id, s.period_start, s.period_end, da.period_label(s.period_start, s.period_end) AS period,
       s.da_crimes, oc.code, oc.label, oc.group_name, da.outcome_n(s.outcomes, oc.code) AS n,
       (CASE WHEN oc.group_name <> 'not_yet_assigned' THEN da.outcome_pct_of_outcomes(s.outcomes, oc.code) END)::numeric(25,4) AS pct_of_outcomes,
       da.outcome_per_100_offences(s.outcomes, oc.code, s.da_crimes)::numeric(25,4) AS per_100_offences
FROM s JOIN da.outcome_code oc ON s.outcomes IS NOT NULL;

-- 4. The dashboard.
CREATE OR REPLACE VIEW da.dashboard WITH (security_invoker = true) AS
SELECT x.force_id, f.name AS force_name, f.region, x.period_start, x.period_end,
       da.period_label(x.period_start, x.period_end) AS period,
       x.indicator_id, i.label AS indicator, i.unit,
       x.numerator, x.denominator,
       da.per_n(x.numerator, x.denominator, i.per)::numeric(42,4) AS value,
       da.indicator_ci_lower(x.numerator, x.denominator, i.per, i.ci_method)::numeric(42,4) AS ci_lower,
       da.indicator_ci_upper(x.numerator, x.denominator, i.per, i.ci_method)::numeric(42,4) AS ci_upper,
       n.value::numeric(42,4) AS national_value,
       n.forces_included::bigint AS national_forces_included,
       da.per_n(p.numerator, p.denominator, i.per)::numeric(42,4) AS value_year_earlier,
       (da.per_n(x.numerator, x.denominator, i.per) - da.per_n(p.numerator, p.denominator, i.per))::numeric(42,4)
           AS change_from_year_earlier,
       n.withheld_reason AS national_withheld_reason,
       fp.flag,
       fp.centre::numeric(42,4) AS funnel_centre,
       fp.lower_998::numeric(42,4) AS lower_998,
       fp.lower_95::numeric(42,4) AS lower_95,
       fp.upper_95::numeric(42,4) AS upper_95,
       fp.upper_998::numeric(42,4) AS upper_998,
       fp.phi AS overdispersion_phi,
       fp.tau2 AS overdispersion_tau2
FROM da.indicator_input x
JOIN da.indicator i ON i.indicator_id = x.indicator_id
JOIN da.force f ON f.force_id = x.force_id
LEFT JOIN da.indicator_national() n
       ON n.indicator_id = x.indicator_id AND n.period_start = x.period_start AND n.period_end = x.period_end
-- The year earlier: the same force, so the join runs on the force's shard.
LEFT JOIN da.indicator_input p
       ON p.force_id = x.force_id AND p.indicator_id = x.indicator_id
      AND p.period_start = da.year_earlier_start(x.period_start) AND p.period_end = da.year_earlier_end(x.period_end)
-- Positions are computed once per period end present, as the validator computes them. The
-- join is on the period end passed in (e.period_end, equal to q.period_end), so that a filter
-- on the dashboard's period_end reaches e and only the periods asked for are placed.
LEFT JOIN (SELECT e.period_end AS asked_period_end, q.*
           FROM (SELECT DISTINCT ii.period_end FROM da.indicator_input ii) e
           CROSS JOIN LATERAL da.funnel_positions(e.period_end) q) fp
       ON fp.asked_period_end = x.period_end AND fp.indicator_id = x.indicator_id
      AND fp.force_id = x.force_id AND fp.period_start = x.period_start;

-------------------------------------------------------------------------------
-- Who may run da.national_totals_each: readers, as da.national_total (listed in
-- da.kit_functions(), part 20); roles granted before the upgrade get it here.
-------------------------------------------------------------------------------
DO $grants$
DECLARE
    r name;
BEGIN
    FOR r IN SELECT DISTINCT a.role_name FROM da.analyst_force a
             WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname OPERATOR(pg_catalog.=) a.role_name)
    LOOP
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION da.national_totals_each() TO %I', r);
    END LOOP;
END
$grants$;
