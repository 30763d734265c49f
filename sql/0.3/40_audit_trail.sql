-------------------------------------------------------------------------------
-- The audit trail is written only by the ingest (issue 11).
--
-- Loaders stage rows and call da.ingest_returns / da.ingest_outcomes; they cannot write
-- da.force_return, da.force_return_outcomes, their histories, da.return_load or
-- da.rejected_return themselves. The ingest functions run as the extension's owner
-- (SECURITY DEFINER, pinned search_path) and check every row against the forces of the
-- role that called them (da.calling_role(): SET ROLE or the login role, not the owner).
-- Each staged row carries its session's key, and an ingest takes only its own session's
-- rows: two jobs of one loader never mix.
-------------------------------------------------------------------------------

ALTER TABLE da.return_staging ADD COLUMN staged_session text NOT NULL DEFAULT da.staging_session();
ALTER TABLE da.outcome_staging ADD COLUMN staged_session text NOT NULL DEFAULT da.staging_session();
COMMENT ON COLUMN da.return_staging.staged_session IS 'da.staging_session() of the session that staged the row: only that session''s ingest takes it';
COMMENT ON COLUMN da.outcome_staging.staged_session IS 'da.staging_session() of the session that staged the row: only that session''s ingest takes it';

-- The stored returns and their histories: read by force; no policy for writing, so even a
-- mistaken GRANT INSERT gives no role but the owner a way in.
DROP POLICY force_access ON da.force_return;
CREATE POLICY force_read ON da.force_return FOR SELECT USING (da.may_access_force(force_id));
DROP POLICY force_access ON da.force_return_history;
CREATE POLICY force_read ON da.force_return_history FOR SELECT USING (da.may_access_force(force_id));
DROP POLICY force_access ON da.force_return_outcomes;
CREATE POLICY force_read ON da.force_return_outcomes FOR SELECT USING (da.may_access_force(force_id));
DROP POLICY force_access ON da.force_return_outcomes_history;
CREATE POLICY force_read ON da.force_return_outcomes_history FOR SELECT USING (da.may_access_force(force_id));

-- Loads: your own, or all of them for a role that sees every force.
ALTER TABLE da.return_load ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_or_all_forces ON da.return_load FOR SELECT
    USING (loaded_by = current_user OR da.may_access_force(NULL));
-- Rejected rows: those of your own loads, and other loads' rows for the forces you may see.
ALTER TABLE da.rejected_return ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_load_or_force ON da.rejected_return FOR SELECT
    USING (da.may_access_force(NULL)
           OR EXISTS (SELECT 1 FROM da.return_load l WHERE l.load_id = rejected_return.load_id AND l.loaded_by = current_user)
           OR da.may_access_force(da.resolve_force(force)));
-- Recorded validation findings: by force (a finding with no force: roles that see every force).
ALTER TABLE da.validation_finding ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_read ON da.validation_finding FOR SELECT USING (da.may_access_force(force_id));

