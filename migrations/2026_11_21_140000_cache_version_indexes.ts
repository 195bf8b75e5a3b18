import { Kysely, sql } from 'kysely';

// The read cache's version query (server/board/cache.ts) runs on every board, stats and open-data
// request: each part of it must be one index probe.
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
CREATE INDEX listings_state_opens_idx ON listings (state, bid_opens_at);
CREATE INDEX contracts_recorded_at_idx ON contracts (recorded_at);
CREATE INDEX hall_entries_created_at_idx ON hall_entries (created_at);
`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
DROP INDEX IF EXISTS hall_entries_created_at_idx;
DROP INDEX IF EXISTS contracts_recorded_at_idx;
DROP INDEX IF EXISTS listings_state_opens_idx;
`,
    )
    .execute(db);
}
