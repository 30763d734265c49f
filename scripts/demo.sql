-- da_stats demo: the figures published by HMICFRS/HMIC go in through the warehouse kit's
-- ingest (data/demo/*.csv), and the reports' own tables come out, recomputed by the
-- extension. Run from the repository root (scripts/demo.sh does): psql -f scripts/demo.sql
\set QUIET on
SET client_min_messages = warning;
CREATE EXTENSION da_stats;
SELECT da.create_warehouse() \g /dev/null
SET search_path = da, public;
\pset footer off
\pset null ''

-- Change phrases, as published: percent change of counts, rounded to a whole percent;
-- percentage-point change of rounded rates, ONS style (numbers under ten in words).
\set pct_phrase da.pct_change_phrase
\set pp_phrase da.pp_change_phrase
\set pct_phrase_rate da.pct_change_phrase

\echo
\echo '=============================================================================================='
\echo ' da_stats demo: published figures in, the reports'' tables out (recomputed by the extension)'
\echo '=============================================================================================='
\echo
\echo 'Loading data/demo/*.csv through da.ingest_returns() and da.ingest_outcomes():'
\ir ../data/demo/load.sql
SELECT file, inserted, updated, unchanged, rejected FROM demo_load;
\echo 'Loading the same files again changes nothing (an idempotent reload):'
TRUNCATE demo_load;
\ir ../data/demo/load.sql
SELECT file, inserted, updated, unchanged, rejected FROM demo_load;

-------------------------------------------------------------------------------
\echo
\echo 'Table 1: Domestic abuse-related crime in England and Wales, 12 months to 30 June 2016 and 2017'
\echo 'Source: HMICFRS (2019), The police response to domestic abuse: an update report, Table 1.'
\echo 'Counts as published; "Change" recomputed from them. Shares: DA crimes / all recorded crime'
\echo '(Home Office open data, see data/demo/README.md); the report does not give the assault with'
\echo 'injury and harassment totals, so those two shares are the published ones.'
WITH v AS (
    SELECT measure_id, max(value) FILTER (WHERE period_end = '2016-06-30') AS y2016,
                       max(value) FILTER (WHERE period_end = '2017-06-30') AS y2017
    FROM force_return WHERE force_id = 'england_wales' AND period_end IN ('2016-06-30', '2017-06-30')
    GROUP BY measure_id
), t1 AS (
    -- Volumes: percent change of the counts.
    SELECT r.ord, r.label, to_char(v.y2016, 'FM999,999,999') AS c2016, to_char(v.y2017, 'FM999,999,999') AS c2017,
           :pct_phrase(v.y2016, v.y2017) AS change, r.published
    FROM (VALUES (1, 'Domestic abuse-related crimes', 'da_crimes', 'Up 17%'),
                 (2, 'Domestic abuse-related sexual offences', 'da_sexual_offences', 'Up 23%'),
                 (3, 'Domestic abuse-related assault with injury crimes', 'da_assault_with_injury', 'Up 5%'),
                 (4, 'Domestic abuse-related harassment crimes', 'da_harassment', 'Up 16%')) r(ord, label, m, published)
    JOIN v ON v.measure_id = r.m
    UNION ALL
    -- Shares: percentage-point change, decided on the rounded published values.
    SELECT r.ord, r.label,
           coalesce(round(per_100(d.y2016, t.y2016))::text || '%', r.p2016 || '% *'),
           coalesce(round(per_100(d.y2017, t.y2017))::text || '%', r.p2017 || '% *'),
           :pp_phrase(coalesce(round(per_100(d.y2016, t.y2016)), r.p2016), coalesce(round(per_100(d.y2017, t.y2017)), r.p2017)),
           r.published
    FROM (VALUES (5, 'DA-related crime as % of total recorded crime (excl. fraud)', 'da_crimes', 'all_crime_excl_fraud', NULL, NULL, 'No change'),
                 (6, 'DA-related crime as % of all recorded sexual offences', 'da_sexual_offences', 'sexual_offences', NULL, NULL, 'No change'),
                 (7, 'DA-related crime as % of all assault with injury crimes', NULL, NULL, 33, 32, 'Down one percentage point'),
                 (8, 'DA-related crime as % of all harassment crimes', NULL, NULL, 37, 36, 'Down one percentage point'))
         r(ord, label, part, whole, p2016, p2017, published)
    LEFT JOIN v d ON d.measure_id = r.part
    LEFT JOIN v t ON t.measure_id = r.whole
)
SELECT label AS "12 months to 30 June", c2016 AS "2016", c2017 AS "2017", change AS "Change (recomputed)",
       published AS "Change (published)"
FROM t1 ORDER BY ord;
\echo '* published share, not recomputed (the report does not give the total it is a share of).'
SELECT 'The report''s text gives 430,095 -> 506,890 "a 17 percent increase"; recomputed: '
       || :pct_phrase(430095, 506890) || ' (Table 1 has 434,905: ' || :pct_phrase(434905, 506890) || ')' AS "A check the validator makes";

-------------------------------------------------------------------------------
\echo
\echo 'Table 6: Outcome rates for domestic abuse-related offences, per 100 DA-related offences'
\echo 'Source: HMICFRS (2019), Table 6 (its header says "12 months to 31 March 2016" for the second'
\echo 'column, its title and notes 30 June 2016). Outcome counts stored per period as da.outcome_counts;'
\echo 'the report gives only the rates: the counts are back-computed from them (data/demo/README.md).'
WITH o AS (
    SELECT o.period_end, o.outcomes, c.value AS offences
    FROM force_return_outcomes o
    JOIN force_return c ON (c.force_id, c.period_start, c.period_end, c.measure_id)
                         = (o.force_id, o.period_start, o.period_end, 'da_crimes')
    WHERE o.force_id = 'england_wales'
), t6 AS (
    SELECT r.ord, r.label,
           round(max(t.per_100_offences) FILTER (WHERE o.period_end = '2017-06-30'), 1) AS p2017,
           round(max(t.per_100_offences) FILTER (WHERE o.period_end = '2016-06-30'), 1) AS p2016,
           r.pub2017, r.pub2016
    FROM (VALUES (1, '1',  'Charged/Summoned', 18.6, 23.2),
                 (2, '3',  'Caution – adults', 3.8, 5.6),
                 (3, '2',  'Caution – youths', 0.3, 0.3),
                 (4, '8',  'Community resolution', 1.1, 1.4),
                 (5, '15', 'Evidential difficulties; victim supports police action (outcome 15)', 23.7, 24.1),
                 (6, '16', 'Evidential difficulties; victim does not support police action (outcome 16)', 43.0, 35.4))
         r(ord, code, label, pub2017, pub2016)
    CROSS JOIN o
    CROSS JOIN LATERAL outcome_table(o.outcomes, o.offences) t
    WHERE t.code = r.code
    GROUP BY r.ord, r.label, r.pub2017, r.pub2016
)
SELECT label AS "Outcome", p2017 || '%' AS "2017", p2016 || '%' AS "2016",
       :pp_phrase(p2016, p2017, 1) AS "Change (published precision)",
       pub2017 || '% / ' || pub2016 || '%' AS "Published 2017 / 2016"
FROM t6 ORDER BY ord;

-------------------------------------------------------------------------------
\echo
\echo 'Arrests per 100 domestic abuse-related crimes, England and Wales'
\echo 'Source: HMICFRS (2019), "Domestic abuse arrest rates" and Annex A: the 35 forces that provided'
\echo 'arrests and crimes for both years. Rate = ratio of sums, 95% interval (Byar).'
SELECT period AS "Period", to_char(numerator, 'FM999,999') AS "Arrests", to_char(denominator, 'FM999,999') AS "DA crimes",
       round(value, 2) AS "Per 100", round(value) AS "Rounded", p.published AS "Published",
       round(ci_lower, 2) || ' – ' || round(ci_upper, 2) AS "95% interval"
FROM dashboard d
JOIN (VALUES ('2016-06-30'::date, 52), ('2017-06-30', 45)) p(period_end, published) USING (period_end)
WHERE force_id = 'ew_arrest_panel' AND indicator_id = 'arrests_per_100'
ORDER BY period_end;
WITH a AS (
    SELECT measure_id, max(value) FILTER (WHERE period_end = '2016-06-30') AS y2016,
                       max(value) FILTER (WHERE period_end = '2017-06-30') AS y2017
    FROM force_return WHERE force_id = 'ew_arrest_panel' GROUP BY measure_id
)
SELECT 'Arrests' AS "Change, matched panel", :pct_phrase(y2016, y2017) AS "Recomputed", 'increased by 2 percent' AS "Published"
FROM a WHERE measure_id = 'da_arrests'
UNION ALL
SELECT 'DA crimes', :pct_phrase(y2016, y2017), '17 percent increase' FROM a WHERE measure_id = 'da_crimes'
UNION ALL
SELECT 'Arrest rate (rounded rates 52 -> 45)', :pp_phrase(52, 45), 'fallen from 52 to 45 per 100'
UNION ALL
SELECT 'Arrest rate, relative change (not points)',
       :pct_phrase_rate((SELECT per_100(n.y2016, d.y2016) FROM a n, a d WHERE n.measure_id = 'da_arrests' AND d.measure_id = 'da_crimes'),
                        (SELECT per_100(n.y2017, d.y2017) FROM a n, a d WHERE n.measure_id = 'da_arrests' AND d.measure_id = 'da_crimes')),
       '(not published)';
-- The panel, recomputed from the forces the report lists as unable to provide (NULL returns).
WITH unable AS (
    SELECT DISTINCT f.name FROM force_return r JOIN force f USING (force_id)
    WHERE f.in_national_total AND r.value IS NULL AND r.measure_id IN ('da_arrests', 'da_crimes')
      AND r.period_end IN ('2016-06-30', '2017-06-30')
)
SELECT (SELECT count(*) FROM force WHERE in_national_total) - count(*) AS "Forces in the panel",
       count(*) AS "Left out", string_agg(name, ', ' ORDER BY name) AS "Unable to provide arrests or crimes in 2016 or 2017"
FROM unable;

-------------------------------------------------------------------------------
\echo
\echo 'MARACs, England and Wales, 12 months to 31 March 2017'
\echo 'Source: HMICFRS (2019), "MARACs" (SafeLives data): 86,893 cases, 35 per 10,000 adult females,'
\echo '109,901 children. The adult female population is not published: back-computed from the 35.'
SELECT to_char(cases, 'FM999,999') AS "Cases discussed", to_char(adult_females, 'FM99,999,999') AS "Adult females",
       round(cases_per_10k) AS "Per 10,000", 35 AS "Published", safelives_expected AS "SafeLives expects",
       round(vs_expected, 1) AS "Difference", to_char(children, 'FM999,999') AS "Children",
       round(children_per_case, 2) AS "Children per case"
FROM marac WHERE force_id = 'england_wales';
\echo 'Cases "up 10%" on 2016: not recomputed (the report does not give the 2016 count).'

-------------------------------------------------------------------------------
\echo
\echo 'Domestic abuse in three forces, 12 months to 31 August 2013'
\echo 'Source: HMIC (2014) force reports, "Domestic abuse in <force>": Hampshire [001],'
\echo 'Metropolitan Police [002], West Mercia [004]. Published as rates; the arrest and outcome counts'
\echo 'are back-computed from them (data/demo/README.md), so these columns reproduce them by construction.'
WITH w AS (SELECT * FROM force_return_wide WHERE period_end = '2013-08-31'),
     x AS (SELECT force_id, max(value) FILTER (WHERE measure_id = 'da_cautions') AS cautions,
                  max(value) FILTER (WHERE measure_id = 'da_out_of_court_disposals') AS oocd
           FROM force_return WHERE period_end = '2013-08-31' GROUP BY force_id)
SELECT w.force_name AS "Force", to_char(w.da_crimes, 'FM999,999') AS "DA crimes",
       round(per_100(w.da_arrests, w.da_crimes)) || ' / ' || p.arrests AS "Arrests per 100 (published)",
       round(per_100(w.da_charges, w.da_crimes)) || '% / ' || p.charge || '%' AS "Charge",
       round(per_100(x.cautions, w.da_crimes)) || '% / ' || p.caution || '%' AS "Caution",
       coalesce(round(per_100(x.oocd, w.da_crimes)) || '%', 'n/a') || ' / ' || p.oocd AS "Out-of-court disposal"
FROM w JOIN x USING (force_id)
JOIN (VALUES ('hampshire', 90, 48, 11, '3%'), ('metropolitan', 83, 26, 19, 'less than 1%'),
             ('west_mercia', 45, 41, 13, '6%')) p(force_id, arrests, charge, caution, oocd) USING (force_id)
ORDER BY w.force_name;
\echo 'Share of each offence group that is domestic abuse-related: both counts published, so this'
\echo 'is a true recomputation (recomputed % / published %).'
WITH s AS (
    SELECT r.force_id, max(r.value) FILTER (WHERE r.measure_id = g.part) AS da,
           max(r.value) FILTER (WHERE r.measure_id = g.whole) AS total, g.ord, g.label
    FROM force_return r
    JOIN (VALUES (1, 'Assault with intent', 'da_assault_with_intent', 'assault_with_intent'),
                 (2, 'Assault with injury', 'da_assault_with_injury', 'assault_with_injury'),
                 (3, 'Harassment', 'da_harassment', 'harassment'),
                 (4, 'Sexual offences', 'da_sexual_offences', 'sexual_offences')) g(ord, label, part, whole)
      ON r.measure_id IN (g.part, g.whole)
    WHERE r.period_end = '2013-08-31'
    GROUP BY r.force_id, g.ord, g.label
)
SELECT s.label AS "Offence group",
       max(s.da || ' of ' || s.total || ': ' || round(per_100(s.da, s.total)) || '% / ' || p.pub || '%')
           FILTER (WHERE s.force_id = 'hampshire') AS "Hampshire",
       max(s.da || ' of ' || s.total || ': ' || round(per_100(s.da, s.total)) || '% / ' || p.pub || '%')
           FILTER (WHERE s.force_id = 'metropolitan') AS "Metropolitan Police",
       max(s.da || ' of ' || s.total || ': ' || round(per_100(s.da, s.total)) || '% / ' || p.pub || '%')
           FILTER (WHERE s.force_id = 'west_mercia') AS "West Mercia"
FROM s
JOIN (VALUES ('hampshire', 1, 18), ('hampshire', 2, 30), ('hampshire', 3, 49), ('hampshire', 4, 9),
             ('metropolitan', 1, 69), ('metropolitan', 2, 31), ('metropolitan', 3, 37), ('metropolitan', 4, 11),
             ('west_mercia', 1, 18), ('west_mercia', 2, 31), ('west_mercia', 3, 56), ('west_mercia', 4, 12)) p(force_id, ord, pub)
  USING (force_id, ord)
GROUP BY s.ord, s.label ORDER BY s.ord;

-------------------------------------------------------------------------------
\echo
\echo 'The same figures on the dashboard view (da.dashboard: one row per force x period x indicator)'
SELECT force_name AS "Unit", period AS "Period", indicator AS "Indicator", round(value, 1) AS "Value",
       round(ci_lower, 1) || ' – ' || round(ci_upper, 1) AS "95% interval",
       round(change_from_year_earlier, 1) AS "Change on a year earlier"
FROM dashboard WHERE value IS NOT NULL AND force_id IN ('england_wales', 'ew_arrest_panel') AND period_end >= '2017-01-01'
ORDER BY force_id, indicator_id;
\echo

-------------------------------------------------------------------------------
\echo 'Funnel position of each force on the dashboard: arrests per 100 DA crimes, 2013 profiles'
\echo 'The same flag and limits as the validator (da.validate_returns), widened for the variation'
\echo 'between forces; scripts/plot draws them (doc/funnel_arrests_per_100_2013-08-31.png).'
SELECT force_name AS "Force", numerator AS "Arrests", denominator AS "DA crimes", round(value, 1) AS "Per 100",
       flag AS "Funnel", round(lower_95, 1) || ' – ' || round(upper_95, 1) AS "95% limits",
       round(lower_998, 1) || ' – ' || round(upper_998, 1) AS "99.8% limits", round(funnel_centre, 1) AS "Centre"
FROM dashboard WHERE indicator_id = 'arrests_per_100' AND period_end = '2013-08-31' AND flag IS NOT NULL
ORDER BY value DESC;
SELECT force_id AS "Validator: force", rule AS "rule", message AS "message"
FROM validate_returns('2013-08-31') WHERE rule LIKE 'funnel%';
