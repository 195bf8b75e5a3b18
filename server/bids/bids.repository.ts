import { sql } from 'kysely';
import type { Executor, Trx } from '../db/db';
import { Decimal } from '../http/money';
import type { OpenedBid, Registration, RegistrationStatus } from './bids';

// All the SQL of registrations and sealed bids. Listings are read, locked, timed and moved through
// server/listings/life.ts (loadListing, listingClock, transitionListing).

// ---- registrations

type RegistrationRow = {
  id: string;
  listing_id: string;
  bidder_id: string;
  status: RegistrationStatus;
  created_at: Date;
  confirmed_at: Date | null;
  refunded_at: Date | null;
  bidder_name?: string | null;
};

function toRegistration(r: RegistrationRow): Registration {
  return {
    id: r.id,
    listingId: r.listing_id,
    bidderId: r.bidder_id,
    bidderName: r.bidder_name ?? null,
    status: r.status,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
    refundedAt: r.refunded_at,
  };
}

const registrationColumns = [
  'registrations.id',
  'registrations.listing_id',
  'registrations.bidder_id',
  'registrations.status',
  'registrations.created_at',
  'registrations.confirmed_at',
  'registrations.refunded_at',
] as const;
const registrationReturning = [
  'id',
  'listing_id',
  'bidder_id',
  'status',
  'created_at',
  'confirmed_at',
  'refunded_at',
] as const;

export async function findRegistration(
  db: Executor,
  listingId: string,
  bidderId: string,
): Promise<Registration | undefined> {
  const row = await db
    .selectFrom('registrations')
    .select(registrationColumns)
    .where('listing_id', '=', listingId)
    .where('bidder_id', '=', bidderId)
    .executeTakeFirst();
  return row ? toRegistration(row) : undefined;
}

