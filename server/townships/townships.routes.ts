import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, isId, requireRole } from '../http/access';
import { NotFoundError } from '../http/errors';
import { rulesToJson, townshipToJson } from './townships';
import * as repo from './townships.repository';
import * as service from './townships.service';

export function townshipsApi(ctx: AppContext): Router {
  const { db } = ctx;
  const r = Router();
  r.get('/townships', async (req, res) => {
    const district = typeof req.query.district === 'string' ? req.query.district : undefined;
    res.json((await repo.listTownships(db, district)).map(townshipToJson));
  });
  r.post('/townships', requireRole('admin'), async (req, res) => {
    res.status(201).json(townshipToJson(await service.createTownship(db, currentUser(req), req.body)));
  });
  r.get('/townships/:id', async (req, res) => {
    const t = isId(req.params.id) ? await repo.findTownship(db, req.params.id) : undefined;
    if (!t) throw new NotFoundError();
    res.json(townshipToJson(t));
  });
  r.get('/townships/:id/rules', async (req, res) => {
    if (!isId(req.params.id)) throw new NotFoundError();
    res.json(rulesToJson(await service.getRules(db, req.params.id)));
  });
  r.put('/townships/:id/rules', requireRole('admin'), async (req, res) => {
    if (!isId(req.params.id)) throw new NotFoundError();
    res.json(rulesToJson(await service.replaceRules(db, currentUser(req), req.params.id, req.body)));
  });
  return r;
}
