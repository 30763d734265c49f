-------------------------------------------------------------------------------
-- Validation before publication: funnel-plot outliers, consistency rules, year-on-year
-- jumps (HMICFRS Annex A: "checked and queried with those forces where data was notably
-- different from that of other forces or was internally inconsistent").
-------------------------------------------------------------------------------

-- Funnel plots (src/funnel.c). Limits are the control limits at one denominator (draw them
-- across the range of denominators for the plot); the flags classify one unit at 95% and 99.8%.
CREATE FUNCTION da.funnel_prop_limits(denominator double precision, baseline double precision,
                                      level double precision DEFAULT 0.998)
    RETURNS da.conf_interval
    AS 'MODULE_PATHNAME', 'ds_funnel_prop_limits' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.funnel_prop_limits(double precision, double precision, double precision) IS
    'Funnel-plot control limits for a proportion at this denominator around the baseline proportion: p0 -/+ z sqrt(p0(1-p0)/n), clipped to [0, 1] (the shares whose Wilson interval ends on p0)';

CREATE FUNCTION da.funnel_ratio_limits(expected double precision, level double precision DEFAULT 0.998)
    RETURNS da.conf_interval
    AS 'MODULE_PATHNAME', 'ds_funnel_ratio_limits' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.funnel_ratio_limits(double precision, double precision) IS
    'Funnel-plot control limits for the ratio observed/expected at this expected count, exact Poisson (multiply by 100 for an indirectly standardised ratio)';

CREATE FUNCTION da.funnel_rate_limits(population double precision, baseline_rate double precision,
                                      per bigint DEFAULT 1, level double precision DEFAULT 0.998)
    RETURNS da.conf_interval
    AS 'MODULE_PATHNAME', 'ds_funnel_rate_limits' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.funnel_rate_limits(double precision, double precision, bigint, double precision) IS
    'Funnel-plot control limits for a rate per "per" at this population (denominator) around the baseline rate (per "per"), exact Poisson';

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
                                    baseline_rate double precision, per bigint DEFAULT 1)
    RETURNS text
    AS 'MODULE_PATHNAME', 'ds_funnel_rate_flag' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.funnel_rate_flag(bigint, double precision, double precision, bigint) IS
    'A rate numerator/denominator against a baseline rate per "per" (default 1: events per unit of denominator), exact Poisson';

CREATE FUNCTION da.funnel_flag(numerator double precision, denominator double precision,
                               baseline_numerator double precision, baseline_denominator double precision,
                               kind text DEFAULT 'proportion')
    RETURNS text
    AS 'MODULE_PATHNAME', 'ds_funnel_flag' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.funnel_flag(double precision, double precision, double precision, double precision, text) IS
    'One unit against the baseline baseline_numerator/baseline_denominator (e.g. sum(x) OVER (), sum(n) OVER ()); kind proportion (score limits), rate or ratio (exact Poisson)';

-- Published-figure cross-check: does a stated percent change agree with the two stated values?
CREATE FUNCTION da.check_published_change(old_value numeric, new_value numeric, stated_pct numeric,
                                          digits integer DEFAULT 0,
                                          OUT computed_pct numeric, OUT rounded_pct numeric,
                                          OUT stated numeric, OUT agrees boolean, OUT phrase text)
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT c, round(c, digits), stated_pct, round(c, digits) = stated_pct,
                 da.pct_change_phrase(old_value, new_value, digits)
          FROM (SELECT da.pct_change(old_value, new_value) AS c) v $$;
COMMENT ON FUNCTION da.check_published_change(numeric, numeric, numeric, integer) IS
    'Recompute a published percent change from its two values and say whether it agrees with the stated one after rounding to digits';

-- A number as the reports print it: thousands separated by commas, digits decimals.
CREATE FUNCTION da.format_number(value numeric, digits integer DEFAULT 0) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN to_char(round(value, greatest(digits, 0)),
                   'FM999,999,999,999,999,999,999,990' || CASE WHEN digits > 0 THEN '.' || repeat('0', digits) ELSE '' END);
