import { z } from 'zod';
import type { AppContext } from '../context';
import { appendAudit } from '../trail/append';
import { AuthUser, isId } from '../http/access';
import { ConflictError, NotFoundError, RuleError, ValidationError } from '../http/errors';
import { Decimal, formatMoney, formatRate, MONEY_LIMIT, parseMoney } from '../http/money';
import { parseInput } from '../http/validate';
import { shanghaiDayStart } from '../http/time';
import { displayNamesOf } from '../accounts/accounts.service';
import { biddersToTellOfAward, openedBidsWithin } from '../bids/bidders.service';
import { lockRegistrationWithin, markDepositRefunded, markDepositsRefundable } from '../bids/registrations.service';
import { assertTransition } from '../listings/lifecycle';
import { loadListing, transitionListing } from '../listings/life';
import type { Listing } from '../listings/listings';
import { effectiveStatus } from '../listings/status';
import { rulesWithin } from '../townships/townships.service';
import { countDeal } from '../stats/deal-days.service';
import type { Notice } from '../notifications/notifier';
import { Award, Contract, StoredAward, checkAwardChoice, publicityEndsAt, topValidBid } from './awards';
import { computeSavings } from './savings';
import * as repo from './awards.repository';
import { countOpenObjections } from './objections.repository';
import './awards.messages';

export const awardInput = z.object({
  bidId: z.string().min(1).max(100),
  reason: z.string().trim().max(2000).nullish(),
});

function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && e.constraint === constraint;
}

/**
 * 成交: the award of an opened listing to one valid bid. One per listing: the listing row is locked,
 * and should two requests still race, awards_listing_key turns the loser into 409 ALREADY_AWARDED.
 */
export async function recordAward(ctx: AppContext, user: AuthUser, listingId: string, body: unknown): Promise<Award> {
  const input = parseInput(awardInput, body);
  const reason = input.reason ? input.reason : null;
  try {
    await ctx.db.transaction().execute(async (trx) => {
      const listing = await loadListing(trx, user, listingId, { access: 'staff', lock: true });
      if (listing.state === 'awarded' || listing.state === 'concluded') throw new ConflictError('ALREADY_AWARDED');
      const now = await repo.databaseNow(trx);
      assertTransition(effectiveStatus(listing, now), 'award');
      const bids = await openedBidsWithin(trx, listing);
      const chosen = checkAwardChoice(bids, input.bidId, reason);
      const amount = chosen.amount as Decimal;
      const figures = computeSavings(listing.kind, listing.basePrice, amount, listing);
      const { savings, savingsRate } = figures;
      const yearly = listing.kind === 'lease' && listing.priceBasis === 'year';
      if (figures.termAmount.gte(MONEY_LIMIT)) throw new RuleError('INVALID_AMOUNT');
      // a township without rules of its own has the defaults, as everywhere else
      const rules = await rulesWithin(trx, listing.townshipId);
      const endsAt = publicityEndsAt(now, rules.publicityDays);
      await repo.insertAward(trx, {
        listingId: listing.id,
        bidId: chosen.id,
        bidderId: chosen.bidderId,
        kind: listing.kind,
        basePrice: listing.basePrice,
        amount,
        savings,
        savingsRate,
        term: yearly ? { basePrice: figures.termBasePrice, amount: figures.termAmount } : null,
        reason,
        awardedBy: user.id,
        awardedAt: now,
        publicityEndsAt: endsAt,
      });
      await transitionListing(trx, listing, 'award');
      await countDeal(trx, listing.id); // the daily deal totals, in this transaction
      const refundable = await markDepositsRefundable(trx, listing.id, chosen.bidderId);
      await appendAudit(trx, {
        actor: user.username,
        action: 'listing.awarded',
        listingId: listing.id,
        data: {
          bidId: chosen.id,
          bidderId: chosen.bidderId,
          amount: formatMoney(amount),
          savings: formatMoney(savings),
          savingsRate: formatRate(savingsRate),
          ...(yearly ? { termAmount: formatMoney(figures.termAmount) } : {}),
          topRanked: topValidBid(bids)?.id === chosen.id,
          reason,
          publicityEndsAt: endsAt.toISOString(),
          refundableRegistrations: refundable,
        },
      });
      const params = { title: listing.title, code: listing.code };
      const notices: Notice[] = (await biddersToTellOfAward(trx, listing.id)).map((bidderId) => ({
        userId: bidderId,
        listingId: listing.id,
        messageKey: bidderId === chosen.bidderId ? 'notify.awardedWinner' : 'notify.awarded',
        params,
      }));
      await ctx.notifier.send(trx, notices);
    });
  } catch (err) {
    if (isUniqueViolation(err, 'awards_listing_key')) throw new ConflictError('ALREADY_AWARDED');
    throw err;
  }
  return (await findAward(ctx, listingId))!;
}

