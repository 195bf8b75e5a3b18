import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import { rulesToJson, townshipToJson } from './townships';
import * as service from './townships.service';

export function townshipsApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/townships', async (req, res) => {
    const district = typeof req.query.district === 'string' ? req.query.district : undefined;
    res.json((await service.listTownships(ctx, district)).map(townshipToJson));
  });
  r.post('/townships', requireRole('admin'), async (req, res) => {
    res.status(201).json(townshipToJson(await service.createTownship(ctx, currentUser(req), req.body)));
  });
  r.get('/townships/:id', async (req, res) => {
    res.json(townshipToJson(await service.getTownship(ctx, req.params.id)));
  });
  r.get('/townships/:id/rules', async (req, res) => {
    res.json(rulesToJson(await service.getRules(ctx, req.params.id)));
  });
  r.put('/townships/:id/rules', requireRole('admin'), async (req, res) => {
    res.json(rulesToJson(await service.replaceRules(ctx, currentUser(req), String(req.params.id), req.body)));
  });
  return r;
}
