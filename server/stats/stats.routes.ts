import { Router } from 'express';
import type { AppContext } from '../context';
import { sendCachedJson } from '../cache/cache';
import { parseStatsFilter, statsFilterKey } from './stats';
import { statsToJson } from './stats.json';
import { computeStats, STATS_READ, TradingStats } from './stats.service';

/** Public trading statistics, through the read cache (same key as the /stats page). */
export function statsApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/stats', async (req, res) => {
    const filter = parseStatsFilter(req.query);
    await sendCachedJson<TradingStats>(
      ctx,
      req,
      res,
      STATS_READ,
      `stats:${statsFilterKey(filter)}`,
      () => computeStats(ctx, filter),
      statsToJson,
    );
  });
  return r;
}
