-------------------------------------------------------------------------------
-- No function of the extension may depend on a warehouse relation (issue 10).
--
-- A SQL-standard body (RETURN ... / BEGIN ATOMIC) is bound when it is created and records
-- a dependency on every table it reads. Since 0.4 the warehouse's tables are not the
-- extension's: a fresh install drops them (sql/install_epilogue.sql) and would take such a
-- function with it, and Citus counts such functions among a table's own dependencies
-- ("circularly depends itself"). Earlier parts give the kit's functions string bodies; this
-- catch-all converts any that is left the same way (the body text is unchanged, only how it is
-- stored), and part 99 then pins its search_path. Pure functions that read no warehouse
-- relation keep their SQL-standard bodies and stay inlinable.
-------------------------------------------------------------------------------
DO $string_bodies$
DECLARE
    f pg_catalog.regprocedure;
    def text;
    script_path constant text := pg_catalog.current_setting('search_path');
BEGIN
    -- With only pg_catalog in the path, pg_get_functiondef qualifies every name of schema da,
    -- so the string body means what the bound one did once part 99 pins the path.
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog', true);
    FOR f IN
        SELECT DISTINCT d.objid::pg_catalog.regprocedure
        FROM pg_catalog.pg_depend d
        JOIN pg_catalog.pg_proc p ON p.oid OPERATOR(pg_catalog.=) d.objid
        JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) d.refobjid
        WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass
          AND d.refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
          AND c.relnamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace
          AND c.relkind OPERATOR(pg_catalog.<>) 'c'      -- a composite type is not a relation
          AND c.oid OPERATOR(pg_catalog.<>) ALL (ARRAY['da.outcome_code'::pg_catalog.regclass,
                                                       'da.outcome_group'::pg_catalog.regclass])
          AND p.prosqlbody IS NOT NULL
    LOOP
        def := pg_catalog.pg_get_functiondef(f);
        IF def OPERATOR(pg_catalog.~) E'\nBEGIN ATOMIC\n' THEN
            def := pg_catalog.regexp_replace(def, E'\nBEGIN ATOMIC\n(.*)\nEND[[:space:]]*$',
                                             E'\nAS $body$\nBEGIN;\n\\1\nCOMMIT;\n$body$');
            -- A string body is a list of statements, not a transaction block.
            def := pg_catalog.regexp_replace(def, E'\nBEGIN;\n(.*)\nCOMMIT;\n', E'\n\\1\n');
        ELSE
            def := pg_catalog.regexp_replace(def, E'\nRETURN (.*)$', E'\nAS $body$ SELECT \\1 $body$');
        END IF;
        EXECUTE def;
    END LOOP;
    PERFORM pg_catalog.set_config('search_path', script_path, true);
END
$string_bodies$;
