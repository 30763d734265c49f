-------------------------------------------------------------------------------
-- Warehouse kit: reference data and force returns.
-- The tables are the interface the ingest, dashboards and validation build on.
--
--   da.force, da.force_alias, da.measure      reference data (users may add rows)
--   da.force_return, da.force_return_outcomes force returns, long form; outcome counts
--   da.return_staging -> da.ingest_returns()  lossless ingest: good rows in, bad rows to
--   da.outcome_staging -> da.ingest_outcomes() da.rejected_return with the reasons, replaced
--                                             values to the history tables
--   da.marac                                  MARAC cases per 10,000 adult females
--   da.national_total(), da.national_change() national totals and matched-panel change
--   da.indicator, da.dashboard                indicators per force, period, with CI and national
--   da.analyst_force, da.grant_access()       roles and row-level security by force
-- Design notes: doc/warehouse.md.
-------------------------------------------------------------------------------

-- The 43 geographic (territorial) forces of England and Wales, British Transport Police, and
-- 'england_wales', a pseudo-unit for figures published only as England and Wales totals.
-- kind: 'territorial' (has a police force area and a resident population), 'special' (BTP:
-- no area, no population, outside HMICFRS's inspection), 'aggregate' (a published total, never
-- part of a national sum). user_defined = false marks the rows shipped with the extension:
-- pg_dump keeps only the rows users add (pg_extension_config_dump below).
CREATE TABLE da.force (
    force_id          text PRIMARY KEY CHECK (force_id ~ '^[a-z][a-z0-9_]*$'),  -- e.g. 'hampshire', 'btp'
    name              text NOT NULL UNIQUE,           -- 'Hampshire', 'Metropolitan Police'
    ons_code          text UNIQUE CHECK (ons_code ~ '^[EW][0-9]{8}$'),  -- E23000001..; NULL for BTP
    region            text,                           -- 'South East', 'Wales', NULL for BTP
    country           text CHECK (country IN ('England', 'Wales')),
    in_national_total boolean NOT NULL DEFAULT true,  -- false for BTP (Annex A)
    kind              text NOT NULL DEFAULT 'territorial'
                      CHECK (kind IN ('territorial', 'special', 'aggregate')),
    user_defined      boolean NOT NULL DEFAULT true,
    CHECK (kind <> 'aggregate' OR NOT in_national_total)
);
COMMENT ON TABLE da.force IS 'Police forces; in_national_total = false keeps a force (BTP) out of England and Wales totals';
COMMENT ON COLUMN da.force.kind IS 'territorial (43 police force areas), special (BTP), aggregate (a published total such as england_wales)';

-- Police force area codes: ONS Open Geography "Police Force Areas (December 2016/2017) in
-- England and Wales" (PFA16CD/PFA17CD; unchanged since); names and regions as in the Home
-- Office "police recorded crime by police force area" open data table, whose 'Region' column
-- is also the source of the region (ITL1 region names as the Home Office spells them).
-- Checked against that table's force list: 43 territorial forces plus BTP, same spellings.
INSERT INTO da.force (force_id, name, ons_code, region, country, in_national_total, kind, user_defined) VALUES
 ('metropolitan',       'Metropolitan Police',      'E23000001', 'London',                   'England', true,  'territorial', false),
 ('cumbria',            'Cumbria',                  'E23000002', 'North West',               'England', true,  'territorial', false),
 ('lancashire',         'Lancashire',               'E23000003', 'North West',               'England', true,  'territorial', false),
 ('merseyside',         'Merseyside',               'E23000004', 'North West',               'England', true,  'territorial', false),
 ('greater_manchester', 'Greater Manchester',       'E23000005', 'North West',               'England', true,  'territorial', false),
 ('cheshire',           'Cheshire',                 'E23000006', 'North West',               'England', true,  'territorial', false),
 ('northumbria',        'Northumbria',              'E23000007', 'North East',               'England', true,  'territorial', false),
 ('durham',             'Durham',                   'E23000008', 'North East',               'England', true,  'territorial', false),
 ('north_yorkshire',    'North Yorkshire',          'E23000009', 'Yorkshire and The Humber', 'England', true,  'territorial', false),
 ('west_yorkshire',     'West Yorkshire',           'E23000010', 'Yorkshire and The Humber', 'England', true,  'territorial', false),
 ('south_yorkshire',    'South Yorkshire',          'E23000011', 'Yorkshire and The Humber', 'England', true,  'territorial', false),
 ('humberside',         'Humberside',               'E23000012', 'Yorkshire and The Humber', 'England', true,  'territorial', false),
 ('cleveland',          'Cleveland',                'E23000013', 'North East',               'England', true,  'territorial', false),
 ('west_midlands',      'West Midlands',            'E23000014', 'West Midlands',            'England', true,  'territorial', false),
 ('staffordshire',      'Staffordshire',            'E23000015', 'West Midlands',            'England', true,  'territorial', false),
 ('west_mercia',        'West Mercia',              'E23000016', 'West Midlands',            'England', true,  'territorial', false),
 ('warwickshire',       'Warwickshire',             'E23000017', 'West Midlands',            'England', true,  'territorial', false),
 ('derbyshire',         'Derbyshire',               'E23000018', 'East Midlands',            'England', true,  'territorial', false),
 ('nottinghamshire',    'Nottinghamshire',          'E23000019', 'East Midlands',            'England', true,  'territorial', false),
 ('lincolnshire',       'Lincolnshire',             'E23000020', 'East Midlands',            'England', true,  'territorial', false),
 ('leicestershire',     'Leicestershire',           'E23000021', 'East Midlands',            'England', true,  'territorial', false),
 ('northamptonshire',   'Northamptonshire',         'E23000022', 'East Midlands',            'England', true,  'territorial', false),
 ('cambridgeshire',     'Cambridgeshire',           'E23000023', 'East',                     'England', true,  'territorial', false),
 ('norfolk',            'Norfolk',                  'E23000024', 'East',                     'England', true,  'territorial', false),
 ('suffolk',            'Suffolk',                  'E23000025', 'East',                     'England', true,  'territorial', false),
 ('bedfordshire',       'Bedfordshire',             'E23000026', 'East',                     'England', true,  'territorial', false),
 ('hertfordshire',      'Hertfordshire',            'E23000027', 'East',                     'England', true,  'territorial', false),
 ('essex',              'Essex',                    'E23000028', 'East',                     'England', true,  'territorial', false),
 ('thames_valley',      'Thames Valley',            'E23000029', 'South East',               'England', true,  'territorial', false),
 ('hampshire',          'Hampshire',                'E23000030', 'South East',               'England', true,  'territorial', false),
 ('surrey',             'Surrey',                   'E23000031', 'South East',               'England', true,  'territorial', false),
 ('kent',               'Kent',                     'E23000032', 'South East',               'England', true,  'territorial', false),
 ('sussex',             'Sussex',                   'E23000033', 'South East',               'England', true,  'territorial', false),
 ('city_of_london',     'City of London',           'E23000034', 'London',                   'England', true,  'territorial', false),
 ('devon_and_cornwall', 'Devon and Cornwall',       'E23000035', 'South West',               'England', true,  'territorial', false),
 ('avon_and_somerset',  'Avon and Somerset',        'E23000036', 'South West',               'England', true,  'territorial', false),
 ('gloucestershire',    'Gloucestershire',          'E23000037', 'South West',               'England', true,  'territorial', false),
 ('wiltshire',          'Wiltshire',                'E23000038', 'South West',               'England', true,  'territorial', false),
 ('dorset',             'Dorset',                   'E23000039', 'South West',               'England', true,  'territorial', false),
 ('north_wales',        'North Wales',              'W15000001', 'Wales',                    'Wales',   true,  'territorial', false),
 ('gwent',              'Gwent',                    'W15000002', 'Wales',                    'Wales',   true,  'territorial', false),
 ('south_wales',        'South Wales',              'W15000003', 'Wales',                    'Wales',   true,  'territorial', false),
 ('dyfed_powys',        'Dyfed-Powys',              'W15000004', 'Wales',                    'Wales',   true,  'territorial', false),
 ('btp',                'British Transport Police', NULL,        NULL,                       NULL,      false, 'special',     false),
 ('england_wales',      'England and Wales',        NULL,        NULL,                       NULL,      false, 'aggregate',   false);

