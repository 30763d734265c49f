-- The per-force steps of validation (0.6): da.indicator_values_of and da.validate_builtin_force,
-- pure functions of their arguments (no table read), so that Citus can run them on the shards.
-- Their NULL and error cases, and a control: one force's findings equal what
-- da.validate_builtin reports for that force on the same rows.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;

-- Pure: no table among their dependencies, SQL-standard bodies (inlinable), not SECURITY
-- DEFINER, executable by PUBLIC like da.funnel_position.
SELECT p.proname, p.prosqlbody IS NOT NULL AS sql_standard_body, p.prosecdef, p.provolatile, p.proisstrict,
       has_function_privilege('public', p.oid, 'EXECUTE') AS public_may_run,
       (SELECT count(*) FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                          AND d.refclassid = 'pg_class'::regclass) AS tables_read
FROM pg_proc p
WHERE p.pronamespace = 'da'::regnamespace AND p.proname IN ('indicator_values_of', 'validate_builtin_force')
ORDER BY 1;

-- The indicators as values (da.indicator's shipped rows).
CREATE TEMP TABLE ind AS
SELECT array_agg(indicator_id ORDER BY indicator_id) AS id, array_agg(label ORDER BY indicator_id) AS label,
       array_agg(numerator_measure ORDER BY indicator_id) AS num_m, array_agg(numerator_outcome ORDER BY indicator_id) AS num_o,
       array_agg(denominator_measure ORDER BY indicator_id) AS den_m, array_agg(per ORDER BY indicator_id) AS per,
       array_agg(ci_method ORDER BY indicator_id) AS ci
FROM da.indicator;

-- No rows (NULL arrays, as array_agg of nothing): no values.
SELECT count(*) AS no_rows FROM ind, da.indicator_values_of('kent', NULL, NULL, NULL, NULL, NULL, NULL, NULL, ind.id, ind.num_m, ind.num_o, ind.den_m);
-- No indicators: no values.
SELECT count(*) AS no_indicators FROM da.indicator_values_of('kent', '{2016-07-01}', '{2017-06-30}', '{da_crimes}', '{1000}', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
-- A force's values: a numerator measure, outcome numerators (charges: outcome 1, outcome 16),
-- a missing numerator (NULL value kept), a denominator alone.
SELECT v.* FROM ind, da.indicator_values_of('kent',
    '{2016-07-01,2016-07-01,2016-07-01}', '{2017-06-30,2017-06-30,2017-06-30}',
    '{da_crimes,da_arrests,dvpo_granted}', '{1000,500,NULL}',
    '{2016-07-01}', '{2017-06-30}', ARRAY['{"1": 120, "16": 300}']::da.outcome_counts[],
    ind.id, ind.num_m, ind.num_o, ind.den_m) v
ORDER BY v.indicator_id;

-- da.validate_builtin_force: rules, measures and baselines as values.
CREATE TEMP TABLE ref AS
SELECT r.rule, r.severity, r.threshold, m.id AS m_id, m.descr AS m_descr, m.parent AS m_parent
FROM (SELECT array_agg(rule ORDER BY rule) AS rule, array_agg(severity ORDER BY rule) AS severity,
             array_agg(threshold ORDER BY rule) AS threshold
      FROM da.validation_rule WHERE enabled AND builtin) r,
     (SELECT array_agg(measure_id) AS id, array_agg(description) AS descr, array_agg(parent_measure) AS parent
      FROM da.measure) m;
-- Kent's rows: arrests up from 500 to 900 (count_jump, rate_jump), sexual offences above
-- their total (part_exceeds_total), DVPOs granted missing (missing_vs_year_earlier).
CREATE TEMP TABLE kent AS
SELECT array_agg(s ORDER BY e, m) AS s, array_agg(e ORDER BY e, m) AS e, array_agg(m ORDER BY e, m) AS m,
       array_agg(v ORDER BY e, m) AS v
FROM (VALUES ('2015-07-01'::date, '2016-06-30'::date, 'da_crimes', 1000::bigint), ('2015-07-01', '2016-06-30', 'da_arrests', 500),
             ('2015-07-01', '2016-06-30', 'dvpo_granted', 8),
             ('2016-07-01', '2017-06-30', 'da_crimes', 1000), ('2016-07-01', '2017-06-30', 'da_arrests', 900),
             ('2016-07-01', '2017-06-30', 'da_sexual_offences', 1200)) x(s, e, m, v);
SELECT f.rule, f.severity, f.force_id, f.measure_id, f.observed, f.expected_or_limit, f.message
FROM ref, ind, kent,
     da.validate_builtin_force('2017-06-30', 'kent', 'Kent', 'territorial', kent.s, kent.e, kent.m, kent.v, NULL, NULL, NULL,
                               ref.rule, ref.severity, ref.threshold, ref.m_id, ref.m_descr, ref.m_parent,
                               ind.id, ind.label, ind.num_m, ind.num_o, ind.den_m, ind.per, ind.ci,
                               NULL, NULL, NULL, NULL, NULL) f
ORDER BY 1, 4;
-- No rule enabled (NULL rules): no finding. No rows: no finding. No force name: the id.
SELECT count(*) AS no_rules
FROM ref, ind, kent,
     da.validate_builtin_force('2017-06-30', 'kent', 'Kent', 'territorial', kent.s, kent.e, kent.m, kent.v, NULL, NULL, NULL,
                               NULL, NULL, NULL, ref.m_id, ref.m_descr, ref.m_parent,
                               ind.id, ind.label, ind.num_m, ind.num_o, ind.den_m, ind.per, ind.ci, NULL, NULL, NULL, NULL, NULL);
SELECT count(*) AS no_rows
FROM ref, ind,
     da.validate_builtin_force('2017-06-30', 'kent', 'Kent', 'territorial', NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                               ref.rule, ref.severity, ref.threshold, ref.m_id, ref.m_descr, ref.m_parent,
                               ind.id, ind.label, ind.num_m, ind.num_o, ind.den_m, ind.per, ind.ci, NULL, NULL, NULL, NULL, NULL);
SELECT DISTINCT split_part(f.message, ',', 1) AS named_as
FROM ref, ind, kent,
     da.validate_builtin_force('2017-06-30', 'kent', NULL, NULL, kent.s, kent.e, kent.m, kent.v, NULL, NULL, NULL,
                               ref.rule, ref.severity, ref.threshold, ref.m_id, ref.m_descr, ref.m_parent,
                               ind.id, ind.label, ind.num_m, ind.num_o, ind.den_m, ind.per, ind.ci, NULL, NULL, NULL, NULL, NULL) f;
-- The funnel: a baseline of 50 arrests per 100 crimes places Kent's 90 above its 99.8% limit;
-- not for a force that is not territorial (BTP), and no placing without a baseline (above).
SELECT f.force_id, f.rule, f.observed, f.expected_or_limit, f.message
FROM ref, ind, kent,
     (VALUES ('kent', 'Kent', 'territorial'), ('btp', 'British Transport Police', 'special')) k(id, name, kind),
     da.validate_builtin_force('2017-06-30', k.id, k.name, k.kind, kent.s, kent.e, kent.m, kent.v, NULL, NULL, NULL,
                               ref.rule, ref.severity, ref.threshold, ref.m_id, ref.m_descr, ref.m_parent,
                               ind.id, ind.label, ind.num_m, ind.num_o, ind.den_m, ind.per, ind.ci,
                               '{arrests_per_100}', '{2016-07-01}', '{21000}', '{42000}', '{0}') f
WHERE f.rule LIKE 'funnel%'
ORDER BY 1;
-- A baseline da.funnel_position refuses (a centre that is not a number) is an error, as in
-- da.funnel_positions.
\set VERBOSITY terse
SELECT count(*)
FROM ref, ind, kent,
     da.validate_builtin_force('2017-06-30', 'kent', 'Kent', 'territorial', kent.s, kent.e, kent.m, kent.v, NULL, NULL, NULL,
                               ref.rule, ref.severity, ref.threshold, ref.m_id, ref.m_descr, ref.m_parent,
                               ind.id, ind.label, ind.num_m, ind.num_o, ind.den_m, ind.per, ind.ci,
                               '{arrests_per_100}', '{2016-07-01}', '{NaN}', '{42000}', '{0}') f;
\set VERBOSITY default

-- Control: loaded through the ingest, the same rows give da.validate_builtin the same findings
-- for Kent (its other rules need other forces: none here).
BEGIN;
INSERT INTO da.return_staging (force, period_start, period_end, measure, value, source)
SELECT 'kent', to_char(x.s, 'YYYY-MM-DD'), to_char(x.e, 'YYYY-MM-DD'), x.m, x.v::text, 'per-force test'
FROM unnest((SELECT s FROM kent), (SELECT e FROM kent), (SELECT m FROM kent), (SELECT v FROM kent)) x(s, e, m, v);
SELECT inserted, rejected FROM da.ingest_returns('per-force test');
SELECT DISTINCT reason FROM da.rejected_return WHERE source = 'per-force test';
SELECT (SELECT array_agg(b ORDER BY b) FROM da.validate_builtin('2017-06-30') b) =
       (SELECT array_agg(f ORDER BY f)
        FROM ref, ind, kent,
             da.validate_builtin_force('2017-06-30', 'kent', 'Kent', 'territorial', kent.s, kent.e, kent.m, kent.v, NULL, NULL, NULL,
                                       ref.rule, ref.severity, ref.threshold, ref.m_id, ref.m_descr, ref.m_parent,
                                       ind.id, ind.label, ind.num_m, ind.num_o, ind.den_m, ind.per, ind.ci,
                                       NULL, NULL, NULL, NULL, NULL) f) AS same_findings,
       (SELECT count(*) FROM da.validate_builtin('2017-06-30')) AS findings;
ROLLBACK;
