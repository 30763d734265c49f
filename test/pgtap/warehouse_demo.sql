-- The demo's recomputed figures equal the published ones after the reports' own rounding.
-- The demo data are loaded exactly as the demo loads them (data/demo/load.sql: \copy into
-- staging, then the ingest functions), so the test covers the files, the ingest and the
-- computations together. Published figures are transcribed here independently of the data
-- files. pg_prove runs from the repository root (scripts/test.sh), which \copy needs.
BEGIN;
SET search_path = public, da;
SELECT plan(30);

\ir ../../data/demo/load.sql

SELECT is((SELECT sum(rejected) FROM demo_load), 0::numeric, 'demo files: no row rejected');
SELECT is((SELECT sum(inserted) FROM demo_load), 79::numeric, 'demo files: 79 rows inserted');
TRUNCATE demo_load;
\ir ../../data/demo/load.sql
SELECT results_eq('SELECT sum(inserted + updated + rejected), sum(unchanged) FROM demo_load',
                  'VALUES (0::numeric, 79::numeric)', 'reloading the demo files changes nothing');

-- Table 1 [000]: counts as published, and the shares of all crime / all sexual offences.
CREATE TEMP TABLE ew AS
SELECT measure_id, max(value) FILTER (WHERE period_end = '2016-06-30') AS y2016,
                   max(value) FILTER (WHERE period_end = '2017-06-30') AS y2017
FROM force_return WHERE force_id = 'england_wales' GROUP BY measure_id;
SELECT results_eq(
    $$SELECT measure_id, y2016, y2017 FROM ew WHERE measure_id LIKE 'da\_%' ORDER BY 1$$,
    $$VALUES ('da_assault_with_injury', 133891::bigint, 140486::bigint), ('da_crimes', 434905, 506890),
             ('da_harassment', 64670, 74894), ('da_sexual_offences', 13515, 16591)$$,
    'Table 1 counts');
SELECT results_eq(
    $$SELECT round(100.0 * (n.y2017 - n.y2016) / n.y2016) FROM ew n
      WHERE n.measure_id IN ('da_crimes', 'da_sexual_offences', 'da_assault_with_injury', 'da_harassment') ORDER BY n.measure_id$$,
    $$VALUES (5::numeric), (17), (16), (23)$$,
    'Table 1: up 5%, 17%, 16%, 23% (assault with injury, crimes, harassment, sexual offences)');
SELECT results_eq(
    $$SELECT round(per_100(d.y2016, t.y2016)), round(per_100(d.y2017, t.y2017))
      FROM ew d, ew t WHERE (d.measure_id, t.measure_id) IN (('da_crimes', 'all_crime_excl_fraud'), ('da_sexual_offences', 'sexual_offences'))
      ORDER BY d.measure_id$$,
    $$VALUES (11::numeric, 11::numeric), (13, 13)$$,
    'Table 1: 11% of all crime (excl. fraud) and 13% of sexual offences, both years');

-- Table 6 [000]: outcomes per 100 DA-related offences, to one decimal.
SELECT results_eq(
    $$SELECT o.period_end, t.code, round(t.per_100_offences, 1)
      FROM force_return_outcomes o
      JOIN force_return c ON (c.force_id, c.period_start, c.period_end, c.measure_id) = (o.force_id, o.period_start, o.period_end, 'da_crimes')
      CROSS JOIN LATERAL outcome_table(o.outcomes, c.value) t
      WHERE o.force_id = 'england_wales' AND t.n > 0 ORDER BY 1, 2$$,
    $$VALUES ('2016-06-30'::date, '1', 23.2), ('2016-06-30', '15', 24.1), ('2016-06-30', '16', 35.4),
             ('2016-06-30', '2', 0.3), ('2016-06-30', '3', 5.6), ('2016-06-30', '8', 1.4),
             ('2017-06-30', '1', 18.6), ('2017-06-30', '15', 23.7), ('2017-06-30', '16', 43.0),
             ('2017-06-30', '2', 0.3), ('2017-06-30', '3', 3.8), ('2017-06-30', '8', 1.1)$$,
    'Table 6 outcome rates per 100 offences, 2016 and 2017');
