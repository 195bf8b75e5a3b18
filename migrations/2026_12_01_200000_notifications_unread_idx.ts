import { Kysely, sql } from 'kysely';

// The header shows a signed-in person's unread count on every page: one count over this partial index, which
// holds only unread messages, so the count reads a handful of index entries however long the inbox grows.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX notifications_user_unread_idx ON notifications (user_id) WHERE read_at IS NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX notifications_user_unread_idx`.execute(db);
}
