-- da_stats demo: published HMICFRS figures in, the reports' figures out.
CREATE EXTENSION da_stats;
SET search_path = da, public;

\echo
\echo 'Arrests per 100 domestic-abuse crimes, England and Wales, 35 forces that provided data in both years'
\echo 'Source: HMICFRS, The police response to domestic abuse: an update report (2019), Annex A / arrests section'
SELECT period, arrests, da_crimes,
       round(per_100(arrests, da_crimes)) AS "per 100 (published)",
       round(per_100(arrests, da_crimes), 2) AS "per 100",
       round(rate_ci_lower(arrests, da_crimes, 100), 2) AS "95% lower",
       round(rate_ci_upper(arrests, da_crimes, 100), 2) AS "95% upper"
FROM (VALUES ('12 months to 30 June 2016', 201659::bigint, 388020::bigint),
             ('12 months to 30 June 2017', 205757, 455395)) AS t(period, arrests, da_crimes);
