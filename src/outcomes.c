/*
 * outcomes.c — outcome distributions: the Home Office crime outcomes framework as a storable
 * type (da.outcome_counts), its aggregates and the accessors that read it.
 *
 * The type is fixed size (OUTCOME_SLOTS int64, 256 bytes, see outcomes.h): exact counts per
 * code slot in the canonical order of da.outcome_code.sort_order. "Not yet assigned" (code 0
 * or NULL) has a slot of its own: it is a state, counted, but never an outcome, so it takes
 * no part in outcome totals or shares of outcomes assigned.
 *
 * The same type is the aggregates' transition state (SQL-visible, so parallel query needs no
 * serialize step and a per-force-month rollup can be stored and merged later). States are
 * updated in place under AggCheckCallContext; every addition is overflow-checked.
 *
 * Text form: a JSON object of the non-zero counts in canonical order, {"1": 93, "16": 218,
 * "0": 12}; "0" holds the not-yet-assigned count. Input accepts any key order and JSON
 * whitespace; it rejects unknown codes, duplicate keys, negative, fractional or
 * out-of-range counts. A moving-aggregate state (outcome_maccum / outcome_mretract called
 * directly) also carries its row count, written last as "rows" so that it reads back the same.
 *
 * The codes compiled in here must agree with the rows of da.outcome_code (labels and
 * groups live in the table; the regression test outcomes_reference checks the two agree
 * through da.outcome_type_codes()).
 */
#include "da_stats.h"
#include "outcomes.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

/* Moving-aggregate state only: rows with a count, so an all-NULL frame gives NULL. */
#define OUTCOME_SLOT_MOVING_ROWS	(OUTCOME_SLOTS - 1)

#define SLOT_BIT(slot)				(((uint32) 1) << (slot))
#define OUTCOME_MASK_OUTCOMES		(SLOT_BIT(OUTCOME_SLOT_UNASSIGNED) - 1)	/* slots 0..24 */
#define OUTCOME_MASK_UNASSIGNED		SLOT_BIT(OUTCOME_SLOT_UNASSIGNED)

StaticAssertDecl(sizeof(OutcomeCounts) == 256, "da.outcome_counts must be 256 bytes (INTERNALLENGTH)");
StaticAssertDecl(OUTCOME_NCODES < OUTCOME_SLOT_MOVING_ROWS, "slot layout");

/* Canonical code of each slot, in sort order; '0' (not yet assigned) last. */
static const char *const slot_codes[OUTCOME_NCODES] = {
	"1", "1A", "2", "2A", "3", "3A", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13",
	"14", "15", "16", "17", "18", "20", "21", "22", "23", "0"
};

/* Home Office outcome groups (DOMAIN.md §4), in da.outcome_group.sort_order. */
enum
{
	G_CHARGED, G_OOC_FORMAL, G_OOC_INFORMAL, G_DIVERSIONARY, G_TIC, G_PREVENTED,
	G_ED_SUPPORTS, G_ED_NOT_SUPPORT, G_NPI_POLICE, G_TRANSFERRED, G_NO_SUSPECT, G_UNASSIGNED
};

static const char *const group_names[OUTCOME_NGROUPS] = {
	"charged_summonsed",
	"out_of_court_formal",
	"out_of_court_informal",
	"diversionary",
	"taken_into_consideration",
	"prosecution_prevented_or_not_in_public_interest",
	"evidential_difficulties_victim_supports",
	"evidential_difficulties_victim_does_not_support",
	"further_investigation_not_in_public_interest",
	"transferred_to_another_body",
	"investigation_complete_no_suspect",
	"not_yet_assigned"
};

