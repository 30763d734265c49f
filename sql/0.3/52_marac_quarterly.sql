-------------------------------------------------------------------------------
-- MARAC returns per MARAC and quarter, with SafeLives' rules (issue 13 item 2).
--
-- MARAC data arrive per MARAC (a force has several) and per quarter. A 12-month figure is
-- built from the four quarters ending at a quarter end, the SafeLives way (DOMAIN.md §5):
--   * a quarter a MARAC did not return is carried forward from the previous quarter (which
--     may be the quarter just before the 12 months), and the figure is flagged;
--   * a MARAC missing two or more of the four quarters, or whose missing quarter has no
--     returned previous quarter to carry (two quarters in a row missing), is left out of
--     the figure together with its adult female population, and listed.
--
--   da.marac_area                           MARACs and the force they belong to (users add theirs)
--   da.marac_staging -> da.ingest_marac()   lossless ingest, as da.ingest_returns: staged by
--                                           session, checked against the caller's forces,
--                                           rejects to da.rejected_marac_return with reasons,
--                                           replaced values to da.marac_return_history
--   da.marac_return                         one row per MARAC and quarter (RLS by force)
--   da.marac_quarter_status                 per MARAC and 12-month period: complete / carried / left out
--   da.marac_12_months                      per force and 12-month period: cases, repeat rate,
--                                           children per case, cases per 10,000 adult females,
--                                           and the MARACs behind each figure
-------------------------------------------------------------------------------

ALTER TABLE da.return_load DROP CONSTRAINT return_load_kind_check;
ALTER TABLE da.return_load ADD CONSTRAINT return_load_kind_check CHECK (kind IN ('returns', 'outcomes', 'marac'));

-- MARACs within forces. No official list is shipped (none is published with the kit's
-- sources): add your own; data/demo/marac_example_areas.csv shows the shape with made-up areas.
-- active_from / active_to bound the quarters a MARAC is expected to return (NULL: open).
CREATE TABLE da.marac_area (
    marac_id    text PRIMARY KEY CHECK (marac_id ~ '^[a-z][a-z0-9_]*$'),
    name        text NOT NULL CHECK (name = btrim(name) AND name <> ''),
    force_id    text NOT NULL REFERENCES da.force ON UPDATE CASCADE,
    active_from date,
    active_to   date,
    UNIQUE (marac_id, force_id),
    CHECK (active_to >= active_from)
);
CREATE UNIQUE INDEX marac_area_lower_name_idx ON da.marac_area (lower(name));
COMMENT ON TABLE da.marac_area IS
    'MARACs and the force each belongs to (users add their own; none shipped); active_from/active_to bound the quarters a MARAC is expected to return';

