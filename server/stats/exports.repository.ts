import type { Executor } from '../db/db';
import { Decimal } from '../http/money';
import type { DealRow } from './exports';
import type { StatsFilter } from './stats';
import { DEAL_STATES } from '../listings/status';

/** Every awarded deal (awarded or concluded) in the filter, dated by its award, oldest first. */
export async function findDeals(db: Executor, f: StatsFilter): Promise<DealRow[]> {
  let q = db
    .selectFrom('awards as a')
    .innerJoin('listings as l', 'l.id', 'a.listing_id')
    .innerJoin('townships as t', 't.id', 'l.township_id')
    .innerJoin('users as u', 'u.id', 'a.bidder_id')
    .leftJoin('contracts as c', 'c.listing_id', 'l.id')
    .select([
      'l.code',
      't.name as township',
      'l.kind',
      'l.category',
      'l.title',
      'a.base_price',
      'a.amount',
      'a.savings',
      'a.savings_rate',
      'u.name as winner_name',
      'u.username as winner_username',
      'l.published_at',
      'a.awarded_at',
      'c.signed_at',
      'l.price_basis',
      'l.lease_term_months',
      'a.term_amount',
    ])
    .where('l.state', 'in', DEAL_STATES);
  if (f.townshipId) q = q.where('l.township_id', '=', f.townshipId);
  if (f.district) q = q.where('t.district', '=', f.district);
  if (f.from) q = q.where('a.awarded_at', '>=', f.from);
  if (f.until) q = q.where('a.awarded_at', '<', f.until);
  const rows = await q.orderBy('a.awarded_at').orderBy('l.code').execute();
  return rows.map((r) => ({
    code: r.code,
    township: r.township,
    kind: r.kind,
    category: r.category,
    title: r.title,
    basePrice: new Decimal(r.base_price),
    amount: new Decimal(r.amount),
    savings: new Decimal(r.savings),
    savingsRate: new Decimal(r.savings_rate),
    winner: r.winner_name ?? r.winner_username,
    publishedAt: r.published_at,
    awardedAt: r.awarded_at,
    contractSignedAt: r.signed_at,
    priceBasis: r.price_basis,
    leaseTermMonths: r.lease_term_months,
    termAmount: new Decimal(r.term_amount ?? r.amount),
  }));
}