static const int8 slot_group[OUTCOME_NCODES] = {
	G_CHARGED, G_CHARGED,		/* 1, 1A */
	G_OOC_FORMAL, G_OOC_FORMAL, G_OOC_FORMAL, G_OOC_FORMAL,	/* 2, 2A, 3, 3A */
	G_TIC,						/* 4 */
	G_PREVENTED,				/* 5 */
	G_OOC_FORMAL,				/* 6 */
	G_OOC_INFORMAL, G_OOC_INFORMAL,	/* 7, 8 */
	G_PREVENTED, G_PREVENTED, G_PREVENTED, G_PREVENTED, G_PREVENTED,	/* 9..13 */
	G_ED_NOT_SUPPORT,			/* 14 */
	G_ED_SUPPORTS,				/* 15 */
	G_ED_NOT_SUPPORT,			/* 16 */
	G_PREVENTED,				/* 17 */
	G_NO_SUSPECT,				/* 18 */
	G_TRANSFERRED,				/* 20 */
	G_NPI_POLICE,				/* 21 */
	G_DIVERSIONARY, G_DIVERSIONARY,	/* 22, 23 */
	G_UNASSIGNED				/* 0 */
};

/* Slot of integer code k (0..23); -1 for 19, which is not a recorded-crime outcome. */
static const int8 int_slot[24] = {
	OUTCOME_SLOT_UNASSIGNED, 0, 2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
	18, 19, 20, -1, 21, 22, 23, 24
};

PG_FUNCTION_INFO_V1(outcome_counts_in);
PG_FUNCTION_INFO_V1(outcome_counts_out);
PG_FUNCTION_INFO_V1(outcome_counts_recv);
PG_FUNCTION_INFO_V1(outcome_counts_send);
PG_FUNCTION_INFO_V1(outcome_counts_eq);
PG_FUNCTION_INFO_V1(outcome_counts_ne);
PG_FUNCTION_INFO_V1(outcome_counts_hash);
PG_FUNCTION_INFO_V1(outcome_counts_jsonb);
PG_FUNCTION_INFO_V1(outcome_combine);
PG_FUNCTION_INFO_V1(outcome_uncombine);
PG_FUNCTION_INFO_V1(outcome_accum_text);
PG_FUNCTION_INFO_V1(outcome_accum_int4);
PG_FUNCTION_INFO_V1(outcome_retract_text);
PG_FUNCTION_INFO_V1(outcome_retract_int4);
PG_FUNCTION_INFO_V1(outcome_accum_text_n);
PG_FUNCTION_INFO_V1(outcome_accum_int4_n);
PG_FUNCTION_INFO_V1(outcome_maccum_text_n);
PG_FUNCTION_INFO_V1(outcome_maccum_int4_n);
PG_FUNCTION_INFO_V1(outcome_mretract_text_n);
PG_FUNCTION_INFO_V1(outcome_mretract_int4_n);
PG_FUNCTION_INFO_V1(outcome_moving_final);
PG_FUNCTION_INFO_V1(outcome_n);
PG_FUNCTION_INFO_V1(outcome_n_codes);
PG_FUNCTION_INFO_V1(outcome_total);
PG_FUNCTION_INFO_V1(outcome_unassigned);
PG_FUNCTION_INFO_V1(outcome_pct_of_outcomes);
PG_FUNCTION_INFO_V1(outcome_pct_of_outcomes_codes);
PG_FUNCTION_INFO_V1(outcome_per_100_offences);
PG_FUNCTION_INFO_V1(outcome_per_100_offences_codes);
PG_FUNCTION_INFO_V1(outcome_group_n);
PG_FUNCTION_INFO_V1(outcome_group_pct_of_outcomes);
PG_FUNCTION_INFO_V1(outcome_group_per_100_offences);
PG_FUNCTION_INFO_V1(outcome_type_codes);

/* ---------- codes ---------- */

/*
 * The hot path of outcome_agg(text): a switch on length and characters, no allocation.
 * Codes are written as the Home Office writes them; the letter of 1A/2A/3A may be lower case.
 */
static inline int
slot_from_chars(const char *s, int len)
{
	switch (len)
	{
		case 1:
			if (s[0] >= '0' && s[0] <= '9')
				return int_slot[s[0] - '0'];
			return -1;
		case 2:
			if (s[1] == 'A' || s[1] == 'a')
			{
				if (s[0] >= '1' && s[0] <= '3')
					return (s[0] - '1') * 2 + 1;
				return -1;
			}
			if (s[1] < '0' || s[1] > '9')
				return -1;
			if (s[0] == '1')
				return int_slot[10 + (s[1] - '0')];
			if (s[0] == '2' && s[1] <= '3')
				return int_slot[20 + (s[1] - '0')];
			return -1;
		default:
			return -1;
	}
}

