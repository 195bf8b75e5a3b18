import { sql } from 'kysely';
import type { Executor, Trx } from '../db/db';
import { Decimal } from '../http/money';
import type { Award, Contract, StoredAward } from './awards';

/** The database clock at this instant (not the transaction's start): deadlines are judged by it. */
export async function databaseNow(db: Executor): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(db);
  return rows[0].now;
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

/** The award as stored; the bidder's name is the accounts' to give (awards.service adds it). */
export async function findAward(db: Executor, listingId: string): Promise<StoredAward | undefined> {
  const r = await db.selectFrom('awards').selectAll().where('listing_id', '=', listingId).executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    listingId: r.listing_id,
    bidId: r.bid_id,
    bidderId: r.bidder_id,
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

export async function insertContract(
  trx: Trx,
  c: { listingId: string; signedAt: Date; amount: Decimal; recordedBy: string },
): Promise<void> {
  await trx
    .insertInto('contracts')
    .values({ listing_id: c.listingId, signed_at: c.signedAt, amount: c.amount.toFixed(2), recorded_by: c.recordedBy })
    .execute();
}

export async function findContract(db: Executor, listingId: string): Promise<Contract | undefined> {
  const r = await db
    .selectFrom('contracts')
    .select(['signed_at', 'amount', 'recorded_at'])
    .where('listing_id', '=', listingId)
    .executeTakeFirst();
  return r ? { signedAt: r.signed_at, amount: new Decimal(r.amount), recordedAt: r.recorded_at } : undefined;
}
