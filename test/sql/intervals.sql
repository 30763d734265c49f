-- Confidence intervals against an independent reference: the expected values published with
-- PHEindicatormethods (UKHSA), transcribed from its test data (testdata_Byars_Wilson,
-- testdata_Proportion, testdata_Rate). Every value must match to 1e-9 relative.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

CREATE TEMP TABLE ref (src text, kind text, x bigint, n bigint, per bigint, level float8,
                       m text, lower numeric, upper numeric, ref_method text);
INSERT INTO ref VALUES
-- testdata_Byars_Wilson: Byar limits on the count itself (n = 1, per = 1)
('B_W', 'rate', 65, 1, 1, 0.95, 'byar', 50.163187710459454, 82.84913854593984, 'Byar'),
('B_W', 'rate', 1045, 1, 1, 0.95, 'byar', 982.5932018073325, 1110.33121298565, 'Byar'),
('B_W', 'rate', 1, 1, 1, 0.95, 'byar', 0.01307213290150435, 5.5637555824752605, 'Byar'),
('B_W', 'rate', 65, 1, 1, 0.998, 'byar', 42.8802614714802, 94.00029084431802, 'Byar'),
('B_W', 'rate', 1045, 1, 1, 0.998, 'byar', 947.9407035610374, 1148.806160988033, 'Byar'),
('B_W', 'rate', 10, 1, 1, 0.998, 'byar', 2.916318374695686, 24.193724927880535, 'Byar'),
('B_W', 'rate', 1, 1, 1, 0.998, 'byar', NULL, 9.362180217908362, 'Byar'),
('B_W', 'prop', 65, 100, 1, 0.95, NULL, 0.5525444329688797, 0.7363575175690247, 'Wilson'),
('B_W', 'prop', 1045, 5000, 1, 0.95, NULL, 0.19795549880013297, 0.22049130373189027, 'Wilson'),
('B_W', 'prop', 65, 100, 1, 0.998, NULL, 0.4954946574070431, 0.7783540614089697, 'Wilson'),
('B_W', 'prop', 1045, 5000, 1, 0.998, NULL, 0.19179381799015244, 0.22731562902525818, 'Wilson'),
-- testdata_Proportion (Prop): proportion of 1 and percentage, 95% and 99.8%
('Prop', 'prop', 1, 100, 1, 0.95, NULL, 0.0017674320641406511, 0.054486196178705294, 'Wilson'),
('Prop', 'prop', 5, 100, 1, 0.95, NULL, 0.02154367915436798, 0.11175046923191911, 'Wilson'),
('Prop', 'prop', 20, 100, 1, 0.95, NULL, 0.1333669333310325, 0.28882916559315885, 'Wilson'),
('Prop', 'prop', 65, 100, 1, 0.95, NULL, 0.5525444329688797, 0.7363575175690247, 'Wilson'),
('Prop', 'prop', 9856, 12345, 1, 0.95, NULL, 0.7912101752909069, 0.8053640073614909, 'Wilson'),
('Prop', 'prop', 7776456, 7564336677, 1, 0.95, NULL, 0.0010273201001641094, 0.0010287644578977231, 'Wilson'),
('Prop', 'prop', 222, 3215, 1, 0.95, NULL, 0.060791690363636595, 0.07833956681383633, 'Wilson'),
('Prop', 'prop', 999, 3456, 1, 0.95, NULL, 0.27418951080009873, 0.30440389662818057, 'Wilson'),
('Prop', 'prop', 1, 100, 1, 0.998, NULL, 0.000873065697299977, 0.1045544528370582, 'Wilson'),
('Prop', 'prop', 5, 100, 1, 0.998, NULL, 0.013865320725997183, 0.16458852282596442, 'Wilson'),
('Prop', 'prop', 20, 100, 1, 0.998, NULL, 0.10519162066711432, 0.3471109417008601, 'Wilson'),
('Prop', 'prop', 65, 100, 1, 0.998, NULL, 0.4954946574070431, 0.7783540614089697, 'Wilson'),
('Prop', 'prop', 9856, 12345, 1, 0.998, NULL, 0.7869924108419063, 0.8093061412589626, 'Wilson'),
('Prop', 'prop', 7776456, 7564336677, 1, 0.998, NULL, 0.0010269040118442213, 0.0010291812992698397, 'Wilson'),
('Prop', 'prop', 222, 3215, 1, 0.998, NULL, 0.05647101964624248, 0.08418414185270134, 'Wilson'),
('Prop', 'prop', 999, 3456, 1, 0.998, NULL, 0.26583995768074953, 0.3134475449279985, 'Wilson'),
('Prop', 'prop', 1, 100, 100, 0.95, NULL, 0.1767432064140651, 5.44861961787053, 'Wilson'),
('Prop', 'prop', 9856, 12345, 100, 0.95, NULL, 79.1210175290907, 80.53640073614909, 'Wilson'),
('Prop', 'prop', 999, 3456, 100, 0.998, NULL, 26.583995768074953, 31.344754492799847, 'Wilson'),
('Prop', 'prop', 7776456, 7564336677, 100, 0.998, NULL, 0.10269040118442213, 0.10291812992698397, 'Wilson'),
-- testdata_Proportion (Prop_g): grouped counts, 95%
('Prop_g', 'prop', 2, 200, 1, 0.95, NULL, 0.002746658133544438, 0.035721761716176796, 'Wilson'),
('Prop_g', 'prop', 10, 200, 1, 0.95, NULL, 0.027382645600763925, 0.08957814813877597, 'Wilson'),
('Prop_g', 'prop', 40, 200, 1, 0.95, NULL, 0.15045200926098115, 0.2608551865653788, 'Wilson'),
('Prop_g', 'prop', 130, 200, 1, 0.95, NULL, 0.5816346433604008, 0.7127117587264192, 'Wilson'),
('Prop_g', 'prop', 19712, 24690, 1, 0.95, NULL, 0.7933291845541375, 0.8033378032278297, 'Wilson'),
('Prop_g', 'prop', 15552912, 15128673354, 1, 0.95, NULL, 0.0010275314947741198, 0.0010285528098907119, 'Wilson'),
('Prop_g', 'prop', 444, 6430, 1, 0.95, NULL, 0.06310799576298091, 0.0755092618317013, 'Wilson'),
('Prop_g', 'prop', 1998, 6912, 1, 0.95, NULL, 0.2784949436323704, 0.2998643901720741, 'Wilson'),
-- testdata_Rate (Rate): per 100 and per 100,000, 95% and 99.8%, exact below 10 events
('Rate', 'rate', 1, 100, 100, 0.95, 'auto', 0.025317807984289897, 5.571643390938898, 'Exact'),
('Rate', 'rate', 5, 100, 100, 0.95, 'auto', 1.62348639011842, 11.668332079322669, 'Exact'),
('Rate', 'rate', 20, 100, 100, 0.95, 'auto', 12.211428834875937, 30.889880369197066, 'Byar'),
('Rate', 'rate', 65, 100, 100, 0.95, 'auto', 50.163187710459454, 82.84913854593984, 'Byar'),
('Rate', 'rate', 9856, 12345, 100, 0.95, 'auto', 78.26949058976757, 81.4300165427214, 'Byar'),
('Rate', 'rate', 7776456, 7564336677, 100, 0.95, 'auto', 0.10273196005302074, 0.10287648334092832, 'Byar'),
('Rate', 'rate', 222, 3215, 100, 0.95, 'auto', 6.026574877652675, 7.87572937087185, 'Byar'),
('Rate', 'rate', 999, 3456, 100, 0.95, 'auto', 27.14130493609052, 30.755833237378415, 'Byar'),
('Rate', 'rate', 1, 100, 100, 0.998, 'auto', 0.0010005003335835344, 9.233413476451585, 'Exact'),
('Rate', 'rate', 5, 100, 100, 0.998, 'auto', 0.739371731917839, 16.454745203680105, 'Exact'),
('Rate', 'rate', 20, 100, 100, 0.998, 'auto', 8.922802365144193, 38.08503562504191, 'Byar'),
('Rate', 'rate', 65, 100, 100, 0.998, 'auto', 42.8802614714802, 94.00029084431802, 'Byar'),
('Rate', 'rate', 9856, 12345, 100, 0.998, 'auto', 77.37590543271052, 82.3544727709543, 'Byar'),
('Rate', 'rate', 7776456, 7564336677, 100, 0.998, 'auto', 0.102690317308454, 0.10291817639509068, 'Byar'),
('Rate', 'rate', 222, 3215, 100, 0.998, 'auto', 5.560737695259854, 8.46104668173341, 'Byar'),
('Rate', 'rate', 999, 3456, 100, 0.998, 'auto', 26.162147596445767, 31.845604819822654, 'Byar'),
('Rate', 'rate', 1, 100, 100000, 0.95, 'auto', 25.317807984289896, 5571.643390938898, 'Exact'),
('Rate', 'rate', 5, 100, 100000, 0.998, 'auto', 739.3717319178389, 16454.745203680104, 'Exact'),
('Rate', 'rate', 250, 220, 100000, 0.95, 'auto', 99984.94738532876, 128631.14487455782, 'Byar'),
('Rate', 'rate', 250, 220, 100000, 0.998, 'auto', 92710.00554438953, 137651.23772147458, 'Byar'),
-- testdata_Rate (Rate_g): grouped counts, per 100,000, 95%
('Rate_g', 'rate', 2, 200, 100000, 0.95, 'auto', 121.10463927198258, 3612.3438338619794, 'Exact'),
('Rate_g', 'rate', 10, 200, 100000, 0.95, 'auto', 2393.7249569837822, 9195.729302878237, 'Byar'),
('Rate_g', 'rate', 40, 200, 100000, 0.95, 'auto', 14286.649933218456, 27235.04966001213, 'Byar'),
('Rate_g', 'rate', 130, 200, 100000, 0.95, 'auto', 54306.52101925725, 77182.74430661963, 'Byar'),
('Rate_g', 'rate', 19712, 24690, 100000, 0.95, 'auto', 78727.30027133638, 80960.43271813256, 'Byar'),
('Rate_g', 'rate', 15552912, 15128673354, 100000, 0.95, 'auto', 102.7531168009107, 102.85530745877516, 'Byar'),
('Rate_g', 'rate', 444, 6430, 100000, 0.95, 'auto', 6277.68811414578, 7578.304458634362, 'Byar'),
('Rate_g', 'rate', 1998, 6912, 100000, 0.95, 'auto', 27652.52008830221, 30202.169187218453, 'Byar');

