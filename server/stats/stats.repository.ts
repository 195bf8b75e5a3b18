import { sql } from 'kysely';
import type { Executor } from '../db/db';
import { Decimal } from '../http/money';
import { shanghaiDayAt } from '../http/time';
import type { StatsFilter } from './stats';
import { DEAL_STATES } from '../listings/status';

// Every sum is sum() over numeric(14,2) in PostgreSQL: exact to the fen, never a float. Amounts are
// whole-term amounts: a yearly-priced lease's award counts term_amount (NULL for every other award).

/** Awarded deals (awarded or concluded listings) in the filter, dated by awarded_at. */
function deals(db: Executor, f: StatsFilter) {
  let q = db
    .selectFrom('awards')
    .innerJoin('listings', 'listings.id', 'awards.listing_id')
    .innerJoin('townships', 'townships.id', 'listings.township_id')
    .where('listings.state', 'in', DEAL_STATES);
  if (f.townshipId) q = q.where('listings.township_id', '=', f.townshipId);
  if (f.district) q = q.where('townships.district', '=', f.district);
  if (f.from) q = q.where('awards.awarded_at', '>=', f.from);
  if (f.until) q = q.where('awards.awarded_at', '<', f.until);
  return q;
}

/**
 * The same deals from the daily totals (deal_days, see deal-days.ts): a few rows per township and
 * day instead of every award joined with its listing. Usable when the bounds are whole days in
 * Asia/Shanghai, as the day filters of /stats are; null for bounds inside a day.
 */
function dealDays(db: Executor, f: StatsFilter) {
  const from = f.from ? shanghaiDayAt(f.from) : null;
  const until = f.until ? shanghaiDayAt(f.until) : null;
  if ((f.from && !from) || (f.until && !until)) return null;
  let q = db.selectFrom('deal_days').innerJoin('townships', 'townships.id', 'deal_days.township_id');
  if (f.townshipId) q = q.where('deal_days.township_id', '=', f.townshipId);
  if (f.district) q = q.where('townships.district', '=', f.district);
  if (from) q = q.where('deal_days.day', '>=', from);
  if (until) q = q.where('deal_days.day', '<', until);
  return q;
}

/**
 * Where the sums come from: the daily totals when the filter allows (the default), or the awards
 * themselves (the tests compare the two).
 */
export type DealSource = 'daily' | 'awards';
const daily = (db: Executor, f: StatsFilter, source: DealSource) => (source === 'daily' ? dealDays(db, f) : null);
const dealCount = sql<string>`sum(deal_days.deals)`;

/** Listings of the filter's townships, whatever their state (for the failed and open counts). */
function listingsInScope(db: Executor, f: StatsFilter) {
  let q = db.selectFrom('listings').innerJoin('townships', 'townships.id', 'listings.township_id');
  if (f.townshipId) q = q.where('listings.township_id', '=', f.townshipId);
  if (f.district) q = q.where('townships.district', '=', f.district);
  return q;
}

const money = (v: string | null) => new Decimal(v ?? '0');

export interface KindTotals {
  count: number;
  baseTotal: Decimal;
  awardTotal: Decimal;
  savings: Decimal;
}
export interface DealTotals {
  dealCount: number;
  totalAmount: Decimal;
  savingsTotal: Decimal;
}

export async function sumDealsByKind(
  db: Executor,
  f: StatsFilter,
  source: DealSource = 'daily',
): Promise<Record<'procurement' | 'lease', KindTotals>> {
  const days = daily(db, f, source);
  const rows = days
    ? await days
        .select([
          'deal_days.kind',
          dealCount.as('n'),
          sql<string>`sum(deal_days.base_total)`.as('base_total'),
          sql<string>`sum(deal_days.award_total)`.as('award_total'),
          sql<string>`sum(deal_days.savings)`.as('savings'),
        ])
        .groupBy('deal_days.kind')
        .having(dealCount, '<>', '0')
        .execute()
    : await deals(db, f)
        .select([
          'awards.kind',
          sql<string>`count(*)`.as('n'),
          sql<string>`coalesce(sum(coalesce(awards.term_base_price, awards.base_price)), 0)`.as('base_total'),
          sql<string>`coalesce(sum(coalesce(awards.term_amount, awards.amount)), 0)`.as('award_total'),
          sql<string>`coalesce(sum(awards.savings), 0)`.as('savings'),
        ])
        .groupBy('awards.kind')
        .execute();
  const empty = (): KindTotals => ({
    count: 0,
    baseTotal: new Decimal(0),
    awardTotal: new Decimal(0),
    savings: new Decimal(0),
  });
  const out = { procurement: empty(), lease: empty() };
  for (const r of rows) {
    out[r.kind] = {
      count: Number(r.n),
      baseTotal: money(r.base_total),
      awardTotal: money(r.award_total),
      savings: money(r.savings),
    };
  }
  return out;
}