int
outcome_slot_from_text(const char *code, int len)
{
	int			slot = slot_from_chars(code, len);

	if (slot >= 0)
		return slot;
	/* Slow path: tolerate surrounding blanks (' 16 ' from a fixed-width export). */
	while (len > 0 && (*code == ' ' || *code == '\t'))
		code++, len--;
	while (len > 0 && (code[len - 1] == ' ' || code[len - 1] == '\t'))
		len--;
	return slot_from_chars(code, len);
}

int
outcome_slot_from_int(int64 code)
{
	if (code < 0 || code > 23)
		return -1;
	return int_slot[code];
}

const char *
outcome_slot_code(int slot)
{
	Assert(slot >= 0 && slot < OUTCOME_NCODES);
	return slot_codes[slot];
}

const char *
outcome_slot_group(int slot)
{
	Assert(slot >= 0 && slot < OUTCOME_NCODES);
	return group_names[(int) slot_group[slot]];
}

#define OUTCOME_CODES_DETAIL \
	"Outcome codes are 1, 1A, 2, 2A, 3, 3A, 4 to 18 and 20 to 23; 0 (or NULL) means not yet assigned."

static void
unknown_code_error(int sqlstate, const char *code, int len)
{
	char	   *shown = pnstrdup(code, len);
	bool		is19;

	while (*shown == ' ' || *shown == '\t')
		shown++;
	is19 = (strncmp(shown, "19", 2) == 0 && strspn(shown + 2, " \t") == strlen(shown + 2));
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("unknown outcome code \"%s\"", pnstrdup(code, len)),
			 errdetail(OUTCOME_CODES_DETAIL),
			 is19 ? errhint("Code 19 is not a police recorded crime outcome.") : 0));
}

static void
unknown_int_code_error(int64 code)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown outcome code " INT64_FORMAT, code),
			 errdetail(OUTCOME_CODES_DETAIL),
			 code == 19 ? errhint("Code 19 is not a police recorded crime outcome.") : 0));
}

/* The slot of a text code argument, or ERROR 22023 naming it. */
static inline int
text_code_slot(text *t)
{
	const char *s = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);
	int			slot = slot_from_chars(s, len);

	if (unlikely(slot < 0))
	{
		slot = outcome_slot_from_text(s, len);
		if (slot < 0)
			unknown_code_error(ERRCODE_INVALID_PARAMETER_VALUE, s, len);
	}
	return slot;
}

static inline int
int_code_slot(int32 code)
{
	int			slot = (code >= 0 && code <= 23) ? int_slot[code] : -1;

	if (unlikely(slot < 0))
		unknown_int_code_error(code);
	return slot;
}

/* ---------- checked arithmetic on one slot ---------- */

/* The key of a slot in the text form: its code, or "rows" for the moving-window row count. */
static inline const char *
slot_key(int slot)
{
	return slot < OUTCOME_NCODES ? slot_codes[slot] : "rows";
}

static inline void
slot_add(OutcomeCounts *s, int slot, int64 k)
{
	if (unlikely(pg_add_s64_overflow(s->n[slot], k, &s->n[slot])))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("count of outcome code %s is out of range for type bigint",
						slot < OUTCOME_NCODES ? slot_codes[slot] : "(rows)")));
}

static inline void
slot_sub(OutcomeCounts *s, int slot, int64 k)
{
	if (unlikely(s->n[slot] < k))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove " INT64_FORMAT " outcomes of code %s from a count of " INT64_FORMAT,
						k, slot < OUTCOME_NCODES ? slot_codes[slot] : "(rows)", s->n[slot]),
				 errdetail("Counts never go below zero: only what was added can be removed.")));
	s->n[slot] -= k;
}

/* ---------- text I/O ---------- */

static void
outcome_syntax_error(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type da.outcome_counts: \"%s\"", str),
			 errdetail("%s", detail),
			 errhint("Write a JSON object of counts per outcome code, e.g. {\"1\": 93, \"16\": 218, \"0\": 12}.")));
}

static inline const char *
skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