CREATE TEMP TABLE got AS
SELECT r.*, ci.lower AS got_lower, ci.upper AS got_upper, ci.method AS got_method,
       CASE kind WHEN 'prop' THEN wilson_ci_lower(x, n, per, level)
                 ELSE rate_ci_lower(x, n, per, level, m) END AS twin_lower,
       CASE kind WHEN 'prop' THEN wilson_ci_upper(x, n, per, level)
                 ELSE rate_ci_upper(x, n, per, level, m) END AS twin_upper
FROM ref r,
     LATERAL (SELECT * FROM (SELECT (wilson_ci(x, n, per, level)).* WHERE kind = 'prop'
                             UNION ALL
                             SELECT (rate_ci(x, n, per, level, m)).* WHERE kind = 'rate') s) ci;

CREATE FUNCTION pg_temp.rel_err(got numeric, want numeric) RETURNS float8
LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN got IS NULL AND want IS NULL THEN 0
               WHEN got IS NULL OR want IS NULL THEN 1
               ELSE abs(got - want)::float8 / greatest(abs(want)::float8, 1e-300) END $$;

-- One line per source file: rows checked and rows outside 1e-9 relative (must be 0).
SELECT src, count(*) AS rows_checked,
       count(*) FILTER (WHERE pg_temp.rel_err(got_lower, lower) > 1e-9
                           OR pg_temp.rel_err(got_upper, upper) > 1e-9) AS outside_1e9,
       count(*) FILTER (WHERE got_method <> ref_method) AS method_differs,
       count(*) FILTER (WHERE twin_lower IS DISTINCT FROM got_lower
                           OR twin_upper IS DISTINCT FROM got_upper) AS twins_differ
