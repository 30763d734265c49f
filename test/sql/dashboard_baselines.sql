-- da.funnel_baselines_each() (0.5: every funnel baseline in one grouped pass) against
-- da.funnel_baseline(period_end, <funnel_99_8 threshold>) called period by period, and the
-- dashboard's funnel columns and da.funnel_positions against positions computed from those
-- per-period baselines: every period, as the superuser and as a force-limited role (whose
-- centre, phi and tau2 are withheld by the same rules), with the rule's threshold at its
-- default, 0 and NULL. Everything is rolled back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET datestyle = 'ISO, YMD';
\set VERBOSITY terse
BEGIN;

-- Five periods ending on four dates (two lengths end on 2017-12-31):
--   2014      Kent and Essex only (the centre is withheld from a force-limited role: 2 forces);
--   2015      every territorial force and BTP, one force without arrests;
--   2016      every force, one with more DA crimes than crimes (an impossible share: out of
--             the da_share_of_crime centre, in the national set, so the centre is withheld
--             from a force-limited role) and one with 0 DA crimes;
--   2017      six forces (phi and tau2 withheld below funnel_min_forces);
--   2017 Q4   every force (ends on 2017-12-31 too).
CREATE TEMP TABLE syn AS
SELECT f.force_id, f.name, row_number() OVER (ORDER BY f.force_id)::int AS k, f.kind
FROM da.force f WHERE f.kind = 'territorial' OR f.force_id = 'btp';
CREATE TEMP TABLE syn_rows AS
SELECT s.name, p.ps, p.pe, m.measure, m.value
FROM syn s
CROSS JOIN (VALUES (date '2014-01-01', date '2014-12-31'), ('2015-01-01', '2015-12-31'), ('2016-01-01', '2016-12-31'),
                   ('2017-01-01', '2017-12-31'), ('2017-10-01', '2017-12-31')) p(ps, pe)
CROSS JOIN LATERAL (SELECT (800 + (s.k * 7919 + extract(year FROM p.ps)::int * 31) % 30000)::bigint AS crimes) c
CROSS JOIN LATERAL (VALUES
    ('da_crimes', CASE WHEN p.pe = '2016-12-31' AND s.k = 7 THEN 0 ELSE c.crimes END),
    ('da_arrests', CASE WHEN p.pe = '2015-12-31' AND s.k = 3 THEN NULL
                        ELSE round(c.crimes * (0.45 + 0.2 * sin(s.k * 1.7 + extract(month FROM p.ps)::int))) END::bigint),
    ('all_crime_excl_fraud', CASE WHEN p.pe = '2016-12-31' AND s.k = 11 THEN c.crimes / 2
                                  ELSE round(c.crimes / (0.11 + 0.02 * cos(s.k * 0.7))) END::bigint)) m(measure, value)
WHERE m.value IS NOT NULL
  AND (p.pe <> '2014-12-31' OR s.force_id IN ('kent', 'essex'))
  AND (p.ps <> '2017-01-01' OR s.k <= 6);
INSERT INTO da.return_staging (force, period_start, period_end, measure, value)
SELECT name, ps, pe, measure, value::text FROM syn_rows;
SELECT inserted, rejected FROM da.ingest_returns('baselines test');
SELECT count(DISTINCT (period_start, period_end)) AS periods, count(DISTINCT period_end) AS period_ends,
       count(*) AS indicator_rows FROM da.indicator_input;
-- The dashboard computes its inputs itself (da.indicator_input's grouping, with the force's and
-- the indicator's columns): the same rows, numerators and denominators.
SELECT (SELECT count(*) FROM (SELECT force_id, indicator_id, period_start, period_end, numerator, denominator FROM da.indicator_input
                              EXCEPT ALL
                              SELECT force_id, indicator_id, period_start, period_end, numerator, denominator FROM da.dashboard) a) AS inputs_not_on_dashboard,
       (SELECT count(*) FROM (SELECT force_id, indicator_id, period_start, period_end, numerator, denominator FROM da.dashboard
                              EXCEPT ALL
                              SELECT force_id, indicator_id, period_start, period_end, numerator, denominator FROM da.indicator_input) a) AS dashboard_rows_not_inputs;

-- Every period's baselines, the per-period way (da.funnel_baseline, as da.funnel_positions
-- called it until 0.5) and the set-based way; and the positions computed from the former.
CREATE FUNCTION pg_temp.compare_baselines()
RETURNS TABLE (periods bigint, per_period bigint, set_based bigint, unmatched bigint, different bigint,
               centres_withheld bigint, spread_withheld bigint)
LANGUAGE sql AS $$
    WITH e AS (SELECT DISTINCT period_end FROM da.indicator_input),
    o AS (SELECT e.period_end, b.* FROM e
          CROSS JOIN LATERAL da.funnel_baseline(e.period_end, (SELECT r.threshold FROM da.validation_rule r WHERE r.rule = 'funnel_99_8')) b),
    n AS (SELECT * FROM da.funnel_baselines_each())
    SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM o), (SELECT count(*) FROM n),
           count(*) FILTER (WHERE o.indicator_id IS NULL OR n.indicator_id IS NULL),
           count(*) FILTER (WHERE (o.numerator, o.denominator, o.forces, o.phi, o.tau2, o.withheld_reason)
                                  IS DISTINCT FROM (n.numerator, n.denominator, n.forces, n.phi, n.tau2, n.withheld_reason)),
           count(*) FILTER (WHERE n.numerator IS NULL), count(*) FILTER (WHERE n.withheld_reason LIKE 'over-dispersion%')
    FROM o FULL JOIN n ON (o.indicator_id, o.period_start, o.period_end) = (n.indicator_id, n.period_start, n.period_end);