Datum
outcome_counts_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	OutcomeCounts *c = (OutcomeCounts *) palloc0(sizeof(OutcomeCounts));
	const char *p = skip_ws(str);
	uint32		seen = 0;

	if (*p != '{')
		outcome_syntax_error(str, "Expected \"{\".");
	p = skip_ws(p + 1);
	if (*p == '}')
		p++;
	else
	{
		for (;;)
		{
			const char *key;
			int			keylen;
			int			slot;
			int64		value = 0;

			if (*p != '"')
				outcome_syntax_error(str, "Expected an outcome code in double quotes.");
			key = ++p;
			while (*p != '"' && *p != '\0' && *p != '\\')
				p++;
			if (*p != '"')
				outcome_syntax_error(str, "Unterminated or escaped outcome code.");
			keylen = p - key;
			slot = slot_from_chars(key, keylen);
			if (slot < 0 && keylen == 4 && strncmp(key, "rows", 4) == 0)
				slot = OUTCOME_SLOT_MOVING_ROWS;
			if (slot < 0)
				unknown_code_error(ERRCODE_INVALID_TEXT_REPRESENTATION, key, keylen);
			if (seen & SLOT_BIT(slot))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type da.outcome_counts: \"%s\"", str),
						 errdetail("Outcome code %s appears more than once.", slot_key(slot))));
			seen |= SLOT_BIT(slot);
			p = skip_ws(p + 1);
			if (*p != ':')
				outcome_syntax_error(str, "Expected \":\" after an outcome code.");
			p = skip_ws(p + 1);
			if (*p == '-')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type da.outcome_counts: \"%s\"", str),
						 errdetail("The count of outcome code %s is negative; counts are never negative.",
								   slot_key(slot))));
			if (*p < '0' || *p > '9')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type da.outcome_counts: \"%s\"", str),
						 errdetail("The count of outcome code %s is not a whole number.", slot_key(slot))));
			if (*p == '0' && p[1] >= '0' && p[1] <= '9')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type da.outcome_counts: \"%s\"", str),
						 errdetail("The count of outcome code %s has a leading zero.", slot_key(slot))));
			while (*p >= '0' && *p <= '9')
			{
				if (unlikely(pg_mul_s64_overflow(value, 10, &value) ||
							 pg_add_s64_overflow(value, *p - '0', &value)))
					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("count of outcome code %s is out of range for type bigint",
									slot_key(slot)),
							 errdetail("Input: \"%s\".", str)));
				p++;
			}
			if (*p == '.' || *p == 'e' || *p == 'E')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type da.outcome_counts: \"%s\"", str),
						 errdetail("The count of outcome code %s is not a whole number.", slot_key(slot))));
			c->n[slot] = value;
			p = skip_ws(p);
			if (*p == ',')
			{
				p = skip_ws(p + 1);
				continue;
			}
			if (*p == '}')
			{
				p++;
				break;
			}
			outcome_syntax_error(str, "Expected \",\" or \"}\" after a count.");
		}
	}
	p = skip_ws(p);
	if (*p != '\0')
		outcome_syntax_error(str, "Unexpected text after \"}\".");
	PG_RETURN_POINTER(c);
}

static char *
outcome_counts_cstring(const OutcomeCounts *c)
{
	StringInfoData buf;
	bool		first = true;
	int			slot;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (slot = 0; slot < OUTCOME_NCODES; slot++)
	{
		if (c->n[slot] == 0)
			continue;
		if (!first)
			appendStringInfoString(&buf, ", ");
		appendStringInfo(&buf, "\"%s\": " INT64_FORMAT, slot_codes[slot], c->n[slot]);
		first = false;
	}
	/*
	 * Only a moving-aggregate state (outcome_maccum / outcome_mretract called directly) has a
	 * row count; it is written so that such a value reads back the same.
	 */
	if (c->n[OUTCOME_SLOT_MOVING_ROWS] != 0)
		appendStringInfo(&buf, "%s\"rows\": " INT64_FORMAT, first ? "" : ", ",
						 c->n[OUTCOME_SLOT_MOVING_ROWS]);
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

Datum
outcome_counts_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(outcome_counts_cstring((OutcomeCounts *) PG_GETARG_POINTER(0)));
}

Datum
outcome_counts_jsonb(PG_FUNCTION_ARGS)
{
	char	   *json = outcome_counts_cstring((OutcomeCounts *) PG_GETARG_POINTER(0));

	return DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
}

