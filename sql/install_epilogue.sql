-------------------------------------------------------------------------------
-- Fresh install only (CREATE EXTENSION): the releases above built the warehouse's tables and
-- views as they evolved, and 95_warehouse_objects.sql detached them. A fresh install creates
-- no warehouse: SELECT da.create_warehouse() does, where the data is to live (on Citus, on the
-- coordinator only). So drop what the history built; the install guard made sure that schema
-- da held nothing else before this CREATE EXTENSION.
-------------------------------------------------------------------------------
DO $fresh$
DECLARE
    bad text;
BEGIN
    -- No function of the extension may depend on a warehouse relation: DROP ... CASCADE
    -- below would take it with it.
    SELECT pg_catalog.string_agg(DISTINCT d.objid::pg_catalog.regprocedure::text, ', ') INTO bad
    FROM pg_catalog.pg_depend d
    JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.refobjid
    WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
      AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
      AND c.relnamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace
      AND c.relkind OPERATOR(pg_catalog.<>) 'c'      -- a composite type is not a relation
      AND c.oid OPERATOR(pg_catalog.<>) ALL (ARRAY['da.outcome_code'::pg_catalog.regclass,
                                                   'da.outcome_group'::pg_catalog.regclass]);
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'functions depend on warehouse relations: %', bad
            USING HINT = 'Give them string bodies (AS $$ ... $$) instead of SQL-standard ones.';
    END IF;
    EXECUTE (SELECT 'DROP VIEW ' OPERATOR(pg_catalog.||)
                    pg_catalog.string_agg(c.oid::pg_catalog.regclass::text, ', ') OPERATOR(pg_catalog.||) ' CASCADE'
             FROM pg_catalog.pg_class c
             WHERE c.relnamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace
               AND c.relkind OPERATOR(pg_catalog.=) 'v');
    EXECUTE (SELECT 'DROP TABLE ' OPERATOR(pg_catalog.||)
                    pg_catalog.string_agg(c.oid::pg_catalog.regclass::text, ', ') OPERATOR(pg_catalog.||) ' CASCADE'
             FROM pg_catalog.pg_class c
             WHERE c.relnamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace
               AND c.relkind OPERATOR(pg_catalog.=) 'r'
               -- The extension's own tables (outcome framework, da.warehouse_ddl) stay.
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                               WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
                                 AND d.objid OPERATOR(pg_catalog.=) c.oid
                                 AND d.deptype OPERATOR(pg_catalog.=) 'e'));
END
$fresh$;
