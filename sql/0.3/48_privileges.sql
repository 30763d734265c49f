-------------------------------------------------------------------------------
-- Privileges (issue 9 item 6, issue 11).
--
-- Every role may use the statistics: the schema, its types, operators, aggregates and the
-- pure functions (PostgreSQL grants EXECUTE on functions to PUBLIC by default), and the
-- shipped outcome code lists that da.outcome_table reads. The warehouse stays closed: its
-- tables and views need da.grant_access, and the functions listed by da.kit_functions()
-- are taken from PUBLIC (readers and loaders get theirs from da.grant_access; the rest are
-- the owner's).
-------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA da TO PUBLIC;
GRANT SELECT ON da.outcome_code, da.outcome_group TO PUBLIC;
-- The rules were readable by PUBLIC in 0.2, when PUBLIC could not reach the schema anyway.
REVOKE SELECT ON da.validation_rule, da.validation_rule_default, da.validation_rule_setting,
                 da.validation_rule_custom FROM PUBLIC;
DO $privileges$
DECLARE
    s text;
BEGIN
    FOR s IN SELECT k.signature FROM da.kit_functions() k LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', s);
    END LOOP;
END
$privileges$;

-- An upgrade from 0.2: roles granted then could write the returns, histories and load log
-- directly. Take that away from everyone but the owner, then grant again what da.grant_access
-- now grants (loader: had INSERT on the staging table), for the same forces.
DO $upgrade$
DECLARE
    g record;
BEGIN
    FOR g IN
        SELECT DISTINCT c.oid::pg_catalog.regclass AS rel, a.grantee
        FROM pg_catalog.pg_class c CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
        WHERE c.oid OPERATOR(pg_catalog.=) ANY (ARRAY['da.force_return', 'da.force_return_outcomes', 'da.force_return_history',
                                    'da.force_return_outcomes_history', 'da.return_load', 'da.rejected_return',
                                    'da.return_load_load_id_seq', 'da.rejected_return_rejected_id_seq',
                                    'da.force_return_history_history_id_seq',
                                    'da.force_return_outcomes_history_history_id_seq']::pg_catalog.regclass[])
          AND a.grantee OPERATOR(pg_catalog.<>) c.relowner
          AND a.privilege_type OPERATOR(pg_catalog.<>) 'SELECT'
    LOOP
        EXECUTE pg_catalog.format('REVOKE ALL ON %s FROM %s', g.rel,
                                  CASE WHEN g.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                       ELSE pg_catalog.quote_ident(g.grantee::pg_catalog.regrole::text) END);
    END LOOP;
    FOR g IN
        SELECT a.role_name,
               CASE WHEN pg_catalog.has_table_privilege(a.role_name, 'da.return_staging', 'INSERT')
                    THEN 'loader' ELSE 'analyst' END AS access,
               CASE WHEN pg_catalog.bool_or(a.force_id IS NULL) THEN NULL
                    ELSE pg_catalog.array_agg(a.force_id ORDER BY a.force_id) END AS forces
        FROM da.analyst_force a
        WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) a.role_name)
        GROUP BY a.role_name
    LOOP
        PERFORM da.grant_access(g.role_name, g.access, g.forces);
    END LOOP;
END
$upgrade$;
