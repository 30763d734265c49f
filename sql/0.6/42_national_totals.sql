-------------------------------------------------------------------------------
-- da.national_totals_each() without a nested distributed query (issue 10).
--
-- 0.4's query joined the rows with a CTE over da.force (a reference table) and asked
-- da.national_withheld_reason (which reads da.analyst_force and da.setting) inside the same
-- statement. On Citus that statement became a task on the coordinator's own placements, and the
-- nested reads inside it were refused ("cannot execute a distributed query from a query on a
-- shard") whenever Citus ran the task over a connection instead of in-process: with
-- citus.enable_local_execution off. (A query over a Citus subplan's
-- result is itself run by Citus as a task, so no one statement can hold both.) Now the grouped
-- pass (0.4's, per shard) is one statement whose result, one row per measure and period, is
-- gathered as columns; the rest is a second statement over those columns alone, not a Citus
-- query, where the withholding rule's reads are ordinary queries. (Passing the forces' bits
-- as a jsonb instead of the join, as da.indicator_national_all does, measured 40% slower here.)
-- Same signature, rights and rows as in 0.4.
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION da.national_totals_each()
    RETURNS TABLE (measure_id text, period_start date, period_end date, value numeric,
                   forces_included integer, forces_expected integer, forces_left_out text[],
                   withheld_reason text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_names    text[];
    g_measure  text[];
    g_start    date[];
    g_end      date[];
    g_value    numeric[];
    g_included integer[];
    g_mask     varbit[];
BEGIN
    -- The forces of the national total by force_id: the mask's bit i is the i-th of them.
    v_names := ARRAY(SELECT f.name FROM da.force f WHERE f.in_national_total ORDER BY f.force_id);
    -- 0.4's grouped pass, gathered as columns.
    WITH nf AS MATERIALIZED (
        SELECT f.force_id, set_bit(repeat('0', count(*) OVER ()::integer)::varbit,
                       (row_number() OVER (ORDER BY f.force_id) - 1)::integer, 1) AS bit
        FROM da.force f WHERE f.in_national_total
    ), g AS (
        SELECT r.measure_id, r.period_start, r.period_end, sum(r.value) AS value,
               count(r.value)::integer AS included,
               bit_or(nf.bit) FILTER (WHERE r.value IS NOT NULL) AS mask
        FROM da.force_return r JOIN nf ON nf.force_id = r.force_id
        GROUP BY r.measure_id, r.period_start, r.period_end
    )
    SELECT array_agg(g.measure_id), array_agg(g.period_start), array_agg(g.period_end),
           array_agg(g.value), array_agg(g.included), array_agg(g.mask)
      INTO g_measure, g_start, g_end, g_value, g_included, g_mask
    FROM g;
    RETURN QUERY
    WITH g AS MATERIALIZED (
        SELECT * FROM unnest(g_measure, g_start, g_end, g_value, g_included, g_mask)
                 AS g(measure_id, period_start, period_end, value, included, mask)
    )
    SELECT g.measure_id, g.period_start, g.period_end,
           CASE WHEN w.reason IS NULL THEN g.value END, g.included, cardinality(v_names), l.left_out, w.reason
    FROM g
    CROSS JOIN LATERAL (SELECT coalesce(array_agg(n.name ORDER BY n.name), '{}') AS left_out
                        FROM unnest(v_names) WITH ORDINALITY AS n(name, pos)
                        WHERE g.mask IS NULL OR get_bit(g.mask, n.pos::integer - 1) = 0) l
    -- The rule depends on the count only: asked once per count, not once per row.
    LEFT JOIN (SELECT c.included, da.national_withheld_reason(c.included) AS reason
               FROM (SELECT DISTINCT g.included FROM g) c) w ON w.included = g.included;
END $$;
