-- Outcome distributions: the da.outcome_counts type, its aggregates and accessors, and the
-- published figures they reproduce.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

-------------------------------------------------------------------------------
-- Published figures
-------------------------------------------------------------------------------

-- HMIC 2014 force profiles, 12 months to 31 August 2013 [001 Hampshire, 002 Met, 004 West
-- Mercia]: "recorded N domestic abuse related crimes ... Of these crimes, x% resulted in a
-- charge, y% resulted in a caution and z% had an out of court disposal, for example a fixed
-- penalty notice for disorder". The percentages are of crimes: the per-100-offences basis.
-- "Caution" = youth and adult cautions (codes 2, 2A, 3, 3A); "out of court disposal" = the
-- other out-of-court disposals (6 penalty notice, 7 cannabis warning, 8 community
-- resolution). The reports publish only the percentages: the counts below are constructed,
-- one record per crime with its outcome, so that the crime totals are the published ones
-- (8,068; 50,263; 4,859) and the counts round to the published percentages (e.g. Hampshire
-- 3,870 charged of 8,068 = 47.97%, published "48%"). The rest are spread over other codes
-- and "not yet assigned" (NULL for Hampshire and West Mercia, '0' for the Met).
CREATE TEMP TABLE crime_2013 (force text, outcome text);
INSERT INTO crime_2013
SELECT force, code FROM (VALUES
  ('Hampshire', '1', 3820), ('Hampshire', '1A', 50), ('Hampshire', '2', 40), ('Hampshire', '3', 850),
  ('Hampshire', '3A', 8), ('Hampshire', '6', 150), ('Hampshire', '8', 90), ('Hampshire', '16', 1500),
  ('Hampshire', '15', 600), ('Hampshire', '18', 300), ('Hampshire', '14', 100), ('Hampshire', '10', 60),
  ('Hampshire', NULL, 500),
  ('Metropolitan Police', '1', 13000), ('Metropolitan Police', '1A', 80), ('Metropolitan Police', '2', 500),
  ('Metropolitan Police', '2A', 10), ('Metropolitan Police', '3', 9000), ('Metropolitan Police', '3A', 50),
  ('Metropolitan Police', '6', 200), ('Metropolitan Police', '7', 50), ('Metropolitan Police', '8', 100),
  ('Metropolitan Police', '16', 15000), ('Metropolitan Police', '15', 6000), ('Metropolitan Police', '18', 2000),
  ('Metropolitan Police', '14', 700), ('Metropolitan Police', '4', 100), ('Metropolitan Police', '9', 73),
  ('Metropolitan Police', '0', 3400),
  ('West Mercia', '1', 1990), ('West Mercia', '2', 30), ('West Mercia', '3', 600), ('West Mercia', '6', 120),
  ('West Mercia', '8', 170), ('West Mercia', '16', 1200), ('West Mercia', '15', 400), ('West Mercia', '18', 150),
  ('West Mercia', '12', 9), ('West Mercia', NULL, 190)
) v(force, code, n), generate_series(1, n);

SELECT force, crimes,
       round(outcome_group_per_100_offences(c, 'charged_summonsed', crimes)) AS charge_pct,
       round(outcome_per_100_offences(c, ARRAY['2', '2A', '3', '3A'], crimes)) AS caution_pct,
       round(outcome_per_100_offences(c, ARRAY['6', '7', '8'], crimes), 1) AS out_of_court_pct,
       outcome_per_100_offences(c, ARRAY['6', '7', '8'], crimes) < 1 AS under_1_pct
FROM (SELECT force, count(*) AS crimes, outcome_agg(outcome) AS c FROM crime_2013 GROUP BY force) f
ORDER BY force;

