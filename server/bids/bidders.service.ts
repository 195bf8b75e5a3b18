import type { AppContext } from '../context';
import type { Trx } from '../db/db';
import type { Listing } from '../listings/listings';
import { isRevealed } from '../listings/status';
import { peopleOf, peopleWithin } from '../accounts/accounts.service';
import type { Person } from '../accounts/accounts';
import { OpenedBid, sortOpenedBids, withBidderNames } from './bids';
import * as repo from './bids.repository';

// What other concepts (awards, auctions) read about a listing's bidders: who is told of an outcome, who holds a
// live bid, and, once opened, the bids in rank order. Nothing here tells anything about a listing not yet opened
// but whether one given bidder holds a bid, which that bidder knows.

/**
 * A step of the opening (or an auction's close): everyone who registered or ever bid, a withdrawn or replaced
 * bid too, is told how it came out.
 */
export async function biddersToTellOfOpening(trx: Trx, listingId: string): Promise<string[]> {
  return repo.listRegisteredOrBid(trx, listingId, { bids: 'any' });
}

/** A step of the award: everyone who registered or still holds a live bid is told of it. */
export async function biddersToTellOfAward(trx: Trx, listingId: string): Promise<string[]> {
  return repo.listRegisteredOrBid(trx, listingId, { bids: 'live' });
}

/** Whether the bidder holds a live bid on the listing (only one who bid may object to its result). */
export async function holdsLiveBid(ctx: AppContext, listingId: string, bidderId: string): Promise<boolean> {
  return (await repo.findLiveBid(ctx.db, listingId, bidderId)) !== undefined;
}

/** holdsLiveBid as a step of another use case's transaction. */
export async function holdsLiveBidWithin(trx: Trx, listingId: string, bidderId: string): Promise<boolean> {
  return (await repo.findLiveBid(trx, listingId, bidderId)) !== undefined;
}

/** The opened listing's live bids, valid ones by rank, then the others by time; none before opening. */
export async function openedBidsOf(ctx: AppContext, listing: Listing): Promise<OpenedBid[]> {
  return isRevealed(listing) ? rankedOpenedBids(ctx, listing.id) : [];
}

/** openedBidsOf as a step of another use case's transaction (the award chooses from these). */
export async function openedBidsWithin(trx: Trx, listing: Listing): Promise<OpenedBid[]> {
  return isRevealed(listing) ? rankedOpenedBidsWithin(trx, listing.id) : [];
}

/** A listing's opened live bids with their bidders' names, in rank order: the caller has checked it is opened. */
export async function rankedOpenedBids(ctx: AppContext, listingId: string): Promise<OpenedBid[]> {
  return withNamesRanked(await repo.listOpenedBids(ctx.db, listingId), (ids) => peopleOf(ctx, ids));
}

/** rankedOpenedBids as a step of another use case's transaction (the opening's record, an auction's close). */
export async function rankedOpenedBidsWithin(trx: Trx, listingId: string): Promise<OpenedBid[]> {
  return withNamesRanked(await repo.listOpenedBids(trx, listingId), (ids) => peopleWithin(trx, ids));
}

async function withNamesRanked(
  bids: Omit<OpenedBid, 'bidderName'>[],
  people: (ids: string[]) => Promise<Map<string, Person>>,
): Promise<OpenedBid[]> {
  return sortOpenedBids(withBidderNames(bids, await people(bids.map((b) => b.bidderId))));
}
