-- Whole numbers in any common spelling (issue 13 item 1): every spelling with the count it
-- loads as or the reason it is refused, then a pandas-style CSV (every count written "N.0")
-- through both ingest paths: only the genuinely fractional rows are rejected.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
SET datestyle = 'ISO, YMD';
\set ON_ERROR_ROLLBACK on
BEGIN;

-- Each spelling: the count, or the reason. quote_literal shows the blanks.
SELECT quote_nullable(t) AS spelling, count_problem(t) AS reason,
       CASE WHEN count_problem(t) IS NULL THEN parse_count(t) END AS count
FROM unnest(ARRAY[
    '1711', '1711.0', '1711.00', '1,711', '1,711.0', ' 1711 ', '  1,711.000  ', '0', '0.0', '00.00', '007',
    '1,234,567', '1,234,567.0', '9,223,372,036,854,775,807', '9223372036854775807.0',
    '4474.5', '4,474.5', '1711.01', '0.5', '.5',
    '1,71,1', '12,34', '1,7110', ',711', '1711,', '1,711.5.0',
    '1e3', '1E3', '1.0e3', '1711.',
    '-5', '-5.0', '- 5', '-0', '-0.0', '-1,711',
    '9223372036854775808', '9223372036854775808.0', '9,223,372,036,854,775,808',
    'n/a', '..', '.', '1 711', '1711 0', '+5', '0x10', '١٢',
    '', '   ', NULL]) WITH ORDINALITY u(t, i)
ORDER BY i;

-- Every accepted spelling loads as the same bigint as its plain form.
SELECT t, parse_count(t) = 1711 AS same
FROM unnest(ARRAY['1711', '1711.0', '1711.00', '1,711', '1,711.0', ' 1711 ', ' 1,711.00 ']) t;

-- Still inlinable SQL-standard bodies with no SET clause (they run once per staged row).
SELECT p.proname, p.prosqlbody IS NOT NULL AS sql_standard_body, p.proconfig IS NULL AS no_set_clause,
       p.provolatile AS volatility, p.proparallel AS parallel
FROM pg_proc p WHERE p.pronamespace = 'da'::regnamespace AND p.proname IN ('count_problem', 'parse_count')
ORDER BY 1;

-- A force-return CSV as pandas writes it (every count float-formatted), with two genuinely
-- fractional rows among them: 9 rows, 7 load, the 2 fractions are rejected with the reason.
COPY return_staging (force, period_start, period_end, measure, value, source) FROM STDIN WITH (FORMAT csv, HEADER true);
force,period_start,period_end,measure,value,source
Kent,2016-07-01,2017-06-30,da_crimes,1711.0,pandas
Kent,2016-07-01,2017-06-30,da_arrests,"1,026.0",pandas
Kent,2016-07-01,2017-06-30,dvpo_applied, 42.00 ,pandas
Kent,2016-07-01,2017-06-30,dvpo_granted,0.0,pandas
Kent,2016-07-01,2017-06-30,da_charges,4474.5,pandas
Essex,2016-07-01,2017-06-30,da_crimes,"1,711",pandas
Essex,2016-07-01,2017-06-30,da_arrests,,pandas
Essex,2016-07-01,2017-06-30,dvpo_applied,12.25,pandas
Essex,2016-07-01,2017-06-30,dvpo_granted,3.000,pandas
\.
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('pandas.csv');
SELECT force_id, measure_id, value FROM force_return WHERE source = 'pandas' ORDER BY 1, 2;
SELECT line_no, force, measure, value, reason FROM rejected_return ORDER BY line_no;
-- Reloading the same file with the plain spellings changes nothing (same numbers).
INSERT INTO return_staging (force, period_start, period_end, measure, value, source) VALUES
 ('Kent', '2016-07-01', '2017-06-30', 'da_crimes', '1711', 'pandas'),
 ('Kent', '2016-07-01', '2017-06-30', 'da_arrests', '1026', 'pandas');
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('plain.csv');

-- Outcome counts: the same rule.
INSERT INTO outcome_staging (force, period_start, period_end, outcome, value, source) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '1',  '318.0',  'pandas'),
 ('Kent', '2016-07-01', '2017-06-30', '16', '"1,102.0"', 'pandas'),  -- CSV quotes kept by mistake: refused
 ('Kent', '2016-07-01', '2017-06-30', '16', '1,102.0', 'pandas'),
 ('Kent', '2016-07-01', '2017-06-30', '15', ' 77 ',   'pandas'),
 ('Kent', '2016-07-01', '2017-06-30', '8',  '2.5',    'pandas'),
 ('Kent', '2016-07-01', '2017-06-30', '3',  '1e2',    'pandas');
SELECT inserted, updated, unchanged, rejected FROM ingest_outcomes('pandas outcomes');
SELECT force_id, outcomes FROM force_return_outcomes ORDER BY 1;
SELECT line_no, measure AS outcome, value, reason FROM rejected_return r
JOIN return_load l USING (load_id) WHERE l.kind = 'outcomes' ORDER BY line_no;

ROLLBACK;
