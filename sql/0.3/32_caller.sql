-------------------------------------------------------------------------------
-- Who is calling, what may they see, and which staging session is this (issue 11).
-------------------------------------------------------------------------------

-- The role on whose behalf a function runs. Inside a SECURITY DEFINER function current_user
-- is the function's owner, so the caller has to be found elsewhere: the "role" setting holds
-- what SET ROLE chose (PostgreSQL checks membership when it is set, and SECURITY DEFINER does
-- not change it), and 'none' means no SET ROLE, i.e. the session user (the login role).
CREATE FUNCTION da.calling_role() RETURNS name
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    RETURN CASE WHEN pg_catalog.current_setting('role') OPERATOR(pg_catalog.=) 'none'
                THEN pg_catalog.session_user()
                ELSE pg_catalog.current_setting('role')::pg_catalog.name END;
COMMENT ON FUNCTION da.calling_role() IS
    'The role a call is made as (SET ROLE, else the session user), also inside SECURITY DEFINER functions where current_user is the owner';

-- Is the role a superuser, BYPASSRLS, or mapped to every force (directly or through a role
-- it is a member of)? Such roles see every force's rows.
CREATE FUNCTION da.role_sees_all_forces(role_name name) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                   WHERE r.rolname OPERATOR(pg_catalog.=) role_sees_all_forces.role_name
                     AND (r.rolsuper OR r.rolbypassrls))
        OR EXISTS (SELECT 1 FROM da.analyst_force a
                   JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) a.role_name
                   JOIN pg_catalog.pg_roles me ON me.rolname OPERATOR(pg_catalog.=) role_sees_all_forces.role_name
                   WHERE a.force_id IS NULL AND pg_catalog.pg_has_role(me.oid, r.oid, 'MEMBER'));
COMMENT ON FUNCTION da.role_sees_all_forces(name) IS
    'true for a superuser, a BYPASSRLS role, or a role mapped (itself or through membership) to all forces in da.analyst_force';

-- da.may_access_force for a given role rather than current_user (the ingest runs as owner).
CREATE FUNCTION da.role_may_access_force(role_name name, force_id text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN da.role_sees_all_forces(role_may_access_force.role_name)
        OR EXISTS (SELECT 1 FROM da.analyst_force a
                   JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) a.role_name
                   JOIN pg_catalog.pg_roles me ON me.rolname OPERATOR(pg_catalog.=) role_may_access_force.role_name
                   WHERE a.force_id OPERATOR(pg_catalog.=) role_may_access_force.force_id
                     AND pg_catalog.pg_has_role(me.oid, r.oid, 'MEMBER'));
COMMENT ON FUNCTION da.role_may_access_force(name, text) IS
    'true when the role may see/load rows of the force (superuser, BYPASSRLS, or listed in da.analyst_force for it or a role it belongs to)';

-- This backend's staging key: process id and start time (a pid alone is reused by later
-- sessions). Staged rows carry it, and an ingest takes only its own session's rows. It runs
-- as the owner because pg_stat_get_activity shows a backend's start time only to roles with
-- the privileges of the session user, and a loader may be a SET ROLE away from it.
CREATE FUNCTION da.staging_session_key() RETURNS text
    LANGUAGE sql STABLE PARALLEL RESTRICTED SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    RETURN (SELECT pg_catalog.pg_backend_pid()::text OPERATOR(pg_catalog.||) '/'
                   OPERATOR(pg_catalog.||) pg_catalog.to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISSUS')
            FROM pg_catalog.pg_stat_get_activity(pg_catalog.pg_backend_pid()) a);
COMMENT ON FUNCTION da.staging_session_key() IS 'Internal to da.staging_session: the key computed afresh';

-- The same, remembered in the session setting da.staging_session after the first call: it is
-- the default of every staged row, and the key costs a look-up of the backend table (the
-- setting dies with the session; RESET ALL only makes the next call compute it again).
CREATE FUNCTION da.staging_session() RETURNS text
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    RETURN coalesce(nullif(pg_catalog.current_setting('da.staging_session', true), ''),
                    pg_catalog.set_config('da.staging_session', da.staging_session_key(), false));
COMMENT ON FUNCTION da.staging_session() IS
    'Key of the current session (backend pid and start time) that staged rows are tagged with; an ingest consumes only its own session''s rows';

-------------------------------------------------------------------------------
-- Settings users can tune: shipped defaults in da.setting_default (part of the extension),
-- the user's values in da.setting (kept by pg_dump; only what differs from the default).
-------------------------------------------------------------------------------
CREATE TABLE da.setting_default (
    name        text PRIMARY KEY,
    value       numeric NOT NULL,
    description text NOT NULL
);
INSERT INTO da.setting_default VALUES
 ('national_min_forces', 3,
  'National figures (da.national_total, da.national_totals, da.national_change, da.national_indicator_change, '
  'the national column of da.dashboard, da.funnel_baseline) are withheld from a force-limited role when fewer '
  'forces than this contribute, so that no single force''s figure can be read from them'),
 ('funnel_min_forces', 10,
  'The funnel over-dispersion (phi, tau2 of da.funnel_baseline, da.funnel_positions and da.dashboard, and the '
  'limits widened by tau2) is withheld from a force-limited role when fewer forces than this contribute; '
  'such a role also always gets it winsorised at the funnel_99_8 rule''s threshold, whatever winsor it asks for');
COMMENT ON TABLE da.setting_default IS 'Shipped defaults of the settings; change a setting in da.setting';

CREATE TABLE da.setting (
    name  text PRIMARY KEY REFERENCES da.setting_default ON DELETE CASCADE,
    value numeric NOT NULL,
    CHECK (name NOT IN ('national_min_forces', 'funnel_min_forces') OR (value >= 1 AND value = trunc(value)))
);
COMMENT ON TABLE da.setting IS
    'Your values of the settings in da.setting_default, e.g. INSERT INTO da.setting VALUES (''national_min_forces'', 5) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value';
SELECT pg_catalog.pg_extension_config_dump('da.setting', '');

CREATE VIEW da.settings AS
SELECT d.name, coalesce(s.value, d.value) AS value, d.value AS default_value, s.name IS NOT NULL AS changed, d.description
FROM da.setting_default d LEFT JOIN da.setting s ON s.name = d.name;
COMMENT ON VIEW da.settings IS 'Settings in force: your value (da.setting) or the shipped default';

CREATE FUNCTION da.setting_value(setting_name text) RETURNS numeric
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN (SELECT coalesce(s.value, d.value) FROM da.setting_default d
            LEFT JOIN da.setting s ON s.name OPERATOR(pg_catalog.=) d.name
            WHERE d.name OPERATOR(pg_catalog.=) setting_value.setting_name);
COMMENT ON FUNCTION da.setting_value(text) IS 'The value of a setting: yours (da.setting) or the shipped default';

-- Why a national figure is withheld from the calling role, or NULL when it is shown.
CREATE FUNCTION da.national_withheld_reason(forces_included integer) RETURNS text
    LANGUAGE sql STABLE PARALLEL RESTRICTED
    RETURN CASE WHEN forces_included IS NULL OR da.role_sees_all_forces(da.calling_role()) THEN NULL
                WHEN forces_included OPERATOR(pg_catalog.<) da.setting_value('national_min_forces')
                THEN pg_catalog.format('withheld: %s force(s) contribute, fewer than the %s needed for a role limited to some forces (da.setting national_min_forces)',
                                       forces_included, da.setting_value('national_min_forces')) END;
COMMENT ON FUNCTION da.national_withheld_reason(integer) IS
    'NULL when the calling role may see a national figure over that many forces; otherwise why it is withheld';
