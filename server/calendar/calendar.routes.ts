import { Router } from 'express';
import type { AppContext } from '../context';
import { currentUser, requireRole, requireUser } from '../http/access';
import { yearFilter } from './calendar';
import * as service from './calendar.service';

export function calendarApi(ctx: AppContext): Router {
  const r = Router();
  r.get('/calendar/days', requireUser, async (req, res) =>
    res.json(await service.listDays(ctx, yearFilter(req.query.year))),
  );
  r.post('/calendar/days', requireRole('admin'), async (req, res) =>
    res.status(201).json(await service.saveDay(ctx, currentUser(req), req.body)),
  );
  r.delete('/calendar/days/:day', requireRole('admin'), async (req, res) => {
    await service.removeDay(ctx, currentUser(req), String(req.params.day));
    res.status(204).end();
  });
  return r;
}
