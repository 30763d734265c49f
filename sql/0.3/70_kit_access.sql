-------------------------------------------------------------------------------
-- Who may do what in the warehouse kit (issue 9 item 6, issue 11), in one place, after every
-- part that creates kit objects (returns, outcomes, MARAC, validation, BI views):
--   da.kit_functions()   the kit's functions and their access (reader, loader, owner)
--   da.grant_access()    what a loader or an analyst gets, for all forces or some
--   da.revoke_access()   undoes it
-- then PUBLIC's privileges, and the grants of roles made under 0.2 redone as 0.3 grants them.
-------------------------------------------------------------------------------

-- The warehouse functions and who may run them: 'reader' (analysts and loaders), 'loader',
-- 'owner' (the extension's owner only: administration and internals). Every other function
-- of the extension is a statistics function anyone may call.
CREATE OR REPLACE FUNCTION da.kit_functions() RETURNS TABLE (signature text, access text)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT v.s, v.a FROM (VALUES
        ('da.national_total(text,date,date)', 'reader'),
        ('da.national_change(text,date,date)', 'reader'),
        ('da.national_indicator_change(text,date,date)', 'reader'),
        ('da.indicator_national()', 'reader'),
        ('da.funnel_baseline(date,numeric)', 'reader'),
        ('da.funnel_positions(date)', 'reader'),
        ('da.funnel_curve(text,date,integer)', 'reader'),
        ('da.indicator_values(date)', 'reader'),
        ('da.validate_builtin(date)', 'reader'),
        ('da.validate_rejected(date)', 'reader'),
        ('da.validate_returns(date)', 'reader'),
        ('da.period_end_check(date)', 'reader'),
        ('da.ingest_returns(text)', 'loader'),
        ('da.ingest_outcomes(text)', 'loader'),
        ('da.ingest_marac(text)', 'loader'),
        ('da.grant_access(name,text,text[])', 'owner'),
        ('da.revoke_access(name)', 'owner'),
        ('da.run_validation(date)', 'owner'),
        ('da.schedule_validation(text,text)', 'owner'),
        ('da.unschedule_validation(text)', 'owner'),
        ('da.national_total_all(text,date,date)', 'owner'),
        ('da.national_change_all(text,date,date)', 'owner'),
        ('da.national_indicator_change_all(text,date,date)', 'owner'),
        ('da.indicator_national_all()', 'owner'),
        ('da.funnel_baseline_all(date,numeric)', 'owner')) v(s, a);
END;
COMMENT ON FUNCTION da.kit_functions() IS
    'Warehouse functions and who may run them (reader: analysts and loaders; loader; owner only); all others are statistics functions for everyone';

-- Grant a role what a loader or an analyst needs, for all forces (forces NULL) or some.
-- Runs with the caller's rights: only a role that may grant on the kit's objects can use it.
CREATE OR REPLACE FUNCTION da.grant_access(role_name name, access text, forces text[] DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r text := quote_ident(grant_access.role_name);
    t text;
BEGIN
    IF grant_access.role_name IS NULL THEN
        RAISE EXCEPTION 'role_name must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF access IS NULL OR access NOT IN ('loader', 'analyst') THEN
        RAISE EXCEPTION 'access must be ''loader'' or ''analyst'', not "%"', access
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF forces IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(forces) u(f) WHERE u.f IS NULL OR NOT EXISTS
                                        (SELECT 1 FROM da.force x WHERE x.force_id = u.f)) THEN
        RAISE EXCEPTION 'unknown force in %', forces USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA da TO %s', r);
    FOREACH t IN ARRAY ARRAY['da.force', 'da.force_alias', 'da.measure', 'da.analyst_force', 'da.force_return',
                             'da.force_return_history', 'da.force_return_outcomes', 'da.force_return_outcomes_history',
                             'da.outcome_code', 'da.outcome_group', 'da.force_return_wide', 'da.force_outcome_table',
                             'da.marac', 'da.national_totals', 'da.indicator', 'da.indicator_input',
                             'da.dashboard', 'da.validation_rule', 'da.validation_rule_default',
                             'da.validation_rule_setting', 'da.validation_rule_custom', 'da.validation_run',
                             'da.validation_finding', 'da.setting', 'da.setting_default', 'da.settings',
                             'da.marac_area', 'da.marac_return', 'da.marac_return_history',
                             'da.marac_quarter_status', 'da.marac_12_months'] LOOP
        EXECUTE format('GRANT SELECT ON %s TO %s', t, r);
    END LOOP;
    FOR t IN SELECT k.signature FROM da.kit_functions() k WHERE k.access = 'reader'
                                                         OR (k.access = 'loader' AND grant_access.access = 'loader') LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %s', t, r);
    END LOOP;
    IF access = 'loader' THEN
        -- Loaders stage and read what their loads did; everything else is the ingest's job.
        EXECUTE format('GRANT SELECT ON da.return_load, da.rejected_return, da.rejected_marac_return TO %s', r);
        EXECUTE format('GRANT SELECT, INSERT, DELETE ON da.return_staging, da.outcome_staging, da.marac_staging TO %s', r);
        EXECUTE format('GRANT USAGE ON SEQUENCE da.return_staging_staged_id_seq, da.outcome_staging_staged_id_seq, '
                       'da.marac_staging_staged_id_seq TO %s', r);
    END IF;
    IF forces IS NULL THEN
        INSERT INTO da.analyst_force (role_name, force_id) VALUES (grant_access.role_name, NULL)
        ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO da.analyst_force (role_name, force_id)
        SELECT grant_access.role_name, f FROM unnest(forces) f
        ON CONFLICT DO NOTHING;
    END IF;
END $$;

-- Undo da.grant_access for a role: revoke the kit's privileges and remove its force mapping.
CREATE OR REPLACE FUNCTION da.revoke_access(role_name name) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    r text := quote_ident(revoke_access.role_name);
    t text;
BEGIN
    IF revoke_access.role_name IS NULL THEN
        RAISE EXCEPTION 'role_name must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA da FROM %s', r);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA da FROM %s', r);
    FOR t IN SELECT k.signature FROM da.kit_functions() k LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM %s', t, r);
    END LOOP;
    EXECUTE format('REVOKE ALL ON SCHEMA da FROM %s', r);
    DELETE FROM da.analyst_force a WHERE a.role_name = revoke_access.role_name;
END $$;

-------------------------------------------------------------------------------
-- Privileges.
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
