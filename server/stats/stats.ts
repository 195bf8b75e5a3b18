import { z } from 'zod';
import { ValidationError } from '../http/errors';
import { isId } from '../http/access';
import { parseInput } from '../http/validate';
import { shanghaiDayStart } from '../http/time';

/** Which deals a statistic covers. Times are instants: `until` is exclusive. */
export interface StatsFilter {
  townshipId?: string;
  district?: string;
  from?: Date;
  until?: Date;
}

/** The filter as a cache key: the same filter gives the same key (statistics and the hall's figures). */
export function statsFilterKey(f: StatsFilter): string {
  return [f.townshipId ?? '', f.district ?? '', f.from?.toISOString() ?? '', f.until?.toISOString() ?? ''].join('|');
}

const DAY = 24 * 3600_000;

/**
 * from/to are days (YYYY-MM-DD, both inclusive, in Asia/Shanghai) or ISO 8601 instants (inclusive).
 * Returns the instant bound, or null when the text is neither.
 */
export function parseBound(text: string, end: 'from' | 'to'): Date | null {
  const day = shanghaiDayStart(text);
  if (day) return end === 'from' ? day : new Date(day.getTime() + DAY);
  if (!z.string().datetime({ offset: true }).safeParse(text).success) return null;
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) return null;
  return end === 'from' ? instant : new Date(instant.getTime() + 1);
}

export const filterInput = z.object({
  townshipId: z.string().trim().optional(),
  district: z.string().trim().max(50).optional(),
  from: z.string().trim().optional(),
  to: z.string().trim().optional(),
});

/** The query string of /stats (and its exports) → a filter; anything unreadable is 422 VALIDATION. */
export function parseStatsFilter(query: unknown): StatsFilter {
  const q = parseInput(filterInput, query);
  const fields: ConstructorParameters<typeof ValidationError>[0] = {};
  const filter: StatsFilter = {};
  if (q.townshipId) {
    if (isId(q.townshipId)) filter.townshipId = q.townshipId;
    else fields.townshipId = { key: 'field.invalid' };
  }
  if (q.district) filter.district = q.district;
  if (q.from) {
    const from = parseBound(q.from, 'from');
    if (from) filter.from = from;
    else fields.from = { key: 'stats.badDate' };
  }
  if (q.to) {
    const until = parseBound(q.to, 'to');
    if (until) filter.until = until;
    else fields.to = { key: 'stats.badDate' };
  }
  if (filter.from && filter.until && filter.from >= filter.until) fields.to = { key: 'stats.toBeforeFrom' };
  if (Object.keys(fields).length) throw new ValidationError(fields);
  return filter;
}
