-------------------------------------------------------------------------------
-- The outcome table and the MARAC figures on Citus (issue 10).
--
-- Same columns, privileges and results as in 0.4; only the shapes change:
--   da.force_outcome_table  the expansion of each force-period's outcome counts into one row
--                           per outcome code runs on the force's shard, with the join on the
--                           period's da_crimes: the codes (da.outcome_code, statistics data
--                           on the coordinator that Citus does not know) reach the workers as
--                           a small intermediate result instead of every force-period's
--                           counts coming back to the coordinator to be expanded there.
--   da.marac_12_months      unchanged. da.safelives_marac_expected() is an IMMUTABLE constant
--                           (folded when the view is planned), not a per-row query; the view
--                           reads reference tables only and runs as one task on the
--                           coordinator's own placements. What it costs more on Citus is
--                           the router query's fixed cost (the query deparsed and planned
--                           again for local execution), a few ms. The MARAC tables stay
--                           reference tables: distributing them by force_id would change
--                           da.marac_return's key (marac_id, quarter_end), which the MARAC
--                           ingest's ON CONFLICT names, and the MARAC tables' layout.
-------------------------------------------------------------------------------

SELECT da.warehouse_change('0.5', 'da.force_outcome_table', $ddl$
CREATE OR REPLACE VIEW da.force_outcome_table WITH (security_invoker = true) AS
SELECT o.force_id, o.period_start, o.period_end, da.period_label(o.period_start, o.period_end) AS period,
       c.value AS da_crimes, oc.code, oc.label, oc.group_name, da.outcome_n(o.outcomes, oc.code) AS n,
       (CASE WHEN oc.group_name <> 'not_yet_assigned' THEN da.outcome_pct_of_outcomes(o.outcomes, oc.code) END)::numeric(25,4) AS pct_of_outcomes,
       da.outcome_per_100_offences(o.outcomes, oc.code, c.value)::numeric(25,4) AS per_100_offences
FROM da.force_return_outcomes o
LEFT JOIN da.force_return c
       ON c.force_id = o.force_id AND c.period_start = o.period_start
      AND c.period_end = o.period_end AND c.measure_id = 'da_crimes'
JOIN da.outcome_code oc ON o.outcomes IS NOT NULL
$ddl$);
