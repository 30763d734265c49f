-------------------------------------------------------------------------------
-- Chart-ready views (issue 12 item 2): declared numeric types, text beside arrays, and the
-- funnel position of each force on da.dashboard.
--
-- Precision rule (drivers then report a real precision and scale, e.g. JDBC DECIMAL_DIGITS 4):
-- every rate, limit, share and ratio is numeric(P, 4) -- four decimals, where reports publish
-- none or one (52 per 100, 35 per 10,000, 18.6%, 1.26 children per case), so the published
-- precision is kept with three digits to spare -- and P is the smallest precision that no value
-- computed from bigint counts can overflow:
--   per 100 and percent (shares)       numeric(25,4)   100 * 9.2e18 < 1e21
--   per 10,000                         numeric(27,4)
--   per 1 (ratios: children per case)  numeric(23,4)
--   the indicator's own per (dashboard, da.funnel_curve; per is any bigint)  numeric(42,4)
-- Casting rounds half away from zero; flags are decided on unrounded values. Counts are bigint,
-- dates date; arrays get a text twin (forces_left_out_list). Over-dispersion (phi, tau2) stays
-- double precision, exactly as validation computes it.
--
-- The views whose column types change are dropped and created again with the same
-- security_invoker setting and the same privileges (kept across the drop below), so access does
-- not change. da.force_return_wide and da.indicator_input are all bigint, date and text already.
-------------------------------------------------------------------------------


-- Not PUBLIC (part 48 ran before they existed); roles already granted (an upgrade) get them.
REVOKE ALL ON FUNCTION da.funnel_positions(date), da.funnel_curve(text, date, integer) FROM PUBLIC;
DO $grants$
DECLARE
    r name;
BEGIN
    FOR r IN SELECT DISTINCT a.role_name FROM da.analyst_force a
             WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname OPERATOR(pg_catalog.=) a.role_name)
    LOOP
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION da.funnel_positions(date), da.funnel_curve(text, date, integer) TO %I', r);
    END LOOP;
END
$grants$;

-- Keep the privileges of the views replaced below across their drop.
SELECT pg_catalog.set_config('da.bi_views_acl_' OPERATOR(pg_catalog.||) c.relname,
                             coalesce(c.relacl::text, ''), true)
FROM pg_catalog.pg_class c
WHERE c.relnamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace
  AND c.relname OPERATOR(pg_catalog.=) ANY (ARRAY['dashboard', 'marac', 'force_outcome_table', 'national_totals']);

DROP VIEW da.dashboard, da.marac, da.force_outcome_table, da.national_totals;

CREATE VIEW da.dashboard WITH (security_invoker = true) AS
SELECT x.force_id, f.name AS force_name, f.region, x.period_start, x.period_end,
       da.period_label(x.period_start, x.period_end) AS period,
       x.indicator_id, i.label AS indicator, i.unit,
       x.numerator, x.denominator,
       da.per_n(x.numerator, x.denominator, i.per)::numeric(42,4) AS value,
       da.indicator_ci_lower(x.numerator, x.denominator, i.per, i.ci_method)::numeric(42,4) AS ci_lower,
       da.indicator_ci_upper(x.numerator, x.denominator, i.per, i.ci_method)::numeric(42,4) AS ci_upper,
       n.value::numeric(42,4) AS national_value,
       n.forces_included::bigint AS national_forces_included,
       da.per_n(p.numerator, p.denominator, i.per)::numeric(42,4) AS value_year_earlier,
       (da.per_n(x.numerator, x.denominator, i.per) - da.per_n(p.numerator, p.denominator, i.per))::numeric(42,4)
           AS change_from_year_earlier,
       n.withheld_reason AS national_withheld_reason,
       fp.flag,
       fp.centre::numeric(42,4) AS funnel_centre,
       fp.lower_998::numeric(42,4) AS lower_998,
       fp.lower_95::numeric(42,4) AS lower_95,
       fp.upper_95::numeric(42,4) AS upper_95,
       fp.upper_998::numeric(42,4) AS upper_998,
       fp.phi AS overdispersion_phi,
       fp.tau2 AS overdispersion_tau2
