-- Findings 3 to 9 of the security review of 0.3 (before release), each held here:
--   3  a rejected MARAC row belongs to its MARAC's force as the ingest resolved it, not to
--      the force text a loader staged with it
--   4  one huge (valid) MARAC return does not make the MARAC views fail for everyone
--   5  da.ingest_marac does not tell a loader which MARACs other forces have
--   6  da.period_end_check answers a force-limited caller from what it may see only
--   7  da.funnel_band / da.funnel_position: NaN, Infinity, out-of-range centre are errors,
--      widened Wilson limits stay within 0..per, NULL flag vs no row as the comment says
--   8  the count parser refuses leading-zero thousands groups
-- (9 is README wording.) Runs in one transaction that is rolled back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
SET datestyle = 'ISO, YMD';
SET extra_float_digits = 0;
\set VERBOSITY default
\set ON_ERROR_ROLLBACK on
BEGIN;

CREATE ROLE da_test_rev_kent_loader NOLOGIN;
CREATE ROLE da_test_rev_essex_loader NOLOGIN;
CREATE ROLE da_test_rev_kent_analyst NOLOGIN;
CREATE ROLE da_test_rev_all_analyst NOLOGIN;
SELECT grant_access('da_test_rev_kent_loader', 'loader', ARRAY['kent']);
SELECT grant_access('da_test_rev_essex_loader', 'loader', ARRAY['essex']);
SELECT grant_access('da_test_rev_kent_analyst', 'analyst', ARRAY['kent']);
SELECT grant_access('da_test_rev_all_analyst', 'analyst');
INSERT INTO marac_area (marac_id, name, force_id) VALUES
 ('kent_a', 'Kent A', 'kent'), ('essex_a', 'Essex A', 'essex'), ('essex_b', 'Essex B', 'essex');

-- 3. An Essex loader stages an Essex MARAC with "Kent" as its force (a typo): the row is
-- refused, and stays Essex's: a Kent loader does not see its values.
SET ROLE da_test_rev_essex_loader;
INSERT INTO marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
 ('essex_a', 'Kent', '2017-07-01', '2017-09-30', '81', '13', '95', '40000'),
 ('no_such_marac', 'Kent', '2017-07-01', '2017-09-30', '1', '1', '1', '1');
SELECT inserted, rejected FROM ingest_marac('essex typo');
SELECT marac, marac_force_id, reason FROM rejected_marac_return ORDER BY rejected_id;
RESET ROLE;
SET ROLE da_test_rev_kent_loader;
-- Only the unknown MARAC's row (its staged force is Kent's), not essex_a's values.
SELECT marac, cases, repeat_cases, children, adult_females FROM rejected_marac_return
WHERE rejected_by = 'da_test_rev_essex_loader' ORDER BY rejected_id;
RESET ROLE;

-- 5. A Kent loader staging an Essex MARAC learns no more than from a MARAC that does not
-- exist: the same reason, no force named, and no force recorded in its own rejected row.
SET ROLE da_test_rev_kent_loader;
INSERT INTO marac_staging (marac, force, period_start, period_end, cases) VALUES
 ('essex_a', NULL, '2017-07-01', '2017-09-30', '5'),
 ('essex_b', 'Kent', '2017-07-01', '2017-09-30', '5'),
 ('Essex A', 'Essex', '2017-07-01', '2017-09-30', '5'),
 ('essex_zz', NULL, '2017-07-01', '2017-09-30', '5');
SELECT inserted, rejected FROM ingest_marac('kent tries essex');
SELECT line_no, marac, marac_force_id, reason FROM rejected_marac_return
WHERE rejected_by = 'da_test_rev_kent_loader' ORDER BY line_no;
RESET ROLE;
-- A role that may load the MARAC's force still gets the precise reason.
INSERT INTO marac_staging (marac, force, period_start, period_end, cases) VALUES ('essex_a', 'Kent', '2017-10-01', '2017-12-31', '5');
SELECT rejected FROM ingest_marac('owner');
SELECT marac_force_id, reason FROM rejected_marac_return WHERE rejected_by = current_user;

-- 4. A huge but valid return (bigint max in two quarters) gives figures, not an error, in
-- every period of both MARAC views, for every reader.
SET ROLE da_test_rev_kent_loader;
INSERT INTO marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females) VALUES
 ('kent_a', '2018-04-01', '2018-06-30', '100', '10', '120', '50000'),
 ('kent_a', '2018-07-01', '2018-09-30', '100', '10', '120', '50000'),
 ('kent_a', '2018-10-01', '2018-12-31', '100', '10', '120', '50000'),
 ('kent_a', '2019-01-01', '2019-03-31', '9223372036854775807', '9223372036854775807', '9223372036854775807', '9223372036854775807'),
 ('kent_a', '2019-04-01', '2019-06-30', '9223372036854775807', '10', '120', '1');
SELECT inserted, rejected FROM ingest_marac('huge');
RESET ROLE;
SET ROLE da_test_rev_all_analyst;
SELECT period_end, status, cases, repeat_cases, children FROM marac_quarter_status
WHERE marac_id = 'kent_a' ORDER BY period_end;
SELECT period_end, cases, repeat_cases, children, adult_females, cases_per_10k, cases_per_10k_lower,
       repeat_rate, repeat_rate_lower, children_per_case
