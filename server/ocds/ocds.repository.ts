import type { Executor } from '../db/db';
import { Decimal } from '../http/money';
import { rowToListing } from '../listings/listings.mapper';
import type { OcdsAward, OcdsBidder, OcdsContract } from './ocds';
import { revealedSql } from '../listings/status';

/** Published (never draft) listings in scope, with the times their end states were reached. */
export async function findPublishedListings(db: Executor, townshipIds: string[] | null) {
  if (townshipIds && townshipIds.length === 0) return [];
  let q = db.selectFrom('listings').selectAll().where('published_at', 'is not', null).where('state', '<>', 'draft');
  if (townshipIds) q = q.where('township_id', 'in', townshipIds);
  const rows = await q.orderBy('published_at').execute();
  return rows.map((r) => ({ listing: rowToListing(r), failedAt: r.failed_at, cancelledAt: r.cancelled_at }));
}

/**
 * Live bidders per listing, only for listings whose bids were opened: the query itself refuses
 * sealed listings, so no caller can leak who bid before opening.
 */
export async function findOpenedBidders(db: Executor, listingIds: string[]): Promise<Map<string, OcdsBidder[]>> {
  const out = new Map<string, OcdsBidder[]>();
  if (listingIds.length === 0) return out;
  const rows = await db
    .selectFrom('bids as b')
    .innerJoin('listings as l', 'l.id', 'b.listing_id')
    .innerJoin('users as u', 'u.id', 'b.bidder_id')
    .select(['b.listing_id', 'b.bidder_id', 'u.name', 'u.username'])
    .where('b.listing_id', 'in', listingIds)
    .where('b.status', '=', 'live')
    .where('l.opened_at', 'is not', null)
    .where(revealedSql('l'))
    .orderBy('b.submitted_at')
    .execute();
  for (const r of rows) {
    const list = out.get(r.listing_id) ?? [];
    list.push({ id: r.bidder_id, name: r.name ?? r.username });
    out.set(r.listing_id, list);
  }
  return out;
}

export async function findAwards(db: Executor, listingIds: string[]): Promise<Map<string, OcdsAward>> {
  if (listingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('awards as a')
    .innerJoin('users as u', 'u.id', 'a.bidder_id')
    .select([
      'a.id',
      'a.listing_id',
      'a.bidder_id',
      'u.name',
      'u.username',
      'a.amount',
      'a.term_amount',
      'a.awarded_at',
      'a.publicity_ends_at',
    ])
    .where('a.listing_id', 'in', listingIds)
    .execute();
  return new Map(
    rows.map((r) => [
      r.listing_id,
      {
        id: r.id,
        bidderId: r.bidder_id,
        bidderName: r.name ?? r.username,
        // the award's value over the whole term (a yearly-priced lease's amount × months ÷ 12)
        amount: new Decimal(r.term_amount ?? r.amount),
        awardedAt: r.awarded_at,
        publicityEndsAt: r.publicity_ends_at,
      },
    ]),
  );
}

export async function findContracts(db: Executor, listingIds: string[]): Promise<Map<string, OcdsContract>> {
  if (listingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('contracts')
    .select(['id', 'listing_id', 'signed_at', 'amount', 'recorded_at'])
    .where('listing_id', 'in', listingIds)
    .execute();
  return new Map(
    rows.map((r) => [
      r.listing_id,
      { id: r.id, signedAt: r.signed_at, amount: new Decimal(r.amount), recordedAt: r.recorded_at },
    ]),
  );
}
