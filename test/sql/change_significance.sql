-- Significance of a change between two periods: rate ratio (exact conditional binomial test,
-- Clopper-Pearson limits) and difference of proportions (Newcombe's hybrid score interval).
-- Expected values from base R 4 (transcribed): poisson.test(c(x_new, x_old), c(n_new, n_old))
-- and Newcombe's method 10 computed from Wilson limits by formula; compared to 1e-9 relative.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
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
-- Large counts: exact at every size (there is no normal approximation): 60.1 vs 60 million
-- events, R poisson.test(c(60.1e6, 60e6), c(1e9, 1e9)) (p by binom.test's rule, see below).
SELECT round(rate_ratio, 6) AS rr, round(lower, 6) AS lower, round(upper, 6) AS upper, method, verdict,
       pg_temp.close(lower, 1.0013084279787923) AS lower_ok, pg_temp.close(upper, 1.0020250335481251) AS upper_ok,
       pg_temp.close(p_value::numeric, 7.1857350756999614e-20) AS p_ok
FROM rate_change_test(60000000, 1000000000, 60100000, 1000000000);
-- R poisson.test(c(5e6, 5e6), c(1e9, 1e9)).
SELECT round(rate_ratio, 6) AS rr, round(lower, 6) AS lower, round(upper, 6) AS upper, round(p_value::numeric, 6) AS p, method, verdict,
       pg_temp.close(lower, 0.998760978148882) AS lower_ok, pg_temp.close(upper, 1.00124055893074) AS upper_ok
FROM rate_change_test(5000000, 1000000000, 5000000, 1000000000);
-- Few events in one period, many in the other. R: poisson.test(c(12e6, 3), c(100, 1)),
-- poisson.test(c(0, 10000001), c(100, 100)); where R's q / (1 - q) cancels (q near 1) the limit
-- is R's qbeta by formula without cancellation:
-- qc <- qbeta(0.025, 3, 12000001); (1 - qc) / qc / 100;  l <- log(0.025) / 10000001; exp(l) / -expm1(l).
SELECT xo, xn, method, verdict, p_value < 1e-300 AS p_tiny,
       pg_temp.close(rate_ratio, want_rr, 1e-13) AS rr_ok, pg_temp.close(lower, want_lo) AS lower_ok,
       pg_temp.close(upper, want_up) AS upper_ok
FROM (VALUES (3::bigint, 1::bigint, 12000000::bigint, 100::bigint, 40000::float8, 13687.262870809422::float8, 193963.83393678279::float8),
             (0, 100, 10000001, 100, NULL, 2710850.0779032297, NULL),
             (10000001, 100, 0, 100, 0, 0, 3.6888797656175525e-07)) v(xo, no, xn, nn, want_rr, want_lo, want_up),
     LATERAL rate_change_test(xo, no, xn, nn) t
ORDER BY xo;

-- The exact test against R at every size: 47 cases from 1 to 10^9 events (R 4.2, set.seed(13):
-- totals log-uniform, denominators 1 to 10^9, random changes; within half a standard deviation of
-- "no change"; a few events off it at 10^9; no events in one period, equal rates, huge ratios).
-- Reference: poisson.test(c(x_new, x_old), c(n_new, n_old), conf.level = level), i.e. binom.test;
-- above 2e7 events its p-value is binom.test's formula with the count of far-side outcomes of
-- density <= d (1 + 1e-7) found by bisection on R's dbinom instead of enumerating 10^9 of them
-- (identical to binom.test's own result on every case up to 2e7, and on a 10^9 and a 4.7e7 case counted
-- in chunks); each limit from the orientation where R's pp / (1 - pp) has pp <= 1/2.
-- Compared at 1e-9 relative; p-values R gives below 1e-300 (underflow) must be below 1e-300.
CREATE TEMP TABLE r_exact (id serial, xo bigint, no bigint, xn bigint, nn bigint, level float8, lo float8, up float8, p float8, kind text);
INSERT INTO r_exact (xo, no, xn, nn, level, lo, up, p, kind) VALUES
    (1529549, 164, 941618, 132, 0.998, 0.7617679470968125, 0.76796132304984011, 4.9406564584124654e-323, 'random'),
    (136, 2, 72517023, 891445, 0.9, 1.0375715732410293, 1.385786571534722, 0.037582630332330155, 'random'),
    (506, 210433, 1141, 437060, 0.9, 0.99330263845548916, 1.1874814502568578, 0.12709151892557113, 'random'),
    (6, 380115, 0, 2, 0.9, 0, 123071.53882990783, 0.99999999999999989, 'random'),
    (1571, 185510853, 2864, 343997353, 0.9, 0.93326849912633991, 1.0358328378352053, 0.59260582535509165, 'random'),
    (6, 270356, 0, 117, 0.998, 0, 4996.450761474206, 1, 'random'),
    (7, 917, 14, 1460, 0.99, 0.36300216294611382, 5.197749954727132, 0.82320415015352744, 'random'),
    (193830, 2, 956066801, 12200, 0.95, 0.8050145928132022, 0.81221908056980319, 2.4703282292062327e-323, 'random'),
    (65674, 16425600, 78102, 21167152, 0.9, 0.91482846392170969, 0.93092766244931091, 8.1845626194049043e-52, 'random'),
    (2939, 283, 4459, 450, 0.99, 0.89734004434810311, 1.0147585577916585, 0.048817212488259903, 'random'),
    (6362, 61, 8614, 82, 0.9, 0.98008589206168428, 1.0351436484801211, 0.66750743241087696, 'random'),
    (0, 753, 5166, 986959271, 0.99, 0.00074351451318395586, 'Infinity', 1, 'random'),
    (2, 794, 0, 988, 0.95, 0, 4.2790454699872305, 0.19852975445942148, 'random'),
    (260700, 9447067, 10335, 399335, 0.998, 0.90905186913811198, 0.96728363692094599, 1.072589797497011e-10, 'random'),
    (1452194, 2794, 543902, 1238, 0.9, 0.84307356632791175, 0.84749626396151478, 3.9525251667299724e-323, 'random'),
    (149870, 9359, 17, 1, 0.998, 0.43888646404945308, 2.1228706719335926, 0.80164022787125933, 'random'),
    (22, 57589635, 19, 37314493, 0.998, 0.46862953161130838, 3.7006260666104862, 0.42430554307112434, 'random'),
    (129685, 4451, 1518, 65, 0.9, 0.76781534270821805, 0.83642880997549451, 7.2135177014333714e-19, 'random'),
    (84167088, 1477, 116307430, 2041, 0.95, 0.99972564610626946, 1.000286631177808, 0.96604135536345925, 'near no change'),
    (1484, 101178, 3730, 253654, 0.95, 0.94379151300765984, 1.0654541132277284, 0.93888033281250149, 'near no change'),
    (118228, 10604403, 183530, 16450930, 0.99, 0.9910805632825872, 1.0103189168204658, 0.86234060766702159, 'near no change'),
    (290490, 133052221, 367333, 168118143, 0.95, 0.99591360671730012, 1.0056601419954372, 0.75535253842489458, 'near no change'),
    (16155309, 1373, 30514273, 2593, 0.95, 0.99952546080849325, 1.0007318176549935, 0.6764093469802126, 'near no change'),
    (269504, 3589683, 365515, 4871422, 0.998, 0.99158980520169504, 1.007279100230335, 0.81431303897363516, 'near no change'),
    (520, 470557862, 508, 450504513, 0.99, 0.86716631587801751, 1.2006252459349658, 0.75512530791381405, 'near no change'),
    (4676158, 1445, 3049429, 942, 0.998, 0.99806370725308835, 1.0026149643078837, 0.64732886425387293, 'near no change'),
    (26646970, 3292, 33256499, 4109, 0.95, 0.99938093346947721, 1.0004000482445441, 0.67323430735230105, 'near no change'),
    (170284, 436533, 77932, 200192, 0.9, 0.99087292461595255, 1.0050900877517694, 0.63747792690347826, 'near no change'),
    (125560278, 1448067, 153150238, 1766193, 0.9, 0.99983860380502787, 1.0002346818400518, 0.76100166450575313, 'near no change'),
    (52941, 744113068, 83831, 1177704725, 0.998, 0.98347264515134603, 1.017832693743667, 0.93143351522567008, 'near no change'),
    (83537032, 16842440, 163290263, 32906142, 0.9, 1.0002606712832731, 1.0007034239958312, 0.00034030573407759683, 'random'),
    (34451167, 361116040, 12972932, 135775224, 0.95, 1.0008826181602481, 1.002161566949074, 3.0427372148407397e-06, 'random'),
    (55613194, 647671607, 54901230, 639042905, 0.998, 0.99993952996909508, 1.0011160331963589, 0.005563538778590638, 'random'),
    (151355448, 411540, 204064062, 555025, 0.95, 0.99948588311756159, 0.9999062672271708, 0.0045994152507764924, 'random'),
    (499999999, 1000000000, 500000001, 1000000000, 0.95, 0.9998760506758827, 1.0001239726904485, 1, 'near no change'),
    (499999997, 1000000000, 500000003, 1000000000, 0.95, 0.99987605867489127, 1.0001239806914404, 0.99994953734982461, 'near no change'),
    (499999970, 1000000000, 500000030, 1000000000, 0.95, 0.99987616666151136, 1.0001240887048364, 0.99851135267579583, 'near no change'),
    (0, 1000, 1000000000, 1000, 0.95, 271085030.181817, 'Infinity', 1.0177752304329679e-321, 'none before'),
    (0, 7, 5, 3, 0.95, 2.1381636670694069, 'Infinity', 0.002429999999999999, 'none before'),
    (987654321, 123, 0, 456, 0.99, 0, 1.4470157912238932e-09, 8.3003028501329419e-322, 'none after'),
    (3, 10, 0, 10, 0.95, 0, 2.4199518933533928, 0.25000000000000006, 'none after'),
    (500000000, 1000000000, 500000000, 1000000000, 0.95, 0.99987604667637853, 1.0001239686899526, 1, 'equal rates'),
    (123456, 1000, 370368, 3000, 0.998, 0.98989809119040806, 1.0102205729125058, 1, 'equal rates'),
    (1, 1, 0, 1, 0.95, 0, 38.999999999999964, 1, 'one event'),
    (1, 1000000, 1000000000, 1000000, 0.95, 179480258.79410502, 39497890244.205032, 1.0177752304329679e-321, 'huge ratio'),
    (1000000000, 1, 2, 1000000000, 0.95, 2.4220927820998443e-19, 7.2246876865973269e-18, 0, 'huge ratio'),
    (400000000, 1, 600000000, 999999999, 0.9, 1.4998407449174155e-09, 1.5001592757036043e-09, 0, 'huge ratio');
CREATE FUNCTION pg_temp.relerr(got numeric, want float8, tiny float8 DEFAULT 0) RETURNS float8
    LANGUAGE sql IMMUTABLE
    RETURN CASE WHEN want = 'Infinity' THEN CASE WHEN got IS NULL THEN 0 ELSE 1 END
                WHEN want <= tiny THEN CASE WHEN got <= tiny THEN 0 ELSE 1 END
                ELSE abs(got::float8 / want - 1) END;
CREATE TEMP TABLE exact_err AS
SELECT r.id, r.kind, r.xo + r.xn AS events, r.level, t.method,
       pg_temp.relerr(t.rate_ratio, CASE WHEN r.xo = 0 THEN 'Infinity' ELSE (r.xn::float8 / r.nn) / (r.xo::float8 / r.no) END) AS e_ratio,
       pg_temp.relerr(t.lower, r.lo) AS e_lower, pg_temp.relerr(t.upper, r.up) AS e_upper,
       pg_temp.relerr(t.p_value::numeric, r.p, 1e-300) AS e_p
FROM r_exact r, LATERAL rate_change_test(r.xo, r.no, r.xn, r.nn, r.level) t;
SELECT id, kind, events, level, method, e_ratio < 1e-13 AS ratio_ok, e_lower < 1e-9 AS lower_ok,
       e_upper < 1e-9 AS upper_ok, e_p < 1e-9 AS p_ok
FROM exact_err ORDER BY id;
SELECT count(*) AS cases, min(events) AS fewest_events, max(events) AS most_events,
       bool_and(e_lower < 1e-9 AND e_upper < 1e-9 AND e_p < 1e-9) AS all_within_1e_9,
       CASE WHEN max(greatest(e_lower, e_upper, e_p)) < 1e-10 THEN 'below 1e-10'
            ELSE 'max ' || max(greatest(e_lower, e_upper, e_p))::text END AS max_relative_error
FROM exact_err;
-- Beyond R's reach (and ours to R's 1e-9): 10^10 to 9.2 x 10^18 events, where the binomial
-- tails come from the uniform asymptotic expansion and, above 2^53 events, the far-side
-- boundary from log densities of the exact counts. References computed in 60-digit arithmetic
-- (Python mpmath: binom.test's rule with log-gamma densities, tails by quadrature of the beta
-- density, limits by root-finding on it), p at 1e-12 relative and limits at 1e-13.
CREATE TEMP TABLE huge (id serial, xo bigint, no bigint, xn bigint, nn bigint, p float8, lo float8, up float8);
INSERT INTO huge (xo, no, xn, nn, p, lo, up) VALUES
    (4999875000, 1, 5000125000, 1, 0.012419681218109888, 1.0000108005786377, 1.0000892034581104),
    (210000301198, 7, 89999698802, 3, 0.23013950995480707, NULL, NULL),
    (8904719451957, 1000, 1095280548043, 123, 0.96012324231868869, NULL, NULL),
    (249999955278641, 1, 250000044721359, 1, 6.3342508803433702e-5, 1.0000001824663765, 1.0000005330755262),
    (11111111251656786, 5, 8888888748343214, 4, 0.045500265871303663, NULL, NULL),
    (349999999874500997, 1, 350000000125499003, 1, 0.76417728504599496, NULL, NULL),
    (1599999994121224707, 2, 2400000005878775293, 3, 1.9731753915219545e-9, 1.0000000041233444, 1.0000000081241042),
    (4499999998500000000, 1, 4500000001500000000, 1, 0.31731053222130159, NULL, NULL),
    (4611686019490338078, 1, 4611686017364437728, 1, 0.48392734906508627, NULL, NULL),
    (99999999899970001, 1000000000, 100029999, 1, 0.0027015692737757725, NULL, NULL);
SELECT h.id, h.xo + h.xn AS events, t.method, t.verdict,
       pg_temp.relerr(t.p_value::numeric, h.p) < 1e-12 AS p_ok,
       CASE WHEN h.lo IS NULL THEN NULL ELSE pg_temp.relerr(t.lower, h.lo) < 1e-13 END AS lower_ok,
       CASE WHEN h.up IS NULL THEN NULL ELSE pg_temp.relerr(t.upper, h.up) < 1e-13 END AS upper_ok
FROM huge h, LATERAL rate_change_test(h.xo, h.no, h.xn, h.nn) t ORDER BY h.id;
DROP TABLE huge;
-- Counts at the top of bigint: exact (p = 1 for equal counts on equal bases); a sum of events
-- beyond bigint is an error.
SELECT rate_ratio, p_value, method, verdict FROM rate_change_test(4611686018427387903, 1, 4611686018427387903, 1);
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

-- 24 + 24 more cases drawn at random in R (set.seed(2019); counts from 1 to 8 million, levels
-- 0.90 / 0.95 / 0.99): poisson.test(c(x_new, x_old), c(n_new, n_old), conf.level = level) and
-- Newcombe's method 10 from Wilson limits; every value within 1e-9 relative.
CREATE TEMP TABLE r_rate_random (xo bigint, no bigint, xn bigint, nn bigint, level float8, lo float8, up float8, p float8);
INSERT INTO r_rate_random VALUES
    (205522, 826316, 223843, 174362, 0.90, 5.1356473625441916, 5.1875696903037607, 1.4821969375237396e-323),
    (24, 914047, 12, 467395, 0.99, 0.34743172010291801, 2.4956845082470918, 1),
    (3494659, 726529, 3906889, 881215, 0.99, 0.91996982252166704, 0.92346645601608779, 8.8931816251424378e-323),
    (251454, 650807, 336539, 996102, 0.90, 0.87064451663347497, 0.87823327856304123, 2.4703282292062327e-323),
    (1, 912012, 3, 265402, 0.95, 0.82774680802337863, 541.19665417625617, 0.038067607373346211),
    (34, 743881, 35, 741647, 0.90, 0.67511587680383833, 1.5801303099303072, 0.90483894057724568),
    (14172, 128304, 14125, 821606, 0.99, 0.15093941399743876, 0.16049627638940428, 4.9406564584124654e-324),
    (4495, 495163, 3929, 747752, 0.99, 0.54700768545063294, 0.61244332730007411, 2.8608581873375381e-138),
    (2156592, 864712, 2891827, 412803, 0.99, 2.8023756003467737, 2.8153971864542076, 6.4228533959362051e-323),
    (524721, 529012, 472839, 778762, 0.99, 0.60897792493193359, 0.61530367927414231, 2.9643938750474793e-323),
    (1617352, 290899, 1202203, 88316, 0.95, 2.4425908059287349, 2.4541515837088643, 4.4465908125712189e-323),
    (33, 80775, 35, 983335, 0.95, 0.0525841088909033, 0.14464263505614053, 2.1345823123851385e-19),
    (417, 227533, 584, 452280, 0.90, 0.63287177211489931, 0.78468788472531492, 6.549431556959548e-08),
    (1083, 23253, 893, 843887, 0.99, 0.020198428956374088, 0.025547745213147097, 0),
    (147526, 167300, 152614, 581688, 0.95, 0.29540709748226268, 0.29966944043567079, 1.4821969375237396e-323),
    (5127, 388929, 5592, 186229, 0.90, 2.2061509483938386, 2.3519203749696627, 0),
    (145643, 946255, 160501, 13546, 0.95, 76.436729636136747, 77.529797601872218, 0),
    (191194, 208824, 218102, 687141, 0.90, 0.34488941727228262, 0.34846580311421577, 1.4821969375237396e-323),
    (335, 381220, 273, 961636, 0.95, 0.27433063828122817, 0.38017967558973564, 5.0758974668216092e-43),
    (4974, 80500, 5945, 600260, 0.95, 0.15433785969691646, 0.16647399872673194, 0),
    (686519, 346119, 1328316, 359308, 0.95, 1.8584112023272865, 1.8692753002108662, 4.4465908125712189e-323),
    (13, 88534, 17, 563070, 0.99, 0.074913690557797979, 0.5890522450730642, 6.6086929599360099e-05),
    (9169, 369081, 13410, 90146, 0.90, 5.8555300847796081, 6.1235960259616729, 4.9406564584124654e-324),
    (17, 763711, 33, 202178, 0.99, 3.3331350163782276, 17.210125384184451, 8.0686413352879225e-12);
SELECT count(*) AS cases,
       count(*) FILTER (WHERE pg_temp.close(t.lower, r.lo)) AS lower_ok,
       count(*) FILTER (WHERE CASE WHEN r.up = 'Infinity' THEN t.upper IS NULL ELSE pg_temp.close(t.upper, r.up) END) AS upper_ok,
       count(*) FILTER (WHERE CASE WHEN r.p < 1e-300 THEN t.p_value < 1e-300 ELSE pg_temp.close(t.p_value::numeric, r.p) END) AS p_ok
FROM r_rate_random r, LATERAL rate_change_test(xo, no, xn, nn, level) t;
CREATE TEMP TABLE r_prop_random (xo bigint, no bigint, xn bigint, nn bigint, level float8, lo float8, up float8);
INSERT INTO r_prop_random VALUES
    (95243, 243813, 995, 3990, 0.90, -15.247855178345649, -12.971784521854913),
    (23, 285, 221, 3319, 0.95, -5.2436804888425286, 1.3704164979841955),
    (5, 14, 316705, 683898, 0.99, -21.555075333273965, 33.557476364572352),
    (81, 102, 3, 3, 0.95, -35.960898099216031, 29.432549438966561),
    (17, 103, 203, 1185, 0.90, -6.4455571312142173, 6.1002294578737155),
    (51, 60, 304, 472, 0.99, -30.749519332847562, -4.3743544385365869),
    (59, 202, 1, 6, 0.90, -26.528242854270591, 21.398184543420559),
    (62, 72, 1, 2, 0.90, -74.407421792883312, 2.6407786758171516),
    (98, 121, 29, 51, 0.90, -36.705535703914357, -11.534201306996167),
    (2, 23, 1, 61, 0.90, -21.581953927959756, 0.83680703353639085),
    (58397, 128630, 24, 79, 0.95, -24.058843985403421, -4.1611404703249617),
    (50369, 264979, 0, 2, 0.99, -19.205790199711728, 57.829743531387038),
    (53167, 214016, 134, 592, 0.99, -6.3271527664835956, 2.5179552794061824),
    (237199, 307308, 434032, 447108, 0.95, 19.73317130080839, 20.045911168031942),
    (3, 3, 31951, 37518, 0.95, -15.201511236597298, 41.312621364299382),
    (75, 197, 0, 2, 0.95, -45.018408332375579, 28.010481777828005),
    (314, 719, 4, 6, 0.95, -13.853601389225211, 46.920778148779604),
    (26909, 48194, 4279, 7982, 0.99, -3.7799141364269739, -0.67830262927844753),
    (23539, 37599, 242551, 278513, 0.95, 23.978934339533698, 24.988243872157515),
    (1590, 3054, 2, 3, 0.99, -37.692820981402079, 43.987033890156887),
    (168, 192, 35148, 41737, 0.99, -8.2290561474821935, 4.1522825026834802),
    (537, 2128, 90968, 481805, 0.90, -7.93657516212473, -4.8347738486445566),
    (4, 40, 2038, 29063, 0.90, -13.489503797031633, 2.448904661420491),
    (95292, 104284, 2557, 3396, 0.95, -17.571163388234503, -14.651107075252392);
SELECT count(*) AS cases, count(*) FILTER (WHERE pg_temp.close(t.lower, r.lo)) AS lower_ok,
       count(*) FILTER (WHERE pg_temp.close(t.upper, r.up)) AS upper_ok
FROM r_prop_random r, LATERAL proportion_change_test(xo, no, xn, nn, level) t;

DROP TABLE r_rate, r_prop, r_rate_random, r_prop_random, r_exact, exact_err;
