import { Router, Request, Response } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import { AppError, NotFoundError, ValidationError } from '../http/errors';
import { detectLang, t } from '../http/i18n';
import { renderPage } from '../http/views';
import { formErrors, formField } from '../http/forms';
import { listTownships } from '../townships/townships.service';
import { keyFingerprint, readKeptCheckpoint, verifyCheckpointSignature } from '../trail/checkpoint';
import { timelineCsv } from './timeline';
import * as auditor from './auditor.service';
import { KINDS, STATUSES } from './deals';
import { dealView, noteView, timelineView } from './audit.view';
import * as service from '../trail/trail.service';

const option = (value: string, label: string, selected: unknown) => ({ value, label, selected: value === selected });

/** The auditor's workspace: deals with their flags, each deal's file, chain verification, exports. */
export function auditPages(ctx: AppContext): Router {
  const r = Router();
  const reviewers = requireRole('auditor', 'admin');

  r.get('/auditor', reviewers, async (req, res) => {
    const lang = detectLang(req);
    const { filters, deals } = await auditor.listDeals(ctx, req.query);
    const townships = (await listTownships(ctx)).map((tw) => option(tw.id, tw.name, filters.townshipId));
    const kinds = KINDS.map((k) => option(k, t(lang, `auditor.kind.${k}`), filters.kind));
    const statuses = STATUSES.map((s) => option(s, t(lang, `auditor.status.${s}`), filters.status));
    renderPage(req, res, 'audit/workspace', {
      title: t(lang, 'auditor.title'),
      deals: deals.map((d) => dealView(lang, d)),
      townships,
      kinds,
      statuses,
      flaggedOnly: filters.flaggedOnly,
    });
  });

  const showDeal = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const file = await auditor.dealFile(ctx, String(req.params.id));
    renderPage(
      req,
      res,
      'audit/deal',
      {
        title: `${file.deal.code} ${file.deal.title}`,
        deal: dealView(lang, file.deal),
        timeline: timelineView(lang, file.timeline),
        notes: file.notes.map(noteView),
        ...extra,
      },
      status,
    );
  };
  r.get('/auditor/listings/:id', reviewers, async (req, res) => {
    await showDeal(req, res, req.query.noted ? { notice: t(detectLang(req), 'auditor.noteSaved') } : {});
  });
  r.post('/auditor/listings/:id/notes', reviewers, async (req, res) => {
    try {
      const reviewed = ['on', '1', 'true'].includes(formField(req, 'reviewed'));
      await auditor.addReviewNote(ctx, currentUser(req), String(req.params.id), {
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
    const file = await auditor.dealFile(ctx, String(req.params.id));
    const entries = file.timeline;
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="timeline-${file.deal.code}.csv"`);
    res.send(timelineCsv(entries));
  });

  const showVerify = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const [result, checkpoint] = await Promise.all([service.verifyStoredChain(ctx), service.currentCheckpoint(ctx)]);
    const current = {
      ...checkpoint,
      fingerprint: keyFingerprint(checkpoint.publicKey),
      json: JSON.stringify(checkpoint),
    };
    renderPage(req, res, 'audit/verify', { title: t(lang, 'auditor.verifyTitle'), result, current, ...extra }, status);
  };
  // a kept checkpoint comes back as ?size=&root= (POST/redirect/GET), so the result can be bookmarked
  r.get('/auditor/verify', reviewers, async (req, res) => {
    if (req.query.size === undefined && req.query.root === undefined) return showVerify(req, res);
    try {
      const kept = await service.verifyTrail(ctx, { size: req.query.size, root: req.query.root });
      const key = kept.valid ? 'auditor.keptValid' : `auditor.kept${'reason' in kept ? kept.reason : 'CHAIN_BROKEN'}`;
      const message = t(detectLang(req), key, { ...kept, size: req.query.size });
      return await showVerify(req, res, { kept: { valid: kept.valid, message, root: req.query.root } });
    } catch (err) {
      return showVerify(req, res, formErrors(req, err), (err as AppError).status);
    }
  });
  r.post('/auditor/verify', reviewers, async (req, res) => {
    const text = formField(req, 'kept');
    try {
      const kept = readKeptCheckpoint(text);
      if (!kept) throw new ValidationError({ kept: { key: 'auditor.keptUnreadable' } });
      const current = await service.currentCheckpoint(ctx);
      if (kept.signed && !verifyCheckpointSignature(kept.signed, current.publicKey))
        throw new ValidationError({ kept: { key: 'auditor.keptBadSignature' } });
      res.redirect(303, `/auditor/verify?size=${kept.size}&root=${kept.root}`);
    } catch (err) {
      await showVerify(req, res, { ...formErrors(req, err), keptText: text }, (err as AppError).status);
    }
  });
  r.get('/auditor/export.json', reviewers, async (_req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="audit-trail.json"');
    res.json(await service.exportTrail(ctx));
  });
  return r;
}
