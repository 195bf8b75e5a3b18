import type { Pool } from 'pg';
import type { Config } from '../config';
import { createDb, createPool, Db } from './db';
import { startEmbeddedPostgres } from './embedded';
import { migrateToLatest } from './migrator';
import { ensureServingRole, grantServingRights, servingPassword, servingRoleName, servingUrl } from './roles';

export interface Connection {
  /** the serving role's pool: what the app runs on */
  db: Db;
  pool: Pool;
  embedded: boolean;
  /** the serving role's connection string: cluster workers connect with it */
  url: string;
  /** the owner's connection string (migrations); workers get it too but do not migrate */
  ownerUrl: string;
  /** migrations applied at this start */
  applied: string[];
  /** closes the pool and, for the embedded default, stops PostgreSQL */
  close: () => Promise<void>;
}

/**
 * DATABASE_URL when given; otherwise a real embedded PostgreSQL in the data folder. Two roles:
 *  - the owner migrates: MIGRATION_DATABASE_URL, or DATABASE_URL (or the embedded superuser) when it is the only one;
 *  - the app serves as a role that owns nothing (server/db/roles.ts): DATABASE_URL when MIGRATION_DATABASE_URL is
 *    given too, or else a role the owner creates or updates here, at every start.
 */
export async function connectDatabase(
  config: Config,
  log: (msg: string) => void,
  options: { migrate: boolean } = { migrate: config.migrateOnStart },
): Promise<Connection> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir, config.embeddedPort, log);
  const twoUrls = Boolean(config.migrationDatabaseUrl);
  const ownerUrl = config.migrationDatabaseUrl ?? config.databaseUrl ?? embedded!.url;
  let url = twoUrls ? config.databaseUrl! : '';
  let applied: string[] = [];
  // the owner connection exists only while the database is prepared
  if (!twoUrls || options.migrate) {
    const owner = createDb(createPool(ownerUrl, 2));
    try {
      if (options.migrate) applied = await migrateToLatest(owner);
      if (twoUrls) {
        await grantServingRights(owner, decodeURIComponent(new URL(url).username));
      } else {
        const role = servingRoleName(ownerUrl, config.appDbRole);
        const password = servingPassword(ownerUrl, config.appDbPassword);
        await ensureServingRole(owner, role, password);
        url = servingUrl(ownerUrl, role, password);
      }
    } catch (e) {
      await owner.destroy();
      if (embedded) await embedded.stop();
      throw e;
    }
    await owner.destroy();
  }
  const pool = createPool(url, 10);
  const db = createDb(pool);
  return {
    db,
    pool,
    embedded: Boolean(embedded),
    url,
    ownerUrl,
    applied,
    async close() {
      await db.destroy();
      if (embedded) await embedded.stop();
    },
  };
}
