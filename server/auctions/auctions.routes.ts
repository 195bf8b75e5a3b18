import { Request, Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, isId, requireRole } from '../http/access';
import { ConflictError, NotFoundError } from '../http/errors';
import { formatMoney } from '../http/money';
import { openedBidToJson } from '../bids/bids';
import { findListing } from '../listings/listings.repository';
import { historyItemToJson } from './auctions';
import { closeAuction } from './auctions.close';
import { streamAuctionEvents } from './auctions.events';
import { auctionRoomToJson, placeAuctionBid, readAuctionRoom } from './auctions.service';

function idParam(req: Request): string {
  const id = req.params.id;
  if (!isId(id)) throw new NotFoundError();
  return id;
}

/** Open auctions (API.md "Additions (2026-12)" → "Open auctions"). Mounted before the bids API. */
export function auctionsApi(ctx: AppContext): Router {
  const r = Router();

  r.get('/listings/:id/auction', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(auctionRoomToJson(await readAuctionRoom(ctx, req.user, idParam(req))));
  });
  r.get('/listings/:id/auction/events', (req, res) => streamAuctionEvents(ctx, req, res, idParam(req)));
  r.post('/listings/:id/auction/bids', requireRole('bidder'), async (req, res) => {
    const bid = await placeAuctionBid(ctx, currentUser(req), idParam(req), (req.body as { amount?: unknown })?.amount);
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
    const { status, bids, history } = await closeAuction(ctx, currentUser(req), idParam(req));
    res.json({ status, bids: bids.map(openedBidToJson), history: history.map(historyItemToJson) });
  });
  r.post('/listings/:id/bids', requireRole('bidder'), async (req, res, next) => {
    if (!(await isAuctionListing(ctx, req))) return next();
    throw new ConflictError('INVALID_STATE', 'auctions.notSealed', {}, { method: 'auction' });
  });
  return r;
}

async function isAuctionListing(ctx: AppContext, req: Request): Promise<boolean> {
  if (!isId(req.params.id)) return false;
  const listing = await findListing(ctx.db, req.params.id);
  return listing?.method === 'auction' && listing.state !== 'draft';
}
