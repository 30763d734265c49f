-------------------------------------------------------------------------------
-- The warehouse functions, plannable by Citus (issue 10; doc/citus.md, findings 1, 6 and 7).
--
-- Same signatures, argument and column names, volatility, rights, comments and results as in
-- 0.3; only how the bodies are written changes, where Citus cannot plan them once the
-- warehouse tables are distributed or reference tables:
--   1. A SQL-standard body (RETURN ... / BEGIN ATOMIC) records a dependency on every table
--      it reads, and Citus counts such a function among that table's own dependencies
--      ("table da.force circularly depends itself"). Functions that read warehouse tables get
--      string bodies here; part 99 pins their search_path, so names stay schema-qualified.
--      Pure per-row helpers keep their SQL-standard bodies (and stay inlinable). The check at
--      the end of this part finds any left over from the catalogue.
--   2. Citus cannot plan a SQL function's query over distributed tables that uses the
--      function's parameters ("could not create distributed plan ... Consider using
--      PL/pgSQL"): those become PL/pgSQL. PL/pgSQL refuses an argument named like an output
--      column (period_end in da.indicator_values and da.funnel_positions), so there the public
--      function is a thin SQL wrapper over a PL/pgSQL *_impl with an internal argument name.
--   3. ON CONFLICT ... DO UPDATE on a distributed table may call only IMMUTABLE functions: the
--      ingests set loaded_at from EXCLUDED.loaded_at, the column default (now()) taken on the
--      coordinator, instead of calling now() again; the same value as before.
-- da.may_access_force (read by the row-level security policies) is left to its own change.
-------------------------------------------------------------------------------

-- 1. Look-ups over reference tables. Citus plans no SQL function whose query over its tables
--    uses a parameter (reference tables included: "parameterized queries for SQL functions
--    referencing distributed tables are not supported"), so these are PL/pgSQL too.

CREATE OR REPLACE FUNCTION da.resolve_force(name text) RETURNS text
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN (
        WITH k AS (SELECT lower(btrim($1)) AS n,
                          lower(btrim(regexp_replace(btrim($1), '\s+(police service|police|constabulary)$', '', 'i'))) AS s)
        SELECT c.fid
        FROM (SELECT f.force_id AS fid, 1 AS pri FROM da.force f, k WHERE f.force_id = k.n
              UNION ALL
              SELECT f.force_id, 2 FROM da.force f, k WHERE lower(f.name) IN (k.n, k.s)
              UNION ALL
              SELECT a.force_id, 3 FROM da.force_alias a, k WHERE lower(a.alias) IN (k.n, k.s)
              UNION ALL
              SELECT f.force_id, 4 FROM da.force f, k WHERE lower(f.ons_code) = k.n
              UNION ALL
              SELECT f.force_id, 5 FROM da.force f, k
              WHERE lower(regexp_replace(f.name, '\s+(police service|police|constabulary)$', '', 'i')) = k.s) c
        ORDER BY c.pri
        LIMIT 1);
END $$;

CREATE OR REPLACE FUNCTION da.resolve_marac(name text) RETURNS text
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN (SELECT a.marac_id FROM da.marac_area a
            WHERE a.marac_id = lower(btrim($1)) OR lower(a.name) = lower(btrim($1))
            ORDER BY a.marac_id = lower(btrim($1)) DESC
            LIMIT 1);
END $$;

CREATE OR REPLACE FUNCTION da.role_sees_all_forces(role_name name) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                   WHERE r.rolname = $1 AND (r.rolsuper OR r.rolbypassrls))
        OR EXISTS (SELECT 1 FROM da.analyst_force a
                   JOIN pg_catalog.pg_roles r ON r.rolname = a.role_name
                   JOIN pg_catalog.pg_roles me ON me.rolname = $1
                   WHERE a.force_id IS NULL AND pg_catalog.pg_has_role(me.oid, r.oid, 'MEMBER'));
END $$;

CREATE OR REPLACE FUNCTION da.role_may_access_force(role_name name, force_id text) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN da.role_sees_all_forces($1)
        OR EXISTS (SELECT 1 FROM da.analyst_force a
                   JOIN pg_catalog.pg_roles r ON r.rolname = a.role_name
                   JOIN pg_catalog.pg_roles me ON me.rolname = $1
                   WHERE a.force_id = $2 AND pg_catalog.pg_has_role(me.oid, r.oid, 'MEMBER'));
END $$;

CREATE OR REPLACE FUNCTION da.setting_value(setting_name text) RETURNS numeric
    LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RETURN (SELECT coalesce(s.value, d.value) FROM da.setting_default d
            LEFT JOIN da.setting s ON s.name = d.name
            WHERE d.name = $1);
END $$;

-- 2. National figures (owner's rights, never withheld: the public wrappers of part 42 decide
--    what a role gets) in PL/pgSQL.

