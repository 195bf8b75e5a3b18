import { Request, Response, Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole } from '../http/access';
import { AppError } from '../http/errors';
import { detectLang, t } from '../http/i18n';
import { redirectWithNotice, renderPage } from '../http/views';
import { bodyOf, formErrors } from '../http/forms';
import { displayDate, shanghaiToday } from '../http/time';
import { HALL_KINDS } from './hall';
import { recentHallEntries, recordHallEntry } from './hall.service';
import './hall.messages';

/** The staff page to record the hall's daily counts (services, disputes, consultations, info). */
export function hallPages(ctx: AppContext): Router {
  const r = Router();
  const show = async (req: Request, res: Response, extra: Record<string, unknown> = {}, status = 200) => {
    const lang = detectLang(req);
    const user = currentUser(req);
    const recent = await recentHallEntries(ctx, user);
    const values = (extra.values as Record<string, string> | undefined) ?? {
      date: shanghaiToday(),
      kind: 'service',
      count: '',
    };
    renderPage(
      req,
      res,
      'hall/entries',
      {
        title: t(lang, 'hall.record'),
        kinds: HALL_KINDS.map((k) => ({ key: k, label: t(lang, `hall.kind.${k}`), selected: values.kind === k })),
        values,
        today: shanghaiToday(),
        recent: recent.map((e) => ({
          date: e.date,
          kind: t(lang, `hall.kind.${e.kind}`),
          count: e.count,
          at: displayDate(e.createdAt),
        })),
        ...extra,
      },
      status,
    );
  };
  r.get('/staff/hall', requireRole('staff'), (req, res) => show(req, res));
  r.post('/staff/hall', requireRole('staff'), async (req, res) => {
    const body = bodyOf(req);
    try {
      // a form sends text; the API takes a number
      const text = typeof body.count === 'string' ? body.count.trim() : '';
      const count = /^\d+$/.test(text) ? Number(text) : body.count;
      await recordHallEntry(ctx, currentUser(req), { date: body.date, kind: body.kind, count });
      redirectWithNotice(req, res, '/staff/hall', 'hall.saved');
    } catch (err) {
      await show(req, res, { ...formErrors(req, err), values: body }, (err as AppError).status);
    }
  });
  return r;
}