FROM da.indicator_input x
JOIN da.indicator i ON i.indicator_id = x.indicator_id
JOIN da.force f ON f.force_id = x.force_id
LEFT JOIN da.indicator_national() n
       ON (n.indicator_id, n.period_start, n.period_end) = (x.indicator_id, x.period_start, x.period_end)
LEFT JOIN da.indicator_input p
       ON (p.indicator_id, p.force_id, p.period_start, p.period_end)
        = (x.indicator_id, x.force_id, da.year_earlier_start(x.period_start), da.year_earlier_end(x.period_end))
-- Positions are computed once per period end present, as the validator computes them.
LEFT JOIN (SELECT q.* FROM (SELECT DISTINCT ii.period_end FROM da.indicator_input ii) e
           CROSS JOIN LATERAL da.funnel_positions(e.period_end) q) fp
       ON (fp.indicator_id, fp.force_id, fp.period_start, fp.period_end)
        = (x.indicator_id, x.force_id, x.period_start, x.period_end);
COMMENT ON VIEW da.dashboard IS
    'One row per force x period x indicator: numerator, denominator, value, 95% CI, England and Wales value, value a year earlier and the change (indicator units), and the force''s funnel position as validation computes it (flag, limits, over-dispersion)';
COMMENT ON COLUMN da.dashboard.force_id IS 'Force (da.force)';
COMMENT ON COLUMN da.dashboard.force_name IS 'Force name';
COMMENT ON COLUMN da.dashboard.region IS 'Region of the force';
COMMENT ON COLUMN da.dashboard.period_start IS 'First day of the period';
COMMENT ON COLUMN da.dashboard.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.dashboard.period IS 'The period as reports name it ("12 months to 30 June 2017")';
COMMENT ON COLUMN da.dashboard.indicator_id IS 'Indicator (da.indicator)';
COMMENT ON COLUMN da.dashboard.indicator IS 'Indicator label';
COMMENT ON COLUMN da.dashboard.unit IS 'Unit of value, limits and change (per 100 DA crimes, percent, per 10,000 adult females)';
COMMENT ON COLUMN da.dashboard.numerator IS 'Numerator count; NULL = not returned or unable to provide';
COMMENT ON COLUMN da.dashboard.denominator IS 'Denominator count; NULL = not returned or unable to provide';
COMMENT ON COLUMN da.dashboard.value IS 'numerator / denominator times the indicator''s per, 4 decimals; NULL when a side is missing or the denominator is 0';
COMMENT ON COLUMN da.dashboard.ci_lower IS 'Lower 95% confidence limit of value (Wilson for proportions, Byar/exact Poisson for rates); NULL when not computable';
COMMENT ON COLUMN da.dashboard.ci_upper IS 'Upper 95% confidence limit of value; NULL when not computable';
COMMENT ON COLUMN da.dashboard.national_value IS 'England and Wales value of the period (ratio of sums over the forces in the national total with both counts; BTP never); NULL when withheld';
COMMENT ON COLUMN da.dashboard.national_forces_included IS 'Forces in the England and Wales value';
COMMENT ON COLUMN da.dashboard.value_year_earlier IS 'The force''s value for the same period a year earlier';
COMMENT ON COLUMN da.dashboard.change_from_year_earlier IS 'value - value_year_earlier in the indicator''s units (percentage points for per-100 rates and percentages)';
COMMENT ON COLUMN da.dashboard.national_withheld_reason IS 'Why the England and Wales value is withheld from you (too few forces contribute); NULL when shown';
COMMENT ON COLUMN da.dashboard.flag IS 'Funnel position, as validation''s funnel_99_8/funnel_95 findings: above 99.8%, above 95%, within, below 95%, below 99.8%. NULL when not placed on the funnel: not a territorial force, a side missing, denominator 0, a proportion with numerator > denominator, or the centre withheld';
COMMENT ON COLUMN da.dashboard.funnel_centre IS 'Centre of the funnel (England and Wales, territorial forces with both counts, impossible shares left out), indicator units; can differ slightly from national_value';
COMMENT ON COLUMN da.dashboard.lower_998 IS 'Lower 99.8% funnel limit at this force''s denominator, widened for over-dispersion when overdispersion_tau2 > 0 (as validation), indicator units';
COMMENT ON COLUMN da.dashboard.lower_95 IS 'Lower 95% funnel limit at this force''s denominator (as lower_998)';
COMMENT ON COLUMN da.dashboard.upper_95 IS 'Upper 95% funnel limit at this force''s denominator (as lower_998)';
COMMENT ON COLUMN da.dashboard.upper_998 IS 'Upper 99.8% funnel limit at this force''s denominator (as lower_998)';
COMMENT ON COLUMN da.dashboard.overdispersion_phi IS 'Over-dispersion of the forces about the centre: mean squared z-score, winsorised at the funnel_99_8 threshold percent (Spiegelhalter 2005); NULL when the threshold is NULL (exact limits), and for a force-limited role when fewer than funnel_min_forces forces contribute (then exact limits)';
COMMENT ON COLUMN da.dashboard.overdispersion_tau2 IS 'Between-force variance per unit (squared proportion or rate per unit) added to each force''s sampling variance to widen the limits; 0: exact limits used; NULL (exact limits) for a force-limited role when fewer than funnel_min_forces forces contribute';