/* ---------- binary I/O: int32 number of code slots, then one int8 per slot ---------- */

Datum
outcome_counts_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	OutcomeCounts *c = (OutcomeCounts *) palloc0(sizeof(OutcomeCounts));
	int32		nslots = pq_getmsgint(buf, 4);
	int			slot;

	/*
	 * Fewer slots: a value from a release with fewer codes; the rest are zero.  All the slots
	 * (OUTCOME_SLOTS): a moving-aggregate state, whose last slot is its row count and whose
	 * other reserved slots are zero.
	 */
	if (nslots < 0 || (nslots > OUTCOME_NCODES && nslots != OUTCOME_SLOTS))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary da.outcome_counts: %d code slots (at most %d)",
						nslots, OUTCOME_NCODES)));
	for (slot = 0; slot < nslots; slot++)
	{
		c->n[slot] = pq_getmsgint64(buf);
		if (c->n[slot] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary da.outcome_counts: negative count of outcome code %s",
							slot_key(slot))));
		if (slot >= OUTCOME_NCODES && slot != OUTCOME_SLOT_MOVING_ROWS && c->n[slot] != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary da.outcome_counts: reserved slot %d is not zero", slot)));
	}
	PG_RETURN_POINTER(c);
}

Datum
outcome_counts_send(PG_FUNCTION_ARGS)
{
	OutcomeCounts *c = (OutcomeCounts *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int			slot;
	int			nslots = c->n[OUTCOME_SLOT_MOVING_ROWS] != 0 ? OUTCOME_SLOTS : OUTCOME_NCODES;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, nslots);
	for (slot = 0; slot < nslots; slot++)
		pq_sendint64(&buf, c->n[slot]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------- equality and hashing (stored values: reserved slots are zero) ---------- */

Datum
outcome_counts_eq(PG_FUNCTION_ARGS)
{
	OutcomeCounts *a = (OutcomeCounts *) PG_GETARG_POINTER(0);
	OutcomeCounts *b = (OutcomeCounts *) PG_GETARG_POINTER(1);

	PG_RETURN_BOOL(memcmp(a->n, b->n, sizeof(int64) * OUTCOME_NCODES) == 0);
}

Datum
outcome_counts_ne(PG_FUNCTION_ARGS)
{
	OutcomeCounts *a = (OutcomeCounts *) PG_GETARG_POINTER(0);
	OutcomeCounts *b = (OutcomeCounts *) PG_GETARG_POINTER(1);

	PG_RETURN_BOOL(memcmp(a->n, b->n, sizeof(int64) * OUTCOME_NCODES) != 0);
}

Datum
outcome_counts_hash(PG_FUNCTION_ARGS)
{
	OutcomeCounts *a = (OutcomeCounts *) PG_GETARG_POINTER(0);

	return hash_any((const unsigned char *) a->n, sizeof(int64) * OUTCOME_NCODES);
}

/* ---------- aggregate states ---------- */

/*
 * The state to update: the aggregate's own copy in place, a fresh zero state when there is
 * none yet, or a copy when called directly from SQL (a plain call must not scribble on its
 * input).
 */
static inline OutcomeCounts *
outcome_state_for_update(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		return (OutcomeCounts *) palloc0(sizeof(OutcomeCounts));
	return (OutcomeCounts *) ds_state_for_update(fcinfo, sizeof(OutcomeCounts));
}

/* Record level: one row = one outcome (or one crime not yet assigned one, code NULL or 0). */
Datum
outcome_accum_text(PG_FUNCTION_ARGS)
{
	OutcomeCounts *s = outcome_state_for_update(fcinfo);
	int			slot = PG_ARGISNULL(1) ? OUTCOME_SLOT_UNASSIGNED : text_code_slot(PG_GETARG_TEXT_PP(1));

	slot_add(s, slot, 1);
	PG_RETURN_POINTER(s);
}

Datum
outcome_accum_int4(PG_FUNCTION_ARGS)
{
	OutcomeCounts *s = outcome_state_for_update(fcinfo);
	int			slot = PG_ARGISNULL(1) ? OUTCOME_SLOT_UNASSIGNED : int_code_slot(PG_GETARG_INT32(1));

	slot_add(s, slot, 1);
	PG_RETURN_POINTER(s);
}

/* Moving-aggregate inverses: exact, the counts are integers. The state is never NULL here. */
Datum
outcome_retract_text(PG_FUNCTION_ARGS)
{
	OutcomeCounts *s = outcome_state_for_update(fcinfo);
	int			slot = PG_ARGISNULL(1) ? OUTCOME_SLOT_UNASSIGNED : text_code_slot(PG_GETARG_TEXT_PP(1));

	slot_sub(s, slot, 1);
	PG_RETURN_POINTER(s);
}

Datum
outcome_retract_int4(PG_FUNCTION_ARGS)
{
	OutcomeCounts *s = outcome_state_for_update(fcinfo);
	int			slot = PG_ARGISNULL(1) ? OUTCOME_SLOT_UNASSIGNED : int_code_slot(PG_GETARG_INT32(1));

	slot_sub(s, slot, 1);
	PG_RETURN_POINTER(s);
}

/*
 * Pre-counted: (code, n). A row whose count is NULL ("unable to provide") takes no part; a
 * NULL code is the number not yet assigned. The aggregate is NULL when no row had a count.
 * In moving-aggregate mode (a window whose frame start moves) the state must not be NULL
 * once a row has been seen, so the moving variants create it at once and count the rows
 * with a count in the reserved last slot; outcome_moving_final turns a frame without any
 * into NULL, as the plain aggregate does. Plain mode never touches that slot.
 */
static Datum
outcome_accum_n(FunctionCallInfo fcinfo, bool text_code, bool moving)
{
	OutcomeCounts *s;
	int			slot;
	int64		n;

	if (PG_ARGISNULL(2))
	{
		if (!PG_ARGISNULL(0))
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		if (moving)
			PG_RETURN_POINTER(palloc0(sizeof(OutcomeCounts)));
		PG_RETURN_NULL();
	}
	n = PG_GETARG_INT64(2);
	ds_check_count(n, "count");
	if (PG_ARGISNULL(1))
		slot = OUTCOME_SLOT_UNASSIGNED;
	else if (text_code)
		slot = text_code_slot(PG_GETARG_TEXT_PP(1));
	else
		slot = int_code_slot(PG_GETARG_INT32(1));
	s = outcome_state_for_update(fcinfo);
	slot_add(s, slot, n);
	if (moving)
		slot_add(s, OUTCOME_SLOT_MOVING_ROWS, 1);
	PG_RETURN_POINTER(s);
}

Datum
outcome_accum_text_n(PG_FUNCTION_ARGS)
{
	return outcome_accum_n(fcinfo, true, false);
}

Datum
outcome_accum_int4_n(PG_FUNCTION_ARGS)
{
	return outcome_accum_n(fcinfo, false, false);
}

Datum
outcome_maccum_text_n(PG_FUNCTION_ARGS)
{
	return outcome_accum_n(fcinfo, true, true);
}

Datum
outcome_maccum_int4_n(PG_FUNCTION_ARGS)
{
	return outcome_accum_n(fcinfo, false, true);
}

/* Inverse of the moving variants (an aggregate never passes a NULL state here). */
static Datum
outcome_mretract_n(FunctionCallInfo fcinfo, bool text_code)
{
	OutcomeCounts *s;
	int			slot;
	int64		n;

	/*
	 * Not STRICT, and callable directly with a NULL state (an aggregate never passes one): a
	 * NULL count leaves the state as it is, NULL included; removing a count from a NULL state
	 * fails below like removing it from an empty one.
	 */
	if (PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	n = PG_GETARG_INT64(2);
	ds_check_count(n, "count");
	if (PG_ARGISNULL(1))
		slot = OUTCOME_SLOT_UNASSIGNED;
	else if (text_code)
		slot = text_code_slot(PG_GETARG_TEXT_PP(1));
	else
		slot = int_code_slot(PG_GETARG_INT32(1));
	s = outcome_state_for_update(fcinfo);
	slot_sub(s, slot, n);
	slot_sub(s, OUTCOME_SLOT_MOVING_ROWS, 1);
	PG_RETURN_POINTER(s);
}

Datum
outcome_mretract_text_n(PG_FUNCTION_ARGS)
{
	return outcome_mretract_n(fcinfo, true);
}

Datum
outcome_mretract_int4_n(PG_FUNCTION_ARGS)
{
	return outcome_mretract_n(fcinfo, false);
}

/* Final function of the pre-counted forms in a window: never modifies the state. */
Datum
outcome_moving_final(PG_FUNCTION_ARGS)
{
	OutcomeCounts *s = (OutcomeCounts *) PG_GETARG_POINTER(0);
	OutcomeCounts *r;

	if (s->n[OUTCOME_SLOT_MOVING_ROWS] == 0)
		PG_RETURN_NULL();
	r = (OutcomeCounts *) memcpy(palloc(sizeof(OutcomeCounts)), s, sizeof(OutcomeCounts));
	r->n[OUTCOME_SLOT_MOVING_ROWS] = 0;
	PG_RETURN_POINTER(r);
}

/*
 * Merge: the combine function of every outcome aggregate, the transition of
 * outcome_merge_agg, and the + operator (a copy when called outside an aggregate).
 */
Datum
outcome_combine(PG_FUNCTION_ARGS)
{
	OutcomeCounts *a = outcome_state_for_update(fcinfo);
	OutcomeCounts *b = (OutcomeCounts *) PG_GETARG_POINTER(1);
	int			slot;

	for (slot = 0; slot < OUTCOME_NCODES; slot++)
		slot_add(a, slot, b->n[slot]);
	PG_RETURN_POINTER(a);
}

Datum
outcome_uncombine(PG_FUNCTION_ARGS)
{
	OutcomeCounts *a = outcome_state_for_update(fcinfo);
	OutcomeCounts *b = (OutcomeCounts *) PG_GETARG_POINTER(1);
	int			slot;

	for (slot = 0; slot < OUTCOME_NCODES; slot++)
		slot_sub(a, slot, b->n[slot]);
	PG_RETURN_POINTER(a);
}

/* ---------- reading: sets of codes as bit masks over the slots ---------- */

static uint32
codes_mask_text(text *t)
{
	return SLOT_BIT(text_code_slot(t));
}

static uint32
codes_mask_array(ArrayType *a)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	int			i;
	uint32		mask = 0;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the list of outcome codes must be a one-dimensional array")));
	deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &nelems);
	if (nelems == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the list of outcome codes is empty")));
	for (i = 0; i < nelems; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the list of outcome codes contains a NULL"),
					 errhint("Write '0' for crimes not yet assigned an outcome.")));
		mask |= codes_mask_text(DatumGetTextPP(elems[i]));
	}
	return mask;
}

