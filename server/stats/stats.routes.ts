import { Router } from 'express';
import type { AppContext } from '../context';
import { parseStatsFilter } from './stats';
import { computeStats, statsToJson } from './stats.service';

/** Public trading statistics. (Hall figures and the CSV/XLSX exports join this router later.) */
export function statsApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/stats', async (req, res) => {
    res.json(statsToJson(await computeStats(ctx.db, parseStatsFilter(req.query))));
  });
  return r;
}
