import { Router } from 'express';
import type { AppContext } from '../context';
import { AppError } from '../http/errors';
import { detectLang, t } from '../http/i18n';
import { renderPage } from '../http/views';
import { formErrors } from '../http/forms';
import { listTownships } from '../townships/townships.service';
import { parseStatsFilter, StatsFilter } from '../stats/stats';
import { statsView } from './stats.view';
import './statspage.messages';

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** /stats: deals, amounts and 增收节资 by kind, township and month, with SVG charts and the hall's figures. */
export function statsPages(ctx: AppContext): Router {
  const r = Router();
  r.get('/stats', async (req, res) => {
    const lang = detectLang(req);
    const all = await listTownships(ctx);
    const values = {
      townshipId: text(req.query.townshipId),
      district: text(req.query.district),
      from: text(req.query.from),
      to: text(req.query.to),
    };
    let filter: StatsFilter = {};
    let errors: Record<string, unknown> = {};
    let status = 200;
    try {
      filter = parseStatsFilter(values);
    } catch (err) {
      errors = formErrors(req, err);
      status = (err as AppError).status;
    }
    const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== '')).toString();
    renderPage(
      req,
      res,
      'stats/index',
      {
        title: t(lang, 'stats.page.title'),
        townships: all.map((tw) => ({ ...tw, selected: tw.id === values.townshipId })),
        districts: [...new Set(all.map((tw) => tw.district))].map((d) => ({
          name: d,
          selected: d === values.district,
        })),
        values,
        query: query ? `?${query}` : '',
        ...(await statsView(ctx, filter, lang)),
        ...errors,
      },
      status,
    );
  });
  return r;
}
