-- Properties of the dashboard's funnel columns and da.funnel_curve on random data, and the
-- names and types BI drivers rely on.
BEGIN;
SET search_path = public, da;
SELECT plan(17);
SELECT setseed(0.12);

-- The contract drivers read: rates and limits with a declared scale, the funnel columns, the curve.
SELECT col_type_is('da', 'dashboard', c, 'numeric(42,4)', 'da.dashboard.' || c || ' is numeric(42,4)')
FROM unnest(ARRAY['value', 'ci_lower', 'ci_upper', 'national_value', 'lower_998', 'lower_95', 'upper_95', 'upper_998']) c;
SELECT col_type_is('da', 'dashboard', 'flag', 'text', 'da.dashboard.flag is text');
SELECT has_function('da', 'funnel_curve', ARRAY['text', 'date', 'integer'], 'da.funnel_curve(indicator_id, period_end, points)');
SELECT function_returns('da', 'funnel_curve', ARRAY['text', 'date', 'integer'], 'setof funnel_curve_point',
                        'da.funnel_curve returns setof da.funnel_curve_point (typed columns)');

-- da.funnel_position: with a between-force variance the flag says exactly where the value lies
-- against its own limits, for proportions and rates alike.
CREATE TEMP TABLE u AS
SELECT n, least(n, floor(random() * n * 1.1))::bigint AS x, (random() * 1e6)::numeric + 1 AS cn,
       1e6::numeric + 1 AS cd, random() * 0.01 + 1e-6 AS tau2,
       CASE WHEN random() < 0.5 THEN 'wilson' ELSE 'poisson' END AS m
FROM (SELECT (1 + floor(exp(random() * ln(200000))))::bigint AS n FROM generate_series(1, 500)) g;
SELECT is((SELECT count(*) FROM u CROSS JOIN LATERAL funnel_position(u.x, u.n, u.cn, u.cd, u.tau2, u.m, 100) p
           WHERE p.flag IS DISTINCT FROM
                 CASE WHEN 100.0 * u.x / u.n > p.upper_998 THEN 'above 99.8%' WHEN 100.0 * u.x / u.n < p.lower_998 THEN 'below 99.8%'
                      WHEN 100.0 * u.x / u.n > p.upper_95 THEN 'above 95%' WHEN 100.0 * u.x / u.n < p.lower_95 THEN 'below 95%'
                      ELSE 'within' END
             AND abs(100.0 * u.x / u.n - p.upper_998) > 1e-9 AND abs(100.0 * u.x / u.n - p.lower_998) > 1e-9
             AND abs(100.0 * u.x / u.n - p.upper_95) > 1e-9 AND abs(100.0 * u.x / u.n - p.lower_95) > 1e-9), 0::bigint,
          'funnel_position: widened flags agree with the widened limits (500 random units)');
-- Without it, proportions fall back on the exact limits.
SELECT is((SELECT count(*) FROM u CROSS JOIN LATERAL funnel_position(u.x, u.n, u.cn, u.cd, 0, 'wilson', 1) p
           WHERE p.flag IS DISTINCT FROM
                 CASE WHEN u.x::numeric / u.n > p.upper_998 THEN 'above 99.8%' WHEN u.x::numeric / u.n < p.lower_998 THEN 'below 99.8%'
                      WHEN u.x::numeric / u.n > p.upper_95 THEN 'above 95%' WHEN u.x::numeric / u.n < p.lower_95 THEN 'below 95%'
                      ELSE 'within' END), 0::bigint,
          'funnel_position: exact flags of proportions agree with the exact limits');
SELECT is((SELECT count(*) FROM funnel_position(5, 0, 1, 2, 0.1, 'wilson', 100)), 0::bigint, 'no position at a zero denominator');
SELECT is((SELECT count(*) FROM funnel_position(6, 5, 1, 2, 0.1, 'wilson', 100)), 0::bigint, 'no position for a share above the whole');

-- Two random over-dispersed loads of the 43 forces: the dashboard's flags are validation's findings.
CREATE TEMP TABLE agree (load int, disagree bigint, placed bigint);
DO $$
DECLARE
    i int;
BEGIN
    FOR i IN 1 .. 2 LOOP
        INSERT INTO da.return_staging (force, period_start, period_end, measure, value)
        SELECT f.name, '2017-07-01', '2018-06-30', m.measure, m.value::text
        FROM (SELECT name, (500 + random() * 60000)::bigint AS crimes, 0.3 + random() * 0.5 AS rate
              FROM da.force WHERE kind = 'territorial') f
        CROSS JOIN LATERAL (VALUES ('da_crimes', f.crimes), ('da_arrests', round(f.crimes * f.rate)::bigint)) m(measure, value);
        PERFORM da.ingest_returns('random load');
        INSERT INTO agree
        SELECT i, count(*) FILTER (WHERE d.flag IS DISTINCT FROM coalesce(v.flag, 'within')), count(d.flag)
        FROM (SELECT force_id, flag FROM da.dashboard WHERE period_end = '2018-06-30' AND indicator_id = 'arrests_per_100'
              AND flag IS NOT NULL) d
        FULL JOIN (SELECT x.force_id, CASE WHEN position(', above the ' IN x.message) > 0 THEN 'above ' ELSE 'below ' END
                                      || CASE x.rule WHEN 'funnel_99_8' THEN '99.8%' ELSE '95%' END AS flag
                   FROM da.validate_returns('2018-06-30') x
                   WHERE x.rule IN ('funnel_99_8', 'funnel_95') AND x.measure_id = 'da_arrests') v USING (force_id);
    END LOOP;
END $$;
SELECT is((SELECT sum(disagree) FROM agree), 0::numeric, 'random 43-force loads: dashboard flags = validation findings');
SELECT is((SELECT min(placed) FROM agree), 43::bigint, 'random 43-force loads: all 43 forces placed on the funnel');
SELECT * FROM finish();
ROLLBACK;
