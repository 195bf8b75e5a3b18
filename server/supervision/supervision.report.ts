/**
 * Daily, weekly and monthly counts of alerts raised (预警 n, 黄牌 n, 红牌 n), as pure functions.
 *
 * Definition: an alert is "raised" at the instant a step instance crosses into a level — its
 * warning, due or red time (see levelCrossings). A crossing counts in the period (Shanghai calendar
 * day, Monday-to-Sunday week, calendar month) that holds that instant, if it happened before the
 * step was completed and not after now. Completed steps still count for the periods in which they
 * crossed, so the counts are computed from the steps' stored times, not from a log of alerts.
 */
import { shanghaiDayNumber, startOfDayNumber, WorkingCalendar, dayNumberToIso } from '../calendar/calendar';
import { Level, levelCrossings, StepInstance } from './supervision';

export type Period = 'day' | 'week' | 'month';
export type LevelCounts = Record<Level, number>;

export interface PeriodRange {
  period: Period;
  /** YYYY-MM-DD of the first day */
  label: string;
  from: Date;
  to: Date; // exclusive
}

/** The day, week (starting Monday) and month that hold `now`, in Asia/Shanghai. */
export function currentPeriods(now: Date): PeriodRange[] {
  const today = shanghaiDayNumber(now);
  const weekday = (((today + 4) % 7) + 7) % 7; // 0 = Sunday
  const monday = today - ((weekday + 6) % 7);
  const iso = dayNumberToIso(today);
  const [y, m] = iso.split('-').map(Number);
  const monthStart = Math.floor(Date.UTC(y, m - 1, 1) / 86_400_000);
  const nextMonthStart = Math.floor(Date.UTC(y, m, 1) / 86_400_000);
  return [
    { period: 'day', label: iso, from: startOfDayNumber(today), to: startOfDayNumber(today + 1) },
    { period: 'week', label: dayNumberToIso(monday), from: startOfDayNumber(monday), to: startOfDayNumber(monday + 7) },
    {
      period: 'month',
      label: iso.slice(0, 7),
      from: startOfDayNumber(monthStart),
      to: startOfDayNumber(nextMonthStart),
    },
  ];
}

export const zeroCounts = (): LevelCounts => ({ warning: 0, yellow: 0, red: 0 });

/** How many steps crossed into each level within [from, to). */
export function countCrossings(
  instances: StepInstance[],
  cal: WorkingCalendar,
  now: Date,
  range: Pick<PeriodRange, 'from' | 'to'>,
): LevelCounts {
  const counts = zeroCounts();
  for (const inst of instances) {
    for (const c of levelCrossings(inst, cal, now)) {
      if (c.at >= range.from && c.at < range.to) counts[c.level] += 1;
    }
  }
  return counts;
}

export interface TownshipReport {
  townshipId: string;
  periods: { period: Period; label: string; counts: LevelCounts }[];
}

/** One row per township: counts for today, this week and this month. */
export function reportByTownship(
  instances: StepInstance[],
  townshipIds: string[],
  cal: WorkingCalendar,
  now: Date,
): TownshipReport[] {
  const periods = currentPeriods(now);
  return townshipIds.map((townshipId) => {
    const mine = instances.filter((i) => i.townshipId === townshipId);
    return {
      townshipId,
      periods: periods.map((p) => ({ period: p.period, label: p.label, counts: countCrossings(mine, cal, now, p) })),
    };
  });
}
