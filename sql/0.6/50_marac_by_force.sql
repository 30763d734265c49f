-------------------------------------------------------------------------------
-- MARAC returns distributed by force_id, the MARAC figures on the workers (issue 10).
--
-- Until 0.5 da.distribute_warehouse() made the MARAC tables reference tables: da.marac_12_months
-- ran as one task on the coordinator's placements (1.06-1.16x one node). Now:
--
--   da.marac_return, da.marac_return_history
--       distributed by force_id, co-located with da.force_return (part 80). Citus wants the
--       distribution column in every unique key, so their keys take force_id first:
--       marac_return (force_id, marac_id, quarter_end), marac_return_history
--       (force_id, history_id) as force_return_history has had since 0.4. The uniqueness is
--       the same as before: a MARAC belongs to one force (da.marac_area's key is marac_id, and
--       every return names its MARAC's force through the key (marac_id, force_id) ->
--       da.marac_area), so (marac_id, quarter_end) still cannot be loaded twice, also for a
--       MARAC given to another force.
--   da.marac_area
--       stays a reference table, keyed as before: marac_id, and the name whatever its letter
--       case, unique across all forces (the ingest resolves names against it, and a MARAC id
--       or name used by two forces stays impossible; Citus could not keep either key on a
--       table distributed by force_id). A reference table is on every node, so the views'
--       joins with it still run on the shards.
--   The key (marac_id, force_id) -> da.marac_area loses ON UPDATE CASCADE: Citus refuses a
--       cascading update of the distribution column. Giving a MARAC with returns to another
--       force, or renaming a force with MARAC returns, is now refused (as for da.force_return,
--       whose key to da.force never cascaded) instead of rewriting the returns' force (and not
--       their history's). One node and Citus behave alike: the change is made everywhere.
--   da.ingest_marac
--       its ON CONFLICT names the new key, and it reads the existing row by it. Same
--       accounting, rejects, history and reload.
--   da.marac_quarter_status
--       joins a MARAC's returns on (force_id, marac_id, quarter end) and carries quarters
--       forward in windows PARTITION BY force_id, marac_id, period_end: the same rows (the
--       force follows from the MARAC), and Citus runs the whole view, and da.marac_12_months
--       over it (grouped by force_id), on the shards. Same columns.
--
-- How the key changes reach a warehouse. The tables are data (since 0.4), like the views:
-- the statements are recorded with da.warehouse_change (0.5, part 10), applied to an existing
-- warehouse by ALTER EXTENSION UPDATE and replayed by da.create_warehouse() after the 0.4
-- layout. da.warehouse_apply already took tables; for a table it now
--   - does not adopt it into the extension (ALTER TABLE needs no membership; only CREATE OR
--     REPLACE of a view does),
--   - leaves Citus's DDL propagation as it is (a distributed or reference table's shards and
--     the workers' shells must change with it; a view lives on the coordinator only), and
--   - does nothing on a Citus worker (ALTER EXTENSION UPDATE runs the script there too; the
--     coordinator's statement reaches the worker's shards and shells).
-- A 0.5 warehouse distributed on Citus so gets the new keys on its reference tables during
-- ALTER EXTENSION UPDATE (its ingest keeps working), and da.distribute_warehouse() called
-- again turns those two reference tables into distributed ones, with their rows (part 80).
-------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION da.warehouse_apply(relation text, ddl text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    rel regclass := pg_catalog.to_regclass(warehouse_apply.relation);
    kind text;
    member boolean;
    propagation text := pg_catalog.current_setting('citus.enable_ddl_propagation', true);
    coordinator boolean := true;
BEGIN
    IF rel IS NULL THEN
        RETURN;
    END IF;
    SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'r' THEN 'TABLE' END INTO kind
    FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) rel;
    IF kind IS NULL THEN
        RAISE EXCEPTION '% is neither a table nor a view', rel USING ERRCODE = 'wrong_object_type';
    END IF;
    IF kind OPERATOR(pg_catalog.=) 'TABLE' THEN
        -- A table: its own statement, propagated by Citus to shards and shells; on a worker
        -- the coordinator's statement does it.
        IF pg_catalog.to_regproc('pg_catalog.citus_is_coordinator') IS NOT NULL THEN
            EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO coordinator;
        END IF;
        IF coordinator THEN
            EXECUTE ddl;
        END IF;
        RETURN;
    END IF;
    member := EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                        AND d.objid OPERATOR(pg_catalog.=) rel AND d.deptype OPERATOR(pg_catalog.=) 'e');
    IF propagation IS NOT NULL THEN
        PERFORM pg_catalog.set_config('citus.enable_ddl_propagation', 'off', true);
    END IF;
    IF NOT member THEN
        EXECUTE pg_catalog.format('ALTER EXTENSION da_stats ADD %s %s', kind, rel);
    END IF;
    EXECUTE ddl;
    IF NOT member THEN
        EXECUTE pg_catalog.format('ALTER EXTENSION da_stats DROP %s %s', kind, rel);
    END IF;
    IF propagation IS NOT NULL THEN
        PERFORM pg_catalog.set_config('citus.enable_ddl_propagation', propagation, true);
    END IF;
