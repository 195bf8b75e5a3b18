import { sql } from 'kysely';
import type { Executor, Trx } from '../db/db';
import { Decimal } from '../http/money';
import { aliasOf, AuctionBid } from './auctions';

// All the SQL of open auctions: the accepted bids, the 竞买号 and the end marker. This file reads no listings row:
// the listing (its window, its current end) is read, locked and written through server/listings/.

/** The channel every app instance listens on for accepted bids and ends (payload: AuctionSignal JSON). */
export const AUCTION_CHANNEL = 'tts_auction';

/** The last accepted bid (the current best), or undefined before the first. */
export async function findLastBid(
  db: Executor,
  listingId: string,
): Promise<{ seq: number; bidderId: string; amount: Decimal } | undefined> {
  const row = await db
    .selectFrom('auction_bids')
    .select(['seq', 'bidder_id', 'amount'])
    .where('listing_id', '=', listingId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: row.seq, bidderId: row.bidder_id, amount: new Decimal(row.amount) } : undefined;
}

export interface BidMoment {
  /** the database clock now (clock_timestamp(), not the transaction's start), cut to milliseconds */
  at: Date;
  /** the last accepted bid (the current best), or undefined before the first */
  last: { seq: number; bidderId: string; amount: Decimal } | undefined;
  /** the bidder's 竞买号: theirs if they have bid, else the next free one (numbered from 1 in order of first bid) */
  number: number;
}

/**
 * Everything a bid is decided on besides the locked listing, in one round trip under the listing lock (call it
 * right after locking the row): the database clock, the best bid so far and the bidder's number. The lock keeps
 * them true until commit, so it is held for as few round trips as possible while a burst queues. `at` is cut to
 * milliseconds (never later than the real moment) so the API's ISO time is exact.
 */
export async function readBidMoment(trx: Trx, listingId: string, bidderId: string): Promise<BidMoment> {
  const { rows } = await sql<{
    at: Date;
    seq: number | null;
    bidder_id: string | null;
    amount: string | null;
    number: number;
  }>`
    SELECT date_trunc('milliseconds', c.t) AS at, b.seq, b.bidder_id, b.amount,
      coalesce(
        (SELECT number FROM auction_bidders WHERE listing_id = ${listingId} AND bidder_id = ${bidderId}),
        (SELECT coalesce(max(number), 0) + 1 FROM auction_bidders WHERE listing_id = ${listingId})) AS number
    FROM (SELECT clock_timestamp() AS t) c
    LEFT JOIN LATERAL (
      SELECT seq, bidder_id, amount FROM auction_bids WHERE listing_id = ${listingId} ORDER BY seq DESC LIMIT 1) b
      ON true`.execute(trx);
  const r = rows[0];
  return {
    at: r.at,
    last: r.seq === null ? undefined : { seq: r.seq, bidderId: r.bidder_id!, amount: new Decimal(r.amount!) },
    number: r.number,
  };
}

/**
 * Writes an accepted bid in one statement: the bidder's number (the first time they bid), the bid, and the
 * NOTIFY that carries it to every instance at commit. Call under the listing lock, with readBidMoment's answers.
 */
export async function writeAuctionBid(
  trx: Trx,
  b: { listingId: string; seq: number; bidderId: string; number: number; amount: Decimal; at: Date; endsAt: Date },
  signal: unknown,
): Promise<string> {
  const { rows } = await sql<{ id: string }>`
    WITH bidder AS (
      INSERT INTO auction_bidders (listing_id, bidder_id, number) VALUES (${b.listingId}, ${b.bidderId}, ${b.number})
      ON CONFLICT ON CONSTRAINT auction_bidders_pkey DO NOTHING),
    bid AS (
      INSERT INTO auction_bids (listing_id, seq, bidder_id, amount, placed_at, ends_at)
      VALUES (${b.listingId}, ${b.seq}, ${b.bidderId}, ${b.amount.toFixed(2)}, ${b.at}, ${b.endsAt})
      RETURNING id)
    SELECT bid.id, pg_notify(${AUCTION_CHANNEL}, ${JSON.stringify(signal)}) FROM bid`.execute(trx);
  return rows[0].id;
}

