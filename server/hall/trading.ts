import type { AppContext } from '../context';
import { formatMoney } from '../http/money';
import type { StatsFilter } from '../stats/stats';
import { computeStats } from '../stats/stats.service';

/** Trading as one line of the hall's figures: the same numbers as /stats, from its one query. */
export async function tradingFigures(ctx: AppContext, filter: StatsFilter) {
  const s = await computeStats(ctx, filter);
  return { dealCount: s.dealCount, totalAmount: formatMoney(s.totalAmount), savingsTotal: formatMoney(s.savingsTotal) };
}
