import { appendAudit } from '../trail/append';
import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { ConflictError } from '../http/errors';
import { formatMoney } from '../http/money';
import { OpenedBid, openedBidToJson } from '../bids/bids';
import { biddersToTellOfOpening } from '../bids/bidders.service';
import { recordAuctionResult } from '../bids/opening.service';
import { registrationsWithin } from '../bids/registrations.service';
import { listingClock, loadListing, transitionListing } from '../listings/life';
import { effectiveStatus } from '../listings/status';
import { asAuction, AuctionBid, rankBidders } from './auctions';
import * as repo from './auctions.repository';
import { markEnded } from './auctions.service';
import './auctions.messages';

export interface AuctionOutcome {
  status: 'opened' | 'failed';
  /** each bidder's best bid, ranked: what an award chooses from */
  bids: OpenedBid[];
  /** every accepted bid, oldest first */
  history: AuctionBid[];
}

/**
 * `POST /listings/:id/open` for an auction: after its end by the database clock, staff of the township
 * close it. Each bidder's best bid becomes an opened bid ranked best first (ties to the earlier bid), so
 * award, publicity, contract, refunds, statistics and open data treat it as they treat a sealed opening;
 * no bid at all is 流标. The full history, with who stood behind each 竞买号, goes to the audit trail.
 */
export async function closeAuction(ctx: AppContext, user: AuthUser, listingId: string): Promise<AuctionOutcome> {
  await loadListing(ctx.db, user, listingId, { access: 'staff' });
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await loadListing(trx, user, listingId, { access: 'staff', lock: true });
    if (locked.state !== 'published') {
      const status = effectiveStatus(locked, new Date());
      throw new ConflictError('INVALID_STATE', 'error.INVALID_STATE', { status }, { status });
    }
    const auction = asAuction(locked);
    const clock = await listingClock(trx, locked);
    if (clock.status !== 'closed')
      throw new ConflictError('NOT_CLOSED', undefined, {}, { endsAt: locked.endsAt.toISOString() });
    await markEnded(trx, listingId, clock.at); // nobody's timer got there first: the end is sent now

    const history = (await repo.listAuctionBids(trx, listingId)).reverse();
    const ranked = rankBidders(auction.kind, history);
    const bids = await recordAuctionResult(trx, listingId, ranked);
    const status = ranked.length > 0 ? 'opened' : 'failed';
    await transitionListing(trx, locked, status === 'opened' ? 'open' : 'fail');
    const registrations = await registrationsWithin(trx, listingId);
    await appendAudit(trx, {
      actor: user.username,
      action: status === 'opened' ? 'listing.opened' : 'listing.failed',
      listingId,
      data: {
        code: locked.code,
        method: 'auction',
        status,
        endsAt: locked.endsAt.toISOString(),
        scheduledEnd: locked.bidDeadline.toISOString(),
        increment: formatMoney(auction.auction.increment),
        extensionSeconds: auction.auction.extensionSeconds,
        validBids: bids.length,
        bids: bids.map(openedBidToJson),
        history: history.map((b) => ({
          seq: b.seq,
          alias: b.alias,
          bidderId: b.bidderId,
          amount: formatMoney(b.amount),
          at: b.at.toISOString(),
          endsAt: b.endsAt.toISOString(),
        })),
        registrations: registrations.map((r) => ({
          id: r.id,
          bidderId: r.bidderId,
          status: r.status,
          confirmedAt: r.confirmedAt?.toISOString() ?? null,
        })),
      },
    });
    const messageKey = status === 'opened' ? 'notify.auctionClosed' : 'notify.auctionFailed';
    const bidders = await biddersToTellOfOpening(trx, listingId);
    await ctx.notifier.send(
      trx,
      bidders.map((userId) => ({ userId, listingId, messageKey, params: { code: locked.code, title: locked.title } })),
    );
    return { status, bids, history };
  });
}
