import type { AppContext } from '../context';
import type { Trx } from '../db/db';
import { AuthUser } from '../http/access';
import { ConflictError, NotFoundError, RuleError } from '../http/errors';
import { Decimal, displayMoney, formatMoney, parseMoney } from '../http/money';
import { assertRegisteredWithin } from '../bids/registrations.service';
import { extendAuctionEnd, listingClock, loadListing, LockedListing } from '../listings/life';
import { listOpenAuctions, listPublishedAuctions } from '../listings/listings.service';
import { effectiveStatus, isBeforeDeadline, ListingStatus } from '../listings/status';
import {
  aliasOf,
  asAuction,
  AuctionBid,
  AuctionListing,
  bestOf,
  endAfterBid,
  historyItemToJson,
  invalidIncrement,
  isOnGrid,
  LiveAuction,
  nextMinimum,
  refuseBid,
  SCREEN_LIMIT,
} from './auctions';
import * as repo from './auctions.repository';
import './auctions.messages';

// The use cases of an open auction: placing a bid, reading the room, and marking the end. Each
// bid runs under the listing row lock with the database clock read inside the transaction, so two
// bids at one level are taken one after the other and the second finds the level gone.

/** What the event stream and every instance's clock hear (NOTIFY payload). */
export type AuctionSignal =
  | { type: 'bid'; listingId: string; item: ReturnType<typeof historyItemToJson>; endsAt: string }
  | { type: 'end'; listingId: string; endedAt: string; bidCount: number; cancelled?: true };

/** A published (or later) listing sold by auction; drafts and sealed listings are 404 here. */
export async function findVisibleAuction(ctx: AppContext, id: string): Promise<AuctionListing> {
  const listing = await loadListing(ctx.db, undefined, id, { access: 'view' });
  if (listing.method !== 'auction') throw new NotFoundError();
  return asAuction(listing);
}

export interface PlacedBid {
  id: string;
  seq: number;
  amount: Decimal;
  at: Date;
  endsAt: Date;
  alias: string;
  extended: boolean;
}

/**
 * Takes a bid when it is on the grid, inside the window by the database clock, from a bidder with a
 * confirmed deposit where one is asked, who is not already leading, and beats the best by an
 * increment. A bid less than extensionSeconds before the end moves the end (限时竞价).
 */
export async function placeAuctionBid(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  rawAmount: unknown,
): Promise<PlacedBid> {
  const amount = parseMoney(rawAmount);
  // no read before the transaction: under a burst every request's round trips queue for the pool, so the
  // listing is read once, locked, and its terms (fixed once published) checked from that row
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, user, listingId, { access: 'view', lock: true });
    const { auction: terms } = asAuction(locked); // 404 for a listing that is not an auction
    if (!isOnGrid(terms, amount)) throw invalidIncrement(terms);
    if (locked.state !== 'published') throw new ConflictError('BIDDING_CLOSED', 'error.BIDDING_CLOSED.auction');
    // the window by the database clock read now, under the lock, with the best bid and the bidder's number
    const moment = await repo.readBidMoment(trx, listingId, user.id);
    const status = effectiveStatus(locked, moment.at);
    if (status === 'announced') throw new ConflictError('BIDDING_NOT_OPEN', 'error.BIDDING_NOT_OPEN.auction');
    if (status !== 'open') {
      const details = { endsAt: locked.endsAt.toISOString() };
      throw new ConflictError('BIDDING_CLOSED', 'error.BIDDING_CLOSED.auction', {}, details);
    }
    if (locked.depositAmount.gt(0)) await assertRegisteredWithin(trx, listingId, user.id);
    const last = moment.last;
    const refusal = refuseBid(terms, { best: last?.amount ?? null, leaderId: last?.bidderId ?? null }, user.id, amount);
    if (refusal?.code === 'INVALID_INCREMENT') throw invalidIncrement(terms);
    if (refusal?.code === 'ALREADY_LEADING') throw new ConflictError('ALREADY_LEADING');
    if (refusal?.code === 'BID_NOT_BETTER') {
      const nextMin = refusal.nextMin ? formatMoney(refusal.nextMin) : null;
      throw new RuleError(
        'BID_NOT_BETTER',
        nextMin ? 'error.BID_NOT_BETTER' : 'error.BID_NOT_BETTER.floor',
        { nextMin: refusal.nextMin ? displayMoney(refusal.nextMin) : '' },
        { nextMin },
      );
    }
    const endsAt = endAfterBid(locked.endsAt, moment.at, terms.extensionSeconds);
    const extended = endsAt.getTime() !== locked.endsAt.getTime();
    if (extended) await extendAuctionEnd(trx, locked, endsAt);
    const alias = aliasOf(moment.number);
    const seq = (last?.seq ?? 0) + 1;
    const signal: AuctionSignal = {
      type: 'bid',
      listingId,
      item: historyItemToJson({ seq, amount, at: moment.at, alias }),
      endsAt: endsAt.toISOString(),
    };
    const bid = { listingId, seq, bidderId: user.id, number: moment.number, amount, at: moment.at, endsAt };
    const id = await repo.writeAuctionBid(trx, bid, signal);
    return { id, seq, amount, at: moment.at, endsAt, alias, extended };
  });
}

export interface AuctionRoom {
  listing: AuctionListing;
  status: ListingStatus;
  now: Date;
  endsAt: Date;
  nextMin: Decimal | null;
  best: AuctionBid | null;
  /** newest first */
  history: AuctionBid[];
  ended: boolean;
  /** the viewer's own 竞买号 once they have bid */
  myAlias: string | null;
}

