import { displayShanghaiTime } from '../calendar/calendar';
import type { StoredAuditEntry } from './audit';

/** A spreadsheet would run a cell starting with = + - @ as a formula: quote it as text. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const TIMELINE_HEADER = ['seq', 'at (Asia/Shanghai)', 'at (ISO)', 'actor', 'action', 'data', 'prevHash', 'hash'];

/**
 * A deal's timeline as CSV for offline work: UTF-8 with a BOM so Excel opens Chinese text
 * correctly, CRLF line ends, every field quoted when needed.
 */
export function timelineCsv(entries: StoredAuditEntry[]): string {
  const rows = [TIMELINE_HEADER, ...entries.map((e) => [
    String(e.seq), displayShanghaiTime(new Date(e.at)), e.at, e.actor, e.action, JSON.stringify(e.data), e.prevHash, e.hash,
  ])];
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
