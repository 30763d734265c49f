-- da.validate_returns: every rule tripped once, and the returns that do not trip it.
-- Everything runs in one transaction that is rolled back, so no test data is left behind.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
RESET client_min_messages;
SET search_path = public, da;
BEGIN;
-- Ten territorial forces, two years (12 months to 30 June 2016 and 2017), identical and
-- clean except for the five planted faults below.
CREATE TEMP TABLE test_forces AS
SELECT force_id, row_number() OVER (ORDER BY force_id) AS k
FROM da.force WHERE kind = 'territorial' ORDER BY force_id LIMIT 10;
SELECT k, force_id FROM test_forces WHERE k <= 5 ORDER BY k;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT f.force_id, y.s, y.e, m.measure,
       CASE
         WHEN f.k = 1 AND y.e = '2017-06-30' AND m.measure = 'da_arrests' THEN '800'           -- fault 1: jump and outlier
         WHEN f.k = 2 AND y.e = '2017-06-30' AND m.measure = 'da_sexual_offences' THEN '1200'  -- fault 2: part > total
         WHEN f.k = 4 AND y.e = '2017-06-30' AND m.measure = 'da_crimes' THEN ''               -- fault 4: unable to provide
         ELSE m.value END,
       'validation test'
FROM test_forces f,
     (VALUES ('2015-07-01', '2016-06-30'), ('2016-07-01', '2017-06-30')) y(s, e),
     (VALUES ('all_crime_excl_fraud', '10000'), ('da_crimes', '1000'), ('da_arrests', '500'),
             ('da_sexual_offences', '50'), ('dvpo_applied', '10'), ('dvpo_granted', '8')) m(measure, value)
WHERE NOT (f.k = 3 AND y.e = '2017-06-30' AND m.measure = 'dvpo_granted');              -- fault 3: missing
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT force_id, '2016-07-01', '2017-06-30', 'dvpn_issued', '-5', 'validation test'  -- fault 5: rejected
FROM test_forces WHERE k = 5;
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('validation test');

-- Every finding for the period (forces 6-10 are clean and appear nowhere).
SELECT t.k, v.measure_id, v.rule, v.severity, v.observed, v.expected_or_limit
FROM validate_returns('2017-06-30') v LEFT JOIN test_forces t USING (force_id)
ORDER BY v.severity, t.k, v.measure_id, v.rule;
SELECT count(*) AS findings_for_clean_forces
FROM validate_returns('2017-06-30') v JOIN test_forces t USING (force_id) WHERE t.k > 5;
-- The sentences sent to forces.
SELECT t.k, v.rule, v.message
FROM validate_returns('2017-06-30') v LEFT JOIN test_forces t USING (force_id)
WHERE v.rule IN ('part_exceeds_total', 'missing_vs_year_earlier', 'funnel_99_8', 'rate_not_computable', 'count_jump')
ORDER BY t.k, v.rule, v.measure_id;
-- The year before has nothing to compare with and no faults: clean.
SELECT count(*) AS findings_2016 FROM validate_returns('2016-06-30');

-- Tuning: a higher jump threshold keeps only the big jump; a disabled rule stops firing.
UPDATE validation_rule SET threshold = 100 WHERE rule = 'count_jump';
UPDATE validation_rule SET enabled = false WHERE rule = 'funnel_99_8';
SELECT t.k, v.measure_id, v.rule FROM validate_returns('2017-06-30') v LEFT JOIN test_forces t USING (force_id)
WHERE v.rule IN ('count_jump', 'funnel_99_8') ORDER BY t.k;
UPDATE validation_rule SET severity = 'error' WHERE rule = 'rate_jump';
SELECT DISTINCT rule, severity FROM validate_returns('2017-06-30') WHERE rule = 'rate_jump';
-- A user-defined threshold must still be sane.
UPDATE validation_rule SET severity = 'fatal' WHERE rule = 'rate_jump';
ROLLBACK;

-- Unattended runs append findings with a run id.
BEGIN;
SELECT run_validation() > 0 AS empty_run_ok;   -- nothing loaded: an empty run
SELECT count(*) AS findings FROM validation_finding;
ROLLBACK;
