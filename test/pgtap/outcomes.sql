-- Behavioural properties of da.outcome_counts, its aggregates and accessors, on random data;
-- and the SQLSTATE of every class of error.
BEGIN;
SET search_path = public, da;
SELECT plan(36);

-- Random record-level data: 30 groups, codes from the reference table plus NULLs.
CREATE TEMP TABLE r AS
SELECT (random() * 29)::int AS g,
       CASE WHEN random() < 0.08 THEN NULL
            ELSE (SELECT code FROM outcome_code ORDER BY random() + i * 0 LIMIT 1) END AS code,
       i
FROM generate_series(1, 3000) i;
CREATE TEMP TABLE rg AS SELECT g, outcome_agg(code) AS c FROM r GROUP BY g;

-- Text, jsonb and binary-equivalent round trips.
SELECT ok((SELECT bool_and(c::text::outcome_counts = c) FROM rg), 'text round trip');
SELECT ok((SELECT bool_and(c::jsonb::outcome_counts = c) FROM rg), 'jsonb round trip');
SELECT ok((SELECT bool_and((SELECT count(*) FROM jsonb_object_keys(c::jsonb)) =
                           (SELECT count(*) FROM outcome_table(c) t WHERE t.n > 0)) FROM rg),
          'text form lists exactly the non-zero codes');

-- Counting.
SELECT is((SELECT outcome_total(outcome_agg(code)) + outcome_unassigned(outcome_agg(code)) FROM r),
          (SELECT count(*) FROM r), 'outcomes assigned + not yet assigned = rows');
SELECT is((SELECT outcome_unassigned(outcome_agg(code)) FROM r),
          (SELECT count(*) FROM r WHERE code IS NULL OR code = '0'), 'NULL and 0 are not yet assigned');
SELECT ok((SELECT bool_and(outcome_n(c, oc.code) = (SELECT count(*) FROM r WHERE r.g = rg.g AND r.code = oc.code))
           FROM rg, outcome_code oc WHERE oc.code <> '0'), 'outcome_n = count per code, every code');
SELECT ok((SELECT bool_and(outcome_total(c) = (SELECT sum(n) FROM outcome_table(c) t WHERE t.code <> '0')) FROM rg),
          'total = sum of the outcome rows of outcome_table');
SELECT ok((SELECT bool_and((SELECT sum(n) FROM outcome_group_table(c)) = outcome_total(c) + outcome_unassigned(c)) FROM rg),
          'groups partition all codes');
SELECT ok((SELECT bool_and(outcome_group_n(c, og.group_name) =
                           (SELECT sum(outcome_n(c, oc.code)) FROM outcome_code oc WHERE oc.group_name = og.group_name))
           FROM rg, outcome_group og), 'group count = sum of its codes (table membership)');
SELECT ok((SELECT bool_and(outcome_n(c, (SELECT array_agg(code) FROM outcome_code WHERE code <> '0')) = outcome_total(c)) FROM rg),
          'n over the set of all outcome codes = total');

-- Shares: consistent with the rate functions, and summing to 100.
SELECT ok((SELECT bool_and(outcome_pct_of_outcomes(c, oc.code) = per_100(outcome_n(c, oc.code), outcome_total(c)))
           FROM rg, outcome_code oc WHERE oc.code <> '0'), 'pct_of_outcomes = per_100(n, total)');
SELECT ok((SELECT bool_and(outcome_per_100_offences(c, oc.code, 777) = per_100(outcome_n(c, oc.code), 777))
           FROM rg, outcome_code oc), 'per_100_offences = per_100(n, offences)');
SELECT ok((SELECT bool_and(abs((SELECT sum(pct_of_outcomes) FROM outcome_table(c)) - 100) < 1e-12) FROM rg),
          'shares of outcomes sum to 100');
SELECT ok((SELECT bool_and(abs((SELECT sum(pct_of_outcomes) FROM outcome_group_table(c)) - 100) < 1e-12) FROM rg),
          'group shares of outcomes sum to 100');
SELECT ok((SELECT bool_and(outcome_group_pct_of_outcomes(c, 'charged_summonsed') = outcome_pct_of_outcomes(c, ARRAY['1', '1A'])) FROM rg),
          'group share = share of its code set');

-- Merging: commutative, associative, the aggregate is a fold of +, order-independent.
SELECT ok((SELECT bool_and(a.c OPERATOR(da.+) b.c = b.c OPERATOR(da.+) a.c) FROM rg a, rg b), '+ is commutative');
SELECT ok((SELECT bool_and((a.c OPERATOR(da.+) b.c) OPERATOR(da.+) x.c = a.c OPERATOR(da.+) (b.c OPERATOR(da.+) x.c))
           FROM rg a, rg b, rg x WHERE a.g < 5 AND b.g < 5 AND x.g < 5), '+ is associative');
