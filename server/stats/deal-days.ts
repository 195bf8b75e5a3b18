import type { ListingState } from '../db/database';
import type { Decimal } from '../http/money';
import { displayDate } from '../http/time';
import { isDeal } from '../listings/status';

// The rule of the daily deal totals (table deal_days), in one place: which award counts, on which
// day, for which township and kind, with which amounts. The use case that makes a deal applies it in
// its own transaction (server/awards/awards.service.ts through deal-days.service.ts); a rebuild
// applies it to every award. Statistics read the totals (stats.repository.ts).

/** What the rule reads of an award and its listing. */
export interface DealAward {
  townshipId: string;
  listingState: ListingState;
  kind: 'procurement' | 'lease';
  awardedAt: Date;
  basePrice: Decimal;
  amount: Decimal;
  savings: Decimal;
  /** whole-term figures of a yearly-priced lease; null for every other award */
  term: { basePrice: Decimal; amount: Decimal } | null;
}

/** One row's worth of change to deal_days: added to whatever the row holds. */
export interface DealDayChange {
  townshipId: string;
  /** awarded_at's calendar day in Asia/Shanghai, YYYY-MM-DD */
  day: string;
  kind: 'procurement' | 'lease';
  deals: number;
  baseTotal: Decimal;
  awardTotal: Decimal;
  savings: Decimal;
}

/**
 * The change an award makes to the totals: a deal while its listing is awarded or concluded (null
 * otherwise), on its award's day in Asia/Shanghai, with whole-term amounts (a yearly lease's term
 * figures; savings is whole-term already).
 */
export function dealDayChange(a: DealAward): DealDayChange | null {
  if (!isDeal(a.listingState)) return null;
  return {
    townshipId: a.townshipId,
    day: displayDate(a.awardedAt),
    kind: a.kind,
    deals: 1,
    baseTotal: a.term?.basePrice ?? a.basePrice,
    awardTotal: a.term?.amount ?? a.amount,
    savings: a.savings,
  };
}
