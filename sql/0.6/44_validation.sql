-------------------------------------------------------------------------------
-- Validation per force, on the workers (issue 10).
--
-- Same signatures, rights, findings and messages as in 0.5; only the shapes change. In 0.5
-- da.validate_builtin gathered the two years' rows on the coordinator (array_agg over each
-- distributed table, ~3 ms a read on Citus) and ran every check there, and da.funnel_positions
-- read the period's values twice more and placed every force (da.funnel_position, the costly
-- part) on the coordinator too: Citus could only add cost. Now every per-force step runs grouped
-- by force_id, so that Citus pushes it down whole and only per-force results come back:
--   da.indicator_values_of      (new) the indicator values of one force from its rows and the
--                               indicators' definitions, all given as values: the query of
--                               da.indicator_values / da.validate_builtin over one force.
--   da.validate_builtin_force   (new) every built-in check of one force (parts above their
--                               total, missing against a year earlier, count and rate jumps,
--                               rates that cannot be computed, the funnel position against the
--                               baselines given) from its rows of both years and the reference
--                               data given as values; reads no table, so it runs on a shard.
--   da.validate_builtin         reads the reference data once on the coordinator (one
--                               statement over reference tables), works out the funnel
--                               baselines (below), then one query: the two years' returns and
--                               outcome rows grouped by force_id, each force's checks in a
--                               LATERAL call of da.validate_builtin_force. On Citus that is one
--                               distributed query whose tasks run the whole per-force step.
--                               The funnel baselines, for a caller that sees every force (the
--                               test da.funnel_positions makes): every force's values of the
--                               period worked out per force on the shards (one distributed
--                               query, rows back), the baseline from them on the coordinator
--                               (da.funnel_baseline_of, the same query as before); any other
--                               caller: da.funnel_baseline (owner's rights, its withholding),
--                               as da.funnel_positions does for it.
--   da.period_end_check         one plain query per table (LIMIT 1) instead of EXISTS, which
--                               Citus planned as a subplan gathering the period's rows.
-- da.funnel_positions keeps 0.5's shape: the same two rounds there (values per force, baseline,
-- positions per force) cost 43-51 ms on one node against 32-41 (the values are worked out twice)
-- and gained nothing measurable on Citus.
-- Both new functions are pure (their arguments only), like da.funnel_position: executable by
-- PUBLIC, since Citus runs them on the workers as the calling role. Their bodies are
-- SQL-standard (bound when created, no SET clause), so the planner inlines them into the
-- per-force query: as separate calls (a string body with a pinned search_path) validation took
-- 69-77 ms on one node instead of 48-61.
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION da.indicator_values_of(
        p_force_id text,
        r_start date[], r_end date[], r_measure text[], r_value bigint[],
        o_start date[], o_end date[], o_outcomes da.outcome_counts[],
        i_id text[], i_numerator_measure text[], i_numerator_outcome text[], i_denominator_measure text[])
    RETURNS TABLE (indicator_id text, force_id text, period_start date, period_end date,
                   numerator bigint, denominator bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH i AS MATERIALIZED (
        SELECT * FROM unnest(i_id, i_numerator_measure, i_numerator_outcome, i_denominator_measure)
                 AS i(indicator_id, numerator_measure, numerator_outcome, denominator_measure)
    ),
    r AS MATERIALIZED (
        SELECT * FROM unnest(r_start, r_end, r_measure, r_value) AS x(period_start, period_end, measure_id, value)
    ),
    o AS MATERIALIZED (
        SELECT * FROM unnest(o_start, o_end, o_outcomes) AS x(period_start, period_end, outcomes)
    ),
    k AS MATERIALIZED (
        SELECT i.indicator_id, r.period_start, r.period_end
        FROM i JOIN r ON r.measure_id IN (i.denominator_measure, i.numerator_measure)
        UNION
        SELECT i.indicator_id, o.period_start, o.period_end
        FROM i JOIN o ON i.numerator_outcome IS NOT NULL
    )
    SELECT k.indicator_id, p_force_id, k.period_start, k.period_end,
           CASE WHEN i.numerator_measure IS NOT NULL THEN n.value ELSE da.outcome_n(o.outcomes, i.numerator_outcome) END,
           d.value
    FROM k
    JOIN i ON i.indicator_id = k.indicator_id
    LEFT JOIN r d ON (d.period_start, d.period_end, d.measure_id) = (k.period_start, k.period_end, i.denominator_measure)
    LEFT JOIN r n ON (n.period_start, n.period_end, n.measure_id) = (k.period_start, k.period_end, i.numerator_measure)
    LEFT JOIN o ON i.numerator_outcome IS NOT NULL AND (o.period_start, o.period_end) = (k.period_start, k.period_end);
END;
COMMENT ON FUNCTION da.indicator_values_of(text, date[], date[], text[], bigint[], date[], date[], da.outcome_counts[], text[], text[], text[], text[]) IS
    'Internal to validation: the indicator values (as da.indicator_values) of one force from its returns (period start, end, measure, value) and outcome rows (period start, end, outcomes) and the indicators (id, numerator measure, numerator outcome, denominator measure), all given as values; reads no table';

CREATE OR REPLACE FUNCTION da.validate_builtin_force(
        p_period_end date, p_force_id text, p_force_name text, p_force_kind text,
        r_start date[], r_end date[], r_measure text[], r_value bigint[],
        o_start date[], o_end date[], o_outcomes da.outcome_counts[],
        rule_name text[], rule_severity text[], rule_threshold numeric[],
        m_id text[], m_description text[], m_parent text[],
        i_id text[], i_label text[], i_numerator_measure text[], i_numerator_outcome text[],
        i_denominator_measure text[], i_per bigint[], i_ci_method text[],
        b_indicator text[], b_start date[], b_numerator numeric[], b_denominator numeric[], b_tau2 double precision[])
    RETURNS SETOF da.validation_finding_row
    LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
    WITH rules AS MATERIALIZED (
        SELECT * FROM unnest(rule_name, rule_severity, rule_threshold) AS r(rule, severity, threshold)
    ),
    m AS MATERIALIZED (
        SELECT * FROM unnest(m_id, m_description, m_parent) AS m(measure_id, description, parent_measure)
    ),
    ii AS MATERIALIZED (
        SELECT * FROM unnest(i_id, i_label, i_numerator_measure, i_numerator_outcome, i_denominator_measure, i_per, i_ci_method)
                 AS i(indicator_id, label, numerator_measure, numerator_outcome, denominator_measure, per, ci_method)
    ),
    fr AS MATERIALIZED (
        SELECT p_force_id AS force_id, x.* FROM unnest(r_start, r_end, r_measure, r_value) AS x(period_start, period_end, measure_id, value)
    ),
    cur AS MATERIALIZED (
        SELECT r.force_id, r.period_start, r.measure_id, r.value FROM fr r WHERE r.period_end = p_period_end
    ),
    prev AS MATERIALIZED (
        SELECT r.force_id, r.period_start, r.measure_id, r.value FROM fr r WHERE r.period_end = da.year_earlier_end(p_period_end)
    ),
    ind AS MATERIALIZED (
        SELECT v.indicator_id, v.force_id, v.period_start, v.period_end, v.numerator, v.denominator,
               i.per, i.ci_method, i.label, i.denominator_measure,
               coalesce(i.numerator_measure, 'outcome_' || i.numerator_outcome) AS num_name,
               coalesce(da.measure_name(nm.description), 'outcome ' || i.numerator_outcome) AS num_description,
               da.measure_name(dm.description) AS den_description
        FROM da.indicator_values_of(p_force_id, r_start, r_end, r_measure, r_value, o_start, o_end, o_outcomes,
                                    i_id, i_numerator_measure, i_numerator_outcome, i_denominator_measure) v
        JOIN ii i ON i.indicator_id = v.indicator_id
        LEFT JOIN m nm ON nm.measure_id = i.numerator_measure
        JOIN m dm ON dm.measure_id = i.denominator_measure
    ),
    ind_cur AS (SELECT * FROM ind WHERE ind.period_end = p_period_end),
    ind_prev AS (SELECT * FROM ind WHERE ind.period_end <> p_period_end),
    -- The force outside its funnel (da.funnel_positions' placing, against the baselines
    -- given), with the limit crossed.
    funnel AS MATERIALIZED (
        SELECT c.*, p.centre, b.tau2, p.flag,
               CASE WHEN p.flag LIKE '%99.8%' THEN 0.998 ELSE 0.95 END AS level,
               CASE p.flag WHEN 'above 99.8%' THEN p.upper_998 WHEN 'above 95%' THEN p.upper_95
                           WHEN 'below 95%' THEN p.lower_95 ELSE p.lower_998 END AS crossed
        FROM ind_cur c
        JOIN unnest(b_indicator, b_start, b_numerator, b_denominator, b_tau2)
             AS b(indicator_id, period_start, numerator, denominator, tau2)
          ON b.indicator_id = c.indicator_id AND b.period_start = c.period_start
        CROSS JOIN LATERAL da.funnel_position(c.numerator, c.denominator, b.numerator, b.denominator,
                                              b.tau2, c.ci_method, c.per) p
        WHERE p_force_kind = 'territorial' AND p.flag <> 'within'
          AND EXISTS (SELECT 1 FROM rules r WHERE r.rule IN ('funnel_99_8', 'funnel_95'))
    ),
    findings AS (
        SELECT c.force_id, c.measure_id, 'part_exceeds_total'::text AS rule, c.value::numeric AS observed,
               t.value::numeric AS expected, c.period_start,
               format('%s (%s) is larger than its total, %s (%s); a part cannot exceed its total. Please check both figures.',
                      da.measure_name(m.description), da.format_number(c.value), da.measure_name(mt.description), da.format_number(t.value)) AS what
        FROM cur c
        JOIN m ON m.measure_id = c.measure_id
        JOIN cur t ON t.force_id = c.force_id AND t.period_start = c.period_start AND t.measure_id = m.parent_measure
        JOIN m mt ON mt.measure_id = t.measure_id
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
        JOIN m ON m.measure_id = p.measure_id
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
        JOIN m ON m.measure_id = c.measure_id
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
           format('%s, %s: %s', coalesce(p_force_name, f.force_id), da.period_label(f.period_start, p_period_end), f.what)
    FROM findings f
    JOIN rules r ON r.rule = f.rule;
END;
COMMENT ON FUNCTION da.validate_builtin_force(date, text, text, text, date[], date[], text[], bigint[], date[], date[], da.outcome_counts[], text[], text[], numeric[], text[], text[], text[], text[], text[], text[], text[], text[], bigint[], text[], text[], date[], numeric[], numeric[], double precision[]) IS
    'Internal to da.validate_builtin: the built-in findings of one force for the period ending on a date, from its returns and outcome rows of that period and the year earlier, the enabled rules, measures, indicators and funnel baselines, all given as values; reads no table';

CREATE OR REPLACE FUNCTION da.validate_builtin(period_end date)
    RETURNS SETOF da.validation_finding_row
    LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_rule     text[];
    v_severity text[];
    v_threshold numeric[];
    v_winsor   numeric;
    m_id       text[];
    m_desc     text[];
    m_parent   text[];
    i_id       text[];
    i_label    text[];
    i_num_m    text[];
    i_num_o    text[];
    i_den_m    text[];
    i_per      bigint[];
    i_ci       text[];
    f_id       text[];
    f_name     text[];
    f_kind     text[];
    b_ind      text[];
    b_start    date[];
    b_num      numeric[];
    b_den      numeric[];
    b_tau2     double precision[];
    v_ind      text[];
    v_force    text[];
    v_vstart   date[];
    v_vnum     bigint[];
    v_vden     bigint[];
BEGIN
    -- The reference data, in one statement over reference tables (on Citus one local query on
    -- the coordinator's placements), passed on as values: the per-force step reads no table.
    SELECT r.rule, r.severity, r.threshold, r.winsor, m.id, m.descr, m.parent,
           i.id, i.label, i.num_m, i.num_o, i.den_m, i.per, i.ci, f.id, f.name, f.kind
      INTO v_rule, v_severity, v_threshold, v_winsor, m_id, m_desc, m_parent,
           i_id, i_label, i_num_m, i_num_o, i_den_m, i_per, i_ci, f_id, f_name, f_kind
    FROM (SELECT array_agg(r.rule) FILTER (WHERE r.enabled AND r.builtin) AS rule,
                 array_agg(r.severity) FILTER (WHERE r.enabled AND r.builtin) AS severity,
                 array_agg(r.threshold) FILTER (WHERE r.enabled AND r.builtin) AS threshold,
                 -- da.funnel_positions' winsorising (the rule's threshold, enabled or not)
                 (array_agg(r.threshold) FILTER (WHERE r.rule = 'funnel_99_8'))[1] AS winsor
          FROM da.validation_rule r) r,
         (SELECT array_agg(m.measure_id) AS id, array_agg(m.description) AS descr, array_agg(m.parent_measure) AS parent
          FROM da.measure m) m,
         (SELECT array_agg(i.indicator_id) AS id, array_agg(i.label) AS label, array_agg(i.numerator_measure) AS num_m,
                 array_agg(i.numerator_outcome) AS num_o, array_agg(i.denominator_measure) AS den_m,
                 array_agg(i.per) AS per, array_agg(i.ci_method) AS ci
          FROM da.indicator i) i,
         (SELECT array_agg(f.force_id) AS id, array_agg(f.name) AS name, array_agg(f.kind) AS kind FROM da.force f) f;
    -- The funnel baselines of the period, only when a funnel rule is on (as before).
    IF v_rule && ARRAY['funnel_99_8', 'funnel_95'] THEN
        IF da.calling_role() = current_user AND da.may_access_force(NULL) THEN
            -- A caller that sees every force (da.funnel_positions' test): every force's values
            -- of the period worked out per force on the shards, the baseline from them here.
            SELECT array_agg(v.indicator_id), array_agg(v.force_id), array_agg(v.period_start),
                   array_agg(v.numerator), array_agg(v.denominator)
              INTO v_ind, v_force, v_vstart, v_vnum, v_vden
            FROM (SELECT r.force_id, array_agg(r.period_start) AS r_start, array_agg(r.period_end) AS r_end,
                         array_agg(r.measure_id) AS r_measure, array_agg(r.value) AS r_value
                  FROM da.force_return r
                  WHERE r.period_end = $1
                  GROUP BY r.force_id) r
                 FULL JOIN
                 (SELECT o.force_id, array_agg(o.period_start) AS o_start, array_agg(o.period_end) AS o_end,
                         array_agg(o.outcomes) AS o_outcomes
                  FROM da.force_return_outcomes o
                  WHERE o.period_end = $1
                  GROUP BY o.force_id) o ON o.force_id = r.force_id
            CROSS JOIN LATERAL da.indicator_values_of(coalesce(r.force_id, o.force_id), r.r_start, r.r_end, r.r_measure,
                                                      r.r_value, o.o_start, o.o_end, o.o_outcomes,
                                                      i_id, i_num_m, i_num_o, i_den_m) v;
            SELECT array_agg(b.indicator_id), array_agg(b.period_start), array_agg(b.numerator),
                   array_agg(b.denominator), array_agg(b.tau2)
              INTO b_ind, b_start, b_num, b_den, b_tau2
            FROM da.funnel_baseline_of(v_ind, v_force, v_vstart, v_vnum, v_vden, v_winsor) b;
        ELSE
            -- Any other caller: da.funnel_baseline (owner's rights, with its withholding), as
            -- da.funnel_positions does for it.
            SELECT array_agg(b.indicator_id), array_agg(b.period_start), array_agg(b.numerator),
                   array_agg(b.denominator), array_agg(b.tau2)
              INTO b_ind, b_start, b_num, b_den, b_tau2
            FROM da.funnel_baseline(validate_builtin.period_end, v_winsor) b;
        END IF;
    END IF;
    -- The checks: the two years' returns and outcome rows grouped by force (on Citus the whole
    -- step runs on the shards: one task per shard, only findings come back).
    RETURN QUERY
    SELECT x.*
    FROM (SELECT r.force_id, array_agg(r.period_start) AS r_start, array_agg(r.period_end) AS r_end,
             array_agg(r.measure_id) AS r_measure, array_agg(r.value) AS r_value
      FROM da.force_return r
      WHERE r.period_end IN ($1, da.year_earlier_end($1))
      GROUP BY r.force_id) r
     FULL JOIN
     (SELECT o.force_id, array_agg(o.period_start) AS o_start, array_agg(o.period_end) AS o_end,
             array_agg(o.outcomes) AS o_outcomes
      FROM da.force_return_outcomes o
      WHERE o.period_end IN ($1, da.year_earlier_end($1))
      GROUP BY o.force_id) o ON o.force_id = r.force_id
    CROSS JOIN LATERAL da.validate_builtin_force(
        $1, coalesce(r.force_id, o.force_id), f_name[array_position(f_id, coalesce(r.force_id, o.force_id))],
        f_kind[array_position(f_id, coalesce(r.force_id, o.force_id))],
        r.r_start, r.r_end, r.r_measure, r.r_value, o.o_start, o.o_end, o.o_outcomes,
        v_rule, v_severity, v_threshold, m_id, m_desc, m_parent,
        i_id, i_label, i_num_m, i_num_o, i_den_m, i_per, i_ci,
        b_ind, b_start, b_num, b_den, b_tau2) x;
END $$;

-- The period check with one plain query per table (LIMIT 1, pushed to every shard) instead of
-- EXISTS: Citus plans an EXISTS over a distributed table as a subplan that gathers every
-- matching row (the period's ~900 returns) on the coordinator first. Same rows counted, same
-- order (the returns first), same error.
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
    -- One table at a time, the returns first: a period that is there costs one query. (A
    -- query of its own, not EXISTS, which Citus runs as a subplan gathering every row.)
    PERFORM 1 FROM da.force_return r
    WHERE r.period_end = period_end_check.period_end AND (v_all OR r.force_id = ANY (v_forces))
    LIMIT 1;
    IF FOUND THEN RETURN; END IF;
    PERFORM 1 FROM da.force_return_outcomes o
    WHERE o.period_end = period_end_check.period_end AND (v_all OR o.force_id = ANY (v_forces))
    LIMIT 1;
    IF FOUND THEN RETURN; END IF;
    PERFORM 1 FROM da.rejected_return x
    WHERE btrim(x.period_end) = to_char(period_end_check.period_end, 'YYYY-MM-DD')
      AND (v_all OR EXISTS (SELECT 1 FROM da.return_load l
                            WHERE l.load_id = x.load_id AND l.loaded_by = v_caller))
    LIMIT 1;
    IF FOUND THEN RETURN; END IF;
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
