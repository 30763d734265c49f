-- Behavioural properties of the ingest, on random data with random faults: nothing is lost,
-- a reload changes nothing, the stored values are exactly the valid rows, a correction is
-- recorded once, and the ingest equals an independent plain-SQL reading of the same rows.
BEGIN;
SET search_path = public, da;
SELECT plan(9);

-- 3,000 rows, 6 forces x 5 measures x 100 months (each key once), about 10% broken in some way.
CREATE TEMP TABLE src AS
SELECT g AS i,
       (ARRAY['Kent', 'Essex Police', 'SURREY', 'Metropolitan Police Service', 'London, City of', 'Narnia'])[1 + g % 6] AS force,
       ('2015-01-01'::date + make_interval(months => g / 30))::date AS ps,
       (ARRAY['da_crimes', 'da_arrests', 'dvpo_granted', 'marac_cases', 'no_such'])[1 + (g / 6) % 5] AS measure,
       CASE WHEN g % 41 = 0 THEN '-' || g WHEN g % 43 = 0 THEN g || '.5' WHEN g % 47 = 0 THEN ''
            ELSE (g * 7 % 1000)::text END AS value
FROM generate_series(1, 3000) g;
INSERT INTO return_staging (force, period_start, period_end, measure, value)
SELECT force, ps::text, CASE WHEN i % 53 = 0 THEN (ps + 40)::text ELSE ((ps + interval '1 month')::date - 1)::text END,
       measure, value
FROM src ORDER BY i;
CREATE TEMP TABLE r1 AS SELECT * FROM ingest_returns('random');

SELECT is((SELECT inserted + updated + unchanged + rejected FROM r1), 3000::bigint, 'every staged row accounted for');
SELECT is((SELECT count(*) FROM force_return) + (SELECT count(*) FROM rejected_return), 3000::bigint,
          'every row is either stored or rejected (no key repeats in this data)');
SELECT is((SELECT count(*) FROM rejected_return WHERE reason = ''), 0::bigint, 'every rejected row has a reason');

-- An independent reading of the same rows in plain SQL: which are valid, and their values.
CREATE TEMP TABLE expected AS
SELECT CASE force WHEN 'Kent' THEN 'kent' WHEN 'Essex Police' THEN 'essex' WHEN 'SURREY' THEN 'surrey'
                  WHEN 'Metropolitan Police Service' THEN 'metropolitan' WHEN 'London, City of' THEN 'city_of_london' END AS force_id,
       ps AS period_start, measure AS measure_id, nullif(value, '')::bigint AS value
FROM src
WHERE force <> 'Narnia' AND measure <> 'no_such' AND i % 53 <> 0 AND value !~ '[-.]';
SELECT set_eq('SELECT force_id, period_start, measure_id, value FROM force_return',
              'SELECT force_id, period_start, measure_id, value FROM expected',
              'the stored rows are exactly the valid rows, with their values (empty = NULL)');

-- Reload the same rows: nothing changes.
INSERT INTO return_staging (force, period_start, period_end, measure, value)
SELECT force, ps::text, CASE WHEN i % 53 = 0 THEN (ps + 40)::text ELSE ((ps + interval '1 month')::date - 1)::text END,
       measure, value
FROM src ORDER BY i;
SELECT results_eq('SELECT inserted, updated, unchanged FROM ingest_returns(''random again'')',
                  $$SELECT 0::bigint, 0::bigint, (SELECT count(*) FROM expected)$$, 'a reload changes nothing');
SELECT is((SELECT count(*) FROM force_return_history), 0::bigint, 'a reload writes no history');

-- Correct every tenth stored value: each correction recorded once, old and new.
CREATE TEMP TABLE fix AS
SELECT force_id, period_start, period_end, measure_id, value, coalesce(value, 0) + 1 AS new_value,
       row_number() OVER (ORDER BY force_id, period_start, measure_id) AS n
FROM force_return;
DELETE FROM fix WHERE n % 10 <> 0;
INSERT INTO return_staging (force, period_start, period_end, measure, value)
SELECT force_id, period_start::text, period_end::text, measure_id, new_value::text FROM fix;
SELECT results_eq('SELECT inserted, updated, unchanged, rejected FROM ingest_returns(''fix'')',
                  $$SELECT 0::bigint, (SELECT count(*) FROM fix), 0::bigint, 0::bigint$$, 'corrections counted as updates');
SELECT set_eq('SELECT force_id, period_start, measure_id, old_value, new_value FROM force_return_history',
              'SELECT force_id, period_start, measure_id, value, new_value FROM fix',
              'the history holds each replaced value and its replacement');
SELECT is((SELECT count(*) FROM force_return r JOIN fix f USING (force_id, period_start, period_end, measure_id)
           WHERE r.value <> f.new_value), 0::bigint, 'the corrected values are stored');

SELECT * FROM finish();
ROLLBACK;