/** The bidder's registrations for these listings, by listing id. */
export async function findRegistrationsOf(
  db: Executor,
  bidderId: string,
  listingIds: string[],
): Promise<Map<string, Registration>> {
  if (listingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('registrations')
    .select(registrationColumns)
    .where('bidder_id', '=', bidderId)
    .where('listing_id', 'in', listingIds)
    .execute();
  return new Map(rows.map((r) => [r.listing_id, toRegistration(r)]));
}

export async function findRegistrationById(
  db: Executor,
  listingId: string,
  id: string,
): Promise<Registration | undefined> {
  const row = await db
    .selectFrom('registrations')
    .select(registrationColumns)
    .where('listing_id', '=', listingId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? toRegistration(row) : undefined;
}

/** Inserts once; undefined when the bidder is already registered (the unique key decides). */
export async function insertRegistration(
  trx: Trx,
  listingId: string,
  bidderId: string,
): Promise<Registration | undefined> {
  const row = await trx
    .insertInto('registrations')
    .values({ listing_id: listingId, bidder_id: bidderId })
    .onConflict((oc) => oc.constraint('registrations_listing_bidder_key').doNothing())
    .returning(registrationReturning)
    .executeTakeFirst();
  return row ? toRegistration(row) : undefined;
}

export async function confirmRegistration(trx: Trx, id: string, staffId: string): Promise<Registration> {
  const row = await trx
    .updateTable('registrations')
    .set({ status: 'confirmed', confirmed_at: sql`now()` as never, confirmed_by: staffId })
    .where('id', '=', id)
    .returning(registrationReturning)
    .executeTakeFirstOrThrow();
  return toRegistration(row);
}

/** The listing's registrations, oldest first (the bidders' names come from accounts/: bids.ts withRegistrantNames). */
export async function listRegistrations(db: Executor, listingId: string): Promise<Registration[]> {
  const rows = await db
    .selectFrom('registrations')
    .select(registrationColumns)
    .where('registrations.listing_id', '=', listingId)
    .orderBy('registrations.created_at')
    .execute();
  return rows.map(toRegistration);
}

/** After the award every deposit but the winner's is to be returned: pending and confirmed become refundable. */
export async function markRefundableExcept(trx: Trx, listingId: string, winnerId: string): Promise<number> {
  const rows = await trx
    .updateTable('registrations')
    .set({ status: 'refundable' })
    .where('listing_id', '=', listingId)
    .where('bidder_id', '<>', winnerId)
    .where('status', 'in', ['pending', 'confirmed'])
    .returning('id')
    .execute();
  return rows.length;
}

export async function lockRegistration(trx: Trx, listingId: string, id: string): Promise<Registration | undefined> {
  const row = await trx
    .selectFrom('registrations')
    .select(registrationColumns)
    .where('id', '=', id)
    .where('listing_id', '=', listingId)
    .forUpdate()
    .executeTakeFirst();
  return row ? toRegistration(row) : undefined;
}

export async function markRefunded(trx: Trx, id: string, by: string, at: Date): Promise<void> {
  await trx
    .updateTable('registrations')
    .set({ status: 'refunded', refunded_at: at, refunded_by: by })
    .where('id', '=', id)
    .execute();
}

// ---- bids

export interface NewBid {
  listingId: string;
  bidderId: string;
  amountSealed: Buffer;
  nonce: string;
  receipt: string;
  submittedAt: Date;
}

/** The old live bid becomes 'superseded' (kept), then the new one is the live one. */
export async function replaceLiveBid(trx: Trx, b: NewBid): Promise<{ id: string }> {
  await trx
    .updateTable('bids')
    .set({ status: 'superseded' })
    .where('listing_id', '=', b.listingId)
    .where('bidder_id', '=', b.bidderId)
    .where('status', '=', 'live')
    .execute();
  return trx
    .insertInto('bids')
    .values({
      listing_id: b.listingId,
      bidder_id: b.bidderId,
      amount_sealed: b.amountSealed,
      nonce: b.nonce,
      receipt: b.receipt,
      submitted_at: b.submittedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export interface StoredBid {
  id: string;
  listingId: string;
  bidderId: string;
  amountSealed: Buffer;
  amount: Decimal | null;
  nonce: string;
  receipt: string;
  submittedAt: Date;
  /** filled at opening */
  rank: number | null;
  valid: boolean | null;
}

const bidColumns = [
  'bids.id',
  'bids.listing_id',
  'bids.bidder_id',
  'bids.amount_sealed',
  'bids.amount',
  'bids.nonce',
  'bids.receipt',
  'bids.submitted_at',
  'bids.rank',
  'bids.valid',
] as const;
type BidRow = {
  id: string;
  listing_id: string;
  bidder_id: string;
  amount_sealed: Buffer;
  amount: string | null;
  nonce: string;
  receipt: string;
  submitted_at: Date;
  rank: number | null;
  valid: boolean | null;
};
function toStoredBid(r: BidRow): StoredBid {
  return {
    id: r.id,
    listingId: r.listing_id,
    bidderId: r.bidder_id,
    amountSealed: r.amount_sealed,
    amount: r.amount === null ? null : new Decimal(r.amount),
    nonce: r.nonce,
    receipt: r.receipt,
    submittedAt: r.submitted_at,
    rank: r.rank,
    valid: r.valid,
  };
}

export async function findLiveBid(db: Executor, listingId: string, bidderId: string): Promise<StoredBid | undefined> {
  const row = await db
    .selectFrom('bids')
    .select(bidColumns)
    .where('listing_id', '=', listingId)
    .where('bidder_id', '=', bidderId)
    .where('status', '=', 'live')
    .executeTakeFirst();
  return row ? toStoredBid(row) : undefined;
}

/** The bidder's live bids on these listings, by listing id. */
export async function findLiveBidsOf(
  db: Executor,
  bidderId: string,
  listingIds: string[],
): Promise<Map<string, StoredBid>> {
  if (listingIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('bids')
    .select(bidColumns)
    .where('listing_id', 'in', listingIds)
    .where('bidder_id', '=', bidderId)
    .where('status', '=', 'live')
    .execute();
  return new Map(rows.map((r) => [r.listing_id, toStoredBid(r)]));
}

/** Number of bids withdrawn: 0 when there was no live bid. */
export async function withdrawLiveBid(trx: Trx, listingId: string, bidderId: string): Promise<number> {
  const r = await trx
    .updateTable('bids')
    .set({ status: 'withdrawn' })
    .where('listing_id', '=', listingId)
    .where('bidder_id', '=', bidderId)
    .where('status', '=', 'live')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The live bids to open, with whether the deposit was confirmed. */
export async function listLiveBidsToOpen(
  trx: Trx,
  listingId: string,
): Promise<(StoredBid & { registrationStatus: RegistrationStatus | null })[]> {
  const rows = await trx
    .selectFrom('bids')
    .leftJoin('registrations', (j) =>
      j
        .onRef('registrations.listing_id', '=', 'bids.listing_id')
        .onRef('registrations.bidder_id', '=', 'bids.bidder_id'),
    )
    .select([...bidColumns, 'registrations.status as registration_status'])
    .where('bids.listing_id', '=', listingId)
    .where('bids.status', '=', 'live')
    .orderBy('bids.submitted_at')
    .execute();
  return rows.map((r) => ({
    ...toStoredBid(r),
    registrationStatus: r.registration_status,
  }));
}

/** Every bid's result in one statement (500 bids were 500 round trips inside the opening's lock). */
export async function recordOpenedBids(
  trx: Trx,
  results: { id: string; amount: Decimal | null; valid: boolean; invalidReason: string | null; rank: number | null }[],
): Promise<void> {
  if (results.length === 0) return;
  const rows = results.map(
    (v) =>
      sql`(${v.id}::uuid, ${v.amount ? v.amount.toFixed(2) : null}::numeric, ${v.valid}::boolean, ${v.invalidReason}::text, ${v.rank}::integer)`,
  );
  await sql`
    UPDATE bids b SET amount = v.amount, valid = v.valid, invalid_reason = v.reason, rank = v.rank
    FROM (VALUES ${sql.join(rows)}) AS v(id, amount, valid, reason, rank)
    WHERE b.id = v.id`.execute(trx);
}

/** The opening record: live bids of an opened listing with their results (names: bids.ts withBidderNames). */
export async function listOpenedBids(db: Executor, listingId: string): Promise<Omit<OpenedBid, 'bidderName'>[]> {
  const rows = await db
    .selectFrom('bids')
    .select([...bidColumns, 'bids.invalid_reason'])
    .where('bids.listing_id', '=', listingId)
    .where('bids.status', '=', 'live')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    bidderId: r.bidder_id,
    amount: r.amount === null ? null : new Decimal(r.amount),
    submittedAt: r.submitted_at,
    receipt: r.receipt,
    nonce: r.nonce,
    rank: r.rank,
    valid: r.valid === true,
    invalidReason: r.invalid_reason,
  }));
}

/**
 * Everyone who registered for the listing or bid on it: with `bids: 'any'` a bid in any status counts (withdrawn
 * or replaced too), with `bids: 'live'` only a bid still live.
 */
export async function listRegisteredOrBid(
  db: Executor,
  listingId: string,
  bids: { bids: 'any' | 'live' },
): Promise<string[]> {
  let bidders = db.selectFrom('bids').select('bidder_id').where('listing_id', '=', listingId);
  if (bids.bids === 'live') bidders = bidders.where('status', '=', 'live');
  const rows = await db
    .selectFrom('registrations')
    .select('bidder_id')
    .where('listing_id', '=', listingId)
    .union(bidders)
    .execute();
  return rows.map((r) => r.bidder_id);
}

/** A bidder's own deals: every listing with a registration or a live bid of theirs. */
export async function listMyBidListingIds(db: Executor, bidderId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('registrations')
    .select('listing_id')
    .where('bidder_id', '=', bidderId)
    .union(db.selectFrom('bids').select('listing_id').where('bidder_id', '=', bidderId).where('status', '=', 'live'))
    .execute();
  return rows.map((r) => r.listing_id);
}

/**
 * An open auction's result as opened bids (server/auctions/ closes it): each bidder's best bid, already
 * public, so nothing is sealed (amount_sealed stays empty) and award, refunds, open data and statistics
 * read it like any opened bid.
 */
export async function insertOpenedAuctionBid(
  trx: Trx,
  b: {
    listingId: string;
    bidderId: string;
    amount: Decimal;
    submittedAt: Date;
    nonce: string;
    receipt: string;
    rank: number;
  },
): Promise<string> {
  const row = await trx
    .insertInto('bids')
    .values({
      listing_id: b.listingId,
      bidder_id: b.bidderId,
      amount_sealed: Buffer.alloc(0),
      amount: b.amount.toFixed(2),
      nonce: b.nonce,
      receipt: b.receipt,
      submitted_at: b.submittedAt,
      valid: true,
      rank: b.rank,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Only live bids count (a replaced or withdrawn bid is not a bidder). Shown only after opening. */
export async function countLiveBids(db: Executor, listingId: string): Promise<number> {
  const r = await db
    .selectFrom('bids')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('listing_id', '=', listingId)
    .where('status', '=', 'live')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