CREATE VIEW da.marac WITH (security_invoker = true) AS
WITH m AS (
    SELECT r.force_id, r.period_start, r.period_end,
           bool_or(r.measure_id = 'marac_cases') AS has_cases_row,
           max(r.value) FILTER (WHERE r.measure_id = 'marac_cases') AS cases,
           max(r.value) FILTER (WHERE r.measure_id = 'marac_repeat_cases') AS repeat_cases,
           max(r.value) FILTER (WHERE r.measure_id = 'marac_children') AS children,
           bool_or(r.measure_id = 'adult_female_population') AS has_population_row,
           max(r.value) FILTER (WHERE r.measure_id = 'adult_female_population') AS adult_females
    FROM da.force_return r
    WHERE r.measure_id IN ('marac_cases', 'marac_repeat_cases', 'marac_children', 'adult_female_population')
    GROUP BY r.force_id, r.period_start, r.period_end
)
SELECT m.force_id, f.name AS force_name, m.period_start, m.period_end,
       da.period_label(m.period_start, m.period_end) AS period,
       m.cases, m.repeat_cases, m.children, m.adult_females,
       da.per_10k(m.cases, m.adult_females)::numeric(27,4) AS cases_per_10k,
       (CASE WHEN m.adult_females > 0 THEN da.rate_ci_lower(m.cases, m.adult_females, 10000) END)::numeric(27,4) AS cases_per_10k_lower,
       (CASE WHEN m.adult_females > 0 THEN da.rate_ci_upper(m.cases, m.adult_females, 10000) END)::numeric(27,4) AS cases_per_10k_upper,
       da.safelives_marac_expected()::numeric(27,4) AS safelives_expected,
       (da.per_10k(m.cases, m.adult_females) - da.safelives_marac_expected())::numeric(27,4) AS vs_expected,
       da.per_100(m.repeat_cases, m.cases)::numeric(25,4) AS repeat_rate,
       (CASE WHEN m.repeat_cases <= m.cases THEN da.wilson_ci_lower(m.repeat_cases, m.cases, 100) END)::numeric(25,4) AS repeat_rate_lower,
       (CASE WHEN m.repeat_cases <= m.cases THEN da.wilson_ci_upper(m.repeat_cases, m.cases, 100) END)::numeric(25,4) AS repeat_rate_upper,
       da.per_n(m.children, m.cases, 1)::numeric(23,4) AS children_per_case,
       CASE WHEN NOT m.has_cases_row THEN 'no MARAC case count returned'
            WHEN m.cases IS NULL THEN 'MARAC cases: unable to provide'
            WHEN f.kind = 'special' THEN 'force has no resident population'
            WHEN NOT m.has_population_row THEN 'no adult female population for this period'
            WHEN m.adult_females IS NULL THEN 'adult female population: unable to provide'
            WHEN m.adult_females = 0 THEN 'adult female population is 0'
       END AS rate_missing_reason,
       CASE WHEN m.repeat_cases > m.cases THEN 'repeat cases exceed cases' END AS repeat_problem
