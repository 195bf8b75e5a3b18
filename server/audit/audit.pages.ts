import { Router, Request, Response } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import { AppError, NotFoundError } from '../http/errors';
import { detectLang, t } from '../http/i18n';
import { renderPage } from '../http/views';
import { formErrors, formField } from '../http/forms';
import { listTownships } from '../townships/townships.repository';
import { timelineCsv } from './timeline';
import * as auditor from './auditor.service';
import * as service from './audit.service';

const option = (value: string, label: string, selected: unknown) => ({ value, label, selected: value === selected });

/** The auditor's workspace: deals with their flags, each deal's file, chain verification, exports. */
export function auditPages(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();
  const reviewers = requireRole('auditor', 'admin');

  r.get('/auditor', reviewers, async (req, res) => {
    const lang = detectLang(req);
    const { filters, deals } = await auditor.listDealsView(db, lang, req.query);
    const townships = (await listTownships(db)).map((tw) => option(tw.id, tw.name, filters.townshipId));
    const kinds = auditor.KINDS.map((k) => option(k, t(lang, `auditor.kind.${k}`), filters.kind));
    const statuses = auditor.STATUSES.map((s) => option(s, t(lang, `auditor.status.${s}`), filters.status));
    renderPage(req, res, 'audit/workspace', {
      title: t(lang, 'auditor.title'),
      deals,
      townships,
      kinds,
      statuses,
      flaggedOnly: filters.flaggedOnly,
    });
  });

  const showDeal = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const file = await auditor.dealFileView(db, lang, String(req.params.id));
    renderPage(req, res, 'audit/deal', { title: `${file.deal.code} ${file.deal.title}`, ...file, ...extra }, status);
  };
  r.get('/auditor/listings/:id', reviewers, async (req, res) => {
    await showDeal(req, res, req.query.noted ? { notice: t(detectLang(req), 'auditor.noteSaved') } : {});
  });
  r.post('/auditor/listings/:id/notes', reviewers, async (req, res) => {
    try {
      const reviewed = ['on', '1', 'true'].includes(formField(req, 'reviewed'));
      await auditor.addReviewNote(db, currentUser(req), String(req.params.id), {
        text: formField(req, 'text'),
        reviewed,
      });
      res.redirect(303, `/auditor/listings/${String(req.params.id)}?noted=1`);
    } catch (err) {
      if (err instanceof NotFoundError) throw err;
      await showDeal(req, res, { ...formErrors(req, err), noteText: formField(req, 'text') }, (err as AppError).status);
    }
  });
  r.get('/auditor/listings/:id/timeline.csv', reviewers, async (req, res) => {
    const file = await auditor.dealFileView(db, detectLang(req), String(req.params.id));
    const entries = await service.listingTimeline(db, file.deal.id);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="timeline-${file.deal.code}.csv"`);
    res.send(timelineCsv(entries));
  });

  r.get('/auditor/verify', reviewers, async (req, res) => {
    const lang = detectLang(req);
    const result = await service.verifyStoredChain(db);
    renderPage(req, res, 'audit/verify', { title: t(lang, 'auditor.verifyTitle'), result });
  });
  r.get('/auditor/export.json', reviewers, async (_req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="audit-trail.json"');
    res.json(await service.exportTrail(db));
  });
  return r;
}
