-- da.validate_returns: every rule tripped, and returns that must not trip them; tuning the rules,
-- rules of one's own, recorded runs. Each part runs in a transaction that is rolled back, so no
-- test data is left behind.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

-- Helpers the messages use.
SELECT format_number(1234567) AS a, format_number(85.04, 1) AS b, format_number(-3.456, 2) AS c,
       format_number(0) AS d, format_number(2.5) AS e, format_number(12, -1) AS f, format_number(NULL) IS NULL AS g;
SELECT measure_name('Domestic abuse related crimes (all offences flagged DA)') AS a,
       measure_name('Resident population, all ages') AS b, measure_name('(only a remark)') AS c;

BEGIN;
-- Twelve territorial forces, two years (12 months to 30 June 2016 and 2017), identical and
-- clean except for the planted faults. Force 10 also returns the quarter to 30 June (same
-- end date, a different period: it must never be compared with the 12 months).
CREATE TEMP TABLE test_forces AS
SELECT force_id, row_number() OVER (ORDER BY force_id) AS k
FROM da.force WHERE kind = 'territorial' ORDER BY force_id LIMIT 12;
SELECT k, force_id FROM test_forces WHERE k <= 10 ORDER BY k;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT f.force_id, y.s, y.e, m.measure,
       CASE
         WHEN f.k = 1 AND y.e = '2017-06-30' AND m.measure = 'da_arrests' THEN '800'           -- 1: jump and outlier
         WHEN f.k = 2 AND y.e = '2017-06-30' AND m.measure = 'da_sexual_offences' THEN '1200'  -- 2: part > total
         WHEN f.k = 4 AND y.e = '2017-06-30' AND m.measure = 'da_crimes' THEN ''               -- 4: unable to provide
         WHEN f.k = 8 AND y.e = '2017-06-30' AND m.measure = 'dvpo_breached' THEN '7'          -- 8: 3 -> 7, chance
         WHEN f.k = 9 AND y.e = '2016-06-30' AND m.measure = 'dvpn_issued' THEN '0'            -- 9: 0 -> 40
         WHEN f.k = 9 AND y.e = '2017-06-30' AND m.measure = 'dvpn_issued' THEN '40'
         ELSE m.value END,
       'validation test'
FROM test_forces f,
     (VALUES ('2015-07-01', '2016-06-30'), ('2016-07-01', '2017-06-30')) y(s, e),
     (VALUES ('all_crime_excl_fraud', '10000'), ('da_crimes', '1000'), ('da_arrests', '500'),
             ('da_sexual_offences', '50'), ('dvpo_applied', '10'), ('dvpo_granted', '8'),
             ('dvpo_breached', '3'), ('dvpn_issued', '12')) m(measure, value)
WHERE NOT (f.k = 3 AND y.e = '2017-06-30' AND m.measure = 'dvpo_granted')               -- 3: missing
  AND NOT (f.k = 6 AND y.e = '2017-06-30')                                              -- 6: no return at all
  AND NOT (f.k IN (5, 7) AND y.e = '2017-06-30' AND m.measure = 'dvpn_issued');
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT force_id, '2016-07-01', '2017-06-30', 'dvpn_issued', '-5', 'validation test'     -- 5, 7: rejected
FROM test_forces WHERE k IN (5, 7)
UNION ALL
SELECT 'Action Fraud', '2016-07-01', '2017-06-30', 'all_crime_excl_fraud', '261943', 'validation test'  -- not a force
UNION ALL
SELECT force_id, q.s, q.e, m, (q.v * f)::text, 'validation test'                            -- 10: the quarter
FROM test_forces, (VALUES ('2016-04-01', '2016-06-30', 250), ('2017-04-01', '2017-06-30', 260)) q(s, e, v),
     (VALUES ('da_crimes', 1), ('all_crime_excl_fraud', 10)) m(m, f)
WHERE k = 10;
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('validation test');
-- Force 7 sends a corrected figure: its rejection is settled, force 5's is not.
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT force_id, '2016-07-01', '2017-06-30', 'dvpn_issued', '5', 'validation test, corrected'
FROM test_forces WHERE k = 7;
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('validation test, corrected');

