-- Outcome reference tables: da.outcome_code and da.outcome_group agree with the codes
-- compiled into da.outcome_counts, and with the framework as DOMAIN.md §4 states it.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS da_stats;
SELECT da.create_warehouse() IS NOT NULL AS warehouse_ready;
RESET client_min_messages;
SET search_path = public, da;

-- Every C slot has a table row and every row a C slot, in the same order and group
-- (expected: no rows).
SELECT t.slot, t.code AS c_code, t.group_name AS c_group, oc.code AS table_code,
       oc.group_name AS table_group, oc.sort_order
FROM outcome_type_codes() t
FULL JOIN outcome_code oc ON oc.code = t.code
WHERE oc.code IS NULL OR t.code IS NULL OR oc.sort_order <> t.slot OR oc.group_name <> t.group_name;
SELECT count(*) AS c_slots, (SELECT count(*) FROM outcome_code) AS table_rows,
       (SELECT count(*) FROM outcome_group) AS groups
FROM outcome_type_codes();
-- Every group has codes; every code is accepted by the type under its table spelling.
SELECT og.group_name FROM outcome_group og
WHERE NOT EXISTS (SELECT 1 FROM outcome_code oc WHERE oc.group_name = og.group_name);
SELECT outcome_agg(code) = (SELECT ('{' || string_agg(format('"%s": 1', code), ', ') || '}')::outcome_counts
                            FROM outcome_code) AS every_table_code_counts_once
FROM outcome_code;

-- The group of each code, transcribed from DOMAIN.md §4 (independent of both the table and
-- the C): charged/summonsed 1 (1A); out-of-court formal 2, 3 (2A, 3A), 6; informal 7, 8;
-- diversionary 22 (and 23, our placement); TIC 4; prosecution prevented or not in the
-- public interest 5, 9-13, 17; evidential difficulties victim supports 15; victim does not
-- support 14, 16; police decision not in the public interest 21; transferred 20; no suspect
-- identified 18; not yet assigned 0. Expected: no rows.
SELECT d.code, d.group_name AS domain_group, oc.group_name AS table_group
FROM (VALUES ('1', 'charged_summonsed'), ('1A', 'charged_summonsed'),
             ('2', 'out_of_court_formal'), ('2A', 'out_of_court_formal'), ('3', 'out_of_court_formal'),
             ('3A', 'out_of_court_formal'), ('6', 'out_of_court_formal'),
             ('7', 'out_of_court_informal'), ('8', 'out_of_court_informal'),
             ('22', 'diversionary'), ('23', 'diversionary'),
             ('4', 'taken_into_consideration'),
             ('5', 'prosecution_prevented_or_not_in_public_interest'), ('9', 'prosecution_prevented_or_not_in_public_interest'),
             ('10', 'prosecution_prevented_or_not_in_public_interest'), ('11', 'prosecution_prevented_or_not_in_public_interest'),
             ('12', 'prosecution_prevented_or_not_in_public_interest'), ('13', 'prosecution_prevented_or_not_in_public_interest'),
             ('17', 'prosecution_prevented_or_not_in_public_interest'),
             ('15', 'evidential_difficulties_victim_supports'),
             ('14', 'evidential_difficulties_victim_does_not_support'), ('16', 'evidential_difficulties_victim_does_not_support'),
             ('21', 'further_investigation_not_in_public_interest'),
             ('20', 'transferred_to_another_body'),
             ('18', 'investigation_complete_no_suspect'),
             ('0', 'not_yet_assigned')) d(code, group_name)
FULL JOIN outcome_code oc USING (code)
WHERE d.group_name IS DISTINCT FROM oc.group_name;

-- The tables as shipped.
SELECT code, group_name, to_char(introduced, 'YYYY-MM-DD') AS introduced, label FROM outcome_code ORDER BY sort_order;
SELECT group_name, sort_order, description FROM outcome_group ORDER BY sort_order;

-- Integer and text spellings of the same code land in the same slot, for every code that
-- has an integer spelling (all but 1A, 2A, 3A).
SELECT outcome_agg(code) = outcome_agg(code::int) AS text_equals_integer, count(*) AS codes
FROM outcome_code WHERE code !~ 'A';

-- Shipped data, not user configuration: not dumped as extension config (the codes are
-- fixed slots of the type; a row added here could never be counted).
SELECT coalesce(array_position(extconfig, 'da.outcome_code'::regclass), 0) = 0 AS code_not_config,
       coalesce(array_position(extconfig, 'da.outcome_group'::regclass), 0) = 0 AS group_not_config
FROM pg_extension WHERE extname = 'da_stats';
