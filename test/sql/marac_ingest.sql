-- MARAC quarterly returns, ingest: every rejection reason, whole numbers in any spelling,
-- idempotent reload, corrections kept in the history, load accounting, and the security
-- model (a loader limited to one force, an analyst limited to one force, no direct writes).
-- The MARACs are made up. Runs in one transaction that is rolled back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
SET datestyle = 'ISO, YMD';
\set VERBOSITY terse
\set ON_ERROR_ROLLBACK on
BEGIN;

INSERT INTO marac_area (marac_id, name, force_id) VALUES
 ('kent_x', 'Example Kent MARAC', 'kent'), ('essex_y', 'Example Essex MARAC', 'essex');
-- Names are unique whatever their letter case; ids are lower-case identifiers.
INSERT INTO marac_area (marac_id, name, force_id) VALUES ('kent_z', 'EXAMPLE KENT MARAC', 'kent');
INSERT INTO marac_area (marac_id, name, force_id) VALUES ('Kent Z', 'Another', 'kent');
SELECT resolve_marac('example kent marac') AS by_name, resolve_marac(' KENT_X ') AS by_id, resolve_marac('nowhere') AS unknown;

INSERT INTO marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females, source) VALUES
 ('Example Kent MARAC', 'Kent',  '2016-04-01', '2016-06-30', '100.0', '25.0', '130.0', '50,000.0', 'pandas'), -- 2: ok
 ('KENT_X',             NULL,    '2016-07-01', '2016-09-30', '1,100', ' 30 ', '', '50000', NULL),          -- 3: ok, children unable to provide
 ('Example Kent MARAC', 'Kent Police', '2016-10-01', '2016-12-31', '', '', '', '', NULL),                 -- 4: ok, quarter not returned
 ('',                   'Kent',  '2016-04-01', '2016-06-30', '1', '1', '1', '1', NULL),                   -- 5
 ('Narnia MARAC',       'Kent',  '2016-04-01', '2016-06-30', '1', '1', '1', '1', NULL),                   -- 6
 ('kent_x',             'Essex', '2017-01-01', '2017-03-31', '1', '1', '1', '1', NULL),                   -- 7
 ('kent_x',             'Narnia','2017-01-01', '2017-03-31', '1', '1', '1', '1', NULL),                   -- 8
 ('kent_x',             NULL,    '2017-1-1',   '2017-03-31', '1', '1', '1', '1', NULL),                   -- 9
 ('kent_x',             NULL,    '2017-02-01', '2017-04-30', '1', '1', '1', '1', NULL),                   -- 10: not a calendar quarter
 ('kent_x',             NULL,    '2016-04-01', '2017-03-31', '1', '1', '1', '1', NULL),                   -- 11: 12 months
 ('kent_x',             NULL,    '2017-03-31', '2017-01-01', '1', '1', '1', '1', NULL),                   -- 12
 ('kent_x',             NULL,    '2017-01-01', '2017-03-31', '4474.5', '1,71,1', '-5.0', '1e3', NULL),    -- 13: every count wrong
 ('essex_y',            NULL,    '2017-01-01', '2017-03-31', '10', '1', '12', '9000', NULL),              -- 14: duplicate ...
 ('Example Essex MARAC', 'Essex','2017-01-01', '2017-03-31', '11', '1', '12', '9000', NULL);              -- 15: ... of 14
SELECT inserted, updated, unchanged, rejected FROM ingest_marac('first file');
SELECT line_no, marac, force, reason FROM rejected_marac_return ORDER BY line_no;
SELECT marac_id, force_id, quarter_start, quarter_end, cases, repeat_cases, children, adult_females, source
FROM marac_return ORDER BY marac_id, quarter_end;
-- Staging is emptied by the ingest; the load is logged as kind 'marac'.
SELECT count(*) AS left_staged FROM marac_staging;
SELECT kind, source, staged, inserted, updated, unchanged, rejected FROM return_load ORDER BY load_id;

