import { appendAudit } from '../trail/append';
import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { ConflictError } from '../http/errors';
import type { Decimal } from '../http/money';
import { effectiveStatus } from '../listings/status';
import { listingClock, loadListing, transitionListing } from '../listings/life';
import { rulesWithin } from '../townships/townships.service';
import { peopleWithin } from '../accounts/accounts.service';
import { shownName } from '../accounts/accounts';
import { evaluateOpening, OpenedBid, openedBidToJson, sortOpenedBids } from './bids';
import { rankedOpenedBidsWithin } from './bidders.service';
import { biddersToTellOfOpening } from './bidders.service';
import * as repo from './bids.repository';
import { computeReceipt, makeNonce, unsealAmount } from './seal';
import type { Trx } from '../db/db';
import { openerOf } from '../keys/crypto';
import { formatMoney } from '../http/money';
import { openOffer, Offer } from './sealed-offers';
import * as sealing from './sealing.repository';
import { confirmOpening, rebuildListingKey } from './sealing.service';
import './bids.messages';

/**
 * 开标: after the deadline, staff of the township open every live bid at once, under the listing
 * lock that bid submission also takes (so no accepted bid can be missed). The opener's password is
 * their confirmation; with the quorum of holders in, the listing's key is rebuilt in memory, the
 * offers decrypted, then the key and the kept shares are forgotten. Bids are validated and ranked,
 * the listing becomes 'opened' or 'failed' (流标), the whole record (with each bid's nonce, so every
 * bidder can check their receipt) goes to the audit trail in one entry, and everyone who registered
 * or bid is told. A second opening waits for the lock and then finds the listing opened: 409.
 */
export async function openBids(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  password: unknown,
): Promise<{ status: 'opened' | 'failed'; bids: OpenedBid[] }> {
  const listing = await loadListing(ctx.db, user, listingId, { access: 'staff' });
  if (listing.state === 'published') await confirmOpening(ctx, user, listingId, password);
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, user, listingId, { access: 'staff', lock: true });
    if (locked.state !== 'published') {
      const status = effectiveStatus(locked, new Date());
      throw new ConflictError('INVALID_STATE', 'error.INVALID_STATE', { status }, { status });
    }
    if ((await listingClock(trx, locked)).status !== 'closed')
      throw new ConflictError('NOT_CLOSED', undefined, {}, { bidDeadline: locked.bidDeadline.toISOString() });

    const rules = await rulesWithin(trx, locked.townshipId);
    const terms = {
      kind: locked.kind,
      basePrice: locked.basePrice,
      depositRequired: locked.depositAmount.gt(0),
      minValidBids: rules[locked.kind].minValidBids,
    };
    const decrypted = await openSealedOffers(ctx, trx, listingId);
    const live = await repo.listLiveBidsToOpen(trx, listingId);
    const people = await peopleWithin(
      trx,
      live.map((b) => b.bidderId),
    );
    const opened = live.map((b) => ({
      ...b,
      amount: decrypted.has(b.id)
        ? decrypted.get(b.id)!
        : tryUnseal(ctx.sealKey, b.amountSealed, listingId, b.bidderId),
    }));
    const outcome = evaluateOpening(
      terms,
      opened.map((b) => ({
        id: b.id,
        bidderId: b.bidderId,
        amount: b.amount,
        submittedAt: b.submittedAt,
        registrationConfirmed: b.registrationStatus === 'confirmed',
      })),
    );

    const byId = new Map(opened.map((b) => [b.id, b]));
    const record: OpenedBid[] = [];
    await repo.recordOpenedBids(
      trx,
      outcome.results.map((result) => ({ ...result, amount: byId.get(result.id)!.amount })),
    );
    for (const result of outcome.results) {
      const b = byId.get(result.id)!;
      record.push({
        ...result,
        bidderId: b.bidderId,
        bidderName: people.has(b.bidderId) ? shownName(people.get(b.bidderId)!) : '',
        amount: b.amount,
        submittedAt: b.submittedAt,
        receipt: b.receipt,
        nonce: b.nonce,
      });
    }
    await transitionListing(trx, locked, outcome.status === 'opened' ? 'open' : 'fail');

    const registrations = await repo.listRegistrations(trx, listingId);
    await appendAudit(trx, {
      actor: user.username,
      action: outcome.status === 'opened' ? 'listing.opened' : 'listing.failed',
      listingId,
      data: {
        code: locked.code,
        status: outcome.status,
        minValidBids: terms.minValidBids,
        validBids: record.filter((b) => b.valid).length,
        bids: record.map(openedBidToJson),
        registrations: registrations.map((r) => ({
          id: r.id,
          bidderId: r.bidderId,
          status: r.status,
          confirmedAt: r.confirmedAt?.toISOString() ?? null,
        })),
      },
    });
    const messageKey = outcome.status === 'opened' ? 'notify.listingOpened' : 'notify.listingFailed';
    const bidders = await biddersToTellOfOpening(trx, listingId);
    await ctx.notifier.send(
      trx,
      bidders.map((userId) => ({ userId, listingId, messageKey, params: { code: locked.code, title: locked.title } })),
    );
    return { status: outcome.status, bids: sortOpenedBids(record) };
  });
}

