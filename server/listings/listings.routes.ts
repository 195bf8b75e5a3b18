import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, pathId, refuseMalformedIds, requireRole } from '../http/access';
import * as documents from './documents.service';
import { listingToJson, Listing } from './listings';
import { documentToJson, questionToJson } from './listings.json';
import * as service from './listings.service';
import * as questions from './questions.service';
import { documentUpload } from './upload';

export function listingsApi(ctx: AppContext): Router {
  const r = refuseMalformedIds(Router());
  const json = (l: Listing, bidCount?: number) => listingToJson(l, new Date(), { bidCount });

  r.post('/listings', requireRole('staff'), async (req, res) =>
    res.status(201).json(json(await service.createListing(ctx, currentUser(req), req.body))),
  );
  r.get('/listings', async (req, res) => {
    const { items, total } = await service.searchVisibleListings(ctx, req.user, req.query);
    res.json({ items: items.map((l) => json(l)), total });
  });
  r.get('/listings/:id', async (req, res) => {
    const listing = await service.getVisibleListing(ctx, req.user, pathId(req));
    res.json(json(listing, await service.revealedBidCount(ctx, listing)));
  });
  r.patch('/listings/:id', requireRole('staff'), async (req, res) =>
    res.json(json(await service.updateListing(ctx, currentUser(req), pathId(req), req.body))),
  );
  r.post('/listings/:id/publish', requireRole('staff'), async (req, res) =>
    res.json(json(await service.publishListing(ctx, currentUser(req), pathId(req)))),
  );
  r.post('/listings/:id/cancel', requireRole('staff'), async (req, res) =>
    res.json(json(await service.cancelListing(ctx, currentUser(req), pathId(req), req.body))),
  );
  r.post('/listings/:id/relist', requireRole('staff'), async (req, res) =>
    res.status(201).json(json(await service.relistListing(ctx, currentUser(req), pathId(req)))),
  );

  // documents (PDF and images, stored in PostgreSQL)
  r.post(
    '/listings/:id/documents',
    requireRole('staff'),
    (req, _res, next) => {
      pathId(req);
      next();
    },
    documentUpload(ctx.config),
    async (req, res) => {
      res.status(201).json(documentToJson(await documents.addDocument(ctx, currentUser(req), pathId(req), req.file)));
    },
  );
  r.get('/listings/:id/documents', async (req, res) =>
    res.json((await documents.listVisibleDocuments(ctx, req.user, pathId(req))).map(documentToJson)),
  );
  r.get('/listings/:id/documents/:docId', async (req, res) => {
    const doc = await documents.readVisibleDocument(ctx, req.user, pathId(req), pathId(req, 'docId'));
    res.attachment(doc.filename).type(doc.mimeType).set('X-Content-Type-Options', 'nosniff').send(doc.content);
  });

  // public Q&A (答疑)
  r.post('/listings/:id/questions', requireRole('bidder'), async (req, res) => {
    const q = await questions.askQuestion(ctx, currentUser(req), pathId(req), req.body);
    res.status(201).json(questionToJson(q));
  });
  r.post('/listings/:id/questions/:qid/answer', requireRole('staff'), async (req, res) => {
    res.json(
      questionToJson(await questions.answerQuestion(ctx, currentUser(req), pathId(req), pathId(req, 'qid'), req.body)),
    );
  });
  r.get('/listings/:id/questions', async (req, res) =>
    res.json((await questions.listVisibleQuestions(ctx, req.user, pathId(req))).map(questionToJson)),
  );
  return r;
}
