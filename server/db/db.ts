import { Kysely, PostgresDialect, Transaction } from 'kysely';
import { Pool, types } from 'pg';
import type { Database } from './database';

// date columns stay 'YYYY-MM-DD' strings: no time zone games with calendar days
types.setTypeParser(1082, (v) => v);
// bigint (count(*), seq) as string; callers convert explicitly
types.setTypeParser(20, (v) => v);

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Repositories take either the pool-backed db or a transaction. */
export type Executor = Db | Trx;

export function createPool(connectionString: string, max = 10): Pool {
  const pool = new Pool({ connectionString, max, connectionTimeoutMillis: 5000 });
  // an idle client that loses its server must not crash the process
  pool.on('error', () => undefined);
  // nor may a checked-out one (pg-pool listens only while a client is idle): when the server goes
  // away between two queries of a transaction, the client emits 'error' with nobody listening. Its
  // next query fails ("not queryable", answered 503 by the error handler) and the pool drops it on release.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

export function createDb(pool: Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