END $$;
COMMENT ON FUNCTION da.warehouse_apply(text, text) IS
    'Internal: runs one change of da.warehouse_ddl on an existing warehouse relation (nothing when it does not exist; a table''s change only on the Citus coordinator, propagated to its shards)';

-- The keys. One statement each (Citus takes ADD CONSTRAINT alone).
SELECT da.warehouse_change('0.6', 'da.marac_return', $ddl$
ALTER TABLE da.marac_return DROP CONSTRAINT marac_return_pkey
$ddl$);
SELECT da.warehouse_change('0.6', 'da.marac_return', $ddl$
ALTER TABLE da.marac_return ADD CONSTRAINT marac_return_pkey PRIMARY KEY (force_id, marac_id, quarter_end)
$ddl$);
SELECT da.warehouse_change('0.6', 'da.marac_return', $ddl$
ALTER TABLE da.marac_return DROP CONSTRAINT marac_return_marac_id_force_id_fkey
$ddl$);
SELECT da.warehouse_change('0.6', 'da.marac_return', $ddl$
ALTER TABLE da.marac_return ADD CONSTRAINT marac_return_marac_id_force_id_fkey
    FOREIGN KEY (marac_id, force_id) REFERENCES da.marac_area (marac_id, force_id)
$ddl$);
SELECT da.warehouse_change('0.6', 'da.marac_return_history', $ddl$
ALTER TABLE da.marac_return_history DROP CONSTRAINT marac_return_history_pkey
$ddl$);
SELECT da.warehouse_change('0.6', 'da.marac_return_history', $ddl$
ALTER TABLE da.marac_return_history ADD CONSTRAINT marac_return_history_pkey PRIMARY KEY (force_id, history_id)
$ddl$);

