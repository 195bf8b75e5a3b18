import { Decimal } from '../http/money';
import type { DealKind } from '../townships/townships';

export interface Savings {
  /** value gained for the collective, exact to the fen: 节资 (procurement) or 增收 (lease) */
  savings: Decimal;
  /** savings ÷ basePrice, rounded half-up to four decimals ("0.1600") */
  savingsRate: Decimal;
}

/**
 * 增收节资 of one deal. Procurement saves the ceiling minus the award; a lease gains the award
 * minus the reserve. A lease's figures cover the whole listed term, as both prices do.
 */
export function computeSavings(kind: DealKind, basePrice: Decimal | string, amount: Decimal | string): Savings {
  const base = new Decimal(basePrice);
  const award = new Decimal(amount);
  const savings = (kind === 'procurement' ? base.minus(award) : award.minus(base)).toDecimalPlaces(
    2,
    Decimal.ROUND_HALF_UP,
  );
  const savingsRate = base.isZero()
    ? new Decimal(0)
    : savings.dividedBy(base).toDecimalPlaces(4, Decimal.ROUND_HALF_UP);
  return { savings, savingsRate };
}
