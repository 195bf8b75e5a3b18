import { z } from 'zod';
import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { appendAudit } from '../trail/append';
import { NotFoundError } from '../http/errors';
import { parseInput } from '../http/validate';
import { CalendarDay, isIsoDay, WorkingCalendar } from './calendar';
import * as repo from './calendar.repository';
import './calendar.messages';

export const calendarDayInput = z
  .object({
    day: z.string().refine(isIsoDay, { params: { key: 'calendar.badDay' } }),
    kind: z.enum(['holiday', 'workday']),
    name: z.string().trim().max(50).default(''),
  })
  .strict();

export async function listDays(ctx: AppContext, year?: number): Promise<CalendarDay[]> {
  return repo.listCalendarDays(ctx.db, year);
}

/** The holidays and make-up working days, for counting working days (supervision's time limits). */
export async function workingCalendar(ctx: AppContext): Promise<WorkingCalendar> {
  return repo.loadWorkingCalendar(ctx.db);
}

/** Admin enters a holiday or a make-up working day; the change is in the trail like any other. */
export async function saveDay(ctx: AppContext, actor: AuthUser, body: unknown): Promise<CalendarDay> {
  const input = parseInput(calendarDayInput, body);
  return ctx.db.transaction().execute(async (trx) => {
    const saved = await repo.upsertCalendarDay(trx, input);
    await appendAudit(trx, { actor: actor.username, action: 'calendar.day_saved', data: { ...saved } });
    return saved;
  });
}

export async function removeDay(ctx: AppContext, actor: AuthUser, day: string): Promise<void> {
  if (!isIsoDay(day)) throw new NotFoundError();
  await ctx.db.transaction().execute(async (trx) => {
    const removed = await repo.deleteCalendarDay(trx, day);
    if (!removed) throw new NotFoundError();
    await appendAudit(trx, { actor: actor.username, action: 'calendar.day_removed', data: { ...removed } });
  });
}
