import crypto from 'node:crypto';
import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { AppError, ConflictError, NotFoundError, RuleError } from '../http/errors';
import { displayMoney, formatMoney, parseMoney } from '../http/money';
import { listingClock, listPublishedSealedIds, loadListing, loadVisibleListings } from '../listings/life';
import type { Listing } from '../listings/listings';
import { isAmountInRange, OpenedBid, OwnBid, Registration } from './bids';
import { rankedOpenedBids } from './bidders.service';
import * as repo from './bids.repository';
import { NotRegisteredError } from './registrations.service';
import { computeReceipt, makeNonce, sealAmount, unsealAmount } from './seal';
import { openerOf } from '../keys/crypto';
import type { UnlockedKey } from '../keys/keys.service';
import { openOwnerCopy, ownerTagOf, sealOffer, sealOwnerCopy } from './sealed-offers';
import * as sealing from './sealing.repository';
import './bids.messages';

// Sealed bids: accepted only inside the window by the database clock, stored encrypted, never
// audited one by one (entry counts would reveal the number of bids), revealed only by opening.
//
// A listing with a seal (published since listing keys) keeps each offer in sealed_bids, encrypted to
// the listing's public key, with the bidder's copy encrypted to the bidder's personal key: the row
// names neither listing nor bidder, and the nonce and receipt are only inside the two boxes. Listings
// sealed the old way (AES under the server's seal key, in bids) keep that until they are opened.

/** 401: this session or token was made before personal keys, or its kept key expired: sign in again. */
export class KeyLockedError extends AppError {
  constructor() {
    super(401, 'UNAUTHENTICATED', 'error.KEY_LOCKED');
  }
}

/**
 * Stores the bidder's sealed offer, replacing any live one. The listing row is locked first (the
 * opening takes the same lock), then the clock is read: a bid whose moment is at or after the
 * deadline is refused, and one accepted here is committed before any opening can see the listing.
 */
export async function submitBid(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  rawAmount: unknown,
  key?: UnlockedKey,
): Promise<OwnBid> {
  const amount = parseMoney(rawAmount);
  const listing = await loadListing(ctx.db, user, listingId, { access: 'view' });
  if (!isAmountInRange(listing.kind, listing.basePrice, amount)) {
    const key = listing.kind === 'procurement' ? 'error.OUT_OF_RANGE.ceiling' : 'error.OUT_OF_RANGE.reserve';
    throw new RuleError(
      'OUT_OF_RANGE',
      key,
      { basePrice: displayMoney(listing.basePrice) },
      { kind: listing.kind, basePrice: formatMoney(listing.basePrice) },
    );
  }
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, user, listingId, { access: 'view', lock: true });
    if (locked.state !== 'published') throw new ConflictError('BIDDING_CLOSED');
    const clock = await listingClock(trx, locked);
    if (clock.status === 'announced') throw new ConflictError('BIDDING_NOT_OPEN');
    if (clock.status !== 'open') throw new ConflictError('BIDDING_CLOSED');
    if (locked.depositAmount.gt(0)) {
      const registration = await repo.findRegistration(trx, listingId, user.id);
      if (registration?.status !== 'confirmed') throw new NotRegisteredError();
    }
    const nonce = makeNonce();
    const submittedAt = clock.at;
    const receipt = computeReceipt({
      listingId,
      bidderId: user.id,
      amount: formatMoney(amount),
      submittedAt: submittedAt.toISOString(),
      nonce,
    });
    const seal = await sealing.findSeal(trx, listingId);
    if (seal) {
      if (!key) throw new KeyLockedError();
      const id = crypto.randomUUID();
      const ownerTag = ownerTagOf(key.privateKey, listingId);
      const at = submittedAt.toISOString();
      await sealing.upsertSealedBid(trx, {
        id,
        ownerTag,
        offer: sealOffer(seal.publicKey, { listingId, bidderId: user.id, amount, submittedAt: at, nonce }),
        ownerCopy: sealOwnerCopy(key.publicKey, ownerTag, { id, listingId, amount, submittedAt: at, nonce, receipt }),
      });
      return { id, listingId, amount, submittedAt, receipt };
    }
    const { id } = await repo.replaceLiveBid(trx, {
      listingId,
      bidderId: user.id,
      amountSealed: sealAmount(ctx.sealKey, amount, listingId, user.id),
      nonce,
      receipt,
      submittedAt,
    });
    return { id, listingId, amount, submittedAt, receipt };
  });
}

/** The owner's view of a live bid row: the amount unsealed with the server's key for the old scheme. */
function ownBidOfRow(ctx: AppContext, bid: repo.StoredBid): OwnBid {
  const amount = bid.amount ?? unsealAmount(ctx.sealKey, bid.amountSealed, bid.listingId, bid.bidderId);
  return { id: bid.id, listingId: bid.listingId, amount, submittedAt: bid.submittedAt, receipt: bid.receipt };
}

/** The owner's view of an offer not yet opened, from the bidder's copy. */
function ownBidOfCopy(key: UnlockedKey, listingId: string, tag: Buffer, ownerCopy: Buffer): OwnBid {
  const copy = openOwnerCopy(openerOf(key.privateKey), tag, ownerCopy);
  return {
    id: copy.id,
    listingId,
    amount: copy.amount,
    submittedAt: new Date(copy.submittedAt),
    receipt: copy.receipt,
  };
}

/**
 * The bidder's own live bid, opened for its owner only; undefined when there is none. An offer not
 * yet opened is read from the bidder's copy with the key kept for this request's session or token.
 */
