import { z } from 'zod';
import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { ForbiddenError, ValidationError } from '../http/errors';
import { parseInput } from '../http/validate';
import { appendAudit } from '../trail/append';
import { cachedRead, defineRead } from '../cache/cache';
import { shanghaiToday } from '../http/time';
import { shanghaiDayStart } from '../http/time';
import { statsFilterKey, StatsFilter } from '../stats/stats';
import { HALL_KINDS, hallFigures, infoPublished } from './hall';
import * as repo from './hall.repository';
import { tradingFigures } from './trading';
import { STATS_READ } from '../stats/stats.service';
import './hall.messages';

export const entryInput = z.object({
  date: z.string().trim().min(1),
  kind: z.enum(HALL_KINDS),
  // a fraction is a bad value (422), not a wrong type (400)
  count: z
    .number()
    .min(0)
    .max(1_000_000)
    .refine(Number.isInteger, { params: { key: 'hall.wholeNumber' } }),
});

/** The latest entries of the staff member's own township, shown beside the form (the newest first). */
export async function recentHallEntries(ctx: AppContext, user: AuthUser): Promise<repo.StoredHallEntry[]> {
  if (user.role !== 'staff' || !user.townshipId) throw new ForbiddenError();
  return repo.listRecentHallEntries(ctx.db, user.townshipId, 15);
}

/** Staff record a day's count for their own township's hall; audited like every change. */
export async function recordHallEntry(ctx: AppContext, user: AuthUser, body: unknown) {
  if (user.role !== 'staff' || !user.townshipId) throw new ForbiddenError();
  const input = parseInput(entryInput, body);
  if (!shanghaiDayStart(input.date)) throw new ValidationError({ date: { key: 'hall.badDate' } });
  if (input.date > shanghaiToday()) throw new ValidationError({ date: { key: 'hall.futureDate' } });
  const townshipId = user.townshipId;
  const row = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await repo.insertHallEntry(trx, {
      townshipId,
      date: input.date,
      kind: input.kind,
      count: input.count,
      createdBy: user.id,
    });
    await appendAudit(trx, {
      actor: user.username,
      action: 'hall.entry.recorded',
      data: { entryId: inserted.id, townshipId, date: input.date, kind: input.kind, count: input.count },
    });
    return inserted;
  });
  return {
    id: row.id,
    townshipId: row.township_id,
    date: row.entry_date,
    kind: row.kind,
    count: row.count,
    createdAt: row.created_at.toISOString(),
  };
}

export interface HallStats {
  servicesHandled: number;
  disputesMediated: number;
  infoPublished: number;
  consultations: number;
  trading: { dealCount: number; totalAmount: string; savingsTotal: string };
}

/** The hall's own counts, the board's notices and trading's figures (the statistics' sources). */
export const HALL_READ = defineRead('hall', [...STATS_READ.dependsOn, 'hall_entries']);

/** The hall's figures with trading as one line among them (GET /hall/stats), through the read cache. */
export async function hallStats(ctx: AppContext, filter: StatsFilter): Promise<HallStats> {
  const { value } = await cachedRead(ctx, HALL_READ, `hall:${statsFilterKey(filter)}`, async () => {
    const [sums, notices, trading] = await Promise.all([
      repo.sumHallEntries(ctx.db, filter),
      repo.countBoardNotices(ctx.db, filter),
      tradingFigures(ctx, filter),
    ]);
    const figures = hallFigures(sums);
    return {
      servicesHandled: figures.servicesHandled,
      disputesMediated: figures.disputesMediated,
      infoPublished: infoPublished(figures, notices),
      consultations: figures.consultations,
      trading,
    };
  });
  return value;
}
