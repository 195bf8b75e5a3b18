import { Router } from 'express';
import type { KeyObject } from 'node:crypto';
import type { Db } from '../db/db';
import { requireRole } from '../http/access';
import * as service from './trail.service';

/** The transparency log: its signed checkpoint and proofs are public; the entries are for auditors and admins. */
// takes only what it uses, so the trail (which every concept imports) imports no concept back
export function trailApi(ctx: { db: Db; auditSigningKey: KeyObject }): Router {
  const { db } = ctx;
  const r = Router();
  const reviewers = requireRole('auditor', 'admin');
  r.get('/audit/checkpoint', async (_req, res) => res.json(await service.currentCheckpoint(db, ctx.auditSigningKey)));
  r.get('/audit/proof', async (req, res) => res.json(await service.inclusionProof(db, req.query)));
  r.get('/audit/consistency', async (req, res) => res.json(await service.consistencyProof(db, req.query)));
  r.get('/audit/log', reviewers, async (req, res) => res.json(await service.readLog(db, req.query)));
  r.get('/audit/verify', reviewers, async (req, res) => res.json(await service.verifyTrail(db, req.query)));
  r.get('/audit/export', reviewers, async (_req, res) => {
    res.setHeader('Content-Disposition', 'attachment; filename="audit-trail.json"');
    res.json(await service.exportTrail(db));
  });
  return r;
}
