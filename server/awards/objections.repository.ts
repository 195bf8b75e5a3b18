import type { Executor, Trx } from '../db/db';
import type { StoredObjection } from './objections';

function baseQuery(db: Executor) {
  return db.selectFrom('objections').selectAll();
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;
function toObjection(r: Row): StoredObjection {
  return {
    id: r.id,
    listingId: r.listing_id,
    bidderId: r.bidder_id,
    text: r.text,
    status: r.status,
    createdAt: r.created_at,
    answer: r.answer,
    answeredAt: r.answered_at,
  };
}

export async function insertObjection(
  trx: Trx,
  o: { listingId: string; bidderId: string; text: string; at: Date },
): Promise<string> {
  const row = await trx
    .insertInto('objections')
    .values({ listing_id: o.listingId, bidder_id: o.bidderId, text: o.text, created_at: o.at })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Oldest first: the order they were raised in is the order they are answered in. */
export async function listObjections(db: Executor, listingId: string, bidderId?: string): Promise<StoredObjection[]> {
  let q = baseQuery(db).where('listing_id', '=', listingId).orderBy('created_at');
  if (bidderId) q = q.where('bidder_id', '=', bidderId);
  return (await q.execute()).map(toObjection);
}

export async function lockObjection(trx: Trx, listingId: string, id: string): Promise<StoredObjection | undefined> {
  const row = await baseQuery(trx)
    .where('id', '=', id)
    .where('listing_id', '=', listingId)
    .forUpdate()
    .executeTakeFirst();
  return row ? toObjection(row) : undefined;
}

export async function answerObjection(trx: Trx, id: string, a: { text: string; by: string; at: Date }): Promise<void> {
  await trx
    .updateTable('objections')
    .set({ status: 'answered', answer: a.text, answered_by: a.by, answered_at: a.at })
    .where('id', '=', id)
    .execute();
}

export async function countOpenObjections(db: Executor, listingId: string): Promise<number> {
  const r = await db
    .selectFrom('objections')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('listing_id', '=', listingId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
