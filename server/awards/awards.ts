import { RuleError } from '../http/errors';
import { Decimal, formatMoney, formatRate } from '../http/money';
import type { DealKind } from '../townships/townships';

/** A recorded award (成交), with money as Decimal. */
export interface Award {
  id: string;
  listingId: string;
  bidId: string;
  bidderId: string;
  bidderName: string;
  kind: DealKind;
  basePrice: Decimal;
  amount: Decimal;
  savings: Decimal;
  savingsRate: Decimal;
  /** a yearly-priced lease's award over the whole term (amount × months ÷ 12); null when amount already is */
  termAmount: Decimal | null;
  reason: string | null;
  awardedAt: Date;
  publicityEndsAt: Date;
}

/** An award as its own table holds it: everything but the bidder's name. */
export type StoredAward = Omit<Award, 'bidderName'>;

/** The recorded contract (合同签订) of an awarded listing. */
export interface Contract {
  signedAt: Date;
  amount: Decimal;
  recordedAt: Date;
}

/** What the award decision needs to know about an opened bid. */
export interface RankedBid {
  id: string;
  bidderId: string;
  amount: Decimal | null;
  valid: boolean | null;
  rank: number | null;
}

const DAY = 24 * 3600_000;

/** 公示期: publicityDays calendar days after the award (Asia/Shanghai has no DST, so 24 h a day). */
export function publicityEndsAt(awardedAt: Date, publicityDays: number): Date {
  return new Date(awardedAt.getTime() + publicityDays * DAY);
}

export function inPublicity(award: Pick<Award, 'awardedAt' | 'publicityEndsAt'>, now: Date): boolean {
  return now >= award.awardedAt && now < award.publicityEndsAt;
}

/** The best valid bid: the lowest rank among valid ones (ranking itself is done at opening). */
export function topValidBid(bids: RankedBid[]): RankedBid | undefined {
  return bids
    .filter((b) => b.valid === true && b.rank !== null)
    .sort((a, b) => (a.rank as number) - (b.rank as number))[0];
}

/**
 * The award goes to the top-ranked valid bid; any other valid bid only with a written reason
 * (the trail keeps it, and auditors see it). Returns the chosen bid.
 */
export function checkAwardChoice(bids: RankedBid[], bidId: string, reason: string | null): RankedBid {
  const chosen = bids.find((b) => b.id === bidId);
  if (!chosen || chosen.valid !== true || chosen.amount === null) throw new RuleError('INVALID_BID');
  const top = topValidBid(bids);
  if (top && top.id !== chosen.id && !reason) {
    throw new RuleError('REASON_REQUIRED', 'error.REASON_REQUIRED', {}, { topBidId: top.id });
  }
  return chosen;
}

/** The API's award object, exactly as API.md has it (the reason shows on the staff pages and in the trail). */
export function awardToJson(a: Award) {
  return {
    listingId: a.listingId,
    bidId: a.bidId,
    bidderId: a.bidderId,
    bidderName: a.bidderName,
    kind: a.kind,
    basePrice: formatMoney(a.basePrice),
    amount: formatMoney(a.amount),
    savings: formatMoney(a.savings),
    savingsRate: formatRate(a.savingsRate),
    ...(a.termAmount ? { termAmount: formatMoney(a.termAmount) } : {}),
    awardedAt: a.awardedAt.toISOString(),
    publicityEndsAt: a.publicityEndsAt.toISOString(),
  };
}
