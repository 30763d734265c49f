-- The funnel rules of da.validate_returns on realistic, over-dispersed data: 20 forces whose
-- arrest rates differ by more than chance (as real forces do), one of them a planted outlier
-- (force 7, 81 arrests per 100 DA crimes). Expected values from base R (an independent
-- implementation of Spiegelhalter 2005 with quantile(type = 7) winsorising, and poisson.test
-- for the exact limits), transcribed below. Everything is rolled back.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;
BEGIN;
CREATE TEMP TABLE k AS
SELECT force_id, row_number() OVER (ORDER BY force_id)::int AS k
FROM da.force WHERE kind = 'territorial' ORDER BY force_id LIMIT 20;
CREATE TEMP TABLE data (k int, all_crime bigint, da_crimes bigint, da_arrests bigint);
INSERT INTO data VALUES
(1, 84906, 10690, 5474),
(2, 30996, 4536, 2532),
(3, 202181, 18082, 10287),
(4, 24808, 2594, 1031),
(5, 127970, 13460, 6918),
(6, 107372, 11996, 5909),
(7, 25835, 3328, 2704),
(8, 45381, 6166, 3478),
(9, 59178, 6851, 3726),
(10, 25647, 3478, 1644),
(11, 30787, 3260, 1994),
(12, 83650, 9349, 4421),
(13, 9014, 998, 540),
(14, 137121, 18109, 8931),
(15, 10149, 1049, 580),
(16, 101143, 12174, 6675),
(17, 8361, 1103, 619),
(18, 18446, 2523, 1147),
(19, 39787, 4244, 2061),
(20, 143201, 17078, 7390);
INSERT INTO da.force_return (force_id, period_start, period_end, measure_id, value, source)
SELECT k.force_id, '2016-07-01', '2017-06-30', m.measure_id, m.value, 'validation_funnel test'
FROM data d JOIN k USING (k)
CROSS JOIN LATERAL (VALUES ('all_crime_excl_fraud', d.all_crime), ('da_crimes', d.da_crimes),
                           ('da_arrests', d.da_arrests)) m(measure_id, value);
-- BTP: far off, but never a comparator and never flagged (no resident population, not in the
-- national total).
INSERT INTO da.force_return (force_id, period_start, period_end, measure_id, value, source)
VALUES ('btp', '2016-07-01', '2017-06-30', 'all_crime_excl_fraud', 5000, 'validation_funnel test'),
       ('btp', '2016-07-01', '2017-06-30', 'da_crimes', 1000, 'validation_funnel test'),
       ('btp', '2016-07-01', '2017-06-30', 'da_arrests', 950, 'validation_funnel test');

-- The centre and the spread, against R: arrests per 100 DA crimes (a rate) winsorised at 10%
-- and at 0%, DA crimes as a share of all crime (a proportion) at 10%.
CREATE TEMP TABLE r_disp (indicator_id text, winsor numeric, theta float8, phi float8, tau2 float8);
INSERT INTO r_disp VALUES
('arrests_per_100', 10, 0.516727566393942, 22.2199383354017, 0.00157931211065925),
('arrests_per_100', 0, 0.516727566393942, 60.5775048620263, 0.00442739603058717),
('da_share_of_crime', 10, 0.114799157707877, 60.9564753345388, 0.000101090669865234);
SELECT r.indicator_id, r.winsor, b.numerator, b.denominator, b.forces,
       abs((b.numerator / b.denominator)::float8 / r.theta - 1) < 1e-12 AS theta_agrees,
       abs(b.phi / r.phi - 1) < 1e-9 AS phi_agrees, abs(b.tau2 / r.tau2 - 1) < 1e-9 AS tau2_agrees
FROM r_disp r
CROSS JOIN LATERAL funnel_baseline('2017-06-30', r.winsor) b
WHERE b.indicator_id = r.indicator_id ORDER BY 1, 2 DESC;
-- No widening asked for: phi and tau2 NULL.
SELECT indicator_id, numerator, denominator, forces, phi, tau2
FROM funnel_baseline('2017-06-30', NULL) ORDER BY 1;

