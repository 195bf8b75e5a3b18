import { FieldErrors, RuleError, ValidationError } from '../http/errors';
import { Decimal, displayMoney } from '../http/money';
import type { DealKind, KindBand, TownshipRules } from '../townships/townships';
import { AreaUnit, PriceBasis, wholeTerm } from './price-basis';

/** The categories of each kind of deal. */
export const CATEGORIES: Record<DealKind, readonly string[]> = {
  procurement: ['works', 'goods', 'services'],
  lease: ['shop', 'house', 'forest', 'water', 'land', 'other'],
};

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
  /** a lease's price is for the whole term (default) or per year (元/年); procurement is always 'term' */
  priceBasis: PriceBasis;
  /** the leased area, with its unit (亩 or 平方米), or neither */
  area: Decimal | null;
  areaUnit: AreaUnit | null;
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
 * What the deal is worth over its whole term: the base price, or for a yearly lease price the base
 * price × months ÷ 12. The township's value band applies to this (a five-year lease at ¥500,000 a
 * year is a ¥2,500,000 deal).
 */
export function termBasePrice(t: Pick<ListingTerms, 'basePrice' | 'priceBasis' | 'leaseTermMonths'>): Decimal {
  return wholeTerm(t.basePrice, t);
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
  > &
    Partial<Pick<ListingTerms, 'priceBasis' | 'area' | 'areaUnit'>>,
): void {
  const fields: FieldErrors = {};
  if (!CATEGORIES[t.kind].includes(t.category)) fields.category = { key: 'listings.unknownCategory' };
  if (t.depositAmount.gt(t.basePrice))
    fields.depositAmount = { key: 'listings.depositAboveBase', params: { basePrice: displayMoney(t.basePrice) } };
  if (t.kind === 'lease' && t.leaseTermMonths === null) fields.leaseTermMonths = { key: 'listings.leaseTermRequired' };
  if (t.kind === 'procurement') {
    // a price basis and an area belong to leases: refused on procurement rather than kept unseen
    if (t.priceBasis === 'year') fields.priceBasis = { key: 'listings.leaseOnly' };
    if (t.area) fields.area = { key: 'listings.leaseOnly' };
    if (t.areaUnit) fields.areaUnit = { key: 'listings.leaseOnly' };
  } else if ((t.area ?? null) === null && (t.areaUnit ?? null) !== null) fields.area = { key: 'listings.areaWithUnit' };
  else if ((t.area ?? null) !== null && (t.areaUnit ?? null) === null)
    fields.areaUnit = { key: 'listings.areaWithUnit' };
  if (t.bidDeadline.getTime() <= t.bidOpensAt.getTime())
    fields.bidDeadline = { key: 'listings.deadlineNotAfterOpening' };
  if (Object.keys(fields).length) throw new ValidationError(fields);
}

/** Everything a listing must satisfy to be saved as a draft or published at `publishAt`. */
export function checkTerms(t: ListingTerms, rules: TownshipRules, publishAt: Date): void {
  checkTermsConsistent(t);
  checkBand(t.kind, termBasePrice(t), rules);
  checkNotice(t.bidOpensAt, publishAt, rules.minNoticeDays);
}