-- HMICFRS 2019 Table 6 [000]: outcome rates per 100 DA-related offences, 12 months to
-- 30 June 2017 and 2016 (published: 18.6/23.2, 3.8/5.6, 0.3/0.3, 1.1/1.4, 23.7/24.1,
-- 43.0/35.4). Published as rates only; the pre-counted rows are constructed: offences
-- 500,000 (2017) and 420,000 (2016), each count the published rate times the base plus an
-- offset inside the rounding interval (charged 2017: 92,900 + 237 alternate = 93,137 =
-- 18.63%), so the rounding, not the construction, must give the published figure. Other
-- outcomes and "not yet assigned" do not enter a per-100-offences rate.
CREATE TEMP TABLE table6 (period text, code text, n bigint);
INSERT INTO table6 VALUES
  ('2017', '1', 92900), ('2017', '1A', 237), ('2017', '3', 19000), ('2017', '3A', 123),
  ('2017', '2', 1400), ('2017', '2A', 12), ('2017', '8', 5388), ('2017', '15', 118611),
  ('2017', '16', 214871), ('2017', '18', 9000), ('2017', '21', 1200), ('2017', '0', 30000),
  ('2016', '1', 97300), ('2016', '1A', 251), ('2016', '3', 23400), ('2016', '3A', 97),
  ('2016', '2', 1190), ('2016', '2A', 9), ('2016', '8', 5901), ('2016', '15', 101090),
  ('2016', '16', 148802), ('2016', '18', 8000), ('2016', '20', 700), ('2016', NULL, 25000);
CREATE TEMP TABLE table6_counts AS
SELECT period, outcome_agg(code, n) AS c,
       CASE period WHEN '2017' THEN 500000 ELSE 420000 END::bigint AS offences
FROM table6 GROUP BY period;
SELECT line, round(max(v) FILTER (WHERE period = '2017'), 1) AS "12 months to 30 June 2017",
             round(max(v) FILTER (WHERE period = '2016'), 1) AS "12 months to 30 June 2016"
FROM table6_counts,
     LATERAL (VALUES
       (1, 'Charged/Summonsed', outcome_group_per_100_offences(c, 'charged_summonsed', offences)),
       (2, 'Caution – adults', outcome_per_100_offences(c, ARRAY['3', '3A'], offences)),
       (3, 'Caution – youths', outcome_per_100_offences(c, ARRAY['2', '2A'], offences)),
       (4, 'Community resolution', outcome_per_100_offences(c, '8', offences)),
       (5, 'Evidential difficulties; victim supports', outcome_group_per_100_offences(c, 'evidential_difficulties_victim_supports', offences)),
       (6, 'Evidential difficulties; victim does not support (16)', outcome_per_100_offences(c, '16', offences))
     ) t(ord, line, v)
GROUP BY ord, line ORDER BY ord;
-- The same 2017 counts on the other basis: per 100 outcomes assigned (the 30,000 not yet
-- assigned are excluded from the base: 462,742 outcomes).
SELECT outcome_total(c) AS outcomes_assigned, outcome_unassigned(c) AS not_yet_assigned,
       round(outcome_pct_of_outcomes(c, '16'), 2) AS outcome_16_pct_of_outcomes,
       round(outcome_per_100_offences(c, '16', offences), 2) AS outcome_16_per_100_offences
FROM table6_counts WHERE period = '2017';

-------------------------------------------------------------------------------
-- The type: text form
-------------------------------------------------------------------------------

-- Canonical output: non-zero codes in sort order, "0" (not yet assigned) last.
SELECT '{"16": 218, "0": 12, "1": 93}'::outcome_counts;
-- Any order and JSON whitespace; lower-case letter; zero counts are dropped; empty object.
SELECT E'\n { "3a" :1,"1A":2 ,\t"23": 0, "2A": 3 , "22" : 4 } \n'::outcome_counts;
SELECT '{}'::outcome_counts AS empty, ' {  } '::outcome_counts AS empty_ws, '{"1": 0}'::outcome_counts AS zero;
-- Every code, once each, round trip through text.
SELECT '{"0": 26, "23": 25, "22": 24, "21": 23, "20": 22, "18": 21, "17": 20, "16": 19, "15": 18, "14": 17, "13": 16, "12": 15, "11": 14, "10": 13, "9": 12, "8": 11, "7": 10, "6": 9, "5": 8, "4": 7, "3A": 6, "3": 5, "2A": 4, "2": 3, "1A": 2, "1": 1}'::outcome_counts AS every_code;
SELECT '{"1": 9223372036854775807}'::outcome_counts::text::outcome_counts AS max_count;
SELECT NULL::outcome_counts IS NULL AS null_in_null_out;

