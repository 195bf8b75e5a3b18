import { sql } from 'kysely';
import type { Executor, Trx } from '../db/db';
import type { ListingState } from '../db/database';
import type { DealKind } from '../townships/townships';
import type { Listing } from './listings';
import { rowToListing } from './listings.mapper';
import { CLOCK, ListingStatus, statusIs, statusSql } from './status';
import type { ListingTerms } from './terms';

// The only SQL that reads or writes a listings row. Other concepts go through life.ts (loadListing,
// transitionListing), never through these functions.

export async function findListing(db: Executor, id: string): Promise<Listing | undefined> {
  const row = await db.selectFrom('listings').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToListing(row) : undefined;
}

export async function findListings(db: Executor, ids: string[]): Promise<Listing[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('listings').selectAll().where('id', 'in', ids).execute();
  return rows.map(rowToListing);
}

/** Locks the listing row until the transaction ends: every decision on a listing starts here. */
export async function lockListingForUpdate(trx: Trx, id: string): Promise<Listing | undefined> {
  const row = await trx.selectFrom('listings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? rowToListing(row) : undefined;
}

/** The status by the database clock at this instant (clock_timestamp(), not the transaction's start). */
export async function readStatusByDatabaseClock(trx: Trx, id: string): Promise<ListingStatus> {
  const row = await trx
    .selectFrom('listings')
    .select(statusSql('listings', CLOCK).as('status'))
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return row.status;
}

/**
 * The next number of the township's year (Asia/Shanghai), gap-free: the counter row is locked by the
 * upsert until the creating transaction ends, and rolls back with it when the create fails.
 */
export async function takeNextListingNumber(trx: Trx, townshipId: string): Promise<{ year: number; number: number }> {
  const { rows } = await sql<{ year: number; last_number: number }>`
    INSERT INTO listing_code_counters (township_id, year, last_number)
    VALUES (${townshipId}, extract(year FROM now() AT TIME ZONE 'Asia/Shanghai')::int, 1)
    ON CONFLICT (township_id, year) DO UPDATE SET last_number = listing_code_counters.last_number + 1
    RETURNING year, last_number`.execute(trx);
  return { year: rows[0].year, number: rows[0].last_number };
}

function termsToColumns(t: ListingTerms) {
  return {
    kind: t.kind,
    category: t.category,
    title: t.title,
    description: t.description,
    location: t.location,
    quantity: t.quantity,
    base_price: t.basePrice.toFixed(2),
    deposit_amount: t.depositAmount.toFixed(2),
    lease_term_months: t.kind === 'lease' ? t.leaseTermMonths : null,
    price_basis: t.kind === 'lease' ? t.priceBasis : 'term',
    area: t.kind === 'lease' && t.area ? t.area.toFixed(2) : null,
    area_unit: t.kind === 'lease' && t.area ? t.areaUnit : null,
    bid_opens_at: t.bidOpensAt,
    bid_deadline: t.bidDeadline,
    method: t.method,
    increment: t.method === 'auction' && t.increment ? t.increment.toFixed(2) : null,
    extension_seconds: t.method === 'auction' ? t.extensionSeconds : null,
  };
}

export async function insertListing(
  trx: Trx,
  v: { code: string; townshipId: string; createdBy: string; relistedFrom?: string | null; terms: ListingTerms },
): Promise<Listing> {
  const row = await trx
    .insertInto('listings')
    .values({
      code: v.code,
      township_id: v.townshipId,
      created_by: v.createdBy,
      relisted_from: v.relistedFrom ?? null,
      state: 'draft',
      ...termsToColumns(v.terms),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToListing(row);
}

export async function updateListingTerms(trx: Trx, id: string, terms: ListingTerms): Promise<Listing> {
  const row = await trx
    .updateTable('listings')
    .set({ ...termsToColumns(terms), updated_at: sql`now()` as never })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToListing(row);
}

export type StateStamp = 'published_at' | 'opened_at' | 'failed_at' | 'concluded_at' | 'cancelled_at';

/** Writes the stored state; updated_at and each stamp named get the database clock at this instant. */
export async function writeListingState(
  trx: Trx,
  id: string,
  state: ListingState,
  stamps: readonly StateStamp[],
  cancelReason?: string,
): Promise<Listing> {
  const row = await trx
    .updateTable('listings')
    .set({
      state,
      updated_at: CLOCK as never,
      ...Object.fromEntries(stamps.map((s) => [s, CLOCK])),
      ...(cancelReason !== undefined ? { cancel_reason: cancelReason } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return rowToListing(row);
}

/** Published sealed listings, by id (what bids/ looks for a bidder's waiting offers in). */
export async function findPublishedSealedIds(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('listings')
    .select('id')
    .where('method', '=', 'sealed')
    .where('state', '=', 'published')
    .execute();
  return rows.map((r) => r.id);
}

export interface ListingSearch {
  townshipId?: string;
  status?: ListingStatus;
  kind?: DealKind;
  category?: string;
  q?: string;
  page: number;
  pageSize: number;
  /** drafts are visible only to staff of their own township */
  draftsOfTownship: string | null;
}

export async function searchListings(db: Executor, s: ListingSearch): Promise<{ items: Listing[]; total: number }> {
  let q = db.selectFrom('listings');
  q = s.draftsOfTownship
    ? q.where((eb) => eb.or([eb('state', '<>', 'draft'), eb('township_id', '=', s.draftsOfTownship!)]))
    : q.where('state', '<>', 'draft');
  if (s.townshipId) q = q.where('township_id', '=', s.townshipId);
  if (s.kind) q = q.where('kind', '=', s.kind);
  if (s.category) q = q.where('category', '=', s.category);
  if (s.status) q = q.where(statusIs([s.status]));
  if (s.q) {
    const like = `%${s.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('title', 'ilike', like), eb('code', 'ilike', like), eb('location', 'ilike', like)]));
  }
  const [rows, count] = await Promise.all([
    q
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('code', 'desc')
      .limit(s.pageSize)
      .offset((s.page - 1) * s.pageSize)
      .execute(),
    q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(rowToListing), total: Number(count.n) };
}

/** An auction bid inside the 限时竞价 window moves the current end (server/auctions/ decides when). */
export async function setAuctionEnd(trx: Trx, id: string, endsAt: Date): Promise<void> {
  await trx
    .updateTable('listings')
    .set({ ends_at: endsAt, updated_at: sql`clock_timestamp()` as never })
    .where('id', '=', id)
    .where('method', '=', 'auction')
    .execute();
}

/**
 * The database clock at this instant (clock_timestamp(), cut to milliseconds: never later than the real moment, so
 * the API's ISO time is exact) and the listing's status by that same instant.
 */
export async function readClockAndStatus(trx: Executor, id: string): Promise<{ at: Date; status: ListingStatus }> {
  const { rows } = await sql<{ at: Date; status: ListingStatus }>`
    SELECT date_trunc('milliseconds', c.t) AS at, ${statusSql('l', sql<Date>`c.t`)} AS status
    FROM (SELECT clock_timestamp() AS t) c CROSS JOIN listings l WHERE l.id = ${id}`.execute(trx);
  return rows[0];
}

const auctions = (db: Executor) => db.selectFrom('listings').selectAll().where('method', '=', 'auction');

/** Published auctions (before, during and after their window, until closed or cancelled). */
export async function findPublishedAuctions(db: Executor): Promise<Listing[]> {
  return (await auctions(db).where('state', '=', 'published').execute()).map(rowToListing);
}

/** Auctions taking bids now (statement clock) in these townships, the soonest end first. */
export async function findOpenAuctions(db: Executor, townshipIds: string[], limit: number): Promise<Listing[]> {
  if (townshipIds.length === 0) return [];
  const rows = await auctions(db)
    .where(statusIs(['open']))
    .where('township_id', 'in', townshipIds)
    .orderBy(sql`coalesce(ends_at, bid_deadline)`)
    .limit(limit)
    .execute();
  return rows.map(rowToListing);
}
