import { toCsv } from '../http/csv';
import { displayDateTime } from '../http/time';
import type { StoredAuditEntry } from '../trail/trail';

export const TIMELINE_HEADER = ['seq', 'at (Asia/Shanghai)', 'at (ISO)', 'actor', 'action', 'data', 'prevHash', 'hash'];

/**
 * A deal's timeline as CSV for offline work: UTF-8 with a BOM so Excel opens Chinese text
 * correctly, CRLF line ends, every field quoted when needed.
 */
export function timelineCsv(entries: StoredAuditEntry[]): string {
  return toCsv(
    TIMELINE_HEADER,
    entries.map((e) => [
      String(e.seq),
      displayDateTime(e.at),
      e.at,
      e.actor,
      e.action,
      JSON.stringify(e.data),
      e.prevHash,
      e.hash,
    ]),
  );
}