-- Input errors (22P02; 22003 when a count is out of range), each naming what is wrong.
\set VERBOSITY default
SELECT '{"19": 1}'::outcome_counts;
SELECT '{"24": 1}'::outcome_counts;
SELECT '{"01": 1}'::outcome_counts;
SELECT '{"1B": 1}'::outcome_counts;
SELECT '{"": 1}'::outcome_counts;
SELECT '{"unassigned": 1}'::outcome_counts;
SELECT '{" 1": 1}'::outcome_counts;
SELECT '{"1": 1, "16": 2, "1": 3}'::outcome_counts;
SELECT '{"1": 1, "1a": 2, "1A": 3}'::outcome_counts;
SELECT '{"16": -5}'::outcome_counts;
SELECT '{"16": 1.5}'::outcome_counts;
SELECT '{"16": 1.0}'::outcome_counts;
SELECT '{"16": 1e3}'::outcome_counts;
SELECT '{"16": 007}'::outcome_counts;
SELECT '{"16": "7"}'::outcome_counts;
SELECT '{"16": }'::outcome_counts;
SELECT '{"16": 9223372036854775808}'::outcome_counts;
SELECT '{"16" 7}'::outcome_counts;
SELECT '{16: 7}'::outcome_counts;
SELECT '{"1\u0036": 7}'::outcome_counts;
SELECT '{"16": 7,}'::outcome_counts;
SELECT '{"16": 7'::outcome_counts;
SELECT '{"16": 7} {}'::outcome_counts;
SELECT '[]'::outcome_counts;
SELECT ''::outcome_counts;

-- jsonb: cast both ways (jsonb orders keys its own way; the counts are the same).
SELECT '{"1": 93, "16": 218, "0": 12}'::outcome_counts::jsonb AS as_jsonb,
       ('{"1": 93, "16": 218, "0": 12}'::outcome_counts::jsonb)->>'16' AS n16,
       '{"16": 218, "1": 93}'::jsonb::outcome_counts AS from_jsonb,
       '{}'::outcome_counts::jsonb AS empty_jsonb;
SELECT '{"19": 1}'::jsonb::outcome_counts;
SELECT '{"1": 1.5}'::jsonb::outcome_counts;

