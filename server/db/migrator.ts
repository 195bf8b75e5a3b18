import fs from 'node:fs';
import path from 'node:path';
import { Migration, MigrationProvider, Migrator } from 'kysely';
import type { Db } from './db';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

/** Reads migrations/*.ts by name order; each file exports up() and down(). */
class FolderMigrationProvider implements MigrationProvider {
  getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const file of fs.readdirSync(MIGRATIONS_DIR).sort()) {
      if (!/^\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+\.ts$/.test(file)) continue;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      out[file.replace(/\.ts$/, '')] = require(path.join(MIGRATIONS_DIR, file)) as Migration;
    }
    return Promise.resolve(out);
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  // helpers work in parallel, each with its own timestamp prefix: a migration landed later may sort
  // before one a database already ran, and must still run (each is independent of the others' order)
  const migrator = new Migrator({ db, provider: new FolderMigrationProvider(), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(JSON.stringify(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