-- The same file again changes nothing; a corrected value replaces the stored one and the
-- old one goes to the history.
INSERT INTO marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
 ('kent_x', '2016-04-01', '2016-06-30', '100', '25', '130', '50000'),
 ('kent_x', '2016-07-01', '2016-09-30', '1100', '30', '', '50000'),
 ('kent_x', '2016-10-01', '2016-12-31', '', '', '', '');
SELECT inserted, updated, unchanged, rejected FROM ingest_marac('same again');
INSERT INTO marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females, source) VALUES
 ('kent_x', '2016-07-01', '2016-09-30', '110', '30', '140', '50000', 'corrected'),
 ('kent_x', '2016-10-01', '2016-12-31', '120', '35', '150', '50000', 'late return');
SELECT inserted, updated, unchanged, rejected FROM ingest_marac('corrections');
SELECT marac_id, quarter_end, old_cases, new_cases, old_children, new_children, old_source, new_source, changed_by = current_user AS by_me
FROM marac_return_history ORDER BY history_id;

-- An ingest takes only its own session's staged rows: a row tagged with another session's
-- key (as a second session of the same role would tag it) stays staged.
INSERT INTO marac_staging (marac, period_start, period_end, cases, staged_session) VALUES
 ('kent_x', '2017-04-01', '2017-06-30', '1', '1/20260101000000000000'),
 ('no such MARAC', '2017-07-01', '2017-09-30', '2', DEFAULT);
SELECT inserted, rejected FROM ingest_marac('two sessions');
SELECT staged FROM return_load WHERE source = 'two sessions';
SELECT marac, period_end, staged_session = staging_session() AS mine FROM marac_staging;
DELETE FROM marac_staging;

-- Security. A loader for Kent only, an analyst for Kent only, a role with no grant.
CREATE ROLE da_test_marac_kent_loader NOLOGIN;
CREATE ROLE da_test_marac_kent NOLOGIN;
CREATE ROLE da_test_marac_nobody NOLOGIN;
SELECT grant_access('da_test_marac_kent_loader', 'loader', ARRAY['kent']);
SELECT grant_access('da_test_marac_kent', 'analyst', ARRAY['kent']);
INSERT INTO marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
 ('essex_y', '2016-04-01', '2016-06-30', '9', '1', '9', '9000');
SELECT inserted FROM ingest_marac('essex');
SET ROLE da_test_marac_kent_loader;
INSERT INTO marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
 ('kent_x', '2017-01-01', '2017-03-31', '130', '40', '160', '50400'),
 ('essex_y', '2016-07-01', '2016-09-30', '9', '1', '9', '9000');
SELECT inserted, rejected FROM ingest_marac('kent loader');
SELECT line_no, marac, reason FROM rejected_marac_return ORDER BY rejected_id DESC LIMIT 1;
-- Writes only through the ingest.
INSERT INTO marac_return (marac_id, force_id, quarter_start, quarter_end, cases) VALUES ('kent_x', 'kent', '2017-04-01', '2017-06-30', 1);
UPDATE marac_return SET cases = 0;
DELETE FROM marac_return_history;
INSERT INTO marac_area (marac_id, name, force_id) VALUES ('kent_w', 'W', 'kent');
SELECT count(*) AS kent_rows_seen FROM marac_return;
RESET ROLE;
SET ROLE da_test_marac_kent;
-- Row-level security: only Kent's quarters, Kent's 12-month figures, Kent's history.
SELECT DISTINCT force_id FROM marac_return;
SELECT force_id, period_end, maracs_included, cases FROM marac_12_months ORDER BY 1, 2;
SELECT DISTINCT marac_id FROM marac_return_history;
SELECT count(*) FROM marac_staging;
SELECT inserted FROM ingest_marac('analyst');
RESET ROLE;
SET ROLE da_test_marac_nobody;
SELECT count(*) FROM marac_12_months;
SELECT inserted FROM ingest_marac('nobody');
RESET ROLE;
-- The superuser sees both forces.
SELECT force_id, count(*) FROM marac_return GROUP BY 1 ORDER BY 1;

ROLLBACK;