-- Other spellings of force names met in source data. Ingest also accepts the force_id, the
-- name and the ONS code, in any letter case, and ignores a trailing "Police", "Police Service"
-- or "Constabulary" ("Hampshire Constabulary" = 'hampshire').
CREATE TABLE da.force_alias (
    alias        text PRIMARY KEY CHECK (alias = btrim(alias) AND alias <> ''),
    force_id     text NOT NULL REFERENCES da.force ON UPDATE CASCADE ON DELETE CASCADE,
    user_defined boolean NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX force_alias_lower_idx ON da.force_alias (lower(alias));
COMMENT ON TABLE da.force_alias IS 'Alternative force names used in source data, matched case-insensitively by ingest';

INSERT INTO da.force_alias (alias, force_id, user_defined) VALUES
 ('Metropolitan Police Service', 'metropolitan', false),
 ('MPS', 'metropolitan', false),
 ('Met', 'metropolitan', false),
 ('London, City of', 'city_of_london', false),     -- ONS PFA name
 ('City of London Police', 'city_of_london', false),
 ('Devon & Cornwall', 'devon_and_cornwall', false), -- ONS PFA name
 ('Avon & Somerset', 'avon_and_somerset', false),
 ('Dyfed Powys', 'dyfed_powys', false),
 ('Heddlu Dyfed-Powys', 'dyfed_powys', false),
 ('Heddlu Gogledd Cymru', 'north_wales', false),
 ('Heddlu Gwent', 'gwent', false),
 ('Heddlu De Cymru', 'south_wales', false),
 ('BTP', 'btp', false),
 ('Greater Manchester Police', 'greater_manchester', false),
 ('England & Wales', 'england_wales', false),
 ('England and Wales (43 forces)', 'england_wales', false);

-- The measures of a force return. A measure with a parent is a part of it: part <= total.
CREATE TABLE da.measure (
    measure_id     text PRIMARY KEY CHECK (measure_id ~ '^[a-z][a-z0-9_]*$'),
    unit           text NOT NULL DEFAULT 'count',
    description    text NOT NULL,
    parent_measure text REFERENCES da.measure,
    user_defined   boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE da.measure IS 'Measures of a force return; parent_measure names the total a part must not exceed';

-- Force returns in long form: one value per force, period and measure. A period is named by
-- its first and last day (inclusive): "12 months to 30 June 2017" = 2016-07-01 .. 2017-06-30.
-- A population (unit 'people') is stored against the period it is the denominator for.
CREATE TABLE da.force_return (
    force_id     text NOT NULL REFERENCES da.force ON UPDATE CASCADE,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    measure_id   text NOT NULL REFERENCES da.measure ON UPDATE CASCADE,
    value        bigint,                                -- NULL: the force was unable to provide it
    source       text,
    loaded_at    timestamptz NOT NULL DEFAULT now(),
    load_id      bigint,                                -- da.return_load that last set the value
    PRIMARY KEY (force_id, period_start, period_end, measure_id),
    CHECK (period_end >= period_start),
    CHECK (value >= 0)
);
CREATE INDEX force_return_period_idx ON da.force_return (period_end, measure_id);
COMMENT ON TABLE da.force_return IS 'Force returns, long form; value NULL = unable to provide (not 0)';

INSERT INTO da.measure (measure_id, unit, description, parent_measure, user_defined) VALUES
 ('all_crime_excl_fraud',      'count',  'All police recorded crime excluding fraud', NULL, false),
 ('da_crimes',                 'count',  'Domestic abuse related crimes (all offences flagged DA)', 'all_crime_excl_fraud', false),
 ('da_sexual_offences',        'count',  'DA-related sexual offences', 'da_crimes', false),
 ('da_assault_with_injury',    'count',  'DA-related assault with injury', 'da_crimes', false),
 ('da_assault_without_injury', 'count',  'DA-related assault without injury', 'da_crimes', false),
 ('da_stalking_harassment',    'count',  'DA-related stalking and harassment', 'da_crimes', false),
 ('da_arrests',                'count',  'Arrests for DA-related offences (not linked to crimes one to one: may exceed them)', NULL, false),
 ('da_charges',                'count',  'DA-related crimes with outcome 1 (charged/summonsed)', NULL, false),
 ('dvpn_issued',               'count',  'Domestic violence protection notices issued', NULL, false),
 ('dvpo_applied',              'count',  'Domestic violence protection orders applied for', NULL, false),
 ('dvpo_granted',              'count',  'Domestic violence protection orders granted', 'dvpo_applied', false),
 ('dvpo_breached',             'count',  'Domestic violence protection orders breached', NULL, false),
 ('da_suspects_bail',          'count',  'DA suspects released on bail', NULL, false),
 ('da_suspects_rui',           'count',  'DA suspects released under investigation', NULL, false),
 ('marac_cases',               'count',  'MARAC cases discussed (including repeats)', NULL, false),
 ('marac_repeat_cases',        'count',  'MARAC repeat cases', 'marac_cases', false),
 ('marac_children',            'count',  'Children in households of MARAC cases', NULL, false),
 ('population',                'people', 'Resident population, all ages', NULL, false),
 ('adult_female_population',   'people', 'Resident female population aged 16 and over', 'population', false),
 ('da_calls_for_assistance',   'count',  'Calls for assistance flagged domestic abuse', NULL, false),
 ('da_repeat_victims',         'count',  'Repeat victims of DA-related crime', NULL, false);
-- Offence groups the published tables compare DA-related crime with (HMICFRS 2019 Table 1,
-- HMIC 2014 force profiles), and the 2013 outcome groups (before the outcomes framework).
INSERT INTO da.measure (measure_id, unit, description, parent_measure, user_defined) VALUES
 ('sexual_offences',           'count',  'All recorded sexual offences', 'all_crime_excl_fraud', false),
 ('assault_with_injury',       'count',  'All recorded assault with injury', 'all_crime_excl_fraud', false),
 ('assault_with_intent',       'count',  'All recorded assault with intent to cause serious harm', 'all_crime_excl_fraud', false),
 ('da_assault_with_intent',    'count',  'DA-related assault with intent to cause serious harm', 'da_crimes', false),
 ('harassment',                'count',  'All recorded harassment', 'all_crime_excl_fraud', false),
 ('da_harassment',             'count',  'DA-related harassment', 'da_crimes', false),
 ('da_cautions',               'count',  'DA-related crimes resulting in a caution (youths and adults)', NULL, false),
 ('da_out_of_court_disposals', 'count',  'DA-related crimes resulting in another out-of-court disposal (e.g. penalty notice for disorder)', NULL, false);

-------------------------------------------------------------------------------
-- Periods
-------------------------------------------------------------------------------

-- Whole calendar months from period_start to period_end (inclusive), or NULL when the
-- period does not start on the 1st and end on a month's last day. (NULL in, NULL out; not
-- declared STRICT so that the planner can inline these SQL functions.)
CREATE FUNCTION da.period_months(period_start date, period_end date) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN extract(day FROM period_start) = 1
                 AND extract(day FROM period_end + 1) = 1
                 AND period_end >= period_start
                THEN ((extract(year FROM period_end + 1) - extract(year FROM period_start)) * 12
                      + extract(month FROM period_end + 1) - extract(month FROM period_start))::integer
           END;
COMMENT ON FUNCTION da.period_months(date, date) IS
    'Number of whole calendar months in [period_start, period_end]; NULL when not whole months';

-- "12 months to 30 June 2017", as the reports name periods.
CREATE FUNCTION da.period_label(period_start date, period_end date) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE da.period_months(period_start, period_end)
             WHEN 1 THEN '1 month to ' ELSE coalesce(da.period_months(period_start, period_end)::text || ' months to ',
                                                     to_char(period_start, 'FMDD FMMonth YYYY') || ' to ') END
           || to_char(period_end, 'FMDD FMMonth YYYY');
COMMENT ON FUNCTION da.period_label(date, date) IS 'Report-style name of a period: 12 months to 30 June 2017';

-- The same period one year earlier (month ends stay month ends: 29 Feb 2016 <- 28 Feb 2015,
-- 28 Feb 2017 <- 29 Feb 2016).
CREATE FUNCTION da.year_earlier_start(period_start date) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (period_start - interval '1 year')::date;
CREATE FUNCTION da.year_earlier_end(period_end date) RETURNS date
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (period_end + 1 - interval '1 year')::date - 1;
COMMENT ON FUNCTION da.year_earlier_end(date) IS
    'End of the same period a year earlier, keeping month ends (2017-02-28 -> 2016-02-29)';

-------------------------------------------------------------------------------
-- Force names in source data
-------------------------------------------------------------------------------

-- force_id for a name as it appears in source data: the force_id, the name, an alias or the
-- ONS code, case-insensitively, ignoring a trailing "Police", "Police Service" or
-- "Constabulary". NULL when unknown.
CREATE FUNCTION da.resolve_force(name text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    WITH k AS (SELECT lower(btrim(name)) AS n,
                      lower(btrim(regexp_replace(btrim(name), '\s+(police service|police|constabulary)$', '', 'i'))) AS s)
    SELECT c.fid
    FROM (SELECT f.force_id AS fid, 1 AS pri FROM da.force f, k WHERE f.force_id = k.n
          UNION ALL
          SELECT f.force_id, 2 FROM da.force f, k WHERE lower(f.name) IN (k.n, k.s)
          UNION ALL
          SELECT a.force_id, 3 FROM da.force_alias a, k WHERE lower(a.alias) IN (k.n, k.s)
          UNION ALL
          SELECT f.force_id, 4 FROM da.force f, k WHERE lower(f.ons_code) = k.n
          UNION ALL
          SELECT f.force_id, 5 FROM da.force f, k
          WHERE lower(regexp_replace(f.name, '\s+(police service|police|constabulary)$', '', 'i')) = k.s) c
    ORDER BY pri
    LIMIT 1;
END;
COMMENT ON FUNCTION da.resolve_force(text) IS
    'force_id for a force as named in source data (id, name, alias or ONS code; "Police"/"Constabulary" suffix ignored); NULL if unknown';

-------------------------------------------------------------------------------
-- Loads, rejected rows and the history of corrections
-------------------------------------------------------------------------------

-- One row per call of an ingest function.
CREATE TABLE da.return_load (
    load_id    bigserial PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('returns', 'outcomes')),
    source     text,
    loaded_by  name NOT NULL DEFAULT current_user,
    loaded_at  timestamptz NOT NULL DEFAULT now(),
    staged     bigint NOT NULL DEFAULT 0,
    inserted   bigint NOT NULL DEFAULT 0,
    updated    bigint NOT NULL DEFAULT 0,
    unchanged  bigint NOT NULL DEFAULT 0,
    rejected   bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE da.return_load IS 'Ingest runs: who, when, and how many rows went where (staged = inserted + updated + unchanged + rejected)';

-- Rows an ingest refused, exactly as staged (text), with every reason found.
CREATE TABLE da.rejected_return (
    rejected_id  bigserial PRIMARY KEY,
    load_id      bigint NOT NULL REFERENCES da.return_load ON DELETE CASCADE,
    line_no      bigint,
    force        text,
    period_start text,
    period_end   text,
    measure      text,          -- for outcome rows: the outcome code
    value        text,
    source       text,
    reason       text NOT NULL,
    rejected_at  timestamptz NOT NULL DEFAULT now(),
    rejected_by  name NOT NULL DEFAULT current_user
);
CREATE INDEX rejected_return_load_idx ON da.rejected_return (load_id);
COMMENT ON TABLE da.rejected_return IS 'Staged rows refused by ingest, as text, with the reasons; line_no counts the CSV header as line 1';

-- Every value replaced by a later load: nothing is lost silently.
CREATE TABLE da.force_return_history (
    history_id    bigserial PRIMARY KEY,
    force_id      text NOT NULL,
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    measure_id    text NOT NULL,
    old_value     bigint,
    new_value     bigint,
    old_source    text,
    new_source    text,
    old_loaded_at timestamptz,
    old_load_id   bigint,
    load_id       bigint REFERENCES da.return_load,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    changed_by    name NOT NULL DEFAULT current_user
);
CREATE INDEX force_return_history_key_idx ON da.force_return_history (force_id, period_end, measure_id);
COMMENT ON TABLE da.force_return_history IS 'Corrections: the value a load replaced (old) and the one it set (new), who and when';

-- Staging: \copy a CSV (force, period_start, period_end, measure, value, source) into it, then
-- call da.ingest_returns(). Everything is text so that nothing fails at \copy time; each role
-- sees and ingests only the rows it staged itself.
CREATE TABLE da.return_staging (
    staged_id    bigserial PRIMARY KEY,
    force        text,
    period_start text,
    period_end   text,
    measure      text,
    value        text,
    source       text,
    staged_by    name NOT NULL DEFAULT current_user,
    staged_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE da.return_staging IS
    'Load area: \copy da.return_staging (force, period_start, period_end, measure, value, source) FROM ''file.csv'' CSV HEADER; then SELECT * FROM da.ingest_returns()';

-- A date written YYYY-MM-DD, or NULL (pure SQL: no error trapping, so it stays cheap).
CREATE FUNCTION da.parse_iso_date(t text) RETURNS date
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN btrim(t) ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN
             CASE WHEN substr(btrim(t), 1, 4)::int >= 1 THEN
               CASE WHEN substr(btrim(t), 9, 2)::int
                         <= extract(day FROM make_date(substr(btrim(t), 1, 4)::int, substr(btrim(t), 6, 2)::int, 1)
                                           + interval '1 month' - interval '1 day')
                    THEN make_date(substr(btrim(t), 1, 4)::int, substr(btrim(t), 6, 2)::int, substr(btrim(t), 9, 2)::int)
               END
             END
           END;
COMMENT ON FUNCTION da.parse_iso_date(text) IS 'The date written YYYY-MM-DD, or NULL when malformed or not a real date';

-- What is wrong with one staged value (NULL when nothing): empty is fine (unable to provide).
CREATE FUNCTION da.count_problem(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE
        WHEN t IS NULL OR btrim(t) = '' THEN NULL
        WHEN btrim(t) ~ '^-\s*[0-9]' THEN 'negative value'
        WHEN btrim(t) !~ '^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)$' THEN 'value is not a whole number'
        WHEN length(ltrim(replace(btrim(t), ',', ''), '0')) > 19
          OR (length(ltrim(replace(btrim(t), ',', ''), '0')) = 19
              AND ltrim(replace(btrim(t), ',', ''), '0') COLLATE "C" > '9223372036854775807') THEN 'value out of range'
    END;
-- The count a staged value stands for (empty = NULL = unable to provide). Call only when
-- da.count_problem() found nothing.
CREATE FUNCTION da.parse_count(t text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN t IS NULL OR btrim(t) = '' THEN NULL ELSE replace(btrim(t), ',', '')::bigint END;

-- Row-level security helper: may the current role see and load rows of this force?
-- Superusers and BYPASSRLS roles may; other roles through da.analyst_force (force_id NULL
-- there = every force).
CREATE TABLE da.analyst_force (
    role_name    name NOT NULL,
    force_id     text REFERENCES da.force ON UPDATE CASCADE ON DELETE CASCADE,
    UNIQUE NULLS NOT DISTINCT (role_name, force_id)
);
COMMENT ON TABLE da.analyst_force IS
    'Which forces a role (or members of it) may see and load; force_id NULL = all forces. Enforced by row-level security';

CREATE FUNCTION da.may_access_force(force_id text) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                   WHERE r.rolname = current_user AND (r.rolsuper OR r.rolbypassrls))
        OR EXISTS (SELECT 1 FROM da.analyst_force a
                   JOIN pg_catalog.pg_roles r ON r.rolname = a.role_name
                   WHERE (a.force_id IS NULL OR a.force_id = may_access_force.force_id)
                     AND pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER'));
COMMENT ON FUNCTION da.may_access_force(text) IS
    'true when the current role may see/load rows of the force: superuser, BYPASSRLS, or listed in da.analyst_force';

-- Move the current role's staged rows: good ones into da.force_return, bad ones into
-- da.rejected_return with every reason found. A value that differs from the stored one
-- replaces it and the old one goes to da.force_return_history; an identical one is left
-- alone (so a reload of the same file changes nothing). Loads are serialised.
CREATE FUNCTION da.ingest_returns(source text DEFAULT NULL,
                                  OUT load_id bigint, OUT inserted bigint, OUT updated bigint,
                                  OUT unchanged bigint, OUT rejected bigint)
    LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_source text := ingest_returns.source;
    v_staged bigint;
BEGIN
    LOCK TABLE da.force_return IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO da.return_load (kind, source) VALUES ('returns', v_source) RETURNING return_load.load_id INTO load_id;

    WITH staged AS (
        DELETE FROM da.return_staging s WHERE s.staged_by = current_user
        RETURNING s.*
    ), forces AS MATERIALIZED (
        -- Names, dates and permissions are resolved once per distinct value, not per row.
        SELECT n.force, n.f_id, da.may_access_force(n.f_id) AS f_ok
        FROM (SELECT d.force, da.resolve_force(d.force) AS f_id FROM (SELECT DISTINCT s.force FROM staged s) d) n
    ), dates AS (
        SELECT d.t, da.parse_iso_date(d.t) AS d
        FROM (SELECT s.period_start AS t FROM staged s UNION SELECT s.period_end FROM staged s) d
    ), numbered AS (
        SELECT s.*, row_number() OVER (ORDER BY s.staged_id) + 1 AS line_no,
               f.f_id, f.f_ok, m.measure_id AS m_id, ds.d AS p_start, de.d AS p_end,
               da.count_problem(s.value) AS v_problem
        FROM staged s
        LEFT JOIN forces f ON f.force = s.force
        LEFT JOIN da.measure m ON m.measure_id = lower(btrim(s.measure))
        LEFT JOIN dates ds ON ds.t = s.period_start
        LEFT JOIN dates de ON de.t = s.period_end
    ), checked AS (
        SELECT n.*,
               array_remove(ARRAY[
                 CASE WHEN coalesce(btrim(n.force), '') = '' THEN 'missing force'
                      WHEN n.f_id IS NULL THEN format('unknown force "%s"', n.force)
                      WHEN NOT n.f_ok THEN format('not permitted to load force "%s"', n.f_id) END,
                 CASE WHEN coalesce(btrim(n.measure), '') = '' THEN 'missing measure'
                      WHEN n.m_id IS NULL THEN format('unknown measure "%s"', n.measure) END,
                 CASE WHEN n.p_start IS NULL THEN format('malformed period_start "%s" (expected YYYY-MM-DD)', n.period_start) END,
                 CASE WHEN n.p_end IS NULL THEN format('malformed period_end "%s" (expected YYYY-MM-DD)', n.period_end) END,
                 CASE WHEN n.p_start IS NULL OR n.p_end IS NULL THEN NULL
                      WHEN n.p_end < n.p_start THEN 'period ends before it starts'
                      WHEN coalesce(da.period_months(n.p_start, n.p_end), 0) NOT IN (1, 3, 12)
                      THEN 'period is not 1, 3 or 12 calendar months' END,
                 n.v_problem], NULL) AS reasons
        FROM numbered n
    ), keyed AS (
        -- Duplicates within this load: every row of a duplicated key is refused, none chosen.
        SELECT c.*,
               CASE WHEN c.reasons = '{}' AND count(*) OVER k > 1
                    THEN 'duplicate in this load (lines ' || string_agg(c.line_no::text, ', ') OVER k || ')' END AS dup
        FROM checked c
        WINDOW k AS (PARTITION BY c.reasons = '{}', c.f_id, c.p_start, c.p_end, c.m_id
                     ORDER BY c.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ), sorted AS (
        SELECT k.*, array_remove(k.reasons || k.dup, NULL) AS all_reasons FROM keyed k
    ), rej AS (
        INSERT INTO da.rejected_return (load_id, line_no, force, period_start, period_end, measure, value, source, reason)
        SELECT ingest_returns.load_id, s.line_no, s.force, s.period_start, s.period_end, s.measure, s.value,
               s.source, array_to_string(s.all_reasons, '; ')
        FROM sorted s WHERE s.all_reasons <> '{}'
        RETURNING 1
    ), good AS (
        SELECT s.f_id, s.p_start, s.p_end, s.m_id, da.parse_count(s.value) AS val,
               coalesce(nullif(btrim(s.source), ''), v_source) AS src,
               fr.force_id IS NOT NULL AS existed, fr.value AS old_value, fr.source AS old_source,
               fr.loaded_at AS old_loaded_at, fr.load_id AS old_load_id
        FROM sorted s
        LEFT JOIN da.force_return fr
               ON (fr.force_id, fr.period_start, fr.period_end, fr.measure_id) = (s.f_id, s.p_start, s.p_end, s.m_id)
        WHERE s.all_reasons = '{}'
    ), hist AS (
        INSERT INTO da.force_return_history (force_id, period_start, period_end, measure_id, old_value, new_value,
                                             old_source, new_source, old_loaded_at, old_load_id, load_id)
        SELECT g.f_id, g.p_start, g.p_end, g.m_id, g.old_value, g.val, g.old_source, g.src, g.old_loaded_at,
               g.old_load_id, ingest_returns.load_id
        FROM good g WHERE g.existed AND g.old_value IS DISTINCT FROM g.val
        RETURNING 1
    ), ups AS (
        INSERT INTO da.force_return AS fr (force_id, period_start, period_end, measure_id, value, source, load_id)
        SELECT g.f_id, g.p_start, g.p_end, g.m_id, g.val, g.src, ingest_returns.load_id
        FROM good g WHERE NOT g.existed OR g.old_value IS DISTINCT FROM g.val
        ON CONFLICT (force_id, period_start, period_end, measure_id)
        DO UPDATE SET value = EXCLUDED.value, source = EXCLUDED.source, load_id = EXCLUDED.load_id, loaded_at = now()
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM sorted),
           (SELECT count(*) FROM good WHERE NOT existed),
           (SELECT count(*) FROM good WHERE existed AND old_value IS DISTINCT FROM val),
           (SELECT count(*) FROM good WHERE existed AND old_value IS NOT DISTINCT FROM val),
           (SELECT count(*) FROM rej)
      INTO v_staged, inserted, updated, unchanged, rejected;

    UPDATE da.return_load l
       SET staged = v_staged, inserted = ingest_returns.inserted, updated = ingest_returns.updated,
           unchanged = ingest_returns.unchanged, rejected = ingest_returns.rejected
     WHERE l.load_id = ingest_returns.load_id;
END $$;
COMMENT ON FUNCTION da.ingest_returns(text) IS
    'Move the rows you staged in da.return_staging into da.force_return (bad rows to da.rejected_return with reasons, replaced values to da.force_return_history); returns (load_id, inserted, updated, unchanged, rejected)';

-- Wide view for people: one row per force and period, the common measures as columns.
CREATE VIEW da.force_return_wide WITH (security_invoker = true) AS
SELECT r.force_id, f.name AS force_name, r.period_start, r.period_end,
       da.period_label(r.period_start, r.period_end) AS period,
       max(r.value) FILTER (WHERE r.measure_id = 'all_crime_excl_fraud') AS all_crime_excl_fraud,
       max(r.value) FILTER (WHERE r.measure_id = 'da_crimes') AS da_crimes,
       max(r.value) FILTER (WHERE r.measure_id = 'da_arrests') AS da_arrests,
       max(r.value) FILTER (WHERE r.measure_id = 'da_charges') AS da_charges,
       max(r.value) FILTER (WHERE r.measure_id = 'dvpo_applied') AS dvpo_applied,
       max(r.value) FILTER (WHERE r.measure_id = 'dvpo_granted') AS dvpo_granted,
       max(r.value) FILTER (WHERE r.measure_id = 'marac_cases') AS marac_cases,
       max(r.value) FILTER (WHERE r.measure_id = 'marac_repeat_cases') AS marac_repeat_cases,
       max(r.value) FILTER (WHERE r.measure_id = 'marac_children') AS marac_children,
       max(r.value) FILTER (WHERE r.measure_id = 'adult_female_population') AS adult_female_population,
       count(*) AS measures_returned,
       count(*) FILTER (WHERE r.value IS NULL) AS measures_unable_to_provide
FROM da.force_return r JOIN da.force f USING (force_id)
GROUP BY r.force_id, f.name, r.period_start, r.period_end;
COMMENT ON VIEW da.force_return_wide IS 'Force returns, one row per force and period, common measures as columns (NULL = not returned or unable to provide)';

-------------------------------------------------------------------------------
-- MARAC: cases per 10,000 adult females, repeat rate, children per case
-------------------------------------------------------------------------------

-- SafeLives' expected level of MARAC cases per 10,000 adult females.
CREATE FUNCTION da.safelives_marac_expected() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN 40;
COMMENT ON FUNCTION da.safelives_marac_expected() IS 'SafeLives'' expected MARAC volume: 40 cases per 10,000 adult females';

CREATE VIEW da.marac WITH (security_invoker = true) AS
WITH m AS (
    SELECT r.force_id, r.period_start, r.period_end,
           bool_or(r.measure_id = 'marac_cases') AS has_cases_row,
           max(r.value) FILTER (WHERE r.measure_id = 'marac_cases') AS cases,
           max(r.value) FILTER (WHERE r.measure_id = 'marac_repeat_cases') AS repeat_cases,
           max(r.value) FILTER (WHERE r.measure_id = 'marac_children') AS children,
           bool_or(r.measure_id = 'adult_female_population') AS has_population_row,
           max(r.value) FILTER (WHERE r.measure_id = 'adult_female_population') AS adult_females
    FROM da.force_return r
    WHERE r.measure_id IN ('marac_cases', 'marac_repeat_cases', 'marac_children', 'adult_female_population')
    GROUP BY r.force_id, r.period_start, r.period_end
)
SELECT m.force_id, f.name AS force_name, m.period_start, m.period_end,
       da.period_label(m.period_start, m.period_end) AS period,
       m.cases, m.repeat_cases, m.children, m.adult_females,
       da.per_10k(m.cases, m.adult_females) AS cases_per_10k,
       CASE WHEN m.adult_females > 0 THEN da.rate_ci_lower(m.cases, m.adult_females, 10000) END AS cases_per_10k_lower,
       CASE WHEN m.adult_females > 0 THEN da.rate_ci_upper(m.cases, m.adult_females, 10000) END AS cases_per_10k_upper,
       da.safelives_marac_expected() AS safelives_expected,
       da.per_10k(m.cases, m.adult_females) - da.safelives_marac_expected() AS vs_expected,
       da.per_100(m.repeat_cases, m.cases) AS repeat_rate,
       CASE WHEN m.repeat_cases <= m.cases THEN da.wilson_ci_lower(m.repeat_cases, m.cases, 100) END AS repeat_rate_lower,
       CASE WHEN m.repeat_cases <= m.cases THEN da.wilson_ci_upper(m.repeat_cases, m.cases, 100) END AS repeat_rate_upper,
       da.per_n(m.children, m.cases, 1) AS children_per_case,
       CASE WHEN NOT m.has_cases_row THEN 'no MARAC case count returned'
            WHEN m.cases IS NULL THEN 'MARAC cases: unable to provide'
            WHEN f.kind = 'special' THEN 'force has no resident population'
            WHEN NOT m.has_population_row THEN 'no adult female population for this period'
            WHEN m.adult_females IS NULL THEN 'adult female population: unable to provide'
            WHEN m.adult_females = 0 THEN 'adult female population is 0'
       END AS rate_missing_reason,
       CASE WHEN m.repeat_cases > m.cases THEN 'repeat cases exceed cases' END AS repeat_problem
FROM m JOIN da.force f USING (force_id)
WHERE m.has_cases_row;
COMMENT ON VIEW da.marac IS
    'MARAC cases per 10,000 adult females (Poisson CI) against SafeLives'' 40, repeat rate (%, Wilson CI), children per case; rate_missing_reason says why a rate is NULL';

-------------------------------------------------------------------------------
-- National totals: England and Wales = the forces with in_national_total (BTP excluded)
-------------------------------------------------------------------------------

-- The sum of a measure over the forces in the national total that provided it, with the
-- forces left out (no row, or unable to provide). Runs with the owner's rights: a force
-- analyst limited to one force by row-level security still sees the national figure.
CREATE FUNCTION da.national_total(measure_id text, period_start date, period_end date,
    OUT value numeric, OUT forces_included integer, OUT forces_expected integer,
    OUT forces_left_out text[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT sum(r.value), count(r.value)::integer, count(*)::integer,
           coalesce(array_agg(f.name ORDER BY f.name) FILTER (WHERE r.value IS NULL), '{}')
    FROM da.force f
    LEFT JOIN da.force_return r
           ON r.force_id = f.force_id AND r.measure_id = national_total.measure_id
          AND r.period_start = national_total.period_start AND r.period_end = national_total.period_end
    WHERE f.in_national_total;
END;
COMMENT ON FUNCTION da.national_total(text, date, date) IS
    'England and Wales total of a measure over in_national_total forces that provided it; lists the forces left out';

CREATE VIEW da.national_totals AS
SELECT p.measure_id, p.period_start, p.period_end, da.period_label(p.period_start, p.period_end) AS period,
       t.value, t.forces_included, t.forces_expected, t.forces_left_out
FROM (SELECT DISTINCT r.measure_id, r.period_start, r.period_end
      FROM da.force_return r JOIN da.force f USING (force_id) WHERE f.in_national_total) p,
     LATERAL da.national_total(p.measure_id, p.period_start, p.period_end) t;
COMMENT ON VIEW da.national_totals IS
    'England and Wales totals of every measure and period present (BTP and aggregates excluded), forces included and left out';

-------------------------------------------------------------------------------
-- Outcome counts per force and period (da.outcome_counts), loaded from pre-counted rows
-------------------------------------------------------------------------------

-- One outcome distribution per force and period: outcomes recorded in the period, whatever
-- the period the crime was recorded in (HMICFRS: DA outcomes are "not tracked"). NULL =
-- the force was unable to provide outcomes for the period.
CREATE TABLE da.force_return_outcomes (
    force_id     text NOT NULL REFERENCES da.force ON UPDATE CASCADE,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    outcomes     da.outcome_counts,
    source       text,
    loaded_at    timestamptz NOT NULL DEFAULT now(),
    load_id      bigint,
    PRIMARY KEY (force_id, period_start, period_end),
    CHECK (period_end >= period_start)
);
COMMENT ON TABLE da.force_return_outcomes IS
    'Outcome counts (da.outcome_counts) per force and period; NULL = unable to provide. Merge forces or months with da.outcome_merge_agg';

CREATE TABLE da.force_return_outcomes_history (
    history_id    bigserial PRIMARY KEY,
    force_id      text NOT NULL,
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    old_outcomes  da.outcome_counts,
    new_outcomes  da.outcome_counts,
    old_source    text,
    new_source    text,
    old_loaded_at timestamptz,
    old_load_id   bigint,
    load_id       bigint REFERENCES da.return_load,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    changed_by    name NOT NULL DEFAULT current_user
);
COMMENT ON TABLE da.force_return_outcomes_history IS
    'Corrections of outcome counts: the distribution a load replaced (old) and the one it set (new)';

-- Staging for pre-counted outcome rows: force, period_start, period_end, outcome (code as
-- text: '1', '1A', '16', '0' = not yet assigned), value (the count), source.
CREATE TABLE da.outcome_staging (
    staged_id    bigserial PRIMARY KEY,
    force        text,
    period_start text,
    period_end   text,
    outcome      text,
    value        text,
    source       text,
    staged_by    name NOT NULL DEFAULT current_user,
    staged_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE da.outcome_staging IS
    'Load area for pre-counted outcomes: \copy da.outcome_staging (force, period_start, period_end, outcome, value, source) FROM ''file.csv'' CSV HEADER; then SELECT * FROM da.ingest_outcomes()';

-- Move the current role's staged outcome rows into da.force_return_outcomes. Each row sets
-- the count of one code for a force and period; codes the load does not mention keep their
-- stored counts. A force-period whose rows all have an empty count and no code is stored as
-- NULL (unable to provide). Bad rows go to da.rejected_return (the code in its measure
-- column), replaced distributions to da.force_return_outcomes_history. Counts are of rows.
CREATE FUNCTION da.ingest_outcomes(source text DEFAULT NULL,
                                   OUT load_id bigint, OUT inserted bigint, OUT updated bigint,
                                   OUT unchanged bigint, OUT rejected bigint)
    LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_source text := ingest_outcomes.source;
    v_staged bigint;
BEGIN
    LOCK TABLE da.force_return_outcomes IN SHARE ROW EXCLUSIVE MODE;
    INSERT INTO da.return_load (kind, source) VALUES ('outcomes', v_source) RETURNING return_load.load_id INTO load_id;

    WITH staged AS (
        DELETE FROM da.outcome_staging s WHERE s.staged_by = current_user
        RETURNING s.*
    ), forces AS MATERIALIZED (
        SELECT n.force, n.f_id, da.may_access_force(n.f_id) AS f_ok
        FROM (SELECT d.force, da.resolve_force(d.force) AS f_id FROM (SELECT DISTINCT s.force FROM staged s) d) n
    ), dates AS (
        SELECT d.t, da.parse_iso_date(d.t) AS d
        FROM (SELECT s.period_start AS t FROM staged s UNION SELECT s.period_end FROM staged s) d
    ), numbered AS (
        SELECT s.*, row_number() OVER (ORDER BY s.staged_id) + 1 AS line_no,
               f.f_id, f.f_ok, oc.code AS o_code, ds.d AS p_start, de.d AS p_end,
               da.count_problem(s.value) AS v_problem,
               coalesce(btrim(s.value), '') = '' AS v_empty,
               coalesce(btrim(s.outcome), '') = '' AS o_empty
        FROM staged s
        LEFT JOIN forces f ON f.force = s.force
        LEFT JOIN da.outcome_code oc ON oc.code = upper(btrim(s.outcome))
        LEFT JOIN dates ds ON ds.t = s.period_start
        LEFT JOIN dates de ON de.t = s.period_end
    ), checked AS (
        SELECT n.*,
               array_remove(ARRAY[
                 CASE WHEN coalesce(btrim(n.force), '') = '' THEN 'missing force'
                      WHEN n.f_id IS NULL THEN format('unknown force "%s"', n.force)
                      WHEN NOT n.f_ok THEN format('not permitted to load force "%s"', n.f_id) END,
                 CASE WHEN n.o_empty AND NOT n.v_empty THEN 'missing outcome code'
                      WHEN NOT n.o_empty AND n.o_code IS NULL THEN format('unknown outcome code "%s"', n.outcome) END,
                 CASE WHEN n.p_start IS NULL THEN format('malformed period_start "%s" (expected YYYY-MM-DD)', n.period_start) END,
                 CASE WHEN n.p_end IS NULL THEN format('malformed period_end "%s" (expected YYYY-MM-DD)', n.period_end) END,
                 CASE WHEN n.p_start IS NULL OR n.p_end IS NULL THEN NULL
                      WHEN n.p_end < n.p_start THEN 'period ends before it starts'
                      WHEN coalesce(da.period_months(n.p_start, n.p_end), 0) NOT IN (1, 3, 12)
                      THEN 'period is not 1, 3 or 12 calendar months' END,
                 n.v_problem], NULL) AS reasons
        FROM numbered n
    ), keyed AS (
        SELECT c.*,
               CASE WHEN c.reasons = '{}' AND count(*) OVER k > 1
                    THEN 'duplicate in this load (lines ' || string_agg(c.line_no::text, ', ') OVER k || ')'
                    WHEN c.reasons = '{}' AND c.v_empty AND count(*) FILTER (WHERE NOT c.v_empty) OVER g > 0
                    THEN 'empty count (unable to provide) mixed with counts for the same force and period'
                    WHEN c.reasons = '{}' AND c.v_empty AND NOT c.o_empty
                    THEN 'empty count for a single outcome code: leave the code empty to mark the whole period as unable to provide'
               END AS dup
        FROM checked c
        WINDOW k AS (PARTITION BY c.reasons = '{}', c.f_id, c.p_start, c.p_end, c.o_code
                     ORDER BY c.line_no ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
               g AS (PARTITION BY c.reasons = '{}', c.f_id, c.p_start, c.p_end)
    ), sorted AS (
        SELECT k.*, array_remove(k.reasons || k.dup, NULL) AS all_reasons FROM keyed k
    ), rej AS (
        INSERT INTO da.rejected_return (load_id, line_no, force, period_start, period_end, measure, value, source, reason)
        SELECT ingest_outcomes.load_id, s.line_no, s.force, s.period_start, s.period_end, s.outcome, s.value,
               s.source, array_to_string(s.all_reasons, '; ')
        FROM sorted s WHERE s.all_reasons <> '{}'
        RETURNING 1
    ), good AS (
        SELECT s.f_id, s.p_start, s.p_end, s.o_code, da.parse_count(s.value) AS n,
               coalesce(nullif(btrim(s.source), ''), v_source) AS src,
               fr.force_id IS NOT NULL AS existed, fr.outcomes AS old_outcomes,
               fr.source AS old_source, fr.loaded_at AS old_loaded_at, fr.load_id AS old_load_id
        FROM sorted s
        LEFT JOIN da.force_return_outcomes fr
               ON (fr.force_id, fr.period_start, fr.period_end) = (s.f_id, s.p_start, s.p_end)
        WHERE s.all_reasons = '{}'
    ), graded AS (
        SELECT g.*,
               CASE WHEN NOT g.existed THEN 'inserted'
                    WHEN g.o_code IS NULL THEN CASE WHEN g.old_outcomes IS NULL THEN 'unchanged' ELSE 'updated' END
                    WHEN g.old_outcomes IS NULL THEN 'updated'
                    WHEN da.outcome_n(g.old_outcomes, g.o_code) = g.n THEN 'unchanged'
                    ELSE 'updated' END AS fate
        FROM good g
    ), periods AS (
        -- The force-periods this load changes.
        SELECT g.f_id, g.p_start, g.p_end, bool_or(g.existed) AS existed, bool_and(g.o_code IS NULL) AS unable,
               (array_agg(g.old_outcomes))[1] AS old_outcomes, (array_agg(g.old_source))[1] AS old_source,
               (array_agg(g.old_loaded_at))[1] AS old_loaded_at, (array_agg(g.old_load_id))[1] AS old_load_id,
               (array_agg(g.src ORDER BY g.src NULLS LAST))[1] AS src
        FROM graded g
        GROUP BY g.f_id, g.p_start, g.p_end
        HAVING bool_or(g.fate <> 'unchanged')
    ), counts AS (
        -- Their new counts: the loaded codes, plus the stored counts of the codes not mentioned.
        SELECT g.f_id, g.p_start, g.p_end, g.o_code AS code, g.n
        FROM good g JOIN periods p USING (f_id, p_start, p_end)
        WHERE g.o_code IS NOT NULL
        UNION ALL
        SELECT p.f_id, p.p_start, p.p_end, t.code, t.n
        FROM periods p CROSS JOIN LATERAL da.outcome_table(p.old_outcomes) t
        WHERE t.n > 0 AND NOT p.unable
          AND NOT EXISTS (SELECT 1 FROM good g
                          WHERE (g.f_id, g.p_start, g.p_end, g.o_code) = (p.f_id, p.p_start, p.p_end, t.code))
    ), merged AS (
        SELECT p.f_id, p.p_start, p.p_end, p.existed, p.old_outcomes, p.old_source, p.old_loaded_at, p.old_load_id, p.src,
               CASE WHEN NOT p.unable THEN a.outcomes END AS new_outcomes
        FROM periods p
        LEFT JOIN (SELECT c.f_id, c.p_start, c.p_end, da.outcome_agg(c.code, c.n) AS outcomes
                   FROM counts c GROUP BY c.f_id, c.p_start, c.p_end) a USING (f_id, p_start, p_end)
    ), hist AS (
        INSERT INTO da.force_return_outcomes_history (force_id, period_start, period_end, old_outcomes, new_outcomes,
                                                      old_source, new_source, old_loaded_at, old_load_id, load_id)
        SELECT p.f_id, p.p_start, p.p_end, p.old_outcomes, p.new_outcomes, p.old_source, p.src,
               p.old_loaded_at, p.old_load_id, ingest_outcomes.load_id
        FROM merged p WHERE p.existed
        RETURNING 1
    ), ups AS (
        INSERT INTO da.force_return_outcomes AS fr (force_id, period_start, period_end, outcomes, source, load_id)
        SELECT p.f_id, p.p_start, p.p_end, p.new_outcomes, p.src, ingest_outcomes.load_id FROM merged p
        ON CONFLICT (force_id, period_start, period_end)
        DO UPDATE SET outcomes = EXCLUDED.outcomes, source = EXCLUDED.source, load_id = EXCLUDED.load_id,
                      loaded_at = now()
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM sorted),
           (SELECT count(*) FROM graded WHERE fate = 'inserted'),
           (SELECT count(*) FROM graded WHERE fate = 'updated'),
           (SELECT count(*) FROM graded WHERE fate = 'unchanged'),
           (SELECT count(*) FROM rej)
      INTO v_staged, inserted, updated, unchanged, rejected;

    UPDATE da.return_load l
       SET staged = v_staged, inserted = ingest_outcomes.inserted, updated = ingest_outcomes.updated,
           unchanged = ingest_outcomes.unchanged, rejected = ingest_outcomes.rejected
     WHERE l.load_id = ingest_outcomes.load_id;
END $$;
COMMENT ON FUNCTION da.ingest_outcomes(text) IS
    'Move the rows you staged in da.outcome_staging into da.force_return_outcomes (bad rows to da.rejected_return, replaced distributions to da.force_return_outcomes_history); returns (load_id, inserted, updated, unchanged, rejected) counted in rows';

-- Outcomes per force and period next to the DA crimes of the same period (the per-100-
-- offences base), one row per outcome code.
CREATE VIEW da.force_outcome_table WITH (security_invoker = true) AS
SELECT o.force_id, o.period_start, o.period_end, da.period_label(o.period_start, o.period_end) AS period,
       c.value AS da_crimes, t.code, t.label, t.group_name, t.n, t.pct_of_outcomes, t.per_100_offences
FROM da.force_return_outcomes o
LEFT JOIN da.force_return c
       ON (c.force_id, c.period_start, c.period_end, c.measure_id) = (o.force_id, o.period_start, o.period_end, 'da_crimes')
CROSS JOIN LATERAL da.outcome_table(o.outcomes, c.value) t;
COMMENT ON VIEW da.force_outcome_table IS
    'Outcome table (count, % of outcomes, per 100 DA crimes of the same period) for every force and period with outcome counts';

-------------------------------------------------------------------------------
-- Indicators and the dashboard
-------------------------------------------------------------------------------

-- The indicators the dashboard shows: numerator (a measure, or an outcome code of
-- da.force_return_outcomes) over a denominator measure, times per. ci_method: 'wilson' for
-- a proportion (numerator a part of the denominator), 'poisson' for a rate that may exceed
-- 100 (arrests and outcomes are not linked one to one to the crimes). Users may add rows.
CREATE TABLE da.indicator (
    indicator_id        text PRIMARY KEY CHECK (indicator_id ~ '^[a-z][a-z0-9_]*$'),
    label               text NOT NULL,
    numerator_measure   text REFERENCES da.measure ON UPDATE CASCADE,
    numerator_outcome   text REFERENCES da.outcome_code,
    denominator_measure text NOT NULL REFERENCES da.measure ON UPDATE CASCADE,
    per                 bigint NOT NULL CHECK (per > 0),
    unit                text NOT NULL,
    ci_method           text NOT NULL CHECK (ci_method IN ('wilson', 'poisson')),
    sort_order          integer NOT NULL DEFAULT 1000,
    user_defined        boolean NOT NULL DEFAULT true,
    CHECK ((numerator_measure IS NULL) <> (numerator_outcome IS NULL))
);
COMMENT ON TABLE da.indicator IS
    'Dashboard indicators: numerator (measure or outcome code) per denominator measure, times per; ci_method wilson (proportion) or poisson (rate)';

INSERT INTO da.indicator (indicator_id, label, numerator_measure, numerator_outcome, denominator_measure,
                          per, unit, ci_method, sort_order, user_defined) VALUES
 ('arrests_per_100',      'DA arrests per 100 DA crimes',          'da_arrests',         NULL, 'da_crimes',               100,   'per 100 DA crimes',             'poisson', 1, false),
 ('charges_per_100',      'Charged/summonsed per 100 DA crimes',   NULL,                 '1',  'da_crimes',               100,   'per 100 DA crimes',             'poisson', 2, false),
 ('outcome16_per_100',    'Outcome 16 per 100 DA crimes',          NULL,                 '16', 'da_crimes',               100,   'per 100 DA crimes',             'poisson', 3, false),
 ('dvpo_granted_per_100', 'DVPOs granted per 100 DA crimes',       'dvpo_granted',       NULL, 'da_crimes',               100,   'per 100 DA crimes',             'poisson', 4, false),
 ('da_share_of_crime',    'DA crimes as % of all crime (excl. fraud)', 'da_crimes',      NULL, 'all_crime_excl_fraud',    100,   'percent',                       'wilson',  5, false),
 ('marac_per_10k',        'MARAC cases per 10,000 adult females',  'marac_cases',        NULL, 'adult_female_population', 10000, 'per 10,000 adult females',      'poisson', 6, false),
 ('marac_repeat_rate',    'MARAC repeat cases as % of cases',      'marac_repeat_cases', NULL, 'marac_cases',             100,   'percent',                       'wilson',  7, false);

-- Numerator and denominator of every indicator for every force and period where either was
-- returned (a NULL side: not returned or unable to provide).
CREATE VIEW da.indicator_input WITH (security_invoker = true) AS
WITH k AS (
    SELECT i.indicator_id, r.force_id, r.period_start, r.period_end
    FROM da.indicator i JOIN da.force_return r
      ON r.measure_id IN (i.denominator_measure, i.numerator_measure)
    UNION
    SELECT i.indicator_id, o.force_id, o.period_start, o.period_end
    FROM da.indicator i JOIN da.force_return_outcomes o ON i.numerator_outcome IS NOT NULL
)
SELECT k.indicator_id, k.force_id, k.period_start, k.period_end,
       CASE WHEN i.numerator_measure IS NOT NULL THEN n.value
            ELSE da.outcome_n(o.outcomes, i.numerator_outcome) END AS numerator,
       d.value AS denominator
FROM k
JOIN da.indicator i USING (indicator_id)
LEFT JOIN da.force_return d
       ON (d.force_id, d.period_start, d.period_end, d.measure_id) = (k.force_id, k.period_start, k.period_end, i.denominator_measure)
LEFT JOIN da.force_return n
       ON (n.force_id, n.period_start, n.period_end, n.measure_id) = (k.force_id, k.period_start, k.period_end, i.numerator_measure)
LEFT JOIN da.force_return_outcomes o
       ON i.numerator_outcome IS NOT NULL
      AND (o.force_id, o.period_start, o.period_end) = (k.force_id, k.period_start, k.period_end);
COMMENT ON VIEW da.indicator_input IS 'Numerator and denominator of each indicator per force and period (NULL side = not returned or unable to provide)';

-- An indicator's value and confidence limits; NULL (never an error) when they cannot be
-- computed: a side missing, a zero denominator, or a "proportion" whose part exceeds the whole.
CREATE FUNCTION da.indicator_ci_lower(numerator bigint, denominator bigint, per bigint, ci_method text) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN numerator < 0 OR denominator <= 0 THEN NULL
                WHEN ci_method = 'wilson' AND numerator <= denominator THEN da.wilson_ci_lower(numerator, denominator, per)
                WHEN ci_method = 'poisson' THEN da.rate_ci_lower(numerator, denominator, per) END;
CREATE FUNCTION da.indicator_ci_upper(numerator bigint, denominator bigint, per bigint, ci_method text) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN numerator < 0 OR denominator <= 0 THEN NULL
                WHEN ci_method = 'wilson' AND numerator <= denominator THEN da.wilson_ci_upper(numerator, denominator, per)
                WHEN ci_method = 'poisson' THEN da.rate_ci_upper(numerator, denominator, per) END;

-- England and Wales value of every indicator and period: ratio of sums over the forces in the
-- national total with both sides present (pairwise complete), the forces included and those
-- left out. Owner's rights: the national comparator does not depend on what the caller may see.
CREATE FUNCTION da.indicator_national()
    RETURNS TABLE (indicator_id text, period_start date, period_end date, numerator numeric,
                   denominator numeric, value numeric, forces_included integer, forces_left_out text[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    SELECT p.indicator_id, p.period_start, p.period_end,
           sum(x.numerator) FILTER (WHERE x.denominator IS NOT NULL),
           sum(x.denominator) FILTER (WHERE x.numerator IS NOT NULL),
           da.per_n_agg(x.numerator, x.denominator, i.per),
           count(*) FILTER (WHERE x.numerator IS NOT NULL AND x.denominator IS NOT NULL)::integer,
           coalesce(array_agg(f.name ORDER BY f.name)
                    FILTER (WHERE x.numerator IS NULL OR x.denominator IS NULL), '{}')
    FROM (SELECT DISTINCT ii.indicator_id, ii.period_start, ii.period_end
          FROM da.indicator_input ii JOIN da.force ff ON ff.force_id = ii.force_id
          WHERE ff.in_national_total) p
    JOIN da.indicator i ON i.indicator_id = p.indicator_id
    CROSS JOIN da.force f
    LEFT JOIN da.indicator_input x
           ON (x.indicator_id, x.force_id, x.period_start, x.period_end) = (p.indicator_id, f.force_id, p.period_start, p.period_end)
    WHERE f.in_national_total
    GROUP BY p.indicator_id, p.period_start, p.period_end, i.per;
END;
COMMENT ON FUNCTION da.indicator_national() IS
    'England and Wales value of each indicator per period (ratio of sums, pairwise complete, BTP excluded), forces included and left out';

-- Year-on-year change of a national total over the matched panel: only the forces in the
-- national total with the measure present in both the period and the same period a year
-- earlier take part (HMICFRS: "the 35 forces that provided data for both years").
CREATE FUNCTION da.national_change(measure_id text, period_start date, period_end date,
    OUT old_value numeric, OUT new_value numeric, OUT pct_change numeric,
    OUT forces_included integer, OUT forces_left_out text[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH p AS (
        SELECT f.name, o.value AS old_v, n.value AS new_v
        FROM da.force f
        LEFT JOIN da.force_return o
               ON (o.force_id, o.measure_id, o.period_start, o.period_end)
                = (f.force_id, national_change.measure_id, da.year_earlier_start(national_change.period_start),
                   da.year_earlier_end(national_change.period_end))
        LEFT JOIN da.force_return n
               ON (n.force_id, n.measure_id, n.period_start, n.period_end)
                = (f.force_id, national_change.measure_id, national_change.period_start, national_change.period_end)
        WHERE f.in_national_total
    )
    -- The matched panel itself is da.matched_change_agg's job (forces with both years only).
    SELECT (x.m).old_total, (x.m).new_total, (x.m).pct_change, (x.m).units_included::integer, x.left_out
    FROM (SELECT da.matched_change_agg(p.old_v, p.new_v) AS m,
                 coalesce(array_agg(p.name ORDER BY p.name) FILTER (WHERE p.old_v IS NULL OR p.new_v IS NULL), '{}') AS left_out
          FROM p) x;
END;
COMMENT ON FUNCTION da.national_change(text, date, date) IS
    'England and Wales change of a measure on the same period a year earlier, over the matched panel of forces with both years; forces included and left out';

-- The same for an indicator: the panel is the forces with numerator and denominator in both
-- years; the rates are ratios of sums over it and their change is in the indicator's units
-- (percentage points for per-100 rates), never a percent change of the rate.
CREATE FUNCTION da.national_indicator_change(indicator_id text, period_start date, period_end date,
    OUT old_numerator numeric, OUT old_denominator numeric, OUT new_numerator numeric, OUT new_denominator numeric,
    OUT old_value numeric, OUT new_value numeric, OUT change numeric,
    OUT forces_included integer, OUT forces_left_out text[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
BEGIN ATOMIC
    WITH p AS (
        SELECT f.name, o.numerator AS o_n, o.denominator AS o_d, n.numerator AS n_n, n.denominator AS n_d,
               (o.numerator IS NOT NULL AND o.denominator IS NOT NULL
                AND n.numerator IS NOT NULL AND n.denominator IS NOT NULL) AS matched
        FROM da.force f
        LEFT JOIN da.indicator_input o
               ON (o.force_id, o.indicator_id, o.period_start, o.period_end)
                = (f.force_id, national_indicator_change.indicator_id,
                   da.year_earlier_start(national_indicator_change.period_start),
                   da.year_earlier_end(national_indicator_change.period_end))
        LEFT JOIN da.indicator_input n
               ON (n.force_id, n.indicator_id, n.period_start, n.period_end)
                = (f.force_id, national_indicator_change.indicator_id,
                   national_indicator_change.period_start, national_indicator_change.period_end)
        WHERE f.in_national_total
    ), s AS (
        SELECT sum(p.o_n) FILTER (WHERE p.matched) AS o_n, sum(p.o_d) FILTER (WHERE p.matched) AS o_d,
               sum(p.n_n) FILTER (WHERE p.matched) AS n_n, sum(p.n_d) FILTER (WHERE p.matched) AS n_d,
               da.matched_rate_change_agg(p.o_n, p.o_d, p.n_n, p.n_d,
                   (SELECT i.per FROM da.indicator i WHERE i.indicator_id = national_indicator_change.indicator_id)) AS m,
               coalesce(array_agg(p.name ORDER BY p.name) FILTER (WHERE NOT p.matched), '{}') AS left_out
        FROM p
    )
    SELECT s.o_n, s.o_d, s.n_n, s.n_d, (s.m).old_rate, (s.m).new_rate, (s.m).pp_change,
           (s.m).units_included::integer, s.left_out
    FROM s WHERE EXISTS (SELECT FROM da.indicator i WHERE i.indicator_id = national_indicator_change.indicator_id);
END;
COMMENT ON FUNCTION da.national_indicator_change(text, date, date) IS
    'England and Wales value of an indicator and a year earlier over the matched panel (forces with both counts in both years); change in the indicator''s units';

-- One row per force, period and indicator, plain column types, for BI tools: numerator,
-- denominator, value and 95% limits, the England and Wales value of the same period, and the
-- force's value for the same period a year earlier with the change in the indicator's units
-- (percentage points for per-100 rates and percentages).
CREATE VIEW da.dashboard WITH (security_invoker = true) AS
SELECT x.force_id, f.name AS force_name, f.region, x.period_start, x.period_end,
       da.period_label(x.period_start, x.period_end) AS period,
       x.indicator_id, i.label AS indicator, i.unit,
       x.numerator, x.denominator,
       da.per_n(x.numerator, x.denominator, i.per) AS value,
       da.indicator_ci_lower(x.numerator, x.denominator, i.per, i.ci_method) AS ci_lower,
       da.indicator_ci_upper(x.numerator, x.denominator, i.per, i.ci_method) AS ci_upper,
       n.value AS national_value,
       n.forces_included::bigint AS national_forces_included,
       da.per_n(p.numerator, p.denominator, i.per) AS value_year_earlier,
       da.per_n(x.numerator, x.denominator, i.per) - da.per_n(p.numerator, p.denominator, i.per)
           AS change_from_year_earlier
FROM da.indicator_input x
JOIN da.indicator i ON i.indicator_id = x.indicator_id
JOIN da.force f ON f.force_id = x.force_id
LEFT JOIN da.indicator_national() n
       ON (n.indicator_id, n.period_start, n.period_end) = (x.indicator_id, x.period_start, x.period_end)
LEFT JOIN da.indicator_input p
       ON (p.indicator_id, p.force_id, p.period_start, p.period_end)
        = (x.indicator_id, x.force_id, da.year_earlier_start(x.period_start), da.year_earlier_end(x.period_end));
COMMENT ON VIEW da.dashboard IS
    'One row per force x period x indicator: numerator, denominator, value, 95% CI, England and Wales value, value a year earlier and the change (indicator units)';

-------------------------------------------------------------------------------
-- Roles and row-level security
--
-- The extension creates no roles (roles are cluster-wide); an administrator creates them and
-- grants the kit's privileges with da.grant_access():
--   CREATE ROLE da_loader NOLOGIN;   SELECT da.grant_access('da_loader', 'loader');
--   CREATE ROLE da_analyst NOLOGIN;  SELECT da.grant_access('da_analyst', 'analyst');
--   CREATE ROLE kent_analyst LOGIN;  SELECT da.grant_access('kent_analyst', 'analyst', ARRAY['kent']);
-- Rows of da.force_return, its outcome counts and history are visible (and loadable) only for
-- the forces da.analyst_force lists for the role or a role it is a member of. National figures
-- (da.national_total, da.national_totals, the national column of da.dashboard) are computed
-- over all forces whatever the caller may see.
-------------------------------------------------------------------------------

ALTER TABLE da.force_return ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_access ON da.force_return USING (da.may_access_force(force_id));
ALTER TABLE da.force_return_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_access ON da.force_return_history USING (da.may_access_force(force_id));
ALTER TABLE da.return_staging ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON da.return_staging USING (staged_by = current_user);
ALTER TABLE da.force_return_outcomes ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_access ON da.force_return_outcomes USING (da.may_access_force(force_id));
ALTER TABLE da.force_return_outcomes_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY force_access ON da.force_return_outcomes_history USING (da.may_access_force(force_id));
ALTER TABLE da.outcome_staging ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON da.outcome_staging USING (staged_by = current_user);

-- Grant a role what a loader or an analyst needs, for all forces (forces NULL) or some.
CREATE FUNCTION da.grant_access(role_name name, access text, forces text[] DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql AS $$
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
                             'da.dashboard'] LOOP
        EXECUTE format('GRANT SELECT ON %s TO %s', t, r);
    END LOOP;
    IF access = 'loader' THEN
        EXECUTE format('GRANT INSERT, UPDATE ON da.force_return, da.force_return_outcomes TO %s', r);
        EXECUTE format('GRANT INSERT ON da.force_return_history, da.force_return_outcomes_history, '
                       'da.return_load, da.rejected_return TO %s', r);
        EXECUTE format('GRANT SELECT, UPDATE ON da.return_load TO %s', r);
        EXECUTE format('GRANT SELECT ON da.rejected_return TO %s', r);
        EXECUTE format('GRANT SELECT, INSERT, DELETE ON da.return_staging, da.outcome_staging TO %s', r);
        EXECUTE format('GRANT USAGE ON SEQUENCE da.return_staging_staged_id_seq, da.outcome_staging_staged_id_seq, '
                       'da.return_load_load_id_seq, da.rejected_return_rejected_id_seq, '
                       'da.force_return_history_history_id_seq, da.force_return_outcomes_history_history_id_seq TO %s', r);
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
COMMENT ON FUNCTION da.grant_access(name, text, text[]) IS
    'Grant a role loader or analyst access to the warehouse kit, for all forces (NULL) or the forces listed';

-- Undo da.grant_access for a role: revoke the kit's privileges and remove its force mapping.
CREATE FUNCTION da.revoke_access(role_name name) RETURNS void
    LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    r text := quote_ident(revoke_access.role_name);
BEGIN
    IF revoke_access.role_name IS NULL THEN
        RAISE EXCEPTION 'role_name must not be NULL' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA da FROM %s', r);
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA da FROM %s', r);
    EXECUTE format('REVOKE ALL ON SCHEMA da FROM %s', r);
    DELETE FROM da.analyst_force a WHERE a.role_name = revoke_access.role_name;
END $$;
COMMENT ON FUNCTION da.revoke_access(name) IS 'Revoke what da.grant_access granted a role and remove its force mapping';

-------------------------------------------------------------------------------
-- pg_dump: the rows users add to the kit's tables are dumped (the shipped reference rows are
-- recreated by CREATE EXTENSION, so they are filtered out).
-------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('da.force', 'WHERE user_defined');
SELECT pg_catalog.pg_extension_config_dump('da.force_alias', 'WHERE user_defined');
SELECT pg_catalog.pg_extension_config_dump('da.measure', 'WHERE user_defined');
SELECT pg_catalog.pg_extension_config_dump('da.indicator', 'WHERE user_defined');
SELECT pg_catalog.pg_extension_config_dump('da.analyst_force', '');
SELECT pg_catalog.pg_extension_config_dump('da.return_load', '');
SELECT pg_catalog.pg_extension_config_dump('da.return_load_load_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('da.force_return', '');
SELECT pg_catalog.pg_extension_config_dump('da.force_return_history', '');
SELECT pg_catalog.pg_extension_config_dump('da.force_return_history_history_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('da.force_return_outcomes', '');
SELECT pg_catalog.pg_extension_config_dump('da.force_return_outcomes_history', '');
SELECT pg_catalog.pg_extension_config_dump('da.force_return_outcomes_history_history_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('da.rejected_return', '');
SELECT pg_catalog.pg_extension_config_dump('da.rejected_return_rejected_id_seq', '');
