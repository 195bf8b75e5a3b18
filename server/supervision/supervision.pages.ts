import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import { detectLang, t } from '../http/i18n';
import { renderPage } from '../http/views';
import * as service from './supervision.service';
import { districtView } from './supervision.view';

/** The district supervision page: every alert, and the daily/weekly/monthly counts per township. */
export function supervisionPages(ctx: AppContext): Router {
  const r = Router();
  r.get('/supervision', requireRole('auditor', 'admin', 'staff'), async (req, res) => {
    const lang = detectLang(req);
    const model = districtView(lang, await service.districtReport(ctx, currentUser(req), req.query.townshipId));
    const townships = model.townships.map((tw) => ({ ...tw, selected: tw.id === model.townshipId }));
    renderPage(req, res, 'supervision/index', {
      title: t(lang, 'supervision.title'),
      ...model,
      townships,
      canFilter: currentUser(req).role !== 'staff',
    });
  });
  return r;
}
