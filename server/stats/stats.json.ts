import { formatMoney } from '../http/money';
import type { TradingStats } from './stats.service';

// The statistics as the API answers them (API.md "GET /stats"): money as strings to the fen.

type DealTotals = Pick<TradingStats, 'dealCount' | 'totalAmount' | 'savingsTotal'>;
type KindTotals = TradingStats['procurement'];

const totalsToJson = (d: DealTotals) => ({
  dealCount: d.dealCount,
  totalAmount: formatMoney(d.totalAmount),
  savingsTotal: formatMoney(d.savingsTotal),
});
const kindToJson = (k: KindTotals) => ({
  count: k.count,
  baseTotal: formatMoney(k.baseTotal),
  awardTotal: formatMoney(k.awardTotal),
  savings: formatMoney(k.savings),
});

/** The API's /stats object (API.md). */
export function statsToJson(s: TradingStats) {
  return {
    ...totalsToJson(s),
    procurement: kindToJson(s.procurement),
    lease: kindToJson(s.lease),
    failedCount: s.failedCount,
    openCount: s.openCount,
    byTownship: s.byTownship.map((t) => ({ townshipId: t.townshipId, name: t.name, ...totalsToJson(t) })),
    byMonth: s.byMonth.map((m) => ({ month: m.month, ...totalsToJson(m) })),
  };
}
