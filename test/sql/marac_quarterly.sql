-- MARAC returns per MARAC and quarter with SafeLives' rules (issue 13 item 2, DOMAIN.md §5):
-- one worked example per rule, figures worked by hand in the comments, and agreement with
-- da.marac (force-level 12-month returns) when every quarter is present. The MARACs are
-- made up ("Example A" ...); the rules are SafeLives'.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
SET datestyle = 'ISO, YMD';
\set ON_ERROR_ROLLBACK on
BEGIN;

INSERT INTO marac_area (marac_id, name, force_id) VALUES
 ('kent_a', 'Example A', 'kent'),   -- every quarter returned
 ('kent_b', 'Example B', 'kent'),   -- quarter to 31 Dec 2016 not returned (cases empty): carried from 30 Sep 2016
 ('kent_c', 'Example C', 'kent'),   -- quarters to 30 Sep and 31 Dec 2016 missing: left out
 ('kent_d', 'Example D', 'kent'),   -- first quarter (30 Jun 2016) missing, nothing before it: left out
 ('kent_e', 'Example E', 'kent'),   -- first quarter missing, quarter to 31 Mar 2016 returned: carried from it
 ('kent_f', 'Example F', 'kent'),   -- quarters to 30 Jun and 31 Dec 2016 missing (not in a row): left out
 ('essex_n', 'Example North', 'essex'),
 ('essex_s', 'Example South', 'essex');

-- Quarters: 2016-01-01..03-31 (before the period), then the four of "12 months to 31 March 2017".
INSERT INTO marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
 ('Example A', '2016-01-01', '2016-03-31', '90',  '20', '100', '50000'),
 ('Example A', '2016-04-01', '2016-06-30', '100', '25', '130', '50000'),
 ('Example A', '2016-07-01', '2016-09-30', '110', '30', '140', '50000'),
 ('Example A', '2016-10-01', '2016-12-31', '120', '35', '150', '50000'),
 ('Example A', '2017-01-01', '2017-03-31', '130', '40', '160', '50400'),
 ('Example B', '2016-01-01', '2016-03-31', '60',  '10', '70',  '30000'),
 ('Example B', '2016-04-01', '2016-06-30', '61',  '11', '71',  '30000'),
 ('Example B', '2016-07-01', '2016-09-30', '62',  '12', '72',  '30000'),
 ('Example B', '2016-10-01', '2016-12-31', '',    '',   '',    ''),
 ('Example B', '2017-01-01', '2017-03-31', '64',  '14', '74',  '30100'),
 ('Example C', '2016-01-01', '2016-03-31', '40',  '5',  '50',  '20000'),
 ('Example C', '2016-04-01', '2016-06-30', '41',  '6',  '51',  '20000'),
 ('Example C', '2017-01-01', '2017-03-31', '44',  '9',  '54',  '20000'),
 ('Example D', '2016-07-01', '2016-09-30', '20',  '2',  '25',  '10000'),
 ('Example D', '2016-10-01', '2016-12-31', '21',  '3',  '26',  '10000'),
 ('Example D', '2017-01-01', '2017-03-31', '22',  '4',  '27',  '10000'),
 ('Example E', '2016-01-01', '2016-03-31', '30',  '3',  '33',  '15000'),
 ('Example E', '2016-07-01', '2016-09-30', '31',  '4',  '34',  '15000'),
 ('Example E', '2016-10-01', '2016-12-31', '32',  '5',  '35',  '15000'),
 ('Example E', '2017-01-01', '2017-03-31', '33',  '6',  '36',  '15000'),
 ('Example F', '2016-01-01', '2016-03-31', '10',  '1',  '11',  '5000'),
 ('Example F', '2016-07-01', '2016-09-30', '12',  '1',  '13',  '5000'),
 ('Example F', '2017-01-01', '2017-03-31', '14',  '1',  '15',  '5000'),
 ('Example North', '2016-04-01', '2016-06-30', '200', '50', '260', '80000'),
 ('Example North', '2016-07-01', '2016-09-30', '210', '52', '270', '80000'),
 ('Example North', '2016-10-01', '2016-12-31', '220', '54', '280', '80000'),
 ('Example North', '2017-01-01', '2017-03-31', '230', '56', '290', '80500'),
 ('Example South', '2016-04-01', '2016-06-30', '150', '30', '190', '60000'),
 ('Example South', '2016-07-01', '2016-09-30', '155', '31', '195', '60000'),
 ('Example South', '2016-10-01', '2016-12-31', '160', '32', '200', '60000'),
 ('Example South', '2017-01-01', '2017-03-31', '165', '33', '205', '60200');