static uint32
group_mask(text *name)
{
	char	   *s = text_to_cstring(name);
	int			g;
	int			slot;
	uint32		mask = 0;

	for (g = 0; g < OUTCOME_NGROUPS; g++)
		if (strcmp(s, group_names[g]) == 0)
			break;
	if (g == OUTCOME_NGROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown outcome group \"%s\"", s),
				 errhint("The groups are the group_name values of da.outcome_group, e.g. charged_summonsed, out_of_court_formal, evidential_difficulties_victim_does_not_support.")));
	for (slot = 0; slot < OUTCOME_NCODES; slot++)
		if (slot_group[slot] == g)
			mask |= SLOT_BIT(slot);
	return mask;
}

static int64
mask_sum(const OutcomeCounts *c, uint32 mask)
{
	int64		sum = 0;
	int			slot;

	for (slot = 0; slot < OUTCOME_NCODES; slot++)
		if (mask & SLOT_BIT(slot))
			sum = ds_add_count(sum, c->n[slot], "outcome counts");
	return sum;
}

/* Per 100 outcomes assigned: "not yet assigned" is not an outcome and has no share. */
static Datum
pct_of_outcomes(const OutcomeCounts *c, uint32 mask)
{
	int64		total;

	if (mask & OUTCOME_MASK_UNASSIGNED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("\"not yet assigned\" (code 0) has no share of outcomes assigned"),
				 errdetail("The base of a share of outcomes is the outcomes assigned, which excludes crimes not yet assigned one."),
				 errhint("Use da.outcome_per_100_offences for crimes not yet assigned an outcome per 100 offences.")));
	total = mask_sum(c, OUTCOME_MASK_OUTCOMES);
	if (total == 0)
		return (Datum) 0;
	return ds_rate_numeric(mask_sum(c, mask), total, 100);
}

