import { Decimal } from '../http/money';
import { PriceTerm, WHOLE_TERM, wholeTerm } from '../listings/price-basis';
import type { DealKind } from '../townships/townships';

export interface Savings {
  /** value gained for the collective over the whole term, exact to the fen: 节资 (procurement) or 增收 (lease) */
  savings: Decimal;
  /** savings ÷ the whole-term base price, rounded half-up to four decimals ("0.1600") */
  savingsRate: Decimal;
  /** the award and the base price over the whole term (the quoted ones unless the basis is `year`) */
  termAmount: Decimal;
  termBasePrice: Decimal;
}

/**
 * 增收节资 of one deal. Procurement saves the ceiling minus the award; a lease gains the award
 * minus the reserve. The figures cover the whole listed term: for a yearly price the difference is
 * taken over the term, (amount − basePrice) × months ÷ 12, half-up to the fen (API.md).
 */
export function computeSavings(
  kind: DealKind,
  basePrice: Decimal | string,
  amount: Decimal | string,
  term: PriceTerm = WHOLE_TERM,
): Savings {
  const base = new Decimal(basePrice);
  const award = new Decimal(amount);
  const gained = kind === 'procurement' ? base.minus(award) : award.minus(base);
  const savings = wholeTerm(gained, term).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const termBasePrice = wholeTerm(base, term);
  const savingsRate = termBasePrice.isZero()
    ? new Decimal(0)
    : savings.dividedBy(termBasePrice).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
  return { savings, savingsRate, termAmount: wholeTerm(award, term), termBasePrice };
}
