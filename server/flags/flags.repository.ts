import type { Executor } from '../db/db';
import { Decimal } from '../http/money';
import type { FlagBid, FlagDeal, TownshipWin } from './flags';
import { revealedSql } from '../listings/status';

/**
 * The facts the flags need, for deals past opening only (the state filter is the seal: bids of a
 * listing still published are never read here).
 */
export async function loadRevealedDeals(
  db: Executor,
  opts: { townshipId?: string; listingIds?: string[] },
): Promise<FlagDeal[]> {
  let q = db
    .selectFrom('listings as l')
    .innerJoin('township_rules as r', 'r.township_id', 'l.township_id')
    .leftJoin('listings as p', 'p.id', 'l.relisted_from')
    .leftJoin('awards as a', 'a.listing_id', 'l.id')
    .select([
      'l.id',
      'l.township_id',
      'l.kind',
      'l.state',
      'l.opened_at',
      'l.base_price',
      'l.bid_opens_at',
      'l.bid_deadline',
      'r.procurement_max',
      'r.lease_max',
      'p.base_price as previous_base_price',
      'a.bid_id as award_bid_id',
      'a.bidder_id as award_bidder_id',
      'a.amount as award_amount',
      'a.awarded_at',
    ])
    .where(revealedSql('l'));
  if (opts.townshipId) q = q.where('l.township_id', '=', opts.townshipId);
  if (opts.listingIds) {
    if (opts.listingIds.length === 0) return [];
    q = q.where('l.id', 'in', opts.listingIds);
  }
  const rows = await q.execute();
  if (rows.length === 0) return [];
  const bids = await db
    .selectFrom('bids as b')
    .innerJoin('users as u', 'u.id', 'b.bidder_id')
    .select([
      'b.id',
      'b.listing_id',
      'b.bidder_id',
      'u.name',
      'u.username',
      'b.amount',
      'b.valid',
      'b.rank',
      'u.phone',
      'u.id_number',
    ])
    .where('b.status', '=', 'live')
    .where(
      'b.listing_id',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  const bidsOf = new Map<string, FlagBid[]>();
  for (const b of bids) {
    const list = bidsOf.get(b.listing_id) ?? [];
    list.push({
      bidId: b.id,
      bidderId: b.bidder_id,
      bidderName: b.name ?? b.username,
      amount: b.amount === null ? null : new Decimal(b.amount),
      valid: b.valid,
      rank: b.rank,
      phone: b.phone,
      idNumber: b.id_number,
    });
    bidsOf.set(b.listing_id, list);
  }
  return rows.map((r) => ({
    listingId: r.id,
    townshipId: r.township_id,
    kind: r.kind,
    state: r.state,
    openedAt: r.opened_at,
    basePrice: new Decimal(r.base_price),
    bidOpensAt: r.bid_opens_at,
    bidDeadline: r.bid_deadline,
    townshipMax: new Decimal(r.kind === 'procurement' ? r.procurement_max : r.lease_max),
    bids: bidsOf.get(r.id) ?? [],
    award:
      r.award_bid_id && r.award_bidder_id && r.award_amount && r.awarded_at
        ? {
            bidId: r.award_bid_id,
            bidderId: r.award_bidder_id,
            amount: new Decimal(r.award_amount),
            awardedAt: r.awarded_at,
          }
        : null,
    previous: r.previous_base_price ? { basePrice: new Decimal(r.previous_base_price) } : null,
  }));
}

/** Every award in the given townships, for the repeat-winner pattern. */
export async function loadWins(db: Executor, townshipIds: string[]): Promise<TownshipWin[]> {
  if (townshipIds.length === 0) return [];
  const rows = await db
    .selectFrom('awards as a')
    .innerJoin('listings as l', 'l.id', 'a.listing_id')
    .select(['a.listing_id', 'l.township_id', 'a.bidder_id', 'a.awarded_at'])
    .where('l.township_id', 'in', townshipIds)
    .execute();
  return rows.map((r) => ({
    listingId: r.listing_id,
    townshipId: r.township_id,
    bidderId: r.bidder_id,
    awardedAt: r.awarded_at,
  }));
}
