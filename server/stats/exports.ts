import type { Decimal } from '../http/money';

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
}

export const DEAL_COLUMNS = ['code', 'township', 'kind', 'category', 'title', 'basePrice', 'amount', 'savings', 'savingsRate', 'winner', 'publishedAt', 'awardedAt', 'contractSignedAt'] as const;
export type DealColumn = (typeof DEAL_COLUMNS)[number];
export const MONEY_COLUMNS: DealColumn[] = ['basePrice', 'amount', 'savings'];
export const DATE_COLUMNS: DealColumn[] = ['publishedAt', 'awardedAt', 'contractSignedAt'];

/**
 * Spreadsheet formula injection: a cell that starts with = + - @ (or a tab / carriage return,
 * which some programs strip first) would run as a formula when opened; a leading ' keeps it text.
 */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** RFC 4180 quoting: quote when the cell holds a comma, quote, CR or LF; double the quotes. */
export function csvCell(value: string): string {
  const safe = defuseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** UTF-8 BOM (so Excel reads Chinese correctly), CRLF line ends, a header row. */
export function toCsv(header: string[], rows: string[][]): string {
  const lines = [header, ...rows].map((cells) => cells.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
