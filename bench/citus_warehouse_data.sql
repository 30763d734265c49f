-- A synthetic warehouse for bench/citus_bench.sh: the 43 territorial forces x :years years
-- (from January 2010), loaded through the kit's ingest like real returns (staged as text, by
-- force name), one load per kind:
--   returns    every month, and every 12 months to the end of each month from the twelfth:
--              the ten measures the indicators and MARAC views need (a few "unable to
--              provide", NULL, and a few MARAC repeat counts above the cases, as in real data)
--   outcomes   the same periods: outcome counts (codes 1, 8, 14, 15, 16, 18), 12-month = sum
--   MARAC      two MARAC areas per force, every quarter (a few quarters missing, so that
--              quarters are carried forward and MARACs left out)
-- The values are a deterministic function of force, period and measure, so that two
-- databases loaded with this script hold the same rows. Run with psql -v years=10.
SET client_min_messages = warning;
\if :{?years}
\else
\set years 10
\endif

CREATE TEMP TABLE wh_force AS
SELECT f.force_id, f.name, row_number() OVER (ORDER BY f.force_id)::int AS fno
FROM da.force f WHERE f.kind = 'territorial';

-- Monthly figures: size of a force (fno), seasonality and a slow trend.
CREATE TEMP TABLE wh_month AS
SELECT f.force_id, f.name, f.fno, m.n AS mno,
       ('2010-01-01'::date + pg_catalog.make_interval(months => m.n))::date AS period_start,
       (('2010-01-01'::date + pg_catalog.make_interval(months => m.n + 1))::date - 1) AS period_end,
       (2000 + 150 * f.fno + 200 * ((m.n % 12) - 6) * ((m.n % 12) - 6) / 36 + 5 * m.n
        + (hashint4(f.fno * 1000 + m.n) & 255))::bigint AS all_crime
FROM wh_force f CROSS JOIN generate_series(0, 12 * :years - 1) m(n);

CREATE TEMP TABLE wh_month_values AS
SELECT w.force_id, w.name, w.mno, w.period_start, w.period_end, v.measure, v.value
FROM wh_month w
CROSS JOIN LATERAL (
    SELECT w.all_crime * (12 + w.fno % 7) / 100 AS da,
           (hashint4(w.fno * 7919 + w.mno) & 1023) AS h
) d
CROSS JOIN LATERAL (VALUES
    ('all_crime_excl_fraud', w.all_crime),
    ('da_crimes', d.da),
    ('da_arrests', CASE WHEN d.h = 7 THEN NULL ELSE d.da * (25 + w.fno % 11 + d.h % 5) / 100 END),
    ('da_charges', d.da * (6 + w.fno % 5) / 100),
    ('dvpo_applied', d.da * (2 + w.fno % 3) / 100 + d.h % 3),
    ('dvpo_granted', d.da * (2 + w.fno % 3) / 100),
    ('marac_cases', d.da * (8 + w.fno % 4) / 100),
    ('marac_repeat_cases', CASE WHEN d.h = 11 THEN d.da ELSE d.da * (8 + w.fno % 4) * (20 + w.fno % 15) / 10000 END),
    ('marac_children', CASE WHEN d.h = 13 THEN NULL ELSE d.da * (8 + w.fno % 4) * 12 / 1000 END),
    ('adult_female_population', (200000 + 25000 * w.fno + 100 * (w.mno / 12))::bigint)
) v(measure, value);

-- The 12-month periods: sums of the months (the population of the last month).
CREATE TEMP TABLE wh_returns AS
SELECT name AS force, period_start, period_end, measure, value FROM wh_month_values
UNION ALL
SELECT name, (period_end + 1 - interval '12 months')::date, period_end, measure, value12
FROM (SELECT name, mno, period_end, measure,
             CASE WHEN measure = 'adult_female_population' THEN value
                  ELSE (sum(value) OVER (PARTITION BY force_id, measure ORDER BY mno ROWS 11 PRECEDING))::bigint END AS value12
      FROM wh_month_values) s
WHERE mno >= 11;

INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT force, period_start::text, period_end::text, measure, coalesce(value::text, ''), 'synthetic'
FROM wh_returns ORDER BY force, period_end, period_start, measure;
\timing on
CREATE TEMP TABLE wh_load AS SELECT 'returns'::text AS kind, * FROM da.ingest_returns('synthetic returns');

-- Outcomes: counts per code, monthly; 12-month sums.
CREATE TEMP TABLE wh_outcomes AS
SELECT w.name AS force, w.period_start, w.period_end, w.mno, w.force_id, c.code,
       (w.all_crime * (12 + w.fno % 7) / 100 * c.pct / 100 + (hashint4(w.fno * 31 + w.mno * 7 + c.pct) & 7))::bigint AS value
FROM wh_month w
CROSS JOIN (VALUES ('1', 7), ('8', 3), ('14', 20), ('15', 25), ('16', 30), ('18', 5)) c(code, pct);
INSERT INTO da.outcome_staging (force, period_start, period_end, outcome, value, source)
SELECT force, period_start::text, period_end::text, code, value::text, 'synthetic' FROM wh_outcomes
UNION ALL
SELECT force, (period_end + 1 - interval '12 months')::date::text, period_end::text, code, value12::text, 'synthetic'
FROM (SELECT force, mno, period_end, code,
             sum(value) OVER (PARTITION BY force_id, code ORDER BY mno ROWS 11 PRECEDING) AS value12
      FROM wh_outcomes) s
WHERE mno >= 11;
INSERT INTO wh_load SELECT 'outcomes', * FROM da.ingest_outcomes('synthetic outcomes');

-- MARACs: two per force, quarterly returns; every 37th quarter of a MARAC missing.
INSERT INTO da.marac_area (marac_id, name, force_id)
SELECT pg_catalog.format('m_%s_%s', f.fno, k), pg_catalog.format('%s MARAC %s', f.name, k), f.force_id
FROM wh_force f CROSS JOIN generate_series(1, 2) k
ON CONFLICT DO NOTHING;
INSERT INTO da.marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females, source)
SELECT pg_catalog.format('m_%s_%s', f.fno, k), f.name,
       ('2010-01-01'::date + pg_catalog.make_interval(months => 3 * q))::date::text,
       (('2010-01-01'::date + pg_catalog.make_interval(months => 3 * q + 3))::date - 1)::text,
       (60 + 5 * f.fno + 10 * k + (hashint4(f.fno * 101 + k * 13 + q) & 31))::text,
       (15 + f.fno % 9 + (hashint4(f.fno * 103 + k * 17 + q) & 7))::text,
       CASE WHEN (f.fno + q) % 23 = 0 THEN '' ELSE (80 + 6 * f.fno + (hashint4(f.fno * 107 + q) & 31))::text END,
       (100000 + 12000 * f.fno + 5000 * k)::text, 'synthetic'
FROM wh_force f CROSS JOIN generate_series(1, 2) k CROSS JOIN generate_series(0, 4 * :years - 1) q
WHERE (f.fno * 3 + k * 5 + q) % 37 <> 0;
INSERT INTO wh_load SELECT 'marac', * FROM da.ingest_marac('synthetic MARAC returns');
\timing off
SELECT * FROM wh_load;
