import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireUser } from '../http/access';
import { detectLang } from '../http/i18n';
import * as service from './notifications.service';
import { inboxItem, inboxItemToJson } from './notifications.view';

/** The in-app inbox of whoever is signed in. */
export function notificationsApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/me/notifications', requireUser, async (req, res) => {
    const lang = detectLang(req);
    res.json((await service.inboxFor(ctx, currentUser(req).id)).map((n) => inboxItemToJson(inboxItem(lang, n))));
  });
  r.post('/me/notifications/:id/read', requireUser, async (req, res) => {
    await service.markNotificationRead(ctx, currentUser(req).id, String(req.params.id));
    res.status(204).end();
  });
  return r;
}
