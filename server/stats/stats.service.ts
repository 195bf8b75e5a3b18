import { defineRead } from '../cache/cache';
import type { AppContext } from '../context';
import { Decimal } from '../http/money';
import type { StatsFilter } from './stats';
import * as repo from './stats.repository';
import type { DealTotals, KindTotals } from './stats.repository';
import './stats.messages';

/** The statistics through the read cache (the API and the /stats page share it, under `stats:<filter>`). */
export const STATS_READ = defineRead('stats', ['deal_days', 'awards', 'listings', 'townships']);

export interface TradingStats extends DealTotals {
  procurement: KindTotals;
  lease: KindTotals;
  failedCount: number;
  openCount: number;
  byTownship: (DealTotals & { townshipId: string; name: string })[];
  byMonth: (DealTotals & { month: string })[];
}

/**
 * The trading statistics of a filter — the one place they are computed, so /stats, the hall's
 * figures and the exports agree to the fen. A deal counts from its award, dated by awardedAt.
 */
export async function computeStats(
  ctx: AppContext,
  filter: StatsFilter,
  source: repo.DealSource = 'daily',
): Promise<TradingStats> {
  const [kinds, perTownship, byMonth, townships, failedCount, openCount] = await Promise.all([
    repo.sumDealsByKind(ctx.db, filter, source),
    repo.sumDealsByTownship(ctx.db, filter, source),
    repo.sumDealsByMonth(ctx.db, filter, source),
    repo.listTownshipsInScope(ctx.db, filter),
    repo.countFailed(ctx.db, filter),
    repo.countInProgress(ctx.db, filter),
  ]);
  const zero = new Decimal(0);
  return {
    dealCount: kinds.procurement.count + kinds.lease.count,
    totalAmount: kinds.procurement.awardTotal.plus(kinds.lease.awardTotal),
    savingsTotal: kinds.procurement.savings.plus(kinds.lease.savings),
    procurement: kinds.procurement,
    lease: kinds.lease,
    failedCount,
    openCount,
    // every township in scope, with zeros where nothing was traded, so a district's table is complete
    byTownship: townships.map((t) => ({
      townshipId: t.id,
      name: t.name,
      ...(perTownship.get(t.id) ?? { dealCount: 0, totalAmount: zero, savingsTotal: zero }),
    })),
    byMonth,
  };
}
