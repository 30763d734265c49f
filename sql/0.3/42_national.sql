-------------------------------------------------------------------------------
-- National figures for force-limited roles (issue 11).
--
-- The national functions run as the owner so that a force analyst gets the England and
-- Wales figure over every force. Over one or two forces, though, that figure gives another
-- force's value away (the total minus one's own). So a role that does not see every force
-- gets a national figure only when at least da.setting_value('national_min_forces')
-- (default 3) forces contribute; otherwise the figure is NULL and withheld_reason says why.
-- Nor may two figures over different force sets be subtracted (review finding 1): such a
-- role gets a panel figure or the funnel centre only over exactly the national set of that
-- measure/indicator and period (da.panel_withheld_reason, da.funnel_baseline); and the funnel's
-- phi/tau2 only with funnel_min_forces forces, winsorised as the funnel_99_8 rule (finding 2).
-- The computations keep their 0.2 bodies under the name *_all (owner only); the public
-- names are thin wrappers that also refuse an unknown measure or indicator.
-------------------------------------------------------------------------------

ALTER FUNCTION da.national_total(text, date, date) RENAME TO national_total_all;
ALTER FUNCTION da.national_change(text, date, date) RENAME TO national_change_all;
ALTER FUNCTION da.national_indicator_change(text, date, date) RENAME TO national_indicator_change_all;
ALTER FUNCTION da.indicator_national() RENAME TO indicator_national_all;
ALTER FUNCTION da.funnel_baseline(date, numeric) RENAME TO funnel_baseline_all;
COMMENT ON FUNCTION da.national_total_all(text, date, date) IS 'Internal to da.national_total: the total over every force, never withheld';
COMMENT ON FUNCTION da.national_change_all(text, date, date) IS 'Internal to da.national_change: never withheld';
COMMENT ON FUNCTION da.national_indicator_change_all(text, date, date) IS 'Internal to da.national_indicator_change: never withheld';
COMMENT ON FUNCTION da.indicator_national_all() IS 'Internal to da.indicator_national: never withheld';
COMMENT ON FUNCTION da.funnel_baseline_all(date, numeric) IS 'Internal to da.funnel_baseline: never withheld';

-- An unknown measure or indicator is a wrong request, not "every force left out".
CREATE FUNCTION da.check_measure(measure_id text) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF check_measure.measure_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM da.measure m WHERE m.measure_id = check_measure.measure_id) THEN
        RAISE EXCEPTION 'unknown measure "%"', check_measure.measure_id
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'da.measure has no measure_id ' || quote_literal(check_measure.measure_id) || '.',
                  HINT = 'SELECT measure_id, description FROM da.measure lists the measures.';
    END IF;
END $$;
CREATE FUNCTION da.check_indicator(indicator_id text) RETURNS void
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF check_indicator.indicator_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM da.indicator i WHERE i.indicator_id = check_indicator.indicator_id) THEN
        RAISE EXCEPTION 'unknown indicator "%"', check_indicator.indicator_id
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'da.indicator has no indicator_id ' || quote_literal(check_indicator.indicator_id) || '.',
                  HINT = 'SELECT indicator_id, label FROM da.indicator lists the indicators.';
    END IF;
END $$;