SELECT is((SELECT round(value) FROM dashboard WHERE force_id = 'england_wales' AND indicator_id = 'outcome16_per_100'
           AND period_end = '2017-06-30'), 43::numeric, '"43 of every 100 crimes": outcome 16 on the dashboard');

-- Arrests [000]: 52 -> 45 per 100 over the 35-force panel; arrests +2%, crimes +17%.
SELECT results_eq(
    $$SELECT round(value), numerator, denominator FROM dashboard
      WHERE force_id = 'ew_arrest_panel' AND indicator_id = 'arrests_per_100' ORDER BY period_end$$,
    $$VALUES (52::numeric, 201659::bigint, 388020::bigint), (45, 205757, 455395)$$,
    'arrests per 100 DA crimes: 52 (2016), 45 (2017)');
SELECT is((SELECT round(change_from_year_earlier) FROM dashboard WHERE force_id = 'ew_arrest_panel'
           AND indicator_id = 'arrests_per_100' AND period_end = '2017-06-30'), -7::numeric,
          'arrest rate down 7 points on the dashboard');
SELECT results_eq(
    $$SELECT measure_id, round(100.0 * (max(value) FILTER (WHERE period_end = '2017-06-30')
                                       - max(value) FILTER (WHERE period_end = '2016-06-30'))
                               / max(value) FILTER (WHERE period_end = '2016-06-30'))
      FROM force_return WHERE force_id = 'ew_arrest_panel' GROUP BY 1 ORDER BY 1$$,
    $$VALUES ('da_arrests', 2::numeric), ('da_crimes', 17)$$,
    'panel: arrests up 2%, DA crimes up 17%');
SELECT is((SELECT (SELECT count(*) FROM force WHERE in_national_total) - count(DISTINCT force_id)
           FROM force_return r JOIN force f USING (force_id)
           WHERE f.in_national_total AND r.value IS NULL AND r.measure_id IN ('da_arrests', 'da_crimes')),
          35::bigint, 'the panel: 43 forces less the 8 unable to provide = 35');
SELECT is((SELECT forces_included FROM national_total('da_arrests', '2016-07-01', '2017-06-30')), 0,
          'no force-level arrest values in the demo: the national total includes none');
SELECT ok((SELECT NOT ('British Transport Police' = ANY (forces_left_out)) AND 'Durham' = ANY (forces_left_out)
           FROM national_total('da_arrests', '2016-07-01', '2017-06-30')),
          'national total: BTP never expected, Durham (unable to provide) left out');

-- MARAC [000]: 35 per 10,000 adult females, below SafeLives' 40; 109,901 children.
SELECT is((SELECT round(cases_per_10k) FROM marac WHERE force_id = 'england_wales'), 35::numeric, 'MARAC: 35 per 10,000');
SELECT is((SELECT cases FROM marac WHERE force_id = 'england_wales'), 86893::bigint, 'MARAC: 86,893 cases');
SELECT is((SELECT children FROM marac WHERE force_id = 'england_wales'), 109901::bigint, 'MARAC: 109,901 children');
SELECT ok((SELECT vs_expected < 0 AND safelives_expected = 40 FROM marac WHERE force_id = 'england_wales'),
          'MARAC: below SafeLives'' expected 40');
SELECT is((SELECT round(children_per_case, 2) FROM marac WHERE force_id = 'england_wales'), 1.26, 'MARAC: 1.26 children per case');

-- The 2013 force profiles [001, 002, 004].
CREATE TEMP TABLE prof AS
SELECT force_id, max(value) FILTER (WHERE measure_id = 'da_crimes') AS crimes,
       max(value) FILTER (WHERE measure_id = 'da_arrests') AS arrests,
       max(value) FILTER (WHERE measure_id = 'da_charges') AS charges,
       max(value) FILTER (WHERE measure_id = 'da_cautions') AS cautions,
       max(value) FILTER (WHERE measure_id = 'da_out_of_court_disposals') AS oocd