FROM m JOIN da.force f USING (force_id)
WHERE m.has_cases_row;
COMMENT ON VIEW da.marac IS
    'MARAC cases per 10,000 adult females (Poisson CI) against SafeLives'' 40, repeat rate (%, Wilson CI), children per case; rate_missing_reason says why a rate is NULL';
COMMENT ON COLUMN da.marac.force_id IS 'Force (da.force)';
COMMENT ON COLUMN da.marac.force_name IS 'Force name';
COMMENT ON COLUMN da.marac.period_start IS 'First day of the period';
COMMENT ON COLUMN da.marac.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.marac.period IS 'The period as reports name it';
COMMENT ON COLUMN da.marac.cases IS 'MARAC cases discussed, including repeats; NULL = unable to provide';
COMMENT ON COLUMN da.marac.repeat_cases IS 'Repeat MARAC cases';
COMMENT ON COLUMN da.marac.children IS 'Children in the households of MARAC cases';
COMMENT ON COLUMN da.marac.adult_females IS 'Adult (16+) female population covered';
COMMENT ON COLUMN da.marac.cases_per_10k IS 'Cases per 10,000 adult females, 4 decimals; NULL: see rate_missing_reason';
COMMENT ON COLUMN da.marac.cases_per_10k_lower IS 'Lower 95% limit of cases_per_10k (Byar, exact Poisson under 10 cases)';
COMMENT ON COLUMN da.marac.cases_per_10k_upper IS 'Upper 95% limit of cases_per_10k';
COMMENT ON COLUMN da.marac.safelives_expected IS 'SafeLives'' expected level, 40 cases per 10,000 adult females';
COMMENT ON COLUMN da.marac.vs_expected IS 'cases_per_10k - safelives_expected, per 10,000 adult females';
COMMENT ON COLUMN da.marac.repeat_rate IS 'Repeat cases as % of cases (above 100 only when repeats exceed cases: see repeat_problem)';
COMMENT ON COLUMN da.marac.repeat_rate_lower IS 'Lower 95% Wilson limit of repeat_rate; NULL when repeats exceed cases';
COMMENT ON COLUMN da.marac.repeat_rate_upper IS 'Upper 95% Wilson limit of repeat_rate; NULL when repeats exceed cases';
COMMENT ON COLUMN da.marac.children_per_case IS 'Children per MARAC case (ratio)';
COMMENT ON COLUMN da.marac.rate_missing_reason IS 'Why cases_per_10k is NULL; NULL when it is computed';
COMMENT ON COLUMN da.marac.repeat_problem IS 'Set when repeat cases exceed cases';

CREATE VIEW da.force_outcome_table WITH (security_invoker = true) AS
SELECT o.force_id, o.period_start, o.period_end, da.period_label(o.period_start, o.period_end) AS period,
       c.value AS da_crimes, t.code, t.label, t.group_name, t.n,
       t.pct_of_outcomes::numeric(25,4) AS pct_of_outcomes, t.per_100_offences::numeric(25,4) AS per_100_offences
FROM da.force_return_outcomes o
LEFT JOIN da.force_return c
       ON (c.force_id, c.period_start, c.period_end, c.measure_id) = (o.force_id, o.period_start, o.period_end, 'da_crimes')
CROSS JOIN LATERAL da.outcome_table(o.outcomes, c.value) t;
COMMENT ON VIEW da.force_outcome_table IS
    'Outcome table (count, % of outcomes, per 100 DA crimes of the same period) for every force and period with outcome counts';
