import ExcelJS from 'exceljs';
import { Lang, t } from '../http/i18n';
import { formatMoney, formatRate } from '../http/money';
import { displayDateTime } from '../http/time';
import { defuseFormula, toCsv } from '../http/csv';
import { DATE_COLUMNS, DEAL_COLUMNS, DealColumn, dealHeader, DealRow, MONEY_COLUMNS, toSheetDate } from './exports';
import './exports.messages';
import '../listings/listings.messages';

// The deals export as files, in the reader's language: what GET /stats/deals.csv and /stats/deals.xlsx send.

function textCell(row: DealRow, col: DealColumn, lang: Lang): string {
  switch (col) {
    case 'kind':
      return t(lang, `listings.kind.${row.kind}`);
    case 'category':
      return t(lang, `listings.category.${row.category}`);
    case 'basePrice':
    case 'amount':
    case 'savings':
    case 'termAmount':
      return formatMoney(row[col]);
    case 'priceBasis':
      return row.kind === 'lease' ? t(lang, `listings.priceBasis.${row.priceBasis}`) : '';
    case 'leaseTermMonths':
      return row.leaseTermMonths === null ? '' : String(row.leaseTermMonths);
    case 'savingsRate':
      return formatRate(row.savingsRate);
    case 'publishedAt':
    case 'awardedAt':
    case 'contractSignedAt':
      return displayDateTime(row[col]);
    default:
      return row[col];
  }
}

/** The deals as CSV: a UTF-8 byte-order mark, CRLF, cells a spreadsheet will not run as formulas (toCsv). */
export function dealsCsv(rows: DealRow[], lang: Lang): string {
  return toCsv(
    dealHeader(lang),
    rows.map((r) => DEAL_COLUMNS.map((c) => textCell(r, c, lang))),
  );
}

/** The deals as a workbook: money and rates as numbers, dates as real (Beijing wall-clock) dates. */
export async function dealsXlsx(rows: DealRow[], lang: Lang): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = t(lang, 'site.title');
  const sheet = book.addWorksheet(t(lang, 'exports.sheet'));
  sheet.columns = DEAL_COLUMNS.map((c, i) => ({
    header: dealHeader(lang)[i],
    key: c,
    width: c === 'title' ? 40 : DATE_COLUMNS.includes(c) ? 18 : 14,
    style: MONEY_COLUMNS.includes(c)
      ? { numFmt: '#,##0.00' }
      : c === 'savingsRate'
        ? { numFmt: '0.00%' }
        : DATE_COLUMNS.includes(c)
          ? { numFmt: 'yyyy-mm-dd hh:mm' }
          : {},
  }));
  for (const r of rows) {
    const values: Record<string, unknown> = {};
    for (const c of DEAL_COLUMNS) {
      if (MONEY_COLUMNS.includes(c)) values[c] = Number(formatMoney(r[c as 'amount']));
      else if (c === 'savingsRate') values[c] = Number(formatRate(r.savingsRate));
      else if (c === 'leaseTermMonths') values[c] = r.leaseTermMonths;
      else if (DATE_COLUMNS.includes(c)) values[c] = r[c as 'awardedAt'] ? toSheetDate(r[c as 'awardedAt']) : null;
      else values[c] = defuseFormula(textCell(r, c, lang));
    }
    sheet.addRow(values);
  }
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return Buffer.from(await book.xlsx.writeBuffer());
}
