-- Warehouse kit, ingest: every rejection reason one by one, NULL (unable to provide) vs 0,
-- idempotent reload, corrections kept in the history, load accounting, outcome counts.
-- Runs in one transaction that is rolled back (psql rolls back a failing statement only).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
SET datestyle = 'ISO, YMD';
\set ON_ERROR_ROLLBACK on
BEGIN;

-- A first file: good rows, every kind of bad row, and a duplicated key.
INSERT INTO return_staging (force, period_start, period_end, measure, value, source) VALUES
 ('Hampshire',               '2016-07-01', '2017-06-30', 'da_crimes',   '1,234', 'row source'),  -- line 2
 ('Hampshire Constabulary',  '2016-07-01', '2017-06-30', 'da_arrests',  '',      NULL),          -- 3: unable to provide
 ('Kent',                    '2016-07-01', '2017-06-30', 'da_arrests',  '0',     NULL),          -- 4: a real zero
 ('Narnia',                  '2016-07-01', '2017-06-30', 'da_crimes',   '5',     NULL),          -- 5
 ('Kent',                    '2016-07-01', '2017-06-30', 'da_crimez',   '5',     NULL),          -- 6
 ('Kent',                    '2016-07-1',  '2017-06-30', 'da_crimes',   '5',     NULL),          -- 7
 ('Kent',                    '2016-07-01', '2017-02-30', 'da_crimes',   '5',     NULL),          -- 8
 ('Kent',                    '2017-07-01', '2017-06-30', 'da_crimes',   '5',     NULL),          -- 9
 ('Kent',                    '2016-08-01', '2017-06-30', 'da_crimes',   '5',     NULL),          -- 10: 11 months
 ('Kent',                    '2016-07-15', '2017-07-14', 'da_crimes',   '5',     NULL),          -- 11: not calendar months
 ('Kent',                    '2016-07-01', '2017-06-30', 'da_crimes',   '-5',    NULL),          -- 12
 ('Kent',                    '2016-07-01', '2017-06-30', 'da_crimes',   '5.5',   NULL),          -- 13
 ('Kent',                    '2016-07-01', '2017-06-30', 'da_crimes',   'n/a',   NULL),          -- 14
 ('Kent',                    '2016-07-01', '2017-06-30', 'da_crimes',   '99999999999999999999', NULL), -- 15
 ('Kent',                    '2016-07-01', '2017-06-30', 'dvpo_granted', '3',    NULL),          -- 16: duplicate ...
 ('Kent Police',             '2016-07-01', '2017-06-30', 'DVPO_GRANTED', '4',    NULL),          -- 17: ... of 16
 (NULL,                      NULL,         NULL,         NULL,          'x',     NULL),          -- 18: everything wrong
 ('Kent',                    '2017-06-01', '2017-06-30', 'da_crimes',   '400',   NULL),          -- 19: one month
 ('Kent',                    '2017-04-01', '2017-06-30', 'da_crimes',   '1200',  NULL);          -- 20: a quarter
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('first.csv');
SELECT line_no, force, measure, value, reason FROM rejected_return ORDER BY line_no;
SELECT force_id, period_start, period_end, measure_id, value, source FROM force_return ORDER BY 1, 2, 3, 4;
-- NULL is "unable to provide", distinct from 0.
SELECT force_id, measure_id, value IS NULL AS unable_to_provide, value = 0 AS zero
FROM force_return WHERE measure_id = 'da_arrests' ORDER BY 1;
-- The staging area is empty afterwards; the load is accounted for, row by row.
SELECT count(*) AS left_in_staging FROM return_staging;
SELECT kind, source, staged, inserted, updated, unchanged, rejected,
       staged = inserted + updated + unchanged + rejected AS balanced FROM return_load ORDER BY load_id;

-- The same good rows again: nothing changes.
INSERT INTO return_staging (force, period_start, period_end, measure, value, source) VALUES
 ('Hampshire', '2016-07-01', '2017-06-30', 'da_crimes', '1234', 'row source'),
 ('Hampshire', '2016-07-01', '2017-06-30', 'da_arrests', NULL, NULL),
 ('kent', '2016-07-01', '2017-06-30', 'da_arrests', '0', NULL);
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('first.csv again');
SELECT count(*) AS history_rows FROM force_return_history;

-- Corrections: a new value replaces the old one, which goes to the history with who and when;
-- "unable to provide" later provided is a correction too; a value withdrawn (now empty) also.
INSERT INTO return_staging (force, period_start, period_end, measure, value, source) VALUES
 ('Hampshire', '2016-07-01', '2017-06-30', 'da_crimes', '1240', 'resubmission'),
 ('Hampshire', '2016-07-01', '2017-06-30', 'da_arrests', '390', 'resubmission'),
 ('Kent', '2016-07-01', '2017-06-30', 'da_arrests', '', 'resubmission'),
 ('Essex', '2016-07-01', '2017-06-30', 'da_crimes', '9000', NULL);
SELECT inserted, updated, unchanged, rejected FROM ingest_returns('corrections.csv');
SELECT force_id, measure_id, old_value, new_value, old_source, new_source,
       changed_by = current_user AS by_me, changed_at IS NOT NULL AS dated,
       load_id = (SELECT max(load_id) FROM return_load) AS by_last_load,
       old_load_id < load_id AS older_load
FROM force_return_history ORDER BY force_id, measure_id;
SELECT force_id, measure_id, value, source FROM force_return
WHERE period_end = '2017-06-30' AND period_start = '2016-07-01' ORDER BY 1, 2;
-- The empty default source: the ingest's argument is used when a row has none.
SELECT source FROM force_return WHERE force_id = 'essex';

