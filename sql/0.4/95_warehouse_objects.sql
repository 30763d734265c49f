-------------------------------------------------------------------------------
-- The warehouse's tables and views stop being members of the extension (issue 10).
--
-- The extension is code: the C core, the statistics API and the warehouse kit's functions.
-- Citus creates it on every node, as the statistics must be. The warehouse is data: tables,
-- views, policies and shipped reference rows, created once by da.create_warehouse() where the
-- data lives (one node, or a Citus coordinator). Citus cannot distribute a table that an
-- extension owns (it recreates tables and their neighbours on the workers, where the
-- extension has already created them), and pg_dump now dumps the warehouse whole.
--
-- Upgrading from 0.3: the existing tables keep their rows and become ordinary objects, in
-- the layout that da.create_warehouse() creates (10_layout.sql). They keep their owner, and
-- DROP EXTENSION da_stats now refuses to drop them unless told CASCADE.
-- A fresh install passes through here too, then drops them (sql/install_epilogue.sql).
-------------------------------------------------------------------------------
DO $detach$
DECLARE
    r record;
BEGIN
    FOR r IN
        SELECT c.oid::pg_catalog.regclass AS rel,
               CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE' END AS kind
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_class c ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                                  AND c.oid OPERATOR(pg_catalog.=) d.objid
        JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
        WHERE d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_extension'::pg_catalog.regclass
          AND d.deptype OPERATOR(pg_catalog.=) 'e' AND e.extname OPERATOR(pg_catalog.=) 'da_stats'
          AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['r', 'v', 'S']::"char"[])
          -- The outcomes framework is the statistics layer's fixed data, read by its functions.
          AND c.oid OPERATOR(pg_catalog.<>) ALL (ARRAY['da.outcome_code'::pg_catalog.regclass,
                                                       'da.outcome_group'::pg_catalog.regclass])
        ORDER BY c.relkind, c.relname
    LOOP
        EXECUTE pg_catalog.format('ALTER EXTENSION da_stats DROP %s %s', r.kind, r.rel);
    END LOOP;
END
$detach$;
