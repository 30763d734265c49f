-------------------------------------------------------------------------------
-- Warehouse kit: reference data and force returns.
-- The tables are the interface the ingest, dashboards and validation build on.
-------------------------------------------------------------------------------

-- The 43 geographic forces of England and Wales and British Transport Police.
CREATE TABLE da.force (
    force_id          text PRIMARY KEY CHECK (force_id ~ '^[a-z][a-z0-9_]*$'),  -- e.g. 'hampshire', 'btp'
    name              text NOT NULL UNIQUE,           -- 'Hampshire', 'Metropolitan Police'
    ons_code          text UNIQUE CHECK (ons_code ~ '^[EW][0-9]{8}$'),  -- E23000001..; NULL for BTP
    region            text,                           -- 'South East', 'Wales', NULL for BTP
    country           text CHECK (country IN ('England', 'Wales')),
    in_national_total boolean NOT NULL DEFAULT true   -- false for BTP (Annex A)
);
COMMENT ON TABLE da.force IS 'Police forces; in_national_total = false keeps a force (BTP) out of England and Wales totals';

-- The measures of a force return. A measure with a parent is a part of it: part <= total.
CREATE TABLE da.measure (
    measure_id     text PRIMARY KEY CHECK (measure_id ~ '^[a-z][a-z0-9_]*$'),
    unit           text NOT NULL DEFAULT 'count',
    description    text NOT NULL,
    parent_measure text REFERENCES da.measure
);
COMMENT ON TABLE da.measure IS 'Measures of a force return; parent_measure names the total a part must not exceed';

-- Force returns in long form: one value per force, period and measure. A period is named by
-- its first and last day (inclusive): "12 months to 30 June 2017" = 2016-07-01 .. 2017-06-30.
CREATE TABLE da.force_return (
    force_id     text NOT NULL REFERENCES da.force ON UPDATE CASCADE,
    period_start date NOT NULL,
    period_end   date NOT NULL,
    measure_id   text NOT NULL REFERENCES da.measure ON UPDATE CASCADE,
    value        bigint,                                -- NULL: the force was unable to provide it
    source       text,
    loaded_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (force_id, period_start, period_end, measure_id),
    CHECK (period_end >= period_start),
    CHECK (value >= 0)
);
CREATE INDEX force_return_period_idx ON da.force_return (period_end, measure_id);
COMMENT ON TABLE da.force_return IS 'Force returns, long form; value NULL = unable to provide (not 0)';

INSERT INTO da.measure (measure_id, unit, description, parent_measure) VALUES
 ('all_crime_excl_fraud',      'count',  'All police recorded crime excluding fraud', NULL),
 ('da_crimes',                 'count',  'Domestic abuse related crimes (all offences flagged DA)', 'all_crime_excl_fraud'),
 ('da_sexual_offences',        'count',  'DA-related sexual offences', 'da_crimes'),
 ('da_assault_with_injury',    'count',  'DA-related assault with injury', 'da_crimes'),
 ('da_assault_without_injury', 'count',  'DA-related assault without injury', 'da_crimes'),
 ('da_stalking_harassment',    'count',  'DA-related stalking and harassment', 'da_crimes'),
 ('da_arrests',                'count',  'Arrests for DA-related offences (not linked to crimes one to one: may exceed them)', NULL),
 ('da_charges',                'count',  'DA-related crimes with outcome 1 (charged/summonsed)', NULL),
 ('dvpn_issued',               'count',  'Domestic violence protection notices issued', NULL),
 ('dvpo_applied',              'count',  'Domestic violence protection orders applied for', NULL),
 ('dvpo_granted',              'count',  'Domestic violence protection orders granted', 'dvpo_applied'),
 ('dvpo_breached',             'count',  'Domestic violence protection orders breached', NULL),
 ('da_suspects_bail',          'count',  'DA suspects released on bail', NULL),
 ('da_suspects_rui',           'count',  'DA suspects released under investigation', NULL),
 ('marac_cases',               'count',  'MARAC cases discussed (including repeats)', NULL),
 ('marac_repeat_cases',        'count',  'MARAC repeat cases', 'marac_cases'),
 ('marac_children',            'count',  'Children in households of MARAC cases', NULL),
 ('population',                'people', 'Resident population, all ages', NULL),
 ('adult_female_population',   'people', 'Resident female population aged 16 and over', 'population'),
 ('da_calls_for_assistance',   'count',  'Calls for assistance flagged domestic abuse', NULL),
 ('da_repeat_victims',         'count',  'Repeat victims of DA-related crime', NULL);
