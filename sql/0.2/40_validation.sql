-------------------------------------------------------------------------------
-- Validation before publication: funnel-plot outliers, consistency rules, year-on-year
-- jumps (HMICFRS Annex A: "checked and queried with those forces where data was notably
-- different from that of other forces or was internally inconsistent").
-------------------------------------------------------------------------------

CREATE FUNCTION da.funnel_prop_limits(denominator double precision, baseline double precision,
                                      level double precision DEFAULT 0.998)
    RETURNS da.conf_interval
    AS 'MODULE_PATHNAME', 'ds_funnel_prop_limits' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.funnel_prop_limits(double precision, double precision, double precision) IS
    'Funnel-plot control limits for a proportion at this denominator around the baseline proportion (p0 -/+ z sqrt(p0(1-p0)/n), clipped to [0,1])';

CREATE FUNCTION da.funnel_prop_flag(numerator double precision, denominator double precision,
                                    baseline double precision)
    RETURNS text
    AS 'MODULE_PATHNAME', 'ds_funnel_prop_flag' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.funnel_prop_flag(double precision, double precision, double precision) IS
    'High (99.8%) | High (95%) | Not significant | Low (95%) | Low (99.8%): a proportion against the baseline proportion';

CREATE FUNCTION da.funnel_ratio_flag(observed bigint, expected double precision)
    RETURNS text
    AS 'MODULE_PATHNAME', 'ds_funnel_ratio_flag' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.funnel_ratio_flag(bigint, double precision) IS
    'Observed count against an expected count, exact Poisson: High (99.8%) | High (95%) | Not significant | Low (95%) | Low (99.8%)';

CREATE FUNCTION da.funnel_rate_flag(numerator bigint, denominator double precision,
                                    baseline_rate double precision)
    RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN da.funnel_ratio_flag(numerator, baseline_rate * denominator);
COMMENT ON FUNCTION da.funnel_rate_flag(bigint, double precision, double precision) IS
    'A rate numerator/denominator against a baseline rate (events per unit of denominator), exact Poisson';

-- Published-figure cross-check: does a stated percent change agree with the two stated values?
CREATE FUNCTION da.check_published_change(old_value numeric, new_value numeric, stated_pct numeric,
                                          digits integer DEFAULT 0,
                                          OUT computed_pct numeric, OUT rounded_pct numeric,
                                          OUT stated numeric, OUT agrees boolean)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT c, round(c, digits), stated_pct, round(c, digits) = stated_pct
          FROM (SELECT da.pct_change(old_value, new_value) AS c) v $$;
COMMENT ON FUNCTION da.check_published_change(numeric, numeric, numeric, integer) IS
    'Recompute a published percent change from its two values and say whether it agrees after rounding';

-- The rules. Shipped defaults live in da.validation_rule_default (part of the extension);
-- a user's tuning lives in da.validation_rule_setting (kept by pg_dump). Users read and
-- UPDATE the combined view da.validation_rule; an UPDATE is stored as a setting, so an
-- upgrade can change the defaults without overwriting anyone's tuning.
CREATE TABLE da.validation_rule_default (
    rule        text PRIMARY KEY,
    severity    text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    threshold   numeric,
    description text NOT NULL
);
INSERT INTO da.validation_rule_default VALUES
 ('rejected_row',           'error',   NULL, 'A row of the period was rejected at ingest (negative, not a whole number, unknown force or measure, ...)'),
 ('part_exceeds_total',     'error',   NULL, 'A part is larger than its total (e.g. DA crimes > all crime, DVPOs granted > applied for)'),
 ('missing_vs_year_earlier','warning', NULL, 'A measure the force returned a year earlier is missing or marked unable to provide'),
 ('count_jump',             'warning', 50,   'A count changed by more than threshold percent on the same period a year earlier'),
 ('rate_jump',              'warning', 15,   'An indicator rate changed by more than threshold points (per its "per") on a year earlier'),
 ('funnel_99_8',            'warning', NULL, 'An indicator is outside the 99.8% funnel limits around the England and Wales value'),
 ('funnel_95',              'info',    NULL, 'An indicator is outside the 95% (but inside the 99.8%) funnel limits'),
 ('rate_not_computable',    'warning', NULL, 'An indicator numerator was returned but its denominator is missing or zero');

CREATE TABLE da.validation_rule_setting (
    rule      text PRIMARY KEY REFERENCES da.validation_rule_default ON DELETE CASCADE,
    severity  text CHECK (severity IN ('error', 'warning', 'info')),
    threshold numeric,
    enabled   boolean NOT NULL DEFAULT true
);
SELECT pg_catalog.pg_extension_config_dump('da.validation_rule_setting', '');

CREATE VIEW da.validation_rule AS
SELECT d.rule, coalesce(s.severity, d.severity) AS severity, coalesce(s.threshold, d.threshold) AS threshold,
       coalesce(s.enabled, true) AS enabled, d.description
FROM da.validation_rule_default d LEFT JOIN da.validation_rule_setting s USING (rule);
COMMENT ON VIEW da.validation_rule IS
    'The validation rules in force: UPDATE severity, threshold or enabled here to tune them (stored in da.validation_rule_setting)';

CREATE FUNCTION da.validation_rule_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.rule IS DISTINCT FROM OLD.rule OR NEW.description IS DISTINCT FROM OLD.description THEN
        RAISE EXCEPTION 'only severity, threshold and enabled of a validation rule can be changed'
            USING ERRCODE = 'feature_not_supported';
    END IF;
    INSERT INTO da.validation_rule_setting AS s (rule, severity, threshold, enabled)
    VALUES (NEW.rule, NEW.severity, NEW.threshold, NEW.enabled)
    ON CONFLICT (rule) DO UPDATE SET severity = EXCLUDED.severity, threshold = EXCLUDED.threshold,
                                     enabled = EXCLUDED.enabled;
    RETURN NEW;
END $$;
CREATE TRIGGER validation_rule_update INSTEAD OF UPDATE ON da.validation_rule
    FOR EACH ROW EXECUTE FUNCTION da.validation_rule_update();

CREATE TYPE da.validation_finding_row AS (
    force_id text, measure_id text, rule text, severity text, observed numeric,
    expected_or_limit numeric, message text);

CREATE FUNCTION da.validate_returns(period_end date)
    RETURNS SETOF da.validation_finding_row
    LANGUAGE sql STABLE
AS $$
WITH rules AS (SELECT * FROM da.validation_rule WHERE enabled),
cur AS (
    SELECT r.* FROM da.force_return r WHERE r.period_end = validate_returns.period_end
),
prev AS (
    SELECT r.* FROM da.force_return r WHERE r.period_end = da.year_earlier_end(validate_returns.period_end)
),
ind AS (
    SELECT ii.*, i.per, i.ci_method, i.label, coalesce(i.numerator_measure, 'outcome_' || i.numerator_outcome) AS num_name
    FROM da.indicator_input ii JOIN da.indicator i USING (indicator_id)
    WHERE ii.period_end IN (validate_returns.period_end, da.year_earlier_end(validate_returns.period_end))
),
ind_cur AS (SELECT * FROM ind WHERE period_end = validate_returns.period_end),
baseline AS (
    SELECT c.indicator_id, sum(c.numerator)::float8 AS bx, sum(c.denominator)::float8 AS bn
    FROM ind_cur c JOIN da.force f USING (force_id)
    WHERE f.in_national_total AND f.kind = 'territorial' AND c.numerator IS NOT NULL AND c.denominator > 0
    GROUP BY c.indicator_id
),
flagged AS (
    SELECT c.*, b.bx / b.bn AS p0,
           CASE WHEN c.ci_method = 'wilson' AND c.numerator <= c.denominator
                THEN da.funnel_prop_flag(c.numerator, c.denominator, b.bx / b.bn)
                WHEN c.ci_method = 'poisson'
                THEN da.funnel_rate_flag(c.numerator, c.denominator, b.bx / b.bn) END AS flag
    FROM ind_cur c JOIN baseline b USING (indicator_id) JOIN da.force f USING (force_id)
    WHERE f.kind = 'territorial' AND c.numerator IS NOT NULL AND c.denominator > 0 AND b.bn > 0
),
findings AS (
    -- Rows rejected at ingest for this period (negative, non-integer, unknown force, ...).
    SELECT x.force, x.measure, 'rejected_row'::text AS rule, NULL::numeric AS observed, NULL::numeric AS expected,
           format('Line %s of load %s (%s, %s = %s) was rejected: %s. Please send a corrected figure.',
                  x.line_no, x.load_id, x.force, x.measure, coalesce(x.value, 'empty'), x.reason) AS message
    FROM da.rejected_return x WHERE x.period_end = to_char(validate_returns.period_end, 'YYYY-MM-DD')
    UNION ALL
    SELECT c.force_id, c.measure_id, 'part_exceeds_total', c.value, t.value,
           format('%s (%s) is larger than its total %s (%s) for the period ending %s; a part cannot exceed its total.',
                  c.measure_id, c.value, t.measure_id, t.value, c.period_end)
    FROM cur c JOIN da.measure m USING (measure_id)
    JOIN cur t ON t.force_id = c.force_id AND t.period_start = c.period_start AND t.measure_id = m.parent_measure
    WHERE c.value > t.value
    UNION ALL
    SELECT p.force_id, p.measure_id, 'missing_vs_year_earlier', NULL, p.value,
           format('%s was returned for the period ending %s (%s) but is %s for the period ending %s.',
                  p.measure_id, p.period_end, p.value,
                  CASE WHEN c.force_id IS NULL THEN 'missing' ELSE 'marked unable to provide' END,
                  validate_returns.period_end)
    FROM prev p
    LEFT JOIN cur c ON c.force_id = p.force_id AND c.measure_id = p.measure_id
    WHERE p.value IS NOT NULL AND (c.force_id IS NULL OR c.value IS NULL)
    UNION ALL
    SELECT c.force_id, c.measure_id, 'count_jump', round(da.pct_change(p.value, c.value), 1), r.threshold,
           format('%s changed by %s%% on a year earlier (%s to %s), beyond the %s%% that triggers a query.',
                  c.measure_id, round(da.pct_change(p.value, c.value), 1), p.value, c.value, r.threshold)
    FROM cur c JOIN prev p ON p.force_id = c.force_id AND p.measure_id = c.measure_id
    JOIN rules r ON r.rule = 'count_jump'
    WHERE p.value > 0 AND abs(da.pct_change(p.value, c.value)) > r.threshold
    UNION ALL
    SELECT c.force_id, c.num_name, 'rate_jump', round(da.pp_change(da.per_n(p.numerator, p.denominator, c.per),
                                                             da.per_n(c.numerator, c.denominator, c.per)), 1),
           r.threshold,
           format('%s moved from %s to %s on a year earlier, more than %s points.', c.label,
                  round(da.per_n(p.numerator, p.denominator, c.per), 1), round(da.per_n(c.numerator, c.denominator, c.per), 1),
                  r.threshold)
    FROM ind_cur c JOIN ind p ON p.indicator_id = c.indicator_id AND p.force_id = c.force_id
                             AND p.period_end = da.year_earlier_end(c.period_end)
    JOIN rules r ON r.rule = 'rate_jump'
    WHERE c.denominator > 0 AND p.denominator > 0
      AND abs(da.per_n(c.numerator, c.denominator, c.per) - da.per_n(p.numerator, p.denominator, c.per)) > r.threshold
    UNION ALL
    SELECT f.force_id, f.num_name,
           CASE WHEN f.flag LIKE '%99.8%' THEN 'funnel_99_8' ELSE 'funnel_95' END,
           round(da.per_n(f.numerator, f.denominator, f.per), 2), round((f.p0 * f.per)::numeric, 2),
           format('%s is %s per %s against %s for England and Wales: %s, outside the %s funnel limits.',
                  f.label, round(da.per_n(f.numerator, f.denominator, f.per), 1), f.per,
                  round((f.p0 * f.per)::numeric, 1), lower(f.flag),
                  CASE WHEN f.flag LIKE '%99.8%' THEN '99.8%' ELSE '95%' END)
    FROM flagged f WHERE f.flag <> 'Not significant'
    UNION ALL
    SELECT c.force_id, c.num_name, 'rate_not_computable', c.numerator, c.denominator,
           format('%s cannot be computed: the numerator (%s) was returned but the denominator is %s.',
                  c.label, c.numerator, CASE WHEN c.denominator IS NULL THEN 'missing' ELSE 'zero' END)
    FROM ind_cur c WHERE c.numerator IS NOT NULL AND coalesce(c.denominator, 0) = 0
)
SELECT f.force, f.measure, f.rule, r.severity, f.observed, f.expected, f.message
FROM findings f JOIN rules r USING (rule)
ORDER BY CASE r.severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, f.force, f.measure, f.rule
$$;
COMMENT ON FUNCTION da.validate_returns(date) IS
    'Findings for the returns of the period ending on that date: one row per force, measure and rule broken, with severity and a sentence to send to the force';

-- Unattended runs (pg_cron): findings appended with a run id and timestamp.
CREATE TABLE da.validation_finding (
    run_id            bigint NOT NULL,
    run_at            timestamptz NOT NULL DEFAULT now(),
    period_end        date NOT NULL,
    force_id          text,
    measure_id        text,
    rule              text NOT NULL,
    severity          text NOT NULL,
    observed          numeric,
    expected_or_limit numeric,
    message           text NOT NULL
);
CREATE SEQUENCE da.validation_run_seq;
SELECT pg_catalog.pg_extension_config_dump('da.validation_finding', '');
SELECT pg_catalog.pg_extension_config_dump('da.validation_run_seq', '');

CREATE FUNCTION da.run_validation(period_end date DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql
AS $$
DECLARE
    v_run bigint := nextval('da.validation_run_seq');
    v_period date := coalesce(period_end, (SELECT max(r.period_end) FROM da.force_return r));
BEGIN
    IF v_period IS NULL THEN
        RETURN v_run;           -- nothing loaded yet: an empty run
    END IF;
    INSERT INTO da.validation_finding (run_id, period_end, force_id, measure_id, rule, severity,
                                       observed, expected_or_limit, message)
    SELECT v_run, v_period, v.* FROM da.validate_returns(v_period) v;
    RETURN v_run;
END
$$;
COMMENT ON FUNCTION da.run_validation(date) IS
    'Validate a period (default: the latest loaded) and append the findings to da.validation_finding; returns the run id. Schedule with cron.schedule(''da-validate'', ''30 2 * * *'', ''SELECT da.run_validation()'')';
