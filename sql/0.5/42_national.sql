-------------------------------------------------------------------------------
-- National figures: each one distributed query, aggregated on the Citus workers (issue 10).
--
-- Same signatures, rights, withholding, errors and results as in 0.4; only the shapes change:
--   da.national_total_all       one aggregate over the figure's rows (force_return joined with
--                               the reference table da.force), the ids of the forces present
--                               gathered with it; the forces left out are read from da.force
--                               on the coordinator (a reference table: no distributed query).
--   da.national_change_all,     the two years' rows in one pass grouped by force (on the
--   da.national_change          workers); the panel's sums are plain partial aggregates, and
--                               da.matched_change_agg is applied to them on the coordinator;
--                               the counts of each year's national total, which a
--                               force-limited role's differencing check needs, come from the
--                               same pass instead of two more calls of da.national_total_all.
--   da.indicator_national_all   one grouped pass over da.indicator_input, as
--                               da.national_totals_each: partial sums and a bit mask of the
--                               forces present (bit_or), combined on the coordinator, which
--                               lists the forces left out from the mask; instead of every
--                               force cross-joined with every indicator and period.
--   da.national_indicator_change_all  as da.national_change_all, over da.indicator_input.
-- The public wrappers (part 42 of 0.3) keep their look-ups (da.check_measure, the role and
-- settings behind da.national_withheld_reason): those read reference or coordinator tables.
-------------------------------------------------------------------------------

