-------------------------------------------------------------------------------
-- search_path safety (issue 11), part 2: pin every body that is parsed when it runs.
--
-- Keep this part last: it pins the search_path of every PL/pgSQL function and of every SQL
-- function with a string body that earlier parts created without one, and then refuses to
-- finish if any such function (or any SECURITY DEFINER function) is left unpinned.
-- Functions with SQL-standard bodies are left alone: they were bound when created (see
-- 30_search_path.sql) and stay inlinable.
-------------------------------------------------------------------------------
DO $pin$
DECLARE
    f pg_catalog.regprocedure;
    n bigint;
BEGIN
    FOR f IN
        SELECT p.oid FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
        WHERE p.pronamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace AND p.proconfig IS NULL
          AND (l.lanname OPERATOR(pg_catalog.=) 'plpgsql'
               OR (l.lanname OPERATOR(pg_catalog.=) 'sql' AND p.prosqlbody IS NULL))
    LOOP
        EXECUTE pg_catalog.format('ALTER FUNCTION %s SET search_path = pg_catalog, pg_temp', f);
    END LOOP;
    SELECT pg_catalog.count(*) INTO n
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
    WHERE p.pronamespace OPERATOR(pg_catalog.=) 'da'::pg_catalog.regnamespace
      AND (l.lanname OPERATOR(pg_catalog.=) ANY (ARRAY['sql', 'plpgsql']) OR p.prosecdef)
      AND (p.prosqlbody IS NULL OR p.prosecdef)
      AND NOT coalesce('search_path=pg_catalog, pg_temp' OPERATOR(pg_catalog.=) ANY (p.proconfig), false);
    IF n OPERATOR(pg_catalog.<>) 0 THEN
        RAISE EXCEPTION '% function(s) in schema da parse their body at run time without a pinned search_path', n;
    END IF;
END
$pin$;
