-- Significance of a change between two periods: rate ratio (exact conditional binomial test,
-- Clopper-Pearson limits) and difference of proportions (Newcombe's hybrid score interval).
-- Expected values from base R 4 (transcribed): poisson.test(c(x_new, x_old), c(n_new, n_old))
-- and Newcombe's method 10 computed from Wilson limits by formula; compared to 1e-9 relative.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
RESET client_min_messages;
SET search_path = public, da;

CREATE FUNCTION pg_temp.close(got numeric, want float8, tol float8 DEFAULT 1e-9) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    RETURN CASE WHEN want IS NULL THEN got IS NULL
                WHEN want = 0 THEN got = 0
                ELSE abs(got::float8 / want - 1) < tol END;

CREATE TEMP TABLE r_rate (xo bigint, no bigint, xn bigint, nn bigint, est float8, lo float8, up float8, p float8);
INSERT INTO r_rate VALUES
    (10, 1000, 25, 1200, 2.08333333333333, 0.966349144660199, 4.8605943336131, 0.0603989267473991),
    (52, 100000, 45, 100000, 0.865384615384615, 0.567466258354588, 1.31518841453094, 0.542610158045875),
    (0, 100, 5, 100, NULL, 0.91635585731546, NULL, 0.0625),
    (7, 50, 0, 60, 0, 0, 0.578178316747044, 0.0040090477986774),
    (3, 10, 3, 10, 1, 0.13393758817773, 7.46616400672407, 1),
    (130, 20000, 160, 20000, 1.23076923076923, 0.970375003912695, 1.56343375528897, 0.0884053883152487),
    (1, 1, 9, 1, 9, 1.24710962532766, 394.479113033787, 0.021484375),
    (1300, 200000, 1400, 200000, 1.07692307692308, 0.997902407820074, 1.16226403262924, 0.0567267188305333),
    (2, 1, 1, 3, 0.166666666666667, 0.00282499344970384, 3.20150996157429, 0.15625),
    (40, 5000, 20, 5000, 0.5, 0.276926298132465, 0.87572452700229, 0.0134892937311919),
    (201659, 388020, 205757, 455395, 0.869366424109057, 0.864039289550825, 0.874726484592275, 1.97626258336499e-323);
-- R prints 15 significant digits: the estimate is compared at 1e-13, limits and p at 1e-9.
SELECT xo, no, xn, nn, round(t.rate_ratio, 4) AS rr, round(t.lower, 4) AS lower, round(t.upper, 4) AS upper,
       round(t.p_value::numeric, 6) AS p, t.method, t.verdict,
       pg_temp.close(t.rate_ratio, r.est, 1e-13) AS rr_ok, pg_temp.close(t.lower, r.lo) AS lower_ok, pg_temp.close(t.upper, r.up) AS upper_ok,
       CASE WHEN r.p < 1e-300 THEN t.p_value < 1e-300 ELSE pg_temp.close(t.p_value::numeric, r.p) END AS p_ok
FROM r_rate r, LATERAL rate_change_test(xo, no, xn, nn) t
ORDER BY xo, xn;
-- 99% level: R poisson.test(c(25, 10), c(1200, 1000), conf.level = 0.99).
SELECT pg_temp.close(lower, 0.783329034626349) AS lower_ok, pg_temp.close(upper, 6.38912992626722) AS upper_ok,
       pg_temp.close(p_value::numeric, 0.0603989267473991) AS p_ok, verdict
FROM rate_change_test(10, 1000, 25, 1200, 0.99);
-- The verdict follows the caller's level: p = 0.0604 is significant at 90%, not at 95%.
SELECT rate_change_verdict(10, 1000, 25, 1200, 0.90) AS at_90, rate_change_verdict(10, 1000, 25, 1200) AS at_95,
       rate_change_verdict(40, 5000, 20, 5000) AS halved, pg_temp.close(rate_change_p_value(10, 1000, 25, 1200)::numeric, 0.0603989267473991) AS p_ok;
-- Large counts: above 10^7 events in all the normal approximation on the log rate ratio;
-- R: lr <- log(60.1/60); se <- sqrt(1/60.1e6 + 1/60e6); exp(lr + c(-1, 1) * qnorm(.975) * se); 2 * pnorm(-lr/se)
SELECT round(rate_ratio, 6) AS rr, round(lower, 6) AS lower, round(upper, 6) AS upper, method, verdict,
       pg_temp.close(lower, 1.00130844464044) AS lower_ok, pg_temp.close(upper, 1.00202501684823) AS upper_ok,
       pg_temp.close(p_value::numeric, 7.17978871030834e-20) AS p_ok
FROM rate_change_test(60000000, 1000000000, 60100000, 1000000000);
-- 10^7 events in all is still exact; R poisson.test(c(5e6, 5e6), c(1e9, 1e9)).
SELECT round(rate_ratio, 6) AS rr, round(lower, 6) AS lower, round(upper, 6) AS upper, round(p_value::numeric, 6) AS p, method, verdict,
       pg_temp.close(lower, 0.998760978148882) AS lower_ok, pg_temp.close(upper, 1.00124055893074) AS upper_ok
FROM rate_change_test(5000000, 1000000000, 5000000, 1000000000);
-- Few events in one period stay exact, whatever the total (the normal approximation needs many in
-- both). R: poisson.test(c(12e6, 3), c(100, 1)), poisson.test(c(0, 10000001), c(100, 100)); where
-- R's q / (1 - q) cancels (q near 1) the limit is R's qbeta by formula without cancellation:
-- qc <- qbeta(0.025, 3, 12000001); (1 - qc) / qc / 100;  l <- log(0.025) / 10000001; exp(l) / -expm1(l).
SELECT xo, xn, method, verdict, p_value < 1e-300 AS p_tiny,
       pg_temp.close(rate_ratio, want_rr, 1e-13) AS rr_ok, pg_temp.close(lower, want_lo) AS lower_ok,
       pg_temp.close(upper, want_up) AS upper_ok
FROM (VALUES (3::bigint, 1::bigint, 12000000::bigint, 100::bigint, 40000::float8, 13687.262870809422::float8, 193963.83393678279::float8),
             (0, 100, 10000001, 100, NULL, 2710850.0779032297, NULL),
             (10000001, 100, 0, 100, 0, 0, 3.6888797656175525e-07)) v(xo, no, xn, nn, want_rr, want_lo, want_up),
     LATERAL rate_change_test(xo, no, xn, nn) t
ORDER BY xo;
-- Counts at the top of bigint: two huge periods are compared by the normal approximation
-- (ratio 1, p = 1); a huge and a tiny one would need a binomial size beyond bigint.
SELECT rate_ratio, p_value, method, verdict FROM rate_change_test(9223372036854775807, 1, 9223372036854775807, 1);
SELECT rate_change_test(9223372036854775807, 1, 1, 1);
-- NULLs, no base, no events.
SELECT rate_change_test(NULL, 1, 1, 1) IS NULL AS a, rate_change_test(1, 0, 1, 1) IS NULL AS b,
       rate_change_test(1, 1, 1, 0) IS NULL AS c, rate_change_test(1, 1, 1, 1, NULL) IS NULL AS d,
       rate_change_p_value(1, 1, NULL, 1) IS NULL AS e, rate_change_verdict(1, 0, 1, 1) IS NULL AS f;
-- No events in either period: no test (R would give p = 1 and an estimate NaN).
SELECT * FROM rate_change_test(0, 10, 0, 20);
-- Errors.
SELECT rate_change_test(-1, 10, 1, 10);
SELECT rate_change_test(1, -10, 1, 10);
SELECT rate_change_test(1, 10, -1, 10);
SELECT rate_change_test(1, 10, 1, -10);
SELECT rate_change_test(1, 10, 1, 10, 95);
SELECT rate_change_test(1, 10, 1, 10, 0);

-- Proportions. Newcombe (1998) Table II, example (a): 56/70 vs 48/80 gives a difference of
-- 0.2000 with 95% limits 0.0524 to 0.3339 (method 10); here old = 48/80, new = 56/70.
-- (Not 0.1833 (0.0524, 0.3061) as the issue text has it: R by formula and the paper agree on 0.2000.)
CREATE TEMP TABLE r_prop (xo bigint, no bigint, xn bigint, nn bigint, d float8, lo float8, up float8);
INSERT INTO r_prop VALUES
    (48, 80, 56, 70, 20, 5.24314724023649, 33.3872654036906),
    (56, 70, 48, 80, -20, -33.3872654036906, -5.24314724023649),
    (0, 29, 5, 56, 8.92857142857143, -3.81371479035369, 19.2560013855112),
    (33, 100, 32, 100, -1, -13.7823888700023, 11.8275912162201),
    (4401, 13515, 5519, 16591, 0.701205225330104, -0.366613368363051, 1.7668924438786),
    (0, 10, 0, 10, 0, -27.7532799862889, 27.7532799862889),
    (10, 10, 9, 10, -10, -40.4150026795239, 18.9428352749589);
SELECT xo, no, xn, nn, round(t.pp_change, 4) AS pp,
       round(t.lower, 4) AS lower, round(t.upper, 4) AS upper, t.method, t.verdict,
       pg_temp.close(t.pp_change, r.d, 1e-13) AS pp_ok, pg_temp.close(t.lower, r.lo) AS lower_ok, pg_temp.close(t.upper, r.up) AS upper_ok
FROM r_prop r, LATERAL proportion_change_test(xo, no, xn, nn) t
ORDER BY xo, xn;
-- 99%: R gives 0.53708692500784 and 37.1808431775774.
SELECT pg_temp.close(lower, 0.53708692500784) AS lower_ok, pg_temp.close(upper, 37.1808431775774) AS upper_ok, verdict
FROM proportion_change_test(48, 80, 56, 70, 0.99);
SELECT proportion_change_verdict(48, 80, 56, 70) AS up, proportion_change_verdict(56, 70, 48, 80) AS down,
       proportion_change_verdict(33, 100, 32, 100) AS same;
SELECT proportion_change_test(NULL, 1, 1, 1) IS NULL AS a, proportion_change_test(0, 0, 1, 1) IS NULL AS b,
       proportion_change_verdict(1, 1, 0, 0) IS NULL AS c;
SELECT proportion_change_test(-1, 10, 1, 10);
SELECT proportion_change_test(11, 10, 1, 10);
SELECT proportion_change_test(1, 10, 11, 10);
SELECT proportion_change_test(1, 10, 1, 10, 1);

DROP TABLE r_rate, r_prop;
