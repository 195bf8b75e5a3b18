import type { AppContext } from '../context';
import type { Trx } from '../db/db';
import type { DealDayChange } from './deal-days';
import * as repo from './deal-days.repository';

// The daily deal totals for other concepts: the use case that makes a deal counts it in its own
// transaction; whoever wrote awards past that use case (an import, a repair) rebuilds them.

/**
 * A step of the use case that made the listing a deal (recordAward): its award counts in the daily
 * totals, in that transaction, after the award is written and the listing moved. What was added, or null.
 */
export function countDeal(trx: Trx, listingId: string): Promise<DealDayChange | null> {
  return repo.countDeal(trx, listingId);
}

/** Every daily total again from the awards; the number of deals counted. */
export function rebuildDealDays(ctx: AppContext): Promise<number> {
  return repo.rebuildDealDays(ctx.db);
}
