/**
 * Offline verification of an exported audit trail:
 *   npm run audit:verify -- audit-trail.json
 * The file is the JSON array from GET /api/v1/audit/export (or the auditor page's export button).
 * Recomputes every hash with the same pure verifyChain the server uses; needs no database.
 * Exit code 0 when the chain is intact, 1 when it is broken, 2 when the file cannot be read.
 */
import fs from 'node:fs';
import { StoredAuditEntry, verifyChain } from './audit';

function main(argv: string[]): number {
  const file = argv[0];
  if (!file) {
    console.error('usage: npm run audit:verify -- <exported-trail.json>');
    return 2;
  }
  let entries: StoredAuditEntry[];
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    entries = (Array.isArray(parsed) ? parsed : (parsed as { entries?: unknown }).entries) as StoredAuditEntry[];
    if (!Array.isArray(entries)) throw new Error('expected a JSON array of entries');
  } catch (e) {
    console.error(`cannot read ${file}: ${(e as Error).message}`);
    return 2;
  }
  const result = verifyChain(entries);
  console.log(JSON.stringify(result));
  if (result.valid) {
    console.error(
      `OK: ${result.entries} entries; head ${result.head} — compare it with the head shown on the public board.`,
    );
    return 0;
  }
  console.error(`BROKEN at entry ${result.brokenAt}: altered, removed or reordered.`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));