FROM marac_12_months WHERE force_id = 'kent' ORDER BY period_end;
RESET ROLE;

-- 6. da.period_end_check for a force-limited caller: only its forces' returns count and are
-- listed, and other loaders' rejected rows do not make a period exist.
SET ROLE da_test_rev_essex_loader;
INSERT INTO return_staging (force, period_start, period_end, measure, value) VALUES
 ('Essex', '2015-01-01', '2015-12-31', 'da_crimes', '20000'),
 ('Essex', '2014-01-01', '2014-12-31', 'da_crimes', 'n/a');
SELECT inserted, rejected FROM ingest_returns('essex 2015');
RESET ROLE;
SET ROLE da_test_rev_kent_loader;
INSERT INTO return_staging (force, period_start, period_end, measure, value) VALUES
 ('Kent', '2016-01-01', '2016-12-31', 'da_crimes', '10000');
SELECT inserted, rejected FROM ingest_returns('kent 2016');
SELECT period_end_check('2016-12-31');
SELECT period_end_check('2015-12-31');   -- Essex's period: unknown to Kent, and not listed
SELECT period_end_check('2014-12-31');   -- only an Essex loader's rejected row ends on it
RESET ROLE;
-- A role that sees every force: both periods exist, and both are listed.
SELECT period_end_check('2015-12-31');
SELECT period_end_check('2014-12-31');
SELECT period_end_check('2013-12-31');

-- 7. Funnel inputs: NaN, Infinity, a negative centre, a Wilson centre above 1 and a
-- non-finite tau2 are errors (22023), never NaN limits or a square-root error.
\set VERBOSITY terse
SELECT * FROM funnel_position(10, 100, 'NaN', 1000, 0.001, 'wilson', 100);
SELECT * FROM funnel_position(10, 100, 'Infinity', 1000, 0, 'poisson', 100);
SELECT * FROM funnel_position(10, 100, 10, 'Infinity', 0, 'poisson', 100);
SELECT * FROM funnel_position(10, 100, 1, 1, 'Infinity', 'poisson', 100);
SELECT * FROM funnel_position(10, 100, 1200, 1000, 0, 'wilson', 100);
SELECT * FROM funnel_position(10, 100, -5, 1000, 0, 'poisson', 100);
SELECT * FROM funnel_band('NaN', 0.3, 0.001, 'poisson', 100);
SELECT * FROM funnel_band(1000, 'NaN', 0.001, 'poisson', 100);
SELECT * FROM funnel_band(1000, 0.3, 'NaN', 'poisson', 100);
SELECT * FROM funnel_band(1000, 0.3, 'Infinity', 'poisson', 100);
SELECT * FROM funnel_band('Infinity', 0.3, 0, 'poisson', 100);
SELECT * FROM funnel_band(1000, 1.5, 0, 'wilson', 100);
SELECT * FROM funnel_band(1000, -0.1, 0, 'poisson', 100);
-- The same from columns (no constant folding): da.funnel_check's errors.
SELECT p.* FROM (VALUES (10::bigint, 100::bigint, 'NaN'::numeric, 1000::numeric)) v(x, n, cx, cn),
     funnel_position(v.x, v.n, v.cx, v.cn, 0.001, 'wilson', 100) p;
SELECT p.* FROM (VALUES (10::bigint, 100::bigint, 1200::numeric, 1000::numeric)) v(x, n, cx, cn),
     funnel_position(v.x, v.n, v.cx, v.cn, 0, 'wilson', 100) p;
SELECT b.* FROM (VALUES (1000::float8, 0.3::float8, 'Infinity'::float8)) v(n, c, t),
     funnel_band(v.n, v.c, v.t, 'poisson', 100) b;
\set VERBOSITY default
-- Widened Wilson limits stay within 0..100%.
SELECT flag, upper_95 <= 100 AS upper_95_capped, upper_998 <= 100 AS upper_998_capped, lower_998 >= 0 AS lower_ok
FROM funnel_position(10, 100, 1000, 1000, 0.001, 'wilson', 100);
SELECT upper_998 = 100 AS capped, lower_998 >= 0 AS lower_ok FROM funnel_band(10, 0.99, 0.01, 'wilson', 100);
-- A centre of 0 is valid: a row, NULL flag (no test applies), as the comment says; a centre
-- that cannot be computed (centre_denominator 0) or a missing side: no row.
SELECT flag, centre, lower_95, upper_95 FROM funnel_position(10, 100, 0, 1000, 0, 'poisson', 100);
SELECT count(*) AS no_row FROM funnel_position(10, 100, 10, 0, 0, 'poisson', 100);
SELECT count(*) AS no_row FROM funnel_position(NULL, 100, 10, 1000, 0, 'poisson', 100);
SELECT count(*) AS no_row FROM funnel_band(1000, NULL, 0, 'poisson', 100);
-- Valid inputs as before.
SELECT flag FROM funnel_position(10, 100, 300, 1000, 0, 'wilson', 100);

-- 8. Leading-zero thousands groups are refused; 0 and 0.0 stay valid.
SELECT t, count_problem(t), CASE WHEN count_problem(t) IS NULL THEN parse_count(t) END AS parsed
FROM unnest(ARRAY['00,001', '000,000,001', '01,000', '0,001', '0', '0.0', '1,000', '100,000,001', '007', '1,711.0']) t;

ROLLBACK;