COMMENT ON COLUMN da.force_outcome_table.force_id IS 'Force (da.force)';
COMMENT ON COLUMN da.force_outcome_table.period_start IS 'First day of the period';
COMMENT ON COLUMN da.force_outcome_table.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.force_outcome_table.period IS 'The period as reports name it';
COMMENT ON COLUMN da.force_outcome_table.da_crimes IS 'DA crimes recorded in the same period (the per-100 base); NULL = not returned';
COMMENT ON COLUMN da.force_outcome_table.code IS 'Outcome code (Home Office framework)';
COMMENT ON COLUMN da.force_outcome_table.label IS 'Outcome label';
COMMENT ON COLUMN da.force_outcome_table.group_name IS 'Home Office outcome group';
COMMENT ON COLUMN da.force_outcome_table.n IS 'Outcomes with this code recorded in the period';
COMMENT ON COLUMN da.force_outcome_table.pct_of_outcomes IS 'Share of all outcomes assigned (not-yet-assigned excluded), percent, 4 decimals';
COMMENT ON COLUMN da.force_outcome_table.per_100_offences IS 'Per 100 DA crimes recorded in the same period (outcomes are not tracked to their crimes), 4 decimals';

-- Owner's rights, as before: the national wrappers withhold what a force-limited role may not see.
CREATE VIEW da.national_totals AS
SELECT p.measure_id, p.period_start, p.period_end, da.period_label(p.period_start, p.period_end) AS period,
       t.value::bigint AS value, t.forces_included::bigint AS forces_included,
       t.forces_expected::bigint AS forces_expected, t.forces_left_out, t.withheld_reason,
       array_to_string(t.forces_left_out, ', ') AS forces_left_out_list
FROM (SELECT DISTINCT r.measure_id, r.period_start, r.period_end
      FROM da.force_return r JOIN da.force f USING (force_id) WHERE f.in_national_total) p,
     LATERAL da.national_total(p.measure_id, p.period_start, p.period_end) t;
COMMENT ON VIEW da.national_totals IS
    'England and Wales totals of every measure and period present (BTP and aggregates excluded), forces included and left out';
COMMENT ON COLUMN da.national_totals.measure_id IS 'Measure (da.measure)';
COMMENT ON COLUMN da.national_totals.period_start IS 'First day of the period';
COMMENT ON COLUMN da.national_totals.period_end IS 'Last day of the period';
COMMENT ON COLUMN da.national_totals.period IS 'The period as reports name it';
COMMENT ON COLUMN da.national_totals.value IS 'Sum over the forces in the national total that provided the measure; NULL when withheld';
COMMENT ON COLUMN da.national_totals.forces_included IS 'Forces that provided the measure';
COMMENT ON COLUMN da.national_totals.forces_expected IS 'Forces in the national total';
COMMENT ON COLUMN da.national_totals.forces_left_out IS 'Names of the forces left out (no row, or unable to provide), as an array';
COMMENT ON COLUMN da.national_totals.withheld_reason IS 'Why value is withheld from you (too few forces contribute); NULL when shown';
COMMENT ON COLUMN da.national_totals.forces_left_out_list IS 'forces_left_out as text, names separated by ", " ('''' when none), for tools that cannot read arrays';

-- The privileges they had before the drop.
DO $acl$
DECLARE
    v text;
    g record;
BEGIN
    FOREACH v IN ARRAY ARRAY['dashboard', 'marac', 'force_outcome_table', 'national_totals'] LOOP
        FOR g IN
            SELECT a.grantee, a.privilege_type, a.is_grantable
            FROM pg_catalog.aclexplode(NULLIF(pg_catalog.current_setting('da.bi_views_acl_' OPERATOR(pg_catalog.||) v, true), '')::pg_catalog.aclitem[]) a
            JOIN pg_catalog.pg_class c ON c.relname OPERATOR(pg_catalog.=) v
                                      AND c.relnamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace
            WHERE a.grantee OPERATOR(pg_catalog.<>) c.relowner
        LOOP
            EXECUTE pg_catalog.format('GRANT %s ON da.%I TO %s%s', g.privilege_type, v,
                                      CASE WHEN g.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                           ELSE pg_catalog.quote_ident(g.grantee::pg_catalog.regrole::text) END,
                                      CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
        END LOOP;
    END LOOP;
END
$acl$;
