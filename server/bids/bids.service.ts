import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { ConflictError, NotFoundError, RuleError } from '../http/errors';
import { displayMoney, formatMoney, parseMoney } from '../http/money';
import { loadListing } from '../listings/life';
import { isAmountInRange, OpenedBid, OwnBid, sortOpenedBids } from './bids';
import * as repo from './bids.repository';
import { NotRegisteredError } from './registrations.service';
import { computeReceipt, makeNonce, sealAmount, unsealAmount } from './seal';
import './bids.messages';

// Sealed bids: accepted only inside the window by the database clock, stored encrypted, never
// audited one by one (entry counts would reveal the number of bids), revealed only by opening.

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

/** The bidder's own live bid, opened for its owner only; undefined when there is none. */
export async function findMyBid(ctx: AppContext, user: AuthUser, listingId: string): Promise<OwnBid | undefined> {
  await loadListing(ctx.db, user, listingId, { access: 'view' });
  const bid = await repo.findLiveBid(ctx.db, listingId, user.id);
  if (!bid) return undefined;
  const amount = bid.amount ?? unsealAmount(ctx.sealKey, bid.amountSealed, listingId, user.id);
  return { id: bid.id, listingId, amount, submittedAt: bid.submittedAt, receipt: bid.receipt };
}

/** Withdraws the live bid before the deadline (database clock, under the listing lock). */
export async function withdrawMyBid(ctx: AppContext, user: AuthUser, listingId: string): Promise<void> {
  await loadListing(ctx.db, user, listingId, { access: 'view' });
  await ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, user, listingId, { access: 'view', lock: true });
    if (locked.state !== 'published') throw new ConflictError('BIDDING_CLOSED');
    const clock = await repo.readClockAgainstWindow(trx, listingId);
    if (clock.closed) throw new ConflictError('BIDDING_CLOSED');
    if ((await repo.withdrawLiveBid(trx, listingId, user.id)) === 0) throw new NotFoundError();
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
