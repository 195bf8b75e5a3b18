import { sql } from 'kysely';
import type { Executor, Trx } from '../db/db';
import { leafHash } from './merkle';
import { AuditEntry, entryBytes, GENESIS_HASH, StoredAuditEntry } from './trail';

// One lock id for the whole trail: appends are serialized so seq is gap-free and the chain linear.
const AUDIT_LOCK_ID = 727_001;

/** Takes the trail's one lock (appends are serialized so seq is gap-free) and reads its head. */
export async function lockTrailHead(trx: Trx): Promise<{ seq: number; hash: string } | undefined> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(trx);
  const last = await trx.selectFrom('audit').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return last && { seq: Number(last.seq), hash: last.hash };
}

export async function insertAuditEntry(trx: Trx, entry: AuditEntry, prevHash: string, hash: string): Promise<void> {
  await trx
    .insertInto('audit')
    .values({
      seq: entry.seq,
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      listing_id: entry.listingId,
      data: JSON.stringify(entry.data),
      prev_hash: prevHash,
      hash,
      leaf_hash: leafHash(entryBytes(entry)),
    })
    .execute();
}

type AuditRow = {
  seq: string;
  at: Date;
  actor: string;
  action: string;
  listing_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
};

export function toAuditEntry(row: AuditRow): StoredAuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    listingId: row.listing_id,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** A page of the trail in seq order, after the given seq. */
export async function listAuditAfter(
  db: Executor,
  afterSeq: number,
  limit: number,
  listingId?: string,
): Promise<StoredAuditEntry[]> {
  let q = db
    .selectFrom('audit')
    .selectAll()
    .where('seq', '>', String(afterSeq) as never)
    .orderBy('seq')
    .limit(limit);
  if (listingId) q = q.where('listing_id', '=', listingId);
  return (await q.execute()).map(toAuditEntry);
}

/**
 * A page of Merkle leaves in seq order after the given seq: the stored leaf hash, or — for entries
 * written before there was one — the entry itself, to hash. Reads 32 bytes per entry, not the entry.
 */
export async function listLeavesAfter(
  db: Executor,
  afterSeq: number,
  limit: number,
): Promise<{ seq: number; at: string; leaf: Buffer | null; entry: StoredAuditEntry | null }[]> {
  const rows = await db
    .selectFrom('audit')
    .select(['seq', 'at', 'leaf_hash'])
    .where('seq', '>', String(afterSeq) as never)
    .orderBy('seq')
    .limit(limit)
    .execute();
  const missing = rows.filter((r) => r.leaf_hash === null).map((r) => r.seq);
  const entries = missing.length
    ? new Map(
        (await db.selectFrom('audit').selectAll().where('seq', 'in', missing).execute()).map((r) => [
          r.seq,
          toAuditEntry(r),
        ]),
      )
    : new Map<string, StoredAuditEntry>();
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at.toISOString(),
    leaf: r.leaf_hash,
    entry: entries.get(r.seq) ?? null,
  }));
}

export async function auditHead(db: Executor): Promise<{ entries: number; head: string }> {
  const last = await db.selectFrom('audit').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return { entries: last ? Number(last.seq) : 0, head: last?.hash ?? GENESIS_HASH };
}