FROM force_return WHERE period_end = '2013-08-31' GROUP BY force_id;
SELECT results_eq('SELECT force_id, crimes FROM prof ORDER BY 1',
    $$VALUES ('hampshire', 8068::bigint), ('metropolitan', 50263), ('west_mercia', 4859)$$, 'profiles: DA crimes');
SELECT results_eq('SELECT force_id, round(per_100(arrests, crimes)) FROM prof ORDER BY 1',
    $$VALUES ('hampshire', 90::numeric), ('metropolitan', 83), ('west_mercia', 45)$$, 'profiles: arrests per 100');
SELECT results_eq('SELECT force_id, round(per_100(charges, crimes)) FROM prof ORDER BY 1',
    $$VALUES ('hampshire', 48::numeric), ('metropolitan', 26), ('west_mercia', 41)$$, 'profiles: % charged');
SELECT results_eq('SELECT force_id, round(per_100(cautions, crimes)) FROM prof ORDER BY 1',
    $$VALUES ('hampshire', 11::numeric), ('metropolitan', 19), ('west_mercia', 13)$$, 'profiles: % cautioned');
SELECT results_eq('SELECT force_id, round(per_100(oocd, crimes)) FROM prof ORDER BY 1',
    $$VALUES ('hampshire', 3::numeric), ('metropolitan', NULL), ('west_mercia', 6)$$,
    'profiles: % out-of-court disposal (Met: "less than 1%", not in the data)');
SELECT results_eq(
    $$SELECT r.force_id, g.label, round(per_100(max(r.value) FILTER (WHERE r.measure_id = g.part),
                                               max(r.value) FILTER (WHERE r.measure_id = g.whole)))
      FROM force_return r
      JOIN (VALUES ('a_intent', 'da_assault_with_intent', 'assault_with_intent'),
                   ('b_injury', 'da_assault_with_injury', 'assault_with_injury'),
                   ('c_harassment', 'da_harassment', 'harassment'),
                   ('d_sexual', 'da_sexual_offences', 'sexual_offences')) g(label, part, whole)
        ON r.measure_id IN (g.part, g.whole)
      WHERE r.period_end = '2013-08-31' GROUP BY 1, 2 ORDER BY 1, 2$$,
    $$VALUES ('hampshire', 'a_intent', 18::numeric), ('hampshire', 'b_injury', 30), ('hampshire', 'c_harassment', 49),
             ('hampshire', 'd_sexual', 9), ('metropolitan', 'a_intent', 69), ('metropolitan', 'b_injury', 31),
             ('metropolitan', 'c_harassment', 37), ('metropolitan', 'd_sexual', 11), ('west_mercia', 'a_intent', 18),
             ('west_mercia', 'b_injury', 31), ('west_mercia', 'c_harassment', 56), ('west_mercia', 'd_sexual', 12)$$,
    'profiles: DA share of assaults with intent, assaults with injury, harassment, sexual offences');
SELECT ok((SELECT bool_and(round(per_100(arrests, crimes)) BETWEEN 45 AND 90) FROM prof),
          '"for most forces the number is between 45 and 90"');

-- The rows cite their sources; every load is accounted for.
SELECT is((SELECT count(*) FROM force_return WHERE source IS NULL OR source = ''), 0::bigint, 'every demo row cites its source');
SELECT is((SELECT count(*) FROM force_return_outcomes WHERE source NOT LIKE '%Table 6%'), 0::bigint, 'outcome rows cite Table 6');
SELECT ok((SELECT bool_and(staged = inserted + updated + unchanged + rejected) FROM return_load), 'every staged row accounted for');
SELECT is((SELECT count(*) FROM return_staging) + (SELECT count(*) FROM outcome_staging), 0::bigint, 'staging emptied');

SELECT * FROM finish();
ROLLBACK;