-------------------------------------------------------------------------------
-- The type: binary form (COPY BINARY round trip, and recv's validation)
-------------------------------------------------------------------------------
-- Wire format: int4 number of code slots (26), then one int8 per slot in canonical order.
SELECT length(w) AS bytes, substr(w, 1, 12) AS head, substr(w, 1 + 4 + 18 * 8, 8) AS code_16,
       substr(w, 1 + 4 + 25 * 8, 8) AS code_0
FROM (SELECT outcome_counts_send('{"1": 1, "16": 258, "0": 3}') AS w) v;
CREATE TEMP TABLE bin_src (c outcome_counts);
INSERT INTO bin_src VALUES ('{"1": 93, "1A": 4, "16": 218, "23": 1, "0": 12}'), ('{}'),
  ('{"18": 9223372036854775807}');
SELECT current_setting('data_directory') || '/da_stats_outcomes.bin' AS binfile \gset
COPY bin_src TO :'binfile' (FORMAT binary);
CREATE TEMP TABLE bin_dst (c outcome_counts);
COPY bin_dst FROM :'binfile' (FORMAT binary);
SELECT (SELECT array_agg(c::text ORDER BY c::text) FROM bin_src) =
       (SELECT array_agg(c::text ORDER BY c::text) FROM bin_dst) AS binary_round_trip,
       (SELECT count(*) FROM bin_dst) AS values_read;
-- recv: fewer code slots than we know (an older release's value) is read with zeros; a
-- negative count or more slots than we know is rejected (22P03). The payloads are written
-- as bytea fields of a binary COPY file, then read back as da.outcome_counts.
CREATE TEMP TABLE bin_raw (b bytea);
INSERT INTO bin_raw VALUES (decode('00000002' || '0000000000000005' || '0000000000000007', 'hex'));
COPY bin_raw TO :'binfile' (FORMAT binary);
TRUNCATE bin_dst;
COPY bin_dst FROM :'binfile' (FORMAT binary);
SELECT c AS two_slots FROM bin_dst;
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES (decode('00000001' || 'ffffffffffffffff', 'hex'));
COPY bin_raw TO :'binfile' (FORMAT binary);
COPY bin_dst FROM :'binfile' (FORMAT binary);
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES (decode('0000001b' || repeat('0000000000000000', 27), 'hex'));
COPY bin_raw TO :'binfile' (FORMAT binary);
COPY bin_dst FROM :'binfile' (FORMAT binary);
TRUNCATE bin_raw;
INSERT INTO bin_raw VALUES (decode('00000003' || '0000000000000001', 'hex'));
COPY bin_raw TO :'binfile' (FORMAT binary);
COPY bin_dst FROM :'binfile' (FORMAT binary);

-------------------------------------------------------------------------------
-- Equality, hashing, merge
-------------------------------------------------------------------------------
SELECT '{"1": 3, "16": 5}'::outcome_counts = '{"16": 5, "1": 3}' AS eq,
       '{"1": 3, "16": 5}'::outcome_counts = '{"16": 5, "1": 3, "0": 1}' AS eq_unassigned_differs,
       '{"1": 3}'::outcome_counts <> '{"1A": 3}' AS ne,
       '{}'::outcome_counts = '{"2": 0}' AS zeros_equal,
       NULL::outcome_counts = '{}' IS NULL AS null_eq;
-- Hash opclass: DISTINCT / GROUP BY / hash joins on the type.
SET enable_sort = off;
SELECT c, count(*) FROM (VALUES ('{"1": 1}'::outcome_counts), ('{"1": 1}'), ('{"1A": 1}'), ('{}'), ('{}'), ('{}'))
  v(c) GROUP BY c ORDER BY count(*), c::text;
RESET enable_sort;
SELECT outcome_counts_hash('{"1": 3, "16": 5}') = outcome_counts_hash('{"16": 5, "1": 3}') AS same_hash;
-- + merges (a new value; the operands are untouched), overflow is an error, NULL is NULL.
SELECT a OPERATOR(da.+) b AS merged, a, b
FROM (SELECT '{"1": 3, "0": 2}'::outcome_counts a, '{"1": 4, "16": 5}'::outcome_counts b) v;
SELECT '{"1": 3}'::outcome_counts OPERATOR(da.+) NULL IS NULL AS null_plus;
SELECT '{"16": 9223372036854775807}'::outcome_counts OPERATOR(da.+) '{"16": 1}';

-------------------------------------------------------------------------------
-- Aggregates
-------------------------------------------------------------------------------

-- Record level, text codes: NULL and '0' are "not yet assigned"; blanks around a code are
-- tolerated; the letter may be lower case.
SELECT outcome_agg(code) FROM (VALUES ('1'), ('1A'), ('1a'), (NULL), ('0'), (' 16'), ('16 '), ('16'),
  ('2'), ('2A'), ('3'), ('3A'), ('4'), ('5'), ('6'), ('7'), ('8'), ('9'), ('10'), ('11'), ('12'),
  ('13'), ('14'), ('15'), ('17'), ('18'), ('20'), ('21'), ('22'), ('23')) v(code);
-- Integer codes (smallint through the implicit cast): 0 and NULL are not yet assigned.
SELECT outcome_agg(code) AS int4, outcome_agg(code::smallint) AS int2
FROM (VALUES (1), (1), (0), (NULL), (16), (23), (20), (18), (4)) v(code);
-- No rows: NULL (as sum()); a record-level aggregate counts every row, so a single NULL
-- code is one crime not yet assigned.
SELECT outcome_agg(code) IS NULL AS no_rows FROM (VALUES ('1')) v(code) WHERE false;
SELECT outcome_agg(code) AS one_null_code FROM (VALUES (NULL::text)) v(code);
-- Pre-counted: a NULL count ("unable to provide") takes no part; a NULL code is the number
-- not yet assigned; zero counts are fine. All counts NULL: NULL, not an empty distribution.
SELECT outcome_agg(code, n) FROM (VALUES ('1', 5), ('1', 7), ('16', NULL), (NULL, 3), ('0', 2), ('8', 0)) v(code, n);
SELECT outcome_agg(code, n) FROM (VALUES (1, 5::bigint), (16, NULL), (NULL, 3), (0, 2), (22, 1)) v(code, n);
SELECT outcome_agg(code, n) IS NULL AS all_counts_null FROM (VALUES ('1', NULL::bigint), ('16', NULL)) v(code, n);
SELECT outcome_agg(code, n) AS counts_after_null FROM (VALUES ('1', NULL::bigint), ('16', 4)) v(code, n);
-- Rollups: a NULL rollup takes no part; all NULL: NULL.
SELECT outcome_merge_agg(c) FROM (VALUES ('{"1": 3}'::outcome_counts), (NULL), ('{"1": 4, "0": 1}'), ('{}')) v(c);
SELECT outcome_merge_agg(c) IS NULL AS all_null FROM (VALUES (NULL::outcome_counts), (NULL)) v(c);
-- Grouped.
SELECT force, outcome_agg(outcome) FROM crime_2013 WHERE outcome IN ('1', '16', '0') OR outcome IS NULL
GROUP BY force ORDER BY force;

-- Aggregate errors: unknown codes name the code (22023); code 19 gets a hint; negative
-- counts (22023); overflow (22003, never a wrap).
SELECT outcome_agg(code) FROM (VALUES ('1'), ('19')) v(code);
SELECT outcome_agg(code) FROM (VALUES ('1'), ('1B')) v(code);
SELECT outcome_agg(code) FROM (VALUES ('')) v(code);
SELECT outcome_agg(code) FROM (VALUES ('016')) v(code);
SELECT outcome_agg(code) FROM (VALUES ('Charged')) v(code);
SELECT outcome_agg(code) FROM (VALUES (19)) v(code);
SELECT outcome_agg(code) FROM (VALUES (24)) v(code);
SELECT outcome_agg(code) FROM (VALUES (-1)) v(code);
SELECT outcome_agg(code::smallint) FROM (VALUES (19)) v(code);
SELECT outcome_agg(code, n) FROM (VALUES ('19', 1::bigint)) v(code, n);
SELECT outcome_agg(code, n) FROM (VALUES (19, 1::bigint)) v(code, n);
SELECT outcome_agg(code, n) FROM (VALUES ('1', 5), ('16', -1)) v(code, n);
SELECT outcome_agg(code, n) FROM (VALUES (1, 5), (16, -1)) v(code, n);
SELECT outcome_agg(code, n) FROM (VALUES ('1', 9223372036854775807), ('1', 1)) v(code, n);
SELECT outcome_merge_agg(c) FROM (VALUES ('{"0": 9223372036854775807}'::outcome_counts), ('{"0": 1}')) v(c);

-- Transition functions called directly never modify their input; the inverses refuse to
-- go below zero.
SELECT s AS before, outcome_accum(s, '16') AS after_text, outcome_accum(s, 16) AS after_int,
       outcome_accum(s, '16', 10::bigint) AS after_n, outcome_accum(NULL::outcome_counts, NULL::text) AS from_null,
       outcome_retract(s, '1') AS retracted, outcome_combine(s, s) AS doubled, s AS still
FROM (SELECT '{"1": 2, "16": 1}'::outcome_counts s) v;
SELECT outcome_retract('{"1": 1}', '16');
SELECT outcome_retract('{"1": 1}', 0);
SELECT outcome_mretract('{"1": 1}', '1', 2::bigint);
SELECT outcome_uncombine('{"1": 1}', '{"1": 1, "0": 1}');

-------------------------------------------------------------------------------
-- Reading a distribution
-------------------------------------------------------------------------------
CREATE TEMP TABLE dist AS
SELECT '{"1": 93, "1A": 7, "3": 40, "8": 10, "14": 20, "15": 80, "16": 218, "18": 32, "0": 12}'::outcome_counts AS c;
-- Counts: a code, a set of codes, the total of outcomes assigned, the unassigned.
SELECT outcome_n(c, '1') AS n1, outcome_n(c, '1a') AS n1a, outcome_n(c, ' 16 ') AS n16,
       outcome_n(c, '22') AS n22, outcome_n(c, '0') AS n0,
       outcome_n(c, ARRAY['1', '1A']) AS charged, outcome_n(c, ARRAY['16', '16', '14']) AS dup_once,
       outcome_total(c) AS total, outcome_unassigned(c) AS unassigned
FROM dist;
-- Shares on both bases (exact numeric, trailing zeros trimmed): 93 of 500 outcomes assigned
-- = 18.6; 93 per 100 of 1,000 offences = 9.3; charged 100/500 = 20.
SELECT outcome_pct_of_outcomes(c, '1') AS pct1, outcome_per_100_offences(c, '1', 1000) AS per100_1,
       outcome_pct_of_outcomes(c, '16') AS pct16, outcome_per_100_offences(c, '16', 3) AS per100_16_small_base,
       outcome_pct_of_outcomes(c, ARRAY['1', '1A']) AS pct_charged,
       outcome_per_100_offences(c, ARRAY['1', '1A'], 1000) AS per100_charged,
       outcome_per_100_offences(c, '0', 1000) AS unassigned_per_100,
       outcome_pct_of_outcomes(c, '22') AS pct_absent
FROM dist;
-- Groups.
SELECT outcome_group_n(c, 'charged_summonsed') AS charged,
       outcome_group_n(c, 'evidential_difficulties_victim_does_not_support') AS ed_not_support,
       outcome_group_n(c, 'not_yet_assigned') AS not_yet,
       outcome_group_pct_of_outcomes(c, 'charged_summonsed') AS pct_charged,
       outcome_group_per_100_offences(c, 'evidential_difficulties_victim_does_not_support', 600) AS per100_ed,
       outcome_group_per_100_offences(c, 'not_yet_assigned', 600) AS per100_not_yet
FROM dist;
-- Per 100 offences can exceed 100 (outcomes are counted in the year recorded, not tracked
-- to the crimes of the year): never capped.
SELECT outcome_per_100_offences(c, '16', 200) AS over_100 FROM dist;

-- NULL semantics: any NULL argument gives NULL; a zero base gives NULL (no share), not 0.
SELECT outcome_n(NULL, '1') IS NULL AS n_null_c, outcome_n(c, NULL::text) IS NULL AS n_null_code,
       outcome_n(c, NULL::text[]) IS NULL AS n_null_codes, outcome_total(NULL) IS NULL AS total_null,
       outcome_unassigned(NULL) IS NULL AS unassigned_null,
       outcome_pct_of_outcomes(NULL, '1') IS NULL AS pct_null_c,
       outcome_pct_of_outcomes(c, NULL::text) IS NULL AS pct_null_code,
       outcome_per_100_offences(c, '1', NULL) IS NULL AS per100_null_offences,
       outcome_per_100_offences(c, '1', 0) IS NULL AS per100_zero_offences,
       outcome_group_n(c, NULL) IS NULL AS group_null,
       outcome_group_pct_of_outcomes(NULL, 'charged_summonsed') IS NULL AS group_pct_null,
       outcome_group_per_100_offences(c, 'charged_summonsed', NULL) IS NULL AS group_per100_null,
       outcome_group_per_100_offences(c, 'charged_summonsed', 0) IS NULL AS group_per100_zero
FROM dist;
-- Nothing assigned yet: no share of outcomes (NULL), but the counts are 0 and the
-- not-yet-assigned rate per 100 offences exists.
SELECT outcome_total(c) AS total, outcome_pct_of_outcomes(c, '1') IS NULL AS pct_null,
       outcome_group_pct_of_outcomes(c, 'charged_summonsed') IS NULL AS group_pct_null,
       outcome_per_100_offences(c, '1', 10) AS per100, outcome_per_100_offences(c, '0', 10) AS unassigned_per100
FROM (SELECT '{"0": 5}'::outcome_counts c) v;

-- Reading errors (22023): unknown code or group, "not yet assigned" has no share of
-- outcomes, negative offences, bad code lists; 22003 when a sum overflows.
SELECT outcome_n(c, '19') FROM dist;
SELECT outcome_n(c, 'x') FROM dist;
SELECT outcome_n(c, ARRAY['1', '99']) FROM dist;
SELECT outcome_n(c, ARRAY['1', NULL]) FROM dist;
SELECT outcome_n(c, ARRAY[]::text[]) FROM dist;
SELECT outcome_n(c, ARRAY[['1'], ['2']]) FROM dist;
SELECT outcome_pct_of_outcomes(c, '19') FROM dist;
SELECT outcome_pct_of_outcomes(c, '0') FROM dist;
SELECT outcome_pct_of_outcomes(c, ARRAY['1', '0']) FROM dist;
SELECT outcome_per_100_offences(c, '25', 100) FROM dist;
SELECT outcome_per_100_offences(c, '1', -1) FROM dist;
SELECT outcome_per_100_offences(c, ARRAY['1'], -1) FROM dist;
SELECT outcome_group_n(c, 'charged') FROM dist;
SELECT outcome_group_pct_of_outcomes(c, 'Charged/summonsed') FROM dist;
SELECT outcome_group_pct_of_outcomes(c, 'not_yet_assigned') FROM dist;
SELECT outcome_group_per_100_offences(c, 'charged_summonsed', -5) FROM dist;
SELECT outcome_group_per_100_offences(c, 'nope', 5) FROM dist;
SELECT outcome_total('{"1": 9223372036854775807, "16": 1}');
SELECT outcome_total('{"1": 9223372036854775807, "0": 1}') AS unassigned_not_in_total;

-- Dashboard tables: every code / group, in order, both bases; "not yet assigned" has no
-- share of outcomes.
SELECT t.* FROM dist, outcome_table(c, 1000) t;
SELECT t.* FROM dist, outcome_group_table(c, 1000) t;
-- Without offences: the per-100-offences column is NULL; a NULL distribution: no rows.
SELECT code, n, pct_of_outcomes, per_100_offences FROM dist, outcome_table(c) WHERE n > 0;
SELECT group_name, n, pct_of_outcomes, per_100_offences FROM dist, outcome_group_table(c) WHERE n > 0;
SELECT count(*) AS rows_for_null FROM outcome_table(NULL);
SELECT count(*) AS group_rows_for_null FROM outcome_group_table(NULL, 10);
-- Offences 0: shares of outcomes still there, per 100 offences NULL; negative: ERROR.
SELECT code, pct_of_outcomes, per_100_offences FROM dist, outcome_table(c, 0) WHERE code IN ('1', '0');
SELECT * FROM dist, outcome_table(c, -1);
SELECT * FROM dist, outcome_group_table(c, -1);
-- The column types are plain (for BI tools).
SELECT pg_get_function_result('da.outcome_table(da.outcome_counts, bigint)'::regprocedure) AS outcome_table,
       pg_get_function_result('da.outcome_group_table(da.outcome_counts, bigint)'::regprocedure) AS outcome_group_table;

-- A stored column of the type: per-force rollups, merged.
CREATE TEMP TABLE rollup (force text, c outcome_counts);
INSERT INTO rollup SELECT force, outcome_agg(outcome) FROM crime_2013 GROUP BY force;
SELECT outcome_merge_agg(c) AS three_forces, outcome_total(outcome_merge_agg(c)) AS outcomes,
       outcome_unassigned(outcome_merge_agg(c)) AS not_yet_assigned
FROM rollup;
SELECT (SELECT outcome_merge_agg(c) FROM rollup) = (SELECT outcome_agg(outcome) FROM crime_2013) AS rollup_equals_raw;
SELECT pg_column_size(c) AS bytes FROM rollup LIMIT 1;

DROP TABLE crime_2013, table6, table6_counts, bin_src, bin_dst, bin_raw, dist, rollup;
