// Times for people are shown in Asia/Shanghai whatever the server's zone. Formatters are built once:
// constructing Intl.DateTimeFormat costs more than formatting with it.
const ZONE = 'Asia/Shanghai';
const numeric = new Intl.DateTimeFormat('sv-SE', {
  timeZone: ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * The one way pages, printed notices, the ticker and exports show a moment: "2026-11-21 09:30", Beijing time, in
 * both languages (the national numeric form GB/T 7408, short on a phone, the same as the forms' inputs); '' for none.
 */
export function displayDateTime(d: Date | string | null | undefined): string {
  return d ? numeric.format(new Date(d)) : '';
}

/** The one way a calendar day is shown: "2026-11-21" in Asia/Shanghai; '' for no time. */
export function displayDate(d: Date | string | null | undefined): string {
  return displayDateTime(d).slice(0, 10);
}

/** The calendar day (YYYY-MM-DD) in Asia/Shanghai, for form defaults and "not in the future" checks. */
export function shanghaiToday(now = new Date()): string {
  return displayDate(now);
}

/** The value of a datetime-local input, in Beijing time: "2026-11-28T09:00". */
export function localInputValue(d: Date): string {
  return displayDateTime(d).replace(' ', 'T');
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Strict YYYY-MM-DD naming a real date (2026-02-30 is none). */
export function isIsoDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DAY.exec(value);
  if (!m) return false;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === value;
}

/** A calendar day in Asia/Shanghai → the instant it starts; null when it is no real day. */
export function shanghaiDayStart(text: string): Date | null {
  return isIsoDay(text) ? new Date(`${text}T00:00:00+08:00`) : null;
}

/** The day an instant starts in Asia/Shanghai (YYYY-MM-DD), or null when it is not a day's first moment. */
export function shanghaiDayAt(instant: Date): string | null {
  const day = displayDate(instant);
  return shanghaiDayStart(day)?.getTime() === instant.getTime() ? day : null;
}