-- Every finding for the period (forces 11 and 12 are clean, force 8's small jump and force
-- 10's quarter are not findings; force 5's rejected DVPNs are reported as rejected, not also as
-- missing).
SELECT t.k, v.force_id IS NULL AS no_force, v.measure_id, v.rule, v.severity, v.observed, v.expected_or_limit
FROM validate_returns('2017-06-30') v LEFT JOIN test_forces t USING (force_id)
ORDER BY CASE v.severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, t.k, v.measure_id, v.rule;
SELECT count(*) AS findings_for_clean_forces
FROM validate_returns('2017-06-30') v JOIN test_forces t USING (force_id) WHERE t.k IN (8, 10, 11, 12);
-- The sentences sent to forces (load numbers depend on the tests run before).
SELECT t.k, v.rule, regexp_replace(v.message, 'of load [0-9]+', 'of load N') AS message
FROM validate_returns('2017-06-30') v LEFT JOIN test_forces t USING (force_id)
ORDER BY CASE v.severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END, t.k, v.rule, v.measure_id;
-- validate_returns itself orders errors first, then warnings, then info; by force and measure.
SELECT string_agg(left(severity, 1), '' ORDER BY n) AS severities_in_order
FROM validate_returns('2017-06-30') WITH ORDINALITY v(force_id, measure_id, rule, severity, o, e, m, n);
-- The year before has nothing to compare with and no faults: clean. A date that ends no
-- stored period is an error (never "all clear"), as is a date inside a period. NULL: no rows.
SELECT count(*) AS findings_2016 FROM validate_returns('2016-06-30');
SAVEPOINT wrong_period;
SELECT count(*) AS findings_2010 FROM validate_returns('2010-06-30');
ROLLBACK TO wrong_period;
SELECT count(*) AS findings_mid_period FROM validate_returns('2017-06-15');
ROLLBACK TO wrong_period;
SELECT run_validation('2017-06-15');
ROLLBACK TO wrong_period;
SELECT count(*) AS findings_null FROM validate_returns(NULL);

-- Tuning: a higher jump threshold keeps only the big jumps; a disabled rule stops firing;
-- a severity can be raised.
UPDATE validation_rule SET threshold = 100 WHERE rule = 'count_jump';
UPDATE validation_rule SET enabled = false WHERE rule = 'funnel_99_8';
SELECT t.k, v.measure_id, v.rule FROM validate_returns('2017-06-30') v LEFT JOIN test_forces t USING (force_id)
WHERE v.rule IN ('count_jump', 'funnel_99_8') ORDER BY t.k;
UPDATE validation_rule SET severity = 'error' WHERE rule = 'rate_jump';
SELECT DISTINCT rule, severity FROM validate_returns('2017-06-30') WHERE rule = 'rate_jump';
-- Only what differs from the shipped default is stored (kept by pg_dump).
SELECT rule, severity, threshold, threshold_set, enabled FROM validation_rule_setting ORDER BY rule;
SELECT rule, severity, threshold, enabled, builtin FROM validation_rule ORDER BY builtin DESC, rule;
-- Back to the default: the setting goes away.
UPDATE validation_rule SET severity = 'warning' WHERE rule = 'rate_jump';
UPDATE validation_rule SET threshold = 50 WHERE rule = 'count_jump';
UPDATE validation_rule SET enabled = true WHERE rule = 'funnel_99_8';
SELECT count(*) AS settings FROM validation_rule_setting;
ROLLBACK;

-- What cannot be done to a built-in rule.
UPDATE validation_rule SET severity = 'fatal' WHERE rule = 'rate_jump';
UPDATE validation_rule SET description = 'mine' WHERE rule = 'rate_jump';
UPDATE validation_rule SET builtin = false WHERE rule = 'rate_jump';
UPDATE validation_rule SET threshold = 50 WHERE rule = 'funnel_99_8';
UPDATE validation_rule SET threshold = -1 WHERE rule = 'count_jump';
DELETE FROM validation_rule WHERE rule = 'rate_jump';
INSERT INTO validation_rule (rule, query) VALUES ('count_jump', 'SELECT 1');
-- Queries that cannot work are refused when a rule is added.
INSERT INTO validation_rule (rule, query) VALUES ('no_query', NULL);
INSERT INTO validation_rule (rule, query) VALUES ('wrong_columns', 'SELECT force_id FROM da.force_return WHERE period_end = $1');
INSERT INTO validation_rule (rule, query) VALUES ('not_sql', 'SELEKT 1');
INSERT INTO validation_rule (rule, query) VALUES ('two_statements', 'SELECT 1; SELECT 2');
INSERT INTO validation_rule (rule, severity, query) VALUES ('bad_severity', 'fatal', 'SELECT 1');
INSERT INTO validation_rule (rule, query) VALUES ('Bad Name', 'SELECT NULL AS force_id, NULL AS measure_id, NULL AS observed, NULL AS expected_or_limit, NULL AS message');
SELECT count(*) AS own_rules, (SELECT count(*) FROM validation_rule_setting) AS settings FROM validation_rule_custom;