$$;
CREATE FUNCTION pg_temp.compare_positions()
RETURNS TABLE (dashboard_rows bigint, placed bigint, dashboard_different bigint, positions_different bigint)
LANGUAGE sql AS $$
    WITH e AS (SELECT DISTINCT period_end FROM da.indicator_input),
    ref AS (
        SELECT v.indicator_id, v.force_id, v.period_start, v.period_end, v.numerator, v.denominator, i.per,
               p.flag, p.centre, p.lower_998, p.lower_95, p.upper_95, p.upper_998, b.phi, b.tau2,
               b.numerator AS centre_numerator, b.denominator AS centre_denominator
        FROM e
        CROSS JOIN LATERAL da.indicator_values(e.period_end) v
        JOIN da.indicator i ON i.indicator_id = v.indicator_id
        JOIN da.force f ON f.force_id = v.force_id
        JOIN da.funnel_baseline(e.period_end, (SELECT r.threshold FROM da.validation_rule r WHERE r.rule = 'funnel_99_8')) b
          ON b.indicator_id = v.indicator_id AND b.period_start = v.period_start
        CROSS JOIN LATERAL da.funnel_position(v.numerator, v.denominator, b.numerator, b.denominator,
                                              b.tau2, i.ci_method, i.per) p
        WHERE f.kind = 'territorial'
    ), pos AS (
        SELECT q.* FROM e CROSS JOIN LATERAL da.funnel_positions(e.period_end) q
    )
    SELECT count(*),
           count(d.flag),
           count(*) FILTER (WHERE (d.flag, d.funnel_centre, d.lower_998, d.lower_95, d.upper_95, d.upper_998,
                                   d.overdispersion_phi, d.overdispersion_tau2)
                                  IS DISTINCT FROM (r.flag, r.centre::numeric(42,4), r.lower_998::numeric(42,4), r.lower_95::numeric(42,4),
                                                    r.upper_95::numeric(42,4), r.upper_998::numeric(42,4), r.phi, r.tau2)),
           (SELECT count(*) FROM (SELECT * FROM ref EXCEPT ALL SELECT * FROM pos
                                  UNION ALL
                                  (SELECT * FROM pos EXCEPT ALL SELECT * FROM ref)) x)
    FROM da.dashboard d
    LEFT JOIN ref r USING (force_id, indicator_id, period_start, period_end);
$$;

CREATE ROLE da_test_bl_kent NOLOGIN;
SELECT da.grant_access('da_test_bl_kent', 'analyst', ARRAY['kent']);
GRANT EXECUTE ON FUNCTION pg_temp.compare_baselines(), pg_temp.compare_positions() TO da_test_bl_kent;

-- 1. The rule's default threshold (10% winsorising).
SELECT 'superuser' AS role, * FROM pg_temp.compare_baselines();
SELECT 'superuser' AS role, * FROM pg_temp.compare_positions();
SET ROLE da_test_bl_kent;
SELECT 'kent' AS role, * FROM pg_temp.compare_baselines();
SELECT 'kent' AS role, * FROM pg_temp.compare_positions();
-- What the Kent analyst is told, and why (one line per reason and period).
SELECT period_end, left(withheld_reason, 45) AS reason, count(*)
FROM da.funnel_baselines_each() WHERE withheld_reason IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2;
RESET ROLE;

-- 2. No winsorising, and exact limits (threshold NULL: no phi, no tau2).
UPDATE da.validation_rule SET threshold = 0 WHERE rule = 'funnel_99_8';
SELECT 'superuser, 0' AS role, * FROM pg_temp.compare_baselines();
SELECT 'superuser, 0' AS role, * FROM pg_temp.compare_positions();
UPDATE da.validation_rule SET threshold = NULL WHERE rule = 'funnel_99_8';
SELECT 'superuser, NULL' AS role, * FROM pg_temp.compare_baselines();
SELECT 'superuser, NULL' AS role, * FROM pg_temp.compare_positions();
SET ROLE da_test_bl_kent;
SELECT 'kent, NULL' AS role, * FROM pg_temp.compare_baselines();
SELECT 'kent, NULL' AS role, * FROM pg_temp.compare_positions();
RESET ROLE;
SELECT count(*) AS phi_shown FROM da.funnel_baselines_each() WHERE phi IS NOT NULL OR tau2 IS NOT NULL;
UPDATE da.validation_rule SET threshold = 10 WHERE rule = 'funnel_99_8';

-- 3. A lower funnel_min_forces shows the six-force period's spread to the Kent analyst too.
INSERT INTO da.setting VALUES ('funnel_min_forces', 3);
SET ROLE da_test_bl_kent;
SELECT 'kent, min 3' AS role, * FROM pg_temp.compare_baselines();
RESET ROLE;

-- 4. The control: a baseline that differs is caught (the comparison can fail).
CREATE FUNCTION pg_temp.off_by_one() RETURNS boolean LANGUAGE sql AS $$
    SELECT count(*) > 0 FROM da.funnel_baselines_each() n
    JOIN da.funnel_baseline('2015-12-31', 10) o USING (indicator_id, period_start)
    WHERE n.period_end = '2015-12-31' AND (o.numerator + 1, o.denominator) IS DISTINCT FROM (n.numerator, n.denominator);
$$;
SELECT pg_temp.off_by_one() AS a_changed_centre_is_seen;

-- Who may run it: not PUBLIC; readers (da.kit_functions), like da.funnel_baseline.
SELECT has_function_privilege('public', 'da.funnel_baselines_each()', 'EXECUTE') AS public_may,
       has_function_privilege('da_test_bl_kent', 'da.funnel_baselines_each()', 'EXECUTE') AS reader_may,
       (SELECT access FROM da.kit_functions() WHERE signature = 'da.funnel_baselines_each()') AS listed_as;
ROLLBACK;
