import { Decimal } from '../http/money';

/** How a lease is quoted (API.md "Lease price basis"): for the whole term, or per year (元/年). */
export type PriceBasis = 'term' | 'year';
export const PRICE_BASES = ['term', 'year'] as const;
/** The unit of a leased area: 亩 or 平方米. */
export type AreaUnit = 'mu' | 'sqm';
export const AREA_UNITS = ['mu', 'sqm'] as const;

/** What turns a quoted price into the whole term's: the basis and the term in months. */
export interface PriceTerm {
  priceBasis: PriceBasis;
  leaseTermMonths: number | null;
}
export const WHOLE_TERM: PriceTerm = { priceBasis: 'term', leaseTermMonths: null };

/** A quoted price (or a difference of prices) over the whole term: × months ÷ 12 for a yearly price, half-up to the fen. */
export function wholeTerm(price: Decimal | string, p: PriceTerm): Decimal {
  const value = new Decimal(price);
  if (p.priceBasis !== 'year' || p.leaseTermMonths === null) return value;
  return value.times(p.leaseTermMonths).dividedBy(12).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

const AREA_TEXT = /^\d{1,10}(\.\d{1,2})?$/;

/** An area as sent: a decimal string (or a plain JSON number), positive, at most two decimals, below 10^10. Else null. */
export function parseArea(input: unknown): Decimal | null {
  const text = typeof input === 'string' ? input.trim() : typeof input === 'number' ? String(input) : null;
  if (text === null || !AREA_TEXT.test(text)) return null;
  const value = new Decimal(text);
  return value.gt(0) ? value : null;
}