async function withBidderName(ctx: AppContext, a: StoredAward): Promise<Award> {
  const names = await displayNamesOf(ctx, [a.bidderId]);
  return { ...a, bidderName: names.get(a.bidderId) ?? '' };
}

/** The listing's award, or undefined before there is one. */
export async function findAward(ctx: AppContext, listingId: string): Promise<Award | undefined> {
  const stored = isId(listingId) ? await repo.findAward(ctx.db, listingId) : undefined;
  return stored && withBidderName(ctx, stored);
}

export async function getAward(ctx: AppContext, listingId: string): Promise<Award> {
  const award = await findAward(ctx, listingId);
  if (!award) throw new NotFoundError();
  return award;
}

/** The listing's recorded contract (合同), or undefined before there is one. */
export async function findContract(ctx: AppContext, listingId: string): Promise<Contract | undefined> {
  return repo.findContract(ctx.db, listingId);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
export const contractInput = z.object({
  signedAt: z.string().refine((s) => DATE_ONLY.test(s) || z.string().datetime({ offset: true }).safeParse(s).success, {
    params: { key: 'field.date' },
  }),
  amount: z.union([z.string(), z.number()]).nullish(),
});

/** A plain date is a day in Asia/Shanghai (a real one: 2026-02-30 is refused); a date-time is taken as it is. */
function parseSignedAt(s: string): Date {
  const d = DATE_ONLY.test(s) ? shanghaiDayStart(s) : new Date(s);
  if (!d || Number.isNaN(d.getTime())) throw new ValidationError({ signedAt: { key: 'field.date' } });
  return d;
}

/** 合同签订: only after publicity, with every objection answered. The listing is then concluded (and returned). */
export async function recordContract(
  ctx: AppContext,
  user: AuthUser,
  listingId: string,
  body: unknown,
): Promise<Listing> {
  const input = parseInput(contractInput, body);
  const signedAt = parseSignedAt(input.signedAt);
  const givenAmount =
    input.amount === undefined || input.amount === null || input.amount === '' ? null : parseMoney(input.amount);
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, listingId, { access: 'staff', lock: true });
    const now = await repo.databaseNow(trx);
    assertTransition(effectiveStatus(listing, now), 'conclude');
    const award = (await repo.findAward(trx, listing.id))!;
    if (now < award.publicityEndsAt) {
      throw new ConflictError(
        'INVALID_STATE',
        'awards.publicityNotOver',
        { until: award.publicityEndsAt.toISOString() },
        { publicityEndsAt: award.publicityEndsAt.toISOString() },
      );
    }
    if ((await countOpenObjections(trx, listing.id)) > 0) throw new ConflictError('OBJECTION_OPEN');
    // a contract dated on a plain day may fall on the award's own day
    const earliest = DATE_ONLY.test(input.signedAt)
      ? new Date(award.awardedAt.getTime() - 24 * 3600_000)
      : award.awardedAt;
    if (signedAt < earliest) throw new ValidationError({ signedAt: { key: 'awards.signedBeforeAward' } });
    const amount = givenAmount ?? award.amount;
    await repo.insertContract(trx, { listingId: listing.id, signedAt, amount, recordedBy: user.id });
    const { listing: concluded } = await transitionListing(trx, listing, 'conclude');
    await appendAudit(trx, {
      actor: user.username,
      action: 'listing.concluded',
      listingId: listing.id,
      data: { signedAt: signedAt.toISOString(), amount: formatMoney(amount), awardAmount: formatMoney(award.amount) },
    });
    return concluded;
  });
}

/** Deposits: staff record that a refundable deposit has been paid back (refundable → refunded only). */
export async function refundDeposit(ctx: AppContext, user: AuthUser, listingId: string, registrationId: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const listing = await loadListing(trx, user, listingId, { access: 'staff', lock: true });
    const reg = isId(registrationId) ? await lockRegistrationWithin(trx, listing.id, registrationId) : undefined;
    if (!reg) throw new NotFoundError();
    if (reg.status !== 'refundable')
      throw new ConflictError('INVALID_STATE', 'awards.notRefundable', { status: reg.status }, { status: reg.status });
    const now = await repo.databaseNow(trx);
    await markDepositRefunded(trx, reg.id, user.id, now);
    await appendAudit(trx, {
      actor: user.username,
      action: 'registration.refunded',
      listingId: listing.id,
      data: { registrationId: reg.id, bidderId: reg.bidderId },
    });
    return { id: reg.id, status: 'refunded' as const };
  });
}
