import type { Trx } from '../db/db';
import { AuditEntry, GENESIS_HASH, hashEntry, StoredAuditEntry } from './trail';
import { insertAuditEntry, lockTrailHead } from './trail.repository';

export interface AuditInput {
  actor: string;
  action: string;
  listingId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * The one way anything is written to the trail, and the one part of trail/ every concept imports.
 * Call it inside the transaction that makes the change, so the change and its entry commit or vanish
 * together. Never pass a sealed amount.
 */
export async function appendAudit(trx: Trx, input: AuditInput): Promise<StoredAuditEntry> {
  const last = await lockTrailHead(trx);
  const entry: AuditEntry = {
    seq: last ? last.seq + 1 : 1,
    at: new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    listingId: input.listingId ?? null,
    data: JSON.parse(JSON.stringify(input.data ?? {})) as AuditEntry['data'],
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  const hash = hashEntry(prevHash, entry);
  await insertAuditEntry(trx, entry, prevHash, hash);
  return { ...entry, prevHash, hash };
}
