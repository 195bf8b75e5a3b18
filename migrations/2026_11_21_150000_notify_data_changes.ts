import { Kysely, sql } from 'kysely';

// Cache invalidation, not business logic: a statement on any table the public board, statistics or
// open data show sends NOTIFY tts_data_changed. PostgreSQL delivers it only when the transaction
// commits, to every listening app instance (server/board/cache.ts). Bids are not among them:
// nothing about a sealed bid may reach a reader, and the deadline burst stays free of it.
const TABLES = ['audit', 'listings', 'awards', 'contracts', 'hall_entries', 'townships', 'township_rules'];

export async function up(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
CREATE FUNCTION notify_data_changed() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  PERFORM pg_notify('tts_data_changed', TG_TABLE_NAME);
  RETURN NULL;
END $f$;
${TABLES.map((t) => `CREATE TRIGGER ${t}_notify_change AFTER INSERT OR UPDATE OR DELETE ON ${t} FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed();`).join('\n')}
`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `
${TABLES.map((t) => `DROP TRIGGER IF EXISTS ${t}_notify_change ON ${t};`).join('\n')}
DROP FUNCTION IF EXISTS notify_data_changed();
`,
    )
    .execute(db);
}