-- The findings (default: winsorised at 10%): only the planted outlier is outside 99.8%.
-- R: 4 Low (95%) 39.7456 limit 43.4071; 7 High (99.8%) 81.2500 limit 64.5430;
--    11 High (95%) 61.1656 limit 59.8433; 20 Low (95%) 43.2720 limit 43.8095;
--    share of crime: 2, 8, 10, 18 High (95%), 3 Low (95%).
CREATE TEMP TABLE r_flag (winsor text, indicator text, k int, rule text, value numeric, lim numeric);
INSERT INTO r_flag VALUES
('10', 'da_arrests', 4, 'funnel_95', 39.7456, 43.4071),
('10', 'da_arrests', 7, 'funnel_99_8', 81.2500, 64.5430),
('10', 'da_arrests', 11, 'funnel_95', 61.1656, 59.8433),
('10', 'da_arrests', 20, 'funnel_95', 43.2720, 43.8095),
('10', 'da_crimes', 2, 'funnel_95', 14.6341, NULL),
('10', 'da_crimes', 3, 'funnel_95', 8.9435, NULL),
('10', 'da_crimes', 8, 'funnel_95', 13.5872, NULL),
('10', 'da_crimes', 10, 'funnel_95', 13.5610, NULL),
('10', 'da_crimes', 18, 'funnel_95', 13.6778, NULL),
('0', 'da_arrests', 7, 'funnel_99_8', 81.2500, 72.5922);
CREATE TEMP VIEW found AS
SELECT k.k, v.measure_id, v.rule, v.severity, v.observed, v.expected_or_limit, v.message
FROM validate_returns('2017-06-30') v LEFT JOIN k USING (force_id)
WHERE v.rule LIKE 'funnel%';
SELECT f.k, f.measure_id, f.rule, f.severity, f.observed, f.expected_or_limit,
       r.k IS NOT NULL AS r_agrees_flag,
       abs(f.observed - r.value) < 0.005 AS value_agrees,
       r.lim IS NULL OR abs(f.expected_or_limit - r.lim) < 0.005 AS limit_agrees
FROM found f
FULL JOIN (SELECT * FROM r_flag WHERE winsor = '10') r ON r.k = f.k AND r.indicator = f.measure_id AND r.rule = f.rule
ORDER BY f.measure_id, f.k;
SELECT message FROM found WHERE k = 7;
SELECT count(*) AS btp_findings FROM validate_returns('2017-06-30') WHERE force_id = 'btp';

-- No winsorising: the outlier inflates the spread; it is still the only one outside 99.8%.
UPDATE validation_rule SET threshold = 0 WHERE rule = 'funnel_99_8';
SELECT f.k, f.measure_id, f.rule, f.expected_or_limit, r.k IS NOT NULL AS r_agrees_flag,
       abs(f.expected_or_limit - r.lim) < 0.005 AS limit_agrees
FROM found f LEFT JOIN (SELECT * FROM r_flag WHERE winsor = '0') r ON r.k = f.k AND r.indicator = f.measure_id AND r.rule = f.rule
WHERE f.rule = 'funnel_99_8' ORDER BY f.measure_id, f.k;

-- Threshold NULL: the exact limits of the PHE method, no widening. With denominators in the
-- thousands nearly every force is "notably different" (R, poisson.test: 2, 3, 4, 6, 7, 8, 9,
-- 10, 11, 12, 14, 16, 18, 20 outside 99.8%; 17, 19 outside 95% only).
UPDATE validation_rule SET threshold = NULL WHERE rule = 'funnel_99_8';
SELECT rule, string_agg(k::text, ', ' ORDER BY k) AS forces,
       string_agg(k::text, ', ' ORDER BY k) = CASE rule WHEN 'funnel_99_8' THEN '2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20'
                                                          ELSE '17, 19' END AS agrees_with_r
FROM found WHERE measure_id = 'da_arrests' GROUP BY rule ORDER BY rule;
SELECT message FROM found WHERE k = 7 AND measure_id = 'da_arrests';
-- Reset to the shipped default: the setting row goes away.
UPDATE validation_rule SET threshold = 10 WHERE rule = 'funnel_99_8';
SELECT count(*) AS settings_left FROM validation_rule_setting;

-- An analyst who may see only force 7 gets the same centre, spread and finding for it: the
-- funnel is computed over all forces whatever the caller may see.
CREATE ROLE da_validation_test_analyst NOLOGIN;
SELECT grant_access('da_validation_test_analyst', 'analyst', ARRAY[(SELECT force_id FROM k WHERE k = 7)]);
SET ROLE da_validation_test_analyst;
SELECT count(*) AS forces_visible FROM da.force_return WHERE period_end = '2017-06-30' AND measure_id = 'da_crimes';
SELECT indicator_id, forces, round(tau2::numeric, 10) AS tau2 FROM da.funnel_baseline('2017-06-30') ORDER BY 1;
SELECT measure_id, rule, observed, expected_or_limit FROM da.validate_returns('2017-06-30');
RESET ROLE;
ROLLBACK;