CREATE OR REPLACE FUNCTION da.ingest_returns(source text DEFAULT NULL,
                                  OUT load_id bigint, OUT inserted bigint, OUT updated bigint,
                                  OUT unchanged bigint, OUT rejected bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_caller  name := da.calling_role();
    v_session text := da.staging_session();
    v_source text := ingest_returns.source;
    v_staged bigint;
BEGIN
    LOCK TABLE da.force_return IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO da.return_load (kind, source, loaded_by) VALUES ('returns', v_source, v_caller) RETURNING return_load.load_id INTO load_id;

    WITH staged AS (
        DELETE FROM da.return_staging s WHERE s.staged_by = v_caller AND s.staged_session = v_session
        RETURNING s.*
    ), forces AS MATERIALIZED (
        -- Names, dates and permissions are resolved once per distinct value, not per row.
        SELECT n.force, n.f_id, da.role_may_access_force(v_caller, n.f_id) AS f_ok
        FROM (SELECT d.force, da.resolve_force(d.force) AS f_id FROM (SELECT DISTINCT s.force FROM staged s) d) n
    ), dates AS (
        SELECT d.t, da.parse_iso_date(d.t) AS d
        FROM (SELECT s.period_start AS t FROM staged s UNION SELECT s.period_end FROM staged s) d
    ), numbered AS (
        SELECT s.*, row_number() OVER (ORDER BY s.staged_id) + 1 AS line_no,
               f.f_id, f.f_ok, m.measure_id AS m_id, ds.d AS p_start, de.d AS p_end,
               da.count_problem(s.value) AS v_problem
        FROM staged s
        LEFT JOIN forces f ON f.force = s.force
        LEFT JOIN da.measure m ON m.measure_id = lower(btrim(s.measure))
        LEFT JOIN dates ds ON ds.t = s.period_start
        LEFT JOIN dates de ON de.t = s.period_end
    ), checked AS (
        SELECT n.*,
               array_remove(ARRAY[
                 CASE WHEN coalesce(btrim(n.force), '') = '' THEN 'missing force'
                      WHEN n.f_id IS NULL THEN format('unknown force "%s"', n.force)
                      WHEN NOT n.f_ok THEN format('not permitted to load force "%s"', n.f_id) END,
                 CASE WHEN coalesce(btrim(n.measure), '') = '' THEN 'missing measure'
                      WHEN n.m_id IS NULL THEN format('unknown measure "%s"', n.measure) END,
                 CASE WHEN n.p_start IS NULL THEN format('malformed period_start "%s" (expected YYYY-MM-DD)', n.period_start) END,
                 CASE WHEN n.p_end IS NULL THEN format('malformed period_end "%s" (expected YYYY-MM-DD)', n.period_end) END,
                 CASE WHEN n.p_start IS NULL OR n.p_end IS NULL THEN NULL
                      WHEN n.p_end < n.p_start THEN 'period ends before it starts'
                      WHEN coalesce(da.period_months(n.p_start, n.p_end), 0) NOT IN (1, 3, 12)
                      THEN 'period is not 1, 3 or 12 calendar months' END,
                 n.v_problem], NULL) AS reasons
        FROM numbered n
    ), keyed AS (
        -- Duplicates within this load: every row of a duplicated key is refused, none chosen.
        SELECT c.*,
               CASE WHEN c.reasons = '{}' AND count(*) OVER k > 1
                    THEN 'duplicate in this load (lines ' || string_agg(c.line_no::text, ', ') OVER k || ')' END AS dup
        FROM checked c
        WINDOW k AS (PARTITION BY c.reasons = '{}', c.f_id, c.p_start, c.p_end, c.m_id
                     ORDER BY c.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ), sorted AS (
        SELECT k.*, array_remove(k.reasons || k.dup, NULL) AS all_reasons FROM keyed k
    ), rej AS (
        INSERT INTO da.rejected_return (load_id, line_no, force, period_start, period_end, measure, value, source, reason, rejected_by)
        SELECT ingest_returns.load_id, s.line_no, s.force, s.period_start, s.period_end, s.measure, s.value,
               s.source, array_to_string(s.all_reasons, '; '), v_caller
        FROM sorted s WHERE s.all_reasons <> '{}'
        RETURNING 1
    ), good AS (
        SELECT s.f_id, s.p_start, s.p_end, s.m_id, da.parse_count(s.value) AS val,
               coalesce(nullif(btrim(s.source), ''), v_source) AS src,
               fr.force_id IS NOT NULL AS existed, fr.value AS old_value, fr.source AS old_source,
               fr.loaded_at AS old_loaded_at, fr.load_id AS old_load_id
        FROM sorted s
        LEFT JOIN da.force_return fr
               ON (fr.force_id, fr.period_start, fr.period_end, fr.measure_id) = (s.f_id, s.p_start, s.p_end, s.m_id)
        WHERE s.all_reasons = '{}'
    ), hist AS (
        INSERT INTO da.force_return_history (force_id, period_start, period_end, measure_id, old_value, new_value,
                                             old_source, new_source, old_loaded_at, old_load_id, load_id, changed_by)
        SELECT g.f_id, g.p_start, g.p_end, g.m_id, g.old_value, g.val, g.old_source, g.src, g.old_loaded_at,
               g.old_load_id, ingest_returns.load_id, v_caller
        FROM good g WHERE g.existed AND g.old_value IS DISTINCT FROM g.val
        RETURNING 1
    ), ups AS (
        INSERT INTO da.force_return AS fr (force_id, period_start, period_end, measure_id, value, source, load_id)
        SELECT g.f_id, g.p_start, g.p_end, g.m_id, g.val, g.src, ingest_returns.load_id
        FROM good g WHERE NOT g.existed OR g.old_value IS DISTINCT FROM g.val
        ON CONFLICT (force_id, period_start, period_end, measure_id)
        DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, load_id = EXCLUDED.load_id, loaded_at = now()
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM sorted),
           (SELECT count(*) FROM good WHERE NOT existed),
           (SELECT count(*) FROM good WHERE existed AND old_value IS DISTINCT FROM val),
           (SELECT count(*) FROM good WHERE existed AND old_value IS NOT DISTINCT FROM val),
           (SELECT count(*) FROM rej)
      INTO v_staged, inserted, updated, unchanged, rejected;

    UPDATE da.return_load l
       SET staged = v_staged, inserted = ingest_returns.inserted, updated = ingest_returns.updated,
           unchanged = ingest_returns.unchanged, rejected = ingest_returns.rejected
     WHERE l.load_id = ingest_returns.load_id;
END $$;

CREATE OR REPLACE FUNCTION da.ingest_outcomes(source text DEFAULT NULL,
                                   OUT load_id bigint, OUT inserted bigint, OUT updated bigint,
                                   OUT unchanged bigint, OUT rejected bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_caller  name := da.calling_role();
    v_session text := da.staging_session();
    v_source text := ingest_outcomes.source;
    v_staged bigint;
BEGIN
    LOCK TABLE da.force_return_outcomes IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO da.return_load (kind, source, loaded_by) VALUES ('outcomes', v_source, v_caller) RETURNING return_load.load_id INTO load_id;

    WITH staged AS (
        DELETE FROM da.outcome_staging s WHERE s.staged_by = v_caller AND s.staged_session = v_session
        RETURNING s.*
    ), forces AS MATERIALIZED (
        SELECT n.force, n.f_id, da.role_may_access_force(v_caller, n.f_id) AS f_ok
        FROM (SELECT d.force, da.resolve_force(d.force) AS f_id FROM (SELECT DISTINCT s.force FROM staged s) d) n
    ), dates AS (
        SELECT d.t, da.parse_iso_date(d.t) AS d
        FROM (SELECT s.period_start AS t FROM staged s UNION SELECT s.period_end FROM staged s) d
    ), numbered AS (
        SELECT s.*, row_number() OVER (ORDER BY s.staged_id) + 1 AS line_no,
               f.f_id, f.f_ok, oc.code AS o_code, ds.d AS p_start, de.d AS p_end,
               da.count_problem(s.value) AS v_problem,
               coalesce(btrim(s.value), '') = '' AS v_empty,
               coalesce(btrim(s.outcome), '') = '' AS o_empty
        FROM staged s
        LEFT JOIN forces f ON f.force = s.force
        LEFT JOIN da.outcome_code oc ON oc.code = upper(btrim(s.outcome))
        LEFT JOIN dates ds ON ds.t = s.period_start
        LEFT JOIN dates de ON de.t = s.period_end
    ), checked AS (
        SELECT n.*,
               array_remove(ARRAY[
                 CASE WHEN coalesce(btrim(n.force), '') = '' THEN 'missing force'
                      WHEN n.f_id IS NULL THEN format('unknown force "%s"', n.force)
                      WHEN NOT n.f_ok THEN format('not permitted to load force "%s"', n.f_id) END,
                 CASE WHEN n.o_empty AND NOT n.v_empty THEN 'missing outcome code'
                      WHEN NOT n.o_empty AND n.o_code IS NULL THEN format('unknown outcome code "%s"', n.outcome) END,
                 CASE WHEN n.p_start IS NULL THEN format('malformed period_start "%s" (expected YYYY-MM-DD)', n.period_start) END,
                 CASE WHEN n.p_end IS NULL THEN format('malformed period_end "%s" (expected YYYY-MM-DD)', n.period_end) END,
                 CASE WHEN n.p_start IS NULL OR n.p_end IS NULL THEN NULL
                      WHEN n.p_end < n.p_start THEN 'period ends before it starts'
                      WHEN coalesce(da.period_months(n.p_start, n.p_end), 0) NOT IN (1, 3, 12)
                      THEN 'period is not 1, 3 or 12 calendar months' END,
                 n.v_problem], NULL) AS reasons
        FROM numbered n
    ), keyed AS (
        SELECT c.*,
               CASE WHEN c.reasons = '{}' AND count(*) OVER k > 1
                    THEN 'duplicate in this load (lines ' || string_agg(c.line_no::text, ', ') OVER k || ')'
                    WHEN c.reasons = '{}' AND c.v_empty AND count(*) FILTER (WHERE NOT c.v_empty) OVER g > 0
                    THEN 'empty count (unable to provide) mixed with counts for the same force and period'
                    WHEN c.reasons = '{}' AND c.v_empty AND NOT c.o_empty
                    THEN 'empty count for a single outcome code: leave the code empty to mark the whole period as unable to provide'
               END AS dup
        FROM checked c
        WINDOW k AS (PARTITION BY c.reasons = '{}', c.f_id, c.p_start, c.p_end, c.o_code
                     ORDER BY c.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
               g AS (PARTITION BY c.reasons = '{}', c.f_id, c.p_start, c.p_end)
    ), sorted AS (
        SELECT k.*, array_remove(k.reasons || k.dup, NULL) AS all_reasons FROM keyed k
    ), rej AS (
        INSERT INTO da.rejected_return (load_id, line_no, force, period_start, period_end, measure, value, source, reason, rejected_by)
        SELECT ingest_outcomes.load_id, s.line_no, s.force, s.period_start, s.period_end, s.outcome, s.value,
               s.source, array_to_string(s.all_reasons, '; '), v_caller
        FROM sorted s WHERE s.all_reasons <> '{}'
        RETURNING 1
    ), good AS (
        SELECT s.f_id, s.p_start, s.p_end, s.o_code, da.parse_count(s.value) AS n,
               coalesce(nullif(btrim(s.source), ''), v_source) AS src,
               fr.force_id IS NOT NULL AS existed, fr.outcomes AS old_outcomes,
               fr.source AS old_source, fr.loaded_at AS old_loaded_at, fr.load_id AS old_load_id
        FROM sorted s
        LEFT JOIN da.force_return_outcomes fr
               ON (fr.force_id, fr.period_start, fr.period_end) = (s.f_id, s.p_start, s.p_end)
        WHERE s.all_reasons = '{}'
    ), graded AS (
        SELECT g.*,
               CASE WHEN NOT g.existed THEN 'inserted'
                    WHEN g.o_code IS NULL THEN CASE WHEN g.old_outcomes IS NULL THEN 'unchanged' ELSE 'updated' END
                    WHEN g.old_outcomes IS NULL THEN 'updated'
                    WHEN da.outcome_n(g.old_outcomes, g.o_code) = g.n THEN 'unchanged'
                    ELSE 'updated' END AS fate
        FROM good g
    ), periods AS (
        -- The force-periods this load changes.
        SELECT g.f_id, g.p_start, g.p_end, bool_or(g.existed) AS existed, bool_and(g.o_code IS NULL) AS unable,
               (array_agg(g.old_outcomes))[1] AS old_outcomes, (array_agg(g.old_source))[1] AS old_source,
               (array_agg(g.old_loaded_at))[1] AS old_loaded_at, (array_agg(g.old_load_id))[1] AS old_load_id,
               (array_agg(g.src ORDER BY g.src NULLS LAST))[1] AS src
        FROM graded g
        GROUP BY g.f_id, g.p_start, g.p_end
        HAVING bool_or(g.fate <> 'unchanged')
    ), counts AS (
        -- Their new counts: the loaded codes, plus the stored counts of the codes not mentioned.
        SELECT g.f_id, g.p_start, g.p_end, g.o_code AS code, g.n
        FROM good g JOIN periods p USING (f_id, p_start, p_end)
        WHERE g.o_code IS NOT NULL
        UNION ALL
        SELECT p.f_id, p.p_start, p.p_end, t.code, t.n
        FROM periods p CROSS JOIN LATERAL da.outcome_table(p.old_outcomes) t
        WHERE t.n > 0 AND NOT p.unable
          AND NOT EXISTS (SELECT 1 FROM good g
                          WHERE (g.f_id, g.p_start, g.p_end, g.o_code) = (p.f_id, p.p_start, p.p_end, t.code))
    ), merged AS (
        SELECT p.f_id, p.p_start, p.p_end, p.existed, p.old_outcomes, p.old_source, p.old_loaded_at, p.old_load_id, p.src,
               CASE WHEN NOT p.unable THEN a.outcomes END AS new_outcomes
        FROM periods p
        LEFT JOIN (SELECT c.f_id, c.p_start, c.p_end, da.outcome_agg(c.code, c.n) AS outcomes
                   FROM counts c GROUP BY c.f_id, c.p_start, c.p_end) a USING (f_id, p_start, p_end)
    ), hist AS (
        INSERT INTO da.force_return_outcomes_history (force_id, period_start, period_end, old_outcomes, new_outcomes,
                                                      old_source, new_source, old_loaded_at, old_load_id, load_id, changed_by)
        SELECT p.f_id, p.p_start, p.p_end, p.old_outcomes, p.new_outcomes, p.old_source, p.src,
               p.old_loaded_at, p.old_load_id, ingest_outcomes.load_id, v_caller
        FROM merged p WHERE p.existed
        RETURNING 1
    ), ups AS (
        INSERT INTO da.force_return_outcomes AS fr (force_id, period_start, period_end, outcomes, source, load_id)
        SELECT p.f_id, p.p_start, p.p_end, p.new_outcomes, p.src, ingest_outcomes.load_id FROM merged p
        ON CONFLICT (force_id, period_start, period_end)
        DO UPDATE SET outcomes = EXCLUDED.outcomes, source = EXCLUDED.source, load_id = EXCLUDED.load_id,
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
       SET staged = v_staged, inserted = ingest_outcomes.inserted, updated = ingest_outcomes.updated,
           unchanged = ingest_outcomes.unchanged, rejected = ingest_outcomes.rejected
     WHERE l.load_id = ingest_outcomes.load_id;
END $$;



