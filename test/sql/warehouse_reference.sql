-- Warehouse kit, reference data: forces (ONS police force area codes), aliases, measures,
-- periods. Independent figures: the ONS PFA code list and the Home Office PFA table's force
-- names and regions, transcribed here as literals.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
SET datestyle = 'ISO, YMD';

-- 43 territorial forces (39 English, 4 Welsh) in the national total; BTP and the
-- england_wales aggregate outside it.
SELECT kind, country, in_national_total, count(*) FROM force GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
-- Every territorial force has a code; E23000001..E23000039 and W15000001..W15000004 exactly.
SELECT count(*) FILTER (WHERE ons_code ~ '^E23') AS english, count(*) FILTER (WHERE ons_code ~ '^W15') AS welsh,
       min(ons_code), max(ons_code) FILTER (WHERE ons_code ~ '^E23') AS max_e,
       bool_and(ons_code IS NOT NULL) FILTER (WHERE kind = 'territorial') AS all_coded
FROM force;
-- The code list, checked against an independent transcription (ONS PFA Dec 2016 names).
SELECT f.force_id, f.ons_code, v.ons_name
FROM force f FULL JOIN (VALUES
  ('E23000001', 'Metropolitan Police'), ('E23000002', 'Cumbria'), ('E23000003', 'Lancashire'),
  ('E23000004', 'Merseyside'), ('E23000005', 'Greater Manchester'), ('E23000006', 'Cheshire'),
  ('E23000007', 'Northumbria'), ('E23000008', 'Durham'), ('E23000009', 'North Yorkshire'),
  ('E23000010', 'West Yorkshire'), ('E23000011', 'South Yorkshire'), ('E23000012', 'Humberside'),
  ('E23000013', 'Cleveland'), ('E23000014', 'West Midlands'), ('E23000015', 'Staffordshire'),
  ('E23000016', 'West Mercia'), ('E23000017', 'Warwickshire'), ('E23000018', 'Derbyshire'),
  ('E23000019', 'Nottinghamshire'), ('E23000020', 'Lincolnshire'), ('E23000021', 'Leicestershire'),
  ('E23000022', 'Northamptonshire'), ('E23000023', 'Cambridgeshire'), ('E23000024', 'Norfolk'),
  ('E23000025', 'Suffolk'), ('E23000026', 'Bedfordshire'), ('E23000027', 'Hertfordshire'),
  ('E23000028', 'Essex'), ('E23000029', 'Thames Valley'), ('E23000030', 'Hampshire'),
  ('E23000031', 'Surrey'), ('E23000032', 'Kent'), ('E23000033', 'Sussex'),
  ('E23000034', 'London, City of'), ('E23000035', 'Devon & Cornwall'), ('E23000036', 'Avon and Somerset'),
  ('E23000037', 'Gloucestershire'), ('E23000038', 'Wiltshire'), ('E23000039', 'Dorset'),
  ('W15000001', 'North Wales'), ('W15000002', 'Gwent'), ('W15000003', 'South Wales'),
  ('W15000004', 'Dyfed-Powys')) v(code, ons_name) ON v.code = f.ons_code
WHERE f.kind IS DISTINCT FROM 'aggregate' AND (f.ons_code IS NULL OR v.code IS NULL OR resolve_force(v.ons_name) <> f.force_id)
ORDER BY 1;
-- Regions: the Home Office table's spelling; London forces, Wales, BTP without one.
SELECT region, count(*), string_agg(force_id, ' ' ORDER BY force_id) FILTER (WHERE region IN ('London', 'North East'))
FROM force GROUP BY region ORDER BY region NULLS FIRST;

-- Names as source data writes them.
SELECT x AS source_name, resolve_force(x)
FROM unnest(ARRAY['Hampshire', 'hampshire', 'HAMPSHIRE CONSTABULARY', 'Kent Police', 'Metropolitan Police Service',
                  'Metropolitan Police', 'MPS', 'London, City of', 'City of London Police', 'E23000034',
                  'e23000035', 'Devon & Cornwall', 'Devon and Cornwall Police', 'Dyfed-Powys Police', 'Dyfed Powys',
                  'British Transport Police', 'BTP', 'btp', '  Gwent  ', 'Heddlu Gwent', 'England and Wales',
                  'Action Fraud', 'Police', '', 'Scotland']) x;
