-------------------------------------------------------------------------------
-- Outcome distributions: the Home Office crime outcomes framework (src/outcomes.c).
-------------------------------------------------------------------------------

-- Reference tables, shipped with the extension and not meant to be edited: the codes are
-- compiled into da.outcome_counts (one fixed slot each), so a row added here could never be
-- counted. The regression test outcomes_reference proves the table and the C slots agree.
-- Sources: DOMAIN.md §4 (codes, groups), HMICFRS 2019 Table 6 wording, and the group names
-- of the Home Office "Crime outcomes in England and Wales" statistics (out-of-court formal:
-- cautions and penalty notices for disorder; informal: cannabis/khat warnings and community
-- resolutions; "responsibility for further investigation transferred to another body": 20).
-- Labels are our own short wording of the Home Office Counting Rules descriptions.
CREATE TABLE da.outcome_group (
    group_name  text PRIMARY KEY CHECK (group_name ~ '^[a-z][a-z_]*$'),
    sort_order  int  NOT NULL UNIQUE,
    description text NOT NULL
);
COMMENT ON TABLE da.outcome_group IS
    'Home Office crime outcome groups; not_yet_assigned is a state, never an outcome';

CREATE TABLE da.outcome_code (
    code        text PRIMARY KEY CHECK (code ~ '^(0|[1-9][0-9]?A?)$'),
    label       text NOT NULL,
    group_name  text NOT NULL REFERENCES da.outcome_group,
    sort_order  int  NOT NULL UNIQUE,
    introduced  date,              -- first day the code could be used, where known
    notes       text
);
COMMENT ON TABLE da.outcome_code IS
    'Home Office crime outcome codes (outcomes framework, April 2013/2014 onwards); code 0 = not yet assigned';

INSERT INTO da.outcome_group (group_name, sort_order, description) VALUES
 ('charged_summonsed',                               1, 'Charged/summonsed'),
 ('out_of_court_formal',                             2, 'Out-of-court (formal): cautions and penalty notices for disorder'),
 ('out_of_court_informal',                           3, 'Out-of-court (informal): cannabis/khat warnings and community resolutions'),
 ('diversionary',                                    4, 'Diversionary, educational or intervention activity; deferred prosecution'),
 ('taken_into_consideration',                        5, 'Taken into consideration'),
 ('prosecution_prevented_or_not_in_public_interest', 6, 'Prosecution prevented or not in the public interest'),
 ('evidential_difficulties_victim_supports',         7, 'Evidential difficulties (suspect identified; victim supports action)'),
 ('evidential_difficulties_victim_does_not_support', 8, 'Evidential difficulties (victim does not support action)'),
 ('further_investigation_not_in_public_interest',    9, 'Further investigation to support formal action not in the public interest – police decision'),
 ('transferred_to_another_body',                    10, 'Responsibility for further investigation transferred to another body'),
 ('investigation_complete_no_suspect',              11, 'Investigation complete – no suspect identified'),
 ('not_yet_assigned',                               12, 'Not yet assigned an outcome (a state, not an outcome)');

