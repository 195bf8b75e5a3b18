import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, pathId, refuseMalformedIds, requireRole } from '../http/access';
import { NotFoundError } from '../http/errors';
import { bodyOf } from '../http/forms';
import { openedBidToJson, ownBidToJson, registrationToJson } from './bids';
import { findMyBid, listOpenedBidsFor, submitBid, withdrawMyBid } from './bids.service';
import { openBids } from './opening.service';
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
    const bid = await submitBid(ctx, currentUser(req), pathId(req), bodyOf(req).amount);
    res.status(201).json(ownBidToJson(bid));
  });
  r.get('/listings/:id/bids/mine', requireRole('bidder'), async (req, res) => {
    const bid = await findMyBid(ctx, currentUser(req), pathId(req));
    if (!bid) throw new NotFoundError();
    res.json(ownBidToJson(bid));
  });
  r.delete('/listings/:id/bids/mine', requireRole('bidder'), async (req, res) => {
    await withdrawMyBid(ctx, currentUser(req), pathId(req));
    res.status(204).end();
  });
  r.get('/listings/:id/bids', staffish, async (req, res) => {
    res.json((await listOpenedBidsFor(ctx, currentUser(req), pathId(req))).map(openedBidToJson));
  });
  r.post('/listings/:id/open', requireRole('staff'), async (req, res) => {
    const { status, bids } = await openBids(ctx, currentUser(req), pathId(req));
    res.json({ status, bids: bids.map(openedBidToJson) });
  });
  return r;
}
