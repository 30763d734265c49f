-------------------------------------------------------------------------------
-- Funnel positions for dashboards (issue 12 item 2): one computation for the validator and
-- da.dashboard, and the funnel curves as rows.
--
-- Validation flags a force against the England and Wales funnel, with limits widened for
-- over-dispersion between forces (da.funnel_baseline: phi, tau2). Until 0.3 that widening
-- lived inside da.validate_builtin, so a dashboard could not show what the validator said.
-- Now:
--   da.funnel_band(denominator, centre, tau2, ci_method, per)       the four limits at one denominator
--   da.funnel_position(x, n, centre x, centre n, tau2, ci_method, per)  flag + limits of one force
--   da.funnel_positions(period_end)                                 every force placed on a funnel
-- and both da.validate_builtin and da.dashboard read da.funnel_positions, so they cannot
-- disagree. da.funnel_curve(indicator_id, period_end, points) draws the band as rows.
-------------------------------------------------------------------------------

-- The inputs of da.funnel_band / da.funnel_position are numbers a dashboard passes in: NaN
-- passes a "> 0" test in PostgreSQL and would come out as NaN limits, a centre above 1 makes the
-- binomial variance negative. This raises instead, so a bad input is never a result: centre and
-- tau2 and every value of finite must be finite (NULL is fine: no row), centre >= 0, and <= 1
-- for ci_method wilson (a proportion). true otherwise, so it can stand in a WHERE clause.
CREATE FUNCTION da.funnel_check(centre double precision, tau2 double precision, ci_method text,
                                finite double precision[])
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF centre IN ('NaN', 'Infinity', '-Infinity') OR tau2 IN ('NaN', 'Infinity', '-Infinity')
       OR EXISTS (SELECT 1 FROM unnest(finite) v WHERE v IN ('NaN', 'Infinity', '-Infinity')) THEN
        RAISE EXCEPTION 'funnel inputs must be finite numbers (not NaN or Infinity)'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF centre < 0 THEN
        RAISE EXCEPTION 'funnel centre % is negative', centre
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF ci_method = 'wilson' AND centre > 1 THEN
        RAISE EXCEPTION 'funnel centre % is above 1, not a proportion (ci_method wilson)', centre
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION da.funnel_check(double precision, double precision, text, double precision[]) IS
    'Internal to da.funnel_band and da.funnel_position: error 22023 when an input is NaN or Infinity, the centre negative, or above 1 for ci_method wilson; true otherwise';

