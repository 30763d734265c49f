-- Load the demo data (data/demo/*.csv) through the kit's own ingest path: \copy into the
-- staging tables, then da.ingest_returns() / da.ingest_outcomes(), one load per file.
-- Run from the repository root (psql's \copy paths are relative to the working directory);
-- used by scripts/demo.sql and test/pgtap/warehouse_demo.sql. Prints nothing; the load
-- counts are left in the temporary table demo_load.

-- The one unit the demo adds: the 35-force panel behind the published national arrest rate.
INSERT INTO da.force (force_id, name, in_national_total, kind)
VALUES ('ew_arrest_panel', 'England and Wales (35-force arrest panel)', false, 'aggregate')
ON CONFLICT (force_id) DO NOTHING;

SET client_min_messages = warning;
CREATE TEMP TABLE IF NOT EXISTS demo_load (file text, load_id bigint, inserted bigint, updated bigint,
                                           unchanged bigint, rejected bigint);

\copy da.return_staging (force, period_start, period_end, measure, value, source) FROM 'data/demo/national_2016_2017.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO demo_load SELECT 'national_2016_2017.csv', * FROM da.ingest_returns('data/demo/national_2016_2017.csv');
\copy da.return_staging (force, period_start, period_end, measure, value, source) FROM 'data/demo/arrest_panel_2016_2017.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO demo_load SELECT 'arrest_panel_2016_2017.csv', * FROM da.ingest_returns('data/demo/arrest_panel_2016_2017.csv');
\copy da.outcome_staging (force, period_start, period_end, outcome, value, source) FROM 'data/demo/outcomes_table6.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO demo_load SELECT 'outcomes_table6.csv', * FROM da.ingest_outcomes('data/demo/outcomes_table6.csv');
\copy da.return_staging (force, period_start, period_end, measure, value, source) FROM 'data/demo/marac_2017.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO demo_load SELECT 'marac_2017.csv', * FROM da.ingest_returns('data/demo/marac_2017.csv');
\copy da.return_staging (force, period_start, period_end, measure, value, source) FROM 'data/demo/force_profiles_2013.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO demo_load SELECT 'force_profiles_2013.csv', * FROM da.ingest_returns('data/demo/force_profiles_2013.csv');
