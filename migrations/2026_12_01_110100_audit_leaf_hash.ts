import { Kysely, sql } from 'kysely';

// Each entry's Merkle leaf hash (SHA-256(0x00 || entry bytes), server/trail/merkle.ts), written with the entry,
// so that a process building the tree reads 32 bytes per entry instead of the whole entry. It is derived data:
// entries written before this column have none and are hashed from their content, and /audit/verify always
// recomputes every leaf from the entries themselves.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE audit ADD COLUMN leaf_hash bytea`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE audit DROP COLUMN leaf_hash`.execute(db);
}
