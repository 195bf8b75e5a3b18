import { z } from 'zod';
import type { Db } from '../db/db';
import type { AuthUser } from '../http/access';
import { appendAudit } from '../trail/append';
import { NotFoundError } from '../http/errors';
import { parseInput } from '../http/validate';
import { CalendarDay, isIsoDay } from './calendar';
import * as repo from './calendar.repository';
import './calendar.messages';

export const calendarDayInput = z
  .object({
    day: z.string().refine(isIsoDay, { params: { key: 'calendar.badDay' } }),
    kind: z.enum(['holiday', 'workday']),
    name: z.string().trim().max(50).default(''),
  })
  .strict();

export async function listDays(db: Db, year?: number): Promise<CalendarDay[]> {
  return repo.listCalendarDays(db, year);
}

/** Admin enters a holiday or a make-up working day; the change is in the trail like any other. */
export async function saveDay(db: Db, actor: AuthUser, body: unknown): Promise<CalendarDay> {
  const input = parseInput(calendarDayInput, body);
  return db.transaction().execute(async (trx) => {
    const saved = await repo.upsertCalendarDay(trx, input);
    await appendAudit(trx, { actor: actor.username, action: 'calendar.day_saved', data: { ...saved } });
    return saved;
  });
}

export async function removeDay(db: Db, actor: AuthUser, day: string): Promise<void> {
  if (!isIsoDay(day)) throw new NotFoundError();
  await db.transaction().execute(async (trx) => {
    const removed = await repo.deleteCalendarDay(trx, day);
    if (!removed) throw new NotFoundError();
    await appendAudit(trx, { actor: actor.username, action: 'calendar.day_removed', data: { ...removed } });
  });
}

/** ?year=2026 → 2026; anything else → all years. */
export function yearFilter(raw: unknown): number | undefined {
  return typeof raw === 'string' && /^\d{4}$/.test(raw) ? Number(raw) : undefined;
}