INSERT INTO da.outcome_code (code, label, group_name, sort_order, introduced, notes) VALUES
 ('1',  'Charged/summonsed', 'charged_summonsed', 1, NULL, NULL),
 ('1A', 'Charged/summonsed – alternate offence', 'charged_summonsed', 2, NULL, 'Charged with an offence other than the one recorded'),
 ('2',  'Caution – youths', 'out_of_court_formal', 3, NULL, 'Youth caution, including youth conditional caution'),
 ('2A', 'Caution – youths – alternate offence', 'out_of_court_formal', 4, NULL, NULL),
 ('3',  'Caution – adults', 'out_of_court_formal', 5, NULL, 'Simple or conditional caution'),
 ('3A', 'Caution – adults – alternate offence', 'out_of_court_formal', 6, NULL, NULL),
 ('4',  'Taken into consideration', 'taken_into_consideration', 7, NULL, 'Offence taken into consideration when sentenced for another'),
 ('5',  'Offender died', 'prosecution_prevented_or_not_in_public_interest', 8, NULL, NULL),
 ('6',  'Penalty notice for disorder', 'out_of_court_formal', 9, NULL, NULL),
 ('7',  'Cannabis/khat warning', 'out_of_court_informal', 10, NULL, NULL),
 ('8',  'Community resolution', 'out_of_court_informal', 11, NULL, NULL),
 ('9',  'Prosecution not in the public interest (CPS decision)', 'prosecution_prevented_or_not_in_public_interest', 12, NULL, NULL),
 ('10', 'Formal action not in the public interest (police decision)', 'prosecution_prevented_or_not_in_public_interest', 13, NULL, NULL),
 ('11', 'Prosecution prevented – suspect under age', 'prosecution_prevented_or_not_in_public_interest', 14, NULL, NULL),
 ('12', 'Prosecution prevented – suspect too ill', 'prosecution_prevented_or_not_in_public_interest', 15, NULL, NULL),
 ('13', 'Prosecution prevented – victim or key witness dead or too ill', 'prosecution_prevented_or_not_in_public_interest', 16, NULL, NULL),
 ('14', 'Evidential difficulties: suspect not identified; victim does not support further action', 'evidential_difficulties_victim_does_not_support', 17, NULL, NULL),
 ('15', 'Evidential difficulties: suspect identified; victim supports action', 'evidential_difficulties_victim_supports', 18, NULL, NULL),
 ('16', 'Evidential difficulties: suspect identified; victim does not support (or withdraws support for) further action', 'evidential_difficulties_victim_does_not_support', 19, NULL, '"Outcome 16" in HMICFRS reports'),
 ('17', 'Prosecution time limit expired', 'prosecution_prevented_or_not_in_public_interest', 20, NULL, NULL),
 ('18', 'Investigation complete – no suspect identified', 'investigation_complete_no_suspect', 21, NULL, NULL),
 ('20', 'Further action to be taken by another body or agency', 'transferred_to_another_body', 22, NULL, NULL),
 ('21', 'Further investigation not in the public interest (police decision)', 'further_investigation_not_in_public_interest', 23, '2016-01-01', 'From January 2016'),
 ('22', 'Diversionary, educational or intervention activity; no further action in the public interest', 'diversionary', 24, '2019-04-01', 'From 1 April 2019'),
 ('23', 'Deferred prosecution', 'diversionary', 25, NULL, 'Children; recent. Group placement is ours (DOMAIN.md lists the code without a group)'),
 ('0',  'Not yet assigned an outcome', 'not_yet_assigned', 26, NULL, 'A state, not an outcome: also written as NULL. Excluded from outcome totals and shares of outcomes');

-------------------------------------------------------------------------------
-- The type: exact int8 counts per code, fixed 256 bytes (26 code slots + 6 reserved).
-------------------------------------------------------------------------------

CREATE TYPE da.outcome_counts;
CREATE FUNCTION da.outcome_counts_in(cstring) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_counts_out(da.outcome_counts) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_counts_recv(internal) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_counts_send(da.outcome_counts) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE da.outcome_counts (
    INPUT = da.outcome_counts_in, OUTPUT = da.outcome_counts_out,
    RECEIVE = da.outcome_counts_recv, SEND = da.outcome_counts_send,
    INTERNALLENGTH = 256, ALIGNMENT = double, STORAGE = plain
);
COMMENT ON TYPE da.outcome_counts IS
    'Exact counts per Home Office crime outcome code; text form {"1": 93, "16": 218, "0": 12} ("0" = not yet assigned)';