COMMENT ON FUNCTION da.format_number(numeric, integer) IS
    'A number with thousands separated by commas and digits decimals (1,234,567; 85.0), as in the findings'' messages';

-- A measure's description without a trailing remark in brackets, for messages:
-- 'Domestic abuse related crimes (all offences flagged DA)' -> 'Domestic abuse related crimes'.
CREATE FUNCTION da.measure_name(description text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN coalesce(nullif(regexp_replace(description, '\s*\([^()]*\)\s*$', ''), ''), description);

-------------------------------------------------------------------------------
-- Validation rules
-------------------------------------------------------------------------------

-- Shipped defaults live in da.validation_rule_default (part of the extension); a user's tuning
-- of them lives in da.validation_rule_setting and the user's own rules in
-- da.validation_rule_custom (both kept by pg_dump). Users read and change the combined view
-- da.validation_rule: an UPDATE of a built-in rule is stored as a setting (only what differs
-- from the default), so an upgrade can change the defaults without overwriting anyone's
-- tuning; an INSERT adds a rule of one's own, given as a query.
CREATE TABLE da.validation_rule_default (
    rule        text PRIMARY KEY,
    severity    text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    threshold   numeric,
    description text NOT NULL
);
INSERT INTO da.validation_rule_default VALUES
 ('rejected_row',           'error',   NULL, 'A row of the period was rejected at ingest (negative, not a whole number, unknown force or measure, ...) and no later load replaced it'),
 ('part_exceeds_total',     'error',   NULL, 'A part is larger than its total (da.measure.parent_measure: DA crimes > all crime, DVPOs granted > applied for, ...)'),
 ('force_missing',          'warning', NULL, 'A force that returned the same period a year earlier returned nothing for it'),
 ('missing_vs_year_earlier','warning', NULL, 'A measure the force returned for the same period a year earlier is missing or marked unable to provide'),
 ('count_jump',             'warning', 50,   'A count changed by more than threshold percent on the same period a year earlier (or from 0), beyond chance: exact Poisson test p < 0.002'),
 ('rate_jump',              'warning', 15,   'An indicator changed by more than threshold points (in its own units) on a year earlier, beyond chance: exact Poisson test p < 0.002'),
 ('funnel_99_8',            'warning', 10,   'An indicator is outside the 99.8% funnel limits around the England and Wales value, widened for over-dispersion between forces (threshold: winsorising percent, 0-49; NULL: exact limits, no widening)'),
 ('funnel_95',              'info',    NULL, 'An indicator is outside the 95% (but inside the 99.8%) funnel limits, widened as for funnel_99_8'),
 ('rate_not_computable',    'warning', NULL, 'An indicator numerator was returned but its denominator is missing or zero');

CREATE TABLE da.validation_rule_setting (
    rule          text PRIMARY KEY REFERENCES da.validation_rule_default ON DELETE CASCADE,
    severity      text CHECK (severity IN ('error', 'warning', 'info')),   -- NULL: the default
    threshold     numeric,
    threshold_set boolean NOT NULL DEFAULT false,                           -- false: the default threshold
    enabled       boolean NOT NULL DEFAULT true
);
SELECT pg_catalog.pg_extension_config_dump('da.validation_rule_setting', '');

-- A rule of one's own: query is a SELECT that gets the period end as $1 (date) and the rule's
-- threshold as $2 (numeric) and returns the columns force_id, measure_id, observed,
-- expected_or_limit and message (one row per finding).
CREATE TABLE da.validation_rule_custom (
    rule        text PRIMARY KEY CHECK (rule ~ '^[a-z][a-z0-9_]*$'),
    severity    text NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
    threshold   numeric,
    enabled     boolean NOT NULL DEFAULT true,
    description text NOT NULL,
    query       text NOT NULL
);
SELECT pg_catalog.pg_extension_config_dump('da.validation_rule_custom', '');

CREATE VIEW da.validation_rule AS
SELECT d.rule, coalesce(s.severity, d.severity) AS severity,
       CASE WHEN s.threshold_set THEN s.threshold ELSE d.threshold END AS threshold,
       coalesce(s.enabled, true) AS enabled, d.description, NULL::text AS query, true AS builtin
FROM da.validation_rule_default d LEFT JOIN da.validation_rule_setting s USING (rule)
UNION ALL
SELECT c.rule, c.severity, c.threshold, c.enabled, c.description, c.query, false
FROM da.validation_rule_custom c;
COMMENT ON VIEW da.validation_rule IS
    'The validation rules in force. UPDATE severity, threshold or enabled to tune a rule; INSERT (rule, severity, threshold, description, query) to add one; DELETE removes only your own';

-- A user rule's query must run and give the five columns (checked without running it for real).
CREATE FUNCTION da.validation_check_query(query text) RETURNS text
    LANGUAGE plpgsql AS $$
DECLARE
    v_query text := regexp_replace(query, '[\s;]+$', '');
BEGIN
    IF v_query IS NULL OR btrim(v_query) = '' THEN
        RAISE EXCEPTION 'a validation rule needs a query' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    BEGIN
        EXECUTE format('SELECT q.force_id::text, q.measure_id::text, q.observed::numeric, '
                       'q.expected_or_limit::numeric, q.message::text FROM (%s) q LIMIT 0', v_query)
            USING NULL::date, NULL::numeric;
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION 'the validation rule''s query does not work: %', SQLERRM
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'The query gets the period end as $1 (date) and the threshold as $2 (numeric) and must return '
                         'force_id, measure_id, observed, expected_or_limit and message.';
    END;
    RETURN v_query;
END $$;

CREATE FUNCTION da.validation_rule_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    d da.validation_rule_default;
BEGIN
    IF TG_OP <> 'DELETE' AND NEW.severity IS NOT NULL AND NEW.severity NOT IN ('error', 'warning', 'info') THEN
        RAISE EXCEPTION 'severity must be error, warning or info, not "%"', NEW.severity
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM da.validation_rule_default x WHERE x.rule = NEW.rule) THEN
            RAISE EXCEPTION 'validation rule "%" is built in', NEW.rule
                USING ERRCODE = 'unique_violation', HINT = 'UPDATE it to change its severity, threshold or enabled.';
        END IF;
        INSERT INTO da.validation_rule_custom (rule, severity, threshold, enabled, description, query)
        VALUES (NEW.rule, coalesce(NEW.severity, 'warning'), NEW.threshold, coalesce(NEW.enabled, true),
                coalesce(NEW.description, NEW.rule), da.validation_check_query(NEW.query));
        RETURN NEW;
    END IF;

    IF TG_OP = 'DELETE' THEN
        IF OLD.builtin THEN
            RAISE EXCEPTION 'built-in validation rule "%" cannot be deleted', OLD.rule
                USING ERRCODE = 'feature_not_supported', HINT = 'SET enabled = false to switch it off.';
        END IF;
        DELETE FROM da.validation_rule_custom c WHERE c.rule = OLD.rule;
        RETURN OLD;
    END IF;

    -- UPDATE
    IF NEW.builtin IS DISTINCT FROM OLD.builtin THEN
        RAISE EXCEPTION 'builtin cannot be changed' USING ERRCODE = 'feature_not_supported';
    END IF;
    IF OLD.builtin THEN
        IF NEW.rule IS DISTINCT FROM OLD.rule OR NEW.description IS DISTINCT FROM OLD.description
           OR NEW.query IS DISTINCT FROM OLD.query THEN
            RAISE EXCEPTION 'only severity, threshold and enabled of a built-in validation rule can be changed'
                USING ERRCODE = 'feature_not_supported';
        END IF;
        SELECT * INTO d FROM da.validation_rule_default x WHERE x.rule = OLD.rule;
        IF OLD.rule = 'funnel_99_8' AND NEW.threshold IS NOT NULL AND NOT (NEW.threshold >= 0 AND NEW.threshold < 50) THEN
            RAISE EXCEPTION 'the threshold of funnel_99_8 is the winsorising percent, 0 to 49 (NULL: exact limits, no widening)'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF OLD.rule IN ('count_jump', 'rate_jump') AND NEW.threshold < 0 THEN
            RAISE EXCEPTION 'the threshold of % must not be negative', OLD.rule USING ERRCODE = 'invalid_parameter_value';
        END IF;
        -- Keep only what differs from the shipped default (severity NULL: back to the default).
        INSERT INTO da.validation_rule_setting AS s (rule, severity, threshold, threshold_set, enabled)
        VALUES (OLD.rule, nullif(NEW.severity, d.severity),
                CASE WHEN NEW.threshold IS DISTINCT FROM d.threshold THEN NEW.threshold END,
                NEW.threshold IS DISTINCT FROM d.threshold, coalesce(NEW.enabled, true))
        ON CONFLICT (rule) DO UPDATE SET severity = EXCLUDED.severity, threshold = EXCLUDED.threshold,
                                         threshold_set = EXCLUDED.threshold_set, enabled = EXCLUDED.enabled;
        DELETE FROM da.validation_rule_setting s
        WHERE s.rule = OLD.rule AND s.severity IS NULL AND NOT s.threshold_set AND s.enabled;
    ELSE
        UPDATE da.validation_rule_custom c
           SET rule = NEW.rule, severity = NEW.severity, threshold = NEW.threshold, enabled = coalesce(NEW.enabled, true),
               description = NEW.description,
               query = CASE WHEN NEW.query IS DISTINCT FROM OLD.query THEN da.validation_check_query(NEW.query) ELSE c.query END
         WHERE c.rule = OLD.rule;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER validation_rule_change INSTEAD OF INSERT OR UPDATE OR DELETE ON da.validation_rule
    FOR EACH ROW EXECUTE FUNCTION da.validation_rule_change();

