-------------------------------------------------------------------------------
-- Validation with fewer distributed queries (issue 10).
--
-- Same signatures, rights, findings and messages as in 0.4; on Citus each query over the force
-- tables is a distributed query (a round of 8 shards), so the functions ask fewer of them:
--   da.validate_builtin     the returns and the outcome rows of the period and of the year
--                           earlier are read once each (period_end IN (both)), gathered as
--                           columns (array_agg), and the indicator values of both periods
--                           are computed from those rows (da.indicator_values' query),
--                           instead of reading each period's returns again in two calls of
--                           da.indicator_values (four queries); the checks then run on the
--                           coordinator over those rows and the reference tables, with no
--                           intermediate result broadcast to the workers. The funnel check
--                           still calls da.funnel_positions(period_end).
--   da.validate_rejected    returns at once when no rejected row (a coordinator table) ends
--                           on the period; otherwise reads the period's stored rows once per
--                           force table, gathered as columns, so nothing is sent to the workers.
--   da.period_end_check     one EXISTS at a time (the returns first), so that a period that is
--                           there costs one query, not one per table.
--   da.run_validation       the run's row is written once, with its counts (validation_run is a
--                           reference table: every write reaches every node); the latest
--                           period end is only looked up when none is given.
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION da.validate_builtin(period_end date)
    RETURNS SETOF da.validation_finding_row
    LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r_force  text[];
    r_start  date[];
    r_end    date[];
    r_id     text[];
    r_value  bigint[];
    o_force  text[];
    o_start  date[];
    o_end    date[];
    o_counts da.outcome_counts[];
