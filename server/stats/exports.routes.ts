import { Router } from 'express';
import type { AppContext } from '../context';
import { detectLang } from '../http/i18n';
import { parseStatsFilter } from './stats';
import { listDeals } from './exports.service';
import { dealsCsv, dealsXlsx } from './exports.view';
import './stats.messages';

/** GET /stats/deals.csv and /stats/deals.xlsx: one row per awarded deal, same filters as /stats. */
export function exportsApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/stats/deals.csv', async (req, res) => {
    const filter = parseStatsFilter(req.query);
    const csv = dealsCsv(await listDeals(ctx, filter), detectLang(req));
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.set('Content-Disposition', 'attachment; filename="deals.csv"');
    res.send(csv);
  });
  r.get('/stats/deals.xlsx', async (req, res) => {
    const filter = parseStatsFilter(req.query);
    const body = await dealsXlsx(await listDeals(ctx, filter), detectLang(req));
    res.set('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.set('Content-Disposition', 'attachment; filename="deals.xlsx"');
    res.send(body);
  });
  return r;
}
