import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { ForbiddenError, ValidationError } from '../http/errors';
import type { Checkpoint } from '../trail/checkpoint';
import { appendAudit, auditHead } from '../trail/trail.repository';
import { currentCheckpoint } from '../trail/trail.service';
import type { Listing } from '../listings/listings';
import { DISCLOSURE_KEYS, DisclosureKey } from '../townships/townships';
import { findDisclosures, updateDisclosures } from '../townships/townships.repository';
import { announcementToJson, boardAnnouncements, BoardResult, resultToJson, sortResults } from './board';
import * as repo from './board.repository';
import { cachedRead } from '../cache/cache';
import { Scope, scopeKey, scopeTownshipIds } from './scope';
import './board.messages';

export interface BoardData {
  announcements: Listing[];
  results: BoardResult[];
  pastWithoutAward: Listing[];
  audit: { entries: number; head: string };
  /** the transparency log's latest signed checkpoint */
  checkpoint: Checkpoint;
  updatedAt: Date;
}

/** Everything the board shows for a scope, through the read cache. */
export async function loadBoard(ctx: AppContext, scope: Scope): Promise<BoardData> {
  const { value } = await cachedRead(ctx, `board:${scopeKey(scope)}`, async () => {
    const now = new Date();
    const ids = scopeTownshipIds(scope);
    const [live, results, pastWithoutAward, audit, checkpoint] = await Promise.all([
      repo.findLiveListings(ctx.db, ids, now),
      repo.findResults(ctx.db, ids),
      repo.findClosedWithoutAward(ctx.db, ids),
      auditHead(ctx.db),
      currentCheckpoint(ctx.db, ctx.auditSigningKey),
    ]);
    return {
      announcements: boardAnnouncements(live, now),
      results: sortResults(results),
      pastWithoutAward,
      audit,
      checkpoint,
      updatedAt: now,
    };
  });
  return value;
}

/** GET /board's body (API.md) plus the audit head, so anyone who noted it can detect a rewrite. */
export function boardToJson(board: BoardData, now = new Date()) {
  return {
    announcements: board.announcements.map((l) => announcementToJson(l, now)),
    results: board.results.map((r) => resultToJson(r, now)),
    updatedAt: board.updatedAt.toISOString(),
    audit: board.audit,
    checkpoint: board.checkpoint,
  };
}

export async function getDisclosures(ctx: AppContext, townshipId: string): Promise<Record<DisclosureKey, string>> {
  const stored = await findDisclosures(ctx.db, townshipId);
  return Object.fromEntries(DISCLOSURE_KEYS.map((k) => [k, typeof stored[k] === 'string' ? stored[k] : ''])) as Record<
    DisclosureKey,
    string
  >;
}

const MAX_DISCLOSURE = 2000;

/** Staff edit their own township's six disclosures (六公开); the change is audited. */
export async function saveDisclosures(
  ctx: AppContext,
  user: AuthUser,
  input: Record<string, unknown>,
): Promise<Record<DisclosureKey, string>> {
  if (user.role !== 'staff' || !user.townshipId) throw new ForbiddenError();
  const townshipId = user.townshipId;
  const values = {} as Record<DisclosureKey, string>;
  const fields: ConstructorParameters<typeof ValidationError>[0] = {};
  for (const key of DISCLOSURE_KEYS) {
    const raw = input[key];
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (!text) fields[key] = { key: 'field.required' };
    else if (text.length > MAX_DISCLOSURE) fields[key] = { key: 'field.tooLong', params: { max: MAX_DISCLOSURE } };
    values[key] = text;
  }
  if (Object.keys(fields).length) throw new ValidationError(fields);
  await ctx.db.transaction().execute(async (trx) => {
    await updateDisclosures(trx, townshipId, values);
    await appendAudit(trx, {
      actor: user.username,
      action: 'township.disclosures.updated',
      data: { townshipId, keys: [...DISCLOSURE_KEYS] },
    });
  });
  return values;
}