SELECT inserted, updated, unchanged, rejected FROM ingest_marac('worked example');

-- Rule by rule, per MARAC, 12 months to 31 March 2017:
--   A complete: cases 100+110+120+130 = 460, repeats 130, children 580, population 50,400 (last quarter)
--   B carried:  61+62+62+64 = 249 (31 Dec 2016 <- 30 Sep 2016), repeats 49, children 289, population 30,100
--   C left out: missing 30 Sep 2016 and 31 Dec 2016
--   D left out: 30 Jun 2016 missing and 31 Mar 2016 not returned either: nothing to carry forward
--   E carried:  30+31+32+33 = 126 (30 Jun 2016 <- 31 Mar 2016, the quarter before the period),
--               repeats 18, children 138, population 15,000
--   F left out: missing 30 Jun 2016 and 31 Dec 2016 (two of four, though not in a row)
SELECT marac_id, status, quarters_missing, carried_quarter_end, left_out_reason, cases, repeat_cases, children, adult_females
FROM marac_quarter_status WHERE period_end = '2017-03-31' ORDER BY marac_id;

-- Per force. Kent: A + B + E = 835 cases over 95,500 adult females = 87.43 per 10,000;
-- repeats 197/835 = 23.59%; children 1,007/835 = 1.21 per case; 6 MARACs: 1 complete,
-- 2 carried (flagged), 3 left out with their population (C 20,000, D 10,000, F 5,000 not in
-- the 95,500). Essex: every quarter, 1,490 / 140,700 = 105.90 per 10,000.
SELECT force_id, period, maracs_expected, maracs_included, maracs_complete, maracs_carried, maracs_left_out,
       carried_forward, cases, repeat_cases, children, adult_females,
       round(cases_per_10k, 2) AS cases_per_10k, round(repeat_rate, 2) AS repeat_rate,
       round(children_per_case, 2) AS children_per_case,
       maracs_in_cases_per_10k, maracs_in_repeat_rate, maracs_in_children_per_case
FROM marac_12_months WHERE period_end = '2017-03-31' ORDER BY force_id;
SELECT force_id, carried_maracs, left_out_maracs, left_out_marac_ids
FROM marac_12_months WHERE period_end = '2017-03-31' ORDER BY force_id;
-- The exact figures (ratio of sums, not a mean of MARAC rates), to the 4 decimals the view declares.
SELECT cases_per_10k = round(835 * 10000 / 95500::numeric, 4) AS per_10k_exact,
       repeat_rate = round(100 * 197 / 835::numeric, 4) AS repeat_exact,
       children_per_case = round(1007 / 835::numeric, 4) AS children_exact
FROM marac_12_months WHERE force_id = 'kent' AND period_end = '2017-03-31';

-- Earlier periods: Essex's first return is for the quarter to 30 June 2016, so the 12 months
-- to 30 June, 30 September and 31 December 2016 miss quarters with nothing before them: both
-- MARACs are left out, and no figure is given (NULL, not 0).
SELECT period_end, maracs_included, maracs_left_out, cases, cases_per_10k, left_out_maracs
FROM marac_12_months WHERE force_id = 'essex' ORDER BY period_end;

-- A MARAC that closed (active_to) is no longer expected, and one not yet open not yet.
UPDATE marac_area SET active_to = '2016-03-31' WHERE marac_id = 'kent_d';
UPDATE marac_area SET active_from = '2017-04-01' WHERE marac_id = 'kent_f';
SELECT maracs_expected, maracs_left_out, left_out_marac_ids FROM marac_12_months
WHERE force_id = 'kent' AND period_end = '2017-03-31';

