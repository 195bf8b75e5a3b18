import { Decimal, formatMoney, formatRate } from '../http/money';
import { Listing, listingToJson } from '../listings/listings';
import { effectiveStatus, isBeforeDeadline } from '../listings/status';

/** An award as the board (and the awards API) shows it, with the listing it closed. */
export interface BoardResult {
  listingId: string;
  bidId: string;
  bidderId: string;
  bidderName: string;
  kind: 'procurement' | 'lease';
  basePrice: Decimal;
  amount: Decimal;
  savings: Decimal;
  savingsRate: Decimal;
  /** a yearly-priced lease's award over the whole term; null otherwise */
  termAmount: Decimal | null;
  awardedAt: Date;
  publicityEndsAt: Date;
  title: string;
  code: string;
  townshipId: string;
  category: string;
  listingState: Listing['state'];
}

/** Live announcements only, the soonest deadline first (ties: earlier opening, then code). */
export function boardAnnouncements(listings: Listing[], now: Date): Listing[] {
  return listings
    .filter((l) => isBeforeDeadline(effectiveStatus(l, now)))
    .sort(
      (a, b) =>
        a.bidDeadline.getTime() - b.bidDeadline.getTime() ||
        a.bidOpensAt.getTime() - b.bidOpensAt.getTime() ||
        a.code.localeCompare(b.code),
    );
}

/** Results newest first. */
export function sortResults(results: BoardResult[]): BoardResult[] {
  return [...results].sort((a, b) => b.awardedAt.getTime() - a.awardedAt.getTime() || a.code.localeCompare(b.code));
}

export function isUnderPublicity(r: Pick<BoardResult, 'publicityEndsAt'>, now: Date): boolean {
  return now < r.publicityEndsAt;
}

/** The API's award object (API.md) plus the listing's title, code, township and status. */
export function resultToJson(r: BoardResult, now: Date) {
  return {
    listingId: r.listingId,
    bidId: r.bidId,
    bidderId: r.bidderId,
    bidderName: r.bidderName,
    kind: r.kind,
    basePrice: formatMoney(r.basePrice),
    amount: formatMoney(r.amount),
    savings: formatMoney(r.savings),
    savingsRate: formatRate(r.savingsRate),
    ...(r.termAmount ? { termAmount: formatMoney(r.termAmount) } : {}),
    awardedAt: r.awardedAt.toISOString(),
    publicityEndsAt: r.publicityEndsAt.toISOString(),
    title: r.title,
    code: r.code,
    townshipId: r.townshipId,
    category: r.category,
    status: r.listingState,
    underPublicity: isUnderPublicity(r, now),
  };
}

export function announcementToJson(l: Listing, now: Date) {
  // never a bid count: announcements are before opening by definition
  return listingToJson(l, now);
}

/**
 * The next moment the board changes by the clock alone (a listing opens for bids, a deadline
 * passes, a publicity period ends). Caches must not outlive it.
 */
export function nextClockChange(
  listings: Pick<Listing, 'bidOpensAt' | 'bidDeadline'>[],
  results: Pick<BoardResult, 'publicityEndsAt'>[],
  now: Date,
): Date | null {
  let next: number | null = null;
  const consider = (d: Date) => {
    const t = d.getTime();
    if (t > now.getTime() && (next === null || t < next)) next = t;
  };
  for (const l of listings) {
    consider(l.bidOpensAt);
    consider(l.bidDeadline);
  }
  for (const r of results) consider(r.publicityEndsAt);
  return next === null ? null : new Date(next);
}
