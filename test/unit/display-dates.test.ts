import fs from 'node:fs';
import path from 'node:path';
import { displayDate, displayDateTime } from '../../server/http/time';

// Dates in one format across pages: server/http/time.ts is the one place that turns a moment into text.

describe('the one date format', () => {
  it('shows a moment as YYYY-MM-DD HH:mm in Beijing time, whatever the server zone', () => {
    expect(displayDateTime(new Date('2026-11-27T16:05:00Z'))).toBe('2026-11-28 00:05');
    expect(displayDateTime('2026-12-01T01:30:59.999Z')).toBe('2026-12-01 09:30');
    expect(displayDateTime(new Date('2026-06-30T23:59:00+08:00'))).toBe('2026-06-30 23:59');
  });

  it('shows a day as YYYY-MM-DD in Beijing time', () => {
    expect(displayDate(new Date('2026-11-27T16:05:00Z'))).toBe('2026-11-28');
    expect(displayDate(new Date('2026-11-27T15:59:00Z'))).toBe('2026-11-27');
  });

  it('shows nothing for no moment', () => {
    expect(displayDateTime(null)).toBe('');
    expect(displayDate(undefined)).toBe('');
  });

  it('is the only date formatter in the server and the pages’ scripts', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.(ts|js|hbs)$/.test(entry.name) && !file.endsWith(path.join('http', 'time.ts'))) {
          const text = fs.readFileSync(file, 'utf8');
          if (/Intl\.DateTimeFormat|toLocale(Date|Time)?String\(\s*['"a-z]|dateStyle|timeStyle/.test(text)) {
            // toLocaleString on a number (thousands separators) is allowed; on a date it is not
            const dateLike = /(Date|At|at|time|Time)\)?\.toLocale|Intl\.DateTimeFormat|dateStyle|timeStyle/.test(text);
            if (dateLike) offenders.push(path.relative(process.cwd(), file));
          }
        }
      }
    };
    walk(path.resolve(__dirname, '../../server'));
    walk(path.resolve(__dirname, '../../views'));
    expect(offenders).toEqual([]);
  });
});
