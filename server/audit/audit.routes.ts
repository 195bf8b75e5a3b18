import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, isId, requireRole } from '../http/access';
import { NotFoundError } from '../http/errors';
import { detectLang } from '../http/i18n';
import { computeFlags } from '../flags/flags.service';
import { flagToJson } from '../flags/flags.json';
import { noteToJson } from './audit.view';
import * as auditor from './auditor.service';

/** The auditor's workspace over the API: red flags and review notes (the trail itself is server/trail/). */
export function auditApi(ctx: AppContext): Router {
  const r = Router();
  const reviewers = requireRole('auditor', 'admin');
  r.get('/audit/flags', reviewers, async (req, res) => {
    const raw = req.query.townshipId;
    if (raw !== undefined && raw !== '' && !isId(raw)) throw new NotFoundError();
    const lang = detectLang(req);
    res.json((await computeFlags(ctx, { townshipId: raw || undefined })).map((f) => flagToJson(lang, f)));
  });
  r.get('/audit/listings/:id/notes', reviewers, async (req, res) =>
    res.json((await auditor.listNotes(ctx, String(req.params.id))).map(noteToJson)),
  );
  r.post('/audit/listings/:id/notes', reviewers, async (req, res) =>
    res
      .status(201)
      .json(noteToJson(await auditor.addReviewNote(ctx, currentUser(req), String(req.params.id), req.body))),
  );
  return r;
}