static Datum
per_100_offences(const OutcomeCounts *c, uint32 mask, int64 offences)
{
	ds_check_count(offences, "offences");
	if (offences == 0)
		return (Datum) 0;
	return ds_rate_numeric(mask_sum(c, mask), offences, 100);
}

#define RETURN_SHARE(expr) \
	do { Datum d_ = (expr); if (d_ == (Datum) 0) PG_RETURN_NULL(); PG_RETURN_DATUM(d_); } while (0)

Datum
outcome_n(PG_FUNCTION_ARGS)
{
	OutcomeCounts *c = (OutcomeCounts *) PG_GETARG_POINTER(0);

	PG_RETURN_INT64(c->n[text_code_slot(PG_GETARG_TEXT_PP(1))]);
}

Datum
outcome_n_codes(PG_FUNCTION_ARGS)
{
	OutcomeCounts *c = (OutcomeCounts *) PG_GETARG_POINTER(0);

	PG_RETURN_INT64(mask_sum(c, codes_mask_array(PG_GETARG_ARRAYTYPE_P(1))));
}

Datum
outcome_total(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(mask_sum((OutcomeCounts *) PG_GETARG_POINTER(0), OUTCOME_MASK_OUTCOMES));
}

Datum
outcome_unassigned(PG_FUNCTION_ARGS)
{
	OutcomeCounts *c = (OutcomeCounts *) PG_GETARG_POINTER(0);

	PG_RETURN_INT64(c->n[OUTCOME_SLOT_UNASSIGNED]);
}

