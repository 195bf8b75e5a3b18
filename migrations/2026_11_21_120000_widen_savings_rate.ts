import { Kysely, sql } from 'kysely';

// A lease may be won at many times its reserve: the rate must not overflow numeric(8,4).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE awards ALTER COLUMN savings_rate TYPE numeric(16,4)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE awards ALTER COLUMN savings_rate TYPE numeric(8,4)`.execute(db);
}