CREATE FUNCTION da.outcome_counts_eq(da.outcome_counts, da.outcome_counts) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION da.outcome_counts_ne(da.outcome_counts, da.outcome_counts) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION da.outcome_counts_hash(da.outcome_counts) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR da.= (
    LEFTARG = da.outcome_counts, RIGHTARG = da.outcome_counts, PROCEDURE = da.outcome_counts_eq,
    COMMUTATOR = OPERATOR(da.=), NEGATOR = OPERATOR(da.<>),
    RESTRICT = eqsel, JOIN = eqjoinsel, HASHES
);
CREATE OPERATOR da.<> (
    LEFTARG = da.outcome_counts, RIGHTARG = da.outcome_counts, PROCEDURE = da.outcome_counts_ne,
    COMMUTATOR = OPERATOR(da.<>), NEGATOR = OPERATOR(da.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
);
CREATE OPERATOR CLASS da.outcome_counts_hash_ops DEFAULT FOR TYPE da.outcome_counts USING hash AS
    OPERATOR 1 da.= (da.outcome_counts, da.outcome_counts),
    FUNCTION 1 da.outcome_counts_hash(da.outcome_counts);

-- Merge: also the combine function of every outcome aggregate and the transition of
-- outcome_merge_agg (in place there; a new value when called as the + operator).
CREATE FUNCTION da.outcome_combine(da.outcome_counts, da.outcome_counts) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_uncombine(da.outcome_counts, da.outcome_counts) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR da.+ (
    LEFTARG = da.outcome_counts, RIGHTARG = da.outcome_counts, PROCEDURE = da.outcome_combine,
    COMMUTATOR = OPERATOR(da.+)
);

CREATE FUNCTION da.outcome_counts_jsonb(da.outcome_counts) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE CAST (da.outcome_counts AS jsonb) WITH FUNCTION da.outcome_counts_jsonb(da.outcome_counts);
-- jsonb back to counts through the text form (validated like any input).
CREATE CAST (jsonb AS da.outcome_counts) WITH INOUT;

-- The codes compiled into the type, in slot order (for the reference-table check).
CREATE FUNCTION da.outcome_type_codes(OUT slot integer, OUT code text, OUT group_name text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 26;

-------------------------------------------------------------------------------
-- Aggregates. State = the type itself, updated in place; COMBINEFUNC = merge; moving-
-- aggregate inverses are exact. NULL when there are no rows (as sum()).
-------------------------------------------------------------------------------

-- Record level: one row per crime or outcome. Not strict: a NULL code is counted, as
-- "not yet assigned". Codes as text ('1', '1A', '16', '0') or integers (0..23, not 19).
CREATE FUNCTION da.outcome_accum(da.outcome_counts, text) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_accum_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.outcome_accum(da.outcome_counts, integer) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_accum_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.outcome_retract(da.outcome_counts, text) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_retract_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.outcome_retract(da.outcome_counts, integer) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_retract_int4' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Pre-counted: (code, n). A NULL n ("unable to provide") takes no part; a NULL code is the
-- number not yet assigned. The m* variants serve windows (see src/outcomes.c).
CREATE FUNCTION da.outcome_accum(da.outcome_counts, text, bigint) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_accum_text_n' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.outcome_accum(da.outcome_counts, integer, bigint) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_accum_int4_n' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.outcome_maccum(da.outcome_counts, text, bigint) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_maccum_text_n' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.outcome_maccum(da.outcome_counts, integer, bigint) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_maccum_int4_n' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.outcome_mretract(da.outcome_counts, text, bigint) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_mretract_text_n' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.outcome_mretract(da.outcome_counts, integer, bigint) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME', 'outcome_mretract_int4_n' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION da.outcome_moving_final(da.outcome_counts) RETURNS da.outcome_counts
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE da.outcome_agg(code text) (
    SFUNC = da.outcome_accum, STYPE = da.outcome_counts,
    COMBINEFUNC = da.outcome_combine, PARALLEL = SAFE,
    MSFUNC = da.outcome_accum, MINVFUNC = da.outcome_retract, MSTYPE = da.outcome_counts);
CREATE AGGREGATE da.outcome_agg(code integer) (
    SFUNC = da.outcome_accum, STYPE = da.outcome_counts,
    COMBINEFUNC = da.outcome_combine, PARALLEL = SAFE,
    MSFUNC = da.outcome_accum, MINVFUNC = da.outcome_retract, MSTYPE = da.outcome_counts);
CREATE AGGREGATE da.outcome_agg(code text, n bigint) (
    SFUNC = da.outcome_accum, STYPE = da.outcome_counts,
    COMBINEFUNC = da.outcome_combine, PARALLEL = SAFE,
    MSFUNC = da.outcome_maccum, MINVFUNC = da.outcome_mretract, MSTYPE = da.outcome_counts,
    MFINALFUNC = da.outcome_moving_final);
CREATE AGGREGATE da.outcome_agg(code integer, n bigint) (
    SFUNC = da.outcome_accum, STYPE = da.outcome_counts,
    COMBINEFUNC = da.outcome_combine, PARALLEL = SAFE,
    MSFUNC = da.outcome_maccum, MINVFUNC = da.outcome_mretract, MSTYPE = da.outcome_counts,
    MFINALFUNC = da.outcome_moving_final);

-- Rollups: merge stored outcome_counts (per force-month -> 12 months, forces -> nation).
-- Strict: a NULL rollup ("unable to provide") takes no part; all NULL -> NULL.
CREATE AGGREGATE da.outcome_merge_agg(da.outcome_counts) (
    SFUNC = da.outcome_combine, STYPE = da.outcome_counts,
    COMBINEFUNC = da.outcome_combine, PARALLEL = SAFE,
    MSFUNC = da.outcome_combine, MINVFUNC = da.outcome_uncombine, MSTYPE = da.outcome_counts);

COMMENT ON AGGREGATE da.outcome_agg(text) IS
    'Outcome distribution of record-level rows; a NULL or ''0'' code counts as not yet assigned';
COMMENT ON AGGREGATE da.outcome_agg(integer) IS
    'Outcome distribution of record-level rows with integer codes (0..23, not 19); NULL or 0 = not yet assigned';
COMMENT ON AGGREGATE da.outcome_agg(text, bigint) IS
    'Outcome distribution of pre-counted rows (code, n); rows with a NULL n take no part';
COMMENT ON AGGREGATE da.outcome_agg(integer, bigint) IS
    'Outcome distribution of pre-counted rows (integer code, n); rows with a NULL n take no part';
COMMENT ON AGGREGATE da.outcome_merge_agg(da.outcome_counts) IS
    'Sum of stored outcome distributions (e.g. monthly rollups into a 12-month figure)';

-------------------------------------------------------------------------------
-- Reading a distribution. Two bases, never mixed: per 100 outcomes assigned (excludes
-- "not yet assigned") and per 100 offences recorded (HMICFRS Table 6). Shares are exact
-- numeric; NULL when the base is 0 or offences is NULL; ERROR on an unknown code or group.
-------------------------------------------------------------------------------

CREATE FUNCTION da.outcome_n(c da.outcome_counts, code text) RETURNS bigint
    AS 'MODULE_PATHNAME', 'outcome_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_n(c da.outcome_counts, codes text[]) RETURNS bigint
    AS 'MODULE_PATHNAME', 'outcome_n_codes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_total(c da.outcome_counts) RETURNS bigint
    AS 'MODULE_PATHNAME', 'outcome_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_unassigned(c da.outcome_counts) RETURNS bigint
    AS 'MODULE_PATHNAME', 'outcome_unassigned' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.outcome_n(da.outcome_counts, text) IS
    'Count of one outcome code (''0'' = not yet assigned)';
COMMENT ON FUNCTION da.outcome_n(da.outcome_counts, text[]) IS
    'Count of a set of outcome codes, e.g. ARRAY[''2'',''2A'',''3'',''3A''] for cautions';
COMMENT ON FUNCTION da.outcome_total(da.outcome_counts) IS
    'Outcomes assigned: every code except not yet assigned';
COMMENT ON FUNCTION da.outcome_unassigned(da.outcome_counts) IS
    'Crimes not yet assigned an outcome (code 0 or NULL)';

CREATE FUNCTION da.outcome_pct_of_outcomes(c da.outcome_counts, code text) RETURNS numeric
    AS 'MODULE_PATHNAME', 'outcome_pct_of_outcomes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_pct_of_outcomes(c da.outcome_counts, codes text[]) RETURNS numeric
    AS 'MODULE_PATHNAME', 'outcome_pct_of_outcomes_codes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_per_100_offences(c da.outcome_counts, code text, offences bigint) RETURNS numeric
    AS 'MODULE_PATHNAME', 'outcome_per_100_offences' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_per_100_offences(c da.outcome_counts, codes text[], offences bigint) RETURNS numeric
    AS 'MODULE_PATHNAME', 'outcome_per_100_offences_codes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.outcome_pct_of_outcomes(da.outcome_counts, text) IS
    '100 * n(code) / outcomes assigned (excludes not yet assigned); NULL when none assigned';
COMMENT ON FUNCTION da.outcome_per_100_offences(da.outcome_counts, text, bigint) IS
    '100 * n(code) / offences recorded (HMICFRS Table 6 basis); NULL when offences is 0 or NULL';
COMMENT ON FUNCTION da.outcome_pct_of_outcomes(da.outcome_counts, text[]) IS
    '100 * n(codes) / outcomes assigned; the set may not include ''0''';
COMMENT ON FUNCTION da.outcome_per_100_offences(da.outcome_counts, text[], bigint) IS
    '100 * n(codes) / offences recorded, e.g. ARRAY[''2'',''2A'',''3'',''3A''] for cautions';

CREATE FUNCTION da.outcome_group_n(c da.outcome_counts, group_name text) RETURNS bigint
    AS 'MODULE_PATHNAME', 'outcome_group_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_group_pct_of_outcomes(c da.outcome_counts, group_name text) RETURNS numeric
    AS 'MODULE_PATHNAME', 'outcome_group_pct_of_outcomes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION da.outcome_group_per_100_offences(c da.outcome_counts, group_name text, offences bigint) RETURNS numeric
    AS 'MODULE_PATHNAME', 'outcome_group_per_100_offences' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION da.outcome_group_n(da.outcome_counts, text) IS
    'Count of a Home Office outcome group (da.outcome_group.group_name)';
COMMENT ON FUNCTION da.outcome_group_pct_of_outcomes(da.outcome_counts, text) IS
    '100 * n(group) / outcomes assigned; NULL when none assigned';
COMMENT ON FUNCTION da.outcome_group_per_100_offences(da.outcome_counts, text, bigint) IS
    '100 * n(group) / offences recorded; NULL when offences is 0 or NULL';

-- Dashboard tables: one row per code (or group), always all of them, in sort order, with
-- plain column types. "Not yet assigned" is the last row; it has no share of outcomes.
CREATE FUNCTION da.outcome_table(c da.outcome_counts, offences bigint DEFAULT NULL)
    RETURNS TABLE (code text, label text, group_name text, n bigint,
                   pct_of_outcomes numeric, per_100_offences numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT oc.code, oc.label, oc.group_name, da.outcome_n(c, oc.code),
           CASE WHEN oc.group_name <> 'not_yet_assigned' THEN da.outcome_pct_of_outcomes(c, oc.code) END,
           da.outcome_per_100_offences(c, oc.code, offences)
    FROM da.outcome_code oc
    WHERE c IS NOT NULL
    ORDER BY oc.sort_order
    $$;
COMMENT ON FUNCTION da.outcome_table(da.outcome_counts, bigint) IS
    'One row per outcome code: count, share of outcomes assigned, per 100 offences (when offences given)';

CREATE FUNCTION da.outcome_group_table(c da.outcome_counts, offences bigint DEFAULT NULL)
    RETURNS TABLE (group_name text, description text, n bigint,
                   pct_of_outcomes numeric, per_100_offences numeric)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT og.group_name, og.description, da.outcome_group_n(c, og.group_name),
           CASE WHEN og.group_name <> 'not_yet_assigned' THEN da.outcome_group_pct_of_outcomes(c, og.group_name) END,
           da.outcome_group_per_100_offences(c, og.group_name, offences)
    FROM da.outcome_group og
    WHERE c IS NOT NULL
    ORDER BY og.sort_order
    $$;
COMMENT ON FUNCTION da.outcome_group_table(da.outcome_counts, bigint) IS
    'One row per Home Office outcome group: count, share of outcomes assigned, per 100 offences';