Datum
outcome_pct_of_outcomes(PG_FUNCTION_ARGS)
{
	RETURN_SHARE(pct_of_outcomes((OutcomeCounts *) PG_GETARG_POINTER(0),
								 codes_mask_text(PG_GETARG_TEXT_PP(1))));
}

Datum
outcome_pct_of_outcomes_codes(PG_FUNCTION_ARGS)
{
	RETURN_SHARE(pct_of_outcomes((OutcomeCounts *) PG_GETARG_POINTER(0),
								 codes_mask_array(PG_GETARG_ARRAYTYPE_P(1))));
}

Datum
outcome_per_100_offences(PG_FUNCTION_ARGS)
{
	RETURN_SHARE(per_100_offences((OutcomeCounts *) PG_GETARG_POINTER(0),
								  codes_mask_text(PG_GETARG_TEXT_PP(1)), PG_GETARG_INT64(2)));
}

Datum
outcome_per_100_offences_codes(PG_FUNCTION_ARGS)
{
	RETURN_SHARE(per_100_offences((OutcomeCounts *) PG_GETARG_POINTER(0),
								  codes_mask_array(PG_GETARG_ARRAYTYPE_P(1)), PG_GETARG_INT64(2)));
}

Datum
outcome_group_n(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(mask_sum((OutcomeCounts *) PG_GETARG_POINTER(0), group_mask(PG_GETARG_TEXT_PP(1))));
}

Datum
outcome_group_pct_of_outcomes(PG_FUNCTION_ARGS)
{
	RETURN_SHARE(pct_of_outcomes((OutcomeCounts *) PG_GETARG_POINTER(0),
								 group_mask(PG_GETARG_TEXT_PP(1))));
}

Datum
outcome_group_per_100_offences(PG_FUNCTION_ARGS)
{
	RETURN_SHARE(per_100_offences((OutcomeCounts *) PG_GETARG_POINTER(0),
								  group_mask(PG_GETARG_TEXT_PP(1)), PG_GETARG_INT64(2)));
}

/* The codes compiled into the type: (slot, code, group_name), for the reference-table check. */
Datum
outcome_type_codes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			slot;

	InitMaterializedSRF(fcinfo, 0);
	for (slot = 0; slot < OUTCOME_NCODES; slot++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = Int32GetDatum(slot + 1);
		values[1] = CStringGetTextDatum(slot_codes[slot]);
		values[2] = CStringGetTextDatum(group_names[(int) slot_group[slot]]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