-- 1. One measure and period.
CREATE OR REPLACE FUNCTION da.national_total_all(measure_id text, period_start date, period_end date,
    OUT value numeric, OUT forces_included integer, OUT forces_expected integer,
    OUT forces_left_out text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_present text[];
BEGIN
    -- The one distributed query: rows without a value count as not provided.
    SELECT sum(r.value), count(*)::integer, array_agg(r.force_id)
      INTO value, forces_included, v_present
    FROM da.force_return r
    JOIN da.force f ON f.force_id = r.force_id
    WHERE f.in_national_total AND r.value IS NOT NULL
      AND r.measure_id = national_total_all.measure_id
      AND r.period_start = national_total_all.period_start AND r.period_end = national_total_all.period_end;
    SELECT count(*)::integer,
           coalesce(array_agg(f.name ORDER BY f.name) FILTER (WHERE NOT (f.force_id = ANY (coalesce(v_present, '{}')))), '{}')
      INTO forces_expected, forces_left_out
    FROM da.force f WHERE f.in_national_total;
END $$;

-- 2. The change on a year earlier. The per-force pairs of both years (one pass grouped by
--    force, on the workers), with the count of each year's national total.
CREATE OR REPLACE FUNCTION da.national_change_all(measure_id text, period_start date, period_end date,
    OUT old_value numeric, OUT new_value numeric, OUT pct_change numeric,
    OUT forces_included integer, OUT forces_left_out text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_old_start date := da.year_earlier_start(national_change_all.period_start);
    v_old_end   date := da.year_earlier_end(national_change_all.period_end);
    v_matched   text[];
    v_old_sum   numeric;
    v_new_sum   numeric;
    v_panel     bigint;
BEGIN
    -- The panel (forces with both years): its sums on the workers (plain partial aggregates).
    SELECT sum(p.old_v) FILTER (WHERE p.old_v IS NOT NULL AND p.new_v IS NOT NULL),
           sum(p.new_v) FILTER (WHERE p.old_v IS NOT NULL AND p.new_v IS NOT NULL),
           count(*) FILTER (WHERE p.old_v IS NOT NULL AND p.new_v IS NOT NULL),
           array_agg(p.force_id) FILTER (WHERE p.old_v IS NOT NULL AND p.new_v IS NOT NULL)
      INTO v_old_sum, v_new_sum, v_panel, v_matched
    FROM (SELECT r.force_id,
                 max(r.value) FILTER (WHERE r.period_start = v_old_start AND r.period_end = v_old_end) AS old_v,
                 max(r.value) FILTER (WHERE r.period_start = national_change_all.period_start
                                        AND r.period_end = national_change_all.period_end) AS new_v
          FROM da.force_return r
          JOIN da.force f ON f.force_id = r.force_id
          WHERE f.in_national_total AND r.measure_id = national_change_all.measure_id
            AND ((r.period_start = v_old_start AND r.period_end = v_old_end)
                 OR (r.period_start = national_change_all.period_start AND r.period_end = national_change_all.period_end))
          GROUP BY r.force_id) p;
    -- The totals and percent change of the panel: da.matched_change_agg over its sums (one
    -- row, here on the coordinator) gives what it gave over the forces' pairs.
    SELECT (m.c).old_total, (m.c).new_total, (m.c).pct_change
      INTO old_value, new_value, pct_change
    FROM (SELECT da.matched_change_agg(v_old_sum::bigint, v_new_sum::bigint) AS c) m;
    forces_included := v_panel::integer;
    SELECT coalesce(array_agg(f.name ORDER BY f.name) FILTER (WHERE NOT (f.force_id = ANY (coalesce(v_matched, '{}')))), '{}')
      INTO forces_left_out
    FROM da.force f WHERE f.in_national_total;
END $$;

-- The public wrapper: the same pass also counts each year's national total (the forces with a
-- value), which the differencing check of a force-limited role compares with the panel.
CREATE OR REPLACE FUNCTION da.national_change(measure_id text, period_start date, period_end date,
    OUT old_value numeric, OUT new_value numeric, OUT pct_change numeric,
    OUT forces_included integer, OUT forces_left_out text[], OUT withheld_reason text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_old_start date := da.year_earlier_start(national_change.period_start);
    v_old_end   date := da.year_earlier_end(national_change.period_end);
    v_matched   text[];
    v_old_sum   numeric;
    v_new_sum   numeric;
    v_panel     bigint;
    v_new       integer;
    v_old       integer;
    v_all       boolean;
BEGIN
    PERFORM da.check_measure(national_change.measure_id);
    SELECT sum(p.old_v) FILTER (WHERE p.old_v IS NOT NULL AND p.new_v IS NOT NULL),
           sum(p.new_v) FILTER (WHERE p.old_v IS NOT NULL AND p.new_v IS NOT NULL),
           count(*) FILTER (WHERE p.old_v IS NOT NULL AND p.new_v IS NOT NULL),
           array_agg(p.force_id) FILTER (WHERE p.old_v IS NOT NULL AND p.new_v IS NOT NULL),
           count(p.new_v)::integer, count(p.old_v)::integer
      INTO v_old_sum, v_new_sum, v_panel, v_matched, v_new, v_old
    FROM (SELECT r.force_id,
                 max(r.value) FILTER (WHERE r.period_start = v_old_start AND r.period_end = v_old_end) AS old_v,
                 max(r.value) FILTER (WHERE r.period_start = national_change.period_start
                                        AND r.period_end = national_change.period_end) AS new_v
          FROM da.force_return r
          JOIN da.force f ON f.force_id = r.force_id
          WHERE f.in_national_total AND r.measure_id = national_change.measure_id
            AND ((r.period_start = v_old_start AND r.period_end = v_old_end)
                 OR (r.period_start = national_change.period_start AND r.period_end = national_change.period_end))
          GROUP BY r.force_id) p;
    -- The totals and percent change of the panel: da.matched_change_agg over its sums (one
    -- row, here on the coordinator) gives what it gave over the forces' pairs.
    SELECT (m.c).old_total, (m.c).new_total, (m.c).pct_change
      INTO old_value, new_value, pct_change
    FROM (SELECT da.matched_change_agg(v_old_sum::bigint, v_new_sum::bigint) AS c) m;
    forces_included := v_panel::integer;
    SELECT coalesce(array_agg(f.name ORDER BY f.name) FILTER (WHERE NOT (f.force_id = ANY (coalesce(v_matched, '{}')))), '{}')
      INTO forces_left_out
    FROM da.force f WHERE f.in_national_total;
    -- The role is looked up once (da.national_withheld_reason is NULL for a role that sees
    -- every force).
    v_all := da.role_sees_all_forces(da.calling_role());
    withheld_reason := CASE WHEN NOT v_all THEN da.national_withheld_reason(forces_included) END;
    -- Differencing (review finding 1): for a force-limited role the panel must be the very set
    -- of forces of the national total of both years, else panel and total differ by a few forces.
    IF withheld_reason IS NULL AND forces_included IS NOT NULL AND NOT v_all THEN
        withheld_reason := da.panel_withheld_reason(forces_included, v_new, v_old);
    END IF;
    IF withheld_reason IS NOT NULL THEN
        old_value := NULL; new_value := NULL; pct_change := NULL;
    END IF;
END $$;

-- 3. Every indicator and period: one grouped pass, as da.national_totals_each (part 40 of
--    0.4): the forces of the national total are numbered (a bit each) on the coordinator;
--    each group sums on the workers, with bit_or of the bits of the forces that count; the
--    coordinator combines the partial sums and lists the forces whose bit is unset.
-- The value is da.per_n of the pairwise-complete sums: what da.per_n_agg computes from them.
-- da.indicator_input is a view with a UNION ALL, which Citus will not join with a function in
-- FROM without broadcasting it: the forces' bit numbers reach the pass as a jsonb object
-- (force_id -> position) read per row instead.
CREATE OR REPLACE FUNCTION da.indicator_national_all()
    RETURNS TABLE (indicator_id text, period_start date, period_end date, numerator numeric,
                   denominator numeric, value numeric, forces_included integer, forces_left_out text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_pos   jsonb;
    v_names text[];
    v_bits  varbit[];
BEGIN
    SELECT coalesce(jsonb_object_agg(f.force_id, f.pos), '{}'), coalesce(array_agg(f.name ORDER BY f.pos), '{}')
      INTO v_pos, v_names
    FROM (SELECT f.force_id, f.name, row_number() OVER (ORDER BY f.force_id)::integer AS pos
          FROM da.force f WHERE f.in_national_total) f;
    v_bits := ARRAY(SELECT set_bit(repeat('0', cardinality(v_names))::varbit, i - 1, 1)
                    FROM generate_series(1, cardinality(v_names)) i ORDER BY i);
    RETURN QUERY
    WITH g AS MATERIALIZED (
        SELECT x.indicator_id, x.period_start, x.period_end, i.per,
               sum(x.numerator) FILTER (WHERE x.denominator IS NOT NULL) AS numerator,
               sum(x.denominator) FILTER (WHERE x.numerator IS NOT NULL) AS denominator,
               count(*) FILTER (WHERE x.numerator IS NOT NULL AND x.denominator IS NOT NULL)::integer AS included,
               bit_or(v_bits[(v_pos ->> x.force_id)::integer])
                   FILTER (WHERE x.numerator IS NOT NULL AND x.denominator IS NOT NULL) AS mask
        FROM da.indicator_input x
        JOIN da.indicator i ON i.indicator_id = x.indicator_id
        WHERE v_pos ? x.force_id
        GROUP BY x.indicator_id, x.period_start, x.period_end, i.per
    )
    -- Only the pass's result and the arrays here: the rest runs on the coordinator alone.
    SELECT g.indicator_id, g.period_start, g.period_end, g.numerator, g.denominator,
           da.per_n(g.numerator::bigint, g.denominator::bigint, g.per), g.included, l.left_out
    FROM g
    CROSS JOIN LATERAL (SELECT coalesce(array_agg(n.name ORDER BY n.name), '{}') AS left_out
                        FROM unnest(v_names) WITH ORDINALITY AS n(name, pos)
                        WHERE g.mask IS NULL OR get_bit(g.mask, n.pos::integer - 1) = 0) l;
END $$;

-- 4. An indicator's change on a year earlier: as da.national_change_all, over da.indicator_input
--    (its rows of the indicator and the two periods, grouped by force on the workers), instead
--    of every force outer-joined with the whole view twice (which Citus gathered to the
--    coordinator). The rates and their change: da.matched_rate_change_agg over the panel's
--    sums (one row), which is what it computed from the forces' rows.
CREATE OR REPLACE FUNCTION da.national_indicator_change_all(indicator_id text, period_start date, period_end date,
    OUT old_numerator numeric, OUT old_denominator numeric, OUT new_numerator numeric, OUT new_denominator numeric,
    OUT old_value numeric, OUT new_value numeric, OUT change numeric,
    OUT forces_included integer, OUT forces_left_out text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_old_start date := da.year_earlier_start(national_indicator_change_all.period_start);
    v_old_end   date := da.year_earlier_end(national_indicator_change_all.period_end);
    v_per       bigint;
    v_panel     bigint;
    v_matched   text[];
BEGIN
    -- An unknown indicator: every output NULL, as the SQL function's empty result gave.
    SELECT i.per INTO v_per FROM da.indicator i WHERE i.indicator_id = national_indicator_change_all.indicator_id;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT sum(p.o_n) FILTER (WHERE p.matched), sum(p.o_d) FILTER (WHERE p.matched),
           sum(p.n_n) FILTER (WHERE p.matched), sum(p.n_d) FILTER (WHERE p.matched),
           count(*) FILTER (WHERE p.matched), array_agg(p.force_id) FILTER (WHERE p.matched)
      INTO old_numerator, old_denominator, new_numerator, new_denominator, v_panel, v_matched
    FROM (SELECT q.*, (q.o_n IS NOT NULL AND q.o_d IS NOT NULL AND q.n_n IS NOT NULL AND q.n_d IS NOT NULL) AS matched
          FROM (SELECT x.force_id,
                       max(x.numerator) FILTER (WHERE x.period_start = v_old_start AND x.period_end = v_old_end) AS o_n,
                       max(x.denominator) FILTER (WHERE x.period_start = v_old_start AND x.period_end = v_old_end) AS o_d,
                       max(x.numerator) FILTER (WHERE x.period_start = national_indicator_change_all.period_start
                                                  AND x.period_end = national_indicator_change_all.period_end) AS n_n,
                       max(x.denominator) FILTER (WHERE x.period_start = national_indicator_change_all.period_start
                                                    AND x.period_end = national_indicator_change_all.period_end) AS n_d
                FROM da.indicator_input x
                JOIN da.force f ON f.force_id = x.force_id
                WHERE f.in_national_total AND x.indicator_id = national_indicator_change_all.indicator_id
                  AND ((x.period_start = v_old_start AND x.period_end = v_old_end)
                       OR (x.period_start = national_indicator_change_all.period_start
                           AND x.period_end = national_indicator_change_all.period_end))
                GROUP BY x.force_id) q) p;
    SELECT (m.c).old_rate, (m.c).new_rate, (m.c).pp_change
      INTO old_value, new_value, change
    FROM (SELECT da.matched_rate_change_agg(old_numerator::bigint, old_denominator::bigint,
                                            new_numerator::bigint, new_denominator::bigint, v_per) AS c) m;
    forces_included := v_panel::integer;
    SELECT coalesce(array_agg(f.name ORDER BY f.name) FILTER (WHERE NOT (f.force_id = ANY (coalesce(v_matched, '{}')))), '{}')
      INTO forces_left_out
    FROM da.force f WHERE f.in_national_total;
END $$;
