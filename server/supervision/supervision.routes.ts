import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireUser } from '../http/access';
import * as service from './supervision.service';
import { alertToJson } from './supervision.view';

export function supervisionApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/supervision/alerts', requireUser, async (req, res) =>
    res.json((await service.listAlerts(ctx, currentUser(req), req.query.townshipId)).map(alertToJson)),
  );
  return r;
}
