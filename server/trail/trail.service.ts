import { z } from 'zod';
import type { AppContext } from '../context';
import { isId } from '../http/access';
import { NotFoundError, ValidationError } from '../http/errors';
import { parseInput } from '../http/validate';
import { Checkpoint, EMPTY_LOG_AT, signCheckpoint } from './checkpoint';
import { leafHash, MerkleTree } from './merkle';
import { ChainCheck, checkChainPage, entryBytes, initialChainState, StoredAuditEntry } from './trail';
import { auditHead, listAuditAfter } from './trail.repository';
import { syncTree } from './tree';
import './trail.messages';

const PAGE = 1000;

const logQuery = z.object({
  listingId: z.string().optional(),
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(PAGE).default(PAGE),
});

/** GET /audit/log: a page of the trail in seq order, optionally one listing's entries. */
export async function readLog(ctx: AppContext, query: unknown): Promise<StoredAuditEntry[]> {
  const q = parseInput(logQuery, query);
  if (q.listingId !== undefined && !isId(q.listingId)) throw new NotFoundError();
  return listAuditAfter(ctx.db, q.after, q.limit, q.listingId);
}

/** Walks the whole stored trail page by page, recomputing every hash (checkChainPage). */
export async function verifyStoredChain(ctx: AppContext): Promise<ChainCheck> {
  let state = initialChainState();
  for (;;) {
    const page = await listAuditAfter(ctx.db, state.expectedSeq - 1, PAGE);
    if (page.length === 0) break;
    const next = checkChainPage(state, page);
    if ('brokenAt' in next) return { valid: false, brokenAt: next.brokenAt };
    state = next;
    if (page.length < PAGE) break;
  }
  return { valid: true, entries: state.count, head: state.prevHash };
}

const hex = (b: Buffer) => b.toString('hex');
// a whole number of entries written in digits ("7"); anything else is 422 with the field named
const count = z
  .string({ required_error: 'required' })
  .regex(/^\d{1,15}$/, { message: 'count' })
  .transform(Number)
  .or(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER));
const beyond = (field: string, size: number) =>
  new ValidationError({ [field]: { key: 'trail.beyondLog', params: { size } } });

/** The latest signed tree head of the stored trail (the same on every instance for the same trail). */
export async function currentCheckpoint(ctx: AppContext): Promise<Checkpoint> {
  const { tree, lastAt } = await syncTree(ctx.db);
  return signCheckpoint(ctx.auditSigningKey, tree.size, hex(tree.root()), lastAt ?? EMPTY_LOG_AT);
}

const proofQuery = z.object({
  seq: count.refine((n) => n >= 1, { params: { key: 'trail.seqFromOne' } }),
  size: count.optional(),
});

/** GET /audit/proof?seq=&size=: the audit path of entry `seq` in the tree of `size` entries (default: now). */
export async function inclusionProof(ctx: AppContext, query: unknown) {
  const q = parseInput(proofQuery, query);
  const { tree } = await syncTree(ctx.db);
  const size = q.size ?? tree.size;
  if (size > tree.size) throw beyond('size', tree.size);
  if (q.seq > size) throw new ValidationError({ seq: { key: 'trail.seqBeyondSize', params: { size } } });
  return { leafIndex: q.seq - 1, size, path: tree.inclusionProof(q.seq - 1, size).map(hex) };
}

const consistencyQuery = z.object({ from: count, to: count.optional() });

/** GET /audit/consistency?from=&to=: proof that the tree of `from` entries is a prefix of the tree of `to`. */
export async function consistencyProof(ctx: AppContext, query: unknown) {
  const q = parseInput(consistencyQuery, query);
  const { tree } = await syncTree(ctx.db);
  const to = q.to ?? tree.size;
  if (to > tree.size) throw beyond('to', tree.size);
  if (q.from > to) throw new ValidationError({ from: { key: 'trail.fromAfterTo', params: { to } } });
  return { from: q.from, to, path: tree.consistencyProof(q.from, to).map(hex) };
}

const keptQuery = z
  .object({
    size: count.optional(),
    root: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'root')
      .optional(),
  })
  .refine((q) => (q.size === undefined) === (q.root === undefined), {
    message: 'both',
    path: ['root'],
    params: { key: 'trail.sizeAndRoot' },
  });

export type CheckpointCheck =
  | { valid: true; entries: number; head: string }
  | { valid: false; reason: 'CHAIN_BROKEN'; brokenAt: number }
  | { valid: false; reason: 'TRUNCATED'; entries: number }
  | { valid: false; reason: 'ROOT_MISMATCH'; entries: number };

/** GET /audit/verify: without size/root the hash chain as before; with them, also against the kept checkpoint. */
export async function verifyTrail(ctx: AppContext, query: unknown): Promise<ChainCheck | CheckpointCheck> {
  const q = parseInput(keptQuery, query);
  if (q.size === undefined || q.root === undefined) return verifyStoredChain(ctx);
  return verifyAgainstCheckpoint(ctx, { size: q.size, root: q.root });
}

/**
 * Recomputes everything from the stored entries (nothing cached): the hash chain, then the Merkle root
 * of the first `size` entries, which must be the kept root. An altered or removed entry breaks the
 * chain; a chain rewritten from some entry on keeps a valid chain but not the kept root; dropping
 * the newest entries leaves fewer than `size`.
 */
export async function verifyAgainstCheckpoint(
  ctx: AppContext,
  kept: { size: number; root: string },
): Promise<CheckpointCheck> {
  let state = initialChainState();
  const tree = new MerkleTree();
  let after = 0;
  for (;;) {
    const page = await listAuditAfter(ctx.db, after, PAGE);
    const next = checkChainPage(state, page);
    if ('brokenAt' in next) return { valid: false, reason: 'CHAIN_BROKEN', brokenAt: next.brokenAt };
    state = next;
    for (const e of page) if (tree.size < kept.size) tree.append(leafHash(entryBytes(e)));
    if (page.length < PAGE) break;
    after = page[page.length - 1].seq;
  }
  if (state.count < kept.size) return { valid: false, reason: 'TRUNCATED', entries: state.count };
  if (hex(tree.root(kept.size)) !== kept.root) return { valid: false, reason: 'ROOT_MISMATCH', entries: state.count };
  return { valid: true, entries: state.count, head: state.prevHash };
}

/**
 * Every entry, in seq order, for offline verification. Pages follow the stored seq (not the
 * expected one) so a gap left by a deleted row shows up in the export instead of ending it.
 */
export async function exportTrail(ctx: AppContext): Promise<StoredAuditEntry[]> {
  const all: StoredAuditEntry[] = [];
  let after = 0;
  for (;;) {
    const page = await listAuditAfter(ctx.db, after, PAGE);
    all.push(...page);
    if (page.length < PAGE) return all;
    after = page[page.length - 1].seq;
  }
}

/** A listing's whole timeline. */
export async function listingTimeline(ctx: AppContext, listingId: string): Promise<StoredAuditEntry[]> {
  const all: StoredAuditEntry[] = [];
  let after = 0;
  for (;;) {
    const page = await listAuditAfter(ctx.db, after, PAGE, listingId);
    all.push(...page);
    if (page.length < PAGE) return all;
    after = page[page.length - 1].seq;
  }
}

/** How many entries the trail holds and the hash of the newest (the board's and open data's trail head). */
export async function trailHead(ctx: AppContext): Promise<{ entries: number; head: string }> {
  return auditHead(ctx.db);
}