-- Agreement with da.marac: the same 12 months for Essex as a force-level return (the sums of
-- the MARACs' quarters; population = the MARACs' last quarter) give the same figures.
INSERT INTO return_staging (force, period_start, period_end, measure, value) VALUES
 ('Essex', '2016-04-01', '2017-03-31', 'marac_cases', '1490'),
 ('Essex', '2016-04-01', '2017-03-31', 'marac_repeat_cases', '338'),
 ('Essex', '2016-04-01', '2017-03-31', 'marac_children', '1890'),
 ('Essex', '2016-04-01', '2017-03-31', 'adult_female_population', '140700');
SELECT inserted, rejected FROM ingest_returns('force level');
SELECT q.force_id, q.period, q.cases = m.cases AS cases, q.adult_females = m.adult_females AS adult_females,
       q.cases_per_10k = m.cases_per_10k AS per_10k, q.repeat_rate = m.repeat_rate AS repeat_rate,
       q.children_per_case = m.children_per_case AS children_per_case, q.safelives_expected = m.safelives_expected AS expected,
       (q.cases_per_10k_lower, q.cases_per_10k_upper, q.repeat_rate_lower, q.repeat_rate_upper)
       = (m.cases_per_10k_lower, m.cases_per_10k_upper, m.repeat_rate_lower, m.repeat_rate_upper) AS intervals
FROM marac_12_months q JOIN marac m USING (force_id, period_start, period_end)
ORDER BY 1;
-- ... and so would every force whose MARACs returned every quarter: checked generally, the
-- 12-month sums of complete MARACs equal the sums of their four quarters.
SELECT count(*) AS complete_maracs_checked,
       bool_and(s.cases = (SELECT sum(r.cases) FROM marac_return r WHERE r.marac_id = s.marac_id
                           AND r.quarter_end BETWEEN s.period_start AND s.period_end)) AS sums_agree
FROM marac_quarter_status s WHERE s.status = 'complete';

-- Pairwise complete: a MARAC used for cases but without a population (or children) in a
-- quarter it needs takes no part in that rate, and maracs_in_* say so. Essex South's last
-- population and one of Essex North's children counts become "unable to provide":
-- per 10,000 = North only, 860 / 80,500; children per case = South only, 790 / 630.
INSERT INTO marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
 ('essex_s', '2017-01-01', '2017-03-31', '165', '33', '205', ''),
 ('essex_n', '2016-10-01', '2016-12-31', '220', '54', '', '80000');
SELECT updated FROM ingest_marac('unable to provide');
SELECT cases, adult_females, maracs_included, maracs_in_cases_per_10k, maracs_in_repeat_rate, maracs_in_children_per_case,
       cases_per_10k = round(860 * 10000 / 80500::numeric, 4) AS per_10k_north_only,
       children_per_case = round(790 / 630::numeric, 4) AS children_south_only,
       repeat_rate = round(100 * 338 / 1490::numeric, 4) AS repeat_both
FROM marac_12_months WHERE force_id = 'essex' AND period_end = '2017-03-31';

-- The keys (0.6: force_id first, so that Citus can distribute the returns by force): a MARAC
-- belongs to one force, and a quarter of a MARAC still cannot be there twice. Giving a MARAC
-- with returns to another force is refused (it cascaded before 0.6); so is a return that
-- names another force than its MARAC's; a MARAC id or name stays unique across forces.
SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
WHERE c.conrelid IN ('da.marac_return'::regclass, 'da.marac_return_history'::regclass) AND c.contype IN ('p', 'f')
ORDER BY c.conrelid::regclass::text, c.conname;
UPDATE marac_area SET force_id = 'essex' WHERE marac_id = 'kent_a';
INSERT INTO marac_return (marac_id, force_id, quarter_start, quarter_end, cases)
SELECT marac_id, 'essex', quarter_start, quarter_end, cases FROM marac_return WHERE marac_id = 'kent_a' LIMIT 1;
INSERT INTO marac_area (marac_id, name, force_id) VALUES ('kent_a', 'Another A', 'essex');
INSERT INTO marac_area (marac_id, name, force_id) VALUES ('essex_z', 'EXAMPLE a', 'essex');
-- Control: a MARAC without returns may move.
INSERT INTO marac_area (marac_id, name, force_id) VALUES ('kent_new', 'Example New', 'kent');
UPDATE marac_area SET force_id = 'essex' WHERE marac_id = 'kent_new' RETURNING marac_id, force_id;

ROLLBACK;
