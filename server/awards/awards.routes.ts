import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, pathId, refuseMalformedIds, requireRole, requireUser } from '../http/access';
import { listingToJson } from '../listings/listings';
import { revealedBidCount } from '../listings/listings.service';
import { awardToJson } from './awards';
import * as service from './awards.service';
import { objectionToJson } from './objections';
import * as objections from './objections.service';

/** Award, publicity (objections), contract and deposit refunds: /api/v1/listings/:id/… */
export function awardsApi(ctx: AppContext): Router {
  const r = refuseMalformedIds(Router());
  r.post('/listings/:id/award', requireRole('staff'), async (req, res) => {
    res.status(201).json(awardToJson(await service.recordAward(ctx, currentUser(req), pathId(req), req.body)));
  });
  r.get('/listings/:id/award', async (req, res) => {
    res.json(awardToJson(await service.getAward(ctx, pathId(req))));
  });
  r.post('/listings/:id/objections', requireRole('bidder'), async (req, res) => {
    res.status(201).json(await objections.raiseObjection(ctx, currentUser(req), pathId(req), req.body));
  });
  r.get('/listings/:id/objections', requireUser, async (req, res) => {
    res.json((await objections.listObjectionsFor(ctx, currentUser(req), pathId(req))).map(objectionToJson));
  });
  r.post('/listings/:id/objections/:oid/answer', requireRole('staff'), async (req, res) => {
    res.json(await objections.answerObjection(ctx, currentUser(req), pathId(req), pathId(req, 'oid'), req.body));
  });
  r.post('/listings/:id/contract', requireRole('staff'), async (req, res) => {
    const concluded = await service.recordContract(ctx, currentUser(req), pathId(req), req.body);
    res.json(listingToJson(concluded, new Date(), { bidCount: await revealedBidCount(ctx, concluded) }));
  });
  r.post('/listings/:id/registrations/:regId/refund', requireRole('staff'), async (req, res) => {
    res.json(await service.refundDeposit(ctx, currentUser(req), pathId(req), pathId(req, 'regId')));
  });
  return r;
}