BEGIN
    -- The two years' returns and outcome rows: one distributed query each, gathered as
    -- columns (array_agg, a partial aggregate on the workers). The findings are then worked
    -- out from these and the reference tables on the coordinator alone, so that no
    -- intermediate result is sent back to the workers.
    SELECT array_agg(r.force_id), array_agg(r.period_start), array_agg(r.period_end), array_agg(r.measure_id), array_agg(r.value)
      INTO r_force, r_start, r_end, r_id, r_value
    FROM da.force_return r
    WHERE r.period_end IN ($1, da.year_earlier_end($1));
    SELECT array_agg(o.force_id), array_agg(o.period_start), array_agg(o.period_end), array_agg(o.outcomes)
      INTO o_force, o_start, o_end, o_counts
    FROM da.force_return_outcomes o
    WHERE o.period_end IN ($1, da.year_earlier_end($1));
    RETURN QUERY
    WITH rules AS MATERIALIZED (
        SELECT r.rule, r.severity, r.threshold FROM da.validation_rule r WHERE r.enabled AND r.builtin
    ),
    fr AS MATERIALIZED (
        SELECT * FROM unnest(r_force, r_start, r_end, r_id, r_value) AS r(force_id, period_start, period_end, measure_id, value)
    ),
    fo AS MATERIALIZED (
        SELECT * FROM unnest(o_force, o_start, o_end, o_counts) AS o(force_id, period_start, period_end, outcomes)
    ),
    cur AS MATERIALIZED (
        SELECT r.force_id, r.period_start, r.measure_id, r.value FROM fr r WHERE r.period_end = $1
    ),
    prev AS MATERIALIZED (
        SELECT r.force_id, r.period_start, r.measure_id, r.value FROM fr r WHERE r.period_end = da.year_earlier_end($1)
    ),
    -- da.indicator_values of both period ends, from those rows (its query, per period end).
    k AS (
        SELECT i.indicator_id, r.force_id, r.period_start, r.period_end
        FROM da.indicator i JOIN fr r ON r.measure_id IN (i.denominator_measure, i.numerator_measure)
        UNION
        SELECT i.indicator_id, o.force_id, o.period_start, o.period_end
        FROM da.indicator i JOIN fo o ON i.numerator_outcome IS NOT NULL
    ),
    iv AS (
        SELECT k.indicator_id, k.force_id, k.period_start, k.period_end,
               CASE WHEN i.numerator_measure IS NOT NULL THEN n.value ELSE da.outcome_n(o.outcomes, i.numerator_outcome) END AS numerator,
               d.value AS denominator
        FROM k
        JOIN da.indicator i ON i.indicator_id = k.indicator_id
        LEFT JOIN fr d ON (d.force_id, d.period_start, d.period_end, d.measure_id) = (k.force_id, k.period_start, k.period_end, i.denominator_measure)
        LEFT JOIN fr n ON (n.force_id, n.period_start, n.period_end, n.measure_id) = (k.force_id, k.period_start, k.period_end, i.numerator_measure)
        LEFT JOIN fo o ON i.numerator_outcome IS NOT NULL
                      AND (o.force_id, o.period_start, o.period_end) = (k.force_id, k.period_start, k.period_end)
    ),
    ind AS MATERIALIZED (
        SELECT ii.indicator_id, ii.force_id, ii.period_start, ii.period_end, ii.numerator, ii.denominator,
               i.per, i.ci_method, i.label, i.denominator_measure,
               coalesce(i.numerator_measure, 'outcome_' || i.numerator_outcome) AS num_name,
               coalesce(da.measure_name(nm.description), 'outcome ' || i.numerator_outcome) AS num_description,
               da.measure_name(dm.description) AS den_description
        FROM iv ii
        JOIN da.indicator i ON i.indicator_id = ii.indicator_id
        LEFT JOIN da.measure nm ON nm.measure_id = i.numerator_measure
        JOIN da.measure dm ON dm.measure_id = i.denominator_measure
    ),
    ind_cur AS (SELECT * FROM ind WHERE ind.period_end = $1),
    ind_prev AS (SELECT * FROM ind WHERE ind.period_end <> $1),
    -- Forces outside their funnel (da.funnel_positions), with the limit crossed.
    funnel AS MATERIALIZED (
        SELECT c.*, p.centre, p.tau2, p.flag,
               CASE WHEN p.flag LIKE '%99.8%' THEN 0.998 ELSE 0.95 END AS level,
               CASE p.flag WHEN 'above 99.8%' THEN p.upper_998 WHEN 'above 95%' THEN p.upper_95
                           WHEN 'below 95%' THEN p.lower_95 ELSE p.lower_998 END AS crossed
        FROM ind_cur c
        JOIN da.funnel_positions($1) p
          ON (p.indicator_id, p.force_id, p.period_start) = (c.indicator_id, c.force_id, c.period_start)
        WHERE p.flag <> 'within'
          AND EXISTS (SELECT 1 FROM rules r WHERE r.rule IN ('funnel_99_8', 'funnel_95'))
    ),
    findings AS (
        SELECT c.force_id, c.measure_id, 'part_exceeds_total'::text AS rule, c.value::numeric AS observed,
               t.value::numeric AS expected, c.period_start,
               format('%s (%s) is larger than its total, %s (%s); a part cannot exceed its total. Please check both figures.',
                      da.measure_name(m.description), da.format_number(c.value), da.measure_name(mt.description), da.format_number(t.value)) AS what
        FROM cur c
        JOIN da.measure m ON m.measure_id = c.measure_id
        JOIN cur t ON t.force_id = c.force_id AND t.period_start = c.period_start AND t.measure_id = m.parent_measure
        JOIN da.measure mt ON mt.measure_id = t.measure_id
        WHERE c.value > t.value
        UNION ALL
        -- A force with nothing at all for the period: one finding, not one per measure.
        SELECT p.force_id, NULL, 'force_missing', NULL, count(p.value), (p.period_start + interval '1 year')::date,
               format('No return has been received, while %s figures were returned for the same period a year earlier. '
                      'Please send the return, or tell us which figures cannot be provided.', count(p.value))
        FROM prev p
        WHERE NOT EXISTS (SELECT 1 FROM cur c WHERE c.force_id = p.force_id
                                              AND da.year_earlier_start(c.period_start) = p.period_start)
        GROUP BY p.force_id, p.period_start
        HAVING count(p.value) > 0
        UNION ALL
        SELECT p.force_id, p.measure_id, 'missing_vs_year_earlier', NULL, p.value, (p.period_start + interval '1 year')::date,
               CASE WHEN c.force_id IS NULL
                    THEN format('%s is missing (it was %s for the same period a year earlier). Please send it, or tell us it cannot be provided.',
                                da.measure_name(m.description), da.format_number(p.value))
                    ELSE format('%s is marked unable to provide (it was %s for the same period a year earlier). Please confirm it cannot be provided.',
                                da.measure_name(m.description), da.format_number(p.value)) END
        FROM prev p
        JOIN da.measure m ON m.measure_id = p.measure_id
        LEFT JOIN cur c ON c.force_id = p.force_id AND c.measure_id = p.measure_id
                       AND da.year_earlier_start(c.period_start) = p.period_start
        WHERE p.value IS NOT NULL AND (c.force_id IS NULL OR c.value IS NULL)
          AND EXISTS (SELECT 1 FROM cur c2 WHERE c2.force_id = p.force_id
                                             AND da.year_earlier_start(c2.period_start) = p.period_start)
        UNION ALL
        SELECT c.force_id, c.measure_id, 'count_jump', round(x.pct, 1), r.threshold, c.period_start,
               CASE WHEN p.value = 0
                    THEN format('%s went from 0 for the same period a year earlier to %s. Please confirm the figure or send a correction.',
                                da.measure_name(m.description), da.format_number(c.value))
                    ELSE format('%s changed by %s%% on the same period a year earlier (%s to %s), more than the %s%% that triggers a query. '
                                'Please confirm the figure or send a correction.',
                                da.measure_name(m.description), CASE WHEN x.pct > 0 THEN '+' ELSE '' END || round(x.pct, 1),
                                da.format_number(p.value), da.format_number(c.value), r.threshold) END
        FROM cur c
        JOIN prev p ON p.force_id = c.force_id AND p.measure_id = c.measure_id
                   AND p.period_start = da.year_earlier_start(c.period_start)
        JOIN da.measure m ON m.measure_id = c.measure_id
        JOIN rules r ON r.rule = 'count_jump'
        CROSS JOIN LATERAL (SELECT da.pct_change(p.value, c.value) AS pct) x
        WHERE CASE WHEN (p.value > 0 AND abs(x.pct) > r.threshold) OR (p.value = 0 AND c.value > 0)
                   THEN da.rate_change_p_value(p.value, 1, c.value, 1) < 0.002 ELSE false END
        UNION ALL
        SELECT c.force_id, c.num_name, 'rate_jump', round(v.new_rate - v.old_rate, 1), r.threshold, c.period_start,
               format('%s moved from %s to %s (%s points) on the same period a year earlier, more than the %s points that trigger a query. '
                      'Please confirm %s (%s) and %s (%s) or send a correction.',
                      c.label, da.format_number(v.old_rate, 1), da.format_number(v.new_rate, 1),
                      CASE WHEN v.new_rate > v.old_rate THEN '+' ELSE '' END || round(v.new_rate - v.old_rate, 1), r.threshold,
                      c.num_description, da.format_number(c.numerator), c.den_description, da.format_number(c.denominator))
        FROM ind_cur c
        JOIN ind_prev p ON p.indicator_id = c.indicator_id AND p.force_id = c.force_id
                       AND p.period_start = da.year_earlier_start(c.period_start)
        JOIN rules r ON r.rule = 'rate_jump'
        CROSS JOIN LATERAL (SELECT da.per_n(c.numerator, c.denominator, c.per) AS new_rate,
                                   da.per_n(p.numerator, p.denominator, c.per) AS old_rate) v
        WHERE CASE WHEN c.denominator > 0 AND p.denominator > 0 AND abs(v.new_rate - v.old_rate) > r.threshold
                   THEN da.rate_change_p_value(p.numerator, p.denominator, c.numerator, c.denominator) < 0.002 ELSE false END
        UNION ALL
        SELECT f.force_id, f.num_name, CASE f.level WHEN 0.998 THEN 'funnel_99_8' ELSE 'funnel_95' END,
               round(da.per_n(f.numerator, f.denominator, f.per), 2), round(l.crossed, 2), f.period_start,
               format('%s is %s, %s the %s funnel limit for a force of this size (%s%s; England and Wales: %s). %s',
                      f.label, da.format_number(da.per_n(f.numerator, f.denominator, f.per), l.digits),
                      CASE WHEN f.flag LIKE 'above%' THEN 'above' ELSE 'below' END,
                      CASE f.level WHEN 0.998 THEN '99.8%' ELSE '95%' END,
                      da.format_number(l.crossed, l.digits),
                      CASE WHEN f.tau2 > 0 THEN ', allowing for the usual variation between forces' ELSE '' END,
                      da.format_number(f.centre, 1),
                      CASE f.level WHEN 0.998 THEN format('Please confirm %s (%s) and %s (%s) or send a correction.',
                                                          f.num_description, da.format_number(f.numerator),
                                                          f.den_description, da.format_number(f.denominator))
                                   ELSE 'For information.' END)
        FROM funnel f
        -- one decimal, or two where one would print the value and the limit alike
        CROSS JOIN LATERAL (SELECT f.crossed,
                                   CASE WHEN round(da.per_n(f.numerator, f.denominator, f.per), 1) = round(f.crossed, 1)
                                        THEN 2 ELSE 1 END AS digits) l
        UNION ALL
        SELECT c.force_id, c.num_name, 'rate_not_computable', c.numerator, c.denominator, c.period_start,
               format('%s cannot be computed: %s was returned (%s) but %s is %s. Please send it, or tell us it cannot be provided.',
                      c.label, c.num_description, da.format_number(c.numerator), c.den_description,
                      CASE WHEN c.denominator IS NULL THEN 'missing' ELSE 'zero' END)
        FROM ind_cur c WHERE c.numerator IS NOT NULL AND coalesce(c.denominator, 0) = 0
    )
    SELECT f.force_id, f.measure_id, f.rule, r.severity, f.observed, f.expected,
           format('%s, %s: %s', coalesce(fo.name, f.force_id), da.period_label(f.period_start, $1), f.what)
    FROM findings f
    JOIN rules r ON r.rule = f.rule
    LEFT JOIN da.force fo ON fo.force_id = f.force_id;
