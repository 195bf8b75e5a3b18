import { sql } from 'kysely';
import type { Executor, Trx } from '../db/db';
import type { RegistrationStatus } from '../db/database';
import { Decimal } from '../http/money';
import type { Award, RankedBid } from './awards';

/** The database clock at this instant (not the transaction's start): deadlines are judged by it. */
export async function databaseNow(db: Executor): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(db);
  return rows[0].now;
}

export async function findPublicityDays(db: Executor, townshipId: string): Promise<number> {
  const row = await db
    .selectFrom('township_rules')
    .select('publicity_days')
    .where('township_id', '=', townshipId)
    .executeTakeFirst();
  return row?.publicity_days ?? 3;
}

/** The listing's live (opened) bids in rank order, with the bidder's name for the award page. */
export async function listRankedBids(
  db: Executor,
  listingId: string,
): Promise<(RankedBid & { bidderName: string; submittedAt: Date })[]> {
  const rows = await db
    .selectFrom('bids')
    .innerJoin('users', 'users.id', 'bids.bidder_id')
    .select([
      'bids.id',
      'bids.bidder_id',
      'bids.amount',
      'bids.valid',
      'bids.rank',
      'bids.submitted_at',
      'users.name',
      'users.username',
    ])
    .where('bids.listing_id', '=', listingId)
    .where('bids.status', '=', 'live')
    .orderBy(sql`bids.rank NULLS LAST`)
    .orderBy('bids.submitted_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    bidderId: r.bidder_id,
    amount: r.amount === null ? null : new Decimal(r.amount),
    valid: r.valid,
    rank: r.rank,
    bidderName: r.name ?? r.username,
    submittedAt: r.submitted_at,
  }));
}

export async function countLiveBids(db: Executor, listingId: string): Promise<number> {
  const r = await db
    .selectFrom('bids')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('listing_id', '=', listingId)
    .where('status', '=', 'live')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function hasLiveBid(db: Executor, listingId: string, bidderId: string): Promise<boolean> {
  const r = await db
    .selectFrom('bids')
    .select('id')
    .where('listing_id', '=', listingId)
    .where('bidder_id', '=', bidderId)
    .where('status', '=', 'live')
    .executeTakeFirst();
  return r !== undefined;
}

export interface NewAward {
  listingId: string;
  bidId: string;
  bidderId: string;
  kind: Award['kind'];
  basePrice: Decimal;
  amount: Decimal;
  savings: Decimal;
  savingsRate: Decimal;
  /** whole-term figures of a yearly-priced lease; null otherwise */
  term: { basePrice: Decimal; amount: Decimal } | null;
  reason: string | null;
  awardedBy: string | null;
  awardedAt: Date;
  publicityEndsAt: Date;
}

/** Fails with 23505 on awards_listing_key when the listing already has its award. */
export async function insertAward(trx: Executor, a: NewAward): Promise<string> {
  const row = await trx
    .insertInto('awards')
    .values({
      listing_id: a.listingId,
      bid_id: a.bidId,
      bidder_id: a.bidderId,
      kind: a.kind,
      base_price: a.basePrice.toFixed(2),
      amount: a.amount.toFixed(2),
      savings: a.savings.toFixed(2),
      savings_rate: a.savingsRate.toFixed(4),
      term_base_price: a.term ? a.term.basePrice.toFixed(2) : null,
      term_amount: a.term ? a.term.amount.toFixed(2) : null,
      reason: a.reason,
      awarded_by: a.awardedBy,
      awarded_at: a.awardedAt,
      publicity_ends_at: a.publicityEndsAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findAward(db: Executor, listingId: string): Promise<Award | undefined> {
  const r = await db
    .selectFrom('awards')
    .innerJoin('users', 'users.id', 'awards.bidder_id')
    .selectAll('awards')
    .select(['users.name', 'users.username'])
    .where('awards.listing_id', '=', listingId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    listingId: r.listing_id,
    bidId: r.bid_id,
    bidderId: r.bidder_id,
    bidderName: r.name ?? r.username,
    kind: r.kind,
    basePrice: new Decimal(r.base_price),
    amount: new Decimal(r.amount),
    savings: new Decimal(r.savings),
    savingsRate: new Decimal(r.savings_rate),
    termAmount: r.term_amount === null ? null : new Decimal(r.term_amount),
    reason: r.reason,
    awardedAt: r.awarded_at,
    publicityEndsAt: r.publicity_ends_at,
  };
}

/** After the award every deposit but the winner's is to be returned. */
export async function markRegistrationsRefundable(trx: Trx, listingId: string, winnerId: string): Promise<number> {
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

/** Everyone who registered for or bid on the listing: they hear about its award. */
export async function listInterestedBidders(db: Executor, listingId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('registrations')
    .select('bidder_id')
    .where('listing_id', '=', listingId)
    .union(db.selectFrom('bids').select('bidder_id').where('listing_id', '=', listingId).where('status', '=', 'live'))
    .execute();
  return rows.map((r) => r.bidder_id);
}

export interface RegistrationView {
  id: string;
  bidderId: string;
  bidderName: string;
  status: RegistrationStatus;
  refundedAt: Date | null;
}

export async function listRegistrations(db: Executor, listingId: string): Promise<RegistrationView[]> {
  const rows = await db
    .selectFrom('registrations')
    .innerJoin('users', 'users.id', 'registrations.bidder_id')
    .select([
      'registrations.id',
      'registrations.bidder_id',
      'registrations.status',
      'registrations.refunded_at',
      'users.name',
      'users.username',
    ])
    .where('registrations.listing_id', '=', listingId)
    .orderBy('registrations.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    bidderId: r.bidder_id,
    bidderName: r.name ?? r.username,
    status: r.status,
    refundedAt: r.refunded_at,
  }));
}

export async function lockRegistration(trx: Trx, listingId: string, id: string) {
  return trx
    .selectFrom('registrations')
    .select(['id', 'status', 'bidder_id'])
    .where('id', '=', id)
    .where('listing_id', '=', listingId)
    .forUpdate()
    .executeTakeFirst();
}

export async function markRefunded(trx: Trx, id: string, by: string, at: Date): Promise<void> {
  await trx
    .updateTable('registrations')
    .set({ status: 'refunded', refunded_at: at, refunded_by: by })
    .where('id', '=', id)
    .execute();
}

export async function insertContract(
  trx: Trx,
  c: { listingId: string; signedAt: Date; amount: Decimal; recordedBy: string },
): Promise<void> {
  await trx
    .insertInto('contracts')
    .values({ listing_id: c.listingId, signed_at: c.signedAt, amount: c.amount.toFixed(2), recorded_by: c.recordedBy })
    .execute();
}

export async function findContract(db: Executor, listingId: string) {
  const r = await db
    .selectFrom('contracts')
    .select(['signed_at', 'amount', 'recorded_at'])
    .where('listing_id', '=', listingId)
    .executeTakeFirst();
  return r ? { signedAt: r.signed_at, amount: new Decimal(r.amount), recordedAt: r.recorded_at } : undefined;
}
