import { FieldErrors, RuleError, ValidationError } from '../http/errors';
import { Decimal, displayMoney } from '../http/money';
import type { DealKind, KindBand, TownshipRules } from '../townships/townships';
import { CATEGORIES } from './listings';

/** The terms of a listing as staff set them, already parsed (money as Decimal). */
export interface ListingTerms {
  kind: DealKind;
  category: string;
  title: string;
  description: string;
  location: string | null;
  quantity: string | null;
  basePrice: Decimal;
  depositAmount: Decimal;
  leaseTermMonths: number | null;
  bidOpensAt: Date;
  bidDeadline: Date;
  /** sealed offers (the default) or an open auction; increment and extensionSeconds only for an auction */
  method: SaleMethod;
  increment: Decimal | null;
  extensionSeconds: number | null;
}

export type SaleMethod = 'sealed' | 'auction';

const DAY = 24 * 3600_000;

export function bandFor(kind: DealKind, rules: TownshipRules): KindBand {
  return kind === 'procurement' ? rules.procurement : rules.lease;
}

/**
 * The value band (both bounds inclusive): below the minimum the deal need not enter the station;
 * above the maximum it belongs to the county public resource trading centre.
 */
export function checkBand(kind: DealKind, basePrice: Decimal, rules: TownshipRules): void {
  const band = bandFor(kind, rules);
  if (basePrice.lt(band.minAmount)) {
    throw new RuleError(
      'BELOW_THRESHOLD',
      'error.BELOW_THRESHOLD',
      { min: displayMoney(band.minAmount) },
      { minAmount: band.minAmount.toFixed(2) },
    );
  }
  if (basePrice.gt(band.maxAmount)) {
    throw new RuleError(
      'ABOVE_TOWNSHIP_LIMIT',
      'error.ABOVE_TOWNSHIP_LIMIT',
      { max: displayMoney(band.maxAmount) },
      { maxAmount: band.maxAmount.toFixed(2) },
    );
  }
}

/** Bids may not open sooner than minNoticeDays after publication (exactly that long is fine). */
export function checkNotice(bidOpensAt: Date, publishedAt: Date, minNoticeDays: number): void {
  const earliest = publishedAt.getTime() + minNoticeDays * DAY;
  if (bidOpensAt.getTime() < earliest) {
    throw new ValidationError({ bidOpensAt: { key: 'listings.noticeTooShort', params: { days: minNoticeDays } } });
  }
}

/** Rules between fields that a schema cannot say: category for the kind, lease term, deadline order. */
export function checkTermsConsistent(
  t: Pick<
    ListingTerms,
    'kind' | 'category' | 'leaseTermMonths' | 'bidOpensAt' | 'bidDeadline' | 'basePrice' | 'depositAmount'
  >,
): void {
  const fields: FieldErrors = {};
  if (!CATEGORIES[t.kind].includes(t.category)) fields.category = { key: 'listings.unknownCategory' };
  if (t.depositAmount.gt(t.basePrice))
    fields.depositAmount = { key: 'listings.depositAboveBase', params: { basePrice: displayMoney(t.basePrice) } };
  if (t.kind === 'lease' && t.leaseTermMonths === null) fields.leaseTermMonths = { key: 'listings.leaseTermRequired' };
  if (t.bidDeadline.getTime() <= t.bidOpensAt.getTime())
    fields.bidDeadline = { key: 'listings.deadlineNotAfterOpening' };
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

/** Everything a listing must satisfy to be saved as a draft or published at `publishAt`. */
export function checkTerms(t: ListingTerms, rules: TownshipRules, publishAt: Date): void {
  checkTermsConsistent(t);
  checkBand(t.kind, t.basePrice, rules);
  checkNotice(t.bidOpensAt, publishAt, rules.minNoticeDays);
}
