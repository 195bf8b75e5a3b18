import { sql } from 'kysely';
import type { Executor } from '../db/db';
import { Decimal } from '../http/money';
import { ListingStatus, statusIs, statusSql } from '../listings/status';
import type { Deal, ReviewNote } from './deals';

export interface DealFilter {
  townshipId?: string;
  kind?: 'procurement' | 'lease';
  status?: ListingStatus;
  listingIds?: string[];
}

/** Deals for the auditor's list (drafts are not deals yet), newest first; status read from the clock. */
export async function listDeals(db: Executor, f: DealFilter, limit = 300): Promise<Deal[]> {
  let q = db
    .selectFrom('listings as l')
    .innerJoin('townships as t', 't.id', 'l.township_id')
    .leftJoin('awards as a', 'a.listing_id', 'l.id')
    .select([
      'l.id',
      'l.code',
      'l.title',
      'l.kind',
      'l.state',
      'l.base_price',
      'l.bid_opens_at',
      'l.bid_deadline',
      statusSql('l').as('status'),
      'l.township_id',
      'l.opened_at',
      'l.created_at',
      't.name as township_name',
      'a.amount as award_amount',
      'a.awarded_at',
      (eb) =>
        eb
          .exists(
            eb
              .selectFrom('review_notes as n')
              .select(sql`1`.as('one'))
              .whereRef('n.listing_id', '=', 'l.id')
              .where('n.reviewed', '=', true),
          )
          .as('reviewed'),
    ])
    .where('l.state', '<>', 'draft')
    .orderBy('l.created_at', 'desc')
    .limit(limit);
  if (f.townshipId) q = q.where('l.township_id', '=', f.townshipId);
  if (f.kind) q = q.where('l.kind', '=', f.kind);
  if (f.listingIds)
    q = q.where('l.id', 'in', f.listingIds.length ? f.listingIds : ['00000000-0000-0000-0000-000000000000']);
  if (f.status) q = q.where(statusIs([f.status], 'l'));
  return (await q.execute()).map((d) => ({
    id: d.id,
    code: d.code,
    title: d.title,
    kind: d.kind,
    status: d.status,
    townshipId: d.township_id,
    townshipName: d.township_name,
    basePrice: new Decimal(d.base_price),
    awardAmount: d.award_amount === null ? null : new Decimal(d.award_amount),
    awardedAt: d.awarded_at,
    bidDeadline: d.bid_deadline,
    reviewed: Boolean(d.reviewed),
  }));
}

export async function findDeal(db: Executor, listingId: string): Promise<Deal | undefined> {
  return (await listDeals(db, { listingIds: [listingId] }, 1))[0];
}

export async function insertReviewNote(
  db: Executor,
  n: { listingId: string; authorId: string; text: string; reviewed: boolean },
): Promise<Omit<ReviewNote, 'author'>> {
  const row = await db
    .insertInto('review_notes')
    .values({ listing_id: n.listingId, author_id: n.authorId, text: n.text, reviewed: n.reviewed })
    .returning(['id', 'listing_id', 'text', 'reviewed', 'created_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, listingId: row.listing_id, text: row.text, reviewed: row.reviewed, createdAt: row.created_at };
}

export async function listReviewNotes(db: Executor, listingId: string): Promise<ReviewNote[]> {
  const rows = await db
    .selectFrom('review_notes as n')
    .innerJoin('users as u', 'u.id', 'n.author_id')
    .select(['n.id', 'n.listing_id', 'n.text', 'n.reviewed', 'n.created_at', 'u.username as author'])
    .where('n.listing_id', '=', listingId)
    .orderBy('n.created_at')
    .execute();
  return rows.map((n) => ({
    id: n.id,
    listingId: n.listing_id,
    text: n.text,
    reviewed: n.reviewed,
    author: n.author,
    createdAt: n.created_at,
  }));
}
