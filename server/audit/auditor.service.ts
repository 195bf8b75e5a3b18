import { z } from 'zod';
import type { Db } from '../db/db';
import type { AuthUser } from '../http/access';
import { isId } from '../http/access';
import { NotFoundError } from '../http/errors';
import { hasMessage, Lang, t } from '../http/i18n';
import { displayMoney } from '../http/money';
import { parseInput, text } from '../http/validate';
import { displayDateTime } from '../http/time';
import { LISTING_STATUSES } from '../listings/status';
import { computeFlags, flagToJson, FlagJson } from '../flags/flags.service';
import { appendAudit } from '../trail/trail.repository';
import { listingTimeline } from '../trail/trail.service';
import * as repo from './auditor.repository';
import './audit.messages';

export const STATUSES = LISTING_STATUSES.filter((s) => s !== 'draft');
export const KINDS = ['procurement', 'lease'] as const;

/** Query-string filters from the workspace form; unknown values are ignored rather than refused. */
export function dealFilters(q: Record<string, unknown>) {
  const pick = <T extends string>(v: unknown, allowed: readonly T[]) =>
    allowed.includes(v as T) ? (v as T) : undefined;
  return {
    townshipId: isId(q.townshipId) ? q.townshipId : undefined,
    kind: pick(q.kind, KINDS),
    status: pick(q.status, STATUSES),
    flaggedOnly: q.flagged === '1' || q.flagged === 'on',
  };
}

type DealRow = NonNullable<Awaited<ReturnType<typeof repo.findDeal>>>;
function dealView(lang: Lang, d: DealRow, flags: FlagJson[]) {
  const status = d.status; // by the database clock (server/listings/status.ts)
  return {
    id: d.id,
    code: d.code,
    title: d.title,
    township: d.township_name,
    townshipId: d.township_id,
    kindLabel: t(lang, `auditor.kind.${d.kind}`),
    status,
    statusLabel: t(lang, `auditor.status.${status}`),
    basePrice: displayMoney(d.base_price),
    awardAmount: d.award_amount ? displayMoney(d.award_amount) : '',
    awardedAt: displayDateTime(d.awarded_at),
    bidDeadline: displayDateTime(d.bid_deadline),
    reviewed: Boolean(d.reviewed),
    flags,
  };
}

export async function listDealsView(db: Db, lang: Lang, query: Record<string, unknown>) {
  const f = dealFilters(query);
  const rows = await repo.listDeals(db, f);
  const flags = await computeFlags(db, { listingIds: rows.map((r) => r.id) });
  const byListing = new Map<string, FlagJson[]>();
  for (const fl of flags) byListing.set(fl.listingId, [...(byListing.get(fl.listingId) ?? []), flagToJson(lang, fl)]);
  const deals = rows.map((r) => dealView(lang, r, byListing.get(r.id) ?? []));
  return { filters: f, deals: f.flaggedOnly ? deals.filter((d) => d.flags.length > 0) : deals };
}

export async function dealFileView(db: Db, lang: Lang, listingId: string) {
  const row = isId(listingId) ? await repo.findDeal(db, listingId) : undefined;
  if (!row) throw new NotFoundError();
  const flags = (await computeFlags(db, { listingIds: [listingId] })).map((f) => flagToJson(lang, f));
  const timeline = (await listingTimeline(db, listingId)).map((e) => ({
    ...e,
    actionLabel: hasMessage(`auditor.action.${e.action}`) ? t(lang, `auditor.action.${e.action}`) : e.action,
    // an imported step (seeded history) happened at data.occurredAt and entered the trail at e.at
    atDisplay:
      e.data.imported === true && typeof e.data.occurredAt === 'string'
        ? t(lang, 'auditor.imported', { occurred: displayDateTime(e.data.occurredAt), at: displayDateTime(e.at) })
        : displayDateTime(e.at),
    dataJson: JSON.stringify(e.data),
    shortHash: e.hash.slice(0, 12),
  }));
  const notes = (await repo.listReviewNotes(db, listingId)).map((n) => ({
    ...n,
    createdDisplay: displayDateTime(n.created_at),
  }));
  return { deal: dealView(lang, row, flags), timeline, notes };
}

export const reviewNoteInput = z
  .object({
    text: text(2000),
    reviewed: z.boolean().default(false),
  })
  .strict();

/** An auditor's note on a deal, with the "reviewed" mark; it enters the trail in the same transaction. */
export async function addReviewNote(db: Db, user: AuthUser, listingId: string, body: unknown) {
  const input = parseInput(reviewNoteInput, body);
  if (!isId(listingId)) throw new NotFoundError();
  return db.transaction().execute(async (trx) => {
    const listing = await trx
      .selectFrom('listings')
      .select(['id', 'state'])
      .where('id', '=', listingId)
      .executeTakeFirst();
    if (!listing || listing.state === 'draft') throw new NotFoundError();
    const note = await repo.insertReviewNote(trx, {
      listingId,
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
    return {
      id: note.id,
      listingId,
      text: note.text,
      reviewed: note.reviewed,
      author: user.username,
      createdAt: note.created_at.toISOString(),
    };
  });
}

export async function listNotesJson(db: Db, listingId: string) {
  if (!isId(listingId)) throw new NotFoundError();
  return (await repo.listReviewNotes(db, listingId)).map((n) => ({
    id: n.id,
    listingId: n.listing_id,
    text: n.text,
    reviewed: n.reviewed,
    author: n.author,
    createdAt: n.created_at.toISOString(),
  }));
}
