-------------------------------------------------------------------------------
-- Validation's funnel positions without broadcasts on Citus (issue 10).
--
-- Same signature, rights, comment and rows as in 0.4; only the shape changes:
--   da.indicator_values_impl  the period's returns and outcome rows are read in one query each,
--                             gathered as columns (array_agg, a partial aggregate on the
--                             workers), and the indicator values are worked out from those
--                             columns (unnest) and the reference table da.indicator on the
--                             coordinator. In 0.4 the two reads were MATERIALIZED CTEs: on
--                             Citus each became a subplan whose rows were sent back to a worker
--                             to be joined with da.indicator (intermediate results broadcast).
-- Every caller gains: da.indicator_values, da.funnel_baseline_all (so da.funnel_baseline), and
-- so da.funnel_positions (its own values and its baseline's, two queries each) and validation
-- (da.validate_returns, da.run_validation), which now send the workers no intermediate result.
-- Row-level security is unchanged: the reads run with the caller's rights (or the owner's,
-- inside the SECURITY DEFINER da.funnel_baseline_all), as before.
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