-- marac_id for a MARAC as named in source data: its id or its name, in any letter case.
CREATE FUNCTION da.resolve_marac(name text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT a.marac_id FROM da.marac_area a
    WHERE a.marac_id = lower(btrim(resolve_marac.name)) OR lower(a.name) = lower(btrim(resolve_marac.name))
    ORDER BY a.marac_id = lower(btrim(resolve_marac.name)) DESC
    LIMIT 1;
END;
COMMENT ON FUNCTION da.resolve_marac(text) IS 'marac_id for a MARAC as named in source data (id or name, any letter case); NULL if unknown';

-- The last day of the quarter n quarters before the one ending on quarter_end.
CREATE FUNCTION da.quarter_end_before(quarter_end date, n integer) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (quarter_end + 1 - make_interval(months => 3 * n))::date - 1;
COMMENT ON FUNCTION da.quarter_end_before(date, integer) IS
    'Last day of the quarter n quarters before the quarter ending on quarter_end (2017-03-31, 1 -> 2016-12-31)';

-- One row per MARAC and calendar quarter (3 months ending 31 March, 30 June, 30 September or
-- 31 December). NULL = unable to provide; a row whose cases are NULL counts as not returned.
CREATE TABLE da.marac_return (
    marac_id      text NOT NULL,
    force_id      text NOT NULL,
    quarter_start date NOT NULL,
    quarter_end   date NOT NULL,
    cases         bigint CHECK (cases >= 0),          -- cases discussed, including repeats
    repeat_cases  bigint CHECK (repeat_cases >= 0),
    children      bigint CHECK (children >= 0),       -- children in the households discussed
    adult_females bigint CHECK (adult_females >= 0),  -- female population 16+ the MARAC covers
    source        text,
    loaded_at     timestamptz NOT NULL DEFAULT now(),
    load_id       bigint,
    PRIMARY KEY (marac_id, quarter_end),
    FOREIGN KEY (marac_id, force_id) REFERENCES da.marac_area (marac_id, force_id) ON UPDATE CASCADE,
    CHECK (da.period_months(quarter_start, quarter_end) = 3 AND extract(month FROM quarter_end) IN (3, 6, 9, 12))
);
CREATE INDEX marac_return_force_idx ON da.marac_return (force_id, quarter_end);
COMMENT ON TABLE da.marac_return IS
    'Quarterly MARAC returns: cases (including repeats), repeat cases, children, adult female population covered; NULL = unable to provide, NULL cases = quarter not returned';

CREATE TABLE da.marac_return_history (
    history_id        bigserial PRIMARY KEY,
    marac_id          text NOT NULL,
    force_id          text NOT NULL,
    quarter_end       date NOT NULL,
    old_cases         bigint,
    old_repeat_cases  bigint,
    old_children      bigint,
    old_adult_females bigint,
    new_cases         bigint,
    new_repeat_cases  bigint,
    new_children      bigint,
    new_adult_females bigint,
    old_source        text,
    new_source        text,
    old_loaded_at     timestamptz,
    old_load_id       bigint,
    load_id           bigint REFERENCES da.return_load,
    changed_at        timestamptz NOT NULL DEFAULT now(),
    changed_by        name NOT NULL
);
CREATE INDEX marac_return_history_key_idx ON da.marac_return_history (marac_id, quarter_end);
COMMENT ON TABLE da.marac_return_history IS 'Corrections of MARAC returns: the values a load replaced (old_*) and set (new_*), who and when';

-- \copy a CSV (marac, force, period_start, period_end, cases, repeat_cases, children,
-- adult_females, source) in, then call da.ingest_marac(). All text: nothing fails at \copy.
CREATE TABLE da.marac_staging (
    staged_id      bigserial PRIMARY KEY,
    marac          text,
    force          text,           -- optional: checked against the MARAC's force when given
    period_start   text,
    period_end     text,
    cases          text,
    repeat_cases   text,
    children       text,
    adult_females  text,
    source         text,
    staged_by      name NOT NULL DEFAULT current_user,
    staged_session text NOT NULL DEFAULT da.staging_session(),
    staged_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE da.marac_staging IS
    'Load area for MARAC returns: \copy da.marac_staging (marac, force, period_start, period_end, cases, repeat_cases, children, adult_females, source) FROM ''file.csv'' CSV HEADER; then SELECT * FROM da.ingest_marac()';
COMMENT ON COLUMN da.marac_staging.staged_session IS 'da.staging_session() of the session that staged the row: only that session''s ingest takes it';

CREATE TABLE da.rejected_marac_return (
    rejected_id   bigserial PRIMARY KEY,
    load_id       bigint NOT NULL REFERENCES da.return_load ON DELETE CASCADE,
    line_no       bigint,
    marac         text,
    force         text,
    period_start  text,
    period_end    text,
    cases         text,
    repeat_cases  text,
    children      text,
    adult_females text,
    source        text,
    reason        text NOT NULL,
    rejected_at   timestamptz NOT NULL DEFAULT now(),
    rejected_by   name NOT NULL,
    marac_force_id text            -- force of the MARAC as the ingest resolved it (owner rights); NULL if unknown
);
CREATE INDEX rejected_marac_return_load_idx ON da.rejected_marac_return (load_id);
COMMENT ON TABLE da.rejected_marac_return IS 'Staged MARAC rows refused by da.ingest_marac, as text, with the reasons; line_no counts the CSV header as line 1';

-- Row-level security, as for force returns: read by force, written only by the ingest (and
-- the MARAC list by the owner).
ALTER TABLE da.marac_area ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_read ON da.marac_area FOR SELECT USING (da.may_access_force(force_id));
ALTER TABLE da.marac_return ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_read ON da.marac_return FOR SELECT USING (da.may_access_force(force_id));
ALTER TABLE da.marac_return_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_read ON da.marac_return_history FOR SELECT USING (da.may_access_force(force_id));
ALTER TABLE da.marac_staging ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON da.marac_staging USING (staged_by = current_user);
ALTER TABLE da.rejected_marac_return ENABLE ROW LEVEL SECURITY;
-- A rejected row is its MARAC's force's: the ingest stores that force (resolved with owner
-- rights; resolving it here would run under the reader's RLS, where another force's MARAC looks
-- unknown); the staged force text decides only when the MARAC was unknown.
CREATE POLICY own_load_or_force ON da.rejected_marac_return FOR SELECT
    USING (da.may_access_force(NULL)
           OR EXISTS (SELECT 1 FROM da.return_load l WHERE l.load_id = rejected_marac_return.load_id AND l.loaded_by = current_user)
           OR da.may_access_force(coalesce(marac_force_id, da.resolve_force(force))));

-- Move the calling session's staged MARAC rows: good ones into da.marac_return, bad ones into
-- da.rejected_marac_return with every reason found. Changed values replace the stored ones
-- (old ones to da.marac_return_history); identical ones are left alone, so a reload of the
-- same file changes nothing. Runs as the owner; checks every row against the caller's forces.
CREATE FUNCTION da.ingest_marac(source text DEFAULT NULL,
                                OUT load_id bigint, OUT inserted bigint, OUT updated bigint,
                                OUT unchanged bigint, OUT rejected bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_caller  name := da.calling_role();
    v_session text := da.staging_session();
    v_source  text := ingest_marac.source;
    v_staged  bigint;
BEGIN
    LOCK TABLE da.marac_return IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO da.return_load (kind, source, loaded_by) VALUES ('marac', v_source, v_caller)
    RETURNING return_load.load_id INTO load_id;

    WITH staged AS (
        DELETE FROM da.marac_staging s WHERE s.staged_by = v_caller AND s.staged_session = v_session
        RETURNING s.*
    ), maracs AS MATERIALIZED (
        -- Names and permissions resolved once per distinct MARAC and force.
        SELECT d.marac, d.force, m.marac_id AS m_id, a.force_id AS m_force,
               CASE WHEN coalesce(btrim(d.force), '') <> '' THEN da.resolve_force(d.force) END AS f_id,
               da.role_may_access_force(v_caller, a.force_id) AS f_ok
        FROM (SELECT DISTINCT s.marac, s.force FROM staged s) d
        LEFT JOIN LATERAL (SELECT da.resolve_marac(d.marac) AS marac_id) m ON true
        LEFT JOIN da.marac_area a ON a.marac_id = m.marac_id
    ), dates AS (
        SELECT d.t, da.parse_iso_date(d.t) AS d
        FROM (SELECT s.period_start AS t FROM staged s UNION SELECT s.period_end FROM staged s) d
    ), numbered AS (
        SELECT s.*, row_number() OVER (ORDER BY s.staged_id) + 1 AS line_no,
               m.m_id, m.m_force, m.f_id, m.f_ok, ds.d AS p_start, de.d AS p_end
        FROM staged s
        LEFT JOIN maracs m ON m.marac IS NOT DISTINCT FROM s.marac AND m.force IS NOT DISTINCT FROM s.force
        LEFT JOIN dates ds ON ds.t = s.period_start
        LEFT JOIN dates de ON de.t = s.period_end
    ), checked AS (
        SELECT n.*,
               array_remove(ARRAY[
                 CASE WHEN coalesce(btrim(n.marac), '') = '' THEN 'missing MARAC'
                      -- A MARAC of a force the caller may not load reads as unknown: the
                      -- message must not tell which MARACs other forces have.
                      WHEN n.m_id IS NULL OR NOT n.f_ok THEN format('unknown MARAC "%s" (add it to da.marac_area)', n.marac) END,
                 CASE WHEN coalesce(btrim(n.force), '') = '' OR n.m_id IS NULL OR NOT n.f_ok THEN NULL
                      WHEN n.f_id IS NULL THEN format('unknown force "%s"', n.force)
                      WHEN n.f_id <> n.m_force THEN format('MARAC "%s" belongs to force "%s", not "%s"', n.m_id, n.m_force, n.f_id) END,
                 CASE WHEN n.p_start IS NULL THEN format('malformed period_start "%s" (expected YYYY-MM-DD)', n.period_start) END,
                 CASE WHEN n.p_end IS NULL THEN format('malformed period_end "%s" (expected YYYY-MM-DD)', n.period_end) END,
                 CASE WHEN n.p_start IS NULL OR n.p_end IS NULL THEN NULL
                      WHEN n.p_end < n.p_start THEN 'period ends before it starts'
                      WHEN coalesce(da.period_months(n.p_start, n.p_end), 0) <> 3
                        OR extract(month FROM n.p_end) NOT IN (3, 6, 9, 12)
                      THEN 'period is not a calendar quarter (3 months ending 31 March, 30 June, 30 September or 31 December)' END,
                 'cases: ' || da.count_problem(n.cases),
                 'repeat_cases: ' || da.count_problem(n.repeat_cases),
                 'children: ' || da.count_problem(n.children),
                 'adult_females: ' || da.count_problem(n.adult_females)], NULL) AS reasons
        FROM numbered n
    ), keyed AS (
        -- Duplicates within this load: every row of a duplicated key is refused, none chosen.
        SELECT c.*,
               CASE WHEN c.reasons = '{}' AND count(*) OVER k > 1
                    THEN 'duplicate in this load (lines ' || string_agg(c.line_no::text, ', ') OVER k || ')' END AS dup
        FROM checked c
        WINDOW k AS (PARTITION BY c.reasons = '{}', c.m_id, c.p_end
                     ORDER BY c.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ), sorted AS (
        SELECT k.*, array_remove(k.reasons || k.dup, NULL) AS all_reasons FROM keyed k
    ), rej AS (
        INSERT INTO da.rejected_marac_return (load_id, line_no, marac, force, period_start, period_end, cases, repeat_cases,
                                              children, adult_females, source, reason, rejected_by, marac_force_id)
        SELECT ingest_marac.load_id, s.line_no, s.marac, s.force, s.period_start, s.period_end, s.cases, s.repeat_cases,
               s.children, s.adult_females, s.source, array_to_string(s.all_reasons, '; '), v_caller,
               -- Not for a MARAC of a force the caller may not load: the caller reads its own
               -- rejected rows, and the force would tell that the MARAC exists.
               CASE WHEN s.f_ok THEN s.m_force END
        FROM sorted s WHERE s.all_reasons <> '{}'
        RETURNING 1
    ), good AS (
        SELECT s.m_id, s.m_force, s.p_start, s.p_end,
               da.parse_count(s.cases) AS cases, da.parse_count(s.repeat_cases) AS repeat_cases,
               da.parse_count(s.children) AS children, da.parse_count(s.adult_females) AS adult_females,
               coalesce(nullif(btrim(s.source), ''), v_source) AS src,
               r.marac_id IS NOT NULL AS existed,
               r.cases AS old_cases, r.repeat_cases AS old_repeat_cases, r.children AS old_children,
               r.adult_females AS old_adult_females, r.source AS old_source, r.loaded_at AS old_loaded_at,
               r.load_id AS old_load_id
        FROM sorted s
        LEFT JOIN da.marac_return r ON (r.marac_id, r.quarter_end) = (s.m_id, s.p_end)
        WHERE s.all_reasons = '{}'
    ), graded AS (
        SELECT g.*,
               CASE WHEN NOT g.existed THEN 'inserted'
                    WHEN (g.cases, g.repeat_cases, g.children, g.adult_females)
                         IS NOT DISTINCT FROM (g.old_cases, g.old_repeat_cases, g.old_children, g.old_adult_females)
                    THEN 'unchanged' ELSE 'updated' END AS fate
        FROM good g
    ), hist AS (
        INSERT INTO da.marac_return_history (marac_id, force_id, quarter_end, old_cases, old_repeat_cases, old_children,
                                             old_adult_females, new_cases, new_repeat_cases, new_children, new_adult_females,
                                             old_source, new_source, old_loaded_at, old_load_id, load_id, changed_by)
        SELECT g.m_id, g.m_force, g.p_end, g.old_cases, g.old_repeat_cases, g.old_children, g.old_adult_females,
               g.cases, g.repeat_cases, g.children, g.adult_females, g.old_source, g.src, g.old_loaded_at,
               g.old_load_id, ingest_marac.load_id, v_caller
        FROM graded g WHERE g.fate = 'updated'
        RETURNING 1
    ), ups AS (
        INSERT INTO da.marac_return AS r (marac_id, force_id, quarter_start, quarter_end, cases, repeat_cases, children,
                                          adult_females, source, load_id)
        SELECT g.m_id, g.m_force, g.p_start, g.p_end, g.cases, g.repeat_cases, g.children, g.adult_females, g.src,
               ingest_marac.load_id
        FROM graded g WHERE g.fate <> 'unchanged'
        ON CONFLICT (marac_id, quarter_end)
        DO UPDATE SET cases = EXCLUDED.cases, repeat_cases = EXCLUDED.repeat_cases, children = EXCLUDED.children,
                      adult_females = EXCLUDED.adult_females, source = EXCLUDED.source, load_id = EXCLUDED.load_id,
                      loaded_at = now()
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM sorted),
           (SELECT count(*) FROM graded WHERE fate = 'inserted'),
           (SELECT count(*) FROM graded WHERE fate = 'updated'),
           (SELECT count(*) FROM graded WHERE fate = 'unchanged'),
           (SELECT count(*) FROM rej)
      INTO v_staged, inserted, updated, unchanged, rejected;

    UPDATE da.return_load l
       SET staged = v_staged, inserted = ingest_marac.inserted, updated = ingest_marac.updated,
           unchanged = ingest_marac.unchanged, rejected = ingest_marac.rejected
     WHERE l.load_id = ingest_marac.load_id;
END $$;
COMMENT ON FUNCTION da.ingest_marac(text) IS
    'Move the MARAC rows your session staged in da.marac_staging into da.marac_return (bad rows to da.rejected_marac_return with reasons, replaced values to da.marac_return_history); returns (load_id, inserted, updated, unchanged, rejected)';
REVOKE ALL ON FUNCTION da.ingest_marac(text) FROM PUBLIC;

-------------------------------------------------------------------------------
-- SafeLives' rules, per MARAC and 12-month period (the four quarters ending period_end).
-- Periods: every quarter end some MARAC of the force returned. Quarters k = 0..3 are the
-- period's; k = -1 is the quarter before it, used only to carry a missing first quarter.
-------------------------------------------------------------------------------
CREATE VIEW da.marac_quarter_status WITH (security_invoker = true) AS
WITH ends AS (
    SELECT DISTINCT r.force_id, r.quarter_end AS period_end FROM da.marac_return r
), expected AS (
    SELECT e.force_id, e.period_end, a.marac_id, a.name
    FROM ends e
    JOIN da.marac_area a ON a.force_id = e.force_id
    WHERE (a.active_from IS NULL OR a.active_from <= e.period_end)
      AND (a.active_to IS NULL OR a.active_to > da.quarter_end_before(e.period_end, 4))
), quarters AS (
    SELECT x.force_id, x.period_end, x.marac_id, x.name, k.k, da.quarter_end_before(x.period_end, 3 - k.k) AS quarter_end,
           r.cases IS NOT NULL AS returned, r.cases, r.repeat_cases, r.children, r.adult_females
    FROM expected x
    CROSS JOIN generate_series(-1, 3) k(k)
    LEFT JOIN da.marac_return r ON r.marac_id = x.marac_id AND r.quarter_end = da.quarter_end_before(x.period_end, 3 - k.k)
), filled AS (
    -- A quarter not returned takes the previous quarter's values when that one was returned.
    SELECT q.*, NOT q.returned AND lag(q.returned) OVER w AS carried,
           CASE WHEN q.returned THEN q.cases ELSE lag(q.cases) OVER w END AS f_cases,
           CASE WHEN q.returned THEN q.repeat_cases ELSE lag(q.repeat_cases) OVER w END AS f_repeat_cases,
           CASE WHEN q.returned THEN q.children ELSE lag(q.children) OVER w END AS f_children,
           CASE WHEN q.returned THEN q.adult_females ELSE lag(q.adult_females) OVER w END AS f_adult_females
    FROM quarters q
    WINDOW w AS (PARTITION BY q.marac_id, q.period_end ORDER BY q.k)
), per_marac AS (
    SELECT f.force_id, f.period_end, f.marac_id, f.name,
           count(*) FILTER (WHERE f.k >= 0 AND NOT f.returned) AS quarters_missing,
           count(*) FILTER (WHERE f.k >= 0 AND f.carried) AS quarters_carried,
           max(f.quarter_end) FILTER (WHERE f.k >= 0 AND NOT f.returned) AS missing_quarter_end,
           string_agg(to_char(f.quarter_end, 'FMDD Mon YYYY'), ', ' ORDER BY f.k) FILTER (WHERE f.k >= 0 AND NOT f.returned) AS missing_quarters,
           -- numeric(20,0): four quarters of valid (bigint) counts may exceed bigint, not 10^20.
           (sum(f.f_cases) FILTER (WHERE f.k >= 0))::numeric(20,0) AS cases,
           (CASE WHEN count(f.f_repeat_cases) FILTER (WHERE f.k >= 0) = 4 THEN sum(f.f_repeat_cases) FILTER (WHERE f.k >= 0) END)::numeric(20,0) AS repeat_cases,
           (CASE WHEN count(f.f_children) FILTER (WHERE f.k >= 0) = 4 THEN sum(f.f_children) FILTER (WHERE f.k >= 0) END)::numeric(20,0) AS children,
           max(f.f_adult_females) FILTER (WHERE f.k = 3) AS adult_females
    FROM filled f
    GROUP BY f.force_id, f.period_end, f.marac_id, f.name
)
SELECT p.force_id, da.quarter_end_before(p.period_end, 4) + 1 AS period_start, p.period_end,
       da.period_label(da.quarter_end_before(p.period_end, 4) + 1, p.period_end) AS period, p.marac_id, p.name AS marac_name,
       CASE WHEN p.quarters_missing = 0 THEN 'complete'
            WHEN p.quarters_missing = 1 AND p.quarters_carried = 1 THEN 'carried'
            ELSE 'left out' END AS status,
       p.quarters_missing,
       CASE WHEN p.quarters_missing = 1 AND p.quarters_carried = 1 THEN p.missing_quarter_end END AS carried_quarter_end,
       p.missing_quarters,
       CASE WHEN p.quarters_missing >= 2 THEN format('missing %s of the 4 quarters: %s', p.quarters_missing, p.missing_quarters)
            WHEN p.quarters_missing = 1 AND p.quarters_carried = 0
            THEN format('missing its first quarter, %s, and the quarter before it: nothing to carry forward', p.missing_quarters)
       END AS left_out_reason,
       (CASE WHEN p.quarters_missing = 0 OR p.quarters_carried = 1 AND p.quarters_missing = 1 THEN p.cases END)::numeric(20,0) AS cases,
       (CASE WHEN p.quarters_missing = 0 OR p.quarters_carried = 1 AND p.quarters_missing = 1 THEN p.repeat_cases END)::numeric(20,0) AS repeat_cases,
       (CASE WHEN p.quarters_missing = 0 OR p.quarters_carried = 1 AND p.quarters_missing = 1 THEN p.children END)::numeric(20,0) AS children,
       CASE WHEN p.quarters_missing = 0 OR p.quarters_carried = 1 AND p.quarters_missing = 1 THEN p.adult_females END AS adult_females
FROM per_marac p;
COMMENT ON VIEW da.marac_quarter_status IS
    'Per MARAC and 12-month period (four quarters to period_end), SafeLives'' rules: complete, carried (one quarter missing, carried forward from the previous quarter) or left out (two or more missing, or a missing first quarter with nothing to carry) with the reason; the 12-month counts of the MARACs used';

-- Per force and 12-month period: the figures over the MARACs used (complete or carried), the
-- MARACs behind them, and the MARACs left out (listed with their population unused). Rates
-- are ratios of sums over the MARACs that have both counts (pairwise complete), as everywhere
-- in the kit; maracs_in_* say how many MARACs each rate is over.
CREATE VIEW da.marac_12_months WITH (security_invoker = true) AS
WITH g AS (
    SELECT s.force_id, s.period_start, s.period_end, s.period,
           count(*) AS maracs_expected,
           count(*) FILTER (WHERE s.status <> 'left out') AS maracs_included,
           count(*) FILTER (WHERE s.status = 'complete') AS maracs_complete,
           count(*) FILTER (WHERE s.status = 'carried') AS maracs_carried,
           count(*) FILTER (WHERE s.status = 'left out') AS maracs_left_out,
           -- Sums in numeric: valid (bigint) counts of several MARACs and quarters may exceed
           -- bigint, and one huge return must not make the view fail for every period.
           sum(s.cases) AS cases,
           sum(s.repeat_cases) AS repeat_cases,
           sum(s.children) AS children,
           sum(s.adult_females) AS adult_females,
           -- The pairs each rate is over (ratio of sums, pairwise complete), also for its CI.
           sum(s.cases) FILTER (WHERE s.adult_females IS NOT NULL) AS rate_cases,
           sum(s.adult_females) FILTER (WHERE s.cases IS NOT NULL) AS rate_adult_females,
           sum(s.repeat_cases) FILTER (WHERE s.cases IS NOT NULL) AS pair_repeats,
           sum(s.cases) FILTER (WHERE s.repeat_cases IS NOT NULL) AS pair_cases,
           sum(s.children) FILTER (WHERE s.cases IS NOT NULL) AS child_children,
           sum(s.cases) FILTER (WHERE s.children IS NOT NULL) AS child_cases,
           count(*) FILTER (WHERE s.cases IS NOT NULL AND s.adult_females IS NOT NULL) AS maracs_in_cases_per_10k,
           count(*) FILTER (WHERE s.cases IS NOT NULL AND s.repeat_cases IS NOT NULL) AS maracs_in_repeat_rate,
           count(*) FILTER (WHERE s.cases IS NOT NULL AND s.children IS NOT NULL) AS maracs_in_children_per_case,
           coalesce(string_agg(s.marac_name || ' (quarter to ' || to_char(s.carried_quarter_end, 'FMDD Mon YYYY') || ' carried forward)',
                               '; ' ORDER BY s.marac_name) FILTER (WHERE s.status = 'carried'), '') AS carried_maracs,
           coalesce(string_agg(s.marac_name || ' (' || s.left_out_reason || ')', '; ' ORDER BY s.marac_name)
                    FILTER (WHERE s.status = 'left out'), '') AS left_out_maracs,
           coalesce(array_agg(s.marac_id ORDER BY s.marac_id) FILTER (WHERE s.status = 'left out'), '{}') AS left_out_marac_ids
    FROM da.marac_quarter_status s
    GROUP BY s.force_id, s.period_start, s.period_end, s.period
)
-- Counts numeric(38,0): sums of valid (bigint) counts over quarters and MARACs may exceed
-- bigint, not 10^38. Rates numeric(P,4) as the chart-ready views declare them (62_bi_views.sql),
-- P the smallest precision no value from such sums overflows. Confidence limits need bigint
-- sides: NULL beyond bigint, and then numeric(27,4) / numeric(25,4) as before.
SELECT g.force_id, f.name AS force_name, g.period_start, g.period_end, g.period,
       g.maracs_expected, g.maracs_included, g.maracs_complete, g.maracs_carried, g.maracs_left_out,
       g.maracs_carried > 0 AS carried_forward,
       g.cases::numeric(38,0) AS cases, g.repeat_cases::numeric(38,0) AS repeat_cases,
       g.children::numeric(38,0) AS children, g.adult_females::numeric(38,0) AS adult_females,
       r.cases_per_10k::numeric(46,4) AS cases_per_10k,
       (CASE WHEN g.rate_adult_females > 0 AND g.rate_adult_females <= 9223372036854775807 AND g.rate_cases <= 9223372036854775807
                   THEN da.rate_ci_lower(g.rate_cases::bigint, g.rate_adult_females::bigint, 10000) END)::numeric(27,4) AS cases_per_10k_lower,
       (CASE WHEN g.rate_adult_females > 0 AND g.rate_adult_females <= 9223372036854775807 AND g.rate_cases <= 9223372036854775807
                   THEN da.rate_ci_upper(g.rate_cases::bigint, g.rate_adult_females::bigint, 10000) END)::numeric(27,4) AS cases_per_10k_upper,
       da.safelives_marac_expected()::numeric(27,4) AS safelives_expected,
       (r.cases_per_10k - da.safelives_marac_expected()::numeric)::numeric(46,4) AS vs_expected,
       r.repeat_rate::numeric(44,4) AS repeat_rate,
       (CASE WHEN g.pair_repeats <= g.pair_cases AND g.pair_cases <= 9223372036854775807
                   THEN da.wilson_ci_lower(g.pair_repeats::bigint, g.pair_cases::bigint, 100) END)::numeric(25,4) AS repeat_rate_lower,
       (CASE WHEN g.pair_repeats <= g.pair_cases AND g.pair_cases <= 9223372036854775807
                   THEN da.wilson_ci_upper(g.pair_repeats::bigint, g.pair_cases::bigint, 100) END)::numeric(25,4) AS repeat_rate_upper,
       r.children_per_case::numeric(42,4) AS children_per_case,
       g.maracs_in_cases_per_10k, g.maracs_in_repeat_rate, g.maracs_in_children_per_case,
       g.carried_maracs, g.left_out_maracs, g.left_out_marac_ids
FROM g JOIN da.force f ON f.force_id = g.force_id
CROSS JOIN LATERAL (SELECT CASE WHEN g.rate_adult_females > 0 THEN 10000 * g.rate_cases / g.rate_adult_females END AS cases_per_10k,
                           CASE WHEN g.pair_cases > 0 THEN 100 * g.pair_repeats / g.pair_cases END AS repeat_rate,
                           CASE WHEN g.child_cases > 0 THEN g.child_children / g.child_cases END AS children_per_case) r;
COMMENT ON VIEW da.marac_12_months IS
    'MARAC figures per force and 12-month period from quarterly returns with SafeLives'' rules: cases, repeat rate (%, Wilson CI), children per case, cases per 10,000 adult females (Poisson CI) over the MARACs used; counts of MARACs complete / carried forward / left out (with their population), and who';



-- Every column described (the catalogue is the documentation, 90_comments.sql).
COMMENT ON COLUMN da.marac_area.marac_id IS 'Short identifier of the MARAC (lower case, e.g. kent_medway); ingest also accepts its name';
COMMENT ON COLUMN da.marac_area.name IS 'Name of the MARAC as source data write it (unique whatever the letter case)';
COMMENT ON COLUMN da.marac_area.force_id IS 'The force (da.force) whose area the MARAC covers';
COMMENT ON COLUMN da.marac_area.active_from IS 'First day of the first quarter the MARAC is expected to return; NULL = no start';
COMMENT ON COLUMN da.marac_area.active_to IS 'Last day of the last quarter the MARAC is expected to return; NULL = still open';
COMMENT ON COLUMN da.marac_return.marac_id IS 'The MARAC (da.marac_area)';
COMMENT ON COLUMN da.marac_return.force_id IS 'The MARAC''s force (row-level security is by force)';
COMMENT ON COLUMN da.marac_return.quarter_start IS 'First day of the calendar quarter';
COMMENT ON COLUMN da.marac_return.quarter_end IS 'Last day of the calendar quarter (31 March, 30 June, 30 September or 31 December)';
COMMENT ON COLUMN da.marac_return.cases IS 'Cases discussed in the quarter, repeats included (count); NULL = quarter not returned';
COMMENT ON COLUMN da.marac_return.repeat_cases IS 'Repeat cases among them (count); NULL = unable to provide';
COMMENT ON COLUMN da.marac_return.children IS 'Children in the households of the cases (count); NULL = unable to provide';
COMMENT ON COLUMN da.marac_return.adult_females IS 'Adult (16+) female population the MARAC covers (people); NULL = unable to provide';
COMMENT ON COLUMN da.marac_return.source IS 'Where the values came from (the row''s source, else the ingest''s)';
COMMENT ON COLUMN da.marac_return.loaded_at IS 'When the values were last set';
COMMENT ON COLUMN da.marac_return.load_id IS 'The load (da.return_load) that last set the values';
COMMENT ON COLUMN da.marac_return_history.history_id IS 'Order of the corrections';
COMMENT ON COLUMN da.marac_return_history.marac_id IS 'The MARAC';
COMMENT ON COLUMN da.marac_return_history.force_id IS 'The MARAC''s force (row-level security is by force)';
COMMENT ON COLUMN da.marac_return_history.quarter_end IS 'Last day of the quarter corrected';
COMMENT ON COLUMN da.marac_return_history.old_cases IS 'Cases before the correction (NULL = not returned)';
COMMENT ON COLUMN da.marac_return_history.old_repeat_cases IS 'Repeat cases before the correction (NULL = unable to provide)';
COMMENT ON COLUMN da.marac_return_history.old_children IS 'Children before the correction (NULL = unable to provide)';
COMMENT ON COLUMN da.marac_return_history.old_adult_females IS 'Adult female population before the correction (NULL = unable to provide)';
COMMENT ON COLUMN da.marac_return_history.new_cases IS 'Cases set by the correction (NULL = not returned)';
COMMENT ON COLUMN da.marac_return_history.new_repeat_cases IS 'Repeat cases set by the correction (NULL = unable to provide)';
COMMENT ON COLUMN da.marac_return_history.new_children IS 'Children set by the correction (NULL = unable to provide)';
COMMENT ON COLUMN da.marac_return_history.new_adult_females IS 'Adult female population set by the correction (NULL = unable to provide)';
COMMENT ON COLUMN da.marac_return_history.old_source IS 'Source of the replaced values';
COMMENT ON COLUMN da.marac_return_history.new_source IS 'Source of the new values';
COMMENT ON COLUMN da.marac_return_history.old_loaded_at IS 'When the replaced values had been loaded';
COMMENT ON COLUMN da.marac_return_history.old_load_id IS 'The load that had set the replaced values';
COMMENT ON COLUMN da.marac_return_history.load_id IS 'The load that made the correction';
COMMENT ON COLUMN da.marac_return_history.changed_at IS 'When the correction was made';
COMMENT ON COLUMN da.marac_return_history.changed_by IS 'The role that called the ingest';
COMMENT ON COLUMN da.marac_staging.staged_id IS 'Order of staging (gives the rejected row''s line_no)';
COMMENT ON COLUMN da.marac_staging.marac IS 'MARAC id or name, as in the file';
COMMENT ON COLUMN da.marac_staging.force IS 'Force as in the file (optional; must be the MARAC''s force when given)';
COMMENT ON COLUMN da.marac_staging.period_start IS 'First day of the quarter, YYYY-MM-DD (text as staged)';
COMMENT ON COLUMN da.marac_staging.period_end IS 'Last day of the quarter, YYYY-MM-DD (text as staged)';
COMMENT ON COLUMN da.marac_staging.cases IS 'Cases discussed, as in the file (1711, 1711.0, 1,711; empty = quarter not returned)';
COMMENT ON COLUMN da.marac_staging.repeat_cases IS 'Repeat cases, as in the file (empty = unable to provide)';
COMMENT ON COLUMN da.marac_staging.children IS 'Children, as in the file (empty = unable to provide)';
COMMENT ON COLUMN da.marac_staging.adult_females IS 'Adult female population covered, as in the file (empty = unable to provide)';
COMMENT ON COLUMN da.marac_staging.source IS 'Source of the row (else the ingest''s source argument)';
COMMENT ON COLUMN da.marac_staging.staged_by IS 'The role that staged the row: only its ingest takes it';
COMMENT ON COLUMN da.marac_staging.staged_at IS 'When the row was staged';
COMMENT ON COLUMN da.rejected_marac_return.rejected_id IS 'Order of rejection';
COMMENT ON COLUMN da.rejected_marac_return.load_id IS 'The load (da.return_load) that refused the row';
COMMENT ON COLUMN da.rejected_marac_return.line_no IS 'Line in the staged file, the CSV header being line 1';
COMMENT ON COLUMN da.rejected_marac_return.marac IS 'MARAC as staged';
COMMENT ON COLUMN da.rejected_marac_return.force IS 'Force as staged';
COMMENT ON COLUMN da.rejected_marac_return.period_start IS 'period_start as staged';
COMMENT ON COLUMN da.rejected_marac_return.period_end IS 'period_end as staged';
COMMENT ON COLUMN da.rejected_marac_return.cases IS 'cases as staged';
COMMENT ON COLUMN da.rejected_marac_return.repeat_cases IS 'repeat_cases as staged';
COMMENT ON COLUMN da.rejected_marac_return.children IS 'children as staged';
COMMENT ON COLUMN da.rejected_marac_return.adult_females IS 'adult_females as staged';
COMMENT ON COLUMN da.rejected_marac_return.source IS 'source as staged';
COMMENT ON COLUMN da.rejected_marac_return.reason IS 'Every reason the row was refused, separated by "; "';
COMMENT ON COLUMN da.rejected_marac_return.rejected_at IS 'When the row was refused';
COMMENT ON COLUMN da.rejected_marac_return.rejected_by IS 'The role that called the ingest';
COMMENT ON COLUMN da.rejected_marac_return.marac_force_id IS 'Force of the MARAC as the ingest resolved it, with owner rights (row-level security is by it); NULL when the MARAC is unknown or of a force the loader may not load (then the staged force decides)';
COMMENT ON COLUMN da.marac_quarter_status.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.marac_quarter_status.period_start IS 'First day of the 12-month period (four calendar quarters)';
COMMENT ON COLUMN da.marac_quarter_status.period_end IS 'Last day of the 12-month period (a quarter end some MARAC of the force returned)';
COMMENT ON COLUMN da.marac_quarter_status.period IS 'Name of the period: 12 months to 31 March 2017';
COMMENT ON COLUMN da.marac_quarter_status.marac_id IS 'The MARAC (da.marac_area)';
COMMENT ON COLUMN da.marac_quarter_status.marac_name IS 'Name of the MARAC';
COMMENT ON COLUMN da.marac_quarter_status.status IS 'complete (four quarters), carried (one missing, carried forward from the previous quarter) or left out (with its population)';
COMMENT ON COLUMN da.marac_quarter_status.quarters_missing IS 'Quarters of the four not returned (no row, or no cases)';
COMMENT ON COLUMN da.marac_quarter_status.carried_quarter_end IS 'The quarter filled from the previous quarter; NULL unless carried';
COMMENT ON COLUMN da.marac_quarter_status.missing_quarters IS 'The quarters not returned, as text (e.g. 30 Sep 2016, 31 Dec 2016); NULL when none';
COMMENT ON COLUMN da.marac_quarter_status.left_out_reason IS 'Why the MARAC is left out; NULL unless left out';
COMMENT ON COLUMN da.marac_quarter_status.cases IS '12-month cases after carrying forward (count); NULL when left out';
COMMENT ON COLUMN da.marac_quarter_status.repeat_cases IS '12-month repeat cases (count); NULL when left out or a quarter used is unable to provide';
COMMENT ON COLUMN da.marac_quarter_status.children IS '12-month children (count); NULL when left out or a quarter used is unable to provide';
COMMENT ON COLUMN da.marac_quarter_status.adult_females IS 'Adult female population of the last quarter (carried with it) (people); NULL when left out or unable to provide';
COMMENT ON COLUMN da.marac_12_months.force_id IS 'The force (da.force)';
COMMENT ON COLUMN da.marac_12_months.force_name IS 'Name of the force as published';
COMMENT ON COLUMN da.marac_12_months.period_start IS 'First day of the 12-month period (four calendar quarters)';
COMMENT ON COLUMN da.marac_12_months.period_end IS 'Last day of the 12-month period';
COMMENT ON COLUMN da.marac_12_months.period IS 'Name of the period: 12 months to 31 March 2017';
COMMENT ON COLUMN da.marac_12_months.maracs_expected IS 'MARACs of the force expected in the period (da.marac_area, active)';
COMMENT ON COLUMN da.marac_12_months.maracs_included IS 'MARACs the figures are over: complete + carried';
COMMENT ON COLUMN da.marac_12_months.maracs_complete IS 'MARACs that returned all four quarters';
COMMENT ON COLUMN da.marac_12_months.maracs_carried IS 'MARACs with one quarter carried forward from the previous quarter';
COMMENT ON COLUMN da.marac_12_months.maracs_left_out IS 'MARACs left out with their population (two or more quarters missing, or nothing to carry)';
COMMENT ON COLUMN da.marac_12_months.carried_forward IS 'true when a figure includes a quarter carried forward (flag it in publication)';
COMMENT ON COLUMN da.marac_12_months.cases IS 'Cases discussed, repeats included, over the MARACs included (count); NULL when none';
COMMENT ON COLUMN da.marac_12_months.repeat_cases IS 'Repeat cases over the MARACs included that gave them (count)';
COMMENT ON COLUMN da.marac_12_months.children IS 'Children over the MARACs included that gave them (count)';
COMMENT ON COLUMN da.marac_12_months.adult_females IS 'Adult female population of the MARACs included that gave it (people); left-out MARACs'' population is not in it';
COMMENT ON COLUMN da.marac_12_months.cases_per_10k IS 'Cases per 10,000 adult females over the MARACs with both (ratio of sums); NULL when none or population 0';
COMMENT ON COLUMN da.marac_12_months.cases_per_10k_lower IS 'Lower 95% Poisson limit (Byar/exact) of cases_per_10k; NULL with it';
COMMENT ON COLUMN da.marac_12_months.cases_per_10k_upper IS 'Upper 95% Poisson limit (Byar/exact) of cases_per_10k; NULL with it';
COMMENT ON COLUMN da.marac_12_months.safelives_expected IS 'SafeLives'' expected level: 40 cases per 10,000 adult females';
COMMENT ON COLUMN da.marac_12_months.vs_expected IS 'cases_per_10k minus 40 (per 10,000 adult females); NULL with cases_per_10k';
COMMENT ON COLUMN da.marac_12_months.repeat_rate IS 'Repeat cases as % of cases over the MARACs with both; NULL when none';
COMMENT ON COLUMN da.marac_12_months.repeat_rate_lower IS 'Lower 95% Wilson limit of repeat_rate (%); NULL with it or when repeats exceed cases';
COMMENT ON COLUMN da.marac_12_months.repeat_rate_upper IS 'Upper 95% Wilson limit of repeat_rate (%); NULL with it or when repeats exceed cases';
COMMENT ON COLUMN da.marac_12_months.children_per_case IS 'Children per case over the MARACs with both; NULL when none';
COMMENT ON COLUMN da.marac_12_months.maracs_in_cases_per_10k IS 'MARACs cases_per_10k is over (included, with cases and population)';
COMMENT ON COLUMN da.marac_12_months.maracs_in_repeat_rate IS 'MARACs repeat_rate is over (included, with cases and repeat cases)';
COMMENT ON COLUMN da.marac_12_months.maracs_in_children_per_case IS 'MARACs children_per_case is over (included, with cases and children)';
COMMENT ON COLUMN da.marac_12_months.carried_maracs IS 'The MARACs carried forward and their quarter, as text ('''' when none)';
COMMENT ON COLUMN da.marac_12_months.left_out_maracs IS 'The MARACs left out and why, as text ('''' when none)';
COMMENT ON COLUMN da.marac_12_months.left_out_marac_ids IS 'The marac_ids left out, as an array (left_out_maracs is the text twin)';


SELECT pg_catalog.pg_extension_config_dump('da.marac_area', '');
SELECT pg_catalog.pg_extension_config_dump('da.marac_return', '');
SELECT pg_catalog.pg_extension_config_dump('da.marac_return_history', '');
SELECT pg_catalog.pg_extension_config_dump('da.marac_return_history_history_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('da.rejected_marac_return', '');
SELECT pg_catalog.pg_extension_config_dump('da.rejected_marac_return_rejected_id_seq', '');
