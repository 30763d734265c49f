-------------------------------------------------------------------------------
-- Wrong requests are errors (issue 11): a period end that ends no stored period, and a
-- validation job that outlives the extension.
-------------------------------------------------------------------------------

-- Raise an error unless some return, outcome row or rejected row ends on that date. Runs as
-- the owner. For a role that sees every force, any stored row counts and the DETAIL lists the
-- latest period ends loaded. For a force-limited role only what it may see counts: returns and
-- outcome rows of its forces and rejected rows of its own loads (never other loaders'), and
-- the DETAIL lists only its forces' period ends, so the answer tells nothing about other forces.
CREATE FUNCTION da.period_end_check(period_end date) RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_caller name := da.calling_role();
    v_all    boolean;
    v_forces text[];
    v_known  text;
BEGIN
    IF period_end_check.period_end IS NULL THEN
        RETURN;
    END IF;
    v_all := da.role_sees_all_forces(v_caller);
    IF NOT v_all THEN
        v_forces := ARRAY(SELECT f.force_id FROM da.force f WHERE da.role_may_access_force(v_caller, f.force_id));
    END IF;
    IF EXISTS (SELECT 1 FROM da.force_return r
               WHERE r.period_end = period_end_check.period_end AND (v_all OR r.force_id = ANY (v_forces)))
       OR EXISTS (SELECT 1 FROM da.force_return_outcomes o
                  WHERE o.period_end = period_end_check.period_end AND (v_all OR o.force_id = ANY (v_forces)))
       OR EXISTS (SELECT 1 FROM da.rejected_return x
                  WHERE btrim(x.period_end) = to_char(period_end_check.period_end, 'YYYY-MM-DD')
                    AND (v_all OR EXISTS (SELECT 1 FROM da.return_load l
                                          WHERE l.load_id = x.load_id AND l.loaded_by = v_caller))) THEN
        RETURN;
    END IF;
    SELECT string_agg(to_char(k.period_end, 'YYYY-MM-DD'), ', ' ORDER BY k.period_end DESC) INTO v_known
    FROM (SELECT DISTINCT r.period_end FROM da.force_return r
          WHERE v_all OR r.force_id = ANY (v_forces)
          ORDER BY r.period_end DESC LIMIT 6) k;
    RAISE EXCEPTION 'no stored period ends on %', to_char(period_end_check.period_end, 'YYYY-MM-DD')
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = CASE WHEN v_known IS NULL AND v_all THEN 'No force returns are loaded.'
                            WHEN v_known IS NULL THEN 'No returns of your forces are loaded.'
                            WHEN v_all THEN 'The latest periods loaded end on ' || v_known || '.'
                            ELSE 'The latest periods loaded for your forces end on ' || v_known || '.' END,
              HINT = 'Give the last day of a loaded period (its period_end), not a date inside one.';
END $$;
COMMENT ON FUNCTION da.period_end_check(date) IS
    'Error unless a stored return, outcome row or rejected row has a period ending on that date; for a force-limited caller only its forces'' returns and outcome rows and its own loads'' rejected rows count, and only its forces'' period ends are listed';

CREATE OR REPLACE FUNCTION da.validate_returns(period_end date)
    RETURNS SETOF da.validation_finding_row
    LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_period date := validate_returns.period_end;
    v_all    da.validation_finding_row[];
    v_part   da.validation_finding_row[];
    r        record;
BEGIN
    IF v_period IS NULL THEN
        RETURN;
    END IF;
    PERFORM da.period_end_check(v_period);
    v_all := ARRAY(SELECT f FROM da.validate_builtin(v_period) f);
    -- Rejected rows are visible to loaders (and owners); an analyst's run leaves them out.
    IF has_table_privilege('da.rejected_return', 'SELECT') AND has_table_privilege('da.return_load', 'SELECT') THEN
        v_all := v_all || ARRAY(SELECT f FROM da.validate_rejected(v_period) f);
    END IF;
    -- The user's own rules; one that fails is reported as an error finding, not a failed run.
    FOR r IN SELECT c.rule, c.severity, c.threshold, c.query FROM da.validation_rule_custom c
             WHERE c.enabled ORDER BY c.rule LOOP
        BEGIN
            EXECUTE format('SELECT array_agg(ROW(q.force_id::text, q.measure_id::text, %L, %L, q.observed::numeric, '
                           'q.expected_or_limit::numeric, q.message::text)::da.validation_finding_row) FROM (%s) q',
                           r.rule, r.severity, r.query)
               INTO v_part USING v_period, r.threshold;
            v_all := v_all || coalesce(v_part, '{}');
        EXCEPTION WHEN OTHERS THEN
            v_all := v_all || ROW(NULL, NULL, r.rule, 'error', NULL, NULL,
                                  format('The validation rule %s failed: %s', r.rule, SQLERRM))::da.validation_finding_row;
        END;
    END LOOP;
    -- A measure whose row was rejected is reported as rejected, not also as missing.
    RETURN QUERY
        SELECT u.* FROM unnest(v_all) u
        WHERE NOT (u.rule = 'missing_vs_year_earlier'
                   AND EXISTS (SELECT 1 FROM unnest(v_all) x
                               WHERE x.rule = 'rejected_row' AND x.force_id = u.force_id AND x.measure_id = u.measure_id))
        ORDER BY CASE u.severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END,
                 u.force_id, u.measure_id, u.rule, u.message;
END $$;
-- The command a pg_cron validation job runs. It checks that the extension is still there
-- and, once it is gone (DROP EXTENSION da_stats), unschedules itself instead of failing at
-- every run (pg_cron jobs live outside the extension, so DROP EXTENSION cannot take them).
CREATE FUNCTION da.validation_job_command(job_name text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN pg_catalog.format('DO $da_validate$BEGIN IF pg_catalog.to_regprocedure(%L) IS NULL THEN '
                             'PERFORM cron.unschedule(%L::pg_catalog.name); ELSE PERFORM da.run_validation(); '
                             'END IF; END$da_validate$', 'da.run_validation(date)', job_name);
COMMENT ON FUNCTION da.validation_job_command(text) IS
    'The SQL a pg_cron validation job runs: da.run_validation(), or unschedule itself once da_stats is dropped';

CREATE OR REPLACE FUNCTION da.schedule_validation(schedule text DEFAULT '30 2 * * *', job_name text DEFAULT 'da-validate')
    RETURNS bigint
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_job bigint;
BEGIN
    IF schedule IS NULL OR job_name IS NULL THEN
        RAISE EXCEPTION 'schedule and job_name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in database "%"', current_database()
            USING ERRCODE = 'undefined_object',
                  HINT = 'Set shared_preload_libraries = ''pg_cron'' and cron.database_name = ''' || current_database()
                         || ''', restart, and CREATE EXTENSION pg_cron here; or, from cron.database_name, '
                         || 'SELECT cron.schedule_in_database(''da-validate'', ''30 2 * * *'', ''SELECT da.run_validation()'', '''
                         || current_database() || ''').';
    END IF;
    EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO v_job USING job_name, schedule, da.validation_job_command(job_name);
    RETURN v_job;
END
$$;