/*
 * outcomes.h — da.outcome_counts: exact counts per Home Office crime outcome code.
 *
 * A fixed-size (256-byte) pass-by-reference type: one int64 per code slot, in the canonical
 * order of da.outcome_code.sort_order ('1', '1A', '2', '2A', '3', '3A', '4' … '18', '20' …
 * '23', then '0' = not yet assigned). Slots 26..31 are reserved so that a later release can
 * add codes without changing the on-disk size; they are always zero in a stored value.
 */
#ifndef DA_OUTCOMES_H
#define DA_OUTCOMES_H

#include "postgres.h"

#define OUTCOME_SLOTS				32	/* storage slots (INTERNALLENGTH = 8 * 32) */
#define OUTCOME_NCODES				26	/* slots in use: 25 outcome codes + unassigned */
#define OUTCOME_SLOT_UNASSIGNED		25	/* code '0' / NULL: not yet assigned an outcome */
#define OUTCOME_NGROUPS				12	/* Home Office groups, incl. "not yet assigned" */

typedef struct OutcomeCounts
{
	int64		n[OUTCOME_SLOTS];
} OutcomeCounts;

/* The slot of a code written as text ('1', '1A', '16', '0'); -1 if it is not a code. */
extern int	outcome_slot_from_text(const char *code, int len);

/* The slot of an integer code (0 = unassigned, 1..23 except 19); -1 if not a code. */
extern int	outcome_slot_from_int(int64 code);

/* The canonical text of a slot's code, and the name of its Home Office group. */
extern const char *outcome_slot_code(int slot);
extern const char *outcome_slot_group(int slot);

#endif							/* DA_OUTCOMES_H */
