import { Router } from 'express';
import type { AppContext } from '../context';
import { requireRole } from '../http/access';
import * as service from './trail.service';

/** The transparency log: its signed checkpoint and proofs are public; the entries are for auditors and admins. */
export function trailApi(ctx: AppContext): Router {
  const r = Router();
  const reviewers = requireRole('auditor', 'admin');
  r.get('/audit/checkpoint', async (_req, res) => res.json(await service.currentCheckpoint(ctx)));
  r.get('/audit/proof', async (req, res) => res.json(await service.inclusionProof(ctx, req.query)));
  r.get('/audit/consistency', async (req, res) => res.json(await service.consistencyProof(ctx, req.query)));
  r.get('/audit/log', reviewers, async (req, res) => res.json(await service.readLog(ctx, req.query)));
  r.get('/audit/verify', reviewers, async (req, res) => res.json(await service.verifyTrail(ctx, req.query)));
  r.get('/audit/export', reviewers, async (_req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="audit-trail.json"');
    res.json(await service.exportTrail(ctx));
  });
  return r;
}
