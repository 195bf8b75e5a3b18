import { sql } from 'kysely';
import type { Executor, Trx } from '../db/db';
import { Decimal } from '../http/money';
import { aliasOf, AuctionBid } from './auctions';

// All the SQL of open auctions: the accepted bids, the 竞买号 and the end marker. The listings row
// itself is read and written through server/listings/.

/** The channel every app instance listens on for accepted bids and ends (payload: AuctionSignal JSON). */
export const AUCTION_CHANNEL = 'tts_auction';

/**
 * The database clock read now (clock_timestamp(), not the transaction's start) against the
 * auction's window: call it after locking the listing row so the answer holds until commit.
 * `at` is cut to milliseconds (never later than the real moment) so the API's ISO time is exact;
 * the comparisons use the real moment.
 */
export async function readAuctionClock(
  trx: Trx,
  listingId: string,
): Promise<{ at: Date; endsAt: Date; notOpen: boolean; closed: boolean }> {
  const { rows } = await sql<{ at: Date; ends_at: Date; not_open: boolean; closed: boolean }>`
    SELECT date_trunc('milliseconds', c.t) AS at, coalesce(l.ends_at, l.bid_deadline) AS ends_at,
      c.t < l.bid_opens_at AS not_open, c.t >= coalesce(l.ends_at, l.bid_deadline) AS closed
    FROM (SELECT clock_timestamp() AS t) c CROSS JOIN listings l WHERE l.id = ${listingId}`.execute(trx);
  const r = rows[0];
  return { at: r.at, endsAt: r.ends_at, notOpen: r.not_open, closed: r.closed };
}

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
  /** the database clock now, cut to milliseconds (as readAuctionClock) */
  at: Date;
  endsAt: Date;
  notOpen: boolean;
  closed: boolean;
  /** the last accepted bid (the current best), or undefined before the first */
  last: { seq: number; bidderId: string; amount: Decimal } | undefined;
  /** the bidder's 竞买号: theirs if they have bid, else the next free one (numbered from 1 in order of first bid) */
  number: number;
}

/**
 * Everything a bid is decided on, in one round trip under the listing lock (call it right after locking the
 * row): the database clock against the window, the best bid so far and the bidder's number. The lock keeps
 * all three true until commit, so the lock is held for as few round trips as possible while a burst queues.
 */
export async function readBidMoment(trx: Trx, listingId: string, bidderId: string): Promise<BidMoment> {
  const { rows } = await sql<{
    at: Date;
    ends_at: Date;
    not_open: boolean;
    closed: boolean;
    seq: number | null;
    bidder_id: string | null;
    amount: string | null;
    number: number;
  }>`
    SELECT date_trunc('milliseconds', c.t) AS at, coalesce(l.ends_at, l.bid_deadline) AS ends_at,
      c.t < l.bid_opens_at AS not_open, c.t >= coalesce(l.ends_at, l.bid_deadline) AS closed,
      b.seq, b.bidder_id, b.amount,
      coalesce(
        (SELECT number FROM auction_bidders WHERE listing_id = l.id AND bidder_id = ${bidderId}),
        (SELECT coalesce(max(number), 0) + 1 FROM auction_bidders WHERE listing_id = l.id)) AS number
    FROM (SELECT clock_timestamp() AS t) c CROSS JOIN listings l
    LEFT JOIN LATERAL (
      SELECT seq, bidder_id, amount FROM auction_bids WHERE listing_id = l.id ORDER BY seq DESC LIMIT 1) b ON true
    WHERE l.id = ${listingId}`.execute(trx);
  const r = rows[0];
  return {
    at: r.at,
    endsAt: r.ends_at,
    notOpen: r.not_open,
    closed: r.closed,
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

/** Published auctions not yet marked over, with their current end: what each instance's clock watches. */
export async function listRunningAuctions(db: Executor): Promise<{ listingId: string; endsAt: Date }[]> {
  const { rows } = await sql<{ id: string; ends_at: Date }>`
    SELECT l.id, coalesce(l.ends_at, l.bid_deadline) AS ends_at FROM listings l
    WHERE l.method = 'auction' AND l.state = 'published'
      AND NOT EXISTS (SELECT 1 FROM auction_ends e WHERE e.listing_id = l.id)`.execute(db);
  return rows.map((r) => ({ listingId: r.id, endsAt: r.ends_at }));
}

/** Sent inside the writing transaction: PostgreSQL delivers it at commit, to every listening instance, in commit order. */
export async function signalAuction(trx: Trx, payload: unknown): Promise<void> {
  await sql`SELECT pg_notify(${AUCTION_CHANNEL}, ${JSON.stringify(payload)})`.execute(trx);
}

export interface LiveAuctionRow {
  listingId: string;
  code: string;
  title: string;
  kind: 'procurement' | 'lease';
  basePrice: Decimal;
  increment: Decimal;
  endsAt: Date;
  lastSeq: number;
  best: Decimal | null;
  bestNumber: number | null;
}

/** Auctions taking bids now in these townships, soonest end first, with their best bid: for the hall's screens. */
export async function listLiveAuctions(db: Executor, townshipIds: string[], limit: number): Promise<LiveAuctionRow[]> {
  if (townshipIds.length === 0) return [];
  const { rows } = await sql<{
    id: string;
    code: string;
    title: string;
    kind: 'procurement' | 'lease';
    base_price: string;
    increment: string;
    ends_at: Date;
    seq: number | null;
    amount: string | null;
    number: number | null;
  }>`
    SELECT l.id, l.code, l.title, l.kind, l.base_price, l.increment, coalesce(l.ends_at, l.bid_deadline) AS ends_at,
      b.seq, b.amount, ab.number
    FROM listings l
    LEFT JOIN LATERAL (
      SELECT seq, amount, bidder_id FROM auction_bids WHERE listing_id = l.id ORDER BY seq DESC LIMIT 1) b ON true
    LEFT JOIN auction_bidders ab ON ab.listing_id = l.id AND ab.bidder_id = b.bidder_id
    WHERE l.method = 'auction' AND l.state = 'published' AND l.township_id = ANY(${townshipIds}::uuid[])
      AND l.bid_opens_at <= now() AND now() < coalesce(l.ends_at, l.bid_deadline)
    ORDER BY 7 LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({
    listingId: r.id,
    code: r.code,
    title: r.title,
    kind: r.kind,
    basePrice: new Decimal(r.base_price),
    increment: new Decimal(r.increment),
    endsAt: r.ends_at,
    lastSeq: r.seq ?? 0,
    best: r.amount === null ? null : new Decimal(r.amount),
    bestNumber: r.number,
  }));
}
