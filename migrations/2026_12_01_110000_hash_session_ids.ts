import { Kysely, sql } from 'kysely';

// Session ids are kept only as their SHA-256 from now on (server/accounts/session-store.ts), and the
// cookie-signing secret moves out of the database (SESSION_SECRET or the data folder). The sessions
// stored in clear, and the secret that signed their cookies, are dropped: everyone signs in again once.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM sessions`.execute(db);
  await sql`DELETE FROM app_secrets WHERE name = 'session'`.execute(db);
  await sql`COMMENT ON COLUMN sessions.sid IS 'SHA-256 (hex) of the session id; the id itself is only in the signed cookie'`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM sessions`.execute(db);
  await sql`COMMENT ON COLUMN sessions.sid IS NULL`.execute(db);
}