END $$;

CREATE OR REPLACE FUNCTION da.validate_rejected(period_end date)
    RETURNS SETOF da.validation_finding_row
    LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r_force  text[];
    r_id     text[];
    r_start  date[];
    r_load   bigint[];
    o_force  text[];
    o_start  date[];
    o_load   bigint[];
BEGIN
    -- No rejected row for the period (a local table): nothing to look up in the distributed ones.
    IF NOT EXISTS (SELECT 1 FROM da.rejected_return rr WHERE btrim(rr.period_end) = to_char($1, 'YYYY-MM-DD')) THEN
        RETURN;
    END IF;
    -- The period's stored rows, one distributed query per force table gathered as columns
    -- (array_agg, a partial aggregate on the workers); the check then runs on the coordinator
    -- over them (unnest), the rejected rows and the reference tables, so that no intermediate
    -- result is sent to the workers. (A correlated subquery over a distributed table from rows
    -- that are not, the rejected rows, is a join Citus cannot plan anyway.)
    SELECT array_agg(y.force_id), array_agg(y.measure_id), array_agg(y.period_start), array_agg(y.load_id)
      INTO r_force, r_id, r_start, r_load
    FROM da.force_return y
    WHERE y.period_end = $1;
    SELECT array_agg(y.force_id), array_agg(y.period_start), array_agg(y.load_id)
      INTO o_force, o_start, o_load
    FROM da.force_return_outcomes y
    WHERE y.period_end = $1;
    RETURN QUERY
    WITH fr AS MATERIALIZED (
        SELECT * FROM unnest(r_force, r_id, r_start, r_load) AS y(force_id, measure_id, period_start, load_id)
    ), fo AS MATERIALIZED (
        SELECT * FROM unnest(o_force, o_start, o_load) AS y(force_id, period_start, load_id)
    )
    SELECT x.force_id, x.measure_id, 'rejected_row', r.severity, NULL::numeric, NULL::numeric,
           format('%s, %s: line %s of load %s (%s = %s) was rejected: %s. %s',
                  coalesce(f.name, nullif(btrim(x.force), ''), 'unknown force'),
                  coalesce(da.period_label(da.parse_iso_date(x.period_start), $1), 'period ending ' || to_char($1, 'FMDD FMMonth YYYY')),
                  x.line_no, x.load_id, coalesce(nullif(btrim(x.measure), ''), 'no measure'), coalesce(x.value, 'empty'), x.reason,
                  CASE WHEN x.reason LIKE 'unknown force%'
                       THEN 'If it is a force, add it to da.force (or its name to da.force_alias) and load the row again; if not, leave such rows out of the load.'
                       ELSE 'Please send a corrected figure.' END)
    FROM (
        SELECT DISTINCT ON (fid, mid, btrim(rr.period_start))
               rr.*, l.kind, fid AS force_id, mid AS measure_id
        FROM da.rejected_return rr
        JOIN da.return_load l ON l.load_id = rr.load_id
        CROSS JOIN LATERAL (SELECT coalesce(da.resolve_force(rr.force), rr.force) AS fid,
                                   CASE WHEN l.kind = 'outcomes' THEN 'outcome_' || btrim(rr.measure)
                                        ELSE coalesce(lower(btrim(rr.measure)), '') END AS mid) k
        WHERE btrim(rr.period_end) = to_char($1, 'YYYY-MM-DD')
        ORDER BY fid, mid, btrim(rr.period_start), rr.load_id DESC, rr.line_no DESC
    ) x
    JOIN da.validation_rule r ON r.rule = 'rejected_row' AND r.enabled
    LEFT JOIN da.force f ON f.force_id = x.force_id
    WHERE NOT EXISTS (SELECT 1 FROM fr
                      WHERE x.kind = 'returns' AND fr.force_id = x.force_id AND fr.measure_id = x.measure_id
                        AND fr.period_start = da.parse_iso_date(x.period_start)
                        AND fr.load_id > x.load_id)
      AND NOT EXISTS (SELECT 1 FROM fo
                      WHERE x.kind = 'outcomes' AND fo.force_id = x.force_id
                        AND fo.period_start = da.parse_iso_date(x.period_start)
                        AND fo.load_id > x.load_id);
