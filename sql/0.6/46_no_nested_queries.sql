-------------------------------------------------------------------------------
-- No query nested in a Citus task (issue 10).
--
-- Citus runs a statement that reads reference tables (or a subplan's result) as a task on the
-- coordinator's own placements, in-process while local execution is on. When it runs that task
-- over a connection instead (citus.enable_local_execution off, or a transaction
-- that already reached those placements over a connection), a function asked inside the task
-- may not run a query on a Citus table of its own: "cannot execute a distributed query from a
-- query on a shard". Two functions did:
--   da.funnel_positions_impl  the baseline (da.funnel_baseline_of or da.funnel_baseline, which
--                             read da.indicator and da.force) was a CTE of the final statement,
--                             which joins the reference tables; it is now read in a statement
--                             of its own, gathered as columns, in both branches (0.5 part 48).
--   da.validate_rejected      da.resolve_force (reads da.force, da.force_alias) was asked per
--                             rejected row inside the final statement; the period's distinct
--                             force names are now resolved first, in a statement over the
--                             coordinator's rejected rows (also one Citus planning per name,
--                             not per row). (0.5 part 44.)
-- Same signatures, rights and rows; test/citus/warehouse.sh runs them with local execution off.
-------------------------------------------------------------------------------
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
    b_indicator text[];
    b_start date[];
    b_numerator numeric[];
    b_denominator numeric[];
    b_phi double precision[];
    b_tau2 double precision[];
BEGIN
    -- The values, with the caller's rights (a function alone in FROM: Citus runs it here).
    SELECT array_agg(v.indicator_id), array_agg(v.force_id), array_agg(v.period_start),
           array_agg(v.numerator), array_agg(v.denominator)
      INTO v_indicator, v_force, v_start, v_numerator, v_denominator
    FROM da.indicator_values(p_period_end) v;
    -- The baseline: from those values for a caller that sees every force (see above), else
    -- da.funnel_baseline (owner's rights, with its withholding). Each is a statement of its own
    -- whose FROM is the function alone, so that its reads of da.indicator and da.force are
    -- queries of their own, not queries nested in a Citus task.
    IF da.calling_role() = current_user AND da.may_access_force(NULL) THEN
        SELECT array_agg(b.indicator_id), array_agg(b.period_start), array_agg(b.numerator),
               array_agg(b.denominator), array_agg(b.phi), array_agg(b.tau2)
          INTO b_indicator, b_start, b_numerator, b_denominator, b_phi, b_tau2
        FROM da.funnel_baseline_of(v_indicator, v_force, v_start, v_numerator, v_denominator, v_winsor) b;
    ELSE
        SELECT array_agg(b.indicator_id), array_agg(b.period_start), array_agg(b.numerator),
               array_agg(b.denominator), array_agg(b.phi), array_agg(b.tau2)
          INTO b_indicator, b_start, b_numerator, b_denominator, b_phi, b_tau2
        FROM da.funnel_baseline(p_period_end, v_winsor) b;
    END IF;
    -- The positions: values and baselines joined with the reference tables; da.funnel_position
    -- reads no table.
    RETURN QUERY
    WITH v AS MATERIALIZED (
        SELECT * FROM unnest(v_indicator, v_force, v_start, v_numerator, v_denominator)
                 AS v(indicator_id, force_id, period_start, numerator, denominator)
    ), b AS MATERIALIZED (
        SELECT * FROM unnest(b_indicator, b_start, b_numerator, b_denominator, b_phi, b_tau2)
                 AS b(indicator_id, period_start, numerator, denominator, phi, tau2)
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
    n_name   text[];
    n_id     text[];
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
    -- The rejected rows' force names, resolved once each in a statement whose FROM is the
    -- coordinator's own rejected rows (da.resolve_force reads reference tables: asked inside the
    -- final statement, a Citus task, it was a nested query, and one planning per row).
    SELECT array_agg(n.force), array_agg(da.resolve_force(n.force))
      INTO n_name, n_id
    FROM (SELECT DISTINCT rr.force FROM da.rejected_return rr
          WHERE btrim(rr.period_end) = to_char($1, 'YYYY-MM-DD') AND rr.force IS NOT NULL) n;
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
        CROSS JOIN LATERAL (SELECT coalesce(n_id[array_position(n_name, rr.force)], rr.force) AS fid,
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
