import { z } from 'zod';
import type { AppContext } from '../context';
import { appendAudit } from '../trail/append';
import { AuthUser, isId } from '../http/access';
import { activeStaffIdsWithin, displayNamesOf } from '../accounts/accounts.service';
import { holdsLiveBid, holdsLiveBidWithin } from '../bids/bidders.service';
import { loadListing } from '../listings/life';
import type { Listing } from '../listings/listings';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors';
import { parseInput, text } from '../http/validate';
import { Award, inPublicity } from './awards';
import * as awardsRepo from './awards.repository';
import * as repo from './objections.repository';
import type { Objection, StoredObjection } from './objections';
import './awards.messages';

export const textInput = z.object({ text: text(2000) });

/** 异议: a bidder who bid may object while the result is under publicity. */
export async function raiseObjection(ctx: AppContext, user: AuthUser, listingId: string, body: unknown) {
  const input = parseInput(textInput, body);
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, listingId, { access: 'view', lock: true });
    if (user.role !== 'bidder' || !(await holdsLiveBidWithin(trx, listing.id, user.id)))
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
    const staff = await activeStaffIdsWithin(trx, listing.townshipId);
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
  return withBidderNames(ctx, await repo.listObjections(ctx.db, listing.id, bidder ? user.id : undefined));
}

/** Every objection to the listing's award, oldest first: for its staff's page (the listing already loaded). */
export async function objectionsOf(ctx: AppContext, listing: Listing): Promise<Objection[]> {
  return withBidderNames(ctx, await repo.listObjections(ctx.db, listing.id));
}

async function withBidderNames(ctx: AppContext, list: StoredObjection[]): Promise<Objection[]> {
  const names = await displayNamesOf(
    ctx,
    list.map((o) => o.bidderId),
  );
  return list.map((o) => ({ ...o, bidderName: names.get(o.bidderId) ?? '' }));
}

/** Whether this visitor may object now: a bidder who bid, while the award is under publicity. */
export async function mayObject(
  ctx: AppContext,
  user: AuthUser | undefined,
  listing: Listing,
  award: Award,
): Promise<boolean> {
  return (
    user?.role === 'bidder' &&
    listing.state === 'awarded' &&
    inPublicity(award, new Date()) &&
    (await holdsLiveBid(ctx, listing.id, user.id))
  );
}