END $$;

CREATE OR REPLACE FUNCTION da.run_validation(period_end date DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_period date := run_validation.period_end;
    v_found  da.validation_finding_row[];
    v_run    da.validation_run;
BEGIN
    IF v_period IS NULL THEN
        v_period := (SELECT max(r.period_end) FROM da.force_return r);
    END IF;
    IF v_period IS NULL THEN
        INSERT INTO da.validation_run (period_end) VALUES (v_period) RETURNING * INTO v_run;
        RETURN v_run.run_id;          -- nothing loaded yet: an empty run
    END IF;
    v_found := ARRAY(SELECT v FROM da.validate_returns(v_period) v);
    INSERT INTO da.validation_run (period_end, errors, warnings, infos)
    SELECT v_period, count(*) FILTER (WHERE u.severity = 'error'), count(*) FILTER (WHERE u.severity = 'warning'),
           count(*) FILTER (WHERE u.severity = 'info')
    FROM unnest(v_found) u
    RETURNING * INTO v_run;
    INSERT INTO da.validation_finding (run_id, run_at, period_end, force_id, measure_id, rule, severity,
                                       observed, expected_or_limit, message)
    SELECT v_run.run_id, v_run.run_at, v_period, u.* FROM unnest(v_found) u;
    RETURN v_run.run_id;
END
$$;

CREATE OR REPLACE FUNCTION da.period_end_check(period_end date) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_caller name := da.calling_role();
    v_all    boolean;
    v_forces text[];
    v_known  text;
BEGIN
    IF period_end_check.period_end IS NULL THEN
        RETURN;
    END IF;
    v_all := da.role_sees_all_forces(v_caller);
    IF NOT v_all THEN
        v_forces := ARRAY(SELECT f.force_id FROM da.force f WHERE da.role_may_access_force(v_caller, f.force_id));
    END IF;
    -- One EXISTS per statement: Citus runs every subquery of a statement before it, so the
    -- outcome rows and rejected rows are only looked at when no return ends on that date.
    IF EXISTS (SELECT 1 FROM da.force_return r
               WHERE r.period_end = period_end_check.period_end AND (v_all OR r.force_id = ANY (v_forces))) THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM da.force_return_outcomes o
               WHERE o.period_end = period_end_check.period_end AND (v_all OR o.force_id = ANY (v_forces))) THEN
        RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM da.rejected_return x
               WHERE btrim(x.period_end) = to_char(period_end_check.period_end, 'YYYY-MM-DD')
                 AND (v_all OR EXISTS (SELECT 1 FROM da.return_load l
                                       WHERE l.load_id = x.load_id AND l.loaded_by = v_caller))) THEN
        RETURN;
    END IF;
    SELECT string_agg(to_char(k.period_end, 'YYYY-MM-DD'), ', ' ORDER BY k.period_end DESC) INTO v_known
    FROM (SELECT DISTINCT r.period_end FROM da.force_return r
          WHERE v_all OR r.force_id = ANY (v_forces)
          ORDER BY r.period_end DESC LIMIT 6) k;
    RAISE EXCEPTION 'no stored period ends on %', to_char(period_end_check.period_end, 'YYYY-MM-DD')
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = CASE WHEN v_known IS NULL AND v_all THEN 'No force returns are loaded.'
                            WHEN v_known IS NULL THEN 'No returns of your forces are loaded.'
                            WHEN v_all THEN 'The latest periods loaded end on ' || v_known || '.'
                            ELSE 'The latest periods loaded for your forces end on ' || v_known || '.' END,
              HINT = 'Give the last day of a loaded period (its period_end), not a date inside one.';
END $$;