/**
 * Rebuilds the listing's key (409 QUORUM_NOT_MET until the quorum is in), tries it on every offer
 * not yet opened (rows name no listing), moves this listing's offers into bids with their nonce and
 * receipt, drops its decoys and the kept shares, and wipes the key. Returns the amounts by bid id.
 */
async function openSealedOffers(ctx: AppContext, trx: Trx, listingId: string): Promise<Map<string, Decimal>> {
  const key = await rebuildListingKey(ctx, trx, listingId);
  const amounts = new Map<string, Decimal>();
  if (!key) {
    await sealing.deleteConfirmations(trx, listingId);
    return amounts;
  }
  const mine: { id: string; offer: Buffer; o: Offer }[] = [];
  const gone: string[] = [];
  try {
    const opener = openerOf(key);
    for (const row of await sealing.listAllSealedOffers(trx)) {
      const o = openOffer(opener, listingId, row.offer);
      if (o === undefined) continue;
      gone.push(row.id);
      if (o !== 'decoy') mine.push({ id: row.id, offer: row.offer, o });
    }
  } finally {
    key.fill(0);
  }
  // one offer per bidder: the latest, should a bidder's key have been reset between two of theirs
  const latest = new Map<string, (typeof mine)[number]>();
  for (const m of mine) {
    const seen = latest.get(m.o.bidderId);
    if (!seen || seen.o.submittedAt < m.o.submittedAt) latest.set(m.o.bidderId, m);
  }
  const rows = [...latest.values()];
  await sealing.insertOpenedOffers(
    trx,
    rows.map((m) => ({
      id: m.id,
      listingId,
      bidderId: m.o.bidderId,
      offer: m.offer,
      nonce: m.o.nonce,
      receipt: computeReceipt({ ...m.o, amount: formatMoney(m.o.amount) }),
      submittedAt: new Date(m.o.submittedAt),
    })),
  );
  await sealing.deleteSealedBids(trx, gone);
  await sealing.deleteConfirmations(trx, listingId);
  for (const m of rows) amounts.set(m.id, m.o.amount);
  return amounts;
}

/** A sealed amount that will not open (changed bytes, another key) makes the bid invalid, not the opening fail. */
function tryUnseal(key: Buffer, sealed: Buffer, listingId: string, bidderId: string): Decimal | null {
  try {
    return unsealAmount(key, sealed, listingId, bidderId);
  } catch {
    return null;
  }
}

// ---- an open auction's close (server/auctions/auctions.close.ts) is an opening too: a step of its transaction

/** One bidder's best bid at an auction's close, with its rank (server/auctions/ ranks them). */
export interface AuctionResultBid {
  bidderId: string;
  amount: Decimal;
  at: Date;
  rank: number;
}

/**
 * Each bidder's best bid becomes an opened bid, already public (nothing sealed), with a nonce and a receipt like
 * any other, so award, refunds, open data and statistics read it as they read a sealed opening's. Answers the
 * opened bids, best first. Call under the listing lock.
 */
export async function recordAuctionResult(
  trx: Trx,
  listingId: string,
  ranked: readonly AuctionResultBid[],
): Promise<OpenedBid[]> {
  for (const b of ranked) {
    const nonce = makeNonce();
    const amount = formatMoney(b.amount);
    const submittedAt = b.at.toISOString();
    const receipt = computeReceipt({ listingId, bidderId: b.bidderId, amount, submittedAt, nonce });
    await repo.insertOpenedAuctionBid(trx, {
      listingId,
      bidderId: b.bidderId,
      amount: b.amount,
      submittedAt: b.at,
      nonce,
      receipt,
      rank: b.rank,
    });
  }
  return rankedOpenedBidsWithin(trx, listingId);
}
