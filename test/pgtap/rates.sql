-- Behavioural properties of the rate functions and aggregates.
BEGIN;
SET search_path = public, da;
SELECT plan(14);

-- An aggregate over one row equals the scalar.
SELECT is(per_100_agg(45::bigint, 100::bigint), per_100(45, 100), 'per_100_agg over one row = per_100');
SELECT is(per_10k_agg(86893, 24800000), per_10k(86893, 24800000), 'per_10k_agg over one row = per_10k');
SELECT is(per_n_agg(7::bigint, 30::bigint, 1000), per_n(7, 30, 1000), 'per_n_agg over one row = per_n');
SELECT is(wilson_ci_agg(65, 100), wilson_ci(65, 100), 'wilson_ci_agg over one row = wilson_ci');
SELECT is(rate_ci_agg(65, 100, 100), rate_ci(65, 100, 100), 'rate_ci_agg over one row = rate_ci');

-- Ratio of sums: the aggregate equals the rate of the sums, for random data.
CREATE TEMP TABLE r AS
SELECT (random() * 500)::int AS num, (random() * 1000)::int + 1 AS den FROM generate_series(1, 2000);
SELECT is((SELECT per_100_agg(num, den) FROM r),
          (SELECT per_100(sum(num)::bigint, sum(den)::bigint) FROM r), 'aggregate = rate of the sums');
-- Pairwise complete: rows with a NULL on either side make no difference at all.
CREATE TEMP TABLE r2 AS SELECT * FROM r UNION ALL SELECT NULL, 100 UNION ALL SELECT 100, NULL;
SELECT is((SELECT per_100_agg(num, den) FROM r2), (SELECT per_100_agg(num, den) FROM r),
          'rows missing one count take no part');
-- Order does not matter.
SELECT is((SELECT per_100_agg(num, den ORDER BY num DESC) FROM r),
          (SELECT per_100_agg(num, den ORDER BY den) FROM r), 'order-independent');
-- Splitting and combining (what parallel workers do) equals the whole.
SELECT is((SELECT rate_final(rate_combine(a, b)) FROM
             (SELECT (SELECT rate_accum(rate_accum('(0,0,0,100,0)', 1, 10), 2, 10)) a,
                     (SELECT rate_accum('(0,0,0,100,0)', 3, 30)) b) v),
          per_100(6, 50), 'combine of partial states = whole');
-- Window = recomputation, on random monthly data with gaps.
CREATE TEMP TABLE m AS
SELECT g AS month, CASE WHEN random() < 0.1 THEN NULL ELSE (random() * 50)::int END AS num,
       (random() * 100)::int + 1 AS den FROM generate_series(1, 240) g;
SELECT is((SELECT count(*) FROM (
             SELECT month, per_100_agg(num, den) OVER (ORDER BY month ROWS 11 PRECEDING) AS w FROM m) x
           WHERE w IS DISTINCT FROM (SELECT per_100_agg(num, den) FROM m i
                                     WHERE i.month BETWEEN x.month - 11 AND x.month)),
          0::bigint, 'rolling window = recomputation at every month');
-- Intervals contain the point estimate and widen with the level.
SELECT ok((SELECT bool_and((wilson_ci(x, 100)).lower <= x / 100.0 AND x / 100.0 <= (wilson_ci(x, 100)).upper)
           FROM generate_series(0, 100) x), 'Wilson interval contains the proportion');
SELECT ok((SELECT bool_and((rate_ci(x, 1000, 100)).lower <= per_100(x, 1000)
                       AND per_100(x, 1000) <= (rate_ci(x, 1000, 100)).upper)
           FROM generate_series(1, 2000, 7) x), 'Poisson interval contains the rate');
SELECT ok((SELECT bool_and((rate_ci(x, 1000, 100, 0.998)).lower <= (rate_ci(x, 1000, 100, 0.95)).lower
                       AND (rate_ci(x, 1000, 100, 0.998)).upper >= (rate_ci(x, 1000, 100, 0.95)).upper)
           FROM generate_series(0, 300) x), '99.8% interval contains the 95% one');
-- Byar and exact agree closely at the switch-over (x = 10).
SELECT ok(abs(rate_ci_upper(10, 1, 1, 0.95, 'byar') - rate_ci_upper(10, 1, 1, 0.95, 'exact')) < 0.01,
          'Byar and exact agree at 10 events');

SELECT * FROM finish();
ROLLBACK;
