// CSV that Excel and WPS open correctly and cannot turn into formulas: one writer for every export.

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