/** Everything the room shows, read at one moment (public: aliases only, never names). */
export async function readAuctionRoom(ctx: AppContext, viewer: AuthUser | undefined, id: string): Promise<AuctionRoom> {
  const listing = await findVisibleAuction(ctx, id);
  const [history, end, myNumber] = await Promise.all([
    repo.listAuctionBids(ctx.db, id),
    repo.findAuctionEnd(ctx.db, id),
    viewer?.role === 'bidder' ? repo.findBidderNumber(ctx.db, id, viewer.id) : Promise.resolve(undefined),
  ]);
  const now = new Date();
  const best = bestOf(history);
  const status = effectiveStatus(listing, now); // open until the current end (endsAt)
  return {
    listing,
    status,
    now,
    endsAt: listing.auction.endsAt,
    nextMin: isBeforeDeadline(status) ? nextMinimum(listing.auction, best?.amount ?? null) : null,
    best,
    history,
    ended: end !== undefined || !isBeforeDeadline(status),
    myAlias: myNumber ? aliasOf(myNumber) : null,
  };
}

/** What an event stream sends once subscribed: the bids it missed, and the end when the auction is over. */
export interface AuctionCatchUp {
  /** the accepted bids after the stream's last seen one, oldest first (none for a stream not resuming) */
  missed: AuctionBid[];
  end: { endedAt: Date; bidCount: number; cancelled: boolean } | null;
}

/** The bids after `afterSeq` (null: a new stream, nothing to replay) and the end, if any; read after subscribing. */
export async function catchUpAuction(
  ctx: AppContext,
  listing: AuctionListing,
  afterSeq: number | null,
): Promise<AuctionCatchUp> {
  const missed = afterSeq === null ? [] : (await repo.listAuctionBids(ctx.db, listing.id, afterSeq)).reverse();
  const marked = await repo.findAuctionEnd(ctx.db, listing.id);
  const cancelled = listing.state === 'cancelled';
  if (marked) return { missed, end: { ...marked, cancelled } };
  if (listing.state === 'published') return { missed, end: null };
  // over without the end marker (cancelled before cancelling wrote it: older data)
  const bidCount = (await repo.listAuctionBids(ctx.db, listing.id)).length;
  return { missed, end: { endedAt: new Date(), bidCount, cancelled } };
}

/**
 * Marks the auction over once its end has passed by the database clock, under the listing lock (so
 * no bid can extend it meanwhile) and through a unique key (so of several instances firing at the
 * same moment exactly one writes it and sends `end`). Answers the end still ahead when not over.
 */
export async function endAuctionIfDue(
  ctx: AppContext,
  listingId: string,
): Promise<{ over: true } | { over: false; msLeft: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, undefined, listingId, { access: 'app', lock: true });
    if (locked.method !== 'auction' || locked.state === 'draft') return { over: true };
    const clock = await listingClock(trx, locked);
    if (isBeforeDeadline(clock.status)) return { over: false, msLeft: locked.endsAt.getTime() - clock.at.getTime() };
    await markEnded(trx, listingId, clock.at);
    return { over: true };
  });
}

/**
 * Writes the end marker and sends `end` if nobody did yet; the caller holds the listing lock. A cancelled
 * auction ends this way too (`cancelled: true`), so every instance's watchers hear it and their streams close.
 */
export async function markEnded(trx: Trx, listingId: string, at: Date, opts: { cancelled?: boolean } = {}) {
  const last = await repo.findLastBid(trx, listingId);
  const bidCount = last?.seq ?? 0;
  if (await repo.markAuctionEnded(trx, listingId, at, bidCount)) {
    const signal: AuctionSignal = {
      type: 'end',
      listingId,
      endedAt: at.toISOString(),
      bidCount,
      ...(opts.cancelled ? { cancelled: true as const } : {}),
    };
    await repo.signalAuction(trx, signal);
  }
}

/** A cancelled (终止) auction ends at this instant by the database clock; the caller holds the listing lock. */
export async function endCancelledAuction(trx: Trx, listing: LockedListing) {
  const clock = await listingClock(trx, listing);
  await markEnded(trx, listing.id, clock.at, { cancelled: true });
}

/** Published auctions not yet marked over, with their current end: what each instance's clock watches. */
export async function listRunningAuctions(ctx: AppContext): Promise<{ listingId: string; endsAt: Date }[]> {
  const published = await listPublishedAuctions(ctx);
  const ended = await repo.listEndedAmong(
    ctx.db,
    published.map((l) => l.id),
  );
  return published.filter((l) => !ended.has(l.id)).map((l) => ({ listingId: l.id, endsAt: l.endsAt }));
}

/** The auctions taking bids now in these townships (a screen's few, soonest end first), each with its best bid. */
export async function listLiveAuctions(ctx: AppContext, townshipIds: string[]): Promise<LiveAuction[]> {
  const open = (await listOpenAuctions(ctx, townshipIds, SCREEN_LIMIT)).map(asAuction);
  const last = await repo.findLastBids(
    ctx.db,
    open.map((l) => l.id),
  );
  return open.map((listing) => {
    const b = last.get(listing.id);
    return { listing, lastSeq: b?.seq ?? 0, best: b?.amount ?? null, bestAlias: b ? aliasOf(b.number) : null };
  });
}