SELECT is((SELECT outcome_merge_agg(c) FROM rg), (SELECT outcome_agg(code) FROM r), 'merge of group states = whole');
SELECT is((SELECT outcome_agg(code ORDER BY i DESC) FROM r), (SELECT outcome_agg(code ORDER BY code, i) FROM r),
          'order-independent');
SELECT is((SELECT outcome_combine((SELECT outcome_agg(code) FROM r WHERE i % 2 = 0), (SELECT outcome_agg(code) FROM r WHERE i % 2 = 1))),
          (SELECT outcome_agg(code) FROM r), 'combine of partial states = whole');
SELECT is((SELECT outcome_agg(code, n) FROM (SELECT code, count(*) AS n FROM r GROUP BY code) p),
          (SELECT outcome_agg(code) FROM r), 'pre-counted = record level');
SELECT is((SELECT outcome_uncombine(outcome_merge_agg(c), (SELECT c FROM rg WHERE g = 3)) FROM rg),
          (SELECT outcome_merge_agg(c) FROM rg WHERE g <> 3), 'uncombine is the exact inverse of merge');

-- Windows on random monthly rollups with gaps: rolling 12 = recomputation.
CREATE TEMP TABLE m AS
SELECT g AS month, CASE WHEN random() < 0.1 THEN NULL ELSE c END AS c FROM rg;
SELECT is((SELECT count(*) FROM (SELECT month, outcome_merge_agg(c) OVER (ORDER BY month ROWS 11 PRECEDING) AS w FROM m) x
           WHERE w IS DISTINCT FROM (SELECT outcome_merge_agg(c) FROM m i WHERE i.month BETWEEN x.month - 11 AND x.month)),
          0::bigint, 'rolling merge = recomputation');
CREATE TEMP TABLE p AS
SELECT row_number() OVER () AS k, code, CASE WHEN random() < 0.3 THEN NULL ELSE (random() * 50)::bigint END AS n
FROM r LIMIT 400;
SELECT is((SELECT count(*) FROM (SELECT k, outcome_agg(code, n) OVER (ORDER BY k ROWS 3 PRECEDING) AS w FROM p) x
           WHERE w IS DISTINCT FROM (SELECT outcome_agg(code, n) FROM p i WHERE i.k BETWEEN x.k - 3 AND x.k)),
          0::bigint, 'rolling pre-counted with missing counts = recomputation');

-- Errors and their SQLSTATEs.
SELECT throws_ok($$SELECT '{"19": 1}'::outcome_counts$$, '22P02', NULL, 'text input: unknown code is 22P02');
SELECT throws_ok($$SELECT '{"1": -1}'::outcome_counts$$, '22P02', NULL, 'text input: negative count is 22P02');
SELECT throws_ok($$SELECT '{"1": 1, "1": 1}'::outcome_counts$$, '22P02', NULL, 'text input: duplicate code is 22P02');
SELECT throws_ok($$SELECT '{"1": 1.5}'::outcome_counts$$, '22P02', NULL, 'text input: fraction is 22P02');
SELECT throws_ok($$SELECT '{"1": 99999999999999999999}'::outcome_counts$$, '22003', NULL, 'text input: out of range is 22003');
SELECT throws_ok($$SELECT outcome_agg(x) FROM (VALUES ('19')) v(x)$$, '22023', 'unknown outcome code "19"',
                 'aggregate: unknown text code is 22023 and names it');
SELECT throws_ok($$SELECT outcome_agg(x) FROM (VALUES (19)) v(x)$$, '22023', 'unknown outcome code 19',
                 'aggregate: unknown integer code is 22023 and names it');
SELECT throws_ok($$SELECT outcome_agg('1', -1::bigint)$$, '22023', NULL, 'aggregate: negative count is 22023');
SELECT throws_ok($$SELECT outcome_agg('1', x) FROM (VALUES (9223372036854775807), (1)) v(x)$$, '22003', NULL,
                 'aggregate: overflow is 22003');
SELECT throws_ok($$SELECT outcome_pct_of_outcomes('{}', '0')$$, '22023', NULL, 'no share of outcomes for not yet assigned');
SELECT throws_ok($$SELECT outcome_group_n('{}', 'nope')$$, '22023', 'unknown outcome group "nope"', 'unknown group is 22023');
SELECT throws_ok($$SELECT outcome_per_100_offences('{}', '1', -1)$$, '22023', NULL, 'negative offences is 22023');

SELECT * FROM finish();
ROLLBACK;