SELECT resolve_force(NULL) IS NULL AS null_in_null_out;
-- Users add aliases; the alias check refuses blanks and padding; case-insensitively unique.
INSERT INTO force_alias (alias, force_id) VALUES ('Hants', 'hampshire');
SELECT resolve_force('hants'), user_defined FROM force_alias WHERE alias = 'Hants';
INSERT INTO force_alias (alias, force_id) VALUES ('HANTS', 'kent');
INSERT INTO force_alias (alias, force_id) VALUES (' Hants', 'kent');
INSERT INTO force_alias (alias, force_id) VALUES ('Narnia', 'narnia');
DELETE FROM force_alias WHERE alias = 'Hants';

-- Forces: the checks.
INSERT INTO force (force_id, name) VALUES ('Bad Id', 'x');
INSERT INTO force (force_id, name, ons_code) VALUES ('x', 'x', 'S23000001');
INSERT INTO force (force_id, name, kind, in_national_total) VALUES ('x', 'x', 'aggregate', true);
INSERT INTO force (force_id, name, country) VALUES ('x', 'x', 'Scotland');
INSERT INTO force (force_id, name) VALUES ('kent', 'Kent again');

-- Measures: parents are measures; the parts the reports compare.
SELECT measure_id, unit, parent_measure FROM measure WHERE parent_measure IS NOT NULL ORDER BY parent_measure, measure_id;
SELECT count(*) AS measures, count(*) FILTER (WHERE user_defined) AS user_defined FROM measure;
INSERT INTO measure (measure_id, description, parent_measure) VALUES ('x_part', 'x', 'no_such_total');

-- Periods.
SELECT period_months(s, e) AS months, period_label(s, e) AS label
FROM (VALUES ('2016-07-01'::date, '2017-06-30'::date), ('2017-04-01', '2017-06-30'), ('2017-06-01', '2017-06-30'),
             ('2016-02-01', '2016-02-29'), ('2015-03-01', '2016-02-29'), ('2017-06-02', '2017-06-30'),
             ('2017-06-01', '2017-06-29'), ('2017-07-01', '2017-06-30'), ('2012-09-01', '2013-08-31')) v(s, e);
SELECT period_months(NULL, '2017-06-30') IS NULL AS null_months, period_label('2017-01-01', NULL) IS NULL AS null_label,
       year_earlier_start(NULL) IS NULL AS null_start, year_earlier_end(NULL) IS NULL AS null_end,
       parse_iso_date(NULL) IS NULL AS null_date, parse_count(NULL) IS NULL AS null_count,
       parse_count('') IS NULL AS empty_count;
SELECT e AS period_end, year_earlier_end(e), year_earlier_start(s) AS start_year_earlier
FROM (VALUES ('2016-07-01'::date, '2017-06-30'::date), ('2016-03-01', '2017-02-28'), ('2015-03-01', '2016-02-29'),
             ('2016-04-01', '2017-03-31')) v(s, e);

-- Input helpers of the ingest.
SELECT t, parse_iso_date(t)
FROM unnest(ARRAY['2017-06-30', ' 2017-06-30 ', '2017-02-30', '2017-13-01', '30/06/2017', '2017-6-30', '', 'x', '0000-01-01']) t;
SELECT t, count_problem(t), CASE WHEN count_problem(t) IS NULL THEN parse_count(t) END AS count
FROM unnest(ARRAY['0', '12', ' 12 ', '1,234', '12,34', '1,234,567', '-1', '- 3', '-0', '1.5', '1e3', 'n/a', '..',
                  '9223372036854775807', '9223372036854775808', '000000000000000000000001', '', NULL]) t;
