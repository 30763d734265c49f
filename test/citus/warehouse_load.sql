-- The warehouse workload of test/citus/warehouse.sh, run unchanged in two databases: one
-- with the warehouse distributed by da.distribute_warehouse(), one plain (the single-node
-- reference). Everything goes through the kit's ingest functions. Prints nothing but errors;
-- the ingest results are kept in public.ingest_result for comparison.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE TABLE public.ingest_result (step text, load_id bigint, inserted bigint, updated bigint,
                                   unchanged bigint, rejected bigint);

-- The demo data (published figures, outcomes, MARAC per force, force profiles).
\cd :root
\i data/demo/load.sql
INSERT INTO public.ingest_result SELECT 'demo ' || file, load_id, inserted, updated, unchanged, rejected FROM demo_load;

-- A synthetic warehouse: the 43 territorial forces, 10 years of 12-month periods, every
-- measure the indicators need, counts from a hash so both databases get the same numbers.
-- Two forces miss a year of arrests (a matched panel must leave them out).
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT f.name, make_date(y, 4, 1), make_date(y + 1, 3, 31), m.measure,
       (1000 + abs(hashtext(f.force_id || y || m.measure)) % (m.scale))::text, 'synthetic'
FROM da.force f, generate_series(2009, 2018) y,
     (VALUES ('da_crimes', 20000), ('da_arrests', 9000), ('da_charges', 4000), ('all_crime_excl_fraud', 200000),
             ('dvpo_granted', 400), ('marac_cases', 1500), ('marac_repeat_cases', 500),
             ('adult_female_population', 900000)) m(measure, scale)
WHERE f.kind = 'territorial'
  AND NOT (f.force_id IN ('kent', 'dyfed_powys') AND y = 2014 AND m.measure = 'da_arrests');
INSERT INTO public.ingest_result SELECT 'synthetic returns', * FROM da.ingest_returns('synthetic');
INSERT INTO da.outcome_staging (force, period_start, period_end, outcome, value, source)
SELECT f.name, make_date(y, 4, 1), make_date(y + 1, 3, 31), o.code,
       (abs(hashtext(f.force_id || y || o.code)) % 900)::text, 'synthetic outcomes'
FROM da.force f, generate_series(2009, 2018) y, unnest(ARRAY['1', '2', '3', '8', '14', '15', '16', '18']) o(code)
WHERE f.kind = 'territorial';
INSERT INTO public.ingest_result SELECT 'synthetic outcomes', * FROM da.ingest_outcomes('synthetic outcomes');

-- Corrections (history), an identical reload (nothing changes), and bad rows (rejected).
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT f.name, '2017-04-01', '2018-03-31', 'da_crimes', (r.value + 7)::text, 'correction'
FROM da.force f JOIN da.force_return r USING (force_id)
WHERE r.period_end = '2018-03-31' AND r.measure_id = 'da_crimes' AND f.region = 'South East';
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source) VALUES
 ('Narnia', '2017-04-01', '2018-03-31', 'da_crimes', '5', 'correction'),
 ('Kent', '2017-04-01', '2018-03-31', 'da_crimes', '-3', 'correction'),
 ('Kent', '2017-04-01', '2018-03-31', 'no_such_measure', '3', 'correction');
INSERT INTO public.ingest_result SELECT 'corrections', * FROM da.ingest_returns('corrections');
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT f.name, r.period_start::text, r.period_end::text, r.measure_id, r.value::text, 'reload'
FROM da.force_return r JOIN da.force f USING (force_id) WHERE r.period_end = '2016-03-31';
INSERT INTO public.ingest_result SELECT 'identical reload', * FROM da.ingest_returns('reload');

-- MARAC quarterly returns: two areas per force in three forces, four quarters, one missing.
INSERT INTO da.marac_area (marac_id, name, force_id)
SELECT f.force_id || '_' || a, 'EXAMPLE ' || upper(f.force_id) || ' MARAC ' || a, f.force_id
FROM da.force f, unnest(ARRAY['a', 'b']) a WHERE f.force_id IN ('kent', 'essex', 'surrey');
INSERT INTO da.marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females, source)
SELECT m.marac_id, f.name, q, (q + interval '3 months - 1 day')::date,
       (100 + abs(hashtext(m.marac_id || q)) % 100)::text, (20 + abs(hashtext(m.marac_id || q || 'r')) % 30)::text,
       (150 + abs(hashtext(m.marac_id || q || 'c')) % 50)::text, '250000', 'marac quarters'
FROM da.marac_area m JOIN da.force f USING (force_id),
     (SELECT d::date AS q FROM generate_series(date '2017-04-01', date '2018-01-01', interval '3 months') d) qs
WHERE NOT (m.marac_id = 'essex_b' AND q = '2017-07-01');
INSERT INTO public.ingest_result SELECT 'marac', * FROM da.ingest_marac('marac quarters');
-- Again: the last quarter with one MARAC corrected (history), the others identical, an unknown
-- MARAC, one that names the wrong force, and a quarter twice in the load (all rejected).
INSERT INTO da.marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females, source)
SELECT marac_id, NULL, quarter_start::text, quarter_end::text,
       (cases + CASE WHEN marac_id = 'kent_a' THEN 7 ELSE 0 END)::text, repeat_cases::text, children::text,
       adult_females::text, 'marac again'
FROM da.marac_return WHERE quarter_end = '2018-03-31' ORDER BY marac_id;
INSERT INTO da.marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females, source) VALUES
 ('nowhere_x', NULL, '2018-01-01', '2018-03-31', '5', '1', '2', '1000', 'marac again'),
 ('surrey_a', 'Kent', '2017-10-01', '2017-12-31', '5', '1', '2', '1000', 'marac again'),
 ('essex_b', NULL, '2017-07-01', '2017-09-30', '50', '10', '20', '250000', 'marac again'),
 ('essex_b', NULL, '2017-07-01', '2017-09-30', '51', '10', '20', '250000', 'marac again');
INSERT INTO public.ingest_result SELECT 'marac again', * FROM da.ingest_marac('marac again');

-- Validation of the latest period, recorded.
SELECT da.run_validation('2018-03-31') IS NOT NULL AS validated \g /dev/null