-- Review finding 1 (differencing): a role limited to some forces gets a figure over a panel of
-- forces (the forces with both years) only when the panel is exactly the set of forces of the
-- national total of each of the two years. The panel is a subset of each, so equal counts mean
-- equal sets; then every figure such a role gets for a measure (or indicator) and period is
-- over one and the same set of forces, and no difference of two of them isolates a force.
CREATE FUNCTION da.panel_withheld_reason(panel_forces integer, forces_new integer, forces_old integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN panel_forces IS NOT DISTINCT FROM forces_new AND panel_forces IS NOT DISTINCT FROM forces_old THEN NULL
                ELSE pg_catalog.format('withheld: the panel of %s force(s) with both years is not the whole national total (%s force(s) this year, %s a year earlier), so for a role limited to some forces it would give away the forces left out by difference',
                                       panel_forces, coalesce(forces_new, 0), coalesce(forces_old, 0)) END;
COMMENT ON FUNCTION da.panel_withheld_reason(integer, integer, integer) IS
    'For a force-limited role: NULL when a panel figure over panel_forces forces is over the same set as the national totals of both years (forces_new, forces_old), else why it is withheld';

CREATE FUNCTION da.national_total(measure_id text, period_start date, period_end date,
    OUT value numeric, OUT forces_included integer, OUT forces_expected integer,
    OUT forces_left_out text[], OUT withheld_reason text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM da.check_measure(national_total.measure_id);
    SELECT t.value, t.forces_included, t.forces_expected, t.forces_left_out
      INTO value, forces_included, forces_expected, forces_left_out
      FROM da.national_total_all(national_total.measure_id, national_total.period_start, national_total.period_end) t;
    withheld_reason := da.national_withheld_reason(forces_included);
    IF withheld_reason IS NOT NULL THEN
        value := NULL;
    END IF;
END $$;
COMMENT ON FUNCTION da.national_total(text, date, date) IS
    'England and Wales total of a measure over in_national_total forces that provided it; lists the forces left out; withheld (NULL, with the reason) from a force-limited role when too few forces contribute';

CREATE FUNCTION da.national_change(measure_id text, period_start date, period_end date,
    OUT old_value numeric, OUT new_value numeric, OUT pct_change numeric,
    OUT forces_included integer, OUT forces_left_out text[], OUT withheld_reason text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_new integer;
    v_old integer;
BEGIN
    PERFORM da.check_measure(national_change.measure_id);
    SELECT t.old_value, t.new_value, t.pct_change, t.forces_included, t.forces_left_out
      INTO old_value, new_value, pct_change, forces_included, forces_left_out
      FROM da.national_change_all(national_change.measure_id, national_change.period_start, national_change.period_end) t;
    withheld_reason := da.national_withheld_reason(forces_included);
    -- Differencing (review finding 1): for a force-limited role the panel must be the very set
    -- of forces of the national total of both years, else panel and total differ by a few forces.
    IF withheld_reason IS NULL AND forces_included IS NOT NULL
       AND NOT da.role_sees_all_forces(da.calling_role()) THEN
        SELECT t.forces_included INTO v_new
          FROM da.national_total_all(national_change.measure_id, national_change.period_start, national_change.period_end) t;
        SELECT t.forces_included INTO v_old
          FROM da.national_total_all(national_change.measure_id, da.year_earlier_start(national_change.period_start),
                                     da.year_earlier_end(national_change.period_end)) t;
        withheld_reason := da.panel_withheld_reason(forces_included, v_new, v_old);
    END IF;
    IF withheld_reason IS NOT NULL THEN
        old_value := NULL; new_value := NULL; pct_change := NULL;
    END IF;
END $$;
COMMENT ON FUNCTION da.national_change(text, date, date) IS
    'England and Wales change of a measure on the same period a year earlier, over the matched panel of forces with both years; forces included and left out; withheld from a force-limited role when too few forces contribute or the panel is not the whole national total of both years';

CREATE FUNCTION da.national_indicator_change(indicator_id text, period_start date, period_end date,
    OUT old_numerator numeric, OUT old_denominator numeric, OUT new_numerator numeric, OUT new_denominator numeric,
    OUT old_value numeric, OUT new_value numeric, OUT change numeric,
    OUT forces_included integer, OUT forces_left_out text[], OUT withheld_reason text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_new integer;
    v_old integer;
BEGIN
    PERFORM da.check_indicator(national_indicator_change.indicator_id);
    SELECT t.old_numerator, t.old_denominator, t.new_numerator, t.new_denominator, t.old_value, t.new_value,
           t.change, t.forces_included, t.forces_left_out
      INTO old_numerator, old_denominator, new_numerator, new_denominator, old_value, new_value,
           change, forces_included, forces_left_out
      FROM da.national_indicator_change_all(national_indicator_change.indicator_id,
                                            national_indicator_change.period_start,
                                            national_indicator_change.period_end) t;
    withheld_reason := da.national_withheld_reason(forces_included);
    -- As da.national_change: the panel must be da.indicator_national's set of both years.
    IF withheld_reason IS NULL AND forces_included IS NOT NULL
       AND NOT da.role_sees_all_forces(da.calling_role()) THEN
        SELECT max(t.forces_included) FILTER (WHERE t.period_start = national_indicator_change.period_start
                                                AND t.period_end = national_indicator_change.period_end),
               max(t.forces_included) FILTER (WHERE t.period_start = da.year_earlier_start(national_indicator_change.period_start)
                                                AND t.period_end = da.year_earlier_end(national_indicator_change.period_end))
          INTO v_new, v_old
          FROM da.indicator_national_all() t
         WHERE t.indicator_id = national_indicator_change.indicator_id;
        withheld_reason := da.panel_withheld_reason(forces_included, v_new, v_old);
    END IF;
    IF withheld_reason IS NOT NULL THEN
        old_numerator := NULL; old_denominator := NULL; new_numerator := NULL; new_denominator := NULL;
        old_value := NULL; new_value := NULL; change := NULL;
    END IF;
END $$;
COMMENT ON FUNCTION da.national_indicator_change(text, date, date) IS
    'England and Wales value of an indicator and a year earlier over the matched panel (forces with both counts in both years); change in the indicator''s units; withheld from a force-limited role when too few forces contribute or the panel is not the whole national set of both years';

CREATE FUNCTION da.indicator_national()
    RETURNS TABLE (indicator_id text, period_start date, period_end date, numerator numeric,
                   denominator numeric, value numeric, forces_included integer, forces_left_out text[],
                   withheld_reason text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_all boolean := da.role_sees_all_forces(da.calling_role());
BEGIN
    RETURN QUERY
        SELECT t.indicator_id, t.period_start, t.period_end,
               CASE WHEN w.reason IS NULL THEN t.numerator END, CASE WHEN w.reason IS NULL THEN t.denominator END,
               CASE WHEN w.reason IS NULL THEN t.value END, t.forces_included, t.forces_left_out, w.reason
        FROM da.indicator_national_all() t
        CROSS JOIN LATERAL (SELECT CASE WHEN v_all THEN NULL ELSE da.national_withheld_reason(t.forces_included) END AS reason) w;
END $$;
COMMENT ON FUNCTION da.indicator_national() IS
    'England and Wales value of each indicator per period (ratio of sums, pairwise complete, BTP excluded), forces included and left out; withheld from a force-limited role when too few forces contribute';

CREATE FUNCTION da.funnel_baseline(period_end date, winsor numeric DEFAULT 10)
    RETURNS TABLE (indicator_id text, period_start date, numerator numeric, denominator numeric,
                   forces integer, phi double precision, tau2 double precision, withheld_reason text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_all boolean := da.role_sees_all_forces(da.calling_role());
    v_winsor numeric := funnel_baseline.winsor;
BEGIN
    IF v_all THEN
        RETURN QUERY
            SELECT t.indicator_id, t.period_start, t.numerator, t.denominator, t.forces, t.phi, t.tau2, NULL::text
            FROM da.funnel_baseline_all(funnel_baseline.period_end, funnel_baseline.winsor) t;
        RETURN;
    END IF;
    -- Review finding 2: a force-limited role does not choose the winsorising (sweeping it reads
    -- the sorted z-scores); it gets the funnel_99_8 rule's, as validation and the dashboard use.
    v_winsor := (SELECT r.threshold FROM da.validation_rule r WHERE r.rule = 'funnel_99_8');
    RETURN QUERY
        SELECT t.indicator_id, t.period_start,
               CASE WHEN w.reason IS NULL THEN t.numerator END, CASE WHEN w.reason IS NULL THEN t.denominator END,
               t.forces,
               CASE WHEN w.reason IS NULL AND o.reason IS NULL THEN t.phi END,
               CASE WHEN w.reason IS NULL AND o.reason IS NULL THEN t.tau2 END,
               coalesce(w.reason, o.reason)
        FROM da.funnel_baseline_all(funnel_baseline.period_end, v_winsor) t
        LEFT JOIN da.indicator_national_all() n
               ON n.indicator_id = t.indicator_id AND n.period_start = t.period_start
              AND n.period_end = funnel_baseline.period_end
        -- The centre is a sum over its forces: shown only when those are exactly the forces of
        -- da.indicator_national (a superset; equal counts mean equal sets), so the two differ by nothing.
        CROSS JOIN LATERAL (SELECT coalesce(da.national_withheld_reason(t.forces),
                   CASE WHEN t.forces IS DISTINCT FROM n.forces_included
                        THEN pg_catalog.format('withheld: the funnel centre is over %s force(s), not the %s of the England and Wales value, so for a role limited to some forces it would give away the forces left out by difference',
                                               t.forces, coalesce(n.forces_included, 0)) END) AS reason) w
        -- phi and tau2 are sums over the forces' own z-scores and denominators.
        CROSS JOIN LATERAL (SELECT CASE WHEN (t.phi IS NOT NULL OR t.tau2 IS NOT NULL)
                                         AND t.forces < da.setting_value('funnel_min_forces')
                   THEN pg_catalog.format('over-dispersion (phi, tau2) withheld: %s force(s) contribute, fewer than the %s needed for a role limited to some forces (da.setting funnel_min_forces); limits not widened',
                                          t.forces, da.setting_value('funnel_min_forces')) END AS reason) o;
END $$;
COMMENT ON FUNCTION da.funnel_baseline(date, numeric) IS
    'Funnel centre (England and Wales sums over territorial forces in the national total, BTP never) and between-force over-dispersion (phi, tau2; Spiegelhalter 2005, winsorised at winsor %) of each indicator for the periods ending on that date; for a force-limited role: winsorised at the funnel_99_8 threshold whatever winsor says, the centre withheld when too few forces contribute or its forces are not those of da.indicator_national, phi and tau2 withheld below funnel_min_forces forces';

-- The views, now over the wrappers, with the reason as a last column.
CREATE OR REPLACE VIEW da.national_totals AS
SELECT p.measure_id, p.period_start, p.period_end, da.period_label(p.period_start, p.period_end) AS period,
       t.value, t.forces_included, t.forces_expected, t.forces_left_out, t.withheld_reason
FROM (SELECT DISTINCT r.measure_id, r.period_start, r.period_end
      FROM da.force_return r JOIN da.force f USING (force_id) WHERE f.in_national_total) p,
     LATERAL da.national_total(p.measure_id, p.period_start, p.period_end) t;

CREATE OR REPLACE VIEW da.dashboard WITH (security_invoker = true) AS
SELECT x.force_id, f.name AS force_name, f.region, x.period_start, x.period_end,
       da.period_label(x.period_start, x.period_end) AS period,
       x.indicator_id, i.label AS indicator, i.unit,
       x.numerator, x.denominator,
       da.per_n(x.numerator, x.denominator, i.per) AS value,
       da.indicator_ci_lower(x.numerator, x.denominator, i.per, i.ci_method) AS ci_lower,
       da.indicator_ci_upper(x.numerator, x.denominator, i.per, i.ci_method) AS ci_upper,
       n.value AS national_value,
       n.forces_included::bigint AS national_forces_included,
       da.per_n(p.numerator, p.denominator, i.per) AS value_year_earlier,
       da.per_n(x.numerator, x.denominator, i.per) - da.per_n(p.numerator, p.denominator, i.per)
           AS change_from_year_earlier,
       n.withheld_reason AS national_withheld_reason
FROM da.indicator_input x
JOIN da.indicator i ON i.indicator_id = x.indicator_id
JOIN da.force f ON f.force_id = x.force_id
LEFT JOIN da.indicator_national() n
       ON (n.indicator_id, n.period_start, n.period_end) = (x.indicator_id, x.period_start, x.period_end)
LEFT JOIN da.indicator_input p
       ON (p.indicator_id, p.force_id, p.period_start, p.period_end)
        = (x.indicator_id, x.force_id, da.year_earlier_start(x.period_start), da.year_earlier_end(x.period_end));
