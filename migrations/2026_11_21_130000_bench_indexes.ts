import { Kysely, sql } from 'kysely';

// Indexes found by `npm run bench` (100,000 deals, 500,000 bids; plans in test/bench/RESULTS.md):
// - statistics of a district or township reach listings through township_id: with the id in the
//   index, the awarded listings of ten townships come from an index-only scan, not a scan of the table;
// - the board's read cache asks on every request for the next end of publicity and for the last
//   listing change: each becomes one index probe instead of a scan.
export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
CREATE INDEX listings_township_state_covering_idx ON listings (township_id, state) INCLUDE (id);
CREATE INDEX awards_publicity_ends_at_idx ON awards (publicity_ends_at);
CREATE INDEX listings_updated_at_idx ON listings (updated_at);
`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
DROP INDEX IF EXISTS listings_updated_at_idx;
DROP INDEX IF EXISTS awards_publicity_ends_at_idx;
DROP INDEX IF EXISTS listings_township_state_covering_idx;
`,
    )
    .execute(db);
}