type BidRow = {
  id: string;
  seq: number;
  bidder_id: string;
  number: number;
  amount: string;
  placed_at: Date;
  ends_at: Date;
};

function toAuctionBid(r: BidRow): AuctionBid {
  return {
    id: r.id,
    seq: r.seq,
    bidderId: r.bidder_id,
    alias: aliasOf(r.number),
    amount: new Decimal(r.amount),
    at: r.placed_at,
    endsAt: r.ends_at,
  };
}

/** Every accepted bid, newest first; `afterSeq` keeps only the later ones (an event stream resuming). */
export async function listAuctionBids(db: Executor, listingId: string, afterSeq = 0): Promise<AuctionBid[]> {
  const rows = await db
    .selectFrom('auction_bids')
    .innerJoin('auction_bidders', (j) =>
      j
        .onRef('auction_bidders.listing_id', '=', 'auction_bids.listing_id')
        .onRef('auction_bidders.bidder_id', '=', 'auction_bids.bidder_id'),
    )
    .select([
      'auction_bids.id',
      'auction_bids.seq',
      'auction_bids.bidder_id',
      'auction_bidders.number',
      'auction_bids.amount',
      'auction_bids.placed_at',
      'auction_bids.ends_at',
    ])
    .where('auction_bids.listing_id', '=', listingId)
    .where('auction_bids.seq', '>', afterSeq)
    .orderBy('auction_bids.seq', 'desc')
    .execute();
  return rows.map(toAuctionBid);
}

/** The bidder's own number in this auction, if they have bid. */
export async function findBidderNumber(db: Executor, listingId: string, bidderId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('auction_bidders')
    .select('number')
    .where('listing_id', '=', listingId)
    .where('bidder_id', '=', bidderId)
    .executeTakeFirst();
  return row?.number;
}

export async function findAuctionEnd(
  db: Executor,
  listingId: string,
): Promise<{ endedAt: Date; bidCount: number } | undefined> {
  const row = await db
    .selectFrom('auction_ends')
    .select(['ended_at', 'bid_count'])
    .where('listing_id', '=', listingId)
    .executeTakeFirst();
  return row ? { endedAt: row.ended_at, bidCount: row.bid_count } : undefined;
}

/** Marks the end once: true for the one caller that wrote it, false when it was already there. */
export async function markAuctionEnded(trx: Trx, listingId: string, at: Date, bidCount: number): Promise<boolean> {
  const row = await trx
    .insertInto('auction_ends')
    .values({ listing_id: listingId, ended_at: at, bid_count: bidCount })
    .onConflict((oc) => oc.column('listing_id').doNothing())
    .returning('listing_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Which of these auctions are marked over. */
export async function listEndedAmong(db: Executor, listingIds: string[]): Promise<Set<string>> {
  if (listingIds.length === 0) return new Set();
  const rows = await db.selectFrom('auction_ends').select('listing_id').where('listing_id', 'in', listingIds).execute();
  return new Set(rows.map((r) => r.listing_id));
}

/** Sent inside the writing transaction: PostgreSQL delivers it at commit, to every listening instance, in commit order. */
export async function signalAuction(trx: Trx, payload: unknown): Promise<void> {
  await sql`SELECT pg_notify(${AUCTION_CHANNEL}, ${JSON.stringify(payload)})`.execute(trx);
}

/** The last accepted bid (the current best) of each of these auctions that has one, with its bidder's number. */
export async function findLastBids(
  db: Executor,
  listingIds: string[],
): Promise<Map<string, { seq: number; amount: Decimal; number: number }>> {
  if (listingIds.length === 0) return new Map();
  const { rows } = await sql<{ listing_id: string; seq: number; amount: string; number: number }>`
    SELECT b.listing_id, b.seq, b.amount, ab.number
    FROM unnest(${listingIds}::uuid[]) AS x(id)
    JOIN LATERAL (
      SELECT listing_id, seq, amount, bidder_id FROM auction_bids WHERE listing_id = x.id ORDER BY seq DESC LIMIT 1) b
      ON true
    JOIN auction_bidders ab ON ab.listing_id = b.listing_id AND ab.bidder_id = b.bidder_id`.execute(db);
  return new Map(rows.map((r) => [r.listing_id, { seq: r.seq, amount: new Decimal(r.amount), number: r.number }]));
}
