import { Router, Request, Response } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import type { AppError } from '../http/errors';
import { detectLang, t } from '../http/i18n';
import { redirectWithNotice, renderPage } from '../http/views';
import { formErrors, formField } from '../http/forms';
import * as service from './calendar.service';

/** The admin's page for holidays and make-up working days. */
export function calendarPages(ctx: AppContext): Router {
  const r = Router();
  const show = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const days = (await service.listDays(ctx)).map((d) => ({ ...d, kindLabel: t(lang, `calendar.kind.${d.kind}`) }));
    renderPage(req, res, 'calendar/index', { title: t(lang, 'calendar.title'), days, ...extra }, status);
  };
  r.get('/admin/calendar', requireRole('admin'), (req, res) => show(req, res));
  r.post('/admin/calendar', requireRole('admin'), async (req, res) => {
    try {
      await service.saveDay(ctx, currentUser(req), {
        day: formField(req, 'day'),
        kind: formField(req, 'kind'),
        name: formField(req, 'name'),
      });
      redirectWithNotice(req, res, '/admin/calendar', 'calendar.saved');
    } catch (err) {
      await show(req, res, { ...formErrors(req, err), values: req.body }, (err as AppError).status);
    }
  });
  r.post('/admin/calendar/:day/delete', requireRole('admin'), async (req, res) => {
    await service.removeDay(ctx, currentUser(req), String(req.params.day));
    redirectWithNotice(req, res, '/admin/calendar', 'calendar.deleted');
  });
  return r;
}
