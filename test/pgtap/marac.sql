-- Behavioural properties of MARAC quarterly returns on random data: every expected MARAC is
-- classified once; the 12-month figures equal an independent plain-SQL reading of SafeLives'
-- rules (written with correlated look-ups, not the view's window functions); a reload changes
-- nothing; counts spelled "N.0" / "1,234" load as the plain numbers.
BEGIN;
SET search_path = public, da;
SELECT plan(8);

-- 3 forces x 4 made-up MARACs x 16 quarters (2014 Q1 .. 2017 Q4), about 1 in 6 quarters not
-- returned (no row, or a row with empty counts).
INSERT INTO marac_area (marac_id, name, force_id)
SELECT f || '_' || m, 'Random ' || f || ' ' || m, f
FROM unnest(ARRAY['kent', 'essex', 'surrey']) f, generate_series(1, 4) m;
CREATE TEMP TABLE src AS
SELECT a.marac_id, a.name, q AS qn,
       ('2014-01-01'::date + make_interval(months => 3 * q))::date AS qs,
       ('2014-01-01'::date + make_interval(months => 3 * q + 3))::date - 1 AS qe,
       (hashtext(a.marac_id || q) & 1023) AS h
FROM marac_area a, generate_series(0, 15) q;
INSERT INTO marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females)
SELECT s.name, s.qs::text, s.qe::text,
       CASE WHEN s.h % 12 = 1 THEN '' ELSE (10 + s.h % 200)::text END,
       CASE WHEN s.h % 12 = 1 THEN '' ELSE (s.h % 10)::text END,
       CASE WHEN s.h % 12 = 1 THEN '' ELSE (5 + s.h % 300)::text END,
       (20000 + s.h * 10)::text
FROM src s WHERE s.h % 12 <> 0;
CREATE TEMP TABLE r1 AS SELECT * FROM ingest_marac('random');
SELECT is((SELECT inserted + rejected FROM r1), (SELECT count(*) FROM src WHERE h % 12 <> 0), 'every staged row accounted for');
SELECT is((SELECT rejected FROM r1), 0::bigint, 'nothing rejected');

-- Independent reading: per force, period end (a quarter end some MARAC of the force returned)
-- and MARAC, which quarters are missing, and the 12-month cases by the rules.
CREATE TEMP TABLE ind AS
WITH ret AS (SELECT marac_id, quarter_end, cases FROM marac_return WHERE cases IS NOT NULL),
ends AS (SELECT DISTINCT force_id, quarter_end AS e FROM marac_return),
mq AS (
    SELECT x.force_id, x.e, a.marac_id, k,
           (x.e + 1 - make_interval(months => 3 * (3 - k)))::date - 1 AS q,
           (x.e + 1 - make_interval(months => 3 * (4 - k)))::date - 1 AS prev_q
    FROM ends x JOIN marac_area a USING (force_id), generate_series(0, 3) k
), per AS (
    SELECT mq.force_id, mq.e, mq.marac_id,
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM ret WHERE ret.marac_id = mq.marac_id AND ret.quarter_end = mq.q)) AS missing,
           sum(coalesce((SELECT ret.cases FROM ret WHERE ret.marac_id = mq.marac_id AND ret.quarter_end = mq.q),
                        (SELECT ret.cases FROM ret WHERE ret.marac_id = mq.marac_id AND ret.quarter_end = mq.prev_q))) AS filled_cases,
           count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM ret WHERE ret.marac_id = mq.marac_id AND ret.quarter_end = mq.q)
                              AND EXISTS (SELECT 1 FROM ret WHERE ret.marac_id = mq.marac_id AND ret.quarter_end = mq.prev_q)) AS carriable
    FROM mq GROUP BY 1, 2, 3
)
SELECT force_id, e AS period_end,
       count(*) AS expected,
       count(*) FILTER (WHERE missing = 0) AS complete,
       count(*) FILTER (WHERE missing = 1 AND carriable = 1) AS carried,
       count(*) FILTER (WHERE NOT (missing = 0 OR missing = 1 AND carriable = 1)) AS left_out,
       sum(filled_cases) FILTER (WHERE missing = 0 OR missing = 1 AND carriable = 1) AS cases
FROM per GROUP BY 1, 2;

SELECT ok((SELECT count(*) FROM ind) > 40 AND (SELECT sum(carried) FROM ind) > 5 AND (SELECT sum(left_out) FROM ind) > 5
          AND (SELECT sum(complete) FROM ind) > 20, 'the random data exercise every rule');
SELECT is((SELECT count(*) FROM marac_12_months v
           WHERE v.maracs_complete + v.maracs_carried + v.maracs_left_out <> v.maracs_expected
              OR v.maracs_included <> v.maracs_complete + v.maracs_carried), 0::bigint,
          'every expected MARAC is complete, carried or left out, exactly once');
SELECT set_eq('SELECT force_id, period_end, maracs_expected, maracs_complete, maracs_carried, maracs_left_out, cases::numeric FROM marac_12_months',
              'SELECT force_id, period_end, expected, complete, carried, left_out, cases FROM ind',
              'the 12-month MARAC counts and cases equal an independent reading of the rules');
SELECT is((SELECT count(*) FROM marac_12_months WHERE carried_forward <> (maracs_carried > 0)
                                                 OR (maracs_left_out > 0) <> (left_out_maracs <> '')
                                                 OR cardinality(left_out_marac_ids) <> maracs_left_out), 0::bigint,
          'carried figures are flagged, and the MARACs left out are listed');

-- The same file again, its counts spelled as pandas and spreadsheets write them: unchanged.
INSERT INTO marac_staging (marac, period_start, period_end, cases, repeat_cases, children, adult_females)
SELECT s.marac_id, s.qs::text, s.qe::text,
       CASE WHEN s.h % 12 = 1 THEN '' ELSE (10 + s.h % 200)::text || '.0' END,
       CASE WHEN s.h % 12 = 1 THEN '' ELSE ' ' || (s.h % 10)::text || ' ' END,
       CASE WHEN s.h % 12 = 1 THEN '' ELSE (5 + s.h % 300)::text || '.00' END,
       to_char(20000 + s.h * 10, 'FM999,999')
FROM src s WHERE s.h % 12 <> 0;
CREATE TEMP TABLE r2 AS SELECT * FROM ingest_marac('random again');
SELECT is((SELECT (inserted, updated, rejected) FROM r2), (0::bigint, 0::bigint, 0::bigint), 'a reload in other spellings changes nothing');
SELECT is((SELECT count(*) FROM marac_return_history), 0::bigint, 'and writes no history');

SELECT * FROM finish();
ROLLBACK;
