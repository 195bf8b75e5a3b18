import { z } from 'zod';
import type { Executor } from '../db/db';
import { isId } from '../http/access';
import { NotFoundError } from '../http/errors';
import { parseInput } from '../http/validate';
import { ChainCheck, checkChainPage, initialChainState, StoredAuditEntry } from './audit';
import { listAuditAfter } from './audit.repository';
import './audit.messages';

const PAGE = 1000;

const logQuery = z.object({
  listingId: z.string().optional(),
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(PAGE).default(PAGE),
});

/** GET /audit/log: a page of the trail in seq order, optionally one listing's entries. */
export async function readLog(db: Executor, query: unknown): Promise<StoredAuditEntry[]> {
  const q = parseInput(logQuery, query);
  if (q.listingId !== undefined && !isId(q.listingId)) throw new NotFoundError();
  return listAuditAfter(db, q.after, q.limit, q.listingId);
}

/** Walks the whole stored trail page by page, recomputing every hash (checkChainPage). */
export async function verifyStoredChain(db: Executor): Promise<ChainCheck> {
  let state = initialChainState();
  for (;;) {
    const page = await listAuditAfter(db, state.expectedSeq - 1, PAGE);
    if (page.length === 0) break;
    const next = checkChainPage(state, page);
    if ('brokenAt' in next) return { valid: false, brokenAt: next.brokenAt };
    state = next;
    if (page.length < PAGE) break;
  }
  return { valid: true, entries: state.count, head: state.prevHash };
}

/**
 * Every entry, in seq order, for offline verification. Pages follow the stored seq (not the
 * expected one) so a gap left by a deleted row shows up in the export instead of ending it.
 */
export async function exportTrail(db: Executor): Promise<StoredAuditEntry[]> {
  const all: StoredAuditEntry[] = [];
  let after = 0;
  for (;;) {
    const page = await listAuditAfter(db, after, PAGE);
    all.push(...page);
    if (page.length < PAGE) return all;
    after = page[page.length - 1].seq;
  }
}

/** A listing's whole timeline. */
export async function listingTimeline(db: Executor, listingId: string): Promise<StoredAuditEntry[]> {
  const all: StoredAuditEntry[] = [];
  let after = 0;
  for (;;) {
    const page = await listAuditAfter(db, after, PAGE, listingId);
    all.push(...page);
    if (page.length < PAGE) return all;
    after = page[page.length - 1].seq;
  }
}
