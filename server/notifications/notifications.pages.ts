import { RequestHandler, Router } from 'express';
import type { AppContext } from '../context';
import { displayDateTime } from '../http/time';
import { currentUser, requireUser } from '../http/access';
import { detectLang, t } from '../http/i18n';
import { renderPage } from '../http/views';
import * as service from './notifications.service';
import { inboxItem } from './notifications.view';

/**
 * The header's unread count for a signed-in person (res.locals.unread, which every page render sees): counted
 * once per page request, on an index that holds only unread messages. Anonymous readers cost nothing.
 */
export function unreadInHeader(ctx: AppContext): RequestHandler {
  return async (req, res, next) => {
    if (req.user) {
      const n = await service.unreadCount(ctx, req.user.id);
      res.locals.unread = n > 0 ? { n, text: n > 99 ? '99+' : String(n) } : null;
    }
    next();
  };
}

/** /inbox: the signed-in person's messages (awards, answers to objections, openings …). */
export function notificationsPages(ctx: AppContext): Router {
  const r = Router();
  r.get('/inbox', requireUser, async (req, res) => {
    const lang = detectLang(req);
    const items = (await service.inboxFor(ctx, currentUser(req).id)).map((n) => inboxItem(lang, n));
    renderPage(req, res, 'notifications/inbox', {
      title: t(lang, 'inbox.title'),
      items: items.map((i) => ({ ...i, at: displayDateTime(i.at) })),
    });
  });
  r.post('/inbox/:id/read', requireUser, async (req, res) => {
    await service.markNotificationRead(ctx, currentUser(req).id, String(req.params.id));
    res.redirect(303, '/inbox');
  });
  return r;
}
