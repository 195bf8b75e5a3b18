import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { Db } from './db';

/** The session secret lives in the database so every app instance signs cookies alike. */
export async function loadSessionSecret(db: Db, config: Config): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  await db
    .insertInto('app_secrets')
    .values({ name: 'session', value: crypto.randomBytes(32).toString('hex') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('app_secrets')
    .select('value')
    .where('name', '=', 'session')
    .executeTakeFirstOrThrow();
  return row.value;
}

/**
 * The bid seal key never enters the database (a dump before opening must reveal no amount):
 * BID_SEAL_KEY, or a key generated once and kept in the data folder.
 */
export function loadSealKey(config: Config, logger: Logger): Buffer {
  if (config.bidSealKey) return config.bidSealKey;
  const file = path.join(config.dataDir, 'bid-seal.key');
  if (!fs.existsSync(file)) {
    if (config.databaseUrl)
      logger.warn(
        { file },
        'BID_SEAL_KEY is not set: generating one in the data folder; every app instance needs the same key',
      );
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'hex');
}
