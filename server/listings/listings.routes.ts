import { Router, Request } from 'express';
import type { AppContext } from '../context';
import { currentUser, isId, requireRole } from '../http/access';
import { NotFoundError } from '../http/errors';
import { documentToJson } from './documents.service';
import * as documents from './documents.service';
import { listingToJson, Listing } from './listings';
import * as service from './listings.service';
import * as questions from './questions.service';
import { documentUpload } from './upload';

/** Ids that cannot exist are 404 before anything else is read. */
function idParam(req: Request, name = 'id'): string {
  const id = req.params[name];
  if (!isId(id)) throw new NotFoundError();
  return id;
}

export function listingsApi(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();
  const json = (l: Listing, bidCount?: number) => listingToJson(l, new Date(), { bidCount });

  r.post('/listings', requireRole('staff'), async (req, res) =>
    res.status(201).json(json(await service.createListing(db, currentUser(req), req.body))),
  );
  r.get('/listings', async (req, res) => {
    const { items, total } = await service.searchVisibleListings(db, req.user, req.query);
    res.json({ items: items.map((l) => json(l)), total });
  });
  r.get('/listings/:id', async (req, res) => {
    const listing = await service.getVisibleListing(db, req.user, idParam(req));
    res.json(json(listing, await service.revealedBidCount(db, listing)));
  });
  r.patch('/listings/:id', requireRole('staff'), async (req, res) =>
    res.json(json(await service.updateListing(db, currentUser(req), idParam(req), req.body))),
  );
  r.post('/listings/:id/publish', requireRole('staff'), async (req, res) =>
    res.json(json(await service.publishListing(db, currentUser(req), idParam(req)))),
  );
  r.post('/listings/:id/cancel', requireRole('staff'), async (req, res) =>
    res.json(json(await service.cancelListing(db, currentUser(req), idParam(req), req.body))),
  );
  r.post('/listings/:id/relist', requireRole('staff'), async (req, res) =>
    res.status(201).json(json(await service.relistListing(db, currentUser(req), idParam(req)))),
  );

  // documents (PDF and images, stored in PostgreSQL)
  r.post(
    '/listings/:id/documents',
    requireRole('staff'),
    (req, _res, next) => {
      idParam(req);
      next();
    },
    documentUpload(ctx.config),
    async (req, res) => {
      res.status(201).json(documentToJson(await documents.addDocument(db, currentUser(req), idParam(req), req.file)));
    },
  );
  r.get('/listings/:id/documents', async (req, res) =>
    res.json((await documents.listVisibleDocuments(db, req.user, idParam(req))).map(documentToJson)),
  );
  r.get('/listings/:id/documents/:docId', async (req, res) => {
    const doc = await documents.readVisibleDocument(db, req.user, idParam(req), idParam(req, 'docId'));
    res.attachment(doc.filename).type(doc.mimeType).set('X-Content-Type-Options', 'nosniff').send(doc.content);
  });

  // public Q&A (答疑)
  r.post('/listings/:id/questions', requireRole('bidder'), async (req, res) => {
    const q = await questions.askQuestion(db, currentUser(req), idParam(req), req.body);
    res.status(201).json(questions.questionToJson(q));
  });
  r.post('/listings/:id/questions/:qid/answer', requireRole('staff'), async (req, res) => {
    res.json(
      questions.questionToJson(
        await questions.answerQuestion(db, currentUser(req), idParam(req), idParam(req, 'qid'), req.body),
      ),
    );
  });
  r.get('/listings/:id/questions', async (req, res) =>
    res.json((await questions.listVisibleQuestions(db, req.user, idParam(req))).map(questions.questionToJson)),
  );
  return r;
}
