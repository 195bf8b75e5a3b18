import { Request, Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, pathId, refuseMalformedIds, requireRole } from '../http/access';
import { ConflictError, NotFoundError } from '../http/errors';
import { bodyOf } from '../http/forms';
import { formatMoney } from '../http/money';
import { openedBidToJson } from '../bids/bids';
import { loadListing } from '../listings/life';
import { historyItemToJson } from './auctions';
import { closeAuction } from './auctions.close';
import { streamAuctionEvents } from './auctions.events';
import { auctionRoomToJson } from './auctions.json';
import { placeAuctionBid, readAuctionRoom } from './auctions.service';

/** Open auctions (API.md "Additions (2026-12)" → "Open auctions"). Mounted before the bids API. */
export function auctionsApi(ctx: AppContext): Router {
  const r = refuseMalformedIds(Router());

  r.get('/listings/:id/auction', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(auctionRoomToJson(await readAuctionRoom(ctx, req.user, pathId(req))));
  });
  r.get('/listings/:id/auction/events', (req, res) => streamAuctionEvents(ctx, req, res, pathId(req)));
  r.post('/listings/:id/auction/bids', requireRole('bidder'), async (req, res) => {
    const bid = await placeAuctionBid(ctx, currentUser(req), pathId(req), bodyOf(req).amount);
    res.status(201).json({
      id: bid.id,
      seq: bid.seq,
      amount: formatMoney(bid.amount),
      at: bid.at.toISOString(),
      endsAt: bid.endsAt.toISOString(),
      alias: bid.alias,
      extended: bid.extended,
    });
  });

  // The hook into the sealed-bid routes (server/bids/): an auction listing is closed here, any other
  // listing falls through to the sealed opening (next()), and a sealed offer on an auction is refused.
  r.post('/listings/:id/open', requireRole('staff'), async (req, res, next) => {
    if (!(await isAuctionListing(ctx, req))) return next();
    const { status, bids, history } = await closeAuction(ctx, currentUser(req), pathId(req));
    res.json({ status, bids: bids.map(openedBidToJson), history: history.map(historyItemToJson) });
  });
  r.post('/listings/:id/bids', requireRole('bidder'), async (req, res, next) => {
    if (!(await isAuctionListing(ctx, req))) return next();
    throw new ConflictError('INVALID_STATE', 'auctions.notSealed', {}, { method: 'auction' });
  });
  return r;
}

/** An auction anyone may see (not a draft); anything else is left to the sealed-bid routes. */
async function isAuctionListing(ctx: AppContext, req: Request): Promise<boolean> {
  const listing = await loadListing(ctx.db, undefined, pathId(req), { access: 'view' }).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  });
  return listing?.method === 'auction';
}
