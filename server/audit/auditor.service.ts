import { z } from 'zod';
import type { AppContext } from '../context';
import type { AuthUser } from '../http/access';
import { isId } from '../http/access';
import { NotFoundError } from '../http/errors';
import { parseInput, text } from '../http/validate';
import { loadListing } from '../listings/life';
import type { Flag } from '../flags/flags';
import { computeFlags } from '../flags/flags.service';
import { appendAudit } from '../trail/append';
import type { StoredAuditEntry } from '../trail/trail';
import { listingTimeline } from '../trail/trail.service';
import * as repo from './auditor.repository';
import { Deal, dealFilters, ReviewNote } from './deals';
import './audit.messages';

export type FlaggedDeal = Deal & { flags: Flag[] };

/** The workspace's list: deals in the filters, each with its red flags. */
export async function listDeals(ctx: AppContext, query: Record<string, unknown>) {
  const f = dealFilters(query);
  const rows = await repo.listDeals(ctx.db, f);
  const flags = await computeFlags(ctx, { listingIds: rows.map((r) => r.id) });
  const byListing = new Map<string, Flag[]>();
  for (const fl of flags) byListing.set(fl.listingId, [...(byListing.get(fl.listingId) ?? []), fl]);
  const deals: FlaggedDeal[] = rows.map((r) => ({ ...r, flags: byListing.get(r.id) ?? [] }));
  return { filters: f, deals: f.flaggedOnly ? deals.filter((d) => d.flags.length > 0) : deals };
}

/** One deal's file: the deal and its flags, its whole timeline from the trail, the auditors' notes. */
export async function dealFile(
  ctx: AppContext,
  listingId: string,
): Promise<{ deal: FlaggedDeal; timeline: StoredAuditEntry[]; notes: ReviewNote[] }> {
  const row = isId(listingId) ? await repo.findDeal(ctx.db, listingId) : undefined;
  if (!row) throw new NotFoundError();
  const flags = await computeFlags(ctx, { listingIds: [listingId] });
  const timeline = await listingTimeline(ctx, listingId);
  const notes = await repo.listReviewNotes(ctx.db, listingId);
  return { deal: { ...row, flags }, timeline, notes };
}

export const reviewNoteInput = z
  .object({
    text: text(2000),
    reviewed: z.boolean().default(false),
  })
  .strict();

/** An auditor's note on a deal, with the "reviewed" mark; it enters the trail in the same transaction. */
export async function addReviewNote(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  body: unknown,
): Promise<ReviewNote> {
  const input = parseInput(reviewNoteInput, body);
  if (!isId(listingId)) throw new NotFoundError();
  return ctx.db.transaction().execute(async (trx) => {
    // a draft is not a deal yet: 404, as for an id that does not exist
    const listing = await loadListing(trx, undefined, listingId, { access: 'view' });
    const note = await repo.insertReviewNote(trx, {
      listingId: listing.id,
      authorId: user.id,
      text: input.text,
      reviewed: input.reviewed,
    });
    await appendAudit(trx, {
      actor: user.username,
      action: 'review.noted',
      listingId,
      data: { noteId: note.id, text: input.text, reviewed: input.reviewed },
    });
    return { ...note, author: user.username };
  });
}

export async function listNotes(ctx: AppContext, listingId: string): Promise<ReviewNote[]> {
  if (!isId(listingId)) throw new NotFoundError();
  return repo.listReviewNotes(ctx.db, listingId);
}
