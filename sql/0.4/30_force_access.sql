-------------------------------------------------------------------------------
-- Row-level security by force, in C (src/force_access.c), so that it also works on Citus.
--
-- The policies on the per-force tables call da.may_access_force(force_id) for each row. On
-- Citus they run on the workers, inside each shard query, where the 0.2 SQL function's read
-- of da.analyst_force (a reference table there) is a nested distributed query: refused, or
-- ~35 us a row when allowed. The C function reads the caller's forces once per snapshot
-- (as the owner of da.analyst_force, search_path-proof, with Citus's nested execution
-- allowed for that read only) and answers every row from memory. Same name, argument and
-- answers, so the policies are unchanged; no longer a SQL body, it records no dependency on
-- da.analyst_force (doc/citus.md, finding D.1).
-------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION da.may_access_force(force_id text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'ds_may_access_force' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION da.may_access_force(text) IS
    'true when the current role may see/load rows of the force: superuser, BYPASSRLS, or listed in da.analyst_force (itself or a role it is a member of) for that force or for all; NULL asks for all forces (true only for a role that sees all)';
