import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import { defineRead, sendCachedJson } from '../cache/cache';
import { parseStatsFilter, statsFilterKey } from '../stats/stats';
import { HALL_READ, hallStats, recordHallEntry } from './hall.service';

const HALL_JSON = defineRead('hall.json', HALL_READ.dependsOn);

export function hallApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/hall/stats', async (req, res) => {
    const filter = parseStatsFilter(req.query);
    await sendCachedJson(ctx, req, res, HALL_JSON, `hall.json:${statsFilterKey(filter)}`, () => hallStats(ctx, filter));
  });
  r.post('/hall/entries', requireRole('staff'), async (req, res) => {
    res.status(201).json(await recordHallEntry(ctx, currentUser(req), req.body));
  });
  return r;
}
