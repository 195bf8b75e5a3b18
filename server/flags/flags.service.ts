import type { AppContext } from '../context';
import { Flag, flagDeals } from './flags';
import * as repo from './flags.repository';

/** The flags of the revealed deals in scope. */
export async function computeFlags(
  ctx: AppContext,
  opts: { townshipId?: string; listingIds?: string[] },
): Promise<Flag[]> {
  const deals = await repo.loadRevealedDeals(ctx.db, opts);
  const wins = await repo.loadWins(ctx.db, [...new Set(deals.map((d) => d.townshipId))]);
  return flagDeals(deals, wins);
}
