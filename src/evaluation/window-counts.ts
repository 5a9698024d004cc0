import type { WindowCounts } from '../detection/types.js';
import type { Catalog } from '../storage/catalogs.js';

/**
 * Counts by slot → what detection reads: the total of the catalog's statuses and the watched ones by name.
 * A catalog without a watched status reports 0 for it (its rate metric then never alerts). `offset` is where
 * the slots start in `slots` (packed rows: row × SLOT_COUNT).
 */
export function toWindowCounts(
  slots: readonly number[],
  catalog: Catalog,
  minutes: number,
  offset = 0,
): WindowCounts {
  let total = 0;
  for (const { slot } of catalog.statuses) total += slots[offset + slot] ?? 0;
  // No closure here: this runs for every hour of every series' history, and tsx wraps each closure it creates.
  return {
    minutes,
    total,
    failed: countAt(slots, offset, catalog.slotOf.get('failed')),
    denied: countAt(slots, offset, catalog.slotOf.get('denied')),
    reversed: countAt(slots, offset, catalog.slotOf.get('reversed')),
  };
}

function countAt(slots: readonly number[], offset: number, slot: number | undefined): number {
  return slot === undefined ? 0 : (slots[offset + slot] ?? 0);
}
