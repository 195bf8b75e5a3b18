import type { AppContext } from '../server/context';
import { spreadTotal, slotWeight, HallKind } from '../server/hall/hall';
import { countBoardNotices } from '../server/hall/hall.repository';
import { DEMO_DISTRICT } from './demo-accounts';
import type { SeedStep } from './seed';

/**
 * 吉州区's hall figures since 2011 (DOMAIN.md): 52,198 services handled, 1,753 disputes mediated,
 * 15,312 consultations — exactly — and 2,230+ items of information published, the board's own
 * notices included. Spread over the three townships and every month from 2011-01 to 2026-10 with
 * fixed weights, so the seed is deterministic and the totals exact.
 */
export const HALL_TOTALS: Record<Exclude<HallKind, 'info'>, number> = {
  service: 52198,
  dispute: 1753,
  consultation: 15312,
};
export const INFO_PUBLISHED_AT_LEAST = 2230;
const TOWNSHIP_SHARE: Record<string, number> = { XQ: 0.4, CT: 0.35, QL: 0.25 };
const KIND_SALT: Record<HallKind, number> = { service: 1, dispute: 2, consultation: 3, info: 4 };

export function seedMonths(): string[] {
  const months: string[] = [];
  for (let y = 2011; y <= 2026; y++) {
    for (let m = 1; m <= 12; m++) {
      if (y === 2026 && m > 10) break;
      months.push(`${y}-${String(m).padStart(2, '0')}`);
    }
  }
  return months;
}

export const seedHallHistory: SeedStep = async (ctx: AppContext, ids) => {
  const codes = Object.keys(TOWNSHIP_SHARE).filter((c) => ids.townships[c]);
  if (codes.length === 0) return;
  const townshipIds = codes.map((c) => ids.townships[c]);
  // idempotent: seeded rows have no author; if any exist, the history is already there
  const existing = await ctx.db
    .selectFrom('hall_entries')
    .select('id')
    .where('township_id', 'in', townshipIds)
    .where('created_by', 'is', null)
    .limit(1)
    .executeTakeFirst();
  if (existing) return;

  // the board's notices already published (the seeded deals) count as information; staff records make up the rest
  const notices = await countBoardNotices(ctx.db, { district: DEMO_DISTRICT });
  const info = Math.max(2100, INFO_PUBLISHED_AT_LEAST - notices.announcements - notices.results);
  const totals: Record<HallKind, number> = { ...HALL_TOTALS, info };

  const months = seedMonths();
  const slots = codes.flatMap((code) => months.map((month) => ({ code, month })));
  const rows: { township_id: string; entry_date: string; kind: HallKind; count: number; created_by: null }[] = [];
  for (const kind of Object.keys(totals) as HallKind[]) {
    const weights = slots.map((s, i) => TOWNSHIP_SHARE[s.code] * slotWeight(i, KIND_SALT[kind]));
    spreadTotal(totals[kind], weights).forEach((count, i) => {
      if (count > 0)
        rows.push({
          township_id: ids.townships[slots[i].code],
          entry_date: `${slots[i].month}-28`,
          kind,
          count,
          created_by: null,
        });
    });
  }
  await ctx.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('hall_entries')
        .values(rows.slice(i, i + 500))
        .execute();
  });
};
