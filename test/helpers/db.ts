import crypto from 'node:crypto';
import { Client } from 'pg';
import { createDb, createPool, Db } from '../../server/db/db';
import type { Pool } from 'pg';

export interface TestDatabase {
  /** the serving role's pool: what the app under test runs on (no superuser, owns nothing) */
  db: Db;
  pool: Pool;
  /** the serving role's connection string */
  url: string;
  /** the owner's (the superuser's here): for setup that reaches under the app, and for migrations */
  ownerUrl: string;
  /** an owner (superuser) client on this database, for tests that reach under the app (tampering, dumps) */
  raw(): Promise<Client>;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.TEST_PG_BASE_URL;
  const appBase = process.env.TEST_PG_APP_BASE_URL;
  const template = process.env.TEST_PG_TEMPLATE;
  if (!base || !appBase || !template)
    throw new Error('TEST_PG_BASE_URL is not set: run the tests through jest (global setup)');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = `${appBase}/${name}`;
  const ownerUrl = `${base}/${name}`;
  const pool = createPool(url, 20);
  const db = createDb(pool);
  return {
    db,
    pool,
    url,
    ownerUrl,
    async raw() {
      const c = new Client({ connectionString: ownerUrl });
      await c.connect();
      return c;
    },
    async drop() {
      await db.destroy();
      const c = new Client({ connectionString: `${base}/postgres` });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
