import {
  addWorkingDays,
  addWorkingTime,
  calendarOf,
  DAY_MS,
  HOUR_MS,
  isIsoDay,
  isWorkingDay,
  shanghaiDay,
  workingTimeBetween,
} from '../../server/calendar/calendar';
import { displayDateTime } from '../../server/http/time';

const at = (s: string) => new Date(s);
const none = calendarOf([]);
// National Day 2026: Oct 1–7 off (Thu–Wed), Saturday Oct 10 a make-up working day (调休)
const nationalDay = calendarOf([
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ day: `2026-10-${d}`, kind: 'holiday' as const })),
  { day: '2026-10-10', kind: 'workday' as const },
]);

describe('working days', () => {
  it('counts Monday to Friday as working days and weekends as not', () => {
    expect(isWorkingDay('2026-11-20', none)).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21', none)).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-22', none)).toBe(false); // Sunday
    expect(isWorkingDay('2026-11-23', none)).toBe(true); // Monday
  });

  it('skips holidays the admin entered and works on make-up days', () => {
    expect(isWorkingDay('2026-10-01', nationalDay)).toBe(false);
    expect(isWorkingDay('2026-10-07', nationalDay)).toBe(false);
    expect(isWorkingDay('2026-10-08', nationalDay)).toBe(true);
    expect(isWorkingDay('2026-10-10', nationalDay)).toBe(true);
    expect(isWorkingDay('2026-10-11', nationalDay)).toBe(false);
  });

  it('reads the day in Asia/Shanghai, not UTC', () => {
    // Friday 23:30 UTC is already Saturday 07:30 in Shanghai
    expect(shanghaiDay(at('2026-11-20T23:30:00Z'))).toBe('2026-11-21');
    expect(displayDateTime(at('2026-11-20T23:30:00Z'))).toBe('2026-11-21 07:30');
  });

  it('accepts only real YYYY-MM-DD dates', () => {
    expect(isIsoDay('2026-02-28')).toBe(true);
    expect(isIsoDay('2026-02-29')).toBe(false);
    expect(isIsoDay('2026-2-3')).toBe(false);
    expect(isIsoDay(20260101)).toBe(false);
    expect(isIsoDay('2026-13-01')).toBe(false);
  });
});

describe('adding working days', () => {
  it('lands at the same clock time N working days later, across a weekend', () => {
    expect(addWorkingDays(at('2026-11-20T10:00:00+08:00'), 1, none)).toEqual(at('2026-11-23T10:00:00+08:00'));
    expect(addWorkingDays(at('2026-11-18T09:30:00+08:00'), 3, none)).toEqual(at('2026-11-23T09:30:00+08:00'));
  });

  it('skips a holiday week and counts a make-up Saturday', () => {
    expect(addWorkingDays(at('2026-09-30T15:00:00+08:00'), 1, nationalDay)).toEqual(at('2026-10-08T15:00:00+08:00'));
    expect(addWorkingDays(at('2026-09-30T15:00:00+08:00'), 3, nationalDay)).toEqual(at('2026-10-10T15:00:00+08:00'));
    // without the calendar the same start is due on Monday Oct 5
    expect(addWorkingDays(at('2026-09-30T15:00:00+08:00'), 3, none)).toEqual(at('2026-10-05T15:00:00+08:00'));
  });

  it('starts counting at the next working day when the start is on a day off', () => {
    // lodged on Saturday: one working day is the whole of Monday
    expect(addWorkingDays(at('2026-11-21T10:00:00+08:00'), 1, none)).toEqual(at('2026-11-24T00:00:00+08:00'));
  });

  it('measures fractions in working time too', () => {
    expect(addWorkingDays(at('2026-11-20T10:00:00+08:00'), 0.5, none)).toEqual(at('2026-11-20T22:00:00+08:00'));
    // 80 % of 3 working days from Thursday noon: 2.4 working days → Monday 21:36
    expect(addWorkingDays(at('2026-11-19T12:00:00+08:00'), 2.4, none)).toEqual(at('2026-11-23T21:36:00+08:00'));
  });

  it('returns the start for a zero amount', () => {
    const start = at('2026-11-21T10:00:00+08:00');
    expect(addWorkingTime(start, 0, none)).toEqual(start);
  });

  it('agrees with the working time measured between the two instants', () => {
    const start = at('2026-09-29T08:15:00+08:00');
    for (const n of [0.3, 1, 2.4, 5, 9]) {
      const end = addWorkingDays(start, n, nationalDay);
      expect(workingTimeBetween(start, end, nationalDay)).toBe(Math.round(n * DAY_MS));
    }
    expect(workingTimeBetween(at('2026-11-21T00:00:00+08:00'), at('2026-11-23T00:00:00+08:00'), none)).toBe(0);
    expect(workingTimeBetween(at('2026-11-23T10:00:00+08:00'), at('2026-11-23T08:00:00+08:00'), none)).toBe(0);
    expect(workingTimeBetween(at('2026-11-20T20:00:00+08:00'), at('2026-11-23T02:00:00+08:00'), none)).toBe(
      6 * HOUR_MS,
    );
  });
});
