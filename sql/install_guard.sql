-- Schema guard, first statement of a fresh install (not of an upgrade).
--
-- CREATE EXTENSION installs into an existing schema "da" as readily as into one it creates.
-- If another role made "da" first, that role could plant look-alikes of our functions in it
-- (a superuser's call of da.per_100 would then run them) or drop it with the warehouse in it.
-- So we accept "da" only if it is safe to own: owned by a superuser, nobody else may create
-- in it, and it holds nothing yet (a schema left behind by DROP EXTENSION qualifies).
DO $guard$
DECLARE
    nsp     pg_catalog.pg_namespace%ROWTYPE;
    owner   pg_catalog.name;
    objects bigint;
    writers text;
BEGIN
    SELECT * INTO STRICT nsp FROM pg_catalog.pg_namespace WHERE nspname OPERATOR(pg_catalog.=) 'da';
    SELECT rolname INTO owner FROM pg_catalog.pg_roles WHERE oid OPERATOR(pg_catalog.=) nsp.nspowner;
    SELECT pg_catalog.count(*) INTO objects FROM pg_catalog.pg_depend
     WHERE refclassid OPERATOR(pg_catalog.=) 'pg_catalog.pg_namespace'::pg_catalog.regclass
       AND refobjid OPERATOR(pg_catalog.=) nsp.oid
       AND classid OPERATOR(pg_catalog.<>) 'pg_catalog.pg_extension'::pg_catalog.regclass;
    SELECT pg_catalog.string_agg(DISTINCT a.grantee::pg_catalog.regrole::text, ', ') INTO writers
      FROM pg_catalog.aclexplode(nsp.nspacl) AS a
     WHERE a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
       AND a.grantee OPERATOR(pg_catalog.<>) nsp.nspowner;
    IF NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE oid OPERATOR(pg_catalog.=) nsp.nspowner)
       OR objects OPERATOR(pg_catalog.>) 0 OR writers IS NOT NULL THEN
        RAISE EXCEPTION 'schema "da" already exists and was not created for da_stats'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = pg_catalog.format('Owner %s%s, %s object(s) in it%s.', owner,
                      CASE WHEN (SELECT rolsuper FROM pg_catalog.pg_roles
                                  WHERE oid OPERATOR(pg_catalog.=) nsp.nspowner)
                           THEN '' ELSE ' (not a superuser)' END,
                      objects,
                      CASE WHEN writers IS NULL THEN '' ELSE ', CREATE granted to ' OPERATOR(pg_catalog.||) writers END),
                  HINT = 'Inspect the schema, then DROP SCHEMA da (or rename it) and run CREATE EXTENSION da_stats again.';
    END IF;
END
$guard$;
