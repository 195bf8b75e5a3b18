// Dates for people are shown in Asia/Shanghai whatever the server's zone.
const formats = {
  dateTime: new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }),
  date: new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }),
};

/** "2026-11-21 09:30" in Asia/Shanghai. */
export function displayDateTime(d: Date | string | null | undefined): string {
  if (!d) return '';
  const parts = Object.fromEntries(formats.dateTime.formatToParts(new Date(d)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}

/** "2026-11-21" in Asia/Shanghai. */
export function displayDate(d: Date | string | null | undefined): string {
  if (!d) return '';
  const parts = Object.fromEntries(formats.date.formatToParts(new Date(d)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The calendar day (YYYY-MM-DD) in Asia/Shanghai, for form defaults. */
export function shanghaiToday(now = new Date()): string {
  return displayDate(now);
}
