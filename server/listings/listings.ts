import type { ListingState } from '../db/database';
import { formatMoney } from '../http/money';
import { effectiveStatus, isRevealed } from './status';
import type { ListingTerms } from './terms';

/** A listing: the terms staff set (terms.ts) plus its identity and where it is in its life. */
export interface Listing extends ListingTerms {
  id: string;
  code: string;
  townshipId: string;
  state: ListingState;
  cancelReason: string | null;
  relistedFrom: string | null;
  createdAt: Date;
  publishedAt: Date | null;
  openedAt: Date | null;
  /** the current end of bidding: bidDeadline, or later once an auction bid extended it */
  endsAt: Date;
}

export type { SaleMethod } from './terms';

/** The API's listing object. bidCount is given only once bids are opened. */
export function listingToJson(l: Listing, now: Date, extra: { bidCount?: number } = {}) {
  const status = effectiveStatus(l, now);
  return {
    id: l.id,
    code: l.code,
    townshipId: l.townshipId,
    kind: l.kind,
    category: l.category,
    title: l.title,
    description: l.description,
    location: l.location,
    quantity: l.quantity,
    basePrice: formatMoney(l.basePrice),
    depositAmount: formatMoney(l.depositAmount),
    leaseTermMonths: l.leaseTermMonths,
    priceBasis: l.priceBasis,
    area: l.area ? l.area.toFixed(2) : null,
    areaUnit: l.areaUnit,
    bidOpensAt: l.bidOpensAt.toISOString(),
    bidDeadline: l.bidDeadline.toISOString(),
    status,
    cancelReason: l.cancelReason,
    relistedFrom: l.relistedFrom,
    createdAt: l.createdAt.toISOString(),
    publishedAt: l.publishedAt ? l.publishedAt.toISOString() : null,
    method: l.method,
    ...(l.method === 'auction'
      ? {
          increment: l.increment ? formatMoney(l.increment) : null,
          extensionSeconds: l.extensionSeconds,
          endsAt: l.endsAt.toISOString(),
        }
      : {}),
    ...(isRevealed(l) && extra.bidCount !== undefined ? { bidCount: extra.bidCount } : {}),
  };
}

/** A listing's code: the township's code, the year, and the year's number in four digits or more (XQ-2026-0007). */
export function formatListingCode(townshipCode: string, year: number, n: number): string {
  return `${townshipCode}-${year}-${String(n).padStart(4, '0')}`;
}