-- Everybody may read the rules (configuration, no force data); changing them takes the
-- privileges on the tables behind the view (the extension owner's, unless granted).
GRANT SELECT ON da.validation_rule, da.validation_rule_default, da.validation_rule_setting,
                da.validation_rule_custom TO PUBLIC;

-------------------------------------------------------------------------------
-- Validating a period
-------------------------------------------------------------------------------

CREATE TYPE da.validation_finding_row AS (
    force_id text, measure_id text, rule text, severity text, observed numeric,
    expected_or_limit numeric, message text);

-- da.indicator_input for the periods ending on one date, read through the index on period_end
-- (the view itself joins whole tables). Caller's rights: row-level security applies.
CREATE FUNCTION da.indicator_values(period_end date)
    RETURNS TABLE (indicator_id text, force_id text, period_start date, period_end date,
                   numerator bigint, denominator bigint)
    LANGUAGE sql STABLE STRICT
AS $$
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
LEFT JOIN o ON i.numerator_outcome IS NOT NULL AND (o.force_id, o.period_start) = (k.force_id, k.period_start)
$$;
COMMENT ON FUNCTION da.indicator_values(date) IS
    'The rows of da.indicator_input for the periods ending on that date (numerator and denominator of each indicator, force and period)';

-- The centre of each indicator's funnel for the periods ending on a date (one row per indicator
-- and period start): England and Wales numerator and denominator, summed over the territorial
-- forces in the national total with both sides present, leaving out impossible shares (part >
-- whole: errors, not comparators). And the over-dispersion between those forces
-- (Spiegelhalter, "Handling over-dispersion of performance indicators", Qual Saf Health Care
-- 2005): each force's z-score (y - theta) / s, with y = numerator / denominator, theta the
-- centre and s = sqrt(theta (1 - theta) / n) for a proportion ('wilson' indicators) or
-- sqrt(theta / n) for a rate, winsorised at the winsor percent in each tail, gives
-- phi = mean(z^2); when I phi > I - 1 (I forces, at least 3), the between-force variance is
-- tau2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w), w = 1 / s^2, else 0. Limits widened to
-- theta -/+ z sqrt(s^2 + tau2) then leave only forces that differ by more than forces usually
-- do. winsor NULL: phi and tau2 NULL (no widening). Owner's rights: the centre and the spread
-- do not depend on which forces the caller may see (only sums leave the function).
CREATE FUNCTION da.funnel_baseline(period_end date, winsor numeric DEFAULT 10)
    RETURNS TABLE (indicator_id text, period_start date, numerator numeric, denominator numeric,
                   forces integer, phi double precision, tau2 double precision)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH units AS MATERIALIZED (
        SELECT v.indicator_id, v.period_start, v.numerator, v.denominator, i.ci_method
        FROM da.indicator_values(funnel_baseline.period_end) v
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
        WHERE x.s > 0 AND funnel_baseline.winsor IS NOT NULL
    ), q AS (
        SELECT z.indicator_id, z.period_start, count(*) AS units,
               percentile_cont(funnel_baseline.winsor::float8 / 100) WITHIN GROUP (ORDER BY z.z) AS zlo,
               percentile_cont(1 - funnel_baseline.winsor::float8 / 100) WITHIN GROUP (ORDER BY z.z) AS zhi,
               sum(1 / (z.s * z.s)) AS sw, sum(1 / (z.s * z.s * z.s * z.s)) AS sw2
        FROM z GROUP BY z.indicator_id, z.period_start
    ), d AS (
        SELECT q.indicator_id, q.period_start, q.units, q.sw, q.sw2,
               (SELECT avg(power(greatest(least(z.z, q.zhi), q.zlo), 2)) FROM z
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
END;
COMMENT ON FUNCTION da.funnel_baseline(date, numeric) IS
    'Funnel centre (England and Wales sums over territorial forces in the national total, BTP never) and between-force over-dispersion (phi, tau2; Spiegelhalter 2005, winsorised at winsor %) of each indicator for the periods ending on that date';

-- The built-in rules over da.force_return / da.indicator_input (all but rejected rows).
-- Internal to da.validate_returns; the funnel centre comes from da.funnel_baseline.
CREATE FUNCTION da.validate_builtin(period_end date)
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
-- Forces that can be placed on each indicator's funnel, with the centre theta, their value y
-- (both per unit), the standard error s of y under the centre (binomial or Poisson) and the
-- between-force variance tau2 (da.funnel_baseline; winsorised at the funnel_99_8 threshold
-- percent; threshold NULL: no widening, the exact limits of the PHE method).
funnel_z AS (
    SELECT c.*, b.numerator AS bx, b.denominator AS bn, coalesce(b.tau2, 0) AS tau2, v.theta, v.y,
           sqrt(CASE WHEN c.ci_method = 'wilson' THEN v.theta * (1 - v.theta) ELSE v.theta END / c.denominator) AS s
    FROM ind_cur c
    JOIN da.funnel_baseline($1, (SELECT r.threshold FROM da.validation_rule r WHERE r.rule = 'funnel_99_8')) b
      ON b.indicator_id = c.indicator_id AND b.period_start = c.period_start
    JOIN da.force f ON f.force_id = c.force_id
    CROSS JOIN LATERAL (SELECT (b.numerator / b.denominator)::float8 AS theta,
                               c.numerator::float8 / c.denominator AS y) v
    WHERE f.kind = 'territorial' AND c.numerator IS NOT NULL AND c.denominator > 0
      AND (c.ci_method <> 'wilson' OR c.numerator <= c.denominator)
      AND EXISTS (SELECT 1 FROM rules r WHERE r.rule IN ('funnel_99_8', 'funnel_95'))
),
funnel AS MATERIALIZED (
    SELECT z.*, g.flag, CASE WHEN g.flag LIKE '%99.8%' THEN 0.998 ELSE 0.95 END AS level
    FROM funnel_z z
    CROSS JOIN LATERAL (SELECT sqrt(z.s * z.s + z.tau2) AS sd) w
    CROSS JOIN LATERAL (
        SELECT CASE WHEN z.tau2 > 0 THEN
                    CASE WHEN z.y - z.theta > 3.090232306167813 * w.sd THEN 'High (99.8%)'
                         WHEN z.theta - z.y > 3.090232306167813 * w.sd THEN 'Low (99.8%)'
                         WHEN z.y - z.theta > 1.959963984540054 * w.sd THEN 'High (95%)'
                         WHEN z.theta - z.y > 1.959963984540054 * w.sd THEN 'Low (95%)'
                         ELSE 'Not significant' END
               ELSE da.funnel_flag(z.numerator, z.denominator, z.bx, z.bn,
                                   CASE z.ci_method WHEN 'wilson' THEN 'proportion' ELSE 'rate' END) END AS flag) g
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
                  CASE WHEN f.flag LIKE 'High%' THEN 'above' ELSE 'below' END,
                  CASE f.level WHEN 0.998 THEN '99.8%' ELSE '95%' END,
                  da.format_number(l.crossed, l.digits),
                  CASE WHEN f.tau2 > 0 THEN ', allowing for the usual variation between forces' ELSE '' END,
                  da.format_number(f.per * f.bx / f.bn, 1),
                  CASE f.level WHEN 0.998 THEN format('Please confirm %s (%s) and %s (%s) or send a correction.',
                                                      f.num_description, da.format_number(f.numerator),
                                                      f.den_description, da.format_number(f.denominator))
                               ELSE 'For information.' END)
    FROM funnel f
    CROSS JOIN LATERAL (
        SELECT CASE WHEN f.tau2 > 0 AND f.flag LIKE 'High%'
                    THEN f.per * (f.theta + CASE f.level WHEN 0.998 THEN 3.090232306167813 ELSE 1.959963984540054 END
                                            * sqrt(f.s * f.s + f.tau2))::numeric
                    WHEN f.tau2 > 0
                    THEN f.per * greatest(0, f.theta - CASE f.level WHEN 0.998 THEN 3.090232306167813 ELSE 1.959963984540054 END
                                                       * sqrt(f.s * f.s + f.tau2))::numeric
                    WHEN f.ci_method = 'wilson' AND f.flag LIKE 'High%'
                    THEN f.per * (da.funnel_prop_limits(f.denominator, f.theta, f.level)).upper
                    WHEN f.ci_method = 'wilson'
                    THEN f.per * (da.funnel_prop_limits(f.denominator, f.theta, f.level)).lower
                    WHEN f.flag LIKE 'High%'
                    THEN (da.funnel_rate_limits(f.denominator, f.per * f.theta, f.per, f.level)).upper
                    ELSE (da.funnel_rate_limits(f.denominator, f.per * f.theta, f.per, f.level)).lower
               END AS crossed) l0
    -- one decimal, or two where one would print the value and the limit alike
    CROSS JOIN LATERAL (SELECT l0.crossed,
                               CASE WHEN round(da.per_n(f.numerator, f.denominator, f.per), 1) = round(l0.crossed, 1)
                                    THEN 2 ELSE 1 END AS digits) l
    WHERE f.flag <> 'Not significant'
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
COMMENT ON FUNCTION da.validate_builtin(date) IS
    'Internal to da.validate_returns: the findings of the built-in rules except rejected rows';

-- Rows rejected at ingest for the period that no later load has replaced (the latest
-- rejection per force, measure and period). Internal to da.validate_returns.
CREATE FUNCTION da.validate_rejected(period_end date)
    RETURNS SETOF da.validation_finding_row
    LANGUAGE sql STABLE STRICT
AS $$
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
WHERE NOT EXISTS (SELECT 1 FROM da.force_return fr
                  WHERE x.kind = 'returns' AND fr.force_id = x.force_id AND fr.measure_id = x.measure_id
                    AND fr.period_end = $1 AND fr.period_start = da.parse_iso_date(x.period_start)
                    AND fr.load_id > x.load_id)
  AND NOT EXISTS (SELECT 1 FROM da.force_return_outcomes fo
                  WHERE x.kind = 'outcomes' AND fo.force_id = x.force_id
                    AND fo.period_end = $1 AND fo.period_start = da.parse_iso_date(x.period_start)
                    AND fo.load_id > x.load_id)
$$;
COMMENT ON FUNCTION da.validate_rejected(date) IS
    'Internal to da.validate_returns: rows of the period rejected at ingest and not replaced by a later load';

CREATE FUNCTION da.validate_returns(period_end date)
    RETURNS SETOF da.validation_finding_row
    LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_period date := validate_returns.period_end;
    v_all    da.validation_finding_row[];
    v_part   da.validation_finding_row[];
    r        record;
BEGIN
    IF v_period IS NULL THEN
        RETURN;
    END IF;
    v_all := ARRAY(SELECT f FROM da.validate_builtin(v_period) f);
    -- Rejected rows are visible to loaders (and owners); an analyst's run leaves them out.
    IF has_table_privilege('da.rejected_return', 'SELECT') AND has_table_privilege('da.return_load', 'SELECT') THEN
        v_all := v_all || ARRAY(SELECT f FROM da.validate_rejected(v_period) f);
    END IF;
    -- The user's own rules; one that fails is reported as an error finding, not a failed run.
    FOR r IN SELECT c.rule, c.severity, c.threshold, c.query FROM da.validation_rule_custom c
             WHERE c.enabled ORDER BY c.rule LOOP
        BEGIN
            EXECUTE format('SELECT array_agg(ROW(q.force_id::text, q.measure_id::text, %L, %L, q.observed::numeric, '
                           'q.expected_or_limit::numeric, q.message::text)::da.validation_finding_row) FROM (%s) q',
                           r.rule, r.severity, r.query)
               INTO v_part USING v_period, r.threshold;
            v_all := v_all || coalesce(v_part, '{}');
        EXCEPTION WHEN OTHERS THEN
            v_all := v_all || ROW(NULL, NULL, r.rule, 'error', NULL, NULL,
                                  format('The validation rule %s failed: %s', r.rule, SQLERRM))::da.validation_finding_row;
        END;
    END LOOP;
    -- A measure whose row was rejected is reported as rejected, not also as missing.
    RETURN QUERY
        SELECT u.* FROM unnest(v_all) u
        WHERE NOT (u.rule = 'missing_vs_year_earlier'
                   AND EXISTS (SELECT 1 FROM unnest(v_all) x
                               WHERE x.rule = 'rejected_row' AND x.force_id = u.force_id AND x.measure_id = u.measure_id))
        ORDER BY CASE u.severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END,
                 u.force_id, u.measure_id, u.rule, u.message;
END $$;
COMMENT ON FUNCTION da.validate_returns(date) IS
    'Findings for the returns of the periods ending on that date: one row per force, measure and rule broken, with severity and a sentence to send to the force';

-------------------------------------------------------------------------------
-- Unattended runs (pg_cron)
-------------------------------------------------------------------------------

-- One row per run, clean runs included; the findings of a run point at it.
CREATE TABLE da.validation_run (
    run_id     bigserial PRIMARY KEY,
    run_at     timestamptz NOT NULL DEFAULT now(),
    run_by     name NOT NULL DEFAULT current_user,
    period_end date,                      -- NULL: nothing loaded yet
    errors     integer NOT NULL DEFAULT 0,
    warnings   integer NOT NULL DEFAULT 0,
    infos      integer NOT NULL DEFAULT 0
);
COMMENT ON TABLE da.validation_run IS 'Validation runs (da.run_validation, e.g. from pg_cron): when, which period, how many findings of each severity';

CREATE TABLE da.validation_finding (
    run_id            bigint NOT NULL REFERENCES da.validation_run ON DELETE CASCADE,
    run_at            timestamptz NOT NULL,
    period_end        date NOT NULL,
    force_id          text,
    measure_id        text,
    rule              text NOT NULL,
    severity          text NOT NULL,
    observed          numeric,
    expected_or_limit numeric,
    message           text NOT NULL
);
CREATE INDEX validation_finding_run_idx ON da.validation_finding (run_id);
COMMENT ON TABLE da.validation_finding IS 'Findings of the validation runs in da.validation_run';
SELECT pg_catalog.pg_extension_config_dump('da.validation_run', '');
SELECT pg_catalog.pg_extension_config_dump('da.validation_run_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('da.validation_finding', '');

CREATE FUNCTION da.run_validation(period_end date DEFAULT NULL) RETURNS bigint
    LANGUAGE plpgsql
AS $$
DECLARE
    v_period date := coalesce(run_validation.period_end, (SELECT max(r.period_end) FROM da.force_return r));
    v_run    da.validation_run;
BEGIN
    INSERT INTO da.validation_run (period_end) VALUES (v_period) RETURNING * INTO v_run;
    IF v_period IS NULL THEN
        RETURN v_run.run_id;          -- nothing loaded yet: an empty run
    END IF;
    INSERT INTO da.validation_finding (run_id, run_at, period_end, force_id, measure_id, rule, severity,
                                       observed, expected_or_limit, message)
    SELECT v_run.run_id, v_run.run_at, v_period, v.* FROM da.validate_returns(v_period) v;
    UPDATE da.validation_run x
       SET errors = s.e, warnings = s.w, infos = s.i
      FROM (SELECT count(*) FILTER (WHERE f.severity = 'error') AS e, count(*) FILTER (WHERE f.severity = 'warning') AS w,
                   count(*) FILTER (WHERE f.severity = 'info') AS i
            FROM da.validation_finding f WHERE f.run_id = v_run.run_id) s
     WHERE x.run_id = v_run.run_id;
    RETURN v_run.run_id;
END
$$;
COMMENT ON FUNCTION da.run_validation(date) IS
    'Validate a period (default: the latest loaded), record the run in da.validation_run and its findings in da.validation_finding; returns the run id';

-- Schedule da.run_validation() with pg_cron in this database (which must be cron.database_name
-- and have CREATE EXTENSION pg_cron). Same job name again: the schedule is replaced.
CREATE FUNCTION da.schedule_validation(schedule text DEFAULT '30 2 * * *', job_name text DEFAULT 'da-validate')
    RETURNS bigint
    LANGUAGE plpgsql
AS $$
DECLARE
    v_job bigint;
BEGIN
    IF schedule IS NULL OR job_name IS NULL THEN
        RAISE EXCEPTION 'schedule and job_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in database "%"', current_database()
            USING ERRCODE = 'undefined_object',
                  HINT = 'Set shared_preload_libraries = ''pg_cron'' and cron.database_name = ''' || current_database()
                         || ''', restart, and CREATE EXTENSION pg_cron here; or, from cron.database_name, '
                         || 'SELECT cron.schedule_in_database(''da-validate'', ''30 2 * * *'', ''SELECT da.run_validation()'', '''
                         || current_database() || ''').';
    END IF;
    EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO v_job USING job_name, schedule, 'SELECT da.run_validation()';
    RETURN v_job;
END
$$;
COMMENT ON FUNCTION da.schedule_validation(text, text) IS
    'Run da.run_validation() on a pg_cron schedule (default nightly at 02:30) under this job name; returns the pg_cron job id';

CREATE FUNCTION da.unschedule_validation(job_name text DEFAULT 'da-validate') RETURNS boolean
    LANGUAGE plpgsql
AS $$
DECLARE
    v_done boolean;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in database "%"', current_database() USING ERRCODE = 'undefined_object';
    END IF;
    EXECUTE 'SELECT cron.unschedule($1::name)' INTO v_done USING job_name;
    RETURN v_done;
END
$$;
COMMENT ON FUNCTION da.unschedule_validation(text) IS 'Remove the pg_cron job that da.schedule_validation created';
