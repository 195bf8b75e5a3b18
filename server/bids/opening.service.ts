import { appendAudit } from '../trail/trail.repository';
import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { ConflictError } from '../http/errors';
import type { Decimal } from '../http/money';
import { effectiveStatus } from '../listings/status';
import { loadListing, transitionListing } from '../listings/life';
import { defaultRules } from '../townships/townships';
import { findRules } from '../townships/townships.repository';
import { evaluateOpening, OpenedBid, openedBidToJson, sortOpenedBids } from './bids';
import * as repo from './bids.repository';
import { unsealAmount } from './seal';
import './bids.messages';

/**
 * 开标: after the deadline, staff of the township open every live bid at once, under the listing
 * lock that bid submission also takes (so no accepted bid can be missed). Bids are validated and
 * ranked, the listing becomes 'opened' or 'failed' (流标), the whole record goes to the audit trail
 * in one entry, and everyone who registered or bid is told.
 */
export async function openBids(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
): Promise<{ status: 'opened' | 'failed'; bids: OpenedBid[] }> {
  await loadListing(ctx.db, user, listingId, { access: 'staff' });
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, user, listingId, { access: 'staff', lock: true });
    if (locked.state !== 'published') {
      const status = effectiveStatus(locked, new Date());
      throw new ConflictError('INVALID_STATE', 'error.INVALID_STATE', { status }, { status });
    }
    const clock = await repo.readClockAgainstWindow(trx, listingId);
    if (!clock.closed)
      throw new ConflictError('NOT_CLOSED', undefined, {}, { bidDeadline: locked.bidDeadline.toISOString() });

    const rules = (await findRules(trx, locked.townshipId)) ?? defaultRules();
    const terms = {
      kind: locked.kind,
      basePrice: locked.basePrice,
      depositRequired: locked.depositAmount.gt(0),
      minValidBids: rules[locked.kind].minValidBids,
    };
    const live = await repo.listLiveBidsToOpen(trx, listingId);
    const opened = live.map((b) => ({ ...b, amount: tryUnseal(ctx.sealKey, b.amountSealed, listingId, b.bidderId) }));
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
    for (const result of outcome.results) {
      const b = byId.get(result.id)!;
      await repo.recordOpenedBid(trx, b.id, {
        amount: b.amount,
        valid: result.valid,
        invalidReason: result.invalidReason,
        rank: result.rank,
      });
      record.push({
        ...result,
        bidderId: b.bidderId,
        bidderName: b.bidderName,
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
    const bidders = await repo.listInterestedBidders(trx, listingId);
    await ctx.notifier.send(
      trx,
      bidders.map((userId) => ({ userId, listingId, messageKey, params: { code: locked.code, title: locked.title } })),
    );
    return { status: outcome.status, bids: sortOpenedBids(record) };
  });
}

/** A sealed amount that will not open (changed bytes, another key) makes the bid invalid, not the opening fail. */
function tryUnseal(key: Buffer, sealed: Buffer, listingId: string, bidderId: string): Decimal | null {
  try {
    return unsealAmount(key, sealed, listingId, bidderId);
  } catch {
    return null;
  }
}
