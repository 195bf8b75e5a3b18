import { Lang, t } from '../http/i18n';
import type { Decimal } from '../http/money';
import type { PriceBasis } from '../listings/price-basis';
import './exports.messages';

/** One awarded deal (成交: awarded or concluded) as the exports list it. */
export interface DealRow {
  code: string;
  township: string;
  kind: 'procurement' | 'lease';
  category: string;
  title: string;
  basePrice: Decimal;
  amount: Decimal;
  savings: Decimal;
  savingsRate: Decimal;
  winner: string;
  publishedAt: Date | null;
  awardedAt: Date;
  contractSignedAt: Date | null;
  /** how a lease was quoted; procurement is always 'term' */
  priceBasis: PriceBasis;
  leaseTermMonths: number | null;
  /** the award over the whole term: amount, or amount × months ÷ 12 for a yearly price */
  termAmount: Decimal;
}

export const DEAL_COLUMNS = [
  'code',
  'township',
  'kind',
  'category',
  'title',
  'basePrice',
  'amount',
  'savings',
  'savingsRate',
  'winner',
  'publishedAt',
  'awardedAt',
  'contractSignedAt',
  'priceBasis',
  'leaseTermMonths',
  'termAmount',
] as const;
export type DealColumn = (typeof DEAL_COLUMNS)[number];
export const MONEY_COLUMNS: DealColumn[] = ['basePrice', 'amount', 'savings', 'termAmount'];
export const DATE_COLUMNS: DealColumn[] = ['publishedAt', 'awardedAt', 'contractSignedAt'];

/** The header row of both exports, in the reader's language. */
export function dealHeader(lang: Lang): string[] {
  return DEAL_COLUMNS.map((c) => t(lang, `exports.col.${c}`));
}

const SHANGHAI_OFFSET = 8 * 3600_000;

/**
 * Spreadsheet dates have no time zone: the cell holds the Asia/Shanghai wall-clock time (the
 * instant shifted by +8 h and written as UTC), which is what a reader in the township expects.
 */
export function toSheetDate(d: Date): Date {
  return new Date(d.getTime() + SHANGHAI_OFFSET);
}