-- The limits of a funnel at one denominator, in the indicator's units (times per). centre is
-- the baseline per unit (England and Wales numerator / denominator). tau2 > 0 (over-dispersed
-- forces): centre -/+ z sqrt(s^2 + tau2), s the binomial ('wilson') or Poisson standard error
-- at this denominator, the lower limit cut at 0 (and for 'wilson' the upper at 100%); tau2 0
-- or NULL: the exact limits of da.funnel_prop_limits / da.funnel_rate_limits. No row when
-- denominator <= 0, centre NULL or ci_method unknown; an error (da.funnel_check) for NaN or
-- Infinity, a negative centre, or a centre above 1 for 'wilson'. SQL-standard body: bound when
-- created, inlinable.
CREATE FUNCTION da.funnel_band(denominator double precision, centre double precision, tau2 double precision,
                               ci_method text, per bigint)
    RETURNS TABLE (lower_998 numeric, lower_95 numeric, upper_95 numeric, upper_998 numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN w.widen THEN funnel_band.per * greatest(0, funnel_band.centre - 3.090232306167813 * w.sd)::numeric
                WHEN funnel_band.ci_method = 'wilson'
                THEN funnel_band.per * (da.funnel_prop_limits(funnel_band.denominator, funnel_band.centre, 0.998)).lower
                ELSE (da.funnel_rate_limits(funnel_band.denominator, funnel_band.per * funnel_band.centre, funnel_band.per, 0.998)).lower END,
           CASE WHEN w.widen THEN funnel_band.per * greatest(0, funnel_band.centre - 1.959963984540054 * w.sd)::numeric
                WHEN funnel_band.ci_method = 'wilson'
                THEN funnel_band.per * (da.funnel_prop_limits(funnel_band.denominator, funnel_band.centre, 0.95)).lower
                ELSE (da.funnel_rate_limits(funnel_band.denominator, funnel_band.per * funnel_band.centre, funnel_band.per, 0.95)).lower END,
           CASE WHEN w.widen THEN funnel_band.per * (CASE WHEN funnel_band.ci_method = 'wilson'
                                                          THEN least(1, funnel_band.centre + 1.959963984540054 * w.sd)
                                                          ELSE funnel_band.centre + 1.959963984540054 * w.sd END)::numeric
                WHEN funnel_band.ci_method = 'wilson'
                THEN funnel_band.per * (da.funnel_prop_limits(funnel_band.denominator, funnel_band.centre, 0.95)).upper
                ELSE (da.funnel_rate_limits(funnel_band.denominator, funnel_band.per * funnel_band.centre, funnel_band.per, 0.95)).upper END,
           CASE WHEN w.widen THEN funnel_band.per * (CASE WHEN funnel_band.ci_method = 'wilson'
                                                          THEN least(1, funnel_band.centre + 3.090232306167813 * w.sd)
                                                          ELSE funnel_band.centre + 3.090232306167813 * w.sd END)::numeric
                WHEN funnel_band.ci_method = 'wilson'
                THEN funnel_band.per * (da.funnel_prop_limits(funnel_band.denominator, funnel_band.centre, 0.998)).upper
                ELSE (da.funnel_rate_limits(funnel_band.denominator, funnel_band.per * funnel_band.centre, funnel_band.per, 0.998)).upper END
    FROM (SELECT coalesce(funnel_band.tau2, 0) > 0 AS widen,
                 sqrt(x.s * x.s + coalesce(funnel_band.tau2, 0)) AS sd
          -- Guarded so that constant folding never takes the root of a negative number: such
          -- inputs are errors of da.funnel_check or give no row.
          FROM (SELECT CASE WHEN funnel_band.denominator > 0 AND funnel_band.centre >= 0
                             AND (funnel_band.ci_method <> 'wilson' OR funnel_band.centre <= 1)
                            THEN sqrt(CASE WHEN funnel_band.ci_method = 'wilson' THEN funnel_band.centre * (1 - funnel_band.centre)
                                           ELSE funnel_band.centre END / funnel_band.denominator) END AS s) x) w
    WHERE da.funnel_check(funnel_band.centre, funnel_band.tau2, funnel_band.ci_method, ARRAY[funnel_band.denominator])
      AND funnel_band.denominator > 0 AND funnel_band.centre IS NOT NULL
      AND funnel_band.ci_method IN ('wilson', 'poisson') AND funnel_band.per > 0;
END;
COMMENT ON FUNCTION da.funnel_band(double precision, double precision, double precision, text, bigint) IS
    'Funnel limits (lower_998, lower_95, upper_95, upper_998, times per) at one denominator around centre (baseline per unit): widened by the between-force variance tau2 when tau2 > 0 (kept within 0 to per for wilson), else exact (Wilson-based for ci_method wilson, exact Poisson for poisson); no row when denominator <= 0, centre NULL or ci_method unknown; error 22023 for NaN/Infinity, a negative centre or a wilson centre above 1';

-- Where one force sits on its funnel: flag 'above 99.8%', 'above 95%', 'within', 'below 95%',
-- 'below 99.8%', the centre (times per) and the limits at its denominator. With tau2 > 0 the
-- force's value y = x / n is compared with centre -/+ z sqrt(s^2 + tau2); otherwise
-- da.funnel_flag decides (exact test on the count). No row when the position cannot be
-- computed: a side missing or negative, n <= 0, no centre (a centre side missing, or
-- centre_denominator <= 0), ci_method unknown, a proportion with x > n. A row with a NULL flag
-- (centre and limits given) when the exact test has no answer, e.g. a centre of 0: the force
-- stays on the dashboard, unflagged. An error (da.funnel_check, 22023) for NaN or Infinity, a
-- negative centre, or a centre above 1 for 'wilson'.
CREATE FUNCTION da.funnel_position(numerator bigint, denominator bigint, centre_numerator numeric,
                                   centre_denominator numeric, tau2 double precision, ci_method text, per bigint)
    RETURNS TABLE (flag text, centre numeric, lower_998 numeric, lower_95 numeric, upper_95 numeric, upper_998 numeric)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT CASE WHEN coalesce(funnel_position.tau2, 0) > 0 THEN
                CASE WHEN v.y - v.theta > 3.090232306167813 * w.sd THEN 'above 99.8%'
                     WHEN v.theta - v.y > 3.090232306167813 * w.sd THEN 'below 99.8%'
                     WHEN v.y - v.theta > 1.959963984540054 * w.sd THEN 'above 95%'
                     WHEN v.theta - v.y > 1.959963984540054 * w.sd THEN 'below 95%'
                     ELSE 'within' END
           ELSE CASE da.funnel_flag(funnel_position.numerator, funnel_position.denominator,
                                    funnel_position.centre_numerator, funnel_position.centre_denominator,
                                    CASE funnel_position.ci_method WHEN 'wilson' THEN 'proportion' ELSE 'rate' END)
                WHEN 'High (99.8%)' THEN 'above 99.8%' WHEN 'High (95%)' THEN 'above 95%'
                WHEN 'Low (95%)' THEN 'below 95%' WHEN 'Low (99.8%)' THEN 'below 99.8%'
                WHEN 'Not significant' THEN 'within' END
           END,
           CASE WHEN funnel_position.centre_denominator > 0
                THEN funnel_position.per * funnel_position.centre_numerator / funnel_position.centre_denominator END,
           b.lower_998, b.lower_95, b.upper_95, b.upper_998
    -- Divisions and roots guarded so that constant folding never fails on inputs that give
    -- no row (a zero denominator) or an error of da.funnel_check (a centre out of range).
    FROM (SELECT CASE WHEN funnel_position.centre_denominator > 0
                      THEN (funnel_position.centre_numerator / funnel_position.centre_denominator)::float8 END AS theta,
                 CASE WHEN funnel_position.denominator > 0
                      THEN funnel_position.numerator::float8 / funnel_position.denominator END AS y) v
    CROSS JOIN LATERAL (SELECT CASE WHEN funnel_position.denominator > 0 AND v.theta >= 0
                                     AND (funnel_position.ci_method <> 'wilson' OR v.theta <= 1)
                                    THEN sqrt(CASE WHEN funnel_position.ci_method = 'wilson' THEN v.theta * (1 - v.theta) ELSE v.theta END
                                              / funnel_position.denominator) END AS s) x
    CROSS JOIN LATERAL (SELECT sqrt(x.s * x.s + coalesce(funnel_position.tau2, 0)) AS sd) w
    CROSS JOIN LATERAL da.funnel_band(funnel_position.denominator, v.theta, funnel_position.tau2,
                                      funnel_position.ci_method, funnel_position.per) b
    WHERE da.funnel_check(v.theta, funnel_position.tau2, funnel_position.ci_method,
                          ARRAY[funnel_position.centre_numerator::float8, funnel_position.centre_denominator::float8])
      AND funnel_position.numerator >= 0 AND funnel_position.denominator > 0
      AND funnel_position.centre_numerator >= 0 AND funnel_position.centre_denominator > 0
      AND funnel_position.ci_method IN ('wilson', 'poisson')
      AND (funnel_position.ci_method <> 'wilson' OR funnel_position.numerator <= funnel_position.denominator);
END;
COMMENT ON FUNCTION da.funnel_position(bigint, bigint, numeric, numeric, double precision, text, bigint) IS
    'Funnel position of one force: flag (above 99.8%, above 95%, within, below 95%, below 99.8%), centre and limits times per, against the baseline centre_numerator/centre_denominator widened by tau2 when tau2 > 0 (as validation does); no row when not computable (a side missing or negative, n <= 0, centre_denominator <= 0, ci_method unknown, a proportion with x > n); NULL flag with centre and limits when the exact test has no answer (centre 0); error 22023 for NaN/Infinity, a negative centre or a wilson centre above 1';

-- Every force placed on a funnel for the periods ending on a date: the territorial forces with
-- both sides of the indicator (x <= n for a proportion), against da.funnel_baseline at the
-- winsorising percent of the funnel_99_8 rule (threshold NULL: exact limits, phi and tau2
-- NULL). Runs with the caller's rights, so a force-limited role gets its own forces, placed on
-- the England and Wales funnel (withheld when da.funnel_baseline withholds it: no rows).
-- Read by da.validate_builtin (the funnel_99_8 / funnel_95 findings) and by da.dashboard.
CREATE FUNCTION da.funnel_positions(period_end date)
    RETURNS TABLE (indicator_id text, force_id text, period_start date, period_end date,
                   numerator bigint, denominator bigint, per bigint, flag text, centre numeric,
                   lower_998 numeric, lower_95 numeric, upper_95 numeric, upper_998 numeric,
                   phi double precision, tau2 double precision,
                   centre_numerator numeric, centre_denominator numeric)
    LANGUAGE sql STABLE
BEGIN ATOMIC
    SELECT v.indicator_id, v.force_id, v.period_start, v.period_end, v.numerator, v.denominator, i.per,
           p.flag, p.centre, p.lower_998, p.lower_95, p.upper_95, p.upper_998, b.phi, b.tau2,
           b.numerator, b.denominator
    FROM da.indicator_values(funnel_positions.period_end) v
    JOIN da.indicator i ON i.indicator_id = v.indicator_id
    JOIN da.force f ON f.force_id = v.force_id
    JOIN da.funnel_baseline(funnel_positions.period_end,
                            (SELECT r.threshold FROM da.validation_rule r WHERE r.rule = 'funnel_99_8')) b
      ON b.indicator_id = v.indicator_id AND b.period_start = v.period_start
    CROSS JOIN LATERAL da.funnel_position(v.numerator, v.denominator, b.numerator, b.denominator,
                                          b.tau2, i.ci_method, i.per) p
    WHERE f.kind = 'territorial';
END;
COMMENT ON FUNCTION da.funnel_positions(date) IS
    'Funnel position (flag, centre, limits times per) and over-dispersion (phi, tau2) of every territorial force and indicator for the periods ending on that date, as validation computes them (winsorised at the funnel_99_8 threshold); caller''s rights';

-- The built-in rules, as in 0.2 except that the funnel findings come from da.funnel_positions
-- (same flags and limits as before, now shared with da.dashboard).
CREATE OR REPLACE FUNCTION da.validate_builtin(period_end date)
    RETURNS SETOF da.validation_finding_row
    LANGUAGE sql STABLE STRICT
AS $$
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
LEFT JOIN da.force fo ON fo.force_id = f.force_id
$$;

-- The funnel as rows, for a BI tool to draw: points denominators spaced geometrically (equal
-- ratios, so the curve is smooth where it bends, at small denominators) from the smallest to
-- the largest denominator of the forces placed on the funnel that the caller may see, each
-- with the centre and the four limits (times per, widened exactly as da.funnel_positions).
-- One curve per period start ending on period_end (a quarter and a year may end on one day).
-- Caller's rights: a force-limited role draws the range of its own forces, around the
-- England and Wales centre unless that is withheld (then no rows).
-- The row type is a named composite so that the declared precision and scale reach the
-- client (PostgreSQL drops the typmods of RETURNS TABLE columns, not of a type's attributes).
CREATE TYPE da.funnel_curve_point AS (denominator numeric(21,2), centre numeric(42,4), lower_998 numeric(42,4),
                                      lower_95 numeric(42,4), upper_95 numeric(42,4), upper_998 numeric(42,4),
                                      period_start date);
COMMENT ON TYPE da.funnel_curve_point IS
    'A row of da.funnel_curve: denominator, centre and the 99.8%/95% funnel limits in the indicator''s units, period start';
COMMENT ON COLUMN da.funnel_curve_point.denominator IS 'Denominator at which the limits are drawn (2 decimals)';
COMMENT ON COLUMN da.funnel_curve_point.centre IS 'Funnel centre (England and Wales), indicator units';
COMMENT ON COLUMN da.funnel_curve_point.lower_998 IS 'Lower 99.8% limit at this denominator, indicator units';
COMMENT ON COLUMN da.funnel_curve_point.lower_95 IS 'Lower 95% limit at this denominator, indicator units';
COMMENT ON COLUMN da.funnel_curve_point.upper_95 IS 'Upper 95% limit at this denominator, indicator units';
COMMENT ON COLUMN da.funnel_curve_point.upper_998 IS 'Upper 99.8% limit at this denominator, indicator units';
COMMENT ON COLUMN da.funnel_curve_point.period_start IS 'First day of the period (several periods may end on one day)';
CREATE FUNCTION da.funnel_curve(indicator_id text, period_end date, points integer DEFAULT 100)
    RETURNS SETOF da.funnel_curve_point
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM da.check_indicator(funnel_curve.indicator_id);
    PERFORM da.period_end_check(funnel_curve.period_end);
    IF funnel_curve.points IS NULL OR funnel_curve.points < 2 OR funnel_curve.points > 100000 THEN
        RAISE EXCEPTION 'points must be between 2 and 100000, not %', coalesce(funnel_curve.points::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'points is the number of denominators at which the curves are computed.',
                  HINT = 'The default, 100, draws a smooth funnel.';
    END IF;
    RETURN QUERY
        WITH r AS (
            SELECT p.period_start, min(p.denominator)::float8 AS lo, max(p.denominator)::float8 AS hi,
                   min(p.centre) AS centre, min(p.tau2) AS tau2, min(p.per) AS per,
                   (min(p.centre_numerator) / min(p.centre_denominator))::float8 AS theta
            FROM da.funnel_positions(funnel_curve.period_end) p
            WHERE p.indicator_id = funnel_curve.indicator_id AND p.flag IS NOT NULL
            GROUP BY p.period_start
        )
        SELECT d.den::numeric(21,2), r.centre::numeric(42,4), b.lower_998::numeric(42,4), b.lower_95::numeric(42,4),
               b.upper_95::numeric(42,4), b.upper_998::numeric(42,4), r.period_start
        FROM r
        JOIN da.indicator i ON i.indicator_id = funnel_curve.indicator_id
        CROSS JOIN LATERAL generate_series(0, funnel_curve.points - 1) k
        CROSS JOIN LATERAL (SELECT CASE WHEN k = funnel_curve.points - 1 THEN r.hi
                                        ELSE r.lo * power(r.hi / r.lo, k::float8 / (funnel_curve.points - 1)) END AS den) d
        CROSS JOIN LATERAL da.funnel_band(d.den, r.theta, r.tau2, i.ci_method, r.per) b
        ORDER BY r.period_start, k;
END $$;
COMMENT ON FUNCTION da.funnel_curve(text, date, integer) IS
    'Funnel curves of an indicator for the periods ending on period_end, as rows for charts: points denominators (geometric, from the smallest to the largest denominator of the forces on the funnel you may see) with centre and 95%/99.8% limits times per, widened for over-dispersion as validation does';
