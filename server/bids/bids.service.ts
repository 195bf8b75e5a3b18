import crypto from 'node:crypto';
import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { AppError, ConflictError, NotFoundError, RuleError } from '../http/errors';
import { displayMoney, formatMoney, parseMoney } from '../http/money';
import { loadListing } from '../listings/life';
import { isAmountInRange, OpenedBid, OwnBid, sortOpenedBids } from './bids';
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
    const clock = await repo.readClockAgainstWindow(trx, listingId);
    if (clock.notOpen) throw new ConflictError('BIDDING_NOT_OPEN');
    if (clock.closed) throw new ConflictError('BIDDING_CLOSED');
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
  if (!bid) {
    if (listing.openedAt !== null || !(await sealing.findSeal(ctx.db, listingId))) return undefined;
    if (!key) throw new KeyLockedError();
    const tag = ownerTagOf(key.privateKey, listingId);
    const [row] = await sealing.findSealedBidsByTags(ctx.db, [tag]);
    if (!row) return undefined;
    const copy = openOwnerCopy(openerOf(key.privateKey), tag, row.ownerCopy);
    return {
      id: copy.id,
      listingId,
      amount: copy.amount,
      submittedAt: new Date(copy.submittedAt),
      receipt: copy.receipt,
    };
  }
  const amount = bid.amount ?? unsealAmount(ctx.sealKey, bid.amountSealed, listingId, user.id);
  return { id: bid.id, listingId, amount, submittedAt: bid.submittedAt, receipt: bid.receipt };
}

/** The listings where this bidder has an offer not yet opened (found by their own tags only). */
export async function listMySealedListingIds(ctx: AppContext, key: UnlockedKey | undefined): Promise<string[]> {
  if (!key) return [];
  const ids = await sealing.listUnopenedSealedListingIds(ctx.db);
  const byTag = new Map(ids.map((id) => [ownerTagOf(key.privateKey, id).toString('hex'), id]));
  const rows = await sealing.findSealedBidsByTags(
    ctx.db,
    [...byTag.keys()].map((h) => Buffer.from(h, 'hex')),
  );
  return rows.map((r) => byTag.get(r.ownerTag.toString('hex'))!);
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
    const clock = await repo.readClockAgainstWindow(trx, listingId);
    if (clock.closed) throw new ConflictError('BIDDING_CLOSED');
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
  return sortOpenedBids(await repo.listOpenedBids(ctx.db, listingId));
}