FROM got GROUP BY src ORDER BY src;
-- Any failure is listed here (expected: no rows).
SELECT src, x, n, per, level, lower, got_lower, upper, got_upper
FROM got WHERE pg_temp.rel_err(got_lower, lower) > 1e-9 OR pg_temp.rel_err(got_upper, upper) > 1e-9;

-- DOMAIN worked figures: Wilson 65/100 and exact Poisson 1 per 100 at 95%.
SELECT wilson_ci(65, 100);
SELECT rate_ci(1, 100, 100);
SELECT rate_ci(65, 1);  -- Byar on the count itself
-- Published arrest rates with 95% intervals (per 100 DA crimes).
SELECT round(per_100(201659, 388020), 1) AS rate_2016,
       round(rate_ci_lower(201659, 388020, 100), 2) AS lower, round(rate_ci_upper(201659, 388020, 100), 2) AS upper;

-- Edge cases: 0 events, x = n, zero denominator (NULL), NULLs (NULL).
SELECT wilson_ci(0, 10), wilson_ci(10, 10);
SELECT rate_ci(0, 100, 100);
SELECT wilson_ci(0, 0) IS NULL AS wilson_n0, rate_ci(5, 0) IS NULL AS rate_n0,
       wilson_ci_lower(0, 0) IS NULL AS lower_n0, rate_ci_upper(5, 0) IS NULL AS upper_n0;