-- A rule of one's own: DVPOs applied for more often than DVPNs were issued (an order needs a
-- notice first), with a margin as its threshold.
BEGIN;
CREATE TEMP TABLE test_forces AS
SELECT force_id, row_number() OVER (ORDER BY force_id) AS k
FROM da.force WHERE kind = 'territorial' ORDER BY force_id LIMIT 3;
INSERT INTO da.force_return (force_id, period_start, period_end, measure_id, value)
SELECT force_id, '2016-07-01', '2017-06-30', m, CASE WHEN k = 2 AND m = 'dvpn_issued' THEN 4 ELSE v END
FROM test_forces, (VALUES ('dvpn_issued', 12), ('dvpo_applied', 10)) x(m, v);
INSERT INTO validation_rule (rule, severity, threshold, description, query) VALUES
('dvpo_without_dvpn', 'warning', 2, 'More DVPOs applied for than DVPNs issued (plus threshold)',
 $q$SELECT o.force_id, o.measure_id, o.value AS observed, n.value AS expected_or_limit,
           format('%s DVPOs were applied for but only %s DVPNs issued; please check both.', o.value, n.value) AS message
    FROM da.force_return o JOIN da.force_return n USING (force_id, period_start, period_end)
    WHERE o.period_end = $1 AND o.measure_id = 'dvpo_applied' AND n.measure_id = 'dvpn_issued'
      AND o.value > n.value + $2;$q$);
SELECT rule, severity, threshold, enabled, builtin, query LIKE '%$2' AS semicolon_trimmed
FROM validation_rule WHERE NOT builtin;
SELECT t.k, v.measure_id, v.rule, v.severity, v.observed, v.expected_or_limit, v.message
FROM validate_returns('2017-06-30') v JOIN test_forces t USING (force_id);
UPDATE validation_rule SET threshold = 6, severity = 'error' WHERE rule = 'dvpo_without_dvpn';
SELECT count(*) AS findings FROM validate_returns('2017-06-30') WHERE rule = 'dvpo_without_dvpn';
UPDATE validation_rule SET threshold = 2 WHERE rule = 'dvpo_without_dvpn';
SELECT severity, count(*) AS findings FROM validate_returns('2017-06-30') WHERE rule = 'dvpo_without_dvpn' GROUP BY 1;
UPDATE validation_rule SET enabled = false WHERE rule = 'dvpo_without_dvpn';
SELECT count(*) AS findings_disabled FROM validate_returns('2017-06-30') WHERE rule = 'dvpo_without_dvpn';
-- A rule that fails while running is reported as an error finding; the run goes on.
INSERT INTO validation_rule (rule, severity, description, query) VALUES
('broken_at_run_time', 'info', 'divides by zero on any row',
 'SELECT force_id, measure_id, value / (value - value) AS observed, NULL AS expected_or_limit, ''x'' AS message
  FROM da.force_return WHERE period_end = $1');
SELECT force_id, measure_id, rule, severity, message FROM validate_returns('2017-06-30') WHERE rule = 'broken_at_run_time';
-- ... and when it is changed.
SAVEPOINT s;
UPDATE validation_rule SET query = 'SELECT 1' WHERE rule = 'dvpo_without_dvpn';
ROLLBACK TO s;
UPDATE validation_rule SET builtin = true WHERE rule = 'dvpo_without_dvpn';
ROLLBACK TO s;
-- Own rules can be renamed and deleted.
UPDATE validation_rule SET rule = 'dvpo_needs_dvpn' WHERE rule = 'dvpo_without_dvpn';
DELETE FROM validation_rule WHERE rule IN ('dvpo_needs_dvpn', 'broken_at_run_time');
SELECT count(*) AS own_rules FROM validation_rule_custom;
ROLLBACK;

-- Unattended runs: each run is recorded, clean or not, with its findings.
BEGIN;
SELECT run_validation() > 0 AS empty_run_ok;   -- nothing loaded: an empty run
SELECT period_end, errors, warnings, infos FROM validation_run;
INSERT INTO da.force_return (force_id, period_start, period_end, measure_id, value)
VALUES ('kent', '2016-07-01', '2017-06-30', 'all_crime_excl_fraud', 1000),
       ('kent', '2016-07-01', '2017-06-30', 'da_crimes', 1500),
       ('kent', '2015-07-01', '2016-06-30', 'da_crimes', 900);
SELECT run_validation() IS NOT NULL AS latest_run_ok, run_validation('2016-06-30') IS NOT NULL AS clean_run_ok;
SELECT period_end, errors, warnings, infos, run_by = current_user AS by_me FROM validation_run ORDER BY run_id;
SELECT r.period_end, f.force_id, f.rule, f.severity, f.run_at = r.run_at AS same_time
FROM validation_finding f JOIN validation_run r USING (run_id) ORDER BY f.rule;
ROLLBACK;

-- Scheduling needs pg_cron in this database (test/shell/pg_cron.sh runs it for real).
SELECT schedule_validation();
SELECT schedule_validation(NULL);
SELECT unschedule_validation();
