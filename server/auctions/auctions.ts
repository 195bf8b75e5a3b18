import { compareBids } from '../bids/bids';
import { NotFoundError, RuleError } from '../http/errors';
import { Decimal, displayMoney, formatMoney } from '../http/money';
import type { Listing } from '../listings/listings';
import type { DealKind } from '../townships/townships';

// Pure rules of an open auction (网络竞价): the increment grid, the least valid next bid, the
// 限时竞价 extension and the ranking at the close. A lease rises (best = highest), a procurement
// falls (best = lowest). No database, no clock: the use case passes the database's moment in.

export type AuctionDirection = 'rising' | 'falling';

export function directionOf(kind: DealKind): AuctionDirection {
  return kind === 'lease' ? 'rising' : 'falling';
}

/** What the rules need of a listing sold by auction. */
export interface AuctionTerms {
  kind: DealKind;
  basePrice: Decimal;
  increment: Decimal;
  extensionSeconds: number;
}

/** A listing sold by auction, with the terms its rules read and its current end. */
export interface AuctionListing extends Listing {
  auction: AuctionTerms & { endsAt: Date };
}

/** The listing as an auction; 404 for one sold by sealed bids (or an auction without its terms). */
export function asAuction(l: Listing): AuctionListing {
  if (l.method !== 'auction' || !l.increment || !l.extensionSeconds) throw new NotFoundError();
  return {
    ...l,
    auction: {
      kind: l.kind,
      basePrice: l.basePrice,
      increment: l.increment,
      extensionSeconds: l.extensionSeconds,
      endsAt: l.endsAt,
    },
  };
}

/**
 * On the grid: lease basePrice + k × increment, procurement basePrice − k × increment, k a whole
 * number ≥ 0 (and a falling bid stays above zero).
 */
export function isOnGrid(t: Pick<AuctionTerms, 'kind' | 'basePrice' | 'increment'>, amount: Decimal): boolean {
  const moved = t.kind === 'lease' ? amount.minus(t.basePrice) : t.basePrice.minus(amount);
  if (moved.isNegative() || amount.lte(0)) return false;
  return moved.mod(t.increment).isZero();
}

/**
 * The least valid bid (for a falling auction: the highest valid one): the base price while nobody
 * has bid, else the best moved by one increment. null when a falling auction has reached the floor
 * (one more increment would be zero or less).
 */
export function nextMinimum(
  t: Pick<AuctionTerms, 'kind' | 'basePrice' | 'increment'>,
  best: Decimal | null,
): Decimal | null {
  if (best === null) return t.basePrice;
  const next = t.kind === 'lease' ? best.plus(t.increment) : best.minus(t.increment);
  return next.gt(0) ? next : null;
}

/** Beats the best by at least one increment (any amount when nobody has bid yet: the grid decides). */
export function beatsBest(
  t: Pick<AuctionTerms, 'kind' | 'basePrice' | 'increment'>,
  best: Decimal | null,
  amount: Decimal,
): boolean {
  const min = nextMinimum(t, best);
  if (min === null) return false;
  return t.kind === 'lease' ? amount.gte(min) : amount.lte(min);
}

/** 422 INVALID_INCREMENT, saying the grid in words. */
export function invalidIncrement(terms: AuctionTerms): RuleError {
  return new RuleError(
    'INVALID_INCREMENT',
    terms.kind === 'lease' ? 'error.INVALID_INCREMENT.lease' : 'error.INVALID_INCREMENT.procurement',
    { basePrice: displayMoney(terms.basePrice), increment: displayMoney(terms.increment) },
    { basePrice: formatMoney(terms.basePrice), increment: formatMoney(terms.increment) },
  );
}

export type BidRefusal =
  { code: 'INVALID_INCREMENT' } | { code: 'ALREADY_LEADING' } | { code: 'BID_NOT_BETTER'; nextMin: Decimal | null };

/**
 * Why a bid is refused against the current best and leader, or null when it is taken. The grid is
 * checked first (it needs nothing but the terms), then the leader, then the amount against the best.
 */
export function refuseBid(
  t: Pick<AuctionTerms, 'kind' | 'basePrice' | 'increment'>,
  state: { best: Decimal | null; leaderId: string | null },
  bidderId: string,
  amount: Decimal,
): BidRefusal | null {
  if (!isOnGrid(t, amount)) return { code: 'INVALID_INCREMENT' };
  if (state.leaderId === bidderId) return { code: 'ALREADY_LEADING' };
  if (!beatsBest(t, state.best, amount)) return { code: 'BID_NOT_BETTER', nextMin: nextMinimum(t, state.best) };
  return null;
}

/**
 * 限时竞价: a bid placed less than extensionSeconds before the current end moves the end to
 * bid time + extensionSeconds; any other bid leaves it. Both moments are the database's.
 */
export function endAfterBid(currentEnd: Date, bidAt: Date, extensionSeconds: number): Date {
  const windowMs = extensionSeconds * 1000;
  if (currentEnd.getTime() - bidAt.getTime() < windowMs) return new Date(bidAt.getTime() + windowMs);
  return currentEnd;
}

/** Milliseconds from `now` to the end, never negative (for countdowns and timers). */
export function msUntil(end: Date, now: Date): number {
  return Math.max(0, end.getTime() - now.getTime());
}

/** The 竞买号 shown instead of a name: "3号". */
export function aliasOf(number: number): string {
  return `${number}号`;
}

export interface AuctionBid {
  id: string;
  seq: number;
  bidderId: string;
  alias: string;
  amount: Decimal;
  at: Date;
  endsAt: Date;
}

/** The current best: the last accepted bid (every accepted bid beats the one before). */
export function bestOf(history: readonly AuctionBid[]): AuctionBid | null {
  let best: AuctionBid | null = null;
  for (const b of history) if (!best || b.seq > best.seq) best = b;
  return best;
}

/**
 * The close's ranking: each bidder's best bid, best first (highest for a lease, lowest for a
 * procurement), ties to the earlier bid. One row per bidder, since the award goes to a bidder.
 */
export function rankBidders(kind: DealKind, history: readonly AuctionBid[]): (AuctionBid & { rank: number })[] {
  const byBidder = new Map<string, AuctionBid>();
  for (const b of history) {
    const kept = byBidder.get(b.bidderId);
    if (
      !kept ||
      compareBids(kind, { amount: b.amount, submittedAt: b.at }, { amount: kept.amount, submittedAt: kept.at }) < 0
    )
      byBidder.set(b.bidderId, b);
  }
  return [...byBidder.values()]
    .sort(
      (a, b) =>
        compareBids(kind, { amount: a.amount, submittedAt: a.at }, { amount: b.amount, submittedAt: b.at }) ||
        a.seq - b.seq,
    )
    .map((b, i) => ({ ...b, rank: i + 1 }));
}

/** A history item as the API and the event stream give it: never a name, only the alias. */
export function historyItemToJson(b: Pick<AuctionBid, 'seq' | 'amount' | 'at' | 'alias'>) {
  return { seq: b.seq, amount: formatMoney(b.amount), at: b.at.toISOString(), alias: b.alias };
}

/** At most this many live auctions on a hall screen: each keeps one event stream open. */
export const SCREEN_LIMIT = 4;

/** An auction taking bids now, as the hall's kiosk and LED ticker show it. */
export interface LiveAuction {
  listing: AuctionListing;
  /** the last accepted bid's sequence number, 0 before the first */
  lastSeq: number;
  best: Decimal | null;
  /** the leader's 竞买号, null before the first bid */
  bestAlias: string | null;
}
