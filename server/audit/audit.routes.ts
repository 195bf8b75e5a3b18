import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, isId, requireRole } from '../http/access';
import { NotFoundError } from '../http/errors';
import { detectLang } from '../http/i18n';
import { listFlags } from '../flags/flags.service';
import * as auditor from './auditor.service';

/** The auditor's workspace over the API: red flags and review notes (the trail itself is server/trail/). */
export function auditApi(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();
  const reviewers = requireRole('auditor', 'admin');
  r.get('/audit/flags', reviewers, async (req, res) => {
    const raw = req.query.townshipId;
    if (raw !== undefined && raw !== '' && !isId(raw)) throw new NotFoundError();
    res.json(await listFlags(db, detectLang(req), { townshipId: raw || undefined }));
  });
  r.get('/audit/listings/:id/notes', reviewers, async (req, res) =>
    res.json(await auditor.listNotesJson(db, String(req.params.id))),
  );
  r.post('/audit/listings/:id/notes', reviewers, async (req, res) =>
    res.status(201).json(await auditor.addReviewNote(db, currentUser(req), String(req.params.id), req.body)),
  );
  return r;
}
