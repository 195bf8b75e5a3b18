import type { Executor } from '../db/db';
import { CalendarDay, calendarOf, WorkingCalendar } from './calendar';

export async function listCalendarDays(db: Executor, year?: number): Promise<CalendarDay[]> {
  let q = db.selectFrom('calendar_days').select(['day', 'kind', 'name']).orderBy('day');
  if (year) q = q.where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`);
  return q.execute();
}

/** One row per day: entering a day again replaces its kind and name. */
export async function upsertCalendarDay(db: Executor, d: CalendarDay): Promise<CalendarDay> {
  return db
    .insertInto('calendar_days')
    .values(d)
    .onConflict((oc) => oc.column('day').doUpdateSet({ kind: d.kind, name: d.name }))
    .returning(['day', 'kind', 'name'])
    .executeTakeFirstOrThrow();
}

export async function deleteCalendarDay(db: Executor, day: string): Promise<CalendarDay | undefined> {
  return db.deleteFrom('calendar_days').where('day', '=', day).returning(['day', 'kind', 'name']).executeTakeFirst();
}

/** The whole calendar: a few dozen rows a year, small enough to load for every computation. */
export async function loadWorkingCalendar(db: Executor): Promise<WorkingCalendar> {
  return calendarOf(await db.selectFrom('calendar_days').select(['day', 'kind']).execute());
}