SELECT wilson_ci(NULL, 10) IS NULL AS a, rate_ci(1, NULL) IS NULL AS b, wilson_ci(1, 10, 1, NULL) IS NULL AS c;
-- Forced Byar where its lower limit does not exist: lower is NULL, upper is given.
SELECT rate_ci(1, 1, 1, 0.998, 'byar'), rate_ci_lower(1, 1, 1, 0.998, 'byar') IS NULL AS lower_null;
SELECT rate_ci(0, 10, 1, 0.95, 'byar');
-- Method names are case-insensitive.
SELECT (rate_ci(5, 100, 100, 0.95, 'EXACT')).method, (rate_ci(5, 100, 100, 0.95, 'Byar')).method;

-- Errors.
SELECT wilson_ci(11, 10);
SELECT wilson_ci(-1, 10);
SELECT wilson_ci(1, -10);
SELECT rate_ci(-1, 10);
SELECT wilson_ci(1, 10, 1, 95);
SELECT rate_ci(1, 10, 100, 1.0);
SELECT rate_ci(1, 10, 100, 0);
SELECT rate_ci(1, 10, 100, 'NaN');
SELECT wilson_ci(1, 10, 0);
SELECT rate_ci(1, 10, 100, 0.95, 'normal');

-- Aggregate forms use the summed counts.
CREATE TEMP TABLE returns (force text, x bigint, n bigint);
INSERT INTO returns VALUES ('A', 20, 100), ('B', 45, 100), ('C', NULL, 50), ('D', 7, NULL);
SELECT wilson_ci_agg(x, n) = wilson_ci(65, 200) AS wilson_same,
       wilson_ci_agg(x, n, 100) = wilson_ci(65, 200, 100) AS wilson_pct_same,
       wilson_ci_agg(x, n, 100, 0.998) = wilson_ci(65, 200, 100, 0.998) AS wilson_998_same,
       rate_ci_agg(x, n) = rate_ci(65, 200) AS rate_same,
       rate_ci_agg(x, n, 100) = rate_ci(65, 200, 100) AS rate_per100_same,
       rate_ci_agg(x, n, 100, 0.998) = rate_ci(65, 200, 100, 0.998) AS rate_998_same
FROM returns;
SELECT wilson_ci_agg(x, n) IS NULL AS no_rows, rate_ci_agg(x, n) IS NULL AS no_rows_rate
FROM returns WHERE false;
SELECT rate_ci_agg(x, n, 100) FROM (VALUES (3::bigint, 1000::bigint), (2, 1000)) v(x, n);
SELECT wilson_ci_agg(x, n) FROM (VALUES (5::bigint, 10::bigint), (11, 10)) v(x, n);
SELECT rate_ci_agg(x, n, 100, level) FROM (VALUES (5::bigint, 10::bigint, 0.95::float8), (1, 10, 0.99)) v(x, n, level);
SELECT rate_ci_agg(x, n, 100, 95) FROM (VALUES (5::bigint, 10::bigint)) v(x, n);
