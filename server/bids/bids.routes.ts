import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, pathId, refuseMalformedIds, requireRole } from '../http/access';
import { NotFoundError } from '../http/errors';
import { bodyOf } from '../http/forms';
import { openedBidToJson, ownBidToJson, registrationToJson } from './bids';
import { findMyBid, listOpenedBidsFor, submitBid, withdrawMyBid } from './bids.service';
import { openBids } from './opening.service';
import { keyOfRequest } from '../keys/keys.service';
import { confirmOpening, findPublicSeal } from './sealing.service';
import { sealToJson } from './sealing.json';
import { confirmDeposit, listForStaff, register } from './registrations.service';

/** Registrations, sealed bids and the opening (API.md "Registration and deposits", "Sealed bids"). */
export function bidsApi(ctx: AppContext): Router {
  const r = refuseMalformedIds(Router());
  const staffish = requireRole('staff', 'auditor', 'admin');

  r.post('/listings/:id/registrations', requireRole('bidder'), async (req, res) => {
    const reg = await register(ctx, currentUser(req), pathId(req));
    res.status(201).json({ id: reg.id, status: reg.status });
  });
  r.post('/listings/:id/registrations/:regId/confirm', requireRole('staff'), async (req, res) => {
    const reg = await confirmDeposit(ctx, currentUser(req), pathId(req), pathId(req, 'regId'));
    res.json({ id: reg.id, status: reg.status });
  });
  r.get('/listings/:id/registrations', staffish, async (req, res) => {
    const { registrations } = await listForStaff(ctx, currentUser(req), pathId(req));
    res.json(registrations.map(registrationToJson));
  });

  r.post('/listings/:id/bids', requireRole('bidder'), async (req, res) => {
    const user = currentUser(req);
    const key = await keyOfRequest(ctx, req, user);
    const bid = await submitBid(ctx, user, pathId(req), bodyOf(req).amount, key);
    res.status(201).json(ownBidToJson(bid));
  });
  r.get('/listings/:id/bids/mine', requireRole('bidder'), async (req, res) => {
    const user = currentUser(req);
    const bid = await findMyBid(ctx, user, pathId(req), await keyOfRequest(ctx, req, user));
    if (!bid) throw new NotFoundError();
    res.json(ownBidToJson(bid));
  });
  r.delete('/listings/:id/bids/mine', requireRole('bidder'), async (req, res) => {
    const user = currentUser(req);
    await withdrawMyBid(ctx, user, pathId(req), await keyOfRequest(ctx, req, user));
    res.status(204).end();
  });
  r.get('/listings/:id/bids', staffish, async (req, res) => {
    res.json((await listOpenedBidsFor(ctx, currentUser(req), pathId(req))).map(openedBidToJson));
  });
  r.post('/listings/:id/open', requireRole('staff'), async (req, res) => {
    const { status, bids } = await openBids(ctx, currentUser(req), pathId(req), bodyOf(req).password);
    res.json({ status, bids: bids.map(openedBidToJson) });
  });
  r.get('/listings/:id/seal', async (req, res) => {
    res.json(sealToJson(await findPublicSeal(ctx, pathId(req))));
  });
  r.post('/listings/:id/opening-shares', requireRole('staff', 'auditor'), async (req, res) => {
    const { present, quorum } = await confirmOpening(ctx, currentUser(req), pathId(req), bodyOf(req).password);
    res.json({ present, quorum });
  });
  return r;
}
