/**
 * The working-day calendar, as pure functions over instants.
 *
 * Days are calendar days in Asia/Shanghai (UTC+8, no daylight saving). A day is a working day when
 * an admin marked it 'workday' (a make-up working day, 调休), or it is Monday to Friday and not
 * marked 'holiday'.
 *
 * Working time is the time that falls inside working days, whole days counted (00:00–24:00).
 * "N working days after t" is the instant at which N × 24 h of working time have elapsed since t:
 * when t lies on a working day that is the same clock time on the N-th following working day;
 * when t lies on a weekend or holiday, counting starts at 00:00 of the next working day, so the
 * limit ends at midnight after the N-th working day. Fractions (80 % of a limit) use the same
 * measure, so every threshold is computed in working time consistently.
 */
export type DayKind = 'holiday' | 'workday';

export interface CalendarDay {
  day: string; // YYYY-MM-DD
  kind: DayKind;
  name: string;
}

/** The admin's exceptions to the Monday–Friday week, keyed by YYYY-MM-DD. */
export type WorkingCalendar = ReadonlyMap<string, DayKind>;

export const HOUR_MS = 3600_000;
export const DAY_MS = 24 * HOUR_MS;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;
// a year of holidays in a row cannot happen; the guard stops a runaway loop on absurd input
const MAX_DAYS_SCANNED = 3660;

export function calendarOf(days: Iterable<Pick<CalendarDay, 'day' | 'kind'>>): WorkingCalendar {
  return new Map([...days].map((d) => [d.day, d.kind]));
}

/** Days since 1970-01-01 of the Shanghai calendar day holding this instant. */
export function shanghaiDayNumber(instant: Date | number): number {
  return Math.floor((+instant + SHANGHAI_OFFSET_MS) / DAY_MS);
}

export function dayNumberToIso(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The Shanghai calendar day of an instant, YYYY-MM-DD. */
export function shanghaiDay(instant: Date | number): string {
  return dayNumberToIso(shanghaiDayNumber(instant));
}

/** The instant at which a Shanghai calendar day (by number) starts. */
export function startOfDayNumber(n: number): Date {
  return new Date(n * DAY_MS - SHANGHAI_OFFSET_MS);
}

// strict YYYY-MM-DD of a real date: one definition for every concept
export { isIsoDay } from '../http/time';

function dayNumberOfIso(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function isWorkingDayNumber(n: number, cal: WorkingCalendar): boolean {
  const marked = cal.get(dayNumberToIso(n));
  if (marked) return marked === 'workday';
  const wd = weekdayOf(n);
  return wd !== 0 && wd !== 6;
}

export function isWorkingDay(day: string, cal: WorkingCalendar): boolean {
  return isWorkingDayNumber(dayNumberOfIso(day), cal);
}

/** The instant when `amountMs` of working time has elapsed after `start`. */
export function addWorkingTime(start: Date, amountMs: number, cal: WorkingCalendar): Date {
  if (amountMs <= 0) return new Date(start);
  let cursor = +start;
  let remaining = amountMs;
  let day = shanghaiDayNumber(cursor);
  for (let scanned = 0; scanned < MAX_DAYS_SCANNED + Math.ceil(amountMs / DAY_MS) * 2; scanned++) {
    const dayEnd = +startOfDayNumber(day + 1);
    if (isWorkingDayNumber(day, cal)) {
      const available = dayEnd - cursor;
      if (remaining <= available) return new Date(cursor + remaining);
      remaining -= available;
    }
    cursor = dayEnd;
    day += 1;
  }
  throw new Error('no working days found in the calendar');
}

/** N working days after start (N may be fractional, e.g. 0.8 × 3). */
export function addWorkingDays(start: Date, days: number, cal: WorkingCalendar): Date {
  return addWorkingTime(start, Math.round(days * DAY_MS), cal);
}

/** Working time between two instants, in milliseconds (0 when to ≤ from). */
export function workingTimeBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  let total = 0;
  let cursor = +from;
  const end = +to;
  let day = shanghaiDayNumber(cursor);
  while (cursor < end) {
    const dayEnd = Math.min(+startOfDayNumber(day + 1), end);
    if (isWorkingDayNumber(day, cal)) total += dayEnd - cursor;
    cursor = dayEnd;
    day += 1;
  }
  return total;
}

/** ?year=2026 → 2026; anything else → all years. */
export function yearFilter(raw: unknown): number | undefined {
  return typeof raw === 'string' && /^\d{4}$/.test(raw) ? Number(raw) : undefined;
}
