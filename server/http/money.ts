import Decimal from 'decimal.js';
import { RuleError } from './errors';

// Half-up to the fen everywhere; no JS number ever holds money.
Decimal.set({ rounding: Decimal.ROUND_HALF_UP, precision: 40 });
export { Decimal };

const MONEY_TEXT = /^\d{1,12}(\.\d{1,2})?$/;
/** Every amount is below 10^12 (numeric(14,2)). */
export const MONEY_LIMIT = new Decimal('1e12');

/**
 * Parses a request amount (string or JSON number). Refuses more than two decimals, negatives,
 * exponents, non-numbers, values of 10^12 or more, and zero unless allowZero.
 */
export function parseMoney(input: unknown, opts: { allowZero?: boolean } = {}): Decimal {
  let text: string;
  if (typeof input === 'string') text = input.trim();
  else if (typeof input === 'number' && Number.isFinite(input)) text = String(input);
  else throw new RuleError('INVALID_AMOUNT');
  if (!MONEY_TEXT.test(text)) throw new RuleError('INVALID_AMOUNT');
  const value = new Decimal(text);
  if (value.gte(MONEY_LIMIT)) throw new RuleError('INVALID_AMOUNT');
  if (value.isZero() && !opts.allowZero) throw new RuleError('INVALID_AMOUNT');
  return value;
}

/** Two-decimal string for the API: "12345.60". */
export function formatMoney(value: Decimal | string): string {
  return new Decimal(value).toFixed(2);
}

/** Four-decimal rate string, rounded half-up: "0.1617". */
export function formatRate(value: Decimal | string): string {
  return new Decimal(value).toFixed(4);
}

/** For people: "¥12,345.60". */
export function displayMoney(value: Decimal | string): string {
  const [int, frac] = new Decimal(value).toFixed(2).split('.');
  return `¥${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

/** For people: "16.17%". */
export function displayRate(value: Decimal | string): string {
  return `${new Decimal(value).times(100).toFixed(2)}%`;
}