export async function sumDealsByTownship(
  db: Executor,
  f: StatsFilter,
  source: DealSource = 'daily',
): Promise<Map<string, DealTotals>> {
  const days = daily(db, f, source);
  const rows = days
    ? await days
        .select([
          'deal_days.township_id',
          dealCount.as('n'),
          sql<string>`sum(deal_days.award_total)`.as('total'),
          sql<string>`sum(deal_days.savings)`.as('savings'),
        ])
        .groupBy('deal_days.township_id')
        .having(dealCount, '<>', '0')
        .execute()
    : await deals(db, f)
        .select([
          'listings.township_id',
          sql<string>`count(*)`.as('n'),
          sql<string>`coalesce(sum(coalesce(awards.term_amount, awards.amount)), 0)`.as('total'),
          sql<string>`coalesce(sum(awards.savings), 0)`.as('savings'),
        ])
        .groupBy('listings.township_id')
        .execute();
  return new Map(
    rows.map((r) => [
      r.township_id,
      { dealCount: Number(r.n), totalAmount: money(r.total), savingsTotal: money(r.savings) },
    ]),
  );
}

/** Months are calendar months in Asia/Shanghai, oldest first. */
export async function sumDealsByMonth(
  db: Executor,
  f: StatsFilter,
  source: DealSource = 'daily',
): Promise<(DealTotals & { month: string })[]> {
  const days = daily(db, f, source);
  const dayMonth = sql<string>`to_char(deal_days.day, 'YYYY-MM')`;
  const month = sql<string>`to_char(awards.awarded_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`;
  const rows = days
    ? await days
        .select([
          dayMonth.as('month'),
          dealCount.as('n'),
          sql<string>`sum(deal_days.award_total)`.as('total'),
          sql<string>`sum(deal_days.savings)`.as('savings'),
        ])
        .groupBy(dayMonth)
        .having(dealCount, '<>', '0')
        .orderBy(dayMonth)
        .execute()
    : await deals(db, f)
        .select([
          month.as('month'),
          sql<string>`count(*)`.as('n'),
          sql<string>`coalesce(sum(coalesce(awards.term_amount, awards.amount)), 0)`.as('total'),
          sql<string>`coalesce(sum(awards.savings), 0)`.as('savings'),
        ])
        .groupBy(month)
        .orderBy(month)
        .execute();
  return rows.map((r) => ({
    month: r.month,
    dealCount: Number(r.n),
    totalAmount: money(r.total),
    savingsTotal: money(r.savings),
  }));
}

export async function listTownshipsInScope(
  db: Executor,
  f: StatsFilter,
): Promise<{ id: string; code: string; name: string }[]> {
  let q = db.selectFrom('townships').select(['id', 'code', 'name']).orderBy('district').orderBy('code');
  if (f.townshipId) q = q.where('id', '=', f.townshipId);
  if (f.district) q = q.where('district', '=', f.district);
  return q.execute();
}

/** 流标: failed listings, dated by when they failed (or were opened, for rows without the stamp). */
export async function countFailed(db: Executor, f: StatsFilter): Promise<number> {
  const at = sql<Date>`coalesce(listings.failed_at, listings.opened_at, listings.updated_at)`;
  let q = listingsInScope(db, f)
    .select(sql<string>`count(*)`.as('n'))
    .where('listings.state', '=', 'failed');
  if (f.from) q = q.where(at, '>=', f.from);
  if (f.until) q = q.where(at, '<', f.until);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/**
 * In progress: published listings (announced, open, or closed awaiting opening — all three follow
 * from the clock while the stored state is 'published'), dated by publication.
 */
export async function countInProgress(db: Executor, f: StatsFilter): Promise<number> {
  let q = listingsInScope(db, f)
    .select(sql<string>`count(*)`.as('n'))
    .where('listings.state', '=', 'published');
  if (f.from) q = q.where('listings.published_at', '>=', f.from);
  if (f.until) q = q.where('listings.published_at', '<', f.until);
  return Number((await q.executeTakeFirstOrThrow()).n);
}