-- The quarters of each MARAC, per force.
SELECT da.warehouse_change('0.6', 'da.marac_quarter_status', $ddl$
CREATE OR REPLACE VIEW da.marac_quarter_status WITH (security_invoker='true') AS
 WITH ends AS (
         SELECT DISTINCT r.force_id,
            r.quarter_end AS period_end
           FROM da.marac_return r
        ), expected AS (
         SELECT e.force_id,
            e.period_end,
            a.marac_id,
            a.name
           FROM (ends e
             JOIN da.marac_area a ON ((a.force_id = e.force_id)))
          WHERE (((a.active_from IS NULL) OR (a.active_from <= e.period_end)) AND ((a.active_to IS NULL) OR (a.active_to > da.quarter_end_before(e.period_end, 4))))
        ), quarters AS (
         SELECT x.force_id,
            x.period_end,
            x.marac_id,
            x.name,
            k.k,
            da.quarter_end_before(x.period_end, (3 - k.k)) AS quarter_end,
            (r.cases IS NOT NULL) AS returned,
            r.cases,
            r.repeat_cases,
            r.children,
            r.adult_females
           FROM ((expected x
             CROSS JOIN generate_series('-1'::integer, 3) k(k))
             LEFT JOIN da.marac_return r ON (((r.force_id = x.force_id) AND (r.marac_id = x.marac_id) AND (r.quarter_end = da.quarter_end_before(x.period_end, (3 - k.k))))))
        ), filled AS (
         SELECT q.force_id,
            q.period_end,
            q.marac_id,
            q.name,
            q.k,
            q.quarter_end,
            q.returned,
            q.cases,
            q.repeat_cases,
            q.children,
            q.adult_females,
            ((NOT q.returned) AND lag(q.returned) OVER w) AS carried,
                CASE
                    WHEN q.returned THEN q.cases
                    ELSE lag(q.cases) OVER w
                END AS f_cases,
                CASE
                    WHEN q.returned THEN q.repeat_cases
                    ELSE lag(q.repeat_cases) OVER w
                END AS f_repeat_cases,
                CASE
                    WHEN q.returned THEN q.children
                    ELSE lag(q.children) OVER w
                END AS f_children,
                CASE
                    WHEN q.returned THEN q.adult_females
                    ELSE lag(q.adult_females) OVER w
                END AS f_adult_females
           FROM quarters q
          WINDOW w AS (PARTITION BY q.force_id, q.marac_id, q.period_end ORDER BY q.k)
        ), per_marac AS (
         SELECT f.force_id,
            f.period_end,
            f.marac_id,
            f.name,
            count(*) FILTER (WHERE ((f.k >= 0) AND (NOT f.returned))) AS quarters_missing,
            count(*) FILTER (WHERE ((f.k >= 0) AND f.carried)) AS quarters_carried,
            max(f.quarter_end) FILTER (WHERE ((f.k >= 0) AND (NOT f.returned))) AS missing_quarter_end,
            string_agg(to_char((f.quarter_end)::timestamp with time zone, 'FMDD Mon YYYY'::text), ', '::text ORDER BY f.k) FILTER (WHERE ((f.k >= 0) AND (NOT f.returned))) AS missing_quarters,
            (sum(f.f_cases) FILTER (WHERE (f.k >= 0)))::numeric(20,0) AS cases,
            (
                CASE
                    WHEN (count(f.f_repeat_cases) FILTER (WHERE (f.k >= 0)) = 4) THEN sum(f.f_repeat_cases) FILTER (WHERE (f.k >= 0))
                    ELSE NULL::numeric
                END)::numeric(20,0) AS repeat_cases,
            (
                CASE
                    WHEN (count(f.f_children) FILTER (WHERE (f.k >= 0)) = 4) THEN sum(f.f_children) FILTER (WHERE (f.k >= 0))
                    ELSE NULL::numeric
                END)::numeric(20,0) AS children,
            max(f.f_adult_females) FILTER (WHERE (f.k = 3)) AS adult_females
           FROM filled f
          GROUP BY f.force_id, f.period_end, f.marac_id, f.name
        )
 SELECT p.force_id,
    (da.quarter_end_before(p.period_end, 4) + 1) AS period_start,
    p.period_end,
    da.period_label((da.quarter_end_before(p.period_end, 4) + 1), p.period_end) AS period,
    p.marac_id,
    p.name AS marac_name,
        CASE
            WHEN (p.quarters_missing = 0) THEN 'complete'::text
            WHEN ((p.quarters_missing = 1) AND (p.quarters_carried = 1)) THEN 'carried'::text
            ELSE 'left out'::text
        END AS status,
    p.quarters_missing,
        CASE
            WHEN ((p.quarters_missing = 1) AND (p.quarters_carried = 1)) THEN p.missing_quarter_end
            ELSE NULL::date
        END AS carried_quarter_end,
    p.missing_quarters,
        CASE
            WHEN (p.quarters_missing >= 2) THEN format('missing %s of the 4 quarters: %s'::text, p.quarters_missing, p.missing_quarters)
            WHEN ((p.quarters_missing = 1) AND (p.quarters_carried = 0)) THEN format('missing its first quarter, %s, and the quarter before it: nothing to carry forward'::text, p.missing_quarters)
            ELSE NULL::text
        END AS left_out_reason,
    (
        CASE
            WHEN ((p.quarters_missing = 0) OR ((p.quarters_carried = 1) AND (p.quarters_missing = 1))) THEN p.cases
            ELSE NULL::numeric
        END)::numeric(20,0) AS cases,
    (
        CASE
            WHEN ((p.quarters_missing = 0) OR ((p.quarters_carried = 1) AND (p.quarters_missing = 1))) THEN p.repeat_cases
            ELSE NULL::numeric
        END)::numeric(20,0) AS repeat_cases,
    (
        CASE
            WHEN ((p.quarters_missing = 0) OR ((p.quarters_carried = 1) AND (p.quarters_missing = 1))) THEN p.children
            ELSE NULL::numeric
        END)::numeric(20,0) AS children,
        CASE
            WHEN ((p.quarters_missing = 0) OR ((p.quarters_carried = 1) AND (p.quarters_missing = 1))) THEN p.adult_females
            ELSE NULL::bigint
        END AS adult_females
   FROM per_marac p
$ddl$);

