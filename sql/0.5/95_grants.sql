-------------------------------------------------------------------------------
-- The functions 0.5 adds that readers run (da.kit_functions(), part 40): roles granted before
-- the upgrade get them here; later ones get them from da.grant_access.
-------------------------------------------------------------------------------
DO $grants$
DECLARE
    r name;
    coordinator boolean := true;
BEGIN
    IF pg_catalog.to_regclass('da.analyst_force') IS NULL THEN
        RETURN;   -- no warehouse (yet): da.grant_access grants it from da.kit_functions()
    END IF;
    -- On a Citus worker (ALTER EXTENSION UPDATE on the coordinator runs this script there
    -- too) the warehouse's tables are shells that may not be read from here; the
    -- coordinator's run grants it.
    IF pg_catalog.to_regproc('pg_catalog.citus_is_coordinator') IS NOT NULL THEN
        EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO coordinator;
    END IF;
    IF NOT coordinator THEN
        RETURN;
    END IF;
    FOR r IN SELECT DISTINCT a.role_name FROM da.analyst_force a
             WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname OPERATOR(pg_catalog.=) a.role_name)
    LOOP
        EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION da.funnel_baselines_each(), '
                                  'da.funnel_baseline_of(text[], text[], date[], bigint[], bigint[], numeric) TO %I', r);
    END LOOP;
END
$grants$;