-- An empty staging area is a load of nothing.
SELECT inserted, updated, unchanged, rejected FROM ingest_returns();
-- Every staged row is accounted for across all loads.
SELECT sum(staged) AS staged, sum(inserted + updated + unchanged + rejected) AS accounted,
       (SELECT count(*) FROM rejected_return) AS rejected_rows FROM return_load;

-- Each role ingests only what it staged itself.
INSERT INTO return_staging (force, period_start, period_end, measure, value, staged_by)
VALUES ('Kent', '2016-07-01', '2017-06-30', 'dvpo_applied', '5', 'someone_else');
SELECT inserted, rejected FROM ingest_returns();
SELECT force, staged_by FROM return_staging;
DELETE FROM return_staging;

-- Outcome counts: pre-counted rows (force, period, code, count) become one da.outcome_counts
-- per force and period.
INSERT INTO outcome_staging (force, period_start, period_end, outcome, value, source) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '1', '100', 'o'),      -- line 2
 ('Kent', '2016-07-01', '2017-06-30', '16', '200', 'o'),     -- 3
 ('Kent', '2016-07-01', '2017-06-30', '0', '5', 'o'),        -- 4: not yet assigned
 ('Kent', '2016-07-01', '2017-06-30', ' 1a ', '3', 'o'),     -- 5: codes are matched case-insensitively
 ('Kent', '2016-07-01', '2017-06-30', '19', '5', 'o'),       -- 6: no such outcome
 ('Kent', '2016-07-01', '2017-06-30', '', '5', 'o'),         -- 7: a count without a code
 ('Kent', '2016-07-01', '2017-06-30', '8', '-1', 'o'),       -- 8
 ('Kent', '2016-07-01', '2017-06-30', '8', '2', 'o'),        -- 9: duplicate ...
 ('Kent', '2016-07-01', '2017-06-30', '8', '2', 'o'),        -- 10: ... of 9
 ('Narnia', '2016-07-01', '2017-06-30', '1', '2', 'o'),      -- 11
 ('Kent', '2016-07-01', '2017-05-30', '1', '2', 'o'),        -- 12
 ('City of London', '2016-07-01', '2017-06-30', '', '', 'o'),-- 13: the whole period unable to provide
 ('Essex', '2016-07-01', '2017-06-30', '1', '', 'o'),        -- 14: empty count mixed with counts
 ('Essex', '2016-07-01', '2017-06-30', '3', '7', 'o'),       -- 15
 ('Surrey', '2016-07-01', '2017-06-30', '3', '', 'o');       -- 16: empty count for one code only
SELECT inserted, updated, unchanged, rejected FROM ingest_outcomes('outcomes.csv');
SELECT line_no, force, measure AS outcome, value, reason FROM rejected_return
WHERE load_id = (SELECT max(load_id) FROM return_load) ORDER BY line_no;
SELECT force_id, outcomes, outcomes IS NULL AS unable_to_provide, source FROM force_return_outcomes ORDER BY 1;
SELECT outcome_n(outcomes, '16') AS n16, outcome_total(outcomes) AS assigned, outcome_unassigned(outcomes) AS unassigned
FROM force_return_outcomes WHERE force_id = 'kent';
-- Reload: unchanged. A correction of one code keeps the others and records the distribution.
INSERT INTO outcome_staging (force, period_start, period_end, outcome, value) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '1', '100'), ('Kent', '2016-07-01', '2017-06-30', '16', '200');
SELECT inserted, updated, unchanged, rejected FROM ingest_outcomes();
INSERT INTO outcome_staging (force, period_start, period_end, outcome, value, source) VALUES
 ('Kent', '2016-07-01', '2017-06-30', '16', '250', 'fix'),
 ('Kent', '2016-07-01', '2017-06-30', '1', '100', 'fix'),
 ('City of London', '2016-07-01', '2017-06-30', '8', '3', 'late');
SELECT inserted, updated, unchanged, rejected FROM ingest_outcomes();
SELECT force_id, outcomes FROM force_return_outcomes ORDER BY 1;
SELECT force_id, old_outcomes, new_outcomes, old_source, new_source FROM force_return_outcomes_history ORDER BY 1;
-- Withdrawn: a period marked unable to provide after all.
INSERT INTO outcome_staging (force, period_start, period_end, outcome, value) VALUES ('Essex', '2016-07-01', '2017-06-30', NULL, NULL);
SELECT inserted, updated, unchanged, rejected FROM ingest_outcomes('withdrawn');
SELECT force_id, old_outcomes, new_outcomes FROM force_return_outcomes_history WHERE force_id = 'essex';

-- The outcome table per force and period, on the per-100-offences basis of the same period.
SELECT force_id, period, da_crimes, code, n, round(pct_of_outcomes, 2) AS pct_of_outcomes,
       round(per_100_offences, 2) AS per_100_offences
FROM force_outcome_table WHERE n > 0 OR force_id = 'essex' AND code = '1' ORDER BY force_id, code;

-- The wide view.
SELECT force_id, period, da_crimes, da_arrests, dvpo_granted, measures_returned, measures_unable_to_provide
FROM force_return_wide ORDER BY 1, 2;

-- Direct writes obey the table's own checks too.
INSERT INTO force_return (force_id, period_start, period_end, measure_id, value, loaded_at)
VALUES ('kent', '2017-01-01', '2017-01-31', 'da_crimes', -1, '2020-01-01 00:00+00');
INSERT INTO force_return (force_id, period_start, period_end, measure_id, value, loaded_at)
VALUES ('kent', '2017-01-31', '2017-01-01', 'da_crimes', 1, '2020-01-01 00:00+00');
INSERT INTO force_return (force_id, period_start, period_end, measure_id, value)
VALUES ('kent', '2017-01-01', '2017-01-31', 'no_such_measure', 1);

ROLLBACK;
