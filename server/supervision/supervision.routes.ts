import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireUser } from '../http/access';
import * as service from './supervision.service';

export function supervisionApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/supervision/alerts', requireUser, async (req, res) =>
    res.json(await service.listAlerts(ctx.db, currentUser(req), req.query.townshipId)),
  );
  return r;
}
