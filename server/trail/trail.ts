import crypto from 'node:crypto';

/** The hash a chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  seq: number;
  at: string; // ISO 8601, millisecond precision, UTC
  actor: string;
  action: string;
  listingId: string | null;
  data: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth, so the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/**
 * The canonical bytes of an entry: UTF-8 of the canonical JSON of exactly its six fields
 * {action, actor, at, data, listingId, seq} (keys sorted, no white space). They are both what the
 * hash chain hashes and the Merkle leaf (README, "Transparency log").
 */
export function entryText(entry: AuditEntry): string {
  return canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    listingId: entry.listingId,
    data: entry.data,
  });
}

export function entryBytes(entry: AuditEntry): Buffer {
  return Buffer.from(entryText(entry), 'utf8');
}

/** hash = sha256(prevHash || canonical JSON of the entry) */
export function hashEntry(prevHash: string, entry: AuditEntry): string {
  return crypto
    .createHash('sha256')
    .update(prevHash + entryText(entry), 'utf8')
    .digest('hex');
}

export type ChainCheck = { valid: true; entries: number; head: string } | { valid: false; brokenAt: number };

/**
 * Walks entries in stored order and recomputes every hash. Works incrementally so a long trail can
 * be fed in pages: pass the state returned by the previous page.
 */
export interface ChainState {
  expectedSeq: number;
  prevHash: string;
  count: number;
}
export const initialChainState = (): ChainState => ({ expectedSeq: 1, prevHash: GENESIS_HASH, count: 0 });

export function checkChainPage(state: ChainState, entries: StoredAuditEntry[]): ChainState | { brokenAt: number } {
  let { expectedSeq, prevHash, count } = state;
  for (const e of entries) {
    if (e.seq !== expectedSeq) return { brokenAt: Math.min(e.seq, expectedSeq) };
    if (e.prevHash !== prevHash || hashEntry(prevHash, e) !== e.hash) return { brokenAt: e.seq };
    prevHash = e.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { expectedSeq, prevHash, count };
}

export function verifyChain(entries: StoredAuditEntry[]): ChainCheck {
  const result = checkChainPage(initialChainState(), entries);
  if ('brokenAt' in result) return { valid: false, brokenAt: result.brokenAt };
  return { valid: true, entries: result.count, head: result.prevHash };
}
