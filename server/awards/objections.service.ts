import { z } from 'zod';
import type { AppContext } from '../context';
import { appendAudit } from '../trail/append';
import { AuthUser, isId } from '../http/access';
import { loadListing } from '../listings/life';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors';
import { parseInput, text } from '../http/validate';
import { inPublicity } from './awards';
import * as awardsRepo from './awards.repository';
import * as repo from './objections.repository';
import type { Objection } from './objections.repository';
import './awards.messages';

export const textInput = z.object({ text: text(2000) });

/** 异议: a bidder who bid may object while the result is under publicity. */
export async function raiseObjection(ctx: AppContext, user: AuthUser, listingId: string, body: unknown) {
  const input = parseInput(textInput, body);
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, listingId, { access: 'view', lock: true });
    if (user.role !== 'bidder' || !(await awardsRepo.hasLiveBid(trx, listing.id, user.id)))
      throw new ForbiddenError('objections.notABidder');
    const award = await awardsRepo.findAward(trx, listing.id);
    const now = await awardsRepo.databaseNow(trx);
    if (listing.state !== 'awarded' || !award || !inPublicity(award, now)) {
      throw new ConflictError('INVALID_STATE', 'objections.outsidePublicity', {}, { status: listing.state });
    }
    const id = await repo.insertObjection(trx, { listingId: listing.id, bidderId: user.id, text: input.text, at: now });
    await appendAudit(trx, {
      actor: user.username,
      action: 'objection.raised',
      listingId: listing.id,
      data: { objectionId: id },
    });
    const staff = await repo.listTownshipStaffIds(trx, listing.townshipId);
    await ctx.notifier.send(
      trx,
      staff.map((userId) => ({
        userId,
        listingId: listing.id,
        messageKey: 'notify.objectionRaised',
        params: { title: listing.title, code: listing.code },
      })),
    );
    return { id, status: 'open' as const };
  });
}

/** The township's staff answer; the objecting bidder is told in the inbox. */
export async function answerObjection(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  objectionId: string,
  body: unknown,
) {
  const input = parseInput(textInput, body);
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, listingId, { access: 'staff', lock: true });
    const objection = isId(objectionId) ? await repo.lockObjection(trx, listing.id, objectionId) : undefined;
    if (!objection) throw new NotFoundError();
    if (objection.status !== 'open')
      throw new ConflictError('INVALID_STATE', 'objections.alreadyAnswered', {}, { status: objection.status });
    const now = await awardsRepo.databaseNow(trx);
    await repo.answerObjection(trx, objection.id, { text: input.text, by: user.id, at: now });
    await appendAudit(trx, {
      actor: user.username,
      action: 'objection.answered',
      listingId: listing.id,
      data: { objectionId: objection.id },
    });
    await ctx.notifier.send(trx, [
      {
        userId: objection.bidderId,
        listingId: listing.id,
        messageKey: 'notify.objectionAnswered',
        params: { title: listing.title, code: listing.code },
      },
    ]);
    return { id: objection.id, status: 'answered' as const };
  });
}

/** Staff of the township, auditors and admins see all; a bidder sees only their own. */
export async function listObjectionsFor(ctx: AppContext, user: AuthUser, listingId: string): Promise<Objection[]> {
  const bidder = user.role === 'bidder';
  const listing = await loadListing(ctx.db, user, listingId, { access: bidder ? 'view' : 'read' });
  if (bidder) return repo.listObjections(ctx.db, listing.id, user.id);
  return repo.listObjections(ctx.db, listing.id);
}

export function objectionToJson(o: Objection) {
  return {
    id: o.id,
    status: o.status,
    text: o.text,
    bidderId: o.bidderId,
    bidderName: o.bidderName,
    createdAt: o.createdAt.toISOString(),
    answer: o.answer,
    answeredAt: o.answeredAt ? o.answeredAt.toISOString() : null,
  };
}