export async function findMyBid(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  key?: UnlockedKey,
): Promise<OwnBid | undefined> {
  const listing = await loadListing(ctx.db, user, listingId, { access: 'view' });
  const bid = await repo.findLiveBid(ctx.db, listingId, user.id);
  if (bid) return ownBidOfRow(ctx, bid);
  if (listing.openedAt !== null || !(await sealing.findSeal(ctx.db, listingId))) return undefined;
  if (!key) throw new KeyLockedError();
  const tag = ownerTagOf(key.privateKey, listingId);
  const [row] = await sealing.findSealedBidsByTags(ctx.db, [tag]);
  return row ? ownBidOfCopy(key, listingId, tag, row.ownerCopy) : undefined;
}

/** One line of the bidder's own page: the listing, their bid (if any), registration and, once opened, the result. */
export interface MyBidLine {
  listing: Listing;
  bid: OwnBid | undefined;
  registration: Registration | undefined;
  /** the stored live bid with its rank and validity, filled at opening */
  stored: repo.StoredBid | undefined;
}

/**
 * Every listing the bidder registered for or bid on (or holds an offer not yet opened in), each as findMyBid
 * and findRegistration would answer it, in a fixed number of queries however many listings there are (eight
 * at most: the page made about five per listing).
 */
export async function listMyBids(ctx: AppContext, user: AuthUser, key: UnlockedKey | undefined): Promise<MyBidLine[]> {
  // offers not yet opened are found by the bidder's own tags only: nothing stored names the bidder
  const copies = new Map<string, { tag: Buffer; ownerCopy: Buffer }>();
  const findCopies = async (k: UnlockedKey, listingIds: string[]) => {
    const byTag = new Map(listingIds.map((id) => [ownerTagOf(k.privateKey, id).toString('hex'), id]));
    const tags = [...byTag.keys()].map((h) => Buffer.from(h, 'hex'));
    for (const row of await sealing.findSealedBidsByTags(ctx.db, tags))
      copies.set(byTag.get(row.ownerTag.toString('hex'))!, { tag: row.ownerTag, ownerCopy: row.ownerCopy });
  };
  const [known, unopened] = await Promise.all([
    repo.listMyBidListingIds(ctx.db, user.id),
    key ? listPublishedSealedIds(ctx.db) : [],
  ]);
  if (key) await findCopies(key, unopened);
  const ids = [...new Set([...known, ...copies.keys()])];
  const [listings, live, registrations] = await Promise.all([
    loadVisibleListings(ctx.db, user, ids),
    repo.findLiveBidsOf(ctx.db, user.id, ids),
    repo.findRegistrationsOf(ctx.db, user.id, ids),
  ]);
  // a listing not opened, with no live bid, may hold a sealed offer the published ones above did not cover
  const uncovered = listings.filter((l) => !live.has(l.id) && l.openedAt === null && !copies.has(l.id));
  const sealed = [
    ...(await sealing.listSealedAmong(
      ctx.db,
      uncovered.map((l) => l.id),
    )),
  ];
  if (sealed.length > 0 && !key) throw new KeyLockedError();
  if (key && sealed.length > 0) await findCopies(key, sealed);
  const byId = new Map(listings.map((l) => [l.id, l]));
  return ids.flatMap((id) => {
    const listing = byId.get(id);
    if (!listing) return [];
    const stored = live.get(id);
    const copy = listing.openedAt === null ? copies.get(id) : undefined;
    const bid = stored
      ? ownBidOfRow(ctx, stored)
      : copy && key
        ? ownBidOfCopy(key, id, copy.tag, copy.ownerCopy)
        : undefined;
    return [{ listing, bid, registration: registrations.get(id), stored }];
  });
}

/**
 * How many live bids a listing has (a replaced or withdrawn bid is not a bidder). Only for an opened listing:
 * listings.service revealedBidCount asks it through ctx.listingSteps once the bids are opened.
 */
export async function countLiveBids(ctx: AppContext, listingId: string): Promise<number> {
  return repo.countLiveBids(ctx.db, listingId);
}

/** Withdraws the live bid before the deadline (database clock, under the listing lock). */
export async function withdrawMyBid(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  key?: UnlockedKey,
): Promise<void> {
  await loadListing(ctx.db, user, listingId, { access: 'view' });
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, user, listingId, { access: 'view', lock: true });
    if (locked.state !== 'published') throw new ConflictError('BIDDING_CLOSED');
    if ((await listingClock(trx, locked)).status === 'closed') throw new ConflictError('BIDDING_CLOSED');
    if ((await repo.withdrawLiveBid(trx, listingId, user.id)) > 0) return;
    if (!(await sealing.findSeal(trx, listingId))) throw new NotFoundError();
    if (!key) throw new KeyLockedError();
    // a withdrawn offer is deleted: nothing of it may be opened, and a kept row would count
    if ((await sealing.deleteSealedBidByTag(trx, ownerTagOf(key.privateKey, listingId))) === 0) {
      throw new NotFoundError();
    }
  });
}

/**
 * The opening record for staff of the township, auditors and admins. Before opening: 409 SEALED,
 * the same answer whether there are bids or not, so not even the count leaks.
 */
export async function listOpenedBidsFor(ctx: AppContext, user: AuthUser, listingId: string): Promise<OpenedBid[]> {
  const listing = await loadListing(ctx.db, user, listingId, { access: 'read' });
  if (listing.openedAt === null) throw new ConflictError('SEALED');
  return rankedOpenedBids(ctx, listingId);
}
