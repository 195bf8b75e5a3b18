import type { Executor } from '../db/db';
import { Decimal } from '../http/money';
import type { Listing } from '../listings/listings';
import { rowToListing } from '../listings/listings.mapper';
import type { BoardResult } from './board';
import { sql } from 'kysely';
import { BEFORE_DEADLINE, DEAL_STATES, statusIs } from '../listings/status';

/** Published listings whose deadline has not passed: the candidates for the board's announcements. */
export async function findLiveListings(db: Executor, townshipIds: string[] | null, now: Date): Promise<Listing[]> {
  if (townshipIds && townshipIds.length === 0) return [];
  let q = db
    .selectFrom('listings')
    .selectAll()
    .where(statusIs(BEFORE_DEADLINE, 'listings', sql.val(now)));
  if (townshipIds) q = q.where('township_id', 'in', townshipIds);
  return (await q.orderBy('bid_deadline').execute()).map(rowToListing);
}

/** The current end of each live auction (限时竞价 moves it), by listing id. */
export async function findLiveAuctionEnds(db: Executor, townshipIds: string[] | null): Promise<Map<string, Date>> {
  if (townshipIds && townshipIds.length === 0) return new Map();
  let q = db
    .selectFrom('listings')
    .select(['id', sql<Date>`coalesce(ends_at, bid_deadline)`.as('ends_at')])
    .where('method', '=', 'auction')
    .where('state', '=', 'published');
  if (townshipIds) q = q.where('township_id', 'in', townshipIds);
  return new Map((await q.execute()).map((r) => [r.id, r.ends_at]));
}

/** Awards joined with their listing and the winner's name, newest first. */
export async function findResults(db: Executor, townshipIds: string[] | null, limit = 200): Promise<BoardResult[]> {
  if (townshipIds && townshipIds.length === 0) return [];
  let q = db
    .selectFrom('awards as a')
    .innerJoin('listings as l', 'l.id', 'a.listing_id')
    .innerJoin('users as u', 'u.id', 'a.bidder_id')
    .select([
      'a.listing_id',
      'a.bid_id',
      'a.bidder_id',
      'u.name as bidder_name',
      'u.username as bidder_username',
      'a.kind',
      'a.base_price',
      'a.amount',
      'a.savings',
      'a.savings_rate',
      'a.term_amount',
      'a.awarded_at',
      'a.publicity_ends_at',
      'l.title',
      'l.code',
      'l.township_id',
      'l.category',
      'l.state',
    ])
    .where('l.state', 'in', DEAL_STATES);
  if (townshipIds) q = q.where('l.township_id', 'in', townshipIds);
  const rows = await q.orderBy('a.awarded_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({
    listingId: r.listing_id,
    bidId: r.bid_id,
    bidderId: r.bidder_id,
    bidderName: r.bidder_name ?? r.bidder_username,
    kind: r.kind,
    basePrice: new Decimal(r.base_price),
    amount: new Decimal(r.amount),
    savings: new Decimal(r.savings),
    savingsRate: new Decimal(r.savings_rate),
    termAmount: r.term_amount === null ? null : new Decimal(r.term_amount),
    awardedAt: r.awarded_at,
    publicityEndsAt: r.publicity_ends_at,
    title: r.title,
    code: r.code,
    townshipId: r.township_id,
    category: r.category,
    listingState: r.state,
  }));
}

/** Deals that ended without an award, for the board's "past deals" (failed 流标, cancelled 终止). */
export async function findClosedWithoutAward(
  db: Executor,
  townshipIds: string[] | null,
  limit = 20,
): Promise<Listing[]> {
  if (townshipIds && townshipIds.length === 0) return [];
  let q = db
    .selectFrom('listings')
    .selectAll()
    .where('state', 'in', ['failed', 'cancelled'])
    .where('published_at', 'is not', null);
  if (townshipIds) q = q.where('township_id', 'in', townshipIds);
  return (await q.orderBy('updated_at', 'desc').limit(limit).execute()).map(rowToListing);
}