-- The ingest: the existing row and the conflict by the new key.
CREATE OR REPLACE FUNCTION da.ingest_marac(source text DEFAULT NULL,
                                OUT load_id bigint, OUT inserted bigint, OUT updated bigint,
                                OUT unchanged bigint, OUT rejected bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    v_caller  name := da.calling_role();
    v_session text := da.staging_session();
    v_source  text := ingest_marac.source;
    v_staged  bigint;
    v_rows    da.marac_staging[];
BEGIN
    LOCK TABLE da.marac_return IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO da.return_load (kind, source, loaded_by) VALUES ('marac', v_source, v_caller)
    RETURNING return_load.load_id INTO load_id;

    -- This session's staged rows, taken out first: on Citus the staging table stays a plain
    -- coordinator table, and the statement below, which joins them to Citus tables, could not
    -- read it ("relation marac_staging is not distributed").
    WITH d AS (
        DELETE FROM da.marac_staging s WHERE s.staged_by = v_caller AND s.staged_session = v_session
        RETURNING s
    )
    SELECT coalesce(array_agg(d.s), '{}') INTO v_rows FROM d;

    WITH staged AS (
        SELECT u.* FROM unnest(v_rows) u
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
        LEFT JOIN da.marac_return r ON (r.force_id, r.marac_id, r.quarter_end) = (s.m_force, s.m_id, s.p_end)
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
        ON CONFLICT (force_id, marac_id, quarter_end)
        DO UPDATE SET cases = EXCLUDED.cases, repeat_cases = EXCLUDED.repeat_cases, children = EXCLUDED.children,
                      adult_females = EXCLUDED.adult_females, source = EXCLUDED.source, load_id = EXCLUDED.load_id,
                      loaded_at = EXCLUDED.loaded_at
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

COMMENT ON TABLE da.warehouse_ddl IS
    'Changes to the warehouse''s views and table keys since the 0.4 layout, in order: applied by ALTER EXTENSION UPDATE to an existing warehouse and by da.create_warehouse() to a new one (the extension''s code, not data)';
COMMENT ON FUNCTION da.warehouse_change(text, text, text) IS
    'Internal to upgrade scripts: records a change to a warehouse view or table in da.warehouse_ddl and applies it to an existing warehouse';