CREATE OR REPLACE FUNCTION da.national_total_all(measure_id text, period_start date, period_end date,
    OUT value numeric, OUT forces_included integer, OUT forces_expected integer,
    OUT forces_left_out text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    SELECT sum(r.value), count(r.value)::integer, count(*)::integer,
           coalesce(array_agg(f.name ORDER BY f.name) FILTER (WHERE r.value IS NULL), '{}')
      INTO value, forces_included, forces_expected, forces_left_out
    FROM da.force f
    LEFT JOIN da.force_return r
           ON r.force_id = f.force_id AND r.measure_id = national_total_all.measure_id
          AND r.period_start = national_total_all.period_start AND r.period_end = national_total_all.period_end
    WHERE f.in_national_total;
END $$;

CREATE OR REPLACE FUNCTION da.national_change_all(measure_id text, period_start date, period_end date,
    OUT old_value numeric, OUT new_value numeric, OUT pct_change numeric,
    OUT forces_included integer, OUT forces_left_out text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    WITH p AS (
        SELECT f.name, o.value AS old_v, n.value AS new_v
        FROM da.force f
        LEFT JOIN da.force_return o
               ON (o.force_id, o.measure_id, o.period_start, o.period_end)
                = (f.force_id, national_change_all.measure_id, da.year_earlier_start(national_change_all.period_start),
                   da.year_earlier_end(national_change_all.period_end))
        LEFT JOIN da.force_return n
               ON (n.force_id, n.measure_id, n.period_start, n.period_end)
                = (f.force_id, national_change_all.measure_id, national_change_all.period_start, national_change_all.period_end)
        WHERE f.in_national_total
    )
    -- The matched panel itself is da.matched_change_agg's job (forces with both years only).
    SELECT (x.m).old_total, (x.m).new_total, (x.m).pct_change, (x.m).units_included::integer, x.left_out
      INTO old_value, new_value, pct_change, forces_included, forces_left_out
    FROM (SELECT da.matched_change_agg(p.old_v, p.new_v) AS m,
                 coalesce(array_agg(p.name ORDER BY p.name) FILTER (WHERE p.old_v IS NULL OR p.new_v IS NULL), '{}') AS left_out
          FROM p) x;
END $$;

CREATE OR REPLACE FUNCTION da.national_indicator_change_all(indicator_id text, period_start date, period_end date,
    OUT old_numerator numeric, OUT old_denominator numeric, OUT new_numerator numeric, OUT new_denominator numeric,
    OUT old_value numeric, OUT new_value numeric, OUT change numeric,
    OUT forces_included integer, OUT forces_left_out text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    -- An unknown indicator: every output NULL, as the SQL function's empty result gave. A test
    -- of its own: as a WHERE EXISTS beside the aggregates below, Citus fails to plan the query
    -- ("a column definition list is required for functions returning "record"").
    IF NOT EXISTS (SELECT FROM da.indicator i WHERE i.indicator_id = national_indicator_change_all.indicator_id) THEN
        RETURN;
    END IF;
    WITH p AS (
        SELECT f.name, o.numerator AS o_n, o.denominator AS o_d, n.numerator AS n_n, n.denominator AS n_d,
               (o.numerator IS NOT NULL AND o.denominator IS NOT NULL
                AND n.numerator IS NOT NULL AND n.denominator IS NOT NULL) AS matched
        FROM da.force f
        LEFT JOIN da.indicator_input o
               ON (o.force_id, o.indicator_id, o.period_start, o.period_end)
                = (f.force_id, national_indicator_change_all.indicator_id,
                   da.year_earlier_start(national_indicator_change_all.period_start),
                   da.year_earlier_end(national_indicator_change_all.period_end))
        LEFT JOIN da.indicator_input n
               ON (n.force_id, n.indicator_id, n.period_start, n.period_end)
                = (f.force_id, national_indicator_change_all.indicator_id,
                   national_indicator_change_all.period_start, national_indicator_change_all.period_end)
        WHERE f.in_national_total
    ), s AS (
        SELECT sum(p.o_n) FILTER (WHERE p.matched) AS o_n, sum(p.o_d) FILTER (WHERE p.matched) AS o_d,
               sum(p.n_n) FILTER (WHERE p.matched) AS n_n, sum(p.n_d) FILTER (WHERE p.matched) AS n_d,
               da.matched_rate_change_agg(p.o_n, p.o_d, p.n_n, p.n_d,
                   (SELECT i.per FROM da.indicator i WHERE i.indicator_id = national_indicator_change_all.indicator_id)) AS m,
               coalesce(array_agg(p.name ORDER BY p.name) FILTER (WHERE NOT p.matched), '{}') AS left_out
        FROM p
    )
    SELECT s.o_n, s.o_d, s.n_n, s.n_d, (s.m).old_rate, (s.m).new_rate, (s.m).pp_change,
           (s.m).units_included::integer, s.left_out
      INTO old_numerator, old_denominator, new_numerator, new_denominator, old_value, new_value, change,
           forces_included, forces_left_out
    FROM s;
END $$;

-- No parameters: a SQL function with a string body is enough.
CREATE OR REPLACE FUNCTION da.indicator_national_all()
    RETURNS TABLE (indicator_id text, period_start date, period_end date, numerator numeric,
                   denominator numeric, value numeric, forces_included integer, forces_left_out text[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT p.indicator_id, p.period_start, p.period_end,
           sum(x.numerator) FILTER (WHERE x.denominator IS NOT NULL),
           sum(x.denominator) FILTER (WHERE x.numerator IS NOT NULL),
           da.per_n_agg(x.numerator, x.denominator, i.per),
           count(*) FILTER (WHERE x.numerator IS NOT NULL AND x.denominator IS NOT NULL)::integer,
           coalesce(array_agg(f.name ORDER BY f.name)
                    FILTER (WHERE x.numerator IS NULL OR x.denominator IS NULL), '{}')
    FROM (SELECT DISTINCT ii.indicator_id, ii.period_start, ii.period_end
          FROM da.indicator_input ii JOIN da.force ff ON ff.force_id = ii.force_id
          WHERE ff.in_national_total) p
    JOIN da.indicator i ON i.indicator_id = p.indicator_id
    CROSS JOIN da.force f
    LEFT JOIN da.indicator_input x
           ON (x.indicator_id, x.force_id, x.period_start, x.period_end) = (p.indicator_id, f.force_id, p.period_start, p.period_end)
    WHERE f.in_national_total
    GROUP BY p.indicator_id, p.period_start, p.period_end, i.per
$$;

CREATE OR REPLACE FUNCTION da.funnel_baseline_all(period_end date, winsor numeric DEFAULT 10)
    RETURNS TABLE (indicator_id text, period_start date, numerator numeric, denominator numeric,
                   forces integer, phi double precision, tau2 double precision)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH units AS MATERIALIZED (
        SELECT v.indicator_id, v.period_start, v.numerator, v.denominator, i.ci_method
        FROM da.indicator_values(funnel_baseline_all.period_end) v
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
        WHERE x.s > 0 AND funnel_baseline_all.winsor IS NOT NULL
    ), q AS (
        SELECT z.indicator_id, z.period_start, count(*) AS units,
               percentile_cont(funnel_baseline_all.winsor::float8 / 100) WITHIN GROUP (ORDER BY z.z) AS zlo,
               percentile_cont(1 - funnel_baseline_all.winsor::float8 / 100) WITHIN GROUP (ORDER BY z.z) AS zhi,
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

-- 3. Validation (caller's rights: row-level security applies) in PL/pgSQL.

-- Internal to da.indicator_values; $1 is the period end.
CREATE FUNCTION da.indicator_values_impl(p_period_end date)
    RETURNS TABLE (indicator_id text, force_id text, period_start date, period_end date,
                   numerator bigint, denominator bigint)
    LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH r AS MATERIALIZED (
        SELECT x.force_id, x.period_start, x.measure_id, x.value FROM da.force_return x WHERE x.period_end = $1
    ),
    o AS MATERIALIZED (
        SELECT x.force_id, x.period_start, x.outcomes FROM da.force_return_outcomes x WHERE x.period_end = $1
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

CREATE OR REPLACE FUNCTION da.indicator_values(period_end date)
    RETURNS TABLE (indicator_id text, force_id text, period_start date, period_end date,
                   numerator bigint, denominator bigint)
    LANGUAGE sql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM da.indicator_values_impl($1)
$$;

-- Internal to da.funnel_positions; $1 is the period end.
CREATE FUNCTION da.funnel_positions_impl(p_period_end date)
    RETURNS TABLE (indicator_id text, force_id text, period_start date, period_end date,
                   numerator bigint, denominator bigint, per bigint, flag text, centre numeric,
                   lower_998 numeric, lower_95 numeric, upper_95 numeric, upper_998 numeric,
                   phi double precision, tau2 double precision,
                   centre_numerator numeric, centre_denominator numeric)
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT v.indicator_id, v.force_id, v.period_start, v.period_end, v.numerator, v.denominator, i.per,
           p.flag, p.centre, p.lower_998, p.lower_95, p.upper_95, p.upper_998, b.phi, b.tau2,
           b.numerator, b.denominator
    FROM da.indicator_values(p_period_end) v
    JOIN da.indicator i ON i.indicator_id = v.indicator_id
    JOIN da.force f ON f.force_id = v.force_id
    JOIN da.funnel_baseline(p_period_end,
                            (SELECT r.threshold FROM da.validation_rule r WHERE r.rule = 'funnel_99_8')) b
      ON b.indicator_id = v.indicator_id AND b.period_start = v.period_start
    CROSS JOIN LATERAL da.funnel_position(v.numerator, v.denominator, b.numerator, b.denominator,
                                          b.tau2, i.ci_method, i.per) p
    WHERE f.kind = 'territorial';
END $$;
COMMENT ON FUNCTION da.funnel_positions_impl(date) IS
    'Internal to da.funnel_positions (PL/pgSQL, so that Citus can plan it): every territorial force placed on its funnel for the periods ending on that date';

CREATE OR REPLACE FUNCTION da.funnel_positions(period_end date)
    RETURNS TABLE (indicator_id text, force_id text, period_start date, period_end date,
                   numerator bigint, denominator bigint, per bigint, flag text, centre numeric,
                   lower_998 numeric, lower_95 numeric, upper_95 numeric, upper_998 numeric,
                   phi double precision, tau2 double precision,
                   centre_numerator numeric, centre_denominator numeric)
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT * FROM da.funnel_positions_impl($1)
$$;

CREATE OR REPLACE FUNCTION da.validate_builtin(period_end date)
    RETURNS SETOF da.validation_finding_row
    LANGUAGE plpgsql STABLE STRICT SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH rules AS MATERIALIZED (
        SELECT r.rule, r.severity, r.threshold FROM da.validation_rule r WHERE r.enabled AND r.builtin
    ),
    cur AS MATERIALIZED (
        SELECT r.force_id, r.period_start, r.measure_id, r.value FROM da.force_return r WHERE r.period_end = $1
    ),
    prev AS MATERIALIZED (
        SELECT r.force_id, r.period_start, r.measure_id, r.value FROM da.force_return r
        WHERE r.period_end = da.year_earlier_end($1)
    ),
    ind AS MATERIALIZED (
        SELECT ii.indicator_id, ii.force_id, ii.period_start, ii.period_end, ii.numerator, ii.denominator,
               i.per, i.ci_method, i.label, i.denominator_measure,
               coalesce(i.numerator_measure, 'outcome_' || i.numerator_outcome) AS num_name,
               coalesce(da.measure_name(nm.description), 'outcome ' || i.numerator_outcome) AS num_description,
               da.measure_name(dm.description) AS den_description
        FROM (SELECT * FROM da.indicator_values($1) UNION ALL SELECT * FROM da.indicator_values(da.year_earlier_end($1))) ii
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
BEGIN
    RETURN QUERY
    -- The period's stored rows, materialized: a correlated subquery over a distributed table
    -- from rows that are not (rejected rows) is a join Citus cannot plan.
    WITH fr AS MATERIALIZED (
        SELECT y.force_id, y.measure_id, y.period_start, y.load_id FROM da.force_return y WHERE y.period_end = $1
    ), fo AS MATERIALIZED (
        SELECT y.force_id, y.period_start, y.load_id FROM da.force_return_outcomes y WHERE y.period_end = $1
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

-- A recorded run. On Citus the findings stay a plain coordinator table and the runs a
-- reference table: the counts are read from the findings in a statement of their own, not in
-- an UPDATE of the runs ("relation validation_finding is not distributed").
CREATE OR REPLACE FUNCTION da.run_validation(period_end date DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_period date := coalesce(run_validation.period_end, (SELECT max(r.period_end) FROM da.force_return r));
    v_run    da.validation_run;
    v_e      integer;
    v_w      integer;
    v_i      integer;
BEGIN
    INSERT INTO da.validation_run (period_end) VALUES (v_period) RETURNING * INTO v_run;
    IF v_period IS NULL THEN
        RETURN v_run.run_id;          -- nothing loaded yet: an empty run
    END IF;
    INSERT INTO da.validation_finding (run_id, run_at, period_end, force_id, measure_id, rule, severity,
                                       observed, expected_or_limit, message)
    SELECT v_run.run_id, v_run.run_at, v_period, v.* FROM da.validate_returns(v_period) v;
    SELECT count(*) FILTER (WHERE f.severity = 'error'), count(*) FILTER (WHERE f.severity = 'warning'),
           count(*) FILTER (WHERE f.severity = 'info')
      INTO v_e, v_w, v_i
      FROM da.validation_finding f WHERE f.run_id = v_run.run_id;
    UPDATE da.validation_run x SET errors = v_e, warnings = v_w, infos = v_i WHERE x.run_id = v_run.run_id;
    RETURN v_run.run_id;
END
$$;

-- 4. The ingests: loaded_at from EXCLUDED (see above); da.ingest_outcomes reads the outcome
--    codes into an array first. Otherwise as in 0.3.

CREATE OR REPLACE FUNCTION da.ingest_returns(source text DEFAULT NULL,
                                  OUT load_id bigint, OUT inserted bigint, OUT updated bigint,
                                  OUT unchanged bigint, OUT rejected bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_caller  name := da.calling_role();
    v_session text := da.staging_session();
    v_source text := ingest_returns.source;
    v_staged bigint;
BEGIN
    LOCK TABLE da.force_return IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO da.return_load (kind, source, loaded_by) VALUES ('returns', v_source, v_caller) RETURNING return_load.load_id INTO load_id;

    WITH staged AS (
        DELETE FROM da.return_staging s WHERE s.staged_by = v_caller AND s.staged_session = v_session
        RETURNING s.*
    ), forces AS MATERIALIZED (
        -- Names, dates and permissions are resolved once per distinct value, not per row.
        SELECT n.force, n.f_id, da.role_may_access_force(v_caller, n.f_id) AS f_ok
        FROM (SELECT d.force, da.resolve_force(d.force) AS f_id FROM (SELECT DISTINCT s.force FROM staged s) d) n
    ), dates AS (
        SELECT d.t, da.parse_iso_date(d.t) AS d
        FROM (SELECT s.period_start AS t FROM staged s UNION SELECT s.period_end FROM staged s) d
    ), numbered AS (
        SELECT s.*, row_number() OVER (ORDER BY s.staged_id) + 1 AS line_no,
               f.f_id, f.f_ok, m.measure_id AS m_id, ds.d AS p_start, de.d AS p_end,
               da.count_problem(s.value) AS v_problem
        FROM staged s
        LEFT JOIN forces f ON f.force = s.force
        LEFT JOIN da.measure m ON m.measure_id = lower(btrim(s.measure))
        LEFT JOIN dates ds ON ds.t = s.period_start
        LEFT JOIN dates de ON de.t = s.period_end
    ), checked AS (
        SELECT n.*,
               array_remove(ARRAY[
                 CASE WHEN coalesce(btrim(n.force), '') = '' THEN 'missing force'
                      WHEN n.f_id IS NULL THEN format('unknown force "%s"', n.force)
                      WHEN NOT n.f_ok THEN format('not permitted to load force "%s"', n.f_id) END,
                 CASE WHEN coalesce(btrim(n.measure), '') = '' THEN 'missing measure'
                      WHEN n.m_id IS NULL THEN format('unknown measure "%s"', n.measure) END,
                 CASE WHEN n.p_start IS NULL THEN format('malformed period_start "%s" (expected YYYY-MM-DD)', n.period_start) END,
                 CASE WHEN n.p_end IS NULL THEN format('malformed period_end "%s" (expected YYYY-MM-DD)', n.period_end) END,
                 CASE WHEN n.p_start IS NULL OR n.p_end IS NULL THEN NULL
                      WHEN n.p_end < n.p_start THEN 'period ends before it starts'
                      WHEN coalesce(da.period_months(n.p_start, n.p_end), 0) NOT IN (1, 3, 12)
                      THEN 'period is not 1, 3 or 12 calendar months' END,
                 n.v_problem], NULL) AS reasons
        FROM numbered n
    ), keyed AS (
        -- Duplicates within this load: every row of a duplicated key is refused, none chosen.
        SELECT c.*,
               CASE WHEN c.reasons = '{}' AND count(*) OVER k > 1
                    THEN 'duplicate in this load (lines ' || string_agg(c.line_no::text, ', ') OVER k || ')' END AS dup
        FROM checked c
        WINDOW k AS (PARTITION BY c.reasons = '{}', c.f_id, c.p_start, c.p_end, c.m_id
                     ORDER BY c.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ), sorted AS (
        SELECT k.*, array_remove(k.reasons || k.dup, NULL) AS all_reasons FROM keyed k
    ), rej AS (
        INSERT INTO da.rejected_return (load_id, line_no, force, period_start, period_end, measure, value, source, reason, rejected_by)
        SELECT ingest_returns.load_id, s.line_no, s.force, s.period_start, s.period_end, s.measure, s.value,
               s.source, array_to_string(s.all_reasons, '; '), v_caller
        FROM sorted s WHERE s.all_reasons <> '{}'
        RETURNING 1
    ), good AS (
        SELECT s.f_id, s.p_start, s.p_end, s.m_id, da.parse_count(s.value) AS val,
               coalesce(nullif(btrim(s.source), ''), v_source) AS src,
               fr.force_id IS NOT NULL AS existed, fr.value AS old_value, fr.source AS old_source,
               fr.loaded_at AS old_loaded_at, fr.load_id AS old_load_id
        FROM sorted s
        LEFT JOIN da.force_return fr
               ON (fr.force_id, fr.period_start, fr.period_end, fr.measure_id) = (s.f_id, s.p_start, s.p_end, s.m_id)
        WHERE s.all_reasons = '{}'
    ), hist AS (
        INSERT INTO da.force_return_history (force_id, period_start, period_end, measure_id, old_value, new_value,
                                             old_source, new_source, old_loaded_at, old_load_id, load_id, changed_by)
        SELECT g.f_id, g.p_start, g.p_end, g.m_id, g.old_value, g.val, g.old_source, g.src, g.old_loaded_at,
               g.old_load_id, ingest_returns.load_id, v_caller
        FROM good g WHERE g.existed AND g.old_value IS DISTINCT FROM g.val
        RETURNING 1
    ), ups AS (
        INSERT INTO da.force_return AS fr (force_id, period_start, period_end, measure_id, value, source, load_id)
        SELECT g.f_id, g.p_start, g.p_end, g.m_id, g.val, g.src, ingest_returns.load_id
        FROM good g WHERE NOT g.existed OR g.old_value IS DISTINCT FROM g.val
        ON CONFLICT (force_id, period_start, period_end, measure_id)
        DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, load_id = EXCLUDED.load_id, loaded_at = EXCLUDED.loaded_at
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM sorted),
           (SELECT count(*) FROM good WHERE NOT existed),
           (SELECT count(*) FROM good WHERE existed AND old_value IS DISTINCT FROM val),
           (SELECT count(*) FROM good WHERE existed AND old_value IS NOT DISTINCT FROM val),
           (SELECT count(*) FROM rej)
      INTO v_staged, inserted, updated, unchanged, rejected;

    UPDATE da.return_load l
       SET staged = v_staged, inserted = ingest_returns.inserted, updated = ingest_returns.updated,
           unchanged = ingest_returns.unchanged, rejected = ingest_returns.rejected
     WHERE l.load_id = ingest_returns.load_id;
END $$;

CREATE OR REPLACE FUNCTION da.ingest_outcomes(source text DEFAULT NULL,
                                   OUT load_id bigint, OUT inserted bigint, OUT updated bigint,
                                   OUT unchanged bigint, OUT rejected bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_caller  name := da.calling_role();
    v_session text := da.staging_session();
    v_source text := ingest_outcomes.source;
    v_staged bigint;
    -- The outcome codes as a value: da.outcome_code is the statistics' own table on every
    -- node, not a Citus table, and Citus cannot join it with the warehouse's tables.
    v_codes  text[] := ARRAY(SELECT oc.code FROM da.outcome_code oc);
BEGIN
    LOCK TABLE da.force_return_outcomes IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO da.return_load (kind, source, loaded_by) VALUES ('outcomes', v_source, v_caller) RETURNING return_load.load_id INTO load_id;

    WITH staged AS (
        DELETE FROM da.outcome_staging s WHERE s.staged_by = v_caller AND s.staged_session = v_session
        RETURNING s.*
    ), forces AS MATERIALIZED (
        SELECT n.force, n.f_id, da.role_may_access_force(v_caller, n.f_id) AS f_ok
        FROM (SELECT d.force, da.resolve_force(d.force) AS f_id FROM (SELECT DISTINCT s.force FROM staged s) d) n
    ), dates AS (
        SELECT d.t, da.parse_iso_date(d.t) AS d
        FROM (SELECT s.period_start AS t FROM staged s UNION SELECT s.period_end FROM staged s) d
    ), numbered AS (
        SELECT s.*, row_number() OVER (ORDER BY s.staged_id) + 1 AS line_no,
               f.f_id, f.f_ok, oc.code AS o_code, ds.d AS p_start, de.d AS p_end,
               da.count_problem(s.value) AS v_problem,
               coalesce(btrim(s.value), '') = '' AS v_empty,
               coalesce(btrim(s.outcome), '') = '' AS o_empty
        FROM staged s
        LEFT JOIN forces f ON f.force = s.force
        LEFT JOIN unnest(v_codes) oc(code) ON oc.code = upper(btrim(s.outcome))
        LEFT JOIN dates ds ON ds.t = s.period_start
        LEFT JOIN dates de ON de.t = s.period_end
    ), checked AS (
        SELECT n.*,
               array_remove(ARRAY[
                 CASE WHEN coalesce(btrim(n.force), '') = '' THEN 'missing force'
                      WHEN n.f_id IS NULL THEN format('unknown force "%s"', n.force)
                      WHEN NOT n.f_ok THEN format('not permitted to load force "%s"', n.f_id) END,
                 CASE WHEN n.o_empty AND NOT n.v_empty THEN 'missing outcome code'
                      WHEN NOT n.o_empty AND n.o_code IS NULL THEN format('unknown outcome code "%s"', n.outcome) END,
                 CASE WHEN n.p_start IS NULL THEN format('malformed period_start "%s" (expected YYYY-MM-DD)', n.period_start) END,
                 CASE WHEN n.p_end IS NULL THEN format('malformed period_end "%s" (expected YYYY-MM-DD)', n.period_end) END,
                 CASE WHEN n.p_start IS NULL OR n.p_end IS NULL THEN NULL
                      WHEN n.p_end < n.p_start THEN 'period ends before it starts'
                      WHEN coalesce(da.period_months(n.p_start, n.p_end), 0) NOT IN (1, 3, 12)
                      THEN 'period is not 1, 3 or 12 calendar months' END,
                 n.v_problem], NULL) AS reasons
        FROM numbered n
    ), keyed AS (
        SELECT c.*,
               CASE WHEN c.reasons = '{}' AND count(*) OVER k > 1
                    THEN 'duplicate in this load (lines ' || string_agg(c.line_no::text, ', ') OVER k || ')'
                    WHEN c.reasons = '{}' AND c.v_empty AND count(*) FILTER (WHERE NOT c.v_empty) OVER g > 0
                    THEN 'empty count (unable to provide) mixed with counts for the same force and period'
                    WHEN c.reasons = '{}' AND c.v_empty AND NOT c.o_empty
                    THEN 'empty count for a single outcome code: leave the code empty to mark the whole period as unable to provide'
               END AS dup
        FROM checked c
        WINDOW k AS (PARTITION BY c.reasons = '{}', c.f_id, c.p_start, c.p_end, c.o_code
                     ORDER BY c.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
               g AS (PARTITION BY c.reasons = '{}', c.f_id, c.p_start, c.p_end)
    ), sorted AS (
        SELECT k.*, array_remove(k.reasons || k.dup, NULL) AS all_reasons FROM keyed k
    ), rej AS (
        INSERT INTO da.rejected_return (load_id, line_no, force, period_start, period_end, measure, value, source, reason, rejected_by)
        SELECT ingest_outcomes.load_id, s.line_no, s.force, s.period_start, s.period_end, s.outcome, s.value,
               s.source, array_to_string(s.all_reasons, '; '), v_caller
        FROM sorted s WHERE s.all_reasons <> '{}'
        RETURNING 1
    ), good AS (
        SELECT s.f_id, s.p_start, s.p_end, s.o_code, da.parse_count(s.value) AS n,
               coalesce(nullif(btrim(s.source), ''), v_source) AS src,
               fr.force_id IS NOT NULL AS existed, fr.outcomes AS old_outcomes,
               fr.source AS old_source, fr.loaded_at AS old_loaded_at, fr.load_id AS old_load_id
        FROM sorted s
        LEFT JOIN da.force_return_outcomes fr
               ON (fr.force_id, fr.period_start, fr.period_end) = (s.f_id, s.p_start, s.p_end)
        WHERE s.all_reasons = '{}'
    ), graded AS (
        SELECT g.*,
               CASE WHEN NOT g.existed THEN 'inserted'
                    WHEN g.o_code IS NULL THEN CASE WHEN g.old_outcomes IS NULL THEN 'unchanged' ELSE 'updated' END
                    WHEN g.old_outcomes IS NULL THEN 'updated'
                    WHEN da.outcome_n(g.old_outcomes, g.o_code) = g.n THEN 'unchanged'
                    ELSE 'updated' END AS fate
        FROM good g
    ), periods AS (
        -- The force-periods this load changes.
        SELECT g.f_id, g.p_start, g.p_end, bool_or(g.existed) AS existed, bool_and(g.o_code IS NULL) AS unable,
               (array_agg(g.old_outcomes))[1] AS old_outcomes, (array_agg(g.old_source))[1] AS old_source,
               (array_agg(g.old_loaded_at))[1] AS old_loaded_at, (array_agg(g.old_load_id))[1] AS old_load_id,
               (array_agg(g.src ORDER BY g.src NULLS LAST))[1] AS src
        FROM graded g
        GROUP BY g.f_id, g.p_start, g.p_end
        HAVING bool_or(g.fate <> 'unchanged')
    ), counts AS (
        -- Their new counts: the loaded codes, plus the stored counts of the codes not mentioned.
        SELECT g.f_id, g.p_start, g.p_end, g.o_code AS code, g.n
        FROM good g JOIN periods p USING (f_id, p_start, p_end)
        WHERE g.o_code IS NOT NULL
        UNION ALL
        SELECT p.f_id, p.p_start, p.p_end, t.code, t.n
        FROM periods p
        CROSS JOIN LATERAL (SELECT u.code, da.outcome_n(p.old_outcomes, u.code) AS n
                            FROM unnest(v_codes) u(code) WHERE p.old_outcomes IS NOT NULL) t
        WHERE t.n > 0 AND NOT p.unable
          AND NOT EXISTS (SELECT 1 FROM good g
                          WHERE (g.f_id, g.p_start, g.p_end, g.o_code) = (p.f_id, p.p_start, p.p_end, t.code))
    ), merged AS (
        SELECT p.f_id, p.p_start, p.p_end, p.existed, p.old_outcomes, p.old_source, p.old_loaded_at, p.old_load_id, p.src,
               CASE WHEN NOT p.unable THEN a.outcomes END AS new_outcomes
        FROM periods p
        LEFT JOIN (SELECT c.f_id, c.p_start, c.p_end, da.outcome_agg(c.code, c.n) AS outcomes
                   FROM counts c GROUP BY c.f_id, c.p_start, c.p_end) a USING (f_id, p_start, p_end)
    ), hist AS (
        INSERT INTO da.force_return_outcomes_history (force_id, period_start, period_end, old_outcomes, new_outcomes,
                                                      old_source, new_source, old_loaded_at, old_load_id, load_id, changed_by)
        SELECT p.f_id, p.p_start, p.p_end, p.old_outcomes, p.new_outcomes, p.old_source, p.src,
               p.old_loaded_at, p.old_load_id, ingest_outcomes.load_id, v_caller
        FROM merged p WHERE p.existed
        RETURNING 1
    ), ups AS (
        INSERT INTO da.force_return_outcomes AS fr (force_id, period_start, period_end, outcomes, source, load_id)
        SELECT p.f_id, p.p_start, p.p_end, p.new_outcomes, p.src, ingest_outcomes.load_id FROM merged p
        ON CONFLICT (force_id, period_start, period_end)
        DO UPDATE SET outcomes = EXCLUDED.outcomes, source = EXCLUDED.source, load_id = EXCLUDED.load_id,
                      loaded_at = EXCLUDED.loaded_at
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM sorted),
           (SELECT count(*) FROM graded WHERE fate = 'inserted'),
           (SELECT count(*) FROM graded WHERE fate = 'updated'),
           (SELECT count(*) FROM graded WHERE fate = 'unchanged'),
           (SELECT count(*) FROM rej)
      INTO v_staged, inserted, updated, unchanged, rejected;

    UPDATE da.return_load l
       SET staged = v_staged, inserted = ingest_outcomes.inserted, updated = ingest_outcomes.updated,
           unchanged = ingest_outcomes.unchanged, rejected = ingest_outcomes.rejected
     WHERE l.load_id = ingest_outcomes.load_id;
END $$;

CREATE OR REPLACE FUNCTION da.ingest_marac(source text DEFAULT NULL,
                                OUT load_id bigint, OUT inserted bigint, OUT updated bigint,
                                OUT unchanged bigint, OUT rejected bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_caller  name := da.calling_role();
    v_session text := da.staging_session();
    v_source  text := ingest_marac.source;
    v_staged  bigint;
    v_rows    da.marac_staging[];
BEGIN
    LOCK TABLE da.marac_return IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO da.return_load (kind, source, loaded_by) VALUES ('marac', v_source, v_caller)
    RETURNING return_load.load_id INTO load_id;

    -- This session's staged rows, taken out first: on Citus the staging table stays a plain
    -- coordinator table, and the statement below, which joins them to Citus tables, could not
    -- read it ("relation marac_staging is not distributed").
    WITH d AS (
        DELETE FROM da.marac_staging s WHERE s.staged_by = v_caller AND s.staged_session = v_session
        RETURNING s
    )
    SELECT coalesce(array_agg(d.s), '{}') INTO v_rows FROM d;

    WITH staged AS (
        SELECT u.* FROM unnest(v_rows) u
    ), maracs AS MATERIALIZED (
        -- Names and permissions resolved once per distinct MARAC and force.
        SELECT d.marac, d.force, m.marac_id AS m_id, a.force_id AS m_force,
               CASE WHEN coalesce(btrim(d.force), '') <> '' THEN da.resolve_force(d.force) END AS f_id,
               da.role_may_access_force(v_caller, a.force_id) AS f_ok
        FROM (SELECT DISTINCT s.marac, s.force FROM staged s) d
        LEFT JOIN LATERAL (SELECT da.resolve_marac(d.marac) AS marac_id) m ON true
        LEFT JOIN da.marac_area a ON a.marac_id = m.marac_id
    ), dates AS (
        SELECT d.t, da.parse_iso_date(d.t) AS d
        FROM (SELECT s.period_start AS t FROM staged s UNION SELECT s.period_end FROM staged s) d
    ), numbered AS (
        SELECT s.*, row_number() OVER (ORDER BY s.staged_id) + 1 AS line_no,
               m.m_id, m.m_force, m.f_id, m.f_ok, ds.d AS p_start, de.d AS p_end
        FROM staged s
        LEFT JOIN maracs m ON m.marac IS NOT DISTINCT FROM s.marac AND m.force IS NOT DISTINCT FROM s.force
        LEFT JOIN dates ds ON ds.t = s.period_start
        LEFT JOIN dates de ON de.t = s.period_end
    ), checked AS (
        SELECT n.*,
               array_remove(ARRAY[
                 CASE WHEN coalesce(btrim(n.marac), '') = '' THEN 'missing MARAC'
                      -- A MARAC of a force the caller may not load reads as unknown: the
                      -- message must not tell which MARACs other forces have.
                      WHEN n.m_id IS NULL OR NOT n.f_ok THEN format('unknown MARAC "%s" (add it to da.marac_area)', n.marac) END,
                 CASE WHEN coalesce(btrim(n.force), '') = '' OR n.m_id IS NULL OR NOT n.f_ok THEN NULL
                      WHEN n.f_id IS NULL THEN format('unknown force "%s"', n.force)
                      WHEN n.f_id <> n.m_force THEN format('MARAC "%s" belongs to force "%s", not "%s"', n.m_id, n.m_force, n.f_id) END,
                 CASE WHEN n.p_start IS NULL THEN format('malformed period_start "%s" (expected YYYY-MM-DD)', n.period_start) END,
                 CASE WHEN n.p_end IS NULL THEN format('malformed period_end "%s" (expected YYYY-MM-DD)', n.period_end) END,
                 CASE WHEN n.p_start IS NULL OR n.p_end IS NULL THEN NULL
                      WHEN n.p_end < n.p_start THEN 'period ends before it starts'
                      WHEN coalesce(da.period_months(n.p_start, n.p_end), 0) <> 3
                        OR extract(month FROM n.p_end) NOT IN (3, 6, 9, 12)
                      THEN 'period is not a calendar quarter (3 months ending 31 March, 30 June, 30 September or 31 December)' END,
                 'cases: ' || da.count_problem(n.cases),
                 'repeat_cases: ' || da.count_problem(n.repeat_cases),
                 'children: ' || da.count_problem(n.children),
                 'adult_females: ' || da.count_problem(n.adult_females)], NULL) AS reasons
        FROM numbered n
    ), keyed AS (
        -- Duplicates within this load: every row of a duplicated key is refused, none chosen.
        SELECT c.*,
               CASE WHEN c.reasons = '{}' AND count(*) OVER k > 1
                    THEN 'duplicate in this load (lines ' || string_agg(c.line_no::text, ', ') OVER k || ')' END AS dup
        FROM checked c
        WINDOW k AS (PARTITION BY c.reasons = '{}', c.m_id, c.p_end
                     ORDER BY c.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ), sorted AS (
        SELECT k.*, array_remove(k.reasons || k.dup, NULL) AS all_reasons FROM keyed k
    ), rej AS (
        INSERT INTO da.rejected_marac_return (load_id, line_no, marac, force, period_start, period_end, cases, repeat_cases,
                                              children, adult_females, source, reason, rejected_by, marac_force_id)
        SELECT ingest_marac.load_id, s.line_no, s.marac, s.force, s.period_start, s.period_end, s.cases, s.repeat_cases,
               s.children, s.adult_females, s.source, array_to_string(s.all_reasons, '; '), v_caller,
               -- Not for a MARAC of a force the caller may not load: the caller reads its own
               -- rejected rows, and the force would tell that the MARAC exists.
               CASE WHEN s.f_ok THEN s.m_force END
        FROM sorted s WHERE s.all_reasons <> '{}'
        RETURNING 1
    ), good AS (
        SELECT s.m_id, s.m_force, s.p_start, s.p_end,
               da.parse_count(s.cases) AS cases, da.parse_count(s.repeat_cases) AS repeat_cases,
               da.parse_count(s.children) AS children, da.parse_count(s.adult_females) AS adult_females,
               coalesce(nullif(btrim(s.source), ''), v_source) AS src,
               r.marac_id IS NOT NULL AS existed,
               r.cases AS old_cases, r.repeat_cases AS old_repeat_cases, r.children AS old_children,
               r.adult_females AS old_adult_females, r.source AS old_source, r.loaded_at AS old_loaded_at,
               r.load_id AS old_load_id
        FROM sorted s
        LEFT JOIN da.marac_return r ON (r.marac_id, r.quarter_end) = (s.m_id, s.p_end)
        WHERE s.all_reasons = '{}'
    ), graded AS (
        SELECT g.*,
               CASE WHEN NOT g.existed THEN 'inserted'
                    WHEN (g.cases, g.repeat_cases, g.children, g.adult_females)
                         IS NOT DISTINCT FROM (g.old_cases, g.old_repeat_cases, g.old_children, g.old_adult_females)
                    THEN 'unchanged' ELSE 'updated' END AS fate
        FROM good g
    ), hist AS (
        INSERT INTO da.marac_return_history (marac_id, force_id, quarter_end, old_cases, old_repeat_cases, old_children,
                                             old_adult_females, new_cases, new_repeat_cases, new_children, new_adult_females,
                                             old_source, new_source, old_loaded_at, old_load_id, load_id, changed_by)
        SELECT g.m_id, g.m_force, g.p_end, g.old_cases, g.old_repeat_cases, g.old_children, g.old_adult_females,
               g.cases, g.repeat_cases, g.children, g.adult_females, g.old_source, g.src, g.old_loaded_at,
               g.old_load_id, ingest_marac.load_id, v_caller
        FROM graded g WHERE g.fate = 'updated'
        RETURNING 1
    ), ups AS (
        INSERT INTO da.marac_return AS r (marac_id, force_id, quarter_start, quarter_end, cases, repeat_cases, children,
                                          adult_females, source, load_id)
        SELECT g.m_id, g.m_force, g.p_start, g.p_end, g.cases, g.repeat_cases, g.children, g.adult_females, g.src,
               ingest_marac.load_id
        FROM graded g WHERE g.fate <> 'unchanged'
        ON CONFLICT (marac_id, quarter_end)
        DO UPDATE SET cases = EXCLUDED.cases, repeat_cases = EXCLUDED.repeat_cases, children = EXCLUDED.children,
                      adult_females = EXCLUDED.adult_females, source = EXCLUDED.source, load_id = EXCLUDED.load_id,
                      loaded_at = EXCLUDED.loaded_at
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM sorted),
           (SELECT count(*) FROM graded WHERE fate = 'inserted'),
           (SELECT count(*) FROM graded WHERE fate = 'updated'),
           (SELECT count(*) FROM graded WHERE fate = 'unchanged'),
           (SELECT count(*) FROM rej)
      INTO v_staged, inserted, updated, unchanged, rejected;

    UPDATE da.return_load l
       SET staged = v_staged, inserted = ingest_marac.inserted, updated = ingest_marac.updated,
           unchanged = ingest_marac.unchanged, rejected = ingest_marac.rejected
     WHERE l.load_id = ingest_marac.load_id;
END $$;

-------------------------------------------------------------------------------
-- Who may run the new internals: what may run the wrapper (readers: da.kit_functions()).
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
        ('da.funnel_positions(date)', 'reader'),
        ('da.funnel_positions_impl(date)', 'reader'),
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

-- Not PUBLIC; roles already granted (an upgrade) get them, as da.grant_access now grants.
REVOKE ALL ON FUNCTION da.indicator_values_impl(date), da.funnel_positions_impl(date) FROM PUBLIC;
DO $grants$
DECLARE
    r name;
BEGIN
    FOR r IN SELECT DISTINCT a.role_name FROM da.analyst_force a
             WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname OPERATOR(pg_catalog.=) a.role_name)
    LOOP
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION da.indicator_values_impl(date), da.funnel_positions_impl(date) TO %I', r);
    END LOOP;
END
$grants$;

-- Any SQL-standard body left that reads a warehouse relation is converted by part 90.
