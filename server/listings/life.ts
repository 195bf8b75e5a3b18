import type { Executor, Trx } from '../db/db';
import type { ListingState } from '../db/database';
import { assertCanReadTownship, assertTownshipStaff, AuthUser, isId } from '../http/access';
import { NotFoundError, UnauthenticatedError } from '../http/errors';
import { assertTransition, ListingAction } from './lifecycle';
import type { TownshipRules } from '../townships/townships';
import type { Listing } from './listings';
import * as repo from './listings.repository';
import type { StateStamp } from './listings.repository';
import type { ListingStatus } from './status';

// A listing's life, for every concept: find it and check who may see or act on it (loadListing), and
// move it from one state to the next (transitionListing, the only writer of listings.state).

declare const locked: unique symbol;
/** A listing read with its row locked (SELECT … FOR UPDATE) until the transaction ends. */
export type LockedListing = Listing & { readonly [locked]: true };

/**
 * Who may load the listing:
 *  - view: anyone; a draft exists only for its township's staff (404 for everyone else);
 *  - read: the township's internal records: its staff, auditors and admins (403 for others), drafts as for view;
 *  - staff: acting on it: staff of its township only (403 for other townships' staff, as API.md says);
 *  - app: the app itself, with no viewer (an auction's end timer): no check.
 */
export type ListingAccess = 'view' | 'read' | 'staff' | 'app';

export function canSeeListing(viewer: AuthUser | undefined, l: Pick<Listing, 'state' | 'townshipId'>): boolean {
  return l.state !== 'draft' || (viewer?.role === 'staff' && viewer.townshipId === l.townshipId);
}

/** Finds the listing (404 for an id that cannot exist or does not), then checks access as `access` says. */
export async function loadListing(
  db: Executor,
  viewer: AuthUser | undefined,
  id: string,
  opts: { access: ListingAccess; lock?: false },
): Promise<Listing>;
export async function loadListing(
  trx: Trx,
  viewer: AuthUser | undefined,
  id: string,
  opts: { access: ListingAccess; lock: true },
): Promise<LockedListing>;
export async function loadListing(
  db: Executor,
  viewer: AuthUser | undefined,
  id: string,
  opts: { access: ListingAccess; lock?: boolean },
): Promise<Listing> {
  if (!isId(id)) throw new NotFoundError();
  const listing = opts.lock ? await repo.lockListingForUpdate(db as Trx, id) : await repo.findListing(db, id);
  if (!listing) throw new NotFoundError();
  if (opts.access === 'app') return listing;
  if (opts.access === 'staff') {
    if (!viewer) throw new UnauthenticatedError();
    assertTownshipStaff(viewer, listing.townshipId);
    return listing;
  }
  if (!canSeeListing(viewer, listing)) throw new NotFoundError();
  if (opts.access === 'read') {
    if (!viewer) throw new UnauthenticatedError();
    assertCanReadTownship(viewer, listing.townshipId);
  }
  return listing;
}

/** Many listings at once (one query), keeping those the viewer may see as loadListing's `view` does. */
export async function loadVisibleListings(
  db: Executor,
  viewer: AuthUser | undefined,
  ids: string[],
): Promise<Listing[]> {
  return (await repo.findListings(db, ids.filter(isId))).filter((l) => canSeeListing(viewer, l));
}

/** The published sealed listings (sealed offers for them may be waiting for their opening), by id. */
export async function listPublishedSealedIds(db: Executor): Promise<string[]> {
  return repo.findPublishedSealedIds(db);
}

/**
 * What other concepts do inside a listing's own use cases, in the same transaction: publishing a sealed
 * listing makes its seal key (bids/), cancelling a running auction ends it (auctions/). listings.service
 * calls them through the context (ctx.listingSteps, wired once in server/listing-steps.ts at the
 * composition root), so listings/ imports neither bids/ nor auctions/, which both load listings here.
 */
export interface ListingSteps {
  /** publishing a sealed listing: its key, split among the holders (bids/sealing.service.ts createListingSeal) */
  sealOnPublish(trx: Trx, listing: LockedListing, rules: TownshipRules): Promise<void>;
  /** cancelling an auction: it ends now, and its watchers hear so (auctions/auctions.service.ts endCancelledAuction) */
  endAuctionOnCancel(trx: Trx, listing: LockedListing): Promise<void>;
  /** the live bids of an opened listing, counted by their owner (bids/bids.service.ts countLiveBids) */
  countLiveBids(ctx: { db: Executor }, listingId: string): Promise<number>;
}

/** What each state entered stamps, besides updated_at. */
const STAMPS: Partial<Record<ListingState, StateStamp[]>> = {
  published: ['published_at'],
  opened: ['opened_at'],
  failed: ['failed_at'],
  concluded: ['concluded_at'],
  cancelled: ['cancelled_at'],
};

/** The actions that move the stored state (edit and relist leave it as it is). */
export type StateAction = Exclude<ListingAction, 'edit' | 'relist'>;

/**
 * The only writer of a listing's state. The status it moves from is read by the database clock at this
 * instant, under the row lock the caller took, so the rule and the time stamped agree with every other
 * instance; 409 INVALID_STATE when the action is not allowed from there. 流标 at the opening (closed → failed)
 * is an opening too and stamps opened_at.
 */
export async function transitionListing(
  trx: Trx,
  listing: LockedListing,
  action: StateAction,
  opts: { cancelReason?: string } = {},
): Promise<{ listing: Listing; from: ListingStatus }> {
  const from = await repo.readStatusByDatabaseClock(trx, listing.id);
  const to = assertTransition(from, action);
  const stamps = [...(STAMPS[to] ?? []), ...(action === 'fail' && from === 'closed' ? ['opened_at' as const] : [])];
  const moved = await repo.writeListingState(
    trx,
    listing.id,
    to,
    stamps,
    to === 'cancelled' ? opts.cancelReason : undefined,
  );
  return { listing: moved, from };
}

/**
 * The database clock at this instant and the listing's status by it, as transitionListing reads it: call it
 * under the row lock, so the answer holds until commit.
 */
export async function listingClock(trx: Trx, listing: LockedListing): Promise<{ at: Date; status: ListingStatus }> {
  return repo.readClockAndStatus(trx, listing.id);
}

/** The listing's status by the database clock at this instant, without a lock (a check before a use case's own). */
export async function statusNow(db: Executor, listing: Listing): Promise<ListingStatus> {
  return (await repo.readClockAndStatus(db, listing.id)).status;
}

/** 限时竞价: an auction bid moves the current end (server/auctions/ decides when and where to); under the lock. */
export async function extendAuctionEnd(trx: Trx, listing: LockedListing, endsAt: Date): Promise<void> {
  await repo.setAuctionEnd(trx, listing.id, endsAt);
}
