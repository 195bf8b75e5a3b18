import type { Pool } from 'pg';
import type { Config } from '../config';
import { createDb, createPool, Db } from './db';
import { startEmbeddedPostgres } from './embedded';

export interface Connection {
  db: Db;
  pool: Pool;
  embedded: boolean;
  /** the connection string in use (the embedded server's too): cluster workers connect with it */
  url: string;
  /** closes the pool and, for the embedded default, stops PostgreSQL */
  close: () => Promise<void>;
}

/** DATABASE_URL when given; otherwise a real embedded PostgreSQL in the data folder. */
export async function connectDatabase(config: Config, log: (msg: string) => void): Promise<Connection> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres(config.dataDir, config.embeddedPort, log);
  const url = config.databaseUrl ?? embedded!.url;
  const pool = createPool(url, 10);
  const db = createDb(pool);
  return {
    db,
    pool,
    embedded: Boolean(embedded),
    url,
    async close() {
      await db.destroy();
      if (embedded) await embedded.stop();
    },
  };
}
